"""From bust to balance sheet recession: the scenario chain and the crisis probabilities.

The chain is :func:`bsrlab.scenarios.chain.run_chain` on a preset of
:mod:`bsrlab.scenarios.chain` with the shock and the selection rule of the page (the scenario
is rebuilt, so the library checks both); the paths are
:func:`bsrlab.presentation.figures.chain.chain_frame`. The crisis probabilities are
:func:`bsrlab.scale.risk.risk` for the scenario's calibration and a uniform shock.
"""

from __future__ import annotations

import dataclasses
import html
from functools import lru_cache
from typing import Any

import pandas as pd
import panel as pn

from bsrlab.core.errors import ParameterError
from bsrlab.interfaces.web.plots import Chart
from bsrlab.interfaces.web.state import error_line, read
from bsrlab.interfaces.web.widgets import (
    ErrorLine,
    downloads,
    frame,
    html_table,
    push_query,
    snippet_box,
)

__all__ = ["compute", "default_state", "page", "probabilities", "snippet"]

ROUTE = "chain"


def _choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from bsrlab.scenarios.chain import SELECTIONS, preset_names

    return tuple(preset_names()), tuple(SELECTIONS)


@lru_cache(maxsize=32)
def compute(preset: str, tau: float, selection: str) -> Any:
    """The chain for a preset with the shock and rule given (checked by ``Scenario``)."""
    from bsrlab.scenarios.chain import get_preset, run_chain

    s = dataclasses.replace(get_preset(preset), tau=tau, selection=selection)
    return run_chain(s)


@lru_cache(maxsize=32)
def probabilities(alpha: float, R: float, gamma: float, lo: float, hi: float) -> pd.DataFrame:
    """Crisis probabilities for a shock uniform on [lo, hi] (:func:`bsrlab.scale.risk.risk`)."""
    from bsrlab.scale.risk import RiskConfig, risk

    cfg = RiskConfig.from_dict({"parameters": {"alpha": alpha, "R": R, "gamma": gamma},
                                "shock": {"tau": {"uniform": [lo, hi]}}})
    r = risk(cfg).to_dict()
    return pd.DataFrame({"outcome": list(r["probabilities"]),
                         "probability": list(r["probabilities"].values()),
                         "standard error": list(r["standard_errors"].values())})


def default_state() -> tuple[str, float, str]:
    """The first preset with its own shock and selection rule."""
    from bsrlab.scenarios.chain import get_preset

    name = _choices()[0][0]
    s = get_preset(name)
    return name, float(s.tau), s.selection


def _risk_available() -> bool:
    try:
        from bsrlab.scale.risk import RiskConfig, risk  # noqa: F401
    except ImportError:
        return False
    return True


def snippet(preset: str, tau: float, selection: str, lo: float, hi: float) -> str:
    """Python code reproducing the view."""
    return ("import dataclasses\n"
            "from bsrlab.scenarios.chain import get_preset, run_chain\n"
            "from bsrlab.presentation.figures.chain import chain_figure\n"
            "from bsrlab.scale.risk import RiskConfig, risk\n\n"
            f"s = dataclasses.replace(get_preset({preset!r}), tau={tau!r}, "
            f"selection={selection!r})\n"
            "res = run_chain(s)\n"
            "fig, data = chain_figure(res)\n"
            "cfg = RiskConfig.from_dict({'parameters': {'alpha': s.alpha, 'R': s.R, "
            "'gamma': s.gamma},\n"
            f"                            'shock': {{'tau': {{'uniform': [{lo!r}, {hi!r}]}}}}}})\n"
            "print(risk(cfg).to_dict())\n")


def page(ctx: Any = None) -> pn.Column:
    """Build the page for one session."""
    from bsrlab.scenarios.chain import get_preset

    presets, selections = _choices()
    errors = ErrorLine()
    args = dict(pn.state.session_args or {}) if pn.state.curdoc is not None else {}
    first = get_preset(presets[0])
    defaults = {"preset": presets[0], "tau": float(first.tau), "selection": first.selection,
                "lo": 0.0, "hi": 0.6}
    try:
        values = read(args, defaults, {"preset": presets, "selection": selections})
        for k in ("tau", "lo", "hi"):
            if not 0.0 <= values[k] <= 1.0:
                raise ParameterError(k, f"0 <= {k} <= 1", values[k])
        refused = ""
    except Exception as exc:
        values, refused = dict(defaults), error_line(exc)
    preset = pn.widgets.Select(name="Chain preset", options=list(presets),
                               value=values["preset"], width=300)
    tau = pn.widgets.FloatSlider(name="τ (productivity shock)", start=0.0, end=1.0, step=0.001,
                                 value=min(max(values["tau"], 0.0), 1.0), format="0.000")
    selection = pn.widgets.Select(name="Equilibrium selection", options=list(selections),
                                  value=values["selection"], width=300)
    lo = pn.widgets.FloatSlider(name="shock distribution: uniform from", start=0.0, end=1.0,
                                step=0.01, value=min(max(values["lo"], 0.0), 1.0))
    hi = pn.widgets.FloatSlider(name="to", start=0.0, end=1.0, step=0.01,
                                value=min(max(values["hi"], 0.0), 1.0))
    summary = pn.pane.HTML("", sizing_mode="stretch_width")
    handover = pn.pane.HTML("", sizing_mode="stretch_width")
    probs = pn.pane.HTML("", sizing_mode="stretch_width")
    c_gap = Chart("Koo's economy after the bust", "years after the bust", "",
                  [("gap", "output gap"), ("infl", "inflation"), ("rate", "policy rate")],
                  y_percent=True)
    c_debt = Chart("Debt", "years after the bust", "% of potential output",
                   [("debt", "borrowers' debt"), ("limit", "debt limit"),
                    ("gov", "government debt")], y_percent=True)
    snippet_col, set_snippet = snippet_box()
    current: dict[str, Any] = {}

    def data() -> pd.DataFrame:
        from bsrlab.presentation.figures.chain import chain_frame

        d = chain_frame(current["res"])
        d.insert(0, "selection", current["state"][2])
        d.insert(0, "tau", current["state"][1])
        d.insert(0, "preset", current["state"][0])
        return d

    def figure() -> Any:
        from bsrlab.presentation.figures.chain import chain_figure

        return chain_figure(current["res"])[0]

    def stem() -> str:
        pr, t, sel = current.get("state", (preset.value, tau.value, selection.value))
        return f"chain_{pr}_tau{t:g}_{sel}"

    dl = downloads(stem, data, figure, errors)

    def update(*_: Any) -> None:
        pr, t, sel = str(preset.value), float(tau.value or 0.0), str(selection.value)
        a, b = float(lo.value or 0.0), float(hi.value or 0.0)
        push_query({"preset": pr, "tau": t, "selection": sel, "lo": a, "hi": b})
        set_snippet(snippet(pr, t, sel, a, b))
        res = errors.run(lambda: compute(pr, t, sel))
        if res is None:
            return
        errors.clear()
        current["res"], current["state"] = res, (pr, t, sel)
        from bsrlab.presentation.content.chain import handover_table
        from bsrlab.presentation.figures.chain import chain_frame

        d = chain_frame(res)
        c_gap.set("gap", d["t"], d["output_gap"])
        c_gap.set("infl", d["t"], d["inflation"])
        c_gap.set("rate", d["t"], d["policy_rate"])
        c_debt.set("debt", d["t"], d["borrower_debt"])
        c_debt.set("limit", d["t"], d["debt_limit"])
        c_debt.set("gov", d["t"], d["government_debt"])
        summary.object = (
            f'<div class="bsr-status"><p>Selected equilibrium: <b class="bsr-chain-kind">'
            f'{html.escape(res.selected.kind.value.replace("_", " "))}</b> '
            f"(decline {100 * float(res.selected.delta):.1f}%).</p></div>")
        handover.object = html_table(handover_table(res))
        s = res.scenario
        if not _risk_available():
            probs.object = ('<p class="bsr-note">Crisis probabilities are not available: '
                            "bsrlab.scale.risk cannot be imported in this installation.</p>")
            return
        got = errors.run(lambda: probabilities(float(s.alpha), float(s.R), float(s.gamma),
                                               min(a, b), max(a, b)))
        if got is not None:
            probs.object = ("<p>Shock τ uniform on "
                            f"[{min(a, b):g}, {max(a, b):g}], the scenario's α, R, γ:</p>"
                            + html_table(got))
        dl.rename()  # type: ignore[attr-defined]

    for slider in (tau, lo, hi):
        slider.param.watch(update, "value_throttled")
    for select in (preset, selection):
        select.param.watch(update, "value")
    update()
    if refused:
        errors.show(refused)
    return frame(
        ROUTE, "From bust to balance sheet recession", errors.pane,
        pn.Row(pn.Column(preset, tau, selection, width=330),
               pn.Column(summary, dl, sizing_mode="stretch_width")),
        pn.Row(pn.pane.Bokeh(c_gap.fig), pn.pane.Bokeh(c_debt.fig)),
        pn.pane.HTML("<h3>The hand-over from the von Peter bust to Koo's economy</h3>"),
        handover,
        pn.pane.HTML("<h3>Crisis probabilities</h3>"),
        pn.Row(pn.Column(lo, hi, width=330), probs),
        snippet_col)
