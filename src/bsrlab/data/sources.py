"""The external data sets bsrlab reads: where they come from, their checksums, licences, citations.

The files are never part of the project (their licences are not the project's). They are read
from a data directory (``--data-dir`` or ``BSRLAB_DATA``) or from the user cache filled by
``bsrlab data fetch`` / ``bsrlab data import FILE``; see :mod:`bsrlab.data.store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bsrlab.core.errors import ConfigError

__all__ = ["BIS_NOMINAL", "BIS_REAL", "DATASETS", "JST", "DatasetSpec", "dataset"]


@dataclass(frozen=True, kw_only=True)
class DatasetSpec:
    """One external data file, identified by its name, size and sha256.

    Parameters
    ----------
    name
        Short key used on the command line (``jst``, ``bis-nominal``, ``bis-real``).
    filename
        The file's name in a data directory or the cache.
    sha256, size
        The checksum and size in bytes of the one version bsrlab accepts.
    url
        Where ``bsrlab data fetch`` downloads it from (a pinned copy of the official file).
    home
        The original publisher's page.
    licence, citation
        The licence and the citation its users must give.
    columns
        The columns the loader needs.
    """

    name: str
    filename: str
    sha256: str
    size: int
    url: str
    home: str
    title: str
    licence: str
    citation: str
    columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise ConfigError(f"dataset '{self.name}': sha256 must be 64 lower-case hex digits; "
                              f"got {self.sha256!r}")
        if self.size <= 0:
            raise ConfigError(f"dataset '{self.name}': size must be > 0; got {self.size}")

    def notice(self) -> str:
        """The licence and citation text printed on first use."""
        return (f"bsrlab: using {self.title} ({self.filename}).\n"
                f"  Licence: {self.licence}\n  Please cite: {self.citation}")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "filename": self.filename, "sha256": self.sha256,
                "size": self.size, "url": self.url, "home": self.home, "title": self.title,
                "licence": self.licence, "citation": self.citation,
                "columns": list(self.columns)}


JST = DatasetSpec(
    name="jst",
    filename="JSTdatasetR6.xlsx",
    sha256="cb58592f2bf918ea025f7f76307ed23ea25f3622ddda54c3fdfd721788f09d19",
    size=1_408_025,
    url=("https://raw.githubusercontent.com/getty-papers/separate_way/"
         "76ac38deff84017c4cc06cbb0fd84934e41827d4/data/JSTdatasetR6.xlsx"),
    home="https://www.macrohistory.net/database/",
    title="Jordà-Schularick-Taylor Macrohistory Database, Release 6",
    licence="Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International "
            "(CC BY-NC-SA 4.0)",
    citation=("Jordà, Ò., Schularick, M. and Taylor, A. M. (2017), \"Macrofinancial History and "
              "the New Business Cycle Facts\", NBER Macroeconomics Annual 2016, vol. 31. "
              "Bank capital (lev): Jordà, Richter, Schularick and Taylor (2021), \"Bank Capital "
              "Redux\", Review of Economic Studies 88(1). Equity returns (eq_capgain): Jordà, "
              "Knoll, Kuvshinov, Schularick and Taylor (2019), \"The Rate of Return on "
              "Everything\", QJE 134(3). House prices (hpnom): Knoll, Schularick and Steger "
              "(2017), \"No Price Like Home\", AER 107(2)."),
    columns=("year", "country", "iso", "gdp", "cpi", "stir", "ltrate", "hpnom", "tloans", "lev",
             "crisisJST", "eq_capgain", "rgdpbarro", "pop", "housing_rent_yd"),
)

_BIS_COMMIT = "dbefb611a77fe16bee011e41a6f5cb76600b5d1e"
_BIS_LICENCE = "BIS terms of permitted use of BIS statistics (https://www.bis.org/terms_statistics.htm)"
_BIS_CITATION = ("Sources: National sources, BIS Residential Property Price database, "
                 "http://www.bis.org/statistics/pp.htm")

BIS_NOMINAL = DatasetSpec(
    name="bis-nominal",
    filename="nominal_index.csv",
    sha256="aca289aaafe3d0341078a785934316d8c316bbeb5ca5a2c029afd5164c7a77c9",
    size=292_075,
    url=("https://raw.githubusercontent.com/datasets/house-prices-global/"
         f"{_BIS_COMMIT}/data/nominal_index.csv"),
    home="https://www.bis.org/statistics/pp.htm",
    title="BIS selected residential property prices, nominal (2010 = 100)",
    licence=_BIS_LICENCE,
    citation=_BIS_CITATION,
    columns=("date", "country_code", "country", "price"),
)

BIS_REAL = DatasetSpec(
    name="bis-real",
    filename="real_index.csv",
    sha256="6e2034545ba7c80b9578e654fc690fc83dab20f0ad598015bf4e51de6e8488ac",
    size=290_522,
    url=("https://raw.githubusercontent.com/datasets/house-prices-global/"
         f"{_BIS_COMMIT}/data/real_index.csv"),
    home="https://www.bis.org/statistics/pp.htm",
    title="BIS selected residential property prices, real (2010 = 100)",
    licence=_BIS_LICENCE,
    citation=_BIS_CITATION,
    columns=("date", "country_code", "country", "price"),
)

#: Every data set, by its short name.
DATASETS: dict[str, DatasetSpec] = {d.name: d for d in (JST, BIS_NOMINAL, BIS_REAL)}


def dataset(name: str) -> DatasetSpec:
    """The :class:`DatasetSpec` called ``name``; an unknown name raises ConfigError."""
    try:
        return DATASETS[name]
    except KeyError:
        raise ConfigError(f"dataset must be one of {', '.join(DATASETS)}; got {name!r}"
                          ) from None
