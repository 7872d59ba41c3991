"""Every declared data break is in the data, and the flag reaches the case tables and charts."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from bsrlab.cases.diagnose import diagnose
from bsrlab.cases.episodes import EPISODES, Episode
from bsrlab.cases.facts import DATA_BREAKS, DataBreak, data_breaks
from bsrlab.data.loaders import load_jst
from bsrlab.data.sources import JST
from bsrlab.presentation.content.model import FigureItem

JST_ISOS = {"AUS", "BEL", "CAN", "CHE", "DEU", "DNK", "ESP", "FIN", "FRA", "GBR", "IRL", "ITA",
            "JPN", "NLD", "NOR", "PRT", "SWE", "USA"}


def _series(jst: pd.DataFrame, iso: str, col: str) -> pd.Series:
    g = jst[jst["iso"] == iso].sort_values("year")
    return pd.Series(g[col].to_numpy(dtype=np.float64), index=g["year"].to_numpy())


def _dlog(s: pd.Series, year: int) -> float:
    return float(np.log(s[year]) - np.log(s[year - 1]))


def _credit_gdp(jst: pd.DataFrame, iso: str) -> pd.Series:
    return _series(jst, iso, "tloans") / _series(jst, iso, "gdp")


def _deflator_gap(jst: pd.DataFrame, iso: str, year: int) -> float:
    """Change of the implied GDP deflator minus the change of the CPI (log points)."""
    real = _series(jst, iso, "rgdpbarro") * _series(jst, iso, "pop")
    return _dlog(_series(jst, iso, "gdp") / real, year) - _dlog(_series(jst, iso, "cpi"), year)


def _robust_z(changes: pd.Series, year: int, half: int = 5) -> float:
    """How far the change of ``year`` lies from the changes of the ``half`` years either side."""
    near = changes[(changes.index >= year - half) & (changes.index <= year + half)
                   & (changes.index != year)].dropna()
    assert len(near) >= 2 * half - 1
    med = float(near.median())
    mad = 1.4826 * float(np.median(np.abs(near - med)))
    return (float(changes[year]) - med) / max(mad, 0.005)


Check = Callable[[pd.DataFrame], bool]

#: What each declared break looks like in the data (the figures its text gives).
EVIDENCE: dict[tuple[str, str, int], Check] = {
    ("JPN", "tloans", 1993): lambda j: (_dlog(_series(j, "JPN", "tloans"), 1993) > 0.14
                                        and abs(_dlog(_series(j, "JPN", "gdp"), 1993)) < 0.01),
    ("DEU", "tloans", 1990): lambda j: (_dlog(_series(j, "DEU", "tloans"), 1990) > 0.15
                                        and _dlog(_credit_gdp(j, "DEU"), 1990) > 0.07
                                        and _dlog(_credit_gdp(j, "DEU"), 1991) < -0.08),
    ("DEU", "gdp", 1991): lambda j: (_dlog(_series(j, "DEU", "pop"), 1991) > 0.2
                                     and _dlog(_series(j, "DEU", "gdp"), 1991) > 0.15
                                     and _deflator_gap(j, "DEU", 1991) < -0.1),
    ("IRL", "gdp", 2015): lambda j: (_dlog(_series(j, "IRL", "gdp"), 2015) > 0.25
                                     and _dlog(_credit_gdp(j, "IRL"), 2015) < -0.3),
    ("NOR", "gdp", 1970): lambda j: (_deflator_gap(j, "NOR", 1970) > 0.15
                                     and _dlog(_credit_gdp(j, "NOR"), 1970) < -0.15),
    ("NLD", "gdp", 1969): lambda j: (_deflator_gap(j, "NLD", 1969) > 0.08
                                     and _dlog(_credit_gdp(j, "NLD"), 1969) < -0.1),
    ("NOR", "gdp", 1960): lambda j: (_deflator_gap(j, "NOR", 1960) < -0.07
                                     and _dlog(_series(j, "NOR", "gdp"), 1960) < 0
                                     and _dlog(_credit_gdp(j, "NOR"), 1960) > 0.2),
    ("AUS", "hpnom", 1950): lambda j: (_series(j, "AUS", "hpnom").loc[1943:1949].nunique() == 1
                                       and _dlog(_series(j, "AUS", "hpnom"), 1950) > 0.8),
}


def _key(b: DataBreak) -> tuple[str, str, int]:
    return (b.iso, b.variable, b.year)


def _window(ep: Episode) -> tuple[int, int]:
    """The years whose breaks an episode's tables and charts flag (as in episodes.observe)."""
    return ep.peak_window[0] - 3, ep.end + 3


def test_the_break_table_is_well_formed() -> None:
    assert len({_key(b) for b in DATA_BREAKS}) == len(DATA_BREAKS)
    for b in DATA_BREAKS:
        assert b.iso in JST_ISOS
        assert b.variable in JST.columns
        assert str(b.year) in b.text or str(b.year) in b.source, b
        assert b.text and b.source, b
        assert data_breaks(b.iso, b.year, b.year) == [b]
        assert b.to_dict()["source"] == b.source
    # every break has its evidence below, and nothing is checked that is not declared
    assert {_key(b) for b in DATA_BREAKS} == set(EVIDENCE)


@pytest.mark.parametrize("brk", DATA_BREAKS, ids=lambda b: f"{b.iso}-{b.variable}-{b.year}")
def test_every_declared_break_is_in_the_data(data_dir: Path, brk: DataBreak) -> None:
    jst = load_jst(data_dir)
    assert EVIDENCE[_key(brk)](jst)
    # the one-year change of the declared series is an outlier against its neighbours
    changes = np.log(_series(jst, brk.iso, brk.variable)).diff()
    assert abs(_robust_z(changes, brk.year)) >= 5.0


def test_only_japan_1993_falls_in_a_case_window() -> None:
    hits = {(ep.name, b.year) for ep in EPISODES.values()
            for b in data_breaks(ep.iso, *_window(ep))}
    assert hits == {("japan-1990s", 1993)}


def test_the_flag_reaches_the_case_tables_and_chart(data_dir: Path) -> None:
    from bsrlab.presentation.content.cases import case_section, diagnosis_table

    for name, ep in EPISODES.items():
        breaks = data_breaks(ep.iso, *_window(ep))
        d = diagnose(name)
        assert list(d.data_notes) == [b.text for b in breaks]
        table = diagnosis_table([d]).set_index("quantity")
        assert table.loc["data breaks", name] == ("yes (see notes)" if breaks else "none known")
    # the episode with a break: its page says it in words and marks it on the credit panel
    ep = EPISODES["japan-1990s"]
    (brk,) = data_breaks(ep.iso, *_window(ep))
    section = case_section("japan-1990s", data_dir)
    assert "Data breaks." in section.intro and html.escape(brk.text) in section.intro
    fig_item = section.items[0]
    assert isinstance(fig_item, FigureItem)
    marks = fig_item.data[fig_item.data["panel"] == "breaks"]
    assert list(marks["date"]) == [float(brk.year)]
    assert list(marks["series"]) == [f"data break: {brk.variable}"]
    plt.close(fig_item.figure)


def test_the_flag_reaches_the_tables_without_data(no_data: Path) -> None:
    from bsrlab.presentation.content.cases import diagnosis_table

    d = diagnose("japan-1990s")
    assert d.observation.source == "facts"
    assert d.data_notes and "1993" in d.data_notes[0]
    table = diagnosis_table([d]).set_index("quantity")
    assert table.loc["data breaks", "japan-1990s"] == "yes (see notes)"
