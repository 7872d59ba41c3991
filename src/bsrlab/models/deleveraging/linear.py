r"""The many-period model log-linearised by hand around the initial steady state: a linear solver.

An independent route to the paths of :mod:`bsrlab.models.deleveraging.path` for small shocks (the
nonlinear code is not reused). Around the steady state with debt :math:`\bar D` per borrower,
:math:`y = 1`, :math:`\pi = \bar\pi`, :math:`1 + r = 1/\beta`, write :math:`\hat y_t = y_t - 1`,
:math:`\hat\pi_t = \pi_t - \bar\pi`, and relative deviations of gross rates
:math:`\hat\imath_t = d(1+i_t)/(1+\bar\imath)`, :math:`\hat r_t = d(1+r_t)/(1+\bar r)`.

* Rule (log-linear in gross terms, hence exact to first order):
  :math:`\hat\imath_t = \phi_\pi \hat\pi_t/(1+\bar\pi) + \phi_y \hat y_t`, or an exogenous path.
* Fisher: :math:`\hat r_t = \hat\imath_t - \hat\pi_{t+1}/(1 + \bar\pi)`.
* Borrowers, from :math:`c_b = y + T/\chi_b + D_t/(1+r_t) - D_{t-1}\Phi_t` with
  :math:`d[D/(1+r)] = \beta\, dD - \beta \bar D \hat r` and
  :math:`d\Phi_0 = -\hat\pi_0/(1+\bar\pi)`:
  :math:`dc_{b,t} = \hat y_t + T_t/\chi_b - \Delta_t + \beta\, dD_t - \beta\bar D \hat r_t
  - dD_{t-1} + [t = 0]\, \bar D \hat\pi_0/(1 + \bar\pi)` (:math:`\Delta_t`: an optional extra
  pay-down, the two-state model's shock).
* Resources: :math:`dc_{s,t} = (\hat y_t - g_t - \chi_b dc_{b,t})/\chi_s`.
* Euler, from :math:`1 = \beta(1+r_t)(c_{s,t+1}/c_{s,t})^{-1/\sigma}`:
  :math:`dc_{s,t} - dc_{s,t+1} + \sigma \bar c_s \hat r_t = 0`.
* Phillips: :math:`\hat\pi_t = \kappa \hat y_t + \beta \hat\pi_{t+1}`.
* Terminal (the new steady state): :math:`\hat y_T = \hat\pi_T = 0`,
  :math:`dc_{b,T} = -(1 - \beta) dD_T`, :math:`dc_{s,T} = -\chi_b dc_{b,T}/\chi_s`.

The 2T equations in :math:`(\hat y, \hat\pi)` are assembled as sparse matrices (identity and
forward shift) and solved directly. For a shock of size :math:`\varepsilon` the nonlinear path
differs from this one by :math:`O(\varepsilon^2)`. With :math:`\bar D = 0`, geometric shocks
:math:`\mu^t x` and the two-state model's policy, the path is :math:`\mu^t` times the two-state
solution of :mod:`bsrlab.models.deleveraging.two_state` (certainty equivalence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.core.validate import array, integer
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams

__all__ = ["LinearPath", "solve_linear"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True, eq=False)
class LinearPath(Result[PathParams]):
    """Levels implied by the linear solution: output, inflation, gross-rate deviations.

    The arrays are read-only; ``diagnostics`` (method ``sparse direct``) records the largest
    absolute residual of the 2T linear equations at the solution.
    """

    KEYS: ClassVar[tuple[str, ...]] = (
        "output", "inflation", "rate_deviation", "real_rate_deviation", "c_saver_deviation",
        "c_borrower_deviation")

    output: Arr
    inflation: Arr
    rate_deviation: Arr
    real_rate_deviation: Arr
    c_saver_deviation: Arr
    c_borrower_deviation: Arr


def _vec(name: str, v: ArrayLike | None, T: int) -> Arr:
    if v is None:
        return np.zeros(T)
    a = array(name, v)
    if a.shape != (T,):
        raise ParameterError(name, f"an array of length periods = {T}", a.shape)
    return a


def solve_linear(params: PathParams, debt: DebtLimitPath, *, periods: int = 60,
                 g: ArrayLike | None = None, transfers: ArrayLike | None = None,
                 paydown: ArrayLike | None = None, rate: ArrayLike | None = None) -> LinearPath:
    """Solve the log-linear system (module docstring) for the given exogenous paths.

    ``g`` spending, ``transfers`` aggregate transfers to borrowers, ``paydown`` an extra debt
    pay-down per borrower, ``rate`` an exogenous path of the gross policy rate's relative
    deviation replacing the Taylor rule (no floor: the linear model has none).
    """
    import scipy.sparse as sp  # imported on use: it takes longer to import than most commands run
    import scipy.sparse.linalg as spla

    p = params
    T = integer("periods", periods, lo=debt.length + 1, hi=100_000)
    gv, trv, dlt = _vec("g", g, T), _vec("transfers", transfers, T), _vec("paydown", paydown, T)
    dbar = float(debt.debt_high) / p.chi_b
    dD = debt.levels(T) / p.chi_b - dbar
    dD_prev = np.concatenate([[0.0], dD[:-1]])
    cbar_b = 1.0 - (1.0 - p.beta) * dbar
    cbar_s = (1.0 - p.chi_b * cbar_b) / p.chi_s
    q = 1.0 + p.pibar

    eye = sp.identity(T, format="csr")
    fwd = sp.eye(T, k=1, format="csr")
    zero = sp.csr_matrix((T, T))
    e0 = sp.csr_matrix(([1.0], ([0], [0])), shape=(T, T))
    if rate is None:
        Ry, Rpi, rc = p.phi_y * eye, (p.phi_pi / q) * eye - fwd / q, np.zeros(T)
    else:
        Ry, Rpi, rc = zero, -fwd / q, _vec("rate", rate, T)
    nominal = 1.0 if p.nominal_debt else 0.0
    By = eye - p.beta * dbar * Ry
    Bpi = -p.beta * dbar * Rpi + nominal * dbar / q * e0
    bc = trv / p.chi_b - dlt + p.beta * dD - dD_prev - p.beta * dbar * rc
    Cy = (eye - p.chi_b * By) / p.chi_s
    Cpi = -p.chi_b * Bpi / p.chi_s
    cc = (-gv - p.chi_b * bc) / p.chi_s
    dcs_T = -p.chi_b * (-(1.0 - p.beta) * dD[-1]) / p.chi_s
    cc_next = np.concatenate([cc[1:], [dcs_T]])
    A = sp.bmat([[Cy - fwd @ Cy + p.sigma * cbar_s * Ry, Cpi - fwd @ Cpi + p.sigma * cbar_s * Rpi],
                 [-p.kappa * eye, eye - p.beta * fwd]], format="csc")
    rhs = np.concatenate([-(cc - cc_next + p.sigma * cbar_s * rc), np.zeros(T)])
    u = spla.spsolve(A, rhs)
    res = float(np.max(np.abs(A @ u - rhs))) if np.all(np.isfinite(u)) else float("inf")
    diag = verify(Diagnostics(True, 0, res, "sparse direct"),
                  1e-10 * max(1.0, float(np.max(np.abs(rhs)))), what="log-linear path")
    yh, pih = u[:T], u[T:]
    ih = Ry @ yh + (p.phi_pi / q) * pih if rate is None else rc
    rh = Ry @ yh + Rpi @ pih + rc
    dcb = By @ yh + Bpi @ pih + bc
    dcs = Cy @ yh + Cpi @ pih + cc
    return LinearPath(params=p, diagnostics=diag, output=1.0 + yh, inflation=p.pibar + pih,
                      rate_deviation=np.asarray(ih), real_rate_deviation=np.asarray(rh),
                      c_saver_deviation=np.asarray(dcs), c_borrower_deviation=np.asarray(dcb))
