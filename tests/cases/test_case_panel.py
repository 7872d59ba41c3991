"""The panel test: its statistics against an independent implementation, its designs, no
look-ahead, 18 countries, and its figures stable on the shipped data.

The golden file ``panel_expected.json`` is the panel test on the JST Macrohistory Database,
release 6 (sha256 in ``bsrlab.data.sources.JST``) with 100 bootstrap replications;
``scripts/regenerate_golden.py`` rebuilds it
(``BSRLAB_DATA=../shared/data .venv/bin/python scripts/regenerate_golden.py``).
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from bsrlab.cases import auc, panel_test
from bsrlab.cases.facts import LV_CRISES
from bsrlab.cases.panel import (
    POST_CRISIS,
    _design,
    design_frame,
    panel_frame,
)
from bsrlab.cases.stats import (
    cluster_auc,
    cluster_counts,
    cutoff_at_false_alarm,
    hp_gap_last,
    logit_fit,
    one_sided_hp_gap,
    percentile_ci,
    roc_curve,
    weighted_auc,
)
from bsrlab.core.jsonio import dumps
from bsrlab.data import load_jst

EXPECTED = Path(__file__).with_name("panel_expected.json")
GOLDEN_REPLICATIONS = 100


def test_auc_known_answers() -> None:
    assert auc(np.array([1.0, 2.0, 3.0, 4.0]), np.array([False, False, True, True])) == 1.0
    assert auc(np.array([4.0, 3.0, 2.0, 1.0]), np.array([False, False, True, True])) == 0.0
    assert auc(np.ones(5), np.array([True, False, True, False, False])) == 0.5
    assert np.isnan(auc(np.arange(3.0), np.zeros(3, dtype=bool)))


def test_auc_equals_pairwise_count() -> None:
    rng = np.random.default_rng(7)
    s = rng.integers(0, 6, size=40).astype(float)  # many ties
    y = rng.random(40) < 0.3
    pos, neg = s[y], s[~y]
    pairs = list(itertools.product(pos, neg))
    brute = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert auc(s, y) == pytest.approx(brute, abs=1e-15)


def test_auc_and_cluster_bootstrap_agree_with_scikit_learn() -> None:
    """The AUC and every bootstrap replicate equal scikit-learn's roc_auc_score on the same
    scores (the replicate rebuilt by stacking the drawn countries' rows)."""
    sklearn = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(11)
    n = 600
    groups = rng.integers(0, 12, size=n)
    s = np.round(rng.normal(size=n), 1)  # ties
    y = rng.random(n) < 0.15 + 0.1 * (s > 0.5)
    assert abs(auc(s, y) - sklearn.roc_auc_score(y, s)) <= 1e-12
    idx, counts = cluster_counts(groups, 25, seed=3)
    boot = cluster_auc(s, y, idx, counts)
    wboot = weighted_auc(s, y, counts[:, idx])
    labels = np.unique(groups)
    for b in range(25):
        rows = np.concatenate([np.flatnonzero(groups == labels[c])
                               for c in range(labels.size) for _ in range(int(counts[b, c]))])
        ys, ss = y[rows], s[rows]
        if ys.all() or not ys.any():
            assert np.isnan(boot[b])
            continue
        want = sklearn.roc_auc_score(ys, ss)
        assert abs(boot[b] - want) <= 1e-12
        assert abs(wboot[b] - want) <= 1e-12
    lo, hi = percentile_ci(boot)
    assert 0.0 <= lo <= hi <= 1.0


def test_roc_curve_area_is_the_auc() -> None:
    rng = np.random.default_rng(5)
    s = rng.integers(0, 9, 200).astype(float)
    y = rng.random(200) < 0.3
    fpr, tpr = roc_curve(s, y)
    assert fpr[0] == tpr[0] == 0.0 and fpr[-1] == tpr[-1] == 1.0
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
    assert area == pytest.approx(auc(s, y), abs=1e-12)
    cut = cutoff_at_false_alarm(s, y, 0.2)
    assert float(np.mean(s[~y] >= cut)) <= 0.2


def test_one_sided_hp_uses_no_later_data() -> None:
    rng = np.random.default_rng(2)
    x = np.cumsum(rng.normal(size=60))
    gap = one_sided_hp_gap(x, 1600.0)
    y = x.copy()
    y[40:] += 100.0 * rng.normal(size=20)
    gap2 = one_sided_hp_gap(y, 1600.0)
    np.testing.assert_array_equal(gap[:40], gap2[:40])
    assert hp_gap_last(x[:35], 1600.0) == pytest.approx(gap[34], abs=1e-12)
    assert np.isnan(gap[:9]).all() and np.isfinite(gap[9:]).all()


def test_logit_matches_the_maximum_likelihood_fit() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(400, 2))
    y = X @ np.array([1.0, -0.5]) + rng.logistic(size=400) > 0
    coef = logit_fit(X, y, ridge=0.0)
    Z = np.column_stack([np.ones(400), X])
    p = 1.0 / (1.0 + np.exp(-Z @ coef))
    np.testing.assert_allclose(Z.T @ (y - p), 0.0, atol=1e-8)  # the score equations


# ---- on the data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jst() -> pd.DataFrame:
    from tests.cases.conftest import shared_data_dir

    d = shared_data_dir()
    if d is None:
        pytest.skip("the JST/BIS data files are not available (set BSRLAB_DATA)")
    return load_jst(d)


@pytest.fixture(scope="module")
def result(jst: pd.DataFrame) -> Any:
    return panel_test(jst=jst, replications=GOLDEN_REPLICATIONS)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def test_panel_figures_are_stable(data_dir: Path, result: Any) -> None:
    got = json.loads(dumps(result.to_dict()))
    assert _close(got, json.loads(EXPECTED.read_text(encoding="utf-8")))


def test_every_design_covers_18_countries_inside_the_box(result: Any) -> None:
    assert result.countries == 18
    assert result.to_dict()["panel_countries"] == 18
    for d in result.designs.values():
        f = d.frame
        assert f["iso"].nunique() == 18, d.key
        # every calibrated economy used in a score lies inside the admissible box
        assert (f["admissible"] == 1.0).all()
        assert ((f["R"] - 1.0 < f["alpha"]) & (f["alpha"] < 1.0)).all()
        R, c = f["R"], f["credit_gdp"]
        np.testing.assert_allclose(f["delta_star"], R * 0.3 / c - (R - 1.0), rtol=1e-12)
        assert (f["delta_star_low"] < f["delta_star"]).all()
        assert ((f["delta_star"] < f["delta_star_high"]) | f["delta_star_high"].isna()).all()
        for s in (d.model, *d.baselines.values()):
            assert 0.0 <= s.auc <= 1.0 and s.n_rows <= len(f)
            assert s.auc_ci[0] <= s.auc_ci[1]
    # rows outside the box are flagged and carry no delta*
    full = result.frame
    out = full["admissible"] == 0.0
    assert out.any() and full.loc[out, "delta_star"].isna().all()
    assert full.loc[out, "margin"].isna().all()


def test_early_warning_drops_crisis_and_post_crisis_years(result: Any, jst: pd.DataFrame
                                                          ) -> None:
    starts = jst.loc[jst["crisisJST"] == 1, ["iso", "year"]]
    by_iso = {iso: g["year"].to_numpy() for iso, g in starts.groupby("iso")}
    for h in (1, 2, 3):
        f = result.designs[f"early_warning_h{h}"].frame
        for iso, year, event in f[["iso", "year", "event"]].itertuples(index=False):
            s = by_iso.get(iso, np.array([], dtype=int))
            assert not np.any((year >= s) & (year <= s + POST_CRISIS))
            assert event == bool(np.any((s > year) & (s <= year + h)))
    lv = design_frame(result.frame, "early_warning", 2, "lv")
    assert lv["year"].min() >= 1970 and lv["year"].max() <= 2015
    swe = lv[lv["iso"] == "SWE"]
    assert set(swe.loc[swe["event"], "year"]) == {1989, 1990, 2006, 2007}
    assert LV_CRISES["AUS"] == ()


def test_early_warning_scores_use_no_data_after_t(jst: pd.DataFrame) -> None:
    """Perturb every series of one country after t: no early-warning score up to t moves."""
    t = 1985
    rng = np.random.default_rng(9)
    bumped = jst.copy()
    rows = (bumped["iso"] == "SWE") & (bumped["year"] > t)
    for col in ("gdp", "cpi", "hpnom", "tloans", "lev", "eq_capgain", "rgdpbarro", "pop",
                "housing_rent_yd", "stir", "ltrate"):
        bumped.loc[rows, col] = bumped.loc[rows, col] * rng.uniform(0.5, 1.5, int(rows.sum()))
    a = panel_frame(jst)
    b = panel_frame(bumped)
    cols = ["decline", "delta_star", "margin", "credit_growth", "real_loan_growth",
            "credit_gap", "credit_gap_bis", "house_gap", "credit_gdp", "fragility"]
    upto = a["year"] <= t
    pd.testing.assert_frame_equal(a.loc[upto, cols], b.loc[upto, cols])
    assert not a.loc[~upto, cols].equals(b.loc[~upto, cols])  # the perturbation bites
    da = _design(a, "early_warning", 2, "jst", 0, 1)
    db = _design(b, "early_warning", 2, "jst", 0, 1)
    keep = da.frame["year"] <= t
    pd.testing.assert_frame_equal(da.frame.loc[keep, [*cols, "logit", "event"]],
                                  db.frame.loc[db.frame["year"] <= t, [*cols, "logit", "event"]])


def test_result_keys(result: Any) -> None:
    d = json.loads(dumps(result.to_dict()))
    for key in ("countries", "years", "crises", "hit_rate", "false_alarm_rate", "auc",
                "baselines", "designs", "calibration", "chronology"):
        assert key in d
    assert set(d["designs"]) == {"early_warning_h1", "early_warning_h2", "early_warning_h3",
                                 "coincident", "bust_conditional"}
    for v in d["designs"].values():
        for key in ("auc", "auc_ci", "n_rows", "n_events", "baselines"):
            assert key in v
        for b in v["baselines"].values():
            assert {"auc", "auc_ci", "diff_vs_model_ci"} <= set(b)
    assert set(d["baselines"]) >= {"fixed_30pct", "credit_growth", "real_loan_growth",
                                   "credit_gap", "credit_gap_bis", "house_gap",
                                   "credit_level", "logit"}
    oos = d["designs"]["early_warning_h2"]["out_of_sample"]
    assert set(oos) == {"recursive", "loco"}
    assert d["calibration"]["name"] == "collateral" and d["chronology"] == "jst"
