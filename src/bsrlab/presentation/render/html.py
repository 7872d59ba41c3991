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

from bsrlab.core.errors import BsrlabError
from bsrlab.presentation.content.model import FigureItem, Section, TableItem

__all__ = ["render_html", "write_report"]

_CSS = """
:root{--accent:#0072B2;--muted:#555;--rule:#d8dde3}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;
max-width:1000px;margin:2em auto;padding:0 1.2em;color:#1b1b1b;line-height:1.5;background:#fff}
h1{font-size:1.8em;border-bottom:3px solid var(--accent);padding-bottom:.2em;margin-bottom:.3em}
h2{font-size:1.35em;margin-top:2.2em;border-bottom:1px solid var(--rule);padding-bottom:.15em}
a{color:var(--accent)}
table{border-collapse:collapse;margin:.6em 0 1.4em 0;font-size:.92em}
th,td{border:1px solid var(--rule);padding:.3em .65em;text-align:left;vertical-align:top;
font-variant-numeric:tabular-nums}
th{background:#f2f5f8}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1.6em 0 2.2em 0}
figure img{display:block;width:100%;max-width:900px;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:.95em;color:#222;margin-top:.5em;max-width:900px}
figcaption b{color:#000}
.note{color:var(--muted);font-size:.9em}
nav{background:#f7f9fb;border:1px solid var(--rule);padding:.4em 1.2em;margin:1em 0 1.5em 0}
nav ol{margin:.3em 0}
nav ol ol{columns:2;font-size:.92em}
footer{margin-top:3em;border-top:1px solid var(--rule);padding-top:.6em}
@media print{nav{display:none}figure{break-inside:avoid}}
"""


def _figure_png(fig: Any, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _table_html(item: TableItem) -> str:
    body = item.frame.to_html(index=item.index, border=0, escape=True, na_rep="—")
    cap = f"<caption>{html.escape(item.caption)}</caption>"
    return body.replace('<table class="dataframe">', f'<table class="dataframe">{cap}', 1)


def render_html(title: str, sections: Sequence[Section], *, subtitle: str = "",
                figure_png: Callable[[Any], bytes] = _figure_png,
                progress: Callable[[str], None] | None = None, footer: str = "") -> str:
    """The report as one HTML string; every figure is embedded as a base64 PNG data URI.

    ``progress`` is called with a short description before each figure is rendered;
    ``footer`` is trusted HTML placed at the end of the page.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{html.escape(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="note">{html.escape(subtitle)}</p>')
    parts.append("</header>")
    parts.append("<nav><b>Contents</b><ol>")
    for s in sections:
        parts.append(f'<li><a href="#{html.escape(s.id)}">{html.escape(s.title)}</a>')
        figs = [it for it in s.items if isinstance(it, FigureItem)]
        if figs:
            parts.append("<ol>")
            parts.extend(f'<li><a href="#{html.escape(f.name)}">{html.escape(f.title or f.name)}'
                         "</a></li>" for f in figs)
            parts.append("</ol>")
        parts.append("</li>")
    parts.append("</ol></nav>")
    for sec in sections:
        parts.append(f'<section id="{html.escape(sec.id)}"><h2>{html.escape(sec.title)}</h2>')
        if sec.intro:
            parts.append(sec.intro)
        for item in sec.items:
            if isinstance(item, TableItem):
                parts.append(_table_html(item))
            else:
                if progress is not None:
                    progress(f"rendering {item.name}")
                data = base64.b64encode(figure_png(item.figure)).decode("ascii")
                alt = html.escape(item.title or item.name)
                head = f"<b>{html.escape(item.title)}.</b> " if item.title else ""
                csv = html.escape(f"{item.name}.csv")
                parts.append(
                    f'<figure id="{html.escape(item.name)}"><img alt="{alt}" '
                    f'src="data:image/png;base64,{data}">'
                    f"<figcaption>{head}{html.escape(item.caption)} "
                    f'<span class="note">Data: <a href="{csv}">{csv}</a>.</span>'
                    "</figcaption></figure>")
        parts.append("</section>")
    if footer:
        parts.append(f'<footer class="note">{footer}</footer>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _figures(sections: Iterable[Section]) -> list[FigureItem]:
    return [it for s in sections for it in s.items if isinstance(it, FigureItem)]


def write_report(out_dir: str | os.PathLike[str], title: str, sections: Sequence[Section], *,
                 filename: str = "report.html", subtitle: str = "",
                 extra_files: dict[str, bytes] | None = None,
                 progress: Callable[[str], None] | None = None, footer: str = "") -> Path:
    """Write ``out_dir/filename`` plus one CSV per figure (and ``extra_files``) atomically.

    Everything is first written into a fresh temporary directory inside ``out_dir``; the files
    are then moved into ``out_dir``, the HTML file last. On any error the temporary directory is
    removed, a directory this call created is removed again, and ``out_dir`` is left as it was.
    Returns the path of the HTML file.
    """
    out = Path(out_dir)
    created = _missing_parents(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        _remove_dirs(created)
        raise BsrlabError(f"output directory '{out}' cannot be written: {exc.strerror or exc}"
                          ) from None
    ok = False
    tmp = Path(tempfile.mkdtemp(prefix=".bsrlab-tmp-", dir=out))
    try:
        page = render_html(title, sections, subtitle=subtitle, progress=progress, footer=footer)
        for fig in _figures(sections):
            fig.data.to_csv(tmp / f"{fig.name}.csv", index=False)
        for name, blob in (extra_files or {}).items():
            (tmp / name).write_bytes(blob)
        (tmp / filename).write_text(page, encoding="utf-8")
        if progress is not None:
            progress("writing files")
        for f in sorted(tmp.iterdir(), key=lambda f: f.name == filename):
            os.replace(f, out / f.name)
        ok = True
    except OSError as exc:
        raise BsrlabError(f"output directory '{out}' cannot be written: {exc.strerror or exc}"
                          ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not ok:
            _remove_dirs(created)
    return out / filename


def _missing_parents(path: Path) -> list[Path]:
    """The directories that ``path.mkdir(parents=True)`` would create, deepest first."""
    missing = []
    p = path.absolute()
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    return missing


def _remove_dirs(dirs: Iterable[Path]) -> None:
    for d in dirs:
        try:
            d.rmdir()
        except OSError:
            return
