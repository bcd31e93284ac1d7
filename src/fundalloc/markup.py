"""HTML and SVG built so that no user text can become markup: the one way fundalloc writes a tag.

Every writer of HTML or SVG (report.html, the charts, the notebook views, the comparison, the sensitivity
section, the diagnosis of an infeasible run) builds its fragments here, as :class:`markupsafe.Markup`:

- :func:`markup` fills a template written in fundalloc's own code; every value put into it is escaped unless it
  is already markup. A county called ``<script>`` is text wherever it goes.
- Joining (:func:`join`) and ``+`` escape plain strings too: a fragment cannot be "forgotten" into markup;
  what is not :class:`~markupsafe.Markup` is text.
- :func:`table` writes a DataFrame as an HTML table (grouped headers, numbers formatted by column).

So a writer never calls an escaping function itself and never builds a tag with an f-string (a test reads the
package's source to hold that). MarkupSafe is the escaping library of Jinja2, small and well kept.

>>> name = "<img src=x onerror=alert(1)>"
>>> print(markup("<p>{} gets {}</p>", name, markup("<b>{:,.0f}</b>", 1200.0)))
<p>&lt;img src=x onerror=alert(1)&gt; gets <b>1,200</b></p>
>>> print(join([markup("<li>{}</li>", "A & B"), "<li>raw</li>"]))
<li>A &amp; B</li>&lt;li&gt;raw&lt;/li&gt;
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "fixed", "join", "markup", "table", "text"]

#: characters XML does not allow (a name read from a file may hold them): dropped from text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def markup(template: str, /, *args, **kwargs) -> Markup:
    """``template`` (a literal of fundalloc's code, never user text) with its fields filled in; each value is
    escaped unless it is :class:`~markupsafe.Markup`. Format specs apply to numbers (``{:,.2f}``)."""
    return Markup(template).format(*args, **kwargs)


def text(value) -> Markup:
    """A value as escaped text, without the control characters XML refuses (e.g. inside SVG)."""
    if isinstance(value, Markup):
        return value
    return escape(_CONTROL.sub("", str(value)))


def join(parts: Iterable, sep: str = "") -> Markup:
    """Fragments one after another; plain strings among them are escaped."""
    return Markup(sep).join(parts)


# ------------------------------------------------------------------------------------------------- tables
#: a cell's format: value → text (escaped when written)
Format = Callable[[object], str]
#: a table of at most this many rows is short enough to keep on one printed page
SHORT = 15


def table(frame: pd.DataFrame, *, formats: Mapping[str, Format] | None = None, numeric: Iterable[str] | None = None,
          groups: Mapping[str, tuple[str, str]] | None = None, row_classes: Sequence[str] | None = None,
          cls: str = "", cell_classes: Mapping[str, str] | None = None) -> Markup:
    """``frame`` as an HTML table in a box that scrolls sideways when the table is wider than the page.

    ``formats``: column → function writing a cell (default: text as it is, numbers with thousands separators
    and at most two decimals); a missing value (None, NaN) is a blank cell. ``numeric``: the columns aligned
    right (default: the numeric columns). ``groups``: column → ``(group heading, column heading)``; adjacent
    columns of one group share a heading cell above theirs (the others span both header rows).
    ``row_classes``: a class per row (``subtotal``, ``total``), ``cls`` the table's class, ``cell_classes``
    column → class of its cells. The header is a ``<thead>``, so a printed table repeats it on every page; a
    table of at most :data:`SHORT` rows is marked ``keep`` (the report prints it on one page).

    >>> frame = pd.DataFrame({"县": ["甲县", "<b>"], "2024": [1200.0, 3.5], "2025": [1300.0, None]})
    >>> print(table(frame, groups={"2024": ("万元", "2024"), "2025": ("万元", "2025")}))
    ... # doctest: +NORMALIZE_WHITESPACE
    <div class="table-box keep"><table><thead><tr><th rowspan="2">县</th><th colspan="2" class="group">万元</th></tr>
    <tr><th class="num">2024</th><th class="num">2025</th></tr></thead>
    <tbody><tr><td>甲县</td><td class="num">1,200.00</td><td class="num">1,300</td></tr>
    <tr><td>&lt;b&gt;</td><td class="num">3.50</td><td class="num"></td></tr></tbody></table></div>
    """
    columns = [str(c) for c in frame.columns]
    formats = dict(formats or {})
    numeric = set(numeric if numeric is not None else
                  (str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])))
    groups = dict(groups or {})
    cell_classes = dict(cell_classes or {})

    def head_class(column: str) -> str:
        return " ".join(c for c in ("num" if column in numeric else "", cell_classes.get(column, "")) if c)

    def th(column: str, heading: str, **span) -> Markup:
        spans = join(markup(' {}="{}"', k, v) for k, v in span.items())
        c = head_class(column)
        return markup("<th{}{}>{}</th>", spans, markup(' class="{}"', c) if c else "", heading)

    if groups:
        top, below, i = [], [], 0
        while i < len(columns):
            group = groups.get(columns[i], (None, None))[0]
            if group is None:
                top.append(th(columns[i], columns[i], rowspan=2))
                i += 1
                continue
            j = i
            while j < len(columns) and groups.get(columns[j], (None, None))[0] == group:
                below.append(th(columns[j], groups[columns[j]][1]))
                j += 1
            top.append(markup('<th colspan="{}" class="group">{}</th>', j - i, group))
            i = j
        head = markup("<tr>{}</tr>\n<tr>{}</tr>", join(top), join(below))
    else:
        head = markup("<tr>{}</tr>", join(th(c, c) for c in columns))

    writers = [formats.get(c) or (_number_format(frame.iloc[:, i]) if c in numeric else str)
               for i, c in enumerate(columns)]
    # each column's opening tag made once (a thousand rows took a second through markup() cell by cell)
    opens = [markup("<td{}>", markup(' class="{}"', c) if c else "") for c in map(head_class, columns)]
    close = Markup("</td>")
    rows = []
    for k, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = join(opening + escape(_cell(v, write)) + close for v, write, opening in zip(values, writers, opens))
        row_class = row_classes[k] if row_classes is not None else ""
        rows.append(markup("<tr{}>{}</tr>", markup(' class="{}"', row_class) if row_class else "", cells))
    return markup('<div class="table-box{}"><table{}><thead>{}</thead>\n<tbody>{}</tbody></table></div>',
                  " keep" if len(rows) <= SHORT else "", markup(' class="{}"', cls) if cls else "", head,
                  join(rows, "\n"))


def _cell(value, write: Format):
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return ""
    return write(value)


def fixed(places: int, *, sign: bool = False, percent: bool = False) -> Format:
    """A cell format for numbers: thousands separators and ``places`` decimals, so a column reads alike from
    top to bottom; ``sign``: ``+``/``−`` always; ``percent``: a share as a percentage. A true minus sign, no sign
    on what rounds to zero, ``∞`` for an unbounded value.

    >>> [fixed(1)(v) for v in (1234.56, -0.04, float("inf"))]
    ['1,234.6', '0.0', '∞']
    >>> fixed(0, sign=True)(-1234.4), fixed(1, percent=True)(0.3661)
    ('−1,234', '36.6%')
    """
    def write(value) -> str:
        if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, (bool, np.bool_)):
            return str(value)
        v = 100 * float(value) if percent else float(value)
        if not np.isfinite(v):
            return "∞" if v > 0 else "−∞"
        if round(v, places) == 0:
            return f"{0:.{places}f}" + ("%" if percent else "")
        text = f"{v:{'+' if sign else ''},.{places}f}".replace("-", "−")
        return text + ("%" if percent else "")
    return write


def _number_format(values: pd.Series) -> Format:
    """A column of whole numbers without decimals, others as :func:`~fundalloc.tables.plain_number` writes them
    (thousands separators, never scientific notation); text among them as it is."""
    from .tables import plain_number

    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    finite = numbers[np.isfinite(numbers)]
    whole = bool(np.all(finite == np.round(finite)))

    def write(value) -> str:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            return str(value)
        return f"{value:,.0f}" if whole and np.isfinite(value) else plain_number(float(value))
    return write
