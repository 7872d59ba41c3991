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
* borrowers at the limit spend all income: :math:`c_{b,S} = y_S - t_{b,S} - \Delta_S`;
* resources :math:`y_S = \chi_s c_{s,S} + \chi_b c_{b,S} + g_S`;
* Phillips curve with a supply shift :math:`s` (potential output up by s):
  :math:`\pi_S = \kappa (y_S - s) + \beta \mu \pi_S`, so :math:`\pi_S = k (y_S - s)`,
  :math:`k = \kappa/(1 - \beta\mu)`;
* policy: :math:`i_S = 0` at the bound, else :math:`i_S = \bar r + \phi_\pi \pi_S + \phi_y y_S`.

Natural rate. Set :math:`y_S = 0, g = t_b = 0`: then :math:`c_{b,S} = -\Delta_S`, resources give
:math:`c_{s,S} = \chi_b \Delta_S/\chi_s` and the Euler equation gives the real rate
:math:`r_{n,S} = \bar r - (1 - \mu) \chi_b \Delta_S / (\chi_s \sigma_s)`.

At the bound. Substituting the borrowers and the Euler equation into resources and using
:math:`\sigma_s \bar r/(1 - \mu) - \chi_b \Delta_S/\chi_s = \sigma_s r_{n,S}/(1 - \mu)`:

.. math::
    y_S (1 - b k) = \frac{\sigma_s r_{n,S}}{1 - \mu} + \frac{g_S - \chi_b t_{b,S}}{\chi_s}
    - b k s, \qquad b = \frac{\sigma_s \mu}{1 - \mu}.

The equilibrium is unique and stable only if :math:`1 - bk > 0`; otherwise more deflation raises
output (the curves cross the wrong way) and no number is returned. Multipliers at the bound:
spending :math:`1/(\chi_s (1 - bk))` (kappa = 0: :math:`1/\chi_s`; :math:`\chi_b = 0`, so
:math:`\sigma_s = \sigma`: :math:`(1-\mu)(1-\beta\mu)/((1-\mu)(1-\beta\mu) - \sigma\mu\kappa)`,
Eggertsson 2011). A transfer to borrowers of aggregate size T (:math:`t_b = -T/\chi_b`) raises
their spending one for one, exactly as spending does, so per unit of fiscal cost the transfer
multiplier equals the spending multiplier in both regimes (savers are Ricardian, borrowers have a
marginal propensity to consume of one).

Away from the bound. With :math:`a_\pi = \sigma_s(\phi_\pi - \mu)k/(1-\mu)` and
:math:`a_y = \sigma_s\phi_y/(1-\mu)`:

.. math::
    y_S (1 + a_\pi + a_y) = \frac{\sigma_s (r_{n,S} - \bar r)}{1 - \mu}
    + \frac{g_S - \chi_b t_{b,S}}{\chi_s} + a_\pi s,

so the spending multiplier is :math:`1/(\chi_s(1 + a_\pi + a_y))`: the policy rate leans against
the spending. The economy is at the bound when the Taylor-rule rate of that solution is negative.

Paradoxes at the bound: thrift :math:`dy_S/d\Delta_S = -\chi_b/(\chi_s(1 - bk))`; toil
:math:`dy_S/ds = -bk/(1 - bk) < 0`; flexibility
:math:`dy_S/d\kappa = b (N - s)/((1 - \beta\mu)(1 - bk)^2)` with :math:`N` the right-hand side
above without the supply term, negative when :math:`r_{n,S} < 0` and :math:`g = t_b = s = 0`.
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
    ``supply`` a shift of potential output, ``phi_pi``/``phi_y`` the Taylor rule.

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
        b, k = self.b, self.k
        if not 1 - b * k > 0:
            kmax = (1 - self.beta * self.mu) / b if b > 0 else float("inf")
            raise ParameterError(
                "kappa", f"1 - b*k > 0 (determinacy at the bound; b = sigma_s*mu/(1 - mu) = "
                f"{b:.6g}, k = kappa/(1 - beta*mu), so kappa < {kmax:.6g})", self.kappa)

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
    def natural_rate(self) -> float:
        """r_n,S = rbar - (1 - mu) chi_b Delta_S/(chi_s sigma_s)."""
        return self.rbar - (1 - self.mu) * self.chi_b * self.delta / (self.chi_s * self.sigma_s)


def spending_multiplier_bound(p: TwoStateParams) -> float:
    """Government-spending multiplier at the bound, 1/(chi_s (1 - b k))."""
    return 1.0 / (p.chi_s * (1.0 - p.b * p.k))


def _spending_multiplier_taylor(p: TwoStateParams) -> float:
    a = p.sigma_s * ((p.phi_pi - p.mu) * p.k + p.phi_y) / (1 - p.mu)
    return 1.0 / (p.chi_s * (1.0 + a))


def _output_bound(p: TwoStateParams) -> float:
    return ((p.sigma_s * p.natural_rate / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / p.chi_s
             - p.b * p.k * p.supply) / (1 - p.b * p.k))


def _output_taylor(p: TwoStateParams) -> float:
    a_pi = p.sigma_s * (p.phi_pi - p.mu) * p.k / (1 - p.mu)
    a_y = p.sigma_s * p.phi_y / (1 - p.mu)
    rhs = (p.sigma_s * (p.natural_rate - p.rbar) / (1 - p.mu)
           + (p.g - p.chi_b * p.t_b) / p.chi_s + a_pi * p.supply)
    return rhs / (1 + a_pi + a_y)


def paradox_of_thrift(p: TwoStateParams) -> float:
    """dy_S/dDelta_S at the bound: -chi_b/(chi_s (1 - b k)) < 0."""
    return -p.chi_b / (p.chi_s * (1 - p.b * p.k))


def paradox_of_toil(p: TwoStateParams) -> float:
    """dy_S/ds at the bound (s: a positive supply shift): -b k/(1 - b k) <= 0."""
    return -p.b * p.k / (1 - p.b * p.k)


def paradox_of_flexibility(p: TwoStateParams) -> float:
    """dy_S/dkappa at the bound: b (N - s)/((1 - beta mu)(1 - b k)^2)."""
    n = p.sigma_s * p.natural_rate / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / p.chi_s
    return p.b * (n - p.supply) / ((1 - p.beta * p.mu) * (1 - p.b * p.k) ** 2)


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
    a[1] = [0, 1, -1, 0, 0]
    rhs[1] = -p.t_b - p.delta
    a[2] = [-p.chi_s, -p.chi_b, 1, 0, 0]
    rhs[2] = p.g
    a[3] = [0, 0, -p.kappa, 1 - p.beta * mu, 0]
    rhs[3] = -p.kappa * p.supply
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
    y_t = _output_taylor(p)
    shadow_t = p.rbar + p.phi_pi * p.k * (y_t - p.supply) + p.phi_y * y_t
    at_bound = shadow_t < 0
    if at_bound:
        y = _output_bound(p)
        shadow = p.rbar + p.phi_pi * p.k * (y - p.supply) + p.phi_y * y
        i = 0.0
        m = spending_multiplier_bound(p)
    else:
        y, shadow, i, m = y_t, shadow_t, shadow_t, _spending_multiplier_taylor(p)
    pi = p.k * (y - p.supply)
    cb = y - p.t_b - p.delta
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
        spending_multiplier=m, transfer_multiplier=m,
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
