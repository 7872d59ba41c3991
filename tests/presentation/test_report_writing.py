"""Sections are data; one renderer; the writer leaves the previous report or nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import bsrlab.presentation
from bsrlab.core.errors import BsrlabError, ParameterError
from bsrlab.core.fileio import MARKER
from bsrlab.presentation import FigureItem, Section, TableItem
from bsrlab.presentation import report as build_mod
from bsrlab.presentation.config import ReportConfig
from bsrlab.presentation.content import deleveraging as content_deleveraging
from bsrlab.presentation.content.vonpeter import FIGURE_NAMES, compute, vonpeter_sections
from bsrlab.presentation.figures import FIGURES
from bsrlab.presentation.render.html import render_files, render_html, write_report
from bsrlab.presentation.style import num, pct


class _Png:
    """A stand-in figure: ``savefig`` writes a fixed payload."""

    def get_layout_engine(self) -> None:
        return None

    def savefig(self, buf: object, **_: object) -> None:
        buf.write(b"\x89PNG\r\n\x1a\nstub")  # type: ignore[attr-defined]


def _section(tag: str) -> Section:
    return Section(f"s-{tag}", f"Section {tag}", f"<p>{tag}</p>",
                   [TableItem("t", pd.DataFrame({"a": [1, 2]})),
                    FigureItem(f"fig_{tag}", _Png(), pd.DataFrame({"x": [1.0]}), "cap")],
                   notes=(f"note {tag}",))


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in d.iterdir()}


def test_section_is_data() -> None:
    sec = _section("a")
    assert [type(t) for t in sec.tables] == [TableItem]
    assert [f.name for f in sec.figures] == ["fig_a"]
    assert sec.prose == sec.intro == "<p>a</p>"
    page = render_html("T", [sec])
    assert '<p class="note">note a</p>' in page
    assert page.index("<table") < page.index("<figure") < page.index("note a")


def test_render_files_holds_page_and_csv() -> None:
    files = render_files("T", [_section("a")], extra_files={"x.json": b"{}"})
    assert set(files) == {"report.html", "fig_a.csv", "x.json"}
    assert files["fig_a.csv"].decode() == "x\n1.0\n"
    with pytest.raises(ParameterError, match="unique"):
        render_files("T", [_section("a"), _section("a")])


def test_a_new_report_replaces_the_old_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(out, "T", [_section("a")])
    assert {MARKER, "report.html", "fig_a.csv"} == set(_snapshot(out))
    write_report(out, "T", [_section("b")])
    assert {MARKER, "report.html", "fig_b.csv"} == set(_snapshot(out))  # no stale fig_a.csv
    assert not [p for p in tmp_path.iterdir() if p.name != "out"]


def test_failing_section_leaves_the_previous_report_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_report(out, "T", [_section("a")])
    before = _snapshot(out)

    def broken(cfg: ReportConfig) -> list[Section]:
        raise BsrlabError("the deleveraging section failed")

    monkeypatch.setattr(content_deleveraging, "sections", broken)
    with pytest.raises(BsrlabError, match="deleveraging section failed"):
        build_mod.write(ReportConfig(sections=("deleveraging",)), out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary sibling


def test_failing_render_leaves_the_previous_report_untouched(tmp_path: Path) -> None:
    class Boom(_Png):
        def savefig(self, buf: object, **_: object) -> None:
            raise RuntimeError("render failed")

    out = tmp_path / "out"
    write_report(out, "T", [_section("a")])
    before = _snapshot(out)
    bad = Section("s", "S", "", [FigureItem("f", Boom(), pd.DataFrame({"x": [1]}), "c")])
    with pytest.raises(RuntimeError, match="render failed"):
        write_report(out, "T", [bad])
    assert _snapshot(out) == before


def test_foreign_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("keep")
    with pytest.raises(ParameterError, match="out"):
        write_report(out, "T", [_section("a")])
    assert _snapshot(out) == {"thesis.tex": b"keep"}


def test_output_that_is_a_file_cannot_be_written(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x")
    with pytest.raises(BsrlabError, match="cannot be written"):
        write_report(f, "T", [_section("a")])
    assert f.read_text() == "x"


def test_sigterm_while_writing_leaves_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(out, "T", [_section("a")])
    before = _snapshot(out)
    code = f"""
import os, signal
from pathlib import Path
import pandas as pd
from bsrlab.presentation import FigureItem, Section
from bsrlab.presentation.render import html

real = Path.write_bytes
def slow(self, data):
    if self.name == "report.html":
        os.kill(os.getpid(), signal.SIGTERM)
    return real(self, data)
Path.write_bytes = slow

class Png:
    def get_layout_engine(self): return None
    def savefig(self, buf, **k): buf.write(b"png")

sec = Section("s", "S", "", [FigureItem("fig_new", Png(), pd.DataFrame({{"x": [1]}}), "c")])
html.write_report({str(out)!r}, "T", [sec])
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 128 + 15, proc.stderr
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_vonpeter_results_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from bsrlab.presentation.content import vonpeter as content_vonpeter

    calls: list[object] = []
    real = content_vonpeter.thresholds

    def counted(params: object) -> object:
        calls.append(params)
        return real(params)  # type: ignore[arg-type]

    monkeypatch.setattr(content_vonpeter, "thresholds", counted)
    cfg = ReportConfig(sections=("vonpeter",))
    res = compute(cfg)
    assert len(calls) == 1
    secs = vonpeter_sections(cfg, results=res)
    assert len(calls) == 1  # no section solved the thresholds again
    assert [s.id for s in secs][-1] == "figures"
    assert tuple(f.name for f in secs[-1].figures) == FIGURE_NAMES == tuple(FIGURES)


def test_numbers_have_one_format() -> None:
    assert pct(0.0525) == "5.25%"
    assert pct(0.3, 1) == "30.0%"
    assert pct(None) == pct(float("nan")) == "n/a"
    assert num(1.0512345) == "1.051"
    assert num(1 / 3, 6) == "0.333333"


def test_presentation_imports_no_plotting_library_until_a_figure_is_drawn() -> None:
    import pkgutil

    # the figures, and the artist that draws their axes into an SVG (a matplotlib artist, which
    # figure_svg imports when it draws), are the drawing itself
    drawing = {"bsrlab.presentation.render.svgaxis"}
    names = [m.name for m in pkgutil.walk_packages(bsrlab.presentation.__path__,
                                                   "bsrlab.presentation.")
             if ".figures" not in m.name and m.name not in drawing]
    assert "bsrlab.presentation.report" in names and "bsrlab.presentation.style" in names
    code = ("import importlib, json, sys\n"
            f"for n in {names!r}: importlib.import_module(n)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == "
            "'matplotlib')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert json.loads(proc.stdout) == []
