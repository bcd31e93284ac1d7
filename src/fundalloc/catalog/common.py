"""Words used everywhere: statuses, units, small connectives."""

WORDS = {
    "common.status.optimal": ("optimal", "最优"),
    "common.status.infeasible": ("infeasible", "无可行解"),
    "common.money": ("{value} {unit}", "{value}{unit}"),
    "common.status.unbounded": ("unbounded", "无界"),
    "common.status.time_limit": ("time limit", "超时"),
    "common.status.error": ("error", "求解出错"),
    "common.status.invalid": ("invalid", "参数无效"),
    "common.status.identity": ("identity", "核算恒等式"),
    "common.yes": ("yes", "是"),
    "common.no": ("no", "否"),
    "common.no_limit": ("no limit", "无限"),
    "common.list.sep": (", ", "、"),
    "common.list.or": (" or ", "或"),
}
