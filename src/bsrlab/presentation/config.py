"""The report's calibration: a frozen, validated :class:`ReportConfig`, loadable from TOML.

Schema (every key optional; documented in ``docs/report.md``, example in ``examples/report.toml``)::

    title          = "..."                  # report title
    alpha          = 0.5                    # R - 1 < alpha < 1
    beta           = 0.952381               # 0 < beta < 1   (give beta or R, not both)
    R              = 1.05                   # R > 1, the gross natural rate 1/beta
    gamma          = 0.1                    # 0 <= gamma < 1
    y              = 1.0                    # y > 0
    H              = 1.0                    # H > 0
    shocks         = [0.02, 0.05, 0.3]      # 0 <= tau <= 1; equilibria are shown for each
    t_accounts_tau = 0.07                   # the shock of Figure 6's T-accounts
    sections       = ["vonpeter", "koo", "cases"]   # also "deleveraging", "policylab"
    data_dir       = "/path/to/data"        # the case studies' data files (default: $BSRLAB_DATA,
                                            # then the user cache)
    deleveraging_preset = "japan-1990s"     # the Koo and EK sections' preset (or "us-2008")

The file is read with :func:`bsrlab.core.fileio.load_toml`: it must be a regular UTF-8 file of at
most 1 MB, nested at most 8 levels, without integers of 19 digits or more; a FIFO, a device or a
huge file is refused with one line.

An unknown key raises :class:`~bsrlab.core.errors.ConfigError` naming it and listing the
allowed keys; a value of the wrong type raises ConfigError; a value out of range raises
:class:`~bsrlab.core.errors.ParameterError` (validated by :class:`~bsrlab.vonpeter.Params`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bsrlab.core.errors import ConfigError, ParameterError
from bsrlab.core.fileio import load_toml
from bsrlab.models.vonpeter import Params, check_tau, thresholds

__all__ = [
    "ALLOWED_KEYS",
    "DEFAULT_ALPHA",
    "DEFAULT_GAMMA",
    "DEFAULT_R",
    "DEFAULT_SECTIONS",
    "DELEVERAGING_PRESETS",
    "MAX_SHOCKS",
    "SECTION_NAMES",
    "ReportConfig",
    "auto_shocks",
    "load_config",
    "resolve_config",
]

#: The paper's gross natural rate (Section 4.2, footnote 41).
DEFAULT_R = 1.05
#: The paper's "weak balance sheets" economy (Section 4.2).
DEFAULT_ALPHA = 0.5
#: A small deflationary tendency: the price level can fall by at most 1 - (R/alpha)^(-gamma).
DEFAULT_GAMMA = 0.1

#: Report sections that may be listed in ``sections``, in report order.
SECTION_NAMES: tuple[str, ...] = ("vonpeter", "policylab", "koo", "deleveraging", "cases")

#: The sections of a report whose configuration names none.
DEFAULT_SECTIONS: tuple[str, ...] = ("vonpeter", "koo", "cases")

#: Every key a configuration file may hold.
ALLOWED_KEYS: tuple[str, ...] = ("title", "alpha", "beta", "R", "gamma", "y", "H", "shocks",
                                 "t_accounts_tau", "sections", "data_dir",
                                 "deleveraging_preset")

#: The presets the deleveraging section may show.
DELEVERAGING_PRESETS: tuple[str, ...] = ("japan-1990s", "us-2008")

#: The largest configuration file read, in bytes, and its deepest nesting.
CONFIG_LIMIT = 1_000_000
CONFIG_DEPTH = 8

_DEFAULT_TITLE = "Asset prices and banking distress: the von Peter (2004) model"


@dataclass(frozen=True, kw_only=True)
class ReportConfig:
    """What the report shows. Validated on construction (ranges through :class:`Params`).

    ``shocks`` empty means "one shock inside each loss-bearing range plus tau = 0.7"
    (:func:`auto_shocks`); ``t_accounts_tau`` None means mid-way through the range where bank
    capital absorbs the losses.
    """

    title: str = _DEFAULT_TITLE
    alpha: float = DEFAULT_ALPHA
    beta: float = 1.0 / DEFAULT_R
    gamma: float = DEFAULT_GAMMA
    y: float = 1.0
    H: float = 1.0
    shocks: tuple[float, ...] = ()
    t_accounts_tau: float | None = None
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    data_dir: str | None = None
    deleveraging_preset: str = "japan-1990s"
    source: str = field(default="defaults", compare=False)

    def __post_init__(self) -> None:
        self.params  # noqa: B018 - validates alpha, beta, gamma, y, H (raises ParameterError)
        if self.shocks:
            check_tau(np.asarray(self.shocks, dtype=np.float64))
        if self.t_accounts_tau is not None:
            check_tau(self.t_accounts_tau)
        bad = [s for s in self.sections if s not in SECTION_NAMES]
        if bad:
            raise ConfigError(f"unknown report section '{bad[0]}'; allowed: "
                              f"{', '.join(SECTION_NAMES)}")
        if not self.sections:
            raise ConfigError(f"'sections' must name at least one of {', '.join(SECTION_NAMES)}")
        if self.deleveraging_preset not in DELEVERAGING_PRESETS:
            raise ParameterError("deleveraging_preset", "one of " + ", ".join(DELEVERAGING_PRESETS),
                                 self.deleveraging_preset)
        if self.data_dir is not None and (not self.data_dir or "\x00" in self.data_dir):
            raise ParameterError("data_dir", "the path of a directory", self.data_dir)

    @property
    def params(self) -> Params:
        """The model parameters of this calibration."""
        return Params(alpha=self.alpha, beta=self.beta, gamma=self.gamma, y=self.y, H=self.H)

    @property
    def R(self) -> float:
        return 1.0 / self.beta

    def shock_list(self) -> tuple[float, ...]:
        """The shocks to show equilibria for (``shocks``, or :func:`auto_shocks`)."""
        return self.shocks or auto_shocks(self.params)

    def replace(self, **changes: Any) -> ReportConfig:
        return dataclasses.replace(self, **changes)

    def to_toml(self) -> str:
        """This configuration as a TOML file that :func:`load_config` reads back."""
        def num(v: float) -> str:
            return repr(float(v))

        lines = [f"# bsrlab report calibration (from {self.source})",
                 f"title = {_toml_str(self.title)}",
                 f"alpha = {num(self.alpha)}", f"beta = {num(self.beta)}  # R = {self.R:.10g}",
                 f"gamma = {num(self.gamma)}", f"y = {num(self.y)}", f"H = {num(self.H)}",
                 f"shocks = [{', '.join(num(s) for s in self.shock_list())}]"]
        if self.t_accounts_tau is not None:
            lines.append(f"t_accounts_tau = {num(self.t_accounts_tau)}")
        lines.append(f"sections = [{', '.join(_toml_str(s) for s in self.sections)}]")
        if self.data_dir is not None:
            lines.append(f"data_dir = {_toml_str(self.data_dir)}")
        lines.append(f"deleveraging_preset = {_toml_str(self.deleveraging_preset)}")
        return "\n".join(lines) + "\n"


def _toml_str(s: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = []
    for ch in s:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def auto_shocks(params: Params) -> tuple[float, ...]:
    """One shock inside each of the four loss-bearing ranges, and tau = 0.7 (Section 5.1).

    The middle of [0, tau_0), [tau_0, tau_Div), [tau_Div, tau*) and (tau*, tau_K), rounded to
    0.01 percentage points.
    """
    th = thresholds(params)
    t0, tdiv, ts, tK = (float(th.tau_0), float(th.tau_div), float(th.tau_star), float(th.tau_K))
    mids = [t0 / 2, (t0 + tdiv) / 2, (tdiv + ts) / 2, (ts + tK) / 2]
    out = [round(m, 4) for m in mids]
    if all(abs(0.7 - m) > 1e-9 for m in out):
        out.append(0.7)
    return tuple(sorted(set(out)))


def _short(value: object) -> str:
    """``repr(value)``, cut to one short line for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(key: str, value: object, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{source}: '{key}' must be a number; got {_short(value)}")
    try:
        f = float(value)
    except OverflowError:
        raise ParameterError(key, "a finite number", _short(value)) from None
    if not math.isfinite(f):
        raise ParameterError(key, "a finite number", f)
    return f


def _string(key: str, value: object, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{source}: '{key}' must be a string; got {_short(value)}")
    return value


#: The most shocks a report shows equilibria for.
MAX_SHOCKS = 100


def _from_mapping(data: Mapping[str, Any], source: str,
                  base: ReportConfig | None = None) -> ReportConfig:
    unknown = [k for k in data if k not in ALLOWED_KEYS]
    if unknown:
        raise ConfigError(f"{source}: unknown key {_short(unknown[0])}; allowed keys: "
                          f"{', '.join(ALLOWED_KEYS)}")
    kw: dict[str, Any] = {}
    if "beta" in data and "R" in data:
        raise ConfigError(f"{source}: give 'beta' or 'R', not both")
    for key in ("alpha", "beta", "gamma", "y", "H", "t_accounts_tau"):
        if key in data:
            kw[key] = _number(key, data[key], source)
    if "R" in data:
        R = _number("R", data["R"], source)
        if not R > 1.0:
            raise ParameterError("R", "R > 1", R)
        kw["beta"] = 1.0 / R
    for key in ("title", "data_dir", "deleveraging_preset"):
        if key in data:
            kw[key] = _string(key, data[key], source)
    if "shocks" in data:
        v = data["shocks"]
        if not isinstance(v, list | tuple):
            raise ConfigError(f"{source}: 'shocks' must be a list of numbers; got {_short(v)}")
        if len(v) > MAX_SHOCKS:
            raise ConfigError(f"{source}: 'shocks' may list at most {MAX_SHOCKS} shocks; "
                              f"got {len(v)}")
        kw["shocks"] = tuple(_number("shocks", s, source) for s in v)
    if "sections" in data:
        v = data["sections"]
        if isinstance(v, str):
            v = [s.strip() for s in v.split(",") if s.strip()]
        if not isinstance(v, list | tuple) or not all(isinstance(s, str) for s in v):
            raise ConfigError(f"{source}: 'sections' must be a list of names; got {_short(v)}")
        twice = [s for i, s in enumerate(v) if s in v[:i]]
        if twice:
            raise ConfigError(f"{source}: 'sections' lists {_short(twice[0])} more than once")
        kw["sections"] = tuple(v)
    base = base or ReportConfig()
    return dataclasses.replace(base, source=source, **kw)


def load_config(path: str | Path) -> ReportConfig:
    """Read a TOML configuration file (see the module docstring for its schema).

    Raises
    ------
    ConfigError
        When the file cannot be read, is not a regular file, is larger than
        :data:`CONFIG_LIMIT` bytes, is not UTF-8 TOML, is nested deeper than
        :data:`CONFIG_DEPTH` levels, holds an unknown key or a value of the wrong type.
    ParameterError
        When a value is out of its range.
    """
    p = Path(path)
    try:
        p.stat()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"config file '{p}' cannot be read: {reason}") from None
    data = load_toml(p, limit=CONFIG_LIMIT, max_depth=CONFIG_DEPTH, what="config file")
    return _from_mapping(data, f"config file '{p}'")


def resolve_config(path: str | Path | None = None, *,
                   overrides: Mapping[str, Any] | None = None) -> ReportConfig:
    """The file's configuration (or the defaults) with command-line ``overrides`` on top.

    ``overrides`` maps keys of the schema to values; ``None`` values are ignored.
    """
    cfg = load_config(path) if path is not None else ReportConfig()
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if not given:
        return cfg
    if "R" in given and "beta" in given:
        raise ConfigError("give --beta or --R, not both")
    merged = _from_mapping(given, "command line", base=cfg)
    src = cfg.source if cfg.source != "defaults" else ""
    return merged.replace(source=f"{src} + command line" if src else "command line")

