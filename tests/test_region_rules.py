"""Rules stated per region (issue 9 item 6): each region's share of the money (`region_share`), and a share rule
held within each region separately (`per_region: true` on `group_share` and `earmark`). Hand-worked on four
counties in two cities.

张家口市 (甲县, 乙县) places a person for 1,000 元 at effectiveness 0.5; 承德市 (丙县, 丁县) at 1.0. So a 万元 buys 5
persons employed in 张家口市 and 10 in 承德市, and the optimiser, left alone, sends everything to 承德市.
"""
import numpy as np
import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.report import price_sentences
from fundalloc.rules import share_pieces
from fundalloc.rulestate import slack_sentences
from fundalloc.sensitivity import explain, rule_prices

UNITS = pd.DataFrame({"id": list("abcd"), "name": ["甲县", "乙县", "丙县", "丁县"],
                      "city": ["张家口市", "张家口市", "承德市", "承德市"], "last": [10, 30, 20, 40],
                      "jobs": [1000] * 4, "eff": [0.5, 0.5, 1.0, 1.0], "deep": [1, 0, 1, 0], "poor": [30, 10, 20, 40]})


def four(*rules, **changes) -> fa.Scenario:
    data = dict(units=UNITS, region="city", budget={"total": 100}, groups={"deep": {"column": "deep"}},
                measures={"m": {"unit_cost": "1000 元", "effectiveness": "eff", "capacity": "jobs"}},
                rules=list(rules), baseline={"factors": {"poor": 1}})
    data.update(changes)
    return fa.Scenario(**data)


def by_city(res) -> list[float]:
    amounts = res.units["amount"].to_numpy()
    return [amounts[:2].sum(), amounts[2:].sum()]


def test_each_regions_share_at_least_a_number():
    # 张家口市 is held at 30 % (30 万元), the rest goes to 承德市; each 万元 held in 张家口市 loses 10 − 5 = 5
    res = fa.solve(four({"type": "region_share", "name": "cities", "min": 0.3}))
    assert by_city(res) == pytest.approx([30.0, 70.0])
    assert res.objective == pytest.approx(30 * 5 + 70 * 10)
    assert res.shadow_prices["cities"] == pytest.approx(-5.0)
    assert res.shadow_prices["budget"] == pytest.approx(0.3 * 5 + 0.7 * 10)
    assert dict(price_sentences(res))["cities"] == (
        "1 万元 more to every region than the minimum share of `cities`: −5 weighted jobs (at its floor in 1 of 2 "
        "regions)")
    # ten points less: 张家口市 at 20 %, 10 万元 moved at 5 each
    prices = rule_prices(res.scenario).set_index("rule").loc["cities"]
    assert (prices["relaxed"], prices["price_of_step"]) == ("min 30% → 20%", pytest.approx(50.0))
    sentence = next(s for s in explain(res) if "`cities`" in s)
    assert "costs 50 weighted persons employed per 10 points" in sentence and "most in 张家口市" in sentence


def test_each_regions_share_at_least_its_reference():
    # last year: 张家口市 40 of 100; 10 points less is 30 %. The factor formula (poor: 40 of 100) says the same.
    for reference in ("last", "baseline", ["baseline", "last"]):
        rule = {"type": "region_share", "name": "cities", "min": reference, "plus": -0.1}
        sc = four(rule)
        assert [p.level for p in share_pieces(sc, sc.rules[0], {})] == pytest.approx([0.3, 0.5])
        assert by_city(fa.solve(sc)) == pytest.approx([30.0, 70.0])
    sc = four({"type": "region_share", "name": "cities", "min": "last"})
    assert by_city(fa.solve(sc)) == pytest.approx([40.0, 60.0])  # both cities at their reference shares
    # a reference share per region is loosened by lowering every term, by ten points
    prices = rule_prices(sc).set_index("rule").loc["cities"]
    assert (prices["relaxed"], prices["price_of_step"]) == ("min −10 points", pytest.approx(50.0))


def test_a_share_rule_within_each_region():
    # in each city the deep-poverty county gets at least 40 % of the city's money
    res = fa.solve(four({"type": "group_share", "name": "tilt", "group": "deep", "min": 0.4, "per_region": True},
                        {"type": "region_share", "name": "cities", "min": 0.3}))
    amounts = res.units["amount"].to_numpy()
    assert by_city(res) == pytest.approx([30.0, 70.0]) and res.objective == pytest.approx(850.0)
    assert amounts[0] >= 0.4 * 30 - 1e-9 and amounts[2] >= 0.4 * 70 - 1e-9
    # the deep counties are as good as the others within a city: the tilt costs nothing
    assert res.shadow_prices["tilt"] == pytest.approx(0.0)
    # where it is worse (甲县 half as good as 乙县), it costs in 张家口市 alone: each 万元 to 甲县 loses 2.5
    worse = fa.solve(res.scenario.with_changes({"units.eff": [0.25, 0.5, 1.0, 1.0]}))
    assert worse.units["amount"].to_numpy()[0] == pytest.approx(12.0)
    assert worse.rule_duals("tilt").tolist() == pytest.approx([-2.5, 0.0])
    # a per-region reference is the group's share of the region's reference: 10/40 and 20/60
    sc = four({"type": "group_share", "name": "tilt", "group": "deep", "min": "last", "per_region": True})
    assert [(p.region, p.level) for p in share_pieces(sc, sc.rules[0], sc_masks(sc))] == \
        [("张家口市", pytest.approx(0.25)), ("承德市", pytest.approx(1 / 3))]
    ranging = fa.solve(sc).ranging
    assert {"tilt.min.张家口市", "tilt.min.承德市"} <= set(ranging["rule"])


def sc_masks(sc):
    from fundalloc.groups import group_masks
    return group_masks(sc)


def test_an_earmark_within_each_region():
    # posts (1,000 元, effectiveness 1) and a cheaper, weaker workshop place (500 元, 0.4): posts are worth 10 a
    # 万元, workshops 8. At most half of each city's money on posts.
    units = UNITS.assign(eff=1.0)
    sc = four({"type": "earmark", "name": "posts_cap", "measures": ["post"], "max": 0.5, "per_region": True},
              {"type": "region_share", "name": "cities", "min": 0.3},
              units=units, measures={"post": {"unit_cost": "1000 元", "capacity": "jobs"},
                                     "workshop": {"unit_cost": "500 元", "effectiveness": 0.4, "capacity": "jobs"}})
    res = fa.solve(sc)
    money = res.allocation.pivot_table(index="unit_id", columns="measure", values="amount", aggfunc="sum")
    for city in (["a", "b"], ["c", "d"]):
        assert money.loc[city, "post"].sum() == pytest.approx(0.5 * money.loc[city].to_numpy().sum())
    assert res.objective == pytest.approx(50 * 10 + 50 * 8)
    # 1 万元 more of posts in every city, 1 万元 less of workshops: 10 − 8 = +2 each, two cities
    assert res.shadow_prices["posts_cap"] == pytest.approx(4.0)


def test_a_region_rule_with_slack_names_the_closest_region():
    res = fa.solve(four({"type": "region_share", "name": "cities", "min": 0.3},
                        {"type": "region_share", "name": "loose", "max": 0.9}))
    assert dict(slack_sentences(res))["loose"] == (
        "`loose` does not bind: closest to its limit is 承德市, with 70.0% of the money; it allows at most 90%")
    zh = fa.solve(res.scenario.with_changes({"language": "zh"}))
    assert dict(slack_sentences(zh))["loose"] == "`loose`未起约束作用：最接近限值的是承德市：获得资金的70.0%，上限为90%"


def test_the_factor_formula_is_checked_region_by_region():
    # the formula (poor) gives 张家口市 40 %: short of 45 % by 5 万元
    fb = fa.factor_allocation(four({"type": "region_share", "name": "cities", "min": 0.45}))
    row = fb.broken_rules.set_index("rule").loc["cities"]
    assert row["shortfall"] == pytest.approx(5.0) and row["points"] == pytest.approx(5.0)
    assert row["detail"].startswith("张家口市 gets 40.00 % of the money, min 45 %") and "1 of 2 regions" in row["detail"]


@pytest.mark.parametrize("rule, key", [
    ({"type": "region_share", "min": 0.3}, "type"),
    ({"type": "group_share", "group": "deep", "min": 0.3, "per_region": True}, "per_region"),
])
def test_a_region_rule_needs_the_regions(rule, key):
    with pytest.raises(fa.ScenarioError, match=rf"`rules\.\w+\.{key}`: .* needs the units' regions"):
        four(rule, region=None)


def test_the_decomposition_solves_region_rules_populations_and_entitlements_exactly():
    """The decomposition works on the blocks' own form: region rows are coupling rows, populations and
    entitlements per-unit rows. Its answer is the full LP's."""
    units = UNITS.assign(stay=[40, 40, 40, 40], move=[30, 30, 30, 30], claims=[5, 5, 5, 5])
    sc = four({"type": "region_share", "name": "cities", "min": 0.3},
              {"type": "group_share", "name": "tilt", "group": "deep", "min": 0.4, "per_region": True},
              units=units, populations={"stay": "stay", "move": "move"},
              measures={"m": {"unit_cost": "1000 元", "effectiveness": "eff", "capacity": "jobs",
                              "from": ["stay", "move"], "demand": "claims"},
                        "post": {"unit_cost": "2000 元", "capacity": "jobs", "from": ["stay"]}})
    full = fa.solve(sc)
    split = fa.solve(sc.with_changes({"solver.method": "decomposition"}))
    assert split.objective == pytest.approx(full.objective, rel=1e-9)
    np.testing.assert_allclose(split.units["amount"], full.units["amount"], rtol=1e-6, atol=1e-6)
    assert not split.solution.extra["decomposition"].fallback


#: the scope of the rows fundalloc adds by itself, as rules.py's docstring declares them
AUTOMATIC = {"budget": "coupling", "entitlement": "per_unit", "capacity": "per_unit", "population": "per_unit"}


def test_every_block_states_the_rows_its_scope_declares():
    """What the decomposition builds on: per-unit blocks have one unit's columns per row and no auxiliary
    column, coupling blocks run over the units, linking rules add an auxiliary column."""
    from fundalloc.rules import RULES

    units = UNITS.assign(stay=[40] * 4, move=[30] * 4, claims=[5] * 4, heads=[100, 200, 300, 400])
    sc = four({"type": "region_share", "name": "cities", "min": 0.3},
              {"type": "group_share", "name": "tilt", "group": "deep", "min": "last", "per_region": True},
              {"type": "earmark", "name": "floor", "measures": ["m"], "min": 0.5, "per_region": True},
              {"type": "group_share", "name": "plain", "group": "deep", "min": [0.1, "baseline"]},
              {"type": "per_capita_tilt", "name": "per_head", "group": "deep", "population": "heads", "ratio": 0.5},
              {"type": "pool", "name": "once", "column": "jobs"},
              {"type": "coverage", "name": "cover", "column": "claims", "factor": 0.1},
              {"type": "hold_harmless", "column": "last", "min_ratio": 0.1},
              {"type": "unit_bounds", "name": "ceiling", "max": 90},
              {"type": "min_coverage_rate", "name": "fair", "column": "claims", "rate": 0.1},
              units=units, populations={"stay": "stay", "move": "move"},
              measures={"m": {"unit_cost": "1000 元", "effectiveness": "eff", "capacity": "jobs",
                              "from": ["stay", "move"], "demand": "claims"}})
    assert {r.type for r in sc.rules} == set(RULES)  # every rule type
    program = fa.build(sc)
    seen = set()
    for block in program.block_info.values():
        scope = RULES[block.kind].scope if block.kind in RULES else AUTOMATIC[block.kind.split(".")[0]]
        seen.add(block.kind)
        if scope == "per_unit":
            assert block.units is not None and not block.aux, block.name
        elif scope == "coupling":
            assert block.units is None and not block.aux, block.name
        else:  # linking: per-unit rows on an auxiliary column, and the coupling row defining it
            assert block.aux, block.name
    assert {"budget", "entitlement", "capacity", "population"} <= seen
    full = fa.solve(sc)
    split = fa.solve(sc.with_changes({"solver.method": "decomposition"}))
    assert split.objective == pytest.approx(full.objective, rel=1e-9)
