"""Regenerate the golden files of the test suite from their stated sources.

Golden files and their sources:

- ``tests/cases/panel_expected.json``: the panel test (``bsrlab validate --format json``) on the
  Jordà-Schularick-Taylor Macrohistory Database, release 6 (``JSTdatasetR6.xlsx``, sha256 in
  ``bsrlab.data.sources.JST``), read from ``$BSRLAB_DATA`` (``../shared/data`` in CI), with 100
  bootstrap replications.

Run, from the project's root, only after a change that is meant to move these numbers (say why
in the commit)::

    BSRLAB_DATA=../shared/data .venv/bin/python scripts/regenerate_golden.py

It rewrites the files in place; ``git diff`` then shows what moved.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bsrlab.cases import panel_test
from bsrlab.core.jsonio import dumps

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    target = ROOT / "tests" / "cases" / "panel_expected.json"
    result = panel_test(replications=100)  # GOLDEN_REPLICATIONS of the test
    target.write_text(dumps(result.to_dict()) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
