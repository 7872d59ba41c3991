"""Benchmark: a streaming sweep of 1e8 points, and the overhead of the Dask backend.

1. ``streaming``: ``--points`` (default 1e8) random points, alpha ~ U[0.3, 0.95],
   R ~ U[1.01, 1.25], gamma ~ U[0, 0.9], tau ~ U[0, 1], outputs delta, tau* and the regime,
   reduced on the fly (counts, means, quantiles, histograms) on local processes
   (``--workers``, default 2). Reports the wall time, the rate and the peak resident memory
   of the parent process and of the largest worker (``getrusage``).
2. ``dask_overhead``: the same sweep with ``--dask-points`` (default 1e7) points on local
   processes and on a Dask LocalCluster with as many single-threaded worker processes
   (``--scheduler local``); reports both wall times, the cluster's start-up time and the time
   its workers take to import bsrlab (done once, before the timed run, as on a long-lived
   cluster), and whether the two summaries are identical (they must be, to the last bit).

The machine's two cores are shared with other work, so the numbers are noisy; the load
average at the start is printed with them.

Run:  python benchmarks/bench_sweep.py [--points 1e8] [--workers 2] [--dask-points 1e7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

from bsrlab.scale.sweep import SweepConfig, run


def config(points: int, seed: int = 1) -> SweepConfig:
    return SweepConfig.from_dict({
        "model": {"outputs": ["delta", "tau_star", "regime"]},
        "parameters": {"alpha": {"uniform": [0.3, 0.95]}, "R": {"uniform": [1.01, 1.25]},
                       "gamma": {"uniform": [0.0, 0.9]}},
        "shock": {"tau": {"uniform": [0.0, 1.0]}},
        "sample": {"points": points, "seed": seed},
        "reduce": {"ranges": {"delta": [0.0, 1.0], "tau_star": [0.0, 1.0]}},
    })


def _warm() -> None:
    import bsrlab.scale.sweep  # noqa: F401


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--points", type=float, default=1e8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dask-points", type=float, default=1e7)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    out: dict[str, object] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                              "cores_visible": os.cpu_count()}
    n = int(args.points)
    cfg = config(n)
    t0 = time.perf_counter()
    res = run(cfg, workers=args.workers)
    wall = time.perf_counter() - t0
    out["streaming"] = {
        "points": n, "workers": args.workers, "blocks": res.blocks, "block": res.block,
        "wall_seconds": round(wall, 2), "points_per_s": round(n / wall),
        "peak_rss_parent_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "peak_rss_largest_worker_mib": _mib(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "delta_mean": res.summary["delta"]["mean"],
        "regime_shares": res.summary["regime"]["shares"],
    }
    if not args.no_dask:
        m = int(args.dask_points)
        small = config(m, seed=2)
        t0 = time.perf_counter()
        local = run(small, workers=args.workers)
        t_local = time.perf_counter() - t0
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            t_start = time.perf_counter() - t0
            t0 = time.perf_counter()
            client.run(_warm)  # the workers import bsrlab once, as a long-lived cluster has
            t_warm = time.perf_counter() - t0
            t0 = time.perf_counter()
            dask = run(small, client=client)
            t_dask = time.perf_counter() - t0
        same = json.dumps(local.summary, sort_keys=True) == json.dumps(dask.summary,
                                                                       sort_keys=True)
        out["dask_overhead"] = {
            "points": m, "workers": args.workers, "local_processes_seconds": round(t_local, 2),
            "dask_seconds": round(t_dask, 2), "dask_cluster_start_seconds": round(t_start, 2),
            "dask_worker_import_seconds": round(t_warm, 2),
            "overhead_ratio": round(t_dask / t_local, 2), "identical_results": same,
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
