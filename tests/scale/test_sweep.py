"""Sweeps: bitwise identical whatever the backend, chunk size and workers; right reductions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bsrlab.core.errors import ConfigError, ParameterError
from bsrlab.scale.sweep import SweepConfig, iter_blocks, query, run
from bsrlab.vonpeter import Params, solve

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLE = {
    "model": {"outputs": ["delta", "regime", "tau_star", "p_t"]},
    "parameters": {"alpha": {"uniform": [0.3, 0.9]}, "R": {"triangular": [1.02, 1.04, 1.08]},
                   "gamma": {"beta": [2.0, 5.0]}},
    "shock": {"tau": {"exponential": {"mean": 0.05}}},
    "sample": {"points": 50_000, "seed": 11, "block": 4096},
}


def _fingerprint(res: object, path: Path | None) -> tuple[str, object]:
    table = pq.read_table(path) if path is not None else None
    return json.dumps(res.summary, sort_keys=True), table  # type: ignore[attr-defined]


def test_bitwise_identical_for_workers_and_chunks(tmp_path: Path) -> None:
    cfg = SweepConfig.from_dict(SAMPLE)
    runs = [(1, None), (2, 1), (2, 5)]
    prints = []
    for w, ch in runs:
        out = tmp_path / f"w{w}c{ch}.parquet"
        res = run(cfg, workers=w, chunk_blocks=ch, out=out)
        prints.append(_fingerprint(res, out))
    first = prints[0]
    for s, table in prints[1:]:
        assert s == first[0]
        assert table.equals(first[1])
    assert first[1].num_rows == 50_000


@pytest.mark.dask
def test_bitwise_identical_on_a_dask_local_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    cfg = SweepConfig.from_dict(SAMPLE)
    ref = run(cfg, workers=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        res = run(cfg, client=client)
    assert res.backend == "dask"
    assert json.dumps(res.summary, sort_keys=True) == json.dumps(ref.summary, sort_keys=True)


def test_grid_reductions_match_the_solver() -> None:
    doc = {"model": {"outputs": ["delta", "regime"]},
           "parameters": {"alpha": {"grid": [0.2, 0.9, 15]}, "beta": 0.95,
                          "gamma": {"values": [0.0, 0.3]}},
           "shock": {"tau": {"grid": [0.0, 0.4, 41]}},
           "sample": {"block": 100},
           "reduce": {"ranges": {"delta": [0.0, 1.0]}, "quantiles": [0.5]}}
    cfg = SweepConfig.from_dict(doc)
    res = run(cfg, workers=1)
    a, g, t = np.meshgrid(np.linspace(0.2, 0.9, 15), [0.0, 0.3], np.linspace(0, 0.4, 41),
                          indexing="ij")
    sol = solve(Params(alpha=a.ravel(), beta=0.95, gamma=g.ravel()), t.ravel())
    s = res.summary
    assert res.points == 15 * 2 * 41 and res.blocks == 13
    assert s["delta"]["count"] == res.points
    assert abs(s["delta"]["mean"] - float(np.mean(sol.delta))) < 1e-13
    assert s["delta"]["max"] == float(np.max(sol.delta))
    ordered = np.sort(sol.delta)
    width = 1.0 / 2**14  # the fine histogram's bin over the range [0, 1]
    k = res.points // 2
    assert ordered[k - 1] - width <= s["delta"]["quantiles"]["0.5"] <= ordered[k] + width
    counts = np.bincount(sol.regime, minlength=4)
    assert list(s["regime"]["counts"].values()) == counts.tolist()
    inputs = list(iter_blocks(cfg))
    assert sum(np.size(b["tau"]) for b in inputs) == res.points


def test_query_with_duckdb(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    cfg = SweepConfig.from_dict({**SAMPLE, "sample": {"points": 5000, "seed": 1}})
    out = tmp_path / "r.parquet"
    res = run(cfg, workers=1, out=out)
    names, rows = query(out, "select regime, count(*) as n from results group by 1 order by 1")
    assert names == ["regime", "n"]
    assert [r[1] for r in rows] == [c for c in res.summary["regime"]["counts"].values() if c]


@pytest.mark.parametrize(("doc", "err", "match"), [
    ({"model": {"outputs": ["nope"]}}, ParameterError, "model.outputs"),
    ({"sample": {"points": 10, "seeds": 1}}, ConfigError, "sample.seeds"),
    ({"parameters": {"alpha": {"grid": [0.3, 0.9, 3]}, "R": 1.05,
                     "gamma": {"uniform": [0, 1]}}}, ConfigError, "gamma"),
    ({"parameters": {"alpha": {"grid": [0.01, 0.9, 3]}, "R": 3.0}}, ParameterError, "R"),
])
def test_bad_sweep_configurations_are_named(doc: dict, err: type, match: str) -> None:
    with pytest.raises(err, match=match):
        SweepConfig.from_dict({**SAMPLE, **doc})


def test_sigterm_leaves_no_half_written_file(tmp_path: Path) -> None:
    cfg = tmp_path / "big.toml"
    cfg.write_text('[parameters]\nalpha = { uniform = [0.3, 0.9] }\nR = 1.05\n'
                   '[shock]\ntau = { uniform = [0.0, 0.3] }\n'
                   '[sample]\npoints = 200000000\nseed = 1\n')
    out = tmp_path / "r.parquet"
    exe = [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()"]
    with subprocess.Popen([*exe, "sweep", "--config", str(cfg), "--out", str(out),
                           "--workers", "2"], stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(p.name.startswith(".r.parquet")
                                                       for p in tmp_path.iterdir()):
            time.sleep(0.02)
        time.sleep(0.2)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert time.monotonic() - t0 < 10
    assert proc.returncode == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.toml"]
    assert os.path.exists(cfg)


def test_blocks_are_seeded_by_seedsequence_spawn() -> None:
    cfg = SweepConfig.from_dict(SAMPLE)
    children = np.random.SeedSequence(11).spawn(3)
    for i in (0, 2):
        u = np.random.default_rng(children[i]).random((4, 4096))
        block = cfg.space.block(i, cfg.block)
        np.testing.assert_array_equal(block["alpha"], u[0] * (0.9 - 0.3) + 0.3)
