"""The README's quick start has exactly two commands, and its Python tour runs as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _first_section(text: str) -> str:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return parts[1]


def test_quick_start_has_exactly_two_commands() -> None:
    section = _first_section(README.read_text(encoding="utf-8"))
    assert section.startswith("Quick start")
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 2
    commands = [b.strip() for b in blocks]
    assert all("\n" not in c for c in commands)
    assert "bsrlab report" in commands[0] and "pip install" in commands[0]
    assert commands[1] == "bash scripts/test.sh"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_python_tour_runs_and_prints_the_paper_number(capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)[0]
    exec(compile(code, str(README), "exec"), {})  # the README's own example
    out = capsys.readouterr().out.strip().splitlines()
    assert float(out[0]) == pytest.approx(0.055, abs=1e-12)
