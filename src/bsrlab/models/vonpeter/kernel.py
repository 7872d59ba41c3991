"""The fused kernel: every output of the fundamental equilibrium, fast, into caller-owned buffers.

:func:`bsrlab.models.vonpeter.solve` is the reference API (validated :class:`Params`, a frozen
:class:`Solution`); this module is the engine for millions of points at a time, used by the
sweeps and the risk calculations of :mod:`bsrlab.scale`. It solves the same equations
(Propositions 2 and 3, eqs. (16)-(18), (22)-(24), (28), (30)-(33)) point by point:

- flat float64 inputs (``alpha``, ``R``, ``gamma``, ``tau``, ``y``), each an array of one length
  or a scalar, which is broadcast without being copied;
- outputs written into preallocated arrays (``out=``), which a :class:`Workspace` keeps and
  reuses from call to call, so a large run does not pay for fresh memory on every call;
- only the outputs asked for are written (``outputs=("delta", "regime")``); beyond the thirteen
  of :data:`~bsrlab.models.vonpeter.outputs.OUTPUT_KEYS` and the regime, the thresholds
  ``delta_star``, ``tau_div``, ``tau_star`` and ``tau_K`` are available at little cost;
- ``workers`` threads split the points (the compiled kernel releases the GIL).

Two implementations compute the same quantities: a compiled C extension (``_ckernel``, built by
``pip install .``, vectorised with its own exp and log) and a pure-numpy path, used when the
extension is not built or when ``backend="numpy"`` is asked for. They agree to a few ulps, not
to the last bit; each is deterministic point by point: a point's result does not depend on the
other points of the call, on the chunk it falls in or on the number of workers (the Newton
iteration takes a fixed number of steps for every point, then continues only where the point's
own step is not yet below tolerance).

Examples
--------
>>> import numpy as np
>>> r = evaluate(0.5, 1.05, 0.0, np.array([0.01, 0.2]), outputs=("delta", "regime"))
>>> [round(float(d), 12) for d in r["delta"]]  # gamma = 0: delta = tau in regime 1
[0.01, 0.2]
>>> [Regime(int(c)).label for c in r["regime"]]
['firms_absorb', 'insolvent']
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, verify
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.outputs import OUTPUT_KEYS
from bsrlab.models.vonpeter.solve import Regime

try:  # the compiled kernel; the numpy path below stands in when it is not built
    from bsrlab.models.vonpeter import _ckernel  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the build
    _ckernel = None

__all__ = [
    "ALL_OUTPUTS",
    "BACKENDS",
    "FLOAT_OUTPUTS",
    "KernelResult",
    "Workspace",
    "available_backends",
    "default_backend",
    "evaluate",
]

Arr = NDArray[np.float64]

#: The thresholds the kernel can add to the outputs of the solution.
THRESHOLD_OUTPUTS: tuple[str, ...] = ("delta_star", "tau_div", "tau_star", "tau_K")
#: Every float output, in the order of the compiled kernel's output slots.
FLOAT_OUTPUTS: tuple[str, ...] = (*OUTPUT_KEYS, *THRESHOLD_OUTPUTS)
#: Every output: the float ones and the regime code (int8, :class:`Regime`).
ALL_OUTPUTS: tuple[str, ...] = (*FLOAT_OUTPUTS, "regime")
#: The implementations.
BACKENDS: tuple[str, ...] = ("c", "numpy")

#: Fixed Newton steps every point takes, then more only where needed (as in the C kernel).
NEWTON_FIXED = 4
_NEWTON_MAX_ITER = 60
_STEP_TOL = 1e-14
_NP_CHUNK = 1 << 14
#: From this many points on, the C kernel writes its outputs past the cache (non-temporal
#: stores): they will not be read back before they would have been evicted anyway.
_STREAM_POINTS = 1 << 18


def available_backends() -> tuple[str, ...]:
    """The implementations present: ``("c", "numpy")``, or ``("numpy",)`` without the build."""
    return BACKENDS if _ckernel is not None else ("numpy",)


def default_backend() -> str:
    """``c`` when the extension is built, else ``numpy``; ``BSRLAB_KERNEL=numpy`` forces numpy."""
    env = os.environ.get("BSRLAB_KERNEL", "").strip().lower()
    if env == "numpy" or _ckernel is None:
        return "numpy"
    return "c"


@dataclass(frozen=True, slots=True)
class KernelResult(Mapping[str, NDArray[Any]]):
    """The outputs asked for (a mapping name -> 1-D array) and the solver's diagnostics.

    The arrays are the buffers written (the caller's ``out`` or a :class:`Workspace`'s), not
    copies.
    """

    arrays: dict[str, NDArray[Any]]
    diagnostics: Diagnostics
    backend: str

    def __getitem__(self, key: str) -> NDArray[Any]:
        return self.arrays[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)


class Workspace:
    """Output buffers kept between calls: the same memory is written again and again.

    Parameters
    ----------
    outputs
        The outputs to keep buffers for (names of :data:`ALL_OUTPUTS`).
    capacity
        Initial number of points; the buffers grow when a call needs more.

    Examples
    --------
    >>> ws = Workspace(("delta",), capacity=4)
    >>> a = evaluate(0.5, 1.05, 0.0, [0.1, 0.2], outputs=("delta",), out=ws.take(2))
    >>> b = evaluate(0.5, 1.05, 0.0, [0.3, 0.4], outputs=("delta",), out=ws.take(2))
    >>> np.shares_memory(a["delta"], b["delta"])
    True
    """

    def __init__(self, outputs: Sequence[str] = ALL_OUTPUTS, *, capacity: int = 0) -> None:
        self.outputs = _check_outputs(outputs)
        self._buffers: dict[str, NDArray[Any]] = {}
        self._capacity = 0
        self._grow(capacity)

    def _grow(self, n: int) -> None:
        if n <= self._capacity:
            return
        self._buffers = {k: np.empty(n, dtype=np.int8 if k == "regime" else np.float64)
                         for k in self.outputs}
        self._capacity = n

    def take(self, n: int) -> dict[str, NDArray[Any]]:
        """Views of ``n`` points of every buffer (allocated once, then reused)."""
        self._grow(n)
        return {k: v[:n] for k, v in self._buffers.items()}


def _check_outputs(outputs: Sequence[str]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(outputs))
    for k in names:
        if k not in ALL_OUTPUTS:
            raise ParameterError("outputs", "names among " + ", ".join(ALL_OUTPUTS), k)
    if not names:
        raise ParameterError("outputs", "at least one output", "()")
    return names


def _input(name: str, value: ArrayLike) -> float | Arr:
    """A float for a scalar, else a contiguous 1-D float64 array (no copy when it already is)."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return float(arr)
    if arr.ndim != 1:
        raise ParameterError(name, "a scalar or a 1-D array", f"an array of shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _check_ranges(a: float | Arr, R: float | Arr, g: float | Arr, y: float | Arr,
                  t: float | Arr) -> None:
    """The admissible box of :class:`~bsrlab.models.vonpeter.params.Params` and of tau."""
    with np.errstate(invalid="ignore"):
        checks: tuple[tuple[str, Any, Any, str], ...] = (
            ("R", R, lambda x: x > 1.0, "R > 1"),
            ("gamma", g, lambda x: (x >= 0.0) & (x < 1.0), "0 <= gamma < 1"),
            ("y", y, lambda x: (x > 0.0) & (x < np.inf), "0 < y < inf"),
            ("tau", t, lambda x: (x >= 0.0) & (x <= 1.0), "0 <= tau <= 1"),
        )
        for name, v, rule, text in checks:
            ok = rule(v)
            if not np.all(ok):
                bad = np.asarray(v)[~np.asarray(ok)] if np.ndim(v) else v
                raise ParameterError(name, text, float(np.ravel(bad)[0]))
        ok = (np.asarray(a) > np.asarray(R) - 1.0) & (np.asarray(a) < 1.0)
        if not np.all(ok):
            ab = np.broadcast_to(np.asarray(a), np.shape(ok))[~ok]
            raise ParameterError("alpha", "R - 1 < alpha < 1", float(ab[0]))


def evaluate(alpha: ArrayLike, R: ArrayLike, gamma: ArrayLike, tau: ArrayLike,
             y: ArrayLike = 1.0, *, outputs: Sequence[str] = ALL_OUTPUTS,
             out: Mapping[str, NDArray[Any]] | None = None, backend: str | None = None,
             workers: int = 1, tol: float = 1e-10, check: bool = True) -> KernelResult:
    """Every requested output of the fundamental equilibrium, point by point.

    Parameters
    ----------
    alpha, R, gamma, tau, y
        Scalars or 1-D arrays of one length n (scalars are broadcast, not copied). R is the
        gross natural rate 1/beta.
    outputs
        Names of :data:`ALL_OUTPUTS` to compute; the others are not written.
    out
        Preallocated arrays (float64; int8 for ``regime``) of length n for some or all of the
        outputs, e.g. from :meth:`Workspace.take`; missing ones are allocated.
    backend
        ``"c"`` (the compiled kernel), ``"numpy"``, or ``None`` for :func:`default_backend`.
    workers
        Threads that split the points (1 = the calling thread only).
    tol
        Largest admissible residual of the fixed point (22).
    check
        Check the admissible box first (R > 1, R - 1 < alpha < 1, 0 <= gamma < 1, y > 0,
        0 <= tau <= 1); a point outside it is a :class:`ParameterError` naming the parameter.

    Returns
    -------
    KernelResult
        The arrays (in the order of ``outputs``) and the diagnostics.

    Raises
    ------
    ParameterError
        For an input outside the admissible box, an unknown output or backend, or arrays of
        different lengths.
    ConvergenceError
        If a point's residual exceeds ``tol`` or is not finite (with the diagnostics).
    """
    names = _check_outputs(outputs)
    be = default_backend() if backend is None else backend
    if be not in available_backends():
        raise ParameterError("backend", "one of " + ", ".join(available_backends()), be)
    if not (isinstance(workers, int) and workers >= 1):
        raise ParameterError("workers", "an integer >= 1", workers)
    ins = [_input(k, v) for k, v in (("alpha", alpha), ("R", R), ("gamma", gamma), ("y", y),
                                    ("tau", tau))]
    sizes = {v.size for v in ins if isinstance(v, np.ndarray)}
    if len(sizes) > 1:
        raise ParameterError("alpha, R, gamma, y, tau", "scalars or arrays of one length",
                             sorted(sizes))
    n = sizes.pop() if sizes else 1
    if check and be == "numpy":
        _check_ranges(ins[0], ins[1], ins[2], ins[3], ins[4])
    arrays: dict[str, NDArray[Any]] = {}
    for k in names:
        dtype = np.int8 if k == "regime" else np.float64
        buf = None if out is None else out.get(k)
        if buf is None:
            buf = np.empty(n, dtype=dtype)
        elif buf.dtype != dtype or buf.shape != (n,) or not buf.flags.c_contiguous:
            raise ParameterError(f"out[{k!r}]", f"a contiguous {np.dtype(dtype).name} array "
                                 f"of length {n}", f"{buf.dtype} {buf.shape}")
        arrays[k] = buf
    parts = _split(n, workers)
    run = _run_c if be == "c" else _run_numpy
    if len(parts) == 1:
        stats = [run(ins, arrays, 0, n)]
    else:
        stats = list(_pool(len(parts)).map(lambda p: run(ins, arrays, p[0], p[1]), parts))
    if check and any(s[3] for s in stats):  # the C kernel counts inadmissible points as it goes
        _check_ranges(ins[0], ins[1], ins[2], ins[3], ins[4])
        raise ParameterError("alpha, R, gamma, y, tau", "the admissible box", "a point outside it")
    iters = max(s[0] for s in stats)
    res = [s[1] for s in stats]
    max_res = math.nan if any(math.isnan(r) for r in res) else max(res)
    if any(s[2] for s in stats):
        max_res = math.nan
    diag = Diagnostics(converged=bool(max_res <= tol), iterations=iters, max_residual=max_res,
                       method=f"monotone-newton ({be} kernel)")
    verify(diag, tol, what="fundamental root")
    return KernelResult(arrays, diag, be)


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOL_LOCK = threading.Lock()


def _forget_pools() -> None:
    """In a forked child the pools' threads do not exist: start afresh."""
    global _POOL_LOCK
    _POOLS.clear()
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _pool(workers: int) -> ThreadPoolExecutor:
    """A thread pool of ``workers`` threads, made once and kept (threads are cheap to keep)."""
    with _POOL_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = _POOLS[workers] = ThreadPoolExecutor(workers,
                                                        thread_name_prefix="bsrlab-kernel")
        return pool


def _split(n: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous parts of at least 16k points each (fewer parts for small n)."""
    k = max(1, min(workers, n // 16384))
    bounds = [n * i // k for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1]) for i in range(k)]


def _slice(v: float | Arr, lo: int, hi: int) -> float | Arr:
    return v if isinstance(v, float) else v[lo:hi]


def _run_c(ins: list[float | Arr], arrays: dict[str, NDArray[Any]], lo: int,
           hi: int) -> tuple[int, float, int, int]:
    assert _ckernel is not None
    outs = tuple(arrays[k][lo:hi] if k in arrays else None for k in FLOAT_OUTPUTS)
    reg = arrays["regime"][lo:hi] if "regime" in arrays else None
    it, res, nonfinite, _slow, bad = _ckernel.solve(
        hi - lo, tuple(_slice(v, lo, hi) for v in ins), outs, reg, hi - lo >= _STREAM_POINTS)
    return int(it), float(res), int(nonfinite), int(bad)


# ---- the pure-numpy path ---------------------------------------------------------------------


def _run_numpy(ins: list[float | Arr], arrays: dict[str, NDArray[Any]], lo: int,
               hi: int) -> tuple[int, float, int, int]:
    iters, max_res, nonfinite = 0, 0.0, 0
    for c0 in range(lo, hi, _NP_CHUNK):
        c1 = min(c0 + _NP_CHUNK, hi)
        a, R, g, y, t = (np.broadcast_to(_slice(v, c0, c1), (c1 - c0,)) for v in ins)
        it, res, nf = _numpy_chunk(a, R, g, y, t, {k: v[c0:c1] for k, v in arrays.items()})
        iters = max(iters, it)
        max_res = math.nan if (math.isnan(res) or math.isnan(max_res)) else max(max_res, res)
        nonfinite += nf
    return iters, max_res, nonfinite, 0


def _newton(R: Arr, gg: Arr, t: Arr) -> tuple[Arr, int, bool]:
    """Monotone Newton in v = log(1 - R delta): NEWTON_FIXED steps for all, then per point."""
    Rm1 = R - 1.0
    l1t = np.log1p(-t)
    target = np.log(R) + l1t
    v = l1t / (1.0 / R + gg)
    step = np.zeros_like(v)

    def one(idx: Any) -> None:
        va = v[idx]
        w = np.exp(va)
        den = Rm1[idx] + w
        gga = gg[idx]
        s = (np.log(den) + gga * va - target[idx]) / (w / den + gga)
        v[idx] = va - s
        step[idx] = s

    full = slice(None)
    for _ in range(NEWTON_FIXED):
        one(full)
    it = NEWTON_FIXED
    active = np.flatnonzero(~(np.abs(step) <= _STEP_TOL))
    while active.size and it < _NEWTON_MAX_ITER:
        one(active)
        it += 1
        active = active[~(np.abs(step[active]) <= _STEP_TOL)]
    return v, it if it > NEWTON_FIXED else NEWTON_FIXED, active.size == 0


def _numpy_chunk(a: Arr, R: Arr, g: Arr, y: Arr, tau: Arr,
                 out: dict[str, NDArray[Any]]) -> tuple[int, float, int]:
    """One chunk in the numpy path: the same equations and order as :mod:`.solve`."""
    Rm1 = R - 1.0
    gg = g / (1.0 - g)
    ds = closed.delta_star(a, R, g)
    pbar1 = closed.price_level(-ds, g)
    pbar0 = closed.p_bar_t(a, R, g)
    tdiv = closed.shock_for_decline(ds / R, pbar1)
    qH = closed.asset_value(a, R, y)
    K = closed.bank_capital(a, R, y)
    delta = closed.fundamental_decline(tau, pbar1)
    p_next = np.array(pbar1, dtype=np.float64)
    p_t = np.array(pbar0, dtype=np.float64)
    s_t = pbar0 * y
    idx = np.flatnonzero(tau < tdiv)
    it, max_res = 0, 0.0
    if idx.size:
        R1, gg1, t1 = R[idx], gg[idx], tau[idx]
        v, it, ok = _newton(R1, gg1, t1)
        d1 = -np.expm1(v) / R1
        pn1 = np.exp(-gg1 * v)
        max_res = float(np.max(np.abs(d1 - 1.0 + (1.0 - t1) * pn1))) if ok else math.nan
        delta[idx] = d1
        p_next[idx] = pn1
        p_t[idx] = closed.p_t_regime1(d1, R1, g[idx])
        s_t[idx] = closed.spending_regime1(d1, a[idx], R1, y[idx])
    D_t = qH - s_t
    omega = delta * qH + (1.0 - p_t) * y
    Pi = closed.firm_profits(a, y)
    lam = np.maximum(omega - Pi, 0.0)
    RK = R * K
    normal = Rm1 * K
    absorb = lam <= normal
    values = {
        "delta": lambda: delta, "p_t": lambda: p_t, "p_next": lambda: p_next,
        "s_t": lambda: s_t, "s_next": lambda: Rm1 * D_t,
        "asset_value_t": lambda: (1.0 - delta) * qH, "loan_losses": lambda: lam,
        "total_losses": lambda: omega, "firm_profits_t": lambda: np.maximum(Pi - omega, 0.0),
        "bank_capital_t": lambda: np.where(absorb, K, RK - lam),
        "bank_dividends_t": lambda: np.where(absorb, normal - lam, 0.0),
        "deposits_t": lambda: D_t, "depositor_losses": lambda: np.maximum(lam - RK, 0.0),
        "delta_star": lambda: ds, "tau_div": lambda: tdiv,
        "tau_star": lambda: -np.expm1(closed.log1p(-ds) / (1.0 - g)),
        "tau_K": lambda: 1.0 - np.exp(closed.log1p(-ds) / (1.0 - g)) / R,
    }
    for k, buf in out.items():
        if k == "regime":
            buf[:] = Regime.INSOLVENT
            buf[lam < RK] = Regime.CAPITAL_ABSORBS
            buf[absorb] = Regime.DIVIDENDS_ABSORB
            buf[lam <= 0.0] = Regime.FIRMS_ABSORB
        else:
            buf[:] = values[k]()
    nonfinite = int(np.count_nonzero(~np.isfinite(delta)))
    return it, max_res, nonfinite
