"""End to end: `unspin watch` and `unspin alerts` against real loopback HTTP servers.

An own feed and a content-farm feed: the farm carries an uncredited spun copy and a
credited verbatim copy of the own article (and one unrelated story) → exactly two
alerts with the right verdicts; a second poll fetches nothing new and raises none.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _corpus import start_unspin
from _watch_server import CC_BY, CC_BY_ND, Route, WatchServer, publish, serve
from unspin.cli import app

runner = CliRunner()


def unspin(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.fixture
def server() -> Iterator[WatchServer]:
    with serve() as s:
        yield s


def _watch(db: Path, server: WatchServer, *feeds: str):
    return unspin(
        db,
        "watch",
        *feeds,
        "--own",
        f"{server.base}/own/",
        "--once",
        "--allow-private",
        "--host-delay",
        "0",
        "--no-stories",
        "--no-claims",
    )


def test_two_alerts_with_verdicts_then_none(tmp_path: Path, server: WatchServer) -> None:
    db = tmp_path / "w.db"
    own_feed, farm_feed = publish(server, licence_head=CC_BY)
    first = _watch(db, server, own_feed, farm_feed)
    assert first.exit_code == 0, first.output
    lines = [line for line in first.stdout.splitlines() if line.startswith("ALERT")]
    assert len(lines) == 2, first.output

    alerts = json.loads(unspin(db, "alerts", "--json").stdout)
    by_kind = {a["kind"]: a for a in alerts}
    assert sorted(by_kind) == ["duplicate", "spun_copy"]
    spun, dup = by_kind["spun_copy"], by_kind["duplicate"]
    assert spun["copy_url"] == f"{server.base}/farm/spun"
    assert spun["credited"] is False and spun["verdict"] == "uncredited copy"
    assert spun["licence"] == "cc-by"
    assert spun["evidence"]["swaps"] and spun["evidence"]["passage"]
    assert dup["copy_url"] == f"{server.base}/farm/credited"
    assert dup["credited"] is True and dup["verdict"] == "credited republication"
    assert dup["credit"].startswith("links to")
    assert spun["source"] == dup["source"]
    assert spun["copy"] != spun["source"]

    second = _watch(db, server, own_feed, farm_feed)
    assert second.exit_code == 0, second.output
    assert not [line for line in second.stdout.splitlines() if line.startswith("ALERT")]
    assert len(json.loads(unspin(db, "alerts", "--json").stdout)) == 2
    # the second poll asked with the validators and got 304s; no page was fetched twice
    assert server.requests("/own/feed.xml")[-1].get("If-None-Match")
    for path in ("/farm/spun", "/farm/credited", "/farm/orchestra", "/own/port-allen-floods"):
        assert len(server.requests(path)) == 1, path


def test_edited_or_spun_copy_of_a_no_derivatives_work(tmp_path: Path, server: WatchServer) -> None:
    db = tmp_path / "w.db"
    own_feed, farm_feed = publish(server, licence_head=CC_BY_ND)
    assert _watch(db, server, own_feed, farm_feed).exit_code == 0
    verdicts = {a["kind"]: a["verdict"] for a in json.loads(unspin(db, "alerts", "--json").stdout)}
    assert verdicts == {
        "spun_copy": "derivative of a no-derivatives work",
        "duplicate": "credited republication",
    }


def test_no_licence_stated_means_all_rights_reserved(tmp_path: Path, server: WatchServer) -> None:
    db = tmp_path / "w.db"
    own_feed, farm_feed = publish(server, licence_head="")
    assert _watch(db, server, own_feed, farm_feed).exit_code == 0
    verdicts = {a["verdict"] for a in json.loads(unspin(db, "alerts", "--json").stdout)}
    assert verdicts == {"copy of an all-rights-reserved work"}


def test_alerts_table_lists_them(tmp_path: Path, server: WatchServer) -> None:
    db = tmp_path / "w.db"
    own_feed, farm_feed = publish(server, licence_head=CC_BY)
    assert _watch(db, server, own_feed, farm_feed).exit_code == 0
    out = runner.invoke(app, ["--db", str(db), "alerts"], env={"COLUMNS": "240"}).stdout
    assert "uncredited copy" in out and "credited republication" in out


def test_malformed_feed_fails_with_one_line(tmp_path: Path, server: WatchServer) -> None:
    server.routes["/bad.xml"] = Route(b"<rss><channel><item><title>broken", "application/rss+xml")
    result = _watch(tmp_path / "w.db", server, f"{server.base}/bad.xml")
    assert result.exit_code == 1
    assert f"{server.base}/bad.xml" in result.stderr and "Traceback" not in result.output


def test_bad_own_value_is_refused(tmp_path: Path) -> None:
    result = unspin(
        tmp_path / "w.db", "watch", "http://x.example/feed", "--own", "not a site", "--once"
    )
    assert result.exit_code == 1
    assert "not a site" in result.stderr and "own outlet" in result.stderr
    assert not (tmp_path / "w.db").exists()


def test_killed_watch_resumes_without_fetching_or_alerting_twice(
    tmp_path: Path, server: WatchServer
) -> None:
    db = tmp_path / "w.db"
    own_feed, farm_feed = publish(server, licence_head=CC_BY)
    server.routes["/farm/credited"].delay = 30.0  # the run is killed while it waits here
    proc = start_unspin(
        db,
        "watch",
        own_feed,
        farm_feed,
        "--own",
        f"{server.base}/own/",
        "--once",
        "--allow-private",
        "--host-delay",
        "0",
        "--no-stories",
        "--no-claims",
    )
    try:
        deadline = time.monotonic() + 60
        while not server.requests("/farm/credited"):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    server.routes["/farm/credited"].delay = 0.0
    resumed = _watch(db, server, own_feed, farm_feed)
    assert resumed.exit_code == 0, resumed.output
    assert len([ln for ln in resumed.stdout.splitlines() if ln.startswith("ALERT")]) == 2
    again = _watch(db, server, own_feed, farm_feed)
    assert not [ln for ln in again.stdout.splitlines() if ln.startswith("ALERT")]
    # pages stored before the kill were not fetched again; the one in flight was
    assert len(server.requests("/own/port-allen-floods")) == 1
    assert len(server.requests("/farm/spun")) == 1
    assert len(server.requests("/farm/credited")) == 2
