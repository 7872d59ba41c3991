"""The six episodes and what was observed in each, from the data where present, else the facts.

An :class:`Episode` fixes the dates: the window in which the pre-crisis peak of each asset price
is sought (``peak_window``), the last year searched for the trough (``end``) and the year whose
balance sheets calibrate the model (``calibration_year``, the eve of the crisis). The peak-to-trough
decline of a series is 1 - min(after the peak, to ``end``) / max(over ``peak_window``).

:func:`observe` computes an :class:`Observation` from the JST database (equity prices by
cumulating ``eq_capgain``, house prices ``hpnom``, credit ``tloans``/``gdp``, bank capital ``lev``,
rates, CPI) and the BIS quarterly house prices. With no data directory it falls back to the facts
of :mod:`bsrlab.cases.facts` and says so in ``source``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bsrlab.cases.facts import (
    JAPAN_FACTS,
    LAEVEN_VALENCIA,
    NORDIC_TABLE,
    NORDIC_TEXT_FACTS,
    US1929_FACTS,
    LVOutcome,
    data_breaks,
)
from bsrlab.core.errors import ConfigError
from bsrlab.data.loaders import load_bis, load_jst
from bsrlab.data.sources import BIS_NOMINAL, JST
from bsrlab.data.store import data_dirs
from bsrlab.models.vonpeter.constrained import EquilibriumKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EPISODES", "HEADLINE_ORDER", "OUTCOMES", "OUTCOME_DEFINITION", "Episode",
           "Observation", "classify_outcome", "episode", "equity_index", "largest_drawdown",
           "observe", "peak_to_trough"]

_CRUNCH = EquilibriumKind.CAPITAL_CRUNCH.outcome
_CRISIS = EquilibriumKind.BANKING_CRISIS.outcome
#: The outcomes an episode can have: ``capital_crunch`` or ``systemic_crisis``
#: (:attr:`~bsrlab.models.vonpeter.constrained.EquilibriumKind.outcome`).
OUTCOMES = (_CRUNCH, _CRISIS)

#: The one definition of an episode's outcome, applied to every episode.
OUTCOME_DEFINITION = (
    "systemic crisis: the banking system as a whole stopped working, with widespread bank "
    "failures that cost depositors or a suspension of payments (a bank holiday), the model's "
    "banking-crisis equilibrium delta = 1; capital crunch: bank capital was impaired and bank "
    "credit fell in real terms while the banking system kept working, with or without public "
    "capital, the model's crunch at delta* (von Peter 2004, Section 3, Proposition 4). "
    "Laeven and Valencia (2018) count every post-1970 episode here as a systemic banking "
    "crisis in their broader sense (significant distress and significant policy intervention); "
    "their classification is shown beside ours.")

#: The headline asset of an episode: real estate first, as in the paper's mechanism.
HEADLINE_ORDER = ("house", "house_bis", "commercial", "equity")


def classify_outcome(banking_system_failed: bool) -> str:
    """The outcome under :data:`OUTCOME_DEFINITION`: ``systemic_crisis`` when the banking system
    failed as a whole, else ``capital_crunch``.

    Examples
    --------
    >>> classify_outcome(True), classify_outcome(False)
    ('systemic_crisis', 'capital_crunch')
    """
    return _CRISIS if banking_system_failed else _CRUNCH


@dataclass(frozen=True, kw_only=True)
class Episode:
    """One crisis episode: its dates and what the literature says happened.

    ``outcome`` is ``capital_crunch`` (banks' capital was impaired and lending squeezed, the
    system held, possibly with public capital) or ``systemic_crisis`` (the banking system failed
    or needed a systemic rescue); ``outcome_text`` says it in words with the source.
    """

    name: str
    title: str
    country: str
    iso: str
    bis_code: str
    start: int
    end: int
    peak_window: tuple[int, int]
    calibration_year: int
    jst_crisis: int | None
    lv: LVOutcome | None
    outcome: str
    outcome_text: str
    banking_system_failed: bool = False
    paper: dict[str, float] = field(default_factory=dict)
    paper_deflation: float | None = None
    paper_capital_ratio: float | None = None
    observed_loan_losses: dict[str, float] = field(default_factory=dict)
    observed_spread: float | None = None
    spread_text: str = ""

    def __post_init__(self) -> None:
        if not self.peak_window[0] <= self.peak_window[1] <= self.end:
            raise ConfigError(f"episode '{self.name}': peak_window must lie before end "
                              f"({self.end}); got {self.peak_window}")
        if self.outcome not in OUTCOMES:
            raise ConfigError(f"episode '{self.name}': outcome must be '{_CRUNCH}' or "
                              f"'{_CRISIS}'; got {self.outcome!r}")
        if self.outcome != classify_outcome(self.banking_system_failed):
            raise ConfigError(f"episode '{self.name}': outcome {self.outcome!r} contradicts the "
                              f"definition (banking_system_failed={self.banking_system_failed})")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "country": self.country,
                "start": self.start, "end": self.end, "peak_window": list(self.peak_window),
                "calibration_year": self.calibration_year, "jst_crisis": self.jst_crisis,
                "outcome": self.outcome, "outcome_text": self.outcome_text,
                "banking_system_failed": self.banking_system_failed,
                "outcome_definition": OUTCOME_DEFINITION,
                "laeven_valencia": self.lv.to_dict() if self.lv else None}


def _nordic(country: str, name: str, iso: str, bis: str, start: int, end: int,
            peak: tuple[int, int], cal: int, jst: int, outcome: str, text: str,
            spread: float | None, spread_text: str) -> Episode:
    col = NORDIC_TABLE[country]
    return Episode(
        name=name, title=f"{country}: the Nordic banking crisis", country=country, iso=iso,
        bis_code=bis, start=start, end=end, peak_window=peak, calibration_year=cal,
        jst_crisis=jst, lv=LAEVEN_VALENCIA[f"{country}1991"], outcome=outcome, outcome_text=text,
        banking_system_failed=outcome == _CRISIS,
        paper={"equity": col.equity_decline / 100, "house": col.residential_decline / 100,
               "commercial": col.commercial_decline / 100},
        paper_deflation=0.0,
        paper_capital_ratio=NORDIC_TEXT_FACTS["equity_capital_assets"].fraction,
        observed_loan_losses={"loan_losses_peak_year_gdp": col.loan_losses_peak_year_gdp / 100,
                              "npl_gdp": col.npl_gdp / 100},
        observed_spread=spread, spread_text=spread_text)


#: The six episodes, by name.
EPISODES: dict[str, Episode] = {e.name: e for e in (
    Episode(
        name="japan-1990s", title="Japan's Lost Decade", country="Japan", iso="JPN",
        bis_code="JP", start=1990, end=2003, peak_window=(1985, 1992), calibration_year=1990,
        jst_crisis=1997, lv=LAEVEN_VALENCIA["Japan1997"], outcome=_CRUNCH,
        outcome_text=("a capital crunch in fiscal 1997 with a short, contained spell of "
                      "instability; the banking system did not collapse (von Peter 2004, 5.1); "
                      "a systemic banking crisis from 1997 in Laeven-Valencia (2018)"),
        banking_system_failed=False,
        paper={"equity": JAPAN_FACTS["equity_decline"].fraction,
               "house": JAPAN_FACTS["residential_decline"].fraction,
               "commercial": JAPAN_FACTS["commercial_decline"].fraction},
        paper_deflation=JAPAN_FACTS["cumulative_deflation"].fraction,
        observed_loan_losses={"npl_gdp": (JAPAN_FACTS["npl_gdp_low"].fraction
                                          + JAPAN_FACTS["npl_gdp_high"].fraction) / 2,
                              "npl_disposal_cost_gdp":
                                  JAPAN_FACTS["npl_disposal_cost_gdp"].fraction},
        observed_spread=None,
        spread_text="spreads remained small (Hoggarth and Thomas 1999, quoted in 5.1)"),
    _nordic("Finland", "finland-1990s", "FIN", "FI", 1990, 1995, (1985, 1990), 1990, 1991,
            _CRUNCH,
            "a capital crunch in 1991-92 and a public rescue of about 10% of GDP "
            "(von Peter 2004, 5.2)", None, "not reported in the paper"),
    _nordic("Norway", "norway-1990s", "NOR", "NO", 1988, 1993, (1983, 1990), 1987, 1988,
            _CRUNCH,
            "a capital crunch: heavy loan losses; the banking system kept operating with public "
            "capital injections (Sandal 2004, quoted in 5.2); a systemic banking crisis from "
            "1991 in Laeven-Valencia (2018)", None, "not reported in the paper"),
    _nordic("Sweden", "sweden-1990s", "SWE", "SE", 1990, 1995, (1985, 1990), 1990, 1991,
            _CRUNCH,
            "a capital crunch (credit -26%, the lending spread up to 5%); five of the seven "
            "largest banks needed capital from the state or owners (von Peter 2004, 5.2)",
            NORDIC_TEXT_FACTS["sweden_lending_spread"].fraction,
            "the lending spread rose to 5% (Englund 1999, quoted in 5.2)"),
    Episode(
        name="us-1929", title="The US Great Depression", country="United States", iso="USA",
        bis_code="US", start=1929, end=1933, peak_window=(1925, 1929), calibration_year=1929,
        jst_crisis=1930, lv=None, outcome=_CRISIS,
        outcome_text=("a systemic crisis: a capital crunch that bank runs tipped into the "
                      "collapse of the banking system and the bank holiday of March 1933 "
                      "(von Peter 2004, 5.3)"),
        banking_system_failed=True,
        paper={"equity": US1929_FACTS["equity_decline"].fraction,
               "house": US1929_FACTS["residential_decline"].fraction},
        paper_deflation=US1929_FACTS["cpi_deflation"].fraction,
        observed_loan_losses={"loan_losses_charged_off_loans":
                              US1929_FACTS["loan_losses_charged_off"].fraction},
        observed_spread=None, spread_text="no spread figure in the paper"),
    Episode(
        name="us-2008", title="The US crisis of 2007-09", country="United States", iso="USA",
        bis_code="US", start=2007, end=2012, peak_window=(2003, 2007), calibration_year=2007,
        jst_crisis=2007, lv=LAEVEN_VALENCIA["United States2007"], outcome=_CRUNCH,
        outcome_text=("a capital crunch: large bank losses and a fall of real bank credit, the "
                      "banking system kept working with public capital (TARP); a systemic "
                      "banking crisis from 2007 in Laeven-Valencia (2018)"),
        banking_system_failed=False,
        paper={}, paper_deflation=None, observed_loan_losses={},
        observed_spread=None, spread_text="not covered by the paper"),
)}


def episode(name: str) -> Episode:
    """The episode called ``name``; an unknown name raises ConfigError listing the known ones."""
    try:
        return EPISODES[name]
    except KeyError:
        raise ConfigError(f"case must be one of {', '.join(EPISODES)}; got {name!r}") from None


def equity_index(sub: pd.DataFrame, first: int, last: int) -> pd.Series:
    """An equity price index over ``first - 1 .. last`` (= 1 in ``first - 1``).

    Cumulates the yearly capital gain ``eq_capgain`` (the change from the end of the previous
    year); a missing year makes the rest of the index missing.
    """
    import pandas as pd

    s = sub[(sub["year"] >= first) & (sub["year"] <= last)]
    g = s["eq_capgain"].to_numpy(dtype=np.float64)
    idx = np.concatenate([[1.0], np.cumprod(1.0 + g)])
    return pd.Series(idx, index=np.concatenate([[first - 1], s["year"].to_numpy()]))


def peak_to_trough(series: pd.Series, peak_window: tuple[Any, Any], end: Any
                   ) -> tuple[float, Any, Any]:
    """(decline, peak date, trough date): the peak over ``peak_window``, the trough after it.

    The index of ``series`` is the date (year or timestamp); NaNs are ignored. Returns NaN and
    None dates when the window holds no finite value.
    """
    s = series.dropna()
    win = s[(s.index >= peak_window[0]) & (s.index <= peak_window[1])]
    if win.empty:
        return float("nan"), None, None
    peak_at = win.idxmax()
    after = s[(s.index >= peak_at) & (s.index <= end)]
    trough_at = after.idxmin()
    return float(1.0 - after[trough_at] / win[peak_at]), peak_at, trough_at


@dataclass(frozen=True, kw_only=True)
class Observation:
    """What happened in an episode. Declines and ratios are fractions (0.7 = 70 %).

    ``source`` is ``"data"`` (JST and BIS) or ``"facts"`` (the typed tables; no data directory).
    ``declines`` maps an asset class (``equity``, ``house``, ``house_bis``, ``commercial``) to
    its peak-to-trough decline; ``dates`` to its (peak, trough). ``credit_gdp`` and
    ``capital_ratio`` are taken in the calibration year; ``deflation`` is the largest fall of the
    CPI within the episode (it looks ahead; only the ``literal`` calibration uses it) and
    ``trailing_deflation`` the largest fall in the ten years up to the calibration year;
    ``inflation`` the mean CPI inflation of the five years before it. ``credit_contraction``
    is the largest real drawdown of bank loans (deflated by the GDP deflator) from the
    calibration year to the end of the episode. ``data_breaks`` names known breaks in the
    series of the episode's window.
    """

    episode: str
    source: str
    declines: dict[str, float]
    dates: dict[str, tuple[str, str]]
    paper_declines: dict[str, float]
    credit_gdp: float | None
    capital_ratio: float | None
    short_rate: float | None
    long_rate: float | None
    inflation: float | None
    deflation: float | None
    credit_contraction: float | None
    notes: tuple[str, ...] = ()
    trailing_deflation: float | None = None
    rent_yield: float | None = None
    credit_contraction_dates: tuple[str, str] | None = None
    data_breaks: tuple[str, ...] = ()

    @property
    def headline_asset(self) -> str:
        """The asset whose decline drives the diagnosis: real estate (the paper's asset; JST
        house prices, else BIS, else the paper's commercial property), else equity."""
        for k in HEADLINE_ORDER:
            if k in self.declines and np.isfinite(self.declines[k]):
                return k
        return ""

    @property
    def headline_decline(self) -> float | None:
        k = self.headline_asset
        return self.declines[k] if k else None

    def to_dict(self) -> dict[str, Any]:
        return {"episode": self.episode, "source": self.source, "declines": self.declines,
                "dates": {k: list(v) for k, v in self.dates.items()},
                "paper_declines": self.paper_declines, "headline_asset": self.headline_asset,
                "headline_decline": self.headline_decline, "credit_gdp": self.credit_gdp,
                "capital_ratio": self.capital_ratio, "short_rate": self.short_rate,
                "long_rate": self.long_rate, "inflation": self.inflation,
                "deflation": self.deflation, "credit_contraction": self.credit_contraction,
                "credit_contraction_dates": (list(self.credit_contraction_dates)
                                             if self.credit_contraction_dates else None),
                "trailing_deflation": self.trailing_deflation, "rent_yield": self.rent_yield,
                "data_breaks": list(self.data_breaks), "notes": list(self.notes)}


def data_available(data_dir: str | os.PathLike[str] | None = None) -> bool:
    """Whether the JST file is present in a searched directory (not whether it verifies)."""
    return any((d / JST.filename).is_file() for d in data_dirs(data_dir))


def _from_facts(ep: Episode) -> Observation:
    return Observation(
        episode=ep.name, source="facts", declines=dict(ep.paper), dates={},
        paper_declines=dict(ep.paper), credit_gdp=None, capital_ratio=ep.paper_capital_ratio,
        short_rate=None, long_rate=None, inflation=None, deflation=ep.paper_deflation,
        credit_contraction=None,
        notes=("no data directory: declines and deflation are the facts typed in from "
               "von Peter (2004), Section 5",),
        data_breaks=tuple(b.text for b in data_breaks(ep.iso, ep.peak_window[0] - 3,
                                                     ep.end + 3)))


def _val(sub: pd.DataFrame, year: int, col: str) -> float | None:
    row = sub[sub["year"] == year]
    if row.empty:
        return None
    v = float(row[col].iloc[0])
    return v if np.isfinite(v) else None


def observe(ep: Episode, data_dir: str | os.PathLike[str] | None = None) -> Observation:
    """The observation of ``ep``: from the data when the JST file is there, else from the facts.

    A JST file that is present but fails its checksum raises DataError (it is not skipped).
    """
    if not data_available(data_dir):
        return _from_facts(ep)
    import pandas as pd

    jst = load_jst(data_dir)
    sub = jst[jst["iso"] == ep.iso].sort_values("year")
    declines: dict[str, float] = {}
    dates: dict[str, tuple[str, str]] = {}
    eq = equity_index(sub, ep.peak_window[0], ep.end)
    d, pk, tr = peak_to_trough(eq, ep.peak_window, ep.end)
    if np.isfinite(d):
        declines["equity"], dates["equity"] = d, (str(pk), str(tr))
    hp = pd.Series(sub["hpnom"].to_numpy(), index=sub["year"].to_numpy())
    d, pk, tr = peak_to_trough(hp, ep.peak_window, ep.end)
    if np.isfinite(d):
        declines["house"], dates["house"] = d, (str(pk), str(tr))
    notes = ["declines from JST R6 year-end data (equity: cumulated eq_capgain; house: hpnom)"]
    bis_path_ok = any((dd / BIS_NOMINAL.filename).is_file() for dd in data_dirs(data_dir))
    if bis_path_ok:
        bis = load_bis("nominal", data_dir)
        b = bis[bis["country_code"] == ep.bis_code]
        qs = pd.Series(b["price"].to_numpy(), index=b["date"].dt.year.to_numpy()
                       + (b["date"].dt.quarter.to_numpy() - 1) / 4.0)
        d, pk, tr = peak_to_trough(qs, (ep.peak_window[0], ep.peak_window[1] + 0.75),
                                   ep.end + 0.75)
        if np.isfinite(d):
            declines["house_bis"] = d
            dates["house_bis"] = (_quarter(pk), _quarter(tr))
    if "commercial" in ep.paper:
        declines["commercial"] = ep.paper["commercial"]
        notes.append("commercial property: the paper's figure (no series in the data)")
    cy = ep.calibration_year
    lev, loans, gdp = _val(sub, cy, "lev"), _val(sub, cy, "tloans"), _val(sub, cy, "gdp")
    stir, ltrate = _val(sub, cy, "stir"), _val(sub, cy, "ltrate")
    cpi = pd.Series(sub["cpi"].to_numpy(), index=sub["year"].to_numpy())
    pre = cpi[(cpi.index >= cy - 5) & (cpi.index <= cy)].dropna()
    inflation = (float((pre.iloc[-1] / pre.iloc[0]) ** (1.0 / (len(pre) - 1)) - 1.0)
                 if len(pre) > 1 else None)
    win = cpi[(cpi.index >= cy) & (cpi.index <= ep.end)].dropna().to_numpy()
    deflation = float(np.max(1.0 - win / np.maximum.accumulate(win))) if win.size else None
    tw = cpi[(cpi.index > cy - 10) & (cpi.index <= cy)].dropna().to_numpy()
    trailing = float(np.max(1.0 - tw / np.maximum.accumulate(tw))) if tw.size else None
    deflator = sub["gdp"].to_numpy() / (sub["rgdpbarro"].to_numpy() * sub["pop"].to_numpy())
    real_credit = pd.Series(sub["tloans"].to_numpy() / deflator, index=sub["year"].to_numpy())
    cc, cc_dates = largest_drawdown(real_credit, cy, ep.end)
    rent = _val(sub, cy, "housing_rent_yd")
    breaks = data_breaks(ep.iso, ep.peak_window[0] - 3, ep.end + 3)
    notes.append("credit contraction: the largest fall of real bank loans (JST tloans over the "
                 f"GDP deflator) from {cy} to {ep.end}")
    return Observation(
        episode=ep.name, source="data", declines=declines, dates=dates,
        paper_declines=dict(ep.paper),
        credit_gdp=loans / gdp if loans is not None and gdp else None,
        capital_ratio=lev / 100.0 if lev is not None else None,
        short_rate=stir / 100.0 if stir is not None else None,
        long_rate=ltrate / 100.0 if ltrate is not None else None,
        inflation=inflation, deflation=deflation,
        credit_contraction=cc if np.isfinite(cc) else None, notes=tuple(notes),
        trailing_deflation=trailing, rent_yield=rent,
        credit_contraction_dates=cc_dates, data_breaks=tuple(b.text for b in breaks))


def largest_drawdown(series: pd.Series, first: int, last: int
                     ) -> tuple[float, tuple[str, str] | None]:
    """The largest fall 1 - x_t2/x_t1 (t1 <= t2) within ``first .. last``, with its dates.

    Examples
    --------
    >>> import pandas as pd
    >>> largest_drawdown(pd.Series([1.0, 4.0, 2.0, 3.0, 1.0], index=range(2000, 2005)),
    ...                  2000, 2004)
    (0.75, ('2001', '2004'))
    """
    s = series.dropna()
    s = s[(s.index >= first) & (s.index <= last)]
    if s.empty:
        return float("nan"), None
    v = s.to_numpy(dtype=np.float64)
    peak = np.maximum.accumulate(v)
    dd = 1.0 - v / peak
    j = int(np.argmax(dd))
    i = int(np.argmax(v[:j + 1]))
    return float(dd[j]), (str(s.index[i]), str(s.index[j]))


def _quarter(t: Any) -> str:
    y = int(np.floor(t))
    return f"{y}Q{round((t - y) * 4) + 1}"
