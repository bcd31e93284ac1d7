"""Words of the errors and warnings: how a problem is located, the command line's framing of an error, rules
in conflict, solvers that stop, output folders that cannot be written, API calls that cannot be served."""

WORDS = {
    # where a problem is: `scenario.yaml:9: `budget.total`: …`
    "errors.where.place": ("{place}: ", "{place}："),
    "errors.where.key": ("`{key}`: ", "`{key}`："),
    # the command line
    "errors.cli.one": ("fundalloc: {problem}", "fundalloc：{problem}"),
    "errors.cli.many": ("fundalloc: {n} problems:", "fundalloc：发现 {n} 个问题："),
    "errors.cli.item": ("  - {problem}", "  - {problem}"),
    "errors.cli.no_files": ("no files written", "未写出任何文件"),
    "errors.cli.interrupted": ("fundalloc: interrupted; no files written", "fundalloc：已中断，未写出任何文件"),
    "errors.cli.solver_failed": ("fundalloc: the solver failed: {text}{hint}", "fundalloc：求解器出错：{text}{hint}"),
    "errors.cli.unexpected": ("fundalloc: unexpected error ({kind}): {text}{hint}",
                              "fundalloc：意外错误（{kind}）：{text}{hint}"),
    "errors.cli.debug_hint": (" (run again with --debug to see where)", "（加 --debug 重新运行可查看出错位置）"),
    "errors.cli.warning": ("warning: {text}", "警告：{text}"),
    "errors.cli.warning_in_variant": ("warning: {text} (variant `{variant}`)", "警告：{text}（变体方案 `{variant}`）"),
    # rules that cannot all hold
    "errors.conflict.give": ("{rule}: would have to give {amount} {unit}{where}", "{rule}：需放宽 {amount} {unit}{where}"),
    "errors.conflict.across": (" across {n} counties", "（涉及 {n} 个县）"),
    "errors.conflict.persons": ("persons", "人"),
    "errors.conflict.not_alone": ("{rule}: part of the conflict; giving way on it alone is not enough",
                                  "{rule}：属于冲突的一部分，仅放宽这一条不足以解决"),
    # API calls that cannot be served
    "errors.api.scenario": ("{function} needs a Scenario, not {hint}", "{function} 需要一个 Scenario，而不是{hint}"),
    "errors.api.scenario.file": ("the file {path}: read it first, {function}(fa.load_scenario({path}))",
                                 "文件 {path}：请先读取，{function}(fa.load_scenario({path}))"),
    "errors.api.scenario.dict": ("a dict: build the scenario with fa.Scenario(**data) (or read a file with fa.load_scenario)",
                                 " dict：请用 fa.Scenario(**data) 构建方案（或用 fa.load_scenario 读取文件）"),
    "errors.api.scenario.result": ("a {kind}: pass its scenario, {function}(result.scenario)",
                                   " {kind}：请传入它的方案，{function}(result.scenario)"),
    "errors.api.scenario.other": ("{kind}: build one with fa.Scenario(...) or read it with fa.load_scenario(path)",
                                  " {kind}：请用 fa.Scenario(...) 构建，或用 fa.load_scenario(path) 读取"),
    "errors.api.not_validated": ("this Scenario was not validated (built with `model_construct`?); build it with "
                                 "`fa.Scenario(...)` or `fa.load_scenario(path)`",
                                 "这个 Scenario 未经校验（是否用 `model_construct` 构建？）；请用 `fa.Scenario(...)` 或 "
                                 "`fa.load_scenario(path)` 构建"),
    "errors.api.units_changed": ("the units table was changed after the scenario was validated, so its checks no "
                                 "longer hold; change it with `sc.with_changes({{'units.COLUMN': values}})` or build a "
                                 "new `fa.Scenario(units=...)`",
                                 "单位表在方案校验之后被改动，原有校验已不再成立；请用 "
                                 "`sc.with_changes({{'units.列名': 值}})` 修改，或重新构建 `fa.Scenario(units=...)`"),
    "errors.api.changes.not_mapping": ("changes are a mapping of dotted paths to values, e.g. {{'budget.total': 900}}, "
                                       "not {kind}",
                                       "changes 是点分路径到取值的映射，如 {{'budget.total': 900}}，而不是 {kind}"),
    "errors.api.changes.not_path": ("a change is named by a dotted path (text such as 'budget.total'), not {key}",
                                    "每项修改须以点分路径命名（如 'budget.total' 这样的文本），而不是 {key}"),
    "errors.unknown_language": ("unknown language {lang}; use one of {known}", "未知的语言 {lang}；请使用 {known} 之一"),
    "errors.cli.set_form": ("--set {item}: write PATH=VALUE, e.g. --set budget.total=54000",
                            "--set {item}：请写成 路径=值，如 --set budget.total=54000"),
    "errors.cli.out": ("--out {message}", "--out {message}"),
    "errors.cli.out_holds_input": ("--out {target}: holds the input {input}, which the results would replace; choose "
                                   "another folder", "--out {target}：其中有输入文件 {input}，会被结果覆盖；请另选文件夹"),
    "errors.cli.out_is_cwd": ("--out {target}: is the current folder or one above it; give a folder for the results",
                              "--out {target}：是当前文件夹或其上级文件夹；请给结果另指定一个文件夹"),
    "errors.cli.not_a_folder_name": ("variant name {name} is not a plain folder name", "变体方案名 {name} 不是普通的文件夹名"),
}
