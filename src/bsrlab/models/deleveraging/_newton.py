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

Above :data:`DENSE_MAX` unknowns the factorised Jacobian is kept for the next steps while each
of them at least halves the largest residual (a simplified Newton step costs one residual and one
pair of triangular solves); a step that does less is not taken, and the Jacobian is evaluated
afresh there. Such steps go on to a thousandth of the tolerance when they keep halving the
residual, so the root is as sharp as Newton's. The root is verified against the tolerance.

Each Newton step is one direct solve: dense LU (LAPACK) up to :data:`DENSE_MAX` unknowns, else
SuperLU, the solver behind :func:`scipy.sparse.linalg.spsolve`. :func:`sparse_solve` calls it
exactly as ``spsolve`` does (same compressed columns, same column ordering), so its solutions
are those of ``spsolve`` to the last bit. The Jacobians of :func:`newton_solve` are factorised
by :func:`factorize` with their unknowns and equations ordered by date, where the matrix is
banded, and without the zeros of the pattern: SuperLU factorises that in the natural column
order in a fraction of the time its fill-reducing ordering takes on the stacked pattern, and
the steps are the same to round-off. SuperLU is loaded on its own: importing
:mod:`scipy.sparse.linalg` takes longer than a whole solve of the presets. Where it cannot be
loaded, ``spsolve`` itself is used.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ConvergenceError
from bsrlab.core.result import Diagnostics

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "CSC",
    "METHOD",
    "NewtonReport",
    "SingularMatrixError",
    "banded_jacobian",
    "cmax",
    "factorize",
    "newton_solve",
    "shift_in",
    "shift_out",
    "sparse_solve",
]

#: The method name in the diagnostics of every solve by :func:`newton_solve`.
METHOD = "stacked-newton"

Residual = Callable[[NDArray[np.complex128] | NDArray[np.float64]], NDArray[np.generic]]
_H = 1e-20


def cmax(a: float | NDArray[np.generic], b: NDArray[np.generic]) -> NDArray[np.generic]:
    """``max(a, b)`` elementwise that keeps the complex-step perturbation of the active branch."""
    return np.where(np.real(b) >= np.real(a), b, a)


def shift_in(first: Any, x: NDArray[Any]) -> NDArray[Any]:
    """(first, x_0, ..., x_{T-2}) along the last axis: the lagged series (one per row)."""
    out = np.empty_like(x)
    out[..., 0] = first
    out[..., 1:] = x[..., :-1]
    return out


def shift_out(x: NDArray[Any], last: Any) -> NDArray[Any]:
    """(x_1, ..., x_{T-1}, last) along the last axis: the led series (one per row)."""
    out = np.empty_like(x)
    out[..., :-1] = x[..., 1:]
    out[..., -1] = last
    return out


@dataclass(frozen=True)
class CSC:
    """A square sparse matrix in canonical compressed-column form (sorted rows, no duplicates).

    The layout of :class:`scipy.sparse.csc_matrix`: column j holds the values
    ``data[indptr[j]:indptr[j + 1]]`` in the rows ``indices[indptr[j]:indptr[j + 1]]``.
    """

    n: int
    data: NDArray[np.float64]
    indices: NDArray[np.intc]
    indptr: NDArray[np.intc]

    def toarray(self) -> NDArray[np.float64]:
        """The dense matrix."""
        out = np.zeros((self.n, self.n))
        cols = np.repeat(np.arange(self.n), np.diff(self.indptr))
        out[self.indices, cols] = self.data
        return out

    def to_scipy(self) -> sp.csc_matrix:
        """The same matrix as a :class:`scipy.sparse.csc_matrix` (imports scipy.sparse)."""
        import scipy.sparse as sp

        return sp.csc_matrix((self.data, self.indices, self.indptr), shape=(self.n, self.n))


@dataclass(frozen=True, eq=False)
class _Colouring:
    """The Jacobian's pattern and, per colour, the step and where its derivatives go.

    ``nblocks`` blocks of unknowns (and of equations) of n / nblocks dates each. ``steps``
    holds, per (block, colour): the complex step ``dz``, the positions in the CSC ``data`` of
    the derivatives it yields and the residual rows they are read from. The entries are those
    of the triplets (row, column) in the order block, colour, residual block, date, placed
    where :meth:`scipy.sparse.coo_matrix.tocsc` puts them (zeros kept).
    """

    n: int
    nblocks: int
    indices: NDArray[np.intc]
    indptr: NDArray[np.intc]
    steps: tuple[tuple[NDArray[np.complex128], NDArray[np.intp], NDArray[np.intp]], ...]

    @functools.cached_property
    def stacked(self) -> tuple[NDArray[np.complex128], NDArray[np.intp]]:
        """All steps at once: (the steps as rows, where each entry of the CSC ``data`` is in
        the flattened residuals of those rows)."""
        steps = self.steps or ((np.zeros(self.n, dtype=np.complex128),
                                np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)),)
        dz = np.stack([step[0] for step in steps])
        positions = np.concatenate([step[1] for step in steps])
        flat = np.concatenate([k * self.n + step[2] for k, step in enumerate(steps)])
        gather = np.empty_like(flat)
        gather[positions] = flat
        for arr in (dz, gather):
            arr.flags.writeable = False
        return dz, gather

    @functools.cached_property
    def by_date(self) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intc],
                               NDArray[np.intc]]:
        """The same pattern with unknowns and equations ordered by date, block within date.

        (order, take, indices, indptr): position i of that ordering is row and column
        ``order[i]`` of the stacked one, and the compressed columns of the reordered matrix
        are ``data[take]`` in the rows ``indices`` with the column pointers ``indptr``. Every
        row of date t sees the unknowns of dates t - lower .. t + upper only, so the reordered
        matrix is banded (bandwidth about nblocks (lower + upper + 1)).
        """
        T = self.n // self.nblocks
        order = np.arange(self.n).reshape(self.nblocks, T).T.ravel()
        where = np.empty_like(order)
        where[order] = np.arange(self.n)
        cols = where[np.repeat(np.arange(self.n), np.diff(self.indptr))]
        rows = where[self.indices]
        take = np.lexsort((rows, cols))
        indptr = np.zeros(self.n + 1, dtype=np.intc)
        np.cumsum(np.bincount(cols, minlength=self.n), out=indptr[1:])
        indices = rows[take].astype(np.intc)
        for a in (order, take, indices, indptr):
            a.flags.writeable = False
        return order, take, indices, indptr


@functools.lru_cache(maxsize=16)
def _colouring(n: int, nblocks: int, lower: int, upper: int) -> _Colouring:
    T = n // nblocks
    ncol = lower + upper + 1
    r = np.arange(T)
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    groups = []
    size = 0
    for b in range(nblocks):
        for c in range(ncol):
            dz = np.zeros(n, dtype=np.complex128)
            dz[b * T + np.arange(c, T, ncol)] = 1j * _H
            dz.flags.writeable = False
            s = r - lower + ((c - (r - lower)) % ncol)  # the perturbed date row r sees
            ok = (s >= 0) & (s < T)
            start = size
            for rb in range(nblocks):
                rows.append(rb * T + r[ok])
                cols.append(b * T + s[ok])
                size += rows[-1].size
            groups.append((dz, start, size))
    all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    all_cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.intp)
    order = np.lexsort((all_rows, all_cols))
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    indptr = np.zeros(n + 1, dtype=np.intc)
    np.cumsum(np.bincount(all_cols, minlength=n), out=indptr[1:])
    indices = all_rows[order].astype(np.intc)
    for a in (position, all_rows, indptr, indices):
        a.flags.writeable = False
    steps = tuple((dz, position[a:e], all_rows[a:e]) for dz, a, e in groups)
    return _Colouring(n=n, nblocks=nblocks, indices=indices, indptr=indptr, steps=steps)


def _coloured_jacobian(fun: Residual, z: NDArray[np.float64], *, nblocks: int, lower: int,
                       upper: int, batched: bool = False) -> CSC:
    pattern = _colouring(z.size, nblocks, lower, upper)
    if batched:  # one call: every perturbed point as a row of a 2-d argument
        dz_all, gather = pattern.stacked
        data = np.imag(np.reshape(fun(z + dz_all), -1)[gather]) / _H
    else:
        data = np.empty(pattern.indices.size)
        for dz, positions, rows in pattern.steps:
            dF = np.imag(fun(z + dz)) / _H
            data[positions] = dF[rows]
    return CSC(n=pattern.n, data=data, indices=pattern.indices, indptr=pattern.indptr)


def banded_jacobian(fun: Residual, z: NDArray[np.float64], *, nblocks: int, lower: int,
                    upper: int) -> sp.csc_matrix:
    """Sparse Jacobian of ``fun`` at ``z`` by coloured complex steps (see the module docstring)."""
    return _coloured_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper).to_scipy()


class SingularMatrixError(ArithmeticError):
    """The sparse direct solver found the matrix singular (or failed to factorise it)."""


#: Systems up to this many unknowns are solved densely by LAPACK (a 180 x 180 system of a
#: 60-year path takes well under a millisecond, and scipy is not imported); larger ones by
#: SuperLU through :func:`scipy.sparse.linalg.spsolve`.
DENSE_MAX = 200


def _superlu_driver() -> Callable[..., tuple[NDArray[np.float64], int]] | None:
    """SuperLU's ``gssv`` (see :func:`_superlu_module`)."""
    module = _superlu_module()
    return None if module is None else getattr(module, "gssv", None)


@functools.lru_cache(maxsize=1)
def _superlu_module() -> Any:
    """scipy's SuperLU extension module, loaded without importing the package.

    Importing :mod:`scipy.sparse.linalg` costs more than a whole solve of a preset; its
    compiled SuperLU driver needs only numpy. None where it cannot be found or loaded (then
    :func:`sparse_solve` calls ``spsolve``).
    """
    import sys

    name = "scipy.sparse.linalg._dsolve._superlu"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    try:
        import importlib.machinery
        import importlib.util
        import os

        spec = importlib.util.find_spec("scipy")
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = os.path.join(next(iter(spec.submodule_search_locations)), "sparse", "linalg",
                              "_dsolve")
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        files = sorted(f for f in os.listdir(folder)
                       if f.startswith("_superlu.") and f.endswith(suffixes))
        if not files:
            return None
        path = os.path.join(folder, files[0])
        loader = importlib.machinery.ExtensionFileLoader(name, path)
        mspec = importlib.util.spec_from_file_location(name, path, loader=loader)
        if mspec is None:
            return None
        return importlib.util.module_from_spec(mspec)
    except (ImportError, OSError):  # pragma: no cover - depends on scipy's layout
        return None


def sparse_solve(A: CSC, b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Solve ``A x = b`` for a vector ``b``: dense LU for small systems, SuperLU for large ones.

    SuperLU is called exactly as :func:`scipy.sparse.linalg.spsolve` calls it (compressed
    columns, its default column ordering), so the result is spsolve's to the last bit.

    Raises :class:`SingularMatrixError` where the matrix is singular (LAPACK's LinAlgError,
    SuperLU's nonzero ``info``, or ``spsolve``'s warning); any other warning of ``spsolve`` is
    raised as an error too.
    """
    rhs = np.asarray(b, dtype=np.float64)
    if A.n <= DENSE_MAX:
        try:
            x = np.linalg.solve(A.toarray(), rhs)
        except np.linalg.LinAlgError as exc:
            raise SingularMatrixError(f"Matrix is exactly singular ({exc})") from None
        if not np.all(np.isfinite(x)):
            raise SingularMatrixError("Matrix is singular to working precision")
        return np.asarray(x, dtype=np.float64)
    gssv = _superlu_driver()
    if gssv is not None:
        try:
            x, info = gssv(A.n, A.data.size, A.data, A.indices, A.indptr, rhs.copy(), 1,
                           options={"ColPerm": None})
        except RuntimeError as exc:
            raise SingularMatrixError(str(exc)) from None
        if info != 0:
            raise SingularMatrixError("Matrix is exactly singular")
        return np.asarray(x, dtype=np.float64).ravel()
    import scipy.sparse.linalg as spla  # pragma: no cover - the driver above was not found

    with warnings.catch_warnings():  # pragma: no cover
        warnings.simplefilter("error")
        try:
            return np.asarray(spla.spsolve(A.to_scipy(), rhs), dtype=np.float64)
        except (RuntimeError, Warning) as exc:
            raise SingularMatrixError(str(exc)) from None


def _no_matrix(*args: Any) -> None:  # SuperLU builds L and U only when they are asked for
    return None


def factorize(A: CSC, *, bands: tuple[int, int, int] | None = None
              ) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """A solver of ``A x = b`` that factorises ``A`` once.

    SuperLU, as :func:`scipy.sparse.linalg.splu` with its defaults, for the systems above
    :data:`DENSE_MAX` unknowns; smaller ones are solved by :func:`sparse_solve` at each call.

    ``bands`` = (nblocks, lower, upper) says that ``A`` is a Jacobian of
    :func:`_coloured_jacobian` with that pattern. Its unknowns and equations are then ordered by
    date (block within date), which makes it banded, its entries that are zero are left out
    (most of the pattern: a row sees every unknown of its dates, an equation only a few), and
    SuperLU factorises it in that column order (``permc_spec="NATURAL"``, still with partial
    pivoting): the band keeps the fill within it, and the factorisation takes a fraction of the
    time it takes with the fill-reducing ordering on the whole pattern. Raises
    :class:`SingularMatrixError`.
    """
    module = _superlu_module() if A.n > DENSE_MAX else None
    gstrf = getattr(module, "gstrf", None)
    if gstrf is None:
        return lambda b: sparse_solve(A, b)
    options: dict[str, str | None] = {"DiagPivotThresh": None, "ColPerm": None,
                                      "PanelSize": None, "Relax": None}
    data, indices, indptr = A.data, A.indices, A.indptr
    order: NDArray[np.intp] | None = None
    if bands is not None:
        pattern = _colouring(A.n, *bands)
        if A.indices is not pattern.indices and not (
                np.array_equal(A.indices, pattern.indices)
                and np.array_equal(A.indptr, pattern.indptr)):
            raise ValueError(f"factorize: the matrix does not have the pattern of the bands "
                             f"{bands}")
        order, take, indices, indptr = pattern.by_date
        data = A.data[take]
        kept = (data != 0.0).nonzero()[0]  # the pattern's zeros would only add to the work
        data, indices = data[kept], indices[kept]
        indptr = np.searchsorted(kept, indptr).astype(np.intc)
        options["ColPerm"] = "NATURAL"
    try:
        lu = gstrf(A.n, data.size, data, indices, indptr,
                   csc_construct_func=_no_matrix, ilu=False, options=options)
    except RuntimeError as exc:
        raise SingularMatrixError(str(exc)) from None

    def solve(b: NDArray[np.float64]) -> NDArray[np.float64]:
        rhs = np.asarray(b, dtype=np.float64)
        x = np.asarray(lu.solve(rhs if order is None else rhs[order]), dtype=np.float64)
        if not np.all(np.isfinite(x)):
            raise SingularMatrixError("Matrix is singular to working precision")
        if order is None:
            return x
        out = np.empty_like(x)
        out[order] = x
        return out

    return solve


@dataclass(frozen=True)
class NewtonReport:
    """Outcome of :func:`newton_solve`: the root, its residual and the solver's diagnostics."""

    z: NDArray[np.float64]
    residual: NDArray[np.float64]
    iterations: int
    converged: bool
    max_residual: float


def _norm(F: NDArray[np.generic]) -> float:
    """The largest residual in absolute value; infinite where one is not finite (the largest
    is then infinite or NaN: ``max`` propagates NaN)."""
    largest = float(np.max(np.abs(np.asarray(F, dtype=np.float64))))
    return largest if math.isfinite(largest) else float("inf")


def newton_solve(fun: Residual, z0: NDArray[np.float64], *, nblocks: int, lower: int, upper: int,
                 tol: float = 1e-12, max_iter: int = 50, what: str = "system",
                 batched: bool = False) -> NewtonReport:
    """Solve ``fun(z) = 0`` by damped Newton steps; raise ConvergenceError with diagnostics.

    With ``batched``, ``fun`` also takes a 2-d array (one point per row, residuals per row,
    each row's exactly as for that point alone), and the Jacobian costs one call of it.

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
    solver: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None
    polish = tol * 1e-3  # simplified steps are cheap: take them on to well inside the tolerance
    while (nrm > tol or (solver is not None and nrm > polish)) and it < max_iter:
        it += 1
        if solver is not None:
            # a step with the last factorised Jacobian, kept while the residual at least
            # halves; otherwise the Jacobian is evaluated afresh at this point
            try:
                dz = solver(-F)
            except SingularMatrixError:
                dz = np.full_like(z, np.nan)
            zt = z + dz
            with np.errstate(all="ignore"):
                Ft = np.real(fun(zt))
            nt = _norm(Ft)
            if nt <= 0.5 * nrm:
                z, F, nrm = zt, Ft, nt
                continue
            solver = None
            if nrm <= tol:  # within the tolerance already: no fresh Jacobian for polish
                break
        with np.errstate(all="ignore"):
            J = _coloured_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper,
                                   batched=batched)
        try:
            if J.n > DENSE_MAX:
                solver = factorize(J, bands=(nblocks, lower, upper))
                dz = solver(-F)
            else:
                dz = sparse_solve(J, -F)
        except SingularMatrixError as exc:
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
