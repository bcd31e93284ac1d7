"""Every input of the corpus ``bad_inputs.CASES`` through the API: a refused one raises ScenarioError with a message
naming the culprit, where the case says (loading or solving); an accepted one is read as it was meant. Every refusal
reads in Chinese too, with no English sentence left in it."""
import re

import pytest

import fundalloc as fa
from bad_inputs import CASES


def _refusal(case, path, lang=None) -> fa.FundallocError:
    def load():
        return fa.load_scenario(path, variant=case.variant, changes=case.changes, strict=case.strict,
                                lang=lang or case.lang)

    with pytest.raises(fa.InfeasibleError if case.exit == 3 else fa.ScenarioError) as caught:
        fa.solve(load()) if case.stage == "solve" else load()
    return caught.value


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_input_is_refused_naming_the_culprit_or_read_as_meant(case, tmp_path):
    path = case.write(tmp_path)
    if case.exit == 0:
        assert case.holds(fa.load_scenario(path, variant=case.variant, changes=case.changes, strict=case.strict,
                                           lang=case.lang))
        return
    message = str(_refusal(case, path))
    missing = [text for text in case.expect if text not in message]
    assert not missing, f"{missing} not in:\n{message}"


#: what may stay as written in a Chinese message: code and values in quotes, the parser's own words in brackets
_AS_WRITTEN = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|“[^”]*”|（解析器提示：[^）]*）|\S*[/\\.]\S*")
#: three English words in a row: a sentence the catalog did not translate
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


@pytest.mark.parametrize("case", [c for c in CASES if c.exit != 0], ids=[c.id for c in CASES if c.exit != 0])
def test_each_refusal_reads_in_chinese_without_english_sentences(case, tmp_path):
    """The Chinese text of every refusal: Chinese words, no English sentence outside code, values and file names."""
    err = _refusal(case, case.write(tmp_path), lang="zh")
    chinese = str(err)
    assert err.language == "zh" and re.search(r"[\u4e00-\u9fff]", chinese), chinese
    left = _ENGLISH.findall(_AS_WRITTEN.sub(" ", chinese))
    assert not left, f"English words {left} in:\n{chinese}"


def test_there_are_at_least_25_cases_with_unique_ids():
    ids = [c.id for c in CASES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


def test_the_base_scenario_of_the_cases_is_valid(tmp_path):
    from bad_inputs import Case

    sc = fa.load_scenario(Case("base", ()).write(tmp_path))
    assert list(sc.units["id"]) == ["0130723", "130724", "130725"]
