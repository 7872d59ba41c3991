r"""The many-period perfect-foresight deleveraging model (section 3), nonlinear, stacked Newton.

A surprise at t = 0 announces the debt-limit path :math:`D_t` (per borrower) and any policy. For
t = 0..T-1 the unknowns are output :math:`y_t`, inflation :math:`\pi_t` and savers' consumption
:math:`c_{s,t}`; from T on the economy is in the new steady state (:math:`y = 1`,
:math:`\pi = \bar\pi'`, :math:`D = D_{low}`, no fiscal action), which closes the system.

Equations, each derived from the agents' problems
-------------------------------------------------
*Policy* (a Taylor rule with a floor, written with ``max`` as econpizza does; ``cut_t`` is a rate
cut of the intercept, and forward guidance holds :math:`i_t` at the floor through a date):

.. math::
    1 + i^{sh}_t = (1 + \bar r)(1 + \bar\pi')\Big(\frac{1+\pi_t}{1+\bar\pi'}\Big)^{\phi_\pi}
    y_t^{\phi_y} - cut_t, \qquad 1 + i_t = \max(1 + i_{floor}, 1 + i^{sh}_t).

*Real rate*: :math:`1 + r_t = (1 + i_t)/(1 + \pi_{t+1})` (Fisher equation, perfect foresight).

*Borrowers* are impatient and at their limit on the face value they owe next period: with
:math:`b_t` borrowed at t, :math:`(1 + r_t) b_t \le D_t` binds, so they borrow
:math:`D_t/(1 + r_t)` and repay last period's face value :math:`D_{t-1}`. Old debt is nominal and
was contracted expecting inflation :math:`\bar\pi`, so at t = 0 its real value is multiplied by
:math:`\Phi_0 = (1 + \bar\pi)/(1 + \pi_0)` (the Fisher surprise; :math:`\Phi_t = 1` after, as
later contracts foresee inflation). Their budget with transfers :math:`T_t` (aggregate) is

.. math:: c_{b,t} = y_t + T_t/\chi_b + D_t/(1 + r_t) - D_{t-1}\Phi_t.

*Savers* (CRRA, elasticity :math:`\sigma`) are unconstrained; their Euler equation is

.. math:: 1 = \beta (1 + r_t) (c_{s,t+1}/c_{s,t})^{-1/\sigma}.

*Resources*: :math:`\chi_s c_{s,t} + \chi_b c_{b,t} + g_t = y_t`.

*Supply*: :math:`\pi_t - \bar\pi' = \kappa \ln y_t + \beta(\pi_{t+1} - \bar\pi')` (price setters
index to the current target :math:`\bar\pi'`, which a higher-target policy raises at t = 0).

Savers' budget holds by Walras' law; government debt is held by savers and serviced by lump-sum
taxes on them, so its financing does not move the allocation (savers are Ricardian).

The natural rate :math:`r^n_t` is the real rate of the same economy with flexible prices
(:math:`y_t = 1`, no Fisher surprise) under the same debt path and fiscal actions: with
:math:`x_t = 1/(1 + r^n_t)`, :math:`c_{b,t} = 1 + T_t/\chi_b + D_t x_t - D_{t-1}` and
:math:`1 = (\beta/x_t)(c_{s,t+1}/c_{s,t})^{-1/\sigma}`, solved as its own stacked system.

Solution. The 3T residuals (Euler, Phillips, resources) are driven to zero by Newton's method with
a sparse Jacobian (coloured complex steps, :mod:`bsrlab.models.deleveraging._newton`); the result
records convergence, iterations and the largest residual. The flow of funds is computed in
:func:`_accounts` below.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging._checks import check_int
from bsrlab.models.deleveraging._newton import cmax, newton_solve
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams, check_steady_states
from bsrlab.policies.deleveraging import (
    DebtRelief,
    DebtWriteDown,
    FiscalStimulus,
    ForwardGuidance,
    HigherTarget,
    Policy,
    QuantitativeEasing,
    RateCut,
)

__all__ = [
    "PATH_KEYS",
    "Exogenous",
    "PathResult",
    "build_exogenous",
    "natural_rate_path",
    "residual",
    "solve_path",
    "solve_system",
]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Exogenous:
    """Everything the stacked system takes as given, per period t = 0..T-1.

    ``debt`` per borrower; ``debt_old`` the old debt per borrower after any write-down;
    ``written_off`` the face value written off per borrower and ``writedown_funded`` whether the
    government pays creditors for it; ``g`` spending; ``transfers`` aggregate transfers to
    borrowers; ``cut`` rate cuts of the rule's intercept; ``hold`` where forward guidance holds
    the rate at the floor; ``qe`` central-bank purchases; the old and the new inflation target.
    """

    periods: int
    debt: Arr
    debt_old: float
    written_off: float
    writedown_funded: bool
    g: Arr
    transfers: Arr
    cut: Arr
    hold: NDArray[np.bool_]
    qe: Arr
    pibar_old: float
    pibar_new: float
    spell: tuple[int, int] | None = None


def _window(start: int | None, duration: int | None, spell: tuple[int, int] | None,
            default_len: int) -> tuple[int, int]:
    s0, n = (spell[0], spell[1] - spell[0] + 1) if spell else (0, default_len)
    return (s0 if start is None else start), (n if duration is None else duration)


def build_exogenous(params: PathParams, debt: DebtLimitPath, policies: Sequence[Policy],
                    periods: int, spell: tuple[int, int] | None) -> Exogenous:
    """Turn the debt path and the policies into per-period arrays.

    ``spell`` = (first, last) period at the floor in the path without policy, used for windows
    left ``None`` and for forward guidance.
    """
    T = periods
    chi_b = params.chi_b
    d = debt.levels(T) / chi_b
    d_old = float(debt.debt_high) / chi_b
    written, funded = 0.0, False
    g, tr, cut, qe = (np.zeros(T) for _ in range(4))
    hold = np.zeros(T, dtype=bool)
    pibar_new = params.pibar
    for pol in policies:
        if isinstance(pol, RateCut | QuantitativeEasing | FiscalStimulus | DebtRelief):
            s0, n = _window(pol.start, pol.duration, spell, debt.length)
            if s0 + n > T - 1:
                raise ParameterError("start + duration", f"<= periods - 1 = {T - 1} (policy "
                                     f"'{pol.name}' must end before the horizon)", s0 + n)
            sl = slice(s0, s0 + n)
            if isinstance(pol, RateCut):
                cut[sl] += pol.size
            elif isinstance(pol, QuantitativeEasing):
                qe[sl] += pol.size
            elif isinstance(pol, FiscalStimulus):
                g[sl] += pol.size
            else:
                tr[sl] += pol.size
        elif isinstance(pol, ForwardGuidance):
            last = (spell[1] if spell else -1) + pol.extra_periods
            if last > T - 2:
                raise ParameterError("extra_periods", f"a hold ending by period {T - 2}",
                                     pol.extra_periods)
            hold[: last + 1] = True
        elif isinstance(pol, HigherTarget):
            pibar_new = float(pol.target)
            steady_i = (1 + params.rbar) * (1 + pibar_new) - 1
            if not params.i_floor < steady_i:
                raise ParameterError("target", f"a steady nominal rate above the floor "
                                     f"{params.i_floor:g}", pol.target)
        elif isinstance(pol, DebtWriteDown):
            w = pol.share * d_old
            written += w
            d_old -= w
            funded = funded or pol.funded_by == "government"
    return Exogenous(periods=T, debt=d, debt_old=d_old, written_off=written,
                     writedown_funded=funded, g=g, transfers=tr, cut=cut, hold=hold, qe=qe,
                     pibar_old=params.pibar, pibar_new=pibar_new, spell=spell)


def steady_saver_consumption(params: PathParams, debt_per_borrower: float) -> float:
    """c_s in the steady state with debt D per borrower: (1 - chi_b (1 - (1 - beta) D))/chi_s."""
    cb = 1.0 - (1.0 - params.beta) * debt_per_borrower
    return (1.0 - params.chi_b * cb) / params.chi_s


def _parts(z: NDArray[Any], ex: Exogenous, p: PathParams) -> dict[str, NDArray[Any]]:
    """Every period's variables implied by the unknowns z = (y, pi, c_s); complex-safe."""
    T = ex.periods
    y, pi, cs = z[:T], z[T:2 * T], z[2 * T:]
    pn = ex.pibar_new
    pi_next = np.concatenate([pi[1:], np.array([pn], dtype=pi.dtype)])
    gross_shadow = ((1 + p.rbar) * (1 + pn) * ((1 + pi) / (1 + pn)) ** p.phi_pi
                    * y ** p.phi_y - ex.cut)
    floor = 1.0 + p.i_floor
    gross_i = np.where(ex.hold, floor + 0 * gross_shadow, cmax(floor, gross_shadow))
    R = gross_i / (1 + pi_next)
    phi = np.ones(T, dtype=pi.dtype)
    if p.nominal_debt:
        phi[0] = (1 + ex.pibar_old) / (1 + pi[0])
    dprev = np.concatenate([[ex.debt_old], ex.debt[:-1]])
    cb = y + ex.transfers / p.chi_b + ex.debt / R - dprev * phi
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))
    cs_next = np.concatenate([cs[1:], np.array([cs_T], dtype=cs.dtype)])
    return {"y": y, "pi": pi, "cs": cs, "pi_next": pi_next, "gross_shadow": gross_shadow,
            "gross_i": gross_i, "R": R, "phi": phi, "dprev": dprev, "cb": cb,
            "cs_next": cs_next}


def residual(z: NDArray[Any], ex: Exogenous, p: PathParams) -> NDArray[Any]:
    """Stacked residuals [Euler (T), Phillips (T), resources (T)]."""
    v = _parts(z, ex, p)
    pn = ex.pibar_new
    euler = p.beta * v["R"] * (v["cs_next"] / v["cs"]) ** (-1.0 / p.sigma) - 1.0
    phillips = (v["pi"] - pn) - p.kappa * np.log(v["y"]) - p.beta * (v["pi_next"] - pn)
    resources = p.chi_s * v["cs"] + p.chi_b * v["cb"] + ex.g - v["y"]
    return np.concatenate([euler, phillips, resources])


def natural_rate_path(p: PathParams, ex: Exogenous, *, tol: float = 1e-13) -> tuple[Arr, int]:
    """The flexible-price real rate r^n_t under the same debt path and fiscal actions.

    Returns the path and the Newton iterations used. Raises ConvergenceError on failure.
    """
    T = ex.periods
    dprev = np.concatenate([[ex.debt_old], ex.debt[:-1]])
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))

    def fun(x: NDArray[Any]) -> NDArray[Any]:
        cb = 1.0 + ex.transfers / p.chi_b + ex.debt * x - dprev
        cs = (1.0 - ex.g - p.chi_b * cb) / p.chi_s
        cs_next = np.concatenate([cs[1:], np.array([cs_T], dtype=cs.dtype)])
        return (p.beta / x) * (cs_next / cs) ** (-1.0 / p.sigma) - 1.0

    rep = newton_solve(fun, np.full(T, p.beta), nblocks=1, lower=0, upper=1, tol=tol,
                       what="natural-rate path")
    return 1.0 / rep.z - 1.0, rep.iterations


@dataclass(frozen=True, eq=False)
class SystemSolution:
    """Raw solution of the stacked system: the unknowns, the implied variables, diagnostics."""

    exogenous: Exogenous
    parts: dict[str, Arr]
    iterations: int
    max_residual: float
    converged: bool


def solve_system(p: PathParams, debt: DebtLimitPath, ex: Exogenous, *, tol: float = 1e-12,
                 max_iter: int = 50) -> SystemSolution:
    """Solve the 3T stacked equations by Newton's method from the new steady state."""
    check_steady_states(p, debt)
    T = check_int("periods", ex.periods, debt.length + 1, 5000)
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))
    z0 = np.concatenate([np.ones(T), np.full(T, ex.pibar_new), np.full(T, cs_T)])
    rep = newton_solve(lambda z: residual(z, ex, p), z0, nblocks=3, lower=0, upper=1,
                       tol=tol, max_iter=max_iter, what=f"deleveraging path ({T} periods)")
    parts = {k: np.real(np.asarray(v)).astype(np.float64)
             for k, v in _parts(rep.z, ex, p).items()}
    return SystemSolution(exogenous=ex, parts=parts, iterations=rep.iterations,
                          max_residual=rep.max_residual, converged=rep.converged)


#: Per-period output fields, in the order of the CLI's JSON keys.
PATH_KEYS = (
    "t", "output_gap", "inflation", "price_level", "policy_rate", "shadow_rate", "real_rate",
    "natural_rate", "at_bound", "borrower_debt", "deleveraging", "government_spending",
    "government_debt", "private_surplus", "government_deficit",
)

_EXTRA_KEYS = ("output", "transfers", "borrower_surplus", "saver_surplus", "c_borrower",
               "c_saver", "qe_holdings", "interest_borrowers", "taxes")

QE_NOTE = ("quantitative easing swaps reserves for bonds at unchanged expected policy rates; "
           "with no portfolio frictions in this model it changes no equation, so the path "
           "equals the path without it")


@dataclass(frozen=True, eq=False)
class PathResult:
    """A solved deleveraging path with its flow of funds and the solver's diagnostics.

    Per-period arrays (length ``periods``), all in shares of potential output unless stated:
    ``output_gap`` = y/y* - 1; ``inflation``, ``policy_rate``, ``shadow_rate``, ``real_rate``,
    ``natural_rate`` per period; ``price_level`` with P_{-1} = 1; ``at_bound`` whether the policy
    rate sits at its floor; ``borrower_debt`` the aggregate limit chi_b D_t (face value);
    ``deleveraging`` borrowers' net repayment of principal chi_b (D_{t-1}^v - D_t^v) at issue
    value D^v = D/(1 + r); ``government_debt`` its value; ``private_surplus`` borrowers' plus
    savers' saving net of investment (= ``borrower_surplus`` + ``saver_surplus``);
    ``government_deficit`` spending + transfers + capital transfers + interest - taxes.
    Diagnostics: ``converged``, ``iterations``, ``max_residual`` (largest absolute residual of
    the 3T equations), ``natural_rate_iterations``; ``notes`` says what the options did.
    """

    params: PathParams
    debt: DebtLimitPath
    policies: tuple[Policy, ...]
    periods: int
    arrays: dict[str, NDArray[Any]]
    converged: bool
    iterations: int
    max_residual: float
    natural_rate_iterations: int
    spell: tuple[int, int] | None
    notes: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> NDArray[Any]:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        raise AttributeError(name)

    @property
    def bound_periods(self) -> NDArray[np.int64]:
        """The dates at which the policy rate is at its floor."""
        return np.flatnonzero(self.arrays["at_bound"])

    @property
    def periods_at_bound(self) -> int:
        return int(np.count_nonzero(self.arrays["at_bound"]))

    @property
    def cumulative_output_loss(self) -> float:
        """-sum_t (y_t/y* - 1): output lost over the horizon, in years of potential output."""
        return float(-np.sum(self.arrays["output_gap"]))

    @property
    def fiscal_cost(self) -> float:
        """Cumulative spending, transfers and capital transfers (undiscounted, share of y*)."""
        a = self.arrays
        return float(np.sum(a["government_spending"] + a["transfers"] + a["capital_transfers"]))

    def records(self) -> list[dict[str, Any]]:
        """One dict per period with exactly the keys :data:`PATH_KEYS` (the CLI's JSON)."""
        cols = [self.arrays[k] for k in PATH_KEYS]
        out = []
        for row in zip(*cols, strict=True):
            rec: dict[str, Any] = {}
            for k, v in zip(PATH_KEYS, row, strict=True):
                rec[k] = int(v) if k == "t" else (bool(v) if k == "at_bound" else float(v))
            out.append(rec)
        return out

    def to_frame(self) -> Any:
        """A DataFrame indexed by t with the JSON columns and the extra accounting columns."""
        import pandas as pd

        cols = [k for k in (*PATH_KEYS, *_EXTRA_KEYS) if k != "t"]
        return pd.DataFrame({k: self.arrays[k] for k in cols},
                            index=pd.Index(self.arrays["t"], name="t"))

    def to_dict(self) -> dict[str, Any]:
        """Inputs, diagnostics and the per-period records."""
        return {
            "params": self.params.to_dict(), "debt": self.debt.to_dict(),
            "policies": [{"policy": p.name, **dataclasses.asdict(p)} for p in self.policies],
            "periods": self.periods, "converged": self.converged,
            "iterations": self.iterations, "max_residual": self.max_residual,
            "natural_rate_iterations": self.natural_rate_iterations,
            "notes": list(self.notes), "path": self.records(),
        }


def _first_spell(at_bound: NDArray[np.bool_]) -> tuple[int, int] | None:
    idx = np.flatnonzero(at_bound)
    if idx.size == 0:
        return None
    s0 = int(idx[0])
    gaps = np.flatnonzero(np.diff(idx) > 1)
    s1 = int(idx[gaps[0]]) if gaps.size else int(idx[-1])
    return s0, s1


def _needs_spell(policies: Sequence[Policy]) -> bool:
    for pol in policies:
        if isinstance(pol, ForwardGuidance):
            return True
        if isinstance(pol, RateCut | QuantitativeEasing | FiscalStimulus | DebtRelief) and (
                pol.start is None or pol.duration is None):
            return True
    return False


def _accounts(p: PathParams, ex: Exogenous, v: dict[str, Arr]) -> dict[str, Arr]:
    """The flow of funds of a solved path (Koo's sectoral balances, section 4)."""
    from scipy.signal import lfilter

    chi_b, chi_s = p.chi_b, p.chi_s
    y, R, cb, cs = v["y"], v["R"], v["cb"], v["cs"]
    loans = ex.debt / R                                  # value borrowed at t, per borrower
    loans_prev = np.concatenate([[p.beta * ex.debt_old], loans[:-1]])
    interest_b = chi_b * (v["dprev"] * v["phi"] - loans_prev)
    capital = np.zeros(ex.periods)
    if ex.writedown_funded:
        capital[0] = chi_b * ex.written_off * float(v["phi"][0])
    primary = ex.g + ex.transfers + capital
    gdebt = lfilter([1.0], [1.0, -(1.0 - p.tax_repay)], primary)
    gdebt_prev = np.concatenate([[0.0], gdebt[:-1]])
    interest_g = gdebt_prev * (np.concatenate([[1.0], R[:-1]]) - 1.0)
    taxes = interest_g + p.tax_repay * gdebt_prev
    borrower_surplus = chi_b * (y - cb) + ex.transfers - interest_b
    saver_surplus = chi_s * (y - cs) - taxes + interest_b + capital + interest_g
    deficit = ex.g + ex.transfers + capital + interest_g - taxes
    return {"borrower_surplus": borrower_surplus, "saver_surplus": saver_surplus,
            "private_surplus": borrower_surplus + saver_surplus, "government_deficit": deficit,
            "government_debt": gdebt, "deleveraging": chi_b * (loans_prev - loans),
            "interest_borrowers": interest_b, "taxes": taxes, "capital_transfers": capital}


def solve_path(params: PathParams, debt: DebtLimitPath, policies: Sequence[Policy] = (), *,
               periods: int = 60, tol: float = 1e-12, max_iter: int = 50) -> PathResult:
    """Solve the nonlinear perfect-foresight path after the surprise at t = 0.

    Windows left ``None`` and forward guidance refer to the first spell at the floor of the
    path without policy, which is solved first when needed. Raises ParameterError for bad
    inputs and ConvergenceError (with diagnostics) when Newton's method fails.
    """
    check_steady_states(params, debt)
    T = check_int("periods", periods, max(debt.length + 1, 2), 5000)
    pols = tuple(pol for pol in policies if pol is not None)
    spell = None
    if _needs_spell(pols):
        spell = solve_path(params, debt, (), periods=T, tol=tol, max_iter=max_iter).spell
    ex = build_exogenous(params, debt, pols, T, spell)
    sol = solve_system(params, debt, ex, tol=tol, max_iter=max_iter)
    v = sol.parts
    rn, rn_it = natural_rate_path(params, ex)
    acc = _accounts(params, ex, v)
    i = v["gross_i"] - 1.0
    arrays: dict[str, NDArray[Any]] = {
        "t": np.arange(T), "output": v["y"], "output_gap": v["y"] - 1.0, "inflation": v["pi"],
        "price_level": np.cumprod(1.0 + v["pi"]), "policy_rate": i,
        "shadow_rate": v["gross_shadow"] - 1.0, "real_rate": v["R"] - 1.0, "natural_rate": rn,
        "at_bound": i <= params.i_floor + 1e-12, "borrower_debt": params.chi_b * ex.debt,
        "government_spending": ex.g.copy(), "transfers": ex.transfers.copy(),
        "c_borrower": v["cb"], "c_saver": v["cs"], "qe_holdings": np.cumsum(ex.qe), **acc,
    }
    notes = []
    if any(isinstance(pol, QuantitativeEasing) for pol in pols):
        notes.append(QE_NOTE)
    if ex.hold.any():
        notes.append(f"the policy rate is held at its floor through "
                     f"t = {int(np.flatnonzero(ex.hold)[-1])} (forward guidance)")
    own_spell = _first_spell(arrays["at_bound"])
    return PathResult(params=params, debt=debt, policies=pols, periods=T, arrays=arrays,
                      converged=sol.converged, iterations=sol.iterations,
                      max_residual=sol.max_residual, natural_rate_iterations=rn_it,
                      spell=own_spell, notes=tuple(notes))
