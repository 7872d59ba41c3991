"""The banking model's exogenous inputs under policy, and one policy's outcome.

:class:`BankingInputs` is what the von Peter model takes as given once policy is allowed: an
injection of bank capital and its funding (or a pledge of one), a policy rate at t, a capital
requirement or a capital ratio, forbearance, a loan spread, the loss-to-credit coefficient and the
natural rate. The registered policies of :mod:`bsrlab.policies.banking` transform these inputs;
:func:`evaluate` solves the model under them.

The outcome reported for a policy is the **fundamental equilibrium when it exists** (a credible
policy can coordinate the banks on it, Section 4.2), otherwise the capital crunch when it is the
fundamental outcome (tau = tau*), otherwise the banking crisis. Its ``output`` is real output from
t+1 on ((1 - tau) y, or eps y in the autarky of a crisis), ``loan_losses`` its lambda and
``fiscal_cost`` the public money spent in it: an unfunded or tax-funded injection costs X (a
pledge only what is drawn: the minimum injection in the fundamental equilibrium, all of it in a
crunch or crisis); deposit-funded capital, rates, rules and forbearance cost nothing here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.allocation import AUTARKY_OUTPUT, Allocation, allocations
from bsrlab.models.vonpeter.constrained import EquilibriumKind
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.policy import (
    check_funding,
    crunch_decline,
    delta_star_coefficient,
    delta_star_spread,
    minimum_injection,
    shock_for_crunch,
    tau_star_coefficient,
    tau_star_spread,
)
from bsrlab.models.vonpeter.solve import _newton_regime1

__all__ = ["OUTCOME_KEYS", "BankingInputs", "PolicyOutcome", "evaluate", "inadmissible"]

#: The keys of :meth:`PolicyOutcome.to_dict`, in order.
OUTCOME_KEYS: tuple[str, ...] = ("policy", "equilibria", "outcome", "delta", "output",
                                 "loan_losses", "fiscal_cost", "delta_star", "tau_star",
                                 "bank_capital_t")


@dataclass(frozen=True, kw_only=True)
class BankingInputs:
    """What the banking model takes as given under policy (defaults: the paper's economy).

    ``injection`` X (units of y) with ``funding`` none/tax/deposits, or ``pledge`` it; ``rate``
    R_t at t; ``requirement`` a capital requirement with the paper's capital (fixed-capital);
    ``capital_ratio`` a ratio the banks hold and must keep; ``forbearance`` suspends the capital
    constraint at t; ``spread`` m over the deposit rate; ``coefficient`` c of (29); ``R`` a
    natural rate phased in before the shock (pre-emptive tightening).
    """

    injection: float = 0.0
    funding: str = "none"
    pledge: bool = False
    rate: float | None = None
    requirement: float | None = None
    capital_ratio: float | None = None
    forbearance: bool = False
    spread: float = 0.0
    coefficient: float | None = None
    R: float | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, kw_only=True, eq=False)
class PolicyOutcome(Result[Params]):
    """One policy evaluated at one shock: the equilibria that remain and the outcome selected.

    ``equilibria`` are dicts as ``bsrlab equilibria`` prints them; ``allocations`` the full
    allocations where the model computes them (all policies but the spread and the coefficient,
    whose allocations are not generalised); ``outcome`` the selected kind.
    """

    KEYS: ClassVar[tuple[str, ...]] = OUTCOME_KEYS

    policy: str
    tau: float
    inputs: BankingInputs
    equilibria: tuple[dict[str, Any], ...]
    allocations: tuple[Allocation, ...]
    outcome: EquilibriumKind | None
    delta: float
    output: float
    loan_losses: float
    fiscal_cost: float
    delta_star: float
    tau_star: float
    bank_capital_t: float
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values in :data:`OUTCOME_KEYS` order (then ``note`` when there is one);
        an inadmissible policy has ``outcome`` None, no equilibria and null numbers."""
        def num(x: float) -> float | None:
            return x if math.isfinite(x) else None

        out = {"policy": self.policy, "equilibria": [dict(e) for e in self.equilibria],
               "outcome": None if self.outcome is None else self.outcome.value,
               "delta": num(self.delta), "output": num(self.output),
               "loan_losses": num(self.loan_losses), "fiscal_cost": num(self.fiscal_cost),
               "delta_star": num(self.delta_star), "tau_star": num(self.tau_star),
               "bank_capital_t": num(self.bank_capital_t)}
        if self.note:
            out["note"] = self.note
        return out


def inadmissible(params: Params, tau: float, policy: str, reason: str) -> PolicyOutcome:
    """The outcome of a policy whose options are inadmissible for ``params``: no equilibria,
    NaN numbers and the reason as ``note``."""
    nan = math.nan
    return PolicyOutcome(params=params, diagnostics=Diagnostics(False, 0, nan, "not solved"),
                         policy=policy, tau=float(tau), inputs=BankingInputs(), equilibria=(),
                         allocations=(), outcome=None, delta=nan, output=nan, loan_losses=nan,
                         fiscal_cost=nan, delta_star=nan, tau_star=nan, bank_capital_t=nan,
                         note=reason)


def _point(kind: EquilibriumKind, delta: float, rate: float, stable: bool,
           self_fulfilling: bool) -> dict[str, Any]:
    return {"kind": kind.value, "delta": delta,
            "loan_rate": rate if math.isfinite(rate) else None, "stable": stable,
            "self_fulfilling": self_fulfilling}


def _select(points: list[dict[str, Any]]) -> int:
    for i, p in enumerate(points):
        if p["kind"] == EquilibriumKind.FUNDAMENTAL.value:
            return i
    for i, p in enumerate(points):
        if not p["self_fulfilling"]:
            return i
    return len(points) - 1


def _spread_or_coefficient(params: Params, t: float, inputs: BankingInputs, name: str
                           ) -> PolicyOutcome:
    """Equilibria from the closed-form thresholds (loan spread m or coefficient c)."""
    a, R, g = float(params.a), float(params.R), float(params.g)
    y = float(np.asarray(params.y))
    e = g / (g - 1.0)
    Pi = (1.0 - a) * y
    if inputs.coefficient is not None:
        c = inputs.coefficient
        ds = float(delta_star_coefficient(params, c))
        ts = float(tau_star_coefficient(params, c))
        m = 0.0
        ddiv = float(closed.delta_star(a, R, g)) / R
        crisis = c * (1.0 - ddiv) >= 1.0
    else:
        c = R / (R - 1.0)
        m = inputs.spread
        ds = float(delta_star_spread(params, m))
        ts = float(tau_star_spread(params, m))
        crisis = ds < 1.0
    qH = a * y / (R + m - 1.0)
    s = (R - 1.0) * qH / R
    pbar_t = (s / y) ** g
    # the fundamental decline: the paper's regime-1 root below tau_Div(m), regime 2 above
    ds_m = float(delta_star_spread(params, m))
    pn2 = (1.0 - ds_m) ** e
    tdiv = 1.0 - (1.0 - ds_m / R) / pn2
    if t < tdiv:
        Ra, ga, ta = np.array([R]), np.array([g / (1.0 - g)]), np.array([t])
        v, _ = _newton_regime1(Ra, ga, ta)
        d_f = float(-np.expm1(v[0]) / R)
        p_t = (1.0 + R * d_f / (R - 1.0)) ** e
    else:
        d_f = 1.0 - (1.0 - t) * pn2
        p_t = pbar_t
    lam_f = max(0.0, d_f * qH + (1.0 - p_t) * y - Pi)
    K = s
    K_f = K if lam_f <= (R - 1.0) * K + m * qH else R * K + m * qH - lam_f
    rate_crunch = 1.0 + (R + m - 1.0) * (1.0 - t) * pn2 / (1.0 - ds) if ds < 1.0 else math.inf
    points: list[dict[str, Any]] = []
    if t < ts and not math.isclose(t, ts, abs_tol=1e-14):
        points.append(_point(EquilibriumKind.FUNDAMENTAL, d_f, R + m, True, False))
        if ds < 1.0:
            points.append(_point(EquilibriumKind.CAPITAL_CRUNCH, ds, rate_crunch, False, True))
        if crisis:
            points.append(_point(EquilibriumKind.BANKING_CRISIS, 1.0, math.inf, True, True))
    elif math.isclose(t, ts, abs_tol=1e-14) and ds < 1.0:
        points.append(_point(EquilibriumKind.CAPITAL_CRUNCH, ds, R + m, False, False))
        points.append(_point(EquilibriumKind.BANKING_CRISIS, 1.0, math.inf, True, True))
    else:
        points.append(_point(EquilibriumKind.BANKING_CRISIS, 1.0, math.inf, True, False))
    sel = points[_select(points)]
    kind = EquilibriumKind(sel["kind"])
    if kind is EquilibriumKind.FUNDAMENTAL:
        delta, lam, out, K_t = d_f, lam_f, (1.0 - t) * y, K_f
    else:
        delta = float(sel["delta"])
        lam = max(0.0, delta * qH + (1.0 - pbar_t) * y - Pi)
        out = AUTARKY_OUTPUT * y if kind is EquilibriumKind.BANKING_CRISIS else (1.0 - t) * y
        K_t = R * K + m * qH - lam
    return PolicyOutcome(params=params, diagnostics=Diagnostics(True, 0, 0.0, "closed-form"),
                         policy=name, tau=t, inputs=inputs, equilibria=tuple(points),
                         allocations=(), outcome=kind, delta=delta, output=out,
                         loan_losses=lam, fiscal_cost=0.0, delta_star=ds, tau_star=ts,
                         bank_capital_t=K_t)


def evaluate(params: Params, tau: float, inputs: BankingInputs | None = None, *,
             policy: str = "none") -> PolicyOutcome:
    """Solve the model at the shock ``tau`` under ``inputs`` and select the outcome.

    Parameters
    ----------
    params
        Scalar parameters of the economy without policy.
    tau
        The shock, 0 <= tau <= 1.
    inputs
        The exogenous inputs under policy (default: none).
    policy
        The policy's name, carried into the outcome.

    Raises
    ------
    ParameterError
        If a combination is not modelled (a spread or coefficient with other instruments), or
        an input is out of range.
    """
    inp = inputs or BankingInputs()
    t = float(check_tau(tau))
    check_funding(inp.funding)
    if not params.is_scalar:
        raise ParameterError("params", "scalar parameters for a policy evaluation",
                             str(params.shape))
    p = params if inp.R is None else Params.from_R(alpha=params.a, R=inp.R, gamma=params.g,
                                                   y=params.y, H=params.H)
    if inp.spread or inp.coefficient is not None:
        others = (inp.injection, inp.rate, inp.requirement, inp.capital_ratio, inp.forbearance)
        if any(bool(o) for o in others):
            raise ParameterError("policy", "a loan spread or a coefficient on its own", policy)
        return _spread_or_coefficient(p, t, inp, policy)
    X = inp.injection
    funding = inp.funding
    ratio = inp.capital_ratio
    req = inp.requirement if ratio is None else ratio
    als = allocations(p, t, injection=X, funding=funding, rate=inp.rate, capital_ratio=ratio,
                      requirement=req, forbearance=inp.forbearance)
    points = [a.point() for a in als]
    sel = als[_select(points)]
    ds = float(crunch_decline(p, k=ratio, requirement=req, injection=X, rate=inp.rate))
    ts = 1.0 if inp.forbearance else float(np.clip(shock_for_crunch(
        p, min(ds, 1.0), k=ratio, rate=inp.rate, tax=X if funding == "tax" else 0.0), 0.0, 1.0))
    if inp.forbearance:
        ds = 1.0
    cost = 0.0
    if X > 0.0 and funding != "deposits":
        cost = X
        if inp.pledge and sel.kind is EquilibriumKind.FUNDAMENTAL:
            cost = min(X, float(minimum_injection(p, t, funding)))
    return PolicyOutcome(params=p, diagnostics=sel.diagnostics, policy=policy, tau=t,
                         inputs=inp, equilibria=tuple(points), allocations=tuple(als),
                         outcome=sel.kind, delta=sel.delta, output=sel.output_next,
                         loan_losses=sel.loan_losses, fiscal_cost=cost, delta_star=ds,
                         tau_star=ts, bank_capital_t=sel.bank_capital_t)
