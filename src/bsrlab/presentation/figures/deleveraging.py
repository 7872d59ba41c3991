"""Figures of the deleveraging model: each function returns ``(Figure, DataFrame)``.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot state, safe on any backend) in
the colour-blind-safe Okabe-Ito palette; the DataFrame is the data drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from bsrlab.models.deleveraging.path import PathResult
from bsrlab.scenarios.lab import Comparison

__all__ = ["OKABE_ITO", "comparison_figure", "path_figure"]

#: Okabe and Ito (2008) colours: orange, sky blue, bluish green, yellow, blue, vermillion,
#: reddish purple, black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000")


def path_figure(result: PathResult, *, title: str = "", horizon: int | None = None
                ) -> tuple[Figure, Any]:
    """Six panels of one path: activity, rates, debt, sectoral balances, prices, public debt."""
    df = result.to_frame()
    n = min(len(df), horizon if horizon is not None else min(len(df), 25))
    d = df.iloc[:n]
    t = d.index.to_numpy()
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    axes = fig.subplots(2, 3)
    c = OKABE_ITO
    pct = 100.0

    def bound_shade(ax: Any) -> None:
        for k in np.flatnonzero(d["at_bound"].to_numpy()):
            ax.axvspan(t[k] - 0.5, t[k] + 0.5, color="#bbbbbb", alpha=0.35, lw=0)

    ax = axes[0, 0]
    bound_shade(ax)
    ax.plot(t, pct * d["output_gap"], color=c[4], label="output gap")
    ax.plot(t, pct * d["inflation"], color=c[5], ls="--", label="inflation")
    ax.set_title("Output gap and inflation (%)")
    ax = axes[0, 1]
    bound_shade(ax)
    ax.plot(t, pct * d["policy_rate"], color=c[4], label="policy rate")
    ax.plot(t, pct * d["shadow_rate"], color=c[1], ls=":", label="shadow rate")
    ax.plot(t, pct * d["real_rate"], color=c[5], ls="--", label="real rate")
    ax.plot(t, pct * d["natural_rate"], color=c[2], ls="-.", label="natural rate")
    ax.set_title("Interest rates (% per period)")
    ax = axes[0, 2]
    ax.plot(t, pct * d["borrower_debt"], color=c[0], label="borrowers' debt limit")
    ax.set_title("Borrowers' debt (% of potential output)")
    ax2 = ax.twinx()
    ax2.bar(t, pct * d["deleveraging"], color=c[1], alpha=0.6, label="net repayment")
    ax2.set_ylabel("net repayment (%)")
    ax = axes[1, 0]
    ax.bar(t - 0.2, pct * d["private_surplus"], width=0.4, color=c[2], label="private surplus")
    ax.bar(t + 0.2, pct * d["government_deficit"], width=0.4, color=c[6],
           label="government deficit")
    ax.plot(t, pct * d["borrower_surplus"], color=c[0], label="borrowers' surplus")
    ax.plot(t, pct * d["saver_surplus"], color=c[4], ls="--", label="savers' surplus")
    ax.set_title("Sectoral balances (% of potential output)")
    ax = axes[1, 1]
    ax.plot(t, d["price_level"], color=c[5], label="price level")
    ax.set_title("Price level (P before the shock = 1)")
    ax = axes[1, 2]
    ax.plot(t, pct * d["government_debt"], color=c[6], label="government debt")
    ax.plot(t, pct * d["government_spending"], color=c[2], ls="--", label="spending")
    ax.set_title("Government (% of potential output)")
    for a in axes.ravel():
        if a is not axes[1, 1]:
            a.axhline(0, color="#555555", lw=0.6)
        a.set_xlabel("period after the shock")
        a.legend(fontsize=7, loc="best")
    if title:
        fig.suptitle(title)
    return fig, d.reset_index()


def comparison_figure(comp: Comparison, *, horizon: int = 20) -> tuple[Figure, Any]:
    """Output-gap paths under each policy, and the cumulative output loss per policy."""
    import pandas as pd

    fig = Figure(figsize=(11, 4.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    cols = {}
    for k, (label, path) in enumerate(comp.paths.items()):
        gap = 100.0 * path.output_gap[:horizon]
        cols[label] = gap
        ax1.plot(np.arange(gap.size), gap, color=OKABE_ITO[k % len(OKABE_ITO)],
                 ls=("-", "--", ":", "-.")[k % 4], label=label)
    ax1.axhline(0, color="#555555", lw=0.6)
    ax1.set_title("Output gap under each policy (%)")
    ax1.set_xlabel("period after the shock")
    ax1.legend(fontsize=7)
    frame = comp.to_frame()
    ax2.barh(frame["policy"], 100.0 * frame["cumulative_output_loss"],
             color=[OKABE_ITO[k % len(OKABE_ITO)] for k in range(len(frame))])
    ax2.invert_yaxis()
    ax2.set_title("Cumulative output loss (% of a period's potential output)")
    data = pd.DataFrame(cols)
    data.index.name = "t"
    return fig, data.reset_index()
