"""An outlet's time zone: from the page's stated offset, a table of outlets, its domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from unspin.claims.zones import local_anchor, outlet_zone, same_moment_possible, zone_of


@pytest.mark.parametrize(
    ("url", "site", "zone"),
    [
        ("https://www.nytimes.com/2026/03/02/world/call.html", None, "America/New_York"),
        ("https://news.example.co.jp/a/1", None, "Asia/Tokyo"),
        (None, "abc.net.au", "Australia/Sydney"),
        ("https://www.example.de/politik", "Example Zeitung", "Europe/Berlin"),
    ],
)
def test_zone_of_an_outlet(url: str | None, site: str | None, zone: str) -> None:
    found = zone_of(url, site)
    assert found is not None and found.key == zone


def test_unknown_outlet_has_no_zone() -> None:
    assert zone_of("https://example.com/a", "Example News") is None
    assert zone_of(None, "Example News") is None


def test_a_stated_offset_wins_over_the_domain() -> None:
    published = datetime(2026, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=9)))
    assert local_anchor(published, "https://example.de/a", None) == published
    assert outlet_zone(published, "https://example.de/a", None) == published.tzinfo


def test_a_utc_time_moves_into_the_outlets_zone() -> None:
    # 01:00 UTC on Tuesday is still Monday evening in New York.
    published = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    local = local_anchor(published, "https://www.nytimes.com/x", None)
    assert local is not None and local.date() == date(2026, 3, 2)
    assert local == published


@pytest.mark.parametrize(
    ("west", "east", "possible"),
    [
        ("America/New_York", "Asia/Tokyo", True),  # Monday evening NY = Tuesday morning Tokyo
        ("Asia/Tokyo", "America/New_York", False),  # Tokyo's Monday is never New York's Tuesday
        ("Europe/London", "Europe/London", False),  # one zone: one day apart is one day apart
    ],
)
def test_one_day_apart_across_zones(west: str, east: str, possible: bool) -> None:
    zw, ze = ZoneInfo(west), ZoneInfo(east)
    assert same_moment_possible(date(2026, 3, 2), zw, date(2026, 3, 3), ze) is possible


def test_two_days_apart_is_never_explained() -> None:
    assert not same_moment_possible(
        date(2026, 3, 2),
        ZoneInfo("Pacific/Honolulu"),
        date(2026, 3, 4),
        ZoneInfo("Pacific/Kiritimati"),
    )


def test_zones_an_hour_apart_do_not_explain_a_day() -> None:
    # Thursday at UTC+01:00 and Friday at UTC+02:00 share a single hour.
    zone_a, zone_b = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
    assert not same_moment_possible(date(2026, 3, 12), zone_a, date(2026, 3, 13), zone_b)


def test_the_part_of_day_named_must_fit() -> None:
    ny, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    # Monday evening in New York is Tuesday morning in Tokyo ...
    assert same_moment_possible(monday, ny, tuesday, tokyo, parts=("evening", "morning"))
    # ... but Monday morning in New York is Monday night in Tokyo, never Tuesday evening.
    assert not same_moment_possible(monday, ny, tuesday, tokyo, parts=("morning", "evening"))
