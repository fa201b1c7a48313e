"""Learned spinner substitutions: which word a spinner writes for which original.

Filled by ``unspin spin --learn`` (and the pipeline) from the substitutions provenance
recorded on spun copies; read by :mod:`unspin.spin` to restore those words wherever they
appear. ``spin_learned`` (migration ``0007_spin_learned``) lists the copy relations the
table was learned from, so a copy relation missing there marks learning as pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from unspin.model import COPY_KINDS
from unspin.store.core import StoreBase, run_script
from unspin.store.migrations import migration

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

    def unlearned_copy_ids(self) -> list[str]:
        """Copies (in ingest order) whose copy relation the substitutions were not learned from."""
        kinds = sorted(COPY_KINDS)
        rows = self.conn.execute(
            "SELECT DISTINCT r.copy_id, a.seq FROM relations r "
            "JOIN articles a ON a.id = r.copy_id "
            "LEFT JOIN spin_learned l ON l.source_id = r.source_id "
            "AND l.copy_id = r.copy_id AND l.kind = r.kind "
            f"WHERE r.kind IN ({', '.join('?' * len(kinds))}) AND l.copy_id IS NULL "
            "ORDER BY a.seq",
            kinds,
        )
        return [str(r[0]) for r in rows]

    def spin_substitutions(self) -> tuple[tuple[str, str, int], ...]:
        """All learned substitutions as (original, spun, count), sorted."""
        cur = self.conn.execute(
            "SELECT original, spun, count FROM spin_substitutions ORDER BY original, spun"
        )
        return tuple((r[0], r[1], int(r[2])) for r in cur)
