"""Wall and CPU time of the commands a person waits for, against their targets.

Run by hand from the repository root::

    python benchmarks/bench_cli.py            # every command, median of 5 runs
    python benchmarks/bench_cli.py --repeat 3 --skip report

Each command runs as a real subprocess (``python -m``-free: the ``bsrlab`` entry point's
``main``), so interpreter start-up and imports are included, as a user sees them. ``validate``
needs the JST data (``$BSRLAB_DATA``, else ``../shared/data`` beside the repository); it runs
once before timing so that the parsed data are in the cache ("data seen before"). The cache is a
temporary directory, never the user's.

The "before" column holds the times of release 0.1.0 before the restructuring (commit b717521),
measured the same way on the same 2-core machine with byte code cached: median of 5 runs (of 3
for the report).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> (arguments, measure, target in seconds, before: (wall, cpu) in seconds)
COMMANDS: dict[str, tuple[list[str], str, float, tuple[float, float]]] = {
    "solve (one point)": (["solve", "--alpha", "0.5", "--beta", "0.95", "--gamma", "0.1",
                           "--tau", "0.05"], "wall", 0.3, (0.44, 0.44)),
    "case list": (["case", "list"], "wall", 0.5, (1.73, 1.73)),
    "validate (data seen before)": (["validate"], "wall", 1.0, (4.25, 4.25)),
    "deleverage compare": (["deleverage", "compare"], "wall", 0.5, (1.98, 1.98)),
    "report": (["report", "--out", "TMP/report"], "cpu", 3.0, (10.4, 10.3)),
}


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall, cpu, exit status) of one run of ``bsrlab ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from bsrlab.interfaces.cli import main; main()", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    ap.add_argument("--skip", action="append", default=[], help="skip commands containing this")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="compile every module on every run (PYTHONDONTWRITEBYTECODE kept); by "
                         "default the byte code is cached, as after a pip install")
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bsrlab-bench-"))
    env = dict(os.environ, BSRLAB_CACHE=str(tmp / "cache"))
    if not opts.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its byte code cached
    data = os.environ.get("BSRLAB_DATA") or str(ROOT.parent / "shared" / "data")
    if Path(data, "JSTdatasetR6.xlsx").is_file():
        env["BSRLAB_DATA"] = data
    rows = []
    try:
        for name, (args, measure, target, (b_wall, b_cpu)) in COMMANDS.items():
            if any(s in name for s in opts.skip):
                continue
            argv = [a.replace("TMP", str(tmp)) for a in args]
            if name.startswith("validate") and "BSRLAB_DATA" not in env:
                rows.append((name, "no data", "", "", f"{target:.1f} s {measure}", ""))
                continue
            _run(argv, env)  # warm-up: byte code, parsed-data cache, notices
            walls, cpus, codes = [], [], set()
            for _ in range(opts.repeat):
                w, c, code = _run(argv, env)
                walls.append(w)
                cpus.append(c)
                codes.add(code)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            got = wall if measure == "wall" else cpu
            before = b_wall if measure == "wall" else b_cpu
            status = "ok" if got <= target else "over"
            if codes != {0}:
                status = f"exit {sorted(codes)}"
            rows.append((name, f"{wall:.2f}", f"{cpu:.2f}", f"{before:.2f}",
                         f"{target:.1f} s {measure}", status))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    head = ("command", "wall s", "cpu s", "before s", "target", "")
    widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(len(head))]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(f"median of {opts.repeat} runs; 'before' is the measure named in 'target'")


if __name__ == "__main__":
    main()
