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

Policies. The exogenous inputs without policy are an :class:`Exogenous`; each policy
(:class:`bsrlab.core.policy.Policy`) returns new inputs from ``apply(inputs, context)``, with a
:class:`PathContext` (parameters, debt path, horizon and the baseline's first spell at the floor,
which is solved first when a policy says it ``needs_spell``). The model never asks which policy
it is given.

Solution. The 3T residuals (Euler, Phillips, resources) are driven to zero by Newton's method with
a sparse Jacobian (coloured complex steps, :mod:`bsrlab.models.deleveraging._newton`); the result
carries the solver's :class:`~bsrlab.core.result.Diagnostics`. A solution is returned only once
it is verified: the residual within tolerance and, every period, positive consumption of
borrowers and savers, positive output and a positive price level; otherwise
:class:`~bsrlab.core.errors.ConvergenceError` is raised with the diagnostics. The flow of funds
is computed in :func:`_accounts` below.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.policy import Policy, policy_note
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.core.validate import integer, readonly, real
from bsrlab.models.deleveraging._newton import METHOD, cmax, newton_solve, shift_out
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams, check_steady_states
from bsrlab.models.deleveraging.outputs import EXTRA_KEYS, PATH_KEYS

__all__ = [
    "EXTRA_KEYS",
    "PATH_KEYS",
    "Exogenous",
    "PathContext",
    "PathResult",
    "baseline_exogenous",
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
    ``written_off`` the face value of old debt written off per borrower at t = 0, all of it,
    and ``written_off_government`` the part of it the government pays creditors for (a capital
    transfer); the rest, :attr:`written_off_creditors`, the creditors (savers) bear. A
    write-down may be funded partly by each: 0 <= ``written_off_government`` <= ``written_off``.
    ``g`` spending; ``transfers`` aggregate transfers to borrowers; ``cut`` rate cuts of the
    rule's intercept; ``hold`` where forward guidance holds the rate at the floor; ``qe``
    central-bank purchases; the old and the new inflation target. The arrays are read-only: a
    policy builds new inputs with :func:`dataclasses.replace`.
    """

    periods: int
    debt: Arr
    debt_old: float
    written_off: float
    written_off_government: float
    g: Arr
    transfers: Arr
    cut: Arr
    hold: NDArray[np.bool_]
    qe: Arr
    pibar_old: float
    pibar_new: float
    spell: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        w = real("written_off", self.written_off, lo=0)
        object.__setattr__(self, "written_off", w)
        # the government's part may exceed the total by rounding only
        object.__setattr__(self, "written_off_government", min(w, real(
            "written_off_government", self.written_off_government, lo=0,
            hi=w + 1e-12 * max(1.0, w),
            rule=f"0 <= written_off_government <= written_off (= {w:.6g})")))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                object.__setattr__(self, f.name, readonly(value))

    @property
    def written_off_creditors(self) -> float:
        """The part of the write-down the creditors (savers) bear: total less the government's."""
        return self.written_off - self.written_off_government


@dataclass(frozen=True, kw_only=True, slots=True)
class PathContext:
    """What a policy may need to resolve itself: parameters, debt path, horizon, spell.

    ``spell`` is the (first, last) period of the first spell at the floor in the path without
    policy, or None if the floor does not bind there (or was not needed).
    """

    params: PathParams
    debt: DebtLimitPath
    periods: int
    spell: tuple[int, int] | None = None


def baseline_exogenous(params: PathParams, debt: DebtLimitPath, periods: int,
                       spell: tuple[int, int] | None = None) -> Exogenous:
    """The exogenous inputs without policy: the debt path, the old debt, nothing else."""
    T = periods
    return Exogenous(
        periods=T, debt=debt.levels(T) / params.chi_b,
        debt_old=float(debt.debt_high) / params.chi_b, written_off=0.0,
        written_off_government=0.0,
        g=np.zeros(T), transfers=np.zeros(T), cut=np.zeros(T), hold=np.zeros(T, dtype=bool),
        qe=np.zeros(T), pibar_old=params.pibar, pibar_new=params.pibar, spell=spell)


def build_exogenous(params: PathParams, debt: DebtLimitPath, policies: Sequence[Policy],
                    periods: int, spell: tuple[int, int] | None) -> Exogenous:
    """The inputs without policy, then ``inputs = pol.apply(inputs, context)`` for each policy.

    ``spell`` = (first, last) period at the floor in the path without policy, used for windows
    left ``None`` and for forward guidance.
    """
    ctx = PathContext(params=params, debt=debt, periods=periods, spell=spell)
    ex = baseline_exogenous(params, debt, periods, spell)
    for pol in policies:
        ex = pol.apply(ex, ctx)
        if not isinstance(ex, Exogenous):
            raise ParameterError("policies", "policies whose apply() returns Exogenous inputs",
                                 getattr(pol, "name", type(pol).__name__))
    return ex


def steady_saver_consumption(params: PathParams, debt_per_borrower: float) -> float:
    """c_s in the steady state with debt D per borrower: (1 - chi_b (1 - (1 - beta) D))/chi_s."""
    cb = 1.0 - (1.0 - params.beta) * debt_per_borrower
    return (1.0 - params.chi_b * cb) / params.chi_s


def _parts(z: NDArray[Any], ex: Exogenous, p: PathParams) -> dict[str, NDArray[Any]]:
    """Every period's variables implied by the unknowns z = (y, pi, c_s); complex-safe; ``z``
    may hold one point per row."""
    T = ex.periods
    y, pi, cs = z[..., :T], z[..., T:2 * T], z[..., 2 * T:]
    pn = ex.pibar_new
    pi_next = shift_out(pi, pn)
    gross_shadow = ((1 + p.rbar) * (1 + pn) * ((1 + pi) / (1 + pn)) ** p.phi_pi
                    * y ** p.phi_y - ex.cut)
    floor = 1.0 + p.i_floor
    gross_i = np.where(ex.hold, floor + 0 * gross_shadow, cmax(floor, gross_shadow))
    R = gross_i / (1 + pi_next)
    phi = np.ones_like(pi)
    if p.nominal_debt:
        phi[..., 0] = (1 + ex.pibar_old) / (1 + pi[..., 0])
    dprev = np.concatenate([[ex.debt_old], ex.debt[:-1]])
    cb = y + ex.transfers / p.chi_b + ex.debt / R - dprev * phi
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))
    cs_next = shift_out(cs, cs_T)
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
    return np.concatenate([euler, phillips, resources], axis=-1)


def natural_rate_path(p: PathParams, ex: Exogenous, *, tol: float = 1e-13,
                      policies: Sequence[Policy] = ()) -> tuple[Arr, int]:
    """The flexible-price real rate r^n_t under the same debt path and fiscal actions.

    Returns the path and the Newton iterations used. Raises ConvergenceError (with diagnostics)
    on failure, and when the flexible-price economy leaves borrowers or savers no positive
    consumption in some period (naming ``policies``, the policies behind ``ex``).
    """
    T = ex.periods
    dprev = np.concatenate([[ex.debt_old], ex.debt[:-1]])
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))

    def consumption(x: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        cb = 1.0 + ex.transfers / p.chi_b + ex.debt * x - dprev
        return cb, (1.0 - ex.g - p.chi_b * cb) / p.chi_s

    def fun(x: NDArray[Any]) -> NDArray[Any]:
        cs = consumption(x)[1]
        cs_next = shift_out(cs, cs_T)
        return (p.beta / x) * (cs_next / cs) ** (-1.0 / p.sigma) - 1.0

    what = "natural-rate path"
    rep = newton_solve(fun, np.full(T, p.beta), nblocks=1, lower=0, upper=1, tol=tol, what=what,
                       batched=True)
    diag = Diagnostics(rep.converged, rep.iterations, rep.max_residual, METHOD)
    verify(diag, tol, what=what)
    cb, cs = consumption(rep.z)
    _require_positive(what, {"borrowers' consumption c_b": cb, "savers' consumption c_s": cs,
                             "the discount price 1/(1 + r^n)": rep.z}, diag, policies)
    return 1.0 / rep.z - 1.0, rep.iterations


@dataclass(frozen=True, kw_only=True, eq=False)
class SystemSolution(Result[PathParams]):
    """Raw solution of the stacked system: the unknowns, the implied variables, diagnostics."""

    exogenous: Exogenous
    parts: dict[str, Arr]


def solve_system(p: PathParams, debt: DebtLimitPath, ex: Exogenous, *, tol: float = 1e-12,
                 max_iter: int = 50) -> SystemSolution:
    """Solve the 3T stacked equations by Newton's method from the new steady state.

    Raises ConvergenceError (with diagnostics) unless the residual is within ``tol``; the
    solution's feasibility is checked by :func:`solve_path`.
    """
    check_steady_states(p, debt)
    T = integer("periods", ex.periods, lo=debt.length + 1, hi=5000)
    cs_T = steady_saver_consumption(p, float(ex.debt[-1]))
    z0 = np.concatenate([np.ones(T), np.full(T, ex.pibar_new), np.full(T, cs_T)])
    what = f"deleveraging path ({T} periods)"
    rep = newton_solve(lambda z: residual(z, ex, p), z0, nblocks=3, lower=0, upper=1,
                       tol=tol, max_iter=max_iter, what=what, batched=True)
    diag = verify(Diagnostics(rep.converged, rep.iterations, rep.max_residual, METHOD), tol,
                  what=what)
    parts = {k: np.real(np.asarray(v)).astype(np.float64)
             for k, v in _parts(rep.z, ex, p).items()}
    return SystemSolution(params=p, diagnostics=diag, exogenous=ex, parts=parts)


P = TypeVar("P")


@dataclass(frozen=True, kw_only=True, eq=False)
class PathColumns(Result[P]):
    """What every solved path of the deleveraging family shares: its inputs, its per-period
    ``arrays`` (read-only, each also an attribute: ``res.output_gap``), the spell at the floor,
    notes, and records with the keys ``KEYS`` (``t`` an int, flags as bools, the rest floats).
    """

    debt: DebtLimitPath
    policies: tuple[Policy, ...]
    periods: int
    arrays: Mapping[str, NDArray[Any]]
    natural_rate_iterations: int
    spell: tuple[int, int] | None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "arrays", MappingProxyType(
            {k: readonly(v) for k, v in self.arrays.items()}))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["arrays"] = dict(self.arrays)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        self.__post_init__()

    def __getattr__(self, name: str) -> NDArray[Any]:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return cast(NDArray[Any], arrays[name])
        raise AttributeError(name)

    @property
    def bound_periods(self) -> NDArray[np.int64]:
        """The dates at which the policy rate is at its floor."""
        return np.flatnonzero(self.arrays["at_bound"])

    @property
    def periods_at_bound(self) -> int:
        return int(np.count_nonzero(self.arrays["at_bound"]))

    def records(self) -> list[dict[str, Any]]:
        """One dict per period with exactly the keys ``KEYS`` (the CLI's JSON)."""
        cols = [self.arrays[k] for k in self.KEYS]
        flags = [k == "t" or np.asarray(c).dtype.kind == "b" for k, c in zip(self.KEYS, cols,
                                                                               strict=True)]
        out = []
        for row in zip(*cols, strict=True):
            rec: dict[str, Any] = {}
            for k, flag, v in zip(self.KEYS, flags, row, strict=True):
                rec[k] = (int(v) if k == "t" else bool(v)) if flag else float(v)
            out.append(rec)
        return out


@dataclass(frozen=True, kw_only=True, eq=False)
class PathResult(PathColumns[PathParams]):
    """A solved deleveraging path with its flow of funds and the solver's diagnostics.

    Per-period arrays (length ``periods``, read-only), all in shares of potential output unless
    stated: ``output_gap`` = y/y* - 1; ``inflation``, ``policy_rate``, ``shadow_rate``,
    ``real_rate``, ``natural_rate`` per period; ``price_level`` with P_{-1} = 1; ``at_bound``
    whether the policy rate sits at its floor; ``borrower_debt`` the aggregate limit chi_b D_t
    (face value); ``deleveraging`` borrowers' net repayment of principal
    chi_b (D_{t-1}^v - D_t^v) at issue value D^v = D/(1 + r); ``government_debt`` its value;
    ``private_surplus`` borrowers' plus savers' saving net of investment (= ``borrower_surplus``
    + ``saver_surplus``); ``government_deficit`` spending + transfers + capital transfers +
    interest - taxes. Each array is also an attribute (``res.output_gap``).
    ``diagnostics`` (method ``stacked-newton``): ``converged``, ``iterations``,
    ``max_residual`` (largest absolute residual of the 3T equations), also readable as
    attributes; ``natural_rate_iterations``; ``notes`` says what the options did.
    """

    KEYS: ClassVar[tuple[str, ...]] = PATH_KEYS

    @property
    def cumulative_output_loss(self) -> float:
        """-sum_t (y_t/y* - 1): output lost over the horizon, in years of potential output."""
        return float(-np.sum(self.arrays["output_gap"]))

    @property
    def fiscal_cost(self) -> float:
        """Cumulative spending, transfers and capital transfers (undiscounted, share of y*)."""
        a = self.arrays
        return float(np.sum(a["government_spending"] + a["transfers"] + a["capital_transfers"]))

    def to_frame(self) -> Any:
        """A DataFrame indexed by t with the JSON columns and the extra accounting columns."""
        return path_frame(self.arrays, (*PATH_KEYS, *EXTRA_KEYS))

    def to_dict(self) -> dict[str, Any]:
        """Inputs, diagnostics and the per-period records."""
        return path_dict(self)


def first_spell(at_bound: NDArray[np.bool_]) -> tuple[int, int] | None:
    """(first, last) period of the first run of True in ``at_bound``; None if there is none."""
    idx = np.flatnonzero(at_bound)
    if idx.size == 0:
        return None
    s0 = int(idx[0])
    gaps = np.flatnonzero(np.diff(idx) > 1)
    s1 = int(idx[gaps[0]]) if gaps.size else int(idx[-1])
    return s0, s1


def _needs_spell(policies: Sequence[Policy]) -> bool:
    """Whether some policy refers to the baseline's spell at the floor."""
    return any(bool(getattr(pol, "needs_spell", False)) for pol in policies)


def _require_positive(what: str, values: Mapping[str, NDArray[Any]], diag: Diagnostics,
                      policies: Sequence[Policy]) -> None:
    """Raise ConvergenceError naming the first period where a quantity is not positive."""
    for label, arr in values.items():
        bad = np.flatnonzero(~(np.asarray(arr) > 0))
        if bad.size:
            t = int(bad[0])
            under = (" under " + ", ".join(f"'{p.name}'" for p in policies)) if policies else ""
            raise ConvergenceError(
                f"{what}: no admissible equilibrium{under}: {label} = "
                f"{float(np.asarray(arr)[t]):.4g} <= 0 at t = {t} ({bad.size} of "
                f"{np.size(arr)} periods)", diag)


def _geometric_accumulation(flow: Arr, rho: float) -> Arr:
    """x_t = rho x_{t-1} + flow_t from x_{-1} = 0, by forward substitution.

    x_0 = flow_0 and x_t = flow_t + rho * x_{t-1}: the operations, and so the rounding, of a
    direct solve of the unit lower-bidiagonal system with -rho below the diagonal.
    """
    f = np.asarray(flow, dtype=np.float64).reshape(-1).tolist()
    r = float(rho)
    out = f[:1]
    for ft in f[1:]:
        out.append(ft + r * out[-1])
    return np.array(out, dtype=np.float64)


def _accounts(p: PathParams, ex: Exogenous, v: dict[str, Arr]) -> dict[str, Arr]:
    """The flow of funds of a solved path (Koo's sectoral balances, section 4)."""
    chi_b, chi_s = p.chi_b, p.chi_s
    y, R, cb, cs = v["y"], v["R"], v["cb"], v["cs"]
    loans = ex.debt / R                                  # value borrowed at t, per borrower
    loans_prev = np.concatenate([[p.beta * ex.debt_old], loans[:-1]])
    interest_b = chi_b * (v["dprev"] * v["phi"] - loans_prev)
    capital = np.zeros(ex.periods)
    if ex.written_off_government > 0.0:  # the government pays creditors its part at t = 0
        capital[0] = chi_b * ex.written_off_government * float(v["phi"][0])
    primary = ex.g + ex.transfers + capital
    gdebt = _geometric_accumulation(primary, 1.0 - p.tax_repay)
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
               periods: int = 60, tol: float = 1e-12, max_iter: int = 50,
               baseline: PathResult | None = None) -> PathResult:
    """Solve the nonlinear perfect-foresight path after the surprise at t = 0.

    Parameters
    ----------
    params, debt
        The model's parameters and the announced debt-limit path.
    policies
        Policies (:class:`bsrlab.core.policy.Policy`), applied in order; ``None`` entries are
        skipped. Windows left ``None`` and forward guidance refer to the first spell at the
        floor of the path without policy, which is solved first when a policy ``needs_spell``.
    periods
        The horizon T; from T on the economy is in the new steady state.
    tol, max_iter
        Newton's tolerance on the largest residual, and its iteration limit.
    baseline
        The path without policy of the same ``params``, ``debt`` and ``periods``, when already
        solved (with the same ``tol`` and ``max_iter``): its spell at the floor is used instead
        of solving it again. Ignored unless a policy ``needs_spell``.

    Returns
    -------
    PathResult
        A verified path: residual within ``tol``; positive consumption of both types, output
        and price level every period.

    Raises
    ------
    ParameterError
        For bad inputs (naming the parameter, or the policy option at fault).
    ConvergenceError
        With ``diagnostics``, when Newton's method fails or the solution is not admissible
        (consumption, output or the price level not positive in some period).
    """
    T, tol, max_iter, pols = check_solver_inputs(PathParams, params, debt, policies,
                                                 periods=periods, tol=tol, max_iter=max_iter,
                                                 min_periods=2)
    check_steady_states(params, debt)
    spell = None
    if _needs_spell(pols):
        if baseline is None:
            baseline = solve_path(params, debt, (), periods=T, tol=tol, max_iter=max_iter)
        elif not (isinstance(baseline, PathResult) and not baseline.policies
                  and baseline.params == params and baseline.debt == debt
                  and baseline.periods == T):
            raise ParameterError("baseline", f"the path without policy of the same params, debt "
                                 f"and periods = {T}", type(baseline).__name__)
        spell = baseline.spell
    ex = build_exogenous(params, debt, pols, T, spell)
    sol = solve_system(params, debt, ex, tol=tol, max_iter=max_iter)
    v = sol.parts
    price_level = np.cumprod(1.0 + v["pi"])
    _require_positive(f"deleveraging path ({T} periods)", {
        "borrowers' consumption c_b": v["cb"], "savers' consumption c_s": v["cs"],
        "output y": v["y"], "the price level": price_level, "the gross real rate 1 + r": v["R"],
    }, sol.diagnostics, pols)
    rn, rn_it = natural_rate_path(params, ex, policies=pols)
    acc = _accounts(params, ex, v)
    i = v["gross_i"] - 1.0
    arrays: dict[str, NDArray[Any]] = {
        "t": np.arange(T), "output": v["y"], "output_gap": v["y"] - 1.0, "inflation": v["pi"],
        "price_level": price_level, "policy_rate": i,
        "shadow_rate": v["gross_shadow"] - 1.0, "real_rate": v["R"] - 1.0, "natural_rate": rn,
        "at_bound": i <= params.i_floor + 1e-12, "borrower_debt": params.chi_b * ex.debt,
        "government_spending": ex.g.copy(), "transfers": ex.transfers.copy(),
        "c_borrower": v["cb"], "c_saver": v["cs"], "qe_holdings": np.cumsum(ex.qe), **acc,
    }
    notes: list[str] = []
    for pol in pols:
        note = policy_note(pol)
        if note and note not in notes:
            notes.append(note)
    if ex.hold.any():
        notes.append(f"the policy rate is held at its floor through "
                     f"t = {int(np.flatnonzero(ex.hold)[-1])} (forward guidance)")
    own_spell = first_spell(arrays["at_bound"])
    return PathResult(params=params, diagnostics=sol.diagnostics, debt=debt, policies=pols,
                      periods=T, arrays=arrays, natural_rate_iterations=rn_it,
                      spell=own_spell, notes=tuple(notes))


def path_frame(arrays: Mapping[str, NDArray[Any]], keys: Sequence[str]) -> Any:
    """A DataFrame of the per-period ``arrays`` named by ``keys``, indexed by ``t``."""
    import pandas as pd

    return pd.DataFrame({k: arrays[k] for k in keys if k != "t"},
                        index=pd.Index(arrays["t"], name="t"))


def path_dict(result: Any, **extra: Any) -> dict[str, Any]:
    """The JSON of a solved path: inputs, diagnostics, ``extra`` entries, notes and records.

    ``result`` is a :class:`PathResult` or a result of an extended path model with the same
    attributes (params, debt, policies, periods, diagnostics, natural_rate_iterations, notes,
    records()).
    """
    return {
        "params": result.params.to_dict(), "debt": result.debt.to_dict(),
        "policies": [{"policy": pol.name, **dataclasses.asdict(cast(Any, pol))}
                     for pol in result.policies],
        "periods": result.periods, "converged": result.converged,
        "iterations": result.iterations, "max_residual": result.max_residual,
        "natural_rate_iterations": result.natural_rate_iterations,
        **extra, "notes": list(result.notes), "path": result.records(),
    }


def check_solver_inputs(kind: type, params: Any, debt: Any, policies: Sequence[Any], *,
                        periods: Any, tol: Any, max_iter: Any, min_periods: int
                        ) -> tuple[int, float, int, tuple[Policy, ...]]:
    """Validate what a path solver is given; return (periods, tol, max_iter, policies).

    ``params`` must be a ``kind``, ``debt`` a :class:`DebtLimitPath`, every policy an object with
    a name and an apply method (``None`` entries are dropped); the horizon must outlast the debt
    path by a period and be at least ``min_periods``.
    """
    if not isinstance(params, kind):
        raise ParameterError("params", f"a {kind.__name__}", type(params).__name__)
    if not isinstance(debt, DebtLimitPath):
        raise ParameterError("debt", "a DebtLimitPath", type(debt).__name__)
    T = integer("periods", periods, lo=max(debt.length + 1, min_periods), hi=5000)
    tol_f = real("tol", tol, lo=0, lo_open=True)
    iters = integer("max_iter", max_iter, lo=1)
    pols = tuple(pol for pol in policies if pol is not None)
    for pol in pols:
        if not isinstance(pol, Policy):
            raise ParameterError("policies", "policies with a name and an apply method",
                                 type(pol).__name__)
    return T, tol_f, iters, pols
