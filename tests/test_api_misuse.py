"""The Python API misused: every error is a FundallocError naming what is wrong, and nothing bypasses validation
(adversarial review F22, F23)."""
import re

import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc import paths
from fundalloc.backends.base import UNBOUNDED, Solution
from fundalloc.program import build
from fundalloc.solve import raise_for_status


def scenario(**changes) -> fa.Scenario:
    units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "jobs": [100, 50, 80],
                          "deep": [1, 0, 0], "need": [10, 20, 30]})
    return fa.Scenario(units=units, budget={"total": 12}, groups={"deep": {"column": "deep"}},
                       measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}}, **changes)


def test_a_table_derived_from_a_scenarios_units_is_checked_again():
    sc = scenario()
    with pytest.raises(fa.ScenarioError, match="no rows"):
        fa.Scenario(units=sc.units.iloc[0:0], budget={"total": 10}, measures={"w": {"unit_cost": 1}})
    with pytest.raises(fa.ScenarioError, match="appears more than once"):
        fa.Scenario(units=sc.units.assign(id="a"), budget={"total": 10}, measures={"w": {"unit_cost": 1}})


@pytest.mark.parametrize("edit", [
    lambda units: units.loc.__setitem__((1, "id"), "a"),
    lambda units: units.loc.__setitem__((0, "jobs"), -500),
    lambda units: units.__setitem__("extra", 1),
])
def test_editing_the_units_in_place_after_validation_is_refused_when_solving(edit):
    sc = scenario()
    assert fa.solve(sc).status == "optimal"
    edit(sc.units)
    for attempt in (lambda: fa.solve(sc), lambda: build(sc), lambda: sc.with_changes({"budget.total": 5})):
        with pytest.raises(fa.ScenarioError, match="changed after the scenario was validated"):
            attempt()


def test_with_changes_keeps_the_units_check_and_reads_changed_columns():
    sc = scenario()
    changed = sc.with_changes({"units.jobs": ["1,000", "２０", 30]})
    assert changed.units["jobs"].tolist() == [1000, 20, 30]
    assert fa.solve(changed).status == "optimal"
    with pytest.raises(fa.ScenarioError, match="appears more than once"):
        sc.with_changes({"units.id": ["a", "a", "c"]})


def test_a_scenario_that_skipped_validation_is_refused():
    sc = scenario()
    raw = fa.Scenario.model_construct(**{k: getattr(sc, k) for k in fa.Scenario.model_fields})
    with pytest.raises(fa.ScenarioError, match="not validated"):
        fa.solve(raw)


@pytest.mark.parametrize("changes, words", [
    ({5: 1}, "dotted path"), ({None: 1}, "dotted path"), (None, "mapping"), ("budget.total=1", "mapping"),
    ({"units._row": 0}, "own column"), ({"measures": {}}, "empty"),
])
def test_with_changes_refuses_what_is_not_a_mapping_of_paths(changes, words):
    with pytest.raises(fa.ScenarioError, match=words):
        scenario().with_changes(changes)


def test_optional_keys_not_yet_set_can_be_set_by_path():
    sc = scenario(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.1}])
    changed = sc.with_changes({"solver.time_limit": 60, "rules.tilt.max": 0.9, "measures.workshop.label": "车间"})
    assert (changed.solver.time_limit, changed.rule("tilt").max) == (60, 0.9)
    assert changed.measures["workshop"].label == "车间"


def test_a_path_error_is_a_scenario_error():
    with pytest.raises(fa.ScenarioError) as caught:
        paths.expand(scenario().to_dict(), "budget.totl")
    assert isinstance(caught.value, paths.PathError) and "nothing named `totl`" in str(caught.value)
    assert caught.value.details == [(("budget", "totl"), caught.value.reason)]


def test_an_unbounded_programme_is_the_scenarios_fault_and_names_the_measure():
    sc = scenario()
    with pytest.raises(fa.ScenarioError, match="`workshop` has no capacity"):
        raise_for_status(build(sc.with_changes({"measures.workshop.capacity": None})),
                         Solution(status=UNBOUNDED), None)


def test_numbers_that_overflow_together_are_named_before_the_solver_sees_them():
    sc = scenario(weights={"deep": 1e10}).with_changes({"measures.workshop.effectiveness": 1e10,
                                                                  "measures.workshop.max_effectiveness": 1e10})
    with np.errstate(all="raise"):  # no overflow warning either
        with pytest.raises(fa.ScenarioError, match=r"measure `workshop` in unit a A is 1e\+20"):
            fa.solve(sc)


def test_a_missing_column_is_never_answered_with_a_column_of_another_kind():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "last_13": [0, 1], "last_yr": [100, 90], "jobs": [5, 5]})
    with pytest.raises(fa.ScenarioError) as caught:
        fa.Scenario(units=units, budget={"total": 1}, measures={"w": {"unit_cost": 1, "capacity": "jobs"}},
                    rules=[{"type": "hold_harmless", "column": "last_year"}], groups={"d": {"column": "last_1"}})
    assert "no column `last_year`; did you mean `last_yr`?" in str(caught.value)   # not the 0/1 flag last_13
    assert "no column `last_1`; did you mean `last_13`?" in str(caught.value)      # a group wants a flag


@pytest.mark.parametrize("value, words", [
    (None, "not NoneType"), ("examples/minimal/scenario.yaml", "fa.load_scenario('examples/minimal/scenario.yaml')"),
    ({}, "fa.Scenario(**data)"), (42, "not int"),
])
def test_solve_and_the_sensitivity_functions_say_what_they_need_instead_of_failing_inside(value, words):
    for call in (fa.solve, fa.rule_prices, lambda v: fa.sweep(v, "budget.total", [1]), fa.tornado,
                 lambda v: fa.factor_allocation(v, factors={"jobs": 1})):
        with pytest.raises(fa.ArgumentError, match=re.escape(words)) as caught:
            call(value)
        assert isinstance(caught.value, TypeError)  # what Python raises for a wrong argument, too


def test_a_result_where_a_scenario_is_needed_is_told_to_pass_its_scenario():
    result = fa.solve(scenario())
    with pytest.raises(fa.ArgumentError, match=r"a Result: pass its scenario, fa.rule_prices\(result.scenario\)"):
        fa.rule_prices(result)


@pytest.mark.parametrize("runs, base, words", [
    ({}, None, "at least one result"), ("ab", None, "mapping of run name"), (lambda r: [r, r], None, "not a list"),
    (lambda r: {"a": r, "b": 5}, None, "not results: ['b']"), (lambda r: {"a": r}, "zzz", "no run named 'zzz'"),
])
def test_compare_refuses_what_is_not_a_mapping_of_results(runs, base, words):
    result = fa.solve(scenario())
    with pytest.raises(fa.ArgumentError, match=re.escape(words)):
        fa.compare(runs(result) if callable(runs) else runs, base=base)
