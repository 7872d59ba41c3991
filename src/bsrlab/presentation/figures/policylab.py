"""Figures of the von Peter policy lab (Section 4 of the paper, computed).

Every function takes scalar :class:`~bsrlab.models.vonpeter.Params` and returns ``(figure,
data)``: a :class:`matplotlib.figure.Figure` and a :class:`pandas.DataFrame` of the numbers drawn
(first column ``element``: ``curve`` or the name of a marker), declines and shocks as fractions.

====================== ======================================================================
function               what it shows
====================== ======================================================================
frontier_policies      the frontier delta*(alpha) without policy and with each instrument
injection_threshold    delta*(X) against the injection X, the minimum injection marked
requirement_threshold  delta*(kappa) for both variants of a capital requirement
recap_regime_map       the outcome over (tau, injection X)
shock_sequence         capital and thresholds over a sequence of shocks
recap_t_accounts       the bank's balance sheet after the losses, with each funding
====================== ======================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import Params, closed, solve
from bsrlab.models.vonpeter.allocation import allocations
from bsrlab.models.vonpeter.policy import (
    crunch_decline,
    delta_star_ratio,
    delta_star_requirement,
    delta_star_spread,
    minimum_injection,
    tau_star_injection,
)
from bsrlab.models.vonpeter.shocks import shock_path
from bsrlab.presentation.style import OKABE_ITO, new_figure, percent_axis, styled

__all__ = [
    "FIGURES",
    "frontier_policies",
    "injection_threshold",
    "recap_regime_map",
    "recap_t_accounts",
    "requirement_threshold",
    "shock_sequence",
]

C = OKABE_ITO


def _scalar(params: Params) -> None:
    if not params.is_scalar:
        raise ParameterError("params", "scalar parameters for a figure", f"shape {params.shape}")


def _frame(curve: dict[str, Any], markers: Sequence[dict[str, Any]] = ()) -> pd.DataFrame:
    cur = pd.DataFrame(curve)
    cur.insert(0, "element", "curve")
    if not markers:
        return cur
    mk = pd.DataFrame(list(markers))
    return pd.concat([cur, mk], ignore_index=True)


@styled
def frontier_policies(params: Params, *, injection: float = 0.1, kappa: float = 0.02,
                      spread: float = 0.01, R_new: float | None = None, rate: float | None = None,
                      n: int = 201) -> tuple[Figure, pd.DataFrame]:
    """The financial stability frontier delta*(alpha) without policy and with each instrument.

    Curves: none (28); an injection X (delta* + R X/qH); a requirement kappa with the paper's
    capital; a loan spread m; a higher rate R (pre-emptive tightening, only where alpha > R - 1);
    a policy rate at t. Data columns ``alpha`` and one column per curve (NaN where undefined).
    """
    _scalar(params)
    R, g = float(params.R), float(params.g)
    Rn = R_new if R_new is not None else R + 0.01
    Rt = rate if rate is not None else 1.0 + 0.6 * (R - 1.0)
    a = np.linspace(max(R, Rn) - 1.0 + 1e-3, 0.95, n)
    p = Params.from_R(alpha=a, R=R, gamma=g)
    curves: dict[str, np.ndarray] = {
        "none": closed.delta_star(a, R, g),
        "injection": crunch_decline(p, injection=injection),
        "requirement": delta_star_requirement(p, kappa),
        "spread": np.where(a > R + spread - 1.0, delta_star_spread(
            Params.from_R(alpha=np.maximum(a, R + spread - 1.0 + 1e-9), R=R, gamma=g), spread),
            np.nan),
        "tightening": closed.delta_star(a, Rn, g),
        "rate_cut": crunch_decline(p, rate=Rt),
    }
    labels = {"none": "no policy (28)", "injection": f"injection X = {injection:g} y",
              "requirement": f"requirement κ = {100 * kappa:g}%",
              "spread": f"loan spread m = {100 * spread:g} pp",
              "tightening": f"tightening: R = {Rn:.4g}",
              "rate_cut": f"rate at t: R_t = {Rt:.4g}"}
    styles = {"none": ("-", C["black"]), "injection": ("--", C["blue"]),
              "requirement": ("-.", C["vermillion"]), "spread": (":", C["green"]),
              "tightening": ((0, (6, 2, 1, 2)), C["purple"]),
              "rate_cut": ((0, (2, 1)), C["orange"])}
    fig = new_figure(4.6, left=0.9, right=0.25, top=0.3, bottom=0.6)
    ax = fig.subplots()
    for key, y in curves.items():
        ls, col = styles[key]
        ax.plot(a, 100 * np.minimum(y, 1.0), ls=ls, color=col, label=labels[key])
    ax.set_xlabel("output elasticity of assets α (higher: more leverage)")
    ax.set_ylabel("critical decline δ*")
    ax.set_ylim(0, min(100.0, 100 * float(np.nanmax(np.minimum(curves["requirement"], 1)))
                       * 1.05))
    percent_axis(ax, "y")
    ax.legend(loc="upper right")
    return fig, _frame({"alpha": a, **curves})


@styled
def injection_threshold(params: Params, tau: float, *, x_max: float | None = None,
                        n: int = 201) -> tuple[Figure, pd.DataFrame]:
    """delta*(X) = delta* + R X/qH against the injection X, with the decline delta(tau) and the
    minimum injection X_min where the two meet. Columns ``injection``, ``delta_star_after``;
    markers ``minimum_injection`` (``injection``) and ``delta`` (``delta_star_after``)."""
    _scalar(params)
    xmin = float(minimum_injection(params, tau))
    d = float(solve(params, tau).delta)
    top = x_max if x_max is not None else max(2.0 * xmin, 0.05)
    X = np.linspace(0.0, top, n)
    ds = crunch_decline(params, injection=X)
    fig = new_figure(4.2, left=0.9, right=0.25, top=0.3, bottom=0.6)
    ax = fig.subplots()
    ax.plot(X, 100 * ds, color=C["blue"], label="crunch decline δ*(X) = δ* + RX/qH")
    ax.axhline(100 * d, color=C["vermillion"], ls="--", label=f"decline δ(τ) at τ = {tau:g}")
    ax.axvline(xmin, color="#333333", ls=(0, (4, 3)), lw=1.1)
    ax.plot([xmin], [100 * max(d, float(ds[0]))], "o", color="#333333", ms=7)
    ax.annotate(f"minimum injection X = {xmin:.3g} y", xy=(xmin, 100 * max(d, float(ds[0]))),
                xytext=(8, -16), textcoords="offset points", fontsize=11)
    ax.fill_between(X, 100 * ds, 100 * d, where=ds < d, color=C["vermillion"], alpha=0.12,
                    lw=0, label="crisis only (δ(τ) above δ*(X))")
    ax.set_xlabel("capital injected at t, X (units of y)")
    ax.set_ylabel("asset price decline")
    percent_axis(ax, "y")
    ax.legend(loc="lower right")
    return fig, _frame({"injection": X, "delta_star_after": ds},
                       [{"element": "minimum_injection", "injection": xmin},
                        {"element": "delta", "delta_star_after": d}])


@styled
def requirement_threshold(params: Params, *, n: int = 201) -> tuple[Figure, pd.DataFrame]:
    """delta*(kappa) in both variants: a requirement with the paper's capital (fixed-capital),
    and a capital ratio the banks hold and keep (ratio). The paper's kappa = (R - 1)/R is marked.
    Columns ``kappa``, ``fixed_capital``, ``ratio``; marker ``paper``."""
    _scalar(params)
    R = float(params.R)
    kr = (R - 1.0) / R
    k = np.linspace(kr / 50.0, kr, n)
    fixed = delta_star_requirement(params, k)
    k2 = np.linspace(kr / 50.0, min(0.3, 4 * kr), n)
    ratio = delta_star_ratio(params, k2)
    fig = new_figure(4.2, left=0.9, right=0.25, top=0.3, bottom=0.6)
    ax = fig.subplots()
    ax.plot(100 * k, 100 * fixed, color=C["vermillion"],
            label="requirement κ, the paper's bank capital (fixed-capital)")
    ax.plot(100 * k2, 100 * ratio, color=C["blue"], ls="--",
            label="banks hold and keep the ratio κ (ratio)")
    ds = float(closed.delta_star(params.a, params.R, params.g))
    ax.plot([100 * kr], [100 * ds], "o", color="#333333", ms=7)
    ax.annotate(f"the paper: κ = (R−1)/R, δ* = {100 * ds:.2f}%", xy=(100 * kr, 100 * ds),
                xytext=(14, -24), textcoords="offset points", fontsize=11,
                arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.8})
    ax.set_xlabel("capital requirement κ")
    ax.set_ylabel("critical decline δ*(κ)")
    percent_axis(ax, "both")
    ax.legend(loc="upper right")
    data = pd.concat([_frame({"kappa": k, "fixed_capital": fixed}),
                      _frame({"kappa": k2, "ratio": ratio}),
                      pd.DataFrame([{"element": "paper", "kappa": kr, "fixed_capital": ds,
                                     "ratio": ds}])], ignore_index=True)
    return fig, data


#: The outcomes of the regime map, in the order of their codes.
MAP_CLASSES: tuple[str, ...] = ("fundamental, bank capital intact",
                                "fundamental, bank capital absorbs",
                                "banking crisis only")


@styled
def recap_regime_map(params: Params, *, tau_max: float | None = None, x_max: float | None = None,
                     n: int = 161) -> tuple[Figure, pd.DataFrame]:
    """The outcome over (tau, injection X): whether the fundamental equilibrium survives.

    Code 0: fundamental, losses within dividends (tau < tau_Div); 1: fundamental, losses reach
    bank capital but stay below delta*(X); 2: the banking crisis is the only equilibrium
    (delta(tau) > delta*(X)). The minimum injection is the boundary between 1 and 2. Columns
    ``tau``, ``injection``, ``code``, ``outcome``.
    """
    _scalar(params)
    ts = float(tau_star_injection(params, 0.0))
    tmax = tau_max if tau_max is not None else min(1.0, 3.0 * ts)
    taus = np.linspace(0.0, tmax, n)
    sol = solve(params, taus)
    xtop = x_max if x_max is not None else float(minimum_injection(params, tmax)) * 1.1 + 1e-3
    X = np.linspace(0.0, xtop, n)
    ds = crunch_decline(params, injection=X)
    d = sol.delta[None, :]
    code = np.where(d >= ds[:, None], 2, np.where(sol.regime[None, :] >= 2, 1, 0))
    fig = new_figure(4.6, left=0.9, right=0.25, top=0.3, bottom=0.6)
    ax = fig.subplots()
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([C["sky_blue"], C["yellow"], C["vermillion"]])
    ax.pcolormesh(100 * taus, X, code, cmap=cmap, vmin=-0.5, vmax=2.5, shading="nearest",
                  alpha=0.75)
    xmin = minimum_injection(params, taus)
    ax.plot(100 * taus, xmin, color="#222222", lw=1.6, label="minimum injection X_min(τ)")
    for i, name in enumerate(MAP_CLASSES):
        ax.fill_between([], [], [], color=cmap(i), alpha=0.75, label=name)
    ax.set_xlabel("productivity shock τ")
    ax.set_ylabel("capital injected at t, X (units of y)")
    ax.set_xlim(0, 100 * tmax)
    ax.set_ylim(0, xtop)
    percent_axis(ax, "x")
    ax.legend(loc="upper left")
    TT, XX = np.meshgrid(taus, X)
    return fig, _frame({"tau": TT.ravel(), "injection": XX.ravel(), "code": code.ravel(),
                        "outcome": np.asarray(MAP_CLASSES)[code.ravel()]})


@styled
def shock_sequence(params: Params, taus: Sequence[float], *, payout: float = 1.0
                   ) -> tuple[Figure, pd.DataFrame]:
    """Capital and thresholds over a sequence of shocks: the capital ratio each shock meets,
    its thresholds delta* and tau*, and the shock and decline themselves. Columns as
    :meth:`~bsrlab.models.vonpeter.shocks.ShockPath.records` plus ``shock`` (1, 2, ...)."""
    _scalar(params)
    path = shock_path(params, list(taus), payout=payout)
    df = path.to_frame()
    df.insert(0, "shock", np.arange(1, len(df) + 1))
    fig = new_figure(5.6, left=0.9, right=0.25, top=0.3, bottom=0.6, hspace=0.35, nrows=2)
    top, bot = fig.subplots(2, 1, sharex=True)
    i = df["shock"].to_numpy()
    top.plot(i, 100 * df["capital_ratio"], "o-", color=C["green"],
             label="capital ratio K/(qH) the shock meets")
    top.axhline(100 * float(closed.capital_ratio(params.R)), color="#555555", ls=":",
                label="requirement (R − 1)/R")
    top.set_ylabel("capital ratio")
    percent_axis(top, "y")
    top.legend(loc="best")
    bot.plot(i, 100 * df["tau_star"].astype(float), "s--", color=C["vermillion"], label="τ*")
    bot.plot(i, 100 * df["delta_star"].astype(float), "^-.", color=C["blue"], label="δ*")
    bot.bar(i, 100 * df["tau"], width=0.35, color=C["sky_blue"], alpha=0.6, label="shock τ")
    ymax = 100 * float(np.nanmax(np.r_[df["tau_star"].astype(float), df["tau"]])) * 1.4
    dec = df["delta"].astype(float).to_numpy()
    crisis = dec >= 1.0
    bot.plot(i[~crisis], 100 * dec[~crisis], "x", color="#222222", ms=9, label="decline δ")
    for j in i[crisis]:
        bot.annotate("crisis\nδ = 100%", xy=(j, 0.93 * ymax), ha="center", va="top",
                     fontsize=10, color=C["vermillion"], fontweight="bold")
    bot.set_ylim(0, ymax)
    bot.set_ylabel("shock, decline, thresholds")
    bot.set_xlabel("shock number")
    bot.set_xticks(i)
    percent_axis(bot, "y")
    bot.legend(loc="upper left", ncols=2)
    return fig, df


@styled
def recap_t_accounts(params: Params, tau: float, injection: float | None = None
                     ) -> tuple[Figure, pd.DataFrame]:
    """The bank's balance sheet after the losses at t, without an injection and with X funded
    each way: assets (loans q_t H, reserves) against liabilities (deposits, capital). The
    entries are those of the fundamental allocation with the capital constraint set aside
    (as under forbearance), so that the four balance sheets differ only by the injection.
    Columns ``funding``, ``side``, ``entry``, ``value``."""
    _scalar(params)
    X = float(injection if injection is not None else
              max(float(minimum_injection(params, tau)) * 1.01, 0.05))
    rows = []
    cases = (("no injection", "none", 0.0), ("unfunded", "none", X), ("tax-funded", "tax", X),
             ("deposit-funded", "deposits", X))
    for label, funding, x in cases:
        al = allocations(params, tau, injection=x, funding=funding, forbearance=True)[0]
        rows += [{"funding": label, "side": "assets", "entry": "loans q_t H",
                  "value": al.asset_value_t},
                 {"funding": label, "side": "assets", "entry": "reserves", "value": al.reserves},
                 {"funding": label, "side": "liabilities", "entry": "deposits",
                  "value": al.bank_deposits_t},
                 {"funding": label, "side": "liabilities", "entry": "capital K_t",
                  "value": al.bank_capital_t}]
    df = pd.DataFrame(rows)
    fig = new_figure(4.8, left=0.9, right=1.9, top=0.45, bottom=0.85)
    ax = fig.subplots()
    colours = {"loans q_t H": C["sky_blue"], "reserves": C["yellow"], "deposits": C["blue"],
               "capital K_t": C["vermillion"]}
    for j, (label, _f, _x) in enumerate(cases):
        for side, off in (("assets", -0.18), ("liabilities", 0.18)):
            base = 0.0
            sub = df[(df["funding"] == label) & (df["side"] == side)]
            for _, r in sub.iterrows():
                ax.bar(j + off, r["value"], width=0.34, bottom=base, color=colours[r["entry"]],
                       edgecolor="white", label=r["entry"] if j == 0 else None)
                base += r["value"]
    ax.set_xticks(range(len(cases)), [f"{c[0]}\nassets | liabilities" for c in cases])
    lo = 0.9 * float(df.loc[df["entry"] == "deposits", "value"].min())
    hi = 1.03 * float(df.groupby(["funding", "side"])["value"].sum().max())
    ax.set_ylim(lo, hi)
    ax.set_ylabel("units of y (axis cut below)")
    ax.set_title(f"τ = {tau:g}, injection X = {X:.3g} y", fontsize=12)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=10)
    return fig, df


#: Every figure of the policy lab by name (called with the parameters and a shock).
FIGURES: dict[str, Callable[..., tuple[Figure, pd.DataFrame]]] = {
    "policy_frontier": frontier_policies,
    "policy_injection": injection_threshold,
    "policy_requirement": requirement_threshold,
    "policy_regime_map": recap_regime_map,
    "policy_shocks": shock_sequence,
    "policy_t_accounts": recap_t_accounts,
}
