"""Words of the sensitivity tools: physical bounds of uncertain parameters, clipped values, argument checks."""

WORDS = {
    "sensitivity.bounds.effectiveness_above_max": (
        "effectiveness {value:g} is above {most:g} persons employed per person funded; if one person funded "
        "really brings more into work (a business that hires others), declare `max_effectiveness: {value:g}` "
        "for the measure",
        "就业效果 {value:g} 超过每资助一人带动就业 {most:g} 人的上限；若资助一人确实带动多人就业（如创业带动他人），"
        "请为该措施注明 `max_effectiveness: {value:g}`"),
    "sensitivity.bounds.effectiveness_column": (
        "effectiveness is the units column `{column}`: to move it, move `units.{column}`",
        "就业效果取自单位表的列 `{column}`：如需变动，请变动 `units.{column}`"),
    "sensitivity.clipped.monte_carlo": (
        "{n} drawn values were clipped to their physical bounds ({where}).",
        "有 {n} 个抽样值超出物理界限，已截至界限（{where}）。"),
    "sensitivity.clipped.tornado": (
        "{n} values tried were clipped to their physical bounds ({where}).",
        "有 {n} 个试算值超出物理界限，已截至界限（{where}）。"),
    "sensitivity.clipped.none": (
        "No value had to be clipped to its physical bounds.",
        "没有数值超出物理界限。"),
    "sensitivity.argument.whole_at_least": (
        "`{name}` is a whole number at least {least}, not {value!r}",
        "`{name}` 应为不小于 {least} 的整数，而不是 {value!r}"),
    "sensitivity.argument.one_of": (
        "`{name}` is one of {options}, not {value!r}",
        "`{name}` 应为 {options} 之一，而不是 {value!r}"),
    "sensitivity.argument.not_empty": (
        "`{name}` names at least one parameter",
        "`{name}` 至少要列出一个参数"),
}
