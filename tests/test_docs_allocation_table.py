"""docs/allocation-table.md runs as written and shows what the code prints (a ```text block right after a
```python block is its output, runs of spaces collapsed)."""
import contextlib
import io
import re
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "allocation-table.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)


def blocks() -> list[tuple[str, str | None]]:
    text = DOC.read_text(encoding="utf-8")
    fences = list(FENCE.finditer(text))
    out = []
    for i, m in enumerate(fences):
        if m.group(1) == "python":
            after = fences[i + 1] if i + 1 < len(fences) else None
            shown = after.group(2) if after is not None and after.group(1) == "text" \
                and not text[m.end():after.start()].strip() else None
            out.append((m.group(2), shown))
    return out


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_every_block_prints_what_the_page_shows(monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    found = blocks()
    assert len(found) == 2 and all(shown for _, shown in found)
    for code, shown in found:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(DOC), "exec"), namespace)
        assert lines(printed.getvalue()) == lines(shown)
    table = namespace["table"]
    assert table.frame["优化分配（万元）"].iloc[-1] == 110


def test_the_yaml_example_names_the_key_the_loader_reads():
    import yaml

    text = DOC.read_text(encoding="utf-8")
    (example,) = [m.group(2) for m in FENCE.finditer(text) if m.group(1) == "yaml"]
    assert yaml.safe_load(example)["units"]["region"] == "city"
