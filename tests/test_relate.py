"""Classifying a pair and deciding its direction (unspin.provenance.relate)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, article, edit, spin
from unspin.lexicon import pack
from unspin.model import Substitution
from unspin.provenance import wording
from unspin.provenance.align import align
from unspin.provenance.relate import relate
from unspin.provenance.wording import bigram_model, wording_margin


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


def _one_at_a_time(source: str, copy: str, swaps: list[Substitution]) -> float:
    """The wording margin with each phrase scored alone, as the definition reads."""
    model = bigram_model()

    def score(text: str, start: int, end: int) -> float:
        left, phrase, right = wording._context(text, start, end)
        value = model.log_prob(left + phrase + right)
        if not left and phrase:
            value += wording._opening(model, phrase[0])
        return value

    diffs = [
        score(source, s.source_start, s.source_end) - score(copy, s.copy_start, s.copy_end)
        for s in swaps
    ]
    return sum(diffs) / len(diffs)


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_wording_margin_scores_all_swaps_at_once_as_one_at_a_time(rate: float) -> None:
    """All of a pair's phrases scored in one pass give the margin, to the bit, that
    scoring them one by one gives; phrases at the text's start included."""
    spun, _ = spin(ORIGINAL, rate, seed=4)
    opening = "Tempest " + spun  # a swap of the first word: no word before it
    for source, copy in ((ORIGINAL, spun), (spun, ORIGINAL), ("Storm " + ORIGINAL, opening)):
        swaps = list(align(source, copy).substitutions)
        assert swaps
        assert wording_margin(source, copy, swaps) == _one_at_a_time(source, copy, swaps)


def test_log_probs_of_many_sequences_equal_each_alone() -> None:
    model = bigram_model()
    seqs = [
        [],
        ["storm"],
        ["the", "storm"],
        ["The", "legislative", "head", "said"],
        ["qzxv", "the"],
    ]
    seqs.append(["the", "river", "rose", "over", "the", "old", "bridge", "on", "monday", "night"])
    seqs.append([])
    assert model.log_probs(seqs) == [model.log_prob(seq) for seq in seqs]
    assert model.log_probs([]) == []
    # ... and each is the sum, word by word, of P(word | word before) with backoff.
    lex = model.lex

    def by_hand(seq: list[str]) -> float:
        total = 0.0
        for prev, cur in itertools.pairwise(seq):
            p_id, c_id = (lex.index.get(w.lower(), -1) for w in (prev, cur))
            if c_id < 0:
                total += math.log(wording.UNKNOWN_P)
                continue
            unigram = 10.0 ** (float(lex.zipf[c_id]) - 9)
            left = float(model.left_totals[p_id]) if p_id >= 0 else 0.0
            if left > 0:
                pair = float(lex.count(pack(np.array([p_id]), np.array([c_id])))[0])
                p = (1 - wording.BACKOFF) * pair / left + wording.BACKOFF * unigram
            else:
                p = unigram
            total += math.log(max(p, wording.UNKNOWN_P))
        return total

    assert model.log_probs(seqs) == pytest.approx([by_hand(seq) for seq in seqs], rel=1e-9)
