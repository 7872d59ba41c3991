"""Section 4 of von Peter (2004) made computable: the model under policy and in other states.

The paper's economy has one bank whose capital ratio is (R - 1)/R, a constant policy rate R and no
government. This module generalises the solution of Propositions 2-4 along the dimensions the
paper's policy discussion needs, and states each threshold in closed form:

* a **state** of the banking system: bank capital K = k qH for any capital ratio k (the steady
  state clears for every k: households then hold D = (1 - k) qH and spend s = (R - 1) D); the
  paper's bank is k = (R - 1)/R;
* a **capital requirement** k_req, separate from the ratio k the banks hold;
* a **policy rate** R_t at t (for one period, then R again): new firms price the assets at R_t,
  q_t H = alpha (1 - tau) p_{t+1} y R/((R - 1) R_t); old debt R qH is predetermined; households'
  Euler equation between t and t+1 uses R_t, so p_t = (R_t/R)^(1/(gamma-1)) (s_t/s)^e, and their
  budget gives s_{t+1} = (R - 1)(R_t/R) D_t;
* an **injection** X of bank capital at t, before lending, funded by no one (reserves credited to
  the banks), by a lump-sum tax on households at t (their deposits fall by X) or by the
  depositors (deposits converted into bank equity that households own).

The fundamental equilibrium then solves, in regime 1 (losses absorbed by firms' profits and bank
dividends), with u = s_{t+1}/(r s) = 1 - delta/(1 - k) - x, r = R_t/R and x = (R - 1) X/s for a
tax (zero otherwise),

    (k/(1 - k) + x + u) u^g = (1 - tau) r^(e - 1)/(1 - k),   g = -e = gamma/(1 - gamma),

one increasing, convex equation in v = log u solved by the monotone Newton iteration of
:mod:`~bsrlab.models.vonpeter.solve`; in regime 2 (losses reach bank capital) everything is in
closed form: p_t = ((1 - k) alpha)^gamma / r, s_t = p_t y. With k = (R - 1)/R, R_t = R and no
tax the equations are the paper's, and :func:`solve_policy` returns :func:`~bsrlab.models.
vonpeter.solve.solve`'s numbers to round-off (the tests check 1e-12).

Thresholds (all with y = 1 where it helps; p_t the regime-2 price level at t):

* crunch decline with state k, requirement k_req, injection X and rate R_t:
  delta* = [R k - k_req + (R - 1)(p_t/alpha - 1) + X/qH]/(1 - k_req); at k = k_req = (R - 1)/R
  this is the paper's (28), plus R X/qH for an injection;
* capital requirement, fixed capital (variant "fixed-capital"): delta*(kappa) = ((R - 1) p_t/alpha
  - kappa)/(1 - kappa), credit multiplier 1/kappa;
* capital ratio held in steady state (variant "ratio"): delta*(k) = (R - 1)[((1 - k) alpha)^(gamma
  - 1) - 1], multiplier 1/k;
* loan spread m over the deposit rate: qH = alpha y/(R + m - 1), delta*(m) = R p_t (R + m - 1)/alpha
  - (R - 1), p_t = ((R - 1) alpha/(R (R + m - 1)))^gamma;
* loss-to-credit coefficient c in (29): delta*(c) = c delta_Div/(c - 1) for c > 1; for c <= 1
  lending never falls short of credit demand and there is no instability (footnote 46).

Each decline delta* maps to a shock through the regime-2 fundamental decline,
1 - tau* = r (1 - delta*)/p_{t+1}, with p_{t+1} = (s_{t+1}/s)^e of the same state.

Examples
--------
>>> from bsrlab.models.vonpeter.params import Params
>>> p = Params.from_R(alpha=0.5, R=1.05)
>>> [round(float(minimum_injection(p, t)), 4) for t in (0.06, 0.08, 0.10)]
[0.0476, 0.2381, 0.4286]
>>> round(float(delta_star_requirement(p, 0.02)), 4)
0.0816
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.solve import Regime, Solution, monotone_newton, solve

__all__ = [
    "FUNDINGS",
    "PolicySolution",
    "capital_ratio_paper",
    "check_capital_ratio",
    "check_coefficient",
    "check_funding",
    "check_injection",
    "check_rate",
    "check_requirement",
    "check_spread",
    "crunch_decline",
    "delta_star_coefficient",
    "delta_star_injection",
    "delta_star_rate",
    "delta_star_ratio",
    "delta_star_requirement",
    "delta_star_spread",
    "minimum_injection",
    "p_t_floor",
    "shock_for_crunch",
    "solve_policy",
    "tau_star_coefficient",
    "tau_star_injection",
    "tau_star_rate",
    "tau_star_ratio",
    "tau_star_requirement",
    "tau_star_spread",
]

Arr = NDArray[np.float64]

#: How an injection of bank capital is paid for.
FUNDINGS: tuple[str, ...] = ("none", "tax", "deposits")


def _f(x: ArrayLike) -> Arr:
    return np.asarray(x, dtype=np.float64)


def capital_ratio_paper(params: Params) -> Arr:
    """The paper's bank capital ratio K/qH = (R - 1)/R   (13)."""
    return closed.capital_ratio(params.R)


# --- validation ---------------------------------------------------------------------------------

def _check(name: str, value: ArrayLike, ok: Any, rule: str) -> Arr:
    v = _f(value)
    with np.errstate(invalid="ignore"):
        bad = ~(np.asarray(ok) & np.isfinite(v))
    if np.any(bad):
        first = float(np.broadcast_to(v, bad.shape)[bad].ravel()[0])
        raise ParameterError(name, rule, first)
    return v


def check_rate(params: Params, rate: ArrayLike) -> Arr:
    """Validate a policy rate at t: 1 <= R_t <= R (a cut, down to a zero net rate)."""
    r = _f(rate)
    R = params.R
    with np.errstate(invalid="ignore"):
        ok = (r >= 1.0) & (r <= R * (1.0 + 1e-15))
    return _check("rate", r, ok, f"1 <= rate <= R (here R = {float(np.max(R)):.6g})")


def check_injection(injection: ArrayLike) -> Arr:
    """Validate an injection of bank capital X >= 0 (units of y)."""
    x = _f(injection)
    with np.errstate(invalid="ignore"):
        return _check("injection", x, x >= 0.0, "injection >= 0 (units of y)")


def check_funding(funding: str) -> str:
    """Validate the funding of an injection: one of :data:`FUNDINGS`."""
    if funding not in FUNDINGS:
        raise ParameterError("funding", "one of " + ", ".join(FUNDINGS), funding)
    return funding


def check_requirement(params: Params, kappa: ArrayLike) -> Arr:
    """Validate a capital requirement 0 < kappa <= (R - 1)/R (the steady state must meet it)."""
    k = _f(kappa)
    kr = capital_ratio_paper(params)
    with np.errstate(invalid="ignore"):
        ok = (k > 0.0) & (k <= kr * (1.0 + 1e-12))
    return _check("kappa", k, ok, f"0 < kappa <= (R - 1)/R (here {float(np.max(kr)):.6g})")


def check_capital_ratio(kappa: ArrayLike) -> Arr:
    """Validate a capital ratio held by the banks, 0 < k < 1."""
    k = _f(kappa)
    with np.errstate(invalid="ignore"):
        return _check("kappa", k, (k > 0.0) & (k < 1.0), "0 < kappa < 1")


def check_spread(params: Params, m: ArrayLike) -> Arr:
    """Validate a loan spread m >= 0 with alpha > R + m - 1 (firms can carry their debt)."""
    mm = _f(m)
    with np.errstate(invalid="ignore"):
        ok = (mm >= 0.0) & (params.a > params.R + mm - 1.0)
    return _check("spread", mm, ok, "0 <= spread < 1 + alpha - R")


def check_coefficient(c: ArrayLike) -> Arr:
    """Validate a loss-to-credit coefficient c > 0."""
    cc = _f(c)
    with np.errstate(invalid="ignore"):
        return _check("coefficient", cc, cc > 0.0, "coefficient > 0")


# --- closed forms ---------------------------------------------------------------------------------

def p_t_floor(alpha: ArrayLike, R: ArrayLike, gamma: ArrayLike, k: ArrayLike | None = None,
              r: ArrayLike = 1.0) -> Arr:
    """Price level at t once losses reach bank capital: ((1 - k) alpha)^gamma / r   (24).

    With k = (R - 1)/R and r = R_t/R = 1 this is the paper's (R/alpha)^(-gamma).
    """
    a, g = _f(alpha), _f(gamma)
    base = closed.p_bar_t(a, _f(R), g) if k is None else np.exp(g * np.log((1.0 - _f(k)) * a))
    return base / _f(r)


def crunch_decline(params: Params, *, k: ArrayLike | None = None,
                   requirement: ArrayLike | None = None, injection: ArrayLike = 0.0,
                   rate: ArrayLike | None = None) -> Arr:
    """The capital-crunch decline delta* of a banking state, requirement, injection and rate.

    Credit demand (1 - delta) qH meets admissible lending (K_t + X)/k_req with
    K_t = R k qH - lambda and lambda = delta qH - p_t y + alpha y at the regime-2 price p_t:

    delta* = [R k - k_req + (R - 1)(p_t/alpha - 1) + X/qH]/(1 - k_req).

    ``k`` and ``requirement`` default to (R - 1)/R; ``rate`` to R.
    """
    a, R, g = params.a, params.R, params.g
    y = _f(params.y)
    r = 1.0 if rate is None else _f(rate) / R
    kk = capital_ratio_paper(params) if k is None else _f(k)
    kq = capital_ratio_paper(params) if requirement is None else _f(requirement)
    qH = closed.asset_value(a, R, y)
    X = _f(injection)
    if k is None and requirement is None:
        # the paper's (28), written so that X = 0 and R_t = R give closed.delta_star exactly
        ds = (R - 1.0) * np.expm1((1.0 - g) * np.log(R / a) - np.log(r))
        return ds + R * X / qH
    p_t = p_t_floor(a, R, g, None if k is None else kk, r)
    return (R * kk - kq + (R - 1.0) * (p_t / a - 1.0) + X / qH) / (1.0 - kq)


def _p_next_regime2(params: Params, k: ArrayLike | None, r: ArrayLike, tax: ArrayLike) -> Arr:
    """p_{t+1} once losses reach bank capital: (s_{t+1}/s)^e with s_{t+1} = (R-1) r D_t."""
    a, R, g = params.a, params.R, params.g
    y = _f(params.y)
    rr, X = _f(r), _f(tax)
    if k is None:
        x_arg = (-closed.delta_star(a, R, g) + R * (rr - 1.0)
                 - rr * R * (R - 1.0) * X / (a * y))
    else:
        kk = _f(k)
        ds_b = (R - 1.0) * np.expm1((g - 1.0) * np.log((1.0 - kk) * a))
        x_arg = -ds_b + R * (rr - 1.0) - rr * (R - 1.0) * X / ((1.0 - kk) * a * y)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x_arg > -1.0, closed.price_level(np.maximum(x_arg, -1.0 + 1e-300), g),
                        np.nan)


def shock_for_crunch(params: Params, delta: ArrayLike, *, k: ArrayLike | None = None,
                     rate: ArrayLike | None = None, tax: ArrayLike = 0.0) -> Arr:
    """The shock whose regime-2 fundamental decline is ``delta``: 1 - r (1 - delta)/p_{t+1}."""
    r = 1.0 if rate is None else _f(rate) / params.R
    pn = _p_next_regime2(params, k, r, tax)
    return 1.0 - r * (1.0 - _f(delta)) / pn


def delta_star_injection(params: Params, injection: ArrayLike) -> Arr:
    """delta*(X) = delta* + R X/qH: the crunch decline after an injection X at t."""
    return crunch_decline(params, injection=check_injection(injection))


def tau_star_injection(params: Params, injection: ArrayLike, funding: str = "none") -> Arr:
    """The largest shock whose fundamental decline stays at or below delta*(X)."""
    X = check_injection(injection)
    tax = X if check_funding(funding) == "tax" else 0.0
    return np.clip(shock_for_crunch(params, delta_star_injection(params, X), tax=tax), 0.0, 1.0)


def minimum_injection(params: Params, tau: ArrayLike, funding: str = "none") -> Arr:
    """The smallest injection keeping the fundamental equilibrium: max(0, qH (delta - delta*)/R).

    For ``funding="tax"`` the tax changes the fundamental decline itself (gamma > 0), so the
    minimum solves X = qH (delta(tau; X) - delta*)/R, found by vectorised bisection; the other
    fundings leave the decline as it is.

    Parameters
    ----------
    params
        The structural parameters.
    tau
        The shock(s), 0 <= tau <= 1.
    funding
        ``none``, ``tax`` or ``deposits``.

    Returns
    -------
    numpy.ndarray
        The minimum injection in units of y (zero where the fundamental equilibrium survives).

    Raises
    ------
    ConvergenceError
        If the bisection for a tax-funded injection does not close its bracket or leaves a
        residual above 1e-10 qH.
    """
    t = check_tau(tau)
    check_funding(funding)
    a, R, g = params.a, params.R, params.g
    qH = closed.asset_value(a, R, _f(params.y))
    ds = closed.delta_star(a, R, g)
    base = np.maximum(0.0, qH * (solve(params, t).delta - ds) / R)
    if funding != "tax":
        return base
    shape = base.shape
    lo = np.zeros(shape)
    hi = np.array(base, dtype=np.float64)

    def excess(x: Arr) -> Arr:
        try:
            d = solve_policy(params, t, tax=x, injection=x).delta
        except ParameterError:
            raise ParameterError(
                "funding", "none or deposits at this shock: the tax-funded injection it needs "
                "exceeds what households can pay", funding) from None
        return qH * (d - ds) / R - x

    # with gamma > 0 the tax lowers the decline, so the root lies in [0, base]; for gamma = 0
    # the decline is unchanged and the bracket closes at once
    it = 0
    while it < 200:
        it += 1
        mid = 0.5 * (lo + hi)
        pos = excess(mid) > 0.0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
        if np.all(hi - lo <= 1e-13 * (1.0 + np.abs(hi))):
            break
    out: Arr = np.where(base > 0.0, hi, 0.0)
    # verify: at the result the taxed decline sits on delta*(X) (or no injection is needed)
    res = np.where(base > 0.0, np.abs(excess(out)), 0.0)
    width = float(np.max(hi - lo, initial=0.0))
    diag = Diagnostics(converged=bool(width <= 1e-12 * (1.0 + float(np.max(hi, initial=0.0)))),
                       iterations=it, max_residual=float(np.max(res, initial=0.0)),
                       method="bisection")
    verify(diag, 1e-10 * (1.0 + float(np.max(qH))), what="tax-funded minimum injection")
    return out


def delta_star_requirement(params: Params, kappa: ArrayLike) -> Arr:
    """Capital requirement kappa with the paper's bank capital ("fixed-capital" variant).

    Admissible lending is min(qH, K_t/kappa); delta*(kappa) = ((R - 1) p_t/alpha - kappa)/
    (1 - kappa), the paper's delta* at kappa = (R - 1)/R.
    """
    k = check_requirement(params, kappa)
    return crunch_decline(params, requirement=k, k=capital_ratio_paper(params))


def tau_star_requirement(params: Params, kappa: ArrayLike) -> Arr:
    """tau*(kappa) of the fixed-capital variant."""
    return np.clip(shock_for_crunch(params, delta_star_requirement(params, kappa)), 0.0, 1.0)


def delta_star_ratio(params: Params, k: ArrayLike) -> Arr:
    """Banks hold capital ratio k in steady state and must keep it ("ratio" variant).

    delta*(k) = (R - 1)[((1 - k) alpha)^(gamma - 1) - 1]: increasing in k, so with a lower ratio
    the contraction sets in earlier, and with a multiplier 1/k with greater force (footnote 46).
    """
    kk = check_capital_ratio(k)
    a, R, g = params.a, params.R, params.g
    return (R - 1.0) * np.expm1((g - 1.0) * np.log((1.0 - kk) * a))


def tau_star_ratio(params: Params, k: ArrayLike) -> Arr:
    """tau*(k) of the ratio variant: 1 - tau* = (1 - delta*(k))^(1/(1 - gamma))."""
    ds = delta_star_ratio(params, k)
    with np.errstate(invalid="ignore"):
        return np.where(ds < 1.0, -np.expm1(closed.log1p(-np.minimum(ds, 1.0 - 1e-300))
                                            / (1.0 - params.g)), 1.0)


def delta_star_rate(params: Params, rate: ArrayLike) -> Arr:
    """The crunch decline when the policy rate at t is R_t: (R-1)[(R/alpha)^(1-gamma) R/R_t - 1].

    A cut raises the price level at t (households' Euler equation), lowers real loan losses and
    so raises the decline at which the capital constraint binds.
    """
    return crunch_decline(params, rate=check_rate(params, rate))


def tau_star_rate(params: Params, rate: ArrayLike) -> Arr:
    """The largest shock a cut to R_t keeps in the fundamental equilibrium (below the crunch)."""
    Rt = check_rate(params, rate)
    return np.clip(shock_for_crunch(params, delta_star_rate(params, Rt), rate=Rt), 0.0, 1.0)


def _spread_price(params: Params, m: Arr) -> Arr:
    a, R, g = params.a, params.R, params.g
    return np.exp(g * np.log((R - 1.0) * a / (R * (R + m - 1.0))))


def delta_star_spread(params: Params, m: ArrayLike) -> Arr:
    """The crunch decline with a loan spread m over the deposit rate R (bank profitability).

    qH = alpha y/(R + m - 1); normal bank profits (R - 1)K + m qH; delta_Div = delta*/R and
    delta*(m) = R p_t (R + m - 1)/alpha - (R - 1), p_t = ((R-1) alpha/(R (R + m - 1)))^gamma.
    """
    mm = check_spread(params, m)
    R = params.R
    return R * _spread_price(params, mm) * (R + mm - 1.0) / params.a - (R - 1.0)


def tau_star_spread(params: Params, m: ArrayLike) -> Arr:
    """tau*(m): 1 - tau* = (1 - delta*(m))^(1/(1 - gamma)), as p_{t+1} = (1 - delta*(m))^e."""
    ds = np.minimum(delta_star_spread(params, m), 1.0)
    return np.where(ds < 1.0, -np.expm1(closed.log1p(-np.minimum(ds, 1.0 - 1e-16))
                                        / (1.0 - params.g)), 1.0)


def delta_star_coefficient(params: Params, c: ArrayLike) -> Arr:
    """The crunch decline when lenders cut credit by c per unit of capital shortfall, (29).

    Admissible lending qH - c (lambda - (R-1)K) meets demand at delta*(c) = c delta_Div/(c - 1);
    for c <= 1 it never falls short of demand: there is no crunch and the value is 1 (the
    instability needs c > 1, footnote 46). c = R/(R - 1) is the paper's bank.
    """
    cc = check_coefficient(c)
    ddiv = closed.delta_star(params.a, params.R, params.g) / params.R
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(cc > 1.0, cc * ddiv / (cc - 1.0), 1.0)
    return np.minimum(out, 1.0)


def tau_star_coefficient(params: Params, c: ArrayLike) -> Arr:
    """tau*(c): the shock whose fundamental decline reaches delta*(c)."""
    ds = delta_star_coefficient(params, c)
    tau = shock_for_crunch(params, ds)
    return np.clip(np.where(ds >= 1.0, 1.0, tau), 0.0, 1.0)


# --- the fundamental equilibrium under policy ---------------------------------------------------

@dataclass(frozen=True, kw_only=True, eq=False)
class PolicySolution(Solution):
    """The fundamental equilibrium in a state k, with a policy rate R_t, a tax and an injection.

    The fields of :class:`~bsrlab.models.vonpeter.solve.Solution`, plus the inputs ``rate``,
    ``capital_ratio``, ``tax`` and ``injection`` (arrays of the broadcast shape).
    ``bank_capital_t`` includes the injection; ``deposits_t`` are households' deposits after the
    tax. ``to_dict`` and ``to_frame`` give ``KEYS`` (the inputs first), then the parameters and
    the diagnostics.
    """

    KEYS: ClassVar[tuple[str, ...]] = (
        "tau", "delta", "p_t", "p_next", "s_t", "s_next", "asset_value_t", "loan_losses",
        "total_losses", "firm_profits_t", "bank_capital_t", "bank_dividends_t", "deposits_t",
        "depositor_losses", "regime")

    rate: Arr
    capital_ratio: Arr
    tax: Arr
    injection: Arr

    to_dict = Result.to_dict
    to_frame = Result.to_frame

    def residuals(self) -> dict[str, Arr]:
        """Identities of the fundamental equilibrium under policy; each zero up to round-off.

        ``bank_balance_sheet``: q_t H + reserves - (D_t + K_t) (reserves = an unfunded
        injection); ``goods_market_t``: p_t y - (s_t + Pi_t + Div_t); ``household_budget``:
        s_t + D_t + tax - R D; ``household_next``: s_{t+1} - (R - 1)(R_t/R) D_t;
        ``euler_next``: p_{t+1} - (s_{t+1}/s)^e; ``asset_pricing``: (R - 1)(R_t/R) q_t H -
        alpha (1 - tau) p_{t+1} y; ``repayment``: Pi_t + R qH - lambda - (p_t y + q_t H).
        """
        p = self.params
        a, R, g = p.a, p.R, p.g
        y = _f(p.y)
        qH = closed.asset_value(a, R, y)
        k = self.capital_ratio
        s = (R - 1.0) * (1.0 - k) * qH
        r = self.rate / R
        e = closed.price_exponent(g)
        reserves = self.injection - self.tax
        return {
            "bank_balance_sheet": self.asset_value_t + reserves
            - (self.deposits_t + self.bank_capital_t),
            "goods_market_t": self.p_t * y - (self.s_t + self.firm_profits_t
                                              + self.bank_dividends_t),
            "household_budget": self.s_t + self.deposits_t + self.tax - R * (1.0 - k) * qH,
            "household_next": self.s_next - (R - 1.0) * r * self.deposits_t,
            "euler_next": self.p_next - (self.s_next / s) ** e,
            "asset_pricing": (R - 1.0) * r * self.asset_value_t
            - a * (1.0 - self.tau) * self.p_next * y,
            "repayment": self.firm_profits_t + R * qH - self.loan_losses
            - (self.p_t * y + self.asset_value_t),
        }


def solve_policy(params: Params, tau: ArrayLike, *, rate: ArrayLike | None = None,
                 capital_ratio: ArrayLike | None = None, tax: ArrayLike = 0.0,
                 injection: ArrayLike = 0.0, tol: float = 1e-10) -> PolicySolution:
    """The fundamental equilibrium with a policy rate, a banking state, a tax and an injection.

    Parameters
    ----------
    params
        The structural parameters.
    tau
        The productivity shock at t, 0 <= tau <= 1.
    rate
        The policy rate R_t for one period from t (1 <= R_t <= R); default R.
    capital_ratio
        The banks' capital ratio k = K/qH entering t, 0 < k < 1; default (R - 1)/R.
    tax
        A lump-sum tax on households at t (units of y), paid out of their deposits.
    injection
        Capital injected into the banks at t (units of y); added to K_t.

    Returns
    -------
    PolicySolution
        With ``rate = R``, the paper's ratio and no tax, the numbers of
        :func:`~bsrlab.models.vonpeter.solve.solve` (to round-off).

    Raises
    ------
    ConvergenceError
        If the regime-1 root does not meet ``tol``, or the regime assignment fails its check.
    ParameterError
        If the policy leaves households with negative wealth (a tax larger than it).
    """
    t = check_tau(tau)
    a0, R0, g0 = params.a, params.R, params.g
    Rt = R0 if rate is None else check_rate(params, rate)
    kk = None if capital_ratio is None else check_capital_ratio(capital_ratio)
    X = check_injection(tax)
    J = check_injection(injection)
    shape = np.broadcast_shapes(params.shape, t.shape, np.shape(Rt), np.shape(X), np.shape(J),
                                () if kk is None else kk.shape)

    def b(v: ArrayLike) -> Arr:
        return np.ascontiguousarray(np.broadcast_to(_f(v), shape)).ravel()

    a, R, g, y, tt = b(a0), b(R0), b(g0), b(params.y), b(t)
    r = b(Rt) / R
    tx, inj = b(X), b(J)
    k = b(capital_ratio_paper(params) if kk is None else kk)
    paper = kk is None
    e = closed.price_exponent(g)
    gg = -e
    qH = closed.asset_value(a, R, y)
    K = k * qH
    Dst = (1.0 - k) * qH
    s = (R - 1.0) * Dst
    if paper:
        s = closed.household_spending(a, R, y)
        K = closed.bank_capital(a, R, y)
    lr = np.log(r)
    # regime 2 (closed form)
    pbar_t = closed.p_bar_t(a, R, g) / r if paper else np.exp(g * np.log((1.0 - k) * a)) / r
    pview = params
    if params.shape != shape:
        pview = Params(alpha=a.reshape(shape), beta=(1.0 / R).reshape(shape),
                       gamma=g.reshape(shape), y=y.reshape(shape), H=b(params.H).reshape(shape))
    pn2 = _p_next_regime2(pview, None if paper else k.reshape(shape), r.reshape(shape),
                          tx.reshape(shape)).ravel()
    if not np.all(np.isfinite(pn2)):
        if np.any(tx > 0.0):
            raise ParameterError("tax", "a tax that leaves households positive wealth from "
                                 "t+1 on", float(np.max(tx)))
        raise ParameterError("rate", "a policy rate that leaves households positive spending "
                             "from t+1 on", float(np.min(r * R)))
    delta = 1.0 - (1.0 - tt) * pn2 / r
    p_next = pn2.copy()
    p_t = pbar_t.copy()
    s_t = pbar_t * y
    # regime boundary: losses equal normal bank profits where s + delta qH = p_t y (regime 2)
    if paper:
        ds_r = (R - 1.0) * np.expm1((1.0 - g) * np.log(R / a) - lr)
        ddiv = ds_r / R
    else:
        ddiv = (R - 1.0) * (pbar_t / a - (1.0 - k))
    tdiv = 1.0 - (1.0 - ddiv) / (pn2 / r)
    idx = np.flatnonzero(tt < tdiv)
    it, ok, max_res = 0, True, 0.0
    if idx.size:
        ai = (R[idx] - 1.0) if paper else k[idx] / (1.0 - k[idx])
        xi = (R[idx] - 1.0) * tx[idx] / s[idx]
        cR = R[idx] if paper else 1.0 / (1.0 - k[idx])
        l1t = np.log1p(-tt[idx])
        log_b = np.log(cR) + l1t + (e[idx] - 1.0) * lr[idx]
        v0 = (l1t + (e[idx] - 1.0) * lr[idx]) / (1.0 / cR + gg[idx])
        v, it, ok = monotone_newton(ai + xi, gg[idx], log_b, v0)
        d1 = (-np.expm1(v) - xi) / cR
        pn1 = np.exp(e[idx] * lr[idx]) * np.exp(-gg[idx] * v)
        max_res = float(np.max(np.abs(d1 - 1.0 + (1.0 - tt[idx]) * pn1 / r[idx])))
        delta[idx] = d1
        p_next[idx] = pn1
        x1 = d1 * qH[idx] / s[idx]
        if np.any(x1 <= -1.0):
            raise ParameterError(
                "rate", "a policy rate whose asset price leaves households positive spending "
                "at t (s_t > 0; a deep cut at a small shock does not)",
                float(np.ravel(r * R)[idx][x1 <= -1.0][0]))
        p_t[idx] = np.exp(lr[idx] / (g[idx] - 1.0)) * closed.price_level(x1, g[idx])
        if paper:
            p_t[idx] = (np.exp(lr[idx] / (g[idx] - 1.0))
                        * closed.p_t_regime1(d1, R[idx], g[idx]))
            s_t[idx] = closed.spending_regime1(d1, a[idx], R[idx], y[idx])
        else:
            s_t[idx] = s[idx] + d1 * qH[idx]
    D_t = R * Dst - s_t - tx
    if paper:
        D_t = qH - s_t - tx
    omega = delta * qH + (1.0 - p_t) * y
    Pi = closed.firm_profits(a, y)
    lam = np.maximum(omega - Pi, 0.0)
    normal = (R - 1.0) * K
    absorb = lam <= normal
    # feasibility of the regime assignment: regime-2 points must have losses beyond dividends
    reg2 = np.ones(tt.size, dtype=bool)
    reg2[idx] = False
    # (regime 1 where losses stay within dividends, regime 2 where they exceed them)
    slack = np.where(reg2, normal - lam, lam - normal)
    scale = 1e-9 * (1.0 + qH)
    if slack.size and np.any(slack > scale):
        diag = Diagnostics(False, it, float(np.max(slack)), "monotone-newton")
        raise ConvergenceError("policy solve: regime assignment failed its check", diag)
    regime = np.full(tt.size, Regime.INSOLVENT, dtype=np.int8)
    regime[lam < R * K] = Regime.CAPITAL_ABSORBS
    regime[absorb] = Regime.DIVIDENDS_ABSORB
    regime[lam <= 0.0] = Regime.FIRMS_ABSORB
    if not np.all(np.isfinite(delta)):
        max_res = math.nan
    diag = Diagnostics(converged=bool(ok and max_res <= tol), iterations=it,
                       max_residual=max_res, method="monotone-newton" if it else "closed-form")
    verify(diag, tol, what="policy fundamental root")

    def out(v: NDArray[Any]) -> NDArray[Any]:
        return v.reshape(shape)

    return PolicySolution(
        params=params, diagnostics=diag, tau=out(tt), rate=out(r * R), capital_ratio=out(k),
        tax=out(tx), injection=out(inj), delta=out(delta), p_t=out(p_t), p_next=out(p_next),
        s_t=out(s_t), s_next=out((R - 1.0) * r * D_t), asset_value_t=out((1.0 - delta) * qH),
        loan_losses=out(lam), total_losses=out(omega),
        firm_profits_t=out(np.maximum(Pi - omega, 0.0)),
        bank_capital_t=out(np.where(absorb, K, R * K - lam) + inj),
        bank_dividends_t=out(np.where(absorb, normal - lam, 0.0)), deposits_t=out(D_t),
        depositor_losses=out(np.maximum(lam - R * K - inj, 0.0)), regime=out(regime))
