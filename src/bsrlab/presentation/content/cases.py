"""Case-study pages and the case-study section of ``bsrlab report``.

:func:`case_section` builds one episode's section: Figure 10-style charts from the data (asset
prices relative to their pre-crisis peak with the model's 1 - delta* and 1 - delta_K drawn as
lines, credit/GDP, the bank capital ratio) and the diagnosis table. Without a data directory it
draws the typed declines against the thresholds instead and says so. :func:`report_section` is
the summary over all episodes plus the panel test's headline. Figures are
``matplotlib.figure.Figure`` objects (no pyplot state) in the Okabe-Ito palette.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bsrlab.cases.diagnose import Diagnosis, diagnose, diagnose_all
from bsrlab.cases.episodes import Episode, data_available, equity_index
from bsrlab.cases.facts import LV2018, VP2004
from bsrlab.cases.panel import PanelResult, panel_test
from bsrlab.data.loaders import load_bis, load_jst
from bsrlab.data.sources import BIS_NOMINAL, JST
from bsrlab.data.store import data_dirs
from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.render.html import write_report

__all__ = ["OKABE_ITO", "case_section", "diagnosis_table", "report_section",
           "write_case_report", "write_validation_report"]

#: The Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7"}


def _pct(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{100.0 * x:.{digits}f} %"


def diagnosis_table(diags: list[Diagnosis]) -> pd.DataFrame:
    """One row per episode: decline, thresholds, implied shock, regime against outcome, losses."""
    rows = []
    for d in diags:
        th = d.thresholds
        lam = d.predicted_loan_losses.get("gdp")
        obs_ll = "; ".join(f"{k.replace('_', ' ')} {_pct(v)}"
                           for k, v in d.episode.observed_loan_losses.items()) or "n/a"
        lv = d.episode.lv
        rows.append({
            "episode": d.episode.name,
            "source": d.observation.source,
            "asset": d.decline_asset or "n/a",
            "observed δ": _pct(d.observed_decline),
            "δ*": _pct(th["delta_star"]),
            "δ_K": _pct(th["delta_K"]),
            "implied τ": "n/a" if d.implied_tau is None else f"{d.implied_tau:.3f}",
            "τ*": f"{th['tau_star']:.3f}",
            "predicted": d.predicted_regime or "n/a",
            "observed": d.episode.outcome,
            "agreement": d.agreement,
            "model λ (% GDP)": _pct(lam),
            "observed losses": obs_ll,
            "LV peak NPL": "n/a" if lv is None else f"{lv.peak_npl:g} % of loans",
            "model spread": _pct(d.predicted_spread, 2),
            "observed spread": d.episode.spread_text,
            "credit/GDP needed": ("n/a" if d.required_credit_gdp is None
                                  else f"{d.required_credit_gdp:.2f}"),
        })
    return pd.DataFrame(rows)


def _has(data_dir: str | os.PathLike[str] | None, filename: str) -> bool:
    return any((d / filename).is_file() for d in data_dirs(data_dir))


def _series(ep: Episode, data_dir: str | os.PathLike[str] | None) -> pd.DataFrame:
    """Long frame (date, series, value) of the episode's charts, prices relative to their peak."""
    jst = load_jst(data_dir)
    sub = jst[jst["iso"] == ep.iso].sort_values("year")
    lo, hi = ep.peak_window[0] - 3, ep.end + 3
    rows: list[pd.DataFrame] = []

    def rel(name: str, s: pd.Series, panel: str) -> None:
        s = s.dropna()
        win = s[(s.index >= ep.peak_window[0]) & (s.index <= ep.peak_window[1] + 0.75)]
        if win.empty:
            return
        v = s[(s.index >= lo) & (s.index <= hi)] / win.max()
        rows.append(pd.DataFrame({"date": v.index.astype(float), "series": name,
                                  "panel": panel, "value": v.to_numpy()}))

    rel("equity prices (JST)", equity_index(sub, lo, hi), "prices")
    rel("house prices (JST)", pd.Series(sub["hpnom"].to_numpy(), index=sub["year"].to_numpy()),
        "prices")
    if _has(data_dir, BIS_NOMINAL.filename):
        bis = load_bis("nominal", data_dir)
        b = bis[bis["country_code"] == ep.bis_code]
        t = b["date"].dt.year.to_numpy() + (b["date"].dt.quarter.to_numpy() - 1) / 4.0
        rel("house prices (BIS, quarterly)", pd.Series(b["price"].to_numpy(), index=t), "prices")
    w = sub[(sub["year"] >= lo) & (sub["year"] <= hi)]
    rows.append(pd.DataFrame({"date": w["year"].astype(float), "series": "credit/GDP",
                              "panel": "credit", "value": (w["tloans"] / w["gdp"]).to_numpy()}))
    rows.append(pd.DataFrame({"date": w["year"].astype(float), "series": "bank capital/assets",
                              "panel": "capital", "value": (w["lev"] / 100.0).to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def _threshold_lines(ax: Any, d: Diagnosis, relative: bool) -> None:
    ds, dk = d.thresholds["delta_star"], d.thresholds["delta_K"]
    for val, label, colour, style in ((ds, "δ*", OKABE_ITO["vermillion"], "--"),
                                      (dk, "δ_K", OKABE_ITO["purple"], ":")):
        if val <= 1.0:
            y = 1.0 - val if relative else val
            text = f"1 − {label} = {y:.2f}" if relative else f"{label} = {_pct(val)}"
            ax.axhline(y, color=colour, linestyle=style, linewidth=1.5, label=text)
        else:
            ax.plot([], [], color=colour, linestyle=style,
                    label=f"{label} = {_pct(val)} (above 100 %: no crunch possible)")


def _data_figure(d: Diagnosis, data: pd.DataFrame) -> Figure:
    fig = Figure(figsize=(11, 3.6), layout="constrained")
    axes = fig.subplots(1, 3)
    colours = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]]
    pr = data[data["panel"] == "prices"]
    for colour, (name, g) in zip(colours, pr.groupby("series", sort=False), strict=False):
        axes[0].plot(g["date"], g["value"], color=colour, label=name)
    _threshold_lines(axes[0], d, relative=True)
    axes[0].set_title("asset prices / pre-crisis peak")
    axes[0].set_ylim(bottom=0.0)
    axes[0].legend(fontsize=7, loc="lower left")
    for ax, panel, colour, title in ((axes[1], "credit", OKABE_ITO["sky"], "credit / GDP"),
                                     (axes[2], "capital", OKABE_ITO["black"],
                                      "bank capital / assets (lev)")):
        g = data[data["panel"] == panel]
        ax.plot(g["date"], g["value"], color=colour, marker="o", markersize=3)
        ax.set_title(title)
    for ax in axes:
        ax.axvspan(d.episode.start, d.episode.end, color="#dddddd", alpha=0.5, linewidth=0)
        ax.set_xlabel("year")
    return fig


def _facts_figure(diags: list[Diagnosis]) -> tuple[Figure, pd.DataFrame]:
    """Observed declines per asset class against delta* and delta_K, one group per episode."""
    rows = []
    for d in diags:
        for asset, val in d.observation.declines.items():
            rows.append({"episode": d.episode.name, "asset": asset, "decline": val,
                         "delta_star": d.thresholds["delta_star"],
                         "delta_K": d.thresholds["delta_K"]})
    data = pd.DataFrame(rows, columns=["episode", "asset", "decline", "delta_star", "delta_K"])
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    ax = fig.subplots()
    assets = ["equity", "house", "house_bis", "commercial"]
    colours = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["yellow"], OKABE_ITO["green"]]
    names = [d.episode.name for d in diags]
    x = np.arange(len(names), dtype=float)
    width = 0.8 / len(assets)
    for i, (asset, colour) in enumerate(zip(assets, colours, strict=True)):
        vals = [data[(data["episode"] == n) & (data["asset"] == asset)]["decline"].sum()
                if ((data["episode"] == n) & (data["asset"] == asset)).any() else np.nan
                for n in names]
        ax.bar(x - 0.4 + (i + 0.5) * width, vals, width, color=colour, label=asset)
    ds = [min(d.thresholds["delta_star"], 1.05) for d in diags]
    dk = [min(d.thresholds["delta_K"], 1.05) for d in diags]
    ax.scatter(x, ds, marker="_", s=900, color=OKABE_ITO["vermillion"],
               label="δ* (capped at 105 %)", zorder=3)
    ax.scatter(x, dk, marker="_", s=900, color=OKABE_ITO["purple"], label="δ_K", zorder=3)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylabel("peak-to-trough decline")
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7, ncols=3, loc="upper right")
    return fig, data


def _calibration_html(d: Diagnosis) -> str:
    c = d.calibration
    methods = "; ".join(f"{k}: {html.escape(v)}" for k, v in c.methods.items())
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in d.notes)
    return (f"<p>Calibration: α = {c.alpha:.4g}, R = {c.R:.4g}, γ = {c.gamma:.4g} ({methods}). "
            f"Targets matched: {html.escape(str(c.matched))}.</p><ul>{notes}</ul>")


def case_section(name: str, data_dir: str | os.PathLike[str] | None = None) -> Section:
    """The section of one episode: charts (from the data, else the facts) and the diagnosis."""
    d = diagnose(name, data_dir=data_dir)
    ep = d.episode
    intro = (f"<p>{html.escape(ep.title)}, {ep.start}-{ep.end}. Observed outcome: "
             f"{html.escape(ep.outcome_text)}. The model reads the {d.decline_asset or 'n/a'} "
             f"decline of {_pct(d.observed_decline)} as a permanent productivity fall of "
             f"τ = {'n/a' if d.implied_tau is None else f'{d.implied_tau:.3f}'} and predicts "
             f"<b>{d.predicted_regime or 'n/a'}</b> ({html.escape(d.agreement)}).</p>"
             + _calibration_html(d))
    items: list[TableItem | FigureItem] = []
    slug = name.replace("-", "_")
    if d.observation.source == "data":
        data = _series(ep, data_dir)
        fig = _data_figure(d, data)
        caption = ("Figure 10 style: asset prices relative to their pre-crisis peak with the "
                   "calibrated model's 1 − δ* (capital crunch) and 1 − δ_K (bank capital gone) "
                   "as horizontal lines; credit/GDP and the bank capital ratio (JST). The grey "
                   "band marks the episode.")
    else:
        fig, data = _facts_figure([d])
        caption = ("No data directory: the declines typed in from the paper against the "
                   "thresholds of the paper's illustrative calibration.")
    items.append(FigureItem(name=f"case_{slug}", figure=fig, data=data, caption=caption,
                            title=ep.title))
    items.append(TableItem(caption="Diagnosis", frame=diagnosis_table([d]).T.reset_index()
                           .rename(columns={"index": "quantity", 0: "value"})))
    return Section(id=f"case-{name}", title=ep.title, intro=intro, items=items)


def _panel_html(r: PanelResult) -> str:
    fixed, credit = r.baselines["fixed_30pct"], r.baselines["credit_growth"]
    above = float((r.frame["delta_star"] >= 1).mean())
    beaten = [n for n, b in (("a fixed 30% decline", fixed), ("credit growth", credit))
              if b.auc > r.auc]
    verdict = ("The model loses to " + " and to ".join(beaten) + " on AUC."
               if beaten else "The model beats both baselines on AUC.")
    return (
        f"<p>Panel test over {r.country_years} JST country-years ({r.countries} countries, "
        f"{r.years[0]}-{r.years[1]}, {r.crises} crisis starts): the rule “decline crossed δ*” "
        f"has a hit rate of {_pct(r.hit_rate)} and a false-alarm rate of "
        f"{_pct(r.false_alarm_rate)} (crises detected: {r.model.crises_detected}); the ROC AUC "
        f"of the margin decline − δ* is {r.auc:.3f}, against {fixed.auc:.3f} for the decline "
        f"alone (the fixed 30% rule hits {_pct(fixed.hit_rate)} with "
        f"{_pct(fixed.false_alarm_rate)} false alarms) and {credit.auc:.3f} for 5-year credit "
        f"growth. The calibrated δ* exceeds 100 % in {_pct(above)} of country-years, because "
        f"credit/GDP is below one there: calibrated literally, the stylised model almost never "
        f"predicts a crunch. {verdict}</p>")


def report_section(data_dir: str | os.PathLike[str] | None = None) -> Section:
    """The case-study section of ``bsrlab report``: all diagnoses, the panel test, one figure.

    Works without a data directory: the diagnoses then use the typed facts and the paper's
    illustrative calibration, the panel test is skipped, and the section says so.
    """
    diags = diagnose_all(data_dir=data_dir)
    have = data_available(data_dir)
    src = ("JST R6 and BIS data" if have else
           "the facts typed in from von Peter (2004) and Laeven-Valencia (2018) only (no data "
           "directory: set BSRLAB_DATA or run 'bsrlab data fetch' for the data-based version)")
    intro = (f"<p>Six episodes read through the calibrated von Peter (2004) model, from {src}. "
             "τ is the permanent productivity fall that reproduces the observed decline; the "
             "predicted regime is compared with what happened.</p>")
    if have:
        intro += _panel_html(panel_test(data_dir))
    intro += (f"<p>Sources: {html.escape(VP2004)}; {html.escape(LV2018)}."
              + (f" {html.escape(JST.citation)} {html.escape(BIS_NOMINAL.citation)}."
                 if have else "") + "</p>")
    fig, data = _facts_figure(diags)
    items: list[TableItem | FigureItem] = [
        TableItem(caption="Diagnosis of every episode", frame=diagnosis_table(diags)),
        FigureItem(name="cases_declines_vs_thresholds", figure=fig, data=data,
                   caption="Observed peak-to-trough declines by asset class against the "
                           "calibrated capital-crunch threshold δ* and the insolvency "
                           "threshold δ_K of each episode.",
                   title="Declines against thresholds"),
    ]
    return Section(id="case-studies", title="Case studies", intro=intro, items=items)


def write_case_report(name: str, out_dir: str | os.PathLike[str],
                      data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Write ``out_dir/report.html`` (self-contained) and the CSV behind each figure."""
    section = case_section(name, data_dir)
    return write_report(out_dir, f"bsrlab case study: {section.title}", [section],
                        subtitle="von Peter (2004) model calibrated to the episode")


def write_validation_report(result: PanelResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write the panel test: ``report.html``, ``panel.json`` and ``panel_country_years.csv``."""
    from bsrlab.interfaces.cli.common import dumps_json

    f = result.frame
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    ev = f["event"].to_numpy(dtype=bool)
    ax.scatter(f.loc[~ev, "delta_star"].clip(upper=3), f.loc[~ev, "decline"], s=6,
               color=OKABE_ITO["sky"], label="no crisis start within ±2 years")
    ax.scatter(f.loc[ev, "delta_star"].clip(upper=3), f.loc[ev, "decline"], s=10,
               color=OKABE_ITO["vermillion"], label="crisis start within ±2 years")
    ax.plot([0, 1], [0, 1], color=OKABE_ITO["black"], linewidth=1, label="decline = δ*")
    ax.set_xlabel("calibrated δ* (capped at 3)")
    ax.set_ylabel("running peak-to-trough decline")
    ax.legend(fontsize=7)
    section = Section(
        id="panel", title="Panel test", intro=_panel_html(result),
        items=[TableItem(caption="Rules", frame=result.to_frame()),
               FigureItem(name="panel_decline_vs_delta_star", figure=fig,
                          data=f[["iso", "year", "decline", "delta_star", "event"]],
                          caption="Each dot is a country-year; above the line the decline has "
                                  "crossed δ*.")])
    extra = {"panel.json": dumps_json(result.to_dict()).encode("utf-8"),
             "panel_country_years.csv": f.to_csv(index=False).encode("utf-8")}
    return write_report(out_dir, "bsrlab validate: the panel test", [section],
                        extra_files=extra)
