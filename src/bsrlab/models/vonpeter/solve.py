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

The closed forms (prices, delta*, tau_Div, qH, K = s) come from
:mod:`bsrlab.models.vonpeter.closed`; the loss accounting (16)-(18) and (30) is written here only.
A solve that cannot meet its tolerance raises :class:`~bsrlab.core.errors.ConvergenceError`
carrying its :class:`~bsrlab.core.result.Diagnostics`.

Two implementations compute the solution. For arrays, :func:`solve` runs on the fused kernel of
:mod:`bsrlab.models.vonpeter.kernel` when it is built (``backend="c"``, the default for arrays:
compiled, vectorised, one pass over the points). The numpy implementation below
(``backend="numpy"``, the default for scalars, and what ``BSRLAB_KERNEL=numpy`` selects) works
in cache-sized chunks of the flattened, broadcast inputs; inside a chunk every operation is a
vectorised numpy call (no loop over points). Both verify the residual of the fixed point (22)
and agree to a few ulps, not to the last bit; each is deterministic point by point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.outputs import OUTPUT_KEYS, SOLUTION_KEYS
from bsrlab.models.vonpeter.params import Params, check_tau

__all__ = [
    "OUTPUT_KEYS",
    "Regime",
    "Solution",
    "delta_closed_form",
    "solve",
]

Arr = NDArray[np.float64]

_CHUNK = 1 << 15
_NEWTON_MAX_ITER = 60
_STEP_TOL = 1e-14


class Regime(IntEnum):
    """Who bears the losses (Figure 5, Proposition 3): the one definition of the loss regimes.

    The JSON name of a regime is its :attr:`label` (``firms_absorb``, ``dividends_absorb``,
    ``capital_absorbs``, ``insolvent``); :attr:`text` names it in words for tables and figures
    (the ranges Figure 5 shades) and :attr:`description` says what happens.
    """

    FIRMS_ABSORB = 0
    DIVIDENDS_ABSORB = 1
    CAPITAL_ABSORBS = 2
    INSOLVENT = 3

    @property
    def label(self) -> str:
        """The machine name used in JSON (``firms_absorb``, ...)."""
        return self.name.lower()

    @property
    def text(self) -> str:
        """Who bears the losses, in words (``firms absorb``, ...), for tables and figures."""
        return _REGIME_WORDS[self]

    @property
    def description(self) -> str:
        """What happens in this regime, in one line."""
        return _REGIME_TEXT[self]

    @classmethod
    def from_label(cls, label: str) -> Regime:
        """The regime whose :attr:`label` is ``label``."""
        for r in cls:
            if r.label == label:
                return r
        raise ParameterError("regime", "one of " + ", ".join(r.label for r in cls), label)


_REGIME_WORDS = {
    Regime.FIRMS_ABSORB: "firms absorb",
    Regime.DIVIDENDS_ABSORB: "bank dividends absorb",
    Regime.CAPITAL_ABSORBS: "bank capital absorbs",
    Regime.INSOLVENT: "depositors lose",
}

_REGIME_TEXT = {
    Regime.FIRMS_ABSORB: "firms' profits absorb the losses; no default",
    Regime.DIVIDENDS_ABSORB: "firms default; bank dividends absorb the loan losses",
    Regime.CAPITAL_ABSORBS: "loan losses exceed bank profits and deplete bank capital",
    Regime.INSOLVENT: "bank capital is gone; depositors bear the losses",
}

_LABELS = np.array([r.label for r in Regime])


@dataclass(frozen=True, kw_only=True, eq=False)
class Solution(Result[Params]):
    """The fundamental equilibrium after the shock tau, with solver diagnostics.

    Every output array is read-only and has the broadcast shape of the parameters and ``tau``.
    Values are in units of the nominal anchor p0 = 1 (they scale with y). ``regime`` holds
    :class:`Regime` codes.

    ``diagnostics``: method ``monotone-newton`` (``closed-form`` when no point needed the
    root), ``converged`` (all points), ``iterations`` (the most Newton iterations any chunk
    needed), ``max_residual`` (largest |delta - 1 + (1 - tau) p_{t+1}| over all points, i.e. the
    residual of the fixed point (22)); ``converged``, ``iterations`` and ``max_residual`` are
    also properties of the solution.
    """

    KEYS: ClassVar[tuple[str, ...]] = SOLUTION_KEYS

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

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the parameters and the shock."""
        return self.delta.shape

    def regime_labels(self) -> NDArray[np.str_]:
        """The regimes' JSON names (:attr:`Regime.label`), same shape as ``regime``."""
        return _LABELS[self.regime]

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
        qH = closed.asset_value(a, R, y)
        s = closed.household_spending(a, R, y)
        e = closed.price_exponent(g)
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


def monotone_newton(a: Arr, gg: Arr, log_b: Arr, v0: Arr) -> tuple[Arr, int, bool]:
    """Monotone Newton for F(v) = log(a + e^v) + g v - log b = 0 (F increasing and convex).

    From the left of the root the first step lands right of it (convexity); from there the
    iterates decrease monotonically. Converged points leave the active set, so late iterations
    touch only the few slow points. Returns (v, iterations, converged).
    """
    v = v0.copy()
    active = np.arange(v.size)
    it = 0
    for it in range(1, _NEWTON_MAX_ITER + 1):
        va = v[active]
        w = np.exp(va)
        den = a[active] + w
        gga = gg[active]
        step = (np.log(den) + gga * va - log_b[active]) / (w / den + gga)
        v[active] = va - step
        keep = np.abs(step) > _STEP_TOL
        if not keep.any():
            return v, it, True
        if it >= 3:
            active = active[keep]
    return v, it, False


def _newton_regime1(R: Arr, gg: Arr, t: Arr) -> tuple[Arr, int]:
    """Monotone Newton for F(v) = log(R - 1 + e^v) + g v - log(R(1 - t)) = 0; returns (v, iters).

    Started from the closed-form first Newton step from v = 0 (:func:`monotone_newton`).
    """
    l1t = np.log1p(-t)
    v, it, _ = monotone_newton(R - 1.0, gg, np.log(R) + l1t, l1t / (1.0 / R + gg))
    return v, it


def _kernel(a: Arr, R: Arr, g: Arr, y: Arr, tau: Arr, out: dict[str, Arr]) -> tuple[int, float]:
    """Solve one chunk of flat arrays in place into ``out``; return (iterations, max residual)."""
    Rm1 = R - 1.0
    gg = g / (1.0 - g)  # = -e
    ds = closed.delta_star(a, R, g)  # (28)
    pbar1 = closed.price_level(-ds, g)  # p_{t+1} in regime 2: (1 - delta*)^e   (31)
    pbar0 = closed.p_bar_t(a, R, g)  # p_bar_t = (R/alpha)^(-gamma)   (24)
    tdiv = closed.shock_for_decline(ds / R, pbar1)  # tau_Div (33)
    qH = closed.asset_value(a, R, y)  # (11)
    K = closed.bank_capital(a, R, y)  # K = s

    # Regime 2 everywhere first (closed form), then overwrite the regime-1 points.
    delta = closed.fundamental_decline(tau, pbar1)
    p_next = pbar1
    p_t = pbar0
    s_t = pbar0 * y
    idx = np.flatnonzero(tau < tdiv)
    it, max_res = 0, 0.0
    if idx.size:
        R1, gg1, t1 = R[idx], gg[idx], tau[idx]
        v, it = _newton_regime1(R1, gg1, t1)
        # back from the Newton variable v = log(1 - R delta): delta and p_{t+1} = e^(e v)
        v = np.minimum(v, 0.0)  # u = 1 - R delta <= 1: a root at v = +1e-17 is round-off
        d1 = -np.expm1(v) / R1
        pn1 = np.exp(-gg1 * v)
        max_res = float(np.max(np.abs(d1 - 1.0 + (1.0 - t1) * pn1)))
        delta[idx] = d1
        p_next = p_next.copy()
        p_next[idx] = pn1
        p_t = p_t.copy()
        p_t[idx] = closed.p_t_regime1(d1, R1, g[idx])  # (23)
        s_t[idx] = closed.spending_regime1(d1, a[idx], R1, y[idx])
    D_t = qH - s_t  # R D - s_t: households' deposits after spending (30)
    omega = delta * qH + (1.0 - p_t) * y  # (17)
    Pi = closed.firm_profits(a, y)
    lam = np.maximum(omega - Pi, 0.0)  # (16)
    RK = R * K
    normal = Rm1 * K  # normal bank profits (R-1)K
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
    out["bank_capital_t"][:] = np.where(absorb, K, RK - lam)  # (18)
    out["bank_dividends_t"][:] = np.where(absorb, normal - lam, 0.0)  # (18)
    out["deposits_t"][:] = D_t
    np.maximum(lam - RK, 0.0, out=out["depositor_losses"])
    reg = out["regime"]
    reg[:] = Regime.INSOLVENT
    reg[lam < RK] = Regime.CAPITAL_ABSORBS
    reg[absorb] = Regime.DIVIDENDS_ABSORB
    reg[lam <= 0.0] = Regime.FIRMS_ABSORB
    if not np.all(np.isfinite(delta)):
        return it, math.nan
    return it, max_res


def solve(params: Params, tau: ArrayLike, *, tol: float = 1e-10,
          backend: str | None = None) -> Solution:
    """The fundamental equilibrium after the shock ``tau`` (Propositions 2 and 3).

    Parameters
    ----------
    params
        The structural parameters (scalars or arrays).
    tau
        The productivity shock, 0 <= tau <= 1; broadcasts against the parameters.
    tol
        Largest admissible residual of the fixed point (22).
    backend
        ``"c"`` (the compiled fused kernel), ``"numpy"``, or ``None``: the kernel's default
        backend (:func:`~bsrlab.models.vonpeter.kernel.default_backend`) for arrays, numpy for
        a scalar point.

    Returns
    -------
    Solution
        Every output of the model at t and t+1, the regime, and the solver's diagnostics.

    Raises
    ------
    ConvergenceError
        If the residual exceeds ``tol`` or is not finite; it carries the diagnostics.
    """
    from bsrlab.models.vonpeter import kernel

    t = check_tau(tau)
    shape = np.broadcast_shapes(params.shape, t.shape)
    if kernel.choose_backend(backend, shape) == "c":
        return _solve_kernel(params, t, shape, tol)
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
        max_res = res if math.isnan(res) else max(max_res, res)
        if math.isnan(max_res):
            break
    method = "monotone-newton" if iters else "closed-form"
    diag = Diagnostics(converged=bool(max_res <= tol), iterations=iters, max_residual=max_res,
                       method=method)
    verify(diag, tol, what="fundamental root")
    return _solution(params, t, shape, diag, out)


def _solution(params: Params, t: Arr, shape: tuple[int, ...], diag: Diagnostics,
              out: dict[str, NDArray[Any]]) -> Solution:
    """The Solution of the flat outputs ``out``, reshaped to ``shape`` and read-only."""
    arrays: dict[str, Any] = {}
    for k, v in out.items():
        v.flags.writeable = False  # the reshaped views below are then read-only without a copy
        arrays[k] = v.reshape(shape)
    return Solution(params=params, diagnostics=diag, tau=np.broadcast_to(t, shape).copy(),
                    **arrays)


def _solve_kernel(params: Params, t: Arr, shape: tuple[int, ...], tol: float) -> Solution:
    """:func:`solve` on the compiled fused kernel: the same outputs, diagnostics and checks."""
    from bsrlab.models.vonpeter import kernel

    n = math.prod(shape)
    out: dict[str, NDArray[Any]] = {k: np.empty(n) for k in OUTPUT_KEYS}
    out["regime"] = np.empty(n, dtype=np.int8)
    a, R, g, y, tt = (kernel.flat_input(v, shape)
                      for v in (params.a, params.R, params.g, params.y, t))
    # Params and check_tau have checked the admissible box already
    r = kernel.evaluate(a, R, g, tt, y, outputs=SOLUTION_KEYS, out=out, backend="c", tol=tol,
                        check=False)
    kd = r.diagnostics
    diag = Diagnostics(converged=kd.converged, iterations=kd.iterations if r.roots else 0,
                       max_residual=kd.max_residual,
                       method="monotone-newton" if r.roots else "closed-form")
    return _solution(params, t, shape, diag, out)
