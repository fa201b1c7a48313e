"""Laying out a copy beside its source: every substitution shown once, no text lost."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _web_helpers import COPY_TEXT, SOURCE_TEXT, article
from unspin.provenance.relate import relate
from unspin.web.fragments import mark
from unspin.web.pairs import pair_rows

SWAPS = {
    "rain": "downpour",
    "river": "stream",
    "shelter": "refuge",
    "council": "board",
    "families": "households",
    "homes": "houses",
    "opened": "unlocked",
    "hall": "auditorium",
    "damaged": "harmed",
    "rose": "climbed",
    "town": "township",
    "hours": "periods",
}

SECOND = (
    "Volunteers from the rowing club carried sandbags to the bridge at dawn, and the "
    "council said the town would pay for repairs to damaged homes before the winter."
)


def _spin(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        core = w.strip(".,")
        if core in SWAPS and rng.random() < rate:
            words[i] = w.replace(core, SWAPS[core])
    return " ".join(words)


def _words(segments_by_row: list[list[str]]) -> list[str]:
    return " ".join("".join(row) for row in segments_by_row).split()


def _check(source_text: str, copy_text: str) -> None:
    source = article(source_text, title="source")
    copy = article(copy_text, days=1, title="copy")
    rel = relate(source, copy)
    rows = pair_rows(source, copy, rel)
    subs = [seg for row in rows for seg in row.copy_ if seg.kind == "sub"]
    swapped = [seg for row in rows for seg in row.source if seg.kind == "swapped"]
    assert len(subs) == len(swapped) >= len(rel.substitutions)
    for s in rel.substitutions:
        assert any(seg.text == s.copy and seg.other == s.source for seg in subs), s
    # every word of each text appears, in order, across the rows
    assert _words([[seg.text for seg in row.copy_] for row in rows]) == copy.text.split()
    assert _words([[seg.text for seg in row.source] for row in rows]) == source.text.split()


def test_handmade_spun_copy_is_laid_out_whole() -> None:
    _check(SOURCE_TEXT, COPY_TEXT)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), rate=st.floats(0.2, 1.0))
def test_spun_copies_are_laid_out_whole(seed: int, rate: float) -> None:
    text = SOURCE_TEXT + "\n\n" + SECOND
    _check(text, _spin(text, random.Random(seed), rate))


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [("abcdef", "same")]),
        ([(0, 2, "sub", "x")], [("ab", "sub"), ("cdef", "same")]),
        (
            [(2, 4, "sub", "x"), (3, 5, "sub", "y")],
            [("ab", "same"), ("cd", "sub"), ("e", "sub"), ("f", "same")],
        ),
        ([(4, 99, "spin", None)], [("abcd", "same"), ("ef", "spin")]),
    ],
)
def test_mark_covers_text_exactly(
    spans: list[tuple[int, int, str, str | None]], expected: list[tuple[str, str]]
) -> None:
    assert [(s.text, s.kind) for s in mark("abcdef", spans)] == expected
