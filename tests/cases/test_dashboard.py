"""``bsrlab dashboard``: every country with data, the stated rating rule on hand-made rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bsrlab.cases.dashboard import RATING_RULE, RATINGS, dashboard, rate

Cli = Callable[..., Any]


def _row(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"distance": 0.30, "credit_gap": 0.0, "house_price_gap": 0.0,
                            "drawdown": 0.05, "delta_star_band": [0.20, 0.60]}
    base.update(kw)
    return base


@pytest.mark.parametrize(("row", "rating"), [
    (_row(), "green"),
    (_row(distance=0.0), "red"),                    # prices at delta*
    (_row(distance=-0.05, drawdown=0.4), "red"),    # beyond it
    (_row(credit_gap=0.1001), "red"),               # above the top Basel band
    (_row(credit_gap=0.10), "amber"),               # at the top: amber, not red
    (_row(credit_gap=0.021), "amber"),              # above the bottom band
    (_row(credit_gap=0.02), "green"),               # at the bottom: not above it
    (_row(distance=0.099), "amber"),                # within 10 points of delta*
    (_row(drawdown=0.25), "amber"),                 # crosses delta* at phi = 0.2
    (_row(house_price_gap=0.15), "amber"),
    (_row(credit_gap=None, house_price_gap=None, distance=None, drawdown=None), "green"),
    (_row(credit_gap=0.15, distance=0.05), "red"),
])
def test_rating_rule_on_hand_made_rows(row: dict[str, Any], rating: str) -> None:
    got, reasons = rate(row)
    assert got == rating
    assert got in RATINGS
    if rating != "green":
        assert reasons
    if row["credit_gap"] is None:
        assert "credit gap not available" in reasons


def test_rule_is_stated() -> None:
    for word in ("red", "amber", "green", "10 points", "2 points", "delta*"):
        assert word in RATING_RULE


def test_dashboard_covers_every_country_with_data(data_dir: Path) -> None:
    from bsrlab.data import load_jst

    rows = dashboard()
    jst = load_jst()
    with_credit = {iso for iso, g in jst.groupby("iso") if (g["tloans"] / g["gdp"]).notna().any()}
    assert {r.iso for r in rows} == with_credit and len(rows) == 18
    for r in rows:
        assert r.rating == rate(r.to_dict())[0]
        assert r.date["jst"] >= 2017 and r.date["bis"] is not None
        if r.delta_star is not None and r.drawdown is not None:
            assert r.distance == pytest.approx(r.delta_star - r.drawdown)
        lo, hi = r.delta_star_band
        if r.delta_star is not None:
            assert lo is not None and lo < r.delta_star and (hi is None or r.delta_star < hi)


def test_dashboard_cli(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    res = cli("dashboard", "--format", "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)
    assert isinstance(rows, list) and len(rows) == 18
    keys = {"country", "date", "delta_star", "delta_star_band", "drawdown", "distance",
            "credit_gap", "house_price_gap", "capital_ratio", "rating"}
    assert all(keys <= set(r) for r in rows)
    table = cli("dashboard")
    assert "Rating rule:" in table.out and "Sweden" in table.out
    out = tmp_path / "dash"
    res = cli("dashboard", "--format", "html", "--out", str(out))
    assert res.code == 0, res.err
    assert json.loads((out / "dashboard.json").read_text()) == rows
    assert (out / "threshold_map.csv").is_file()
    assert "Threshold map" in (out / "report.html").read_text(encoding="utf-8")
    page = cli("dashboard", "--format", "html")
    assert page.out.startswith("<!DOCTYPE html>")
    bad = cli("dashboard", "--format", "csv")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "--format" in bad.err


def test_dashboard_without_data_is_one_line(cli: Cli, no_data: Path) -> None:
    res = cli("dashboard")
    assert res.code == 2 and res.err.count("\n") == 1 and "JSTdatasetR6.xlsx" in res.err
