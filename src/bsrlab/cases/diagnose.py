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
    PAPER_ALPHA,
    PAPER_R,
    Calibration,
    CalibrationSpec,
    Observables,
    calibrate,
)
from bsrlab.cases.episodes import EPISODES, Episode, Observation, episode, observe
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
                       credit_gdp=obs.credit_gdp, deflation=obs.deflation)


def _spec_for(obs: Observation, spec: CalibrationSpec) -> tuple[CalibrationSpec, list[str]]:
    """Fill in the paper's illustrative values for what the observation lacks."""
    notes = []
    if spec.R is None and spec.R_method == "capital_ratio" and obs.capital_ratio is None:
        spec = replace(spec, R=PAPER_R)
        notes.append(f"no bank capital ratio: R = {PAPER_R}, the paper's illustrative value "
                     f"(Section 4.2)")
    if spec.alpha is None and spec.alpha_method == "credit_gdp" and obs.credit_gdp is None:
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


def diagnose(name: str | Episode, *, data_dir: str | os.PathLike[str] | None = None,
             spec: CalibrationSpec | None = None) -> Diagnosis:
    """Calibrate the model to an episode and read its thresholds, shock, regime and losses."""
    ep = name if isinstance(name, Episode) else episode(name)
    obs = observe(ep, data_dir)
    spec0, notes = _spec_for(obs, spec or CalibrationSpec())
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
        crunch = [q for q in equilibria(p, min(tau, 1.0))
                  if q.kind is EquilibriumKind.CAPITAL_CRUNCH]
        if crunch and math.isfinite(crunch[0].loan_rate):
            spread = crunch[0].loan_rate - cal.R
        if 0.0 < dec < 1.0:
            req = required_credit_gdp(cal.R, cal.gamma, dec)
    return Diagnosis(
        episode=ep, observation=obs, calibration=cal, thresholds=th, observed_decline=dec,
        decline_asset=asset, implied_tau=tau, implied_tau_by_asset=by_asset,
        predicted_regime=regime, insolvent=insolvent, predicted_loan_losses=losses,
        predicted_spread=spread, required_credit_gdp=req,
        agreement=_agreement(regime, ep.outcome),
        notes=tuple(notes) + cal.notes + obs.notes)


def diagnose_all(*, data_dir: str | os.PathLike[str] | None = None,
                 spec: CalibrationSpec | None = None) -> list[Diagnosis]:
    """:func:`diagnose` for every episode, in the order of :data:`EPISODES`."""
    return [diagnose(ep, data_dir=data_dir, spec=spec) for ep in EPISODES.values()]
