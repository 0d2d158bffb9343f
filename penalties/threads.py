"""Thread settings for small models.

torch starts one intra-op thread per core.  For the small layers this project trains (widths of
tens to hundreds, batches of hundreds), each operation is too small to split, and the threads
spend their time waiting for each other and for other processes: on a loaded 2-core machine
the main job took 303 s with torch's default of two threads against 46 s with one (load average
8 to 12), and 40 s against 15 s at load average 4.  The examples, the
tutorials and ``python -m penalties.demo`` therefore run torch on one thread unless told otherwise:

* ``--threads N`` on their command line (where they have one), or
* the environment variable ``PENALTIES_NUM_THREADS=N``, or
* ``OMP_NUM_THREADS=N`` (torch's own setting), if set.

Large models (big convolutions, large batches) do benefit from more threads: set one of these.

Examples
--------
>>> import torch
>>> before = torch.get_num_threads()
>>> configure_threads(1)
1
>>> torch.get_num_threads()
1
>>> _ = configure_threads(before)
"""

from __future__ import annotations

import os

from penalties.errors import InvalidArgumentError

__all__ = ["ENV_VAR", "configure_threads", "default_threads"]

#: The environment variable read by [`configure_threads`][penalties.threads.configure_threads].
ENV_VAR = "PENALTIES_NUM_THREADS"


def _parse(value: str, where: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise InvalidArgumentError(f"{where}={value!r} must be a positive integer") from None
    if n < 1:
        raise InvalidArgumentError(f"{where}={value!r} must be a positive integer")
    return n


def default_threads() -> int:
    """``$PENALTIES_NUM_THREADS``, else ``$OMP_NUM_THREADS``, else 1.

    Examples
    --------
    >>> import os
    >>> default_threads() >= 1
    True
    """
    for var in (ENV_VAR, "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").strip()
        if value:
            return _parse(value, var)
    return 1


def configure_threads(n: int | None = None) -> int:
    """Set torch's intra-op thread count: ``n``, or [`default_threads`][penalties.threads.default_threads] when ``n`` is None.

    Returns the number set.  Inter-op threads are left alone (they can only be set once).

    Examples
    --------
    >>> configure_threads(2), configure_threads(1)
    (2, 1)
    """
    import torch

    k = default_threads() if n is None else _parse(str(n), "threads")
    torch.set_num_threads(k)
    return k
