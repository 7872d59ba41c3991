r"""The endowment economy with a one-period deleveraging shock (flexible prices).

Two types of equal mass, log utility: borrowers (impatient, :math:`\beta_b < \beta`) and savers
(:math:`\beta`). Each receives the endowment :math:`Y/2`. Borrowers face a limit on the face value
of the debt they carry into the next period, :math:`(1 + r_t) D_t \le D`, and, being impatient,
borrow up to it.

Steady state
------------
The savers' Euler equation :math:`1/c_s = \beta (1 + r)/c_s` gives :math:`1 + r = 1/\beta`. A
borrower at the limit borrows :math:`D/(1 + r) = \beta D` and repays :math:`D` each period, so

.. math::  c_b = Y/2 - (1 - \beta) D, \qquad c_s = Y/2 + (1 - \beta) D

(savers receive what borrowers pay; goods market :math:`c_b + c_s = Y`).

The short run (equation S)
--------------------------
A surprise, permanent cut of the limit from :math:`D_{high}` to :math:`D_{low}` forces borrowers to
repay the old debt and borrow only :math:`D_{low}/(1 + r_S)`:

.. math::  c_{b,S} = Y/2 + D_{low}/(1 + r_S) - D_{high}/P_S,

where :math:`P_S` is the price level at which the old debt is repaid (1 for real debt; with nominal
debt a lower price level raises its real value: the Fisher debt deflation). Goods-market clearing
gives :math:`c_{s,S} = Y - c_{b,S} = Y/2 - D_{low}/(1 + r_S) + D_{high}/P_S`. From the next period
on the economy is in the new steady state, :math:`c_{s,L} = Y/2 + (1 - \beta) D_{low}`. The
savers' Euler equation between S and L, :math:`c_{s,L} = \beta (1 + r_S) c_{s,S}`, reads

.. math::
    Y/2 + (1 - \beta) D_{low} = \beta (1 + r_S)(Y/2 + D_{high}/P_S) - \beta D_{low},

hence the short-run natural rate

.. math::  1 + r_S = \frac{Y/2 + D_{low}}{\beta\,(Y/2 + D_{high}/P_S)}.

It is negative exactly when :math:`\beta D_{high}/P_S - D_{low} > (1 - \beta) Y/2`, and it falls
as :math:`P_S` falls (debt deflation), since the denominator rises.

Admissible inputs: :math:`0 < \beta < 1`, :math:`Y > 0`, :math:`P_S > 0`,
:math:`0 \le D_{low} \le D_{high}`, and both steady states and the short run must leave borrowers
positive consumption (:math:`c_b > 0`, :math:`c_{b,S} > 0`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result, verify
from bsrlab.core.validate import array, require
from bsrlab.models.deleveraging.outputs import ENDOWMENT_KEYS

__all__ = [
    "EndowmentParams",
    "EndowmentResult",
    "natural_rate_endowment",
    "natural_rate_is_negative",
    "solve_endowment",
]

Arr = NDArray[np.float64]


def natural_rate_endowment(beta: ArrayLike, d_high: ArrayLike, d_low: ArrayLike,
                           y: ArrayLike = 1.0, price_level: ArrayLike = 1.0) -> Arr:
    r"""Short-run natural rate :math:`r_S = (Y/2 + D_{low})/(\beta (Y/2 + D_{high}/P_S)) - 1`.

    Closed form of section 1 (derivation in the module docstring); broadcasts over its inputs.
    """
    b, dh, dl = np.asarray(beta, float), np.asarray(d_high, float), np.asarray(d_low, float)
    yh, p = np.asarray(y, float) / 2.0, np.asarray(price_level, float)
    return np.asarray((yh + dl) / (b * (yh + dh / p)) - 1.0, dtype=np.float64)


def natural_rate_is_negative(beta: ArrayLike, d_high: ArrayLike, d_low: ArrayLike,
                             y: ArrayLike = 1.0, price_level: ArrayLike = 1.0) -> NDArray[np.bool_]:
    r"""The condition :math:`\beta D_{high}/P_S - D_{low} > (1 - \beta) Y/2` for :math:`r_S < 0`."""
    b = np.asarray(beta, float)
    lhs = b * np.asarray(d_high, float) / np.asarray(price_level, float) - np.asarray(d_low, float)
    return np.asarray(lhs > (1.0 - b) * np.asarray(y, float) / 2.0)


_FIELDS = ("beta", "d_high", "d_low", "y", "price_level")


@dataclass(frozen=True, kw_only=True, eq=False, slots=True)
class EndowmentParams:
    """Parameters of the endowment economy; scalars or arrays that broadcast together.

    ``beta`` savers' discount factor, ``d_high``/``d_low`` the debt limit (face value per
    borrower) before and after the shock, ``y`` the total endowment (each type gets y/2),
    ``price_level`` the price level P_S at which the old debt is repaid (1 = real debt).

    Each field is stored as a read-only float64 array (0-d for a scalar). Two parameter sets
    are equal when their arrays have the same shapes and values, and hash accordingly.
    """

    beta: ArrayLike
    d_high: ArrayLike
    d_low: ArrayLike
    y: ArrayLike = 1.0
    price_level: ArrayLike = 1.0

    def __post_init__(self) -> None:
        beta = array("beta", self.beta, lo=0, hi=1, lo_open=True, hi_open=True)
        y = array("y", self.y, lo=0, lo_open=True)
        p = array("price_level", self.price_level, lo=0, lo_open=True)
        dh = array("d_high", self.d_high, lo=0)
        dl = array("d_low", self.d_low, lo=0)
        shapes = {"beta": beta.shape, "d_high": dh.shape, "d_low": dl.shape, "y": y.shape,
                  "price_level": p.shape}
        try:
            np.broadcast_shapes(*shapes.values())
        except ValueError:
            raise ParameterError("d_high", "arrays whose shapes broadcast together (beta, "
                                 "d_high, d_low, y, price_level)", shapes) from None
        require("d_low", dl, dl <= dh, "0 <= d_low <= d_high")
        require("d_high", dh, y / 2 - (1 - beta) * dh > 0,
                "(1 - beta) * d_high < y/2 (borrowers' steady-state consumption > 0)")
        r = natural_rate_endowment(beta, dh, dl, y, p)
        cb = y / 2 + dl / (1 + r) - dh / p
        require("d_high", dh, cb > 0,
                "y/2 + d_low/(1 + r_S) - d_high/price_level > 0 (borrowers' short-run "
                "consumption > 0)")
        for name, arr in (("beta", beta), ("d_high", dh), ("d_low", dl), ("y", y),
                          ("price_level", p)):
            object.__setattr__(self, name, arr)

    def _key(self) -> tuple[Any, ...]:
        arrs = [np.asarray(getattr(self, f)) for f in _FIELDS]
        return tuple((a.shape, a.tobytes()) for a in arrs)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def to_dict(self) -> dict[str, Any]:
        """The fields as floats (scalars) or nested lists (arrays)."""
        return {f: np.asarray(getattr(self, f)).tolist() for f in _FIELDS}


_OUTPUTS = ENDOWMENT_KEYS


@dataclass(frozen=True, kw_only=True, eq=False)
class EndowmentResult(Result[EndowmentParams]):
    """Short run S and long run L of the endowment economy (closed forms, section 1).

    The arrays are read-only. ``diagnostics`` (method ``closed form``) records the largest
    relative residual of the savers' Euler equation between S and L at the solution.
    """

    KEYS: ClassVar[tuple[str, ...]] = _OUTPUTS

    natural_rate: Arr
    c_borrower_short: Arr
    c_saver_short: Arr
    c_borrower_long: Arr
    c_saver_long: Arr
    steady_rate: Arr
    natural_rate_negative: NDArray[np.bool_]

    def to_dict(self) -> dict[str, Any]:
        """Plain values (floats for scalars, lists for arrays)."""
        def conv(v: Any) -> Any:
            a = np.asarray(v)
            if a.ndim:
                return a.tolist()
            return bool(a) if a.dtype == bool else float(a)
        return {k: conv(getattr(self, k)) for k in _OUTPUTS}

    def to_frame(self) -> Any:
        """One row per parameter point (flattened broadcast shape)."""
        import pandas as pd

        cols = ("natural_rate", "c_borrower_short", "c_saver_short", "c_borrower_long",
                "c_saver_long", "steady_rate", "natural_rate_negative")
        arrs = np.broadcast_arrays(*(np.asarray(getattr(self, c)) for c in cols))
        return pd.DataFrame({c: a.ravel() for c, a in zip(cols, arrs, strict=True)})


def solve_endowment(params: EndowmentParams) -> EndowmentResult:
    """Solve the endowment economy in closed form (no iteration; exact).

    The solution is verified: the savers' Euler equation between S and L,
    :math:`c_{s,L} = \\beta (1 + r_S) c_{s,S}`, must hold to a relative 1e-10, else
    :class:`~bsrlab.core.errors.ConvergenceError` is raised.
    """
    if not isinstance(params, EndowmentParams):
        raise ParameterError("params", "an EndowmentParams", type(params).__name__)
    b, dh, dl = (np.asarray(params.beta), np.asarray(params.d_high), np.asarray(params.d_low))
    y, p = np.asarray(params.y), np.asarray(params.price_level)
    r = natural_rate_endowment(b, dh, dl, y, p)
    cb_s = y / 2 + dl / (1 + r) - dh / p
    cs_s = y - cb_s
    cb_l = y / 2 - (1 - b) * dl
    cs_l = y / 2 + (1 - b) * dl
    euler = np.abs(b * (1 + r) * cs_s / cs_l - 1.0)
    diag = verify(Diagnostics(True, 0, float(np.max(euler)), "closed form"), 1e-10,
                  what="endowment economy (Euler equation between S and L)")
    return EndowmentResult(
        params=params, diagnostics=diag, natural_rate=r,
        c_borrower_short=np.asarray(cb_s, float), c_saver_short=np.asarray(cs_s, float),
        c_borrower_long=np.asarray(cb_l, float), c_saver_long=np.asarray(cs_l, float),
        steady_rate=np.asarray(1 / b - 1, float),
        natural_rate_negative=natural_rate_is_negative(b, dh, dl, y, p))
