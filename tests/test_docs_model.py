"""The worked examples of docs/model.md, number by number; its python blocks print what the page shows."""
import contextlib
import io
import re
from pathlib import Path

import pytest

import fundalloc as fa

MINIMAL = Path(__file__).resolve().parents[1] / "examples" / "minimal" / "scenario.yaml"
DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)


def test_three_county_example_of_the_model_page():
    res = fa.solve(fa.load_scenario(MINIMAL))
    assert res.objective == pytest.approx(498.25)
    assert res.total_outcome == pytest.approx(415.5)
    assert res.units["amount"].to_dict() == pytest.approx({"A": 116, "B": 94, "C": 80})
    persons = res.allocation.pivot(index="unit_id", columns="measure", values="beneficiaries")
    assert persons.loc["A"].to_dict() == pytest.approx({"workshop": 50, "export": 69, "post": 81})
    assert persons.loc["B"].to_dict() == pytest.approx({"workshop": 100, "export": 0, "post": 70})
    assert persons.loc["C"].to_dict() == pytest.approx({"workshop": 0, "export": 40, "post": 60})
    prices = res.shadow_prices
    assert prices["budget"] == pytest.approx(0.8)
    assert prices["tilt"] == pytest.approx(0.75 - 1 / 1.2)
    assert prices["zero_employment"] == pytest.approx(1 - 2 / 1.2)
    assert res.units.loc["C", "binding_rules"] == "one_person_one_measure;zero_employment"


def test_without_the_tilt_the_deep_poverty_county_drops_to_its_floor():
    res = fa.solve(fa.load_scenario(MINIMAL, variant="no_tilt"))
    assert res.objective == pytest.approx(501.25)
    assert res.units["amount"].to_dict() == pytest.approx({"A": 80, "B": 130, "C": 80})


def test_the_python_blocks_print_what_the_page_shows():
    fences = list(FENCE.finditer(DOC.read_text(encoding="utf-8")))
    namespace, checked = {}, 0
    for block, after in zip(fences, fences[1:] + [None]):
        if block.group(1) != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.group(2), "docs/model.md", "exec"), namespace)
        assert after is not None and after.group(1) == "text"
        shown = [" ".join(line.split()) for line in after.group(2).splitlines() if line.strip()]
        assert [" ".join(line.split()) for line in out.getvalue().splitlines() if line.strip()] == shown
        checked += 1
    assert checked >= 1
    res = namespace["res"]   # the tie-break example, worked by hand on the page
    assert res.units["amount"].tolist() == pytest.approx([7, 9, 4], abs=1e-9)
    none = fa.solve(namespace["sc"].with_changes({"objective.tie_break.toward": "none"}))
    assert none.objective == pytest.approx(res.objective)
    assert none.units["amount"].tolist() == pytest.approx([6, 10, 4], abs=1e-9)   # HiGHS's corner, as the page says
    assert "the solver's choice" in none.summary()


def test_zero_employment_example_of_the_model_page():
    import re

    import pandas as pd
    import yaml

    text = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(name: zero-employment.*?)```", text, re.S).group(1)
    units = pd.DataFrame({"id": ["a"], "name": ["A"], "unemployed": [100], "zem": [10], "households": [8],
                          "jobs": [100], "posts": [100]})
    res = fa.solve(fa.Scenario(**yaml.safe_load(block), units=units))
    assert res.objective == pytest.approx(49.0)
    assert res.shadow_prices["zero_employment"] == pytest.approx(-2.0)
    assert res.shadow_prices["population.zero_employment_members"] == pytest.approx(1.0)
    posts = res.by_population.set_index(["measure", "population"])["beneficiaries"]
    assert posts[("post", "zero_employment_members")] == pytest.approx(6.0)
