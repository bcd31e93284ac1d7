"""The worked example of docs/model.md, number by number."""
from pathlib import Path

import pytest

import fundalloc as fa

MINIMAL = Path(__file__).resolve().parents[1] / "examples" / "minimal" / "scenario.yaml"


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


def test_the_decomposition_example_of_the_model_page_runs(monkeypatch):
    import doctest
    import re

    root = MINIMAL.parents[2]
    text = (root / "docs" / "model.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```", text, re.M | re.S) if ">>>" in b]
    assert blocks, "the model page has its decomposition example"
    monkeypatch.chdir(root)
    runner = doctest.DocTestRunner()
    for block in blocks:
        runner.run(doctest.DocTestParser().get_doctest(block, {}, "docs/model.md", None, 0))
    assert runner.failures == 0 and runner.tries >= 4


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
