"""The catalog of words: every sentence, heading and label fundalloc shows a person, in Chinese and English.

One lookup, :func:`t`, over entries kept by area in this package's modules (``report``, ``explain``, ``cli``,
``errors``, …). An entry is ``key: (english, chinese)``, both ``str.format`` templates with the same fields::

    >>> t("common.status.optimal", "zh")
    '最优'
    >>> t("common.money", "en", value="1,200", unit="万元")
    '1,200 万元'

Adding a sentence means adding one entry to the area module it belongs to, in both languages; the test suite
checks that every entry has both and that their fields agree. Machine tables (``allocation.csv``, …) keep their
English column ids and never go through here.

Words needed before the language is known (an error raised while a scenario file is read, a validator inside the
model) are kept as a :class:`Msg`, a key with its fields, and rendered when shown; a field may be a message too::

    >>> found = msg("common.money", value="1,200", unit="万元")
    >>> found.render("zh"), str(found)
    ('1,200万元', '1,200 万元')
    >>> listing(["a", "b", "c"]).render("zh"), either(["a", "b", "c"]).render("en")
    ('a、b、c', 'a, b or c')
"""
from __future__ import annotations

import pkgutil
import string
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[str, ...] = ("zh", "en")
#: the language when neither the scenario, the command line nor the caller names one
DEFAULT_LANGUAGE: Language = "en"

#: the modules of this package hold the entries, one module per area (a new module is found by itself)
AREAS = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)))  # every module of this package

_WORDS: dict[str, tuple[str, str]] | None = None


def words() -> dict[str, tuple[str, str]]:
    """Every entry: key → (english, chinese)."""
    global _WORDS
    if _WORDS is None:
        merged: dict[str, tuple[str, str]] = {}
        for area in AREAS:
            for key, pair in import_module(f".{area}", __name__).WORDS.items():
                if key in merged:
                    raise RuntimeError(f"catalog key {key!r} is defined twice")
                merged[key] = pair
        _WORDS = merged
    return _WORDS


def language(lang: str | None) -> Language:
    """``lang`` checked, or the default language when it is None."""
    if lang is None:
        return DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang  # type: ignore[return-value]


def t(key: str, lang: str | None = None, /, **fields) -> str:
    """The entry ``key`` in ``lang`` (``zh`` or ``en``), its fields filled in (a field that is a :class:`Text`
    is rendered in ``lang`` too). Every entry is a ``str.format`` template: a literal brace is written twice."""
    english, chinese = words()[key]
    template = chinese if language(lang) == "zh" else english
    return template.format(**{name: render(value, lang) if isinstance(value, Text) else value
                              for name, value in fields.items()})


class Text:
    """Words rendered in a language when they are shown; ``str()`` gives the default language."""

    def render(self, lang: str | None = None) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render(None)


@dataclass(frozen=True)
class Msg(Text):
    """A catalog entry and its fields, rendered later (see :func:`msg`)."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.fields)

    __hash__ = None  # type: ignore[assignment]  # the fields may be unhashable


@dataclass(frozen=True)
class Joined(Text):
    """Words joined as a list of the language (``a, b or c`` / ``a、b或c``); the items may be texts."""

    items: tuple
    sep: str = "common.list.sep"  # the entry between two items
    last: str | None = None  # the entry between the last two (default: ``sep``)

    def render(self, lang: str | None = None) -> str:
        shown = [render(item, lang) for item in self.items]
        if len(shown) < 2:
            return "".join(shown)
        return t(self.sep, lang).join(shown[:-1]) + t(self.last or self.sep, lang) + shown[-1]


def msg(key: str, /, **fields) -> Msg:
    """The entry ``key`` with its fields, to be rendered in the reader's language when shown. An unknown key is
    refused at once (not when the message is shown)."""
    if key not in words():
        raise KeyError(f"no catalog entry {key!r}")
    return Msg(key, fields)


def listing(items) -> Joined:
    """Items as a list: ``a, b, c`` / ``a、b、c``."""
    return Joined(tuple(items))


def either(items) -> Joined:
    """Items as alternatives: ``a, b or c`` / ``a、b或c``."""
    return Joined(tuple(items), last="common.list.or")


def render(text: Any, lang: str | None = None) -> str:
    """A :class:`Text` in ``lang``; anything else as ``str()`` gives it."""
    return text.render(lang) if isinstance(text, Text) else str(text)


def fields_of(template: str) -> set[str]:
    """The names of a template's fields (``{n}``, ``{value:,.0f}`` → ``n``, ``value``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Joined", "Language", "Msg", "Text", "either", "fields_of", "language",
           "listing", "msg", "render", "t", "words"]
