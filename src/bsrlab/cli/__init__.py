"""The ``bsrlab`` command line: a thin layer over the library.

Every command turns a :class:`bsrlab.errors.BsrlabError` (and any usage error) into one line on
stderr and exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import sys

import click
import typer

from bsrlab.errors import BsrlabError

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
    from bsrlab.cli import vonpeter  # noqa: F401

    for mod in ("deleverage", "report", "cases"):
        try:
            __import__(f"bsrlab.cli.{mod}")
        except ModuleNotFoundError as exc:  # a command group not installed in this build
            if exc.name != f"bsrlab.cli.{mod}":
                raise


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to one stderr line and exit 2."""
    _register()
    cmd = typer.main.get_command(app)
    try:
        rv = cmd.main(args=argv, prog_name="bsrlab", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        print("bsrlab: aborted", file=sys.stderr)
        sys.exit(130)
    except click.ClickException as exc:
        msg = exc.format_message().replace("\n", " ")
        print(f"bsrlab: error: {msg}", file=sys.stderr)
        sys.exit(2)
    except BsrlabError as exc:
        print(f"bsrlab: error: {exc}".replace("\n", " "), file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rv if isinstance(rv, int) else 0)
