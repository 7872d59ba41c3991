"""Koo's balance sheet recession: a preset, the policies, the paths and the sectoral balances.

The paths are those of :func:`bsrlab.scenarios.koo_lab.compare_koo` (the preset solved without
further policy and under each lab policy, with the deficits as they happened or without); the
table is :func:`bsrlab.presentation.content.koo.lab_table`; the downloaded figure is
:func:`bsrlab.presentation.figures.koo.balances_figure`.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import panel as pn

from bsrlab.core.errors import error_line as core_error_line
from bsrlab.interfaces.web.plots import Chart
from bsrlab.interfaces.web.state import error_line, read
from bsrlab.interfaces.web.widgets import ErrorLine, downloads, frame, push_query, snippet_box

__all__ = ["compute", "page", "snippet"]

ROUTE = "koo"
HORIZON = 20


def _choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from bsrlab.scenarios.koo_lab import LAB_LABELS
    from bsrlab.scenarios.koo_presets import KOO_PRESETS

    return tuple(KOO_PRESETS), tuple(LAB_LABELS)


@lru_cache(maxsize=8)
def compute(preset: str, happened: bool) -> Any:
    """The lab comparison of ``preset`` (checked by the library), cached per state."""
    from bsrlab.scenarios.koo_lab import compare_koo
    from bsrlab.scenarios.koo_presets import get_koo_preset

    return compare_koo(get_koo_preset(preset),
                       scenario="as it happened" if happened else "no policy")


def snippet(preset: str, happened: bool, policy: str) -> str:
    """Python code reproducing the view."""
    scen = "as it happened" if happened else "no policy"
    return ("from bsrlab.scenarios.koo_lab import compare_koo\n"
            "from bsrlab.presentation.figures.koo import balances_figure\n\n"
            f"comp = compare_koo({preset!r}, scenario={scen!r})\n"
            f"path = comp.paths[{policy!r}]          # a KooResult: path.arrays['output_gap']\n"
            "base = comp.paths['no policy']\n"
            f"row = next(r for r in comp.rows if r['policy'] == {policy!r})\n"
            "fig, data = balances_figure(path, base)\n")


def page(ctx: Any = None) -> pn.Column:
    """Build the page for one session."""
    presets, labels = _choices()
    errors = ErrorLine()
    args = dict(pn.state.session_args or {}) if pn.state.curdoc is not None else {}
    defaults = {"preset": presets[0], "happened": False, "policy": labels[0]}
    try:
        values = read(args, defaults, {"preset": presets, "happened": bool,
                                       "policy": labels})
        refused = ""
    except Exception as exc:
        values, refused = dict(defaults), error_line(exc)
    preset = pn.widgets.Select(name="Preset", options=list(presets), value=values["preset"],
                               width=300)
    happened = pn.widgets.Checkbox(name="the deficits as they happened (the preset's fiscal "
                                   "policy)", value=values["happened"],
                                   css_classes=["bsr-happened"])
    policy = pn.widgets.RadioBoxGroup(name="Policy", options=list(labels),
                                      value=values["policy"], css_classes=["bsr-policy"])
    summary = pn.pane.HTML("", sizing_mode="stretch_width")
    c_gap = Chart("Output gap", "years after the bust", "output gap",
                  [("policy", "with the policy"), ("base", "no policy")], y_percent=True)
    c_infl = Chart("Inflation", "years after the bust", "inflation",
                   [("policy", "with the policy"), ("base", "no policy")], y_percent=True)
    c_bal = Chart("Sectoral balances (with the policy)", "years after the bust",
                  "% of potential output", [("private", "private financial surplus"),
                                            ("government", "government deficit")],
                  y_percent=True)
    c_rate = Chart("Policy rate and borrowers' debt", "years after the bust", "",
                   [("rate", "policy rate (%)"), ("debt", "borrowers' debt (% of output)")],
                   y_percent=True)
    table = pn.pane.HTML("", sizing_mode="stretch_width")
    snippet_col, set_snippet = snippet_box()
    current: dict[str, Any] = {}

    def path_frame(res: Any, label: str) -> pd.DataFrame:
        return pd.DataFrame({k: np.asarray(v)[:HORIZON] for k, v in
                             res.paths[label].arrays.items()})

    def data() -> pd.DataFrame:
        res, (pr, _hap, pol) = current["res"], current["state"]
        d = path_frame(res, pol).add_suffix("_policy")
        b = path_frame(res, "no policy").add_suffix("_no_policy")
        out = pd.concat([d, b], axis=1)
        out.insert(0, "policy", pol)
        out.insert(0, "preset", pr)
        return out

    def figure() -> Any:
        from bsrlab.presentation.figures.koo import balances_figure

        res, (_pr, _hap, pol) = current["res"], current["state"]
        return balances_figure(res.paths[pol], res.paths["no policy"])[0]

    def stem() -> str:
        pr, hap, pol = current.get("state", (preset.value, happened.value, policy.value))
        return f"koo_{pr}_{'happened' if hap else 'nopolicy'}_{pol.replace(' ', '_')}"

    dl = downloads(stem, data, figure, errors)

    def update(*_: Any) -> None:
        pr, hap, pol = preset.value, bool(happened.value), policy.value
        push_query({"preset": pr, "happened": hap, "policy": pol})
        set_snippet(snippet(pr, hap, pol))
        res = errors.run(lambda: compute(pr, hap))
        if res is None:
            return
        if pol not in res.paths:
            errors.show(core_error_line(f"the policy {pol!r} could not be solved for this preset"))
            return
        errors.clear()
        current["res"], current["state"] = res, (pr, hap, pol)
        p, b = res.paths[pol].arrays, res.paths["no policy"].arrays
        t = np.arange(min(HORIZON, len(p["t"])))
        n = len(t)
        c_gap.set("policy", t, p["output_gap"][:n], label=pol)
        c_gap.set("base", t, b["output_gap"][:n], label="no policy")
        c_infl.set("policy", t, p["inflation"][:n], label=pol)
        c_infl.set("base", t, b["inflation"][:n], label="no policy")
        c_bal.set("private", t, p["private_surplus"][:n])
        c_bal.set("government", t, p["government_deficit"][:n])
        c_rate.set("rate", t, p["policy_rate"][:n])
        c_rate.set("debt", t, p["borrower_debt"][:n])
        row = next(r for r in res.rows if r["policy"] == pol)
        loss = row["cumulative_output_loss"]
        trough = row["trough_output_gap"]
        summary.object = (
            '<div class="bsr-status"><p><b>' + html.escape(pol) + "</b>: cumulative output loss "
            f'<b class="bsr-koo-loss">{"n/a" if loss is None else f"{100 * loss:.2f}%"}</b> of '
            "a year's output over the horizon; trough output gap "
            f'<b class="bsr-koo-trough">{"n/a" if trough is None else f"{100 * trough:.2f}%"}'
            f"</b>.</p><p>{html.escape(str(row['sentence']))}</p></div>")
        from bsrlab.presentation.content.koo import lab_table

        table.object = lab_table(res.rows).to_html(index=False, border=0, classes="bsr")
        dl.rename()  # type: ignore[attr-defined]

    for w in (preset, happened, policy):
        w.param.watch(update, "value")
    update()
    if refused:
        errors.show(refused)
    return frame(
        ROUTE, "Koo's balance sheet recession, made true", errors.pane,
        pn.Row(pn.Column(preset, happened, pn.pane.HTML("<b>Policy</b>"), policy, width=330),
               pn.Column(summary, dl, sizing_mode="stretch_width")),
        pn.Row(pn.Tabs(("Output gap", pn.pane.Bokeh(c_gap.fig)),
                       ("Inflation", pn.pane.Bokeh(c_infl.fig)), dynamic=True),
               pn.Tabs(("Sectoral balances", pn.pane.Bokeh(c_bal.fig)),
                       ("Rate and debt", pn.pane.Bokeh(c_rate.fig)), dynamic=True)),
        pn.pane.HTML("<h3>Every policy of the lab against the preset's own path</h3>"), table,
        snippet_col)
