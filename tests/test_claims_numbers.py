"""Numbers, number words, units, qualifiers and durations (unspin.claims.numbers/durations)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.claims.durations import find_durations, format_minutes
from unspin.claims.numbers import find_quantities, interval, lemma, parse_number_words


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("three", 3.0),
        ("twenty-five", 25.0),
        ("two hundred and fifty", 250.0),
        ("a dozen", 12.0),
        ("1.5", 1.5),
        ("1,000", 1000.0),
        ("2, 000", 2000.0),  # detokenised text
        ("three million", 3_000_000.0),
        ("hundreds of", 200.0),
        ("4½", 4.5),
    ],
)
def test_parse_number_words(words: str, value: float) -> None:
    assert parse_number_words(words) == value


def test_parse_number_words_rejects_non_numbers() -> None:
    assert parse_number_words("several") is None


@given(st.integers(min_value=0, max_value=10**9))
def test_numerals_with_thousands_separators_parse_back(n: int) -> None:
    assert parse_number_words(f"{n:,}") == float(n)


def _q(text: str) -> list[tuple[str, float, str | None, str | None, str]]:
    return [
        (text[q.start : q.end], q.value, q.unit, q.counts, q.qualifier)
        for q in find_quantities(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Both sides freed 200 detainees.", ("200 detainees", 200.0, None, "detainee", "exact")),
        (
            "along with a dozen journalists",
            ("a dozen journalists", 12.0, None, "journalist", "exact"),
        ),
        (
            "a multi-billion euro package of credits",
            ("multi-billion euro package", 1e9, "EUR", "money", "more"),
        ),
        ("damage estimated at $1.5 million", ("$1.5 million", 1.5e6, "USD", "money", "exact")),
        (
            "more than 3 billion euros in lost trade",
            ("more than 3 billion euros", 3e9, "EUR", "money", "more"),
        ),
        ("Turnout in the ward was 43 percent.", ("43 percent", 43.0, "percent", None, "exact")),
        (
            "Eight of the councillors voted no.",
            ("Eight of the councillors", 8.0, None, "councillor", "exact"),
        ),
        (
            "the balloon rose about 2, 000 feet",
            ("about 2, 000 feet", 2000.0, "foot", "distance", "about"),
        ),
        ("the 41-year-old ferry captain", ("41-year-old", 41.0, "year", "age", "exact")),
        ("Ilse Marten, 32, said", ("32", 32.0, "year", "age", "exact")),
        (
            "More than 40 delegates attended",
            ("More than 40 delegates", 40.0, None, "delegate", "more"),
        ),
        (
            "hundreds of harbour workers",
            ("hundreds of harbour workers", 200.0, None, "worker", "more"),
        ),
    ],
)
def test_quantities(text: str, expected: tuple[str, float, str | None, str | None, str]) -> None:
    assert expected in _q(text)


@pytest.mark.parametrize(
    "text",
    [
        "It opened in 2008 and closed on May 3, 2013 at 10:30.",
        "He wears No. 1 and played in Week 11.",
        "a fleet of A-320 jets",
    ],
)
def test_years_dates_and_names_are_not_quantities(text: str) -> None:
    assert [v for _, v, _, _, _ in _q(text) if v in (2008, 2013, 3, 10, 1, 11, 320)] == []


@pytest.mark.parametrize(
    ("text", "minutes", "qualifier"),
    [
        ("The talks lasted three hours.", 180.0, "exact"),
        ("The talks lasted 180 minutes.", 180.0, "exact"),
        ("lasted more than three hours", 180.0, "more"),
        ("a 45-minute call", 45.0, "exact"),
        ("a 60-day pause on new tariffs", 86400.0, "exact"),
        ("more than an hour", 60.0, "more"),
        ("nearly three hours", 180.0, "nearly"),
        ("two and a half hours", 150.0, "exact"),
        ("a 90 - day trial period", 129600.0, "exact"),
        ("a weeklong festival", 10080.0, "about"),
    ],
)
def test_durations_in_minutes(text: str, minutes: float, qualifier: str) -> None:
    found = find_durations(text)
    assert [(d.minutes, d.qualifier) for d in found] == [(minutes, qualifier)]


def test_three_hours_equals_180_minutes() -> None:
    (a,) = find_durations("three hours")
    (b,) = find_durations("180 minutes")
    assert a.minutes == b.minutes == 180.0


def test_ago_is_a_date_not_a_duration() -> None:
    assert find_durations("The bridge closed eight days ago.") == []


def test_a_duration_modifier_keeps_its_noun() -> None:
    (d,) = find_durations("a 60-day pause")
    assert d.of == "pause"


@pytest.mark.parametrize(
    ("minutes", "text"), [(180.0, "3 hours"), (45.0, "45 minutes"), (1440.0, "1 day")]
)
def test_format_minutes(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text


@pytest.mark.parametrize(
    ("qualifier", "inside", "outside"),
    [("more", 200.0, 150.0), ("about", 50.0, 70.0), ("less", 10.0, 60.0), ("nearly", 170.0, 181.0)],
)
def test_interval_of_qualified_numbers(qualifier: str, inside: float, outside: float) -> None:
    lo, hi = interval(180.0 if qualifier in ("more", "nearly") else 45.0, qualifier)
    assert lo <= inside <= hi
    assert not lo <= outside <= hi


@pytest.mark.parametrize(
    ("word", "lemma_"),
    [
        ("detainees", "detainee"),
        ("countries", "country"),
        ("people", "people"),
        ("policemen", "policeman"),
        ("boss", "boss"),
    ],
)
def test_lemma(word: str, lemma_: str) -> None:
    assert lemma(word) == lemma_


# Pieces that put numbers, qualifiers, currencies, odd white space and the letters that
# re.IGNORECASE folds (İ, ı, ſ) next to each other.
_PIECES = [
    "more than", "about", "in the vicinity of", "over", "up to", "some", "no", "in", "a",
    "US$", "us$", "$", "€", "e", "5", "2008", "2,000", "1, 500", "3.5", "4½", "½", "three",
    "twenty-five", "hundred", "and", "a dozen", "dozens of", "tens of thousands", "half a",
    "multi-billion", "multi", "billion", "bn", "m", "and a half", "Seven", "SIX", "ſix",
    "sİx", "fıve", "people", "years old", "No.", "A", "x", "_", "-", ",", ".", " ", "  ",
    "\n", "\t", "\u00a0",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.booleans(), max_size=30))
def test_anchored_number_matches_are_exactly_the_regex_matches(
    pieces: list[str], spaces: list[bool]
) -> None:
    from unspin.claims.numbers import _NUMBER, _number_matches

    text = "".join(
        p + (" " if sp else "") for p, sp in zip(pieces, spaces + [True] * 30, strict=False)
    )

    def spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]

    assert spans(_number_matches(text)) == spans(_NUMBER.finditer(text))
