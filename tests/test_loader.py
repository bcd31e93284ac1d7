"""Reading scenario files: extends, variants, --set changes, units tables in every format, and messages that
say where the problem is."""
import hashlib
import io
import warnings

import pandas as pd
import pytest

import fundalloc as fa
from bad_inputs import BASE_CSV, Case
from fundalloc.loader import PolicyWarning, load_scenario


def write_base(folder, edits=(), **files):
    """The valid three-county scenario of ``bad_inputs`` in ``folder``, with edits; its path."""
    return Case("test", (), edits=tuple(edits), files=files).write(folder)


def problem_of(path, **kwargs) -> str:
    with pytest.raises(fa.ScenarioError) as caught:
        load_scenario(path, **kwargs)
    return str(caught.value)


# ------------------------------------------------------------------------------------------ the basics


def test_county_codes_stay_text_with_leading_zeros_and_names_read_back(tmp_path):
    sc = load_scenario(write_base(tmp_path))
    assert list(sc.units["id"]) == ["0130723", "130724", "130725"]
    assert list(sc.units["name"]) == ["康保县", "沽源县", "尚义县"]
    assert {"poor_labour", "workshop_jobs", "wage"} <= set(sc.units.columns)
    assert sc.units["poor_labour"].tolist() == [12000, 9000, 7000]


def test_source_is_the_path_as_given_and_inputs_hold_the_sha256_of_every_file_read(tmp_path):
    path = write_base(tmp_path)
    sc = load_scenario(str(path))
    assert sc.source == str(path)
    expected = {str(path): hashlib.sha256(path.read_bytes()).digest().hex(),
                str(tmp_path / "data" / "counties.csv"):
                    hashlib.sha256((tmp_path / "data" / "counties.csv").read_bytes()).hexdigest()}
    assert sc.inputs == expected


def test_name_defaults_to_the_file_name(tmp_path):
    path = write_base(tmp_path, [("name: tiny\n", "")])
    assert load_scenario(path).name == "scenario"


def test_the_loaded_scenario_solves(tmp_path):
    assert fa.solve(load_scenario(write_base(tmp_path))).status == "optimal"


# ------------------------------------------------------------------------------------------- extends


def _extend(tmp_path, child: str, name="child.yaml"):
    write_base(tmp_path)
    (tmp_path / name).write_text(child, encoding="utf-8")
    return tmp_path / name


def test_extends_deep_merges_mappings_and_keeps_what_the_child_does_not_say(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\nbudget: {total: 900}\n"
                                         "measures: {workshop: {unit_cost: 0.12}}\n"))
    assert sc.budget.total == 900 and sc.budget.spend_all is False
    assert sc.measures["workshop"].unit_cost == 0.12
    assert sc.measures["workshop"].capacity == "workshop_jobs"
    assert set(sc.measures) == {"workshop", "export", "post"}


def test_extends_replaces_lists_and_null_removes_a_key(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\n"
                                         "measures: {export: {effectiveness: [{share: 1, value: 0.7}]}}\n"
                                         "sensitivity: null\nweights: {relocation: null}\n"))
    assert [s.value for s in sc.measures["export"].steps()] == [0.7]
    assert sc.sensitivity is None
    assert sc.weights == {"deep_poverty": 1.5}


def test_a_child_changes_one_rule_by_name_and_keeps_the_others(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\nrules:\n  - {name: tilt, min: 0.6}\n"
                                         "  - {type: earmark, name: posts, measures: [post], min: 0.1}\n"))
    assert [r.name for r in sc.rules] == ["one_person", "zero_employment", "tilt", "hold_harmless", "posts"]
    assert sc.rule("tilt").min == 0.6 and sc.rule("tilt").group == "priority"


def test_a_rule_without_name_is_matched_by_its_type(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\nrules: [{type: hold_harmless, min_ratio: 0.8}]\n"))
    assert sc.rule("hold_harmless").min_ratio == 0.8 and sc.rule("hold_harmless").column == "last_year"


def test_drop_removes_a_rule_of_the_extended_file(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\nrules: [{name: tilt, drop: true}]\n"
                                         "variants: {no_tilt: null}\n"))
    assert "tilt" not in [r.name for r in sc.rules]


def test_dropping_a_rule_that_is_not_there_names_it(tmp_path):
    message = problem_of(_extend(tmp_path, "extends: scenario.yaml\nrules: [{name: tlt, drop: true}]\n"))
    assert "child.yaml:2" in message and "cannot drop `tlt`" in message and "did you mean `tilt`" in message


def test_a_rule_of_another_type_under_the_same_name_replaces_it(tmp_path):
    sc = load_scenario(_extend(tmp_path, "extends: scenario.yaml\nvariants: null\n"
                                         "rules: [{name: tilt, type: per_capita_tilt, group: deep_poverty,"
                                         " population: poor_labour, ratio: 1.1}]\n"))
    assert sc.rule("tilt").type == "per_capita_tilt" and sc.rule("tilt").ratio == 1.1


def test_extends_chains_and_every_file_is_in_inputs(tmp_path):
    middle = _extend(tmp_path, "extends: scenario.yaml\nbudget: {total: 900}\n", "middle.yaml")
    top = tmp_path / "top.yaml"
    top.write_text("extends: middle.yaml\nbudget: {spend_all: true}\n", encoding="utf-8")
    sc = load_scenario(top)
    assert (sc.budget.total, sc.budget.spend_all) == (900, True)
    assert set(sc.inputs) == {str(top), str(middle), str(tmp_path / "scenario.yaml"),
                              str(tmp_path / "data" / "counties.csv")}


def test_paths_in_an_extended_file_are_relative_to_that_file(tmp_path):
    write_base(tmp_path / "common")
    (tmp_path / "hebei").mkdir()
    (tmp_path / "hebei" / "scenario.yaml").write_text("extends: ../common/scenario.yaml\nname: hebei\n")
    sc = load_scenario(tmp_path / "hebei" / "scenario.yaml")
    assert sc.name == "hebei" and len(sc.units) == 3


def test_a_file_that_extends_itself_is_circular(tmp_path):
    message = problem_of(_extend(tmp_path, "extends: child.yaml\n"))
    assert "child.yaml:1" in message and "circular `extends`: child.yaml → child.yaml" in message


# ------------------------------------------------------------------------------------ variants, changes


def test_a_variant_applies_its_dotted_path_changes(tmp_path):
    path = write_base(tmp_path)
    assert load_scenario(path, variant="no_tilt").rule("tilt").min == 0
    cut = load_scenario(path, variant="cut")
    assert cut.budget.total == 720 and set(cut.variants) == {"no_tilt", "cut"}


def test_changes_from_the_command_line_are_read_as_yaml_values(tmp_path):
    sc = load_scenario(write_base(tmp_path), changes={"budget.total": "54000", "budget.spend_all": "true",
                                                      "measures.workshop.unit_cost": "1200 元"})
    assert sc.budget.total == 54000 and isinstance(sc.budget.total, float)
    assert sc.budget.spend_all is True
    assert sc.measures["workshop"].unit_cost == "1200 元"


def test_changes_apply_after_the_variant(tmp_path):
    sc = load_scenario(write_base(tmp_path), variant="cut", changes={"budget.total": 700})
    assert sc.budget.total == 700


def test_an_unknown_variant_lists_the_known_ones(tmp_path):
    message = problem_of(write_base(tmp_path), variant="tilt")
    assert "no variant named `tilt`" in message and "no_tilt, cut" in message


# ----------------------------------------------------------------------------------------- tables


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_or_utf8_with_or_without_bom_reads_chinese_names_exactly(tmp_path, encoding):
    path = write_base(tmp_path)
    names = ["康保县", "沽源县", "尚义县"]
    text = BASE_CSV.replace("尚义县", "尚义县（张家口）")
    (tmp_path / "data" / "counties.csv").write_bytes(text.encode(encoding))
    sc = load_scenario(path)
    assert list(sc.units["name"]) == names[:2] + ["尚义县（张家口）"]


def test_a_gb18030_file_is_not_mistaken_for_utf8(tmp_path):
    # GB18030 bytes of these names are not valid UTF-8, so the first try fails and the second is right
    path = write_base(tmp_path)
    (tmp_path / "data" / "counties.csv").write_bytes(BASE_CSV.encode("gb18030"))
    assert load_scenario(path).units["name"].iat[1] == "沽源县"


def _table():
    return pd.read_csv(io.StringIO(BASE_CSV), dtype={"code": str})


def test_xlsx_reads_the_named_sheet(tmp_path):
    path = write_base(tmp_path, [("file: data/counties.csv", "file: data/counties.xlsx, sheet: 县")])
    with pd.ExcelWriter(tmp_path / "data" / "counties.xlsx") as book:
        pd.DataFrame({"note": ["not this one"]}).to_excel(book, sheet_name="说明", index=False)
        _table().to_excel(book, sheet_name="县", index=False)
    sc = load_scenario(path)
    assert list(sc.units["id"]) == ["0130723", "130724", "130725"]
    assert sc.units["name"].iat[0] == "康保县"
    assert str(tmp_path / "data" / "counties.xlsx") in sc.inputs


def test_xlsx_without_sheet_reads_the_first(tmp_path):
    path = write_base(tmp_path, [("file: data/counties.csv", "file: data/counties.xlsx")])
    with pd.ExcelWriter(tmp_path / "data" / "counties.xlsx") as book:
        _table().to_excel(book, sheet_name="县", index=False)
    assert len(load_scenario(path).units) == 3


def test_xlsx_numeric_ids_read_as_whole_number_text(tmp_path):
    path = write_base(tmp_path, [("file: data/counties.csv", "file: data/counties.xlsx")])
    table = _table().assign(code=[130723.0, 130724.0, 130725.0])
    table.to_excel(tmp_path / "data" / "counties.xlsx", index=False)
    assert list(load_scenario(path).units["id"]) == ["130723", "130724", "130725"]


def test_parquet(tmp_path):
    path = write_base(tmp_path, [("file: data/counties.csv", "file: data/counties.parquet")])
    _table().to_parquet(tmp_path / "data" / "counties.parquet")
    sc = load_scenario(path)
    assert list(sc.units["id"]) == ["0130723", "130724", "130725"]
    assert sc.units["wage"].tolist() == [16.5, 16.5, 18.0]


def test_a_bad_cell_names_the_csv_line_even_after_a_name_spanning_two_lines(tmp_path):
    path = write_base(tmp_path)
    text = BASE_CSV.replace("沽源县", '"沽源\n县"').replace("7000,150", "7000,lots")
    (tmp_path / "data" / "counties.csv").write_text(text, encoding="utf-8")
    message = problem_of(path)
    assert "column `workshop_jobs`, row 3, data/counties.csv line 5 (unit 130725 尚义县): 'lots'" in message.replace(
        str(tmp_path) + "/", "")


# ---------------------------------------------------------------------------------------- messages


def test_every_problem_of_a_file_is_reported_together_in_line_order(tmp_path):
    path = write_base(tmp_path, [("budget: {", "budgte: {"), ("money_unit: 万元", "money_unit: 万"),
                                 ("min_ratio: 0.5", "min_ration: 0.5")])
    with pytest.raises(fa.ScenarioError) as caught:
        load_scenario(path)
    err = caught.value
    assert [p.rsplit(":", 1)[-1] for p in err.places] == ["2", "9", "21"]
    assert err.problems[0].startswith(f"{path}:2: `money_unit`: ")
    assert err.problems[1] == f"{path}:9: `budgte`: unknown key; did you mean `budget`?"
    assert "`rules.hold_harmless.min_ration`: unknown key; did you mean `min_ratio`?" in err.problems[2]
    assert [loc for loc, _ in err.details] == [("money_unit",), ("budgte",), ("rules", "hold_harmless", "min_ration")]


def test_table_problems_come_with_the_rest_of_the_file(tmp_path):
    path = write_base(tmp_path, [("budget: {", "budgte: {"), ("file: data/counties.csv", "file: data/nope.csv")])
    message = problem_of(path)
    assert "no such file" in message and "did you mean `budget`" in message


def test_did_you_mean_knows_the_keys_of_each_rule_type_and_aliases(tmp_path):
    path = write_base(tmp_path, [("group: priority", "group: priority, ratoi: 2"),
                                 ("{any: [deep_poverty", "{anyy: [deep_poverty")])
    message = problem_of(path)
    assert "`groups.priority.anyy`: unknown key; did you mean `any`?" in message
    assert ("`rules.tilt.ratoi`: unknown key; the keys here are: name, where, label, description, min, max, plus, "
            "type, group, per_region") in message


def test_keys_the_loader_sets_cannot_be_written(tmp_path):
    message = problem_of(write_base(tmp_path, [("name: tiny", "name: tiny\ninputs: {}")]))
    assert "scenario.yaml:2: `inputs`: is set by the loader" in message


# ------------------------------------------------------------------------------------------ policy


def _posts(tmp_path, hours):
    return write_base(tmp_path, [("hours: 720", f"hours: {hours}")])


def test_posts_costed_at_the_local_wage_raise_no_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_scenario(_posts(tmp_path, 720))


def test_a_subsidy_that_does_not_match_the_working_hours_warns_naming_the_counties(tmp_path):
    # the post pays 60 hours × 12 months at the local wage; paying it for 1000 hours is 28 % under the wage
    with pytest.warns(PolicyWarning, match="补贴标准与工作时间明显不匹配") as caught:
        sc = load_scenario(_posts(tmp_path, 1000))
    message = str(caught[0].message)
    assert "scenario.yaml:16" in message and "`measures.post.hours`" in message
    assert "0130723 康保县 (11.88 元 per hour, wage 16.50 元)" in message
    assert "130725 尚义县 (12.96 元 per hour, wage 18.00 元)" in message
    assert sc.measures["post"].hours == 1000


def test_within_the_tolerance_no_warning(tmp_path):
    path = write_base(tmp_path, [("hours: 720", "hours: 1000, wage_tolerance: 0.3")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_scenario(path)


def test_strict_makes_the_wage_mismatch_an_error(tmp_path):
    message = problem_of(_posts(tmp_path, 1000), strict=True)
    assert "`measures.post.hours`" in message and "3 of 3 units" in message


def test_the_wage_check_applies_to_the_changed_scenario(tmp_path):
    with pytest.warns(PolicyWarning):
        load_scenario(_posts(tmp_path, 720), changes={"measures.post.hours": 400})


def test_drop_needs_a_rule_to_drop_even_when_the_extended_file_has_no_rules(tmp_path):
    path = write_base(tmp_path, [("rules:\n", "xrules:\n")])
    (tmp_path / "base.yaml").write_text(path.read_text(encoding="utf-8").split("xrules:")[0], encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: base.yaml\nrules: [{name: tilt, drop: true}]\n")
    assert "cannot drop `tilt`" in problem_of(tmp_path / "child.yaml")


def test_source_and_inputs_survive_a_variant_and_changes(tmp_path):
    plain = load_scenario(write_base(tmp_path))
    changed = load_scenario(write_base(tmp_path), variant="cut", changes={"rules.tilt.min": "0.5"})
    assert (changed.source, changed.inputs) == (plain.source, plain.inputs)
    assert (changed.budget.total, changed.rule("tilt").min) == (720, 0.5)


def test_scenario_error_keeps_details_and_problems_and_adds_places():
    err = fa.ScenarioError([(("budget", "total"), "must be more than 0"), (("name",), "bad", "s.yaml:3")],
                           source="s.yaml")
    assert err.details == [(("budget", "total"), "must be more than 0"), (("name",), "bad")]
    assert err.places == ["s.yaml", "s.yaml:3"]
    assert err.problems == ["s.yaml: `budget.total`: must be more than 0", "s.yaml:3: `name`: bad"]
    assert str(fa.ScenarioError([(("a",), "b")])) == "`a`: b"
