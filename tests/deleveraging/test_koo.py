"""Koo's extensions (section 5): nesting, every equation every period, wealth, long-term debt."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.deleveraging.koo import (
    KooParams,
    KooResult,
    calibrate_omega,
    solve_koo,
    steady_rate,
)
from bsrlab.models.deleveraging.koo_check import check_equations
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind
from bsrlab.models.deleveraging.path import solve_path
from bsrlab.policies.deleveraging import DebtWriteDown, FiscalStimulus, RateCut
from bsrlab.scenarios.presets import PRESETS, get_preset

PRESET_NAMES = sorted(PRESETS)
NESTED_KEYS = ("output_gap", "inflation", "policy_rate", "c_borrower", "c_saver", "real_rate",
               "shadow_rate", "price_level", "borrower_debt", "deleveraging")


def _nested(name: str, **changes: object) -> KooParams:
    return KooParams.from_path(get_preset(name).params, **{"beta_b": 0.5, **changes})


@functools.cache
def _omega(name: str) -> float:
    pre = get_preset(name)
    return calibrate_omega(_nested(name), pre.debt, 0.8 * (1 / pre.params.beta - 1))


def _assert_equations(res: KooResult, tol: float = 1e-10) -> None:
    assert res.converged and res.max_residual <= 1e-12
    for key, val in check_equations(res).items():
        assert val.shape[0] in (res.periods, 3), key
        assert np.max(np.abs(val)) < tol, (key, int(np.argmax(np.abs(val))))


# (a) nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("fiscal", [False, True])
def test_nests_todays_model(name: str, fiscal: bool) -> None:
    pre = get_preset(name)
    pols = (FiscalStimulus(size=0.02),) if fiscal else ()
    koo = solve_koo(_nested(name), pre.debt, pols, periods=pre.periods)
    ek = solve_path(pre.params, pre.debt, pols, periods=pre.periods)
    for key in NESTED_KEYS:
        assert np.max(np.abs(koo.arrays[key] - ek.arrays[key])) < 1e-12, key
    assert np.max(np.abs(koo.natural_rate - ek.natural_rate)) < 1e-10
    assert koo.periods_at_limit == koo.periods  # beta_b low: always at the limit
    assert np.array_equal(koo.at_bound, ek.at_bound)
    assert np.all(koo.legacy_debt == 0.0)
    _assert_equations(koo)


def test_nesting_holds_for_any_contract_rate_with_one_period_debt() -> None:
    pre = get_preset("us-2008")
    a = solve_koo(_nested("us-2008", contract_rate=0.2), pre.debt, periods=40)
    b = solve_path(pre.params, pre.debt, periods=40)
    assert np.max(np.abs(a.output_gap - b.output_gap)) < 1e-12


# (b) every equation, every period, with the limit slack somewhere -------------------------


@pytest.mark.parametrize("case", ["write-down", "patient borrowers", "omega long-term",
                                  "cash-flow", "stabilisers"])
def test_equations_hold_every_period(case: str) -> None:
    pre = get_preset("japan-1990s")
    om = _omega("japan-1990s")
    params, pols = {
        "write-down": (_nested("japan-1990s"), (DebtWriteDown(share=0.3),)),
        "patient borrowers": (_nested("japan-1990s", beta_b=0.985),
                              (DebtWriteDown(share=0.3, funded_by="creditors"),)),
        "omega long-term": (_nested("japan-1990s", omega=om, amortisation=0.1), ()),
        "cash-flow": (_nested("japan-1990s", omega=om, repair_rule="cash-flow",
                              repair_share=0.05), ()),
        "stabilisers": (_nested("japan-1990s", omega=om, amortisation=0.1, tau_y=0.3,
                                gov_debt=0.5), (FiscalStimulus(size=0.02),)),
    }[case]
    res = solve_koo(params, pre.debt, pols, periods=60)
    _assert_equations(res)
    if case in ("write-down", "patient borrowers"):
        assert not res.at_limit.all()  # the limit goes slack
        assert np.all(res.borrower_multiplier[~res.at_limit] < 1e-10)
    assert res.repair_end is not None and res.repair_end <= 59


def test_write_down_ends_a_cash_flow_repair_sooner() -> None:
    pre = get_preset("japan-1990s")
    p = _nested("japan-1990s", repair_rule="cash-flow", repair_share=0.05)
    base = solve_koo(p, pre.debt, periods=60)
    relief = solve_koo(p, pre.debt, (DebtWriteDown(share=0.2),), periods=60)
    assert base.repair_end is not None and relief.repair_end is not None
    assert relief.repair_end < base.repair_end


@settings(max_examples=12, deadline=None)
@given(kind=st.sampled_from(list(PathKind)), years=st.integers(1, 10),
       drop=st.floats(0.05, 0.3), beta_b=st.floats(0.5, 0.965),
       amortisation=st.sampled_from([1.0, 0.2, 0.1]), wealth=st.booleans(),
       rule=st.sampled_from(["target", "cash-flow"]), share=st.floats(0.03, 0.15))
def test_equations_hold_on_random_paths(kind: PathKind, years: int, drop: float, beta_b: float,
                                        amortisation: float, wealth: bool, rule: str,
                                        share: float) -> None:
    debt = DebtLimitPath(debt_high=0.8, debt_low=0.8 - drop, kind=kind, years=years)
    p = KooParams(beta_b=beta_b, amortisation=amortisation, repair_rule=rule,
                  repair_share=share)
    if wealth:
        p = p.replace(omega=calibrate_omega(p, debt, 0.02))
    res: KooResult | ConvergenceError
    try:
        res = solve_koo(p, debt, periods=50)
    except ConvergenceError as exc:
        res = exc
    if isinstance(res, ConvergenceError):
        # no admissible equilibrium or no convergence: refused with diagnostics, not returned
        assert res.diagnostics is not None
        assume(False)
    else:
        _assert_equations(res)


# (c) savers who value safe wealth ------------------------------------------------------------


def test_steady_rate_below_one_over_beta_and_rising_with_bonds() -> None:
    pre = get_preset("japan-1990s")
    p = _nested("japan-1990s", omega=_omega("japan-1990s"))
    D = float(pre.debt.debt_low) / p.chi_b
    r0 = steady_rate(p, D)
    assert r0 < 1 / p.beta - 1
    rates = [steady_rate(p, D, b) for b in (0.0, 0.2, 0.5, 1.0)]
    assert np.all(np.diff(rates) > 0)
    assert steady_rate(p, float(pre.debt.debt_high) / p.chi_b) == pytest.approx(
        0.8 * (1 / p.beta - 1), abs=1e-12)  # the calibration hits its target
    assert steady_rate(p.replace(omega=0.0), D) == 1 / p.beta - 1
    assert steady_rate(p, D) < steady_rate(p, float(pre.debt.debt_high) / p.chi_b)


def test_steady_rate_solves_its_equation_to_round_off() -> None:
    from bsrlab.models.deleveraging.koo import _steady_parts

    for name in PRESET_NAMES:
        pre = get_preset(name)
        p = _nested(name, omega=_omega(name))
        for D in (0.05, float(pre.debt.debt_low) / p.chi_b, float(pre.debt.debt_high) / p.chi_b):
            x = 1 / (1 + steady_rate(p, D))
            _, cs, a = _steady_parts(p, D, p.gov_debt, x)
            # the root to a few ulps: the equation's terms are O(1)
            assert abs(p.beta / x + p.omega * a ** (-p.eta) * cs ** (1 / p.sigma) - 1) < 1e-14


def test_a_warm_start_finds_the_same_path_in_fewer_steps() -> None:
    from bsrlab.scenarios.koo_presets import get_koo_preset

    pre = get_koo_preset("japan-1990s")
    base = solve_koo(pre.params, pre.debt, periods=pre.periods)
    pol = FiscalStimulus(size=0.02, start=0, duration=5)
    cold = solve_koo(pre.params, pre.debt, (pol,), periods=pre.periods)
    warm = solve_koo(pre.params, pre.debt, (pol,), periods=pre.periods, start=base)
    assert warm.iterations < cold.iterations and warm.max_residual <= 1e-12
    for key in cold.KEYS:
        assert np.allclose(warm.arrays[key], cold.arrays[key], rtol=0, atol=1e-9), key
    # a start of another horizon is not used (and does no harm)
    short = solve_koo(pre.params, pre.debt, periods=pre.periods - 5)
    again = solve_koo(pre.params, pre.debt, (pol,), periods=pre.periods, start=short)
    assert again.iterations == cold.iterations
    assert np.array_equal(again.output_gap, cold.output_gap)


def test_deficits_raise_the_natural_rate_during_the_repair() -> None:
    pre = get_preset("japan-1990s")
    p = _nested("japan-1990s", omega=_omega("japan-1990s"))
    base = solve_koo(p, pre.debt, periods=60)
    fiscal = solve_koo(p, pre.debt, (FiscalStimulus(size=0.02, start=0, duration=8),),
                       periods=60)
    repair = slice(1, 10)
    assert np.all(fiscal.government_debt[repair] > base.government_debt[repair])
    assert np.all(fiscal.natural_rate[repair] > base.natural_rate[repair])
    # with omega = 0 savers are Ricardian: bonds leave the natural rate as it was up to the
    # spending itself, which no longer changes it once the window is over
    q = p.replace(omega=0.0)
    b0 = solve_koo(q, pre.debt, periods=60)
    f0 = solve_koo(q, pre.debt, (FiscalStimulus(size=0.02, start=0, duration=8),), periods=60)
    assert np.max(np.abs(f0.natural_rate[9:] - b0.natural_rate[9:])) < 1e-10


# (d) long-term fixed-rate nominal debt -------------------------------------------------------


def test_deflation_keeps_the_real_service_of_legacy_debt_high() -> None:
    pre = get_preset("japan-1990s")
    om = _omega("japan-1990s")
    long_nom = solve_koo(_nested("japan-1990s", omega=om, amortisation=0.1), pre.debt,
                         periods=60)
    long_idx = solve_koo(_nested("japan-1990s", omega=om, amortisation=0.1,
                                 nominal_debt=False), pre.debt, periods=60)
    assert long_nom.inflation[:5].max() < pre.params.pibar  # inflation below target
    # the real burden exceeds the contracted (indexed) one period after period: persistent
    ratio = long_nom.legacy_service / long_idx.legacy_service
    expected = np.cumprod((1 + pre.params.pibar) / (1 + long_nom.inflation))
    assert np.allclose(ratio[:-1], expected[:-1], rtol=1e-12)
    assert np.all(ratio[:8] > 1.0)
    # with one-period debt the price level touches the old debt only at t = 0
    one = solve_koo(_nested("japan-1990s", omega=om), pre.debt, periods=60)
    assert np.all(one.legacy_service[1:] == 0.0)
    excess_long = np.count_nonzero(ratio[:-1] > 1.001)
    assert excess_long >= 8


def test_rate_cut_leaves_legacy_service_unchanged() -> None:
    pre = get_preset("us-2008")
    p = _nested("us-2008", amortisation=0.1, beta_b=0.9)
    base = solve_koo(p, pre.debt, periods=40)
    cut = solve_koo(p, pre.debt, (RateCut(size=0.01, start=12, duration=3),), periods=40)
    assert np.max(np.abs(cut.policy_rate - base.policy_rate)) > 1e-3  # the cut bites
    nominal = cut.legacy_service * cut.price_level
    contract = base.legacy_service * base.price_level
    assert np.allclose(nominal[:-1], contract[:-1], rtol=1e-12, atol=0)
    # and it is the contract: (i_c + delta)(1 - delta)^t times the initial principal
    k = base.terms
    sched = (k.contract_rate + 0.1) * 0.9 ** np.arange(39) * p.chi_b * k.legacy0
    assert np.allclose(nominal[:-1], sched, rtol=1e-12)


# (e) failures --------------------------------------------------------------------------------


def test_forced_non_convergence_raises_with_diagnostics() -> None:
    pre = get_preset("japan-1990s")
    with pytest.raises(ConvergenceError) as info:
        solve_koo(_nested("japan-1990s", amortisation=0.1), pre.debt, periods=40, max_iter=1)
    diag = info.value.diagnostics
    assert diag is not None and not diag.converged and diag.iterations >= 1
    assert "amortisation" in str(info.value)


def test_cash_flow_repair_too_slow_for_the_horizon_names_its_option() -> None:
    pre = get_preset("japan-1990s")
    p = _nested("japan-1990s", repair_rule="cash-flow", repair_share=0.01)
    with pytest.raises(ConvergenceError, match="repair_share"):
        solve_koo(p, pre.debt, periods=20)


def test_infeasible_repair_share_is_named() -> None:
    pre = get_preset("japan-1990s")
    p = _nested("japan-1990s", repair_rule="cash-flow", repair_share=0.95)
    with pytest.raises(ConvergenceError, match="repair_share") as info:
        solve_koo(p, pre.debt, periods=30)
    assert info.value.diagnostics is not None


def test_parameters_are_validated_and_compared_by_value() -> None:
    with pytest.raises(ParameterError, match="beta_b"):
        KooParams(beta=0.97, beta_b=0.98)
    with pytest.raises(ParameterError, match="repair_rule"):
        KooParams(repair_rule="fast")
    with pytest.raises(ParameterError, match="amortisation"):
        KooParams(amortisation=0.0)
    assert KooParams(omega="0.1") == KooParams(omega=0.1)
    assert hash(KooParams(omega=0.1)) == hash(KooParams(omega=0.1))
    assert dataclasses.replace(KooParams(), omega=0.1) != KooParams()
    with pytest.raises(ParameterError, match="omega"):
        solve_koo(KooParams(omega=50.0), DebtLimitPath(debt_high=0.8, debt_low=0.6))


def test_result_is_read_only_and_serialisable() -> None:
    pre = get_preset("us-2008")
    res = solve_koo(_nested("us-2008"), pre.debt, periods=30)
    with pytest.raises(ValueError, match="read-only"):
        res.output_gap[0] = 1.0
    d = res.to_dict()
    assert d["repair_end"] == res.repair_end and len(d["path"]) == 30
    assert set(res.to_frame().columns) >= {"at_limit", "safe_assets", "natural_rate"}
