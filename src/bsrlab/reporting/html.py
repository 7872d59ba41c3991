"""Render report sections to one self-contained HTML file (figures embedded, no remote resource).

:func:`write_report` writes into a temporary directory beside the target and renames it into
place only when everything is written, so a failed run leaves no half-written report behind.
"""

from __future__ import annotations

import base64
import html
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bsrlab.errors import BsrlabError
from bsrlab.reporting.model import FigureItem, Section, TableItem

__all__ = ["render_html", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;
max-width:980px;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.5}
h1{font-size:1.8em;border-bottom:2px solid #0072B2;padding-bottom:.2em}
h2{font-size:1.35em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0 1.2em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f2f5f8}
td:first-child,th:first-child{text-align:left}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1.2em 0}
figure img{max-width:100%;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:.92em;color:#333;margin-top:.3em}
.note{color:#555;font-size:.9em}
nav ul{columns:2}
"""


def _figure_png(fig: Any, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _table_html(item: TableItem) -> str:
    body = item.frame.to_html(index=item.index, border=0, escape=True, na_rep="—")
    cap = f"<caption>{html.escape(item.caption)}</caption>"
    return body.replace('<table class="dataframe">', f'<table class="dataframe">{cap}', 1)


def render_html(title: str, sections: Sequence[Section], *, subtitle: str = "",
                figure_png: Callable[[Any], bytes] = _figure_png) -> str:
    """The report as one HTML string; every figure is embedded as a base64 PNG data URI."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="note">{html.escape(subtitle)}</p>')
    parts.append("<nav><ul>")
    parts.extend(f'<li><a href="#{html.escape(s.id)}">{html.escape(s.title)}</a></li>'
                 for s in sections)
    parts.append("</ul></nav>")
    for sec in sections:
        parts.append(f'<section id="{html.escape(sec.id)}"><h2>{html.escape(sec.title)}</h2>')
        if sec.intro:
            parts.append(sec.intro)
        for item in sec.items:
            if isinstance(item, TableItem):
                parts.append(_table_html(item))
            else:
                data = base64.b64encode(figure_png(item.figure)).decode("ascii")
                alt = html.escape(item.title or item.name)
                parts.append(
                    f'<figure id="{html.escape(item.name)}"><img alt="{alt}" '
                    f'src="data:image/png;base64,{data}">'
                    f"<figcaption>{html.escape(item.caption)} "
                    f'<span class="note">Data: {html.escape(item.name)}.csv</span>'
                    "</figcaption></figure>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _figures(sections: Iterable[Section]) -> list[FigureItem]:
    return [it for s in sections for it in s.items if isinstance(it, FigureItem)]


def write_report(out_dir: str | os.PathLike[str], title: str, sections: Sequence[Section], *,
                 filename: str = "report.html", subtitle: str = "",
                 extra_files: dict[str, bytes] | None = None) -> Path:
    """Write ``out_dir/filename`` plus one CSV per figure (and ``extra_files``) atomically.

    Everything is first written into a fresh temporary directory inside ``out_dir``'s parent;
    the files are then moved into ``out_dir``. On any error the temporary directory is removed
    and ``out_dir`` is left as it was. Returns the path of the HTML file.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise BsrlabError(f"output directory '{out}' cannot be written: {exc.strerror or exc}"
                          ) from None
    tmp = Path(tempfile.mkdtemp(prefix=".bsrlab-tmp-", dir=out))
    try:
        page = render_html(title, sections, subtitle=subtitle)
        (tmp / filename).write_text(page, encoding="utf-8")
        for fig in _figures(sections):
            fig.data.to_csv(tmp / f"{fig.name}.csv", index=False)
        for name, blob in (extra_files or {}).items():
            (tmp / name).write_bytes(blob)
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / filename
