"""The watch as a crawler, against a real loopback server: conditional GET, a growing feed,
429 with Retry-After, backoff, redirects to a private address, robots.txt, the per-host
rate limit, sitemaps, resuming after an interruption, webhook delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from _watch_server import Route, WatchServer, page, rss, serve
from provenance_samples import ORIGINAL, SAME_STORY, UNRELATED, spin
from unspin.errors import InputError
from unspin.ingest.fetch import FetchOptions
from unspin.pipeline import PipelineConfig
from unspin.store import Store
from unspin.watch import OwnOutlet, WatchOptions, poll
from unspin.watch.crawl import parse_retry_after

FAST = PipelineConfig(stories=False, claims=False)
TEXTS = [ORIGINAL, UNRELATED, SAME_STORY]


def options(**kw: object) -> WatchOptions:
    fetch = FetchOptions(allow_hosts=frozenset({"127.0.0.1"}), timeout=5.0)
    base: dict[str, object] = {"fetch": fetch, "host_delay": 0.0, "interval": 60.0}
    base.update(kw)
    return WatchOptions(**base)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[WatchServer]:
    with serve() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    yield s
    s.close()


def feed_of(server: WatchServer, n: int, *, prefix: str = "/a") -> bytes:
    items = []
    for i in range(n):
        path = f"{prefix}/{i}"
        server.routes[path] = Route(
            page(f"Story {i}", TEXTS[i % 3] + f"\n\nStory number {i}."), "text/html"
        )
        items.append(
            {
                "title": f"Story {i}",
                "link": server.base + path,
                "date": f"Tue, 05 Mar 2024 0{i}:00:00 GMT",
            }
        )
    return rss("Example", items)


def test_conditional_get_answers_304_and_nothing_is_read_twice(
    server: WatchServer, store: Store
) -> None:
    server.routes["/feed.xml"] = Route(feed_of(server, 2))
    url = server.base + "/feed.xml"
    first = poll(store, [url], options=options(), pipeline=FAST)
    assert first.new_articles == 2 and first.not_modified == 0
    second = poll(store, [url], options=options(), pipeline=FAST)
    assert second.not_modified == 1 and second.new_articles == 0
    assert [s.status for s in second.sources] == ["not modified"]
    sent = server.requests("/feed.xml")[-1]
    assert sent.get("If-None-Match") and sent.get("If-Modified-Since")
    assert len(server.requests("/a/0")) == 1 and len(server.requests("/a/1")) == 1


def test_a_feed_that_grows_gives_only_its_new_items(server: WatchServer, store: Store) -> None:
    url = server.base + "/feed.xml"
    server.routes["/feed.xml"] = Route(feed_of(server, 2))
    poll(store, [url], options=options(), pipeline=FAST)
    server.routes["/feed.xml"] = Route(feed_of(server, 3))
    grown = poll(store, [url], options=options(), pipeline=FAST)
    assert grown.sources[0].new_items == 1 and grown.new_articles == 1
    assert [len(server.requests(f"/a/{i}")) for i in range(3)] == [1, 1, 1]


@pytest.mark.parametrize("retry_after", ["120", "Wed, 21 Oct 2099 07:28:00 GMT"])
def test_429_with_retry_after_holds_the_feed_back(
    server: WatchServer, store: Store, retry_after: str
) -> None:
    server.routes["/feed.xml"] = Route(status=429, headers={"Retry-After": retry_after})
    url = server.base + "/feed.xml"
    first = poll(store, [url], options=options(), pipeline=FAST)
    assert first.sources[0].status == "deferred"
    assert "retry after" in (first.sources[0].error or "")
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    second = poll(store, [url], options=options(), pipeline=FAST)
    assert second.sources[0].status == "not due"
    assert len(server.requests("/feed.xml")) == 1


def test_retry_after_parses_seconds_and_dates() -> None:
    assert parse_retry_after("30", 0.0) == 30.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert parse_retry_after("soon", 0.0) is None


def test_errors_back_off(server: WatchServer, store: Store) -> None:
    server.routes["/feed.xml"] = Route(status=500)
    url = server.base + "/feed.xml"
    first = poll(store, [url], options=options(), pipeline=FAST)
    assert first.sources[0].status == "failed" and "HTTP 500" in (first.sources[0].error or "")
    [row] = store.watch_sources([url])
    assert row.failures == 1 and row.next_poll_ts > 0
    second = poll(store, [url], options=options(), pipeline=FAST)
    assert second.sources[0].status == "not due"
    assert len(server.requests("/feed.xml")) == 1


def test_redirect_to_a_private_address_is_refused(server: WatchServer, store: Store) -> None:
    # 127.0.0.1 is trusted (allow_hosts); "localhost" resolves to a loopback address too,
    # but is not trusted: the redirect hop is checked and refused.
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    server.routes["/moved.xml"] = Route(
        status=302, headers={"Location": f"http://localhost:{server.port}/feed.xml"}
    )
    report = poll(store, [server.base + "/moved.xml"], options=options(), pipeline=FAST)
    [src] = report.sources
    assert src.status == "failed"
    assert "refused" in (src.error or "") and "localhost" in (src.error or "")
    assert server.requests("/feed.xml") == []


def test_an_item_redirecting_to_a_private_address_is_refused_and_not_retried(
    server: WatchServer, store: Store
) -> None:
    server.routes["/a/0"] = Route(
        status=301, headers={"Location": f"http://localhost:{server.port}/secret"}
    )
    server.routes["/feed.xml"] = Route(
        rss(
            "X",
            [{"title": "t", "link": server.base + "/a/0", "date": "Tue, 05 Mar 2024 09:00:00 GMT"}],
        )
    )
    url = server.base + "/feed.xml"
    report = poll(store, [url], options=options(), pipeline=FAST)
    assert report.failed_pages and "refused" in report.failed_pages[0][1]
    server.routes["/feed.xml"].etag = False
    poll(store, [url], options=options(), pipeline=FAST)
    assert len(server.requests("/a/0")) == 1 and server.requests("/secret") == []


def test_robots_txt_disallow_is_obeyed(server: WatchServer, store: Store) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /a/1\n", "text/plain")
    server.routes["/feed.xml"] = Route(feed_of(server, 2))
    report = poll(store, [server.base + "/feed.xml"], options=options(), pipeline=FAST)
    assert report.new_articles == 1
    assert server.requests("/a/1") == [] and len(server.requests("/a/0")) == 1
    assert any("robots" in reason for _, reason in report.failed_pages)


def test_robots_txt_disallowing_the_feed_refuses_it(server: WatchServer, store: Store) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /\n", "text/plain")
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    report = poll(store, [server.base + "/feed.xml"], options=options(), pipeline=FAST)
    assert report.sources[0].status == "refused" and server.requests("/feed.xml") == []


def test_per_host_delay_spaces_requests(server: WatchServer, store: Store) -> None:
    server.routes["/feed.xml"] = Route(feed_of(server, 3))
    poll(store, [server.base + "/feed.xml"], options=options(host_delay=0.3), pipeline=FAST)
    times = [t for _, t in server.times]
    assert len(times) == 5  # robots.txt, the feed, three pages
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.28


def test_crawl_delay_in_robots_raises_the_host_delay(server: WatchServer, store: Store) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    poll(store, [server.base + "/feed.xml"], options=options(), pipeline=FAST)
    times = [t for _, t in server.times]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.95


def test_sitemap_index_and_news_sitemap(server: WatchServer, store: Store) -> None:
    feed_of(server, 2)  # the pages /a/0 and /a/1
    news = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{server.base}/a/0</loc><news:news><news:publication><news:name>Gazette"
        "</news:name><news:language>en</news:language></news:publication>"
        "<news:publication_date>2024-03-05T09:00:00Z</news:publication_date>"
        "<news:title>Floods</news:title></news:news></url></urlset>"
    ).encode()
    plain = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.base}/a/1</loc><lastmod>2024-03-06</lastmod></url></urlset>"
    ).encode()
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.base}/news.xml</loc></sitemap>"
        f"<sitemap><loc>{server.base}/plain.xml</loc></sitemap></sitemapindex>"
    ).encode()
    server.routes["/news.xml"] = Route(news, "application/xml")
    server.routes["/plain.xml"] = Route(plain, "application/xml")
    server.routes["/index.xml"] = Route(index, "application/xml")
    report = poll(store, [server.base + "/index.xml"], options=options(), pipeline=FAST)
    assert report.new_articles == 2
    kinds = {s.url.rsplit("/", 1)[1]: s.kind for s in store.watch_sources()}
    assert kinds == {"index.xml": "sitemapindex", "news.xml": "sitemap", "plain.xml": "sitemap"}
    [article] = [a for a in store.list_articles() if a.url == server.base + "/a/0"]
    assert (
        article.published is not None
        and article.published.isoformat() == "2024-03-05T09:00:00+00:00"
    )
    again = poll(store, [server.base + "/index.xml"], options=options(), pipeline=FAST)
    assert again.not_modified == 3


def test_pages_file_is_read_once(server: WatchServer, store: Store, tmp_path: Path) -> None:
    feed_of(server, 2)
    urls = [server.base + "/a/0", server.base + "/a/1"]
    poll(store, [], pages=urls, options=options(), pipeline=FAST)
    poll(store, [], pages=urls, options=options(), pipeline=FAST)
    assert [len(server.requests(f"/a/{i}")) for i in range(2)] == [1, 1]


def test_nothing_to_watch_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError, match="nothing to watch"):
        poll(store, [], options=options(), pipeline=FAST)


def test_resume_after_an_interrupted_poll_fetches_nothing_twice(
    server: WatchServer, store: Store
) -> None:
    server.routes["/feed.xml"] = Route(feed_of(server, 3))
    url = server.base + "/feed.xml"
    pages_seen: list[str] = []

    def stop_at_third(kind: str, detail: str) -> None:
        if kind == "page":
            pages_seen.append(detail)
            if len(pages_seen) == 3:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        poll(store, [url], options=options(), pipeline=FAST, on_event=stop_at_third)
    resumed = poll(store, [url], options=options(), pipeline=FAST)
    assert resumed.new_articles == 1
    assert [len(server.requests(f"/a/{i}")) for i in range(3)] == [1, 1, 1]


def _own_and_farm(server: WatchServer) -> tuple[str, str]:
    own = server.base + "/own/1"
    server.routes["/own/1"] = Route(
        page(
            "Floods",
            ORIGINAL,
            head='<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">',
        ),
        "text/html",
    )
    server.routes["/own.xml"] = Route(
        rss("Gazette", [{"title": "Floods", "link": own, "date": "Tue, 05 Mar 2024 09:00:00 GMT"}])
    )
    spun, _ = spin(ORIGINAL, 0.4, seed=1)
    server.routes["/farm/1"] = Route(page("Floods", spun), "text/html")
    server.routes["/farm.xml"] = Route(
        rss(
            "Farm",
            [
                {
                    "title": "F",
                    "link": server.base + "/farm/1",
                    "date": "Wed, 06 Mar 2024 09:00:00 GMT",
                }
            ],
        )
    )
    return server.base + "/own.xml", server.base + "/farm.xml"


def test_webhook_delivers_each_alert_once_signed_with_retries(
    server: WatchServer, store: Store
) -> None:
    feeds = _own_and_farm(server)
    own = [OwnOutlet(server.base + "/own/")]
    server.routes["/hook"] = Route(status=503)
    opts = options(
        webhook=server.base + "/hook",
        webhook_secret="s3cret",
        webhook_attempts=2,
        webhook_backoff=0.0,
    )
    first = poll(store, feeds, own=own, options=opts, pipeline=FAST)
    assert len(first.alerts) == 1
    assert first.delivery is not None and first.delivery.failed == 1
    assert len(server.bodies("/hook")) == 2  # two attempts, both refused
    server.routes["/hook"] = Route(b"", "text/plain", etag=False)
    second = poll(store, feeds, own=own, options=opts, pipeline=FAST)
    assert second.alerts == [] and second.delivery is not None and second.delivery.delivered == 1
    third = poll(store, feeds, own=own, options=opts, pipeline=FAST)
    assert third.delivery is not None and third.delivery.attempts == 0
    headers, body = server.bodies("/hook")[-1]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Unspin-Signature"] == expected
    alert = json.loads(body)["alert"]
    assert alert["kind"] == "spun_copy" and alert["verdict"] == "uncredited copy"
    assert headers["X-Unspin-Alert"] == alert["id"]


def test_robots_txt_server_error_disallows_for_now(server: WatchServer, store: Store) -> None:
    server.routes["/robots.txt"] = Route(status=500)
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    report = poll(store, [server.base + "/feed.xml"], options=options(), pipeline=FAST)
    assert report.sources[0].status == "refused" and "HTTP 500" in (report.sources[0].error or "")
    assert server.requests("/feed.xml") == []


def test_an_item_answering_429_is_fetched_again_next_cycle(
    server: WatchServer, store: Store
) -> None:
    server.routes["/feed.xml"] = Route(feed_of(server, 1))
    ok = server.routes["/a/0"]
    server.routes["/a/0"] = Route(status=429, headers={"Retry-After": "0"})
    url = server.base + "/feed.xml"
    first = poll(store, [url], options=options(), pipeline=FAST)
    assert first.new_articles == 0 and "HTTP 429" in first.failed_pages[0][1]
    server.routes["/a/0"] = ok
    second = poll(store, [url], options=options(), pipeline=FAST)
    assert second.new_articles == 1 and second.not_modified == 0
    assert len(server.requests("/a/0")) == 2
    third = poll(store, [url], options=options(), pipeline=FAST)
    assert third.not_modified == 1
