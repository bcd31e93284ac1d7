"""Charts of the sensitivity results: matplotlib figures, saved as SVG with text kept as text.

A fresh machine has no CJK font, so a PNG would draw boxes for 康保; SVG with ``svg.fonttype: none`` keeps
unit names as text for the browser to render. A PNG is written too only when a CJK font is installed.
"""
from __future__ import annotations

import io
import warnings
from functools import cache
from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure

#: fonts with Chinese glyphs, best first; DejaVu Sans stands in (and the browser fills in the glyphs)
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC"]
_RC = {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": CJK_FONTS + ["DejaVu Sans"],
       "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "fundalloc"}


def style():
    """The chart style; build a chart's figure, axes and text inside it (fonts are fixed when text is made)."""
    return rc_context(_RC)


def figure(width: float = 7.0, height: float = 4.0) -> Figure:
    """A new figure (no pyplot state, so it is safe in worker threads); call inside :func:`style`."""
    return Figure(figsize=(width, height), layout="constrained")


@cache
def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def svg_text(fig: Figure) -> str:
    """The figure as an SVG element (text as text), without the XML prolog, so it embeds in HTML too."""
    buffer = io.StringIO()
    with rc_context(_RC), warnings.catch_warnings():
        # without a CJK font matplotlib measures 康保 with DejaVu and warns; the SVG keeps the text regardless
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def save(fig: Figure, stem: Path, svg: str | None = None) -> list[Path]:
    """Write ``stem.svg`` (``svg``: the figure's SVG text when already made), and ``stem.png`` when a CJK font
    can draw the names; returns the files written."""
    path = stem.with_suffix(".svg")
    path.write_text(svg if svg is not None else svg_text(fig), encoding="utf-8")
    written = [path]
    if cjk_font() is not None:
        with rc_context(_RC):
            fig.savefig(stem.with_suffix(".png"), format="png", dpi=150)
        written.append(stem.with_suffix(".png"))
    return written
