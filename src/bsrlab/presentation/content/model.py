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

from bsrlab.presentation.table import as_frame

__all__ = ["FigureItem", "Item", "Section", "TableItem"]


@dataclass(frozen=True, init=False)
class FigureItem:
    """A figure with the data behind it.

    ``name`` is a file-system-safe stem (``fig5_balance_sheets``): the figure is embedded in the
    HTML and ``name.csv`` (its data) is written beside it. ``caption`` says in a sentence or two
    what the reader sees and why. ``figure`` is a matplotlib Figure. The data are given as a
    :class:`~bsrlab.presentation.table.Table` or a :class:`pandas.DataFrame` (``source``);
    :attr:`data` is always a DataFrame.
    """

    name: str
    figure: Any
    source: Any
    caption: str
    title: str

    def __init__(self, name: str, figure: Any, data: Any, caption: str,
                 title: str = "") -> None:
        for key, value in (("name", name), ("figure", figure), ("source", data),
                           ("caption", caption), ("title", title)):
            object.__setattr__(self, key, value)

    @property
    def data(self) -> Any:
        """The data behind the figure, as a :class:`pandas.DataFrame`."""
        return as_frame(self.source)


@dataclass(frozen=True, init=False)
class TableItem:
    """A table with a caption; ``index`` says whether to show the index.

    The table is given as a :class:`~bsrlab.presentation.table.Table` or a
    :class:`pandas.DataFrame` (``table``); :attr:`frame` is always a DataFrame.
    """

    caption: str
    table: Any
    index: bool
    name: str

    def __init__(self, caption: str, frame: Any, index: bool = False, name: str = "") -> None:
        for key, value in (("caption", caption), ("table", frame), ("index", index),
                           ("name", name)):
            object.__setattr__(self, key, value)

    @property
    def frame(self) -> Any:
        """The table as a :class:`pandas.DataFrame`."""
        return as_frame(self.table)


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
