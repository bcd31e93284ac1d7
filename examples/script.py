"""The Python API on the Hebei scenario, the way an analyst would use it in a script or a notebook.

    python examples/script.py            # from the repository's root; writes fundalloc-out/script/

Each step prints what an official would ask about: the allocation, why it looks like that, what the tilt
costs, what a 10 % cut does, how the money moves with the budget, how it compares with the factor formula,
and how sure the numbers are.
"""
from pathlib import Path

import fundalloc as fa
from fundalloc.sensitivity import entry_thresholds, explain

HERE = Path(__file__).resolve().parent


def main() -> None:
    sc = fa.load_scenario(HERE / "hebei" / "scenario.yaml")

    # 1. The allocation and the rules that shape it
    res = fa.solve(sc)
    print(res.summary())
    top = res.units.sort_values("amount", ascending=False).head(10)
    print("\nTen counties with the most money (万元):")
    print(top[["unit_name", "groups", "amount", "outcome", "binding_rules"]].round(1).to_string())

    # 2. Why: shadow prices and reduced costs in words
    print("\nWhat the numbers say:")
    for sentence in explain(res):
        print(" -", sentence)
    edge = entry_thresholds(res).head(5)
    if not edge.empty:
        print("\nMeasures closest to being funded where they are not:")
        print(edge.to_string(index=False))

    # 3. What the tilt costs, and a 10 % cut, as variants of the same scenario
    runs = {"optimised": res,
            "no_tilt": fa.solve(sc.with_changes({"rules.tilt.min": 0}), variant="no_tilt"),
            "budget_cut": fa.solve(sc.with_changes({"budget.total": sc.money(sc.budget.total) * 0.9}),
                                   variant="budget_cut"),
            "factor": fa.factor_allocation(sc)}
    comparison = fa.compare(runs, base="optimised")
    print("\n" + comparison.headline())
    money = comparison.by_group[[c for c in comparison.by_group if c.startswith("amount.")]]
    print(money.round(1).to_string())

    # 4. The budget from 75 % to 125 % of the plan's, re-solved warm: where does the next 万元 go?
    budget = sc.money(sc.budget.total)
    sweep = fa.sweep(sc, "budget.total", from_=0.75 * budget, to=1.25 * budget, steps=11)
    print("\nBudget sweep:")
    print(sweep.table[["value", "objective", "shadow_price.budget"]].round(3).to_string(index=False))

    # 5. How sure: 200 draws of effectiveness and zero-employment counts (the scenario's monte_carlo section)
    mc = fa.monte_carlo(sc, draws=200, seed=42)
    print("\nCounties least sure of their amount (share of draws within ±10 % of base):")
    print(mc.units.sort_values("within_10pct").head(5).round(2).to_string())

    out = res.to_dir(Path("fundalloc-out") / "script")
    comparison.write(out)
    print(f"\nfiles: {out}/")


if __name__ == "__main__":  # the usual form for a script; fundalloc's own worker processes do not need it
    main()
