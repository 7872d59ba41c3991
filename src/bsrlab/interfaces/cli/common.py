"""Shared pieces of the command line: option parsing, output formats, JSON, CSV and tables.

Every option is read as text and converted here, so that a bad value gives one line that names
the option, what it accepts and the value given, e.g.
``option --alpha: expected a real number; got 'abc'``. Non-finite numbers (``inf``, ``nan``)
are :class:`~bsrlab.core.errors.ParameterError`\\ s naming the parameter.

This module imports neither numpy nor pandas: commands that do not compute stay fast.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from bsrlab.models.vonpeter import Params

from bsrlab.core.errors import BsrlabError, ParameterError

__all__ = [
    "CSV_HELP",
    "FORMAT_HELP",
    "AlphaOpt",
    "BetaOpt",
    "FormatOpt",
    "GammaOpt",
    "HOpt",
    "OptionError",
    "OutputFormat",
    "ROpt",
    "TausOpt",
    "YOpt",
    "beta_from",
    "choice",
    "csv_text",
    "echo_json",
    "emit",
    "flatten",
    "format_table",
    "in_dir",
    "integer",
    "out_dir",
    "output_format",
    "real",
    "real_list",
    "vonpeter_params",
]

CSV_HELP = ("csv: a header row of the JSON names, then one row per record; nested fields "
            "become dotted names (calibration.alpha, peak_window.0)")
FORMAT_HELP = f"table (for people), json or csv [{CSV_HELP}]."

#: ``--format table|json|csv``, as every command that prints results takes it.
FormatOpt = Annotated[str, typer.Option(
    "--format", metavar="[table|json|csv]", help=FORMAT_HELP)]

# The von Peter model's options, declared once for every command that takes a calibration.
AlphaOpt = Annotated[str, typer.Option(
    "--alpha", metavar="FLOAT", help="Output elasticity of assets, R-1 < alpha < 1.")]
BetaOpt = Annotated[str | None, typer.Option(
    "--beta", metavar="FLOAT", help="Discount factor, 0 < beta < 1 (give --beta or --R).")]
ROpt = Annotated[str | None, typer.Option(
    "--R", metavar="FLOAT", help="Gross natural rate R = 1/beta > 1 (instead of --beta).")]
GammaOpt = Annotated[str, typer.Option(
    "--gamma", metavar="FLOAT", help="CRRA coefficient, 0 <= gamma < 1.")]
YOpt = Annotated[str, typer.Option("--y", metavar="FLOAT", help="Output y = f(H), y > 0.")]
HOpt = Annotated[str, typer.Option("--H", metavar="FLOAT", help="Asset stock H, H > 0.")]
TausOpt = Annotated[str, typer.Option(
    "--tau", metavar="FLOAT[,FLOAT...]",
    help="Shock 0 <= tau <= 1, or a comma-separated list of shocks.")]


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """Run a one-shot batch of drawing (a report, a set of figures) without the cyclic collector.

    Such a run makes hundreds of thousands of short-lived plotting objects, which reference
    counting frees; the cyclic collector's scans of them found nothing worth freeing and cost
    about a tenth of the run's CPU time (``benchmarks/bench_cli.py``; peak memory unchanged).
    The collector is re-enabled, as it was, on the way out.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def vonpeter_params(alpha: str, beta: str | None, R: str | None, gamma: str, y: str = "1.0",
                    H: str = "1.0") -> Params:
    """The von Peter calibration from the options' text (``--beta`` or ``--R``)."""
    from bsrlab.models.vonpeter import Params

    return Params(alpha=real("alpha", alpha), beta=beta_from(beta, R),
                  gamma=real("gamma", gamma), y=real("y", y), H=real("H", H))


class OutputFormat(StrEnum):
    """``--format``: ``table`` for people, ``json`` and ``csv`` for programs."""

    table = "table"
    json = "json"
    csv = "csv"


class OptionError(BsrlabError, ValueError):
    """A command-line option's text cannot be converted: names the option, the rule, the text.

    Examples
    --------
    >>> str(OptionError("alpha", "a real number", "abc"))
    "option --alpha: expected a real number; got 'abc'"
    """

    def __init__(self, option: str, expected: str, text: object) -> None:
        self.option = option.lstrip("-")
        self.expected = expected
        self.text = text
        super().__init__(f"option --{self.option}: expected {expected}; got {_show(text)}")


def _show(text: object) -> str:
    s = repr(text)
    return s if len(s) <= 60 else s[:57] + "..."


# ---- conversion ------------------------------------------------------------------------------


def _to_float(option: str, text: str, expected: str) -> float:
    t = text.strip()
    if not t or len(t) > 100:
        raise OptionError(option, expected, text)
    try:
        return float(t)
    except ValueError:
        raise OptionError(option, expected, text) from None


def real(option: str, text: str | None, *, name: str | None = None,
         default: float | None = None) -> float:
    """Convert the text of option ``--option`` to a finite float.

    ``None`` (the option not given) returns ``default`` when one is set. ``inf`` and ``nan`` are
    numbers but not admissible values: they raise ParameterError naming the parameter ``name``
    (default: the option's name).
    """
    if text is None:
        if default is None:
            raise OptionError(option, "a real number", "")
        return default
    x = _to_float(option, text, "a real number")
    if not math.isfinite(x):
        raise ParameterError(name or option, "a finite real number", x)
    return x


def real_list(option: str, text: str, *, name: str | None = None) -> list[float]:
    """Convert ``"0.02,0.05"`` to finite floats; an empty item (``"0.1,"``, ``","``) is an error."""
    pname = name or option
    expected = (f"a real number or a comma-separated list of real numbers "
                f"(parameter '{pname}')")
    items = text.split(",")
    if len(items) > 10_000:
        raise OptionError(option, "at most 10000 values", f"{len(items)} values")
    out = []
    for item in items:
        if not item.strip():
            raise OptionError(option, expected, text)
        x = _to_float(option, item, expected)
        if not math.isfinite(x):
            raise ParameterError(pname, "a finite real number", x)
        out.append(x)
    return out


def integer(option: str, text: str | None, *, lo: int | None = None,
            hi: int | None = None) -> int | None:
    """Convert the text of ``--option`` to an int within ``[lo, hi]``; ``None`` stays None."""
    if text is None:
        return None
    expected = "an integer"
    if lo is not None and hi is not None:
        expected = f"an integer from {lo} to {hi}"
    elif lo is not None:
        expected = f"an integer >= {lo}"
    t = text.strip()
    if not t or len(t) > 18:
        raise OptionError(option, expected, text)
    try:
        v = int(t)
    except ValueError:
        raise OptionError(option, expected, text) from None
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise OptionError(option, expected, text)
    return v


def choice(option: str, text: str, choices: Iterable[str]) -> str:
    """``text`` if it is one of ``choices``, else an OptionError listing them."""
    opts = list(choices)
    if text not in opts:
        raise OptionError(option, "one of " + ", ".join(opts), text)
    return text


def output_format(text: str) -> OutputFormat:
    """The value of ``--format`` (table, json or csv)."""
    return OutputFormat(choice("format", text, [f.value for f in OutputFormat]))


def beta_from(beta: str | None, R: str | None) -> float:
    """beta from ``--beta`` or ``--R`` (R = 1/beta): exactly one of them must be given."""
    if beta is not None and R is not None:
        raise BsrlabError("options --beta and --R: give one of them, not both (R = 1/beta)")
    if beta is None and R is None:
        raise BsrlabError("missing option: give --beta (0 < beta < 1) or --R (R > 1)")
    if beta is not None:
        return real("beta", beta)
    r = real("R", R)
    if not r > 1.0:
        raise ParameterError("R", "R > 1", r)
    return 1.0 / r


def out_dir(option: str, text: str) -> Path:
    """Check an output directory given as ``--option`` before any work is done.

    The path must be valid (see :func:`bsrlab.core.fileio.output_path`), must not be a file, and
    its nearest existing ancestor must be a writable directory.
    """
    from bsrlab.core.fileio import output_path

    path = output_path(option, text)
    if path.exists() and not path.is_dir():
        raise BsrlabError(f"output directory '{path}' cannot be written: it is a file")
    anc = Path(os.path.abspath(path))
    while not anc.exists() and anc.parent != anc:
        anc = anc.parent
    if not anc.is_dir():
        raise BsrlabError(f"output directory '{path}' cannot be written: '{anc}' is not a "
                          "directory")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise BsrlabError(f"output directory '{path}' cannot be written: permission denied "
                          f"in '{anc}'")
    return path


def in_dir(option: str, text: str | None) -> Path | None:
    """An input directory given as ``--option`` (``None`` stays None): a non-empty path.

    Whether it holds what is needed is checked where it is read.
    """
    if text is None:
        return None
    if not text or "\x00" in text or len(text) > 4096:
        raise OptionError(option, "the path of a directory", text)
    return Path(text)


# ---- output ----------------------------------------------------------------------------------


def echo_json(obj: Any) -> None:
    """Print strict JSON (NaN and infinities become null) through the one encoder of bsrlab."""
    from bsrlab.core.jsonio import dumps

    typer.echo(dumps(obj))


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """A nested record as one flat mapping: nested keys and list indices become dotted names.

    Examples
    --------
    >>> flatten({"a": 1, "b": {"c": 2, "d": [3, 4]}})
    {'a': 1, 'b.c': 2, 'b.d.0': 3, 'b.d.1': 4}
    """
    out: dict[str, Any] = {}
    if isinstance(obj, Mapping):
        items: Iterable[tuple[Any, Any]] = obj.items()
    elif isinstance(obj, list | tuple):
        items = enumerate(obj)
    else:
        return {prefix: obj}
    for k, v in items:
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping | list | tuple) and len(v) > 0:
            out.update(flatten(v, key))
        elif isinstance(v, Mapping | list | tuple):
            out[key] = None
        else:
            out[key] = v
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def csv_text(records: Sequence[Any]) -> str:
    """CSV of JSON-ready ``records``: a header row of (dotted) names, then one row each.

    Columns are the union of the records' flattened names in first-seen order; a missing value
    is an empty cell, floats are written with full precision (``repr``), booleans as
    ``true``/``false``.
    """
    from bsrlab.core.jsonio import to_jsonable

    flat = [flatten(to_jsonable(r)) for r in records]
    header: dict[str, None] = {}
    for f in flat:
        header.update(dict.fromkeys(f))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(header))
    for f in flat:
        w.writerow([_cell(f.get(k)) for k in header])
    return buf.getvalue()


def emit(fmt: OutputFormat, data: Any, *, records: Callable[[], Sequence[Any]] | None = None,
         table: Callable[[], str] | None = None) -> None:
    """Print ``data`` as JSON, its ``records()`` (default: ``data`` itself, or ``[data]``) as
    CSV, or ``table()`` for people."""
    if fmt is OutputFormat.json:
        echo_json(data)
    elif fmt is OutputFormat.csv:
        recs = records() if records is not None else (
            data if isinstance(data, list | tuple) else [data])
        typer.echo(csv_text(recs), nl=False)
    elif table is not None:
        typer.echo(table())


def format_table(rows: Sequence[Sequence[Any]], headers: Sequence[str], *, title: str = "",
                 align: str | None = None) -> str:
    """Aligned plain-text table; ``align`` is one of 'l'/'r' per column (default: first left)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    al = align or ("l" + "r" * (len(headers) - 1))

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if a == "l" else c.rjust(w)
                         for c, w, a in zip(r, widths, al, strict=True)).rstrip()

    lines = []
    if title:
        lines.append(title)
    lines.append(fmt(cells[0]))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(r) for r in cells[1:])
    return "\n".join(lines)
