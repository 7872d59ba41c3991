"""The panel test: does the asset price decline crossing delta* signal banking crises?

The country-year frame (:func:`panel_frame`) holds, for every JST country and year t, scores
that use data up to t only:

- the real property-price decline from its peak of the last W = 10 years
  (1 - P_t/max(P_{t-9..t}), house prices over the CPI) and the same for real equity prices
  (cumulated capital gains over the CPI); the decline is the larger of those observed, so every
  one of the 18 countries enters with whatever declines it has;
- delta* of the ``collateral`` calibration (:mod:`bsrlab.cases.calibrate`) at phi = 0.3, with
  the band phi = 0.2-0.5 (``delta_star_low``, ``delta_star_high``); rows outside the admissible
  box are flagged (``admissible`` = 0) and get no delta*: the model is never evaluated there;
- the model's score, the margin decline - delta*, and the baselines of the note: the decline
  itself (the fixed 30% rule), the 5-year change of credit/GDP, 5-year real loan growth, the
  credit-to-GDP gap from a one-sided HP filter (lambda = 1600 for annual data, and the BIS
  400,000 as a variant), the real house-price gap (one-sided HP, lambda = 1600), the level of
  credit/GDP, and a logit of them all.

Three designs (:data:`DESIGNS`), each with either chronology (JST ``crisisJST``, or
Laeven-Valencia 2018 from 1970: :data:`~bsrlab.cases.facts.LV_CRISES`):

1. ``early_warning`` (h = 1, 2, 3): the event is a crisis start in t+1..t+h; crisis years and
   the 4 years after each start are dropped (Schularick and Taylor 2012; Drehmann and Juselius
   2014; Aldasoro, Borio and Drehmann 2018), and so are years whose next h years the chronology
   does not cover. The logit is fitted recursively: the score at t uses a logit fitted on the
   rows whose outcome was known at t (years up to t - h).
2. ``coincident``: the event is a crisis start within t-2..t+2, every year kept (the design of
   earlier releases, kept and labelled as such). Logit: leave-one-country-out.
3. ``bust_conditional``: the rows are busts (the decline first crossing 25%, at most one per 5
   years and country); the event is a crisis start within t-2..t+3. Logit: leave-one-country-out.

Every design's rows are those where the model is evaluated (admissible, a decline observed);
each baseline is scored on those of them where it is defined, paired with the model on the same
rows. For every score: the AUC (Mann-Whitney) with a country-cluster bootstrap 95% interval,
the paired difference baseline - model with its interval, hit and false-alarm rates at the
rule's own cut-off and at a 20% false-alarm rate, the noise-to-signal ratio. The early-warning
designs are also evaluated out of sample: recursively (cut-offs and logits from earlier years
only) and leave one country out. The computation is deterministic (a fixed seed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from bsrlab.cases.calibrate import PHI, PHI_BAND, R_SOURCES, collateral_frame, collateral_rate
from bsrlab.cases.facts import LV_COVERAGE, LV_CRISES
from bsrlab.cases.stats import (
    auc,
    cluster_auc,
    cluster_counts,
    cutoff_at_false_alarm,
    logit_fit,
    logit_predict,
    one_sided_hp_gap,
    percentile_ci,
    roc_curve,
)
from bsrlab.core.errors import ParameterError
from bsrlab.data.loaders import load_jst
from bsrlab.models.vonpeter.closed import delta_star, gamma_from_deflation

__all__ = ["BASELINES", "CHRONOLOGIES", "DESIGNS", "DesignResult", "PanelResult", "RuleScore",
           "auc", "design_frame", "panel_frame", "panel_test"]

WINDOW = 10
HORIZONS = (1, 2, 3)
HORIZON = 2  # the headline early-warning horizon
POST_CRISIS = 4
COINCIDENT = 2
BUST_DECLINE = 0.25
BUST_GAP = 5
BUST_WINDOW = (-2, 3)
FIXED_DECLINE = 0.30
CREDIT_LAG = 5
CREDIT_CUTOFF = 0.10
HP_LAMBDA = 1600.0
HP_LAMBDA_BIS = 400_000.0
HP_MIN_OBS = 10
GAMMA_MAX = 0.95
FALSE_ALARM_TARGET = 0.20
REPLICATIONS = 1000
SEED = 20041
MIN_TRAIN_EVENTS = 5
CHRONOLOGIES = ("jst", "lv")
DESIGNS = ("early_warning", "coincident", "bust_conditional")

#: The model's rule: (score column, label, cut-off).
MODEL = ("margin", "model: decline >= delta*", 0.0)
#: The baselines: name -> (score column, label, cut-off).
BASELINES: dict[str, tuple[str, str, float]] = {
    "fixed_30pct": ("decline", "decline >= 30%", FIXED_DECLINE),
    "credit_growth": ("credit_growth", "5-year rise of credit/GDP >= 10 pp", CREDIT_CUTOFF),
    "real_loan_growth": ("real_loan_growth", "5-year real loan growth >= 25%", 0.25),
    "credit_gap": ("credit_gap", "credit-to-GDP gap >= 10 pp (HP, lambda 1600)", 0.10),
    "credit_gap_bis": ("credit_gap_bis", "credit-to-GDP gap >= 10 pp (HP, lambda 400,000)",
                       0.10),
    "house_gap": ("house_gap", "real house-price gap >= 10% (HP, lambda 1600)", 0.10),
    "credit_level": ("credit_gdp", "credit/GDP >= 100%", 1.0),
    "logit": ("logit", "logit of the baselines >= 10%", 0.10),
}
#: Variants of the model: name -> (score column, label, cut-off).
VARIANTS: dict[str, tuple[str, str, float]] = {
    "house_only": ("margin_house", "model, property prices only", 0.0),
    "equity_only": ("margin_equity", "model, equity prices only", 0.0),
    "fragility": ("fragility", "low delta* alone (score -delta*, cut-off delta* <= 30%)", -0.30),
    "trailing_deflation": ("margin_deflation", "model, gamma from trailing deflation", 0.0),
    "logit_plus_model": ("logit_plus_model", "logit of the baselines and the margin >= 10%",
                         0.10),
}
LOGIT_FEATURES = ("decline", "credit_growth", "real_loan_growth", "credit_gap", "house_gap",
                  "credit_gdp")

# ---- the country-year frame -----------------------------------------------------------------


def _trailing_decline(log_level: NDArray[np.float64]) -> NDArray[np.float64]:
    """1 - P_t / max(P_{t-W+1..t}) from log prices; NaN where P_t is missing."""
    s = pd.Series(log_level)
    peak = s.rolling(WINDOW, min_periods=1).max().to_numpy()
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(log_level), -np.expm1(log_level - peak), np.nan)


def _country_frame(iso: str, sub: pd.DataFrame) -> pd.DataFrame:
    """Scores for one country (rows are consecutive years; data up to each year only)."""
    sub = sub.sort_values("year").set_index("year").reindex(
        range(int(sub["year"].min()), int(sub["year"].max()) + 1))
    year = sub.index.to_numpy()
    cpi = sub["cpi"].to_numpy(dtype=np.float64)
    with np.errstate(all="ignore"):
        log_cpi = np.log(cpi)
        log_house = np.log(sub["hpnom"].to_numpy(dtype=np.float64)) - log_cpi
        # real equity: cumulated log capital gains less inflation; a gap restarts the index
        r = np.log1p(sub["eq_capgain"].to_numpy(dtype=np.float64)) - np.diff(log_cpi,
                                                                              prepend=np.nan)
    house = _trailing_decline(log_house)
    equity = _equity_decline(r)
    both = np.column_stack([house, equity])
    have = np.isfinite(both)
    decline = np.where(have.any(axis=1), np.max(np.where(have, both, -np.inf), axis=1), np.nan)
    loans = sub["tloans"].to_numpy(dtype=np.float64)
    gdp = sub["gdp"].to_numpy(dtype=np.float64)
    with np.errstate(all="ignore"):
        c = loans / gdp
        real_loans = loans / cpi
    k = sub["lev"].to_numpy(dtype=np.float64) / 100.0
    R, src = collateral_rate(k, sub["housing_rent_yd"].to_numpy(dtype=np.float64), year)
    mid = collateral_frame(c, R, PHI)
    low = collateral_frame(c, R, PHI_BAND[0])
    high = collateral_frame(c, R, PHI_BAND[1])
    with np.errstate(all="ignore"):
        peak_cpi = pd.Series(cpi).rolling(WINDOW, min_periods=1).max().to_numpy()
        deflation = np.clip(1.0 - cpi / peak_cpi, 0.0, None)
        ok = mid["admissible"] == 1.0
        gam = np.where(ok, np.clip(gamma_from_deflation(deflation, np.where(ok, mid["alpha"], 0.5),
                                                        R), 0.0, GAMMA_MAX), np.nan)
        dstar_defl = np.where(ok, delta_star(np.where(ok, mid["alpha"], 0.5), R,
                                             np.where(ok, gam, 0.0)), np.nan)
        credit_growth = c - np.concatenate([np.full(CREDIT_LAG, np.nan), c[:-CREDIT_LAG]])
        loan_growth = real_loans / np.concatenate([np.full(CREDIT_LAG, np.nan),
                                                   real_loans[:-CREDIT_LAG]]) - 1.0
    crisis = sub["crisisJST"].to_numpy(dtype=np.float64)
    out = pd.DataFrame({
        "iso": iso, "country": sub["country"].ffill().bfill().to_numpy(), "year": year,
        "house_decline": house, "equity_decline": equity, "decline": decline,
        "credit_gdp": c, "capital_ratio": k, "R": R,
        "R_source": np.asarray(R_SOURCES, dtype=object)[src],
        "alpha": mid["alpha"], "admissible": mid["admissible"],
        "delta_star": mid["delta_star"], "delta_star_low": low["delta_star"],
        "delta_star_high": high["delta_star"],
        "deflation": deflation, "gamma_deflation": gam, "delta_star_deflation": dstar_defl,
        "credit_growth": credit_growth, "real_loan_growth": loan_growth,
        "credit_gap": one_sided_hp_gap(c, HP_LAMBDA, HP_MIN_OBS),
        "credit_gap_bis": one_sided_hp_gap(c, HP_LAMBDA_BIS, HP_MIN_OBS),
        "house_gap": one_sided_hp_gap(log_house, HP_LAMBDA, HP_MIN_OBS),
        "crisis_start": np.nan_to_num(crisis, nan=0.0) > 0.5,
        "crisis_observed": np.isfinite(crisis),
    })
    out["margin"] = out["decline"] - out["delta_star"]
    out["margin_house"] = out["house_decline"] - out["delta_star"]
    out["margin_equity"] = out["equity_decline"] - out["delta_star"]
    out["margin_deflation"] = out["decline"] - out["delta_star_deflation"]
    out["fragility"] = -out["delta_star"]
    return out


def _equity_decline(r: NDArray[np.float64]) -> NDArray[np.float64]:
    """Trailing decline of the real equity index cumulated from log real returns ``r``.

    A missing return breaks the index; a new run starts from the year before its first return
    (index 1) and declines are measured within a run only. NaN where ``r`` is missing.
    """
    n = r.size
    level = np.full(n, np.nan)
    run = np.zeros(n, dtype=np.int64)
    cur, rid = np.nan, 0
    for t in range(n):
        if np.isfinite(r[t]):
            if not np.isfinite(cur):
                rid += 1
                cur = 0.0
                if t > 0:
                    level[t - 1], run[t - 1] = 0.0, rid
            cur += r[t]
            level[t], run[t] = cur, rid
        else:
            cur = np.nan
    s = pd.Series(level)
    peak = s.groupby(run).transform(lambda x: x.rolling(WINDOW, min_periods=1).max())
    with np.errstate(invalid="ignore"):
        out = -np.expm1(level - peak.to_numpy())
    return np.where(np.isfinite(r), out, np.nan)


def panel_frame(jst: pd.DataFrame) -> pd.DataFrame:
    """One row per JST country-year with every score and the threshold (see the docstring)."""
    frames = [_country_frame(str(iso), g) for iso, g in jst.groupby("iso", sort=True)]
    return pd.concat(frames, ignore_index=True)


# ---- designs ---------------------------------------------------------------------------------


def _crises(frame: pd.DataFrame, chronology: str) -> tuple[dict[str, list[tuple[int, int]]],
                                                            dict[str, tuple[int, int]]]:
    """Crisis (start, end) by country and the years each country's chronology covers."""
    if chronology not in CHRONOLOGIES:
        raise ParameterError("chronology", "one of " + ", ".join(CHRONOLOGIES), chronology)
    starts: dict[str, list[tuple[int, int]]] = {}
    cover: dict[str, tuple[int, int]] = {}
    for iso, g in frame.groupby("iso", sort=True):
        key = str(iso)
        if chronology == "jst":
            obs = g.loc[g["crisis_observed"], "year"]
            if obs.empty:
                continue
            cover[key] = (int(obs.min()), int(obs.max()))
            starts[key] = [(int(y), int(y)) for y in g.loc[g["crisis_start"], "year"]]
        else:
            cover[key] = LV_COVERAGE
            starts[key] = [(s, e) for s, e in LV_CRISES.get(key, ())]
    return starts, cover


def design_frame(frame: pd.DataFrame, design: str, horizon: int = HORIZON,
                 chronology: str = "jst") -> pd.DataFrame:
    """The rows of one design with its ``event`` and the ``crisis`` (start year) it belongs to.

    Only rows where the model is evaluated (admissible, a decline observed) are kept.
    """
    if design not in DESIGNS:
        raise ParameterError("design", "one of " + ", ".join(DESIGNS), design)
    if design == "early_warning" and horizon not in HORIZONS:
        raise ParameterError("horizon", "1, 2 or 3", horizon)
    starts, cover = _crises(frame, chronology)
    parts = []
    for iso, g in frame.groupby("iso", sort=True):
        key = str(iso)
        if key not in cover:
            continue
        lo, hi = cover[key]
        yr = g["year"].to_numpy()
        s = np.array([a for a, _ in starts[key]], dtype=np.int64)
        e = np.array([b for _, b in starts[key]], dtype=np.int64)
        keep = (yr >= lo) & (yr <= hi)
        if design == "early_warning":
            keep &= yr + horizon <= hi
            d = s[None, :] - yr[:, None] if s.size else np.zeros((yr.size, 0), dtype=np.int64)
            hit = (d >= 1) & (d <= horizon)
            dropped = ((yr[:, None] >= s[None, :])
                       & (yr[:, None] <= np.maximum(e, s + POST_CRISIS)[None, :])).any(axis=1)
            keep &= ~dropped
        elif design == "coincident":
            d = s[None, :] - yr[:, None] if s.size else np.zeros((yr.size, 0), dtype=np.int64)
            hit = np.abs(d) <= COINCIDENT
        else:
            dec = g["decline"].to_numpy()
            prev = np.concatenate([[np.nan], dec[:-1]])
            with np.errstate(invalid="ignore"):  # an onset needs the year before observed
                onset = (dec >= BUST_DECLINE) & (prev < BUST_DECLINE)
            last = -10_000
            for i in np.flatnonzero(onset):
                if yr[i] - last < BUST_GAP:
                    onset[i] = False
                else:
                    last = yr[i]
            keep &= onset & (yr + BUST_WINDOW[1] <= hi)
            d = s[None, :] - yr[:, None] if s.size else np.zeros((yr.size, 0), dtype=np.int64)
            hit = (d >= BUST_WINDOW[0]) & (d <= BUST_WINDOW[1])
        event = np.asarray(hit.any(axis=1), dtype=bool)
        first = np.where(event, s[np.argmax(hit, axis=1)] if s.size else -1, -1)
        sub = g.loc[keep].copy()
        sub["event"] = event[keep]
        sub["crisis"] = first[keep]
        parts.append(sub)
    out = pd.concat(parts, ignore_index=True)
    ok = np.isfinite(out["margin"].to_numpy(dtype=np.float64))
    return out.loc[ok].reset_index(drop=True)


# ---- logits ----------------------------------------------------------------------------------


def _features(f: pd.DataFrame, with_model: bool) -> NDArray[np.float64]:
    cols = [*LOGIT_FEATURES, "margin"] if with_model else list(LOGIT_FEATURES)
    return f[cols].to_numpy(dtype=np.float64)


def _recursive_logit(f: pd.DataFrame, horizon: int, with_model: bool) -> NDArray[np.float64]:
    """Score at t from a logit fitted on rows of years up to t - horizon (outcomes known)."""
    X = _features(f, with_model)
    y = f["event"].to_numpy(dtype=bool)
    yr = f["year"].to_numpy()
    ok = np.all(np.isfinite(X), axis=1)
    out = np.full(len(f), np.nan)
    coef = None
    for T in np.unique(yr[ok]):
        train = ok & (yr <= T - horizon)
        if y[train].sum() < MIN_TRAIN_EVENTS or (~y[train]).sum() < MIN_TRAIN_EVENTS:
            continue
        coef = logit_fit(X[train], y[train], start=coef)
        rows = ok & (yr == T)
        out[rows] = logit_predict(coef, X[rows])
    return out


def _loco_logit(f: pd.DataFrame, with_model: bool) -> NDArray[np.float64]:
    """Score of each country from a logit fitted on the other countries."""
    X = _features(f, with_model)
    y = f["event"].to_numpy(dtype=bool)
    iso = f["iso"].to_numpy()
    ok = np.all(np.isfinite(X), axis=1)
    out = np.full(len(f), np.nan)
    for c in np.unique(iso):
        train = ok & (iso != c)
        if y[train].sum() < MIN_TRAIN_EVENTS:
            continue
        coef = logit_fit(X[train], y[train])
        rows = ok & (iso == c)
        out[rows] = logit_predict(coef, X[rows])
    return out


# ---- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RuleScore:
    """How one rule does on a design's rows (those where both it and the model are defined).

    ``hit_rate`` and ``false_alarm_rate`` are at the rule's own ``cutoff``;
    ``hit_rate_at_target`` at the cut-off ``cutoff_at_target`` that gives a 20% false-alarm
    rate; ``noise_to_signal`` = false-alarm rate / hit rate at the rule's cut-off.
    ``diff_vs_model`` is this rule's AUC minus the model's on the same rows (positive: the rule
    does better), with its bootstrap interval.
    """

    rule: str
    score: str
    cutoff: float
    hit_rate: float
    false_alarm_rate: float
    auc: float
    signals: int
    crises_detected: int
    auc_ci: list[float] = field(default_factory=list)
    n_rows: int = 0
    n_events: int = 0
    crises: int = 0
    hit_rate_at_target: float = float("nan")
    cutoff_at_target: float = float("nan")
    noise_to_signal: float = float("nan")
    model_auc: float = float("nan")
    diff_vs_model: float = float("nan")
    diff_vs_model_ci: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _rates(sig: NDArray[np.bool_], y: NDArray[np.bool_]) -> tuple[float, float]:
    hit = float(sig[y].mean()) if y.any() else float("nan")
    fa = float(sig[~y].mean()) if (~y).any() else float("nan")
    return hit, fa


Boot = tuple[NDArray[np.int64], NDArray[np.float64]]


def _score_rule(f: pd.DataFrame, col: str, label: str, cutoff: float,
                W: Boot | None, model_boot: NDArray[np.float64] | None
                ) -> tuple[RuleScore, NDArray[np.float64]]:
    """Score one rule on the rows of ``f`` where it and the model are defined."""
    s_all = f[col].to_numpy(dtype=np.float64)
    ok = np.isfinite(s_all)
    s = s_all[ok]
    y = f["event"].to_numpy(dtype=bool)[ok]
    crisis = f["crisis"].to_numpy()[ok]
    sig = s >= cutoff
    hit, fa = _rates(sig, y)
    n_crises = len({(i, c) for i, c, e in zip(f["iso"].to_numpy()[ok], crisis, y, strict=True)
                    if e})
    detected = len({(i, c) for i, c, e, g in zip(f["iso"].to_numpy()[ok], crisis, y, sig,
                                                 strict=True) if e and g})
    a = auc(s, y) if s.size else float("nan")
    boot = np.full(0 if W is None else W[1].shape[0], np.nan)
    ci: list[float] = []
    model_auc = diff = float("nan")
    dci: list[float] = []
    if W is not None and s.size:
        boot = cluster_auc(s, y, W[0][ok], W[1])
        ci = percentile_ci(boot)
    if model_boot is not None and s.size:
        m = f["margin"].to_numpy(dtype=np.float64)[ok]
        model_auc = auc(m, y)
        diff = a - model_auc
        if W is not None:
            dci = percentile_ci(boot - cluster_auc(m, y, W[0][ok], W[1]))
    tgt = cutoff_at_false_alarm(s, y, FALSE_ALARM_TARGET) if s.size else float("nan")
    hit_t = _rates(s >= tgt, y)[0] if s.size else float("nan")
    return RuleScore(
        rule=label, score=col, cutoff=cutoff, hit_rate=hit, false_alarm_rate=fa, auc=a,
        signals=int(sig.sum()), crises_detected=detected, auc_ci=ci, n_rows=int(s.size),
        n_events=int(y.sum()), crises=n_crises, hit_rate_at_target=hit_t, cutoff_at_target=tgt,
        noise_to_signal=fa / hit if hit and np.isfinite(hit) and hit > 0 else float("nan"),
        model_auc=model_auc, diff_vs_model=diff, diff_vs_model_ci=dci), boot


@dataclass(frozen=True, kw_only=True)
class DesignResult:
    """One design (and horizon) of the panel test on one chronology."""

    design: str
    horizon: int | None
    chronology: str
    frame: pd.DataFrame
    model: RuleScore
    baselines: dict[str, RuleScore]
    variants: dict[str, RuleScore]
    out_of_sample: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.design}_h{self.horizon}" if self.horizon else self.design

    @property
    def auc(self) -> float:
        return self.model.auc

    def roc(self) -> dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]:
        """ROC curves of the model and every baseline on their rows."""
        out = {}
        y_all = self.frame["event"].to_numpy(dtype=bool)
        for name, s in {"model": self.model, **self.baselines}.items():
            v = self.frame[s.score].to_numpy(dtype=np.float64)
            ok = np.isfinite(v)
            if ok.any() and y_all[ok].any() and (~y_all[ok]).any():
                out[name] = roc_curve(v[ok], y_all[ok])
        return out

    def to_dict(self) -> dict[str, Any]:
        f = self.frame
        return {
            "design": self.design, "horizon": self.horizon, "chronology": self.chronology,
            "n_rows": len(f), "n_events": int(f["event"].sum()),
            "countries": int(f["iso"].nunique()),
            "years": [int(f["year"].min()), int(f["year"].max())] if len(f) else [],
            "crises": self.model.crises,
            "auc": self.model.auc, "auc_ci": self.model.auc_ci,
            "hit_rate": self.model.hit_rate, "false_alarm_rate": self.model.false_alarm_rate,
            "model": self.model.to_dict(),
            "baselines": {k: v.to_dict() for k, v in self.baselines.items()},
            "variants": {k: v.to_dict() for k, v in self.variants.items()},
            "out_of_sample": self.out_of_sample,
        }


def _out_of_sample(f: pd.DataFrame, horizon: int, cols: dict[str, str]) -> dict[str, Any]:
    """Recursive and leave-one-country-out evaluation of the early-warning rules.

    Cut-offs are set on the training rows at a 20% false-alarm rate; the logit is refitted on
    them. Reported: AUC, hit and false-alarm rates pooled over the test rows.
    """
    y = f["event"].to_numpy(dtype=bool)
    yr = f["year"].to_numpy()
    iso = f["iso"].to_numpy()
    out: dict[str, Any] = {}
    # recursive: test years from the first year with a fitted logit
    rec = f["logit"].to_numpy(dtype=np.float64)
    first = int(yr[np.isfinite(rec)].min()) if np.isfinite(rec).any() else None
    loco_scores = {"logit": _loco_logit(f, False), "logit_plus_model": _loco_logit(f, True)}
    for scheme in ("recursive", "loco"):
        res: dict[str, Any] = {}
        for name, col in cols.items():
            if scheme == "loco" and name in loco_scores:
                s = loco_scores[name]
            else:
                s = f[col].to_numpy(dtype=np.float64)
            ok = np.isfinite(s)
            if scheme == "recursive":
                ok &= (yr >= first) if first is not None else False
            sig = np.zeros(len(f), dtype=bool)
            for g in (np.unique(yr[ok]) if scheme == "recursive" else np.unique(iso[ok])):
                if scheme == "recursive":
                    train = np.isfinite(s) & (yr <= g - horizon)
                    test = ok & (yr == g)
                else:
                    train = np.isfinite(s) & (iso != g)
                    test = ok & (iso == g)
                if y[train].any() and (~y[train]).any():
                    cut = cutoff_at_false_alarm(s[train], y[train], FALSE_ALARM_TARGET)
                    sig[test] = s[test] >= cut
            hit, fa = _rates(sig[ok], y[ok])
            res[name] = {"auc": auc(s[ok], y[ok]) if ok.any() else float("nan"),
                         "hit_rate": hit, "false_alarm_rate": fa, "n_rows": int(ok.sum()),
                         "n_events": int(y[ok].sum())}
        out[scheme] = {"first_year": first if scheme == "recursive" else None,
                       "scores": res}
    return out


def _design(frame: pd.DataFrame, design: str, horizon: int | None, chronology: str,
            replications: int, seed: int, evaluate: bool = True) -> DesignResult:
    f = design_frame(frame, design, horizon or HORIZON, chronology)
    if design == "early_warning":
        f["logit"] = _recursive_logit(f, horizon or HORIZON, False)
        f["logit_plus_model"] = _recursive_logit(f, horizon or HORIZON, True)
    else:
        f["logit"] = _loco_logit(f, False)
        f["logit_plus_model"] = _loco_logit(f, True)
    W = cluster_counts(f["iso"].to_numpy(), replications, seed) if replications else None
    model, mboot = _score_rule(f, MODEL[0], MODEL[1], MODEL[2], W, None)
    baselines = {k: _score_rule(f, c, lab, cut, W, mboot)[0]
                 for k, (c, lab, cut) in BASELINES.items()}
    variants = {k: _score_rule(f, c, lab, cut, W, mboot)[0]
                for k, (c, lab, cut) in VARIANTS.items()}
    oos: dict[str, Any] = {}
    if design == "early_warning" and evaluate:
        cols = {"model": MODEL[0], **{k: v[0] for k, v in BASELINES.items()},
                "logit_plus_model": "logit_plus_model"}
        oos = _out_of_sample(f, horizon or HORIZON, cols)
    return DesignResult(design=design, horizon=horizon, chronology=chronology, frame=f,
                        model=model, baselines=baselines, variants=variants, out_of_sample=oos)


@dataclass(frozen=True, kw_only=True)
class PanelResult:
    """The panel test on one chronology: every design, and the country-year frame.

    The headline (``hit_rate``, ``auc``, ``baselines``, ...) is the early-warning design with
    h = 2 (:data:`HORIZON`).
    """

    frame: pd.DataFrame
    chronology: str
    designs: dict[str, DesignResult]
    replications: int
    seed: int

    @property
    def headline(self) -> DesignResult:
        return self.designs[f"early_warning_h{HORIZON}"]

    @property
    def model(self) -> RuleScore:
        return self.headline.model

    @property
    def baselines(self) -> dict[str, RuleScore]:
        return self.headline.baselines

    @property
    def variants(self) -> dict[str, RuleScore]:
        return self.headline.variants

    @property
    def countries(self) -> int:
        return int(self.headline.frame["iso"].nunique())

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
        h = self.headline
        f = h.frame
        full = self.frame
        evaluated = full["admissible"].notna()
        return {
            "countries": self.countries,
            "years": [int(f["year"].min()), int(f["year"].max())],
            "country_years": len(f), "event_years": int(f["event"].sum()),
            "crises": self.model.crises, "window": WINDOW, "horizon": HORIZON,
            "design": "early_warning", "chronology": self.chronology,
            "hit_rate": self.hit_rate, "false_alarm_rate": self.false_alarm_rate,
            "auc": self.auc, "auc_ci": self.model.auc_ci,
            "crises_detected": self.model.crises_detected,
            "signals": self.model.signals, "model": self.model.to_dict(),
            "baselines": {k: v.to_dict() for k, v in self.baselines.items()},
            "variants": {k: v.to_dict() for k, v in self.variants.items()},
            "designs": {k: d.to_dict() for k, d in self.designs.items()},
            "calibration": {"name": "collateral", "phi": PHI, "phi_band": list(PHI_BAND),
                            "gamma": 0.0,
                            "R_sources": {s: int((full["R_source"] == s).sum())
                                          for s in R_SOURCES}},
            "panel_countries": int(full.loc[np.isfinite(full["margin"]), "iso"].nunique()),
            "share_admissible": float(full.loc[evaluated, "admissible"].mean()),
            "share_delta_star_above_1": float((full["delta_star"] >= 1.0).sum()
                                              / max(int(np.isfinite(full["delta_star"]).sum()),
                                                    1)),
            "median_delta_star": float(full["delta_star"].median()),
            "bootstrap": {"replications": self.replications, "seed": self.seed,
                          "cluster": "country", "level": 0.95},
            "false_alarm_target": FALSE_ALARM_TARGET,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per design and rule: AUC, interval, rates."""
        rows = []
        for key, d in self.designs.items():
            for name, s in {"model": d.model, **d.baselines, **d.variants}.items():
                rows.append({"design": key, "name": name, "rule": s.rule, "auc": s.auc,
                             "auc_low": (s.auc_ci or [np.nan])[0],
                             "auc_high": (s.auc_ci or [np.nan, np.nan])[-1],
                             "diff_vs_model": s.diff_vs_model, "hit_rate": s.hit_rate,
                             "false_alarm_rate": s.false_alarm_rate,
                             "hit_rate_at_20pct_false_alarms": s.hit_rate_at_target,
                             "n_rows": s.n_rows, "n_events": s.n_events})
        return pd.DataFrame(rows)


def panel_test(data_dir: str | os.PathLike[str] | None = None,
               jst: pd.DataFrame | None = None, *, chronology: str = "jst",
               replications: int = REPLICATIONS, seed: int = SEED,
               designs: Sequence[str] = DESIGNS, horizons: Sequence[int] = HORIZONS,
               out_of_sample: bool = True) -> PanelResult:
    """Run the panel test on the JST data (see the module docstring).

    Parameters
    ----------
    chronology
        ``jst`` or ``lv`` (Laeven-Valencia 2018, from 1970).
    replications
        Country-cluster bootstrap replications (0: no intervals).
    seed
        The bootstrap's seed.
    designs
        Which designs to run; the early-warning design (the headline) always runs.
    horizons
        The early-warning horizons to run (they must include the headline's, 2).
    out_of_sample
        Whether to run the recursive and leave-one-country-out evaluation.
    """
    if chronology not in CHRONOLOGIES:
        raise ParameterError("chronology", "one of " + ", ".join(CHRONOLOGIES), chronology)
    if not isinstance(replications, int) or replications < 0:
        raise ParameterError("replications", "an integer >= 0", replications)
    if HORIZON not in horizons or any(h not in HORIZONS for h in horizons):
        raise ParameterError("horizons", f"a subset of {HORIZONS} holding {HORIZON}",
                             tuple(horizons))
    frame = panel_frame(jst if jst is not None else load_jst(data_dir))
    out: dict[str, DesignResult] = {}
    for h in sorted(set(horizons)):
        out[f"early_warning_h{h}"] = _design(frame, "early_warning", h, chronology,
                                             replications, seed, out_of_sample)
    for d in ("coincident", "bust_conditional"):
        if d in designs:
            out[d] = _design(frame, d, None, chronology, replications, seed)
    return PanelResult(frame=frame, chronology=chronology, designs=out,
                       replications=replications, seed=seed)
