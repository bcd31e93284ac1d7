"""Broken scenarios and units tables, as data: each must be refused with a message that names the culprit.

Every case starts from a small valid scenario (three Hebei counties, ``BASE_YAML`` and ``BASE_CSV``), changes
it, and lists the substrings the error must contain (the key, the file and line, the row, the bad value).
``test_bad_inputs.py`` runs them through :func:`fundalloc.load_scenario`; the command-line tests run the same
cases through ``python -m fundalloc``: ``path = case.write(folder)``, then ``[path, *case.cli_args()]``.
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
        return args + (["--strict"] if self.strict else [])


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
    # --- policy
    Case("wage_mismatch_strict", ("scenario.yaml:16", "measures.post.hours", "补贴标准与工作时间明显不匹配", "130723 康保县"),
         edits=(("hours: 720", "hours: 360"),), strict=True),
]
