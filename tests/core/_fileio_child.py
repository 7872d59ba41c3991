"""A run that writes an output directory, for the signal tests of ``test_fileio.py``.

Usage: ``python _fileio_child.py TARGET MODE`` where MODE is

``quick``
    write ``first.txt`` and ``second.txt`` (content ``quick``) and finish normally;
``sleep``
    write ``first.txt`` and ``third.txt`` (content ``sleep``), print ``ready``, then sleep
    until a signal arrives (at most 60 s, then fail without output).
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from bsrlab.core.fileio import atomic_directory, terminate_on_signals


def main(argv: list[str]) -> int:
    target, mode = Path(argv[0]), argv[1]
    # A process started in the background may inherit SIGINT ignored; the test sends a real
    # SIGINT and expects the usual KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with terminate_on_signals(), atomic_directory(target) as tmp:
        names = ("first.txt", "second.txt") if mode == "quick" else ("first.txt", "third.txt")
        for name in names:
            (tmp / name).write_text(mode, encoding="utf-8")
        if mode == "sleep":
            print("ready", flush=True)
            time.sleep(60)
            raise SystemExit("no signal arrived within 60 s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
