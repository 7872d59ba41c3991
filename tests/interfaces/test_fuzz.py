"""Fuzzing the command line in-process: no traceback, no exit status but 0 and 2, ever.

Arguments are generated for every command (numbers near and beyond their ranges, text, empty
and malformed lists, unknown and repeated options, odd paths and URLs), and TOML documents for
``report --config`` and the configuration loader. Each invocation must end with exit status 0,
or 2 with exactly one line on stderr that starts with ``bsrlab: error:``; no exception other
than SystemExit may escape ``main`` (warnings are errors in the test suite, so a numpy warning
counts as a failure too). The slow parts of ``report`` and ``figures`` (drawing) are replaced by
stubs here: their options and configuration are what is fuzzed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import BsrlabError
from bsrlab.data.store import check_base_url
from bsrlab.presentation.config import load_config

from ._cli import Run, run_cli

EDGE = ["", ",", ",,", "0.1,", ",0.1", "0.1,,0.2", " ", "nan", "NaN", "inf", "-inf", "+inf",
        "1e308", "1e309", "-1e309", "1e-320", "5e-324", "-0", "0", "1", "-1", "0x10", "1_0",
        " 0.5 ", "abc", "1" * 400, "9" * 30, "0.5\x00", "０.５", "--alpha", "-", "1e", ".", "e5",
        "0.999999999999", "1.0000000001", "0.0476190476", "0.05", "0.3", "0.5,0.2,1",
        "0," * 50 + "0"]


def _numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EDGE),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.floats(min_value=-0.5, max_value=1.5).map(lambda x: f"{x:.6g}"),
        st.floats(min_value=0.0, max_value=1.0).map(lambda x: f"{x:.17g}"),
        st.integers(min_value=-10**6, max_value=10**6).map(str),
        st.text(max_size=8),
    )


def _lists() -> st.SearchStrategy[str]:
    return st.one_of(_numbers(), st.lists(_numbers(), min_size=1, max_size=4).map(",".join))


def _param(*valid: str) -> st.SearchStrategy[str]:
    """Mostly admissible values (near the boundaries too), sometimes anything."""
    ok = st.sampled_from(valid)
    return st.one_of(ok, ok, ok, _numbers())


#: Admissible values of the von Peter parameters, many near a boundary.
ALPHA = _param("0.5", "0.3", "0.06", "0.999999", "0.0526316", "0.05263158", "0.9")
BETA = _param("0.95", "0.952381", "0.5", "0.999999", "1e-9", "0.9999999999")
R_ = _param("1.05", "1.5", "1.0000001", "1e9", "1.0526", "20")
GAMMA = _param("0", "0.1", "0.9", "0.999999", "1e-12", "0.3")
SIZE = _param("1", "1e308", "1e-300", "2.5", "1e-9", "1e15")
TAUS = st.one_of(_param("0.05", "0", "1", "1e-300", "0.999999999", "0.02,0.3,0.7"), _lists())


FORMATS = st.sampled_from(["table", "json", "csv", "xml", "", "JSON", "png"])
EPISODES = st.sampled_from(["japan-1990s", "us-1929", "sweden-1990s", "nope", "", "JAPAN"])


def _opts(spec: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[str]]:
    """Options of ``spec`` (each present or not) plus, sometimes, junk."""
    def present(k: str, s: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
        return s.map(lambda v: [k, v])

    items = [st.one_of(st.none(), present(k, s), present(k, s), present(k, s))
             for k, s in spec.items()]
    junk = st.one_of(st.just([]), st.just([]), st.just([]), st.sampled_from(
        [["--bogus"], ["--format"], ["--alpha", "0.5", "--alpha"], ["extra"], ["--"], ["-h"],
         ["--help"]]))
    return st.tuples(st.tuples(*items), junk, st.randoms(use_true_random=False)).map(
        lambda t: _assemble(t[0], t[1], t[2]))


def _assemble(parts: tuple[list[str] | None, ...], junk: list[str], rnd: object) -> list[str]:
    chosen = [p for p in parts if p is not None]
    rnd.shuffle(chosen)  # type: ignore[attr-defined]
    return [a for p in chosen for a in p] + junk


VONPETER = {"--alpha": ALPHA, "--gamma": GAMMA, "--y": SIZE, "--H": SIZE, "--format": FORMATS}


@st.composite
def discount(draw: st.DrawFn) -> list[str]:
    """--beta or --R (mostly one of them; sometimes both or neither, which are errors)."""
    which = draw(st.sampled_from(["beta", "beta", "R", "R", "both", "none"]))
    out = []
    if which in ("beta", "both"):
        out += ["--beta", draw(BETA)]
    if which in ("R", "both"):
        out += ["--R", draw(R_)]
    return out


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["solve", "thresholds", "equilibria", "endowment", "two-state",
                                 "path", "case-list", "case-show", "data-status", "validate",
                                 "fetch", "report", "figures", "top"]))
    if kind in ("solve", "equilibria"):
        return [kind, *draw(discount()), *draw(_opts({**VONPETER, "--tau": TAUS}))]
    if kind == "thresholds":
        return [kind, *draw(discount()), *draw(_opts(VONPETER))]
    if kind == "endowment":
        return ["deleverage", kind, *draw(_opts({
            "--beta": BETA, "--d-high": _param("0.5", "1e300", "0", "-0.5", "10"),
            "--d-low": _param("0.2", "0", "1e300", "0.5"), "--y": SIZE,
            "--price-level": _param("1", "0.95", "1e-300", "1e300"), "--format": FORMATS}))]
    if kind == "two-state":
        names = ["--beta", "--sigma", "--kappa", "--mu", "--chi-b", "--cs-share", "--delta",
                 "--g", "--t-b", "--supply", "--phi-pi", "--phi-y"]
        values = _param("0", "0.5", "0.99", "1", "1e-300", "1e300", "-1", "0.999999999")
        return ["deleverage", kind, *draw(_opts(dict.fromkeys(names, values) |
                                                {"--format": FORMATS}))]
    if kind == "path":
        # the horizon is kept short or invalid so that each run is quick
        return ["deleverage", "path", "--periods", draw(st.sampled_from(
            ["13", "14", "", "-1", "x", "1e3", "12"])), *draw(_opts({
                "--preset": st.sampled_from(["japan-1990s", "us-2008", "atlantis", ""]),
                "--policy": st.sampled_from(["none", "fiscal", "qe", "rate-cut", "helicopter",
                                             "write-down", ""]),
                "--size": _numbers(), "--start": _numbers(), "--duration": _numbers(),
                "--format": FORMATS}))]
    if kind == "case-list":
        return ["case", "list", *draw(_opts({"--format": FORMATS}))]
    if kind == "case-show":
        return ["case", "show", draw(EPISODES), *draw(_opts({
            "--alpha": ALPHA, "--R": R_, "--beta": BETA, "--gamma": GAMMA, "--format": FORMATS,
            "--r-method": st.sampled_from(["rate", "capital_ratio", "x"])}))]
    if kind == "data-status":
        return ["data", "status", *draw(_opts({"--format": FORMATS, "--data-dir": st.sampled_from(
            ["", "/nonexistent", "/dev/null", "x" * 300, "/" + "y/" * 50, "\x00"])}))]
    if kind == "validate":
        return ["validate", *draw(_opts({"--format": FORMATS, "--data-dir": st.sampled_from(
            ["", "/nonexistent", "/dev/null", "x" * 300])}))]
    if kind == "fetch":
        url = draw(st.one_of(st.sampled_from(
            ["", "ht!tp://", "http://", "https://:80", "http://x:abc/", "file:///nonexistent",
             "file://", "ftp://example.org", "http:// x", "://", "\x00", "javascript:1"]),
            st.text(max_size=20)))
        try:
            scheme_ok = check_base_url(url).startswith(("http://", "https://"))
        except BsrlabError:
            scheme_ok = False
        assume(not scheme_ok)  # never reach the network
        return ["data", "fetch", draw(st.sampled_from(["jst", "bis-real", "nope"])),
                "--base-url", url]
    if kind == "report":
        return ["report", *draw(_opts({
            "--out": st.sampled_from(["", "x" * 300, "OUT", "/dev/null/x", "OUT/a/b"]),
            "--alpha": ALPHA, "--R": R_, "--beta": BETA, "--gamma": GAMMA, "--shocks": TAUS,
            "--sections": st.sampled_from(["vonpeter", "", ",", "cases,cases", "nope"]),
            "--preset": st.sampled_from(["us-2008", "atlantis", ""]),
            "--data-dir": st.sampled_from(["", "/nonexistent"]),
            "--config": st.sampled_from(["", "/dev/zero", "/nonexistent.toml", "/"])}))]
    if kind == "figures":
        return ["figures", *draw(_opts({
            "--out": st.sampled_from(["", "x" * 300, "FIG", "/dev/null/x"]),
            "--alpha": ALPHA, "--R": R_, "--gamma": GAMMA,
            "--format": st.sampled_from(["png", "svg", "gif", ""]),
            "--dpi": st.sampled_from(["150", "49", "601", "x", "", "1e3"])}))]
    return draw(st.sampled_from([["--version"], ["--help"], [], ["nosuch"], ["deleverage"],
                                 ["case"], ["data"], ["--bogus"], ["solve", "--help"]]))


def check(res: Run) -> None:
    assert "Traceback" not in res.err and "Traceback" not in res.out
    assert res.code in (0, 2), (res.code, res.err)
    if res.code == 2:
        lines = res.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("bsrlab: error: "), res.err


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Replace the drawing of report and figures by stubs; run in an empty directory."""
    import bsrlab.presentation.figures as figures
    import bsrlab.presentation.report as report

    def write(cfg: object, out: object, progress: object = None) -> Path:
        assert cfg is not None
        return Path(str(out)) / "report.html"

    monkeypatch.setattr(report, "write", write)
    monkeypatch.setattr(figures, "FIGURES", {})
    monkeypatch.chdir(tmp_path)
    return tmp_path


@settings(max_examples=1600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(argv=invocations())
def test_no_traceback_for_any_arguments(stubs: Path, argv: list[str]) -> None:
    check(run_cli(*argv))


# ---- TOML documents ------------------------------------------------------------------------

KEYS = ["title", "alpha", "beta", "R", "gamma", "y", "H", "shocks", "t_accounts_tau",
        "sections", "data_dir", "deleveraging_preset", "colour"]
TOML_VALUES = st.one_of(
    st.sampled_from(["0.5", "1.05", "0.95", "0.1", "1", "0", "-1", "nan", "inf", "-inf", "true",
                     '"half"', "[0.1, 0.2]", "[0.1, 1.5]", "[]", '["vonpeter"]',
                     '["vonpeter", "vonpeter"]', '["nope"]', '"vonpeter,cases"', "{}",
                     "{ a = 1 }", "1" + "0" * 400, "1" + "0" * 30, "9223372036854775807",
                     "1e400", '"' + "x" * 20000 + '"', '"japan-1990s"', '"us-2008"', '""',
                     '"\\u0000"', "[" * 40 + "]" * 40, "1979-05-27", "[1, [2, [3]]]",
                     "[" + ", ".join(["0.01"] * 150) + "]"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=10).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = [f"{draw(st.sampled_from(KEYS))} = {draw(TOML_VALUES)}"
             for _ in range(draw(st.integers(0, 4)))]
    extra = draw(st.sampled_from(["", "", "[table]\nx = 1", "a.b.c = 1", "= 1", "\x00",
                                  "alpha = ", "[[" * 3, "x = " + "[" * 300 + "]" * 300]))
    return "\n".join([*lines, extra]) + "\n"


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=toml_documents())
def test_no_traceback_for_any_config(stubs: Path, doc: str) -> None:
    path = stubs / "c.toml"
    path.write_text(doc, encoding="utf-8", errors="surrogatepass")
    check(run_cli("report", "--out", str(stubs / "out"), "--config", str(path)))
    with contextlib.suppress(BsrlabError):  # the loader raises only bsrlab's errors
        load_config(path)
