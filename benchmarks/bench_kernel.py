"""Benchmark: the fused kernel against the old solve and the per-point brentq loop.

For each size N (default 1e5, 1e6, 1e7) it draws N admissible points uniformly over the box of
``bench_solve.py`` (beta in [0.6, 0.999], alpha in (R-1, 1), gamma in [0, 0.99], tau in [0, 1])
and times, best of ``--repeat`` runs after a warm-up:

- ``kernel_c``: :func:`bsrlab.models.vonpeter.kernel.evaluate` with the compiled kernel, all
  13 outputs and the regime (plus a run with ``delta`` and the regime only), writing into
  buffers allocated once (:class:`~bsrlab.models.vonpeter.kernel.Workspace`), on one core
  (``workers=1``) and on two (``workers=2``, two threads);
- ``kernel_numpy``: the same with the pure-numpy path, one core;
- ``old_solve``: :func:`bsrlab.models.vonpeter.solve` (allocates its outputs on every call), on
  one core and on two (two threads, each solving half);
- ``brentq_loop``: :func:`bsrlab.models.vonpeter.reference.solve_point` one point at a time on
  a sample, rate scaled.

Rates are points per second of wall time (best and median of the repeats) and points per
CPU-second of the process (all its threads): when other work takes turns on the same core, the
wall-time rate drops but the CPU-time rate much less. The machine's two cores are shared with
other work, so the numbers are noisy: the load average at the start is printed with them.

Run:  python benchmarks/bench_kernel.py [--sizes 1e5,1e6,1e7] [--repeat 5] [--sample 2000]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import bench_solve  # beside this script
from bsrlab.models.vonpeter import kernel as kern
from bsrlab.models.vonpeter.reference import solve_point
from bsrlab.vonpeter import Params, solve


def draw(n: int, seed: int) -> tuple[np.ndarray, ...]:
    """The admissible box of bench_solve.py (its draws), with R = 1/beta in place of beta."""
    alpha, beta, gamma, tau = bench_solve.draw(n, seed)
    return alpha, 1.0 / beta, gamma, tau


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Best and median wall time, and the process CPU time of the best run."""
    fn()  # warm-up (and first touch of any buffer)
    ts, cpu = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"best": min(ts), "median": statistics.median(ts), "cpu": min(cpu)}


def rate(n: int, t: dict[str, float]) -> dict[str, float]:
    """Points per second of wall time (best, median) and per CPU-second (all threads)."""
    return {"points_per_s_best": round(n / t["best"]),
            "points_per_s_median": round(n / t["median"]),
            "points_per_cpu_s": round(n / t["cpu"]) if t["cpu"] > 0 else None}


def _old_two(halves: list[tuple[Params, np.ndarray]]) -> None:
    """The old solve on two threads, each solving half of the points."""
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda pt: solve(*pt), halves))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2004)
    args = ap.parse_args()
    load = os.getloadavg()
    results: dict[str, object] = {
        "cpu": platform.processor() or platform.machine(), "cores_visible": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "numpy": np.__version__, "backends": kern.available_backends(), "sizes": {},
    }
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    for n in sizes:
        a, R, g, t = draw(n, args.seed)
        rep = args.repeat if n <= 1_000_000 else max(2, args.repeat // 2)
        row: dict[str, object] = {}
        ws = kern.Workspace((*kern.ALL_OUTPUTS[:13], "regime"), capacity=n)
        out = ws.take(n)
        all_out = (*kern.FLOAT_OUTPUTS[:13], "regime")
        for be in kern.available_backends():
            for w in (1, 2) if be == "c" else (1,):
                tm = timed(functools.partial(kern.evaluate, a, R, g, t, outputs=all_out,
                                             out=out, backend=be, workers=w), rep)
                row[f"kernel_{be}_all_outputs_{w}_core"] = rate(n, tm)
        if "c" in kern.available_backends():
            few = {"delta": out["delta"], "regime": out["regime"]}
            tm = timed(functools.partial(kern.evaluate, a, R, g, t, outputs=("delta", "regime"),
                                         out=few), rep)
            row["kernel_c_delta_and_regime_1_core"] = rate(n, tm)
        p = Params.from_R(alpha=a, R=R, gamma=g)
        old_rep = rep if n <= 1_000_000 else 2
        row["old_solve_all_outputs_1_core"] = rate(n, timed(functools.partial(solve, p, t),
                                                            old_rep))
        half = n // 2
        p1 = Params.from_R(alpha=a[:half], R=R[:half], gamma=g[:half])
        p2 = Params.from_R(alpha=a[half:], R=R[half:], gamma=g[half:])

        halves = [(p1, t[:half]), (p2, t[half:])]
        row["old_solve_all_outputs_2_core"] = rate(n, timed(functools.partial(_old_two, halves),
                                                            old_rep))
        results["sizes"][str(n)] = row  # type: ignore[index]
    m = args.sample
    a, R, g, t = draw(m, args.seed + 1)
    t0 = time.perf_counter()
    for i in range(m):
        solve_point(a[i], 1.0 / R[i], g[i], t[i])
    loop = m / (time.perf_counter() - t0)
    results["brentq_loop_points_per_s"] = round(loop)
    for row in results["sizes"].values():  # type: ignore[attr-defined]
        c1 = row.get("kernel_c_all_outputs_1_core")
        if c1:
            best = c1["points_per_s_best"]
            row["speedup_vs_old_solve"] = round(
                best / row["old_solve_all_outputs_1_core"]["points_per_s_best"], 2)
            row["speedup_vs_brentq_loop"] = round(best / loop)
            row["two_core_scaling"] = round(
                row["kernel_c_all_outputs_2_core"]["points_per_s_best"] / best, 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
