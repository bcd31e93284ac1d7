"""Every input of the corpus ``bad_inputs.CASES`` through the API: a refused one raises ScenarioError with a message
naming the culprit, where the case says (loading or solving); an accepted one is read as it was meant."""
import pytest

import fundalloc as fa
from bad_inputs import CASES


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_input_is_refused_naming_the_culprit_or_read_as_meant(case, tmp_path):
    path = case.write(tmp_path)

    def load():
        return fa.load_scenario(path, variant=case.variant, changes=case.changes, strict=case.strict)

    if case.exit == 0:
        assert case.holds(load())
        return
    with pytest.raises(fa.ScenarioError) as caught:
        fa.solve(load()) if case.stage == "solve" else load()
    message = str(caught.value)
    missing = [text for text in case.expect if text not in message]
    assert not missing, f"{missing} not in:\n{message}"


def test_there_are_at_least_25_cases_with_unique_ids():
    ids = [c.id for c in CASES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)


def test_the_base_scenario_of_the_cases_is_valid(tmp_path):
    from bad_inputs import Case

    sc = fa.load_scenario(Case("base", ()).write(tmp_path))
    assert list(sc.units["id"]) == ["0130723", "130724", "130725"]
