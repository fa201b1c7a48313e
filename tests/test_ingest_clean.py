"""Boilerplate clean-up: what is furniture, what is reporting, nothing silently lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.ingest.clean import MAX_BOILERPLATE_WORDS, classify_line, clean_lines


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share", "share"),
        ("Share this with family and friends", "share"),
        ("Facebook Twitter Email", "share"),
        ("LISTEN TO THIS ARTICLE", "listen"),
        ("Listen to this article 4 min", "listen"),
        ("6 min read", "read-time"),
        (
            "Sign up for our morning newsletter and get the news delivered to your inbox",
            "newsletter",
        ),
        ("Photo: EPA-EFE/Jane Doe", "credit"),
        ("Source: SBS News, AP / Mark Baker", "credit"),
        ("Firefighters at the scene. EPA-EFE/Jane Doe", "credit"),
        ("Published 12 March 2026 Updated 13 March 2026", "dateline"),
        ("By Maria Lopez", "byline"),
        ("Advertisement", "promo"),
        ("Read more: Council votes on fares", "promo"),
    ],
)
def test_furniture_is_recognised(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The council's newsletter said the vote would be held on Tuesday.",
        "Shares in the company fell 4% after the announcement.",
        "By noon, more than 200 people had gathered outside the court.",
        "Researchers said the model could predict floods three days ahead.",
        "The photo agency EPA said it had withdrawn the image after complaints from readers and staff.",
        '"We will not sign up to a deal that hurts farmers," the minister said.',
    ],
)
def test_reporting_is_kept(line: str) -> None:
    assert classify_line(line) is None


def test_removed_lines_are_kept_with_reasons_and_metadata_parsed() -> None:
    result = clean_lines(
        [
            "By Ana Ruiz",
            "Published 12 March 2026 09:30 GMT",
            "The mayor resigned on Friday.",
            "Share",
        ]
    )
    assert result.paragraphs == ["The mayor resigned on Friday."]
    assert [(b.text, b.reason) for b in result.removed] == [
        ("By Ana Ruiz", "byline"),
        ("Published 12 March 2026 09:30 GMT", "dateline"),
        ("Share", "share"),
    ]
    assert result.author == "Ana Ruiz"
    assert result.published is not None and result.published.tzinfo is not None
    assert (result.published.day, result.published.hour) == (12, 9)


def test_trailing_link_block_is_a_related_list() -> None:
    links = frozenset(
        {
            "council backs new cycle lanes",
            "storm closes two schools",
            "police appeal after break in",
        }
    )
    paras = [
        "The bridge will reopen next week, engineers said.",
        "Council backs new cycle lanes",
        "Storm closes two schools",
        "Police appeal after break-in",
    ]
    result = clean_lines(paras, links)
    assert result.paragraphs == ["The bridge will reopen next week, engineers said."]
    assert {b.reason for b in result.removed} == {"link"}


# No deadline: a case takes well under a millisecond, but on a loaded 2-core machine one
# first case took 271 ms and hypothesis failed the test for its timing, not its result.
@settings(deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij ,.", min_size=1, max_size=400), max_size=8))
def test_nothing_is_lost(paras: list[str]) -> None:
    result = clean_lines(paras)
    kept_words = sum(len(p.split()) for p in result.paragraphs)
    removed_words = sum(len(b.text.split()) for b in result.removed)
    assert kept_words + removed_words == sum(len(p.split()) for p in paras)


@given(st.text(alphabet="abcdefg hijk", min_size=1, max_size=600))
def test_long_lines_are_never_boilerplate(line: str) -> None:
    if len(line.split()) > MAX_BOILERPLATE_WORDS:
        assert classify_line(line) is None
