"""Figures of the deleveraging model (Eggertsson-Krugman, Koo), each ``(Figure, DataFrame)``.

Time runs in years after the bust: t = 0 is the first year of the bust, and a model period is
converted with the preset's ``period`` (``"year"``, ``"quarter"`` or ``"month"``). Rates, gaps and
flows are drawn in percent with % tick labels; the policy rate's floor is a labelled horizontal
line and the spell during which the policy rate sits at it is shaded grey in every panel over
time. A panel whose series are all zero (the government without policy) is left out rather than
drawn empty, and every legend entry is a drawn series.

The DataFrame is the data drawn: one row per period with ``t`` (model period), ``years`` (after
the bust) and the model's columns as fractions (not percent).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging.outputs import VOCABULARY
from bsrlab.presentation.style import (
    BOUND_SHADE,
    CYCLE,
    OKABE_ITO,
    new_figure,
    pct,
    percent_axis,
    styled,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bsrlab.models.deleveraging.path import PathResult
    from bsrlab.scenarios.lab import Comparison

__all__ = ["PERIODS_PER_YEAR", "X_LABEL", "comparison_figure", "path_figure", "years"]

#: Model periods per year, by the preset's ``period``.
PERIODS_PER_YEAR: dict[str, float] = {"year": 1.0, "quarter": 4.0, "month": 12.0}

#: The x-axis label of every figure over time.
X_LABEL = "years after the bust"


def _whole_years(ax: Any) -> None:
    """Ticks of the time axis on whole years only (never 2.5 years)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))

C = OKABE_ITO
_ZERO = 1e-12  # a series whose largest absolute value is below this is "all zero"


def years(t: Any, period: str = "year") -> np.ndarray[Any, np.dtype[np.float64]]:
    """Model periods ``t`` as years after the bust (t = 0 is the first year of the bust)."""
    try:
        per_year = PERIODS_PER_YEAR[period]
    except KeyError:
        raise ParameterError("period", "one of " + ", ".join(PERIODS_PER_YEAR),
                             period) from None
    return np.asarray(t, dtype=np.float64) / per_year


def _label(name: str) -> str:
    """The legend label of a model output, from the family's vocabulary."""
    return VOCABULARY[name].label


def _rate_unit(period: str) -> str:
    return "% a year" if period == "year" else f"% a {period}"


def _nonzero(*cols: pd.Series) -> bool:
    return any(float(np.max(np.abs(c.to_numpy(dtype=float)))) > _ZERO for c in cols)


def _spells(at_bound: np.ndarray[Any, Any]) -> list[tuple[int, int]]:
    """Runs of consecutive True as (first, last) indices."""
    b = np.asarray(at_bound, dtype=bool)
    edges = np.diff(np.concatenate([[0], b.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


@dataclass(frozen=True)
class _Panel:
    """One panel: its title, y unit, and a function that draws it on an axes."""

    title: str
    draw: Callable[[Axes], None]
    over_time: bool = True


def _grid(fig: Figure, n: int, ncols: int = 3) -> list[Axes]:
    """``n`` axes in rows of ``ncols``; a short last row is centred (no empty panel).

    The grid has two columns per panel (a short row shifts by one), so the figure's gaps
    are set for ``2 * ncols`` columns (see :func:`_panel_figure`).
    """
    nrows = math.ceil(n / ncols)
    gs = fig.add_gridspec(nrows, 2 * ncols)
    axes = []
    for k in range(n):
        r, c = divmod(k, ncols)
        left = nrows * ncols - n if r == nrows - 1 else 0  # missing panels in this row
        c0 = 2 * c + left
        axes.append(fig.add_subplot(gs[r, c0:c0 + 2]))
    return axes


def _panel_figure(n: int, ncols: int = 3, *, titled: bool) -> Figure:
    """An 11-inch figure for ``n`` panels in rows of ``ncols`` (:func:`_grid`), margins set.

    Each panel carries a title, a y label and percent tick labels on its left; ``titled``
    leaves room for a figure title above the panels.
    """
    nrows = math.ceil(n / ncols)
    return new_figure(7.4 if nrows > 1 else 4.0, width_in=11.0, left=0.95, right=0.35,
                      top=0.65 if titled else 0.35, bottom=0.55, wspace=0.9, hspace=0.8,
                      ncols=2 * ncols, nrows=nrows)


def _shade_spells(ax: Axes, x: np.ndarray[Any, Any], spells: Sequence[tuple[int, int]],
                  step: float, label: str | None) -> None:
    for k, (i, j) in enumerate(spells):
        ax.axvspan(x[i] - step / 2, x[j] + step / 2, color=BOUND_SHADE, alpha=0.45, lw=0,
                   zorder=0, label=label if k == 0 else None)


@styled
def path_figure(result: PathResult, *, title: str = "", horizon: int | None = None,
                period: str = "year") -> tuple[Figure, pd.DataFrame]:
    """One deleveraging path over time, in up to six panels.

    Panels: output gap and inflation; interest rates with the floor; borrowers' debt and net
    repayment; sectoral balances; the price level; the government (only when it does
    something). The spell at the floor is shaded in each panel.

    Parameters
    ----------
    result
        A solved path (:func:`bsrlab.models.deleveraging.path.solve_path`).
    title
        The figure's title (caption-ready: what the reader sees); empty for none.
    horizon
        Periods shown (default: 25, or the whole path if shorter).
    period
        The model period of the preset, to convert periods into years.

    Returns
    -------
    (Figure, DataFrame)
        The figure and the rows drawn: ``t``, ``years`` and the path's columns (fractions).
    """
    df = result.to_frame()
    n = min(len(df), horizon if horizon is not None else 25)
    d = df.iloc[:n].reset_index()
    if "t" not in d.columns:
        d.insert(0, "t", np.arange(n))
    x = years(d["t"].to_numpy(), period)
    d.insert(1, "years", x)
    step = float(x[1] - x[0]) if n > 1 else 1.0
    spells = _spells(d["at_bound"].to_numpy())
    floor = float(result.params.i_floor)
    P = 100.0
    rate = _rate_unit(period)

    def gap_inflation(ax: Axes) -> None:
        ax.plot(x, P * d["output_gap"], color=C["blue"], label=_label("output_gap"))
        ax.plot(x, P * d["inflation"], color=C["vermillion"], ls="--", label=_label("inflation"))
        ax.axhline(0.0, color="#555555", lw=0.7)
        ax.set_ylabel(f"% of potential output; {rate}")

    def rates(ax: Axes) -> None:
        ax.plot(x, P * d["policy_rate"], color=C["blue"], label=_label("policy_rate"))
        shadow = d["shadow_rate"].to_numpy()
        if np.any(np.abs(shadow - d["policy_rate"].to_numpy()) > _ZERO):
            ax.plot(x, P * shadow, color=C["sky_blue"], ls=":",
                    label=_label("shadow_rate") + " (the rule)")
        ax.plot(x, P * d["real_rate"], color=C["vermillion"], ls="--",
                label=_label("real_rate"))
        ax.plot(x, P * d["natural_rate"], color=C["green"], ls="-.",
                label=_label("natural_rate"))
        ax.axhline(P * floor, color="#000000", lw=1.1, ls=(0, (1, 1.5)),
                   label=f"floor ({pct(floor, 1)})")
        ax.set_ylabel(rate)

    def debt(ax: Axes) -> None:
        ax.plot(x, P * d["borrower_debt"], color=C["orange"], label=_label("borrower_debt"))
        ax.bar(x, P * d["deleveraging"], width=0.7 * step, color=C["sky_blue"], alpha=0.8,
               label=f"{_label('deleveraging')}: net repayment")
        ax.set_ylabel("% of potential output")
        ax.set_ylim(bottom=0.0)

    def balances(ax: Axes) -> None:
        ax.plot(x, P * d["borrower_surplus"], color=C["orange"], label=_label("borrower_surplus"))
        ax.plot(x, P * d["saver_surplus"], color=C["blue"], ls="--", label=_label("saver_surplus"))
        if _nonzero(d["private_surplus"], d["government_deficit"]):
            ax.bar(x - 0.2 * step, P * d["private_surplus"], width=0.4 * step,
                   color=C["green"], label=_label("private_surplus"))
            ax.bar(x + 0.2 * step, P * d["government_deficit"], width=0.4 * step,
                   color=C["purple"], label=_label("government_deficit"))
        ax.axhline(0.0, color="#555555", lw=0.7)
        ax.set_ylabel("% of potential output")

    def prices(ax: Axes) -> None:
        ax.plot(x, P * d["price_level"], color=C["vermillion"], label=_label("price_level"))
        ax.axhline(P, color="#555555", lw=0.7)
        ax.set_ylabel("before the bust = 100")

    def government(ax: Axes) -> None:
        for col, colour, ls in (("government_debt", C["purple"], "-"),
                                ("government_spending", C["green"], "--"),
                                ("transfers", C["orange"], ":")):
            if col in d.columns and _nonzero(d[col]):
                ax.plot(x, P * d[col], color=colour, ls=ls, label=_label(col))
        ax.axhline(0.0, color="#555555", lw=0.7)
        ax.set_ylabel("% of potential output")

    panels = [_Panel("Output gap and inflation", gap_inflation),
              _Panel("Interest rates", rates),
              _Panel("Borrowers' debt and repayment", debt),
              _Panel("Sectoral balances", balances),
              _Panel("Price level", prices)]
    gov_cols = [c for c in ("government_debt", "government_spending", "transfers")
                if c in d.columns]
    if _nonzero(*(d[c] for c in gov_cols)):
        panels.append(_Panel("Government", government))

    fig = _panel_figure(len(panels), titled=bool(title))
    axes = _grid(fig, len(panels))
    for k, (ax, panel) in enumerate(zip(axes, panels, strict=True)):
        _shade_spells(ax, x, spells, step,
                      "policy rate at the floor" if k == 1 and spells else None)
        panel.draw(ax)
        ax.set_title(panel.title)
        ax.set_xlabel(X_LABEL)
        ax.set_xlim(x[0] - step / 2, x[-1] + step / 2)
        _whole_years(ax)
        if panel.draw is not prices:
            percent_axis(ax, "y")
        ax.legend(fontsize=8.5, loc="best")
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, d


@styled
def comparison_figure(comp: Comparison, *, horizon: int = 20,
                      title: str = "") -> tuple[Figure, pd.DataFrame]:
    """The policy lab: the output gap under each policy, and each policy's cumulative loss.

    Parameters
    ----------
    comp
        The lab's comparison (:func:`bsrlab.scenarios.lab.compare_policies`).
    horizon
        Periods shown in the left panel.
    title
        The figure's title; empty for none.

    Returns
    -------
    (Figure, DataFrame)
        The figure and the gaps drawn: ``t``, ``years`` and one column per policy (fractions).
    """
    period = getattr(comp.preset, "period", "year")
    fig = new_figure(4.8, width_in=11.0, left=0.8, right=0.2, top=0.65 if title else 0.35,
                     bottom=0.55, wspace=1.6, ncols=2)
    ax1, ax2 = fig.subplots(1, 2, width_ratios=(1.25, 1.0))
    cols: dict[str, np.ndarray[Any, Any]] = {}
    styles = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)))
    base = comp.paths[next(iter(comp.paths))]
    n = min(horizon, len(base.output_gap))
    t = np.arange(n)
    x = years(t, period)
    step = float(x[1] - x[0]) if n > 1 else 1.0
    _shade_spells(ax1, x, _spells(np.asarray(base.at_bound)[:n]), step,
                  "policy rate at the floor (no policy)")
    for k, (label, path) in enumerate(comp.paths.items()):
        gap = np.asarray(path.output_gap[:n], dtype=float)
        cols[label] = gap
        ax1.plot(x, 100.0 * gap, color=CYCLE[k % len(CYCLE)], ls=styles[k % len(styles)],
                 lw=2.4 if k == 0 else 1.8, label=label)
    ax1.axhline(0.0, color="#555555", lw=0.7)
    ax1.set_title("Output gap under each policy")
    ax1.set_xlabel(X_LABEL)
    ax1.set_ylabel("% of potential output")
    ax1.set_xlim(x[0] - step / 2, x[-1] + step / 2)
    _whole_years(ax1)
    percent_axis(ax1, "y")
    ax1.legend(fontsize=8.5, loc="lower right")
    frame = comp.to_frame()
    loss = 100.0 * frame["cumulative_output_loss"].to_numpy(dtype=float)
    colours = [CYCLE[k % len(CYCLE)] for k in range(len(frame))]
    ax2.barh(frame["policy"], loss, color=colours)
    for yk, v in enumerate(loss):
        ax2.annotate(f"{v:.1f}%", xy=(v, yk), xytext=(3, 0), textcoords="offset points",
                     va="center", fontsize=9.5)
    ax2.invert_yaxis()
    ax2.set_xlim(0.0, 1.18 * max(float(loss.max()), 1e-9))
    ax2.set_title(_label("cumulative_output_loss").capitalize())
    ax2.set_xlabel(f"% of a {period}'s potential output")
    ax2.grid(axis="y", visible=False)
    percent_axis(ax2, "x")
    if title:
        fig.suptitle(title, fontsize=14)
    import pandas as pd

    data = pd.DataFrame({"t": t, "years": x, **cols})
    return fig, data
