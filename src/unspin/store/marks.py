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
article, so the next query reads it again. Nothing else lowers a mark.
"""

from __future__ import annotations

import sqlite3

from unspin.store.core import run_script
from unspin.store.migrations import migration

__all__ = ["CLAIMS_STAGE", "PROVENANCE_STAGE", "STORIES_STAGE"]

PROVENANCE_STAGE = "provenance"
STORIES_STAGE = "stories"
# Claims are per extractor version: "claims:<version>" (a new version starts from 0).
CLAIMS_STAGE = "claims:{version}"


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
            WHERE stage LIKE 'claims:%';
        END;
        CREATE TRIGGER stage_marks_reextracted AFTER UPDATE ON claims_done BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("OLD.article_id")})
            WHERE stage LIKE 'claims:%';
        END;
        -- INSERT OR REPLACE of another version's row deletes the old one without a
        -- delete trigger: an insert lowers the marks of every other version.
        CREATE TRIGGER stage_marks_replaced AFTER INSERT ON claims_done BEGIN
            UPDATE stage_marks SET upto = MIN(upto, {_seq_before("NEW.article_id")})
            WHERE stage LIKE 'claims:%' AND stage <> 'claims:' || NEW.version;
        END;
        """,
    )
