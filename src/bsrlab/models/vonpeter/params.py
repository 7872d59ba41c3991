"""Parameters of the von Peter (2004) model, validated on construction.

========  =======================================  =====================================
code      paper                                    admissible
========  =======================================  =====================================
alpha     :math:`\\alpha`, output elasticity of     R - 1 < alpha < 1 (footnote 20)
          assets (drives firm leverage, eq. 12)
beta      :math:`\\beta`, discount factor,          0 < beta < 1
          R = 1/beta the gross natural rate
gamma     :math:`\\gamma`, CRRA coefficient,        0 <= gamma < 1
          "deflationary tendency"
y         output f(H)                              y > 0
H         the fixed asset stock                    H > 0
tau       :math:`\\tau`, permanent productivity     0 <= tau <= 1
          shock from t on
========  =======================================  =====================================

Every field may be a scalar or an array; arrays broadcast against each other and against the
shock ``tau`` passed to the solvers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError

__all__ = ["Params", "check_tau"]

FloatArray = NDArray[np.float64]


def _first_bad(value: NDArray[Any], bad: NDArray[np.bool_]) -> tuple[object, str]:
    """Return the first offending value and a note on how many failed (for arrays)."""
    if value.ndim == 0:
        return float(value), ""
    flat = np.flatnonzero(bad.ravel())
    first = value.ravel()[flat[0]]
    return float(first), f"{flat.size} of {value.size} elements fail, first at flat index {flat[0]}"


def _as_float(name: str, value: ArrayLike) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, "a real number", value) from None
    return arr


def _require(name: str, value: FloatArray, ok: NDArray[np.bool_], admissible: str) -> None:
    bad = ~ok  # NaN fails every comparison, so it is caught here too
    if np.any(bad):
        first, detail = _first_bad(value, bad)
        raise ParameterError(name, admissible, first, detail)


def check_tau(tau: ArrayLike) -> FloatArray:
    """Validate the shock: 0 <= tau <= 1 elementwise; return it as a float array."""
    t = _as_float("tau", tau)
    _require("tau", t, (t >= 0.0) & (t <= 1.0), "0 <= tau <= 1")
    return t


@dataclass(frozen=True, kw_only=True, eq=False)
class Params:
    """Structural parameters; ``R = 1/beta``. Validated on construction.

    Use :func:`dataclasses.replace` (or :meth:`replace`) for variations. ``from_R`` builds the
    parameters from the gross rate R instead of beta.

    Examples
    --------
    >>> p = Params(alpha=0.5, beta=1 / 1.05, gamma=0.0)
    >>> round(float(p.R), 6)
    1.05
    """

    alpha: ArrayLike
    beta: ArrayLike
    gamma: ArrayLike = 0.0
    y: ArrayLike = 1.0
    H: ArrayLike = 1.0

    def __post_init__(self) -> None:
        beta = _as_float("beta", self.beta)
        _require("beta", beta, (beta > 0.0) & (beta < 1.0), "0 < beta < 1")
        gamma = _as_float("gamma", self.gamma)
        _require("gamma", gamma, (gamma >= 0.0) & (gamma < 1.0), "0 <= gamma < 1")
        alpha = _as_float("alpha", self.alpha)
        y = _as_float("y", self.y)
        H = _as_float("H", self.H)
        try:
            np.broadcast_shapes(alpha.shape, beta.shape, gamma.shape, y.shape, H.shape)
        except ValueError:
            raise ParameterError(
                "alpha, beta, gamma, y, H", "shapes that broadcast together",
                (alpha.shape, beta.shape, gamma.shape, y.shape, H.shape)) from None
        R = 1.0 / beta
        ok = (alpha > R - 1.0) & (alpha < 1.0)
        if np.any(~ok):
            Rb = np.broadcast_to(R, np.broadcast_shapes(R.shape, alpha.shape))
            bad = ~np.broadcast_to(ok, Rb.shape)
            first = np.flatnonzero(bad.ravel())[0]
            r_first = float(Rb.ravel()[first])
            _require("alpha", np.broadcast_to(alpha, Rb.shape), ~bad,
                     f"R - 1 < alpha < 1 (here R - 1 = {r_first - 1.0:.6g})")
        _require("y", y, y > 0.0, "y > 0")
        _require("H", H, H > 0.0, "H > 0")
        for name, arr in (("alpha", alpha), ("beta", beta), ("gamma", gamma), ("y", y), ("H", H)):
            object.__setattr__(self, name, arr)

    @classmethod
    def from_R(cls, *, alpha: ArrayLike, R: ArrayLike, gamma: ArrayLike = 0.0,
               y: ArrayLike = 1.0, H: ArrayLike = 1.0) -> Params:
        """Build parameters from the gross natural rate R = 1/beta (R > 1)."""
        Rf = _as_float("R", R)
        _require("R", Rf, Rf > 1.0, "R > 1")
        return cls(alpha=alpha, beta=1.0 / Rf, gamma=gamma, y=y, H=H)

    # Fields are stored as float arrays after validation; these accessors give typed views.
    @property
    def a(self) -> FloatArray:
        return self.alpha  # type: ignore[return-value]

    @property
    def R(self) -> FloatArray:
        """Gross natural rate R = 1/beta."""
        return 1.0 / np.asarray(self.beta, dtype=np.float64)

    @property
    def g(self) -> FloatArray:
        return self.gamma  # type: ignore[return-value]

    @property
    def e(self) -> FloatArray:
        """The price-level exponent gamma/(gamma - 1) of (23) and (31); <= 0."""
        g = self.g
        return g / (g - 1.0)

    @property
    def shape(self) -> tuple[int, ...]:
        return np.broadcast_shapes(*(np.shape(v) for v in
                                     (self.alpha, self.beta, self.gamma, self.y, self.H)))

    @property
    def is_scalar(self) -> bool:
        return self.shape == ()

    def replace(self, **changes: ArrayLike) -> Params:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (floats for scalars, lists for arrays), R included."""
        def conv(v: ArrayLike) -> Any:
            a = np.asarray(v)
            return float(a) if a.ndim == 0 else a.tolist()
        return {"alpha": conv(self.alpha), "beta": conv(self.beta), "R": conv(self.R),
                "gamma": conv(self.gamma), "y": conv(self.y), "H": conv(self.H)}

    def __repr__(self) -> str:
        d = self.to_dict()
        inner = ", ".join(f"{k}={d[k]!r}" for k in ("alpha", "beta", "gamma", "y", "H"))
        return f"Params({inner})"
