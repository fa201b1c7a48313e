"""Plain-text articles as copied from news sites: headline, credit lines, bylines."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from unspin.ingest.clean import classify_line, outlet_credit
from unspin.ingest.dates import date_line, parse_datetime
from unspin.ingest.documents import article_from_text

# An invented report, as a reader would copy it from a page into a text file.
COPIED = """Varga and Mori hold three-hour phone call on trade

By Jane Example

Published March 2, 2026

President Ana Varga and Prime Minister Kenji Mori spoke by phone on Monday, the White House said.

The call lasted greater than three hours, officials said.

Be a part of our weekly e-bulletin

Picture credit score: John Doe

This article was originally published on Example Review."""


def test_a_copied_report_gives_its_headline_outlet_byline_and_date() -> None:
    a = article_from_text(COPIED, "call.txt")
    assert a.title == "Varga and Mori hold three-hour phone call on trade"
    assert a.site == "Example Review"
    assert a.author == "Jane Example"
    assert a.published is not None and a.published.date() == date(2026, 3, 2)
    assert a.text.startswith("President Ana Varga")
    assert "e-bulletin" not in a.text and "credit score" not in a.text
    assert "Example Review" not in a.text


def test_every_removed_line_keeps_its_reason_and_evidence() -> None:
    a = article_from_text(COPIED, "call.txt")
    reasons = {b.text: b.reason for b in a.boilerplate}
    assert reasons["Be a part of our weekly e-bulletin"] == "newsletter, reworded: e-bulletin"
    assert reasons["Picture credit score: John Doe"] == "credit, reworded: picture credit score"
    assert reasons["This article was originally published on Example Review."] == "credit"


def test_a_header_title_wins_over_the_first_line() -> None:
    a = article_from_text("Title: Given title\n\n" + COPIED, "call.txt")
    assert a.title == "Given title"
    assert a.text.startswith("Varga and Mori hold")  # the first line stays text


@pytest.mark.parametrize(
    "first",
    [
        "The two leaders spoke by phone on Monday.",  # a sentence of reporting
        "Saturday, December 7, 2019",  # a date line
        "Talks",  # too short to be a headline
        "Share this article",  # furniture
    ],
)
def test_a_first_line_that_is_not_a_headline_is_not_the_title(first: str) -> None:
    a = article_from_text(f"{first}\n\nThe call lasted three hours, officials said.", "x.txt")
    assert a.title is None


def test_a_single_paragraph_has_no_headline() -> None:
    assert article_from_text("Leaders talk trade by phone", "x.txt").title is None


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Source: Example News", "Example News"),
        ("This article was originally published on Example Review", "Example Review"),
        ("Originally published by The Coastal Times on March 3, 2026.", "The Coastal Times"),
        ("This text was initially printed on Example Review.", "Example Review"),
        ("Example News / Reuters", "Example News"),
        ("© 2026 Example News. All rights reserved.", "Example News"),
        ("Copyright Example News 2026", "Example News"),
    ],
)
def test_credit_lines_name_the_outlet(line: str, outlet: str) -> None:
    assert outlet_credit(line) == outlet
    assert classify_line(line) == "credit"


@pytest.mark.parametrize(
    "line",
    [
        "Reuters / Jane Doe",  # a photographer, not the outlet
        "Source: SBS News, AP / Jane Doe",  # a caption credit
        "The source said the talks failed.",
    ],
)
def test_lines_that_name_no_outlet(line: str) -> None:
    assert outlet_credit(line) is None


def test_the_credited_outlet_fills_the_site_only_when_none_is_given() -> None:
    text = "Leaders talk trade\n\nThe call lasted three hours.\n\nSource: Example News"
    assert article_from_text(text, "x.txt").site == "Example News"
    assert article_from_text(text, "x.txt", site="Given Site").site == "Given Site"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Be a part of our weekly e-bulletin", "newsletter, reworded: e-bulletin"),
        ("Join our mailing list for the latest news", "newsletter, reworded: mailing list"),
        ("Picture credit score: Jane Doe / Example", "credit, reworded: picture credit score"),
        ("Learn extra: How the talks began", "promo, reworded: learn extra"),
        ("Initially printed on 3 March 2026", "origin, reworded: initially printed"),
    ],
)
def test_reworded_furniture_is_removed_with_its_evidence(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "He was initially published in a small journal.",
        "Initially, officials published figures showing 200 dead.",
        "The mayor joined the mailing list debate at the council meeting on Tuesday evening.",
        '"Be a part of our weekly e-bulletin," the campaign urged voters in its flyers.',
    ],
)
def test_reporting_that_sounds_like_furniture_is_kept(line: str) -> None:
    assert classify_line(line) is None


# --- a bare date line at the top of a plain text (issue 18) ---------------------------

_BODY = "The two leaders spoke by phone on Monday, officials said.\n\nThe call lasted an hour."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("March 3, 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        ("2024-03-03", datetime(2024, 3, 3, tzinfo=UTC)),
        ("Tuesday 3 March 2024 14:05 GMT", datetime(2024, 3, 3, 14, 5, tzinfo=UTC)),
        (
            "Sun 3 Mar 2024 10.05 CET",
            datetime(2024, 3, 3, 10, 5, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "3 March 2024, 09:30 GMT+9",
            datetime(2024, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=9))),
        ),
        (
            "Jul. 3, 2024 at 2:05 p.m. ET",
            datetime(2024, 7, 3, 14, 5, tzinfo=timezone(timedelta(hours=-4))),
        ),
        (
            "Updated: 4 March 2024 09:00 EST",
            datetime(2024, 3, 4, 9, tzinfo=timezone(timedelta(hours=-5))),
        ),
    ],
)
def test_a_bare_date_line_at_the_top_is_the_publication_date(line: str, expected: datetime) -> None:
    a = article_from_text(f"Leaders talk trade by phone\n\n{line}\n\n{_BODY}", "x.txt")
    assert a.title == "Leaders talk trade by phone"
    assert a.published == expected
    assert a.published is not None and a.published.utcoffset() == expected.utcoffset()
    assert a.text.startswith("The two leaders")
    assert [(b.text, b.reason) for b in a.boilerplate] == [(line, "dateline")]


def test_a_date_line_without_a_headline_and_after_a_byline_is_read_too() -> None:
    a = article_from_text(f"By Jane Example\n\n2024-03-03\n\n{_BODY}", "x.txt")
    assert a.title is None
    assert a.author == "Jane Example"
    assert a.published == datetime(2024, 3, 3, tzinfo=UTC)
    assert a.text.startswith("The two leaders")


def test_a_published_stamp_wins_over_an_updated_one() -> None:
    text = f"Updated: March 5, 2024\n\nPublished March 2, 2024\n\n{_BODY}"
    a = article_from_text(text, "x.txt")
    assert a.published is not None and a.published.date() == date(2024, 3, 2)


def test_a_date_line_inside_the_body_stays_text() -> None:
    text = f"Leaders talk trade by phone\n\n{_BODY}\n\nMarch 2, 2024\n\nThat was the day before."
    a = article_from_text(text, "x.txt")
    assert a.published is None
    assert "March 2, 2024" in a.text
    assert a.boilerplate == ()


@pytest.mark.parametrize(
    "headline",
    [
        "2024 Olympics open in Paris",
        "Talks resume on March 3, 2024",
        "March 2024 was the warmest on record",
    ],
)
def test_a_headline_that_contains_a_year_or_date_is_not_a_date(headline: str) -> None:
    a = article_from_text(f"{headline}\n\n{_BODY}", "x.txt")
    assert a.title == headline
    assert a.published is None
    assert a.text.startswith("The two leaders")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the time first
        (
            "12:52 p.m. EDT May 2, 2013",
            datetime(2013, 5, 2, 12, 52, tzinfo=timezone(timedelta(hours=-4))),
        ),
        (
            "10:10 AM PDT 6/6/2013",
            datetime(2013, 6, 6, 10, 10, tzinfo=timezone(timedelta(hours=-7))),
        ),
        # separators spaced out by a text extractor or a tokeniser
        ("May 2, 2013 | 5: 03pm", datetime(2013, 5, 2, 17, 3, tzinfo=UTC)),
        ("05 / 02 / 2013", datetime(2013, 5, 2, tzinfo=UTC)),
        ("2013 - 09 - 26", datetime(2013, 9, 26, tzinfo=UTC)),
        (
            "12: 52 p. m. EDT May 2, 2013",
            datetime(2013, 5, 2, 12, 52, tzinfo=timezone(timedelta(hours=-4))),
        ),
        (
            "Fri., May. 3, 2013 11: 45 AM PDT",
            datetime(2013, 5, 3, 11, 45, tzinfo=timezone(timedelta(hours=-7))),
        ),
    ],
)
def test_date_lines_with_the_time_first_or_spaced_separators(line: str, expected: datetime) -> None:
    got = date_line(line)
    assert got == expected and got is not None and got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "line", ["3 - 2 win over Spain in 2013", "Talks resume at 5: 03 pm on May 2, 2013"]
)
def test_a_line_with_other_words_is_no_date_line_even_with_spaced_separators(line: str) -> None:
    assert date_line(line) is None


def test_a_stamp_with_a_word_dateutil_reads_as_a_zone_parses_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = parse_datetime("21 July 2013 Last updated at 11: 11 UK")
    assert got == datetime(2013, 7, 21, 11, 11, tzinfo=UTC)


def test_a_stamp_at_the_top_with_spaced_separators_is_the_date() -> None:
    """A text whose separators a tokeniser spaced out ("09 / 14 / 2013 01: 03 PM") keeps
    its stamp: the date is read and the line leaves the text."""
    a = article_from_text(f"Updated 09 / 14 / 2013 01: 03 PM\n\n{_BODY}", "x.txt")
    assert a.published == datetime(2013, 9, 14, 13, 3, tzinfo=UTC)
    assert a.text.startswith("The two leaders")
    b = article_from_text(f"September 18th, 2013, 05: 31 GMT\n\n{_BODY}", "x.txt")
    assert b.published == datetime(2013, 9, 18, 5, 31, tzinfo=UTC)


def test_a_time_without_a_date_is_no_publication_date() -> None:
    """ "Updated 9:06 AM" names no day: the stamp leaves the text, the date stays
    unknown (dateutil alone would date it today)."""
    a = article_from_text(f"Updated 9: 06 AM\n\n{_BODY}", "x.txt")
    assert a.published is None
    assert parse_datetime("9:06 AM EDT") is None and parse_datetime("May 3") is None
