"""Shared pieces of the command line: output formats, JSON and aligned tables."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from enum import Enum, StrEnum
from typing import Any

import numpy as np
import typer

__all__ = ["OutputFormat", "dumps_json", "echo_json", "format_table", "parse_float_list"]


class OutputFormat(StrEnum):
    """``--format``: ``table`` for people, ``json`` for programs."""

    table = "table"
    json = "json"


def _clean(obj: Any) -> Any:
    """Make numpy scalars/arrays JSON-ready; non-finite floats become null."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating | float):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, Enum):
        return obj.value
    return obj


def dumps_json(obj: Any) -> str:
    return json.dumps(_clean(obj), indent=2, allow_nan=False)


def echo_json(obj: Any) -> None:
    typer.echo(dumps_json(obj))


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


def parse_float_list(name: str, text: str) -> list[float]:
    """Parse ``"0.1,0.2"`` into floats; a bad item raises ParameterError naming ``name``."""
    from bsrlab.core.errors import ParameterError

    out = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            out.append(float(item))
        except ValueError:
            raise ParameterError(name, "a number or a comma-separated list of numbers",
                                 item) from None
    if not out:
        raise ParameterError(name, "a number or a comma-separated list of numbers", text)
    return out
