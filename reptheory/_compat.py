"""Module paths of release 0.1 that moved in 0.2, kept importable for one release.

``import reptheory.representations`` (and the other paths in `MOVED`) still works: the
import returns the module at its new place and emits a `DeprecationWarning` naming it.
This is done by one import hook installed by ``reptheory/__init__.py``; it does nothing for any
other name, and it goes away in 0.3.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from reptheory.projectors import OrbitProjector
>>> OrbitProjector.__module__
'reptheory.hom.projectors'
>>> "reptheory.hom.projectors" in str(caught[0].message)
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from typing import Any

__all__ = ["MOVED", "install"]

#: Old module path → new module path.
MOVED: dict[str, str] = {
    "reptheory.representations": "reptheory.reps.representation",
    "reptheory.intertwiners": "reptheory.hom.space",
    "reptheory.projectors": "reptheory.hom.projectors",
    "reptheory.orbits": "reptheory.hom.orbits",
    "reptheory.averaging": "reptheory.hom.averaging",
    "reptheory.character_table": "reptheory.characters.table",
    "reptheory.characters_lie": "reptheory.characters.lie",
    "reptheory.irreps": "reptheory.decomposition.irreps",
    "reptheory.irreps.finite": "reptheory.decomposition.irreps.finite",
    "reptheory.irreps.lie": "reptheory.decomposition.irreps.lie",
    "reptheory.demo": "reptheory.cli.demo",
    "reptheory.groups.lie_reps": "reptheory.reps.lie",
}

# ``reptheory.intertwiners`` and ``reptheory.character_table`` are also functions of the top-level
# package; importing the old module path must not replace them there.
_SHADOWED = {"reptheory.intertwiners": "intertwiners", "reptheory.character_table": "character_table"}


class _CallableModule(types.ModuleType):
    """The old path of a module whose name is also a function of ``reptheory``: both uses keep working."""

    def __init__(self, name: str, target: types.ModuleType, func: Any) -> None:
        super().__init__(name, target.__doc__)
        self.__dict__["_target"], self.__dict__["_func"] = target, func

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.__dict__["_target"], attr)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["_func"](*args, **kwargs)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warnings.warn(
            f"'{self.old}' moved to '{self.new}' in reptheory 0.2; the old path goes away in 0.3",
            DeprecationWarning,
            stacklevel=2,  # warnings skips the import machinery's frames
        )
        target = importlib.import_module(self.new)
        name = _SHADOWED.get(self.old)
        if name is None:
            return target
        return _CallableModule(self.old, target, getattr(target, name))

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(fullname, new))


_FINDER = _AliasFinder()


def install() -> None:
    """Install the hook (idempotent; called once by ``reptheory/__init__.py``)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_FINDER)
