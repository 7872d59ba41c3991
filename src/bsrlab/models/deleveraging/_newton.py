r"""Newton's method on stacked perfect-foresight systems with a banded sparse Jacobian.

The unknowns come in ``nblocks`` blocks of length T (e.g. output, inflation, savers'
consumption); residual row t of every block depends only on the unknowns dated t - lower .. t +
upper. The Jacobian is built by the complex-step method (:math:`\partial F/\partial z_j =
\mathrm{Im}\,F(z + i h e_j)/h`, exact to round-off, no subtractive cancellation) with column
colouring: all unknowns of one block whose dates are congruent modulo lower + upper + 1 are
perturbed at once, since no residual row sees two of them. The whole Jacobian thus costs
nblocks * (lower + upper + 1) vectorised evaluations of the residual, whatever T.

Kinks such as :math:`\max(1 + i_{floor}, \cdot)` take the derivative of the active branch (the
real parts decide), as econpizza does. Newton steps are damped by backtracking on the largest
residual.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from bsrlab.core.errors import ConvergenceError
from bsrlab.core.result import Diagnostics

__all__ = ["METHOD", "NewtonReport", "banded_jacobian", "cmax", "newton_solve"]

#: The method name in the diagnostics of every solve by :func:`newton_solve`.
METHOD = "stacked-newton"

Residual = Callable[[NDArray[np.complex128] | NDArray[np.float64]], NDArray[np.generic]]
_H = 1e-20


def cmax(a: float | NDArray[np.generic], b: NDArray[np.generic]) -> NDArray[np.generic]:
    """``max(a, b)`` elementwise that keeps the complex-step perturbation of the active branch."""
    return np.where(np.real(b) >= np.real(a), b, a)


def banded_jacobian(fun: Residual, z: NDArray[np.float64], *, nblocks: int, lower: int,
                    upper: int) -> sp.csc_matrix:
    """Sparse Jacobian of ``fun`` at ``z`` by coloured complex steps (see the module docstring)."""
    n = z.size
    T = n // nblocks
    ncol = lower + upper + 1
    r = np.arange(T)
    rows, cols, vals = [], [], []
    for b in range(nblocks):
        for c in range(ncol):
            dz = np.zeros(n, dtype=np.complex128)
            dz[b * T + np.arange(c, T, ncol)] = 1j * _H
            dF = np.imag(fun(z + dz)) / _H
            s = r - lower + ((c - (r - lower)) % ncol)  # the perturbed date row r sees
            ok = (s >= 0) & (s < T)
            for rb in range(nblocks):
                rows.append(rb * T + r[ok])
                cols.append(b * T + s[ok])
                vals.append(dF[rb * T + r[ok]])
    J = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n, n))
    return J.tocsc()


@dataclass(frozen=True)
class NewtonReport:
    """Outcome of :func:`newton_solve`: the root, its residual and the solver's diagnostics."""

    z: NDArray[np.float64]
    residual: NDArray[np.float64]
    iterations: int
    converged: bool
    max_residual: float


def _norm(F: NDArray[np.generic]) -> float:
    a = np.abs(np.asarray(F, dtype=np.float64))
    return float(np.max(a)) if np.all(np.isfinite(a)) else float("inf")


def newton_solve(fun: Residual, z0: NDArray[np.float64], *, nblocks: int, lower: int, upper: int,
                 tol: float = 1e-12, max_iter: int = 50, what: str = "system") -> NewtonReport:
    """Solve ``fun(z) = 0`` by damped Newton steps; raise ConvergenceError with diagnostics.

    Every failure (a non-finite residual at the start, a singular Jacobian, a failed line
    search, the iteration limit) raises :class:`~bsrlab.core.errors.ConvergenceError` whose
    ``diagnostics`` record ``converged=False``, the iterations done and the largest residual.
    """

    def fail(message: str, iterations: int, nrm: float) -> ConvergenceError:
        return ConvergenceError(message, Diagnostics(False, iterations, nrm, METHOD))

    z = np.asarray(z0, dtype=np.float64).copy()
    with np.errstate(all="ignore"):
        F = np.real(fun(z))
    nrm = _norm(F)
    if not np.isfinite(nrm):
        raise fail(f"{what}: the residual is not finite at the initial guess", 0, nrm)
    it = 0
    while nrm > tol and it < max_iter:
        it += 1
        with np.errstate(all="ignore"):
            J = banded_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                dz = spla.spsolve(J, -F)
            except (RuntimeError, Warning) as exc:
                raise fail(f"{what}: singular Jacobian at iteration {it} (largest residual "
                           f"{nrm:.3e}): {exc}", it, nrm) from None
        if not np.all(np.isfinite(dz)):
            raise fail(f"{what}: non-finite Newton step at iteration {it} "
                       f"(largest residual {nrm:.3e})", it, nrm)
        lam = 1.0
        while True:
            zt = z + lam * dz
            with np.errstate(all="ignore"):
                Ft = np.real(fun(zt))
            nt = _norm(Ft)
            if nt < nrm * (1 - 1e-4 * lam) or (lam < 1e-3 and np.isfinite(nt)):
                break
            lam *= 0.5
            if lam < 1e-6:
                raise fail(f"{what}: line search failed at iteration {it} (largest residual "
                           f"{nrm:.3e} at row {int(np.argmax(np.abs(F)))})", it, nrm)
        z, F, nrm = zt, Ft, nt
    if nrm > tol:
        raise fail(f"{what}: Newton's method did not converge in {it} iterations (largest "
                   f"residual {nrm:.3e} at row {int(np.argmax(np.abs(F)))}, tolerance "
                   f"{tol:.1e})", it, nrm)
    return NewtonReport(z=z, residual=np.asarray(F, dtype=np.float64), iterations=it,
                        converged=True, max_residual=nrm)
