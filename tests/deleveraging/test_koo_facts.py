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
    """The policy rate at its floor for at least 8 consecutive years.

    Fact: /work/shared/docs/deleveraging-model.md, section 5.5 (after Koo 2003, 2008). Data: the
    Bank of Japan guided the call rate below the 0.5% discount rate from 8 September 1995, to
    0.25% from 9 September 1998, to zero from 12 February 1999 (to 11 August 2000) and near zero
    under quantitative easing from 19 March 2001 to March 2006 (Reuters chronology of BoJ policy
    moves, 15 June 2010); the call rate averaged below 0.5% every year 1996-2006 (JST
    Macrohistory Database R6, stir).
    """
    res = _solved(name)
    assert _longest_spell(res.at_bound) >= 8


@pytest.mark.parametrize("name", JAPAN)
def test_japan_output_gap_never_below_7(name: str) -> None:
    """The output gap never below about -7% over the repair.

    Fact: deleveraging-model.md, section 5.5 (after Koo 2003, 2008). The OECD Economic Outlook
    and IMF output-gap estimates for Japan in the 1990s are not verified here.
    """
    res = _solved(name)
    assert res.output_gap[_repair(res)].min() >= -0.07


@pytest.mark.parametrize("name", JAPAN)
def test_japan_output_gap_mean_over_repair(name: str) -> None:
    """The output gap on average between -4% and -0.5% over the repair.

    Fact: deleveraging-model.md, section 5.5 (after Koo 2003, 2008). The OECD Economic Outlook
    output gaps for Japan, 1992-2002, are not verified here.
    """
    res = _solved(name)
    assert -0.04 <= res.output_gap[_repair(res)].mean() <= -0.005


@pytest.mark.parametrize("name", JAPAN)
def test_japan_inflation_mean_over_repair(name: str) -> None:
    """Average inflation over the repair between about -1.5% and +1%.

    Fact: deleveraging-model.md, section 5.5. Data: Japan's CPI inflation was between -0.9%
    (2002) and +1.8% (1997) a year in 1992-2002, averaging +0.3% (JST Macrohistory Database R6,
    cpi); cumulative deflation of about 3% over the lost decade (Ueda 2003, as cited by von
    Peter 2004, BIS WP 167).
    """
    res = _solved(name)
    assert -0.015 <= res.inflation[_repair(res)].mean() <= 0.01


@pytest.mark.parametrize("name", JAPAN)
def test_japan_private_surplus_every_year(name: str) -> None:
    """A private financial surplus every year of the repair, of several percent of GDP (here:
    positive every year, at least 3% on average).

    Fact: deleveraging-model.md, section 5.5, citing the Bank of Japan Flow of Funds as charted
    in Koo (2003, 2008, ch. 1). Data: the corporate sector went from borrowing 12% of GDP in 1990
    to a net saver of 11% of GDP by 2003 ("Borrowers nowhere to be seen as Japan enters its
    post-deflation era", ANU Australia-Japan Research Centre).
    """
    res = _solved(name)
    surplus = res.private_surplus[_repair(res)]
    assert surplus.min() > 0
    assert surplus.mean() >= 0.03


@pytest.mark.parametrize("name", JAPAN)
def test_japan_surplus_mirrors_deficit(name: str) -> None:
    """The private surplus is mirrored by the government deficit every year.

    Fact: deleveraging-model.md, section 5.5; an identity of the closed-economy sectoral
    balances (section 4 of the same note); Koo (2008): the government borrowed the private
    sector's surplus.
    """
    res = _solved(name)
    assert np.max(np.abs(res.private_surplus - res.government_deficit)) < 1e-10
    assert res.government_deficit[_repair(res)].min() > 0


@pytest.mark.parametrize("name", JAPAN)
def test_japan_repair_at_least_10_years(name: str) -> None:
    """The repair lasting at least 10 years.

    Fact: deleveraging-model.md, section 5.5 (after Koo 2003, 2008). Data: Japan's corporate
    sector was a net repayer of debt from about 1995 until 2005, "fully 10 years", repaying up
    to 30 trillion yen (6% of GDP) in some years (Koo, Nomura Research Institute, February 2010,
    Exhibit 4).
    """
    res = _solved(name)
    assert res.repair_end is not None and res.repair_end + 1 >= 10
    repaid = res.borrower_surplus[_repair(res)]
    assert repaid.min() > 0  # net repayment every year of the repair


# --------------------------------------------------------------------------- United States


def test_us_floor_6_to_8_years() -> None:
    """The floor binding about 6-8 years.

    Fact: deleveraging-model.md, section 5.5 ("Dec 2008 to Dec 2015 was 7"). Data: federal funds
    target range of 0 to 1/4 percent from 16 December 2008 (FOMC statement) until it was raised
    to 1/4 to 1/2 percent on 16 December 2015 (FOMC minutes of 15-16 December 2015).
    """
    assert 6 <= _longest_spell(_solved("us-2008").at_bound) <= 8


def test_us_output_gap_trough() -> None:
    """An output-gap trough of about -4% to -8%.

    Fact: deleveraging-model.md, section 5.5. Data, CBO estimates by vintage: a projected
    shortfall of nearly 7% of potential output in 2009 and 2010 (CBO Director's testimony, 27
    January 2009), 8.1% in mid-2009 (CRS report R43228, 2013), 5.9% in 2012 (CBO, February
    2013, as reported by EPI).
    """
    assert -0.08 <= _solved("us-2008").output_gap.min() <= -0.04


def test_us_debt_falling_about_5_years() -> None:
    """Household debt falling for about 5 years (4-6).

    Fact: deleveraging-model.md, section 5.5. Data: household debt in the Financial Accounts of
    the United States fell in dollars from the second half of 2008 to early 2013, by nearly $1
    trillion (Vidangos 2015, FEDS Notes, 6 April 2015); its fall as a share of GDP to 2014 is
    not verified here.
    """
    res = _solved("us-2008")
    debt = np.concatenate([[res.debt.debt_high], res.borrower_debt])
    falling = np.diff(debt) < -1e-9
    assert 4 <= int(np.count_nonzero(falling)) <= 6
    assert _longest_spell(falling) == int(np.count_nonzero(falling))  # one spell, from t = 0
    assert falling[0]
