"""Figures of Koo's balance sheet recession, each ``(Figure, DataFrame)``.

The paths come from :func:`bsrlab.models.deleveraging.koo.solve_koo` (a preset of
:mod:`bsrlab.scenarios.koo_presets`), the comparison from
:func:`bsrlab.scenarios.koo_lab.compare_koo`. Time runs in years after the bust (t = 0 is its
first year, the model period is a year); rates, gaps and flows are drawn in percent with %
tick labels, and the years in which the policy rate sits at its floor are shaded grey.

Each DataFrame is the data drawn: one row per year with ``t``, ``years`` and the plotted
columns as fractions (not percent), or one row per policy for the lab. Each function's
``table`` attribute returns the same data as a :class:`~bsrlab.presentation.table.Table` (what
the report writes, without pandas).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from bsrlab.presentation.figures.deleveraging import (
    X_LABEL,
    _label,
    _shade_spells,
    _spells,
    _whole_years,
    years,
)
from bsrlab.presentation.style import OKABE_ITO, bars, new_figure, pct, percent_axis
from bsrlab.presentation.style import figure_function as _figure_function
from bsrlab.presentation.table import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bsrlab.models.deleveraging.koo import KooResult
    from bsrlab.scenarios.koo_lab import KooComparison

__all__ = [
    "HORIZON",
    "balances_figure",
    "gap_inflation_figure",
    "lab_figure",
    "rates_figure",
    "repair_figure",
]

#: Years shown by the figures over time.
HORIZON = 20

C = OKABE_ITO
P = 100.0
FLOOR_LABEL = "policy rate at the floor"
_ZERO_LINE = {"color": "#555555", "lw": 0.7}


def _frame(result: KooResult, horizon: int, columns: tuple[str, ...]) -> Table:
    """``t``, ``years`` and ``columns`` of ``result`` over the first ``horizon`` years."""
    n = min(horizon, result.periods)
    t = np.arange(n)
    data: dict[str, Any] = {"t": t, "years": years(t)}
    for col in columns:
        data[col] = np.asarray(result.arrays[col][:n])
    return Table(data)


def _time_axis(ax: Axes, x: np.ndarray[Any, Any]) -> None:
    ax.set_xlabel(X_LABEL)
    ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
    _whole_years(ax)
    percent_axis(ax, "y")


def _shade(ax: Axes, d: Table, label: str | None = FLOOR_LABEL) -> None:
    spells = _spells(np.asarray(d["at_bound"]))
    _shade_spells(ax, np.asarray(d["years"]), spells, 1.0, label if spells else None)


@_figure_function
def balances_figure(happened: KooResult, without: KooResult, *, horizon: int = HORIZON,
                    title: str = "") -> tuple[Figure, Table]:
    """Koo's picture: the private financial surplus against the government deficit, every year.

    Left, the path as it happened (with the preset's deficits); right, the same economy without
    them (only the automatic stabilisers). In a closed economy the two bars of each year are
    equal: the government borrows what the private sector saves.

    Returns
    -------
    (Figure, DataFrame)
        ``t``, ``years`` and, per scenario (suffix ``_happened`` or ``_without``),
        ``private_surplus``, ``government_deficit`` and ``at_bound`` (the shaded years).
    """
    cols = ("private_surplus", "government_deficit", "at_bound")
    parts = {"happened": _frame(happened, horizon, cols),
             "without": _frame(without, horizon, cols)}
    data = Table({"t": parts["happened"]["t"], "years": parts["happened"]["years"]})
    for tag, d in parts.items():
        for col in cols:
            data[f"{col}_{tag}"] = d[col]
    fig = new_figure(4.6, width_in=11.0, left=0.95, right=0.3, top=0.65 if title else 0.35,
                     bottom=0.55, wspace=0.45, ncols=2)
    axes = fig.subplots(1, 2, sharey=True)
    titles = {"happened": "As it happened: with the deficits",
              "without": "Without the deficits"}
    for ax, (tag, d) in zip(axes, parts.items(), strict=True):
        x = np.asarray(d["years"])
        _shade(ax, d)
        bars(ax, x - 0.2, P * np.asarray(d["private_surplus"]), 0.4, color=C["green"],
             label=_label("private_surplus"))
        bars(ax, x + 0.2, P * np.asarray(d["government_deficit"]), 0.4, color=C["purple"],
             hatch="//", edgecolor="white", lw=0, label=_label("government_deficit"))
        ax.axhline(0.0, **_ZERO_LINE)
        ax.set_title(titles[tag])
        _time_axis(ax, x)
        ax.legend(fontsize=9.5, loc="upper right")
    axes[0].set_ylabel("% of potential output")
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, data


@_figure_function
def repair_figure(result: KooResult, *, horizon: int = HORIZON,
                  title: str = "") -> tuple[Figure, Table]:
    """The repair: borrowers' debt against their debt limit and the target, its end marked.

    Returns
    -------
    (Figure, DataFrame)
        ``t``, ``years``, ``borrower_debt``, ``debt_limit``, ``debt_target`` (chi_b D*),
        ``at_bound`` and ``repair_end`` (True in the year the debt first reaches the target).
    """
    d = _frame(result, horizon, ("borrower_debt", "debt_limit", "at_bound"))
    target = result.params.chi_b * result.terms.debt_target
    d["debt_target"] = np.full(len(d), target)
    d["repair_end"] = np.asarray(d["t"]) == (-1 if result.repair_end is None
                                           else result.repair_end)
    x = np.asarray(d["years"])
    fig = new_figure(4.4, width_in=9.0, left=0.95, right=0.25, top=0.65 if title else 0.35,
                     bottom=0.55)
    ax = fig.subplots()
    _shade(ax, d)
    ax.plot(x, P * d["borrower_debt"], color=C["orange"], marker="o", ms=4,
            label=_label("borrower_debt"))
    ax.plot(x, P * d["debt_limit"], color=C["blue"], ls="--", label="borrowers' debt limit")
    ax.plot(x, P * d["debt_target"], color=C["black"], lw=1.2, ls=(0, (1, 1.5)),
            label=f"target after the repair ({pct(target, 0)})")
    if result.repair_end is not None and result.repair_end < len(d):
        xe = float(years(result.repair_end))
        ax.axvline(xe, color=C["vermillion"], lw=1.4, ls="-.",
                   label=f"the repair ends (year {xe:g})")
    ax.set_ylabel("% of potential output")
    ax.set_title("Borrowers' debt and its limit")
    _time_axis(ax, x)
    ax.legend(fontsize=9.5, loc="upper right")
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, d


@_figure_function
def rates_figure(result: KooResult, *, horizon: int = HORIZON,
                 title: str = "") -> tuple[Figure, Table]:
    """The policy rate, the rule's shadow rate and the natural rate, with the floor.

    Returns
    -------
    (Figure, DataFrame)
        ``t``, ``years``, ``policy_rate``, ``shadow_rate``, ``natural_rate``, ``floor`` and
        ``at_bound``.
    """
    d = _frame(result, horizon, ("policy_rate", "shadow_rate", "natural_rate", "at_bound"))
    floor = float(result.params.i_floor)
    d["floor"] = np.full(len(d), floor)
    x = np.asarray(d["years"])
    fig = new_figure(4.4, width_in=9.0, left=0.95, right=0.25, top=0.65 if title else 0.35,
                     bottom=0.55)
    ax = fig.subplots()
    _shade(ax, d)
    ax.plot(x, P * d["policy_rate"], color=C["blue"], label=_label("policy_rate"))
    ax.plot(x, P * d["shadow_rate"], color=C["sky_blue"], ls=":",
            label=_label("shadow_rate") + " (the rule)")
    ax.plot(x, P * d["natural_rate"], color=C["green"], ls="-.", label=_label("natural_rate"))
    ax.plot(x, P * d["floor"], color=C["black"], lw=1.1, ls=(0, (1, 1.5)),
            label=f"floor ({pct(floor, 1)})")
    ax.set_ylabel("% a year")
    ax.set_title("Interest rates")
    _time_axis(ax, x)
    ax.legend(fontsize=9.5, loc="lower right")
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, d


@_figure_function
def gap_inflation_figure(happened: KooResult, without: KooResult, *, horizon: int = HORIZON,
                         title: str = "") -> tuple[Figure, Table]:
    """The output gap (left) and inflation (right), as it happened and without the deficits.

    The shaded years are those at the floor as it happened.

    Returns
    -------
    (Figure, DataFrame)
        ``t``, ``years``, ``output_gap`` and ``inflation`` per scenario (suffix ``_happened``
        or ``_without``) and ``at_bound`` (as it happened).
    """
    a = _frame(happened, horizon, ("output_gap", "inflation", "at_bound"))
    b = _frame(without, horizon, ("output_gap", "inflation"))
    data = Table({"t": a["t"], "years": a["years"]})
    for col in ("output_gap", "inflation"):
        data[f"{col}_happened"] = a[col]
        data[f"{col}_without"] = b[col]
    data["at_bound"] = a["at_bound"]
    x = np.asarray(data["years"])
    fig = new_figure(4.6, width_in=11.0, left=0.95, right=0.3, top=0.65 if title else 0.35,
                     bottom=0.55, wspace=1.0, ncols=2)
    axes = fig.subplots(1, 2)
    for ax, col in zip(axes, ("output_gap", "inflation"), strict=True):
        _shade(ax, data, FLOOR_LABEL + " (as it happened)")
        ax.plot(x, P * data[f"{col}_happened"], color=C["blue"], label="as it happened")
        ax.plot(x, P * data[f"{col}_without"], color=C["vermillion"], ls="--",
                label="without the deficits")
        ax.axhline(0.0, **_ZERO_LINE)
        ax.set_title(_label(col).capitalize())
        _time_axis(ax, x)
        ax.legend(fontsize=9.5, loc="lower right")
    axes[0].set_ylabel("% of potential output")
    axes[1].set_ylabel("% a year")
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, data


@_figure_function
def lab_figure(comp: KooComparison, *, title: str = "") -> tuple[Figure, Table]:
    """The lab: each policy's cumulative output loss over the horizon, one bar per row.

    A negative loss is a net gain: the boom after the repair outweighs the slump. Rows without
    a solved path are left out.

    Returns
    -------
    (Figure, DataFrame)
        ``policy`` and ``cumulative_output_loss`` (a fraction of a year's potential output) of
        each bar, top to bottom.
    """
    rows = [r for r in comp.rows if r["cumulative_output_loss"] is not None]
    data = Table({
        "policy": [str(r["policy"]) for r in rows],
        "cumulative_output_loss": np.array([float(r["cumulative_output_loss"]) for r in rows])})
    loss = P * np.asarray(data["cumulative_output_loss"], dtype=float)
    fig = new_figure(0.45 * len(rows) + 1.9, width_in=9.0, left=3.3, right=0.3,
                     top=0.65 if title else 0.4, bottom=1.2)
    ax = fig.subplots()
    ax.set_axisbelow(True)
    yk = np.arange(len(rows))
    gain = loss < 0
    if gain.any():
        ax.barh(yk[gain], loss[gain], color=C["blue"],
                label="net gain: the boom after the repair outweighs the slump")
    if (~gain).any():
        ax.barh(yk[~gain], loss[~gain], color=C["vermillion"], hatch="//",
                edgecolor="white", lw=0, label="net loss")
    ax.set_yticks(yk, list(data["policy"]))
    for k, v in enumerate(loss):
        ax.annotate(f"{v:.1f}%", xy=(v, k), xytext=(4 if v >= 0 else -4, 0),
                    textcoords="offset points", va="center", ha="left" if v >= 0 else "right",
                    fontsize=9.5)
    ax.axvline(0.0, color="#555555", lw=0.9)
    ax.invert_yaxis()
    lo, hi = min(float(loss.min()), 0.0), max(float(loss.max()), 0.0)
    pad = 0.18 * max(hi - lo, 1e-9)
    ax.set_xlim(lo - (pad if lo < 0 else 0.0), hi + pad)
    ax.set_xlabel("cumulative output loss, % of a year's potential output")
    ax.grid(axis="y", visible=False)
    percent_axis(ax, "x")
    ax.legend(fontsize=9.5, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncols=2,
              frameon=False)
    if title:
        fig.suptitle(title, fontsize=14)
    return fig, data
