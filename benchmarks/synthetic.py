"""Synthetic allocation scenarios of any size with every rule type, for benchmarks (deterministic by seed)."""
from __future__ import annotations

import numpy as np
import pandas as pd

import fundalloc as fa

MEASURES = [  # name, cost in 元, effectiveness, capacity column
    ("workshop_absorption", 1000, 1.0, "workshop_jobs"),
    ("workshop_training", 1800, 0.9, "workshop_jobs"),
    ("labour_export", 2000, [{"share": 0.5, "value": 0.9}, {"share": 0.5, "value": 0.6}], "export_capacity"),
    ("public_welfare_post", None, 1.0, "post_slots"),
    ("returnee_startup", 5000, 1.2, "startup_slots"),
    ("skills_training", 1500, 0.5, "training_places"),
    ("graduate_support", 3000, 0.8, "poor_graduates"),
    ("job_retention", 800, 0.7, "employed_poor"),
]


def make_units(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labour = rng.integers(2_000, 40_000, n)
    deep = rng.random(n) < 0.15
    units = pd.DataFrame({
        "id": [f"{130000 + i:07d}" for i in range(n)],
        "name": [f"县{i}" for i in range(n)],
        "deep_poverty": deep.astype(int),
        "relocation_pop": np.where(rng.random(n) < 0.1, rng.integers(5_000, 20_000, n), 0),
        "registered_poor_labour": labour,
        "unemployed_poor_labour": (labour * rng.uniform(0.1, 0.3, n)).astype(int),
        "workshop_jobs": rng.integers(50, 1_500, n),
        "export_capacity": rng.integers(100, 3_000, n),
        "post_slots": rng.integers(50, 800, n),
        "startup_slots": rng.integers(10, 300, n),
        "training_places": rng.integers(100, 2_000, n),
        "poor_graduates": rng.integers(5, 150, n),
        "employed_poor": rng.integers(200, 5_000, n),
        "zero_employment_households": rng.integers(0, 60, n),
        "hourly_min_wage": rng.choice([16.0, 17.0, 18.0, 19.0], n),
        "population": labour * 2,
    })
    return units


def make_scenario(n: int, n_measures: int = 6, seed: int = 0, budget_share: float = 0.35) -> fa.Scenario:
    """``n`` units × ``n_measures`` measures with pool, coverage, group_share, per_capita_tilt, hold_harmless,
    unit_bounds, earmark and min_coverage_rate; the budget funds ``budget_share`` of all capacity."""
    units = make_units(n, seed)
    measures = {}
    for name, cost, eff, cap in MEASURES[:n_measures]:
        unit_cost = f"{cost} 元" if cost else {"product": ["hourly_min_wage", 60, 12], "unit": "元"}
        measures[name] = {"unit_cost": unit_cost, "effectiveness": eff, "capacity": cap}
        if not isinstance(eff, list) and eff > 1:  # a returnee's business hires others besides the returnee
            measures[name]["max_effectiveness"] = 2.0
    sc = fa.Scenario(units=units, budget={"total": 1.0}, measures=measures)
    p = fa.build(sc)
    alloc = slice(0, p.n_alloc)
    per_unit = np.bincount(p.col_unit[alloc], weights=p.col_money[alloc] * p.col_upper[alloc], minlength=n) \
        * p.money_scale
    budget = round(float(per_unit.sum()) * budget_share)
    # last year's money: a share of what each county can absorb, so the floors can be met
    last = per_unit * budget_share * np.random.default_rng(seed + 1).uniform(0.1, 0.3, n)
    units["last_year"] = np.round(last, 2)
    names = list(measures)
    rules = [
        {"type": "pool", "name": "one_person_one_measure", "measures": names[:min(3, len(names))],
         "column": "unemployed_poor_labour"},
        {"type": "coverage", "name": "zero_employment", "column": "zero_employment_households"},
        {"type": "group_share", "name": "tilt", "group": "priority", "min": 0.3},
        {"type": "per_capita_tilt", "name": "per_head", "group": "deep_poverty", "population": "population",
         "ratio": 0.6},
        {"type": "hold_harmless", "column": "last_year", "min_ratio": 0.8, "max_ratio": 20.0},
        {"type": "unit_bounds", "name": "ceiling", "max": budget * 0.05},
        {"type": "earmark", "name": "training_share", "measures": [names[-1]], "max": 0.3},
        {"type": "min_coverage_rate", "name": "fairness", "column": "zero_employment_households", "rate": 0.5},
    ]
    return fa.Scenario(name=f"synthetic-{n}x{n_measures}", units=units, budget={"total": budget},
                       groups={"deep_poverty": {"column": "deep_poverty"},
                               "relocation": {"column": "relocation_pop", ">=": 10_000},
                               "priority": {"any": ["deep_poverty", "relocation"]}},
                       weights={"deep_poverty": 1.5, "relocation": 1.3}, measures=measures, rules=rules)
