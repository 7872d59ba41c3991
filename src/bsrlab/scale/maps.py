"""Vulnerability maps and fan charts: the model over a grid, and paths under uncertainty.

:func:`vulnerability_map` evaluates delta* (28), tau* (33) and, for a given shock distribution,
the probability of a fundamental banking crisis P(tau > tau*) = 1 - F(tau*) over a grid of two
parameters (the others fixed), with the fused kernel; the heatmaps are drawn by
:func:`bsrlab.presentation.figures.scale.vulnerability_heatmaps`.

:func:`deleveraging_fan` solves the deleveraging path of :mod:`bsrlab.models.deleveraging` for
draws of its uncertain parameters and returns the quantiles of each output per period, the
data of a fan chart (:func:`bsrlab.presentation.figures.scale.fan_chart`).

Examples
--------
>>> import numpy as np
>>> m = vulnerability_map("alpha", np.array([0.25, 0.5]), "gamma", np.array([0.0]), R=1.05)
>>> [round(float(v), 3) for v in m.values["delta_star"][0]]  # Section 4.2: 16 % and 5.5 %
[0.16, 0.055]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter.kernel import evaluate
from bsrlab.scale.distributions import Distribution

__all__ = ["FanChart", "VulnerabilityMap", "deleveraging_fan", "vulnerability_map"]

Arr = NDArray[np.float64]
_AXES = ("alpha", "R", "gamma")


@dataclass(frozen=True)
class VulnerabilityMap:
    """``values[name]`` has shape (len(y), len(x)): delta_star, tau_star and, with a shock
    distribution, crisis_probability."""

    x_name: str
    x: Arr
    y_name: str
    y: Arr
    values: Mapping[str, Arr]
    fixed: Mapping[str, float]
    shock: str | None


def vulnerability_map(x_name: str, x: ArrayLike, y_name: str, y: ArrayLike, *,
                      alpha: float = 0.5, R: float = 1.05, gamma: float = 0.0,
                      shock: Distribution | None = None) -> VulnerabilityMap:
    """delta*, tau* and P(tau > tau*) over the grid ``x`` by ``y`` of two of alpha, R, gamma.

    Parameters
    ----------
    x_name, y_name
        Two different names among ``alpha``, ``R``, ``gamma``.
    x, y
        The grid values (1-D).
    alpha, R, gamma
        The values of the parameter that is not on an axis.
    shock
        The shock's distribution (e.g. from :func:`bsrlab.scale.distributions.parse`); with
        it, the map includes ``crisis_probability`` = 1 - F(tau*), computed exactly.

    Raises
    ------
    ParameterError
        Unknown or repeated axis names, or a grid point outside the admissible box.
    """
    for n in (x_name, y_name):
        if n not in _AXES:
            raise ParameterError("axis", "one of " + ", ".join(_AXES), n)
    if x_name == y_name:
        raise ParameterError("axes", "two different parameters", f"{x_name}, {y_name}")
    xs = np.atleast_1d(np.asarray(x, dtype=np.float64))
    ys = np.atleast_1d(np.asarray(y, dtype=np.float64))
    gx, gy = np.meshgrid(xs, ys)
    vals: dict[str, Any] = {"alpha": alpha, "R": R, "gamma": gamma}
    vals[x_name] = gx.ravel()
    vals[y_name] = gy.ravel()
    r = evaluate(vals["alpha"], vals["R"], vals["gamma"], 0.0,
                 outputs=("delta_star", "tau_star"))
    shape = gx.shape
    out = {"delta_star": r["delta_star"].reshape(shape).copy(),
           "tau_star": r["tau_star"].reshape(shape).copy()}
    if shock is not None:
        out["crisis_probability"] = shock.sf(out["tau_star"])
    fixed = {k: float(v) for k, v in (("alpha", alpha), ("R", R), ("gamma", gamma))
             if k not in (x_name, y_name)}
    return VulnerabilityMap(x_name, xs, y_name, ys, out, fixed,
                            shock.describe() if shock is not None else None)


@dataclass(frozen=True)
class FanChart:
    """Per output, the quantiles of its path over the draws: ``bands[output][q]`` is an array
    over the periods; ``draws`` is the number of paths solved."""

    periods: int
    quantiles: tuple[float, ...]
    bands: Mapping[str, Mapping[float, Arr]]
    draws: int


def deleveraging_fan(uncertain: Mapping[str, Distribution], *, debt_high: float = 1.0,
                     debt_low: float = 0.8, years: int = 10, periods: int = 30,
                     draws: int = 64, seed: int = 0,
                     outputs: Sequence[str] = ("output_gap", "inflation", "policy_rate"),
                     quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
                     base: Mapping[str, Any] | None = None) -> FanChart:
    """Fan chart data of the deleveraging path under parameter uncertainty.

    Parameters
    ----------
    uncertain
        Distributions of fields of :class:`~bsrlab.models.deleveraging.PathParams` (e.g.
        ``sigma``, ``kappa``) or of the debt path (``debt_low``).
    debt_high, debt_low, years
        The debt-limit path (:class:`~bsrlab.models.deleveraging.DebtLimitPath`, geometric).
    periods, draws, seed
        The horizon, the number of sampled paths and the seed.
    outputs, quantiles
        The path outputs and the quantiles of the bands.
    base
        Fixed fields of ``PathParams`` other than the defaults.

    Raises
    ------
    ParameterError, ConvergenceError
        From the deleveraging model, for a draw outside its admissible box or a path that
        cannot be verified.
    """
    from bsrlab.models.deleveraging import DebtLimitPath, PathParams, solve_path

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    names = list(uncertain)
    u = rng.random((draws, len(names)))
    paths: dict[str, list[Arr]] = {k: [] for k in outputs}
    for i in range(draws):
        fields = dict(base or {})
        debt: dict[str, Any] = {"debt_high": debt_high, "debt_low": debt_low, "years": years}
        for j, k in enumerate(names):
            v = float(uncertain[k].ppf(u[i, j]))
            (debt if k in debt else fields)[k] = v
        res = solve_path(PathParams(**fields), DebtLimitPath(**debt), periods=periods)
        for k in outputs:
            paths[k].append(np.asarray(res.arrays[k], dtype=np.float64))
    bands = {k: {float(q): np.quantile(np.vstack(v), q, axis=0) for q in quantiles}
             for k, v in paths.items()}
    return FanChart(periods, tuple(float(q) for q in quantiles), bands, draws)
