"""Reports: sections of tables and figures rendered to one self-contained HTML file."""

from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.render.html import render_html, write_report

__all__ = ["FigureItem", "Section", "TableItem", "render_html", "write_report"]
