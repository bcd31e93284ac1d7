"""Monte Carlo's worker processes: none outlives a killed run (SIGKILL or SIGTERM of the command line), a plain
script without an ``if __name__ == "__main__":`` guard works, small runs start no process at all, and wrong
arguments are refused by name before anything runs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import fundalloc as fa
from fundalloc.sensitivity import montecarlo

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "examples" / "minimal" / "scenario.yaml"
UNCERTAIN = {"measures.*.effectiveness": {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.1},
             "units.zero_employment_households": {"dist": "normal", "sd": 0.05}}
linux = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``: pid → command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            try:
                found[child] = (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
            todo.append(child)
    return found


@linux
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_command_line_during_monte_carlo_leaves_no_process_behind(tmp_path, how):
    scenario = tmp_path / "long.yaml"
    scenario.write_text(textwrap.dedent(f"""\
        extends: {MINIMAL}
        sensitivity:
          rule_prices: false
          monte_carlo:
            draws: 5000000
            seed: 1
            parameters: {UNCERTAIN}
        """), encoding="utf-8")
    cli = subprocess.Popen([sys.executable, "-m", "fundalloc", str(scenario), "--out", str(tmp_path / "out")],
                           env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, workers = time.monotonic() + 120, {}
        while time.monotonic() < deadline and cli.poll() is None:
            below = descendants(cli.pid)
            workers = {pid: cmd for pid, cmd in below.items() if "loky" in cmd and "resource_tracker" not in cmd}
            if workers:
                break
            time.sleep(0.2)
        assert workers, f"no worker processes appeared (exit {cli.poll()}): {cli.stderr.read().decode()[-2000:]}"
        time.sleep(0.5)
        everyone = descendants(cli.pid)
        os.kill(cli.pid, how)
        cli.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in everyone):
            time.sleep(0.1)
        left = {pid: cmd for pid, cmd in everyone.items() if alive(pid)}
        assert not left, f"still running {10} s after {how.name}: {left}"
        if how == signal.SIGTERM:
            assert cli.returncode == 128 + signal.SIGTERM
            assert "interrupted" in cli.stderr.read().decode()
            assert not (tmp_path / "out").exists()
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()


def test_a_script_without_a_main_guard_runs_monte_carlo_on_worker_processes(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text(textwrap.dedent(f"""\
        import fundalloc as fa
        print("script ran")
        sc = fa.load_scenario({str(MINIMAL)!r})
        uncertain = {UNCERTAIN!r}
        pooled = fa.monte_carlo(sc, draws=100, seed=7, workers=2, parameters=uncertain)
        here = fa.monte_carlo(sc, draws=100, seed=7, workers=1, parameters=uncertain)
        print("draws", len(pooled.draws), "same as one process:", pooled.draws.equals(here.draws))
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], env=environment(), capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["script ran", "draws 100 same as one process: True"]


class Tripwire:
    """Stands in for the process pool to see whether one is started (it is never used to compute anything)."""

    started = 0

    def __init__(self, *args, **kwargs):
        Tripwire.started += 1
        raise AssertionError("a process pool was started")


def test_a_run_shorter_than_the_pool_start_by_default_starts_no_process(monkeypatch):
    import loky
    monkeypatch.setattr(loky, "ProcessPoolExecutor", Tripwire)
    monkeypatch.setattr(montecarlo, "POOL_START_SECONDS", 3600.0)  # any run here is shorter than that
    sc = fa.load_scenario(MINIMAL)
    mc = fa.monte_carlo(sc, draws=200, seed=7, parameters=UNCERTAIN)   # workers not given: the default
    assert len(mc.draws) == 200 and Tripwire.started == 0
    reference = fa.monte_carlo(sc, draws=200, seed=7, parameters=UNCERTAIN, workers=1)
    pd.testing.assert_frame_equal(mc.draws, reference.draws)


def test_a_run_longer_than_the_pool_start_by_default_uses_all_cores(monkeypatch):
    monkeypatch.setattr(montecarlo, "POOL_START_SECONDS", 0.0)
    import loky
    started = []
    real = loky.ProcessPoolExecutor

    class Counted(real):
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(loky, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(montecarlo.os, "cpu_count", lambda: 2)
    sc = fa.load_scenario(MINIMAL)
    mc = fa.monte_carlo(sc, draws=100, seed=7, parameters=UNCERTAIN)
    assert started == [2]
    pd.testing.assert_frame_equal(mc.draws, fa.monte_carlo(sc, draws=100, seed=7, parameters=UNCERTAIN,
                                                           workers=1).draws)


# --------------------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("arguments, words", [
    ({"seed": -1}, "`seed` is a whole number at least 0, not -1"),
    ({"seed": 1.5}, "`seed` is a whole number at least 0, not 1.5"),
    ({"seed": True}, "`seed` is a whole number at least 0, not True"),
    ({"draws": 2.7}, "`draws` is a whole number at least 1, not 2.7"),
    ({"draws": 0}, "`draws` is a whole number at least 1, not 0"),
    ({"method": "latin"}, "`method` is one of sample, sobol, not 'latin'"),
    ({"workers": -2}, "`workers` is a whole number at least 1, not -2"),
    ({"workers": 0}, "`workers` is a whole number at least 1, not 0"),
    ({"parameters": {}}, "`parameters` names at least one parameter"),
])
def test_wrong_monte_carlo_arguments_are_refused_by_name(arguments, words):
    sc = fa.load_scenario(MINIMAL)
    with pytest.raises(fa.ScenarioError, match=words.replace("(", r"\(").replace(")", r"\)")):
        fa.monte_carlo(sc, **{"parameters": UNCERTAIN, "draws": 10, **arguments})


def test_wrong_tornado_and_sweep_arguments_and_a_wrong_scenario_are_refused_by_name():
    sc = fa.load_scenario(MINIMAL)
    with pytest.raises(fa.ScenarioError, match="`parameters` names at least one parameter"):
        fa.tornado(sc, [])
    with pytest.raises(fa.ScenarioError, match="`steps` is a whole number at least 2, not 2.5"):
        fa.sweep(sc, "budget.total", from_=200, to=300, steps=2.5)
    with pytest.raises(fa.FundallocError, match="fa.monte_carlo needs a Scenario"):
        fa.monte_carlo({"budget": 1}, parameters=UNCERTAIN)
    zh = sc.with_changes({"language": "zh"})
    with pytest.raises(fa.ScenarioError, match="`seed` 应为不小于 0 的整数"):
        fa.monte_carlo(zh, parameters=UNCERTAIN, seed=-1)


def test_validate_refuses_a_negative_seed_with_its_line(tmp_path, capsys):
    from fundalloc.cli import main
    scenario = tmp_path / "negative.yaml"
    scenario.write_text(textwrap.dedent(f"""\
        extends: {MINIMAL}
        sensitivity:
          monte_carlo:
            draws: 10
            seed: -1
            parameters: {{budget.total: {{dist: uniform, low: 0.9, high: 1.1}}}}
        """), encoding="utf-8")
    assert main(["validate", str(scenario)]) == 2
    assert f"{scenario}:5: `sensitivity.monte_carlo.seed`" in capsys.readouterr().err
