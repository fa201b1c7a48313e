"""Names and numbers: what copies carry over and independent reports share."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["name_overlap", "names"]

# Words and sentence-ending marks (names are capitalised words not after a full stop).
_WORD_OR_STOP = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['\-]\w+)*|[.!?]")


# Texts whose names are remembered: a new article meets up to 50 candidates in turn.
_NAMES_CACHE = 256


@lru_cache(maxsize=_NAMES_CACHE)
def names(text: str) -> frozenset[str]:
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
    return frozenset(out)


def name_overlap(a_text: str, b_text: str) -> float:
    """Jaccard overlap of the :func:`names` of two texts (0 when neither has any)."""
    na, nb = names(a_text), names(b_text)
    union = na | nb
    return len(na & nb) / len(union) if union else 0.0
