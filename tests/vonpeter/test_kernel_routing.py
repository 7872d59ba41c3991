"""solve, thresholds and vulnerability on arrays run on the fused kernel; numpy stays available."""

from __future__ import annotations

import types

import numpy as np
import pytest

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.vonpeter import kernel as kern
from bsrlab.models.vonpeter.policy import solve_policy
from bsrlab.models.vonpeter.thresholds import THRESHOLD_KEYS
from bsrlab.models.vonpeter.vulnerability import THRESHOLD_FUNCTIONS
from bsrlab.vonpeter import OUTPUT_KEYS, Params, solve, thresholds, vulnerability
from tests.scale.test_kernel import _draw as _box

HAVE_C = "c" in kern.available_backends()
needs_c = pytest.mark.skipif(not HAVE_C, reason="the compiled kernel is not built")
#: the kernel is what arrays run on by default (not with BSRLAB_KERNEL=numpy)
kernel_default = pytest.mark.skipif(kern.default_backend() != "c",
                                    reason="the default backend is numpy here")
FIELDS = (*OUTPUT_KEYS, "regime")


def _draw(n: int, seed: int) -> tuple[np.ndarray, ...]:
    """The kernel tests' draw over the admissible box, with plenty of regime-1 points."""
    alpha, R, gamma, tau = _box(n, seed)
    tau[: n // 4] *= 0.05
    return alpha, R, gamma, tau


def _close(x: np.ndarray, ref: np.ndarray, rel: float = 1e-11) -> None:
    err = np.abs(x - ref) / np.maximum(1.0, np.abs(ref))
    assert float(err.max(initial=0.0)) < rel


@kernel_default
def test_solve_on_arrays_runs_on_the_kernel_and_agrees_with_numpy() -> None:
    a, R, g, t = _draw(20_000, 3)
    p = Params.from_R(alpha=a, R=R, gamma=g)
    sol = solve(p, t)
    ref = solve(p, t, backend="numpy")
    assert np.array_equal(sol.regime, ref.regime)
    for k in OUTPUT_KEYS:
        _close(getattr(sol, k), getattr(ref, k))
    assert sol.converged and sol.max_residual < 1e-12 and 1 <= sol.iterations <= 12
    assert sol.diagnostics.method == "monotone-newton"
    # the kernel is what runs: its bits, not numpy's
    direct = kern.evaluate(a, R, g, t, outputs=("delta",), backend="c")
    assert np.array_equal(sol.delta, direct["delta"])
    assert not sol.delta.flags.writeable


@needs_c
def test_solve_keeps_shapes_diagnostics_and_broadcasting() -> None:
    alphas = np.array([[0.3], [0.5], [0.7]])
    taus = np.linspace(0.0, 1.0, 7)
    p = Params(alpha=alphas, beta=1 / 1.05, gamma=0.2, y=2.0)
    s = solve(p, taus)
    assert s.delta.shape == s.regime.shape == s.tau.shape == (3, 7)
    ref = solve(p, taus, backend="numpy")
    for k in OUTPUT_KEYS:
        _close(getattr(s, k), getattr(ref, k))
    assert np.array_equal(s.regime, ref.regime)
    closed = solve(p, np.ones(3))  # tau = 1: regime 2 everywhere, no root
    assert closed.diagnostics.method == "closed-form" and closed.iterations == 0
    # a point's bits do not depend on the rest of the call
    row = solve(Params(alpha=0.5, beta=1 / 1.05, gamma=0.2, y=2.0), taus)
    assert np.array_equal(row.delta, s.delta[1])


def test_solve_numpy_backend_is_the_old_path() -> None:
    """``backend="numpy"`` is the chunked numpy implementation, bit for bit (the policy solver
    reproduces it exactly at the neutral policy)."""
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.5)
    tau = np.linspace(0.0, 1.0, 1001)
    a = solve(p, tau, backend="numpy")
    b = solve_policy(p, tau, rate=float(p.R))
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(b, f), getattr(a, f), err_msg=f)


def test_bsrlab_kernel_numpy_selects_the_numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    a, R, g, t = _draw(3000, 4)
    p = Params.from_R(alpha=a, R=R, gamma=g)
    ref = solve(p, t, backend="numpy")
    monkeypatch.setenv("BSRLAB_KERNEL", "numpy")
    assert kern.default_backend() == "numpy"
    s = solve(p, t)
    for f in FIELDS:
        assert np.array_equal(getattr(s, f), getattr(ref, f)), f
    th = thresholds(p)
    th_ref = thresholds(p, backend="numpy")
    for k in THRESHOLD_KEYS:
        assert np.array_equal(getattr(th, k), getattr(th_ref, k)), k


def test_without_hardware_fma_the_default_is_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BSRLAB_KERNEL", raising=False)
    monkeypatch.setattr(kern, "_ckernel", types.SimpleNamespace(HARDWARE_FMA=0))
    assert kern.default_backend() == "numpy"
    monkeypatch.setattr(kern, "_ckernel", None)
    assert kern.default_backend() == "numpy" and kern.available_backends() == ("numpy",)


def test_unknown_backend_is_a_parameter_error() -> None:
    p = Params(alpha=np.array([0.5, 0.6]), beta=0.95)
    with pytest.raises(ParameterError, match="backend"):
        solve(p, 0.1, backend="fortran")
    with pytest.raises(ParameterError, match="backend"):
        thresholds(p, backend="fortran")


@needs_c
def test_scalars_stay_on_numpy_unless_asked() -> None:
    p = Params(alpha=0.5, beta=0.95, gamma=0.3)
    s = solve(p, 0.02)
    assert np.array_equal(s.delta, solve(p, 0.02, backend="numpy").delta)
    c = solve(p, 0.02, backend="c")
    assert c.delta.shape == () and abs(float(c.delta) - float(s.delta)) < 1e-15
    assert float(c.delta) == float(solve(p, np.array([0.02]), backend="c").delta[0])


@kernel_default
def test_thresholds_on_arrays_run_on_the_kernel() -> None:
    a, R, g, _ = _draw(5000, 5)
    p = Params.from_R(alpha=a, R=R, gamma=g)
    th = thresholds(p)
    ref = thresholds(p, backend="numpy")
    for k in THRESHOLD_KEYS:
        np.testing.assert_allclose(getattr(th, k), getattr(ref, k), rtol=1e-12, atol=1e-15,
                                   err_msg=k)
    d = th.diagnostics
    assert d.method == "monotone-newton" and d.converged and d.max_residual < 1e-12
    assert 1 <= d.iterations <= ref.diagnostics.iterations + 1
    direct = kern.evaluate(a, R, g, 0.0, outputs=("delta_0", "tau_K"), backend="c")
    assert np.array_equal(th.delta_0, direct["delta_0"])
    assert np.array_equal(th.tau_K, direct["tau_K"])
    # shapes of the parameters (not of y or H), read-only
    grid = Params(alpha=np.array([[0.3], [0.6]]), beta=np.array([0.9, 0.95, 0.99]), gamma=0.4,
                  y=2.0)
    tg = thresholds(grid)
    assert tg.tau_star.shape == (2, 3) and not tg.tau_star.flags.writeable
    np.testing.assert_allclose(tg.tau_0, thresholds(grid, backend="numpy").tau_0, rtol=1e-12)


@pytest.mark.parametrize("backend", kern.available_backends())
def test_thresholds_on_arrays_raise_when_delta_0_does_not_converge(backend: str) -> None:
    p = Params(alpha=np.array([0.5, 0.6]), beta=0.95, gamma=0.6)
    with pytest.raises(ConvergenceError, match="delta_0") as info:
        thresholds(p, max_iter=1, backend=backend)
    diag = info.value.diagnostics
    assert diag is not None and diag.converged is False and diag.iterations == 1
    with pytest.raises(ConvergenceError, match="delta_0"):
        thresholds(p, tol=0.0, max_iter=3, backend=backend)


@needs_c
def test_vulnerability_on_arrays() -> None:
    p = Params(alpha=np.array([0.3, 0.5, 0.8]), beta=np.array([0.9, 0.95, 0.97]),
               gamma=np.array([0.0, 0.3, 0.9]))
    v = vulnerability(p)
    th = thresholds(p)
    for k in THRESHOLD_KEYS:
        assert np.array_equal(v.values[k], getattr(th, k))
    # the grouped complex steps give the numbers of the functions one at a time
    a, b, g = (np.asarray(x, dtype=np.float64) for x in (p.alpha, p.beta, p.gamma))
    for k, f in THRESHOLD_FUNCTIONS.items():
        for name in ("alpha", "beta", "gamma"):
            aa, bb, gg = a.astype(complex), b.astype(complex), g.astype(complex)
            if name == "alpha":
                aa = aa + 1e-30j
            elif name == "beta":
                bb = bb + 1e-30j
            else:
                gg = gg + 1e-30j
            one = np.imag(f(aa, 1.0 / bb, gg)) / 1e-30
            assert np.array_equal(v.derivatives[k][name], one), (k, name)
    assert v.diagnostics.method == "complex-step" and v.diagnostics.converged


def test_vulnerability_of_a_point_is_unchanged() -> None:
    p = Params(alpha=0.5, beta=0.95, gamma=0.3)
    v = vulnerability(p)
    assert v.to_frame().shape == (8, 5)
    for k, f in THRESHOLD_FUNCTIONS.items():
        assert float(v.values[k]) == float(f(p.a, p.R, p.g))
