"""The figure of the scenario chain, ``(Figure, DataFrame)``.

One figure in three panels: the von Peter outcome (the fundamental decline, the decline in the
selected equilibrium, the credit supply and the write-down the hand-over carries), then Koo's
paths in years after the bust (output gap, inflation and the policy rate; borrowers' debt, its
limit and government debt), with the years at the floor shaded grey. The chain comes from
:func:`bsrlab.scenarios.chain.run_chain`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bsrlab.presentation.figures.deleveraging import X_LABEL, _shade_spells, _spells, _whole_years
from bsrlab.presentation.style import OKABE_ITO, new_figure, percent_axis, styled

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bsrlab.scenarios.chain import ChainResult

__all__ = ["HORIZON", "chain_figure", "chain_frame"]

#: Years of the Koo paths shown.
HORIZON = 20

C = OKABE_ITO
P = 100.0
_BARS = (("collateral_decline", "fundamental\ndecline"), ("selected_decline", "selected\ndecline"),
         ("credit_supply", "credit\nsupply c"), ("write_down_share", "write-down\nshare"))


def chain_frame(result: ChainResult, horizon: int = HORIZON) -> pd.DataFrame:
    """The data drawn: one row per year (``t``, ``year`` and the paths, as fractions), with the
    von Peter quantities of the left panel as constant columns."""
    n = min(horizon, result.path.periods)
    ar = result.path.arrays
    t = np.arange(n)
    data: dict[str, Any] = {"t": t, "year": result.preset.first_year + t}
    for col in ("output_gap", "inflation", "policy_rate", "at_bound", "borrower_debt",
                "debt_limit", "government_debt"):
        data[col] = np.asarray(ar[col][:n])
    for key, _ in _BARS:
        data[key] = float(result.handover_value(key))
    return pd.DataFrame(data)


@styled
def chain_figure(result: ChainResult, *, horizon: int = HORIZON,
                 title: str = "") -> tuple[Figure, pd.DataFrame]:
    """The chain in one figure: the bust in the von Peter model, then Koo's paths.

    Returns
    -------
    (Figure, DataFrame)
        See :func:`chain_frame`.
    """
    d = chain_frame(result, horizon)
    fig = new_figure(4.4, width_in=13.0, left=0.7, right=0.25, top=0.75 if title else 0.45,
                     bottom=0.85, wspace=0.75, ncols=3)
    ax0, ax1, ax2 = fig.subplots(1, 3)
    vals = [P * float(d[k].iloc[0]) for k, _ in _BARS]
    colours = [C["blue"], C["vermillion"], C["green"], C["purple"]]
    ax0.bar(np.arange(len(_BARS)), vals, color=colours, width=0.6)
    for i, v in enumerate(vals):
        ax0.text(i, v, f"{v:.1f}%", ha="center", va="bottom", fontsize=9)
    ax0.set_xticks(np.arange(len(_BARS)), [lab for _, lab in _BARS], fontsize=8.5)
    ax0.set_ylim(0, 115)
    percent_axis(ax0, "y")
    ax0.set_title(f"von Peter: {result.selected.kind.text}", fontsize=11)
    x = d["t"].to_numpy()
    spells = _spells(d["at_bound"].to_numpy())
    for ax in (ax1, ax2):
        _shade_spells(ax, x, spells, 1.0, "policy rate at the floor" if spells else None)
        ax.set_xlabel(X_LABEL)
        ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
        _whole_years(ax)
        percent_axis(ax, "y")
    ax1.plot(x, P * d["output_gap"], color=C["vermillion"], lw=2, label="output gap")
    ax1.plot(x, P * d["inflation"], color=C["blue"], lw=1.6, ls="--", label="inflation")
    ax1.plot(x, P * d["policy_rate"], color=C["black"], lw=1.4,
             ls=":", label="policy rate")
    ax1.axhline(0.0, color="#555555", lw=0.7)
    ax1.set_title("Koo: output, inflation, policy rate", fontsize=11)
    ax1.legend(fontsize=8.5, loc="lower right")
    ax2.plot(x, P * d["borrower_debt"], color=C["green"], lw=2, label="borrowers' debt")
    ax2.plot(x, P * d["debt_limit"], color=C["green"], lw=1.2, ls="--", label="debt limit")
    ax2.plot(x, P * d["government_debt"], color=C["purple"], lw=1.6, label="government debt")
    ax2.set_title("Koo: debt (% of output)", fontsize=11)
    ax2.legend(fontsize=8.5, loc="best")
    if title:
        fig.suptitle(title, fontsize=13)
    return fig, d
