"""No message for a person is built outside the catalog: every error and warning fundalloc raises carries a
catalog message (``msg(...)``, ``t(...)``) or a problem built from one, never a literal sentence or an f-string,
so that each can be shown in Chinese and in English (issue 10 item 1).

The test reads the source (the AST): in the arguments of a call that raises or records a problem for a person
(an error class, ``problems.append``, ``warnings.warn`` …), a string literal with a space in it, an f-string,
``str(err)`` or a ``%``/``+`` built text is a sentence built outside the catalog. Calls to ``msg``/``t`` are
not looked into (their first argument is a key; their fields are values)."""
from __future__ import annotations

import ast
from pathlib import Path

import fundalloc
from fundalloc.errors import FundallocError

SOURCE = Path(fundalloc.__file__).parent

#: calls whose arguments are a person's words: the error classes, and the ways problems are collected
ERROR_CALLS = {"ValueError", "TypeError", "KeyError", "InvalidValue", "PolicyWarning", "_TableError", "fatal", "fail",
               "UsageError", "MissingDependency", "PathError", "require", "_err"}
COLLECTING = {"append", "extend", "warn"}
#: the names a caught error goes by (``except … as err``): its text is words built elsewhere
CAUGHT = {"err", "error", "exc", "e"}
#: calls that build the words in the reader's language: their arguments are a key and values
CATALOG_CALLS = {"msg", "t", "listing", "either"}
#: (file, line text) of the few raises that speak to a programmer, not to an analyst: an internal invariant, or
#: the catalog itself (an unknown language or key cannot be said in a language)
FOR_PROGRAMMERS = {
    ("catalog/__init__.py", "raise RuntimeError(f\"catalog key {key!r} is defined twice\")"),
    ("catalog/__init__.py", "raise KeyError(f\"no catalog entry {key!r}\")"),
    ("catalog/__init__.py", "raise ValueError(f\"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}\")"),
    ("decomposition/oracle.py", "raise ValueError(\"every column of a block needs a finite upper bound\")"),
    ("rounding.py", "raise RuntimeError(\"a money rule's row is not built from each unit's money (Context.money); \""),
    ("result.py", "raise TypeError(f\"cannot write {type(value).__name__} to JSON\")"),
    ("outputs.py", "raise OSError(code, os.strerror(code), str(b))"),
    ("__init__.py", "raise AttributeError(f\"module 'fundalloc' has no attribute {name!r}\")"),
}


def _error_names() -> set[str]:
    todo, names = [FundallocError], set()
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names | ERROR_CALLS


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _built_outside(node: ast.AST) -> list[ast.AST]:
    """The parts of an argument that are words built here rather than in the catalog."""
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in CATALOG_CALLS:
            return []
        if name == "str" and node.args and _name(node.args[0]) in CAUGHT:
            return [node]  # str(err): the words of another error, in whatever language it had
        return [bad for arg in [*node.args, *(k.value for k in node.keywords)] for bad in _built_outside(arg)]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip():
        return [node]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)) and any(
            isinstance(side, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(side, "value", ""), str)
            for side in (node.left, node.right)):
        return [node]
    return [bad for child in ast.iter_child_nodes(node) for bad in _built_outside(child)]


def offenders() -> list[str]:
    """``file:line: the call`` for each message built outside the catalog."""
    errors, out = _error_names(), []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("catalog/") and relative != "catalog/__init__.py":
            continue  # the catalog itself
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            collecting = name in COLLECTING and _name(getattr(node.func, "value", None) or node.func) in (
                "problems", "warnings", "out", "policy")
            if name not in errors and not collecting:
                continue
            if (relative, lines[node.lineno - 1].strip()) in FOR_PROGRAMMERS:
                continue
            for bad in _built_outside(node):
                out.append(f"{relative}:{bad.lineno}: {lines[bad.lineno - 1].strip()[:100]}")
    return list(dict.fromkeys(out))


def test_no_message_is_built_outside_the_catalog():
    found = offenders()
    assert not found, "messages built outside the catalog (add an entry to fundalloc/catalog/ and use msg(...)):\n" \
        + "\n".join(found)


def test_the_scan_finds_a_sentence_built_outside_the_catalog():
    """The scan itself: an f-string or a sentence in an error or a problem is found, a catalog call is not."""
    source = ("problems.append((loc, f'no column `{c}`'))\n"
              "raise ScenarioError([(('a',), 'give a value')])\n"
              "raise OutputError(msg('errors.output.is_file', target=t))\n"
              "problems.append((('units', str(i)), msg('x', row=str(3))))\n"
              "problems.append((loc, str(err)))\n")
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in ("append", "ScenarioError",
                                                                                       "OutputError")]
    flagged = sorted({b.lineno for c in calls for b in _built_outside(c)})
    assert flagged == [1, 2, 5]


def test_an_error_is_shown_in_its_language_and_keeps_it_across_processes():
    """``str(err)`` is in the error's language (English until one is known); ``speaking`` gives one to the errors
    that have none; an error sent back by a worker process (pickled) keeps its words and language."""
    import pickle

    from fundalloc.catalog import msg
    from fundalloc.errors import Conflict, InfeasibleError, OutputError, ScenarioError, speaking

    err = ScenarioError([(("budget", "total"), msg("check.budget.not_positive", value=-800), "s.yaml:9")])
    assert str(err) == "s.yaml:9: `budget.total`: the budget must be more than 0, not -800"
    assert err.in_language("zh") == "s.yaml:9：`budget.total`：预算必须大于 0，而不是 -800"
    try:
        with speaking("zh"):
            raise err
    except ScenarioError:
        pass
    assert err.language == "zh" and err.problems == [err.in_language("zh")]
    try:
        with speaking("en"):  # a language once given stays
            raise err
    except ScenarioError:
        pass
    assert err.language == "zh"
    infeasible = InfeasibleError(msg("errors.infeasible", name="tiny", why=""),
                                 [Conflict("budget", 323.0, "万元"), Conflict("tilt", None, "persons")], language="zh")
    for sent in (err, infeasible, OutputError(msg("errors.output.root", target="/"), language="zh")):
        back = pickle.loads(pickle.dumps(sent))
        assert type(back) is type(sent) and str(back) == str(sent) and back.language == "zh"
    assert str(infeasible).splitlines() == ["`tiny`：没有任何分配方案能同时满足全部规则", "  - budget：需增加323万元",
                                            "  - tilt：属于冲突的一部分，仅放宽这一条不足以消除冲突"]
