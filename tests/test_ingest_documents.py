"""Plain-text articles as copied from news sites: headline, credit lines, bylines."""

from __future__ import annotations

from datetime import date

import pytest

from unspin.ingest.clean import classify_line, outlet_credit
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
