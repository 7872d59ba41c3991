"""Assemble and write the full report: the von Peter sections, then the optional ones.

Data flow: configuration -> results (each model solved once) -> sections (data) -> renderer ->
files. :func:`build_report` builds the sections and writes nothing; :func:`write` renders them
and writes the output directory atomically (:func:`~bsrlab.presentation.render.html.write_report`).

The sections ``deleveraging``, ``koo`` and ``cases`` come from
``bsrlab.presentation.content.deleveraging``, ``bsrlab.presentation.content.koo`` and
``bsrlab.presentation.content.cases``. Such a module exposes ``sections(cfg)`` (the sections
for the report's configuration), or ``report_section()`` when it needs no configuration; either
returns a :class:`Section` or a list of them. They are included when their module is installed
and the configuration lists them; an error inside them propagates (it is not hidden).
"""

from __future__ import annotations

import datetime as _dt
import html
import importlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bsrlab
from bsrlab.presentation.config import ReportConfig
from bsrlab.presentation.content.model import FigureItem, Section
from bsrlab.presentation.content.vonpeter import vonpeter_sections
from bsrlab.presentation.render.html import write_report

__all__ = ["OPTIONAL_SECTIONS", "Report", "build_report", "write"]

#: Optional report sections: name -> module providing ``report_section()``.
OPTIONAL_SECTIONS: dict[str, str] = {
    "deleveraging": "bsrlab.presentation.content.deleveraging",
    "koo": "bsrlab.presentation.content.koo",
    "cases": "bsrlab.presentation.content.cases",
    "policylab": "bsrlab.presentation.content.policylab",
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Report:
    """A built report: its configuration, sections, and the names of sections left out."""

    config: ReportConfig
    sections: list[Section]
    skipped: list[str] = field(default_factory=list)

    @property
    def figures(self) -> list[FigureItem]:
        """Every figure of the report, in order."""
        return [f for s in self.sections for f in s.figures]

    @property
    def subtitle(self) -> str:
        c = self.config
        return (f"bsrlab {bsrlab.__version__} · alpha = {c.alpha:g}, beta = {c.beta:.6g} "
                f"(R = {c.R:.6g}), gamma = {c.gamma:g} · calibration from {c.source}")

    @property
    def footer(self) -> str:
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        note = ""
        if self.skipped:
            note = (" Sections not available in this installation: "
                    f"{html.escape(', '.join(self.skipped))}.")
        return (f"Written by bsrlab {html.escape(bsrlab.__version__)} on {stamp}. The calibration "
                "is in <code>calibration.toml</code> beside this file; "
                "<code>bsrlab report --config calibration.toml</code> rebuilds the report."
                + note)


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def _optional(name: str, cfg: ReportConfig) -> list[Section] | None:
    mod_name = OPTIONAL_SECTIONS[name]
    if not _module_available(mod_name):
        return None
    mod = importlib.import_module(mod_name)
    build = getattr(mod, "sections", None)
    got = build(cfg) if callable(build) else mod.report_section()
    return list(got) if isinstance(got, list | tuple) else [got]


def build_report(cfg: ReportConfig, progress: Progress | None = None) -> Report:
    """Compute every section the configuration asks for (nothing is written or drawn to disk).

    Each model is solved once: the von Peter sections share one result (thresholds, steady
    state, equilibria), the deleveraging section one policy comparison.
    """
    sections: list[Section] = []
    skipped: list[str] = []
    for name in cfg.sections:
        if name == "vonpeter":
            sections.extend(vonpeter_sections(cfg, progress))
            continue
        if progress is not None:
            progress(f"computing the {name} section")
        got = _optional(name, cfg)
        if got is None:
            skipped.append(name)
        else:
            sections.extend(got)
    return Report(cfg, sections, skipped)


def write(cfg: ReportConfig, out_dir: str | os.PathLike[str],
          progress: Progress | None = None) -> Path:
    """Build the report and write it atomically into ``out_dir``; returns the HTML path.

    Beside ``report.html``: one CSV per figure, ``calibration.toml``, the configuration the
    report was built from, and ``explorer.html``, the static von Peter explorer
    (:mod:`bsrlab.presentation.render.explorer`).
    """
    from bsrlab.presentation.render.explorer import explorer_html

    rep = build_report(cfg, progress)
    return write_report(out_dir, cfg.title, rep.sections, subtitle=rep.subtitle,
                        footer=rep.footer, progress=progress,
                        extra_files={"calibration.toml": cfg.to_toml().encode("utf-8"),
                                     "explorer.html": explorer_html(cfg.params).encode("utf-8")})
