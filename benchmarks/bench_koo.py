"""Benchmark: solve 200-period Koo paths; print time, Newton iterations, largest residual.

Run by hand with ``python benchmarks/bench_koo.py``. The target is under 50 ms per path (the
path and its natural-rate path).
"""

from __future__ import annotations

import time

import numpy as np

from bsrlab.models.deleveraging.koo import KooParams, calibrate_omega, solve_koo
from bsrlab.models.deleveraging.koo_check import check_equations
from bsrlab.scenarios.presets import PRESETS


def main() -> None:
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
