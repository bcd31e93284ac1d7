"""The decomposed second stage of the tie-break (fundalloc.decomposition.tiebreak) gives the HiGHS QP's
allocation, says when it does not answer and why, and refuses an answer its certificate does not prove."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import fundalloc as fa
from fundalloc.decomposition import tiebreak as dtb
from fundalloc.decomposition.form import block_form
from fundalloc.program import build
from fundalloc.solve import make_backend, solve_program
from fundalloc.tiebreak import reference_for, second_stage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_decomposition import big_scenarios  # noqa: E402
from test_properties import scenarios  # noqa: E402
from test_tiebreak import three_tied, with_twins  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEBEI = ROOT / "examples" / "hebei" / "scenario.yaml"
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def both_routes(sc: fa.Scenario):
    """The programme, and the tie-broken solution by each route from one first stage."""
    program = build(sc)
    engine = make_backend(sc, "highs")
    first = solve_program(engine, program, ranging=False, tie_break=False)
    if first.status != "optimal":
        return program, None, None
    reference = reference_for(program, first)
    return program, *(second_stage(engine, program, first, reference, method=m) for m in ("decomposed", "highs"))


def unit_money(program, solution) -> np.ndarray:
    alloc = slice(0, program.n_alloc)
    return np.bincount(program.col_unit[alloc], weights=solution.x[alloc] * program.col_money[alloc],
                       minlength=program.n_units) * program.money_scale


def assert_same_money(program, decomposed, highs, rtol=1e-7):
    a, b = unit_money(program, decomposed), unit_money(program, highs)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * max(1.0, float(np.abs(b).max())))
    z = highs.objective
    assert decomposed.objective == pytest.approx(z, rel=1e-9, abs=1e-9)


def test_hebei_decomposed_equals_the_highs_qp():
    program, dec, qp = both_routes(fa.load_scenario(HEBEI))
    info = dec.extra["tie_break"]
    assert info.route == "decomposed" and info.ran and not info.fallback
    assert qp.extra["tie_break"].route == "highs"
    assert info.decomposed.distance <= dtb.CERTIFICATE_TOLERANCE * (1 + unit_money(program, dec).max())
    assert_same_money(program, dec, qp)
    # the split over measures too (Hebei's counties have several free measures: stage 3 decides it)
    np.testing.assert_allclose(dec.x[:program.n_alloc], qp.x[:program.n_alloc], rtol=1e-6,
                               atol=1e-6 * np.abs(qp.x).max())


def test_solve_uses_the_decomposed_route_and_summary_json_says_so():
    res = fa.solve(fa.load_scenario(HEBEI))
    second = res.summary_dict()["tie_break"]["second_stage"]
    assert second["method"] == "decomposed"
    assert second["units"] > 0 and second["certified_gap"] <= 1e-9 and "fallback" not in second


def test_hand_worked_three_tied_counties_by_the_decomposed_route():
    # as in test_tiebreak: reference 2, 4, 14; C = 4 at its capacity, A = 2 + 5, B = 4 + 5 (A + B + C = 20)
    program, dec, qp = both_routes(three_tied(toward="last"))
    assert dec.extra["tie_break"].route == "decomposed"
    assert unit_money(program, dec) == pytest.approx([7, 9, 4], abs=1e-9)
    # an equal split: 20/3 each would put C above its 4, so C = 4, A = B = 8
    program, dec, qp = both_routes(three_tied(toward="equal"))
    assert unit_money(program, dec) == pytest.approx([8, 8, 4], abs=1e-9)


def test_hand_worked_group_share_moves_the_multiplier():
    # four counties, one person per 1000 元 everywhere, 40 万元; reference (last year scaled): 4, 4, 16, 16.
    # The flagged pair (A, B) must get at least half: A = B = 4 + λ, C = D = 16 − λ with 8 + 2λ = 20, λ = 6.
    units = pd.DataFrame({"id": list("ABCD"), "name": ["甲", "乙", "丙", "丁"], "jobs": [300] * 4,
                          "flag": [1, 1, 0, 0], "last": [1.0, 1.0, 4.0, 4.0]})
    sc = fa.Scenario(units=units, budget={"total": 40}, groups={"flagged": {"column": "flag"}},
                     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"}},
                     rules=[{"type": "group_share", "group": "flagged", "min": 0.5}],
                     objective={"tie_break": {"toward": "last"}})
    program, dec, qp = both_routes(sc)
    assert dec.extra["tie_break"].route == "decomposed"
    assert unit_money(program, dec) == pytest.approx([10, 10, 10, 10], abs=1e-9)
    assert_same_money(program, dec, qp)


def test_hand_worked_split_of_a_county_with_two_free_measures():
    # three_tied with a second, equally good measure where only A has places (3 万元): the totals are still
    # 7, 9, 4; A's 7 万元 split evenly would be 3.5 + 3.5, but the second measure holds 3, so 4 + 3
    units = pd.DataFrame({"id": ["A", "B", "C"], "name": ["甲县", "乙县", "丙县"], "jobs": [100, 100, 40],
                          "extra": [30, 0, 0], "last": [10.0, 20.0, 70.0]})
    sc = fa.Scenario(units=units, budget={"total": 20}, objective={"tie_break": {"toward": "last"}},
                     measures={"workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
                               "second": {"unit_cost": "1000 元", "capacity": "extra"}})
    program, dec, qp = both_routes(sc)
    steps = dec.extra["tie_break"].decomposed
    assert steps.split_units == 1 and steps.split_by_highs == 0          # the closed form split it
    slot_money = dec.x[:program.n_alloc] * program.col_money[:program.n_alloc] * program.money_scale
    assert slot_money == pytest.approx([4, 9, 4, 3, 0, 0], abs=1e-9)      # measure by measure, unit by unit
    np.testing.assert_allclose(dec.x[:program.n_alloc], qp.x[:program.n_alloc], atol=1e-9 * np.abs(qp.x).max())


def earmark_the_relaxation_breaks():
    """Two counties, 10 万元, equally effective measures; only B has places in ``t`` and half the money must
    go to ``t``. Last year says 9 : 1, so the totals alone (the earmark sees the split, not the totals) would
    give A 9 万元; the earmark forces B ≥ 5, so A = B = 5."""
    return two_counties_with_an_earmark(w=[100, 100], tc=[0, 100], min=0.5)


def two_counties_with_an_earmark(w, tc, **share):
    """Counties A and B sharing 10 万元 between ``workshop`` (places ``w``) and ``t`` (places ``tc``), both at
    1000 元 and equally effective, last year 9 : 1 (the tie-break's reference), and ``t``'s share bounded."""
    units = pd.DataFrame({"id": ["A", "B"], "name": ["甲县", "乙县"], "w": w, "tc": tc, "last": [90.0, 10.0]})
    return fa.Scenario(units=units, budget={"total": 10}, objective={"tie_break": {"toward": "last"}},
                       measures={"workshop": {"unit_cost": "1000 元", "capacity": "w"},
                                 "t": {"unit_cost": "1000 元", "capacity": "tc"}},
                       rules=[{"type": "earmark", "measures": ["t"], **share}])


def test_an_earmark_the_relaxation_breaks_is_held_by_the_decomposed_route():
    program, dec, qp = both_routes(earmark_the_relaxation_breaks())
    info = dec.extra["tie_break"]
    assert info.route == "decomposed" and not info.fallback and info.ran
    assert info.decomposed.relaxed_rows == 0 and info.decomposed.split_units == 1
    assert unit_money(program, dec) == pytest.approx([5, 5], abs=1e-9)
    # B's 5 万元 all in t (the earmark needs it), none in the workshop
    slot_money = dec.x[:program.n_alloc] * program.col_money[:program.n_alloc] * program.money_scale
    assert slot_money == pytest.approx([5, 0, 0, 5], abs=1e-9)
    assert_same_money(program, dec, qp)
    np.testing.assert_allclose(dec.x, qp.x, atol=1e-7 * np.abs(qp.x).max())


def earmark_held_at_its_upper_bound():
    """Two counties, 10 万元, equally effective measures; A has places only in ``t``, B in both, and at most
    a fifth of the money may go to ``t``. Last year says 9 : 1; the totals alone would give A 9 万元, all in
    ``t``. With the earmark at its bound B puts nothing in ``t`` and A gets the 2 万元 ``t`` may have."""
    return two_counties_with_an_earmark(w=[0, 100], tc=[100, 100], max=0.2)


def test_hand_worked_earmark_at_its_upper_bound():
    program, dec, qp = both_routes(earmark_held_at_its_upper_bound())
    info = dec.extra["tie_break"]
    assert info.route == "decomposed" and not info.fallback
    assert info.decomposed.relaxed_rows == 0        # the earmark held in stage 2, not left to stage 3
    assert unit_money(program, dec) == pytest.approx([2, 8], abs=1e-9)
    slot_money = dec.x[:program.n_alloc] * program.col_money[:program.n_alloc] * program.money_scale
    assert slot_money == pytest.approx([0, 8, 2, 0], abs=1e-9)
    assert_same_money(program, dec, qp)


def test_the_highs_qp_answers_where_the_decomposition_does_not_and_says_why():
    # as earmark_the_relaxation_breaks, but B has a third measure: the earmark sees how a county with three
    # free measures splits its money, which the decomposed route does not hold
    sc = earmark_the_relaxation_breaks()
    units = sc.units.assign(uc=[0, 100])
    sc = fa.Scenario(**{**sc.model_dump(), "units": units,
                        "measures": {**sc.model_dump()["measures"],
                                     "u": {"unit_cost": "1000 元", "capacity": "uc"}}})
    program, dec, qp = both_routes(sc)
    info = dec.extra["tie_break"]
    assert info.route == "highs" and "split" in info.fallback and info.ran
    assert info.decomposed is None
    assert unit_money(program, dec) == pytest.approx([5, 5], abs=1e-9)
    assert_same_money(program, dec, qp)
    second = fa.solve(sc).summary_dict()["tie_break"]["second_stage"]
    assert second == {"method": "highs", "fallback": info.fallback}


@st.composite
def earmarked(draw):
    """Counties with two measures, one earmarked (a least or a most share), random capacities, costs,
    effectiveness and last year's money: the earmark sees how every county with places in both splits it."""
    n = draw(st.integers(2, 7))
    ints = lambda lo, hi: draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n))  # noqa: E731
    units = pd.DataFrame({"id": [f"u{i}" for i in range(n)], "name": [f"县{i}" for i in range(n)],
                          "a": ints(0, 200), "b": ints(0, 200), "last": [float(v) for v in ints(1, 40)],
                          "pool": ints(50, 400), "zero": ints(0, 4)})
    assume((units["a"] + units["b"] > 0).all())
    cost_a, cost_b = draw(st.sampled_from([1000, 1500, 2000])), draw(st.sampled_from([1000, 1250, 3000]))
    capacity = float((units["a"] * cost_a + units["b"] * cost_b).sum()) / 1e4
    budget = float(np.floor(capacity * draw(st.floats(0.2, 0.9)))) + 1
    share = {draw(st.sampled_from(["min", "max"])): draw(st.sampled_from([0.2, 0.4, 0.5, 0.7]))}
    rules = [{"type": "earmark", "measures": ["b"], **share}]
    if draw(st.booleans()):
        rules.append({"type": "pool", "name": "one_person_one_measure", "column": "pool"})
    if draw(st.booleans()):     # a floor on people in each county: its own row bounds the split
        rules.append({"type": "coverage", "name": "zero_employment", "column": "zero"})
    effect = draw(st.sampled_from([1.0, 0.8]))
    return fa.Scenario(units=units, budget={"total": budget}, objective={"tie_break": {"toward": "last"}},
                       measures={"a": {"unit_cost": f"{cost_a} 元", "capacity": "a"},
                                 "b": {"unit_cost": f"{cost_b} 元", "capacity": "b", "effectiveness": effect}},
                       rules=rules)


@PROPERTY
@given(earmarked())
def test_random_earmarks_are_held_by_the_decomposed_route_as_by_the_highs_qp(sc):
    program, dec, qp = both_routes(sc)
    assume(dec is not None)
    assert dec.extra["tie_break"].route == "decomposed", dec.extra["tie_break"].fallback
    assert_same_money(program, dec, qp)
    alloc = slice(0, program.n_alloc)
    np.testing.assert_allclose(dec.x[alloc], qp.x[alloc], atol=1e-6 * max(1.0, np.abs(qp.x[alloc]).max()))


def test_a_national_like_scenario_whose_earmark_the_relaxation_breaks():
    # benchmarks/synthetic.py's every-rule scenario, 60 counties x 8 measures: as in a third of the national
    # Monte Carlo draws, the earmark training_share (at most 30 % in job_retention) sits at its bound on the
    # optimal face and 50 counties have two free measures it sees split; the totals alone break it
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_scenario

    sc = make_scenario(60, 8, seed=0)
    program, dec, qp = both_routes(sc)
    info = dec.extra["tie_break"]
    assert info.route == "decomposed" and not info.fallback
    assert info.decomposed.relaxed_rows == 0 and info.decomposed.split_units > 0
    first = first_stage(sc, program)
    face = dtb.block_face(program, first, block_form(program))
    T = dtb.totals_model(face, reference_for(program, first).amounts / program.money_scale)
    assert len(T.relaxed) == 1                                  # the earmark sees the split …
    assert dtb.hold_split_row(face, T, dtb.solve_totals(T).a) is not None   # … and the totals alone break it
    assert_same_money(program, dec, qp)
    alloc = slice(0, program.n_alloc)
    np.testing.assert_allclose(dec.x[alloc], qp.x[alloc], atol=1e-6 * np.abs(qp.x[alloc]).max())


def test_a_certificate_that_fails_is_refused(monkeypatch):
    # multipliers a little off the dual's maximum give money a little off the optimum; the certificate (weak
    # duality) must see it, and the HiGHS QP then answers
    program, _, qp = both_routes(fa.load_scenario(HEBEI))
    maximise = dtb.maximise_dual

    def off(dual, mu, tol):
        mu, _, its = maximise(dual, mu, tol)
        assert (mu != 0).any()
        return mu * (1 + 1e-3), dual.evaluate(mu * (1 + 1e-3)), its

    monkeypatch.setattr(dtb, "maximise_dual", off)
    _, dec, _ = both_routes(fa.load_scenario(HEBEI))
    info = dec.extra["tie_break"]
    assert info.route == "highs" and "certificate" in info.fallback
    assert_same_money(program, dec, qp)


def first_stage(sc, program):
    return solve_program(make_backend(sc, "highs"), program, ranging=False, tie_break=False)


def test_the_certificate_measures_a_wrong_answer():
    # the same totals programme: the exact answer certifies with a gap of (nearly) 0, a moved one does not
    sc = three_tied(toward="last")
    program = build(sc)
    first = first_stage(sc, program)
    T = dtb.totals_model(dtb.block_face(program, first, block_form(program)),
                         reference_for(program, first).amounts / program.money_scale)
    answer = dtb.solve_totals(T)
    assert answer.distance <= 1e-12 * (1 + np.abs(answer.a).max())
    moved = answer.a.copy()
    moved[:2] += np.array([1, -1]) * 1e-3 * moved[:2]          # still on the budget, off the optimum
    with pytest.raises(dtb.Unsupported, match="certificate"):
        dtb._certify(T, moved, answer.t, answer.mu, answer.pi, 0, 0)



@PROPERTY
@given(scenarios(), st.data())
def test_random_scenarios_with_twins_match_the_highs_qp(spec, data):
    n = len(spec["units"])
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    spec = with_twins(spec, rows)
    sc = fa.Scenario(**spec)
    program, dec, qp = both_routes(sc)
    assume(dec is not None)
    assert_same_money(program, dec, qp)
    money = pd.Series(unit_money(program, dec), index=sc.units["id"])
    # twins get the same money, whichever route answered
    scale = 1e-9 * max(1.0, float(money.abs().max()))
    for i in spec["units"]["id"].iloc[rows]:
        assert money[f"{i}_twin"] == pytest.approx(money[i], abs=scale)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(big_scenarios())
def test_bigger_random_scenarios_match_the_highs_qp(spec):
    units = spec["units"].head(300)                        # the HiGHS QP is the slow side
    spec = {**spec, "units": units, "budget": {"total": float(units["last"].sum() + 40)}}
    if spec["objective"]["type"] == "min_cost":
        spec["objective"] = {"type": "min_cost", "targets": {"total": float(units["zero"].sum() + 5 * len(units))}}
    program, dec, qp = both_routes(fa.Scenario(**spec))
    assume(dec is not None)
    assert_same_money(program, dec, qp)


def test_a_programme_whose_blocks_are_stale_is_answered_by_the_highs_qp():
    # a programme edited in place (a Monte Carlo draw, a tornado side) keeps its base's rule blocks; the
    # decomposed answer is checked on the programme's own matrix, and HiGHS's QP answers instead
    sc = fa.load_scenario(ROOT / "examples" / "minimal" / "scenario.yaml")
    edited = build(sc.with_changes({"measures.export.effectiveness": 0.45}))
    stale = edited.with_matrix(edited.matrix, block_info=build(sc).block_info)  # its own rows, old blocks
    engine = make_backend(sc, "highs")
    first = solve_program(engine, stale, ranging=False, tie_break=False)
    reference = reference_for(stale, first)
    dec, qp = (second_stage(engine, stale, first, reference, method=m) for m in ("decomposed", "highs"))
    info = dec.extra["tie_break"]
    assert info.route == "highs" and "does not describe this programme" in info.fallback
    assert_same_money(stale, dec, qp)
    fresh = second_stage(engine, edited, first, reference_for(edited, first), method="decomposed")
    assert fresh.extra["tie_break"].route == "decomposed"
    assert_same_money(edited, fresh, qp)


def test_an_unknown_second_stage_method_is_refused():
    sc = three_tied(toward="last")
    program = build(sc)
    first = first_stage(sc, program)
    with pytest.raises(fa.FundallocError, match="second-stage method 'exact'"):
        second_stage(None, program, first, reference_for(program, first), method="exact")



def test_a_programme_edited_in_place_is_solved_by_its_blocks():
    """A Monte Carlo draw edits a kept programme's matrix (a unit cost moves the budget row's entries), and the
    map moves the rule blocks with it: the decomposition goes as on the programme built from the changed
    scenario (on Hebei it gives way to the full LP after its rounds either way), and the decomposed second stage
    answers without falling back, with the money of the built programme."""
    from fundalloc.backends.highs import HighsBackend
    from fundalloc.decomposition.method import solve_decomposed
    from fundalloc.sensitivity.inplace import ProgramMap
    from fundalloc.sensitivity.params import quantity

    sc = fa.load_scenario(HEBEI)
    base = build(sc)
    path = "measures.labour_export.unit_cost"  # its entries in the budget row
    mapped = ProgramMap.compile(sc, base, [quantity(sc, path)])
    dearer = mapped.quantities[0].base * 1.1
    edited = mapped.program([dearer])
    budget = edited.blocks["budget"]
    assert not np.array_equal(edited.block_info["budget"].coef, base.block_info["budget"].coef)
    np.testing.assert_array_equal(edited.matrix[budget].toarray().ravel()[:edited.n_alloc],
                                  edited.block_info["budget"].coef[0].T.ravel())
    built = build(sc.with_changes({path: mapped.quantities[0].written(dearer)}))  # "2200 元"
    full = HighsBackend()
    split, whole = (solve_decomposed(p, fallback=lambda p: full.solve(p, ranging=False)) for p in (edited, built))
    assert split.extra["decomposition"].rounds == whole.extra["decomposition"].rounds   # the same route, round
    assert split.extra["decomposition"].reason == whole.extra["decomposition"].reason  # for round
    assert split.objective == pytest.approx(whole.objective, rel=1e-9)
    engine = make_backend(sc, "highs")
    first = solve_program(engine, edited, ranging=False, tie_break=False)
    done = second_stage(engine, edited, first, reference_for(edited, first))
    info = done.extra["tie_break"]
    assert info.route == "decomposed" and not info.fallback
    _, fresh, qp = both_routes(built.scenario)
    np.testing.assert_allclose(unit_money(edited, done), unit_money(built, fresh), rtol=1e-9, atol=1e-6)
    assert_same_money(built, fresh, qp)