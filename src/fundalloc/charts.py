"""Charts as SVG text, written directly: no plotting library, the same bytes for the same data.

Every label is a ``<text>`` element with a CJK-capable font list, so 康保县 is drawn by the reader's browser
(a PNG made on a machine without a CJK font would show boxes). Numbers on axes have thousands separators.
A chart is a :class:`Chart`: ``chart.svg`` is the ``<svg>`` element to put inline in a page, ``chart.save(path)``
writes a file, and a notebook shows it. :func:`row` and :func:`column` put charts side by side or one above
the other.

>>> from fundalloc import charts
>>> chart = charts.bar_chart(["康保县", "阜平县"], [1200.0, -80.5], colour_by=["deep_poverty", ""],
...                          title="Money by county", xlabel="万元")
>>> chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
True
>>> ">康保县<" in chart.svg and ">1,000<" in chart.svg and ">no group<" in chart.svg
True

Every element is built by :func:`fundalloc.markup.markup`, so a label is text whatever it holds: ``chart.svg`` is
:class:`~markupsafe.Markup`, ready to go inline in a page.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import catalog
from .markup import Markup, join, markup, text

#: fonts tried in order, in the SVG and in the page's CSS; the last resort is the browser's own
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei"]
CSS_FONT_FAMILY = ", ".join(f'"{f}"' for f in CJK_FONTS) + ", sans-serif"

#: colours for groups and series (colour-blind safe, Okabe–Ito), then grey for "no group"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
NO_GROUP_COLOUR = "#BBBBBB"
#: colours of marks that are not data: the zero line, the base, breakpoints, points without an optimum
INK, GRID, MUTED, ALERT = "#222222", "#E5E5E5", "#666666", "#C0392B"

FONT = 12.0        # labels and legend, px
SMALL = 11.0       # tick labels
ROW = 18.0         # height of one row of bars
PAD = 10.0         # around the chart
GAP = 60.0         # between the panels of a chart: room for the numbers at the ends of both axes
PLOT_WIDTH = 520.0  # the plotting area of a one-panel chart
_RIGHT = 28.0      # right of the plotting area: room for half the last tick's number
VALUE_GAP = 4.0    # between a bar's end and its value label


# ------------------------------------------------------------------------------------------- the chart
@dataclass(frozen=True)
class Chart:
    """An SVG drawing: ``width`` × ``height`` px of elements (``body``, markup); ``title`` names it for screen
    readers."""

    width: float
    height: float
    body: Markup
    title: str = ""

    @property
    def svg(self) -> Markup:
        """The ``<svg>`` element, without an XML prolog, so it goes inline in HTML and into a file alike."""
        w, h = _n(self.width), _n(self.height)
        fonts = ", ".join(f"'{f}'" for f in CJK_FONTS) + ", sans-serif"
        return markup('<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{w}" height="{h}" '
                      'viewBox="0 0 {w} {h}" role="img" font-family="{fonts}" font-size="{size}">'
                      '<title>{title}</title><rect class="background" width="{w}" height="{h}" fill="#FFFFFF"/>'
                      '{body}</svg>', w=w, h=h, fonts=fonts, size=_n(FONT), title=text(self.title),
                      body=self.body)

    def __str__(self) -> str:
        return str(self.svg)

    def _repr_svg_(self) -> str:  # a notebook draws it
        return str(self.svg)

    def save(self, path: str | Path) -> Path:
        """Write the chart as an SVG file (UTF-8); returns the path."""
        path = Path(path)
        path.write_text(self.svg + "\n", encoding="utf-8")
        return path


def row(*charts: Chart, title: str = "", gap: float = 16.0) -> Chart:
    """Charts side by side, tops aligned."""
    return _arrange(charts, horizontal=True, title=title, gap=gap)


def column(*charts: Chart, title: str = "", gap: float = 16.0) -> Chart:
    """Charts one above the other, left edges aligned."""
    return _arrange(charts, horizontal=False, title=title, gap=gap)


def _arrange(charts: Sequence[Chart], *, horizontal: bool, title: str, gap: float) -> Chart:
    parts, offset = [], 0.0
    for chart in charts:
        x, y = (offset, 0.0) if horizontal else (0.0, offset)
        parts.append(markup('<g transform="translate({},{})">{}</g>', _n(x), _n(y), chart.body))
        offset += (chart.width if horizontal else chart.height) + gap
    extent = max(0.0, offset - gap)
    across = max((c.height if horizontal else c.width for c in charts), default=0.0)
    width, height = (extent, across) if horizontal else (across, extent)
    return Chart(width, height, join(parts), title or " · ".join(c.title for c in charts if c.title))


# ------------------------------------------------------------------------------------ text and numbers
def text_width(text: str, size: float = FONT) -> float:
    """The width a label takes, in px: CJK characters are one em wide, others about 0.6 em."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in str(text)) * size


def number(value: float, step: float = 1.0) -> str:
    """A tick label: thousands separators, as many decimals as ``step`` needs, a true minus sign."""
    decimals = 0 if step >= 1 else min(10, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:,.{decimals}f}"
    return "0" if float(text.replace(",", "")) == 0 else text.replace("-", "−")


def _n(value: float) -> str:
    """A coordinate: one decimal at most, no ``-0``."""
    return f"{round(value, 1) + 0.0:.1f}".removesuffix(".0")


def _text(x: float, y: float, content, *, size: float = FONT, anchor: str = "start", fill: str = INK,
          bold: bool = False, cls: str = "") -> Markup:
    return markup('<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}{}>{}</text>', _n(x), _n(y),
                  _n(size), anchor, fill, markup(' font-weight="bold"') if bold else "",
                  markup(' class="{}"', cls) if cls else "", text(content))


def _rect(x: float, y: float, width: float, height: float, fill: str, cls: str = "") -> Markup:
    return markup('<rect{} x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                  markup(' class="{}"', cls) if cls else "", _n(x), _n(y), _n(max(width, 0.0)), _n(height), fill)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK, width: float = 1.0,
          dash: str = "") -> Markup:
    return markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>', _n(x1), _n(y1),
                  _n(x2), _n(y2), stroke, _n(width), markup(' stroke-dasharray="{}"', dash) if dash else "")


def _heading(title: str, subtitle: str = "") -> tuple[Markup, float]:
    """The title (bold) and a grey line under it, from the top left; returns the SVG and the height used."""
    parts, y = [], PAD
    if title:
        y += 14.0
        parts.append(_text(PAD, y, title, size=14.0, bold=True))
    if subtitle:
        y += 16.0
        parts.append(_text(PAD, y, subtitle, fill=MUTED))
    return join(parts), y + (12.0 if title or subtitle else 0.0)


# ------------------------------------------------------------------------------------------ colours
def category_colours(categories: Sequence[str], given: Mapping[str, str] | None = None) -> dict[str, str]:
    """One colour per category: the ones given, grey for ``""``, then the palette in order of appearance.

    >>> category_colours(["deep", "", "relocation", "deep"])
    {'': '#BBBBBB', 'deep': '#0072B2', 'relocation': '#E69F00'}
    """
    out = {"": NO_GROUP_COLOUR, **(given or {})}
    free = [c for c in PALETTE if c not in out.values()]
    for c in dict.fromkeys(categories):
        if c not in out:
            out[c] = free.pop(0) if free else PALETTE[len(out) % len(PALETTE)]
    return out


def _legend(entries: Sequence[tuple[str, str]], top: float, width: float) -> tuple[Markup, float]:
    """Swatches and names, wrapped to ``width``; returns the SVG and the height used (0 without entries)."""
    parts, x, y = [], PAD, top
    for colour, name in entries:
        step = 14.0 + text_width(name) + 16.0
        if x > PAD and x + step > width:
            x, y = PAD, y + ROW
        parts += [_rect(x, y + 3, 10, 10, colour, cls="swatch"), _text(x + 14, y + 12, name)]
        x += step
    return join(parts), (y - top + ROW if entries else 0.0)


# ---------------------------------------------------------------------------------------------- axes
@dataclass(frozen=True)
class _Scale:
    """Data values → px, over nicely rounded limits with their ticks."""

    lo: float
    hi: float
    step: float
    start: float   # px of ``lo``
    end: float     # px of ``hi``

    def __call__(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)

    @property
    def ticks(self) -> list[float]:
        return [self.lo + k * self.step for k in range(round((self.hi - self.lo) / self.step) + 1)]


def _scale(values, start: float, end: float, *, zero: bool = True, spacing: float = 70.0) -> _Scale:
    """A scale over the finite ``values`` (and 0 when ``zero``), rounded out to a 1, 2 or 5 × 10ⁿ step, with
    ticks ``spacing`` px apart or more."""
    finite = np.asarray(values, dtype=float).ravel()
    finite = finite[np.isfinite(finite)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        lo, hi = (lo - 1, hi + 1) if lo else (0.0, 1.0)
    raw = (hi - lo) / max(2, int(abs(end - start) / spacing))
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    lo, hi = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    return _Scale(lo, hi, step, start, end)


def _x_axis(scale: _Scale, top: float, bottom: float, label: str = "",
            names: Sequence[str] | None = None) -> tuple[Markup, float]:
    """Vertical grid lines at the ticks, their numbers (or ``names`` at 0, 1, 2, …) under ``bottom`` and the
    axis label under those; returns the SVG and the height used below ``bottom``."""
    ticks = list(enumerate(names)) if names is not None else [(t, number(t, scale.step)) for t in scale.ticks]
    parts = [_line(scale(t), top, scale(t), bottom, GRID)
             + _text(scale(t), bottom + 14, words, size=SMALL, anchor="middle", fill=MUTED, cls="tick")
             for t, words in ticks]
    if label:
        parts.append(_text((scale.start + scale.end) / 2, bottom + 31, label, anchor="middle"))
    return join(parts), (36.0 if label else 20.0)


def _y_axis(scale: _Scale, left: float, right: float) -> Markup:
    """Horizontal grid lines at the ticks and their numbers left of ``left``."""
    return join(_line(left, scale(t), right, scale(t), GRID)
                + _text(left - 6, scale(t) + 4, number(t, scale.step), size=SMALL, anchor="end", fill=MUTED,
                        cls="tick") for t in scale.ticks)


def _tick_width(scale: _Scale) -> float:
    return max(text_width(number(t, scale.step), SMALL) for t in scale.ticks)


def _empty(title: str, message: str = "", lang: str | None = None) -> Chart:
    message = message or catalog.t("charts.empty", lang)
    head, top = _heading(title)
    return Chart(PAD * 2 + max(PLOT_WIDTH / 2, text_width(title, 14.0)), top + 30.0,
                 head + _text(PAD, top + 16, message, fill=MUTED, cls="empty"), title)


# ------------------------------------------------------------------------------------- horizontal bars
@dataclass(frozen=True)
class Bars:
    """One bar per row of a horizontal chart, from ``starts`` (default 0) to ``ends``; NaN draws nothing.

    ``colours``: one for all bars or one per bar. ``band``: the part of the row's height the bars fill
    (``(0.15, 0.85)``: centred). ``tick``: draw a short vertical mark at ``ends`` instead of a bar.
    ``values``: a label per bar, written just beyond its end (e.g. the amount: value labels).
    """

    ends: Sequence[float]
    colours: str | Sequence[str] = PALETTE[0]
    starts: Sequence[float] | None = None
    band: tuple[float, float] = (0.15, 0.85)
    tick: bool = False
    values: Sequence[str] | None = None

    def extent(self) -> np.ndarray:
        """Every value the bars reach, for the scale."""
        ends = np.asarray(self.ends, dtype=float)
        return ends if self.starts is None else np.concatenate([ends, np.asarray(self.starts, dtype=float)])

    def _starts(self, ends: np.ndarray) -> np.ndarray:
        return np.zeros_like(ends) if self.starts is None else np.asarray(self.starts, dtype=float)

    def label_room(self) -> tuple[float, float]:
        """The px the value labels need left of the lowest value and right of the highest."""
        if self.values is None:
            return 0.0, 0.0
        ends = np.asarray(self.ends, dtype=float)
        widths = np.asarray([text_width(v, SMALL) + VALUE_GAP for v in self.values])
        left = ends < self._starts(ends)
        return (float(widths[left].max(initial=0.0)), float(widths[~left].max(initial=0.0)))

    def svg(self, scale: _Scale, top: float) -> Markup:
        ends = np.asarray(self.ends, dtype=float)
        starts = self._starts(ends)
        colours = [self.colours] * len(ends) if isinstance(self.colours, str) else list(self.colours)
        values = list(self.values) if self.values is not None else [""] * len(ends)
        parts = []
        for i, (a, b, colour, value) in enumerate(zip(starts, ends, colours, values)):
            if not (math.isfinite(a) and math.isfinite(b)):
                continue
            y0, y1 = top + (i + self.band[0]) * ROW, top + (i + self.band[1]) * ROW
            if self.tick:
                parts.append(_rect(scale(b) - 1, y0, 2, y1 - y0, colour, cls="mark"))
                continue
            x0, x1 = sorted((scale(a), scale(b)))
            parts.append(_rect(x0, y0, max(x1 - x0, 0.5), y1 - y0, colour, cls="bar"))
            if value:
                size = min(SMALL, (y1 - y0) + 1.0)
                at, anchor = (x0 - VALUE_GAP, "end") if b < a else (x1 + VALUE_GAP, "start")
                parts.append(_text(at, (y0 + y1) / 2 + size * 0.36, value, size=size, anchor=anchor, cls="value"))
        return join(parts)


def bar_panels(labels: Sequence[str], panels: Mapping[str, Sequence[Bars]], *, title: str = "",
               subtitle: str = "", legend: Sequence[tuple[str, str]] = (), panel_width: float = PLOT_WIDTH,
               label_width: float | None = None, lang: str | None = None) -> Chart:
    """Rows of horizontal bars, one row per label (top to bottom in the order given), in one or more panels
    side by side that share the labels; each panel (axis label → its :class:`Bars`) has its own scale, with
    a zero line. ``legend``: ``(colour, name)`` entries under the chart. The height grows with the rows.
    ``label_width``: room for the labels in px (default: the widest label's), to align charts stacked up.
    Value labels (:attr:`Bars.values`) get room inside the panel's width.
    ``lang``: the language of the chart's own words ("nothing to show").
    """
    labels = [str(x) for x in labels]
    if not labels or not panels:
        return _empty(title, subtitle, lang)
    head, top = _heading(title, subtitle)
    bottom = top + ROW * len(labels)
    left = PAD + (label_width or max(text_width(x) for x in labels)) + 8
    parts = [head] + [_text(left - 6, top + (i + 0.5) * ROW + 4, x, anchor="end", cls="label")
                      for i, x in enumerate(labels)]
    x0, below = left, 0.0
    for label, series in panels.items():
        rooms = [b.label_room() for b in series]
        room_left, room_right = max((r[0] for r in rooms), default=0.0), max((r[1] for r in rooms), default=0.0)
        scale = _scale(np.concatenate([b.extent() for b in series] or [[]]), x0 + room_left,
                       x0 + panel_width - room_right)
        axis, used = _x_axis(scale, top, bottom, label)
        parts += [axis] + [b.svg(scale, top) for b in series] + [_line(scale(0), top, scale(0), bottom, INK)]
        x0, below = x0 + panel_width + GAP, max(below, used)
    width = x0 - GAP + _RIGHT
    keys, used = _legend(legend, bottom + below + 4, width)
    return Chart(width, bottom + below + 4 + used + PAD / 2, join(parts + [keys]), title)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, colour_by: Sequence[str] | None = None,
              colours: Mapping[str, str] | None = None, title: str = "", xlabel: str = "",
              value_labels: Sequence[str] | None = None, names: Mapping[str, str] | None = None,
              lang: str | None = None) -> Chart:
    """Horizontal bars, one per label, top to bottom in the order given; negative values go left of zero.

    ``colour_by``: a category per bar (e.g. the county's group), one colour and one legend entry each; bars in
    category ``""`` are grey, "no group" (in ``lang``). ``colours``: category → colour, to keep colours the
    same across charts; other categories take the next :data:`PALETTE` colour. ``names``: category → its name
    in the legend. ``value_labels``: a label per bar, written at its end.
    """
    return bar_panels(labels, {xlabel: [_coloured(values, colour_by, colours, value_labels)]}, title=title,
                      legend=category_legend(colour_by, colours, lang, names=names), lang=lang)


def _coloured(values: Sequence[float], colour_by: Sequence[str] | None, colours: Mapping[str, str] | None,
              value_labels: Sequence[str] | None = None) -> Bars:
    if colour_by is None:
        return Bars(list(values), values=value_labels)
    categories = [str(c) for c in colour_by]
    palette = category_colours(categories, colours)
    return Bars(list(values), [palette[c] for c in categories], values=value_labels)


def category_legend(colour_by: Sequence[str] | None, colours: Mapping[str, str] | None = None,
                    lang: str | None = None, *, names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """``(colour, name)`` for every category shown, in order of appearance, ``""`` ("no group", in ``lang``)
    last; none without categories. ``names``: category → the name shown (default: the category)."""
    if colour_by is None:
        return []
    shown = sorted(dict.fromkeys(str(c) for c in colour_by), key=lambda c: c == "")
    palette = category_colours(shown, colours)
    names = dict(names or {})
    return [(palette[c], names.get(c, c) or catalog.t("charts.no_group", lang)) for c in shown]


def series_bar_chart(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str = "",
                     xlabel: str = "", colours: Sequence[str] = PALETTE, overlay: bool = False,
                     lang: str | None = None) -> Chart:
    """Several values per label as bars, one colour and legend entry per series: side by side within the
    row, or with ``overlay`` all across the row (a tornado: the low case left of zero, the high case right).
    """
    k = max(len(series), 1)
    bars = [Bars(list(values), colours[j % len(colours)],
                 band=(0.15, 0.85) if overlay else (0.1 + 0.8 * j / k, 0.1 + 0.8 * (j + 1) / k))
            for j, values in enumerate(series.values())]
    legend = [(colours[j % len(colours)], name) for j, name in enumerate(series)]
    return bar_panels(labels, {xlabel: bars}, title=title, legend=legend, lang=lang)


def range_chart(labels: Sequence[str], low: Sequence[float], high: Sequence[float], marks: Sequence[float], *,
                title: str = "", xlabel: str = "", range_name: str = "", mark_name: str = "",
                lang: str | None = None) -> Chart:
    """An interval per label (``low`` to ``high``) with a mark (e.g. the base value) on it; the legend names
    them ``range_name`` and ``mark_name`` (default "range" and "base", in ``lang``)."""
    bars = [Bars(list(high), PALETTE[1], starts=list(low), band=(0.3, 0.7)),
            Bars(list(marks), INK, band=(0.1, 0.9), tick=True)]
    legend = [(PALETTE[1], range_name or catalog.t("charts.range", lang)), (INK, mark_name or catalog.t("charts.base", lang))]
    return bar_panels(labels, {xlabel: bars}, title=title, legend=legend, lang=lang)


# -------------------------------------------------------------------------------------------- x and y
@dataclass(frozen=True)
class _Frame:
    """The plotting area of an x–y chart and its two scales."""

    x: _Scale
    y: _Scale
    top: float
    bottom: float


def _frame(xs, ys, *, head_height: float, y_zero: bool, width: float, height: float) -> _Frame:
    y = _scale(ys, head_height + height, head_height, zero=y_zero, spacing=45.0)
    left = PAD + _tick_width(y) + 8
    return _Frame(_scale(xs, left, left + width, zero=False), y, head_height, head_height + height)


def _xy_chart(frame: _Frame, head: Markup, marks: Markup, *, title: str, xlabel: str,
              legend: Sequence[tuple[str, str]], x_labels: Sequence[str] | None = None) -> Chart:
    """Grid, axes, the marks (the scales hold every value, so nothing needs clipping) and the legend."""
    axis, used = _x_axis(frame.x, frame.top, frame.bottom, xlabel, x_labels)
    grid = _y_axis(frame.y, frame.x.start, frame.x.end)
    base = _line(frame.x.start, frame.bottom, frame.x.end, frame.bottom, INK)
    width = frame.x.end + _RIGHT
    keys, keys_height = _legend(legend, frame.bottom + used + 4, width)
    height = frame.bottom + used + 4 + keys_height + PAD / 2
    return Chart(width, height, head + grid + axis + base + marks + keys, title)


def _path(frame: _Frame, xs: np.ndarray, ys: np.ndarray, *, steps: bool) -> str:
    """Path data through the finite points; a NaN breaks the line. ``steps``: level between midpoints."""
    runs, current = [], []
    for x, y in zip(xs, ys):
        if math.isfinite(x) and math.isfinite(y):
            current.append((frame.x(x), frame.y(y)))
        elif current:
            runs, current = runs + [current], []
    runs += [current] if current else []
    d = []
    for run in runs:
        d.append(f"M{_n(run[0][0])},{_n(run[0][1])}")
        for (x0, _), (x1, y1) in zip(run, run[1:]):
            d.append(f"H{_n((x0 + x1) / 2)}V{_n(y1)}H{_n(x1)}" if steps else f"L{_n(x1)},{_n(y1)}")
    return "".join(d)


def line_chart(x: Sequence[float], lines: Mapping[str, Sequence[float]], *, title: str = "", xlabel: str = "",
               ylabel: str = "", colours: Sequence[str] = PALETTE, x_labels: Sequence[str] | None = None,
               rules: Sequence[float] = (), rules_name: str = "", missing: Sequence[float] = (),
               missing_name: str = "", steps: bool = False, markers: bool | None = None,
               width: float = 420.0, height: float = 220.0, lang: str | None = None) -> Chart:
    """Lines over ``x``, one per entry of ``lines`` (name → values; NaN breaks a line), with markers when
    there are few points. ``x_labels``: names for x = 0, 1, 2, … instead of numbers. ``rules``: x values
    marked by dotted vertical lines (e.g. breakpoints); ``missing``: x values marked × on the x axis
    (e.g. no optimum). ``steps``: each value holds until halfway to the next. ``ylabel`` is written under
    the title. The y axis starts at 0 unless the values are far from it."""
    xs = np.asarray(x, dtype=float)
    if xs.size == 0 or not lines:
        return _empty(title, lang=lang)
    ys = np.asarray([np.asarray(v, dtype=float) for v in lines.values()])
    finite = ys[np.isfinite(ys)]
    near_zero = finite.size and finite.min() >= 0 and finite.min() <= 0.5 * finite.max()
    head, top = _heading(title, ylabel)
    frame = _frame(np.concatenate([xs, np.asarray(rules, dtype=float)]), ys, head_height=top,
                   y_zero=bool(near_zero), width=width, height=height)
    dots = xs.size <= 30 if markers is None else markers
    marks, legend = [], []
    for j, (name, values) in enumerate(lines.items()):
        colour = colours[j % len(colours)]
        marks.append(markup('<path class="line" d="{}" fill="none" stroke="{}" stroke-width="1.8"/>',
                            _path(frame, xs, ys[j], steps=steps), colour))
        if dots:
            marks += [markup('<circle class="point" cx="{}" cy="{}" r="2.6" fill="{}"/>', _n(frame.x(a)),
                             _n(frame.y(b)), colour) for a, b in zip(xs, ys[j]) if math.isfinite(b)]
        legend.append((colour, name))
    marks += [_line(frame.x(r), frame.top, frame.x(r), frame.bottom, ALERT, 1.2, dash="3,3") for r in rules]
    marks += [_cross(frame.x(m), frame.bottom) for m in missing]
    legend += [(ALERT, rules_name)] if len(rules) and rules_name else []
    legend += [(ALERT, missing_name)] if len(missing) and missing_name else []
    legend = legend if len(legend) > 1 else []  # one line: the title says what it is
    return _xy_chart(frame, head, join(marks), title=title, xlabel=xlabel, legend=legend, x_labels=x_labels)


def _cross(x: float, y: float, r: float = 4.0) -> Markup:
    return markup('<path class="missing" d="M{a},{b}L{c},{d}M{a},{d}L{c},{b}" stroke="{colour}" stroke-width="2"/>',
                  a=_n(x - r), b=_n(y - r), c=_n(x + r), d=_n(y + r), colour=ALERT)


def histogram(values: Sequence[float], *, bins: int | None = None, marks: Mapping[str, float] | None = None,
              title: str = "", xlabel: str = "", ylabel: str = "", width: float = 420.0,
              height: float = 220.0, lang: str | None = None) -> Chart:
    """How many values fall in each of ``bins`` equal bins (default: about one bin per 10 values, 5 to 40),
    with ``marks`` (name → x, e.g. the base) as vertical lines. NaN values are left out. ``ylabel`` defaults
    to "count" in ``lang``."""
    ylabel = ylabel or catalog.t("charts.count", lang)
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return _empty(title, lang=lang)
    counts, edges = np.histogram(v, bins=bins or min(40, max(5, v.size // 10)))
    marks = dict(marks or {})
    head, top = _heading(title, ylabel)
    frame = _frame(np.concatenate([edges, list(marks.values())]), counts, head_height=top, y_zero=True,
                   width=width, height=height)
    bars = [_rect(frame.x(a), frame.y(c), frame.x(b) - frame.x(a) - 1, frame.bottom - frame.y(c), PALETTE[0], "bar")
            for a, b, c in zip(edges, edges[1:], counts)]
    lines = [_line(frame.x(x), frame.top, frame.x(x), frame.bottom, INK, 1.5) for x in marks.values()]
    legend = [(PALETTE[0], ylabel)] + [(INK, name) for name in marks] if marks else []
    return _xy_chart(frame, head, join(bars + lines), title=title, xlabel=xlabel, legend=legend)
