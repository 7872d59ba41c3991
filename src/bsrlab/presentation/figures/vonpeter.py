"""The analytical figures of von Peter (2004), computed from the model.

Every function takes scalar :class:`~bsrlab.vonpeter.Params` and returns ``(figure, data)``:
a :class:`matplotlib.figure.Figure` (no pyplot state) and a :class:`pandas.DataFrame` holding the
numbers drawn, so that a user can restyle the figure or check it against the model. Each
function's ``table`` attribute returns the same data as a :class:`~bsrlab.presentation.table.Table`
(what the report writes, without pandas).

Data frames share one layout. The first column, ``element``, says what a row is: ``"curve"`` for
the points of the plotted lines, or the name of a marker (a threshold, a fixed point, a reference
point). Values are in the model's units: declines and shocks as fractions (the axes show them in
percent, i.e. 100 times the stored numbers), money amounts in units of output y at the nominal
anchor p = 1.

================  ==========================================================================
function          paper
================  ==========================================================================
fig2_outcomes     Figure 2, outcomes along the shock axis
fig4_repayment    Figure 4, repayment and default
fig5_balance_...  Figure 5, deteriorating balance sheets (omega, lambda, four ranges)
fig6_t_accounts   Figure 6, balance sheet mechanics (T-accounts at t-, t, t+)
fig7_financial... Figure 7, financial extremes (credit demand vs admissible lending)
fig8_instability  Figure 8, financial instability (the cobweb)
fig9_frontier     Figure 9, the financial stability frontier delta*(alpha)
================  ==========================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import (
    EquilibriumKind,
    Params,
    Regime,
    admissible_lending,
    equilibria,
    frontier,
    instability_path,
    solve,
    steady_state,
    t_accounts,
    thresholds,
)
from bsrlab.models.vonpeter.closed import capital_ratio
from bsrlab.presentation.style import (
    OKABE_ITO,
    RANGE_COLOURS,
    FigureFunction,
    mark_x,
    new_figure,
    pct,
    percent_axis,
    shade,
)
from bsrlab.presentation.style import figure_function as _figure_function
from bsrlab.presentation.table import Table

__all__ = [
    "FIGURES",
    "RANGE_NAMES",
    "fig2_outcomes",
    "fig4_repayment",
    "fig5_balance_sheets",
    "fig6_t_accounts",
    "fig7_financial_extremes",
    "fig8_instability",
    "fig9_frontier",
    "instability_start",
    "t_accounts_shock",
]

C = OKABE_ITO

#: Who bears the losses in each of the four ranges of Proposition 3 (Figure 5).
RANGE_NAMES: tuple[str, ...] = tuple(r.text for r in Regime)


def _scalar(params: Params) -> tuple[float, float, float, float]:
    """(alpha, R, gamma, y) as floats; the figures need one calibration."""
    if not params.is_scalar:
        raise ParameterError("params", "scalar parameters for a figure", f"shape {params.shape}")
    return (float(np.asarray(params.alpha)), float(params.R), float(np.asarray(params.gamma)),
            float(np.asarray(params.y)))


def _frame(curve: dict[str, Any], markers: Sequence[dict[str, Any]] = ()) -> Table:
    """One table: the curve's points (element ``curve``) followed by marker rows."""
    cur = Table(curve)
    cur.insert(0, "element", "curve")
    if not markers:
        return cur
    return Table.concat([cur, Table.from_records(list(markers))])


def _zoom(x: float, factor: float = 2.0) -> float:
    """A round axis limit about ``factor`` times ``x`` (in steps of 2%), at most 1."""
    return min(1.0, math.ceil(factor * x * 50.0) / 50.0)


def _grid(lo: float, hi: float, n: int, extra: Sequence[float]) -> np.ndarray:
    """A uniform grid on [lo, hi] that also holds the points ``extra`` (those within range)."""
    pts = [v for v in extra if lo <= v <= hi]
    return np.unique(np.concatenate([np.linspace(lo, hi, n), np.asarray(pts, dtype=float)]))


# --------------------------------------------------------------------------------------------
# Figure 2
# --------------------------------------------------------------------------------------------

@_figure_function
def fig2_outcomes(params: Params, *, tau_max: float | None = None,
                  n: int = 801) -> tuple[Figure, Table]:
    """Figure 2: the outcomes along the shock axis.

    Three ranges of the shock tau: *wealth effects* [0, tau_Div) (losses pass through as monetary
    contraction, bank capital intact), *bank capital absorbs* [tau_Div, tau*) (loan losses deplete
    bank capital; a capital crunch exists only at delta*, self-fulfilling, Proposition 4) and
    *banking crisis* [tau*, 1] (beyond tau* the crisis is the only equilibrium, Proposition 4).
    The paper's Figure 2 shades [tau_Div, tau_K) as "capital crunch"; by Proposition 4 a crunch
    exists only at delta* and tau > tau* is a crisis, so the ranges here end at tau*.
    The top panel draws the asset price decline in the fundamental equilibrium and with the capital
    constraint (beyond tau* the only equilibrium is the crisis, delta = 1); the bottom panel draws
    bank capital K_t/K and the price level p_t in percent of the steady state.

    Data columns: ``tau``, ``delta_fundamental``, ``delta_constrained``, ``bank_capital_ratio``
    (K_t/K), ``p_t``, ``range``; markers ``tau_div``, ``tau_star``, ``tau_K`` (column ``tau``).
    """
    _scalar(params)
    th = thresholds(params)
    t0, tdiv, ts, tK = (float(th.tau_0), float(th.tau_div), float(th.tau_star), float(th.tau_K))
    xmax = tau_max if tau_max is not None else _zoom(tK)
    tau = _grid(0.0, xmax, n, [t0, tdiv, ts, tK])
    sol = solve(params, tau)
    K = float(steady_state(params).bank_capital)
    d_fund = sol.delta
    d_con = np.where(tau <= ts, d_fund, 1.0)
    kratio = sol.bank_capital_t / K
    names = ("wealth effects", Regime.CAPITAL_ABSORBS.text, "banking crisis")
    rng = np.where(tau < tdiv, names[0], np.where(tau < ts, names[1], names[2]))

    fig = new_figure(6.6, left=0.9, right=0.25, top=0.3, bottom=0.55, hspace=0.4, nrows=2)
    top, bot = fig.subplots(2, 1, sharex=True, height_ratios=(1.15, 1.0))
    bounds = [(0.0, tdiv), (tdiv, ts), (ts, xmax)]
    cols = (RANGE_COLOURS[0], RANGE_COLOURS[2], RANGE_COLOURS[3])
    for ax in (top, bot):
        for (lo, hi), col in zip(bounds, cols, strict=True):
            shade(ax, 100 * lo, 100 * min(hi, xmax), col)
    for (lo, hi), name in zip(bounds, names, strict=True):
        if min(hi, xmax) - lo < 0.2 * xmax:  # a narrow band: label it beside, with an arrow
            top.annotate(name, xy=(100 * (lo + min(hi, xmax)) / 2, 0.8),
                         xycoords=top.get_xaxis_transform(), xytext=(14, 0),
                         textcoords="offset points", ha="left", va="center", fontsize=11.5,
                         fontweight="bold", color="#222222",
                         arrowprops={"arrowstyle": "->", "color": "#222222", "lw": 1.0})
            continue
        top.text(100 * (lo + min(hi, xmax)) / 2, 0.985, name, transform=top.get_xaxis_transform(),
                 ha="center", va="top", fontsize=11.5, fontweight="bold", color="#222222")
    top.plot(100 * tau, 100 * d_fund, color=C["blue"], label="fundamental decline δ(τ)")
    jump = tau > ts
    top.plot(100 * tau[~jump], 100 * d_con[~jump], color=C["vermillion"], ls=(0, (5, 2)),
             label="with the capital constraint")
    top.plot(100 * tau[jump], 100 * d_con[jump], color=C["vermillion"], ls=(0, (5, 2)))
    top.plot([100 * ts, 100 * ts], [100 * float(np.interp(ts, tau, d_fund)), 100.0],
             color=C["vermillion"], lw=1.0, ls=":")
    top.set_ylim(0, 112)
    top.set_ylabel("asset price decline δ")
    percent_axis(top, "y")
    top.legend(loc="center right")
    mark_x(top, 100 * ts, "τ*")

    bot.plot(100 * tau, 100 * kratio, color=C["green"], label="bank capital K\u209c/K")
    bot.plot(100 * tau, 100 * sol.p_t, color=C["purple"], ls=(0, (6, 2, 1, 2)),
             label="price level p\u209c")
    bot.axhline(0.0, color="#555555", lw=0.8)
    bot.set_ylabel("% of steady state")
    bot.set_xlabel("productivity shock τ")
    percent_axis(bot, "x")
    bot.set_xlim(0, 100 * xmax)
    bot.legend(loc="lower left")
    for x, sub in ((tdiv, "Div"), (tK, "K")):
        mark_x(bot, 100 * x, "τ", sub=sub)

    data = _frame(
        {"tau": tau, "delta_fundamental": d_fund, "delta_constrained": d_con,
         "bank_capital_ratio": kratio, "p_t": sol.p_t, "range": rng},
        [{"element": "tau_div", "tau": tdiv}, {"element": "tau_star", "tau": ts},
         {"element": "tau_K", "tau": tK}])
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 4
# --------------------------------------------------------------------------------------------

@_figure_function
def fig4_repayment(params: Params, *, n: int = 601) -> tuple[Figure, Table]:
    """Figure 4: repayment and default, against old firms' receipts p_t y + q_t H.

    Firms owe R qH. Receipts above R qH repay in full and leave profits Pi_t = receipts - R qH (the
    steady state, receipts y + qH, leaves Pi); below the default point R qH firms default on
    lambda = R qH - receipts and keep nothing. Dotted lines: the loan losses that exhaust normal
    bank profits, (R - 1)K, and bank capital with interest, R K.

    Data columns: ``receipts``, ``firm_profits``, ``loan_losses``, ``repayment``; markers
    ``default_point``, ``steady_state``, ``dividend_limit``, ``capital_limit``.
    """
    a, R, _g, y = _scalar(params)
    ss = steady_state(params)
    qH, K, Pi = float(ss.asset_value), float(ss.bank_capital), float(ss.firm_profits)
    Div = float(ss.bank_dividends)  # normal bank profits (R - 1)K
    owed = R * qH
    lo, hi = owed - 1.6 * R * K, y + qH + 0.5 * Pi
    x = _grid(lo, hi, n, [owed, y + qH, owed - Div, owed - R * K])
    profits = np.maximum(x - owed, 0.0)
    losses = np.maximum(owed - x, 0.0)
    repay = np.minimum(x, owed)

    fig = new_figure(5.0, left=0.8, right=0.2, top=0.15, bottom=0.55)
    ax = fig.subplots()
    ax.plot(x, profits, color=C["blue"], label="firms' profits Π\u209c")
    ax.plot(x, losses, color=C["vermillion"], ls=(0, (5, 2)), label="loan losses λ")
    # labels beside the default point go to its right unless it lies far right (the margins
    # are fixed: a label running past the axes would be cut at the figure's edge)
    at = (owed - lo) / (hi - lo)
    for level, lab, col in ((Div, "(R − 1)K: normal bank profits", C["green"]),
                            (R * K, "RK: bank capital with interest", C["orange"])):
        ax.axhline(level, color=col, lw=1.3, ls=":")
        x_lab, ha = owed + 0.01 * (hi - lo), "left"
        if level <= 0.5 * R * K:
            x_lab = lo + 0.01 * (hi - lo)
        elif at > 0.6:
            x_lab, ha = owed - 0.01 * (hi - lo), "right"
        ax.annotate(lab, xy=(x_lab, level), xytext=(0, 3),
                    textcoords="offset points", ha=ha, va="bottom", fontsize=10.5,
                    color="#333333")
    ax.axvline(owed, color="#333333", lw=1.1, ls=(0, (4, 3)))
    right = at <= 0.8
    ax.annotate("default point\nRqH", xy=(owed, 0.0), xytext=(8 if right else -8, 70),
                textcoords="offset points", ha="left" if right else "right", fontsize=11,
                arrowprops={"arrowstyle": "->", "color": "#333333"})
    ax.plot([owed], [0.0], "o", color="#000000", ms=7, zorder=4)
    ss_x = y + qH
    for dx in (-0.004, 0.004):
        ax.axvline(ss_x + dx * (hi - lo), color=C["black"], lw=1.0)
    ax.annotate("steady state\ny + qH, profits Π", xy=(ss_x, Pi),
                xytext=(-10, 28), textcoords="offset points", ha="right", fontsize=11,
                arrowprops={"arrowstyle": "->", "color": "#333333"})
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 1.6 * R * K * 1.12)
    ax.set_xlabel("old firms' receipts p\u209cy + q\u209cH")
    ax.set_ylabel("payoff (units of output y)")
    ax.legend(loc="upper center")
    data = _frame(
        {"receipts": x, "firm_profits": profits, "loan_losses": losses, "repayment": repay},
        [{"element": "default_point", "receipts": owed, "firm_profits": 0.0, "loan_losses": 0.0},
         {"element": "steady_state", "receipts": ss_x, "firm_profits": Pi, "loan_losses": 0.0},
         {"element": "dividend_limit", "receipts": owed - Div, "firm_profits": 0.0,
          "loan_losses": Div},
         {"element": "capital_limit", "receipts": owed - R * K, "firm_profits": 0.0,
          "loan_losses": R * K}])
    del a
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 5
# --------------------------------------------------------------------------------------------

@_figure_function
def fig5_balance_sheets(params: Params, *, tau_max: float | None = None,
                        n: int = 801) -> tuple[Figure, Table]:
    """Figure 5: total losses omega and loan losses lambda against the shock tau.

    The four loss-bearing ranges of Proposition 3 are shaded; their boundaries are the thresholds
    tau_0 (firms start to default: omega = Pi), tau_Div (lambda = (R-1)K) and tau_K (lambda = R K).

    Data columns: ``tau``, ``total_losses`` (omega), ``loan_losses`` (lambda), ``range``;
    markers ``tau_0``, ``tau_div``, ``tau_K`` with the losses there.
    """
    _scalar(params)
    th = thresholds(params)
    ss = steady_state(params)
    t0, tdiv, tK = float(th.tau_0), float(th.tau_div), float(th.tau_K)
    xmax = tau_max if tau_max is not None else _zoom(tK)
    tau = _grid(0.0, xmax, n, [t0, tdiv, tK])
    sol = solve(params, tau)
    Pi, K, R = float(ss.firm_profits), float(ss.bank_capital), float(params.R)
    bounds = (0.0, t0, tdiv, tK, xmax)
    idx = np.searchsorted(np.array(bounds[1:4]), tau, side="right")
    rng = np.array(RANGE_NAMES)[idx]

    fig = new_figure(5.2, left=0.85, right=0.25, top=0.3, bottom=0.55)
    ax = fig.subplots()
    for i, name in enumerate(RANGE_NAMES):
        shade(ax, 100 * bounds[i], 100 * bounds[i + 1], RANGE_COLOURS[i], label=name,
              alpha=0.22)
    ax.plot(100 * tau, sol.total_losses, color=C["blue"], label="total losses ω")
    ax.plot(100 * tau, sol.loan_losses, color=C["vermillion"], ls=(0, (5, 2)),
            label="loan losses λ")
    for level, lab in ((Pi, "Π (firms' profits)"),
                       (Pi + R * K, "Π + RK (profits and bank capital)")):
        ax.axhline(level, color="#777777", lw=0.9, ls=":")
        ax.annotate(lab, xy=(0.0, level), xytext=(4, 2), textcoords="offset points",
                    ha="left", va="bottom", fontsize=10.5, color="#333333")
    mark_x(ax, 100 * t0, "τ", sub="0", ha="right")
    mark_x(ax, 100 * tdiv, "τ", sub="Div", ha="left")
    mark_x(ax, 100 * tK, "τ", sub="K")
    ax.set_xlim(0, 100 * xmax)
    ax.set_ylim(0, None)
    ax.set_xlabel("productivity shock τ")
    ax.set_ylabel("losses (units of output y)")
    percent_axis(ax, "x")
    ax.legend(loc="upper left", ncols=2, bbox_to_anchor=(0.0, 1.0))
    at = solve(params, np.array([t0, tdiv, tK]))
    data = _frame(
        {"tau": tau, "total_losses": sol.total_losses, "loan_losses": sol.loan_losses,
         "range": rng},
        [{"element": name, "tau": t, "total_losses": float(w), "loan_losses": float(lam)}
         for name, t, w, lam in zip(("tau_0", "tau_div", "tau_K"), (t0, tdiv, tK),
                                    at.total_losses, at.loan_losses, strict=True)])
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 6
# --------------------------------------------------------------------------------------------

def t_accounts_shock(params: Params) -> float:
    """The default shock of Figure 6: mid-way through the range where bank capital absorbs."""
    th = thresholds(params)
    return float((th.tau_div + th.tau_K) / 2.0)


def _plain(symbol: str) -> str:
    """A T-account symbol of the model (``R qH - lambda``, ``q_t H``) in plain Unicode text."""
    s = symbol.replace("lambda", "λ").replace("_t", "\u209c").replace(" - ", " − ")
    # juxtaposed factors close up (R qH -> RqH); spaces around + and − stay
    return re.sub(r"(?<=[^\s+−=])\s(?=[^\s+−=])", "", s)


#: Gap between two T-accounts of Figure 6, inches.
_T_GAP_IN = 0.18

_STAGES = (("t-", "t\u207b", "entering t"), ("t4", "t", "after the four transactions"),
           ("t+", "t\u207a", "carried to t + 1"))


@_figure_function
def fig6_t_accounts(params: Params, tau: float | None = None) -> tuple[Figure, Table]:
    """Figure 6: the banking system's T-accounts at t-, t and t+ for the shock ``tau``.

    Default ``tau``: :func:`t_accounts_shock` (bank capital absorbs part of the losses, so every
    entry is visible). Each account balances: assets equal liabilities.

    Data columns: ``stage`` (``t-``, ``t``, ``t+``), ``side``, ``entry``, ``symbol``, ``value``.
    """
    _scalar(params)
    t = t_accounts_shock(params) if tau is None else float(tau)
    accs = t_accounts(params, t)
    # the three accounts share one axes (no frame): account k spans x in [k(1 + g), k(1 + g) + 1]
    fig = new_figure(3.9, left=0.04, right=0.04, top=0.29, bottom=0.04)
    ax = fig.subplots()
    ax.set_axis_off()
    width = (float(fig.get_figwidth()) - 0.08 - 2 * _T_GAP_IN) / 3  # one account, inches
    step = 1.0 + _T_GAP_IN / width
    ax.set_xlim(0, 2 * step + 1)
    ax.set_ylim(0, 1)
    rows = []
    for i, (stage, label, sub) in enumerate(_STAGES):
        acc = accs[stage]
        o = i * step
        ax.text(o + 0.5, 0.98, label, ha="center", va="top", fontsize=15, fontweight="bold")
        ax.text(o + 0.5, 0.85, sub, ha="center", va="top", fontsize=10.5, color="#444444")
        ax.text(o + 0.25, 0.72, "assets", ha="center", va="center", fontsize=11,
                color="#444444")
        ax.text(o + 0.75, 0.72, "liabilities", ha="center", va="center", fontsize=11,
                color="#444444")
        ax.plot([o + 0.05, o + 0.95], [0.66, 0.66], color="#000000", lw=1.6)
        ax.plot([o + 0.5, o + 0.5], [0.66, 0.08], color="#000000", lw=1.6)
        for side, entries, x0 in (("assets", acc.assets, o + 0.03),
                                  ("liabilities", acc.liabilities, o + 0.53)):
            for k, (name, sym, val) in enumerate(entries):
                yk = 0.58 - 0.18 * k
                ax.text(x0, yk, _plain(sym), ha="left", va="center", fontsize=11.5)
                ax.text(x0 + 0.44, yk - 0.075, f"{val:.3f}", ha="right", va="center",
                        fontsize=10.5, color="#333333")
                rows.append({"stage": "t" if stage == "t4" else stage, "side": side,
                             "entry": name, "symbol": sym, "value": val})
        ax.text(o + 0.03, 0.02, f"total {acc.total_assets:.3f}", ha="left", va="bottom",
                fontsize=10, color="#555555")
        ax.text(o + 0.53, 0.02, f"total {acc.total_liabilities:.3f}", ha="left", va="bottom",
                fontsize=10, color="#555555")
    for xa in (1 / 3, 2 / 3):
        fig.text(xa, 0.8, "\u2192", ha="center", va="center", fontsize=24, color=C["blue"])
    fig.suptitle(f"shock τ = {pct(t)}; values in units of output y", fontsize=11,
                 color="#444444")
    data = Table.from_records(rows)
    data.insert(0, "element", "entry")
    data["tau"] = t
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 7
# --------------------------------------------------------------------------------------------

@_figure_function
def fig7_financial_extremes(params: Params, *, n: int = 1001) -> tuple[Figure, Table]:
    """Figure 7: credit demand (1 - delta) qH and admissible lending L(delta) of (26).

    Both in percent of steady-state lending qH. Their intersections are the capital-constrained
    equilibria: the capital crunch at delta = delta* (unstable) and the systemic banking crisis at
    delta = 1 (stable), taken from :func:`bsrlab.vonpeter.equilibria`.

    Data columns: ``delta``, ``credit_demand``, ``admissible_lending`` (both / qH); markers
    ``capital_crunch`` and ``banking_crisis`` (the fixed points), ``delta_div``, ``delta_K``.
    """
    _scalar(params)
    th = thresholds(params)
    qH = float(steady_state(params).asset_value)
    ds, ddiv, dK = float(th.delta_star), float(th.delta_div), float(th.delta_K)
    d = _grid(0.0, 1.0, n, [ds, ddiv, dK])
    demand = 1.0 - d
    lend = admissible_lending(params, d) / qH
    fixed = [e for e in equilibria(params, 0.0) if e.kind is not EquilibriumKind.FUNDAMENTAL]

    fig = new_figure(4.8, left=0.85, right=0.15, top=0.55, bottom=0.55, wspace=0.8, ncols=2)
    axes = fig.subplots(1, 2, width_ratios=(1.0, 1.0))
    zoom = _zoom(dK, 1.6)
    for ax, xmax in zip(axes, (1.0, zoom), strict=True):
        ax.plot(100 * d, 100 * demand, color=C["blue"], label="credit demand (1 − δ)qH")
        ax.plot(100 * d, 100 * lend, color=C["vermillion"], lw=3.2, alpha=0.9,
                label="admissible lending L(δ)")
        for e in fixed:
            stable = e.kind is EquilibriumKind.BANKING_CRISIS
            yv = 100 * (1.0 - e.delta)
            ax.plot([100 * e.delta], [yv], "o", ms=10, zorder=5, mec="#000000", mew=1.6,
                    mfc="#000000" if stable else "white")
        ax.set_xlim(0, 100 * xmax * 1.02)
        ax.set_ylim(-4, 108)
        ax.set_xlabel("asset price decline δ")
        percent_axis(ax)
    axes[0].set_ylabel("% of steady-state lending qH")
    axes[0].legend(loc="upper right")
    axes[0].set_title("(a) the whole range", fontsize=12, pad=22)
    axes[1].set_title("(b) around δ*", fontsize=12, pad=22)
    axes[1].annotate("capital crunch\nδ* (unstable)", xy=(100 * ds, 100 * (1 - ds)),
                     xytext=(100 * (dK + 0.08 * (zoom - dK)), 55), fontsize=11,
                     arrowprops={"arrowstyle": "->", "color": "#333333"})
    axes[0].annotate("banking crisis\nδ = 1 (stable)", xy=(100.0, 0.0),
                     xytext=(48, 12), fontsize=11,
                     arrowprops={"arrowstyle": "->", "color": "#333333"})
    mark_x(axes[1], 100 * ddiv, "δ", sub="Div", ha="right")
    mark_x(axes[1], 100 * dK, "δ", sub="K")
    markers = [{"element": e.kind.value, "delta": e.delta, "credit_demand": 1.0 - e.delta,
                "admissible_lending": float(admissible_lending(params, e.delta)) / qH}
               for e in fixed]
    markers += [{"element": "delta_div", "delta": ddiv}, {"element": "delta_K", "delta": dK}]
    data = _frame({"delta": d, "credit_demand": demand, "admissible_lending": lend}, markers)
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 8
# --------------------------------------------------------------------------------------------

def instability_start(params: Params) -> float:
    """Default start of Figure 8, just past delta*: a gap to delta* of (R-1)/(2R) of the way to
    delta_K, so the cobweb shows three rounds before credit collapses."""
    th = thresholds(params)
    R = float(params.R)
    return float(th.delta_star + 0.5 * capital_ratio(R) * (th.delta_K - th.delta_star))


@_figure_function
def fig8_instability(params: Params, start: float | None = None, *,
                     n: int = 1001) -> tuple[Figure, Table]:
    """Figure 8: the instability process as a cobweb.

    The map delta -> 1 - L(delta)/qH is the credit contraction the capital constraint requires
    after the loan losses of the decline delta; the asset price then falls by as much (the 45-degree
    line). From a start just past delta* (default :func:`instability_start`) the gap to delta*
    grows R/(R-1)-fold each round until credit collapses (delta = 1). The path is
    :func:`bsrlab.vonpeter.instability_path` (tau = 0).

    Data columns: ``delta``, ``contraction`` (the map), for element ``curve``; element ``path``
    rows hold ``round``, ``delta`` and ``contraction`` (the next decline); markers
    ``capital_crunch`` and ``banking_crisis``.
    """
    _scalar(params)
    th = thresholds(params)
    qH = float(steady_state(params).asset_value)
    ds, dK = float(th.delta_star), float(th.delta_K)
    s = instability_start(params) if start is None else float(start)
    path = instability_path(params, s, 0.0)
    d = _grid(0.0, 1.0, n, [ds, float(th.delta_div), dK])
    contraction = 1.0 - admissible_lending(params, d) / qH
    pd_ = path.deltas
    nxt = 1.0 - path.lending / qH

    fig = new_figure(4.8, left=0.95, right=0.3, top=0.4, bottom=0.55, wspace=0.85, ncols=2)
    axes = fig.subplots(1, 2)
    zoom = _zoom(dK, 1.3)
    xs, ys = [pd_[0]], [pd_[0]]
    for k in range(len(pd_) - 1):
        xs += [pd_[k], pd_[k + 1]]
        ys += [pd_[k + 1], pd_[k + 1]]
    xs_a, ys_a = 100 * np.asarray(xs), 100 * np.asarray(ys)
    for ax, lim in zip(axes, (zoom, 1.0), strict=True):
        ax.plot([0, 100], [0, 100], color="#555555", lw=1.2, label="45° line")
        ax.plot(100 * d, 100 * contraction, color=C["vermillion"], lw=2.6,
                label="credit contraction 1 − L(δ)/qH")
        ax.plot(xs_a, ys_a, color=C["blue"], lw=1.6, marker=".", ms=6,
                label="instability process")
        ax.plot([100 * ds], [100 * ds], "o", ms=9, mfc="white", mec="#000000", mew=1.5, zorder=5)
        ax.plot([100.0], [100.0], "o", ms=9, mfc="#000000", mec="#000000", zorder=5)
        ax.set_xlim(0, 100 * lim)
        ax.set_ylim(0, 100 * lim * 1.04)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("asset price decline δ\u2099")
        percent_axis(ax)
    axes[0].set_ylabel("next decline δ\u2099\u208a\u2081")
    axes[0].set_title("(a) around δ*", fontsize=12)
    axes[1].set_title("(b) the whole range", fontsize=12)
    axes[0].annotate("δ*", xy=(100 * ds, 100 * ds), xytext=(-22, 8),
                     textcoords="offset points", fontsize=12)
    axes[0].annotate("start", xy=(100 * s, 100 * s), xytext=(8, -18),
                     textcoords="offset points", fontsize=11)
    exits = [k for k in range(len(pd_) - 1) if pd_[k] < zoom <= pd_[k + 1]]
    if exits:
        axes[0].annotate("on to\nδ = 1", xy=(100 * pd_[exits[0]], 100 * zoom),
                         xytext=(8, -40), textcoords="offset points", fontsize=11,
                         color=C["blue"])
    axes[1].annotate("banking crisis", xy=(100.0, 100.0), xytext=(38, 84), fontsize=11,
                     arrowprops={"arrowstyle": "->", "color": "#333333"})
    axes[1].legend(loc="lower right", fontsize=9.5)
    path_rows = [{"element": "path", "round": k, "delta": float(pd_[k]),
                  "contraction": float(nxt[k])} for k in range(len(pd_))]
    markers = [*path_rows,
               {"element": EquilibriumKind.CAPITAL_CRUNCH.label, "delta": ds, "contraction": ds},
               {"element": EquilibriumKind.BANKING_CRISIS.label, "delta": 1.0,
                "contraction": 1.0}]
    data = _frame({"delta": d, "contraction": contraction}, markers)
    return fig, data


# --------------------------------------------------------------------------------------------
# Figure 9
# --------------------------------------------------------------------------------------------

FRONTIER_GAMMAS: tuple[float, ...] = (0.0, 0.1, 0.25, 0.5)


@_figure_function
def fig9_frontier(params: Params, *, gammas: Sequence[float] | None = None,
                  n: int = 400) -> tuple[Figure, Table]:
    """Figure 9: the financial stability frontier delta*(alpha) of (28), one curve per gamma.

    Declines above the curve set off financial instability. Default curves: gamma in
    :data:`FRONTIER_GAMMAS` plus the calibration's gamma. Markers: the paper's example points
    (gamma = 0: alpha = 0.25 and 0.5, Section 4.2) and the calibration itself.

    Data columns: ``gamma``, ``alpha``, ``delta_star``.
    """
    a, R, g, _y = _scalar(params)
    beta = 1.0 / R
    gs = sorted({*(FRONTIER_GAMMAS if gammas is None else gammas), g})
    lo = R - 1.0
    alpha = _grid(lo + 1e-3, 0.999, n, [0.25, 0.5, a])
    rows_g, rows_a, rows_d = [], [], []
    fig = new_figure(5.2, left=0.85, right=0.2, top=0.15, bottom=0.55)
    ax = fig.subplots()
    styles = ["-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (3, 1))]
    palette = [C["blue"], C["vermillion"], C["green"], C["purple"], C["orange"], C["sky_blue"]]
    for i, gv in enumerate(gs):
        ds = frontier(alpha, beta=beta, gamma=gv)
        ax.plot(100 * alpha, 100 * ds, color=palette[i % len(palette)],
                ls=styles[i % len(styles)], label=f"γ = {gv:g}")
        rows_g.append(np.full(alpha.size, gv))
        rows_a.append(alpha)
        rows_d.append(ds)
    markers: list[dict[str, Any]] = []
    if 0.0 in gs:
        for av in (0.25, 0.5):
            if lo < av < 1.0:
                dv = float(frontier(av, beta=beta, gamma=0.0))
                markers.append({"element": "paper_example", "gamma": 0.0, "alpha": av,
                                "delta_star": dv})
                ax.plot([100 * av], [100 * dv], "s", ms=8, color="#000000", zorder=5)
                ax.annotate(pct(dv, 1), xy=(100 * av, 100 * dv), xytext=(6, 6),
                            textcoords="offset points", fontsize=11)
    dv = float(frontier(a, beta=beta, gamma=g))
    markers.append({"element": "calibration", "gamma": g, "alpha": a, "delta_star": dv})
    ax.plot([100 * a], [100 * dv], "D", ms=8, mfc=C["yellow"], mec="#000000", zorder=6,
            label="this calibration")
    ax.text(0.97, 0.93, "financial instability above the frontier", transform=ax.transAxes,
            ha="right", va="top", fontsize=11, color="#333333")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("leverage α (output elasticity of assets)")
    ax.set_ylabel("critical decline δ*(α)")
    percent_axis(ax, "y")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v / 100:g}")
    ax.legend(loc="center right", title=f"R = {R:g}")
    data = _frame({"gamma": np.concatenate(rows_g), "alpha": np.concatenate(rows_a),
                   "delta_star": np.concatenate(rows_d)}, markers)
    return fig, data


#: Every figure function by its file stem, in the paper's order.
FIGURES: dict[str, FigureFunction[...]] = {
    "fig2_outcomes": fig2_outcomes,
    "fig4_repayment": fig4_repayment,
    "fig5_balance_sheets": fig5_balance_sheets,
    "fig6_t_accounts": fig6_t_accounts,
    "fig7_financial_extremes": fig7_financial_extremes,
    "fig8_instability": fig8_instability,
    "fig9_frontier": fig9_frontier,
}
