"""One language at a time: a zh run of the Hebei example prints and writes Chinese (English only in the names the
scenario gives things, file names and units), an en run English (Chinese only in what the user wrote); every
sentence the code asks the catalog for exists in both languages."""
import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fundalloc as fa
from fundalloc.catalog import fields_of, words
from fundalloc.report import render
from fundalloc.summary import price_sentences

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fundalloc"
HEBEI = ROOT / "examples" / "hebei" / "scenario.yaml"

#: English words a Chinese text may hold besides the scenario's names: software, file kinds, YAML keys a
#: sentence quotes, the solver's name
ZH_ALLOWED = {"fundalloc", "sha256", "HiGHS", "highs", "csv", "txt", "xlsx", "json", "svg", "html", "integer", "true",
              "false", "pandas", "DataFrame", "Scenario", "dict", "changes", "PuLP", "Python", "YAML", "UTF", "U", "MB",
              "utf", "gb18030", "GB18030", "big5", "latin", "allocation_table", "spend_all", "Sobol", "sensitivity",
              "LANG", "FUNDALLOC_LANG", "lang", "help", "validate", "init", "DIR", "SCENARIO", "yaml", "docs",
              "reliability", "md", "units", "file", "openpyxl", "pip", "install", "excel", "Excel", "WPS", "CSV",
              "Parquet", "parquet", "pyarrow", "python", "m", "language", "en", "zh", "set", "PATH", "VALUE", "budget",
              "total"}
#: Chinese an English text may hold besides what the user wrote: the money units and the terms of art English
#: sentences gloss (the 分配表, the 因素法, the notice's own phrase, what an input method calls a setting)
EN_ALLOWED = {"万元", "元", "亿元", "分配表", "因素法", "因素法测算", "半角标点", "繁體", "补贴标准与工作时间明显不匹配"}

ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_0-9]*")
#: what is neither a word nor a name: paths (relative ones too: data/counties.csv), file names, sha256 digests,
#: versions, dotted paths on the command line
NOT_WORDS = re.compile(r"\b[\w.-]+(?:/[\w.-]+)+|(?:[A-Za-z]:)?[\\/][^\s，。；：（）、]*|\b[\w.-]+\.(?:txt|csv|md|xlsx|json|svg|html|parquet|yaml)\b"
                       r"|\b[0-9a-f]{12,64}\b|\b\d+\.\d+\.\d+\b|\b[a-z_]+(?:\.[a-z_*]+)+=\S+")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


# ------------------------------------------------------------------------------------------- the catalog


def used_keys() -> set[str]:
    """Every catalog key the code asks for by its literal name (``t("summary.status", …)``)."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "catalog" in path.parts:
            continue
        found |= set(re.findall(r"""\bt\(\s*["']([a-z_]+(?:\.[A-Za-z_0-9]+)+)["']""", path.read_text(encoding="utf-8")))
    return found


def test_every_key_the_code_asks_for_is_in_the_catalog_in_both_languages():
    keys = used_keys()
    assert len(keys) > 300  # the scan sees the code's lookups
    missing = sorted(k for k in keys if k not in words())
    assert not missing, missing
    for key in keys:
        english, chinese = words()[key]
        assert english.strip() and chinese.strip() and fields_of(english) == fields_of(chinese), key


#: code an error message shows as the reader would type it: options (--out), calls (fa.load_scenario(path)),
#: attributes (result.scenario)
CODE = re.compile(r"--[\w-]+|\b\w+(?:\.\w+)*\((?:[^()]|\([^()]*\))*\)|\b\w+(?:\.\w+)+")


def _without_fields(template: str) -> str:
    """A template without its fields, code and quotations (“…”: the policy's own words, cited)."""
    return NOT_WORDS.sub(" ", CODE.sub(" ", re.sub(r"\{[^{}]*\}|`[^`]*`|“[^”]*”", " ", template)))


def test_chinese_entries_are_chinese_and_english_entries_english():
    for key, (english, chinese) in words().items():
        stray = {w for w in ASCII_WORD.findall(_without_fields(chinese)) if w not in ZH_ALLOWED}
        assert not stray, (key, chinese, stray)
        assert set(CJK_RUN.findall(_without_fields(english))) <= EN_ALLOWED | {"分配表"}, (key, english)


# ------------------------------------------------------------------------------------------ a Hebei run


def run_hebei(tmp_path: Path, lang: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / lang
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run([sys.executable, "-m", "fundalloc", str(HEBEI), "--lang", lang, "--excel", "--out", str(out),
                          "--variant", "budget_cut", "--set", "sensitivity.monte_carlo.draws=16"],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr
    return run, out


def texts(run: subprocess.CompletedProcess, out: Path) -> dict[str, str]:
    """What the run printed and wrote for people: stdout, stderr, explanations.txt, the 分配表 and every text cell
    of the workbook (sheet names and headers included)."""
    import openpyxl

    found = {"stdout": run.stdout, "stderr": run.stderr,
             "explanations.txt": (out / "explanations.txt").read_text(encoding="utf-8"),
             "allocation_table.csv": (out / "allocation_table.csv").read_text(encoding="utf-8-sig")}
    book = openpyxl.load_workbook(out / "allocation.xlsx")
    for sheet in book:
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        found[f"allocation.xlsx: {sheet.title}"] = "\n".join([sheet.title, *cells])
    return found


def names_of(sc, out: Path) -> set[str]:
    """Every name the scenario and the run give things: rules, groups, measures, populations, columns, variants,
    the scenario's own name, the files written, the dotted path changed on the command line."""
    names = {r.name for r in sc.rules} | set(sc.groups) | set(sc.measures) | set(sc.populations)
    names |= set(map(str, sc.units.columns)) | set(sc.variants) | {"base", "factor", sc.name}
    names |= {p.stem for p in out.rglob("*")} | {"monte_carlo", "draws"}
    return {part for name in names for part in ASCII_WORD.findall(name)}


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    return run_hebei(tmp_path_factory.mktemp("zh"), "zh")


@pytest.fixture(scope="module")
def en_run(tmp_path_factory):
    return run_hebei(tmp_path_factory.mktemp("en"), "en")


def test_a_chinese_run_prints_and_writes_no_english_but_names(zh_run):
    run, out = zh_run
    sc = fa.load_scenario(HEBEI)
    allowed = names_of(sc, out) | ZH_ALLOWED
    stray = {where: sorted({w for w in ASCII_WORD.findall(NOT_WORDS.sub(" ", text)) if w not in allowed})
             for where, text in texts(run, out).items()}
    assert not any(stray.values()), {k: v for k, v in stray.items() if v}
    assert "起约束作用的规则" in run.stdout and "分配表" in run.stdout


def test_a_chinese_run_shows_labels_not_ids(zh_run):
    run, out = zh_run
    sc = fa.load_scenario(HEBEI)
    printed = run.stdout + (out / "explanations.txt").read_text(encoding="utf-8")
    for rule in sc.rules:
        assert rule.label and rule.name not in printed.replace("`" + rule.name + "`", ""), rule.name
    for name, group in sc.groups.items():
        assert group.label, name
    header = next(csv.reader((out / "allocation_table.csv").open(encoding="utf-8-sig")))
    assert header[:3] == ["单位代码", "县(市、区)", "所属市"]


def test_an_english_run_holds_no_chinese_but_what_the_user_wrote(en_run):
    run, out = en_run
    sc = fa.load_scenario(HEBEI)
    user = [str(v) for v in sc.units.select_dtypes(exclude="number").to_numpy().ravel()]
    user += [sc.description, sc.prepared_by or ""] + [spec.label or "" for spec in sc.measures.values()]
    user += [(r.label or "") + (r.description or "") for r in sc.rules]
    user += [g.label or "" for g in sc.groups.values()] + [c.label or "" for c in sc.columns.values()]
    user += [sc.population(p).label or "" for p in sc.populations] + [sc.objective.label or ""]
    user += [k.label or "" for k in sc.baseline.classes.values()]
    written = "\n".join(user)
    for where, text in texts(run, out).items():
        stray = sorted({c for c in CJK_RUN.findall(text) if c not in EN_ALLOWED and c not in written})
        assert not stray, (where, stray)
    assert "binding rules" in run.stdout


# ------------------------------------------------------------------------------------- how it is chosen


MINIMAL = ROOT / "examples" / "minimal" / "scenario.yaml"


def fundalloc(*args, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("FUNDALLOC_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    base.update(PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run([sys.executable, "-m", "fundalloc", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=base, cwd=cwd, timeout=300)


def test_lang_on_the_command_line_overrides_the_scenario(tmp_path):
    assert fa.load_scenario(MINIMAL).language == "en"
    zh = fundalloc(MINIMAL, "--lang", "zh", "--no-variants", "--no-sensitivity", "--out", tmp_path / "zh", cwd=tmp_path)
    assert zh.returncode == 0 and "求解状态" in zh.stdout and "status" not in zh.stdout
    header = (tmp_path / "zh" / "allocation_table.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("单位代码,县(市、区)")
    # the machine tables keep their English column ids in either language
    assert (tmp_path / "zh" / "units.csv").read_text(encoding="utf-8-sig").startswith("unit_id,unit_name,")
    en = fundalloc(HEBEI, "--lang", "en", "--no-variants", "--no-sensitivity", "--out", tmp_path / "en", cwd=tmp_path)
    assert en.returncode == 0 and "binding rules" in en.stdout and "起约束作用的规则" not in en.stdout
    valid = fundalloc("validate", HEBEI, "--lang", "en")
    assert valid.returncode == 0 and "valid (hebei-2020: 63 counties; 9 measures; 7 rules" in valid.stdout


def test_help_follows_lang_then_the_environment_then_the_locale():
    assert "显示本帮助信息并退出" in fundalloc("--help", "--lang", "zh").stdout
    assert "show this help message and exit" in fundalloc("--help").stdout
    assert "用法：fundalloc validate" in fundalloc("validate", "--help", env={"FUNDALLOC_LANG": "zh"}).stdout
    assert "usage: fundalloc" in fundalloc("--help", "--lang", "en", env={"FUNDALLOC_LANG": "zh"}).stdout
    assert "起步情景" in fundalloc("--help", env={"LANG": "zh_CN.UTF-8"}).stdout
    assert "exit codes" in fundalloc("--help", env={"LANG": "C.UTF-8"}).stdout.lower()


def test_lang_in_python_is_a_change_of_the_scenario():
    sc = fa.load_scenario(MINIMAL)
    res = fa.solve(sc, lang="zh")
    assert res.scenario.language == "zh" and sc.language == "en"
    assert res.summary().splitlines()[1].startswith("  求解状态")
    assert fa.load_scenario(MINIMAL, lang="zh").language == "zh"
    assert fa.solve(fa.load_scenario(MINIMAL, lang="zh"), lang="en").summary().splitlines()[1].startswith("  status")
    with pytest.raises(fa.ScenarioError, match="language"):
        fa.solve(sc, lang="fr")


def test_labels_stand_for_names_in_sentences_and_tables():
    sc = fa.load_scenario(MINIMAL).with_changes({
        "rules.tilt.label": "Deep-poverty share", "groups.deep.label": "deep-poverty counties"})
    res = fa.solve(sc)
    sentence = dict(price_sentences(res))["tilt"]
    assert "“Deep-poverty share”" in sentence and "deep-poverty counties" in sentence and "`tilt`" not in sentence
    assert "deep-poverty counties" in res.summary() and "deep-poverty counties" in render(res)
    assert "tilt" in res.shadow_prices.index and "deep" in res.money_by_group  # the data keep the names


def test_a_label_for_a_column_the_table_does_not_have_is_an_error():
    with pytest.raises(fa.ScenarioError, match="`columns.last_yaer`.*no column `last_yaer`"):
        fa.load_scenario(MINIMAL).with_changes({"columns": {"last_yaer": {"label": "上年"}}})


def test_the_objective_label_names_what_it_counts():
    res = fa.solve(fa.load_scenario(MINIMAL).with_changes({"objective.label": "jobs (FTE, weighted)"}))
    assert "498.25 jobs (FTE, weighted)" in res.summary()
    assert "+0.8 jobs (FTE, weighted)" in dict(price_sentences(res))["budget"]
