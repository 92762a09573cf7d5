"""A deterministic, realistic sessions file with N sessions, for benchmarks and load tests.

    python benchmarks/generate.py 10000 > /tmp/10k.yaml

Each session: an abstract number, a title of 100 to 200 characters with
non-ASCII letters, a compound, a type, a date spread over five days, a time
range, a room (and a board for posters), one to three presenters, a
description with commas, semicolons and line breaks, and two reminders.
A tenth of the abstracts are presented twice (a poster, then its discussion).
"""

from __future__ import annotations

import datetime as dt
import random
import sys

TYPES = ["poster", "oral", "poster discussion", "clinical science symposium", "education session"]
COMPOUNDS = ["SAR3419", "IMGN901", "T-DM1", "IMGN853", "mirvetuximab", "lorvotuzumab"]
WORDS = (  # noqa: SIM905 - easier to read as prose
    "phase randomized study of the anti-CD19 maytansinoid immunoconjugate administered weekly "
    "to patients with relapsed refractory B-cell non-Hodgkin lymphoma efficacy safety "
    "pharmacokinetics biomarker analysis of folate receptor alpha expression in ovarian cancer "
    "Müller Ångström São Paulo Zürich naïve façade coöperative résumé Łódź Dvořák"
).split()
NAMES = ["Dr. Müller", "Dr. Nguyễn", "Prof. García", "Dr. O'Brien", "Dr. Søren", "Dr. Chen",
         "Prof. Dubois", "Dr. Kowalski", "Dr. Øster"]  # fmt: skip


def _title(rng: random.Random, i: int) -> str:
    words = [f"Phase {rng.choice(['I', 'II', 'III', 'I/II'])} study {i}:"]
    target = rng.randrange(100, 200)
    while len(" ".join(words)) < target:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:target].rstrip()


def _description(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randrange(2, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randrange(8, 16))]
        words[rng.randrange(len(words))] += ","
        words[rng.randrange(len(words))] += ";"
        lines.append(" ".join(words) + ".")
    return lines


def _time(rng: random.Random) -> tuple[int, int, int]:
    hour = rng.randrange(7, 18)
    minute = rng.choice([0, 15, 30, 45])
    return hour, minute, rng.choice([15, 30, 45, 60, 90])


def _range(hour: int, minute: int, length: int) -> str:
    end = dt.datetime(2000, 1, 1, hour, minute) + dt.timedelta(minutes=length)
    return f"{hour}:{minute:02d}-{end:%H:%M}"


def generate(n: int, seed: int = 2011) -> str:
    rng = random.Random(seed)
    lines = [
        "calendar:",
        f"  name: Benchmark with {n} sessions",
        "  description: A synthetic program for benchmarks.",
        "conference:",
        "  name: Benchmark Meeting",
        "  id: benchmark",
        "  timezone: America/Chicago",
        "  venue: McCormick Place",
        "  address: 2301 S. Lake Shore Drive, Chicago, IL 60616",
        "  geo: [41.8514, -87.6169]",
        "  start: 2011-06-03",
        "  end: 2011-06-07",
        "sessions:",
    ]
    i = 0
    while i < n:
        day = dt.date(2011, 6, 3) + dt.timedelta(days=rng.randrange(5))
        presenters = ", ".join(f'"{rng.choice(NAMES)}"' for _ in range(rng.randrange(1, 4)))
        lines += [
            f'  - abstract: "{10000 + i}"',
            f'    title: "{_title(rng, i)}"',
            f"    compound: {rng.choice(COMPOUNDS)}",
            f"    date: {day.isoformat()}",
            f"    presenters: [{presenters}]",
            "    reminders: [15m, 1h]",
            "    description: |-",
            *(f"      {line}" for line in _description(rng)),
        ]
        hour, minute, length = _time(rng)
        if i % 10 == 0 and i + 1 < n:  # a poster, then its discussion: two sessions
            lines += [
                "    parts:",
                f"      - {{type: poster, time: {_range(hour, 0, 120)}, room: Hall {i % 40},"
                f" board: '{i}'}}",
                f"      - {{type: poster discussion, time: {_range(hour + 2, 0, 60)},"
                f" room: E{i % 300}}}",
            ]
            i += 2
        else:
            lines += [
                f"    type: {rng.choice(TYPES[1:])}",
                f"    time: {_range(hour, minute, length)}",
                f"    room: Room {i % 500}",
            ]
            i += 1
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
