r"""Koo's balance sheet recession: the deleveraging path with the extensions of section 5.

The model of :mod:`bsrlab.models.deleveraging.path` (Eggertsson-Krugman, section 3) extended by

1. savers who value safe financial wealth (5.1),
2. long-term, fixed-rate nominal legacy debt (5.2),
3. balance sheet repair with an occasionally binding debt limit, an exogenous target path or a
   cash-flow repair rule, and a government budget with automatic stabilisers (5.3, 5.4).

With ``omega = 0``, ``amortisation = 1``, borrowers always at their limit and ``tau_y = 0`` the
allocation is the one of :func:`~bsrlab.models.deleveraging.path.solve_path` (the nesting
argument is in ``docs/koo.md``, which also derives every equation).

Unknowns, t = 0..T-1 (six blocks): output :math:`y_t`, inflation :math:`\pi_t`, savers'
consumption :math:`c_{s,t}`, borrowers' new one-period debt (face value due at t + 1)
:math:`d_t`, the real principal of the legacy loan :math:`\ell_t` and real government debt
:math:`B_t` (all per head of their group; :math:`B` per head of the population). From T on the
economy is in the new steady state.

Equations (per borrower unless stated; :math:`\tilde\pi_t = \pi_t` for nominal legacy debt,
:math:`\bar\pi` for indexed legacy debt and in the flexible-price economy):

.. math::
    1 + i^{sh}_t &= (1 + r^*)(1 + \bar\pi')\big(\tfrac{1+\pi_t}{1+\bar\pi'}\big)^{\phi_\pi}
        y_t^{\phi_y} - cut_t, \quad 1 + i_t = \max(1 + i_{floor}, 1 + i^{sh}_t) \\
    R_t &= (1 + i_t)/(1 + \pi_{t+1}) \\
    c_{b,t} &= y_t + tr_t/\chi_b + d_t/R_t - d_{t-1}
        - (i_c + \delta_t)\,\ell_{t-1}/(1+\tilde\pi_t) \\
    \ell_t &= (1 - \delta_t)\,\ell_{t-1}/(1 + \tilde\pi_t) \\
    0 &= \min\big(L_t - \ell_t - d_t,\ 1 - \beta_b R_t (c_{b,t+1}/c_{b,t})^{-1/\sigma}\big) \\
    1 &= \beta R_t (c_{s,t+1}/c_{s,t})^{-1/\sigma} + \omega a_t^{-\eta} c_{s,t}^{1/\sigma},
        \quad a_t = (\chi_b(\ell_t + d_t/R_t) + B_t)/\chi_s \\
    \pi_t - \bar\pi' &= \kappa \ln y_t + \beta(\pi_{t+1} - \bar\pi') \\
    y_t &= \chi_s c_{s,t} + \chi_b c_{b,t} + g_t \\
    B_t &= R_{t-1} B_{t-1} + g_t + tr_t + k_t - \mathcal T_t, \quad
        \mathcal T_t = \bar{\mathcal T} + \tau_B B_{t-1} + \tau_y (y_t - 1) + \tau_t

The limit :math:`L_t` is the target path :math:`D_t` (``repair_rule="target"``) or, under the
cash-flow rule, :math:`L_t = \max(D^*, Q_{t-1} - \rho(y_t + tr_t/\chi_b))` with total debt
:math:`Q_t = \ell_t + d_t` and :math:`Q_{-1}` the old debt. :math:`r^*` is the new steady real
rate (the rule's intercept), :math:`\delta_t = \delta` except :math:`\delta_{T-1} = 1` (the
legacy loan's remaining principal falls due in the last period solved), :math:`k_t` the
government's payment for its part of a write-down (``written_off_government``, at t = 0),
:math:`\tau_t` discretionary lump-sum taxes on savers (:attr:`KooExogenous.taxes`, zero unless a
policy sets them).

The natural rate solves the same system with flexible prices: :math:`y_t = 1`, legacy debt
serviced at the expected price level, the real rate an unknown in place of inflation.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.policy import Policy, policy_note
from bsrlab.core.result import Diagnostics, verify
from bsrlab.core.validate import choice, readonly, real
from bsrlab.models.deleveraging._newton import METHOD, cmax, newton_solve
from bsrlab.models.deleveraging._newton import shift_in as _shift_in
from bsrlab.models.deleveraging._newton import shift_out as _shift_out
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams, _set
from bsrlab.models.deleveraging.outputs import ARRAY_KEYS, KOO_EXTRA_KEYS, PATH_KEYS
from bsrlab.models.deleveraging.path import (
    Exogenous,
    PathColumns,
    PathContext,
    baseline_exogenous,
    check_solver_inputs,
    first_spell,
    path_dict,
    path_frame,
)

__all__ = [
    "KOO_KEYS",
    "KooExogenous",
    "KooParams",
    "KooResult",
    "KooTerms",
    "calibrate_omega",
    "koo_exogenous",
    "koo_terms",
    "solve_koo",
    "steady_rate",
]

Arr = NDArray[np.float64]

#: Every per-period column of a :class:`KooResult`, in order.
KOO_KEYS: tuple[str, ...] = (*ARRAY_KEYS, *KOO_EXTRA_KEYS)

REPAIR_RULES = ("target", "cash-flow")
#: The rounding of the kinks in the continuation that follows a failed Newton solve.
_SMOOTHING = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7)


@dataclass(frozen=True, kw_only=True, slots=True)
class KooParams:
    """Parameters of Koo's model: those of :class:`PathParams` plus the extensions.

    ============== =====================================================================
    field          meaning
    ============== =====================================================================
    omega          weight of safe wealth in savers' utility (0: EK's savers)
    eta            curvature of the wealth term, :math:`a^{-\\eta}` (> 0)
    beta_b         borrowers' discount factor (0 < beta_b < beta)
    contract_rate  nominal contract rate of the legacy loan; None: the pre-bust nominal rate
    amortisation   share of legacy principal repaid each period (1: one-period debt)
    repair_rule    ``"target"`` (the debt-limit path) or ``"cash-flow"``
    repair_share   rho, share of borrowers' disposable income used for net repayment under
                   the cash-flow rule (0 < rho < 1)
    tau_y          automatic stabilisers: taxes rise by tau_y (y - 1)
    gov_debt       government debt before the bust and in the long run, share of output
    ============== =====================================================================

    Validated on construction (:mod:`bsrlab.core.validate`); equal and hashed by value.
    """

    beta: float = 0.97
    sigma: float = 0.5
    chi_b: float = 0.4
    kappa: float = 0.05
    phi_pi: float = 1.5
    phi_y: float = 0.5
    pibar: float = 0.01
    i_floor: float = 0.0
    nominal_debt: bool = True
    tax_repay: float = 0.05
    omega: float = 0.0
    eta: float = 1.0
    beta_b: float = 0.9
    contract_rate: float | None = None
    amortisation: float = 1.0
    repair_rule: str = "target"
    repair_share: float = 0.1
    tau_y: float = 0.0
    gov_debt: float = 0.0

    def __post_init__(self) -> None:
        base = self.path_params()  # validates the fields shared with PathParams
        for f in dataclasses.fields(PathParams):
            _set(self, f.name, getattr(base, f.name))
        _set(self, "omega", real("omega", self.omega, lo=0))
        _set(self, "eta", real("eta", self.eta, lo=0, lo_open=True))
        _set(self, "beta_b", real("beta_b", self.beta_b, lo=0, hi=self.beta, lo_open=True,
                                  hi_open=True, rule=f"0 < beta_b < beta (= {self.beta:g})"))
        if self.contract_rate is not None:
            _set(self, "contract_rate", real("contract_rate", self.contract_rate, lo=-0.5,
                                             hi=1.0, lo_open=True))
        _set(self, "amortisation", real("amortisation", self.amortisation, lo=0, hi=1,
                                        lo_open=True))
        _set(self, "repair_rule", choice("repair_rule", self.repair_rule, REPAIR_RULES))
        _set(self, "repair_share", real("repair_share", self.repair_share, lo=0, hi=1,
                                        lo_open=True, hi_open=True))
        _set(self, "tau_y", real("tau_y", self.tau_y, lo=0, hi=1))
        _set(self, "gov_debt", real("gov_debt", self.gov_debt, lo=0, hi=10))

    def path_params(self) -> PathParams:
        """The parameters of today's model (the fields shared with :class:`PathParams`)."""
        return PathParams(**{f.name: getattr(self, f.name)
                             for f in dataclasses.fields(PathParams)})

    @classmethod
    def from_path(cls, params: PathParams, **changes: Any) -> KooParams:
        """Today's parameters plus the extensions given (defaults otherwise); ``changes`` may
        also override a shared field."""
        shared = {f.name: getattr(params, f.name) for f in dataclasses.fields(PathParams)}
        return cls(**{**shared, **changes})

    @property
    def chi_s(self) -> float:
        return 1.0 - self.chi_b

    def replace(self, **changes: Any) -> KooParams:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --------------------------------------------------------------------------- inputs


#: The default of :attr:`KooExogenous.taxes`, replaced by zeros of the horizon's length.
_NO_TAXES: Arr = cast(Arr, None)


@dataclass(frozen=True, eq=False)
class KooExogenous(Exogenous):
    r"""The inputs of :class:`~bsrlab.models.deleveraging.path.Exogenous` plus ``taxes``.

    ``taxes``: discretionary lump-sum taxes on savers per period (aggregate, share of potential
    output; negative: a tax cut), added to the tax rule's
    :math:`\bar{\mathcal T} + \tau_B B_{t-1} + \tau_y (y_t - 1)`. With ``omega = 0`` they move
    government debt only (savers are Ricardian); with ``omega > 0`` they also move the safe
    assets savers hold. Policies change them with :func:`dataclasses.replace`, which keeps the
    class.
    """

    taxes: Arr = _NO_TAXES  # none given: no discretionary taxes (zeros)

    def __post_init__(self) -> None:
        taxes = np.zeros(self.periods) if self.taxes is None else np.asarray(
            self.taxes, dtype=np.float64)
        if taxes.shape != (self.periods,) or not np.all(np.isfinite(taxes)):
            raise ParameterError("taxes", f"{self.periods} finite values (one per period)",
                                 self.taxes)
        object.__setattr__(self, "taxes", taxes)
        Exogenous.__post_init__(self)


@functools.lru_cache(maxsize=32)
def _koo_baseline(params: PathParams, debt: DebtLimitPath, periods: int,
                  spell: tuple[int, int] | None) -> KooExogenous:
    """The inputs without policy, kept for the next path of the same economy (the policies
    compared on it start from them; the inputs are immutable, a policy replaces them)."""
    base = baseline_exogenous(params, debt, periods, spell)
    return KooExogenous(**{f.name: getattr(base, f.name) for f in dataclasses.fields(Exogenous)})


@functools.lru_cache(maxsize=32)
def _path_params(params: KooParams) -> PathParams:
    """:meth:`KooParams.path_params`, kept for the next path with the same parameters."""
    return params.path_params()


def koo_exogenous(params: PathParams, debt: DebtLimitPath, policies: Sequence[Policy],
                  periods: int, spell: tuple[int, int] | None) -> KooExogenous:
    """The inputs without policy (no discretionary taxes), then each policy's ``apply``.

    As :func:`~bsrlab.models.deleveraging.path.build_exogenous`, with :class:`KooExogenous`
    inputs; a policy must return inputs of that class (``dataclasses.replace`` does).
    """
    ctx = PathContext(params=params, debt=debt, periods=periods, spell=spell)
    try:
        ex = _koo_baseline(params, debt, periods, spell)
    except TypeError:  # inputs that cannot be hashed are not kept
        ex = _koo_baseline.__wrapped__(params, debt, periods, spell)
    for pol in policies:
        ex = pol.apply(ex, ctx)
        if not isinstance(ex, KooExogenous):
            raise ParameterError("policies", "policies whose apply() returns the Koo model's "
                                 "inputs (KooExogenous, via dataclasses.replace)",
                                 getattr(pol, "name", type(pol).__name__))
    return ex


# --------------------------------------------------------------------------- steady states


def _steady_parts(p: KooParams, debt: float, gov_debt: float, x: float) -> tuple[float, ...]:
    """(c_b, c_s, a) in a steady state with discount x = 1/(1 + r), debt D per borrower."""
    cb = 1.0 - debt * (1.0 - x)
    cs = (1.0 - p.chi_b * cb) / p.chi_s
    a = (p.chi_b * debt * x + gov_debt) / p.chi_s
    return cb, cs, a


def steady_rate(p: KooParams, debt: float, gov_debt: float | None = None) -> float:
    r"""The steady real rate r* with debt D per borrower (at the limit) and government debt B.

    Solves :math:`1 = \beta(1 + r^*) + \omega a^{*-\eta} c_s^{*1/\sigma}` with
    :math:`c_b^* = 1 - D(1 - 1/(1+r^*))`, :math:`c_s^* = (1 - \chi_b c_b^*)/\chi_s`,
    :math:`a^* = (\chi_b D/(1 + r^*) + B)/\chi_s`. The left side minus the right rises with
    r*, so the root is unique; ``omega = 0`` gives 1/beta - 1. Raises ParameterError (naming
    ``omega``) when no steady state with 1 + r* > 0 and positive consumption exists.
    """
    B = p.gov_debt if gov_debt is None else float(gov_debt)
    if p.omega == 0.0:
        return 1.0 / p.beta - 1.0

    def f(x: float) -> float:
        _, cs, a = _steady_parts(p, debt, B, x)
        return p.beta / x + p.omega * a ** (-p.eta) * cs ** (1.0 / p.sigma) - 1.0

    # x = 1/(1 + r) in (beta, x_max): at x = beta the wealth term makes f > 0; x_max keeps
    # c_s > 0 (c_b < 1/chi_b) and is capped to keep 1 + r bounded away from 0.
    x_max = 1e6 if debt <= 0 else min(1e6, 1.0 + (1.0 / p.chi_b - 1.0) / debt)
    if debt <= 0 and B <= 0:
        raise ParameterError("omega", "omega = 0 when the economy has no safe assets "
                             "(debt_low = 0 and gov_debt = 0)", p.omega)
    hi = x_max * (1 - 1e-12)
    if not f(hi) < 0:
        raise ParameterError("omega", "a weight of safe wealth that leaves a steady state "
                             "with 1 + r* > 0 and positive consumption", p.omega)
    x = _bracketed_root(f, p.beta, hi)
    return 1.0 / x - 1.0


def _bracketed_root(f: Any, lo: float, hi: float) -> float:
    """The root of a decreasing ``f`` with f(lo) > 0 > f(hi), to the last bit or so.

    Secant steps (regula falsi with the Illinois weighting) inside a bracket that halves
    whenever a step gains too little; the bracket ends when its ends are adjacent floats or f
    is zero. Raises ConvergenceError (never expected: at most ~2,200 steps reach adjacency).
    """
    f_lo, f_hi = f(lo), f(hi)
    side = 0
    for it in range(2500):
        width = hi - lo
        if f_lo == 0.0:
            return lo
        if f_hi == 0.0 or not width > 4 * np.finfo(float).eps * abs(hi):
            return hi if abs(f_hi) < abs(f_lo) else lo
        x = hi - f_hi * width / (f_hi - f_lo)
        if not lo < x < hi or it % 3 == 2:  # a bisection now and then bounds the steps
            x = lo + width / 2 if hi < 4 * lo else float(np.sqrt(lo * hi))
        fx = f(x)
        if fx > 0:
            lo, f_lo = x, fx
            if side == -1:
                f_hi /= 2
            side = -1
        else:
            hi, f_hi = x, fx
            if side == 1:
                f_lo /= 2
            side = 1
    raise ConvergenceError(f"steady rate: no root bracketed to round-off in [{lo}, {hi}]",
                           Diagnostics(False, 2500, float(min(abs(f_lo), abs(f_hi))),
                                       "bracketed secant"))


def calibrate_omega(params: KooParams, debt: DebtLimitPath, rate: float) -> float:
    r"""The omega that makes the pre-bust steady real rate equal ``rate``.

    From the pre-bust steady state (debt ``debt_high`` at the limit, government debt
    ``gov_debt``): :math:`\omega = (1 - \beta(1 + r))\,a^{\eta} c_s^{-1/\sigma}`. Requires
    -1 < rate < 1/beta - 1.
    """
    rate = real("rate", rate, lo=-1, hi=1.0 / params.beta - 1.0, lo_open=True, hi_open=True,
                rule=f"-1 < rate < 1/beta - 1 (= {1.0 / params.beta - 1.0:.6g})")
    D = float(debt.debt_high) / params.chi_b
    cb, cs, a = _steady_parts(params, D, params.gov_debt, 1.0 / (1.0 + rate))
    if not (cb > 0 and cs > 0 and a > 0):
        raise ParameterError("rate", "a pre-bust rate with positive consumption and safe "
                             "assets in the steady state", rate)
    return (1.0 - params.beta * (1.0 + rate)) * a ** params.eta * cs ** (-1.0 / params.sigma)


@dataclass(frozen=True, kw_only=True, slots=True)
class KooTerms:
    """The scalars a Koo path is solved with, derived from the parameters and the debt path.

    ``rate_new``/``rate_old``: steady real rates after (debt_low, the rule's intercept) and
    before the bust (debt_high; the real rate of t = -1); ``contract_rate`` i_c;
    ``legacy0`` the legacy loan's real principal at t = -1 per borrower,
    D_old (1 + pibar)/(1 + i_c); ``debt_old`` the old face value Q_{-1}; ``debt_target`` D*;
    ``tax_level`` T_bar, set so that ``gov_debt`` is the new steady state;
    ``cb_star``/``cs_star`` steady consumption from T on.
    """

    rate_new: float
    rate_old: float
    discount_new: float
    contract_rate: float
    legacy0: float
    debt_old: float
    debt_target: float
    tax_level: float
    cb_star: float
    cs_star: float


@functools.lru_cache(maxsize=32)
def _steady_rates(p: KooParams, debt_new: float, debt_old: float) -> tuple[float, float]:
    """:func:`steady_rate` after and before the bust (debt per borrower ``debt_new``,
    ``debt_old``), kept for the next path of the same economy: a policy moves neither."""
    return steady_rate(p, debt_new), steady_rate(p, debt_old)


def koo_terms(p: KooParams, debt: DebtLimitPath, ex: Exogenous) -> KooTerms:
    """The :class:`KooTerms` of ``p`` and ``debt`` with the inputs ``ex`` (after policies)."""
    d_star = float(debt.debt_low) / p.chi_b
    r_new, r_old = _steady_rates(p, d_star, float(debt.debt_high) / p.chi_b)
    x_new = p.beta if p.omega == 0.0 else 1.0 / (1.0 + r_new)
    if not p.beta_b * (1.0 + r_new) < 1.0:
        raise ParameterError("beta_b", f"beta_b (1 + r*) < 1 (borrowers at their limit in "
                             f"the new steady state, r* = {r_new:.6g})", p.beta_b)
    steady_i = (1.0 + r_new) * (1.0 + ex.pibar_new) - 1.0
    if not p.i_floor < steady_i:
        raise ParameterError("omega", f"a new steady nominal rate {steady_i:.6g} above the "
                             f"floor {p.i_floor:g}", p.omega)
    ic = ((1.0 + r_old) * (1.0 + p.pibar) - 1.0 if p.contract_rate is None
          else float(p.contract_rate))
    cb = 1.0 - d_star * (1.0 - x_new)
    cs = (1.0 - p.chi_b * cb) / p.chi_s
    if not (cb > 0 and cs > 0):
        raise ParameterError("debt_low", "a new steady state with positive consumption",
                             debt.debt_low)
    return KooTerms(
        rate_new=r_new, rate_old=r_old, discount_new=x_new, contract_rate=ic,
        legacy0=ex.debt_old * (1.0 + ex.pibar_old) / (1.0 + ic), debt_old=ex.debt_old,
        debt_target=d_star, tax_level=(r_new - p.tax_repay) * p.gov_debt,
        cb_star=cb, cs_star=cs)


# --------------------------------------------------------------------------- the system


def _cmin(a: Any, b: Any, smooth: float = 0.0) -> NDArray[Any]:
    """``min(a, b)`` elementwise keeping the complex-step perturbation of the active branch.

    With ``smooth`` > 0 the kink is rounded, (a + b - sqrt((a - b)^2 + smooth^2))/2, for the
    continuation that :func:`_solve_system` falls back on.
    """
    if smooth > 0:
        return cast(NDArray[Any], (a + b - np.sqrt((a - b) ** 2 + smooth**2)) / 2)
    return np.where(np.real(a) <= np.real(b), a, b)


def _cmax(a: Any, b: Any, smooth: float = 0.0) -> NDArray[Any]:
    """``max(a, b)``, as :func:`_cmin`."""
    if smooth > 0:
        return cast(NDArray[Any], (a + b + np.sqrt((a - b) ** 2 + smooth**2)) / 2)
    return cmax(a, b)


_BLOCKS = ("y", "x2", "cs", "d", "ell", "B")


@dataclass(frozen=True, eq=False)
class _Fixed:
    """What :func:`_parts` and :func:`_residual` need of a system that no unknown moves.

    Combined once per system rather than at every evaluation of the residual (Newton's method
    evaluates it hundreds of times per solve, the Jacobian in one call for every colour); each
    array holds what the inline expression gives, to the last bit. Inputs that are zero in
    every period are None: adding them changes nothing, so they are not added.
    """

    T: int
    ell_at: int | None  # where the legacy principal's block starts in z (None: not solved)
    B_at: int | None  # where government debt's block starts in z (None: not solved)
    floor: float  # 1 + i_floor
    shadow_scale: float  # (1 + r*)(1 + pibar'), the rule's intercept
    cut: Arr | None
    hold: NDArray[np.bool_] | None
    transfers_b: Arr | None  # transfers per borrower, tr_t / chi_b
    legacy_rate: Arr  # i_c + delta_t
    legacy_keep: Arr  # 1 - delta_t
    g: Arr | None
    transfers: Arr | None
    taxes: Arr | None  # discretionary taxes
    cap0: float  # chi_b times the government's part of a write-down, times 1 + pibar
    zero: Arr  # the legacy principal when not solved for; capital transfers when none
    ell_prev: Arr  # the lagged legacy principal when it is not solved: (legacy0, 0, ...)
    gov: Arr  # government debt when it is not solved: gov_debt in every period
    tax_base: Arr  # T_bar + tau_B B_{t-1} when government debt is not solved
    pi_flat: Arr  # inflation at its target (flexible prices)
    leg_flat: Arr  # 1 + pibar, the legacy loan's gross deflator when it is not pi_t


def _frozen(a: Arr) -> Arr:
    """``a``, made read-only (it is shared by every evaluation of the residual)."""
    a.flags.writeable = False
    return a


def _fixed(s: _System) -> _Fixed:
    p, ex, k = s.p, s.ex, s.k
    T = ex.periods
    at = {name: j * T for j, name in enumerate(s.blocks)}
    transfers_b = ex.transfers / p.chi_b
    return _Fixed(
        T=T, ell_at=at.get("ell"), B_at=at.get("B"), floor=1.0 + p.i_floor,
        shadow_scale=(1.0 + k.rate_new) * (1 + ex.pibar_new),
        cut=ex.cut if ex.cut.any() else None, hold=ex.hold if ex.hold.any() else None,
        transfers_b=_frozen(transfers_b) if transfers_b.any() else None,
        legacy_rate=_frozen(k.contract_rate + s.delta), legacy_keep=_frozen(1.0 - s.delta),
        g=ex.g if ex.g.any() else None,
        transfers=ex.transfers if ex.transfers.any() else None,
        taxes=ex.taxes if ex.taxes.any() else None,
        cap0=p.chi_b * ex.written_off_government * (1.0 + ex.pibar_old)
        if ex.written_off_government > 0.0 else 0.0,
        zero=_frozen(np.zeros(T)), ell_prev=_frozen(_shift_in(k.legacy0, np.zeros(T))),
        gov=_frozen(np.full(T, p.gov_debt)),
        tax_base=_frozen(k.tax_level + p.tax_repay * np.full(T, p.gov_debt)),
        pi_flat=_frozen(np.full(T, ex.pibar_new)),
        leg_flat=_frozen(np.full(T, 1.0 + ex.pibar_old)))


@dataclass(frozen=True, eq=False)
class _System:
    """One stacked system: inputs, derived scalars, the kinks' rounding and its unknowns.

    ``blocks`` names the unknown blocks solved for: the legacy principal is identically zero
    with one-period debt (``amortisation = 1``), and government debt feeds back on nothing
    when ``omega = 0``; it then follows from its budget after the solve.
    """

    p: KooParams
    ex: KooExogenous
    k: KooTerms
    delta: Arr
    limit_path: Arr
    flexible: bool
    smooth: float = 0.0
    blocks: tuple[str, ...] = _BLOCKS

    @functools.cached_property
    def fixed(self) -> _Fixed:
        """The system's inputs as the residual reads them (:class:`_Fixed`)."""
        return _fixed(self)


def _blocks(p: KooParams) -> tuple[str, ...]:
    drop = set()
    if p.amortisation == 1.0:
        drop.add("ell")
    if p.omega == 0.0:
        drop.add("B")
    return tuple(b for b in _BLOCKS if b not in drop)


def _parts(z: NDArray[Any], s: _System, B: NDArray[Any] | None = None) -> dict[str, NDArray[Any]]:
    """Every period's variables implied by the unknowns (complex-safe; ``z`` may hold one
    point per row); ``B`` overrides the government debt when it is not among the unknowns.

    Variables that no unknown moves (inflation with flexible prices, the legacy principal or
    government debt when they are not solved for) are shared arrays of one row, read-only.
    """
    p, ex, k, c = s.p, s.ex, s.k, s.fixed
    T = c.T
    y, x2, cs, d = z[..., :T], z[..., T:2 * T], z[..., 2 * T:3 * T], z[..., 3 * T:4 * T]
    pn = ex.pibar_new
    if s.flexible:
        R = x2
        pi = pi_next = c.pi_flat
        shadow = gross_i = R * (1 + pn)
        gross_leg = c.leg_flat
    else:
        pi = x2
        pi_next = _shift_out(pi, pn)
        shadow = c.shadow_scale * ((1 + pi) / (1 + pn)) ** p.phi_pi * y ** p.phi_y
        if c.cut is not None:
            shadow = shadow - c.cut
        gross_i = _cmax(c.floor, shadow, s.smooth)
        if c.hold is not None:
            gross_i = np.where(c.hold, c.floor + 0 * shadow, gross_i)
        R = gross_i / (1 + pi_next)
        gross_leg = (1 + pi) if p.nominal_debt else c.leg_flat
    d_R = d / R
    d_prev = _shift_in(0.0, d)
    if c.ell_at is None:
        ell, ell_prev, Q, value = c.zero, c.ell_prev, d, d_R
    else:
        ell = z[..., c.ell_at:c.ell_at + T]
        ell_prev = _shift_in(k.legacy0, ell)
        Q, value = ell + d, ell + d_R
    legacy_pay = c.legacy_rate * ell_prev / gross_leg
    ydisp = y if c.transfers_b is None else y + c.transfers_b
    cb = ydisp + d_R - d_prev - legacy_pay
    if p.repair_rule == "target":
        L = s.limit_path
    else:
        L = _cmax(k.debt_target, _shift_in(k.debt_old, Q) - p.repair_share * ydisp,
                  s.smooth)
    cb_next = _shift_out(cb, k.cb_star)
    cs_next = _shift_out(cs, k.cs_star)
    mu = 1.0 - p.beta_b * R * (cb_next / cb) ** (-1.0 / p.sigma)
    R_prev = _shift_in(1.0 + k.rate_old, R)
    if B is None and c.B_at is not None:
        B = z[..., c.B_at:c.B_at + T]
    if B is None:
        B, B_prev, taxes = c.gov, c.gov, c.tax_base
    else:
        B_prev = _shift_in(p.gov_debt, B)
        taxes = k.tax_level + p.tax_repay * B_prev
    a = (p.chi_b * value + B) / p.chi_s
    if p.tau_y != 0.0:
        taxes = taxes + p.tau_y * (y - 1.0)
    if c.taxes is not None:
        taxes = taxes + c.taxes
    if c.cap0 > 0.0:  # the government's part of a write-down, at t = 0
        cap = np.zeros_like(y)
        cap[..., 0] = c.cap0 / gross_leg[..., 0]
    else:
        cap = c.zero
    return {"y": y, "pi": pi, "cs": cs, "d": d, "ell": ell, "B": B, "pi_next": pi_next,
            "gross_shadow": shadow, "gross_i": gross_i, "R": R, "gross_leg": gross_leg,
            "ell_prev": ell_prev, "d_prev": d_prev, "legacy_pay": legacy_pay, "cb": cb,
            "Q": Q, "L": L, "cb_next": cb_next, "cs_next": cs_next, "mu": mu, "a": a,
            "R_prev": R_prev, "B_prev": B_prev, "cap": cap, "taxes": taxes}


def _residual(z: NDArray[Any], s: _System) -> NDArray[Any]:
    """Stacked residuals [savers' Euler, Phillips (or y = 1), resources, borrowers'
    complementary slackness, legacy principal, government budget]; the last two only when
    their unknowns are solved for."""
    p, ex, c = s.p, s.ex, s.fixed
    T = c.T
    v = _parts(z, s)
    y, cs = v["y"], v["cs"]
    out = np.empty(z.shape, dtype=np.result_type(z.dtype, np.float64))
    euler = out[..., :T]
    np.subtract(p.beta * v["R"] * (v["cs_next"] / cs) ** (-1.0 / p.sigma), 1.0, out=euler)
    if p.omega > 0:
        euler += p.omega * v["a"] ** (-p.eta) * cs ** (1.0 / p.sigma)
    if s.flexible:
        np.subtract(y, 1.0, out=out[..., T:2 * T])
    else:
        pn = ex.pibar_new
        np.subtract((v["pi"] - pn) - p.kappa * np.log(y), p.beta * (v["pi_next"] - pn),
                    out=out[..., T:2 * T])
    resources = p.chi_s * cs + p.chi_b * v["cb"]
    if c.g is not None:
        resources = resources + c.g
    np.subtract(resources, y, out=out[..., 2 * T:3 * T])
    out[..., 3 * T:4 * T] = _cmin(v["L"] - v["Q"], v["mu"], s.smooth)
    if c.ell_at is not None:
        np.subtract(v["ell"], c.legacy_keep * v["ell_prev"] / v["gross_leg"],
                    out=out[..., c.ell_at:c.ell_at + T])
    if c.B_at is not None:
        outlays = v["R_prev"] * v["B_prev"]
        for flow in (c.g, c.transfers):
            if flow is not None:
                outlays = outlays + flow
        if c.cap0 > 0.0:
            outlays = outlays + v["cap"]
        np.subtract(v["B"], outlays - v["taxes"], out=out[..., c.B_at:c.B_at + T])
    return out


def _government_debt(v: dict[str, Arr], s: _System) -> Arr:
    """B_t from its budget, forward from B_{-1} (when it is not among the unknowns)."""
    p, ex, k = s.p, s.ex, s.k
    B = np.empty(ex.periods)
    prev, R_prev = p.gov_debt, 1.0 + k.rate_old
    for t in range(ex.periods):
        taxes = (k.tax_level + p.tax_repay * prev + p.tau_y * (v["y"][t] - 1.0)
                 + ex.taxes[t])
        prev = R_prev * prev + ex.g[t] + ex.transfers[t] + v["cap"][t] - taxes
        B[t] = prev
        R_prev = v["R"][t]
    return B


def _initial_guess(s: _System) -> Arr:
    p, ex, k = s.p, s.ex, s.k
    T = ex.periods
    ell = np.empty(T)
    prev = k.legacy0
    for t in range(T):
        prev = (1.0 - s.delta[t]) * prev / (1.0 + ex.pibar_old)
        ell[t] = prev
    if p.repair_rule == "target":
        L = s.limit_path
    else:
        L = np.empty(T)
        q = k.debt_old
        for t in range(T):
            q = max(k.debt_target, q - p.repair_share * (1.0 + ex.transfers[t] / p.chi_b))
            L[t] = q
    second = np.full(T, 1.0 / k.discount_new) if s.flexible else np.full(T, ex.pibar_new)
    guess = {"y": np.ones(T), "x2": second, "cs": np.full(T, k.cs_star), "d": L - ell,
             "ell": ell, "B": np.full(T, p.gov_debt)}
    return np.concatenate([guess[b] for b in s.blocks])


def _options_in_force(p: KooParams, policies: Sequence[Policy]) -> str:
    """The non-default options that can make a request infeasible, most likely first."""
    opts = []
    if p.repair_rule == "cash-flow":
        opts.append(f"repair_share={p.repair_share:g} (cash-flow repair)")
    if p.amortisation < 1:
        opts.append(f"amortisation={p.amortisation:g} with contract_rate="
                    f"{'pre-bust' if p.contract_rate is None else f'{p.contract_rate:g}'}")
    if p.omega > 0:
        opts.append(f"omega={p.omega:g}")
    if p.tau_y > 0:
        opts.append(f"tau_y={p.tau_y:g}")
    opts.extend(f"policy '{pol.name}'" for pol in policies)
    opts.append("the debt path (debt_high, debt_low, kind, years)")
    return "; ".join(opts)


def _solve_system(s: _System, *, tol: float, max_iter: int, what: str,
                  policies: Sequence[Policy],
                  start: Arr | None = None) -> tuple[dict[str, Arr], Diagnostics, Arr]:
    def run(system: _System, z0: Arr, tolerance: float) -> Any:
        return newton_solve(lambda z: _residual(z, system), z0, nblocks=len(system.blocks),
                            lower=1, upper=2, tol=tolerance, max_iter=max_iter, what=what,
                            batched=True)

    z0 = _initial_guess(s) if start is None or start.shape != (len(s.blocks) * s.ex.periods,) \
        else start
    try:
        rep = run(s, z0, tol)
    except ConvergenceError as first:
        # Newton's method may cycle between the branches of the kinks (the floor, the limit,
        # the end of a cash-flow repair): round them, solve, and sharpen step by step.
        try:
            z = z0
            for smooth in _SMOOTHING:
                z = run(dataclasses.replace(s, smooth=smooth), z, max(tol, 1e-10)).z
            rep = run(s, z, tol)
        except ConvergenceError:
            raise ConvergenceError(
                f"{first.args[0].split(' [')[0]}; options in force: "
                f"{_options_in_force(s.p, policies)}", first.diagnostics) from None
    diag = verify(Diagnostics(rep.converged, rep.iterations, rep.max_residual, METHOD), tol,
                  what=what)
    z = np.real(np.asarray(rep.z)).astype(np.float64)
    B = None
    if "B" not in s.blocks:
        B = _government_debt({key: np.real(val) for key, val in _parts(z, s).items()}, s)
    parts = {name: np.real(np.asarray(val)).astype(np.float64)
             for name, val in _parts(z, s, B).items()}
    return parts, diag, readonly(z)


def _require(what: str, values: Mapping[str, NDArray[Any]], diag: Diagnostics, cause: str) -> None:
    for label, arr in values.items():
        bad = np.flatnonzero(~(np.asarray(arr) > 0))
        if bad.size:
            t = int(bad[0])
            raise ConvergenceError(
                f"{what}: no admissible equilibrium: {label} = {float(arr[t]):.4g} <= 0 at "
                f"t = {t} ({bad.size} of {arr.size} periods); caused by: {cause}", diag)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True, kw_only=True, eq=False)
class KooResult(PathColumns[KooParams]):
    """A solved Koo path: every column of today's path plus the extensions' columns.

    Per-period arrays (read-only, shares of potential output unless stated), as in
    :class:`~bsrlab.models.deleveraging.path.PathResult` (``output_gap``, ``inflation``, ...,
    ``borrower_debt`` is the borrowers' actual total debt chi_b (l_t + d_t)), plus
    ``at_limit`` (borrowers at their limit), ``debt_limit`` chi_b L_t, ``new_debt`` chi_b d_t
    (face value of one-period debt), ``legacy_debt`` chi_b l_t (real principal),
    ``legacy_service`` and ``debt_service`` (real payments at t: legacy, legacy plus maturing
    new debt), ``borrower_multiplier`` 1 - beta_b R_t (c_b,t+1/c_b,t)^(-1/sigma) (>= 0, zero
    when the limit is slack), ``safe_assets`` a_t per saver, ``natural_rate`` the
    flexible-price real rate. ``repair_end`` is the first period at which total debt is at or
    below the target D* (None if never within the horizon). ``terms`` holds the derived
    scalars (:class:`KooTerms`), ``exogenous`` the inputs after the policies.
    """

    KEYS: ClassVar[tuple[str, ...]] = (*PATH_KEYS, *KOO_EXTRA_KEYS)

    terms: KooTerms
    exogenous: KooExogenous
    repair_end: int | None
    #: The stacked unknowns of the path and of its flexible-price twin, as solved: a start for
    #: solving a nearby path (``solve_koo(..., start=result)``).
    unknowns: tuple[NDArray[np.float64], NDArray[np.float64]] | None = field(
        default=None, repr=False, compare=False)

    @property
    def periods_at_limit(self) -> int:
        return int(np.count_nonzero(self.arrays["at_limit"]))

    def to_frame(self) -> Any:
        """A DataFrame indexed by t with every column."""
        return path_frame(self.arrays, KOO_KEYS)

    def to_dict(self) -> dict[str, Any]:
        """Inputs, diagnostics, the repair's end, the debt terms and the per-period records."""
        return path_dict(self, repair_end=self.repair_end, terms=dataclasses.asdict(self.terms))


# --------------------------------------------------------------------------- the solver


def solve_koo(params: KooParams, debt: DebtLimitPath, policies: Sequence[Policy | None] = (),
              *, periods: int = 60, tol: float = 1e-12, max_iter: int = 50,
              start: KooResult | None = None) -> KooResult:
    """Solve Koo's perfect-foresight path after the surprise at t = 0.

    ``policies`` are today's (:class:`bsrlab.core.policy.Policy`, applied to path.py's
    :class:`KooExogenous` in turn; None entries skipped). ``start``, a solved path of the same
    economy and horizon (e.g. the path with no policy when policies are compared), is where
    Newton's method starts: the path returned is the same to the tolerance, found in fewer
    steps. A start that does not fit (another horizon or set of unknowns) is not used.

    Raises
    ------
    ParameterError
        For bad inputs, naming the parameter.
    ConvergenceError
        With ``diagnostics``: Newton's method failed (the message lists the options in force),
        or the solution is not admissible in some period (consumption of either type, output,
        the price level, 1 + r or, with omega > 0, safe assets not positive; or the cash-flow
        repair not finished within the horizon), naming the option that caused it.
    """
    T, tol, max_iter, pols = check_solver_inputs(KooParams, params, debt, policies,
                                                 periods=periods, tol=tol, max_iter=max_iter,
                                                 min_periods=3)
    spell = None
    if any(bool(getattr(pol, "needs_spell", False)) for pol in pols):
        if (start is not None and not start.policies and start.params == params
                and start.debt == debt and start.periods == T):
            spell = start.spell  # the start is the path with no policy
        else:
            spell = solve_koo(params, debt, (), periods=T, tol=tol, max_iter=max_iter,
                              start=start).spell
    base = _path_params(params)
    ex = koo_exogenous(base, debt, pols, T, spell)
    k = koo_terms(params, debt, ex)
    delta = np.full(T, params.amortisation)
    delta[-1] = 1.0
    system = _System(p=params, ex=ex, k=k, delta=delta, limit_path=np.asarray(ex.debt),
                     flexible=False, blocks=_blocks(params))
    what = f"Koo path ({T} periods)"
    z_start, zn_start = (None, None) if start is None or start.unknowns is None \
        else start.unknowns
    v, diag, z = _solve_system(system, tol=tol, max_iter=max_iter, what=what, policies=pols,
                               start=z_start)
    price_level = np.cumprod(1.0 + v["pi"])
    cause = _options_in_force(params, pols)
    positive = {"borrowers' consumption c_b": v["cb"], "savers' consumption c_s": v["cs"],
                "output y": v["y"], "the price level": price_level,
                "the gross real rate 1 + r": v["R"]}
    if params.omega > 0:
        positive["safe assets a"] = v["a"]
    _require(what, positive, diag, cause)
    if params.repair_rule == "cash-flow" and v["L"][-1] > k.debt_target + 1e-10:
        raise ConvergenceError(
            f"{what}: the cash-flow repair has not reached the target D* = "
            f"{k.debt_target:.4g} by t = {T - 1} (limit {v['L'][-1]:.4g}); caused by: "
            f"repair_share={params.repair_share:g} too small for periods={T}", diag)
    # the natural rate: the same economy with flexible prices
    flex = dataclasses.replace(system, flexible=True)
    try:
        vn, dn, zn = _solve_system(flex, tol=max(tol, 1e-13), max_iter=max_iter,
                                   what=f"natural-rate path ({T} periods)", policies=pols,
                                   start=zn_start)
    except ConvergenceError as exc:
        raise ConvergenceError(f"natural rate: {exc.args[0]}", exc.diagnostics) from None
    _require("natural-rate path", {"borrowers' consumption c_b": vn["cb"],
                                   "savers' consumption c_s": vn["cs"],
                                   "the gross natural rate 1 + r^n": vn["R"]}, dn, cause)
    arrays = _columns(params, ex, k, v, price_level, vn["R"] - 1.0)
    repaired = np.flatnonzero(v["Q"] <= k.debt_target + 1e-10)
    repair_end = int(repaired[0]) if repaired.size else None
    notes: list[str] = []
    for pol in pols:
        note = policy_note(pol)
        if note and note not in notes:
            notes.append(note)
    if ex.hold.any():
        notes.append(f"the policy rate is held at its floor through "
                     f"t = {int(np.flatnonzero(ex.hold)[-1])} (forward guidance)")
    if params.amortisation < 1:
        notes.append(f"the legacy loan's remaining principal ({arrays['legacy_debt'][-2]:.3g}) "
                     f"falls due at t = {T - 1}")
    return KooResult(params=params, diagnostics=diag, debt=debt, policies=pols, periods=T,
                     arrays=arrays, terms=k, exogenous=ex, repair_end=repair_end,
                     unknowns=(z, zn),
                     natural_rate_iterations=dn.iterations,
                     spell=first_spell(arrays["at_bound"]), notes=tuple(notes))


def _columns(p: KooParams, ex: KooExogenous, k: KooTerms, v: dict[str, Arr],
             price_level: NDArray[Any],
             natural_rate: Arr) -> dict[str, NDArray[Any]]:
    """Every output column of a solved path, with its flow of funds."""
    T = ex.periods
    chi_b, chi_s = p.chi_b, p.chi_s
    y, R, cb, cs, d, ell, B = v["y"], v["R"], v["cb"], v["cs"], v["d"], v["ell"], v["B"]
    value = ell + d / R                              # value of borrowers' debt, per borrower
    value_prev = _shift_in(k.legacy0, value)
    d_prev, ell_prev, R_prev, B_prev = v["d_prev"], v["ell_prev"], v["R_prev"], v["B_prev"]
    interest_b = chi_b * (d_prev * (1.0 - 1.0 / R_prev)
                          + ell_prev * ((1.0 + k.contract_rate) / v["gross_leg"] - 1.0))
    interest_g = (R_prev - 1.0) * B_prev
    taxes, cap = v["taxes"], v["cap"]
    borrower_surplus = chi_b * (y - cb) + ex.transfers - interest_b
    saver_surplus = chi_s * (y - cs) - taxes + interest_b + cap + interest_g
    deficit = ex.g + ex.transfers + cap + interest_g - taxes
    i = v["gross_i"] - 1.0
    slack = v["L"] - v["Q"]
    return {
        "t": np.arange(T), "output_gap": y - 1.0, "inflation": v["pi"],
        "price_level": price_level, "policy_rate": i,
        "shadow_rate": v["gross_shadow"] - 1.0, "real_rate": R - 1.0,
        "natural_rate": natural_rate, "at_bound": i <= p.i_floor + 1e-12,
        "borrower_debt": chi_b * v["Q"], "deleveraging": chi_b * (value_prev - value),
        "government_spending": ex.g.copy(), "government_debt": B.copy(),
        "private_surplus": borrower_surplus + saver_surplus, "government_deficit": deficit,
        "output": y, "transfers": ex.transfers.copy(), "borrower_surplus": borrower_surplus,
        "saver_surplus": saver_surplus, "c_borrower": cb, "c_saver": cs,
        "qe_holdings": np.cumsum(ex.qe), "interest_borrowers": interest_b, "taxes": taxes,
        "capital_transfers": cap, "at_limit": slack <= 1e-10 * max(1.0, k.debt_old),
        "debt_limit": chi_b * v["L"], "new_debt": chi_b * d, "legacy_debt": chi_b * ell,
        "legacy_service": chi_b * v["legacy_pay"],
        "debt_service": chi_b * (v["legacy_pay"] + d_prev),
        "borrower_multiplier": v["mu"], "safe_assets": v["a"],
    }
