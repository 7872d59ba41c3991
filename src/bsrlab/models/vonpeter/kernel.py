"""The fused kernel: every output of the fundamental equilibrium, fast, into caller-owned buffers.

:func:`bsrlab.models.vonpeter.solve` is the reference API (validated :class:`Params`, a frozen
:class:`Solution`) and, for arrays, runs on this kernel; so do
:func:`~bsrlab.models.vonpeter.thresholds.thresholds` and
:func:`~bsrlab.models.vonpeter.vulnerability.vulnerability`. This module is the engine for
millions of points at a time, used by the sweeps and the risk calculations of
:mod:`bsrlab.scale`. It solves the same
equations (Propositions 2 and 3, eqs. (16)-(18), (22)-(24), (28), (30)-(33), Appendix 2) point
by point:

- flat float64 inputs (``alpha``, ``R``, ``gamma``, ``tau``, ``y``), each an array of one length
  or a scalar, which is broadcast without being copied;
- outputs written into preallocated arrays (``out=``): a :class:`Workspace` keeps aligned,
  pre-faulted buffers and reuses them from call to call, so a large run does not pay for fresh
  memory (page faults, zeroing) on every call;
- only the outputs asked for are written, and the stages they do not need are skipped
  (``outputs=("delta", "regime")``; thresholds alone skip the regime-1 root). Beyond the
  thirteen of :data:`~bsrlab.models.vonpeter.outputs.OUTPUT_KEYS` and the regime, every
  threshold of Appendix 2 is available: ``delta_star``, ``tau_div``, ``tau_star``, ``tau_K`` and
  ``delta_div``, ``delta_K`` at little cost, ``delta_0`` and ``tau_0`` by a Newton iteration;
- ``workers`` threads split the points (the compiled kernel releases the GIL): the calling
  thread and a persistent pool take parts of the call in turn, so a thread slowed down by other
  work takes fewer.

Two implementations compute the same quantities: a compiled C extension (``_ckernel``, built by
``pip install .``, vectorised with its own exp and log) and a pure-numpy path, used when the
extension is not built, when the processor lacks fused multiply-add (the extension's exact
software fallback is slow) or when ``backend="numpy"`` is asked for. They agree to a few ulps,
not to the last bit; each is deterministic point by point: a point's result does not depend on
the other points of the call, on the chunk it falls in or on the number of workers (the
iterations take a fixed number of steps for every point, then continue only where the point's
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, verify
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.outputs import OUTPUT_KEYS
from bsrlab.models.vonpeter.solve import Regime
from bsrlab.models.vonpeter.thresholds import DELTA_0_MAX_ITER, DELTA_0_TOL, _delta_0_newton

if TYPE_CHECKING:  # the pool is made on the first call with workers > 1 (with its module)
    from concurrent.futures import Future, ThreadPoolExecutor

try:  # the compiled kernel; the numpy path below stands in when it is not built
    from bsrlab.models.vonpeter import _ckernel  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the build
    _ckernel = None

__all__ = [
    "ALL_OUTPUTS",
    "BACKENDS",
    "FLOAT_OUTPUTS",
    "THRESHOLD_OUTPUTS",
    "KernelResult",
    "Workspace",
    "available_backends",
    "choose_backend",
    "default_backend",
    "evaluate",
    "flat_input",
]

Arr = NDArray[np.float64]

#: The thresholds of Appendix 2 the kernel adds to the outputs of the solution.
THRESHOLD_OUTPUTS: tuple[str, ...] = ("delta_star", "tau_div", "tau_star", "tau_K", "delta_0",
                                      "delta_div", "delta_K", "tau_0")
#: Every float output, in the order of the compiled kernel's output slots.
FLOAT_OUTPUTS: tuple[str, ...] = (*OUTPUT_KEYS, *THRESHOLD_OUTPUTS)
#: Every output: the float ones and the regime code (int8, :class:`Regime`).
ALL_OUTPUTS: tuple[str, ...] = (*FLOAT_OUTPUTS, "regime")
#: The implementations.
BACKENDS: tuple[str, ...] = ("c", "numpy")

if _ckernel is not None and getattr(_ckernel, "N_OUTPUTS", None) != len(FLOAT_OUTPUTS):
    _ckernel = None  # pragma: no cover - a stale build of an older kernel: not used

#: Fixed Newton steps every point takes in the numpy path, then more only where needed.
NEWTON_FIXED = 4
_NEWTON_MAX_ITER = 60
_STEP_TOL = 1e-14
_NP_CHUNK = 1 << 14
#: From this many points on, the C kernel writes its outputs past the cache (non-temporal
#: stores): they would not stay in the cache until they are read anyway.
_STREAM_POINTS = 1 << 18
#: Workers split the points in parts of at least this many (fewer parts for small calls)...
_MIN_PART = 1 << 14
#: ... each part 1/_GUIDE of the points left per thread: large parts first, small ones last,
#: so the threads finish within a small part of each other (guided scheduling).
_GUIDE = 2
#: Buffers and parts start on cache-line boundaries (64 bytes).
_ALIGN = 64


def available_backends() -> tuple[str, ...]:
    """The implementations present: ``("c", "numpy")``, or ``("numpy",)`` without the build."""
    return BACKENDS if _ckernel is not None else ("numpy",)


def default_backend() -> str:
    """``c`` when the extension is built (and the processor has fused multiply-add), else
    ``numpy``; ``BSRLAB_KERNEL=numpy`` forces numpy."""
    env = os.environ.get("BSRLAB_KERNEL", "").strip().lower()
    if env == "numpy" or _ckernel is None or not _ckernel.HARDWARE_FMA:
        return "numpy"
    return "c"


def choose_backend(backend: str | None, shape: tuple[int, ...]) -> str:
    """The implementation for a call of ``solve`` or ``thresholds`` on points of ``shape``:
    ``backend`` when given (checked), else :func:`default_backend` for arrays and numpy for a
    single point."""
    if backend is None:
        return default_backend() if shape != () else "numpy"
    if backend not in available_backends():
        raise ParameterError("backend", "one of " + ", ".join(available_backends()), backend)
    return backend


def flat_input(v: ArrayLike, shape: tuple[int, ...]) -> float | NDArray[np.float64]:
    """An input for :func:`evaluate`: a float for a value that is one number (broadcast without
    a copy), else the values broadcast to ``shape``, flat and contiguous."""
    arr = np.asarray(v, dtype=np.float64)
    if arr.size == 1:
        return float(arr.reshape(()))
    return np.ascontiguousarray(np.broadcast_to(arr, shape)).reshape(-1)


@dataclass(frozen=True, slots=True)
class KernelResult(Mapping[str, NDArray[Any]]):
    """The outputs asked for (a mapping name -> 1-D array) and the solver's diagnostics.

    The arrays are the buffers written (the caller's ``out`` or a :class:`Workspace`'s), not
    copies. ``diagnostics`` report the regime-1 root (method ``closed-form`` when no output
    needed it); ``delta_0_diagnostics`` report the Newton solve of delta_0 when ``delta_0`` or
    ``tau_0`` was asked for (else ``None``); ``roots`` counts the points of regime 1.
    """

    arrays: dict[str, NDArray[Any]]
    diagnostics: Diagnostics
    backend: str
    delta_0_diagnostics: Diagnostics | None = None
    roots: int = 0

    def __getitem__(self, key: str) -> NDArray[Any]:
        return self.arrays[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)


def _aligned(n: int, dtype: type[np.generic], prefault: bool) -> NDArray[Any]:
    """An array of n items starting on a cache line, its pages touched once when ``prefault``."""
    item = np.dtype(dtype).itemsize
    raw = np.empty(n * item + _ALIGN, dtype=np.uint8)
    off = -raw.ctypes.data % _ALIGN
    arr = raw[off:off + n * item].view(dtype)
    if prefault:
        arr.fill(0)  # the first touch of every page now, not inside the first timed call
    return arr


class Workspace:
    """Output buffers kept between calls: the same memory is written again and again.

    The buffers start on cache-line boundaries and are touched once when allocated, so a call
    writing into them pays neither page faults nor zeroing. Pass the workspace itself as
    ``out`` (or the views of :meth:`take`). A workspace is for one thread at a time: a second
    call overwrites the first call's results.

    Parameters
    ----------
    outputs
        The outputs to keep buffers for (names of :data:`ALL_OUTPUTS`).
    capacity
        Initial number of points; the buffers grow when a call needs more.
    prefault
        Touch the buffers' pages when they are allocated (default ``True``).

    Examples
    --------
    >>> ws = Workspace(("delta",), capacity=4)
    >>> a = evaluate(0.5, 1.05, 0.0, [0.1, 0.2], outputs=("delta",), out=ws)
    >>> b = evaluate(0.5, 1.05, 0.0, [0.3, 0.4], outputs=("delta",), out=ws.take(2))
    >>> np.shares_memory(a["delta"], b["delta"])
    True
    """

    def __init__(self, outputs: Sequence[str] = ALL_OUTPUTS, *, capacity: int = 0,
                 prefault: bool = True) -> None:
        self.outputs = _check_outputs(outputs)
        self.prefault = prefault
        self._buffers: dict[str, NDArray[Any]] = {}
        self._capacity = 0
        self._grow(capacity)

    @property
    def capacity(self) -> int:
        """The number of points the buffers hold."""
        return self._capacity

    def _grow(self, n: int) -> None:
        if n <= self._capacity:
            return
        self._buffers = {}  # release the old buffers before allocating the new ones
        self._buffers = {k: _aligned(n, np.int8 if k == "regime" else np.float64, self.prefault)
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


@dataclass(slots=True)
class _Stats:
    """What one part of a call reports (merged over the parts)."""

    iterations: int = 0
    max_residual: float = 0.0
    nonfinite: int = 0
    inadmissible: int = 0
    roots: int = 0
    d0_iterations: int = 0
    d0_residual: float = 0.0
    d0_open: int = 0

    def merge(self, o: _Stats) -> None:
        self.iterations = max(self.iterations, o.iterations)
        self.max_residual = _nanmax(self.max_residual, o.max_residual)
        self.nonfinite += o.nonfinite
        self.inadmissible += o.inadmissible
        self.roots += o.roots
        self.d0_iterations = max(self.d0_iterations, o.d0_iterations)
        self.d0_residual = _nanmax(self.d0_residual, o.d0_residual)
        self.d0_open += o.d0_open


def _nanmax(a: float, b: float) -> float:
    return math.nan if (math.isnan(a) or math.isnan(b)) else max(a, b)


def evaluate(alpha: ArrayLike, R: ArrayLike, gamma: ArrayLike, tau: ArrayLike,
             y: ArrayLike = 1.0, *, outputs: Sequence[str] = ALL_OUTPUTS,
             out: Workspace | Mapping[str, NDArray[Any]] | None = None,
             backend: str | None = None, workers: int = 1, tol: float = 1e-10,
             delta_0_tol: float = DELTA_0_TOL, delta_0_max_iter: int = DELTA_0_MAX_ITER,
             check: bool = True) -> KernelResult:
    """Every requested output of the fundamental equilibrium, point by point.

    Parameters
    ----------
    alpha, R, gamma, tau, y
        Scalars or 1-D arrays of one length n (scalars are broadcast, not copied). R is the
        gross natural rate 1/beta. ``tau`` and ``y`` do not enter the thresholds.
    outputs
        Names of :data:`ALL_OUTPUTS` to compute; the others are not written.
    out
        A :class:`Workspace` (its buffers are used for the outputs it keeps), or preallocated
        arrays (float64; int8 for ``regime``) of length n for some or all of the outputs, e.g.
        from :meth:`Workspace.take`; missing ones are allocated (fresh memory on every call).
    backend
        ``"c"`` (the compiled kernel), ``"numpy"``, or ``None`` for :func:`default_backend`.
    workers
        Threads that split the points (1 = the calling thread only).
    tol
        Largest admissible residual of the fixed point (22).
    delta_0_tol, delta_0_max_iter
        Largest admissible scaled residual of the delta_0 equation and the cap on its Newton
        steps (as in :func:`~bsrlab.models.vonpeter.thresholds.thresholds`).
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
        If a point's residual exceeds ``tol`` or is not finite, or the delta_0 iteration does
        not stop within its tolerance (with the diagnostics).
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
    given = out.take(n) if isinstance(out, Workspace) else out
    arrays: dict[str, NDArray[Any]] = {}
    for k in names:
        dtype = np.int8 if k == "regime" else np.float64
        buf = None if given is None else given.get(k)
        if buf is None:
            buf = np.empty(n, dtype=dtype)
        elif buf.dtype != dtype or buf.shape != (n,) or not buf.flags.c_contiguous:
            raise ParameterError(f"out[{k!r}]", f"a contiguous {np.dtype(dtype).name} array "
                                 f"of length {n}", f"{buf.dtype} {buf.shape}")
        arrays[k] = buf
    threads, parts = _split(n, workers)
    stream = n >= _STREAM_POINTS
    if be == "c":
        def run(p: tuple[int, int]) -> _Stats:
            return _run_c(ins, arrays, p[0], p[1], delta_0_max_iter, stream)
    else:
        def run(p: tuple[int, int]) -> _Stats:
            return _run_numpy(ins, arrays, p[0], p[1], delta_0_max_iter)
    stats = _Stats()
    if threads == 1:
        for p in parts:
            stats.merge(run(p))
    else:
        # The threads take the parts in turn (a thread slowed down by other work takes fewer);
        # the calling thread is one of them, a persistent pool runs the others.
        queue = iter(parts)
        lock = threading.Lock()

        def take_parts() -> _Stats:
            st = _Stats()
            while True:
                with lock:
                    p = next(queue, None)
                if p is None:
                    return st
                st.merge(run(p))

        futures: list[Future[_Stats]] = [_pool(threads - 1).submit(take_parts)
                                         for _ in range(threads - 1)]
        try:
            stats.merge(take_parts())
        finally:
            for f in futures:  # every part is finished before the buffers are handed back
                stats.merge(f.result())
    if check and stats.inadmissible:  # the C kernel counts inadmissible points as it goes
        _check_ranges(ins[0], ins[1], ins[2], ins[3], ins[4])
        raise ParameterError("alpha, R, gamma, y, tau", "the admissible box", "a point outside it")
    max_res = math.nan if stats.nonfinite else stats.max_residual
    root = any(k in OUTPUT_KEYS or k == "regime" for k in names)
    method = f"monotone-newton ({be} kernel)" if root else f"closed-form ({be} kernel)"
    diag = Diagnostics(converged=bool(max_res <= tol), iterations=stats.iterations if root else 0,
                       max_residual=max_res if root else 0.0, method=method)
    verify(diag, tol, what="fundamental root")
    d0 = None
    if "delta_0" in names or "tau_0" in names:
        d0_res = stats.d0_residual
        d0 = Diagnostics(converged=stats.d0_open == 0 and not math.isnan(d0_res),
                         iterations=stats.d0_iterations, max_residual=d0_res,
                         method="monotone-newton")
        verify(d0, delta_0_tol, what="delta_0")
    return KernelResult(arrays, diag, be, d0, stats.roots)


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOL_LOCK = threading.Lock()


def _forget_pools() -> None:
    """In a forked child the pools' threads do not exist: start afresh."""
    global _POOL_LOCK
    _POOLS.clear()
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _pool(threads: int) -> ThreadPoolExecutor:
    """A pool of ``threads`` threads, made once and kept (idle threads cost nothing)."""
    with _POOL_LOCK:
        pool = _POOLS.get(threads)
        if pool is None:
            from concurrent.futures import ThreadPoolExecutor

            pool = _POOLS[threads] = ThreadPoolExecutor(threads,
                                                        thread_name_prefix="bsrlab-kernel")
        return pool


def _split(n: int, workers: int) -> tuple[int, list[tuple[int, int]]]:
    """The threads to use and the parts they take in turn.

    One thread (and one part) unless there are at least 16k points per thread. Then the parts
    shrink as the call goes on: each holds 1/:data:`_GUIDE` of the points left per thread, and at
    least 16k (:data:`_MIN_PART`), so the last parts are small and the threads finish within
    one of them of each other, in a dozen parts or so. Parts start on multiples of 64 points,
    so every part of an aligned buffer is aligned too.
    """
    k = max(1, min(workers, n // _MIN_PART))
    if k == 1:
        return 1, [(0, n)]
    parts = []
    lo = 0
    while lo < n:
        size = max(_MIN_PART, -(-(n - lo) // (_GUIDE * k)))
        hi = min(n, lo + -(-size // 64) * 64)
        if n - hi < _MIN_PART:  # no part smaller than the least at the end
            hi = n
        parts.append((lo, hi))
        lo = hi
    return k, parts


def _slice(v: float | Arr, lo: int, hi: int) -> float | Arr:
    return v if isinstance(v, float) else v[lo:hi]


def _run_c(ins: list[float | Arr], arrays: dict[str, NDArray[Any]], lo: int, hi: int,
           d0_max_iter: int, stream: bool) -> _Stats:
    assert _ckernel is not None
    outs = tuple(arrays[k][lo:hi] if k in arrays else None for k in FLOAT_OUTPUTS)
    reg = arrays["regime"][lo:hi] if "regime" in arrays else None
    it, res, nonfinite, _slow, bad, roots, d0_it, d0_res, d0_open = _ckernel.solve(
        hi - lo, tuple(_slice(v, lo, hi) for v in ins), outs, reg, stream, d0_max_iter)
    return _Stats(int(it), float(res), int(nonfinite), int(bad), int(roots), int(d0_it),
                  float(d0_res), int(d0_open))


# ---- the pure-numpy path ---------------------------------------------------------------------


def _run_numpy(ins: list[float | Arr], arrays: dict[str, NDArray[Any]], lo: int, hi: int,
               d0_max_iter: int) -> _Stats:
    st = _Stats()
    for c0 in range(lo, hi, _NP_CHUNK):
        c1 = min(c0 + _NP_CHUNK, hi)
        a, R, g, y, t = (np.broadcast_to(_slice(v, c0, c1), (c1 - c0,)) for v in ins)
        st.merge(_numpy_chunk(a, R, g, y, t, {k: v[c0:c1] for k, v in arrays.items()},
                              d0_max_iter))
    return st


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
    return np.minimum(v, 0.0), it, active.size == 0  # v <= 0: a root at +1e-17 is round-off


def _numpy_chunk(a: Arr, R: Arr, g: Arr, y: Arr, tau: Arr, out: dict[str, NDArray[Any]],
                 d0_max_iter: int) -> _Stats:
    """One chunk in the numpy path: the same equations and order as :mod:`.solve`."""
    st = _Stats()
    ds = closed.delta_star(a, R, g)
    pbar1 = closed.price_level(-ds, g)
    tdiv = closed.shock_for_decline(ds / R, pbar1)
    values: dict[str, Any] = {
        "delta_star": lambda: ds, "tau_div": lambda: tdiv,
        "tau_star": lambda: -np.expm1(closed.log1p(-ds) / (1.0 - g)),
        "tau_K": lambda: 1.0 - np.exp(closed.log1p(-ds) / (1.0 - g)) / R,
        "delta_div": lambda: ds / R, "delta_K": lambda: ds / R + (R - 1.0) / R,
    }
    if "delta_0" in out or "tau_0" in out:
        d0, diag = _delta_0_newton(a, R, g, d0_max_iter)
        st.d0_iterations, st.d0_residual = diag.iterations, diag.max_residual
        st.d0_open = 0 if diag.converged else 1
        values["delta_0"] = lambda: d0
        values["tau_0"] = lambda: closed.shock_for_decline(d0, closed.p_next_regime1(d0, R, g))
    if any(k in OUTPUT_KEYS or k == "regime" for k in out):
        values.update(_numpy_equilibrium(a, R, g, y, tau, ds, pbar1, tdiv, st))
    for k, buf in out.items():
        buf[:] = values[k]()
    return st


def _numpy_equilibrium(a: Arr, R: Arr, g: Arr, y: Arr, tau: Arr, ds: Arr, pbar1: Arr,
                       tdiv: Arr, st: _Stats) -> dict[str, Any]:
    """The equilibrium's outputs (as callables) and its root's diagnostics, into ``st``."""
    Rm1 = R - 1.0
    gg = g / (1.0 - g)
    pbar0 = closed.p_bar_t(a, R, g)
    qH = closed.asset_value(a, R, y)
    K = closed.bank_capital(a, R, y)
    delta = closed.fundamental_decline(tau, pbar1)
    p_next = np.array(pbar1, dtype=np.float64)
    p_t = np.array(pbar0, dtype=np.float64)
    s_t = pbar0 * y
    idx = np.flatnonzero(tau < tdiv)
    if idx.size:
        R1, gg1, t1 = R[idx], gg[idx], tau[idx]
        v, it, ok = _newton(R1, gg1, t1)
        d1 = -np.expm1(v) / R1
        pn1 = np.exp(-gg1 * v)
        st.iterations = it
        st.max_residual = float(np.max(np.abs(d1 - 1.0 + (1.0 - t1) * pn1))) if ok else math.nan
        delta[idx] = d1
        p_next[idx] = pn1
        p_t[idx] = closed.p_t_regime1(d1, R1, g[idx])
        s_t[idx] = closed.spending_regime1(d1, a[idx], R1, y[idx])
    st.roots = int(idx.size)
    st.nonfinite = int(np.count_nonzero(~np.isfinite(delta)))
    D_t = qH - s_t
    omega = delta * qH + (1.0 - p_t) * y
    Pi = closed.firm_profits(a, y)
    lam = np.maximum(omega - Pi, 0.0)
    RK = R * K
    normal = Rm1 * K
    absorb = lam <= normal

    def regime() -> NDArray[np.int8]:
        reg = np.full(a.shape, Regime.INSOLVENT, dtype=np.int8)
        reg[lam < RK] = Regime.CAPITAL_ABSORBS
        reg[absorb] = Regime.DIVIDENDS_ABSORB
        reg[lam <= 0.0] = Regime.FIRMS_ABSORB
        return reg

    return {
        "delta": lambda: delta, "p_t": lambda: p_t, "p_next": lambda: p_next,
        "s_t": lambda: s_t, "s_next": lambda: Rm1 * D_t,
        "asset_value_t": lambda: (1.0 - delta) * qH, "loan_losses": lambda: lam,
        "total_losses": lambda: omega, "firm_profits_t": lambda: np.maximum(Pi - omega, 0.0),
        "bank_capital_t": lambda: np.where(absorb, K, RK - lam),
        "bank_dividends_t": lambda: np.where(absorb, normal - lam, 0.0),
        "deposits_t": lambda: D_t, "depositor_losses": lambda: np.maximum(lam - RK, 0.0),
        "regime": regime,
    }
