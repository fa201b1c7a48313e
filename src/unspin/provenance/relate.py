"""Classify a pair of articles from their word alignment, and decide which is the source.

The relation follows from a few alignment statistics (see :mod:`unspin.provenance.align`):

* **containment**: the larger of the share of the copy taken from the source and the
  share of the source carried by the copy (an excerpt still counts as a copy);
* **spinner swaps**: the substitutions a spinner makes, not an editor
  (:mod:`unspin.provenance.swaps`), as a share of the aligned source content words,
  and their **spread** (the share of aligned copy sentences holding one: a spinner
  swaps everywhere, an editor rewords one or two sentences);
* **shared names**: the Jaccard overlap of capitalised names and numbers, for telling
  independent reports of the same story from unrelated articles.

A pair with no copied word run is checked for a **rewrite** (:mod:`unspin.provenance.rewrite`):
sentences matched by meaning, with the facts carried over.

The direction (which article is the source) is, in order: the earlier publication date;
else containment (the source holds the copy's text, not the other way round); else the
more natural wording of the spinner's swaps (:func:`unspin.provenance.wording.wording_margin`);
for a rewrite, the side holding facts the other lacks; else the given order, marked
``undecided``.

Example (``original`` and ``spun`` are two Articles):
    >>> rel = relate(original, spun)  # doctest: +SKIP
    >>> rel.kind, rel.direction, rel.substitutions[0].source, rel.substitutions[0].copy  # doctest: +SKIP
    ('spun_copy', 'wording', 'storm', 'tempest')
"""

from __future__ import annotations

from unspin.model import NOT_STORED, Article, Relation, Substitution
from unspin.provenance.align import Alignment, align
from unspin.provenance.credit import credited_source
from unspin.provenance.names import name_overlap, names
from unspin.provenance.rewrite import (
    REWRITE_MIN_FACTS_CARRIED,
    REWRITE_MIN_SOURCE_COVERAGE,
    Rewording,
    facts_carried,
    is_rewrite,
    reword,
)
from unspin.provenance.swaps import spinner_swaps
from unspin.provenance.wording import wording_margin
from unspin.text import quoted_spans, sentence_spans

__all__ = [
    "classify",
    "decide_direction",
    "name_overlap",
    "names",
    "own_passages",
    "relate",
    "relate_rewrite",
]

# Duplicate: both texts carried almost entirely, with (almost) no swaps. 0.97 lets a
# dropped boilerplate line through but not a dropped sentence of a 20-sentence article.
DUPLICATE_MIN_SHARE = 0.97
DUPLICATE_MAX_SUB_RATE = 0.01
# ... or at most this many words differ in all (a credit line or byline added or cut),
# provided each text is still carried to at least DUPLICATE_MIN_SHARE_SHORT.
DUPLICATE_MAX_EXTRA_WORDS = 12
DUPLICATE_MIN_SHARE_SHORT = 0.9
# Copy (edited or spun): the copy takes at least this share of itself from the source,
# or carries at least this share of the source, in at least COPY_MIN_WORDS words.
# Set on bench/provenance_accuracy.py (dev split: Wikinews 2019, ECB+ topics 1-17):
# same-story pairs sharing a quote reach ~0.3; heavy sentence edits stay above 0.6.
COPY_MIN_CONTAINMENT = 0.5
COPY_MIN_WORDS = 25
# Spun copy: at least SPUN_MIN_SUBS (5: two ECB+ dev briefs sharing a reworded sentence
# reach 4) spinner swaps (:mod:`unspin.provenance.swaps`), at least SPUN_MIN_SUB_RATE of
# the aligned source content words, spread over at least SPUN_MIN_SPREAD of the aligned
# sentences. The rate was set on the ECB+ dev wire copies (reuse_pairs_dev.jsonl, label
# copy: at most 0.033 of their aligned content words are swapped the spinner's way) and
# the SpinBot dev pairs (at least 0.18). The price: a light WordNet spin (10 % of
# content words) now mostly reads as an edited copy (spun recall 0.22 dev, 0.33 test;
# 20 % and more: 0.95 and more, bench/provenance_accuracy.py). The spread: three hand
# edits touch at most 14 % of sentences, a spin 27-76 %.
SPUN_MIN_SUB_RATE = 0.05
SPUN_MIN_SUBS = 5
SPUN_MIN_SPREAD = 0.2
# Edited copy: an editor keeps runs of the wire text verbatim; without one of at least
# this many words (and without a spinner's swaps) the shared passages are paraphrase,
# not copied text. Eight words is the unit of ECB+'s reuse labels (REUSE.md); every
# ECB+ dev wire copy shares a run of 16 or more, the three independent pairs the aligner
# linked through reworded sentences none.
EDITED_MIN_RUN = 8
# Siblings: when neither text has this share of itself in the other, each holds
# material of its own (a paragraph added by each outlet), so neither is the source: both
# copy a text not in the store.
SIBLING_MAX_CONTAINED = 0.9
# ... and a common source is inferred only from a verbatim run of at least this many
# words: two texts that each say their own thing around one 8-11 word phrase (two
# paragraphs of one encyclopedia article describing two parts of one sculpture, SpinBot
# dev) share a turn of phrase, not a wire story. Every ECB+ dev wire copy shares a run of
# 16 or more (reuse_pairs_dev.jsonl, longest_common_run).
SIBLING_MIN_RUN = 12
# A copy whose aligned text is at least this share questions is two interviews sharing
# one questionnaire: Wikinews candidate interviews 0.71-0.93, ECB+ dev wire copies at
# most 0.13 (bench/real_copies.py).
TEMPLATE_MIN_QUESTION_SHARE = 0.5
# Quotes are counted apart: two independent reports that carry one statement verbatim
# (a press conference, a released text) share it because they quote it, not because one
# copies the other (the weakness of the Churnalism tool). When at least this share of
# the shared text lies inside quotation marks, the pair is the same story, not a copy:
# ECB+ dev wire copies quote at most 0.82 of what they share (news is full of quotes, so
# a bar on the unquoted share alone dropped 17 of their 123), two reports built around
# one quoted statement 0.94 (tests/test_real_copies.py).
QUOTED_MAX_SHARE = 0.9
# Same story: shared names/numbers (Jaccard) or some reused passage, short of a copy.
# Set on bench/provenance_accuracy.py: ECB+ same-event pairs vs Wikinews unrelated pairs.
SAME_STORY_MIN_NAMES = 0.12
SAME_STORY_MIN_CONTAINMENT = 0.1
# Containment decides the direction only when one side is clearly more contained.
CONTAINMENT_MARGIN = 0.1
# Wording decides it only when the mean log probability of the spinner swaps in context
# differs by this much (natural log): on the SpinBot dev pairs 60 directions right, 2
# wrong and 3 undecided at 0.5 (55 / 10 / 0 at 0, bench/provenance_accuracy.py).
WORDING_MARGIN = 0.5
WORDING_MIN_SWAPS = 3
# A pair the word alignment calls a copy is checked for a rewrite below this
# containment (SpinBot copies carry 0.55-1.0 of their words, most above 0.8; the
# llm_rewrites dev set 0.18-0.67), and is one when its sentences matched by meaning cover
# at least REWRITE_MIN_GAIN more of the source than its words do (rewrites: 0.22-0.33
# more; an edited wire copy's matched sentences are the ones it keeps verbatim).
REWRITE_CHECK_BELOW = 0.75
REWRITE_MIN_GAIN = 0.15
# ... and when less than this share of the words it shares in runs lie in runs of 8+
# words: the llm_rewrites dev set 0.09-0.62 (its long runs are quotes), ECB+ dev wire
# copies 0.84 and more.
REWRITE_MAX_LONG_RUN_SHARE = 0.75
# A rewrite's direction from facts: the copy's facts are found in the source more often
# than the source's in the copy by at least this much.
FACTS_MARGIN = 0.05


def _spread(copy_text: str, aln: Alignment, swaps: list[Substitution]) -> float:
    """Share of the copy's aligned sentences that hold at least one of ``swaps``."""
    if not aln.passages:
        return 0.0
    spans = sentence_spans(copy_text)
    covered = [
        (s, e) for s, e in spans if any(p.copy_start < e and s < p.copy_end for p in aln.passages)
    ]
    if not covered:
        return 0.0
    starts = sorted(sub.copy_start for sub in swaps)
    hit = 0
    for s, e in covered:
        if any(s <= x < e for x in starts):
            hit += 1
    return hit / len(covered)


def _ramp(value: float, low: float, high: float) -> float:
    """0.5 at ``low`` rising linearly to 1.0 at ``high`` (clamped)."""
    if high <= low:
        return 1.0
    return max(0.5, min(1.0, 0.5 + 0.5 * (value - low) / (high - low)))


def classify(aln: Alignment, copy_text: str, name_overlap: float) -> tuple[str, float]:
    """The relation kind and its confidence from a word alignment.

    Args:
        aln: the alignment of the copy to the source.
        copy_text: the copy's text (for the spread of substitutions over sentences).
        name_overlap: Jaccard overlap of the two articles' :func:`names`.

    Returns:
        ``(kind, confidence)``, kind one of ``duplicate``, ``edited_copy``,
        ``spun_copy``, ``same_story``, ``unrelated`` (rewrites are checked by
        :func:`relate`, which has both texts).
    """
    containment = max(aln.reused, aln.coverage)
    if aln.matched == aln.source_words == aln.copy_words and aln.matched:
        return "duplicate", 1.0
    share = (
        min(aln.matched / aln.source_words, aln.matched / aln.copy_words) if aln.matched else 0.0
    )
    extra = aln.source_words + aln.copy_words - 2 * aln.matched
    swaps = spinner_swaps(aln.substitutions)
    rate = _spinner_rate(aln, swaps)
    if rate <= DUPLICATE_MAX_SUB_RATE and (
        share >= DUPLICATE_MIN_SHARE
        or (extra <= DUPLICATE_MAX_EXTRA_WORDS and share >= DUPLICATE_MIN_SHARE_SHORT)
    ):
        return "duplicate", round(_ramp(share, DUPLICATE_MIN_SHARE_SHORT, 1.0), 3)
    copied = min(aln.source_covered, aln.copy_covered)
    if containment >= COPY_MIN_CONTAINMENT and copied >= COPY_MIN_WORDS:
        conf = _ramp(containment, COPY_MIN_CONTAINMENT, 0.9)
        if rate >= SPUN_MIN_SUB_RATE and len(swaps) >= SPUN_MIN_SUBS:
            spread = _spread(copy_text, aln, swaps)
            if spread >= SPUN_MIN_SPREAD:
                spin_conf = min(
                    _ramp(rate, SPUN_MIN_SUB_RATE, 2 * SPUN_MIN_SUB_RATE),
                    _ramp(spread, SPUN_MIN_SPREAD, 2 * SPUN_MIN_SPREAD),
                )
                return "spun_copy", round(min(conf, spin_conf), 3)
        if aln.longest_run >= EDITED_MIN_RUN:
            return "edited_copy", round(conf, 3)
    if containment >= SAME_STORY_MIN_CONTAINMENT or name_overlap >= SAME_STORY_MIN_NAMES:
        conf = max(
            _ramp(containment, SAME_STORY_MIN_CONTAINMENT, COPY_MIN_CONTAINMENT),
            _ramp(name_overlap, SAME_STORY_MIN_NAMES, 2 * SAME_STORY_MIN_NAMES),
        )
        return "same_story", round(conf, 3)
    evidence = max(containment / SAME_STORY_MIN_CONTAINMENT, name_overlap / SAME_STORY_MIN_NAMES)
    return "unrelated", round(max(0.5, 1.0 - 0.5 * evidence), 3)


def _spinner_rate(aln: Alignment, swaps: list[Substitution]) -> float:
    """Spinner swaps as a share of the aligned source content words."""
    return len(swaps) / aln.source_content_covered if aln.source_content_covered else 0.0


def decide_direction(a: Article, b: Article, aln: Alignment) -> tuple[bool, str]:
    """Whether ``a`` is the source of ``b``, and why.

    Args:
        a, b: the two articles; ``aln`` aligns ``b`` (as copy) to ``a`` (as source).

    Returns:
        ``(a_is_source, reason)`` with reason ``published``, ``containment``,
        ``wording`` or ``undecided`` (then ``a`` is kept as the source).
    """
    if a.published is not None and b.published is not None and a.published != b.published:
        return a.published < b.published, "published"
    # aln.reused: share of b found in a; aln.coverage: share of a found in b.
    if aln.reused - aln.coverage >= CONTAINMENT_MARGIN:
        return True, "containment"
    if aln.coverage - aln.reused >= CONTAINMENT_MARGIN:
        return False, "containment"
    swaps = spinner_swaps(aln.substitutions)
    if len(swaps) >= WORDING_MIN_SWAPS:
        margin = wording_margin(a.text, b.text, swaps)
        if margin is not None and abs(margin) >= WORDING_MARGIN:
            return margin > 0, "wording"
    return True, "undecided"


def _rewrite_direction(a: Article, b: Article, b_in_a: float, a_in_b: float) -> tuple[bool, str]:
    """Whether ``a`` is the source of a rewrite pair: earlier, else the one holding facts
    the other lacks (a rewrite adds none of its own). ``b_in_a``: the share of ``b``'s
    names and numbers found in ``a``; ``a_in_b`` the other way."""
    if a.published is not None and b.published is not None and a.published != b.published:
        return a.published < b.published, "published"
    if abs(b_in_a - a_in_b) >= FACTS_MARGIN:
        return b_in_a > a_in_b, "facts"
    return True, "undecided"


def relate(
    a: Article, b: Article, aln: Alignment | None = None, *, rewrites: bool = True
) -> Relation:
    """Classify the pair ``a``, ``b`` and orient it source → copy.

    Args:
        a, b: two articles (any order).
        aln: the alignment of ``b`` to ``a`` if already computed.
        rewrites: also check the pair as a rewrite (sentences matched by meaning, the
            costly part); off for a pair only an embedding neighbour proposes, which is
            kept only as a spun copy.

    Returns:
        The :class:`Relation`; for ``same_story`` and ``unrelated`` the orientation is
        the same rule but carries no claim of copying.
    """
    aln = aln if aln is not None else align(a.text, b.text)
    a_first, reason = decide_direction(a, b, aln)
    source, copy = (a, b) if a_first else (b, a)
    oriented = aln if a_first else aln.swapped()
    overlap = name_overlap(a.text, b.text)
    kind, confidence = classify(oriented, copy.text, overlap)
    # (A pair only an embedding neighbour proposes, ``rewrites=False``, is kept only as a
    # spun copy: provenance.index.verify.)
    rewritten = None
    if rewrites and kind in ("same_story", "unrelated") and overlap >= SAME_STORY_MIN_NAMES:
        rewritten = relate_rewrite(a, b, aln)
    elif (
        rewrites
        and kind in ("edited_copy", "spun_copy")
        and max(oriented.reused, oriented.coverage) < REWRITE_CHECK_BELOW
        and aln.long_run_share < REWRITE_MAX_LONG_RUN_SHARE
    ):
        # A language model keeps quotes and many short phrases, so word runs link the
        # pair; but it rewords far more sentences than the word alignment can carry.
        rewritten = relate_rewrite(a, b, aln, word_coverage=oriented.coverage)
    if rewritten is not None:
        return rewritten
    if kind in ("edited_copy", "spun_copy") and (
        _question_share(copy.text, oriented) >= TEMPLATE_MIN_QUESTION_SHARE
    ):
        # Two interviews that put one list of questions to different people: a shared
        # questionnaire, not a copy of the answers.
        kind, confidence = "same_story", 0.5
    if (
        kind in ("edited_copy", "spun_copy")
        and min(oriented.reused, oriented.coverage) < SIBLING_MAX_CONTAINED
        and quoted_share(source.text, copy.text, oriented) >= QUOTED_MAX_SHARE
    ):
        # (Two texts that each carry all of the other are copies whatever they quote: an
        # independent report has a narrative of its own around the quote, and quote marks
        # paired wrongly, across sentences, can make most of a copy read as quoted.)
        kind, confidence = "same_story", 0.5
    common = _common_source(a, b, oriented) if kind == "edited_copy" else None
    if common is not None and (own_passages(a, b) or oriented.longest_run < SIBLING_MIN_RUN):
        # One outlet's two articles around a passage of its own (a background paragraph,
        # an interview's introduction): the outlet reuses its text, neither copies. Or
        # two texts, each with its own matter, that share only a phrase.
        kind, confidence, common = "same_story", 0.5, None
    copying = kind in ("duplicate", "edited_copy", "spun_copy")
    return Relation(
        source_id=source.id,
        copy_id=copy.id,
        kind=kind,
        confidence=confidence,
        reused=round(oriented.reused, 4),
        coverage=round(oriented.coverage, 4),
        substitution_rate=round(oriented.substitution_rate, 4),
        direction=reason,
        substitutions=oriented.substitutions if copying else (),
        passages=oriented.passages if copying else (),
        common_source=common,
    )


def own_passages(a: Article, b: Article) -> bool:
    """Whether two articles that share a passage, each with text of its own around it,
    are one outlet reusing its own text: both dated articles of the same outlet.

    An outlet's background paragraphs, interview introductions and standard disclaimers
    recur in its own articles; that is not copying (issue 23, item 7). The outlet must
    be known and both articles dated: the dates are what a real outlet's pages carry, and
    a host whose texts carry none is often not one outlet at all but an archive or a
    corpus served from one host (ECB+ as the shared checker stores it, every outlet under
    one made-up host), where wire copies of different outlets share a passage the same
    way. Verbatim or contained copies (no text of its own on one side) are not affected.
    """
    return (
        a.outlet is not None
        and a.outlet == b.outlet
        and a.published is not None
        and b.published is not None
    )


def quoted_share(source_text: str, copy_text: str, aln: Alignment) -> float:
    """The part of the pair's containment (``max(reused, coverage)``) that lies inside
    quotation marks: each side's share is scaled by the part of its aligned characters
    that it does not quote; 0 when nothing is quoted."""

    def unquoted(text: str, spans: list[tuple[int, int]]) -> float:
        aligned = sum(e - s for s, e in spans)
        if not aligned:
            return 0.0
        quotes = quoted_spans(text)
        inside = sum(max(0, min(e, qe) - max(s, qs)) for s, e in spans for qs, qe in quotes)
        return (aligned - inside) / aligned

    containment = max(aln.reused, aln.coverage)
    if not containment:
        return 0.0
    copy_part = unquoted(copy_text, [(p.copy_start, p.copy_end) for p in aln.passages])
    source_part = unquoted(source_text, [(p.source_start, p.source_end) for p in aln.passages])
    return 1.0 - max(aln.reused * copy_part, aln.coverage * source_part) / containment


def _question_share(copy_text: str, aln: Alignment) -> float:
    """Share of the copy's aligned text that lies in questions (sentences ending in ?)."""
    aligned = sum(p.copy_end - p.copy_start for p in aln.passages)
    if not aligned:
        return 0.0
    questions = [
        (s, e) for s, e in sentence_spans(copy_text) if copy_text[s:e].rstrip().endswith("?")
    ]
    inside = sum(
        max(0, min(e, p.copy_end) - max(s, p.copy_start))
        for p in aln.passages
        for s, e in questions
    )
    return inside / aligned


def _common_source(a: Article, b: Article, aln: Alignment) -> str | None:
    """For an edited copy: the source both copy when neither is the other's, else None.

    Both credit the same agency (two outlets running one wire story, whatever each cut
    or added), or each holds a share of its own that the other lacks (neither contains
    the other: a common text not in the store, extended differently by each).
    """
    credit_a, credit_b = credited_source(a.text), credited_source(b.text)
    if credit_a is not None and credit_a == credit_b:
        return credit_a
    if aln.reused < SIBLING_MAX_CONTAINED and aln.coverage < SIBLING_MAX_CONTAINED:
        return credit_a or credit_b or NOT_STORED
    return None


def relate_rewrite(
    a: Article, b: Article, aln: Alignment | None = None, *, word_coverage: float | None = None
) -> Relation | None:
    """The pair as a rewritten copy, or None when the sentence evidence says otherwise.

    For pairs that share no word run (candidates by names alone): only the sentence
    alignment by meaning is computed, and only when one side's names and numbers are
    carried by the other (:data:`REWRITE_MIN_FACTS_CARRIED`), a cheap gate.

    Args:
        word_coverage: for a pair the word alignment already calls a copy, the share
            of the source it carries; the sentences reworded must then cover at least
            :data:`REWRITE_MIN_GAIN` more of the source (an edited wire copy's matched
            sentences are its verbatim ones, a rewrite's are not).
    """
    b_in_a, _ = facts_carried(a.text, b.text)
    a_in_b, _ = facts_carried(b.text, a.text)
    if max(b_in_a, a_in_b) < REWRITE_MIN_FACTS_CARRIED:
        return None
    a_first, reason = _rewrite_direction(a, b, b_in_a, a_in_b)
    source, copy = (a, b) if a_first else (b, a)
    r: Rewording = reword(source.text, copy.text)
    if not is_rewrite(r):
        return None
    if word_coverage is not None and r.source_coverage < word_coverage + REWRITE_MIN_GAIN:
        return None
    rate = 0.0
    if aln is not None:
        rate = (aln if a_first else aln.swapped()).substitution_rate
    confidence = min(
        _ramp(r.source_coverage, REWRITE_MIN_SOURCE_COVERAGE, 0.9),
        _ramp(r.facts_carried, REWRITE_MIN_FACTS_CARRIED, 1.0),
    )
    return Relation(
        source_id=source.id,
        copy_id=copy.id,
        kind="rewritten_copy",
        confidence=round(confidence, 3),
        reused=round(r.copy_coverage, 4),
        coverage=round(r.source_coverage, 4),
        substitution_rate=round(rate, 4),
        direction=reason,
        sentences=r.matches,
        added_facts=r.added_facts,
        order_kept=r.order_kept,
        facts_carried=r.facts_carried,
    )
