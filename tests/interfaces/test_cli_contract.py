"""The command line's contract: --version, --R, --format csv, lists of shocks, labels, errors."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bsrlab
from bsrlab.core.errors import ConfigError, DataError
from bsrlab.data import BIS_NOMINAL, JST, cache_dir, fetch, import_file, load_bis, locate
from bsrlab.data.loaders import parsed_cache_path
from bsrlab.models.deleveraging.path import PATH_KEYS
from bsrlab.models.vonpeter import Params, equilibria, solve
from bsrlab.presentation.config import ReportConfig, load_config, resolve_config

from ._cli import run_cli

BASE = ["--alpha", "0.5", "--gamma", "0.3"]
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def one_line_error(res: object, needle: str) -> None:
    assert res.code == 2, res  # type: ignore[attr-defined]
    lines = res.err.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("bsrlab: error: "), lines
    assert needle in lines[0], lines[0]


# ---- version, --R, lists of shocks ---------------------------------------------------------

def test_version() -> None:
    res = run_cli("--version")
    assert res.code == 0 and res.out == f"bsrlab {bsrlab.__version__}\n"
    assert re.fullmatch(r"bsrlab \d+\.\d+\.\d+\n", res.out)


@pytest.mark.parametrize("command", [["solve", "--tau", "0.02,0.3"], ["thresholds"],
                                     ["equilibria", "--tau", "0.01"]])
def test_R_is_beta_inverted(command: list[str]) -> None:
    R = 1.05
    by_beta = run_cli(*command, *BASE, "--beta", repr(1 / R), "--format", "json")
    by_R = run_cli(*command, *BASE, "--R", repr(R), "--format", "json")
    assert by_beta.code == 0 and by_R.code == 0, by_R.err
    assert json.loads(by_beta.out) == json.loads(by_R.out)


def test_case_show_takes_beta_or_R() -> None:
    a = run_cli("case", "show", "japan-1990s", "--format", "json", "--R", "1.25",
                "--alpha", "0.5")
    b = run_cli("case", "show", "japan-1990s", "--format", "json", "--beta", "0.8",
                "--alpha", "0.5")
    assert a.code == 0 and b.code == 0, a.err + b.err
    assert json.loads(a.out) == json.loads(b.out)
    one_line_error(run_cli("case", "show", "japan-1990s", "--R", "1.2", "--beta", "0.8"),
                   "--R")


@pytest.mark.parametrize("command", ["solve", "thresholds", "equilibria", "figures", "report"])
def test_beta_and_R_together_is_an_error(command: str, tmp_path: Path) -> None:
    extra = ["--tau", "0.1"] if command in ("solve", "equilibria") else []
    if command in ("figures", "report"):
        extra = ["--out", str(tmp_path / "o")]
    res = run_cli(command, *BASE, "--beta", "0.95", "--R", "1.05", *extra)
    one_line_error(res, "--R")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["solve", "thresholds", "equilibria"])
def test_neither_beta_nor_R_names_both(command: str) -> None:
    extra = ["--tau", "0.1"] if command != "thresholds" else []
    res = run_cli(command, *BASE, *extra)
    one_line_error(res, "--beta")
    assert "--R" in res.err


def test_equilibria_for_several_shocks() -> None:
    res = run_cli("equilibria", *BASE, "--beta", "0.95", "--tau", "0.01,0.6", "--format", "json")
    assert res.code == 0, res.err
    got = json.loads(res.out)
    p = Params(alpha=0.5, beta=0.95, gamma=0.3)
    assert [g["tau"] for g in got] == [0.01, 0.6]
    for g in got:
        assert list(g) == ["tau", "equilibria"]
        ref = [e.to_dict() for e in equilibria(p, g["tau"])]
        assert [e["kind"] for e in g["equilibria"]] == [e["kind"] for e in ref]
        assert [e["delta"] for e in g["equilibria"]] == [float(e["delta"]) for e in ref]
    single = json.loads(run_cli("equilibria", *BASE, "--beta", "0.95", "--tau", "0.01",
                                "--format", "json").out)
    assert single == got[0]["equilibria"]  # one shock: the list of equilibria, as before
    table = run_cli("equilibria", *BASE, "--beta", "0.95", "--tau", "0.01,0.6")
    assert "tau = 0.01" in table.out and "tau = 0.6" in table.out


# ---- csv -----------------------------------------------------------------------------------

def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _same(cell: str, value: object) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, float):
        return float(cell) == value
    return cell == str(value)


def test_solve_csv_matches_json() -> None:
    args = ["solve", *BASE, "--beta", "0.95", "--tau", "0.01,0.05,0.5"]
    rows = _csv(run_cli(*args, "--format", "csv").out)
    objs = json.loads(run_cli(*args, "--format", "json").out)
    assert len(rows) == 3
    for t, row, obj in zip((0.01, 0.05, 0.5), rows, objs, strict=True):
        assert list(row) == ["tau", *obj]
        assert float(row["tau"]) == t
        assert all(_same(row[k], v) for k, v in obj.items())
    ref = solve(Params(alpha=0.5, beta=0.95, gamma=0.3), [0.01, 0.05, 0.5])
    assert [float(r["delta"]) for r in rows] == [float(d) for d in np.asarray(ref.delta)]


@pytest.mark.parametrize("args", [
    ["thresholds", *BASE, "--R", "1.05"],
    ["equilibria", *BASE, "--R", "1.05", "--tau", "0.01,0.2"],
    ["deleverage", "endowment", "--beta", "0.96", "--d-high", "0.5", "--d-low", "0.2"],
    ["deleverage", "two-state"],
    ["deleverage", "path", "--preset", "us-2008", "--periods", "20"],
    ["case", "list"],
    ["case", "show", "us-1929"],
    ["data", "status"],
])
def test_csv_parses_and_matches_json(args: list[str]) -> None:
    js = json.loads(run_cli(*args, "--format", "json").out)
    res = run_cli(*args, "--format", "csv")
    assert res.code == 0, res.err
    rows = _csv(res.out)
    records = js if isinstance(js, list) else [js]
    if args[0] == "equilibria":
        records = [{"tau": g["tau"], **e} for g in js for e in g["equilibria"]]
    assert len(rows) == len(records)
    for row, rec in zip(rows, records, strict=True):
        for key, value in rec.items():
            if isinstance(value, dict):
                for k2, v2 in value.items():
                    if not isinstance(v2, dict | list):
                        assert _same(row[f"{key}.{k2}"], v2), (key, k2)
            elif isinstance(value, list):
                for i, v2 in enumerate(value):
                    if not isinstance(v2, dict | list):
                        assert _same(row[f"{key}.{i}"], v2), (key, i)
            else:
                assert _same(row[key], value), key


# ---- human tables --------------------------------------------------------------------------

def test_deleverage_tables_use_labels_and_percent() -> None:
    res = run_cli("deleverage", "endowment", "--beta", "0.96", "--d-high", "0.5",
                  "--d-low", "0.2")
    assert res.code == 0
    from bsrlab.models.deleveraging.outputs import ENDOWMENT_VOCABULARY

    assert "c_borrower_short" not in res.out and "natural_rate" not in res.out
    assert ENDOWMENT_VOCABULARY["c_borrower_short"].label in res.out
    rate = json.loads(run_cli("deleverage", "endowment", "--beta", "0.96", "--d-high", "0.5",
                              "--d-low", "0.2", "--format", "json").out)["natural_rate"]
    assert f"{100 * rate:.2f} %" in res.out
    comp = run_cli("deleverage", "compare", "--preset", "us-2008")
    assert "cumulative_output_loss" not in comp.out and "cumulative output loss %" in comp.out


def test_path_table_is_trimmed_to_the_periods_that_matter() -> None:
    args = ["deleverage", "path", "--model", "ek", "--preset", "japan-1990s", "--periods", "60"]
    rows = json.loads(run_cli(*args, "--format", "json").out)
    assert len(rows) == 60 and all(tuple(r) == PATH_KEYS for r in rows)
    short = run_cli(*args).out.splitlines()
    full = run_cli(*args, "--all-periods").out.splitlines()
    body = [ln for ln in short if re.match(r"^\d+\s", ln)]
    assert len([ln for ln in full if re.match(r"^\d+\s", ln)]) == 60
    k = len(body)
    assert 5 < k < 30
    assert f"t = {k}..59: steady state (values as in the last row)" in short
    # every row left out shows the same values as the last row shown
    assert all(ln.split()[1:] == body[-1].split()[1:] for ln in full[-(60 - k):])
    # and the last rows shown include the last change (the debt limit, the bound)
    last_move = max(i for i in range(60) if full[3 + i].split()[1:] != full[-1].split()[1:])
    assert last_move < k - 1
    with_policy = run_cli("deleverage", "path", "--model", "ek", "--policy", "fiscal",
                          "--start", "20",
                          "--duration", "3", "--size", "0.01")
    rows_shown = [ln for ln in with_policy.out.splitlines() if re.match(r"^\d+\s", ln)]
    assert len(rows_shown) >= 23  # the policy window ends at t = 22


def test_policy_help_comes_from_the_registry() -> None:
    from bsrlab.policies import registry

    res = run_cli("deleverage", "path", "--help")
    flat = "".join(res.out.split())
    for name in registry.names("deleveraging"):
        assert name in flat
    one_line_error(run_cli("deleverage", "path", "--policy", "helicopter"), "--policy")


# ---- one-line errors ------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "needle"), [
    (["solve", "--alpha", "abc", "--beta", "0.95", "--gamma", "0.3", "--tau", "0.1"],
     "option --alpha: expected a real number; got 'abc'"),
    (["solve", *BASE, "--beta", "0.95", "--tau", "0.1,"], "option --tau"),
    (["solve", *BASE, "--beta", "0.95", "--tau", ","], "option --tau"),
    (["equilibria", *BASE, "--beta", "0.95", "--tau", "0.1,,0.2"], "option --tau"),
    (["solve", *BASE, "--beta", "0.95", "--tau", "0.1", "--y", "inf"], "parameter 'y'"),
    (["solve", "--alpha", "nan", "--beta", "0.95", "--gamma", "0.3", "--tau", "0.1"],
     "parameter 'alpha'"),
    (["thresholds", *BASE, "--R", "-inf"], "parameter 'R'"),
    (["report", "--out", ""], "parameter 'out'"),
    (["report", "--out", "x" * 300], "parameter 'out'"),
    (["figures", "--out", ""], "parameter 'out'"),
    (["figures", "--out", "/tmp/x", "--dpi", "1e9"], "option --dpi"),
    (["report", "--out", "/tmp/x", "--shocks", "0.1,"], "option --shocks"),
    (["report", "--out", "/tmp/x", "--preset", "atlantis"], "deleveraging_preset"),
    (["validate", "--out", ""], "parameter 'out'"),
    (["data", "fetch", "jst", "--base-url", "ht!tp://"], "base-url"),
    (["data", "fetch", "jst", "--base-url", ""], "base-url"),
    (["data", "fetch", "jst", "--base-url", "http://x:port/"], "base-url"),
    (["data", "fetch", "jst", "--base-url", "file:///nonexistent"], "nothing was written"),
    (["deleverage", "two-state", "--kappa", "nan"], "kappa"),
    (["deleverage", "path", "--periods", "1.5"], "option --periods"),
    (["case", "list", "--format", "yaml"], "option --format"),
])
def test_bad_input_is_one_line(args: list[str], needle: str) -> None:
    one_line_error(run_cli(*args), needle)
    assert not cache_dir().exists() or not [
        p for p in cache_dir().iterdir() if p.name.endswith(".part")]


# admissible parameters, many at the edge of their range: a result or a one-line error
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(R=st.floats(1.0, 2.0, exclude_min=True, exclude_max=True),
       a=st.floats(0.0, 1.0, exclude_min=True, exclude_max=True),
       gamma=st.floats(0.0, 1.0, exclude_max=True), tau=st.floats(0.0, 1.0),
       y=st.floats(1e-300, 1e300), H=st.floats(1e-300, 1e300))
def test_near_boundary_parameters_never_crash(R: float, a: float, gamma: float, tau: float,
                                              y: float, H: float) -> None:
    alpha = (R - 1.0) + a * (1.0 - (R - 1.0))
    assume(R - 1.0 < alpha < 1.0 and gamma < 1.0)
    for cmd in (["solve", "--tau", repr(tau)], ["thresholds"], ["equilibria", "--tau", repr(tau)]):
        res = run_cli(*cmd, "--alpha", repr(alpha), "--R", repr(R), "--gamma", repr(gamma),
                      "--y", repr(y), "--H", repr(H), "--format", "json")
        assert res.code in (0, 2) and "Traceback" not in res.err
        if res.code == 2:
            assert len(res.err.splitlines()) == 1
        else:
            assert "NaN" not in res.out and "Infinity" not in res.out
            json.loads(res.out)


# ---- configuration files ---------------------------------------------------------------------

def _toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(("text", "needle"), [
    ("alpha = 0.5\n" * 1 + "title = '" + "x" * 2_000_000 + "'\n", "larger than"),
    ("x = " + "[" * 100 + "]" * 100 + "\n", "nested"),
    ("alpha = 1" + "0" * 400 + "\n", "digits"),
    ("alpha = 1e400\n", "alpha"),
    ("sections = ['vonpeter', 'vonpeter']\n", "more than once"),
    ("shocks = [" + ", ".join(["0.1"] * 101) + "]\n", "at most 100"),
    ("deleveraging_preset = 'atlantis'\n", "deleveraging_preset"),
    ("data_dir = 3\n", "'data_dir' must be a string"),
])
def test_bad_config_files(tmp_path: Path, text: str, needle: str) -> None:
    p = _toml(tmp_path, text)
    with pytest.raises((ConfigError, ValueError), match=needle):
        load_config(p)
    res = run_cli("report", "--out", str(tmp_path / "out"), "--config", str(p))
    one_line_error(res, needle)
    assert not (tmp_path / "out").exists()


def test_fifo_and_devices_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    one_line_error(run_cli("report", "--out", str(tmp_path / "o"), "--config", str(fifo)),
                   "FIFO")
    one_line_error(run_cli("report", "--out", str(tmp_path / "o"), "--config", "/dev/zero"),
                   "not a regular file")
    one_line_error(run_cli("report", "--out", str(tmp_path / "o"), "--config", str(tmp_path)),
                   "directory")


def test_config_schema_has_data_dir_and_preset(tmp_path: Path) -> None:
    cfg = load_config(_toml(tmp_path, "data_dir = '/data'\ndeleveraging_preset = 'us-2008'\n"))
    assert (cfg.data_dir, cfg.deleveraging_preset) == ("/data", "us-2008")
    assert ReportConfig().data_dir is None and ReportConfig().deleveraging_preset == "japan-1990s"
    back = load_config(_toml(tmp_path, cfg.to_toml()))
    assert (back.data_dir, back.deleveraging_preset) == ("/data", "us-2008")
    over = resolve_config(None, overrides={"data_dir": "/x", "deleveraging_preset": "us-2008"})
    assert (over.data_dir, over.deleveraging_preset) == ("/x", "us-2008")
    odd = ReportConfig(title='tab\there "quoted" \\ back\x01')
    assert load_config(_toml(tmp_path, odd.to_toml())).title == odd.title


def test_report_passes_data_dir_and_preset(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import bsrlab.presentation.report as report

    seen: list[ReportConfig] = []

    def write(cfg: ReportConfig, out: object, progress: object = None) -> Path:
        seen.append(cfg)
        return Path(str(out)) / "report.html"

    monkeypatch.setattr(report, "write", write)
    res = run_cli("report", "--out", str(tmp_path / "r"), "--data-dir", str(tmp_path),
                  "--deleveraging-preset", "us-2008", "--R", "1.04")
    assert res.code == 0, res.err
    assert seen[-1].data_dir == str(tmp_path) and seen[-1].deleveraging_preset == "us-2008"
    assert math.isclose(seen[-1].R, 1.04, rel_tol=1e-14)
    run_cli("report", "--out", str(tmp_path / "r"), "--preset", "japan-1990s")
    assert seen[-1].deleveraging_preset == "japan-1990s" and seen[-1].data_dir is None


# ---- the data store --------------------------------------------------------------------------

def test_directory_where_a_cache_file_should_be(tmp_path: Path) -> None:
    (cache_dir() / JST.filename).mkdir(parents=True)
    with pytest.raises(DataError, match="not a regular file"):
        locate(JST, cache_dir())
    one_line_error(run_cli("validate", "--data-dir", str(cache_dir())), "not a regular file")
    src = tmp_path / "served"
    src.mkdir()
    (src / JST.filename).write_bytes(b"x" * 10)
    with pytest.raises(DataError, match="not a regular file"):
        fetch(["jst"], base_url=src.as_uri())
    assert (cache_dir() / JST.filename).is_dir()
    assert not [p for p in cache_dir().iterdir() if p.name.endswith(".part")]


def test_a_partial_or_oversized_download_never_stays(tmp_path: Path) -> None:
    src = tmp_path / "served"
    src.mkdir()
    (src / BIS_NOMINAL.filename).write_bytes(b"date,country_code\n" * 100)  # short
    with pytest.raises(DataError, match="nothing was written"):
        fetch(["bis-nominal"], base_url=src.as_uri())
    (src / BIS_NOMINAL.filename).write_bytes(b"0" * (BIS_NOMINAL.size * 3))  # too long
    with pytest.raises(DataError, match="nothing was written"):
        fetch(["bis-nominal"], base_url=src.as_uri())
    assert sorted(p.name for p in cache_dir().iterdir()) == []


def test_stale_part_files_are_removed(tmp_path: Path) -> None:
    cache_dir().mkdir(parents=True, exist_ok=True)
    stale = cache_dir() / f".{BIS_NOMINAL.filename}.abc.part"
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))
    src = tmp_path / "served"
    src.mkdir()
    (src / BIS_NOMINAL.filename).write_bytes(b"short")
    with pytest.raises(DataError):
        fetch(["bis-nominal"], base_url=src.as_uri())
    assert not stale.exists()


@pytest.fixture
def shared_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    env = os.environ.get("BSRLAB_REQUIRE_DATA")
    if not (SHARED / BIS_NOMINAL.filename).is_file():
        if env == "1":
            pytest.fail("BSRLAB_REQUIRE_DATA=1 but the shared data are not available")
        pytest.skip("the shared data files are not available")
    return SHARED


def test_parsed_data_are_cached_and_a_bad_entry_is_rebuilt(shared_data: Path) -> None:
    from bsrlab.data import loaders

    import_file(shared_data / BIS_NOMINAL.filename)
    loaders._parse_bis.cache_clear()
    first = load_bis("nominal", cache_dir())
    entry = parsed_cache_path(BIS_NOMINAL, BIS_NOMINAL.sha256)
    assert entry.is_file()
    for damage in (b"not an archive", entry.read_bytes()[:1000], b""):
        entry.write_bytes(damage)
        loaders._parse_bis.cache_clear()
        again = load_bis("nominal", cache_dir())
        assert again.equals(first)
        assert entry.stat().st_size > 1000  # rebuilt
    # an archive for another file (a foreign sha256 inside) is not trusted
    other = parsed_cache_path(BIS_NOMINAL, "0" * 64)
    shutil.copyfile(entry, other)
    assert loaders._read_parsed(BIS_NOMINAL, "0" * 64) is None
    entry.unlink()
    entry.mkdir()  # a directory where the cache entry should be: parsed again, no error
    loaders._parse_bis.cache_clear()
    assert load_bis("nominal", cache_dir()).equals(first)
