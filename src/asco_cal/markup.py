"""The small, safe Markdown of the site's texts (``site.intro``, ``footer``, ``disclaimer``,
``contact``): paragraphs, links and emphasis, and nothing else.

* a blank line starts a new paragraph; a single line break is kept (``<br>``);
* ``[text](https://...)`` and ``[text](mailto:...)`` are links: any other address
  (``javascript:``, ``http:``, a relative one) is refused by :func:`check`, with the
  reason;
* ``*emphasis*`` or ``_emphasis_``, and ``**strong**``;
* everything else, HTML included, is text: escaped, never interpreted.

>>> print(render("Read *carefully*.\\n\\nSee [our site](https://example.org/?a=1&b=2)."))
<p>Read <em>carefully</em>.</p>
<p>See <a href="https://example.org/?a=1&amp;b=2">our site</a>.</p>
>>> str(render("<script>alert(1)</script> **x**"))
'<p>&lt;script&gt;alert(1)&lt;/script&gt; <strong>x</strong></p>'
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SCHEMES = ("https://", "mailto:")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")


def check(text: str) -> str | None:
    """Why ``text`` cannot be shown (a link to an address that is not https or mailto),
    or None when it can."""
    for match in _LINK.finditer(text):
        address = match.group(2)
        if not address.lower().startswith(SCHEMES):
            return (
                f"the link [{match.group(1)}]({address}) is not to an https:// or mailto: "
                "address; only those are allowed"
            )
    return None


def _inline(text: str) -> str:
    """One line's text as HTML: escaped, then links and emphasis."""
    out: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        out.append(_emphasis(str(escape(text[last : match.start()]))))
        label, address = match.groups()
        if address.lower().startswith(SCHEMES):
            out.append(f'<a href="{escape(address)}">{_emphasis(str(escape(label)))}</a>')
        else:  # refused by check() when the file is read; shown as text if it gets here
            out.append(str(escape(match.group(0))))
        last = match.end()
    out.append(_emphasis(str(escape(text[last:]))))
    return "".join(out)


def _emphasis(html: str) -> str:
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    return _EM.sub(r"<em>\1</em>", html)


def render(text: str | None) -> Markup:
    """The text as HTML paragraphs (empty for no text)."""
    if not text:
        return Markup("")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = "\n".join(
        "<p>" + "<br>\n".join(_inline(line.strip()) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
    return Markup(html)  # noqa: S704 - every piece of the text was escaped above


def inline(text: str | None) -> Markup:
    """One line of the text as HTML, without a paragraph (the contact line)."""
    if not text:
        return Markup("")
    return Markup("<br>\n".join(_inline(line.strip()) for line in text.strip().splitlines()))  # noqa: S704 - escaped in _inline
