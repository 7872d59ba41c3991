"""Where data files live, how they are verified, fetched and imported.

Resolution order for a data file: an explicit directory (``--data-dir``) if given, otherwise the
directory in the ``BSRLAB_DATA`` environment variable, then the user cache
(``$BSRLAB_CACHE``, else ``$XDG_CACHE_HOME/bsrlab``, else ``~/.cache/bsrlab``). The first
directory holding the file wins; a file that is there but fails its size or sha256 check is an
error (it is never silently skipped).

Writes into the cache are atomic: a download or an import goes to a temporary file in the cache
directory, is verified, and only then renamed into place with :func:`os.replace`. A failed or
interrupted transfer leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bsrlab.core.errors import DataError, ParameterError
from bsrlab.data.sources import DATASETS, DatasetSpec, dataset

__all__ = [
    "DataStatus",
    "cache_dir",
    "check_base_url",
    "data_dirs",
    "fetch",
    "import_file",
    "locate",
    "notice_once",
    "sha256_file",
    "status",
    "verify",
]

ENV_DATA = "BSRLAB_DATA"
ENV_CACHE = "BSRLAB_CACHE"
ENV_BASE_URL = "BSRLAB_DATA_URL"
_CHUNK = 1 << 16
#: A ``.part`` file older than this (seconds) is left from an interrupted transfer.
_STALE_PART = 3600.0
_URL_SCHEMES = ("http", "https", "file")


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; False (never an exception) for any unusable path."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def check_base_url(url: str) -> str:
    """Check a ``--base-url``: an ``http://`` or ``https://`` URL with a host, or a ``file:`` URL.

    Raises
    ------
    ParameterError
        Naming ``base-url``, for an empty or malformed URL or another scheme.

    Examples
    --------
    >>> check_base_url("https://example.org/data/")
    'https://example.org/data/'
    """
    from urllib.parse import urlsplit

    rule = "an http://, https:// or file:// URL"
    if not url or len(url) > 2000 or any(c.isspace() or ord(c) < 0x20 for c in url):
        raise ParameterError("base-url", rule, url[:60])
    try:
        parts = urlsplit(url)
        port = parts.port  # a malformed port raises ValueError
    except ValueError:
        raise ParameterError("base-url", rule, url[:60]) from None
    del port
    if parts.scheme not in _URL_SCHEMES:
        raise ParameterError("base-url", rule, url[:60])
    if parts.scheme in ("http", "https") and not parts.hostname:
        raise ParameterError("base-url", rule + " with a host name", url[:60])
    if parts.scheme == "file" and not parts.path:
        raise ParameterError("base-url", rule, url[:60])
    return url


def _how_to_get(spec: DatasetSpec) -> str:
    return (f"get it with 'bsrlab data fetch {spec.name}' (downloads {spec.url}), or "
            f"'bsrlab data import FILE' with a copy from {spec.home}, or point --data-dir / "
            f"{ENV_DATA} at a directory holding it")


def cache_dir() -> Path:
    """The user cache: ``$BSRLAB_CACHE``, else ``$XDG_CACHE_HOME/bsrlab``, else ~/.cache/bsrlab."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "bsrlab"


def data_dirs(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The directories searched, in order (see the module docstring)."""
    if data_dir is not None:
        return [Path(data_dir)]
    out = []
    env = os.environ.get(ENV_DATA)
    if env:
        out.append(Path(env))
    out.append(cache_dir())
    return out


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def verify(spec: DatasetSpec, path: str | os.PathLike[str]) -> str:
    """Check a file's size and sha256 against ``spec``; return the digest or raise DataError."""
    p = Path(path)
    try:
        info = p.stat()
    except (OSError, ValueError):
        raise DataError(f"data file '{p}' ({spec.title}) is missing; {_how_to_get(spec)}"
                        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"data file '{p}' ({spec.title}) is not a regular file; "
                        f"{_how_to_get(spec)}")
    size = info.st_size
    if size != spec.size:
        kind = "truncated" if size < spec.size else "too large"
        raise DataError(f"data file '{p}' is {kind}: expected {spec.size} bytes, found {size}; "
                        f"{_how_to_get(spec)}")
    try:
        digest = sha256_file(p)
    except OSError as exc:
        raise DataError(f"data file '{p}' cannot be read: {exc.strerror or exc}") from None
    if digest != spec.sha256:
        raise DataError(f"data file '{p}' has been altered: sha256 expected {spec.sha256}, "
                        f"found {digest}; {_how_to_get(spec)}")
    return digest


def locate(spec: DatasetSpec, data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The verified path of ``spec``'s file: the first searched directory that holds it.

    Raises
    ------
    DataError
        When no searched directory holds the file (the message lists them and says how to get
        it), or when the file found fails its size or checksum test.
    """
    dirs = data_dirs(data_dir)
    for d in dirs:
        p = d / spec.filename
        if _is_file(p):
            verify(spec, p)
            return p
        if _exists(p):
            raise DataError(f"'{p}' is not a regular file where the data file "
                            f"{spec.filename} should be; remove it, then {_how_to_get(spec)}")
    searched = ", ".join(f"'{d}'" for d in dirs)
    raise DataError(f"data file '{spec.filename}' ({spec.title}) is missing (searched "
                    f"{searched}); {_how_to_get(spec)}")


def notice_once(spec: DatasetSpec, stream: IO[str] | None = None) -> bool:
    """Print the licence and citation of ``spec`` the first time it is used.

    A marker file in the cache directory remembers that the notice was shown. Returns whether it
    printed. If the cache cannot be written the notice is printed every time.
    """
    marker = cache_dir() / f".notice-{spec.name}-{spec.sha256[:12]}"
    if _exists(marker):
        return False
    print(spec.notice(), file=stream if stream is not None else sys.stderr)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(spec.citation + "\n", encoding="utf-8")
    except (OSError, ValueError):
        pass
    return True


def _install(spec: DatasetSpec, src: IO[bytes], dest_dir: Path, origin: str) -> Path:
    """Copy a stream into ``dest_dir`` atomically, verifying size and sha256 on the way."""
    final = dest_dir / spec.filename
    if _exists(final) and not _is_file(final):
        raise DataError(f"'{final}' is not a regular file where the data file {spec.filename} "
                        "should be; remove it and try again; nothing was written to the cache")
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(spec, dest_dir)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.filename}.", suffix=".part", dir=dest_dir)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DataError(f"cache directory '{dest_dir}' cannot be written: {reason}") from None
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        n = 0
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: src.read(_CHUNK), b""):
                h.update(block)
                n += len(block)
                if n > spec.size:
                    break  # more than the expected file: refused below, the rest unread
                out.write(block)
        digest = h.hexdigest()
        if n != spec.size or digest != spec.sha256:
            raise DataError(f"{origin} is not the expected {spec.filename}: expected {spec.size} "
                            f"bytes with sha256 {spec.sha256}, got {n} bytes with sha256 "
                            f"{digest}; nothing was written to the cache")
        try:
            os.replace(tmp, final)
        except OSError as exc:
            raise DataError(f"cache file '{final}' cannot be written: {exc.strerror or exc}; "
                            "nothing was written to the cache") from None
        return final
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale_parts(spec: DatasetSpec, dest_dir: Path) -> None:
    """Remove ``.part`` files of ``spec`` left by a transfer that was killed (older than 1 h)."""
    now = time.time()
    try:
        entries = list(dest_dir.glob(f".{spec.filename}.*.part"))
    except OSError:
        return
    for p in entries:
        try:
            if now - p.lstat().st_mtime > _STALE_PART:
                p.unlink()
        except OSError:
            continue


def fetch(names: Iterable[str] | None = None, *, base_url: str | None = None,
          cache: str | os.PathLike[str] | None = None, force: bool = False,
          timeout: float = 60.0) -> dict[str, Path]:
    """Download data sets into the cache (verified, atomic); return name -> path.

    Parameters
    ----------
    names
        Short names (``jst``, ``bis-nominal``, ``bis-real``); all when None.
    base_url
        Download ``base_url/FILENAME`` instead of the official URL (also read from
        ``$BSRLAB_DATA_URL``), e.g. a mirror or a local test server.
    cache
        The target directory; the user cache by default.
    force
        Download even when a verified copy is already there.
    """
    import http.client
    import urllib.error
    import urllib.request

    dest = Path(cache) if cache is not None else cache_dir()
    base = base_url if base_url is not None else os.environ.get(ENV_BASE_URL)
    if base is not None:
        check_base_url(base)
    specs = [dataset(n) for n in names] if names is not None else list(DATASETS.values())
    out: dict[str, Path] = {}
    for spec in specs:
        final = dest / spec.filename
        if not force and _is_file(final):
            try:
                verify(spec, final)
                out[spec.name] = final
                continue
            except DataError:
                pass  # a bad copy is replaced below
        url = f"{base.rstrip('/')}/{spec.filename}" if base else spec.url
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                out[spec.name] = _install(spec, resp, dest, f"the download from {url}")
        except urllib.error.URLError as exc:
            reason = " ".join(str(getattr(exc, "reason", exc)).split())
            raise DataError(f"download of {spec.filename} from {url} failed: {reason}; "
                            f"nothing was written to the cache") from None
        except (OSError, TimeoutError, ValueError, http.client.HTTPException) as exc:
            if isinstance(exc, DataError):
                raise
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise DataError(f"download of {spec.filename} from {url} failed: {reason}; "
                            f"nothing was written to the cache") from None
    return out


def import_file(path: str | os.PathLike[str], *, name: str | None = None,
                cache: str | os.PathLike[str] | None = None) -> tuple[str, Path]:
    """Copy a local file into the cache after verifying it; return (dataset name, path).

    The dataset is recognised by ``name`` if given, else by the file's sha256, else by its file
    name (whose checksum must then match).
    """
    src = Path(path)
    if not _is_file(src):
        raise DataError(f"file to import '{src}' does not exist or is not a regular file")
    if name is not None:
        spec = dataset(name)
    else:
        try:
            digest = sha256_file(src)
        except OSError as exc:
            raise DataError(f"file to import '{src}' cannot be read: {exc.strerror or exc}"
                            ) from None
        by_sha = [d for d in DATASETS.values() if d.sha256 == digest]
        by_name = [d for d in DATASETS.values() if d.filename == src.name]
        if by_sha:
            spec = by_sha[0]
        elif by_name:
            spec = by_name[0]
        else:
            known = ", ".join(d.filename for d in DATASETS.values())
            raise DataError(f"file to import '{src}' is none of the known data files ({known}): "
                            f"its sha256 {digest} matches none of them")
    dest = Path(cache) if cache is not None else cache_dir()
    try:
        with open(src, "rb") as fh:
            return spec.name, _install(spec, fh, dest, f"file '{src}'")
    except DataError:
        raise
    except OSError as exc:
        raise DataError(f"file to import '{src}' cannot be read: {exc.strerror or exc}"
                        ) from None


@dataclass(frozen=True, kw_only=True)
class DataStatus:
    """Where a data set was found and whether it verifies."""

    name: str
    filename: str
    state: str  # "ok", "missing", "bad"
    path: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "filename": self.filename, "state": self.state,
                "path": self.path, "detail": self.detail}


def status(data_dir: str | os.PathLike[str] | None = None) -> list[DataStatus]:
    """The state of every data set under the current resolution rules."""
    out = []
    for spec in DATASETS.values():
        try:
            p = locate(spec, data_dir)
            out.append(DataStatus(name=spec.name, filename=spec.filename, state="ok",
                                  path=str(p), detail="sha256 verified"))
        except DataError as exc:
            dirs = data_dirs(data_dir)
            found = next((d / spec.filename for d in dirs if _exists(d / spec.filename)), None)
            out.append(DataStatus(name=spec.name, filename=spec.filename,
                                  state="bad" if found else "missing",
                                  path=str(found) if found else None, detail=str(exc)))
    return out

