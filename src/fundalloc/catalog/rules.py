"""Words for the rules and blocks of the second wave: populations, entitlements, reference shares."""

WORDS = {
    "rules.share.reference.baseline": ("at least the factor formula's share ({share:.1%}{plus})",
                                       "不低于因素法测算的份额（{share:.1%}{plus}）"),
    "rules.share.reference.column": ("at least the share of {column} ({share:.1%}{plus})",
                                     "不低于按{column}计算的份额（{share:.1%}{plus}）"),
    "rules.share.plus": (" with {points:+.1f} points", "，加{points:+.1f}个百分点"),
    "rules.from_population": (" among {population}", "（限{population}）"),
    # min: [baseline, last_year]: the largest of several shares
    "rules.share.reference.larger": ("at least the larger of {terms}{plus}: {share:.1%}",
                                     "不低于{terms}中的较高者{plus}，即{share:.1%}"),
    "rules.share.reference.largest": ("at least the largest of {terms}{plus}: {share:.1%}",
                                      "不低于{terms}中的最高者{plus}，即{share:.1%}"),
    "rules.share.term.baseline": ("the factor formula's share ({share:.1%})", "因素法测算的份额（{share:.1%}）"),
    "rules.share.term.column": ("the share of {column} ({share:.1%})", "按{column}计算的份额（{share:.1%}）"),
    "rules.share.term.number": ("{share:.0%}", "{share:.0%}"),
    "rules.share.term.last_sep": (" and ", "与"),
    # the same, stated in each region: the shares differ by region, the words name the references
    "rules.share.reference.each": ("at least {terms}{plus}", "不低于{terms}{plus}"),
    "rules.share.reference.larger_each": ("at least the larger of {terms}{plus}", "不低于{terms}中的较高者{plus}"),
    "rules.share.reference.largest_each": ("at least the largest of {terms}{plus}", "不低于{terms}中的最高者{plus}"),
    "rules.share.term.baseline_each": ("the factor formula's share", "因素法测算的份额"),
    "rules.share.term.column_each": ("the share of {column}", "按{column}计算的份额"),
    "rules.population.change": ("one more person of {name} in every county", "各县{name}各增加一人"),
    "rules.entitlement.change": ("one more expected claim of {measure} in every county",
                                 "各县{measure}预计申领各增加一人"),
    "rules.conflict.entitlement": (
        "{what}: would need {money} {unit} more ({persons} expected claims unfunded across {units} counties)",
        "{what}：还需{money}{unit}（{units}个县共{persons}人次预计申领无资金保障）"),
    "rules.conflict.entitlements_uncovered": (
        "the budget cannot cover the entitlements (expected eligible claims that must be funded)",
        "预算不足以保障按规定应享的补贴（须落实的预计申领）"),
}
