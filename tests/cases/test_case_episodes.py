"""Episodes from the data and from the facts; diagnoses are consistent with the model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from bsrlab.cases import EPISODES, diagnose, diagnose_all, episode, observe
from bsrlab.cases.calibrate import calibration_spec
from bsrlab.cases.episodes import peak_to_trough
from bsrlab.core.errors import ConfigError
from bsrlab.presentation.content.cases import report_section
from bsrlab.presentation.content.model import FigureItem, TableItem
from bsrlab.vonpeter import solve


def test_peak_to_trough_known_answer() -> None:
    s = pd.Series([1.0, 2.0, 4.0, 3.0, 1.0, 5.0], index=[2000, 2001, 2002, 2003, 2004, 2005])
    assert peak_to_trough(s, (2000, 2002), 2004) == (0.75, 2002, 2004)
    assert peak_to_trough(s, (2000, 2002), 2003) == (0.25, 2002, 2003)


def test_unknown_episode() -> None:
    with pytest.raises(ConfigError, match=r"case must be one of japan-1990s, .*; got 'x'"):
        episode("x")


def test_facts_only_diagnoses(no_data: Path) -> None:
    diags = {d.episode.name: d for d in diagnose_all()}
    assert list(diags) == list(EPISODES)
    assert all(d.observation.source == "facts" for d in diags.values())
    jp = diags["japan-1990s"]
    # the headline asset is real estate (the paper's 30% residential decline)
    assert jp.observed_decline == 0.3 and jp.decline_asset == "house"
    assert jp.implied_tau_by_asset["equity"] == pytest.approx(0.70, abs=1e-12)  # gamma = 0
    assert jp.calibration.R == 1.05 and jp.calibration.alpha == 0.25
    assert [c["name"] for c in jp.calibrations] == ["facts"]
    assert pytest.approx(1 / 0.94) == diags["finland-1990s"].calibration.R
    assert diags["us-2008"].implied_tau is None
    assert diags["us-2008"].agreement == "no decline observed"
    sec = report_section()
    assert "no data directory" in sec.intro
    assert [type(i) for i in sec.items] == [TableItem, FigureItem]


def test_observations_from_data(data_dir: Path) -> None:
    obs = {n: observe(e) for n, e in EPISODES.items()}
    assert all(o.source == "data" for o in obs.values())
    # residential declines in the data agree with the paper's (BIS) figures to 5 points
    for name in ("japan-1990s", "finland-1990s", "norway-1990s", "sweden-1990s"):
        o = obs[name]
        assert o.declines["house"] == pytest.approx(o.paper_declines["house"], abs=0.05)
    jp = obs["japan-1990s"]
    assert jp.dates["equity"] == ("1989", "2003")  # the 1989 peak of Section 5.1
    assert jp.declines["equity"] == pytest.approx(0.6389892098239534, rel=1e-12)
    assert jp.capital_ratio == pytest.approx(0.037552826404571533, rel=1e-12)
    assert jp.credit_gdp == pytest.approx(0.9407876580070057, rel=1e-12)
    assert jp.deflation == pytest.approx(0.029, abs=0.002)  # Ueda (2003): about 3%
    us = obs["us-1929"]
    assert us.deflation == pytest.approx(0.2398, abs=1e-4)  # the paper: 27% (BLS, monthly)
    assert us.declines["equity"] > 0.7
    assert all(o.headline_asset == "house" for o in obs.values())


def test_credit_contraction_against_the_paper(data_dir: Path) -> None:
    """The largest real drawdown of bank loans: Sweden and Finland within 5 points of the
    Section 5.2 table; Norway and the US 2008 a positive real contraction."""
    from bsrlab.cases.facts import NORDIC_TABLE

    for name, country in (("sweden-1990s", "Sweden"), ("finland-1990s", "Finland")):
        cc = observe(EPISODES[name]).credit_contraction
        assert cc == pytest.approx(NORDIC_TABLE[country].credit_contraction / 100, abs=0.05)
    for name in ("norway-1990s", "us-2008"):
        cc = observe(EPISODES[name]).credit_contraction
        assert cc is not None and cc > 0.01
    jp = observe(EPISODES["japan-1990s"])
    assert jp.data_breaks and "1993" in jp.data_breaks[0]


def test_one_outcome_definition() -> None:
    from bsrlab.cases.episodes import OUTCOME_DEFINITION, classify_outcome

    for e in EPISODES.values():
        assert e.outcome == classify_outcome(e.banking_system_failed)
        assert e.to_dict()["outcome_definition"] == OUTCOME_DEFINITION
    assert [e.name for e in EPISODES.values() if e.outcome == "systemic_crisis"] == ["us-1929"]
    with pytest.raises(ConfigError, match="contradicts the definition"):
        dataclasses.replace(EPISODES["us-2008"], outcome="systemic_crisis")


def test_calibrations_side_by_side(data_dir: Path) -> None:
    for d in diagnose_all():
        names = [c["name"] for c in d.calibrations]
        assert names == ["collateral", "literal", "facts"]
        assert d.calibrations_text
        coll = d.calibrations[0]
        assert coll["thresholds"]["delta_star"] == d.thresholds["delta_star"]
        lo, hi = d.delta_star_band or (None, None)
        assert lo is not None and lo < d.thresholds["delta_star"]
        assert hi is None or d.thresholds["delta_star"] < hi
        # the crunch spread only where the diagnosis finds a crunch
        if d.predicted_regime != "capital_absorbs":
            assert d.predicted_spread is None
        assert d.to_dict()["data_notes"] == list(d.data_notes)


def test_diagnoses_from_data_are_consistent(data_dir: Path) -> None:
    for d in diagnose_all():
        th = d.thresholds
        assert 0.0 < th["delta_star"] < th["delta_K"] < 1.0
        assert d.implied_tau is not None and d.observed_decline is not None
        # the implied shock reproduces the observed decline in the solver
        sol = solve(d.calibration.params, d.implied_tau)
        assert float(sol.delta) == pytest.approx(d.observed_decline, abs=1e-9)
        assert float(sol.loan_losses) == pytest.approx(d.predicted_loan_losses["gdp"], abs=1e-12)
        if d.implied_tau < th["tau_0"]:
            assert d.predicted_loan_losses["gdp"] == 0.0
        if d.observed_decline < th["delta_star"]:
            assert d.predicted_regime != "systemic_crisis"
    jp = diagnose("japan-1990s")
    assert jp.calibration.all_matched and jp.calibration.name == "collateral"
    assert jp.thresholds["delta_star"] == pytest.approx(0.2923, abs=1e-4)
    lit = diagnose("japan-1990s", spec=calibration_spec("literal"))
    assert not lit.calibration.matched["credit_gdp"]
    assert lit.predicted_regime == "firms_absorb" and lit.agreement == "model too mild"
    R, g = lit.calibration.R, lit.calibration.gamma
    assert lit.required_credit_gdp is not None and jp.required_credit_gdp is not None
    a = (R - 1.0) * lit.required_credit_gdp
    assert (R - 1.0) * ((R / a) ** (1.0 - g) - 1.0) == pytest.approx(lit.observed_decline)
    # collateral: bank credit is phi times the collateral value at which delta* = the decline
    R = jp.calibration.R
    a = (R - 1.0) * jp.required_credit_gdp / 0.3
    assert (R - 1.0) * (R / a - 1.0) == pytest.approx(jp.observed_decline)
    out = diagnose("japan-1990s").to_dict()
    for key in ("name", "start", "end", "observed_decline", "calibration", "thresholds",
                "implied_tau", "predicted_regime", "observed_outcome", "predicted_loan_losses",
                "observed_loan_losses"):
        assert key in out
