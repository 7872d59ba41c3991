"""Two methods agree: closed forms, the vectorised Newton root and a per-point brentq reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter.reference import solve_point
from bsrlab.vonpeter import OUTPUT_KEYS, Params, delta_closed_form, solve, thresholds

from .strategies import params


@settings(max_examples=200, deadline=None)
@given(p=params(gamma_max=0.0), u=st.floats(0.0, 1.0))
def test_gamma_zero_delta_equals_tau_below_tau_div(p: Params, u: float) -> None:
    tau = u * float(thresholds(p).tau_div)
    assert float(solve(p, tau).delta) == pytest.approx(tau, abs=1e-14)
    assert float(delta_closed_form(p.a, p.R, 0.0, tau)) == pytest.approx(tau, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(beta=st.floats(0.6, 0.99), v=st.floats(0.02, 0.98), u=st.floats(0.0, 1.0))
def test_gamma_half_quadratic(beta: float, v: float, u: float) -> None:
    R = 1 / beta
    p = Params(alpha=(R - 1) + v * (2 - R), beta=beta, gamma=0.5)
    tau = u * float(thresholds(p).tau_div)
    closed = float(delta_closed_form(p.a, p.R, 0.5, tau))
    # the closed form solves the fixed point delta = 1 - (1 - tau)/(1 - R delta)
    assert closed == pytest.approx(1 - (1 - tau) / (1 - R * closed), abs=1e-13)
    assert float(solve(p, tau).delta) == pytest.approx(closed, rel=1e-12, abs=1e-15)


def test_closed_form_only_for_gamma_zero_or_half() -> None:
    with pytest.raises(ParameterError, match="gamma"):
        delta_closed_form(0.5, 1.05, 0.3, 0.1)


def test_newton_agrees_with_brentq_reference_on_random_points() -> None:
    rng = np.random.default_rng(11)
    n = 3000
    beta = rng.uniform(0.6, 0.99, n)
    R = 1 / beta
    alpha = (R - 1) + rng.uniform(0.001, 0.999, n) * (2 - R)
    gamma = rng.uniform(0.0, 0.99, n)
    # half the shocks below tau_Div, where the root is needed
    tdiv = thresholds(Params(alpha=alpha, beta=beta, gamma=gamma)).tau_div
    tau = np.where(rng.random(n) < 0.5, rng.random(n) * tdiv, rng.random(n))
    s = solve(Params(alpha=alpha, beta=beta, gamma=gamma), tau)
    assert s.converged and s.max_residual < 1e-12 and s.iterations <= 12
    for i in range(n):
        ref = solve_point(alpha[i], beta[i], gamma[i], tau[i])
        scale = max(1.0, alpha[i] / (R[i] - 1))
        for k in OUTPUT_KEYS:
            assert abs(getattr(s, k)[i] - ref[k]) <= 1e-10 * scale, (i, k)
        assert s.regime_labels()[i] == ref["regime"]


def test_solver_reports_diagnostics() -> None:
    s = solve(Params.from_R(alpha=0.5, R=1.05, gamma=0.5), 0.02)
    assert s.converged is True
    assert 1 <= s.iterations <= 10
    assert 0.0 <= s.max_residual < 1e-14


def test_broadcasting_parameters_against_shocks() -> None:
    alphas = np.array([[0.3], [0.5], [0.7]])
    taus = np.linspace(0.0, 1.0, 5)
    s = solve(Params(alpha=alphas, beta=1 / 1.05, gamma=0.2), taus)
    assert s.delta.shape == (3, 5)
    for i, a in enumerate(alphas[:, 0]):
        row = solve(Params(alpha=a, beta=1 / 1.05, gamma=0.2), taus)
        np.testing.assert_array_equal(s.delta[i], row.delta)
    assert len(s.records()) == 15
    assert s.to_frame().shape == (15, 4 + len(OUTPUT_KEYS) + 1)


@settings(max_examples=100, deadline=None)
@given(p=params(), t=st.floats(0.0, 1.0))
def test_newton_converges_everywhere_in_the_box(p: Params, t: float) -> None:
    s = solve(p, t)
    assert s.converged and np.isfinite(s.delta) and 0.0 <= float(s.delta) <= 1.0
