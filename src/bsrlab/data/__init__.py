"""External data: the JST Macrohistory Database and the BIS residential property prices.

The data files are not part of the project. They are read from ``--data-dir`` or
``$BSRLAB_DATA``, or from the user cache filled by ``bsrlab data fetch`` or
``bsrlab data import FILE``. Every loader verifies the file's size and sha256 and the columns it
needs, and prints the data set's licence and required citation the first time it is used.
"""

from bsrlab.data.loaders import load_bis, load_jst
from bsrlab.data.sources import BIS_NOMINAL, BIS_REAL, DATASETS, JST, DatasetSpec, dataset
from bsrlab.data.store import (
    DataStatus,
    cache_dir,
    data_dirs,
    fetch,
    import_file,
    locate,
    notice_once,
    sha256_file,
    status,
    verify,
)

__all__ = [
    "BIS_NOMINAL",
    "BIS_REAL",
    "DATASETS",
    "JST",
    "DataStatus",
    "DatasetSpec",
    "cache_dir",
    "data_dirs",
    "dataset",
    "fetch",
    "import_file",
    "load_bis",
    "load_jst",
    "locate",
    "notice_once",
    "sha256_file",
    "status",
    "verify",
]
