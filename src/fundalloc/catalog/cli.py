"""Words of the command line: --help, what it prints around a run, its notes and warnings."""

WORDS = {
    # --help of `fundalloc SCENARIO.yaml`
    "cli.run.description": (
        "Divide an employment-subsidy budget across counties and measures, and write the allocation, its shadow "
        "prices and a report. `fundalloc validate SCENARIO.yaml` only checks the scenario; `fundalloc init DIR` "
        "writes a starter scenario and units template.",
        "在各县和各项措施之间分配就业补助资金，写出分配方案、影子价格和报告。"
        "`fundalloc validate SCENARIO.yaml` 只检查情景文件；`fundalloc init DIR` 写入起步情景和县表模板。"),
    "cli.run.epilog": (
        "Exit codes: 0 every run solved, 2 the input cannot be run as given (an invalid scenario, an output folder "
        "that is in use, holds other files or cannot be written, the solver's time limit; nothing written), 3 some "
        "run has no allocation (the runs that solved are written; each infeasible run's folder holds "
        "infeasible.txt), 1 anything unexpected. See docs/reliability.md. The language of --help: --lang, else the "
        "environment variable FUNDALLOC_LANG, else the locale (LANG).",
        "退出码：0：全部方案求解成功；2：输入无法按原样运行（情景无效，输出文件夹正被使用、含有其他文件或不可写，"
        "求解超时；不写出任何文件）；3：部分方案无可行解（有解的方案照常写出，无解方案的文件夹中有 infeasible.txt）；"
        "1：意外错误。详见 docs/reliability.md。--help 的语言：按 --lang，其次环境变量 FUNDALLOC_LANG，"
        "再次系统区域设置（LANG）。"),
    "cli.scenario": ("the scenario file (.yaml)", "情景文件（.yaml）"),
    "cli.variant": ("run this variant of the scenario next to the base (repeatable; default: every variant the "
                    "file defines)",
                    "在原方案之外运行情景的这个变体（可重复；默认运行文件中定义的全部变体）"),
    "cli.no_variants": ("run the base scenario only", "只运行原方案"),
    "cli.set": ("change one value by dotted path, e.g. --set budget.total=54000 (repeatable; applies to the base "
                "and every variant)",
                "按点分路径修改一个值，如 --set budget.total=54000（可重复；对原方案和每个变体都生效）"),
    "cli.out": ("output folder (default: `fundalloc-out/<scenario name>/`)",
                "输出文件夹（默认 `fundalloc-out/<情景名称>/`）"),
    "cli.sensitivity": ("run the scenario's `sensitivity:` section (default: when the file has one)",
                        "运行情景的 `sensitivity:` 部分（默认：文件中有该部分时运行）"),
    "cli.backend": ("the solver (default: the scenario's)", "求解器（默认按情景设定）"),
    "cli.excel": ("also write allocation.xlsx: the 分配表 and the tables an analyst needs, formatted",
                  "同时写出 allocation.xlsx：分配表及分析所需的其他表格，已排版"),
    "cli.quiet": ("print only errors and the output folder", "只显示错误和输出文件夹"),
    "cli.lang": ("the language of everything written for people: the summary, report, tables' headers, warnings "
                 "(default: the scenario's `language`, else en)",
                 "所有面向读者的文字（摘要、报告、表头、警告）所用语言（默认按情景的 `language`，未设定时为 en）"),
    "cli.strict": ("treat policy warnings as errors", "把政策警告视为错误"),
    "cli.debug": ("show the traceback of an unexpected error", "出现意外错误时显示调用栈"),
    "cli.validate.description": ("Check a scenario file, its units table and its variants; solve nothing.",
                                 "检查情景文件、县表和各变体，不求解。"),
    "cli.init.lang": ("the language of what is printed", "所显示文字的语言"),
    # argparse's own words
    "cli.usage": ("usage: ", "用法："),
    "cli.positionals": ("positional arguments", "位置参数"),
    "cli.options": ("options", "选项"),
    "cli.help": ("show this help message and exit", "显示本帮助信息并退出"),
    # around a run
    "cli.valid": ("{file}: valid ({name}: {parts})", "{file}：有效（{name}：{parts}）"),
    "cli.valid.counties": ("{n} counties", "{n}个县"),
    "cli.valid.measures": ("{n} measures", "{n}项措施"),
    "cli.valid.rules": ("{n} rules", "{n}条规则"),
    "cli.valid.variants": ("variants {names}", "变体：{names}"),
    "cli.valid.sensitivity": ("sensitivity", "敏感性分析"),
    "cli.valid.baseline": ("baseline", "因素法"),
    "cli.valid.sep": ("; ", "；"),
    "cli.warning": ("warning: {text}", "警告：{text}"),
    "cli.warning.variant": ("warning: {text} (variant `{variant}`)", "警告：{text}（变体 `{variant}`）"),
    "cli.files": ("files: {folder}", "文件：{folder}"),
    "cli.files.more": ("files: {folder} (and in {folders})", "文件：{folder}（另见{folders}）"),
    "cli.note.changed": ("Changed on the command line: {changes}.", "命令行修改：{changes}。"),
    "cli.note.no_section": ("--sensitivity: the scenario has no `sensitivity:` section, so there was nothing to run.",
                            "--sensitivity：情景中没有 `sensitivity:` 部分，没有可运行的敏感性分析。"),
    "cli.note.no_module": ("The scenario has a `sensitivity:` section, but this installation cannot run it "
                           "(no fundalloc.sensitivity).",
                           "情景中有 `sensitivity:` 部分，但当前安装无法运行（缺少 fundalloc.sensitivity）。"),
    "cli.runs.folders": ("Each run's files are in its own folder ({folders}); comparison.csv has every county.",
                         "各方案的文件在各自的文件夹中（{folders}）；comparison.csv 含各县明细。"),
    "cli.runs.heading": ("Runs compared", "方案比较"),
    # policy warnings (PolicyWarning), printed after "warning:"
    "warning.wage": ("the cost per working hour is more than {tolerance} away from the local hourly wage "
                     "(`{column}`) in {off} of {n} units (the notice's “补贴标准与工作时间明显不匹配”): {units}",
                     "每工作小时成本与当地小时工资（`{column}`）相差超过{tolerance}，涉及{n}个县中的{off}个"
                     "（补贴标准与工作时间明显不匹配）：{units}"),
    "warning.wage.unit": ("{id} {name} ({cost} 元 per hour, wage {wage} 元)",
                          "{id} {name}（每小时{cost}元，小时工资{wage}元）"),
}
