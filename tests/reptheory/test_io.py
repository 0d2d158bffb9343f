"""Saving/loading (no pickle, checksums, tamper detection) and the disk cache (hits, versions, concurrency)."""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import zipfile

import numpy as np
import pytest

import reptheory
from reptheory import Representation, groups
from reptheory.errors import FileIntegrityError, InvalidArgumentError
from reptheory.hom import _cache
from reptheory.hom.space import clear_cache, commutant, intertwiners
from reptheory.io import load, load_space, save_space, verify_file


def _spaces():
    G = groups.dihedral(4)
    R = Representation.regular(G)
    irr = G.irreps()
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    Rn = R.change_basis(np.diag(np.arange(1.0, 9.0)))
    return {
        "orbit": commutant(R, cache=False),
        "isotypic": commutant(2 * irr[-1] + irr[0], cache=False),
        "basis": commutant(R.change_basis(q), method="constraints", cache=False),
        "oblique": commutant(Rn, cache=False),
        "exact": intertwiners(R, R + irr[0], method="constraints", exact=True, cache=False),
        "algebraic": intertwiners(Representation.defining(groups.icosahedral()),
                                  Representation.defining(groups.icosahedral()), method="constraints",
                                  exact=True, cache=False),
    }


@pytest.fixture(scope="module")
def spaces():
    return _spaces()


@pytest.mark.parametrize("name", ["orbit", "isotypic", "basis", "oblique", "exact", "algebraic"])
def test_roundtrip(tmp_path, spaces, name):
    H = spaces[name]
    path = tmp_path / f"{name}.npz"
    H.save(path)
    with np.load(path, allow_pickle=False) as npz:  # readable without pickle
        assert all(npz[k].dtype != object for k in npz.files)
    L = load(path)
    assert (L.dim, L.shape, L.method, L.projector_kind) == (H.dim, H.shape, H.method, H.projector_kind)
    W = np.random.default_rng(1).standard_normal((2, *H.shape))
    np.testing.assert_allclose(L.project(W), H.project(W), atol=1e-12)
    np.testing.assert_allclose(L.residual(W), H.residual(W), atol=1e-12)
    if H.exact:
        assert list(L.basis_exact) == list(H.basis_exact)
    assert verify_file(path)["ok"]


def _rewrite(path, mutate):
    """Rewrite an npz, letting ``mutate(meta, arrays)`` change it (checksums untouched unless it does).

    Like a forger who knows the format, the metadata digest (format 2) is recomputed afterwards, so
    the deeper consistency checks are exercised.
    """
    from reptheory.io import _meta_digest

    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("__meta__").tobytes())
    mutate(meta, arrays)
    if "meta_sha256" in meta:
        meta["meta_sha256"] = _meta_digest(meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_tampered_array_detected(tmp_path, spaces):
    path = tmp_path / "t.npz"
    spaces["basis"].save(path)

    def flip(meta, arrays):
        arrays["proj/basis"] = arrays["proj/basis"].copy()
        arrays["proj/basis"][0, 0, 0] += 1e-3

    _rewrite(path, flip)
    with pytest.raises(FileIntegrityError, match="checksum"):
        load(path)


def test_consistent_but_wrong_file_detected(tmp_path, spaces):
    from reptheory.io import _digest

    path = tmp_path / "w.npz"
    spaces["basis"].save(path)

    def corrupt(meta, arrays):  # a non-orthonormal basis, with honest checksums: P^2 != P
        arrays["proj/basis"] = arrays["proj/basis"] * 1.5
        meta["sha256"] = {k: _digest(v) for k, v in arrays.items()}

    _rewrite(path, corrupt)
    with pytest.raises(FileIntegrityError, match="idempotent"):
        load(path)

    def wrong_dim(meta, arrays):
        meta["dim"] = meta["dim"] + 1

    spaces["basis"].save(path)
    _rewrite(path, wrong_dim)
    with pytest.raises(FileIntegrityError, match="dim"):
        load(path)


def test_truncated_and_garbage_files(tmp_path, spaces):
    path = tmp_path / "x.npz"
    spaces["orbit"].save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileIntegrityError, match="truncated"):
        load(path)
    path.write_bytes(b"not a zip file at all")
    with pytest.raises(FileIntegrityError):
        load(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("labels.npy", b"\x93NUMPY")
    path.write_bytes(buf.getvalue())
    with pytest.raises(FileIntegrityError):
        load(path)
    with pytest.raises(InvalidArgumentError, match="no such file"):
        load(tmp_path / "missing.npz")


def test_pickled_arrays_rejected(tmp_path):
    path = tmp_path / "p.npz"
    with open(path, "wb") as fh:
        np.savez(fh, __meta__=np.array([{"a": 1}], dtype=object))
    with pytest.raises(FileIntegrityError):
        load(path)


def test_mismatched_representations(tmp_path, spaces):
    path = tmp_path / "m.npz"
    spaces["orbit"].save(path)
    other = Representation.regular(groups.cyclic(8))
    with pytest.raises(FileIntegrityError, match=r"intertwin|character formula"):
        load_space(path, rho_in=other, rho_out=other)


# ------------------------------------------------------------------------------ disk cache
@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(d))
    monkeypatch.setenv("REPTHEORY_DISK_CACHE", "1")
    clear_cache()
    yield d
    clear_cache()


def _slow_pair():
    G = groups.dihedral(5)
    rng = np.random.default_rng(7)
    q, _ = np.linalg.qr(rng.standard_normal((10, 10)))
    R = Representation.regular(G).change_basis(q)
    return R, R


def test_cache_directory_rules(monkeypatch, tmp_path):
    monkeypatch.delenv("REPTHEORY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == str(tmp_path / "xdg" / "reptheory")
    pkg = os.path.dirname(reptheory.__file__)
    assert not _cache.cache_dir().startswith(pkg)
    monkeypatch.setenv("REPTHEORY_CACHE_DIR", str(tmp_path / "mine"))
    assert _cache.cache_dir() == str(tmp_path / "mine")


def test_cache_hit_and_version_invalidation(cache_dir, monkeypatch):
    rin, rout = _slow_pair()
    H = intertwiners(rin, rout, method="constraints")
    key = _cache.cache_key(rin, rout, False, "constraints", False)
    assert _cache.maybe_store(key, H, force=True)
    files = list(cache_dir.glob("*.npz"))
    assert len(files) == 1
    clear_cache()
    H2 = intertwiners(rin, rout, method="constraints")
    assert H2.info.get("cache") == "disk" and H2.dim == H.dim
    W = np.random.default_rng(0).standard_normal(H.shape)
    np.testing.assert_allclose(H2.project(W), H.project(W), atol=1e-12)
    clear_cache()
    monkeypatch.setattr(reptheory, "__version__", "999.0")
    assert _cache.cache_key(rin, rout, False, "constraints", False) != key
    H3 = intertwiners(rin, rout, method="constraints")
    assert H3.info.get("cache") != "disk"
    # an entry whose metadata claims another version is ignored even under the right name
    monkeypatch.setattr(reptheory, "__version__", "0.0.1-other")
    assert _cache.lookup(key, rin, rout) is None


def test_corrupt_cache_entry_is_ignored(cache_dir):
    rin, rout = _slow_pair()
    key = _cache.cache_key(rin, rout, False, "constraints", False)
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / f"{key}.npz").write_bytes(b"garbage")
    H = intertwiners(rin, rout, method="constraints")
    assert H.dim == 10 and H.info.get("cache") != "disk"


def _writer(args):
    directory, _ = args
    os.environ["REPTHEORY_CACHE_DIR"] = directory
    os.environ["REPTHEORY_DISK_CACHE"] = "1"
    rin, rout = _slow_pair()
    H = intertwiners(rin, rout, method="constraints", cache=False)
    key = _cache.cache_key(rin, rout, False, "constraints", False)
    ok = True
    for _ in range(5):
        ok &= _cache.maybe_store(key, H, force=True)
    return ok


def test_concurrent_writers(cache_dir):
    ctx = mp.get_context("spawn")
    with ctx.Pool(3) as pool:
        results = pool.map(_writer, [(str(cache_dir), s) for s in range(3)])
    assert all(results)
    files = sorted(os.listdir(cache_dir))
    assert len(files) == 1 and files[0].endswith(".npz")  # no temporary files left behind
    rin, rout = _slow_pair()
    key = _cache.cache_key(rin, rout, False, "constraints", False)
    assert _cache.lookup(key, rin, rout).dim == 10


def test_disk_cache_can_be_disabled(cache_dir, monkeypatch):
    monkeypatch.setenv("REPTHEORY_DISK_CACHE", "0")
    rin, rout = _slow_pair()
    H = intertwiners(rin, rout, method="constraints")
    assert not _cache.maybe_store("k" * 64, H, force=True)
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_save_is_atomic_on_error(tmp_path, spaces, monkeypatch):
    path = tmp_path / "a.npz"
    spaces["orbit"].save(path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError):
        save_space(spaces["orbit"], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.npz"]
