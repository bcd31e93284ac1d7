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
    "errors.api.scenario": ("{function} needs a Scenario, not {hint}", "{function} 需要一个 Scenario，而不是{hint}"),
    "errors.api.scenario.file": ("the file {path}: read it first, {function}(fa.load_scenario({path}))",
                                 "文件 {path}：请先读取，{function}(fa.load_scenario({path}))"),
    "errors.api.scenario.dict": (
        "a dict: build the scenario with fa.Scenario(**data) (or read a file with fa.load_scenario)",
        " dict：请用 fa.Scenario(**data) 构建情景（或用 fa.load_scenario 读取文件）"),
    "errors.api.scenario.result": ("a {kind}: pass its scenario, {function}(result.scenario)",
                                   " {kind}：请传入它的情景，{function}(result.scenario)"),
    "errors.api.scenario.other": ("{kind}: build one with fa.Scenario(...) or read it with fa.load_scenario(path)",
                                  " {kind}：请用 fa.Scenario(...) 构建，或用 fa.load_scenario(path) 读取"),
    "errors.api.not_validated": ("this Scenario was not validated (built with `model_construct`?); build it with "
                                 "`fa.Scenario(...)` or `fa.load_scenario(path)`",
                                 "这个 Scenario 未经校验（是否用 `model_construct` 构建？）；请用 `fa.Scenario(...)` 或 "
                                 "`fa.load_scenario(path)` 构建"),
    "errors.api.units_changed": ("the units table was changed after the scenario was validated, so its checks no "
                                 "longer hold; change it with `sc.with_changes({{'units.COLUMN': values}})` or build a "
                                 "new `fa.Scenario(units=...)`",
                                 "县表在情景校验之后被改动，原有校验已不再成立；请用 "
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
    # no allocation, an unbounded programme, solvers that stop
    "errors.infeasible": ("no allocation satisfies every rule of `{name}`{why}", "`{name}`：没有任何分配方案能同时满足全部规则{why}"),
    "errors.infeasible.entitlements": (": {text}", "：{text}"),
    "errors.unbounded": ("{what}, so the objective could grow without end; give it a `capacity`, a budget or a rule "
                         "that bounds it", "{what}，目标值可以无限增大；请给它设定 `capacity`、预算或能限制它的规则"),
    "errors.unbounded.measure": ("measure `{measure}` has no capacity, and no rule or budget limits it",
                                 "措施 `{measure}` 没有容量，也没有规则或预算限制它"),
    "errors.unbounded.nothing": ("nothing limits the objective", "没有任何约束限制目标值"),
    "errors.solver.unknown_backend": ("unknown backend {name}; use `highs` or `pulp`",
                                      "未知的求解器 {name}；请用 `highs` 或 `pulp`"),
    "errors.solver.tie_break_method": ("unknown second-stage method {method}; use `auto`, `decomposed` or `highs`",
                                       "未知的第二阶段求解方法 {method}；请用 `auto`、`decomposed` 或 `highs`"),
    "errors.solver.pulp_unavailable": ("PuLP solver {name} is not available here; available: {available}",
                                       "此处没有 PuLP 求解器 {name}；可用的有：{available}"),
    "errors.solver.second_stage": ("{solver} solved the policy LP but not its second stage ({stage}): {message}",
                                   "{solver} 求解了政策线性规划，但未能求解其第二阶段（{stage}）：{message}"),
    "errors.solver.stage.coverage": ("the best weighted outcome at the best coverage rate", "在最优覆盖率下求加权就业人数最大"),
    "errors.solver.time_limit": (
        "{solver} stopped at its time limit{limit} without a proven optimum ({message}); raise "
        "`solver.time_limit`{faster}",
        "{solver} 在达到时间上限{limit}时停止，尚未证明最优解（{message}）；请调高 "
        "`solver.time_limit`{faster}"),
    "errors.solver.limit_of": (" of {seconds} s", "（{seconds} 秒）"),
    "errors.solver.use_highs": (", or use the HiGHS backend (`solver.backend: highs`, `--backend highs`), which solves "
                                "such programmes far faster",
                                "，或改用 HiGHS 求解器（`solver.backend: highs`、`--backend highs`），它求解这类规划要快得多"),
    "errors.solver.not_optimal": ("{solver} stopped without a proven optimum: {message}",
                                  "{solver} 停止时未得到经证明的最优解：{message}"),
    "errors.solver.breaks_rule": (
        "{solver} returned an allocation that breaks a rule by {worst} (relative); refusing it",
        "{solver} 返回的分配方案违反某条规则（相对偏差 {worst}），不予采用"),
    # numbers that are fine alone but too large together for the solvers
    "errors.numbers.own_column": ("fundalloc's column `{name}`", "fundalloc 自用的列 `{name}`"),
    "errors.numbers.column": ("measure `{measure}` in unit {id} {name}", "{id} {name} 的措施 `{measure}`"),
    "errors.numbers.overflow": ("{value} (an overflow)", "{value}（溢出）"),
    "errors.numbers.objective": (
        "the objective's coefficient for {what} is {value}; the solvers need coefficients below "
        "{limit}: check the weights, effectiveness and costs",
        "{what}的目标系数为 {value}；求解器要求系数小于 {limit}：请检查权重、效果系数和成本"),
    "errors.numbers.coefficient": ("`{name}` has a coefficient of {value} for {what}; the solvers need coefficients "
                                   "below {limit}: check the costs, populations and factors it uses",
                                   "`{name}` 中{what}的系数为 {value}；求解器要求系数小于 {limit}：请检查它所用的成本、人群和系数"),
    "errors.numbers.capacity": ("the capacity of {what} is {value}; it must stay below {limit}",
                                "{what}的容量为 {value}；须小于 {limit}"),
    "errors.numbers.limit": ("`{name}` has a limit of {value} (in the programme's units), too large for the solvers: "
                             "check the numbers it uses",
                             "`{name}` 的限值为 {value}（按规划内部单位），对求解器来说太大：请检查它所用的数值"),
    # output folders
    "errors.output.is_file": ("{target}: is a file; give a folder for the results", "{target}：这是一个文件；请给结果指定一个文件夹"),
    "errors.output.files": ("{files}{more}", "{files}{more}"),
    "errors.output.more": (" and {n} more", " 等（另有 {n} 个）"),
    "errors.output.added_files": (
        "{target}: holds files that are not part of the results written there: {files}; a new "
        "run would replace the folder, so move them elsewhere (or choose another folder)",
        "{target}：其中有不属于已写出结果的文件：{files}；新的运行会替换整个文件夹，请先把它们移走"
        "（或另选文件夹）"),
    "errors.output.other_files": (
        "{target}: already holds files that are not fundalloc results ({files}); choose a new "
        "or empty folder",
        "{target}：其中已有不是 fundalloc 结果的文件（{files}）；请选择新的或空的文件夹"),
    "errors.output.parent_is_file": ("{target}: {parent} is a file, not a folder", "{target}：{parent} 是文件，不是文件夹"),
    "errors.output.no_permission": (
        "{target}: cannot write in {folder} (no permission); choose a folder you can write to",
        "{target}：无法在 {folder} 中写入（没有权限）；请选择你有写入权限的文件夹"),
    "errors.output.cannot_write": ("{target}: cannot be written ({why}); the earlier results, if any, are as they were",
                                   "{target}：无法写入（{why}）；原有的结果（如有）保持不变"),
    "errors.output.root": ("{target}: is the root of the file system; give a folder for the results",
                           "{target}：这是文件系统的根目录；请给结果指定一个文件夹"),
    "errors.output.cannot_make": ("{target}: cannot make the folder {folder} ({why})",
                                  "{target}：无法创建文件夹 {folder}（{why}）"),
    "errors.output.cannot_write_in": ("{target}: cannot write in {folder} ({why}); choose a folder you can write to",
                                      "{target}：无法在 {folder} 中写入（{why}）；请选择你有写入权限的文件夹"),
    "errors.output.in_use": (
        "another run{process} is writing to {target}; wait for it to finish, or choose another folder",
        "另一个运行{process}正在写入 {target}；请等它结束，或另选文件夹"),
    "errors.output.process": (" (process {pid})", "（进程 {pid}）"),
    "errors.missing_package": ("{purpose} needs the package `{package}`: pip install 'fundalloc[{extra}]'",
                               "{purpose} 需要安装 `{package}` 包：pip install 'fundalloc[{extra}]'"),
    "errors.purpose.writing": ("writing {file}", "写出 {file}"),
    "errors.excel.too_many_units": (
        "--excel: allocation.xlsx cannot hold the 分配表 of {units} units: it needs {rows} rows and an Excel sheet "
        "holds at most {most}. Leave out --excel; allocation_table.csv (and allocation.parquet) hold every row.",
        "--excel：allocation.xlsx无法容纳{units}个单位的分配表：该表需要{rows}行，而Excel工作表最多{most}行。"
        "请去掉--excel；allocation_table.csv（及allocation.parquet）包含全部各行。"),
    "errors.excel.sheet_too_long": (
        "{file}: the sheet “{sheet}” would have {rows} rows; an Excel sheet holds at most {most}",
        "{file}：工作表“{sheet}”需要{rows}行，而Excel工作表最多{most}行"),
    "errors.purpose.sobol_sample": ("Monte Carlo with `method: sobol`", "蒙特卡洛模拟（`method: sobol`）"),
    "errors.purpose.sobol_indices": ("Sobol indices", "Sobol 敏感性指数"),
    "errors.solver.factor_coverage": ("could not evaluate the factor formula's coverage: {solver} says {status}",
                                      "无法评估因素法方案的覆盖情况：{solver} 返回 {status}"),
    "errors.api.compare.not_mapping": ("fa.compare needs a mapping of run name → result, e.g. {{'base': res, "
                                       "'cut': res2}}, not a {kind}",
                                       "fa.compare 需要方案名 → 结果的映射，如 {{'base': res, 'cut': res2}}，而不是 {kind}"),
    "errors.api.compare.empty": ("fa.compare needs at least one result", "fa.compare 至少需要一个结果"),
    "errors.api.compare.no_base": ("fa.compare: no run named {base} to compare with; the runs are {runs}",
                                   "fa.compare：没有名为 {base} 的方案可作比较基准；现有的方案：{runs}"),
    "errors.api.compare.not_results": ("fa.compare: not results: {names}; pass fa.solve(...) or "
                                       "fa.factor_allocation(...) results",
                                       "fa.compare：这些不是结果：{names}；请传入 fa.solve(...) 或 fa.factor_allocation(...) 的结果"),
    "errors.api.no_example": ("no example named {name}; the examples are {known}{hint}",
                              "没有名为 {name} 的示例；现有的示例：{known}{hint}"),
    "errors.api.factor_table": ("a factor formula's result is the 因素法测算 column of the optimised result's table; "
                                "call allocation_table on that result",
                                "因素法的结果是优化结果分配表中的“因素法测算”一列；请对优化结果调用 allocation_table"),
}
