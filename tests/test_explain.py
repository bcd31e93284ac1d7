"""Explanations that hold: every finite change they quote is a re-solve, shadow prices appear only as rates,
accounting identities are not priced as policy, rules with slack are named with their margin, and "at its limit"
is counted the same way in the summary, the report, the explanations and units.csv. In English and in Chinese.

The three counties of examples/minimal (its header gives the optimum): 甲县 116 万元, 乙县 94, 丙县 80; budget
0.8 per 万元, tilt −1/12 per 万元 sent to 甲县. So a 万元 in 甲县 costs 0.8 − 0.6/12 = 0.75 and a 万元 elsewhere
0.8 + 0.4/12 = 1/1.2.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from test_properties import SETTINGS, scenarios, solved

import fundalloc as fa
from fundalloc.rulestate import limits, slack_sentences
from fundalloc.numbers import fmt
from fundalloc.report import price_sentences, render
from fundalloc.sensitivity import explain, rule_prices, run_sensitivity
from fundalloc.sensitivity.prices import improvement

MINIMAL = Path(__file__).resolve().parents[1] / "examples" / "minimal" / "scenario.yaml"


@pytest.fixture(scope="module")
def minimal() -> fa.Result:
    return fa.solve(fa.load_scenario(MINIMAL))


def sentence_about(sentences, rule: str) -> str:
    (found,) = [s for s in sentences if f"`{rule}`" in s or s.startswith(f"{rule} ")]
    return found


# ------------------------------------------------------------------------------- quoted figures hold
def check_quotes(res: fa.Result) -> int:
    """Re-solve every finite change the explanations quote, from scratch; return how many there were."""
    sc = res.scenario
    checked = 0
    for sentence in explain(res):
        for quote in sentence.quotes:
            again = fa.solve(sc.with_changes(quote.changes))
            gained = improvement(res.program, again.objective - res.objective)
            assert quote.gain == pytest.approx(gained, rel=1e-6, abs=1e-6 * max(1.0, abs(res.objective))), sentence
            assert fmt(abs(quote.gain)) in sentence, sentence  # the figure printed is the figure re-solved
            checked += 1
    return checked


@SETTINGS
@given(scenarios())
def test_every_finite_change_an_explanation_quotes_is_what_a_re_solve_gives(spec):
    res = solved(spec)
    quotes = check_quotes(res)
    if abs(res.shadow_prices["budget"]) > 1e-9:  # no spend_all here: 1 % more budget always has an optimum
        assert quotes >= 1


def test_the_minimal_example_quotes_re_solved_steps_and_rates_with_their_interval(minimal):
    assert check_quotes(minimal) == 3  # the budget, zero_employment and the tilt
    lines = explain(minimal)
    assert lines[0] == ("One more 万元 of budget would add 0.8 weighted persons employed, a rate that holds at least "
                        "for budgets from 266.7 to 450 万元. Re-solved, 1 % more budget (2.9 万元) would add 2.32 "
                        "weighted persons employed.")
    tilt = sentence_about(lines, "tilt")
    # ten points less is 29 万元 that no longer must go to 甲县: 29 × 1/12 = 2.4167, inside the 27.6–44.8 % range
    assert "costs 2.42 weighted persons employed per 10 points (min 40% → 30%, re-solved)" in tilt
    assert "would lose 0.0833 weighted persons employed, a rate that holds at least for shares from 27.6% to 44.8%" \
        in tilt
    (quote,) = tilt.quotes
    assert quote.gain == pytest.approx(29 / 12)


def test_a_step_past_the_rate_s_interval_quotes_the_re_solve_not_the_rate():
    # 20 points less (40 % → 20 %) goes past the tilt's interval (27.6–44.8 %): at the margin 58 万元 × 1/12 = 4.83,
    # but 甲县 cannot fall below its hold-harmless floor of 80 万元, so only 36 万元 move: 3, as without the tilt
    res = fa.solve(fa.load_scenario(MINIMAL))
    tilt = sentence_about(explain(res, step=0.2), "tilt")
    assert "costs 3 weighted persons employed per 20 points (min 40% → 20%, re-solved)" in tilt
    assert "4.83" not in tilt
    assert rule_prices(res.scenario, step=0.2).set_index("rule").loc["tilt", "estimate_of_step"] == \
        pytest.approx(58 / 12)


# ----------------------------------------------------------------------------------------- identities
def test_a_head_count_pool_is_an_identity_worth_a_person_where_it_is_full_and_has_no_policy_price(minimal):
    sc = minimal.scenario
    assert sc.rule("one_person_one_measure").is_identity  # factor 1, no `identity:` given
    # 甲县: one more person is one more export place instead of nothing: 1.5 × 0.5 − 0.2 × 0.75 = 0.6 (a post
    # is worth the same: 1.5 − 1.2 × 0.75). 丙县: its 80 jobs hold, so a person more is two export places instead
    # of one post: 2 × (0.5 − 0.2/1.2) − 0 = 2/3. 乙县's pool is not full (170 of 250).
    shadow = minimal.units["shadow.one_person_one_measure"]
    assert shadow.to_dict() == pytest.approx({"A": 0.6, "B": 0.0, "C": 2 / 3})
    text = dict(price_sentences(minimal))["one_person_one_measure"]
    assert text == ("`one_person_one_measure` is an accounting identity (each person in `unemployed_poor_labour` is "
                    "funded once), not a policy with a price: where the pool is full, one more eligible person is "
                    "worth from +0.6 to +0.667 weighted jobs, most in 丙县 (+0.667), 甲县 (+0.6); at its ceiling in 2 "
                    "of 3 counties")
    for words in (text, sentence_about(explain(minimal), "one_person_one_measure")):
        assert "costs" not in words and "loosening" not in words
    row = rule_prices(sc).set_index("rule").loc["one_person_one_measure"]
    assert row["identity"] and row["shadow_price"] == pytest.approx(0.6 + 2 / 3)
    assert np.isnan(row[["price", "price_of_step", "estimate_of_step"]].to_numpy(dtype=float)).all()


def test_a_pool_declared_a_policy_is_priced_like_any_rule():
    base = fa.load_scenario(MINIMAL)
    data = base.to_dict()
    data["rules"][0] = {**data["rules"][0], "identity": False}
    sc = fa.Scenario(**data, units=base.units)
    row = rule_prices(sc).set_index("rule").loc["one_person_one_measure"]
    # 10 % more people: 20 more in 甲县 at 0.6 and 10 more in 丙县 at 2/3, inside both counties' ranges
    assert not row["identity"] and row["price_of_step"] == pytest.approx(20 * 0.6 + 10 * 2 / 3)
    line = sentence_about(explain(fa.solve(sc)), "one_person_one_measure")
    assert "costs 18.7 weighted persons employed per 10% loosening (factor 1 → 1.1, re-solved)" in line
    assert not fa.load_scenario(MINIMAL).with_changes({"rules.one_person_one_measure.factor": 0.5}) \
        .rule("one_person_one_measure").is_identity  # a share of the column is a cap someone chose


def test_the_report_chart_and_table_leave_identities_out(minimal):
    sc = fa.Scenario(**minimal.scenario.to_dict(), units=minimal.scenario.units, sensitivity={"rule_prices": True})
    report = run_sensitivity(sc, fa.solve(sc), progress=False)
    chart = report.charts()["rule_prices"].svg
    assert "zero_employment" in chart and "one_person_one_measure" not in chart
    section = report.html()
    table = section[section.index("What each policy rule costs"):]
    assert "one_person_one_measure" not in table.split("</table>")[0]
    assert "estimate_of_step" not in section


# ------------------------------------------------------------------------------------ rules with slack
def test_a_rule_with_slack_everywhere_is_named_with_its_margin_in_summary_explanations_and_report(minimal):
    # hold_harmless asks 80 % of last year: 80, 80 and 40 万元; the counties get 116, 94 and 80. The closest is
    # 乙县: 94 / 80 = 1.175, exactly between 1.17 and 1.18: the last bit of 94 (93.99999999999999 or 94.0, by
    # the tie-break's rounding) decides which
    [(name, expected)] = slack_sentences(minimal)
    assert name == "hold_harmless" and expected in (
        f"`hold_harmless` does not bind anywhere: in every county the money is at least {r} times what it requires"
        for r in ("1.17", "1.18"))
    assert f"  rules that do not bind\n  - {expected}" in minimal.summary()
    assert f"{expected}." in explain(minimal)
    page = render(minimal)
    assert "<h3>Rules that do not bind</h3>" in page and expected in page
    assert "hold_harmless" not in minimal.binding_rules


def test_slack_is_measured_for_every_kind_of_rule():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 100], "people": [400, 500],
                          "poor": [1, 0], "pop": [10, 20]})
    sc = fa.Scenario(units=units, budget={"total": 10}, groups={"poor": {"column": "poor"}}, weights={"poor": 2},
                     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                     rules=[{"type": "pool", "name": "cap", "column": "people", "factor": 0.5},
                            {"type": "group_share", "name": "tilt", "group": "poor", "min": 0.2},
                            {"type": "per_capita_tilt", "name": "per_head", "group": "poor", "population": "pop",
                             "ratio": 1.0},
                            {"type": "unit_bounds", "name": "bounds", "min": 1, "max": 100}])
    res = fa.solve(sc)  # 甲县 fills its 100 places (10 万元 buys 200 weighted jobs), 乙县 gets nothing … but
    # its 1 万元 floor: 甲县 9 万元 (90 places), 乙县 1 万元
    assert res.units["amount"].to_dict() == pytest.approx({"a": 9, "b": 1})
    words = dict(slack_sentences(res))
    assert words["cap"] == ("`cap` does not bind anywhere: in every county the persons funded are at most 45% of what "
                            "it allows")  # 90 of 200 in 甲县, 10 of 250 in 乙县
    assert words["tilt"] == ("`tilt` does not bind: the counties of `poor` get 90.0% of the money; it asks at least "
                             "20%")
    # 甲县 0.9 万元 a head against 乙县's 0.05: 18 times
    assert words["per_head"] == ("`per_head` does not bind anywhere: in every county of `poor` the money per head is "
                                 "at least 18 times the others' (it asks 1 times)")
    assert "bounds" in res.binding_rules and "bounds" not in words  # 乙县 sits on its floor of 1 万元


# ------------------------------------------------------------------------------------------ the counts
def tie() -> fa.Result:
    """甲县 and 乙县 (weight 2) buy 20 weighted jobs per 万元, 丙县 10. Floors: 乙县 5 万元, exactly what its 50
    places cost; 丙县 8 万元. 丙县's floor has a price (−10: each of its 万元 would buy 20 in 甲县 instead); 乙县
    sits on its floor too, but its 万元 are worth 甲县's, so moving the floor a little changes nothing."""
    units = pd.DataFrame({"id": ["a", "b", "c"], "name": ["甲县", "乙县", "丙县"], "jobs": [100, 50, 100],
                          "last": [0, 5, 8], "poor": [1, 1, 0]})
    return fa.solve(fa.Scenario(units=units, budget={"total": 16}, groups={"poor": {"column": "poor"}},
                                weights={"poor": 2}, measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                                rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}]))


def test_at_its_limit_and_with_a_price_are_counted_the_same_way_everywhere():
    res = tie()
    assert res.units["amount"].to_dict() == pytest.approx({"a": 3, "b": 5, "c": 8})
    assert res.units["shadow.hold_harmless"].to_dict() == pytest.approx({"a": 0, "b": 0, "c": -10})
    c = limits(res, "hold_harmless")
    assert (c.rows, c.floors, c.ceilings, c.priced) == (3, 2, 0, 1)
    at_floor = res.units["binding_rules"].str.contains("hold_harmless")
    assert at_floor.sum() == c.at_limit  # units.csv counts what the sentences count
    counts = ("at its floor in 2 of 3 counties), with a price in 1; in the other 1 it is met exactly but has no "
              "price: moving it a little there changes nothing")
    summary_line = dict(price_sentences(res))["hold_harmless"]
    assert summary_line == f"raising every floor of `hold_harmless` by 1 万元: −10 weighted jobs ({counts}"
    assert summary_line in res.summary() and summary_line in render(res)
    floor = sentence_about(explain(res), "hold_harmless")
    assert "most in 丙县; it is at its floor in 2 of 3 counties, with a price in 1; in the other 1" in floor


def test_the_minimal_example_counts(minimal):
    assert minimal.units["binding_rules"].to_dict() == {
        "A": "one_person_one_measure", "B": "", "C": "one_person_one_measure;zero_employment"}
    assert (limits(minimal, "zero_employment").at_limit, limits(minimal, "zero_employment").priced) == (1, 1)
    assert dict(price_sentences(minimal))["zero_employment"] == (
        "one more person to employ under `zero_employment` in every county: −0.667 weighted jobs (at its floor in 1 "
        "of 3 counties)")


# ---------------------------------------------------------------------- populations, prices nowhere
PEOPLE = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "people": [200, 50]})


def people(budget: float, label: str | None = None, **changes) -> fa.Result:
    """A workshop place (1,000 元, one person employed) for the poor labourers of two counties: each person is
    worth the same in both, so while the budget binds its price λ is 10 per 万元 and one more person in a full
    county is worth 1 − 0.1·λ = 0; with money to spare, 1."""
    return fa.solve(fa.Scenario(
        units=PEOPLE, budget={"total": budget},
        populations={"people": {"column": "people", **({"label": label} if label else {})}},
        measures={"workshop": {"unit_cost": "1000 元", "from": ["people"]}}, **changes))


def test_a_population_is_an_identity_worth_a_person_where_it_is_full():
    res = people(30, label="贫困劳动力")  # 25 万元 funds all 250; the rest is not needed
    assert res.shadow_prices["budget"] == pytest.approx(0.0)
    expected = ("The size of 贫困劳动力 is an accounting identity (each of these persons is funded once), "
                "not a policy with a price: where the pool is full, one more eligible person is worth +1 weighted "
                "jobs; at its ceiling in 2 of 2 counties")
    assert dict(price_sentences(res))["population.people"] == expected
    assert expected.replace("weighted jobs", "weighted persons employed") + "." in explain(res)
    prices = rule_prices(res.scenario).set_index("rule")
    assert prices.loc["population.people", ["type", "identity", "status_without"]].tolist() == \
        ["population", True, "identity"]
    assert prices.loc["population.people", "shadow_price"] == pytest.approx(2.0)
    assert np.isnan(prices.loc["population.people", ["price", "price_of_step"]].to_numpy(dtype=float)).all()


def test_a_population_at_its_limit_with_a_price_nowhere_is_not_listed_as_binding():
    # 12 万元 for 120 persons: the tie-break moves toward 6 万元 each, 乙县 has only 50 (5 万元), 甲县 gets 7
    res = people(12)
    assert res.units["amount"].tolist() == pytest.approx([7.0, 5.0])
    assert "population.people" in res.binding_rules  # at its limit in 乙县 …
    assert "population.people" not in dict(price_sentences(res))  # … but worth nothing there
    expected = ("The size of `people` is an accounting identity (each of these persons is funded once), not a policy "
                "with a price: where the pool is full, one more eligible person would add nothing; at its ceiling "
                "in 1 of 2 counties")
    assert dict(slack_sentences(res))["population.people"] == expected
    assert f"  rules that do not bind\n  - {expected}" in res.summary()
    zh = people(12, label="贫困劳动力", language="zh")
    assert dict(slack_sentences(zh))["population.people"] == (
        "贫困劳动力人数是核算恒等式（其中每人只能受助一次），不是有政策代价的约束：在该人员池已满的县，"
        "增加符合条件的人员不会改变目标值；2个县中有1个处于上限")


def test_a_rule_at_its_limit_with_a_price_nowhere_is_said_so_with_the_rules_that_do_not_bind():
    units = pd.DataFrame({"id": ["a", "b"], "name": ["甲县", "乙县"], "jobs": [100, 50], "last": [3, 5]})
    res = fa.solve(fa.Scenario(units=units, budget={"total": 12},  # 乙县's 50 places cost its floor of 5
                               measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                               rules=[{"type": "hold_harmless", "column": "last", "min_ratio": 1.0}]))
    assert "hold_harmless" in res.binding_rules and "hold_harmless" not in dict(price_sentences(res))
    expected = ("`hold_harmless` is met exactly (at its floor in 1 of 2 counties) but has a price nowhere: moving it a "
                "little changes nothing")
    assert dict(slack_sentences(res))["hold_harmless"] == expected
    assert expected in render(res)


# ------------------------------------------------------------------------------------------- Chinese
@pytest.fixture(scope="module")
def chinese() -> fa.Result:
    return fa.solve(fa.load_scenario(MINIMAL).with_changes({"language": "zh"}))


def test_the_explanations_come_out_in_chinese(chinese):
    lines = explain(chinese)
    assert lines[0] == ("预算每增加1万元，可增加0.8加权就业人数，该比率至少在预算266.7至450万元之间成立。"
                        "重新求解：预算增加1%（2.9万元），可增加2.32加权就业人数。")
    assert lines[1].startswith("`one_person_one_measure`是核算恒等式（`unemployed_poor_labour`中每人只能受助一次）")
    assert "最高为丙县（+0.667）、甲县（+0.6）；3个县中有2个处于上限。" in lines[1]
    assert lines[3].startswith("`tilt`（`deep`所得资金不低于40%）每放宽10个百分点（下限40% → 30%，重新求解），"
                               "代价为2.42加权就业人数。")
    assert lines[4] in (f"`hold_harmless`在各处均未起约束作用：各县资金均至少为其要求的{r}倍。" for r in ("1.17", "1.18"))
    assert [len(s.quotes) for s in lines] == [len(s.quotes) for s in explain(fa.solve(fa.load_scenario(MINIMAL)))]
    for line in lines:
        assert re.search(r"[\u4e00-\u9fff]{2}", line) and not re.search(r"\b(the|would|every|costs)\b", line), line


def test_the_summary_and_report_speak_chinese_for_the_rules(chinese):
    assert any(f"  未起约束作用的规则\n  - `hold_harmless`在各处均未起约束作用：各县资金均至少为其要求的{r}倍"
               in chinese.summary() for r in ("1.17", "1.18"))  # 94 / 80 = 1.175: the last bit of 94 decides
    sentences = dict(price_sentences(chinese))
    assert sentences["budget"] == "预算增加1万元：+0.8加权就业人数"
    assert sentences["tilt"] == "`deep`的资金比`tilt`的最低份额多1万元：−0.0833加权就业人数"
    page = render(chinese)
    assert "<h3>未起约束作用的规则</h3>" in page and "影子价格表示限值变动一个单位时目标值的变化" in page


def test_the_tie_is_explained_in_chinese():
    res = tie()
    zh = fa.solve(res.scenario.with_changes({"language": "zh"}))
    assert dict(price_sentences(zh))["hold_harmless"] == (
        "`hold_harmless`的各下限均提高1万元：−10加权就业人数（3个县中有2个处于下限），其中1个县影子价格不为零；"
        "其余1个县恰好处于限值但影子价格为零：小幅调整不会改变目标值")
