"""The adversarial corpus: broken (and awkward but valid) scenarios and units tables, as data.

Every case starts from a small valid scenario (three Hebei counties, ``BASE_YAML`` and ``BASE_CSV``), changes
it, and gives the command line's exit code it must end with (``exit``: 2 refused, the default; 3 no allocation;
0 accepted) and the substrings its message must contain (the key, the file and line, the row, the bad value). A
refused case says where the API refuses it (``stage``: ``load`` for :func:`fundalloc.load_scenario`, ``solve`` for
:func:`fundalloc.solve`); an accepted one says what must hold of the scenario read (``holds``). ``lang`` is the
command line's ``--lang`` (the API's ``lang=``); the cases of ``ZH_CASES`` are read in Chinese, each with the same
file, line, key, row and value as its English twin.
``test_bad_inputs.py`` runs them through the API, ``test_cli_bad_inputs.py`` through the command line:
``path = case.write(folder)``, then ``[path, *case.cli_args()]``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

import pandas as pd

# line numbers matter: the cases below check them
BASE_YAML = """\
name: tiny
money_unit: 万元
units: {file: data/counties.csv, id: code, name: name}
groups:
  deep_poverty: {column: deep}
  relocation: {column: relocation_pop, ">=": 10000}
  priority: {any: [deep_poverty, relocation]}
weights: {deep_poverty: 1.5, relocation: 1.3}
budget: {total: 800, spend_all: false}
measures:
  workshop: {unit_cost: "1000 元", effectiveness: 1.0, capacity: workshop_jobs}
  export:
    unit_cost: "2000 元"
    capacity: {column: poor_labour, factor: 0.3}
    effectiveness: [{share: 0.5, value: 0.9}, {share: 0.5, value: 0.6}]
  post: {unit_cost: {product: [wage, 60, 12], unit: 元}, hours: 720, hourly_wage: wage, capacity: 100}
rules:
  - {type: pool, name: one_person, measures: all, column: poor_labour}
  - {type: coverage, name: zero_employment, measures: all, column: zero_emp}
  - {type: group_share, name: tilt, group: priority, min: 0.45}
  - {type: hold_harmless, column: last_year, min_ratio: 0.5}
objective: {type: max_outcome}
variants:
  no_tilt: {rules.tilt.min: 0}
  cut: {budget.total: 720}
sensitivity:
  sweeps:
    - {parameter: budget.total, values: [600, 800, 1000]}
  tornado: {parameters: [measures.*.unit_cost, budget.total], change: 0.2}
"""

BASE_CSV = """\
code,name,poor_labour,workshop_jobs,zero_emp,deep,relocation_pop,wage,last_year
0130723,康保县,12000,300,40,1,15000,16.5,200
130724,沽源县,9000,200,25,1,3000,16.5,150
130725,尚义县,7000,150,20,0,12000,18.0,120
"""

Content = Union[str, bytes, Callable[[Path], None]]


@dataclass(frozen=True)
class Case:
    """One broken input.

    ``edits`` are ``(old, new)`` replacements in ``BASE_YAML``; ``csv_edits`` the same in ``BASE_CSV``;
    ``files`` adds or overwrites files (text, bytes, or a function that writes the file at the path it is
    given). ``expect`` are substrings the error message must contain.
    """

    id: str
    expect: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()
    csv_edits: tuple[tuple[str, str], ...] = ()
    files: dict[str, Content] = field(default_factory=dict)
    variant: str | None = None
    changes: dict[str, str] | None = None
    strict: bool = False
    scenario: str = "scenario.yaml"
    exit: int = 2
    stage: str = "load"
    holds: Callable[[object], bool] | None = None
    lang: str | None = None

    def write(self, folder: Path) -> Path:
        """Write the case's files into ``folder``; the scenario file's path."""
        folder = Path(folder)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        text, table = BASE_YAML, BASE_CSV
        for old, new in self.edits:
            assert old in text, f"{self.id}: {old!r} is not in BASE_YAML"
            text = text.replace(old, new, 1)
        for old, new in self.csv_edits:
            assert old in table, f"{self.id}: {old!r} is not in BASE_CSV"
            table = table.replace(old, new, 1)
        (folder / "scenario.yaml").write_text(text, encoding="utf-8")
        (folder / "data" / "counties.csv").write_text(table, encoding="utf-8")
        for name, content in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder / self.scenario

    def cli_args(self) -> list[str]:
        """The command-line options that go with the case (after the scenario's path)."""
        args = ["--variant", self.variant] if self.variant else []
        for path, value in (self.changes or {}).items():
            args += ["--set", f"{path}={value}"]
        return args + (["--strict"] if self.strict else []) + (["--lang", self.lang] if self.lang else [])


def _xlsx(sheet: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        table = pd.read_csv(io.StringIO(BASE_CSV), dtype={"code": str})
        with pd.ExcelWriter(path) as book:
            table.to_excel(book, sheet_name=sheet, index=False)
    return write


CASES: list[Case] = [
    # --- keys and types
    Case("typo_top_level_key", ("scenario.yaml:9", "`budgte`", "did you mean `budget`"),
         edits=(("budget: {", "budgte: {"),)),
    Case("typo_measure_key", ("scenario.yaml:11", "measures.workshop.effectivness", "did you mean `effectiveness`"),
         edits=(("effectiveness: 1.0", "effectivness: 1.0"),)),
    Case("typo_rule_key", ("scenario.yaml:20", "rules.tilt.minimum", "did you mean `min`"),
         edits=(("min: 0.45", "minimum: 0.45"),)),
    Case("typo_units_key", ("scenario.yaml:3", "units.nmae", "did you mean `name`"),
         edits=(("name: name}", "nmae: name}"),)),
    Case("duplicate_yaml_key", ("scenario.yaml:3", "`money_unit`", "given twice", "line 2"),
         edits=(("units: {", "money_unit: 元\nunits: {"),)),
    Case("yaml_syntax_error", ("scenario.yaml:9", "not valid YAML"), edits=(("budget: {total: 800,", "budget: {total: 800"),
                                                                          ("spend_all: false}", "spend_all: false")),),
    Case("wrong_type_budget", ("budget.total", "[800]"), edits=(("total: 800", "total: [800]"),)),
    Case("wrong_type_effectiveness", ("measures.workshop.effectiveness", "no column `high`"),
         edits=(("effectiveness: 1.0", "effectiveness: high"),)),
    Case("wrong_type_capacity", ("measures.post.capacity", "a number, text or a mapping", "[100]"),
         edits=(("capacity: 100}", "capacity: [100]}"),)),
    Case("units_not_a_mapping", ("scenario.yaml:3", "`units`", "data/counties.csv"),
         edits=(("units: {file: data/counties.csv, id: code, name: name}", "units: data/counties.csv"),)),
    # --- numbers out of range
    Case("negative_budget", ("scenario.yaml:9", "budget.total", "more than 0", "-800"),
         edits=(("total: 800", "total: -800"),)),
    Case("zero_budget", ("budget.total", "more than 0", "0"), edits=(("total: 800", "total: 0"),)),
    Case("negative_unit_cost", ("measures.workshop.unit_cost", "more than 0", "-1000 元"),
         edits=(('unit_cost: "1000 元"', 'unit_cost: "-1000 元"'),)),
    Case("share_above_one", ("rules.tilt.min", "1.45"), edits=(("min: 0.45", "min: 1.45"),)),
    # --- money
    Case("bad_money_unit", ("scenario.yaml:2", "money_unit", "'万'"), edits=(("money_unit: 万元", "money_unit: 万"),)),
    Case("bad_money_string", ("scenario.yaml:11", "measures.workshop.unit_cost", "'1000 yuan'", "1000 元"),
         edits=(('unit_cost: "1000 元"', 'unit_cost: "1000 yuan"'),)),
    Case("bad_budget_money_string", ("budget.total", "'800 万'", "not an amount of money"),
         edits=(("total: 800", 'total: "800 万"'),)),
    # --- cross-references
    Case("unknown_measure_in_rule", ("scenario.yaml:18", "rules.one_person.measures", "`exprt`", "did you mean `export`"),
         edits=(("measures: all, column: poor_labour", "measures: [workshop, exprt], column: poor_labour"),)),
    Case("unknown_group_in_rule", ("scenario.yaml:20", "rules.tilt.group", "`priorty`", "did you mean `priority`"),
         edits=(("group: priority", "group: priorty"),)),
    Case("unknown_group_in_weights", ("scenario.yaml:8", "weights.deep_povrty", "did you mean `deep_poverty`"),
         edits=(("weights: {deep_poverty", "weights: {deep_povrty"),)),
    Case("unknown_column", ("scenario.yaml:11", "measures.workshop.capacity", "`workshop_job`",
                            "did you mean `workshop_jobs`"),
         edits=(("capacity: workshop_jobs", "capacity: workshop_job"),)),
    Case("unknown_group_in_group", ("groups.priority", "`relocaton`", "did you mean `relocation`"),
         edits=(("any: [deep_poverty, relocation]", "any: [deep_poverty, relocaton]"),)),
    Case("hours_without_wage", ("measures.post", "`hours` and `hourly_wage` go together"),
         edits=((", hourly_wage: wage", ""),)),
    # --- groups
    Case("bad_group_comparison", ("scenario.yaml:6", "groups.relocation.>=", "'lots'"),
         edits=(('">=": 10000', '">=": lots'),)),
    Case("two_group_comparisons", ("groups.relocation", "one comparison per group"),
         edits=(('">=": 10000', '">=": 10000, "<": 20000'),)),
    Case("group_with_two_kinds", ("groups.priority", "exactly one of"),
         edits=(("{any: [deep_poverty, relocation]}", "{any: [deep_poverty, relocation], column: deep}"),)),
    # --- measures
    Case("steps_not_adding_to_one", ("scenario.yaml:15", "measures.export.effectiveness", "add up to 1", "0.9"),
         edits=(("{share: 0.5, value: 0.6}", "{share: 0.4, value: 0.6}"),)),
    Case("increasing_steps", ("measures.export.effectiveness", "must not increase", "[0.6, 0.9]"),
         edits=(("{share: 0.5, value: 0.9}, {share: 0.5, value: 0.6}", "{share: 0.5, value: 0.6}, {share: 0.5, value: 0.9}"),)),
    # --- rules
    Case("min_above_max_share", ("scenario.yaml:20", "rules.tilt", "`min` (0.6) is above `max` (0.4)"),
         edits=(("min: 0.45", "min: 0.6, max: 0.4"),)),
    Case("duplicate_rule_names", ("scenario.yaml:19", "rule name `one_person`", "give each rule its own `name`"),
         edits=(("name: zero_employment", "name: one_person"),)),
    Case("unknown_rule_type", ("scenario.yaml:21", "unknown type `hold_harmles`", "did you mean `hold_harmless`"),
         edits=(("type: hold_harmless", "type: hold_harmles"),)),
    Case("rule_without_type", ("scenario.yaml:21", "give a `type`", "pool"), edits=(("type: hold_harmless, ", ""),)),
    Case("unknown_objective_type", ("scenario.yaml:22", "objective.type", "'maximise'"),
         edits=(("{type: max_outcome}", "{type: maximise}"),)),
    Case("min_cost_without_targets", ("objective.targets", "`min_cost` needs `targets`"),
         edits=(("{type: max_outcome}", "{type: min_cost}"),)),
    # --- dotted paths
    Case("bad_path_in_variant", ("scenario.yaml:24", "variants.no_tilt.rules.tlt.min", "nothing named `tlt`", "tilt"),
         edits=(("rules.tilt.min: 0", "rules.tlt.min: 0"),)),
    Case("bad_path_in_sweep", ("scenario.yaml:28", "budget.totl", "nothing named `totl`"),
         edits=(("parameter: budget.total", "parameter: budget.totl"),)),
    Case("bad_path_in_tornado", ("scenario.yaml:29", "measures.*.unit_cots", "`unit_cots`"),
         edits=(("parameters: [measures.*.unit_cost", "parameters: [measures.*.unit_cots"),)),
    Case("variant_makes_scenario_invalid", ("scenario.yaml:25", "variant `cut`", "more than 0"),
         edits=(("cut: {budget.total: 720}", "cut: {budget.total: -720}"),)),
    Case("unknown_variant", ("no variant named `no_tlt`", "did you mean `no_tilt`", "cut"), variant="no_tlt"),
    Case("bad_set_path", ("budget.totl", "nothing named `totl`"), changes={"budget.totl": "900"}),
    Case("bad_set_value", ("budget.total", "more than 0", "budget.total=-5"), changes={"budget.total": "-5"}),
    # --- the units table
    Case("missing_units_file", ("scenario.yaml:3", "units.file", "data/nope.csv", "no such file"),
         edits=(("file: data/counties.csv", "file: data/nope.csv"),)),
    Case("unsupported_table_format", ("units.file", "data/counties.txt", ".csv, .xlsx or .parquet"),
         edits=(("file: data/counties.csv", "file: data/counties.txt"),), files={"data/counties.txt": BASE_CSV}),
    Case("missing_id_column", ("scenario.yaml:3", "units.id", "data/counties.csv", "`county_code`"),
         edits=(("id: code", "id: county_code"),)),
    Case("missing_name_column", ("units.name", "data/counties.csv", "`nam`", "did you mean `name`"),
         edits=(("name: name}", "name: nam}"),)),
    Case("empty_table", ("units.file", "data/counties.csv", "has no rows"), csv_edits=((BASE_CSV.split("\n", 1)[1], ""),)),
    Case("empty_file", ("data/counties.csv", "is empty"), files={"data/counties.csv": ""}),
    Case("duplicate_ids", ("units.id", "`130724`", "data/counties.csv line 3", "data/counties.csv line 4"),
         csv_edits=(("130725,尚义县", "130724,尚义县"),)),
    Case("empty_id", ("units.id", "data/counties.csv line 4", "empty unit id"), csv_edits=(("130725,尚义县", ",尚义县"),)),
    Case("nan_in_numeric_column", ("scenario.yaml:11", "`workshop_jobs`", "data/counties.csv line 3", "沽源县", "empty"),
         csv_edits=(("9000,200,", "9000,,"),)),
    Case("text_in_numeric_column", ("scenario.yaml:14", "`poor_labour`", "data/counties.csv line 4", "'many'"),
         csv_edits=(("7000,150", "many,150"),)),
    Case("negative_count", ("scenario.yaml:19", "`zero_emp`", "130723", "-40", "at least 0"),
         csv_edits=(("300,40,", "300,-40,"),)),
    Case("wrong_sheet", ("scenario.yaml:3", "units.sheet", "data/counties.xlsx", "`Countys`", "did you mean `Counties`"),
         edits=(("file: data/counties.csv", "file: data/counties.xlsx, sheet: Countys"),),
         files={"data/counties.xlsx": _xlsx("Counties")}),
    Case("sheet_for_csv", ("units.sheet", "is for .xlsx files"), edits=(("id: code", "id: code, sheet: Counties"),)),
    Case("unknown_region_column", ("scenario.yaml:3", "units.region", "`citi`", "did you mean `city`"),
         edits=(("name: name}", "name: name, region: citi}"),),
         csv_edits=(("last_year\n", "last_year,city\n"), ("200\n", "200,张家口市\n"), ("150\n", "150,张家口市\n"),
                    ("120\n", "120,张家口市\n"))),
    Case("empty_region", ("scenario.yaml:3", "units.region", "data/counties.csv line 3", "沽源县", "empty"),
         edits=(("name: name}", "name: name, region: city}"),),
         csv_edits=(("last_year\n", "last_year,city\n"), ("200\n", "200,张家口市\n"), ("150\n", "150,\n"),
                    ("120\n", "120,张家口市\n"))),
    Case("region_at_the_top", ("scenario.yaml:2", "`region`", "goes in `units:`"),
         edits=(("money_unit: 万元", "region: city\nmoney_unit: 万元"),)),
    Case("rounding_not_positive", ("scenario.yaml:2", "`rounding`", "more than 0"),
         edits=(("money_unit: 万元", "rounding: 0\nmoney_unit: 万元"),)),
    Case("rounding_not_money", ("scenario.yaml:2", "`rounding`", "'ten'"),
         edits=(("money_unit: 万元", "rounding: ten\nmoney_unit: 万元"),)),
    Case("csv_in_unknown_encoding", ("data/counties.csv", "neither UTF-8 nor GB18030"),
         files={"data/counties.csv": BASE_CSV.encode("utf-8").replace("康保县".encode(), b"Caf\xe9,")}),
    # --- extends
    Case("circular_extends", ("circular `extends`", "scenario.yaml → base.yaml → scenario.yaml"),
         edits=(("name: tiny", "name: tiny\nextends: base.yaml"),), files={"base.yaml": "extends: scenario.yaml\n"}),
    Case("missing_extended_file", ("scenario.yaml:2", "extends", "nope.yaml"),
         edits=(("name: tiny", "name: tiny\nextends: nope.yaml"),)),
    Case("typo_in_extended_file", ("base.yaml:2", "`solver.backed`", "did you mean `backend`"),
         edits=(("name: tiny", "name: tiny\nextends: base.yaml"),),
         files={"base.yaml": "solver:\n  backed: highs\n"}),
    # --- hostile or broken YAML (adversarial review F4, F9): each refused before anything is built
    Case("yaml_alias_bomb", ("scenario.yaml:", "expands to more than", "aliases"),
         edits=(("name: tiny", "name: tiny\n" + "\n".join(
             ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
             + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)])),)),
    Case("yaml_recursive_alias", ("scenario.yaml:2", "refers to the mapping or list that contains it"),
         edits=(("name: tiny", "name: tiny\nloop: &a [*a]"),)),
    Case("yaml_nested_too_deeply", ("scenario.yaml", "nested too deeply"),
         edits=(("name: tiny", "name: " + "[" * 1200 + "]" * 1200),)),
    Case("yaml_control_character", ("scenario.yaml:1", "control character"), edits=(("name: tiny", "name: ti\x08ny"),)),
    Case("yaml_nul_byte", ("scenario.yaml:2", "control character"), edits=(("money_unit", "\x00money_unit"),)),
    Case("yaml_unknown_tag", ("scenario.yaml:9", "the tag `!money`"), edits=(("total: 800", "total: !money 800"),)),
    Case("yaml_python_tag", ("scenario.yaml:1", "the tag `!!python/name:os.system`"),
         edits=(("name: tiny", 'name: !!python/name:os.system ""'),)),
    Case("yaml_python_tag_on_a_list", ("scenario.yaml:2", "`!!python/object/apply:os.system`"),
         edits=(("name: tiny", 'name: tiny\nx: !!python/object/apply:os.system ["touch pwned"]'),)),
    Case("extends_chain_too_long", ("more than 20 files extend one another",),
         edits=(("name: tiny", "name: tiny\nextends: base0.yaml"),),
         files={f"base{i}.yaml": f"extends: base{i + 1}.yaml\n" for i in range(30)}),
    # --- names that would become paths (adversarial review F2): refused at load time, with the line
    *[Case(f"variant_name_{i}", ("scenario.yaml:24", "variant name", "folder"),
           edits=(("  no_tilt: {rules.tilt.min: 0}", f"  {name}: {{rules.tilt.min: 0}}"),))
      for i, name in enumerate(['"../../escaped"', '"/tmp/fundalloc-absolute"', '""', '"."', '"a/b"',
                                '"summary.json"', '"<img src=x onerror=alert(1)>"', "con", "base", '" padded"'])],
    # --- numbers that are not finite, too large, or true/false (adversarial review F7, F8, F18; issue 11)
    Case("budget_infinite", ("scenario.yaml:9", "`budget.total`", "not a finite number"),
         edits=(("total: 800", "total: .inf"),)),
    Case("budget_too_large", ("scenario.yaml:9", "`budget.total`", "too large"), edits=(("total: 800", "total: 1.0e+16"),)),
    Case("budget_money_overflows", ("budget.total", "'1e400 元'", "not a finite number"),
         edits=(("total: 800", 'total: "1e400 元"'),)),
    Case("budget_is_true", ("scenario.yaml:9", "`budget.total`", "`true` is true/false, not a number"),
         edits=(("total: 800", "total: true"),)),
    Case("effectiveness_nan", ("scenario.yaml:11", "measures.workshop.effectiveness", "nan is not a finite number"),
         edits=(("effectiveness: 1.0", "effectiveness: .nan"),)),
    Case("effectiveness_nan_as_text", ("measures.workshop.effectiveness", "a finite number", "'NaN'"),
         changes={"measures.workshop.effectiveness": "NaN"}),
    Case("step_value_infinite", ("scenario.yaml:15", "measures.export.effectiveness", "not a finite number"),
         edits=(("{share: 0.5, value: 0.6}", "{share: 0.5, value: .inf}"),)),
    Case("unit_cost_is_true", ("measures.workshop.unit_cost", "true/false"), changes={"measures.workshop.unit_cost": "true"}),
    Case("product_factor_is_true", ("scenario.yaml:16", "measures.post.unit_cost.product", "true/false"),
         edits=(("product: [wage, 60, 12]", "product: [wage, true, 12]"),)),
    Case("weight_infinite", ("scenario.yaml:8", "`weights`", "`deep_poverty`", "not a finite number"),
         edits=(("deep_poverty: 1.5", "deep_poverty: .inf"),)),
    Case("capacity_huge", ("scenario.yaml:16", "measures.post.capacity", "too large"),
         edits=(("capacity: 100}", "capacity: 1.0e+300}"),)),
    Case("rule_factor_is_true", ("scenario.yaml:18", "rules.one_person.factor", "true/false"),
         edits=(("column: poor_labour}", "column: poor_labour, factor: true}"),)),
    Case("numbers_that_overflow_together", ("measures.workshop", "130723", "coefficient", "below 1e+15"),
         changes={"weights.deep_poverty": "1e10", "measures.workshop.effectiveness": "1e10",
                  "measures.workshop.max_effectiveness": "1e10"}, stage="solve"),
    Case("cell_too_large", ("`poor_labour`", "data/counties.csv line 3", "沽源县", "too large"),
         csv_edits=(("9000,200,", "99999999999999999999,200,"),)),
    Case("cell_infinite", ("`workshop_jobs`", "data/counties.csv line 2", "inf is not a number"), csv_edits=(("12000,300,", "12000,inf,"),)),
    Case("true_false_column_as_number", ("measures.post.capacity", "`open`", "true/false"),
         edits=(("capacity: 100}", "capacity: open}"),),
         csv_edits=(("wage,last_year", "wage,last_year,open"), (",200\n", ",200,True\n"), (",150\n", ",150,False\n"),
                    (",120\n", ",120,True\n"))),
    Case("ambiguous_thousands_separator", ("`poor_labour`", "data/counties.csv line 2", "'12,00'"),
         csv_edits=(("0130723,康保县,12000,", '0130723,康保县,"12,00",'),)),
    # --- what `validate` passed and the run refused (F13), and programmes without a bound (F19)
    Case("no_measures", ("scenario.yaml:10", "`measures`", "empty"),
         edits=(("measures:\n  workshop:", "measures: {}\nunused:\n  workshop:"),
                ("rules:\n  - {type: pool, name: one_person, measures: all, column: poor_labour}\n"
                 "  - {type: coverage, name: zero_employment, measures: all, column: zero_emp}\n", "rules:\n"))),
    Case("sweep_without_values", ("scenario.yaml:28", "sensitivity.sweeps.0.values", "empty"),
         edits=(("values: [600, 800, 1000]", "values: []"),)),
    Case("coverage_need_all_zero", ("scenario.yaml:22", "objective.need", "`zero_emp` is 0 in every unit"),
         edits=(("{type: max_outcome}", "{type: max_min_coverage, need: zero_emp}"),),
         csv_edits=(("300,40,", "300,0,"), ("200,25,", "200,0,"), ("150,20,", "150,0,"))),
    # --- flag columns read strictly (F10): a blank or an unknown value never silently means "not in the group"
    Case("flag_blank", ("scenario.yaml:5", "groups.deep_poverty.column", "`deep`", "data/counties.csv line 3", "沽源县",
                        "empty cell", "`是`"), csv_edits=(("25,1,3000", "25,,3000"),)),
    Case("flag_unknown_word", ("groups.deep_poverty.column", "data/counties.csv line 2", "'真' is not a yes/no value"),
         csv_edits=(("40,1,15000", "40,真,15000"),)),
    Case("flag_two", ("groups.deep_poverty.column", "康保县", "2 is not a yes/no value"),
         csv_edits=(("40,1,15000", "40,2,15000"),)),
    # --- `--set` and dotted paths (F18, F22)
    Case("set_internal_column", ("units._row", "fundalloc's own column"), changes={"units._row": "1"}),
    Case("set_inside_an_unset_section", ("baseline.factors", "`baseline` is not set"),
         changes={"baseline.factors": "{poor_labour: 1}"}),
    # --- tables in other encodings (F14) and with a column named twice (F20)
    Case("csv_in_big5", ("data/counties.csv", "not UTF-8", "GB18030", "Big5", "`encoding: big5`"),
         files={"data/counties.csv": BASE_CSV.replace("康保县", "甲縣").replace("沽源县", "乙縣")
                .replace("尚义县", "丙縣").encode("big5")}),
    Case("csv_in_latin1", ("data/counties.csv", "Latin-1", "Zürich", "`encoding: cp1252`"),
         files={"data/counties.csv": BASE_CSV.replace("康保县", "Ålborg").replace("沽源县", "Zürich")
                .replace("尚义县", "Genève").encode("latin-1")}),
    Case("csv_in_the_encoding_named", (), edits=(("id: code,", "id: code, encoding: big5,"),),
         files={"data/counties.csv": BASE_CSV.replace("康保县", "甲縣").replace("沽源县", "乙縣")
                .replace("尚义县", "丙縣").encode("big5")}, exit=0,
         holds=lambda sc: sc.units["name"].tolist() == ["甲縣", "乙縣", "丙縣"]),
    Case("csv_in_gbk_with_a_rare_place_name", (), files={"data/counties.csv": BASE_CSV.replace("尚义县", "浉河区")
                                                         .encode("gbk")}, exit=0,
         holds=lambda sc: sc.units["name"].tolist() == ["康保县", "沽源县", "浉河区"]),
    Case("unknown_encoding", ("scenario.yaml:3", "units.encoding", "`big-5`"), edits=(("id: code,", "id: code, encoding: big-5,"),)),
    Case("duplicate_csv_header", ("units.file", "data/counties.csv", "column `last_year` appears twice",
                                  "columns 9 and 10"),
         csv_edits=(("wage,last_year", "wage,last_year,last_year"), (",200\n", ",200,500\n"), (",150\n", ",150,500\n"),
                    (",120\n", ",120,500\n"))),
    Case("duplicate_xlsx_header", ("units.file", "data/counties.xlsx", "column `wage` appears twice"),
         edits=(("file: data/counties.csv", "file: data/counties.xlsx"),),
         files={"data/counties.xlsx": lambda path: pd.read_csv(io.StringIO(BASE_CSV), dtype={"code": str})
                .rename(columns={"last_year": "wage"}).to_excel(path, index=False)}),
    Case("tab_separated_csv", ("units.id", "separated by tabs", "comma-separated"),
         files={"data/counties.csv": BASE_CSV.replace(",", "\t")}),
    Case("semicolon_separated_csv", ("units.id", "separated by semicolons"), files={"data/counties.csv": BASE_CSV.replace(",", ";")}),
    Case("csv_with_old_mac_line_endings", (), files={"data/counties.csv": BASE_CSV.replace("\n", "\r").encode()}, exit=0,
         holds=lambda sc: sc.units["name"].tolist() == ["康保县", "沽源县", "尚义县"]),
    # --- full-width punctuation typed by a Chinese input method: the right line and a hint (issue 10 item 7)
    Case("full_width_colon", ("scenario.yaml:10", "full-width `：`", "half-width `:`", "半角"),
         edits=(("budget: {total: 800, spend_all: false}", "budget:\n  total：800\n  spend_all: false"),)),
    Case("full_width_colon_in_braces", ("scenario.yaml:9", "full-width `：`"), edits=(("total: 800", "total：800"),)),
    Case("full_width_comma", ("scenario.yaml:8", "full-width `，`", "half-width `,`"),
         edits=(("deep_poverty: 1.5, relocation", "deep_poverty: 1.5，relocation"),)),
    Case("full_width_space", ("scenario.yaml:11", "full-width space"), edits=(("  workshop: {", "\u3000\u3000workshop: {"),)),
    Case("full_width_quotes", ("scenario.yaml:11", "full-width `“`", 'half-width `"`'),
         edits=(('unit_cost: "1000 元"', "unit_cost: “1000 元”"),)),
    # --- accepted: what a Chinese keyboard or Excel writes, read as meant (issue 10 item 7, F10, F18)
    Case("scientific_notation_in_yaml", (), edits=(("total: 800", "total: 8e2"),), exit=0,
         holds=lambda sc: sc.budget.total == 800),
    Case("scientific_notation_in_set", (), changes={"budget.total": "7.5e2"}, exit=0,
         holds=lambda sc: sc.budget.total == 750),
    Case("thousands_separator_in_money", (), edits=(('unit_cost: "1000 元"', 'unit_cost: "1,000 元"'),
                                                    ("total: 800", 'total: "1,200"')), exit=0,
         holds=lambda sc: sc.money(sc.budget.total) == 1200 and sc.money(sc.measures["workshop"].unit_cost) == 0.1),
    Case("thousands_separator_and_full_width_digits_in_cells", (),
         csv_edits=(("0130723,康保县,12000,", '0130723,康保县,"12,000",'), ("9000,200,", "９０００,２００,")), exit=0,
         holds=lambda sc: sc.units["poor_labour"].tolist() == [12000, 9000, 7000]
         and sc.units["workshop_jobs"].tolist() == [300, 200, 150]),
    Case("flag_words_and_full_width_one", (), csv_edits=(("40,1,15000", "40,１,15000"), ("25,1,3000", "25,是,3000"),
                                                         ("20,0,12000", "20,否,12000")), exit=0,
         holds=lambda sc: __import__("fundalloc.groups").groups.group_masks(sc)["deep_poverty"].tolist()
         == [True, True, False]),
    Case("set_an_optional_key_not_yet_set", (), changes={"solver.time_limit": "60", "rules.tilt.max": "1"}, exit=0,
         holds=lambda sc: sc.solver.time_limit == 60 and sc.rule("tilt").max == 1),
    # --- policy
    Case("wage_mismatch_strict", ("scenario.yaml:16", "measures.post.hours", "补贴标准与工作时间明显不匹配", "130723 康保县"),
         edits=(("hours: 720", "hours: 360"),), strict=True),
]

#: the scenario declares its language in the file (line 1 becomes two lines: the line numbers below are one more)
IN_CHINESE = ("name: tiny", "name: tiny\nlanguage: zh")

#: one case of each kind read in Chinese: the same places, keys, rows and values, the words in Chinese. Half name
#: the language in the file (`language: zh`, found even when the file is not valid YAML), half with `--lang zh`.
ZH_CASES: list[Case] = [
    Case("zh_yaml_syntax_error", ("scenario.yaml:10", "不是有效的 YAML"),
         edits=(IN_CHINESE, ("budget: {total: 800,", "budget: {total: 800"),
                ("spend_all: false}", "spend_all: false"))),
    Case("zh_full_width_colon", ("scenario.yaml:9", "全角`：`应改为半角`:`", "半角标点"),
         edits=(("total: 800", "total：800"),), lang="zh"),
    Case("zh_unknown_key", ("scenario.yaml:9", "`budgte`", "未知的键", "是否指 `budget`？"),
         edits=(("budget: {", "budgte: {"),), lang="zh"),
    Case("zh_wrong_type", ("scenario.yaml:10", "`budget.total`", "应为数字或文本", "[800]"),
         edits=(IN_CHINESE, ("total: 800", "total: [800]"))),
    Case("zh_negative_budget", ("scenario.yaml:9：`budget.total`：预算必须大于 0，而不是 -800",),
         edits=(("total: 800", "total: -800"),), lang="zh"),
    Case("zh_not_a_finite_number", ("scenario.yaml:12", "measures.workshop.effectiveness", "nan 不是有限的数"),
         edits=(IN_CHINESE, ("effectiveness: 1.0", "effectiveness: .nan"))),
    Case("zh_text_in_numeric_column", ("scenario.yaml:14", "列 `poor_labour`", "data/counties.csv 第 4 行",
                                       "130725 尚义县", "'many' 不是不小于 0 的数"),
         csv_edits=(("7000,150", "many,150"),), lang="zh"),
    Case("zh_flag_blank", ("scenario.yaml:6", "列 `deep`", "data/counties.csv 第 3 行", "沽源县", "单元格为空",
                           "`是`（在组内）"), edits=(IN_CHINESE,), csv_edits=(("25,1,3000", "25,,3000"),)),
    Case("zh_unknown_column", ("scenario.yaml:11", "measures.workshop.capacity", "县表中没有列 `workshop_job`",
                               "是否指 `workshop_jobs`？"),
         edits=(("capacity: workshop_jobs", "capacity: workshop_job"),), lang="zh"),
    Case("zh_duplicate_ids", ("units.id", "县代码 `130724` 出现了不止一次", "data/counties.csv 第 3 行",
                              "data/counties.csv 第 4 行"), csv_edits=(("130725,尚义县", "130724,尚义县"),), lang="zh"),
    Case("zh_unknown_group_in_rule", ("scenario.yaml:21", "rules.tilt.group", "没有名为 `priorty` 的分组",
                                      "是否指 `priority`？"), edits=(IN_CHINESE, ("group: priority", "group: priorty"))),
    Case("zh_bad_path_in_variant", ("scenario.yaml:24", "variants.no_tilt.rules.tlt.min", "这里没有名为 `tlt` 的项",
                                    "tilt"), edits=(("rules.tilt.min: 0", "rules.tlt.min: 0"),), lang="zh"),
    Case("zh_bad_set_value", ("budget.total", "预算必须大于 0", "所做的修改：budget.total=-5"),
         changes={"budget.total": "-5"}, lang="zh"),
    Case("zh_circular_extends", ("`extends` 形成循环", "scenario.yaml → base.yaml → scenario.yaml"),
         edits=(("name: tiny", "name: tiny\nextends: base.yaml"),), files={"base.yaml": "extends: scenario.yaml\n"},
         lang="zh"),
    Case("zh_csv_in_big5", ("data/counties.csv", "不是 UTF-8 编码", "GB18030", "Big5", "繁体中文", "`encoding: big5`"),
         edits=(IN_CHINESE,), files={"data/counties.csv": BASE_CSV.replace("康保县", "甲縣").replace("沽源县", "乙縣")
                                     .replace("尚义县", "丙縣").encode("big5")}),
    Case("zh_variant_name", ("scenario.yaml:25", "变体方案名 '../../escaped'", "文件夹名"),
         edits=(IN_CHINESE, ("  no_tilt: {rules.tilt.min: 0}", '  "../../escaped": {rules.tilt.min: 0}'))),
    Case("zh_wage_mismatch_strict", ("scenario.yaml:16", "measures.post.hours", "补贴标准与工作时间明显不匹配",
                                     "0130723 康保县（每小时 33.00 元，工资 16.50 元）"),
         edits=(("hours: 720", "hours: 360"),), strict=True, lang="zh"),
    Case("zh_infeasible", ("没有任何分配方案能同时满足全部规则", "`hold_harmless`：需放宽", "万元（涉及3个县）"),
         edits=(("total: 800", "total: 100"), ("min_ratio: 0.5", "min_ratio: 0.9")), lang="zh", exit=3, stage="solve"),
]
CASES += ZH_CASES
