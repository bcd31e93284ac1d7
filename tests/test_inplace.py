"""Re-solving in place: the map gives, entry for entry, the programme a build of the changed scenario gives; the
in-place Monte Carlo, tornado and sweeps give the numbers of the rebuilding path (the reference); what the map
cannot express is said and rebuilt; no drawn value or tornado side passes a physical bound."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fundalloc as fa
from fundalloc.program import build
from fundalloc.sensitivity import montecarlo, params, sweep, tornado
from fundalloc.sensitivity.inplace import FIELDS, NotInPlace, ProgramMap
from fundalloc.sensitivity.montecarlo import _Job, _parameters, draw

FIVE = pd.DataFrame({
    "id": list("abcde"), "name": ["康保县", "阳原县", "赞皇县", "涞源县", "张北县"],
    "poor": [1, 1, 0, 0, 1], "jobs": [100, 80, 120, 60, 90], "slots": [40, 30, 50, 20, 35],
    "households": [20.0, 10, 15, 0, 12], "last_year": [8.0, 6.0, 10.0, 4.0, 7.0], "wage": [17.0, 16, 18, 17, 19],
    "labour": [400, 300, 500, 200, 350], "people": [5000, 4000, 6000, 3000, 4500], "cost": [0.25, 0.2, 0.3, 0.2, 0.22]})


def five_counties(objective: dict | None = None, rules: list | None = None, **extra) -> fa.Scenario:
    """Every form a parameter can take: money, a number, a column and a product cost; a column, a number and a
    {column, factor} capacity; steps; a budget spent exactly; rules with one bound each."""
    extra = {"groups": {"poor": {"column": "poor"}}, "weights": {"poor": 1.5}, **extra}
    return fa.Scenario(
        name="five", units=FIVE, budget={"total": 90, "spend_all": True},
        measures={
            "workshop": {"unit_cost": "1000 元", "capacity": "jobs"},
            "export": {"unit_cost": "cost", "capacity": {"column": "labour", "factor": 0.5},
                       "effectiveness": [{"share": 0.5, "value": 0.9}, {"share": 0.5, "value": 0.6}]},
            "post": {"unit_cost": {"product": ["wage", 40, 12], "unit": "元"}, "capacity": "slots",
                     "effectiveness": 0.95},
            "startup": {"unit_cost": 0.5, "capacity": 30, "effectiveness": 1.6, "max_effectiveness": 2.5}},
        rules=rules if rules is not None else [
            {"type": "pool", "name": "one_each", "column": "labour", "factor": 0.9},
            {"type": "coverage", "name": "zero_employment", "column": "households", "factor": 1.0},
            {"type": "group_share", "name": "tilt", "group": "poor", "min": 0.4},
            {"type": "hold_harmless", "name": "floor", "column": "last_year", "min_ratio": 0.8},
            {"type": "unit_bounds", "name": "ceiling", "max": 25},
            {"type": "min_coverage_rate", "name": "fair", "column": "labour", "rate": 0.05, "measures": ["post"]}],
        objective={"type": "max_outcome", "tie_break": {"toward": "equal"}, **(objective or {})}, **extra)


COMMON = ["measures.startup.capacity", "measures.export.effectiveness", "measures.post.effectiveness",
          "measures.startup.effectiveness", "measures.workshop.effectiveness", "budget.total", "rules.ceiling.max"]
RULE_FACTORS = ["rules.one_each.factor", "rules.zero_employment.factor", "rules.floor.min_ratio", "rules.fair.rate"]
# parameters that multiply each other (a column's factor and the column, a share and the money it is a share
# of) cannot be mapped together: each group holds parameters that can
MEASURES = COMMON + RULE_FACTORS + ["measures.workshop.unit_cost", "measures.export.unit_cost",
                                    "measures.post.unit_cost", "measures.startup.unit_cost",
                                    "measures.workshop.capacity", "measures.export.capacity"]
COLUMNS = COMMON + ["units.households", "units.last_year", "units.jobs", "units.labour", "units.wage"]
SHARES = COMMON + RULE_FACTORS + ["rules.tilt.min"]


def same_programme(a, b, tolerance=1e-12) -> None:
    """The same arrays, and the same rule blocks (what the decomposition and the decomposed tie-break read)."""
    pairs = [(field, a.matrix.data if field == "matrix" else getattr(a, field),
              b.matrix.data if field == "matrix" else getattr(b, field)) for field in FIELDS]
    assert a.block_info.keys() == b.block_info.keys()
    for name, built in b.block_info.items():
        mapped = a.block_info[name]
        assert mapped.aux.keys() == built.aux.keys(), name
        pairs += [(f"{name}.{f}", getattr(mapped, f), getattr(built, f)) for f in ("coef", "lower", "upper")]
        pairs += [(f"{name}.aux", mapped.aux[col], built.aux[col]) for col in built.aux]
    for field, x, y in pairs:
        if y is None:
            continue
        scale = np.abs(y[np.isfinite(y)]).max(initial=1.0)
        assert x.shape == y.shape and np.array_equal(np.isinf(x), np.isinf(y)), field
        assert np.allclose(x[np.isfinite(x)], y[np.isfinite(y)], rtol=0, atol=tolerance * scale), field


def compiled(sc, paths=MEASURES):
    quantities = [params.quantity(sc, p) for p in paths]
    base = build(sc)
    return quantities, base, ProgramMap.compile(sc, base, quantities)


@pytest.mark.parametrize("objective", [None, {"type": "min_cost", "targets": {"total": 150}},
                                       {"type": "max_min_coverage", "need": "people"}])
@pytest.mark.parametrize("group", [MEASURES, COLUMNS, SHARES], ids=["measures", "columns", "shares"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_map_gives_the_programme_a_build_of_the_changed_scenario_gives(objective, group, data):
    sc = five_counties(objective)
    if objective and objective["type"] == "min_cost":
        sc = fa.Scenario(**{**sc.to_dict(), "budget": None}, units=sc.units)
    paths = [p for p in group if sc.budget is not None or p != "budget.total"]
    quantities = [params.quantity(sc, p) for p in paths]
    base = build(sc)
    mapped = ProgramMap.compile(sc, base, quantities)
    moved = data.draw(st.lists(st.sampled_from(range(len(paths))), min_size=1, max_size=6, unique=True))
    values = [q.base for q in quantities]
    for k in moved:
        q = quantities[k]
        factor = data.draw(st.floats(0.3, 2.0)) if not q.per_unit else \
            np.array(data.draw(st.lists(st.floats(0.0, 2.0), min_size=5, max_size=5)))
        values[k] = q.scaled(factor)[0]
    changed = params.apply(sc, {quantities[k].path: quantities[k].written(values[k]) for k in moved})
    same_programme(mapped.program(values), build(changed, money_scale=base.money_scale))


def test_the_map_keeps_the_base_programme_and_its_pattern():
    quantities, base, mapped = compiled(five_counties())
    before = {f: (base.matrix.data if f == "matrix" else getattr(base, f)).copy() for f in FIELDS}
    program = mapped.program([q.scaled(0.8)[0] for q in quantities])
    for f in FIELDS:  # the base programme is not written to
        assert np.array_equal(before[f], base.matrix.data if f == "matrix" else getattr(base, f))
    assert np.shares_memory(program.matrix.indices, base.matrix.indices)   # the pattern is not copied
    assert np.shares_memory(program.matrix.indptr, base.matrix.indptr)
    assert mapped.program([q.base for q in quantities]) is base


@pytest.mark.parametrize("path, words", [
    ("units.poor", "defines a group"),
    ("units.people", "coverage need"),
    ("rules.band.min", "partner bound"),
    ("rules.floor.min_ratio", "partner bound"),
    ("units.labour", "tilt's population"),
])
def test_what_the_map_cannot_express_is_named(path, words):
    sc = five_counties({"type": "max_min_coverage", "need": "people"}, rules=[
        {"type": "group_share", "name": "band", "group": "poor", "min": 0.3, "max": 0.6},
        {"type": "hold_harmless", "name": "floor", "column": "last_year", "min_ratio": 0.8, "max_ratio": 3},
        {"type": "per_capita_tilt", "name": "per_head", "group": "poor", "population": "labour", "ratio": 0.5}])
    with pytest.raises(NotInPlace, match=words):
        ProgramMap.compile(sc, build(sc), [params.quantity(sc, path)])


@pytest.mark.parametrize("pair, field", [(["measures.export.capacity", "units.labour"], "col_upper"),
                                         (["measures.post.unit_cost", "units.wage"], "col_money"),
                                         (["rules.tilt.min", "measures.workshop.unit_cost"], "matrix")])
def test_the_joint_probe_catches_parameters_that_multiply_each_other(pair, field):
    sc = five_counties()
    with pytest.raises(NotInPlace, match=f"together changes the programme's `{field}`"):
        ProgramMap.compile(sc, build(sc), [params.quantity(sc, p) for p in pair])


def test_a_weight_maps_alone_but_not_with_effectiveness_it_multiplies():
    sc = five_counties()
    weight, post = params.quantity(sc, "weights.poor"), params.quantity(sc, "measures.post.effectiveness")
    base = build(sc)
    mapped = ProgramMap.compile(sc, base, [weight])
    changed = params.apply(sc, {"weights.poor": 2.0})
    same_programme(mapped.program([np.array([2.0])]), build(changed, money_scale=base.money_scale))
    with pytest.raises(NotInPlace, match="together changes the programme's `cost`"):
        ProgramMap.compile(sc, base, [weight, post])


def test_overlapping_weights_and_a_column_set_to_one_number_are_rebuilt():
    sc = five_counties(groups={"poor": {"column": "poor"}, "big": {"column": "jobs", ">=": 90}},
                       weights={"poor": 1.5, "big": 1.2})
    with pytest.raises(NotInPlace, match="several weighted groups"):
        ProgramMap.compile(sc, build(sc), [params.quantity(sc, "weights.big")])
    with pytest.raises(NotInPlace, match="set to one number"):
        ProgramMap.compile(sc, build(sc), [params.quantity(sc, "measures.export.unit_cost")], replaced=[True])


def rebuilt(monkeypatch):
    """Monte Carlo by the reference path: every draw's scenario validated and built."""
    monkeypatch.setattr(montecarlo, "in_place_map", lambda *a, **k: None)


UNCERTAIN = {
    "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2},
    "measures.*.unit_cost": {"dist": "lognormal", "sd": 0.1},
    "units.households": {"dist": "normal", "sd": 0.2},
    "rules.fair.rate": {"dist": "uniform", "low": 0.04, "high": 0.06, "relative": False},
    "budget.total": {"dist": "uniform", "low": 0.9, "high": 1.1},
}


@pytest.mark.parametrize("method", ["sample", "sobol"])
def test_monte_carlo_in_place_gives_the_numbers_of_the_rebuilding_path(monkeypatch, method):
    sc = five_counties()
    draws = 8 if method == "sobol" else 60
    here = fa.monte_carlo(sc, draws=draws, seed=5, workers=1, parameters=UNCERTAIN, method=method)
    assert here.in_place
    with monkeypatch.context() as m:
        rebuilt(m)
        reference = fa.monte_carlo(sc, draws=draws, seed=5, workers=1, parameters=UNCERTAIN, method=method)
    assert not reference.in_place
    assert (here.draws["status"] == reference.draws["status"]).all()
    assert set(here.draws["status"]) >= {"optimal"}
    numbers = here.draws.select_dtypes("number").columns
    assert np.allclose(here.draws[numbers], reference.draws[numbers], rtol=1e-9, atol=1e-9, equal_nan=True)
    pd.testing.assert_series_equal(here.clipped, reference.clipped)


def test_tornado_and_sweeps_in_place_give_the_numbers_of_the_rebuilding_path(monkeypatch):
    sc = five_counties()
    chosen = ["measures.*.unit_cost", "measures.*.effectiveness", "units.households", "rules.ceiling.max",
              "budget.total"]
    here = tornado(sc, chosen, change=0.3)
    values = [0.2, 0.3, 0.45]
    sw = sweep(sc, "rules.tilt.min", values=values)
    from fundalloc.sensitivity import oneway, sweeps
    monkeypatch.setattr(oneway, "compile_or_none", lambda *a, **k: None)
    monkeypatch.setattr(sweeps, "compile_or_none", lambda *a, **k: None)
    reference = tornado(sc, chosen, change=0.3)
    assert here.attrs["in_place"] and not reference.attrs["in_place"]
    pd.testing.assert_frame_equal(here, reference, rtol=1e-9)
    mixed = tornado(sc, ["measures.*.unit_cost", "rules.tilt.min"], change=0.3)  # the map cannot: rebuilt
    assert not mixed.attrs["in_place"] and (mixed["status_low"] == "optimal").all()
    again = sweep(sc, "rules.tilt.min", values=values)
    pd.testing.assert_frame_equal(sw.table, again.table, rtol=1e-9)
    pd.testing.assert_frame_equal(sw.amounts, again.amounts, rtol=1e-9)


# ----------------------------------------------------------------------------------- physical bounds
@st.composite
def distributions(draw):
    kind = draw(st.sampled_from(["uniform", "triangular", "normal", "lognormal"]))
    if kind in ("uniform", "triangular"):
        low = draw(st.floats(-1.0, 2.0))
        high = low + draw(st.floats(0.0, 3.0))
        return {"dist": kind, "low": low, "high": high}
    return {"dist": kind, "sd": draw(st.floats(0.0, 2.0))}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(effectiveness=distributions(), cost=distributions(), count=distributions(), share=distributions(),
       seed=st.integers(0, 2**32 - 1))
def test_no_drawn_value_passes_a_physical_bound(effectiveness, cost, count, share, seed):
    sc = five_counties()
    spec = {"measures.*.effectiveness": effectiveness, "measures.*.unit_cost": cost, "units.households": count,
            "rules.tilt.min": share, "budget.total": cost}
    job = _Job(sc, _parameters(sc, spec), seed)
    most = {m: sc.measures[m].max_effectiveness for m in sc.measures}
    for number in range(20):
        d = draw(job, number)
        for p, values in zip(job.parameters, d.values):
            q, path = p.quantity, p.path
            assert np.all(values >= q.low) and np.all(values <= q.high), path
            if path.endswith("effectiveness"):
                assert np.all((values >= 0) & (values <= most[path.split(".")[1]])), path
            elif path.endswith("unit_cost") or path == "budget.total":
                assert np.all(values > 0), path
            elif path == "units.households":
                assert np.all(values >= 0)
            elif path == "rules.tilt.min":
                assert 0 <= values[0] <= 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change=st.floats(0.05, 0.95))
def test_no_tornado_side_passes_a_physical_bound(change):
    sc = five_counties()
    table = tornado(sc, ["measures.*.effectiveness", "rules.tilt.min", "units.households"], change=change)
    by = table.set_index("parameter")
    for m in sc.measures:
        row, q = by.loc[f"measures.{m}.effectiveness"], params.quantity(sc, f"measures.{m}.effectiveness")
        high = q.base * (1 + change)
        assert row["clipped_high"] == int((high > sc.measures[m].max_effectiveness).sum())
        if q.form == "number":
            assert 0 <= row["low"] <= row["high"] <= sc.measures[m].max_effectiveness
    assert by.loc["rules.tilt.min", "high"] <= 1
    assert (table[["clipped_low", "clipped_high"]] >= 0).all().all()
    # what was solved is within the bounds: the programme of the clipped high side
    q = params.quantity(sc, "measures.startup.effectiveness")
    program = build(params.apply(sc, {q.path: q.written(q.scaled(1 + change)[0])}))
    assert program.col_effect.max() <= 2.5


def test_monte_carlo_counts_the_clipped_draws_and_says_so_in_both_languages():
    spec = {"measures.post.effectiveness": {"dist": "uniform", "low": 0.9, "high": 1.2}}
    mc = fa.monte_carlo(five_counties(), draws=40, seed=3, workers=1, parameters=spec)
    over = int((mc.draws["measures.post.effectiveness"] * 0.95 > 1).sum())
    assert over > 0 and mc.clipped["measures.post.effectiveness"] == over
    assert mc.draws["clipped"].sum() == over
    assert f"{over} drawn values were clipped to their physical bounds (measures.post.effectiveness {over})" \
        in mc.summary()
    zh = fa.monte_carlo(five_counties(language="zh"), draws=40, seed=3, workers=1, parameters=spec)
    assert f"有 {over} 个抽样值超出物理界限" in zh.summary()
    calm = fa.monte_carlo(five_counties(), draws=10, seed=3, workers=1, parameters={
        "measures.post.effectiveness": {"dist": "uniform", "low": 0.9, "high": 1.0}})
    assert "No value had to be clipped" in calm.summary()


def test_effectiveness_above_its_bound_is_refused_unless_declared():
    spec = five_counties().to_dict()
    spec["measures"]["post"]["effectiveness"] = 1.1
    with pytest.raises(fa.ScenarioError, match=r"measures.post.effectiveness.*1.1 is above 1 persons employed.*"
                                               r"max_effectiveness: 1.1"):
        fa.Scenario(**spec, units=FIVE)
    spec["measures"]["post"]["max_effectiveness"] = 1.2
    assert fa.Scenario(**spec, units=FIVE).measures["post"].max_effectiveness == 1.2
    spec["measures"]["export"]["effectiveness"] = [{"share": 0.5, "value": 1.3}, {"share": 0.5, "value": 0.6}]
    with pytest.raises(fa.ScenarioError, match="measures.export.effectiveness"):
        fa.Scenario(**spec, units=FIVE)


@pytest.mark.parametrize("tilt", [
    {"type": "group_share", "name": "tilt", "group": "poor", "min": "baseline"},
    {"type": "group_share", "name": "tilt", "group": "poor", "min": ["last_year", "baseline"]},   # the larger
])
def test_a_share_that_follows_the_factor_formula_is_re_solved_by_building_and_stays_right(tilt):
    sc = five_counties(rules=[tilt, {"type": "coverage", "name": "zero_employment", "column": "households"}],
                       baseline={"factors": {"labour": 0.5, "households": 0.5}})
    budgets = [60.0, 90.0, 150.0]
    sw = sweep(sc, "budget.total", values=budgets)   # the tilt's share moves with the budget and the households
    alone = [fa.solve(sc.with_changes({"budget.total": b})).objective for b in budgets]
    assert sw.table["objective"].to_numpy() == pytest.approx(alone, rel=1e-9)
    assert sw.breakpoints is None
    with pytest.raises(NotInPlace, match="factor formula whose share `tilt` keeps"):
        ProgramMap.compile(sc, build(sc), [params.quantity(sc, "units.households")])
    table = tornado(sc, ["measures.*.effectiveness", "units.households"], change=0.2)
    assert not table.attrs["in_place"]   # effectiveness in place, the households rebuilt
    side = sc.with_changes({"units.households": FIVE["households"].to_numpy() * 1.2})
    row = table.set_index("parameter").loc["units.households"]
    assert row["objective_high"] == pytest.approx(fa.solve(side).objective, rel=1e-9)


def test_a_draw_whose_face_makes_the_qp_solver_cycle_is_still_tie_broken():
    """Draw 98 of Hebei with every effectiveness and unit cost drawn: HiGHS's active-set QP cycles on its face at
    the usual regularisation (the iteration limit, once the draw returned the pivot's allocation: 1,560 万元
    for 阜平县 instead of 1,887.7). It is solved at the next value tried, and the in-place draw gets the money of
    the programme built from the drawn scenario (whose blocks the decomposed route reads)."""
    from fundalloc.solve import make_backend, solve_program

    sc = fa.load_scenario(fa.examples.path("hebei"))
    chosen = _parameters(sc, {
        "measures.*.effectiveness": {"dist": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2, "relative": True},
        "measures.*.unit_cost": {"dist": "lognormal", "sd": 0.1, "relative": True}})
    base = build(sc)
    mapped = ProgramMap.compile(sc, base, [p.quantity for p in chosen],
                                replaced=[not p.dist.relative for p in chosen])
    d = draw(_Job(sc, chosen, 42, None, base, None, mapped), 98)
    edited = mapped.program(d.values)
    changed = params.apply(sc, d.changes(_Job(sc, chosen, 42, None, base, None, mapped)))
    built = build(changed, money_scale=base.money_scale)
    money = {}
    for name, program in (("in place", edited), ("built", built)):
        solution = solve_program(make_backend(sc, "highs"), program, ranging=False)
        info = solution.extra["tie_break"]
        assert info.ran and not info.note, (name, info.note)
        alloc = slice(0, program.n_alloc)
        money[name] = np.bincount(program.col_unit[alloc], weights=solution.x[alloc] * program.col_money[alloc],
                                  minlength=program.n_units) * program.money_scale
    assert money["in place"] == pytest.approx(money["built"], rel=1e-7, abs=1e-6)


def test_a_tie_broken_programme_of_many_units_is_re_solved_in_place_by_the_decomposed_second_stage(monkeypatch):
    """105 units, 21 copies of each county (ties everywhere): the draws are re-solved in place (the map moves
    the rule blocks with the matrix, so the second stage takes the decomposed route, as on a rebuilt
    programme), with the numbers of the rebuilding path."""
    from fundalloc.solve import make_backend, solve_program

    many = pd.concat([FIVE.assign(id=FIVE["id"] + str(k)) for k in range(21)], ignore_index=True)
    sc = fa.Scenario(**{**five_counties().model_dump(), "units": many, "budget": {"total": 90 * 21, "spend_all": True}})
    uncertain = {"measures.*.effectiveness": UNCERTAIN["measures.*.effectiveness"],
                 "units.households": UNCERTAIN["units.households"], "rules.fair.rate": UNCERTAIN["rules.fair.rate"]}
    here = fa.monte_carlo(sc, draws=25, seed=3, workers=1, parameters=uncertain)
    with monkeypatch.context() as m:
        rebuilt(m)
        reference = fa.monte_carlo(sc, draws=25, seed=3, workers=1, parameters=uncertain)
    assert here.in_place and not reference.in_place
    assert (here.draws["status"] == reference.draws["status"]).all() and (here.draws["status"] == "optimal").any()
    numbers = here.draws.select_dtypes("number").columns
    assert np.allclose(here.draws[numbers], reference.draws[numbers], rtol=1e-9, atol=1e-9, equal_nan=True)
    # one draw's programme by each path: both second stages decomposed, the same money
    chosen = _parameters(sc, uncertain)
    base = build(sc)
    job = _Job(sc, chosen, 3, None, base, None, montecarlo.in_place_map(sc, base, chosen))
    d = draw(job, 4)
    money = {}
    for name, program in (("in place", job.mapped.program(d.values)),
                          ("built", build(params.apply(sc, d.changes(job)), money_scale=base.money_scale))):
        solution = solve_program(make_backend(sc, "highs"), program, ranging=False)
        info = solution.extra["tie_break"]
        assert info.ran and info.route == "decomposed" and not info.fallback, (name, info.fallback)
        alloc = slice(0, program.n_alloc)
        money[name] = np.bincount(program.col_unit[alloc], weights=solution.x[alloc] * program.col_money[alloc],
                                  minlength=program.n_units)
    assert money["in place"] == pytest.approx(money["built"], rel=1e-9, abs=1e-9)


def test_a_moved_coefficient_on_an_auxiliary_column_lands_in_its_block():
    """Hebei's per-capita tilt compares each priority county's money per head with the others' average (an
    auxiliary column): its ratio moves that column's coefficients, which the map writes into the rule block's
    ``aux``; the edited programme equals a build, blocks included, and its tie-break is decomposed."""
    from fundalloc.solve import make_backend, solve_program

    sc = fa.load_scenario(fa.examples.path("hebei"))
    base = build(sc)
    q = params.quantity(sc, "rules.per_head.ratio")
    mapped = ProgramMap.compile(sc, base, [q])
    assert any(isinstance(target, int) for target, _, _ in mapped._block_patches["per_head"])
    value = q.scaled(1.1)[0]
    edited = mapped.program([value])
    built = build(params.apply(sc, {q.path: q.written(value)}), money_scale=base.money_scale)
    same_programme(edited, built)
    assert not np.array_equal(edited.block_info["per_head"].aux[base.aux["per_head.others_per_head"]],
                              base.block_info["per_head"].aux[base.aux["per_head.others_per_head"]])
    money = []
    for program in (edited, built):
        solution = solve_program(make_backend(sc, "highs"), program, ranging=False)
        assert solution.extra["tie_break"].route == "decomposed"
        money.append(solution.x)
    np.testing.assert_allclose(money[0], money[1], rtol=1e-9, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_programme_with_other_row_bounds_has_blocks_that_state_them(data):
    """Program.with_rows (budget sweeps, rule prices, the map's row bounds): every block's bounds are the rows'
    bounds; a block whose rows did not move is the same object; the programme given is not written to."""
    base = build(five_counties())
    rows = len(base.row_lower)
    moved = data.draw(st.lists(st.integers(0, rows - 1), max_size=8, unique=True))
    lower, upper = base.row_lower.copy(), base.row_upper.copy()
    for i in moved:
        lower[i] = data.draw(st.one_of(st.just(-np.inf), st.floats(-100, 100)))
        upper[i] = data.draw(st.one_of(st.just(np.inf), st.floats(-100, 100)))
    before = {name: (b.lower.copy(), b.upper.copy()) for name, b in base.block_info.items()}
    program = base.with_rows(lower, upper)
    for name, span in program.blocks.items():
        b = program.block_info[name]
        np.testing.assert_array_equal(b.lower, lower[span])
        np.testing.assert_array_equal(b.upper, upper[span])
        if not any(span.start <= i < span.stop for i in moved):
            assert b is base.block_info[name]
        np.testing.assert_array_equal(base.block_info[name].lower, before[name][0])
        np.testing.assert_array_equal(base.block_info[name].upper, before[name][1])
