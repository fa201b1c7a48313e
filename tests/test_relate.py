"""Classifying a pair and deciding its direction (unspin.provenance.relate)."""

from __future__ import annotations

import pytest

from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, article, edit, spin
from unspin.provenance.align import align
from unspin.provenance.relate import relate
from unspin.provenance.wording import wording_margin


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


def test_wording_margin_prefers_the_phrase_that_fits_its_context() -> None:
    src = "The storm hit the coast on Monday and the governor said help was coming."
    cpy = "The tempest hit the shore on Monday and the legislative head said help was coming."
    swaps = align(src, cpy).substitutions
    margin = wording_margin(src, cpy, swaps)
    assert margin is not None and margin > 0
    back = wording_margin(cpy, src, align(cpy, src).substitutions)
    assert back is not None and back < 0
    assert wording_margin(src, src, ()) is None
