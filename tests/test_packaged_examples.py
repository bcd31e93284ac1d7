"""The examples ship inside the package (``fa.examples``), identical to the repository's ``examples/``; and
``fundalloc init DIR`` writes a starter that validates and solves as it stands."""
import fnmatch
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import fundalloc as fa
from fundalloc import examples

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fundalloc"


def shipped(folder: Path) -> set[str]:
    """The files of one example the package ships (by the package-data patterns), relative to ``folder``."""
    patterns = [p.split("/", 2)[2] for p in package_data() if p.startswith("examples/*/")]
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and any(fnmatch.fnmatch(p.relative_to(folder).as_posix(), pat) for pat in patterns)}


def package_data() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["fundalloc"]


def test_the_package_examples_are_the_repository_examples_not_a_copy():
    in_repo = sorted(p.parent.name for p in (ROOT / "examples").glob("*/scenario.yaml"))
    assert examples.names() == in_repo == ["hebei", "minimal"]
    for name in in_repo:
        link = PACKAGE / "examples" / name
        assert link.is_symlink() and link.resolve() == (ROOT / "examples" / name).resolve(), (
            f"src/fundalloc/examples/{name} must be a link to examples/{name} (one copy of each file)")
        assert "scenario.yaml" in shipped(link)


def test_every_file_in_the_package_folders_is_covered_by_the_package_data():
    for name in examples.names():
        folder = examples.FOLDER / name
        files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert files == shipped(folder), f"src/fundalloc/examples/{name}: not shipped: {files - shipped(folder)}"
    starter = {p.name for p in (PACKAGE / "starter").iterdir() if p.suffix in (".yaml", ".csv")}
    assert all(any(fnmatch.fnmatch(f"starter/{f}", pat) for pat in package_data()) for f in starter)


def test_the_hebei_example_is_found_by_name_and_solves():
    path = fa.examples.path("hebei")
    assert path.is_file() and path.parent.parent == examples.FOLDER
    res = fa.solve(fa.load_scenario(path))
    assert res.status == "optimal" and len(res.units) == 63
    sc = fa.load_scenario(path)
    assert res.total_allocated == pytest.approx(sc.money(sc.budget.total))


@pytest.mark.parametrize("name", ["hebie", "../minimal", "minimal/scenario.yaml", ""])
def test_an_unknown_example_is_an_error_naming_the_examples(name):
    with pytest.raises(fa.ScenarioError, match="the examples are hebei, minimal"):
        fa.examples.path(name)


# ------------------------------------------------------------------------------------------------ init


def fundalloc(*args, cwd: Path, python: list[str] = ()) -> subprocess.CompletedProcess:
    command = [sys.executable, *python] if python else [sys.executable, "-m", "fundalloc"]
    run = subprocess.run([*command, *map(str, args)], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


def test_init_writes_a_starter_that_validates_and_solves(tmp_path):
    run = fundalloc("init", "mine", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "mine"
    assert {"scenario.yaml", "units.csv"} <= {p.name for p in folder.iterdir()}
    assert "python -m fundalloc validate" in run.stdout
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "id: 代码" in text and "name: 县名" in text and "language: zh" in text
    header = (folder / "units.csv").read_bytes()
    assert header.startswith("\ufeff代码,县名,市,".encode("utf-8"))
    assert fundalloc("validate", "mine/scenario.yaml", cwd=tmp_path).returncode == 0
    solved = fundalloc("mine/scenario.yaml", "--out", "out", "--no-sensitivity", cwd=tmp_path)
    assert solved.returncode == 0, solved.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal" and summary["total_allocated"] == pytest.approx(1000)
    assert (tmp_path / "out" / "no_tilt" / "summary.json").is_file() and (tmp_path / "out" / "factor").is_dir()


def test_the_workbook_template_holds_the_same_units_as_the_csv(tmp_path):
    pytest.importorskip("openpyxl")
    assert fundalloc("init", "mine", cwd=tmp_path).returncode == 0
    scenario = tmp_path / "mine" / "scenario.yaml"
    from_csv = fa.load_scenario(scenario)
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("file: units.csv", "file: units.xlsx"),
                        encoding="utf-8")
    from_xlsx = fa.load_scenario(scenario)
    def table(sc):
        return sc.units[[c for c in sc.units.columns if not c.startswith("_")]]  # not where each row was read
    pd.testing.assert_frame_equal(table(from_xlsx), table(from_csv), check_dtype=False)
    assert list(table(from_csv).columns)[:4] == ["id", "name", "市", "深度贫困县"]
    assert list(from_xlsx.unit_ids) == ["100001", "100002", "100003", "100004", "100005"]


def test_init_without_openpyxl_writes_the_csv_and_says_why_there_is_no_workbook(tmp_path):
    block = "import sys; sys.modules['openpyxl'] = None; from fundalloc.cli import main; sys.exit(main(sys.argv[1:]))"
    run = fundalloc("init", "mine", cwd=tmp_path, python=["-c", block])
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["scenario.yaml", "units.csv"]
    assert "no units.xlsx" in run.stdout and "fundalloc[excel]" in run.stdout


def test_init_refuses_a_folder_that_holds_files_or_a_file(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "笔记.txt").write_text("keep me", encoding="utf-8")
    run = fundalloc("init", folder, cwd=tmp_path)
    assert run.returncode == 2 and "already holds files" in run.stderr
    assert [p.name for p in folder.iterdir()] == ["笔记.txt"]
    run = fundalloc("init", folder / "笔记.txt", "--lang", "zh", cwd=tmp_path)
    assert run.returncode == 2 and "这是一个文件" in run.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert fundalloc("init", empty, cwd=tmp_path).returncode == 0
