"""The von Peter page: sliders alpha, R, gamma, tau; Figures 5, 7, 8, 9; T-accounts; equilibria;
the regime map over (alpha, tau).

Every update builds ``Params.from_R`` and checks tau on the server, then calls the library
(:mod:`bsrlab.models.vonpeter`) and the presentation layer
(:mod:`bsrlab.presentation.figures.vonpeter`); a refused value shows the command line's line.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import panel as pn

from bsrlab.interfaces.web.plots import Chart, RegimeMap
from bsrlab.interfaces.web.state import VONPETER_DEFAULTS, vonpeter_params, vonpeter_state
from bsrlab.interfaces.web.widgets import (
    ErrorLine,
    downloads,
    frame,
    html_table,
    push_query,
    snippet_box,
)

__all__ = ["compute", "page", "regime_map", "sliders", "snippet"]

ROUTE = "vonpeter"
FIGURE_NAMES = {"fig5": "Figure 5: balance sheets", "fig7": "Figure 7: financial extremes",
                "fig8": "Figure 8: instability", "fig9": "Figure 9: stability frontier"}
MAP_NAMES = ("firms absorb (τ ≤ τ*)", "bank dividends absorb (τ ≤ τ*)",
             "bank capital absorbs (τ ≤ τ*)", "depositors lose (τ ≤ τ*)",
             "beyond τ*: only the banking crisis")


@lru_cache(maxsize=64)
def _static(alpha: float, R: float, gamma: float) -> dict[str, Any]:
    """What does not depend on tau: thresholds, Figures 7 and 9, the map of Figure 8."""
    from bsrlab.models.vonpeter import thresholds
    from bsrlab.presentation.figures.vonpeter import (
        fig7_financial_extremes,
        fig8_instability,
        fig9_frontier,
    )

    p = vonpeter_params(alpha, R, gamma)
    _f7, d7 = fig7_financial_extremes(p, n=401)
    _f8, d8 = fig8_instability(p, n=401)
    _f9, d9 = fig9_frontier(p, n=200)
    return {"params": p, "th": thresholds(p).to_dict(), "d7": d7, "d8": d8, "d9": d9}


def _tau_max(tau: float, tau_K: float) -> float:
    return min(1.0, max(math.ceil(2 * tau_K * 50) / 50, math.ceil(1.25 * tau * 50) / 50, 0.02))


@lru_cache(maxsize=128)
def compute(alpha: float, R: float, gamma: float, tau: float) -> dict[str, Any]:
    """Everything the page shows for one state (checked by ``Params`` and ``check_tau``)."""
    from bsrlab.models.vonpeter import check_tau, instability_path, solve
    from bsrlab.models.vonpeter.allocation import allocations
    from bsrlab.presentation.figures.vonpeter import fig5_balance_sheets, fig6_t_accounts

    st = _static(alpha, R, gamma)
    p = st["params"]
    t = float(check_tau(tau))
    th = st["th"]
    sol = solve(p, t)
    delta_f = float(sol.delta)
    _f5, d5 = fig5_balance_sheets(p, tau_max=_tau_max(t, th["tau_K"]), n=301)
    _f6, d6 = fig6_t_accounts(p, t)
    path = instability_path(p, min(max(delta_f, 0.0), 1.0), t)
    eqs = allocations(p, t)
    return {**st, "tau": t, "delta": delta_f, "regime": sol.regime_labels().item(),
            "regime_code": int(np.asarray(sol.regime)), "d5": d5, "d6": d6, "path": path,
            "equilibria": eqs}


@lru_cache(maxsize=16)
def regime_map(R: float, gamma: float, tau_hi: float, n: int = 56) -> dict[str, Any]:
    """The regime codes over an (alpha, tau) grid (0-3 loss regimes, 4 beyond tau*)."""
    from bsrlab.models.vonpeter import solve, thresholds

    lo = R - 1.0
    alpha = np.linspace(lo + (1 - lo) / (2 * n), 1 - (1 - lo) / (2 * n), n)
    tau = np.linspace(tau_hi / (2 * n), tau_hi * (1 - 1 / (2 * n)), n)
    p = vonpeter_params(alpha[:, None], R, gamma)
    codes = np.asarray(solve(p, tau[None, :]).regime, dtype=int)
    ts = np.asarray(thresholds(p).tau_star, dtype=float)
    codes = np.where(tau[None, :] > ts, 4, codes)
    return {"alpha": alpha, "tau": tau, "codes": codes, "tau_star": ts.ravel()}


def snippet(alpha: float, R: float, gamma: float, tau: float) -> str:
    """Python code reproducing the page's view with the API."""
    return (
        "from bsrlab.vonpeter import Params, instability_path, solve, thresholds\n"
        "from bsrlab.models.vonpeter.allocation import allocations\n"
        "from bsrlab.presentation.figures.vonpeter import (\n"
        "    fig5_balance_sheets, fig6_t_accounts, fig7_financial_extremes,\n"
        "    fig8_instability, fig9_frontier)\n\n"
        f"p = Params.from_R(alpha={alpha!r}, R={R!r}, gamma={gamma!r})\n"
        f"tau = {tau!r}\n"
        "th = thresholds(p)                      # tau_0, tau_div, tau_star, tau_K, delta_star\n"
        "sol = solve(p, tau)                     # fundamental decline sol.delta, sol.regime\n"
        "eqs = allocations(p, tau)               # every equilibrium with its allocation\n"
        "path = instability_path(p, float(sol.delta), tau)  # Figure 8 outcome: path.end\n"
        "fig5, data5 = fig5_balance_sheets(p)\n"
        "fig6, data6 = fig6_t_accounts(p, tau)\n"
        "fig7, data7 = fig7_financial_extremes(p)\n"
        "fig8, data8 = fig8_instability(p, start=float(sol.delta))\n"
        "fig9, data9 = fig9_frontier(p)\n")


def _curve(d: pd.DataFrame) -> pd.DataFrame:
    return d[d["element"] == "curve"]


def _t_accounts_html(d6: pd.DataFrame) -> str:
    parts = ['<div style="display:flex;gap:24px;flex-wrap:wrap">']
    names = {"t-": "entering t", "t": "after the four transactions at t", "t+": "from t+1"}
    for stage, sub in d6.groupby("stage", sort=False):
        rows = []
        for side in ("assets", "liabilities"):
            for _, r in sub[sub["side"] == side].iterrows():
                rows.append(f"<tr><td>{html.escape(side)}</td><td>{html.escape(r['entry'])}"
                            f"</td><td>{html.escape(r['symbol'])}</td>"
                            f"<td>{r['value']:.4g}</td></tr>")
        parts.append(f'<table class="bsr"><caption><b>{html.escape(str(stage))}</b>: '
                     f'{html.escape(names.get(str(stage), ""))}</caption>'
                     "<tr><th>side</th><th>entry</th><th>symbol</th><th>value (y)</th></tr>"
                     + "".join(rows) + "</table>")
    parts.append("</div>")
    return "".join(parts)


def _equilibria_frame(eqs: list[Any]) -> pd.DataFrame:
    rows = {a.kind.value: a.to_dict() for a in eqs}
    df = pd.DataFrame(rows)
    df.index.name = "quantity"
    return df


def sliders(values: dict[str, float]) -> dict[str, Any]:
    """The sliders of a von Peter calibration and shock, set to ``values``."""
    return {
        "alpha": pn.widgets.FloatSlider(name="α (output elasticity of assets)", start=0.01,
                                        end=0.99, step=0.01, value=values["alpha"]),
        "R": pn.widgets.FloatSlider(name="R (gross natural rate)", start=1.005, end=1.3,
                                    step=0.005, value=values["R"]),
        "gamma": pn.widgets.FloatSlider(name="γ (CRRA, deflationary tendency)", start=0.0,
                                        end=0.95, step=0.01, value=values["gamma"]),
        "tau": pn.widgets.FloatSlider(name="τ (productivity shock)", start=0.0, end=1.0,
                                      step=0.001, value=values["tau"], format="0.000",
                                      css_classes=["bsr-tau"]),
    }


def page(ctx: Any = None) -> pn.Column:
    """Build the page for one browser session."""
    errors = ErrorLine()
    args = dict(pn.state.session_args or {}) if pn.state.curdoc is not None else {}
    values, refused = vonpeter_state(args)
    sl = sliders(values)
    status = pn.pane.HTML("", css_classes=["bsr-status"], sizing_mode="stretch_width")
    c5 = Chart("Figure 5: losses against the shock", "shock τ", "losses (units of y)",
               [("omega", "total losses ω"), ("lambda", "loan losses λ")], x_percent=True,
               name="fig5")
    c7 = Chart("Figure 7: credit demand and admissible lending", "decline δ",
               "% of steady-state lending qH",
               [("demand", "credit demand (1 − δ)qH"), ("lending", "admissible lending L(δ)")],
               x_percent=True, y_percent=True)
    c8 = Chart("Figure 8: the instability process", "decline δₙ", "next decline δₙ₊₁",
               [("map", "credit contraction 1 − L(δ)/qH"), ("diag", "45° line"),
                ("path", "instability process")], x_percent=True, y_percent=True, name="fig8")
    c9 = Chart("Figure 9: the financial stability frontier δ*(α)", "α", "critical decline δ*",
               [("frontier", "δ*(α), this γ")], y_percent=True)
    rmap = RegimeMap(MAP_NAMES)
    accounts = pn.pane.HTML("", sizing_mode="stretch_width")
    eq_table = pn.pane.HTML("", sizing_mode="stretch_width")
    snippet_col, set_snippet = snippet_box()
    which = pn.widgets.Select(name="Figure to download", options={v: k for k, v in
                                                                   FIGURE_NAMES.items()},
                              value="fig5", width=260)
    current: dict[str, Any] = {}

    def state() -> tuple[float, float, float, float]:
        return (float(sl["alpha"].value), float(sl["R"].value), float(sl["gamma"].value),
                float(sl["tau"].value))

    def data() -> pd.DataFrame:
        res = current["res"]
        frames = []
        for key in ("d5", "d7", "d8", "d9"):
            d = res[key].copy()
            d.insert(0, "figure", key.replace("d", "fig"))
            frames.append(d)
        path = res["path"].to_frame()
        path.insert(0, "figure", "fig8_path")
        frames.append(path)
        out = pd.concat(frames, ignore_index=True)
        a, R, g, t = current["state"]
        for i, (k, v) in enumerate((("state_alpha", a), ("state_R", R), ("state_gamma", g),
                                    ("state_tau", t)), start=1):
            out.insert(i, k, v)
        return out

    def figure() -> Any:
        from bsrlab.presentation.figures import vonpeter as figs

        a, R, g, t = current["state"]
        p = vonpeter_params(a, R, g)
        key = which.value
        if key == "fig5":
            tmax = _tau_max(t, current["res"]["th"]["tau_K"])
            return figs.fig5_balance_sheets(p, tau_max=tmax)[0]
        if key == "fig7":
            return figs.fig7_financial_extremes(p)[0]
        if key == "fig8":
            return figs.fig8_instability(p, start=min(max(current["res"]["delta"], 0.0), 1.0))[0]
        return figs.fig9_frontier(p)[0]

    def stem() -> str:
        a, R, g, t = current.get("state", state())
        return f"vonpeter_{which.value}_alpha{a:g}_R{R:g}_gamma{g:g}_tau{t:g}"

    dl = downloads(stem, data, figure, errors)

    def update(*_events: Any) -> None:
        a, R, g, t = state()
        res = errors.run(lambda: compute(a, R, g, t))
        push_query({"alpha": a, "R": R, "gamma": g, "tau": t})
        set_snippet(snippet(a, R, g, t))
        if res is None:
            status.object = '<p class="bsr-status">No result for these values (see above).</p>'
            return
        errors.clear()
        current["res"], current["state"] = res, (a, R, g, t)
        th = res["th"]
        d5, d7, d8, d9 = (_curve(res[k]) for k in ("d5", "d7", "d8", "d9"))
        c5.set("omega", d5["tau"], d5["total_losses"])
        c5.set("lambda", d5["tau"], d5["loan_losses"])
        c5.set_markers([(n, th[n], float(res["d5"].loc[res["d5"]["element"] == n,
                                                       "total_losses"].iloc[0]))
                        for n in ("tau_0", "tau_div", "tau_K")])
        c5.set_vlines([t, th["tau_star"]])
        calibration = (a, R, g)
        if current.get("calibration") != calibration:  # only what changed is sent
            c7.set("demand", d7["delta"], d7["credit_demand"])
            c7.set("lending", d7["delta"], d7["admissible_lending"])
            c7.set_markers([("δ* capital crunch", th["delta_star"], 1 - th["delta_star"]),
                            ("δ = 1 banking crisis", 1.0, 0.0)])
            c8.set("map", d8["delta"], d8["contraction"])
            c8.set("diag", [0.0, 1.0], [0.0, 1.0])
            c9.set("frontier", d9.loc[d9["gamma"] == g, "alpha"],
                   d9.loc[d9["gamma"] == g, "delta_star"])
            c9.set_markers([("this calibration", a, th["delta_star"])])
            current["calibration"] = calibration
        c7.set_vlines([res["delta"]])
        ds = res["path"].deltas
        xs, ys = [ds[0]], [ds[0]]
        for k in range(len(ds) - 1):
            xs += [ds[k], ds[k + 1]]
            ys += [ds[k + 1], ds[k + 1]]
        c8.set("path", xs, ys, label=f"path from δ(τ) = {res['delta']:.4f}")
        c8.set_markers([("δ* (unstable)", th["delta_star"], th["delta_star"]),
                        ("start δ(τ)", ds[0], ds[0]), ("end", ds[-1], ds[-1])])
        hi = min(1.0, max(0.2, 1.5 * t, 1.5 * th["tau_K"]))
        hi = math.ceil(hi * 20) / 20
        if current.get("map") != (R, g, hi):
            m = regime_map(R, g, hi)
            rmap.update(m["alpha"], m["tau"], m["codes"], m["tau_star"], (a, t))
            current["map"] = (R, g, hi)
        else:
            rmap.move((a, t))
        kinds = [e.kind.value for e in res["equilibria"]]
        beyond = t > th["tau_star"]
        outcome = ("beyond τ*: the banking crisis is the only equilibrium" if beyond else
                   "below τ*: the fundamental equilibrium"
                   + (" (a capital crunch and a banking crisis are possible too, "
                      "self-fulfilling)" if len(kinds) > 1 else ""))
        from bsrlab.models.vonpeter import Regime

        reg = Regime.from_label(res["regime"])
        status.object = (
            '<div class="bsr-status">'
            f'<p>Regime: <b class="bsr-regime">{html.escape(outcome)}</b>; '
            f'losses: <b class="bsr-loss">{html.escape(reg.text)}</b> '
            f'({html.escape(reg.description)}).</p>'
            f'<p>Figure 8 outcome from the fundamental decline δ(τ) = {res["delta"]:.4f}: '
            f'<b class="bsr-fig8">{html.escape(res["path"].end.value.replace("_", " "))}</b> '
            f'after {res["path"].rounds} rounds.</p>'
            f'<p>Thresholds: τ₀ = {th["tau_0"]:.4f}, τ_Div = {th["tau_div"]:.4f}, '
            f'τ* = <span class="bsr-taustar">{th["tau_star"]:.4f}</span>, '
            f'τ_K = {th["tau_K"]:.4f}; δ* = {th["delta_star"]:.4f}. Equilibria at τ = {t:g}: '
            f'<span class="bsr-kinds">{html.escape(", ".join(kinds))}</span>.</p></div>')
        accounts.object = _t_accounts_html(res["d6"])
        eq_table.object = html_table(_equilibria_frame(res["equilibria"]), index=True)
        dl.rename()  # type: ignore[attr-defined]

    for w in sl.values():
        w.param.watch(update, "value_throttled")
    which.param.watch(lambda e: dl.rename(), "value")  # type: ignore[attr-defined]
    update()
    if refused:
        errors.show(refused)
    controls = pn.Column(*sl.values(), width=330)
    map_box = pn.Column(pn.pane.Bokeh(rmap.fig), pn.pane.HTML(
        f'<p style="font-size:12px;max-width:520px">{rmap.legend_html()}</p>'), name="Regime map")
    # Dynamic tabs: only the charts shown are sent to the browser (a faster first load and
    # slider move); the others are brought up to date when their tab is opened.
    charts = pn.Row(
        pn.Tabs(("Figure 5", pn.pane.Bokeh(c5.fig)), ("Figure 7", pn.pane.Bokeh(c7.fig)),
                ("Figure 9", pn.pane.Bokeh(c9.fig)), dynamic=True),
        pn.Tabs(("Figure 8", pn.pane.Bokeh(c8.fig)), ("Regime map", map_box), dynamic=True),
    )
    return frame(
        ROUTE, "The von Peter (2004) model: banking distress after a productivity shock",
        errors.pane,
        pn.Row(controls, pn.Column(status, pn.Row(which, dl), sizing_mode="stretch_width")),
        charts,
        pn.pane.HTML("<h3>T-accounts of the banking system (Figure 6)</h3>"), accounts,
        pn.pane.HTML("<h3>Every equilibrium with its allocation (Proposition 4)</h3>"),
        eq_table, snippet_col,
        pn.pane.HTML('<p class="note">Defaults: the paper\'s economy (α = '
                     f'{VONPETER_DEFAULTS["alpha"]}, R = {VONPETER_DEFAULTS["R"]}, γ = 0). '
                     "Figure 8 is drawn from the fundamental decline δ(τ) with the shock τ; "
                     "the downloaded Figure 8 is the paper's (τ = 0) from the same start.</p>"),
    )
