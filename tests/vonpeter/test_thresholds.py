"""Thresholds: ordering, closed forms, vulnerability (Proposition 5) and continuity across them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bsrlab.models.vonpeter.thresholds import delta_0, tau_0
from bsrlab.vonpeter import OUTPUT_KEYS, Params, Regime, solve, thresholds, vulnerability

from .strategies import params

TAU_KEYS = ("tau_0", "tau_div", "tau_star", "tau_K")
DELTA_KEYS = ("delta_0", "delta_div", "delta_star", "delta_K")


@settings(max_examples=300, deadline=None)
@given(p=params())
def test_ordering(p: Params) -> None:
    th = thresholds(p)
    t = [float(getattr(th, k)) for k in TAU_KEYS]
    d = [float(getattr(th, k)) for k in DELTA_KEYS]
    assert 0.0 < t[0] < t[1] < t[2] < t[3] < 1.0
    assert 0.0 < d[0] < d[1] < d[2] < d[3] < 1.0
    assert th.delta_0_residual < 1e-12


@settings(max_examples=200, deadline=None)
@given(p=params())
def test_thresholds_are_the_fundamental_declines_of_their_shocks(p: Params) -> None:
    # Each tau_i maps to delta_i through the fundamental decline (22).
    th = thresholds(p)
    taus = np.array([float(getattr(th, k)) for k in TAU_KEYS])
    deltas = np.array([float(getattr(th, k)) for k in DELTA_KEYS])
    np.testing.assert_allclose(solve(p, taus).delta, deltas, rtol=1e-9, atol=1e-12)


def test_delta_0_closed_form_at_gamma_zero() -> None:
    alpha = np.linspace(0.06, 0.95, 50)
    R = 1.05
    d0 = delta_0(alpha, np.full_like(alpha, R), np.zeros_like(alpha))
    np.testing.assert_allclose(d0, (1 - alpha) * (R - 1) / alpha, rtol=1e-13)
    # and tau_0 = delta_0 when prices are fixed
    np.testing.assert_allclose(tau_0(alpha, np.full_like(alpha, R), np.zeros_like(alpha)), d0,
                               rtol=1e-12)


def test_delta_0_is_where_losses_reach_profits() -> None:
    p = Params.from_R(alpha=0.6, R=1.04, gamma=0.45)
    th = thresholds(p)
    s = solve(p, float(th.tau_0))
    assert float(s.total_losses) == pytest.approx(float(1 - 0.6), abs=1e-12)  # omega = Pi
    assert float(s.loan_losses) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(p=params(gamma_max=0.9))
def test_proposition_5_every_threshold_falls_in_alpha_and_beta(p: Params) -> None:
    v = vulnerability(p)
    for k, d in v.derivatives.items():
        assert float(d["alpha"]) < 0.0, (k, "alpha")
        assert float(d["beta"]) < 0.0, (k, "beta")


@settings(max_examples=300, deadline=None)
@given(p=params(gamma_max=0.9))
def test_proposition_5_thresholds_fall_in_gamma(p: Params) -> None:
    v = vulnerability(p)
    for k, d in v.derivatives.items():
        if k == "tau_div" and not (float(p.R) <= 1.11 and float(p.a) <= 0.9):
            continue  # see the next test: not true for alpha near 1 or very high rates
        assert float(d["gamma"]) < 0.0, (k, "gamma")


def test_tau_div_rises_with_gamma_when_alpha_is_near_one() -> None:
    # A finding beyond the paper: 1 - tau_Div = (1 - delta*/R)/(1 - delta*)^e has two gamma
    # effects of opposite sign; when alpha is close to 1, delta* is small and the exponent effect
    # of gamma loses to the smaller delta*, so tau_Div rises with gamma. Proposition 5 holds for
    # every other threshold everywhere and, for tau_Div, for R <= 1.11 and alpha <= 0.9 (tested
    # above); a grid scan puts the smallest counterexample alpha at 0.96 for R = 1.05, 0.92 for
    # R = 1.11, 0.82 for R = 1.33 and 0.60 for R = 1.6.
    p = Params.from_R(alpha=0.99, R=1.05, gamma=np.array([0.0, 0.3, 0.6]))
    v = vulnerability(p)
    assert np.all(v.derivatives["tau_div"]["gamma"] > 0)
    assert np.all(np.diff(thresholds(p).tau_div) > 0)
    assert np.all(v.derivatives["tau_star"]["gamma"] < 0)


@settings(max_examples=60, deadline=None)
@given(p=params(gamma_max=0.9))
def test_complex_step_agrees_with_central_differences(p: Params) -> None:
    v = vulnerability(p)
    h = 1e-6
    base = {"alpha": float(p.a), "beta": float(np.asarray(p.beta)), "gamma": float(p.g)}
    for name in ("alpha", "beta", "gamma"):
        # central differences, or second-order forward differences at the gamma = 0 edge
        steps = (-h, h) if base[name] - h >= 0 or name != "gamma" else (0.0, h, 2 * h)
        try:
            ths = [thresholds(Params(**{**base, name: base[name] + st_})) for st_ in steps]
        except ValueError:
            continue  # the step left the admissible box
        for k in v.derivatives:
            f = [float(getattr(t, k)) for t in ths]
            fd = (f[1] - f[0]) / (2 * h) if len(f) == 2 else (-3 * f[0] + 4 * f[1] - f[2]) / (2 * h)
            assert float(v.derivatives[k][name]) == pytest.approx(fd, rel=1e-4, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(p=params(), which=st.sampled_from(TAU_KEYS))
def test_every_output_is_continuous_across_every_threshold(p: Params, which: str) -> None:
    t = float(getattr(thresholds(p), which))
    eps = 1e-10
    s = solve(p, np.array([t - eps, t + eps]))
    qH = float(p.a) / (float(p.R) - 1.0)
    for k in OUTPUT_KEYS:
        v = getattr(s, k)
        assert abs(v[1] - v[0]) < 1e-6 * max(1.0, qH), k


@settings(max_examples=150, deadline=None)
@given(p=params(), u=st.floats(0.0, 1.0))
def test_regime_follows_the_tau_ranges(p: Params, u: float) -> None:
    th = thresholds(p)
    edges = [0.0, *[float(getattr(th, k)) for k in ("tau_0", "tau_div", "tau_K")], 1.0]
    # a point strictly inside each range, away from the edges by a relative margin
    for i in range(4):
        lo, hi = edges[i], edges[i + 1]
        tau = lo + (0.05 + 0.9 * u) * (hi - lo)
        assert int(solve(p, tau).regime) == Regime(i)


@settings(max_examples=150, deadline=None)
@given(p=params())
def test_losses_are_monotone_in_tau(p: Params) -> None:
    # Proposition 3(a): omega and lambda increase with tau; Proposition 2: delta increases.
    s = solve(p, np.linspace(0.0, 1.0, 401))
    assert np.all(np.diff(s.delta) > 0)
    assert np.all(np.diff(s.total_losses) >= -1e-12)
    assert np.all(np.diff(s.loan_losses) >= -1e-12)
    assert np.all(np.diff(s.p_t) <= 1e-15)
