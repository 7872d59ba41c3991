"""Calibration round-trips, the implied shock (closed form vs the solver) and Japan's tau."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.cases import CalibrationSpec, Observables, calibrate, implied_tau
from bsrlab.cases.calibrate import (
    PHI,
    PHI_BAND,
    calibration_spec,
    collateral_frame,
    collateral_rate,
)
from bsrlab.cases.diagnose import predicted_regime, required_credit_gdp
from bsrlab.cases.facts import JAPAN_FACTS
from bsrlab.core.errors import ParameterError
from bsrlab.vonpeter import Params, solve, thresholds

LITERAL = calibration_spec("literal")

admissible_obs = st.tuples(
    st.floats(0.02, 0.15),   # capital ratio
    st.floats(1.2, 8.0),     # credit/GDP above 1
    st.floats(0.0, 0.3),     # deflation
)


@settings(max_examples=60, deadline=None)
@given(admissible_obs)
def test_round_trip_capital_ratio_credit_deflation(obs: tuple[float, float, float]) -> None:
    k, c, d = obs
    cal = calibrate(Observables(capital_ratio=k, credit_gdp=c, deflation=d), LITERAL)
    assume((cal.R - 1.0) * c < 1.0)  # alpha >= 1 is outside the box, flagged (tested below)
    R, a, g = cal.R, cal.alpha, cal.gamma
    needed = -math.log1p(-d) / math.log(R / a)
    assert cal.matched["deflation"] == (needed <= 0.95)  # a capped gamma is flagged
    assert cal.matched["capital_ratio"] and cal.matched["credit_gdp"]
    assert pytest.approx(k, rel=1e-12) == (R - 1.0) / R  # (13)
    assert a / (R - 1.0) == pytest.approx(c, rel=1e-12)  # (11)
    if g < 0.95:
        assert 1.0 - (R / a) ** (-g) == pytest.approx(d, abs=1e-12)  # (24)
        # the model reproduces the deflation at t once bank capital absorbs losses
        p = cal.params
        tau = float(thresholds(p).tau_star)
        assert 1.0 - float(solve(p, tau).p_t) == pytest.approx(d, abs=1e-10)
        for key, target in cal.targets.items():
            assert cal.fitted[key] == pytest.approx(target, rel=1e-10, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.005, 0.08), st.floats(1.5, 6.0))
def test_round_trip_rate_method(r: float, c: float) -> None:
    cal = calibrate(Observables(real_rate=r, credit_gdp=c),
                    CalibrationSpec(R_method="rate", alpha_method="credit_gdp",
                                    gamma_method="fixed", gamma=0.0))
    assert pytest.approx(r, rel=1e-12) == cal.R - 1.0
    assert cal.alpha / (cal.R - 1.0) == pytest.approx(c, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.02, 0.1), st.floats(5.0, 60.0))
def test_round_trip_firm_leverage(k: float, lev: float) -> None:
    obs = Observables(capital_ratio=k, firm_leverage=lev)
    cal = calibrate(obs, CalibrationSpec(R_method="capital_ratio", alpha_method="firm_leverage"))
    R, a = cal.R, cal.alpha
    assume(a > R - 1.0)
    assert a / (1.0 - a) * R / (R - 1.0) == pytest.approx(lev, rel=1e-12)  # (12)


def test_credit_below_gdp_cannot_be_matched() -> None:
    cal = calibrate(Observables(capital_ratio=0.04, credit_gdp=0.94, deflation=0.03), LITERAL)
    assert cal.matched == {"capital_ratio": True, "credit_gdp": False, "deflation": True}
    assert cal.alpha / (cal.R - 1.0) == pytest.approx(1.01)
    assert any("cannot match both" in n for n in cal.notes)
    # the nearest admissible economy needs a near-total collapse for a crunch
    assert float(thresholds(cal.params).delta_star) > 0.9


def test_missing_observable_and_bad_spec() -> None:
    with pytest.raises(ParameterError, match="parameter 'credit_gdp'"):
        calibrate(Observables(capital_ratio=0.05))
    with pytest.raises(ParameterError, match="R_method"):
        CalibrationSpec(R_method="guess")
    with pytest.raises(ParameterError, match=r"'capital_ratio' must satisfy 0 < capital_ratio"):
        Observables(capital_ratio=1.5)
    with pytest.raises(ParameterError, match="alpha"):
        calibrate(Observables(capital_ratio=0.1), CalibrationSpec(alpha=0.05))


params_box = st.tuples(st.floats(1.01, 1.12), st.floats(0.2, 0.95), st.floats(0.0, 0.8))


@settings(max_examples=60, deadline=None)
@given(params_box, st.lists(st.floats(0.0, 0.99), min_size=1, max_size=8))
def test_implied_tau_inverts_the_solver(pars: tuple[float, float, float],
                                        deltas: list[float]) -> None:
    R, a, g = pars
    assume(a > R - 1.0)
    p = Params.from_R(alpha=a, R=R, gamma=g)
    d = np.array(deltas)
    tau = implied_tau(p, d)
    assert np.all((tau >= 0.0) & (tau <= 1.0))
    back = solve(p, tau).delta
    inside = tau > 0.0  # a decline below the tau = 0 decline (zero) cannot be reached
    np.testing.assert_allclose(back[inside], d[inside], rtol=0, atol=1e-9)
    assert np.all(np.diff(implied_tau(p, np.sort(d))) >= -1e-15)  # monotone


def test_implied_tau_equals_decline_without_deflation() -> None:
    p = Params.from_R(alpha=0.3, R=1.05, gamma=0.0)
    d = np.linspace(0.0, 0.99, 23)
    np.testing.assert_allclose(implied_tau(p, d), d, rtol=0, atol=1e-14)
    with pytest.raises(ParameterError, match="0 <= delta <= 1"):
        implied_tau(p, 1.2)


def test_japan_tau_about_0_7() -> None:
    """Section 5.1: a 70% decline with moderate deflation needs tau of about 0.7."""
    decline = JAPAN_FACTS["equity_decline"].fraction
    deflation = JAPAN_FACTS["cumulative_deflation"].fraction
    for cal in (
        # Japan 1990 in the data: capital ratio 3.76%, credit/GDP 0.94 (nearest admissible)
        calibrate(Observables(capital_ratio=0.0376, credit_gdp=0.94, deflation=deflation),
                  LITERAL),
        # the paper's illustrative economy with the same deflation
        calibrate(Observables(deflation=deflation), CalibrationSpec(R=1.05, alpha=0.25)),
    ):
        tau = float(implied_tau(cal.params, decline))
        assert tau == pytest.approx(0.70, abs=0.01)
        assert tau >= decline  # deflation makes the same decline need a larger shock
    # stronger deflation (the US 1929-33 figure) needs a larger shock for the same decline
    taus = [float(implied_tau(calibrate(Observables(deflation=x), CalibrationSpec(
        R=1.05, alpha=0.25, gamma_method="deflation")).params, decline))
        for x in (0.0, 0.03, 0.27)]
    assert taus[0] == pytest.approx(decline, abs=1e-14)
    assert taus[0] < taus[1] < taus[2]


def test_predicted_regime_follows_thresholds() -> None:
    p = Params.from_R(alpha=0.25, R=1.05, gamma=0.0)
    th = thresholds(p)
    eps = 1e-6
    assert predicted_regime(p, float(th.tau_0) - eps) == ("firms_absorb", False)
    assert predicted_regime(p, float(th.tau_div) - eps) == ("dividends_absorb", False)
    assert predicted_regime(p, float(th.tau_star) - eps) == ("capital_absorbs", False)
    assert predicted_regime(p, float(th.tau_star) + eps) == ("systemic_crisis", False)
    assert predicted_regime(p, float(th.tau_K) + eps) == ("systemic_crisis", True)


@settings(max_examples=40, deadline=None)
@given(st.floats(1.02, 1.1), st.floats(0.0, 0.6), st.floats(0.05, 0.9))
def test_required_credit_gdp_puts_delta_star_at_the_decline(R: float, g: float,
                                                            d: float) -> None:
    c = required_credit_gdp(R, g, d)
    a = (R - 1.0) * c
    assert math.isclose((R - 1.0) * ((R / a) ** (1.0 - g) - 1.0), d, rel_tol=1e-10)


# ---- the collateral calibration (the default) --------------------------------------------------

collateral_obs = st.tuples(
    st.floats(0.02, 0.15),   # capital ratio
    st.floats(0.31, 3.0),    # credit/GDP
    st.integers(1950, 2020),  # year: R from the capital ratio
)


@settings(max_examples=60, deadline=None)
@given(collateral_obs, st.floats(0.15, 0.6))
def test_collateral_round_trip(obs: tuple[float, float, int], phi: float) -> None:
    """The calibrated model reproduces the capital ratio (13) and credit/GDP = phi qH/y (11),
    and at gamma = 0 delta* = R phi/c - (R - 1)."""
    k, c, year = obs
    R = 1.0 / (1.0 - k)
    assume(phi < c < phi / (R - 1.0))
    cal = calibrate(Observables(capital_ratio=k, credit_gdp=c, year=year),
                    CalibrationSpec(phi=phi))
    assert pytest.approx(R, rel=1e-14) == cal.R and cal.gamma == 0.0 and cal.phi == phi
    for key, target in cal.targets.items():
        assert cal.fitted[key] == pytest.approx(target, rel=1e-12)
    assert cal.all_matched
    assert R - 1.0 < cal.alpha < 1.0  # inside the admissible box
    dstar = float(thresholds(cal.params).delta_star)
    assert dstar == pytest.approx(R * phi / c - (R - 1.0), rel=1e-12)
    vec = collateral_frame(c, R, phi)
    assert float(vec["delta_star"]) == pytest.approx(dstar, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.floats(1.005, 1.2), st.floats(0.05, 6.0))
def test_phi_band_brackets_the_central_delta_star(R: float, c: float) -> None:
    lo, mid, hi = (collateral_frame(c, R, phi)["delta_star"] for phi in
                   (PHI_BAND[0], PHI, PHI_BAND[1]))
    if np.isfinite(lo) and np.isfinite(hi):
        assert float(lo) < float(mid) < float(hi)
    # outside the box: no delta*, flagged
    out = collateral_frame(c, R, PHI)
    inside = PHI < c < PHI / (R - 1.0)
    assert bool(out["admissible"] == 1.0) == inside
    assert np.isfinite(out["delta_star"]) == inside


def test_collateral_outside_the_box_is_not_evaluated() -> None:
    with pytest.raises(ParameterError, match=r"parameter 'credit_gdp' must satisfy phi <"):
        calibrate(Observables(capital_ratio=0.05, credit_gdp=0.25, year=1990))
    with pytest.raises(ParameterError, match="phi"):
        CalibrationSpec(phi=1.5)


def test_collateral_rate_sources() -> None:
    R, src = collateral_rate([0.08, 0.08, np.nan, np.nan], [0.06, 0.06, 0.06, np.nan],
                             [1990, 1900, 1990, 1900])
    np.testing.assert_allclose(R, [1 / 0.92, 1.06, 1.06, 1.05])
    assert src.tolist() == [0, 1, 1, 2]
    cal = calibrate(Observables(capital_ratio=0.2, rent_yield=0.06, credit_gdp=0.9, year=1910))
    assert pytest.approx(1.06) == cal.R and "rent yield" in cal.methods["R"]
    assert any("rent yield" in n for n in cal.notes)


def test_gamma_zero_and_trailing_deflation() -> None:
    obs = Observables(capital_ratio=0.05, credit_gdp=1.0, trailing_deflation=0.1, year=1990)
    assert calibrate(obs).gamma == 0.0
    cal = calibrate(obs, calibration_spec("collateral_deflation"))
    assert 0.0 < cal.gamma < 1.0
    assert cal.fitted["trailing_deflation"] == pytest.approx(0.1, rel=1e-12)
    with pytest.raises(ParameterError, match="calibration"):
        calibration_spec("nope")
