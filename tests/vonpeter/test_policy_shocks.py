"""Repeated shocks and state-dependent thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import Params, solve, thresholds
from bsrlab.models.vonpeter.policy import solve_policy
from bsrlab.models.vonpeter.shocks import SHOCK_KEYS, shock_path, state_thresholds

from .strategies import params as params_strategy

KEYS = ("delta_div", "delta_star", "delta_K", "tau_div", "tau_star", "tau_K")


def test_paper_state_gives_the_paper_thresholds() -> None:
    for gamma in (0.0, 0.3, 0.8):
        p = Params.from_R(alpha=0.5, R=1.05, gamma=gamma)
        th = thresholds(p)
        st_ = state_thresholds(p, 0.05 / 1.05)
        for k in KEYS:
            assert float(st_[k]) == pytest.approx(float(getattr(th, k)), abs=1e-13), k


@pytest.mark.parametrize("gamma", [0.0, 0.2, 0.7])
@pytest.mark.parametrize("share", [0.4, 0.98])
def test_second_shock_with_capital_restored_equals_the_first(gamma: float, share: float) -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=gamma)
    tau = share * float(thresholds(p).tau_star)  # from firms absorbing to capital absorbing
    path = shock_path(p, [tau, tau], restore=True)
    r1, r2 = path.records()
    assert r2["regime"] == r1["regime"] != "banking_crisis"
    for k in ("delta", "delta_star", "tau_star", "delta_div", "tau_div", "capital_ratio"):
        assert r2[k] == pytest.approx(r1[k], abs=1e-12), k
    # amounts scale with nominal output y' = (1 - tau) p_{t+1} y
    sol = solve(p, tau)
    scale = (1.0 - tau) * float(sol.p_next)
    assert r2["bank_capital"] == pytest.approx(scale * r1["bank_capital"], rel=1e-12)


def test_a_shock_below_tau_star_leaves_a_ratio_at_least_the_requirement() -> None:
    """Loans fall with the asset price, so the ratio K_t/(q_t H) is >= (R - 1)/R: the next shock
    meets higher thresholds (the paper's single-shock world does not ask this)."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    th = thresholds(p)
    for tau in np.linspace(0.0, 0.999 * float(th.tau_star), 12):
        path = shock_path(p, [float(tau), 0.01])
        r1, r2 = path.records()
        assert r2["capital_ratio"] >= 0.05 / 1.05 - 1e-15
        assert r2["tau_star"] >= r1["tau_star"] - 1e-12


@settings(max_examples=80, deadline=None)
@given(p=params_strategy(gamma_max=0.9), u=st.floats(0.3, 0.999))
def test_depleted_capital_lowers_the_thresholds(p: Params, u: float) -> None:
    """Capital depleted relative to the assets (k < (R - 1)/R) lowers delta*, delta_K, tau_Div,
    tau* and tau_K everywhere in the box where the closed forms hold (losses at the crunch)."""
    kq = float((p.R - 1.0) / p.R)
    dep = state_thresholds(p, u * kq)
    assume(bool(dep["valid"]))
    full = state_thresholds(p, kq)
    for k in ("delta_star", "delta_K", "tau_div", "tau_star", "tau_K"):
        assert float(dep[k]) < float(full[k]), k


def test_depleted_capital_can_raise_delta_div() -> None:
    """The exception, with numbers: with gamma large and alpha small, less bank capital means
    more household deposits and spending, a higher price level at t, and losses that reach the
    (smaller) dividends only at a larger decline. R = 1.076, alpha = 0.18, gamma = 0.6, capital
    at 96% of (R - 1)/R: delta_Div rises from 7.4083% to 7.4127%; tau_Div still falls."""
    p = Params.from_R(alpha=0.18154348753049554, R=1.0761964828077415, gamma=0.5976527439627237)
    kq = float((p.R - 1.0) / p.R)
    full, dep = state_thresholds(p, kq), state_thresholds(p, 0.9635772765339337 * kq)
    assert bool(dep["valid"])
    assert float(full["delta_div"]) == pytest.approx(0.07408286, abs=1e-8)
    assert float(dep["delta_div"]) == pytest.approx(0.07412654, abs=1e-8)
    assert float(dep["delta_div"]) > float(full["delta_div"])
    assert float(dep["tau_div"]) < float(full["tau_div"])


def test_state_solver_matches_thresholds() -> None:
    """In a state k, the fundamental decline at tau*(k) is delta*(k) (regime 2)."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.3)
    for k in (0.05, 0.07, 0.1):
        th = state_thresholds(p, k)
        sol = solve_policy(p, float(th["tau_star"]), capital_ratio=k)
        assert float(sol.delta) == pytest.approx(float(th["delta_star"]), abs=1e-12)
        assert max(abs(float(v)) for v in sol.residuals().values()) < 1e-12


def test_payout_rule_rebuilds_capital() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    full = shock_path(p, [0.03, 0.03, 0.03], payout=1.0).records()
    half = shock_path(p, [0.03, 0.03, 0.03], payout=0.5).records()
    assert half[2]["capital_ratio"] > full[2]["capital_ratio"]
    assert half[2]["tau_star"] > full[2]["tau_star"]
    assert list(half[0]) == list(SHOCK_KEYS)


def test_crisis_ends_the_sequence() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    recs = shock_path(p, [0.2, 0.01]).records()
    assert [r["regime"] for r in recs] == ["banking_crisis", "banking_crisis"]
    assert recs[0]["delta"] == 1.0 and recs[0]["bank_capital"] < 0.0
    assert recs[1]["tau_star"] is None


def test_bad_inputs() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    with pytest.raises(ParameterError, match="payout"):
        shock_path(p, [0.01], payout=1.5)
    with pytest.raises(ParameterError, match="tau"):
        shock_path(p, [0.01, 1.5])
    with pytest.raises(ParameterError, match="capital_ratio"):
        state_thresholds(p, 1.2)
