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
        "Rounding up leaves {margin} {unit} in {cells} amounts above what their capacity can use.",
        "向上取整后，有{cells}项金额超出其容量所需，合计{margin}{unit}。"),
    "table.note.last_year": (
        "Last year is the units-table column `{column}`; Change and Change % compare Optimised with it.",
        "上年分配取自单位表的`{column}`列；增减、增减%为优化分配与上年分配之差。"),
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
}
