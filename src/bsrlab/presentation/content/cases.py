"""Case-study pages and the case-study section of ``bsrlab report``, built as data.

:func:`case_section` builds one episode's section: Figure 10-style charts from the data (asset
prices relative to their pre-crisis peak with the model's 1 - delta* and 1 - delta_K drawn as
lines, credit/GDP, the bank capital ratio) and the diagnosis table. Without a data directory it
draws the typed declines against the thresholds instead and says so. :func:`report_section` is
the summary over all episodes plus the panel test's headline; :func:`sections` builds it from
the report's configuration (its ``data_dir``). The charts are drawn by
:mod:`bsrlab.presentation.figures.cases`; pages are written by
:func:`bsrlab.presentation.render.html.write_report`, like every report.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bsrlab.cases.diagnose import Diagnosis, diagnose, diagnose_all
from bsrlab.cases.episodes import Episode, data_available, equity_index
from bsrlab.cases.facts import LV2018, VP2004
from bsrlab.core.jsonio import dumps
from bsrlab.data.loaders import load_bis, load_jst
from bsrlab.data.sources import BIS_NOMINAL, JST
from bsrlab.data.store import data_dirs
from bsrlab.presentation.content.model import FigureItem, Item, Section, TableItem
from bsrlab.presentation.render.html import write_report
from bsrlab.presentation.style import pct

if TYPE_CHECKING:
    from bsrlab.cases.panel import PanelResult
    from bsrlab.presentation.config import ReportConfig

__all__ = ["case_section", "diagnosis_table", "report_section", "sections",
           "validation_section", "write_case_report", "write_validation_report"]

DataDir = str | os.PathLike[str] | None


def diagnosis_table(diags: list[Diagnosis]) -> pd.DataFrame:
    """One row per episode: decline, thresholds, implied shock, regime against outcome, losses."""
    rows = []
    for d in diags:
        th = d.thresholds
        lam = d.predicted_loan_losses.get("gdp")
        obs_ll = "; ".join(f"{k.replace('_', ' ')} {pct(v, 1)}"
                           for k, v in d.episode.observed_loan_losses.items()) or "n/a"
        lv = d.episode.lv
        rows.append({
            "episode": d.episode.name,
            "source": d.observation.source,
            "asset": d.decline_asset or "n/a",
            "observed δ": pct(d.observed_decline, 1),
            "δ*": pct(th["delta_star"], 1),
            "δ_K": pct(th["delta_K"], 1),
            "implied τ": "n/a" if d.implied_tau is None else f"{d.implied_tau:.3f}",
            "τ*": f"{th['tau_star']:.3f}",
            "predicted": d.predicted_regime or "n/a",
            "observed": d.episode.outcome,
            "agreement": d.agreement,
            "model λ (% GDP)": pct(lam, 1),
            "observed losses": obs_ll,
            "LV peak NPL": "n/a" if lv is None else f"{lv.peak_npl:g} % of loans",
            "model spread": pct(d.predicted_spread, 2),
            "observed spread": d.episode.spread_text,
            "credit/GDP needed": ("n/a" if d.required_credit_gdp is None
                                  else f"{d.required_credit_gdp:.2f}"),
        })
    return pd.DataFrame(rows)


def _has(data_dir: DataDir, filename: str) -> bool:
    return any((d / filename).is_file() for d in data_dirs(data_dir))


def _series(ep: Episode, data_dir: DataDir) -> pd.DataFrame:
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


def _calibration_html(d: Diagnosis) -> str:
    c = d.calibration
    methods = "; ".join(f"{k}: {html.escape(v)}" for k, v in c.methods.items())
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in d.notes)
    return (f"<p>Calibration: α = {c.alpha:.4g}, R = {c.R:.4g}, γ = {c.gamma:.4g} ({methods}). "
            f"Targets matched: {html.escape(str(c.matched))}.</p><ul>{notes}</ul>")


def case_section(name: str, data_dir: DataDir = None) -> Section:
    """The section of one episode: charts (from the data, else the facts) and the diagnosis."""
    d = diagnose(name, data_dir=data_dir)
    ep = d.episode
    intro = (f"<p>{html.escape(ep.title)}, {ep.start}-{ep.end}. Observed outcome: "
             f"{html.escape(ep.outcome_text)}. The model reads the {d.decline_asset or 'n/a'} "
             f"decline of {pct(d.observed_decline, 1)} as a permanent productivity fall of "
             f"τ = {'n/a' if d.implied_tau is None else f'{d.implied_tau:.3f}'} and predicts "
             f"<b>{d.predicted_regime or 'n/a'}</b> ({html.escape(d.agreement)}).</p>"
             + _calibration_html(d))
    from bsrlab.presentation.figures.cases import declines_figure, episode_figure

    items: list[Item] = []
    slug = name.replace("-", "_")
    if d.observation.source == "data":
        fig, data = episode_figure(d, _series(ep, data_dir))
        caption = ("Figure 10 style: asset prices relative to their pre-crisis peak with the "
                   "calibrated model's 1 − δ* (capital crunch) and 1 − δ_K (bank capital gone) "
                   "as horizontal lines; credit/GDP and the bank capital ratio (JST). The grey "
                   "band marks the episode.")
    else:
        fig, data = declines_figure([d])
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
        f"has a hit rate of {pct(r.hit_rate, 1)} and a false-alarm rate of "
        f"{pct(r.false_alarm_rate, 1)} (crises detected: {r.model.crises_detected}); the ROC AUC "
        f"of the margin decline − δ* is {r.auc:.3f}, against {fixed.auc:.3f} for the decline "
        f"alone (the fixed 30% rule hits {pct(fixed.hit_rate, 1)} with "
        f"{pct(fixed.false_alarm_rate, 1)} false alarms) and {credit.auc:.3f} for 5-year credit "
        f"growth. The calibrated δ* exceeds 100% in {pct(above, 1)} of country-years, because "
        f"credit/GDP is below one there: calibrated literally, the stylised model almost never "
        f"predicts a crunch. {verdict}</p>")


def report_section(data_dir: DataDir = None) -> Section:
    """The case-study section of ``bsrlab report``: all diagnoses, the panel test, one figure.

    Works without a data directory: the diagnoses then use the typed facts and the paper's
    illustrative calibration, the panel test is skipped, and the section says so.
    """
    from bsrlab.cases.panel import panel_test
    from bsrlab.presentation.figures.cases import declines_figure

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
    fig, data = declines_figure(diags)
    items: list[Item] = [
        TableItem(caption="Diagnosis of every episode", frame=diagnosis_table(diags)),
        FigureItem(name="cases_declines_vs_thresholds", figure=fig, data=data,
                   caption="Observed peak-to-trough declines by asset class against the "
                           "calibrated capital-crunch threshold δ* and the insolvency "
                           "threshold δ_K of each episode.",
                   title="Declines against thresholds"),
    ]
    return Section(id="case-studies", title="Case studies", intro=intro, items=items)


def sections(cfg: ReportConfig) -> list[Section]:
    """The case-study section of the report described by ``cfg`` (its ``data_dir``)."""
    return [report_section(getattr(cfg, "data_dir", None))]


def write_case_report(name: str, out_dir: str | os.PathLike[str],
                      data_dir: DataDir = None) -> Path:
    """Write ``out_dir/report.html`` (self-contained) and the CSV behind each figure."""
    section = case_section(name, data_dir)
    return write_report(out_dir, f"bsrlab case study: {section.title}", [section],
                        subtitle="von Peter (2004) model calibrated to the episode")


def validation_section(result: PanelResult) -> Section:
    """The panel test as a section: the headline, the rules' table and the scatter."""
    from bsrlab.presentation.figures.cases import panel_figure

    fig, data = panel_figure(result)
    return Section(
        id="panel", title="Panel test", intro=_panel_html(result),
        items=[TableItem(caption="Rules", frame=result.to_frame()),
               FigureItem(name="panel_decline_vs_delta_star", figure=fig, data=data,
                          caption="Each dot is a country-year; above the line the decline has "
                                  "crossed δ*.")])


def write_validation_report(result: PanelResult, out_dir: str | os.PathLike[str]) -> Path:
    """Write the panel test: ``report.html``, ``panel.json`` and ``panel_country_years.csv``."""
    extra = {"panel.json": dumps(result.to_dict()).encode("utf-8"),
             "panel_country_years.csv": result.frame.to_csv(index=False).encode("utf-8")}
    return write_report(out_dir, "bsrlab validate: the panel test", [validation_section(result)],
                        extra_files=extra)
