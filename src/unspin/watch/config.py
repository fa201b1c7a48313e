"""What to watch and how politely: own outlets, sources, limits; read from flags or TOML.

A config file names the feeds and the publisher's own sites::

    feeds = ["https://news.example/feed.xml", "https://farm.example/sitemap.xml"]
    pages = "suspects.txt"            # optional: one URL a line, fetched once each
    interval = 900                    # seconds between polls in a loop
    webhook = "https://hooks.example/unspin"

    [[own]]
    prefix = "news.example"           # a domain (and its subdomains) or a URL prefix
    name = "Example News"             # how copies credit it
    licence = "CC BY-ND 4.0"          # when its pages do not say
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from unspin.errors import InputError
from unspin.ingest.fetch import FetchOptions

__all__ = ["OwnOutlet", "WatchConfig", "WatchOptions", "is_own_url", "load_config", "own_outlet"]

# One request per second to any one host unless its robots.txt asks for more
# (Crawl-delay): polite for a news site, and 1,000 feeds spread over many hosts still
# fit a 15-minute interval. Tests and the local bench set 0 for their one loopback host.
HOST_DELAY_S = 1.0
# Seconds between polls in a loop: 15 minutes, the refresh most news feeds advertise
# (RSS <ttl> of 15 is common) and the interval Google Alerts' "as it happens" nears.
POLL_INTERVAL_S = 900.0
# Backoff after a failed poll doubles per consecutive failure, from one interval up to
# a day: a feed down for a day is polled about once a day until it answers.
MAX_BACKOFF_S = 24 * 3600.0
# A Retry-After longer than this is capped: a misconfigured server must not silence a
# feed for weeks.
MAX_RETRY_AFTER_S = 24 * 3600.0


@dataclass(frozen=True)
class OwnOutlet:
    """One of the publisher's own sites: a domain or URL prefix, a name, a licence."""

    prefix: str
    name: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class WatchOptions:
    """How the watch fetches (built at the CLI boundary).

    Attributes:
        fetch: timeouts, size cap and the SSRF guard for every request.
        host_delay: seconds between two requests to one host (robots.txt may raise it).
        interval: seconds between polls of one source in a loop; also the backoff unit.
        robots: obey robots.txt (switch off only for your own servers).
        webhook: URL that receives each new alert as a signed JSON POST.
        webhook_secret: the HMAC key for the signature header.
        webhook_attempts: tries per alert and cycle before it waits for the next cycle.
        webhook_backoff: seconds before the first retry, doubled for each further one.
    """

    fetch: FetchOptions = field(default_factory=FetchOptions)
    host_delay: float = HOST_DELAY_S
    interval: float = POLL_INTERVAL_S
    robots: bool = True
    webhook: str | None = None
    webhook_secret: str | None = None
    webhook_attempts: int = 3
    webhook_backoff: float = 1.0


@dataclass(frozen=True)
class WatchConfig:
    """What to watch: sources, own outlets, pages files."""

    feeds: tuple[str, ...] = ()
    own: tuple[OwnOutlet, ...] = ()
    pages: tuple[Path, ...] = ()
    interval: float | None = None
    webhook: str | None = None


def own_outlet(prefix: str) -> OwnOutlet:
    """An :class:`OwnOutlet` from a ``--own`` value, checked.

    Raises:
        InputError: the value is neither a domain nor an http(s) URL prefix.
    """
    value = prefix.strip()
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(prefix, "own outlet must be a domain or an http(s) URL prefix")
    elif not value or "/" in value or " " in value or "." not in value:
        raise InputError(prefix, "own outlet must be a domain (news.example) or a URL prefix")
    return OwnOutlet(value.lower() if "://" not in value else value)


def is_own_url(url: str, prefixes: Sequence[str]) -> bool:
    """Whether ``url`` lies under one of ``prefixes`` (domains include subdomains)."""
    host = (urlsplit(url).hostname or "").lower()
    for prefix in prefixes:
        if "://" in prefix:
            if url.startswith(prefix):
                return True
        else:
            domain = prefix.removeprefix("www.")
            if host == domain or host.endswith("." + domain) or host == "www." + domain:
                return True
    return False


def load_config(path: Path) -> WatchConfig:
    """Read a watch config (TOML; see the module docstring).

    Raises:
        InputError: the file is missing, not TOML, or a field has the wrong type.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read the watch config ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not a valid TOML file ({exc})") from None
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list) or not all(isinstance(f, str) for f in feeds):
        raise InputError(str(path), "'feeds' must be a list of URLs")
    own: list[OwnOutlet] = []
    for i, entry in enumerate(data.get("own", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("prefix"), str):
            raise InputError(str(path), f"[[own]] entry {i + 1} needs a 'prefix' string")
        outlet = own_outlet(entry["prefix"])
        name, licence = entry.get("name"), entry.get("licence") or entry.get("license")
        if name is not None and not isinstance(name, str):
            raise InputError(str(path), f"[[own]] entry {i + 1}: 'name' must be a string")
        if licence is not None and not isinstance(licence, str):
            raise InputError(str(path), f"[[own]] entry {i + 1}: 'licence' must be a string")
        own.append(OwnOutlet(outlet.prefix, name, licence))
    pages_value = data.get("pages", [])
    pages_list = [pages_value] if isinstance(pages_value, str) else pages_value
    if not isinstance(pages_list, list) or not all(isinstance(p, str) for p in pages_list):
        raise InputError(str(path), "'pages' must be a file name or a list of them")
    interval = data.get("interval")
    if interval is not None and (not isinstance(interval, (int, float)) or interval <= 0):
        raise InputError(str(path), "'interval' must be a positive number of seconds")
    webhook = data.get("webhook")
    if webhook is not None and not isinstance(webhook, str):
        raise InputError(str(path), "'webhook' must be a URL")
    return WatchConfig(
        feeds=tuple(feeds),
        own=tuple(own),
        pages=tuple(path.parent / p for p in pages_list),
        interval=float(interval) if interval is not None else None,
        webhook=webhook,
    )
