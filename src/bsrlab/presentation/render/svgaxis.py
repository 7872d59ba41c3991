"""Axes written straight into an SVG: a few elements per axis instead of five artists per tick.

matplotlib draws an axis through one ``Tick`` per tick mark, each made of three lines and two
texts that are created, positioned and laid out at every draw: in the report's figures that is
about two thirds of the time an SVG takes. While :func:`fast_axes` is in force, each axis of a
figure is drawn by one light artist, :class:`AxisLayer`, that writes the axis's grid lines, tick
marks, tick labels and label into the SVG as matplotlib would place them:

- the same ticks: the axis's locator, the ticks inside the view (with matplotlib's tolerance),
  the labels of its formatter;
- the same positions: the transforms, pad, length and direction of the axis's first tick;
- the same text layout: the font's ascent and descent from its OS/2 (or hhea) table and each
  label's width, height and descent from the SVG renderer, which give each text's anchor and
  baseline (``tests/presentation/test_svg_axis.py`` compares every text and line with
  matplotlib's own SVG of the report's figures);
- the same stacking: the artist has the axis's z-order.

An axis this cannot draw exactly is drawn by matplotlib, at the same place in the stack: an
offset or multiplier text, minor ticks, rotated, multi-line or mathtext labels, dashed grid
lines, labels aligned across panels, differing tick labels (:meth:`AxisLayer.plan` says
``None``). Axes that are not rectilinear, or have ticks, tick labels or the label at the top or
right, are not touched at all. The figure is left as it was found.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import font_manager as fm
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.colors import to_hex, to_rgba
from matplotlib.ticker import NullLocator

__all__ = ["AxisLayer", "fast_axes"]


@contextlib.contextmanager
def fast_axes(fig: Any) -> Iterator[list[AxisLayer]]:
    """Draw every axis of ``fig`` that allows it with an :class:`AxisLayer` while in force.

    Meant around one SVG draw (the layers write SVG elements; on any other renderer they let
    matplotlib draw the axis). Yields the layers; on exit the axes are restored.
    """
    layers: list[AxisLayer] = []
    try:
        for ax in fig.axes:
            for axis in _own_axes(ax):
                layer = AxisLayer(axis)
                ax.add_artist(layer)
                axis.set_visible(False)
                layers.append(layer)
        yield layers
    finally:
        for layer in layers:
            layer.axis.set_visible(True)
            layer.remove()


def _own_axes(ax: Any) -> list[Any]:
    """The axes of ``ax`` that an :class:`AxisLayer` may draw (their side and kind allow it)."""
    if getattr(ax, "name", None) != "rectilinear" or not ax.axison:
        return []
    found = []
    for axis, side in ((ax.xaxis, "bottom"), (ax.yaxis, "left")):
        if not axis.get_visible() or axis.get_label_position() != side:
            continue
        tick = axis.majorTicks[0]
        if tick.tick2line.get_visible() or tick.label2.get_visible():
            continue
        if not isinstance(axis.get_minor_locator(), NullLocator):
            continue
        found.append(axis)
    return found


@dataclass(frozen=True)
class Label:
    """One text as written: its string, anchor (SVG user units, y down), alignment and box."""

    text: str
    x: float
    y: float
    anchor: str  # text-anchor
    rotation: float  # degrees, counter-clockwise
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in display units (y up)


@dataclass(frozen=True)
class Plan:
    """What an :class:`AxisLayer` writes for one draw (all in SVG user units, y down)."""

    grid: tuple[tuple[float, float, float, float], ...]
    ticks: tuple[tuple[float, float, float, float], ...]
    labels: tuple[Label, ...]
    label: Label | None


class AxisLayer(Artist):
    """Draws one axis (grid, ticks, tick labels, label) as plain SVG elements.

    It takes the axis's z-order, so it is drawn where the axis would be. On a renderer other
    than matplotlib's SVG one, or when :meth:`plan` finds something it cannot draw exactly, it
    lets the axis draw itself.
    """

    def __init__(self, axis: Any) -> None:
        super().__init__()
        self.axis = axis
        self.set_zorder(axis.get_zorder())

    def draw(self, renderer: Any) -> None:
        writer = getattr(renderer, "writer", None)
        plan = self.plan(renderer) if writer is not None and self.get_visible() else None
        if plan is None:
            self.axis.set_visible(True)
            try:
                self.axis.draw(renderer)
            finally:
                self.axis.set_visible(False)
            return
        _write(writer, plan, self.axis, renderer.height)
        self.stale = False

    def plan(self, renderer: Any) -> Plan | None:
        """The elements of the axis for this draw, or ``None`` if it cannot be drawn exactly."""
        axis = self.axis
        ax = axis.axes
        is_x = axis.axis_name == "x"
        ticks = axis.majorTicks
        tick = ticks[0]
        if isinstance(axis.get_major_locator(), NullLocator):
            locs = np.zeros(0)
            texts: Sequence[str] = []
        else:
            locs = np.asarray(axis.get_majorticklocs(), dtype=float)
            texts = list(axis.major.formatter.format_ticks(locs))
        if axis.major.formatter.get_offset():  # an offset or multiplier text
            return None
        keep = _in_view(axis, locs)
        locs, texts = locs[keep], [t for t, k in zip(texts, keep, strict=True) if k]
        lab1 = tick.label1
        if not _plain_text(lab1, texts) or lab1.get_rotation() != 0:
            return None
        if any(not _same_label(t.label1, lab1) for t in ticks[1:len(locs)]):
            return None
        grid = tick.gridline
        if grid.get_visible() and grid.get_linestyle() not in ("-", "solid"):
            return None
        label = axis.label
        if label.get_text() and not _plain_text(label, [label.get_text()]):
            return None
        if label.get_text() and label.get_rotation() != 0 and \
                label.get_rotation_mode() != "anchor":
            return None
        fig = ax.get_figure(root=True)
        groups = getattr(ax.get_figure(root=False), "_align_label_groups", {})
        group = groups.get(axis.axis_name)
        if group is not None and len(list(group.get_siblings(ax))) > 1:
            return None

        height = renderer.height
        n = len(locs)

        def at(artist: Any, across: float) -> np.ndarray:
            """Display points of ``artist``'s transform at each tick, ``across`` the axis."""
            pts = np.column_stack([locs, np.full(n, across)] if is_x
                                  else [np.full(n, across), locs])
            return np.asarray(artist.get_transform().transform(pts), dtype=float).reshape(n, 2)

        grid_segs: list[tuple[float, float, float, float]] = []
        if grid.get_visible() and n:
            grid_segs = [(p[0], height - p[1], q[0], height - q[1])
                         for p, q in zip(at(grid, 0.0), at(grid, 1.0), strict=True)]
        tick_segs: list[tuple[float, float, float, float]] = []
        line = tick.tick1line
        size = float(line.get_markersize())  # the tick length, points
        out, inward = {"out": (1.0, 0.0), "in": (0.0, 1.0)}.get(tick.get_tickdir(), (0.5, 0.5))
        if line.get_visible() and n:
            spine_at = line.get_ydata()[0] if is_x else line.get_xdata()[0]
            for px, py in at(line, spine_at):
                if is_x:  # outward is down: +y in SVG
                    tick_segs.append((px, height - py + out * size, px,
                                      height - py - inward * size))
                else:  # outward is left
                    tick_segs.append((px - out * size, height - py, px + inward * size,
                                      height - py))
        labels: list[Label] = []
        if lab1.get_visible() and n:
            x0, y0 = lab1.get_unitless_position()
            for (px, py), s in zip(at(lab1, y0 if is_x else x0), texts, strict=True):
                labels.append(_layout(renderer, lab1, s, px, py, 0.0, height))
        axis_label = None
        if label.get_visible() and label.get_text():
            axis_label = self._axis_label(renderer, label, labels, n > 0 and line.get_visible(),
                                          size, out, inward, is_x, float(fig.dpi), height)
        return Plan(tuple(grid_segs), tuple(tick_segs), tuple(labels), axis_label)

    def _axis_label(self, renderer: Any, label: Any, labels: list[Label], ticks_drawn: bool,
                    size: float, out: float, inward: float, is_x: bool, dpi: float,
                    height: float) -> Label:
        """The axis label, placed as ``Axis._update_label_position`` places it."""
        axis = self.axis
        ax = axis.axes
        if getattr(axis, "_autolabelpos", True):
            spine = ax.spines.get("bottom" if is_x else "left")
            bb = (spine if spine is not None else ax).get_window_extent()
            x0, y0, x1, y1 = bb.x0, bb.y0, bb.x1, bb.y1
            if ticks_drawn and spine is not None:
                if is_x:
                    y0, y1 = y0 - out * size * dpi / 72, y1 + inward * size * dpi / 72
                else:
                    x0, x1 = x0 - out * size * dpi / 72, x1 + inward * size * dpi / 72
            for lab in labels:
                x0, y0 = min(x0, lab.box[0]), min(y0, lab.box[1])
                x1, y1 = max(x1, lab.box[2]), max(y1, lab.box[3])
            pad = axis.labelpad * dpi / 72
            px, py = label.get_position()
            if is_x:
                px = label.get_transform().transform((px, 0.0))[0]
                py = y0 - pad
            else:
                py = label.get_transform().transform((0.0, py))[1]
                px = x0 - pad
        else:
            px, py = label.get_transform().transform(label.get_position())
        return _layout(renderer, label, label.get_text(), float(px), float(py),
                       float(label.get_rotation()), height)


def _in_view(axis: Any, locs: np.ndarray) -> np.ndarray:
    """Which ticks matplotlib draws: inside the view interval, to a relative 1e-10."""
    lo, hi = axis.get_view_interval()
    tr = axis.get_transform()
    a, b = sorted(float(v) for v in tr.transform([min(lo, hi), max(lo, hi)]))
    if not len(locs):
        return np.zeros(0, dtype=bool)
    t = np.asarray(tr.transform(locs), dtype=float)
    tol = (b - a) * 1e-10
    return np.asarray((t >= a - tol) & (t <= b + tol))


def _plain_text(text: Any, strings: Sequence[str]) -> bool:
    """Single-line text that matplotlib would not parse as mathtext or TeX."""
    if text.get_usetex() or rcParams["text.usetex"]:
        return False
    return not any("\n" in s or "$" in s for s in strings)


def _same_label(a: Any, b: Any) -> bool:
    """Two tick labels drawn alike (only the first one is looked at)."""
    return (a.get_visible() == b.get_visible() and a.get_rotation() == b.get_rotation()
            and a.get_color() == b.get_color() and a.get_fontproperties() == b.get_fontproperties()
            and a.get_ha() == b.get_ha() and a.get_va() == b.get_va()
            and a.get_alpha() == b.get_alpha())


def _font_files(prop: Any) -> tuple[str, ...]:
    """The font files ``prop`` resolves to now (the first is the one measured), as ``Text``
    finds them; matplotlib caches the search, and its result follows the rcParams in force."""
    finder = getattr(fm.fontManager, "_find_fonts_by_props", None)
    return tuple(str(f) for f in (finder(prop) if finder is not None else [fm.findfont(prop)]))


@functools.lru_cache(maxsize=64)
def _font_extents(files: tuple[str, ...], size: float, dpi: float) -> tuple[float, float] | None:
    """(ascent, descent) of a font from its OS/2 or hhea table, as ``Text`` uses them."""
    try:
        font: Any = fm.get_font(list(files))
        for name, ascent_key, descent_key in (("OS/2", "sTypoAscender", "sTypoDescender"),
                                              ("hhea", "ascent", "descent")):
            table = font.get_sfnt_table(name)
            head = font.get_sfnt_table("head")
            if table is None or head is None:
                continue
            scale = size * dpi / 72 / head["unitsPerEm"]
            return table[ascent_key] * scale, -table[descent_key] * scale
    except (OSError, ValueError, KeyError, RuntimeError):
        return None
    return None


#: Width, height and descent of a string in a font, by the kind of renderer that measured it
#: (the same labels recur in every panel and figure; matplotlib keeps its cache per renderer,
#: that is per draw, and shaping a string costs a few tenths of a millisecond).
_MEASURED: dict[tuple[str, str, Any, tuple[str, ...]], tuple[float, float, float]] = {}


def _measure(renderer: Any, s: str, prop: Any, files: tuple[str, ...]) -> tuple[float, float,
                                                                              float]:
    kind = type(getattr(renderer, "_renderer", renderer)).__name__
    got = _MEASURED.get((kind, s, prop, files))
    if got is None:
        if len(_MEASURED) >= 4096:
            _MEASURED.clear()
        w, h, d = renderer.get_text_width_height_descent(s, prop, ismath=False)
        # the key holds a copy: a FontProperties compares by its hash, which changes with it
        got = _MEASURED[(kind, s, prop.copy(), files)] = (float(w), float(h), float(d))
    return got


def _extents(renderer: Any, text: Any, s: str) -> tuple[float, float, float]:
    """(width, ascent, descent) of one line ``s`` in ``text``'s font, as ``Text`` lays it out."""
    prop = text.get_fontproperties()
    dpi = float(text.get_figure(root=True).dpi)
    files = _font_files(prop)
    got = _font_extents(files, float(prop.get_size_in_points()), dpi)
    if got is None:
        _, h, d0 = _measure(renderer, "lp", prop, files)
        got = (h - d0, d0)
    min_a, min_d = got
    w, h, d = _measure(renderer, s, prop, files) if s else (0.0, 0.0, 0.0)
    a = h - d
    spacing = getattr(text, "_linespacing", "normal")
    if isinstance(spacing, str):  # "normal"
        return w, max(a, min_a), max(d, min_d)
    leading = float(spacing) * (min_a + min_d) - (a + d)
    return w, a + leading / 2, d + leading / 2


#: Where the baseline sits above the anchor, per vertical alignment (ascent a, descent d).
_BASELINE_UP = {
    "top": lambda a, d: -a, "bottom": lambda a, d: d, "center": lambda a, d: (d - a) / 2,
    "baseline": lambda a, d: 0.0, "center_baseline": lambda a, d: -a / 2,
}
_ANCHORS = {"left": "start", "right": "end", "center": "middle"}
_LEFT = {"left": 0.0, "right": -1.0, "center": -0.5}


def _layout(renderer: Any, text: Any, s: str, x: float, y: float, rotation: float,
            height: float) -> Label:
    """``s`` in ``text``'s style anchored at display point (x, y), laid out as ``Text`` does."""
    w, a, d = _extents(renderer, text, s)
    ha, va = text.get_ha(), text.get_va()
    up = _BASELINE_UP[va](a, d)
    if s:
        left = _LEFT[ha] * w  # box in the text's own frame: [left, left + w] x [base-d, base+a]
        base = up
        corners = np.array([(left, base - d), (left, base + a), (left + w, base + a),
                            (left + w, base - d)])
    else:  # an empty text is a point at its anchor
        corners = np.zeros((1, 2))
    th = np.deg2rad(rotation)
    rot = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    pts = corners @ rot.T + (x, y)
    box = (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
           float(pts[:, 1].max()))
    # the baseline's point on the anchor's vertical, in SVG units (y down)
    bx, by = x - np.sin(th) * up, y + np.cos(th) * up
    return Label(s, float(bx), float(height - by), _ANCHORS[ha], rotation, box)


def _num(v: float) -> str:
    """Numbers as matplotlib's SVG writes them (fixed point, no trailing zeros)."""
    return f"{v:f}".rstrip("0").rstrip(".")


def _stroke(colour: Any, alpha: float | None, *, width: float, cap: str) -> str:
    r, g, b, alpha = to_rgba(colour, alpha)
    style = f"fill: none; stroke: {to_hex((r, g, b))}; stroke-width: {_num(width)}; " \
            f"stroke-linecap: {cap}"
    return style + (f"; stroke-opacity: {_num(alpha)}" if alpha != 1 else "")


def _path(segs: Sequence[tuple[float, float, float, float]]) -> str:
    return " ".join(f"M {_num(x0)} {_num(y0)} L {_num(x1)} {_num(y1)}"
                    for x0, y0, x1, y1 in segs)


def _font_css(text: Any) -> str:
    """The CSS of a text element, as matplotlib's SVG writer gives it (font, then colour)."""
    prop = text.get_fontproperties()
    parts = []
    if prop.get_style() != "normal":
        parts.append(f"font-style: {prop.get_style()}")
    if prop.get_variant() != "normal":
        parts.append(f"font-variant: {prop.get_variant()}")
    weight = fm.weight_dict.get(prop.get_weight(), prop.get_weight())
    if weight != 400:
        parts.append(f"font-weight: {weight}")
    parts.append(f"font-size: {_num(prop.get_size())}px")
    names: dict[str, None] = {}
    rc: Any = rcParams
    for entry in prop.get_family():
        entry = "sans-serif" if entry in ("sans", "sans serif") else entry
        if entry in fm.font_family_aliases:
            for name in rc["font." + entry]:
                name = "sans-serif" if name in ("sans", "sans serif") else name
                names[name if name in fm.font_family_aliases else repr(name)] = None
        names[entry if entry in fm.font_family_aliases else repr(entry)] = None
    parts.append(f"font-family: {', '.join(names)}")
    if prop.get_stretch() != "normal":
        parts.append(f"font-stretch: {prop.get_stretch()}")
    return "; ".join(parts)


def _colour_css(text: Any) -> str:
    r, g, b, alpha = to_rgba(text.get_color())
    if text.get_alpha() is not None:
        alpha = text.get_alpha()
    colour = to_hex((r, g, b))
    return (f"; fill: {colour}" if colour != "#000000" else "") + \
        (f"; opacity: {_num(alpha)}" if alpha != 1 else "")


def _write_text(writer: Any, lab: Label, font: str, colour: str) -> None:
    attrib = {"x": _num(lab.x), "y": _num(lab.y),
              "style": f"{font}; text-anchor: {lab.anchor}{colour}"}
    if lab.rotation:
        attrib["transform"] = f"rotate({_num(-lab.rotation)} {_num(lab.x)} {_num(lab.y)})"
    writer.element("text", lab.text, attrib=attrib)


def _write(writer: Any, plan: Plan, axis: Any, height: float) -> None:
    tick = axis.majorTicks[0]
    writer.start("g", attrib={"class": f"bsrlab-axis {axis.axis_name}"})
    if plan.grid:
        writer.element("path", attrib={
            "d": _path(plan.grid),
            "style": _stroke(tick.gridline.get_color(), tick.gridline.get_alpha(),
                             width=tick.gridline.get_linewidth(), cap="square")})
    if plan.ticks:
        writer.element("path", attrib={
            "d": _path(plan.ticks),
            "style": _stroke(tick.tick1line.get_markeredgecolor(), tick.tick1line.get_alpha(),
                             width=tick.tick1line.get_markeredgewidth(), cap="butt")})
    if plan.labels:
        font, colour = _font_css(tick.label1), _colour_css(tick.label1)
        for lab in plan.labels:
            if lab.text:
                _write_text(writer, lab, font, colour)
    if plan.label is not None:
        _write_text(writer, plan.label, _font_css(axis.label), _colour_css(axis.label))
    writer.end("g")
