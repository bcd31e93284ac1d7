"""Charts for reports: matplotlib figures rendered as SVG text that keeps Chinese names as text.

A fresh machine has no CJK font, so a PNG would draw boxes for 康保县. SVG with ``svg.fonttype: none`` keeps
every label as text with a CJK-capable font-family list, and the browser renders it. Needs matplotlib
(``pip install fundalloc[plots]``).

>>> from fundalloc import charts
>>> fig = charts.bar_chart(["康保县", "阜平县"], [120.0, 80.0], colour_by=["deep_poverty", "relocation"],
...                        title="Money by county", xlabel="万元")
>>> charts.to_svg(fig).startswith("<svg")
True
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

#: fonts tried in order, in the SVG and in the page's CSS; the last resort is the browser's own
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
             "SimHei", "DejaVu Sans"]
CSS_FONT_FAMILY = ", ".join(f'"{f}"' for f in CJK_FONTS) + ", sans-serif"

#: colours for groups (colour-blind safe, Okabe–Ito), then for anything else
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
NO_GROUP_COLOUR = "#BBBBBB"

_STYLE = {
    "svg.fonttype": "none",          # text stays text: Chinese names render in the browser
    "svg.hashsalt": "fundalloc",     # stable ids, so the same inputs give the same report
    "font.family": ["sans-serif"],
    "font.sans-serif": CJK_FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_INCH_PER_BAR = 0.24
_POINTS_PER_INCH = 72.0


def _text_width_inches(text: str, font_size: float) -> float:
    """Width of a label as a CJK font draws it: the measuring font here may lack the glyphs, so count them."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)
    return ems * font_size / _POINTS_PER_INCH


def bar_chart(labels: Sequence[str], values: Sequence[float], *, colour_by: Sequence[str] | None = None,
              title: str = "", xlabel: str = "", colours: dict[str, str] | None = None,
              width: float = 7.5):
    """A horizontal bar chart, one bar per label, top to bottom in the order given.

    Parameters
    ----------
    labels, values : one bar each (labels may be Chinese).
    colour_by : a category per bar (e.g. the county's group); one colour and one legend entry per category.
        Bars whose category is ``""`` are grey ("no group").
    colours : category → colour, to keep colours the same across charts; others come from :data:`PALETTE`.
    title, xlabel : the chart's title and the axis label (e.g. the money unit).

    Returns a matplotlib Figure; pass it to :func:`to_svg`.
    """
    import matplotlib
    from matplotlib.figure import Figure  # not pyplot: no global state, no GUI backend, a faster import

    labels, values = [str(x) for x in labels], [float(v) for v in values]
    if colour_by is None:  # one series: one colour, no legend
        categories, colours = [" "] * len(labels), {" ": PALETTE[0]}
    else:
        categories, colours = [str(c) for c in colour_by], category_colours([str(c) for c in colour_by], colours)
    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        height = max(1.6, _INCH_PER_BAR * len(labels) + 1.1)
        fig = Figure(figsize=(width, height))
        ax = fig.subplots()
        ys = range(len(labels))
        ax.barh(list(ys), values, color=[colours[c] for c in categories], height=0.72)
        ax.set_yticks(list(ys), labels)
        ax.margins(y=0.01)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.4g}")
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
        if title:
            ax.set_title(title, loc="left", fontsize=10)
        shown = list(dict.fromkeys(categories))
        if colour_by is not None and any(shown):
            from matplotlib.patches import Patch
            ax.legend([Patch(color=colours[c]) for c in shown], [c or "no group" for c in shown],
                      loc="lower right", frameon=False, fontsize=8)
        _fit_margins(fig, labels, height, width)
    return fig


def category_colours(categories: Sequence[str], given: dict[str, str] | None = None) -> dict[str, str]:
    """One colour per category: the ones given, grey for ``""``, then the palette in order of appearance."""
    out = {"": NO_GROUP_COLOUR, **(given or {})}
    free = [c for c in PALETTE if c not in out.values()]
    for c in dict.fromkeys(categories):
        if c not in out:
            out[c] = free.pop(0) if free else PALETTE[len(out) % len(PALETTE)]
    return out


def _fit_margins(fig, labels: Sequence[str], height: float, width: float) -> None:
    left = max([_text_width_inches(x, 9) for x in labels] + [0.3]) + 0.25
    fig.subplots_adjust(left=min(left / width, 0.45), right=0.97,
                        top=1 - 0.45 / height, bottom=0.6 / height)


def to_svg(fig) -> str:
    """The figure as an ``<svg>`` element to put inline in an HTML page.

    Text stays text (``svg.fonttype: none``) with a CJK-capable font-family list, and nothing points
    outside the page.
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]                        # no XML prolog or DOCTYPE inside HTML
    return svg.replace("<svg ", '<svg class="chart" ', 1)
