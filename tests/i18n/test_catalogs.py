"""The translations under locale/: every string translated, the committed .mo files compiled
from the .po files as they are, placeholders kept, and English whenever a string is missing."""

import gettext

import pytest
from django.conf import settings
from django.utils import translation

from tests.i18n.po import LOCALE, entries, placeholders

TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
CATALOGS = [(code, domain) for code in TRANSLATED for domain in ("django", "djangojs")]


def po_file(code, domain):
    return LOCALE / code / "LC_MESSAGES" / f"{domain}.po"


def test_every_offered_language_but_english_has_its_catalogs():
    assert TRANSLATED == ["hi"]
    for code, domain in CATALOGS:
        assert po_file(code, domain).exists() and po_file(code, domain).with_suffix(".mo").exists()


@pytest.mark.parametrize(("code", "domain"), CATALOGS)
def test_every_msgid_has_a_translation_that_keeps_its_placeholders(code, domain):
    found = [entry for entry in entries(po_file(code, domain)) if not entry.obsolete]
    assert len(found) > (300 if domain == "django" else 50)
    for entry in found:
        expected = 2 if entry.plural is not None else 1
        assert len(entry.translations) == expected, entry.msgid
        assert all(text.strip() for text in entry.translations), entry.msgid
        wanted = placeholders(entry.msgid) | placeholders(entry.plural or "")
        for text in entry.translations:
            assert placeholders(text) <= wanted, entry.msgid
            if entry.plural is None:
                assert placeholders(text) == wanted, entry.msgid
        assert "#, fuzzy" not in po_file(code, domain).read_text(encoding="utf-8")


@pytest.mark.parametrize(("code", "domain"), CATALOGS)
def test_the_committed_mo_is_the_po_compiled(code, domain):
    """`make messages` compiles; a .po edited without compiling fails here."""
    with po_file(code, domain).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    written = {}
    for entry in entries(po_file(code, domain)):
        if entry.obsolete:
            continue
        if entry.plural is None:
            written[entry.key] = entry.translations[0]
        else:
            written.update({(entry.key, index): text for index, text in enumerate(entry.translations)})
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == written


def test_strings_translate_and_a_missing_one_falls_back_to_english():
    with translation.override("hi"):
        assert translation.gettext("Sign in") == "साइन इन करें"
        assert translation.pgettext("seat state", "available") == "उपलब्ध"
        assert translation.ngettext("%(counter)s seat", "%(counter)s seats", 3) == "%(counter)s सीटें"
        assert translation.gettext("A sentence nobody has translated.") == "A sentence nobody has translated."
    with translation.override("en-in"):
        assert translation.gettext("Sign in") == "Sign in"
