"""The SVG's axes written directly (render/svgaxis.py) are matplotlib's, text for text and line
for line: every figure of the report, and figures with shapes the fast path must leave alone."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from bsrlab.presentation.render.html import _SVG_RC, figure_svg
from bsrlab.presentation.render.svgaxis import AxisLayer, fast_axes
from bsrlab.presentation.style import new_figure, styled

NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def matplotlib_svg(fig: Figure) -> str:
    """The figure drawn by matplotlib alone, with the settings of :func:`figure_svg`."""
    buf = io.BytesIO()
    canvas, dpi = fig.canvas, fig.dpi
    with matplotlib.rc_context(_SVG_RC):  # type: ignore[arg-type]
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    fig.set_canvas(canvas)
    fig.dpi = dpi
    return buf.getvalue().decode("utf-8")


def _placement(el: ET.Element) -> tuple[float, float, float]:
    """(x, y, rotation) of a text element: from x and y, or from its translate()."""
    transform = el.get("transform", "")
    m = re.search(r"rotate\(([-\d.e]+)", transform)
    rotation = -float(m.group(1)) + 0.0 if m else 0.0
    t = re.search(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", transform)
    x, y = (el.get("x"), el.get("y")) if el.get("x") is not None else \
        (t.group(1), t.group(2)) if t else ("0", "0")
    return round(float(x or 0), 2), round(float(y or 0), 2), rotation


def texts(svg: str) -> Counter[tuple[str, float, float, float, str]]:
    """Every text element: string, baseline anchor (rounded to 0.01), rotation, style."""
    out: Counter[tuple[str, float, float, float, str]] = Counter()
    for el in ET.fromstring(svg).iter(f"{NS}text"):
        out[("".join(el.itertext()).strip(), *_placement(el), el.get("style", ""))] += 1
    return out


def _segments(d: str) -> list[tuple[float, float, float, float]]:
    return [(float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(r"M\s+([-\d.]+)\s+([-\d.]+)\s+L\s+([-\d.]+)\s+([-\d.]+)", d)]


Segment = tuple[float, float, float, float]
Lines = tuple[Counter[tuple[Segment, str]], Counter[tuple[Segment, str]]]


def _pen(style: str) -> str:
    """The stroke colour, width and opacity of a style attribute."""
    return " ".join(re.findall(r"stroke(?:-width|-opacity)?: [^;]+", style))


def _canonical(x0: float, y0: float, x1: float, y1: float) -> Segment:
    a, b = sorted([(round(x0, 2), round(y0, 2)), (round(x1, 2), round(y1, 2))])
    return (*a, *b)


def axis_lines(svg: str, ours: bool) -> Lines:
    """Grid-line and tick-mark segments of every axis (a tick mark: marker path at its place)."""
    grid: Counter[tuple[Segment, str]] = Counter()
    ticks: Counter[tuple[Segment, str]] = Counter()
    root = ET.fromstring(svg)
    if ours:
        for g in root.iter(f"{NS}g"):
            if "bsrlab-axis" not in g.get("class", ""):
                continue
            for p in g.iter(f"{NS}path"):
                pen = _pen(p.get("style", ""))
                segs = [(_canonical(*seg), pen) for seg in _segments(p.get("d", ""))]
                is_ticks = "stroke-linecap: butt" in p.get("style", "")
                (ticks if is_ticks else grid).update(segs)
        return grid, ticks
    markers = {p.get("id"): _segments(p.get("d", "")) for p in root.iter(f"{NS}path")
               if p.get("id")}
    for g in root.iter(f"{NS}g"):
        if not re.fullmatch(r"[xy]tick_\d+", g.get("id", "")):
            continue
        for p in g.iter(f"{NS}path"):
            if p.get("id") is None:  # not a marker's definition
                grid.update((_canonical(*seg), _pen(p.get("style", "")))
                            for seg in _segments(p.get("d", "")))
        for u in g.iter(f"{NS}use"):
            x, y = float(u.get("x", "nan")), float(u.get("y", "nan"))
            for mx0, my0, mx1, my1 in markers[u.get(XLINK, "").lstrip("#")]:
                ticks[(_canonical(x + mx0, y + my0, x + mx1, y + my1),
                       _pen(u.get("style", "")))] += 1
    return grid, ticks


def assert_same_axes(fig: Figure) -> None:
    """Our SVG of ``fig`` has matplotlib's texts, grid lines and tick marks, exactly."""
    theirs = matplotlib_svg(fig)
    ours = figure_svg(fig).decode("utf-8")
    assert texts(ours) == texts(theirs)
    g0, t0 = axis_lines(theirs, ours=False)
    g1, t1 = axis_lines(ours, ours=True)
    # an axis left to matplotlib is in its own groups: count both kinds in our SVG
    g2, t2 = axis_lines(ours, ours=False)
    assert g1 + g2 == g0
    assert t1 + t2 == t0


@pytest.fixture(scope="module")
def report_figures() -> dict[str, Figure]:
    from bsrlab.presentation.config import ReportConfig
    from bsrlab.presentation.report import build_report

    rep = build_report(ReportConfig())
    return {f.name: f.figure for s in rep.sections for f in s.figures}


def test_every_report_figure_has_matplotlibs_axes(report_figures: dict[str, Figure]) -> None:
    assert len(report_figures) >= 12
    drawn = 0
    for name, fig in report_figures.items():
        with fast_axes(fig) as layers:
            drawn += len(layers)
        try:
            assert_same_axes(fig)
        except AssertionError as exc:  # name the figure
            raise AssertionError(f"{name}: {exc}") from exc
    assert drawn >= 2 * len(report_figures) - 2  # nearly every axis takes the fast path


def _heatmaps() -> Figure:
    from bsrlab.presentation.figures.scale import vulnerability_heatmaps
    from bsrlab.scale.distributions import Box, parse
    from bsrlab.scale.maps import vulnerability_map

    m = vulnerability_map("alpha", np.linspace(0.3, 0.9, 4), "R", np.linspace(1.01, 1.2, 3),
                          shock=parse("tau", {"uniform": [0.0, 0.2]}, Box(0.0, 1.0)))
    return vulnerability_heatmaps(m)[0]


def _other_figures() -> dict[str, Callable[[], Figure]]:
    from bsrlab.presentation.figures import FIGURES
    from bsrlab.presentation.figures.deleveraging import comparison_figure
    from bsrlab.presentation.figures.policylab import recap_regime_map, shock_sequence
    from bsrlab.scenarios.lab import compare_policies
    from bsrlab.vonpeter import Params

    lev = Params(alpha=0.9, beta=0.99, gamma=0.05)
    return {
        "fig2-leveraged": lambda: FIGURES["fig2_outcomes"](lev)[0],
        "fig8-leveraged": lambda: FIGURES["fig8_instability"](lev)[0],
        "us-2008-policies": lambda: comparison_figure(compare_policies("us-2008"))[0],
        "recap-map": lambda: recap_regime_map(lev, n=21)[0],
        "heatmaps-with-colour-bars": _heatmaps,
        "shock-sequence": lambda: shock_sequence(Params(alpha=0.5, beta=1 / 1.05, gamma=0.1),
                                                 [0.02, 0.03, 0.05])[0],
    }


@pytest.mark.parametrize("name", list(_other_figures()))
def test_other_figures_have_matplotlibs_axes(name: str) -> None:
    assert_same_axes(_other_figures()[name]())


@styled
def _awkward() -> Figure:
    """Axes the fast path must leave to matplotlib, beside one it takes."""
    fig = new_figure(6.0, width_in=9.0, nrows=2, ncols=2, hspace=0.9, wspace=0.9, left=1.2)
    (a, b), (c, d) = fig.subplots(2, 2)
    a.plot([1e6, 1e6 + 3], [1e-7, 3e-7])  # offset and multiplier texts
    a.set_xlabel("offset")
    b.semilogy([1, 2, 3], [1, 100, 10_000])  # minor ticks, mathtext labels
    b.set_ylabel("log scale")
    c.plot([0, 1], [0, 1])
    c.tick_params(axis="x", labelrotation=30)  # rotated labels
    c.xaxis.set_label_position("top")
    c.set_xlabel("on top")
    d.plot([0, 1], [2, 3])
    d.set_xlabel("plain x")
    d.set_ylabel("plain y")
    d.grid(True, linestyle="--")  # dashed grid lines
    return fig


@styled
def _varied() -> Figure:
    """Axes the fast path takes, in shapes the report's figures do not all have."""
    from matplotlib.ticker import NullLocator

    fig = new_figure(6.0, width_in=9.0, nrows=2, ncols=2, hspace=0.9, wspace=1.2, left=1.2,
                     right=0.9)
    (a, b), (c, d) = fig.subplots(2, 2)
    a.barh(["Japan", "Sweden", "United States"], [3.0, -1.0, 2.5])  # categories
    a.invert_yaxis()
    a.set_axisbelow(True)
    a.set_xlabel("decline")
    b.plot([0, 1, 2], [5, 3, 4])
    b.set_xticks([0, 1, 2], labels=["", "one", "two"])  # fixed labels, one empty
    b.yaxis.set_major_locator(NullLocator())  # no ticks at all
    b.set_ylabel("no ticks")
    c.plot([0, 10], [0, 1])
    c.twinx().plot([0, 10], [1, 0], color="C1")  # the twin's axis is on the right
    c.set_ylabel("left")
    d.plot([-2e-4, 3e-4], [1, 2])
    d.set_xlim(3e-4, -2e-4)  # inverted limits
    d.tick_params(axis="y", direction="inout", length=6, colors="#884400", labelsize=9)
    d.set_ylabel("coloured", color="#004488", fontsize=10, fontweight="bold")
    return fig


def test_varied_axes_are_matplotlibs() -> None:
    fig = _varied()
    with fast_axes(fig) as layers:
        owned = {(id(layer.axis.axes), layer.axis.axis_name) for layer in layers}
    twin = fig.axes[-1]
    assert (id(twin), "y") not in owned and (id(fig.axes[2]), "y") in owned
    assert_same_axes(fig)


def test_axes_the_fast_path_cannot_draw_are_matplotlibs() -> None:
    fig = _awkward()
    assert_same_axes(fig)
    svg = figure_svg(fig).decode("utf-8")
    assert "1e6" in svg or "+1e6" in svg or "1e−7" in svg or "×10" in svg  # offset text drawn
    with fast_axes(fig) as layers:
        owned = {(id(layer.axis.axes), layer.axis.axis_name) for layer in layers}
    c = fig.axes[2]
    assert (id(c), "x") not in owned  # label on top: never taken
    # the others are taken but draw themselves as matplotlib when they must
    assert (id(fig.axes[3]), "x") in owned


def test_the_figure_is_left_as_it_was() -> None:
    @styled
    def build() -> Figure:
        fig = new_figure(3.0, width_in=4.0)
        ax = fig.subplots()
        ax.plot(np.arange(5), np.arange(5) ** 2, label="y")
        ax.set_xlabel("x")
        ax.legend()
        return fig

    fig = build()
    dpi, children = fig.dpi, [list(ax.get_children()) for ax in fig.axes]
    one = figure_svg(fig)
    assert fig.dpi == dpi  # the SVG is drawn at 72 dpi; the figure keeps its own
    assert [list(ax.get_children()) for ax in fig.axes] == children
    assert all(ax.xaxis.get_visible() and ax.yaxis.get_visible() for ax in fig.axes)
    assert figure_svg(fig) == one  # and drawing it again gives the same bytes
    # the PNG of the figure is drawn by matplotlib alone (an Agg canvas: the layer steps back)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plain = buf.getvalue()
    with fast_axes(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    assert buf.getvalue() == plain


def test_a_layer_on_another_renderer_draws_the_axis_itself(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    renderer = FigureCanvasAgg(fig).get_renderer()
    layer = AxisLayer(ax.xaxis)
    drawn: list[Any] = []
    original = ax.xaxis.draw

    def draw(r: Any) -> None:
        drawn.append(r)
        original(r)

    monkeypatch.setattr(ax.xaxis, "draw", draw)
    layer.draw(renderer)
    assert drawn == [renderer]


def test_the_font_in_force_at_the_draw_is_the_one_measured() -> None:
    @styled
    def build() -> Figure:
        fig = new_figure(3.0, width_in=4.0, left=1.4)
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_yticks([0, 1], labels=["iiii", "Wide"])
        ax.set_ylabel("placed after the widest label")
        return fig

    fig = build()
    figure_svg(fig)  # measures the labels in the default sans-serif font
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans Mono"]}):  # other widths
        assert_same_axes(fig)
