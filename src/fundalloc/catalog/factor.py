"""Words of the factor formula (因素法) and of the runs compared: its notes, summary, the rules it breaks, the
comparison's section and chart."""

WORDS = {
    # notes of the formula's result
    "factor.note.evaluated": ("outcome evaluated with each unit's money fixed by the formula and its measures "
                              "chosen under the unit-level rules; shadow prices are those of that evaluation",
                              "效果按因素法确定的各县资金、在县级规则下选择各项措施测算；影子价格为该测算的影子价格"),
    "factor.note.unspent": ("{money} {unit} of the formula's money cannot be spent within the capacities and pools "
                            "of {n} units", "因素法资金中有{money}{unit}在{n}个县的容量和人员池内无法使用"),
    "factor.note.continuous": ("evaluated with continuous persons (integer: true is ignored for the formula)",
                               "按连续人数测算（因素法不采用 integer: true）"),
    # its summary
    "factor.title": ("fundalloc factor formula (因素法): {name}", "因素法测算：{name}"),
    "factor.formula": ("formula", "测算公式"),
    "factor.spent": ("spent", "实际使用"),
    "factor.spent.value": ("{spent} {unit} (unspent {unspent})", "{spent}{unit}（未使用{unspent}）"),
    "factor.breaks": ("rules the formula breaks", "因素法未满足的规则"),
    "factor.breaks_none": ("(none)", "（无）"),
    "factor.less": (" (less is more)", "（越小越多）"),
    "factor.classes": ("classes {classes}:", "因素类别：{classes}"),
    "factor.base_index": ("{base} × factor index of", "{base} × 因素指数，其中"),
    "factor.floor": ("; floor {ratio} × {column}, {rounds} round(s) of ratable reduction",
                     "；保底{ratio} × {column}，按比例核减{rounds}轮"),
    "factor.part": ("{name} {weight}", "{name} {weight}"),
    # the rules it breaks (broken_rules.csv's detail, the summary)
    "factor.broken.units": ("{hit} of {n} units {verb} their {bound} by {short} {unit} in all (most: {name} {id}, "
                            "{worst})", "{n}个县中有{hit}个{verb}{bound}，合计{short}{unit}（最多：{name} {id}，{worst}）"),
    "factor.broken.short_of": ("short of", "低于"),
    "factor.broken.over": ("over", "超过"),
    "factor.broken.share": ("{what} gets {share} % of the money, {bound} {limit} %: {side} by {gap} {unit} "
                            "({points} points)", "{what}获得资金的{share}%，{bound}{limit}%：{side}{gap}{unit}"
                            "（{points}个百分点）"),
    "factor.broken.short": ("short", "差"),
    "factor.broken.over_by": ("over", "超出"),
    "factor.broken.group": ("group {group}", "{group}"),
    # a share rule stated in each region: the region that misses it most, and how many miss it
    "factor.broken.in_region": ("{what} in {region}", "{region}{what}"),
    "factor.broken.regions": (" ({missed} of {n} regions miss it)", "（{n}个市中有{missed}个未满足）"),
    "factor.broken.spend_all": ("{money} {unit} cannot be spent within the units' capacities and pools, but "
                                "`spend_all` asks for every 元", "有{money}{unit}在各县容量和人员池内无法使用，"
                                "但 `spend_all` 要求全部用完"),
    "factor.bound.min": ("min", "下限"),
    "factor.bound.max": ("max", "上限"),
    # the comparison in report.html and its chart
    "compare.section": ("Comparison: {runs}", "方案比较：{runs}"),
    "compare.money_note": ("Money in {unit}; differences are from {base}.", "金额单位：{unit}；差额均相对于{base}。"),
    "compare.by_group": ("By group", "分组汇总"),
    "compare.by_unit": ("By unit", "分县明细"),
    "compare.chart.title": ("Differences from {base}", "与{base}的差异"),
    "compare.chart.run": ("{run} − {base}", "{run}减{base}"),
    "compare.chart.changed": ("{changed} of {n} units changed", "{n}个县中有{changed}个有变化"),
    "compare.chart.largest": (", the {shown} largest shown", "，显示变化最大的{shown}个"),
    "compare.chart.money": ("money ({unit})", "资金（{unit}）"),
    "compare.chart.persons": ("persons employed", "实现就业人数"),
    "compare.repr": ("Comparison of {runs} (base {base})", "方案比较：{runs}（基准：{base}）"),
}
