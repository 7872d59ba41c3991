"""Signals that end a run cleanly: SIGTERM and SIGHUP become ``SystemExit(128 + signum)``.

Standard library only and cheap to import, so that every command can install it (a command that
writes no file need not import :mod:`bsrlab.core.fileio`, which re-exports it).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["handled", "in_main_thread", "terminate_on_signals"]


def in_main_thread() -> bool:
    """Whether signal handlers can be installed here (only the main thread may)."""
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``SystemExit(128 + signum)`` so that cleanups run.

    By default these signals end the process at once, skipping ``finally:`` blocks and context
    managers, so temporary files would stay behind. Inside this block they raise
    :class:`SystemExit` in the main thread instead; the exit status is the one a shell reports
    for a process killed by the signal (143 for SIGTERM). SIGINT needs nothing: it already
    raises :class:`KeyboardInterrupt`. SIGHUP is left alone when it is ignored (as under
    ``nohup``). The previous handlers are restored on exit. Outside the main thread, where
    handlers cannot be installed, this does nothing.

    Examples
    --------
    >>> import signal
    >>> before = signal.getsignal(signal.SIGTERM)
    >>> with terminate_on_signals():
    ...     signal.getsignal(signal.SIGTERM) is before
    False
    >>> signal.getsignal(signal.SIGTERM) is before
    True
    """
    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    with handled(("SIGTERM", "SIGHUP"), terminate, keep_ignored=("SIGHUP",)):
        yield


@contextlib.contextmanager
def handled(names: tuple[str, ...], handler: Any, *,
            keep_ignored: tuple[str, ...] = ()) -> Iterator[None]:
    """Install ``handler`` for the signals ``names`` in the block; restore the previous ones.

    A signal whose handler was installed outside Python is left alone, and so is one of
    ``keep_ignored`` that is currently ignored (``nohup``). Outside the main thread, where
    handlers cannot be installed, nothing is done.
    """
    if not in_main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    try:
        for name in names:
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            old = signal.getsignal(sig)
            if old is None or (name in keep_ignored and old is signal.SIG_IGN):
                continue
            previous[sig] = old
            signal.signal(sig, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
