"""Banking policies of the von Peter (2004) model (Section 4), registered by name.

Registered in the family ``banking``. Each is a frozen dataclass validated on construction whose
:meth:`apply` returns new :class:`~bsrlab.models.vonpeter.lab.BankingInputs` built with
:func:`dataclasses.replace`; :func:`~bsrlab.models.vonpeter.lab.evaluate` solves the model under
them. The context of :meth:`apply` is a :class:`BankingContext` (parameters and shock), which the
policies that size themselves read (the minimum injection, the threshold rule).

======================= ======================== ==============================================
name                    class                    what it does
======================= ======================== ==============================================
``recapitalise``        :class:`Recapitalise`    inject bank capital X at t (unfunded, taxed or
                                                 from depositors), or pledge it credibly
``capital-requirement`` :class:`CapitalRequirement` a requirement kappa with the paper's capital,
                                                 or a capital ratio the banks hold and keep
``timely-cut``          :class:`TimelyCut`       a policy rate R_t < R at t for one period
``forbearance``         :class:`Forbearance`     suspend the capital constraint at t
``loan-spread``         :class:`LoanSpread`      a loan spread m over the deposit rate
``tightening``          :class:`Tightening`      a higher rate R phased in before the shock
``threshold-rule``      :class:`ThresholdRule`   cut the rate at t as the decline nears delta*
``credit-coefficient``  :class:`CreditCoefficient` lenders cut credit by c per unit of
                                                 capital shortfall
======================= ======================== ==============================================

Examples
--------
>>> from bsrlab.models.vonpeter import Params
>>> p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
>>> out = {o.policy: o.outcome.value for o in compare(p, 0.08)}
>>> out["none"], out["recapitalise"]
('banking_crisis', 'fundamental')
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import choice, flag, real
from bsrlab.models.vonpeter import Params, closed, solve
from bsrlab.models.vonpeter.lab import BankingInputs, PolicyOutcome, evaluate, inadmissible
from bsrlab.models.vonpeter.policy import (
    FUNDINGS,
    capital_ratio_paper,
    delta_star_injection,
    delta_star_rate,
    delta_star_ratio,
    delta_star_requirement,
    minimum_injection,
    solve_policy,
    tau_star_rate,
    tau_star_ratio,
    tau_star_requirement,
)
from bsrlab.policies.registry import make, names, register

__all__ = [
    "FAMILY",
    "MARGIN",
    "VARIANTS",
    "BankingContext",
    "CapitalRequirement",
    "CreditCoefficient",
    "Forbearance",
    "LoanSpread",
    "Recapitalise",
    "ThresholdRule",
    "Tightening",
    "TimelyCut",
    "capital_ratio",
    "capital_requirement_records",
    "compare",
    "rate_cut_records",
    "recapitalise_record",
]

FAMILY = "banking"

#: The two variants of a capital requirement.
VARIANTS: tuple[str, ...] = ("fixed-capital", "ratio")

#: The default injection exceeds the minimum by this share, so that the fundamental decline
#: lies strictly below the crunch (at the minimum itself the two coincide, as at tau = tau*).
MARGIN = 0.01


@dataclass(frozen=True)
class BankingContext:
    """What a banking policy may read to size itself: the parameters and the shock."""

    params: Params
    tau: float


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class Recapitalise:
    """Inject bank capital X at t before lending (default: 1% above the minimum), or pledge it.

    Admissible lending rises by X R/(R - 1) and the crunch moves to delta*(X) = delta* + R X/qH.
    A credible pledge removes the self-fulfilling equilibria below delta*(X) and costs only what
    is drawn.
    """

    name: ClassVar[str] = "recapitalise"
    label: ClassVar[str] = "recapitalisation"
    injection: float | None = field(default=None, metadata={
        "help": "capital injected at t, units of y (>= 0; default: 1% above the minimum "
                "injection for the shock)"})
    funding: str = field(default="none", metadata={
        "help": "who pays: none (reserves), tax (households at t) or deposits (bail-in)"})
    pledge: bool = field(default=False, metadata={
        "help": "a credible pledge of up to X instead of an injection"})

    def __post_init__(self) -> None:
        if self.injection is not None:
            object.__setattr__(self, "injection", real("injection", self.injection, lo=0.0))
        object.__setattr__(self, "funding", choice("funding", self.funding, FUNDINGS))
        object.__setattr__(self, "pledge", flag("pledge", self.pledge))

    def size(self, context: BankingContext) -> float:
        """The injection X: as given, or :data:`MARGIN` above the minimum for the shock."""
        if self.injection is not None:
            return float(self.injection)
        xmin = float(minimum_injection(context.params, context.tau, self.funding))
        return xmin * (1.0 + MARGIN)

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Add the injection (with its funding) to the inputs."""
        return dataclasses.replace(inputs, injection=inputs.injection + self.size(context),
                                   funding=self.funding, pledge=self.pledge)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class CapitalRequirement:
    """A capital requirement kappa: with the paper's bank capital, or as the ratio banks hold.

    ``fixed-capital``: admissible lending min(qH, K_t/kappa), delta*(kappa) = ((R - 1) p_t/alpha
    - kappa)/(1 - kappa). ``ratio``: banks hold and keep k = kappa, delta*(k) = (R - 1)
    [((1 - k) alpha)^(gamma - 1) - 1].
    """

    name: ClassVar[str] = "capital-requirement"
    label: ClassVar[str] = "capital requirement"
    kappa: float = field(default=0.02, metadata={
        "help": "the requirement (fixed-capital: 0 < kappa <= (R-1)/R; ratio: 0 < kappa < 1)"})
    variant: str = field(default="fixed-capital", metadata={
        "help": "fixed-capital (the paper's capital, requirement kappa) or ratio"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "kappa", real("kappa", self.kappa, lo=0.0, hi=1.0,
                                               lo_open=True, hi_open=True))
        object.__setattr__(self, "variant", choice("variant", self.variant, VARIANTS))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the requirement (fixed-capital) or the banks' ratio (ratio)."""
        if self.variant == "ratio":
            return dataclasses.replace(inputs, capital_ratio=self.kappa)
        return dataclasses.replace(inputs, requirement=self.kappa)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class TimelyCut:
    """A policy rate R_t below R at t, for one period (Section 4.2: a timely cut)."""

    name: ClassVar[str] = "timely-cut"
    label: ClassVar[str] = "timely rate cut"
    rate: float | None = field(default=None, metadata={
        "help": "the gross policy rate at t, 1 <= rate <= R (default: the net rate halved, "
                "1 + (R - 1)/2)"})

    def __post_init__(self) -> None:
        if self.rate is not None:
            object.__setattr__(self, "rate", real("rate", self.rate, lo=1.0))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the rate at t (at most R)."""
        R = float(context.params.R)
        rate = 1.0 + 0.5 * (R - 1.0) if self.rate is None else float(self.rate)
        if rate > R * (1.0 + 1e-15):
            raise ParameterError("rate", f"1 <= rate <= R (here R = {R:.6g})", rate)
        return dataclasses.replace(inputs, rate=rate)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class Forbearance:
    """Suspend the capital constraint at t: the fundamental outcome, losses left in the banks."""

    name: ClassVar[str] = "forbearance"
    label: ClassVar[str] = "forbearance"

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Switch the constraint off."""
        return dataclasses.replace(inputs, forbearance=True)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class LoanSpread:
    """Bank profitability: a loan spread m over the deposit rate raises delta_Div and delta*."""

    name: ClassVar[str] = "loan-spread"
    label: ClassVar[str] = "loan spread"
    spread: float = field(default=0.01, metadata={
        "help": "the spread m over the deposit rate (0 <= m < 1 + alpha - R)"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "spread", real("spread", self.spread, lo=0.0))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the spread."""
        return dataclasses.replace(inputs, spread=self.spread)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class Tightening:
    """Pre-emptive tightening: a higher rate R phased in before the shock (lower leverage)."""

    name: ClassVar[str] = "tightening"
    label: ClassVar[str] = "pre-emptive tightening"
    R: float | None = field(default=None, metadata={
        "help": "the gross rate phased in before the shock, R < R_new < 1 + alpha (default: "
                "one point above R)"})

    def __post_init__(self) -> None:
        if self.R is not None:
            object.__setattr__(self, "R", real("R", self.R, lo=1.0, lo_open=True))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the new rate (above R, with alpha still above R - 1)."""
        a, R = float(context.params.a), float(context.params.R)
        new = R + 0.01 if self.R is None else float(self.R)
        if not R < new < 1.0 + a:
            raise ParameterError("R", f"R < R_new < 1 + alpha (here {R:.6g} < R_new < "
                                 f"{1 + a:.6g})", new)
        return dataclasses.replace(inputs, R=new)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class ThresholdRule:
    """A threshold term in the rate rule: cut at t when the decline nears delta* (Section 4.2).

    R_t = max(floor, R - strength max(0, delta(tau) - (1 - margin) delta*)), with delta(tau) the
    fundamental decline without policy; evaluated with the mechanics of a timely cut.
    """

    name: ClassVar[str] = "threshold-rule"
    label: ClassVar[str] = "threshold rule"
    margin: float = field(default=0.2, metadata={
        "help": "start cutting at (1 - margin) delta* (0 <= margin < 1)"})
    strength: float = field(default=2.0, metadata={
        "help": "rate cut per unit of decline beyond the trigger (>= 0)"})
    floor: float = field(default=1.0, metadata={
        "help": "the lowest gross rate (>= 1)"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "margin", real("margin", self.margin, lo=0.0, hi=1.0,
                                                hi_open=True))
        object.__setattr__(self, "strength", real("strength", self.strength, lo=0.0))
        object.__setattr__(self, "floor", real("floor", self.floor, lo=1.0))

    def rate(self, context: BankingContext) -> float:
        """The rate the rule sets at t for the context's shock."""
        p = context.params
        R = float(p.R)
        d = float(solve(p, context.tau).delta)
        ds = float(closed.delta_star(p.a, p.R, p.g))
        cut = self.strength * max(0.0, d - (1.0 - self.margin) * ds)
        return min(R, max(self.floor, R - cut))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the rate the rule gives."""
        return dataclasses.replace(inputs, rate=self.rate(context))


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class CreditCoefficient:
    """Lenders cut credit by c per unit of capital shortfall; instability needs c > 1 (fn 46)."""

    name: ClassVar[str] = "credit-coefficient"
    label: ClassVar[str] = "loss-to-credit coefficient"
    coefficient: float = field(default=5.0, metadata={
        "help": "credit cut per unit of capital shortfall, c > 0 (the paper's banks: R/(R-1))"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "coefficient", real("coefficient", self.coefficient, lo=0.0,
                                                     lo_open=True))

    def apply(self, inputs: BankingInputs, context: BankingContext) -> BankingInputs:
        """Set the coefficient."""
        return dataclasses.replace(inputs, coefficient=self.coefficient)


# --- what the command line and the report show -------------------------------------------------

def compare(params: Params, tau: float, policies: dict[str, Any] | None = None
            ) -> list[PolicyOutcome]:
    """Evaluate no policy and every registered banking policy (with its defaults) at ``tau``.

    ``policies`` maps a policy name to its options (a subset of the registry, in its order);
    by default every policy with its default options.
    """
    chosen = policies if policies is not None else {n: {} for n in names(FAMILY)}
    ctx = BankingContext(params, float(tau))
    out = [evaluate(params, tau, BankingInputs(), policy="none")]
    for n, opts in chosen.items():
        pol = make(n, FAMILY, **opts)
        if pol is None:
            continue
        try:
            inputs = pol.apply(BankingInputs(), ctx)
            out.append(evaluate(params, tau, inputs, policy=n))
        except ParameterError as exc:  # inadmissible here: reported, not fatal
            out.append(inadmissible(params, tau, n, str(exc)))
    return out


def recapitalise_record(params: Params, tau: float, *, funding: str = "none",
                        injection: float | None = None) -> dict[str, Any]:
    """``bsrlab policy recapitalise``: keys tau, delta, delta_star, minimum_injection,
    delta_star_after, equilibria_after (plus funding, injection and fiscal_cost)."""
    pol = Recapitalise(injection=injection, funding=funding)
    ctx = BankingContext(params, float(tau))
    X = pol.size(ctx)
    xmin = float(minimum_injection(params, tau, funding))
    o = evaluate(params, tau, pol.apply(BankingInputs(), ctx), policy=pol.name)
    d = float(solve(params, tau).delta)
    return {"tau": float(tau), "delta": d,
            "delta_star": float(closed.delta_star(params.a, params.R, params.g)),
            "minimum_injection": xmin, "delta_star_after": float(delta_star_injection(params, X)),
            "equilibria_after": [dict(e) for e in o.equilibria], "funding": funding,
            "injection": X, "fiscal_cost": o.fiscal_cost}


def capital_requirement_records(params: Params, kappas: list[float], *,
                                variant: str = "fixed-capital") -> list[dict[str, Any]]:
    """``bsrlab policy capital-requirement``: kappa, delta_star, tau_star, credit_multiplier."""
    choice("variant", variant, VARIANTS)
    k = np.asarray(kappas, dtype=np.float64)
    if variant == "fixed-capital":
        ds, ts = delta_star_requirement(params, k), tau_star_requirement(params, k)
    else:
        ds, ts = delta_star_ratio(params, k), tau_star_ratio(params, k)
    return [{"kappa": float(kk), "delta_star": float(d), "tau_star": float(t),
             "credit_multiplier": 1.0 / float(kk)}
            for kk, d, t in zip(k.ravel(), np.ravel(ds), np.ravel(ts), strict=True)]


def rate_cut_records(params: Params, taus: list[float], rate: float) -> list[dict[str, Any]]:
    """``bsrlab policy rate-cut``: the fundamental outcome with R_t at each shock.

    Keys tau, rate, delta, p_t, p_next, loan_losses, bank_capital_t, regime,
    largest_tau_kept_below_tau_star (tau*(R_t)); beyond tau*(R_t) the outcome is the banking
    crisis (regime ``banking_crisis``, delta = 1).
    """
    t = np.asarray(taus, dtype=np.float64)
    sol = solve_policy(params, t, rate=rate)
    ts = float(tau_star_rate(params, rate))
    dsr = float(delta_star_rate(params, rate))
    out = []
    for i, tau in enumerate(t.ravel()):
        crisis = float(sol.delta.ravel()[i]) > dsr and not math.isclose(
            float(sol.delta.ravel()[i]), dsr, abs_tol=1e-14)
        if crisis:
            al = evaluate(params, float(tau), BankingInputs(rate=rate)).allocations[-1]
            rec = {"tau": float(tau), "rate": float(rate), "delta": 1.0, "p_t": al.p_t,
                   "p_next": al.p_next, "loan_losses": al.loan_losses,
                   "bank_capital_t": al.bank_capital_t, "regime": "banking_crisis"}
        else:
            rec = {"tau": float(tau), "rate": float(rate),
                   "delta": float(sol.delta.ravel()[i]), "p_t": float(sol.p_t.ravel()[i]),
                   "p_next": float(sol.p_next.ravel()[i]),
                   "loan_losses": float(sol.loan_losses.ravel()[i]),
                   "bank_capital_t": float(sol.bank_capital_t.ravel()[i]),
                   "regime": str(sol.regime_labels().ravel()[i])}
        rec["largest_tau_kept_below_tau_star"] = ts
        out.append(rec)
    return out


def capital_ratio(params: Params) -> float:
    """The paper's capital ratio (R - 1)/R, for captions."""
    return float(capital_ratio_paper(params))
