"""Loaders of the external data sets: verified, column-checked, parsed once.

Each loader finds its file with :func:`bsrlab.data.store.locate` (which checks the size and
sha256), parses it, checks the columns it needs and prints the licence and citation the first
time the data set is used. Parsed frames are cached twice:

- in-process, keyed by path and checksum; the callers get a copy, so the cache cannot be altered
  from outside;
- on disk, in ``<user cache>/parsed/``, as a NumPy ``.npz`` archive of the parsed columns (read
  without pickle), keyed by the data file's sha256. The archive holds the format version, the
  data set's name, the file's sha256 and the column names; an entry that does not match them,
  or cannot be read, is ignored and rebuilt, never trusted. It is written atomically; when the
  cache cannot be written the data are simply parsed again next time.
"""

from __future__ import annotations

import functools
import io
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bsrlab.core.errors import BsrlabError, ConfigError, DataError
from bsrlab.data.sources import BIS_NOMINAL, BIS_REAL, JST, DatasetSpec
from bsrlab.data.store import cache_dir, locate, notice_once, verify

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PARSED_FORMAT", "load_bis", "load_jst", "parsed_cache_path"]

#: Version of the on-disk format of parsed data; a change makes older entries be rebuilt.
PARSED_FORMAT = 2
_PARSED_LIMIT = 256 * 1024 * 1024


def _check_columns(spec: DatasetSpec, path: str, frame: pd.DataFrame) -> None:
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise DataError(f"data file '{path}' ({spec.title}) lacks the columns "
                        f"{', '.join(missing)}; expected at least {', '.join(spec.columns)}")


def parsed_cache_path(spec: DatasetSpec, sha256: str) -> Path:
    """Where the parsed columns of the file with checksum ``sha256`` are cached."""
    return cache_dir() / "parsed" / f"{spec.name}-{sha256[:16]}.npz"


def _meta(spec: DatasetSpec, sha256: str) -> dict[str, Any]:
    return {"format": PARSED_FORMAT, "dataset": spec.name, "sha256": sha256,
            "columns": list(spec.columns)}


def _read_parsed(spec: DatasetSpec, sha256: str) -> pd.DataFrame | None:
    """The cached parsed frame, or None when there is none or it does not match exactly."""
    import numpy as np
    import pandas as pd

    from bsrlab.core.fileio import read_bounded

    path = parsed_cache_path(spec, sha256)
    try:
        blob = read_bounded(path, limit=_PARSED_LIMIT, what="parsed data")
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            meta = json.loads(str(npz["__meta__"][()]))
            if meta != _meta(spec, sha256):
                return None
            cols = {c: npz[f"col_{i}"] for i, c in enumerate(spec.columns)}
    except Exception:  # missing, foreign or damaged (it can fail in many ways): rebuilt
        return None
    n = {len(a) for a in cols.values()}
    if len(n) != 1 or any(a.ndim != 1 for a in cols.values()):
        return None
    return pd.DataFrame(cols)


def _write_parsed(spec: DatasetSpec, sha256: str, frame: pd.DataFrame) -> None:
    """Store the parsed frame for the next run (best effort: failures are ignored)."""
    import numpy as np

    from bsrlab.core.fileio import write_bytes_atomic

    arrays: dict[str, Any] = {"__meta__": np.array(json.dumps(_meta(spec, sha256)))}
    for i, c in enumerate(spec.columns):
        a = frame[c].to_numpy()
        if a.dtype == object or a.dtype.kind == "O" or str(frame[c].dtype) in ("str", "string"):
            a = np.asarray(frame[c].astype(str).to_numpy(), dtype=str)
        arrays[f"col_{i}"] = a
    buf = io.BytesIO()
    try:
        np.savez(buf, allow_pickle=False, **arrays)
        path = parsed_cache_path(spec, sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, buf.getvalue())
    except (BsrlabError, OSError, ValueError, TypeError):
        pass


def _normalise_jst(frame: pd.DataFrame) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    frame = frame.loc[:, list(JST.columns)].copy()
    frame["iso"] = frame["iso"].astype(str)
    frame["country"] = frame["country"].astype(str)
    frame["year"] = frame["year"].astype(np.int64)
    for c in JST.columns[3:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(np.float64)
    return frame.sort_values(["iso", "year"]).reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _parse_jst(path: str, sha256: str) -> pd.DataFrame:
    cached = _read_parsed(JST, sha256)
    if cached is not None:
        try:
            return _normalise_jst(cached)
        except (ValueError, TypeError, KeyError):
            pass
    import pandas as pd

    try:
        with warnings.catch_warnings():
            # openpyxl warns about the workbook's data-validation extension; it is harmless.
            warnings.simplefilter("ignore", UserWarning)
            frame = pd.read_excel(path, sheet_name="Sheet1", engine="openpyxl")
    except (ValueError, KeyError, OSError) as exc:
        raise DataError(f"data file '{path}' ({JST.title}) cannot be read as the JST workbook: "
                        f"{' '.join(str(exc).split())}") from None
    _check_columns(JST, path, frame)
    frame = _normalise_jst(frame)
    _write_parsed(JST, sha256, frame)
    return frame


def load_jst(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The JST Macrohistory Database R6: one row per country-year, the columns bsrlab uses.

    Columns: ``year, country, iso, gdp, cpi, stir, ltrate, hpnom, tloans, lev, crisisJST,
    eq_capgain, rgdpbarro, pop, housing_rent_yd`` (``lev`` is bank capital over assets in per
    cent; ``eq_capgain`` the equity capital gain of the year; ``crisisJST`` is 1 in the year a
    systemic banking crisis starts; ``rgdpbarro`` real GDP per person, an index; ``pop`` the
    population; ``housing_rent_yd`` the rent yield of housing, a fraction).

    Raises
    ------
    DataError
        When the file is missing, truncated, altered or lacks a column.
    """
    path = locate(JST, data_dir)
    digest = verify(JST, path)
    frame = _parse_jst(str(path), digest)
    notice_once(JST)
    return frame.copy()


def _normalise_bis(frame: pd.DataFrame, spec: DatasetSpec, *, parse_dates: bool) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    frame = frame.loc[:, list(spec.columns)].copy()
    if parse_dates:
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["country_code"] = frame["country_code"].astype(str)
    frame["country"] = frame["country"].astype(str)
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype(np.float64)
    return frame.sort_values(["country_code", "date"]).reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _parse_bis(path: str, sha256: str, which: str) -> pd.DataFrame:
    spec = BIS_NOMINAL if which == "nominal" else BIS_REAL
    cached = _read_parsed(spec, sha256)
    if cached is not None and cached["date"].dtype.kind == "M":
        try:
            return _normalise_bis(cached, spec, parse_dates=False)
        except (ValueError, TypeError, KeyError):
            pass
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError) as exc:
        raise DataError(f"data file '{path}' ({spec.title}) cannot be read as CSV: "
                        f"{' '.join(str(exc).split())}") from None
    _check_columns(spec, path, frame)
    try:
        frame = _normalise_bis(frame, spec, parse_dates=True)
    except (ValueError, TypeError) as exc:
        raise DataError(f"data file '{path}' ({spec.title}) has malformed values: "
                        f"{' '.join(str(exc).split())}") from None
    _write_parsed(spec, sha256, frame)
    return frame


def load_bis(which: str = "nominal",
             data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """BIS residential property prices (quarterly, 2010 = 100), ``nominal`` or ``real``.

    Columns: ``date`` (last day of the quarter), ``country_code`` (ISO alpha-2), ``country``,
    ``price``.
    """
    if which not in ("nominal", "real"):
        raise ConfigError(f"BIS series must be 'nominal' or 'real'; got {which!r}")
    spec = BIS_NOMINAL if which == "nominal" else BIS_REAL
    path = locate(spec, data_dir)
    digest = verify(spec, path)
    frame = _parse_bis(str(path), digest, which)
    notice_once(spec)
    return frame.copy()
