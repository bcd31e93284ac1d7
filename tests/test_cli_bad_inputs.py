"""Every input of the corpus ``bad_inputs.CASES`` through the command line: a refused one exits 2 with a message
naming the culprit, no traceback and no output files; an accepted one exits 0 and writes its results; one with no
allocation exits 3 with its diagnosis written.

The cases run through ``fundalloc.cli.main`` in this process (a subprocess per case would cost a second each);
``test_cli.py`` runs the real ``python -m fundalloc`` on bad input too.
"""

import pytest
from bad_inputs import CASES

from fundalloc import cli


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_input_exits_with_its_code_naming_the_culprit(case, tmp_path, monkeypatch, capsys):
    path = case.write(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code = cli.main([str(path), *case.cli_args(), "--out", str(tmp_path / "out"), "--no-sensitivity"])
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert code == case.exit, output
    missing = [text for text in case.expect if text not in output]
    assert not missing, f"{missing} not in:\n{output}"
    assert "Traceback" not in output
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    if case.exit in (0, 3):
        assert (tmp_path / "out" / "summary.json").is_file()
        after = [p for p in after if p.parts[0] != "out"]
    assert after == before, "files were written outside --out" if case.exit != 2 else "files were written"


LOAD_CASES = [c for c in CASES if c.exit == 2 and c.stage == "load" and not c.variant]


@pytest.mark.parametrize("case", LOAD_CASES, ids=[c.id for c in LOAD_CASES])
def test_validate_refuses_what_the_run_refuses(case, tmp_path, capsys):
    """Nothing that `validate` passes fails when run for a reason it could have seen (adversarial review F13)."""
    path = case.write(tmp_path)
    changes = [arg for path_, value in (case.changes or {}).items() for arg in ("--set", f"{path_}={value}")]
    lang = ["--lang", case.lang] if case.lang else []
    assert cli.main(["validate", str(path), *changes, *lang, *(["--strict"] if case.strict else [])]) == 2
    err = capsys.readouterr().err
    assert all(text in err for text in case.expect), err


def test_an_output_folder_in_use_is_refused_in_chinese(tmp_path, capsys, monkeypatch, hold_lock):
    """Another run holds DIR's lock: exit 2 at once, in the scenario's language, naming the process and DIR."""
    from bad_inputs import IN_CHINESE, Case

    path = Case("zh_in_use", (), edits=(IN_CHINESE,)).write(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    holder = hold_lock(tmp_path / ".out.lock")
    assert cli.main([str(path), "--out", str(out), "--no-sensitivity", "--no-variants"]) == 2
    err = capsys.readouterr().err
    assert f"fundalloc：另一个运行（进程 {holder.pid}）正在写入 {out}；请等它结束，或另选文件夹" in err, err


def test_the_time_limit_is_reported_in_chinese(tmp_path, capsys):
    """The solver stops at `solver.time_limit`: exit 2, the limit and what to change, in Chinese (`--lang zh`)."""
    from test_solver_limits import hard_integer_files

    code = cli.main([hard_integer_files(tmp_path), "--out", str(tmp_path / "out"), "--lang", "zh",
                     "--set", "solver.time_limit=1"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "在达到时间上限（1 秒）时停止，尚未证明最优解" in err and "请调高 `solver.time_limit`" in err, err
    assert not (tmp_path / "out").exists()


def test_a_policy_warning_is_printed_in_the_scenario_language(tmp_path, capsys, monkeypatch):
    """Without --strict a policy warning does not stop the run; it is printed in the scenario's language."""
    from bad_inputs import IN_CHINESE, Case

    Case("zh_warning", (), edits=(IN_CHINESE, ("hours: 720", "hours: 360"))).write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "scenario.yaml"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("警告：scenario.yaml:17：`measures.post.hours`：3 个县中有 3 个县的每工作小时成本"), err
    assert "130725 尚义县（每小时 36.00 元，工资 18.00 元）" in err

