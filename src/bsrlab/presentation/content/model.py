"""The building blocks of a report: sections of prose, tables and figures, as data.

A model family contributes report sections by returning :class:`Section` objects; nothing here
renders. The HTML renderer (:mod:`bsrlab.presentation.render.html`) embeds every figure as a
data URI and writes the data behind each figure as CSV beside the HTML file; a web page or a
notebook can render the same sections.

Text is data too: ``intro`` and ``notes`` are trusted HTML fragments written by bsrlab itself
(never user input, which builders escape); captions and table cells are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FigureItem", "Item", "Section", "TableItem"]


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


#: What a section holds, in reading order.
Item = TableItem | FigureItem


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading, prose, then tables and figures in reading order.

    Parameters
    ----------
    id
        The anchor (``thresholds``), unique within a report.
    title
        The heading.
    intro
        Paragraphs of trusted HTML written by bsrlab, shown before the items.
    items
        :class:`TableItem` and :class:`FigureItem` objects, in reading order.
    notes
        Remarks shown after the items (trusted HTML, one paragraph each): caveats, sources,
        what was left out.
    """

    id: str
    title: str
    intro: str = ""
    items: list[Item] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    @property
    def prose(self) -> str:
        """The section's prose (``intro``)."""
        return self.intro

    @property
    def tables(self) -> list[TableItem]:
        """The tables, in order."""
        return [it for it in self.items if isinstance(it, TableItem)]

    @property
    def figures(self) -> list[FigureItem]:
        """The figures, in order."""
        return [it for it in self.items if isinstance(it, FigureItem)]
