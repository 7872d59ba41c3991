"""Shared fixtures: run the CLI in-process and capture its streams and exit status.

Hypothesis runs derandomized (the same examples on every run and machine, so a failure in CI
is a failure here too); ``BSRLAB_HYPOTHESIS=explore`` draws fresh examples instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import settings

from bsrlab.interfaces.cli import main

settings.register_profile("bsrlab", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile("explore" if os.environ.get("BSRLAB_HYPOTHESIS") == "explore" else "bsrlab")


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
