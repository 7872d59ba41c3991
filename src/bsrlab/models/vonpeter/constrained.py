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
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.outputs import EQUILIBRIUM_KEYS, INSTABILITY_KEYS
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.solve import solve
from bsrlab.models.vonpeter.thresholds import delta_K, tau_star

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
    """The three kinds of equilibrium of Proposition 4: the one definition of their names.

    The value is the JSON name; :attr:`text` is the name in words. :attr:`outcome` is the name
    the case studies give an episode (or a prediction) that ends in this equilibrium: a banking
    crisis driven by fundamentals is a ``systemic_crisis`` there.
    """

    FUNDAMENTAL = "fundamental"
    CAPITAL_CRUNCH = "capital_crunch"
    BANKING_CRISIS = "banking_crisis"

    @property
    def label(self) -> str:
        """The machine name used in JSON (the value)."""
        return self.value

    @property
    def text(self) -> str:
        """The name in words (``capital crunch``, ...), for tables and figures."""
        return self.value.replace("_", " ")

    @property
    def outcome(self) -> str:
        """The case studies' name of an outcome ending here (``systemic_crisis`` for a crisis)."""
        return _OUTCOME[self]


_OUTCOME = {
    EquilibriumKind.FUNDAMENTAL: "fundamental",
    EquilibriumKind.CAPITAL_CRUNCH: "capital_crunch",
    EquilibriumKind.BANKING_CRISIS: "systemic_crisis",
}


@dataclass(frozen=True, slots=True)
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

    KEYS: ClassVar[tuple[str, ...]] = EQUILIBRIUM_KEYS

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
    d = _check_delta(delta)
    a, R, g = params.a, params.R, params.g
    y = np.asarray(params.y, dtype=np.float64)
    qH = closed.asset_value(a, R, y)
    excess = closed.excess_losses(d, a, R, g, y)  # lambda - (R-1)K   (25)
    K = closed.bank_capital(a, R, y)
    L = qH - R / (R - 1.0) * excess
    return np.where(excess <= 0.0, qH, np.where(excess >= K, 0.0, L))


def _check_delta(delta: ArrayLike) -> Arr:
    d = np.asarray(delta, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = (d < 0.0) | (d > 1.0) | ~np.isfinite(d)
    if np.any(bad):
        raise ParameterError("delta", "0 <= delta <= 1", float(d[bad].ravel()[0]))
    return d


def credit_demand(params: Params, delta: ArrayLike) -> Arr:
    """Credit demand (1 - delta) qH: new firms borrow the value of the assets."""
    d = _check_delta(delta)
    return closed.credit_demand(d, params.a, params.R, np.asarray(params.y, dtype=np.float64))


def loan_rate(params: Params, tau: ArrayLike, delta: ArrayLike) -> Arr:
    """Gross loan rate R_t of credit-constrained asset pricing (27), Appendix 3.

    (R_t - 1)/(R - 1) = (1 - tau)(1 - delta*)^e / (1 - delta) where the capital constraint can
    bind (delta > delta_Div, loan losses beyond normal bank profits); infinite at delta = 1. At
    or below delta_Div credit is not constrained and the loan rate is R: (27) does not hold
    there (it would give a rate above R from the regime-2 price level).
    """
    t = check_tau(tau)
    d = _check_delta(delta)
    a, R, g = params.a, params.R, params.g
    num = (1.0 - t) * closed.p_bar_next(a, R, g)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d < 1.0, num / (1.0 - d), np.inf)
    constrained = d > closed.delta_star(a, R, g) / R
    return np.where(constrained, 1.0 + (R - 1.0) * ratio, R * np.ones_like(ratio))


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
    ds = float(closed.delta_star(a, R, g))
    Rf = float(R)
    out: list[EquilibriumPoint] = []
    if t < ts and not np.isclose(t, ts, rtol=0.0, atol=1e-14):
        fund = solve(params, t)
        out.append(EquilibriumPoint(EquilibriumKind.FUNDAMENTAL, float(fund.delta), Rf,
                                    stable=True, self_fulfilling=False))
        r_crunch = float(closed.crunch_loan_rate(t, Rf, ts))
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


@dataclass(frozen=True, kw_only=True, eq=False)
class InstabilityPath(Result[Params]):
    """The instability process of Figure 8 from a starting decline.

    ``deltas[n]`` is the decline after n rounds; ``lending[n]`` the admissible lending (26) at
    ``deltas[n]``, in value terms like qH. The iteration stops when two successive rounds agree,
    so a converged path ends with its fixed point twice. ``end`` is ``"banking_crisis"`` (delta
    reaches 1), ``"capital_crunch"`` (it stays at delta*) or ``"fundamental"`` (it returns to the
    fundamental decline). ``diagnostics`` report the rounds (``fixed-point``), the last change
    of the decline and whether it stopped within ``max_rounds`` (also as ``converged``).
    """

    KEYS: ClassVar[tuple[str, ...]] = INSTABILITY_KEYS

    tau: float
    start: float
    deltas: Arr
    lending: Arr
    end: EquilibriumKind
    rounds: int

    def to_dict(self) -> dict[str, Any]:
        """The path as JSON-ready values, in ``KEYS`` order."""
        return {"start": self.start, "tau": self.tau, "deltas": self.deltas.tolist(),
                "lending": self.lending.tolist(), "end": self.end.value, "rounds": self.rounds,
                "converged": self.converged}

    def to_frame(self) -> Any:
        """One row per round: the decline and the admissible lending (26)."""
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
    qH = float(closed.asset_value(a, R, np.asarray(params.y, dtype=np.float64)))
    fund = float(solve(params, t).delta)
    ds = float(closed.delta_star(a, R, g))
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
    change = abs(deltas[-1] - deltas[-2]) if len(deltas) > 1 else 0.0
    diag = Diagnostics(converged, len(deltas) - 1, change, "fixed-point")
    return InstabilityPath(params=params, diagnostics=diag, tau=t, start=s,
                           deltas=np.array(deltas), lending=np.array(lend) * qH, end=end,
                           rounds=len(deltas) - 1)
