"""Named schema migrations, applied in name order and recorded in ``_migrations``.

Each stage's store module registers its own migrations with :func:`migration`; names
start with a four-digit number (``0001_articles``) so the order is explicit. A migration
runs once per database, inside the same transaction that records it.
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
    """Apply every registered migration this database lacks; return the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied: list[str] = []
    for name in registered():
        if name in done:
            continue
        with conn:
            _REGISTRY[name](conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
        applied.append(name)
    return applied
