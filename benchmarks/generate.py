"""Write a synthetic sessions file with N abstracts (some in two parts), for benchmarks.

python benchmarks/generate.py 1000 > /tmp/big.yaml
"""

from __future__ import annotations

import datetime as dt
import random
import sys

TYPES = ["poster", "oral", "poster discussion", "clinical science symposium"]
COMPOUNDS = ["SAR3419", "IMGN901", "T-DM1", "IMGN853", None]


def generate(n: int, seed: int = 2011) -> str:
    rng = random.Random(seed)
    lines = [
        "calendar:",
        f"  name: Benchmark with {n} abstracts",
        "conference:",
        "  name: Benchmark Meeting",
        "  timezone: America/Chicago",
        "  venue: McCormick Place",
        "  address: 2301 S. Lake Shore Drive, Chicago, IL 60616",
        "  geo: [41.8514, -87.6169]",
        "  start: 2011-06-03",
        "  end: 2011-06-07",
        "reminders: [15m]",
        "sessions:",
    ]
    for i in range(n):
        day = dt.date(2011, 6, 3) + dt.timedelta(days=rng.randrange(5))
        hour = rng.randrange(7, 18)
        compound = rng.choice(COMPOUNDS)
        lines += [
            f'  - abstract: "{10000 + i}"',
            f"    title: Phase {rng.choice(['I', 'II', 'III'])} study {i} of a targeted "
            "antibody-drug conjugate in patients with relapsed or refractory disease, "
            "with an émigré's comma, semicolon; and ümlauts",
            f"    date: {day.isoformat()}",
        ]
        if compound:
            lines.append(f"    compound: {compound}")
        if i % 5 == 0:
            lines += [
                "    parts:",
                f"      - {{type: poster, time: {hour}:00-{hour + 1}:00, room: Hall {i % 40},"
                f" board: '{i}'}}",
                f"      - {{type: poster discussion, time: {hour + 1}:00-{hour + 1}:30,"
                f" room: E{i % 300}}}",
            ]
        else:
            minute = rng.choice([0, 15, 30, 45])
            lines += [
                f"    type: {rng.choice(TYPES)}",
                f"    time: {hour}:{minute:02d}-{hour}:{minute + 10:02d}",
                f"    room: Room {i}",
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
