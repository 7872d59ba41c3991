"""Benchmark: solve 200-period Koo paths and the Koo policy lab; print time, Newton iterations,
largest residual.

Run by hand with ``python benchmarks/bench_koo.py``. The targets are under 50 ms per path (the
path and its natural-rate path) and under 0.5 s for the whole policy lab of a preset, in-process.
"""

from __future__ import annotations

import time

import numpy as np

from bsrlab.models.deleveraging.koo import KooParams, calibrate_omega, solve_koo
from bsrlab.models.deleveraging.koo_check import check_equations
from bsrlab.scenarios.koo_lab import compare_koo
from bsrlab.scenarios.koo_presets import KOO_PRESETS
from bsrlab.scenarios.presets import PRESETS


def _best(fn, repeat: int = 5):  # type: ignore[no-untyped-def]
    fn()  # warm-up
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    for name, pre in KOO_PRESETS.items():
        pols = pre.policies("as it happened")
        best, res = _best(lambda pre=pre, pols=pols: solve_koo(pre.params, pre.debt, pols,
                                                             periods=200))
        worst = max(float(np.max(np.abs(v))) for v in check_equations(res).values())
        print(f"preset {name} as it happened: 200 periods in {1e3 * best:.1f} ms (best of 5), "
              f"{res.iterations} Newton iterations (natural rate "
              f"{res.natural_rate_iterations}), largest residual {res.max_residual:.1e}, "
              f"largest equation residual {worst:.1e}")
        best, lab = _best(lambda pre=pre: compare_koo(pre))
        paths = lab.paths.values()
        print(f"preset {name} policy lab: {len(lab.rows)} rows in {1e3 * best:.0f} ms (best of "
              f"5), Newton iterations per path {min(p.iterations for p in paths)}-"
              f"{max(p.iterations for p in paths)}, largest residual "
              f"{max(p.max_residual for p in paths):.1e}")
    for name, pre in PRESETS.items():
        nested = KooParams.from_path(pre.params, beta_b=0.5)
        omega = calibrate_omega(nested, pre.debt, 0.8 * (1 / pre.params.beta - 1))
        cases = {
            "nested (EK)": nested,
            "omega, long-term debt": nested.replace(omega=omega, amortisation=0.1),
            "omega, cash-flow repair": nested.replace(omega=omega, repair_rule="cash-flow",
                                                      repair_share=0.05),
        }
        for label, params in cases.items():
            solve_koo(params, pre.debt, periods=200)  # warm-up
            best, res = float("inf"), None
            for _ in range(5):
                t0 = time.perf_counter()
                res = solve_koo(params, pre.debt, periods=200)
                best = min(best, time.perf_counter() - t0)
            assert res is not None
            worst = max(float(np.max(np.abs(v))) for v in check_equations(res).values())
            print(f"{name}, {label}: 200 periods in {1e3 * best:.1f} ms (best of 5), "
                  f"{res.iterations} Newton iterations (natural rate "
                  f"{res.natural_rate_iterations}), largest residual {res.max_residual:.1e}, "
                  f"largest equation residual {worst:.1e}, {res.periods_at_bound} periods at "
                  f"the floor, repair ends at t = {res.repair_end}")


if __name__ == "__main__":
    main()
