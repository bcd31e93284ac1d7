"""Words of reading a scenario file and its units table (县表): the file and its YAML, `extends`, the table's
file, encoding, columns and rows, variants and `--set` changes, and the policy warnings found while loading."""

WORDS = {
    # the scenario file
    "input.no_file": ("no such file", "文件不存在"),
    "input.no_such_file": ("no such file: {path}", "文件不存在：{path}"),
    "input.cannot_read": ("cannot be read: {why}", "无法读取：{why}"),
    "input.with_hint": ("{message}; {hint}", "{message}；{hint}"),
    "input.yaml.too_large": ("the file is larger than {mb} MB; a scenario file is a few pages of keys (put the units "
                             "in a table file: `units: {{file: …}}`)",
                             "文件超过 {mb} MB；情景文件通常只有几页键值（县的数据请放在表格文件中：`units: {{file: …}}`）"),
    "input.yaml.is_folder": ("is a folder; give the scenario's .yaml file", "这是一个文件夹；请给出情景的 .yaml 文件"),
    "input.yaml.not_utf8": ("not UTF-8 text (byte {byte} at position {position}); save the scenario file as UTF-8",
                            "不是 UTF-8 文本（第 {position} 个字节为 {byte}）；请将情景文件另存为 UTF-8 编码"),
    "input.yaml.invalid": ("not valid YAML: {what}", "不是有效的 YAML（解析器提示：{what}）"),
    "input.yaml.control": ("holds a control character (U+{code}), which a scenario file cannot contain; save it as "
                           "plain UTF-8 text",
                           "含有控制字符（U+{code}），情景文件中不能有这种字符；请另存为纯 UTF-8 文本"),
    "input.yaml.too_deep": ("nested too deeply (a scenario file nests mappings and lists a few levels, at most {most})",
                            "嵌套层数过多（情景文件中的映射和列表只嵌套几层，最多 {most} 层）"),
    "input.yaml.too_deep_levels": ("nested too deeply (more than {most} levels of mappings and lists)",
                                   "嵌套层数过多（映射和列表超过 {most} 层）"),
    "input.yaml.empty": ("the file is empty", "文件是空的"),
    "input.yaml.not_mapping": ("a scenario file is a mapping of keys (`name:`, `units:`, `measures:`, ...)",
                               "情景文件应由键值组成（`name:`、`units:`、`measures:` 等）"),
    "input.yaml.alias_loop": ("an alias (`*name`) refers to the mapping or list that contains it, which never ends",
                              "别名（`*名称`）引用了包含它自身的映射或列表，会无限展开"),
    "input.yaml.tag": ("the tag `{tag}` is not part of a scenario file; write plain values (numbers, text, lists, "
                       "mappings)",
                       "情景文件中不能使用标签 `{tag}`；请写普通的值（数字、文本、列表、映射）"),
    "input.yaml.alias_bomb": ("expands to more than {most} values through aliases (`&name` … `*name`); a scenario "
                              "file needs far fewer, so this looks like a mistake or an attack",
                              "通过别名（`&名称` … `*名称`）展开后超过 {most} 个值；情景文件远用不了这么多，这看起来是"
                              "写错了或是恶意构造的文件"),
    "input.yaml.twice": ("given twice (also on line {line})", "重复给出（第 {line} 行也有）"),
    "input.yaml.key_not_scalar": ("a key must be a single word or value", "键必须是单个词或值"),
    # full-width punctuation typed by a Chinese input method
    "input.full_width.char": ("the full-width `{char}` on this line must be the half-width `{half}` (switch the input "
                              "method to half-width punctuation, 半角标点)",
                              "这一行的全角`{char}`应改为半角`{half}`（请把输入法切换到半角标点）"),
    "input.full_width.space": ("the full-width space on this line must be a half-width space (switch the input method "
                               "to half-width punctuation, 半角标点)",
                               "这一行的全角空格应改为半角空格（请把输入法切换到半角标点）"),
    # extends
    "input.extends.drop_without": ("`drop` removes a rule of the file this one extends, but this file has no "
                                   "`extends`", "`drop` 用于删除所继承文件中的规则，但本文件没有 `extends`"),
    "input.extends.not_a_file": ("`extends` names one scenario file, not {value}", "`extends` 应写一个情景文件名，而不是 {value}"),
    "input.extends.too_long": ("more than {most} files extend one another; a scenario builds on a base file or two",
                               "超过 {most} 个文件层层继承；一个情景通常只继承一两个基础文件"),
    "input.extends.circular": ("circular `extends`: {circle}", "`extends` 形成循环：{circle}"),
    "input.extends.drop_how": ("write `{{name: NAME, drop: true}}` to remove a rule",
                               "删除规则请写 `{{name: 规则名, drop: true}}`"),
    "input.extends.drop_unknown": ("cannot drop `{name}`: the extended file has no rule of that name{hint}",
                                   "无法删除 `{name}`：所继承的文件中没有这个名称的规则{hint}"),
    # the scenario's keys the loader looks after
    "input.region_at_top": ("goes in `units:` (`units: {{file: …, region: city}}`)",
                            "应写在 `units:` 中（`units: {{file: …, region: city}}`）"),
    "input.set_by_loader": ("is set by the loader; remove it from the file", "由读取程序自动设置；请从文件中删除"),
    "input.units.missing": ("give the units table: `units: {{file: data/counties.csv, id: code, name: name}}`",
                            "请给出县表：`units: {{file: data/counties.csv, id: code, name: name}}`"),
    "input.units.not_mapping": ("`units` is `{{file: PATH, id: COLUMN, name: COLUMN}}`, not {value}",
                                "`units` 应写成 `{{file: 路径, id: 列名, name: 列名}}`，而不是 {value}"),
    # the units table's file
    "input.table.format": ("{path}: a units table is a .csv, .xlsx or .parquet file",
                           "{path}：县表应为 .csv、.xlsx 或 .parquet 文件"),
    "input.table.sheet_for_xlsx": ("`sheet` is for .xlsx files, and {path} is a {suffix} file",
                                   "`sheet` 只用于 .xlsx 文件，而 {path} 是 {suffix} 文件"),
    "input.table.encoding_for_csv": ("`encoding` is for .csv files, and {path} is a {suffix} file",
                                     "`encoding` 只用于 .csv 文件，而 {path} 是 {suffix} 文件"),
    "input.table.needs": ("reading {path} needs {package} (pip install 'fundalloc[{extra}]')",
                          "读取 {path} 需要 {package}（pip install 'fundalloc[{extra}]'）"),
    "input.table.empty": ("{path} is empty", "{path} 是空文件"),
    "input.table.unreadable": ("cannot read {path}: {why}", "无法读取 {path}：{why}"),
    "input.table.column_twice": ("{path}: column `{name}` appears more than once; rename one",
                                 "{path}：列 `{name}` 出现了不止一次；请重命名其中之一"),
    "input.table.header_twice": ("{where}: column `{name}` appears twice in the header (columns {first} and {second}); "
                                 "rename or remove one",
                                 "{where}：表头中列 `{name}` 出现了两次（第 {first} 列和第 {second} 列）；请重命名或删除其中之一"),
    "input.table.unit_ids": ("unit ids", "县代码"),
    "input.table.unit_names": ("unit names", "县名"),
    "input.table.no_key_column": ("{path} has no column `{column}` for the {what}{hint} (its columns: {columns})"
                                  "{separator}",
                                  "{path} 中没有作为{what}的列 `{column}`{hint}（现有的列：{columns}）{separator}"),
    "input.table.key_column_twice": ("{path} has a column `{key}` besides `{column}`, the column of {what}; rename "
                                     "one of them",
                                     "{path} 中除了作为{what}的列 `{column}` 之外还有一列 `{key}`；请重命名其中之一"),
    "input.table.no_rows": ("{path} has no rows", "{path} 中没有数据行"),
    "input.table.empty_id": ("{where}: empty unit id in column `{column}`", "{where}：列 `{column}` 中县代码为空"),
    "input.table.id_twice": ("unit id `{id}` appears more than once: {rows}", "县代码 `{id}` 出现了不止一次：{rows}"),
    "input.xlsx.no_sheet": ("{path} has no sheet `{sheet}`{hint} (its sheets: {sheets})",
                            "{path} 中没有工作表 `{sheet}`{hint}（现有的工作表：{sheets}）"),
    "input.xlsx.sheet": ("{path} sheet `{sheet}`", "{path} 工作表 `{sheet}`"),
    # the units table's encoding
    "input.csv.separated_by.tabs": ("; its header is separated by tabs: save it as comma-separated CSV",
                                    "；其表头以制表符分隔：请另存为逗号分隔的 CSV"),
    "input.csv.separated_by.semicolons": ("; its header is separated by semicolons: save it as comma-separated CSV",
                                          "；其表头以分号分隔：请另存为逗号分隔的 CSV"),
    "input.csv.unknown_encoding": ("`{encoding}` is not an encoding Python knows (e.g. utf-8, gb18030, big5, latin-1)",
                                   "`{encoding}` 不是 Python 认识的编码（如 utf-8、gb18030、big5、latin-1）"),
    "input.csv.not_in_encoding": ("{path} is not {encoding} text (byte {byte} at position {position})",
                                  "{path} 不是 {encoding} 编码的文本（第 {position} 个字节为 {byte}）"),
    "input.csv.utf16": ("{path} is UTF-16 text; save it as “CSV UTF-8” (or GB18030)",
                        "{path} 是 UTF-16 文本；请另存为“CSV UTF-8”（或 GB18030）"),
    "input.csv.odd_gb18030": ("{path} is not UTF-8, and read as GB18030 it holds characters Chinese text rarely uses "
                              "({sample})",
                              "{path} 不是 UTF-8 编码，按 GB18030 读取又含有中文文本很少用到的字符（{sample}）"),
    "input.csv.not_utf8_nor_gb18030": ("{path} is neither UTF-8 nor GB18030 text",
                                       "{path} 既不是 UTF-8 也不是 GB18030 编码的文本"),
    "input.csv.looks_like": ("; it looks like {name} text ({sample})", "；看起来是 {name} 编码的文本（{sample}）"),
    "input.csv.or_gb18030": (", or `encoding: gb18030` if {sample} is right",
                             "；如果 {sample} 是对的，也可以写 `encoding: gb18030`"),
    "input.csv.encoding": ("{what}{guess}: save it as “CSV UTF-8”, or name its encoding in `units:` "
                           "(`encoding: {codec}`{either})",
                           "{what}{guess}：请另存为“CSV UTF-8”，或在 `units:` 中写明其编码（`encoding: {codec}`{either}）"),
    "input.csv.unusual": ("unusual characters", "不常见的字符"),
    "input.csv.sample": ("{script}: {words}", "{script}：{words}"),
    "input.script.big5": ("Traditional Chinese, 繁體", "繁体中文"),
    "input.script.japanese": ("Japanese", "日文"),
    "input.script.korean": ("Korean", "韩文"),
    "input.script.western": ("Western European", "西欧文字"),
    # variants and changes
    "input.variant.unknown": ("no variant named `{name}`{hint} (the variants: {known})",
                              "没有名为 `{name}` 的变体方案{hint}（现有的变体方案：{known}）"),
    "input.variant.none": ("none", "无"),
    "input.in_variant": ("{message} (in variant `{name}`)", "{message}（变体方案 `{name}`）"),
    "input.with_changes": ("{message} (with the changes {changes})", "{message}（所做的修改：{changes}）"),
    # policy warnings
    "input.wage.mismatch": ("the cost per working hour is more than {tolerance} away from the local hourly wage "
                            "(`{column}`) in {n} of {total} units (补贴标准与工作时间明显不匹配): {units}",
                            "{total} 个县中有 {n} 个县的每工作小时成本与当地小时工资（`{column}`）相差超过 "
                            "{tolerance}（补贴标准与工作时间明显不匹配）：{units}"),
    "input.wage.unit": ("{id} {name} ({cost} 元 per hour, wage {wage} 元)", "{id} {name}（每小时 {cost} 元，工资 {wage} 元）"),
    "input.wage.sep": ("; ", "；"),
}
