"""The gettext catalogs: every word the code and the templates mark is translated.

The messages are extracted here from the sources themselves (as `pybabel extract
-F babel.cfg` does), so a new marked string without a translation in every
shipped language fails, whether or not anyone refreshed the template.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from asco_cal import lang
from support import ROOT

LOCALES = ROOT / "src" / "asco_cal" / "locales"
REQUIRED = ("de", "fr", "es", "it", "ja")  # the languages the README promises
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _method_map() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """babel.cfg's sections as extract_from_dir takes them."""
    methods: list[tuple[str, str]] = []
    options: dict[str, dict[str, str]] = {}
    section = None
    for raw in (ROOT / "babel.cfg").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            method, pattern = line[1:-1].split(":", 1)
            section = pattern.strip()
            methods.append((section, method.strip()))
            options[section] = {}
        else:
            key, value = (part.strip() for part in line.split("=", 1))
            assert section is not None
            options[section][key] = value
    return methods, options


def _extracted() -> dict[str | tuple[str, str], tuple[str, ...]]:
    """Each marked message (a plural as its two forms) and the files marking it."""
    methods, options = _method_map()
    found: dict[str | tuple[str, str], tuple[str, ...]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, methods, options_map=options
    ):
        key = message if isinstance(message, str) else (message[0], message[1])
        found[key] = (*found.get(key, ()), filename)
    return found


def _catalog(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "asco_cal.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_every_promised_language_ships() -> None:
    assert set(REQUIRED) <= set(lang.languages())


def test_extraction_finds_the_words_of_code_and_templates() -> None:
    found = _extracted()
    assert "Time to be announced" in found
    assert ("Presenter", "Presenters") in found
    assert any(any(f.endswith(".j2") for f in files) for files in found.values())


def test_template_is_current() -> None:
    """asco_cal.pot holds exactly what the sources mark (refresh: README, adding a language)."""
    with (LOCALES / "asco_cal.pot").open("rb") as handle:
        template = read_po(handle)
    written = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id}
    assert written == set(_extracted())


@pytest.mark.parametrize("language", [name for name in lang.languages() if name != "en"])
def test_catalog_is_complete(language: str) -> None:
    catalog = _catalog(language)
    problems = []
    for key in _extracted():
        message = catalog.get(key if isinstance(key, str) else key[0])
        if message is None:
            problems.append(f"{key!r}: missing")
            continue
        if message.fuzzy:
            problems.append(f"{key!r}: fuzzy")
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or ())
        )
        if len(strings) != catalog.num_plurals and not isinstance(message.id, str):
            problems.append(f"{key!r}: {len(strings)} plural forms, want {catalog.num_plurals}")
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            if not text:
                problems.append(f"{key!r}: not translated")
            elif set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{key!r}: placeholders {PLACEHOLDER.findall(text)} in {text!r}")
    assert not problems, "\n".join(problems)


def test_runtime_reads_each_catalog() -> None:
    """What lang compiles in memory answers with the catalog's words (not the English)."""
    for language in REQUIRED:
        words = lang.translations(lang.parse(language))
        assert (
            words.gettext("Time to be announced")
            == _catalog(language)["Time to be announced"].string
        )
        assert words.gettext("Time to be announced") != "Time to be announced"
