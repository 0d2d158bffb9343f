"""Saving and loading intertwiner spaces: ``.npz`` without pickle, JSON metadata, digests, signatures.

File format (``format = "reptheory-intertwiners"``, ``format_version = 2``; version 1 is still read):
one ``.npz`` archive,
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

Version 2 adds ``meta_sha256``, the sha256 of the canonical JSON of all other metadata (which
includes the array checksums), so editing ``group``, a representation key or the exact basis is
detected; and, when a key is given (argument ``key`` or environment variable ``REPTHEORY_KEY``),
``hmac``: HMAC-SHA256 of the same bytes.  A checksum only detects accidents: anyone can recompute
it.  Only the signature (authenticity) or a verification against *your* representations
(correctness) defends against a forged file:

* ``load(path)`` checks integrity (limits, checksums, digest, signature if a key is set), the shapes,
  ``P² = P`` and that ``P`` maps into the space of the file's own constraints;
* ``load(path, rho_in=ρ, rho_out=σ)`` replaces the file's constraints by those of ``ρ`` and ``σ`` and
  checks that every basis element intertwines their generators (exactly, for an exact basis of exact
  representations), that the basis has full rank, that ``dim`` equals the character formula
  ``⟨χ_ρ, χ_σ⟩`` where one is available, and that ``P`` is an idempotent onto that space.

Reading refuses non-regular files (FIFOs, devices), files over the ``max_file_bytes`` limit
(compressed or uncompressed: no zip bombs), archives with more than ``max_file_members`` arrays, and
exact entries over the expression limits; exact entries are parsed by a bounded parser (integers,
``+ - * /``, small powers, ``sqrt``, ``I``, ``Rational``), never by ``eval``/``sympify``.  Writing is
atomic (temporary file ``.reptheory-tmp-*``, then ``os.replace``); temporary files left by killed
writers are removed after an hour.  See ``docs/explanation/guarantees.md``.

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
>>> R = Representation.regular(groups.cyclic(5))
>>> load(path, rho_in=R, rho_out=R).dim
5
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import io as _io
import json
import math
import os
import stat
import tempfile
import time
import zipfile
from typing import Any

import numpy as np

from reptheory._numerics.limits import check_limit, current_limits
from reptheory.errors import (
    FileIntegrityError,
    GroupMismatchError,
    InvalidArgumentError,
    TooLargeError,
)

__all__ = ["save_space", "load_space", "load", "verify_file", "FORMAT", "FORMAT_VERSION", "KEY_ENV_VAR"]

FORMAT = "reptheory-intertwiners"
FORMAT_VERSION = 2
#: Versions that [`load`][reptheory.io.load] still reads.
READABLE_VERSIONS = (1, 2)
#: Environment variable holding the signing key (used when no ``key`` argument is given).
KEY_ENV_VAR = "REPTHEORY_KEY"
_TMP_PREFIX = ".reptheory-tmp-"
#: Temporary files older than this (seconds) are from killed writers and are removed.
_STALE_SECONDS = 3600.0


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


def save_space(space: Any, path: Any, *, extra_meta: dict[str, Any] | None = None, key: Any = None) -> None:
    """Write ``space`` (an [`IntertwinerSpace`][reptheory.hom.space.IntertwinerSpace]) to ``path`` atomically.

    ``key`` (str or bytes; default: the environment variable ``REPTHEORY_KEY``) adds an
    HMAC-SHA256 signature over the metadata, which covers every array's checksum.

    Raises
    ------
    InvalidArgumentError
        ``path`` is not a path, or its directory does not exist.
    """
    import reptheory

    path = _check_path(path)
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(directory):
        raise InvalidArgumentError(f"path {path!r}: directory {directory!r} does not exist")
    secret = _resolve_key(key)
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
    meta["meta_sha256"] = _meta_digest(meta)
    if secret is not None:
        meta["hmac"] = _sign(secret, meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    _clean_stale(directory)
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".npz", dir=directory)
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


def _clean_stale(directory: str) -> None:
    """Remove temporary files of writers killed more than an hour ago (never raises)."""
    try:
        now = time.time()
        with os.scandir(directory) as it:
            for entry in it:
                if entry.name.startswith(_TMP_PREFIX) and entry.name.endswith(".npz"):
                    try:
                        if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > _STALE_SECONDS:
                            os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_path(path: Any, argname: str = "path") -> str:
    if isinstance(path, bool) or not isinstance(path, (str, bytes, os.PathLike)):
        raise InvalidArgumentError(f"{argname} must be a str or os.PathLike, got {type(path).__name__} {path!r:.60}")
    p = os.fspath(path)
    return p.decode() if isinstance(p, bytes) else p


def _resolve_key(key: Any) -> bytes | None:
    if key is None:
        env = os.environ.get(KEY_ENV_VAR)
        return env.encode("utf-8") if env else None
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)) or not key:
        raise InvalidArgumentError(f"key must be a non-empty str or bytes, got {type(key).__name__}")
    return bytes(key)


def _canonical(meta: dict[str, Any]) -> bytes:
    body = {k: v for k, v in meta.items() if k not in ("meta_sha256", "hmac")}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _meta_digest(meta: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(meta)).hexdigest()


def _sign(secret: bytes, meta: dict[str, Any]) -> str:
    return hmac.new(secret, _canonical(meta), hashlib.sha256).hexdigest()


def _read_bytes(path: str) -> bytes:
    """The file's bytes, refusing missing, non-regular and oversized files (before reading them)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InvalidArgumentError(f"path {path!r}: no such file") from None
    except OSError as exc:
        raise InvalidArgumentError(f"path {path!r}: cannot access ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InvalidArgumentError(f"path {path!r} is not a regular file (a FIFO, device or directory is refused)")
    check_limit("max_file_bytes", st.st_size, f"file {path!r}: bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InvalidArgumentError(f"path {path!r}: cannot open ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced between stat and open
            raise InvalidArgumentError(f"path {path!r} is not a regular file")
        # at most the size seen by stat (+1 to notice growth), never the limit: read(n) preallocates n bytes
        data = fh.read(min(st.st_size, current_limits().max_file_bytes) + 1)
    check_limit("max_file_bytes", len(data), f"file {path!r}: bytes")
    return data


def _read(path: str, secret: bytes | None) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    data = _read_bytes(path)
    lim = current_limits()
    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:
        raise FileIntegrityError(f"{path!r} is not a readable reptheory file (truncated or corrupt: "
                                 f"{type(exc).__name__}: {exc})") from None
    check_limit("max_file_members", len(infos), f"file {path!r}: archive members")
    total = sum(int(i.file_size) for i in infos)
    check_limit("max_file_bytes", total, f"file {path!r}: uncompressed bytes")
    del lim
    try:
        with np.load(_io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except TooLargeError:
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
    version = meta.get("format_version")
    if version not in READABLE_VERSIONS:
        raise FileIntegrityError(f"{path!r}: unsupported format version {version!r}")
    sums = meta.get("sha256", {})
    if not isinstance(sums, dict) or set(sums) != set(arrays):
        raise FileIntegrityError(f"{path!r}: arrays {sorted(arrays)} do not match the metadata")
    for k, v in arrays.items():
        if _digest(v) != sums[k]:
            raise FileIntegrityError(f"{path!r}: checksum mismatch for array {k!r} (file was modified)")
    if version >= 2 and meta.get("meta_sha256") != _meta_digest(meta):
        raise FileIntegrityError(f"{path!r}: metadata digest mismatch (metadata was modified)")
    if secret is not None:
        sig = meta.get("hmac")
        if not isinstance(sig, str):
            raise FileIntegrityError(f"{path!r} is not signed, but a key was given (argument or {KEY_ENV_VAR})")
        if not hmac.compare_digest(sig, _sign(secret, meta)):
            raise FileIntegrityError(f"{path!r}: signature mismatch (wrong key, or the file was forged)")
    meta["_signed"] = secret is not None
    return meta, arrays


# ----------------------------------------------------------- bounded exact-entry parser
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_FUNCS = {"sqrt", "Rational", "Integer"}
_MAX_INT_DIGITS = 2000
_MAX_EXPONENT = 64


def _parse_algebraic(s: str) -> Any:
    """A sympy number from an entry string, built node by node with bounded sizes (never ``eval``).

    Grammar: integers (at most 2000 digits), ``I``, ``+ - * /``, ``**`` with an exponent that
    is an integer or a fraction of integers of absolute value <= 64, ``sqrt(x)``,
    ``Rational(p, q)``, ``Integer(n)``; results must be finite.
    """
    import sympy

    if not isinstance(s, str):
        raise FileIntegrityError(f"exact entry must be a string, got {type(s).__name__}")
    check_limit("max_expr_chars", len(s), "exact entry: characters")
    try:
        tree = ast.parse(s.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FileIntegrityError(f"invalid exact entry {s[:40]!r}") from None
    max_depth = current_limits().max_expr_depth
    count = [0]

    def small_rational(node: ast.AST) -> Any:
        v = build(node, 0)
        if not (v.is_Rational and abs(v.p) <= _MAX_EXPONENT and abs(v.q) <= _MAX_EXPONENT):
            raise FileIntegrityError(f"exact entry {s[:40]!r}: exponent {str(v)[:20]} is not a small rational")
        return v

    def build(node: ast.AST, depth: int) -> Any:
        count[0] += 1
        if depth > max_depth or count[0] > 10 * max_depth:
            raise FileIntegrityError(f"exact entry {s[:40]!r} is too complex (depth or size)")
        if isinstance(node, ast.Expression):
            return build(node.body, depth + 1)
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            if len(str(abs(node.value))) > _MAX_INT_DIGITS:
                raise FileIntegrityError(f"exact entry {s[:40]!r}: integer too long")
            return sympy.Integer(node.value)
        if isinstance(node, ast.Name) and node.id == "I":
            return sympy.I
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = build(node.operand, depth + 1)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
            if isinstance(node.op, ast.Pow):
                base = build(node.left, depth + 1)
                return sympy.Pow(base, small_rational(node.right))
            a, b = build(node.left, depth + 1), build(node.right, depth + 1)
            if isinstance(node.op, ast.Div):
                if b == 0:
                    raise FileIntegrityError(f"exact entry {s[:40]!r} divides by zero")
                return a / b
            return a + b if isinstance(node.op, ast.Add) else a - b if isinstance(node.op, ast.Sub) else a * b
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS \
                and not node.keywords:
            args = [build(a, depth + 1) for a in node.args]
            if node.func.id == "sqrt" and len(args) == 1:
                return sympy.sqrt(args[0])
            if node.func.id == "Integer" and len(args) == 1 and args[0].is_Integer:
                return args[0]
            if node.func.id == "Rational" and len(args) == 2 and all(a.is_Integer for a in args) and args[1] != 0:
                return sympy.Rational(args[0], args[1])
        raise FileIntegrityError(f"unsafe or invalid exact entry {s[:40]!r}")

    value = build(tree, 0)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise FileIntegrityError(f"exact entry {s[:40]!r} is not a finite number")
    return value


def load_space(path: Any, *, rho_in: Any = None, rho_out: Any = None, check: bool = True, key: Any = None) -> Any:
    """Read a file written by [`save_space`][reptheory.io.save_space] and verify it (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
    rho_in, rho_out : Representation, optional
        The representations you expect; given together.  The file is then verified against them.
    check : bool
        Run the numerical checks (integrity checks always run).
    key : str or bytes, optional
        Signing key (default: ``REPTHEORY_KEY``); when set, the file must carry a valid signature.

    Raises
    ------
    FileIntegrityError
        Truncated, tampered, forged or inconsistent file, or one that does not fit the representations.
    InvalidArgumentError
        The path is not a path, does not exist or is not a regular file; arguments of the wrong type.
    TooLargeError
        The file exceeds a resource limit.
    """
    path = _check_path(path)
    secret = _resolve_key(key)
    _check_reps(rho_in, rho_out)
    meta, arrays = _read(path, secret)
    import scipy.sparse as sp

    from reptheory.hom.projectors import projector_from_arrays
    from reptheory.hom.space import _ExactData

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
                    check_limit("max_exact_entries", sum(len(r) for r in ex["num"]), f"{path!r}: exact entries")
                    num = np.array([[int(x) for x in row] for row in ex["num"]], dtype=object).reshape(S.shape[1], -1)
                    den = np.array([int(x) for x in ex["den"]], dtype=object)
                exd = _ExactData(S=S, num=num, den=den, domain=ex.get("domain", "QQ"))
            else:
                import sympy

                check_limit("max_exact_entries", sum(len(m) for m in ex["entries"]), f"{path!r}: exact entries")
                mats = tuple(sympy.ImmutableMatrix(shape[0], shape[1], [_parse_algebraic(s) for s in m])
                             for m in ex["entries"])
                exd = _ExactData(sympy_basis=mats, domain=ex.get("domain", "algebraic"))
    except (FileIntegrityError, TooLargeError):
        raise
    except Exception as exc:
        raise FileIntegrityError(f"{path!r}: inconsistent contents ({type(exc).__name__}: {exc})") from None
    if structured.shape != shape or structured.dim != dim:
        raise FileIntegrityError(f"{path!r}: projector of shape {structured.shape} and dim {structured.dim} does not "
                                 f"match the metadata ({shape}, dim {dim})")
    if pairs_out.ndim != 3 or pairs_in.ndim != 3 or pairs_out.shape[1:] != (shape[0], shape[0]) or \
            pairs_in.shape[1:] != (shape[1], shape[1]) or pairs_out.shape[0] != pairs_in.shape[0]:
        raise FileIntegrityError(f"{path!r}: constraint arrays have shapes {pairs_out.shape}, {pairs_in.shape}")
    if exd is not None and exd.k != dim:
        raise FileIntegrityError(f"{path!r}: exact basis has {exd.k} elements, expected {dim}")
    pairs = list(zip(pairs_out, pairs_in, strict=True))
    against = rho_in is not None
    if against:
        from reptheory.hom._routes import _constraint_pairs

        if shape != (rho_out.dim, rho_in.dim):
            raise FileIntegrityError(f"{path!r} holds maps of shape {shape}, but rho_out, rho_in have dimensions "
                                     f"({rho_out.dim}, {rho_in.dim})")
        pairs = _constraint_pairs(rho_in, rho_out)  # never trust the file's constraints
    info = dict(meta.get("info", {}))
    info["verified_against"] = "representations" if against else "file"
    info["signed"] = bool(meta.get("_signed"))
    keep = ("group", "group_key", "rho_in", "rho_out", "rho_in_key", "rho_out_key", "library_version", "cache_key",
            "format_version")
    from reptheory.hom.space import IntertwinerSpace

    space = IntertwinerSpace(
        shape=shape, dim=dim, method=str(meta["method"]), reason=str(meta.get("reason", "")),
        pairs=pairs, structured=structured, conj=conj,  # type: ignore[arg-type]
        exact_data=exd, info=info, meta={k: meta[k] for k in keep if k in meta}, rho_in=rho_in, rho_out=rho_out,
    )
    if check or against:
        _check_space(space, path)
    if against:
        _check_against(space, path, rho_in, rho_out)
    return space


def _check_reps(rho_in: Any, rho_out: Any) -> None:
    if rho_in is None and rho_out is None:
        return
    from reptheory.reps.representation import Representation

    for name, r in (("rho_in", rho_in), ("rho_out", rho_out)):
        if not isinstance(r, Representation):
            raise InvalidArgumentError(f"{name} must be a Representation (give rho_in and rho_out together), "
                                       f"got {type(r).__name__}")
    if rho_in.group != rho_out.group:
        raise GroupMismatchError(f"rho_in and rho_out are representations of different groups "
                                 f"({rho_in.group.name} and {rho_out.group.name})")


def _check_space(space: Any, path: str) -> None:
    from reptheory._numerics.tolerance import tolerance

    if space.dim == 0:
        return
    rng = np.random.default_rng(0)
    n = space.shape[0] * space.shape[1]
    rank_check = (space.dim + 2) * n * 8 <= 64 << 20  # the rank of P from dim + 2 samples, when cheap
    W = rng.standard_normal((space.dim + 2 if rank_check else 2, *space.shape))
    PW = space.project(W)
    if not np.all(np.isfinite(PW)):
        raise FileIntegrityError(f"{path!r}: the stored projector produces non-finite values")
    tol = tolerance().rtol
    scale = max(1.0, float(np.linalg.norm(PW)))
    if float(np.linalg.norm(space.project(PW) - PW)) > 1e3 * tol * scale:
        raise FileIntegrityError(f"{path!r}: the stored projector is not idempotent (P^2 != P)")
    eb = space.error_bound
    if not eb["residual"] <= 1e3 * tol:
        raise FileIntegrityError(f"{path!r}: the stored projector does not map into the intertwiners "
                                 f"(relative generator residual {eb['residual']:.2e})")
    if not rank_check:
        return
    sv = np.linalg.svd(PW.reshape(PW.shape[0], -1), compute_uv=False)
    rank = int(np.sum(sv > 1e-8 * max(1.0, float(sv[0]))))
    if rank != space.dim:
        raise FileIntegrityError(f"{path!r}: the stored projector has rank {rank}, but the file claims dim {space.dim}")


def _check_against(space: Any, path: str, rho_in: Any, rho_out: Any) -> None:
    """Verify the space against the user's representations: character dimension, basis, exact basis."""
    from reptheory._numerics.linalg import generator_residual
    from reptheory._numerics.tolerance import tolerance

    expected = _character_dimension(rho_in, rho_out)
    if expected is not None and expected != space.dim:
        raise FileIntegrityError(f"{path!r} claims dim {space.dim}, but the character formula gives "
                                 f"dim Hom({rho_in.name}, {rho_out.name}) = {expected}")
    n = space.shape[0] * space.shape[1]
    if space.dim and space.dim * n <= 1 << 24:  # materialising the basis costs at most 128 MiB
        B = space.basis
        pairs = space.generator_pairs
        scale = max(1.0, max((float(np.linalg.norm(a)) + float(np.linalg.norm(b)) for a, b in pairs), default=1.0))
        res = float(np.max(generator_residual(pairs, B), initial=0.0)) / scale
        if not res <= 1e3 * tolerance().rtol:
            raise FileIntegrityError(f"{path!r}: a basis element does not intertwine the generators of "
                                     f"{rho_in.name} and {rho_out.name} (relative residual {res:.2e})")
    if space._exact is not None:
        _check_exact_basis(space, path, rho_in, rho_out)


def _character_dimension(rho_in: Any, rho_out: Any) -> int | None:
    from reptheory.errors import ReptheoryError
    from reptheory.groups.finite import FiniteGroup

    if rho_in.is_complex or rho_out.is_complex:
        return None
    try:
        if isinstance(rho_in.group, FiniteGroup):
            from reptheory.characters.finite import hom_dimension

            return int(hom_dimension(rho_in, rho_out))
        from reptheory.characters.lie import hom_dimension as lie_hom_dimension

        return int(lie_hom_dimension(rho_in, rho_out))
    except ReptheoryError:  # no exact character rule (or too large): the basis checks still apply
        return None


def _check_exact_basis(space: Any, path: str, rho_in: Any, rho_out: Any) -> None:
    import sympy

    from reptheory.errors import ExactnessError

    n = space.shape[0] * space.shape[1]
    if space.dim * n > current_limits().max_exact_entries:
        return  # too large to check exactly; the float basis was checked above
    mats = space.basis_exact
    try:
        pairs = [(rho_out.exact_images, rho_in.exact_images), (rho_out.exact_algebra, rho_in.exact_algebra)]
    except ExactnessError:
        pairs = []
    exact_pairs = []
    for outs, ins in pairs:
        if outs is not None and ins is not None:
            exact_pairs += [(sympy.Matrix(a), sympy.Matrix(b)) for a, b in zip(outs, ins, strict=True)]
    flat = np.array([[complex(x) for x in m] for m in mats]).reshape(space.dim, -1) if mats else np.zeros((0, n))
    if np.linalg.matrix_rank(flat) != space.dim:
        raise FileIntegrityError(f"{path!r}: the exact basis is linearly dependent")
    if exact_pairs:
        for i, M in enumerate(mats):
            M = sympy.Matrix(M)
            for A, B in exact_pairs:
                if not (A * M - M * B).applyfunc(sympy.simplify).is_zero_matrix:
                    raise FileIntegrityError(f"{path!r}: exact basis element {i} does not intertwine the exact "
                                             f"generators of {rho_in.name} and {rho_out.name}")
    else:
        from reptheory._numerics.linalg import generator_residual
        from reptheory._numerics.tolerance import tolerance

        B = flat.reshape(space.dim, *space.shape)
        res = float(np.max(generator_residual(space.generator_pairs, B), initial=0.0))
        if not res <= 1e3 * tolerance().rtol * max(1.0, float(np.abs(B).max(initial=0.0))):
            raise FileIntegrityError(f"{path!r}: the exact basis does not intertwine the generators")


def load(path: Any, rho_in: Any = None, rho_out: Any = None, *, key: Any = None) -> Any:
    """Load and verify an intertwiner space saved with ``space.save(path)``.

    Without representations, integrity is verified (limits, checksums, metadata digest,
    signature when a key is set), with the shapes, ``P² = P`` and the residual against the
    file's own constraints.  With ``rho_in`` and ``rho_out``, the file is verified against
    *them*: every basis element intertwines their generators (exactly for exact bases), the
    projector is an idempotent of rank ``dim`` onto that space, and ``dim`` equals the
    character formula where one is available.  Format versions 1 and 2 are read.

    Parameters
    ----------
    path : str or os.PathLike
    rho_in, rho_out : Representation, optional
    key : str or bytes, optional
        HMAC key; default the environment variable ``REPTHEORY_KEY``.  When a key is set,
        unsigned or wrongly signed files are refused.

    Raises
    ------
    FileIntegrityError
        Truncated, tampered, forged or inconsistent file.
    InvalidArgumentError
        ``path`` missing, not a path, or not a regular file.
    TooLargeError
        The file exceeds ``max_file_bytes`` or ``max_file_members``.

    Examples
    --------
    >>> import tempfile, os
    >>> from reptheory import groups, Representation, commutant, load
    >>> R = Representation.regular(groups.dihedral(3))
    >>> space = commutant(R)
    >>> path = os.path.join(tempfile.mkdtemp(), "d3.npz")
    >>> space.save(path)
    >>> load(path).dim
    6
    >>> load(path, rho_in=R, rho_out=R).info["verified_against"]
    'representations'
    """
    return load_space(path, rho_in=rho_in, rho_out=rho_out, key=key)


def verify_file(path: Any, rho_in: Any = None, rho_out: Any = None, *, key: Any = None) -> dict[str, Any]:
    """Verify a saved file (as [`load`][reptheory.io.load]) and return a summary (dim, shape, method, checks, metadata).

    Raises
    ------
    FileIntegrityError
        As [`load`][reptheory.io.load].
    """
    space = load_space(path, rho_in=rho_in, rho_out=rho_out, check=True, key=key)
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
        "format_version": space.meta.get("format_version"),
        "verified_against": space.info["verified_against"],
        "signed": space.info["signed"],
        "residual": eb["residual"],
        "idempotence": eb["idempotence"],
    }
