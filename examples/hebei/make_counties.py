"""Write data/counties.csv: Hebei's poverty counties with illustrative employment-poverty figures.

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

# The ten deeply poor counties: data the user supplies (domain.md). This example's choice: ten of the last
# thirteen counties to leave poverty, in the Bashang, Yanshan and Taihang areas of 张家口, 承德 and 保定.
DEEP_POVERTY = {"康保县", "沽源县", "尚义县", "阳原县", "蔚县", "赤城县", "隆化县", "围场满族蒙古族自治县", "阜平县", "涞源县"}

# The last 13 counties to leave poverty, in 2020 (domain.md).
LAST_13 = {"围场满族蒙古族自治县", "丰宁满族自治县", "隆化县", "康保县", "沽源县", "张北县", "尚义县", "阳原县",
           "赤城县", "怀安县", "蔚县", "阜平县", "涞源县"}

# Residents of concentrated relocation settlements (易地扶贫搬迁集中安置区), persons. 康保 (怡安社区, about 20,100)
# is real; the rest is an illustrative split that adds up to the province's ~114,700 in 330 settlements.
RELOCATION = {
    "康保县": 20100, "阜平县": 12600, "围场满族蒙古族自治县": 11400, "尚义县": 10800, "张北县": 10600,
    "丰宁满族自治县": 10300, "蔚县": 7800, "沽源县": 6200, "阳原县": 5400, "隆化县": 5100, "赤城县": 4600,
    "涞源县": 3900, "怀安县": 2400, "崇礼县": 700, "万全县": 600, "唐县": 500, "平泉县": 500, "滦平县": 400,
    "青龙满族自治县": 400, "曲阳县": 400,
}

# Hebei minimum wage from 2019-11-01, by tier: monthly and hourly, 元.
MONTHLY = {1: 1900, 2: 1790, 3: 1680, 4: 1580}
HOURLY = {1: 19, 2: 18, 3: 17, 4: 16}

# Last year's money adds up to this share of the year's budget (scenario.yaml), and was divided by this
# factor formula, the deeply poor counties counted DEEP_BONUS times.
BUDGET = 60000
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

    tier = rng.choice([2, 3, 4], size=n, p=[0.1, 0.55, 0.35])
    tier[df["name"].eq("康保县").to_numpy()] = 3  # real: 康保 is in the 1,680 元 tier
    df["min_wage_tier"] = tier
    df["monthly_min_wage"] = [MONTHLY[t] for t in tier]
    df["hourly_min_wage"] = [HOURLY[t] for t in tier]

    df["population"] = count(labour / share(0.55, 0.65))
    df["fiscal_capacity"] = np.round(share(20000, 60000, 8000, 25000), -2).astype(int)

    # Last year's money: the factor formula of the year before (LAST_YEAR_FACTORS, the deeply poor counties
    # counted DEEP_BONUS times), with noise, scaled to LAST_YEAR_SHARE of BUDGET and rounded to 10 万元.
    raw = sum(w * df[col] / df[col].sum() for col, w in LAST_YEAR_FACTORS.items()).to_numpy()
    raw = raw * np.where(deep, DEEP_BONUS, 1.0) * rng.uniform(0.85, 1.15, n)
    df["last_year"] = np.round(raw / raw.sum() * BUDGET * LAST_YEAR_SHARE, -1).astype(int)
    return df


def main() -> None:
    df = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT, index=False, encoding="utf-8-sig", lineterminator="\n")
    print(f"wrote {OUT} ({len(df)} counties; last_year adds up to {df['last_year'].sum():,} 万元)")


if __name__ == "__main__":
    main()
