"""The deleveraging figures: no empty panel, honest legends, years on the x axis, percent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bsrlab.core.errors import ParameterError
from bsrlab.presentation.figures.deleveraging import (
    X_LABEL,
    comparison_figure,
    path_figure,
    years,
)
from bsrlab.scenarios.lab import Comparison, compare_policies
from bsrlab.scenarios.presets import NO_POLICY


@pytest.fixture(scope="module")
def comp() -> Comparison:
    return compare_policies("japan-1990s")


def _series(ax: Axes) -> dict[str, object]:
    """The labelled series drawn on ``ax`` with data: lines, bars, dots and shaded spans."""
    out: dict[str, object] = {}
    for ln in ax.lines:
        x = np.asarray(ln.get_xdata(), dtype=float)
        y = np.asarray(ln.get_ydata(), dtype=float)
        if x.size and np.isfinite(x).any() and np.isfinite(y).any():
            out[ln.get_label()] = ln
    for c in ax.containers:  # bars
        if len(c) and any(abs(p.get_height() * p.get_width()) > 0 for p in c):
            out[c.get_label()] = c
    for col in ax.collections:
        if isinstance(col, PathCollection) and len(col.get_offsets()):
            out[col.get_label()] = col
    for p in ax.patches:  # shaded spans carry their label on the first rectangle
        if isinstance(p, Patch) and p.get_width() > 0:
            out.setdefault(p.get_label(), p)
    return out


def _assert_honest(fig: Figure) -> None:
    """Every axes draws a series; every legend entry names a drawn series with data."""
    for ax in fig.axes:
        drawn = _series(ax)
        data = [k for k, v in drawn.items() if not isinstance(v, Patch)]
        assert data, f"empty panel: {ax.get_title()!r}"
        leg = ax.get_legend()
        if leg is None:
            continue
        named = {k for k in drawn if k and not k.startswith("_")}
        for text in leg.get_texts():
            assert text.get_text() in named, (ax.get_title(), text.get_text())


def test_path_figure_panels_are_full_and_legends_match(comp: Comparison) -> None:
    fig, data = path_figure(comp.paths[NO_POLICY], title="t")
    assert isinstance(fig, Figure) and isinstance(data, pd.DataFrame)
    _assert_honest(fig)
    titles = [ax.get_title() for ax in fig.axes]
    # without policy the government does nothing: no (empty) government panel
    assert "Government" not in titles
    assert len(fig.axes) == 5


def test_path_figure_with_fiscal_policy_shows_the_government(comp: Comparison) -> None:
    fig, _ = path_figure(comp.paths["fiscal stimulus"])
    _assert_honest(fig)
    assert "Government" in [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 6


def test_x_axis_is_years_after_the_bust(comp: Comparison) -> None:
    res = comp.paths[NO_POLICY]
    fig, data = path_figure(res, horizon=12)
    assert data["years"].tolist() == list(range(12))  # t = 0 is the first year of the bust
    for ax in fig.axes:
        assert ax.get_xlabel() == X_LABEL == "years after the bust"
    gap_ax = next(ax for ax in fig.axes if ax.get_title() == "Output gap and inflation")
    line = next(ln for ln in gap_ax.lines if ln.get_label() == "output gap")
    np.testing.assert_array_equal(line.get_xdata(), data["years"])
    np.testing.assert_allclose(line.get_ydata(), 100 * res.output_gap[:12], rtol=0,
                               atol=1e-12)


def test_quarterly_periods_are_converted_to_years(comp: Comparison) -> None:
    fig, data = path_figure(comp.paths[NO_POLICY], horizon=9, period="quarter")
    np.testing.assert_allclose(data["years"], np.arange(9) / 4)
    assert fig.axes[0].lines[0].get_xdata()[-1] == pytest.approx(2.0)
    with pytest.raises(ParameterError, match="period"):
        years([0, 1], "fortnight")


def test_rates_are_in_percent_with_the_floor_marked(comp: Comparison) -> None:
    res = comp.paths[NO_POLICY]
    fig, data = path_figure(res)
    ax = next(ax for ax in fig.axes if ax.get_title() == "Interest rates")
    policy = next(ln for ln in ax.lines if ln.get_label().startswith("policy rate"))
    np.testing.assert_allclose(policy.get_ydata(), 100 * data["policy_rate"], atol=1e-12)
    floor = [ln for ln in ax.lines if ln.get_label().startswith("floor")]
    assert len(floor) == 1
    assert set(np.asarray(floor[0].get_ydata(), dtype=float)) == {100 * float(res.params.i_floor)}
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks)


def test_bound_spell_is_shaded(comp: Comparison) -> None:
    res = comp.paths[NO_POLICY]
    fig, data = path_figure(res)
    bound = data.loc[data["at_bound"].astype(bool), "years"].to_numpy()
    assert bound.size > 0
    ax = next(ax for ax in fig.axes if ax.get_title() == "Interest rates")
    spans = [p for p in ax.patches if p.get_label() == "policy rate at the floor"]
    assert len(spans) == 1
    # every panel shades the same years, from the first to the last year at the floor
    for a in fig.axes:
        grey = [p for p in a.patches if p.get_facecolor()[:3] == spans[0].get_facecolor()[:3]]
        assert grey, a.get_title()
        assert grey[0].get_x() == pytest.approx(bound.min() - 0.5)
        assert grey[-1].get_x() + grey[-1].get_width() == pytest.approx(bound.max() + 0.5)


def test_comparison_figure_data_match_the_lines(comp: Comparison) -> None:
    fig, data = comparison_figure(comp, horizon=15)
    _assert_honest(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == X_LABEL
    for label, path in comp.paths.items():
        line = next(ln for ln in ax.lines if ln.get_label() == label)
        np.testing.assert_allclose(line.get_ydata(), 100 * data[label], atol=1e-12)
        np.testing.assert_allclose(data[label], path.output_gap[:15], atol=0)
    np.testing.assert_array_equal(data["years"], np.arange(15))
