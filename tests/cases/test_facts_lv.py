"""The Laeven-Valencia (2018) values agree with the copy of the database they were checked against.

The rows below are those of the 18 JST economies in ``LaevenValencia2018_sysBankingCrisesDB.csv``
(github.com/22f1000610/EWS, commit 0605b226aa117ea49969dc8b001e3daecbded97e), the IMF WP/18/206
spreadsheet converted by ``src/BankingCrisisDB.do`` of github.com/chickymonkeys/
LaevenValenciaBankingCrises: start and end year, and output loss (``yloss``), gross fiscal cost
(``fcost_v1``) and peak NPLs (``maxnpl``) with the digits the copy prints.
"""

from __future__ import annotations

import pytest

from bsrlab.cases.facts import LAEVEN_VALENCIA, LV_CHECKED_AGAINST, LV_COVERAGE, LV_CRISES

# iso -> ((startyear, endyear), ...); Australia and Canada have fsysbank = 0 (no crisis).
SOURCE_CRISES: dict[str, tuple[tuple[int, int], ...]] = {
    "AUS": (), "BEL": ((2008, 2012),), "CAN": (), "CHE": ((2008, 2009),),
    "DEU": ((2008, 2009),), "DNK": ((2008, 2009),), "ESP": ((1977, 1981), (2008, 2012)),
    "FIN": ((1991, 1995),), "FRA": ((2008, 2009),), "GBR": ((2007, 2011),),
    "IRL": ((2008, 2012),), "ITA": ((2008, 2009),), "JPN": ((1997, 2001),),
    "NLD": ((2008, 2009),), "NOR": ((1991, 1993),), "PRT": ((2008, 2012),),
    "SWE": ((1991, 1995), (2008, 2009)), "USA": ((1988, 1988), (2007, 2011)),
}

# (country, startyear) -> (yloss, fcost_v1, maxnpl) as the copy prints them.
SOURCE_OUTCOMES: dict[tuple[str, int], tuple[float, float, float]] = {
    ("Japan", 1997): (44.9997801, 8.6, 35.0),
    ("Finland", 1991): (69.5903144, 12.8, 13.0),
    ("Norway", 1991): (5.1451541, 2.7, 16.4),
    ("Sweden", 1991): (32.9045968, 3.6, 13.0),
    ("United States", 2007): (30.003834, 4.5, 4.99),
}


def test_crisis_dates_match_the_source() -> None:
    assert LV_CRISES == SOURCE_CRISES
    assert sum(len(v) for v in LV_CRISES.values()) == 19
    for spells in LV_CRISES.values():
        for start, end in spells:
            assert LV_COVERAGE[0] <= start <= end <= LV_COVERAGE[1]


def test_outcomes_match_the_source_to_one_decimal() -> None:
    got = {(o.country, o.start): (o.output_loss, o.fiscal_cost, o.peak_npl)
           for o in LAEVEN_VALENCIA.values()}
    assert set(got) == set(SOURCE_OUTCOMES)
    for key, values in SOURCE_OUTCOMES.items():
        assert got[key] == pytest.approx(tuple(round(v, 1) for v in values), abs=1e-12), key
    # every outcome belongs to a crisis of the chronology, with the same start year
    iso = {"Japan": "JPN", "Finland": "FIN", "Norway": "NOR", "Sweden": "SWE",
           "United States": "USA"}
    for country, start in got:
        assert start in [s for s, _ in LV_CRISES[iso[country]]]


def test_the_check_names_its_source() -> None:
    assert "0605b226aa117ea49969dc8b001e3daecbded97e" in LV_CHECKED_AGAINST
    assert "LaevenValencia2018_sysBankingCrisesDB.csv" in LV_CHECKED_AGAINST
    assert "BankingCrisisDB.do" in LV_CHECKED_AGAINST
