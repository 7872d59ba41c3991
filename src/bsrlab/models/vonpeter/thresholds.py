"""Crisis thresholds of the von Peter (2004) model (Appendix 2, eqs. 28 and 33).

Each threshold is one named function of ``(alpha, R, gamma)`` over numpy arrays (they broadcast).
The functions are complex-analytic in their arguments, so
:mod:`bsrlab.models.vonpeter.vulnerability` differentiates them exactly by the complex step.

Loss-bearing thresholds (32): losses turn positive at delta_0 (firms default), eliminate bank
dividends at delta_Div and bank capital at delta_K; delta* = R delta_Div is where the capital
constraint starts to bind (capital crunch, Proposition 4). Each decline delta_i maps to a shock
tau_i through the fundamental decline (22): 1 - tau_i = (1 - delta_i) / p_{t+1}.

delta* and the regime-2 prices are the closed forms of :mod:`bsrlab.models.vonpeter.closed`
(re-exported here). delta_0 has no closed form for gamma > 0: it is found by a monotone Newton
iteration that raises :class:`~bsrlab.core.errors.ConvergenceError` (with its diagnostics) when
it cannot meet its tolerance.

:func:`thresholds` of arrays of parameters runs on the fused kernel of
:mod:`bsrlab.models.vonpeter.kernel` when it is built (the same closed forms and the same Newton
iteration with the same stopping rule, compiled; it agrees with the numpy functions here to a
few ulps); ``backend="numpy"`` selects the numpy functions, which a scalar point uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.models.vonpeter.closed import (
    delta_star,
    log1p,
    p_bar_next,
    p_bar_t,
    p_next_regime1,
    price_exponent,
    price_level,
    shock_for_decline,
)
from bsrlab.models.vonpeter.outputs import THRESHOLD_KEYS
from bsrlab.models.vonpeter.params import Params

__all__ = [
    "Thresholds",
    "delta_0",
    "delta_K",
    "delta_div",
    "delta_star",
    "p_bar_next",
    "p_bar_t",
    "tau_0",
    "tau_K",
    "tau_div",
    "tau_star",
    "threshold_values",
    "thresholds",
]

#: Floats, numpy arrays (real or complex) or pandas Series: the closed forms are plain arithmetic.
Arr = Any

#: Default tolerance of the delta_0 root (scaled residual) and its iteration cap.
DELTA_0_TOL = 1e-10
DELTA_0_MAX_ITER = 60
_ULPS = 8.0 * np.finfo(np.float64).eps


def delta_div(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta_Div = delta*/R: loan losses equal normal bank profits (R - 1)K (Appendix 2)."""
    return _delta_div(delta_star(alpha, R, gamma), R)


def delta_K(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """delta_K = delta*/R + (R - 1)/R: loan losses equal R K, bank capital is gone (Appendix 2)."""
    return _delta_K(delta_star(alpha, R, gamma), R)


def tau_div(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_Div from 1 - tau_Div = (1 - delta*/R) / (1 - delta*)^(gamma/(gamma-1))   (33)."""
    return _tau_div(delta_star(alpha, R, gamma), R, gamma)


def tau_star(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau* from 1 - tau* = (1 - delta*)^(1/(1-gamma)): delta* is then fundamental   (33)."""
    return _tau_star(delta_star(alpha, R, gamma), gamma)


def tau_K(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_K from 1 - tau_K = (1 - delta*)^(1/(1-gamma)) / R: the bank is insolvent   (33)."""
    return _tau_K(delta_star(alpha, R, gamma), R, gamma)


# The same thresholds from a delta* already computed (``thresholds`` evaluates (28) once).

def _delta_div(ds: Arr, R: Arr) -> Arr:
    return ds / R


def _delta_K(ds: Arr, R: Arr) -> Arr:
    return ds / R + (R - 1.0) / R


def _tau_div(ds: Arr, R: Arr, gamma: Arr) -> Arr:
    return shock_for_decline(_delta_div(ds, R), price_level(-ds, gamma))


def _tau_star(ds: Arr, gamma: Arr) -> Arr:
    return -np.expm1(log1p(-ds) / (1.0 - gamma))


def _tau_K(ds: Arr, R: Arr, gamma: Arr) -> Arr:
    return 1.0 - np.exp(log1p(-ds) / (1.0 - gamma)) / R


def _phi(d: Arr, alpha: Arr, a: Arr, c: Arr, e: Arr) -> tuple[Arr, Arr, Arr]:
    """phi(d), phi'(d) and x^e with x = 1 + c d (x^e through log1p: exact near gamma = 1)."""
    xe = np.exp(e * log1p(c * d))
    return d * a + alpha - xe, a - e * c * xe / (1.0 + c * d), xe


def _delta_0_newton(alpha: Arr, R: Arr, gamma: Arr, max_iter: int = DELTA_0_MAX_ITER
                    ) -> tuple[Arr, Diagnostics]:
    """Solve phi(d) = d alpha/(R-1) + alpha - (1 + R d/(R-1))^e = 0 for d (Appendix 2).

    phi is increasing and concave in d (e = gamma/(gamma-1) <= 0) with phi(0) = alpha - 1 < 0, so
    Newton's method from d = 0 increases monotonically to the root: it cannot overshoot. A point
    stops once its step is within a few ulps of d or of the rounding noise of phi/phi' (with
    gamma near 1 the root is tiny, so the test is relative to d, not absolute); stopped points
    leave the active set. The reported residual is |phi| over the size of its terms,
    1 + |d alpha/(R-1)| + (1 + R d/(R-1))^e. Works on complex input too (for the complex-step
    derivative): the stopping test reads the real parts, and two more steps over every point let
    the imaginary parts settle.
    """
    arrays = [np.asarray(v) for v in (alpha, R, gamma)]
    shape = np.broadcast_shapes(*(v.shape for v in arrays))
    dtype = np.result_type(*arrays, np.float64)
    al, Rr, g = (np.broadcast_to(v, shape).astype(dtype).ravel() for v in arrays)
    e = price_exponent(g)
    c = Rr / (Rr - 1.0)
    a = al / (Rr - 1.0)
    d = np.zeros(al.size, dtype=dtype)
    active = np.arange(al.size)
    it = 0
    for it in range(1, max_iter + 1):
        if active.size == 0:
            it -= 1
            break
        da, aa, ca, ea = d[active], al[active], c[active], e[active]
        ak = a[active]
        phi, dphi, xe = _phi(da, aa, ak, ca, ea)
        step = phi / dphi
        da = da - step
        d[active] = da
        # a few ulps of d, or of the rounding noise of phi/phi' (whichever is larger)
        noise = (np.abs(np.real(da * ak)) + np.abs(np.real(aa)) + np.abs(np.real(xe))) / np.abs(
            np.real(dphi))
        done = np.abs(np.real(step)) <= _ULPS * (np.abs(np.real(da)) + noise)
        active = active[~done]
    stopped = active.size == 0
    if stopped and np.iscomplexobj(d):  # let the derivative (imaginary part) settle too
        for _ in range(2):
            phi, dphi, _xe = _phi(d, al, a, c, e)
            d = d - phi / dphi
    with np.errstate(invalid="ignore", over="ignore"):
        phi, _dphi, xe = _phi(d, al, a, c, e)
        size = 1.0 + np.abs(np.real(d * a)) + np.abs(np.real(xe))
        scaled = np.abs(np.real(phi)) / size
    finite = bool(np.all(np.isfinite(scaled)))
    resid = float(np.max(scaled, initial=0.0)) if finite else float("nan")
    return d.reshape(shape), Diagnostics(stopped and finite, it, resid, "monotone-newton")


def delta_0(alpha: Arr, R: Arr, gamma: Arr, *, tol: float = DELTA_0_TOL,
            max_iter: int = DELTA_0_MAX_ITER) -> Arr:
    """delta_0, the decline at which firms start to default: omega = Pi (Appendix 2).

    Solves delta alpha/(R-1) + alpha - (1 + R delta/(R-1))^(gamma/(gamma-1)) = 0; for gamma = 0 the
    closed form is delta_0 = (1 - alpha)(R - 1)/alpha.

    Raises
    ------
    ConvergenceError
        If Newton's method does not stop within ``max_iter`` steps or its scaled residual
        exceeds ``tol`` or is not finite.
    """
    d, diag = _delta_0_newton(alpha, R, gamma, max_iter)
    verify(diag, tol, what="delta_0")
    return d if d.ndim else d[()]


def tau_0(alpha: Arr, R: Arr, gamma: Arr) -> Arr:
    """tau_0 from 1 - tau_0 = (1 - delta_0)/(1 - R delta_0)^(gamma/(gamma-1))   (Appendix 2)."""
    d0 = delta_0(alpha, R, gamma)
    return shock_for_decline(d0, p_next_regime1(d0, R, gamma))


@dataclass(frozen=True, kw_only=True, eq=False)
class Thresholds(Result[Params]):
    """All thresholds of one calibration (read-only arrays of the parameters' shape).

    ``diagnostics`` report the Newton solve of delta_0 (also as ``delta_0_iterations`` and
    ``delta_0_residual``, the residual scaled by the size of the equation's terms).
    """

    KEYS: ClassVar[tuple[str, ...]] = THRESHOLD_KEYS

    delta_0: Arr
    delta_div: Arr
    delta_star: Arr
    delta_K: Arr
    tau_0: Arr
    tau_div: Arr
    tau_star: Arr
    tau_K: Arr

    @property
    def delta_0_iterations(self) -> int:
        """Newton iterations of the delta_0 solve."""
        return self.diagnostics.iterations

    @property
    def delta_0_residual(self) -> float:
        """Largest scaled residual of the delta_0 equation."""
        return self.diagnostics.max_residual

    def to_dict(self) -> dict[str, Any]:
        """The eight thresholds as floats (scalars) or lists (arrays), in the CLI's key order."""
        return self.plain_outputs()

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per parameter point."""
        import pandas as pd

        cols = {k: np.ravel(np.broadcast_to(getattr(self, k), self.params.shape or (1,)))
                for k in self.KEYS}
        return pd.DataFrame(cols)


def thresholds(params: Params, *, tol: float = DELTA_0_TOL, max_iter: int = DELTA_0_MAX_ITER,
               backend: str | None = None) -> Thresholds:
    """Every threshold of Appendix 2 for the given parameters (vectorised).

    ``backend`` is ``"c"`` (the compiled fused kernel), ``"numpy"``, or ``None``: the kernel's
    default backend for arrays of parameters, numpy for a scalar point.

    Raises
    ------
    ConvergenceError
        If the delta_0 root does not meet ``tol`` within ``max_iter`` Newton steps; the error
        carries the diagnostics.
    """
    from bsrlab.models.vonpeter import kernel

    shape = np.broadcast_shapes(np.shape(params.a), np.shape(params.R), np.shape(params.g))
    if kernel.choose_backend(backend, shape) == "c":
        return _thresholds_kernel(params, shape, tol, max_iter)
    a, R, g = params.a, params.R, params.g
    d0, diag = _delta_0_newton(a, R, g, max_iter)
    verify(diag, tol, what="delta_0")
    return Thresholds(params=params, diagnostics=diag, **threshold_values(a, R, g, d0))


def threshold_values(a: Any, R: Any, g: Any, d0: Any) -> dict[str, Any]:
    """Every threshold from delta_0 ``d0`` (found by the caller) and the closed forms: one
    delta* for all of them. Works on real and on complex arrays (the complex step of
    :mod:`bsrlab.models.vonpeter.vulnerability`)."""
    ds = delta_star(a, R, g)
    return {
        "delta_0": d0,
        "delta_div": _delta_div(ds, R),
        "delta_star": ds,
        "delta_K": _delta_K(ds, R),
        "tau_0": shock_for_decline(d0, p_next_regime1(d0, R, g)),
        "tau_div": _tau_div(ds, R, g),
        "tau_star": _tau_star(ds, g),
        "tau_K": _tau_K(ds, R, g),
    }


def _thresholds_kernel(params: Params, shape: tuple[int, ...], tol: float,
                       max_iter: int) -> Thresholds:
    """:func:`thresholds` on the compiled fused kernel (the points flattened, then reshaped)."""
    from bsrlab.models.vonpeter import kernel

    flat = [kernel.flat_input(v, shape) for v in (params.a, params.R, params.g)]
    # Params has checked the admissible box already; tau does not enter the thresholds
    r = kernel.evaluate(flat[0], flat[1], flat[2], 0.0, outputs=THRESHOLD_KEYS, backend="c",
                        check=False, delta_0_tol=tol, delta_0_max_iter=max_iter)
    assert r.delta_0_diagnostics is not None  # asked for: verified by evaluate
    return Thresholds(params=params, diagnostics=r.delta_0_diagnostics,
                      **{k: r[k].reshape(shape) for k in THRESHOLD_KEYS})
