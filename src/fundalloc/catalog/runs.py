"""Words about the runs of one command: runs with no allocation, what was written, the exit code."""

WORDS = {
    "runs.infeasible.title": ("No allocation", "无可行解"),
    "runs.infeasible.head": ("{run}: no allocation satisfies every rule",
                             "{run}：没有任何分配方案能同时满足全部规则"),
    "runs.infeasible.conflicts": ("The rules that cannot all hold, and how far each alone would have to give:",
                                  "无法同时满足的规则，以及每条规则单独需要放宽多少："),
    "runs.infeasible.none_found": ("No single rule could be named; relax the rules one at a time to find the conflict.",
                                   "未能指出具体的冲突规则；请逐条放宽规则以找出冲突。"),
    "runs.infeasible.line": ("{run}: no allocation (infeasible); the rules that conflict are in {file}",
                             "{run}：无可行解，冲突的规则见{file}"),
    "runs.infeasible.section": ("Runs with no allocation", "无可行解的方案"),
    "runs.infeasible.section_lead": (
        "No allocation satisfies every rule of these runs. Each lists the rules that cannot all hold and how far "
        "each alone would have to give; its folder holds infeasible.txt and summary.json.",
        "以下方案没有任何分配能同时满足全部规则。每个方案列出无法同时满足的规则，以及每条规则单独需要放宽多少；"
        "其文件夹中有 infeasible.txt 和 summary.json。"),
    "runs.base_infeasible": (
        "The scenario as written has no allocation, so nothing is compared with it and neither the sensitivity "
        "section nor the factor formula was run; each variant that solves is written in its own folder.",
        "按原方案无可行解，因此不与其他方案比较，也未进行敏感性分析和因素法测算；有解的变体方案各自写在其文件夹中。"),
    "runs.solved_section": ("Runs that solved", "有解的方案"),
    "runs.exit_infeasible": ("{n} of {total} runs have no allocation (exit code 3); every run that solved is written.",
                             "{total}个方案中有{n}个无可行解（退出码3）；有解的方案均已写出。"),
    # the diagnosis of a scenario no allocation satisfies: one line per rule in the conflict
    "conflict.head": ("no allocation satisfies every rule of `{name}`", "情景 `{name}` 没有任何分配方案能同时满足全部规则"),
    "conflict.because": (": {why}", "：{why}"),
    "conflict.give": ("{rule}: would have to give {amount} {unit}{where}", "{rule}：需放宽{amount}{unit}{where}"),
    "conflict.budget": ("{rule}: would need {amount} {unit} more", "{rule}：需增加{amount}{unit}"),
    "conflict.where": (" across {n} counties", "（涉及{n}个县）"),
    "conflict.alone_not_enough": ("{rule}: part of the conflict; giving way on it alone is not enough",
                                  "{rule}：属于冲突的一部分，仅放宽这一条不足以消除冲突"),
}
