"""A polite HTTP client for the watch: robots.txt, a per-host rate limit, Retry-After.

Every request goes through :class:`PoliteClient`, which

* reads each host's ``robots.txt`` once per client (RFC 9309: a 4xx answer allows
  everything, a 5xx or an unreachable host disallows everything for now) and refuses
  the URLs it disallows; its ``Crawl-delay`` raises the host's delay;
* waits so that two requests to one host are at least ``host_delay`` seconds apart;
* holds a host back after a 429 or 503 until its ``Retry-After`` has passed;
* sends conditional requests (``If-None-Match`` / ``If-Modified-Since``) when given
  validators, and passes 304, 429 and 503 back to the caller instead of raising.

The SSRF guard, size and time limits and the check of every redirect hop are the
ingest fetcher's (:class:`unspin.ingest.fetch.Fetcher`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from unspin.errors import FetchError
from unspin.ingest.fetch import Fetcher, Response

__all__ = ["Deferred", "PoliteClient", "RobotsRefused", "parse_retry_after"]

# Statuses the crawler handles itself rather than as failures.
NOT_MODIFIED = 304
TOO_MANY = 429
UNAVAILABLE = 503
PASSED_STATUSES = frozenset({NOT_MODIFIED, TOO_MANY, UNAVAILABLE})
# Without a Retry-After, a 429/503 holds the host back this long (one minute: long
# enough for a per-minute rate window to reset).
DEFAULT_RETRY_AFTER_S = 60.0


_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


class RobotsRefused(FetchError):
    """robots.txt disallows this URL for our user agent."""


class Deferred(FetchError):
    """The host asked us to wait (429/503 Retry-After); the URL was not requested."""

    def __init__(self, source: str, reason: str, until: float) -> None:
        super().__init__(source, reason)
        self.until = until


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class _Host:
    robots: RobotFileParser | None = None
    robots_note: str = ""
    delay: float = 0.0
    last_request: float = float("-inf")
    blocked_until: float = 0.0


class PoliteClient:
    """Requests through a :class:`Fetcher`, politely (see the module docstring).

    Args:
        fetcher: does the HTTP (guard, limits, redirects).
        host_delay: least seconds between two requests to one host.
        robots: obey robots.txt.
        sleep, clock: injectable for tests; ``clock`` is monotonic, ``wall`` is epoch.
    """

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        host_delay: float,
        robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ):
        self.fetcher = fetcher
        self.host_delay = host_delay
        self.obey_robots = robots
        self._sleep = sleep
        self._clock = clock
        self._wall = wall
        self._hosts: dict[str, _Host] = {}
        self.requests = 0
        self.not_modified = 0

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        if key not in self._hosts:
            self._hosts[key] = _Host(delay=self.host_delay)
        return key, self._hosts[key]

    def _wait_turn(self, host: _Host) -> None:
        gap = host.last_request + host.delay - self._clock()
        if gap > 0:
            self._sleep(gap)
        host.last_request = self._clock()

    def _load_robots(self, url: str, base: str, host: _Host) -> None:
        parser = RobotFileParser()
        self._wait_turn(host)
        self.requests += 1
        try:
            resp = self.fetcher.get(base + "/robots.txt", pass_status=frozenset(range(400, 600)))
        except FetchError as exc:
            if exc.reason.startswith(("refused", "unsupported")):  # the SSRF guard
                raise FetchError(url, exc.reason) from None
            parser.parse(_DISALLOW_ALL)
            parser.modified()
            host.robots_note = f"robots.txt unreachable ({exc.reason})"
            host.robots = parser
            return
        if resp.status >= 500:
            parser.parse(_DISALLOW_ALL)
            host.robots_note = f"robots.txt answered HTTP {resp.status}"
        elif resp.status >= 400:
            parser.parse([])  # no robots.txt: everything allowed
        else:
            parser.parse(resp.content.decode("utf-8", "replace").splitlines())
            parser.modified()
            delay = parser.crawl_delay(self.fetcher.options.user_agent)
            if delay is not None:
                host.delay = max(host.delay, float(delay))
        parser.modified()  # marks it read: can_fetch() and crawl_delay() answer only then
        host.robots = parser

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (fetched once per host)."""
        if not self.obey_robots:
            return True
        base, host = self._host(url)
        if host.robots is None:
            self._load_robots(url, base, host)
        robots = host.robots
        return robots is None or robots.can_fetch(self.fetcher.options.user_agent, url)

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` politely; 304, 429 and 503 come back as responses.

        Raises:
            RobotsRefused: robots.txt disallows the URL.
            Deferred: the host asked us to wait and the wait has not passed.
            FetchError: refused by the guard, a failed request, or a body too large.
        """
        _, host = self._host(url)
        now = self._clock()
        if host.blocked_until > now:
            raise Deferred(
                url, f"host asked to wait {host.blocked_until - now:.0f} s more", host.blocked_until
            )
        if not self.allowed(url):
            raise RobotsRefused(url, host.robots_note or "disallowed by robots.txt")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_turn(host)
        self.requests += 1
        resp = self.fetcher.get(url, headers=headers or None, pass_status=PASSED_STATUSES)
        if resp.status == NOT_MODIFIED:
            self.not_modified += 1
        if resp.status in (TOO_MANY, UNAVAILABLE):
            wait = parse_retry_after(resp.headers.get("retry-after"), self._wall())
            host.blocked_until = self._clock() + (
                wait if wait is not None else DEFAULT_RETRY_AFTER_S
            )
        return resp

    def retry_after(self, url: str) -> float:
        """Seconds until the host of ``url`` may be asked again (0 when it may now)."""
        _, host = self._host(url)
        return max(0.0, host.blocked_until - self._clock())
