"""Outputs cannot attack their readers: every name a user writes can be a payload, and no writer lets one through.

A scenario whose every user-supplied string (scenario name, description and ``prepared_by``, unit ids and names,
region names, measure names and labels, population labels, group and rule names, rule descriptions, column names)
is a script or a spreadsheet formula runs through the command line with variants, a baseline, sensitivity and
``--excel``. No HTML or SVG file holds a live tag, no CSV cell starts like a formula, and no workbook cell is a
formula. Every HTML view (``_repr_html_``, ``html()``) is checked too, and the package's source is read to hold
that HTML is only ever built through :mod:`fundalloc.markup`, where escaping cannot be forgotten.
(Adversarial review F1, F3.)
"""
import ast
import csv
import io
import re
from pathlib import Path

import pytest
import yaml

import fundalloc as fa
from fundalloc import cli
from fundalloc.tables import FORMULA_START, neutralise

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
       '"><iframe srcdoc=x>']
FORMULAS = ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "=1+1"]

# names that take part in dotted paths (measures, groups, rules, columns) cannot hold a dot
MEASURE_XSS, MEASURE_FORMULA = "<img src=x onerror=alert(5)>", "=cmd|' /C calc'!A0"
GROUP = "<svg onload=alert(6)>"
RULE_XSS, RULE_FORMULA = "<script>alert(7)</script>", "@SUM(1)"
COLUMN = "<b onmouseover=alert(8)>jobs"
REGIONS = ["<i onmouseover=alert(9)>市", "=HYPERLINK(\"http://x\",\"市\")"]
PREPARED_BY = "<u onclick=alert(10)>省人社厅</u>"
POPULATION = "<s onfocus=alert(11)>贫困劳动力"

SCENARIO = {
    "name": "<script>alert(0)</script>",
    "description": f"{XSS[1]} {FORMULAS[0]}",
    "prepared_by": PREPARED_BY,
    "units": {"file": "units.csv", "id": "code", "name": "name", "region": "city"},
    "populations": {"poor_labour": {"column": "poor", "label": POPULATION}},
    "groups": {GROUP: {"column": "deep"}},
    "weights": {GROUP: 1.5},
    "budget": {"total": 300},
    "measures": {
        MEASURE_XSS: {"label": XSS[3], "unit_cost": "1000 元", "capacity": COLUMN},
        MEASURE_FORMULA: {"label": FORMULAS[1], "unit_cost": "2000 元", "effectiveness": 0.5, "capacity": "export",
                          "from": ["poor_labour"]},
    },
    "rules": [
        {"type": "pool", "name": RULE_FORMULA, "column": "poor", "description": FORMULAS[3]},
        {"type": "group_share", "name": RULE_XSS, "group": GROUP, "min": 0.4, "description": XSS[0]},
        {"type": "hold_harmless", "column": "last_year", "min_ratio": 0.8, "description": FORMULAS[2]},
    ],
    # all the money to the group breaks the floors elsewhere: no allocation, a diagnosis naming the rule
    "variants": {"no_tilt": {f"rules.{RULE_XSS}.min": 0}, "all_to_group": {f"rules.{RULE_XSS}.min": 1}},
    "sensitivity": {
        "sweeps": [{"parameter": f"rules.{RULE_XSS}.min", "values": [0, 0.4]}],
        "tornado": {"parameters": ["budget.total"], "change": 0.1},
        "monte_carlo": {"draws": 4, "seed": 1,
                        "parameters": {"measures.*.effectiveness": {"dist": "uniform", "low": 0.9, "high": 1.0}}},
    },
    "baseline": {"factors": {"poor": 1}},
}

UNITS = [
    ["code", "name", "city", COLUMN, "export", "poor", "deep", "last_year"],
    ["=1+1", XSS[0], REGIONS[0], 500, 200, 600, 1, 80],
    ["@A1", FORMULAS[0], REGIONS[1], 300, 100, 450, 0, 60],
    ["c3", XSS[2], REGIONS[0], 800, 300, 900, 0, 100],
    ["c4", FORMULAS[1], REGIONS[1], 400, 200, 500, 1, 70],
]


def write_inputs(folder: Path) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(UNITS)
    (folder / "units.csv").write_text(buffer.getvalue(), encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payloads")
    path = write_inputs(folder)
    code = cli.main([str(path), "--out", str(folder / "out"), "--excel", "--quiet"])
    assert code == 3  # the variant all_to_group has no allocation
    assert RULE_XSS in (folder / "out" / "all_to_group" / "infeasible.txt").read_text(encoding="utf-8")
    return folder / "out"


def live_payloads(text: str) -> list[str]:
    raw = XSS + [f"<{p.split('<', 1)[1]}" for p in (MEASURE_XSS, GROUP, RULE_XSS, COLUMN, "<script>alert(0)",
                                                    REGIONS[0], PREPARED_BY, POPULATION)]
    return [p for p in raw if p in text]


def test_no_html_or_svg_file_holds_a_live_tag(outputs):
    pages = list(outputs.rglob("*.html")) + list(outputs.rglob("*.svg"))
    assert any(p.name == "report.html" for p in pages) and len(pages) > 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not live_payloads(text), (page, live_payloads(text))
    report = (outputs / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in report  # the rule is named, as text
    assert "&lt;u onclick=alert(10)&gt;省人社厅&lt;/u&gt;" in report  # who prepared it, as text
    assert "&lt;i onmouseover=alert(9)&gt;市 subtotal" in report  # a region's subtotal, as text
    diagnosis = (outputs / "all_to_group" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in diagnosis


def formula_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row
            if isinstance(cell, str) and cell.startswith(FORMULA_START) and neutralise(cell) != cell
            and cell not in ("-inf", "+inf")]  # numbers written by the machine tables, not text


def test_no_csv_cell_or_header_starts_like_a_formula(outputs):
    files = list(outputs.rglob("*.csv"))
    assert len(files) > 8
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert not formula_cells(rows), (path, formula_cells(rows))
    units = (outputs / "units.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in units and "'=1+1" in units  # shown, neutralised


def test_no_workbook_cell_is_a_formula_and_text_stays_visible(outputs):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(outputs / "allocation.xlsx")
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any("HYPERLINK" in t for t in texts)


def test_every_html_view_escapes_every_name(tmp_path):
    from fundalloc.infeasible import InfeasibleRun
    from fundalloc.report import render
    from fundalloc.sensitivity import run_sensitivity

    sc = fa.load_scenario(write_inputs(tmp_path))
    res = fa.solve(sc)
    impossible = sc.with_changes({f"rules.{RULE_XSS}.min": 1})
    with pytest.raises(fa.InfeasibleError) as err:
        fa.solve(impossible)
    views = {"result": res._repr_html_(), "allocation table": res.allocation_table()._repr_html_(),
             "sweep": fa.sweep(sc, f"rules.{RULE_XSS}.min", values=[0, 0.4])._repr_html_(),
             "monte carlo": fa.monte_carlo(sc, draws=3, seed=1, workers=1)._repr_html_(),
             "comparison": fa.compare({"a": res, "b": fa.solve(sc.with_changes({f"rules.{RULE_XSS}.min": 0})),
                                       "f": res.factor_baseline})._repr_html_(),
             "factor formula": res.factor_baseline._repr_html_(),
             "infeasible": InfeasibleRun(impossible, err.value)._repr_html_(),
             "sensitivity": str(run_sensitivity(sc, res, progress=False, workers=1).html()),
             "report": str(render(res))}
    for name, view in views.items():
        assert not live_payloads(view), (name, live_payloads(view))
    assert "&lt;i onmouseover=alert(9)&gt;市" in views["allocation table"]


# ------------------------------------------------------------------- escaping by construction, in the source
SOURCE = Path(fa.__file__).parent
#: an HTML or SVG tag, opening or closing
TAG = re.compile(r"</?(html|head|body|meta|title|style|section|header|div|p|span|h[1-6]|ul|ol|li|table|thead|tbody|"
                 r"tr|th|td|br|b|strong|em|code|figure|svg|g|text|rect|line|path|circle|script|img|a)\b[^<]*>")
#: the calls that take a template (a literal of fundalloc's code) and escape what goes into it
TEMPLATES = {"markup", "Markup"}


def markup_violations(path: Path) -> list[str]:
    """Where a module builds HTML without fundalloc.markup: a tag in a string literal that is not a markup
    template (an f-string, a str.format, a concatenation), the stdlib's html module, pandas' to_html."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            allowed.add(id(node.body[0].value))  # a docstring: its examples show what the code writes
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in TEMPLATES:
                allowed.add(id(node.args[0]))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed \
                and TAG.search(node.value):
            found.append(f"{where}: a tag outside a markup template: {node.value[:60]!r}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(a.name == "html" for a in node.names) \
                and getattr(node, "module", None) in (None, "") :
            found.append(f"{where}: imports the html module (escape through fundalloc.markup)")
        elif isinstance(node, ast.Attribute) and node.attr == "to_html":
            found.append(f"{where}: pandas to_html (write tables with fundalloc.markup.table)")
    return found


def test_html_is_only_built_through_markup_templates():
    modules = sorted(SOURCE.rglob("*.py"))
    assert len(modules) > 30
    found = [v for path in modules for v in markup_violations(path)]
    assert found == []


def test_the_source_check_finds_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('import html\nname = "x"\na = f"<p>{name}</p>"\nb = "<td>" + name + "</td>"\n'
                   'c = "<li>{}</li>".format(name)\nd = markup("<b>{}</b>", name)\nframe.to_html()\n',
                   encoding="utf-8")
    global SOURCE
    SOURCE, kept = tmp_path, SOURCE
    try:
        found = markup_violations(bad)
    finally:
        SOURCE = kept
    assert sorted({int(line.split(":")[1]) for line in found}) == [1, 3, 4, 5, 7]  # not 6, the template
