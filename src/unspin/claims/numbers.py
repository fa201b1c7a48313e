"""Numbers in news prose: numerals, number words, scales, currencies, units, qualifiers.

A *quantity* is a number with what it counts: ``200 detainees``, ``$1.5 million``,
``a dozen journalists``, ``a multi-billion euro package``, ``43 percent``. This module
finds them with character offsets and normalises the number (``"three"`` -> 3.0,
``"1.5 million"`` -> 1_500_000.0, ``"2, 000"`` -> 2000.0 for detokenised text) and the
qualifier in front of it (``more than`` -> ``more``, ``about`` -> ``about``).

Durations (``three hours``) are quantities whose unit is a unit of time; they are picked
out by :mod:`unspin.claims.durations`. Years and clock times are not quantities (see
:mod:`unspin.claims.dates`).

Example:
    >>> [(q.value, q.unit, q.counts, q.qualifier) for q in find_quantities(
    ...     "More than 200 detainees and a dozen journalists were freed.")]
    [(200.0, None, 'detainee', 'more'), (12.0, None, 'journalist', 'exact')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from unspin.claims.dates import fold_ignorecase, not_a_count
from unspin.claims.units import (
    _CURRENCY_SYMBOLS,
    _CURRENCY_WORDS,
    CURRENCIES,
    TO_METRES,
    UNIT_WORDS,
)

__all__ = [
    "QUALIFIERS",
    "Quantity",
    "find_quantities",
    "interval",
    "lemma",
    "parse_number_words",
]

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3, "tn": 1e12,
}  # fmt: skip
# Vague amounts: the lower bound they assert (qualifier "more").
_VAGUE = {
    "dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0,
    "tens of thousands": 20000.0, "hundreds of thousands": 200000.0, "millions": 2e6,
    "billions": 2e9,
}  # fmt: skip
_FIXED = {"a dozen": 12.0, "dozen": 12.0, "a couple of": 2.0, "a couple": 2.0, "a pair of": 2.0,
          "half a dozen": 6.0, "a score of": 20.0, "a half": 0.5, "half an": 0.5, "half a": 0.5}  # fmt: skip
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}

# Words before a number and the qualifier they give it.
QUALIFIERS: dict[str, str] = {
    "more than": "more", "over": "more", "upwards of": "more", "in excess of": "more",
    "just over": "more", "well over": "more", "longer than": "more", "greater than": "more",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "as many as": "at_most", "up to": "at_most", "no more than": "at_most", "at most": "at_most",
    "less than": "less", "fewer than": "less", "under": "less", "just under": "less",
    "below": "less", "shorter than": "less",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just shy of": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "circa": "about",
    "in the vicinity of": "about", "an approximate": "about", "or so": "about",
}  # fmt: skip

_NUM_WORD = "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion|trillion"
# A number spelled in words: "two hundred and fifty", "twenty-five", "three million".
_WORDS_RE = (
    rf"(?:(?:{_NUM_WORD})(?:[- ](?:{_NUM_WORD}))?"
    rf"(?:\s+(?:and\s+)?(?:{_SCALE_WORD}|(?:{_NUM_WORD})(?:-(?:{_NUM_WORD}))?))*)"
)
# A numeral: 1,000  1, 000 (detokenised)  3.5  4½
_DIGITS_RE = r"(?:\d{1,3}(?:, ?\d{3})+(?!\d)|\d+(?:\.\d+)?)[½¼¾⅓⅔]?"
_QUAL_RE = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True) if q != "or so")
_VAGUE_RE = "|".join(re.escape(v) for v in sorted(_VAGUE, key=len, reverse=True))
_FIXED_RE = "|".join(re.escape(v) for v in sorted(_FIXED, key=len, reverse=True))

_NUMBER = re.compile(
    rf"(?P<qual>\b(?:{_QUAL_RE})\s+)?"
    rf"(?P<cur>US\$|\$|€|£|¥|\be(?=\d))?\s?"
    rf"(?P<num>(?:\bmulti-?|\bmulti\s)(?={_SCALE_WORD})|{_DIGITS_RE}|\b(?:{_FIXED_RE})\b|\b(?:{_VAGUE_RE})\b(?:\s+of)?|\b{_WORDS_RE}\b)"
    r"(?P<half>\s+and\s+a\s+half)?"
    rf"(?:\s?(?P<scale>{_SCALE_WORD}|bn|mn|tn|m|k|b)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][\w']*(?:\s?-\s?[\w']+)*|%|\S")

# --- finding the matches of _NUMBER without trying it at every position ---
#
# _NUMBER starts with optional groups, so the regex engine tries its long alternations at
# every word start and space: 0.9 s of the 3.4 s of extracting the claims of the 772 ECB+
# dev articles (bench/add_speed.py, issue 20). Every match holds a ``num``, which starts
# with a digit or with a word that begins a number (``three``, ``dozens``, the ``a`` of
# "a dozen", ``multi``): an anchor. A match starts at most _BEFORE_NUM characters before
# its anchor (a currency and a space), or earlier only at a qualifier ("more than") that
# ends in white space just there. _number_matches tries _NUMBER only at those places, in
# reading order, and so yields exactly the matches of ``_NUMBER.finditer``
# (tests/test_claims_numbers.py checks the two agree).
_ANCHOR = re.compile(r"\d|\b[^\W\d_]+")
_ANCHOR_WORDS = frozenset([*_UNITS_WORDS, *(p.split()[0] for p in (*_FIXED, *_VAGUE))])
_QUAL_FIRST = frozenset(q.split()[0] for q in QUALIFIERS)
_BEFORE_NUM = 4  # "US$" and one space
_LONGEST_QUAL = max(len(q) for q in QUALIFIERS)
# In lower-cased ASCII text, only the anchors and the words a qualifier starts with: the
# words of _ANCHOR that _number_matches looks at (a whole run of letters, as _ANCHOR
# reads it), found without a Python step for every other word of the text.
_KEY_WORDS = sorted(_ANCHOR_WORDS | _QUAL_FIRST, key=len, reverse=True)
_ANCHOR_OR_QUALIFIER = re.compile(
    rf"\d|\b(?:multi[^\W\d_]*|(?:{'|'.join(map(re.escape, _KEY_WORDS))})(?![^\W\d_]))"
)


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_NUMBER.finditer(text)``, tried only around number anchors."""
    pos = 0  # the end of the last match: the next one starts here or later
    words: list[tuple[int, str]] = []  # (start, folded word) of the qualifier words read so far
    # ASCII text is folded once, whole (same offsets), and read at its anchors and
    # qualifier words only; other text word by word, folded one at a time. Only the
    # qualifier words of ``words`` are ever looked at.
    ascii_text = text.isascii()
    found = _ANCHOR_OR_QUALIFIER.finditer(text.lower()) if ascii_text else _ANCHOR.finditer(text)
    for a in found:
        q = a.start()
        if not a.group()[0].isdecimal():
            w = a.group() if ascii_text else fold_ignorecase(a.group())
            if w in _QUAL_FIRST:
                words.append((q, w))
            if w not in _ANCHOR_WORDS and not w.startswith("multi"):
                continue
        if q < pos:
            continue
        k = q - _BEFORE_NUM
        while k > pos and text[k - 1].isspace():
            k -= 1
        lo = max(pos, k - _LONGEST_QUAL)
        near = max(lo, q - _BEFORE_NUM)
        places: list[int] = []
        i = len(words) - 1
        while i >= 0 and words[i][0] >= lo:
            if words[i][0] < near and words[i][1] in _QUAL_FIRST:
                places.append(words[i][0])
            i -= 1
        places.reverse()
        places.extend(range(near, q + 1))
        for place in places:
            m = _NUMBER.match(text, place)
            if m is not None:
                yield m
                pos = m.end()
                break


# Function words that end the counted-noun phrase.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "this",
        "these",
        "those",
        "each",
        "every",
        "per",
        "while",
        "when",
        "after",
        "before",
        "since",
        "during",
        "about",
        "around",
        "over",
        "under",
        "into",
        "across",
        "against",
        "between",
        "among",
        "it",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "we",
        "they",
        "he",
        "she",
        "i",
        "you",
        "there",
        "here",
        "not",
        "no",
        "only",
        "also",
        "just",
        "ago",
        "old",
        "earlier",
        "later",
        "more",
        "less",
    ]
)
_AGE_AFTER = re.compile(r"\s?-\s?years?\s?-\s?old\b|\s+years?\s+old\b")
_AGE_VERB = re.compile(
    r"\b(?:[Hh]e was|[Ss]he was|[Hh]e is|[Ss]he is|dies at|died at|aged|age of)\s$"
)
_NAME_COMMA = re.compile(r"(?:[A-Z][\w'.-]+|\baged?)\s?,?\s$")
_SKIP_BEFORE = re.compile(
    r"(?:\b(?:No|no|Number|number|Week|week|Route|Article|page|Page|Section|Chapter|Level|Flight|Room|Highway|Interstate|Channel|Gate|Platform|version|Vol|Apollo)\.?|[A-Za-z]-)\s*$"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text, with what it counts.

    Attributes:
        start, end: character span of the whole expression (qualifier to counted noun).
        value: the number (for vague amounts, the lower bound they assert).
        unit: currency code, ``percent``, a measurement or time unit, or ``None``.
        counts: lemma of the counted noun (``detainee``), ``money`` or ``age``; ``None``
            when nothing follows the number.
        qualifier: ``exact``, ``about``, ``more``, ``at_least``, ``less``, ``at_most`` or
            ``nearly``.
        num_end: end of the number itself (before unit and noun).
        hyphenated: written as a compound modifier (``a 45-minute call``).
    """

    start: int
    end: int
    value: float
    unit: str | None
    counts: str | None
    qualifier: str
    num_end: int
    hyphenated: bool = False


# Memoised: claims read every content word of a sentence through it (69,000 calls for
# the 772 ECB+ dev articles, most of them repeats).
@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude singular of an English noun (``detainees`` -> ``detainee``), lower-cased."""
    w = word.lower().replace(" ", "")
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "uses")):
        return w[:-2]
    if w == "people" or w == "children":
        return w
    if w.endswith("men"):
        return w[:-3] + "man"
    if w.endswith("s"):
        return w[:-1]
    return w


def parse_number_words(text: str) -> float | None:
    """The value of a number written in words or digits; ``None`` if it is not one.

    >>> parse_number_words("two hundred and fifty")
    250.0
    >>> parse_number_words("1, 500")
    1500.0
    """
    t = text.strip().lower()
    if t in _FIXED:
        return _FIXED[t]
    vague = t[:-3].strip() if t.endswith(" of") else t
    if vague in _VAGUE:
        return _VAGUE[vague]
    if t and t[0].isdigit():
        frac = 0.0
        if t[-1] in _FRACTIONS:
            frac, t = _FRACTIONS[t[-1]], t[:-1]
        try:
            return float(t.replace(", ", "").replace(",", "")) + frac
        except ValueError:
            return None
    total = 0.0
    current = 0.0
    seen = False
    for part in re.split(r"[\s-]+", t):
        if part == "and" or not part:
            continue
        if part in _UNITS_WORDS:
            current += _UNITS_WORDS[part]
            seen = True
        elif part in ("hundred",):
            current = (current or 1) * 100
            seen = True
        elif part in _SCALES:
            total += (current or 1) * _SCALES[part]
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def interval(value: float, qualifier: str) -> tuple[float, float]:
    """The range of true values a qualified number allows.

    ``about`` allows ±25 %, ``nearly`` 80–100 %, ``more`` anything above (up to 100×),
    ``less`` anything below; an exact figure allows the rounding a reporter would do
    (±2 % — "1,000 people" and "1,012 people" still differ, see compare.py).
    """
    v = abs(value)
    if qualifier == "about":
        return v * ABOUT_LOW, v * ABOUT_HIGH
    if qualifier == "nearly":
        return v * NEARLY_LOW, v
    if qualifier == "more":
        return v, max(v * 100, v + 1)
    if qualifier == "at_least":
        return v, max(v * 100, v + 1)
    if qualifier == "less":
        return 0.0, v
    if qualifier == "at_most":
        return 0.0, v
    return v * (1 - EXACT_SLACK), v * (1 + EXACT_SLACK)


# Width of the ranges of interval(). "about 45 minutes" covers 34–56 minutes; "nearly three
# hours" 144–180. Set by the trade-talks example and the annotated ECB+ relations (dev
# clusters): at ±50 % the one annotated distance conflict (feet vs metres) would overlap.
ABOUT_LOW, ABOUT_HIGH = 0.75, 1.25
NEARLY_LOW = 0.8
EXACT_SLACK = 0.02


def _qualifier(phrase: str | None) -> str:
    if not phrase:
        return "exact"
    return QUALIFIERS.get(" ".join(phrase.lower().split()), "exact")


# The patterns _counted tries at every number (compiled once: its module-level re.match
# calls were looked up in re's cache 40,000 times for the 772 ECB+ dev articles).
_HYPHEN = re.compile(r"\s?-\s?")
_SPACES = re.compile(r"\s+")
_YEARS_OLD = re.compile(r"\s?-\s?old\b")


def _counted(text: str, pos: int, limit: int) -> tuple[str | None, str | None, int, bool]:
    """Unit and counted noun after ``pos``; returns (unit, counts, end, hyphenated)."""
    rest = text[pos:limit]
    hyphenated = False
    m = _HYPHEN.match(rest)
    if m:  # "45-minute", "90 - day", "37-year-old"
        hyphenated = True
        rest_off = m.end()
    else:
        m2 = _SPACES.match(rest)
        rest_off = m2.end() if m2 else 0
        if not m2 and rest[:1] not in ("%",) and rest[:1].isalpha() is False:
            return None, None, pos, False
    unit: str | None = None
    end = pos
    words: list[tuple[str, int, int]] = []
    for wm in _WORD.finditer(rest, rest_off):
        if wm.start() > rest_off and rest[rest_off : wm.start()].strip():
            break
        words.append((wm.group(), pos + wm.start(), pos + wm.end()))
        rest_off = wm.end()
        m3 = _SPACES.match(rest, rest_off)
        if m3 and "\n" not in m3.group():
            rest_off = m3.end()
        if len(words) >= 6:
            break
    i = 0
    # a unit right after the number (two-word units first)
    if len(words) >= 2 and f"{words[0][0]} {words[1][0]}".lower() in UNIT_WORDS:
        unit = UNIT_WORDS[f"{words[0][0]} {words[1][0]}".lower()]
        end, i = words[1][2], 2
    elif words and words[0][0].lower() in UNIT_WORDS:
        unit = UNIT_WORDS[words[0][0].lower()]
        end, i = words[0][2], 1
    elif words and words[0][0].lower() in _CURRENCY_WORDS:
        unit = _CURRENCY_WORDS[words[0][0].lower()]
        end, i = words[0][2], 1
    counts: str | None = None
    # the noun phrase that follows: up to 4 words, ending before a function word
    m4 = _YEARS_OLD.match(text[end : end + 8]) if unit == "year" else None
    if m4 is not None:
        return "year", "age", end + m4.end(), True
    if unit is not None and unit in TO_METRES or unit == "percent":
        return unit, "distance" if unit in TO_METRES else None, end, hyphenated
    last: tuple[str, int, int] | None = None
    for w, ws, we in words[i : i + 4]:
        lw = w.lower()
        if lw in _STOP or not w[0].isalpha():
            if lw == "and" and last is not None and last[0][:1].isupper():
                continue  # "12 Valdorian and Kessarian sailors": keep reading
            break
        if lw in UNIT_WORDS or lw in _CURRENCY_WORDS:
            if unit is None:
                unit = UNIT_WORDS.get(lw) or _CURRENCY_WORDS.get(lw)
            last = (w, ws, we)
            continue
        last = (w, ws, we)
        if (
            w[0].islower()
            and len(lw) > 3
            and lw.endswith("s")
            and not lw.endswith(("ss", "us", "is"))
        ):
            break  # a plural noun ends the phrase: "40 delegates attended"
        if w[0].isupper() and ws > pos + 1:
            # capitalised words are adjectives of nationality or names; keep going
            continue
    if last is not None and not (
        last[0].lower() in UNIT_WORDS or last[0].lower() in _CURRENCY_WORDS
    ):
        counts = lemma(last[0].replace(" - ", "-"))
        end = max(end, last[2])
    elif last is not None:
        end = max(end, last[2])
    return unit, counts, end, hyphenated


def find_quantities(text: str) -> list[Quantity]:
    """Every number with its unit and counted noun in ``text``, in order.

    Years (1800–2099 written alone), clock times, dates, ordinals and numbers that are
    parts of names (``A-320``, ``Week 11``, ``No. 1``) are skipped; :mod:`dates` handles
    the dates.
    """
    found: list[Quantity] = []
    for m in _number_matches(text):
        num = m.group("num")
        if not num or not num.strip():
            continue
        start, num_end = m.start(), m.end("num")
        if m.group("half"):
            num_end = m.end("half")
        if m.group("scale"):
            num_end = m.end("scale")
        raw = num.strip()
        low = raw.lower()
        if low.startswith("multi"):
            value = _SCALES[(m.group("scale") or "billion").lower()]
            qualifier = "more"
        else:
            value_opt = parse_number_words(raw)
            if value_opt is None:
                continue
            value = value_opt + (0.5 if m.group("half") else 0.0)
            qualifier = _qualifier(m.group("qual"))
            vague = low[:-3].strip() if low.endswith(" of") else low
            if vague in _VAGUE:
                qualifier = "more" if qualifier == "exact" else qualifier
            scale = (m.group("scale") or "").lower()
            if scale:
                if scale == "m" and not (m.group("cur") or text[m.end() : m.end() + 1] in " ,.;"):
                    num_end = m.end("num")
                elif scale in ("m",) and not m.group("cur"):
                    # "80m" after a bare number is metres, not millions
                    num_end = m.end("num")
                else:
                    value *= _SCALES[scale]
        if raw[:1].isdigit() and not_a_count(text, m.start("num"), m.end("num"), raw):
            continue
        if raw.lower() in ("one",) and re.match(
            r"\s+(?:of|another|day|by|more|thing)\b", text[num_end : num_end + 9]
        ):
            continue
        if (
            not m.group("qual")
            and m.start("num") > 0
            and _SKIP_BEFORE.search(text[max(0, m.start("num") - 12) : m.start("num")])
        ):
            continue
        unit = _CURRENCY_SYMBOLS.get((m.group("cur") or "").lower())
        start = (
            m.start("qual")
            if m.group("qual")
            else (m.start("cur") if m.group("cur") else m.start("num"))
        )
        # "eight of the councillors"
        of_m = re.match(
            r"\s+of\s+(?:the|those|them|his|her|their|its|these)\s+([A-Za-z][\w-]*)",
            text[num_end : num_end + 40],
        )
        if of_m and not low.endswith(" of"):
            found.append(
                Quantity(
                    start,
                    num_end + of_m.end(),
                    value,
                    unit,
                    lemma(of_m.group(1)),
                    qualifier,
                    num_end,
                )
            )
            continue
        age = _AGE_AFTER.match(text, num_end)
        if (
            age is None
            and value < 120
            and not m.group("qual")
            and _AGE_VERB.search(text, max(0, start - 12), start)
            and re.match(r"\s?[.,;\n]|$", text[num_end : num_end + 2])
        ):
            found.append(Quantity(start, num_end, value, "year", "age", "exact", num_end))
            continue
        if age is not None or (
            value < 120
            and _NAME_COMMA.search(text, max(0, start - 40), start)
            and re.match(r"\s?[,)]", text[num_end : num_end + 2])
        ):
            end = age.end() if age is not None else num_end
            found.append(
                Quantity(start, end, value, "year", "age", qualifier, num_end, age is not None)
            )
            continue
        u2, counts, end, hyphen = _counted(text, num_end, min(len(text), num_end + 80))
        if unit is None:
            unit = u2
        elif u2 is not None and counts is None:
            counts = None
        if unit in CURRENCIES:
            counts = "money"
        # "or so" after the noun
        tail = re.match(r"\s+or so\b", text[end : end + 7])
        if tail:
            qualifier, end = "about", end + tail.end()
        if end == num_end and unit is None and counts is None:
            end = num_end
        found.append(Quantity(start, end, value, unit, counts, qualifier, num_end, hyphen))
    return found
