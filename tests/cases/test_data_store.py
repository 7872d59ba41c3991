"""Loaders and the cache: checksums, clear errors, downloads from a local server, atomic writes."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from bsrlab.core.errors import DataError
from bsrlab.data import (
    BIS_NOMINAL,
    DATASETS,
    JST,
    cache_dir,
    data_dirs,
    fetch,
    import_file,
    load_bis,
    load_jst,
    locate,
    notice_once,
    sha256_file,
    status,
    verify,
)
from bsrlab.data.loaders import _check_columns


def test_shared_files_verify(data_dir: Path) -> None:
    for spec in DATASETS.values():
        assert sha256_file(data_dir / spec.filename) == spec.sha256
        assert verify(spec, data_dir / spec.filename) == spec.sha256


def test_missing_file_message_names_file_and_remedy(no_data: Path) -> None:
    with pytest.raises(DataError) as exc:
        locate(JST)
    msg = str(exc.value)
    assert "JSTdatasetR6.xlsx" in msg
    assert "is missing" in msg
    assert "bsrlab data fetch jst" in msg and "bsrlab data import" in msg
    assert str(no_data) in msg


def test_truncated_and_altered_files_are_refused(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    blob = (data_dir / BIS_NOMINAL.filename).read_bytes()
    (bad / BIS_NOMINAL.filename).write_bytes(blob[:-100])
    with pytest.raises(DataError, match=r"is truncated: expected 292075 bytes, found 291975"):
        load_bis("nominal", bad)
    altered = bytearray(blob)
    altered[1000] ^= 0x01
    (bad / BIS_NOMINAL.filename).write_bytes(bytes(altered))
    with pytest.raises(DataError, match=r"has been altered: sha256 expected aca289"):
        load_bis("nominal", bad)
    # an altered file is an error even when a good copy exists further down the search path
    shutil.copyfile(data_dir / BIS_NOMINAL.filename, cache_dir() / BIS_NOMINAL.filename)
    with pytest.raises(DataError, match="altered"):
        locate(BIS_NOMINAL, bad)


def test_column_check_names_missing_columns() -> None:
    frame = pd.DataFrame({"date": [1], "price": [2.0]})
    with pytest.raises(DataError, match="lacks the columns country_code, country"):
        _check_columns(BIS_NOMINAL, "x.csv", frame)


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit, env = tmp_path / "explicit", tmp_path / "env"
    monkeypatch.setenv("BSRLAB_DATA", str(env))
    assert data_dirs(explicit) == [explicit]
    assert data_dirs() == [env, cache_dir()]
    monkeypatch.delenv("BSRLAB_DATA")
    monkeypatch.delenv("BSRLAB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_dirs() == [tmp_path / "xdg" / "bsrlab"]


def test_load_jst_parses_once_and_has_the_panel(data_dir: Path) -> None:
    a = load_jst()
    b = load_jst()
    assert a is not b  # callers get copies of the cached frame
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (2718, len(JST.columns))
    assert a["iso"].nunique() == 18
    assert (a["year"].min(), a["year"].max()) == (1870, 2020)
    assert int(a["crisisJST"].sum()) == 88
    bis = load_bis("real")
    assert list(bis.columns) == ["date", "country_code", "country", "price"]
    assert bis.loc[bis["country_code"] == "JP", "date"].min().year == 1955


def test_notice_printed_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert notice_once(JST) is True
    err = capsys.readouterr().err
    assert "CC BY-NC-SA 4.0" in err and "Macrofinancial History" in err
    assert notice_once(JST) is False
    assert capsys.readouterr().err == ""


def test_loader_prints_notice_on_first_use(data_dir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    load_bis("nominal")
    assert "BIS Residential Property Price database" in capsys.readouterr().err
    load_bis("nominal")
    assert capsys.readouterr().err == ""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on 127.0.0.1 serving a directory; yields (base URL, directory)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _cache_files() -> list[str]:
    d = cache_dir()
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def test_fetch_from_local_server(data_dir: Path, server: tuple[str, Path],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    base, root = server
    for spec in DATASETS.values():
        shutil.copyfile(data_dir / spec.filename, root / spec.filename)
    got = fetch(base_url=base)
    assert set(got) == set(DATASETS)
    for name, path in got.items():
        assert path.parent == cache_dir()
        assert sha256_file(path) == DATASETS[name].sha256
    assert _cache_files() == sorted(s.filename for s in DATASETS.values())
    # the cache is now a working data source
    monkeypatch.delenv("BSRLAB_DATA")
    assert locate(JST).parent == cache_dir()
    # a second fetch finds verified copies and downloads nothing (the server is emptied)
    for spec in DATASETS.values():
        (root / spec.filename).unlink()
    assert fetch(base_url=base) == got


def test_fetch_of_altered_file_leaves_nothing(data_dir: Path, server: tuple[str, Path]) -> None:
    base, root = server
    blob = bytearray((data_dir / BIS_NOMINAL.filename).read_bytes())
    blob[-10] ^= 0xFF
    (root / BIS_NOMINAL.filename).write_bytes(bytes(blob))
    with pytest.raises(DataError, match="nothing was written to the cache"):
        fetch(["bis-nominal"], base_url=base)
    assert _cache_files() == []


def test_fetch_of_missing_url_fails_cleanly(server: tuple[str, Path]) -> None:
    base, _ = server
    with pytest.raises(DataError, match=r"download of real_index.csv from .* failed"):
        fetch(["bis-real"], base_url=base)
    assert _cache_files() == []


def test_import_verifies_and_copies(data_dir: Path, tmp_path: Path) -> None:
    name, path = import_file(data_dir / BIS_NOMINAL.filename)
    assert name == "bis-nominal" and path == cache_dir() / BIS_NOMINAL.filename
    assert sha256_file(path) == BIS_NOMINAL.sha256
    # a file with the right name and the wrong content is refused, nothing written
    wrong = tmp_path / "real_index.csv"
    wrong.write_bytes(b"date,country_code,country,price\n")
    with pytest.raises(DataError, match=r"not the expected real_index\.csv"):
        import_file(wrong)
    unknown = tmp_path / "other.csv"
    unknown.write_bytes(b"x")
    with pytest.raises(DataError, match="none of the known data files"):
        import_file(unknown)
    with pytest.raises(DataError, match="does not exist"):
        import_file(tmp_path / "nope.csv")
    assert _cache_files() == [BIS_NOMINAL.filename]


def test_status_reports_ok_missing_bad(data_dir: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copyfile(data_dir / BIS_NOMINAL.filename, mixed / BIS_NOMINAL.filename)
    (mixed / "real_index.csv").write_bytes(b"broken")
    states = {s.name: s.state for s in status(mixed)}
    assert states == {"jst": "missing", "bis-nominal": "ok", "bis-real": "bad"}
