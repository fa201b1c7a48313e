"""Publication dates: parse what pages, feeds and bylines say into aware datetimes."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, tzinfo

from dateutil import parser as _dateparser
from dateutil import tz as _tz

__all__ = ["date_line", "parse_datetime"]

_TZINFOS: dict[str, int | tzinfo | None] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "AEST": 10 * 3600,
    "AEDT": 11 * 3600,
    "IST": 19800,
    "JST": 9 * 3600,
    # North American zones written without daylight saving ("2:05 p.m. ET"): the zone's
    # offset on that date.
    "ET": _tz.gettz("America/New_York"),
    "CT": _tz.gettz("America/Chicago"),
    "MT": _tz.gettz("America/Denver"),
    "PT": _tz.gettz("America/Los_Angeles"),
}
_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NOISE = re.compile(r"\b(?:at|on|the)\b|(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a date or date-time string into a timezone-aware datetime, or None.

    A value without a zone is taken as UTC (documented assumption: pages that omit the
    zone are mostly in it, and a day's error matters less than a missing date).
    Out-of-range or unparseable values give None, never an exception, and so does a
    value without a year ("9:06 AM EDT", "May 3"): which year is meant is a guess.
    """
    if not value:
        return None
    text = _close_gaps(value.strip())
    if not text or not re.search(r"\d", text):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        if not _A_YEAR.search(text):
            return None  # "9:06 AM EDT" alone: dateutil would date it today
        try:
            with warnings.catch_warnings():
                # A word that looks like a zone ("UK") is ignored; the time stays UTC.
                warnings.simplefilter("ignore", _dateparser.UnknownTimezoneWarning)
                dt = _dateparser.parse(_NOISE.sub(" ", text), tzinfos=_TZINFOS, fuzzy=True)
        except (ValueError, OverflowError, _dateparser.ParserError, TypeError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    if not 1990 <= dt.year <= 2100:
        return None
    return dt


# A line that is only a date, with an optional weekday, time and zone: "March 3, 2024",
# "2024-03-03", "Tuesday 3 March 2024 14:05 GMT", "Mon, 03/04/2024 9:30 a.m. EST". Matched
# whole, so a headline that merely contains a year ("2024 Olympics open in Paris") or a
# date ("Talks resume on March 3, 2024") is not one.
_WEEKDAY = r"(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_CALENDAR = (
    rf"(?:{_DAY}\s+{_MONTH},?\s+{_YEAR}"  # 3 March 2024
    rf"|{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # March 3, 2024
    rf"|{_YEAR}-\d{{2}}-\d{{2}}"  # 2024-03-03
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR})"  # 03/03/2024 (read month first, as dateutil does)
)
_CLOCK = r"(?:\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
_ZONE = r"(?:(?-i:[A-Z]{1,5})(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z)"
_BARE_DATE = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_CALENDAR}"
    rf"(?:(?:,?\s+|,?\s*(?:at|-|–|—|\|)\s*|T){_CLOCK}(?:\s*\(?{_ZONE}\)?)?)?"
    # ... or the time first: "12:52 p.m. EDT May 2, 2013", "10:10 AM PDT 6/6/2013"
    rf"|{_CLOCK}(?:\s*\(?{_ZONE}\)?)?,?\s+(?:{_WEEKDAY},?\s+)?{_CALENDAR}",
    re.IGNORECASE,
)
# Separators that text extraction or tokenisation spaced out: "1: 32 PM", "p. m.",
# "05 / 02 / 2013", "2013 - 09 - 26" (closed up before a date or time is read).
_GAPS = (
    (re.compile(r"(?<=\d)\s*:\s*(?=\d)"), ":"),
    (re.compile(r"\b([ap])\.\s+m\.", re.IGNORECASE), r"\1.m."),
    (re.compile(r"(?<=\d)\s+([/.-])\s+(?=\d)"), r"\1"),
)


def _close_gaps(text: str) -> str:
    for pattern, closed in _GAPS:
        text = pattern.sub(closed, text)
    return text


def date_line(line: str) -> datetime | None:
    """The date of a line that is nothing but a date (and time, zone), else ``None``.

    ``"Tuesday 3 March 2024 14:05 GMT"`` gives 2024-03-03 14:05 UTC; a stated zone
    (``EST``, ``+09:00``) is kept; without one the time is taken as UTC (see
    :func:`parse_datetime`). A line with any other words, such as a headline containing a
    year or a sentence containing a date, gives ``None``.
    """
    text = _close_gaps(line.strip()).strip(".")
    if len(text) > 80 or not _BARE_DATE.fullmatch(text):
        return None
    # "10.05" is a time in British usage; "GMT+1" means one hour east of Greenwich in the
    # news (dateutil reads it the POSIX way, one hour west).
    text = re.sub(r"\b(\d{1,2})\.(\d{2})\b(?![./]\d)", r"\1:\2", text)
    text = _OFFSET_ZONE.sub(_offset, text)
    return parse_datetime(text)


_OFFSET_ZONE = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")


def _offset(m: re.Match[str]) -> str:
    return f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"
