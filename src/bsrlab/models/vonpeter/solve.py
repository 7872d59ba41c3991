"""The equilibrium after an unexpected permanent productivity shock tau (Propositions 2 and 3).

Old firms owe R qH and receive p_t y + q_t H; non-performing loans are (16)
lambda = max(0, R qH - p_t y - q_t H) = max(0, omega - Pi), with total losses
omega = delta qH + (1 - p_t) y (17). Bank capital and dividends follow (18).

Goods market at t, two regimes (20):

1. lambda <= (R-1)K (firms' profits and bank dividends absorb the losses):
   s_t = s + delta qH and p_t = (1 + R delta/(R-1))^e, e = gamma/(gamma-1)   (23);
   from t+1 on p_{t+1} = (1 - R delta)^e, and the fundamental decline (22)
   delta = 1 - (1 - tau) p_{t+1} becomes the fixed point delta = 1 - (1-tau)(1 - R delta)^e.
2. lambda >= (R-1)K: only households spend, p_t = (R/alpha)^(-gamma), s_t = p_t y (24), and
   p_{t+1} = (1 - delta*)^e, so delta = 1 - (1 - tau)(1 - delta*)^e in closed form.

Regime 1 holds exactly for tau < tau_Div (Appendix 2).

The regime-1 root
-----------------
With u = 1 - R delta in (0, 1] and g = gamma/(1-gamma) = -e, the fixed point reads
(R - 1 + u) u^g = R (1 - tau). In v = log u,

    F(v) = log(R - 1 + e^v) + g v - log(R (1 - tau)) = 0,

F is increasing and convex in v, and F(0) = -log(1 - tau) >= 0. Newton's method started at or to
the right of the root therefore decreases monotonically to it and cannot overshoot: the iterate
is its own bracket [root, v_k]. The first step from v = 0 is in closed form,
v_1 = log(1 - tau)/(1/R + g), which is the initial guess. The closed forms (gamma = 0: delta = tau;
gamma = 1/2: a quadratic) are in :func:`delta_closed_form` and are used by the tests as an oracle.

The work is done in cache-sized chunks of the flattened, broadcast inputs; inside a chunk every
operation is a vectorised numpy call (no loop over points).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.vonpeter.params import Params, check_tau

__all__ = [
    "OUTPUT_KEYS",
    "Regime",
    "Solution",
    "delta_closed_form",
    "solve",
]

Arr = NDArray[np.float64]

#: Output fields of :class:`Solution`, in the order of the CLI's JSON keys.
OUTPUT_KEYS = (
    "delta", "p_t", "p_next", "s_t", "s_next", "asset_value_t", "loan_losses", "total_losses",
    "firm_profits_t", "bank_capital_t", "bank_dividends_t", "deposits_t", "depositor_losses",
)

_CHUNK = 1 << 15
_NEWTON_MAX_ITER = 60
_STEP_TOL = 1e-14


class Regime(IntEnum):
    """Who bears the losses (Figure 5, Proposition 3)."""

    FIRMS_ABSORB = 0
    DIVIDENDS_ABSORB = 1
    CAPITAL_ABSORBS = 2
    INSOLVENT = 3

    @property
    def label(self) -> str:
        """The machine name used in JSON (``firms_absorb``, ...)."""
        return self.name.lower()

    @property
    def description(self) -> str:
        return _REGIME_TEXT[self]


_REGIME_TEXT = {
    Regime.FIRMS_ABSORB: "firms' profits absorb the losses; no default",
    Regime.DIVIDENDS_ABSORB: "firms default; bank dividends absorb the loan losses",
    Regime.CAPITAL_ABSORBS: "loan losses exceed bank profits and deplete bank capital",
    Regime.INSOLVENT: "bank capital is gone; depositors bear the losses",
}


@dataclass(frozen=True, eq=False)
class Solution:
    """The fundamental equilibrium after the shock tau, with solver diagnostics.

    Every output array has the broadcast shape of the parameters and ``tau``. Values are in units
    of the nominal anchor p0 = 1 (they scale with y). ``regime`` holds :class:`Regime` codes.

    Diagnostics: ``converged`` (all points), ``iterations`` (the most Newton iterations any chunk
    needed), ``max_residual`` (largest |delta - 1 + (1 - tau) p_{t+1}| over all points, i.e. the
    residual of the fixed point (22)).
    """

    params: Params
    tau: Arr
    delta: Arr
    p_t: Arr
    p_next: Arr
    s_t: Arr
    s_next: Arr
    asset_value_t: Arr
    loan_losses: Arr
    total_losses: Arr
    firm_profits_t: Arr
    bank_capital_t: Arr
    bank_dividends_t: Arr
    deposits_t: Arr
    depositor_losses: Arr
    regime: NDArray[np.int8]
    converged: bool
    iterations: int
    max_residual: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.delta.shape

    def regime_labels(self) -> NDArray[np.str_]:
        labels = np.array([r.label for r in Regime])
        return labels[self.regime]

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per point (flattened), keys as in the CLI."""
        n = int(np.prod(self.shape, dtype=np.int64))
        cols = {k: np.ravel(getattr(self, k)).tolist() for k in OUTPUT_KEYS}
        regs = np.ravel(self.regime_labels()).tolist()
        out = []
        for i in range(n):
            rec: dict[str, Any] = {k: cols[k][i] for k in OUTPUT_KEYS}
            rec["regime"] = regs[i]
            out.append(rec)
        return out

    def to_dict(self) -> dict[str, Any]:
        """For a scalar solution: the CLI's JSON object; for arrays: lists per key."""
        if self.shape == ():
            return self.records()[0]
        d: dict[str, Any] = {k: getattr(self, k).tolist() for k in OUTPUT_KEYS}
        d["regime"] = self.regime_labels().tolist()
        return d

    def to_frame(self) -> Any:
        """A pandas DataFrame with the inputs (alpha, beta, gamma, tau) and every output."""
        import pandas as pd

        shape = self.shape
        p = self.params
        cols: dict[str, Any] = {
            name: np.ravel(np.broadcast_to(getattr(p, name), shape))
            for name in ("alpha", "beta", "gamma")
        }
        cols["tau"] = np.ravel(np.broadcast_to(self.tau, shape))
        for k in OUTPUT_KEYS:
            cols[k] = np.ravel(getattr(self, k))
        cols["regime"] = np.ravel(self.regime_labels())
        return pd.DataFrame(cols)

    def residuals(self) -> dict[str, Arr]:
        """Accounting identities after the shock; each is zero up to round-off.

        - ``bank_balance_sheet``: q_t H - (D_t + K_t) (balance sheet t+ of Figure 6);
        - ``goods_market_t``: p_t y - (s_t + Pi_t + Div_t)   (20);
        - ``household_budget``: s_{t+1} - (R - 1) D_t   (30);
        - ``repayment``: Pi_t + (R qH - lambda) - (p_t y + q_t H)   (15);
        - ``euler_next``: p_{t+1} - (s_{t+1}/s)^e   (31);
        - ``asset_pricing``: (R-1) q_t H - alpha (1 - tau) p_{t+1} y   (19) in the new steady state;
        - ``goods_market_next``: (1-tau) p_{t+1} y - (s_{t+1} + (1-alpha)(1-tau) p_{t+1} y
          + (R-1) K_t)   (21).
        """
        p = self.params
        a, R, g = p.a, p.R, p.g
        y = np.asarray(p.y, dtype=np.float64)
        qH = a * y / (R - 1.0)
        s = a * y / R
        e = g / (g - 1.0)
        one_m_tau = 1.0 - self.tau
        return {
            "bank_balance_sheet": self.asset_value_t - (self.deposits_t + self.bank_capital_t),
            "goods_market_t": self.p_t * y
            - (self.s_t + self.firm_profits_t + self.bank_dividends_t),
            "household_budget": self.s_next - (R - 1.0) * self.deposits_t,
            "repayment": self.firm_profits_t + (R * qH - self.loan_losses)
            - (self.p_t * y + self.asset_value_t),
            "euler_next": self.p_next - (self.s_next / s) ** e,
            "asset_pricing": (R - 1.0) * self.asset_value_t - a * one_m_tau * self.p_next * y,
            "goods_market_next": one_m_tau * self.p_next * y
            - (self.s_next + (1.0 - a) * one_m_tau * self.p_next * y
               + (R - 1.0) * self.bank_capital_t),
        }


def delta_closed_form(alpha: ArrayLike, R: ArrayLike, gamma: float, tau: ArrayLike) -> Arr:
    """The regime-1 fixed point delta = 1 - (1-tau)(1 - R delta)^e in closed form.

    Only for gamma = 0 (delta = tau) and gamma = 1/2 (e = -1: R delta^2 - (1 + R) delta + tau = 0,
    the smaller root). Valid for tau below tau_Div, where regime 1 holds.
    """
    t = np.asarray(tau, dtype=np.float64)
    Rr = np.asarray(R, dtype=np.float64)
    if gamma == 0.0:
        return t + 0.0 * Rr + 0.0 * np.asarray(alpha, dtype=np.float64)
    if gamma == 0.5:
        # delta (1 - R delta) = (1 - R delta) - (1 - tau)
        # => R delta^2 - (1 + R) delta + tau = 0; the root in [0, 1/R) is the smaller one.
        b = 1.0 + Rr
        disc = b * b - 4.0 * Rr * t
        return (2.0 * t) / (b + np.sqrt(disc)) + 0.0 * np.asarray(alpha, dtype=np.float64)
    raise ParameterError("gamma", "gamma in {0, 0.5} for a closed form", gamma)


def _newton_regime1(R: Arr, gg: Arr, t: Arr) -> tuple[Arr, int]:
    """Monotone Newton for F(v) = log(R - 1 + e^v) + g v - log(R(1 - t)) = 0; returns (v, iters).

    Converged points leave the active set, so late iterations touch only the few slow points.
    """
    Rm1 = R - 1.0
    l1t = np.log1p(-t)
    target = np.log(R) + l1t
    v = l1t / (1.0 / R + gg)  # the closed-form first Newton step from v = 0
    active = np.arange(v.size)
    it = 0
    for it in range(1, _NEWTON_MAX_ITER + 1):
        va = v[active]
        w = np.exp(va)
        den = Rm1[active] + w
        gga = gg[active]
        step = (np.log(den) + gga * va - target[active]) / (w / den + gga)
        v[active] = va - step
        keep = np.abs(step) > _STEP_TOL
        if not keep.any():
            break
        if it >= 3:
            active = active[keep]
    return v, it


def _kernel(a: Arr, R: Arr, g: Arr, y: Arr, tau: Arr, out: dict[str, Arr]) -> tuple[int, float]:
    """Solve one chunk of flat arrays in place into ``out``; return (iterations, max residual)."""
    Rm1 = R - 1.0
    lRa = np.log(R / a)
    gg = g / (1.0 - g)  # = -e
    x = np.exp((1.0 - g) * lRa)  # (R/alpha)^(1-gamma)
    ds = Rm1 * (x - 1.0)  # delta* (28)
    pbar1 = np.exp(-gg * np.log1p(-ds))  # p_{t+1} in regime 2: (1 - delta*)^e
    pbar0 = x * (a / R)  # p_bar_t = (R/alpha)^(-gamma)   (24)
    tdiv = 1.0 - (1.0 - ds / R) / pbar1  # tau_Div (33)
    qH = a * y / Rm1
    s = a * y / R

    # Regime 2 everywhere first (closed form), then overwrite the regime-1 points.
    delta = 1.0 - (1.0 - tau) * pbar1
    p_next = pbar1
    p_t = pbar0
    s_t = pbar0 * y
    idx = np.flatnonzero(tau < tdiv)
    it, max_res = 0, 0.0
    if idx.size:
        R1, gg1, t1 = R[idx], gg[idx], tau[idx]
        v, it = _newton_regime1(R1, gg1, t1)
        d1 = -np.expm1(v) / R1
        pn1 = np.exp(-gg1 * v)  # (1 - R delta)^e
        max_res = float(np.max(np.abs(d1 - 1.0 + (1.0 - t1) * pn1)))
        delta[idx] = d1
        p_next = p_next.copy()
        p_next[idx] = pn1
        p_t = p_t.copy()
        p_t[idx] = np.exp(-gg1 * np.log1p(R1 * d1 / Rm1[idx]))  # (23)
        s_t[idx] = s[idx] + d1 * qH[idx]
    D_t = qH - s_t  # R D - s_t: households' deposits after spending (30)
    omega = delta * qH + (1.0 - p_t) * y
    Pi = (1.0 - a) * y
    lam = np.maximum(omega - Pi, 0.0)
    RK = R * s  # K = s
    normal = Rm1 * s
    absorb = lam <= normal
    out["delta"][:] = delta
    out["p_t"][:] = p_t
    out["p_next"][:] = p_next
    out["s_t"][:] = s_t
    np.multiply(Rm1, D_t, out=out["s_next"])
    np.multiply(1.0 - delta, qH, out=out["asset_value_t"])
    out["loan_losses"][:] = lam
    out["total_losses"][:] = omega
    np.maximum(Pi - omega, 0.0, out=out["firm_profits_t"])
    out["bank_capital_t"][:] = np.where(absorb, s, RK - lam)
    out["bank_dividends_t"][:] = np.where(absorb, normal - lam, 0.0)
    out["deposits_t"][:] = D_t
    np.maximum(lam - RK, 0.0, out=out["depositor_losses"])
    reg = out["regime"]
    reg[:] = 3
    reg[lam < RK] = 2
    reg[absorb] = 1
    reg[lam <= 0.0] = 0
    if not np.all(np.isfinite(delta)):
        raise ConvergenceError("fundamental root: non-finite decline (inputs outside the model?)")
    return it, max_res


def solve(params: Params, tau: ArrayLike, *, tol: float = 1e-10) -> Solution:
    """The fundamental equilibrium after the shock ``tau`` (Propositions 2 and 3).

    Parameters
    ----------
    params
        The structural parameters (scalars or arrays).
    tau
        The productivity shock, 0 <= tau <= 1; broadcasts against the parameters.
    tol
        Largest admissible residual of the fixed point (22); larger raises ConvergenceError.

    Returns
    -------
    Solution
        Every output of the model at t and t+1, the regime, and the solver's diagnostics.
    """
    t = check_tau(tau)
    shape = np.broadcast_shapes(params.shape, t.shape)
    n = math.prod(shape)
    flat = {
        name: np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype=np.float64), shape)).ravel()
        for name, v in (("a", params.a), ("R", params.R), ("g", params.g), ("y", params.y),
                        ("tau", t))
    }
    out = {k: np.empty(n) for k in OUTPUT_KEYS}
    out["regime"] = np.empty(n, dtype=np.int8)
    iters = 0
    max_res = 0.0
    for lo in range(0, n, _CHUNK):
        sl = slice(lo, min(lo + _CHUNK, n))
        it, res = _kernel(flat["a"][sl], flat["R"][sl], flat["g"][sl], flat["y"][sl],
                          flat["tau"][sl], {k: v[sl] for k, v in out.items()})
        iters = max(iters, it)
        max_res = max(max_res, res)
    converged = max_res <= tol
    if not converged:
        raise ConvergenceError(
            f"fundamental root did not converge: largest residual {max_res:.3g} > tol {tol:g} "
            f"after {iters} Newton iterations")
    arrays: dict[str, Any] = {k: v.reshape(shape) for k, v in out.items()}
    return Solution(params=params, tau=np.broadcast_to(t, shape).copy(), **arrays,
                    converged=converged, iterations=iters, max_residual=max_res)
