"""``asco-cal build``: the static site."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from click.testing import CliRunner

from asco_cal.cli import cli
from parsers import PYTHON_PARSERS

EXPECTED_FILES = [
    "add/8013/index.html",
    "add/8017-1/index.html",
    "add/8017-2/index.html",
    "add/8017/index.html",
    "agenda.json",
    "agenda.schema.json",
    "calendar.ics",
    "days/2011-06-04/index.html",
    "days/2011-06-05/index.html",
    "embed.html",
    "favicon.svg",
    "feeds/compound/imgn901.ics",
    "feeds/compound/sar3419.ics",
    "feeds/date/2011-06-04.ics",
    "feeds/date/2011-06-05.ics",
    "feeds/type/oral.ics",
    "feeds/type/poster-discussion.ics",
    "feeds/type/poster.ics",
    "index.html",
    "sessions/8013.ics",
    "sessions/8017-1.ics",
    "sessions/8017-2.ics",
    "sessions/8017.ics",
]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _build(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_build_writes_every_file(runner: CliRunner, workdir: Path) -> None:
    out = _build(runner, "-o", "site", "--base-url", "https://example.org/asco")
    assert out.splitlines()[-1] == (
        "Built site/: index.html, calendar.ics, agenda.json, embed.html, 4 session files, "
        "7 topic feeds, 2 day pages, 4 add-to-calendar pages."
    )
    assert sorted(_tree(workdir / "site")) == EXPECTED_FILES
    # add/8017/ (8017 is presented twice) leads to each of its sessions' pages.
    parts = (workdir / "site" / "add" / "8017" / "index.html").read_text(encoding="utf-8")
    for n in (1, 2):
        assert f'<a href="../../add/8017-{n}/">Abstract 8017 part {n}: Saturday, June 4' in parts


def test_build_is_byte_identical(runner: CliRunner, workdir: Path) -> None:
    _build(runner, "-o", "a", "--base-url", "https://example.org/asco/")
    _build(runner, "-o", "b", "--base-url", "https://example.org/asco/")
    assert _tree(workdir / "a") == _tree(workdir / "b")


def test_feeds_equal_export_with_the_same_filter(runner: CliRunner, workdir: Path) -> None:
    _build(runner, "-o", "site")
    for path, args in (
        ("calendar.ics", []),
        ("feeds/type/poster.ics", ["--type", "poster"]),
        ("feeds/compound/sar3419.ics", ["--compound", "SAR3419"]),
        ("feeds/date/2011-06-05.ics", ["--date", "2011-06-05"]),
    ):
        exported = runner.invoke(cli, ["export", *args, "-o", "-"]).stdout_bytes
        assert (workdir / "site" / path).read_bytes() == exported, path
    (event,) = PYTHON_PARSERS["ical"]((workdir / "site" / "sessions" / "8013.ics").read_bytes())
    assert event.summary == "IMGN901 oral - Abstract 8013"


def test_page_links_to_every_feed_and_session(runner: CliRunner, workdir: Path) -> None:
    _build(runner, "-o", "site", "--base-url", "https://example.org/asco/")
    html = (workdir / "site" / "index.html").read_text(encoding="utf-8")
    for path in EXPECTED_FILES:
        if path == "sessions/8017.ics":  # both parts, from each part's page
            for key in ("8017-1", "8017-2"):
                page = (workdir / "site" / "add" / key / "index.html").read_text(encoding="utf-8")
                assert 'href="../../sessions/8017.ics"' in page
        elif path.startswith("sessions/"):  # from the session's own page
            key = path.removeprefix("sessions/").removesuffix(".ics")
            assert f'href="add/{key}/"' in html, path
            page = (workdir / "site" / "add" / key / "index.html").read_text(encoding="utf-8")
            assert f'href="../../{path}"' in page, path
        elif path.endswith(".ics"):
            assert f'href="{path}"' in html, path
        elif path == "add/8017/index.html":  # the address typed for 8017: its parts' pages
            assert 'href="add/8017-1/"' in html and 'href="add/8017-2/"' in html
        elif path in ("agenda.json", "agenda.schema.json", "embed.html"):
            continue  # for other sites, not linked from the page
        elif path == "favicon.svg":
            assert '<link rel="icon" href="favicon.svg" type="image/svg+xml">' in html
        else:
            assert f'href="{path.removesuffix("index.html")}"' in html or path == "index.html"
    assert 'href="webcal://example.org/asco/calendar.ics"' in html
    assert 'href="webcal://example.org/asco/feeds/type/poster.ics"' in html
    assert "<form" not in html  # personal feeds need the live server
    assert "<script" not in html


def test_build_without_base_url_warns_once_and_shows_no_developer_text(
    runner: CliRunner, workdir: Path
) -> None:
    out = _build(runner, "-o", "site")
    warned = [line for line in out.splitlines() if "public address" in line]
    assert warned == [
        "Warning: no public address (--base-url or calendar.url): the page links to its files "
        "relatively and offers downloads, but no subscribe buttons or QR code."
    ]
    site = workdir / "site"
    for page in ("index.html", "days/2011-06-04/index.html", "add/8017-1/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "webcal://" not in html
        assert "--base-url" not in html and "<code>" not in html, page  # nothing for developers
        # Every address of the site on the page is relative, and names a file that exists.
        for href in re.findall(r'(?:href|src)="([^"#]+)"', html):
            if href.startswith(("https://", "mailto:")):
                continue
            target = (site / page).parent / href
            assert target.exists(), (page, href)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'download="immunogen-at-asco-2011.ics"' in html


def test_rebuild_removes_stale_feeds_and_keeps_other_files(
    runner: CliRunner, workdir: Path
) -> None:
    _build(runner, "-o", "site")
    (workdir / "site" / "CNAME").write_text("cal.example.org\n", encoding="utf-8")
    sessions = workdir / "sessions.yaml"
    sessions.write_text(
        sessions.read_text(encoding="utf-8").replace("    type: oral\n", "    type: keynote\n"),
        encoding="utf-8",
    )
    out = _build(runner, "-o", "site")
    assert "removed 1 old file" in out.splitlines()[-2] or "removed 1 old file" in out
    tree = _tree(workdir / "site")
    assert "feeds/type/oral.ics" not in tree
    assert "feeds/type/keynote.ics" in tree
    assert "CNAME" in tree


def test_bad_base_url(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(cli, ["build", "--base-url", "example.org"])
    assert result.exit_code == 2
    assert "not a web address: 'example.org' (start it with https://)" in result.stderr


def test_each_day_page_links_every_day_and_back(runner: CliRunner, workdir: Path) -> None:
    import re

    _build(runner, "-o", "site", "--base-url", "https://example.org/asco/")
    site = workdir / "site"
    for day, other in (("2011-06-04", "2011-06-05"), ("2011-06-05", "2011-06-04")):
        html = (site / "days" / day / "index.html").read_text(encoding="utf-8")
        nav = html[html.index('<nav aria-label="Days">') : html.index("</nav>")]
        links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)
        assert links == [
            ("../../", "", "All days"),
            ("../../days/2011-06-04/", ' aria-current="page"' if day == "2011-06-04" else "",
             "Sat, Jun 4"),
            ("../../days/2011-06-05/", ' aria-current="page"' if day == "2011-06-05" else "",
             "Sun, Jun 5"),
            ("#more-feeds", "", "More feeds"),
        ]  # fmt: skip
        assert "<small>(2)</small>" in nav and "<small>(1)</small>" in nav  # sessions a day
        for href, _, _ in links[:-1]:  # every day's link leads to a page of the site
            assert (site / "days" / day / href / "index.html").resolve().is_file(), href
        assert other in nav
    # The whole agenda's links stay within the page.
    index = (site / "index.html").read_text(encoding="utf-8")
    nav = index[index.index('<nav aria-label="Days">') : index.index("</nav>")]
    assert '<a href="#d-2011-06-04">Sat, Jun 4</a> <small>(2)</small>' in nav
