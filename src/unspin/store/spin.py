"""Learned spinner substitutions: which word a spinner writes for which original.

Filled by ``unspin spin --learn`` from the substitutions provenance recorded on spun
copies; read by :mod:`unspin.spin` to restore those words wherever they appear.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

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


class SpinStore(StoreBase):
    """Queries for learned substitutions (mixed into :class:`unspin.store.Store`)."""

    def put_spin_substitutions(self, rows: Iterable[tuple[str, str, int]]) -> int:
        """Replace the learned substitutions with ``rows`` of (original, spun, count)."""
        rows = list(rows)
        with self.transaction() as conn:
            conn.execute("DELETE FROM spin_substitutions")
            conn.executemany(
                "INSERT INTO spin_substitutions (original, spun, count) VALUES (?, ?, ?)", rows
            )
        return len(rows)

    def spin_substitutions(self) -> tuple[tuple[str, str, int], ...]:
        """All learned substitutions as (original, spun, count), sorted."""
        cur = self.conn.execute(
            "SELECT original, spun, count FROM spin_substitutions ORDER BY original, spun"
        )
        return tuple((r[0], r[1], int(r[2])) for r in cur)
