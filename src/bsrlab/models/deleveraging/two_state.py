r"""The sticky-price two-state short run (section 2): closed forms and their numerical twin.

Shares :math:`\chi_b` of borrowers and :math:`\chi_s = 1 - \chi_b` of savers. The short-run state
S persists with probability :math:`\mu` each period; the long run L is absorbing and is the new
steady state (all deviations zero). Deviations are shares of steady-state output; rates are in
levels per period (steady inflation 0, so the steady nominal rate is :math:`\bar r = 1/\beta - 1`);
:math:`\sigma_s = \sigma\, c_s/Y` is the savers' intertemporal elasticity times their share.

Equations (state S; expectations are :math:`E x_{t+1} = \mu x_S`)
------------------------------------------------------------------
* savers' Euler :math:`c_{s,t} = E c_{s,t+1} - \sigma_s (i_t - E\pi_{t+1} - \bar r)`, so
  :math:`(1 - \mu) c_{s,S} = -\sigma_s (i_S - \mu \pi_S - \bar r)`;
* borrowers at the limit spend all income, net of the real service of their nominal debt:
  :math:`c_{b,S} = y_S - t_{b,S} - \Delta_S + f \pi_S` (``fisher`` :math:`f \ge 0`, see below;
  :math:`f = 0` is real debt);
* resources :math:`y_S = \chi_s c_{s,S} + \chi_b c_{b,S} + g_S`;
* Phillips curve with a supply shift :math:`s` (potential output up by s) and spending that
  raises marginal cost by a share :math:`1 - \psi` of what private demand does (``psi``, below):
  :math:`\pi_S = \kappa (y_S - s - \psi g_S) + \beta \mu \pi_S`, so
  :math:`\pi_S = k (y_S - z)` with :math:`k = \kappa/(1 - \beta\mu)`, :math:`z = s + \psi g_S`;
* policy: :math:`i_S = 0` at the bound, else :math:`i_S = \bar r + \phi_\pi \pi_S + \phi_y y_S`.

With :math:`f = \psi = 0` (the defaults) every formula below reduces to the model without them.

The Fisher term (Eggertsson-Krugman's debt deflation). A borrower at the limit repays in
period t the debt due from t - 1 and borrows anew up to the limit. The debt is nominal: its face
value :math:`B_{t-1}` is fixed in money when it is contracted, so its real burden is
:math:`B_{t-1}/P_t = d/(1 + \pi_t)` with :math:`d = B_{t-1}/P_{t-1}` the real face value per
borrower (share of output), and to first order around zero inflation
:math:`d/(1 + \pi_t) = d - d\,\pi_t`. The new borrowing and the fall of d while S lasts are the
pay-down :math:`\Delta_S`, so the budget reads
:math:`c_{b,S} = y_S - t_{b,S} - \Delta_S + f \pi_S` with :math:`f = \vartheta d`, where
:math:`\vartheta` is the share of the inflation in S that the contract did not price:
:math:`\vartheta = 1` for debt written before the bust at the steady-state expectation of zero
inflation (each period of S repeats the surprise, EK's case), :math:`\vartheta = 1 - \mu` for
debt re-priced every period at the expected inflation :math:`\mu\pi_S` (only the surprise
:math:`(1 - \mu)\pi_S` moves the burden). Lower inflation raises the real debt service and lowers
the borrowers' spending. In the resource constraint the term is :math:`\chi_b f \pi_S`, the
aggregate debt over output times :math:`\vartheta`; divided by :math:`\chi_s` it is
:math:`F = \chi_b f/\chi_s`.

Natural rate. Set :math:`y_S = 0` with zero inflation, :math:`g = t_b = 0`: then
:math:`c_{b,S} = -\Delta_S`, resources give :math:`c_{s,S} = \chi_b \Delta_S/\chi_s` and the Euler
equation gives the real rate
:math:`r_{n,S} = \bar r - (1 - \mu) \chi_b \Delta_S / (\chi_s \sigma_s)` (neither f nor
:math:`\psi` enters it).

At the bound. The Euler equation with :math:`i_S = 0` gives
:math:`c_{s,S} = \sigma_s \bar r/(1 - \mu) + b \pi_S` with :math:`b = \sigma_s \mu/(1 - \mu)`.
Substituting it and the borrowers into resources, dividing by :math:`\chi_s` and using
:math:`\sigma_s \bar r/(1 - \mu) - \chi_b \Delta_S/\chi_s = \sigma_s r_{n,S}/(1 - \mu)` gives
aggregate demand

.. math::
    y_S = N + B \pi_S, \qquad N = \frac{\sigma_s r_{n,S}}{1 - \mu}
    + \frac{g_S - \chi_b t_{b,S}}{\chi_s}, \qquad B = b + F = b + \frac{\chi_b f}{\chi_s}.

In the (y, pi) plane it slopes up with slope :math:`1/B`: lower inflation lowers output through
the savers' expected real rate (b) and through the borrowers' real debt service (F); with
:math:`\mu = 0` only the Fisher term is left (EK's upside-down demand curve). With the Phillips
curve :math:`\pi_S = k (y_S - z)`:

.. math::
    y_S (1 - B k) = N - B k (s + \psi g_S), \qquad \pi_S = \frac{k (N - s - \psi g_S)}{1 - B k}.

Uniqueness and stability. The equilibrium is unique and stable only if
:math:`1 - B k = 1 - (b + \chi_b f/\chi_s) k > 0`, i.e. aggregate demand is steeper than
the Phillips curve (:math:`1/B > k`); otherwise more deflation raises output (the curves cross the
wrong way) and no number is returned. The Fisher term tightens the condition: for given
:math:`\kappa` it requires :math:`f < \chi_s (1/k - b)/\chi_b`. The same condition covers the
Taylor regime (below): :math:`1 + a_\pi + a_y - F k > a_\pi + a_y + b k \ge 0` whenever
:math:`1 - B k > 0`.

Spending that shifts supply (Eggertsson 2011). Workers supply labour until
:math:`w = \omega n + \sigma_w^{-1} c` (log-linear; :math:`\omega` the inverse Frisch elasticity,
:math:`\sigma_w` the workers' IES), output is linear in labour (:math:`y = n`) and private
consumption is output less public spending (:math:`c = y - g`). Real marginal cost is the real
wage, :math:`w = (\omega + \sigma_w^{-1}) (y - \psi g)` with
:math:`\psi = \sigma_w^{-1}/(\omega + \sigma_w^{-1}) \in [0, 1]`: at a given output, spending
lowers private consumption, raises the marginal utility of consumption, and workers accept a lower
wage, so spending raises marginal cost less than private demand does. With
:math:`\kappa = \zeta(\omega + \sigma_w^{-1})` (:math:`\zeta` from the pricing friction) the
Phillips curve is the one above; :math:`\psi = 0` is marginal cost a function of output alone.
Transfers to borrowers do not absorb goods and do not enter it.

Multipliers at the bound. From :math:`y_S (1 - Bk) = N - Bk(s + \psi g_S)` and
:math:`\partial N/\partial g_S = 1/\chi_s`:

.. math::
    \frac{dy_S}{dg_S} = \frac{1/\chi_s - \psi B k}{1 - B k}
    \quad\bigl(f = 0:\ \frac{1/\chi_s - \psi b k}{1 - b k}\bigr).

Limits: :math:`\psi = f = 0` gives :math:`1/(\chi_s (1 - bk))`; :math:`\kappa = 0` gives
:math:`1/\chi_s`; :math:`\chi_b = 0` (so :math:`\sigma_s = \sigma`, :math:`F = 0`) gives
:math:`(1 - \psi bk)/(1 - bk)`, with :math:`\psi = 0`
:math:`(1-\mu)(1-\beta\mu)/((1-\mu)(1-\beta\mu) - \sigma\mu\kappa)` (Eggertsson 2011). With
:math:`0 \le \psi \le 1` the multiplier is at least 1, since
:math:`1/\chi_s - \psi Bk \ge 1 - Bk`. A transfer to borrowers of aggregate size T
(:math:`t_b = -T/\chi_b`) raises N by :math:`T/\chi_s`, as spending does, but does not shift the
Phillips curve: its multiplier per unit of fiscal cost is :math:`1/(\chi_s (1 - Bk))`, equal to the
spending multiplier when :math:`\psi = 0` (savers are Ricardian, borrowers have a marginal
propensity to consume of one) and larger when :math:`\psi > 0`.

Away from the bound. The Euler equation with the Taylor rule gives
:math:`c_{s,S} = -\sigma_s ((\phi_\pi - \mu)\pi_S + \phi_y y_S)/(1 - \mu)`. With
:math:`a_\pi = \sigma_s(\phi_\pi - \mu)k/(1-\mu)`, :math:`a_y = \sigma_s\phi_y/(1-\mu)` and
:math:`A_\pi = a_\pi - F k`:

.. math::
    y_S (1 + A_\pi + a_y) = \frac{\sigma_s (r_{n,S} - \bar r)}{1 - \mu}
    + \frac{g_S - \chi_b t_{b,S}}{\chi_s} + A_\pi (s + \psi g_S),

so the spending multiplier is :math:`(1/\chi_s + \psi A_\pi)/(1 + A_\pi + a_y)` and the transfer
multiplier :math:`1/(\chi_s(1 + A_\pi + a_y))`: the policy rate leans against the spending. The
economy is at the bound when the Taylor-rule rate of that solution is negative.

Paradoxes at the bound: thrift :math:`dy_S/d\Delta_S = -\chi_b/(\chi_s(1 - Bk))`; toil
:math:`dy_S/ds = -Bk/(1 - Bk) < 0`; flexibility
:math:`dy_S/d\kappa = B (N - s - \psi g_S)/((1 - \beta\mu)(1 - Bk)^2)`, negative when
:math:`r_{n,S} < 0` and :math:`g = t_b = s = 0`, and steeper with the Fisher term
(:math:`B/(1 - Bk)^2` rises with B). Debt deflation:
:math:`dy_S/dB = k (N - s - \psi g_S)/(1 - Bk)^2 = \pi_S/(1 - Bk)`, so
:math:`dy_S/df = \chi_b \pi_S/(\chi_s (1 - Bk))`: nominal debt lowers output at the bound exactly
when inflation in S is negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.core.validate import real
from bsrlab.models.deleveraging.outputs import TWO_STATE_KEYS

__all__ = [
    "TwoStateParams",
    "TwoStateResult",
    "debt_deflation_effect",
    "paradox_of_flexibility",
    "paradox_of_thrift",
    "paradox_of_toil",
    "solve_two_state",
    "solve_two_state_numeric",
    "spending_multiplier_bound",
]


@dataclass(frozen=True, kw_only=True)
class TwoStateParams:
    """Parameters of the two-state model (per period, e.g. a quarter); validated on construction.

    ``beta`` discount factor, ``sigma`` savers' IES, ``kappa`` Phillips-curve slope, ``mu``
    persistence of the short run, ``chi_b`` share of borrowers, ``cs_share`` savers' consumption
    over output (sigma_s = sigma * cs_share), ``delta`` extra debt pay-down while S lasts (share
    of output), ``g`` government spending, ``t_b`` lump-sum tax on borrowers (negative = relief),
    ``supply`` a shift of potential output, ``phi_pi``/``phi_y`` the Taylor rule, ``psi`` the
    share of government spending that marginal cost does not see (Phillips curve
    pi = kappa (y - s - psi g) + beta mu pi), ``fisher`` the borrowers' real debt service
    per unit of deflation (c_b = y - t_b - delta + fisher pi: the real face value of their
    nominal debt per borrower, over output, times the share of inflation the contract did not
    price). Both default to 0, the model without them.

    Every field is converted to a float first, then checked (finite, in its range). The class
    has no ``__slots__``: its instance ``__dict__`` (the fields) is part of its interface.
    """

    beta: float = 0.99
    sigma: float = 1.0
    kappa: float = 0.02
    mu: float = 0.8
    chi_b: float = 0.5
    cs_share: float = 1.0
    delta: float = 0.1
    g: float = 0.0
    t_b: float = 0.0
    supply: float = 0.0
    phi_pi: float = 1.5
    phi_y: float = 0.25
    psi: float = 0.0
    fisher: float = 0.0

    def __post_init__(self) -> None:
        def put(name: str, **rule: Any) -> None:
            object.__setattr__(self, name, real(name, getattr(self, name), **rule))

        put("beta", lo=0, hi=1, lo_open=True, hi_open=True)
        put("sigma", lo=0, lo_open=True)
        put("kappa", lo=0)
        put("mu", lo=0, hi=1, hi_open=True)
        put("chi_b", lo=0, hi=1, hi_open=True)
        put("cs_share", lo=0, lo_open=True)
        for name in ("delta", "g", "t_b", "supply"):
            put(name)
        put("phi_pi", lo=1, lo_open=True, rule="phi_pi > 1 (Taylor principle)")
        put("phi_y", lo=0)
        put("psi", lo=0)
        put("fisher", lo=0)
        b, k = self.b, self.k
        if not 1 - b * k > 0:
            kmax = (1 - self.beta * self.mu) / b if b > 0 else float("inf")
            raise ParameterError(
                "kappa", f"1 - b*k > 0 (determinacy at the bound; b = sigma_s*mu/(1 - mu) = "
                f"{b:.6g}, k = kappa/(1 - beta*mu), so kappa < {kmax:.6g})", self.kappa)
        if not 1 - self.b_ad * k > 0:
            # 1 - b k > 0 holds, so k > 0 and chi_b > 0 here: the Fisher term tips it over
            fmax = self.chi_s * (1 / k - b) / self.chi_b
            raise ParameterError(
                "fisher", f"1 - (b + chi_b*fisher/chi_s)*k > 0 (determinacy at the bound with "
                f"nominal debt; b = sigma_s*mu/(1 - mu) = {b:.6g}, k = kappa/(1 - beta*mu) = "
                f"{k:.6g}, chi_b = {self.chi_b:.6g}, so fisher < {fmax:.6g})", self.fisher)

    @property
    def chi_s(self) -> float:
        return 1.0 - self.chi_b

    @property
    def sigma_s(self) -> float:
        return self.sigma * self.cs_share

    @property
    def rbar(self) -> float:
        """Steady real (= nominal) rate 1/beta - 1."""
        return 1.0 / self.beta - 1.0

    @property
    def k(self) -> float:
        return self.kappa / (1.0 - self.beta * self.mu)

    @property
    def b(self) -> float:
        return self.sigma_s * self.mu / (1.0 - self.mu)

    @property
    def fisher_slope(self) -> float:
        """F = chi_b fisher/chi_s: the Fisher term of aggregate demand, per unit of inflation."""
        return self.chi_b * self.fisher / self.chi_s

    @property
    def b_ad(self) -> float:
        """B = b + F: the slope of aggregate demand in inflation at the bound."""
        return self.b + self.fisher_slope

    @property
    def natural_rate(self) -> float:
        """r_n,S = rbar - (1 - mu) chi_b Delta_S/(chi_s sigma_s)."""
        return self.rbar - (1 - self.mu) * self.chi_b * self.delta / (self.chi_s * self.sigma_s)


def _shift(p: TwoStateParams) -> float:
    """z = s + psi g: the supply shift plus the share of spending marginal cost does not see."""
    return p.supply + p.psi * p.g


def spending_multiplier_bound(p: TwoStateParams) -> float:
    """Government-spending multiplier at the bound, (1/chi_s - psi B k)/(1 - B k).

    B = b + chi_b fisher/chi_s; with psi = fisher = 0 it is 1/(chi_s (1 - b k)).
    """
    bk = p.b_ad * p.k
    return (1.0 - p.chi_s * p.psi * bk) / (p.chi_s * (1.0 - bk))


def _transfer_multiplier_bound(p: TwoStateParams) -> float:
    return 1.0 / (p.chi_s * (1.0 - p.b_ad * p.k))


def _a_taylor(p: TwoStateParams) -> tuple[float, float]:
    """(A_pi, a_y) = (sigma_s (phi_pi - mu) k/(1 - mu) - F k, sigma_s phi_y/(1 - mu))."""
    a_pi = p.sigma_s * (p.phi_pi - p.mu) * p.k / (1 - p.mu) - p.fisher_slope * p.k
    return a_pi, p.sigma_s * p.phi_y / (1 - p.mu)


def _a_total(p: TwoStateParams) -> float:
    """A_pi + a_y, summed as sigma_s ((phi_pi - mu) k + phi_y)/(1 - mu) - F k."""
    return p.sigma_s * ((p.phi_pi - p.mu) * p.k + p.phi_y) / (1 - p.mu) - p.fisher_slope * p.k


def _spending_multiplier_taylor(p: TwoStateParams) -> float:
    """(1/chi_s + psi A_pi)/(1 + A_pi + a_y)."""
    a_pi, _ = _a_taylor(p)
    return (1.0 + p.chi_s * p.psi * a_pi) / (p.chi_s * (1.0 + _a_total(p)))


def _transfer_multiplier_taylor(p: TwoStateParams) -> float:
    """1/(chi_s (1 + A_pi + a_y))."""
    return 1.0 / (p.chi_s * (1.0 + _a_total(p)))


def _demand(p: TwoStateParams) -> float:
    """N = sigma_s r_n,S/(1 - mu) + (g - chi_b t_b)/chi_s."""
    return p.sigma_s * p.natural_rate / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / p.chi_s


def _output_bound(p: TwoStateParams) -> float:
    return ((p.sigma_s * p.natural_rate / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / p.chi_s
             - p.b_ad * p.k * _shift(p)) / (1 - p.b_ad * p.k))


def _output_taylor(p: TwoStateParams) -> float:
    a_pi, a_y = _a_taylor(p)
    rhs = (p.sigma_s * (p.natural_rate - p.rbar) / (1 - p.mu)
           + (p.g - p.chi_b * p.t_b) / p.chi_s + a_pi * _shift(p))
    return rhs / (1 + a_pi + a_y)


def paradox_of_thrift(p: TwoStateParams) -> float:
    """dy_S/dDelta_S at the bound: -chi_b/(chi_s (1 - B k)) < 0."""
    return -p.chi_b / (p.chi_s * (1 - p.b_ad * p.k))


def paradox_of_toil(p: TwoStateParams) -> float:
    """dy_S/ds at the bound (s: a positive supply shift): -B k/(1 - B k) <= 0."""
    return -p.b_ad * p.k / (1 - p.b_ad * p.k)


def paradox_of_flexibility(p: TwoStateParams) -> float:
    """dy_S/dkappa at the bound: B (N - s - psi g)/((1 - beta mu)(1 - B k)^2)."""
    n = _demand(p)
    return p.b_ad * (n - _shift(p)) / ((1 - p.beta * p.mu) * (1 - p.b_ad * p.k) ** 2)


def debt_deflation_effect(p: TwoStateParams) -> float:
    """dy_S/dfisher at the bound: chi_b pi_S/(chi_s (1 - B k)), negative when pi_S < 0.

    pi_S is the inflation of the bound solution, k (N - s - psi g)/(1 - B k).
    """
    bk = p.b_ad * p.k
    pi = p.k * (_demand(p) - _shift(p)) / (1 - bk)
    return p.chi_b * pi / (p.chi_s * (1 - bk))


_OUTPUTS = TWO_STATE_KEYS


@dataclass(frozen=True, kw_only=True)
class TwoStateResult(Result[TwoStateParams]):
    """The short-run state S in closed form; multipliers in the current regime and in both.

    ``diagnostics`` (method ``closed form``) records the largest absolute residual of the five
    equations of state S (Euler, borrowers, resources, Phillips curve, policy) at the solution.
    """

    KEYS: ClassVar[tuple[str, ...]] = _OUTPUTS

    output: float
    inflation: float
    natural_rate: float
    policy_rate: float
    shadow_rate: float
    at_bound: bool
    c_saver: float
    c_borrower: float
    spending_multiplier: float
    transfer_multiplier: float
    spending_multiplier_bound: float
    spending_multiplier_taylor: float
    determinate: bool
    b: float
    k: float

    def to_dict(self) -> dict[str, Any]:
        """The outputs (no parameters, no diagnostics), as plain floats and booleans."""
        return {k: getattr(self, k) for k in _OUTPUTS}

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([self.to_dict()])


def _system(p: TwoStateParams, at_bound: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The five log-linear equations of state S as ``a @ (c_s, c_b, y, pi, i) = rhs``."""
    mu, ss = p.mu, p.sigma_s
    a = np.zeros((5, 5))
    rhs = np.zeros(5)
    a[0] = [1 - mu, 0, 0, -ss * mu, ss]
    rhs[0] = ss * p.rbar
    a[1] = [0, 1, -1, -p.fisher, 0]
    rhs[1] = -p.t_b - p.delta
    a[2] = [-p.chi_s, -p.chi_b, 1, 0, 0]
    rhs[2] = p.g
    a[3] = [0, 0, -p.kappa, 1 - p.beta * mu, 0]
    rhs[3] = -p.kappa * (p.supply + p.psi * p.g)
    if at_bound:
        a[4] = [0, 0, 0, 0, 1]
    else:
        a[4] = [0, 0, -p.phi_y, -p.phi_pi, 1]
        rhs[4] = p.rbar
    return a, rhs


def solve_two_state(p: TwoStateParams) -> TwoStateResult:
    """Closed-form solution of the two-state model; the regime follows the Taylor rule's sign.

    The economy is at the bound when the Taylor-rule solution would need a negative nominal rate.
    """
    z = _shift(p)
    y_t = _output_taylor(p)
    shadow_t = p.rbar + p.phi_pi * p.k * (y_t - z) + p.phi_y * y_t
    at_bound = shadow_t < 0
    if at_bound:
        y = _output_bound(p)
        shadow = p.rbar + p.phi_pi * p.k * (y - z) + p.phi_y * y
        i = 0.0
        m, mt = spending_multiplier_bound(p), _transfer_multiplier_bound(p)
    else:
        y, shadow, i = y_t, shadow_t, shadow_t
        m, mt = _spending_multiplier_taylor(p), _transfer_multiplier_taylor(p)
    pi = p.k * (y - z)
    cb = y - p.t_b - p.delta + p.fisher * pi
    cs = (y - p.g - p.chi_b * cb) / p.chi_s
    a, rhs = _system(p, bool(at_bound))
    x = np.array([cs, cb, y, pi, i])
    res = float(np.max(np.abs(a @ x - rhs)))
    diag = verify(Diagnostics(True, 0, res, "closed form"),
                  1e-10 * max(1.0, float(np.max(np.abs(x)))),
                  what="two-state model (equations of state S)")
    return TwoStateResult(
        params=p, diagnostics=diag, output=y, inflation=pi, natural_rate=p.natural_rate,
        policy_rate=i, shadow_rate=shadow, at_bound=bool(at_bound), c_saver=cs, c_borrower=cb,
        spending_multiplier=m, transfer_multiplier=mt,
        spending_multiplier_bound=spending_multiplier_bound(p),
        spending_multiplier_taylor=_spending_multiplier_taylor(p), determinate=True,
        b=p.b, k=p.k)


def solve_two_state_numeric(p: TwoStateParams, *, at_bound: bool) -> dict[str, float]:
    """Solve the five log-linear equations of state S as a linear system (``np.linalg.solve``).

    Unknowns (c_s, c_b, y, pi, i); the policy row is i = 0 (``at_bound``) or the Taylor rule.
    An independent route to the closed forms, used as their test oracle.
    """
    a, rhs = _system(p, at_bound)
    cs, cb, y, pi, i = np.linalg.solve(a, rhs)
    return {"c_saver": float(cs), "c_borrower": float(cb), "output": float(y),
            "inflation": float(pi), "policy_rate": float(i)}
