"""Benchmark: the fused kernel against the numpy path and the per-point brentq loop.

For each size N (default 1e5, 1e6, 1e7) it draws N admissible points uniformly over the box of
``bench_solve.py`` (beta in [0.6, 0.999], alpha in (R-1, 1), gamma in [0, 0.99], tau in [0, 1])
and times, best and median of ``--repeat`` runs after a warm-up:

- ``kernel_c_all_outputs``: :func:`bsrlab.models.vonpeter.kernel.evaluate` with the compiled
  kernel, all 13 outputs and the regime, written into the buffers of a
  :class:`~bsrlab.models.vonpeter.kernel.Workspace` (allocated and touched once), on one core
  (``workers=1``) and on two (``workers=2``; the summary gives the two-core rate per core);
- ``kernel_c_delta_and_regime`` and ``kernel_c_thresholds``: fewer outputs (the regime and delta;
  the eight thresholds of Appendix 2, which skip the regime-1 root but solve delta_0), one core;
- ``solve_c``: the public :func:`bsrlab.models.vonpeter.solve` on arrays, which runs on the
  kernel and allocates a fresh :class:`Solution` on every call (page faults and zeroing of
  new memory included; timed on its own, as it disturbs whatever runs beside it);
- ``numpy_solve`` (the old path: ``solve(..., backend="numpy")``) on one core and on two threads
  each solving half, ``numpy_thresholds`` (``thresholds(..., backend="numpy")``, up to 1e6
  points) and ``kernel_numpy_all_outputs`` (the kernel's own numpy path);
- ``brentq_loop``: :func:`bsrlab.models.vonpeter.reference.solve_point` one point at a time on
  a sample, rate scaled.

The two-core scaling is given three ways: the ratio of the best rates, of the median rates, and
the median over the rounds of each round's ratio (one core's time over two cores', measured one
after the other: the fairest on a machine whose speed drifts).

Rates are points per second of wall time (best and median of the repeats) and points per
CPU-second of the process (all its threads): when other work takes turns on the same core, the
wall-time rate drops but the CPU-time rate much less. The measurements of a group take turns,
round by round (the kernel's on one and two cores are one group, so their ratio is fair). On a
shared machine the numbers are noisy: the load average at the start and at the end is printed
with them, and ``--quiet-wait S`` waits up to S seconds before each round for the other work to
pause (Linux: the machine's idle time in /proc/stat).

Run:  python benchmarks/bench_kernel.py [--sizes 1e5,1e6,1e7] [--repeat 7] [--sample 2000]
          [--quiet-wait 0]
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
from typing import Any

import numpy as np

import bench_solve  # beside this script
from bsrlab.models.vonpeter import kernel as kern
from bsrlab.models.vonpeter.reference import solve_point
from bsrlab.vonpeter import Params, solve, thresholds

ALL_OUT = (*kern.FLOAT_OUTPUTS[:13], "regime")
THRESHOLDS = ("delta_0", "delta_div", "delta_star", "delta_K", "tau_0", "tau_div", "tau_star",
              "tau_K")


def draw(n: int, seed: int) -> tuple[np.ndarray, ...]:
    """The admissible box of bench_solve.py (its draws), with R = 1/beta in place of beta."""
    alpha, beta, gamma, tau = bench_solve.draw(n, seed)
    return alpha, 1.0 / beta, gamma, tau


def _busy() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs, or None where /proc/stat is not available."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(v) - v[3] - v[4], sum(v)


def wait_quiet(limit: float) -> None:
    """Wait up to ``limit`` seconds until the CPUs have been idle for half a second."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        a = _busy()
        time.sleep(0.5)
        b = _busy()
        if a is None or b is None or (b[0] - a[0]) <= 0.05 * max(1, b[1] - a[1]):
            return


def timed(fns: dict[str, Callable[[], object]], repeat: int,
          quiet: float) -> dict[str, dict[str, Any]]:
    """Best and median wall time, and the least process CPU time, of each function.

    The functions take turns, round by round, so that changes in the machine's other work
    affect them alike (the ratio of two of them is then fairer than from separate runs).
    """
    for fn in fns.values():
        fn()  # warm-up (and the first touch of any buffer)
    ts: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        wait_quiet(quiet)
        for k, fn in fns.items():
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn()
            ts[k].append(time.perf_counter() - t0)
            cpu[k].append(time.process_time() - c0)
    return {k: {"best": min(ts[k]), "median": statistics.median(ts[k]), "cpu": min(cpu[k]),
                "rounds": ts[k]} for k in fns}


def rate(n: int, t: dict[str, Any]) -> dict[str, float | None]:
    """Points per second of wall time (best, median) and per CPU-second (all threads)."""
    return {"points_per_s_best": round(n / t["best"]),
            "points_per_s_median": round(n / t["median"]),
            "points_per_cpu_s": round(n / t["cpu"]) if t["cpu"] > 0 else None}


def _numpy_two(halves: list[tuple[Params, np.ndarray]]) -> None:
    """The numpy solve on two threads, each solving half of the points."""
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda pt: solve(*pt, backend="numpy"), halves))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2004)
    ap.add_argument("--quiet-wait", type=float, default=0.0,
                    help="seconds to wait for an idle machine before each measurement")
    args = ap.parse_args()
    q = args.quiet_wait
    results: dict[str, object] = {
        "cpu": platform.processor() or platform.machine(), "cores_visible": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "numpy": np.__version__, "backends": kern.available_backends(),
        "default_backend": kern.default_backend(), "sizes": {},
    }
    have_c = "c" in kern.available_backends()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    rows: dict[str, dict[str, object]] = {}
    for n in sizes:
        a, R, g, t = draw(n, args.seed)
        big = n > 1_000_000
        rep = max(3, args.repeat // 2) if big else args.repeat
        ws = kern.Workspace((*ALL_OUT, *THRESHOLDS), capacity=n)
        p = Params.from_R(alpha=a, R=R, gamma=g)
        fast: dict[str, Callable[[], object]] = {}
        if have_c:
            for w in (1, 2):
                fast[f"kernel_c_all_outputs_{w}_core"] = functools.partial(
                    kern.evaluate, a, R, g, t, outputs=ALL_OUT, out=ws, backend="c", workers=w)
            fast["kernel_c_delta_and_regime_1_core"] = functools.partial(
                kern.evaluate, a, R, g, t, outputs=("delta", "regime"), out=ws, backend="c")
            fast["kernel_c_thresholds_1_core"] = functools.partial(
                kern.evaluate, a, R, g, 0.0, outputs=THRESHOLDS, out=ws, backend="c")
        half = n // 2
        halves = [(Params.from_R(alpha=a[:half], R=R[:half], gamma=g[:half]), t[:half]),
                  (Params.from_R(alpha=a[half:], R=R[half:], gamma=g[half:]), t[half:])]
        slow: dict[str, Callable[[], object]] = {
            "numpy_solve_1_core": functools.partial(solve, p, t, backend="numpy"),
            "numpy_solve_2_threads": functools.partial(_numpy_two, halves),
            "kernel_numpy_all_outputs_1_core": functools.partial(
                kern.evaluate, a, R, g, t, outputs=ALL_OUT, out=ws, backend="numpy"),
        }
        if not big:
            slow["numpy_thresholds_1_core"] = functools.partial(thresholds, p, backend="numpy")
        times = timed(fast, rep, q) if fast else {}
        paired = None
        if have_c:  # one core's time over two cores', round by round (the two take turns)
            one, two = (times[f"kernel_c_all_outputs_{w}_core"]["rounds"] for w in (1, 2))
            paired = round(statistics.median(a / b for a, b in zip(one, two, strict=True)), 2)
        if have_c:  # apart: its fresh memory on every call would disturb the others
            times.update(timed({"solve_c_1_core": functools.partial(solve, p, t, backend="c")},
                               rep, q))
        times.update(timed(slow, 2 if big else rep, q))
        rows[str(n)] = {k: rate(n, v) for k, v in times.items()}
        if paired is not None:
            rows[str(n)]["two_core_scaling_paired"] = {"median_of_rounds": paired}
        del ws
    m = args.sample
    a, R, g, t = draw(m, args.seed + 1)
    t0 = time.perf_counter()
    for i in range(m):
        solve_point(a[i], 1.0 / R[i], g[i], t[i])
    loop = m / (time.perf_counter() - t0)
    results["brentq_loop_points_per_s"] = round(loop)
    for row in rows.values():
        c1: dict[str, float] | None = row.get("kernel_c_all_outputs_1_core")  # type: ignore[assignment]
        c2: dict[str, float] | None = row.get("kernel_c_all_outputs_2_core")  # type: ignore[assignment]
        if c1 and c2:
            best = c1["points_per_s_best"]
            old: dict[str, float] = row["numpy_solve_1_core"]  # type: ignore[assignment]
            row["summary"] = {
                "one_core_points_per_s": best,
                "two_cores_points_per_s": c2["points_per_s_best"],
                "two_cores_per_core_points_per_s": round(c2["points_per_s_best"] / 2),
                "two_core_scaling": round(c2["points_per_s_best"] / best, 2),
                # the same from the medians, and the median of the rounds' ratios (the two
                # take turns in each round, so a round's ratio sees one state of the machine)
                "two_core_scaling_median": round(c2["points_per_s_median"]
                                                 / c1["points_per_s_median"], 2),
                "two_core_scaling_paired": row["two_core_scaling_paired"][  # type: ignore[index]
                    "median_of_rounds"],
                "speedup_vs_numpy_solve": round(best / old["points_per_s_best"], 1),
                "speedup_vs_brentq_loop": round(best / loop),
            }
    results["sizes"] = rows
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
