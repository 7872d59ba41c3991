"""Figures of the scale layer: vulnerability heatmaps and fan charts.

Each function returns ``(figure, data)``: a :class:`matplotlib.figure.Figure` (no pyplot state)
and a :class:`pandas.DataFrame` of the numbers drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bsrlab.presentation.style import new_figure, styled
from bsrlab.scale.maps import FanChart, VulnerabilityMap

__all__ = ["fan_chart", "vulnerability_heatmaps"]

_TITLES = {"delta_star": "capital-crunch decline δ*", "tau_star": "crisis shock τ*",
           "crisis_probability": "P(τ > τ*)"}
_AXIS = {"alpha": "output elasticity of assets α", "R": "gross natural rate R",
         "gamma": "deflationary tendency γ"}


@styled
def vulnerability_heatmaps(m: VulnerabilityMap) -> tuple[Figure, pd.DataFrame]:
    """One heatmap per quantity of the map (delta*, tau*, and the crisis probability)."""
    keys = [k for k in ("delta_star", "tau_star", "crisis_probability") if k in m.values]
    fig = new_figure(3.6, width_in=4.2 * len(keys), left=0.8, right=0.3, top=0.45,
                     bottom=0.65, wspace=0.9, ncols=len(keys))
    axes = fig.subplots(1, len(keys), squeeze=False)[0]
    for ax, k in zip(axes, keys, strict=True):
        img = ax.pcolormesh(m.x, m.y, 100 * m.values[k], shading="nearest", cmap="viridis")
        cb = fig.colorbar(img, ax=ax)
        cb.set_label("percent")
        ax.set_title(_TITLES[k])
        ax.set_xlabel(_AXIS[m.x_name])
        ax.set_ylabel(_AXIS[m.y_name])
        ax.grid(False)
    gx, gy = np.meshgrid(m.x, m.y)
    data = pd.DataFrame({m.x_name: gx.ravel(), m.y_name: gy.ravel(),
                         **{k: np.asarray(m.values[k]).ravel() for k in keys}})
    return fig, data


@styled
def fan_chart(fan: FanChart, output: str = "output_gap") -> tuple[Figure, pd.DataFrame]:
    """The quantile bands of one output of the deleveraging path, period by period."""
    fig = new_figure(3.6, left=0.85, right=0.25, top=0.4, bottom=0.6)
    ax = fig.add_subplot()
    t = np.arange(fan.periods)
    bands: dict[float, Any] = dict(fan.bands[output])
    qs = sorted(bands)
    k = len(qs)
    for i in range(k // 2):
        lo, hi = qs[i], qs[k - 1 - i]
        ax.fill_between(t, 100 * bands[lo], 100 * bands[hi], color="#1f77b4",
                        alpha=0.18 + 0.17 * i, lw=0, label=f"{lo:g}-{hi:g}")
    if k % 2:
        ax.plot(t, 100 * bands[qs[k // 2]], color="#1f4e79", label=f"median ({qs[k // 2]:g})")
    ax.set_xlabel("years after the surprise")
    ax.set_ylabel(f"{output.replace('_', ' ')} (percent)")
    ax.set_title(f"{output.replace('_', ' ')}: {fan.draws} draws of the parameters")
    ax.legend(loc="best")
    data = pd.DataFrame({"t": t, **{f"q{q:g}": bands[q] for q in qs}})
    return fig, data
