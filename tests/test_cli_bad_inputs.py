"""Every broken input of ``bad_inputs.CASES`` is refused by the command line: exit code 2, a message naming
the culprit, no traceback, no output files.

The cases run through ``fundalloc.cli.main`` in this process (a subprocess per case would cost a second each);
``test_cli.py`` runs the real ``python -m fundalloc`` on bad input too.
"""
import pytest
from bad_inputs import CASES

from fundalloc import cli


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_exits_2_naming_the_culprit_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    path = case.write(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code = cli.main([str(path), *case.cli_args(), "--out", str(tmp_path / "out")])
    printed = capsys.readouterr()
    output = printed.out + printed.err
    assert code == 2, output
    missing = [text for text in case.expect if text not in output]
    assert not missing, f"{missing} not in:\n{output}"
    assert "Traceback" not in output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "files were written"


@pytest.mark.parametrize("case", CASES[:3], ids=[c.id for c in CASES[:3]])
def test_validate_refuses_the_same_inputs(case, tmp_path, capsys):
    path = case.write(tmp_path)
    if case.variant or case.changes:
        pytest.skip("validate checks the file as written")
    assert cli.main(["validate", str(path), *(["--strict"] if case.strict else [])]) == 2
    err = capsys.readouterr().err
    assert all(text in err for text in case.expect), err
