"""Words about how the programme was solved: the decomposition solver, big outputs, progress."""

WORDS = {
    "solver.note.no_ranging": (
        "ranging is not available from the decomposition solver (it never forms the full programme's basis); "
        "shadow prices are exact and certified",
        "分解求解器不提供灵敏度区间（它不构造整个规划的基）；影子价格精确且经过验证"),
    "solver.note.fallback": (
        "the decomposition solver could not certify its answer ({reason}); the full programme was solved instead",
        "分解求解器未能验证其解（{reason}），已改为求解完整规划"),
    "solver.note.parquet": (
        "{files} have {rows:,} rows or more, so they are written as Parquet (.parquet) instead of CSV",
        "{files}不少于{rows:,}行，因此以 Parquet 格式（.parquet）代替 CSV 写出"),
    "solver.note.no_parquet": (
        "{files} are large; installing pyarrow (pip install fundalloc[parquet]) writes them as Parquet, "
        "much faster than CSV",
        "{files}很大；安装 pyarrow（pip install fundalloc[parquet]）后可写为 Parquet，比 CSV 快得多"),
    "solver.report.largest_units": (
        "The {shown:,} largest allocations of {total:,} counties; units.csv (or units.parquet) has them all.",
        "仅列出{total:,}个县中分配最多的{shown:,}个；units.csv（或 units.parquet）包含全部。"),
    "solver.progress.build": ("building the programme", "构建规划"),
    "solver.progress.solve": ("solving", "求解"),
    "solver.progress.tables": ("tables", "生成表格"),
    "solver.progress.write": ("writing files", "写出文件"),
}
