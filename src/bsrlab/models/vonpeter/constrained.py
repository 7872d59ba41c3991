"""Capital-constrained equilibria: capital crunch, financial instability, banking crisis.

Section 3, Proposition 4 and Appendix 3 of von Peter (2004). Banks keep capital/assets at least
(R-1)/R. Admissible lending as a function of the asset price decline is (26)

    L(delta) = qH                                   if lambda <= (R-1)K
             = qH - R/(R-1) [lambda - (R-1)K]       if (R-1)K <= lambda <= RK
             = 0                                    if lambda >= RK,

with lambda evaluated at the regime-2 price p_bar_t, so that (25) lambda - (R-1)K =
(delta - delta_Div) qH. Credit demand is (1 - delta) qH. Their fixed points are the capital crunch
delta = delta* (unstable: slope R/(R-1) > 1) and the systemic banking crisis delta = 1 (stable).

In a constrained equilibrium the loan rate R_t clears the credit market (27):
(R_t - 1)/(R - 1) = (1 - tau)(1 - delta*)^e / (1 - delta); at the crunch this is
(1 - tau)/(1 - tau*); in the crisis R_t is infinite.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.solve import solve
from bsrlab.models.vonpeter.thresholds import (
    delta_div,
    delta_K,
    delta_star,
    p_bar_next,
    tau_star,
)

__all__ = [
    "EquilibriumKind",
    "EquilibriumPoint",
    "InstabilityPath",
    "admissible_lending",
    "equilibria",
    "instability_path",
    "loan_rate",
]

Arr = NDArray[np.float64]


class EquilibriumKind(StrEnum):
    """The three kinds of equilibrium of Proposition 4."""

    FUNDAMENTAL = "fundamental"
    CAPITAL_CRUNCH = "capital_crunch"
    BANKING_CRISIS = "banking_crisis"


@dataclass(frozen=True)
class EquilibriumPoint:
    """One equilibrium for a given shock.

    ``loan_rate`` is the gross loan rate R_t (``inf`` in a banking crisis); ``stable`` says whether
    the instability process of Figure 8 returns to it after a small perturbation;
    ``self_fulfilling`` says whether it arises from expectations rather than from fundamentals
    (Appendix 3's table).
    """

    kind: EquilibriumKind
    delta: float
    loan_rate: float
    stable: bool
    self_fulfilling: bool

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON object (``loan_rate`` is None when infinite)."""
        return {
            "kind": self.kind.value,
            "delta": self.delta,
            "loan_rate": self.loan_rate if np.isfinite(self.loan_rate) else None,
            "stable": self.stable,
            "self_fulfilling": self.self_fulfilling,
        }


def _scalar_params(params: Params, what: str) -> None:
    if not params.is_scalar:
        raise ParameterError("params", f"scalar parameters for {what}", f"shape {params.shape}")


def admissible_lending(params: Params, delta: ArrayLike) -> Arr:
    """Admissible lending L(delta) of (26), in value terms (qH where the constraint is slack).

    Vectorised in ``delta``.

    Uses lambda(delta) = delta qH + (1 - p_bar_t) y - Pi at the regime-2 price (Appendix 3), so that
    lambda - (R-1)K = (delta - delta_Div) qH (25).
    """
    d = np.asarray(delta, dtype=np.float64)
    if np.any((d < 0.0) | (d > 1.0) | ~np.isfinite(d)):
        bad = d[(d < 0.0) | (d > 1.0) | ~np.isfinite(d)].ravel()[0]
        raise ParameterError("delta", "0 <= delta <= 1", float(bad))
    a, R, g = params.a, params.R, params.g
    y = np.asarray(params.y, dtype=np.float64)
    qH = a * y / (R - 1.0)
    excess = (d - delta_div(a, R, g)) * qH  # lambda - (R-1)K   (25)
    K = a * y / R
    L = qH - R / (R - 1.0) * excess
    return np.where(excess <= 0.0, qH, np.where(excess >= K, 0.0, L))


def credit_demand(params: Params, delta: ArrayLike) -> Arr:
    """Credit demand (1 - delta) qH: new firms borrow the value of the assets."""
    d = np.asarray(delta, dtype=np.float64)
    a, R = params.a, params.R
    return (1.0 - d) * a * np.asarray(params.y, dtype=np.float64) / (R - 1.0)


def loan_rate(params: Params, tau: ArrayLike, delta: ArrayLike) -> Arr:
    """Gross loan rate R_t of credit-constrained asset pricing (27), Appendix 3.

    (R_t - 1)/(R - 1) = (1 - tau)(1 - delta*)^e / (1 - delta); infinite at delta = 1.
    """
    t = check_tau(tau)
    d = np.asarray(delta, dtype=np.float64)
    a, R, g = params.a, params.R, params.g
    num = (1.0 - t) * p_bar_next(a, R, g)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d < 1.0, num / (1.0 - d), np.inf)
    return 1.0 + (R - 1.0) * ratio


def equilibria(params: Params, tau: float) -> list[EquilibriumPoint]:
    """All equilibria for the shock ``tau`` (Proposition 4), ordered by the decline.

    - tau < tau*: the fundamental equilibrium (stable, R_t = R), a self-fulfilling capital crunch
      at delta* (unstable, R_t from (27)) and a self-fulfilling banking crisis at delta = 1
      (stable, R_t infinite).
    - tau = tau*: the fundamental decline is delta*; the fundamental equilibrium and the crunch
      coincide (one unstable equilibrium at delta*), plus the crisis.
    - tau > tau*: only the banking crisis, driven by fundamentals. At tau = 1 the decline is 1
      from fundamentals alone.
    """
    _scalar_params(params, "equilibria")
    t = float(check_tau(tau))
    a, R, g = params.a, params.R, params.g
    ts = float(tau_star(a, R, g))
    ds = float(delta_star(a, R, g))
    Rf = float(R)
    out: list[EquilibriumPoint] = []
    if t < ts and not np.isclose(t, ts, rtol=0.0, atol=1e-14):
        fund = solve(params, t)
        out.append(EquilibriumPoint(EquilibriumKind.FUNDAMENTAL, float(fund.delta), Rf,
                                    stable=True, self_fulfilling=False))
        r_crunch = 1.0 + (Rf - 1.0) * (1.0 - t) / (1.0 - ts)
        out.append(EquilibriumPoint(EquilibriumKind.CAPITAL_CRUNCH, ds, r_crunch,
                                    stable=False, self_fulfilling=True))
        out.append(EquilibriumPoint(EquilibriumKind.BANKING_CRISIS, 1.0, float("inf"),
                                    stable=True, self_fulfilling=True))
    elif t <= ts or np.isclose(t, ts, rtol=0.0, atol=1e-14):
        out.append(EquilibriumPoint(EquilibriumKind.CAPITAL_CRUNCH, ds, Rf,
                                    stable=False, self_fulfilling=False))
        out.append(EquilibriumPoint(EquilibriumKind.BANKING_CRISIS, 1.0, float("inf"),
                                    stable=True, self_fulfilling=True))
    else:
        rate = Rf if t >= 1.0 else float("inf")
        out.append(EquilibriumPoint(EquilibriumKind.BANKING_CRISIS, 1.0, rate,
                                    stable=True, self_fulfilling=False))
    return out


@dataclass(frozen=True, eq=False)
class InstabilityPath:
    """The instability process of Figure 8 from a starting decline.

    ``deltas[n]`` is the decline after n rounds; ``lending[n]`` the admissible lending (26) at
    ``deltas[n]``, in value terms like qH. The iteration stops when two successive rounds agree,
    so a converged path ends with its fixed point twice. ``end`` is ``"banking_crisis"`` (delta
    reaches 1), ``"capital_crunch"`` (it stays at delta*) or ``"fundamental"`` (it returns to the
    fundamental decline); ``converged`` says whether it stopped within ``max_rounds``.
    """

    params: Params
    tau: float
    start: float
    deltas: Arr
    lending: Arr
    end: EquilibriumKind
    rounds: int
    converged: bool

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame({"round": np.arange(self.deltas.size), "delta": self.deltas,
                             "admissible_lending": self.lending})


def instability_path(params: Params, start: float, tau: float = 0.0, *,
                     max_rounds: int = 200) -> InstabilityPath:
    """Iterate the capital constraint from the decline ``start`` (Figure 8).

    Each round: the decline delta_n causes loan losses at the regime-2 price; to keep the capital
    ratio, lending contracts to L(delta_n) (26); the asset price falls to match credit,
    1 - delta_{n+1} = L(delta_n)/qH, but never by less than the fundamental decline delta(tau):
    delta_{n+1} = max(delta(tau), 1 - L(delta_n)/qH). Above delta* the gap to delta* grows by the
    factor R/(R-1) each round until credit collapses (delta = 1); below it, the decline falls back
    to the fundamental one.
    """
    _scalar_params(params, "the instability process")
    s = float(np.asarray(start, dtype=np.float64))
    if not (0.0 <= s <= 1.0):
        raise ParameterError("start", "0 <= start <= 1", s)
    t = float(check_tau(tau))
    a, R, g = params.a, params.R, params.g
    qH = float(a * np.asarray(params.y, dtype=np.float64) / (R - 1.0))
    fund = float(solve(params, t).delta)
    ds = float(delta_star(a, R, g))
    dK = float(delta_K(a, R, g))
    deltas = [s]
    lend = [float(admissible_lending(params, s)) / qH]
    converged = False
    for _ in range(max_rounds):
        nxt = max(fund, 1.0 - lend[-1])
        nxt = min(max(nxt, 0.0), 1.0)
        deltas.append(nxt)
        lend.append(float(admissible_lending(params, nxt)) / qH)
        if abs(nxt - deltas[-2]) <= 1e-13:
            converged = True
            break
    last = deltas[-1]
    if last >= 1.0 - 1e-12 or last >= dK:
        end = EquilibriumKind.BANKING_CRISIS
    elif abs(last - ds) <= 1e-9:
        end = EquilibriumKind.CAPITAL_CRUNCH
    else:
        end = EquilibriumKind.FUNDAMENTAL
    return InstabilityPath(params=params, tau=t, start=s, deltas=np.array(deltas),
                           lending=np.array(lend) * qH, end=end, rounds=len(deltas) - 1,
                           converged=converged)
