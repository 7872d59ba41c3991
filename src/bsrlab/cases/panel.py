"""The panel test: does "the asset price decline crossed delta*" predict banking crises?

For every JST country-year t:

- the running peak-to-trough decline of house prices, 1 - P_t / max(P_{t-W+1}, ..., P_t), and of
  equity prices (from the yearly capital gains), over a trailing window of W = 10 years; the
  asset price decline is the larger of the two (either asset class can carry the losses);
- the calibrated capital-crunch threshold delta* = (R - 1)[(R/alpha)^(1-gamma) - 1]   (28) with
  R from the bank capital ratio (``lev``), alpha = (R - 1) credit/GDP and gamma from the running
  CPI drawdown (see :mod:`bsrlab.cases.calibrate`). Where credit/GDP <= 1 the formula is used
  beyond the admissible box and gives delta* >= 1 (no crunch possible): the margin keeps its
  ranking information;
- the event: a JST crisis start (``crisisJST``) within t - 2 .. t + 2.

A rule signals when its score crosses its cut-off. For each rule the test reports the hit rate
(signals among event years), the false-alarm rate (signals among other years), the ROC AUC of the
score (Mann-Whitney, ties counted one half) and how many crises had a signal within +/-2 years.
Rules: the model (score decline - delta*, cut-off 0), a fixed 30% decline (score: the decline)
and credit growth (score: the 5-year change of credit/GDP, cut-off 0.10). All rules are scored on
the same country-years: those where every score is defined. The computation is deterministic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.data.loaders import load_jst
from bsrlab.models.vonpeter.closed import (
    alpha_from_asset_ratio,
    delta_star,
    gamma_from_deflation,
    rate_from_capital_ratio,
)

__all__ = ["PanelResult", "RuleScore", "auc", "panel_frame", "panel_test"]

WINDOW = 10
HORIZON = 2
FIXED_DECLINE = 0.30
CREDIT_LAG = 5
CREDIT_CUTOFF = 0.10
GAMMA_MAX = 0.95


def auc(score: NDArray[np.float64], event: NDArray[np.bool_]) -> float:
    """ROC AUC of ``score`` for ``event`` by the Mann-Whitney statistic (ties count 1/2).

    Returns NaN when either class is empty.
    """
    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(event, dtype=bool)
    if s.shape != y.shape:
        raise ParameterError("score, event", "arrays of the same shape", (s.shape, y.shape))
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = _average_ranks(s)
    return float((r[y].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def _average_ranks(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1..n with ties given their average rank (as in the Mann-Whitney statistic)."""
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)  # the highest rank in each group of ties
    return (upper - (counts - 1) / 2.0)[inverse.ravel()]


def _country_frame(sub: pd.DataFrame) -> pd.DataFrame:
    """Scores for one country (rows are consecutive years)."""
    sub = sub.sort_values("year").set_index("year").reindex(
        range(int(sub["year"].min()), int(sub["year"].max()) + 1))
    hp = sub["hpnom"]
    house = 1.0 - hp / hp.rolling(WINDOW, min_periods=1).max()
    logret = np.log1p(sub["eq_capgain"])
    lags = np.column_stack([logret.rolling(k, min_periods=k).sum().to_numpy()
                            for k in range(1, WINDOW)])
    with np.errstate(all="ignore"):
        worst = np.where(np.all(np.isnan(lags), axis=1), np.nan,
                         np.nanmin(np.where(np.isnan(lags), np.inf, lags), axis=1))
    equity = 1.0 - np.exp(np.minimum(worst, 0.0))
    cpi = sub["cpi"]
    deflation = (1.0 - cpi / cpi.rolling(WINDOW, min_periods=1).max()).clip(lower=0.0)
    k = sub["lev"] / 100.0
    R = rate_from_capital_ratio(k)
    credit = sub["tloans"] / sub["gdp"]
    alpha = alpha_from_asset_ratio(credit, R)
    with np.errstate(all="ignore"):
        gamma = np.clip(gamma_from_deflation(deflation, alpha, R), 0.0, GAMMA_MAX)
        dstar = delta_star(alpha, R, gamma)
    crisis = sub["crisisJST"]
    start = crisis.fillna(0.0).to_numpy() > 0.5
    n = len(sub)
    event = np.zeros(n, dtype=bool)
    for lag in range(-HORIZON, HORIZON + 1):  # a crisis start within t-2 .. t+2
        lo, hi = max(0, -lag), min(n, n - lag)
        event[lo:hi] |= start[lo + lag:hi + lag]
    out = pd.DataFrame({
        "iso": sub["iso"].ffill().bfill(), "year": sub.index.to_numpy(),
        "house_decline": house.to_numpy(), "equity_decline": equity,
        "credit_gdp": credit.to_numpy(), "capital_ratio": k.to_numpy(),
        "deflation": deflation.to_numpy(), "gamma": np.asarray(gamma),
        "delta_star": np.asarray(dstar),
        "credit_growth": (credit - credit.shift(CREDIT_LAG)).to_numpy(),
        "crisis_start": start, "event": event,
        "crisis_observed": crisis.notna().to_numpy(),
    })
    dec = out[["house_decline", "equity_decline"]].to_numpy()
    out["decline"] = np.where(np.all(np.isnan(dec), axis=1), np.nan,
                              np.nanmax(np.where(np.isnan(dec), -np.inf, dec), axis=1))
    out["margin"] = out["decline"] - out["delta_star"]
    return out


def panel_frame(jst: pd.DataFrame) -> pd.DataFrame:
    """One row per JST country-year with every score, the threshold and the event."""
    frames = [_country_frame(g) for _, g in jst.groupby("iso", sort=True)]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True, kw_only=True)
class RuleScore:
    """How one rule does on the panel."""

    rule: str
    score: str
    cutoff: float
    hit_rate: float
    false_alarm_rate: float
    auc: float
    signals: int
    crises_detected: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _score(rule: str, score_col: str, cutoff: float, f: pd.DataFrame,
           crisis_rows: pd.DataFrame) -> RuleScore:
    s = f[score_col].to_numpy(dtype=np.float64)
    y = f["event"].to_numpy(dtype=bool)
    sig = s >= cutoff
    detected = 0
    sig_frame = f.loc[sig, ["iso", "year"]]
    for iso, year in crisis_rows[["iso", "year"]].itertuples(index=False):
        yrs = sig_frame.loc[sig_frame["iso"] == iso, "year"].to_numpy()
        detected += bool(np.any(np.abs(yrs - year) <= HORIZON))
    return RuleScore(rule=rule, score=score_col, cutoff=cutoff,
                     hit_rate=float(sig[y].mean()), false_alarm_rate=float(sig[~y].mean()),
                     auc=auc(s, y), signals=int(sig.sum()), crises_detected=detected)


@dataclass(frozen=True, kw_only=True)
class PanelResult:
    """The panel test's figures and the country-year frame behind them."""

    frame: pd.DataFrame
    countries: int
    years: tuple[int, int]
    country_years: int
    event_years: int
    crises: int
    model: RuleScore
    baselines: dict[str, RuleScore]
    variants: dict[str, RuleScore]

    @property
    def hit_rate(self) -> float:
        return self.model.hit_rate

    @property
    def false_alarm_rate(self) -> float:
        return self.model.false_alarm_rate

    @property
    def auc(self) -> float:
        return self.model.auc

    def to_dict(self) -> dict[str, Any]:
        return {
            "countries": self.countries, "years": list(self.years),
            "country_years": self.country_years, "event_years": self.event_years,
            "crises": self.crises, "window": WINDOW, "horizon": HORIZON,
            "hit_rate": self.hit_rate, "false_alarm_rate": self.false_alarm_rate,
            "auc": self.auc, "crises_detected": self.model.crises_detected,
            "signals": self.model.signals, "model": self.model.to_dict(),
            "baselines": {k: v.to_dict() for k, v in self.baselines.items()},
            "variants": {k: v.to_dict() for k, v in self.variants.items()},
            "share_delta_star_above_1": float((self.frame["delta_star"] >= 1.0).mean()),
            "median_delta_star": float(self.frame["delta_star"].median()),
        }

    def to_frame(self) -> pd.DataFrame:
        rows = [self.model, *self.baselines.values(), *self.variants.values()]
        return pd.DataFrame([r.to_dict() for r in rows])


def panel_test(data_dir: str | os.PathLike[str] | None = None,
               jst: pd.DataFrame | None = None) -> PanelResult:
    """Run the panel test on the JST data (see the module docstring)."""
    frame = panel_frame(jst if jst is not None else load_jst(data_dir))
    frame["margin_house"] = frame["house_decline"] - frame["delta_star"]
    frame["margin_equity"] = frame["equity_decline"] - frame["delta_star"]
    need = ["decline", "delta_star", "credit_growth", "house_decline", "equity_decline"]
    ok = np.all(np.isfinite(frame[need].to_numpy(dtype=np.float64)), axis=1)
    ok &= frame["crisis_observed"].to_numpy(dtype=bool)
    f = frame.loc[ok].reset_index(drop=True)
    crisis_rows = frame.loc[frame["crisis_start"].to_numpy(dtype=bool), ["iso", "year"]]
    # a crisis counts when at least one sample year lies within its +/-2 window
    keep = [any((f["iso"] == iso) & ((f["year"] - year).abs() <= HORIZON))
            for iso, year in crisis_rows.itertuples(index=False)]
    crisis_rows = crisis_rows.loc[keep]
    model = _score("model: decline >= delta*", "margin", 0.0, f, crisis_rows)
    baselines = {
        "fixed_30pct": _score("decline >= 30%", "decline", FIXED_DECLINE, f, crisis_rows),
        "credit_growth": _score("5-year rise of credit/GDP >= 10 pp", "credit_growth",
                                CREDIT_CUTOFF, f, crisis_rows),
    }
    variants = {
        "house_only": _score("model, house prices only", "margin_house", 0.0, f, crisis_rows),
        "equity_only": _score("model, equity prices only", "margin_equity", 0.0, f,
                              crisis_rows),
    }
    return PanelResult(frame=f, countries=int(f["iso"].nunique()),
                       years=(int(f["year"].min()), int(f["year"].max())),
                       country_years=len(f), event_years=int(f["event"].sum()),
                       crises=len(crisis_rows), model=model, baselines=baselines,
                       variants=variants)
