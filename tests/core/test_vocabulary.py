"""The output vocabulary: formatting, the ordered immutable mapping, the registry, the glossary."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from bsrlab.core import vocabulary
from bsrlab.core.errors import ParameterError
from bsrlab.core.vocabulary import OutputSpec, Vocabulary, num, pct

ROOT = Path(__file__).resolve().parents[2]

DELTA = OutputSpec(name="delta", symbol="δ", unit="share of q", equation="(22)",
                   meaning="asset price decline", label="asset price decline δ", fmt="pct")
RATE = OutputSpec(name="loan_rate", symbol="R_t", unit="gross rate per period", equation="(27)",
                  meaning="loan rate", label="loan rate R_t")


@pytest.mark.parametrize(
    ("x", "digits", "want"),
    [(0.055, 3, "5.500 %"), (0.0551, 2, "5.51 %"), (np.float64(-0.25), 1, "-25.0 %"),
     (np.array(0.5), 0, "50 %"), (1, 2, "100.00 %")],
)
def test_pct(x: object, digits: int, want: str) -> None:
    assert pct(x, digits) == want


def test_pct_default_digits_and_specials() -> None:
    assert pct(0.1) == "10.00 %"
    assert [pct(v) for v in (None, float("nan"), np.nan, float("inf"), -np.inf)] == [
        "n/a", "n/a", "n/a", "∞", "−∞"]


def test_num() -> None:
    assert num(1 / 3) == "0.333333"
    assert num(123456789.0) == "1.23457e+08"
    assert num(2.5e-9, 3) == "2.5e-09"
    assert [num(v) for v in (None, np.nan, np.inf, -np.inf)] == ["n/a", "n/a", "∞", "−∞"]


@pytest.mark.parametrize("bad", ["abc", [1.0, 2.0], True, 1j])
def test_formatting_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(ParameterError, match="'x'"):
        pct(bad)
    with pytest.raises(ParameterError, match="'x'"):
        num(bad)


def test_output_spec_format_by_kind() -> None:
    assert DELTA.format(0.055) == "5.500 %" and DELTA.format(0.055, 1) == "5.5 %"
    assert RATE.format(1.0512345678) == "1.05123" and RATE.format(np.inf) == "∞"
    assert RATE.format(None) == "n/a"
    flag = OutputSpec("stable", "", "flag", "", "stable?", "stable", "bool")
    assert (flag.format(True), flag.format(np.False_), flag.format(None)) == ("yes", "no", "n/a")
    count = OutputSpec("rounds", "", "count", "", "rounds", "rounds", "int")
    assert count.format(np.int64(7)) == "7" and count.format(float("nan")) == "n/a"
    text = OutputSpec("kind", "", "label", "", "kind", "kind", "text")
    assert text.format("capital_crunch") == "capital_crunch" and text.format(None) == "n/a"


def test_output_spec_validates() -> None:
    with pytest.raises(ParameterError, match="'fmt'"):
        OutputSpec("x", "", "", "", "", "", "percent")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'name'"):
        OutputSpec("not a key", "", "", "", "", "")
    with pytest.raises(ParameterError, match="'meaning'"):
        OutputSpec("x", "", "", "", "two\nlines", "")


def test_vocabulary_is_ordered_immutable_and_labelled() -> None:
    v = Vocabulary("example", [RATE, DELTA])
    assert list(v) == ["loan_rate", "delta"] and v.names == ("loan_rate", "delta")
    assert v["delta"] is DELTA and len(v) == 2
    assert v.labels(["delta", "loan_rate"]) == ("asset price decline δ", "loan rate R_t")
    assert v.headers() == ("R_t", "δ")
    assert v.format("delta", 0.5) == "50.000 %"
    with pytest.raises(KeyError, match="'tau' is not declared in the example vocabulary"):
        v["tau"]
    with pytest.raises(TypeError):
        v["delta"] = RATE  # type: ignore[index]
    with pytest.raises(ParameterError, match="unique names"):
        Vocabulary("example", [DELTA, DELTA])
    assert v == Vocabulary("example", [RATE, DELTA]) != Vocabulary("example", [DELTA, RATE])
    assert hash(v) == hash(Vocabulary("example", [RATE, DELTA]))


def test_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "_REGISTRY", {})
    v = vocabulary.register(Vocabulary("example", [DELTA]))
    assert vocabulary.register(Vocabulary("example", [DELTA])) is not None  # equal: no-op
    with pytest.raises(ParameterError, match="not yet registered"):
        vocabulary.register(Vocabulary("example", [RATE]))
    vocabulary.register(Vocabulary("another", [RATE]))
    assert vocabulary.family("example") == v
    assert vocabulary.families() == ("another", "example")
    assert vocabulary.all_specs() == (("another", RATE), ("example", DELTA))
    with pytest.raises(ParameterError, match=r"'family'.*'another', 'example'"):
        vocabulary.family("missing")
    md = vocabulary.glossary_markdown()
    assert md.index("## another") < md.index("## example")
    assert "| `delta` | δ | share of q | (22) | asset price decline |" in md


def test_glossary_cells_escape_pipes() -> None:
    spec = OutputSpec("x", "|x|", "", "", "absolute value |x|", "")
    assert "\\|x\\|" in Vocabulary("example", [spec]).glossary_markdown()


def test_committed_glossary_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("glossary_script", ROOT / "scripts/glossary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run scripts/glossary.py"
    assert "## vonpeter" in committed


def test_vocabulary_imports_nothing_else_of_bsrlab() -> None:
    tree = ast.parse((ROOT / "src/bsrlab/core/vocabulary.py").read_text(encoding="utf-8"))
    mods = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    mods += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert all(m.startswith("bsrlab.core") for m in mods if m.startswith("bsrlab"))
