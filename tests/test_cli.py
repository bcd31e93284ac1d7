"""The command line, run as analysts run it: `python -m fundalloc` in a subprocess, on a scenario file."""
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = """\
name: tiny
description: three counties, two measures, a tilt and a floor
money_unit: 万元
units: {file: data/counties.csv, id: code, name: name}
groups:
  deep_poverty: {column: deep}
weights: {deep_poverty: 1.5}
budget: {total: 300}
measures:
  workshop: {label: 扶贫车间吸纳, unit_cost: "1000 元", capacity: jobs}
  post:
    label: 公益性岗位
    unit_cost: {product: [wage, 60, 12], unit: 元}
    hours: 720
    hourly_wage: wage
    capacity: posts
rules:
  - {type: pool, name: one_person_one_measure, column: poor_labour}
  - {type: group_share, name: tilt, group: deep_poverty, min: 0.4}
  - {type: hold_harmless, column: last_year, min_ratio: 0.8}
variants:
  no_tilt: {rules.tilt.min: 0}
  cut: {budget.total: 270}
"""

COUNTIES = """\
code,name,jobs,posts,poor_labour,deep,wage,last_year
130723,康保县,500,100,550,1,16.5,80
130724,沽源县,300,80,350,1,16.5,60
130725,尚义县,800,60,820,0,18,100
"""

ALLOCATION = ["unit_id", "unit_name", "measure", "amount", "beneficiaries", "outcome"]
UNITS = ["unit_id", "unit_name", "groups", "weight", "amount", "beneficiaries", "outcome", "binding_rules"]
SUMMARY_KEYS = ["scenario", "variant", "status", "objective", "objective_type", "money_unit", "budget",
                "total_allocated", "total_outcome", "money_by_group", "shadow_prices", "solver", "timings",
                "versions", "input_sha256"]
RUN_FILES = ["allocation.csv", "units.csv", "shadow_prices.csv", "ranging.csv", "summary.json", "report.html",
             "allocation_table.csv"]


def write_scenario(folder: Path, *edits: tuple[str, str]) -> Path:
    text = SCENARIO
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "counties.csv").write_text(COUNTIES, encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fundalloc(*args, cwd: Path) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "fundalloc", *map(str, args)], cwd=cwd, capture_output=True,
                         text=True, encoding="utf-8")
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


def read_csv(path: Path, columns: list[str]) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} is not UTF-8 with BOM"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    missing = [c for c in columns if c not in (rows[0] if rows else {})]
    assert not missing, f"{path.name} lacks {missing}"
    return rows


def check_run_folder(folder: Path) -> dict:
    """Every file of one run, with its columns and BOM; returns summary.json. (A factor formula's folder has no
    allocation_table.csv: its amounts are a column of the base run's.)"""
    factor = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("method") == "factor"
    for name in RUN_FILES:
        if not (factor and name == "allocation_table.csv"):
            assert (folder / name).is_file(), f"no {name} in {folder}"
    for path in folder.glob("*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} is not UTF-8 with BOM"
    read_csv(folder / "allocation.csv", ALLOCATION)
    read_csv(folder / "units.csv", UNITS)
    read_csv(folder / "shadow_prices.csv", ["rule", "shadow_price"])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert [k for k in SUMMARY_KEYS if k not in summary] == []
    return summary


@pytest.fixture
def scenario(tmp_path) -> Path:
    return write_scenario(tmp_path)


# ------------------------------------------------------------------------------------------- one run


def test_a_run_writes_every_file_with_its_columns_and_prints_a_summary(scenario, tmp_path):
    run = fundalloc(scenario, "--out", tmp_path / "out", "--no-variants", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    summary = check_run_folder(tmp_path / "out")
    assert summary["status"] == "optimal" and summary["variant"] is None
    assert summary["budget"] == 300 and summary["total_allocated"] == pytest.approx(300)
    units = read_csv(tmp_path / "out" / "units.csv", UNITS)
    assert {u["unit_name"] for u in units} == {"康保县", "沽源县", "尚义县"}
    assert [p.name for p in (tmp_path / "out").iterdir() if p.is_dir()] == []
    out = run.stdout
    for words in ("optimal", "weighted jobs", "money by group", "deep_poverty", "binding rules",
                  "one more 万元 of budget: +", "files: ",
                  f"allocation table (分配表): {tmp_path / 'out' / 'allocation_table.csv'}"):
        assert words in out, f"{words!r} not in:\n{out}"


def test_binding_floors_are_explained_in_words(scenario, tmp_path):
    # a floor of 120 % of last year's money takes 288 of the 300 万元: the floors bind
    run = fundalloc(scenario, "--out", tmp_path / "out", "--no-variants",
                    "--set", "rules.hold_harmless.min_ratio=1.2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "raising every floor of `hold_harmless` by 1 万元: " in run.stdout
    assert "counties)" in run.stdout


def test_the_default_output_folder_is_named_after_the_scenario(scenario, tmp_path):
    run = fundalloc("scenario.yaml", "--no-variants", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    check_run_folder(tmp_path / "fundalloc-out" / "tiny")
    assert "fundalloc-out" in run.stdout


def test_a_second_run_replaces_the_first_output_set(scenario, tmp_path):
    out = tmp_path / "out"
    assert fundalloc(scenario, "--out", out, cwd=tmp_path).returncode == 0
    assert (out / "no_tilt").is_dir()
    assert fundalloc(scenario, "--out", out, "--no-variants", cwd=tmp_path).returncode == 0
    assert not (out / "no_tilt").exists() and not (out / "comparison.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folders left


def test_backend_pulp_gives_the_same_allocation(scenario, tmp_path):
    highs = fundalloc(scenario, "--out", tmp_path / "h", "--no-variants", cwd=tmp_path)
    pulp = fundalloc(scenario, "--out", tmp_path / "p", "--no-variants", "--backend", "pulp", cwd=tmp_path)
    assert highs.returncode == pulp.returncode == 0, pulp.stderr
    a = json.loads((tmp_path / "h" / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "p" / "summary.json").read_text(encoding="utf-8"))
    assert b["solver"]["backend"] == "pulp"
    assert b["objective"] == pytest.approx(a["objective"], rel=1e-6)


# --------------------------------------------------------------------------------------------- variants


def test_every_variant_runs_by_default_into_its_own_folder_with_a_comparison(scenario, tmp_path):
    out = tmp_path / "out"
    run = fundalloc(scenario, "--out", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    check_run_folder(out)
    for variant in ("no_tilt", "cut"):
        assert check_run_folder(out / variant)["variant"] == variant
    assert json.loads((out / "cut" / "summary.json").read_text(encoding="utf-8"))["budget"] == 270
    rows = read_csv(out / "comparison.csv", ["unit_id", "unit_name", "amount.base", "outcome.base",
                                             "amount.no_tilt", "outcome.no_tilt", "amount.cut", "outcome.cut",
                                             "amount_diff.no_tilt", "amount_diff.cut", "outcome_diff.cut"])
    assert len(rows) == 3
    assert sum(float(r["amount_diff.cut"]) for r in rows) == pytest.approx(-30)
    assert "runs compared" in run.stdout and "no_tilt" in run.stdout and "cut vs base" in run.stdout
    assert "Runs compared" in (out / "report.html").read_text(encoding="utf-8")


def test_variant_option_runs_the_base_and_only_the_named_variants(scenario, tmp_path):
    out = tmp_path / "out"
    run = fundalloc(scenario, "--out", out, "--variant", "cut", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (out / "cut").is_dir() and not (out / "no_tilt").exists()
    header = (out / "comparison.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "amount.cut" in header and "no_tilt" not in header


def test_an_unknown_variant_is_invalid_input(scenario, tmp_path):
    run = fundalloc(scenario, "--out", tmp_path / "out", "--variant", "no_tlit", cwd=tmp_path)
    assert run.returncode == 2
    assert "no variant named `no_tlit`" in run.stderr and "did you mean `no_tilt`" in run.stderr
    assert not (tmp_path / "out").exists()


# -------------------------------------------------------------------------------------------- --set


def test_set_changes_a_value_by_dotted_path_for_the_base_and_the_variants(scenario, tmp_path):
    out = tmp_path / "out"
    run = fundalloc(scenario, "--out", out, "--variant", "no_tilt", "--set", "budget.total=250", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for folder in (out, out / "no_tilt"):
        assert json.loads((folder / "summary.json").read_text(encoding="utf-8"))["budget"] == 250
    assert "budget.total=250" in (out / "report.html").read_text(encoding="utf-8")


def test_set_takes_money_with_its_own_unit(scenario, tmp_path):
    run = fundalloc(scenario, "--out", tmp_path / "out", "--no-variants", "--set", "budget.total=2800000 元",
                    cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["budget"] == 280


@pytest.mark.parametrize("change, words", [
    ("budget.totl=5", ["budget.totl", "nothing named `totl`"]),
    ("budget.total=-5", ["budget.total", "more than 0"]),
    ("budget.total", ["PATH=VALUE"]),
])
def test_a_bad_set_is_invalid_input_and_writes_nothing(scenario, tmp_path, change, words):
    run = fundalloc(scenario, "--out", tmp_path / "out", "--set", change, cwd=tmp_path)
    assert run.returncode == 2
    for w in words:
        assert w in run.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------- exit codes 2, 3


def test_a_missing_scenario_file_is_invalid_input(tmp_path):
    run = fundalloc(tmp_path / "nowhere.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert "no such file" in run.stderr and "nowhere.yaml" in run.stderr


def test_an_infeasible_scenario_exits_3_naming_the_rules_that_conflict(scenario, tmp_path):
    # floors of twice last year's money need 480 万元 of a 300 万元 budget (and of each variant's)
    out = tmp_path / "out"
    run = fundalloc(scenario, "--out", out, "--set", "rules.hold_harmless.min_ratio=2", cwd=tmp_path)
    assert run.returncode == 3
    assert "no allocation satisfies every rule" in run.stderr
    assert "hold_harmless" in run.stderr and "budget" in run.stderr and "would have to give" in run.stderr
    # nothing solved, so no allocation anywhere; every run's diagnosis is written
    assert not list(out.rglob("*.csv"))
    for folder, variant in ((out, None), (out / "no_tilt", "no_tilt"), (out / "cut", "cut")):
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "infeasible" and summary["variant"] == variant
        assert summary["objective"] is None and [k for k in SUMMARY_KEYS if k not in summary] == []
        hold = next(c for c in summary["conflicts"] if c["rule"] == "hold_harmless")
        assert hold["unit"] == "万元" and hold["units_affected"] == 3
        assert "`hold_harmless`: would have to give" in (folder / "infeasible.txt").read_text(encoding="utf-8")
    # 2 × (80 + 60 + 100) = 480 of 300: the floors alone would have to give 180
    base = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert next(c for c in base["conflicts"] if c["rule"] == "hold_harmless")["shortfall"] == pytest.approx(180)
    assert "3 of 3 runs have no allocation (exit code 3)" in run.stdout


def test_a_variant_with_an_impossible_budget_exits_3_and_every_run_that_solves_is_written(tmp_path):
    # the floors (0.8 × last year) need 192 万元: a budget of 150 cannot hold them
    path = write_scenario(tmp_path, ("cut: {budget.total: 270}", "cut: {budget.total: 150}"))
    out = tmp_path / "out"
    run = fundalloc(path, "--out", out, cwd=tmp_path)
    assert run.returncode == 3
    assert check_run_folder(out)["status"] == "optimal"
    assert check_run_folder(out / "no_tilt")["variant"] == "no_tilt"
    cut = json.loads((out / "cut" / "summary.json").read_text(encoding="utf-8"))
    assert cut["status"] == "infeasible" and cut["variant"] == "cut" and cut["budget"] == 150
    assert {c["rule"]: c["shortfall"] for c in cut["conflicts"]} == pytest.approx({"budget": 42, "hold_harmless": 42})
    assert not (out / "cut" / "allocation.csv").exists()
    diagnosis = (out / "cut" / "infeasible.txt").read_text(encoding="utf-8")
    assert "tiny [cut]: no allocation satisfies every rule" in diagnosis and "budget: would need 42" in diagnosis
    # the comparison holds the runs that solved; the printed summary and the report name the one that did not
    header = (out / "comparison.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "amount.no_tilt" in header and "cut" not in header
    assert "cut: no allocation (infeasible)" in run.stdout and "1 of 3 runs have no allocation" in run.stdout
    assert "tiny [cut]: no allocation satisfies every rule" in run.stderr and "would need 42" in run.stderr
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Runs with no allocation" in report and "budget: would need 42" in report
    assert "Runs compared" in report
    # the same with --quiet: the folder on stdout, the diagnosis on stderr
    quiet = fundalloc(path, "--out", out, "--quiet", cwd=tmp_path)
    assert quiet.returncode == 3 and quiet.stdout.strip() == str(out) and "would need 42" in quiet.stderr


def test_when_the_base_is_infeasible_the_variants_that_solve_are_still_written(tmp_path):
    path = write_scenario(tmp_path, ("budget: {total: 300}", "budget: {total: 150}"),
                          ("cut: {budget.total: 270}", "more: {budget.total: 300}"))
    out = tmp_path / "out"
    for _ in range(2):  # a second run replaces the first set (its summary.json marks it as fundalloc's)
        run = fundalloc(path, "--out", out, cwd=tmp_path)
        assert run.returncode == 3
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["status"] == "infeasible"
    assert "tiny: no allocation satisfies every rule" in (out / "infeasible.txt").read_text(encoding="utf-8")
    assert check_run_folder(out / "more")["total_allocated"] == pytest.approx(300)
    assert (out / "no_tilt" / "infeasible.txt").is_file()
    assert not (out / "comparison.csv").exists()  # nothing to compare with
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "No allocation" in report and "Runs that solved" in report and "more/" in report
    assert "nothing is compared with it" in run.stdout and "more" in run.stdout


def test_an_output_folder_holding_the_inputs_is_refused(scenario, tmp_path):
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for out in (tmp_path, tmp_path / "data"):
        run = fundalloc(scenario, "--out", out, cwd=tmp_path)
        assert run.returncode == 2
        assert "--out" in run.stderr and "input" in run.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_output_folder_with_other_files_is_refused(scenario, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "memo.txt").write_text("keep me", encoding="utf-8")
    run = fundalloc(scenario, "--out", notes, cwd=tmp_path)
    assert run.returncode == 2 and "not fundalloc results" in run.stderr
    assert [p.name for p in notes.iterdir()] == ["memo.txt"]


def test_a_policy_warning_is_printed_and_strict_makes_it_an_error(tmp_path):
    # the post pays 60 × 12 hours of wage, but claims 360 hours: 补贴标准与工作时间明显不匹配
    path = write_scenario(tmp_path, ("hours: 720", "hours: 360"))
    run = fundalloc(path, "--out", tmp_path / "out", "--no-variants", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "warning:" in run.stderr and "measures.post.hours" in run.stderr and "康保县" in run.stderr
    strict = fundalloc(path, "--out", tmp_path / "strict", "--strict", cwd=tmp_path)
    assert strict.returncode == 2 and "measures.post.hours" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(scenario, tmp_path, monkeypatch, capsys):
    from fundalloc import cli

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sys.modules["fundalloc.solve"], "solve", broken)
    assert cli.main([str(scenario), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "disk on fire" in err and "--debug" in err and "Traceback" not in err
    assert cli.main([str(scenario), "--out", str(tmp_path / "out"), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------- --excel, --quiet


def test_excel_writes_the_formatted_workbook_with_the_allocation_table_first(scenario, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    run = fundalloc(scenario, "--out", out, "--excel", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(out / "allocation.xlsx")
    assert book.sheetnames == ["Allocation", "By measure", "Rule prices", "Comparison", "Notes"]
    table = book["Allocation"]
    assert [c.value for c in table[1]][:3] == ["Code", "County", "Last year (万元)"]
    assert {table.cell(row=r, column=2).value for r in range(2, 5)} == {"康保县", "沽源县", "尚义县"}
    assert table.cell(row=5, column=2).value == "Total" and table.cell(row=5, column=4).value == 300
    assert (out / "no_tilt" / "allocation.xlsx").is_file()


def test_excel_for_more_units_than_a_sheet_holds_stops_before_solving(scenario, tmp_path, monkeypatch, capsys):
    # three counties, a header and 合计 are 5 rows: with sheets of 4 rows the 分配表 cannot be one sheet
    pytest.importorskip("openpyxl")
    from fundalloc import cli, workbook

    def solve(*args, **kwargs):
        raise AssertionError("solved although the workbook could not be written")

    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 4)
    monkeypatch.setattr(sys.modules["fundalloc.solve"], "solve", solve)
    assert cli.main([str(scenario), "--out", str(tmp_path / "out"), "--excel"]) == 2
    err = capsys.readouterr().err
    assert "cannot hold the 分配表 of 3 units: it needs 5 rows" in err and "at most 4" in err
    assert "Leave out --excel" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert cli.main([str(scenario), "--out", str(tmp_path / "out"), "--excel", "--lang", "zh"]) == 2
    assert "无法容纳3个单位的分配表：该表需要5行，而Excel工作表最多4行" in capsys.readouterr().err


def test_a_sheet_longer_than_excel_allows_is_refused_before_the_file_is_written(tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    import pandas as pd
    from fundalloc import workbook
    from fundalloc.errors import OutputError

    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 3)
    sheet = workbook.Sheet.of("表", pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(OutputError, match="“表” would have 4 rows; an Excel sheet holds at most 3"):
        workbook.write_sheets(tmp_path / "book.xlsx", [sheet])
    assert not (tmp_path / "book.xlsx").exists()


def test_quiet_prints_only_the_output_folder(scenario, tmp_path):
    run = fundalloc(scenario, "--out", tmp_path / "out", "--quiet", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.strip() == str(tmp_path / "out")
    assert run.stderr == ""


# -------------------------------------------------------------------------------------------- validate


def test_validate_checks_the_scenario_and_writes_nothing(scenario, tmp_path):
    run = fundalloc("validate", scenario, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout and "3 counties" in run.stdout and "no_tilt" in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "scenario.yaml"]


def test_validate_reports_every_problem_with_its_line(tmp_path):
    path = write_scenario(tmp_path, ("budget: {total: 300}", "budgte: {total: 300}"),
                          ("capacity: jobs", "capacity: jbos"))
    run = fundalloc("validate", path, cwd=tmp_path)
    assert run.returncode == 2
    assert "scenario.yaml:8" in run.stderr and "did you mean `budget`" in run.stderr


def test_help_names_both_commands(tmp_path):
    run = fundalloc("--help", cwd=tmp_path)
    assert run.returncode == 0 and "validate" in run.stdout and "--variant" in run.stdout


def test_the_fundalloc_console_command_is_installed(scenario, tmp_path):
    command = shutil.which("fundalloc")
    if command is None:
        pytest.skip("the `fundalloc` console script is not on PATH (install the package: pip install -e .)")
    run = subprocess.run([command, "validate", str(scenario)], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr


# ------------------------------------------------------------------------------------------- sensitivity


def test_sensitivity_runs_when_the_scenario_asks_and_not_with_no_sensitivity(tmp_path):
    path = write_scenario(tmp_path, ("variants:", "sensitivity:\n  sweeps:\n"
                                     "    - {parameter: budget.total, values: [250, 300, 350]}\nvariants:"))
    run = fundalloc(path, "--out", tmp_path / "out", "--no-variants", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Sensitivity" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert list((tmp_path / "out").glob("sweep_*.csv"))
    run = fundalloc(path, "--out", tmp_path / "out", "--no-variants", "--no-sensitivity", cwd=tmp_path)
    assert run.returncode == 0 and not list((tmp_path / "out").glob("sweep_*.csv"))


# ---------------------------------------------------------------------------------------------- examples


def example(name: str) -> Path:
    return ROOT / "examples" / name / "scenario.yaml"


def test_the_minimal_example_gives_the_allocation_worked_out_by_hand(tmp_path):
    out = tmp_path / "out"
    run = fundalloc(example("minimal"), "--out", out, "--no-sensitivity", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    summary = check_run_folder(out)
    assert summary["objective"] == pytest.approx(498.25)
    amounts = {u["unit_name"]: float(u["amount"]) for u in read_csv(out / "units.csv", UNITS)}
    assert amounts == pytest.approx({"甲县": 116, "乙县": 94, "丙县": 80})
    assert check_run_folder(out / "no_tilt")["objective"] == pytest.approx(501.25)


def test_the_hebei_example_writes_the_full_set(tmp_path):
    out = tmp_path / "out"
    run = fundalloc(example("hebei"), "--out", out, "--no-sensitivity", "--excel", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    check_run_folder(out)
    runs = [p for p in out.iterdir() if p.is_dir()]
    assert runs, "the Hebei example defines variants"
    for folder in runs:
        check_run_folder(folder)
    assert len(read_csv(out / "comparison.csv", ["unit_id", "unit_name", "amount.base"])) == \
        len(read_csv(out / "units.csv", UNITS))
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "康保县" in report and "<svg" in report
    # the example is in Chinese (language: zh)
    assert re.search(r"优化方案对比因素法：加权就业人数 \+[\d,.]+（\+[\d.]+%），预算相同", run.stdout)
