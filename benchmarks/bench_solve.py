"""Benchmark: the vectorised solver against a per-point scipy.optimize.brentq loop.

Solves N random admissible (alpha, beta, gamma, tau) points in one call of
:func:`bsrlab.models.vonpeter.solve`, and a subsample of them one at a time with the reference
solver :func:`bsrlab.models.vonpeter.reference.solve_point` (math + brentq), then scales the loop's
rate. Both compute the same outputs; the benchmark checks that they agree on the subsample.

``--backend`` picks the implementation of ``solve`` for arrays: ``c`` (the fused kernel, the
default when it is built) or ``numpy`` (the chunked numpy path).

Run:  python benchmarks/bench_solve.py [--n 1000000] [--sample 20000] [--repeat 5]
          [--backend c|numpy]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from bsrlab.models.vonpeter.reference import solve_point
from bsrlab.vonpeter import OUTPUT_KEYS, Params, solve


def draw(n: int, seed: int) -> tuple[np.ndarray, ...]:
    """Uniform draws over the admissible box: beta in [0.6, 0.999], alpha in (R-1, 1)."""
    rng = np.random.default_rng(seed)
    beta = rng.uniform(0.6, 0.999, n)
    R = 1.0 / beta
    alpha = (R - 1.0) + rng.uniform(0.001, 0.999, n) * (2.0 - R)
    gamma = rng.uniform(0.0, 0.99, n)
    tau = rng.uniform(0.0, 1.0, n)
    return alpha, beta, gamma, tau


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2004)
    ap.add_argument("--backend", default=None, choices=("c", "numpy"))
    args = ap.parse_args()

    alpha, beta, gamma, tau = draw(args.n, args.seed)
    params = Params(alpha=alpha, beta=beta, gamma=gamma)

    t0 = time.perf_counter()
    sol = solve(params, tau, backend=args.backend)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        sol = solve(params, tau, backend=args.backend)
        warm.append(time.perf_counter() - t0)
    best = min(warm)

    m = min(args.sample, args.n)
    t0 = time.perf_counter()
    ref = [solve_point(alpha[i], beta[i], gamma[i], tau[i]) for i in range(m)]
    loop = time.perf_counter() - t0

    worst = 0.0
    for i, r in enumerate(ref):
        scale = max(1.0, alpha[i] * beta[i] / (1 - beta[i]))
        for k in OUTPUT_KEYS:
            worst = max(worst, abs(getattr(sol, k)[i] - r[k]) / scale)  # type: ignore[operator]

    vec_rate = args.n / best
    loop_rate = m / loop
    result = {
        "points": args.n,
        "backend": args.backend or "default",
        "vectorised_seconds_best": round(best, 4),
        "vectorised_seconds_median": round(float(np.median(warm)), 4),
        "vectorised_seconds_first_call": round(cold, 4),
        "vectorised_points_per_second": round(vec_rate),
        "loop_sample": m,
        "loop_seconds": round(loop, 3),
        "loop_points_per_second": round(loop_rate),
        "speedup": round(vec_rate / loop_rate, 1),
        "newton_iterations_max": sol.iterations,
        "max_residual": sol.max_residual,
        "largest_difference_vs_loop_scaled": worst,
        "regime_shares": np.bincount(sol.regime, minlength=4).tolist(),
        "cpu": platform.processor() or platform.machine(),
        "cores_visible": os.cpu_count(),
        "numpy": np.__version__,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
