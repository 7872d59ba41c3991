"""The typed tables reproduce the paper and Laeven-Valencia exactly (no data needed)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bsrlab.cases.facts import (
    JAPAN_FACTS,
    LAEVEN_VALENCIA,
    NORDIC_TABLE,
    NORDIC_TEXT_FACTS,
    US1929_FACTS,
    Fact,
    nordic_table_frame,
)
from bsrlab.core.errors import ConfigError

PAPER = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "von-peter-2004-bis-wp167.md"

# Section 5.2 as printed: Finland, Norway, Sweden.
NORDIC_PRINTED = {
    "Equity Price (% decline)": (67, 48, 40),
    "Residential Real Estate (% decline)": (40, 27, 21),
    "Commercial Real Estate (% decline)": (49, 43, 71),
    "Loan losses in peak year (% of GDP)": (4.4, 2.8, 3.8),
    "Non-performing loans (% of GDP)": (9, 9, 11),
    "Cumulative bank credit contraction (%)": (35.5, 4.9, 26.4),
}


def test_nordic_table_exact() -> None:
    frame = nordic_table_frame()
    assert list(frame.columns) == ["Finland", "Norway", "Sweden"]
    assert list(frame.index) == list(NORDIC_PRINTED)
    for label, values in NORDIC_PRINTED.items():
        assert tuple(frame.loc[label]) == values
    assert NORDIC_TABLE["Finland"].credit_contraction_period == "1991-95"
    assert NORDIC_TABLE["Norway"].credit_contraction_period == "1990-91"
    assert NORDIC_TABLE["Sweden"].credit_contraction_period == "1990-95"


@pytest.mark.skipif(not PAPER.is_file() and os.environ.get("BSRLAB_REQUIRE_DATA") != "1",
                    reason="the paper's text is not beside the repository")
def test_nordic_table_matches_the_papers_text() -> None:
    text = PAPER.read_text(encoding="utf-8")
    section = text[text.index("## 5.2 The Nordic Banking Crises"):text.index("### 5.3")]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*([^|]+?)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|", line)
        if m:
            rows[m.group(1)] = tuple(float(m.group(i)) for i in (2, 3, 4))
    assert rows == {k: tuple(float(v) for v in vals) for k, vals in NORDIC_PRINTED.items()}
    frame = nordic_table_frame()
    for label, values in rows.items():
        assert tuple(frame.loc[label]) == values


def test_section_5_1_facts() -> None:
    got = {k: f.value for k, f in JAPAN_FACTS.items()}
    assert got == {
        "equity_decline": 70, "residential_decline": 30, "commercial_decline": 60,
        "urban_commercial_land_decline": 85, "npl_gdp_low": 7, "npl_gdp_high": 8,
        "loan_losses_to_operating_profit": 13.2, "npl_disposal_cost_gdp": 17,
        "npl_disposal_cost_gdp_later": 20, "real_estate_lending_share": 12,
        "real_estate_related_lending_share": 25, "implied_tau": 70,
        "cumulative_deflation": 3, "capital_crunch_year": 1997, "equity_peak_year": 1989,
    }
    assert JAPAN_FACTS["implied_tau"].fraction == pytest.approx(0.7)
    assert JAPAN_FACTS["capital_crunch_year"].fraction == 1997
    assert all("Section 5" in f.source for f in JAPAN_FACTS.values())


def test_section_5_2_text_and_5_3_facts() -> None:
    assert NORDIC_TEXT_FACTS["equity_capital_assets"].value == 6
    assert NORDIC_TEXT_FACTS["loss_provisions_assets"].value == 3
    assert NORDIC_TEXT_FACTS["sweden_loan_losses_gdp"].value == 12
    assert NORDIC_TEXT_FACTS["sweden_lending_spread"].value == 5
    assert {k: f.value for k, f in US1929_FACTS.items() if f.unit == "%"} == {
        "equity_crash_1929": 24, "equity_decline": 80, "residential_decline": 50,
        "cpi_deflation": 27, "wpi_deflation": 38, "debt_service_income_1929": 9,
        "debt_service_income_1932": 20, "mortgage_default_rate": 38,
        "farm_mortgage_delinquency": 45, "loan_losses_charged_off": 2.6,
    }


def test_laeven_valencia_outcomes() -> None:
    got = {(o.country, o.start): (o.output_loss, o.fiscal_cost, o.peak_npl)
           for o in LAEVEN_VALENCIA.values()}
    assert got == {
        ("Japan", 1997): (45.0, 8.6, 35), ("Finland", 1991): (69.6, 12.8, 13),
        ("Norway", 1991): (5.1, 2.7, 16.4), ("Sweden", 1991): (32.9, 3.6, 13),
        ("United States", 2007): (30.0, 4.5, 5.0),
    }
    assert all("Laeven" in o.source for o in LAEVEN_VALENCIA.values())


def test_fact_validates_unit() -> None:
    with pytest.raises(ConfigError, match=r"unit must be '%', 'x' or 'year'; got 'pct'"):
        Fact(key="k", value=1.0, unit="pct", description="", source="")
