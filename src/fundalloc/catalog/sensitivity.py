"""Words of the sensitivity analysis: its section of the report, the titles and axes of its charts, the Monte
Carlo summary, the sweeps' breakpoints; physical bounds of uncertain parameters, clipped values, argument checks."""

WORDS = {
    # how a rule was loosened: "factor 1 → 0.9", "系数1 → 0.9"
    "sens.relaxed.field": ("{field} {change}", "{field}{change}"),
    # the report's section
    "sens.title": ("Sensitivity", "敏感性分析"),
    "sens.prices_say": ("What this allocation's prices say", "影子价格说明了什么"),
    "sens.rule_costs": ("What each policy rule costs", "各项政策规则的代价"),
    "sens.sweep_of": ("Sweep of {parameter}", "参数扫描：{parameter}"),
    "sens.breakpoints": ("The objective's slope changes at {n} budgets; the set of binding rules changes at {m} of "
                         "them:", "目标值的斜率在{n}个预算点发生变化，其中{m}个点起约束作用的规则有变化："),
    "sens.tornado": ("Tornado", "单因素敏感性（龙卷风图）"),
    "sens.monte_carlo": ("Monte Carlo", "蒙特卡洛模拟"),
    "sens.least_sure": ("The units least sure of their money:", "资金最不稳定的县："),
    "sens.ranging": ("How far each binding limit can move with the same prices",
                     "各约束限值在影子价格不变时的变动范围"),
    "sens.ranging_lead": ("Within these ranges the shadow prices above stay valid.{more}",
                          "在以下范围内，上述影子价格保持不变。{more}"),
    "sens.ranging_more": (" The first {shown} of {n} are shown; ranging_plain.csv has them all.",
                          "此处列出{n}项中的前{shown}项，全部见 ranging_plain.csv。"),
    # charts: sweeps
    "sens.chart.objective_along": ("Objective along {parameter}", "目标值随{parameter}的变化"),
    "sens.chart.objective": ("objective", "目标值"),
    "sens.chart.no_optimum": ("no optimum ({statuses})", "无最优解（{statuses}）"),
    "sens.chart.rules_change": ("the binding rules change", "起约束作用的规则发生变化"),
    "sens.chart.budget_price": ("shadow price of the budget", "预算的影子价格"),
    "sens.chart.budget_buys": ("What one more unit of budget buys", "每增加一个单位预算的效果"),
    "sens.chart.money_by_group": ("Money by group", "分组资金"),
    "sens.chart.all_units": ("all units", "全部县"),
    "sens.chart.sweep": ("Sweep of {parameter}", "参数扫描：{parameter}"),
    # charts: tornado, rule prices, Monte Carlo
    "sens.chart.tornado": ("Tornado: one parameter at a time", "单因素敏感性：每次只变动一个参数"),
    "sens.chart.tornado_side": ("parameter {change}", "参数{change}"),
    "sens.chart.tornado_axis": ("change of the objective from the base {base} ({words})",
                                "目标值相对基准值{base}的变化（{words}）"),
    "sens.chart.rule_removed": ("rule removed", "取消该规则"),
    "sens.chart.rule_loosened": ("rule loosened by the step", "按步长放宽该规则"),
    "sens.chart.rule_costs": ("What each policy rule costs", "各项政策规则的代价"),
    "sens.chart.objective_gained": ("objective gained ({words})", "目标值增加（{words}）"),
    "sens.chart.rule_step": ("{rule} ({relaxed})", "{rule}（{relaxed}）"),
    "sens.chart.draws": ("draws", "抽样次数"),
    "sens.chart.base": ("base", "基准"),
    "sens.chart.objective_draws": ("Objective over the draws", "各次抽样的目标值分布"),
    "sens.chart.money_per_unit": ("Money per unit", "各县资金"),
    "sens.chart.band": ("5–95 % of draws", "5%–95%抽样区间"),
    "sens.chart.monte_carlo": ("Monte Carlo", "蒙特卡洛模拟"),
    # the Monte Carlo summary
    "sens.mc.draws": ("Monte Carlo: {total} draws (seed {seed}{design}): {counts}",
                      "蒙特卡洛模拟：共{total}次抽样（随机种子{seed}{design}）：{counts}"),
    "sens.mc.sobol_design": (", Sobol design", "，Sobol设计"),
    "sens.mc.count": ("{n} {status}", "{status}{n}次"),
    "sens.mc.objective": ("Objective ({words}): base {base}, mean {mean}, 90 % of draws between {low} and {high}.",
                          "目标值（{words}）：基准{base}，均值{mean}，90%的抽样在{low}至{high}之间。"),
    "sens.mc.steady": ("{steady} of {n} units keep within ±10 % of their base amount in at least 90 % of draws.",
                       "{n}个县中有{steady}个县在至少90%的抽样中资金偏离基准不超过±10%。"),
    "sens.mc.least_stable": ("Least stable: {units}.", "最不稳定：{units}。"),
    "sens.mc.unit_share": ("{name} ({share})", "{name}（{share}）"),
    "sens.mc.sobol_note": ("Sobol indices: {note}.", "Sobol指数：{note}。"),
    "sens.mc.sobol_top": ("Sobol total-order indices of the objective: {top}.", "目标值的Sobol总效应指数：{top}。"),
    # progress bars
    "sens.progress.tornado": ("tornado", "单因素敏感性"),
    "sens.progress.monte_carlo": ("monte carlo", "蒙特卡洛模拟"),
    "sens.progress.rule_prices": ("rule prices", "规则代价"),
    "sens.progress.sweep": ("sweep {parameter}", "参数扫描 {parameter}"),
    # a sweep in a notebook
    "sens.sweep.repr": ("Sweep of {parameter}: {n} values, {ok} optimal", "参数扫描{parameter}：{n}个取值，{ok}个有最优解"),
    # what changes at a budget breakpoint (sweep_budget_total_breakpoints.csv)
    "sens.change.filled": ("capacity filled: {what}", "容量已满：{what}"),
    "sens.change.freed": ("capacity freed: {what}", "容量释放：{what}"),
    "sens.change.starts": ("starts: {what}", "开始资助：{what}"),
    "sens.change.stops": ("stops: {what}", "停止资助：{what}"),
    "sens.change.more": ("{listed} and {n} more", "{listed}，另有{n}项"),
    "sens.change.column": ("{measure}{step} ({unit})", "{measure}{step}（{unit}）"),
    "sens.change.step": (" step {n}", "第{n}档"),
    "sensitivity.bounds.effectiveness_above_max": (
        "effectiveness {value:g} is above {most:g} persons employed per person funded; if one person funded "
        "really brings more into work (a business that hires others), declare `max_effectiveness: {value:g}` "
        "for the measure",
        "就业效果 {value:g} 超过每资助一人带动就业 {most:g} 人的上限；若资助一人确实带动多人就业（如创业带动他人），"
        "请为该措施注明 `max_effectiveness: {value:g}`"),
    "sensitivity.bounds.effectiveness_column": (
        "effectiveness is the units column `{column}`: to move it, move `units.{column}`",
        "就业效果取自单位表的列 `{column}`：如需变动，请变动 `units.{column}`"),
    "sensitivity.clipped.monte_carlo": (
        "{n} drawn values were clipped to their physical bounds ({where}).",
        "有 {n} 个抽样值超出物理界限，已截至界限（{where}）。"),
    "sensitivity.clipped.tornado": (
        "{n} values tried were clipped to their physical bounds ({where}).",
        "有 {n} 个试算值超出物理界限，已截至界限（{where}）。"),
    "sensitivity.clipped.none": (
        "No value had to be clipped to its physical bounds.",
        "没有数值超出物理界限。"),
    "sensitivity.argument.whole_at_least": (
        "`{name}` is a whole number at least {least}, not {value!r}",
        "`{name}` 应为不小于 {least} 的整数，而不是 {value!r}"),
    "sensitivity.argument.one_of": (
        "`{name}` is one of {options}, not {value!r}",
        "`{name}` 应为 {options} 之一，而不是 {value!r}"),
    "sensitivity.argument.not_empty": (
        "`{name}` names at least one parameter",
        "`{name}` 至少要列出一个参数"),
}
