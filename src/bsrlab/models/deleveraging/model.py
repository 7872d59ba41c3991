r"""Parameters and the debt-limit path of the many-period deleveraging model (section 3).

Glossary (code name -> symbol of the note):

============== ====================== ===================================================
code           symbol                 meaning
============== ====================== ===================================================
beta           :math:`\beta`          savers' discount factor per period (a year)
sigma          :math:`\sigma`         savers' intertemporal elasticity (CRRA 1/sigma)
chi_b          :math:`\chi_b`         population share of borrowers (chi_s = 1 - chi_b)
kappa          :math:`\kappa`         slope of the Phillips curve
phi_pi, phi_y  :math:`\phi_\pi,\phi_y` Taylor-rule responses to inflation and output
pibar          :math:`\bar\pi`        inflation target (per period)
i_floor        :math:`i_{floor}`      floor of the policy rate (the zero lower bound)
nominal_debt   --                     old debt is nominal: the Fisher surprise at t = 0
tax_repay      --                     share of government debt repaid each period by taxes
                                      on savers (allocation-neutral: savers are Ricardian)
debt_high/low  :math:`\chi_b D`       aggregate debt limit, share of annual output
============== ====================== ===================================================

Output is normalised so that potential output is :math:`y^* = 1` per head; each type's income is
:math:`y_t`, so borrower debt per head of borrowers is :math:`D_t = \text{debt}_t/\chi_b`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging._checks import check_int, check_real

__all__ = ["DebtLimitPath", "PathKind", "PathParams"]


@dataclass(frozen=True, kw_only=True)
class PathParams:
    """Structural parameters of the many-period model (annual); validated on construction."""

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

    def __post_init__(self) -> None:
        check_real("beta", self.beta, 0 < float(self.beta) < 1, "0 < beta < 1")
        check_real("sigma", self.sigma, float(self.sigma) > 0, "sigma > 0")
        check_real("chi_b", self.chi_b, 0 < float(self.chi_b) < 1, "0 < chi_b < 1")
        check_real("kappa", self.kappa, float(self.kappa) >= 0, "kappa >= 0")
        check_real("phi_pi", self.phi_pi, float(self.phi_pi) > 1, "phi_pi > 1 (Taylor principle)")
        check_real("phi_y", self.phi_y, float(self.phi_y) >= 0, "phi_y >= 0")
        check_real("pibar", self.pibar, -0.5 < float(self.pibar) < 0.5, "-0.5 < pibar < 0.5")
        check_real("i_floor", self.i_floor, -0.5 < float(self.i_floor) < 0.5,
                   "-0.5 < i_floor < 0.5")
        steady_i = (1 / float(self.beta)) * (1 + float(self.pibar)) - 1
        if not float(self.i_floor) < steady_i:
            raise ParameterError("i_floor", f"i_floor < the steady nominal rate {steady_i:.6g}",
                                 self.i_floor)
        check_real("tax_repay", self.tax_repay, 0 <= float(self.tax_repay) <= 1,
                   "0 <= tax_repay <= 1")
        if not isinstance(self.nominal_debt, bool | np.bool_):
            raise ParameterError("nominal_debt", "True or False", self.nominal_debt)

    @property
    def chi_s(self) -> float:
        return 1.0 - self.chi_b

    @property
    def rbar(self) -> float:
        """Steady real rate 1/beta - 1."""
        return 1.0 / self.beta - 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class PathKind(StrEnum):
    """Shape of the debt-limit path after the surprise at t = 0."""

    ONE_OFF = "one-off"
    LINEAR = "linear"
    GEOMETRIC = "geometric"


@dataclass(frozen=True, kw_only=True)
class DebtLimitPath:
    r"""The announced path of the aggregate debt limit :math:`\chi_b D_t`, t = 0, 1, ...

    ``one-off``: :math:`D_t = D_{low}` from t = 0. ``linear``: equal steps over ``years``,
    :math:`D_t = D_{high} + (D_{low} - D_{high})(t + 1)/N` for t < N. ``geometric``: a gap that
    shrinks by the factor ``decay`` each year and closes exactly at t = N - 1,
    :math:`D_t = D_{low} + (D_{high} - D_{low})(\rho^{t+1} - \rho^N)/(1 - \rho^N)`.
    Every path reaches :math:`D_{low}` at t = N - 1 and stays there.
    """

    debt_high: float
    debt_low: float
    kind: PathKind | str = PathKind.GEOMETRIC
    years: int = 10
    decay: float = 0.7

    def __post_init__(self) -> None:
        dh = check_real("debt_high", self.debt_high, float(self.debt_high) >= 0, "debt_high >= 0")
        check_real("debt_low", self.debt_low, 0 <= float(self.debt_low) <= dh,
                   f"0 <= debt_low <= debt_high (= {dh:g})")
        try:
            kind = PathKind(self.kind)
        except ValueError:
            raise ParameterError("kind", "one of " + ", ".join(k.value for k in PathKind),
                                 self.kind) from None
        object.__setattr__(self, "kind", kind)
        check_int("years", self.years, 1, 500)
        check_real("decay", self.decay, 0 < float(self.decay) < 1, "0 < decay < 1")

    @property
    def length(self) -> int:
        """Periods until the limit reaches debt_low (1 for a one-off cut)."""
        return 1 if self.kind is PathKind.ONE_OFF else int(self.years)

    def levels(self, periods: int) -> NDArray[np.float64]:
        """Aggregate debt limit for t = 0..periods-1 (share of annual output)."""
        t = np.arange(periods, dtype=np.float64)
        dh, dl, n = float(self.debt_high), float(self.debt_low), float(self.length)
        if self.kind is PathKind.ONE_OFF:
            frac = np.zeros(periods)
        elif self.kind is PathKind.LINEAR:
            frac = np.clip(1.0 - (t + 1.0) / n, 0.0, 1.0)
        else:
            rho = float(self.decay)
            frac = np.where(t < n, (rho ** (t + 1.0) - rho**n) / (1.0 - rho**n), 0.0)
        return dl + (dh - dl) * frac

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind"] = PathKind(self.kind).value
        return d


def check_steady_states(params: PathParams, debt: DebtLimitPath) -> None:
    """Borrowers' steady-state consumption 1 - (1 - beta) D must be positive before and after."""
    dmax = float(debt.debt_high) / params.chi_b
    if not 1 - (1 - params.beta) * dmax > 0:
        raise ParameterError("debt_high", f"(1 - beta)*debt_high/chi_b < 1 (borrowers' steady "
                             f"consumption > 0), i.e. debt_high < "
                             f"{params.chi_b / (1 - params.beta):.6g}", debt.debt_high)
