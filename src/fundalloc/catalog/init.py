"""Words of ``fundalloc init``: what it wrote and what to do next."""

WORDS = {
    "init.help": ("write a starter scenario (every key explained) and a units template into DIR",
                  "在 DIR 中写入起步方案（每个键都有说明）和县表模板"),
    "init.dir": ("the folder to write into (new or empty)", "要写入的文件夹（新的或空的）"),
    "init.not_empty": ("{folder}: already holds files; give a new or empty folder, so nothing of yours is replaced",
                       "{folder}：文件夹中已有文件；请指定一个新的或空的文件夹，以免覆盖你的文件"),
    "init.not_folder": ("{folder}: is a file; give a folder", "{folder}：这是一个文件；请指定文件夹"),
    "init.wrote": ("Wrote a starter scenario in {folder}:", "已在{folder}中写入起步方案："),
    "init.scenario": ("the scenario, every key explained in Chinese and English",
                      "方案文件，每个键都有中英文说明"),
    "init.units": ("the units template, one row per county (`代码`, `县名`, `市`, …); five made-up counties to replace",
                   "县表模板，每县一行（代码、县名、市……）；五个虚构的县，请换成你的数据"),
    "init.workbook": ("the same template as a workbook (point `units.file` at it to use it)",
                      "同一模板的 Excel 版本（使用时把 `units.file` 改为它）"),
    "init.no_workbook": ("no units.xlsx: writing it needs the package openpyxl (pip install 'fundalloc[excel]')",
                         "未写出 units.xlsx：需要安装 openpyxl（pip install 'fundalloc[excel]'）"),
    "init.next": ("Next: fill in units.csv, then run", "下一步：填写 units.csv，然后运行"),
}
