"""Running the command line in-process and capturing what it prints."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from bsrlab.interfaces.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    """Run ``bsrlab ARGS`` in-process; any exception other than SystemExit propagates."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, out.getvalue(), err.getvalue())
