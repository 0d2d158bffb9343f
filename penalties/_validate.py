"""Argument checks shared by the constructors of [`penalties`][penalties] (private).

Every check raises [`InvalidArgumentError`][reptheory.errors.InvalidArgumentError] (or a subclass) naming the
argument and its value: weights λ must be real, finite and non-negative numbers, counts positive
integers, tensors tensors, models modules.  `install_state_guard` makes a regulariser's
``state_dict`` describe its projectors completely (a digest of every projector and of the
layer layout) and refuses to load one that does not fit.

Examples
--------
>>> check_lambda(0.5, "lambda_perp")
0.5
>>> check_lambda(float("nan"), "lambda_perp")
Traceback (most recent call last):
...
reptheory.errors.InvalidArgumentError: lambda_perp=nan must be a finite number >= 0
"""

from __future__ import annotations

import hashlib
import math
import numbers
from typing import Any

import torch
from torch import nn

from penalties.errors import GroupMismatchError, InvalidArgumentError

__all__ = [
    "check_lambda",
    "check_layer_spec",
    "check_module",
    "check_positive_int",
    "check_regularizer_args",
    "check_tensor",
    "install_state_guard",
]


def check_lambda(value: Any, name: str, *, optional: bool = False) -> float | None:
    """A penalty weight: a real, finite, non-negative number (``None`` allowed when ``optional``)."""
    if value is None and optional:
        return None
    if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.requires_grad:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentError(f"{name} must be a real number, got {type(value).__name__} {value!r:.40}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise InvalidArgumentError(f"{name}={value!r} must be a finite number >= 0")
    return v


def check_positive_int(value: Any, name: str) -> int:
    """A count: an integer >= 1 (``1.9`` and ``True`` are refused, not truncated)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise InvalidArgumentError(f"{name}={value!r} must be a positive integer")
    return int(value)


def check_tensor(value: Any, name: str) -> torch.Tensor:
    """A ``torch.Tensor`` (an ndarray or a list is refused with the argument named)."""
    if not isinstance(value, torch.Tensor):
        raise InvalidArgumentError(
            f"{name} must be a torch.Tensor, got {type(value).__name__} (convert with torch.as_tensor)"
        )
    return value


def check_module(value: Any, name: str) -> nn.Module:
    """A ``torch.nn.Module``."""
    if not isinstance(value, nn.Module):
        raise InvalidArgumentError(f"{name} must be a torch.nn.Module, got {type(value).__name__} {value!r:.40}")
    return value


def check_layer_spec(ls: Any) -> None:
    """Per-layer λ overrides of a ``LayerSpec``: ``None`` or finite numbers >= 0."""
    check_lambda(ls.lambda_eq, "LayerSpec.lambda_eq", optional=True)
    check_lambda(ls.lambda_perp, "LayerSpec.lambda_perp", optional=True)
    if not isinstance(ls.param, str):
        raise InvalidArgumentError(f"LayerSpec.param must be a str, got {type(ls.param).__name__}")


def check_regularizer_args(model: Any, spec: Any, lambda_eq: Any, lambda_perp: Any) -> None:
    """The arguments every regulariser constructor shares."""
    from collections.abc import Mapping

    check_module(model, "model")
    if not isinstance(spec, Mapping):
        raise InvalidArgumentError(f"spec must be a mapping of module names to layer specs, got {type(spec).__name__}")
    check_lambda(lambda_eq, "lambda_eq")
    check_lambda(lambda_perp, "lambda_perp")


# ------------------------------------------------------------------ state_dict guard
_DIGEST = "_projector_digest"


def _digest(reg: nn.Module) -> torch.Tensor:
    """sha256 over the layer layout (names, parameters, reshapes, λ's) and every projector buffer.

    Floating buffers are hashed at float32 precision, so a float64 and a float32 copy of the same
    regulariser agree.
    """
    h = hashlib.sha256()
    for e in getattr(reg, "_entries", []):
        h.update(repr((e.name, e.param, getattr(e, "reshape", None), e.proj, e.lambda_eq, e.lambda_perp)).encode())
    for name, buf in reg.projectors.named_buffers():
        if name == _DIGEST:
            continue
        h.update(name.encode())
        t = buf.detach().cpu()
        if t.is_complex():
            t = torch.view_as_real(t.to(torch.complex64))
        elif t.is_floating_point():
            t = t.to(torch.float32)
        h.update(str(tuple(t.shape)).encode())
        h.update(t.contiguous().numpy().tobytes())
    return torch.frombuffer(bytearray(h.digest()), dtype=torch.uint8).clone()


def install_state_guard(reg: nn.Module) -> None:
    """Make ``reg.state_dict()`` carry a digest of its projectors and check it on ``load_state_dict``.

    On load, a missing digest, a different digest (a regulariser of another group, other
    representations or another layout) or a buffer of another shape raises a typed error before
    anything is copied; after a successful load, the fused buffers are rebuilt from the loaded
    projectors, so no part of the regulariser keeps stale data.
    """
    # kept with the projectors (the state_dict holds only projector data, never the model)
    reg.projectors.register_buffer(_DIGEST, _digest(reg), persistent=True)

    def pre_hook(module: nn.Module, state_dict: dict[str, Any], prefix: str, *args: Any) -> None:
        key = prefix + "projectors." + _DIGEST
        if key not in state_dict:
            raise InvalidArgumentError(
                f"state_dict has no {key!r}: it does not describe the regulariser's projectors completely "
                "(saved by another class or an older version); rebuild the regulariser instead"
            )
        theirs = state_dict[key]
        mine = getattr(module.projectors, _DIGEST)
        if not isinstance(theirs, torch.Tensor) or theirs.shape != mine.shape or not torch.equal(theirs.cpu(), mine.cpu()):
            raise GroupMismatchError(
                "state_dict: the projectors were built for another group, other representations or another "
                "layer layout than this regulariser (projector digest differs); refusing to load it"
            )
        own = module.state_dict()
        for k, v in own.items():
            full = prefix + k
            if full in state_dict and isinstance(v, torch.Tensor) and isinstance(state_dict[full], torch.Tensor) \
                    and tuple(state_dict[full].shape) != tuple(v.shape):
                raise GroupMismatchError(
                    f"state_dict: {full!r} has shape {tuple(state_dict[full].shape)}, expected {tuple(v.shape)}"
                )

    def post_hook(module: nn.Module, incompatible: Any) -> None:
        rebuild = getattr(module, "_build_fused", None)
        if callable(rebuild):
            rebuild()

    reg._register_load_state_dict_pre_hook(pre_hook, with_module=True)
    reg.register_load_state_dict_post_hook(post_hook)
