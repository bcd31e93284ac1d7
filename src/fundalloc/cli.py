"""The command line: run a scenario file and write its output set, or check it.

    fundalloc SCENARIO.yaml [--variant NAME ...] [--set PATH=VALUE ...] [--out DIR] [--excel] ...
    fundalloc validate SCENARIO.yaml [--strict]
    fundalloc init DIR

Thin: parse, call the API, print, exit. Exit codes: 0 every run solved; 2 invalid input (the problems are
printed, nothing is written); 3 some run (the base or a variant) has no allocation: every run that solved is
written, each infeasible one gets its diagnosis (the conflicting rules, printed and in ``<run>/infeasible.txt``);
1 anything unexpected (``--debug`` shows the traceback).
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import outputs
from .catalog import msg, t
from .errors import FundallocError, InfeasibleError, OutputError, ScenarioError, SolverError, TimeLimitError, speaking
from .markup import Markup, join, markup
from .optional import MissingDependency, require

OK, UNEXPECTED, INVALID, INFEASIBLE = 0, 1, 2, 3
BASE, FACTOR = "base", "factor"  # the run names of the scenario as written and of the factor formula


class UsageError(FundallocError):
    """A problem with the command itself (an option, the output folder): invalid input, exit 2."""


# -------------------------------------------------------------------------------------------- parsing


def help_language(argv: list[str]) -> str:
    """The language of ``--help`` and of what is printed before a scenario is read: ``--lang`` when the command
    line has it, else the environment variable ``FUNDALLOC_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``: ``zh_CN.UTF-8`` is Chinese), else English."""
    from .catalog import DEFAULT_LANGUAGE, LANGUAGES

    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else \
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if value in LANGUAGES:
            return value
    asked = os.environ.get("FUNDALLOC_LANG", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = os.environ.get(variable, "")
        if locale:
            return "zh" if locale.lower().startswith("zh") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _parser(prog: str, lang: str, description: str, epilog: str | None = None) -> argparse.ArgumentParser:
    """An argument parser whose --help is in ``lang``, argparse's own words included."""
    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups, prefix=t("cli.usage", lang) if prefix is None else prefix)

        def _split_lines(self, text, width):
            return wrap(text, width)

        def _fill_text(self, text, width, indent):
            return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    p = argparse.ArgumentParser(prog=prog, description=description, epilog=epilog, add_help=False,
                                formatter_class=Formatter)
    p._positionals.title, p._optionals.title = t("cli.positionals", lang), t("cli.options", lang)
    p.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    return p


#: a wide (CJK) character, or a run of other characters up to and with the spaces after it
_TOKEN = re.compile(r"[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\ua4cf"
                    r"\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+\s*|\s+")
#: punctuation a Chinese line never starts with: it stays at the end of the line before
_CLOSING = set("，。；：、）》」』”’！？%")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns (a Chinese character takes two), broken between
    Chinese characters or at spaces; closing punctuation never starts a line.

    >>> wrap("在各县和各项措施之间分配就业补助资金，写出 allocation.csv", 20)
    ['在各县和各项措施之间', '分配就业补助资金，写', '出 allocation.csv']
    """
    from .tables import text_width

    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and text_width(line + token.rstrip()) > width and token not in _CLOSING:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def _run_parser(lang: str) -> argparse.ArgumentParser:
    p = _parser("fundalloc", lang, t("cli.run.description", lang), t("cli.run.epilog", lang))
    p.add_argument("scenario", help=t("cli.scenario", lang))
    p.add_argument("--variant", action="append", default=[], metavar="NAME", help=t("cli.variant", lang))
    p.add_argument("--no-variants", action="store_true", help=t("cli.no_variants", lang))
    _set_option(p, lang)
    p.add_argument("--out", metavar="DIR", help=t("cli.out", lang))
    p.add_argument("--sensitivity", action=argparse.BooleanOptionalAction, default=None,
                   help=t("cli.sensitivity", lang))
    p.add_argument("--backend", choices=["highs", "pulp"], help=t("cli.backend", lang))
    p.add_argument("--excel", action="store_true", help=t("cli.excel", lang))
    _lang_option(p, lang)
    _common(p, lang)
    p.add_argument("--quiet", action="store_true", help=t("cli.quiet", lang))
    return p


def _validate_parser(lang: str) -> argparse.ArgumentParser:
    p = _parser("fundalloc validate", lang, t("cli.validate.description", lang))
    p.add_argument("scenario", help=t("cli.scenario", lang))
    _set_option(p, lang)
    _lang_option(p, lang)
    _common(p, lang)
    return p


def _set_option(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="changes",
                   help=t("cli.set", lang))


def _lang_option(p: argparse.ArgumentParser, lang: str) -> None:
    from .catalog import LANGUAGES
    p.add_argument("--lang", choices=LANGUAGES, help=t("cli.lang", lang))


def _init_parser(lang: str) -> argparse.ArgumentParser:
    from .catalog import LANGUAGES

    p = _parser("fundalloc init", lang, t("init.help", lang))
    p.add_argument("dir", metavar="DIR", help=t("init.dir", lang))
    p.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("cli.init.lang", lang))
    p.add_argument("--debug", action="store_true", help=t("cli.debug", lang))
    return p


def _common(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--strict", action="store_true", help=t("cli.strict", lang))
    p.add_argument("--debug", action="store_true", help=t("cli.debug", lang))


def parse_changes(items: list[str]) -> dict[str, str]:
    """``["budget.total=54000"]`` → ``{"budget.total": "54000"}`` (the loader reads the values as YAML)."""
    changes = {}
    for item in items:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise UsageError(msg("errors.cli.set_form", item=repr(item)))
        changes[path.strip()] = value.strip()
    return changes


# ------------------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    commands = {"validate": (_validate_parser, validate), "init": (_init_parser, init)}
    command = argv[0] if argv and argv[0] in commands else None
    parser, action = commands.get(command, (_run_parser, run))
    args = parser(help_language(argv)).parse_args(argv[1:] if command else argv)
    previous = _on_sigterm(_terminate)
    try:
        with warnings.catch_warnings():
            if not args.debug:  # numpy's and pandas' notes on their internals say nothing an analyst can act on
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
            return action(args)
    except (ScenarioError, UsageError, OutputError, TimeLimitError, MissingDependency) as err:
        return _invalid(err, err.language or args.lang)
    except InfeasibleError as err:
        return _infeasible(err, err.language or args.lang)
    except KeyboardInterrupt as err:
        _err(t("errors.cli.interrupted", args.lang))
        return 128 + signal.SIGTERM if isinstance(err, Terminated) else 130
    except Exception as err:  # noqa: BLE001 - the one place that turns the unexpected into exit 1
        if args.debug:
            traceback.print_exc()
        lang = getattr(err, "language", None) or args.lang
        hint = "" if args.debug else t("errors.cli.debug_hint", lang)
        text = _one_line(err.in_language(lang) if isinstance(err, FundallocError) else err)
        _err(t("errors.cli.solver_failed", lang, text=text, hint=hint) if isinstance(err, SolverError)
             else t("errors.cli.unexpected", lang, kind=type(err).__name__, text=text, hint=hint))
        return UNEXPECTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM (what `timeout`, systemd and job schedulers send): the run unwinds as on Ctrl-C, so worker
    processes are stopped and no half set of outputs is left."""


def _terminate(signum, frame):
    raise Terminated()


def _on_sigterm(handler):
    """Install ``handler`` for SIGTERM; returns the one it replaces (None when this is not the main thread,
    which alone can)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.signal(signal.SIGTERM, handler)
    return previous if previous is not None else signal.SIG_DFL


def _err(text: str) -> None:
    _close_progress_bars()
    print(text, file=sys.stderr)


def _close_progress_bars() -> None:
    """Clear the progress bars an error interrupted, so that the message starts on a line of its own."""
    try:
        from tqdm import tqdm
    except ImportError:
        return
    for bar in list(getattr(tqdm, "_instances", ())):
        bar.close()


def _one_line(err: BaseException | str) -> str:
    text = re.sub(r"\s*For further information visit \S+", "", str(err))  # pydantic's documentation links
    return " ".join(text.split()) or type(err).__name__


def _invalid(err: FundallocError, lang: str | None) -> int:
    problems = err.sentences(lang) if isinstance(err, ScenarioError) else [err.in_language(lang)]
    if len(problems) == 1:
        _err(t("errors.cli.one", lang, problem=problems[0]))
    else:
        _err(t("errors.cli.many", lang, n=len(problems)))
        for p in problems:
            _err(t("errors.cli.item", lang, problem=p))
    return INVALID


def _infeasible(err: InfeasibleError, lang: str | None) -> int:
    """An infeasibility outside the runs themselves (each run's is kept with its diagnosis, see ``solve_runs``)."""
    _err(t("errors.cli.one", lang, problem=err.in_language(lang)))
    _err(t("errors.cli.no_files", lang))
    return INFEASIBLE


# --------------------------------------------------------------------------------------------- loading


def load(path: str, *, variant: str | None = None, changes: dict | None = None, strict: bool = False,
         shown: set | None = None, lang: str | None = None):
    """The scenario (with a variant, changes and ``lang`` applied); policy warnings go to stderr, each once, in
    the scenario's language."""
    from .loader import PolicyWarning, load_scenario

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sc = load_scenario(path, variant=variant, changes=changes or None, strict=strict, lang=lang)
    shown = set() if shown is None else shown
    for w in caught:
        if issubclass(w.category, PolicyWarning):
            text = w.message.in_language(sc.language)
            if text not in shown:
                shown.add(text)
                _err(t("cli.warning.variant", sc.language, text=text, variant=variant) if variant
                     else t("cli.warning", sc.language, text=text))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return sc


def load_runs(args) -> dict[str, object]:
    """The scenarios to solve: the base, then each variant asked for (or, by default, every one defined)."""
    changes = parse_changes(args.changes)
    shown: set = set()
    base = load(args.scenario, changes=changes, strict=args.strict, shown=shown, lang=args.lang)
    args.lang = base.language  # what is printed from here on, errors included, is in the scenario's language
    names = [] if args.no_variants else (list(dict.fromkeys(args.variant)) or list(base.variants))
    runs = {BASE: base}
    for name in names:
        runs[name] = load(args.scenario, variant=name, changes=changes, strict=args.strict, shown=shown,
                          lang=args.lang)
    return runs


# --------------------------------------------------------------------------------------------- validate


def validate(args) -> int:
    sc = load(args.scenario, changes=parse_changes(args.changes), strict=args.strict, lang=args.lang)
    lang = sc.language
    parts = [t("cli.valid.counties", lang, n=len(sc.units)), t("cli.valid.measures", lang, n=len(sc.measures)),
             t("cli.valid.rules", lang, n=len(sc.rules))]
    if sc.variants:
        parts.append(t("cli.valid.variants", lang, names=", ".join(sc.variants)))
    parts += [t(f"cli.valid.{s}", lang) for s in ("sensitivity", "baseline") if getattr(sc, s) is not None]
    print(t("cli.valid", lang, file=args.scenario, name=sc.name, parts=t("cli.valid.sep", lang).join(parts)))
    return OK


# ------------------------------------------------------------------------------------------------ init


def init(args) -> int:
    """Write the starter scenario and units template into a new or empty folder."""
    from importlib.util import find_spec

    from .starter import WORKBOOK, write_starter

    folder, lang = Path(args.dir), args.lang
    if folder.exists() and not folder.is_dir():
        raise UsageError(t("init.not_folder", lang, folder=folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(t("init.not_empty", lang, folder=folder))
    excel = find_spec("openpyxl") is not None
    written = {p.name for p in write_starter(folder, excel=excel)}
    scenario = folder / "scenario.yaml"
    lines = [t("init.wrote", lang, folder=f"{folder}{os.sep}"),
             f"  scenario.yaml  {t('init.scenario', lang)}",
             f"  units.csv      {t('init.units', lang)}",
             f"  {WORKBOOK}     {t('init.workbook', lang)}" if WORKBOOK in written else f"  {t('init.no_workbook', lang)}",
             "", t("init.next", lang),
             f"  python -m fundalloc validate {scenario}", f"  python -m fundalloc {scenario}"]
    print("\n".join(lines))
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
    if args.excel:
        from .workbook import check_fits
        for sc in runs.values():
            check_fits(sc)
    target = output_folder(args.out, base_sc)
    progress = False if args.quiet else None  # None: bars for runs big enough to take seconds
    with speaking(base_sc.language):
        check_target(target, list(runs.values()))
        with outputs.reserved(target):  # held from before the solves: a second run on this folder stops at once
            results, failed = solve_runs(runs, args.backend, progress)
            extras = extras_for(args, base_sc, results)
            outputs.publish(target, lambda folder: write_outputs(folder, results, extras, excel=args.excel,
                                                                 failed=failed))
    for diagnosis in failed.values():
        _err(t("errors.cli.one", diagnosis.scenario.language, problem="\n".join(diagnosis.diagnosis())))
    if args.quiet:
        print(target)
    else:
        print_summary(results, extras, target, failed)
    return INFEASIBLE if failed else OK


def solve_runs(runs: dict, backend: str | None, progress: bool | None = None) -> tuple[dict, dict]:
    """Solve every run: ``(results, failed)``, run name → Result, and run name →
    :class:`~fundalloc.infeasible.InfeasibleRun` for each run no allocation satisfies (its diagnosis is kept,
    and the other runs go on). ``progress``: see :func:`fundalloc.solve.solve`."""
    from .infeasible import InfeasibleRun
    from .solve import solve

    results, failed = {}, {}
    for name, sc in runs.items():
        variant = None if name == BASE else name
        try:
            results[name] = solve(sc, backend=backend, variant=variant, progress=progress)
        except InfeasibleError as err:
            failed[name] = InfeasibleRun(sc, err, variant=variant)
    return results, failed


def extras_for(args, sc, results: dict) -> Extras:
    from .baseline import compare


    extras = Extras()
    if args.changes:
        extras.notes.append(t("cli.note.changed", sc.language, changes=", ".join(args.changes)))
    if BASE not in results:  # nothing to compare with, nothing to be sensitive around
        extras.notes.append(t("runs.base_infeasible", sc.language))
        return extras
    extras.sensitivity = sensitivity_for(args, sc, results[BASE], extras.notes)
    extras.baseline = results[BASE].factor_baseline  # computed once: the 分配表 shows it too
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
        notes.append(t("cli.note.no_section", sc.language))
        return None
    try:
        from .sensitivity import run_sensitivity
    except ImportError as err:  # not in this installation (a missing dependency inside it is an error)
        if err.name != "fundalloc.sensitivity":
            raise
        notes.append(t("cli.note.no_module", sc.language))
        return None
    # a bar only where a person watches: in a log file its redraws are clutter
    return run_sensitivity(sc, result, progress=not args.quiet and sys.stderr.isatty())


# ----------------------------------------------------------------------------------------------- output


def output_folder(given: str | None, sc) -> Path:
    """``--out``, or ``fundalloc-out/<scenario name>/``."""
    if given:
        return Path(given)
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", sc.name).strip("._") or "scenario"
    return Path("fundalloc-out") / name


def check_target(target: Path, scenarios: list) -> None:
    """Refuse, before solving, an output folder that would overwrite an input, or that cannot take a result set
    (:func:`fundalloc.outputs.check`: a file, other files, files added to an earlier set, no permission)."""
    where = target.resolve()
    for sc in scenarios:
        for f in [sc.source, *sc.inputs]:
            if f and (where == Path(f).resolve() or where in Path(f).resolve().parents):
                raise UsageError(msg("errors.cli.out_holds_input", target=target, input=f))
    cwd = Path.cwd().resolve()
    if where == cwd or where in cwd.parents:
        raise UsageError(msg("errors.cli.out_is_cwd", target=target))
    try:
        outputs.check(target)
    except OutputError as err:
        raise OutputError(msg("errors.cli.out", message=err.message), language=err.language) from None


def write_outputs(folder: Path, results: dict, extras: Extras, *, excel: bool, failed: dict | None = None) -> None:
    """The base run's files in ``folder``, each variant's (and the factor formula's) in ``folder/<run>/``,
    the comparison and the sensitivity work beside the base's, and report.html with everything. A run in
    ``failed`` (no allocation) gets its diagnosis where its files would be: infeasible.txt, summary.json."""
    from .report import write_report

    failed = failed or {}
    base = results.get(BASE) or failed[BASE]
    base.write_files(folder, report=False)
    for name, r in all_runs(results, extras).items():
        if name != BASE:
            r.write_files(run_folder(folder, name), excel=excel)
    for name, diagnosis in failed.items():
        if name != BASE:
            diagnosis.write_files(run_folder(folder, name))
    if extras.sensitivity is not None:
        extras.sensitivity.write(folder)
    if extras.comparison is not None:
        extras.comparison.write(folder)
    write_report(base, folder / "report.html", sections=report_sections(results, extras, failed),
                 notes=report_notes(results, extras))
    if excel and BASE in results:
        write_workbook(folder, base, extras)


def run_folder(folder: Path, name: str) -> Path:
    """``folder/name``, made: only ever a new folder directly inside ``folder`` (names are checked when the
    scenario is loaded; this is the last line of defence against a name that is a path)."""
    from .validation import folder_name_problem

    problem = folder_name_problem(name)
    if problem:
        raise UsageError(msg("check.variant.name", name=repr(name), why=problem))
    child = folder / name
    if child.resolve().parent != folder.resolve():
        raise UsageError(msg("errors.cli.not_a_folder_name", name=repr(name)))
    child.mkdir()
    return child


def report_sections(results: dict, extras: Extras, failed: dict | None = None) -> list[tuple[str, Markup]]:
    """The sections appended to the base report: the runs compared (with the factor formula), the runs with no
    allocation, sensitivity. When the base has no allocation: the runs that solved, each in its folder."""
    from .report import table_html
    from .summary import run_table_for_people

    sections = []
    failed = failed or {}
    runs = all_runs(results, extras)
    if BASE in results and len(runs) > 1:
        sections.append(("", extras.comparison.html()))
    elif BASE not in results and runs:
        lang = failed[BASE].scenario.language
        sections.append((t("runs.solved_section", lang),
                         table_html(run_table_for_people(runs, next(iter(runs.values()))))
                         + markup("<p>{}</p>", ", ".join(f"{n}/" for n in runs))))
    variants = {name: d for name, d in failed.items() if name != BASE}
    if variants:
        lang = next(iter(variants.values())).scenario.language
        sections.append((t("runs.infeasible.section", lang),
                         markup("<p>{}</p>", t("runs.infeasible.section_lead", lang))
                         + join(markup("<h3>{}/</h3>{}", name, d.html()) for name, d in variants.items())))
    if extras.sensitivity is not None:
        sections.append(("", extras.sensitivity.html()))
    return sections


def report_notes(results: dict, extras: Extras) -> list[str]:
    """The notes of report.html: the command line's, and where each run's files are."""
    runs = [name for name in all_runs(results, extras) if name != BASE]
    lang = next(iter(results.values())).scenario.language if results else None
    return extras.notes + ([t("report.runs.files", lang, folders=", ".join(f"{n}/" for n in runs))] if runs else [])


def write_workbook(folder: Path, result, extras: Extras) -> None:
    """allocation.xlsx: the base run's 分配表 and the tables an analyst needs beside it (by measure, rule
    prices, sensitivity, the runs compared, 说明)."""
    from .workbook import write_workbook as write
    write(folder / "allocation.xlsx", result, sensitivity=extras.sensitivity, comparison=extras.comparison,
          notes=extras.notes)


# ----------------------------------------------------------------------------------------------- print


def print_summary(results: dict, extras: Extras, target: Path, failed: dict | None = None) -> None:
    """The base run's summary, the runs compared, one line per run with no allocation (its diagnosis went to
    stderr), the notes and where the files are, in the base scenario's language."""
    from .infeasible import DIAGNOSIS_FILE
    from .summary import runs_text

    failed = failed or {}
    base = results.get(BASE) or failed[BASE]
    unit, lang = base.scenario.money_unit, base.scenario.language
    lines = base.summary().splitlines() if BASE in results else [base.title]
    runs = all_runs(results, extras)
    if runs and (BASE not in results or len(runs) > 1):
        heading = (t("summary.runs_compared", lang, unit=unit) if BASE in results
                   else t("runs.solved_section", lang) + t("summary.in_unit", lang, unit=unit))
        lines += [""] + runs_text(runs, results.get(BASE) or next(iter(runs.values())), heading)
    if extras.comparison is not None:
        lines += [""] + [f"  {line}" for line in extras.comparison.headline().splitlines()]
    lines += [""] * bool(failed) + [
        "  " + t("runs.infeasible.line", lang, run=base.scenario.name if name == BASE else name,
                 file=DIAGNOSIS_FILE if name == BASE else os.path.join(name, DIAGNOSIS_FILE)) for name in failed]
    lines += [f"  {t('summary.note', lang, text=n)}" for n in extras.notes]
    if failed:
        lines += ["", t("runs.exit_infeasible", lang, n=len(failed), total=len(results) + len(failed))]
    folders = [f"{name}/" for name in [*runs, *failed] if name != BASE]
    where = f"{target}{os.sep}"
    lines += ["", t("cli.files.more", lang, folder=where, folders=", ".join(folders)) if folders
              else t("cli.files", lang, folder=where)]
    if BASE in results:
        table = base.allocation_table()
        lines += [t("table.where", table.lang, path=target / "allocation_table.csv")]
        lines += [f"  {n}" for n in table.rounding_notes]
    print("\n".join(lines))
