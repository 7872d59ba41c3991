"""Calibration of (alpha, R, gamma) from observables, documented and overridable.

Two named calibrations (:data:`CALIBRATIONS`):

``collateral`` (the default). Bank credit is a fraction phi (the aggregate loan-to-value) of
the value of the collateral behind it, so the model's asset value is qH/y = c/phi with c bank
credit to GDP. Then alpha = (R - 1) c/phi, the economy is admissible when
phi < c < phi/(R - 1), and at gamma = 0 the capital-crunch threshold is
delta* = R phi/c - (R - 1). phi is set ex ante (central 0.3, band 0.2-0.5), never fitted to an
outcome; the band is reported as a range of delta*. R = 1/(1 - k) from the bank capital ratio k
from 1950 on; before 1950, or where k is missing, R - 1 is the rent yield of housing, else the
documented constant 5% (the paper's R = 1.05), and the calibration says which was used. gamma is 0
ex ante (the paper's footnote 41); the ``collateral_deflation`` variant takes it from the
trailing CPI drawdown (data up to the calibration year only). Outside the admissible box the
model is not evaluated: :func:`calibrate` raises a ParameterError and the vectorised
:func:`collateral_frame` returns NaN with ``admissible`` False.

``literal``: the calibration described below, kept by name.

The stylised model ties every balance-sheet ratio to three numbers (Proposition 1):

- bank capital over assets K/qH = (R - 1)/R   (13)  =>  R = 1/(1 - k) from the capital ratio k;
- the real return on assets is R - 1            =>  R = 1 + r from a real interest rate r;
- asset value (= bank loans) over output qH/y = alpha/(R - 1)   (11)  =>  alpha = (R - 1) c from
  credit/GDP c;
- firm leverage R qH/Pi = alpha/(1 - alpha) R/(R - 1)   (12)  =>  alpha = x/(1 + x) with
  x = leverage (R - 1)/R;
- the price level at t once losses reach bank capital p_t = (R/alpha)^(-gamma)   (24)  =>
  gamma = -log(1 - d)/log(R/alpha) from the observed deflation d.

Where the model and the data cannot both be matched
---------------------------------------------------
The admissible box needs R - 1 < alpha < 1 (footnote 20), i.e. credit/GDP c > 1: in the model the
whole asset stock is bank-financed and firms' profits (1 - alpha)y absorb losses before banks lose.
Bank credit to the private sector was below annual GDP in most country-years of the JST data
(Japan 1990: 0.94; Finland 1990: 0.72; US 1929: 0.48). Then no admissible alpha reproduces both the
bank capital ratio and credit/GDP. The calibration says so (``matched['credit_gdp'] = False``
and a note) and uses the nearest admissible economy, qH/y = ``min_asset_ratio`` (1.01 by default),
whose capital-crunch threshold delta* is close to 1: the model then predicts that no realistic
asset price decline can force a capital crunch. The diagnosis reports the credit/GDP the model
would need for delta* to equal the observed decline. A deflation too large for gamma < 1 is capped
at ``gamma_max`` and flagged the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import real
from bsrlab.models.vonpeter import Params
from bsrlab.models.vonpeter.closed import (
    alpha_from_asset_ratio,
    alpha_from_firm_leverage,
    asset_value,
    capital_ratio,
    delta_star,
    firm_leverage,
    gamma_from_deflation,
    p_bar_t,
    rate_from_capital_ratio,
)

__all__ = ["CALIBRATIONS", "DEFAULT_REAL_RETURN", "MODERN_YEAR", "PHI", "PHI_BAND", "Calibration",
           "CalibrationSpec", "Observables", "calibrate", "calibration_spec", "collateral_frame",
           "collateral_rate"]

_R_METHODS = ("collateral", "capital_ratio", "rate", "fixed")
_ALPHA_METHODS = ("collateral", "credit_gdp", "firm_leverage", "fixed")
_GAMMA_METHODS = ("zero", "trailing_deflation", "deflation", "fixed")

#: The aggregate loan-to-value of the collateral stock: central value and band (set ex ante).
PHI = 0.3
PHI_BAND = (0.2, 0.5)
#: From this year on R comes from the bank capital ratio (before it, from the rent yield).
MODERN_YEAR = 1950
#: R - 1 where neither the capital ratio (from 1950) nor the rent yield is observed.
DEFAULT_REAL_RETURN = 0.05
#: How R was set, by code (the ``R_source`` column of :func:`collateral_frame`).
R_SOURCES = ("capital_ratio", "rent_yield", "constant")

#: The paper's illustrative economy (Section 4.2, footnote 41): used when nothing is observed.
PAPER_R = 1.05
PAPER_ALPHA = 0.25


@dataclass(frozen=True, kw_only=True)
class Observables:
    """The observed ratios a calibration may target (fractions; None when not observed).

    Parameters
    ----------
    capital_ratio
        Bank capital over total assets, 0 < k < 1.
    real_rate
        A real interest rate (e.g. the long rate less inflation).
    credit_gdp
        Bank credit to the non-financial private sector over GDP, > 0.
    firm_leverage
        Firms' debt service over profits R qH/Pi, > 0.
    deflation
        The largest cumulative fall of the price level in the episode, 0 <= d < 1 (it looks
        ahead of the calibration year: the ``literal`` calibration uses it).
    trailing_deflation
        The largest fall of the price level in the ten years up to the calibration year.
    rent_yield
        The rent yield of housing (JST ``housing_rent_yd``), 0 < r < 1.
    year
        The calibration year (chooses the source of R in the ``collateral`` calibration).
    """

    capital_ratio: float | None = None
    real_rate: float | None = None
    credit_gdp: float | None = None
    firm_leverage: float | None = None
    deflation: float | None = None
    trailing_deflation: float | None = None
    rent_yield: float | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        checks = (("capital_ratio", "0 < capital_ratio < 1", lambda v: 0.0 < v < 1.0),
                  ("real_rate", "-1 < real_rate < 1", lambda v: -1.0 < v < 1.0),
                  ("credit_gdp", "credit_gdp > 0", lambda v: v > 0.0),
                  ("firm_leverage", "firm_leverage > 0", lambda v: v > 0.0),
                  ("deflation", "0 <= deflation < 1", lambda v: 0.0 <= v < 1.0),
                  ("trailing_deflation", "0 <= trailing_deflation < 1",
                   lambda v: 0.0 <= v < 1.0),
                  ("rent_yield", "0 < rent_yield < 1", lambda v: 0.0 < v < 1.0))
        if self.year is not None and not isinstance(self.year, int):
            raise ParameterError("year", "an integer year", self.year)
        for name, rule, ok in checks:
            if getattr(self, name) is None:
                continue
            v = _convert(name, getattr(self, name), rule)
            object.__setattr__(self, name, v)
            if not ok(v):
                raise ParameterError(name, rule, v)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True, kw_only=True)
class CalibrationSpec:
    """How to calibrate; explicit values override the methods.

    ``R_method``: ``collateral`` (default: the capital ratio from 1950, else the rent yield,
    else 5%), ``capital_ratio``, ``rate`` or ``fixed`` (needs ``R``).
    ``alpha_method``: ``collateral`` (default: alpha = (R - 1) c/phi), ``credit_gdp``
    (alpha = (R - 1) c), ``firm_leverage`` or ``fixed`` (needs ``alpha``).
    ``gamma_method``: ``zero`` (default), ``trailing_deflation``, ``deflation`` (within the
    episode) or ``fixed`` (needs ``gamma``).
    ``phi``: the aggregate loan-to-value of the collateral method, 0 < phi < 1.
    ``min_asset_ratio``: the qH/y used when credit/GDP is inadmissible (> 1; literal only).
    ``min_real_rate``: floor of R - 1 for the rate method (> 0).
    ``gamma_max``: cap of gamma (< 1).
    ``name``: the calibration's name in outputs.

    Examples
    --------
    >>> CalibrationSpec().alpha_method, calibration_spec("literal").alpha_method
    ('collateral', 'credit_gdp')
    """

    R_method: str = "collateral"
    alpha_method: str = "collateral"
    gamma_method: str = "zero"
    R: float | None = None
    alpha: float | None = None
    gamma: float | None = None
    phi: float = PHI
    min_asset_ratio: float = 1.01
    min_real_rate: float = 0.005
    gamma_max: float = 0.95
    name: str = "collateral"

    def __post_init__(self) -> None:
        object.__setattr__(self, "phi", _convert("phi", self.phi, "0 < phi < 1"))
        if not 0.0 < self.phi < 1.0:
            raise ParameterError("phi", "0 < phi < 1", self.phi)
        for name, allowed in (("R_method", _R_METHODS), ("alpha_method", _ALPHA_METHODS),
                              ("gamma_method", _GAMMA_METHODS)):
            if getattr(self, name) not in allowed:
                raise ParameterError(name, "one of " + ", ".join(allowed), getattr(self, name))
        for name, rule in (("R", "R > 1"), ("alpha", "0 < alpha < 1"),
                           ("gamma", "0 <= gamma < 1"), ("min_asset_ratio", "min_asset_ratio > 1"),
                           ("min_real_rate", "min_real_rate > 0"),
                           ("gamma_max", "0 <= gamma_max < 1")):
            if getattr(self, name) is not None or name.startswith(("min_", "gamma_max")):
                object.__setattr__(self, name, _convert(name, getattr(self, name), rule))
        if self.R is not None and not (math.isfinite(self.R) and self.R > 1.0):
            raise ParameterError("R", "R > 1", self.R)
        if self.alpha is not None and not (math.isfinite(self.alpha) and 0 < self.alpha < 1):
            raise ParameterError("alpha", "0 < alpha < 1", self.alpha)
        if self.gamma is not None and not (math.isfinite(self.gamma) and 0 <= self.gamma < 1):
            raise ParameterError("gamma", "0 <= gamma < 1", self.gamma)
        if not (math.isfinite(self.min_asset_ratio) and self.min_asset_ratio > 1.0):
            raise ParameterError("min_asset_ratio", "min_asset_ratio > 1", self.min_asset_ratio)
        if not (math.isfinite(self.min_real_rate) and self.min_real_rate > 0.0):
            raise ParameterError("min_real_rate", "min_real_rate > 0", self.min_real_rate)
        if not (math.isfinite(self.gamma_max) and 0.0 <= self.gamma_max < 1.0):
            raise ParameterError("gamma_max", "0 <= gamma_max < 1", self.gamma_max)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def collateral_rate(capital_ratio: ArrayLike, rent_yield: ArrayLike, year: ArrayLike
                    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """(R, source code) of the collateral calibration, vectorised.

    R = 1/(1 - k) from the capital ratio k from :data:`MODERN_YEAR` on; otherwise
    R = 1 + rent yield; otherwise R = 1 + :data:`DEFAULT_REAL_RETURN`. The code indexes
    :data:`R_SOURCES`.

    Examples
    --------
    >>> R, src = collateral_rate([0.05, 0.05, np.nan], [0.04, 0.04, np.nan], [1990, 1900, 1900])
    >>> np.round(R, 4).tolist(), src.tolist()
    ([1.0526, 1.04, 1.05], [0, 1, 2])
    """
    k = np.asarray(capital_ratio, dtype=np.float64)
    r = np.asarray(rent_yield, dtype=np.float64)
    yr = np.asarray(year, dtype=np.float64)
    k, r, yr = np.broadcast_arrays(k, r, yr)
    use_k = (yr >= MODERN_YEAR) & np.isfinite(k) & (k > 0.0) & (k < 1.0)
    use_r = ~use_k & np.isfinite(r) & (r > 0.0) & (r < 1.0)
    with np.errstate(all="ignore"):
        R = np.where(use_k, 1.0 / (1.0 - np.where(use_k, k, 0.0)),
                     np.where(use_r, 1.0 + np.where(use_r, r, 0.0), 1.0 + DEFAULT_REAL_RETURN))
    src = np.where(use_k, 0, np.where(use_r, 1, 2)).astype(np.int64)
    return R, src


def collateral_frame(credit_gdp: ArrayLike, R: ArrayLike, phi: float = PHI,
                     gamma: ArrayLike = 0.0) -> dict[str, NDArray[np.float64]]:
    """alpha, delta* and admissibility of the collateral calibration, vectorised.

    Rows outside the admissible box (phi < c < phi/(R - 1)) get NaN: the model is never
    evaluated there. ``admissible`` is a float array of 0/1 (NaN where c or R is missing).

    Examples
    --------
    >>> out = collateral_frame([0.9, 0.2], 1.05, 0.3)
    >>> np.round(out["delta_star"], 4).tolist(), out["admissible"].tolist()
    ([0.3, nan], [1.0, 0.0])
    """
    c = np.asarray(credit_gdp, dtype=np.float64)
    Rv = np.asarray(R, dtype=np.float64)
    g = np.asarray(gamma, dtype=np.float64)
    c, Rv, g = np.broadcast_arrays(c, Rv, g)
    known = np.isfinite(c) & np.isfinite(Rv) & np.isfinite(g)
    with np.errstate(all="ignore"):
        ok = known & (c > phi) & (c * (Rv - 1.0) < phi) & (Rv > 1.0)
        alpha = np.where(ok, (Rv - 1.0) * c / phi, np.nan)
        dstar = np.where(ok, delta_star(np.where(ok, alpha, 0.5), Rv, g), np.nan)
    return {"alpha": alpha, "delta_star": dstar,
            "admissible": np.where(known, ok.astype(np.float64), np.nan)}


@dataclass(frozen=True, kw_only=True)
class Calibration:
    """A calibrated economy: the parameters, how each was obtained and what it reproduces.

    ``methods`` says how R, alpha and gamma were set; ``targets`` holds the observed values
    aimed at and ``fitted`` the model's value of the same ratio; ``matched`` says whether each
    target is reproduced; ``notes`` explains every mismatch and fallback in words.
    """

    params: Params
    R: float
    alpha: float
    gamma: float
    methods: dict[str, str]
    targets: dict[str, float]
    fitted: dict[str, float]
    matched: dict[str, bool]
    notes: tuple[str, ...] = field(default_factory=tuple)
    name: str = "collateral"
    phi: float | None = None

    @property
    def all_matched(self) -> bool:
        return all(self.matched.values())

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "alpha": self.alpha, "R": self.R, "beta": 1.0 / self.R,
                "gamma": self.gamma, "phi": self.phi,
                "methods": dict(self.methods), "targets": dict(self.targets),
                "fitted": dict(self.fitted), "matched": dict(self.matched),
                "notes": list(self.notes)}


def _convert(name: str, value: Any, rule: str) -> float:
    """``value`` as a float; non-numeric and non-finite values are a ParameterError naming
    ``name`` and its ``rule``."""
    try:
        return real(name, value)
    except ParameterError:
        raise ParameterError(name, f"{rule} (a finite real number)", value) from None


def _need(name: str, value: float | None, method: str) -> float:
    if value is None:
        raise ParameterError(name, f"an observed value (needed by the '{method}' method)", None)
    return value


def calibrate(obs: Observables, spec: CalibrationSpec | None = None) -> Calibration:
    """Calibrate (alpha, R, gamma) to ``obs`` following ``spec`` (see the module docstring).

    Raises
    ------
    ParameterError
        When a method needs an observable that is missing, or the result is inadmissible even
        after the documented fallbacks (e.g. a fixed alpha below R - 1).
    """
    spec = spec or CalibrationSpec()
    notes: list[str] = []
    targets: dict[str, float] = {}
    fitted: dict[str, float] = {}
    matched: dict[str, bool] = {}
    methods: dict[str, str] = {}

    # --- R ---------------------------------------------------------------------------------
    if spec.R is not None or spec.R_method == "fixed":
        R = _need("R", spec.R, "fixed")
        methods["R"] = "fixed"
    elif spec.R_method == "collateral":
        year = obs.year if obs.year is not None else MODERN_YEAR
        Ra, src = collateral_rate(np.nan if obs.capital_ratio is None else obs.capital_ratio,
                                  np.nan if obs.rent_yield is None else obs.rent_yield, year)
        R = float(Ra)
        how = R_SOURCES[int(src)]
        if how == "capital_ratio":
            methods["R"] = f"collateral: capital ratio from {MODERN_YEAR}, (R-1)/R = K/qH (13)"
            targets["capital_ratio"] = float(obs.capital_ratio)  # type: ignore[arg-type]
            fitted["capital_ratio"] = float(capital_ratio(R))
            matched["capital_ratio"] = True
        elif how == "rent_yield":
            methods["R"] = "collateral: R - 1 = the rent yield of housing"
            targets["rent_yield"] = float(obs.rent_yield)  # type: ignore[arg-type]
            fitted["rent_yield"] = R - 1.0
            matched["rent_yield"] = True
            notes.append(f"R - 1 from the rent yield ({R - 1.0:.4f}): "
                         + (f"before {MODERN_YEAR} the capital ratio is not used"
                            if year < MODERN_YEAR else "no bank capital ratio"))
        else:
            methods["R"] = f"collateral: R - 1 = {DEFAULT_REAL_RETURN} (a documented constant)"
            notes.append(f"neither a usable capital ratio nor a rent yield: R - 1 = "
                         f"{DEFAULT_REAL_RETURN}, the paper's R = 1.05")
    elif spec.R_method == "capital_ratio":
        k = _need("capital_ratio", obs.capital_ratio, "capital_ratio")
        R = float(rate_from_capital_ratio(k))
        methods["R"] = "capital_ratio: (R-1)/R = K/qH (13)"
        targets["capital_ratio"] = k
        fitted["capital_ratio"] = float(capital_ratio(R))
        matched["capital_ratio"] = True
    else:
        r = _need("real_rate", obs.real_rate, "rate")
        R = 1.0 + max(r, spec.min_real_rate)
        methods["R"] = "rate: R - 1 = real interest rate"
        targets["real_rate"] = r
        fitted["real_rate"] = R - 1.0
        matched["real_rate"] = r >= spec.min_real_rate
        if r < spec.min_real_rate:
            notes.append(f"the real rate {r:.4f} is below the floor {spec.min_real_rate}: "
                         f"R - 1 set to {spec.min_real_rate}")

    # --- alpha -----------------------------------------------------------------------------
    if spec.alpha is not None or spec.alpha_method == "fixed":
        alpha = _need("alpha", spec.alpha, "fixed")
        methods["alpha"] = "fixed"
    elif spec.alpha_method == "collateral":
        c = _need("credit_gdp", obs.credit_gdp, "collateral")
        phi = spec.phi
        methods["alpha"] = f"collateral: qH/y = credit/GDP / phi, phi = {phi:g}"
        if not (phi < c < phi / (R - 1.0)):
            raise ParameterError(
                "credit_gdp", f"phi < credit_gdp < phi/(R - 1) (here {phi:g} < c < "
                f"{phi / (R - 1.0):.6g}): outside the admissible box the model is not evaluated",
                c)
        alpha = (R - 1.0) * c / phi
        targets["credit_gdp"] = c
        fitted["credit_gdp"] = phi * float(asset_value(alpha, R))
        matched["credit_gdp"] = True
    elif spec.alpha_method == "credit_gdp":
        c = _need("credit_gdp", obs.credit_gdp, "credit_gdp")
        methods["alpha"] = "credit_gdp: qH/y = alpha/(R-1) (11)"
        targets["credit_gdp"] = c
        alpha = float(alpha_from_asset_ratio(c, R))
        if alpha <= R - 1.0 or alpha >= 1.0:
            lo = spec.min_asset_ratio
            hi = 0.99 / (R - 1.0)
            c_used = min(max(c, lo), hi)
            alpha = float(alpha_from_asset_ratio(c_used, R))
            matched["credit_gdp"] = False
            if c <= 1.0:
                notes.append(
                    f"credit/GDP = {c:.3f} <= 1 implies alpha = (R-1) c <= R - 1, outside the "
                    f"admissible box (footnote 20): the model cannot match both the bank "
                    f"capital ratio and credit/GDP; qH/y raised to {c_used:.3f}, the nearest "
                    f"admissible economy")
            else:
                notes.append(f"credit/GDP = {c:.3f} implies alpha >= 1; qH/y capped at "
                             f"{c_used:.3f}")
        else:
            matched["credit_gdp"] = True
        fitted["credit_gdp"] = float(asset_value(alpha, R))
    else:
        lev = _need("firm_leverage", obs.firm_leverage, "firm_leverage")
        alpha = float(alpha_from_firm_leverage(lev, R))
        methods["alpha"] = "firm_leverage: R qH/Pi = alpha/(1-alpha) R/(R-1) (12)"
        targets["firm_leverage"] = lev
        fitted["firm_leverage"] = float(firm_leverage(alpha, R))
        matched["firm_leverage"] = alpha > R - 1.0
    if not (R - 1.0 < alpha < 1.0):
        raise ParameterError("alpha", f"R - 1 < alpha < 1 (here R - 1 = {R - 1.0:.6g})", alpha,
                             f"from the '{methods['alpha'].split(':')[0]}' method")

    # --- gamma -----------------------------------------------------------------------------
    if spec.gamma is not None or spec.gamma_method == "fixed":
        gamma = _need("gamma", spec.gamma, "fixed")
        methods["gamma"] = "fixed"
    elif spec.gamma_method == "zero":
        gamma = 0.0
        methods["gamma"] = "zero: gamma = 0 ex ante (footnote 41)"
    elif spec.gamma_method == "trailing_deflation":
        td = obs.trailing_deflation or 0.0
        methods["gamma"] = "trailing_deflation: p_t = (R/alpha)^(-gamma) (24), CPI to date"
        targets["trailing_deflation"] = td
        gamma = min(float(gamma_from_deflation(td, alpha, R)), spec.gamma_max)
        matched["trailing_deflation"] = gamma < spec.gamma_max
        fitted["trailing_deflation"] = 1.0 - float(p_bar_t(alpha, R, gamma))
    else:
        d = obs.deflation
        methods["gamma"] = "deflation: p_t = (R/alpha)^(-gamma) (24)"
        if d is None:
            gamma = 0.0
            notes.append("no deflation observed or reported: gamma = 0")
        else:
            targets["deflation"] = d
            gamma = float(gamma_from_deflation(d, alpha, R))
            matched["deflation"] = gamma <= spec.gamma_max
            if gamma > spec.gamma_max:
                notes.append(f"the deflation {d:.3f} needs gamma = {gamma:.3f}; capped at "
                             f"{spec.gamma_max}")
                gamma = spec.gamma_max
            fitted["deflation"] = 1.0 - float(p_bar_t(alpha, R, gamma))
    params = Params.from_R(alpha=alpha, R=R, gamma=gamma)
    return Calibration(params=params, R=R, alpha=alpha, gamma=gamma, methods=methods,
                       targets=targets, fitted=fitted, matched=matched, notes=tuple(notes),
                       name=spec.name,
                       phi=spec.phi if methods["alpha"].startswith("collateral") else None)


#: The named calibrations: ``collateral`` (default), its trailing-deflation variant, ``literal``.
CALIBRATIONS: dict[str, CalibrationSpec] = {
    "collateral": CalibrationSpec(),
    "collateral_deflation": CalibrationSpec(gamma_method="trailing_deflation",
                                            name="collateral_deflation"),
    "literal": CalibrationSpec(R_method="capital_ratio", alpha_method="credit_gdp",
                               gamma_method="deflation", name="literal"),
}


def calibration_spec(name: str) -> CalibrationSpec:
    """The named calibration of :data:`CALIBRATIONS`; an unknown name is a ParameterError."""
    try:
        return CALIBRATIONS[name]
    except KeyError:
        raise ParameterError("calibration", "one of " + ", ".join(CALIBRATIONS), name) from None
