"""docs/scenario-reference.md is generated from the schema and must not drift from it."""
from pathlib import Path

from fundalloc import reference
from fundalloc.loader import UnitsFile
from fundalloc.scenario import Measure, Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-reference.md"


def test_the_committed_reference_is_the_generated_one():
    assert DOC.read_text(encoding="utf-8") == reference.render(), (
        "docs/scenario-reference.md is stale: run `python -m fundalloc.reference`")


def test_every_key_of_the_file_is_documented_with_its_docstring():
    text = reference.render()
    for model in (Scenario, Measure, UnitsFile):
        for name, field in model.model_fields.items():
            if model is Scenario and name in reference._LOADER_ONLY:
                continue
            assert f"`{field.alias or name}`" in text
            assert " ".join(field.description.split()) in text


def test_aliases_rule_types_and_extends_are_documented():
    text = reference.render()
    for key in ("`>=` (or `ge`)", "`any`", "`not`", "`from`", "### `group_share`", "### `hold_harmless`",
                "`extends`", "`- {name: tilt, drop: true}`"):
        assert key in text


def test_the_command_writes_the_file(tmp_path):
    out = tmp_path / "reference.md"
    assert reference.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == reference.render()
