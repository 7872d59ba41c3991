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
y         output f(H)                              y > 0, finite
H         the fixed asset stock                    H > 0, finite
tau       :math:`\\tau`, permanent productivity     0 <= tau <= 1
          shock from t on
========  =======================================  =====================================

Every field may be a scalar or an array; arrays broadcast against each other and against the
shock ``tau`` passed to the solvers. Values are converted first (a non-numeric value is an error
naming the field), then checked: NaN and ±inf are rejected for every field. Parameters so close
to the boundary of the box that the model's quantities leave floating point (alpha so close to
R - 1 that delta* rounds to 1, an asset value alpha y/(R-1) that overflows) are rejected too,
naming the parameter to move (alpha must keep 1 - delta* above 1e-12).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import as_float, readonly, require
from bsrlab.models.vonpeter.closed import asset_value, delta_star, price_level

__all__ = ["Params", "check_tau"]

FloatArray = NDArray[np.float64]

_FIELDS = ("alpha", "beta", "gamma", "y", "H")
#: How far below 1 delta* must stay: closer, and rounding makes 1 - delta* zero in some of the
#: model's expressions (the complex-step derivatives among them).
_DELTA_STAR_MARGIN = 1e-12
_REAL = "a real number"


def _as_float(name: str, value: object) -> FloatArray:
    """Convert ``value`` to a read-only float array (NaN and inf kept for the range checks).

    Booleans, complex numbers, None and non-numeric strings are not real numbers here.
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(name, _REAL, value) from None
    kind = raw.dtype.kind
    if kind in "iuf":
        with np.errstate(all="ignore"):
            out = np.array(raw, dtype=np.float64)
    elif kind in "OUS":
        flat = raw.ravel().tolist()
        conv = [as_float(v) for v in flat]
        bad = [i for i, v in enumerate(conv) if v is None]
        if bad:
            detail = (f"{len(bad)} of {len(flat)} elements fail, first at flat index {bad[0]}"
                      if raw.ndim else "")
            raise ParameterError(name, _REAL, flat[bad[0]], detail)
        out = np.array(conv, dtype=np.float64).reshape(raw.shape)
    else:
        first = raw.ravel()[0].item() if raw.size else value
        raise ParameterError(name, _REAL, first)
    out += 0.0  # -0.0 -> 0.0, so that equal parameters hash alike
    return readonly(out)


def _check(name: str, value: FloatArray, ok: Any, rule: str) -> None:
    """Range rule first (NaN fails it), then finiteness for what the rule lets through."""
    require(name, value, ok, rule)
    require(name, value, np.isfinite(value), f"{rule} (a finite real number)")


def check_tau(tau: ArrayLike) -> FloatArray:
    """Validate the shock: 0 <= tau <= 1 elementwise; return it as a read-only float array."""
    t = _as_float("tau", tau)
    with np.errstate(invalid="ignore"):
        require("tau", t, (t >= 0.0) & (t <= 1.0), "0 <= tau <= 1")
    return t


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class Params:
    """Structural parameters; ``R = 1/beta``. Validated on construction.

    Fields are stored as read-only float arrays. Two parameter sets are equal when every field
    has the same shape and values, and equal parameters hash alike, so they can key a dict.
    Use :func:`dataclasses.replace` (or :meth:`replace`) for variations; ``from_R`` builds the
    parameters from the gross rate R instead of beta.

    Examples
    --------
    >>> p = Params(alpha=0.5, beta=1 / 1.05, gamma=0.0)
    >>> round(float(p.R), 6)
    1.05
    >>> p == Params(alpha=0.5, beta=1 / 1.05) and len({p, Params(alpha=0.5, beta=1 / 1.05)})
    1
    """

    alpha: ArrayLike
    beta: ArrayLike
    gamma: ArrayLike = 0.0
    y: ArrayLike = 1.0
    H: ArrayLike = 1.0

    def __post_init__(self) -> None:
        beta = _as_float("beta", self.beta)
        gamma = _as_float("gamma", self.gamma)
        alpha = _as_float("alpha", self.alpha)
        y = _as_float("y", self.y)
        H = _as_float("H", self.H)
        with np.errstate(invalid="ignore"):
            _check("beta", beta, (beta > 0.0) & (beta < 1.0), "0 < beta < 1")
            _check("gamma", gamma, (gamma >= 0.0) & (gamma < 1.0), "0 <= gamma < 1")
        try:
            shape = np.broadcast_shapes(alpha.shape, beta.shape, gamma.shape, y.shape, H.shape)
        except ValueError:
            raise ParameterError(
                "alpha, beta, gamma, y, H", "shapes that broadcast together",
                (alpha.shape, beta.shape, gamma.shape, y.shape, H.shape)) from None
        R = 1.0 / beta
        with np.errstate(invalid="ignore"):
            ok = (alpha > R - 1.0) & (alpha < 1.0)
        if not np.all(ok):
            self._alpha_error(alpha, R, ok, "R - 1 < alpha < 1")
        with np.errstate(invalid="ignore"):
            _check("y", y, y > 0.0, "y > 0")
            _check("H", H, H > 0.0, "H > 0")
        for name, arr in (("alpha", alpha), ("beta", beta), ("gamma", gamma), ("y", y), ("H", H)):
            object.__setattr__(self, name, arr)
        self._check_floating_point(alpha, R, gamma, y, H, shape)

    @staticmethod
    def _alpha_error(alpha: FloatArray, R: FloatArray, ok: Any, rule: str) -> None:
        """Raise for the first alpha failing ``ok``, quoting R - 1 at that point."""
        Rb = np.broadcast_to(R, np.broadcast_shapes(R.shape, alpha.shape, np.shape(ok)))
        bad = ~np.broadcast_to(ok, Rb.shape)
        first = int(np.flatnonzero(bad.ravel())[0])
        r_first = float(Rb.ravel()[first])
        require("alpha", np.broadcast_to(alpha, Rb.shape), ~bad,
                f"{rule} (here R - 1 = {r_first - 1.0:.6g})")

    def _check_floating_point(self, alpha: FloatArray, R: FloatArray, gamma: FloatArray,
                              y: FloatArray, H: FloatArray, shape: tuple[int, ...]) -> None:
        """Reject admissible points whose model quantities leave floating point."""
        with np.errstate(all="ignore"):
            ds = delta_star(alpha, R, gamma)
            pn = price_level(-ds, gamma)  # p_bar_{t+1} = (1 - delta*)^e
            qH = asset_value(alpha, R, y)
            RqH = R * qH
            amounts = 4.0 * (RqH + y)
            q = qH / H
        ok_ds = np.broadcast_to(ds < 1.0 - _DELTA_STAR_MARGIN, shape)
        if not np.all(ok_ds):
            self._alpha_error(alpha, R, ok_ds, "R - 1 < alpha < 1 with alpha far enough above "
                              "R - 1 that delta* = (R-1)[(R/alpha)^(1-gamma) - 1] < 1 - "
                              f"{_DELTA_STAR_MARGIN:g}")
        require("gamma", np.broadcast_to(gamma, shape), np.isfinite(pn),
                "0 <= gamma < 1 with p_{t+1} = (1 - delta*)^(gamma/(gamma-1)) finite in "
                "floating point")
        # Every amount of the model (receipts, losses, balance sheets) is below 4 (R qH + y).
        require("y", np.broadcast_to(y, shape), np.isfinite(amounts),
                "y > 0 small enough that the model's amounts, at most 4 (R qH + y) with "
                "qH = alpha y/(R-1), are finite")
        require("H", np.broadcast_to(H, shape), np.isfinite(q),
                "H > 0 large enough that q = qH/H is finite")

    @classmethod
    def from_R(cls, *, alpha: ArrayLike, R: ArrayLike, gamma: ArrayLike = 0.0,
               y: ArrayLike = 1.0, H: ArrayLike = 1.0) -> Params:
        """Build parameters from the gross natural rate R = 1/beta (R > 1)."""
        Rf = _as_float("R", R)
        with np.errstate(invalid="ignore"):
            _check("R", Rf, Rf > 1.0, "R > 1")
        return cls(alpha=alpha, beta=1.0 / Rf, gamma=gamma, y=y, H=H)

    # Fields are stored as float arrays after validation; these accessors give typed views.
    @property
    def a(self) -> FloatArray:
        """alpha as a float array."""
        return self.alpha  # type: ignore[return-value]

    @property
    def R(self) -> FloatArray:
        """Gross natural rate R = 1/beta."""
        return 1.0 / np.asarray(self.beta, dtype=np.float64)

    @property
    def g(self) -> FloatArray:
        """gamma as a float array."""
        return self.gamma  # type: ignore[return-value]

    @property
    def e(self) -> FloatArray:
        """The price-level exponent gamma/(gamma - 1) of (23) and (31); <= 0."""
        g = self.g
        return g / (g - 1.0)

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the fields."""
        return np.broadcast_shapes(*(np.shape(getattr(self, f)) for f in _FIELDS))

    @property
    def is_scalar(self) -> bool:
        """Whether every field is a scalar."""
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

    def _key(self) -> tuple[tuple[tuple[int, ...], bytes], ...]:
        arrays = (np.asarray(getattr(self, f)) for f in _FIELDS)
        return tuple((a.shape, a.tobytes()) for a in arrays)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Params):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        d = self.to_dict()
        inner = ", ".join(f"{k}={d[k]!r}" for k in _FIELDS)
        return f"Params({inner})"
