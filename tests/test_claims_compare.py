"""Aligning claims across sources: agree, conflict, differ, unique; copies as one voice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from unspin.claims import compare_claims, extract_claims
from unspin.model import Article

PUB_A = datetime(2026, 3, 13, 8, 15, tzinfo=UTC)
PUB_B = datetime(2026, 3, 13, 18, 40, tzinfo=UTC)

HERALD = (
    "The trade ministers met in Lindhaven on Thursday. The talks between the two trade ministers "
    "lasted more than three hours, officials said. Both ministers agreed to a 60-day pause on new "
    "tariffs. Valdoria will release 200 detainees and Kessaria will free 200 detainees, along with "
    "12 journalists."
)
COASTAL = (
    "The trade ministers met in Lindhaven on Friday morning. The talks between the two trade "
    "ministers lasted about 45 minutes, an official said. Varga and Reinholt agreed to pause new "
    "tariffs for 60 days."
)


def _art(text: str, site: str, published: datetime) -> Article:
    return Article.create(text, site=site, published=published)


def _compare(*arts: Article, copy_of: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    claims = {a.id: extract_claims(a.text, article_id=a.id, published=a.published) for a in arts}
    return compare_claims(claims, articles={a.id: a for a in arts}, copy_of=copy_of)


def test_issue_example_conflicts_agreements_and_unique_claims() -> None:
    herald, coastal = _art(HERALD, "Northwind Herald", PUB_A), _art(COASTAL, "Coastal Times", PUB_B)
    cmp = _compare(herald, coastal)
    conflicts = {g.kind: g for g in cmp.by_label("conflict")}
    assert set(conflicts) == {"duration", "date"}
    assert "cannot both be true" in (conflicts["duration"].reason or "")
    assert "Northwind Herald" in (conflicts["duration"].reason or "")
    assert "different days" in (conflicts["date"].reason or "")
    agreed = {(g.kind, tuple(c.words for c in g.claims)) for g in cmp.by_label("agree")}
    assert ("duration", ("60-day pause", "60 days")) in agreed
    assert any(k == "actor" for k, _ in agreed)
    unique = [g.claims[0].words for g in cmp.by_label("unique") if g.voices == (herald.id,)]
    assert "12 journalists" in unique and "200 detainees" in unique


@pytest.mark.parametrize(
    ("a", "b", "label", "reason_part"),
    [
        (
            "The talks lasted more than three hours.",
            "The talks lasted about 45 minutes.",
            "conflict",
            "cannot both be true",
        ),
        (
            "The talks lasted more than an hour.",
            "The talks lasted nearly three hours.",
            "differ",
            "different precision",
        ),
        ("The talks lasted three hours.", "The talks lasted 180 minutes.", "agree", None),
        (
            "The blast killed 3 people in the market.",
            "The blast killed 4 people in the market.",
            "conflict",
            "cannot both be true",
        ),
        (
            "The blast killed about 30 people in the market.",
            "The blast killed 31 people in the market.",
            "differ",
            "different precision",
        ),
    ],
)
def test_conflict_versus_differ_reasons(
    a: str, b: str, label: str, reason_part: str | None
) -> None:
    cmp = _compare(_art(a, "A", PUB_A), _art(b, "B", PUB_B))
    (group,) = [g for g in cmp.groups if g.label != "unique"]
    assert group.label == label
    if reason_part is None:
        assert group.reason is None
    else:
        assert group.reason is not None and reason_part in group.reason
        assert group.reason.count("\n") == 0  # one line


def test_a_copy_does_not_count_as_a_second_source() -> None:
    source = _art(HERALD, "Northwind Herald", PUB_A)
    copy = _art(HERALD + " Shared by an aggregator.", "Aggregator", PUB_B)
    without = _compare(source, copy)
    assert without.by_label("agree"), "as independent reports the two would agree"
    folded = _compare(source, copy, copy_of={copy.id: source.id})
    assert folded.by_label("agree") == [] and folded.by_label("conflict") == []
    assert [s.article_id for s in folded.sources] == [source.id]
    assert folded.sources[0].copies == (copy.id,)
    journalists = [g for g in folded.groups if g.claims[0].words == "12 journalists"]
    assert (
        len(journalists) == 1
        and journalists[0].label == "unique"
        and journalists[0].echoes == (copy.id,)
    )


def test_a_copy_folded_into_its_source_still_confirms_nothing_with_a_third_voice() -> None:
    source = _art(HERALD, "Herald", PUB_A)
    copy = _art(HERALD + " Via wire.", "Copycat", PUB_B)
    other = _art(COASTAL, "Coastal", PUB_B)
    cmp = _compare(source, copy, other, copy_of={copy.id: source.id})
    for g in cmp.groups:
        assert len(set(g.voices)) == len(g.voices)
        assert copy.id not in g.voices


def test_acts_that_contradict_conflict() -> None:
    a = _art("Varga agreed to the pause on new tariffs.", "A", PUB_A)
    b = _art("Varga rejected the pause on new tariffs.", "B", PUB_B)
    (g,) = [g for g in _compare(a, b).groups if g.label != "unique"]
    assert g.label == "conflict" and "agreed" in (g.reason or "") and "rejected" in (g.reason or "")


def test_result_does_not_depend_on_hash_seed_or_input_order() -> None:
    herald, coastal = _art(HERALD, "H", PUB_A), _art(COASTAL, "C", PUB_B)
    one = _compare(herald, coastal)
    two = _compare(herald, coastal)
    assert one == two
    flipped = _compare(coastal, herald)
    assert {(g.label, g.kind, frozenset(c.words for c in g.claims)) for g in one.groups} == {
        (g.label, g.kind, frozenset(c.words for c in g.claims)) for g in flipped.groups
    }


def test_datelines_are_not_compared() -> None:
    a = _art("LINDHAVEN, March 12 (Wire) - The talks lasted three hours.", "A", PUB_A)
    b = _art("Lindhaven talks\nMarch 13, 2026\nThe talks lasted three hours.", "B", PUB_B)
    cmp = _compare(a, b)
    assert [g.kind for g in cmp.groups if g.label != "unique"] == ["duration"]
    dates = [c for c in extract_claims(b.text, article_id=b.id) if c.kind == "date"]
    assert [(c.words, c.role) for c in dates] == [("March 13, 2026", "dateline")]
    assert not [g for g in cmp.groups if g.kind == "date"]
