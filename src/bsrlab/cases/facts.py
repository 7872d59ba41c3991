"""Facts typed in from published sources: small, cited tables that need no data directory.

Values are kept exactly as printed (per cent where the source prints per cent); the helper
``fraction`` converts. Sources:

- ``VP2004``: von Peter, G. (2004), "Asset prices and banking distress: a macroeconomic
  approach", BIS Working Paper 167, Section 5 (5.1 Japan, 5.2 the Nordic crises and its table,
  5.3 the US Great Depression), quoting the works named in each fact.
- ``LV2018``: Laeven, L. and Valencia, F. (2018), "Systemic Banking Crises Revisited", IMF
  Working Paper WP/18/206, the crisis database: output loss and gross fiscal cost in per cent of
  GDP, peak non-performing loans in per cent of total loans.

The Laeven-Valencia values (:data:`LAEVEN_VALENCIA`, :data:`LV_CRISES`) have been checked, every
start year, end year and outcome, against a copy of the database's spreadsheet
(:data:`LV_CHECKED_AGAINST`): all agree, to the one decimal kept here. What that check does not
cover is said there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bsrlab.core.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATA_BREAKS",
    "JAPAN_FACTS",
    "LAEVEN_VALENCIA",
    "LV2018",
    "LV_CHECKED_AGAINST",
    "LV_COVERAGE",
    "LV_CRISES",
    "NORDIC_ROWS",
    "NORDIC_TABLE",
    "NORDIC_TEXT_FACTS",
    "US1929_FACTS",
    "VP2004",
    "DataBreak",
    "Fact",
    "LVOutcome",
    "NordicColumn",
    "data_breaks",
    "facts_frame",
    "laeven_valencia_frame",
    "nordic_table_frame",
]

VP2004 = ("von Peter, G. (2004), \"Asset prices and banking distress: a macroeconomic approach\", "
          "BIS Working Paper 167")
LV2018 = ("Laeven, L. and Valencia, F. (2018), \"Systemic Banking Crises Revisited\", IMF Working "
          "Paper WP/18/206")


@dataclass(frozen=True, kw_only=True)
class Fact:
    """One number from a published source.

    Parameters
    ----------
    key
        Machine name (``equity_decline``).
    value
        The number as printed.
    unit
        ``"%"`` (per cent of what ``description`` says), ``"x"`` (a multiple) or ``"year"``.
    description
        What the number measures, in words.
    source
        Where it is printed (section, page or footnote of the citing work).
    """

    key: str
    value: float
    unit: str
    description: str
    source: str

    def __post_init__(self) -> None:
        if self.unit not in ("%", "x", "year"):
            raise ConfigError(f"fact '{self.key}': unit must be '%', 'x' or 'year'; "
                              f"got {self.unit!r}")

    @property
    def fraction(self) -> float:
        """The value as a fraction (per cent / 100); other units unchanged."""
        return self.value / 100.0 if self.unit == "%" else self.value

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "unit": self.unit,
                "description": self.description, "source": self.source}


# --- Section 5.2: the Nordic table, exactly as printed ------------------------------------------

@dataclass(frozen=True, kw_only=True)
class NordicColumn:
    """One country's column of the table in Section 5.2 (all in per cent)."""

    country: str
    equity_decline: float
    residential_decline: float
    commercial_decline: float
    loan_losses_peak_year_gdp: float
    npl_gdp: float
    credit_contraction: float
    credit_contraction_period: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


#: The row labels of the printed table, in order, with the field each row comes from.
NORDIC_ROWS: tuple[tuple[str, str], ...] = (
    ("Equity Price (% decline)", "equity_decline"),
    ("Residential Real Estate (% decline)", "residential_decline"),
    ("Commercial Real Estate (% decline)", "commercial_decline"),
    ("Loan losses in peak year (% of GDP)", "loan_losses_peak_year_gdp"),
    ("Non-performing loans (% of GDP)", "npl_gdp"),
    ("Cumulative bank credit contraction (%)", "credit_contraction"),
)

#: Section 5.2 table (sources: BIS asset price data; Sandal (2004) p. 84). Declines are peak to
#: trough; the credit contraction covers 1991-95 (Finland), 1990-91 (Norway), 1990-95 (Sweden),
#: footnote 59.
NORDIC_TABLE: dict[str, NordicColumn] = {
    "Finland": NordicColumn(country="Finland", equity_decline=67, residential_decline=40,
                            commercial_decline=49, loan_losses_peak_year_gdp=4.4, npl_gdp=9,
                            credit_contraction=35.5, credit_contraction_period="1991-95"),
    "Norway": NordicColumn(country="Norway", equity_decline=48, residential_decline=27,
                           commercial_decline=43, loan_losses_peak_year_gdp=2.8, npl_gdp=9,
                           credit_contraction=4.9, credit_contraction_period="1990-91"),
    "Sweden": NordicColumn(country="Sweden", equity_decline=40, residential_decline=21,
                           commercial_decline=71, loan_losses_peak_year_gdp=3.8, npl_gdp=11,
                           credit_contraction=26.4, credit_contraction_period="1990-95"),
}


def nordic_table_frame() -> pd.DataFrame:
    """The Section 5.2 table as printed: rows as in the paper, columns Finland, Norway, Sweden."""
    import pandas as pd

    data = {c: [getattr(col, f) for _, f in NORDIC_ROWS] for c, col in NORDIC_TABLE.items()}
    return pd.DataFrame(data, index=[label for label, _ in NORDIC_ROWS])


_S51 = f"{VP2004}, Section 5.1"
_S52 = f"{VP2004}, Section 5.2"
_S53 = f"{VP2004}, Section 5.3"

#: Section 5.1, Japan's Lost Decade.
JAPAN_FACTS: dict[str, Fact] = {f.key: f for f in (
    Fact(key="equity_decline", value=70, unit="%",
         description="stock prices, decline since their 1989 peak ('almost 70%')", source=_S51),
    Fact(key="residential_decline", value=30, unit="%",
         description="residential property prices, decline 1992-2002", source=_S51),
    Fact(key="commercial_decline", value=60, unit="%",
         description="commercial property prices, decline 1992-2002 ('some 60%')", source=_S51),
    Fact(key="urban_commercial_land_decline", value=85, unit="%",
         description="urban commercial land price index of 6 large cities (Ueda 2003, p. 3)",
         source=_S51),
    Fact(key="npl_gdp_low", value=7, unit="%",
         description="aggregate non-performing loans, late 1990s, lower estimate (Hoshi and "
                     "Kashyap 1999, Inaba et al 2003)", source=_S51),
    Fact(key="npl_gdp_high", value=8, unit="%",
         description="aggregate non-performing loans, late 1990s, upper estimate", source=_S51),
    Fact(key="loan_losses_to_operating_profit", value=13.2, unit="x",
         description="loan losses reported by banks 1992-99 over average annual operating "
                     "profit (footnote 51, Nakaso 2001 p. 30)", source=_S51),
    Fact(key="npl_disposal_cost_gdp", value=17, unit="%",
         description="spent on the non-performing loans problem, April 1992 to March 2000 "
                     "(footnote 51, Nakaso 2001 p. 2)", source=_S51),
    Fact(key="npl_disposal_cost_gdp_later", value=20, unit="%",
         description="the same figure 'now approaching 20%' (footnote 51, Ueda 2003 p. 4)",
         source=_S51),
    Fact(key="real_estate_lending_share", value=12, unit="%",
         description="share of lending to the real estate industry (footnote 52)", source=_S51),
    Fact(key="real_estate_related_lending_share", value=25, unit="%",
         description="share of lending to real-estate related industries (footnote 52, Okina "
                     "et al 2001)", source=_S51),
    Fact(key="implied_tau", value=70, unit="%",
         description="permanent productivity fall in (22) that would produce the observed asset "
                     "price decline with moderate deflation ('about 70%')", source=_S51),
    Fact(key="cumulative_deflation", value=3, unit="%",
         description="cumulative consumer price deflation of the Lost Decade (Ueda 2003)",
         source=_S53),
    Fact(key="capital_crunch_year", value=1997, unit="year",
         description="fiscal year of the clearest evidence of a capital crunch (Woo 1999, "
                     "Watanabe 2002)", source=_S51),
    Fact(key="equity_peak_year", value=1989, unit="year",
         description="year of the stock market peak", source=_S51),
)}

#: Section 5.2, the Nordic crises: facts quoted in the text besides the table.
NORDIC_TEXT_FACTS: dict[str, Fact] = {f.key: f for f in (
    Fact(key="loss_provisions_assets", value=3, unit="%",
         description="industry-wide loss provisions in total banking assets (Norway 1991, "
                     "Finland 1992, Sweden 1993-94; Berg 1998 p. 200)", source=_S52),
    Fact(key="equity_capital_assets", value=6, unit="%",
         description="equity capital of banks in total assets, average of the three countries "
                     "(Berg 1998 p. 200)", source=_S52),
    Fact(key="sweden_loan_losses_gdp", value=12, unit="%",
         description="aggregate loan losses of Sweden's seven largest banks over the crisis "
                     "(Bäckström 1997)", source=_S52),
    Fact(key="sweden_capital_injection_gdp", value=4, unit="%",
         description="direct outlays for capital injections in Sweden ('just over 4%')",
         source=_S52),
    Fact(key="sweden_lending_spread", value=5, unit="%",
         description="Swedish lending spread at the height of the crunch (Englund 1999)",
         source=_S52),
    Fact(key="sweden_ltv_before", value=90, unit="%",
         description="Swedish loan-to-value ratios before the crunch", source=_S52),
    Fact(key="sweden_ltv_after", value=60, unit="%",
         description="Swedish loan-to-value ratios after the crunch (pre-boom level 75%)",
         source=_S52),
    Fact(key="finland_bad_assets", value=8, unit="%",
         description="bad assets of Finnish deposit banks in total assets, 1990-95 "
                     "(Vihriälä 1997)", source=_S52),
    Fact(key="finland_intervention_gdp", value=10, unit="%",
         description="government intervention in Finland (Vihriälä 1997 p. 39)", source=_S52),
    Fact(key="sweden_gdp_fall_1990s", value=6, unit="%",
         description="fall of Swedish GDP in the 1990s, with no deflation (footnote 63)",
         source=_S52),
)}

#: Section 5.3, the US Great Depression.
US1929_FACTS: dict[str, Fact] = {f.key: f for f in (
    Fact(key="equity_crash_1929", value=24, unit="%",
         description="fall of the Dow Jones Index on October 28-29, 1929", source=_S53),
    Fact(key="equity_decline", value=80, unit="%",
         description="Dow Jones Index, early 1933 against its 1929 peak ('more than 80%')",
         source=_S53),
    Fact(key="residential_decline", value=50, unit="%",
         description="real estate prices ('may have declined by about 50%'; Hoyt 1933)",
         source=_S53),
    Fact(key="cpi_deflation", value=27, unit="%",
         description="cumulative consumer price deflation, 1929-33 peak to trough (BLS)",
         source=_S53),
    Fact(key="wpi_deflation", value=38, unit="%",
         description="cumulative wholesale price deflation, 1929-33 (BLS)", source=_S53),
    Fact(key="debt_service_income_1929", value=9, unit="%",
         description="debt service over national income, 1929 (footnote 66)", source=_S53),
    Fact(key="debt_service_income_1932", value=20, unit="%",
         description="debt service over national income, 1932-33 ('almost 20%')", source=_S53),
    Fact(key="mortgage_default_rate", value=38, unit="%",
         description="rates of default on mortgages (survey evidence, Bernanke 1983)",
         source=_S53),
    Fact(key="farm_mortgage_delinquency", value=45, unit="%",
         description="farm mortgage delinquency rates (Bernanke 1983)", source=_S53),
    Fact(key="loan_losses_charged_off", value=2.6, unit="%",
         description="losses charged off on loans and discounts of national banks, 1932, in "
                     "total loans (footnote 67, Comptroller of the Currency)", source=_S53),
    Fact(key="loan_losses_increase", value=4, unit="x",
         description="increase of losses charged off, 1929 to 1932 (footnote 67)", source=_S53),
    Fact(key="banking_collapse_year", value=1933, unit="year",
         description="collapse of the banking system (March 1933)", source=_S53),
)}


@dataclass(frozen=True, kw_only=True)
class LVOutcome:
    """Outcome of one systemic banking crisis in the Laeven-Valencia (2018) database."""

    country: str
    start: int
    output_loss: float
    fiscal_cost: float
    peak_npl: float
    source: str = LV2018

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "start": self.start,
                "output_loss_pct_gdp": self.output_loss,
                "fiscal_cost_gross_pct_gdp": self.fiscal_cost,
                "peak_npl_pct_loans": self.peak_npl, "source": self.source}


#: Where the Laeven-Valencia values were checked. The copy is the database's spreadsheet
#: (``wp18206``, sheets "Crisis Years" and "Crisis Resolution and Outcomes") turned into one row
#: per crisis by the script ``src/BankingCrisisDB.do`` of github.com/chickymonkeys/
#: LaevenValenciaBankingCrises, which reads columns A-K of the outcomes sheet as country, start,
#: end, output loss, gross fiscal cost, net fiscal cost, fiscal cost in financial assets,
#: (liquidity), peak NPLs and debt increase. Checked: the start and end year of every crisis of
#: the 18 JST economies (none for Australia and Canada, whose rows are empty), and output loss,
#: gross fiscal cost and peak NPLs of the five crises in :data:`LAEVEN_VALENCIA`; the copy prints
#: more digits, the values here are rounded to one decimal (US 2007 peak NPLs: 4.99 in the copy,
#: 5.0 here). Not checked: the spreadsheet's footnote flags (the script strips them), the IMF
#: file itself, and the 2020 IMF Economic Review version (taken to hold the same database).
LV_CHECKED_AGAINST = (
    "LaevenValencia2018_sysBankingCrisesDB.csv, github.com/22f1000610/EWS at commit "
    "0605b226aa117ea49969dc8b001e3daecbded97e: the IMF WP/18/206 spreadsheet converted by "
    "src/BankingCrisisDB.do of github.com/chickymonkeys/LaevenValenciaBankingCrises "
    "(rows with lvsource = 1)")

#: Laeven-Valencia (2018): output loss and gross fiscal cost (% of GDP), peak NPLs (% of loans),
#: rounded to one decimal; checked against :data:`LV_CHECKED_AGAINST`.
LAEVEN_VALENCIA: dict[str, LVOutcome] = {o.country + str(o.start): o for o in (
    LVOutcome(country="Japan", start=1997, output_loss=45.0, fiscal_cost=8.6, peak_npl=35),
    LVOutcome(country="Finland", start=1991, output_loss=69.6, fiscal_cost=12.8, peak_npl=13),
    LVOutcome(country="Norway", start=1991, output_loss=5.1, fiscal_cost=2.7, peak_npl=16.4),
    LVOutcome(country="Sweden", start=1991, output_loss=32.9, fiscal_cost=3.6, peak_npl=13),
    LVOutcome(country="United States", start=2007, output_loss=30.0, fiscal_cost=4.5,
              peak_npl=5.0),
)}


#: Laeven-Valencia (2018) systemic banking crises of the 18 JST economies, 1970-2017:
#: ISO code -> ((start year, end year), ...), typed in from the database's list of systemic
#: banking crises. Australia and Canada have none. The database covers 1970-2017
#: (:data:`LV_COVERAGE`). The start years define the events; the end years only extend the
#: years dropped after a crisis (never beyond start + 4 for these episodes). Every start and end
#: year agrees with the copy of the spreadsheet in :data:`LV_CHECKED_AGAINST`.
LV_CRISES: dict[str, tuple[tuple[int, int], ...]] = {
    "AUS": (), "BEL": ((2008, 2012),), "CAN": (), "CHE": ((2008, 2009),),
    "DEU": ((2008, 2009),), "DNK": ((2008, 2009),), "ESP": ((1977, 1981), (2008, 2012)),
    "FIN": ((1991, 1995),), "FRA": ((2008, 2009),), "GBR": ((2007, 2011),),
    "IRL": ((2008, 2012),), "ITA": ((2008, 2009),), "JPN": ((1997, 2001),),
    "NLD": ((2008, 2009),), "NOR": ((1991, 1993),), "PRT": ((2008, 2012),),
    "SWE": ((1991, 1995), (2008, 2009)), "USA": ((1988, 1988), (2007, 2011)),
}
#: The years the Laeven-Valencia (2018) database covers.
LV_COVERAGE = (1970, 2017)


@dataclass(frozen=True, kw_only=True)
class DataBreak:
    """A known break in a data series: the series jumps for a reason other than the economy.

    ``variable`` is the JST column that jumps, ``year`` the first year on the new level,
    ``text`` the one-line reason shown in tables, ``data_notes`` and on charts, and ``source``
    where the reason is documented (or, where no document was found, the data that show it).
    """

    iso: str
    variable: str
    year: int
    text: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


#: Known breaks in the JST R6 series the case studies and the panel use (``tloans``, ``gdp``,
#: ``hpnom``), flagged in tables and charts. Each was found as a one-year change of the series
#: far outside its neighbouring years (a robust z-score of 5 or more against the five years on
#: either side) with no economic event to explain it, and is kept only where a document gives
#: the reason or the data leave no other reading (tests/cases/test_data_breaks.py checks that
#: every jump is in the data). None of them but Japan 1993 falls within a case-study window.
DATA_BREAKS: tuple[DataBreak, ...] = (
    DataBreak(iso="JPN", variable="tloans", year=1993,
              text="JST bank loans for Japan jump by 16% in 1993 while nominal GDP barely "
                   "moves, a break in the series: credit/GDP and the credit contraction "
                   "measured across 1993 are not comparable with the years before",
              source="JST R6 data: loans +16.4% in 1993 against +2.0% in 1992 and +0.3% in "
                     "1994, nominal GDP +0.6%; no documented cause found in the sources "
                     "checked"),
    DataBreak(iso="DEU", variable="tloans", year=1990,
              text="German unification: JST bank loans for Germany rise 18% in 1990 as the "
                   "east German banks enter the banking statistics, while GDP and population "
                   "stay West German until 1991: credit/GDP jumps from 0.80 to 0.87 in 1990 "
                   "and falls back to 0.79 in 1991",
              source="Deutsche Bundesbank, Monthly Report March 1998, \"Trends in the banking "
                     "sector ... since the beginning of the nineties\": in 1990 the east German "
                     "banking system added 540 credit institutions with a business volume of "
                     "DM 573.4 billion"),
    DataBreak(iso="DEU", variable="gdp", year=1991,
              text="German unification: JST GDP and population cover unified Germany from "
                   "1991 (population +26%, nominal GDP +21%, real GDP +32% as West German "
                   "GDP per head times the all-German population): growth rates, credit/GDP "
                   "and the implied GDP deflator (-8%) across 1991 are not comparable",
              source="JST R6 data: population 63.3 million in 1990, 80.0 million in 1991 "
                     "(unification on 3 October 1990)"),
    DataBreak(iso="IRL", variable="gdp", year=2015,
              text="Irish GDP rises 35% in 2015 (real 25%), a level shift from multinationals "
                   "moving assets (intellectual property, aircraft leasing) and contract "
                   "manufacturing to Ireland, not domestic activity: credit/GDP falls from "
                   "0.80 to 0.53",
              source="Central Statistics Office release of 12 July 2016 (GDP volume +26.3% in "
                     "2015), Irish Times, \"Handful of multinationals behind 26.3% growth in "
                     "GDP\"; Dáil Éireann written answer 148 of 21 July 2016 "
                     "(oireachtas.ie/en/debates/question/2016-07-21/148/)"),
    DataBreak(iso="NOR", variable="gdp", year=1970,
              text="Norwegian nominal GDP rises 32% in 1970 while real GDP grows 2% and the "
                   "CPI 11% (implied deflator +29%): the year the historical national accounts "
                   "are joined to the revised ones, at a higher level; credit/GDP falls from "
                   "0.60 to 0.50",
              source="Grytten (2004), \"The gross domestic product for Norway 1830-2003\", "
                     "Norges Bank Occasional Papers 35, ch. 6: the series are spliced with the "
                     "revised national accounts from 1970 onwards"),
    DataBreak(iso="NLD", variable="gdp", year=1969,
              text="Dutch nominal GDP rises 25% in 1969 while real GDP grows 7% and the CPI 7% "
                   "(implied deflator +17%): the first year of Statistics Netherlands' revised "
                   "national accounts, at a higher level; credit/GDP falls from 0.32 to 0.29",
              source="CBS, \"Tijdreeksen nationale rekeningen 1969-1995\" (2017): the revised "
                     "(2014) national accounts are carried back to 1969 only"),
    DataBreak(iso="NOR", variable="gdp", year=1960,
              text="Norwegian nominal GDP falls 2.6% in 1960 while real GDP grows 5.7% and the "
                   "CPI 0.3% (implied deflator -8%), and bank loans rise 21% and then fall 1% "
                   "in 1961: credit/GDP jumps from 0.50 to 0.62, level shifts in the series "
                   "rather than the economy",
              source="JST R6 data; no documented cause found in the sources checked"),
    DataBreak(iso="AUS", variable="hpnom", year=1950,
              text="JST house prices for Australia keep one value from 1943 to 1949, while "
                   "wartime land sales control pegged prices at their February 1942 level, "
                   "and jump 133% in 1950 after decontrol: the real fall over 1943-49 (CPI "
                   "+34%) and the 1950 jump are not market movements",
              source="Australian Government Solicitor, legal opinion 1782, \"Control of land "
                     "prices\": the control pegged the purchase price of land at its value of "
                     "10 February 1942; controls on house prices were abolished in 1949 "
                     "(Macroplan, \"Australia's rise and decline in home ownership\"); JST R6 "
                     "data (hpnom identical 1943-1949)"),
)


def data_breaks(iso: str, first: int, last: int) -> list[DataBreak]:
    """The known breaks of ``iso``'s series within ``first .. last``."""
    return [b for b in DATA_BREAKS if b.iso == iso and first <= b.year <= last]


def laeven_valencia_frame() -> pd.DataFrame:
    """The Laeven-Valencia outcomes as a table, one row per crisis."""
    import pandas as pd

    return pd.DataFrame([o.to_dict() for o in LAEVEN_VALENCIA.values()])


def facts_frame(facts: dict[str, Fact]) -> pd.DataFrame:
    """A table of facts (key, value, unit, description, source)."""
    import pandas as pd

    return pd.DataFrame([f.to_dict() for f in facts.values()])
