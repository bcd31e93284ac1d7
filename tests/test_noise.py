"""Nothing but the message reaches stderr (adversarial review F26): no numpy or pandas warnings with source
paths, no documentation links of the libraries, no progress bar left half drawn in front of an error."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel, ValidationError

from fundalloc import cli

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "examples" / "minimal"


def test_a_table_of_3000_columns_and_huge_numbers_run_without_a_warning(tmp_path):
    units = pd.read_csv(MINIMAL / "data" / "units.csv", encoding="utf-8-sig")
    wide = pd.concat([units, pd.DataFrame(np.ones((len(units), 3000)), columns=[f"x{i}" for i in range(3000)])],
                     axis=1)
    (tmp_path / "data").mkdir()
    wide.to_csv(tmp_path / "data" / "units.csv", index=False)
    (tmp_path / "scenario.yaml").write_text((MINIMAL / "scenario.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONWARNINGS": "default"}
    command = [sys.executable, "-m", "fundalloc", str(tmp_path / "scenario.yaml"), "--quiet"]
    ok = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env,
                        cwd=tmp_path, timeout=300)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    huge = subprocess.run([*command, "--out", str(tmp_path / "out2"), "--set", "weights.deep=1e10",
                           "--set", "measures.workshop.effectiveness=1e10",
                           "--set", "measures.workshop.max_effectiveness=1e10"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)
    assert huge.returncode == 2
    assert huge.stderr.count("\n") == 1 and "Warning" not in huge.stderr and "coefficient" in huge.stderr


def test_an_unexpected_error_from_pydantic_is_one_line_without_its_documentation_link():
    class Model(BaseModel):
        value: int

    with pytest.raises(ValidationError) as caught:
        Model(value="x")
    assert "errors.pydantic.dev" in str(caught.value)
    line = cli._one_line(caught.value)
    assert "errors.pydantic.dev" not in line and "For further information" not in line and "value" in line


def test_an_error_clears_the_progress_bars_it_interrupted(capsys):
    from tqdm import tqdm

    bar = tqdm(total=10, desc="monte carlo", leave=False, file=sys.stderr)
    bar.update(3)
    cli._err("fundalloc: something went wrong")
    assert bar not in getattr(tqdm, "_instances", set())
    *drawn, cleared, message = capsys.readouterr().err.split("\r")
    assert "monte carlo" in "".join(drawn) and cleared.strip() == ""  # the bar's line wiped before the message
    assert message == "fundalloc: something went wrong\n"
