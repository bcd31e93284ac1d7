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

# Share of the year's budget (60,000 万元 in scenario.yaml) that last year's allocation adds up to.
BUDGET = 60000
LAST_YEAR_SHARE = 0.87

# Persons per count, as ranges drawn uniformly; the deeply poor counties are larger and poorer.
LABOUR = {"deep": (24000, 38000), "last_13": (16000, 26000), "national_key": (9000, 20000),
          "contiguous_area": (8000, 16000), "provincial": (5000, 12000)}


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

    df["registered_poor_labour"] = count(labour)
    df["unemployed_poor_labour"] = count(labour * share(0.10, 0.22, 0.22, 0.30))
    df["workshop_jobs"] = count(labour * share(0.025, 0.05))
    df["post_slots"] = count(labour * share(0.04, 0.07, 0.08, 0.11))
    df["startup_slots"] = count(labour * share(0.008, 0.02))
    df["export_capacity"] = count(labour * share(0.04, 0.09))
    df["training_places"] = count(labour * share(0.03, 0.06))
    df["zero_employment_households"] = count(labour * share(0.002, 0.008, 0.006, 0.012))
    df["poor_graduates"] = count(labour * share(0.004, 0.009))
    df["relocation_pop"] = df["name"].map(RELOCATION).fillna(0).astype(int)

    tier = rng.choice([2, 3, 4], size=n, p=[0.1, 0.55, 0.35])
    tier[df["name"].eq("康保县").to_numpy()] = 3  # real: 康保 is in the 1,680 元 tier
    df["min_wage_tier"] = tier
    df["monthly_min_wage"] = [MONTHLY[t] for t in tier]
    df["hourly_min_wage"] = [HOURLY[t] for t in tier]

    df["population"] = count(labour / share(0.55, 0.65))
    df["fiscal_capacity"] = np.round(share(15000, 60000, 8000, 25000), -2).astype(int)

    # Last year's money: the factor formula of the year before (labour 0.6, zero-employment households 0.2,
    # relocation 0.2, deeply poor counties counted 1.3 times), with noise, scaled to LAST_YEAR_SHARE of BUDGET.
    raw = (0.6 * labour / labour.sum()
           + 0.2 * df["zero_employment_households"] / df["zero_employment_households"].sum()
           + 0.2 * df["relocation_pop"] / df["relocation_pop"].sum())
    raw = raw.to_numpy() * np.where(deep, 1.3, 1.0) * rng.uniform(0.85, 1.15, n)
    df["last_year"] = np.round(raw / raw.sum() * BUDGET * LAST_YEAR_SHARE, -1).astype(int)
    return df


def main() -> None:
    df = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT, index=False, encoding="utf-8-sig", lineterminator="\n")
    print(f"wrote {OUT} ({len(df)} counties; last_year adds up to {df['last_year'].sum():,} 万元)")


if __name__ == "__main__":
    main()
