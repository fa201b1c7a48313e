"""Stage marks: a stage's pending articles are read after its mark, and are exactly the
ones a scan of every stored article finds, whatever was done, undone or redone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from _relations import relation
from unspin.model import COPY_KINDS, Article
from unspin.store import Store

_SCANS = {
    "provenance": "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM provenance_indexed p WHERE p.seq = a.seq) ORDER BY a.seq",
    "stories": "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM story_members m WHERE m.article_id = a.id) ORDER BY a.seq",
    "claims 1": "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM claims_done d WHERE d.article_id = a.id AND d.version = 1) ORDER BY a.seq",
    "claims 2": "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM claims_done d WHERE d.article_id = a.id AND d.version = 2) ORDER BY a.seq",
}


def _pending(store: Store) -> dict[str, list[str]]:
    return {
        "provenance": store.unindexed_ids(),
        "stories": store.unclustered_ids(),
        "claims 1": store.unextracted_all(1),
        "claims 2": store.unextracted_all(2),
    }


def _scanned(store: Store) -> dict[str, list[str]]:
    return {k: [str(r[0]) for r in store.conn.execute(q)] for k, q in _SCANS.items()}


def _undo(store: Store, undo: str, victim: Article) -> None:
    """Take a result away, each way one can be lost: a provenance rebuild, a story member
    removed, claims removed, claims switched to the other extractor version in place or
    replaced by its rows, the article deleted with its results."""
    with store.transaction() as conn:
        if undo == "rebuild":
            store.clear_provenance()
        elif undo == "member":
            conn.execute("DELETE FROM story_members WHERE article_id = ?", (victim.id,))
        elif undo == "claims":
            conn.execute("DELETE FROM claims_done WHERE article_id = ?", (victim.id,))
        elif undo == "version":
            conn.execute(
                "UPDATE claims_done SET version = 3 - version WHERE article_id = ?", (victim.id,)
            )
        elif undo == "replace":
            store.put_claims_many([(victim.id, [])], 2)
        else:
            conn.execute("DELETE FROM articles WHERE id = ?", (victim.id,))


@pytest.mark.parametrize("seed", range(6))
def test_pending_after_the_marks_is_what_a_full_scan_finds(tmp_path: Path, seed: int) -> None:
    """Random stores, done out of order and undone: a provenance rebuild, claims of one
    extractor version replaced by the other's, story members removed, an article deleted
    with its results. After every step the pending lists equal a scan of every article."""
    rng = random.Random(seed)
    store = Store(tmp_path / "marks.db")
    stored: list[Article] = []
    moved = False
    for step in range(40):
        action = rng.choice(["add", "add", "index", "cluster", "extract", "undo"])
        if action == "add" or not stored:
            new = [Article.create(f"Mark test {seed} {step} {k} of a story.") for k in range(3)]
            store.put_articles(new)
            stored.extend(new)
        elif action == "index":
            seqs = store.article_seqs([a.id for a in rng.sample(stored, min(4, len(stored)))])
            for seq in seqs.values():
                store.put_bands(seq, [])
        elif action == "cluster":
            picked = rng.sample(stored, min(4, len(stored)))
            store.put_story_members((a.id, "s1", 1.0, "test") for a in picked)
        elif action == "extract":
            version = rng.choice([1, 2])  # the other version's row is replaced
            picked = rng.sample(stored, min(4, len(stored)))
            store.put_claims_many(((a.id, []) for a in picked), version)
        else:
            undo = rng.choice(["rebuild", "member", "claims", "version", "replace", "article"])
            # The last article, sometimes: the next one stored takes its seq again.
            victim = rng.choice([stored[-1], rng.choice(stored)])
            _undo(store, undo, victim)
            if undo == "article":
                stored.remove(victim)
        assert _pending(store) == _scanned(store), f"step {step}: {action}"
        moved = moved or bool(
            store.conn.execute("SELECT 1 FROM stage_marks WHERE upto > 0").fetchone()
        )
    assert moved, "some pending lists were read after a mark"
    store.close()


def test_a_caught_up_stage_reads_only_what_came_after_its_mark(tmp_path: Path) -> None:
    store = Store(tmp_path / "marks.db")
    first = [Article.create(f"Already done article number {k}.") for k in range(5)]
    store.put_articles(first)
    for seq in store.article_seqs([a.id for a in first]).values():
        store.put_bands(seq, [])
    assert store.unindexed_ids() == []
    last = max(store.article_seqs([a.id for a in first]).values())
    assert (
        store.conn.execute("SELECT upto FROM stage_marks WHERE stage = 'provenance'").fetchone()[0]
        == last
    )
    later = [Article.create(f"Stored since then, number {k}.") for k in range(2)]
    store.put_articles(later)
    assert store.unindexed_ids() == [a.id for a in later]
    # The mark stops before the first article still pending.
    assert (
        store.conn.execute("SELECT upto FROM stage_marks WHERE stage = 'provenance'").fetchone()[0]
        == last
    )
    store.close()


def test_a_read_only_store_reads_the_marks_and_leaves_them(tmp_path: Path) -> None:
    path = tmp_path / "marks.db"
    store = Store(path)
    done = [Article.create(f"Indexed before, number {k}.") for k in range(3)]
    store.put_articles(done)
    for seq in store.article_seqs([a.id for a in done]).values():
        store.put_bands(seq, [])
    assert store.unindexed_ids() == []
    later = Article.create("Stored after the mark was set.")
    store.put_articles([later])
    store.close()
    reader = Store(path, read_only=True)
    assert reader.unindexed_ids() == [later.id]
    assert reader.unextracted_all(1) == [a.id for a in [*done, later]]
    reader.close()
    again = Store(path)
    assert again.conn.execute("SELECT COUNT(*) FROM stage_marks").fetchone()[0] == 1
    again.close()


@pytest.mark.parametrize("undo", ["rebuild", "member", "claims", "version", "replace", "article"])
def test_undoing_one_article_below_a_caught_up_mark_makes_it_pending(
    tmp_path: Path, undo: str
) -> None:
    """Every stage done for every article, the marks caught up to the last one; then one
    article in the middle loses a result, each way a result can be lost: it is pending
    again (the trigger on the table lowered the mark below it)."""
    store = Store(tmp_path / "marks.db")
    articles = [Article.create(f"Every stage done, article number {k}.") for k in range(6)]
    store.put_articles(articles)
    for seq in store.article_seqs([a.id for a in articles]).values():
        store.put_bands(seq, [])
    store.put_story_members((a.id, "s1", 1.0, "test") for a in articles)
    store.put_claims_many(((a.id, []) for a in articles), 1)
    assert _pending(store)["claims 1"] == []
    assert all(not ids for key, ids in _pending(store).items() if key != "claims 2")
    victim = articles[3]
    _undo(store, undo, victim)
    assert _pending(store) == _scanned(store)
    expected = {
        "rebuild": ("provenance", [a.id for a in articles]),
        "member": ("stories", [victim.id]),
        "claims": ("claims 1", [victim.id]),
        "version": ("claims 1", [victim.id]),
        "replace": ("claims 1", [victim.id]),
        "article": ("claims 1", []),
    }[undo]
    assert _pending(store)[expected[0]] == expected[1]
    store.close()


_KINDS = ["duplicate", "edited_copy", "spun_copy", "same_story", "unrelated"]


def _spin_scanned(store: Store) -> tuple[list[str], bool]:
    """What spin learning's pending copies and `spin_learned_current` were before the
    marks: a scan of every copy relation and of every learned row."""
    kinds = sorted(COPY_KINDS)
    rows = store.conn.execute(
        "SELECT DISTINCT r.copy_id FROM relations r "
        f"WHERE r.kind IN ({', '.join('?' * len(kinds))}) AND NOT EXISTS "
        "(SELECT 1 FROM spin_learned l WHERE l.source_id = r.source_id "
        "AND l.copy_id = r.copy_id AND l.kind = r.kind)",
        kinds,
    )
    pending = store.in_ingest_order([str(r[0]) for r in rows])
    any_learned = store.conn.execute("SELECT 1 FROM spin_learned LIMIT 1").fetchone()
    stale = store.conn.execute(
        "SELECT 1 FROM spin_learned l WHERE NOT EXISTS (SELECT 1 FROM relations r "
        "WHERE r.source_id = l.source_id AND r.copy_id = l.copy_id AND r.kind = l.kind)"
    ).fetchone()
    return pending, any_learned is not None and stale is None


@pytest.mark.parametrize("seed", range(12))
def test_spin_learning_reads_the_same_pending_copies_after_its_mark(
    tmp_path: Path, seed: int
) -> None:
    """Relations found, judged again (another kind, the other way round), learned from
    one by one or all at once, a provenance rebuild, an article deleted: spin learning's
    pending copies and whether its counts are current equal the scans they replace."""
    rng = random.Random(seed)
    store = Store(tmp_path / "spin.db")
    ids: list[str] = []
    moved = False
    for step in range(60):
        action = rng.choice(["add", "relate", "relate", "learn", "learn", "relearn", "undo"])
        if action == "add" or len(ids) < 2:
            new = [Article.create(f"Spin mark {seed} {step} {k} of a copy.") for k in range(3)]
            store.put_articles(new)
            ids.extend(a.id for a in new)
        elif action == "relate":
            # New pairs, and pairs judged again: another kind, or the other way round.
            known = [(r.source_id, r.copy_id) for r in store.copy_relations()]
            pairs = [
                rng.choice(known)[:: rng.choice([1, -1])]
                if known and rng.random() < 0.5
                else tuple(rng.sample(ids, 2))
                for _ in range(3)
            ]
            store.put_relations(relation(a, b, rng.choice(_KINDS)) for a, b in pairs)
        elif action in ("learn", "relearn"):
            copies = store.copy_relations()
            picked = copies if action == "relearn" else rng.sample(copies, len(copies) // 2)
            learned = [(r.source_id, r.copy_id, r.kind) for r in picked]
            if learned and rng.random() < 0.2:  # a row already stale when written
                learned[0] = (
                    *learned[0][:2],
                    "edited_copy" if learned[0][2] != "edited_copy" else "duplicate",
                )
            if action == "relearn":
                store.put_spin_substitutions([], learned_from=learned)
            else:
                store.add_spin_substitutions([], learned_from=learned)
        elif rng.random() < 0.3:
            store.clear_provenance()
        elif rng.random() < 0.5:  # a relation's kind changed in place
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE relations SET kind = ? WHERE rowid = "
                    "(SELECT rowid FROM relations ORDER BY random() LIMIT 1)",
                    (rng.choice(_KINDS),),
                )
        else:
            victim = rng.choice([ids[-1], rng.choice(ids)])
            with store.transaction() as conn:
                conn.execute("DELETE FROM articles WHERE id = ?", (victim,))
            ids.remove(victim)
        assert (store.unlearned_copy_ids(), store.spin_learned_current()) == _spin_scanned(store), (
            f"step {step}: {action}"
        )
        moved = moved or bool(
            store.conn.execute(
                "SELECT 1 FROM stage_marks WHERE stage = 'spin' AND upto > 0"
            ).fetchone()
        )
    assert moved
    store.close()


def _mark(store: Store, stage: str) -> int | None:
    row = store.conn.execute("SELECT upto FROM stage_marks WHERE stage = ?", (stage,)).fetchone()
    return None if row is None else int(row[0])


def test_a_rebuild_leaves_its_stage_mark_caught_up(tmp_path: Path) -> None:
    from unspin import provenance
    from unspin.stories import rebuild_stories

    store = Store(tmp_path / "marks.db")
    articles = [
        Article.create(f"Rebuilt article {k} about the harbour bridge and its {k} new lanes.")
        for k in range(6)
    ]
    store.put_articles(articles)
    last = max(store.article_seqs([a.id for a in articles]).values())
    provenance.rebuild(store)
    rebuild_stories(store)
    # Nothing is left to the next add's pending query to scan for ...
    assert _mark(store, "provenance") == last
    assert _mark(store, "stories") == last
    assert _scanned(store)["provenance"] == _scanned(store)["stories"] == []
    # ... which then reads only what came since.
    later = Article.create("Stored after the rebuild: one more article about the harbour.")
    store.put_articles([later])
    assert store.unindexed_ids() == store.unclustered_ids() == [later.id]
    assert _mark(store, "provenance") == _mark(store, "stories") == last
    store.close()
