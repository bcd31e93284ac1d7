"""A mutation fuzzer over the minimal example, run through the command line in this process (issue 11).

Hypothesis mutates the scenario file (a key deleted, a value replaced by a hostile one, an unknown key, bytes
inserted, the file cut short) and the units table (a cell replaced, a column dropped or named twice, rows
dropped, another encoding), runs ``fundalloc.cli.main`` with ``--out`` holding the set of an earlier run, and
checks what every run must guarantee, whatever its input:

- the exit code is 0, 2 or 3, never 1 (nothing unexpected), and no traceback is printed;
- a run refused (2) leaves the earlier set byte for byte; one that writes (0, or 3: the runs that solved and the
  diagnosis of those that did not) leaves a whole set listing its files;
- nothing is written outside ``--out`` (no stray files beside the inputs, no temporary folders, no lock).

The seed is fixed and the number of cases bounded, so the run is the same every time.
"""
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from fundalloc import cli

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "examples" / "minimal"
SCENARIO_TEXT = (MINIMAL / "scenario.yaml").read_text(encoding="utf-8")
UNITS_TEXT = (MINIMAL / "data" / "units.csv").read_text(encoding="utf-8-sig")
SCENARIO = yaml.safe_load(SCENARIO_TEXT)
CASES = 150

HOSTILE_VALUES = [
    None, "", float("nan"), float("inf"), -float("inf"), 1e308, 5e-324, 2 ** 64, 10 ** 400, -1, 0, True, False, [],
    {}, [[[[1]]]], "1e400 元", "１０００ 元", "1000 美元", "60,000", "6e4", "1,5", "x" * 5000, "<script>alert(1)</script>",
    '=HYPERLINK("http://x")', "../../escaped", "/tmp/fundalloc-fuzz-abs", "data/units.csv", "all", "deep", "：", "是",
]
HOSTILE_BYTES = ["\x00", "\x08", "\t", "：", "，", "\u3000", "“", "{", "}", "[", ":", "- ", "&a ", "*a", "!!python/name:os.system ",
                 "!money ", "<<: *a", "\n", "'", '"', "#", "%", "@", "`"]
HOSTILE_CELLS = ["", "-1", "nan", "inf", "1e309", "1,000", "10,590", "1,5", "五", "0x10", "#N/A", "=1+1", "٣", "½",
                 "99999999999999999999", "１", "真", "是", "true", " ", '"', "A", "0130723"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "latin-1", "utf-16"]


def _paths(node, prefix=()):
    """Every key path of a plain YAML tree (list items by index)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


PATHS = list(_paths(SCENARIO))


def _apply(tree, path, action, value):
    import copy

    tree = copy.deepcopy(tree)
    parent = tree
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif action == "unknown_key" and isinstance(parent[last], dict):
        parent[last]["unknown_key"] = value
    elif action == "rename_variant" and path[:1] == ("variants",) and len(path) == 2:
        parent[str(value)] = parent.pop(last)
    return tree


yaml_edit = st.one_of(
    st.tuples(st.just("tree"), st.sampled_from(PATHS), st.sampled_from(["delete", "replace", "unknown_key",
                                                                      "rename_variant"]),
              st.sampled_from(HOSTILE_VALUES)),
    st.tuples(st.just("insert"), st.integers(0, len(SCENARIO_TEXT)), st.sampled_from(HOSTILE_BYTES), st.none()),
    st.tuples(st.just("cut"), st.integers(0, len(SCENARIO_TEXT)), st.integers(1, 40), st.none()),
)
csv_edit = st.one_of(
    st.tuples(st.just("cell"), st.integers(1, 3), st.integers(0, 9), st.sampled_from(HOSTILE_CELLS)),
    st.tuples(st.just("drop_column"), st.integers(0, 9), st.none(), st.none()),
    st.tuples(st.just("repeat_header"), st.integers(0, 9), st.none(), st.none()),
    st.tuples(st.just("drop_rows"), st.integers(0, 3), st.none(), st.none()),
    st.tuples(st.just("encoding"), st.sampled_from(ENCODINGS), st.none(), st.none()),
)


def write_case(folder: Path, yaml_edits, csv_edits) -> Path:
    text = SCENARIO_TEXT
    for kind, a, b, c in yaml_edits:
        if kind == "tree":
            try:
                text = yaml.safe_dump(_apply(yaml.safe_load(text), a, b, c), allow_unicode=True, sort_keys=False)
            except (KeyError, IndexError, TypeError, AttributeError, yaml.YAMLError):
                pass  # an earlier edit removed the path, or made the text unreadable: keep the text
        elif kind == "insert":
            text = text[:a] + b + text[a:]
        else:
            text = text[:a] + text[a + b:]
    rows = [line.split(",") for line in UNITS_TEXT.strip().split("\n")]
    encoding = "utf-8"
    for kind, a, b, c in csv_edits:
        if kind == "cell" and a < len(rows) and b < len(rows[a]):
            rows[a][b] = f'"{c}"' if "," in c else c
        elif kind == "drop_column":
            rows = [r[:a] + r[a + 1:] for r in rows]
        elif kind == "repeat_header" and a < len(rows[0]):
            rows[0] = rows[0][:a + 1] + rows[0][a:a + 1] + rows[0][a + 1:]
        elif kind == "drop_rows":
            rows = rows[:len(rows) - a]
        elif kind == "encoding":
            encoding = a
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    table = "\n".join(",".join(r) for r in rows) + "\n"
    (folder / "data" / "units.csv").write_bytes(table.encode(encoding, errors="replace"))
    return folder / "scenario.yaml"


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def earlier_set(tmp_path_factory) -> Path:
    """The set a first, valid run wrote: every fuzz case starts with it in --out."""
    folder = tmp_path_factory.mktemp("earlier")
    shutil.copytree(MINIMAL, folder / "input")
    assert cli.main([str(folder / "input" / "scenario.yaml"), "--out", str(folder / "out"), "--quiet"]) == 0
    return folder / "out"


@seed(20260511)
@settings(max_examples=CASES, deadline=None, database=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(yaml_edits=st.lists(yaml_edit, max_size=3), csv_edits=st.lists(csv_edit, max_size=2))
def test_no_input_makes_the_command_line_fail_unexpectedly_or_write_outside_out(
        earlier_set, yaml_edits, csv_edits, monkeypatch, capsys):
    with tempfile.TemporaryDirectory(prefix="fundalloc-fuzz-") as name:
        folder = Path(name)
        path = write_case(folder / "case", yaml_edits, csv_edits)
        out = folder / "case" / "out"
        shutil.copytree(earlier_set, out)
        earlier = snapshot(out)
        around = {k: v for k, v in snapshot(folder).items() if not k.startswith("case/out")}
        monkeypatch.chdir(folder / "case")
        code = cli.main([str(path), "--out", str(out), "--quiet"])
        printed = capsys.readouterr()
        output = printed.out + printed.err
        assert code in (0, 2, 3), (code, output, yaml_edits, csv_edits)
        assert "Traceback" not in output
        if code == 2:
            assert snapshot(out) == earlier, (code, output)
        else:
            files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
            listed = yaml.safe_load((out / "summary.json").read_text(encoding="utf-8"))["files"]
            assert listed == files
        assert {k: v for k, v in snapshot(folder).items() if not k.startswith("case/out")} == around, output
    assert not Path("/tmp/fundalloc-fuzz-abs").exists()
