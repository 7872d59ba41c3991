"""Results of the case studies cached on disk, so that ``bsrlab validate``, ``bsrlab case
show`` and ``bsrlab dashboard`` answer at once when warm.

A result (the JSON of the panel test, of a diagnosis, of the dashboard) is stored in
``<user cache>/results/<kind>-<key>.json``. The key is the sha256 of: the sha256 of every data
file present (JST and BIS), the command's options, this format's version and the source text
of the packages that compute it (``bsrlab.cases``, ``bsrlab.data``, ``bsrlab.models``), so a
change of data, options or code makes a new entry. An entry that does not match its key, or
cannot be read, is ignored and rebuilt, never trusted; it is written atomically, and when the
cache cannot be written the result is simply computed again next time. This module imports
neither pandas nor the computations unless it has to compute.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bsrlab.core.errors import BsrlabError
from bsrlab.data.sources import JST
from bsrlab.data.store import cache_dir, locate, notice_once, verify

__all__ = ["RESULTS_FORMAT", "SOURCES", "cached_result", "panel_summary", "results_key"]

#: Version of the cached results' layout.
RESULTS_FORMAT = 2
#: The packages whose source text enters the key.
SOURCES = ("bsrlab.cases", "bsrlab.data", "bsrlab.models", "bsrlab.core")
_LIMIT = 64 * 1024 * 1024


def _source_digest(extra: tuple[str, ...] = ()) -> str:
    """sha256 of the source text of the packages :data:`SOURCES` and of the modules or
    packages ``extra`` (e.g. the presentation code that formats a cached result)."""
    h = hashlib.sha256()
    for name in (*SOURCES, *extra):
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        paths = ([p for loc in spec.submodule_search_locations
                  for p in sorted(Path(loc).rglob("*.py"))]
                 if spec.submodule_search_locations is not None
                 else [Path(spec.origin)] if spec.origin else [])
        for path in paths:
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(str(path).encode())
    return h.hexdigest()


def _data_digests(data_dir: str | os.PathLike[str] | None) -> dict[str, str | None]:
    """The verified sha256 of every data file found (None when absent)."""
    from bsrlab.data.sources import DATASETS
    from bsrlab.data.store import data_dirs

    out: dict[str, str | None] = {}
    for spec in DATASETS.values():
        present = any((d / spec.filename).is_file() for d in data_dirs(data_dir))
        out[spec.name] = verify(spec, locate(spec, data_dir)) if present else None
    return out


def results_key(data: dict[str, str | None] | str, options: dict[str, Any],
                code: tuple[str, ...] = ()) -> str:
    """The cache key of a result computed from ``data`` (checksums) with ``options`` by the
    packages :data:`SOURCES` and the modules ``code``."""
    blob = json.dumps({"format": RESULTS_FORMAT, "data": data, "options": options,
                       "code": _source_digest(code)}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def cached_result(kind: str, options: dict[str, Any], compute: Callable[[], Any],
                  data_dir: str | os.PathLike[str] | None = None,
                  code: tuple[str, ...] = ()) -> Any:
    """The JSON-ready result of ``compute()``, from the cache when it holds it for these data,
    options and code (the packages :data:`SOURCES` and the modules ``code``), else computed and
    stored. Prints the licence notice of the data sets used on first use, as the loaders do."""
    from bsrlab.core.fileio import read_bounded, write_bytes_atomic
    from bsrlab.core.jsonio import dumps
    from bsrlab.data.sources import DATASETS

    digests = _data_digests(data_dir)
    key = results_key(digests, {"kind": kind, **options}, code)
    target = cache_dir() / "results" / f"{kind}-{key[:24]}.json"
    try:
        stored = json.loads(read_bounded(target, limit=_LIMIT, what="cached results"))
        if isinstance(stored, dict) and stored.get("key") == key:
            for name in stored.get("notices", []):
                notice_once(DATASETS[name])
            return stored["result"]
    except (BsrlabError, OSError, ValueError, KeyError, TypeError):
        pass
    result = json.loads(dumps(compute()))
    used = [n for n, d in digests.items() if d is not None]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, dumps({"key": key, "notices": used,
                                          "result": result}).encode("utf-8"))
    except (BsrlabError, OSError, ValueError):
        pass
    return result


def panel_summary(data_dir: str | os.PathLike[str] | None = None, *, chronology: str = "jst",
                  replications: int = 1000, seed: int = 20041) -> dict[str, Any]:
    """The JSON-ready figures of :func:`~bsrlab.cases.panel.panel_test`, cached."""
    locate(JST, data_dir)  # no JST file: the loader's one-line message, before anything else

    def compute() -> Any:
        from bsrlab.cases.panel import panel_test

        return panel_test(data_dir, chronology=chronology, replications=replications,
                          seed=seed).to_dict()

    options = {"chronology": chronology, "replications": replications, "seed": seed}
    return dict(cached_result("panel", options, compute, data_dir))
