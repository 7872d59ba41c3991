"""The closed forms of von Peter (2004), each written once.

Every function is plain arithmetic on its arguments, so it accepts floats, numpy arrays (real or
complex: :mod:`~bsrlab.models.vonpeter.vulnerability` differentiates by the complex step) and
pandas Series alike, and broadcasts. The argument names are the paper's symbols; ``y`` defaults
to 1, which makes the value a share of output. Nothing here validates: the callers pass
validated :class:`~bsrlab.models.vonpeter.params.Params` fields.

Powers are written as exponentials of logarithms (``log1p``, ``expm1``): near gamma = 1 the
exponent e = gamma/(gamma-1) is huge while the base is within a few ulps of 1, and
(1 - R delta)^e computed as a power would round the base to 1 first.

The independent per-point solver :mod:`~bsrlab.models.vonpeter.reference` deliberately does not
use these functions: it is the second method of the two-method tests.

Examples
--------
>>> round(asset_value(0.5, 1.05), 12)  # qH = alpha y/(R-1)   (11)
10.0
>>> round(float(delta_star(0.5, 1.05, 0.0)), 12)  # Section 4.2: 5.5 %
0.055
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "alpha_for_delta_star",
    "alpha_from_asset_ratio",
    "alpha_from_firm_leverage",
    "asset_value",
    "bank_capital",
    "bank_dividends",
    "bank_leverage",
    "capital_ratio",
    "credit_demand",
    "crunch_loan_rate",
    "delta_star",
    "deposits",
    "excess_losses",
    "firm_leverage",
    "firm_profits",
    "fundamental_decline",
    "gamma_from_deflation",
    "household_spending",
    "log1p",
    "p_bar_next",
    "p_bar_t",
    "p_next_regime1",
    "p_t_regime1",
    "price_exponent",
    "price_level",
    "rate_from_capital_ratio",
    "shock_for_decline",
    "spending_regime1",
]

#: Floats, numpy arrays (real or complex) or pandas Series.
Arr = Any


def log1p(z: Arr) -> Arr:
    """log(1 + z), accurate for small z, real or complex.

    numpy's complex ``log1p`` forms 1 + z first and loses a small real part. Here, for z = x + iy,
    log|1 + z| is log1p(x(2 + x) + y^2)/2 when |x| < 1/2 and log hypot(1 + x, y) otherwise (1 + x
    is then exact), and arg(1 + z) = atan2(y, 1 + x), so the complex-step derivatives stay exact
    near gamma = 1 and near delta* = 1.
    """
    if not np.iscomplexobj(z):
        return np.log1p(z)
    zz = np.asarray(z)
    x, y = zz.real, zz.imag
    small = np.abs(x) < 0.5
    re = np.empty(zz.shape)
    xs, ys = x[small], y[small]
    re[small] = 0.5 * np.log1p(xs * (2.0 + xs) + ys * ys)
    re[~small] = np.log(np.hypot(1.0 + x[~small], y[~small]))
    out = re + 1j * np.arctan2(y, 1.0 + x)
    return out if zz.ndim else out[()]


# --- the steady state (Proposition 1) ---------------------------------------------------------

def asset_value(alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """qH = alpha y/(R - 1), the value of the assets = bank loans   (11)."""
    return alpha * y / (R - 1.0)


def deposits(alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """D = qH/R, households' deposits."""
    return asset_value(alpha, R, y) / R


def bank_capital(alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """K = s = alpha y/R = alpha beta y: bank capital equals household spending."""
    return alpha * y / R


def household_spending(alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """s = (R - 1) D = alpha y/R, households' permanent-income spending."""
    return bank_capital(alpha, R, y)


def firm_profits(alpha: Arr, y: Arr = 1.0) -> Arr:
    """Pi = (1 - alpha) y, firms' profits   (7)."""
    return (1.0 - alpha) * y


def bank_dividends(alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """Div = (R - 1) K, the bank's normal profits, paid out   (5)."""
    return (R - 1.0) * bank_capital(alpha, R, y)


def firm_leverage(alpha: Arr, R: Arr) -> Arr:
    """R qH/Pi = alpha/(1 - alpha) R/(R - 1), firms' debt service over profits   (12)."""
    return alpha / (1.0 - alpha) * R / (R - 1.0)


def bank_leverage(R: Arr) -> Arr:
    """D/K = 1/(R - 1), bank leverage   (13)."""
    return 1.0 / (R - 1.0)


def capital_ratio(R: Arr) -> Arr:
    """K/qH = (R - 1)/R, bank capital over assets (13); the capital requirement of Section 3."""
    return (R - 1.0) / R


# --- prices and declines after the shock (Propositions 2 and 3) ------------------------------

def price_exponent(gamma: Arr) -> Arr:
    """e = gamma/(gamma - 1), the price-level exponent of (23) and (31); <= 0."""
    return gamma / (gamma - 1.0)


def delta_star(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta* = (R - 1)[(R/alpha)^(1-gamma) - 1], the capital-crunch decline   (28)."""
    return (R - 1.0) * np.expm1((1.0 - gamma) * np.log(R / alpha))


def price_level(x: Arr, gamma: Arr) -> Arr:
    """The price level (1 + x)^e of households' Euler equation, p = (s'/s)^e with s'/s = 1 + x.

    The one form behind (23) (x = R delta/(R-1)) and (31) (x = -R delta in regime 1,
    x = -delta* once losses reach bank capital).
    """
    return np.exp(price_exponent(gamma) * log1p(x))


def p_bar_t(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level at t once profits and dividends are zero: (R/alpha)^(-gamma)   (24)."""
    return np.exp(-gamma * np.log(R / alpha))


def p_bar_next(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level from t+1 on once losses reach bank capital, (1 - delta*)^e   (31)."""
    return price_level(-delta_star(alpha, R, gamma), gamma)


def p_t_regime1(delta: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level at t while profits and dividends absorb the losses: (1 + R delta/(R-1))^e (23).
    """
    return price_level(R * delta / (R - 1.0), gamma)


def p_next_regime1(delta: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level from t+1 on in regime 1, (1 - R delta)^e   ((30) and (31))."""
    return price_level(-R * delta, gamma)


def fundamental_decline(tau: Arr, p_next: Arr) -> Arr:
    """The fundamental decline delta = 1 - (1 - tau) p_{t+1}   (22)."""
    return 1.0 - (1.0 - tau) * p_next


def shock_for_decline(delta: Arr, p_next: Arr) -> Arr:
    """The shock whose fundamental decline (22) is ``delta``: 1 - (1 - delta)/p_{t+1}.

    With p_{t+1} = (1 - R delta)^e (regime 1) or (1 - delta*)^e (regime 2) this is the inverse
    used by the thresholds (33) and by the implied shock of a case study.
    """
    return 1.0 - (1.0 - delta) / p_next


def spending_regime1(delta: Arr, alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """Household spending at t while profits and dividends absorb the losses: s + delta qH."""
    return household_spending(alpha, R, y) + delta * asset_value(alpha, R, y)


# --- the capital constraint (Section 3, Appendix 3) ------------------------------------------

def excess_losses(delta: Arr, alpha: Arr, R: Arr, gamma: Arr, y: Arr = 1.0) -> Arr:
    """lambda - (R - 1)K = (delta - delta_Div) qH at the regime-2 price   (25)."""
    return (delta - delta_star(alpha, R, gamma) / R) * asset_value(alpha, R, y)


def credit_demand(delta: Arr, alpha: Arr, R: Arr, y: Arr = 1.0) -> Arr:
    """(1 - delta) qH: new firms borrow the value of the assets."""
    return (1.0 - delta) * asset_value(alpha, R, y)


def crunch_loan_rate(tau: Arr, R: Arr, tau_star: Arr) -> Arr:
    """R_t at the capital crunch: (R_t - 1)/(R - 1) = (1 - tau)/(1 - tau*)   ((27), Appendix 3)."""
    return 1.0 + (R - 1.0) * (1.0 - tau) / (1.0 - tau_star)


# --- inverses, for calibration ----------------------------------------------------------------

def rate_from_capital_ratio(k: Arr) -> Arr:
    """R from the capital ratio k = (R - 1)/R   (13): R = 1/(1 - k)."""
    return 1.0 / (1.0 - k)


def alpha_from_asset_ratio(c: Arr, R: Arr) -> Arr:
    """alpha from the asset ratio c = qH/y = alpha/(R - 1)   (11): alpha = (R - 1) c."""
    return (R - 1.0) * c


def alpha_from_firm_leverage(leverage: Arr, R: Arr) -> Arr:
    """alpha from firm leverage (12): alpha = x/(1 + x) with x = leverage (R - 1)/R."""
    x = leverage * (R - 1.0) / R
    return x / (1.0 + x)


def gamma_from_deflation(d: Arr, alpha: Arr, R: Arr) -> Arr:
    """gamma from the deflation d = 1 - p_bar_t (24): gamma = -log(1 - d)/log(R/alpha)."""
    return -log1p(-d) / np.log(R / alpha)


def alpha_for_delta_star(delta: Arr, R: Arr, gamma: Arr) -> Arr:
    """The alpha at which delta* (28) equals ``delta``: R (1 + delta/(R - 1))^(-1/(1-gamma))."""
    return R * (1.0 + delta / (R - 1.0)) ** (-1.0 / (1.0 - gamma))
