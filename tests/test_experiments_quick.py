"""The experiments end to end in --quick mode, and properties of their parts that could fail.

The pipeline run is shared (module fixture); its records are checked for the protocol's
promises: the runs.jsonl schema, the tuning seed kept out of the evaluation seeds, one knob
per (method, setting) on the evaluation seeds, cap flags consistent with the steps, the new
training modes either run or are skipped with a logged reason.  The other tests check the
backbones against independent oracles: Haar-sampled group actions, exact quarter turns of
images, and the regulariser's own defect.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

import penalties
from experiments import data, methods, protocol, report
from experiments.cost import TASK_ROWS
from experiments.models import HarmonicCNN
from experiments.run_all import compose, main
from experiments.tasks import InertiaTask, O5Task

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("quick")
    res = main(["--quick", "--out", str(out), "--img", str(out / "img")])
    return {"out": out, "res": res, "runs": protocol.read_runs(out / "runs.jsonl")}


def test_runs_jsonl_schema(quick: dict) -> None:
    runs = quick["runs"]
    assert runs, "no runs recorded"
    for r in runs:
        for k in protocol.FIELDS:
            assert k in r, k
        assert isinstance(r["tuning"], bool) and isinstance(r["at_cap"], bool)
        assert r["metric_name"] == "test_mse" and math.isfinite(r["test_metric"]) and r["test_metric"] >= 0
        assert 0 < r["best_step"] <= r["stopped_step"] <= r["max_steps"]
        assert r["wall_s"] > 0 and r["n_train"] > 0
    assert {r["task"] for r in runs} == {"inertia", "o5", "shapes"}


def test_tuning_seed_excluded_and_one_knob_per_method(quick: dict) -> None:
    runs = quick["runs"]
    for key in {(r["task"], r["setting"], r["method"]) for r in runs}:
        rs = [r for r in runs if (r["task"], r["setting"], r["method"]) == key]
        tune = [r for r in rs if r["tuning"]]
        ev = [r for r in rs if not r["tuning"]]
        assert {r["seed"] for r in tune} == {0}
        assert ev and 0 not in {r["seed"] for r in ev}
        assert len({r["seed"] for r in ev}) == len(ev) == 2
        assert len({r["knob"] for r in ev}) == 1
        best = min(tune, key=lambda r: r["val_metric"])  # the chosen knob is the tuning winner
        assert ev[0]["knob"] == best["knob"]
        assert len(tune) == len(protocol.grid(key[2], 1.0, quick=True))


def test_cap_flags_consistent(quick: dict) -> None:
    for r in quick["runs"]:
        if r["at_cap"]:
            assert r["stopped_step"] == r["max_steps"]
        if r["stopped_step"] < r["max_steps"]:
            assert not r["at_cap"]
    # with 12 quick steps nothing converges: the flags must say so
    assert any(r["at_cap"] for r in quick["runs"])


def test_hard_runs_are_equivariant(quick: dict) -> None:
    for r in quick["runs"]:
        if r["method"] == "hard":
            assert r["defect"] < 1e-12  # relative ‖W − PW‖² at float32 rounding (1e-7 relative per entry)
            if r["task"] in ("inertia", "o5"):  # float32 MLPs, Haar-sampled O(n) elements
                assert r["eq_err_max"] < 1e-4
            else:  # quarter turns are exact grid maps for the harmonic CNN (float32)
                assert r["info"]["c4_err_max"] < 1e-4


def test_new_modes_run_or_are_skipped_with_reason(quick: dict) -> None:
    summary = json.loads((quick["out"] / "summary.json").read_text())
    methods_run = {r["method"] for r in quick["runs"]}
    for m in ("ours-prox", "ours-tol"):
        reason = methods.unavailable_reason(m)
        if reason is None:
            assert m in methods_run
        else:
            assert m not in methods_run and "mode unavailable" in reason
            assert all(u["skipped"].get(m) == reason for u in summary["units"].values())


def test_outputs_written(quick: dict) -> None:
    out: Path = quick["out"]
    for name in ("inertia", "o5", "shapes"):
        assert (out / "img" / f"{name}_error_vs_setting.png").stat().st_size > 10_000
        assert "±" in (out / f"{name}.md").read_text() or "n/a" in (out / f"{name}.md").read_text()
    cost = json.loads((out / "cost.json").read_text())
    assert {c["row"] for c in cost} == {"MLP D8 (regular)", "MLP SO(3) (l≤3)", "CNN D4 (regular)",
                                        "CNN SO(2) (harmonic)", *TASK_ROWS.values()}
    assert all(c["median_ms"] > 0 for c in cost)
    assert not any(c["method"] == "generator" for c in cost if c["row"] == TASK_ROWS["shapes"])  # projector-only spec
    health = (out / "health.md").read_text()  # the convergence table: one row per task and kind of run
    assert all(name in health for name in ("inertia", "o5", "shapes"))
    wall = (out / "inertia_time.md").read_text()  # steps converted with the cost table's quiet ms/step
    assert "steps × the method's quiet interleaved ms/step" in wall
    summary = json.loads((out / "summary.json").read_text())
    for cell in summary["cells"].values():
        for m in cell["methods"].values():
            assert m["n"] == 2 and math.isfinite(m["std"])


# ----------------------------------------------------------------------------- parts
def test_field_mlp_hard_equivariant_and_huge_lambda_kills_defect() -> None:
    task = InertiaTask(quick=True)
    d = task.data(0.0, seed=3)
    st = methods.build("hard", 0.0, task, 3, 1e-3)
    G = st.model
    A, B = G.bank(8, seed=5)
    x = d["x_test"][:16]
    with torch.no_grad():
        for a, b in zip(A, B):
            lhs = G(x @ torch.as_tensor(a, dtype=x.dtype).T)
            rhs = G(x) @ torch.as_tensor(b, dtype=x.dtype).T
            assert (lhs - rhs).abs().max() < 1e-4 * max(1.0, float(rhs.abs().max()))  # float32 models
    # ours with a huge λ_⊥ (SGD, step 1/(4λ)): the penalty dominates and the defect vanishes
    lam = 1e6
    st = methods.build("ours", lam, task, 3, 1e-2)
    opt = torch.optim.SGD(st.model.parameters(), lr=0.25 / lam)
    d0 = st.reg.layer_defect()
    for _ in range(30):
        loss = ((st.model(d["x_train"]) - d["y_train"]) ** 2).mean() + st.extra(None, None, None)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert d0 > 0.1 and st.reg.layer_defect() < 1e-10


def test_o5_model_invariant_when_projected() -> None:
    task = O5Task(quick=True)
    net = task.make_model(0)
    penalties.project_(net, net.spec)
    x = task.data(1.0, seed=1)["x_test"][:8]
    A, _ = net.bank(4, seed=2)
    with torch.no_grad():
        for a in A:
            gx = x @ torch.as_tensor(a, dtype=x.dtype).T
            assert (net(gx) - net(x)).abs().max() < 1e-4 * float(net(x).abs().max() + 1)  # float32 model


def test_harmonic_cnn_quarter_turn_exact_and_continuous_small() -> None:
    net = HarmonicCNN(copies=1, seed=0)
    penalties.constrain_(net, net.spec)
    X, _, _ = data.shapes_data(6, 0.0, size=16, rng=0)
    x = torch.as_tensor(X, dtype=torch.float32)
    with torch.no_grad():
        q = net(penalties.baselines.rotate_images(x, math.pi / 2))
        assert (q - net(x)).abs().max() < 1e-4 * float(net(x).abs().max())
    err = penalties.metrics.rotation_error(net, x, [0.4, 1.1])
    assert err["median"] < 0.05  # interpolation and band-limit error only
    free = HarmonicCNN(copies=1, seed=0)
    assert penalties.metrics.rotation_error(free, x, [0.4, 1.1])["median"] > 3 * err["median"]


def test_shapes_data_symmetry() -> None:
    """ε = 0: the target does not depend on θ; ε > 0: it moves with cos 2θ exactly as stated."""
    X0, y0, th = data.shapes_data(400, 0.0, rng=1)
    X1, y1, th1 = data.shapes_data(400, 0.5, rng=1)
    assert np.allclose(th, th1) and np.allclose(X0, X1)
    d = (y1 - y0)[:, 0]
    assert np.corrcoef(d, np.cos(2 * th))[0, 1] > 0.8
    assert abs(np.corrcoef(y0[:, 0], np.cos(2 * th))[0, 1]) < 0.15


def test_inertia_data_equivariance() -> None:
    rng = np.random.default_rng(0)
    X, Y = data.inertia_data(5, 0.0, rng=1)
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    Xr = X.copy()
    Xr[:, 5:] = (X[:, 5:].reshape(-1, 5, 3) @ Q.T).reshape(-1, 15)
    Yr = data.inertia_tensor(Xr).reshape(-1, 3, 3)
    assert np.allclose(Yr, Q @ Y.reshape(-1, 3, 3) @ Q.T)


def test_grids_and_rpp_mapping() -> None:
    for m in methods.METHODS:
        g = protocol.grid(m, 3.0, quick=False)
        assert len(g) >= 4
        r = np.diff(np.log(g))
        assert np.allclose(r, r[0])  # log-spaced
    a, b = methods.rpp_ab(0.01, 1.0)
    assert np.allclose(penalties.rpp_lambdas(a, b), (0.01, 1.0))
    with pytest.raises(ValueError):
        methods.rpp_ab(1.0, 1.0)


def test_summary_paired_tests_on_synthetic_records() -> None:
    recs = []
    for m, shift in (("ours", 0.0), ("hard", 1.0)):
        recs.append({"task": "t", "setting": 0.0, "method": m, "seed": 0, "tuning": True, "val_metric": shift,
                     "test_metric": 9.0, "knob": 1.0, "at_cap": False, "defect": 0.0, "eq_err_median": 0.0,
                     "wall_s": 1.0, "ms_per_step": 1.0})
        for s in range(1, 6):
            recs.append({**recs[-1], "seed": s, "tuning": False, "test_metric": s + shift * (1 + 0.1 * s) + 0.01 * s * s})
    out = protocol.summarise(recs)["t|0.0"]
    cmp = out["ours_vs_best"]
    assert (cmp["ours"], cmp["baseline"], cmp["n"]) == ("ours", "hard", 5)
    assert cmp["mean_diff"] == pytest.approx(-1.3)  # −(1 + 0.1 s) averaged over s = 1..5
    assert cmp["t_p"] < 1e-4
    assert cmp["wilcoxon_p"] == pytest.approx(0.0625)  # the smallest two-sided p with 5 pairs
    assert out["methods"]["ours"]["std"] == pytest.approx(np.std([s + 0.01 * s * s for s in range(1, 6)], ddof=1))
    md = report.accuracy_markdown(protocol.summarise(recs), "t", "ε")
    assert "Wilcoxon" in md and "±" in md


def test_compose_replaces_only_marked_blocks(tmp_path: Path) -> None:
    doc = tmp_path / "r.md"
    doc.write_text("intro\n<!-- BEGIN AUTO:a -->\nold\n<!-- END AUTO:a -->\noutro\n")
    text = compose({"a": "new"}, doc)
    assert "new" in text and "old" not in text and text.startswith("intro") and "outro" in text


def test_prox_mode_glue_runs_once_the_api_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a stand-in for the penalty-method issue's API, ``ours-prox`` is built and trained.

    The stand-in applies the documented closed form ``W ← PW/(1 + 2 lr λ_G) + (W − PW)/(1 + 2 lr λ_⊥)``
    after each inner step.  With λ_G = ρ λ_⊥ (ρ = 0.01) and a huge λ_⊥ each step shrinks the
    defect relative to ``PW`` by the factor ρ, so the relative layer defect (without the prox
    ≈ 0.9) falls below ρ.  This checks the glue in
    :mod:`experiments.methods` (the guard flips, the wrapper is used), not the real prox.
    """
    import sys
    import types

    def prox_(self: penalties.EquivarianceRegularizer, lr: float) -> None:
        with torch.no_grad():
            for e in self._entries:
                W = getattr(e.module, e.param)
                PW = self.projectors[e.proj](W)
                W.copy_(PW / (1 + 2 * lr * e.lambda_eq) + (W - PW) / (1 + 2 * lr * e.lambda_perp))

    class Wrapper:
        def __init__(self, opt: torch.optim.Optimizer, reg: penalties.EquivarianceRegularizer) -> None:
            self.opt, self.reg, self.param_groups = opt, reg, opt.param_groups

        def zero_grad(self) -> None:
            self.opt.zero_grad()

        def step(self) -> None:
            self.opt.step()
            self.reg.prox_(self.param_groups[0]["lr"])

    mod = types.ModuleType("penalties.optim")
    mod.ProximalEquivariance = Wrapper  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "penalties.optim", mod)
    monkeypatch.setattr(penalties.EquivarianceRegularizer, "prox_", prox_, raising=False)
    assert methods.unavailable_reason("ours-prox") is None
    task = InertiaTask(quick=True)
    rec, st = protocol.train_run(task, "ours-prox", 1e9, task.data(0.0, 1), seed=1, setting=0.0, tuning=False)
    assert isinstance(st.optimizer, Wrapper)
    assert rec["defect"] < methods.RHO and math.isfinite(rec["test_metric"])


def test_saved_units_are_reused_and_a_changed_protocol_reruns(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["--quick", "--tasks", "o5", "--out", str(tmp_path), "--img", str(tmp_path / "img")]
    main(args)
    first = protocol.read_runs(tmp_path / "runs.jsonl")
    parts = sorted((tmp_path / "parts").glob("*.json"))
    assert len(parts) == len(methods.METHODS) * len(O5Task(quick=True).settings)
    stamps = {p: p.stat().st_mtime_ns for p in parts}
    capsys.readouterr()
    main(args)  # everything reused: same records, no part rewritten
    assert f"{len(parts)} of {len(parts)} units reused" in capsys.readouterr().out
    assert protocol.read_runs(tmp_path / "runs.jsonl") == first
    assert all(p.stat().st_mtime_ns == stamps[p] for p in parts)
    # a corrupt part is rerun, not trusted
    parts[0].write_text("{not json")
    main(args)
    assert f"{len(parts) - 1} of {len(parts)} units reused" in capsys.readouterr().out
    # a changed protocol constant changes the signature: every unit runs again
    monkeypatch.setattr(protocol, "MIN_DELTA", protocol.MIN_DELTA * 2)
    main(args)
    assert f"0 of {len(parts)} units reused" in capsys.readouterr().out


def test_plateau_schedule_divides_then_stops() -> None:
    """No progress at all (lr 0): ``max_decays`` divisions of the lr, one per ``patience``
    evaluations, then the stop at the next plateau; never at the cap."""
    task = InertiaTask(quick=True)
    task.lr, task.eval_every, task.patience, task.max_decays, task.max_steps = 0.0, 1, 2, 2, 1000
    rec, _ = protocol.train_run(task, "unconstrained", 0.0, task.data(0.0, seed=1), seed=1, setting=0.0,
                                 tuning=False)
    # eval 1 counts as progress; plateaus end at evals 3 and 5 (divisions), eval 7 stops
    assert rec["stopped_step"] == 1 + (task.max_decays + 1) * task.patience
    assert rec["lr_decays"] == task.max_decays and not rec["at_cap"]
    assert rec["best_step"] == 1


def test_edge_flag_marks_grid_ends() -> None:
    def rec(knob: float, tuning: bool, seed: int, val: float) -> dict:
        return {"task": "t", "setting": 0.0, "method": "ours", "knob": knob, "tuning": tuning, "seed": seed,
                "val_metric": val, "test_metric": val, "at_cap": False, "defect": 0.0, "eq_err_median": 0.0,
                "wall_s": 1.0, "ms_per_step": 1.0}

    tune = [rec(k, True, 0, v) for k, v in ((1e-3, 0.5), (1e-2, 0.4), (1e-1, 0.3))]
    at_end = protocol.summarise(tune + [rec(1e-1, False, s, 0.3) for s in (1, 2)])
    inside = protocol.summarise(tune + [rec(1e-2, False, s, 0.3) for s in (1, 2)])
    assert at_end["t|0.0"]["methods"]["ours"]["edge"] and not inside["t|0.0"]["methods"]["ours"]["edge"]


def test_report_only_marks_pending_units(quick: dict, tmp_path: Path) -> None:
    """``--report-only`` runs nothing, reports the saved units and names the pending cells."""
    import shutil

    shutil.copytree(quick["out"] / "parts", tmp_path / "parts")
    gone = sorted((tmp_path / "parts").glob("o5_*_hard.json"))
    assert gone, "the quick run saved no o5 hard unit"
    gone[0].unlink()
    res = main(["--quick", "--report-only", "--out", str(tmp_path), "--img", str(tmp_path / "img"),
                "--tasks", "inertia", "o5", "shapes"])
    n_units = len(res["units"])
    assert res["records"] == len(quick["runs"]) - sum(r["task"] == "o5" and r["method"] == "hard"
                                                      for r in quick["runs"])
    text = (tmp_path / "o5.md").read_text()
    assert f"1 of {n_units} units are still pending" in text and "o5 1" in text
    assert "hard" not in text.split("|---|")[-1]  # the pending method has no row
    assert "cell incomplete" in text  # no paired test while a method of the cell is pending
    assert "cell incomplete" not in (tmp_path / "inertia.md").read_text()
    assert not list((tmp_path / "parts").glob("*.tmp"))


def test_parts_under_a_lower_cap_are_reused_only_when_no_run_reached_it() -> None:
    from experiments.run_all import reusable, signature

    unit = ("o5", 1.0, "hard", True, 2)
    cap = O5Task(quick=True).max_steps

    def saved(old_cap: int, stopped: list[int]) -> dict:
        recs = [{"max_steps": old_cap, "stopped_step": s, "at_cap": s >= old_cap} for s in stopped]
        return {"signature": signature("o5", True, 2, old_cap), "result": {"records": recs}}

    same = {"signature": signature("o5", True, 2), "result": {"records": []}}
    assert reusable(same, unit) is same["result"]
    ok = reusable(saved(cap - 4, [3, 5]), unit)  # every run stopped before the old cap
    assert ok is not None and all(r["max_steps"] == cap for r in ok["records"])
    assert reusable(saved(cap - 4, [3, cap - 4]), unit) is None  # one run was cut by the old cap
    assert reusable(saved(cap + 4, [3, 5]), unit) is None  # a higher old cap is another protocol
    wrong = saved(cap - 4, [3])
    wrong["signature"] = "0" * 16
    assert reusable(wrong, unit) is None
