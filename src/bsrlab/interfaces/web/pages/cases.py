"""Case studies and the panel test: each episode diagnosed, and the dashboard when data exist.

The episode's section is :func:`bsrlab.presentation.content.cases.case_section` (typed facts
when there is no data directory), rendered by the report's HTML renderer; the dashboard is
:func:`bsrlab.cases.dashboard.dashboard` with
:func:`bsrlab.presentation.content.cases.dashboard_section`, shown only when the data are
available (``--data-dir``, ``$BSRLAB_DATA`` or the user cache), with a note otherwise.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import panel as pn

from bsrlab.interfaces.web.state import error_line, read
from bsrlab.interfaces.web.widgets import ErrorLine, downloads, frame, push_query, snippet_box

__all__ = ["page", "section_html"]

ROUTE = "cases"


def section_html(section: Any) -> str:
    """One report section as HTML (figures embedded as SVG), from the report's renderer."""
    from bsrlab.presentation.render.html import render_html

    page = render_html(section.title, [section])
    m = re.search(r"<section.*</section>", page, flags=re.S)
    return m.group(0) if m else ""


@lru_cache(maxsize=16)
def _case(name: str, data_dir: str | None) -> Any:
    from bsrlab.presentation.content.cases import case_section

    return case_section(name, data_dir)


@lru_cache(maxsize=2)
def _dashboard(data_dir: str | None) -> Any:
    from bsrlab.cases.dashboard import dashboard
    from bsrlab.presentation.content.cases import dashboard_section

    return dashboard_section(dashboard(data_dir))


def snippet(name: str, data_dir: str | None) -> str:
    """Python code reproducing the view."""
    return ("from bsrlab.presentation.content.cases import case_section, dashboard_section\n"
            "from bsrlab.cases.dashboard import dashboard\n"
            "from bsrlab.cases.episodes import data_available\n\n"
            f"data_dir = {data_dir!r}   # None: $BSRLAB_DATA, then the user cache\n"
            f"section = case_section({name!r}, data_dir)\n"
            "for fig in section.figures:\n"
            "    print(fig.name, fig.data.shape)\n"
            "if data_available(data_dir):\n"
            "    rows = dashboard(data_dir)\n")


def page(ctx: Any = None) -> pn.Column:
    """Build the page for one session."""
    from bsrlab.cases.episodes import EPISODES, data_available

    data_dir = getattr(ctx, "data_dir", None)
    dd = None if data_dir is None else str(Path(data_dir))
    names = tuple(EPISODES)
    errors = ErrorLine()
    args = dict(pn.state.session_args or {}) if pn.state.curdoc is not None else {}
    try:
        values = read(args, {"case": names[0]}, {"case": names})
        refused = ""
    except Exception as exc:
        values, refused = {"case": names[0]}, error_line(exc)
    have = errors.run(lambda: data_available(dd)) or False
    case = pn.widgets.Select(name="Episode", options=list(names), value=values["case"],
                             width=300)
    body = pn.pane.HTML("", sizing_mode="stretch_width")
    note = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["bsr-data-note"])
    dash = pn.pane.HTML("", sizing_mode="stretch_width")
    snippet_col, set_snippet = snippet_box()
    current: dict[str, Any] = {}

    def data() -> pd.DataFrame:
        sec = current["section"]
        frames = [f.data.assign(figure=f.name) for f in sec.figures]
        frames += [t.frame.assign(table=t.caption) for t in sec.tables]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def figure() -> Any:
        figs = current["section"].figures
        if not figs:
            from bsrlab.core.errors import BsrlabError

            raise BsrlabError("this episode's section has no figure")
        return figs[0].figure

    dl = downloads(lambda: f"case_{case.value}", data, figure, errors)

    def update(*_: Any) -> None:
        name = case.value
        push_query({"case": name})
        set_snippet(snippet(name, dd))
        sec = errors.run(lambda: _case(name, dd))
        if sec is None:
            return
        errors.clear()
        current["section"] = sec
        body.object = section_html(sec)
        dl.rename()  # type: ignore[attr-defined]

    case.param.watch(update, "value")
    update()
    if have:
        got = errors.run(lambda: _dashboard(dd))
        dash.object = section_html(got) if got is not None else ""
        note.object = '<p class="bsr-note">Data found: the JST and BIS data are used.</p>'
    else:
        where = html.escape(dd) if dd else "$BSRLAB_DATA or the user cache"
        note.object = (
            '<p class="bsr-note"><b>No case-study data found</b> (looked in '
            f"{where}). The episodes below use the facts typed in from the literature; the "
            "dashboard and the panel test need the data: run <code>bsrlab data fetch</code>, "
            "set BSRLAB_DATA or start the explorer with <code>--data-dir</code>.</p>")
    if refused:
        errors.show(refused)
    return frame(ROUTE, "Case studies and the panel test", errors.pane, note,
                 pn.Row(case, dl), body,
                 pn.pane.HTML("<h3>Dashboard</h3>"), dash, snippet_col)
