"""Output folders (adversarial review F12, F15, F16, F17, F24): one writer for the command line and
``Result.to_dir``; whole sets; the analyst's own files never deleted; leftovers of killed runs cleaned up; one run
at a time; problems found before solving."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import fundalloc as fa
from fundalloc import cli, outputs

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "examples" / "minimal" / "scenario.yaml"


def run(tmp_path, out, *args) -> int:
    return cli.main([str(MINIMAL), "--out", str(out), "--quiet", *args])


def hidden_beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def solved():
    return fa.solve(fa.load_scenario(MINIMAL))


def test_a_set_lists_its_files_in_its_summary(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    files = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == on_disk and "no_tilt/units.csv" in files and "summary.json" in files
    assert hidden_beside(out) == []  # no lock, no temporary folder left


def test_a_rerun_refuses_to_delete_files_the_analyst_added_and_names_them(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    (out / "批示.docx").write_bytes(b"approved")
    (out / "notes").mkdir()
    (out / "notes" / "a.txt").write_text("comment", encoding="utf-8")
    (out / "no_tilt" / "check.xlsx").write_bytes(b"mine")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert run(tmp_path, out) == 2
    err = capsys.readouterr().err
    assert "批示.docx" in err and "notes/" in err and "no_tilt/check.xlsx" in err and "notes/a.txt" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    for extra in ("批示.docx", "notes/a.txt", "no_tilt/check.xlsx"):
        (out / extra).unlink()
    (out / "notes").rmdir()
    assert run(tmp_path, out) == 0


def test_desktop_files_and_office_lock_files_go_with_the_earlier_set(tmp_path):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    (out / ".DS_Store").write_bytes(b"x")
    (out / "~$allocation.xlsx").write_bytes(b"x")
    assert run(tmp_path, out) == 0
    assert not (out / ".DS_Store").exists()


def test_a_set_written_before_sets_listed_their_files_is_still_told_from_the_analysts_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    del summary["files"]
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert outputs.foreign_files(out) == []
    (out / "approval.pdf").write_bytes(b"x")
    assert outputs.foreign_files(out) == ["approval.pdf"]


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    for name in (".out.abcd1234.partial", ".out.efgh5678.partial", ".out.ijkl9012.old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "units.csv").write_text("half", encoding="utf-8")
    (tmp_path / ".out.lock").write_text("12345", encoding="ascii")  # its process is gone: no lock is held
    (tmp_path / ".other.abcd1234.partial").mkdir()  # not ours
    assert run(tmp_path, out) == 0
    assert hidden_beside(out) == [".other.abcd1234.partial"]


def test_a_folder_a_kill_left_missing_is_restored_from_the_earlier_set(tmp_path):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    earlier = sorted(p.relative_to(out) for p in out.rglob("*"))
    os.replace(out, tmp_path / ".out.abcd1234.old")           # killed between the two renames
    (tmp_path / ".out.efgh5678.partial").mkdir()               # with the new set half written
    with outputs.reserved(out):
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == earlier
    assert hidden_beside(out) == []


def test_a_run_killed_while_writing_leaves_the_earlier_set_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    assert run(tmp_path, out) == 0
    earlier = (out / "units.csv").read_bytes()
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from fundalloc import outputs\n"
        "def write(folder):\n"
        "    (folder / 'units.csv').write_text('half', encoding='utf-8'); print('writing', flush=True); time.sleep(60)\n"
        "outputs.publish(sys.argv[1], write)"), str(out)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        assert writer.stdout.readline().strip() == "writing"
        assert any(name.endswith(".partial") for name in hidden_beside(out))
        assert run(tmp_path, out) == 2  # the writer holds the lock
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert (out / "units.csv").read_bytes() == earlier
    assert run(tmp_path, out) == 0
    assert hidden_beside(out) == []


def test_a_second_run_on_a_folder_being_written_fails_at_once_naming_the_other(tmp_path, capsys, monkeypatch,
                                                                              hold_lock):
    out = tmp_path / "out"
    holder = hold_lock(tmp_path / ".out.lock")

    def never(*args, **kwargs):
        raise AssertionError("solved although the folder was taken")

    monkeypatch.setattr(sys.modules["fundalloc.solve"], "solve", never)
    assert run(tmp_path, out) == 2
    assert f"another run (process {holder.pid}) is writing to {out}" in capsys.readouterr().err
    holder.kill()
    holder.wait(timeout=30)
    monkeypatch.undo()
    assert run(tmp_path, out) == 0


def test_two_runs_started_together_never_both_write(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "fundalloc", str(MINIMAL), "--out", str(out), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path) for _ in range(2)]
    finished = [(r.wait(timeout=300), r.stderr.read()) for r in runs]
    assert sorted(code for code, _ in finished) in ([0, 0], [0, 2]), finished
    assert all("another run" in err for code, err in finished if code == 2)
    files = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert files == sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert hidden_beside(out) == []


def test_a_folder_that_cannot_be_written_is_refused_before_solving(tmp_path, capsys, monkeypatch):
    parent = tmp_path / "locked"
    parent.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == parent else real_access(path, mode))
    monkeypatch.setattr(sys.modules["fundalloc.solve"], "solve",
                        lambda *a, **k: pytest.fail("solved before checking the output folder"))
    assert run(tmp_path, parent / "out") == 2
    assert f"cannot write in {parent}" in capsys.readouterr().err


def test_a_failure_while_writing_leaves_the_previous_set_untouched(tmp_path):
    out = tmp_path / "out"
    outputs.publish(out, lambda folder: (folder / "summary.json").write_text("{}", encoding="utf-8"))

    def half_then_fail(folder):
        (folder / "allocation.csv").write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(fa.OutputError, match="No space left on device"):
        outputs.publish(out, half_then_fail)
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_folders_made_for_a_run_that_wrote_nothing_are_removed(tmp_path, monkeypatch):
    out = tmp_path / "a" / "b" / "out"

    def stopped(*args, **kwargs):
        raise fa.TimeLimitError("stopped at its time limit")

    monkeypatch.setattr(sys.modules["fundalloc.solve"], "solve", stopped)
    assert run(tmp_path, out) == 2
    assert list(tmp_path.iterdir()) == []


def test_to_dir_writes_a_whole_set_with_the_same_writer(tmp_path, solved):
    out = tmp_path / "out"
    solved.to_dir(out, excel=True)
    assert (out / "allocation.xlsx").is_file()
    cheaper = fa.solve(solved.scenario.with_changes({"budget.total": 320}))
    cheaper.to_dir(out)
    assert not (out / "allocation.xlsx").exists()  # no workbook of the earlier budget beside the new tables
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["budget"] == 320
    assert hidden_beside(out) == []


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_text("x", encoding="utf-8"), "is a file"),
    (lambda p: (p.mkdir(), (p / "thesis.docx").write_bytes(b"x")), "not fundalloc results"),
])
def test_to_dir_refuses_a_file_or_a_folder_of_other_files(tmp_path, solved, make, words):
    target = tmp_path / "target"
    make(target)
    with pytest.raises(fa.OutputError, match=words):
        solved.to_dir(target)
    with pytest.raises(fa.OutputError, match="is a file, not a folder"):
        solved.to_dir(tmp_path / "target" / "inner") if target.is_file() else solved.to_dir("/dev/null/x")
