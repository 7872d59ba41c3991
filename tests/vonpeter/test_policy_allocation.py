"""Full allocations: every identity in every equilibrium kind, and the Section 4.1 cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bsrlab.core.jsonio import dumps
from bsrlab.models.vonpeter import Params, equilibria, solve
from bsrlab.models.vonpeter.allocation import ALLOCATION_KEYS, CASES, allocations, classify

from .strategies import params as params_strategy

POLICIES = (
    {},
    {"injection": 0.2, "funding": "none"},
    {"injection": 0.2, "funding": "tax"},
    {"injection": 0.2, "funding": "deposits"},
    {"rate": 1.04},
    {"requirement": 0.02},
    {"capital_ratio": 0.08, "requirement": 0.08},
    {"forbearance": True},
)


def _max_residual(p: Params, tau: float, kw: dict) -> tuple[float, set[str]]:
    worst, kinds = 0.0, set()
    for al in allocations(p, tau, **kw):
        res = al.residuals()
        for key in ("bank_balance_sheet", "goods_market_t", "household_budget"):
            assert key in res
        worst = max(worst, max(abs(v) for v in res.values()))
        kinds.add(al.kind.value)
    return worst, kinds


@pytest.mark.parametrize("kw", POLICIES, ids=lambda d: ",".join(map(str, d.values())) or "none")
@pytest.mark.parametrize("gamma", [0.0, 0.1, 0.6])
def test_identities_hold_in_every_kind(kw: dict, gamma: float) -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=gamma)
    seen: set[str] = set()
    for tau in (0.0, 0.02, 0.045, 0.07, 0.3, 1.0):
        worst, kinds = _max_residual(p, tau, kw)
        assert worst < 1e-10, (tau, worst)
        seen |= kinds
    if not kw.get("forbearance"):
        assert seen == {"fundamental", "capital_crunch", "banking_crisis"}


@settings(max_examples=60, deadline=None)
@given(p=params_strategy(gamma_max=0.9), tau=st.floats(0.0, 1.0))
def test_identities_over_the_box(p: Params, tau: float) -> None:
    worst, _ = _max_residual(p, tau, {})
    scale = 1.0 + float(p.a) / (float(p.R) - 1.0)  # amounts are of the order of qH
    assert worst < 1e-10 * scale


def test_agrees_with_solve_and_equilibria() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    for tau in (0.01, 0.04, 0.2):
        als = allocations(p, tau)
        eqs = equilibria(p, tau)
        assert [a.kind for a in als] == [e.kind for e in eqs]
        for a, e in zip(als, eqs, strict=True):
            assert a.delta == pytest.approx(e.delta, abs=1e-14)
            assert a.stable == e.stable and a.self_fulfilling == e.self_fulfilling
            if math.isfinite(e.loan_rate):
                assert a.loan_rate == pytest.approx(e.loan_rate, rel=1e-12)
            else:
                assert math.isinf(a.loan_rate)
        if als[0].kind.value == "fundamental":
            sol = solve(p, tau)
            assert als[0].loan_losses == float(sol.loan_losses)
            assert als[0].bank_capital_t == float(sol.bank_capital_t)


def test_crisis_is_autarky_and_json_is_strict() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    crisis = allocations(p, 0.2)[0]
    assert crisis.kind.value == "banking_crisis"
    assert crisis.credit == 0.0 and crisis.output_next == pytest.approx(0.1)
    assert crisis.depositor_losses > 0.0
    d = crisis.to_dict()
    assert list(d) == list(ALLOCATION_KEYS)
    assert d["loan_rate"] is None
    assert "NaN" not in dumps(d) and "Infinity" not in dumps(d)


# --- Section 4.1: the four cases, one example each ------------------------------------------------

def test_case_macro_to_financial() -> None:
    """MiS => FiS: a shock beyond tau* makes the crisis the only (fundamental) outcome."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    (al,) = allocations(p, 0.2)
    assert not al.self_fulfilling and classify(al) == "macro_to_financial"


def test_case_financial_to_macro() -> None:
    """FiS => MiS: a self-fulfilling crunch brings deflation (gamma > 0) at a small shock."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    crunch = allocations(p, 0.01)[1]
    assert crunch.self_fulfilling and crunch.p_t < 1.0
    assert classify(crunch) == "financial_to_macro"


def test_case_macro_alone() -> None:
    """MiS alone: a shock that lowers output without loan losses."""
    p = Params.from_R(alpha=0.25, R=1.05, gamma=0.0)
    fund = allocations(p, 0.05)[0]
    assert fund.kind.value == "fundamental" and fund.loan_losses == 0.0
    assert classify(fund) == "macro_alone"


def test_case_financial_alone() -> None:
    """FiS alone: gamma = 0 and tau = 0: a self-fulfilling crunch with no deflation and no
    output fall (and a crisis with no deflation)."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    fund, crunch, crisis = allocations(p, 0.0)
    assert classify(fund) == "stable"
    assert crunch.p_t == 1.0 and crunch.p_next == pytest.approx(1.0, abs=1e-15)
    assert classify(crunch) == "financial_alone"
    assert classify(crisis) == "financial_alone"
    assert set(CASES) >= {classify(a) for a in (fund, crunch, crisis)}


def test_forbearance_keeps_only_the_fundamental_with_losses_in_the_banks() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    (fb,) = allocations(p, 0.2, forbearance=True)
    assert fb.kind.value == "fundamental"
    assert fb.bank_capital_t < 0.0  # insolvent banks kept open
    assert fb.loan_losses == pytest.approx(float(solve(p, 0.2).loan_losses), rel=1e-14)
