"""Write data/counties.csv: Hebei's poverty counties with illustrative employment-poverty figures (2020 budget).

Run from anywhere:  python examples/hebei/make_counties.py
It uses no network and a fixed random seed, so the table it writes is the same byte for byte every time.
README.md beside this script says which columns are real (names, codes, categories, the wage levels of the
tiers, 康保's relocation settlement) and which are made up here to look plausible.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2019
OUT = Path(__file__).resolve().parent / "data" / "counties.csv"

# The 2012 list of poverty counties (国家/省扶贫开发工作重点县 and the Yanshan–Taihang contiguous-area counties
# that are on neither list), with the county codes of GB/T 2260 as they stood then. 涿鹿县赵家蓬区 is counted
# apart from 涿鹿县 on the national list but is no county of its own and has no code: 130799 is made up.
# (code, name, city, category)
COUNTIES = [
    # 石家庄市
    ("130125", "行唐县", "石家庄市", "national_key"),
    ("130126", "灵寿县", "石家庄市", "national_key"),
    ("130129", "赞皇县", "石家庄市", "national_key"),
    ("130131", "平山县", "石家庄市", "national_key"),
    # 秦皇岛市
    ("130321", "青龙满族自治县", "秦皇岛市", "national_key"),
    # 邯郸市
    ("130425", "大名县", "邯郸市", "national_key"),
    ("130428", "肥乡县", "邯郸市", "provincial"),
    ("130431", "鸡泽县", "邯郸市", "provincial"),
    ("130432", "广平县", "邯郸市", "provincial"),
    ("130433", "馆陶县", "邯郸市", "provincial"),
    ("130434", "魏县", "邯郸市", "national_key"),
    # 邢台市
    ("130522", "临城县", "邢台市", "national_key"),
    ("130523", "内丘县", "邢台市", "provincial"),
    ("130526", "任县", "邢台市", "provincial"),
    ("130527", "南和县", "邢台市", "provincial"),
    ("130529", "巨鹿县", "邢台市", "national_key"),
    ("130530", "新河县", "邢台市", "national_key"),
    ("130531", "广宗县", "邢台市", "national_key"),
    ("130532", "平乡县", "邢台市", "national_key"),
    ("130533", "威县", "邢台市", "national_key"),
    ("130535", "临西县", "邢台市", "provincial"),
    # 保定市
    ("130623", "涞水县", "保定市", "contiguous_area"),
    ("130624", "阜平县", "保定市", "national_key"),
    ("130627", "唐县", "保定市", "national_key"),
    ("130630", "涞源县", "保定市", "national_key"),
    ("130631", "望都县", "保定市", "contiguous_area"),
    ("130633", "易县", "保定市", "contiguous_area"),
    ("130634", "曲阳县", "保定市", "contiguous_area"),
    ("130636", "顺平县", "保定市", "national_key"),
    ("130637", "博野县", "保定市", "provincial"),
    # 张家口市
    ("130721", "宣化县", "张家口市", "contiguous_area"),
    ("130722", "张北县", "张家口市", "national_key"),
    ("130723", "康保县", "张家口市", "national_key"),
    ("130724", "沽源县", "张家口市", "national_key"),
    ("130725", "尚义县", "张家口市", "national_key"),
    ("130726", "蔚县", "张家口市", "national_key"),
    ("130727", "阳原县", "张家口市", "national_key"),
    ("130728", "怀安县", "张家口市", "national_key"),
    ("130729", "万全县", "张家口市", "national_key"),
    ("130731", "涿鹿县", "张家口市", "provincial"),
    ("130732", "赤城县", "张家口市", "national_key"),
    ("130733", "崇礼县", "张家口市", "national_key"),
    ("130799", "涿鹿县赵家蓬区", "张家口市", "national_key"),
    # 承德市
    ("130821", "承德县", "承德市", "contiguous_area"),
    ("130822", "兴隆县", "承德市", "provincial"),
    ("130823", "平泉县", "承德市", "national_key"),
    ("130824", "滦平县", "承德市", "national_key"),
    ("130825", "隆化县", "承德市", "national_key"),
    ("130826", "丰宁满族自治县", "承德市", "national_key"),
    ("130828", "围场满族蒙古族自治县", "承德市", "national_key"),
    # 沧州市
    ("130923", "东光县", "沧州市", "provincial"),
    ("130924", "海兴县", "沧州市", "national_key"),
    ("130925", "盐山县", "沧州市", "national_key"),
    ("130927", "南皮县", "沧州市", "national_key"),
    ("130928", "吴桥县", "沧州市", "provincial"),
    ("130929", "献县", "沧州市", "provincial"),
    ("130930", "孟村回族自治县", "沧州市", "provincial"),
    # 衡水市
    ("131121", "枣强县", "衡水市", "provincial"),
    ("131122", "武邑县", "衡水市", "national_key"),
    ("131123", "武强县", "衡水市", "national_key"),
    ("131124", "饶阳县", "衡水市", "national_key"),
    ("131126", "故城县", "衡水市", "provincial"),
    ("131128", "阜城县", "衡水市", "national_key"),
]

# Units renamed or merged in 2016–2017: the code and name in force in 2019 (when a 2020 budget is drawn up);
# the 2012 code stays in column code_2012. (宣化县 was merged into 宣化区; the row is the former county's area.)
RENAMED = {"130729": ("130708", "万全区"), "130733": ("130709", "崇礼区"), "130721": ("130705", "宣化区"),
           "130428": ("130407", "肥乡区"), "130823": ("130881", "平泉市")}

# The ten deeply poor counties (深度贫困县, named 2017): data the user supplies. Sourced: 康保, 阳原, 张北 (README
# gives the reports); the other seven are the most likely rest (张家口 6, 承德 2, 保定 2), unverified. 赤城 and 丰宁
# have no source either way and are left out.
DEEP_POVERTY = {"康保县", "沽源县", "尚义县", "张北县", "阳原县", "蔚县", "隆化县", "围场满族蒙古族自治县", "阜平县", "涞源县"}

# The last 13 counties to leave poverty, in 2020 (涿鹿县赵家蓬区 left in the same batch).
LAST_13 = {"围场满族蒙古族自治县", "丰宁满族自治县", "隆化县", "康保县", "沽源县", "张北县", "尚义县", "阳原县",
           "赤城县", "怀安县", "蔚县", "阜平县", "涞源县", "涿鹿县赵家蓬区"}

# Residents of concentrated relocation settlements (易地扶贫搬迁集中安置区), persons. 康保 (怡安社区, about 20,100)
# is real; the rest is an illustrative split that adds up to the province's ~114,700 in 330 settlements.
RELOCATION = {
    "康保县": 20100, "阜平县": 12600, "围场满族蒙古族自治县": 11400, "尚义县": 10800, "张北县": 10600,
    "丰宁满族自治县": 10300, "蔚县": 7800, "沽源县": 6200, "阳原县": 5400, "隆化县": 5100, "赤城县": 4600,
    "涞源县": 3900, "怀安县": 2400, "崇礼县": 700, "万全县": 600, "唐县": 500, "平泉县": 500, "滦平县": 400,
    "青龙满族自治县": 400, "曲阳县": 400,
}

# Hebei minimum wage from 2019-11-01 (in force through 2020), by tier: monthly and hourly, 元.
MONTHLY = {1: 1900, 2: 1790, 3: 1680, 4: 1580}
HOURLY = {1: 19, 2: 18, 3: 17, 4: 16}

# A full-time month (21.75 days × 8 hours), for the full-time equivalent of a part-time post.
FULL_TIME_HOURS = 174

# Last year's money adds up to this share of the year's budget (scenario.yaml), and was divided by this
# factor formula, the deeply poor counties counted DEEP_BONUS times.
BUDGET = 40000
LAST_YEAR_SHARE = 0.86
LAST_YEAR_FACTORS = {"unemployed_poor_labour": 0.7, "zero_employment_households": 0.2, "relocation_pop": 0.1}
DEEP_BONUS = 1.25

# Registered poor labour, drawn uniformly between these bounds by kind of county.
LABOUR = {"deep": (22000, 34000), "last_13": (16000, 26000), "national_key": (9000, 20000),
          "contiguous_area": (8000, 16000), "provincial": (5000, 12000)}

# Shares drawn uniformly: (low, high) elsewhere, then (low, high) in the deeply poor counties.
P = {
    "unemployed": (0.15, 0.28, 0.13, 0.18),            # of registered poor labour
    "workshop_jobs": (0.12, 0.20, 0.15, 0.25),         # these five: of unemployed poor labour
    "post_slots": (0.35, 0.55, 0.85, 1.05),
    "startup_slots": (0.03, 0.07, 0.03, 0.07),
    "export_capacity": (0.35, 0.60, 0.25, 0.35),
    "training_places": (0.20, 0.30, 0.04, 0.08),
    "zero_employment_households": (0.002, 0.008, 0.006, 0.012),  # these two: of registered poor labour
    "poor_graduates": (0.004, 0.009),
}

# Per settlement resident: extra unemployed poor labour, workshop jobs and public-welfare posts.
RELOCATION_EXTRA = {"unemployed": 0.04, "workshop_jobs": 0.015, "post_slots": 0.03}

# Who the unemployed are (the 精准培训台账): members of zero-employment households (this many per household),
# then of the rest a share who cannot leave (无法外出务工: the deeply poor counties' share second); the others
# want to move out (有转移就业意愿).
ZERO_EMPLOYMENT_MEMBERS = 1.2
CANNOT_LEAVE = (0.35, 0.50, 0.50, 0.65)
# Workers already sent out by organized export (已集中输出务工), as a share of registered poor labour.
EXPORTED = (0.10, 0.20)
# Expected claims of the two workshop subsidies (按规定 entitlements), as shares of workshop jobs: workshops that
# train on the job claim 以工代训; those that keep a worker 6 months claim the absorption subsidy; no worker both.
TRAINING_CLAIMS = (0.25, 0.40)
ABSORPTION_CLAIMS = (0.35, 0.50)
# Hours a public-welfare post is worked per month, from the 摸查 (by county).
POST_HOURS = (40, 80)


def build(seed: int = SEED) -> pd.DataFrame:
    """The counties table, one row per county; the same seed gives the same table."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(COUNTIES, columns=["code", "name", "city", "category"])
    n = len(df)
    deep = df["name"].isin(DEEP_POVERTY).to_numpy()
    last13 = df["name"].isin(LAST_13).to_numpy()
    df["deep_poverty"] = deep.astype(int)
    df["last_13"] = last13.astype(int)

    kind = np.where(deep, "deep", np.where(last13, "last_13", df["category"].to_numpy()))
    low = np.array([LABOUR[k][0] for k in kind])
    high = np.array([LABOUR[k][1] for k in kind])
    labour = rng.uniform(low, high)
    labour[df["name"].eq("涿鹿县赵家蓬区").to_numpy()] = 5200  # a few townships, not a whole county
    labour = np.round(labour, -1)

    def share(lo, hi, lo_deep=None, hi_deep=None):
        s = rng.uniform(lo, hi, n)
        if lo_deep is not None:
            s = np.where(deep, rng.uniform(lo_deep, hi_deep, n), s)
        return s

    def count(x):
        return np.round(x).astype(int)

    # Capacities are shares of the unemployed poor labour. In the deeply poor counties years of targeted
    # programmes have built more places (above all public-welfare posts) than there are people left to fill
    # them; elsewhere the places are fewer than the people.
    # Relocation settlements add people looking for work near the new home, and the workshops and posts the
    # notice asks to be built in them (在易地搬迁社区建设扶贫车间).
    relocation = df["name"].map(RELOCATION).fillna(0).to_numpy()
    unemployed = labour * share(*P["unemployed"]) + RELOCATION_EXTRA["unemployed"] * relocation
    df["registered_poor_labour"] = count(labour)
    df["unemployed_poor_labour"] = count(unemployed)
    for column in ("workshop_jobs", "post_slots", "startup_slots", "export_capacity", "training_places"):
        df[column] = count(unemployed * share(*P[column]) + RELOCATION_EXTRA.get(column, 0) * relocation)
    df["zero_employment_households"] = count(labour * share(*P["zero_employment_households"]))
    df["poor_graduates"] = count(labour * share(*P["poor_graduates"]))
    df["relocation_pop"] = relocation.astype(int)

    # who the unemployed are: zero-employment household members, those who cannot leave, those who can
    members = np.minimum(count(ZERO_EMPLOYMENT_MEMBERS * df["zero_employment_households"]),
                         df["unemployed_poor_labour"] // 4)
    rest = df["unemployed_poor_labour"] - members
    df["zero_employment_members"] = members
    df["cannot_leave"] = count(rest * share(*CANNOT_LEAVE))
    df["want_to_move"] = rest - df["cannot_leave"]
    df["exported_workers"] = count(labour * share(*EXPORTED))
    df["training_claims"] = count(df["workshop_jobs"] * share(*TRAINING_CLAIMS))
    df["absorption_claims"] = count(df["workshop_jobs"] * share(*ABSORPTION_CLAIMS))
    df["post_hours_month"] = np.round(share(*POST_HOURS) / 5).astype(int) * 5
    df["post_fte"] = np.round(df["post_hours_month"] / FULL_TIME_HOURS, 4)

    tier = rng.choice([2, 3, 4], size=n, p=[0.1, 0.55, 0.35])
    tier[df["name"].eq("康保县").to_numpy()] = 3  # real: 康保 is in the 1,680 元 tier
    df["min_wage_tier"] = tier
    df["monthly_min_wage"] = [MONTHLY[t] for t in tier]
    df["hourly_min_wage"] = [HOURLY[t] for t in tier]

    df["population"] = count(labour / share(0.55, 0.65))
    df["fiscal_capacity"] = np.round(share(20000, 60000, 8000, 25000), -2).astype(int)
    # the 164号 classes' columns: own spending on employment (投入因素), last year's budget execution and persons
    # placed (绩效因素)
    df["own_spending"] = np.round(df["fiscal_capacity"] * share(0.004, 0.010), 0).astype(int)
    df["spending_rate"] = np.round(share(0.70, 0.98), 3)
    df["placed_last_year"] = count(df["unemployed_poor_labour"] * share(0.25, 0.45))

    # Last year's money: the factor formula of the year before (LAST_YEAR_FACTORS, the deeply poor counties
    # counted DEEP_BONUS times), with noise, scaled to LAST_YEAR_SHARE of BUDGET and rounded to 10 万元.
    raw = sum(w * df[col] / df[col].sum() for col, w in LAST_YEAR_FACTORS.items()).to_numpy()
    raw = raw * np.where(deep, DEEP_BONUS, 1.0) * rng.uniform(0.85, 1.15, n)
    df["last_year"] = np.round(raw / raw.sum() * BUDGET * LAST_YEAR_SHARE, -1).astype(int)

    df.insert(1, "code_2012", df["code"])
    for old, (code, name) in RENAMED.items():
        row = df["code_2012"].eq(old)
        df.loc[row, "code"], df.loc[row, "name"] = code, name
    return df


def main() -> None:
    df = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT, index=False, encoding="utf-8-sig", lineterminator="\n")
    print(f"wrote {OUT} ({len(df)} counties; last_year adds up to {df['last_year'].sum():,} 万元)")


if __name__ == "__main__":
    main()
