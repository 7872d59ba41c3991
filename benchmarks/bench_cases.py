"""Speed of the case studies, the panel test and the dashboard, against their targets.

Run by hand from the repository root (needs the JST and BIS data: ``$BSRLAB_DATA``, else
``../shared/data`` beside the repository)::

    python benchmarks/bench_cases.py              # median of 5 runs per command
    python benchmarks/bench_cases.py --repeat 3

Measured:

- ``validate`` and ``case show`` warm (wall time of a real subprocess, start-up and imports
  included; "warm": the parsed data and the panel's figures are already in the cache from a
  first run), target 1 s each;
- ``dashboard`` warm (no target in the issue; reported);
- the panel test in the library with 1000 country-cluster bootstrap replications, every design,
  for each chronology (in-process, the data already parsed), target 30 s;
- the same cold in a subprocess (``validate`` with an empty results cache).

The cache is a temporary directory, never the user's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> (arguments, target in seconds or None)
COMMANDS: dict[str, tuple[list[str], float | None]] = {
    "validate (warm)": (["validate"], 1.0),
    "validate --format json (warm)": (["validate", "--format", "json"], 1.0),
    "case show japan-1990s (warm)": (["case", "show", "japan-1990s"], 1.0),
    "case show sweden-1990s --format json (warm)": (
        ["case", "show", "sweden-1990s", "--format", "json"], 1.0),
    "dashboard (warm)": (["dashboard"], None),
}


def _data_dir() -> Path:
    env = os.environ.get("BSRLAB_DATA")
    d = Path(env) if env else ROOT.parent / "shared" / "data"
    if not (d / "JSTdatasetR6.xlsx").is_file():
        sys.exit(f"bench_cases: the JST data are not in {d}; set BSRLAB_DATA")
    return d


def _run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    ap.add_argument("--replications", type=int, default=1000,
                    help="bootstrap replications of the in-process panel test")
    ns = ap.parse_args()
    data = _data_dir()
    cache = Path(tempfile.mkdtemp(prefix="bsrlab-bench-cases-"))
    env = {**os.environ, "BSRLAB_DATA": str(data), "BSRLAB_CACHE": str(cache)}
    rows: list[tuple[str, float, float | None, bool]] = []
    try:
        wall, code = _run(["validate"], env)  # cold: parses the data, computes and caches
        rows.append(("validate (cold: parse, panel with 1000 replications)", wall, 30.0,
                     code == 0))
        for args, _target in COMMANDS.values():
            _run(args, env)  # warm every cache once
        for name, (args, target) in COMMANDS.items():
            times = []
            ok = True
            for _ in range(ns.repeat):
                w, code = _run(args, env)
                times.append(w)
                ok &= code == 0
            rows.append((name, statistics.median(times), target, ok))
        os.environ["BSRLAB_CACHE"] = str(cache)
        from bsrlab.cases.panel import panel_test
        from bsrlab.data import load_jst

        jst = load_jst(data)
        for chron in ("jst", "lv"):
            t0 = time.perf_counter()
            panel_test(jst=jst, chronology=chron, replications=ns.replications)
            rows.append((f"panel test, {chron}, {ns.replications} replications, in process",
                         time.perf_counter() - t0, 30.0, True))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'target':>6}  verdict")
    for name, secs, target, ok in rows:
        verdict = ("error" if not ok else "-" if target is None
                   else "ok" if secs <= target else "SLOW")
        tgt = "-" if target is None else f"{target:g}"
        print(f"{name:<{width}}  {secs:8.3f}  {tgt:>6}  {verdict}")


if __name__ == "__main__":
    main()
