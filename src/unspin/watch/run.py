"""One poll cycle: fetch what is due, ingest what is new, run the pipeline, raise alerts.

:func:`poll` is what ``unspin watch --once`` runs (the loop runs it every interval):

1. register the sources and own outlets (stored, so a later run knows them);
2. poll each source that is due (not held back by backoff or a Retry-After) with a
   conditional GET; a 304 costs nothing more;
3. for each listed item not seen before, take the article from the feed when it
   carries the full text, else fetch its page; store the page (its licence and links)
   and the article in one transaction;
4. run the later stages (provenance finds the copies) and raise the alerts not raised
   before; deliver the undelivered ones to the webhook.

A poll killed at any point resumes where it stopped: the pages stored are not fetched
again, the validators of a source are saved only with its items, and alerts are keyed
by content, so none is raised twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspin.errors import FetchError, InputError
from unspin.ingest.decode import decode_bytes
from unspin.ingest.documents import article_from_fragment, article_from_html
from unspin.ingest.fetch import Fetcher
from unspin.model import Origin
from unspin.pipeline import PipelineConfig, run_pending
from unspin.store import Store
from unspin.store.watch import NewPage, SourceRow
from unspin.watch.alerts import Alert, alert_from_row, raise_alerts
from unspin.watch.config import MAX_BACKOFF_S, MAX_RETRY_AFTER_S, OwnOutlet, WatchOptions
from unspin.watch.crawl import (
    NOT_MODIFIED,
    TOO_MANY,
    UNAVAILABLE,
    Deferred,
    PoliteClient,
    RobotsRefused,
    parse_retry_after,
)
from unspin.watch.feeds import FeedItem, Listing, parse_listing
from unspin.watch.licence import read_page
from unspin.watch.webhook import DeliveryReport, deliver

__all__ = ["SourceResult", "WatchReport", "poll", "read_pages_file"]

# Feed-carried articles stored per transaction: a kill loses at most this many, read
# again from the feed on resume (fetched pages are stored one by one).
PAGE_BATCH = 50

Event = Callable[[str, str], None]


@dataclass
class SourceResult:
    """How one source's poll went: ``new``, ``not modified``, ``failed``, ``deferred``,
    ``refused`` (robots.txt) or ``not due`` (backing off)."""

    url: str
    status: str
    new_items: int = 0
    error: str | None = None


@dataclass
class WatchReport:
    """What one poll cycle did."""

    sources: list[SourceResult] = field(default_factory=list)
    new_articles: int = 0
    failed_pages: list[tuple[str, str]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    delivery: DeliveryReport | None = None
    # wall seconds by phase: fetch (polling and storing), stages, alerts, webhook
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.__dict__ for s in self.sources],
            "new_articles": self.new_articles,
            "failed_pages": [{"url": u, "reason": r} for u, r in self.failed_pages],
            "alerts": [a.to_dict() for a in self.alerts],
            "requests": self.requests,
            "not_modified": self.not_modified,
            "stages": self.stages,
            "delivery": self.delivery.__dict__ if self.delivery else None,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def read_pages_file(path: Path) -> list[str]:
    """The URLs listed in a file, one a line (blank lines and ``#`` comments skipped).

    Raises:
        InputError: the file cannot be read or a line is not an http(s) URL.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the pages file ({exc})") from None
    urls: list[str] = []
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(("http://", "https://")):
            raise InputError(f"{path}:{n}", f"not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    return urls


def _permanent(exc: FetchError) -> bool:
    """Whether a page failure will not heal by itself (a 4xx, robots, too large, guard)."""
    if isinstance(exc, Deferred):
        return False
    reason = exc.reason
    return isinstance(exc, RobotsRefused) or reason.startswith(
        ("HTTP 4", "too large", "refused", "unsupported", "too many redirects")
    )


class _Poller:
    def __init__(
        self, store: Store, options: WatchOptions, client: PoliteClient, on_event: Event | None
    ) -> None:
        self.store = store
        self.options = options
        self.client = client
        self.on_event = on_event or (lambda kind, detail: None)
        self.report = WatchReport()
        self.transient = 0  # item fetches that failed for now (retried next cycle)

    # --- sources ----------------------------------------------------------------------

    def poll_source(self, src: SourceRow) -> list[str]:
        """Poll one source; return child sitemaps it lists."""
        now = time.time()
        if src.next_poll_ts > now:
            self.report.sources.append(
                SourceResult(
                    src.url, "not due", error=f"backing off {src.next_poll_ts - now:.0f} s"
                )
            )
            return []
        self.on_event("source", src.url)
        counters = {"n_requests": src.n_requests + 1, "last_polled": _now_sql()}
        try:
            resp = self.client.get(src.url, etag=src.etag, last_modified=src.last_modified)
        except Deferred as exc:
            self.store.update_watch_source(
                src.url, next_poll_ts=now + (exc.until - time.monotonic()), last_status="deferred"
            )
            self.report.sources.append(SourceResult(src.url, "deferred", error=exc.reason))
            return []
        except FetchError as exc:
            self._failed(
                src,
                exc.reason,
                counters,
                status="refused" if isinstance(exc, RobotsRefused) else "failed",
            )
            return []
        if resp.status == NOT_MODIFIED:
            self.store.update_watch_source(
                src.url,
                last_status="304 not modified",
                last_error=None,
                failures=0,
                next_poll_ts=0,
                n_not_modified=src.n_not_modified + 1,
                **counters,
            )
            self.report.sources.append(SourceResult(src.url, "not modified"))
            return []
        if resp.status >= 400:  # 429 / 503: wait as asked
            wait = parse_retry_after(resp.headers.get("retry-after"), now)
            wait = min(wait if wait is not None else self.options.interval, MAX_RETRY_AFTER_S)
            self.store.update_watch_source(
                src.url,
                last_status=f"HTTP {resp.status}",
                last_error=f"HTTP {resp.status}; retry after {wait:.0f} s",
                failures=src.failures + 1,
                next_poll_ts=now + wait,
                **counters,
            )
            self.report.sources.append(
                SourceResult(
                    src.url, "deferred", error=f"HTTP {resp.status}; retry after {wait:.0f} s"
                )
            )
            return []
        try:
            listing = parse_listing(resp.content, src.url)
        except InputError as exc:
            self._failed(src, exc.reason, counters, status="failed")
            return []
        retry_before = self.transient
        n_new = self._read_items(src.url, listing)
        # an item that failed for now is read again next cycle: no validators, so the
        # source answers in full instead of 304
        keep = self.transient == retry_before
        self.store.update_watch_source(
            src.url,
            kind=listing.kind,
            etag=resp.headers.get("etag") if keep else None,
            last_modified=resp.headers.get("last-modified") if keep else None,
            last_status=f"HTTP {resp.status}",
            last_error=None,
            failures=0,
            next_poll_ts=0,
            n_items=len(listing.items),
            **counters,
        )
        self.report.sources.append(SourceResult(src.url, "new" if n_new else "no new items", n_new))
        if listing.sitemaps:
            self.store.add_watch_sources((u, "sitemap", src.url) for u in listing.sitemaps)
        return list(listing.sitemaps)

    def _failed(
        self, src: SourceRow, reason: str, counters: dict[str, Any], *, status: str
    ) -> None:
        failures = src.failures + 1
        backoff = min(self.options.interval * 2 ** (failures - 1), MAX_BACKOFF_S)
        self.store.update_watch_source(
            src.url,
            last_status=status,
            last_error=reason,
            failures=failures,
            next_poll_ts=time.time() + backoff,
            **counters,
        )
        self.report.sources.append(SourceResult(src.url, status, error=reason))

    # --- items ------------------------------------------------------------------------

    def _read_items(self, source_url: str, listing: Listing) -> int:
        items = list({i.url: i for i in listing.items}.values())
        seen = self.store.seen_urls(i.url for i in items)
        fresh = [i for i in items if i.url not in seen]
        batch: list[NewPage] = []
        for item in fresh:
            page = self._read_item(source_url, item)
            if page is None:
                continue
            batch.append(page)
            # a page fetched over the network is stored at once (never fetched twice);
            # articles read from the feed itself are batched
            if item.content is None or len(batch) >= PAGE_BATCH:
                self._store(batch)
                batch = []
        self._store(batch)
        return len(fresh)

    def read_urls(self, urls: Sequence[str]) -> int:
        """Read listed pages (a pages file) not seen before."""
        listing = Listing("pages", tuple(FeedItem(url=u, record=u) for u in urls))
        return self._read_items("pages", listing)

    def _store(self, batch: list[NewPage]) -> None:
        if not batch:
            return
        results = self.store.put_watched(batch)
        self.report.new_articles += sum(r.status == "added" for r in results)

    def _read_item(self, source_url: str, item: FeedItem) -> NewPage | None:
        label = f"{source_url}#{item.record}" if source_url != "pages" else item.url
        origin = (
            Origin("feed", source_url, item.record)
            if source_url != "pages"
            else Origin("url", item.url)
        )
        meta = {
            "title": item.title,
            "author": item.author,
            "site": item.site,
            "published": item.published,
        }
        self.on_event("page", item.url)
        try:
            if item.content:
                article = article_from_fragment(item.content, label, origin, url=item.url, **meta)
                signals = read_page(item.content, item.url)
            else:
                resp = self.client.get(item.url)
                if resp.status in (TOO_MANY, UNAVAILABLE):  # asked to wait: next cycle
                    raise Deferred(item.url, f"HTTP {resp.status}", 0.0)
                if resp.status >= 300:
                    raise FetchError(item.url, f"HTTP {resp.status}")
                html = decode_bytes(resp.content, label, resp.charset)
                article = article_from_html(html, label, origin, url=resp.url, **meta)
                signals = read_page(html, resp.url)
        except FetchError as exc:
            self.report.failed_pages.append((item.url, exc.reason))
            if _permanent(exc):
                return NewPage(item.url, source_url, None, error=exc.reason)
            self.transient += 1
            return None  # transient: fetched again next cycle
        except InputError as exc:
            self.report.failed_pages.append((item.url, exc.reason))
            return NewPage(item.url, source_url, None, error=exc.reason)
        return NewPage(
            item.url,
            source_url,
            article,
            licence=signals.licence,
            licence_evidence=signals.licence_evidence,
            links=signals.links,
        )


def _now_sql() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())


def poll(
    store: Store,
    sources: Sequence[str],
    *,
    own: Sequence[OwnOutlet] = (),
    pages: Sequence[str] = (),
    options: WatchOptions | None = None,
    pipeline: PipelineConfig | None = None,
    on_event: Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchReport:
    """Run one poll cycle (see the module docstring); return what it did.

    Args:
        sources: feed, sitemap and sitemap-index URLs (stored; earlier ones are polled
            too when none are given).
        own: the publisher's own outlets (stored; earlier ones still count).
        pages: page URLs to read once each.
        on_event: called with (``source`` | ``page`` | ``stage`` | ``alert``, detail).

    Raises:
        InputError: nothing to watch (no sources given or stored, and no pages).
    """
    options = options or WatchOptions()
    started = time.perf_counter()
    store.add_watch_sources((url, "feed", None) for url in sources)
    if own:
        store.put_own((o.prefix, o.name, o.licence) for o in own)
    todo = store.watch_sources(list(sources)) if sources else store.watch_sources()
    if not todo and not pages:
        raise InputError("watch", "nothing to watch: give feed or sitemap URLs (or --config)")
    with Fetcher(options.fetch) as fetcher:
        client = PoliteClient(
            fetcher, host_delay=options.host_delay, robots=options.robots, sleep=sleep
        )
        poller = _Poller(store, options, client, on_event)
        queue = list(todo)
        done: set[str] = set()
        while queue:
            src = queue.pop(0)
            if src.url in done:
                continue
            done.add(src.url)
            children = poller.poll_source(src)
            if children:
                queue.extend(s for s in store.watch_sources(children) if s.url not in done)
        if pages:
            poller.read_urls(pages)
        report = poller.report
        report.requests = client.requests
        report.not_modified = client.not_modified
    report.seconds["fetch"] = time.perf_counter() - started
    mark = time.perf_counter()
    report.stages = run_pending(
        store, pipeline, on_stage=(lambda name: on_event("stage", name)) if on_event else None
    )
    report.seconds["stages"] = time.perf_counter() - mark
    mark = time.perf_counter()
    outlets = [OwnOutlet(p, n, lic) for p, n, lic in store.own_outlets()]
    report.alerts = raise_alerts(store, outlets)
    for alert in report.alerts:
        if on_event:
            on_event("alert", alert.id)
    report.seconds["alerts"] = time.perf_counter() - mark
    if options.webhook:
        mark = time.perf_counter()
        pending = [alert_from_row(r) for r in reversed(store.alert_rows(undelivered=True))]
        report.delivery = deliver(store, pending, options, sleep=sleep)
        report.seconds["webhook"] = time.perf_counter() - mark
    return report
