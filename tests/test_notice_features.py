"""Issue 9's library features, each on a case worked by hand: target populations, entitlements, full-time
equivalents and per-county calibration, tilts relative to a reference, the 164号-form factor baseline."""
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import fundalloc as fa
from fundalloc.baseline import formula_amounts
from fundalloc.loader import PolicyWarning, load_scenario

# one county: 100 unemployed poor labourers, 10 of them members of zero-employment households (8 households).
# export: 0.05 万元 a person, employs 0.5 (10 persons per 万元); post: 0.2 万元, employs 1 (5 per 万元).
ONE = pd.DataFrame({"id": ["a"], "name": ["A"], "unemployed": [100], "zem": [10], "households": [8],
                    "jobs": [100], "posts": [100], "claims": [20]})


def one_county(coverage_population="zem", **changes) -> fa.Scenario:
    data = dict(
        units=ONE, budget={"total": 5.5},
        populations={"unemployed": "unemployed", "zem": {"column": "zem", "within": "unemployed"}},
        measures={
            "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs", "from": ["unemployed", "zem"]},
            "post": {"label": "公益岗", "unit_cost": 0.2, "effectiveness": 1.0, "capacity": "posts",
                     "from": ["unemployed", "zem"]}},
        rules=[{"type": "coverage", "name": "zero_employment", "column": "households",
                **({"population": coverage_population} if coverage_population else {})}])
    data.update(changes)
    return fa.Scenario(**data)


# ------------------------------------------------------------------------------------------ populations
def test_coverage_over_the_households_own_members_binds_and_is_priced_by_hand():
    # Without the rule: money on exports (10 persons per 万元) until the pool of 100 binds? 5.5 万元 buys 110
    # exports, so the pool binds: x + y = 100, 0.05x + 0.2y = 5.5 → y = 3.33 posts.
    # With it: the 10 members must yield 8 persons employed: posts p and exports e among them with
    # p + 0.5e ≥ 8, p + e ≤ 10 → p = 6, e = 4. Then 1.2 万元 on posts and 4.3 on exports (86), pool 92 < 100:
    # objective 0.5·86 + 6 = 49.
    res = fa.solve(one_county())
    assert res.objective == pytest.approx(49.0)
    # one more household: p + 0.5e ≥ 9 → p = 8: 1.6 万元 on posts, 78 exports: 39 + 8 = 47, so −2
    assert res.shadow_prices["zero_employment"] == pytest.approx(-2.0)
    # one more member: p + e ≤ 11 → p = 5, e = 6: 1.0 万元 on posts, 90 exports: 45 + 5 = 50, so +1
    assert res.shadow_prices["population.zem"] == pytest.approx(1.0)
    split = res.by_population.set_index(["measure", "population"])["beneficiaries"]
    assert split[("post", "zem")] == pytest.approx(6.0) and split[("export", "zem")] == pytest.approx(4.0)
    assert "zero_employment" in res.binding_rules


def test_coverage_over_everyone_employed_is_vacuous_here():
    # counted over anyone employed in the county, 8 persons are far below the 51.7 employed anyway
    res = fa.solve(one_county(coverage_population=None))
    assert res.objective == pytest.approx(0.5 * (100 - 10 / 3) + 10 / 3)
    assert res.shadow_prices["zero_employment"] == pytest.approx(0.0)


def test_a_population_caps_what_is_drawn_from_it_and_its_parent_counts_it():
    res = fa.solve(one_county(budget={"total": 100}))  # money enough: the pool of 100 binds, all posts
    split = res.by_population.groupby("population")["beneficiaries"].sum()
    assert split.sum() == pytest.approx(100.0) and split["zem"] <= 10 + 1e-9
    assert res.objective == pytest.approx(100.0)


def test_by_population_adds_up_to_the_allocation():
    res = fa.solve(one_county())
    summed = res.by_population.groupby(["unit_id", "measure"])[["amount", "beneficiaries", "outcome"]].sum()
    alloc = res.allocation.set_index(["unit_id", "measure"])[["amount", "beneficiaries", "outcome"]]
    pd.testing.assert_frame_equal(summed.sort_index(), alloc.sort_index(), check_exact=False, rtol=1e-9)


def test_a_measure_drawing_from_several_populations_keeps_its_capacity():
    res = fa.solve(one_county(budget={"total": 100}, measures={
        "post": {"unit_cost": 0.2, "capacity": 30, "from": ["unemployed", "zem"]},
        "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs", "from": ["unemployed"]}}))
    assert res.allocation.set_index("measure").loc["post", "beneficiaries"] == pytest.approx(30.0)


def test_pool_over_a_population_counts_only_its_beneficiaries():
    sc = one_county(rules=[{"type": "pool", "name": "few_zem_posts", "measures": ["post"], "population": "zem",
                            "factor": 0.5}], budget={"total": 100})
    res = fa.solve(sc)
    split = res.by_population.set_index(["measure", "population"])["beneficiaries"]
    assert split[("post", "zem")] <= 5 + 1e-9


def test_population_mistakes_are_named():
    with pytest.raises(fa.ScenarioError) as err:
        one_county(measures={"post": {"unit_cost": 0.2, "from": ["zme"]}})
    assert "`measures.post.from`: no population named `zme`; did you mean `zem`?" in str(err.value)
    with pytest.raises(fa.ScenarioError) as err:
        one_county(populations={"a": {"column": "zem", "within": "b"}, "b": {"column": "zem", "within": "a"}})
    assert "in a circle" in str(err.value)
    with pytest.raises(fa.ScenarioError) as err:
        one_county(coverage_population="nobody")
    assert "`rules.zero_employment.population`: no population named `nobody`" in str(err.value)


def test_populations_give_the_same_answer_on_both_backends():
    sc = one_county()
    assert fa.solve(sc, backend="pulp").objective == pytest.approx(fa.solve(sc).objective, rel=1e-7)


# ------------------------------------------------------------------------------------------ entitlements
def test_an_entitlement_is_funded_and_priced():
    sc = one_county(coverage_population=None, measures={
        "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs", "from": ["unemployed"]},
        "post": {"label": "公益岗", "unit_cost": 0.2, "capacity": "posts", "from": ["unemployed"], "demand": "claims"}})
    res = fa.solve(sc)
    # 20 posts (4 万元) must be funded; the remaining 1.5 万元 buys 30 exports: 20 + 15 = 35
    assert res.objective == pytest.approx(35.0)
    assert res.allocation.set_index("measure").loc["post", "beneficiaries"] == pytest.approx(20.0)
    # one more claim: 0.2 万元 from 4 exports (−2) for one more post (+1)
    assert res.shadow_prices["entitlement.post"] == pytest.approx(-1.0)


@pytest.mark.parametrize("lang, words", [
    ("en", ["the budget cannot cover the entitlements",
            "entitlement of 公益岗: would need 1 万元 more (5 expected claims unfunded across 1 counties)"]),
    ("zh", ["预算不足以保障按规定应享的补贴", "公益岗按规定应享补贴：还需1万元（1个县共5人次预计申领无资金保障）"]),
])
def test_a_budget_short_of_the_entitlements_says_so(lang, words):
    sc = one_county(coverage_population=None, budget={"total": 3}, language=lang, measures={
        "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs"},
        "post": {"label": "公益岗", "unit_cost": 0.2, "capacity": "posts", "demand": "claims"}})
    with pytest.raises(fa.InfeasibleError) as err:
        fa.solve(sc)
    for text in words:
        assert text in str(err.value)
    entitlement = next(c for c in err.value.conflicts if c.rule == "entitlement.post")
    assert entitlement.shortfall == pytest.approx(5.0) and entitlement.money == pytest.approx(1.0)


def test_demand_as_column_times_factor():
    sc = one_county(coverage_population=None, measures={
        "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs"},
        "post": {"unit_cost": 0.2, "capacity": "posts", "demand": {"column": "claims", "factor": 0.5}}})
    assert fa.solve(sc).allocation.set_index("measure").loc["post", "beneficiaries"] == pytest.approx(10.0)


# ---------------------------------------------------------------------------- comparable outcomes
def test_full_time_equivalents_weigh_the_objective_not_the_coverage():
    # posts at a quarter of a full-time job: 5 persons per 万元 count 1.25, exports 10 × 0.5 = 5: all exports
    sc = one_county(coverage_population=None, budget={"total": 5}, measures={
        "export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs"},
        "post": {"unit_cost": 0.2, "capacity": "posts", "full_time_equivalent": 0.25}})
    res = fa.solve(sc)
    assert res.objective == pytest.approx(50.0)
    assert res.allocation.set_index("measure").loc["post", "beneficiaries"] == pytest.approx(0.0)
    # 6 万元: the 100 export places take 5, 1 万元 buys 5 posts: 5 persons employed, 1.25 full-time jobs
    res = fa.solve(sc.with_changes({"budget.total": 6}))
    post = res.allocation.set_index("measure").loc["post"]
    assert (post["outcome"], post["outcome_fte"]) == pytest.approx((5.0, 1.25))
    assert res.objective == pytest.approx(51.25) == float(res.allocation["outcome_fte"].sum())
    # coverage counts persons: 55 persons employed is exactly what 6 万元 can do (50 + 5)
    assert fa.solve(sc.with_changes({"budget.total": 6, "rules.zero_employment.factor": 55 / 8})).objective == \
        pytest.approx(51.25)


def test_effectiveness_and_hours_may_be_columns(tmp_path):
    units = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "net": [0.5, 0.8], "jobs": [10, 10],
                          "hours": [480, 960], "wage": [16, 16]})
    sc = fa.Scenario(units=units, budget={"total": 100},
                     measures={"m": {"unit_cost": 1, "effectiveness": "net", "capacity": "jobs"}})
    assert fa.solve(sc).objective == pytest.approx(13.0)
    (tmp_path / "u.csv").write_text(units.to_csv(index=False))
    (tmp_path / "s.yaml").write_text(
        "units: {file: u.csv}\nbudget: {total: 100}\nmoney_unit: 元\nmeasures:\n"
        "  post: {unit_cost: {product: [wage, 480]}, hours: hours, hourly_wage: wage, capacity: jobs}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_scenario(tmp_path / "s.yaml")
    messages = [str(w.message) for w in caught if issubclass(w.category, PolicyWarning)]
    assert len(messages) == 1 and "in 1 of 2 units" in messages[0] and "b B (8.00 元 per hour" in messages[0]


def test_a_measure_drawing_from_two_populations_enters_once():
    from fundalloc.sensitivity import entry_thresholds

    units = pd.DataFrame({"id": ["a"], "name": ["A"], "stay": [50], "move": [50], "jobs": [60]})
    sc = fa.Scenario(units=units, budget={"total": 5}, populations={"stay": "stay", "move": "move"},
                     measures={"workshop": {"unit_cost": 0.1, "capacity": "jobs", "from": ["stay", "move"]},
                               "training": {"unit_cost": 0.1, "effectiveness": 0.5, "from": ["stay", "move"]}})
    # 5 万元 buy 50 of the 60 workshop places (10 persons per 万元); training employs half as many: it enters at half
    # the cost, one row for the county whatever population it would draw from
    table = entry_thresholds(fa.solve(sc))
    assert table[["unit_id", "measure"]].values.tolist() == [["a", "training"]]
    assert table["cost_cut_to_enter"].tolist() == pytest.approx([0.5])


# ----------------------------------------------------------------------------------- reference tilts
TWO = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "poor": [60, 40], "last": [30, 50], "deep": [1, 0],
                    "jobs": [1000, 1000]})


def two_counties(**changes) -> fa.Scenario:
    # b's places employ more (1 vs 0.5 per 0.1 万元), so the optimiser sends everything to b
    data = dict(units=TWO, budget={"total": 100}, groups={"deep": {"column": "deep"}},
                measures={"m": {"unit_cost": "1000 元", "effectiveness": "eff", "capacity": "jobs"}},
                baseline={"factors": {"poor": 1}})
    data["units"] = TWO.assign(eff=[0.5, 1.0])
    data.update(changes)
    return fa.Scenario(**data)


def test_group_share_at_least_the_factor_formulas_share():
    sc = two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": "baseline"}])
    assert formula_amounts(sc).tolist() == pytest.approx([60.0, 40.0])
    res = fa.solve(sc)
    assert res.units["amount"].tolist() == pytest.approx([60.0, 40.0])
    # each 万元 moved to a loses 10 − 5 = 5 persons
    assert res.shadow_prices["tilt"] == pytest.approx(-5.0)


def test_group_share_at_least_last_years_share_plus_points():
    sc = two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": "last", "plus": 0.05}])
    assert fa.solve(sc).units["amount"].tolist() == pytest.approx([42.5, 57.5])  # 30/80 + 5 points = 42.5 %
    with pytest.raises(fa.ScenarioError, match="`plus` adds points to a reference share"):
        two_counties(rules=[{"type": "group_share", "group": "deep", "min": 0.4, "plus": 0.05}])
    with pytest.raises(fa.ScenarioError, match="give the scenario a `baseline:` section"):
        two_counties(baseline=None, rules=[{"type": "group_share", "group": "deep", "min": "baseline"}])


def test_group_share_at_least_the_larger_of_the_formula_and_last_year():
    # the formula gives a 60 %, last year 30/80 = 37.5 %: the larger, 60 %, is the floor
    sc = two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": ["baseline", "last"]}])
    assert fa.solve(sc).units["amount"].tolist() == pytest.approx([60.0, 40.0])
    # a formula leaning less (poor 20 : 80, so 20 %): last year's 37.5 % is the larger
    leaner = sc.with_changes({"units.poor": [20, 80]})
    assert fa.solve(leaner).units["amount"].tolist() == pytest.approx([37.5, 62.5])
    # `plus` adds to each reference; a number is a term like the others
    assert fa.solve(leaner.with_changes({"rules.tilt.plus": 0.05})).units["amount"].tolist() == \
        pytest.approx([42.5, 57.5])
    assert fa.solve(leaner.with_changes({"rules.tilt.min": [0.45, "last"]})).units["amount"].tolist() == \
        pytest.approx([45.0, 55.0])


def test_the_larger_of_two_references_in_words_and_re_solved():
    from fundalloc.sensitivity import explain, rule_prices
    from fundalloc.sensitivity.words import rule_words

    sc = two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": ["baseline", "last"]}]
                      ).with_changes({"units.poor": [20, 80]})
    assert rule_words(sc, sc.rules[0]) == ("at least the larger of the factor formula's share (20.0%) and the share "
                                           "of `last` (37.5%): 37.5% of the money to `deep`")
    zh = sc.with_changes({"language": "zh"})
    assert rule_words(zh, zh.rules[0]) == "`deep`所得资金不低于因素法测算的份额（20.0%）与按`last`计算的份额（37.5%）中的较高者，即37.5%"
    # each 万元 moved to a loses 5 persons; ten points are 10 万元: 50, re-solved
    sentence = explain(fa.solve(sc))[1]
    assert "costs 50 weighted persons employed per 10 points (min 37.5% → 27.5%, re-solved)" in sentence
    assert rule_prices(sc).set_index("rule").loc["tilt", "price_of_step"] == pytest.approx(50.0)


@pytest.mark.parametrize("bad, message", [
    ([], "give at least one share or reference"),
    ([1.2, "last"], "a share is between 0 and 1, not 1.2"),
    (["baseline", "nope"], "the units table has no column `nope`"),
    (["last", 0.6], r"`min` \(0.6\) is above `max` \(0.5\)"),
])
def test_a_list_of_shares_is_checked(bad, message):
    with pytest.raises(fa.ScenarioError, match=message):
        two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": bad, "max": 0.5}])


def test_hold_harmless_holds_when_the_budget_grows_and_scales_when_it_falls():
    rule = {"type": "hold_harmless", "name": "no_cut", "column": "last", "where": "deep", "if_budget_falls": "scale"}
    assert fa.solve(two_counties(rules=[rule])).units["amount"].tolist() == pytest.approx([30.0, 70.0])
    # 40 万元 is half of last year's 80: a's floor is half of 30
    assert fa.solve(two_counties(rules=[rule], budget={"total": 40})).units["amount"].tolist() == \
        pytest.approx([15.0, 25.0])
    held = {**rule, "if_budget_falls": "hold"}
    assert fa.solve(two_counties(rules=[held], budget={"total": 40})).units["amount"].tolist() == \
        pytest.approx([30.0, 10.0])


def test_per_capita_tilt_against_a_named_population():
    sc = two_counties(populations={"poor": "poor"}, rules=[
        {"type": "per_capita_tilt", "name": "per_head", "group": "deep", "population": "poor", "ratio": 1.1}])
    amounts = fa.solve(sc).units["amount"].to_numpy()
    # a / 60 ≥ 1.1 · b / 40 and a + b = 100 → a = 62.264…
    assert amounts[0] / 60 == pytest.approx(1.1 * amounts[1] / 40)
    assert amounts[0] == pytest.approx(100 * 66 / 106)


def test_the_headline_gives_the_tilted_groups_share_beside_the_job_gain():
    sc = two_counties(rules=[{"type": "group_share", "name": "tilt", "group": "deep", "min": 0.5}])
    cmp = fa.compare({"factor": fa.factor_allocation(sc), "optimised": fa.solve(sc)})
    assert "`deep` gets 50.0% (formula 60.0%)" in cmp.headline()
    zh = fa.compare({"factor": fa.factor_allocation(sc.with_changes({"language": "zh"})),
                     "optimised": fa.solve(sc.with_changes({"language": "zh"}))})
    assert "`deep`所得份额50.0%（因素法60.0%）" in zh.headline()


# ------------------------------------------------------------------------------------- the 164号 form
def test_factor_classes_split_their_weight_over_their_factors():
    units = TWO.assign(spend=[10, 30], done=[0.9, 0.6])
    sc = fa.Scenario(units=units, budget={"total": 100}, measures={"m": {"unit_cost": 1, "capacity": "jobs"}},
                     baseline={"classes": {
                         "basic": {"label": "基础因素", "weight": 0.6, "factors": {"poor": 1}},
                         "input": {"label": "投入因素", "weight": 0.2, "factors": {"spend": 1}},
                         "results": {"label": "绩效因素", "weight": 0.2, "factors": {"done": 1}}}})
    # a: 0.6·0.6 + 0.2·0.25 + 0.2·0.6 = 0.53
    assert formula_amounts(sc).tolist() == pytest.approx([53.0, 47.0])
    fb = fa.factor_allocation(sc)
    assert "基础因素 0.6" in fb.summary()


def test_base_times_coefficient():
    sc = two_counties(baseline={"factors": {"poor": 1}, "base": "last"})
    # index k = 1.2, 0.8 (poor 60, 40 against the mean 50); base × k = 36, 40 → shares 36/76, 40/76
    assert formula_amounts(sc).tolist() == pytest.approx([100 * 36 / 76, 100 * 40 / 76])
    with pytest.raises(fa.ScenarioError, match="give `factors` or `classes`"):
        two_counties(baseline={"factors": {"poor": 1}, "classes": {"x": {"weight": 1, "factors": {"poor": 1}}}})


def test_a_lean_written_into_the_formula():
    units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "poor": [20, 40, 40],
                          "deep": [1, 0, 0], "moved": [1, 1, 0], "last": [10, 30, 60]})
    def formula(**baseline):
        return formula_amounts(fa.Scenario(units=units, budget={"total": 100}, measures={"m": {"unit_cost": 1}},
                                           groups={"deep": {"column": "deep"}, "moved": {"column": "moved"}},
                                           baseline={"factors": {"poor": 1}, **baseline}))
    assert formula().tolist() == pytest.approx([20.0, 40.0, 40.0])
    # a's share doubled: 40 : 40 : 40 of 120
    assert formula(tilt={"deep": 2}).tolist() == pytest.approx([100 / 3] * 3)
    # a unit in two leaned groups takes the larger coefficient: a 2, b 1.5 → 40 : 60 : 40 of 140
    assert formula(tilt={"deep": 2, "moved": 1.5}).tolist() == pytest.approx([100 * 40 / 140, 100 * 60 / 140,
                                                                            100 * 40 / 140])
    # the lean comes before the hold-harmless floor: c keeps 0.9 × 60 = 54, a and b share 46 as 40 : 60
    assert formula(tilt={"deep": 2, "moved": 1.5}, hold_harmless={"column": "last", "min_ratio": 0.9}).tolist() == \
        pytest.approx([18.4, 27.6, 54.0])
    # base × coefficient: base 10, 30, 60 × index 0.6, 1.2, 1.2 = 6, 36, 72; a doubled → 12 : 36 : 72 of 120
    assert formula(tilt={"deep": 2}, base="last").tolist() == pytest.approx([10.0, 30.0, 60.0])
    with pytest.raises(fa.ScenarioError, match="no group named `dep`"):
        formula(tilt={"dep": 2})
    with pytest.raises(fa.ScenarioError, match="must be more than 0, not 0"):
        formula(tilt={"deep": 0})


# ------------------------------------------------------------------------------------------ properties
@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(5, 60), st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=4),
       st.floats(1, 30))
def test_counting_coverage_over_a_sub_population_never_gains(rows, budget):
    """A coverage over the households' own members is at least as strict as one over everyone employed, and
    by_population always adds up to the allocation."""
    units = pd.DataFrame({"id": [f"u{i}" for i in range(len(rows))], "name": "x",
                          "unemployed": [r[0] for r in rows], "zem": [r[1] * 2 for r in rows],
                          "households": [r[2] for r in rows], "jobs": [r[0] for r in rows]})
    units["households"] = np.minimum(units["households"], units["zem"])
    common = dict(units=units, budget={"total": budget},
                  populations={"unemployed": "unemployed", "zem": {"column": "zem", "within": "unemployed"}},
                  measures={"export": {"unit_cost": 0.05, "effectiveness": 0.5, "capacity": "jobs",
                                       "from": ["unemployed", "zem"]},
                            "post": {"unit_cost": 0.2, "capacity": "jobs", "from": ["unemployed", "zem"]}})
    def solve(population):
        rule = {"type": "coverage", "column": "households", **({"population": population} if population else {})}
        try:
            return fa.solve(fa.Scenario(**common, rules=[rule]))
        except fa.InfeasibleError:
            return None
    strict, loose = solve("zem"), solve(None)
    if strict is not None:
        assert loose is not None and strict.objective <= loose.objective + 1e-7 * (1 + abs(loose.objective))
        summed = strict.by_population.groupby(["unit_id", "measure"])["amount"].sum().sort_index()
        assert summed.to_numpy() == pytest.approx(
            strict.allocation.set_index(["unit_id", "measure"])["amount"].sort_index().to_numpy(), abs=1e-9)
