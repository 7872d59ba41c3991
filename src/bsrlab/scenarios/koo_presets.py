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
Each number is cited with what its source says and where; a number for which no source is
given is marked "not verified here" in ``sources`` and in ``docs/koo-calibration.md`` (which
also lists where the sources differ from the calibration).

* Koo, R. C. (2003), *Balance Sheet Recession*, Wiley; Koo (2008), *The Holy Grail of
  Macroeconomics*, Wiley; Koo (2010), Nomura Research Institute note on the US balance sheet
  recession (February 2010, Exhibit 4): Japan's corporate sector a net repayer of debt from
  about 1995 until 2005, net repayment of up to 30 trillion yen (6% of GDP) in some years.
* Jorda, O., M. Schularick and A. M. Taylor (2017), Macrohistory Database, Release 6
  (``JSTdatasetR6.xlsx``): Japan's CPI, short- and long-term rates and public
  debt ratio; US short rate and CPI. BIS, residential property prices (``nominal_index.csv``).
* Reuters, "Chronology: Bank of Japan policy moves since 1973" (15 June 2010); Bank of Japan,
  "Change of the guideline for money market operations" (11 August 2000).
* IMF (1998), *Japan: Selected Issues*, ch. II "Fiscal policy issues" (IMF Staff Country
  Report 98/113); Cabinet Office of Japan, *Annual Report on the Japanese Economy and Public
  Finance 2001*, ch. 3 s. 1; OECD, *Economic Surveys: Japan 2003*, "Achieving fiscal
  sustainability"; Posen, A. (1998), *Restoring Japan's Economic Growth*, ch. 2, IIE.
* Press and secondary sources named in ``sources``: Baltimore Sun, 29 August 1992 (the
  August 1992 package); Japan Times, 16 November 1998 (the 24 trillion yen package); von Peter,
  G. (2004), BIS WP 167 (citing Ueda 2003 on cumulative deflation); Congressional Research
  Service report R43228 (2013) and Economic Policy Institute (2013) on CBO output gaps.
* Girouard, N. and C. Andre (2005), "Measuring cyclically-adjusted budget balances for OECD
  countries", OECD Economics Department WP 434 (OECD-average sensitivity of about 0.5; the
  country values used here are not verified).
* Michaillat, P. and E. Saez (2021), "Resolving New Keynesian anomalies with wealth in the
  utility function", *Review of Economics and Statistics* 103(2).
* Havranek, T. et al. (2015), "Cross-country heterogeneity in intertemporal substitution",
  *Journal of International Economics* 96(1).
* Taylor, J. B. (1993, 1999); Yellen (2012) for an output coefficient of 1.
* FOMC statements of 16 December 2008 and minutes of 15-16 December 2015; FRED Blog,
  "Household debt meets corporate debt" (household debt 98% of GDP in 2009, about 74% at the
  end of 2019); Vidangos, I. (2015), "Deleveraging and recent trends in household debt", FEDS
  Notes, 6 April 2015; Mian, A. and A. Sufi (2014), *House of Debt*, University of Chicago
  Press.
* Congressional Budget Office, quarterly reports "Estimated impact of the American Recovery and
  Reinvestment Act" (February 2012: $831 billion over 2009-2019, 90% of it realised by the end
  of 2011; August 2012: about $833 billion, close to half in fiscal year 2010); CBO Director's
  testimony of 27 January 2009 (output shortfall of nearly 7% of potential in 2009 and 2010,
  projected).
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
    i_floor=0.0, nominal_debt=True, tax_repay=0.05, eta=2.0, beta_b=0.8, contract_rate=0.06,
    amortisation=0.1, repair_rule="cash-flow", repair_share=0.11, tau_y=0.33, gov_debt=0.6),
    _JAPAN_DEBT, JAPAN_RATE_PRE)

#: The discretionary deficits Japan ran, t = 0 being 1991: government spending of 3.5% of
#: potential output a year from 1992 (the first package, August 1992) through 2001.
JAPAN_DEFICITS: tuple[Policy, ...] = (FiscalStimulus(size=0.035, start=1, duration=10),)

_JAPAN_SOURCES = {
    "t = 0": "1991: residential property prices peaked in 1991 (BIS residential property "
    "prices, Japan, annual average of the quarterly index: 182.0 in 1991 against 174.5 in 1990 "
    "and 175.0 in 1992; JST R6 house prices also peak in 1991) after the stock market's peak "
    "at the end of 1989 (JST R6 equity capital gain -14% in 1990); Koo (2003, ch. 1) dates the "
    "balance sheet recession from the bust",
    "debt_high": "1.4: non-financial corporate debt of about 140% of GDP at the early-1990s "
    "peak (BIS credit to non-financial corporations; Bank of Japan Flow of Funds as charted in "
    "Koo 2003 and 2008, ch. 1); rounded. Not verified here: the only series at hand are bank "
    "loans to business alone (JST R6: 76% of GDP in 1990, 74% in 1991), a lower bound, and "
    "domestic credit to the whole private sector (IMF IFS via World Bank: 190% of GDP in 1990)",
    "debt_low": "0.8: the target D* of the repair. Corporate debt near 100% of GDP by the "
    "mid-2000s (BIS) is not verified here; the target is set lower so that the repair, at the "
    "pay-down rate below, lasts the decade Koo describes and pays down debt at his rate: a "
    "stated departure from the data (docs/koo-calibration.md)",
    "years, decay": "not used by the cash-flow rule beyond the horizon check: the repair's "
    "length follows from repair_share; kept as in the EK preset",
    "repair_rule, repair_share": "cash-flow, rho = 0.11: Koo (2008, ch. 1-2): firms used "
    "their cash flow to pay down debt whatever the rate; with chi_b = 0.5 the aggregate "
    "pay-down is about 5.5% of GDP a year. Koo (2010, Nomura Research Institute, February "
    "2010, Exhibit 4): the corporate sector was a net repayer of debt from about 1995 until "
    "2005, with net repayment reaching 30 trillion yen, or 6% of GDP, in some years",
    "chi_b": "half the economy (indebted firms and their owners) deleverages, as in the EK "
    "preset; illustrative",
    "beta_b": "0.8: borrowers impatient enough to stay at their limit through the repair "
    "(beta_b (1 + r*) < 1 with margin); a stated reason, not an estimate",
    "amortisation": "0.1: corporate loans and bonds with an average maturity of about ten "
    "years, repaid in equal parts; a stated assumption, not verified here",
    "contract_rate": "6% nominal. Bank of Japan official discount rate 6.0% from 30 August "
    "1990 to 1 July 1991 (Reuters BoJ chronology, 2010); long-term government bond yield 7.4% in "
    "1990 and 6.5% in 1991 (JST R6 ltrate); BoJ average contracted rate on outstanding "
    "long-term bank loans 5.09% in October 1993, the first month of the published series "
    "(BoJ Time-Series Data, IR04). The 1991 average contracted loan rate of 6-7% and a "
    "long-term prime rate of 7-8% in 1990-91 are not verified here",
    "nominal_debt": "yen loans and bonds are nominal",
    "beta, omega, eta": "beta = 0.9 with omega calibrated (calibrate_omega) to a pre-bust "
    "real rate of 3%: long-term government bond yields of 5.1%, 7.4% and 6.5% in 1989-91 and "
    "CPI inflation of 2.2%, 3.1% and 3.3% (JST R6), a real long rate of about 3-4%; 3% is "
    "the low end. eta = 2: wealth in the utility function as in Michaillat and Saez (2021). "
    "beta and eta are not estimated: the coarse search (scripts/calibrate_koo.py) found that "
    "the wealth term must be several percent of marginal utility (1 - beta (1 + r) = 7%) for "
    "the level of safe assets to keep the natural rate below zero through a decade-long "
    "repair; with beta >= 0.93 no point of the search met all the facts",
    "sigma": "0.25, low in the range surveyed by Havranek et al. (2015), as in the EK preset",
    "kappa": "0.01 a year: a very flat Phillips curve, so that a gap of a few percent for a "
    "decade moves inflation by tenths of a point, as Japan's CPI did (-0.9% to +1.8% a year in "
    "1992-2002, JST R6); chosen, not estimated",
    "phi_pi, phi_y": "1.5 (Taylor 1993) and 1.0 on the gap (Taylor 1999)",
    "pibar": "0.5%: trend inflation of Japan's late 1980s: CPI inflation of 0.6%, 0.1% and "
    "0.7% in 1986-88 (JST R6) before the bubble's peak; it also sets the new steady nominal "
    "rate, about 0.2% with r* = -0.3%",
    "i_floor": "zero. Bank of Japan (Reuters chronology of BoJ policy moves, 15 June 2010): "
    "call rate guided below the 0.5% discount rate from 8 September 1995, to 0.25% from 9 "
    "September 1998, 'as low as possible' (zero rate policy) from 12 February 1999 to 11 "
    "August 2000 (BoJ statement of 11 August 2000), 0.15% from March 2001, near zero under "
    "quantitative easing from 19 March 2001 to March 2006, 0.25% from 14 July 2006; the call "
    "rate averaged 1.2% in 1995, 0.47% in 1996 and below 0.5% every year to 2006 (JST R6 stir)",
    "tau_y": "0.33: the budget-balance sensitivity to the output gap for Japan attributed to "
    "Girouard and Andre (2005, OECD WP 434); the country value is not verified here (the "
    "paper's abstract gives an OECD average of about 0.5)",
    "gov_debt": "0.6: public debt of 63.0% of GDP in 1990 and 62.4% in 1991 (JST R6 "
    "debtgdp); the IMF WEO general government gross debt figure is not verified here; the bonds "
    "savers hold as safe assets",
    "tax_repay": "0.05: a slow fiscal rule (5% of the debt above its steady level a year): "
    "government debt rises through the repair and returns toward its pre-bust level over "
    "decades (Japan did not consolidate in the 1990s). A weaker rule (2%) lets debt explode "
    "once the real rate rises above it after the repair: with safe assets in savers' "
    "utility, more bonds raise the rate, which raises the interest bill",
    "periods": "60 years: the legacy principal that falls due at the horizon is negligible",
    "fiscal (as it happened)": "spending of 3.5% of GDP a year, 1992-2001, from the first "
    "package (August 1992: $86.6 billion, 2.3% of GNP, of which $69.6 billion of public works; "
    "Baltimore Sun, 29 August 1992; the yen figure of 10.7 trillion is not verified here) "
    "through the packages of the 1990s (the November 1998 package of 24 trillion yen was the "
    "eighth since the bubble burst, Japan Times, 16 November 1998). The general government "
    "deficit including social security deteriorated by over 7% of GDP between FY1991 and "
    "FY1996 and the structural deficit by about 6% of GDP (IMF 1998, Japan: Selected Issues, "
    "ch. II); excluding social security it went from balance in FY1990 to about 8% of GDP in "
    "FY1998 (IMF, ISBN 9781557758729, ch. 6); it was 7.4% of GDP in FY1999 on the SNA basis "
    "(Cabinet Office, Annual Report on the Japanese Economy and Public Finance 2001, ch. 3 "
    "s. 1) and a projected 7.75% in 2003 (OECD Economic Surveys: Japan 2003). Posen (1998, "
    "ch. 2) puts the stimulus actually injected in 1992-97 at 23 trillion yen (about 4.5% of "
    "GDP in all), a third of the headline packages. The OECD Economic Outlook year-by-year "
    "figures (a surplus of about 2% of GDP in 1991, deficits of 2-5% in 1993-97 "
    "and 5-8% in 1998-2003) are not verified here; they are consistent with the figures above. "
    "With the automatic stabilisers the model's general government deficit is 3-5% of GDP a "
    "year over 1991-2000, front-loaded, below the 7-8% of 1998-2003 (docs/koo-calibration.md)",
}

_JAPAN_FACTS = (
    Fact(key="floor_at_least_8_years",
         statement="the policy rate at its floor for at least 8 consecutive years",
         source="section 5.5 of the model note; Bank of Japan call rate below 0.5% from 8 "
         "September 1995 and at 0.25% or less from September 1998 to February 2007 (Reuters "
         "chronology of BoJ policy moves, 2010; JST R6 call-rate averages below 0.5% every "
         "year 1996-2006)"),
    Fact(key="output_gap_never_below_7",
         statement="the output gap never below -7% over the repair (t = 0 .. repair_end)",
         source="section 5.5 of the model note (Koo 2003, 2008); OECD Economic Outlook and "
         "IMF estimates of Japan's output gap in the 1990s are cited there but not verified "
         "here"),
    Fact(key="output_gap_mean_over_repair",
         statement="the output gap on average between -4% and -0.5% over the repair",
         source="section 5.5 of the model note (Koo 2003, 2008); OECD Economic Outlook output "
         "gaps for Japan, 1992-2002, not verified here"),
    Fact(key="inflation_mean_over_repair",
         statement="average inflation over the repair between -1.5% and +1%",
         source="section 5.5 of the model note; Japan's CPI inflation between -0.9% (2002) "
         "and +1.8% (1997, the consumption tax rise) a year in 1992-2002, averaging +0.3% "
         "(JST R6 cpi); cumulative deflation of about 3% over the lost decade (Ueda 2003, as "
         "cited by von Peter 2004, BIS WP 167)"),
    Fact(key="private_surplus_every_year",
         statement="a private financial surplus every year of the repair, on average at "
         "least 3% of GDP",
         source="section 5.5 of the model note (citing Koo 2003, 2008, ch. 1, on the Bank of "
         "Japan Flow of Funds); the corporate sector went from borrowing 12% of GDP in 1990 to "
         "a net saver of 11% of GDP by 2003 ('Borrowers nowhere to be seen as Japan enters its "
         "post-deflation era', ANU Australia-Japan Research Centre)"),
    Fact(key="surplus_mirrors_deficit",
         statement="the private surplus equals the government deficit every year",
         source="the sectoral-balance identity of a closed economy (section 4 of the model "
         "note); Koo (2008): the government borrowed the private sector's surplus"),
    Fact(key="repair_at_least_10_years",
         statement="the repair lasting at least 10 years (repair_end + 1 >= 10)",
         source="section 5.5 of the model note; Koo (2010, Nomura Research Institute, "
         "February 2010): Japan's corporate sector a net repayer of debt from about 1995 "
         "until 2005, 'fully 10 years'; Bank of Japan Flow of Funds as charted in doi "
         "10.1007/978-981-15-9598-1_7, Fig. 7.1: non-financial corporations stopped repaying "
         "in FY2005-06"),
)

JAPAN_1990S = KooPreset(
    name="japan-1990s",
    title="Japan after 1991: corporate balance sheet repair",
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

#: The 2009 Recovery Act, t = 0 being 2009: 1.7% of GDP a year in 2009-2011 (CBO: $831 billion
#: over 2009-2019, 90% of it realised by the end of 2011, against nominal GDP of about $45
#: trillion over 2009-2011).
US_RECOVERY_ACT: tuple[Policy, ...] = (FiscalStimulus(size=0.017, start=0, duration=3),)

US_2008 = KooPreset(
    name="us-2008",
    title="United States after 2008: household deleveraging",
    params=_US_PARAMS, debt=_US_DEBT, periods=60, first_year=2009,
    baseline=(), fiscal=US_RECOVERY_ACT, facts_scenario="as it happened",
    facts_reason="the Recovery Act's spending and tax cuts were in force in 2009-2011, the "
    "years of the output-gap trough the facts describe",
    sources={
        "t = 0": "2009, the first full year at the floor (FOMC statement of 16 December 2008: "
        "target range for the federal funds rate of 0 to 1/4 percent)",
        "debt_high, debt_low": "household debt of 98% of GDP at its peak (FRED Blog, "
        "'Household debt meets corporate debt', on Financial Accounts Z.1 data: from 59% of GDP "
        "in 1990 to 98% in 2009; about 74% at the end of 2019; IMF IFS: 99.4% in 2007). The "
        "target of 76% by 2013-14 is not verified here: the sources give 98% at the peak and "
        "about 74% only by 2019, so the 2013-14 level may be higher than 76% (a target of 80% "
        "shortens the floor spell to 5 years, outside the fact's band; "
        "docs/koo-calibration.md). Mian and Sufi (2014): household debt doubled between 2000 "
        "and 2007 to $14 trillion",
        "years, decay": "6 years (2009-2014) with most of it early (decay 0.85). Household debt "
        "fell in dollars from the second half of 2008 to early 2013, by nearly $1 trillion "
        "(Vidangos 2015, FEDS Notes); the fall as a share of GDP to 2014 is not verified here",
        "repair_rule": "target: households' borrowing limits were cut by lenders (the announced "
        "path), not a cash-flow rule",
        "chi_b": "half of households as borrowers, as in the EK preset; illustrative",
        "beta_b": "0.85: borrowers impatient enough to stay at their limit; stated reason",
        "amortisation": "0.05: mortgages, most of household debt, are 30-year loans with an "
        "average life of about 20 years; a stated assumption, not verified here",
        "contract_rate": "6%: the 30-year fixed mortgage rate of 6-6.5% in 2006-07 (Freddie "
        "Mac PMMS); not verified here",
        "nominal_debt": "dollar mortgages are nominal",
        "beta, omega, eta": "beta = 0.96 with omega calibrated to a pre-bust real rate of 1%: "
        "a short rate of 5.0% in 2006-07 with CPI inflation of 3.2% and 2.8% (a real short "
        "rate of about 2%) and a long-term yield of 4.6-4.8% (a real long rate of about 1.7%; JST "
        "R6); rounded down (10-year TIPS yields of 2-2.5% not verified here). eta = 1 "
        "(Michaillat and Saez 2021's log-like wealth utility); with a pre-bust rate of 2% the "
        "floor binds 4 years with the Recovery Act",
        "sigma": "0.33 (Havranek et al. 2015 range), as in the EK preset",
        "kappa": "0.02 a year: the flat Phillips curve of the 2000s, as in the EK preset",
        "phi_pi, phi_y": "1.5 (Taylor 1993) and 1.0 (Taylor 1999, Yellen 2012)",
        "pibar": "1.5%: the middle of the FOMC's 1-2% comfort zone for core PCE inflation; not "
        "verified here",
        "i_floor": "zero: federal funds target range of 0 to 1/4 percent from 16 December 2008 "
        "(FOMC statement) to 16 December 2015 (FOMC minutes of 15-16 December 2015: raised to "
        "1/4 to 1/2 percent)",
        "tau_y": "0.35: the budget-balance sensitivity for the United States attributed to "
        "Girouard and Andre (2005, OECD WP 434); the country value is not verified here (the "
        "paper's abstract gives an OECD average of about 0.5)",
        "gov_debt": "0.6: public debt of 62.6% of GDP in 2007 (JST R6 debtgdp); the IMF WEO "
        "general government gross debt of about 64% is not verified here",
        "tax_repay": "0.02: a slow fiscal rule; stated reason, as for Japan",
        "periods": "60 years, as in the EK preset",
        "fiscal (as it happened)": "the Recovery Act: $831 billion over fiscal years "
        "2009-2019, more than half of it in fiscal year 2010 and 90% realised by the end of "
        "December 2011 (CBO, Estimated impact of ARRA, February 2012; the August 2012 report "
        "gives about $833 billion, close to half in fiscal year 2010). 90% of $831 billion over "
        "nominal GDP of $14.5, $15.0 and $15.6 trillion in 2009-2011 (JST R6) is 1.7% of GDP "
        "a year on average, more in 2010 and less in 2009 and 2011; the preset spreads it "
        "evenly (1.7% a year for three years)",
    },
    facts=(
        Fact(key="floor_6_to_8_years",
             statement="the floor binding 6-8 consecutive years",
             source="section 5.5 of the model note; federal funds target range 0-0.25% from 16 "
             "December 2008 (FOMC statement) to 16 December 2015 (FOMC minutes), 7 years"),
        Fact(key="output_gap_trough",
             statement="an output-gap trough between -8% and -4%",
             source="section 5.5 of the model note; CBO estimates by vintage: a projected "
             "shortfall of nearly 7% of potential output in 2009 and 2010 (CBO Director's "
             "testimony, 27 January 2009), a gap of 8.1% in mid-2009 (CRS R43228, 2013), 5.9% "
             "in 2012 (CBO, February 2013, as reported by EPI)"),
        Fact(key="debt_falling_about_5_years",
             statement="household debt falling for 4-6 years (about 5)",
             source="section 5.5 of the model note; Financial Accounts of the United States: "
             "household debt fell in dollars from the second half of 2008 to early 2013 "
             "(Vidangos 2015, FEDS Notes), about 4.5 years; the fall as a share of GDP to 2014 "
             "is not verified here"),
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
