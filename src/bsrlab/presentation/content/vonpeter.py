"""The von Peter (2004) part of the report: calibration, balance sheets, thresholds, figures.

:func:`vonpeter_sections` turns a :class:`~bsrlab.presentation.config.ReportConfig` into report
sections. Every number comes from :mod:`bsrlab.vonpeter`; every figure from
:mod:`bsrlab.presentation.figures.vonpeter`, with a caption that says what the reader sees and why.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bsrlab.models.vonpeter import (
    EquilibriumKind,
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
from bsrlab.models.vonpeter.closed import firm_leverage, p_bar_t
from bsrlab.models.vonpeter.outputs import VOCABULARY
from bsrlab.presentation.config import DEFAULT_ALPHA, DEFAULT_GAMMA, DEFAULT_R, ReportConfig
from bsrlab.presentation.content.model import FigureItem, Item, Section, TableItem
from bsrlab.presentation.style import num, pct
from bsrlab.presentation.table import Table

if TYPE_CHECKING:
    from bsrlab.models.vonpeter.solve import Solution
    from bsrlab.models.vonpeter.steady import SteadyState
    from bsrlab.models.vonpeter.thresholds import Thresholds

__all__ = ["FIGURE_COUNT", "FIGURE_NAMES", "VonPeterResults", "compute", "vonpeter_sections"]

#: The figures of the von Peter sections, in order (the keys of ``figures.vonpeter.FIGURES``).
FIGURE_NAMES: tuple[str, ...] = ("fig2_outcomes", "fig4_repayment", "fig5_balance_sheets",
                                 "fig6_t_accounts", "fig7_financial_extremes",
                                 "fig8_instability", "fig9_frontier")

#: How many figures the von Peter sections hold.
FIGURE_COUNT = len(FIGURE_NAMES)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class VonPeterResults:
    """What the von Peter sections show, computed once per report and passed to each builder.

    ``solution`` is the fundamental equilibrium at ``shocks`` (the configuration's shocks);
    ``no_assets`` the fundamental equilibrium at tau = 1 (the end of the last loss range).
    """

    params: Params
    thresholds: Thresholds
    steady: SteadyState
    shocks: tuple[float, ...]
    solution: Solution
    no_assets: Solution

    @property
    def th(self) -> dict[str, float]:
        """The thresholds by name (``delta_star``, ``tau_K``, ...)."""
        return {k: float(v) for k, v in self.thresholds.to_dict().items()}


def compute(cfg: ReportConfig) -> VonPeterResults:
    """Solve the model once for everything the von Peter sections show."""
    p = cfg.params
    shocks = cfg.shock_list()
    return VonPeterResults(params=p, thresholds=thresholds(p), steady=steady_state(p),
                           shocks=shocks, solution=solve(p, np.asarray(shocks)),
                           no_assets=solve(p, 1.0))


def _is_default(cfg: ReportConfig) -> bool:
    return (abs(cfg.R - DEFAULT_R) < 1e-12 and cfg.alpha == DEFAULT_ALPHA
            and cfg.gamma == DEFAULT_GAMMA)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

def _calibration(cfg: ReportConfig, res: VonPeterResults) -> Section:
    R, a, g = cfg.R, cfg.alpha, cfg.gamma
    th = res.thresholds
    ds0 = float(frontier(a, beta=cfg.beta, gamma=0.0))
    pfloor = p_bar_t(a, R, g)
    rows = [
        ("α", "alpha", "output elasticity of assets; drives firm leverage (12)",
         num(a), f"R − 1 < α < 1 (here {R - 1:.4g} < α < 1)"),
        ("β", "beta", "households' discount factor", num(cfg.beta, 6), "0 < β < 1"),
        ("R = 1/β", "R", "gross natural rate of interest", num(R, 6), "R > 1"),
        ("γ", "gamma", "CRRA coefficient, the deflationary tendency", num(g), "0 ≤ γ < 1"),
        ("y", "y", "output f(H); amounts below are in units of y", num(cfg.y), "y > 0"),
        ("H", "H", "the fixed stock of assets", num(cfg.H), "H > 0"),
    ]
    frame = Table.from_rows(rows, ["symbol", "option", "meaning", "value", "admissible"])
    if _is_default(cfg):
        why = (
            "<p>This is the default calibration. <b>R = 1.05</b> is the natural rate the paper "
            "uses for its numerical example (Section 4.2, footnote 41). <b>α = 0.5</b> is the "
            "paper's economy with weak balance sheets (α &gt; 1/2 in Section 4.2): firm leverage "
            f"RqH/Π = α/(1 − α) · R/(R − 1) = {firm_leverage(a, R):.0f}, and without "
            f"deflation an asset price decline of {pct(ds0, 1)} sets off financial instability. "
            "<b>γ = 0.1</b> adds a small deflationary tendency. With γ = 0 the price level cannot "
            "move at all (footnote 37), which would hide the deflation channel of (23)–(24); "
            f"with γ = 0.1 it falls by at most 1 − (R/α)<sup>−γ</sup> = {pct(1 - pfloor, 1)}, "
            "a mild deflation like that of the Japanese and Nordic episodes of Section 5, and "
            f"the critical decline δ* moves from {pct(ds0, 1)} to "
            f"{pct(float(th.delta_star), 1)}. Change any of them with <code>--alpha</code>, "
            "<code>--beta</code>, <code>--gamma</code> or a TOML file "
            "(<code>--config</code>).</p>")
    else:
        why = (
            f"<p>Calibration from {html.escape(cfg.source)}. For comparison, the default is the "
            f"paper's R = {DEFAULT_R}, its weak-balance-sheet economy α = {DEFAULT_ALPHA}, and a "
            f"small deflationary tendency γ = {DEFAULT_GAMMA}. With this calibration the price "
            f"level can fall by at most {pct(1 - pfloor, 1)} and δ* = "
            f"{pct(float(th.delta_star), 2)} (γ = 0 would give {pct(ds0, 2)}).</p>")
    intro = (
        "<p>The model of von Peter (2004), <i>Asset prices and banking distress: a "
        "macroeconomic approach</i> (BIS Working Paper 167), solved exactly. Firms buy assets on "
        "bank credit; an unexpected permanent fall τ in productivity lowers the asset price by "
        "δ and the price level, firms default, and the banking system absorbs the loan losses "
        "until its capital is gone.</p>" + why)
    return Section("calibration", "Calibration", intro,
                   [TableItem("Parameters of this report", frame, name="parameters")])


_STEADY_ROWS = (
    ("asset_value", "asset value = bank loans", "αy/(R − 1)"),
    ("deposits", "deposits", "qH/R"),
    ("bank_capital", "bank capital", "αy/R"),
    ("household_spending", "household spending", "(R − 1)D"),
    ("firm_profits", "firms' profits", "(1 − α)y"),
    ("bank_dividends", "bank dividends", "(R − 1)K"),
    ("firm_leverage", "firm leverage", "α/(1 − α) · R/(R − 1)"),
    ("bank_leverage", "bank leverage", "1/(R − 1)"),
)


def _steady_state(cfg: ReportConfig, res: VonPeterResults) -> Section:
    ss = res.steady
    qH, D, K = float(ss.asset_value), float(ss.deposits), float(ss.bank_capital)
    rows = []
    for key, quantity, formula in _STEADY_ROWS:
        spec = VOCABULARY[key]
        eq = f"   {spec.equation}" if spec.equation else ""
        rows.append((quantity, spec.symbol, formula + eq, f"{float(getattr(ss, key)):.4f}"))
    frame = Table.from_rows(rows, ["quantity", "symbol", "formula", "value"])
    bs = Table({
        "assets": ["loans to firms qH", "", "total"],
        "value ": [f"{qH:.4f}", "", f"{qH:.4f}"],
        "liabilities": ["deposits D", "capital K", "total"],
        "value": [f"{D:.4f}", f"{K:.4f}", f"{D + K:.4f}"],
    })
    intro = (
        "<p>Before the shock the economy is in the steady state of Proposition 1 (p = 1). Banks "
        "lend firms the value of the assets, qH, financed by households' deposits and bank "
        f"capital; capital is {pct(K / qH, 2)} of assets, the ratio (R − 1)/R that the capital "
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


def _thresholds(cfg: ReportConfig, res: VonPeterResults) -> Section:
    th = res.th
    frame = Table.from_rows(
        [(f"i = {i}", pct(th[d]), pct(th[t]), text) for i, d, t, text in _THRESHOLD_ROWS],
        ["threshold", "δ_i (asset price decline)", "τ_i (shock)", "what happens"])
    intro = (
        "<p>Each threshold of Appendix 2 is a decline δ<sub>i</sub> of the asset price and, "
        "equivalently, the productivity shock τ<sub>i</sub> that causes it in the fundamental "
        "equilibrium (22). They are closed forms (δ<sub>0</sub> solves one monotone equation "
        "by Newton's method) and ordered 0 &lt; τ<sub>0</sub> &lt; τ<sub>Div</sub> &lt; τ* "
        "&lt; τ<sub>K</sub> &lt; 1.</p>")
    return Section("thresholds", "Thresholds", intro,
                   [TableItem("Thresholds δ_i and τ_i, in percent", frame, name="thresholds")])


def _loss_ranges(cfg: ReportConfig, res: VonPeterResults) -> Section:
    from bsrlab.presentation.figures.vonpeter import RANGE_NAMES  # the names Figure 5 shades

    th = res.th
    t = [0.0, th["tau_0"], th["tau_div"], th["tau_K"], 1.0]
    d = [0.0, th["delta_0"], th["delta_div"], th["delta_K"]]
    d.append(float(res.no_assets.delta))
    bank = ("untouched; credit shrinks, matched by fewer deposits",
            "dividends fall; capital intact",
            "capital falls with every loss",
            "insolvent: negative capital")
    rows = []
    for i, name in enumerate(RANGE_NAMES):
        close = "]" if i == 3 else ")"
        rows.append((name, f"[{pct(t[i])}, {pct(t[i + 1])}{close}",
                     f"[{pct(d[i])}, {pct(d[i + 1])}{close}", bank[i]))
    frame = Table.from_rows(rows, ["who bears the losses", "shock τ", "decline δ",
                                   "banking system"])
    intro = (
        "<p>Proposition 3: losses cascade down the debt structure. Small losses are borne by "
        "firms; larger ones by bank dividends, then bank capital, and finally, once the banking "
        "system is insolvent, by depositors (Figure 5).</p>")
    return Section("loss-ranges", "The four loss-bearing ranges", intro,
                   [TableItem("Loss-bearing ranges of the shock τ", frame, name="loss_ranges")])


def _equilibria(cfg: ReportConfig, res: VonPeterResults) -> Section:
    p = res.params
    shocks = res.shocks
    sol = res.solution
    K = float(res.steady.bank_capital)
    rows = []
    for i, tau in enumerate(shocks):
        regime = Regime(int(sol.regime[i]))
        for e in equilibria(p, tau):
            rate = "∞" if not np.isfinite(e.loan_rate) else pct(e.loan_rate - 1.0)
            rows.append((pct(tau), e.kind.text, pct(e.delta), rate,
                         "yes" if e.stable else "no", "yes" if e.self_fulfilling else "no",
                         regime.description if e.kind is EquilibriumKind.FUNDAMENTAL else ""))
    frame = Table.from_rows(rows, ["shock τ", "equilibrium", "decline δ",
                                   "loan rate R_t − 1", "stable", "self-fulfilling",
                                   "who bears the losses"])
    fund = Table({
        "shock τ": [pct(t) for t in shocks],
        "decline δ": [pct(v) for v in sol.delta],
        "price level p_t": [f"{v:.4f}" for v in sol.p_t],
        "loan losses λ": [f"{v:.4f}" for v in sol.loan_losses],
        "bank capital K_t/K": [pct(v / K, 1) for v in sol.bank_capital_t],
        "deposits D_t": [f"{v:.4f}" for v in sol.deposits_t],
        "regime": [Regime(int(r)).text for r in sol.regime],
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


def _vulnerability(cfg: ReportConfig, res: VonPeterResults) -> Section:
    v = vulnerability(res.params)
    keys = list(v.values)
    params = ("alpha", "beta", "gamma")
    frame = Table({
        "threshold": [_SYMBOL[k] for k in keys],
        "value": [pct(float(v.values[k])) for k in keys],
        **{f"∂/∂{sym}": [f"{float(v.derivatives[k][p]):+.4f}" for k in keys]
           for p, sym in zip(params, ("α", "β", "γ"), strict=True)},
    })
    d = np.array([[float(v.derivatives[k][p]) for p in params] for k in keys])
    if np.all(d < 0):
        verdict = ("Every derivative is negative here, as Proposition 5 states: more leverage "
                   "(α), a lower interest rate (higher β) or a stronger deflationary tendency "
                   "(γ) make the banking system more vulnerable.")
    else:
        bad = [f"{_SYMBOL[keys[i]]} in {params[j]}"
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

def _captions(res: VonPeterResults, t6: float, start: float) -> dict[str, tuple[str, str]]:
    p = res.params
    th = res.th
    R = float(p.R)
    a, g = float(np.asarray(p.alpha)), float(np.asarray(p.gamma))
    ss = res.steady
    qH = float(ss.asset_value)
    pfloor = p_bar_t(a, R, g)
    path = instability_path(p, start, 0.0)
    rounds = int(np.argmax(path.deltas >= 1.0)) if np.any(path.deltas >= 1.0) else path.rounds
    if R - 1 < 0.25:
        ex = (f"For γ = 0 the curve passes through "
              f"{pct(float(frontier(0.25, beta=1 / R, gamma=0.0)), 1)} at α = 0.25 and "
              f"{pct(float(frontier(0.5, beta=1 / R, gamma=0.0)), 1)} at α = 0.5 (the paper's "
              "16% and 5.5% for R = 1.05); ")
    else:
        ex = ""
    return {
        "fig2_outcomes": (
            "Figure 2. Outcomes along the shock axis",
            "In the fundamental equilibrium (solid) the asset price decline δ rises smoothly "
            "with the shock τ; with the banks' capital constraint (dashed) it jumps to 100%, a "
            f"systemic banking crisis, once τ exceeds τ* = {pct(th['tau_star'])}. The bottom "
            "panel shows why: bank capital is untouched while losses are small (wealth effects, "
            f"τ < τ_Div = {pct(th['tau_div'])}), then falls one for one with loan losses "
            f"(bank capital absorbs; a capital crunch exists only at δ*, self-fulfilling) and "
            f"is gone at τ_K = {pct(th['tau_K'])}; beyond τ* the crisis is the only "
            f"equilibrium (shaded from τ*, Proposition 4, where the paper's Figure 2 shades "
            f"[τ_Div, τ_K) as a crunch). The price level falls by at most {pct(1 - pfloor, 1)}."),
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
            f"to τ_0 = {pct(th['tau_0'])}, bank dividends up to τ_Div = {pct(th['tau_div'])}, "
            f"bank capital up to τ_K = {pct(th['tau_K'])}; beyond it the banks are insolvent "
            "and depositors lose. The shading boundaries are the closed-form thresholds of "
            "Appendix 2, and λ = max(0, ω − Π) by (16)-(17)."),
        "fig6_t_accounts": (
            "Figure 6. Balance sheet mechanics",
            f"The banking system's T-accounts for a shock τ = {pct(t6)}. Entering t it holds "
            "loans with interest RqH against deposits RD and capital RK. During t new firms "
            "borrow q_t H, households spend s_t, the banks pay dividends and loan losses λ are "
            "written off; old firms' deposits then repay the performing loans. At t+ credit has "
            "shrunk to q_t H, matched by fewer deposits (monetary contraction) and, in this "
            "range, less bank capital. Each account balances."),
        "fig7_financial_extremes": (
            "Figure 7. Financial extremes",
            "Credit demand (1 − δ)qH falls gently with the asset price decline δ. Admissible "
            "lending L(δ) of (26) stays at qH until loan losses exceed normal bank profits "
            f"(δ_Div = {pct(th['delta_div'])}), then falls R/(R − 1) = {R / (R - 1):.0f} times "
            f"as fast and reaches zero at δ_K = {pct(th['delta_K'])}. The two cross twice: the "
            f"capital crunch at δ* = {pct(th['delta_star'])} (open circle, unstable) and the "
            "systemic banking crisis at δ = 100% (filled, stable)."),
        "fig8_instability": (
            "Figure 8. Financial instability",
            f"From a decline just past δ* (δ = {pct(start, 3)}), the loan losses force a "
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


def _figures(cfg: ReportConfig, res: VonPeterResults, progress: Progress | None) -> Section:
    from bsrlab.presentation.figures.vonpeter import (
        FIGURES,
        instability_start,
        t_accounts_shock,
    )

    p = res.params
    t6 = cfg.t_accounts_tau if cfg.t_accounts_tau is not None else t_accounts_shock(p)
    caps = _captions(res, t6, instability_start(p))
    items: list[Item] = []
    for name, func in FIGURES.items():
        if progress is not None:
            progress(f"computing {name}")
        draw = getattr(func, "table", func)  # a plain (Figure, DataFrame) function works too
        fig, data = draw(p, t6) if name == "fig6_t_accounts" else draw(p)
        title, caption = caps[name]
        items.append(FigureItem(name=name, figure=fig, data=data, caption=caption, title=title))
    intro = (
        "<p>Every figure is computed from the model, not drawn by hand. The data behind each "
        "one (the points of every curve and every marked threshold or fixed point) is in the "
        "CSV file of the same name beside this report.</p>")
    return Section("figures", "Figures of the paper", intro, items)


def vonpeter_sections(cfg: ReportConfig, progress: Progress | None = None, *,
                      results: VonPeterResults | None = None) -> list[Section]:
    """The von Peter sections of the report, in order; ``progress`` is called once per figure.

    The model is solved once (:func:`compute`, or ``results`` when given) and every section is
    built from that one result.
    """
    res = compute(cfg) if results is None else results
    return [_calibration(cfg, res), _steady_state(cfg, res), _thresholds(cfg, res),
            _loss_ranges(cfg, res), _equilibria(cfg, res), _vulnerability(cfg, res),
            _figures(cfg, res, progress)]
