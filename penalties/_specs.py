"""Input checks and hidden fields of the spec helpers (`mlp_spec`, `cnn_spec`, `regular_spec`).

Everything here runs before any projector is built: widths are checked against ``|G|`` before a
regular representation of a large group is constructed, Lie groups get a typed error for
``hidden="regular"``, and swapped or mismatched end representations are refused by their
dimensions.

Examples
--------
>>> from reptheory import groups
>>> _finite_order(groups.cyclic(4), "here")
4
"""

from __future__ import annotations

from typing import Any

from torch import nn

from reptheory.errors import DimensionMismatchError, GroupMismatchError, InvalidArgumentError

__all__: list[str] = []


def _field(hidden: Any, width: int, group: Any, where: str) -> Any:
    from reptheory.reps.representation import Representation

    if callable(hidden) and not isinstance(hidden, Representation):
        return hidden(width)
    if isinstance(hidden, str):
        if hidden == "trivial":
            return Representation.trivial(group, width)
        if hidden != "regular":
            raise InvalidArgumentError(f"hidden={hidden!r}: expected 'regular', 'trivial', a Representation or a callable")
        order = _finite_order(group, where)
        if width % order:  # checked before the (|G| × |G| per element) regular representation is built
            raise DimensionMismatchError(
                f"{where}: width {width} is not a multiple of |{group.name}| = {order}, the dimension of the "
                "regular representation (hidden='regular'); choose widths divisible by the group order or pass "
                "hidden='trivial', a Representation or a callable width -> Representation"
            )
        unit = Representation.regular(group)
    else:
        unit = hidden
    if width % unit.dim:
        raise DimensionMismatchError(
            f"{where}: width {width} is not a multiple of the field dimension {unit.dim} ({unit.name})"
        )
    return (width // unit.dim) * unit


def _finite_order(group: Any, where: str) -> int:
    """``|G|``, or a typed error for groups without a regular representation (compact Lie groups)."""
    order = getattr(group, "order", None)
    if order is None:
        raise InvalidArgumentError(
            f"{where}: hidden='regular' needs a finite group, but {getattr(group, 'name', group)} is a compact Lie "
            "group (it has no finite regular representation); pass hidden= a Representation (e.g. a sum of irreps) "
            "or a callable width -> Representation"
        )
    return int(order)


def _check_ends(model: nn.Module, rho_in: Any, rho_out: Any, d_in: int, d_out: int, where: str) -> None:
    """Refuse ``rho_in``/``rho_out`` that are not representations of one group with the model's end widths."""
    from reptheory.reps.representation import Representation

    for nm, r in (("rho_in", rho_in), ("rho_out", rho_out)):
        if not isinstance(r, Representation):
            raise InvalidArgumentError(f"{where}: {nm} must be a reptheory Representation, got {type(r).__name__}")
    if rho_in.group != rho_out.group:
        raise GroupMismatchError(
            f"{where}: rho_in is a representation of {rho_in.group.name} and rho_out of {rho_out.group.name}"
        )
    if (rho_in.dim, rho_out.dim) == (d_in, d_out):
        return
    hint = " (rho_in and rho_out look swapped)" if (rho_out.dim, rho_in.dim) == (d_in, d_out) else ""
    raise DimensionMismatchError(
        f"{where}: {type(model).__name__} maps {d_in} input features to {d_out} outputs, but "
        f"rho_in={rho_in.name!r} has dimension {rho_in.dim} and rho_out={rho_out.name!r} has dimension "
        f"{rho_out.dim}{hint}; call mlp_spec(model, rho_in, rho_out) with rho_in.dim == {d_in} and "
        f"rho_out.dim == {d_out}"
    )
