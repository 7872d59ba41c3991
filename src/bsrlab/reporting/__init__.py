"""Reports: sections of tables and figures rendered to one self-contained HTML file."""

from bsrlab.reporting.model import FigureItem, Section, TableItem
from bsrlab.reporting.html import render_html, write_report

__all__ = ["FigureItem", "Section", "TableItem", "render_html", "write_report"]
