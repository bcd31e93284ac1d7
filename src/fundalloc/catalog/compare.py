"""Words of the comparison of runs (fa.compare): the headline line per run, in report.html and the summary."""

WORDS = {
    # "optimised vs factor formula: +1,125 weighted jobs (+1.0 %) at the same budget; `priority` gets 43.6% …"
    "compare.headline": ("{run} vs {other}: {diff} {words}{pct}{budget}{share}{caveats}",
                         "{run}对比{other}：{words} {diff}{pct}{budget}{share}{caveats}"),
    "compare.label.optimised": ("optimised", "优化方案"),
    "compare.label.factor": ("factor formula", "因素法"),
    "compare.pct": (" ({pct} %)", "（{pct}%）"),
    "compare.budget.same": (" at the same budget", "，预算相同"),
    "compare.budget.other": (" at a budget of {run} vs {other} {unit}", "，预算{run}{unit}（对比{other}{unit}）"),
    "compare.budget.spending": (" spending {run} vs {other} {unit}", "，支出{run}{unit}（对比{other}{unit}）"),
    # the share of the group the scenario tilts toward, so a job gain bought by taking money from it shows
    "compare.share.factor": ("; {group} gets {share:.1%} (formula {reference:.1%})",
                             "；{group}所得份额{share:.1%}（因素法{reference:.1%}）"),
    "compare.share.runs": ("; {group} gets {share:.1%} vs {reference:.1%}",
                           "；{group}所得份额{share:.1%}（对比{reference:.1%}）"),
    "compare.caveats": ("; the factor formula {what}", "；因素法{what}"),
    "compare.caveats.sep": (" and ", "，"),
    "compare.caveats.breaks": ("breaks {rules}", "未满足{rules}"),
    "compare.caveats.unspent": ("leaves {money} {unit} unspent", "有{money}{unit}未能使用"),
    "compare.rules_sep": (", ", "、"),
}
