"""Words of the summary of a result: its headline figures, money by group, the binding rules, the runs compared,
the notes (the printed summary, the notebook view, report.html)."""

WORDS = {
    # the headline figures
    "summary.status": ("status", "求解状态"),
    "summary.objective": ("objective", "目标值"),
    "summary.coverage_rate": ("coverage rate", "覆盖率"),
    "summary.coverage_rate.value": ("{rate} of the need in every county", "各县均达到需求的{rate}"),
    "summary.budget": ("budget", "预算"),
    "summary.allocated": ("allocated", "已分配资金"),
    "summary.persons": ("persons employed", "实现就业人数"),
    "summary.persons.value": ("{n} (unweighted)", "{n}（未加权）"),
    # money by group
    "summary.by_group": ("money by group", "分组资金"),
    "summary.share": ("share", "占比"),
    "summary.all_groups": ("all", "全部县"),
    "summary.in_unit": (" ({unit})", "（{unit}）"),
    # the rules
    "summary.binding": ("binding rules", "起约束作用的规则"),
    "summary.none_binding": ("(none: the budget and the capacities alone decide)",
                             "（无：分配仅由预算和容量决定）"),
    "summary.note": ("note: {text}", "注：{text}"),
    # the notebook view
    "summary.top_units": ("Top units by money ({unit})", "资金最多的县（{unit}）"),
    # runs
    "summary.run.base": ("base", "原方案"),
    "summary.run.factor": ("factor", "因素法"),
    "summary.runs_compared": ("runs compared (money in {unit}; every county in comparison.csv)",
                              "方案比较（金额单位：{unit}；各县明细见 comparison.csv）"),
    # notes
    "summary.solved": ("Money is in {unit}. Solved with {solver} in {seconds} s by fundalloc {version} on {date}.",
                       "金额单位：{unit}。由 fundalloc {version}调用{solver}于{date}求解，用时{seconds}秒。"),
    "summary.scenario_file": ("Scenario file: {path}.", "情景文件：{path}。"),
    "summary.inputs": ("Inputs (sha256): {files}", "输入文件（sha256）：{files}"),
    # notes of a result
    "result.note.integer": ("integer: true: whole persons (a MIP), so shadow prices and ranging are not defined",
                            "integer: true（按整人计算，混合整数规划）：影子价格和灵敏度范围无定义"),
    "result.note.no_ranging": ("ranging is not available from the {backend} backend",
                               "{backend}求解器不提供灵敏度范围"),
    "result.note.ranging_skipped": ("ranging was not computed", "未计算灵敏度范围"),
    # per-unit columns in views for people
    "result.column.groups": ("groups", "所属分组"),
    "result.column.weight": ("weight", "权重"),
    "result.column.amount": ("amount", "资金"),
    "result.column.binding_rules": ("rules at their limit", "处于限值的规则"),
    # the report's charts and per-county table
    "summary.chart.by_county": ("Money by county", "各县资金"),
    "summary.chart.by_county_largest": ("Money by county: the {most} largest of {n}", "各县资金：{n}个县中资金最多的{most}个"),
    "summary.chart.by_measure": ("Money by measure", "各项措施资金"),
    "summary.units.note": ("Money in {unit}, by measure and in total; largest allocation first.",
                           "金额单位：{unit}，分项目及合计；按分配额从大到小排列。"),
}
