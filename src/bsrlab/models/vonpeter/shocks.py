"""Repeated shocks and state-dependent thresholds (the paper has one shock; Section 3 of the note).

After a shock tau at t the economy is from t+1 in a new steady state: nominal output
y' = (1 - tau) p_{t+1} y, assets worth q_t H = alpha y'/(R - 1) (the same loans), bank capital K_t
and households' deposits D_t = q_t H - K_t. That state is the paper's economy with output y' and
a bank capital ratio k = K_t/(q_t H), which the steady state clears for any k (households spend
(R - 1) D, bankers (R - 1) K). A second shock hits this state. Its thresholds depend on k,
with the capital requirement kept at (R - 1)/R (:func:`state_thresholds`):

* delta_Div(k) = (R - 1)(p_t/alpha - (1 - k)), p_t = ((1 - k) alpha)^gamma (24);
* delta*(k) = [R k - k_req + (R - 1)(p_t/alpha - 1)]/(1 - k_req);
* delta_K(k) = R k + (R - 1)(p_t/alpha - 1);
* tau_i(k) = 1 - (1 - delta_i)/p_{t+1}, with p_{t+1} = (1 - (R - 1)[((1 - k) alpha)^(gamma - 1)
  - 1])^e.

At k = (R - 1)/R these are the paper's (28) and (33). Between shocks the banks pay out a share
``payout`` of their normal profits (R - 1)K and retain the rest (the rebuild rule); the paper's
banks pay out everything (payout = 1). ``restore=True`` instead puts capital back at (R - 1)/R of
the assets before each shock: then a shock is the first shock again, scaled by y'.

What the accounting implies: a first shock that stays below tau* leaves the banks with a capital
ratio of at least (R - 1)/R, because the loans fall with the asset price while capital falls only
by the losses beyond dividends (the constraint (26) is exactly this ratio). So capital is
"depleted" in level but not relative to the smaller balance sheet; a lower ratio (capital
depleted relative to the assets) lowers every threshold except, where gamma is large and alpha
small, delta_Div (the tests record the numbers).

Examples
--------
>>> from bsrlab.models.vonpeter.params import Params
>>> p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
>>> path = shock_path(p, [0.03, 0.03])
>>> [r["regime"] for r in path.records()]
['firms_absorb', 'firms_absorb']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.policy import capital_ratio_paper, crunch_decline, solve_policy

__all__ = ["SHOCK_KEYS", "ShockPath", "shock_path", "state_thresholds"]

Arr = NDArray[np.float64]

#: The keys of one shock's record, in order.
SHOCK_KEYS: tuple[str, ...] = ("tau", "delta", "bank_capital", "delta_star", "tau_star",
                               "regime", "capital_ratio", "delta_div", "tau_div")

_CRISIS = "banking_crisis"


def state_thresholds(params: Params, capital_ratio: ArrayLike) -> dict[str, Arr]:
    """Thresholds of a banking state with capital ratio k (requirement (R - 1)/R), vectorised.

    Returns ``delta_div``, ``delta_star``, ``delta_K``, ``tau_div``, ``tau_star``, ``tau_K`` and
    ``valid``: whether firms default before the crunch (loan losses at delta* are positive), the
    condition under which the closed forms hold.
    """
    k = np.asarray(capital_ratio, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        if np.any(~((k > 0.0) & (k < 1.0))):
            raise ParameterError("capital_ratio", "0 < capital_ratio < 1",
                                 float(k[~((k > 0.0) & (k < 1.0))].ravel()[0])
                                 if k.ndim else float(k))
    a, R, g = params.a, params.R, params.g
    kq = capital_ratio_paper(params)
    pbar = np.exp(g * np.log((1.0 - k) * a))
    ddiv = (R - 1.0) * (pbar / a - (1.0 - k))
    ds = crunch_decline(params, k=k, requirement=kq)
    dK = R * k + (R - 1.0) * (pbar / a - 1.0)
    ds_b = (R - 1.0) * np.expm1((g - 1.0) * np.log((1.0 - k) * a))
    pn = closed.price_level(-ds_b, g)

    def tau(d: Arr) -> Arr:
        return 1.0 - (1.0 - d) / pn

    y = np.asarray(params.y, dtype=np.float64)
    qH = closed.asset_value(a, R, y)
    lam_star = ds * qH - pbar * y + a * y
    return {"delta_div": ddiv, "delta_star": ds, "delta_K": dK, "tau_div": tau(ddiv),
            "tau_star": tau(ds), "tau_K": tau(dK), "valid": lam_star >= 0.0}


@dataclass(frozen=True, kw_only=True, eq=False)
class ShockPath(Result[Params]):
    """A sequence of shocks: per shock the state it met, its outcome and the capital it left.

    Arrays of one entry per shock: ``tau``; ``capital_ratio`` K/(qH) entering the shock;
    ``delta_div``, ``delta_star``, ``tau_div``, ``tau_star`` of that state; ``delta`` the
    decline of the outcome (1 in a banking crisis); ``bank_capital`` K_t after the shock
    (nominal, units of the first anchor; negative when banks are insolvent); ``output``
    nominal output y' from t+1 on. ``regime`` names who bears the losses, or
    ``banking_crisis`` once a shock reaches tau* of its state (from then on the economy stays
    in autarky and later shocks change nothing).
    """

    KEYS: ClassVar[tuple[str, ...]] = SHOCK_KEYS

    tau: Arr
    delta: Arr
    bank_capital: Arr
    delta_star: Arr
    tau_star: Arr
    delta_div: Arr
    tau_div: Arr
    capital_ratio: Arr
    output: Arr
    regime: tuple[str, ...]
    payout: float
    restore: bool

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per shock, keys :data:`SHOCK_KEYS`."""
        out = []
        for i in range(self.tau.size):
            rec: dict[str, Any] = {}
            for key in SHOCK_KEYS:
                v = self.regime[i] if key == "regime" else float(getattr(self, key)[i])
                rec[key] = None if isinstance(v, float) and not math.isfinite(v) else v
            out.append(rec)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The records, with the rebuild rule."""
        return {"payout": self.payout, "restore": self.restore, "shocks": self.records()}

    def to_frame(self) -> Any:
        """One row per shock."""
        import pandas as pd

        return pd.DataFrame(self.records())


def shock_path(params: Params, taus: ArrayLike, *, payout: float = 1.0,
               restore: bool = False) -> ShockPath:
    """Hit the economy with the shocks ``taus`` in successive periods.

    Parameters
    ----------
    params
        Scalar parameters of the economy before the first shock.
    taus
        The shocks, each 0 <= tau <= 1, one per period.
    payout
        Share of normal bank profits (R - 1)K paid out between shocks, 0 <= payout <= 1; the
        rest rebuilds capital.
    restore
        Put bank capital back at (R - 1)/R of the assets before each shock.

    Returns
    -------
    ShockPath
        One entry per shock. Diagnostics: the largest residual of the fundamental roots.
    """
    if not params.is_scalar:
        raise ParameterError("params", "scalar parameters for a shock path", str(params.shape))
    t = np.atleast_1d(check_tau(taus)).astype(np.float64)
    if t.ndim != 1 or t.size == 0 or t.size > 1000:
        raise ParameterError("taus", "a list of 1 to 1000 shocks", f"{t.size} shocks")
    P = float(np.asarray(payout, dtype=np.float64))
    if not (0.0 <= P <= 1.0) or not math.isfinite(P):
        raise ParameterError("payout", "0 <= payout <= 1", payout)
    R = float(params.R)
    a = float(params.a)
    k_req = float(capital_ratio_paper(params))
    y_n = float(np.asarray(params.y))
    k: float | None = None  # None: the paper's ratio, exactly
    crisis = False
    rows: dict[str, list[float]] = {key: [] for key in
                                    ("delta", "bank_capital", "delta_star", "tau_star",
                                     "delta_div", "tau_div", "capital_ratio", "output")}
    regimes: list[str] = []
    max_res, iters = 0.0, 0
    for tau in t:
        p_i = params.replace(y=y_n)
        kk = k_req if k is None else k
        th = state_thresholds(p_i, kk)
        if k is None:  # the paper's closed forms, exactly
            ds = float(closed.delta_star(a, R, float(params.g)))
            th["delta_star"] = np.asarray(ds)
            th["delta_div"] = np.asarray(ds / R)
        rows["capital_ratio"].append(kk)
        for key in ("delta_star", "tau_star", "delta_div", "tau_div"):
            rows[key].append(float(th[key]) if not crisis else math.nan)
        if crisis:
            rows["delta"].append(1.0)
            rows["bank_capital"].append(rows["bank_capital"][-1])
            rows["output"].append(rows["output"][-1])
            regimes.append(_CRISIS)
            continue
        if tau >= float(th["tau_star"]) and tau > 0.0:
            qH = float(closed.asset_value(a, R, y_n))
            pbar = float(np.exp(float(params.g) * np.log((1.0 - kk) * a)))
            lam = qH + (1.0 - pbar) * y_n - (1.0 - a) * y_n
            rows["delta"].append(1.0)
            rows["bank_capital"].append(R * kk * qH - lam)
            rows["output"].append(0.0)
            regimes.append(_CRISIS)
            crisis = True
            continue
        sol = solve_policy(p_i, float(tau), capital_ratio=k)
        max_res = max(max_res, sol.max_residual)
        iters = max(iters, sol.iterations)
        K_t = float(sol.bank_capital_t)
        rows["delta"].append(float(sol.delta))
        rows["bank_capital"].append(K_t)
        regimes.append(str(sol.regime_labels()))
        y_n = (1.0 - float(tau)) * float(sol.p_next) * y_n
        rows["output"].append(y_n)
        qtH = float(sol.asset_value_t)
        if restore:
            k = None
        else:
            K_next = K_t + (1.0 - P) * (R - 1.0) * K_t
            k = K_next / qtH
            if not 0.0 < k < 1.0:
                raise ParameterError("payout", "a rule leaving banks a capital ratio in (0, 1)",
                                     P)
    diag = Diagnostics(True, iters, max_res, "monotone-newton" if iters else "closed-form")
    arr = {key: np.asarray(v, dtype=np.float64) for key, v in rows.items()}
    return ShockPath(params=params, diagnostics=diag, tau=t, regime=tuple(regimes), payout=P,
                     restore=bool(restore), **arr)
