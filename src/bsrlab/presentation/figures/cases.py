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

from bsrlab.presentation.style import (
    BOUND_SHADE,
    OKABE_ITO,
    new_figure,
    pct,
    percent_axis,
    styled,
)
from bsrlab.presentation.style import figure_function as _figure_function
from bsrlab.presentation.table import Table

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bsrlab.cases.diagnose import Diagnosis
    from bsrlab.cases.panel import PanelResult

__all__ = ["ASSETS", "DATA_COLUMNS", "decline_records", "declines_chart", "declines_figure",
           "episode_figure", "panel_figure", "roc_figure", "threshold_map"]

C = OKABE_ITO

#: Columns of :func:`episode_figure`'s input and output.
DATA_COLUMNS: tuple[str, ...] = ("date", "series", "panel", "value")

#: Asset classes of :func:`declines_figure`, in the order of the bars, with their legend labels.
ASSETS: dict[str, str] = {"equity": "equity", "house": "house", "house_bis": "house (BIS)",
                          "commercial": "commercial property"}

#: The panel a break of a JST series is drawn on (loans and GDP enter credit/GDP).
_BREAK_PANEL = {"hpnom": "prices", "eq_capgain": "prices", "lev": "capital"}
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
    """One episode's charts (the paper's Figure 10) from the series in ``data``.

    Four panels: asset prices relative to their pre-crisis peak with 1 - delta* (and its band
    over phi = 0.2-0.5) and 1 - delta_K, and the paper's declines marked where the data have no
    series (commercial property) or differ; credit/GDP with known data breaks marked; the bank
    capital ratio; the loan losses the paper reports (the data hold none) against the model's.

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
        The figure and every point drawn: ``data``, the threshold lines, the paper's marks
        (``panel`` = ``prices`` or ``losses``, ``series`` starting with "paper"), the model's
        loan losses and the known data breaks (``panel`` = ``breaks``, drawn on the credit
        panel).
    """
    import pandas as pd
    from matplotlib.ticker import MaxNLocator

    from bsrlab.cases.facts import data_breaks

    frame = data.loc[:, list(DATA_COLUMNS)].copy()
    lo, hi = float(frame["date"].min()), float(frame["date"].max())
    ep = d.episode
    extra = _threshold_rows(d, lo, hi)
    have = set(d.observation.dates) if d.observation.source == "data" else set()
    trough_x = float(ep.end)
    marks = []  # the paper's declines, side by side at the end of the episode, as drawn
    for i, (asset, val) in enumerate(ep.paper.items()):
        missing = asset not in have
        label = f"paper: {ASSETS.get(asset, asset)}" + (" (not in the data)" if missing else "")
        marks.append((trough_x + 0.15 * i, 1.0 - float(val), label, missing))
        extra.append({"date": trough_x + 0.15 * i, "series": label, "panel": "prices",
                      "value": 1.0 - float(val)})
    for key, val in ep.observed_loan_losses.items():
        extra.append({"date": np.nan, "series": f"paper: {key.replace('_', ' ')}",
                      "panel": "losses", "value": float(val)})
    lam = d.predicted_loan_losses.get("gdp")
    if lam is not None:
        extra.append({"date": np.nan, "series": "model: loan losses λ / GDP", "panel": "losses",
                      "value": float(lam)})
    breaks = data_breaks(ep.iso, int(lo), int(hi))
    extra.extend({"date": float(b.year), "series": f"data break: {b.variable}",
                  "panel": "breaks", "value": np.nan} for b in breaks)
    lines = pd.concat([frame, pd.DataFrame(extra, columns=list(DATA_COLUMNS))],
                      ignore_index=True)
    fig = new_figure(3.9, width_in=13.0, left=0.65, right=0.2, top=0.3, bottom=0.55,
                     wspace=0.55, ncols=4)
    axes = fig.subplots(1, 4)
    by_axis = dict(zip((p for p, _ in _PANELS), axes[:3], strict=True))
    for ax in axes[:3]:
        ax.axvspan(ep.start, ep.end, color=BOUND_SHADE, alpha=0.45, lw=0, zorder=0,
                   label="the episode" if ax is axes[0] else None)
    prices = frame[frame["panel"] == "prices"]
    for colour, (name, g) in zip(_LINE_COLOURS, prices.groupby("series", sort=False),
                                 strict=False):
        axes[0].plot(g["date"], g["value"], color=colour, label=name)
    band = d.delta_star_band
    if band and band[0] is not None and band[1] is not None:
        axes[0].axhspan(1.0 - min(band[1], 1.0), 1.0 - band[0], color=C["vermillion"],
                        alpha=0.10, lw=0, label="1 − δ*, φ from 0.2 to 0.5")
    for key, symbol, colour, ls in _THRESHOLDS:
        val = float(d.thresholds[key])
        if val <= 1.0:
            axes[0].plot([lo, hi], [1.0 - val] * 2, color=colour, ls=ls, lw=1.5,
                         label=f"1 − {symbol} = {pct(1.0 - val, 0)}")
        else:  # no line to draw: say so in the title instead of a legend entry without a line
            axes[0].set_title(f"{symbol} = {pct(val, 0)}: no crunch possible", fontsize=10,
                              loc="right", color=colour)
    for x, y, label, missing in marks:
        axes[0].plot([x], [y], marker="D" if missing else "o", ms=6,
                     mfc=C["yellow"] if missing else "white", mec="#000000", ls="none",
                     zorder=6, label=label)
    top = float(np.nanmax(prices["value"])) if not prices.empty else 1.0
    axes[0].set_ylim(0.0, min(max(top, 1.05) + 0.05, 1.6))  # the declines, not later booms
    percent_axis(axes[0], "y", scale=100.0)
    axes[0].legend(fontsize=6.5, loc="upper left", ncols=2, framealpha=0.9)
    for panel, colour in (("credit", C["sky_blue"]), ("capital", C["black"])):
        g = frame[frame["panel"] == panel]
        by_axis[panel].plot(g["date"], g["value"], color=colour, marker="o", markersize=3)
    marked = set()
    for b in breaks:  # a thin band (not a line: the panel's one line is the series)
        # on the panel of the series that breaks: prices, the capital ratio, else credit/GDP
        panel = _BREAK_PANEL.get(b.variable, "credit")
        by_axis[panel].axvspan(b.year - 0.08, b.year + 0.08, color=C["vermillion"],
                               alpha=0.8, lw=0, label=f"data break ({b.variable}, {b.year})")
        marked.add(panel)
    for panel in sorted(marked):
        if panel == "prices":  # its legend again, now with the break
            axes[0].legend(fontsize=6.5, loc="upper left", ncols=2, framealpha=0.9)
        else:
            by_axis[panel].legend(fontsize=8, loc="upper left")
    percent_axis(by_axis["credit"], "y", scale=100.0)
    percent_axis(by_axis["capital"], "y", scale=100.0)
    for (_panel, title), ax in zip(_PANELS, axes[:3], strict=True):
        ax.set_title(title, loc="left")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # whole years only
    loss = lines[lines["panel"] == "losses"]
    ax4 = axes[3]
    if loss.empty:
        ax4.text(0.5, 0.5, "no loan-loss figure\nin the paper", ha="center", va="center",
                 transform=ax4.transAxes, fontsize=9)
        ax4.set_xticks([])
    else:
        xs = np.arange(len(loss))
        colours = [C["orange"] if str(n).startswith("paper") else C["vermillion"]
                   for n in loss["series"]]
        ax4.bar(xs, loss["value"].to_numpy(), color=colours, edgecolor="#333333", lw=0.4)
        ax4.set_xticks(xs, [str(n).replace("paper: ", "paper:\n").replace("model: ", "model:\n")
                            [:40] for n in loss["series"]], fontsize=6)
        percent_axis(ax4, "y", scale=100.0)
    ax4.set_title("Loan losses (paper; none in the data)", loc="left", fontsize=9)
    return fig, lines


def decline_records(diags: Sequence[Diagnosis]) -> list[dict[str, Any]]:
    """What :func:`declines_figure` draws of each diagnosis, JSON-ready: ``episode``,
    ``declines`` (asset class -> observed decline), ``delta_star`` and ``delta_K``."""
    return [{"episode": d.episode.name,
             "declines": {k: float(v) for k, v in d.observation.declines.items()},
             "delta_star": float(d.thresholds["delta_star"]),
             "delta_K": float(d.thresholds["delta_K"])} for d in diags]


@_figure_function
def declines_figure(diags: Sequence[Diagnosis]) -> tuple[Figure, Table]:
    """Observed declines per asset class against delta* and delta_K, one group per episode.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``episode``, ``asset``, ``decline``, ``delta_star``, ``delta_K``: one row per
        bar drawn (an episode's observed decline of one asset class).
    """
    return declines_chart.table(decline_records(diags))


@_figure_function
def declines_chart(records: Sequence[dict[str, Any]]) -> tuple[Figure, Table]:
    """:func:`declines_figure` from its :func:`decline_records` (as the report caches them)."""
    rows = [{"episode": r["episode"], "asset": asset, "decline": float(val),
             "delta_star": float(r["delta_star"]), "delta_K": float(r["delta_K"])}
            for r in records for asset, val in r["declines"].items()]
    data = Table.from_records(rows, ["episode", "asset", "decline", "delta_star", "delta_K"])
    fig = new_figure(4.2, left=0.85, right=0.15, top=0.4, bottom=0.35)
    ax = fig.subplots()
    names = [str(r["episode"]) for r in records]
    x = np.arange(len(names), dtype=float)
    colours = (C["blue"], C["orange"], C["yellow"], C["green"])
    width = 0.8 / len(ASSETS)
    for i, (asset, colour) in enumerate(zip(ASSETS, colours, strict=True)):
        # one bar per episode; an episode without this asset class gets none (NaN)
        vals = np.array([float(r["declines"].get(asset, np.nan)) for r in records])
        if not np.isfinite(vals).any():
            continue
        ax.bar(x - 0.4 + (i + 0.5) * width, vals, width, color=colour, edgecolor="#333333",
               lw=0.4, label=ASSETS[asset])
    cap = 1.05
    for key, symbol, colour, _ls in _THRESHOLDS:
        vals = np.minimum([float(r[key]) for r in records], cap)
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
def panel_figure(result: PanelResult, *, cap: float = 1.0) -> tuple[Figure, pd.DataFrame]:
    """Each country-year of the early-warning design (h = 2): the decline against delta*.

    Above the diagonal the decline has crossed delta*; years followed by a crisis start within
    two years are drawn in vermillion. delta* is capped at ``cap`` for the axis.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``iso``, ``year``, ``decline``, ``delta_star``, ``event``: one row per dot.
    """

    f = getattr(result, "headline", result).frame
    data = f.loc[:, ["iso", "year", "decline", "delta_star", "event"]].reset_index(drop=True)
    fig = new_figure(4.6, width_in=8.0, left=0.85, right=0.15, top=0.15, bottom=0.55)
    ax: Axes = fig.subplots()
    ev = data["event"].to_numpy(dtype=bool)
    xs = data["delta_star"].clip(upper=cap)
    ax.scatter(xs[~ev], data.loc[~ev, "decline"], s=6, color=C["sky_blue"],
               label="no crisis start in the next 2 years")
    ax.scatter(xs[ev], data.loc[ev, "decline"], s=12, color=C["vermillion"],
               label="a crisis start in the next 2 years")
    ax.plot([0, 1], [0, 1], color=C["black"], lw=1, label="decline = δ*")
    ax.set_xlabel(f"calibrated δ* (capped at {pct(cap, 0)})")
    ax.set_ylabel("running peak-to-trough decline")
    percent_axis(ax, "both", scale=100.0)
    ax.legend(fontsize=8)
    return fig, data


#: The scores drawn by :func:`roc_figure`, with their colours.
_ROC = (("model", "model: decline − δ*", C["vermillion"]),
        ("fixed_30pct", "decline", C["orange"]),
        ("credit_growth", "5-year Δ credit/GDP", C["blue"]),
        ("credit_gap", "credit gap (HP 1600)", C["green"]),
        ("house_gap", "house-price gap", C["purple"]),
        ("logit", "logit of the baselines", C["black"]))


@styled
def roc_figure(result: PanelResult,
               designs: Sequence[str] = ("early_warning_h2", "coincident", "bust_conditional")
               ) -> tuple[Figure, pd.DataFrame]:
    """ROC curves of the model and the main baselines, one panel per design.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``design``, ``score``, ``false_alarm_rate``, ``hit_rate``: the points drawn.
    """
    import pandas as pd

    keys = [k for k in designs if k in result.designs]
    fig = new_figure(4.0, width_in=12.0, left=0.6, right=0.2, top=0.35, bottom=0.6,
                     wspace=0.35, ncols=len(keys))
    axes = np.atleast_1d(fig.subplots(1, len(keys)))
    rows = []
    for ax, key in zip(axes, keys, strict=True):
        dres = result.designs[key]
        curves = dres.roc()
        scores = {"model": dres.model, **dres.baselines}
        for name, label, colour in _ROC:
            if name not in curves:
                continue
            fpr, tpr = curves[name]
            ax.plot(fpr, tpr, color=colour, lw=2.0 if name == "model" else 1.2,
                    label=f"{label} ({scores[name].auc:.2f})")
            rows.append(pd.DataFrame({"design": key, "score": name, "false_alarm_rate": fpr,
                                      "hit_rate": tpr}))
        ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls=":")
        ax.set_title(f"{key.replace('_', ' ')} (n = {len(dres.frame)})", loc="left",
                     fontsize=10)
        ax.set_xlabel("false-alarm rate")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=6.5, loc="lower right", title="AUC in brackets", title_fontsize=6.5)
    axes[0].set_ylabel("hit rate")
    data = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["design", "score", "false_alarm_rate", "hit_rate"])
    return fig, data


_RATING_COLOURS = {"green": C["green"], "amber": C["orange"], "red": C["vermillion"]}


@styled
def threshold_map(rows: Sequence[Any]) -> tuple[Figure, pd.DataFrame]:
    """Every country on the financial stability frontier (the axes of the paper's Figure 9).

    Each country sits at its calibrated (alpha, delta*) (phi = 0.3), on the frontier
    delta*(alpha) of its own R, drawn thin over phi = 0.2-0.5; a cross marks its current
    property-price drawdown at the same alpha, joined to delta* by a line (the distance).
    Colours are the ratings.

    Returns
    -------
    (Figure, DataFrame)
        Columns ``iso``, ``element`` (``country``, ``drawdown``, ``frontier``), ``alpha``,
        ``value``, ``rating``.
    """
    import pandas as pd

    from bsrlab.cases.calibrate import PHI_BAND
    from bsrlab.models.vonpeter.closed import delta_star

    fig = new_figure(5.6, width_in=9.0, left=0.85, right=0.2, top=0.2, bottom=0.6)
    ax: Axes = fig.subplots()
    out = []
    shown: set[str] = set()
    for r in rows:
        row = r if isinstance(r, dict) else r.to_dict()
        a, dstar, R = row["alpha"], row["delta_star"], row["R"]
        if a is None or dstar is None or R is None:
            continue
        colour = _RATING_COLOURS[row["rating"]]
        c = row["credit_gdp"]
        phis = np.linspace(PHI_BAND[0], PHI_BAND[1], 25)
        al = (R - 1.0) * c / phis
        ok = (al > R - 1.0) & (al < 1.0)
        fr = delta_star(al[ok], R, 0.0)
        ax.plot(100 * al[ok], 100 * fr, color=colour, lw=0.8, alpha=0.6)
        out.append(pd.DataFrame({"iso": row["iso"], "element": "frontier", "alpha": al[ok],
                                 "value": fr, "rating": row["rating"]}))
        label = None if row["rating"] in shown else f"rating {row['rating']}"
        shown.add(row["rating"])
        ax.plot([100 * a], [100 * dstar], "o", ms=7, color=colour, mec="#000000", zorder=5,
                label=label)
        ax.annotate(row["iso"], xy=(100 * a, 100 * dstar), xytext=(4, 3),
                    textcoords="offset points", fontsize=8)
        out.append(pd.DataFrame({"iso": [row["iso"]], "element": ["country"], "alpha": [a],
                                 "value": [dstar], "rating": [row["rating"]]}))
        dd = row["drawdown"]
        if dd is not None:
            ax.plot([100 * a, 100 * a], [100 * dstar, 100 * dd], color=colour, lw=0.8,
                    ls=":")
            ax.plot([100 * a], [100 * dd], "x", ms=6, color=colour, zorder=5,
                    label=None if "dd" in shown else "current drawdown")
            shown.add("dd")
            out.append(pd.DataFrame({"iso": [row["iso"]], "element": ["drawdown"],
                                     "alpha": [a], "value": [dd], "rating": [row["rating"]]}))
    ax.text(0.97, 0.95, "financial instability above the frontier", transform=ax.transAxes,
            ha="right", va="top", fontsize=10, color="#333333")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("leverage α (output elasticity of assets)")
    ax.set_ylabel("critical decline δ*(α); drawdown")
    percent_axis(ax, "y")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v / 100:g}")
    ax.legend(loc="upper left", fontsize=8)
    data = pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["iso", "element", "alpha", "value", "rating"])
    return fig, data
