"""Names and numbers: what copies carry over and independent reports share."""

from __future__ import annotations

import re
import sys

from unspin.provenance.memo import TextMemo

__all__ = ["name_overlap", "names"]

# Words and sentence-ending marks (names are capitalised words not after a full stop).
# Possessive quantifiers: the same matches without the regex engine's backtracking.
_WORD_OR_STOP = re.compile(r"\d++(?:[.,:]\d+)*+|\w++(?:['\-]\w++)*+|[.!?]")
_STOPS = frozenset(".!?")


def _names(text: str) -> frozenset[str]:
    tokens = _WORD_OR_STOP.findall(text)
    # A token starts a sentence when it is the first or follows a sentence-ending mark.
    # Interned: the names of many texts are kept (_NAMES), and they share most of them.
    return frozenset(
        sys.intern(tok.lower())
        for tok, before in zip(tokens, [".", *tokens], strict=False)
        if tok[0].isdigit() or (tok[0].isupper() and before not in _STOPS)
    )


# The names of the texts met last: a text meets each of its candidates in turn.
_NAMES: TextMemo[frozenset[str]] = TextMemo(_names)


def names(text: str) -> frozenset[str]:
    """Capitalised words that do not start a sentence, and numbers: names, figures."""
    return _NAMES(text)


def name_overlap(a_text: str, b_text: str) -> float:
    """Jaccard overlap of the :func:`names` of two texts (0 when neither has any)."""
    na, nb = names(a_text), names(b_text)
    shared = len(na & nb)
    union = len(na) + len(nb) - shared
    return shared / union if union else 0.0
