"""Locales: `list` and `links` word for word in en-US, en-GB and de-DE, the file's
``calendar.locale`` against ``--locale``, and .ics text in the locale's words.

The expected outputs in tests/data/locale/ were written by the program and read
line by line against CLDR's formats (``Sonntag, 19. Oktober 2025``, 24-hour
clocks, ``MESZ``) and the catalogs; a change to any of them is a change people
see, so it shows up here as a diff to review.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal import lang, wording
from asco_cal.cli import cli
from asco_cal.loader import load_file
from parsers import PYTHON_PARSERS
from support import DATA, SAMPLE

LOCALE = DATA / "locale"
BERLIN = LOCALE / "sessions.yaml"
LOCALES = ("en-US", "en-GB", "de-DE")
SHORT = ["--format", "html", "--base-url", "https://example.org/esmo-2025/"]


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("locale", LOCALES)
def test_list_exactly(runner: CliRunner, locale: str) -> None:
    got = _run(runner, "list", str(BERLIN), "--locale", locale)
    assert got == (LOCALE / f"list-{locale}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", LOCALES)
def test_links_exactly(runner: CliRunner, locale: str) -> None:
    """The services' own links (their notes in the locale's words) and the short ones."""
    got = _run(runner, "links", str(BERLIN), "--locale", locale)
    assert got == (LOCALE / f"links-{locale}.txt").read_text(encoding="utf-8")
    got = _run(runner, "links", str(BERLIN), "--locale", locale, *SHORT)
    assert got == (LOCALE / f"links-{locale}.html").read_text(encoding="utf-8")


def test_en_us_is_the_default_and_unchanged(runner: CliRunner) -> None:
    """Without a locale, en-US: the same as --locale en-US, in US press-release wording."""
    plain = _run(runner, "list", str(BERLIN))
    assert plain == _run(runner, "list", str(BERLIN), "--locale", "en-US")
    assert "Sunday, October 19, 2025" in plain and "2:00 pm – 2:10 pm CEST" in plain
    sample = _run(runner, "list", str(SAMPLE))
    assert "  8:00 am – 12:00 noon CT    8017" in sample


def test_the_files_locale_is_used_and_the_option_wins(runner: CliRunner, tmp_path: Path) -> None:
    text = BERLIN.read_text(encoding="utf-8").replace(
        "  name: Example Oncology at ESMO 2025\n",
        "  name: Example Oncology at ESMO 2025\n  locale: de_de\n",
    )
    german = tmp_path / "sessions.yaml"
    german.write_text(text, encoding="utf-8")
    assert load_file(german).program.calendar.locale == "de-DE"
    assert _run(runner, "list", str(german)) == (LOCALE / "list-de-DE.txt").read_text("utf-8")
    assert _run(runner, "list", str(german), "--locale", "en-GB") == (
        LOCALE / "list-en-GB.txt"
    ).read_text("utf-8")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Deutsch", "unknown locale 'Deutsch' (did you mean 'de-DE'?)"),
        ("xx-YY", "unknown locale 'xx-YY' (did you mean 'en-US'?)"),
        ("pt-BR", "locale 'pt-BR' is not translated"),
    ],
)
def test_unknown_locale_option(runner: CliRunner, written: str, message: str) -> None:
    result = runner.invoke(cli, ["list", str(BERLIN), "--locale", written])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_ics_text_follows_the_locale(runner: CliRunner, tmp_path: Path) -> None:
    """Summary, notes and reminders in German, read back by every strict parser; the
    times themselves are the same instants."""
    shutil.copy(BERLIN, tmp_path / "sessions.yaml")
    out = {}
    for locale in ("en-US", "de-DE"):
        target = tmp_path / f"{locale}.ics"
        _run(runner, "export", str(tmp_path / "sessions.yaml"), "-o", str(target),
             "--locale", locale, "--state", str(tmp_path / f"{locale}.state.yaml"))  # fmt: skip
        out[locale] = target.read_bytes()
    for parse in PYTHON_PARSERS.values():
        english = {e.uid: e for e in parse(out["en-US"])}
        german = {e.uid: e for e in parse(out["de-DE"])}
        assert english.keys() == german.keys()
        for uid, event in german.items():
            assert event.start == english[uid].start and event.end == english[uid].end
        summaries = sorted(e.summary for e in german.values())
        assert "ABGESAGT: Mini oral - Abstract 987MO" in summaries
    text = out["de-DE"].decode()
    unfolded = text.replace("\r\n ", "")
    assert "Vortragende: A. Muster\\; B. Beispiel" in unfolded
    assert "Postersektion: 7" in unfolded
    assert "EXA-101 poster - Abstract 1234P beginnt in 15 Minuten in Hall 25" in unfolded
    assert "beginnt in 1 Stunde 30 Minuten" in unfolded
    assert "Status: ABGESAGT" in unfolded and "Status: VORLÄUFIG" in unfolded


@pytest.mark.parametrize(
    ("locale", "heading", "span", "note"),
    [
        ("de-DE", "Sonntag, 19. Oktober 2025", "14:00–14:10 MESZ", "Mitteleuropäische Zeit, UTC+2"),
        ("en-GB", "Sunday, 19 October 2025", "14:00–14:10 CEST", "Central European Time, UTC+2"),
        ("fr-FR", "dimanche 19 octobre 2025", "14:00–14:10 CEST", "heure d’Europe centrale, UTC+2"),
        ("es-ES", "domingo, 19 de octubre de 2025", "14:00–14:10 CEST",
         "hora de Europa central, UTC+2"),
        ("it-IT", "domenica 19 ottobre 2025", "14:00–14:10 CEST",
         "Ora dell’Europa centrale, UTC+2"),
        ("ja-JP", "2025年10月19日日曜日", "14:00–14:10 CEST", "中央ヨーロッパ時間（UTC+2）"),
    ],
)  # fmt: skip
def test_days_clocks_and_zones_from_cldr(locale: str, heading: str, span: str, note: str) -> None:
    program = load_file(BERLIN).program.in_locale(lang.parse(locale))
    words = wording.words(program)
    poster = next(e for e in program.events if e.name == "1234P")
    times = wording.local(program, poster)
    assert times is not None
    assert words.day(dt.date(2025, 10, 19)) == heading
    assert words.span(program, poster) == span
    assert words.zone_note("Europe/Berlin", times[0]) == note


def test_zone_note_in_en_us_and_offsets() -> None:
    program = load_file(SAMPLE).program
    times = wording.local(program, program.scheduled[0])
    assert times is not None
    assert wording.words(program).zone_note("America/Chicago", times[0]) == "Central Time, UTC−5"
    half = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert wording.utc_offset(dt.datetime(2025, 1, 1, tzinfo=half)) == "UTC+5:30"
    assert wording.utc_offset(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)) == "UTC"


def test_served_pages_and_their_messages_are_in_the_locale() -> None:
    from starlette.testclient import TestClient

    from asco_cal.server import Settings, create_app

    app = create_app(
        [str(BERLIN)], settings=Settings(poll_seconds=0.0), allowed_hosts=["testserver"],
        locale="de-DE",
    )  # fmt: skip
    client = TestClient(app)
    page = client.get("/").text
    assert '<html lang="de-DE">' in page
    assert '<meta property="og:locale" content="de_DE">' in page
    assert "Zum Kalender hinzufügen" in page and "Add to calendar" not in page
    nothing = client.get("/my")  # submitted with nothing ticked
    assert nothing.status_code == 400
    assert "<h1>Wählen Sie Ihre Sitzungen</h1>" in nothing.text
    assert "Keine Sitzung angekreuzt" in nothing.text and "„Meine Feed-Adresse“" in nothing.text
    missing = client.get("/add/nope/")
    assert missing.status_code == 404 and "Keine solche Sitzung" in missing.text
    service = client.get("/add/" + load_file(BERLIN).program.events[0].key + "/?to=fax")
    assert service.status_code == 400 and "kein Kalenderdienst" in service.text
    assert "Apple Kalender / .ics" in service.text
    unknown = client.get("/?colour=red")
    assert unknown.status_code == 400 and "Kein solcher Filter" in unknown.text
    embed = client.get("/embed.html").text
    assert 'lang="de-DE"' in embed and "Vollständiges Programm" in embed
