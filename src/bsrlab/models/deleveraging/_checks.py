"""Validation helpers shared by the deleveraging modules: every failure is a ParameterError."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError

__all__ = ["as_array", "check_int", "check_real", "require"]


def check_real(name: str, value: Any, ok: bool | None = None, admissible: str = "") -> float:
    """Return ``value`` as a finite float; raise ParameterError unless it is one (and ``ok``)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, admissible or "a real number", value) from None
    if not math.isfinite(v):
        raise ParameterError(name, admissible or "a finite real number", value)
    if ok is not None and not ok:
        raise ParameterError(name, admissible, value)
    return v


def check_int(name: str, value: Any, lo: int, hi: int | None = None) -> int:
    """Return ``value`` as an int in [lo, hi]; raise ParameterError otherwise."""
    adm = f"an integer with {lo} <= {name}" + (f" <= {hi}" if hi is not None else "")
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ParameterError(name, adm, value)
    v = int(value)
    if v < lo or (hi is not None and v > hi):
        raise ParameterError(name, adm, value)
    return v


def as_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """``value`` as a float array; a non-numeric value raises ParameterError."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, "a real number or an array of real numbers", value) from None


def require(name: str, value: ArrayLike, ok: ArrayLike, admissible: str) -> None:
    """Raise ParameterError naming the first element of ``value`` where ``ok`` fails (NaN fails)."""
    v, okb = np.broadcast_arrays(np.asarray(value, dtype=np.float64), np.asarray(ok, dtype=bool))
    bad = ~okb
    if not np.any(bad):
        return
    if v.ndim == 0:
        raise ParameterError(name, admissible, float(v))
    flat = np.flatnonzero(bad.ravel())
    raise ParameterError(name, admissible, float(v.ravel()[flat[0]]),
                         f"{flat.size} of {v.size} elements fail, first at flat index {flat[0]}")
