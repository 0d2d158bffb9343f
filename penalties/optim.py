"""Optimiser wrapper: an optimiser step followed by the exact proximal equivariance step.

[`ProximalEquivariance`][penalties.optim.ProximalEquivariance] wraps any ``torch.optim.Optimizer`` (SGD, SGD with momentum,
Adam, AdamW, ...).  ``step()`` runs the inner step on the task loss, then
``reg.prox_`` with each parameter's own group learning rate (so LR schedulers drive it),
then, in constrained mode, one dual-ascent step of the multipliers.  Do **not** also add
``reg()`` to the loss: the proximal step *is* the penalty (proximal gradient,
``W ← prox_{lr R}(W − lr D⁻¹∇L)``).

Examples
--------
>>> import torch
>>> from torch import nn
>>> from reptheory import groups, Representation
>>> import penalties
>>> G = groups.cyclic(4)
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
>>> spec = penalties.mlp_spec(model, Representation.regular(G), Representation.trivial(G))
>>> reg = penalties.EquivarianceRegularizer(model, spec, lambda_perp=10.0)
>>> opt = ProximalEquivariance(torch.optim.AdamW(model.parameters(), lr=1e-2), reg)
>>> x = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
>>> before = reg.layer_defect()
>>> for _ in range(50):
...     opt.zero_grad()
...     model(x).pow(2).mean().backward()
...     opt.step()
>>> reg.layer_defect() < 0.1 * before
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from penalties import _prox
from penalties._prox import check_lr
from reptheory.errors import InvalidArgumentError

__all__ = ["ProximalEquivariance"]


class ProximalEquivariance(torch.optim.Optimizer):
    """``optimizer.step()`` then ``reg.prox_`` (and the dual step in constrained mode).

    A drop-in optimiser: ``param_groups``, ``state``, ``zero_grad``, ``add_param_group``,
    ``state_dict``/``load_state_dict`` are the inner optimiser's (the wrapper's
    ``state_dict`` adds its step counter and the multipliers), so LR schedulers and
    checkpointing work unchanged.

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
    regularizer : EquivarianceRegularizer
        Built for the model whose parameters ``optimizer`` updates (checked: every
        penalised parameter must be in one of its groups).
    every : int
        Apply the proximal step after every ``every``-th step only, with step size
        ``every · lr`` (so the pull per step is unchanged on average; for small ``lr·λ``
        ``every`` proximal steps of ``lr`` compose to about one of ``every · lr``).

    Raises
    ------
    InvalidArgumentError
        ``optimizer`` is not an optimiser, ``regularizer`` not a regulariser, a penalised
        parameter is not optimised by ``optimizer`` (a regulariser for another model),
        ``every`` not a positive integer, or a group's ``lr`` is negative.

    Notes
    -----
    Each parameter's step size is its group's ``lr`` (a tensor ``lr`` is read as a float).
    Under DDP every rank holds the same weights after the inner step and applies the same
    deterministic map, so the ranks stay identical; under ``fully_shard`` the proximal step
    gathers each parameter, updates it identically and writes back the local shard.
    ``torch.compile`` of the model is transparent (the regulariser unwraps it).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from reptheory import groups, Representation
    >>> from penalties import EquivarianceRegularizer
    >>> R = Representation.regular(groups.cyclic(3))
    >>> lin = nn.Linear(3, 3)
    >>> opt = ProximalEquivariance(torch.optim.SGD(lin.parameters(), lr=0.1),
    ...                            EquivarianceRegularizer(lin, {"": (R, R)}))
    >>> sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    >>> opt.param_groups[0]["lr"]
    0.1
    """

    def __init__(self, optimizer: torch.optim.Optimizer, regularizer: Any, *, every: int = 1):
        from penalties.regularizer import EquivarianceRegularizer

        if not isinstance(optimizer, torch.optim.Optimizer):
            raise InvalidArgumentError(f"optimizer: expected a torch.optim.Optimizer, got {type(optimizer).__name__}")
        if isinstance(optimizer, ProximalEquivariance):
            raise InvalidArgumentError("optimizer is already a ProximalEquivariance")
        if not isinstance(regularizer, EquivarianceRegularizer):
            raise InvalidArgumentError(
                f"regularizer: expected an EquivarianceRegularizer, got {type(regularizer).__name__}")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgumentError(f"every={every!r}: expected a positive integer")
        self.optimizer = optimizer
        self.regularizer = regularizer
        self.every = every
        self._steps = 0
        # the hook dictionaries of torch.optim.Optimizer, without taking over its param_groups
        self._optimizer_step_pre_hooks: dict[int, Callable[..., Any]] = {}
        self._optimizer_step_post_hooks: dict[int, Callable[..., Any]] = {}
        self._optimizer_state_dict_pre_hooks: dict[int, Callable[..., Any]] = {}
        self._optimizer_state_dict_post_hooks: dict[int, Callable[..., Any]] = {}
        self._optimizer_load_state_dict_pre_hooks: dict[int, Callable[..., Any]] = {}
        self._optimizer_load_state_dict_post_hooks: dict[int, Callable[..., Any]] = {}
        self._check_params()

    # ---------------------------------------------------------------- delegation
    @property  # type: ignore[override]
    def param_groups(self) -> list[dict[str, Any]]:
        return self.optimizer.param_groups

    @param_groups.setter
    def param_groups(self, value: list[dict[str, Any]]) -> None:
        self.optimizer.param_groups = value

    @property  # type: ignore[override]
    def state(self) -> Any:
        return self.optimizer.state

    @state.setter
    def state(self, value: Any) -> None:
        self.optimizer.state = value

    @property  # type: ignore[override]
    def defaults(self) -> dict[str, Any]:
        return self.optimizer.defaults

    @defaults.setter
    def defaults(self, value: dict[str, Any]) -> None:
        self.optimizer.defaults = value

    def zero_grad(self, set_to_none: bool = True) -> None:
        """The inner optimiser's ``zero_grad``."""
        self.optimizer.zero_grad(set_to_none=set_to_none)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """The inner optimiser's ``add_param_group``."""
        self.optimizer.add_param_group(param_group)

    def __repr__(self) -> str:
        return f"ProximalEquivariance(every={self.every}, {self.optimizer!r})"

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ---------------------------------------------------------------- checks
    def _lr_map(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for j, g in enumerate(self.optimizer.param_groups):
            lr = g.get("lr", None)
            if lr is None:
                raise InvalidArgumentError(f"param_groups[{j}] has no 'lr'")
            v = check_lr(lr.item() if isinstance(lr, torch.Tensor) else lr, f"param_groups[{j}]['lr']")
            for p in g["params"]:
                out[id(p)] = v
        return out

    def _check_params(self) -> None:
        ids = {id(p) for g in self.optimizer.param_groups for p in g["params"]}
        for e in self.regularizer._entries:
            p = getattr(e.module, e.param)
            if id(p) not in ids:
                key = f"{e.name}.{e.param}" if e.name else e.param
                raise InvalidArgumentError(
                    f"regularizer: its parameter {key!r} ({type(e.module).__name__}, shape {tuple(p.shape)}) is not "
                    "optimised by optimizer; the regulariser was built for another model or parameter set")

    # ---------------------------------------------------------------- step
    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Inner step, then (every ``every`` steps) ``prox_`` with each group's lr and the dual step."""
        for hook in list(self._optimizer_step_pre_hooks.values()):
            hook(self, (), {})
        loss = self.optimizer.step() if closure is None else self.optimizer.step(closure)
        self._steps += 1
        if self._steps % self.every == 0:
            lrs = self._lr_map()
            k = self.every

            def lr_of(p: torch.Tensor) -> float:
                return k * lrs[id(p)]

            _prox.prox_(self.regularizer, lr_of)
            if self.regularizer._con is not None:
                self.regularizer._con.dual_step(self.regularizer, lr_of)
        for hook in list(self._optimizer_step_post_hooks.values()):
            hook(self, (), {})
        return loss

    # ---------------------------------------------------------------- checkpoints
    def state_dict(self) -> dict[str, Any]:  # type: ignore[override]
        """``{"optimizer": inner state, "prox": {"steps", "every", "multipliers", "dual_steps"}}``."""
        reg = self.regularizer
        prox: dict[str, Any] = {"steps": self._steps, "every": self.every}
        if reg._con is not None:
            prox["multipliers"] = reg.constraint_multipliers.detach().clone()
            prox["dual_steps"] = int(reg.constraint_steps)
        return {"optimizer": self.optimizer.state_dict(), "prox": prox}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:  # type: ignore[override]
        """Restore the inner optimiser, the step counter and the multipliers."""
        if not isinstance(state_dict, dict) or "optimizer" not in state_dict or "prox" not in state_dict:
            raise InvalidArgumentError("state_dict: expected the dict returned by ProximalEquivariance.state_dict()")
        self.optimizer.load_state_dict(state_dict["optimizer"])
        prox = state_dict["prox"]
        self._steps = int(prox["steps"])
        reg = self.regularizer
        if "multipliers" in prox:
            if reg._con is None or reg.constraint_multipliers.shape != prox["multipliers"].shape:
                raise InvalidArgumentError("state_dict: its multipliers do not fit this regulariser's constrained layers")
            with torch.no_grad():
                reg.constraint_multipliers.copy_(prox["multipliers"])
                reg.constraint_steps.fill_(int(prox["dual_steps"]))
