"""Renderers: sections to one self-contained HTML file, written atomically."""
