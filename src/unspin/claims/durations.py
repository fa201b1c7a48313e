"""Durations: how long something lasted, in minutes.

A duration is a quantity whose unit is a unit of time (``more than three hours``,
``a 45-minute call``, ``a 60-day pause``) or a time unit with an article after a
qualifier (``more than an hour``, ``about a week``), or ``weeklong``. Everything is
normalised to minutes so "three hours" and "180 minutes" compare equal; months count
30 days and years 365.

``eight days ago`` is not a duration but a date (see :mod:`unspin.claims.dates`).

Example:
    >>> [(d.minutes, d.qualifier) for d in find_durations("The talks lasted more than three hours.")]
    [(180.0, 'more')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from unspin.claims.dates import folded_twin
from unspin.claims.numbers import QUALIFIERS, Quantity, find_quantities, parse_number_words
from unspin.text import FUNCTION_WORDS

__all__ = ["MINUTES", "Duration", "find_durations", "format_minutes"]

# Minutes per unit of time.
MINUTES: dict[str, float] = {
    "second": 1 / 60,
    "minute": 1.0,
    "hour": 60.0,
    "day": 1440.0,
    "week": 10080.0,
    "month": 43200.0,
    "year": 525600.0,
    "decade": 5256000.0,
}

_QUAL_RE = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True) if q != "or so")
_ARTICLE_UNIT = re.compile(
    rf"\b(?P<qual>{_QUAL_RE})\s+(?:an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year|decade)\b",
    re.IGNORECASE,
)
_FOR_AN = re.compile(
    r"\b(?:for|lasted|lasting|took)\s+(?:an?)\s+(?P<unit>hour|day|week|month|year)\b", re.IGNORECASE
)
_LONG = re.compile(r"\b(?P<unit>hour|day|week|month|year)\s?-?\s?long\b", re.IGNORECASE)
_UNIT_RE = r"(?P<unit>second|minute|hour|day|week|month|year)s?"
_NUMBER_WORD_RE = (
    r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety)"
)
# Compound adjectives the number parser does not read: the qualifier hyphenated into the
# modifier ("a more-than-two-hour meeting", "a nearly-three-hour call") and a half joined
# by hyphens ("a two-and-a-half-hour call"), each before the noun it modifies.
_COMPOUND = re.compile(
    r"\b(?P<qual>(?:more|greater|longer|less|shorter)-than-|nearly-|almost-|roughly-|about-)?"
    rf"(?P<num>{_NUMBER_WORD_RE})(?P<half>-and-a-half)?-{_UNIT_RE}(?:-long)?"
    r"(?:\s+(?P<of>[a-z]{3,}))?\b",
    re.IGNORECASE,
)
# "an hour and a half", "an hour-and-a-half meeting", "a day and a half".
_AND_A_HALF = re.compile(
    r"\b(?P<qual>(?:more|less|longer|shorter|greater) than\s+|nearly\s+|almost\s+|about\s+)?"
    r"an?\s+(?P<unit>hour|day|week|month|year)(?:\s+|-)and(?:\s+|-)a(?:\s+|-)half\b",
    re.IGNORECASE,
)

# What each pattern above cannot match without, searched first: most texts hold none of
# them, and a plain search costs a fraction of trying a pattern at every word boundary.
# Each is a necessary condition (same flags), so skipping a pattern changes nothing.
_AN_UNIT = re.compile(
    r"\b(?:an?|one)\s+(?:second|minute|hour|day|week|month|year|decade)\b", re.IGNORECASE
)
_GATES: dict[re.Pattern[str], re.Pattern[str]] = {
    _COMPOUND: re.compile(r"-(?:second|minute|hour|day|week|month|year)", re.IGNORECASE),
    _AND_A_HALF: re.compile(r"half", re.IGNORECASE),
    _ARTICLE_UNIT: _AN_UNIT,
    _FOR_AN: _AN_UNIT,
    _LONG: re.compile(r"long", re.IGNORECASE),
}


# Each pattern and gate as it reads ASCII text lower-cased (dates.folded_twin): the same
# spans in half the time or less; the groups are read lower-cased anyway.
_TWINS: dict[re.Pattern[str], re.Pattern[str]] = {
    rx: folded_twin(rx) for rx in (*_GATES, *_GATES.values())
}


def _folded(text: str) -> str | None:
    """``text`` lower-cased for the twins when it is ASCII, else None."""
    return text.lower() if text.isascii() else None


def _matches(
    rx: re.Pattern[str], text: str, folded: str | None, gated: dict[re.Pattern[str], bool]
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, skipped when the text lacks what every match of it holds.

    Args:
        folded: ``text`` lower-cased when it is ASCII (read by the twins), else None.
        gated: whether each gate was found in this text, filled in as they are searched
            (two patterns share one).
    """
    gate = _GATES.get(rx)
    if gate is not None:
        if gate not in gated:
            found = gate.search(text) if folded is None else _TWINS[gate].search(folded)
            gated[gate] = found is not None
        if not gated[gate]:
            return iter(())
    return rx.finditer(text) if folded is None else _TWINS[rx].finditer(folded)


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time found in text.

    Attributes:
        start, end: character span (qualifier through unit or modified noun).
        minutes: the length in minutes.
        qualifier: as in :class:`unspin.claims.numbers.Quantity`.
        unit: the unit as written (``hour``), for display.
        amount: the number as written, in that unit (3.0 for "three hours").
        of: the noun the duration modifies (``pause`` in "a 60-day pause"), if any.
    """

    start: int
    end: int
    minutes: float
    qualifier: str
    unit: str
    amount: float
    of: str | None = None


def from_quantity(q: Quantity) -> Duration | None:
    """The duration a quantity states, or ``None`` if its unit is not a unit of time."""
    if q.unit not in MINUTES or q.counts == "age":
        return None
    return Duration(
        q.start,
        q.end,
        q.value * MINUTES[q.unit],
        q.qualifier,
        q.unit,
        q.value,
        q.counts if q.hyphenated else None,
    )


def _noun(word: str | None) -> str | None:
    """The noun a compound duration modifies, or None for a function word ("and")."""
    if not word or word.lower() in FUNCTION_WORDS:
        return None
    return word.lower()


def find_durations(text: str, quantities: list[Quantity] | None = None) -> list[Duration]:
    """Every duration in ``text``, in order; ``N units ago`` is left to the dates.

    Args:
        quantities: the result of :func:`find_quantities` on ``text``, if already known.
    """
    qs = find_quantities(text) if quantities is None else quantities
    folded = _folded(text)
    gated: dict[re.Pattern[str], bool] = {}
    found: list[Duration] = []
    for q in qs:
        d = from_quantity(q)
        if d is None:
            continue
        if re.match(r"\s+ago\b", text[q.end : q.end + 5]):
            continue
        found.append(d)
    taken = [(d.start, d.end) for d in found]
    for m in _matches(_COMPOUND, text, folded, gated):
        if m.group("qual") is None and m.group("half") is None:
            continue  # a plain "90-minute call" is read by the number parser
        amount = parse_number_words(m.group("num"))
        if amount is None:
            continue
        amount += 0.5 if m.group("half") else 0.0
        qual = (m.group("qual") or "").strip("-").replace("-", " ").lower()
        unit = m.group("unit").lower()
        found = [d for d in found if not (d.start < m.end() and m.start() < d.end)]
        found.append(
            Duration(
                m.start(),
                m.end(),
                amount * MINUTES[unit],
                QUALIFIERS.get(qual, "exact"),
                unit,
                amount,
                _noun(m.group("of")),
            )
        )
    for m in _matches(_AND_A_HALF, text, folded, gated):
        qual = " ".join((m.group("qual") or "").lower().split())
        unit = m.group("unit").lower()
        found = [d for d in found if not (d.start < m.end() and m.start() < d.end)]
        found.append(
            Duration(
                m.start(), m.end(), 1.5 * MINUTES[unit], QUALIFIERS.get(qual, "exact"), unit, 1.5
            )
        )
    taken = [(d.start, d.end) for d in found]
    for rx, qual in ((_ARTICLE_UNIT, None), (_FOR_AN, "exact"), (_LONG, "about")):
        for m in _matches(rx, text, folded, gated):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            unit = m.group("unit").lower()
            qualifier = qual or QUALIFIERS.get(" ".join(m.group("qual").lower().split()), "exact")
            if rx is _ARTICLE_UNIT:
                start = m.start("qual")
            elif rx is _FOR_AN:
                start = m.start() + m.group().lower().index(" a") + 1  # from the article
            else:
                start = m.start()
            found.append(Duration(start, m.end(), MINUTES[unit], qualifier, unit, 1.0))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def format_minutes(minutes: float) -> str:
    """A duration in the largest unit that keeps it readable: ``180`` -> ``3 hours``."""
    for unit in ("year", "month", "week", "day", "hour", "minute"):
        n = minutes / MINUTES[unit]
        if n >= 1 and (abs(n - round(n)) < 1e-9 or unit == "minute" or n >= 10):
            n_txt = f"{n:g}" if abs(n - round(n)) < 1e-9 else f"{n:.1f}"
            return f"{n_txt} {unit}{'' if n_txt == '1' else 's'}"
    return f"{minutes * 60:g} seconds"
