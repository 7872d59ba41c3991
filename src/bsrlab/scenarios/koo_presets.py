"""Calibrated presets of Koo's model (:func:`bsrlab.models.deleveraging.koo.solve_koo`).

Each preset is data: the parameters, the debt path, the horizon, the fiscal policies of the
scenario "as it happened", a source or a stated reason for every parameter, and the stylised
facts of section 5.5 of the model note that its solved path should reproduce, with their
sources. ``tests/deleveraging/test_koo_facts.py`` checks every fact; ``docs/koo-calibration.md``
explains the choices, what is met and what the model lacks. ``scripts/calibrate_koo.py`` is the
coarse search that located the behavioural parameters.

Which scenario the facts describe
---------------------------------
The facts are observations of economies whose governments ran large deficits, so they are
checked on the path *as it happened*: the preset's ``baseline`` policies plus its ``fiscal``
policies (:meth:`KooPreset.facts_policies`).

* ``japan-1990s``: the economy without discretionary fiscal policy (only the automatic
  stabilisers) is the no-policy path, Koo's counterfactual; the facts are for the scenario with
  the deficits Japan ran (``fiscal``), because the 1990s data contain them: a private surplus
  "mirrored by the government deficit" of several percent of GDP cannot be observed without
  one, and Koo (2003, 2008) argues that these deficits are what kept output from collapsing.
* ``japan-as-it-was``: the same economy with Japan's deficits as its baseline (the path "as it
  was", against which a premature consolidation or any further policy can be compared); the
  facts are for that baseline.
* ``us-2008``: the facts are for the scenario with the 2009 Recovery Act (``fiscal``), which
  was in force over the years they describe.

References
----------
* Koo, R. C. (2003), *Balance Sheet Recession*, Wiley; Koo (2008), *The Holy Grail of
  Macroeconomics*, Wiley.
* Bank of Japan, *Flow of Funds Accounts*; BIS, *Credit to the non-financial sector* (Japan,
  non-financial corporations, % of GDP); Bank of Japan, average contracted interest rates on
  loans and discounts (stock), early 1990s.
* OECD, *Economic Outlook*, annex tables: general government financial balances and output
  gaps; IMF, *World Economic Outlook* database: general government gross debt.
* Statistics Bureau of Japan, consumer price index (1992-2002 average close to zero).
* Girouard, N. and C. Andre (2005), "Measuring cyclically-adjusted budget balances for OECD
  countries", OECD Economics Department WP 434 (budget-balance sensitivities of about 0.3-0.35
  for Japan and the United States).
* Michaillat, P. and E. Saez (2021), "Resolving New Keynesian anomalies with wealth in the
  utility function", *Review of Economics and Statistics* 103(2).
* Havranek, T. et al. (2015), "Cross-country heterogeneity in intertemporal substitution",
  *Journal of International Economics* 96(1).
* Taylor, J. B. (1993, 1999); Yellen (2012) for an output coefficient of 1.
* Board of Governors of the Federal Reserve System, *Financial Accounts of the United States*
  (Z.1), table D.3; Mian, A. and A. Sufi (2014), *House of Debt*.
* Freddie Mac, Primary Mortgage Market Survey (30-year fixed rate about 6-6.5% in 2006-07).
* Congressional Budget Office (2012), "Estimated impact of the American Recovery and
  Reinvestment Act" (about $830 billion, most of it in fiscal years 2009-2011); CBO estimates
  of potential output (output gap of about -6% in 2009).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.models.deleveraging.koo import KooParams, calibrate_omega
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind
from bsrlab.policies.fiscal import FiscalStimulus

__all__ = ["KOO_PRESETS", "Fact", "KooPreset", "get_koo_preset"]

Scenario = Literal["no policy", "as it happened"]


@dataclass(frozen=True, kw_only=True)
class Fact:
    """A stylised fact a preset should reproduce: a key (the test's name), the statement with
    the model's measurement of it, and its source."""

    key: str
    statement: str
    source: str


@dataclass(frozen=True, kw_only=True)
class KooPreset:
    """A named calibration of Koo's model.

    ``baseline``: policies in force on the preset's own path (empty: no discretionary policy);
    ``fiscal``: the policies added in the scenario "as it happened"; ``facts_scenario``: which
    of the two scenarios the ``facts`` describe, and ``facts_reason`` why. ``sources`` gives a
    source or a stated reason for every parameter (keys name one field or several).
    """

    name: str
    title: str
    params: KooParams
    debt: DebtLimitPath
    periods: int
    first_year: int
    baseline: tuple[Policy, ...] = ()
    fiscal: tuple[Policy, ...] = ()
    facts_scenario: Scenario = "as it happened"
    facts_reason: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()

    def policies(self, scenario: Scenario) -> tuple[Policy, ...]:
        """The policies of ``scenario``: the baseline, plus ``fiscal`` as it happened."""
        if scenario == "no policy":
            return self.baseline
        if scenario == "as it happened":
            return (*self.baseline, *self.fiscal)
        raise ParameterError("scenario", "'no policy' or 'as it happened'", scenario)

    def facts_policies(self) -> tuple[Policy, ...]:
        """The policies of the scenario the facts describe."""
        return self.policies(self.facts_scenario)

    def fact(self, key: str) -> Fact:
        for f in self.facts:
            if f.key == key:
                return f
        raise ParameterError("fact", "one of " + ", ".join(f.key for f in self.facts), key)


def _with_omega(params: KooParams, debt: DebtLimitPath, rate: float) -> KooParams:
    """``params`` with omega set so that the pre-bust steady real rate is ``rate``."""
    return params.replace(omega=calibrate_omega(params, debt, rate))


# --------------------------------------------------------------------------- Japan

#: The pre-bust real rate Japan's omega is calibrated to.
JAPAN_RATE_PRE = 0.03

_JAPAN_DEBT = DebtLimitPath(debt_high=1.4, debt_low=0.8, kind=PathKind.GEOMETRIC, years=12,
                            decay=0.85)
_JAPAN_PARAMS = _with_omega(KooParams(
    beta=0.9, sigma=0.25, chi_b=0.5, kappa=0.01, phi_pi=1.5, phi_y=1.0, pibar=0.005,
    i_floor=0.0, nominal_debt=True, tax_repay=0.02, eta=2.0, beta_b=0.8, contract_rate=0.06,
    amortisation=0.1, repair_rule="cash-flow", repair_share=0.11, tau_y=0.33, gov_debt=0.6),
    _JAPAN_DEBT, JAPAN_RATE_PRE)

#: The discretionary deficits Japan ran, t = 0 being 1991: government spending of 3.5% of
#: potential output a year from 1992 (the first package, August 1992) through 2001.
JAPAN_DEFICITS: tuple[Policy, ...] = (FiscalStimulus(size=0.035, start=1, duration=10),)

_JAPAN_SOURCES = {
    "t = 0": "1991: land prices peaked in 1991 after the stock market's peak of December "
    "1989; Koo (2003, ch. 1) dates the balance sheet recession from the bust",
    "debt_high": "non-financial corporate debt of about 140% of GDP at the early-1990s peak "
    "(BIS credit to non-financial corporations; Bank of Japan Flow of Funds as charted in Koo "
    "2003 and 2008, ch. 1); rounded",
    "debt_low": "0.8: the target D* of the repair. The data show corporate debt near 100% of "
    "GDP by the mid-2000s (BIS); the target is set lower so that the repair, at the pay-down "
    "rate below, lasts the decade Koo describes and pays down debt at his rate: a stated "
    "departure from the data (docs/koo-calibration.md)",
    "years, decay": "not used by the cash-flow rule beyond the horizon check: the repair's "
    "length follows from repair_share; kept as in the EK preset",
    "repair_rule, repair_share": "cash-flow, rho = 0.11: Koo (2008, ch. 1-2): firms used "
    "their cash flow to pay down debt whatever the rate; with chi_b = 0.5 the aggregate "
    "pay-down is about 5.5% of GDP a year, the order of the corporate sector's financial "
    "surplus and of the pay-down of about 30 trillion yen a year (some 6% of GDP) he reports",
    "chi_b": "half the economy (indebted firms and their owners) deleverages, as in the EK "
    "preset; illustrative",
    "beta_b": "0.8: borrowers impatient enough to stay at their limit through the repair "
    "(beta_b (1 + r*) < 1 with margin); a stated reason, not an estimate",
    "amortisation": "0.1: corporate loans and bonds with an average maturity of about ten "
    "years, repaid in equal parts",
    "contract_rate": "6% nominal: the average contracted rate on outstanding bank loans in "
    "Japan was 6-7% in 1991 (Bank of Japan); the long-term prime rate was 7-8% in 1990-91",
    "nominal_debt": "yen loans and bonds are nominal",
    "beta, omega, eta": "beta = 0.9 with omega calibrated (calibrate_omega) to a pre-bust "
    "real rate of 3% (long-term government bond yields of 5-6% and inflation of 2-3% at "
    "1989-91), and eta = 2: wealth in the utility function as in Michaillat and Saez (2021). "
    "beta and eta are not estimated: the coarse search (scripts/calibrate_koo.py) found that "
    "the wealth term must be several percent of marginal utility (1 - beta (1 + r) = 7%) for "
    "the level of safe assets to keep the natural rate below zero through a decade-long "
    "repair; with beta >= 0.93 no point of the search met all the facts",
    "sigma": "0.25, low in the range surveyed by Havranek et al. (2015), as in the EK preset",
    "kappa": "0.01 a year: a very flat Phillips curve, so that a gap of a few percent for a "
    "decade moves inflation by tenths of a point, as Japan's CPI did; chosen, not estimated",
    "phi_pi, phi_y": "1.5 (Taylor 1993) and 1.0 on the gap (Taylor 1999)",
    "pibar": "0.5%: trend inflation of Japan's late 1980s (CPI inflation of 0-1% in "
    "1986-88 before the bubble's peak); it also sets the new steady nominal rate, about 0.2% "
    "with r* = -0.3%",
    "i_floor": "the Bank of Japan's call rate below 0.5% from September 1995 and at zero "
    "from 1999; the floor is zero",
    "tau_y": "0.33: the budget-balance sensitivity to the output gap estimated for Japan by "
    "Girouard and Andre (2005)",
    "gov_debt": "0.6: general government gross debt of about 60-65% of GDP in 1990-91 (IMF "
    "WEO, OECD); the bonds savers hold as safe assets",
    "tax_repay": "0.02: a slow fiscal rule (2% of the debt a year), so that government debt "
    "returns toward its pre-bust level over decades; Japan did not consolidate in the 1990s",
    "periods": "60 years: the legacy principal that falls due at the horizon is negligible",
    "fiscal (as it happened)": "spending of 3.5% of GDP a year, 1992-2001, from the first "
    "package (August 1992, 10.7 trillion yen, about 2% of GDP) through the packages of the "
    "1990s (Koo 2003, 2008). With the automatic stabilisers the model's general government "
    "deficit is 3-5% of GDP a year over 1991-2000, the order of the OECD figures (about 2-5% "
    "in 1993-97, 5-8% in 1998-2003) though front-loaded rather than rising",
}

_JAPAN_FACTS = (
    Fact(key="floor_at_least_8_years",
         statement="the policy rate at its floor for at least 8 consecutive years",
         source="Bank of Japan: call rate below 0.5% from September 1995 and at or near zero "
         "to 2006; section 5.5 of the model note"),
    Fact(key="output_gap_never_below_7",
         statement="the output gap never below -7% over the repair (t = 0 .. repair_end)",
         source="OECD Economic Outlook and IMF estimates of Japan's output gap (at most a few "
         "percent below potential in the 1990s); section 5.5"),
    Fact(key="output_gap_mean_over_repair",
         statement="the output gap on average between -4% and -0.5% over the repair",
         source="OECD Economic Outlook output gaps for Japan, 1992-2002; section 5.5"),
    Fact(key="inflation_mean_over_repair",
         statement="average inflation over the repair between -1.5% and +1%",
         source="Statistics Bureau of Japan, CPI: inflation between about +1.5% and -1% a year "
         "in 1992-2002, averaging near zero; section 5.5"),
    Fact(key="private_surplus_every_year",
         statement="a private financial surplus every year of the repair, on average at "
         "least 3% of GDP",
         source="Bank of Japan Flow of Funds as charted in Koo (2003, 2008, ch. 1): the "
         "private sector in financial surplus through the 1990s and 2000s; section 5.5"),
    Fact(key="surplus_mirrors_deficit",
         statement="the private surplus equals the government deficit every year",
         source="the sectoral-balance identity of a closed economy (section 4 of the model "
         "note); Koo (2008): the government borrowed the private sector's surplus"),
    Fact(key="repair_at_least_10_years",
         statement="the repair lasting at least 10 years (repair_end + 1 >= 10)",
         source="Koo (2003, 2008): firms paid down debt from the early 1990s to about 2005; "
         "section 5.5"),
)

JAPAN_1990S = KooPreset(
    name="japan-1990s",
    title="Japan after 1991: corporate balance sheet repair (no discretionary fiscal policy)",
    params=_JAPAN_PARAMS, debt=_JAPAN_DEBT, periods=60, first_year=1991,
    baseline=(), fiscal=JAPAN_DEFICITS, facts_scenario="as it happened",
    facts_reason="the 1990s data contain the deficits Japan ran: the private surplus of "
    "several percent of GDP is mirrored by a government deficit, which a path without one "
    "cannot show, and Koo argues that those deficits kept output from collapsing; the path "
    "without discretionary policy is his counterfactual",
    sources=_JAPAN_SOURCES, facts=_JAPAN_FACTS,
)

JAPAN_AS_IT_WAS = KooPreset(
    name="japan-as-it-was",
    title="Japan after 1991 as it was: corporate repair with a decade of deficits",
    params=_JAPAN_PARAMS, debt=_JAPAN_DEBT, periods=60, first_year=1991,
    baseline=JAPAN_DEFICITS, fiscal=(), facts_scenario="no policy",
    facts_reason="the deficits Japan ran are this preset's baseline, so its own path (no "
    "further policy) is the economy as it was",
    sources=_JAPAN_SOURCES, facts=_JAPAN_FACTS,
)

# --------------------------------------------------------------------------- United States

#: The pre-bust real rate the US omega is calibrated to.
US_RATE_PRE = 0.01

_US_DEBT = DebtLimitPath(debt_high=0.98, debt_low=0.76, kind=PathKind.GEOMETRIC, years=6,
                         decay=0.85)
_US_PARAMS = _with_omega(KooParams(
    beta=0.96, sigma=0.33, chi_b=0.5, kappa=0.02, phi_pi=1.5, phi_y=1.0, pibar=0.015,
    i_floor=0.0, nominal_debt=True, tax_repay=0.02, eta=1.0, beta_b=0.85, contract_rate=0.06,
    amortisation=0.05, repair_rule="target", tau_y=0.35, gov_debt=0.6),
    _US_DEBT, US_RATE_PRE)

#: The 2009 Recovery Act, t = 0 being 2009: 1.5% of GDP a year in 2009-2011.
US_RECOVERY_ACT: tuple[Policy, ...] = (FiscalStimulus(size=0.015, start=0, duration=3),)

US_2008 = KooPreset(
    name="us-2008",
    title="United States after 2008: household deleveraging",
    params=_US_PARAMS, debt=_US_DEBT, periods=60, first_year=2009,
    baseline=(), fiscal=US_RECOVERY_ACT, facts_scenario="as it happened",
    facts_reason="the Recovery Act's spending and tax cuts were in force in 2009-2011, the "
    "years of the output-gap trough the facts describe",
    sources={
        "t = 0": "2009, the first full year at the floor (federal funds target 0-0.25% from "
        "16 December 2008)",
        "debt_high, debt_low": "household and nonprofit debt of about 98% of GDP at the 2008 "
        "peak falling to about 76% by 2013-14 (Federal Reserve Z.1 table D.3 over nominal "
        "GDP; Mian and Sufi 2014); as in the EK preset",
        "years, decay": "6 years (2009-2014, the fall to the 2014 level) with most of it early "
        "(decay 0.85)",
        "repair_rule": "target: households' borrowing limits were cut by lenders (the announced "
        "path), not a cash-flow rule",
        "chi_b": "half of households as borrowers, as in the EK preset; illustrative",
        "beta_b": "0.85: borrowers impatient enough to stay at their limit; stated reason",
        "amortisation": "0.05: mortgages, most of household debt, are 30-year loans with an "
        "average life of about 20 years",
        "contract_rate": "6%: the 30-year fixed mortgage rate of 6-6.5% in 2006-07 (Freddie "
        "Mac PMMS)",
        "nominal_debt": "dollar mortgages are nominal",
        "beta, omega, eta": "beta = 0.96 with omega calibrated to a pre-bust real rate of 1% "
        "(10-year TIPS yields of 2-2.5% and a real federal funds rate of 1-2.5% in 2006-07; "
        "rounded down), eta = 1 (Michaillat and Saez 2021's log-like wealth utility); with a "
        "pre-bust rate of 2% the floor binds 4 years with the Recovery Act",
        "sigma": "0.33 (Havranek et al. 2015 range), as in the EK preset",
        "kappa": "0.02 a year: the flat Phillips curve of the 2000s, as in the EK preset",
        "phi_pi, phi_y": "1.5 (Taylor 1993) and 1.0 (Taylor 1999, Yellen 2012)",
        "pibar": "1.5%: the middle of the FOMC's 1-2% comfort zone for core PCE inflation",
        "i_floor": "federal funds target range of 0-0.25% from December 2008",
        "tau_y": "0.35: the budget-balance sensitivity estimated for the United States by "
        "Girouard and Andre (2005)",
        "gov_debt": "0.6: general government gross debt of about 64% of GDP in 2007 (IMF WEO)",
        "tax_repay": "0.02: a slow fiscal rule; stated reason, as for Japan",
        "periods": "60 years, as in the EK preset",
        "fiscal (as it happened)": "the Recovery Act: about $830 billion (CBO 2012), most of "
        "it in 2009-2011, about 1.5% of GDP a year for three years",
    },
    facts=(
        Fact(key="floor_6_to_8_years",
             statement="the floor binding 6-8 consecutive years",
             source="federal funds target range 0-0.25% from December 2008 to December 2015 "
             "(7 years); section 5.5"),
        Fact(key="output_gap_trough",
             statement="an output-gap trough between -8% and -4%",
             source="CBO estimates of potential output: a gap of about -6% in 2009; section "
             "5.5"),
        Fact(key="debt_falling_about_5_years",
             statement="household debt falling for 4-6 years (about 5)",
             source="Federal Reserve Z.1 table D.3: household debt falling from 2008 to "
             "2012-13 in dollars and to 2014 as a share of GDP; section 5.5"),
    ),
)

#: The presets by name.
KOO_PRESETS: dict[str, KooPreset] = {p.name: p for p in (JAPAN_1990S, JAPAN_AS_IT_WAS, US_2008)}


def get_koo_preset(name: str) -> KooPreset:
    """The Koo preset called ``name``; an unknown name raises ParameterError listing them."""
    try:
        return KOO_PRESETS[name]
    except KeyError:
        raise ParameterError("preset", "one of " + ", ".join(KOO_PRESETS), name) from None
