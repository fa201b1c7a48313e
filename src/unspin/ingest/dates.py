"""Publication dates: parse what pages, feeds and bylines say into aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dateutil import parser as _dateparser

__all__ = ["parse_datetime"]

_TZINFOS = {
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
}
_NOISE = re.compile(r"\b(?:at|on|the)\b|(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def parse_datetime(value: str | None) -> datetime | None:
    """Parse a date or date-time string into a timezone-aware datetime, or None.

    A value without a zone is taken as UTC (documented assumption: pages that omit the
    zone are mostly in it, and a day's error matters less than a missing date).
    Out-of-range or unparseable values give None, never an exception.
    """
    if not value:
        return None
    text = value.strip()
    if not text or not re.search(r"\d", text):
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = _dateparser.parse(_NOISE.sub(" ", text), tzinfos=_TZINFOS, fuzzy=True)
        except (ValueError, OverflowError, _dateparser.ParserError, TypeError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    if not 1990 <= dt.year <= 2100:
        return None
    return dt
