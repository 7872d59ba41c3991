"""The von Peter policy lab: every registered banking policy at one shock, side by side.

The table is :func:`bsrlab.policies.banking.compare` for the policies ticked; the charts are the
data of :func:`bsrlab.presentation.figures.policylab.frontier_policies` (the stability frontier
under each instrument) and :func:`~bsrlab.presentation.figures.policylab.injection_threshold`.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import pandas as pd
import panel as pn

from bsrlab.interfaces.web.pages.vonpeter import sliders
from bsrlab.interfaces.web.plots import Chart
from bsrlab.interfaces.web.state import read, vonpeter_params, vonpeter_state
from bsrlab.interfaces.web.widgets import (
    ErrorLine,
    downloads,
    frame,
    html_table,
    push_query,
    snippet_box,
)

__all__ = ["compute", "page", "snippet"]

ROUTE = "policy"
DEFAULTS = {"alpha": 0.5, "R": 1.05, "gamma": 0.0, "tau": 0.066}
_CURVES = (("none", "no policy (28)"), ("injection", "injection X = 0.1 y"),
           ("requirement", "requirement κ = 2%"), ("spread", "loan spread m = 1 pp"),
           ("tightening", "tightening: R + 0.01"), ("rate_cut", "policy rate at t"))


def _names() -> tuple[str, ...]:
    from bsrlab.policies.registry import names

    return tuple(names("banking"))


@lru_cache(maxsize=64)
def compute(alpha: float, R: float, gamma: float, tau: float,
            policies: tuple[str, ...]) -> dict[str, Any]:
    """The comparison and the two charts' data for one state (checked by the library)."""
    from bsrlab.models.vonpeter import check_tau
    from bsrlab.policies.banking import compare
    from bsrlab.presentation.figures.policylab import frontier_policies, injection_threshold

    p = vonpeter_params(alpha, R, gamma)
    t = float(check_tau(tau))
    outs = compare(p, t, {n: {} for n in policies})
    rows = []
    for o in outs:
        d = o.to_dict()
        rows.append({"policy": d["policy"], "outcome": d["outcome"] or f"not admissible: {o.note}",
                     "decline δ": d["delta"], "output from t+1": d["output"],
                     "loan losses λ": d["loan_losses"], "fiscal cost": d["fiscal_cost"],
                     "crunch decline δ*": d["delta_star"], "τ*": d["tau_star"],
                     "equilibria that remain": ", ".join(e["kind"] for e in d["equilibria"])})
    _f1, d1 = frontier_policies(p)
    _f2, d2 = injection_threshold(p, t)
    return {"table": pd.DataFrame(rows), "d1": d1, "d2": d2}


def snippet(alpha: float, R: float, gamma: float, tau: float, policies: tuple[str, ...]) -> str:
    """Python code reproducing the view."""
    pols = "{" + ", ".join(f"{n!r}: {{}}" for n in policies) + "}"
    return ("from bsrlab.vonpeter import Params\n"
            "from bsrlab.policies.banking import compare\n"
            "from bsrlab.presentation.figures.policylab import frontier_policies, "
            "injection_threshold\n\n"
            f"p = Params.from_R(alpha={alpha!r}, R={R!r}, gamma={gamma!r})\n"
            f"tau = {tau!r}\n"
            f"outcomes = compare(p, tau, {pols})\n"
            "for o in outcomes:\n"
            "    print(o.to_dict())\n"
            "fig1, data1 = frontier_policies(p)\n"
            "fig2, data2 = injection_threshold(p, tau)\n")


def page(ctx: Any = None) -> pn.Column:
    """Build the page for one session."""
    errors = ErrorLine()
    args = dict(pn.state.session_args or {}) if pn.state.curdoc is not None else {}
    values, refused = vonpeter_state(args, DEFAULTS)
    all_names = _names()
    chosen = list(all_names)
    if not refused:
        try:
            got = read(args, {"policies": list(all_names)}, {"policies": list})["policies"]
            bad = [n for n in got if n not in all_names]
            if bad:
                from bsrlab.interfaces.cli.common import OptionError

                raise OptionError("policies", "names among " + ", ".join(all_names), bad[0])
            chosen = got
        except Exception as exc:
            from bsrlab.interfaces.web.state import error_line

            refused = error_line(exc)
    sl = sliders(values)
    boxes = pn.widgets.CheckBoxGroup(name="policies", options=list(all_names), value=chosen,
                                     inline=False)
    table = pn.pane.HTML("", sizing_mode="stretch_width")
    c1 = Chart("The stability frontier under each instrument", "α", "critical decline δ*",
               list(_CURVES), y_percent=True)
    c2 = Chart("Recapitalisation: the crunch decline against the injection",
               "injection X (units of y)", "decline", [("after", "δ*(X) = δ* + RX/qH"),
                                                       ("delta", "decline δ(τ)")],
               y_percent=True)
    snippet_col, set_snippet = snippet_box()
    which = pn.widgets.Select(name="Figure to download",
                              options={"stability frontier": "frontier",
                                       "injection threshold": "injection"}, width=260)
    current: dict[str, Any] = {}

    def state() -> tuple[float, float, float, float, tuple[str, ...]]:
        return (float(sl["alpha"].value), float(sl["R"].value), float(sl["gamma"].value),
                float(sl["tau"].value), tuple(n for n in all_names if n in boxes.value))

    def data() -> pd.DataFrame:
        res = current["res"]
        return pd.concat([res["table"].assign(part="comparison"),
                          res["d1"].assign(part="frontier"), res["d2"].assign(part="injection")],
                         ignore_index=True)

    def figure() -> Any:
        from bsrlab.presentation.figures.policylab import frontier_policies, injection_threshold

        a, R, g, t, _ = current["state"]
        p = vonpeter_params(a, R, g)
        return (frontier_policies(p) if which.value == "frontier"
                else injection_threshold(p, t))[0]

    def stem() -> str:
        a, R, g, t, _ = current.get("state", state())
        return f"policylab_{which.value}_alpha{a:g}_R{R:g}_gamma{g:g}_tau{t:g}"

    dl = downloads(stem, data, figure, errors)

    def update(*_: Any) -> None:
        a, R, g, t, pols = state()
        push_query({"alpha": a, "R": R, "gamma": g, "tau": t, "policies": list(pols)})
        set_snippet(snippet(a, R, g, t, pols))
        res = errors.run(lambda: compute(a, R, g, t, pols))
        if res is None:
            return
        errors.clear()
        current["res"], current["state"] = res, (a, R, g, t, pols)
        table.object = html_table(res["table"])
        d1 = res["d1"]
        for key, _label in _CURVES:
            c1.set(key, d1["alpha"], d1[key].clip(upper=1.0))
        c1.set_vlines([a])
        d2 = res["d2"]
        cur = d2[d2["element"] == "curve"]
        c2.set("after", cur["injection"], cur["delta_star_after"])
        dv = float(d2.loc[d2["element"] == "delta", "delta_star_after"].iloc[0])
        c2.set("delta", [float(cur["injection"].min()), float(cur["injection"].max())], [dv, dv])
        xm = float(d2.loc[d2["element"] == "minimum_injection", "injection"].iloc[0])
        c2.set_markers([("minimum injection", xm, dv)])
        dl.rename()  # type: ignore[attr-defined]

    for w in sl.values():
        w.param.watch(update, "value_throttled")
    boxes.param.watch(update, "value")
    update()
    if refused:
        errors.show(refused)
    return frame(
        ROUTE, "The von Peter policy lab", errors.pane,
        pn.Row(pn.Column(*sl.values(), pn.pane.HTML("<b>Policies compared</b>"), boxes,
                         width=330),
               pn.Column(pn.pane.HTML(
                   "<p>Each row: the outcome with the policy (the fundamental equilibrium when "
                   "it exists, else the crunch, else the crisis), at the shock τ. "
                   f"Policies: {html.escape(', '.join(all_names))}.</p>"),
                   table, pn.Row(which, dl), sizing_mode="stretch_width")),
        pn.Row(pn.pane.Bokeh(c1.fig), pn.pane.Bokeh(c2.fig)),
        snippet_col)
