"""Reliability tests: every case runs under a wall-clock alarm, so a hang fails instead of stalling CI."""

from __future__ import annotations

import os
import re
import signal
import threading

import pytest

#: Seconds per test case (override with RELIABILITY_TIMEOUT).
TIMEOUT = int(os.environ.get("RELIABILITY_TIMEOUT", "60"))


class CaseTimeout(Exception):
    """A reliability case ran past its alarm: a hang is a failure."""


@pytest.fixture(autouse=True)
def _alarm(request):
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        raise CaseTimeout(f"{request.node.nodeid} ran longer than {TIMEOUT} s (hang?)")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def names(err: BaseException, *words: str) -> bool:
    """Whether the error message names every one of ``words`` (case-insensitive)."""
    msg = str(err).lower()
    return all(re.search(re.escape(w.lower()), msg) for w in words)


def assert_typed_error(fn, exc: type[BaseException], words: list[str]) -> None:
    """``fn()`` raises ``exc`` (the library's own type) with a message naming every one of ``words``."""
    with pytest.raises(exc) as info:
        fn()
    assert names(info.value, *words), str(info.value)
