"""The case-study figures return (Figure, DataFrame), and the data are what is drawn."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from bsrlab.cases.diagnose import Diagnosis, diagnose, diagnose_all
from bsrlab.presentation.figures.cases import (
    DATA_COLUMNS,
    declines_figure,
    episode_figure,
    panel_figure,
)


@pytest.fixture(scope="module")
def diags() -> list[Diagnosis]:
    return diagnose_all(data_dir=None)


def _episode_data(d: Diagnosis) -> pd.DataFrame:
    """A small long frame of the three panels over the episode's years."""
    years = np.arange(d.episode.start - 3, d.episode.end + 4, dtype=float)
    ramp = np.linspace(1.0, 0.4, years.size)
    return pd.DataFrame({
        "date": np.concatenate([years, years, years, years]),
        "series": (["equity prices (JST)"] * years.size + ["house prices (JST)"] * years.size
                   + ["credit/GDP"] * years.size + ["bank capital/assets"] * years.size),
        "panel": ["prices"] * (2 * years.size) + ["credit"] * years.size
                 + ["capital"] * years.size,
        "value": np.concatenate([ramp, ramp ** 0.5, 0.9 + 0 * ramp, 0.08 + 0 * ramp]),
    })


def test_episode_figure_data_match_the_lines() -> None:
    d = diagnose("japan-1990s", data_dir=None)
    fig, data = episode_figure(d, _episode_data(d))
    assert isinstance(fig, Figure) and isinstance(data, pd.DataFrame)
    assert tuple(data.columns) == DATA_COLUMNS
    prices, credit, capital, _losses = fig.axes
    # every line drawn is a series of the data, point for point, and vice versa
    drawn = {ln.get_label(): ln for ln in prices.lines}
    for name, g in data[data["panel"] == "prices"].groupby("series", sort=False):
        label = next(k for k in drawn if k == name or k.startswith(f"{name} ="))
        np.testing.assert_array_equal(drawn[label].get_xdata(), g["date"])
        np.testing.assert_allclose(drawn[label].get_ydata(), g["value"], rtol=0, atol=0)
    for ax, panel in ((credit, "credit"), (capital, "capital")):
        g = data[data["panel"] == panel]
        (line,) = ax.lines
        np.testing.assert_array_equal(line.get_ydata(), g["value"])
    # the threshold lines sit at 1 - delta (those below 100%)
    for key, symbol in (("delta_star", "δ*"), ("delta_K", "δ_K")):
        rows = data[data["series"] == f"1 − {symbol}"]
        if float(d.thresholds[key]) <= 1.0:
            assert np.allclose(rows["value"], 1.0 - float(d.thresholds[key]))
        else:
            assert rows.empty
    legend = {t.get_text() for t in prices.get_legend().get_texts()}
    assert legend <= ({ln.get_label() for ln in prices.lines}
                      | {p.get_label() for p in prices.patches})


def test_declines_figure_bars_are_the_data(diags: list[Diagnosis]) -> None:
    fig, data = declines_figure(diags)
    assert isinstance(fig, Figure)
    assert list(data.columns) == ["episode", "asset", "decline", "delta_star", "delta_K"]
    (ax,) = fig.axes
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    heights = sorted(float(p.get_height()) for c in bars for p in c
                     if np.isfinite(p.get_height()))
    np.testing.assert_allclose(heights, sorted(data["decline"]), rtol=0, atol=0)
    expected = {(d.episode.name, a): v for d in diags for a, v in d.observation.declines.items()}
    got = {(r.episode, r.asset): r.decline for r in data.itertuples()}
    assert got == pytest.approx(expected)
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend == {c.get_label() for c in bars} | {c.get_label() for c in ax.collections}


def test_panel_figure_dots_are_the_data() -> None:
    rng = np.random.default_rng(7)
    n = 60
    frame = pd.DataFrame({"iso": ["AAA"] * n, "year": np.arange(1900, 1900 + n),
                          "decline": rng.uniform(0, 0.8, n),
                          "delta_star": rng.uniform(0, 5, n),
                          "event": rng.uniform(size=n) < 0.2})
    result = types.SimpleNamespace(frame=frame)
    fig, data = panel_figure(result, cap=3.0)  # type: ignore[arg-type]
    (ax,) = fig.axes
    dots = np.concatenate([c.get_offsets() for c in ax.collections])
    want = np.column_stack([data["delta_star"].clip(upper=3.0), data["decline"]])
    key = np.lexsort(dots.T[::-1])
    np.testing.assert_allclose(dots[key], want[np.lexsort(want.T[::-1])], rtol=0, atol=0)
    assert len(data) == n


def test_a_break_is_marked_on_the_panel_of_its_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """A house-price break marks the prices panel, a loans break the credit panel."""
    from bsrlab.cases import facts

    d = diagnose("japan-1990s", data_dir=None)
    fake = facts.DataBreak(iso="JPN", variable="hpnom", year=d.episode.start + 1,
                           text="a house-price break", source="test")
    monkeypatch.setattr(facts, "DATA_BREAKS", (*facts.DATA_BREAKS, fake))
    fig, _ = episode_figure(d, _episode_data(d))
    prices, credit, capital, _losses = fig.axes

    def labels(ax: object) -> list[str]:
        leg = ax.get_legend()  # type: ignore[attr-defined]
        return [] if leg is None else [t.get_text() for t in leg.get_texts()]

    assert f"data break (hpnom, {fake.year})" in labels(prices)
    assert f"data break (hpnom, {fake.year})" not in labels(credit)
    assert "data break (tloans, 1993)" in labels(credit)
    assert not any("data break" in t for t in labels(capital))
