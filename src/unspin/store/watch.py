"""What ``unspin watch`` remembers between polls: sources, pages seen, own outlets, alerts.

Migration ``0009_watch`` adds four tables:

* ``watch_sources``: each feed or sitemap with its validators (ETag, Last-Modified),
  when it may next be polled (backoff, Retry-After) and how the last poll went;
* ``watch_pages``: every item URL fetched (or read from a feed), the article it gave,
  the licence its page states and the links it holds, so nothing is fetched twice;
* ``watch_own``: the publisher's own outlets (URL prefixes or domains) and licences;
* ``watch_alerts``: each alert once (its id hashes source, copy and copy URL), with
  when it was delivered to the webhook.

A page and the article it gave are stored in one transaction, so a watch killed at any
moment resumes without fetching a page twice or raising an alert twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unspin.model import Article
from unspin.store.articles import PutResult
from unspin.store.core import StoreBase, run_script
from unspin.store.migrations import migration

__all__ = ["NewPage", "PageRow", "SourceRow", "WatchStore"]


@migration("0009_watch")
def _create_watch(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE watch_sources (
            url            TEXT PRIMARY KEY,
            kind           TEXT NOT NULL,
            parent         TEXT,
            etag           TEXT,
            last_modified  TEXT,
            added_at       TEXT NOT NULL,
            last_polled    TEXT,
            last_status    TEXT,
            last_error     TEXT,
            failures       INTEGER NOT NULL DEFAULT 0,
            next_poll_ts   REAL NOT NULL DEFAULT 0,
            n_items        INTEGER NOT NULL DEFAULT 0,
            n_requests     INTEGER NOT NULL DEFAULT 0,
            n_not_modified INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE watch_pages (
            url         TEXT PRIMARY KEY,
            source_url  TEXT,
            article_id  TEXT,
            first_seen  TEXT NOT NULL,
            licence     TEXT,
            licence_evidence TEXT,
            links       TEXT NOT NULL DEFAULT '[]',
            error       TEXT
        );
        CREATE INDEX watch_pages_article ON watch_pages (article_id);
        CREATE TABLE watch_own (
            prefix   TEXT PRIMARY KEY,
            name     TEXT,
            licence  TEXT
        );
        CREATE TABLE watch_alerts (
            id            TEXT PRIMARY KEY,
            seq           INTEGER NOT NULL UNIQUE,
            kind          TEXT NOT NULL,
            source_id     TEXT NOT NULL,
            copy_id       TEXT NOT NULL,
            copy_url      TEXT NOT NULL,
            data          TEXT NOT NULL,
            raised_at     TEXT NOT NULL,
            delivered_at  TEXT,
            delivery_error TEXT
        );
        """,
    )


@dataclass(frozen=True)
class SourceRow:
    """One watched feed or sitemap as stored."""

    url: str
    kind: str
    parent: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    last_polled: str | None
    last_status: str | None
    last_error: str | None
    failures: int
    next_poll_ts: float
    n_items: int
    n_requests: int
    n_not_modified: int


@dataclass(frozen=True)
class PageRow:
    """One item page the watch has seen: the article it gave and what its page said."""

    url: str
    source_url: str | None
    article_id: str | None
    first_seen: str
    licence: str | None
    licence_evidence: str | None
    links: tuple[str, ...]
    error: str | None


@dataclass(frozen=True)
class NewPage:
    """A page to record: where it was listed, the article it gave (or the error)."""

    url: str
    source_url: str | None
    article: Article | None
    licence: str | None = None
    licence_evidence: str | None = None
    links: tuple[str, ...] = ()
    error: str | None = None


def _source(row: sqlite3.Row) -> SourceRow:
    return SourceRow(**dict(zip(row.keys(), row, strict=True)))


def _page(row: sqlite3.Row) -> PageRow:
    data = dict(zip(row.keys(), row, strict=True))
    data["links"] = tuple(json.loads(data["links"] or "[]"))
    return PageRow(**data)


class WatchStore(StoreBase):
    """Queries for the watch (mixed into :class:`unspin.store.Store`)."""

    if TYPE_CHECKING:  # provided by ArticleStore in the combined Store

        def put_articles(self, articles: Iterable[Article]) -> list[PutResult]: ...

    # --- sources --------------------------------------------------------------------

    def add_watch_sources(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Register (url, kind, parent) sources; known ones keep their state."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO watch_sources (url, kind, parent, added_at) "
                "VALUES (?, ?, ?, datetime('now'))",
                list(rows),
            )

    def watch_sources(self, urls: Sequence[str] | None = None) -> list[SourceRow]:
        """Stored sources (all, or those named), in the order they were added."""
        rows = self.conn.execute("SELECT * FROM watch_sources ORDER BY rowid").fetchall()
        found = [_source(r) for r in rows]
        if urls is None:
            return found
        wanted = set(urls)
        return [s for s in found if s.url in wanted or (s.parent in wanted)]

    def update_watch_source(self, url: str, **values: Any) -> None:
        """Set columns of one source (validators, status, backoff, counters)."""
        if not values:
            return
        cols = ", ".join(f"{k} = ?" for k in values)
        with self.transaction() as conn:
            conn.execute(f"UPDATE watch_sources SET {cols} WHERE url = ?", (*values.values(), url))

    # --- pages ----------------------------------------------------------------------

    def seen_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` the watch has already fetched or read."""
        urls = list(dict.fromkeys(urls))
        seen: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i : i + 500]
            rows = self.conn.execute(
                f"SELECT url FROM watch_pages WHERE url IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            seen.update(str(r[0]) for r in rows)
        return seen

    def put_watched(
        self,
        pages: Sequence[NewPage],
    ) -> list[PutResult]:
        """Store pages and their articles in one transaction; return what happened to
        each article."""
        with self.transaction() as conn:
            results = self.put_articles([p.article for p in pages if p.article is not None])
            conn.executemany(
                "INSERT OR IGNORE INTO watch_pages "
                "(url, source_url, article_id, first_seen, licence, licence_evidence, links, error) "
                "VALUES (?, ?, ?, datetime('now'), ?, ?, ?, ?)",
                [
                    (
                        p.url,
                        p.source_url,
                        p.article.id if p.article else None,
                        p.licence,
                        p.licence_evidence,
                        json.dumps(list(p.links)),
                        p.error,
                    )
                    for p in pages
                ],
            )
        return results

    def watched_pages(self, article_ids: Iterable[str]) -> list[PageRow]:
        """The pages that gave these articles."""
        ids = list(dict.fromkeys(article_ids))
        found: list[PageRow] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.conn.execute(
                f"SELECT * FROM watch_pages WHERE article_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            found.extend(_page(r) for r in rows)
        return found

    def count_watched_pages(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM watch_pages").fetchone()[0])

    # --- own outlets ----------------------------------------------------------------

    def put_own(self, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Record (prefix, name, licence) own outlets; a given name or licence replaces
        the stored one, a missing one keeps it."""
        with self.transaction() as conn:
            for prefix, name, licence in rows:
                conn.execute(
                    "INSERT INTO watch_own (prefix, name, licence) VALUES (?, ?, ?) "
                    "ON CONFLICT (prefix) DO UPDATE SET "
                    "name = COALESCE(excluded.name, name), "
                    "licence = COALESCE(excluded.licence, licence)",
                    (prefix, name, licence),
                )

    def own_outlets(self) -> list[tuple[str, str | None, str | None]]:
        """Stored own outlets as (prefix, name, licence)."""
        rows = self.conn.execute("SELECT prefix, name, licence FROM watch_own ORDER BY prefix")
        return [(str(r[0]), r[1], r[2]) for r in rows]

    def all_appearances(self) -> list[tuple[str, str, str | None, str]]:
        """Every (article id, url, site, first seen) with a URL, in the order seen."""
        rows = self.conn.execute(
            "SELECT article_id, url, site, first_seen FROM appearances "
            "WHERE url IS NOT NULL ORDER BY rowid"
        )
        return [(str(r[0]), str(r[1]), r[2], str(r[3])) for r in rows]

    # --- alerts ---------------------------------------------------------------------

    def put_alerts(
        self, alerts: Iterable[tuple[str, str, str, str, str, dict[str, Any]]]
    ) -> list[str]:
        """Store (id, kind, source, copy, copy url, data) alerts not stored yet; return the
        ids that were new, in order."""
        new: list[str] = []
        with self.transaction() as conn:
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM watch_alerts").fetchone()[0]
            for aid, kind, source_id, copy_id, copy_url, data in alerts:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO watch_alerts "
                    "(id, seq, kind, source_id, copy_id, copy_url, data, raised_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                    (aid, seq, kind, source_id, copy_id, copy_url, json.dumps(data)),
                )
                if cur.rowcount:
                    new.append(aid)
                    seq += 1
        return new

    def alert_rows(
        self,
        *,
        ids: Sequence[str] | None = None,
        undelivered: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Stored alerts, newest first, as dicts of their columns with ``data`` decoded."""
        sql = "SELECT * FROM watch_alerts"
        where: list[str] = []
        args: list[Any] = []
        if ids is not None:
            if not ids:
                return []
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            args.extend(ids)
        if undelivered:
            where.append("delivered_at IS NULL")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args.extend((-1 if limit is None else limit, offset))
        out: list[dict[str, Any]] = []
        for row in self.conn.execute(sql, args):
            item = dict(zip(row.keys(), row, strict=True))
            item["data"] = json.loads(item["data"])
            out.append(item)
        return out

    def mark_alert_delivery(self, alert_id: str, *, error: str | None) -> None:
        """Record a webhook delivery: done (``error`` None) or the last failure."""
        with self.transaction() as conn:
            if error is None:
                conn.execute(
                    "UPDATE watch_alerts SET delivered_at = datetime('now'), delivery_error = NULL "
                    "WHERE id = ?",
                    (alert_id,),
                )
            else:
                conn.execute(
                    "UPDATE watch_alerts SET delivery_error = ? WHERE id = ?", (error, alert_id)
                )

    def count_alerts(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM watch_alerts").fetchone()[0])
