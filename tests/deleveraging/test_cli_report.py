"""The ``bsrlab deleverage`` commands and the report section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bsrlab.models.deleveraging.endowment import natural_rate_endowment
from bsrlab.models.deleveraging.path import PATH_KEYS
from bsrlab.presentation.content.deleveraging import report_section
from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.scenarios.lab import COMPARE_KEYS


def test_endowment_json(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("deleverage", "endowment", "--beta", "0.96", "--d-high", "0.5", "--d-low", "0.2",
              "--price-level", "0.95", "--format", "json")
    assert res.code == 0, res.err
    d = json.loads(res.out)
    assert list(d) == ["natural_rate", "c_borrower_short", "c_saver_short", "c_saver_long"]
    assert d["natural_rate"] == pytest.approx(float(natural_rate_endowment(0.96, 0.5, 0.2, 1.0,
                                                                           0.95)), abs=1e-15)


def test_two_state_json_and_table(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("deleverage", "two-state", "--kappa", "0.01", "--format", "json")
    d = json.loads(res.out)
    assert list(d) == ["output", "inflation", "natural_rate", "spending_multiplier",
                       "transfer_multiplier", "determinate"]
    assert d["determinate"] is True and d["spending_multiplier"] > 1
    tab = cli("deleverage", "two-state")
    assert tab.code == 0 and "spending_multiplier" in tab.out


def test_two_state_indeterminate_is_one_line_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("deleverage", "two-state", "--kappa", "0.5")
    assert res.code == 2 and res.out == ""
    assert res.err.count("\n") == 1 and "kappa" in res.err and "0.5" in res.err


def test_path_json_and_plot(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "paths.png"
    res = cli("deleverage", "path", "--model", "ek", "--preset", "us-2008", "--policy", "fiscal",
              "--size", "0.01", "--periods", "40", "--plot", str(png), "--format", "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)
    assert len(rows) == 40 and all(tuple(r) == PATH_KEYS for r in rows)
    assert rows[0]["government_spending"] == pytest.approx(0.01)
    for r in rows:
        assert r["private_surplus"] == pytest.approx(r["government_deficit"], abs=1e-10)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bsrlab-")]


def test_path_table_mentions_qe(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("deleverage", "path", "--policy", "qe", "--periods", "30")
    assert res.code == 0 and "quantitative easing" in res.out and "iterations" in res.out


@pytest.mark.parametrize("args", [
    ("deleverage", "path", "--preset", "atlantis"),
    ("deleverage", "path", "--policy", "helicopter"),
    ("deleverage", "path", "--policy", "fiscal", "--size", "-1"),
    ("deleverage", "path", "--plot", "/nonexistent-dir/x.png"),
    ("deleverage", "path", "--plot", "x.gif"),
    ("deleverage", "endowment", "--beta", "1.5", "--d-high", "0.5", "--d-low", "0.2"),
])
def test_bad_input_is_one_line_exit_2(cli, args) -> None:  # type: ignore[no-untyped-def]
    res = cli(*args)
    assert res.code == 2
    assert res.err.startswith("bsrlab: error:") and res.err.count("\n") == 1


def test_compare_json(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("deleverage", "compare", "--model", "ek", "--preset", "japan-1990s", "--format",
              "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)
    assert [r["policy"] for r in rows] == ["no policy", "rate cut", "QE", "forward guidance",
                                           "fiscal stimulus", "debt relief", "higher target"]
    assert all(tuple(r) == COMPARE_KEYS for r in rows)
    by = {r["policy"]: r for r in rows}
    assert by["QE"]["multiplier"] is None and by["fiscal stimulus"]["multiplier"] > 1
    gained = (by["no policy"]["cumulative_output_loss"]
              - by["fiscal stimulus"]["cumulative_output_loss"])
    assert by["fiscal stimulus"]["multiplier"] == pytest.approx(
        gained / by["fiscal stimulus"]["fiscal_cost"], rel=1e-12)


def test_report_section() -> None:
    sec = report_section("us-2008")
    assert isinstance(sec, Section) and sec.id == "deleveraging-us-2008"
    figs = [i for i in sec.items if isinstance(i, FigureItem)]
    tabs = [i for i in sec.items if isinstance(i, TableItem)]
    assert len(figs) == 2 and len(tabs) == 1
    assert all(f.caption and len(f.data) > 0 and f.name.isidentifier() for f in figs)
    assert list(tabs[0].frame.columns) == list(COMPARE_KEYS)
    assert "Z.1" in sec.intro
