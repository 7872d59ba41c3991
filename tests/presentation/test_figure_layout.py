"""Figures keep fixed margins that hold every label, use plain text, and render once (PNG, SVG)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from bsrlab.cases.diagnose import diagnose_all
from bsrlab.presentation.figures import FIGURES
from bsrlab.presentation.figures.cases import declines_figure
from bsrlab.presentation.figures.deleveraging import comparison_figure, path_figure
from bsrlab.presentation.render.html import figure_png, png_bytes
from bsrlab.presentation.style import mark_x, new_figure, styled
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import NO_POLICY
from bsrlab.vonpeter import Params

CALIBRATIONS = {
    "default": Params(alpha=0.5, beta=1 / 1.05, gamma=0.1),
    "other": Params(alpha=0.3, beta=0.97, gamma=0.4),
    "leveraged": Params(alpha=0.9, beta=0.99, gamma=0.05),  # thresholds near zero
}


def _report_figures() -> Iterator[tuple[str, Callable[[], Figure]]]:
    for tag, params in CALIBRATIONS.items():
        for name, func in FIGURES.items():
            yield f"{tag}-{name}", lambda f=func, p=params: f(p)[0]
    for preset in ("japan-1990s", "us-2008"):
        yield f"{preset}-paths", lambda p=preset: path_figure(
            compare_policies(p).paths[NO_POLICY], title="A figure title")[0]
        yield f"{preset}-fiscal-paths", lambda p=preset: path_figure(
            compare_policies(p).paths["fiscal stimulus"])[0]
        yield f"{preset}-policies", lambda p=preset: comparison_figure(
            compare_policies(p), title="A figure title")[0]
    yield "declines", lambda: declines_figure(diagnose_all(data_dir=None))[0]


CASES = dict(_report_figures())


@pytest.mark.parametrize("name", list(CASES))
def test_labels_fit_inside_the_fixed_margins(name: str) -> None:
    fig = CASES[name]()
    assert fig.get_layout_engine() is None  # margins are set by hand, nothing measured
    renderer = FigureCanvasAgg(fig).get_renderer()
    box = fig.get_tightbbox(renderer)  # inches: every tick label, title, legend and note
    width, height = fig.get_size_inches()
    tol = 0.5 / fig.dpi
    assert box.x0 >= -tol and box.y0 >= -tol, (name, box)
    assert box.x1 <= width + tol and box.y1 <= height + tol, (name, box)
    # plain (Unicode) text throughout: no mathtext to parse
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not [t for t in texts if "$" in t]


def test_mark_x_sets_the_subscript_after_and_below_the_symbol() -> None:
    @styled
    def build(ha: str) -> Figure:
        fig = new_figure(3.0, width_in=4.0)
        ax = fig.subplots()
        ax.set_xlim(0, 10)
        mark_x(ax, 5.0, "τ", sub="Div", ha=ha)
        return fig

    for ha in ("center", "left", "right"):
        fig = build(ha)
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = fig.axes[0]
        base, sub = sorted(ax.texts, key=lambda t: len(t.get_text()))
        assert (base.get_text(), sub.get_text()) == ("τ", "Div")
        b, s = base.get_window_extent(renderer), sub.get_window_extent(renderer)
        assert s.x0 == pytest.approx(b.x1, abs=0.6)  # set right after the symbol
        assert s.y0 < b.y0  # and lowered
        x_line = ax.transData.transform((5.0, 0.0))[0]
        if ha == "right":
            assert s.x1 == pytest.approx(x_line, abs=0.6)
        elif ha == "left":
            assert b.x0 == pytest.approx(x_line, abs=0.6)
        else:
            assert (b.x0 + b.x1) / 2 == pytest.approx(x_line, abs=0.6)


def _decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGBA"))


def test_png_bytes_round_trip() -> None:
    rng = np.random.default_rng(3)
    opaque = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    opaque[..., 3] = 255
    png = png_bytes(opaque, dpi=100)
    with Image.open(io.BytesIO(png)) as img:
        assert img.mode == "RGB" and img.size == (5, 7)
        assert img.info["dpi"] == pytest.approx((100, 100), abs=1e-3)
    np.testing.assert_array_equal(_decode(png), opaque)
    seen_through = opaque.copy()
    seen_through[2, 3, 3] = 40
    with Image.open(io.BytesIO(png_bytes(seen_through))) as img:
        assert img.mode == "RGBA"
    np.testing.assert_array_equal(_decode(png_bytes(seen_through)), seen_through)
    with pytest.raises(ValueError, match="height x width x 4"):
        png_bytes(opaque[..., :3])


def test_figure_png_has_the_pixels_of_savefig() -> None:
    fig = FIGURES["fig5_balance_sheets"](CALIBRATIONS["default"])[0]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    canvas = fig.canvas
    ours = _decode(figure_png(fig))
    assert fig.canvas is canvas  # the figure is left as it was given
    assert ours.shape == (520, 900, 4)
    np.testing.assert_array_equal(ours, _decode(buf.getvalue()))


def test_figure_svg_keeps_text_as_text_and_is_reproducible() -> None:
    import re

    from bsrlab.core.errors import ParameterError
    from bsrlab.presentation.figures.vonpeter import fig7_financial_extremes
    from bsrlab.presentation.render.html import figure_svg, render_html

    fig, _ = fig7_financial_extremes(CALIBRATIONS["default"], n=101)
    one, two = figure_svg(fig), figure_svg(fig)
    assert one == two  # no date, fixed ids
    text = one.decode("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    labels = [t.get_text() for ax in fig.axes for t in (ax.xaxis.label, ax.yaxis.label)
              if t.get_text()]
    assert labels and all(html_escape(lab) in text for lab in labels)
    assert not re.search(r"""(href|src)=["']?(https?:|//)|url\(\s*['"]?(https?:|//)""", text)
    with pytest.raises(ParameterError, match="figure_format"):
        render_html("t", [], figure_format="gif")


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
