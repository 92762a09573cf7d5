"""The page a company puts on its website: the ``site:`` section, agenda.json and its
schema, embed.html, favicons, Open Graph tags, download names, cancelled sessions."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from asco_cal import agenda
from asco_cal.cli import cli
from asco_cal.loader import load_file
from asco_cal.server import Settings, create_app
from parsers import PYTHON_PARSERS
from support import ROOT, brand

BASE = "https://cal.example.org/asco/"


class Meta(HTMLParser):
    """The <meta>, <link> and <img> tags of a page, and its <html lang>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, dict[str, str]] = {}
        self.images: list[str] = []
        self.lang = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links[a["rel"]] = a
        elif tag == "img":
            self.images.append(a["src"])


def _build(runner: CliRunner, *args: str) -> None:
    result = runner.invoke(cli, ["build", "-o", "site", *args])
    assert result.exit_code == 0, result.output


def test_branded_build_carries_the_look_and_the_tags(runner: CliRunner, workdir: Path) -> None:
    brand(workdir)
    _build(runner, "--base-url", BASE)
    site = workdir / "site"
    html = (site / "index.html").read_text(encoding="utf-8")
    tags = Meta(html)
    assert tags.lang == "en-US"  # the locale's tag (calendar.locale, default en-US)
    assert tags.meta["og:locale"] == "en_US"
    assert tags.meta["og:title"] == "ImmunoGen at ASCO 2011"
    assert tags.meta["og:type"] == "website"
    assert tags.meta["og:url"] == BASE
    assert tags.meta["og:image"] == BASE + "logo.svg"
    assert tags.meta["og:description"].startswith("ImmunoGen's clinical presentations")
    assert tags.meta["twitter:card"] == "summary"
    assert tags.links["icon"] == {"rel": "icon", "href": "logo.svg", "type": "image/svg+xml"}
    assert tags.images == ["logo.svg"]
    assert (site / "logo.svg").read_bytes() == (workdir / "logo.svg").read_bytes()
    assert not (site / "favicon.svg").exists()
    assert "--accent:#7a1f5c" in html
    assert "<strong>ASCO 2011</strong>" in html
    assert '<a href="https://example.org/booth">our booth</a>' in html
    assert '<a href="mailto:ir@example.org">ir@example.org</a>' in html
    assert "<em>For investors and healthcare professionals only.</em>" in html
    assert "Made with asco-cal" not in html  # made_with: false
    page = (site / "add" / "8013" / "index.html").read_text(encoding="utf-8")
    assert Meta(page).meta["og:url"] == BASE + "add/8013/"
    assert "For investors and healthcare professionals only." in page  # on every page
    assert Meta(page).images == ["../../logo.svg"]


def test_an_https_logo_is_linked_and_allowed_by_the_csp(workdir: Path) -> None:
    path = brand(workdir)
    text = path.read_text(encoding="utf-8").replace(
        "logo: logo.svg", "logo: https://cdn.example.org/brand/logo.png"
    )
    path.write_text(text, encoding="utf-8")
    client = TestClient(create_app(path, allowed_hosts=("testserver",)))
    page = client.get("/")
    assert Meta(page.text).images == ["https://cdn.example.org/brand/logo.png"]
    csp = page.headers["content-security-policy"]
    assert "img-src 'self' data: https://cdn.example.org;" in csp
    assert "frame-ancestors https://www.example.org" in csp
    favicon = client.get("/favicon.ico")  # the logo is not a file: a generated icon
    assert favicon.status_code == 200
    assert favicon.headers["content-type"] == "image/svg+xml"
    assert b'fill="#7a1f5c"' in favicon.content and b">I</text>" in favicon.content


def test_favicon_and_logo_are_served(workdir: Path) -> None:
    path = brand(workdir)
    client = TestClient(create_app(path, allowed_hosts=("testserver",)))
    for address in ("/favicon.ico", "/logo.svg"):
        answer = client.get(address)
        assert answer.status_code == 200, address
        assert answer.headers["content-type"] == "image/svg+xml"
        assert answer.content == (workdir / "logo.svg").read_bytes()
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert client.get("/logo.png").status_code == 404


def test_unbranded_site_has_a_generated_favicon_and_no_framing(
    runner: CliRunner, workdir: Path
) -> None:
    _build(runner)
    icon = (workdir / "site" / "favicon.svg").read_bytes()
    assert icon.startswith(b"<svg") and b'fill="#0b57d0"' in icon
    client = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=("testserver",)))
    assert client.get("/favicon.ico").content == icon
    assert "frame-ancestors 'none'" in client.get("/").headers["content-security-policy"]
    assert "Made with asco-cal" in client.get("/").text


@pytest.mark.parametrize("base", [BASE, None])
def test_agenda_json_follows_its_schema(runner: CliRunner, workdir: Path, base: str | None) -> None:
    _build(runner, *(["--base-url", base] if base else []))
    site = workdir / "site"
    schema = json.loads((ROOT / "agenda.schema.json").read_text(encoding="utf-8"))
    assert schema == agenda.schema()  # the committed file is the generated one
    assert json.loads((site / "agenda.schema.json").read_text(encoding="utf-8")) == schema
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads((site / "agenda.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    program = load_file(workdir / "sessions.yaml").program
    assert [s["key"] for s in data["sessions"]] == ["8017-1", "8017-2", "8013", "tps102", "tps116"]
    first = data["sessions"][0]
    assert first["start"] == "2011-06-04T08:00:00-05:00"
    assert first["start_utc"] == "2011-06-04T13:00:00Z"
    assert first["end_utc"] == "2011-06-04T17:00:00Z"
    assert first["room"] == "E450b" and first["status"] == "confirmed"
    assert first["links"]["download"] == "immunogen-at-asco-2011-8017-poster.ics"
    assert first["links"]["google"].startswith("https://calendar.google.com/")
    later = data["sessions"][3]
    assert later["start"] is None and later["links"] == {}
    # Every address of the site it gives is a file of the build (relative to agenda.json).
    for session in data["sessions"]:
        for name in ("page", "ics"):
            if name in session["links"]:
                relative = session["links"][name].removeprefix(base or "")
                assert (site / relative).exists(), relative
    for feed in [data["feeds"]["all"], *data["feeds"]["topics"]]:
        assert (site / feed["ics"].removeprefix(base or "")).is_file()
        assert (feed["subscribe"] is None) == (base is None)
    assert len(data["feeds"]["topics"]) == 7
    assert len(data["sessions"]) == len(program.events)


def test_agenda_json_and_embed_are_served(workdir: Path) -> None:
    brand(workdir)
    client = TestClient(
        create_app(
            workdir / "sessions.yaml",
            settings=Settings(poll_seconds=0.0),
            allowed_hosts=("testserver",),
        ),
        base_url="http://testserver",
    )
    data = client.get("/agenda.json")
    assert data.status_code == 200
    assert data.headers["access-control-allow-origin"] == "*"
    schema = json.loads((ROOT / "agenda.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data.json(), schema)
    assert data.json()["feeds"]["all"]["ics"] == "http://testserver/calendar.ics"
    embed = client.get("/embed.html")
    assert embed.status_code == 200
    assert "frame-ancestors https://www.example.org" in embed.headers["content-security-policy"]
    fragment = embed.text
    assert fragment.startswith('<section class="asco-cal"') and "<script" not in fragment
    # Every rule of its stylesheet is scoped to the fragment.
    css = re.search(r"<style>(.*)</style>", fragment, re.S)
    assert css is not None
    for rule in re.findall(r"(?:^|})\s*([^{}@]+)\{", css.group(1)):
        for selector in rule.split(","):
            assert selector.strip().startswith(".asco-cal"), selector
    assert 'href="http://testserver/add/8017-1/"' in fragment  # absolute: it lives elsewhere


def test_all_parts_of_an_abstract_in_one_download(workdir: Path, runner: CliRunner) -> None:
    client = TestClient(create_app(workdir / "sessions.yaml", allowed_hosts=("testserver",)))
    answer = client.get("/sessions/8017.ics")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        'attachment; filename="immunogen-at-asco-2011-8017.ics"'
    )
    for parse in PYTHON_PARSERS.values():
        assert sorted(e.summary for e in parse(answer.content)) == [
            "SAR3419 poster - Abstract 8017",
            "SAR3419 poster discussion - Abstract 8017",
        ]
    _build(runner)
    assert (workdir / "site" / "sessions" / "8017.ics").read_bytes() == answer.content
    assert client.get("/sessions/8013.ics").headers["content-disposition"] == (
        'attachment; filename="immunogen-at-asco-2011-8013-oral.ics"'
    )


def test_export_names_its_file_like_the_downloads(workdir: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["export"]).exit_code == 0
    assert (workdir / "immunogen-at-asco-2011.ics").is_file()


def test_cancelled_session_is_struck_through_without_add_buttons(workdir: Path) -> None:
    path = workdir / "sessions.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    type: oral\n",
        "    type: oral\n    status: cancelled\n"
        "    description: |-\n      First line.\n      Second line.\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    client = TestClient(create_app(path, allowed_hosts=("testserver",)))
    html = client.get("/").text
    item = re.search(r'<li class="x">(.*?)</li>', html, re.S)
    assert item is not None
    assert "CANCELLED" in item.group(1) and "Add to calendar" not in item.group(1)
    assert "ol.s li.x .t,ol.s li.x time{text-decoration:line-through}" in html
    page = client.get("/add/8013/").text
    assert "This session is cancelled." in page
    assert "Google Calendar" not in page and "?to=" not in page
    assert '<p class="notes">First line.\nSecond line.</p>' in page  # shown with pre-line
    assert ".notes{white-space:pre-line}" in page
    assert (
        "google"
        not in next(s for s in client.get("/agenda.json").json()["sessions"] if s["key"] == "8013")[
            "links"
        ]
    )


def test_serve_help_lists_every_route(runner: CliRunner, workdir: Path) -> None:
    text = runner.invoke(cli, ["serve", "--help"]).output
    app = create_app(workdir / "sessions.yaml", allowed_hosts=("testserver",))
    for route in app.inner.routes:
        path = getattr(route, "path")  # noqa: B009
        shown = path.replace("{key}", "ID").replace("{kind}", "png").rstrip("/")
        if path.startswith("/logo."):
            shown = "/logo.png"
        assert (shown or "/") in text, path
