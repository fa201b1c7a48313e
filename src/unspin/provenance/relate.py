"""Classify a pair of articles from their word alignment, and decide which is the source.

The relation follows from a few alignment statistics (see :mod:`unspin.provenance.align`):

* **containment**: the larger of the share of the copy taken from the source and the
  share of the source carried by the copy (an excerpt still counts as a copy);
* **substitution rate**: the share of aligned source content words swapped, and its
  **spread** (the share of aligned copy sentences holding a swap: a spinner swaps
  everywhere, an editor rewords one or two sentences);
* **shared names**: the Jaccard overlap of capitalised names and numbers, for telling
  independent reports of the same story from unrelated articles.

The direction (which article is the source) is, in order: the earlier publication date;
else containment (the source holds the copy's text, not the other way round); else the
more natural wording of the differing words (:func:`naturalness`: a spinner replaces
common words with rarer synonyms); else the given order, marked ``undecided``.

Example:
    >>> rel = relate(original, spun)          # two Articles
    >>> rel.kind, rel.direction, rel.substitutions[0].source, rel.substitutions[0].copy
    ('spun_copy', 'wording', 'storm', 'tempest')
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

from unspin.model import Article, Relation
from unspin.provenance.align import Alignment, align
from unspin.text import FUNCTION_WORDS, sentence_spans

__all__ = [
    "classify",
    "decide_direction",
    "names",
    "naturalness",
    "relate",
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
# Spun copy: at least SPUN_MIN_SUBS swaps, SPUN_MIN_SUB_RATE of aligned content words
# (names included in the denominator), spread over at least SPUN_MIN_SPREAD of the
# aligned sentences. Set on bench/provenance_accuracy.py (dev split): a 10 % spin swaps
# 4-9 % of aligned content words in 27-76 % of sentences; three hand edits (a sentence
# reworded, dropped, added, moved) reach 7 % but touch at most 14 % of sentences, so
# the spread separates them, with the cut at 0.2 between the two.
SPUN_MIN_SUB_RATE = 0.02
SPUN_MIN_SUBS = 3
SPUN_MIN_SPREAD = 0.2
# Same story: shared names/numbers (Jaccard) or some reused passage, short of a copy.
# Set on bench/provenance_accuracy.py: ECB+ same-event pairs vs Wikinews unrelated pairs.
SAME_STORY_MIN_NAMES = 0.12
SAME_STORY_MIN_CONTAINMENT = 0.1
# Containment decides the direction only when one side is clearly more contained.
CONTAINMENT_MARGIN = 0.1
# Wording decides it only when mean log-frequencies differ by this much (natural log).
NATURALNESS_MARGIN = 0.15


_LETTERS = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
# Words and sentence-ending marks (names are capitalised words not after a full stop).
_WORD_OR_STOP = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['\-]\w+)*|[.!?]")


@lru_cache(maxsize=1)
def _word_counts() -> dict[str, int]:
    """SemCor lemma counts spread to inflections (scripts/build_provenance_words.py)."""
    path = resources.files("unspin") / "assets" / "provenance" / "word_counts.tsv"
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, n = line.split("\t")
            counts[word] = int(n)
    return counts


def naturalness(phrases: list[str]) -> float | None:
    """How common the content words of ``phrases`` are: mean ``log(1 + count)``.

    ``count`` is the word's SemCor frequency (WordNet 3.0). Spinners swap common words
    for rarer synonyms, so of two sides of the same substitutions the source usually
    scores higher. Returns None when the phrases hold no content word.
    """
    counts = _word_counts()
    scores = [
        math.log1p(counts.get(w, 0))
        for p in phrases
        for w in _LETTERS.findall(p.lower())
        if w not in FUNCTION_WORDS
    ]
    return sum(scores) / len(scores) if scores else None


def names(text: str) -> set[str]:
    """Capitalised words that do not start a sentence, and numbers: names, figures."""
    out: set[str] = set()
    start = True
    for tok in _WORD_OR_STOP.findall(text):
        if tok in ".!?":
            start = True
            continue
        if tok[:1].isdigit() or (tok[:1].isupper() and not start):
            out.add(tok.lower())
        start = False
    return out


def _spread(copy_text: str, aln: Alignment) -> float:
    """Share of the copy's aligned sentences that hold at least one substitution."""
    if not aln.passages:
        return 0.0
    spans = sentence_spans(copy_text)
    covered = [
        (s, e) for s, e in spans if any(p.copy_start < e and s < p.copy_end for p in aln.passages)
    ]
    if not covered:
        return 0.0
    starts = sorted(sub.copy_start for sub in aln.substitutions)
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
    """The relation kind and its confidence from an alignment.

    Args:
        aln: the alignment of the copy to the source.
        copy_text: the copy's text (for the spread of substitutions over sentences).
        name_overlap: Jaccard overlap of the two articles' :func:`names`.

    Returns:
        ``(kind, confidence)``, kind one of ``duplicate``, ``edited_copy``,
        ``spun_copy``, ``same_story``, ``unrelated``.
    """
    containment = max(aln.reused, aln.coverage)
    rate = aln.substitution_rate
    if aln.matched == aln.source_words == aln.copy_words and aln.matched:
        return "duplicate", 1.0
    share = (
        min(aln.matched / aln.source_words, aln.matched / aln.copy_words) if aln.matched else 0.0
    )
    extra = aln.source_words + aln.copy_words - 2 * aln.matched
    if rate <= DUPLICATE_MAX_SUB_RATE and (
        share >= DUPLICATE_MIN_SHARE
        or (extra <= DUPLICATE_MAX_EXTRA_WORDS and share >= DUPLICATE_MIN_SHARE_SHORT)
    ):
        return "duplicate", round(_ramp(share, DUPLICATE_MIN_SHARE_SHORT, 1.0), 3)
    copied = min(aln.source_covered, aln.copy_covered)
    if containment >= COPY_MIN_CONTAINMENT and copied >= COPY_MIN_WORDS:
        conf = _ramp(containment, COPY_MIN_CONTAINMENT, 0.9)
        spread = _spread(copy_text, aln)
        if (
            rate >= SPUN_MIN_SUB_RATE
            and len(aln.substitutions) >= SPUN_MIN_SUBS
            and spread >= SPUN_MIN_SPREAD
        ):
            spin_conf = min(
                _ramp(rate, SPUN_MIN_SUB_RATE, 2 * SPUN_MIN_SUB_RATE),
                _ramp(spread, SPUN_MIN_SPREAD, 2 * SPUN_MIN_SPREAD),
            )
            return "spun_copy", round(min(conf, spin_conf), 3)
        return "edited_copy", round(conf, 3)
    if containment >= SAME_STORY_MIN_CONTAINMENT or name_overlap >= SAME_STORY_MIN_NAMES:
        conf = max(
            _ramp(containment, SAME_STORY_MIN_CONTAINMENT, COPY_MIN_CONTAINMENT),
            _ramp(name_overlap, SAME_STORY_MIN_NAMES, 2 * SAME_STORY_MIN_NAMES),
        )
        return "same_story", round(conf, 3)
    evidence = max(containment / SAME_STORY_MIN_CONTAINMENT, name_overlap / SAME_STORY_MIN_NAMES)
    return "unrelated", round(max(0.5, 1.0 - 0.5 * evidence), 3)


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
    nat_a = naturalness([s.source for s in aln.substitutions])
    nat_b = naturalness([s.copy for s in aln.substitutions])
    if nat_a is not None and nat_b is not None and abs(nat_a - nat_b) >= NATURALNESS_MARGIN:
        return nat_a > nat_b, "wording"
    return True, "undecided"


def name_overlap(a_text: str, b_text: str) -> float:
    """Jaccard overlap of the :func:`names` of two texts (0 when neither has any)."""
    na, nb = names(a_text), names(b_text)
    union = na | nb
    return len(na & nb) / len(union) if union else 0.0


def relate(a: Article, b: Article, aln: Alignment | None = None) -> Relation:
    """Classify the pair ``a``, ``b`` and orient it source → copy.

    Args:
        a, b: two articles (any order).
        aln: the alignment of ``b`` to ``a`` if already computed.

    Returns:
        The :class:`Relation`; for ``same_story`` and ``unrelated`` the orientation is
        the same rule but carries no claim of copying.
    """
    aln = aln if aln is not None else align(a.text, b.text)
    a_first, reason = decide_direction(a, b, aln)
    source, copy = (a, b) if a_first else (b, a)
    oriented = aln if a_first else aln.swapped()
    kind, confidence = classify(oriented, copy.text, name_overlap(a.text, b.text))
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
    )
