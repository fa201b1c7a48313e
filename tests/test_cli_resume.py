"""End to end: `unspin resume`, and `unspin add` killed with SIGKILL then run again."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _corpus import articles, start_unspin, write_jsonl
from unspin.api import Unspin
from unspin.cli import app
from unspin.pipeline import PipelineConfig, run_after_ingest
from unspin.store import Store

runner = CliRunner()


def _counts(db: Path) -> dict[str, Any]:
    """What the later stages wrote, to compare two databases by."""
    con = sqlite3.connect(db)
    q = con.execute
    try:
        return {
            "articles": sorted(r[0] for r in q("SELECT id FROM articles")),
            "relations": dict(q("SELECT kind, COUNT(*) FROM relations GROUP BY kind").fetchall()),
            "indexed": q("SELECT COUNT(*) FROM provenance_indexed").fetchone()[0],
            "stories": q("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0],
            "members": q("SELECT COUNT(*) FROM story_members").fetchone()[0],
            "claims": dict(q("SELECT kind, COUNT(*) FROM claims GROUP BY kind").fetchall()),
            "claims_done": q("SELECT COUNT(*) FROM claims_done").fetchone()[0],
            "substitutions": q("SELECT COUNT(*) FROM spin_substitutions").fetchone()[0],
        }
    finally:
        con.close()


def _check_intact(db: Path) -> set[str]:
    """Integrity check passes and no row is duplicated; return the stored article ids."""
    con = sqlite3.connect(db)
    q = con.execute
    try:
        assert q("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in q("SELECT id FROM articles")]
        assert len(ids) == len(set(ids))
        assert q("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == len(ids)
        members = [r[0] for r in q("SELECT article_id FROM story_members")]
        assert len(members) == len(set(members)), "an article is in two stories"
        pairs = q("SELECT COUNT(*), COUNT(DISTINCT source_id || copy_id) FROM relations")
        n, distinct = pairs.fetchone()
        assert n == distinct
        return set(ids)
    finally:
        con.close()


def test_resume_finishes_stages_left_undone(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    batch = write_jsonl(tmp_path / "batch.jsonl", articles(60, seed=5))
    whole = tmp_path / "whole.db"
    assert runner.invoke(app, ["--db", str(whole), "add", str(batch)]).exit_code == 0
    # Ingest committed; provenance ran for half; the process died before the rest.
    result = runner.invoke(
        app, ["--db", str(db), "add", "--no-provenance", "--no-stories", "--no-claims", str(batch)]
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY seq")]
        run_after_ingest(store, ids[:30], PipelineConfig(stories=False, claims=False))
    result = runner.invoke(app, ["--db", str(db), "resume", "--json"])
    assert result.exit_code == 0, result.output
    stages = json.loads(result.stdout)["stages"]
    assert stages["provenance"]["indexed"] == 30
    assert stages["stories"]["assigned"] == 60
    assert stages["claims"]["articles"] == 60
    assert _counts(db) == _counts(whole)
    again = runner.invoke(app, ["--db", str(db), "resume"])
    assert again.exit_code == 0 and "Nothing to resume" in again.stdout


def test_add_of_nothing_new_finishes_pending_work(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    batch = write_jsonl(tmp_path / "batch.jsonl", articles(40, seed=6))
    with Unspin(db) as u:  # stands in for a run killed right after its last batch committed
        u.add([str(batch)], pipeline=PipelineConfig(False, False, False))
    result = runner.invoke(app, ["--db", str(db), "add", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == [] and len(report["known"]) == 40
    assert report["stages"]["stories"]["assigned"] == 40
    with Store(db) as store:
        assert store.count_story_members() == 40
        assert store.unindexed_ids() == []


# Articles in the crash test: enough that a kill lands in every phase, fewer than one
# story batch (unspin.stories.assign.BATCH), and a run under ten seconds.
CRASH_ARTICLES = 800


@pytest.mark.slow
def test_add_killed_at_random_moments_then_run_again(tmp_path: Path) -> None:
    """SIGKILL `unspin add` three times at seeded random moments, then let it finish.

    After every kill the database passes the integrity check and holds every article
    committed before; the final run duplicates nothing and ends with the same articles,
    relations, stories, claims and learned swaps as one uninterrupted run.
    """
    batch = write_jsonl(tmp_path / "big.jsonl", articles(CRASH_ARTICLES, seed=17))
    whole = tmp_path / "whole.db"
    started = time.monotonic()
    done = start_unspin(whole, "add", str(batch), "--json")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    full_run = time.monotonic() - started
    expected = _counts(whole)
    assert expected["relations"] and expected["claims"] and expected["substitutions"]

    db = tmp_path / "killed.db"
    rng = random.Random(1)  # kills in ingest, after provenance, and in claims
    stored: set[str] = set()
    # Each run resumes where the last stopped; the windows widen so the kills land in
    # ingest, provenance and stories as well as in claims (the longest stage).
    for window in (0.3, 0.45, 0.8):
        proc = start_unspin(db, "add", str(batch), "--json")
        time.sleep(rng.uniform(0.5, window * full_run))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        if not db.exists():
            continue  # killed before it created the file
        now = _check_intact(db)
        assert stored <= now, "a committed article was lost"
        stored = now

    final = start_unspin(db, "add", str(batch), "--json")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    _check_intact(db)
    assert _counts(db) == expected
    again = runner.invoke(app, ["--db", str(db), "resume", "--json"])
    assert json.loads(again.stdout) == {"stages": {}}
