"""Learned spinner substitutions: which word a spinner writes for which original.

Filled by ``unspin spin --learn`` (and the pipeline) from the substitutions provenance
recorded on spun copies; read by :mod:`unspin.spin` to restore those words wherever they
appear. ``spin_learned`` (migration ``0007_spin_learned``) lists the copy relations the
table was learned from, so a copy relation missing there marks learning as pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from unspin.model import COPY_KINDS, Relation
from unspin.store.core import StoreBase, run_script
from unspin.store.marks import SPIN_STAGE
from unspin.store.migrations import migration
from unspin.store.relations import _relation_from_row

__all__ = ["SpinStore"]


@migration("0005_spin")
def _create_spin(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE spin_substitutions (
            original  TEXT NOT NULL,
            spun      TEXT NOT NULL,
            count     INTEGER NOT NULL,
            PRIMARY KEY (original, spun)
        );
        CREATE INDEX spin_substitutions_spun ON spin_substitutions (spun);
        """,
    )


@migration("0007_spin_learned")
def _create_spin_learned(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE spin_learned (source_id TEXT NOT NULL, copy_id TEXT NOT NULL, "
        "kind TEXT NOT NULL, PRIMARY KEY (source_id, copy_id)) WITHOUT ROWID"
    )


class SpinStore(StoreBase):
    """Queries for learned substitutions (mixed into :class:`unspin.store.Store`)."""

    def put_spin_substitutions(
        self,
        rows: Iterable[tuple[str, str, int]],
        *,
        learned_from: Iterable[tuple[str, str, str]] | None = None,
    ) -> int:
        """Replace the learned substitutions with ``rows`` of (original, spun, count).

        ``learned_from`` lists the copy relations (source id, copy id, kind) the rows
        were tallied from; see :meth:`unlearned_copy_ids`.
        """
        rows = list(rows)
        with self.transaction() as conn:
            conn.execute("DELETE FROM spin_substitutions")
            conn.executemany(
                "INSERT INTO spin_substitutions (original, spun, count) VALUES (?, ?, ?)", rows
            )
            if learned_from is not None:
                conn.execute("DELETE FROM spin_learned")
                conn.executemany(
                    "INSERT OR REPLACE INTO spin_learned (source_id, copy_id, kind) "
                    "VALUES (?, ?, ?)",
                    learned_from,
                )
        return len(rows)

    def add_spin_substitutions(
        self, rows: Iterable[tuple[str, str, int]], *, learned_from: Iterable[tuple[str, str, str]]
    ) -> int:
        """Add ``rows`` of (original, spun, count) to the learned counts, tallied from the
        copy relations ``learned_from`` (source id, copy id, kind), which are recorded
        as learned: what :meth:`put_spin_substitutions` of every relation learned so
        far and these would store."""
        rows = list(rows)
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO spin_substitutions (original, spun, count) VALUES (?, ?, ?) "
                "ON CONFLICT (original, spun) DO UPDATE SET count = count + excluded.count",
                rows,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO spin_learned (source_id, copy_id, kind) VALUES (?, ?, ?)",
                learned_from,
            )
        return len(rows)

    def spin_learned_current(self) -> bool:
        """Every copy relation the substitutions were learned from is still stored, with
        the same kind (none was deleted or re-classified since), and there is one: the
        learned counts can then grow by the new relations alone. The learned rows that
        are no longer so are counted by triggers (:mod:`unspin.store.marks`)."""
        if self.conn.execute("SELECT 1 FROM spin_learned LIMIT 1").fetchone() is None:
            return False
        return int(self.conn.execute("SELECT n FROM spin_learned_stale").fetchone()[0]) == 0

    def unlearned_copy_relations(self, ids: Sequence[str]) -> list[Relation]:
        """The copy relations of articles ``ids`` (as source or copy) that the
        substitutions were not learned from, by source and copy id."""
        kinds = sorted(COPY_KINDS)
        found: dict[tuple[str, str], Relation] = {}
        wanted = list(dict.fromkeys(ids))
        for i in range(0, len(wanted), 400):
            chunk = wanted[i : i + 400]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT r.* FROM relations r LEFT JOIN spin_learned l "
                "ON l.source_id = r.source_id AND l.copy_id = r.copy_id AND l.kind = r.kind "
                f"WHERE (r.source_id IN ({marks}) OR r.copy_id IN ({marks})) "
                # (+: by the id indexes, not a scan of every copy through the kind index)
                f"AND +r.kind IN ({', '.join('?' * len(kinds))}) AND l.copy_id IS NULL",
                (*chunk, *chunk, *kinds),
            )
            for row in rows:
                rel = _relation_from_row(row)
                found[(rel.source_id, rel.copy_id)] = rel
        return [found[k] for k in sorted(found)]

    def unlearned_copy_ids(self) -> list[str]:
        """Copies (in ingest order) whose copy relation the substitutions were not learned
        from (read after spin learning's mark: :meth:`pending_after_mark`)."""
        kinds = sorted(COPY_KINDS)
        copies = self.pending_after_mark(
            SPIN_STAGE,
            "SELECT r.rowid, r.copy_id FROM relations r WHERE r.rowid > ? "
            f"AND r.kind IN ({', '.join('?' * len(kinds))}) AND NOT EXISTS "
            "(SELECT 1 FROM spin_learned l WHERE l.source_id = r.source_id "
            "AND l.copy_id = r.copy_id AND l.kind = r.kind) ORDER BY r.rowid",
            kinds,
            last="SELECT COALESCE(MAX(rowid), 0) FROM relations",
        )
        return self.in_ingest_order(list(dict.fromkeys(copies)))

    def spin_substitutions(self) -> tuple[tuple[str, str, int], ...]:
        """All learned substitutions as (original, spun, count), sorted."""
        cur = self.conn.execute(
            "SELECT original, spun, count FROM spin_substitutions ORDER BY original, spun"
        )
        return tuple((r[0], r[1], int(r[2])) for r in cur)
