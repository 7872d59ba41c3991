"""Sections 1 and 2: closed forms against independent numerical solutions, limits, paradoxes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging.endowment import (
    EndowmentParams,
    natural_rate_endowment,
    natural_rate_is_negative,
    solve_endowment,
)
from bsrlab.models.deleveraging.two_state import (
    TwoStateParams,
    paradox_of_flexibility,
    paradox_of_thrift,
    paradox_of_toil,
    solve_two_state,
    solve_two_state_numeric,
    spending_multiplier_bound,
)


def _euler_root(beta: float, dh: float, dl: float, y: float, p: float) -> float:
    """r_S from savers' Euler equation (log utility) and goods-market clearing, by a root-finder."""
    cs_long = y / 2 + (1 - beta) * dl

    def f(r: float) -> float:
        cs_short = y - (y / 2 + dl / (1 + r) - dh / p)
        return 1 / cs_short - beta * (1 + r) / cs_long

    lo = max((dl / (y / 2 + dh / p)) * (1 + 1e-9) - 1, -0.999)
    return float(brentq(f, lo, 50.0, xtol=1e-15, rtol=1e-15))


@settings(max_examples=60, deadline=None)
@given(beta=st.floats(0.8, 0.99), dh=st.floats(0.0, 0.6).map(lambda v: round(v, 6)),
       frac=st.floats(0.0, 1.0),
       p=st.floats(0.9, 1.1))
def test_endowment_natural_rate_matches_euler_root(beta: float, dh: float, frac: float,
                                                   p: float) -> None:
    dl = frac * dh
    try:
        res = solve_endowment(EndowmentParams(beta=beta, d_high=dh, d_low=dl, price_level=p))
    except ParameterError:
        assume(False)  # borrowers' consumption would not be positive: refused, as documented
    assert float(res.natural_rate) == pytest.approx(_euler_root(beta, dh, dl, 1.0, p), abs=1e-10)
    # goods market and the savers' Euler equation hold
    assert float(res.c_borrower_short + res.c_saver_short) == pytest.approx(1.0, abs=1e-14)
    assert float(res.c_saver_long) == pytest.approx(
        beta * (1 + float(res.natural_rate)) * float(res.c_saver_short), rel=1e-12)
    # the stated condition for a negative natural rate is exact (away from round-off at r = 0)
    if abs(float(res.natural_rate)) > 1e-12:
        assert bool(res.natural_rate_negative) == (float(res.natural_rate) < 0)


def test_endowment_closed_form_by_hand() -> None:
    # beta = 0.96, D_high = 0.5, D_low = 0.2, Y = 1: (0.5 + 0.2)/(0.96 (0.5 + 0.5)) - 1
    r = natural_rate_endowment(0.96, 0.5, 0.2)
    assert float(r) == pytest.approx(0.7 / 0.96 - 1.0, abs=1e-15)
    assert bool(natural_rate_is_negative(0.96, 0.5, 0.2))
    assert not bool(natural_rate_is_negative(0.96, 0.1, 0.1))
    # no deleveraging: the natural rate is the steady rate 1/beta - 1
    assert float(natural_rate_endowment(0.96, 0.3, 0.3)) == pytest.approx(1 / 0.96 - 1, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(p1=st.floats(0.85, 1.0), drop=st.floats(0.01, 0.1))
def test_fisher_lower_price_level_lowers_natural_rate(p1: float, drop: float) -> None:
    a = natural_rate_endowment(0.95, 0.4, 0.2, 1.0, p1)
    b = natural_rate_endowment(0.95, 0.4, 0.2, 1.0, p1 - drop)
    assert b < a


def test_endowment_arrays_broadcast_and_errors() -> None:
    res = solve_endowment(EndowmentParams(beta=0.96, d_high=np.array([0.3, 0.5]), d_low=0.2))
    assert res.natural_rate.shape == (2,)
    assert len(res.to_frame()) == 2
    with pytest.raises(ParameterError, match=r"'beta'.*0 < beta < 1.*1.2"):
        EndowmentParams(beta=1.2, d_high=0.5, d_low=0.2)
    with pytest.raises(ParameterError, match="d_low"):
        EndowmentParams(beta=0.9, d_high=0.2, d_low=0.5)


PARAMS = st.builds(
    TwoStateParams,
    beta=st.floats(0.95, 0.995), sigma=st.floats(0.3, 2.0), kappa=st.floats(0.0, 0.03),
    mu=st.floats(0.3, 0.75), chi_b=st.floats(0.0, 0.7), cs_share=st.floats(0.8, 1.2),
    delta=st.floats(-0.05, 0.3), g=st.floats(-0.02, 0.05), t_b=st.floats(-0.05, 0.05),
    supply=st.floats(-0.02, 0.02), phi_pi=st.floats(1.1, 3.0), phi_y=st.floats(0.0, 1.0))


def _params(**kw: float) -> TwoStateParams | None:
    try:
        return TwoStateParams(**kw)
    except ParameterError:
        return None


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_two_state_closed_forms_match_linear_system(data: st.DataObject) -> None:
    try:
        p = data.draw(PARAMS)
    except ParameterError:
        assume(False)  # indeterminate draws are refused; tested below
    res = solve_two_state(p)
    num = solve_two_state_numeric(p, at_bound=res.at_bound)
    for k in ("output", "inflation", "c_saver", "c_borrower", "policy_rate"):
        assert getattr(res, k) == pytest.approx(num[k], abs=1e-10)
    # multipliers: finite differences of the (linear) numerical solutions
    for at_bound, m in ((True, res.spending_multiplier_bound),
                        (False, res.spending_multiplier_taylor)):
        y0 = solve_two_state_numeric(p, at_bound=at_bound)["output"]
        y1 = solve_two_state_numeric(TwoStateParams(**{**p.__dict__, "g": p.g + 1e-3}),
                                     at_bound=at_bound)["output"]
        assert (y1 - y0) / 1e-3 == pytest.approx(m, rel=1e-7)
        if p.chi_b > 1e-3:
            # a transfer of aggregate size T: t_b falls by T/chi_b
            y2 = solve_two_state_numeric(
                TwoStateParams(**{**p.__dict__, "t_b": p.t_b - 1e-3 / p.chi_b}),
                at_bound=at_bound)["output"]
            assert (y2 - y0) / 1e-3 == pytest.approx(m, rel=1e-7)
    # the natural rate gives zero output with no fiscal action and no supply shift
    q = TwoStateParams(**{**p.__dict__, "g": 0.0, "t_b": 0.0, "supply": 0.0})
    pi = 0.0
    cs = -q.sigma_s * (q.natural_rate - q.mu * pi - q.rbar) / (1 - q.mu)
    assert q.chi_s * cs + q.chi_b * (-q.delta) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(beta=st.floats(0.95, 0.995), sigma=st.floats(0.3, 2.0), mu=st.floats(0.3, 0.8),
       chi_b=st.floats(0.05, 0.7))
def test_kappa_zero_gives_one_over_chi_s(beta: float, sigma: float, mu: float,
                                         chi_b: float) -> None:
    p = TwoStateParams(beta=beta, sigma=sigma, mu=mu, chi_b=chi_b, kappa=0.0)
    assert spending_multiplier_bound(p) == pytest.approx(1 / (1 - chi_b), rel=1e-13)


@settings(max_examples=60, deadline=None)
@given(beta=st.floats(0.95, 0.995), sigma=st.floats(0.3, 2.0), mu=st.floats(0.3, 0.8),
       kappa=st.floats(0.0, 0.02))
def test_chi_b_zero_gives_eggertsson_2011(beta: float, sigma: float, mu: float,
                                         kappa: float) -> None:
    p = _params(beta=beta, sigma=sigma, mu=mu, kappa=kappa, chi_b=0.0, delta=0.0)
    assume(p is not None)
    assert p is not None
    a = (1 - mu) * (1 - beta * mu)
    assert spending_multiplier_bound(p) == pytest.approx(a / (a - sigma * mu * kappa), rel=1e-12)


def test_multiplier_at_bound_exceeds_one_and_taylor_is_below_one() -> None:
    res = solve_two_state(TwoStateParams())
    assert res.at_bound and res.natural_rate < 0
    assert res.spending_multiplier == res.spending_multiplier_bound > 1
    assert res.spending_multiplier_taylor < 1 < res.spending_multiplier_bound
    assert res.transfer_multiplier == res.spending_multiplier
    away = solve_two_state(TwoStateParams(delta=0.0))
    assert not away.at_bound and away.spending_multiplier < 1


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_paradoxes_at_the_bound(data: st.DataObject) -> None:
    try:
        p = data.draw(PARAMS)
    except ParameterError:
        assume(False)
    h = 1e-6
    y = solve_two_state_numeric(p, at_bound=True)["output"]

    def y_at(**kw: float) -> float:
        return solve_two_state_numeric(TwoStateParams(**{**p.__dict__, **kw}),
                                       at_bound=True)["output"]

    assert (y_at(delta=p.delta + h) - y) / h == pytest.approx(paradox_of_thrift(p), rel=1e-5,
                                                                abs=1e-8)
    assert paradox_of_thrift(p) <= 0  # more saving lowers output (thrift)
    assert (y_at(supply=p.supply + h) - y) / h == pytest.approx(paradox_of_toil(p), rel=1e-5,
                                                                  abs=1e-8)
    assert paradox_of_toil(p) <= 0  # more supply lowers output (toil)
    if p.kappa > 1e-4 and _params(**{**p.__dict__, "kappa": p.kappa + h}) is not None:
        fd = (y_at(kappa=p.kappa + h) - y) / h
        assert fd == pytest.approx(paradox_of_flexibility(p), rel=1e-4, abs=1e-7)


def test_flexibility_lowers_output_when_natural_rate_negative() -> None:
    p = TwoStateParams(kappa=0.01)
    assert p.natural_rate < 0 and paradox_of_flexibility(p) < 0
    assert solve_two_state(TwoStateParams(kappa=0.02)).output < solve_two_state(p).output


def test_determinacy_is_enforced() -> None:
    with pytest.raises(ParameterError, match=r"'kappa' must satisfy 1 - b\*k > 0.*got 0.5"):
        TwoStateParams(kappa=0.5)
    with pytest.raises(ParameterError, match="'mu'"):
        TwoStateParams(mu=1.0)
