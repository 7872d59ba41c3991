"""Every accounting identity of the model note holds to round-off, over the admissible box."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bsrlab.vonpeter import Params, solve, steady_state, t_accounts

from .strategies import params, taus

TOL = 1e-10


@settings(max_examples=300, deadline=None)
@given(p=params(with_scale=True), tau=taus)
def test_identities_after_shock(p: Params, tau: float) -> None:
    s = solve(p, tau)
    for name, r in s.residuals().items():
        assert abs(float(r)) < TOL, (name, float(r))


@settings(max_examples=200, deadline=None)
@given(p=params(with_scale=True))
def test_steady_state_identities(p: Params) -> None:
    for name, r in steady_state(p).residuals().items():
        assert abs(float(r)) < TOL, name


@settings(max_examples=200, deadline=None)
@given(p=params(with_scale=True), tau=taus)
def test_t_accounts_balance_at_every_stage(p: Params, tau: float) -> None:
    acc = t_accounts(p, tau)
    assert acc.max_imbalance < TOL
    # Repayment: old firms' accumulated deposits equal the performing loans (footnote 30).
    t4 = acc["t4"]
    performing = t4.assets[0][2]
    firms_deposits = t4.liabilities[1][2]
    assert abs(performing - firms_deposits) < TOL


def test_identities_vectorised_over_a_random_cloud() -> None:
    rng = np.random.default_rng(7)
    n = 200_000
    beta = rng.uniform(0.6, 0.99, n)
    R = 1 / beta
    alpha = (R - 1) + rng.uniform(0.001, 0.999, n) * (2 - R)
    gamma = rng.uniform(0.0, 0.99, n)
    y = rng.uniform(0.1, 10.0, n)
    tau = rng.uniform(0.0, 1.0, n)
    s = solve(Params(alpha=alpha, beta=beta, gamma=gamma, y=y), tau)
    scale = alpha * y / (R - 1)  # qH
    for name, r in s.residuals().items():
        assert np.max(np.abs(r) / np.maximum(scale, 1.0)) < TOL, name
    assert s.converged and s.max_residual < 1e-12


def test_monetary_contraction_below_tau_div() -> None:
    # Figure 6 text: for tau < tau_Div, K_t = K and D_t = D - delta qH.
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.3)
    tau = np.linspace(0.0, 0.04, 9)
    s = solve(p, tau)
    qH = 0.5 / 0.05
    D = qH / 1.05
    np.testing.assert_allclose(s.bank_capital_t, 0.5 / 1.05, rtol=1e-14)
    np.testing.assert_allclose(s.deposits_t, D - s.delta * qH, rtol=1e-13)


@settings(max_examples=150, deadline=None)
@given(p=params(), tau=st.floats(0.0, 1.0))
def test_capital_falls_one_for_one_with_assets_eq_25(p: Params, tau: float) -> None:
    # (25): above delta_Div, K - K_t = (delta - delta_Div) qH.
    from bsrlab.vonpeter import thresholds

    th = thresholds(p)
    s = solve(p, tau)
    a, R = float(p.a), float(p.R)
    qH, K = a / (R - 1), a / R
    if float(s.delta) >= float(th.delta_div):
        lhs = K - float(s.bank_capital_t)
        rhs = (float(s.delta) - float(th.delta_div)) * qH
        assert abs(lhs - rhs) < 1e-10 * max(1.0, qH)
