"""Crisis thresholds of the von Peter (2004) model (Appendix 2, eqs. 28 and 33).

Each threshold is one named function of ``(alpha, R, gamma)`` over numpy arrays (they broadcast).
The functions are complex-analytic in their arguments, so
:mod:`bsrlab.models.vonpeter.vulnerability` differentiates them exactly by the complex step.

Loss-bearing thresholds (32): losses turn positive at delta_0 (firms default), eliminate bank
dividends at delta_Div and bank capital at delta_K; delta* = R delta_Div is where the capital
constraint starts to bind (capital crunch, Proposition 4). Each decline delta_i maps to a shock
tau_i through the fundamental decline (22): 1 - tau_i = (1 - delta_i) / p_{t+1}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bsrlab.models.vonpeter.params import Params

__all__ = [
    "Thresholds",
    "delta_0",
    "delta_K",
    "delta_div",
    "delta_star",
    "p_bar_next",
    "p_bar_t",
    "tau_0",
    "tau_K",
    "tau_div",
    "tau_star",
    "thresholds",
]

#: Floats, numpy arrays (real or complex) or pandas Series: the closed forms are plain arithmetic.
Arr = Any


def delta_star(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta* = (R - 1)[(R/alpha)^(1-gamma) - 1], the capital-crunch decline (28)."""
    return (R - 1.0) * ((R / alpha) ** (1.0 - gamma) - 1.0)


def delta_div(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta_Div = delta*/R: loan losses equal normal bank profits (R - 1)K (Appendix 2)."""
    return delta_star(alpha, R, gamma) / R


def delta_K(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta_K = delta*/R + (R - 1)/R: loan losses equal R K, bank capital is gone (Appendix 2)."""
    return delta_star(alpha, R, gamma) / R + (R - 1.0) / R


def p_bar_t(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level at t once profits and dividends are zero: (R/alpha)^(-gamma)   (24)."""
    return (R / alpha) ** (-gamma)


def p_bar_next(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """Price level from t+1 on in the capital-absorbs regime, (1 - delta*)^(gamma/(gamma-1))."""
    return (1.0 - delta_star(alpha, R, gamma)) ** (gamma / (gamma - 1.0))


def tau_div(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_Div from 1 - tau_Div = (1 - delta*/R) / (1 - delta*)^(gamma/(gamma-1))   (33)."""
    ds = delta_star(alpha, R, gamma)
    return 1.0 - (1.0 - ds / R) / (1.0 - ds) ** (gamma / (gamma - 1.0))


def tau_star(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau* from 1 - tau* = (1 - delta*)^(1/(1-gamma)): delta* is then fundamental   (33)."""
    ds = delta_star(alpha, R, gamma)
    return 1.0 - (1.0 - ds) ** (1.0 / (1.0 - gamma))


def tau_K(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_K from 1 - tau_K = (1 - delta*)^(1/(1-gamma)) / R: the bank is insolvent   (33)."""
    ds = delta_star(alpha, R, gamma)
    return 1.0 - (1.0 - ds) ** (1.0 / (1.0 - gamma)) / R


def _delta_0_newton(alpha: Arr, R: Arr, gamma: Arr, max_iter: int = 60) -> tuple[Arr, int, float]:
    """Solve phi(d) = d alpha/(R-1) + alpha - (1 + R d/(R-1))^e = 0 for d (Appendix 2).

    phi is increasing and concave in d (e = gamma/(gamma-1) <= 0) with phi(0) = alpha - 1 < 0, so
    Newton's method from d = 0 increases monotonically to the root: it cannot overshoot.
    Works on complex input too (for the complex-step derivative).
    """
    e = gamma / (gamma - 1.0)
    c = R / (R - 1.0)
    a = alpha / (R - 1.0)
    shape = np.broadcast_shapes(np.shape(alpha), np.shape(R), np.shape(gamma))
    dtype = np.result_type(alpha, R, gamma, np.float64)
    d = np.zeros(shape, dtype=dtype)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        x = 1.0 + c * d
        xe = x**e
        phi = d * a + alpha - xe
        dphi = a - e * c * xe / x
        step = phi / dphi
        d = d - step
        if np.all(np.abs(np.real(step)) <= 1e-15 * (1.0 + np.abs(np.real(d)))):
            if np.iscomplexobj(d):  # let the derivative (imaginary part) settle too
                for _ in range(2):
                    x = 1.0 + c * d
                    xe = x**e
                    d = d - (d * a + alpha - xe) / (a - e * c * xe / x)
            break
    xe = (1.0 + c * d) ** e
    resid = float(np.max(np.abs(np.real(d * a + alpha - xe)), initial=0.0))
    return d, it, resid


def delta_0(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta_0, the decline at which firms start to default: omega = Pi (Appendix 2).

    Solves delta alpha/(R-1) + alpha - (1 + R delta/(R-1))^(gamma/(gamma-1)) = 0; for gamma = 0 the
    closed form is delta_0 = (1 - alpha)(R - 1)/alpha.
    """
    return _delta_0_newton(alpha, R, gamma)[0]


def tau_0(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_0 from 1 - tau_0 = (1 - delta_0)/(1 - R delta_0)^(gamma/(gamma-1))   (Appendix 2)."""
    d0 = delta_0(alpha, R, gamma)
    return 1.0 - (1.0 - d0) / (1.0 - R * d0) ** (gamma / (gamma - 1.0))


@dataclass(frozen=True, eq=False)
class Thresholds:
    """All thresholds of one calibration (arrays broadcast over the parameters' shape).

    ``delta_0_residual`` and ``delta_0_iterations`` report the Newton solve of delta_0.
    """

    params: Params
    delta_0: Arr
    delta_div: Arr
    delta_star: Arr
    delta_K: Arr
    tau_0: Arr
    tau_div: Arr
    tau_star: Arr
    tau_K: Arr
    delta_0_iterations: int
    delta_0_residual: float

    KEYS = ("delta_0", "delta_div", "delta_star", "delta_K", "tau_0", "tau_div", "tau_star",
            "tau_K")

    def to_dict(self) -> dict[str, Any]:
        """The eight thresholds as floats (scalars) or lists (arrays), in the CLI's key order."""
        out: dict[str, Any] = {}
        for k in self.KEYS:
            v = np.asarray(getattr(self, k))
            out[k] = float(v) if v.ndim == 0 else v.tolist()
        return out

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per parameter point."""
        import pandas as pd

        cols = {k: np.ravel(np.broadcast_to(getattr(self, k), self.params.shape or (1,)))
                for k in self.KEYS}
        return pd.DataFrame(cols)


def thresholds(params: Params) -> Thresholds:
    """Every threshold of Appendix 2 for the given parameters (vectorised)."""
    a, R, g = params.a, params.R, params.g
    ds = delta_star(a, R, g)
    d0, it, res = _delta_0_newton(a, R, g)
    e = g / (g - 1.0)
    one_minus_tau_star = (1.0 - ds) ** (1.0 / (1.0 - g))
    return Thresholds(
        params=params,
        delta_0=d0,
        delta_div=ds / R,
        delta_star=ds,
        delta_K=ds / R + (R - 1.0) / R,
        tau_0=1.0 - (1.0 - d0) / (1.0 - R * d0) ** e,
        tau_div=1.0 - (1.0 - ds / R) / (1.0 - ds) ** e,
        tau_star=1.0 - one_minus_tau_star,
        tau_K=1.0 - one_minus_tau_star / R,
        delta_0_iterations=it,
        delta_0_residual=res,
    )
