"""The rebuilt Hebei example meets issue 9's bar, and its README's numbers are the run's."""
from functools import lru_cache
from pathlib import Path


import fundalloc as fa

ROOT = Path(__file__).resolve().parents[1]
HEBEI = ROOT / "examples" / "hebei"


@lru_cache(maxsize=None)
def runs():
    sc = fa.load_scenario(HEBEI / "scenario.yaml")
    return sc, fa.solve(sc), fa.factor_allocation(sc)


def share(res, group="priority") -> float:
    amounts = res.units["amount"].to_numpy()
    return float(amounts[res.program.masks[group]].sum() / amounts.sum())


def per_head(sc, res):
    amounts = res.units["amount"].to_numpy()
    labour = sc.units["registered_poor_labour"].to_numpy(dtype=float)
    priority = res.program.masks["priority"]
    return amounts / labour * 1e4, amounts[~priority].sum() / labour[~priority].sum() * 1e4


def test_zhangbei_is_deep_poverty_and_the_codes_are_2019s():
    sc, _, _ = runs()
    units = sc.units.set_index("name")
    assert units.loc["张北县", "deep_poverty"] == 1 and int(sc.units["deep_poverty"].sum()) == 10
    assert str(units.loc["万全区", "code_2012"]) == "130729" and units.loc["万全区", "id"] == "130708"
    assert units.loc["平泉市", "id"] == "130881"


def test_the_notice_is_met():
    sc, res, fb = runs()
    assert res.shadow_prices["zero_employment"] < -1e-6                     # 零就业 binds
    training = res.allocation[res.allocation["measure"] == "workshop_training"].set_index("unit_id")
    with_workshops = sc.units.set_index("id")["workshop_jobs"] > 0
    assert (training.loc[with_workshops[with_workshops].index, "amount"] > 0).all()  # 以工代训 everywhere
    money = res.allocation.groupby("measure")["amount"].sum()
    assert money["public_welfare_post"] / money.sum() < 0.5                 # posts under half
    priority = res.program.masks["priority"]
    last = sc.units["last_year"].to_numpy(dtype=float)
    assert (res.units["amount"].to_numpy()[priority] >= last[priority] * (1 - 1e-9)).all()  # no cut
    heads, others = per_head(sc, res)
    assert (heads[priority] > others).all()                                 # more per registered poor labourer
    assert share(res) >= share(fb) - 1e-9                                   # at least the formula's share


def test_the_readme_prints_the_runs_numbers():
    sc, res, fb = runs()
    text = " ".join((HEBEI / "README.md").read_text(encoding="utf-8").split())
    money = res.allocation.groupby("measure")["amount"].sum()
    heads, others = per_head(sc, res)
    ids = list(sc.units["name"])
    zero = res.units["shadow.zero_employment"].abs() > 1e-9
    no_cut_at_floor = int(res.at_limit("no_cut")[0].sum())
    gain = res.objective - fb.objective
    last = sc.units["last_year"].to_numpy(dtype=float)
    priority = res.program.masks["priority"]
    keep = fa.solve(fa.load_scenario(HEBEI / "scenario.yaml", variant="keep_last_share"))
    expected = [
        f"{res.objective:,.0f} weighted full-time-equivalent jobs ({res.total_outcome:,.0f} persons employed)",
        f"one more 万元 adds {res.shadow_prices['budget']:.2f}",
        f"public-welfare posts take {100 * money['public_welfare_post'] / money.sum():.1f} %",
        f"binds in {int(zero.sum())} counties (shadow price "
        f"{res.shadow_prices['zero_employment']:.0f}".replace("-", "−"),
        f"the priority counties get {100 * share(res):.1f} % of the money, more than the factor formula's "
        f"{100 * share(fb):.1f} %",
        f"(`no_cut` binds in {no_cut_at_floor} of {int(priority.sum())})",
        f"the others' {others:.0f} 元 per registered poor labourer (张北县 {heads[ids.index('张北县')]:.0f} 元, "
        f"康保县 {heads[ids.index('康保县')]:.0f} 元)",
        f"+{gain:,.0f} weighted jobs (+{100 * gain / fb.objective:.1f} %)",
        f"had {100 * last[priority].sum() / last.sum():.1f} % of a smaller budget",
        f"costs {res.objective - keep.objective:,.0f} weighted jobs (−{100 * (1 - keep.objective / res.objective):.1f} %)",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, missing


def test_the_post_cap_is_one_the_data_can_meet():
    sc, res, _ = runs()
    tight = fa.solve(sc.with_changes({"rules.posts_cap.max": 0.3}))
    assert tight.status == "optimal"


def test_the_projects_readme_prints_the_runs_summary_lines():
    sc, res, fb = runs()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    summary = res.summary().splitlines()
    bullets = [line for line in summary if line.startswith("  - ")]  # the budget's line comes first
    wanted = [summary[2], bullets[0]] + [b for b in bullets if "zero_employment" in b or "no_cut" in b]
    wanted.append("  " + fa.compare({"factor": fb, "base": res}).headline())
    missing = [line for line in wanted if line not in readme]
    assert len(wanted) == 5 and not missing, missing
