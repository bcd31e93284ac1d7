"""Every input of the corpus ``bad_inputs.CASES`` through the command line: a refused one exits 2 with a message
naming the culprit, no traceback and no output files; an accepted one exits 0 and writes its results.

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
    if case.exit == 0:
        assert (tmp_path / "out" / "summary.json").is_file()
        after = [p for p in after if p.parts[0] != "out"]
    assert after == before, "files were written outside --out" if case.exit == 0 else "files were written"


LOAD_CASES = [c for c in CASES if c.exit == 2 and c.stage == "load" and not c.variant]


@pytest.mark.parametrize("case", LOAD_CASES, ids=[c.id for c in LOAD_CASES])
def test_validate_refuses_what_the_run_refuses(case, tmp_path, capsys):
    """Nothing that `validate` passes fails when run for a reason it could have seen (adversarial review F13)."""
    path = case.write(tmp_path)
    changes = [arg for path_, value in (case.changes or {}).items() for arg in ("--set", f"{path_}={value}")]
    assert cli.main(["validate", str(path), *changes, *(["--strict"] if case.strict else [])]) == 2
    err = capsys.readouterr().err
    assert all(text in err for text in case.expect), err
