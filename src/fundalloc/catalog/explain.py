"""Words of the explanations: shadow prices as rates, re-solved changes, rules at their limit, rules with slack,
accounting identities, measures on the edge of being funded (explanations.txt, the summary, report.html)."""

WORDS = {
    # what the objective counts, and how a change of it reads
    "explain.words.outcome": ("weighted persons employed", "加权就业人数"),
    "explain.words.outcome_short": ("weighted jobs", "加权就业人数"),
    "explain.words.money_needed": ("{unit} needed", "{unit}（所需资金）"),
    "explain.amount": ("{value} {words}", "{value}{words}"),
    "explain.effect.add": ("add {amount}", "可增加{amount}"),
    "explain.effect.lose": ("lose {amount}", "将减少{amount}"),
    "explain.effect.save": ("save {amount}", "可节省{amount}"),
    "explain.effect.cost": ("cost {amount} more", "将多需{amount}"),
    "explain.paren": (" ({text})", "（{text}）"),
    "explain.list_sep": (", ", "、"),
    "explain.named_value": ("{name} ({value})", "{name}（{value}）"),
    "explain.q.person": ("person", "人"),
    # a shadow price as a rate: "one more 万元 of budget: +0.964 weighted jobs"
    "explain.rate.sentence": ("{change}: {effect}", "{change}：{effect}"),
    "explain.rate.none": ("no shadow price (whole persons)", "无影子价格（整数人数）"),
    "explain.change.budget": ("one more {q} of budget", "预算增加1{q}"),
    "explain.change.pool": ("one more person in the pool of {name} in every county", "各县{name}人员池各增加1人"),
    "explain.change.coverage": ("one more person to employ under {name} in every county",
                                "各县{name}要求的就业人数各增加1人"),
    "explain.change.min_coverage_rate": ("one more person to fund under {name} in every county",
                                         "各县{name}要求的受助人数各增加1人"),
    "explain.change.target": ("one more person in the target {target}", "目标{target}增加1人"),
    "explain.change.share_min": ("1 {q} more {to} than the minimum share of {name}",
                                 "{to}的资金比{name}的最低份额多1{q}"),
    "explain.change.share_max": ("1 {q} more allowed {to} than the maximum share of {name}",
                                 "{name}的最高份额允许{to}多得1{q}"),
    "explain.change.share_both": ("1 {q} more {to} than the share limits of {name}",
                                  "{to}的资金比{name}的份额限值多1{q}"),
    "explain.to.group": ("to {group}", "{group}"),
    "explain.change.share_min.regions": ("1 {q} more {to} in every region than the minimum share of {name}",
                                         "各市{to}的资金均比{name}的最低份额多1{q}"),
    "explain.change.share_max.regions": ("1 {q} more allowed {to} in every region than the maximum share of {name}",
                                         "{name}的最高份额允许各市{to}多得1{q}"),
    "explain.change.share_both.regions": ("1 {q} more {to} in every region than the share limits of {name}",
                                          "各市{to}的资金均比{name}的份额限值多1{q}"),
    "explain.change.region_share_min": ("1 {q} more to every region than the minimum share of {name}",
                                        "各市的资金均比{name}的最低份额多1{q}"),
    "explain.change.region_share_max": ("1 {q} more allowed to every region than the maximum share of {name}",
                                        "{name}的最高份额允许各市多得1{q}"),
    "explain.change.region_share_both": ("1 {q} more to every region than the share limits of {name}",
                                         "各市的资金均比{name}的份额限值多1{q}"),
    "explain.to.earmark": ("on the earmarked measures", "专项措施"),
    "explain.change.per_capita_tilt": ("1 {q} more for every favoured county than {name} requires",
                                       "各受倾斜县的资金均比{name}的要求多1{q}"),
    "explain.change.bound_one": ("raising the {bound} of {name} by 1 {q}", "{name}的{bound}提高1{q}"),
    "explain.change.bound_every": ("raising every {bound} of {name} by 1 {q}", "{name}的各{bound}均提高1{q}"),
    "explain.bound.floor": ("floor", "下限"),
    "explain.bound.ceiling": ("ceiling", "上限"),
    "explain.bound.both": ("floor and ceiling", "上下限"),
    # how many counties sit at a limit, and how many of them have a price
    "explain.count.floor": ("at its floor in {at} of {n} counties", "{n}个县中有{at}个处于下限"),
    "explain.count.ceiling": ("at its ceiling in {at} of {n} counties", "{n}个县中有{at}个处于上限"),
    "explain.count.limit": ("at its limit in {at} of {n} counties", "{n}个县中有{at}个处于限值"),
    "explain.count.floor.regions": ("at its floor in {at} of {n} regions", "{n}个市中有{at}个处于下限"),
    "explain.count.ceiling.regions": ("at its ceiling in {at} of {n} regions", "{n}个市中有{at}个处于上限"),
    "explain.count.limit.regions": ("at its limit in {at} of {n} regions", "{n}个市中有{at}个处于限值"),
    "explain.count.tied.regions": (", with a price in {priced}; in the other {tied} it is met exactly but has no "
                                   "price: moving it a little there changes nothing",
                                   "，其中{priced}个市影子价格不为零；其余{tied}个市恰好处于限值但影子价格为零：小幅调整"
                                   "不会改变目标值"),
    "explain.count.tied": (", with a price in {priced}; in the other {tied} it is met exactly but has no price: "
                           "moving it a little there changes nothing",
                           "，其中{priced}个县影子价格不为零；其余{tied}个县恰好处于限值但影子价格为零：小幅调整不会"
                           "改变目标值"),
    # an accounting identity: what one more eligible person is worth, not the price of a policy
    "explain.identity.head": ("{rule} is an accounting identity (each person in {column} is funded once), "
                              "not a policy with a price: ",
                              "{rule}是核算恒等式（{column}中每人只能受助一次），不是有政策代价的约束："),
    "explain.identity.range": ("where the pool is full, one more eligible person is worth from {low} to {high} "
                               "{words}, most in {most}",
                               "在该人员池已满的县，每增加一名符合条件的人员可带来{low}至{high}{words}，最高为{most}"),
    "explain.identity.same": ("where the pool is full, one more eligible person is worth {value} {words}",
                              "在该人员池已满的县，每增加一名符合条件的人员可带来{value}{words}"),
    "explain.identity.nothing": ("where the pool is full, one more eligible person would add nothing",
                                 "在该人员池已满的县，增加符合条件的人员不会改变目标值"),
    "explain.identity.population": ("The {what} is an accounting identity (each of these persons is funded once), not "
                                    "a policy with a price: ",
                                    "{what}是核算恒等式（其中每人只能受助一次），不是有政策代价的约束："),
    # at its limit, with a price nowhere: listed with the rules that do not bind
    "explain.unpriced": ("{what} is met exactly{count} but has a price nowhere: moving it a little changes nothing",
                         "{what}恰好处于限值{count}，但各处影子价格均为零：小幅调整不会改变目标值"),
    # a rule with slack everywhere, and by how much
    "explain.slack.sentence": ("{rule} does not bind anywhere: {clauses}", "{rule}在各处均未起约束作用：{clauses}"),
    "explain.slack.sentence_one": ("{rule} does not bind: {clauses}", "{rule}未起约束作用：{clauses}"),
    "explain.full_stop": ("{text}.", "{text}。"),
    "explain.sep": ("; ", "；"),
    "explain.slack.floor": ("in every county{scope} {what} at least {ratio} times what it requires",
                            "{scope}各县{what}均至少为其要求的{ratio}倍"),
    "explain.slack.ceiling": ("in every county{scope} {what} at most {share} of what it allows",
                              "{scope}各县{what}均至多为其上限的{share}"),
    "explain.slack.scope": (" of {group}", "{group}中"),
    "explain.slack.zero": ("it asks nothing of any county (its limit is 0 everywhere)", "其限值在各县均为0"),
    "explain.slack.share_min": ("{whom} get {share} of the money; it asks at least {limit}",
                                "{whom}获得资金的{share}，要求不低于{limit}"),
    "explain.slack.share_max": ("{whom} get {share} of the money; it allows at most {limit}",
                                "{whom}获得资金的{share}，上限为{limit}"),
    "explain.slack.per_capita": ("in every county of {group} the money per head is at least {ratio} times the "
                                 "others' (it asks {asked} times)",
                                 "{group}各县人均资金均至少为其他县的{ratio}倍（要求{asked}倍）"),
    "explain.whom.group": ("the counties of {group}", "{group}各县"),
    "explain.slack.share_min.region": ("closest to its limit is {region}, where {whom} get {share} of the money "
                                       "there; it asks at least {limit}",
                                       "最接近限值的是{region}：{whom}获得该市资金的{share}，要求不低于{limit}"),
    "explain.slack.share_max.region": ("closest to its limit is {region}, where {whom} get {share} of the money "
                                       "there; it allows at most {limit}",
                                       "最接近限值的是{region}：{whom}获得该市资金的{share}，上限为{limit}"),
    "explain.slack.region_share_min": ("closest to its limit is {region}, with {share} of the money; it asks at "
                                       "least {limit}", "最接近限值的是{region}：获得资金的{share}，要求不低于{limit}"),
    "explain.slack.region_share_max": ("closest to its limit is {region}, with {share} of the money; it allows at "
                                       "most {limit}", "最接近限值的是{region}：获得资金的{share}，上限为{limit}"),
    "explain.whom.earmark": ("the earmarked measures", "专项措施"),
    "explain.what.persons_funded": ("the persons funded are", "受助人数"),
    "explain.what.persons_employed": ("the persons employed are", "就业人数"),
    "explain.what.money": ("the money is", "资金"),
    # the summary and report.html
    "explain.summary.not_binding": ("rules that do not bind", "未起约束作用的规则"),
    "explain.report.not_binding": ("Rules that do not bind", "未起约束作用的规则"),
    "explain.report.intro": ("A binding rule is at its limit. Its shadow price says how the objective would change "
                             "if the limit moved by one unit. A rule can be at its limit in more counties than it "
                             "has a price in: there the allocation meets the limit exactly, but moving it a little "
                             "changes nothing (a tie).",
                             "处于限值的约束即起约束作用。影子价格表示限值变动一个单位时目标值的变化。一条约束处于限值的"
                             "县数可以多于其影子价格不为零的县数：这些县的分配恰好等于限值，但小幅调整限值不会改变目标值"
                             "（存在同样好的分配）。"),
    "explain.report.none_binding": ("No rule is at its limit: the budget and the capacities alone shape the "
                                    "allocation.", "没有约束处于限值：分配仅由预算和容量决定。"),
    # explanations.txt
    "explain.no_prices": ("No shadow prices: {note}.", "无影子价格：{note}。"),
    "explain.no_prices_at_all": ("No shadow prices are available.", "没有可用的影子价格。"),
    "explain.budget.free": ("More budget would not change the objective: at {total} {unit} the budget is not what "
                            "limits the allocation (capacities and rules are).",
                            "增加预算不会改变目标值：预算为{total}{unit}时，限制分配的不是预算，而是容量和规则。"),
    "explain.budget.rate": ("One more {unit} of budget would {effect}{interval}.",
                            "预算每增加1{unit}，{effect}{interval}。"),
    "explain.budget.interval": (", a rate that holds at least for budgets from {low} to {high} {unit}",
                                "，该比率至少在预算{low}至{high}{unit}之间成立"),
    "explain.budget.interval_open": (", a rate that holds for any budget above {low} {unit}",
                                     "，预算高于{low}{unit}时该比率均成立"),
    "explain.budget.step": (" Re-solved, 1 % more budget ({step} {unit}) would {effect}.",
                            "重新求解：预算增加1%（{step}{unit}），{effect}。"),
    "explain.target.rate": ("Raising {name} by one person employed would {effect}{interval}.",
                            "{name}每增加1名就业人员，{effect}{interval}。"),
    "explain.target.interval": (", a rate that holds at least for targets from {low} to {high} persons",
                                "，该比率至少在目标{low}至{high}人之间成立"),
    "explain.share.interval": (", a rate that holds at least for shares from {low} to {high}",
                               "，该比率至少在份额{low}至{high}之间成立"),
    "explain.rule.costs": ("The rule {rule} ({what}) costs {amount} per {per} ({said}, re-solved).",
                           "{rule}（{what}）每放宽{per}（{said}，重新求解），代价为{amount}。"),
    "explain.rule.free": ("The rule {rule} ({what}) is at its limit, but loosening it ({said}, re-solved) "
                          "changes nothing.",
                          "{rule}（{what}）处于限值，但放宽它（{said}，重新求解）不会改变目标值。"),
    "explain.rule.at_limit": ("The rule {rule} ({what}) is at its limit.", "{rule}（{what}）处于限值。"),
    "explain.rule.margin": (" At the margin, {change} would {effect}{interval}{most}{counts}.",
                            "边际上，{change}，{effect}{interval}{most}{counts}。"),
    "explain.rule.margin_zero": (" At the margin it has no price{counts}.", "边际上其影子价格为零{counts}。"),
    "explain.rule.counts": ("; it is {count}", "；{count}"),
    "explain.rule.most": (", most in {names}", "，其中代价最高的是{names}"),
    "explain.per.points": ("{n} points", "{n}个百分点"),
    "explain.per.loosening": ("{pct} loosening", "{pct}"),
    "explain.entry.cost": ("{unit_name}'s {label} would enter the allocation if it cost {cut} less (at most "
                           "{entry} {money} per beneficiary instead of {cost}).",
                           "{unit_name}的{label}若成本降低{cut}（每名受助者不高于{entry}{money}，现为{cost}），"
                           "即会进入分配方案。"),
    "explain.entry.effect": ("{unit_name}'s {label} would enter the allocation if it worked {rise} better there "
                             "(at least {entry} persons employed per beneficiary instead of {eff}); no cheaper cost "
                             "alone would do it.",
                             "{unit_name}的{label}若成效提高{rise}（每名受助者至少带动{entry}人就业，现为{eff}），"
                             "即会进入分配方案；仅降低成本不足以使其进入。"),
    # what a rule asks, in a few words
    "explain.what.share": ("{parts} of the money to {whom}", "{whom}所得资金{parts}"),
    "explain.what.at_least": ("at least {pct}", "不低于{pct}"),
    "explain.what.at_most": ("at most {pct}", "不高于{pct}"),
    "explain.what.per_region": (", in each region", "（各市分别计算）"),
    "explain.what.region_share": ("{parts} of the money to each region", "各市所得资金{parts}"),
    "explain.what.and": (" and ", "且"),
    "explain.what.hold_harmless": ("every unit gets at least {ratio} of {column}",
                                   "各县资金不低于{column}的{ratio}"),
    "explain.what.per_capita_tilt": ("money per head in {group} at least {ratio} × the others'",
                                     "{group}各县人均资金不低于其他县的{ratio}倍"),
    "explain.what.coverage": ("persons employed by {measures} at least {factor} × {column}",
                              "{measures}带动就业人数不低于{column}的{factor}倍"),
    "explain.what.pool": ("beneficiaries of {measures} at most {factor} × {column}",
                          "{measures}受助人数不超过{column}的{factor}倍"),
    "explain.what.min_coverage_rate": ("beneficiaries at least {rate} of {column}",
                                       "受助人数不低于{column}的{rate}"),
    "explain.what.unit_bounds": ("each unit's money within its floor and ceiling", "各县资金在其上下限之间"),
    "explain.what.all_measures": ("all measures", "全部措施"),
}
