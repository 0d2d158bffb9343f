"""Character tables, explicit irreps and decompositions of finite groups.

Cases
-----
* character tables of ``S_n`` (n = 5 … 8, catalogue permutation groups) and of
  Cayley-table groups up to order 2000 (direct and semidirect products passed
  through ``FiniteGroup.from_cayley_table`` after a random relabelling);
* real irreps of the same groups (closed forms or the regular-representation route);
* decomposition of ``k · regular`` of ``D_n`` under a random orthogonal change of
  basis (escnn decomposes these sizes: d = 24 / 48 / 96 for ``D_6``);
* issue 17, above the old 4096 cliff: classes + character table of ``D2500`` (order 5000,
  target ≤ 2 s) and irreps + decomposition of the regular representation of ``D1000``
  (order 2000, target ≤ 2 s), each on a freshly built group (nothing cached);
* symmetric groups by partitions: ``symmetric(n).character_table()`` for n = 12, 16, 20
  (Murnaghan–Nakayama, no enumeration; target ≤ 30 s for S20) and
  ``symmetric(12).irrep((7, 3, 2))`` (Young's orthogonal form, f = 1925; target ≤ 5 s);
* groups above the regular-representation limit given by permutations, ``A8`` (order
  20160) and ``PSL(2,31)`` (order 14,880): character table, decomposition of the
  permutation representation and ``commutant`` of its tensor square (target ≤ 10 s each),
  on a freshly built group; and all their irreps, ``G.irreps()``, from the character table
  (one cold call: wall and CPU seconds); the same two groups as ``PermutationGroup`` (never
  enumerated): Dixon–Schneider table, ``decompose`` of the permutation representation and
  ``commutant`` / ``decompose`` of its tensor square from the generators alone, and all their
  irreps ``G.irreps()`` (one cold call after the table) with ``Hom(V, V ⊗ V)`` by the isotypic route.
* exact irreps (``G.irreps(exact=True)``: over ℚ or the character field) of A5, PSL(2,7), C7,
  PSL(2,11), PSL(2,13), A8 and PSL(2,17), the five of degree 22 of PSL(2,23), one of its degree 24
  (quintic field) and M22's pair of degree 45 (a condensed source of degree 6160), one cold call after
  the table on a fresh group (``--only-exact``).

``first_s`` is one cold call in a fresh state (group data enumerated, tables and
irreps not cached); ``median_s`` the warm median of recomputations (the table
cache is bypassed by calling the uncached ``_compute``; decompositions are not
cached at all).

Run::

    OMP_NUM_THREADS=1 python benchmarks/bench_characters.py [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import _common
import numpy as np

from reptheory import FiniteGroup, Representation, groups
from reptheory.characters.table import _compute, character_table
from reptheory.decomposition.irreps.finite import _finite_irreps


def relabelled(G: FiniteGroup, seed: int = 0) -> FiniteGroup:
    t = G.table
    p = np.random.default_rng(seed).permutation(len(t))
    t2 = np.empty_like(t)
    t2[p[:, None], p[None, :]] = p[t]
    return FiniteGroup.from_cayley_table(t2, name=f"relabelled {G.name}")


def cyclic_action(n: int, k: int):  # type: ignore[no-untyped-def]
    """C_m acting on C_n by x -> k^h x."""
    return lambda h: [(pow(k, h, n) * x) % n for x in range(n)]


def table_groups(quick: bool) -> list[tuple[str, FiniteGroup]]:
    C, D, S = groups.cyclic, groups.dihedral, groups.symmetric
    out = [
        ("C10xC10xC20 (abelian, 2000)", lambda: groups.direct_product(C(10), C(10), C(20))),
        ("D1000 (2000)", lambda: D(1000)),
        ("C333xS3 (1998)", lambda: groups.direct_product(C(333), S(3))),
        ("Dic3xC160 (1920)", lambda: groups.direct_product(groups.dicyclic(3), C(160))),
        ("S5xC16 (1920)", lambda: groups.direct_product(S(5), C(16))),
        ("C101 x| C10 (1010, Frobenius-like)", lambda: groups.semidirect_product(C(101), C(10), cyclic_action(101, 14))),
        ("A4xD10 (240)", lambda: groups.direct_product(groups.alternating(4), D(10))),
    ]
    if quick:
        out = out[4:]
    res = []
    for name, make in out:
        G = make()
        res.append((name, relabelled(G)))
    return res


def bench_table(rec, name: str, G: FiniteGroup, repeat: int) -> None:  # type: ignore[no-untyped-def]
    G.conjugacy_classes()
    t0 = time.perf_counter()
    T = character_table(G)
    first = time.perf_counter() - t0
    warm = _common.timeit(lambda: _compute(G), repeat=repeat, min_time=0.0)
    rec(
        case="character_table", group=name, order=G.order, classes=T.num_classes, method=T.method,
        first_s=first, **warm, orthogonality_residual=T.info.get("orthogonality_residual"),
    )


def bench_irreps(rec, name: str, G: FiniteGroup, repeat: int) -> None:  # type: ignore[no-untyped-def]
    character_table(G)
    t0 = time.perf_counter()
    irr = G.irreps()
    first = time.perf_counter() - t0
    warm = _common.timeit(lambda: _finite_irreps.__wrapped__(G), repeat=repeat, min_time=0.0)
    rec(case="irreps", group=name, order=G.order, count=len(irr), max_dim=max(p.dim for p in irr),
        first_s=first, **warm)


def bench_decompose(rec, n: int, k: int, repeat: int) -> None:  # type: ignore[no-untyped-def]
    G = groups.dihedral(n)
    R = Representation.regular(G) * k
    rng = np.random.default_rng(0)
    q, r = np.linalg.qr(rng.standard_normal((R.dim, R.dim)))
    Rq = R.change_basis(q * np.sign(np.diag(r)))
    t0 = time.perf_counter()
    dec = Rq.decompose()
    first = time.perf_counter() - t0
    warm = _common.timeit(lambda: Rq.decompose(), repeat=repeat, min_time=0.05)
    rec(case="decompose k*regular(D_n), random orthogonal basis", n=n, k=k, dim=R.dim, first_s=first, **warm,
        error=dec.error, orthogonality_error=dec.info["orthogonality_error"],
        escnn_reference="D_6: 0.74 s (d=24), 45 s (d=48), >240 s (d=96)")
    t0 = time.perf_counter()
    dec2 = R.decompose()
    first2 = time.perf_counter() - t0
    warm2 = _common.timeit(lambda: R.decompose(), repeat=repeat, min_time=0.05)
    rec(case="decompose k*regular(D_n), monomial", n=n, k=k, dim=R.dim, first_s=first2, **warm2, error=dec2.error)


def bench_tensor_power(rec, n: int, k: int, repeat: int) -> None:  # type: ignore[no-untyped-def]
    G = groups.symmetric(n)
    G.irreps()
    W = Representation.defining(G) ** k
    t0 = time.perf_counter()
    dec = W.decompose()
    first = time.perf_counter() - t0
    warm = _common.timeit(lambda: W.decompose(), repeat=repeat, min_time=0.05)
    rec(case="decompose V^k of S_n (monomial)", n=n, k=k, dim=W.dim, first_s=first, **warm, error=dec.error,
        components=len(dec.components),
        naive_exact_reference="sympy DomainMatrix nullspace of V(x)V: S4 0.22 s, S5 1.5 s, S6 6.5 s (commutant only)")


def bench_cliff(rec, repeat: int, quick: bool) -> None:  # type: ignore[no-untyped-def]
    """Fresh catalogue groups (the factories' and tables' caches bypassed), timed phase by phase.

    The regular decomposition runs with the group's table and irreps already cached by the
    first repetition (``irreps_s`` is timed uncached on its own).
    """
    from reptheory.groups import catalog

    n = 500 if quick else 2500
    rows = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        G = catalog.dihedral.__wrapped__(n)
        t1, c1 = time.perf_counter(), time.process_time()
        ncls = len(G.conjugacy_classes())
        t2 = time.perf_counter()
        T = _compute(G)  # the table cache is keyed by the group's key: bypass it
        t3, c3 = time.perf_counter(), time.process_time()
        rows.append((t1 - t0, t2 - t1, t3 - t2, c3 - c1))
    med = np.median(np.array(rows), axis=0)
    rec(case="classes + character table (above the old 4096 cliff)", group=f"D{n}", order=2 * n, classes=ncls,
        build_s=med[0], classes_s=med[1], table_s=med[2], classes_plus_table_s=med[1] + med[2],
        classes_plus_table_cpu_s=med[3],
        method=T.method, target="<= 2 s (D2500)")
    # the same group given by a relabelled Cayley table (validation timed separately)
    from bench_groups import relabelled_dihedral_table

    table = relabelled_dihedral_table(n)
    rows = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        G = FiniteGroup.from_cayley_table(table)
        t1, c1 = time.perf_counter(), time.process_time()
        ncls = len(G.conjugacy_classes())
        t2 = time.perf_counter()
        T = _compute(G)
        t3, c3 = time.perf_counter(), time.process_time()
        rows.append((t1 - t0, t2 - t1, t3 - t2, c3 - c1))
    med = np.median(np.array(rows), axis=0)
    rec(case="classes + character table of a relabelled Cayley table", group=f"D{n}", order=2 * n, classes=ncls,
        validate_s=med[0], classes_s=med[1], table_s=med[2], classes_plus_table_s=med[1] + med[2],
        classes_plus_table_cpu_s=med[3], method=T.method, target="<= 2 s (D2500)")
    n = 200 if quick else 1000
    rows = []
    for _ in range(repeat):
        G = catalog.dihedral.__wrapped__(n)
        G.conjugacy_classes()
        t0 = time.perf_counter()
        _compute(G)
        # the irreps cache is keyed by the group: clear it so that G.irreps() computes them once,
        # and the decomposition below uses those (timing the uncached function would count them twice)
        _finite_irreps.cache_clear()
        t1, c1 = time.perf_counter(), time.process_time()
        irr = G.irreps()
        t2 = time.perf_counter()
        dec = Representation.regular(G).decompose()
        t3, c3 = time.perf_counter(), time.process_time()
        rows.append((t1 - t0, t2 - t1, t3 - t2, c3 - c1))
    med = np.median(np.array(rows), axis=0)
    rec(case="regular representation: irreps + decompose", group=f"D{n}", order=2 * n, irreps=len(irr),
        table_s=med[0], irreps_s=med[1], decompose_s=med[2], irreps_plus_decompose_s=med[1] + med[2],
        irreps_plus_decompose_cpu_s=med[3],
        error=dec.error, target="<= 2 s (order 2000)")


def bench_partitions(rec, quick: bool) -> None:  # type: ignore[no-untyped-def]
    """Caches cleared before every call, so each sample is a cold computation."""
    from reptheory.characters import symmetric as sym

    def cold_table(n: int) -> None:
        sym.symmetric_character_table.cache_clear()
        sym._strip_matrix.cache_clear()
        sym.partitions.cache_clear()
        groups.symmetric.__wrapped__(n).character_table()

    for n in ((12, 16) if quick else (12, 16, 20)):
        t = _common.timeit(lambda n=n: cold_table(n), repeat=3, min_time=0.0)
        rec(case="symmetric(n).character_table() by Murnaghan-Nakayama", n=n,
            classes=len(sym.partitions(n)), **t, target="<= 30 s (S20)")
    lam = (5, 3, 2) if quick else (7, 3, 2)
    n = sum(lam)
    t = _common.timeit(lambda: groups.symmetric.__wrapped__(n).irrep(lam), repeat=3, min_time=0.0)
    rec(case="symmetric(n).irrep(partition), Young's orthogonal form", n=n, partition=list(lam),
        dim=sym.partition_degree(lam), **t, target="<= 5 s (S12, (7,3,2))")


def _psl2(q: int) -> FiniteGroup:
    return FiniteGroup.from_permutations(groups.projective_special_linear(q).generators, name=f"PSL(2,{q})")


def bench_large_groups(rec, quick: bool) -> None:  # type: ignore[no-untyped-def]
    from reptheory.hom import commutant

    makers = [("A8", lambda: FiniteGroup.from_permutations([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]],
                                                           name="A8")),
              ("PSL(2,31)", lambda: _psl2(31))]
    if quick:
        makers = [("PSL(2,11)", lambda: _psl2(11))]
    for name, make in makers:
        rows = []
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            G = make()
            T = _compute(G)
            t1 = time.perf_counter()
            V = Representation.defining(G)
            dec = V.decompose()
            t2 = time.perf_counter()
            C = commutant(V.tensor(V), cache=False)
            t3 = time.perf_counter()
            rows.append((t1 - t0, t2 - t1, t3 - t2))
        med = np.median(np.array(rows), axis=0)
        rec(case="large permutation group: table, decompose V, commutant of V (x) V", group=name, order=G.order,
            classes=T.num_classes, enumerate_plus_table_s=med[0], decompose_s=med[1], commutant_s=med[2],
            commutant_dim=C.dim, multiplicities=dec.multiplicities, error=dec.error, target="<= 10 s each")
        # all irreps from the character table (split off coset and subset actions), one cold call
        _finite_irreps.cache_clear()  # keyed by the group: a rebuilt group would hit it
        G = make()
        _compute(G)
        t0, c0 = time.perf_counter(), time.process_time()
        irr = G.irreps()
        rec(case="large permutation group: G.irreps() from the character table", group=name, order=G.order,
            irreps=len(irr), dims=[p.dim for p in irr], first_s=time.perf_counter() - t0,
            first_cpu_s=time.process_time() - c0, sources=sorted({str(p.meta.get("split_from")) for p in irr}))


def bench_permutation_group_path(rec, quick: bool) -> None:  # type: ignore[no-untyped-def]
    """The same cases as `bench_large_groups` for ``PermutationGroup`` (never enumerated): Dixon-Schneider
    table, ``decompose`` of the permutation representation by splitting its commutant, ``commutant`` of
    its tensor square (orbit route, generators only); a fresh group per sample (nothing cached).  The table
    is timed on its own (``table_s``); the decompositions then find it computed."""
    from reptheory.groups import permutation_group
    from reptheory.hom import commutant, intertwiners

    makers = [("A8", lambda: permutation_group([[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]], name="A8")),
              ("PSL(2,31)", lambda: groups.projective_special_linear(31))]
    if quick:
        makers = [("PSL(2,11)", lambda: groups.projective_special_linear(11))]
    for name, make in makers:
        rows = []
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            G = make()
            T = G.character_table()
            t1 = time.perf_counter()
            V = Representation.defining(G)
            dec = V.decompose()
            t2 = time.perf_counter()
            C = commutant(V.tensor(V), cache=False)
            t3 = time.perf_counter()
            dec2 = V.tensor(V).decompose()
            t4 = time.perf_counter()
            rows.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3))
        med = np.median(np.array(rows), axis=0)
        rec(case="PermutationGroup (not enumerated): table, decompose V, commutant and decompose of V (x) V",
            group=name, order=G.order, classes=T.num_classes, table_s=med[0], decompose_s=med[1],
            commutant_s=med[2], decompose_square_s=med[3], commutant_dim=C.dim, commutant_method=C.method,
            multiplicities=dec.multiplicities, square_multiplicities=dec2.multiplicities,
            error=max(dec.error, dec2.error), target="<= 10 s each (decompose, commutant)")
        # all irreps of the never-enumerated group (split off subset actions and their products), one cold call
        G = make()
        t0 = time.perf_counter()
        G.character_table()
        t1, c1 = time.perf_counter(), time.process_time()
        irr = G.irreps()
        t2, c2 = time.perf_counter(), time.process_time()
        V = Representation.defining(G)
        H = intertwiners(V, V.tensor(V), method="isotypic")  # both decompositions in the stored irreps
        t3 = time.perf_counter()
        rec(case="PermutationGroup (not enumerated): G.irreps(), then Hom(V, V (x) V) by the isotypic route",
            group=name, order=G.order, irreps=len(irr), dims=[p.dim for p in irr], table_s=t1 - t0,
            irreps_first_s=t2 - t1, irreps_first_cpu_s=c2 - c1, isotypic_hom_s=t3 - t2, hom_dim=H.dim,
            hom_dim_constraints=intertwiners(V, V.tensor(V), method="constraints").dim,
            sources=sorted({str(p.meta.get("split_from")) for p in irr}))


def bench_exact_irreps(rec, quick: bool) -> None:  # type: ignore[no-untyped-def]
    """Exact images of every real irrep, ``G.irreps(exact=True)``, one cold call after the table, on a fresh group."""
    from reptheory.groups import permutation_group

    a5 = [[1, 2, 0, 3, 4], [0, 1, 3, 4, 2]]
    a8 = [[1, 2, 0, 3, 4, 5, 6, 7], [0, 2, 3, 4, 5, 6, 7, 1]]
    cases = [("A5 (FiniteGroup)", lambda: FiniteGroup.from_permutations(a5, name="A5")),
             ("A5 (PermutationGroup)", lambda: permutation_group(a5, name="A5")),
             ("PSL(2,7) (FiniteGroup)", lambda: _psl2(7)),
             ("C7 (cubic field)", lambda: groups.cyclic(7))]
    if not quick:
        cases += [("PSL(2,11) (PermutationGroup; a signed source)", lambda: groups.projective_special_linear(11)),
                  ("PSL(2,13) (PermutationGroup; quadratic and cubic fields)",
                   lambda: groups.projective_special_linear(13)),
                  ("A8 (PermutationGroup, order 20160)", lambda: permutation_group(a8, name="A8")),
                  ("PSL(2,17) (PermutationGroup; principal series from centraliser sources)",
                   lambda: groups.projective_special_linear(17))]
    for name, make in cases:
        G = make()
        t0 = time.perf_counter()
        G.character_table()
        t1 = time.perf_counter()
        ps = G.irreps(exact=True)
        t2 = time.perf_counter()
        rec(case=name, what="exact irreps (G.irreps(exact=True), cold, after the table)", order=int(G.order),
            irreps=len(ps), fields=sorted({str(p.meta["field"]) for p in ps}), table_s=t1 - t0, first_s=t2 - t1)
    if not quick:  # the five of degree 22 alone (the degree-24 ones split over a quintic field: about a minute each)
        from reptheory.decomposition.irreps.exact import exact_irrep

        G = groups.projective_special_linear(23)
        t0 = time.perf_counter()
        T = G.character_table()
        t1 = time.perf_counter()
        ps = [exact_irrep(G, k) for k, rows in enumerate(T.real_rows()) if T.degrees[rows[0]] == 22]
        t2 = time.perf_counter()
        rec(case="PSL(2,23) discrete series (degree 22; centraliser sources)",
            what="exact_irrep for the five real irreps of degree 22, cold, after the table", order=int(G.order),
            irreps=len(ps), fields=sorted({str(p.meta["field"]) for p in ps}), table_s=t1 - t0, first_s=t2 - t1)
        k24 = next(k for k, rows in enumerate(T.real_rows()) if T.degrees[rows[0]] == 24)
        t3 = time.perf_counter()
        p24 = exact_irrep(G, k24)
        t4 = time.perf_counter()
        rec(case="PSL(2,23) one irrep of degree 24 (quintic character field)",
            what="exact_irrep, after the table (the split over K through the idempotent p(S_V))", order=int(G.order),
            irreps=1, fields=[str(p24.meta["field"])], first_s=t4 - t3)
        from reptheory.groups import permutation_group as _pg

        m22 = _pg([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 11],  # ATLAS generators
                   [3, 7, 0, 4, 8, 1, 5, 9, 2, 6, 10, 14, 18, 11, 15, 19, 12, 16, 20, 13, 17, 21],
                   [20, 9, 12, 16, 18, 1, 6, 5, 17, 7, 21, 13, 3, 15, 14, 19, 2, 4, 8, 11, 0, 10]], name="M22")
        t0 = time.perf_counter()
        T = m22.character_table()
        t1 = time.perf_counter()
        k45 = next(k for k, rows in enumerate(T.real_rows()) if T.degrees[rows[0]] == 45)
        p45 = exact_irrep(m22, k45)
        t2 = time.perf_counter()
        rec(case="M22 pair of degree 45 (type C; signed 4-subsets, degree 6160, condensed)",
            what="exact_irrep, cold, after the table", order=int(m22.order), irreps=1,
            fields=[str(p45.meta["field"])], source=str(p45.meta["split_from"]), table_s=t1 - t0, first_s=t2 - t1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--only-cliff", action="store_true", help="only the issue-17 cases above the old 4096 cliff")
    ap.add_argument("--only-exact", action="store_true", help="only the exact irreps (issue 17)")
    args = ap.parse_args()
    rec = _common.Recorder(args.out, "bench_characters.py")
    if args.only_exact:
        bench_exact_irreps(rec, args.quick)
        return
    repeat = 3 if args.quick else 5
    bench_cliff(rec, 1 if args.quick else 3, args.quick)
    if args.only_cliff:
        return
    bench_partitions(rec, args.quick)
    bench_large_groups(rec, args.quick)
    bench_permutation_group_path(rec, args.quick)
    bench_exact_irreps(rec, args.quick)
    for n in (5, 6) if args.quick else (5, 6, 7, 8):
        G = groups.symmetric(n)
        bench_table(rec, f"S{n}", G, repeat if n < 8 else 3)
        bench_irreps(rec, f"S{n}", G, repeat if n < 8 else 3)
    for name, G in table_groups(args.quick):
        bench_table(rec, name, G, repeat if G.order < 1500 else 3)
        if G.order <= 1100 or args.quick:
            bench_irreps(rec, name, G, 3)
    cases = [(6, 2), (6, 8)] if args.quick else [(6, 2), (6, 4), (6, 8), (6, 12), (8, 8), (16, 4), (16, 8)]
    for n, k in cases:
        bench_decompose(rec, n, k, repeat)
    tp = [(5, 2), (6, 3)] if args.quick else [(4, 2), (5, 2), (6, 2), (7, 2), (8, 2), (5, 3), (6, 3), (7, 3)]
    for n, k in tp:
        bench_tensor_power(rec, n, k, 3 if n >= 7 else repeat)


if __name__ == "__main__":
    main()
