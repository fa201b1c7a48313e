"""Extracted claims in SQLite: a cache of each article's claims, per extractor version.

Tables (migration ``0004_claims``):

* ``claims``: one row per claim (article, position, kind, offsets) with the rest of the
  :class:`unspin.model.Claim` as JSON;
* ``claims_done``: which articles were extracted, and by which extractor version, so an
  article with no claims is not re-read and a newer extractor re-reads everything.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from operator import attrgetter

from unspin.model import Claim
from unspin.store.core import StoreBase, run_script
from unspin.store.marks import CLAIMS_STAGE
from unspin.store.migrations import migration

__all__ = ["ClaimStore"]

_JSON_FIELDS = (
    "words", "sentence_start", "sentence_end", "sentence", "value", "text_value", "unit",
    "counts", "qualifier", "who", "verb", "verb_class", "direct", "negated", "context", "role",
)  # fmt: skip
# The JSON fields of a claim as one tuple: reading attributes, not dataclasses.asdict, which
# deep-copies every field and took 3.5 s of the 18 s of adding the 772 ECB+ dev articles
# (bench/add_speed.py, issue 20).
_json_values = attrgetter(*_JSON_FIELDS)


@migration("0004_claims")
def _create_claims(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE claims (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos        INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            data       TEXT NOT NULL,            -- JSON: the other Claim fields
            PRIMARY KEY (article_id, pos)
        );
        CREATE INDEX claims_kind ON claims (kind);
        CREATE TABLE claims_done (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            version    INTEGER NOT NULL,
            n_claims   INTEGER NOT NULL
        );
        """,
    )


def _claim_from_row(article_id: str, row: sqlite3.Row) -> Claim:
    data = json.loads(row["data"])
    data["context"] = tuple(data.get("context") or ())
    return Claim(
        article_id=article_id, kind=row["kind"], start=row["start"], end=row["end"], **data
    )


class ClaimStore(StoreBase):
    """Store mixin: each article's extracted claims, cached per extractor version."""

    def put_claims(self, article_id: str, claims: Iterable[Claim], version: int) -> int:
        """Replace the stored claims of ``article_id``; return how many were stored."""
        return self.put_claims_many([(article_id, claims)], version)

    def put_claims_many(self, items: Iterable[tuple[str, Iterable[Claim]]], version: int) -> int:
        """Replace the stored claims of several articles in one transaction.

        Args:
            items: ``(article_id, claims)`` pairs.

        Returns:
            How many claims were stored in all.
        """
        rows: list[tuple[str, int, str, int, int, str]] = []
        done: list[tuple[str, int, int]] = []
        for article_id, claims in items:
            n = len(rows)
            for pos, c in enumerate(claims):
                data = dict(zip(_JSON_FIELDS, _json_values(c), strict=True))
                rows.append(
                    (article_id, pos, c.kind, c.start, c.end, json.dumps(data, ensure_ascii=False))
                )
            done.append((article_id, version, len(rows) - n))
        with self.transaction() as conn:
            conn.executemany("DELETE FROM claims WHERE article_id = ?", [(d[0],) for d in done])
            conn.executemany(
                "INSERT INTO claims (article_id, pos, kind, start, end, data) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO claims_done (article_id, version, n_claims) VALUES (?, ?, ?)",
                done,
            )
        return len(rows)

    def get_claims(self, article_id: str, version: int) -> list[Claim] | None:
        """The stored claims of ``article_id``, or ``None`` if not extracted by ``version``."""
        done = self.conn.execute(
            "SELECT version FROM claims_done WHERE article_id = ?", (article_id,)
        ).fetchone()
        if done is None or done["version"] != version:
            return None
        rows = self.conn.execute(
            "SELECT kind, start, end, data FROM claims WHERE article_id = ? ORDER BY pos",
            (article_id,),
        )
        return [_claim_from_row(article_id, r) for r in rows]

    def unextracted_ids(self, ids: Sequence[str], version: int) -> list[str]:
        """Those of ``ids`` whose claims are missing or from another extractor version."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        done = {
            r[0]
            for r in self.conn.execute(
                f"SELECT article_id FROM claims_done WHERE version = ? AND article_id IN ({marks})",
                [version, *ids],
            )
        }
        return [i for i in ids if i not in done]

    def unextracted_all(self, version: int) -> list[str]:
        """Every stored article (in ingest order) not yet extracted by ``version``."""
        return self.pending_after_mark(
            CLAIMS_STAGE.format(version=version),
            "SELECT a.seq, a.id FROM articles a WHERE a.seq > ? AND NOT EXISTS "
            "(SELECT 1 FROM claims_done d WHERE d.article_id = a.id AND d.version = ?) "
            "ORDER BY a.seq",
            (version,),
        )

    def count_claims(self) -> dict[str, int]:
        """Stored claims by kind."""
        rows = self.conn.execute("SELECT kind, COUNT(*) FROM claims GROUP BY kind ORDER BY kind")
        return {r[0]: r[1] for r in rows}
