"""The watch in the web app: the alerts page, the Atom feed, /api/alerts and /api/watch,
over a store filled by a real `unspin watch` poll of loopback feeds; and the alerts page
in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from _watch_server import CC_BY, WatchServer, publish, serve
from _web_helpers import client
from test_browser import _check_a11y, _shot, browser, page, serving  # noqa: F401
from unspin.pipeline import PipelineConfig
from unspin.store import Store
from unspin.watch import OwnOutlet, WatchOptions, poll
from unspin.watch.config import FetchOptions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def feeds() -> Iterator[WatchServer]:
    with serve() as s:
        yield s


@pytest.fixture(scope="module")
def watched_db(tmp_path_factory: pytest.TempPathFactory, feeds: WatchServer) -> Path:
    db = tmp_path_factory.mktemp("webwatch") / "w.db"
    own_feed, farm_feed = publish(feeds, licence_head=CC_BY)
    options = WatchOptions(fetch=FetchOptions(allow_hosts=frozenset({"127.0.0.1"})), host_delay=0)
    with Store(db) as store:
        report = poll(
            store,
            [own_feed, farm_feed],
            own=[OwnOutlet(feeds.base + "/own/", "Harbour Gazette")],
            options=options,
            pipeline=PipelineConfig(stories=False, claims=False),
        )
    assert len(report.alerts) == 2
    return db


def test_alerts_page_lists_verdicts_and_watch_status(watched_db: Path, feeds: WatchServer) -> None:
    r = client(watched_db).get("/alerts")
    assert r.status_code == 200
    assert "uncredited copy" in r.text and "credited republication" in r.text
    assert f"{feeds.base}/farm/spun" in r.text
    assert f"{feeds.base}/own/feed.xml" in r.text and "Harbour Gazette" in r.text
    assert 'href="/alerts.atom"' in r.text


def test_alerts_atom_feed(watched_db: Path, feeds: WatchServer) -> None:
    r = client(watched_db).get("/alerts.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(r.content)
    assert parsed.version == "atom10" and not parsed.bozo
    assert len(parsed.entries) == 2
    assert all(e.id.startswith("urn:unspin:alert:") for e in parsed.entries)
    links = {e.link for e in parsed.entries}
    assert links == {f"{feeds.base}/farm/spun", f"{feeds.base}/farm/credited"}


def test_api_alerts_and_watch(watched_db: Path) -> None:
    c = client(watched_db)
    alerts = c.get("/api/alerts").json()
    assert alerts["total"] == 2 and not alerts["more"]
    kinds = {a["kind"]: a for a in alerts["items"]}
    assert kinds["spun_copy"]["copy"] != kinds["spun_copy"]["source"]
    assert kinds["spun_copy"]["evidence"]["swaps"][0].keys() == {"source", "copy"}
    status = c.get("/api/watch").json()
    assert len(status["sources"]) == 2 and status["alerts"] == 2
    assert all(s["last_status"] == "HTTP 200" for s in status["sources"])


def test_alerts_page_without_alerts(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    r = client(tmp_path / "empty.db").get("/alerts")
    assert r.status_code == 200 and "No alerts yet" in r.text


# --- in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(watched_db: Path) -> Iterator[str]:
    """`unspin serve` over the watched store (named as test_browser's fixture expects)."""
    with serving(watched_db) as base:
        yield base


@pytest.mark.browser
def test_alerts_page_in_chromium(page, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(server + "/")
    page.get_by_role("link", name="Alerts").click()
    page.wait_for_selector("ol.alerts")
    assert page.locator("li.alert").count() == 2
    verdicts = set(page.locator("li.alert .chip").all_inner_texts())
    assert verdicts == {"uncredited copy", "credited republication"}
    _shot(page, "5-alerts")
    _check_a11y(page)
