"""Each closed form of the paper equals its definition, and each inverse inverts it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bsrlab.models.vonpeter import closed
from bsrlab.vonpeter import Params, admissible_lending, loan_rate, steady_state, thresholds

from .strategies import params

REL = 1e-12


def _f(p: Params) -> tuple[float, float, float, float]:
    return float(p.a), float(p.R), float(p.g), float(np.asarray(p.y))


@settings(max_examples=200, deadline=None)
@given(p=params(with_scale=True))
def test_steady_state_closed_forms(p: Params) -> None:
    a, R, _, y = _f(p)
    beta = 1.0 / R
    qH = closed.asset_value(a, R, y)
    assert qH == pytest.approx(a * y / (R - 1), rel=REL)  # (11)
    assert closed.deposits(a, R, y) == pytest.approx(qH / R, rel=REL)
    cap = closed.bank_capital(a, R, y)
    assert cap == pytest.approx(a * beta * y, rel=REL)  # K = s0 = alpha beta y
    assert closed.household_spending(a, R, y) == pytest.approx((R - 1) * qH / R, rel=REL)
    Pi = closed.firm_profits(a, y)
    assert Pi == pytest.approx((1 - a) * y, rel=REL)  # (7)
    assert closed.bank_dividends(a, R, y) == pytest.approx((R - 1) * cap, rel=REL)  # (5)
    assert closed.firm_leverage(a, R) == pytest.approx(R * qH / Pi, rel=REL)  # (12)
    assert closed.bank_leverage(R) == pytest.approx((qH / R) / cap, rel=REL)  # (13)
    assert closed.capital_ratio(R) == pytest.approx(cap / qH, rel=REL)
    ss = steady_state(p)
    assert float(ss.asset_value) == qH and float(ss.firm_leverage) == closed.firm_leverage(a, R)


@settings(max_examples=200, deadline=None)
@given(p=params(), u=st.floats(0.0, 1.0))
def test_price_closed_forms_equal_their_powers(p: Params, u: float) -> None:
    a, R, g, _ = _f(p)
    e = g / (g - 1)
    assert e == closed.price_exponent(g)
    ds = (R - 1) * ((R / a) ** (1 - g) - 1)  # (28)
    assert float(closed.delta_star(a, R, g)) == pytest.approx(ds, rel=1e-10)
    assert float(closed.p_bar_t(a, R, g)) == pytest.approx((R / a) ** (-g), rel=REL)  # (24)
    assert float(closed.p_bar_next(a, R, g)) == pytest.approx((1 - ds) ** e, rel=1e-10)
    d = u * float(thresholds(p).delta_div)
    assert float(closed.p_t_regime1(d, R, g)) == pytest.approx((1 + R * d / (R - 1)) ** e,
                                                               rel=REL)  # (23)
    assert float(closed.p_next_regime1(d, R, g)) == pytest.approx((1 - R * d) ** e, rel=REL)
    assert float(closed.spending_regime1(d, a, R)) == pytest.approx(a / R + d * a / (R - 1),
                                                                    rel=REL)


@settings(max_examples=200, deadline=None)
@given(p=params(), tau=st.floats(0.0, 1.0))
def test_fundamental_decline_and_its_inverse(p: Params, tau: float) -> None:
    a, R, g, _ = _f(p)
    pn = float(closed.p_bar_next(a, R, g))
    d = float(closed.fundamental_decline(tau, pn))
    assert d == pytest.approx(1 - (1 - tau) * pn, abs=1e-15)  # (22)
    assert float(closed.shock_for_decline(d, pn)) == pytest.approx(tau, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(p=params(), u=st.floats(0.0, 1.0))
def test_capital_constraint_closed_forms(p: Params, u: float) -> None:
    a, R, g, y = _f(p)
    th = thresholds(p)
    qH, K = a * y / (R - 1), a * y / R
    d = u
    lam = d * qH + (1 - (R / a) ** (-g)) * y - (1 - a) * y  # lambda at the regime-2 price
    assert float(closed.excess_losses(d, a, R, g, y)) == pytest.approx(
        lam - (R - 1) * K, rel=1e-9, abs=1e-11 * qH)  # (25)
    assert float(closed.credit_demand(d, a, R, y)) == pytest.approx((1 - d) * qH, rel=REL)
    assert float(admissible_lending(p, 0.0)) == pytest.approx(qH, rel=REL)
    tau = u * float(th.tau_star) * 0.999
    assert float(closed.crunch_loan_rate(tau, R, float(th.tau_star))) == pytest.approx(
        float(loan_rate(p, tau, float(th.delta_star))), rel=1e-10)  # (27) at delta*


@settings(max_examples=200, deadline=None)
@given(p=params())
def test_calibration_inverses(p: Params) -> None:
    a, R, g, _ = _f(p)
    assert float(closed.rate_from_capital_ratio(closed.capital_ratio(R))) == pytest.approx(
        R, rel=REL)
    assert float(closed.alpha_from_asset_ratio(closed.asset_value(a, R), R)) == pytest.approx(
        a, rel=REL)
    assert float(closed.alpha_from_firm_leverage(closed.firm_leverage(a, R), R)) == \
        pytest.approx(a, rel=1e-10)
    if g > 0:
        d = 1 - float(closed.p_bar_t(a, R, g))
        assert float(closed.gamma_from_deflation(d, a, R)) == pytest.approx(g, rel=1e-9)
    ds = float(closed.delta_star(a, R, g))
    assert float(closed.alpha_for_delta_star(ds, R, g)) == pytest.approx(a, rel=1e-10)


@pytest.mark.parametrize("z", [0.3 + 0.2j, -0.7 + 1e-3j, 2.0 - 1.5j])
def test_log1p_complex_agrees_with_log(z: complex) -> None:
    assert complex(closed.log1p(np.complex128(z))) == pytest.approx(complex(np.log(1 + z)),
                                                                    rel=1e-14)


@pytest.mark.parametrize("x", [1e-17, -1e-17, 1e-9, -(1 - 1e-12), 0.4, -0.6])
def test_log1p_complex_step_keeps_small_real_parts(x: float) -> None:
    # z = x + i h with h tiny: log(1 + z) = log1p(x) + i h/(1 + x) to first order in h; numpy's
    # own complex log1p loses log1p(x) when x is tiny or close to -1.
    h = 1e-30
    got = complex(closed.log1p(np.array([x + 1j * h]))[0])
    assert got.real == pytest.approx(float(np.log1p(x)), rel=1e-14)
    assert got.imag == pytest.approx(h / (1 + x), rel=1e-12)
    assert closed.log1p(x) == np.log1p(x)  # real input: numpy's log1p


def test_closed_forms_accept_series() -> None:
    pd = pytest.importorskip("pandas")
    a = pd.Series([0.3, 0.5])
    out = closed.delta_star(a, 1.05, 0.2)
    assert isinstance(out, pd.Series)
    np.testing.assert_allclose(out, 0.05 * ((1.05 / a) ** 0.8 - 1), rtol=1e-12)
