"""examples/hebei.ipynb runs top to bottom in a Jupyter kernel of this interpreter (nbclient), with no error,
no warning, and the views it is there to show: the result, the allocation table, sweep, tornado, Monte Carlo,
comparison."""
import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import fundalloc as fa

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "hebei.ipynb"
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


def test_the_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_the_notebook_runs_without_errors_or_warnings(tmp_path, monkeypatch):
    # a kernel spec for this very interpreter, so the kernel imports the fundalloc under test
    spec = tmp_path / "jupyter" / "kernels" / "fundalloc-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fundalloc test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="fundalloc-test",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "warn" not in stderr.lower(), stderr
    assert "%|" in stderr  # the progress bars ran, as text (how far each got before it closed depends on timing)

    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    svg = [o.data["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    text = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert len(svg) == 3  # the sweep, the tornado, Monte Carlo
    assert len(html) == 5  # the result, the allocation table, the sweep's table, Monte Carlo, money by group
    result = html[0]
    sc = fa.load_scenario(fa.examples.path("hebei"))
    budget = sc.money(sc.budget.total)
    assert result.count(sc.name) == 1 and "<pre>" not in result and "康保县" in result
    assert "扶贫车间吸纳" in html[1] and "合计" in html[1]
    assert f"{budget:,.2f}" in result and f"{0.75 * budget:,.2f}" in html[2]
    for view in html:
        assert not SCIENTIFIC.search(view), SCIENTIFIC.search(view)
    assert "optimised对比因素法：加权就业人数 +" in text  # the Hebei example is in Chinese
