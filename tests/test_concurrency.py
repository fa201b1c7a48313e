"""Two `unspin add` processes and a reader on one database at once (store/core.py).

SQLite serialises the writers' short transactions (WAL, busy timeout) and the stage
lock makes the later stages take turns, so no user sees "database is locked" and no
row is lost: the result holds what adding the two batches one after the other holds.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from _corpus import articles, start_unspin, write_jsonl


def _rows(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    q = con.execute
    try:
        return {
            "articles": sorted(r[0] for r in q("SELECT id FROM articles")),
            "relations": sorted(
                q(
                    "SELECT source_id, copy_id, kind FROM relations WHERE kind NOT IN "
                    "('same_story', 'unrelated')"
                ).fetchall()
            ),
            "indexed": q("SELECT COUNT(*) FROM provenance_indexed").fetchone()[0],
            "members": sorted(r[0] for r in q("SELECT article_id FROM story_members")),
            # Story rows agree with their memberships (no lost update of a count).
            "story_sizes_agree": q(
                "SELECT COUNT(*) FROM stories s WHERE s.merged_into IS NULL AND s.n_articles != "
                "(SELECT COUNT(*) FROM story_members m WHERE m.story_id = s.id)"
            ).fetchone()[0]
            == 0,
            "claims": sorted(q("SELECT article_id, pos, kind FROM claims").fetchall()),
        }
    finally:
        con.close()


@pytest.mark.slow
def test_two_writers_and_a_reader(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", articles(300, seed=21, tag="a"))
    second = write_jsonl(tmp_path / "b.jsonl", articles(300, seed=22, tag="b"))
    serial = tmp_path / "serial.db"
    for batch in (first, second):
        done = start_unspin(serial, "add", str(batch))
        assert done.wait(timeout=120) == 0

    db = tmp_path / "shared.db"
    writers = [start_unspin(db, "add", str(first)), start_unspin(db, "add", str(second))]
    reads: list[subprocess.CompletedProcess[str]] = []
    deadline = time.monotonic() + 120
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        if db.exists():
            for command in (["list", "--json"], ["summary", "--json"], ["stories", "--json"]):
                reads.append(
                    subprocess.run(
                        [sys.executable, "-m", "unspin", "--db", str(db), *command],
                        capture_output=True,
                        text=True,
                        timeout=60,
                    )
                )
        else:
            time.sleep(0.05)
    outputs = [w.communicate(timeout=120) for w in writers]
    for writer, (_out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err
    assert reads, "the reader never ran while the writers were busy"
    for read in reads:
        assert read.returncode == 0, read.stderr
        assert "locked" not in read.stderr

    got, want = _rows(db), _rows(serial)
    assert got["articles"] == want["articles"]
    assert got["members"] == got["articles"], "every article in exactly one story"
    assert got["indexed"] == len(got["articles"])
    assert got["story_sizes_agree"]
    # The batches share no text, so copies and claims do not depend on the interleaving.
    # (Same-story links do: the anchor index weighs shared names by how many articles
    # already hold them, so which reports of a story get linked follows the order.)
    assert got["relations"] == want["relations"]
    assert got["claims"] == want["claims"]
