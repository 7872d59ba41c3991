"""Calibration of (alpha, R, gamma) from observables, documented and overridable.

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

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import real
from bsrlab.models.vonpeter import Params
from bsrlab.models.vonpeter.closed import (
    alpha_from_asset_ratio,
    alpha_from_firm_leverage,
    asset_value,
    capital_ratio,
    firm_leverage,
    gamma_from_deflation,
    p_bar_t,
    rate_from_capital_ratio,
)

__all__ = ["Calibration", "CalibrationSpec", "Observables", "calibrate"]

_R_METHODS = ("capital_ratio", "rate", "fixed")
_ALPHA_METHODS = ("credit_gdp", "firm_leverage", "fixed")
_GAMMA_METHODS = ("deflation", "fixed")

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
        The largest cumulative fall of the price level in the episode, 0 <= d < 1.
    """

    capital_ratio: float | None = None
    real_rate: float | None = None
    credit_gdp: float | None = None
    firm_leverage: float | None = None
    deflation: float | None = None

    def __post_init__(self) -> None:
        checks = (("capital_ratio", "0 < capital_ratio < 1", lambda v: 0.0 < v < 1.0),
                  ("real_rate", "-1 < real_rate < 1", lambda v: -1.0 < v < 1.0),
                  ("credit_gdp", "credit_gdp > 0", lambda v: v > 0.0),
                  ("firm_leverage", "firm_leverage > 0", lambda v: v > 0.0),
                  ("deflation", "0 <= deflation < 1", lambda v: 0.0 <= v < 1.0))
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

    ``R_method``: ``capital_ratio`` (default), ``rate`` or ``fixed`` (needs ``R``).
    ``alpha_method``: ``credit_gdp`` (default), ``firm_leverage`` or ``fixed`` (needs ``alpha``).
    ``gamma_method``: ``deflation`` (default) or ``fixed`` (needs ``gamma``).
    ``min_asset_ratio``: the qH/y used when credit/GDP is inadmissible (> 1).
    ``min_real_rate``: floor of R - 1 for the rate method (> 0).
    ``gamma_max``: cap of gamma (< 1).
    """

    R_method: str = "capital_ratio"
    alpha_method: str = "credit_gdp"
    gamma_method: str = "deflation"
    R: float | None = None
    alpha: float | None = None
    gamma: float | None = None
    min_asset_ratio: float = 1.01
    min_real_rate: float = 0.005
    gamma_max: float = 0.95

    def __post_init__(self) -> None:
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

    @property
    def all_matched(self) -> bool:
        return all(self.matched.values())

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "R": self.R, "beta": 1.0 / self.R, "gamma": self.gamma,
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
                       targets=targets, fitted=fitted, matched=matched, notes=tuple(notes))
