"""Shared fixtures: run the CLI in-process and capture its streams and exit status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bsrlab.interfaces.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """``cli("solve", "--alpha", "0.5", ...)`` -> CliResult(code, out, err)."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        cap = capsys.readouterr()
        return CliResult(code, cap.out, cap.err)

    return run
