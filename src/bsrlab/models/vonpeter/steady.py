"""The steady state of the basic economy (Proposition 1).

With the nominal anchor p = 1:  qH = alpha y/(R-1) (11); deposits D = qH/R; bank capital
K = s = alpha y/R (K = s_0 = alpha beta y); dividends Div = (R-1)K (5); household spending
s = (R-1)D; firm profits Pi = (1-alpha) y (7); firm leverage R qH/Pi = alpha/(1-alpha) R/(R-1) (12);
bank leverage D/K = 1/(R-1) (13). The bank balance sheet is loans qH = deposits D + capital K.
Each closed form is a function of :mod:`bsrlab.models.vonpeter.closed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.outputs import STEADY_STATE_KEYS
from bsrlab.models.vonpeter.params import Params

__all__ = ["SteadyState", "steady_state"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True, eq=False)
class SteadyState(Result[Params]):
    """Steady-state values (Proposition 1); read-only arrays of the parameters' shape."""

    KEYS: ClassVar[tuple[str, ...]] = STEADY_STATE_KEYS

    p: Arr
    q: Arr
    asset_value: Arr
    deposits: Arr
    bank_capital: Arr
    household_spending: Arr
    firm_profits: Arr
    bank_dividends: Arr
    firm_leverage: Arr
    bank_leverage: Arr

    def to_dict(self) -> dict[str, Any]:
        """The outputs in ``KEYS`` order: floats for scalar parameters, lists for arrays."""
        return self.plain_outputs()

    def residuals(self) -> dict[str, Arr]:
        """Identities of the steady state; each is zero up to round-off.

        ``balance_sheet``: qH - D - K; ``goods_market``: p y - (s + Pi + Div);
        ``permanent_income``: s - (R-1) D; ``asset_pricing``: (R-1) qH - alpha p y (from (6)).
        """
        p = self.params
        R, y, a = p.R, np.asarray(p.y, dtype=float), p.a
        return {
            "balance_sheet": self.asset_value - self.deposits - self.bank_capital,
            "goods_market": self.p * y
            - (self.household_spending + self.firm_profits + self.bank_dividends),
            "permanent_income": self.household_spending - (R - 1.0) * self.deposits,
            "asset_pricing": (R - 1.0) * self.asset_value - a * self.p * y,
        }


def steady_state(params: Params) -> SteadyState:
    """Steady state of Proposition 1 (vectorised over array parameters)."""
    a, R = params.a, params.R
    y = np.asarray(params.y, dtype=np.float64)
    H = np.asarray(params.H, dtype=np.float64)
    qH = closed.asset_value(a, R, y)
    one = np.ones(params.shape)
    return SteadyState(
        params=params,
        diagnostics=Diagnostics(True, 0, 0.0, "closed-form"),
        p=one,
        q=qH / H * one,
        asset_value=qH * one,
        deposits=closed.deposits(a, R, y) * one,
        bank_capital=closed.bank_capital(a, R, y) * one,
        household_spending=closed.household_spending(a, R, y) * one,
        firm_profits=closed.firm_profits(a, y) * one,
        bank_dividends=closed.bank_dividends(a, R, y) * one,
        firm_leverage=closed.firm_leverage(a, R) * one,
        bank_leverage=closed.bank_leverage(R) * one,
    )
