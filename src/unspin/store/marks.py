"""How far each stage has come: a mark per stage below which every article is done.

A stage's pending articles used to be found by an anti-join over every stored article
(each probed in the stage's result table): 0.015-0.11 s per stage and per add at
100,000 stored, growing with the store, and paid again by a ten-article add
(bench/add_speed.py, issue 20). Stages work in ingest order and commit as they go, so
what they have done is almost always a prefix. ``stage_marks`` keeps, per stage, a
``seq`` up to which every article is known done; a pending query reads only the
articles after it, and moves the mark up to just before the first one still undone
(:meth:`unspin.store.core.StoreBase.pending_after_mark`).

The mark must never claim an article that is not done. Results are only ever taken
away by deleting the rows that record them (a provenance rebuild, a story member
removed, an article deleted with its results, a new claims extractor's row replacing
the old version's), and a trigger on each of those tables lowers the mark below that
article, so the next query reads it again.

Spin learning's pending work is copy relations, not articles: its mark is over the
relations' rowids (migration ``0014_spin_marks``), lowered when a relation is deleted,
inserted below it (SQLite reuses the largest rowid once the top rows are gone) or
re-classified, and when a learned row is deleted or replaced. Whether its counts can
grow by the new relations alone is a count of learned rows whose relation is gone or
changed kind (``spin_learned_stale``), kept by triggers on both tables.
tests/test_store_marks.py holds every pending list equal to the scan it replaces.
"""

from __future__ import annotations

import sqlite3

from unspin.store.core import run_script
from unspin.store.migrations import migration

__all__ = ["CLAIMS_STAGE", "PROVENANCE_STAGE", "SPIN_STAGE", "STORIES_STAGE"]

PROVENANCE_STAGE = "provenance"
STORIES_STAGE = "stories"
# Claims are per extractor version: "claims:<version>" (a new version starts from 0).
CLAIMS_STAGE = "claims:{version}"
_CLAIMS = CLAIMS_STAGE.format(version="")  # every claims mark's name starts so
# Spin learning's mark is over the relations' rowids: every copy relation up to it was
# learned from (``spin_learned`` holds it with the same kind).
SPIN_STAGE = "spin"


def _seq_before(article_id: str) -> str:
    """SQL for the seq just below article ``article_id`` (-1 if it is gone)."""
    return f"COALESCE((SELECT seq FROM articles WHERE id = {article_id}), 0) - 1"


@migration("0013_stage_marks")
def _create_stage_marks(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        CREATE TABLE stage_marks (
            stage  TEXT PRIMARY KEY,
            upto   INTEGER NOT NULL   -- every article with seq <= upto is done
        );
        CREATE TRIGGER stage_marks_unindexed AFTER DELETE ON provenance_indexed BEGIN
            UPDATE stage_marks SET upto = MIN(upto, OLD.seq - 1)
            WHERE stage = '{PROVENANCE_STAGE}';
        END;
        CREATE TRIGGER stage_marks_unclustered AFTER DELETE ON story_members BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("OLD.article_id")})
            WHERE stage = '{STORIES_STAGE}';
        END;
        CREATE TRIGGER stage_marks_unextracted AFTER DELETE ON claims_done BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("OLD.article_id")})
            WHERE stage LIKE '{_CLAIMS}%';
        END;
        CREATE TRIGGER stage_marks_reextracted AFTER UPDATE ON claims_done BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("OLD.article_id")})
            WHERE stage LIKE '{_CLAIMS}%';
        END;
        -- INSERT OR REPLACE of another version's row deletes the old one without a
        -- delete trigger: an insert lowers the marks of every other version.
        CREATE TRIGGER stage_marks_replaced AFTER INSERT ON claims_done BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("NEW.article_id")})
            WHERE stage LIKE '{_CLAIMS}%' AND stage <> '{_CLAIMS}' || NEW.version;
        END;
        """,
    )


def _learned(row: str) -> str:
    """SQL: a ``spin_learned`` row matches relation ``row`` (OLD or NEW), kind included."""
    return (
        f"EXISTS (SELECT 1 FROM spin_learned l WHERE l.source_id = {row}.source_id "
        f"AND l.copy_id = {row}.copy_id AND l.kind = {row}.kind)"
    )


def _related(row: str) -> str:
    """SQL: a relation matches ``spin_learned`` row ``row``, kind included."""
    return (
        f"EXISTS (SELECT 1 FROM relations r WHERE r.source_id = {row}.source_id "
        f"AND r.copy_id = {row}.copy_id AND r.kind = {row}.kind)"
    )


def _below_relation(row: str) -> str:
    """SQL for the spin mark lowered below the relation of the pair of ``row``."""
    return (
        "MIN(upto, COALESCE((SELECT r.rowid FROM relations r WHERE r.source_id = "
        f"{row}.source_id AND r.copy_id = {row}.copy_id), upto + 1) - 1)"
    )


@migration("0014_spin_marks")
def _create_spin_marks(conn: sqlite3.Connection) -> None:
    """Spin learning's mark (over the relations' rowids), and the number of learned rows
    whose relation is gone or changed kind (``spin_learned_stale``: while it is 0 the
    learned counts grow by new relations alone, :meth:`SpinStore.spin_learned_current`),
    kept by triggers instead of a scan of every learned row per add."""
    run_script(
        conn,
        f"""
        CREATE TABLE spin_learned_stale (
            one  INTEGER PRIMARY KEY CHECK (one = 1),
            n    INTEGER NOT NULL
        );
        INSERT INTO spin_learned_stale (one, n)
            SELECT 1, COUNT(*) FROM spin_learned l WHERE NOT {_related("l")};
        CREATE TRIGGER spin_marks_relation_deleted AFTER DELETE ON relations BEGIN
            UPDATE stage_marks SET upto = MIN(upto, OLD.rowid - 1) WHERE stage = '{SPIN_STAGE}';
            UPDATE spin_learned_stale SET n = n + 1 WHERE {_learned("OLD")};
        END;
        -- SQLite gives a new row the largest rowid plus one: below the mark once the
        -- relations at the top were deleted.
        CREATE TRIGGER spin_marks_relation_inserted AFTER INSERT ON relations BEGIN
            UPDATE stage_marks SET upto = MIN(upto, NEW.rowid - 1) WHERE stage = '{SPIN_STAGE}';
            UPDATE spin_learned_stale SET n = n - 1 WHERE {_learned("NEW")};
        END;
        CREATE TRIGGER spin_marks_relation_updated
        AFTER UPDATE OF source_id, copy_id, kind ON relations BEGIN
            UPDATE stage_marks SET upto = MIN(upto, OLD.rowid - 1) WHERE stage = '{SPIN_STAGE}';
            UPDATE spin_learned_stale SET n = n + 1 WHERE {_learned("OLD")};
            UPDATE spin_learned_stale SET n = n - 1 WHERE {_learned("NEW")};
        END;
        -- INSERT OR REPLACE deletes the row it replaces without a delete trigger: the
        -- replaced row is counted out here, before it goes.
        CREATE TRIGGER spin_marks_learned_replaced BEFORE INSERT ON spin_learned
        WHEN EXISTS (SELECT 1 FROM spin_learned l WHERE l.source_id = NEW.source_id
                     AND l.copy_id = NEW.copy_id)
        BEGIN
            UPDATE spin_learned_stale SET n = n - 1 WHERE EXISTS (
                SELECT 1 FROM spin_learned l WHERE l.source_id = NEW.source_id
                AND l.copy_id = NEW.copy_id AND NOT {_related("l")});
            UPDATE stage_marks SET upto = {_below_relation("NEW")} WHERE stage = '{SPIN_STAGE}';
        END;
        CREATE TRIGGER spin_marks_learned_inserted AFTER INSERT ON spin_learned BEGIN
            UPDATE spin_learned_stale SET n = n + 1 WHERE NOT {_related("NEW")};
        END;
        CREATE TRIGGER spin_marks_learned_deleted AFTER DELETE ON spin_learned BEGIN
            UPDATE spin_learned_stale SET n = n - 1 WHERE NOT {_related("OLD")};
            UPDATE stage_marks SET upto = {_below_relation("OLD")} WHERE stage = '{SPIN_STAGE}';
        END;
        """,
    )
