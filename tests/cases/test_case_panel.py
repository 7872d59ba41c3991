"""The panel test on the shipped data: figures stable to the last digit, and sane.

The golden file ``panel_expected.json`` is the panel test on the JST Macrohistory Database,
release 6 (sha256 in ``bsrlab.data.sources.JST``); ``scripts/regenerate_golden.py`` rebuilds it
(``BSRLAB_DATA=../shared/data .venv/bin/python scripts/regenerate_golden.py``).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from bsrlab.cases import auc, panel_test
from bsrlab.core.jsonio import dumps
from bsrlab.data import load_jst

EXPECTED = Path(__file__).with_name("panel_expected.json")


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


def test_panel_figures_are_stable(data_dir: Path) -> None:
    got = json.loads(dumps(panel_test().to_dict()))
    assert got == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_panel_sanity(data_dir: Path) -> None:
    r = panel_test()
    f = r.frame
    assert r.country_years == len(f) and r.countries == f["iso"].nunique()
    assert r.event_years == int(f["event"].sum())
    assert 0 < r.crises <= 88
    for s in (r.model, *r.baselines.values(), *r.variants.values()):
        assert 0.0 <= s.hit_rate <= 1.0 and 0.0 <= s.false_alarm_rate <= 1.0
        assert 0.0 <= s.auc <= 1.0
        assert 0 <= s.crises_detected <= r.crises
        n_sig = s.hit_rate * r.event_years + s.false_alarm_rate * (len(f) - r.event_years)
        assert n_sig == pytest.approx(s.signals, abs=1e-9)
    # the model's signal is exactly "decline >= delta*"
    assert r.model.signals == int((f["decline"] >= f["delta_star"]).sum())
    # delta* from the calibration formula: (R - 1)[(R/alpha)^(1-gamma) - 1]
    R = 1.0 / (1.0 - f["capital_ratio"])
    a = (R - 1.0) * f["credit_gdp"]
    np.testing.assert_allclose(f["delta_star"], (R - 1.0) * ((R / a) ** (1.0 - f["gamma"]) - 1.0),
                               rtol=1e-12)
    # an event year is one with a JST crisis start within two years in the same country
    jst = load_jst()
    starts = jst.loc[jst["crisisJST"] == 1, ["iso", "year"]]
    by_iso = {iso: g["year"].to_numpy() for iso, g in starts.groupby("iso")}
    want = [bool(np.any(np.abs(by_iso.get(iso, np.array([-99])) - year) <= 2))
            for iso, year in f[["iso", "year"]].itertuples(index=False)]
    assert f["event"].tolist() == want
