"""Words restoration never changes: the facts a spinner keeps and a restorer must too.

A spinner swaps content words for near-synonyms and keeps the facts: numbers, their
magnitudes, negations, who is speaking, the names. A restorer that proposed "million"
for "billion", "you're" for "she's" or "played" for "missed" would change what the text
says while claiming to put it back (issue 16). So these words are held fixed:

* **numbers and magnitudes**: number words ("fifty", "billion", "percent") and every word
  of a hyphenated compound with a figure or a number word ("member" in "50-member",
  "billion" in "$3-billion", "month" in "six-month", "year" in "61-year-old");
* **negations**: "not", "never", "no", "without", any "-n't" form;
* **pronouns**, contractions included ("she's", "they'll");
* **names that occur verbatim elsewhere in the text**: a capitalised word written the
  same way twice is a name, wherever it stands;
* **words inside quotation marks**, unless the swap was learned from a traced copy: a
  quote is what someone said, and only a copy of the same quote shows it was altered.

:func:`safe_swap` also refuses an original that would add or drop a negation, number or
pronoun, or turn a word into its opposite by a negating prefix ("unlikely" / "likely").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unspin.spin.restore import NUMBER_WORDS

__all__ = [
    "MAGNITUDES",
    "NEGATIONS",
    "PRONOUNS",
    "Protected",
    "is_fact_word",
    "protected_words",
    "quoted_regions",
    "safe_swap",
]

# Magnitudes and units of amount beyond the number words of restore.NUMBER_WORDS.
MAGNITUDES = frozenset({
    "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
    "trillions", "hundred", "hundreds", "dozen", "dozens", "percent", "percentage", "lakh",
    "crore", "quadrillion", "zillion",
})  # fmt: skip
NEGATIONS = frozenset({
    "not", "no", "never", "none", "nor", "neither", "nobody", "nothing", "nowhere",
    "cannot", "without", "hardly", "barely", "scarcely", "seldom", "rarely", "lack",
    "lacks", "lacked", "lacking", "fail", "fails", "failed", "failing",
})  # fmt: skip
PRONOUNS = frozenset({
    "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "yourselves",
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
    "we", "us", "our", "ours", "ourselves", "they", "them", "their", "theirs",
    "themselves", "who", "whom", "whose", "one", "oneself", "someone", "somebody",
    "everyone", "everybody", "anyone", "anybody",
})  # fmt: skip
# Prefixes that negate the stem they are put on ("unlikely", "inactive", "nonprofit").
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "dis", "anti", "a")
# Paired double quotation marks (straight or typographic) around at most this many
# characters on one line: longer runs are unbalanced marks, not a quote.
# The rest of a hyphenated compound on either side of a word ("six-" + "month" + "-old").
_HYPHEN = re.compile("[-\u2010\u2011]")
_HYPHENS = frozenset("-\u2010\u2011")
_COMPOUND_LEFT = re.compile("(?:[\\w$.,']+[-\u2010\u2011])+$")
_COMPOUND_RIGHT = re.compile("(?:[-\u2010\u2011][\\w$%.,']*\\w)+")
_QUOTE = re.compile(r"\"[^\"\n]{1,600}\"|\u201c[^\u201c\u201d\n]{1,600}\u201d")


def is_fact_word(word: str) -> bool:
    """A number, magnitude, negation or pronoun (any case; contractions by their head)."""
    low = word.lower().replace("\u2019", "'")
    if low.endswith("n't"):
        return True
    head = low.split("'", 1)[0]
    return (
        low in NUMBER_WORDS
        or low in MAGNITUDES
        or low in NEGATIONS
        or head in PRONOUNS
        or (head != low and head in NEGATIONS)
    )


def safe_swap(written: str, original: str) -> bool:
    """May a restorer put ``original`` back where ``written`` stands?

    False when either word is a fact word (:func:`is_fact_word`) and they differ, or
    when one is the other with a negating prefix ("unlikely" / "likely").

    >>> safe_swap("gathering", "conference"), safe_swap("billion", "million")
    (True, False)
    """
    w, o = written.lower(), original.lower()
    if w == o:
        return True
    if is_fact_word(w) or is_fact_word(o):
        return False
    for longer, shorter in ((w, o), (o, w)):
        for prefix in _NEGATING_PREFIXES:
            if longer == prefix + shorter:
                return False
    return True


def _in_figure_compound(text: str, start: int, end: int) -> bool:
    """Is the word at ``start:end`` part of a hyphenated compound with a figure, a number
    word or another fact word ("50-member", "$3-billion", "six-month", "61-year-old",
    "magnitude-5.2", "thank-you")?"""
    before = text[start - 1 : start]
    if before.isdigit():  # "3billion"
        return True
    # Most words touch no hyphen: skip the searches (each needs one next to the word).
    left = _COMPOUND_LEFT.search(text[max(start - 40, 0) : start]) if before in _HYPHENS else None
    right = _COMPOUND_RIGHT.match(text, end) if text[end : end + 1] in _HYPHENS else None
    parts = (left.group() if left else "") + text[start:end] + (right.group() if right else "")
    for part in _HYPHEN.split(parts):
        part = part.strip("$%.,'")
        if any(ch.isdigit() for ch in part) or (part and is_fact_word(part)):
            return True
    return False


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` inside paired double quotation marks."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text)]


@dataclass(frozen=True)
class Protected:
    """Per-word protection of one text (arrays aligned with its words).

    Attributes:
        fixed: never changed (numbers, magnitudes, negations, pronouns, repeated names).
        quoted: inside quotation marks; changed only by a swap learned from a traced copy.
    """

    fixed: npt.NDArray[np.bool_]
    quoted: npt.NDArray[np.bool_]


def protected_words(text: str, words: list[str], starts: list[int]) -> Protected:
    """Which of ``words`` (found at ``starts`` in ``text``) restoration must leave alone."""
    n = len(words)
    fixed = np.zeros(n, bool)
    quoted = np.zeros(n, bool)
    counts = Counter(words)
    for i, (word, start) in enumerate(zip(words, starts, strict=True)):
        fixed[i] = (
            is_fact_word(word)
            or _in_figure_compound(text, start, start + len(word))
            or (word[:1].isupper() and counts[word] > 1)
        )
    regions = quoted_regions(text)
    if regions:
        at = np.array(starts, np.int64)
        for s, e in regions:
            quoted |= (at > s) & (at < e)
    return Protected(fixed, quoted)
