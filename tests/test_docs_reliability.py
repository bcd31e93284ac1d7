"""docs/reliability.md states the limits the code enforces: each number it gives is made from the constant."""
from pathlib import Path

from fundalloc import loader, money, program, validation
from fundalloc.backends import pulp

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def exponent(value: float) -> str:
    return f"{value:.0e}".replace("+", "")  # 1e15


def test_every_limit_on_the_page_is_the_one_in_the_code():
    stated = [f"larger than {loader.MAX_YAML_BYTES // 1_000_000} MB", f"more than {loader.MAX_YAML_DEPTH} levels",
              f"more than {loader.MAX_YAML_VALUES:,} values", f"more than {loader.MAX_EXTENDS} files",
              f"(`{exponent(money.MAX_NUMBER)}`)", f"coefficient may reach {exponent(program.MAX_COEFFICIENT)}",
              f"no bound {exponent(program.MAX_BOUND)}", f"at most {validation.MAX_FOLDER_NAME} characters",
              f"stop after {pulp.DEFAULT_TIME_LIMIT:.0f} seconds"]
    missing = [text for text in stated if text not in " ".join(DOC.split())]
    assert not missing, missing


def test_the_page_lists_every_word_a_yes_no_column_accepts():
    words = validation.FLAG_WORDS[True] + validation.FLAG_WORDS[False]
    assert [w for w in words if f"`{w}`" not in DOC and w not in ("1", "0")] == []


def test_the_readme_links_the_page():
    assert "docs/reliability.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_example_message_is_the_one_the_loader_gives_in_both_languages(tmp_path, monkeypatch):
    import pytest
    from bad_inputs import Case

    import fundalloc as fa

    Case("negative_budget", (), edits=(("total: 800", "total: -800"),)).write(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(fa.ScenarioError) as caught:
        fa.load_scenario("scenario.yaml")
    assert f"```text\n{caught.value}\n{caught.value.in_language('zh')}\n```" in DOC

