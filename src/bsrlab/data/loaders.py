"""Loaders of the external data sets: verified, column-checked, parsed once per process.

Each loader finds its file with :func:`bsrlab.data.store.locate` (which checks the size and
sha256), parses it, checks the columns it needs and prints the licence and citation the first
time the data set is used. Parsed frames are cached in-process, keyed by path and checksum; the
callers get a copy, so the cache cannot be altered from outside.
"""

from __future__ import annotations

import functools
import os
import warnings

import numpy as np
import pandas as pd

from bsrlab.core.errors import ConfigError, DataError
from bsrlab.data.sources import BIS_NOMINAL, BIS_REAL, JST, DatasetSpec
from bsrlab.data.store import locate, notice_once, verify

__all__ = ["load_bis", "load_jst"]


def _check_columns(spec: DatasetSpec, path: str, frame: pd.DataFrame) -> None:
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise DataError(f"data file '{path}' ({spec.title}) lacks the columns "
                        f"{', '.join(missing)}; expected at least {', '.join(spec.columns)}")


@functools.lru_cache(maxsize=4)
def _parse_jst(path: str, sha256: str) -> pd.DataFrame:
    del sha256  # part of the cache key only
    try:
        with warnings.catch_warnings():
            # openpyxl warns about the workbook's data-validation extension; it is harmless.
            warnings.simplefilter("ignore", UserWarning)
            frame = pd.read_excel(path, sheet_name="Sheet1", engine="openpyxl")
    except (ValueError, KeyError, OSError) as exc:
        raise DataError(f"data file '{path}' ({JST.title}) cannot be read as the JST workbook: "
                        f"{exc}") from None
    _check_columns(JST, path, frame)
    frame = frame.loc[:, list(JST.columns)].copy()
    frame["iso"] = frame["iso"].astype(str)
    frame["country"] = frame["country"].astype(str)
    frame["year"] = frame["year"].astype(np.int64)
    for c in JST.columns[3:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(np.float64)
    return frame.sort_values(["iso", "year"]).reset_index(drop=True)


def load_jst(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The JST Macrohistory Database R6: one row per country-year, the columns bsrlab uses.

    Columns: ``year, country, iso, gdp, cpi, stir, ltrate, hpnom, tloans, lev, crisisJST,
    eq_capgain`` (``lev`` is bank capital over assets in per cent; ``eq_capgain`` the equity
    capital gain of the year; ``crisisJST`` is 1 in the year a systemic banking crisis starts).

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


@functools.lru_cache(maxsize=4)
def _parse_bis(path: str, sha256: str, which: str) -> pd.DataFrame:
    del sha256
    spec = BIS_NOMINAL if which == "nominal" else BIS_REAL
    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError) as exc:
        raise DataError(f"data file '{path}' ({spec.title}) cannot be read as CSV: {exc}"
                        ) from None
    _check_columns(spec, path, frame)
    frame = frame.loc[:, list(spec.columns)].copy()
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["country_code"] = frame["country_code"].astype(str)
    frame["country"] = frame["country"].astype(str)
    frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype(np.float64)
    return frame.sort_values(["country_code", "date"]).reset_index(drop=True)


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
