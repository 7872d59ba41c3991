"""The policy oracles at gamma = 0, each checked by a second, numerical method.

The second method never uses the closed forms of :mod:`bsrlab.models.vonpeter.policy`: it writes
the admissible-lending schedule (26) from the primitives (loan losses at the regime-2 price,
capital after the losses, the requirement) and finds where it meets credit demand (1 - delta) qH
by bisection, or searches the smallest injection for which the fundamental decline stays below
that crossing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from bsrlab.models.vonpeter import Params, solve
from bsrlab.models.vonpeter.policy import (
    delta_star_coefficient,
    delta_star_injection,
    delta_star_rate,
    delta_star_ratio,
    delta_star_requirement,
    delta_star_spread,
    minimum_injection,
    solve_policy,
    tau_star_requirement,
)

R = 1.05
PAPER = Params.from_R(alpha=0.5, R=R, gamma=0.0)


def _crossing(alpha: float, R: float, gamma: float, *, capital_ratio: float | None = None,
              requirement: float | None = None, injection: float = 0.0, p_t: float | None = None,
              spread: float = 0.0, coefficient: float | None = None) -> float:
    """Where admissible lending meets credit demand, by bisection on the schedule (26).

    Written from the primitives, y = 1: qH = alpha/(R + m - 1); capital K = k qH; losses
    lambda = delta qH + (1 - p_t) - (1 - alpha) at the regime-2 price p_t; constrained banks
    retain their profits, K_t = R K + m qH - lambda + X; lending (K_t)/k_req, or
    qH - c (lambda - normal profits) for a coefficient c.
    """
    m = spread
    qH = alpha / (R + m - 1.0)
    k = (R - 1.0) / R if capital_ratio is None else capital_ratio
    kq = (R - 1.0) / R if requirement is None else requirement
    s = (R - 1.0) * (1.0 - k) * qH  # households' spending in the state
    pt = p_t if p_t is not None else s ** gamma  # (24): p = (s/y)^gamma
    K = k * qH

    def lending(d: float) -> float:
        lam = max(0.0, d * qH + (1.0 - pt) - (1.0 - alpha))
        if coefficient is not None:
            excess = lam - (R - 1.0) * K
            return min(qH, max(0.0, qH - coefficient * max(0.0, excess)))
        return min(qH, max(0.0, (R * K + m * qH - lam + injection) / kq))

    def gap(d: float) -> float:
        return lending(d) - (1.0 - d) * qH

    grid = np.linspace(1e-12, 1.0 - 1e-15, 4001)
    vals = np.array([gap(d) for d in grid])
    neg = np.flatnonzero(vals < 0.0)
    if neg.size == 0:
        return 1.0
    i = int(neg[0])
    assert i > 0, "lending falls short of demand already at delta = 0"
    return float(brentq(gap, grid[i - 1], grid[i], xtol=1e-15, rtol=8.9e-16, maxiter=500))


# --- recapitalisation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("tau", "oracle"), [(0.06, 0.0476), (0.08, 0.238), (0.10, 0.429)])
def test_minimum_injection_oracle(tau: float, oracle: float) -> None:
    x = float(minimum_injection(PAPER, tau))
    assert x == pytest.approx(oracle, abs=5e-4)
    assert x == pytest.approx(10.0 * (tau - 0.055) / 1.05, rel=1e-12)  # qH = 10 y, delta = tau


@pytest.mark.parametrize("tau", [0.06, 0.08, 0.10])
def test_minimum_injection_by_search(tau: float) -> None:
    """Second method: the smallest X whose crossing lies at or above the fundamental decline."""
    d = float(solve(PAPER, tau).delta)

    def gap(x: float) -> float:
        return _crossing(0.5, R, 0.0, injection=x) - d

    x_num = brentq(gap, 0.0, 2.0, xtol=1e-14)
    assert float(minimum_injection(PAPER, tau)) == pytest.approx(x_num, abs=1e-11)


@pytest.mark.parametrize("gamma", [0.0, 0.3, 0.7])
@pytest.mark.parametrize("x", [0.0, 0.05, 0.4])
def test_delta_star_injection_matches_the_schedule(gamma: float, x: float) -> None:
    p = Params.from_R(alpha=0.5, R=R, gamma=gamma)
    closed_form = float(delta_star_injection(p, x))
    assert closed_form == pytest.approx(_crossing(0.5, R, gamma, injection=x), abs=1e-12)
    qH = 0.5 / (R - 1.0)
    assert closed_form - float(delta_star_injection(p, 0.0)) == pytest.approx(R * x / qH,
                                                                                rel=1e-12)


def test_tax_funding_matters_only_with_gamma() -> None:
    """gamma = 0: every funding needs the same injection; gamma > 0: the tax lowers the decline
    (through p_{t+1}), so a tax-funded injection can be smaller."""
    for f in ("none", "tax", "deposits"):
        assert float(minimum_injection(PAPER, 0.08, f)) == pytest.approx(0.238095238, abs=1e-8)
    p = Params.from_R(alpha=0.5, R=R, gamma=0.3)
    none, tax = (float(minimum_injection(p, 0.08, f)) for f in ("none", "tax"))
    assert 0.0 < tax < none
    # at the tax-funded minimum the taxed decline sits exactly on delta*(X)
    d_taxed = float(solve_policy(p, 0.08, tax=tax).delta)
    assert d_taxed == pytest.approx(float(delta_star_injection(p, tax)), abs=1e-11)


# --- capital requirements -------------------------------------------------------------------------

def test_requirement_oracles() -> None:
    assert float(delta_star_requirement(PAPER, 0.02)) == pytest.approx(0.0816, abs=5e-5)
    assert float(delta_star_requirement(PAPER, 0.02)) == pytest.approx(0.08 / 0.98, rel=1e-13)
    assert float(delta_star_requirement(PAPER, (R - 1) / R)) == pytest.approx(0.055, abs=1e-14)
    # at gamma = 0 the decline equals the shock, so tau*(kappa) = delta*(kappa)
    assert float(tau_star_requirement(PAPER, 0.02)) == pytest.approx(0.08 / 0.98, rel=1e-12)


@pytest.mark.parametrize("kappa", [0.005, 0.02, 0.035, 0.05 / 1.05])
@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_requirement_by_bisection(kappa: float, gamma: float) -> None:
    p = Params.from_R(alpha=0.5, R=R, gamma=gamma)
    pbar = (0.5 / R) ** gamma
    num = _crossing(0.5, R, gamma, requirement=kappa, p_t=pbar)
    assert float(delta_star_requirement(p, kappa)) == pytest.approx(num, abs=1e-12)


@pytest.mark.parametrize("k", [0.02, 0.05 / 1.05, 0.1, 0.2])
@pytest.mark.parametrize("gamma", [0.0, 0.4])
def test_ratio_variant_by_bisection(k: float, gamma: float) -> None:
    p = Params.from_R(alpha=0.5, R=R, gamma=gamma)
    num = _crossing(0.5, R, gamma, capital_ratio=k, requirement=k)
    assert float(delta_star_ratio(p, k)) == pytest.approx(num, abs=1e-12)


def test_ratio_variant_footnote_46() -> None:
    """A lower ratio: the contraction sets in earlier (smaller delta*) and with greater force."""
    ks = np.linspace(0.01, 0.2, 50)
    for gamma in (0.0, 0.3, 0.8):
        ds = delta_star_ratio(Params.from_R(alpha=0.5, R=R, gamma=gamma), ks)
        assert np.all(np.diff(ds) > 0.0)
    assert float(delta_star_ratio(PAPER, (R - 1) / R)) == pytest.approx(0.055, abs=1e-14)


# --- spread, coefficient, rate ---------------------------------------------------------------

@pytest.mark.parametrize("m", [0.0, 0.005, 0.02])
@pytest.mark.parametrize("gamma", [0.0, 0.3])
def test_spread_by_bisection(m: float, gamma: float) -> None:
    p = Params.from_R(alpha=0.5, R=R, gamma=gamma)
    assert float(delta_star_spread(p, m)) == pytest.approx(
        _crossing(0.5, R, gamma, spread=m), abs=1e-12)
    if m:
        assert float(delta_star_spread(p, m)) > float(delta_star_spread(p, 0.0))


@pytest.mark.parametrize("c", [1.5, 5.0, 21.0, 100.0])
def test_coefficient_by_bisection(c: float) -> None:
    p = Params.from_R(alpha=0.5, R=R, gamma=0.2)
    assert float(delta_star_coefficient(p, c)) == pytest.approx(
        _crossing(0.5, R, 0.2, coefficient=c), abs=1e-12)


def test_coefficient_instability_needs_c_above_one() -> None:
    """Footnote 46: for c <= 1 lending never falls short of demand (no crunch)."""
    for c in (0.3, 1.0):
        assert float(delta_star_coefficient(PAPER, c)) == 1.0
        assert _crossing(0.5, R, 0.0, coefficient=c) == 1.0
    assert float(delta_star_coefficient(PAPER, R / (R - 1))) == pytest.approx(0.055, abs=1e-14)


@pytest.mark.parametrize("rate", [1.0, 1.02, 1.04, 1.05])
def test_rate_threshold_by_bisection(rate: float) -> None:
    """The crunch under a cut: the regime-2 price level at t is p_bar_t R/R_t."""
    p = Params.from_R(alpha=0.5, R=R, gamma=0.3)
    pt = (0.5 / R) ** 0.3 * R / rate
    num = _crossing(0.5, R, 0.3, p_t=pt)
    assert float(delta_star_rate(p, rate)) == pytest.approx(num, abs=1e-12)
    assert not math.isnan(num)
