"""The one look of bsrlab's figures, tables and text: palette, fonts and number formatting.

Numbers
    :func:`pct` and :func:`num` are the only way report sections, tables, captions and figure
    annotations write a number; :func:`percent_axis` gives a figure axis the same percent labels.
    Both build on :mod:`bsrlab.core.vocabulary` (missing values, infinities), so the command
    line and the report agree; the report keeps its percent sign without a space (``5.25%``).

Figures
    Nothing here changes matplotlib's global ``rcParams``: :func:`styled` applies :func:`rc`
    only while a figure function runs (through :func:`matplotlib.rc_context`, which restores the
    previous settings on exit), and figures are built with :class:`matplotlib.figure.Figure`,
    never pyplot. The palette (Okabe and Ito, 2008) stays distinguishable under the common forms
    of colour-vision deficiency; every figure also varies line style or marker so that it reads
    in grey scale. Figures are 9 inches wide at :data:`DPI` dots per inch.

Layout
    Each figure sets its margins and the gaps between its panels in inches
    (:func:`new_figure`), chosen for its labels, rather than asking a layout engine to measure
    every text before each draw: the figure is then laid out without any text measurement and
    drawn once. Symbols are plain Unicode text (δ, τ*, qₜH, δₙ₊₁), which reads the same as
    mathtext and needs no math parser; a subscript Unicode lacks (τ_K, δ_Div) is a smaller
    text set beside its symbol (:func:`mark_x`).

matplotlib is imported only when a figure is built (this module is imported by the report's text
sections too, which never draw).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, cast

from bsrlab.core.vocabulary import MISSING
from bsrlab.core.vocabulary import num as _vocab_num
from bsrlab.core.vocabulary import pct as _vocab_pct

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bsrlab.presentation.table import Table

__all__ = [
    "BAND_ALPHA",
    "BOUND_SHADE",
    "CYCLE",
    "DPI",
    "FONT_FAMILY",
    "MAX_TICKS",
    "MISSING",
    "OKABE_ITO",
    "RANGE_COLOURS",
    "WIDTH_IN",
    "FigureFunction",
    "bars",
    "figure_function",
    "mark_x",
    "new_figure",
    "num",
    "pct",
    "percent_axis",
    "rc",
    "set_margins",
    "shade",
    "styled",
    "tidy_ticks",
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

#: The order in which series take colours (yellow, hard to see on white, is left out).
CYCLE: tuple[str, ...] = tuple(OKABE_ITO[k] for k in (
    "blue", "vermillion", "green", "orange", "purple", "sky_blue", "black"))

#: Shading of the four loss-bearing ranges (firms, dividends, capital, depositors).
RANGE_COLOURS: tuple[str, ...] = (
    OKABE_ITO["sky_blue"], OKABE_ITO["green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"])

#: Opacity of shaded bands.
BAND_ALPHA = 0.16

#: Grey of a spell during which a constraint binds (the policy rate at its floor, a crisis).
BOUND_SHADE = "#c8c8c8"

#: Figure width in inches.
WIDTH_IN = 9.0

#: Resolution of figures, on screen and in the report's PNG files (900 pixels wide).
DPI = 100

#: Sans-serif fonts, first available wins; DejaVu Sans ships with matplotlib.
FONT_FAMILY: tuple[str, ...] = ("DejaVu Sans",)

# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

def pct(x: object, digits: int = 2) -> str:
    """A fraction in percent, the report's way: ``pct(0.0525) == '5.25%'``.

    Missing and non-finite values are written as :func:`bsrlab.core.vocabulary.pct` writes
    them (``n/a``, ``∞``, ``−∞``); the report sets the percent sign without a space.

    Parameters
    ----------
    x
        The fraction (0.05 is 5%).
    digits
        Decimals shown.

    Examples
    --------
    >>> pct(0.0525), pct(0.3, 1), pct(None)
    ('5.25%', '30.0%', 'n/a')
    """
    return _vocab_pct(x, digits).replace(" %", "%")


def num(x: object, sig: int = 4) -> str:
    """A number with ``sig`` significant digits, as :func:`bsrlab.core.vocabulary.num`.

    Examples
    --------
    >>> num(1.0512345), num(21.0, 6), num(float("nan"))
    ('1.051', '21', 'n/a')
    """
    return _vocab_num(x, sig)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------

@functools.cache
def rc() -> dict[str, Any]:
    """Settings applied while a figure is built (see :func:`styled`)."""
    from cycler import cycler

    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(FONT_FAMILY),
        "font.size": 12.0,
        "axes.titlesize": 13.0,
        # A fixed title height (just above the axes, as the automatic placement gives when no
        # tick labels sit on top) spares a tight bounding box of the x axis at every draw.
        "axes.titley": 1.0,
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
        "axes.prop_cycle": cycler(color=list(CYCLE)),
        "mathtext.fontset": "dejavusans",
        "figure.dpi": float(DPI),
        "savefig.dpi": float(DPI),
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
    }


P = ParamSpec("P")
T = TypeVar("T")


#: The most major ticks an axis gets from the default locator (matplotlib's own default fits
#: a tick every three characters' width, 9 to 12 on a report's panel: more labels than a reader
#: needs, and each tick costs a label's layout and three lines at every draw).
MAX_TICKS = 6


def tidy_ticks(fig: Figure) -> Figure:
    """Give every axis of ``fig`` still on matplotlib's default locator at most
    :data:`MAX_TICKS` major ticks, on the same round steps (1, 2, 2.5, 5 times a power of 10).

    Axes with a locator of their own (whole years, a category axis) are left alone.
    """
    from matplotlib.ticker import AutoLocator, MaxNLocator

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_locator()) is AutoLocator:
                axis.set_major_locator(MaxNLocator(nbins=MAX_TICKS - 1,
                                                   steps=[1, 2, 2.5, 5, 10]))
    return fig


def styled(func: Callable[P, T]) -> Callable[P, T]:
    """Run ``func`` with :func:`rc` in force, restoring the caller's settings afterwards.

    A figure function's figure (its result, or the first element of a result tuple) gets
    :func:`tidy_ticks`.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        import matplotlib as mpl
        from matplotlib.figure import Figure as _Figure

        with mpl.rc_context(rc()):  # type: ignore[arg-type]
            got = func(*args, **kwargs)
        fig = got[0] if isinstance(got, tuple) and got else got
        if isinstance(fig, _Figure):
            tidy_ticks(fig)
        return got

    return wrapper


class FigureFunction(Protocol[P]):
    """A figure function: called, ``(Figure, DataFrame)``; ``.table(...)``, ``(Figure, Table)``."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> tuple[Figure, pd.DataFrame]: ...

    def table(self, *args: P.args, **kwargs: P.kwargs) -> tuple[Figure, Table]: ...


def figure_function(func: Callable[P, tuple[Figure, Table]]) -> FigureFunction[P]:
    """Make a figure function of ``func``, whose body returns ``(Figure, Table)``.

    Called, the figure function is :func:`styled` and returns ``(Figure, DataFrame)``: the data
    drawn, as a :class:`pandas.DataFrame`. Its ``table`` attribute returns the data as the
    :class:`~bsrlab.presentation.table.Table` it was built as, which the report writes without
    importing pandas.
    """
    inner = styled(func)

    @functools.wraps(func)
    def public(*args: P.args, **kwargs: P.kwargs) -> tuple[Figure, pd.DataFrame]:
        fig, table = inner(*args, **kwargs)
        return fig, table.to_frame()

    public.table = inner  # type: ignore[attr-defined]
    return cast("FigureFunction[P]", public)


def new_figure(height_in: float, *, width_in: float = WIDTH_IN, left: float = 0.85,
               right: float = 0.2, top: float = 0.2, bottom: float = 0.55, wspace: float = 0.0,
               hspace: float = 0.0, ncols: int = 1, nrows: int = 1) -> Figure:
    """A white figure with fixed margins (no layout engine, no pyplot state involved).

    Margins (``left``, ``right``, ``top``, ``bottom``) and the gaps between the columns and
    rows of panels (``wspace``, ``hspace``) are in inches; ``ncols`` and ``nrows`` are the
    grid the gaps are meant for (the grid of ``fig.subplots`` or ``fig.add_gridspec``). They
    apply to every subplot created afterwards. Nothing is measured when the figure is drawn,
    so the margins must hold the tick labels, axis labels and titles.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    set_margins(fig, left=left, right=right, top=top, bottom=bottom, wspace=wspace,
                hspace=hspace, ncols=ncols, nrows=nrows)
    return fig


def set_margins(fig: Figure, *, left: float, right: float, top: float, bottom: float,
                wspace: float = 0.0, hspace: float = 0.0, ncols: int = 1,
                nrows: int = 1) -> None:
    """Set ``fig``'s subplot margins and gaps in inches (see :func:`new_figure`)."""
    w, h = (float(v) for v in fig.get_size_inches())
    # matplotlib expresses the gaps as fractions of the mean panel width and height
    panel_w = (w - left - right - (ncols - 1) * wspace) / ncols
    panel_h = (h - top - bottom - (nrows - 1) * hspace) / nrows
    if panel_w <= 0 or panel_h <= 0:
        raise ValueError(f"margins leave no room for the panels of a {w:g} x {h:g} in figure")
    fig.subplots_adjust(left=left / w, right=1.0 - right / w, bottom=bottom / h,
                        top=1.0 - top / h, wspace=wspace / panel_w, hspace=hspace / panel_h)


def bars(ax: Axes, x: Any, heights: Any, width: float, *, bottom: float = 0.0,
         label: str | None = None, **kwargs: Any) -> Any:
    """Vertical bars centred on ``x``, drawn as one collection (one artist for all bars).

    Looks like :meth:`matplotlib.axes.Axes.bar` with the same ``color``, ``edgecolor``,
    ``hatch``, ``lw`` and ``alpha`` keywords, but is one artist instead of one per bar: a
    yearly bar chart is drawn several times faster. Non-finite heights draw no bar. The
    legend shows ``label`` as a patch.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection

    xs = np.asarray(x, dtype=float).ravel()
    hs = np.broadcast_to(np.asarray(heights, dtype=float), xs.shape)
    ok = np.isfinite(hs) & np.isfinite(xs)
    xs, hs = xs[ok], hs[ok]
    lo, hi = xs - width / 2.0, xs + width / 2.0
    b = np.full(xs.shape, float(bottom))
    verts = np.stack([np.column_stack(v) for v in ((lo, b), (lo, b + hs), (hi, b + hs),
                                                   (hi, b))], axis=1)
    colour = kwargs.pop("color", None)
    lw = kwargs.pop("lw", kwargs.pop("linewidth", 0.0))
    coll = PolyCollection(list(verts), facecolors=colour, linewidths=lw, label=label,
                          closed=True, **kwargs)
    coll.sticky_edges.y.append(float(bottom))  # as bar(): no margin below the baseline
    ax.add_collection(coll, autolim=True)
    ax.autoscale_view()
    return coll


def percent_axis(ax: Axes, axis: str = "both", *, scale: float = 1.0) -> None:
    """Tick labels in percent (``2.5%``) on ``axis`` ("x", "y" or "both").

    ``scale`` is what the plotted values are multiplied by to give percent: 1 when the axis
    already holds percent (fractions times 100), 100 when it holds fractions.
    """
    from matplotlib.ticker import FuncFormatter

    # "%g" keeps 2.5% as 2.5% (a fixed number of decimals would round it to 2%).
    fmt = FuncFormatter(lambda v, _pos: f"{round(scale * v, 10):g}%")
    if axis in ("x", "both"):
        ax.xaxis.set_major_formatter(fmt)
    if axis in ("y", "both"):
        ax.yaxis.set_major_formatter(fmt)


def shade(ax: Axes, lo: float, hi: float, colour: str, label: str | None = None,
          *, alpha: float = BAND_ALPHA) -> None:
    """Shade the vertical band lo <= x <= hi."""
    ax.axvspan(lo, hi, color=colour, alpha=alpha, lw=0, label=label, zorder=0)


def mark_x(ax: Axes, x: float, text: str, *, sub: str = "", colour: str = "#333333",
           y: float = 1.0, ha: str = "center") -> None:
    """A dashed vertical line at ``x`` labelled ``text`` (subscript ``sub``) just above the axes.

    ``ha`` places the label: centred on the line (the subscript trails the symbol), or ending
    ("right") or starting ("left") at it. The subscript is a smaller text set after the symbol
    and lowered, so a label such as τ_K needs no mathtext.
    """
    ax.axvline(x, color=colour, lw=1.1, ls=(0, (4, 3)), zorder=1)
    at: dict[str, Any] = {"xy": (x, y), "xycoords": ("data", "axes fraction"),
                          "textcoords": "offset points", "va": "bottom", "color": colour}
    if not sub:
        ax.annotate(text, xytext=(0, 3), ha=ha, fontsize=_MARK_SIZE, **at)
        return
    # bottoms of the text boxes: the subscript's sits _SUB_DROP points below the symbol's
    if ha == "right":  # the subscript ends at the line, the symbol precedes it
        low = ax.annotate(sub, xytext=(0, 3 - _SUB_DROP), ha="right", fontsize=_SUB_SIZE, **at)
        ax.annotate(text, xy=(0.0, 0.0), xycoords=low, xytext=(0.0, _SUB_DROP),
                    textcoords="offset points", ha="right", va="bottom", fontsize=_MARK_SIZE,
                    color=colour)
    else:
        base = ax.annotate(text, xytext=(0, 3), ha=ha, fontsize=_MARK_SIZE, **at)
        ax.annotate(sub, xy=(1.0, 0.0), xycoords=base, xytext=(0.0, -_SUB_DROP),
                    textcoords="offset points", ha="left", va="bottom", fontsize=_SUB_SIZE,
                    color=colour)


#: Font sizes of a marker's symbol and its subscript, and how far the subscript's box sits
#: below the symbol's (points; with the smaller descent this lowers its baseline ~0.25 em).
_MARK_SIZE = 11.5
_SUB_SIZE = 8.0
_SUB_DROP = 1.8
