"""The full allocation of every equilibrium, and the classification of Section 4.1.

For the fundamental equilibrium, the capital crunch and the banking crisis of Proposition 4 the
same allocation is reported: prices p_t and p_{t+1}, household spending s_t and s_{t+1}, the value
of the assets q_t H (= credit granted), loan losses lambda and total losses omega, bank capital
K_t and dividends Div_t, households' deposits D_t, the loan rate and its spread over R, who
consumes what at t and from t+1 on (households, old entrepreneurs, new entrepreneurs, bankers) and
output. Amounts are nominal, in units of the anchor p0 = 1 (shares of y for y = 1).

In a constrained equilibrium (crunch or crisis) the banks retain their profits (K_t = R K - lambda,
Div_t = 0) and only households spend at t: the regime-2 price
p_t = ((1 - k) alpha)^gamma / r (24), s_t = p_t y, D_t = R D - s_t (30), s_{t+1} = (R - 1) r D_t,
p_{t+1} = (s_{t+1}/s)^e (31). The crunch prices the assets by credit: q_t H = (1 - delta*) qH with
the loan rate of (27), (R_t - 1) q_t H = alpha (1 - tau) p_{t+1} y. At delta = 1 no credit is
granted: the payment system fails and households produce in autarky, at most eps y
(``autarky_output``, default 0.1: the paper says only that eps is small). Entrepreneurs' and
bankers' consumption from t+1 is then zero; households' nominal claims (D_t) stand as in (30).

Section 4.1 arranges the outcomes in four cases: macroeconomic instability (MiS: an output fall
tau > 0, or deflation, p_t or p_{t+1} below 1) causing financial instability (FiS: a capital crunch
or a banking crisis) in a fundamental outcome; FiS causing MiS in a self-fulfilling one; MiS alone;
FiS alone. :func:`classify` returns one of :data:`CASES` for any allocation.

Examples
--------
>>> from bsrlab.models.vonpeter.params import Params
>>> p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
>>> [(a.kind.value, classify(a)) for a in allocations(p, 0.0)]
[('fundamental', 'stable'), ('capital_crunch', 'financial_alone'), ('banking_crisis', 'financial_alone')]
"""  # noqa: E501

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.constrained import EquilibriumKind
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.policy import (
    capital_ratio_paper,
    check_capital_ratio,
    check_funding,
    check_injection,
    check_rate,
    check_requirement,
    crunch_decline,
    p_t_floor,
    solve_policy,
)
from bsrlab.models.vonpeter.solve import Regime

__all__ = [
    "ALLOCATION_KEYS",
    "AUTARKY_OUTPUT",
    "CASES",
    "CASE_TEXT",
    "Allocation",
    "allocations",
    "classify",
]

#: Output in autarky as a share of y (households' own production, at most eps y).
AUTARKY_OUTPUT = 0.1

#: The four cases of Section 4.1, and "stable" for neither kind of instability.
CASES: tuple[str, ...] = ("macro_to_financial", "financial_to_macro", "macro_alone",
                          "financial_alone", "stable")

#: Each case in the paper's words.
CASE_TEXT: dict[str, str] = {
    "macro_to_financial": "MiS ⇒ FiS: a large shock brings financial instability",
    "financial_to_macro": "FiS ⇒ MiS: a self-fulfilling crunch or crisis brings deflation or "
                          "an output fall",
    "macro_alone": "MiS alone: the shock lowers output or prices, the banks keep lending",
    "financial_alone": "FiS alone: a crunch or crisis with neither deflation nor an output fall",
    "stable": "neither macroeconomic nor financial instability",
}

#: The keys of :meth:`Allocation.to_dict`, in order.
ALLOCATION_KEYS: tuple[str, ...] = (
    "kind", "stable", "self_fulfilling", "tau", "delta", "p_t", "p_next", "s_t", "s_next",
    "asset_value_t", "credit", "loan_rate", "spread", "loan_losses", "total_losses",
    "firm_profits_t", "bank_capital_t", "bank_dividends_t", "deposits_t", "bank_deposits_t",
    "reserves", "depositor_losses", "consumption_households_t",
    "consumption_old_entrepreneurs_t", "consumption_new_entrepreneurs_t",
    "consumption_bankers_t", "consumption_households_next", "consumption_entrepreneurs_next",
    "consumption_bankers_next", "output_t", "output_next", "regime", "case")

_TINY = 1e-12


@dataclass(frozen=True, kw_only=True, eq=False)
class Allocation(Result[Params]):
    """One equilibrium's allocation (scalar parameters and shock); see the module docstring.

    ``deposits_t`` is households' wealth carried from t (deposits, plus bank equity they were
    given in a deposit-funded recapitalisation); ``bank_deposits_t`` what the banks owe them;
    ``reserves`` the claim an unfunded injection credits to the banks. ``loan_rate`` is
    infinite in a banking crisis (None in JSON).
    """

    KEYS: ClassVar[tuple[str, ...]] = ALLOCATION_KEYS

    kind: EquilibriumKind
    stable: bool
    self_fulfilling: bool
    tau: float
    rate: float
    capital_ratio: float
    tax: float
    injection: float
    delta: float
    p_t: float
    p_next: float
    s_t: float
    s_next: float
    asset_value_t: float
    credit: float
    loan_rate: float
    spread: float
    loan_losses: float
    total_losses: float
    firm_profits_t: float
    bank_capital_t: float
    bank_dividends_t: float
    deposits_t: float
    bank_deposits_t: float
    reserves: float
    depositor_losses: float
    consumption_households_t: float
    consumption_old_entrepreneurs_t: float
    consumption_new_entrepreneurs_t: float
    consumption_bankers_t: float
    consumption_households_next: float
    consumption_entrepreneurs_next: float
    consumption_bankers_next: float
    output_t: float
    output_next: float
    regime: str

    @property
    def case(self) -> str:
        """The Section 4.1 case (:func:`classify`)."""
        return classify(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values in :data:`ALLOCATION_KEYS` order (infinite rates become None)."""
        out: dict[str, Any] = {}
        for k in ALLOCATION_KEYS:
            v = getattr(self, k)
            if isinstance(v, EquilibriumKind):
                v = v.value
            elif isinstance(v, float) and not math.isfinite(v):
                v = None
            out[k] = v
        return out

    def point(self) -> dict[str, Any]:
        """The equilibrium as ``bsrlab equilibria`` lists it (kind, delta, loan_rate, ...)."""
        return {"kind": self.kind.value, "delta": self.delta,
                "loan_rate": self.loan_rate if math.isfinite(self.loan_rate) else None,
                "stable": self.stable, "self_fulfilling": self.self_fulfilling}

    def residuals(self) -> dict[str, float]:
        """The identities of the model; each is zero up to round-off in every kind.

        ``bank_balance_sheet``: q_t H + reserves - (bank deposits + K_t); ``goods_market_t``:
        p_t y - (s_t + Pi_t + Div_t); ``household_budget``: s_t + D_t + tax - R D;
        ``household_next``: s_{t+1} - (R - 1)(R_t/R) D_t; ``repayment``: Pi_t + R qH - lambda -
        (p_t y + q_t H); ``euler_next``: p_{t+1} - (s_{t+1}/s)^e; and, where credit is granted,
        ``asset_pricing`` (the loan rate prices the assets) and ``goods_market_next``:
        (1 - tau) p_{t+1} y - (consumption of households, entrepreneurs and bankers at t+1).
        """
        p = self.params
        a, R, g = float(p.a), float(p.R), float(p.g)
        y = float(np.asarray(p.y))
        qH = float(closed.asset_value(a, R, y))
        k = self.capital_ratio
        s = (R - 1.0) * (1.0 - k) * qH
        r = self.rate / R
        e = g / (g - 1.0)
        res = {
            "bank_balance_sheet": self.asset_value_t + self.reserves
            - (self.bank_deposits_t + self.bank_capital_t),
            "goods_market_t": self.p_t * y - (self.s_t + self.firm_profits_t
                                              + self.bank_dividends_t),
            "household_budget": self.s_t + self.deposits_t + self.tax - R * (1.0 - k) * qH,
            "household_next": self.s_next - (R - 1.0) * r * self.deposits_t,
            "repayment": self.firm_profits_t + R * qH - self.loan_losses
            - (self.p_t * y + self.asset_value_t),
            "euler_next": self.p_next - (self.s_next / s) ** e,
        }
        if self.kind is not EquilibriumKind.BANKING_CRISIS:
            income = a * (1.0 - self.tau) * self.p_next * y
            if self.kind is EquilibriumKind.FUNDAMENTAL:
                res["asset_pricing"] = (R - 1.0) * r * self.asset_value_t - income
            else:
                res["asset_pricing"] = (self.loan_rate - 1.0) * self.asset_value_t - income
            res["goods_market_next"] = (1.0 - self.tau) * self.p_next * y - (
                self.consumption_households_next + self.consumption_entrepreneurs_next
                + self.consumption_bankers_next)
        return res


def _macro(al: Allocation) -> bool:
    return al.tau > _TINY or min(al.p_t, al.p_next) < 1.0 - 1e-9


def classify(al: Allocation) -> str:
    """The Section 4.1 case of an allocation: one of :data:`CASES`.

    Macroeconomic instability: an output fall (tau > 0) or deflation (p_t or p_{t+1} below 1).
    Financial instability: a capital crunch or a banking crisis. Causation runs from the
    economy to the banks in a fundamental outcome and the other way in a self-fulfilling one.
    """
    macro = _macro(al)
    fin = al.kind is not EquilibriumKind.FUNDAMENTAL
    if macro and fin:
        return "financial_to_macro" if al.self_fulfilling else "macro_to_financial"
    if macro:
        return "macro_alone"
    if fin:
        return "financial_alone"
    return "stable"


def _scalar(name: str, v: ArrayLike) -> float:
    a = np.asarray(v, dtype=np.float64)
    if a.ndim:
        raise ParameterError(name, "a scalar", f"shape {a.shape}")
    return float(a)


def allocations(params: Params, tau: float, *, injection: float = 0.0,
                funding: str = "none", rate: float | None = None,
                capital_ratio: float | None = None, requirement: float | None = None,
                forbearance: bool = False,
                autarky_output: float = AUTARKY_OUTPUT) -> list[Allocation]:
    """Every equilibrium for the shock ``tau`` with its full allocation, ordered by the decline.

    Parameters
    ----------
    params
        Scalar structural parameters.
    tau
        The shock, 0 <= tau <= 1.
    injection
        Bank capital injected at t, before lending (units of y), paid for as ``funding`` says:
        ``none`` (reserves credited to the banks), ``tax`` (a lump-sum tax on households at t)
        or ``deposits`` (deposits converted into bank equity held by households).
    rate
        The policy rate R_t at t (default R).
    capital_ratio
        The banks' capital ratio entering t (default (R - 1)/R).
    requirement
        The capital requirement (default (R - 1)/R).
    forbearance
        Suspend the capital constraint at t: only the fundamental equilibrium remains, with the
        losses it leaves in the banks (capital may be negative).
    autarky_output
        Output from t+1 in a banking crisis, as a share of y (eps of the paper).

    Returns
    -------
    list of Allocation
        The fundamental equilibrium (if the fundamental decline stays below the crunch), the
        capital crunch (if the crunch decline is below 1) and the banking crisis (if capital at
        delta = 1 cannot support any lending), as in Proposition 4.
    """
    if not params.is_scalar:
        raise ParameterError("params", "scalar parameters for the allocations",
                             f"shape {params.shape}")
    t = float(check_tau(_scalar("tau", tau)))
    X = float(check_injection(_scalar("injection", injection)))
    check_funding(funding)
    Rt = float(params.R) if rate is None else float(check_rate(params, _scalar("rate", rate)))
    k = (float(capital_ratio_paper(params)) if capital_ratio is None
         else float(check_capital_ratio(_scalar("capital_ratio", capital_ratio))))
    if requirement is None:
        kq = float(capital_ratio_paper(params))
    elif capital_ratio is None:
        kq = float(check_requirement(params, _scalar("requirement", requirement)))
    else:
        kq = _scalar("requirement", requirement)
        if not 0.0 < kq <= k * (1.0 + 1e-12):
            raise ParameterError("requirement", f"0 < requirement <= the banks' capital ratio "
                                 f"({k:.6g})", requirement)
    eps = float(np.asarray(autarky_output, dtype=np.float64))
    if not 0.0 <= eps <= 1.0:
        raise ParameterError("autarky_output", "0 <= autarky_output <= 1", autarky_output)
    tax = X if funding == "tax" else 0.0
    ctx = _Ctx(params, t, Rt, k, kq, X, tax, funding, eps)
    fund = solve_policy(params, t, rate=Rt, capital_ratio=capital_ratio, tax=tax, injection=X)
    d_f = float(fund.delta)
    if forbearance:
        return [ctx.fundamental(fund, self_fulfilling=False, stable=True)]
    ds = float(crunch_decline(params, k=capital_ratio, requirement=requirement, injection=X,
                              rate=rate))
    out: list[Allocation] = []
    crisis_possible = ds < 1.0
    if d_f < ds and not math.isclose(d_f, ds, rel_tol=0.0, abs_tol=1e-14):
        out.append(ctx.fundamental(fund, self_fulfilling=False, stable=True))
        if crisis_possible:
            out.append(ctx.constrained(EquilibriumKind.CAPITAL_CRUNCH, ds, stable=False,
                                       self_fulfilling=True))
            out.append(ctx.constrained(EquilibriumKind.BANKING_CRISIS, 1.0, stable=True,
                                       self_fulfilling=True))
    elif math.isclose(d_f, ds, rel_tol=0.0, abs_tol=1e-14):
        out.append(ctx.constrained(EquilibriumKind.CAPITAL_CRUNCH, ds, stable=False,
                                   self_fulfilling=False))
        out.append(ctx.constrained(EquilibriumKind.BANKING_CRISIS, 1.0, stable=True,
                                   self_fulfilling=True))
    else:
        out.append(ctx.constrained(EquilibriumKind.BANKING_CRISIS, 1.0, stable=True,
                                   self_fulfilling=False))
    return out


@dataclass(frozen=True)
class _Ctx:
    params: Params
    tau: float
    rate: float
    k: float
    kq: float
    X: float
    tax: float
    funding: str
    eps: float

    def _common(self) -> dict[str, float]:
        p = self.params
        a, R = float(p.a), float(p.R)
        y = float(np.asarray(p.y))
        return {"a": a, "R": R, "y": y, "qH": float(closed.asset_value(a, R, y))}

    def _diag(self) -> Diagnostics:
        return Diagnostics(True, 0, 0.0, "closed-form")

    def fundamental(self, sol: Any, *, self_fulfilling: bool, stable: bool) -> Allocation:
        c = self._common()
        a, y, R = c["a"], c["y"], c["R"]
        d = float(sol.delta)
        qtH = float(sol.asset_value_t)
        p_next = float(sol.p_next)
        s_next = float(sol.s_next)
        D_t = float(sol.deposits_t)
        income = a * (1.0 - self.tau) * p_next * y
        ent_next = (1.0 - a) * (1.0 - self.tau) * p_next * y
        reserves = self.X if self.funding == "none" else 0.0
        bank_dep = D_t - (self.X if self.funding == "deposits" else 0.0)
        return Allocation(
            params=self.params, diagnostics=sol.diagnostics, kind=EquilibriumKind.FUNDAMENTAL,
            stable=stable, self_fulfilling=self_fulfilling, tau=self.tau, rate=self.rate,
            capital_ratio=self.k, tax=self.tax, injection=self.X, delta=d,
            p_t=float(sol.p_t), p_next=p_next, s_t=float(sol.s_t), s_next=s_next,
            asset_value_t=qtH, credit=qtH, loan_rate=self.rate, spread=self.rate - R,
            loan_losses=float(sol.loan_losses), total_losses=float(sol.total_losses),
            firm_profits_t=float(sol.firm_profits_t), bank_capital_t=float(sol.bank_capital_t),
            bank_dividends_t=float(sol.bank_dividends_t), deposits_t=D_t,
            bank_deposits_t=bank_dep, reserves=reserves,
            depositor_losses=float(sol.depositor_losses),
            consumption_households_t=float(sol.s_t),
            consumption_old_entrepreneurs_t=float(sol.firm_profits_t),
            consumption_new_entrepreneurs_t=0.0,
            consumption_bankers_t=float(sol.bank_dividends_t),
            consumption_households_next=s_next, consumption_entrepreneurs_next=ent_next,
            consumption_bankers_next=income - s_next, output_t=y,
            output_next=(1.0 - self.tau) * y, regime=Regime(int(sol.regime)).label)

    def constrained(self, kind: EquilibriumKind, delta: float, *, stable: bool,
                    self_fulfilling: bool) -> Allocation:
        c = self._common()
        a, y, R, qH = c["a"], c["y"], c["R"], c["qH"]
        p = self.params
        g = float(p.g)
        r = self.rate / R
        paper_k = math.isclose(self.k, float(capital_ratio_paper(p)), rel_tol=0.0,
                               abs_tol=1e-15)
        p_t = float(p_t_floor(a, R, g, None if paper_k else self.k, r))
        s_t = p_t * y
        D_t = R * (1.0 - self.k) * qH - s_t - self.tax
        s = (R - 1.0) * (1.0 - self.k) * qH
        s_next = (R - 1.0) * r * D_t
        if s_next <= 0.0:
            raise ParameterError("injection", "a tax that leaves households positive wealth",
                                 self.X)
        p_next = float(closed.price_level(s_next / s - 1.0, g))
        omega = delta * qH + (1.0 - p_t) * y
        Pi = (1.0 - a) * y
        lam = max(0.0, omega - Pi)
        K = self.k * qH
        normal = (R - 1.0) * K
        if omega < Pi:
            raise ParameterError(
                "capital_ratio", "a banking state whose crunch lies beyond the decline at "
                "which firms default (the constrained banks must face loan losses)", self.k)
        # constrained banks retain their profits: K_t = R K - lambda (+ X), no dividends
        K_t, div = R * K - lam + self.X, 0.0
        pi_t = 0.0
        qtH = (1.0 - delta) * qH
        crisis = kind is EquilibriumKind.BANKING_CRISIS
        income = a * (1.0 - self.tau) * p_next * y
        if crisis:
            loan_rate = math.inf
            ent_next = bank_next = 0.0
            out_next = self.eps * y
        else:
            loan_rate = 1.0 + income / qtH
            ent_next = (1.0 - a) * (1.0 - self.tau) * p_next * y
            bank_next = income - s_next
            out_next = (1.0 - self.tau) * y
        reserves = self.X if self.funding == "none" else 0.0
        bank_dep = D_t - (self.X if self.funding == "deposits" else 0.0)
        if lam <= 0.0:
            regime = Regime.FIRMS_ABSORB
        elif lam <= normal:
            regime = Regime.DIVIDENDS_ABSORB
        elif lam < R * K + self.X:
            regime = Regime.CAPITAL_ABSORBS
        else:
            regime = Regime.INSOLVENT
        return Allocation(
            params=p, diagnostics=self._diag(), kind=kind, stable=stable,
            self_fulfilling=self_fulfilling, tau=self.tau, rate=self.rate,
            capital_ratio=self.k, tax=self.tax, injection=self.X, delta=delta, p_t=p_t,
            p_next=p_next, s_t=s_t, s_next=s_next, asset_value_t=qtH, credit=qtH,
            loan_rate=loan_rate, spread=loan_rate - R, loan_losses=lam, total_losses=omega,
            firm_profits_t=pi_t, bank_capital_t=K_t, bank_dividends_t=div, deposits_t=D_t,
            bank_deposits_t=bank_dep, reserves=reserves,
            depositor_losses=max(0.0, lam - R * K - self.X),
            consumption_households_t=s_t, consumption_old_entrepreneurs_t=pi_t,
            consumption_new_entrepreneurs_t=0.0, consumption_bankers_t=div,
            consumption_households_next=s_next, consumption_entrepreneurs_next=ent_next,
            consumption_bankers_next=bank_next, output_t=y, output_next=out_next,
            regime=regime.label)
