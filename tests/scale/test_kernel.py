"""The fused kernel: the same equilibrium as solve, point by point, fast paths included."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import kernel as kern
from bsrlab.vonpeter import OUTPUT_KEYS, Params, solve, thresholds

BACKENDS = kern.available_backends()


def _draw(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    beta = rng.uniform(0.6, 0.999, n)
    R = 1.0 / beta
    alpha = (R - 1.0) + rng.uniform(0.001, 0.999, n) * (2.0 - R)
    gamma = rng.uniform(0.0, 0.99, n)
    tau = rng.uniform(0.0, 1.0, n)
    return alpha, R, gamma, tau


@pytest.mark.parametrize("backend", BACKENDS)
def test_kernel_agrees_with_solve(backend: str) -> None:
    """Against the numpy implementations of solve and thresholds (the reference)."""
    a, R, g, t = _draw(20_000, 1)
    t[:5000] *= 0.05  # plenty of regime-1 points
    sol = solve(Params.from_R(alpha=a, R=R, gamma=g), t, backend="numpy")
    r = kern.evaluate(a, R, g, t, backend=backend)
    assert np.array_equal(r["regime"], sol.regime)
    for k in OUTPUT_KEYS:
        ref = getattr(sol, k)
        err = np.abs(r[k] - ref) / np.maximum(1.0, np.abs(ref))
        assert float(err.max()) < 1e-11, k
    th = thresholds(Params.from_R(alpha=a[:500], R=R[:500], gamma=g[:500]), backend="numpy")
    for k in kern.THRESHOLD_OUTPUTS:
        np.testing.assert_allclose(r[k][:500], getattr(th, k), rtol=1e-12, atol=1e-14,
                                   err_msg=k)
    assert r.diagnostics.converged and r.diagnostics.max_residual < 1e-12
    d0 = r.delta_0_diagnostics
    assert d0 is not None and d0.converged and d0.max_residual < 1e-12
    assert r.roots == int(np.count_nonzero(t < r["tau_div"]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_point_by_point_determinism(backend: str) -> None:
    """A point's bits do not depend on the call, the chunk or the number of threads."""
    a, R, g, t = _draw(40_000, 2)
    whole = kern.evaluate(a, R, g, t, backend=backend, outputs=("delta", "p_t", "regime"))
    two = kern.evaluate(a, R, g, t, backend=backend, outputs=("delta", "p_t", "regime"),
                     workers=2)
    part = kern.evaluate(a[777:5000], R[777:5000], g[777:5000], t[777:5000], backend=backend,
                      outputs=("delta", "p_t"))
    for k in ("delta", "p_t", "regime"):
        assert np.array_equal(whole[k], two[k])
    assert np.array_equal(whole["delta"][777:5000], part["delta"])
    assert np.array_equal(whole["p_t"][777:5000], part["p_t"])


def test_buffers_are_reused_and_scalars_broadcast() -> None:
    ws = kern.Workspace(("delta", "regime"))
    t = np.linspace(0.0, 0.3, 101)
    first = kern.evaluate(0.5, 1.05, 0.0, t, outputs=("delta", "regime"), out=ws.take(101))
    np.testing.assert_allclose(first["delta"][t < 0.05], t[t < 0.05], atol=1e-15)  # gamma = 0
    second = kern.evaluate(0.5, 1.05, 0.2, t, outputs=("delta",), out=ws.take(101))
    assert np.shares_memory(first["delta"], second["delta"])
    assert list(second) == ["delta"]


def test_bad_inputs_name_the_parameter() -> None:
    with pytest.raises(ParameterError, match="alpha"):
        kern.evaluate([0.5, 0.01], 1.05, 0.0, 0.1)
    with pytest.raises(ParameterError, match="tau"):
        kern.evaluate(0.5, 1.05, 0.0, [0.1, 1.5])
    with pytest.raises(ParameterError, match="outputs"):
        kern.evaluate(0.5, 1.05, 0.0, 0.1, outputs=("nonsense",))
    with pytest.raises(ParameterError, match="backend"):
        kern.evaluate(0.5, 1.05, 0.0, 0.1, backend="fortran")


@pytest.mark.skipif("c" not in BACKENDS, reason="the compiled kernel is not built")
def test_elementary_functions_are_accurate() -> None:
    from bsrlab.models.vonpeter import _ckernel  # type: ignore[attr-defined]

    rng = np.random.default_rng(0)
    cases = [(0, np.exp, rng.uniform(-700, 700, 100_000)),
             (1, np.expm1, rng.uniform(-3, 3, 100_000)),
             (1, np.expm1, rng.uniform(-1e-6, 1e-6, 1000)),
             (2, np.log, np.exp(rng.uniform(-700, 700, 100_000))),
             (3, np.log1p, rng.uniform(-0.999, 3, 100_000)),
             (3, np.log1p, rng.uniform(-1e-9, 1e-9, 1000))]
    for which, f, x in cases:
        out = np.empty_like(x)
        _ckernel.elementary(which, x, out)
        ref = f(x)
        ulps = np.abs(out - ref) / np.spacing(np.abs(ref))
        assert float(ulps.max()) <= 8, (which, float(ulps.max()))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1e-310])
    out = np.empty_like(special)
    _ckernel.elementary(2, special, out)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_array_equal(out, np.log(special))


def test_unverified_roots_raise_with_diagnostics() -> None:
    from bsrlab.core.errors import ConvergenceError

    with pytest.raises(ConvergenceError, match="fundamental root") as info:
        kern.evaluate(0.5, 1.05, 0.4, np.array([0.001, 0.002]), tol=0.0)
    assert info.value.diagnostics is not None
    assert kern.evaluate(0.5, 1.05, 0.0, np.empty(0), outputs=("delta",))["delta"].size == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_thresholds_alone_skip_the_root(backend: str) -> None:
    a, R, g, _ = _draw(3000, 3)
    r = kern.evaluate(a, R, g, 0.5, outputs=("tau_star", "delta_star"), backend=backend)
    assert r.roots == 0 and r.delta_0_diagnostics is None
    assert r.diagnostics.method.startswith("closed-form") and r.diagnostics.iterations == 0
    full = kern.evaluate(a, R, g, 0.5, backend=backend)
    assert np.array_equal(r["tau_star"], full["tau_star"])


def test_workspace_buffers_are_aligned_prefaulted_and_reused() -> None:
    ws = kern.Workspace(("delta", "p_t", "regime"), capacity=1000)
    bufs = ws.take(1000)
    for v in bufs.values():
        assert v.ctypes.data % 64 == 0 and v.flags.c_contiguous
        assert not v.any()  # touched (zeroed) once, when allocated
    a, R, g, t = _draw(1000, 4)
    r = kern.evaluate(a, R, g, t, outputs=("delta", "regime"), out=ws)
    assert np.shares_memory(r["delta"], bufs["delta"]) and list(r) == ["delta", "regime"]
    small = kern.evaluate(a[:10], R[:10], g[:10], t[:10], outputs=("delta",), out=ws)
    assert np.shares_memory(small["delta"], bufs["delta"]) and ws.capacity == 1000
    grown = kern.evaluate(np.linspace(0.3, 0.9, 3000), 1.05, 0.2, 0.1, outputs=("p_t",), out=ws)
    assert ws.capacity == 3000 and grown["p_t"].size == 3000
    assert grown["p_t"].ctypes.data % 64 == 0


def test_parts_start_on_cache_lines() -> None:
    for n in (16384, 40_000, 1_000_003):
        for w in (1, 2, 3):
            threads, parts = kern._split(n, w)
            assert 1 <= threads <= w and (threads == 1) == (len(parts) == 1)
            assert parts[0][0] == 0 and parts[-1][1] == n
            assert all(lo % 64 == 0 for lo, _ in parts)
            assert all(p[1] == q[0] for p, q in itertools.pairwise(parts))
            assert all(hi - lo >= 16384 for lo, hi in parts[:-1])


@pytest.mark.skipif("c" not in BACKENDS, reason="the compiled kernel is not built")
def test_streamed_large_calls_give_the_same_bits() -> None:
    """A call large enough to stream its outputs (and to split over two threads), outputs that
    are not aligned on a cache line or even on 16 bytes: the bits of a small call."""
    n = (1 << 18) + 1234
    a, R, g, t = _draw(n, 6)
    t[::3] *= 0.05
    names = ("delta", "s_next", "bank_capital_t", "tau_div", "delta_0", "regime")
    big = kern.evaluate(a, R, g, t, outputs=names, backend="c", workers=2)
    raw = np.empty(n + 1)
    odd = {"delta": raw[1:]}  # 8 bytes off a 16-byte boundary
    shifted = kern.evaluate(a, R, g, t, outputs=("delta",), out=odd, backend="c")
    assert np.array_equal(shifted["delta"], big["delta"])
    for lo in (0, 70_001, n - 5000):
        hi = lo + 5000
        part = kern.evaluate(a[lo:hi], R[lo:hi], g[lo:hi], t[lo:hi], outputs=names,
                             backend="c")
        for k in names:
            assert np.array_equal(part[k], big[k][lo:hi]), (k, lo)
