"""The command line: JSON contracts, readable tables, one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bsrlab.vonpeter import Params, solve, thresholds

SOLVE_KEYS = ["delta", "p_t", "p_next", "s_t", "s_next", "asset_value_t", "loan_losses",
              "total_losses", "firm_profits_t", "bank_capital_t", "bank_dividends_t",
              "deposits_t", "depositor_losses", "regime"]
BASE = ["--alpha", "0.5", "--beta", "0.95", "--gamma", "0.3"]


def test_solve_json_object(cli) -> None:
    r = cli("solve", *BASE, "--tau", "0.02", "--format", "json")
    assert r.code == 0, r.err
    obj = json.loads(r.out)
    assert list(obj) == SOLVE_KEYS
    ref = solve(Params(alpha=0.5, beta=0.95, gamma=0.3), 0.02)
    assert obj["delta"] == float(ref.delta)
    assert obj["regime"] in {"firms_absorb", "dividends_absorb", "capital_absorbs", "insolvent"}


def test_solve_json_list_for_several_taus(cli) -> None:
    r = cli("solve", *BASE, "--tau", "0.01,0.05,0.5,1", "--format", "json")
    assert r.code == 0, r.err
    objs = json.loads(r.out)
    assert isinstance(objs, list) and len(objs) == 4
    assert [o["regime"] for o in objs][-1] == "insolvent"
    assert all(list(o) == SOLVE_KEYS for o in objs)


def test_solve_table_is_readable(cli) -> None:
    r = cli("solve", *BASE, "--tau", "0.02,0.2")
    assert r.code == 0
    assert "asset price decline" in r.out and "%" in r.out and "tau = 0.2" in r.out
    assert "converged=True" in r.out


def test_thresholds_json(cli) -> None:
    r = cli("thresholds", "--alpha", "0.5", "--beta", str(1 / 1.05), "--gamma", "0",
            "--format", "json")
    assert r.code == 0
    obj = json.loads(r.out)
    assert list(obj) == ["delta_0", "delta_div", "delta_star", "delta_K", "tau_0", "tau_div",
                         "tau_star", "tau_K"]
    assert obj["delta_star"] == pytest.approx(0.055)
    th = thresholds(Params(alpha=0.5, beta=1 / 1.05, gamma=0.0))
    assert obj["tau_K"] == float(th.tau_K)


def test_thresholds_table_in_percent(cli) -> None:
    r = cli("thresholds", "--alpha", "0.5", "--beta", str(1 / 1.05), "--gamma", "0")
    assert r.code == 0 and "5.500 %" in r.out


def test_equilibria_json(cli) -> None:
    r = cli("equilibria", *BASE, "--tau", "0.01", "--format", "json")
    assert r.code == 0
    objs = json.loads(r.out)
    assert [o["kind"] for o in objs] == ["fundamental", "capital_crunch", "banking_crisis"]
    assert all(set(o) == {"kind", "delta", "loan_rate", "stable", "self_fulfilling"}
               for o in objs)
    assert objs[2]["loan_rate"] is None  # infinite
    r2 = cli("equilibria", *BASE, "--tau", "0.6", "--format", "json")
    assert [o["kind"] for o in json.loads(r2.out)] == ["banking_crisis"]


def test_equilibria_table(cli) -> None:
    r = cli("equilibria", *BASE, "--tau", "0.01")
    assert r.code == 0 and "infinite" in r.out and "spread" in r.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["solve", "--alpha", "0.01", "--beta", "0.95", "--gamma", "0.3", "--tau", "0.1"],
         "parameter 'alpha' must satisfy R - 1 < alpha < 1"),
        (["solve", *BASE, "--tau", "1.5"], "parameter 'tau' must satisfy 0 <= tau <= 1; got 1.5"),
        (["solve", *BASE, "--tau", "x"], "parameter 'tau'"),
        (["thresholds", "--alpha", "0.5", "--beta", "1.2", "--gamma", "0"],
         "parameter 'beta' must satisfy 0 < beta < 1; got 1.2"),
        (["equilibria", *BASE[:4], "--gamma", "1", "--tau", "0.1"],
         "parameter 'gamma' must satisfy 0 <= gamma < 1; got 1.0"),
        (["solve", *BASE, "--tau", "0.1", "--y", "-1"], "parameter 'y' must satisfy y > 0"),
        (["solve", *BASE, "--tau", "0.1", "--H", "0"], "parameter 'H' must satisfy H > 0"),
        (["solve", *BASE], "Missing option '--tau'"),
        (["solve", *BASE, "--tau", "0.1", "--format", "xml"], "--format"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args: list[str], needle: str) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.err
    assert "Traceback" not in r.err


def test_console_script_end_to_end() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", "solve",
         "--alpha", "0.01", "--beta", "0.95", "--gamma", "0", "--tau", "0.1"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "alpha" in proc.stderr
    assert "Traceback" not in proc.stderr
