"""examples/script.py runs as an analyst would run it, and writes its files."""
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "script.py"


def test_example_script_runs(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "optimised对比因素法" in run.stdout  # the Hebei example is in Chinese and "Budget sweep" in run.stdout
    out = tmp_path / "fundalloc-out" / "script"
    assert (out / "allocation.csv").exists() and (out / "comparison.csv").exists()
