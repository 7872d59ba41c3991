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
from bsrlab.core.validate import choice, flag, integer, real

__all__ = ["DebtLimitPath", "PathKind", "PathParams"]


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, kw_only=True, slots=True)
class PathParams:
    """Structural parameters of the many-period model (annual); validated on construction.

    Every field is converted first (``"0.5"`` is read as 0.5) and then checked; a value that is
    not a finite real number in its admissible range raises
    :class:`~bsrlab.core.errors.ParameterError` naming the field.
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

    def __post_init__(self) -> None:
        _set(self, "beta", real("beta", self.beta, lo=0, hi=1, lo_open=True, hi_open=True))
        _set(self, "sigma", real("sigma", self.sigma, lo=0, lo_open=True))
        _set(self, "chi_b", real("chi_b", self.chi_b, lo=0, hi=1, lo_open=True, hi_open=True))
        _set(self, "kappa", real("kappa", self.kappa, lo=0))
        _set(self, "phi_pi", real("phi_pi", self.phi_pi, lo=1, lo_open=True,
                                  rule="phi_pi > 1 (Taylor principle)"))
        _set(self, "phi_y", real("phi_y", self.phi_y, lo=0))
        _set(self, "pibar", real("pibar", self.pibar, lo=-0.5, hi=0.5, lo_open=True,
                                 hi_open=True))
        _set(self, "i_floor", real("i_floor", self.i_floor, lo=-0.5, hi=0.5, lo_open=True,
                                   hi_open=True))
        steady_i = (1 / self.beta) * (1 + self.pibar) - 1
        if not self.i_floor < steady_i:
            raise ParameterError("i_floor", f"i_floor < the steady nominal rate {steady_i:.6g}",
                                 self.i_floor)
        _set(self, "tax_repay", real("tax_repay", self.tax_repay, lo=0, hi=1))
        _set(self, "nominal_debt", flag("nominal_debt", self.nominal_debt))

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


@dataclass(frozen=True, kw_only=True, slots=True)
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
        dh = real("debt_high", self.debt_high, lo=0)
        _set(self, "debt_high", dh)
        _set(self, "debt_low", real("debt_low", self.debt_low, lo=0, hi=dh,
                                    rule=f"0 <= debt_low <= debt_high (= {dh:g})"))
        kind = self.kind.value if isinstance(self.kind, PathKind) else self.kind
        _set(self, "kind", PathKind(choice("kind", kind, [k.value for k in PathKind])))
        _set(self, "years", integer("years", self.years, lo=1, hi=500))
        _set(self, "decay", real("decay", self.decay, lo=0, hi=1, lo_open=True, hi_open=True))

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
