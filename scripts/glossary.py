"""Write ``docs/glossary.md`` from the output vocabulary of every model family.

Each model package under :mod:`bsrlab.models` declares its outputs (an
:class:`~bsrlab.core.vocabulary.OutputSpec` each) and registers its vocabulary on import; this
script imports every one of them and writes the glossary, one table per family. Run, from the
project's root, after declaring or changing an output::

    .venv/bin/python scripts/glossary.py          # rewrite docs/glossary.md
    .venv/bin/python scripts/glossary.py --check  # exit 1 if the file is out of date

The test suite checks that the committed file equals :func:`render`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import bsrlab.models
from bsrlab.core.fileio import write_text_atomic
from bsrlab.core.vocabulary import glossary_markdown

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "glossary.md"


def render() -> str:
    """The glossary text: every model family imported, then every registered vocabulary."""
    for info in pkgutil.iter_modules(bsrlab.models.__path__, "bsrlab.models."):
        importlib.import_module(info.name)
    return glossary_markdown()


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run scripts/glossary.py",
                  file=sys.stderr)
            return 1
        return 0
    write_text_atomic(TARGET, text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
