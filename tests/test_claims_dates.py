"""Dates resolved against the publication date and its time zone (unspin.claims.dates)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.claims.dates import DateMention, find_dateline, find_dates

FRIDAY = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)  # Friday 13 March 2026


def _values(text: str, anchor: datetime | date | None) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.value) for d in find_dates(text, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers met on Thursday.", ("Thursday", "2026-03-12")),
        ("They met on Friday morning.", ("Friday morning", "2026-03-13")),
        ("The vote was yesterday.", ("yesterday", "2026-03-12")),
        ("Riots broke out last night.", ("last night", "2026-03-12")),
        ("Prices rose last month.", ("last month", "2026-02")),
        ("It happened eight days ago.", ("eight days ago", "2026-03-05")),
        ("They met last Friday.", ("last Friday", "2026-03-06")),
        ("The talks will resume on Monday.", ("Monday", "2026-03-16")),
        ("The pause ends next Tuesday.", ("next Tuesday", "2026-03-17")),
        ("Sales fell in December.", ("December", "2025-12")),
        ("The ferry ran aground on June 8, then sank.", ("June 8", "2025-06-08")),
        ("It opened in 2008.", ("2008", "2008")),
        ("It was signed on May 3, 2013.", ("May 3, 2013", "2013-05-03")),
        ("It was signed on 3 May 2013.", ("3 May 2013", "2013-05-03")),
        ("A dateline: 10 / 31 / 24 06: 15 PM ET", ("10 / 31 / 24", "2024-10-31")),
        ("published: 2021 - 06 - 09 10: 05", ("2021 - 06 - 09", "2021-06-09")),
    ],
)
def test_resolved_against_publication_date(text: str, expected: tuple[str, str]) -> None:
    assert expected in _values(text, FRIDAY)


def test_the_outlets_time_zone_decides_the_day() -> None:
    # 01:00 on Friday in Tokyo is still Thursday 16:00 in UTC: "yesterday" differs.
    tokyo = datetime(2026, 3, 13, 1, 0, tzinfo=timezone(timedelta(hours=9)))
    as_utc = tokyo.astimezone(UTC)
    assert _values("It rained yesterday.", tokyo) == [("yesterday", "2026-03-12")]
    assert _values("It rained yesterday.", as_utc) == [("yesterday", "2026-03-11")]


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("on Thursday", "weekday:thursday"),
        ("yesterday", "rel:-1d"),
        ("last month", "rel:-1m"),
        ("eight years ago", "rel:-8y"),
        ("on 6 December", "md:12-06"),
        ("in December", "month:12"),
    ],
)
def test_without_a_date_values_stay_symbolic(text: str, symbol: str) -> None:
    assert [v for _, v in _values(text, None)] == [symbol]


def test_weekday_on_the_publication_day_is_that_day() -> None:
    assert _values("The decision came on Friday.", FRIDAY) == [("Friday", "2026-03-13")]


def test_dateline_is_found_in_the_opening_lines() -> None:
    text = "Minister resigns\nMay 03, 2013\nShe resigned on Thursday."
    assert find_dateline(text) == date(2013, 5, 3)
    assert find_dateline("No date here at all.") is None


@pytest.mark.parametrize(
    "text",
    [
        "He may go.",
        "It is a Sunday market.",
        "Crowds march on parliament.",
        "Every Sunday the choir sings.",
    ],
)
def test_words_that_look_like_dates_are_not(text: str) -> None:
    assert _values(text, FRIDAY) == []


_DATE_PIECES = [
    "on", "last", "next", "Thursday", "THURSDAY", "thursday", "Friday morning", "May", "3",
    "May 3, 2013", "3 May", "Sept. 11, 2001", "11/30/09", "2012-04-04", "in December",
    "September 2010", "in 2008", "yesterday", "YESTERDAY", "last night", "eight days ago",
    "two weeks AGO", "this year", "last Week", "the past week", "tonight", "will", "said",
    "\u0130n", "s\u0131x", "\u017fince", "agO", "1999", "20", "-", "/", ".", ",", " ", "\n",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=25), st.booleans())
def test_skipping_patterns_whose_words_are_absent_changes_nothing(
    pieces: list[str], anchored: bool
) -> None:
    from unittest import mock

    from unspin.claims import dates

    text = " ".join(pieces)
    anchor = date(2013, 5, 10) if anchored else None
    every = {kind: (False, ("",)) for kind in dates._NEEDS}  # "" is in every text
    with mock.patch.dict(dates._NEEDS, every):
        unskipped = find_dates(text, anchor)
    assert find_dates(text, anchor) == unskipped


_NEAR_PIECES = [
    *_DATE_PIECES, "of", "the", "3rd", "21st", "May", "Mayor", "Market", "March", "Sept.",
    "Dec", "June", "Monday", "Tuesday's", "SUNDAY", "sunday", "Fridays", "2008", "1999-",
    "2012 - 04 - 4", "20130", "x2008", "mid-", "mid", "during", "since", "Since", "by", "a",
    "until", "early", "evening", "\t", "  ", "\u00a0", "12", "04", "31", "2", ":", "'s",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_NEAR_PIECES), max_size=30),
    st.lists(st.sampled_from(["", " ", "  ", "\n", "-", ","]), max_size=30),
    st.booleans(),
)
def test_patterns_tried_only_near_their_names_find_what_scans_find(
    pieces: list[str], glue: list[str], anchored: bool
) -> None:
    """The patterns built around a month, weekday or year are tried only at the few
    places around each one (dates._matches_near): the same mentions as scanning the
    whole text with every pattern."""
    from unittest import mock

    from unspin.claims import dates

    text = "".join(p + (glue[i] if i < len(glue) else " ") for i, p in enumerate(pieces))
    anchor = date(2013, 5, 10) if anchored else None
    with mock.patch.dict(dates._NEAR_NAMES, clear=True):
        scanned = find_dates(text, anchor)
    assert find_dates(text, anchor) == scanned


@pytest.mark.parametrize("kind", ["mdy", "dmy", "my", "md", "dm", "month", "wd", "iso", "year"])
def test_each_pattern_tried_near_its_names_gives_finditers_matches(kind: str) -> None:
    """Pattern by pattern, on text where matches sit next to each other, lead with white
    space runs and "of", and names stand where no match is."""
    from unspin.claims import dates

    text = (
        "On 3rd  of\tMay 2013 and 4 May, 2012, in  June, Mayor Market March 5 1999 "
        "2012-04-04 2013 - 05 - 06 during 2008 mid- 2009 since\u00a02010, by 1800 early "
        "Tuesday's Jan 7 talks, last  Monday evening, Sunday, Sept. 11, 2001; Dec 25th 2020."
    )
    rx = dict(dates._PATTERNS)[kind]
    names, folded, lead = dates._NEAR_NAMES[kind]
    assert not folded
    near = [m.span() for m in dates._matches_near(rx, text, names(text), lead)]
    assert near == [m.span() for m in rx.finditer(text)]
    assert near, "the text holds matches of every pattern"


_NAME_PIECES = [
    "Jan", "January", "xJan", "_Feb", "3Mar", "May", "Mayday", "Sunday", "sunday", "Sundays",
    "xSunday", "Wednesday", "wednes", "day", "dayday", "Satur", "1999", "19999", "x2008",
    "2008x", "2008_", "20", "08", "1800", "2099", "2100", "\u00e9Jan", "\u0661999", " ",
    "-", "'", ".", "\n",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=20), st.booleans())
def test_name_finders_find_what_their_patterns_match(pieces: list[str], spaced: bool) -> None:
    """Each finder of where month names, weekday names and years stand gives the starts
    of its pattern's matches (the pattern begins with a word boundary; the finder looks
    for the letters and checks the boundaries itself)."""
    from unspin.claims import dates

    text = (" " if spaced else "").join(pieces)
    for finder, rx, folded in (
        (dates.month_names, dates.MONTH_NAME, False),
        (dates.weekday_names, dates.WEEKDAY_NAME, False),
        (dates.weekday_names_folded, dates.WEEKDAY_NAME_FOLDED, True),
        (dates.year_numbers, dates.YEAR_NUMBER, False),
    ):
        scanned = text.lower() if folded else text
        assert finder(scanned) == [m.start() for m in rx.finditer(scanned)], rx.pattern


_CASED_DATES = [
    "Friday, May 10, 2013", "friday, may 10th, 2013", "FRIDAY MAY 10 2013",
    "Friday, 10 May 2013", "friDAY, 10th MAY, 2013", "Tuesday, Sept. 11, 2001",
    "Yesterday", "EARLIER TODAY", "Overnight", "Two Weeks Ago", "a FEW years ago",
    "Last Month", "EARLIER THIS YEAR", "later this Summer", "Next Week",
]  # fmt: skip


def _with_and_without_twins(
    text: str, anchor: date | None
) -> tuple[list[DateMention], list[DateMention]]:
    from unittest import mock

    from unspin.claims import dates

    with mock.patch.dict(dates._FOLDED, clear=True):
        ignoring_case = find_dates(text, anchor)
    return find_dates(text, anchor), ignoring_case


@pytest.mark.parametrize("phrase", _CASED_DATES)
def test_the_folded_twins_find_dates_in_any_case(phrase: str) -> None:
    # The twins read the text lower-cased: the same spans and values as the patterns
    # that ignore case, whatever the case of the words.
    text = f"The talks, said the minister, began {phrase} in the capital."
    twins, ignoring_case = _with_and_without_twins(text, date(2013, 5, 10))
    assert twins == ignoring_case
    assert any(phrase in text[d.start : d.end] or text[d.start : d.end] in phrase for d in twins)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_DATE_PIECES + _CASED_DATES),
            st.sampled_from(["", "lower", "upper", "title"]),
        ),
        max_size=25,
    ),
    st.booleans(),
)
def test_the_folded_twins_of_the_ignore_case_patterns_find_the_same_dates(
    pieces: list[tuple[str, str]], anchored: bool
) -> None:
    text = " ".join(getattr(p, case)() if case else p for p, case in pieces)
    twins, ignoring_case = _with_and_without_twins(text, date(2013, 5, 10) if anchored else None)
    assert twins == ignoring_case


def test_each_pattern_that_ignores_case_has_a_folded_twin() -> None:
    from unspin.claims import dates

    ignoring = {kind for kind, rx in dates._PATTERNS if rx.flags & re.IGNORECASE}
    assert set(dates._FOLDED) == ignoring == {k for k, (ic, _) in dates._NEEDS.items() if ic}
    for kind in ignoring:
        assert not dates._FOLDED[kind].flags & re.IGNORECASE
        assert "(?P<" in dates._FOLDED[kind].pattern
