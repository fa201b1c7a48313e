"""Synthetic article batches for crash and concurrency tests (seeded, no real data),
and the helper that runs ``unspin`` in its own process for them.

Each article is ~150 words of English function words mixed with made-up content
words, so unrelated articles share no shingles (provenance stays fast) while about
one in five is an edited copy of an earlier one (a few words swapped, a sentence
added), which provenance relates, spin learning learns from and stories group.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

_FUNCTION = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "on",
    "for",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "was",
    "were",
    "is",
    "said",
    "has",
    "had",
    "this",
    "which",
    "after",
    "before",
    "over",
    "under",
    "about",
    "their",
    "its",
    "they",
    "but",
    "not",
    "more",
    "than",
]
_SYLLABLES = [
    "ba",
    "be",
    "bo",
    "da",
    "de",
    "do",
    "ka",
    "ke",
    "ko",
    "la",
    "le",
    "lo",
    "ma",
    "me",
    "mo",
    "na",
    "ne",
    "no",
    "ra",
    "re",
    "ro",
    "sa",
    "se",
    "so",
    "ta",
    "te",
    "to",
    "va",
    "ve",
    "vo",
    "tran",
    "brel",
    "cos",
    "mir",
    "fen",
    "gal",
    "hor",
    "pel",
    "quin",
    "stav",
]
_NAMES = ("Ada Moreau", "Ben Okafor", "Cleo Varga", "Dev Lindqvist", "Esme Tanaka")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def _sentence(rng: random.Random) -> str:
    words = [
        rng.choice(_FUNCTION) if rng.random() < 0.4 else _word(rng)
        for _ in range(rng.randint(9, 16))
    ]
    if rng.random() < 0.3:
        words += ["by", str(rng.randint(2, 95)), "percent"]
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.2:
        text = f'"{text[:-1]}," said {rng.choice(_NAMES)}.'
    return text


def articles(n: int, *, seed: int, tag: str = "") -> list[dict[str, str]]:
    """``n`` JSON-ready article records; ``tag`` keeps batches of one seed apart."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    out: list[dict[str, str]] = []
    for i in range(n):
        published = start + timedelta(hours=rng.randint(0, 24 * 40))
        if out and rng.random() < 0.2:
            source = rng.choice(out)
            words = source["text"].split(" ")
            for _ in range(max(2, len(words) // 25)):
                words[rng.randrange(len(words))] = _word(rng)
            text = " ".join(words) + " " + _sentence(rng)
            title = "Copy: " + source["title"]
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(9, 13)))
            title = f"{_word(rng).capitalize()} {_word(rng)} report {tag}{i}"
        out.append(
            {
                "title": title,
                "text": text,
                "url": f"https://outlet{i % 7}.example/{tag}{i}",
                "site": f"Outlet {i % 7}",
                "published": published.isoformat(),
            }
        )
    return out


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    """Write ``records`` as JSON Lines to ``path``; return the path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def start_unspin(db: Path, *args: str) -> subprocess.Popen[str]:
    """``unspin --db DB ARGS`` in its own process (``$UNSPIN_DB`` cleared), pipes open."""
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_DB"}
    return subprocess.Popen(
        [sys.executable, "-m", "unspin", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
