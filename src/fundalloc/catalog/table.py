"""Words of the tables for people: the 分配表 (allocation table), the workbook's sheets and their headers."""

WORDS = {
    # rows added to per-unit tables
    "table.subtotal": ("{region} subtotal", "{region}小计"),
    "table.total": ("Total", "合计"),
    # the 分配表
    "table.title": ("Allocation table", "分配表"),
    "table.code": ("Code", "单位代码"),
    "table.unit": ("County", "县(市、区)"),
    "table.region": ("City", "所属市"),
    "table.money": ("{what} ({unit})", "{what}（{unit}）"),
    "table.last_year": ("Last year", "上年分配"),
    "table.factor": ("Factor formula", "因素法测算"),
    "table.optimised": ("Optimised", "优化分配"),
    "table.change": ("Change", "增减"),
    "table.change_pct": ("Change %", "增减%"),
    "table.persons_funded": ("Persons funded", "扶持人数"),
    "table.persons_employed": ("Persons employed", "实现就业人数"),
    # its notes
    "table.note.unit": (
        "Money in {unit}, every amount rounded to {step} {unit}; the optimised amounts add up to {total} {unit} "
        "({target}), and each county's measures add up to its total.",
        "金额单位：{unit}，各项金额取整到{step}{unit}；优化分配合计{total}{unit}（{target}），各县分项之和等于该县合计。"),
    "table.note.target_budget": ("the budget", "等于预算总额"),
    "table.note.target_allocated": ("the money allocated, rounded", "等于实际分配额取整"),
    "table.note.largest_remainder": (
        "Each amount is rounded to its nearer multiple where the total allows (largest remainder), and every rule "
        "still holds.",
        "各项金额按最大余数法就近取整，取整后各项约束仍全部满足。"),
    "table.note.integer_programme": (
        "Rounding every amount to its nearer multiple would break a rule, so some are rounded the other way: an "
        "integer programme found the nearest rounding that keeps every rule.",
        "若全部就近取整会违反约束，故部分金额反向取整：由整数规划求得满足全部约束且最接近测算结果的取整方案。"),
    "table.note.least_broken": (
        "No rounding to {step} {unit} keeps every rule; this one breaks them least:",
        "取整到{step}{unit}后无法满足全部约束，本表采用违反最少的方案："),
    "table.note.not_repaired": (
        "For a table this large each amount is rounded to its nearer multiple where the total allows (largest "
        "remainder) and no integer programme searches for another rounding; persons funded are the optimum's, "
        "fewer in proportion where an amount is rounded down, and money rounded up beyond their cost is margin "
        "({margin} {unit} in all).",
        "因表格规模较大，各项金额按最大余数法就近取整，不再用整数规划调整；扶持人数沿用优化结果，金额向下取整处按比例减少，"
        "向上取整超出其费用的部分为取整余量（合计{margin}{unit}）。"),
    "table.note.not_repaired_holds": ("Every rule still holds.", "取整后各项约束仍全部满足。"),
    "table.note.not_repaired_breaks": ("This rounding breaks:", "该取整方案违反以下约束："),
    "table.note.broken_min": (
        "{rule}: {rows} below its floor by {missed} {quantity} in all (most {largest}){where}",
        "{rule}：{rows}处低于下限，合计差{missed}{quantity}（最多{largest}）{where}"),
    "table.note.broken_max": (
        "{rule}: {rows} above its ceiling by {missed} {quantity} in all (most {largest}){where}",
        "{rule}：{rows}处超过上限，合计超出{missed}{quantity}（最多{largest}）{where}"),
    "table.note.where": (", in {units}", "，涉及{units}"),
    "table.note.persons": ("persons", "人"),
    "table.note.not_on_step": (
        "The budget ({budget} {unit}) is not a whole multiple of {step} {unit}, so the rounded amounts add up to "
        "{total} {unit}.",
        "预算总额（{budget}{unit}）不是{step}{unit}的整数倍，取整后合计为{total}{unit}。"),
    "table.note.not_proven": (
        "The integer programme stopped at its time limit; a nearer rounding may exist.",
        "整数规划达到时间上限后停止，可能存在更接近的取整方案。"),
    "table.note.margin": (
        "{cells} amounts are rounded up beyond what their persons cost ({margin} {unit} in all): there are no "
        "more persons to fund there under the rules, so the money is margin.",
        "有{cells}项金额向上取整后超出所扶持人员的费用（合计{margin}{unit}）：按各项约束该处已无更多可扶持人员，该部分为取整余量。"),
    "table.note.searched": (
        "For a table this large the integer programme changed the nearest rounding only in the counties where it "
        "breaks a rule and in the {searched} amounts nearest the cut-off between rounding down and up; a slightly "
        "nearer rounding may exist.",
        "因表格规模较大，整数规划仅在就近取整违反约束的县及最接近取舍界线的{searched}项金额中调整，可能存在略更接近的取整方案。"),
    "table.note.last_year": (
        "Last year is the units-table column {column}; Change and Change % compare Optimised with it.",
        "上年分配取自单位表的{column}列；增减、增减%为优化分配与上年分配之差。"),
    "table.note.factor": (
        "Factor formula: the scenario's factor baseline, rounded the same way (largest remainder).",
        "因素法测算：按情景设定的因素法分配，并以同样方式（最大余数法）取整。"),
    "table.note.factor_floors": (
        "Rounding the factor formula misses its floors by {missed} {unit} in all.",
        "因素法测算取整后，合计低于其保底{missed}{unit}。"),
    "table.note.persons_counted": (
        "Persons funded and employed are those the rounded money funds (unweighted); the unrounded amounts are in "
        "units.csv and allocation.csv.",
        "扶持人数、实现就业人数按取整后的金额计算（未加权）；未取整的金额见units.csv和allocation.csv。"),
    "table.note.integer": (
        "The scenario asks for whole persons; the rounded money funds fractions of a person in some places.",
        "情景要求按整人计算，取整后的金额在部分县会对应非整数人数。"),
    "table.where": ("allocation table (分配表): {path}", "分配表：{path}"),

    # the workbook: sheet names
    "sheet.allocation": ("Allocation", "分配表"),
    "sheet.by_measure": ("By measure", "分项目汇总"),
    "sheet.rule_prices": ("Rule prices", "约束价格"),
    "sheet.sensitivity": ("Sensitivity", "敏感性分析"),
    "sheet.comparison": ("Comparison", "方案比较"),
    "sheet.notes": ("Notes", "说明"),
    # by measure
    "book.measure": ("Measure", "项目"),
    "book.share": ("Share", "占比"),
    # rule prices
    "book.rule": ("Rule", "约束"),
    "book.description": ("What it stands for", "政策依据"),
    "book.binding": ("At its limit", "是否达到限值"),
    "book.yes": ("yes", "是"),
    "book.no": ("no", "否"),
    "book.shadow_price": ("Shadow price ({objective} per unit of the limit)", "影子价格（每单位限值对应的{objective}）"),
    "book.price": ("Objective gained without the rule", "取消该约束后目标值增加"),
    "book.relaxed": ("Loosened by", "放宽方式"),
    "book.price_of_step": ("Objective gained by loosening it", "放宽后目标值增加"),
    # sensitivity
    "book.parameter": ("Parameter", "参数"),
    "book.low": ("Low value", "下调取值"),
    "book.high": ("High value", "上调取值"),
    "book.objective_low": ("Objective at the low value", "下调后目标值"),
    "book.objective_high": ("Objective at the high value", "上调后目标值"),
    "book.swing": ("Swing", "目标值变动幅度"),
    "book.value_of": ("Value: {parameter}", "取值：{parameter}"),
    "book.objective": ("Objective", "目标值"),
    "book.allocated": ("Allocated ({unit})", "分配资金（{unit}）"),
    # comparison
    "book.run_money": ("{run}: money ({unit})", "{run}：资金（{unit}）"),
    "book.run_persons": ("{run}: persons employed", "{run}：实现就业人数"),
    "book.diff_money": ("{run} − {base}: money ({unit})", "{run}比{base}：资金增减（{unit}）"),
    "book.diff_persons": ("{run} − {base}: persons employed", "{run}比{base}：就业人数增减"),
    # the notes sheet
    "book.item": ("Item", "项目"),
    "book.content": ("Content", "内容"),
    "book.scenario": ("Scenario", "测算情景"),
    "book.about": ("Description", "情景说明"),
    "book.variant": ("Variant", "方案"),
    "book.date": ("Computed on", "测算日期"),
    "book.software": ("Software", "测算软件"),
    "book.solver": ("Solver", "求解器"),
    "book.money_unit": ("Money unit", "金额单位"),
    "book.rounding": ("Rounding of the allocation table", "分配表取整精度"),
    "book.budget": ("Budget", "预算总额"),
    "book.objective_value": ("Objective", "优化目标值"),
    "book.input": ("Input file", "输入文件"),
    "book.sha256": ("{path} (sha256 {digest})", "{path}（sha256：{digest}）"),
    "book.column": ("Column “{column}”", "“{column}”列"),
    "book.note": ("Note", "备注"),
    "book.meaning.code": ("the county's code, as in the units table", "单位表中的县级代码"),
    "book.meaning.unit": ("the county's name", "县（市、区）名称"),
    "book.meaning.region": ("the city the county belongs to; its counties are followed by its subtotal",
                            "县所属的地级市；各市所辖县之后为该市小计"),
    "book.meaning.last_year": ("last year's money (the units-table column {column})",
                               "上年分配额（单位表{column}列）"),
    "book.meaning.factor": ("what the factor formula (因素法) gives, rounded", "按因素法测算的分配额（已取整）"),
    "book.meaning.optimised": ("the optimised allocation, rounded so that it adds up to the total exactly",
                               "优化分配额（已取整，合计与总额完全一致）"),
    "book.meaning.change": ("optimised minus last year", "优化分配减上年分配"),
    "book.meaning.change_pct": ("the change as a share of last year", "增减额占上年分配的比例"),
    "book.meaning.measure": ("the money for this measure, part of the county's total", "该项目的分配额，计入该县合计"),
    "book.meaning.persons_funded": ("persons the money funds", "资金扶持的人数"),
    "book.meaning.persons_employed": ("persons brought into (or kept in) work (unweighted)",
                                      "实现（稳定）就业的人数（未加权）"),
}
