"""The factor formula (因素法) worked out by hand, what its money buys, the rules it breaks, and comparisons."""
import doctest
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import fundalloc as fa
from fundalloc.baseline import ratable_reduction

DOCS = Path(__file__).resolve().parents[1] / "docs"


def units(**columns):
    n = len(next(iter(columns.values())))
    ids = [chr(ord("a") + i) for i in range(n)]
    return pd.DataFrame({"id": ids, "name": [f"县{i}" for i in ids], **columns})


#: one measure, a job per 万元, more places than any county can pay for
ONE_JOB_PER_WAN = {"m": {"unit_cost": 1, "capacity": 10_000}}


def test_shares_are_the_weighted_shares_of_each_factor_column():
    # poor labour 50/30/20 of 100 → .5 .3 .2; zero-employment households 10/10/30 of 50 → .2 .2 .6.
    # Weights 3 and 2 normalise to .6 and .4: a = .6·.5 + .4·.2 = .38, b = .18 + .08 = .26, c = .12 + .24 = .36.
    sc = fa.Scenario(units=units(poor=[50, 30, 20], zeh=[10, 10, 30]), budget={"total": 1000},
                     measures=ONE_JOB_PER_WAN)
    fb = fa.factor_allocation(sc, factors={"poor": 3, "zeh": 2})
    assert fb.method == "factor"
    assert fb.shares.to_dict() == pytest.approx({"a": 0.38, "b": 0.26, "c": 0.36})
    assert fb.units["amount"].to_dict() == pytest.approx({"a": 380, "b": 260, "c": 360})
    assert fb.rounds == 0
    assert fb.objective == pytest.approx(1000)  # every 万元 buys a job
    assert fb.unspent.sum() == 0 and fb.broken_rules.empty


def test_the_scenario_baseline_section_is_the_default_and_arguments_override_it():
    sc = fa.Scenario(units=units(poor=[3, 1], zeh=[1, 1], last=[90, 0]), budget={"total": 100},
                     measures=ONE_JOB_PER_WAN,
                     baseline={"factors": {"poor": 1}, "hold_harmless": {"column": "last", "min_ratio": 1}})
    assert fa.factor_allocation(sc).units["amount"].tolist() == pytest.approx([90, 10])
    assert fa.factor_allocation(sc, hold_harmless=False).units["amount"].tolist() == pytest.approx([75, 25])
    assert fa.factor_allocation(sc, factors={"zeh": 1}).units["amount"].tolist() == pytest.approx([90, 10])
    assert fa.factor_allocation(sc, factors={"zeh": 1}, hold_harmless=False).units["amount"].tolist() == \
        pytest.approx([50, 50])


def test_without_factors_or_a_baseline_section_it_says_what_to_give():
    sc = fa.Scenario(units=units(poor=[3, 1]), budget={"total": 100}, measures=ONE_JOB_PER_WAN)
    with pytest.raises(fa.ScenarioError, match="no factors.*baseline"):
        fa.factor_allocation(sc)
    with pytest.raises(fa.ScenarioError, match="no column `pooor`.*did you mean `poor`"):
        fa.factor_allocation(sc, factors={"pooor": 1})
    with pytest.raises(fa.ScenarioError, match="weight is a number above 0"):
        fa.factor_allocation(sc, factors={"poor": 0})


def test_ratable_reduction_raises_the_floors_in_two_rounds():
    # Budget 100, formula amounts 50 / 30 / 15 / 5, floors (0.5 × last year 60 / 40 / 28 / 40) 30 / 20 / 14 / 20.
    # Round 1: d (5) is below 20 and is raised to it; a, b, c share the other 80 as 50:30:15 (of 95):
    #          42.105, 25.263, 12.632 — now c is below its 14.
    # Round 2: c is raised to 14; a and b share 100 − 20 − 14 = 66 as 50:30 (of 80): 41.25 and 24.75,
    #          above their floors of 30 and 20. Done: 41.25 + 24.75 + 14 + 20 = 100.
    sc = fa.Scenario(units=units(x=[50, 30, 15, 5], last=[60, 40, 28, 40]), budget={"total": 100},
                     measures=ONE_JOB_PER_WAN)
    fb = fa.factor_allocation(sc, factors={"x": 1}, hold_harmless={"column": "last", "min_ratio": 0.5})
    assert fb.rounds == 2
    assert fb.units["formula_amount"].tolist() == pytest.approx([50, 30, 15, 5])
    assert fb.units["amount"].tolist() == pytest.approx([41.25, 24.75, 14, 20])
    assert fb.total_allocated == pytest.approx(100)


def test_no_county_falls_below_its_floor_and_the_money_adds_up_to_the_budget():
    rng = np.random.default_rng(7)
    formula = rng.uniform(0, 10, 200)
    floors = rng.uniform(0, 3, 200)
    amounts, rounds = ratable_reduction(formula, floors, 500.0)
    assert rounds >= 1
    assert amounts.sum() == pytest.approx(500)
    assert (amounts >= floors - 1e-9).all()
    free = amounts > floors + 1e-9  # the units not held at their floors keep their formula proportions
    assert np.ptp(amounts[free] / formula[free]) < 1e-9


def test_floors_above_the_budget_are_an_error_naming_both():
    # floors 0.9 × (700 + 522.22…) = 630 + 470 = 1,100 万元 > the budget of 1,000 万元
    sc = fa.Scenario(units=units(x=[1, 1], last=[700, 4700 / 9]), budget={"total": 1000},
                     measures=ONE_JOB_PER_WAN)
    with pytest.raises(fa.ScenarioError) as err:
        fa.factor_allocation(sc, factors={"x": 1}, hold_harmless={"column": "last", "min_ratio": 0.9})
    assert "1,100.00 万元" in str(err.value) and "1,000.00 万元" in str(err.value)
    assert "baseline.hold_harmless" in str(err.value)


def test_less_is_more_factor_shares_follow_the_inverse():
    # fiscal capacity 1 / 2 / 4 → inverses 1, .5, .25 of 1.75 → 4/7, 2/7, 1/7; with poor labour 1/1/2 (.25 .25 .5)
    # at equal weights: a = (4/7 + .25)/2, b = (2/7 + .25)/2, c = (1/7 + .5)/2.
    sc = fa.Scenario(units=units(fiscal=[1, 2, 4], poor=[1, 1, 2]), budget={"total": 70}, measures=ONE_JOB_PER_WAN)
    less = {"fiscal": {"weight": 1, "direction": "less"}}
    assert fa.factor_allocation(sc, factors=less).shares.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    both = fa.factor_allocation(sc, factors={**less, "poor": 1})
    assert both.shares.tolist() == pytest.approx([(4 / 7 + .25) / 2, (2 / 7 + .25) / 2, (1 / 7 + .5) / 2])
    # the same column as an ordinary factor gives the most to the richest
    assert fa.factor_allocation(sc, factors={"fiscal": 1}).shares.tolist() == pytest.approx([1 / 7, 2 / 7, 4 / 7])


def test_a_zero_in_a_less_is_more_factor_is_an_error_naming_the_unit():
    sc = fa.Scenario(units=units(fiscal=[1, 0, 4]), budget={"total": 70}, measures=ONE_JOB_PER_WAN)
    with pytest.raises(fa.ScenarioError, match=r"`fiscal`.*unit b 县b.*not a positive number"):
        fa.factor_allocation(sc, factors={"fiscal": {"weight": 1, "direction": "less"}})
    assert fa.factor_allocation(sc, factors={"fiscal": 1}).shares.tolist() == pytest.approx([0.2, 0, 0.8])


def test_money_a_county_cannot_absorb_is_unspent_not_an_error():
    # a gets 75 万元 but has 20 places (20 万元); b gets 25 and can use them all. With spend_all the 55 万元
    # left in a break the budget rule.
    sc = fa.Scenario(units=units(poor=[3, 1], places=[20, 100]), budget={"total": 100, "spend_all": True},
                     measures={"m": {"unit_cost": 1, "capacity": "places"}})
    fb = fa.factor_allocation(sc, factors={"poor": 1})
    assert fb.units["amount"].tolist() == pytest.approx([75, 25])
    assert fb.units["spent"].tolist() == pytest.approx([20, 25])
    assert fb.unspent.to_dict() == pytest.approx({"a": 55, "b": 0})
    assert fb.objective == pytest.approx(45)
    budget = fb.broken_rules.set_index("rule").loc["budget"]
    assert budget["shortfall"] == pytest.approx(55)
    assert "unspent 55.00" in fb.summary()


def test_broken_rules_are_listed_with_how_far_each_misses():
    # Formula: poor 20/30/50 of 100 → a 20, b 30, c 50 万元. Measure m1 (1 万元, 1 job) fills before m2
    # (2 万元), so every 万元 goes to m1 and nothing to m2. a and b are deep-poverty counties.
    # - tilt (deep ≥ 60 %): deep gets 50 of 100 → short 10 万元, 10 points.
    # - zero_employment (coverage, 25 households in a): a's 20 万元 employ 20 → short 5 persons.
    #   (The evaluation lowers the rule to what a's money reaches instead of failing.)
    # - no_cut (hold-harmless 0.9 × last year 10/40/40 = 9/36/36): b has 30 → short 6 万元.
    # - cap (unit_bounds max 45): c has 50 → over by 5 万元.
    # - training (earmark: m2 ≥ 10 % of the money): 0 of 100 → short 10 万元, 10 points.
    # - per_head (deep counties ≥ 1 × the others' money per head; pop 100 each): c has 0.5 a head, so a and b
    #   need 50 each: short 30 and 20.
    # - need (min_coverage_rate: c funds ≥ 60 persons): 50 → short 10 persons.
    # - one_each (pool 100 persons per county) holds, and so does the budget.
    sc = fa.Scenario(
        units=units(poor=[20, 30, 50], deep=[1, 1, 0], zeh=[25, 0, 0], last=[10, 40, 40], pop=[100, 100, 100],
                    need=[0, 0, 60], cap=[100, 100, 100]),
        budget={"total": 100, "spend_all": True}, groups={"deep": {"column": "deep"}},
        measures={"m1": {"unit_cost": 1, "capacity": "cap"}, "m2": {"unit_cost": 2, "capacity": "cap"}},
        rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.6},
               {"type": "coverage", "name": "zero_employment", "column": "zeh"},
               {"type": "hold_harmless", "name": "no_cut", "column": "last", "min_ratio": 0.9},
               {"type": "unit_bounds", "name": "cap", "max": 45},
               {"type": "earmark", "name": "training", "measures": ["m2"], "min": 0.1},
               {"type": "per_capita_tilt", "name": "per_head", "group": "deep", "population": "pop"},
               {"type": "min_coverage_rate", "name": "need", "column": "need", "rate": 1},
               {"type": "pool", "name": "one_each", "column": "cap"}])
    fb = fa.factor_allocation(sc, factors={"poor": 1})
    broken = fb.broken_rules.set_index("rule")
    assert list(broken.index) == ["tilt", "zero_employment", "no_cut", "cap", "training", "per_head", "need"]
    assert broken["shortfall"].to_dict() == pytest.approx(
        {"tilt": 10, "zero_employment": 5, "no_cut": 6, "cap": 5, "training": 10, "per_head": 50, "need": 10})
    assert broken["unit"].to_dict() == {"tilt": "万元", "zero_employment": "persons", "no_cut": "万元",
                                        "cap": "万元", "training": "万元", "per_head": "万元", "need": "persons"}
    assert broken.loc["tilt", "points"] == pytest.approx(10)
    assert broken.loc["training", "points"] == pytest.approx(10)
    assert broken.loc["per_head", "units_affected"] == 2
    assert broken.loc["cap", "bound"] == "max"
    per_unit = fb.broken_units.set_index(["rule", "unit_id"])["shortfall"]
    assert per_unit.to_dict() == pytest.approx({("zero_employment", "a"): 5, ("no_cut", "b"): 6, ("cap", "c"): 5,
                                                ("per_head", "a"): 30, ("per_head", "b"): 20, ("need", "c"): 10})
    assert fb.objective == pytest.approx(100)  # the lowered coverage costs nothing here: every 万元 still buys a job
    assert "zero_employment" in fb.summary()


def test_a_factor_result_writes_its_broken_rules_with_the_other_files(tmp_path):
    sc = fa.Scenario(units=units(poor=[1, 3], deep=[1, 0]), budget={"total": 100},
                     groups={"deep": {"column": "deep"}}, measures=ONE_JOB_PER_WAN,
                     rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.5}])
    fb = fa.factor_allocation(sc, factors={"poor": 1})
    assert fb.scenario is sc
    fb.to_dir(tmp_path, report=False)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"),
                         parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert summary["method"] == "factor" and summary["budget"] == 100 and summary["total_allocated"] == 100
    assert [r["rule"] for r in summary["broken_rules"]] == ["tilt"]
    assert summary["broken_rules"][0]["shortfall"] == pytest.approx(25)
    broken = pd.read_csv(tmp_path / "broken_rules.csv", encoding="utf-8-sig")
    assert broken["points"].tolist() == pytest.approx([25])
    assert pd.read_csv(tmp_path / "units.csv", encoding="utf-8-sig")["amount"].tolist() == pytest.approx([25, 75])


def test_a_coverage_the_money_can_meet_is_still_enforced_inside_the_county():
    # 10 万元 in one county. Posts (2 万元, 1 job) count for the zero-employment households; workshops
    # (1 万元, 1 job) do not. Coverage asks for 3 persons from posts: 6 万元 on posts, 4 on workshops: 7 jobs.
    sc = fa.Scenario(units=units(x=[1], zeh=[3]), budget={"total": 10},
                     measures={"workshop": {"unit_cost": 1}, "post": {"unit_cost": 2}},
                     rules=[{"type": "coverage", "name": "zero", "column": "zeh", "measures": ["post"]}])
    fb = fa.factor_allocation(sc, factors={"x": 1})
    assert fb.objective == pytest.approx(7)
    assert fb.broken_rules.empty


def test_unit_order_of_the_table_changes_nothing():
    table = units(poor=[5, 3, 9, 1], last=[1, 2, 40, 10], cap=[50, 5, 80, 30])
    measures = {"m": {"unit_cost": 1, "capacity": "cap"}}
    hh = {"column": "last", "min_ratio": 1}
    one = fa.factor_allocation(fa.Scenario(units=table, budget={"total": 100}, measures=measures),
                               factors={"poor": 1}, hold_harmless=hh)
    other = fa.factor_allocation(fa.Scenario(units=table.iloc[[2, 0, 3, 1]], budget={"total": 100},
                                             measures=measures), factors={"poor": 1}, hold_harmless=hh)
    assert one.units["amount"].to_dict() == pytest.approx(other.units["amount"].to_dict())
    assert one.objective == pytest.approx(other.objective)


# ----------------------------------------------------------------------------------------- compare


def _two_counties():
    # a (deep poverty, weight 2) has 100 workshop places, b 300; 1000 元 a job; budget 40 万元.
    # Formula (poor 300:100): a 30, b 10. a can use only 10 (100 jobs, 20 万元 unspent), b 10 (100 jobs):
    # weighted 2·100 + 100 = 300. The optimiser fills a (20 weighted jobs per 万元) then b (10): a 10, b 30,
    # weighted 2·100 + 300 = 500. +200 weighted jobs, +66.7 %.
    sc = fa.Scenario(units=units(poor=[300, 100], jobs=[100, 300], deep=[1, 0]), budget={"total": 40},
                     groups={"deep": {"column": "deep"}}, weights={"deep": 2},
                     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}})
    return sc, fa.factor_allocation(sc, factors={"poor": 1}), fa.solve(sc)


def test_compare_headline_and_differences_at_the_same_budget():
    sc, fb, opt = _two_counties()
    assert fb.objective == pytest.approx(300) and opt.objective == pytest.approx(500)
    cmp = fa.compare({"factor": fb, "optimised": opt})
    assert cmp.headline() == ("optimised vs factor formula: +200 weighted jobs (+66.7 %) at the same budget; "
                              "the factor formula leaves 20 万元 unspent")
    table = cmp.table.set_index("unit_id")
    assert list(cmp.table.columns) == ["unit_id", "unit_name", "groups", "amount.factor", "outcome.factor",
                                       "amount.optimised", "outcome.optimised", "amount_diff.optimised",
                                       "outcome_diff.optimised"]
    assert table["amount_diff.optimised"].to_dict() == pytest.approx({"a": -20, "b": 20})
    assert table["outcome_diff.optimised"].to_dict() == pytest.approx({"a": 0, "b": 200})
    assert table.loc["a", "groups"] == "deep"
    by_group = cmp.by_group
    assert by_group.loc["deep", "amount.factor"] == pytest.approx(30)
    assert by_group.loc["all", "amount_diff.optimised"] == pytest.approx(0)
    assert by_group.loc["all", "weighted_outcome_diff.optimised"] == pytest.approx(200)


def test_compare_works_for_variants_with_any_base():
    sc, fb, opt = _two_counties()
    cut = fa.solve(sc.with_changes({"budget.total": 20}))  # a 10 (200 weighted) + b 10 (100) = 300
    cmp = fa.compare({"optimised": opt, "factor": fb, "budget_cut": cut}, base="optimised")
    # the factor formula is always the one compared against, whichever run is the base
    assert cmp.headline().splitlines() == [
        "optimised vs factor formula: +200 weighted jobs (+66.7 %) at the same budget; "
        "the factor formula leaves 20 万元 unspent",
        "budget_cut vs optimised: −200 weighted jobs (−40.0 %) at a budget of 20.00 vs 40.00 万元"]
    assert cmp.headline("budget_cut").startswith("budget_cut vs optimised")
    assert "amount_diff.optimised" not in cmp.table
    assert cmp.table.set_index("unit_id")["amount_diff.budget_cut"].to_dict() == pytest.approx({"a": 0, "b": -20})
    with pytest.raises(ValueError, match="no run named 'nope'"):
        fa.compare({"optimised": opt}, base="nope")


def test_compare_writes_a_bom_csv_a_chart_of_the_runs_and_a_section_that_keeps_chinese_names(tmp_path):
    sc, fb, opt = _two_counties()
    sc = sc.with_changes({"units.name": ["康保县", "阳原县"]})
    cmp = fa.compare({"factor": fa.factor_allocation(sc, factors={"poor": 1}), "optimised": fa.solve(sc)})
    written = cmp.write(tmp_path)
    assert {p.name for p in written} == {"comparison.csv", "comparison_by_group.csv", "comparison.svg"}
    assert (tmp_path / "comparison.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(tmp_path / "comparison.csv", encoding="utf-8-sig", dtype={"unit_id": str})
    assert back["unit_name"].tolist() == ["康保县", "阳原县"]
    svg = (tmp_path / "comparison.svg").read_text(encoding="utf-8")
    assert ">Factor formula<" in svg and ">optimised<" in svg  # one row per run
    fragment = cmp.html()
    assert fragment.startswith("<section") and "<svg" in fragment and "<?xml" not in fragment
    assert ">Factor formula<" in fragment and "康保县" in fragment


def test_worked_example_in_the_docs():
    result = doctest.testfile(str(DOCS / "baseline.md"), module_relative=False)
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------------------------------------------------ property


@st.composite
def small_scenarios(draw):
    n = draw(st.integers(2, 4))
    k = draw(st.integers(1, 2))
    pos = st.integers(1, 50)
    cols = {"f1": draw(st.lists(pos, min_size=n, max_size=n)), "f2": draw(st.lists(pos, min_size=n, max_size=n)),
            "deep": draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)),
            "last": draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)),
            "pool": draw(st.lists(st.integers(20, 200), min_size=n, max_size=n)),
            "zeh": draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))}
    measures = {}
    for j in range(k):
        cols[f"cap{j}"] = draw(st.lists(st.integers(10, 150), min_size=n, max_size=n))
        measures[f"m{j}"] = {"unit_cost": draw(st.sampled_from([0.5, 1, 2])), "capacity": f"cap{j}",
                             "effectiveness": draw(st.sampled_from(
                                 [1.0, 0.8, [{"share": 0.5, "value": 1.0}, {"share": 0.5, "value": 0.4}]]))}
    rules = [{"type": "pool", "name": "one_each", "column": "pool"},
             {"type": "coverage", "name": "zero", "column": "zeh"}]
    if draw(st.booleans()):
        rules.append({"type": "group_share", "name": "tilt", "group": "deep", "min": draw(st.sampled_from([0.2, 0.4]))})
    if draw(st.booleans()):
        rules.append({"type": "hold_harmless", "column": "last", "min_ratio": 0.5})
    sc = fa.Scenario(units=units(**cols), budget={"total": draw(st.sampled_from([20, 50, 100])),
                                                   "spend_all": draw(st.booleans())},
                     groups={"deep": {"column": "deep"}}, weights={"deep": draw(st.sampled_from([1.0, 1.5]))},
                     measures=measures, rules=rules)
    factors = {"f1": draw(st.sampled_from([1, 2])),
               "f2": {"weight": 1, "direction": draw(st.sampled_from(["more", "less"]))}}
    return sc, factors


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(small_scenarios())
def test_the_optimiser_never_does_worse_than_a_formula_that_keeps_every_rule(case):
    # A formula allocation that breaks no rule and spends all its money is a feasible point of the
    # optimiser's programme, so the optimum is at least as good.
    sc, factors = case
    fb = fa.factor_allocation(sc, factors=factors)
    assert fb.total_allocated == pytest.approx(sc.budget.total)
    assume(fb.broken_rules.empty and fb.unspent.sum() == 0)
    opt = fa.solve(sc)
    assert opt.objective >= fb.objective - 1e-6 * (1 + abs(fb.objective))
