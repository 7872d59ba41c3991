"""``bsrlab scenario run|list|show``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from bsrlab.interfaces.cli import main
from bsrlab.interfaces.cli.deleverage import koo_records
from bsrlab.models.deleveraging.koo import KOO_EXTRA_KEYS
from bsrlab.models.deleveraging.outputs import PATH_KEYS
from bsrlab.scenarios.chain import get_preset, preset_text, run_chain


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


def one_line_error(res: tuple[int, str, str], needle: str) -> None:
    code, out, err = res
    assert code == 2, res
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bsrlab: error: "), lines
    assert needle in lines[0], lines[0]
    assert out == ""


def test_run_json_keys() -> None:
    code, out, err = run_cli("scenario", "run", "us-2008-chain", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == ["vonpeter", "handover", "path", "summary"]
    for key in ("kind", "delta", "regime", "loan_losses", "bank_capital_t", "credit",
                "delta_star", "tau_star"):
        assert key in data["vonpeter"]
    names = [h["name"] for h in data["handover"]]
    assert {"debt_low", "credit_supply", "write_down_share", "loan_losses"} <= set(names)
    assert all(list(h) == ["name", "value", "meaning"] for h in data["handover"])
    assert list(data["path"][0]) == [*PATH_KEYS, *KOO_EXTRA_KEYS]
    res = run_chain(get_preset("us-2008-chain"))
    assert data["path"] == json.loads(json.dumps(koo_records(res.path)))
    assert res.to_dict()["path"] == koo_records(res.path)
    for key in ("years_at_floor", "repair_end", "trough_gap", "cumulative_loss",
                "government_debt_end"):
        assert key in data["summary"]
    assert "NaN" not in out and "Infinity" not in out


def test_run_table_file_and_report(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text(preset_text("japan-1990s-chain"))
    code, out, err = run_cli("scenario", "run", str(f), "--out", str(tmp_path / "rep"))
    assert code == 0, err
    assert "capital_crunch" in out and "credit_supply" in out and "summary:" in out
    assert (tmp_path / "rep" / "report.html").is_file()
    assert (tmp_path / "rep" / "chain.csv").is_file()
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "japan-1990s-chain" in html


def test_list_and_show() -> None:
    code, out, _ = run_cli("scenario", "list")
    assert code == 0 and "japan-1990s-chain" in out and "us-2008-chain" in out
    code, out, _ = run_cli("scenario", "show", "us-2008-chain")
    assert code == 0 and out == preset_text("us-2008-chain")


@pytest.mark.parametrize(("text", "needle"), [
    ("[vonpeter]\nalpha = 0.5\nR = 1.05\ntau = 0.1\nfoo = 1\n[koo]\npreset = 'us-2008'\n",
     "vonpeter.foo"),
    ("name = 'x'\n[vonpeter]\nalpha = 0.5\nR = 1.05\ntau = 2\n[koo]\npreset = 'us-2008'\n",
     "vonpeter.tau"),
    ("name = 'x'\n[vonpeter]\nalpha = 0.5\nR = 1.05\ntau = 0.01\n[koo]\npreset = 'x'\n",
     "koo.preset"),
])
def test_bad_file_is_one_line(tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    one_line_error(run_cli("scenario", "run", str(f)), needle)


def test_bad_arguments_are_one_line(tmp_path: Path) -> None:
    one_line_error(run_cli("scenario", "run", "mars-chain"), "scenario")
    one_line_error(run_cli("scenario", "run", "us-2008-chain", "--format", "csv"), "format")
    one_line_error(run_cli("scenario", "show", "mars-chain"), "preset")
    f = tmp_path / "s.toml"
    f.write_text(preset_text("japan-1990s-chain").replace("tau = 0.432", "tau = 0.6"))
    one_line_error(run_cli("scenario", "run", str(f)), "debt_low")
