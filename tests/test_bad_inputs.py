"""Every broken input of ``bad_inputs.CASES`` is refused with a message that names the culprit."""
import pytest

import fundalloc as fa
from bad_inputs import CASES


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_a_message_naming_the_culprit(case, tmp_path):
    path = case.write(tmp_path)
    with pytest.raises(fa.ScenarioError) as caught:
        fa.load_scenario(path, variant=case.variant, changes=case.changes, strict=case.strict)
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
