"""Files and the disk cache: forged, oversized or hostile inputs are refused with typed errors."""

from __future__ import annotations

import json
import os
import time
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory import Representation, groups, intertwiners, load
from reptheory._numerics.limits import resource_limits
from reptheory.errors import FileIntegrityError, InvalidArgumentError, TooLargeError
from reptheory.hom import _cache
from reptheory.hom.space import clear_cache, commutant
from reptheory.io import _digest, _meta_digest, _parse_algebraic, verify_file

G = groups.dihedral(4)
R = Representation.regular(G)
IRR = G.irreps()


def _rewrite(path, mutate, *, fix_digests=True):
    """A forger who knows the format: mutate, then recompute every checksum and the metadata digest."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("__meta__").tobytes())
    mutate(meta, arrays)
    if fix_digests:
        meta["sha256"] = {k: _digest(v) for k, v in arrays.items()}
        meta.pop("hmac", None)
        meta["meta_sha256"] = _meta_digest(meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


@pytest.fixture()
def saved(tmp_path):
    path = tmp_path / "reg.npz"
    commutant(R, cache=False).save(path)
    return path


def test_swapped_arrays_with_recomputed_checksums_fail_against_the_representations(tmp_path, saved):
    # same shape, same dimension, another group action: only the representations can tell
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((8, 8)))[0]
    src = tmp_path / "other.npz"
    commutant(R.change_basis(Q), method="constraints", cache=False).save(src)
    with np.load(src, allow_pickle=False) as npz:
        src_arrays = {k: npz[k] for k in npz.files if k != "__meta__"}
        src_meta = json.loads(npz["__meta__"].tobytes())

    def take_arrays(meta, arrays):
        arrays.clear()
        arrays.update(src_arrays)
        for k in ("dim", "structured_kind", "projector_kind", "method", "shape", "exact"):
            meta[k] = src_meta.get(k)

    _rewrite(saved, take_arrays)
    assert load(saved).dim == 8  # self-consistent: integrity alone cannot tell
    with pytest.raises(FileIntegrityError, match="intertwin"):
        load(saved, rho_in=R, rho_out=R)


@pytest.mark.parametrize("field", ["group", "rho_in_key", "rho_out", "method", "dim"])
def test_metadata_edits_are_detected(saved, field):
    _rewrite(saved, lambda meta, arrays: meta.__setitem__(field, "forged" if field != "dim" else 3),
             fix_digests=False)
    with pytest.raises(FileIntegrityError, match=r"digest|checksum"):
        load(saved)


def test_signatures(tmp_path, monkeypatch):
    path = tmp_path / "s.npz"
    commutant(R, cache=False).save(path, key="k1")
    assert load(path, key="k1").info["signed"]
    with pytest.raises(FileIntegrityError, match="signature"):
        load(path, key="k2")
    monkeypatch.setenv("REPTHEORY_KEY", "k1")
    assert load(path).info["signed"]
    _rewrite(path, lambda meta, arrays: meta.__setitem__("group", "forged"))  # forger without the key
    with pytest.raises(FileIntegrityError, match=r"not signed|signature"):
        load(path)
    with pytest.raises(InvalidArgumentError, match="key"):
        load(path, key=5)


def test_forged_exact_basis_is_refused(tmp_path):
    path = tmp_path / "e.npz"
    H = intertwiners(Representation.defining(groups.icosahedral()), Representation.defining(groups.icosahedral()),
                     method="constraints", exact=True, cache=False)
    H.save(path)
    rho = Representation.defining(groups.icosahedral())

    def forge(meta, arrays):
        entries = meta["exact"]["entries"]
        entries[0][1] = "1"  # the identity becomes a non-intertwiner

    _rewrite(path, forge)
    with pytest.raises(FileIntegrityError, match="exact basis"):
        load(path, rho_in=rho, rho_out=rho)


BAD_ENTRIES = ["9**9**9**9", "zoo", "1/0", "__import__('os')", "x", "sqrt(2)**100000", "(" * 5000 + "1" + ")" * 5000,
               "9" * 5000, "Rational(1, 0)", "lambda: 1", "[1]", "1 if 1 else 2", "2**Rational(1, 10**9)"]


@pytest.mark.parametrize("entry", BAD_ENTRIES, ids=range(len(BAD_ENTRIES)))
def test_unsafe_exact_entries(entry):
    with pytest.raises((FileIntegrityError, TooLargeError)):
        _parse_algebraic(entry)


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_parser_never_raises_anything_else(text):
    try:
        v = _parse_algebraic(text)
    except (FileIntegrityError, TooLargeError):
        return
    assert v.is_finite is not False


@pytest.mark.parametrize("good", ["1", "-1/2", "sqrt(5)/4 + 1/4", "I*sqrt(3)/2", "2**(1/3)", "Rational(3, 7)"])
def test_safe_exact_entries(good):
    import sympy

    assert _parse_algebraic(good) == sympy.sympify(good, rational=True)


def test_fifo_directory_missing_and_wrong_types(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(InvalidArgumentError, match="regular file"):
        load(fifo)
    with pytest.raises(InvalidArgumentError, match="regular file"):
        load(tmp_path)
    with pytest.raises(InvalidArgumentError, match="no such file"):
        load(tmp_path / "missing.npz")
    with pytest.raises(InvalidArgumentError, match="path"):
        load(None)
    with pytest.raises(InvalidArgumentError, match="directory"):
        commutant(R, cache=False).save(tmp_path / "no" / "such" / "dir.npz")
    with pytest.raises(InvalidArgumentError, match="rho_in"):
        load(tmp_path / "x.npz", rho_in=5, rho_out=R)


def test_zip_bomb_and_member_limits(tmp_path, saved):
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.npy", b"\0" * (64 << 20))
    assert os.path.getsize(bomb) < 1 << 20
    with resource_limits(max_file_bytes=16 << 20), pytest.raises(TooLargeError, match="uncompressed"):
        load(bomb)
    many = tmp_path / "many.npz"
    np.savez(many, **{f"a{i}": np.zeros(1) for i in range(100)})
    with pytest.raises(TooLargeError, match="members"):
        load(many)
    with resource_limits(max_file_bytes=100), pytest.raises(TooLargeError, match="max_file_bytes"):
        load(saved)


def test_old_format_still_read_and_verified(tmp_path, saved):
    def downgrade(meta, arrays):
        meta["format_version"] = 1
        meta.pop("meta_sha256", None)

    _rewrite(saved, downgrade, fix_digests=False)
    assert load(saved).dim == 8
    assert load(saved, rho_in=R, rho_out=R).info["verified_against"] == "representations"
    with pytest.raises(FileIntegrityError):
        load(saved, rho_in=IRR[0], rho_out=IRR[0])


def test_zero_space_roundtrip_and_verify(tmp_path):
    path = tmp_path / "z.npz"
    H = intertwiners(IRR[1], IRR[0], cache=False)
    assert H.dim == 0
    H.save(path)
    assert verify_file(path, IRR[1], IRR[0])["dim"] == 0


def test_forged_cache_entry_is_discarded(tmp_path, monkeypatch):
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("REPTHEORY_DISK_CACHE", "1")
    rho = R.change_basis(np.linalg.qr(np.random.default_rng(0).standard_normal((8, 8)))[0])
    clear_cache()
    H = intertwiners(rho, rho, method="constraints")
    key = _cache.cache_key(rho, rho, False, "constraints", False)
    assert _cache.maybe_store(key, H, force=True)
    path = _cache._path(key)
    forged = tmp_path / "forged.npz"
    commutant(R, cache=False).save(forged)

    def forge(meta, arrays):  # a projector for another problem, under this entry's key
        meta["cache_key"] = key

    os.replace(forged, path)
    _rewrite(path, forge)
    clear_cache()
    assert _cache.lookup(key, rho, rho) is None
    assert not os.path.exists(path)  # discarded
    clear_cache()
    H2 = intertwiners(rho, rho, method="constraints")
    W = np.random.default_rng(1).standard_normal((8, 8))
    np.testing.assert_allclose(H2.project(W), H.project(W), atol=1e-9)
    clear_cache()


def test_stale_temp_files_are_cleaned(tmp_path):
    stale = tmp_path / ".reptheory-tmp-dead.npz"
    stale.write_bytes(b"partial")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = tmp_path / ".reptheory-tmp-live.npz"
    fresh.write_bytes(b"partial")
    commutant(R, cache=False).save(tmp_path / "new.npz")
    assert not stale.exists() and fresh.exists()
