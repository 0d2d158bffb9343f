"""Saving and loading intertwiner spaces: ``.npz`` without pickle, JSON metadata, checksums.

File format (``format = "reptheory-intertwiners"``, ``format_version = 1``): one ``.npz`` archive,
read with ``allow_pickle=False``, holding plain numeric arrays

* ``proj/<name>``: the structured projector's `to_arrays` (orbit, isotypic or basis);
* ``pairs_out`` (g, d_out, d_out), ``pairs_in`` (g, d_in, d_in): the constraint pairs
  ``A_out W = W A_in`` (generator images, then Lie-algebra images), used by ``residual``;
* ``conj/S_out``, ``conj/S_out_inv``, ``conj/S_in``, ``conj/S_in_inv`` for non-orthogonal reps;
* ``exact/S_indptr``, ``exact/S_indices``, ``exact/S_data``: the integer frame of the exact basis;

and ``__meta__``, the UTF-8 bytes of a JSON object: group, representations (names and keys),
shape, dim, method, reason, projector kinds, dtype, library version, the sha256 of every
array (over dtype, shape and bytes) and the exact basis as strings (``"num"``/``"den"`` integer
strings for the rational frame, or entry strings for algebraic bases).

Loading verifies the checksums, the list of arrays, the shapes, ``P² = P`` and the generator
residual of ``P(W)`` for random ``W``; a truncated, tampered or inconsistent file raises
[`FileIntegrityError`][reptheory.errors.FileIntegrityError].  Writing is atomic (temporary file, then
``os.replace``).

Examples
--------
>>> import os, tempfile
>>> from reptheory import groups, Representation
>>> from reptheory.hom.space import commutant
>>> H = commutant(Representation.regular(groups.cyclic(5)))
>>> path = os.path.join(tempfile.mkdtemp(), "c5.npz")
>>> H.save(path)
>>> load(path).dim
5
"""

from __future__ import annotations

import hashlib
import io as _io
import json
import math
import os
import re
import tempfile
from typing import Any

import numpy as np

from reptheory.errors import FileIntegrityError, InvalidArgumentError

__all__ = ["save_space", "load_space", "load", "verify_file", "FORMAT", "FORMAT_VERSION"]

FORMAT = "reptheory-intertwiners"
FORMAT_VERSION = 1
_SAFE_ALGEBRAIC = re.compile(r"^[0-9a-zA-Z_+\-*/()., ]*$")
_ALLOWED_WORDS = {"sqrt", "I", "pi", "cos", "sin", "Rational", "Integer"}


def _digest(a: np.ndarray) -> str:
    h = hashlib.sha256()
    h.update(str(a.dtype.str).encode())
    h.update(str(tuple(a.shape)).encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, (str, int, bool)) or x is None:
        return x
    return str(x)


def save_space(space: Any, path: Any, *, extra_meta: dict[str, Any] | None = None) -> None:
    """Write ``space`` (an [`IntertwinerSpace`][reptheory.hom.space.IntertwinerSpace]) to ``path`` atomically."""
    import reptheory

    path = os.fspath(path)
    arrays: dict[str, np.ndarray] = {}
    S = space._structured
    for k, v in S.to_arrays().items():
        v = np.asarray(v)
        arrays[f"proj/{k}"] = v if v.flags.c_contiguous else v.copy()
    pairs = space._pairs
    d_out, d_in = space.shape
    arrays["pairs_out"] = np.stack([a for a, _ in pairs]) if pairs else np.zeros((0, d_out, d_out))
    arrays["pairs_in"] = np.stack([b for _, b in pairs]) if pairs else np.zeros((0, d_in, d_in))
    if space._conj is not None:
        for name, m in zip(("S_out", "S_out_inv", "S_in", "S_in_inv"), space._conj, strict=True):
            arrays[f"conj/{name}"] = np.ascontiguousarray(m)
    exact_meta: Any = None
    ex = space._exact
    if ex is not None:
        if ex.sympy_basis is not None:
            exact_meta = {"kind": "algebraic", "domain": ex.domain,
                          "entries": [[str(x) for x in m] for m in ex.sympy_basis]}
        else:
            Sx = ex.S.tocsr()
            arrays["exact/S_indptr"] = Sx.indptr.astype(np.int64)
            arrays["exact/S_indices"] = Sx.indices.astype(np.int64)
            arrays["exact/S_data"] = Sx.data.astype(np.int64)
            exact_meta = {"kind": "rational", "domain": ex.domain, "S_shape": list(Sx.shape)}
            if ex._num is not None:
                exact_meta["num"] = [[str(int(x)) for x in row] for row in ex.num]
                exact_meta["den"] = [str(int(x)) for x in ex.den]
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": reptheory.__version__,
        "shape": list(space.shape),
        "dim": space.dim,
        "method": space.method,
        "reason": space.reason,
        "structured_kind": S.kind,
        "projector_kind": space.projector_kind,
        "dtype": str(arrays["proj/basis"].dtype) if "proj/basis" in arrays else "float64",
        "exact": exact_meta,
        "info": _jsonable(space.info),
        **_jsonable(space.meta),
        **(_jsonable(extra_meta) if extra_meta else {}),
    }
    meta["library_version"] = reptheory.__version__
    meta["sha256"] = {k: _digest(v) for k, v in arrays.items()}
    arrays["__meta__"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _read(path: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    if not os.path.exists(path):
        raise InvalidArgumentError(f"no such file: {path!r}")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        with np.load(_io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except FileIntegrityError:
        raise
    except Exception as exc:
        raise FileIntegrityError(f"{path!r} is not a readable reptheory file (truncated or corrupt: "
                                 f"{type(exc).__name__}: {exc})") from None
    if "__meta__" not in arrays:
        raise FileIntegrityError(f"{path!r} has no metadata (__meta__); not a reptheory file")
    try:
        meta = json.loads(arrays.pop("__meta__").tobytes().decode("utf-8"))
    except Exception:
        raise FileIntegrityError(f"{path!r}: metadata is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise FileIntegrityError(f"{path!r}: unknown format {meta.get('format') if isinstance(meta, dict) else meta!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise FileIntegrityError(f"{path!r}: unsupported format version {meta.get('format_version')!r}")
    sums = meta.get("sha256", {})
    if set(sums) != set(arrays):
        raise FileIntegrityError(f"{path!r}: arrays {sorted(arrays)} do not match the metadata {sorted(sums)}")
    for k, v in arrays.items():
        if _digest(v) != sums[k]:
            raise FileIntegrityError(f"{path!r}: checksum mismatch for array {k!r} (file was modified)")
    return meta, arrays


def _parse_algebraic(s: str) -> Any:
    import sympy

    words = set(re.findall(r"[A-Za-z_]+", s))
    if not _SAFE_ALGEBRAIC.match(s) or not words <= _ALLOWED_WORDS:
        raise FileIntegrityError(f"unsafe or invalid exact entry {s[:40]!r}")
    return sympy.sympify(s, rational=True)


def load_space(path: Any, *, rho_in: Any = None, rho_out: Any = None, check: bool = True) -> Any:
    """Read a file written by [`save_space`][reptheory.io.save_space] and verify it (see the module docstring).

    Raises
    ------
    FileIntegrityError
        Truncated, tampered or inconsistent file.
    InvalidArgumentError
        The path does not exist.
    """
    import scipy.sparse as sp

    from reptheory.hom.projectors import projector_from_arrays
    from reptheory.hom.space import IntertwinerSpace, _ExactData

    path = os.fspath(path)
    meta, arrays = _read(path)
    try:
        shape = (int(meta["shape"][0]), int(meta["shape"][1]))
        dim = int(meta["dim"])
        proj_arrays = {k[5:]: v for k, v in arrays.items() if k.startswith("proj/")}
        structured = projector_from_arrays(str(meta["structured_kind"]), proj_arrays)
        pairs_out, pairs_in = arrays["pairs_out"], arrays["pairs_in"]
        conj = None
        if "conj/S_out" in arrays:
            conj = tuple(arrays[f"conj/{n}"] for n in ("S_out", "S_out_inv", "S_in", "S_in_inv"))
        exd = None
        ex = meta.get("exact")
        if ex is not None:
            if ex["kind"] == "rational":
                S = sp.csr_matrix((arrays["exact/S_data"], arrays["exact/S_indices"], arrays["exact/S_indptr"]),
                                  shape=tuple(ex["S_shape"]))
                num = den = None
                if "num" in ex:
                    num = np.array([[int(x) for x in row] for row in ex["num"]], dtype=object).reshape(S.shape[1], -1)
                    den = np.array([int(x) for x in ex["den"]], dtype=object)
                exd = _ExactData(S=S, num=num, den=den, domain=ex.get("domain", "QQ"))
            else:
                import sympy

                mats = tuple(sympy.ImmutableMatrix(shape[0], shape[1], [_parse_algebraic(s) for s in m])
                             for m in ex["entries"])
                exd = _ExactData(sympy_basis=mats, domain=ex.get("domain", "algebraic"))
    except FileIntegrityError:
        raise
    except Exception as exc:
        raise FileIntegrityError(f"{path!r}: inconsistent contents ({type(exc).__name__}: {exc})") from None
    if structured.shape != shape or structured.dim != dim:
        raise FileIntegrityError(f"{path!r}: projector of shape {structured.shape} and dim {structured.dim} does not "
                                 f"match the metadata ({shape}, dim {dim})")
    if pairs_out.shape[1:] != (shape[0], shape[0]) or pairs_in.shape[1:] != (shape[1], shape[1]) or \
            pairs_out.shape[0] != pairs_in.shape[0]:
        raise FileIntegrityError(f"{path!r}: constraint arrays have shapes {pairs_out.shape}, {pairs_in.shape}")
    if exd is not None and exd.k != dim:
        raise FileIntegrityError(f"{path!r}: exact basis has {exd.k} elements, expected {dim}")
    if rho_in is not None and rho_out is not None:
        if meta.get("rho_in_key") != rho_in.key or meta.get("rho_out_key") != rho_out.key:
            raise FileIntegrityError(f"{path!r} was computed for other representations")
    info = dict(meta.get("info", {}))
    keep = ("group", "group_key", "rho_in", "rho_out", "rho_in_key", "rho_out_key", "library_version", "cache_key")
    space = IntertwinerSpace(
        shape=shape, dim=dim, method=str(meta["method"]), reason=str(meta.get("reason", "")),
        pairs=list(zip(pairs_out, pairs_in, strict=True)), structured=structured, conj=conj,  # type: ignore[arg-type]
        exact_data=exd, info=info, meta={k: meta[k] for k in keep if k in meta}, rho_in=rho_in, rho_out=rho_out,
    )
    if check:
        _check_space(space, path)
    return space


def _check_space(space: Any, path: str) -> None:
    from reptheory._numerics.tolerance import tolerance

    if space.dim == 0:
        return
    rng = np.random.default_rng(0)
    W = rng.standard_normal((2, *space.shape))
    PW = space.project(W)
    tol = tolerance().rtol
    scale = max(1.0, float(np.linalg.norm(PW)))
    if float(np.linalg.norm(space.project(PW) - PW)) > 1e3 * tol * scale:
        raise FileIntegrityError(f"{path!r}: the stored projector is not idempotent (P^2 != P)")
    eb = space.error_bound
    if eb["residual"] > 1e3 * tol:
        raise FileIntegrityError(f"{path!r}: the stored projector does not map into the intertwiners "
                                 f"(relative generator residual {eb['residual']:.2e})")
    if float(np.linalg.norm(PW)) < 1e-12 * float(np.linalg.norm(W)):
        raise FileIntegrityError(f"{path!r}: the stored projector of rank {space.dim} maps random matrices to 0")


def load(path: Any) -> Any:
    """Load and verify an intertwiner space saved with ``space.save(path)``.

    The checksums of the arrays, their shapes, ``P² = P`` and the generator residual are
    verified before the space is returned.

    Raises
    ------
    FileIntegrityError
        Truncated, tampered or inconsistent file.

    Examples
    --------
    >>> import tempfile, os
    >>> from reptheory import groups, Representation, commutant, load
    >>> space = commutant(Representation.regular(groups.dihedral(3)))
    >>> path = os.path.join(tempfile.mkdtemp(), "d3.npz")
    >>> space.save(path)
    >>> load(path).dim
    6
    """
    return load_space(path)


def verify_file(path: Any) -> dict[str, Any]:
    """Verify a saved file and return a summary (dim, shape, method, checks passed, metadata).

    Raises
    ------
    FileIntegrityError
        As [`load`][reptheory.io.load].
    """
    space = load_space(path, check=True)
    eb = space.error_bound
    return {
        "ok": True,
        "dim": space.dim,
        "shape": list(space.shape),
        "method": space.method,
        "exact": space.exact,
        "projector_kind": space.projector_kind,
        "group": space.meta.get("group"),
        "rho_in": space.meta.get("rho_in"),
        "rho_out": space.meta.get("rho_out"),
        "library_version": space.meta.get("library_version"),
        "residual": eb["residual"],
        "idempotence": eb["idempotence"],
    }
