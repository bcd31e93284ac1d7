"""Names of the programme's own rows (the budget, targets, entitlements, population sizes), as people call them."""

WORDS = {
    "labels.budget": ("budget", "预算"),
    "labels.coverage_rate": ("coverage rate", "覆盖率"),
    "labels.target_total": ("the total target", "总体就业目标"),
    "labels.target_group": ("the target of {group}", "{group}就业目标"),
    "labels.entitlement": ("entitlement of {measure}", "{measure}按规定应享补贴"),
    "labels.population": ("size of {population}", "{population}人数"),
    # parameters named by dotted path, in charts and tables
    "param.of": ("{thing}: {field}", "{thing}：{field}"),
    "param.budget": ("budget", "预算总额"),
    "param.weight": ("weight of {group}", "{group}权重"),
    "param.field.unit_cost": ("unit cost", "单位成本"),
    "param.field.effectiveness": ("effectiveness", "成效"),
    "param.field.capacity": ("capacity", "容量"),
    "param.field.full_time_equivalent": ("full-time equivalent", "全职折算系数"),
    "param.field.demand": ("demand", "预计申领"),
    "param.field.hours": ("hours", "工时"),
    "param.field.min": ("min", "下限"),
    "param.field.max": ("max", "上限"),
    "param.field.min_ratio": ("min_ratio", "最低比例"),
    "param.field.max_ratio": ("max_ratio", "最高比例"),
    "param.field.ratio": ("ratio", "倍数"),
    "param.field.factor": ("factor", "系数"),
    "param.field.rate": ("rate", "比例"),
    "param.field.plus": ("plus", "加点"),
}
