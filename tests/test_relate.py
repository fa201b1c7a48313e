"""Classifying a pair and deciding its direction (unspin.provenance.relate)."""

from __future__ import annotations

import pytest

from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, article, edit, spin
from unspin.provenance.relate import naturalness, relate


@pytest.mark.parametrize(
    ("copy_text", "kind"),
    [
        (ORIGINAL + "\n\nThis story first appeared in the Port Allen Gazette.", "duplicate"),
        (edit(ORIGINAL), "edited_copy"),
        (spin(ORIGINAL, 0.1, seed=1)[0], "spun_copy"),
        (spin(ORIGINAL, 0.3, seed=1)[0], "spun_copy"),
        (spin(ORIGINAL, 0.5, seed=1)[0], "spun_copy"),
        (SAME_STORY, "same_story"),
        (UNRELATED, "unrelated"),
    ],
    ids=["duplicate", "edited", "spun-10", "spun-30", "spun-50", "same-story", "unrelated"],
)
def test_each_relation_is_recognised(copy_text: str, kind: str) -> None:
    rel = relate(article(ORIGINAL, 0), article(copy_text, 2))
    assert rel.kind == kind
    assert 0.5 <= rel.confidence <= 1.0


def test_spun_copy_carries_its_substitutions_as_evidence() -> None:
    spun, spans = spin(ORIGINAL, 0.3, seed=4)
    rel = relate(article(ORIGINAL, 0), article(spun, 1))
    assert rel.kind == "spun_copy"
    assert len(rel.substitutions) == len(spans)
    assert all(s.source.lower() != s.copy.lower() for s in rel.substitutions)
    assert rel.substitution_rate > 0.15 and rel.reused > 0.95


def test_same_story_and_unrelated_carry_no_substitutions() -> None:
    rel = relate(article(ORIGINAL), article(SAME_STORY))
    assert rel.substitutions == () and rel.passages == ()


@pytest.mark.parametrize("order", ["source-first", "copy-first"])
def test_earlier_publication_is_the_source(order: str) -> None:
    spun = article(spin(ORIGINAL, 0.3, seed=1)[0], hours=-5)  # the spun text is older here
    orig = article(ORIGINAL, hours=0)
    rel = relate(spun, orig) if order == "source-first" else relate(orig, spun)
    assert (rel.source_id, rel.direction) == (spun.id, "published")


@pytest.mark.parametrize("order", ["source-first", "copy-first"])
def test_without_dates_the_text_holding_the_other_is_the_source(order: str) -> None:
    paras = ORIGINAL.strip().split("\n\n")
    excerpt = article("\n\n".join(paras[:3]))
    full = article(ORIGINAL)
    rel = relate(excerpt, full) if order == "source-first" else relate(full, excerpt)
    assert (rel.source_id, rel.direction) == (full.id, "containment")


@pytest.mark.parametrize("order", ["source-first", "copy-first"])
def test_without_dates_the_more_natural_wording_is_the_source(order: str) -> None:
    orig = article(ORIGINAL)
    spun = article(spin(ORIGINAL, 0.4, seed=5)[0])
    rel = relate(orig, spun) if order == "source-first" else relate(spun, orig)
    assert (rel.source_id, rel.direction) == (orig.id, "wording")


def test_tied_dates_fall_back_to_the_next_rule() -> None:
    orig, spun = article(ORIGINAL, 0), article(spin(ORIGINAL, 0.4, seed=5)[0], 0)
    rel = relate(spun, orig)
    assert rel.source_id == orig.id and rel.direction != "published"


def test_naturalness_prefers_common_words() -> None:
    common = naturalness(["storm", "said", "help"])
    rare = naturalness(["tempest", "stated", "succour"])
    assert common is not None and rare is not None and common > rare
    assert naturalness(["the", "of", "2024"]) is None
