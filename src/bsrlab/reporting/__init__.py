"""Reports: sections of tables and figures rendered to one self-contained HTML file."""

from bsrlab.reporting.html import render_html, write_report
from bsrlab.reporting.model import FigureItem, Section, TableItem

__all__ = ["FigureItem", "Section", "TableItem", "render_html", "write_report"]
