"""The von Peter (2004) part of the report: calibration, balance sheets, thresholds, figures.

:func:`vonpeter_sections` turns a :class:`~bsrlab.presentation.config.ReportConfig` into report
sections. Every number comes from :mod:`bsrlab.vonpeter`; every figure from
:mod:`bsrlab.presentation.figures.vonpeter`, with a caption that says what the reader sees and why.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd

from bsrlab.models.vonpeter import (
    Params,
    Regime,
    equilibria,
    frontier,
    instability_path,
    solve,
    steady_state,
    thresholds,
    vulnerability,
)
from bsrlab.presentation.config import DEFAULT_ALPHA, DEFAULT_GAMMA, DEFAULT_R, ReportConfig
from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.figures import vonpeter as figs

__all__ = ["FIGURE_COUNT", "vonpeter_sections"]

#: How many figures the von Peter sections hold.
FIGURE_COUNT = len(figs.FIGURES)

Progress = Callable[[str], None]


def _pct(x: float, digits: int = 2) -> str:
    return f"{100.0 * x:.{digits}f}%"


def _f(x: float, digits: int = 4) -> str:
    return f"{x:.{digits}g}"


def _is_default(cfg: ReportConfig) -> bool:
    return (abs(cfg.R - DEFAULT_R) < 1e-12 and cfg.alpha == DEFAULT_ALPHA
            and cfg.gamma == DEFAULT_GAMMA)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

def _calibration(cfg: ReportConfig) -> Section:
    p = cfg.params
    R, a, g = cfg.R, cfg.alpha, cfg.gamma
    th = thresholds(p)
    ds0 = float(frontier(a, beta=cfg.beta, gamma=0.0))
    pfloor = (R / a) ** (-g)
    rows = [
        ("α", "alpha", "output elasticity of assets; drives firm leverage (12)",
         _f(a), f"R − 1 < α < 1 (here {R - 1:.4g} < α < 1)"),
        ("β", "beta", "households' discount factor", _f(cfg.beta, 6), "0 < β < 1"),
        ("R = 1/β", "R", "gross natural rate of interest", _f(R, 6), "R > 1"),
        ("γ", "gamma", "CRRA coefficient, the deflationary tendency", _f(g), "0 ≤ γ < 1"),
        ("y", "y", "output f(H); amounts below are in units of y", _f(cfg.y), "y > 0"),
        ("H", "H", "the fixed stock of assets", _f(cfg.H), "H > 0"),
    ]
    frame = pd.DataFrame(rows, columns=["symbol", "option", "meaning", "value", "admissible"])
    if _is_default(cfg):
        why = (
            "<p>This is the default calibration. <b>R = 1.05</b> is the natural rate the paper "
            "uses for its numerical example (Section 4.2, footnote 41). <b>α = 0.5</b> is the "
            "paper's economy with weak balance sheets (α &gt; 1/2 in Section 4.2): firm leverage "
            f"RqH/Π = α/(1 − α) · R/(R − 1) = {a / (1 - a) * R / (R - 1):.0f}, and without "
            f"deflation an asset price decline of {_pct(ds0, 1)} sets off financial instability. "
            "<b>γ = 0.1</b> adds a small deflationary tendency. With γ = 0 the price level cannot "
            "move at all (footnote 37), which would hide the deflation channel of (23)–(24); "
            f"with γ = 0.1 it falls by at most 1 − (R/α)<sup>−γ</sup> = {_pct(1 - pfloor, 1)}, "
            "a mild deflation like that of the Japanese and Nordic episodes of Section 5, and "
            f"the critical decline δ* moves from {_pct(ds0, 1)} to "
            f"{_pct(float(th.delta_star), 1)}. Change any of them with <code>--alpha</code>, "
            "<code>--beta</code>, <code>--gamma</code> or a TOML file "
            "(<code>--config</code>).</p>")
    else:
        why = (
            f"<p>Calibration from {html.escape(cfg.source)}. For comparison, the default is the "
            f"paper's R = {DEFAULT_R}, its weak-balance-sheet economy α = {DEFAULT_ALPHA}, and a "
            f"small deflationary tendency γ = {DEFAULT_GAMMA}. With this calibration the price "
            f"level can fall by at most {_pct(1 - pfloor, 1)} and δ* = "
            f"{_pct(float(th.delta_star), 2)} (γ = 0 would give {_pct(ds0, 2)}).</p>")
    intro = (
        "<p>The model of von Peter (2004), <i>Asset prices and banking distress: a "
        "macroeconomic approach</i> (BIS Working Paper 167), solved exactly. Firms buy assets on "
        "bank credit; an unexpected permanent fall τ in productivity lowers the asset price by "
        "δ and the price level, firms default, and the banking system absorbs the loan losses "
        "until its capital is gone.</p>" + why)
    return Section("calibration", "Calibration", intro,
                   [TableItem("Parameters of this report", frame, name="parameters")])


def _steady_state(cfg: ReportConfig) -> Section:
    p = cfg.params
    ss = steady_state(p)
    qH, D, K = float(ss.asset_value), float(ss.deposits), float(ss.bank_capital)
    rows = [
        ("asset value = bank loans", "qH", "αy/(R − 1)   (11)", qH),
        ("deposits", "D", "qH/R", D),
        ("bank capital", "K", "αy/R", K),
        ("household spending", "s", "(R − 1)D", float(ss.household_spending)),
        ("firms' profits", "Π", "(1 − α)y   (7)", float(ss.firm_profits)),
        ("bank dividends", "Div", "(R − 1)K", float(ss.bank_dividends)),
        ("firm leverage", "RqH/Π", "α/(1 − α) · R/(R − 1)   (12)", float(ss.firm_leverage)),
        ("bank leverage", "D/K", "1/(R − 1)   (13)", float(ss.bank_leverage)),
    ]
    frame = pd.DataFrame([(a, b, c, f"{v:.4f}") for a, b, c, v in rows],
                         columns=["quantity", "symbol", "formula", "value"])
    bs = pd.DataFrame({
        "assets": ["loans to firms qH", "", "total"],
        "value ": [f"{qH:.4f}", "", f"{qH:.4f}"],
        "liabilities": ["deposits D", "capital K", "total"],
        "value": [f"{D:.4f}", f"{K:.4f}", f"{D + K:.4f}"],
    })
    intro = (
        "<p>Before the shock the economy is in the steady state of Proposition 1 (p = 1). Banks "
        "lend firms the value of the assets, qH, financed by households' deposits and bank "
        f"capital; capital is {_pct(K / qH, 2)} of assets, the ratio (R − 1)/R that the capital "
        f"constraint of Section 3 keeps. Amounts in units of output y.</p>")
    return Section("steady-state", "Steady-state balance sheets", intro, [
        TableItem("Steady state (Proposition 1)", frame, name="steady_state"),
        TableItem("The banking system's balance sheet", bs, name="bank_balance_sheet"),
    ])


_THRESHOLD_ROWS = (
    ("0", "delta_0", "tau_0", "firms start to default: total losses ω reach profits Π"),
    ("Div", "delta_div", "tau_div", "loan losses λ reach normal bank profits (R − 1)K"),
    ("*", "delta_star", "tau_star",
     "the capital constraint binds: capital crunch; beyond, financial instability (28)"),
    ("K", "delta_K", "tau_K", "loan losses λ reach R K: bank capital is gone"),
)


def _thresholds(cfg: ReportConfig) -> Section:
    th = thresholds(cfg.params).to_dict()
    frame = pd.DataFrame(
        [(f"i = {i}", _pct(th[d]), _pct(th[t]), text) for i, d, t, text in _THRESHOLD_ROWS],
        columns=["threshold", "δ_i (asset price decline)", "τ_i (shock)", "what happens"])
    intro = (
        "<p>Each threshold of Appendix 2 is a decline δ<sub>i</sub> of the asset price and, "
        "equivalently, the productivity shock τ<sub>i</sub> that causes it in the fundamental "
        "equilibrium (22). They are closed forms (δ<sub>0</sub> solves one monotone equation "
        "by Newton's method) and ordered 0 &lt; τ<sub>0</sub> &lt; τ<sub>Div</sub> &lt; τ* "
        "&lt; τ<sub>K</sub> &lt; 1.</p>")
    return Section("thresholds", "Thresholds", intro,
                   [TableItem("Thresholds δ_i and τ_i, in percent", frame, name="thresholds")])


def _loss_ranges(cfg: ReportConfig) -> Section:
    th = thresholds(cfg.params)
    t = [0.0, float(th.tau_0), float(th.tau_div), float(th.tau_K), 1.0]
    d = [0.0, float(th.delta_0), float(th.delta_div), float(th.delta_K)]
    d.append(float(solve(cfg.params, 1.0).delta))
    bank = ("untouched; credit shrinks, matched by fewer deposits",
            "dividends fall; capital intact",
            "capital falls with every loss",
            "insolvent: negative capital")
    rows = []
    for i, name in enumerate(figs.RANGE_NAMES):
        close = "]" if i == 3 else ")"
        rows.append((name, f"[{_pct(t[i])}, {_pct(t[i + 1])}{close}",
                     f"[{_pct(d[i])}, {_pct(d[i + 1])}{close}", bank[i]))
    frame = pd.DataFrame(rows, columns=["who bears the losses", "shock τ", "decline δ",
                                        "banking system"])
    intro = (
        "<p>Proposition 3: losses cascade down the debt structure. Small losses are borne by "
        "firms; larger ones by bank dividends, then bank capital, and finally, once the banking "
        "system is insolvent, by depositors (Figure 5).</p>")
    return Section("loss-ranges", "The four loss-bearing ranges", intro,
                   [TableItem("Loss-bearing ranges of the shock τ", frame, name="loss_ranges")])


_KIND = {"fundamental": "fundamental", "capital_crunch": "capital crunch",
         "banking_crisis": "banking crisis"}


def _equilibria(cfg: ReportConfig) -> Section:
    p = cfg.params
    shocks = cfg.shock_list()
    sol = solve(p, np.asarray(shocks))
    K = float(steady_state(p).bank_capital)
    rows = []
    for i, tau in enumerate(shocks):
        regime = Regime(int(sol.regime[i]))
        for e in equilibria(p, tau):
            rate = "∞" if not np.isfinite(e.loan_rate) else _pct(e.loan_rate - 1.0)
            rows.append((_pct(tau), _KIND[e.kind.value], _pct(e.delta), rate,
                         "yes" if e.stable else "no", "yes" if e.self_fulfilling else "no",
                         regime.description if e.kind.value == "fundamental" else ""))
    frame = pd.DataFrame(rows, columns=["shock τ", "equilibrium", "decline δ",
                                        "loan rate R_t − 1", "stable", "self-fulfilling",
                                        "who bears the losses"])
    fund = pd.DataFrame({
        "shock τ": [_pct(t) for t in shocks],
        "decline δ": [_pct(v) for v in sol.delta],
        "price level p_t": [f"{v:.4f}" for v in sol.p_t],
        "loan losses λ": [f"{v:.4f}" for v in sol.loan_losses],
        "bank capital K_t/K": [_pct(v / K, 1) for v in sol.bank_capital_t],
        "deposits D_t": [f"{v:.4f}" for v in sol.deposits_t],
        "regime": [Regime(int(r)).label.replace("_", " ") for r in sol.regime],
    })
    src = "chosen in the configuration" if cfg.shocks else (
        "one inside each loss-bearing range, and τ = 70% (Section 5.1: an asset price decline "
        "near 70% with little deflation needs a shock of that size)")
    intro = (
        f"<p>Equilibria for a few shocks ({src}). Proposition 4: for τ ≤ τ* the fundamental "
        "equilibrium coexists with a self-fulfilling capital crunch (δ = δ*, unstable, loan rate "
        "above R) and a self-fulfilling banking crisis (δ = 1, stable, credit and the payment "
        "system collapse). For τ &gt; τ* the banking crisis is the only equilibrium. The second "
        "table gives the fundamental equilibrium without the capital constraint (Section 2); "
        "amounts in units of output y.</p>")
    return Section("equilibria", "Equilibria for chosen shocks", intro, [
        TableItem("Equilibria with the capital constraint (Proposition 4)", frame,
                  name="equilibria"),
        TableItem("The fundamental equilibrium (Propositions 2 and 3)", fund,
                  name="fundamental"),
    ])


_SYMBOL = {"delta_0": "δ_0", "delta_div": "δ_Div", "delta_star": "δ*", "delta_K": "δ_K",
           "tau_0": "τ_0", "tau_div": "τ_Div", "tau_star": "τ*", "tau_K": "τ_K"}


def _vulnerability(cfg: ReportConfig) -> Section:
    v = vulnerability(cfg.params).to_frame()
    cols = ["d/dalpha", "d/dbeta", "d/dgamma"]
    frame = pd.DataFrame({
        "threshold": [_SYMBOL[k] for k in v["threshold"]],
        "value": [_pct(x) for x in v["value"]],
        "∂/∂α": [f"{x:+.4f}" for x in v["d/dalpha"]],
        "∂/∂β": [f"{x:+.4f}" for x in v["d/dbeta"]],
        "∂/∂γ": [f"{x:+.4f}" for x in v["d/dgamma"]],
    })
    d = v[cols].to_numpy()
    if np.all(d < 0):
        verdict = ("Every derivative is negative here, as Proposition 5 states: more leverage "
                   "(α), a lower interest rate (higher β) or a stronger deflationary tendency "
                   "(γ) make the banking system more vulnerable.")
    else:
        bad = [f"{_SYMBOL[v['threshold'][i]]} in {cols[j][3:]}"
               for i, j in zip(*np.nonzero(d >= 0), strict=True)]
        verdict = ("Most derivatives are negative, as Proposition 5 states, but not all at this "
                   f"calibration: {', '.join(bad)} (non-negative).")
    intro = (
        "<p>Vulnerability (Proposition 5): how each threshold moves with the structural "
        "parameters, d(threshold)/d(parameter) in fractions per unit of the parameter (exact "
        f"derivatives, by the complex step). {html.escape(verdict)}</p>")
    return Section("vulnerability", "Vulnerability", intro,
                   [TableItem("Threshold derivatives", frame, name="vulnerability")])


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------

def _captions(p: Params, t6: float) -> dict[str, tuple[str, str]]:
    th = thresholds(p).to_dict()
    R = float(p.R)
    a, g = float(np.asarray(p.alpha)), float(np.asarray(p.gamma))
    ss = steady_state(p)
    qH = float(ss.asset_value)
    pfloor = (R / a) ** (-g)
    start = figs.instability_start(p)
    path = instability_path(p, start, 0.0)
    rounds = int(np.argmax(path.deltas >= 1.0)) if np.any(path.deltas >= 1.0) else path.rounds
    if R - 1 < 0.25:
        ex = (f"For γ = 0 the curve passes through "
              f"{_pct(float(frontier(0.25, beta=1 / R, gamma=0.0)), 1)} at α = 0.25 and "
              f"{_pct(float(frontier(0.5, beta=1 / R, gamma=0.0)), 1)} at α = 0.5 (the paper's "
              "16% and 5.5% for R = 1.05); ")
    else:
        ex = ""
    return {
        "fig2_outcomes": (
            "Figure 2. Outcomes along the shock axis",
            "In the fundamental equilibrium (solid) the asset price decline δ rises smoothly "
            "with the shock τ; with the banks' capital constraint (dashed) it jumps to 100%, a "
            f"systemic banking crisis, once τ exceeds τ* = {_pct(th['tau_star'])}. The bottom "
            "panel shows why: bank capital is untouched while losses are small (wealth effects, "
            f"τ < τ_Div = {_pct(th['tau_div'])}), then falls one for one with loan losses "
            f"(capital crunch) and is gone at τ_K = {_pct(th['tau_K'])}; the price level falls "
            f"by at most {_pct(1 - pfloor, 1)}."),
        "fig4_repayment": (
            "Figure 4. Repayment and default",
            f"Old firms owe RqH = {R * qH:.3f} and receive p_t y + q_t H. Above the default "
            "point they repay in full and keep the rest as profits (Π = "
            f"{float(ss.firm_profits):.3f} in the steady state, the double line); below it they "
            "default on λ = RqH − (p_t y + q_t H). Limited liability makes firms' payoff convex "
            "and passes every further fall in prices to the banks; the dotted lines are the "
            "losses that exhaust bank dividends, (R − 1)K, and bank capital, RK."),
        "fig5_balance_sheets": (
            "Figure 5. Deteriorating balance sheets",
            "Total losses ω and loan losses λ rise with the shock τ. Firms absorb the losses up "
            f"to τ_0 = {_pct(th['tau_0'])}, bank dividends up to τ_Div = {_pct(th['tau_div'])}, "
            f"bank capital up to τ_K = {_pct(th['tau_K'])}; beyond it the banks are insolvent "
            "and depositors lose. The shading boundaries are the closed-form thresholds of "
            "Appendix 2, and λ = max(0, ω − Π) by (16)-(17)."),
        "fig6_t_accounts": (
            "Figure 6. Balance sheet mechanics",
            f"The banking system's T-accounts for a shock τ = {_pct(t6)}. Entering t it holds "
            "loans with interest RqH against deposits RD and capital RK. During t new firms "
            "borrow q_t H, households spend s_t, the banks pay dividends and loan losses λ are "
            "written off; old firms' deposits then repay the performing loans. At t+ credit has "
            "shrunk to q_t H, matched by fewer deposits (monetary contraction) and, in this "
            "range, less bank capital. Each account balances."),
        "fig7_financial_extremes": (
            "Figure 7. Financial extremes",
            "Credit demand (1 − δ)qH falls gently with the asset price decline δ. Admissible "
            "lending L(δ) of (26) stays at qH until loan losses exceed normal bank profits "
            f"(δ_Div = {_pct(th['delta_div'])}), then falls R/(R − 1) = {R / (R - 1):.0f} times "
            f"as fast and reaches zero at δ_K = {_pct(th['delta_K'])}. The two cross twice: the "
            f"capital crunch at δ* = {_pct(th['delta_star'])} (open circle, unstable) and the "
            "systemic banking crisis at δ = 100% (filled, stable)."),
        "fig8_instability": (
            "Figure 8. Financial instability",
            f"From a decline just past δ* (δ = {_pct(start, 3)}), the loan losses force a "
            "credit contraction R/(R − 1) times as large as the excess over δ*; the asset price "
            "falls with credit (the 45° line), causing new losses. The cobweb moves away from "
            f"the unstable capital crunch and reaches δ = 100% after {rounds} rounds: credit "
            "and the payment system collapse. Below δ* the same process returns to the "
            "fundamental equilibrium."),
        "fig9_frontier": (
            "Figure 9. The financial stability frontier",
            f"The critical decline δ*(α) of (28) for R = {R:g}: an asset price decline above the "
            "curve sets off financial instability. More leverage α lowers the frontier, and so "
            f"does a stronger deflationary tendency γ. {ex}the diamond marks this "
            "calibration."),
    }


def _figures(cfg: ReportConfig, progress: Progress | None) -> Section:
    p = cfg.params
    t6 = cfg.t_accounts_tau if cfg.t_accounts_tau is not None else figs.t_accounts_shock(p)
    caps = _captions(p, t6)
    items: list[TableItem | FigureItem] = []
    for name, func in figs.FIGURES.items():
        if progress is not None:
            progress(f"computing {name}")
        fig, data = func(p, t6) if name == "fig6_t_accounts" else func(p)
        title, caption = caps[name]
        items.append(FigureItem(name=name, figure=fig, data=data, caption=caption, title=title))
    intro = (
        "<p>Every figure is computed from the model, not drawn by hand. The data behind each "
        "one (the points of every curve and every marked threshold or fixed point) is in the "
        "CSV file of the same name beside this report.</p>")
    return Section("figures", "Figures of the paper", intro, items)


def vonpeter_sections(cfg: ReportConfig, progress: Progress | None = None) -> list[Section]:
    """The von Peter sections of the report, in order; ``progress`` is called once per figure."""
    return [_calibration(cfg), _steady_state(cfg), _thresholds(cfg), _loss_ranges(cfg),
            _equilibria(cfg), _vulnerability(cfg), _figures(cfg, progress)]
