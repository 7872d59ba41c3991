"""Regenerate the golden files of the test suite from their stated sources.

Golden files and their sources:

- ``tests/cases/panel_expected.json``: the panel test (``bsrlab validate --format json``) on the
  Jordà-Schularick-Taylor Macrohistory Database, release 6 (``JSTdatasetR6.xlsx``, sha256 in
  ``bsrlab.data.sources.JST``), read from ``$BSRLAB_DATA`` (``../shared/data`` in CI).

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
    target.write_text(dumps(panel_test().to_dict()) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
