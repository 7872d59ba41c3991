"""``bsrlab data | case | validate`` end to end."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bsrlab.data import BIS_NOMINAL, cache_dir

Cli = Callable[..., Any]


def test_case_list(cli: Cli) -> None:
    res = cli("case", "list", "--format", "json")
    assert res.code == 0
    assert [e["name"] for e in json.loads(res.out)] == [
        "japan-1990s", "finland-1990s", "norway-1990s", "sweden-1990s", "us-1929", "us-2008"]
    assert "Japan's Lost Decade" in cli("case", "list").out


def test_case_show_json_keys(cli: Cli, data_dir: Path) -> None:
    res = cli("case", "show", "sweden-1990s", "--format", "json")
    assert res.code == 0, res.err
    d = json.loads(res.out)
    for key in ("name", "start", "end", "observed_decline", "calibration", "thresholds",
                "implied_tau", "predicted_regime", "observed_outcome", "predicted_loan_losses",
                "observed_loan_losses", "calibrations", "data_notes"):
        assert key in d
    assert d["start"] == 1990 and d["data_source"] == "data"
    assert [c["name"] for c in d["calibrations"]] == ["collateral", "literal", "facts"]
    for c in d["calibrations"]:
        assert {"thresholds", "verdict"} <= set(c)
    lit = json.loads(cli("case", "show", "sweden-1990s", "--format", "json", "--calibration",
                         "literal").out)
    assert lit["calibration"]["name"] == "literal"
    assert lit["thresholds"]["delta_star"] == d["calibrations"][1]["thresholds"]["delta_star"]
    bad = cli("case", "show", "sweden-1990s", "--phi", "2")
    assert bad.code == 2 and "parameter 'phi' must satisfy 0 < phi < 1" in bad.err
    table = cli("case", "show", "sweden-1990s")
    assert "implied tau" in table.out and "note: credit/GDP" not in table.out


def test_case_show_override_and_errors(cli: Cli, no_data: Path) -> None:
    res = cli("case", "show", "japan-1990s", "--format", "json", "--alpha", "0.5", "--R", "1.05",
              "--gamma", "0")
    d = json.loads(res.out)
    assert d["calibration"]["alpha"] == 0.5
    assert d["thresholds"]["delta_star"] == pytest.approx(0.055, abs=5e-4)  # footnote 41
    assert d["implied_tau_by_asset"]["equity"] == pytest.approx(0.7, abs=1e-12)
    assert d["implied_tau"] == pytest.approx(0.3, abs=1e-12)  # real estate is the headline
    bad = cli("case", "show", "nope")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "case must be one of" in bad.err
    bad = cli("case", "show", "japan-1990s", "--gamma", "1.5")
    assert bad.code == 2 and "parameter 'gamma' must satisfy 0 <= gamma < 1; got 1.5" in bad.err


def test_case_report_with_data(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "jp"
    res = cli("case", "report", "japan-1990s", "--out", str(out))
    assert res.code == 0, res.err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/" in page and "http://" not in page.split("</style>")[0]
    assert "Calibrations side by side" in page and "data break" in page.lower()
    assert "δ*" in page and "Diagnosis" in page
    csv = (out / "case_japan_1990s.csv").read_text(encoding="utf-8")
    assert "equity prices (JST)" in csv and "house prices (BIS, quarterly)" in csv


def test_case_report_without_data(cli: Cli, no_data: Path, tmp_path: Path) -> None:
    res = cli("case", "report", "us-1929", "--out", str(tmp_path / "us"))
    assert res.code == 0, res.err
    assert "No data directory" in (tmp_path / "us" / "report.html").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_case_report_unwritable(cli: Cli, no_data: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        res = cli("case", "report", "us-1929", "--out", str(locked / "x"))
    finally:
        locked.chmod(0o700)
    assert res.code == 2 and res.err.count("\n") == 1 and "cannot be written" in res.err


def test_case_report_out_is_a_file(cli: Cli, no_data: Path, tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    res = cli("case", "report", "us-1929", "--out", str(f))
    assert res.code == 2 and res.err.count("\n") == 1 and "cannot be written" in res.err
    assert f.read_text() == "x"


def test_validate_json_and_out(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    res = cli("validate", "--format", "json", "--out", str(tmp_path / "v"), "--replications",
              "20")
    assert res.code == 0, res.err
    d = json.loads(res.out)
    for key in ("countries", "years", "crises", "hit_rate", "false_alarm_rate", "auc",
                "baselines"):
        assert key in d
    assert {"fixed_30pct", "credit_growth", "credit_gap", "logit"} <= set(d["baselines"])
    for key in ("designs", "calibration", "chronology"):
        assert key in d
    assert d["calibration"] == {**d["calibration"], "name": "collateral", "phi": 0.3}
    assert d["chronology"] == "jst" and d["countries"] == 18
    assert json.loads((tmp_path / "v" / "panel.json").read_text()) == d
    assert (tmp_path / "v" / "report.html").is_file()
    assert (tmp_path / "v" / "panel_roc.csv").is_file()
    table = cli("validate", "--replications", "20")
    assert "decline >= 30%" in table.out and "AUC" in table.out
    assert "early_warning_h3" in table.out and "bust_conditional" in table.out
    # warm: the same options come from the results cache, identical
    again = cli("validate", "--replications", "20", "--format", "json")
    assert json.loads(again.out) == json.loads(cli("validate", "--replications", "20",
                                                   "--format", "json").out)
    lv = cli("validate", "--chronology", "lv", "--replications", "0", "--format", "json")
    assert lv.code == 0, lv.err
    assert json.loads(lv.out)["chronology"] == "lv"
    bad = cli("validate", "--chronology", "rr")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "--chronology" in bad.err
    bad = cli("validate", "--replications", "-1")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "--replications" in bad.err


def test_validate_without_data_is_one_line(cli: Cli, no_data: Path) -> None:
    res = cli("validate")
    assert res.code == 2 and res.err.count("\n") == 1
    assert "JSTdatasetR6.xlsx" in res.err and "bsrlab data fetch" in res.err


def test_data_status_and_import(cli: Cli, data_dir: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    res = cli("data", "status", "--format", "json")
    assert res.code == 0 and {s["state"] for s in json.loads(res.out)} == {"ok"}
    monkeypatch.delenv("BSRLAB_DATA")
    res = cli("data", "status")
    assert "missing" in res.out and "bsrlab data fetch" in res.out
    copy = tmp_path / BIS_NOMINAL.filename
    shutil.copyfile(data_dir / BIS_NOMINAL.filename, copy)
    res = cli("data", "import", str(copy))
    assert res.code == 0 and (cache_dir() / BIS_NOMINAL.filename).is_file()
    copy.write_bytes(copy.read_bytes()[:-1])
    res = cli("data", "import", str(copy), "--name", "bis-nominal")
    assert res.code == 2 and "not the expected nominal_index.csv" in res.err
