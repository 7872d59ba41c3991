"""``bsrlab report`` and ``bsrlab figures``: configuration, content, self-containment, errors."""

from __future__ import annotations

import importlib.machinery
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bsrlab.core.errors import BsrlabError, ConfigError, ParameterError
from bsrlab.core.fileio import MARKER
from bsrlab.interfaces.cli import main
from bsrlab.presentation import FigureItem, Section, TableItem, write_report
from bsrlab.presentation import report as build_mod
from bsrlab.presentation.config import (
    ALLOWED_KEYS,
    ReportConfig,
    auto_shocks,
    load_config,
    resolve_config,
)
from bsrlab.presentation.figures import FIGURES
from bsrlab.vonpeter import Params, thresholds

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "report.toml"
REMOTE = re.compile(r"""(src|href)\s*=\s*["']?\s*https?:|url\(\s*["']?https?:""", re.I)


def run_main(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default report, built once for the whole session."""
    out = tmp_path_factory.mktemp("report") / "out"
    assert run_main("report", "--out", str(out)) == 0
    return out


@pytest.fixture(scope="session")
def report_html(report_dir: Path) -> str:
    return (report_dir / "report.html").read_text(encoding="utf-8")


# ---- configuration -------------------------------------------------------------------------

def test_default_calibration_is_the_papers_rate() -> None:
    cfg = ReportConfig()
    assert abs(cfg.R - 1.05) < 1e-14
    assert (cfg.alpha, cfg.gamma) == (0.5, 0.1)
    # Koo's model is the deleveraging model a user gets by default; EK's section is optional
    assert cfg.sections == ("vonpeter", "koo", "cases")


def test_example_config_loads() -> None:
    cfg = load_config(EXAMPLE)
    assert abs(cfg.R - 1.05) < 1e-12
    assert cfg.shocks == (0.02, 0.049, 0.06, 0.3, 0.7)
    assert cfg.t_accounts_tau == 0.07
    assert "examples/report.toml" in cfg.source.replace("\\", "/")


def write_toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_key_is_named_with_the_allowed_keys(tmp_path: Path) -> None:
    p = write_toml(tmp_path, "alpha = 0.5\nalhpa = 0.4\n")
    with pytest.raises(ConfigError, match="unknown key 'alhpa'") as exc:
        load_config(p)
    for key in ALLOWED_KEYS:
        assert key in str(exc.value)


@pytest.mark.parametrize(("text", "err", "match"), [
    ("alpha = 0.01\n", ParameterError, "alpha"),
    ("gamma = 1.5\n", ParameterError, "gamma"),
    ("R = 0.9\n", ParameterError, "R > 1"),
    ("shocks = [0.1, 1.5]\n", ParameterError, "tau"),
    ("alpha = 'half'\n", ConfigError, "'alpha' must be a number"),
    ("alpha = true\n", ConfigError, "'alpha' must be a number"),
    ("beta = 0.95\nR = 1.05\n", ConfigError, "not both"),
    ("sections = ['vonpeter', 'nope']\n", ConfigError, "unknown report section 'nope'"),
    ("alpha = \n", ConfigError, "not valid TOML"),
])
def test_bad_values(tmp_path: Path, text: str, err: type[Exception], match: str) -> None:
    with pytest.raises(err, match=match):
        load_config(write_toml(tmp_path, text))


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "absent.toml")


def test_options_override_the_file(tmp_path: Path) -> None:
    p = write_toml(tmp_path, "alpha = 0.4\ngamma = 0.2\nR = 1.04\n")
    cfg = resolve_config(p, overrides={"gamma": 0.3, "alpha": None})
    assert (cfg.alpha, cfg.gamma) == (0.4, 0.3)
    assert abs(cfg.R - 1.04) < 1e-12
    assert "command line" in cfg.source


def test_to_toml_round_trips(tmp_path: Path) -> None:
    cfg = ReportConfig(alpha=0.42, beta=0.96, gamma=0.05, shocks=(0.01, 0.2),
                       t_accounts_tau=0.06, sections=("vonpeter",), title='A "quoted" title')
    back = load_config(write_toml(tmp_path, cfg.to_toml()))
    for key in ("alpha", "beta", "gamma", "y", "H", "shocks", "t_accounts_tau", "sections",
                "title"):
        assert getattr(back, key) == getattr(cfg, key), key


def test_auto_shocks_fall_in_each_loss_range() -> None:
    p = Params(alpha=0.5, beta=1 / 1.05, gamma=0.1)
    th = thresholds(p)
    s = auto_shocks(p)
    bounds = [0.0, float(th.tau_0), float(th.tau_div), float(th.tau_star), float(th.tau_K)]
    for i in range(4):
        assert any(bounds[i] < x < bounds[i + 1] for x in s), i
    assert 0.7 in s


# ---- the report ----------------------------------------------------------------------------

def test_report_files(report_dir: Path) -> None:
    names = {p.name for p in report_dir.iterdir()}
    assert "report.html" in names
    assert "calibration.toml" in names
    for fig in FIGURES:
        assert f"{fig}.csv" in names
    # no temporary leftovers: the only hidden file is the marker of a bsrlab output directory,
    # and no temporary sibling is left beside the directory
    assert [n for n in names if n.startswith(".")] == [MARKER]
    assert not [p.name for p in report_dir.parent.iterdir() if p.name.startswith(".")]
    cfg = load_config(report_dir / "calibration.toml")
    assert (cfg.alpha, cfg.gamma) == (0.5, 0.1)


def test_report_is_self_contained(report_html: str) -> None:
    assert not REMOTE.search(report_html)
    assert "<script" not in report_html.lower()
    assert "<link" not in report_html.lower()
    srcs = re.findall(r"""<img[^>]*\ssrc="([^"]+)""", report_html)
    assert len(srcs) >= len(FIGURES)
    assert all(s.startswith("data:image/svg+xml;base64,") for s in srcs)


def test_report_sections_and_figures(report_html: str) -> None:
    for sid in ("calibration", "steady-state", "thresholds", "loss-ranges", "equilibria",
                "vulnerability", "figures"):
        assert f'<section id="{sid}">' in report_html
    for fig in FIGURES:
        assert f'<figure id="{fig}">' in report_html
        assert f'href="{fig}.csv"' in report_html
    # every figure has a caption that explains it
    caps = re.findall(r"<figcaption>(.*?)</figcaption>", report_html, re.S)
    assert len(caps) >= len(FIGURES)
    assert all(len(re.sub(r"<[^>]+>", "", c)) > 150 for c in caps[: len(FIGURES)])
    # the default calibration is justified in the text
    assert "R = 1.05" in report_html
    assert "weak balance sheets" in report_html


def test_report_thresholds_in_percent_match_the_model(report_html: str) -> None:
    th = thresholds(Params(alpha=0.5, beta=1 / 1.05, gamma=0.1)).to_dict()
    for key in ("delta_0", "delta_div", "delta_star", "delta_K", "tau_0", "tau_div",
                "tau_star", "tau_K"):
        assert f"{100 * th[key]:.2f}%" in report_html, key


def test_report_csv_matches_the_figure_data(report_dir: Path) -> None:
    _, data = FIGURES["fig7_financial_extremes"](Params(alpha=0.5, beta=1 / 1.05, gamma=0.1))
    csv = pd.read_csv(report_dir / "fig7_financial_extremes.csv")
    pd.testing.assert_frame_equal(csv, data.reset_index(drop=True), check_dtype=False,
                                  rtol=1e-12)


def test_report_stdout_last_line_says_where(cli: Callable[..., Any], tmp_path: Path) -> None:
    res = cli("report", "--out", str(tmp_path / "r"), "--sections", "vonpeter",
              "--alpha", "0.4", "--gamma", "0.2", "--shocks", "0.01,0.3")
    assert res.code == 0, res.err
    last = res.out.strip().splitlines()[-1]
    path = (tmp_path / "r" / "report.html").resolve()
    assert last == f"report written to {path}"
    page = path.read_text(encoding="utf-8")
    assert "alpha = 0.4" in page
    assert "Case studies" not in page  # only the requested section
    assert "1.00%" in page and "30.00%" in page  # the chosen shocks


# ---- bad input: one line, exit 2, nothing half-written --------------------------------------

def test_unknown_key_exits_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    cfg = write_toml(tmp_path, "alpha = 0.5\ncolour = 'red'\n")
    out = tmp_path / "out"
    res = cli("report", "--out", str(out), "--config", str(cfg))
    assert res.code == 2
    lines = res.err.strip().splitlines()
    assert len(lines) == 1
    assert "unknown key 'colour'" in lines[0]
    assert not out.exists()


def test_out_of_range_exits_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    res = cli("report", "--out", str(tmp_path / "o"), "--gamma", "1.2")
    assert res.code == 2
    assert len(res.err.strip().splitlines()) == 1
    assert "gamma" in res.err and "1.2" in res.err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["report", "figures"])
def test_unwritable_output_exits_2(cli: Callable[..., Any], tmp_path: Path,
                                   command: str) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    res = cli(command, "--out", str(blocker / "sub"))
    assert res.code == 2
    assert len(res.err.strip().splitlines()) == 1
    assert "cannot be written" in res.err
    assert blocker.read_text() == "x"


def test_failed_run_leaves_no_half_written_report(cli: Callable[..., Any], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old")

    def broken(params: Params) -> Any:
        raise BsrlabError("figure 9 failed")

    monkeypatch.setitem(FIGURES, "fig9_frontier", broken)
    res = cli("report", "--out", str(out), "--sections", "vonpeter")
    assert res.code == 2
    assert "figure 9 failed" in res.err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_render_failure_removes_everything(tmp_path: Path) -> None:
    class Boom:
        def savefig(self, *a: Any, **k: Any) -> None:
            raise RuntimeError("render failed")

    sec = Section("s", "S", "", [TableItem("t", pd.DataFrame({"a": [1]})),
                                 FigureItem("f", Boom(), pd.DataFrame({"x": [1]}), "c")])
    out = tmp_path / "new" / "deeper"
    with pytest.raises(RuntimeError, match="render failed"):
        write_report(out, "T", [sec])
    assert not (tmp_path / "new").exists()  # directories this call created are removed


# ---- figures command -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_figures_command(cli: Callable[..., Any], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "figs"
    res = cli("figures", "--out", str(out), "--format", fmt, "--alpha", "0.45")
    assert res.code == 0, res.err
    names = sorted(p.name for p in out.iterdir() if p.name != MARKER)
    assert names == sorted([f"{n}.{fmt}" for n in FIGURES] + [f"{n}.csv" for n in FIGURES])
    assert (out / MARKER).is_file()  # a later run may replace the directory whole
    head = (out / f"fig9_frontier.{fmt}").read_bytes()[:100]
    assert (b"<svg" in head or b"<?xml" in head) if fmt == "svg" else head.startswith(b"%PDF")
    assert str(out.resolve()) in res.out.strip().splitlines()[-1]


# ---- optional sections ---------------------------------------------------------------------

def test_missing_optional_section_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(build_mod.OPTIONAL_SECTIONS, "cases", "bsrlab.no_such_module.report")
    monkeypatch.setattr(build_mod, "vonpeter_sections", lambda cfg, progress=None: [])
    rep = build_mod.build_report(ReportConfig(sections=("vonpeter", "cases")))
    assert rep.skipped == ["cases"]
    assert "cases" in rep.footer


def test_error_inside_an_optional_section_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = types.ModuleType("bsrlab_test_broken_report")
    mod.__spec__ = importlib.machinery.ModuleSpec("bsrlab_test_broken_report", None)

    def report_section() -> Section:
        raise ZeroDivisionError("inside the section")

    mod.report_section = report_section  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bsrlab_test_broken_report", mod)
    monkeypatch.setitem(build_mod.OPTIONAL_SECTIONS, "cases", "bsrlab_test_broken_report")
    with pytest.raises(ZeroDivisionError, match="inside the section"):
        build_mod.build_report(ReportConfig(sections=("cases",)))
