"""The ``bsrlab`` command line: a thin layer over the library.

Every command turns a :class:`bsrlab.core.errors.BsrlabError` (and any usage error) into one line on
stderr and exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from bsrlab.core.errors import BsrlabError

__all__ = ["app", "main"]

app = typer.Typer(
    name="bsrlab",
    help="Balance sheet recessions and banking distress: models, figures, case studies, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    # Each command group lives in its own module; importing registers it on ``app``.
    from bsrlab.interfaces.cli import vonpeter  # noqa: F401

    for mod in ("deleverage", "report", "cases"):
        try:
            __import__(f"bsrlab.interfaces.cli.{mod}")
        except ModuleNotFoundError as exc:  # a command group not installed in this build
            if exc.name != f"bsrlab.interfaces.cli.{mod}":
                raise


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to one stderr line and exit 2."""
    try:
        _main(argv)
    except BrokenPipeError:  # e.g. ``bsrlab solve ... | head``
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


def _main(argv: list[str] | None) -> None:
    _register()
    cmd = typer.main.get_command(app)
    try:
        rv = cmd.main(args=argv, prog_name="bsrlab", standalone_mode=False)
    except BsrlabError as exc:
        _fail(str(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        # Usage errors of the command-line parser (typer's click): they carry a message and an
        # exit code. Duck-typed, so no private module of typer is imported.
        if type(exc).__name__ == "NoArgsIsHelpError" and hasattr(exc, "format_message"):
            print(exc.format_message())
            sys.exit(0)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            _fail(exc.format_message())
        if type(exc).__name__ == "Abort":
            print("bsrlab: aborted", file=sys.stderr)
            sys.exit(130)
        raise
    sys.exit(rv if isinstance(rv, int) else 0)


def _fail(message: str) -> NoReturn:
    """Print one line on stderr and exit with status 2."""
    line = " ".join(str(message).split())
    print(f"bsrlab: error: {line}", file=sys.stderr)
    sys.exit(2)
