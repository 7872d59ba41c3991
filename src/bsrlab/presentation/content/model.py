"""The building blocks of a report: sections holding text, tables and figures.

A model family contributes a report section by returning a :class:`Section`; the renderer
(:mod:`bsrlab.presentation.render.html`) embeds every figure as a data URI and writes the
data behind each figure as CSV beside the HTML file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FigureItem", "Section", "TableItem"]


@dataclass(frozen=True)
class FigureItem:
    """A figure with the data behind it.

    ``name`` is a file-system-safe stem (``fig5_balance_sheets``): the PNG is embedded in the
    HTML and ``name.csv`` (the ``data`` DataFrame) is written beside it. ``caption`` says in a
    sentence or two what the reader sees and why. ``figure`` is a matplotlib Figure.
    """

    name: str
    figure: Any
    data: Any
    caption: str
    title: str = ""


@dataclass(frozen=True)
class TableItem:
    """A table (a pandas DataFrame) with a caption; ``index`` says whether to show the index."""

    caption: str
    frame: Any
    index: bool = False
    name: str = ""


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading, paragraphs of HTML, then tables and figures in order.

    ``intro`` is trusted HTML written by bsrlab itself (never user input). ``items`` is a list of
    :class:`TableItem` and :class:`FigureItem`, rendered in order.
    """

    id: str
    title: str
    intro: str = ""
    items: list[TableItem | FigureItem] = field(default_factory=list)
