"""Which word swaps a spinner makes, and which an editor makes.

A wire story run by another outlet comes back with house style: "jewelry" for
"jewellery", "says" for "said", "US" for "United States", "two" for "2", "today" for
"on Monday", a sentence's words rearranged. An article spinner swaps content words for
synonyms: "comic strip" → "funny cartoon", "governor" → "legislative head". Only the
second kind makes a copy *spun*; :func:`editorial_reason` names why a substitution is
of the first kind, and :func:`spinner_swaps` keeps the others.

Measured on ECB+ dev wire copies (reuse_pairs_dev.jsonl, label copy) and the SpinBot dev
pairs (bench/provenance_accuracy.py): the share of aligned source content words swapped
the spinner's way is at most 0.033 in a wire copy and at least 0.18 in SpinBot output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from unspin.model import Substitution
from unspin.seqmatch import SequenceMatcher
from unspin.text import FUNCTION_WORDS

__all__ = ["editorial_reason", "spinner_swaps"]

# A substitution longer than this many words on either side is a reworded clause (an
# editor's), not a spinner's word-for-phrase swap (tortured phrases run to 3 words).
MAX_SPINNER_WORDS = 3
# Two spellings of one word ("jewellery"/"jewelry", "realized"/"realised",
# "drunk"/"drunken") share at least this much of their letters (difflib ratio); a
# spinner's synonyms rarely do ("fictional"/"anecdotal" 0.4). ECB+ dev wire copies.
SPELLING_MIN_RATIO = 0.7

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NOT_ALNUM = re.compile(r"[\W_]+")
# Words of dates and times: editors rewrite "on Monday" as "today", "July" as "Jul".
_DATE_WORDS = frozenset(
    [
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "am",
        "pm",
        "et",
        "edt",
        "est",
        "gmt",
        "bst",
        "utc",
        "mst",
        "pst",
        "cst",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "week",
        "weekend",
        "month",
        "year",
        "last",
        "this",
        "next",
        "night",
        "morning",
        "evening",
        "afternoon",
        "earlier",
        "later",
    ]
)
# Number words: "two" for "2", "bn" for "billion" is a style rule, not a synonym.
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "bn",
        "mn",
        "m",
        "k",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "half",
        "dozen",
    ]
)
# Attribution verbs: "said" → "says", "told", "according to" is tense or house style.
_ATTRIBUTION = frozenset(
    [
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tells",
        "tell",
        "added",
        "adds",
        "stated",
        "states",
        "according",
        "announced",
        "announces",
        "reported",
        "reports",
        "noted",
        "notes",
        "explained",
        "explains",
        "claimed",
        "claims",
    ]
)


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


# Word pairs whose reason is remembered: a pair is classified twice (for its direction
# and its kind), and spinners and editors repeat their swaps across articles.
_REASONS_KEPT = 65_536


@lru_cache(maxsize=_REASONS_KEPT)
def editorial_reason(source: str, copy: str) -> str | None:
    """Why swapping ``source`` for ``copy`` is an editor's change, or None for a spinner's.

    Reasons: ``format`` (same letters: spacing, hyphens, apostrophes, case), ``reworded``
    (a clause rewritten), ``number``, ``date``, ``function`` (function words or
    attribution verbs only), ``name`` (a capitalised name on either side), ``spelling``
    (a variant spelling or inflection of one word), ``abbreviation``.

    Example:
        >>> editorial_reason("jewellery", "jewelry"), editorial_reason("storm", "tempest")
        ('spelling', None)
    """
    wa, wb = _WORDS.findall(source), _WORDS.findall(copy)
    if not wa or not wb:
        return "format"
    sa, sb = _squash(source), _squash(copy)
    if sa == sb:
        return "format"
    if len(wa) > MAX_SPINNER_WORDS or len(wb) > MAX_SPINNER_WORDS:
        return "reworded"
    if any(c.isdigit() for c in sa + sb):
        return "number"
    la, lb = {w.lower() for w in wa}, {w.lower() for w in wb}
    if (la | lb) & _NUMBER_WORDS:
        return "number"
    if (la | lb) & _DATE_WORDS:
        return "date"
    plain = FUNCTION_WORDS | _ATTRIBUTION
    if la <= plain or lb <= plain:
        return "function"
    if any(w[:1].isupper() for w in wa + wb):
        return "name"
    if SequenceMatcher(None, sa, sb, autojunk=False).ratio() >= SPELLING_MIN_RATIO:
        return "spelling"
    initials_a = "".join(w[0] for w in wa).lower()
    initials_b = "".join(w[0] for w in wb).lower()
    if sa == initials_b or sb == initials_a:
        return "abbreviation"
    return None


def spinner_swaps(substitutions: Iterable[Substitution]) -> list[Substitution]:
    """The substitutions a spinner would make (those with no :func:`editorial_reason`)."""
    return [s for s in substitutions if editorial_reason(s.source, s.copy) is None]
