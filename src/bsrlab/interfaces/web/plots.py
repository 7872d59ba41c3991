"""Interactive charts of the explorer: Bokeh figures fed by the presentation layer's data frames.

A :class:`Chart` holds named line series, markers and vertical marks, each in its own
``ColumnDataSource``, so that moving a slider only sends new numbers to the browser. Every
glyph has a hover tool showing its values. Declines, shocks and rates are drawn in percent
(``percent`` axes multiply by 100, as the report's figures do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from bokeh.models import (  # type: ignore[attr-defined]
    ColumnDataSource,
    HoverTool,
    Legend,
    LegendItem,
    LinearColorMapper,
    Span,
)
from bokeh.plotting import figure

from bsrlab.presentation.style import OKABE_ITO, RANGE_COLOURS

__all__ = ["PALETTE", "Chart", "RegimeMap"]

#: Colours of successive series (Okabe-Ito, as the report).
PALETTE: tuple[str, ...] = tuple(OKABE_ITO[k] for k in (
    "blue", "vermillion", "green", "purple", "orange", "sky_blue", "black", "yellow"))

_TOOLS = "pan,wheel_zoom,box_zoom,reset"


def _arr(v: Any, scale: float) -> list[float]:
    a = np.asarray(v, dtype=np.float64) * scale
    return [float(x) if np.isfinite(x) else float("nan") for x in a.ravel()]


class Chart:
    """A line chart with hover values.

    Parameters
    ----------
    title, x_label, y_label
        Texts of the chart.
    series
        ``(key, label)`` pairs, one line each (colours in order of :data:`PALETTE`).
    x_percent, y_percent
        Multiply x (y) values by 100 and say so in the hover text.
    height, width
        Size in pixels.
    """

    def __init__(self, title: str, x_label: str, y_label: str,
                 series: Sequence[tuple[str, str]], *, x_percent: bool = False,
                 y_percent: bool = False, height: int = 330, width: int = 520,
                 name: str = "") -> None:
        self.xs = 100.0 if x_percent else 1.0
        self.ys = 100.0 if y_percent else 1.0
        xu = " (%)" if x_percent else ""
        yu = " (%)" if y_percent else ""
        self.fig = figure(title=title, height=height, width=width, tools=_TOOLS,
                          x_axis_label=x_label + xu, y_axis_label=y_label + yu,
                          name=name or None, toolbar_location="above")
        self.sources: dict[str, ColumnDataSource] = {}
        items = []
        fmt = "{0.000}"
        for i, (key, label) in enumerate(series):
            src = ColumnDataSource({"x": [], "y": [], "label": []})
            r = self.fig.line("x", "y", source=src, color=PALETTE[i % len(PALETTE)],
                              line_width=2.4 if i == 0 else 2.0,
                              line_dash="solid" if i % 2 == 0 else "dashed")
            self.sources[key] = src
            items.append(LegendItem(label=label, renderers=[r]))
        self.markers = ColumnDataSource({"x": [], "y": [], "label": []})
        m = self.fig.scatter("x", "y", source=self.markers, size=10, color="#000000",
                             fill_color="white", line_width=1.8)
        self.fig.add_tools(HoverTool(tooltips=[("", "@label"), (x_label + xu, "@x" + fmt),
                                               (y_label + yu, "@y" + fmt)],
                                     mode="mouse"))
        if items:
            legend = Legend(items=items, location="top_left", click_policy="hide",
                            label_text_font_size="9pt", background_fill_alpha=0.7)
            self.fig.add_layout(legend)
        self.fig.renderers.append(m)
        self.spans: list[Span] = []

    def set(self, key: str, x: Any, y: Any, label: str | None = None) -> None:
        """Replace the points of series ``key``."""
        xs, ys = _arr(x, self.xs), _arr(y, self.ys)
        lab = label if label is not None else key
        self.sources[key].data = {"x": xs, "y": ys, "label": [lab] * len(xs)}

    def set_markers(self, points: Sequence[tuple[str, float, float]]) -> None:
        """Replace the markers: ``(label, x, y)`` triples (hover shows the label)."""
        self.markers.data = {"x": [float(p[1]) * self.xs for p in points],
                             "y": [float(p[2]) * self.ys for p in points],
                             "label": [p[0] for p in points]}

    def set_vlines(self, xs: Sequence[float], colour: str = "#333333") -> None:
        """Vertical marks at ``xs`` (e.g. the current shock)."""
        while len(self.spans) < len(xs):
            s = Span(location=0.0, dimension="height", line_color=colour, line_width=1.5,
                     line_dash="dotted")
            self.fig.add_layout(s)
            self.spans.append(s)
        for s, x in zip(self.spans, [*xs, *[None] * (len(self.spans) - len(xs))], strict=True):
            s.visible = x is not None
            if x is not None:
                s.location = float(x) * self.xs


#: The categories of the regime map: the four loss regimes below tau*, then beyond tau*.
_MAP_COLOURS = (*RANGE_COLOURS, "#3b3b3b")


class RegimeMap:
    """The regime map over (alpha, tau): who bears the losses, and where only a crisis remains.

    Each cell is coloured by the loss regime of Proposition 3 when tau <= tau*(alpha), and dark
    beyond tau*, where the banking crisis is the only equilibrium (Proposition 4); the line is
    tau*(alpha) and the marker the current calibration. Hovering a cell shows alpha, tau and
    the regime's number (0-4, in the order of ``names``, listed under the map).
    """

    def __init__(self, names: Sequence[str], height: int = 380, width: int = 520) -> None:
        self.names = list(names)
        self.fig = figure(title="Regime map over (α, τ)", height=height, width=width,
                          tools=_TOOLS, x_axis_label="α (output elasticity of assets)",
                          y_axis_label="shock τ (%)", toolbar_location="above")
        self.cells = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        mapper = LinearColorMapper(palette=list(_MAP_COLOURS), low=-0.5,
                                   high=len(_MAP_COLOURS) - 0.5)
        r = self.fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.cells,
                           color_mapper=mapper, alpha=0.85)  # type: ignore[call-arg]
        self.line = ColumnDataSource({"x": [], "y": []})
        self.fig.line("x", "y", source=self.line, color="#000000", line_width=2.2,
                      legend_label="τ*(α)")
        self.here = ColumnDataSource({"x": [], "y": []})
        self.fig.scatter("x", "y", source=self.here, marker="diamond", size=16,
                         fill_color=OKABE_ITO["yellow"], line_color="#000000",
                         legend_label="this calibration")
        self.fig.legend.location = "top_right"
        self.fig.add_tools(HoverTool(renderers=[r], tooltips=[
            ("α", "$x{0.000}"), ("τ (%)", "$y{0.0}"), ("regime", "@image")]))

    def legend_html(self) -> str:
        """The regimes' numbers and colours, as HTML."""
        return "".join(f'<span style="background:{c};padding:0 6px;margin-right:4px">'
                       f"&nbsp;</span>{i}: {n}&emsp;"
                       for i, (c, n) in enumerate(zip(_MAP_COLOURS, self.names, strict=True)))

    def update(self, alpha: Any, tau: Any, regime: Any, tau_star: Any,
               here: tuple[float, float]) -> None:
        """New cells: grids ``alpha`` (n) and ``tau`` (m), codes ``regime`` (n x m, 0-4)."""
        a, t = np.asarray(alpha, dtype=float), np.asarray(tau, dtype=float)
        da = float(a[1] - a[0]) if a.size > 1 else 0.01
        dt = float(t[1] - t[0]) if t.size > 1 else 0.01
        self.cells.data = {"image": [np.asarray(regime, dtype=np.float64).T],
                           "x": [float(a[0] - da / 2)], "y": [100 * float(t[0] - dt / 2)],
                           "dw": [float(a[-1] - a[0] + da)],
                           "dh": [100 * float(t[-1] - t[0] + dt)]}
        ts = np.asarray(tau_star, dtype=float)
        hi = float(t[-1]) if t.size else 1.0
        ok = np.isfinite(ts) & (ts <= hi * 1.05)
        self.line.data = {"x": a[ok].tolist(), "y": (100 * ts[ok]).tolist()}
        self.move(here)

    def move(self, here: tuple[float, float]) -> None:
        """Move the marker of the current calibration to ``here`` = (alpha, tau)."""
        self.here.data = {"x": [here[0]], "y": [100 * here[1]]}
