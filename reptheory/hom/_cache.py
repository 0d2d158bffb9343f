"""Persistent (disk) cache of intertwiner spaces.

Location: ``$REPTHEORY_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/reptheory``, else the
platform's user cache directory (``~/.cache/reptheory`` on Linux,
``~/Library/Caches/reptheory`` on macOS, ``%LOCALAPPDATA%\\reptheory\\Cache`` on Windows);
never inside the installed package.  ``REPTHEORY_DISK_CACHE=0`` disables it.

Entries are files ``<sha256>.npz`` written by [`reptheory.io.save_space`][reptheory.io.save_space] (no pickle,
checksummed); every entry read is verified against the representations it was requested for
([`reptheory.io.load_space`][reptheory.io.load_space] with ``rho_in``/``rho_out``: each basis element intertwines their
generators, the dimension matches the character formula) and discarded when it fails; the key hashes the library version, both representation keys (which
include the group key), ``exact``, ``method`` and ``rationalize``, so a new library
version never reads old entries.  Writes are atomic (temporary file in the same
directory, then ``os.replace``), so concurrent processes at worst compute the same
entry twice.  Only results that took at least `DISK_CACHE_MIN_SECONDS` to compute
are stored (never orbit-method results or diagram-span projectors, which recompute faster than they load); unreadable, mismatched or unverifiable entries are deleted and recomputed.

Examples
--------
>>> import os
>>> os.environ.get("REPTHEORY_CACHE_DIR") is None or isinstance(cache_dir(), str)
True
"""

from __future__ import annotations

import hashlib
import os
import sys
from typing import Any

__all__ = ["cache_dir", "cache_key", "lookup", "maybe_store", "disk_cache_enabled", "DISK_CACHE_MIN_SECONDS"]

#: Results computed faster than this are not written to disk.
DISK_CACHE_MIN_SECONDS = 0.25


def disk_cache_enabled() -> bool:
    """Whether the disk cache is on (``REPTHEORY_DISK_CACHE`` not in {"0", "false", "off", "no"})."""
    return os.environ.get("REPTHEORY_DISK_CACHE", "1").strip().lower() not in ("0", "false", "off", "no")


def cache_dir() -> str:
    """The cache directory (not created here).

    Examples
    --------
    >>> isinstance(cache_dir(), str)
    True
    """
    env = os.environ.get("REPTHEORY_CACHE_DIR")
    if env:
        return os.path.abspath(os.path.expanduser(env))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return os.path.join(os.path.abspath(os.path.expanduser(xdg)), "reptheory")
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "reptheory")
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA", os.path.join(home, "AppData", "Local"))
        return os.path.join(base, "reptheory", "Cache")
    return os.path.join(home, ".cache", "reptheory")


def cache_key(rho_in: Any, rho_out: Any, exact: bool, method: str, rationalize: bool) -> str:
    """sha256 of the library version and the canonical description of the problem.

    Examples
    --------
    >>> from reptheory import groups, Representation
    >>> R = Representation.regular(groups.cyclic(3))
    >>> len(cache_key(R, R, False, "auto", False))
    64
    """
    import reptheory

    text = "|".join([
        "reptheory-hom", str(reptheory.__version__), rho_in.group.key, rho_in.key, rho_out.key,
        f"exact={bool(exact)}", f"method={method}", f"rationalize={bool(rationalize)}",
    ])
    return hashlib.sha256(text.encode()).hexdigest()


def _path(key: str) -> str:
    return os.path.join(cache_dir(), f"{key}.npz")


def lookup(key: str, rho_in: Any, rho_out: Any) -> Any:
    """The cached space for ``key`` or None (missing, disabled, unreadable or mismatched)."""
    if not disk_cache_enabled():
        return None
    path = _path(key)
    if not os.path.exists(path):
        return None
    from reptheory.errors import ReptheoryError
    from reptheory.io import load_space

    try:
        # every entry is verified against the representations it is asked for (a forged or
        # corrupted entry must not change what intertwiners() returns)
        space = load_space(path, rho_in=rho_in, rho_out=rho_out, check=True)
    except (ReptheoryError, OSError, ValueError, KeyError):
        _discard(path)
        return None
    import reptheory

    if space.meta.get("library_version") != reptheory.__version__ or space.meta.get("cache_key") != key:
        _discard(path)
        return None
    space.info["cache"] = "disk"
    return space


def _discard(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def maybe_store(key: str, space: Any, *, force: bool = False) -> bool:
    """Write ``space`` to the cache if it took long enough (or ``force``); never raises on I/O errors."""
    if not disk_cache_enabled():
        return False
    rebuilt = space.method == "orbit" or space.info.get("form") == "span"
    if not force and (float(space.info.get("seconds", 0.0)) < DISK_CACHE_MIN_SECONDS or rebuilt):
        return False  # orbit labels and the all-diagram matrix of a span projector rebuild faster than a file loads
    from reptheory.io import save_space

    try:
        os.makedirs(cache_dir(), exist_ok=True)
        save_space(space, _path(key), extra_meta={"cache_key": key})
    except (OSError, ValueError):
        return False
    return True
