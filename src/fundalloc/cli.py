"""The command line: run a scenario file and write its output set, or check it.

    fundalloc SCENARIO.yaml [--variant NAME ...] [--set PATH=VALUE ...] [--out DIR] [--excel] ...
    fundalloc validate SCENARIO.yaml [--strict]

Thin: parse, call the API, print, exit. Exit codes: 0 solved; 2 invalid input (the problems are printed);
3 infeasible (the conflicting rules are printed); 1 anything unexpected (``--debug`` shows the traceback).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import tables
from .errors import FundallocError, InfeasibleError, ScenarioError, SolverError
from .optional import MissingDependency, require

OK, UNEXPECTED, INVALID, INFEASIBLE = 0, 1, 2, 3
BASE, FACTOR = "base", "factor"  # the run names of the scenario as written and of the factor formula


class UsageError(FundallocError):
    """A problem with the command itself (an option, the output folder): invalid input, exit 2."""


# -------------------------------------------------------------------------------------------- parsing


def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fundalloc",
        description="Divide an employment-subsidy budget across counties and measures, and write the "
                    "allocation, its shadow prices and a report. `fundalloc validate SCENARIO.yaml` only checks "
                    "the scenario.",
        epilog="Exit codes: 0 solved, 2 invalid input, 3 infeasible (no allocation satisfies every rule), "
               "1 anything unexpected.")
    p.add_argument("scenario", help="the scenario file (.yaml)")
    p.add_argument("--variant", action="append", default=[], metavar="NAME",
                   help="run this variant of the scenario next to the base (repeatable; default: every variant "
                        "the file defines)")
    p.add_argument("--no-variants", action="store_true", help="run the base scenario only")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="changes",
                   help="change one value by dotted path, e.g. --set budget.total=54000 (repeatable; applies to "
                        "the base and every variant)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: fundalloc-out/<scenario name>/)")
    p.add_argument("--sensitivity", action=argparse.BooleanOptionalAction, default=None,
                   help="run the scenario's `sensitivity:` section (default: when the file has one)")
    p.add_argument("--backend", choices=["highs", "pulp"], help="the solver (default: the scenario's)")
    p.add_argument("--excel", action="store_true", help="also write allocation.xlsx with the tables as sheets")
    _common(p)
    p.add_argument("--quiet", action="store_true", help="print only errors and the output folder")
    return p


def _validate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fundalloc validate",
                                description="Check a scenario file, its units table and its variants; solve nothing.")
    p.add_argument("scenario", help="the scenario file (.yaml)")
    _common(p)
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="treat policy warnings as errors")
    p.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")


def parse_changes(items: list[str]) -> dict[str, str]:
    """``["budget.total=54000"]`` → ``{"budget.total": "54000"}`` (the loader reads the values as YAML)."""
    changes = {}
    for item in items:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise UsageError(f"--set {item!r}: write PATH=VALUE, e.g. --set budget.total=54000")
        changes[path.strip()] = value.strip()
    return changes


# ------------------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    checking = bool(argv) and argv[0] == "validate"
    args = (_validate_parser() if checking else _run_parser()).parse_args(argv[1:] if checking else argv)
    try:
        return validate(args) if checking else run(args)
    except (ScenarioError, UsageError, MissingDependency) as err:
        return _invalid(err)
    except InfeasibleError as err:
        return _infeasible(err)
    except KeyboardInterrupt:
        _err("fundalloc: interrupted; no files written")
        return 130
    except Exception as err:  # noqa: BLE001 - the one place that turns the unexpected into exit 1
        if args.debug:
            traceback.print_exc()
        what = "the solver failed" if isinstance(err, SolverError) else f"unexpected error ({type(err).__name__})"
        hint = "" if args.debug else " (run again with --debug to see where)"
        _err(f"fundalloc: {what}: {_one_line(err)}{hint}")
        return UNEXPECTED


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _invalid(err: FundallocError) -> int:
    problems = getattr(err, "problems", None) or [str(err)]
    if len(problems) == 1:
        _err(f"fundalloc: {problems[0]}")
    else:
        _err(f"fundalloc: {len(problems)} problems:")
        for p in problems:
            _err(f"  - {p}")
    return INVALID


def _infeasible(err: InfeasibleError) -> int:
    run = getattr(err, "run", None)
    head = str(err).splitlines()[0] + (f" (variant `{run}`)" if run and run != BASE else "")
    _err(f"fundalloc: {head}")
    if err.conflicts:
        _err("the rules that cannot all hold, and how far each alone would have to give:")
        for c in err.conflicts:
            _err(f"  - {c}")
    _err("no files written")
    return INFEASIBLE


# --------------------------------------------------------------------------------------------- loading


def load(path: str, *, variant: str | None = None, changes: dict | None = None, strict: bool = False,
         shown: set | None = None):
    """The scenario (with a variant and changes applied); policy warnings go to stderr, each once."""
    from .loader import PolicyWarning, load_scenario

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sc = load_scenario(path, variant=variant, changes=changes or None, strict=strict)
    shown = set() if shown is None else shown
    for w in caught:
        if issubclass(w.category, PolicyWarning):
            text = str(w.message)
            if text not in shown:
                shown.add(text)
                _err(f"warning: {text}" + (f" (variant `{variant}`)" if variant else ""))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return sc


def load_runs(args) -> dict[str, object]:
    """The scenarios to solve: the base, then each variant asked for (or, by default, every one defined)."""
    changes = parse_changes(args.changes)
    shown: set = set()
    base = load(args.scenario, changes=changes, strict=args.strict, shown=shown)
    names = [] if args.no_variants else (list(dict.fromkeys(args.variant)) or list(base.variants))
    taken = [n for n in names if n in (BASE, FACTOR)]
    if taken:
        raise UsageError(f"variant `{taken[0]}`: `{BASE}` and `{FACTOR}` name the scenario as written and the "
                         "factor formula in the outputs; rename the variant")
    runs = {BASE: base}
    for name in names:
        runs[name] = load(args.scenario, variant=name, changes=changes, strict=args.strict, shown=shown)
    return runs


# --------------------------------------------------------------------------------------------- validate


def validate(args) -> int:
    sc = load(args.scenario, strict=args.strict)
    parts = [f"{len(sc.units)} counties", f"{len(sc.measures)} measures", f"{len(sc.rules)} rules"]
    if sc.variants:
        parts.append(f"variants {', '.join(sc.variants)}")
    parts += [s for s in ("sensitivity", "baseline") if getattr(sc, s) is not None]
    print(f"{args.scenario}: valid ({sc.name}: {'; '.join(parts)})")
    return OK


# ------------------------------------------------------------------------------------------------- run


@dataclass
class Extras:
    """What runs besides the solves: sensitivity, factor baseline, comparison; and notes for the reader."""

    sensitivity: object = None
    baseline: object = None
    comparison: object = None
    notes: list[str] = field(default_factory=list)


def run(args) -> int:
    if args.excel:  # say so before solving, not after
        require("openpyxl", "excel", "--excel")
    runs = load_runs(args)
    base_sc = runs[BASE]
    target = output_folder(args.out, base_sc)
    check_target(target, list(runs.values()))
    progress = False if args.quiet else None  # None: bars for runs big enough to take seconds
    results = {name: _solve(sc, name, args.backend, progress) for name, sc in runs.items()}
    extras = extras_for(args, base_sc, results)
    publish(target, lambda folder: write_outputs(folder, results, extras, excel=args.excel))
    if args.quiet:
        print(target)
    else:
        print_summary(results, extras, target)
    return OK


def _solve(sc, name: str, backend: str | None, progress: bool | None = None):
    from .solve import solve
    try:
        return solve(sc, backend=backend, variant=None if name == BASE else name, progress=progress)
    except InfeasibleError as err:
        err.run = name
        raise


def extras_for(args, sc, results: dict) -> Extras:
    from .baseline import compare, factor_allocation

    extras = Extras()
    if args.changes:
        extras.notes.append("Changed on the command line: " + ", ".join(args.changes) + ".")
    extras.sensitivity = sensitivity_for(args, sc, results[BASE], extras.notes)
    if sc.baseline is not None:
        extras.baseline = factor_allocation(sc)
    runs = all_runs(results, extras)
    if len(runs) > 1:
        extras.comparison = compare(runs, base=BASE)
    return extras


def all_runs(results: dict, extras: Extras) -> dict:
    """The solved runs and, when the scenario has a ``baseline:``, the factor formula's."""
    return {**results, **({FACTOR: extras.baseline} if extras.baseline is not None else {})}


def sensitivity_for(args, sc, result, notes: list[str]):
    """The scenario's sensitivity report, when asked for (by default: when the file has a section)."""
    wanted = args.sensitivity if args.sensitivity is not None else sc.sensitivity is not None
    if not wanted:
        return None
    if sc.sensitivity is None:
        notes.append("--sensitivity: the scenario has no `sensitivity:` section, so there was nothing to run.")
        return None
    try:
        from .sensitivity import run_sensitivity
    except ImportError as err:  # not in this installation (a missing dependency inside it is an error)
        if err.name != "fundalloc.sensitivity":
            raise
        notes.append("The scenario has a `sensitivity:` section, but this installation cannot run it "
                     "(no fundalloc.sensitivity).")
        return None
    return run_sensitivity(sc, result, progress=not args.quiet)


# ----------------------------------------------------------------------------------------------- output


def output_folder(given: str | None, sc) -> Path:
    """``--out``, or ``fundalloc-out/<scenario name>/``."""
    if given:
        return Path(given)
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", sc.name).strip("._") or "scenario"
    return Path("fundalloc-out") / name


def check_target(target: Path, scenarios: list) -> None:
    """Refuse an output folder that would overwrite an input or files fundalloc did not write."""
    where = target.resolve()
    if where.exists() and not where.is_dir():
        raise UsageError(f"--out {target}: is a file; give a folder")
    for sc in scenarios:
        for f in [sc.source, *sc.inputs]:
            if f and (where == Path(f).resolve() or where in Path(f).resolve().parents):
                raise UsageError(f"--out {target}: holds the input {f}, which the results would replace; "
                                 "choose another folder")
    cwd = Path.cwd().resolve()
    if where == cwd or where in cwd.parents:
        raise UsageError(f"--out {target}: is the current folder or one above it; give a folder for the results")
    if where.is_dir() and any(where.iterdir()) and not (where / "summary.json").is_file():
        raise UsageError(f"--out {target}: already holds files that are not fundalloc results; "
                         "choose a new or empty folder")


def publish(target: Path, write) -> None:
    """Write the output set into a temporary folder beside ``target``, then move it into place: a failure
    leaves the previous set (or nothing), never half of one."""
    where = target.resolve()
    where.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{where.name}.", suffix=".partial", dir=where.parent))
    old = tmp.with_suffix(".old")
    try:
        write(tmp)
        _make_readable(tmp)
        if where.exists():
            os.replace(where, old)
        try:
            os.replace(tmp, where)
        except OSError:
            if old.exists():
                os.replace(old, where)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _make_readable(folder: Path) -> None:
    """mkdtemp makes a private folder; give the results the permissions any new folder gets."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


def write_outputs(folder: Path, results: dict, extras: Extras, *, excel: bool) -> None:
    """The base run's files in ``folder``, each variant's (and the factor formula's) in ``folder/<run>/``,
    the comparison and the sensitivity work beside the base's, and report.html with everything."""
    from .report import write_report

    base = results[BASE]
    base.write_files(folder, report=False)
    for name, r in all_runs(results, extras).items():
        if name != BASE:
            (folder / name).mkdir()
            r.write_files(folder / name, excel=excel)
    if extras.sensitivity is not None:
        extras.sensitivity.write(folder)
    if extras.comparison is not None:
        extras.comparison.write(folder)
    write_report(base, folder / "report.html", sections=report_sections(results, extras), notes=extras.notes)
    if excel:
        write_workbook(folder, base)


def report_sections(results: dict, extras: Extras) -> list[tuple[str, str]]:
    """The sections appended to the base report: the runs compared (with the factor formula), sensitivity."""
    from .report import run_table, table_html

    sections = []
    runs = all_runs(results, extras)
    if len(runs) > 1:
        sections.append(("Runs compared", table_html(_run_table_labelled(run_table(runs), results[BASE]))
                         + f"<p>Each run's files are in its own folder ({', '.join(n for n in runs if n != BASE)}); "
                           "comparison.csv has every county.</p>"))
        sections.append(("", extras.comparison.html()))
    if extras.sensitivity is not None:
        sections.append(("", extras.sensitivity.html()))
    return sections


def _run_table_labelled(table: pd.DataFrame, base, units: bool = True) -> pd.DataFrame:
    unit = f" ({base.scenario.money_unit})" if units else ""
    return table.rename(columns={"allocated": f"allocated{unit}", "persons": "persons employed",
                                 **{c: c.removeprefix("money.") + unit for c in table.columns
                                    if c.startswith("money.")}})


def write_workbook(folder: Path, result) -> None:
    """allocation.xlsx: the result's tables, then every other table written beside them (comparison,
    sweeps, tornado, Monte Carlo), one sheet each."""
    sheets = dict(result.tables())
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in sheets:
            sheets[path.stem] = pd.read_csv(path, encoding="utf-8-sig", dtype={"unit_id": str})
    tables.write_workbook(folder / "allocation.xlsx", sheets)


# ----------------------------------------------------------------------------------------------- print


def print_summary(results: dict, extras: Extras, target: Path) -> None:
    from .report import run_table

    base = results[BASE]
    unit = base.scenario.money_unit
    lines = base.summary().splitlines()
    runs = all_runs(results, extras)
    if len(runs) > 1:
        table = _run_table_labelled(run_table(runs), base, units=False)
        lines += ["", f"  runs compared (money in {unit}; every county in comparison.csv)",
                  _indent(table.to_string(float_format=lambda v: f"{v:,.1f}")), ""]
        lines += [f"  {line}" for line in extras.comparison.headline().splitlines()]
    lines += [f"  note: {n}" for n in extras.notes]
    folders = [f"{name}/" for name in runs if name != BASE]
    lines += ["", f"files: {target}{os.sep}" + (f" (and in {', '.join(folders)})" if folders else "")]
    print("\n".join(lines))


def _indent(text: str, by: str = "  ") -> str:
    return "\n".join(by + line for line in text.splitlines())
