"""Benchmark: solve a 200-period nonlinear deleveraging path; print time and Newton iterations.

Run with ``python benchmarks/bench_deleveraging.py``. The target is well under a second.
"""

from __future__ import annotations

import time

from bsrlab.models.deleveraging.path import solve_path
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import PRESETS


def main() -> None:
    for name, pre in PRESETS.items():
        solve_path(pre.params, pre.debt, periods=200)  # warm-up (imports, caches)
        best, res = float("inf"), None
        for _ in range(5):
            t0 = time.perf_counter()
            res = solve_path(pre.params, pre.debt, periods=200)
            best = min(best, time.perf_counter() - t0)
        assert res is not None
        print(f"{name}: 200-period path solved in {1e3 * best:.1f} ms (best of 5), "
              f"{res.iterations} Newton iterations, natural-rate path "
              f"{res.natural_rate_iterations} iterations, largest residual "
              f"{res.max_residual:.1e}, {res.periods_at_bound} periods at the floor")
        t0 = time.perf_counter()
        compare_policies(name)
        print(f"{name}: policy lab (7 policies, {pre.periods} periods) in "
              f"{1e3 * (time.perf_counter() - t0):.1f} ms")


if __name__ == "__main__":
    main()
