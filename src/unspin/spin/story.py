"""Evidence from the story: a sentence that differs from other sources only by swaps.

Independent reports of one event word their own sentences, but they quote a speaker
verbatim and a wire story runs word for word. When a sentence or a quotation of the
judged article has a counterpart in another article of the same story with the same number of words, most
of them equal, and every difference a one-for-one swap of content words ("humanitarian
aid" / "compassionate help"), the swaps read as a spinner's: each becomes an
``(original, spun)`` pair that the detector treats as a swap learned from a traced copy.
So the judged words are marked where the other sources' wording fits, restoration
proposes that wording, and a quote may be restored to what the others quote.

Articles that provenance found to copy the judged article are left out by the caller:
their differences are theirs, not the judged article's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from unspin.spin.protect import is_fact_word, quoted_regions
from unspin.text import FUNCTION_WORDS, sentence_spans, word_swaps

__all__ = ["MIN_SENTENCE_WORDS", "MIN_SHARED", "story_swaps"]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

# Sentences and quotes shorter than this are left alone: short ones match by chance.
MIN_SENTENCE_WORDS = 8
# Share of a sentence's words that must be equal, in order, to its counterpart: below
# half the two are different sentences about one event, not one sentence reworded. A
# spinner at the usual 10-30 % swap rate leaves 70-90 % of the words (bench/_spinner.py).
MIN_SHARED = 0.6


def _units(text: str) -> list[list[str]]:
    """The words of each sentence and of each quotation (a quote is compared alone:
    outlets quote the same words and attribute them in their own)."""
    spans = [*sentence_spans(text), *quoted_regions(text)]
    out = []
    for s, e in spans:
        words = _WORD.findall(text[s:e])
        if len(words) >= MIN_SENTENCE_WORDS:
            out.append(words)
    return out


def _swappable(word: str) -> bool:
    low = word.lower()
    return len(low) >= 3 and low not in FUNCTION_WORDS and not is_fact_word(low)


def sentence_swaps(mine: list[str], theirs: list[str]) -> list[tuple[str, str]]:
    """``(their word, my word)`` swaps when ``mine`` is ``theirs`` with words swapped.

    Empty unless both have the same length, at least :data:`MIN_SHARED` of the words are
    equal, and every difference is a one-for-one swap of content words (no function
    word, number, negation or pronoun, and no capitalised name).
    """
    if len(mine) != len(theirs):
        return []
    a = [w.lower() for w in theirs]
    b = [w.lower() for w in mine]
    swaps = word_swaps(a, b)
    if swaps is None or swaps.kept < MIN_SHARED * len(a):
        return []
    pairs: list[tuple[str, str]] = []
    for i1, i2, j1, j2 in swaps.stretches:
        if i2 - i1 != j2 - j1:
            return []
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
            if not (_swappable(theirs[i]) and _swappable(mine[j])):
                return []
            # A capitalised word inside a sentence is a name: never swapped.
            if i and (theirs[i][:1].isupper() or mine[j][:1].isupper()):
                return []
            pairs.append((a[i], b[j]))
    return pairs


def story_swaps(text: str, others: Iterable[str]) -> tuple[tuple[str, str, int], ...]:
    """``(original, spun, count)`` swaps between ``text`` and other articles of its story.

    Each sentence of ``text`` is compared with the sentences of ``others`` of the same
    length that share most of its words (:func:`sentence_swaps`); a swap counts once
    per other article it is seen against.

    >>> story_swaps(
    ...     'She said "we will send compassionate help to the region this week".',
    ...     ['She said "we will send humanitarian aid to the region this week".'],
    ... )
    (('aid', 'help', 1), ('humanitarian', 'compassionate', 1))
    """
    mine = _units(text)
    if not mine:
        return ()
    counts: Counter[tuple[str, str]] = Counter()
    for other in others:
        by_length: dict[int, list[list[str]]] = {}
        for sent in _units(other):
            by_length.setdefault(len(sent), []).append(sent)
        seen: set[tuple[str, str]] = set()
        for sent in mine:
            bag = {w.lower() for w in sent}
            for cand in by_length.get(len(sent), ()):
                if len(bag & {w.lower() for w in cand}) < MIN_SHARED * len(sent):
                    continue
                seen.update(sentence_swaps(sent, cand))
        counts.update(seen)
    return tuple((o, s, n) for (o, s), n in sorted(counts.items()))
