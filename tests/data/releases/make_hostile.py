"""Writes the large hostile releases (not kept in git) into a folder: 1 MB of text, one 1 MB
line, a page with hundreds of dates and times, deeply nested HTML, a page over the size limit.

    python tests/data/releases/make_hostile.py DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def generate(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sentence = (
        "The company said on Saturday, June 4 that data at 8:00 am CT, abstract #8017, "
        "in room E450b, Poster 3, would be discussed from 12:00 noon-1:00 pm CT. "
    )
    paragraph = (sentence * 6 + "\n\n").encode()
    big = folder / "big-1mb.txt"
    big.write_bytes(
        b"Example Pharma at the ASCO 2011 Annual Meeting in Chicago, June 4-8, 2011\n\n"
        + paragraph * (1_000_000 // len(paragraph))
    )
    line = folder / "one-line-1mb.txt"
    line.write_bytes(
        (
            "Chicago, June 4-8, 2011. " + "Abstract Annual Meeting Congress of the "
            "Example Society 8:00 - 9:00 am CT " * 15_000
        )[:1_000_000].encode()
    )
    dates = folder / "many-dates.html"
    items = []
    for i in range(600):
        month = MONTHS[i % 12]
        day = 1 + i % 28
        items.append(
            f"<li>{WEEKDAYS[i % 7]}, {month} {day}, 2011, {1 + i % 11}:{i % 60:02d} am CT - "
            f"Session {i} (abstract #{1000 + i})</li>"
        )
    dates.write_text(
        "<!DOCTYPE html><html><body><p>The ASCO 2011 Annual Meeting in Chicago, "
        "June 4-8, 2011.</p><ul>" + "\n".join(items) + "</ul></body></html>"
    )
    nested = folder / "nested.html"
    nested.write_text(
        "<html><body>"
        + "<div>" * 20_000
        + "Saturday, June 4, 2011, 8:00 am CT"
        + "</div>" * 20_000
        + "</body></html>"
    )
    over = folder / "over-limit.html"
    over.write_bytes(b"<html><body>" + b"<p>x</p>" * 800_000 + b"</body></html>")
    return [big, line, dates, nested, over]


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1])):
        print(path)
