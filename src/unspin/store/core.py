"""The SQLite connection: WAL mode, migrations on open, one transaction per batch."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from unspin.errors import StoreError
from unspin.store import migrations

DEFAULT_DB = "unspin.db"
DB_ENV = "UNSPIN_DB"

# Wait this long for another writer (a second `unspin add`, the web app) before failing.
BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    """The database path: ``$UNSPIN_DB`` if set, else ``./unspin.db``."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several SQL statements inside the current transaction (unlike executescript)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


class StoreBase:
    """Owns one SQLite connection; stage mixins add the queries.

    Args:
        path: database file; created (with its folder) if missing, unless ``read_only``.
        read_only: open with ``mode=ro``: every write raises :class:`StoreError`.

    Raises:
        StoreError: the file is not a SQLite database, cannot be created, or is newer
            than this version of unspin.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        self._depth = 0
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such database")
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(
                    uri, uri=True, isolation_level=None, check_same_thread=False
                )
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False
                )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                migrations.apply(self.conn)
            else:
                self._check_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc

    def _check_schema(self) -> None:
        try:
            done = {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: not an unspin database ({exc})") from exc
        missing = [m for m in migrations.registered() if m not in done]
        if missing:
            raise StoreError(
                f"{self.path}: schema is out of date (missing {', '.join(missing)}); "
                "open it once without --read-only to migrate"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested uses join the outer one.

        Everything inside commits together or not at all.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: the store is read-only")
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def schema_version(self) -> list[str]:
        """Names of the migrations applied to this database."""
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
