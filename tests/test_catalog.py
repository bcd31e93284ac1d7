"""The catalog of words: every entry in both languages, with the same fields."""
import pytest

from fundalloc.catalog import LANGUAGES, fields_of, language, t, words


def test_every_entry_has_english_and_chinese_with_the_same_fields():
    for key, (english, chinese) in words().items():
        assert english.strip() and chinese.strip(), key
        assert fields_of(english) == fields_of(chinese), key


def test_a_lookup_fills_the_fields_in_the_asked_language():
    assert t("common.money", "zh", value="1,200", unit="万元") == "1,200万元"
    assert t("common.status.optimal", "en") == "optimal"
    assert t("common.status.optimal", "zh") == "最优"


def test_an_unknown_language_is_refused():
    assert set(LANGUAGES) == {"zh", "en"}
    with pytest.raises(ValueError, match="unknown language"):
        language("fr")
