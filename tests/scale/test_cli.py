"""The command-line contracts of ``bsrlab risk`` and ``bsrlab sweep``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bsrlab.scale.risk import PROBABILITY_KEYS

RISK = """\
[parameters]
alpha = { uniform = [0.3, 0.9] }
gamma = { uniform = [0.0, 0.5] }
R = 1.05
[shock]
tau = { exponential = { mean = 0.03 } }
[method]
points = 4096
seed = 1
"""

SWEEP = """\
[model]
outputs = ["delta", "regime"]
[parameters]
alpha = { uniform = [0.3, 0.9] }
beta = 0.95
[shock]
tau = { uniform = [0.0, 0.3] }
[sample]
points = 3000
seed = 2
block = 1024
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_risk_json_contract(cli: Callable[..., object], tmp_path: Path) -> None:
    r = cli("risk", "--config", _write(tmp_path, "r.toml", RISK), "--format", "json")
    assert r.code == 0, r.err  # type: ignore[attr-defined]
    d = json.loads(r.out)  # type: ignore[attr-defined]
    assert list(d) == ["probabilities", "standard_errors", "method", "points"]
    assert list(d["probabilities"]) == list(PROBABILITY_KEYS)
    assert list(d["standard_errors"]) == list(PROBABILITY_KEYS)
    assert d["method"] == "qmc-exact-shock" and d["points"] == 4096
    assert abs(sum(d["probabilities"][k] for k in PROBABILITY_KEYS[:4]) - 1) < 1e-12
    t = cli("risk", "--config", _write(tmp_path, "r.toml", RISK))
    assert t.code == 0 and "fundamental banking crisis" in t.out  # type: ignore[attr-defined]


@pytest.mark.parametrize(("extra", "needle"), [
    ("[oops]\nx = 1\n", "unknown key 'oops'"),
    ("", "alpha"),
])
def test_risk_errors_are_one_line(cli: Callable[..., object], tmp_path: Path, extra: str,
                                  needle: str) -> None:
    text = RISK + extra if extra else RISK.replace("[0.3, 0.9]", "[0.01, 0.9]")
    r = cli("risk", "--config", _write(tmp_path, "r.toml", text), "--format", "json")
    assert r.code == 2  # type: ignore[attr-defined]
    assert r.out == "" and r.err.count("\n") == 1 and needle in r.err  # type: ignore[attr-defined]


def test_sweep_json_and_query(cli: Callable[..., object], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    out = tmp_path / "res.parquet"
    r = cli("sweep", "--config", _write(tmp_path, "s.toml", SWEEP), "--workers", "1",
            "--out", str(out), "--format", "json")
    assert r.code == 0, r.err  # type: ignore[attr-defined]
    d = json.loads(r.out)  # type: ignore[attr-defined]
    assert d["points"] == 3000 and d["blocks"] == 3 and d["backend"] == "serial"
    assert sum(d["summary"]["regime"]["counts"].values()) == 3000
    q = cli("sweep", "query", str(out), "select count(*) as n from results", "--format",
            "json")
    assert q.code == 0 and json.loads(q.out) == [{"n": 3000}]  # type: ignore[attr-defined]
    bad = cli("sweep", "query", str(out), "select nope from results")
    assert bad.code == 2 and "query failed" in bad.err  # type: ignore[attr-defined]


def test_sweep_rejects_bad_options(cli: Callable[..., object], tmp_path: Path) -> None:
    cfg = _write(tmp_path, "s.toml", SWEEP)
    r = cli("sweep", "--config", cfg, "--workers", "0")
    assert r.code == 2 and "--workers" in r.err  # type: ignore[attr-defined]
    r = cli("sweep", "--config", _write(tmp_path, "t.toml", SWEEP + "[extra]\n"))
    assert r.code == 2 and "unknown key 'extra'" in r.err  # type: ignore[attr-defined]
