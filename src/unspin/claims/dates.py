"""Dates in news prose, resolved against the article's publication date and time zone.

Finds weekdays (``on Thursday``, ``Friday morning``, ``last Tuesday``), relative days
(``yesterday``, ``last night``, ``today``), relative periods (``last month``, ``this
year``, ``eight days ago``), explicit dates (``May 3, 2013``, ``3 May``, ``Sept. 11,
2001``, ``11/30/09``, ``2012-04-04``), months (``in December``, ``September 2010``) and
years used as a time (``in 2008``).

Each mention is resolved against an *anchor*: the publication time in the outlet's own
time zone (an article published 01:00+09:00 on Friday calls that day "today", even though
it is still Thursday in UTC). News reports the past, so a bare weekday is the most
recent such day on or before the anchor, unless the sentence speaks of the future
("will", "next"). Without an anchor the value stays symbolic: ``weekday:thursday``,
``rel:-1d``, ``rel:-1m``, ``md:10-23``.

Example:
    >>> from datetime import datetime, timezone
    >>> anchor = datetime(2026, 3, 13, 9, 30, tzinfo=timezone.utc)  # a Friday
    >>> [(d.value, d.part) for d in find_dates("Talks ended on Thursday; yesterday's", anchor)]
    [('2026-03-12', None), ('2026-03-12', None)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "DateMention",
    "find_dateline",
    "find_dates",
    "fold_ignorecase",
    "folded_twin",
    "not_a_count",
]

_MONTH_NUM = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "a": 1, "a few": 3, "several": 3}  # fmt: skip

_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})\s?-\s?(?P<m>[01]?\d)\s?-\s?(?P<d>[0-3]?\d)\b")),
    ("slash", re.compile(r"\b(?P<a>[0-3]?\d)\s?/\s?(?P<b>[0-3]?\d)\s?/\s?(?P<y>\d{4}|\d{2})\b")),
    (
        "wd_mdy",
        re.compile(
            rf"\b(?P<wd>{_WD}),?\s+(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "wd_dmy",
        re.compile(
            rf"\b(?P<wd>{_WD}),?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "mdy",
        re.compile(rf"\b(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b"),
    ),
    (
        "dmy",
        re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})\b"),
    ),
    ("my", re.compile(rf"\b(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})\b")),
    (
        "md",
        re.compile(
            rf"\b(?P<mon>{_MON})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s?[:.]\d|,?\s*\d{{3}})"
        ),
    ),
    ("dm", re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b")),
    (
        "wd",
        re.compile(
            rf"\b(?P<mod>(?:last|this|next|on|late|early|until|by|since)\s+)?(?P<wd>{_WD})(?P<poss>'s)?{_PART}\b"
        ),
    ),
    (
        "rel_day",
        re.compile(
            r"\b(?P<rel>yesterday|today|tomorrow|tonight|last night|this morning|this afternoon|this evening|earlier today|overnight)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|a)\s+(?P<u>day|week|month|year|decade)s?\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rel_period",
        re.compile(
            r"\b(?P<mod>last|this|next|earlier this|later this|past)\s+(?P<u>week|month|year|season|summer|winter|spring|autumn|weekend)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?P<prep>in|since|until|by|during|early|late|last|next|this)\s+(?P<mon>{_MON})\b(?!\s+\d)"
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?P<prep>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Tt]o|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|a|[Tt]he|early|late|mid-?)\s+(?P<y>{_YEAR})\b(?!\s?-\s?\d)"
        ),
    ),
]
# What each pattern cannot match without: one of these strings in the text (or, for the
# patterns that ignore case, in fold_ignorecase(text)). find_dates skips a pattern whose
# strings are all absent instead of scanning the whole text with it; the 15 scans were
# 0.8 s of the 3.4 s of extracting the claims of the 772 ECB+ dev articles
# (bench/add_speed.py, issue 20), and most articles lack the words of several of them.
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NEEDS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "iso": (False, ("-",)),
    "slash": (False, ("/",)),
    "wd_mdy": (True, tuple(w.lower() for w in _WEEKDAY_NAMES)),
    "wd_dmy": (True, tuple(w.lower() for w in _WEEKDAY_NAMES)),
    "mdy": (False, _MONTH_STEMS),
    "dmy": (False, _MONTH_STEMS),
    "my": (False, _MONTH_STEMS),
    "md": (False, _MONTH_STEMS),
    "dm": (False, _MONTH_STEMS),
    "wd": (False, _WEEKDAY_NAMES),
    "rel_day": (True, ("yesterday", "today", "tomorrow", "tonight", "night", "morning",
                       "afternoon", "evening")),
    "ago": (True, ("ago",)),
    "rel_period": (True, ("week", "month", "year", "season", "summer", "winter", "spring",
                          "autumn")),
    "month": (False, _MONTH_STEMS),
    "year": (False, ("18", "19", "20")),
}  # fmt: skip


# --- the patterns built around a month, weekday or year, tried only where one stands ---
#
# Each match of these patterns holds exactly one month name, weekday name or year (a
# whole number 1800-2099) that begins at a word boundary: its ``mon``, ``wd`` or ``y``
# group, with no other such name or year before or after it in the match (the words
# around it are digits of a day or month, ordinal endings, "of", prepositions, times of
# day). And it begins at that name or at most a few characters before it: a day number
# with its ending or a preposition (up to six characters), and the white space between,
# with "of" ("the 3rd of May"). So
# :func:`_matches_near` tries a pattern only at those few places around each name instead
# of scanning the whole text with it, and yields exactly what ``finditer`` does
# (tests/test_claims_dates.py holds the two equal): the eleven scans were 0.5 s of the
# 0.6 s of find_dates over the 772 ECB+ dev articles (bench/add_speed.py, issue 20).
#
# Where the names stand: the places the patterns below match (kept as the definition;
# tests/test_claims_dates.py holds the finders equal to them). A pattern that begins with
# a word boundary is tried at every character of the text, one without it only where its
# first letters stand (4 times faster), so the finders look for the letters and check
# the boundaries themselves.
MONTH_NAME = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
WEEKDAY_NAME = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
WEEKDAY_NAME_FOLDED = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day")
YEAR_NUMBER = re.compile(rf"\b{_YEAR}\b")
_MONTH_LETTERS = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_YEAR_DIGITS = re.compile(r"(?:1[89]|20)\d\d")
_WEEKDAY_STEMS = ("Mon", "Tues", "Wednes", "Thurs", "Fri", "Satur", "Sun")
_WEEKDAY_STEMS_FOLDED = tuple(w.lower() for w in _WEEKDAY_STEMS)


def _is_word(ch: str) -> bool:
    """Whether ``ch`` is a word character (``\\w``: alphanumeric or ``_``)."""
    return ch.isalnum() or ch == "_"


def _word_starts(text: str, starts: Iterable[int]) -> list[int]:
    """Those of ``starts`` (of words' first characters) that a word boundary precedes."""
    return [p for p in starts if not p or not _is_word(text[p - 1])]


def month_names(text: str) -> list[int]:
    """Where :data:`MONTH_NAME` matches in ``text`` (its starts, ascending). The letters
    are three long and a match is preceded by no word character, so no match of the
    letters that is not a name can hide one that is."""
    return _word_starts(text, (m.start() for m in _MONTH_LETTERS.finditer(text)))


def _weekday_names(text: str, stems: tuple[str, ...]) -> list[int]:
    found: list[int] = []
    at = text.find("day")
    while at != -1:
        for stem in stems:
            if at >= len(stem) and text.startswith(stem, at - len(stem)):
                found.append(at - len(stem))
                break
        at = text.find("day", at + 3)
    return _word_starts(text, found)


def weekday_names(text: str) -> list[int]:
    """Where :data:`WEEKDAY_NAME` matches in ``text`` (its starts, ascending): at each
    "day" (which cannot overlap itself) that a weekday's stem precedes."""
    return _weekday_names(text, _WEEKDAY_STEMS)


def weekday_names_folded(text: str) -> list[int]:
    """Where :data:`WEEKDAY_NAME_FOLDED` matches in ``text`` (lower-cased)."""
    return _weekday_names(text, _WEEKDAY_STEMS_FOLDED)


def year_numbers(text: str) -> list[int]:
    """Where :data:`YEAR_NUMBER` matches in ``text`` (its starts, ascending): four digits
    that no word character touches. Inside a run of digits no match can begin, so none
    is hidden by a run that is rejected."""
    return [
        p
        for p in _word_starts(text, (m.start() for m in _YEAR_DIGITS.finditer(text)))
        if p + 4 >= len(text) or not _is_word(text[p + 4])
    ]


# kind → (where the names it is built around stand, whether they are looked for in the
# folded text, and whether a match may begin before its name)
_NEAR_NAMES: dict[str, tuple[Callable[[str], list[int]], bool, bool]] = {
    "mdy": (month_names, False, False),
    "my": (month_names, False, False),
    "md": (month_names, False, False),
    "dmy": (month_names, False, True),
    "dm": (month_names, False, True),
    "month": (month_names, False, True),
    "wd": (weekday_names, False, True),
    "wd_mdy": (weekday_names_folded, True, False),
    "wd_dmy": (weekday_names_folded, True, False),
    "iso": (year_numbers, False, False),
    "year": (year_numbers, False, True),
}  # fmt: skip
# A match begins at most this many characters before its name's white space (and "of").
_MAX_LEAD = 6


def _earliest_start(text: str, at: int) -> int:
    """The earliest place a match whose month name, weekday name or year begins at
    ``at`` can begin: back over the white space before the name, an "of" and its white
    space, and :data:`_MAX_LEAD` characters (a day number and its ending, or a
    preposition)."""
    k = at
    while k > 0 and text[k - 1].isspace():
        k -= 1
    if text[k - 2 : k] == "of":
        k -= 2
        while k > 0 and text[k - 1].isspace():
            k -= 1
    return max(0, k - _MAX_LEAD)


def _matches_near(
    rx: re.Pattern[str], text: str, names: Iterable[int], lead: bool
) -> Iterator[re.Match[str]]:
    """The matches of ``rx.finditer(text)`` for a pattern of :data:`_NEAR_NAMES`: tried
    at each name's start (``names``, ascending) and, with ``lead``, the few places
    before it where a match holding it can begin, earliest first; none overlaps the one
    before (finditer goes on from a match's end)."""
    pos = 0
    for at in names:
        if at < pos:
            continue
        for start in range(max(pos, _earliest_start(text, at)) if lead else at, at + 1):
            m = rx.match(text, start)
            if m is not None:
                yield m
                pos = m.end()
                break


def folded_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` (``re.IGNORECASE``) for text lower-cased by :func:`fold_ignorecase`: its
    letters lower-cased (not escapes such as ``\\S``, nor the ``P`` of a named group), case
    sensitive. On ASCII text (same offsets, no letters that fold to others) it finds the
    same spans, with lower-cased groups, in about half the time (the ignore-case scans
    were most of :func:`find_dates`'s time; :mod:`unspin.claims.durations` reads its
    patterns the same way)."""
    pattern = re.sub(r"(?<!\\)(?<!\(\?)[A-Z]", lambda m: m.group().lower(), rx.pattern)
    return re.compile(pattern, rx.flags & ~re.IGNORECASE)


# The twins of the patterns that ignore case (_resolve reads their groups lower-cased).
_FOLDED: dict[str, re.Pattern[str]] = {
    kind: folded_twin(rx) for kind, rx in _PATTERNS if rx.flags & re.IGNORECASE
}


def fold_ignorecase(text: str) -> str:
    """``text`` lower-cased so that a word ``re.IGNORECASE`` finds is in it as a substring.

    Besides str.lower: the dotted capital I, the dotless i and the long s, which the
    regex engine matches to ``i`` and ``s``.
    """
    low = text.lower()
    if low.isascii():
        return low
    return low.replace("\u0307", "").replace("\u0131", "i").replace("\u017f", "s")


_WD_NOUN = re.compile(
    r"\s+(?:school|schools|service|services|congregations?|paper|papers|edition|times|prayers?|market|mass|best|lunch|dinner)\b"
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|next|upcoming|scheduled|plans? to|is to|are to|due to|takes? effect|"
    r"effective|starting|from|until|expected)\b",
    re.IGNORECASE,
)
# The verb nearest before a date decides its tense: "will pay more from June 1 after the
# council approved it on Thursday" puts June 1 ahead and Thursday behind.
_NEAR_PAST = re.compile(
    r"\b(?:[a-z]+ed|said|was|were|met|held|took|gave|made|came|went|began|won|lost|fell|rose|"
    r"left|told|found|saw|spoke|struck|shot|ran|broke|began|sank|hit)\b[^.;]{0,40}$"
)
_NEAR_FUTURE = re.compile(
    r"\b(?:will|would|shall|takes? effect|take effect|due|from|starting|until|scheduled|expected|"
    r"plans? to|is to|are to)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text.

    Attributes:
        start, end: character span of the date words (without ``on``/``in``).
        value: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` when resolved; else a symbol
            (``weekday:friday``, ``rel:-1d``, ``rel:-1m``, ``rel:0y``, ``md:10-23``,
            ``month:12``).
        granularity: ``day``, ``month``, ``year`` or ``week``.
        part: ``morning``, ``afternoon``, ``evening`` or ``night`` where given.
        resolved: whether ``value`` is a calendar date.
        weekday: the weekday named in the text, if any (checked against the value).
    """

    start: int
    end: int
    value: str
    granularity: str
    part: str | None = None
    resolved: bool = False
    weekday: str | None = None


def _month(name: str) -> int:
    return _MONTH_NUM[
        name.lower().rstrip(".")[:4].rstrip("t")
        if name.lower().startswith("sept")
        else name.lower().rstrip(".")
    ]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift_month(d: date, months: int) -> tuple[int, int]:
    idx = d.year * 12 + (d.month - 1) + months
    return idx // 12, idx % 12 + 1


def _two_digit_year(y: str) -> int:
    n = int(y)
    return n if len(y) == 4 else (2000 + n if n < 70 else 1900 + n)


def find_dates(text: str, anchor: datetime | date | None = None) -> list[DateMention]:
    """Every date mention in ``text``, resolved against ``anchor`` where one is given.

    Args:
        anchor: the publication time (tz-aware: its own time zone's calendar day is
            used) or a date; ``None`` leaves relative mentions symbolic.
    """
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    folded: str | None = None
    ascii_text = text.isascii()
    names: dict[Callable[[str], list[int]], list[int]] = {}  # where each kind of name stands
    for kind, rx in _PATTERNS:
        ignorecase, needs = _NEEDS[kind]
        if ignorecase and folded is None:
            folded = fold_ignorecase(text)
        haystack = folded if ignorecase and folded is not None else text
        if not any(n in haystack for n in needs):
            continue
        twin = _FOLDED.get(kind) if ascii_text else None
        near = _NEAR_NAMES.get(kind)
        if twin is not None:
            folded = fold_ignorecase(text) if folded is None else folded
            scanned, rx = folded, twin
        else:
            scanned = text
        matches: Iterable[re.Match[str]]
        if near is not None and (twin is not None or not near[1]):
            # (a pattern that ignores case is read at names in the folded text only when
            # it reads the folded text: its twin, on ASCII text)
            finder = near[0]
            if finder not in names:
                names[finder] = finder(scanned)
            matches = _matches_near(rx, scanned, names[finder], near[2])
        else:
            matches = rx.finditer(scanned)
        for m in matches:
            s, e = m.span()
            if kind in ("wd", "month", "year"):
                s = (
                    m.start("wd")
                    if kind == "wd"
                    else (m.start("mon") if kind == "month" else m.start("y"))
                )
                if (
                    kind == "wd"
                    and m.group("mod")
                    and m.group("mod").strip().lower() in ("last", "this", "next", "late", "early")
                ):
                    s = m.start()
            if any(a < e and s < b for a, b in taken):
                continue
            mention = _resolve(kind, m, s, e, text, day)
            if mention is not None:
                found.append(mention)
                taken.append((s, e))
    return sorted(found, key=lambda d: d.start)


def _is_future(text: str, pos: int) -> bool:
    """Whether the date at ``pos`` is ahead of the anchor, by the nearest verb before it,
    else by future words anywhere in its sentence."""
    sentence = _sentence_around(text, pos)
    head = text[max(0, pos - 60) : pos]
    cut = max(head.rfind("."), head.rfind("\n"))
    head = head[cut + 1 :]
    past = _NEAR_PAST.search(head)
    future = _NEAR_FUTURE.search(head)
    if past or future:
        if past and future:
            return future.start() >= past.start()
        return future is not None
    return bool(_FUTURE.search(sentence)) and not re.search(r"\b(?:said|says)\b", sentence)


def _sentence_around(text: str, pos: int) -> str:
    a = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos)) + 1
    b_candidates = [i for i in (text.find(".", pos), text.find("\n", pos)) if i != -1]
    b = min(b_candidates) if b_candidates else len(text)
    return text[a:b]


def _resolve(
    kind: str, m: re.Match[str], s: int, e: int, text: str, day: date | None
) -> DateMention | None:
    g = m.groupdict()
    part = g.get("part")
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return DateMention(s, e, d.isoformat(), "day", resolved=True) if d else None
    if kind == "slash":
        a, b, y = int(g["a"]), int(g["b"]), _two_digit_year(g["y"])
        mth, dd = (a, b) if a <= 12 else (b, a)  # US order unless the first cannot be a month
        d = _safe_date(y, mth, dd)
        return DateMention(s, e, d.isoformat(), "day", resolved=True) if d else None
    if kind in ("mdy", "dmy", "wd_mdy", "wd_dmy"):
        d = _safe_date(int(g["y"]), _month(g["mon"]), int(g["d"]))
        wd = g.get("wd")
        return (
            DateMention(
                s, e, d.isoformat(), "day", resolved=True, weekday=wd.lower() if wd else None
            )
            if d
            else None
        )
    if kind == "my":
        return DateMention(
            s, e, f"{int(g['y']):04d}-{_month(g['mon']):02d}", "month", resolved=True
        )
    if kind in ("md", "dm"):
        mth, dd = _month(g["mon"]), int(g["d"])
        if not 1 <= dd <= 31:
            return None
        if (
            g["mon"].lower() == "may"
            and kind == "md"
            and not re.match(r"\s+\d", text[m.start("mon") + 3 : m.start("mon") + 5])
        ):
            return None
        if day is None:
            return DateMention(s, e, f"md:{mth:02d}-{dd:02d}", "day")
        future = _is_future(text, s)
        d = _safe_date(day.year, mth, dd)
        if d is None:
            return None
        if not future and d > day + timedelta(days=FUTURE_GRACE_DAYS):
            d = _safe_date(day.year - 1, mth, dd) or d
        elif future and d < day - timedelta(days=FUTURE_GRACE_DAYS):
            d = _safe_date(day.year + 1, mth, dd) or d
        return DateMention(s, e, d.isoformat(), "day", resolved=True)
    if kind == "wd":
        wd = g["wd"].lower()
        mod = (g.get("mod") or "").strip().lower()
        if g["wd"][0].islower():
            return None
        if re.search(
            r"\b(?:[Aa]n?|[Ee]very|[Ee]ach)\s+$", text[max(0, m.start() - 7) : m.start()]
        ) or _WD_NOUN.match(text, e):
            return None  # "a Sunday school", "every Sunday", "Sunday congregations"
        if day is None:
            return DateMention(s, e, f"weekday:{wd}", "day", part=part, weekday=wd)
        target = _WEEKDAYS.index(wd)
        back = (day.weekday() - target) % 7
        if mod == "next" or (mod != "last" and _is_future(text, s)):
            fwd = (target - day.weekday()) % 7
            d = day + timedelta(days=fwd or 7 if mod == "next" else fwd)
        else:
            if mod == "last" and back == 0:
                back = 7
            d = day - timedelta(days=back)
        return DateMention(s, e, d.isoformat(), "day", part=part, resolved=True, weekday=wd)
    if kind == "rel_day":
        rel = g["rel"].lower()
        offset = (
            -1 if rel in ("yesterday", "last night", "overnight") else 1 if rel == "tomorrow" else 0
        )
        part = {"last night": "night", "tonight": "night", "this morning": "morning",
                "this afternoon": "afternoon", "this evening": "evening"}.get(rel)  # fmt: skip
        if day is None:
            return DateMention(s, e, f"rel:{offset}d" if offset else "rel:0d", "day", part=part)
        return DateMention(
            s, e, (day + timedelta(days=offset)).isoformat(), "day", part=part, resolved=True
        )
    if kind == "ago":
        n = _NUMWORDS.get(g["n"].lower()) if not g["n"].isdigit() else int(g["n"])
        unit = g["u"].lower()
        if n is None:
            return None
        if unit == "decade":
            unit, n = "year", n * 10
        return _relative(s, e, unit, -n, day)
    if kind == "rel_period":
        mod, unit = g["mod"].lower(), g["u"].lower()
        if unit in ("season", "summer", "winter", "spring", "autumn"):
            unit = "year"
        if unit == "weekend":
            return None
        n = -1 if mod in ("last", "past") else 1 if mod == "next" else 0
        if mod == "past":
            return None  # "the past eight days" is a duration; "the past week" too vague
        return _relative(s, e, unit, n, day)
    if kind == "month":
        mth = _month(g["mon"])
        if (
            g["mon"] in ("May", "March")
            and g["prep"] in ("by",)
            or g["mon"].lower().startswith("may")
            and g["prep"].lower()
            not in ("in", "since", "until", "during", "early", "late", "last", "next")
        ):
            return None
        if day is None:
            return DateMention(s, e, f"month:{mth:02d}", "month")
        y = day.year
        future = g["prep"].lower() == "next" or _is_future(text, s)
        if not future and mth > day.month:
            y -= 1
        if g["prep"].lower() == "last" and mth >= day.month:
            y = day.year - 1
        return DateMention(s, e, f"{y:04d}-{mth:02d}", "month", resolved=True)
    if kind == "year":
        if g["prep"].lower() in ("a", "the") and not re.match(r"\s+[a-z]", text[e : e + 3]):
            return None
        if re.match(r"\s?[-/]\s?\d", text[e : e + 3]) or re.match(
            r"\s*(?:people|troops|votes|residents|workers)\b", text[e : e + 12]
        ):
            return None
        return DateMention(s, e, g["y"], "year", resolved=True)
    return None


def _relative(s: int, e: int, unit: str, n: int, day: date | None) -> DateMention:
    code = {"day": "d", "week": "w", "month": "m", "year": "y"}[unit]
    gran = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
    if day is None:
        return DateMention(s, e, f"rel:{n}{code}", gran)
    if unit == "day":
        return DateMention(s, e, (day + timedelta(days=n)).isoformat(), "day", resolved=True)
    if unit == "week":
        monday = day - timedelta(days=day.weekday()) + timedelta(weeks=n)
        iso = monday.isocalendar()
        return DateMention(s, e, f"{iso[0]:04d}-W{iso[1]:02d}", "week", resolved=True)
    if unit == "month":
        y, mth = _shift_month(day, n)
        return DateMention(s, e, f"{y:04d}-{mth:02d}", "month", resolved=True)
    return DateMention(s, e, f"{day.year + n:04d}", "year", resolved=True)


# A month-day without a year more than this many days after the anchor is taken to be in
# the previous year ("June 8" in an article of May 2013 is June 2012). Set from the ECB+
# dev clusters (datelines vs. body dates); a week absorbs dates of scheduled events.
FUTURE_GRACE_DAYS = 7
# How far into the text a dateline may sit (title, byline and date lines come first).
DATELINE_WINDOW = 400


def find_dateline(text: str) -> date | None:
    """The first full calendar date in the opening lines (a dateline), if any.

    Used as the anchor when an article carries no publication date in its metadata.
    """
    head = text[:DATELINE_WINDOW]
    for mention in find_dates(head):
        if mention.resolved and mention.granularity == "day":
            return date.fromisoformat(mention.value)
    return None


# --- telling counts from dates (used by unspin.claims.numbers) ---

_MONTHS_RE = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    "september|oct|october|nov|november|dec|december"
)
_DATEISH_BEFORE = re.compile(rf"(?:\b(?:{_MONTHS_RE})\.?\s*|/\s?|-\s?|:\s?)$", re.IGNORECASE)
_DATEISH_AFTER = re.compile(
    rf"^(?:\s*(?:st|nd|rd|th)\b|\s*(?:{_MONTHS_RE})\b|\s?/\s?\d|\s?:\s?\d|\s?(?:a\.\s?m|p\.\s?m|am\b|pm\b|GMT|BST|UTC|ET\b|EDT|EST))",
    re.IGNORECASE,
)


def not_a_count(text: str, start: int, end: int, raw: str) -> bool:
    """True for digits that are a year, part of a date or time, an ordinal or a name."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 12]
    if _DATEISH_BEFORE.search(before) or _DATEISH_AFTER.match(after):
        return True
    digits = raw  # a year is written as four plain digits ("2,000" is a count)
    if re.fullmatch(r"1[89]\d\d|20\d\d", digits) and not re.match(r"\s[a-z]+s\b", after):
        return True  # a year ("in 2008"); "2008 people" is a count
    if re.fullmatch(r"1[89]\d\d|20\d\d", digits) and re.match(
        r"\s(?:[a-z]+\s)?(?:season|election|campaign|draft|meeting|conviction|rampage|report|census|budget|olympics|games|world)",
        after,
        re.IGNORECASE,
    ):
        return True
    return before.endswith(("#", "No.", "No. "))
