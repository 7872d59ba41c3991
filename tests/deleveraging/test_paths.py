"""Section 3: the nonlinear paths, their identities, the log-linear twin and the policy lab."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.deleveraging._newton import banded_jacobian
from bsrlab.models.deleveraging.linear import solve_linear
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind, PathParams
from bsrlab.models.deleveraging.path import (
    PATH_KEYS,
    PathResult,
    build_exogenous,
    residual,
    solve_path,
)
from bsrlab.models.deleveraging.two_state import TwoStateParams, solve_two_state
from bsrlab.policies.deleveraging import (
    DebtRelief,
    DebtWriteDown,
    FiscalStimulus,
    ForwardGuidance,
    HigherTarget,
    QuantitativeEasing,
    RateCut,
    make_policy,
)
from bsrlab.scenarios.lab import compare_policies, spending_multipliers
from bsrlab.scenarios.presets import PRESETS, get_preset

PRESET_NAMES = sorted(PRESETS)


@functools.cache
def _compare(name: str):  # type: ignore[no-untyped-def]
    return compare_policies(name)


def _check_identities(res: PathResult) -> None:
    a = res.arrays
    assert res.converged and res.max_residual < 1e-10
    # Koo's sectoral balances: private financial surplus = government deficit, every period
    assert np.max(np.abs(a["private_surplus"] - a["government_deficit"])) < 1e-10
    # borrowers' surplus is their net repayment of principal
    assert np.max(np.abs(a["borrower_surplus"] - a["deleveraging"])) < 1e-10
    # the policy rate never falls below its floor, and the bound flag is consistent
    assert np.all(a["policy_rate"] >= res.params.i_floor - 1e-14)
    assert np.all(a["at_bound"] == (a["policy_rate"] <= res.params.i_floor + 1e-12))
    free = ~a["at_bound"]
    assert np.allclose(a["policy_rate"][free], a["shadow_rate"][free], atol=1e-14) or any(
        isinstance(p, RateCut | ForwardGuidance) for p in res.policies)
    # borrowers end at the new debt limit
    assert a["borrower_debt"][-1] == pytest.approx(float(res.debt.debt_low), abs=1e-14)
    # the Fisher equation and the price level
    pi_next = np.append(a["inflation"][1:], a["inflation"][-1])
    assert np.allclose((1 + a["policy_rate"][:-1]) / (1 + pi_next[:-1]) - 1,
                       a["real_rate"][:-1], atol=1e-14)
    assert np.allclose(a["price_level"][1:] / a["price_level"][:-1], 1 + a["inflation"][1:])
    # government debt accumulates the deficit
    gd = a["government_debt"]
    assert np.allclose(np.diff(gd), a["government_deficit"][1:], atol=1e-12)


POLICIES = [None, RateCut(), QuantitativeEasing(), ForwardGuidance(), FiscalStimulus(),
            DebtRelief(), HigherTarget(target=0.03), DebtWriteDown(),
            DebtWriteDown(funded_by="creditors", share=0.2)]


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: "none" if p is None else p.name)
def test_identities_every_period(name: str, policy: object) -> None:
    pre = get_preset(name)
    pols = () if policy is None else (policy,)
    _check_identities(solve_path(pre.params, pre.debt, pols, periods=pre.periods))  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(kind=st.sampled_from(list(PathKind)), years=st.integers(1, 12),
       drop=st.floats(0.0, 0.3), decay=st.floats(0.5, 0.9), sigma=st.floats(0.3, 1.0),
       nominal=st.booleans(), g=st.floats(0.0, 0.03))
def test_identities_hold_on_random_paths(kind: PathKind, years: int, drop: float, decay: float,
                                         sigma: float, nominal: bool, g: float) -> None:
    p = PathParams(sigma=sigma, nominal_debt=nominal)
    d = DebtLimitPath(debt_high=0.8, debt_low=0.8 - drop, kind=kind, years=years, decay=decay)
    pols = (FiscalStimulus(size=g, start=0, duration=3),) if g > 0 else ()
    res: PathResult | ConvergenceError
    try:
        res = solve_path(p, d, pols, periods=50)
    except ConvergenceError as exc:
        res = exc
    if isinstance(res, ConvergenceError):
        # a draw with no admissible equilibrium (consumption <= 0 in some period) is refused
        # after Newton converged; it is not a path whose identities could be checked
        assert "no admissible equilibrium" in str(res)
        assert res.diagnostics is not None and res.diagnostics.converged
        assume(False)
    else:
        _check_identities(res)


def test_debt_limit_paths_reach_the_new_limit() -> None:
    for kind in PathKind:
        d = DebtLimitPath(debt_high=1.0, debt_low=0.6, kind=kind, years=8, decay=0.7)
        lv = d.levels(20)
        assert lv[d.length - 1] == pytest.approx(0.6, abs=1e-15)
        assert np.all(lv[d.length - 1:] == 0.6)
        assert np.all(np.diff(np.concatenate([[1.0], lv])) <= 1e-15)  # never rises
    lin = DebtLimitPath(debt_high=1.0, debt_low=0.6, kind="linear", years=4).levels(4)
    assert np.allclose(lin, [0.9, 0.8, 0.7, 0.6])


def test_complex_step_jacobian_matches_finite_differences() -> None:
    pre = get_preset("japan-1990s")
    T = 12
    d = dataclasses.replace(pre.debt, years=5)
    ex = build_exogenous(pre.params, d, (), T, None)
    rng = np.random.default_rng(0)
    z = np.concatenate([1 + 0.01 * rng.standard_normal(T), 0.01 + 0.002 * rng.standard_normal(T),
                        1.1 + 0.01 * rng.standard_normal(T)])
    J = banded_jacobian(lambda v: residual(v, ex, pre.params), z, nblocks=3, lower=0,
                        upper=1).toarray()
    h = 1e-6
    fd = np.empty_like(J)
    for j in range(z.size):
        e = np.zeros(z.size)
        e[j] = h
        fd[:, j] = (residual(z + e, ex, pre.params) - residual(z - e, ex, pre.params)) / (2 * h)
    assert np.max(np.abs(J - fd)) < 1e-6


@pytest.mark.parametrize("kind", list(PathKind))
def test_nonlinear_agrees_with_log_linear_to_first_order(kind: PathKind) -> None:
    p = PathParams()
    errs = []
    for eps in (0.02, 0.01):
        d = DebtLimitPath(debt_high=0.8, debt_low=0.8 - eps, kind=kind, years=5)
        nl = solve_path(p, d, periods=80)
        li = solve_linear(p, d, periods=80)
        assert nl.periods_at_bound == 0
        dev = np.max(np.abs(nl.output - 1))
        err = max(np.max(np.abs(nl.output - li.output)), np.max(np.abs(nl.inflation -
                                                                       li.inflation)))
        assert err < 0.05 * dev  # the linear path captures the first-order response
        errs.append(err)
    ratio = errs[0] / errs[1]
    assert 3.5 < ratio < 4.5  # halving the shock quarters the gap: O(eps^2)


@pytest.mark.parametrize("bound", [False, True])
def test_log_linear_solver_against_two_state_closed_form(bound: bool) -> None:
    tp = TwoStateParams(delta=0.1 if bound else 0.01, g=0.003, t_b=-0.002)
    r = solve_two_state(tp)
    assert r.at_bound is bound
    pp = PathParams(beta=tp.beta, sigma=tp.sigma, chi_b=tp.chi_b, kappa=tp.kappa,
                    phi_pi=tp.phi_pi, phi_y=tp.phi_y, pibar=0.0)
    T = 300
    m = tp.mu ** np.arange(T)
    li = solve_linear(pp, DebtLimitPath(debt_high=0.0, debt_low=0.0, kind="one-off"),
                      periods=T, g=tp.g * m, transfers=-tp.chi_b * tp.t_b * m,
                      paydown=tp.delta * m, rate=(-tp.rbar * m) if bound else None)
    assert np.allclose(li.output[:20] - 1, r.output * m[:20], atol=1e-12)
    assert np.allclose(li.inflation[:20], r.inflation * m[:20], atol=1e-12)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_presets_policy_lab(name: str) -> None:
    comp = _compare(name)
    rows = {r["policy"]: r for r in comp.rows}
    base = comp.paths["no policy"]
    assert base.periods_at_bound >= 3  # the floor binds for several periods
    assert base.natural_rate[0] < 0
    assert set(rows) == {"no policy", "rate cut", "QE", "forward guidance", "fiscal stimulus",
                         "debt relief", "higher target"}
    # rate cut while at the floor and QE change nothing
    for label in ("rate cut", "QE"):
        for k in ("output_gap", "inflation", "policy_rate"):
            assert np.max(np.abs(comp.paths[label].arrays[k] - base.arrays[k])) < 1e-12
        assert rows[label]["multiplier"] is None
    assert any("quantitative easing" in n for n in comp.notes)
    # forward guidance changes the path and lowers the loss
    assert np.max(np.abs(comp.paths["forward guidance"].output_gap - base.output_gap)) > 1e-4
    assert rows["forward guidance"]["cumulative_output_loss"] < rows["no policy"][
        "cumulative_output_loss"]
    # fiscal stimulus and debt relief reduce the loss, at a multiplier above one
    for label in ("fiscal stimulus", "debt relief"):
        assert rows[label]["cumulative_output_loss"] < rows["no policy"]["cumulative_output_loss"]
        assert rows[label]["fiscal_cost"] > 0 and rows[label]["multiplier"] > 1


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_spending_multiplier_at_bound_exceeds_one_and_away(name: str) -> None:
    m = spending_multipliers(name)
    assert m["still_at_bound"]
    assert m["at_bound"] > 1 and m["at_bound"] > m["away"]


def test_rate_cut_after_the_bound_does_work() -> None:
    pre = get_preset("japan-1990s")
    base = solve_path(pre.params, pre.debt, periods=pre.periods)
    s1 = base.spell[1] if base.spell else 0
    late = solve_path(pre.params, pre.debt, (RateCut(size=0.01, start=s1 + 1, duration=3),),
                      periods=pre.periods)
    assert late.cumulative_output_loss < base.cumulative_output_loss


def test_records_have_the_fixed_keys_and_frame() -> None:
    pre = get_preset("us-2008")
    res = solve_path(pre.params, pre.debt, periods=40)
    recs = res.records()
    assert len(recs) == 40 and all(tuple(r) == PATH_KEYS for r in recs)
    assert list(res.to_frame().index) == list(range(40))
    d = res.to_dict()
    assert d["converged"] and d["iterations"] >= 1 and len(d["path"]) == 40


def test_bad_inputs_raise_parameter_errors() -> None:
    pre = get_preset("japan-1990s")
    with pytest.raises(ParameterError, match="'periods'"):
        solve_path(pre.params, pre.debt, periods=5)
    with pytest.raises(ParameterError, match="'debt_low'"):
        DebtLimitPath(debt_high=0.5, debt_low=0.8)
    with pytest.raises(ParameterError, match=r"'phi_pi'.*Taylor"):
        PathParams(phi_pi=0.9)
    with pytest.raises(ParameterError, match="'kind'"):
        DebtLimitPath(debt_high=0.5, debt_low=0.3, kind="square")
    with pytest.raises(ParameterError, match="'start \\+ duration'"):
        solve_path(pre.params, pre.debt, (FiscalStimulus(start=55, duration=10),), periods=60)
    with pytest.raises(ParameterError, match="'debt_high'"):
        solve_path(PathParams(beta=0.9, chi_b=0.1), DebtLimitPath(debt_high=2.0, debt_low=1.0))
    with pytest.raises(ParameterError, match="'policy'"):
        make_policy("helicopter")
    with pytest.raises(ParameterError, match="'preset'"):
        get_preset("atlantis")


def test_newton_failure_is_a_convergence_error() -> None:
    pre = get_preset("japan-1990s")
    with pytest.raises(ConvergenceError, match="did not converge in 1 iterations"):
        solve_path(pre.params, pre.debt, periods=pre.periods, max_iter=1)
