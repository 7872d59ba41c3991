"""Diagnosis of an episode: thresholds, the implied shock, the predicted regime, losses, spread.

The implied shock inverts the fundamental decline (22). delta(tau) is continuous and increasing,
and in each regime the inverse is in closed form:

- regime 1 (delta < delta_Div): delta = 1 - (1 - tau)(1 - R delta)^e, so
  tau = 1 - (1 - delta)/(1 - R delta)^e;
- regime 2 (delta >= delta_Div): delta = 1 - (1 - tau)(1 - delta*)^e, so
  tau = 1 - (1 - delta)/(1 - delta*)^e,

with e = gamma/(gamma - 1). With gamma = 0 both give tau = delta: a 70% decline with little
deflation needs a permanent productivity fall of about 70% (Section 5.1).

Predicted regime, by the implied tau (Proposition 3 and 4): ``firms_absorb`` (tau < tau_0),
``dividends_absorb`` (tau < tau_Div), ``capital_absorbs`` (tau < tau*: bank capital is hit; a
capital crunch at delta* is an unstable, self-fulfilling equilibrium), ``systemic_crisis``
(tau >= tau*: only the banking-crisis equilibrium remains), with ``insolvent`` noted when
tau >= tau_K.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.cases.calibrate import (
    CALIBRATIONS,
    PAPER_ALPHA,
    PAPER_R,
    PHI_BAND,
    Calibration,
    CalibrationSpec,
    Observables,
    calibrate,
)
from bsrlab.cases.episodes import EPISODES, Episode, Observation, _from_facts, episode, observe
from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import EquilibriumKind, Params, Regime, equilibria, solve, thresholds
from bsrlab.models.vonpeter.closed import (
    alpha_for_delta_star,
    asset_value,
    delta_star,
    p_bar_next,
    p_next_regime1,
    shock_for_decline,
)

__all__ = ["REGIMES", "Diagnosis", "diagnose", "diagnose_all", "implied_tau", "observables",
           "predicted_regime", "required_credit_gdp"]

#: Predicted regimes in order of severity: the loss regimes of :class:`Regime` up to bank capital,
#: then the fundamentals-driven banking crisis (:attr:`EquilibriumKind.outcome`).
REGIMES = (Regime.FIRMS_ABSORB.label, Regime.DIVIDENDS_ABSORB.label, Regime.CAPITAL_ABSORBS.label,
           EquilibriumKind.BANKING_CRISIS.outcome)


def implied_tau(params: Params, delta: ArrayLike) -> NDArray[np.float64]:
    """The shock tau whose fundamental decline (22) equals ``delta`` (closed form, vectorised).

    Parameters
    ----------
    params
        The calibrated economy.
    delta
        Observed declines, 0 <= delta <= 1.
    """
    d = np.asarray(delta, dtype=np.float64)
    if np.any(~np.isfinite(d) | (d < 0.0) | (d > 1.0)):
        bad = d[~np.isfinite(d) | (d < 0.0) | (d > 1.0)].ravel()[0]
        raise ParameterError("delta", "0 <= delta <= 1", float(bad))
    a, R, g = params.a, params.R, params.g
    ddiv = delta_star(a, R, g) / R
    # each branch is evaluated everywhere and selected below; overflow off its branch is harmless
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reg1 = shock_for_decline(d, p_next_regime1(d, R, g))
        reg2 = shock_for_decline(d, p_bar_next(a, R, g))
    tau = np.where(d < ddiv, reg1, reg2)
    return np.clip(tau, 0.0, 1.0)


def predicted_regime(params: Params, tau: float) -> tuple[str, bool]:
    """(regime, insolvent) for a scalar shock; see the module docstring."""
    th = thresholds(params)
    edges = (float(th.tau_0), float(th.tau_div), float(th.tau_star))
    reg = next((REGIMES[i] for i, edge in enumerate(edges) if tau < edge), REGIMES[-1])
    return reg, tau >= float(th.tau_K)


def required_credit_gdp(R: float, gamma: float, delta: float) -> float:
    """The credit/GDP at which delta* equals ``delta`` (given R and gamma), from (28).

    delta* = (R - 1)[(R/alpha)^(1-gamma) - 1] = delta gives
    alpha = R (1 + delta/(R - 1))^(-1/(1-gamma)), and qH/y = alpha/(R - 1).
    """
    return float(asset_value(alpha_for_delta_star(delta, R, gamma), R))


def observables(obs: Observation) -> Observables:
    """The calibration targets of an observation (real rate = long rate - inflation)."""
    real = (obs.long_rate - obs.inflation
            if obs.long_rate is not None and obs.inflation is not None else None)
    return Observables(capital_ratio=obs.capital_ratio, real_rate=real,
                       credit_gdp=obs.credit_gdp, deflation=obs.deflation,
                       trailing_deflation=obs.trailing_deflation, rent_yield=obs.rent_yield,
                       year=EPISODES[obs.episode].calibration_year
                       if obs.episode in EPISODES else None)


def _spec_for(obs: Observation, spec: CalibrationSpec) -> tuple[CalibrationSpec, list[str]]:
    """Fill in the paper's illustrative values for what the observation lacks."""
    notes = []
    if spec.R is None and spec.R_method == "capital_ratio" and obs.capital_ratio is None:
        spec = replace(spec, R=PAPER_R)
        notes.append(f"no bank capital ratio: R = {PAPER_R}, the paper's illustrative value "
                     f"(Section 4.2)")
    if spec.R is None and spec.R_method == "collateral" and obs.source == "facts":
        R = 1.0 / (1.0 - obs.capital_ratio) if obs.capital_ratio is not None else PAPER_R
        spec = replace(spec, R=R)
        notes.append(f"no data: R = {R:.6g}, the paper's illustrative value")
    if (spec.alpha is None and spec.alpha_method in ("credit_gdp", "collateral")
            and obs.credit_gdp is None):
        spec = replace(spec, alpha=PAPER_ALPHA)
        notes.append(f"no credit/GDP: alpha = {PAPER_ALPHA}, the paper's illustrative value "
                     f"(footnote 41)")
    return spec, notes


@dataclass(frozen=True, kw_only=True)
class Diagnosis:
    """The model's reading of one episode against what happened.

    Declines, losses and spreads are fractions. ``predicted_loan_losses`` holds the model's
    loan losses lambda at the implied shock, as fractions of GDP (``gdp``) and of
    loans (``loans``); ``observed_loan_losses`` the typed facts. ``predicted_spread`` is the
    loan-rate spread R_t - R of the capital-crunch equilibrium (27) at the implied shock (None
    when tau >= tau*, where the crisis drives R_t to infinity).
    """

    episode: Episode
    observation: Observation
    calibration: Calibration
    thresholds: dict[str, float]
    observed_decline: float | None
    decline_asset: str
    implied_tau: float | None
    implied_tau_by_asset: dict[str, float]
    predicted_regime: str | None
    insolvent: bool
    predicted_loan_losses: dict[str, float]
    predicted_spread: float | None
    required_credit_gdp: float | None
    agreement: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    delta_star_band: tuple[float | None, float | None] | None = None
    calibrations: tuple[dict[str, Any], ...] = ()
    calibrations_text: str = ""
    data_notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        ep = self.episode
        return {
            "name": ep.name, "title": ep.title, "country": ep.country,
            "start": ep.start, "end": ep.end, "data_source": self.observation.source,
            "observed_decline": self.observed_decline, "decline_asset": self.decline_asset,
            "observation": self.observation.to_dict(),
            "calibration": self.calibration.to_dict(),
            "thresholds": dict(self.thresholds),
            "implied_tau": self.implied_tau,
            "implied_tau_by_asset": dict(self.implied_tau_by_asset),
            "predicted_regime": self.predicted_regime, "insolvent": self.insolvent,
            "observed_outcome": {"kind": ep.outcome, "text": ep.outcome_text,
                                 "laeven_valencia": ep.lv.to_dict() if ep.lv else None},
            "agreement": self.agreement,
            "predicted_loan_losses": dict(self.predicted_loan_losses),
            "observed_loan_losses": dict(ep.observed_loan_losses),
            "predicted_spread": self.predicted_spread,
            "observed_spread": {"value": ep.observed_spread, "text": ep.spread_text},
            "required_credit_gdp": self.required_credit_gdp,
            "notes": list(self.notes),
            "delta_star_band": (list(self.delta_star_band) if self.delta_star_band else None),
            "calibrations": [dict(c) for c in self.calibrations],
            "calibrations_text": self.calibrations_text,
            "data_notes": list(self.data_notes),
        }


def _agreement(pred: str | None, outcome: str) -> str:
    if pred is None:
        return "no decline observed"
    sev = REGIMES.index(pred)
    want = (REGIMES.index(Regime.CAPITAL_ABSORBS.label)
            if outcome == EquilibriumKind.CAPITAL_CRUNCH.outcome else len(REGIMES) - 1)
    if sev == want:
        return "match"
    return "model too mild" if sev < want else "model too severe"


def _band(cal: Calibration, spec: CalibrationSpec) -> tuple[float | None, float | None] | None:
    """delta* at the ends of phi's band (collateral calibrations only); an end outside the
    admissible box is None (not evaluated)."""
    if cal.phi is None or "credit_gdp" not in cal.targets:
        return None
    out: list[float | None] = []
    for phi in PHI_BAND:
        alpha = (cal.R - 1.0) * cal.targets["credit_gdp"] / phi
        out.append(float(delta_star(alpha, cal.R, cal.gamma))
                   if cal.R - 1.0 < alpha < 1.0 else None)
    return out[0], out[1]


def _read(ep: Episode, obs: Observation, spec: CalibrationSpec) -> dict[str, Any]:
    """Calibrate to ``obs`` with ``spec`` and read the model (the core of :func:`diagnose`)."""
    spec0, notes = _spec_for(obs, spec)
    cal = calibrate(observables(obs), spec0)
    p = cal.params
    th = thresholds(p).to_dict()
    by_asset = {k: float(implied_tau(p, v)) for k, v in obs.declines.items()
                if math.isfinite(v)}
    asset = obs.headline_asset
    dec = obs.headline_decline
    tau = by_asset.get(asset) if asset else None
    regime: str | None = None
    insolvent = False
    losses: dict[str, float] = {}
    spread: float | None = None
    req: float | None = None
    if tau is not None and dec is not None:
        regime, insolvent = predicted_regime(p, tau)
        sol = solve(p, tau)
        lam = float(sol.loan_losses)
        qH = float(asset_value(cal.alpha, cal.R))
        losses = {"gdp": lam, "loans": lam / qH}
        if regime == Regime.CAPITAL_ABSORBS.label:  # the crunch spread only where there is one
            crunch = [q for q in equilibria(p, min(tau, 1.0))
                      if q.kind is EquilibriumKind.CAPITAL_CRUNCH]
            if crunch and math.isfinite(crunch[0].loan_rate):
                spread = crunch[0].loan_rate - cal.R
        else:
            notes.append("no crunch spread: the diagnosis finds no capital crunch "
                         f"(predicted {regime})")
        if 0.0 < dec < 1.0:
            req = required_credit_gdp(cal.R, cal.gamma, dec)
            if cal.phi is not None:
                req *= cal.phi  # bank credit is phi times the collateral value
    return {"calibration": cal, "thresholds": th, "by_asset": by_asset, "asset": asset,
            "decline": dec, "tau": tau, "regime": regime, "insolvent": insolvent,
            "losses": losses, "spread": spread, "required": req, "notes": notes,
            "band": _band(cal, spec0),
            "agreement": _agreement(regime, ep.outcome)}


def _summary(name: str, source: str, r: dict[str, Any]) -> dict[str, Any]:
    cal: Calibration = r["calibration"]
    th = r["thresholds"]
    return {"name": name, "source": source, "evaluated": True, "alpha": cal.alpha, "R": cal.R,
            "gamma": cal.gamma, "phi": cal.phi,
            "thresholds": {k: th[k] for k in ("delta_star", "delta_K", "tau_star", "tau_K")},
            "delta_star_band": list(r["band"]) if r["band"] else None,
            "decline_asset": r["asset"], "observed_decline": r["decline"],
            "implied_tau": r["tau"], "predicted_regime": r["regime"],
            "verdict": r["agreement"]}


def _p(x: float | None) -> str:
    return "outside the box" if x is None else f"{100 * x:.0f}%"


def _why(cals: list[dict[str, Any]]) -> str:
    """One sentence on why the calibrations read the episode differently."""
    by = {c["name"]: c for c in cals if c.get("evaluated")}
    parts = []
    if "facts" in by and len(by) == 1:
        return (f"The facts-based reading uses the paper's illustrative economy "
                f"(alpha = {by['facts']['alpha']:.2f}, delta* = "
                f"{100 * by['facts']['thresholds']['delta_star']:.0f}%); with the data, the "
                f"calibrations from the balance sheets are shown beside it.")
    if "facts" in by:
        parts.append(f"the facts-based reading uses the paper's illustrative economy "
                     f"(alpha = {by['facts']['alpha']:.2f}), whose delta* of "
                     f"{100 * by['facts']['thresholds']['delta_star']:.0f}% is far below what "
                     f"the balance sheets imply")
    if "literal" in by:
        parts.append(f"the literal data calibration takes bank credit/GDP as the whole asset "
                     f"value and puts delta* at "
                     f"{100 * by['literal']['thresholds']['delta_star']:.0f}%, beyond any "
                     f"realistic decline")
    if "collateral" in by:
        band = by["collateral"]["delta_star_band"]
        rng = (f" (phi 0.2-0.5: {_p(band[0])}-{_p(band[1])})" if band else "")
        parts.append(f"the collateral calibration values the collateral at credit/GDP / phi "
                     f"and puts delta* at "
                     f"{100 * by['collateral']['thresholds']['delta_star']:.0f}%{rng}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _side_by_side(ep: Episode, obs: Observation, data_dir: Any) -> list[dict[str, Any]]:
    """The episode under each calibration: the data-based ones and the facts-based one."""
    out: list[dict[str, Any]] = []
    if obs.source == "data":
        for name in ("collateral", "literal"):
            try:
                out.append(_summary(name, "data", _read(ep, obs, CALIBRATIONS[name])))
            except ParameterError as exc:
                out.append({"name": name, "source": "data", "evaluated": False,
                            "verdict": f"not evaluated: {exc}"})
    facts = obs if obs.source == "facts" else _from_facts(ep)
    out.append(_summary("facts", "facts", _read(ep, facts, CALIBRATIONS["literal"])))
    return out


def diagnose(name: str | Episode, *, data_dir: str | os.PathLike[str] | None = None,
             spec: CalibrationSpec | None = None) -> Diagnosis:
    """Calibrate the model to an episode and read its thresholds, shock, regime and losses.

    The default calibration is ``collateral``; ``calibrations`` also holds the episode read
    through the ``literal`` data calibration and the paper's facts, side by side.

    Raises
    ------
    ParameterError
        When the chosen calibration puts the episode outside the admissible box (the model is
        not evaluated there) or an observable it needs is missing.
    """
    ep = name if isinstance(name, Episode) else episode(name)
    obs = observe(ep, data_dir)
    r = _read(ep, obs, spec or CalibrationSpec())
    cals = _side_by_side(ep, obs, data_dir)
    cal = r["calibration"]
    return Diagnosis(
        episode=ep, observation=obs, calibration=cal, thresholds=r["thresholds"],
        observed_decline=r["decline"], decline_asset=r["asset"], implied_tau=r["tau"],
        implied_tau_by_asset=r["by_asset"], predicted_regime=r["regime"],
        insolvent=r["insolvent"], predicted_loan_losses=r["losses"],
        predicted_spread=r["spread"], required_credit_gdp=r["required"],
        agreement=r["agreement"],
        notes=tuple(r["notes"]) + cal.notes + obs.notes,
        delta_star_band=r["band"], calibrations=tuple(cals), calibrations_text=_why(cals),
        data_notes=obs.data_breaks)


def diagnose_all(*, data_dir: str | os.PathLike[str] | None = None,
                 spec: CalibrationSpec | None = None) -> list[Diagnosis]:
    """:func:`diagnose` for every episode, in the order of :data:`EPISODES`."""
    return [diagnose(ep, data_dir=data_dir, spec=spec) for ep in EPISODES.values()]
