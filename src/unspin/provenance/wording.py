"""Which of two wordings is the natural one: the direction of a spun copy without dates.

A spinner writes "characteristic shake" where the original said "natural rock". Each
phrase is scored in its context by a bigram model of English (the shipped lexicon's
web-scale bigram counts, :mod:`unspin.lexicon`): the log probability of the swapped
words given the word before them, and of the word after given the swapped words. The
original scores higher at most swaps; the copy's words fit their neighbours worse.

Conditional probabilities, not raw frequencies: SpinBot often swaps a rare word for a
common one ("serpent" → "snake", "carved" → "cut"), so "the commoner word is the
original" picks the wrong side in one pair of six on the SpinBot dev pairs, where the
bigram model errs in one of sixteen (bench/provenance_accuracy.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from unspin.lexicon import ID_BITS, Lexicon, load_lexicon, pack
from unspin.model import Substitution

__all__ = ["BigramModel", "bigram_model", "wording_margin"]

# Interpolation weight of the unigram probability in P(w | previous word): the bigram
# counts cover the common pairs only, so an unseen pair backs off to the word's own
# frequency instead of scoring minus infinity.
BACKOFF = 0.3
# Probability of a word outside the 65,000-word vocabulary.
UNKNOWN_P = 1e-9
# Characters of context read on each side of a swap for its neighbouring word.
_CONTEXT_CHARS = 40
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class BigramModel:
    """P(word | previous word) from the lexicon's bigram counts, with unigram backoff.

    Attributes:
        lex: the lexicon (vocabulary, Zipf frequencies, n-gram counts).
        left_totals: per word id, the summed count of bigrams it starts.
    """

    lex: Lexicon
    left_totals: npt.NDArray[np.float64]

    def log_prob(self, words: Sequence[str]) -> float:
        """Log probability of ``words[1:]`` each given the word before it."""
        return self.log_probs([words])[0]

    def log_probs(self, sequences: Sequence[Sequence[str]]) -> list[float]:
        """:meth:`log_prob` of each of ``sequences``, in one pass over all their words
        (a pair's swaps are scored together: numpy's cost per call, not per word,
        dominated scoring them one by one)."""
        words = [w.lower() for seq in sequences for w in seq]
        ids = self.lex.ids(words)
        bounds = np.cumsum([0, *map(len, sequences)])
        # Every word but the first of its sequence, given the word before it.
        follows = np.ones(len(ids), dtype=bool)
        follows[bounds[:-1][bounds[:-1] < len(ids)]] = False
        at = np.flatnonzero(follows)
        prev, cur = ids[at - 1], ids[at]
        counts = self.lex.count(pack(prev, cur)).astype(np.float64)
        unigram = np.where(
            cur >= 0, 10.0 ** (self.lex.zipf[np.maximum(cur, 0)].astype(np.float64) - 9), 0.0
        )
        totals = np.where(prev >= 0, self.left_totals[np.maximum(prev, 0)], 0.0)
        cond = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        p = np.where(totals > 0, (1 - BACKOFF) * cond + BACKOFF * unigram, unigram)
        p = np.where(cur >= 0, p, UNKNOWN_P)
        logs = np.log(np.maximum(p, UNKNOWN_P))
        # A sequence of n words owns n - 1 of ``logs``, in order; each summed by numpy
        # alone (its summation order, so the same sums as one sequence at a time).
        ends = np.cumsum([0, *(max(len(seq) - 1, 0) for seq in sequences)]).tolist()
        return [
            float(logs[a:b].sum()) if len(seq) >= 2 else 0.0
            for seq, a, b in zip(sequences, ends[:-1], ends[1:], strict=True)
        ]


@lru_cache(maxsize=1)
def bigram_model() -> BigramModel:
    """The bigram model over the shipped lexicon (cached: read-only)."""
    lex = load_lexicon(learned=False)
    bigram = lex.keys < (np.uint64(1) << np.uint64(2 * ID_BITS))
    first = (lex.keys[bigram] >> np.uint64(ID_BITS)).astype(np.int64) - 1
    totals = np.zeros(len(lex.words), dtype=np.float64)
    np.add.at(totals, first, lex.counts[bigram].astype(np.float64))
    return BigramModel(lex, totals)


def _context(text: str, start: int, end: int) -> tuple[list[str], list[str], list[str]]:
    """The words of ``text[start:end]`` with the word before and the word after."""
    left = _WORD.findall(text[max(0, start - _CONTEXT_CHARS) : start])[-1:]
    right = _WORD.findall(text[end : end + _CONTEXT_CHARS])[:1]
    return left, _WORD.findall(text[start:end]), right


def _opening(model: BigramModel, word: str) -> float:
    """The log probability of a text's first word: its own frequency."""
    ids = model.lex.ids([word.lower()])
    return math.log(10.0 ** (float(model.lex.zipf[ids[0]]) - 9)) if ids[0] >= 0 else -20.7


def wording_margin(source_text: str, copy_text: str, swaps: Sequence[Substitution]) -> float | None:
    """How much more natural the source side of ``swaps`` reads than the copy side.

    The mean, over the swaps, of the source phrase's log probability in its context
    minus the copy phrase's in its context (natural log). Positive: the source reads as
    the original. None when there are no swaps.
    """
    if not swaps:
        return None
    model = bigram_model()
    contexts = [
        _context(text, start, end)
        for s in swaps
        for text, start, end in (
            (source_text, s.source_start, s.source_end),
            (copy_text, s.copy_start, s.copy_end),
        )
    ]
    scores = model.log_probs([left + phrase + right for left, phrase, right in contexts])
    for k, (left, phrase, _) in enumerate(contexts):
        if not left and phrase:  # text start: the first word's own probability
            scores[k] += _opening(model, phrase[0])
    diffs = [scores[k] - scores[k + 1] for k in range(0, len(scores), 2)]
    return sum(diffs) / len(diffs)
