"""The main job: ``python -m penalties.demo [--out DIR] [--fast] [--threads N]``.

It runs torch on one thread: fastest for this small MLP (on a busy 2-core machine, torch's
default of one thread per core made the whole job 2 to 11 times slower); ``--threads N``,
``PENALTIES_NUM_THREADS=N`` or ``OMP_NUM_THREADS=N`` change that (see `penalties.threads`).
``--fast`` trains for half the steps (250 instead of 500); the conclusions are the same.

From a Cayley table to a regularised model, end to end, on the embedded default group
``SL(2, 3)`` (order 24, from ``reptheory/data/sl23.json``):

1. build the group from its Cayley table and print its character table;
2. take the regular representation ``R`` (signals on the group: an input ``x ∈ ℝ²⁴``
   transforms as ``x ↦ R(g) x``) and the hidden field ``4R``; decompose ``R``;
3. compute ``Hom_G(R, 4R)`` (the equivariant first layers), check its dimension against
   the character formula ``dim Hom_G(V, W) = ⟨χ_V, χ_W⟩``, export its projector to
   ``DIR/sl23_hom_R_4R.npz`` and load it back (checksums and ``P² = P`` are verified);
4. train the same MLP ``24 → 96 → 96 → 1`` twice on an *approximately* invariant
   regression task (an invariant target plus a small non-invariant part), once plainly and
   once with the projection penalty ``λ_⊥ ‖W − P(W)‖²`` on every layer
   ([`penalties.EquivarianceRegularizer`][penalties.EquivarianceRegularizer]), and print the test error and the
   equivariance error (over all 24 group elements) of both;
5. plot both training runs to ``DIR/demo.png`` (skipped, with a note, when matplotlib is
   missing).

Why ``SL(2, 3)``: it is the group a user meets first in the README (a Cayley table with no
geometric picture, where no hand-written equivariant layer exists), it is non-abelian with
irreducible representations of dimensions 1, 1, 1, 2, 2, 2, 3 (real types R and C, and
quaternionic two-dimensional ones), and its regular representation is a permutation
representation, so pointwise ReLUs on hidden fields ``kR`` keep the network equivariant
when the layers are (docs/explanation/penalties.md#networks).

Examples
--------
>>> from penalties.demo import make_task
>>> x, y = make_task(8, rng=0)
>>> tuple(x.shape), tuple(y.shape)
((8, 24), (8, 1))
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

__all__ = ["main", "make_task", "make_task_target", "run"]

_HIDDEN_COPIES = 4
_EPS = 0.15  # size of the non-invariant part of the target
_LR = 1e-2
_NTRAIN = 128


def _task_params(G: Any, rng: np.random.Generator) -> dict[str, Any]:
    d = G.order
    return {
        # (R(g) x)[k] = x[g⁻¹ k]: as g runs over G, x[:, table[g]] runs over the orbit {R(g) x}
        "perms": np.asarray(G.table).copy(),
        "w": rng.standard_normal((2, d)) / np.sqrt(d),
        "v": rng.standard_normal(d) / np.sqrt(d),
    }


def make_task(n: int, *, rng: Any = None, group: Any = None, eps: float = _EPS) -> tuple[torch.Tensor, torch.Tensor]:
    """Samples ``(x, y)`` of the approximately invariant task.

    ``y = |G|^{-1/2} Σ_g Σ_k relu(⟨w_k, R(g) x⟩) − c + eps · ⟨v, x⟩`` with two fixed random
    filters ``w_k``, a fixed random ``v`` (seed 0), the centring constant ``c`` (the mean of
    the first term) and ``x ~ N(0, I_24)``.  The first term is invariant under the regular
    representation ``R`` of ``SL(2, 3)`` (it is a one-layer group convolution followed by
    sum pooling); the second is not.

    Parameters
    ----------
    n : int
        Number of samples (the cost is ``O(n |G|²)``).
    rng : numpy Generator, int or None
        Draws the inputs.
    group : FiniteGroup, optional
        Defaults to [`reptheory.cli.demo.load_default_group`][reptheory.cli.demo.load_default_group].
    eps : float
        Size of the non-invariant part.

    Returns
    -------
    x : Tensor, shape (n, 24), float32
    y : Tensor, shape (n, 1), float32

    Examples
    --------
    >>> x, y = make_task(4, rng=1)
    >>> tuple(x.shape), tuple(y.shape)
    ((4, 24), (4, 1))
    >>> bool(torch.equal(make_task(4, rng=1)[1], y))      # deterministic given rng
    True
    """
    from reptheory.cli.demo import load_default_group

    G = load_default_group() if group is None else group
    p = _task_params(G, np.random.default_rng(0))
    r = np.random.default_rng(rng)
    x = r.standard_normal((n, G.order))
    return torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(_target(x, p, eps), dtype=torch.float32)


def make_task_target(x: torch.Tensor, group: Any = None, eps: float = _EPS) -> torch.Tensor:
    """The noiseless target of [`make_task`][penalties.demo.make_task] evaluated at ``x`` of shape (n, 24).

    Examples
    --------
    >>> x, y = make_task(3, rng=0)
    >>> bool(torch.allclose(make_task_target(x), y))
    True
    """
    from reptheory.cli.demo import load_default_group

    G = load_default_group() if group is None else group
    p = _task_params(G, np.random.default_rng(0))
    y = _target(x.detach().double().numpy(), p, eps)
    return torch.as_tensor(y, dtype=x.dtype)


def _target(x: np.ndarray, p: dict[str, Any], eps: float) -> np.ndarray:
    # R is the left regular representation, R(g) e_h = e_{g h}; sum over the orbit of x
    perms = p["perms"]
    acc = np.zeros(x.shape[0])
    for g in range(perms.shape[0]):
        gx = x[:, perms[g]]
        acc += np.maximum(gx @ p["w"].T, 0.0).sum(axis=1)
    y = acc / np.sqrt(perms.shape[0]) + eps * (x @ p["v"])
    # centre: E[relu(⟨w, z⟩)] = ‖w‖ / √(2π) for z ~ N(0, I)
    offset = np.sqrt(perms.shape[0]) * np.linalg.norm(p["w"], axis=1).sum() / np.sqrt(2 * np.pi)
    return y[:, None] - offset
    return y[:, None]


def _model(d: int, seed: int) -> nn.Module:
    h = _HIDDEN_COPIES * d
    with torch.random.fork_rng(devices=[]):  # seeded initialisation without touching the caller's RNG state
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 1))


def _train(model: nn.Module, data: dict[str, torch.Tensor], reg: Any, steps: int, rho: Any, one: Any,
           log_every: int) -> list[tuple[int, float, float]]:
    from penalties.metrics import equivariance_error

    opt = torch.optim.Adam(model.parameters(), lr=_LR)
    history = []
    for step in range(steps + 1):
        if step % log_every == 0 or step == steps:
            with torch.no_grad():
                test = float(nn.functional.mse_loss(model(data["x_test"]), data["y_test"]))
            eq = equivariance_error(model, data["x_test"][:256], rho, one)["median"]
            history.append((step, test, eq))
        if step == steps:
            break
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(data["x_train"]), data["y_train"])
        if reg is not None:
            loss = loss + reg()
        loss.backward()
        opt.step()
    return history


def _plot(histories: dict[str, list[tuple[int, float, float]]], path: Path, stream: Any,
          target_err: float) -> str | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed; skipping the plot (pip install matplotlib)", file=stream)
        return None
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for label, hist in histories.items():
        steps = [h[0] for h in hist]
        axes[0].plot(steps, [h[1] for h in hist], label=label)
        axes[1].plot(steps, [h[2] for h in hist], label=label)
    axes[1].axhline(target_err, color="gray", ls="--", lw=1, label="the target itself")
    axes[1].legend()
    axes[0].set(xlabel="step", ylabel="test MSE", yscale="log", title="test error")
    axes[1].set(xlabel="step", ylabel="median relative error", yscale="log", title="equivariance error")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)


def run(out: Path | str | None = None, *, fast: bool = False, stream: Any = None,
        lambda_perp: float = 1.0) -> dict[str, Any]:
    """Run the main job and return a summary (also printed to ``stream``).

    Parameters
    ----------
    out : path, optional
        Directory for the projector file and the plot (a temporary directory if omitted).
    fast : bool
        Fewer training steps (used by the tests; the conclusions are the same).
    stream : file, optional
        Where to print (default ``sys.stdout``).
    lambda_perp : float
        ``λ_⊥`` of the penalised run.

    Returns
    -------
    dict
        ``{"group", "hom_dim", "file", "plot", "plain": {"test_mse", "equivariance_error"},
        "penalised": {...}, "seconds"}``.

    Examples
    --------
    >>> import io
    >>> s = run(fast=True, stream=io.StringIO())   # doctest: +SKIP
    >>> s["penalised"]["equivariance_error"] < s["plain"]["equivariance_error"]   # doctest: +SKIP
    True
    """
    import penalties
    from penalties.metrics import equivariance_error
    from reptheory import Representation, intertwiners, load
    from reptheory.cli.demo import load_default_group

    stream = stream or sys.stdout
    t0 = time.perf_counter()
    out_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="penalties-demo-"))
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. the group, from its Cayley table
    G = load_default_group()
    print(f"[1] group {G.name} from its Cayley table: order {G.order}, "
          f"{len(G.conjugacy_classes())} conjugacy classes", file=stream)
    print(G.character_table(), file=stream)

    # 2. representations
    R, one = Representation.regular(G), Representation.trivial(G)
    hidden = _HIDDEN_COPIES * R
    dec = R.decompose()
    print(f"[2] regular representation R = {dec}", file=stream)

    # 3. intertwiners, export, reload
    space = intertwiners(R, hidden)
    # dim Hom_G(V, W) = ⟨χ_V, χ_W⟩ = (1/|G|) Σ_classes |K| χ_V(K) conj χ_W(K)  (real representations)
    chi = np.sum(G.class_sizes * R.character() * np.conj(hidden.character()))
    expected = round(float(np.real(chi)) / G.order)
    if space.dim != expected:
        raise AssertionError(f"dim Hom_G(R, 4R) = {space.dim} disagrees with the character formula {expected}")
    path = out_dir / "sl23_hom_R_4R.npz"
    space.save(path)
    loaded = load(path)
    P_file = penalties.as_projection(loaded)
    W = torch.randn(hidden.dim, R.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    P_mem = penalties.projection_for(R, hidden).double()
    diff = float((P_file.double()(W) - P_mem(W)).abs().max())
    print(f"[3] Hom_G(R, 4R): dim {space.dim} (character formula {expected}), method {space.method!r}; "
          f"projector written to {path} and reloaded (max |P_file(W) - P(W)| = {diff:.1e})", file=stream)

    # 4. train with and without the penalty
    n_train, n_test = _NTRAIN, 2048
    steps = 250 if fast else 500
    x_train, y_train = make_task(n_train, rng=1, group=G)
    x_test, y_test = make_task(n_test, rng=2, group=G)
    data = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    target_err = equivariance_error(lambda x: make_task_target(x, G), x_test[:256], R, one)["median"]
    print(f"[4] task: y = invariant(x) + {_EPS} * linear(x) (the target's own equivariance error: "
          f"{target_err:.2f}), {n_train} training and {n_test} test samples;\n"
          f"    MLP 24 -> {hidden.dim} -> {hidden.dim} -> 1 with ReLUs, Adam, {steps} full-batch steps; "
          f"equivariance error = median over 256 test inputs and all {G.order} elements g of "
          "2|f(R(g)x) - f(x)| / (|f(R(g)x)| + |f(x)|)", file=stream)
    histories: dict[str, list[tuple[int, float, float]]] = {}
    summary: dict[str, Any] = {"group": G.name, "hom_dim": space.dim, "file": str(path),
                               "target_equivariance_error": target_err}
    for name in ("plain", "penalised"):
        model = _model(G.order, seed=0)
        reg = None
        if name == "penalised":
            spec = penalties.mlp_spec(model, R, one)  # hidden fields: copies of R, inferred from the widths
            reg = penalties.EquivarianceRegularizer(model, spec, lambda_perp=lambda_perp)
        histories[name] = _train(model, data, reg, steps, R, one, log_every=max(1, steps // 25))
        _, test, eq = histories[name][-1]
        summary[name] = {"test_mse": test, "equivariance_error": eq}
        extra = f", layer defect {reg.layer_defect():.1e}" if reg is not None else ""
        print(f"    {name:9s}: test MSE {test:.4f}   equivariance error {eq:.2e}{extra}", file=stream)
    plot = _plot(histories, out_dir / "demo.png", stream, target_err)
    summary["plot"] = plot
    if plot:
        print(f"[5] plot written to {plot}", file=stream)
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    print(f"done in {summary['seconds']} s", file=stream)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m penalties.demo [--out DIR] [--fast]``.

    Examples
    --------
    >>> main(["--help"])   # doctest: +SKIP
    """
    from penalties.threads import ENV_VAR, configure_threads

    p = argparse.ArgumentParser(prog="python -m penalties.demo", description=(__doc__ or "").splitlines()[0])
    p.add_argument("--out", "-o", type=Path, default=Path("demo_out"),
                   help="directory for the projector file and the plot (default: ./demo_out)")
    p.add_argument("--fast", action="store_true", help="250 training steps instead of 500 (the set-up and the evaluation take the same time)")
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help=f"torch threads (default: ${ENV_VAR}, else $OMP_NUM_THREADS, else 1: fastest for "
                        "this small model)")
    p.add_argument("--lambda-perp", type=float, default=1.0, help="λ_⊥ of the penalised run (default 1.0)")
    args = p.parse_args(argv)
    n = configure_threads(args.threads)
    print(f"torch threads: {n} (--threads N or {ENV_VAR}=N to change)")
    run(args.out, fast=args.fast, lambda_perp=args.lambda_perp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
