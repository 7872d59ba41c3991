"""A rate cut at t: exact reduction to the paper's solver, effects, and the paper's claim."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import Params, solve, thresholds
from bsrlab.models.vonpeter.allocation import allocations
from bsrlab.models.vonpeter.policy import delta_star_rate, solve_policy, tau_star_rate
from bsrlab.policies.banking import rate_cut_records

FIELDS = ("delta", "p_t", "p_next", "s_t", "s_next", "asset_value_t", "loan_losses",
          "total_losses", "firm_profits_t", "bank_capital_t", "bank_dividends_t", "deposits_t",
          "depositor_losses", "regime")


@pytest.mark.parametrize("gamma", [0.0, 0.1, 0.5, 0.9])
@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.95])
def test_rate_equal_to_R_reproduces_solve_exactly(alpha: float, gamma: float) -> None:
    p = Params.from_R(alpha=alpha, R=1.05, gamma=gamma)
    tau = np.linspace(0.0, 1.0, 1001)
    # the policy model's numpy path against solve's numpy path: the same equations, bit for bit
    a = solve(p, tau, backend="numpy")
    b = solve_policy(p, tau, rate=float(p.R))
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(b, f), getattr(a, f), err_msg=f)
    # and against the default (the compiled kernel where built): the same to a few ulps of
    # the amounts involved (loans qH up to about 20 y)
    k = solve(p, tau)
    for f in FIELDS[:-1]:
        np.testing.assert_allclose(getattr(b, f), getattr(k, f), rtol=4e-15, atol=1e-13,
                                   err_msg=f)
    np.testing.assert_array_equal(b.regime, k.regime)


def _reference(alpha: float, R: float, gamma: float, tau: float, Rt: float) -> float:
    """Independent scalar route for the regime-1 decline with a cut (brentq on delta).

    delta = 1 - (1 - tau) p_{t+1} R/R_t with p_{t+1} = ((R_t/R)(1 - R delta))^e.
    """
    e = gamma / (gamma - 1.0)
    r = Rt / R

    def h(d: float) -> float:
        return d - 1.0 + (1.0 - tau) * (r * (1.0 - R * d)) ** e / r

    return float(brentq(h, -5.0, 1.0 / R - 1e-12, xtol=1e-15, rtol=8.9e-16))


@pytest.mark.parametrize("gamma", [0.0, 0.3, 0.7])
@pytest.mark.parametrize("Rt", [1.02, 1.045])
def test_cut_against_an_independent_root(gamma: float, Rt: float) -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=gamma)
    for tau in (0.0, 0.01, 0.03):
        sol = solve_policy(p, tau, rate=Rt)
        assert int(sol.regime) <= 1  # losses within dividends: regime 1 holds
        assert float(sol.delta) == pytest.approx(_reference(0.5, 1.05, gamma, tau, Rt),
                                                 abs=1e-12)
        assert max(abs(float(v)) for v in sol.residuals().values()) < 1e-12


def test_cut_raises_asset_price_and_lowers_losses_in_a_fundamental_equilibrium() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.3)
    tau = 0.045  # losses reach the banks without the cut
    base = allocations(p, tau)[0]
    cut = allocations(p, tau, rate=1.03)[0]
    assert base.kind.value == cut.kind.value == "fundamental"
    assert cut.asset_value_t > base.asset_value_t  # q_t rises
    assert base.loan_losses > 0.0
    assert cut.loan_losses < base.loan_losses
    # and a cut keeps larger shocks in the fundamental equilibrium
    assert float(tau_star_rate(p, 1.03)) > float(tau_star_rate(p, 1.05))
    assert float(tau_star_rate(p, 1.05)) == pytest.approx(
        1 - (1 - float(delta_star_rate(p, 1.05))) ** (1 / 0.7), abs=1e-14)


def test_cut_once_banks_are_constrained_documents_the_model() -> None:
    """The paper (4.2): a cut "supports asset prices only if banks remain unconstrained".

    In the model a cut at t also raises the price level at t by R/R_t, lowers real losses and
    moves the crunch out. Inside the crunch the assets stay priced by credit: the cut does not
    raise them (q_t H falls from 9.450 to 9.440 as the crunch moves to the larger delta*), so the
    claim holds for the asset price and fails for the threshold. Numbers: alpha = 0.5,
    R = 1.05, gamma = 0, tau = 3%, R_t = 1.04.
    """
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    crunch = allocations(p, 0.03)[1]
    crunch_cut = allocations(p, 0.03, rate=1.04)[1]
    assert crunch.kind.value == crunch_cut.kind.value == "capital_crunch"
    assert crunch.delta == pytest.approx(0.055, abs=1e-14)
    assert crunch_cut.delta == pytest.approx(0.05 * (2.1 * 1.05 / 1.04 - 1), abs=1e-14)
    assert crunch_cut.delta == pytest.approx(0.056010, abs=1e-6)
    assert crunch_cut.p_t == pytest.approx(1.05 / 1.04, abs=1e-14)
    assert crunch.asset_value_t == pytest.approx(9.45, abs=1e-12)
    assert crunch_cut.asset_value_t == pytest.approx(9.439904, abs=1e-6)
    assert crunch_cut.asset_value_t < crunch.asset_value_t  # no support for the asset price
    # ... but the threshold moves: a shock of 6% is a crisis without the cut, not with it
    assert float(tau_star_rate(p, 1.04)) == pytest.approx(0.065, abs=1e-12)
    assert [e.kind.value for e in allocations(p, 0.06)] == ["banking_crisis"]
    assert allocations(p, 0.06, rate=1.04)[0].kind.value == "fundamental"


def test_cut_after_the_losses_changes_nothing_at_t() -> None:
    """"Once losses have materialised, the damage cannot be undone" (4.2): a cut that comes
    after t leaves R_t = R at t, and the outcome at t is the one without policy, in the
    fundamental equilibrium (solve) and in the crisis (the allocation of Proposition 4)."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.2)
    ts = float(thresholds(p).tau_star)
    below = rate_cut_records(p, [0.5 * ts], 1.05)[0]
    sol = solve(p, 0.5 * ts)
    assert below["loan_losses"] == float(sol.loan_losses)
    assert below["bank_capital_t"] == float(sol.bank_capital_t)
    assert below["delta"] == float(sol.delta)
    above = rate_cut_records(p, [0.2], 1.05)[0]
    (crisis,) = allocations(p, 0.2)
    assert above["regime"] == "banking_crisis"
    assert above["loan_losses"] == pytest.approx(crisis.loan_losses, rel=1e-15)
    assert above["bank_capital_t"] == pytest.approx(crisis.bank_capital_t, rel=1e-15)


def test_rate_cut_records_keys_and_crisis() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    recs = rate_cut_records(p, [0.03, 0.2], 1.03)
    assert list(recs[0]) == ["tau", "rate", "delta", "p_t", "p_next", "loan_losses",
                             "bank_capital_t", "regime", "largest_tau_kept_below_tau_star"]
    assert recs[1]["regime"] == "banking_crisis" and recs[1]["delta"] == 1.0


def test_a_deep_cut_at_a_small_shock_is_infeasible() -> None:
    """gamma = 0, R_t = 1, tau = 0: the asset price would rise so far that households' spending
    at t, s + delta qH, turns negative; the solver says so instead of returning it."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    with pytest.raises(ParameterError, match="rate"):
        solve_policy(p, 0.0, rate=1.0)
    assert float(solve_policy(p, 0.1, rate=1.0).s_t) > 0.0


def test_rate_out_of_range() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    for bad in (0.99, 1.06, float("nan")):
        with pytest.raises(ParameterError, match="rate"):
            solve_policy(p, 0.02, rate=bad)
