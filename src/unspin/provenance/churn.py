"""How much of a copy is its source's text, cut and pasted, with quotes counted apart.

The measure of "churnalism": the share of an article taken verbatim (or near it) from a
press release or wire story, and the share of that source the article uses. The
Churnalism tool of the Media Standards Trust and the Sunlight Foundation reported the
first two; it counted quotations with the rest, so two independent reports carrying one
statement verbatim looked like copying. Here the taken words inside quotation marks are
counted apart: what the article took **outside** quotes is the part the newsroom did not
write itself.

Words are counted, not characters; a word is taken when it starts inside an aligned
passage of the stored relation (the aligner's own evidence: no text is re-aligned). A
rewritten copy, matched by meaning sentence by sentence, took no text verbatim.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from unspin.model import Churn, Relation
from unspin.text import quoted_spans

__all__ = ["churn"]

_WORD = re.compile(r"\w+")


def _inside(starts: list[int], ends: list[int], pos: int) -> bool:
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def _spans(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [s for s, _ in merged], [e for _, e in merged]


def _taken(text: str, spans: list[tuple[int, int]]) -> tuple[int, int, int]:
    """(words, words taken, taken words inside quotation marks) of one side."""
    taken_s, taken_e = _spans(spans)
    quote_s, quote_e = _spans(quoted_spans(text))
    words = taken = quoted = 0
    for m in _WORD.finditer(text):
        words += 1
        if _inside(taken_s, taken_e, m.start()):
            taken += 1
            quoted += _inside(quote_s, quote_e, m.start())
    return words, taken, quoted


def churn(source_text: str, copy_text: str, rel: Relation) -> Churn:
    """The copy's words taken from its source (and of them, those inside quotes), and
    the share of the source's words the copy carries, from ``rel``'s aligned passages.

    Example:
        >>> c = churn(press_release.text, article.text, relation)  # doctest: +SKIP
        >>> f"{c.taken:.0%} cut and pasted, {c.taken_unquoted:.0%} outside quotes"  # doctest: +SKIP
    """
    copy_words, taken, quoted = _taken(
        copy_text, [(p.copy_start, p.copy_end) for p in rel.passages]
    )
    source_words, used, _ = _taken(
        source_text, [(p.source_start, p.source_end) for p in rel.passages]
    )
    return Churn(
        copy_words=copy_words,
        taken=taken / copy_words if copy_words else 0.0,
        taken_in_quotes=quoted / copy_words if copy_words else 0.0,
        source_used=used / source_words if source_words else 0.0,
    )
