"""The ``bsrlab`` command line: a thin layer over the library.

Every command turns a :class:`bsrlab.core.errors.BsrlabError` (and any usage error) into one line on
stderr and exit status 2; no traceback reaches the user. SIGTERM and SIGHUP end a run through the
same clean-up as an error (temporary output is removed); SIGINT ends it with status 130.

Only the command group that is run is imported (``bsrlab solve`` does not load the report's
plotting code), and options are read as text and converted by
:mod:`bsrlab.interfaces.cli.common`, so that a bad value names the option, what it accepts and
the value given.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import typer

from bsrlab.core.errors import BsrlabError, error_line
from bsrlab.core.signals import terminate_on_signals

__all__ = ["app", "main"]

app = typer.Typer(
    name="bsrlab",
    help="Balance sheet recessions and banking distress: models, figures, case studies, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from bsrlab import __version__

        typer.echo(f"bsrlab {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    """Balance sheet recessions and banking distress: models, figures, case studies, reports."""


#: The module defining each command (a group registers its subcommands itself).
_MODULES = {
    "solve": "vonpeter", "thresholds": "vonpeter", "equilibria": "vonpeter",
    "deleverage": "deleverage",
    "report": "report", "figures": "report",
    "data": "cases", "case": "cases", "validate": "cases",
    "policy": "policy", "shocks": "policy",
    "dashboard": "dashboard",
    "risk": "risk", "sweep": "sweep",
    "scenario": "scenario",
    "explore": "explore",
}
_loaded: set[str] = set()


def _register(argv: Sequence[str] | None = None) -> None:
    """Import the command modules (each registers its commands on ``app`` when imported).

    With ``argv`` whose first word names a command, only that command's module is imported;
    otherwise (help, a typo, no command) all of them are, so help and "No such command" list
    everything.
    """
    first = next((a for a in (argv or ()) if not a.startswith("-")), None)
    mods = [_MODULES[first]] if first in _MODULES else list(dict.fromkeys(_MODULES.values()))
    if argv is not None and first is None and "--version" in argv:
        mods = []
    for mod in mods:
        if mod not in _loaded:
            __import__(f"bsrlab.interfaces.cli.{mod}")
            _loaded.add(mod)


class _TextValue:
    """Coercion of an option declared as text (or a flag): the parser's value is taken as it is.

    Every option of this command line is declared ``str`` (or ``list[str]``) and converted by
    :mod:`bsrlab.interfaces.cli.common`; the general coercion of typer is not needed for them
    and costs a noticeable part of a short run's time.
    """

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if _annotation(param) is bool:  # an on/off flag: the parser gives a bool
            return value if value is None or isinstance(value, bool) else (
                str(value).strip().lower() in ("1", "true", "yes", "on"))
        multi = bool(getattr(param, "multiple", False)) or getattr(param, "nargs", 1) == -1
        if value is None:
            return () if multi else None
        if multi:
            if isinstance(value, str):
                raise BsrlabError(f"option {param.opts[0]}: expected a list; got {value!r}")
            return [str(v) for v in value]
        return value if isinstance(value, str) else str(value)


def _annotation(param: Any) -> Any:
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _text_annotation(param: Any) -> bool:
    ann = _annotation(param)
    return ann is str or ann is bool or ann == list[str]


def _light_coercion(cmd: Any) -> None:
    """Give every text option of ``cmd`` (recursively) the plain coercion of :class:`_TextValue`.

    Done only where typer keeps a lazily built coercion per parameter (``_runtime_param``); with
    other versions of typer nothing changes.
    """
    for p in getattr(cmd, "params", ()):
        _lighten(p)
    original = getattr(cmd, "get_help_option", None)
    if callable(original):  # the --help option is made on first use

        def get_help_option(ctx: Any, _original: Any = original) -> Any:
            opt = _original(ctx)
            _lighten(opt)
            return opt

        cmd.get_help_option = get_help_option
    for sub in getattr(cmd, "commands", {}).values():
        _light_coercion(sub)


def _lighten(param: Any) -> None:
    if getattr(param, "_runtime_param", 0) is None and _text_annotation(param):
        param._runtime_param = _TextValue()


#: The variables by which OpenBLAS takes its number of threads (the first one set counts).
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Let numpy's (and scipy's) OpenBLAS start with one thread, unless the user chose a number.

    OpenBLAS starts its pool of threads when numpy is first imported. The commands' linear
    algebra (a 5 x 5 system, sparse systems of a few thousand unknowns) never uses the pool,
    and starting it costs more than the whole computation of a short command, more still on a
    busy machine. Nothing changes when numpy is already imported or a variable of
    :data:`_BLAS_THREADS` is set; the environment is restored afterwards.
    """
    if "numpy" in sys.modules or any(name in os.environ for name in _BLAS_THREADS):
        yield
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to one stderr line and exit 2."""
    try:
        with terminate_on_signals(), _one_blas_thread():
            _main(argv)
    except BrokenPipeError:  # e.g. ``bsrlab solve ... | head``
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        print("bsrlab: interrupted", file=sys.stderr)
        sys.exit(130)


_built: dict[frozenset[str], Any] = {}


def _command() -> Any:
    """The parser of the registered commands, built once per set of loaded modules."""
    key = frozenset(_loaded)
    if key not in _built:
        cmd = typer.main.get_command(app)
        _light_coercion(cmd)
        _built.clear()
        _built[key] = cmd
    return _built[key]


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    _register(args)
    cmd = _command()
    try:
        with warnings.catch_warnings():
            # A numerical warning means a result that was not verified: report it as an error.
            warnings.simplefilter("error", RuntimeWarning)
            rv = cmd.main(args=args, prog_name="bsrlab", standalone_mode=False)
    except BsrlabError as exc:
        _fail(str(exc))
    except (RuntimeWarning, ArithmeticError) as exc:
        _fail(f"the computation failed numerically ({exc}); the parameters are probably too "
              "close to a boundary of their admissible range")
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (RecursionError, MemoryError) as exc:
        _fail(f"the input is too large to process ({type(exc).__name__})")
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
    print(error_line(message), file=sys.stderr)
    sys.exit(2)
