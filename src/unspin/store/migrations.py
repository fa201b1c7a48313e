"""Named schema migrations, applied in name order and recorded in ``_migrations``.

Each stage's store module registers its own migrations with :func:`migration`; names
start with a four-digit number (``0001_articles``) so the order is explicit. A migration
runs once per database, inside the transaction that records it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

_REGISTRY: dict[str, Migration] = {}


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration called ``name`` (unique, e.g. ``0002_relations``)."""

    def register(fn: Migration) -> Migration:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"migration {name!r} is registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def registered() -> list[str]:
    """Names of all registered migrations, in the order they apply."""
    return sorted(_REGISTRY)


def apply(conn: sqlite3.Connection) -> list[str]:
    """Apply every registered migration this database lacks; return the names applied.

    The pending migrations run in one ``BEGIN IMMEDIATE`` transaction, which re-reads
    ``_migrations`` under the write lock: two processes opening a new database at once
    migrate it once, and a crash mid-migration leaves the schema as it was.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    if all(name in done for name in registered()):
        return []
    applied: list[str] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
        for name in registered():
            if name in done:
                continue
            _REGISTRY[name](conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
            applied.append(name)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied
