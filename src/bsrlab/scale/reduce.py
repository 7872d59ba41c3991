"""On-the-fly reductions of a sweep: counts, means, quantiles and histograms, in constant memory.

Every block of the sweep is reduced on its own to a :class:`Partial` (per output: the count of
finite values, their sum and sum of squares, min and max, a coarse histogram for display and a
fine one for quantiles; per integer output such as the regime: the count of each code). The
partials are folded **in block order** by :class:`Accumulator`, so the floating-point sums do
not depend on how the blocks were grouped into chunks, workers or machines; the histograms are
integer counts and exact anyway. Histogram ranges are fixed before the sweep (given, or taken
from block 0, which every backend computes identically).

Quantiles come from the fine histogram (``FINE_BINS`` equal bins over the range, linear within
a bin): their resolution is (high - low)/``FINE_BINS``; values outside the range are counted
below or above it and a quantile that falls there is reported as the exact min or max.

Examples
--------
>>> import numpy as np
>>> spec = ReduceSpec(ranges={"x": (0.0, 1.0)}, bins=4, quantiles=(0.5,))
>>> acc = Accumulator(spec)
>>> acc.add(0, reduce_block(spec, {"x": np.array([0.1, 0.2, 0.3])}))
>>> acc.add(1, reduce_block(spec, {"x": np.array([0.9])}))
>>> s = acc.summary()["x"]
>>> s["count"], round(s["mean"], 12), s["histogram"]["counts"]
(4, 0.375, [2, 1, 0, 1])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["FINE_BINS", "Accumulator", "Partial", "ReduceSpec", "reduce_block"]

#: Bins of the histogram behind the quantiles.
FINE_BINS = 1 << 14


@dataclass(frozen=True)
class ReduceSpec:
    """What to reduce: histogram ranges per float output, display bins, quantiles.

    ``ranges`` maps an output to (low, high); an output without a range gets the range of its
    values in block 0 (widened by 5 %, so most values fall inside).
    """

    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    bins: int = 64
    quantiles: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
    int_codes: int = 4


@dataclass
class Partial:
    """The reduction of one block: per output a dict of sums, extremes and histograms."""

    n: int
    outputs: dict[str, dict[str, Any]]


def _hist(x: NDArray[np.float64], lo: float, hi: float, bins: int,
          buf: NDArray[np.float64] | None = None) -> NDArray[np.int32]:
    """Counts in ``bins`` equal bins over [lo, hi], plus one below and one above (exact)."""
    idx = np.subtract(x, lo, out=buf if buf is not None and buf.shape == x.shape else None)
    idx *= bins / (hi - lo)
    np.floor(idx, out=idx)
    np.maximum(idx, -1.0, out=idx)
    np.minimum(idx, float(bins), out=idx)
    idx += 1.0
    return np.bincount(idx.astype(np.intp), minlength=bins + 2).astype(np.int32)


def _sumsq(x: NDArray[np.float64]) -> float:
    """sum(x**2) by numpy's own pairwise sum (not BLAS: no thread pool, same bits anywhere)."""
    sq = np.square(x)
    return float(np.sum(sq))


def block_range(x: NDArray[Any]) -> tuple[float, float]:
    """The histogram range from block 0's values: [min, max] widened by 5 % (never empty)."""
    f = x[np.isfinite(x)]
    if f.size == 0:
        return 0.0, 1.0
    lo, hi = float(f.min()), float(f.max())
    pad = 0.05 * (hi - lo) if hi > lo else max(abs(lo) * 0.05, 1e-12)
    return lo - pad, hi + pad


def reduce_block(spec: ReduceSpec, outputs: Mapping[str, NDArray[Any]]) -> Partial:
    """The :class:`Partial` of one block's outputs (float arrays; integer arrays are counted).

    Every float output must have a range in ``spec.ranges``.
    """
    n = 0
    res: dict[str, dict[str, Any]] = {}
    for k, x in outputs.items():
        n = int(x.shape[0])
        if x.dtype.kind in "iub":
            res[k] = {"codes": np.bincount(x.astype(np.intp), minlength=spec.int_codes)}
            continue
        total = float(np.sum(x))
        if math.isfinite(total):  # then every value is finite
            xf, nf = x, n
        else:
            finite = np.isfinite(x)
            nf = int(np.count_nonzero(finite))
            xf = x[finite]
            total = float(np.sum(xf))
        lo, hi = spec.ranges[k]
        res[k] = {
            "count": nf,
            "sum": total,
            "sumsq": _sumsq(xf),
            "min": float(np.min(xf)) if nf else math.inf,
            "max": float(np.max(xf)) if nf else -math.inf,
            "fine": _hist(xf, lo, hi, FINE_BINS),
        }
        if FINE_BINS % spec.bins:  # else the display histogram is summed from the fine one
            res[k]["hist"] = _hist(xf, lo, hi, spec.bins)
    return Partial(n, res)


class Accumulator:
    """Folds block partials in block order; blocks may arrive in any order.

    A block that arrives early waits (only its small partial is kept) until every block
    before it has been folded, so the result is the same whatever the arrival order.
    """

    def __init__(self, spec: ReduceSpec) -> None:
        self.spec = spec
        self.next = 0
        self.pending: dict[int, Partial] = {}
        self.n = 0
        self.state: dict[str, dict[str, Any]] = {}

    def add(self, index: int, partial: Partial) -> None:
        """Take the partial of block ``index``."""
        self.pending[index] = partial
        while self.next in self.pending:
            self._fold(self.pending.pop(self.next))
            self.next += 1

    def _fold(self, p: Partial) -> None:
        self.n += p.n
        for k, r in p.outputs.items():
            s = self.state.get(k)
            if s is None:
                self.state[k] = {kk: (v.astype(np.int64) if isinstance(v, np.ndarray) else v)
                                 for kk, v in r.items()}
                continue
            if "codes" in r:
                s["codes"] += r["codes"]
                continue
            s["count"] += r["count"]
            s["sum"] += r["sum"]
            s["sumsq"] += r["sumsq"]
            s["min"] = min(s["min"], r["min"])
            s["max"] = max(s["max"], r["max"])
            if "hist" in r:
                s["hist"] += r["hist"]
            s["fine"] += r["fine"]

    def summary(self, code_labels: Mapping[str, tuple[str, ...]] | None = None
                ) -> dict[str, Any]:
        """Per output: ``count``, ``mean``, ``std``, ``min``, ``max``, ``quantiles`` and
        ``histogram`` (``edges``, ``counts``, ``below``, ``above``); per integer output:
        ``counts`` and ``shares`` by code (named by ``code_labels`` when given)."""
        out: dict[str, Any] = {}
        for k, s in self.state.items():
            if "codes" in s:
                codes = s["codes"].tolist()
                labels = (code_labels or {}).get(k) or tuple(str(i) for i in range(len(codes)))
                total = sum(codes)
                out[k] = {"counts": dict(zip(labels, codes, strict=False)),
                          "shares": {lab: (c / total if total else None)
                                     for lab, c in zip(labels, codes, strict=False)}}
                continue
            n = s["count"]
            mean = s["sum"] / n if n else math.nan
            var = s["sumsq"] / n - mean * mean if n else math.nan
            lo, hi = self.spec.ranges[k]
            edges = np.linspace(lo, hi, self.spec.bins + 1)
            hist = s["hist"] if "hist" in s else _coarsen(s["fine"], self.spec.bins)
            out[k] = {
                "count": n,
                "mean": mean,
                "std": math.sqrt(max(var, 0.0)) if n else math.nan,
                "min": s["min"] if n else math.nan,
                "max": s["max"] if n else math.nan,
                "quantiles": {f"{q:g}": _quantile(s["fine"], lo, hi, q, s["min"], s["max"])
                              for q in self.spec.quantiles},
                "histogram": {"edges": edges.tolist(), "counts": hist[1:-1].tolist(),
                              "below": int(hist[0]), "above": int(hist[-1])},
            }
        return out


def _coarsen(fine: NDArray[Any], bins: int) -> NDArray[np.int64]:
    """The display histogram (with its below/above counts) summed from the fine one."""
    inner = fine[1:-1].reshape(bins, -1).sum(axis=1)
    return np.concatenate([fine[:1], inner, fine[-1:]])


def _quantile(fine: NDArray[Any], lo: float, hi: float, q: float, vmin: float,
              vmax: float) -> float:
    total = int(fine.sum())
    if total == 0:
        return math.nan
    target = q * total
    cum = np.cumsum(fine)
    i = int(np.searchsorted(cum, target, side="left"))
    if i == 0:
        return vmin
    if i >= fine.size - 1:
        return vmax
    before = float(cum[i - 1])
    inside = float(fine[i])
    frac = (target - before) / inside if inside else 0.0
    width = (hi - lo) / (fine.size - 2)
    x = lo + (i - 1 + frac) * width
    return float(min(max(x, vmin), vmax))
