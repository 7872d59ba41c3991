"""Figures of the case studies: each function returns ``(Figure, DataFrame)``, the data drawn.

* :func:`episode_figure`: one episode in the style of the paper's Figure 10: asset prices relative
  to their pre-crisis peak with the calibrated model's 1 - delta* (capital crunch) and 1 - delta_K
  (bank capital gone), credit/GDP and the bank capital ratio, the episode shaded;
* :func:`declines_figure`: observed peak-to-trough declines by asset class against delta* and
  delta_K, one group of bars per episode;
* :func:`panel_figure`: every JST country-year's running decline against its calibrated delta*.

The data frames are long: one row per point drawn, so that a reader can redraw or check a chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bsrlab.presentation.style import (
    BOUND_SHADE,
    OKABE_ITO,
    new_figure,
    pct,
    percent_axis,
    styled,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bsrlab.cases.diagnose import Diagnosis
    from bsrlab.cases.panel import PanelResult

__all__ = ["ASSETS", "DATA_COLUMNS", "declines_figure", "episode_figure", "panel_figure"]

C = OKABE_ITO

#: Columns of :func:`episode_figure`'s input and output.
DATA_COLUMNS: tuple[str, ...] = ("date", "series", "panel", "value")

#: Asset classes of :func:`declines_figure`, in the order of the bars, with their legend labels.
ASSETS: dict[str, str] = {"equity": "equity", "house": "house", "house_bis": "house (BIS)",
                          "commercial": "commercial property"}

_THRESHOLDS = (("delta_star", "δ*", C["vermillion"], "--"), ("delta_K", "δ_K", C["purple"], ":"))
_PANELS = (("prices", "Asset prices / pre-crisis peak"), ("credit", "Credit / GDP"),
           ("capital", "Bank capital / assets"))
_LINE_COLOURS = (C["blue"], C["orange"], C["green"], C["sky_blue"])


def _threshold_rows(d: Diagnosis, lo: float, hi: float) -> list[dict[str, Any]]:
    """The threshold lines 1 - delta drawn across [lo, hi] (those below 100%)."""
    rows: list[dict[str, Any]] = []
    for key, symbol, _colour, _ls in _THRESHOLDS:
        val = float(d.thresholds[key])
        if val <= 1.0:
            rows.extend({"date": x, "series": f"1 − {symbol}", "panel": "prices",
                         "value": 1.0 - val} for x in (lo, hi))
    return rows


@styled
def episode_figure(d: Diagnosis, data: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """One episode's charts (Figure 10 style) from the series in ``data``.

    Parameters
    ----------
    d
        The episode's diagnosis (its thresholds and the episode's dates).
    data
        Long frame with columns :data:`DATA_COLUMNS`: ``panel`` is ``prices`` (relative to the
        pre-crisis peak), ``credit`` (credit/GDP) or ``capital`` (capital/assets).

    Returns
    -------
    (Figure, DataFrame)
        The figure and every point drawn: ``data`` plus the threshold lines 1 - delta* and
        1 - delta_K (two points each, across the prices panel).
    """
    from matplotlib.ticker import MaxNLocator

    frame = data.loc[:, list(DATA_COLUMNS)].copy()
    lo, hi = float(frame["date"].min()), float(frame["date"].max())
    lines = pd.concat([frame, pd.DataFrame(_threshold_rows(d, lo, hi),
                                           columns=list(DATA_COLUMNS))], ignore_index=True)
    fig = new_figure(3.9, width_in=11.0, left=0.7, right=0.2, top=0.3, bottom=0.55, wspace=0.7,
                     ncols=3)
    axes = fig.subplots(1, 3)
    by_axis = dict(zip((p for p, _ in _PANELS), axes, strict=True))
    ep = d.episode
    for ax in axes:
        ax.axvspan(ep.start, ep.end, color=BOUND_SHADE, alpha=0.45, lw=0, zorder=0,
                   label="the episode" if ax is axes[0] else None)
    prices = frame[frame["panel"] == "prices"]
    for colour, (name, g) in zip(_LINE_COLOURS, prices.groupby("series", sort=False),
                                 strict=False):
        axes[0].plot(g["date"], g["value"], color=colour, label=name)
    for key, symbol, colour, ls in _THRESHOLDS:
        val = float(d.thresholds[key])
        if val <= 1.0:
            axes[0].plot([lo, hi], [1.0 - val] * 2, color=colour, ls=ls, lw=1.5,
                         label=f"1 − {symbol} = {pct(1.0 - val, 0)}")
        else:  # no line to draw: say so in the title instead of a legend entry without a line
            axes[0].set_title(f"{symbol} = {pct(val, 0)}: no crunch possible", fontsize=10,
                              loc="right", color=colour)
    axes[0].set_ylim(bottom=0.0)
    percent_axis(axes[0], "y", scale=100.0)
    axes[0].legend(fontsize=8, loc="lower left")
    for panel, colour in (("credit", C["sky_blue"]), ("capital", C["black"])):
        g = frame[frame["panel"] == panel]
        by_axis[panel].plot(g["date"], g["value"], color=colour, marker="o", markersize=3)
    percent_axis(by_axis["credit"], "y", scale=100.0)
    percent_axis(by_axis["capital"], "y", scale=100.0)
    for (_panel, title), ax in zip(_PANELS, axes, strict=True):
        ax.set_title(title, loc="left")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # whole years only
    return fig, lines


@styled
def declines_figure(diags: Sequence[Diagnosis]) -> tuple[Figure, pd.DataFrame]:
    """Observed declines per asset class against delta* and delta_K, one group per episode.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``episode``, ``asset``, ``decline``, ``delta_star``, ``delta_K``: one row per
        bar drawn (an episode's observed decline of one asset class).
    """
    rows = [{"episode": d.episode.name, "asset": asset, "decline": float(val),
             "delta_star": float(d.thresholds["delta_star"]),
             "delta_K": float(d.thresholds["delta_K"])}
            for d in diags for asset, val in d.observation.declines.items()]
    data = pd.DataFrame(rows, columns=["episode", "asset", "decline", "delta_star", "delta_K"])
    fig = new_figure(4.2, left=0.85, right=0.15, top=0.4, bottom=0.35)
    ax = fig.subplots()
    names = [d.episode.name for d in diags]
    x = np.arange(len(names), dtype=float)
    colours = (C["blue"], C["orange"], C["yellow"], C["green"])
    width = 0.8 / len(ASSETS)
    for i, (asset, colour) in enumerate(zip(ASSETS, colours, strict=True)):
        # one bar per episode; an episode without this asset class gets none (NaN)
        vals = np.array([float(d.observation.declines.get(asset, np.nan)) for d in diags])
        if not np.isfinite(vals).any():
            continue
        ax.bar(x - 0.4 + (i + 0.5) * width, vals, width, color=colour, edgecolor="#333333",
               lw=0.4, label=ASSETS[asset])
    cap = 1.05
    for key, symbol, colour, _ls in _THRESHOLDS:
        vals = np.minimum([float(d.thresholds[key]) for d in diags], cap)
        ax.scatter(x, vals, marker="_", s=900, linewidths=2.5, color=colour, zorder=3,
                   label=f"{symbol} (capped at {pct(cap, 0)})" if key == "delta_star"
                   else symbol)
    ax.set_xticks(x, names, fontsize=9)
    ax.set_ylabel("peak-to-trough decline")
    ax.set_ylim(0, 1.12)
    percent_axis(ax, "y", scale=100.0)
    # one row above the axes, clear of the bars and thresholds
    ax.legend(fontsize=8, ncols=6, loc="lower right", bbox_to_anchor=(1.0, 1.01),
              borderaxespad=0.0, markerscale=0.6)  # threshold marks as long as the handles
    return fig, data


@styled
def panel_figure(result: PanelResult, *, cap: float = 3.0) -> tuple[Figure, pd.DataFrame]:
    """Each JST country-year: the running decline against the calibrated delta*.

    Above the diagonal the decline has crossed delta*; crisis starts within two years are
    drawn in vermillion. delta* is capped at ``cap`` for the axis.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``iso``, ``year``, ``decline``, ``delta_star``, ``event``: one row per dot.
    """
    f = result.frame
    data = f.loc[:, ["iso", "year", "decline", "delta_star", "event"]].reset_index(drop=True)
    fig = new_figure(4.6, width_in=8.0, left=0.85, right=0.15, top=0.15, bottom=0.55)
    ax: Axes = fig.subplots()
    ev = data["event"].to_numpy(dtype=bool)
    xs = data["delta_star"].clip(upper=cap)
    ax.scatter(xs[~ev], data.loc[~ev, "decline"], s=6, color=C["sky_blue"],
               label="no crisis start within ±2 years")
    ax.scatter(xs[ev], data.loc[ev, "decline"], s=12, color=C["vermillion"],
               label="crisis start within ±2 years")
    ax.plot([0, 1], [0, 1], color=C["black"], lw=1, label="decline = δ*")
    ax.set_xlabel(f"calibrated δ* (capped at {pct(cap, 0)})")
    ax.set_ylabel("running peak-to-trough decline")
    percent_axis(ax, "both", scale=100.0)
    ax.legend(fontsize=8)
    return fig, data
