"""Words about alternative optima and the tie-break (issue: one defensible answer)."""

WORDS = {
    "tiebreak.label": ("tie-break", "同优方案取舍"),
    "tiebreak.reference.baseline": ("the factor formula (因素法)", "因素法分配额"),
    "tiebreak.reference.column": ("{column} scaled to the budget", "按预算总额等比例折算的{column}"),
    "tiebreak.reference.equal": ("an equal split of the budget", "预算平均分配"),
    "tiebreak.unique": ("the optimum fixes the money of every one of the {n} counties",
                        "最优解唯一确定了全部{n}个县的资金"),
    "tiebreak.decided": ("the optimum alone fixes the money of {fixed} of {n} counties; for the other {tied}, "
                         "which could get more or less at the same objective, the allocation closest to "
                         "{reference} was chosen",
                         "最优解本身确定了{n}个县中{fixed}个县的资金；其余{tied}个县的资金在目标值相同的"
                         "多个方案之间可多可少，取其中最接近{reference}的方案"),
    "tiebreak.decided_unmeasured": ("the optimum alone fixes the money of at least {fixed} of {n} counties (the "
                                    "ranges at the optimum were not computed); among the optimal allocations "
                                    "the one closest to {reference} was chosen",
                                    "最优解本身至少确定了{n}个县中{fixed}个县的资金（未计算最优方案下的资金"
                                    "范围）；在多个同样最优的方案中取最接近{reference}的方案"),
    "tiebreak.undecided": ("no tie-break: the optimum does not fix the money of {tied} of {n} counties, and the "
                           "amounts shown for them are the solver's choice among equally good ones",
                           "未设取舍规则：{n}个县中有{tied}个县的资金不由最优解确定，所列金额只是求解器在"
                           "同样最优的方案中任取的一个"),
    "tiebreak.undecided_unmeasured": ("no tie-break: where the optimum does not fix a county's money, the amount "
                                      "shown is the solver's choice (the ranges at the optimum were not computed)",
                                      "未设取舍规则：最优解不能确定资金的县，所列金额只是求解器任取的一个"
                                      "（未计算最优方案下的资金范围）"),
    "tiebreak.skipped_integer": ("integer: true: no tie-break and no ranges at the optimum (HiGHS solves no "
                                 "mixed-integer quadratic programme); the amounts are the MIP solver's choice",
                                 "integer: true（整数规划）：不做同优方案取舍，也不计算最优方案下的资金范围"
                                 "（HiGHS 不能求解混合整数二次规划），所列金额为整数规划求解器给出的方案"),
    "tiebreak.failed": ("the tie-break did not run ({why}); the amounts are the policy LP's own, one of several "
                        "optimal allocations", "同优方案取舍未能完成（{why}）；所列金额为政策线性规划直接给出的"
                        "方案，只是多个最优方案之一"),
    "tiebreak.report.mark": ("Counties marked ◆ could get more or less money at the same objective (the range "
                             "is in the column “at the optimum”); the amount shown for them was chosen by the "
                             "tie-break: {how}.",
                             "标 ◆ 的县在目标值不变的情况下资金可多可少（范围见“最优方案下范围”一列）；其金额由"
                             "同优方案取舍确定：{how}。"),
    "tiebreak.report.mark_none": ("Counties marked ◆ could get more or less money at the same objective (the range "
                                  "is in the column “at the optimum”); no tie-break was set, so the amount shown "
                                  "for them is the solver's choice.",
                                  "标 ◆ 的县在目标值不变的情况下资金可多可少（范围见“最优方案下范围”一列）；"
                                  "未设取舍规则，其金额只是求解器任取的一个。"),
    "tiebreak.report.range": ("at the optimum", "最优方案下范围"),
    "tiebreak.report.how": ("among the optimal allocations, the one closest to {reference} (least squares over "
                            "the counties' money)", "在所有最优方案中取与{reference}差距（各县资金差的平方和）"
                            "最小者"),
    # why the tie-break did not run
    "tiebreak.why.no_qp": ("HiGHS did not solve its quadratic programme", "HiGHS 未能求解其二次规划"),
    "tiebreak.why.loses": ("it would lose {change} of the objective", "它会使目标值损失{change}"),
}
