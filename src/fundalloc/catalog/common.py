"""Words used everywhere: statuses, units, small connectives."""

WORDS = {
    "common.status.optimal": ("optimal", "最优"),
    "common.status.infeasible": ("infeasible", "无可行解"),
    "common.money": ("{value} {unit}", "{value} {unit}"),
    "common.list.sep": (", ", "、"),
    "common.list.or": (" or ", "或"),
}
