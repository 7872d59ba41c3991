"""Distributions over the parameters and the shock, truncated to the admissible box.

One syntax, shared by ``bsrlab risk`` and ``bsrlab sweep`` (TOML values):

==========================================  ===============================================
TOML                                        distribution
==========================================  ===============================================
``0.5``                                     fixed at 0.5
``{ uniform = [low, high] }``               uniform on [low, high]
``{ normal = [mean, sd] }``                 normal, truncated to the admissible box
``{ lognormal = [mu, sigma] }``             exp(normal(mu, sigma)), truncated to the box
``{ beta = [a, b] }``                       beta(a, b) on (0, 1)
``{ exponential = { mean = m } }``          exponential with mean m, truncated to the box
``{ triangular = [low, mode, high] }``      triangular
==========================================  ===============================================

Each distribution has a closed-form (or special-function) CDF :meth:`Distribution.cdf` and its
inverse :meth:`Distribution.ppf`, both vectorised: samples are ``ppf(u)`` of uniform (or
quasi-random) points ``u``. A bounded distribution (uniform, beta, triangular) must lie inside
the admissible box; an unbounded one (normal, lognormal, exponential) is truncated to it and
must keep some probability there. Anything else is a :class:`ParameterError` naming the
parameter, the rule and the value.

Examples
--------
>>> d = parse("tau", {"exponential": {"mean": 0.03}}, Box(0.0, 1.0))
>>> round(float(d.cdf(0.03)), 6)  # 1 - e^-1, renormalised to [0, 1]
0.632121
>>> round(float(d.ppf(d.cdf(0.1))), 12)
0.1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from bsrlab.core.errors import ConfigError, ParameterError

__all__ = ["KINDS", "Box", "Distribution", "parse"]

Arr = NDArray[np.float64]

#: The distribution names of the TOML syntax.
KINDS: tuple[str, ...] = ("fixed", "uniform", "normal", "lognormal", "beta", "exponential",
                          "triangular")


@dataclass(frozen=True, slots=True)
class Box:
    """The admissible interval of a parameter; ``lo_open``/``hi_open`` exclude the ends."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, lo: float, hi: float) -> bool:
        """Whether [lo, hi] lies in the box (an open end may be touched only with zero mass)."""
        ok_lo = lo > self.lo or (lo == self.lo and not self.lo_open)
        ok_hi = hi < self.hi or (hi == self.hi and not self.hi_open)
        return ok_lo and ok_hi

    def text(self, name: str) -> str:
        """The box as a rule, e.g. ``0 <= gamma < 1``."""
        lo = "<" if self.lo_open else "<="
        hi = "<" if self.hi_open else "<="
        if math.isinf(self.hi):
            return f"{name} {'>' if self.lo_open else '>='} {self.lo:g}"
        return f"{self.lo:g} {lo} {name} {hi} {self.hi:g}"


@dataclass(frozen=True, slots=True)
class Distribution:
    """A univariate distribution, possibly truncated to [lo, hi].

    ``kind`` is one of :data:`KINDS`; ``args`` its parameters as given; ``lo``, ``hi`` the
    support after truncation. For the truncated kinds the base CDF is renormalised over
    [lo, hi].
    """

    name: str
    kind: str
    args: tuple[float, ...]
    lo: float
    hi: float

    @property
    def is_fixed(self) -> bool:
        """Whether the value is a constant."""
        return self.kind == "fixed"

    @property
    def value(self) -> float:
        """The constant of a fixed distribution (else its median)."""
        return self.args[0] if self.is_fixed else float(self.ppf(0.5))

    def describe(self) -> str:
        """``uniform [0.3, 0.9]``, ``fixed 1.05``, ..."""
        if self.kind == "exponential":
            return f"exponential (mean {self.args[0]:g})"
        return f"{self.kind} [{', '.join(f'{a:g}' for a in self.args)}]"

    # -- the base distribution, before truncation ---------------------------------------------

    def _base_cdf(self, x: Arr) -> Arr:
        k, a = self.kind, self.args
        if k == "uniform":
            return np.clip((x - a[0]) / (a[1] - a[0]), 0.0, 1.0)
        if k == "normal":
            return special.ndtr((x - a[0]) / a[1])
        if k == "lognormal":
            with np.errstate(divide="ignore"):
                lx = np.log(np.maximum(x, 0.0))
            return special.ndtr((lx - a[0]) / a[1])
        if k == "beta":
            return special.betainc(a[0], a[1], np.clip(x, 0.0, 1.0))
        if k == "exponential":
            return -np.expm1(-np.maximum(x, 0.0) / a[0])
        if k == "triangular":
            lo, mode, hi = a
            x = np.clip(x, lo, hi)
            left = np.where(mode > lo, (x - lo) ** 2 / ((hi - lo) * max(mode - lo, 1e-300)), 0.0)
            right = 1.0 - (hi - x) ** 2 / ((hi - lo) * max(hi - mode, 1e-300))
            return np.where(x < mode, left, np.where(hi > mode, right, 1.0))
        raise AssertionError(k)

    def _base_ppf(self, u: Arr) -> Arr:
        k, a = self.kind, self.args
        if k == "uniform":
            return a[0] + u * (a[1] - a[0])
        if k == "normal":
            return a[0] + a[1] * special.ndtri(u)
        if k == "lognormal":
            return np.exp(a[0] + a[1] * special.ndtri(u))
        if k == "beta":
            return special.betaincinv(a[0], a[1], u)
        if k == "exponential":
            return -a[0] * np.log1p(-u)
        if k == "triangular":
            lo, mode, hi = a
            c = (mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
            right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode))
            return np.where(u < c, left, right)
        raise AssertionError(k)

    @property
    def _truncated(self) -> bool:
        return self.kind in ("normal", "lognormal", "exponential")

    def _mass(self) -> tuple[float, float]:
        lo, hi = np.array([self.lo]), np.array([self.hi])
        return float(self._base_cdf(lo)[0]), float(self._base_cdf(hi)[0])

    # -- the distribution as used --------------------------------------------------------------

    def cdf(self, x: ArrayLike) -> Arr:
        """P(X <= x), vectorised (for the truncated kinds: renormalised over [lo, hi])."""
        xa = np.asarray(x, dtype=np.float64)
        if self.is_fixed:
            return np.where(xa >= self.args[0], 1.0, 0.0)
        if not self._truncated:
            return self._base_cdf(xa)
        f_lo, f_hi = self._mass()
        xc = np.clip(xa, self.lo, self.hi)
        return np.clip((self._base_cdf(xc) - f_lo) / (f_hi - f_lo), 0.0, 1.0)

    def sf(self, x: ArrayLike) -> Arr:
        """P(X > x) = 1 - cdf(x)."""
        return 1.0 - self.cdf(x)

    def ppf(self, u: ArrayLike) -> Arr:
        """The inverse CDF at ``u`` in (0, 1), vectorised; values stay in [lo, hi]."""
        ua = np.asarray(u, dtype=np.float64)
        if self.is_fixed:
            return np.full(ua.shape, self.args[0])
        if self.kind == "uniform":  # lo + u (hi - lo) stays in [lo, hi] for u in [0, 1]
            x = ua * (self.args[1] - self.args[0])
            x += self.args[0]
            return np.minimum(x, self.hi, out=x) if x.ndim else np.minimum(x, self.hi)
        if self._truncated:
            f_lo, f_hi = self._mass()
            ua = f_lo + ua * (f_hi - f_lo)
        x = np.asarray(self._base_ppf(ua), dtype=np.float64)
        if x.ndim == 0:
            return np.minimum(np.maximum(x, self.lo), self.hi)
        np.maximum(x, self.lo, out=x)
        return np.minimum(x, self.hi, out=x)


def _numbers(name: str, kind: str, spec: Any, count: int) -> tuple[float, ...]:
    if isinstance(spec, dict) or not isinstance(spec, list | tuple) or len(spec) != count:
        raise ConfigError(f"{name}: {kind} takes a list of {count} numbers; got {spec!r}")
    out = []
    for v in spec:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ConfigError(f"{name}: {kind} takes finite numbers; got {spec!r}")
        out.append(float(v))
    return tuple(out)


def parse(name: str, spec: Any, box: Box) -> Distribution:
    """A :class:`Distribution` of the parameter ``name`` from its TOML value.

    Parameters
    ----------
    name
        The parameter (``alpha``, ``R``, ``gamma``, ``tau``, ...), for messages.
    spec
        A number, or a one-key table as in the module's table.
    box
        The parameter's admissible interval.

    Raises
    ------
    ConfigError
        An unknown distribution name or a malformed value.
    ParameterError
        An impossible distribution: a bounded one reaching outside the box, a truncated one
        with no mass in the box, a non-positive scale, low >= high.
    """
    rule = box.text(name)
    if isinstance(spec, bool):
        raise ConfigError(f"{name}: expected a number or a distribution table; got {spec!r}")
    if isinstance(spec, int | float):
        x = float(spec)
        if not math.isfinite(x) or not box.contains(x, x):
            raise ParameterError(name, rule, x)
        return Distribution(name, "fixed", (x,), x, x)
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ConfigError(f"{name}: expected a number or a table with one of "
                          f"{', '.join(KINDS[1:])}; got {spec!r}")
    ((kind, arg),) = spec.items()
    if kind not in KINDS[1:]:
        raise ConfigError(f"{name}: unknown distribution '{kind}'; expected one of "
                          f"{', '.join(KINDS[1:])}")
    if kind == "exponential":
        if not isinstance(arg, dict) or set(arg) != {"mean"}:
            raise ConfigError(f"{name}: exponential takes {{ mean = m }}; got {arg!r}")
        (m,) = _numbers(name, kind, [arg["mean"]], 1)
        if not m > 0.0:
            raise ParameterError(f"{name} exponential mean", "mean > 0", m)
        args: tuple[float, ...] = (m,)
        lo, hi = max(box.lo, 0.0), box.hi
    elif kind == "triangular":
        args = _numbers(name, kind, arg, 3)
        if not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
            raise ParameterError(f"{name} triangular", "low <= mode <= high, low < high",
                                 list(args))
        lo, hi = args[0], args[2]
    else:
        args = _numbers(name, kind, arg, 2)
        if kind == "uniform":
            if not args[0] < args[1]:
                raise ParameterError(f"{name} uniform", "low < high", list(args))
            lo, hi = args
        elif kind == "beta":
            if not (args[0] > 0.0 and args[1] > 0.0):
                raise ParameterError(f"{name} beta", "a > 0 and b > 0", list(args))
            lo, hi = 0.0, 1.0
        else:  # normal, lognormal: [location, scale]
            if not args[1] > 0.0:
                raise ParameterError(f"{name} {kind}", "sd > 0" if kind == "normal"
                                     else "sigma > 0", list(args))
            lo, hi = box.lo, box.hi
            if kind == "lognormal":
                lo = max(lo, 0.0)
    d = Distribution(name, kind, args, float(lo), float(hi))
    if kind in ("uniform", "triangular", "beta"):
        if kind == "beta":  # the open ends (0, 1) carry no mass
            ok = box.contains(0.0, 1.0) or (box.lo <= 0.0 and box.hi >= 1.0)
        else:
            ok = box.contains(lo, hi)
        if not ok:
            raise ParameterError(name, f"{rule} for every value of the distribution",
                                 f"{d.describe()}")
    else:
        f_lo, f_hi = d._mass()
        if not f_hi - f_lo > 1e-12:
            raise ParameterError(name, f"{rule} with some probability (the distribution is "
                                 "truncated to the range)", d.describe())
    return d
