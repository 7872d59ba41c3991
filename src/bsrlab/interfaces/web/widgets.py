"""The pieces every explorer page shares: the frame, the error line, downloads, the snippet.

Nothing here computes a model: the pages pass functions that call the library.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import panel as pn

from bsrlab.interfaces.web import PAGES
from bsrlab.interfaces.web.state import error_line, query_string

__all__ = ["ErrorLine", "downloads", "frame", "push_query", "snippet_box"]

_CSS = """
.bsr-nav a { margin-right: 1.2em; font-weight: 600; color: #0072B2; text-decoration: none; }
.bsr-nav a.here { color: #000; text-decoration: underline; }
.bsr-error { color: #a00; font-family: monospace; font-size: 14px; }
.bsr-status { font-size: 15px; }
.bsr-status b { color: #0b3d91; }
table.bsr { border-collapse: collapse; font-size: 13px; }
table.bsr td, table.bsr th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; }
table.bsr th:first-child, table.bsr td:first-child { text-align: left; }
"""


def nav(route: str) -> pn.pane.HTML:
    """Links to every page, the current one marked."""
    links = "".join(
        f'<a href="/{r}" class="{"here" if r == route else ""}">{html.escape(t)}</a>'
        for r, t in PAGES.items())
    return pn.pane.HTML(f'<div class="bsr-nav"><a href="/">bsrlab explorer</a>{links}</div>',
                        stylesheets=[_CSS], sizing_mode="stretch_width")


def frame(route: str, title: str, *body: Any) -> pn.Column:
    """A page: the navigation bar, the title, then ``body``."""
    return pn.Column(nav(route), pn.pane.HTML(f"<h2>{html.escape(title)}</h2>"), *body,
                     sizing_mode="stretch_width")


class ErrorLine:
    """The one-line error of a page (empty when all is well); never a traceback."""

    def __init__(self) -> None:
        self.pane = pn.pane.HTML("", css_classes=["bsr-error"], stylesheets=[_CSS],
                                 sizing_mode="stretch_width", name="error")
        self.text = ""

    def show(self, line: str) -> None:
        """Show ``line`` (a ``bsrlab: error: ...`` line)."""
        self.text = line
        self.pane.object = f'<div class="bsr-error" role="alert">{html.escape(line)}</div>'

    def clear(self) -> None:
        """Remove the message."""
        self.text = ""
        self.pane.object = ""

    def run(self, fn: Callable[[], Any]) -> Any:
        """``fn()``, or None with the one-line error shown."""
        try:
            out = fn()
        except Exception as exc:  # the app never shows a traceback
            self.show(error_line(exc))
            return None
        return out


def html_table(frame_: Any, *, index: bool = False) -> str:
    """A data frame as a small HTML table."""
    return str(frame_.to_html(index=index, border=0, classes="bsr", na_rep="—",
                              float_format=lambda v: f"{v:.4g}"))


def downloads(stem: Callable[[], str], data: Callable[[], Any],
              figure: Callable[[], Any] | None, errors: ErrorLine) -> pn.Row:
    """Buttons: the current view's data as CSV, the figure as PNG and SVG.

    ``data()`` returns a data frame; ``figure()`` a matplotlib figure drawn by the presentation
    layer (its PNG and SVG are the report's renderers).
    """
    from bsrlab.presentation.render.html import figure_png, figure_svg

    def csv() -> io.BytesIO | None:
        df = errors.run(data)
        return None if df is None else io.BytesIO(df.to_csv(index=False).encode("utf-8"))

    def render(draw: Callable[[Any], bytes]) -> Callable[[], io.BytesIO | None]:
        def cb() -> io.BytesIO | None:
            fig = errors.run(figure) if figure is not None else None
            return None if fig is None else io.BytesIO(draw(fig))
        return cb

    items: list[Any] = [pn.widgets.FileDownload(callback=csv, filename=f"{stem()}.csv",
                                                label="Download data (CSV)", name="csv",
                                                button_type="default", embed=False)]
    if figure is not None:
        items += [
            pn.widgets.FileDownload(callback=render(figure_png), filename=f"{stem()}.png",
                                    label="Download figure (PNG)", embed=False, name="png"),
            pn.widgets.FileDownload(callback=render(figure_svg), filename=f"{stem()}.svg",
                                    label="Download figure (SVG)", embed=False, name="svg"),
        ]

    row = pn.Row(*items)

    def rename() -> None:
        for w in items:
            w.filename = f"{stem()}.{w.filename.rsplit('.', 1)[-1]}"

    row.rename = rename  # type: ignore[attr-defined]
    return row


def snippet_box() -> tuple[pn.Column, Callable[[str], None]]:
    """A read-only box holding the "copy as Python" snippet, with a button copying it."""
    area = pn.widgets.TextAreaInput(name="Copy as Python: this view with the API", value="",
                                    height=190, sizing_mode="stretch_width",
                                    css_classes=["bsr-snippet"])
    button = pn.widgets.Button(name="Copy as Python", button_type="primary")
    button.js_on_click(args={"area": area}, code=(
        "const t = area.value; if (navigator.clipboard) { navigator.clipboard.writeText(t) }"))

    def set_text(text: str) -> None:
        area.value = text

    return pn.Column(button, area, sizing_mode="stretch_width"), set_text


def push_query(values: Mapping[str, Any]) -> None:
    """Write the page's state into the address bar (a link then reproduces the view)."""
    loc = pn.state.location
    if loc is None:
        return
    q = query_string(values)
    loc.search = "?" + q if q else ""
