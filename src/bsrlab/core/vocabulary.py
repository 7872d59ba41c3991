"""The output vocabulary: one :class:`OutputSpec` per quantity a model reports.

Each model family declares its outputs once, in a :class:`Vocabulary`, and registers it. The
JSON keys are the specs' ``name``; table headers, row labels, figure axes and the glossary
(``docs/glossary.md``) read the same specs, so a quantity is named, labelled and formatted the
same way everywhere. The number formatting used in tables lives here too: :func:`pct` and
:func:`num`.

Examples
--------
>>> delta = OutputSpec(name="delta", symbol="δ", unit="share of q", equation="(22)",
...                    meaning="asset price decline 1 - q_t/q", label="asset price decline δ",
...                    fmt="pct")
>>> delta.format(0.055)
'5.500 %'
>>> vocab = Vocabulary("example", [delta])
>>> vocab.labels(["delta"])
('asset price decline δ',)
>>> pct(0.0551), num(1 / 3), pct(float("nan")), num(float("-inf"))
('5.51 %', '0.333333', 'n/a', '−∞')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Literal, get_args

import numpy as np

from bsrlab.core.errors import ParameterError

__all__ = [
    "MISSING",
    "Fmt",
    "OutputSpec",
    "Vocabulary",
    "all_specs",
    "families",
    "family",
    "glossary_markdown",
    "num",
    "pct",
    "register",
]

#: How a value is written in tables: a percentage, a number, an integer, yes/no or text.
Fmt = Literal["pct", "num", "int", "bool", "text"]
_FMTS: tuple[str, ...] = get_args(Fmt)

#: What a missing or undefined value (None, NaN) is written as.
MISSING = "n/a"
_INF = "∞"
_NEG_INF = "−∞"


def _real(x: object) -> float | None:
    """``float(x)`` for real numbers (numpy scalars and 0-d arrays included), else ``None``."""
    if x is None or isinstance(x, bool | np.bool_):
        return None
    if isinstance(x, np.ndarray):
        if x.ndim != 0 or x.dtype.kind not in "iuf":
            return None
        x = x[()]
    if isinstance(x, numbers.Real | np.integer | np.floating):
        return float(x)
    return None


def _special(x: object) -> tuple[float | None, str | None]:
    """(value, text): the text is set when ``x`` is missing or infinite, the value otherwise."""
    if x is None:
        return None, MISSING
    v = _real(x)
    if v is None:
        raise ParameterError("x", "a real number or None", x)
    if math.isnan(v):
        return None, MISSING
    if math.isinf(v):
        return None, _INF if v > 0 else _NEG_INF
    return v, None


def pct(x: object, digits: int = 2) -> str:
    """``x`` as a percentage, ``f"{100 x:.{digits}f} %"``.

    None and NaN are written ``n/a``, ±inf ``∞`` and ``−∞``.

    Examples
    --------
    >>> pct(0.055, 3)
    '5.500 %'
    >>> pct(None)
    'n/a'
    """
    v, text = _special(x)
    if text is not None:
        return text
    return f"{100.0 * v:.{digits}f} %"  # type: ignore[operator]


def num(x: object, sig: int = 6) -> str:
    """``x`` with ``sig`` significant digits, ``f"{x:.{sig}g}"``.

    None and NaN are written ``n/a``, ±inf ``∞`` and ``−∞``.

    Examples
    --------
    >>> num(21.000000004), num(1.5e-9, 3), num(float("inf"))
    ('21', '1.5e-09', '∞')
    """
    v, text = _special(x)
    if text is not None:
        return text
    return f"{v:.{sig}g}"


def _text(x: object) -> str:
    if x is None:
        return MISSING
    label = getattr(x, "label", None)
    if isinstance(x, Enum):
        if isinstance(label, str):
            return label
        return str(x.value)
    if isinstance(x, float) and math.isnan(x):
        return MISSING
    return str(x)


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """One quantity a model reports.

    Parameters
    ----------
    name
        The machine name: the JSON key, the result's attribute and the table column.
    symbol
        The paper's symbol in Unicode (``δ*``, ``p_{t+1}``, ``λ``); ``""`` if it has none.
    unit
        What the number measures (``share of y``, ``level (p0 = 1)``, ``rate per period``,
        ``years``, ``count``, ``flag``, ``label``).
    equation
        The paper's equation number, ``"(28)"``, or ``""`` if none.
    meaning
        One line saying what the quantity is.
    label
        The human label for table rows and columns and figure axes
        (``asset price decline δ``).
    fmt
        How tables write the value: ``pct``, ``num``, ``int``, ``bool`` or ``text``.
    """

    name: str
    symbol: str
    unit: str
    equation: str
    meaning: str
    label: str
    fmt: Fmt = "num"

    def __post_init__(self) -> None:
        for field_name in ("name", "symbol", "unit", "equation", "meaning", "label"):
            value = getattr(self, field_name)
            if not isinstance(value, str) or "\n" in value:
                raise ParameterError(field_name, "a one-line string", value)
        if not self.name.isidentifier():
            raise ParameterError("name", "a Python identifier (it is a JSON key and attribute)",
                                 self.name)
        if self.fmt not in _FMTS:
            raise ParameterError("fmt", "one of " + ", ".join(repr(f) for f in _FMTS), self.fmt)

    def format(self, value: object, digits: int | None = None) -> str:
        """``value`` written for a table, following ``fmt``.

        Parameters
        ----------
        value
            The value (a number, a boolean, an enum member or a string).
        digits
            Decimals for ``pct`` (default 3), significant digits for ``num`` (default 6).

        Examples
        --------
        >>> OutputSpec("stable", "", "flag", "", "stable?", "stable", "bool").format(True)
        'yes'
        """
        if self.fmt == "pct":
            return pct(value, 3 if digits is None else digits)
        if self.fmt == "num":
            return num(value, 6 if digits is None else digits)
        if self.fmt == "int":
            v, text = _special(value)
            return text if text is not None else str(int(v))  # type: ignore[arg-type]
        if self.fmt == "bool":
            if value is None:
                return MISSING
            return "yes" if bool(value) else "no"
        return _text(value)

    def to_dict(self) -> dict[str, str]:
        """The spec as a plain dict."""
        return {"name": self.name, "symbol": self.symbol, "unit": self.unit,
                "equation": self.equation, "meaning": self.meaning, "label": self.label,
                "fmt": self.fmt}


class Vocabulary(Mapping[str, OutputSpec]):
    """The outputs of one model family: an ordered, immutable mapping name -> OutputSpec.

    Parameters
    ----------
    family
        The family's name (``vonpeter``).
    specs
        The specs, in the order tables and the glossary list them; names must be unique.
    """

    __slots__ = ("_family", "_specs")

    def __init__(self, family: str, specs: Iterable[OutputSpec]) -> None:
        if not isinstance(family, str) or not family.isidentifier():
            raise ParameterError("family", "a Python identifier", family)
        out: dict[str, OutputSpec] = {}
        for spec in specs:
            if not isinstance(spec, OutputSpec):
                raise ParameterError("specs", "OutputSpec instances", spec)
            if spec.name in out:
                raise ParameterError("specs", f"unique names within family '{family}'",
                                     spec.name)
            out[spec.name] = spec
        self._family = family
        self._specs: Mapping[str, OutputSpec] = MappingProxyType(out)

    @property
    def family(self) -> str:
        """The family's name."""
        return self._family

    @property
    def names(self) -> tuple[str, ...]:
        """Every declared name, in declaration order."""
        return tuple(self._specs)

    def __getitem__(self, name: str) -> OutputSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise KeyError(f"'{name}' is not declared in the {self._family} vocabulary") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self._family == other._family and tuple(self._specs.items()) == tuple(
            other._specs.items())

    def __hash__(self) -> int:
        return hash((self._family, tuple(self._specs.values())))

    def __repr__(self) -> str:
        return f"Vocabulary({self._family!r}, {len(self)} outputs)"

    def specs(self, names: Iterable[str] | None = None) -> tuple[OutputSpec, ...]:
        """The specs of ``names`` (all when None), in the order given."""
        return tuple(self[n] for n in (self._specs if names is None else names))

    def labels(self, names: Iterable[str] | None = None) -> tuple[str, ...]:
        """The human labels of ``names`` (all when None): row labels and figure axes."""
        return tuple(s.label for s in self.specs(names))

    def headers(self, names: Iterable[str] | None = None) -> tuple[str, ...]:
        """Compact column headers of ``names`` (all when None): the symbol, else the name."""
        return tuple(s.symbol or s.name for s in self.specs(names))

    def format(self, name: str, value: object, digits: int | None = None) -> str:
        """``self[name].format(value, digits)``."""
        return self[name].format(value, digits)

    def glossary_markdown(self) -> str:
        """This family's glossary table in Markdown (name, symbol, unit, equation, meaning)."""
        lines = [f"## {self._family}", "",
                 "| name | symbol | unit | equation | meaning |",
                 "|---|---|---|---|---|"]
        for s in self._specs.values():
            cells = (f"`{s.name}`", s.symbol, s.unit, s.equation, s.meaning)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_REGISTRY: dict[str, Vocabulary] = {}


def register(vocab: Vocabulary) -> Vocabulary:
    """Register ``vocab`` under its family name and return it.

    Registering an equal vocabulary again is a no-op; a different one under a taken name is an
    error.
    """
    if not isinstance(vocab, Vocabulary):
        raise ParameterError("vocab", "a Vocabulary", vocab)
    old = _REGISTRY.get(vocab.family)
    if old is not None and old != vocab:
        raise ParameterError("vocab", f"a family name not yet registered ('{vocab.family}' is)",
                             vocab.family)
    _REGISTRY[vocab.family] = vocab
    return vocab


def families() -> tuple[str, ...]:
    """The registered family names, sorted."""
    return tuple(sorted(_REGISTRY))


def family(name: str) -> Vocabulary:
    """The registered vocabulary of the family ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(repr(f) for f in families()) or "none registered"
        raise ParameterError("family", f"a registered family ({known})", name) from None


def all_specs() -> tuple[tuple[str, OutputSpec], ...]:
    """Every registered spec as (family, spec), families sorted, specs in declaration order."""
    return tuple((f, s) for f in families() for s in _REGISTRY[f].values())


def glossary_markdown() -> str:
    """The glossary of every registered family: a Markdown page, one table per family."""
    parts = ["# Glossary", "",
             "Every quantity bsrlab reports, by model family: its JSON key (`name`), the paper's "
             "symbol, its unit, the paper's equation and what it means. Generated from "
             "`bsrlab.core.vocabulary` by `scripts/glossary.py`; do not edit by hand.", ""]
    parts.extend(_REGISTRY[f].glossary_markdown() for f in families())
    return "\n".join(parts).rstrip("\n") + "\n"
