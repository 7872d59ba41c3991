"""Fixtures of the command-line tests: an isolated cache and no data directory by default."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user cache and an empty data directory."""
    base = tmp_path_factory.mktemp("cli-env")
    (base / "cache").mkdir()
    (base / "data").mkdir()
    monkeypatch.setenv("BSRLAB_CACHE", str(base / "cache"))
    monkeypatch.setenv("BSRLAB_DATA", str(base / "data"))
    monkeypatch.delenv("BSRLAB_DATA_URL", raising=False)
    return base
