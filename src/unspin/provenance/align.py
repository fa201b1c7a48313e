"""Word alignment of a copy to its source: passages, substitutions, offsets.

Two texts are split into words; verbatim runs shared by both (found longest first, as
:class:`difflib.SequenceMatcher` does, over lower-cased words) anchor the alignment. The
gaps between consecutive anchors are then read as edits:

* a short gap on both sides, or an equal-length gap up to a few words, is a
  **substitution** (an article spinner swapping ``storm`` for ``tempest``, or
  ``neural network`` for ``neural organization``); equal-length gaps are paired word
  by word, so two adjacent swapped words give two substitutions;
* a short gap on one side only is a small insertion or deletion inside a passage;
* anything longer breaks the passage (a sentence added, cut or rewritten by hand).

Runs of anchors and substitutions form **passages**; only passages long and dense
enough to be copied text (not chance matches of ``of the``) count. Even with half of
the content words swapped, the function words, names and numbers between them anchor
the alignment, so the swaps are recovered position by position.

Example:
    >>> a = align(
    ...     "The storm hit the coast on Monday and the river rose over the old bridge.",
    ...     "The tempest hit the shore on Monday and the river rose over the old bridge.",
    ... )
    >>> [(s.source, s.copy) for s in a.substitutions]
    [('storm', 'tempest'), ('coast', 'shore')]
"""

from __future__ import annotations

import difflib
import sys
import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

from unspin.model import Passage, Substitution
from unspin.provenance.memo import TextMemo
from unspin.seqmatch import SequenceMatcher
from unspin.text import FUNCTION_WORDS, word_spans

__all__ = ["Alignment", "Words", "align", "word_tokens"]

# A gap of at most this many words on each side (both non-empty) is one substitution:
# spinners replace a word with a phrase of up to ~3 words (WordNet multi-word lemmas,
# tortured phrases). Set on bench/provenance_accuracy.py (dev split): 4 recovers >98 %
# of swaps at 50 % substitution; 6 starts pairing up reworded clauses.
MAX_PHRASE_GAP = 4
# Gaps of equal length up to this many words are paired word by word (runs of adjacent
# swapped content words at high substitution rates: "severe winter storm" → three swaps).
MAX_EQUAL_GAP = 6
# A one-sided gap up to this many words stays inside a passage (a dropped "the").
MAX_INDEL_GAP = 2
# A passage must hold at least this many verbatim words and this share of verbatim words
# among its source words, or it is a chance match (independent articles share "of the").
# Set on bench/provenance_accuracy.py: ECB+ same-story pairs vs 50 % spins (dev split).
MIN_PASSAGE_MATCHED = 6
# A verbatim run of at least this many words is copied text (the unit of ECB+'s reuse
# labels); shorter shared runs are also what a paraphrase keeps ("the city council").
LONG_RUN = 8
MIN_PASSAGE_DENSITY = 0.4


@dataclass(frozen=True, slots=True)
class Words:
    """A text's word tokens (punctuation dropped): lower-cased, with character offsets."""

    lower: list[str]
    starts: Sequence[int]
    ends: Sequence[int]

    def __len__(self) -> int:
        return len(self.lower)


def _compact_words(text: str) -> Words:
    # Interned words and 32-bit offsets: 4.6 KB for a 285-word text instead of 37 KB
    # (a string and two int objects a word), so that many texts' tokens can be kept.
    lower, starts, ends = word_spans(text)
    return Words(list(map(sys.intern, lower)), array("i", starts), array("i", ends))


# The word tokens of the texts met last: a text is aligned to each of its candidates in
# turn, and in a rebuild to partners scattered over the whole run.
_WORDS: TextMemo[Words] = TextMemo(_compact_words)


def word_tokens(text: str) -> Words:
    """The word tokens of ``text`` (:func:`unspin.text.word_spans`), remembered
    (:class:`unspin.provenance.memo.TextMemo`)."""
    return _WORDS(text)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The word alignment of a copy (``copy``) to a source (``source``).

    Attributes:
        source_words, copy_words: number of words in each text.
        matched: words shared verbatim inside passages.
        source_covered, copy_covered: words of each text inside passages (verbatim,
            swapped or small insertions).
        source_content_covered: source content words (not function words or numbers)
            inside passages; ``source_content_substituted`` of them were swapped.
        substitutions: the swaps, in source order, with character offsets.
        passages: the aligned stretches, in source order.
        longest_run: the longest run of words shared verbatim inside a passage.
        run_words: words shared verbatim in runs of 2 or more words (anywhere).
        long_run_words: of those, the words in runs of :data:`LONG_RUN` or more.
    """

    source_words: int
    copy_words: int
    matched: int
    source_covered: int
    copy_covered: int
    source_content_covered: int
    source_content_substituted: int
    substitutions: tuple[Substitution, ...]
    passages: tuple[Passage, ...]
    longest_run: int = 0
    run_words: int = 0
    long_run_words: int = 0

    @property
    def long_run_share(self) -> float:
        """Share of the words shared in runs that lie in long runs (copied text, not
        phrases a paraphrase happens to keep)."""
        return self.long_run_words / self.run_words if self.run_words else 0.0

    @property
    def coverage(self) -> float:
        """Share of the source's words carried by the copy (verbatim or swapped)."""
        return self.source_covered / self.source_words if self.source_words else 0.0

    @property
    def reused(self) -> float:
        """Share of the copy's words that come from the source (verbatim or swapped)."""
        return self.copy_covered / self.copy_words if self.copy_words else 0.0

    @property
    def substitution_rate(self) -> float:
        """Share of the aligned source content words that the copy swapped."""
        if not self.source_content_covered:
            return 0.0
        return self.source_content_substituted / self.source_content_covered

    def swapped(self) -> Alignment:
        """The same alignment read the other way (the copy as source)."""
        subs = tuple(
            Substitution(s.copy, s.source, s.copy_start, s.copy_end, s.source_start, s.source_end)
            for s in self.substitutions
        )
        passages = tuple(
            Passage(
                p.copy_start, p.copy_end, p.source_start, p.source_end, p.matched, p.substituted
            )
            for p in self.passages
        )
        return replace(
            self,
            source_words=self.copy_words,
            copy_words=self.source_words,
            source_covered=self.copy_covered,
            copy_covered=self.source_covered,
            substitutions=tuple(sorted(subs, key=lambda s: s.source_start)),
            passages=tuple(sorted(passages, key=lambda p: p.source_start)),
        )


def _is_content(word: str) -> bool:
    return word not in FUNCTION_WORDS and not word[:1].isdigit()


class _ContentWords(dict[str, bool]):
    """:func:`_is_content` of each word met, so that the content words of a stretch are
    counted by one ``sum(map(...))``, not a Python call per word."""

    def __missing__(self, word: str) -> bool:
        if len(self) >= _CONTENT_WORDS_KEPT:  # a long-running process meets ever new words
            self.clear()
        value = self[word] = _is_content(word)
        return value


_CONTENT_WORDS_KEPT = 200_000
_CONTENT = _ContentWords()


def _content_count(words: list[str], start: int, end: int) -> int:
    """The content words among ``words[start:end]``."""
    return sum(map(_CONTENT.__getitem__, words[start:end]))


def align(source: str, copy: str) -> Alignment:
    """Align ``copy`` to ``source`` word by word.

    Args:
        source: the text taken as the original.
        copy: the text taken as derived from it.

    Returns:
        The :class:`Alignment`: verbatim words, substitutions (with offsets in both
        texts) and passages. Aligning a text with itself gives one passage and no
        substitutions.
    """
    ta, tb = word_tokens(source), word_tokens(copy)
    return align_tokens(source, copy, ta, tb)


class _Matchers(threading.local):
    """Each thread's last matcher, kept for its second sequence: a new article is
    aligned to each of its candidates in turn as the copy, and the matcher's index of
    the copy's words (``b2j``) does not depend on the source."""

    copy: list[str] | None = None
    matcher: difflib.SequenceMatcher[str] | None = None


_MATCHERS = _Matchers()


def _matching_blocks(la: list[str], lb: list[str]) -> Sequence[tuple[int, int, int]]:
    """:meth:`SequenceMatcher.get_matching_blocks` of ``la`` against ``lb``, the matcher
    reused when ``lb`` is the list the thread's last call had (``set_seq1`` keeps the
    index of the second sequence: the same blocks as a new matcher's)."""
    memo = _MATCHERS
    matcher = memo.matcher
    if matcher is not None and memo.copy is lb:
        matcher.set_seq1(la)
    else:
        matcher = SequenceMatcher(None, la, lb, autojunk=False)
        memo.matcher, memo.copy = matcher, lb
    return matcher.get_matching_blocks()


def align_tokens(source: str, copy: str, ta: Words, tb: Words) -> Alignment:
    """:func:`align` on word tokens already computed."""
    # The verbatim blocks, read in order, grow runs (passages under construction): the
    # gap after a run's last block joins the run when it reads as substitutions or a
    # small indel (:func:`_join_gap`), else closes it. A run is kept as a tuple
    # (a0, b0, a1, b1, matched, longest, subs), word indexes, ends exclusive.
    blocks = _matching_blocks(ta.lower, tb.lower)
    runs: list[tuple[int, int, int, int, int, int, list[tuple[int, int, int, int]]]] = []
    open_run = False
    a0 = b0 = pa = pb = matched = longest = run_words = long_run_words = 0
    subs: list[tuple[int, int, int, int]] = []
    for ba, bb, size in blocks:
        if size >= 2:
            run_words += size
            if size >= LONG_RUN:
                long_run_words += size
        ga, gb = ba - pa, bb - pb
        if open_run and (ga or gb) and not _join_gap(subs, pa, pb, ga, gb):
            runs.append((a0, b0, pa, pb, matched, longest, subs))
            open_run = False
        if size == 0:
            break
        if not open_run:
            open_run = True
            a0, b0, matched, longest, subs = ba, bb, 0, 0, []
            if not runs and (ga or gb) and ba == ga and bb == gb:
                # words swapped before the first anchor (the text's opening words)
                lead: list[tuple[int, int, int, int]] = []
                if _join_gap(lead, 0, 0, ga, gb):
                    a0, b0, subs = 0, 0, lead
        matched += size
        if size > longest:
            longest = size
        pa, pb = ba + size, bb + size
    if open_run:
        runs.append((a0, b0, pa, pb, matched, longest, subs))

    la = ta.lower
    a_starts, a_ends, b_starts, b_ends = ta.starts, ta.ends, tb.starts, tb.ends
    passages: list[Passage] = []
    found: list[Substitution] = []
    total = source_cov = copy_cov = content_cov = content_sub = best = 0
    for a0, b0, a1, b1, run_matched, run_longest, run_subs in runs:
        n_a = a1 - a0
        if run_matched < MIN_PASSAGE_MATCHED or run_matched < MIN_PASSAGE_DENSITY * n_a:
            continue
        n_sub = 0
        for s0, s1, c0, c1 in run_subs:
            n_sub += s1 - s0
            found.append(
                Substitution(
                    source[a_starts[s0] : a_ends[s1 - 1]],
                    copy[b_starts[c0] : b_ends[c1 - 1]],
                    a_starts[s0],
                    a_ends[s1 - 1],
                    b_starts[c0],
                    b_ends[c1 - 1],
                )
            )
            content_sub += _content_count(la, s0, s1)
        passages.append(
            Passage(a_starts[a0], a_ends[a1 - 1], b_starts[b0], b_ends[b1 - 1], run_matched, n_sub)
        )
        total += run_matched
        best = max(best, run_longest)
        source_cov += n_a
        copy_cov += b1 - b0
        content_cov += _content_count(la, a0, a1)
    return Alignment(
        source_words=len(la),
        copy_words=len(tb.lower),
        matched=total,
        source_covered=source_cov,
        copy_covered=copy_cov,
        source_content_covered=content_cov,
        source_content_substituted=content_sub,
        substitutions=tuple(found),
        passages=tuple(passages),
        longest_run=best,
        run_words=run_words,
        long_run_words=long_run_words,
    )


def _join_gap(subs: list[tuple[int, int, int, int]], pa: int, pb: int, ga: int, gb: int) -> bool:
    """Read the gap of ``ga`` source and ``gb`` copy words after a run ending at
    ``(pa, pb)`` as substitutions (appended to ``subs``) or a small indel; False if the
    gap breaks the run."""
    if ga and gb:
        if ga == gb and ga <= MAX_EQUAL_GAP:
            subs.extend((pa + i, pa + i + 1, pb + i, pb + i + 1) for i in range(ga))
        elif max(ga, gb) <= MAX_PHRASE_GAP:
            subs.append((pa, pa + ga, pb, pb + gb))
        else:
            return False
    elif max(ga, gb) > MAX_INDEL_GAP:
        return False
    return True
