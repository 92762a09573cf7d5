"""Locales: what ``locale: de-DE`` (or ``--locale``) may name, and its gettext catalog.

A locale is a BCP 47 tag that Babel's CLDR data knows (dates, clocks, zone
names) and whose language has a catalog under ``locales/<lang>/LC_MESSAGES/``
(the fixed words), or is English (the words as the code writes them).  The
catalogs are the ``.po`` files themselves, compiled in memory by Babel the
first time a locale is used, so a checkout, an editable install and a wheel
all read the same files and no compiled ``.mo`` can go stale.
"""

from __future__ import annotations

import difflib
import functools
import gettext
import io
from importlib import resources

import babel

DEFAULT = "en-US"
DOMAIN = "asco_cal"
# Offered when a locale is not known (and in the schema's examples).
EXAMPLES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "ja-JP")


def _catalog_dir() -> resources.abc.Traversable:
    return resources.files("asco_cal") / "locales"


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages with words: English and each shipped catalog's."""
    shipped = sorted(
        entry.name
        for entry in _catalog_dir().iterdir()
        if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )
    return ("en", *shipped)


def parse(text: str) -> str:
    """A locale as written to its canonical tag (``de_de`` -> ``de-DE``).

    Raises ValueError, naming a locale to use instead, for one Babel does not
    know or whose language has no catalog.
    """
    written = text.strip()
    try:
        found = babel.Locale.parse(written.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        found = None
    if found is not None and found.language in languages():
        return "-".join(p for p in (found.language, found.script, found.territory) if p)
    if found is not None:
        raise ValueError(
            f"locale {written!r} is not translated (languages: {', '.join(languages())}); "
            f"use {_suggest(written)!r} or add a catalog (README: adding a language)"
        )
    raise ValueError(f"unknown locale {written!r} (did you mean {_suggest(written)!r}?)")


def _suggest(written: str) -> str:
    """The shipped locale closest to what was written (en-US when nothing is close)."""
    key = written.casefold().replace("_", "-")
    tags = {tag.casefold(): tag for tag in EXAMPLES}
    by_language = {tag.split("-")[0].casefold(): tag for tag in reversed(EXAMPLES)}
    if key.split("-")[0] in by_language:
        return by_language[key.split("-")[0]]
    for tag in EXAMPLES:  # a language's name, in English or in itself: "German", "Deutsch"
        language = babel.Locale.parse(tag.replace("-", "_"))
        names = {language.get_language_name("en"), language.get_language_name()}
        if key in {str(n).casefold() for n in names if n}:
            return tag
    close = difflib.get_close_matches(key, tags, n=1, cutoff=0.6)
    return tags[close[0]] if close else DEFAULT


@functools.cache
def cldr(locale: str) -> babel.Locale:
    """Babel's CLDR data for a canonical tag."""
    return babel.Locale.parse(locale.replace("-", "_"))


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The locale's words: its language's catalog, or none for English."""
    language = cldr(locale).language
    if language == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # here: English never needs them
    from babel.messages.pofile import read_po

    po = _catalog_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
