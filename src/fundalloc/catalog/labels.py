"""Names of the programme's own rows (the budget, targets, entitlements, population sizes), as people call them."""

WORDS = {
    "labels.budget": ("budget", "预算"),
    "labels.coverage_rate": ("coverage rate", "覆盖率"),
    "labels.target_total": ("total target", "总体就业目标"),
    "labels.target_group": ("target of {group}", "{group}就业目标"),
    "labels.entitlement": ("entitlement of {measure}", "{measure}应享补贴"),
    "labels.population": ("size of {population}", "{population}人数"),
}
