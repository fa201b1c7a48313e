"""Failures a deployment meets (store/core.py), end to end through the ``unspin`` CLI.

A mistyped database path, a database locked past the busy timeout, a damaged file, a
read-only file or folder, a full disk: each stops the command with one line on stderr
naming the file and the cause, a non-zero exit, and every committed article intact.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _corpus import articles, write_jsonl
from conftest import EXAMPLES
from unspin.api import Unspin
from unspin.cli import app
from unspin.errors import StoreError

runner = CliRunner()
NOBODY = 65534


def unspin(
    db: Path, *args: str, as_nobody: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real ``unspin`` in a subprocess (as an unprivileged user if asked)."""
    cmd = [sys.executable, "-m", "unspin", "--db", str(db), *args]
    if as_nobody and os.geteuid() == 0:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_DB"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def error_line(stderr: str) -> str:
    """The single stderr line of a failed command (fails if there are more)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("unspin: error: "), stderr
    return lines[0]


def stored_ids(db: Path) -> set[str]:
    """Ids of the stored articles whose text reads back (a table scan, no index)."""
    con = sqlite3.connect(db)  # read-write, so closing it removes DB-wal and DB-shm
    try:
        return {r[0] for r in con.execute("SELECT id, text FROM articles NOT INDEXED") if r[1]}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("failures") / "demo.db"
    with Unspin(db) as u:
        assert u.add([str(EXAMPLES)]).ok
    return db


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    return Path(shutil.copy(demo_db, tmp_path / "news.db"))


@pytest.fixture
def new_article(tmp_path: Path) -> Path:
    path = tmp_path / "new.txt"
    path.write_text(
        "Title: Ferry talks\n\nThe ferry strike in Portmere ended on Friday after talks that "
        "lasted all night, union leaders said, and boats will sail again on Monday morning.\n",
        encoding="utf-8",
    )
    return path


# --- a mistyped path -------------------------------------------------------------------

READ_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "abc123"],
    ["export"],
    ["summary"],
    ["trace", "abc123"],
    ["copies"],
    ["stories"],
    ["story", "abc123"],
    ["claims", "abc123"],
    ["compare", "abc123"],
    ["spin", "abc123def456"],
    ["report", "abc123", "--out", "story.html"],
    ["serve", "--read-only"],
    ["resume"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_read_command_on_a_missing_database_creates_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["--db", str(missing), *args])
    assert result.exit_code == 1
    assert error_line(result.stderr) == f"unspin: error: no database at {missing}"
    assert list(tmp_path.iterdir()) == []


def test_missing_database_named_by_the_environment(tmp_path: Path) -> None:
    missing = tmp_path / "env-typo.db"
    result = runner.invoke(app, ["summary"], env={"UNSPIN_DB": str(missing)})
    assert result.exit_code == 1
    assert error_line(result.stderr) == f"unspin: error: no database at {missing}"
    assert not missing.exists()


def test_add_still_creates_the_database(tmp_path: Path, new_article: Path) -> None:
    created = tmp_path / "sub" / "new.db"
    result = runner.invoke(app, ["--db", str(created), "add", str(new_article), "--json"])
    assert result.exit_code == 0, result.output
    assert len(stored_ids(created)) == 1


# --- SQLite failures -------------------------------------------------------------------


def test_locked_past_the_busy_timeout(db: Path, new_article: Path) -> None:
    before = stored_ids(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        result = unspin(db, "--busy-timeout", "0.5", "add", str(new_article))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    line = error_line(result.stderr)
    assert line.startswith(f"unspin: error: {db}: the database is locked")
    assert "0.5 s" in line
    assert stored_ids(db) == before
    # Once the other writer is done the same command goes through.
    assert unspin(db, "add", str(new_article)).returncode == 0
    assert len(stored_ids(db)) == len(before) + 1


def _page_of(db: Path, index: str) -> int:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()
        return int(row[0])
    finally:
        con.close()


def test_damaged_pages(db: Path, new_article: Path) -> None:
    """Garbage over a page in the middle of the file (an index of article URLs)."""
    before = stored_ids(db)
    page = _page_of(db, "articles_url")
    with db.open("r+b") as fh:
        fh.seek((page - 1) * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 256)
    result = unspin(db, "add", str(new_article))
    assert result.returncode == 1
    line = error_line(result.stderr)
    assert line.startswith(f"unspin: error: {db}: the database file is damaged")
    assert "database disk image is malformed" in line
    # The rows themselves are intact and read back, through the CLI too.
    assert stored_ids(db) == before
    some = sorted(before)[0]
    shown = unspin(db, "show", some, "--json")
    assert shown.returncode == 0 and some in shown.stdout


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp folders are private)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot drop privileges")
    path = Path(tempfile.mkdtemp(prefix="unspin-ro-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path)


def test_read_only_file(db: Path, new_article: Path, open_dir: Path) -> None:
    target = Path(shutil.copy(db, open_dir / "news.db"))
    text = Path(shutil.copy(new_article, open_dir / "new.txt"))
    open_dir.chmod(0o777)  # the folder may be written; the file may not
    target.chmod(0o444)
    before = stored_ids(target)
    result = unspin(target, "add", str(text), as_nobody=True)
    assert result.returncode == 1
    line = error_line(result.stderr)
    assert line.startswith(f"unspin: error: {target}: cannot write: the file or its folder is")
    # Reading still works for the same user, and nothing was lost.
    listed = unspin(target, "list", "--json", "--limit", "1000", as_nobody=True)
    assert listed.returncode == 0, listed.stderr
    assert stored_ids(target) == before and len(before) > 0


def test_read_only_folder(db: Path, new_article: Path, open_dir: Path) -> None:
    folder = open_dir / "ro"
    folder.mkdir()
    target = Path(shutil.copy(db, folder / "news.db"))
    text = Path(shutil.copy(new_article, open_dir / "new.txt"))
    target.chmod(0o666)
    before = stored_ids(target)
    folder.chmod(0o555)  # no DB-wal or DB-shm can be created beside the file
    assert [p.name for p in folder.iterdir()] == ["news.db"]
    result = unspin(target, "add", str(text), as_nobody=True)
    assert result.returncode == 1
    line = error_line(result.stderr)
    assert line.startswith(f"unspin: error: {target}: cannot open database: the file or its")
    folder.chmod(0o755)
    assert stored_ids(target) == before and len(before) > 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: a real file system that fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_full(db: Path, tmp_path: Path, small_disk: Path) -> None:
    target = Path(shutil.copy(db, small_disk / "news.db"))
    before = stored_ids(target)
    batch = write_jsonl(tmp_path / "big.jsonl", articles(600, seed=3))
    result = unspin(target, "add", str(batch))
    assert result.returncode == 1
    line = error_line(result.stderr)
    assert line.startswith(f"unspin: error: {target}: the disk is full")
    after = stored_ids(target)
    assert before <= after  # batches committed before the disk filled are kept too
    assert unspin(target, "summary").returncode == 0
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_disk_full_through_max_page_count(db: Path, tmp_path: Path) -> None:
    """The same failure where no file system can be mounted: SQLite's page cap.

    Used as well as the tmpfs test above because mounting needs privileges CI may lack.
    """
    batch = write_jsonl(tmp_path / "big.jsonl", articles(300, seed=4))
    with Unspin(db) as u:
        before = u.store.count_articles()
        pages = u.store.conn.execute("PRAGMA page_count").fetchone()[0]
        u.store.conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(StoreError, match=r"news\.db: the disk is full"):
            u.add([str(batch)])
    with Unspin(db) as u:
        assert u.store.count_articles() >= before
