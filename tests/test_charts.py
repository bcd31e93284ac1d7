"""The SVG writer behind every chart: valid XML, one bar per value, names as text, the same bytes every time."""
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from fundalloc import charts

SVG = "{http://www.w3.org/2000/svg}"
NAN = math.nan


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def bars(chart: charts.Chart) -> list[ET.Element]:
    return [r for r in parse(chart).iter(f"{SVG}rect") if r.get("class") == "bar"]


def texts(chart: charts.Chart) -> list[str]:
    return [t.text for t in parse(chart).iter(f"{SVG}text")]


EVERY_KIND = {
    "bars by group": lambda: charts.bar_chart(["康保县", "沽源县", "尚义县"], [3200.5, 2000, -150],
                                              colour_by=["deep", "deep", ""], title="Money", xlabel="万元"),
    "panels": lambda: charts.bar_panels(["a", "b"], {"money": [charts.Bars([1, -2])],
                                                     "persons": [charts.Bars([3, 4])]},
                                        title="run − base", subtitle="2 of 2 units changed"),
    "series": lambda: charts.series_bar_chart(["budget.total", "measures.x.unit_cost"],
                                              {"low": [-10, 2], "high": [12, -3]}, overlay=True, title="Tornado"),
    "ranges": lambda: charts.range_chart(["康保县", "尚义县"], [10, 20], [30, 25], [20, 22], title="Money per unit"),
    "lines": lambda: charts.line_chart([50_000, 60_000, 70_000], {"objective": [1.6e5, 1.8e5, 1.9e5]},
                                       rules=[55_000], rules_name="rules change", missing=[70_000],
                                       missing_name="no optimum", title="Sweep", ylabel="weighted persons"),
    "histogram": lambda: charts.histogram([float(v) for v in range(200)], marks={"base": 100.0}, title="Draws"),
    "row": lambda: charts.row(charts.bar_chart(["a"], [1]), charts.histogram([1.0, 2.0, 3.0])),
}


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_kind_of_chart_is_valid_svg_with_a_cjk_font_list(kind):
    root = parse(EVERY_KIND[kind]())
    assert root.tag == f"{SVG}svg" and root.get("class") == "chart"
    assert root.get("font-family").startswith("'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei'")
    assert root.get("font-family").endswith("sans-serif")
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_the_same_data_gives_the_same_bytes(kind):
    assert EVERY_KIND[kind]().svg == EVERY_KIND[kind]().svg


def test_the_bytes_do_not_depend_on_the_process():
    code = ("from fundalloc import charts; print(charts.bar_chart(['康保县', '尚义县', 'x'], [1.5, 2, 3], "
            "colour_by=['b', 'a', ''], title='t').svg)")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout for seed in ("1", "2")}
    assert len(outputs) == 1


def test_one_bar_per_value_and_names_stay_text():
    names = [f"县{i}" for i in range(17)]
    chart = charts.bar_chart(names, range(17), colour_by=["deep"] * 10 + [""] * 7)
    assert len(bars(chart)) == 17
    assert [t for t in texts(chart) if t.startswith("县")] == names  # top to bottom in the order given
    assert {"deep", "no group"} <= set(texts(chart))                  # the legend


def test_more_bars_make_a_taller_chart():
    heights = [charts.bar_chart([str(i) for i in range(n)], [1] * n).height for n in (5, 20, 80)]
    assert heights[0] < heights[1] < heights[2]
    assert heights[2] - heights[1] == pytest.approx(60 * charts.ROW)


def test_axis_numbers_have_thousands_separators_and_a_true_minus():
    chart = charts.bar_chart(["a", "b"], [25_000, -5_000])
    ticks = [t.text for t in parse(chart).iter(f"{SVG}text") if t.get("class") == "tick"]
    assert "20,000" in ticks and "−5,000" in ticks and "0" in ticks


def test_negative_values_go_left_of_the_zero_line_and_positive_right():
    chart = charts.bar_chart(["loses", "gains"], [-120.0, 80.0])
    zero = [float(t.get("x")) for t in parse(chart).iter(f"{SVG}text") if t.text == "0"][0]
    loses, gains = bars(chart)
    assert float(loses.get("x")) + float(loses.get("width")) == pytest.approx(zero, abs=0.1)
    assert float(gains.get("x")) == pytest.approx(zero, abs=0.1)
    assert float(loses.get("width")) == pytest.approx(1.5 * float(gains.get("width")), rel=0.01)


def test_text_is_escaped():
    nasty = 'A & B <script>"x"</script>'
    chart = charts.bar_chart([nasty], [1.0], colour_by=["<g>&"], title="1 < 2 & 3 > 2", xlabel="\x07万元")
    assert "<script>" not in chart.svg
    found = texts(chart)
    assert nasty in found and "<g>&" in found and "1 < 2 & 3 > 2" in found and "万元" in found
    assert '"x"' not in chart.svg  # quotes are escaped too: text cannot close an attribute


def test_value_labels_sit_at_the_bar_ends_inside_the_chart():
    chart = charts.bar_chart(["康保县", "尚义县"], [1200.0, -80.0], value_labels=["1,200", "−80"], xlabel="万元")
    root = ET.fromstring(str(chart.svg))
    values = {e.text: e for e in root.iter(f"{SVG}text") if e.get("class") == "value"}
    assert set(values) == {"1,200", "−80"}
    gains, loses = bars(chart)  # in the order given
    assert float(values["1,200"].get("x")) > float(gains.get("x")) + float(gains.get("width"))
    assert values["−80"].get("text-anchor") == "end" and float(values["−80"].get("x")) < float(loses.get("x"))
    width = float(root.get("width"))
    assert float(values["1,200"].get("x")) + charts.text_width("1,200", charts.SMALL) <= width
    assert float(values["−80"].get("x")) - charts.text_width("−80", charts.SMALL) >= 0


@pytest.mark.parametrize("empty", [
    lambda: charts.bar_chart([], [], title="Money by county"),
    lambda: charts.series_bar_chart([], {}, title="Tornado"),
    lambda: charts.line_chart([], {}, title="Sweep"),
    lambda: charts.histogram([], title="Draws"),
    lambda: charts.histogram([NAN, NAN], title="Draws"),
    lambda: charts.row(),
])
def test_empty_data_gives_a_valid_chart_that_says_so(empty):
    chart = empty()
    parse(chart)
    assert bars(chart) == []


def test_missing_values_draw_no_bar_and_break_the_line():
    assert len(bars(charts.bar_chart(["a", "b", "c"], [1.0, NAN, 2.0]))) == 2
    line = charts.line_chart([1, 2, 3, 4], {"objective": [1.0, 2.0, NAN, 3.0]})
    path = next(p for p in parse(line).iter(f"{SVG}path") if p.get("class") == "line")
    assert path.get("d").count("M") == 2
    flat = charts.line_chart([1, 2], {"objective": [NAN, NAN]}, title="no optimum anywhere")
    parse(flat)


def test_a_line_chart_marks_breakpoints_and_values_without_an_optimum():
    chart = EVERY_KIND["lines"]()
    root = parse(chart)
    assert sum(1 for p in root.iter(f"{SVG}path") if p.get("class") == "missing") == 1
    assert sum(1 for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")) == 1
    assert {"objective", "rules change", "no optimum", "weighted persons"} <= set(texts(chart))
    assert "60,000" in texts(chart)


def test_a_histogram_has_one_bar_per_bin_and_counts_every_value():
    chart = charts.histogram([1.0, 2.0, 2.5, 3.0, 9.0], bins=4)
    assert len(bars(chart)) == 4


def test_series_bars_share_a_row_and_the_legend_names_them():
    chart = charts.series_bar_chart(["tilt", "floor"], {"rule removed": [5, 1], "loosened": [2, 0.5]})
    assert len(bars(chart)) == 4
    assert {"rule removed", "loosened"} <= set(texts(chart))


def test_charts_side_by_side_and_stacked_add_up():
    a, b = charts.bar_chart(["a"], [1]), charts.bar_chart(["a", "b", "c"], [1, 2, 3])
    assert charts.row(a, b, gap=10).width == pytest.approx(a.width + b.width + 10)
    assert charts.column(a, b, gap=10).height == pytest.approx(a.height + b.height + 10)
    assert len(bars(charts.column(a, b))) == 4


def test_group_colours_are_stable_and_grey_for_no_group():
    colours = charts.category_colours(["deep", "deep", ""])
    assert colours[""] == charts.NO_GROUP_COLOUR and colours["deep"] == charts.PALETTE[0]
    assert charts.category_colours(["x"], {"x": "#123456"})["x"] == "#123456"
    fills = {r.get("fill") for r in bars(charts.bar_chart(["a", "b"], [1, 2], colour_by=["deep", ""]))}
    assert fills == {charts.PALETTE[0], charts.NO_GROUP_COLOUR}


def test_a_chart_saves_as_a_file_and_shows_in_a_notebook(tmp_path):
    chart = charts.bar_chart(["康保县"], [1.0])
    path = chart.save(tmp_path / "money.svg")
    assert path.read_text(encoding="utf-8").strip() == chart.svg == chart._repr_svg_() == str(chart)
    ET.parse(path)
