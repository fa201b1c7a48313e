"""The SQLite connection: WAL mode, migrations on open, one transaction per batch.

Every failure SQLite reports about the world outside the program (a file that is
locked, damaged, read-only, or on a full disk) surfaces as one :class:`StoreError`
naming the database file and the cause; SQLite's own wording follows in brackets.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

from unspin.errors import StoreError
from unspin.store import migrations

DEFAULT_DB = "unspin.db"
DB_ENV = "UNSPIN_DB"

# Wait this long for another writer (a second `unspin add`, the web app) before failing.
BUSY_TIMEOUT_MS = 30_000
# SQLite's page cache per connection (KiB; SQLite's default is 2 MiB). The provenance
# index is most of a store (~19 MB at 1,000 articles, ~190 MB at 10,000) and every added
# article reads and writes a few hundred random keys of it: with 2 MiB nearly every
# lookup re-reads its b-tree pages from the OS. Pages are cached only once read, so a
# small store never fills it (bench/add_speed.py, docs/speed.md).
CACHE_KIB = 64 * 1024


def default_db_path() -> Path:
    """The database path: ``$UNSPIN_DB`` if set, else ``./unspin.db``."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


# Primary SQLite result codes of failures a deployment meets, and how to say them.
# Any other code is a bug in unspin and keeps its traceback.
_CAUSES = {
    3: "permission denied",  # SQLITE_PERM
    5: "the database is locked: another process held it for more than {busy}; run the "
    "command again when that process is done",  # SQLITE_BUSY
    6: "the database is locked by another connection of this process",  # SQLITE_LOCKED
    8: "the file or its folder is read-only",  # SQLITE_READONLY
    10: "disk I/O error: the file could not be read or written",  # SQLITE_IOERR
    11: "the database file is damaged; restore it from a backup "
    "(`sqlite3 {path} .recover` may salvage the rest)",  # SQLITE_CORRUPT
    13: "the disk is full; free some space and run the command again",  # SQLITE_FULL
    14: "cannot open the file: check that its folder exists and can be written",  # CANTOPEN
    15: "the database lock is broken (is it on a network file system?)",  # SQLITE_PROTOCOL
    22: "the database file is too large for this system",  # SQLITE_NOLFS
    23: "access denied",  # SQLITE_AUTH
    26: "not a SQLite database",  # SQLITE_NOTADB
}
_SQLITE_CORRUPT = 11
_SQLITE_READONLY = 8


def store_error(path: Path, exc: sqlite3.Error, *, busy_timeout_ms: int) -> StoreError | None:
    """The one-line :class:`StoreError` for a SQLite failure on ``path``; None for a bug.

    The message names the file, the cause in words and SQLite's own wording in
    brackets, e.g. ``news.db: cannot write: the disk is full; free some space and run
    the command again (database or disk is full)``.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if primary is None and detail.startswith("Could not decode to UTF-8"):
        # Python's own check on a text value: damaged bytes inside a row.
        primary, detail = _SQLITE_CORRUPT, "a text value is not valid UTF-8"
    template = _CAUSES.get(primary) if primary is not None else None
    if template is None:
        return None
    cause = template.format(path=path, busy=f"{busy_timeout_ms / 1000:g} s")
    if primary == _SQLITE_READONLY:
        cause = "cannot write: " + cause
    detail = detail or str(getattr(exc, "sqlite_errorname", ""))
    return StoreError(f"{path}: {cause} ({detail})")


class _Cursor(sqlite3.Cursor):
    """A cursor whose environmental SQLite failures raise :class:`StoreError`."""

    def _fail(self, exc: sqlite3.Error) -> Exception:
        conn: Any = self.connection
        return store_error(conn.path, exc, busy_timeout_ms=conn.busy_timeout_ms) or exc

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> _Cursor:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc


class _Connection(sqlite3.Connection):
    """A connection that knows its file and hands out :class:`_Cursor` cursors."""

    path: Path
    busy_timeout_ms: int

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _Cursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)


def _connect(target: str | Path, *, uri: bool, path: Path, busy_timeout_ms: int) -> _Connection:
    conn = sqlite3.connect(
        target, uri=uri, isolation_level=None, check_same_thread=False, factory=_Connection
    )
    conn.path = path
    conn.busy_timeout_ms = busy_timeout_ms
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


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


def _open_error(path: Path, exc: Exception) -> StoreError:
    """One line saying why ``path`` cannot be opened."""
    if isinstance(exc, OSError):
        return StoreError(f"{path}: cannot create the database folder ({exc.strerror})")
    cause = str(exc).removeprefix(f"{path}: ").removeprefix("cannot write: ")
    return StoreError(f"{path}: cannot open database: {cause}")


class StoreBase:
    """Owns one SQLite connection; stage mixins add the queries.

    Args:
        path: database file; created (with its folder) if missing, when ``create``.
        read_only: open with ``mode=ro``: every write raises :class:`StoreError`.
        create: create a missing database; read commands pass False, so a mistyped
            path stops with "no database at PATH" instead of leaving an empty file.
        busy_timeout_ms: how long a write waits for another writer before failing.

    Raises:
        StoreError: there is no database at ``path`` (and ``create`` is off), the file is
            not a SQLite database, cannot be created, or is newer than this version of
            unspin. Later SQLite failures (locked, damaged, read-only, disk full) raise it
            too, naming the file and the cause.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ):
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        self._depth = 0
        self._lock_fd: int | None = None
        if (read_only or not create) and not self.path.is_file():
            raise StoreError(f"no database at {self.path}")
        try:
            if read_only or not create:  # a URI, so SQLite never creates the file
                uri = f"file:{quote(str(self.path.resolve()))}?mode={'ro' if read_only else 'rw'}"
                self.conn = _connect(uri, uri=True, path=self.path, busy_timeout_ms=busy_timeout_ms)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = _connect(
                    self.path, uri=False, path=self.path, busy_timeout_ms=busy_timeout_ms
                )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                self._set_wal()
                self.conn.execute("PRAGMA synchronous = NORMAL")
                migrations.apply(self.conn)
            else:
                self._check_schema()
        except (StoreError, OSError, sqlite3.DatabaseError) as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            raise _open_error(self.path, exc) from exc

    def _set_wal(self) -> None:
        """Switch to WAL; a fresh file opened by two processes at once may need a retry."""
        deadline = time.monotonic() + self.conn.busy_timeout_ms / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except StoreError as exc:
                busy = "locked" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _check_schema(self) -> None:
        has_table = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
        ).fetchone()
        if not has_table:
            raise StoreError(f"{self.path}: not an unspin database (no table _migrations)")
        done = {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}
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
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already done so.

        SQLite rolls back by itself on some failures (a full disk, an I/O error); a
        ROLLBACK that fails too must not hide the failure that caused it.
        """
        if not self.conn.in_transaction:
            return
        with suppress(StoreError, sqlite3.Error):
            self.conn.execute("ROLLBACK")

    def schema_version(self) -> list[str]:
        """Names of the migrations applied to this database."""
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def article_seqs(self, ids: Sequence[str]) -> dict[str, int]:
        """The ingest number (``articles.seq``, what the stages' tables key by) of each of
        ``ids`` that is stored."""
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            q = f"SELECT id, seq FROM articles WHERE id IN ({', '.join('?' * len(chunk))})"
            out.update({str(r[0]): int(r[1]) for r in self.conn.execute(q, chunk)})
        return out

    def pending_after_mark(
        self,
        stage: str,
        undone: str,
        params: Sequence[Any] = (),
        *,
        last: str = "SELECT COALESCE(MAX(seq), 0) FROM articles",
    ) -> list[str]:
        """The articles ``stage`` has not processed, in ingest order, read after its mark
        (:mod:`unspin.store.marks`): only the articles stored since it last caught up,
        however many are stored.

        Args:
            stage: the mark's name (``marks.PROVENANCE_STAGE``, ...).
            undone: a ``SELECT a.seq, a.id FROM articles a WHERE a.seq > ? AND ...
                ORDER BY a.seq`` of the articles lacking the stage's result; its first
                parameter is the mark, then ``params``.
            last: the largest key ``undone`` orders by (the last stored article's seq;
                spin learning's mark is over the copy relations' rowids).

        The mark then moves up to just before the first article still pending (to the
        last stored one when none is), in the same write transaction, so no article
        stored or undone meanwhile is passed over. A read-only store reads the mark and
        leaves it.
        """
        if self.read_only:
            return [str(r[1]) for r in self.conn.execute(undone, (self._mark(stage), *params))]
        with self.transaction() as conn:
            upto = self._mark(stage)
            largest = int(conn.execute(last).fetchone()[0])
            rows = conn.execute(undone, (upto, *params)).fetchall()
            mark = int(rows[0][0]) - 1 if rows else largest
            if mark > upto:
                conn.execute(
                    "INSERT INTO stage_marks (stage, upto) VALUES (?, ?) "
                    "ON CONFLICT (stage) DO UPDATE SET upto = excluded.upto",
                    (stage, mark),
                )
        return [str(r[1]) for r in rows]

    def _mark(self, stage: str) -> int:
        row = self.conn.execute("SELECT upto FROM stage_marks WHERE stage = ?", (stage,)).fetchone()
        return int(row[0]) if row is not None else 0

    def in_ingest_order(self, ids: Sequence[str]) -> list[str]:
        """``ids`` that are stored, in ingest order (by ``articles.seq``)."""
        seqs = self.article_seqs(ids)
        return sorted(seqs, key=seqs.__getitem__)

    def held_lock_fds(self) -> tuple[int, ...]:
        """The descriptors of the locks this store holds (worker processes close them)."""
        return (self._lock_fd,) if self._lock_fd is not None else ()

    @contextmanager
    def stage_lock(self) -> Iterator[None]:
        """Hold the lock that lets one process at a time run the later stages.

        Concurrent ``unspin add`` runs ingest side by side (SQLite serialises their short
        write transactions); the stages that follow read and update shared state (the
        provenance index, story centroids), so they take turns: a second process waits
        here until the first is done. The lock is an ``flock`` on ``<db>.lock`` next to
        the database; the kernel releases it when its holder exits, even on SIGKILL.

        Raises:
            StoreError: the lock file cannot be created (a read-only folder).
        """
        if self._lock_fd is not None:  # already held by this store
            yield
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{lock_path}: cannot create the stage lock ({exc.strerror})") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_fd = fd
            yield
        finally:
            self._lock_fd = None
            os.close(fd)  # closing the descriptor releases the flock

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
