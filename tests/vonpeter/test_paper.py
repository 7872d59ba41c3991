"""Numbers the paper states, reproduced by the model."""

from __future__ import annotations

import numpy as np
import pytest

from bsrlab.vonpeter import Params, frontier, solve, steady_state, thresholds


@pytest.mark.parametrize(("alpha", "expected"), [(0.5, 0.055), (0.25, 0.16)])
def test_delta_star_section_4_2(alpha: float, expected: float) -> None:
    # Section 4.2 and footnote 41: R = 1.05, gamma = 0.
    th = thresholds(Params.from_R(alpha=alpha, R=1.05, gamma=0.0))
    assert float(th.delta_star) == pytest.approx(expected, abs=1e-12)


def test_frontier_matches_section_4_2() -> None:
    d = frontier(np.array([0.25, 0.5]), beta=1 / 1.05, gamma=0.0)
    np.testing.assert_allclose(d, [0.16, 0.055], atol=1e-12)


def test_ten_percent_decline_distinguishes_weak_and_strong_balance_sheets() -> None:
    # Section 4.2: a 10% decline causes instability with alpha = 1/2 but not with alpha = 1/4.
    weak = thresholds(Params.from_R(alpha=0.5, R=1.05, gamma=0.0))
    strong = thresholds(Params.from_R(alpha=0.25, R=1.05, gamma=0.0))
    assert float(weak.delta_star) < 0.10 < float(strong.delta_star)


def test_proposition_1_leverage() -> None:
    # (12) firm leverage alpha/(1-alpha) R/(R-1) and (13) bank leverage 1/(R-1), both > 1.
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.3)
    ss = steady_state(p)
    assert float(ss.firm_leverage) == pytest.approx(1.0 * 1.05 / 0.05)
    assert float(ss.bank_leverage) == pytest.approx(20.0)
    assert float(ss.firm_leverage) > 1 and float(ss.bank_leverage) > 1
    # K = s0 = alpha beta y
    assert float(ss.bank_capital) == pytest.approx(0.5 / 1.05)


def test_japan_seventy_percent_decline_needs_tau_near_0_7() -> None:
    # Section 5.1: a 70% asset price decline with little deflation requires tau near 0.7.
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.02)
    taus = np.linspace(0.0, 1.0, 100001)
    d = solve(p, taus).delta
    tau_70 = float(np.interp(0.70, d, taus))
    assert tau_70 == pytest.approx(0.7, abs=0.01)


def test_delta_at_tau_one_is_total_collapse() -> None:
    # tau -> 1: assets lose their use, delta(1) = 1, q_t H = 0, K_t = -D_t.
    p = Params.from_R(alpha=0.4, R=1.05, gamma=0.3)
    s = solve(p, 1.0)
    assert float(s.delta) == pytest.approx(1.0)
    assert float(s.asset_value_t) == pytest.approx(0.0, abs=1e-12)
    assert float(s.bank_capital_t) == pytest.approx(-float(s.deposits_t), abs=1e-12)


def test_deflation_is_temporary() -> None:
    # Proposition 2 / Appendix 1: p_t < 1 and p_{t+1} > 1 for tau > 0, gamma > 0.
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.4)
    s = solve(p, np.array([0.01, 0.3, 0.9]))
    assert np.all(s.p_t < 1.0) and np.all(s.p_next > 1.0)


def test_gamma_zero_fixes_prices() -> None:
    # Footnote 37: gamma -> 0 implies fixed goods prices.
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    s = solve(p, np.linspace(0, 1, 11))
    np.testing.assert_allclose(s.p_t, 1.0)
    np.testing.assert_allclose(s.p_next, 1.0)
