"""The scenario chain: the hand-over maps, the selection rules, the steady state, TOML, errors."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.deleveraging.koo import KooParams, solve_koo, steady_rate
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind
from bsrlab.models.vonpeter import Params, solve, steady_state, thresholds
from bsrlab.models.vonpeter.allocation import allocations
from bsrlab.models.vonpeter.constrained import EquilibriumKind
from bsrlab.policies.fiscal import DebtWriteDown
from bsrlab.scenarios.chain import (
    LoanLossWriteDown,
    Scenario,
    credit_supply,
    debt_target,
    forced_repair,
    get_preset,
    loan_loss_writedown,
    losses_written_off,
    run_chain,
    select_equilibrium,
)
from bsrlab.scenarios.koo_presets import get_koo_preset

# ---- map (a): collateral -> debt target ---------------------------------------------------------


def test_debt_target_keeps_the_loan_to_value() -> None:
    assert debt_target(1.4, 0.0) == 1.4
    assert debt_target(1.4, 1.0) == 0.0
    assert debt_target(0.98, 0.25) == pytest.approx(0.735, abs=1e-15)
    # the ratio of debt to collateral value is the same before and after
    dh, d = 1.2, 0.37
    assert debt_target(dh, d) / (1 - d) == pytest.approx(dh, rel=1e-15)


@pytest.mark.parametrize(("args", "name"), [((-0.1, 0.2), "debt_high"),
                                            ((1.0, 1.2), "delta_fundamental"),
                                            ((1.0, float("nan")), "delta_fundamental")])
def test_debt_target_rejects_bad_input(args: tuple[float, float], name: str) -> None:
    with pytest.raises(ParameterError, match=name):
        debt_target(*args)


def test_chain_uses_map_a_with_the_fundamental_decline() -> None:
    res = run_chain(get_preset("japan-1990s-chain"))
    fund = float(solve(res.params, res.scenario.tau).delta)
    assert res.fundamental_delta == pytest.approx(fund, abs=1e-12)
    assert res.debt.debt_low == pytest.approx(1.4 * (1 - fund), abs=1e-12)
    assert res.handover_value("debt_low") == res.debt.debt_low
    # switched off, the preset's own target stays
    off = run_chain(res.scenario.replace(collateral=False))
    assert off.debt.debt_low == get_koo_preset("japan-1990s").debt.debt_low


# ---- map (b): bank capital -> credit supply -----------------------------------------------------


def test_credit_supply_values() -> None:
    assert credit_supply(0.3, 0.3) == 1.0  # fundamental
    assert credit_supply(1.0, 0.3) == 0.0  # banking crisis
    assert credit_supply(0.5, 0.2) == pytest.approx(0.5 / 0.8, abs=1e-15)  # crunch
    assert credit_supply(0.1, 0.2) == 1.0  # never above 1
    assert credit_supply(1.0, 1.0) == 1.0  # nothing left to lose to the banks' capital
    with pytest.raises(ParameterError, match="delta_selected"):
        credit_supply(1.5, 0.2)


def test_credit_supply_of_each_equilibrium() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    tau = 0.03
    als = {a.kind: a for a in allocations(p, tau)}
    fund = als[EquilibriumKind.FUNDAMENTAL].delta
    assert credit_supply(fund, fund) == 1.0
    crunch = als[EquilibriumKind.CAPITAL_CRUNCH]
    # credit granted in the crunch over credit in the fundamental equilibrium
    assert credit_supply(crunch.delta, fund) == pytest.approx(
        crunch.credit / als[EquilibriumKind.FUNDAMENTAL].credit, rel=1e-12)
    assert credit_supply(als[EquilibriumKind.BANKING_CRISIS].delta, fund) == 0.0


def _target() -> DebtLimitPath:
    return DebtLimitPath(debt_high=1.0, debt_low=0.8, kind="geometric", years=6, decay=0.85)


def test_forced_repair_target_path() -> None:
    d, p = _target(), KooParams()
    assert forced_repair(d, p, 0.5)[0].years == 3
    assert forced_repair(d, p, 0.9)[0].years == 6  # ceil(5.4)
    assert forced_repair(d, p, 0.01)[0].years == 1
    one_off = forced_repair(d, p, 0.0)[0]
    assert one_off.kind is PathKind.ONE_OFF and one_off.length == 1
    assert forced_repair(d, p, 0.5)[1] is p


def test_forced_repair_cash_flow() -> None:
    d = _target()
    p = KooParams(repair_rule="cash-flow", repair_share=0.11)
    assert forced_repair(d, p, 0.5)[1].repair_share == pytest.approx(0.22, abs=1e-15)
    assert forced_repair(d, p, 0.2)[1].repair_share == pytest.approx(0.5, abs=1e-15)  # the cap
    assert forced_repair(d, p, 0.0)[1].repair_share == 0.5
    assert forced_repair(d, p, 0.5, cap=0.3)[1].repair_share == pytest.approx(0.22)
    assert forced_repair(d, p, 0.3, cap=0.3)[1].repair_share == pytest.approx(0.3)
    assert forced_repair(d, p, 0.5)[0] is d


@pytest.mark.parametrize("rule", ["target", "cash-flow"])
def test_forced_repair_leaves_the_preset_unchanged_at_c_one(rule: str) -> None:
    d, p = _target(), KooParams(repair_rule=rule, repair_share=0.7)
    out_d, out_p = forced_repair(d, p, 1.0)
    assert out_d is d and out_p is p


def test_chain_uses_map_b() -> None:
    res = run_chain(get_preset("japan-1990s-chain"))
    c = res.handover_value("credit_supply")
    assert c == pytest.approx((1 - res.selected.delta) / (1 - res.fundamental_delta))
    rho = get_koo_preset("japan-1990s").params.repair_share
    assert res.koo_params.repair_share == pytest.approx(min(0.5, rho / c))
    us = run_chain(get_preset("us-2008-chain"))
    c_us = us.handover_value("credit_supply")
    assert us.debt.years == max(1, math.ceil(6 * c_us))


# ---- map (c): loan losses -> savers' wealth -----------------------------------------------------


def test_loan_loss_writedown() -> None:
    assert loan_loss_writedown(0.0, 3.0) == ()
    (w,) = loan_loss_writedown(0.3, 3.0)
    assert isinstance(w, DebtWriteDown) and w.funded_by == "creditors"
    assert w.share == pytest.approx(0.1, abs=1e-15)
    (g,) = loan_loss_writedown(0.3, 3.0, government=0.5)  # the government pays it all
    assert isinstance(g, DebtWriteDown) and g.funded_by == "government"
    (split,) = loan_loss_writedown(0.3, 3.0, government=0.12)
    assert isinstance(split, LoanLossWriteDown)
    assert split.share == pytest.approx(0.1) and split.government == pytest.approx(0.04)
    (full,) = loan_loss_writedown(5.0, 3.0)  # losses beyond the loans: all written off
    assert full.share == 1.0


def test_loan_loss_writedown_split_applies_both_parts() -> None:
    ex = dataclasses.make_dataclass(
        "Ex", ["debt_old", "written_off", "written_off_government"])(
        debt_old=2.0, written_off=0.0, written_off_government=0.0)
    out = LoanLossWriteDown(share=0.1, government=0.04).apply(ex, None)
    assert out.debt_old == pytest.approx(1.8)
    # all of it is written off, 0.08 of it paid by the government, 0.12 borne by creditors
    assert out.written_off == pytest.approx(0.2)
    assert out.written_off_government == pytest.approx(0.08)


def test_chain_uses_map_c() -> None:
    res = run_chain(get_preset("us-2008-chain"))
    share = res.selected.loan_losses / res.asset_value
    assert res.handover_value("write_down_share") == pytest.approx(share)
    wd = [p for p in res.policies if isinstance(p, DebtWriteDown)]
    assert len(wd) == 1 and wd[0].funded_by == "creditors"
    assert wd[0].share == pytest.approx(share)
    # the write-down lowers borrowers' debt at t = 0 against the chain without it
    off = run_chain(res.scenario.replace(loan_losses=False))
    assert res.path.arrays["borrower_debt"][0] < off.path.arrays["borrower_debt"][0]


def test_recapitalisation_funds_part_of_the_write_down() -> None:
    base = get_preset("us-2008-chain").replace(tau=0.3, selection="fundamental")
    crisis = run_chain(base)
    assert crisis.selected.kind is EquilibriumKind.BANKING_CRISIS
    assert crisis.handover_value("credit_supply") == 0.0
    recap = run_chain(base.replace(banking_policies=[{"name": "recapitalise"}]))
    assert recap.selected.kind is EquilibriumKind.FUNDAMENTAL
    assert recap.fiscal_cost > 0
    gov = recap.handover_value("write_down_government")
    assert gov == pytest.approx(min(recap.fiscal_cost, recap.selected.loan_losses)
                                / recap.asset_value)
    assert 0 < gov < recap.handover_value("write_down_share")
    # the Koo inputs hold the whole write-down and the government's part of it
    ex = recap.path.exogenous
    d_old = recap.debt.debt_high / recap.koo_params.chi_b
    share = recap.handover_value("write_down_share")
    assert ex.written_off == pytest.approx(share * d_old, rel=1e-12)
    assert ex.written_off_government == pytest.approx(gov * d_old, rel=1e-12)
    assert ex.written_off_creditors == pytest.approx((share - gov) * d_old, rel=1e-12)
    # the government pays its part alone, at t = 0, in real terms at that date's prices
    cap = recap.path.arrays["capital_transfers"]
    pi0 = float(recap.path.arrays["inflation"][0])
    pibar = recap.koo_params.pibar
    assert cap[0] == pytest.approx(gov * recap.debt.debt_high * (1 + pibar) / (1 + pi0),
                                   rel=1e-12)
    assert np.all(cap[1:] == 0.0)


# ---- map (c) in a banking crisis ----------------------------------------------------------------


def test_losses_written_off() -> None:
    assert losses_written_off(0.05, 0.0, crisis=False) == 0.05  # a crunch: all of them
    assert losses_written_off(0.05, 0.02, crisis=False) == 0.05
    assert losses_written_off(2.4, 0.14, crisis=True) == 0.14  # a crisis: the permanent loss
    assert losses_written_off(0.1, 0.14, crisis=True) == 0.1  # never more than lambda
    assert losses_written_off(2.4, 0.0, crisis=True) == 0.0
    with pytest.raises(ParameterError, match="fundamental_loan_losses"):
        losses_written_off(0.1, -0.1, crisis=True)
    with pytest.raises(ParameterError, match="loan_losses"):
        losses_written_off(float("nan"), 0.1, crisis=False)


def _crisis_cases() -> list[tuple[str, float, str]]:
    """(preset, tau, Koo scenario) with a crunch and a crisis at tau (tau < tau*)."""
    return [(name, float(tau), scen)
            for name, taus in (("japan-1990s-chain", (0.1, 0.25, 0.35, 0.432)),
                               ("us-2008-chain", (0.06, 0.15, 0.2245, 0.26)))
            for tau in taus for scen in ("as it happened", "no policy")]


@pytest.mark.parametrize(("name", "tau", "scen"), _crisis_cases())
def test_crisis_is_never_milder_than_the_crunch(name: str, tau: float, scen: str) -> None:
    base = get_preset(name).replace(tau=tau, koo_scenario=scen)
    crunch = run_chain(base.replace(selection="capital-crunch"))
    crisis = run_chain(base.replace(selection="worst-stable"))
    assert crunch.selected.kind is EquilibriumKind.CAPITAL_CRUNCH
    assert crisis.selected.kind is EquilibriumKind.BANKING_CRISIS
    # the same collateral and debt target; no more credit, no larger write-down
    assert crisis.debt.debt_low == crunch.debt.debt_low
    assert crisis.handover_value("credit_supply") == 0.0
    assert crisis.handover_value("credit_supply") <= crunch.handover_value("credit_supply")
    assert (crisis.handover_value("write_down_share")
            <= crunch.handover_value("write_down_share"))
    # the repair is forced at least as fast
    if crisis.koo_params.repair_rule == "cash-flow":
        assert crisis.koo_params.repair_share >= crunch.koo_params.repair_share
    else:
        assert crisis.debt.length <= crunch.debt.length
    # and the Koo economy loses at least as much output over the first ten years
    lost = {k: -float(np.sum(r.path.arrays["output_gap"][:10]))
            for k, r in (("crunch", crunch), ("crisis", crisis))}
    assert lost["crisis"] >= lost["crunch"] - 1e-9


@pytest.mark.parametrize("name", ["japan-1990s-chain", "us-2008-chain"])
@pytest.mark.parametrize("selection", ["fundamental", "worst-stable", "capital-crunch"])
@pytest.mark.parametrize("frac", [0.2, 0.6, 0.95, 1.3])
def test_write_down_never_exceeds_the_loss_at_the_fundamental_decline(
        name: str, selection: str, frac: float) -> None:
    """In a crisis the write-down is at most the loan losses of the fundamental equilibrium at
    the same shock (computed here apart from the chain); otherwise it is the selected
    equilibrium's losses (a crunch's exceed the fundamental ones by what map (c) states)."""
    base = get_preset(name)
    tau = min(1.0, frac * float(thresholds(base.vonpeter_params()).tau_star))
    if name == "japan-1990s-chain":
        tau = min(tau, 0.44)  # beyond, the Japan economy has no steady state (docs)
    res = run_chain(base.replace(tau=tau, selection=selection))
    fund = allocations(base.vonpeter_params(), tau, forbearance=True)[0]
    lam, lam_f, qH = res.selected.loan_losses, float(fund.loan_losses), res.asset_value
    assert res.fundamental_loan_losses == pytest.approx(lam_f, rel=1e-12, abs=1e-15)
    assert res.handover_value("fundamental_loan_losses") == res.fundamental_loan_losses
    written = res.handover_value("write_down_share") * qH
    if res.selected.kind is EquilibriumKind.BANKING_CRISIS:
        assert written <= lam_f * (1 + 1e-12) + 1e-15
        assert written == pytest.approx(min(lam, lam_f), rel=1e-12, abs=1e-15)
        assert res.handover_value("fire_sale_losses") == pytest.approx(lam - written)
        assert res.handover_value("fire_sale_losses") > 0
    else:
        assert written == pytest.approx(min(qH, lam), rel=1e-12, abs=1e-15)
        assert res.handover_value("fire_sale_losses") == 0.0
    assert res.handover_value("losses_written_off") == pytest.approx(written, abs=1e-15)
    # what the Koo borrowers have written off is that share of their old debt, no more
    ex = res.path.exogenous
    d_old = res.debt.debt_high / res.koo_params.chi_b
    assert ex.written_off == pytest.approx(written / qH * d_old, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("name", "trough", "floor", "repair"),
                         [("japan-1990s-chain", -0.156, 7, 7), ("us-2008-chain", -0.115, 3, 3)])
def test_the_presets_crisis_is_a_balance_sheet_recession(name: str, trough: float, floor: int,
                                                         repair: int) -> None:
    """With ``worst-stable`` the presets select the banking crisis; its Koo path is a recession
    at the floor with a repair of several years (it used to end the repair at once: one year at
    the floor and a trough of -17.4% for Japan, no recession at all for the United States)."""
    res = run_chain(get_preset(name).replace(selection="worst-stable"))
    summ = res.summary()
    assert res.selected.kind is EquilibriumKind.BANKING_CRISIS
    assert res.handover_value("write_down_share") == 0.0  # no losses at the fundamental decline
    assert summ["trough_gap"] == pytest.approx(trough, abs=5e-4)
    assert summ["years_at_floor"] == floor and summ["repair_years"] == repair
    # deeper than the crunch the preset selects
    assert summ["trough_gap"] <= run_chain(get_preset(name)).summary()["trough_gap"]


def test_forced_repair_is_capped_for_a_target_path() -> None:
    d = DebtLimitPath(debt_high=1.0, debt_low=0.7, kind="geometric", years=8, decay=0.85)
    p = KooParams(chi_b=0.5)
    # the cut of 0.3 at most 0.5 x 0.2 = 0.1 of output a year: at least 3 years
    assert forced_repair(d, p, 0.0, cap=0.2)[0].years == 3
    assert forced_repair(d, p, 0.0, cap=0.2)[0].kind is PathKind.GEOMETRIC
    assert forced_repair(d, p, 0.25, cap=0.2)[0].years == 3
    assert forced_repair(d, p, 0.5, cap=0.2)[0].years == 4  # ceil(8 x 0.5) is slower: kept
    assert forced_repair(d, p, 0.0, cap=0.6)[0].kind is PathKind.ONE_OFF  # 0.3 in one year
    # never slower than the preset's own path
    short = dataclasses.replace(d, years=2)
    assert forced_repair(short, p, 0.1, cap=0.05)[0].years == 2
    one = dataclasses.replace(d, kind="one-off")
    assert forced_repair(one, p, 0.3, cap=0.05)[0].length == 1


def test_a_crisis_too_fast_for_the_economy_says_which_map_to_change() -> None:
    s = get_preset("us-2008-chain").replace(selection="worst-stable", repair_share_cap=0.5)
    with pytest.raises(ConvergenceError) as info:
        run_chain(s)
    msg = str(info.value)
    assert "credit_supply = 0" in msg and "maps.repair_share_cap" in msg


# ---- selection ----------------------------------------------------------------------------------


def test_selection_rules() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    below = allocations(p, 0.03)
    assert select_equilibrium(below, "fundamental").kind is EquilibriumKind.FUNDAMENTAL
    assert select_equilibrium(below, "worst-stable").kind is EquilibriumKind.BANKING_CRISIS
    assert select_equilibrium(below, "capital-crunch").kind is EquilibriumKind.CAPITAL_CRUNCH
    above = allocations(p, 0.2)
    for rule in ("fundamental", "worst-stable", "capital-crunch"):
        assert select_equilibrium(above, rule).kind is EquilibriumKind.BANKING_CRISIS
    with pytest.raises(ParameterError, match="selection"):
        select_equilibrium(below, "best")


# ---- no bust: the steady state of both models ---------------------------------------------------


@pytest.mark.parametrize("name", ["japan-1990s-chain", "us-2008-chain"])
def test_no_bust_is_the_steady_state_of_both_models(name: str) -> None:
    pre = get_koo_preset(get_preset(name).koo_preset)
    kp = pre.params
    r0 = steady_rate(kp, pre.debt.debt_high / kp.chi_b)
    nominal = (1 + r0) * (1 + kp.pibar) - 1
    # one-period legacy debt at the pre-bust rate: the Koo economy without a bust is at rest
    s = get_preset(name).replace(tau=0.0, selection="fundamental", koo_scenario="no policy",
                                 periods=20,
                                 koo_params={"amortisation": 1.0, "contract_rate": nominal})
    res = run_chain(s)
    ss = steady_state(res.params)
    a = res.selected
    assert a.kind is EquilibriumKind.FUNDAMENTAL and a.delta == 0.0
    assert a.p_t == 1.0 and a.p_next == 1.0 and a.loan_losses == 0.0
    assert a.bank_capital_t == pytest.approx(float(ss.bank_capital), rel=1e-14)
    assert a.credit == pytest.approx(float(ss.asset_value), rel=1e-14)
    assert res.handover_value("debt_low") == pre.debt.debt_high
    assert res.handover_value("credit_supply") == 1.0
    assert res.handover_value("write_down_share") == 0.0
    assert res.policies == ()
    ar = res.path.arrays
    np.testing.assert_allclose(ar["output_gap"], 0.0, atol=1e-10)
    np.testing.assert_allclose(ar["inflation"], kp.pibar, atol=1e-10)
    np.testing.assert_allclose(ar["policy_rate"], nominal, atol=1e-10)
    np.testing.assert_allclose(ar["borrower_debt"], pre.debt.debt_high, atol=1e-10)
    assert not np.any(ar["at_bound"])


def test_no_bust_hands_over_the_presets_own_economy() -> None:
    s = get_preset("japan-1990s-chain").replace(tau=0.0, selection="fundamental", periods=20)
    res = run_chain(s)
    pre = get_koo_preset("japan-1990s")
    assert res.koo_params is pre.params
    direct = solve_koo(pre.params, dataclasses.replace(pre.debt, debt_low=pre.debt.debt_high),
                       pre.policies("as it happened"), periods=20)
    np.testing.assert_allclose(res.path.arrays["output_gap"], direct.arrays["output_gap"],
                               atol=1e-12)


# ---- the scenario: validation, TOML, hashing ----------------------------------------------------


def test_scenario_is_frozen_hashable_and_round_trips() -> None:
    s = get_preset("japan-1990s-chain").replace(
        koo_policies=[{"name": "fiscal", "size": 0.01, "start": 1, "duration": 3}],
        banking_policies=[{"name": "recapitalise", "injection": 0.01}],
        koo_params={"tau_y": 0.3})
    assert Scenario.from_toml(s.to_toml()) == s
    assert len({s, Scenario.from_toml(s.to_toml())}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.tau = 0.1  # type: ignore[misc]


def test_scenario_reads_beta_and_files(tmp_path: object) -> None:
    text = get_preset("us-2008-chain").to_toml().replace("R = 1.05", "beta = 0.95")
    s = Scenario.from_toml(text)
    assert pytest.approx(1 / 0.95) == s.R
    path = tmp_path / "s.toml"  # type: ignore[operator]
    path.write_text(text)
    assert Scenario.from_toml(path) == s
    assert Scenario.from_toml(str(path)) == s


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("tau = 0.2245", "tau = 0.2245\ntaux = 1", "vonpeter.taux"),
    ("[maps]", "[maps]\nspeed = 2", "maps.speed"),
    ("name = \"us-2008-chain\"", "name = \"x\"\ncolour = \"red\"", "colour"),
    ("tau = 0.2245", "tau = 1.5", "vonpeter.tau"),
    ("alpha = 0.1633", "alpha = 0.01", "vonpeter.alpha"),
    ("R = 1.05", "R = 1.05\nbeta = 0.9", "vonpeter.R"),
    ("selection = \"capital-crunch\"", "selection = \"best\"", "vonpeter.selection"),
    ("preset = \"us-2008\"", "preset = \"mars\"", "koo.preset"),
    ("scenario = \"as it happened\"", "scenario = \"maybe\"", "koo.scenario"),
    ("periods = 60", "periods = 2", "koo.periods"),
    ("repair_share_cap = 0.2", "repair_share_cap = 2.0", "maps.repair_share_cap"),
    ("[maps]", "[[koo.policies]]\nname = \"warp\"\n\n[maps]", "koo.policies[0].name"),
    ("[maps]", "[[koo.policies]]\nname = \"fiscal\"\nsize = 0.9\n\n[maps]",
     "koo.policies[0].size"),
    ("[maps]", "[[banking.policies]]\nname = \"loan-spread\"\n\n[maps]",
     "banking.policies[0].name"),
    ("[maps]", "[koo.params]\nbeta_b = 2.0\n\n[maps]", "koo.params.beta_b"),
    ("[maps]", "[koo.params]\nfoo = 2.0\n\n[maps]", "koo.params.foo"),
])
def test_bad_toml_names_the_key(old: str, new: str, needle: str) -> None:
    text = get_preset("us-2008-chain").to_toml()
    assert old in text
    with pytest.raises(ParameterError) as info:
        Scenario.from_toml(text.replace(old, new, 1))
    assert needle in str(info.value)


# ---- errors of the path carry the hand-over -----------------------------------------------------


def test_convergence_error_carries_the_handover() -> None:
    s = get_preset("japan-1990s-chain").replace(selection="fundamental", periods=20,
                                                koo_params={"repair_share": 0.02})
    with pytest.raises(ConvergenceError) as info:
        run_chain(s)
    msg = str(info.value)
    assert "debt_low = 0.8006" in msg and "credit_supply = 1" in msg
    assert "cash-flow repair" in msg and info.value.diagnostics is not None


def test_no_steady_state_after_the_handover_names_it() -> None:
    # a 60% fall in collateral leaves the Japan economy too few safe assets (docs)
    s = get_preset("japan-1990s-chain").replace(tau=0.6, selection="fundamental")
    with pytest.raises(ParameterError) as info:
        run_chain(s)
    assert "omega" in str(info.value) and "debt_low = 0.5" in str(info.value)


def test_thresholds_reported() -> None:
    res = run_chain(get_preset("us-2008-chain"))
    th = thresholds(res.params)
    vp = res.vonpeter()
    assert vp["delta_star"] == pytest.approx(float(th.delta_star))
    assert vp["tau_star"] == pytest.approx(float(th.tau_star))


@pytest.mark.parametrize("name", ["recapitalise", "capital-requirement", "timely-cut",
                                  "forbearance", "tightening", "threshold-rule"])
def test_every_banking_policy_with_an_allocation_runs_through_the_chain(name: str) -> None:
    base = get_preset("us-2008-chain").replace(tau=0.3, selection="fundamental")
    res = run_chain(base.replace(banking_policies=[{"name": name}]))
    assert res.vonpeter()["banking_policies"] == [{"name": name}]
    assert res.selected in res.equilibria
    qH = res.asset_value  # of the economy in force (a tightening raises R)
    crisis = res.selected.kind is EquilibriumKind.BANKING_CRISIS
    lam_w = (min(res.selected.loan_losses, res.fundamental_loan_losses) if crisis
             else res.selected.loan_losses)
    assert res.handover_value("write_down_share") == pytest.approx(min(1.0, lam_w / qH))
    assert np.all(np.isfinite(res.path.arrays["output_gap"]))
