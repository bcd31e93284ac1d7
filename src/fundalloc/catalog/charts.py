"""The charts' own words (their callers give the titles and axes)."""

WORDS = {
    "charts.empty": ("nothing to show", "无数据"),
    "charts.no_group": ("no group", "不属于任何分组"),
    "charts.range": ("range", "区间"),
    "charts.base": ("base", "基准"),
    "charts.count": ("count", "频数"),
}
