"""Capital-constrained equilibria (Proposition 4, Appendix 3) and the instability process."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from bsrlab.vonpeter import (
    EquilibriumKind,
    Params,
    admissible_lending,
    equilibria,
    instability_path,
    loan_rate,
    solve,
    thresholds,
)

from .strategies import params


@settings(max_examples=150, deadline=None)
@given(p=params())
def test_crunch_fixed_point_of_26_is_delta_star_of_28(p: Params) -> None:
    th = thresholds(p)
    qH = float(p.a) / (float(p.R) - 1)

    def gap(d: float) -> float:  # required contraction minus the decline
        return 1.0 - float(admissible_lending(p, d)) / qH - d

    lo, hi = float(th.delta_div), float(th.delta_K)
    root = brentq(gap, lo + 1e-15, hi, xtol=1e-15)
    assert root == pytest.approx(float(th.delta_star), rel=1e-10)
    # the banking crisis is the other fixed point: no lending at delta = 1
    assert float(admissible_lending(p, 1.0)) == 0.0
    assert gap(1.0) == 0.0


@settings(max_examples=150, deadline=None)
@given(p=params())
def test_admissible_lending_schedule(p: Params) -> None:
    th = thresholds(p)
    qH = float(p.a) / (float(p.R) - 1)
    R = float(p.R)
    d = np.linspace(0, 1, 1001)
    L = admissible_lending(p, d)
    assert np.all(np.diff(L) <= 1e-12)  # non-increasing
    assert np.all(L[d <= float(th.delta_div)] == qH)
    assert np.all(L[d >= float(th.delta_K)] == 0.0)
    mid = (d > float(th.delta_div)) & (d < float(th.delta_K))
    slope = np.diff(L[mid]) / np.diff(d[mid])
    np.testing.assert_allclose(slope, -R / (R - 1) * qH, rtol=1e-8)  # R/(R-1)-fold contraction


@settings(max_examples=150, deadline=None)
@given(p=params(), u=st.floats(0.0, 0.999))
def test_good_fundamentals_three_equilibria(p: Params, u: float) -> None:
    th = thresholds(p)
    tau = u * float(th.tau_star)
    eqs = equilibria(p, tau)
    kinds = [e.kind for e in eqs]
    assert kinds == [EquilibriumKind.FUNDAMENTAL, EquilibriumKind.CAPITAL_CRUNCH,
                     EquilibriumKind.BANKING_CRISIS]
    fund, crunch, crisis = eqs
    assert fund.delta == pytest.approx(float(solve(p, tau).delta), abs=1e-14)
    assert fund.loan_rate == pytest.approx(float(p.R)) and fund.stable
    assert not fund.self_fulfilling
    assert crunch.delta == pytest.approx(float(th.delta_star))
    assert not crunch.stable and crunch.self_fulfilling
    # (R_t - 1)/(R - 1) = (1 - tau)/(1 - tau*) (Appendix 3), and > R for tau < tau*
    R = float(p.R)
    assert (crunch.loan_rate - 1) / (R - 1) == pytest.approx((1 - tau) / (1 - float(th.tau_star)))
    assert crunch.loan_rate > R
    # the general formula (27) at the crunch agrees
    assert float(loan_rate(p, tau, crunch.delta)) == pytest.approx(crunch.loan_rate, rel=1e-12)
    assert crisis.delta == 1.0 and np.isinf(crisis.loan_rate) and crisis.stable
    assert crisis.self_fulfilling


@settings(max_examples=150, deadline=None)
@given(p=params(), u=st.floats(0.001, 0.999))
def test_poor_fundamentals_only_a_banking_crisis(p: Params, u: float) -> None:
    ts = float(thresholds(p).tau_star)
    tau = ts + u * (1 - ts)
    eqs = equilibria(p, tau)
    assert [e.kind for e in eqs] == [EquilibriumKind.BANKING_CRISIS]
    assert not eqs[0].self_fulfilling and eqs[0].stable


def test_spread_is_decreasing_in_tau() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.3)
    ts = float(thresholds(p).tau_star)
    rates = [equilibria(p, t)[1].loan_rate for t in np.linspace(0, 0.99 * ts, 20)]
    assert np.all(np.diff(rates) < 0)


@settings(max_examples=100, deadline=None)
@given(p=params(), eps=st.floats(1e-6, 1e-3))
def test_instability_just_past_delta_star_ends_in_crisis(p: Params, eps: float) -> None:
    th = thresholds(p)
    ds = float(th.delta_star)
    path = instability_path(p, min(ds + eps, 1.0), tau=0.0)
    assert path.end is EquilibriumKind.BANKING_CRISIS and path.converged
    assert path.deltas[-1] == 1.0
    R = float(p.R)
    # the gap to delta* grows by R/(R-1) per round while the constraint binds linearly
    d = path.deltas
    k = 1
    while k + 1 < d.size and d[k] < float(th.delta_K):
        assert (d[k] - ds) == pytest.approx(R / (R - 1) * (d[k - 1] - ds), rel=1e-6, abs=1e-12)
        k += 1


@settings(max_examples=100, deadline=None)
@given(p=params(), u=st.floats(0.0, 0.99))
def test_instability_below_delta_star_returns_to_fundamentals(p: Params, u: float) -> None:
    th = thresholds(p)
    tau = 0.5 * float(th.tau_0)
    start = u * float(th.delta_star)
    path = instability_path(p, start, tau=tau)
    assert path.end is EquilibriumKind.FUNDAMENTAL
    assert path.deltas[-1] == pytest.approx(float(solve(p, tau).delta), abs=1e-14)


def test_poor_fundamentals_drive_any_start_to_crisis() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.2)
    th = thresholds(p)
    tau = 0.5 * (float(th.tau_star) + float(th.tau_K))
    path = instability_path(p, 0.0, tau=tau)
    assert path.end is EquilibriumKind.BANKING_CRISIS
    assert path.to_frame().shape[1] == 3
