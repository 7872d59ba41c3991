"""Spread tools: the loan-rate spread of a capital crunch, its range and its inversion.

In a capital crunch the loan rate prices the assets at the constrained value (27):
(R_t - 1)/(R - 1) = (1 - tau)/(1 - tau*), so the spread R_t - R falls linearly in the shock from
its largest value (R - 1) tau*/(1 - tau*) at tau = 0 to zero at tau = tau*, where the crunch is
the fundamental outcome; beyond tau* only the banking crisis remains (R_t infinite). An observed
spread inside [0, (R - 1) tau*/(1 - tau*)] therefore maps to exactly one shock,

    tau = 1 - (1 - tau*)(R + spread - 1)/(R - 1),

and a spread above the range is one the calibrated crunch cannot produce.

Examples
--------
>>> from bsrlab.models.vonpeter.params import Params
>>> p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
>>> round(float(spread_range(p)[1]), 6)  # 0.05 * 0.055 / 0.945
0.00291
>>> inv = invert_spread(p, 0.001)
>>> round(float(inv.tau), 6), bool(inv.inside)
(0.0361, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.result import Diagnostics, Result
from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.thresholds import tau_star

__all__ = ["SpreadInversion", "crunch_spread", "invert_spread", "spread_range"]

Arr = NDArray[np.float64]


def crunch_spread(params: Params, tau: ArrayLike) -> Arr:
    """The crunch loan-rate spread R_t - R of (27) at the shock tau (NaN beyond tau*)."""
    t = check_tau(tau)
    a, R, g = params.a, params.R, params.g
    ts = tau_star(a, R, g)
    rate = closed.crunch_loan_rate(t, R, ts)
    return np.where(t <= ts, rate - R, np.nan)


def spread_range(params: Params) -> tuple[Arr, Arr]:
    """(lowest, highest) crunch spread of the calibration: (0, (R - 1) tau*/(1 - tau*))."""
    a, R, g = params.a, params.R, params.g
    ts = tau_star(a, R, g)
    return np.zeros_like(ts * 1.0), (R - 1.0) * ts / (1.0 - ts)


@dataclass(frozen=True, kw_only=True, eq=False)
class SpreadInversion(Result[Params]):
    """Observed spreads mapped to shocks: ``tau`` (NaN outside the range), ``inside`` flags,
    the range ``lowest``/``highest`` and ``delta_star`` (the crunch decline)."""

    KEYS: ClassVar[tuple[str, ...]] = ("spread", "tau", "inside", "lowest", "highest",
                                       "delta_star")

    spread: Arr
    tau: Arr
    inside: NDArray[np.bool_]
    lowest: Arr
    highest: Arr
    delta_star: Arr

    def to_dict(self) -> dict[str, Any]:
        return self.plain_outputs()


def invert_spread(params: Params, spread: ArrayLike) -> SpreadInversion:
    """The shock that an observed crunch spread implies, or NaN where it is out of range.

    Parameters
    ----------
    params
        The calibration.
    spread
        Observed loan-rate spreads over R (fractions: 0.05 is 5 percentage points).
    """
    sp = np.asarray(spread, dtype=np.float64)
    if np.any(~np.isfinite(sp)):
        raise ParameterError("spread", "a finite real number", float(sp[~np.isfinite(sp)][0])
                             if sp.ndim else float(sp))
    a, R, g = params.a, params.R, params.g
    lo, hi = spread_range(params)
    ts = tau_star(a, R, g)
    inside = (sp >= lo) & (sp <= hi * (1.0 + 1e-12))
    tau = 1.0 - (1.0 - ts) * (R + sp - 1.0) / (R - 1.0)
    tau = np.where(inside, np.clip(tau, 0.0, 1.0), np.nan)
    ds = closed.delta_star(a, R, g) * np.ones_like(tau)
    return SpreadInversion(params=params, diagnostics=Diagnostics(True, 0, 0.0, "closed-form"),
                           spread=sp * np.ones_like(tau), tau=tau, inside=np.asarray(inside),
                           lowest=lo * np.ones_like(tau), highest=hi * np.ones_like(tau),
                           delta_star=ds)
