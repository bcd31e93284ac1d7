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
"""
from __future__ import annotations

import pkgutil
import string
from importlib import import_module
from typing import Literal

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
    """The entry ``key`` in ``lang`` (``zh`` or ``en``), its fields filled in."""
    english, chinese = words()[key]
    template = chinese if language(lang) == "zh" else english
    return template.format(**fields) if fields else template


def fields_of(template: str) -> set[str]:
    """The names of a template's fields (``{n}``, ``{value:,.0f}`` → ``n``, ``value``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Language", "fields_of", "language", "t", "words"]
