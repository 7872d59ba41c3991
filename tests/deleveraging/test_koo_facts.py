"""The stylised facts of section 5.5, one test per fact, on the calibrated Koo presets.

Each preset's facts are checked on the scenario they describe (``facts_policies``: as it
happened, with the deficits; see ``bsrlab.scenarios.koo_presets``). The repair spans
t = 0 .. repair_end: the first period at which borrowers' debt is at its target is the last
year of net repayment.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from bsrlab.models.deleveraging.koo import KooResult, solve_koo
from bsrlab.models.deleveraging.koo_check import check_equations
from bsrlab.scenarios.koo_presets import KOO_PRESETS, get_koo_preset

JAPAN = ["japan-1990s", "japan-as-it-was"]


@functools.cache
def _solved(name: str) -> KooResult:
    pre = get_koo_preset(name)
    return solve_koo(pre.params, pre.debt, pre.facts_policies(), periods=pre.periods)


def _longest_spell(flags: np.ndarray) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def _repair(res: KooResult) -> slice:
    assert res.repair_end is not None
    return slice(0, res.repair_end + 1)


# --------------------------------------------------------------------------- the presets


@pytest.mark.parametrize("name", sorted(KOO_PRESETS))
def test_preset_is_documented_and_solves_exactly(name: str) -> None:
    """Every preset names a source or reason for each extension parameter, states its facts
    with sources, and its fact scenario is an equilibrium (every equation below 1e-10)."""
    pre = get_koo_preset(name)
    joined = " ".join(pre.sources)
    for param in ("beta", "omega", "eta", "beta_b", "contract_rate", "amortisation",
                  "repair_rule", "tau_y", "gov_debt", "kappa", "sigma", "pibar", "chi_b",
                  "debt_high", "debt_low", "fiscal (as it happened)"):
        assert param in joined, param
    assert pre.facts and all(f.source for f in pre.facts)
    assert pre.facts_reason
    res = _solved(name)
    for key, val in check_equations(res).items():
        assert np.max(np.abs(val)) < 1e-10, key


def test_japan_as_it_was_is_japan_1990s_with_its_deficits() -> None:
    """japan-as-it-was is the same economy as japan-1990s with the deficits as its baseline:
    the facts of both describe the same path; the no-policy path of japan-1990s has none."""
    a, b = get_koo_preset("japan-1990s"), get_koo_preset("japan-as-it-was")
    assert a.params == b.params and a.debt == b.debt
    assert a.facts_policies() == b.facts_policies() == b.policies("no policy")
    assert a.policies("no policy") == ()
    assert np.array_equal(_solved("japan-1990s").output_gap,
                          _solved("japan-as-it-was").output_gap)


# --------------------------------------------------------------------------- Japan


@pytest.mark.parametrize("name", JAPAN)
def test_japan_floor_at_least_8_years(name: str) -> None:
    """The policy rate at its floor for at least 8 consecutive years. Source: Bank of Japan
    call rate below 0.5% from September 1995 and at or near zero to 2006 (section 5.5)."""
    res = _solved(name)
    assert _longest_spell(res.at_bound) >= 8


@pytest.mark.parametrize("name", JAPAN)
def test_japan_output_gap_never_below_7(name: str) -> None:
    """The output gap never below about -7% over the repair. Source: OECD Economic Outlook and
    IMF output-gap estimates for Japan in the 1990s (section 5.5)."""
    res = _solved(name)
    assert res.output_gap[_repair(res)].min() >= -0.07


@pytest.mark.parametrize("name", JAPAN)
def test_japan_output_gap_mean_over_repair(name: str) -> None:
    """The output gap on average between -4% and -0.5% over the repair. Source: OECD Economic
    Outlook output gaps for Japan, 1992-2002 (section 5.5)."""
    res = _solved(name)
    assert -0.04 <= res.output_gap[_repair(res)].mean() <= -0.005


@pytest.mark.parametrize("name", JAPAN)
def test_japan_inflation_mean_over_repair(name: str) -> None:
    """Average inflation over the repair between about -1.5% and +1%. Source: Statistics
    Bureau of Japan CPI, 1992-2002 (section 5.5)."""
    res = _solved(name)
    assert -0.015 <= res.inflation[_repair(res)].mean() <= 0.01


@pytest.mark.parametrize("name", JAPAN)
def test_japan_private_surplus_every_year(name: str) -> None:
    """A private financial surplus every year of the repair, of several percent of GDP (here:
    positive every year, at least 3% on average). Source: Bank of Japan Flow of Funds as
    charted in Koo (2003, 2008, ch. 1) (section 5.5)."""
    res = _solved(name)
    surplus = res.private_surplus[_repair(res)]
    assert surplus.min() > 0
    assert surplus.mean() >= 0.03


@pytest.mark.parametrize("name", JAPAN)
def test_japan_surplus_mirrors_deficit(name: str) -> None:
    """The private surplus is mirrored by the government deficit every year. Source: the
    closed-economy sectoral balances (section 4 of the model note); Koo (2008)."""
    res = _solved(name)
    assert np.max(np.abs(res.private_surplus - res.government_deficit)) < 1e-10
    assert res.government_deficit[_repair(res)].min() > 0


@pytest.mark.parametrize("name", JAPAN)
def test_japan_repair_at_least_10_years(name: str) -> None:
    """The repair lasting at least 10 years. Source: Koo (2003, 2008): firms paid down debt
    from the early 1990s to about 2005 (section 5.5)."""
    res = _solved(name)
    assert res.repair_end is not None and res.repair_end + 1 >= 10
    repaid = res.borrower_surplus[_repair(res)]
    assert repaid.min() > 0  # net repayment every year of the repair


# --------------------------------------------------------------------------- United States


def test_us_floor_6_to_8_years() -> None:
    """The floor binding about 6-8 years. Source: federal funds target range 0-0.25% from
    December 2008 to December 2015 (section 5.5)."""
    assert 6 <= _longest_spell(_solved("us-2008").at_bound) <= 8


def test_us_output_gap_trough() -> None:
    """An output-gap trough of about -4% to -8%. Source: CBO potential output, a gap of about
    -6% in 2009 (section 5.5)."""
    assert -0.08 <= _solved("us-2008").output_gap.min() <= -0.04


def test_us_debt_falling_about_5_years() -> None:
    """Household debt falling for about 5 years (4-6). Source: Federal Reserve Z.1 table D.3,
    household debt falling from 2008 to 2012-14 (section 5.5)."""
    res = _solved("us-2008")
    debt = np.concatenate([[res.debt.debt_high], res.borrower_debt])
    falling = np.diff(debt) < -1e-9
    assert 4 <= int(np.count_nonzero(falling)) <= 6
    assert _longest_spell(falling) == int(np.count_nonzero(falling))  # one spell, from t = 0
    assert falling[0]
