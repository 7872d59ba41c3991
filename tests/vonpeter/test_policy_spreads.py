"""Spread tools: the crunch spread, its range and its inversion."""

from __future__ import annotations

import numpy as np
import pytest

from bsrlab.models.vonpeter import Params, equilibria, thresholds
from bsrlab.models.vonpeter.spreads import crunch_spread, invert_spread, spread_range


@pytest.mark.parametrize("gamma", [0.0, 0.2, 0.7])
def test_inversion_round_trips(gamma: float) -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=gamma)
    ts = float(thresholds(p).tau_star)
    tau = np.linspace(0.0, ts, 41)
    spread = crunch_spread(p, tau)
    back = invert_spread(p, spread)
    assert np.all(back.inside)
    np.testing.assert_allclose(back.tau, tau, atol=1e-12)


def test_spread_is_the_crunch_loan_rate_of_equilibria() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    for tau in (0.0, 0.02, 0.04):
        crunch = equilibria(p, tau)[1]
        assert float(crunch_spread(p, tau)) == pytest.approx(crunch.loan_rate - 1.05, abs=1e-14)


def test_range_and_outside() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    lo, hi = spread_range(p)
    assert float(lo) == 0.0
    assert float(hi) == pytest.approx(0.05 * 0.055 / 0.945, rel=1e-12)
    inv = invert_spread(p, [-0.001, float(hi) * 1.01])
    assert not np.any(inv.inside) and np.all(np.isnan(inv.tau))
    assert np.isnan(crunch_spread(p, 0.2))  # beyond tau* only the crisis remains


def test_sweden_5_percent_is_outside_the_nordic_calibration() -> None:
    """The case studies' Nordic calibration without data: R = 1/0.94 (the 6% capital ratio the
    paper quotes, Berg 1998), alpha = 0.25 (footnote 41), gamma = 0 (no deflation reported).
    Its largest crunch spread is (R - 1) tau*/(1 - tau*) = 1.67 points; Sweden's lending spread
    reached 5% (Englund 1999, quoted in 5.2): outside the model's range."""
    from bsrlab.cases.episodes import EPISODES

    sweden = EPISODES["sweden-1990s"]
    observed = float(sweden.observed_spread)
    assert observed == pytest.approx(0.05)
    p = Params(alpha=0.25, beta=0.94, gamma=0.0)
    _lo, hi = spread_range(p)
    assert float(hi) == pytest.approx(0.016742, abs=1e-6)
    inv = invert_spread(p, observed)
    assert not bool(inv.inside) and np.isnan(float(inv.tau))
    # no gamma in [0, 0.95) brings 5% inside at this R and alpha either
    for g in np.linspace(0.0, 0.9, 10):
        assert float(spread_range(Params(alpha=0.25, beta=0.94, gamma=g))[1]) < observed
