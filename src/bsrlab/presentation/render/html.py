"""Render report sections to one self-contained HTML file (figures embedded, no remote resource).

Rendering is separate from building: :func:`render_html` turns :class:`Section` data into a page,
:func:`render_files` into every file of a report (the page, one CSV per figure), in memory.
:func:`write_report` then writes those files through :func:`bsrlab.core.fileio.atomic_directory`:
the whole output directory appears at once, or not at all. A failure while building or rendering
writes nothing; a failure or SIGTERM while writing leaves the previous output (or nothing).

Each figure is drawn once: the figures set their margins by hand (no layout engine measures text
before the draw). The report embeds each figure as SVG (:func:`figure_svg`): vector lines that stay
sharp at any zoom and in print, and text kept as text (searchable, selectable, drawn by the
browser), which also spares rasterising every glyph. :func:`figure_png` draws a figure at
:data:`bsrlab.presentation.style.DPI` for the ``figures`` command: the pixels go straight from the
Agg canvas into the PNG (:func:`png_bytes`), without the transparency channel when every pixel is
opaque.
"""

from __future__ import annotations

import base64
import html
import io
import os
import struct
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bsrlab.core.errors import BsrlabError, ParameterError
from bsrlab.core.fileio import atomic_directory, terminate_on_signals
from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.style import DPI

__all__ = ["figure_png", "figure_svg", "png_bytes", "render_files", "render_html", "write_report"]

Progress = Callable[[str], None]

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


def figure_png(fig: Any, dpi: float = DPI) -> bytes:
    """The figure as PNG bytes, drawn once.

    A matplotlib figure without a layout engine at its own resolution (every figure of
    :mod:`bsrlab.presentation.figures`) is drawn on an Agg canvas and encoded directly. Other
    figures go through ``savefig``; one with a layout engine (constrained layout), which
    ``savefig`` would lay out and draw twice, is laid out once and frozen for the one draw.
    """
    engine = fig.get_layout_engine() if hasattr(fig, "get_layout_engine") else None
    if engine is None and dpi == getattr(fig, "dpi", None) and _is_mpl_figure(fig):
        return _agg_png(fig)
    if engine is not None and dpi == fig.dpi:
        engine.execute(fig)
        fig.set_layout_engine(None)
        try:
            return _save_png(fig, dpi)
        finally:
            fig.set_layout_engine(engine)
    return _save_png(fig, dpi)


#: Settings of every SVG figure: text as <text> elements (in the figure's font family, drawn by
#: the browser), ids derived from a fixed salt so that one figure always gives the same bytes.
_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "bsrlab", "svg.image_inline": True}


def figure_svg(fig: Any) -> bytes:
    """The figure as SVG bytes (UTF-8), drawn once, with no date in its metadata.

    A figure with a layout engine (constrained layout) is laid out once and frozen for the
    draw, as in :func:`figure_png`; an object that is not a matplotlib figure is asked for
    ``savefig(buf, format="svg")``.
    """
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(_SVG_RC):  # type: ignore[arg-type]
        if not _is_mpl_figure(fig):
            fig.savefig(buf, format="svg")
            return buf.getvalue()
        from matplotlib.backends.backend_svg import FigureCanvasSVG

        from bsrlab.presentation.render.svgaxis import fast_axes

        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
            fig.set_layout_engine(None)
        previous, dpi = fig.canvas, fig.dpi
        try:
            with fast_axes(fig):
                FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
        finally:
            fig.set_canvas(previous)
            fig.dpi = dpi  # print_svg draws at 72 dpi and leaves the figure so
            if engine is not None:
                fig.set_layout_engine(engine)
    return buf.getvalue()


#: zlib level of the PNG files: the figures' flat colours compress almost as well at 1 as at 9.
_COMPRESS_LEVEL = 1


def _is_mpl_figure(fig: Any) -> bool:
    mod = sys.modules.get("matplotlib.figure")  # not imported: it cannot be a Figure
    return mod is not None and isinstance(fig, mod.Figure)


def _agg_png(fig: Any) -> bytes:
    """Draw ``fig`` once on an Agg canvas and encode the pixels as PNG."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    previous = fig.canvas
    canvas = FigureCanvasAgg(fig)
    try:
        canvas.draw()
        return png_bytes(np.asarray(canvas.buffer_rgba()), dpi=float(fig.dpi))
    finally:
        fig.set_canvas(previous)  # leave the figure as it was given


def png_bytes(rgba: Any, *, dpi: float = DPI, level: int = _COMPRESS_LEVEL) -> bytes:
    """An 8-bit RGBA image (height x width x 4 array) as PNG bytes.

    Stored as RGB when every pixel is opaque (a figure on white), RGBA otherwise; rows are
    not filtered (filter type 0): plots are mostly runs of one colour, which zlib compresses
    as well unfiltered, and choosing a filter per row would cost more than the compression
    itself. ``dpi`` is recorded in the pHYs chunk.
    """
    import numpy as np

    img = np.asarray(rgba, dtype=np.uint8)
    if img.ndim != 3 or img.shape[2] != 4:
        raise ValueError(f"expected a height x width x 4 array, got shape {img.shape}")
    height, width = img.shape[:2]
    opaque = bool((img[..., 3] == 255).all())
    pixels = img[..., :3] if opaque else img
    rows = np.zeros((height, 1 + width * pixels.shape[2]), dtype=np.uint8)  # filter byte 0
    rows[:, 1:] = pixels.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ppm = round(dpi / 0.0254)  # pixels per metre
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
        chunk(b"IDAT", zlib.compress(rows.tobytes(), level)),
        chunk(b"IEND", b""),
    ))


def _save_png(fig: Any, dpi: float) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None},
                pil_kwargs={"compress_level": _COMPRESS_LEVEL})
    return buf.getvalue()


def _table_html(item: TableItem) -> str:
    body = item.table.to_html(index=item.index, border=0, escape=True, na_rep="—")
    cap = f"<caption>{html.escape(item.caption)}</caption>"
    return body.replace('<table class="dataframe">', f'<table class="dataframe">{cap}', 1)


def _figure_html(item: FigureItem, image: bytes, mime: str = "image/svg+xml") -> str:
    data = base64.b64encode(image).decode("ascii")
    alt = html.escape(item.title or item.name)
    head = f"<b>{html.escape(item.title)}.</b> " if item.title else ""
    csv = html.escape(f"{item.name}.csv")
    return (f'<figure id="{html.escape(item.name)}"><img alt="{alt}" '
            f'src="data:{mime};base64,{data}">'
            f"<figcaption>{head}{html.escape(item.caption)} "
            f'<span class="note">Data: <a href="{csv}">{csv}</a>.</span>'
            "</figcaption></figure>")


def render_html(title: str, sections: Sequence[Section], *, subtitle: str = "",
                figure_format: str = "svg",
                progress: Progress | None = None, footer: str = "") -> str:
    """The report as one HTML string; every figure is embedded as a base64 data URI.

    ``figure_format`` is ``svg`` (:func:`figure_svg`, the default) or ``png``
    (:func:`figure_png`); ``progress`` is called with a short description before each figure
    is rendered; ``footer`` is trusted HTML placed at the end of the page.
    """
    from bsrlab.core.validate import choice

    draw, mime = {"svg": (figure_svg, "image/svg+xml"), "png": (figure_png, "image/png")}[
        choice("figure_format", figure_format, ("svg", "png"))]
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
        if s.figures:
            parts.append("<ol>")
            parts.extend(f'<li><a href="#{html.escape(f.name)}">{html.escape(f.title or f.name)}'
                         "</a></li>" for f in s.figures)
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
                parts.append(_figure_html(item, draw(item.figure), mime))
        parts.extend(f'<p class="note">{note}</p>' for note in sec.notes)
        parts.append("</section>")
    if footer:
        parts.append(f'<footer class="note">{footer}</footer>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _figures(sections: Iterable[Section]) -> list[FigureItem]:
    return [f for s in sections for f in s.figures]


def render_files(title: str, sections: Sequence[Section], *, filename: str = "report.html",
                 subtitle: str = "", extra_files: Mapping[str, bytes] | None = None,
                 progress: Progress | None = None, footer: str = "") -> dict[str, bytes]:
    """Every file of a report, in memory: ``{name: content}``.

    The page ``filename``, one ``<figure name>.csv`` per figure (its data) and ``extra_files``.
    Two figures of the same name, or a name that is not a plain file name, raise
    :class:`~bsrlab.core.errors.ParameterError`.
    """
    files: dict[str, bytes] = {}
    for fig in _figures(sections):
        name = f"{fig.name}.csv"
        if name in files:
            raise ParameterError("figure name", "unique within a report", fig.name)
        files[name] = fig.source.to_csv(index=False).encode("utf-8")
    for name, blob in (extra_files or {}).items():
        files[name] = bytes(blob)
    page = render_html(title, sections, subtitle=subtitle, progress=progress, footer=footer)
    files[filename] = page.encode("utf-8")
    for name in files:
        if not name or Path(name).name != name or name.startswith("."):
            raise ParameterError("file name", "a plain file name inside the report", name)
    return files


def write_report(out_dir: str | os.PathLike[str], title: str, sections: Sequence[Section], *,
                 filename: str = "report.html", subtitle: str = "",
                 extra_files: Mapping[str, bytes] | None = None,
                 progress: Progress | None = None, footer: str = "") -> Path:
    """Render ``sections`` and write the report into ``out_dir`` whole, or not at all.

    Beside ``out_dir/filename``: one CSV per figure and ``extra_files``. Everything is rendered
    in memory first (a failure there writes nothing), then written into a temporary directory
    beside ``out_dir`` that replaces it in one rename (see
    :func:`bsrlab.core.fileio.atomic_directory`; an earlier report in ``out_dir`` is replaced
    whole). SIGTERM and SIGHUP while writing end the run cleanly: the previous output stays.

    Returns
    -------
    Path
        The HTML file.

    Raises
    ------
    BsrlabError
        ``output directory '<out_dir>' cannot be written: <reason>`` when the file system
        refuses, or ``out_dir`` is a file.
    ParameterError
        ``out_dir`` is a non-empty directory that bsrlab did not write.
    """
    out = Path(out_dir)
    files = render_files(title, sections, filename=filename, subtitle=subtitle,
                         extra_files=extra_files, progress=progress, footer=footer)
    if out.exists() and not out.is_dir():
        raise BsrlabError(f"output directory '{out}' cannot be written: it is a file")
    if progress is not None:
        progress("writing files")
    try:
        with terminate_on_signals(), atomic_directory(out, option="out") as tmp:
            for name, blob in sorted(files.items(), key=lambda kv: kv[0] == filename):
                (tmp / name).write_bytes(blob)
    except ParameterError:
        raise
    except BsrlabError as exc:
        raise BsrlabError(f"output directory '{out}' cannot be written: {exc}") from None
    return out / filename
