"""Read a scenario file (YAML) and its units table into a validated :class:`~fundalloc.scenario.Scenario`.

Every problem is reported with the file and line it comes from (``scenario.yaml:12: `budget.total`: ...``),
all problems of a file together in one :class:`~fundalloc.errors.ScenarioError`.

``extends: other.yaml`` deep-merges this file over another: mappings merge key by key, lists and single
values replace, a key set to ``null`` removes the other file's value, and ``rules`` merge by rule name (a rule
with the name of one in the other file changes only the keys it gives; ``drop: true`` removes it; a rule with
a new name is added).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import types
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .catalog import LANGUAGES, Joined, Msg, Text, listing, msg
from .errors import FundallocError, ScenarioError, Spoken, sentence
from .measures import hours_per_unit, unit_cost_per_unit
from .scenario import Scenario
from .validation import closest, numeric_column, pydantic_problems, row_locations, row_place

__all__ = ["PolicyWarning", "UnitsFile", "load_scenario"]


class PolicyWarning(Spoken, UserWarning):
    """A scenario that is valid but goes against the policy notice (e.g. a subsidy that does not match the
    working hours it pays for). Shown in ``language`` (the scenario's); ``in_language(lang)`` in another."""


class UnitsFile(BaseModel):
    """The units table, read from a file: one row per unit (county), with its id, name and data columns."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    file: str
    """The table's path, relative to the scenario file that names it: `.csv` (UTF-8, UTF-8 with BOM or
    GB18030), `.xlsx` or `.parquet`."""
    encoding: str | None = None
    """With `.csv`: the text encoding, when it is neither UTF-8 nor GB18030 (e.g. `big5`, `latin-1`). By default
    UTF-8 is tried, then GB18030; a file that reads as neither, or whose GB18030 reading holds characters that
    Chinese text does not use (a Big5 or Latin-1 file), is refused naming the encoding it looks like."""
    id: str = "id"
    """The column with the unit ids (read as text: `130723` and `0130723` stay as written)."""
    name: str = "name"
    """The column with the unit names."""
    sheet: str | None = None
    """With `.xlsx`: the sheet to read (default: the first)."""
    region: str | None = None
    """The column that groups units into regions (市), e.g. `city`: the 分配表 and the other tables for people
    get a subtotal per region (every unit needs one)."""


# ------------------------------------------------------------------------------ YAML with line numbers


@dataclass(frozen=True)
class _Place:
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


class _Map(dict):
    """A YAML mapping that remembers where each of its keys is written."""

    def __init__(self, place: _Place):
        super().__init__()
        self.place, self.places = place, {}


class _Seq(list):
    """A YAML list that remembers where each of its items is written."""

    def __init__(self, place: _Place):
        super().__init__()
        self.place, self.places = place, []


#: limits on a scenario file, so that a small file cannot make the loader use unbounded time or memory
MAX_YAML_BYTES = 5_000_000
#: values the file stands for once every alias (``*name``) is expanded (a "billion laughs" file is ~1 KB)
MAX_YAML_VALUES = 200_000
#: how deeply mappings and lists may nest
MAX_YAML_DEPTH = 50
#: how many files a chain of `extends` may hold
MAX_EXTENDS = 20
#: the tags a scenario file may hold (as PyYAML resolves plain values); any other (``!foo``, ``!!python/…``) is refused
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "merge",
                                                  "timestamp", "binary")}


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading `3e2`, `6e4` and `2.9e2` as numbers (YAML 1.1 wants `3.0e+2`; YAML 1.2 and
    every analyst read them as numbers)."""


_Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
                              list("-+0123456789."))


#: `language: zh` at the top of a scenario file, found in its bytes (so that even a file that is not valid YAML
#: is reported in the language it asks for)
_DECLARED_LANGUAGE = re.compile(rb"^language:[ \t]*[\"']?(zh|en)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _read_yaml(path: str, problems: list, inputs: dict, languages: list) -> _Map:
    """One YAML file as a located tree; fatal problems raise, others are added to ``problems``; the file's
    sha256 goes into ``inputs``, the language it declares (``language: zh``) into ``languages``."""
    def fatal(message: Msg, line: int | None = None):
        return ScenarioError([((), message, _Place(path, line))], source=path)

    try:
        if Path(path).stat().st_size > MAX_YAML_BYTES:
            raise fatal(msg("input.yaml.too_large", mb=MAX_YAML_BYTES // 1_000_000))
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError([((), msg("input.no_file"))], source=path) from None
    except IsADirectoryError:
        raise ScenarioError([((), msg("input.yaml.is_folder"))], source=path) from None
    except OSError as err:
        raise fatal(msg("input.cannot_read", why=err.strerror or repr(err))) from None
    inputs[path] = hashlib.sha256(raw).hexdigest()
    declared = _DECLARED_LANGUAGE.search(raw)
    if declared is not None:  # what the file asks for, even if it cannot be read further
        languages.append(declared.group(1).decode())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError([((), msg("input.yaml.not_utf8", byte=f"{raw[err.start]:#04x}", position=err.start))],
                            source=path) from None
    loader = None
    try:
        loader = _Loader(text)  # the reader checks every character here
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = "; ".join(str(x) for x in (err.context, err.problem) if x)
        line = mark.line + 1 if mark else None
        near = [n for n in (err.context_mark, err.problem_mark) if n is not None]
        typed = full_width_line(text, range(min(n.line for n in near) - 1, line + 1)) if near else None
        problem = msg("input.yaml.invalid", what=what)  # PyYAML's words for what it found, as it wrote them
        if typed:  # what a Chinese input method typed is the cause, and it is often a line above the error
            line, problem = typed[0], msg("input.with_hint", message=problem, hint=typed[1])
        raise fatal(problem, line) from None
    except yaml.reader.ReaderError as err:  # a control character or NUL: not text a person wrote
        line = text[:err.position].count("\n") + 1 if isinstance(err.position, int) else None
        raise fatal(msg("input.yaml.control", code=f"{err.character:04X}") if isinstance(err.character, int)
                    else msg("input.yaml.invalid", what=err), line) from None
    except yaml.YAMLError as err:
        raise fatal(msg("input.yaml.invalid", what=" ".join(str(err).split()))) from None
    except RecursionError:
        raise fatal(msg("input.yaml.too_deep", most=MAX_YAML_DEPTH)) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise fatal(msg("input.yaml.empty"))
    if not isinstance(node, yaml.MappingNode):
        raise fatal(msg("input.yaml.not_mapping"), node.start_mark.line + 1)
    _check_shape(node, path)
    return _build(node, path, loader, problems, (), {})


def _check_shape(root, path: str) -> None:
    """Refuse, before anything is built, a tree that nests too deeply, refers to itself, carries a tag that is
    not plain YAML, or expands through aliases to more than :data:`MAX_YAML_VALUES` values."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def fail(node, message):
        raise ScenarioError([((), message, _Place(path, node.start_mark.line + 1))], source=path)

    def size(node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            fail(node, msg("input.yaml.alias_loop"))
        if depth > MAX_YAML_DEPTH:
            fail(node, msg("input.yaml.too_deep_levels", most=MAX_YAML_DEPTH))
        if node.tag not in _PLAIN_TAGS:
            fail(node, msg("input.yaml.tag", tag=node.tag.replace("tag:yaml.org,2002:", "!!")))
        if isinstance(node, yaml.ScalarNode):
            total = 1
        else:
            open_nodes.add(key)
            children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
            total = 1 + sum(size(child, depth + 1) for child in children)
            open_nodes.discard(key)
        if total > MAX_YAML_VALUES:
            fail(node, msg("input.yaml.alias_bomb", most=f"{MAX_YAML_VALUES:,}"))
        sizes[key] = total
        return total

    size(root, 0)


def _build(node, path: str, loader: _Loader, problems: list, loc: tuple, built: dict):
    """The located tree of ``node``; ``built`` maps nodes already built (aliases share one) to their value."""
    if id(node) in built:
        return built[id(node)]
    place = _Place(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, _Place] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key_place = _Place(path, key_node.start_mark.line + 1)
                if key_node.value in seen:
                    problems.append((loc + (key_node.value,), msg("input.yaml.twice", line=seen[key_node.value].line),
                                     key_place))
                seen[key_node.value] = key_place
        try:
            loader.flatten_mapping(node)  # YAML merge keys (`<<: *defaults`)
        except yaml.MarkedYAMLError as err:
            raise ScenarioError([(loc, msg("input.yaml.invalid", what=err.problem), place)], source=path) from None
        out = _Map(place)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((loc, msg("input.yaml.key_not_scalar"), place))
                continue
            key = key_node.value  # the key as written: `130723`, `>=` and `no` stay text
            out[key] = _build(value_node, path, loader, problems, loc + (key,), built)
            out.places[key] = _Place(path, key_node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        out = _Seq(place)
        for i, item in enumerate(node.value):
            out.append(_build(item, path, loader, problems, loc + (str(i),), built))
            out.places.append(_Place(path, item.start_mark.line + 1))
    else:
        try:
            out = loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as err:
            problems.append((loc, msg("input.cannot_read", why=err.problem), place))
            out = None
    built[id(node)] = out
    return out


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _relative(to_file: str, path: str) -> str:
    """``path`` as written in ``to_file``, as a path usable from here."""
    return os.path.normpath(os.path.join(os.path.dirname(to_file), path))


def _read_chain(path: str, problems: list, inputs: dict, languages: list, chain: tuple = ()) -> _Map:
    """The file merged over the files it extends, recursively."""
    doc = _read_yaml(path, problems, inputs, languages)
    if "extends" not in doc:
        for i, rule in enumerate(doc.get("rules") or []):
            if isinstance(rule, dict) and "drop" in rule:
                problems.append((("rules", str(i), "drop"), msg("input.extends.drop_without"), rule.places["drop"]))
        return doc
    parent, where = doc.pop("extends"), doc.places.pop("extends")
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError([(("extends",), msg("input.extends.not_a_file", value=repr(parent)), where)], source=path)
    parent_path = _relative(path, parent)
    trail = chain + (path,)
    if len(trail) > MAX_EXTENDS:
        raise ScenarioError([(("extends",), msg("input.extends.too_long", most=MAX_EXTENDS), where)], source=path)
    if os.path.realpath(parent_path) in {os.path.realpath(p) for p in trail}:
        here = os.path.dirname(trail[0])
        circle = " → ".join(os.path.relpath(p, here) for p in trail + (parent_path,))
        raise ScenarioError([(("extends",), msg("input.extends.circular", circle=circle), where)], source=path)
    if not Path(parent_path).is_file():
        raise ScenarioError([(("extends",), msg("input.no_such_file", path=parent_path), where)], source=path)
    return _merge(_read_chain(parent_path, problems, inputs, languages, trail), doc, (), problems)


def _merge(base, child, loc: tuple, problems: list):
    """``child`` deep-merged over ``base`` (mappings merge, lists and single values replace, null removes)."""
    if loc == ("rules",) and isinstance(child, _Seq):
        return _merge_rules(base if isinstance(base, _Seq) else _Seq(child.place), child, problems)
    if not (isinstance(base, _Map) and isinstance(child, _Map)):
        return child
    out = _Map(child.place)
    for key, value in base.items():
        out[key], out.places[key] = value, base.places[key]
    for key, value in child.items():
        if value is None:
            out.pop(key, None)
            out.places.pop(key, None)
            continue
        out[key] = _merge(base.get(key), value, loc + (key,), problems)
        out.places[key] = child.places[key]
    return out


def _rule_name(rule) -> Any:
    return (rule.get("name") or rule.get("type")) if isinstance(rule, dict) else None


def _merge_rules(base: _Seq, child: _Seq, problems: list) -> _Seq:
    """Rules merged by name: a child rule changes the base rule of its name, or is added."""
    items = list(zip(base, base.places))
    for rule, place in zip(child, child.places):
        name = _rule_name(rule)
        i = next((k for k, (r, _) in enumerate(items) if name is not None and _rule_name(r) == name), None)
        if isinstance(rule, dict) and "drop" in rule:
            if rule["drop"] is not True or set(rule) - {"name", "type", "drop"}:
                problems.append((("rules", str(name), "drop"), msg("input.extends.drop_how"), rule.places["drop"]))
            elif i is None:
                known = [str(_rule_name(r)) for r, _ in items]
                problems.append((("rules", str(name)), msg("input.extends.drop_unknown", name=name,
                                                           hint=closest(str(name), known)), place))
            else:
                del items[i]
            continue
        if i is None:
            items.append((rule, place))
        elif isinstance(rule, dict) and "type" in rule and rule["type"] != items[i][0].get("type"):
            items[i] = (rule, place)  # another type under the same name: a new rule, not a change
        else:
            items[i] = (_merge(items[i][0], rule, ("rules", str(name)), problems), place)
    out = _Seq(child.place)
    for rule, place in items:
        out.append(rule)
        out.places.append(place)
    return out


def _locate(doc: _Map, loc: tuple) -> _Place:
    """Where the deepest existing part of ``loc`` is written (rules found by name, type or index)."""
    node, place = doc, doc.place
    for part in loc:
        if isinstance(node, _Map) and part in node:
            place, node = node.places[part], node[part]
        elif isinstance(node, _Seq):
            i = next((k for k, item in enumerate(node) if isinstance(item, dict) and _rule_name(item) == part), None)
            if i is None:
                i = next((k for k, item in enumerate(node) if not isinstance(item, (dict, list)) and str(item) == part), None)
            if i is None and part.isdigit() and int(part) < len(node):
                i = int(part)
            if i is None:
                break
            place, node = node.places[i], node[i]
        else:
            break
    return place


# --------------------------------------------------------------------------- valid keys, from the models


def _model_of(tp, value) -> type[BaseModel] | None:
    """The pydantic model a value of annotation ``tp`` is read as (a discriminated rule by its `type`)."""
    if get_origin(tp) is Annotated:
        return _model_of(get_args(tp)[0], value)
    if get_origin(tp) in (Union, types.UnionType):
        models = [m for m in (_model_of(a, value) for a in get_args(tp)) if m is not None]
        if len(models) > 1 and isinstance(value, dict):
            models = [m for m in models if "type" in m.model_fields
                      and value.get("type") in get_args(m.model_fields["type"].annotation)]
        return models[0] if len(models) == 1 else None
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _container(tp, value):
    """The ``dict[...]`` or ``list[...]`` branch of ``tp`` that fits ``value``."""
    if get_origin(tp) is Annotated:
        return _container(get_args(tp)[0], value)
    if get_origin(tp) in (Union, types.UnionType):
        return next((c for c in (_container(a, value) for a in get_args(tp)) if c is not None), None)
    want = dict if isinstance(value, dict) else list if isinstance(value, list) else None
    return tp if want is not None and get_origin(tp) is want else None


_LOADER_KEYS = {"source", "inputs", "region"}  # Scenario fields the loader sets, never written at the top of a file


def _field_keys(model: type[BaseModel]) -> dict[str, str]:
    """Key as written → field name."""
    keys = {(f.alias or name): name for name, f in model.model_fields.items()}
    if model is Scenario:
        keys = {k: v for k, v in keys.items() if k not in _LOADER_KEYS} | {"extends": "extends"}
    return keys


def _keys_at(data: dict, loc: tuple) -> list[str] | None:
    """The keys the mapping at ``loc`` may hold, or None when that is not a model's mapping."""
    tp, value = Scenario, data
    for part in loc:
        model = _model_of(tp, value)
        if model is not None:
            name = _field_keys(model).get(part)
            if name not in model.model_fields or not isinstance(value, dict):
                return None
            tp = UnitsFile if (model is Scenario and name == "units") else model.model_fields[name].annotation
            value = value.get(part)
            continue
        container = _container(tp, value)
        if container is None:
            return None
        if get_origin(container) is dict:
            tp, value = get_args(container)[1], value.get(part)
        else:
            tp = get_args(container)[0]
            by_name = [v for v in value if isinstance(v, dict) and _rule_name(v) == part]
            value = by_name[0] if by_name else value[int(part)] if part.isdigit() and int(part) < len(value) else None
    model = _model_of(tp, value)
    return list(_field_keys(model)) if model is not None else None


def _unknown_key(data: dict, loc: tuple) -> Msg:
    """An unknown key explained: the valid key it is closest to (`hint`), or the keys that are valid here."""
    keys = _keys_at(data, loc[:-1]) or []
    hint = closest(loc[-1], keys)
    if hint:
        return msg("check.unknown_key.hint", hint=hint)
    return msg("check.unknown_key.here", keys=listing(keys)) if keys else msg("check.unknown_key.bare")


# ------------------------------------------------------------------------------------- the units table


class _TableError(Exception):
    """A units file that cannot be read, with the `units` key to blame (`file` or `sheet`) and why."""

    def __init__(self, key: str, message: Msg):
        super().__init__(message)
        self.key, self.message = key, message


def _decode_csv(raw: bytes, path: str, encoding: str | None = None) -> str:
    """The text of a CSV file: in ``encoding`` when given, else UTF-8 or GB18030. GB18030 decodes almost any
    bytes, so a file read that way is refused when the text looks like another encoding read wrongly."""
    if encoding is not None:
        try:
            return raw.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise _TableError("encoding", msg("input.csv.unknown_encoding", encoding=encoding)) from None
        except UnicodeDecodeError as err:
            raise _TableError("encoding", msg("input.csv.not_in_encoding", path=path, encoding=encoding,
                                              byte=f"{raw[err.start]:#04x}", position=err.start)) from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _TableError("file", msg("input.csv.utf16", path=path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _misread(text):
        return text
    likely = _likely_encoding(raw)
    what = msg("input.csv.odd_gb18030", path=path, sample=_odd_sample(text)) if text is not None \
        else msg("input.csv.not_utf8_nor_gb18030", path=path)
    guess = msg("input.csv.looks_like", name=likely[0], sample=likely[2]) if likely else ""
    codec = likely[1] if likely else "gb18030" if text is not None else "…"
    either = msg("input.csv.or_gb18030", sample=_odd_sample(text)) \
        if likely and text is not None and not _garbled(text) else ""
    raise _TableError("file", msg("input.csv.encoding", what=what, guess=guess, codec=codec, either=either))


def _odd(ch: str) -> bool:
    """A character that Chinese (GB18030) text of a units table does not hold, but a misread file does: private
    use, half-width katakana, control characters, and Han characters outside GB2312's 6,763 common ones."""
    if ch.isascii():
        return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"
    if unicodedata.category(ch) in ("Co", "Cc", "Cn") or "\uff61" <= ch <= "\uff9f":
        return True
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def _garbled(text: str) -> bool:
    """Text holding characters no text of a person holds: private use, half-width katakana, control."""
    return any(_odd(ch) and (ch.isascii() or unicodedata.category(ch) in ("Co", "Cc", "Cn") or "\uff61" <= ch <= "\uff9f")
               for ch in text)


def _misread(text: str) -> bool:
    """True when GB18030 text looks like another encoding read wrongly: :func:`_garbled`, or more than a quarter
    of its non-ASCII characters outside GB2312 (a rare place-name character such as 浉 is fine)."""
    wide = [ch for ch in text if not ch.isascii()]
    return _garbled(text) or sum(map(_odd, wide)) > 0.25 * len(wide)


def _odd_sample(text: str) -> Text:
    words = [w for w in re.split(r"[,\s]+", text) if any(_odd(ch) for ch in w)]
    return listing(f"“{w[:12]}”" for w in dict.fromkeys(words[:3])) if words else msg("input.csv.unusual")


#: encodings a units table written elsewhere may be in, with the script they write
_OTHER_ENCODINGS = [("Big5", "big5", "input.script.big5"), ("Shift_JIS", "shift_jis", "input.script.japanese"),
                    ("EUC-KR", "euc_kr", "input.script.korean"),
                    ("Latin-1 (Windows-1252)", "cp1252", "input.script.western")]


def _likely_encoding(raw: bytes) -> tuple[str, str, Msg] | None:
    """The encoding among :data:`_OTHER_ENCODINGS` whose reading of ``raw`` is most plausibly text (its non-ASCII
    characters are letters): its name, codec and a sample of that reading; None when none reads."""
    best, best_score = None, 0.9
    for name, codec, script in _OTHER_ENCODINGS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if not ch.isascii()]
        letters = [ch for ch in wide if unicodedata.category(ch).startswith("L") and not "\uff61" <= ch <= "\uff9f"]
        score = len(letters) / len(wide) if wide else 0.0
        if score > best_score:
            sample = [w for w in re.split(r"[,\s]+", text) if not w.isascii()][:3]
            best, best_score = (name, codec, msg("input.csv.sample", script=msg(script), words=listing(sample))), score
    return best


def _record_lines(text: str) -> list[int]:
    """The line each data record of a CSV text starts on (blank lines skipped, as pandas does)."""
    reader, lines, end = csv.reader(io.StringIO(text)), [], 0
    for row in reader:
        start, end = end + 1, reader.line_num
        if len(row) > 1 or (row and row[0].strip()):
            lines.append(start)
    return lines[1:]


def _read_csv(path: str, spec: UnitsFile) -> tuple[pd.DataFrame, list[str]]:
    text = _decode_csv(Path(path).read_bytes(), path, spec.encoding)
    if "\r" in text and "\n" not in text:  # old Mac line endings (Excel for Mac's "CSV"): lines all the same
        text = text.replace("\r", "\n")
    header = next((row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)), [])
    _no_repeated_columns(header, path)
    table = pd.read_csv(io.StringIO(text))
    text_columns = [c for c in dict.fromkeys((spec.id, spec.name)) if c in table.columns]
    if text_columns:  # ids and names exactly as written: leading zeros kept, `NA` is a name
        table[text_columns] = pd.read_csv(io.StringIO(text), usecols=text_columns, dtype=str, keep_default_na=False)
    lines = _record_lines(text)
    if len(lines) != len(table):  # a layout the line count cannot follow: fall back to record numbers
        return table, row_locations(path, "record", range(1, len(table) + 1))
    return table, row_locations(path, "line", lines)


def _read_xlsx(path: str, spec: UnitsFile) -> tuple[pd.DataFrame, list[str]]:
    with pd.ExcelFile(path) as book:
        sheets = [str(s) for s in book.sheet_names]
        if spec.sheet is not None and spec.sheet not in sheets:
            raise _TableError("sheet", msg("input.xlsx.no_sheet", path=path, sheet=spec.sheet,
                                           hint=closest(spec.sheet, sheets), sheets=listing(sheets)))
        sheet = spec.sheet if spec.sheet is not None else sheets[0]
        header = pd.read_excel(book, sheet_name=sheet, header=None, nrows=1)
        _no_repeated_columns(["" if pd.isna(c) else str(c) for c in header.iloc[0]] if len(header) else [],
                             msg("input.xlsx.sheet", path=path, sheet=sheet))
        # ids and names as the cells hold them, before pandas reads "0130723" as a number
        table = pd.read_excel(book, sheet_name=sheet, converters={spec.id: _cell_text, spec.name: _cell_text})
    return table, row_locations(path, "sheet", range(2, len(table) + 2), sheet)


def _no_repeated_columns(header: list[str], where: Text | str) -> None:
    """Refuse a header that names a column twice (pandas would rename the second `x.1` and use the first)."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name.strip() and name in seen:
            raise _TableError("file", msg("input.table.header_twice", where=where, name=name, first=seen[name],
                                          second=i))
        seen.setdefault(name, i)


def _read_parquet(path: str, spec: UnitsFile) -> tuple[pd.DataFrame, list[str]]:
    table = pd.read_parquet(path)
    return table.reset_index(drop=True), row_locations(path, "row", range(1, len(table) + 1))


_READERS = {".csv": _read_csv, ".xlsx": _read_xlsx, ".parquet": _read_parquet}
_NEEDS = {".xlsx": ("openpyxl", "excel"), ".parquet": ("pyarrow", "parquet")}


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if pd.isna(value) else str(value).strip()


def _read_units(spec: UnitsFile, path: str, problems: list) -> pd.DataFrame | None:
    """The units table with columns `id`, `name`, the data columns, `_row` and `_location`; or None."""
    suffix = Path(path).suffix.lower()
    if suffix not in _READERS:
        problems.append((("units", "file"), msg("input.table.format", path=path)))
        return None
    if spec.sheet is not None and suffix != ".xlsx":
        problems.append((("units", "sheet"), msg("input.table.sheet_for_xlsx", path=path, suffix=suffix)))
    if spec.encoding is not None and suffix != ".csv":
        problems.append((("units", "encoding"), msg("input.table.encoding_for_csv", path=path, suffix=suffix)))
    if not Path(path).is_file():
        problems.append((("units", "file"), msg("input.no_such_file", path=path)))
        return None
    try:
        table, locations = _READERS[suffix](path, spec)
    except _TableError as err:
        problems.append((("units", err.key), err.message))
        return None
    except ImportError:
        package, extra = _NEEDS[suffix]
        problems.append((("units", "file"), msg("input.table.needs", path=path, package=package, extra=extra)))
        return None
    except pd.errors.EmptyDataError:
        problems.append((("units", "file"), msg("input.table.empty", path=path)))
        return None
    except Exception as err:  # a file the reader cannot parse: say which, and the reader's words for why
        why = str(err).splitlines()[0] if str(err) else type(err).__name__
        problems.append((("units", "file"), msg("input.table.unreadable", path=path, why=why)))
        return None
    table.columns = [str(c) for c in table.columns]
    repeated = list(dict.fromkeys(table.columns[table.columns.duplicated()]))
    if repeated:  # a .parquet file can hold two columns of one name
        problems.append((("units", "file"), msg("input.table.column_twice", path=path, name=repeated[0])))
        return None
    before = len(problems)
    for key in ("id", "name"):
        column = getattr(spec, key)
        if column not in table.columns:
            columns = [c for c in table.columns if not c.startswith("Unnamed:")]
            separator = next((name for sep, name in (("\t", "tabs"), (";", "semicolons"))
                              if suffix == ".csv" and len(columns) == 1 and sep in columns[0]), None)
            hint = msg(f"input.csv.separated_by.{separator}") if separator else ""
            problems.append((("units", key), msg("input.table.no_key_column", path=path, column=column,
                                                 what=msg(f"input.table.unit_{key}s"), hint=closest(column, columns),
                                                 columns=listing(columns[:30]), separator=hint)))
        elif key != column and key in table.columns:
            problems.append((("units", key), msg("input.table.key_column_twice", path=path, key=key, column=column,
                                                 what=msg(f"input.table.unit_{key}s"))))
    if len(table) == 0:
        problems.append((("units", "file"), msg("input.table.no_rows", path=path)))
    if len(problems) > before:
        return None
    table = table.rename(columns={spec.id: "id", spec.name: "name"}).copy()  # one block per type, not per column
    table = table.assign(id=table["id"].map(_cell_text), name=table["name"].map(_cell_text),
                         _row=np.arange(1, len(table) + 1), _location=locations)
    for i in np.flatnonzero((table["id"] == "").to_numpy())[:5]:
        problems.append((("units", "id"), msg("input.table.empty_id", where=row_place(locations[i]), column=spec.id)))
    repeated = table[table["id"].duplicated(keep=False) & (table["id"] != "")]
    for uid, rows in repeated.groupby("id", sort=False)["_location"]:
        problems.append((("units", "id"), msg("input.table.id_twice", id=uid, rows=listing(map(row_place, rows)))))
    return None if len(problems) > before else table


# ------------------------------------------------------------------------------------------- the loader


class _Shape(Scenario):
    """The scenario's schema without its cross-checks: to report a file's other problems when its units
    table could not be read (the cross-checks need the table)."""

    __init__ = BaseModel.__init__


def load_scenario(path: str | os.PathLike, variant: str | None = None, changes: dict | None = None,
                  strict: bool = False, *, lang: str | None = None) -> Scenario:
    """Read a scenario file and its units table into a validated :class:`~fundalloc.scenario.Scenario`.

    Parameters
    ----------
    path
        The scenario's YAML file. Relative paths inside it (``extends``, ``units.file``) are relative to the
        file they are written in.
    variant
        The name of one of the file's ``variants`` to apply.
    changes
        ``{dotted path: value}`` applied after the variant (the command line's ``--set PATH=VALUE``); text
        values are read as YAML scalars, so ``"54000"`` is a number and ``"1000 元"`` stays money.
    strict
        Turn policy warnings (:class:`PolicyWarning`) into errors.
    lang
        ``"zh"`` or ``"en"``: the scenario's language (its ``language:``) for this reading, the command line's
        ``--lang``. Errors and warnings are in this language, else in the one the file declares (even when
        the file cannot be read as YAML), else in English.

    Returns
    -------
    Scenario
        With ``source`` (``path`` as given) and ``inputs`` (the sha256 of every scenario file in the
        ``extends`` chain and of the units table).

    Raises
    ------
    ScenarioError
        Listing every problem found, each as ``FILE:LINE: `key.path`: message`` (``err.in_language("zh")``
        gives them in Chinese).

    Examples
    --------
    >>> import fundalloc as fa
    >>> sc = fa.load_scenario("examples/minimal/scenario.yaml", changes={"budget.total": "5 亿元"})  # doctest: +SKIP
    >>> sc.source                                                                                   # doctest: +SKIP
    'examples/minimal/scenario.yaml'
    """
    if lang is not None and lang not in LANGUAGES:
        raise ScenarioError([((), msg("errors.unknown_language", lang=repr(lang), known=listing(LANGUAGES)))])
    languages: list[str] = []  # the languages the files declare, the scenario's first
    try:
        return _load(os.fspath(path), variant, changes, strict, lang, languages)
    except FundallocError as err:
        err.language = err.language or lang or next(iter(languages), None)
        raise


def _load(source: str, variant: str | None, changes: dict | None, strict: bool, lang: str | None,
          languages: list) -> Scenario:
    problems: list[tuple] = []  # (loc, message) or (loc, message, place)
    inputs: dict[str, str] = {}
    doc = _read_chain(source, problems, inputs, languages)
    data = _plain(doc)
    if data.get("language") in LANGUAGES:
        languages.insert(0, data["language"])
    if lang is not None:
        data["language"] = lang

    def fail(found):
        located = [_typed_full_width(_rule_by_name(data, p[0]), p[1], p[2] if len(p) > 2 else _locate(doc, p[0]))
                   for p in found]
        files = list(inputs)
        located.sort(key=lambda p: (files.index(p[2].file) if p[2].file in files else len(files), p[2].line or 0))
        raise ScenarioError([(loc, message, str(place)) for loc, message, place in located], source=source)

    for key in _LOADER_KEYS & set(data):
        problems.append(((key,), msg("input.region_at_top") if key == "region" else msg("input.set_by_loader")))
        del data[key]
    data.setdefault("name", Path(source).stem)

    spec = data.pop("units", None)
    units = _units(doc, spec, problems, inputs)
    if units is not None and spec.get("region") is not None:
        data["region"] = spec["region"]
    if problems or units is None:
        try:  # report the rest of the file's shape along with the table's problems
            _Shape(**data, units=pd.DataFrame({"id": [], "name": []}))
        except ValidationError as err:
            problems += _named(data, pydantic_problems(err))
        fail(problems)
    try:
        sc = Scenario(**data, units=units, source=source, inputs=inputs)
    except ScenarioError as err:
        fail(_named(data, err.details))

    for name, variant_changes in sc.variants.items():  # every variant must give a valid scenario
        try:
            sc.with_changes(variant_changes)
        except ScenarioError as err:
            problems += _variant_problems(doc, name, variant_changes, err)
    if problems:
        fail(problems)

    if variant is not None:
        if variant not in sc.variants:
            known = listing(sc.variants) if sc.variants else msg("input.variant.none")
            fail([(("variants",), msg("input.variant.unknown", name=variant, hint=closest(variant, sc.variants),
                                      known=known))])
        sc = sc.with_changes(sc.variants[variant])
    if changes:
        values = {str(k): _scalar(v) for k, v in changes.items()}
        try:
            sc = sc.with_changes(values)
        except ScenarioError as err:
            shown = listing(f"{k}={v}" for k, v in changes.items())
            fail([(loc, msg("input.with_changes", message=message, changes=shown), _Place(source))
                  for loc, message in err.details])

    policy = _wage_problems(sc)
    if policy and strict:
        fail(policy)
    for loc, message in policy:
        warnings.warn(PolicyWarning(_Sentence(loc, message, str(_locate(doc, loc))), language=sc.language), stacklevel=3)
    return sc


@dataclass(frozen=True)
class _Sentence(Text):
    """A problem as a sentence (``FILE:LINE: `key`: message``), rendered in the reader's language."""

    loc: tuple
    message: Text
    place: str

    def render(self, lang: str | None = None) -> str:
        return sentence(self.loc, self.message, self.place, lang)


def _units(doc: _Map, spec, problems: list, inputs: dict) -> pd.DataFrame | None:
    if spec is None:
        problems.append((("units",), msg("input.units.missing")))
        return None
    if not isinstance(spec, dict):
        problems.append((("units",), msg("input.units.not_mapping", value=repr(spec))))
        return None
    try:
        units_file = UnitsFile(**spec)
    except ValidationError as err:
        problems += _named({"units": spec}, [(("units",) + loc, msg) for loc, msg in pydantic_problems(err)])
        return None
    path = _relative(doc["units"].places["file"].file, units_file.file)
    table = _read_units(units_file, path, problems)
    if table is not None:
        inputs[path] = _sha256(path)
    return table


#: punctuation a Chinese input method types in place of YAML's (full-width, 全角) → the half-width character
FULL_WIDTH = {"：": ":", "，": ",", "\u3000": " ", "“": '"', "”": '"', "‘": "'", "’": "'", "［": "[", "］": "]",
              "｛": "{", "｝": "}"}
_TYPED = [  # where full-width punctuation is YAML's syntax, not text: after a key, in a flow list, as indentation
    (re.compile(r"(?:^|[{,])[\s\u3000]*(?:-\s+)?[A-Za-z_][\w.\-]*[ \u3000]*(：)"), "："),
    (re.compile(r"^ *(\u3000)"), "\u3000"),
    (re.compile(r"[\[{][^\]}]*?(，)"), "，"),
    (re.compile(r"(?:^\s*-|:|[\[{,])\s*([“‘［｛])"), None),
    (re.compile(r"([［｛])"), None),
]


def full_width_line(text: str, lines) -> tuple[int, Msg] | None:
    """The first of ``lines`` (1-based) of a YAML text where full-width punctuation stands in for YAML's own, and
    a hint naming it; None when there is none. Quoted text and comments are not looked at.

    >>> line, hint = full_width_line("budget:\\n  total：60000\\n", range(1, 3))
    >>> line, str(hint)[:48], hint.render("zh")[:17]
    (2, 'the full-width `：` on this line must be the half', '这一行的全角`：`应改为半角`:`')
    """
    rows = text.splitlines()
    for n in lines:
        if not 1 <= n <= len(rows):
            continue
        row = _unquoted(rows[n - 1])
        for pattern, shown in _TYPED:
            match = pattern.search(row)
            if match:
                char = shown or match.group(1)
                if char == "\u3000":
                    return n, msg("input.full_width.space")
                return n, msg("input.full_width.char", char=char, half=FULL_WIDTH[char])
    return None


def _unquoted(row: str) -> str:
    """A YAML line with its quoted text blanked out and its comment removed."""
    out, quote = [], None
    for i, ch in enumerate(row):
        if quote:
            out.append(" ")
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
            out.append(" ")
        elif ch == "#" and (i == 0 or row[i - 1] in " \t"):
            break
        else:
            out.append(ch)
    return "".join(out)


def _typed_full_width(loc: tuple, message: Text, place: _Place) -> tuple:
    """A problem whose cause may be full-width punctuation on its line or the next (a value written under its
    key): with the hint, at that line."""
    if place.line is None or not Path(place.file).is_file():
        return loc, message, place
    try:
        text = Path(place.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return loc, message, place
    typed = full_width_line(text, (place.line, place.line + 1))
    if typed is None:
        return loc, message, place
    return loc, msg("input.with_hint", message=message, hint=typed[1]), _Place(place.file, typed[0])


def _rule_by_name(data: dict, loc: tuple) -> tuple:
    """``rules.2.min`` as ``rules.tilt.min``: rules are addressed by name, as in dotted paths."""
    if len(loc) >= 2 and loc[0] == "rules" and loc[1].isdigit():
        rules, i = data.get("rules"), int(loc[1])
        if isinstance(rules, list) and i < len(rules) and _rule_name(rules[i]) is not None:
            return ("rules", str(_rule_name(rules[i]))) + loc[2:]
    return loc


def _named(data: dict, details: list) -> list:
    """Problems with unknown keys explained by the closest valid key (and no second problem for the
    required key that the unknown one misspells)."""
    out, meant = [], set()
    for loc, message in details:
        if _key_of(message) == "check.unknown_key":
            message = _unknown_key(data, loc)
            hint = message.fields.get("hint")
            if hint:
                meant.add(loc[:-1] + (hint.fields["match"],))
        out.append((loc, message))
    return [(loc, message) for loc, message in out if not (_key_of(message) == "check.required" and loc in meant)]


def _key_of(message) -> str | None:
    return message.key if isinstance(message, Msg) else None


def _variant_problems(doc: _Map, name: str, variant_changes: dict, err: ScenarioError) -> list:
    out = []
    for loc, message in err.details:
        path = ".".join(loc)
        where = ("variants", name, path) if path in variant_changes else ("variants", name)
        out.append((loc, msg("input.in_variant", message=message, name=name), _locate(doc, where)))
    return out


def _scalar(value):
    """A value from the command line read as YAML (`54000` a number, `true` a flag, `1000 元` money)."""
    if not isinstance(value, str):
        return value
    try:
        return yaml.load(value, Loader=_Loader)
    except yaml.YAMLError:
        return value


def _wage_problems(sc: Scenario) -> list[tuple[tuple, Msg]]:
    """Measures whose cost per working hour strays from the local hourly wage (补贴标准与工作时间明显不匹配)."""
    out = []
    for name, m in sc.measures.items():
        if m.hours is None or m.hourly_wage is None:
            continue
        per_hour = unit_cost_per_unit(sc, name) * sc.yuan_per_unit / hours_per_unit(sc, name)
        wage = numeric_column(sc.units, m.hourly_wage, (), [])
        off = np.abs(per_hour - wage) > m.wage_tolerance * wage
        if off.any():
            units = sc.units[off]
            listed = [msg("input.wage.unit", id=uid, name=uname, cost=f"{cost:.2f}", wage=f"{w:.2f}")
                      for uid, uname, cost, w in zip(units["id"], units["name"], per_hour[off], wage[off])]
            out.append((("measures", name, "hours"),
                        msg("input.wage.mismatch", tolerance=f"{m.wage_tolerance:.0%}", column=m.hourly_wage,
                            n=int(off.sum()), total=len(off), units=Joined(tuple(listed), sep="input.wage.sep"))))
    return out
