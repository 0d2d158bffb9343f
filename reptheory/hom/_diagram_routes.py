"""The diagram routes of [`reptheory.hom.space.intertwiners`][reptheory.hom.space.intertwiners] (docs/explanation/routes.md#diagram-method).

Private. One tensor power ``V^{⊗k} → V^{⊗l}`` of the defining representation (O(n), SO(n), Sp(n);
mixed words in ``V`` and ``V*`` for U(n)/SU(n)) gets a [`DiagramProjector`][reptheory.hom.projectors.DiagramProjector];
direct sums of tensor, symmetric and exterior powers with multiplicities get a
[`DiagramSumProjector`][reptheory.hom.diagram_sums.DiagramSumProjector] (`reptheory.hom.diagram_sums`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from reptheory._numerics.tolerance import tolerance
from reptheory.errors import TooLargeError
from reptheory.hom import diagrams as _diagrams
from reptheory.hom._routes import _constraint_pairs, _meta
from reptheory.hom.space import MAX_BASIS_ENTRIES, IntertwinerSpace, _ExactData


@functools.lru_cache(maxsize=64)
def _defining(G: Any) -> Any:
    """``G.defining_representation(exact=False)``, built once per group."""
    return G.defining_representation(exact=False)


@functools.lru_cache(maxsize=256)
def _degree(rep: Any, V: Any) -> int | None:
    """`reptheory.hom.diagrams.tensor_power_degree`, cached by the (immutable, hashable) representations."""
    from reptheory.hom.diagrams import tensor_power_degree

    return tensor_power_degree(rep, V)


def route_diagram(rho_in: Any, rho_out: Any, exact: bool) -> IntertwinerSpace | None:
    """Tensor powers of the defining representation (one power, or direct sums of powers with multiplicities)."""
    space = _route_diagram_power(rho_in, rho_out, exact)
    if space is None:
        space = _route_diagram_sum(rho_in, rho_out, exact)
    return space


def _route_diagram_power(rho_in: Any, rho_out: Any, exact: bool) -> IntertwinerSpace | None:
    """O(n)/SO(n)/Sp on tensor powers of the defining representation: an exact basis of diagrams (no solver)."""
    from reptheory.hom.diagrams import count_diagrams, diagram_span, symplectic_diagram_span

    G = rho_in.group
    if getattr(G, "kind", None) in ("U", "SU", "SU2"):
        return _route_unitary_diagram(rho_in, rho_out)
    found = _power_params(rho_in, rho_out)
    if found is None:
        return None
    n, k, l, kind = found
    try:
        if kind == "Sp":
            span = symplectic_diagram_span(n // 2, k, l)
            return _diagram_space(rho_in, rho_out, span, f"{G.name} on V^{k} -> V^{l} (symplectic form J)",
                                  int(span.D.nnz))
        span = diagram_span(n, k, l, kind)
    except TooLargeError:
        return None
    return _diagram_space(rho_in, rho_out, span, f"{kind}({n}) on V^{k} -> V^{l}", count_diagrams(n, k, l, kind)[1])


def _power_params(rho_in: Any, rho_out: Any) -> tuple[int, int, int, str] | None:
    """``(dim V, k, l, kind)`` when ``rho_in = V^{⊗k}``, ``rho_out = V^{⊗l}`` for O(n), SO(n) or Sp, else None."""
    G = rho_in.group
    kind = getattr(G, "kind", None)
    params = tuple(getattr(G, "params", ()))
    if kind not in ("O", "SO", "Sp") or len(params) != 1 or (kind != "Sp" and params[0] < 2):
        return None
    if kind != "Sp" and (rho_in.is_complex or rho_out.is_complex):
        return None
    V = _defining(G)
    k = _degree(rho_in, V)
    l = _degree(rho_out, V) if k is not None else None
    if k is None or l is None:
        return None
    return V.dim, k, l, str(kind)


def route_diagram_span(rho_in: Any, rho_out: Any) -> IntertwinerSpace | None:
    """Too many diagrams for an exact basis: the CGLS projector onto the span of all of them (numeric only).

    [`DiagramSpanProjector`][reptheory.hom.diagram_span.DiagramSpanProjector]; its dimension comes
    from Schur–Weyl duality. None when the representations are not tensor powers of the defining
    representation, when the exact route applies, or when ``D`` would exceed `MAX_SPAN_NNZ`.
    """
    from reptheory.hom.diagram_span import MAX_SPAN_NNZ, diagram_span_projector, span_counts

    found = _power_params(rho_in, rho_out)
    if found is None:
        return None
    n, k, l, kind = found
    m, nnz = span_counts(n, k, l, kind)
    if m <= _diagrams.MAX_DIAGRAMS or nnz > MAX_SPAN_NNZ:
        return None
    P = diagram_span_projector(n, k, l, kind)
    shape = (rho_out.dim, rho_in.dim)
    pairs = _constraint_pairs(rho_in, rho_out)
    if P.dim and not _combination_net_ok(P.D, pairs, shape):
        return None
    G = rho_in.group
    what = "symplectic Brauer" if kind == "Sp" else ("Brauer and ε-" if m > _diagrams.count_diagrams(n, k, l, "O")[0] else "Brauer")
    return IntertwinerSpace(
        shape=shape, dim=P.dim, method="diagram",
        reason=f"{G.name} on V^{k} -> V^{l}: {m} {what} diagrams (more than {_diagrams.MAX_DIAGRAMS}: no basis chosen), "
               f"projector onto their span by conjugate gradients, dimension {P.dim} by Schur-Weyl duality",
        pairs=pairs, structured=P,  # type: ignore[arg-type]
        info={"diagrams": m, "nnz": nnz, "form": "span"},
        meta=_meta(rho_in, rho_out), rho_in=rho_in, rho_out=rho_out,
    )


def _route_unitary_diagram(rho_in: Any, rho_out: Any) -> IntertwinerSpace | None:
    """U(n)/SU(n) on mixed tensors of V and V*: walled Brauer (and ε) diagrams."""
    from reptheory.hom.diagrams import count_unitary_diagrams, mixed_signature, unitary_diagram_span

    G = rho_in.group
    V = _defining(G)
    n = V.dim
    si = mixed_signature(rho_in, V)
    so = mixed_signature(rho_out, V) if si is not None else None
    if si is None or so is None:
        return None
    special = G.kind != "U"
    m = count_unitary_diagrams(n, si, so, special)
    try:
        span = unitary_diagram_span(n, si, so, special)
    except TooLargeError:
        return None

    def word(sig: tuple[bool, ...]) -> str:
        return " ⊗ ".join("V*" if c else "V" for c in sig) or "trivial"

    return _diagram_space(rho_in, rho_out, span, f"{G.name} on {word(si)} -> {word(so)} (walled Brauer)", m or 0)


@functools.lru_cache(maxsize=256)
def _net_ok(span: Any, rho_in: Any, rho_out: Any) -> bool:
    """`_combination_net_ok` on the basis diagrams of ``span``, cached by the (cached, shared) span and the
    (immutable, hashable) representations."""
    return _combination_net_ok(span.D.astype(np.float64), _constraint_pairs(rho_in, rho_out), (rho_out.dim, rho_in.dim))


def _intertwines(W: np.ndarray, pairs: list[Any]) -> bool:
    """The safety net of the diagram routes: ``A W x = W B x`` for every constraint pair, on a random ``x`` (matvecs only)."""
    x = np.random.default_rng(1).standard_normal(W.shape[1])
    scale = max((float(np.linalg.norm(a)) + float(np.linalg.norm(b)) for a, b in pairs), default=1.0)
    res = max((float(np.linalg.norm(a @ (W @ x) - W @ (b @ x))) for a, b in pairs), default=0.0)
    return res <= 1e3 * tolerance().rtol * scale * float(np.linalg.norm(W)) * float(np.linalg.norm(x))


def _combination_net_ok(D: Any, pairs: list[Any], shape: tuple[int, int]) -> bool:
    """`_intertwines` on a random combination ``W = D c`` of the diagrams (the columns of ``D``)."""
    return _intertwines(np.asarray(D @ np.random.default_rng(0).standard_normal(D.shape[1])).reshape(shape), pairs)


def _projected_net_ok(P: Any, pairs: list[Any], shape: tuple[int, int]) -> bool:
    """`_intertwines` on ``P`` of a random ``W`` (the projector-only diagram routes)."""
    return _intertwines(P.apply(np.random.default_rng(0).standard_normal(shape)), pairs)


def _diagram_space(rho_in: Any, rho_out: Any, span: Any, what: str, nnz: int) -> IntertwinerSpace | None:
    from reptheory.hom.diagrams import count_diagrams
    from reptheory.hom.projectors import DiagramProjector

    n, k, l, kind, m = span.n, span.k, span.l, span.kind, span.n_diagrams
    shape = (rho_out.dim, rho_in.dim)
    P = DiagramProjector(shape, span.D, span.gram)
    pairs = _constraint_pairs(rho_in, rho_out)
    if span.dim and not _net_ok(span, rho_in, rho_out):
        return None
    has_eps = (kind == "SO" and m > count_diagrams(n, k, l, "O")[0]) or (
        kind == "SU" and any(lab.startswith("ε") for lab in span.labels))
    eps = " Brauer and ε-" if has_eps else " Brauer "
    return IntertwinerSpace(
        shape=shape, dim=span.dim, method="diagram",
        reason=f"{what}: {m}{eps}diagrams, {span.relations} linear relations "
               f"verified exactly, basis of {span.dim} integer diagrams (no solver)",
        pairs=pairs, structured=P, exact_data=_LazyIntegerBasis(lambda: span.D.astype(np.int64).tocsr(), span.dim),
        info={"diagrams": m, "relations": span.relations, "nnz": nnz, "basis_diagrams": span.labels},
        meta=_meta(rho_in, rho_out), rho_in=rho_in, rho_out=rho_out,
    )


#: Largest number of non-zeros of the integer basis of a direct-sum diagram space built when exact=False.
_SUM_EXACT_NNZ = 2**23


@functools.lru_cache(maxsize=256)
def _block_span(kind: str, n: int, key_in: Any, key_out: Any) -> Any:
    """The span of one block pair (cached: spans are immutable and shared between spaces)."""
    from reptheory.hom.diagram_sums import BlockSpan, block_span, key_degree
    from reptheory.hom.diagrams import diagram_span, symplectic_diagram_span, unitary_diagram_span

    if kind in ("U", "SU"):
        base = unitary_diagram_span(n, tuple(key_in), tuple(key_out), kind != "U")
        return BlockSpan(base.D.astype(np.int64).tocsc(), np.ones(base.D.shape[0], dtype=np.int64),
                         int(base.n_diagrams), base.shape)
    k, l = key_degree(key_in), key_degree(key_out)
    base = diagram_span(n, k, l, kind) if kind in ("O", "SO") else symplectic_diagram_span(n, k, l)
    return block_span(base, base.n, key_in, key_out)


def _layout_word(groups: dict[Any, np.ndarray], mixed: bool) -> str:
    def name(key: Any) -> str:
        if mixed:
            return "⊗".join("V*" if c else "V" for c in key) or "1"
        if isinstance(key, tuple):
            return f"{'Sym' if key[0] == 'S' else 'Ext'}^{key[1]}(V)"
        return "1" if key == 0 else ("V" if key == 1 else f"V^{key}")

    return " + ".join(f"{len(rows)}·{name(key)}" if len(rows) > 1 else name(key) for key, rows in groups.items())


def _route_diagram_sum(rho_in: Any, rho_out: Any, exact: bool) -> IntertwinerSpace | None:
    """Direct sums of tensor powers (with multiplicities, any order): block pairs of diagram spans.

    ``Hom_G(⊕ V^k ⊗ ℂ^{m_k}, ⊕ V^l ⊗ ℂ^{m'_l}) = ⊕ Hom_G(V^k, V^l) ⊗ ℂ^{m'_l × m_k}``
    (`reptheory.hom.diagram_sums`); the projector is a
    [`DiagramSumProjector`][reptheory.hom.diagram_sums.DiagramSumProjector].
    """
    from reptheory.hom.diagram_sums import DiagramBlock, DiagramSumProjector, group_layout, tensor_layout
    G = rho_in.group
    kind = getattr(G, "kind", None)
    params: tuple[Any, ...] = tuple(getattr(G, "params", ()))
    if kind in ("O", "SO"):
        if len(params) != 1 or params[0] < 2 or rho_in.is_complex or rho_out.is_complex:
            return None
        n, family = int(params[0]), "tensor"
    elif kind == "Sp" and len(params) == 1:
        n, family = int(params[0]), "tensor"
    elif kind in ("U", "SU", "SU2"):
        n, family = 0, "mixed"
    else:
        return None
    V = _defining(G)
    if family == "mixed":
        n = V.dim
        kind = "U" if kind == "U" else "SU"
    lin = tensor_layout(rho_in, family, V)
    lout = tensor_layout(rho_out, family, V) if lin is not None else None
    if lin is None or lout is None:
        return None
    gi, go = group_layout(lin), group_layout(lout)
    blocks, diagrams, relations, table, spans = [], 0, 0, [], []
    for lkey, rows in go.items():
        for kkey, cols in gi.items():
            try:
                span = _block_span(str(kind), n, kkey, lkey)
            except TooLargeError:
                return None
            diagrams += span.n_diagrams * len(rows) * len(cols)
            relations += span.relations * len(rows) * len(cols)
            if span.dim == 0:
                continue
            table.append((kkey, lkey, len(rows), len(cols), span.dim))
            spans.append(span)
            blocks.append(DiagramBlock(rows, cols, *span.D_and_gram()))
    shape = (rho_out.dim, rho_in.dim)
    P = DiagramSumProjector(shape, tuple(blocks))
    pairs = _constraint_pairs(rho_in, rho_out)
    if P.dim and not _projected_net_ok(P, pairs, shape):
        return None
    nnz = sum(b.m_out * b.m_in * int(b.D.nnz) for b in blocks)
    exd = None
    if exact or (nnz <= _SUM_EXACT_NNZ and P.integral):
        if nnz > MAX_BASIS_ENTRIES:
            raise TooLargeError(f"the exact basis of Hom({rho_in.name}, {rho_out.name}) has {nnz} non-zeros",
                                estimate=nnz, limit=MAX_BASIS_ENTRIES)
        exd = _LazyIntegerBasis(P.exact_columns, P.dim) if P.integral else _ExactData(
            sympy_basis=_power_basis_exact(P, spans), domain="QQ(sqrt)")
    mixed = family == "mixed"
    return IntertwinerSpace(
        shape=shape, dim=P.dim, method="diagram",
        reason=f"{G.name} on the tensor layouts {_layout_word(gi, mixed)} -> {_layout_word(go, mixed)}: "
               f"{len(blocks)} block pairs Hom(V^k, V^l) ⊗ ℂ^(m'×m) of {diagrams} diagrams in all, {relations} "
               f"linear relations verified exactly, dimension {P.dim} (no solver)",
        pairs=pairs, structured=P,  # type: ignore[arg-type]
        exact_data=exd,
        info={"diagrams": diagrams, "relations": relations, "nnz": nnz, "block_pairs": table,
              "layout_in": [(k, len(v)) for k, v in gi.items()], "layout_out": [(k, len(v)) for k, v in go.items()]},
        meta=_meta(rho_in, rho_out), rho_in=rho_in, rho_out=rho_out,
    )


class _LazyIntegerBasis(_ExactData):
    """An integer basis ``S`` (sparse, one column per basis element) built on first use."""

    def __init__(self, build: Any, k: int) -> None:
        self._build = build
        self._k = int(k)
        self._S: Any = None
        self._num = None
        self._den = None
        self.sympy_basis = None
        self.domain = "QQ"

    @property  # type: ignore[override]
    def S(self) -> Any:
        if self._S is None:
            self._S = self._build()
        return self._S

    @S.setter
    def S(self, value: Any) -> None:
        self._S = value

    @property
    def k(self) -> int:
        k = self._k
        assert k is not None
        return k


def _power_basis_exact(P: Any, spans: list[Any]) -> tuple[Any, ...]:
    """Exact basis of a diagram-sum space with power-basis blocks: entries ``N / sqrt(c_a c_b)`` (sympy)."""
    import sympy

    from reptheory.hom.space import MAX_EXACT_ENTRIES

    size = P.dim * P.shape[0] * P.shape[1]
    if size > MAX_EXACT_ENTRIES:
        raise TooLargeError(f"an exact basis of {P.dim} matrices of shape {P.shape} exceeds {MAX_EXACT_ENTRIES} entries",
                            estimate=size, limit=MAX_EXACT_ENTRIES)
    out = []
    for b, span in zip(P.blocks, spans, strict=True):
        N = span.N.tocsc()
        dk = b.shape[1]
        for ra in b.rows:
            for cb in b.cols:
                for u in range(b.e):
                    lo, hi = N.indptr[u], N.indptr[u + 1]
                    ents = {}
                    for p, v in zip(N.indices[lo:hi], N.data[lo:hi], strict=True):
                        ents[(int(ra[p // dk]), int(cb[p % dk]))] = sympy.Integer(int(v)) / sympy.sqrt(
                            sympy.Integer(int(span.weights[p])))
                    out.append(sympy.ImmutableSparseMatrix(P.shape[0], P.shape[1], ents))
    return tuple(out)
