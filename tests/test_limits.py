"""Inputs cannot make fundalloc use unbounded time or memory (adversarial review F4).

The alias bomb runs in a subprocess whose address space is capped, as a scheduler would cap a job: it must be
refused with exit 2 well inside the cap and the time limit, never killed by them.
"""
import resource
import subprocess
import sys

import pytest

BOMB = "name: bomb\n" + "\n".join(
    ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]) + "\n"
#: the address space the run may use: enough for Python, numpy and pandas, far below what the bomb would take
CAP = 1_500_000_000


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


@pytest.mark.parametrize("command", [["validate"], []])
def test_an_alias_bomb_is_refused_within_a_memory_cap(tmp_path, command):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 1200
    run = subprocess.run([sys.executable, "-m", "fundalloc", *command, str(path), "--out", str(tmp_path / "out")]
                         if not command else [sys.executable, "-m", "fundalloc", *command, str(path)],
                         capture_output=True, text=True, encoding="utf-8", timeout=60, preexec_fn=_cap_memory)
    assert run.returncode == 2, run.stderr
    assert "bomb.yaml:" in run.stderr and "expands to more than 200,000 values through aliases" in run.stderr
    assert not (tmp_path / "out").exists()
