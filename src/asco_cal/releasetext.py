"""A press release's text, whatever it came as: a .txt or .md file, a saved web page, standard
input or an ``https://`` address, as blocks (paragraphs) of lines that remember where each
character stands in the input, so that every value the extractor (:mod:`asco_cal.release`) finds
is cited, and every problem reported, at the release's own line and column.

Plain text: a paragraph is lines between blank lines; lines a mail program or a PDF wrapped are
joined back.  Markdown's emphasis, link and heading marks are read as spaces (so columns stay
right).  HTML (BeautifulSoup with the standard library's parser): scripts, styles and the head
are dropped; each block element (``<p>``, ``<li>``, ``<table>``...) is a paragraph and each
``<br>`` or table row a line; a value is located by finding its words in the page's source.
"""

from __future__ import annotations

import bisect
import codecs
import re
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from asco_cal.errors import AscoCalError, Location

MAX_BYTES = 5 * 1024 * 1024  # a release is a few kB; a saved page with its scripts a few MB
MAX_LINE = 20_000  # characters of one line that are read (a paragraph is a few hundred)
MAX_DEPTH = 400  # elements inside elements: a real page nests a few dozen deep
TIMEOUT_SECONDS = 15
FORMATS = ("txt", "md", "html")


@dataclass
class Line:
    """One logical line: its text and, for each stretch of it, where that stretch starts."""

    text: str
    # (offset in text, 1-based line, 1-based column) at which each stretch starts
    marks: list[tuple[int, int, int]]
    block: int  # the paragraph it belongs to
    item: bool = False  # a list item (-, *, •, ·, 1.)

    def where(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right([m[0] for m in self.marks], offset) - 1
        start, line, column = self.marks[max(i, 0)]
        return line, column + max(offset - start, 0)


@dataclass
class Release:
    name: str  # how messages name it (the path, "-", the address)
    lines: list[Line]
    address: str | None = None  # where it was published, when known (a URL, a "source:" line)
    title: str | None = None  # an HTML page's <title>
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message): what was cut
    _source: str | None = field(default=None, repr=False)  # an HTML page's source, for locating
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def locate(self, line: Line, offset: int, words: str) -> tuple[int, int]:
        """Where ``words`` (found at ``offset`` of ``line``) are in the input."""
        where = line.where(offset)
        if self._source is None or not words.strip():
            return where
        # HTML: find the words in the page's source, from the start of the element (or <br>)
        # the line begins at: the same occurrence as in the line (its tags and the spaces
        # between its words make the source longer than the text, by any amount).
        _, line_no, column = line.marks[0]
        start = self._line_starts[line_no - 1] + column - 1
        # The words at ``offset`` in the line (a cited quote may begin before them).
        words = " ".join(line.text[offset : offset + 40].split()) or words.strip()
        for probe in dict.fromkeys((words[:30], words[:12], words.split()[0])):
            before = _occurrences(line.text, probe, 0, offset)
            at = start - 1
            for _ in range(before + 1):
                at = self._source.find(probe, at + 1, start + 20_000)
                if at < 0:
                    break
            if at >= 0:
                break
        else:
            return where
        number = bisect.bisect_right(self._line_starts, at)
        return number, at - self._line_starts[number - 1] + 1


def _occurrences(text: str, probe: str, lo: int, hi: int) -> int:
    """How many times ``probe`` starts in ``text[lo:hi]`` (overlapping ones too)."""
    count, at = 0, text.find(probe, lo, hi + len(probe) - 1)
    while 0 <= at < hi:
        count += 1
        at = text.find(probe, at + 1, hi + len(probe) - 1)
    return count


def problem(
    name: str, message: str, line: int | None = None, column: int | None = None
) -> AscoCalError:
    return AscoCalError(message, location=Location(name, line, column))


def format_of(name: str, given: str | None) -> str | None:
    """``txt``, ``md``, ``html`` or ``csv`` from ``--format`` or the extension; None: unknown."""
    if given:
        return given
    lower = name.lower().split("?")[0]
    for ext, fmt in (
        (".csv", "csv"),
        (".txt", "txt"),
        (".text", "txt"),
        (".md", "md"),
        (".markdown", "md"),
        (".html", "html"),
        (".htm", "html"),
        (".xhtml", "html"),
    ):
        if lower.endswith(ext):
            return fmt
    return None


# -- bytes in ---------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    context: ssl.SSLContext | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> tuple[bytes, str | None]:
    """The page at an ``https://`` address and its format (from Content-Type), or a clear error."""
    if not url.lower().startswith("https://"):
        raise problem(
            url, "only https:// addresses are fetched (save the page and import the file)"
        )

    class _HttpsOnly(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            if not newurl.lower().startswith("https://"):
                raise urllib.error.URLError(f"redirected to a non-https address {newurl}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(
        _HttpsOnly, urllib.request.HTTPSHandler(context=context or ssl.create_default_context())
    )
    agent = {"User-Agent": "asco-cal (press release import)"}
    request = urllib.request.Request(url, headers=agent)  # noqa: S310 (https only, checked above)
    try:
        with opener.open(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
            kind = (response.headers.get_content_type() or "").lower()
    except urllib.error.HTTPError as exc:
        raise problem(url, f"cannot fetch: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise problem(url, f"cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise problem(url, f"cannot fetch: no answer within {timeout:g} seconds") from None
    except (OSError, ValueError) as exc:
        raise problem(url, f"cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise problem(url, f"larger than {max_bytes // 1024**2} MB; not a press release")
    fmt = {
        "text/html": "html",
        "application/xhtml+xml": "html",
        "text/plain": "txt",
        "text/markdown": "md",
        "text/csv": "csv",
    }.get(kind)
    return data, fmt


def decode(data: bytes, name: str) -> str:
    """The text of a release: UTF-8 (or UTF-16 with its mark, or Windows-1252); never binary."""
    if not data.strip():
        raise problem(name, "the release is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        from asco_cal.importer import decode as decode_text  # UTF-8 (BOM or not), else cp1252

        text = decode_text(data)
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if "\x00" in sample or controls > len(sample) // 50:
        raise problem(name, "not text (a binary file?): give the release as text, .md or .html")
    return text


def read(data: bytes, name: str, fmt: str, address: str | None = None) -> Release:
    """A release's blocks and lines from its bytes, as ``txt``, ``md`` or ``html``."""
    if name == "-":
        name = "standard input"  # how messages and the draft's header name a pasted release
    if len(data) > MAX_BYTES:
        raise problem(name, f"larger than {MAX_BYTES // 1024**2} MB; not a press release")
    text = decode(data, name)
    if fmt == "html":
        return _html(text, name, address)
    return _plain(text, name, address, markdown=fmt == "md")


# -- plain text and Markdown ------------------------------------------------------------------

_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]{1,2000}\)")
_MD_MARKS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ITEM = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\d{1,2}[.)])\s+")
_SOURCE = re.compile(r"^\W{0,3}source:\s*(https?://\S+)", re.IGNORECASE)
_END = re.compile(r"[.!?:;)\]\"”]$")
_LABEL_START = re.compile(r"^\s*[A-Z][\w#&/ .-]{0,40}:(?:\s|$)")


def _blank_markup(line: str) -> str:
    """Markdown marks as spaces of the same width: the words keep their columns."""
    line = _MD_LINK.sub(
        lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1), line
    )
    line = _MD_MARKS.sub(lambda m: " " * len(m.group(0)), line)
    return _MD_HEADING.sub(lambda m: " " * len(m.group(0)), line)


def _plain(text: str, name: str, address: str | None, *, markdown: bool) -> Release:
    release = Release(name, [], address)
    block = 0
    current: Line | None = None
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        source = _SOURCE.match(raw)
        if source:
            release.address = release.address or source.group(1)
            current = None
            block += 1
            continue
        if raw.lstrip().startswith("<!--") or (
            raw.startswith("#") and not markdown and raw[1:2] in (" ", "!")
        ):
            continue  # a comment line of ours ("# retrieved from ...")
        if len(raw) > MAX_LINE:
            release.notes.append(
                (number, f"{len(raw):,} characters long; only the first {MAX_LINE:,} are read")
            )
            raw = raw[:MAX_LINE]
        line = _blank_markup(raw).replace("\t", " ")
        if not line.strip():
            current = None
            block += 1
            continue
        column = len(line) - len(line.lstrip()) + 1
        body = line.strip()
        item = bool(_ITEM.match(line))
        if (
            current is not None
            and not item
            and not _LABEL_START.match(body)
            and (body[0].islower() or (len(current.text) >= 55 and not _END.search(current.text)))
        ):
            if len(current.text) > MAX_LINE:
                continue
            current.marks.append((len(current.text) + 1, number, column))
            current.text += " " + body
            continue
        current = Line(body, [(0, number, column)], block, item)
        release.lines.append(current)
    return release


# -- HTML ---------------------------------------------------------------------------------------

_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "figure",
    "figcaption",
    "address",
    "center",
)
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "head",
    "form",
    "nav",
    "select",
    "button",
)
_MARK = re.compile("\x00([0-9]+)\x00")


def _html(text: str, name: str, address: str | None) -> Release:
    from bs4 import BeautifulSoup  # here: plain text needs no HTML parser

    comment = re.search(r"<!--\s*source:\s*(https?://\S+)", text[:4000])
    _check_depth(text, name)
    soup = BeautifulSoup(text, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_DROP):
        tag.decompose()
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    origins: list[tuple[int, int]] = []

    def mark(tag: object, line: int | None, pos: int | None) -> str:
        origins.append((line or 1, (pos or 0) + 1))
        return f"\x00{len(origins) - 1}\x00"

    for tag in soup.find_all(_BLOCKS):
        tag.insert(0, mark(tag, tag.sourceline, tag.sourcepos) + ("- " if tag.name == "li" else ""))
        tag.append("\x01")  # the end of a block
    for tag in soup.find_all(["tr", "br"]):
        if tag.name == "br":
            tag.replace_with("\n" + mark(tag, tag.sourceline, tag.sourcepos))
        else:
            tag.insert(0, "\n" + mark(tag, tag.sourceline, tag.sourcepos))
    for tag in soup.find_all(["td", "th"]):
        tag.append(" ")
    flat = soup.get_text()
    release = Release(
        name,
        [],
        address or (comment.group(1) if comment else None),
        title,
        _source=text,
        _line_starts=starts,
    )
    block = 0
    origin = (1, 1)
    for chunk in flat.split("\x01"):
        block += 1
        for piece in chunk.split("\n"):
            marks = list(_MARK.finditer(piece))
            if marks:
                origin = origins[int(marks[-1].group(1))]
                piece = _MARK.sub("", piece)
            body = " ".join(piece.split())
            if not body:
                continue
            if len(body) > MAX_LINE:
                release.notes.append(
                    (
                        origin[0],
                        f"a paragraph of {len(body):,} characters; only "
                        f"the first {MAX_LINE:,} are read",
                    )
                )
                body = body[:MAX_LINE]
            item = bool(_ITEM.match(body))
            release.lines.append(Line(body, [(0, origin[0], origin[1])], block, item))
    return release


_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "p",
        "li",
    ]
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")


def _check_depth(text: str, name: str) -> None:
    """Refuse pages nested deeper than :data:`MAX_DEPTH` before parsing them (the parser's time
    grows with the depth)."""
    depth = 0
    for m in _TAG.finditer(text):
        tag = m.group(2).lower()
        if tag in _VOID or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, m.start()) + 1
            raise problem(
                name, f"elements nested more than {MAX_DEPTH} deep: not a press release page", line
            )
        depth = max(depth, 0)
