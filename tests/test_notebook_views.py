"""What a notebook shows: money never in scientific notation, the result under one title with its summary as
HTML tables (CJK names stay aligned), and progress bars that draw without warnings."""
import re
import warnings

import pandas as pd
import pytest

import fundalloc as fa
from fundalloc import progress

#: a number in scientific notation, as ``.4g`` wrote budgets (``5e+04``); not a colour (``#E5E5E5``)
SCIENTIFIC = re.compile(r"(?<![\w#])\d+(\.\d+)?[eE][+-]?\d")


@pytest.fixture(scope="module")
def scenario():
    # money in 元, so budgets and amounts run into the millions
    units = pd.DataFrame({"id": ["130723", "130724", "130725"], "name": ["康保县", "沽源县", "围场满族蒙古族自治县"],
                          "jobs": [5000, 3000, 8000], "deep": [1, 1, 0]})
    return fa.Scenario(units=units, money_unit="元", budget={"total": 9_000_000},
                       groups={"deep_poverty": {"column": "deep"}}, weights={"deep_poverty": 1.5},
                       measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                       rules=[{"type": "group_share", "name": "tilt", "group": "deep_poverty", "min": 0.4}])


def test_no_view_writes_money_in_scientific_notation(scenario):
    res = fa.solve(scenario)
    sweep = fa.sweep(scenario, "budget.total", values=[5_000_000, 50_000_000, 120_000_000])
    mc = fa.monte_carlo(scenario.with_changes({"sensitivity": {"monte_carlo": {"draws": 4, "seed": 1, "parameters": {
        "measures.workshop.effectiveness": {"dist": "uniform", "low": 0.8, "high": 1.0}}}}}), workers=1)
    views = {"result": res._repr_html_(), "sweep": sweep._repr_html_(), "monte carlo": mc._repr_html_(),
             "comparison": fa.compare({"a": res, "b": res})._repr_html_(), "result text": repr(res)}
    for name, view in views.items():
        assert not SCIENTIFIC.search(view), (name, SCIENTIFIC.search(view))
    assert "50,000,000.00" in views["sweep"] and "120,000,000.00" in views["sweep"]
    assert "9,000,000.00" in views["result"]


def test_the_result_has_one_title_and_its_summary_in_tables(scenario):
    view = fa.solve(scenario)._repr_html_()
    assert view.count(scenario.name) == 1 and view.count("<h4>") == 1
    assert "<pre>" not in view
    assert re.search(r"<th[^>]*>status</th><td[^>]*>optimal</td>", view)
    assert re.search(r"<td>deep_poverty</td><td class=\"num\">[\d,.]+</td><td class=\"num\">[\d.]+%</td>", view)
    assert view.count(">Code<") == 1  # the ids once, as a column, not again as the index
    assert "围场满族蒙古族自治县" in view


def test_progress_bars_are_text_bars_without_ipywidgets_and_widgets_with_it(monkeypatch):
    from tqdm.auto import tqdm as auto
    from tqdm.std import tqdm as text

    for present, expected in ((False, text), (True, auto)):
        progress._bar_class.cache_clear()
        monkeypatch.setattr(progress, "find_spec", lambda name, present=present: object() if present else None)
        assert progress._bar_class() is expected
    progress._bar_class.cache_clear()
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with progress.progress_bar(total=2, disable=True) as bar:
            bar.update(2)
