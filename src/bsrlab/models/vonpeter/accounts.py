"""Balance sheet mechanics (Figure 6): the bank's T-accounts at t-, during t and at t+.

Entering t (balance sheet t-), loans and deposits carry the interest due: loans R qH against
deposits R D and capital R K. While markets are open, four transactions occur:

1. new firms borrow q_t H and pay it to old firms for their assets (new loans; old firms' deposits);
2. households spend s_t of their deposits on old firms' output;
3. the bank spends its dividends Div_t on output (capital falls by Div_t, old firms' deposits rise);
4. loan losses lambda are written off loans and bank capital.

Old firms' accumulated deposits q_t H + s_t + Div_t then repay the performing loans R qH - lambda
(they are equal by (15) and (20)), which leaves balance sheet t+: loans q_t H against deposits
R D - s_t and capital R K - lambda - Div_t. Every stage balances.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.params import Params
from bsrlab.models.vonpeter.solve import solve

__all__ = ["TAccount", "TAccounts", "t_accounts"]


@dataclass(frozen=True, slots=True)
class TAccount:
    """One bank balance sheet: named asset and liability entries (label, symbol, value)."""

    stage: str
    title: str
    assets: tuple[tuple[str, str, float], ...]
    liabilities: tuple[tuple[str, str, float], ...]

    @property
    def total_assets(self) -> float:
        return float(sum(v for _, _, v in self.assets))

    @property
    def total_liabilities(self) -> float:
        return float(sum(v for _, _, v in self.liabilities))

    @property
    def imbalance(self) -> float:
        """Assets minus liabilities; zero up to round-off."""
        return self.total_assets - self.total_liabilities

    def to_dict(self) -> dict[str, Any]:
        """The balance sheet as JSON-ready values."""
        def side(entries: tuple[tuple[str, str, float], ...]) -> list[dict[str, Any]]:
            return [{"entry": n, "symbol": s, "value": v} for n, s, v in entries]
        return {"stage": self.stage, "title": self.title, "assets": side(self.assets),
                "liabilities": side(self.liabilities)}

    def to_frame(self) -> Any:
        """One row per entry: stage, side, entry, symbol, value."""
        import pandas as pd

        rows = [{"stage": self.stage, "side": "assets", "entry": n, "symbol": s, "value": v}
                for n, s, v in self.assets]
        rows += [{"stage": self.stage, "side": "liabilities", "entry": n, "symbol": s, "value": v}
                 for n, s, v in self.liabilities]
        return pd.DataFrame(rows)


@dataclass(frozen=True, kw_only=True, eq=False)
class TAccounts(Result[Params]):
    """The sequence of balance sheets: ``t-``, after each transaction (``t1``..``t4``), ``t+``.

    ``t4`` is the balance sheet "t" of Figure 6 (all four transactions done, before repayment).
    ``diagnostics`` are those of the solve behind the entries.
    """

    KEYS: ClassVar[tuple[str, ...]] = ("tau", "stages")

    tau: float
    stages: tuple[TAccount, ...]

    def __getitem__(self, stage: str) -> TAccount:
        for acc in self.stages:
            if acc.stage == stage:
                return acc
        raise KeyError(stage)

    @property
    def max_imbalance(self) -> float:
        """The largest |assets - liabilities| over the stages; zero up to round-off."""
        return max(abs(acc.imbalance) for acc in self.stages)

    def to_dict(self) -> dict[str, Any]:
        """The shock and every stage's balance sheet, JSON-ready."""
        return {"tau": self.tau, "stages": [acc.to_dict() for acc in self.stages]}

    def to_frame(self) -> Any:
        """Every stage's entries, one row per entry."""
        import pandas as pd

        return pd.concat([acc.to_frame() for acc in self.stages], ignore_index=True)


def t_accounts(params: Params, tau: ArrayLike) -> TAccounts:
    """The bank's T-accounts of Figure 6 for a scalar calibration and shock."""
    if not params.is_scalar or np.ndim(tau) != 0:
        raise ParameterError("params, tau", "scalars for the T-accounts",
                             f"shapes {params.shape} and {np.shape(tau)}")
    sol = solve(params, tau)
    R = float(params.R)
    a = float(np.asarray(params.alpha))
    y = float(np.asarray(params.y))
    qH = float(closed.asset_value(a, R, y))
    D = float(closed.deposits(a, R, y))
    K = float(closed.bank_capital(a, R, y))
    qtH = float(sol.asset_value_t)
    s_t = float(sol.s_t)
    lam = float(sol.loan_losses)
    div = float(sol.bank_dividends_t)

    loans_old = ("loans to old firms, with interest", "R qH", R * qH)
    dep_h = ("households' deposits, with interest", "R D", R * D)
    cap = ("bank capital, with interest", "R K", R * K)
    new_loans = ("loans to new firms", "q_t H", qtH)
    dep_f1 = ("old firms' deposits", "q_t H", qtH)
    dep_h2 = ("households' deposits", "R D - s_t", R * D - s_t)
    dep_f2 = ("old firms' deposits", "q_t H + s_t", qtH + s_t)
    dep_f3 = ("old firms' deposits", "q_t H + s_t + Div_t", qtH + s_t + div)
    cap3 = ("bank capital", "R K - Div_t", R * K - div)
    loans_old4 = ("performing loans to old firms", "R qH - lambda", R * qH - lam)
    cap4 = ("bank capital", "R K - lambda - Div_t", R * K - lam - div)
    stages = (
        TAccount("t-", "entering t", (loans_old,), (dep_h, cap)),
        TAccount("t1", "(1) new firms borrow and buy the assets", (loans_old, new_loans),
                 (dep_h, dep_f1, cap)),
        TAccount("t2", "(2) households spend on output", (loans_old, new_loans),
                 (dep_h2, dep_f2, cap)),
        TAccount("t3", "(3) the bank spends its dividends", (loans_old, new_loans),
                 (dep_h2, dep_f3, cap3)),
        TAccount("t4", "(4) loan losses are written off", (loans_old4, new_loans),
                 (dep_h2, dep_f3, cap4)),
        TAccount("t+", "old firms repay; carried to t+1", (new_loans,), (dep_h2, cap4)),
    )
    return TAccounts(params=params, diagnostics=sol.diagnostics, tau=float(np.asarray(tau)),
                     stages=stages)
