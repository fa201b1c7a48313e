"""A word trigram model of English: how well a candidate original fits its context.

De-spinning picks among the words a spinner may have replaced ("approach" or "policy",
"aid" or "help"). Frequencies and the lexicon's bigram counts favour common words; what
they cannot tell is whether a word fits the two words before it. The model here is CMU's
generic US English trigram model (``en-us.lm.bin``, a 3-gram back-off model over
general English text), which the ``pocketsphinx`` wheel on PyPI ships with its
decoder (BSD-style licence; installed with unspin, nothing is downloaded at run time).

:meth:`TrigramModel.fit` is the pointwise mutual information of a word with the two
words before it, ``log P(w | h) - log P(w)`` in nats: zero with no context, positive
where the context predicts the word ("prime minister"), negative where it does not
("prime pastor"). The restorer adds it to each candidate (``Weights.context``); the
word's own frequency is already counted there, which is why the model's unigram
probability is taken out. Without the package (or with ``UNSPIN_NO_NGRAM`` set)
:func:`load_trigram_model` returns None and restoration goes on without it.
"""

from __future__ import annotations

import logging
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["TrigramModel", "load_trigram_model"]

log = logging.getLogger(__name__)

# pocketsphinx reports log probabilities in units of log base 1.0001 (its LogMath).
_NATS_PER_UNIT = math.log(1.0001)
# Set to skip the model (comparisons, or a machine without the package's wheel).
DISABLE_ENV = "UNSPIN_NO_NGRAM"
# Words whose own log probability is kept (cleared past this many: a long-running
# server keeps meeting new words).
_UNIGRAM_CACHE = 500_000


class TrigramModel:
    """A trigram model read from an ARPA or sphinx binary file (``.lm.bin``)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        from pocketsphinx import NGramModel

        self.path = Path(path)
        self._model: Any = NGramModel.readfile(str(self.path))
        self._unigram: dict[str, int] = {}

    def _units(self, words: list[str]) -> int:
        # NGramModel.prob takes the word first, then its history, nearest first.
        return int(self._model.prob(words))

    def logp(self, word: str, prev: str | None = None, prev2: str | None = None) -> float:
        """``log P(word | prev2 prev)`` in nats (``None``: no such context word)."""
        history = [w for w in (prev, prev2 if prev else None) if w]
        return self._units([word, *history]) * _NATS_PER_UNIT

    def fit(self, word: str, prev: str | None, prev2: str | None) -> float:
        """How much better than its own frequency ``word`` fits after ``prev2 prev``:
        ``log P(word | prev2 prev) - log P(word)`` in nats; 0 without ``prev``."""
        return self.fits([word], prev, prev2)[0]

    def fits(self, words: list[str], prev: str | None, prev2: str | None) -> list[float]:
        """:meth:`fit` of each of ``words`` after the same two words (the restorer's
        candidates for one position, after one beam's words)."""
        if not prev:
            return [0.0] * len(words)
        prob, unigram = self._model.prob, self._unigram
        history = [prev, prev2] if prev2 else [prev]
        out = []
        for w in words:
            uni = unigram.get(w)
            if uni is None:
                if len(unigram) >= _UNIGRAM_CACHE:
                    unigram.clear()
                uni = unigram[w] = int(prob([w]))
            out.append((int(prob([w, *history])) - uni) * _NATS_PER_UNIT)
        return out


def _shipped_path() -> Path | None:
    try:
        import pocketsphinx
    except ImportError:
        return None
    path = Path(pocketsphinx.get_model_path("en-us/en-us.lm.bin"))
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def load_trigram_model() -> TrigramModel | None:
    """The shipped trigram model (read once per process), or None when the package is
    not installed or :data:`DISABLE_ENV` is set."""
    if os.environ.get(DISABLE_ENV):
        return None
    path = _shipped_path()
    if path is None:
        log.warning("pocketsphinx's English trigram model is missing: restoring without it")
        return None
    return TrigramModel(path)
