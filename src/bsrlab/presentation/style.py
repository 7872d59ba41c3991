"""Shared look of bsrlab's figures: the Okabe-Ito palette and per-figure styling.

Nothing here changes matplotlib's global ``rcParams``: :func:`styled` applies :data:`RC` only
while a figure function runs (through :func:`matplotlib.rc_context`, which restores the previous
settings on exit), and figures are built with :class:`matplotlib.figure.Figure`, never pyplot.

The palette (Okabe and Ito, 2008) stays distinguishable under the common forms of colour-vision
deficiency; every figure also varies line style or marker so that it reads in grey scale.
Figures are 9 inches wide at 100 dpi, i.e. legible at 900 pixels.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import matplotlib as mpl
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "BAND_ALPHA",
    "OKABE_ITO",
    "RANGE_COLOURS",
    "RC",
    "WIDTH_IN",
    "new_figure",
    "styled",
]

#: The eight colours of Okabe and Ito, by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: Shading of the four loss-bearing ranges (firms, dividends, capital, depositors).
RANGE_COLOURS: tuple[str, ...] = (
    OKABE_ITO["sky_blue"], OKABE_ITO["green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"])

#: Opacity of shaded bands.
BAND_ALPHA = 0.16

#: Figure width in inches; at 100 dpi this is 900 pixels.
WIDTH_IN = 9.0

#: Settings applied while a figure is built (see :func:`styled`).
RC: dict[str, Any] = {
    "font.size": 12.0,
    "axes.titlesize": 13.0,
    "axes.labelsize": 13.0,
    "xtick.labelsize": 11.0,
    "ytick.labelsize": 11.0,
    "legend.fontsize": 10.5,
    "legend.framealpha": 0.92,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.7,
    "lines.linewidth": 2.2,
    "axes.prop_cycle": cycler(color=[OKABE_ITO[k] for k in
                                         ("blue", "vermillion", "green", "orange", "purple",
                                          "sky_blue", "black")]),
    "mathtext.fontset": "dejavusans",
    "figure.dpi": 100.0,
    "savefig.dpi": 150.0,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

P = ParamSpec("P")
T = TypeVar("T")


def styled(func: Callable[P, T]) -> Callable[P, T]:
    """Run ``func`` with :data:`RC` in force, restoring the caller's settings afterwards."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with mpl.rc_context(RC):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


def new_figure(height_in: float, *, width_in: float = WIDTH_IN) -> Figure:
    """A white figure with constrained layout (no pyplot state involved)."""
    return Figure(figsize=(width_in, height_in), layout="constrained")


def shade(ax: Axes, lo: float, hi: float, colour: str, label: str | None = None,
          *, alpha: float = BAND_ALPHA) -> None:
    """Shade the vertical band lo <= x <= hi."""
    ax.axvspan(lo, hi, color=colour, alpha=alpha, lw=0, label=label, zorder=0)


def mark_x(ax: Axes, x: float, text: str, *, colour: str = "#333333", y: float = 1.0,
           ha: str = "center") -> None:
    """A dashed vertical line at ``x`` labelled ``text`` just above the axes."""
    ax.axvline(x, color=colour, lw=1.1, ls=(0, (4, 3)), zorder=1)
    ax.annotate(text, xy=(x, y), xycoords=("data", "axes fraction"), xytext=(0, 3),
                textcoords="offset points", ha=ha, va="bottom", fontsize=11.5, color=colour)
