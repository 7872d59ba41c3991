"""Case-study pages and the case-study section of ``bsrlab report``, built as data.

:func:`case_section` builds one episode's section: the paper's Figure 10 from the data (asset
prices relative to their pre-crisis peak with the model's 1 - delta* and its phi band and
1 - delta_K, the paper's numbers marked where the data lack them, credit/GDP with data breaks,
the bank capital ratio, loan losses), the calibrations side by side and the diagnosis table.
Without a data directory it draws the typed declines against the thresholds instead and says
so. :func:`report_section` is the summary over all episodes plus the panel test's headline and
ROC curves; :func:`sections` builds it from the report's configuration (its ``data_dir``).
:func:`validation_section` is the page of ``bsrlab validate --out`` and
:func:`dashboard_section` the page of ``bsrlab dashboard``. The charts are drawn by
:mod:`bsrlab.presentation.figures.cases`; pages are written by
:func:`bsrlab.presentation.render.html.write_report`, like every report.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bsrlab.cases.dashboard import DashboardRow
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
from bsrlab.presentation.table import Table

if TYPE_CHECKING:
    import pandas as pd

    from bsrlab.cases.panel import PanelResult
    from bsrlab.presentation.config import ReportConfig

__all__ = ["calibrations_table", "case_section", "dashboard_html", "dashboard_section",
           "design_table", "diagnosis_table", "out_of_sample_table", "report_section",
           "sections", "validation_section", "write_case_report", "write_dashboard",
           "write_validation_report"]

DataDir = str | os.PathLike[str] | None


def diagnosis_table(diags: list[Diagnosis]) -> pd.DataFrame:
    """One column per episode, one row per quantity: decline, thresholds, shock, regime,
    outcome, losses, spread (a narrow table that fits the page)."""
    return _diagnosis_rows(diags).to_frame()


def _diagnosis_rows(diags: list[Diagnosis]) -> Table:
    """:func:`diagnosis_table` as a :class:`~bsrlab.presentation.table.Table`."""
    cols: dict[str, list[str]] = {}
    index = ["data", "headline asset", "observed δ", "δ* (φ = 0.3)", "δ* over φ 0.2-0.5",
             "δ_K", "implied τ", "τ*", "predicted", "observed outcome", "verdict",
             "credit contraction (real)", "model λ (% GDP)", "observed losses", "LV peak NPL",
             "model crunch spread", "observed spread", "data breaks"]
    for d in diags:
        th = d.thresholds
        lam = d.predicted_loan_losses.get("gdp")
        obs_ll = "; ".join(f"{k.replace('_', ' ')} {pct(v, 1)}"
                           for k, v in d.episode.observed_loan_losses.items()) or "n/a"
        lv = d.episode.lv
        band = d.delta_star_band
        cc = d.observation.credit_contraction
        cols[d.episode.name] = [
            d.observation.source,
            d.decline_asset or "n/a",
            pct(d.observed_decline, 1),
            pct(th["delta_star"], 1),
            ("n/a" if not band else " - ".join("outside" if x is None else pct(x, 0)
                                               for x in band)),
            pct(th["delta_K"], 1),
            "n/a" if d.implied_tau is None else f"{d.implied_tau:.3f}",
            f"{th['tau_star']:.3f}",
            (d.predicted_regime or "n/a").replace("_", " "),
            d.episode.outcome.replace("_", " "),
            d.agreement,
            "n/a" if cc is None else pct(cc, 1),
            pct(lam, 1),
            obs_ll,
            "n/a" if lv is None else f"{lv.peak_npl:g}% of loans",
            "n/a (no crunch)" if d.predicted_spread is None else pct(d.predicted_spread, 2),
            d.episode.spread_text,
            "yes (see notes)" if d.data_notes else "none known",
        ]
    return Table({"quantity": index, **cols})


def calibrations_table(d: Diagnosis) -> pd.DataFrame:
    """The episode under each calibration, side by side (one row per calibration)."""
    import pandas as pd

    rows = []
    for c in d.calibrations:
        ev = c.get("evaluated", False)
        band = c.get("delta_star_band")
        rows.append({
            "calibration": c["name"], "source": c["source"],
            "α / R / γ": (f"{c['alpha']:.3f} / {c['R']:.4f} / {c['gamma']:.2f}" if ev
                          else "n/a"),
            "δ*": pct(c["thresholds"]["delta_star"], 1) if ev else "n/a",
            "δ* over φ": ("n/a" if not band else " - ".join(
                "outside" if x is None else pct(x, 0) for x in band)),
            "predicted": str(c.get("predicted_regime")).replace("_", " "),
            "verdict": c["verdict"],
        })
    return pd.DataFrame(rows)


def _has(data_dir: DataDir, filename: str) -> bool:
    return any((d / filename).is_file() for d in data_dirs(data_dir))


def _series(ep: Episode, data_dir: DataDir) -> pd.DataFrame:
    """Long frame (date, series, value) of the episode's charts, prices relative to their peak."""
    import pandas as pd

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
    """The section of one episode: charts (from the data, else the facts), the calibrations side
    by side, and the diagnosis."""
    from bsrlab.cases.episodes import OUTCOME_DEFINITION

    d = diagnose(name, data_dir=data_dir)
    ep = d.episode
    intro = (f"<p>{html.escape(ep.title)}, {ep.start}-{ep.end}. Observed outcome: "
             f"<b>{html.escape(ep.outcome.replace('_', ' '))}</b>: "
             f"{html.escape(ep.outcome_text)}.</p>"
             f"<p class=\"note\">Outcomes, one definition for every episode: "
             f"{html.escape(OUTCOME_DEFINITION)}</p>"
             f"<p>The model reads the {html.escape(d.decline_asset or 'n/a')} price decline of "
             f"{pct(d.observed_decline, 1)} as a permanent productivity fall of "
             f"τ = {'n/a' if d.implied_tau is None else f'{d.implied_tau:.3f}'} and predicts "
             f"<b>{html.escape((d.predicted_regime or 'n/a').replace('_', ' '))}</b> "
             f"({html.escape(d.agreement)}). {html.escape(d.calibrations_text)}</p>"
             + _calibration_html(d))
    if d.data_notes:
        intro += ("<p><b>Data breaks.</b> " + " ".join(html.escape(n) + "."
                                                       for n in d.data_notes) + "</p>")
    from bsrlab.presentation.figures.cases import declines_figure, episode_figure

    items: list[Item] = []
    slug = name.replace("-", "_")
    if d.observation.source == "data":
        fig, data = episode_figure(d, _series(ep, data_dir))
        caption = ("The paper's Figure 10 with the data: asset prices relative to their "
                   "pre-crisis peak with the collateral calibration's 1 − δ* (capital crunch; "
                   "shaded: φ from 0.2 to 0.5) and 1 − δ_K (bank capital gone); the paper's "
                   "declines marked at the end of the episode (filled: no series in the "
                   "data); credit/GDP with known data breaks; the bank capital ratio (JST); "
                   "the loan losses the paper reports, which the data do not hold, against "
                   "the model's. The grey band marks the episode.")
    else:
        fig, data = declines_figure([d])
        caption = ("No data directory: the declines typed in from the paper against the "
                   "thresholds of the paper's illustrative calibration.")
    items.append(FigureItem(name=f"case_{slug}", figure=fig, data=data, caption=caption,
                            title=ep.title))
    items.append(TableItem(caption="Calibrations side by side", frame=calibrations_table(d)))
    items.append(TableItem(caption="Diagnosis", frame=diagnosis_table([d])))
    return Section(id=f"case-{name}", title=ep.title, intro=intro, items=items)


def _ci(ci: list[float] | None) -> str:
    if not ci or ci[0] is None or not np.isfinite(ci[0]):
        return "n/a"
    return f"[{ci[0]:.2f}, {ci[1]:.2f}]"


def _panel_summary_html(d: dict[str, Any], *, pointer: bool = True) -> str:
    """The panel test's headline in words, from its JSON summary (``PanelResult.to_dict``, as
    :func:`~bsrlab.cases.results.panel_summary` caches it); ``pointer`` adds where the ROC
    curves and every design are."""
    m = d["model"]
    bases = d["baselines"]
    best = max(bases.items(), key=lambda kv: kv[1]["auc"] if kv[1]["auc"] is not None else 0)
    beat = [k for k, b in bases.items()
            if b["diff_vs_model_ci"] and b["diff_vs_model_ci"][0] > 0]
    worse = [k for k, b in bases.items()
             if b["diff_vs_model_ci"] and b["diff_vs_model_ci"][1] < 0]
    boot = d.get("bootstrap", {})
    chron = "JST" if d.get("chronology") == "jst" else "Laeven-Valencia (2018, from 1970)"
    first, last = d["years"][0], d["years"][-1]
    text = (
        f"<p><b>Early warning, h = 2 ({chron} chronology).</b> {d['country_years']} "
        f"country-years of {d['countries']} countries ({first}-{last}), {d['event_years']} of "
        f"them followed by a crisis start within two years ({d['crises']} crises); crisis "
        f"years and the four years after each start are left out and every score uses data up "
        f"to its year only. The margin decline − δ* has an AUC of {m['auc']:.3f} "
        f"{_ci(m['auc_ci'])} (country-cluster bootstrap, {boot.get('replications', '?')} "
        f"replications); the rule “decline ≥ δ*” hits {pct(m['hit_rate'], 1)} of event years "
        f"with {pct(m['false_alarm_rate'], 1)} false alarms. The best baseline is "
        f"{html.escape(best[1]['rule'])} with {best[1]['auc']:.3f} "
        f"{_ci(best[1]['auc_ci'])}. ")
    if beat:
        text += ("Baselines whose AUC beats the model's with a paired 95% interval above zero: "
                 + ", ".join(html.escape(k) for k in beat) + ". ")
    if worse:
        text += ("Baselines the model beats: " + ", ".join(html.escape(k) for k in worse)
                 + ". ")
    if not beat and not worse:
        text += "No paired difference with a baseline is distinguishable from zero. "
    text += "</p>"
    co = d.get("designs", {}).get("coincident")
    bu = d.get("designs", {}).get("bust_conditional")
    if co is not None and bu is not None:
        text += (f"<p><b>Coincident</b> (crisis start within ±2 years, every year kept): AUC "
                 f"{co['auc']:.3f} {_ci(co['auc_ci'])}. <b>Bust-conditional</b> "
                 f"({bu['n_rows']} busts of 25% or more, {bu['n_events']} with a crisis start "
                 f"from two years before to three after): AUC {bu['auc']:.3f} "
                 f"{_ci(bu['auc_ci'])}, against {bu['baselines']['fixed_30pct']['auc']:.3f} "
                 f"for the size of the decline alone."
                 + (" ROC curves, out-of-sample scores and every design: <code>bsrlab validate "
                    "--out DIR</code>." if pointer else "") + "</p>")
    text += (f"<p>The collateral calibration (φ = 0.3) puts {pct(d['share_admissible'], 1)} of "
             f"country-years inside the model's admissible box; the model is not evaluated in "
             f"the others.</p>")
    return text


def _panel_html(r: PanelResult) -> str:
    """The panel test's headline in words: what the early-warning design shows, honestly."""
    return _panel_summary_html(r.to_dict(), pointer=False)


def _summary(data_dir: DataDir) -> dict[str, Any]:
    """The report section's numbers, JSON-ready: the diagnosis table and the declines drawn."""
    from bsrlab.presentation.figures.cases import decline_records

    diags = diagnose_all(data_dir=data_dir)
    t = _diagnosis_rows(diags)
    return {"table": {k: list(t[k]) for k in t.columns}, "declines": decline_records(diags)}


#: The code that formats the cached case section: its cache key covers their source too.
_SECTION_CODE = (__name__, "bsrlab.presentation.figures.cases", "bsrlab.presentation.table")


def report_section(data_dir: DataDir = None) -> Section:
    """The case-study section of ``bsrlab report``: all diagnoses, the panel test, figures.

    Works without a data directory: the diagnoses then use the typed facts and the paper's
    illustrative calibration, the panel test is skipped, and the section says so.
    """
    from bsrlab.presentation.figures.cases import declines_chart

    have = data_available(data_dir)
    if have:
        from bsrlab.cases.results import cached_result

        # the diagnoses from the data, cached on disk by the data's sha256 and the code (as
        # `bsrlab case show` does): a warm report reads them without loading the data
        got = cached_result("report-cases", {}, lambda: _summary(data_dir), data_dir,
                            code=_SECTION_CODE)
    else:
        got = _summary(None)
    src = ("JST R6 and BIS data" if have else
           "the facts typed in from von Peter (2004) and Laeven-Valencia (2018) only (no data "
           "directory: set BSRLAB_DATA or run 'bsrlab data fetch' for the data-based version)")
    intro = (f"<p>Six episodes read through the calibrated von Peter (2004) model, from {src}. "
             "The headline asset is real estate, the paper's collateral; τ is the permanent "
             "productivity fall that reproduces the observed decline; the predicted regime is "
             "compared with what happened.</p>")
    items: list[Item] = [
        TableItem(caption="Diagnosis of every episode (collateral calibration)",
                  frame=Table(got["table"])),
    ]
    if have:
        from bsrlab.cases.results import panel_summary

        # the same figures as `bsrlab validate` (1,000 replications), cached on disk by the
        # data's sha256; the ROC curves and every design's tables are on `validate --out` pages
        intro += _panel_summary_html(panel_summary(data_dir))
    intro += (f"<p>Sources: {html.escape(VP2004)}; {html.escape(LV2018)}."
              + (f" {html.escape(JST.citation)} {html.escape(BIS_NOMINAL.citation)}."
                 if have else "") + "</p>")
    fig, data = declines_chart.table(got["declines"])
    items.append(FigureItem(name="cases_declines_vs_thresholds", figure=fig, data=data,
                            caption="Observed peak-to-trough declines by asset class against "
                                    "the calibrated capital-crunch threshold δ* and the "
                                    "insolvency threshold δ_K of each episode.",
                            title="Declines against thresholds"))
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


def design_table(result: PanelResult, key: str) -> pd.DataFrame:
    """One design's rules: AUC with its interval, the paired difference, the rates."""
    import pandas as pd

    d = result.designs[key]
    rows = []
    for name, sc in {"model": d.model, **d.baselines, **d.variants}.items():
        rows.append({"score": name, "AUC [95% CI]": f"{sc.auc:.3f} {_ci(sc.auc_ci)}",
                     "AUC − model [95% CI]": ("" if name == "model" else
                                              f"{sc.diff_vs_model:+.3f} "
                                              f"{_ci(sc.diff_vs_model_ci)}"),
                     "hits / false alarms": f"{pct(sc.hit_rate, 0)} / "
                                            f"{pct(sc.false_alarm_rate, 0)}",
                     "hits at 20% FA": pct(sc.hit_rate_at_target, 0),
                     "rows (events)": f"{sc.n_rows} ({sc.n_events})"})
    return pd.DataFrame(rows)


def out_of_sample_table(result: PanelResult, key: str) -> pd.DataFrame:
    """Recursive and leave-one-country-out AUC and rates of an early-warning design."""
    import pandas as pd

    oos = result.designs[key].out_of_sample
    rows = []
    for name in oos.get("recursive", {}).get("scores", {}):
        rec = oos["recursive"]["scores"][name]
        loc = oos["loco"]["scores"][name]
        rows.append({"score": name,
                     "recursive AUC": f"{rec['auc']:.3f}",
                     "recursive hits / FA": f"{pct(rec['hit_rate'], 0)} / "
                                            f"{pct(rec['false_alarm_rate'], 0)}",
                     "leave-one-out AUC": f"{loc['auc']:.3f}",
                     "leave-one-out hits / FA": f"{pct(loc['hit_rate'], 0)} / "
                                                f"{pct(loc['false_alarm_rate'], 0)}"})
    return pd.DataFrame(rows)


def validation_section(result: PanelResult, other: PanelResult | None = None) -> Section:
    """The panel test as a section: the headline, one table per design, the out-of-sample
    evaluation, the ROC curves and the scatter; ``other`` adds the second chronology."""
    from bsrlab.presentation.figures.cases import panel_figure, roc_figure

    items: list[Item] = [TableItem(caption=f"{key.replace('_', ' ')} ({result.chronology})",
                               frame=design_table(result, key)) for key in result.designs]
    first = result.designs[f"early_warning_h{2}"]
    oos = result.designs["early_warning_h2"].out_of_sample
    items.append(TableItem(
        caption=f"early warning h = 2 out of sample: recursive from "
                f"{oos['recursive']['first_year']}, leave one country out (cut-offs at a 20% "
                f"false-alarm rate on the training rows)",
        frame=out_of_sample_table(result, first.key)))
    fig, data = roc_figure(result)
    items.append(FigureItem(name="panel_roc", figure=fig, data=data, title="ROC curves",
                            caption="Hit rate against false-alarm rate at every cut-off, by "
                                    "design; AUC in brackets."))
    fig, data = panel_figure(result)
    items.append(FigureItem(name="panel_decline_vs_delta_star", figure=fig, data=data,
                            title="Decline against δ*",
                            caption="Each dot is a country-year of the early-warning design; "
                                    "above the line the decline has crossed δ*."))
    intro = _panel_html(result)
    if other is not None:
        intro += _panel_html(other)
        items.extend(TableItem(caption=f"{key.replace('_', ' ')} ({other.chronology})",
                                   frame=design_table(other, key)) for key in other.designs)
    return Section(id="panel", title="Panel test", intro=intro, items=items)


def write_validation_report(result: PanelResult, out_dir: str | os.PathLike[str],
                            other: PanelResult | None = None) -> Path:
    """Write the panel test: ``report.html``, ``panel.json`` and ``panel_country_years.csv``."""
    extra = {"panel.json": dumps(result.to_dict()).encode("utf-8"),
             "panel_country_years.csv": result.frame.to_csv(index=False).encode("utf-8")}
    return write_report(out_dir, "bsrlab validate: the panel test",
                        [validation_section(result, other)], extra_files=extra)


def dashboard_section(rows: list[DashboardRow]) -> Section:
    """The vulnerability dashboard as a section: the table, the rule and the threshold map."""
    import pandas as pd

    from bsrlab.cases.dashboard import RATING_RULE
    from bsrlab.presentation.figures.cases import threshold_map

    def p(x: float | None, d: int = 1) -> str:
        return "n/a" if x is None else pct(x, d)

    frame = pd.DataFrame([{
        "country": r.country, "date": f"{r.date['jst']} / {r.date['bis'] or '-'}",
        "δ* (φ 0.2-0.5)": f"{p(r.delta_star)} ({' - '.join(p(x, 0) for x in r.delta_star_band)})",
        "drawdown / distance": f"{p(r.drawdown)} / {p(r.distance)}",
        "credit gap / house gap": f"{p(r.credit_gap)} / {p(r.house_price_gap)}",
        "capital": p(r.capital_ratio),
        "rating": r.rating} for r in rows])
    fig, data = threshold_map(rows)
    reasons = "".join(f"<li><b>{html.escape(r.country)}</b> ({r.rating}): "
                      f"{html.escape('; '.join(r.rating_reasons) or 'no flag')}"
                      + (f" <span class=\"note\">{html.escape('; '.join(r.notes))}</span>"
                         if r.notes else "") + "</li>" for r in rows)
    intro = (f"<p>Every JST economy at the latest date in the data: δ* of the collateral "
             f"calibration (JST's last year with bank credit), the fall of real property prices "
             f"from their peak of the last ten years (BIS, last quarter), the distance "
             f"δ* − drawdown, the credit-to-GDP gap (one-sided HP, λ = 1600 on annual data), "
             f"the real house-price gap (one-sided HP, λ = 400,000 on quarterly data) and the "
             f"bank capital ratio.</p><p><b>Rating rule.</b> {html.escape(RATING_RULE)}</p>"
             f"<ul>{reasons}</ul>")
    return Section(id="dashboard", title="Vulnerability dashboard", intro=intro, items=[
        TableItem(caption="Vulnerability by country", frame=frame),
        FigureItem(name="threshold_map", figure=fig, data=data, title="Threshold map",
                   caption="Each country at its calibrated (α, δ*) on the financial stability "
                           "frontier (the axes of the paper's Figure 9); the thin curve is its "
                           "frontier over φ = 0.2-0.5, the cross its current drawdown. Colours "
                           "are the ratings.")])


def dashboard_html(rows: list[DashboardRow]) -> str:
    """The dashboard as one self-contained HTML page."""
    from bsrlab.presentation.render.html import render_html

    return render_html("bsrlab dashboard: vulnerability by country", [dashboard_section(rows)])


def write_dashboard(rows: list[DashboardRow], out_dir: str | os.PathLike[str]) -> Path:
    """Write ``report.html``, ``dashboard.json`` and the threshold map's CSV (atomically)."""
    extra = {"dashboard.json": dumps([r.to_dict() for r in rows]).encode("utf-8")}
    return write_report(out_dir, "bsrlab dashboard: vulnerability by country",
                        [dashboard_section(rows)], extra_files=extra)
