"""The steady state of the basic economy (Proposition 1).

With the nominal anchor p = 1:  qH = alpha y/(R-1) (11); deposits D = qH/R; bank capital
K = s = alpha y/R (K = s_0 = alpha beta y); dividends Div = (R-1)K (5); household spending
s = (R-1)D; firm profits Pi = (1-alpha) y (7); firm leverage R qH/Pi = alpha/(1-alpha) R/(R-1) (12);
bank leverage D/K = 1/(R-1) (13). The bank balance sheet is loans qH = deposits D + capital K.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.models.vonpeter.params import Params

__all__ = ["SteadyState", "steady_state"]

Arr = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SteadyState:
    """Steady-state values (Proposition 1); arrays broadcast over the parameters' shape."""

    params: Params
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

    KEYS = ("p", "q", "asset_value", "deposits", "bank_capital", "household_spending",
            "firm_profits", "bank_dividends", "firm_leverage", "bank_leverage")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in self.KEYS:
            v = np.asarray(getattr(self, k))
            out[k] = float(v) if v.ndim == 0 else v.tolist()
        return out

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
    qH = a * y / (R - 1.0)
    K = a * y / R
    D = qH / R
    shape = params.shape
    one = np.ones(shape)
    return SteadyState(
        params=params,
        p=one,
        q=qH / H * one,
        asset_value=qH * one,
        deposits=D * one,
        bank_capital=K * one,
        household_spending=(R - 1.0) * D * one,
        firm_profits=(1.0 - a) * y * one,
        bank_dividends=(R - 1.0) * K * one,
        firm_leverage=a / (1.0 - a) * R / (R - 1.0) * one,
        bank_leverage=1.0 / (R - 1.0) * one,
    )
