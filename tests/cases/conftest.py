"""Fixtures for the case-study tests: an isolated cache, the shared data, or no data at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bsrlab.data.sources import JST

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path | None:
    """``$BSRLAB_DATA`` if set, else ``<repo>/../shared/data``; None when the JST file is absent."""
    env = os.environ.get("BSRLAB_DATA")
    d = Path(env) if env else REPO.parent / "shared" / "data"
    return d if (d / JST.filename).is_file() else None


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user cache (never the real one)."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BSRLAB_CACHE", str(cache))
    monkeypatch.delenv("BSRLAB_DATA_URL", raising=False)
    return cache


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared data directory, exported as BSRLAB_DATA; skips when it is not there."""
    d = shared_data_dir()
    if d is None:
        if os.environ.get("BSRLAB_REQUIRE_DATA") == "1":
            pytest.fail("BSRLAB_REQUIRE_DATA=1 but the JST/BIS data files are not available "
                        "(set BSRLAB_DATA)")
        pytest.skip("the JST/BIS data files are not available (set BSRLAB_DATA)")
    monkeypatch.setenv("BSRLAB_DATA", str(d))
    return d


@pytest.fixture
def no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory as BSRLAB_DATA: nothing to load."""
    empty = tmp_path / "empty-data"
    empty.mkdir()
    monkeypatch.setenv("BSRLAB_DATA", str(empty))
    return empty
