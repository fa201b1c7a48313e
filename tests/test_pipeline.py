"""Pending work and resuming the later stages (unspin.pipeline).

A run killed after its articles were committed leaves some stages behind; the next
:func:`run_pending` must finish exactly that work, so the store ends as an
uninterrupted run would have left it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from _corpus import articles
from unspin import provenance
from unspin.model import Article
from unspin.pipeline import PipelineConfig, pending, run_pending
from unspin.store import Store


def _articles(n: int, seed: int) -> list[Article]:
    return [
        Article.create(
            r["text"],
            title=r["title"],
            url=r["url"],
            site=r["site"],
            published=datetime.fromisoformat(r["published"]),
        )
        for r in articles(n, seed=seed)
    ]


def _state(store: Store) -> dict[str, Any]:
    """Everything the later stages wrote, in a form two stores can be compared by."""
    q = store.conn.execute
    return {
        "relations": sorted(tuple(r) for r in q("SELECT source_id, copy_id, kind FROM relations")),
        "indexed": q("SELECT COUNT(*) FROM provenance_indexed").fetchone()[0],
        "members": sorted(tuple(r) for r in q("SELECT article_id, reason FROM story_members")),
        "stories": q("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0],
        "claims": store.count_claims(),
        "claims_done": q("SELECT COUNT(*) FROM claims_done").fetchone()[0],
        "spin": store.spin_substitutions(),
    }


@pytest.fixture(scope="module")
def batch() -> list[Article]:
    return _articles(120, seed=11)


@pytest.fixture(scope="module")
def uninterrupted(batch: list[Article], tmp_path_factory: pytest.TempPathFactory) -> dict:
    with Store(tmp_path_factory.mktemp("whole") / "whole.db") as store:
        store.put_articles(batch)
        run_pending(store)
        return _state(store)


def test_a_fresh_store_has_nothing_pending(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert not any(pending(store).values())
        assert run_pending(store) == {}


def test_stored_articles_are_pending_for_every_stage(tmp_path: Path, batch: list[Article]) -> None:
    with Store(tmp_path / "s.db") as store:
        store.put_articles(batch)
        todo = pending(store)
        ids = [a.id for a in batch]
        assert todo["provenance"] == todo["stories"] == todo["claims"] == ids
        run_pending(store)
        assert not any(pending(store).values())


@pytest.mark.parametrize("done", [0, 1, 60, 119], ids=lambda n: f"indexed-{n}")
def test_killed_during_provenance(
    tmp_path: Path, batch: list[Article], uninterrupted: dict, done: int
) -> None:
    """Articles committed, provenance part done, nothing later: finish the rest."""
    with Store(tmp_path / "s.db") as store:
        store.put_articles(batch)
        provenance.update(store, [a.id for a in batch[:done]])
        assert len(pending(store)["provenance"]) == len(batch) - done
        stages = run_pending(store)
        assert stages["provenance"].get("indexed", 0) == len(batch) - done
        assert _state(store) == uninterrupted


def test_killed_before_spin_learning_and_claims(
    tmp_path: Path, batch: list[Article], uninterrupted: dict
) -> None:
    with Store(tmp_path / "s.db") as store:
        store.put_articles(batch)
        run_pending(store, PipelineConfig(claims=False))  # stands in for a kill before claims
        store.put_spin_substitutions([], learned_from=[])  # as if spin learning never ran
        todo = pending(store)
        assert todo["spin"] and todo["claims"] == [a.id for a in batch]
        assert not todo["provenance"] and not todo["stories"]
        run_pending(store)
        assert _state(store) == uninterrupted


def test_spin_learning_is_pending_only_for_relations_not_learned_from(
    tmp_path: Path, batch: list[Article]
) -> None:
    with Store(tmp_path / "s.db") as store:
        store.put_articles(batch[:60])
        run_pending(store)
        assert pending(store)["spin"] == []
        store.put_articles(batch[60:])
        provenance.update(store, [a.id for a in batch[60:]])  # a kill right after this
        assert pending(store)["spin"]
        assert "spin" in run_pending(store)
        assert pending(store)["spin"] == []


def test_a_disabled_stage_catches_up_on_a_later_run(tmp_path: Path, batch: list[Article]) -> None:
    with Store(tmp_path / "s.db") as store:
        store.put_articles(batch[:10])
        run_pending(store, PipelineConfig(claims=False))
        assert len(pending(store)["claims"]) == 10
        assert pending(store, PipelineConfig(claims=False)) == {
            "provenance": [],
            "stories": [],
            "spin": [],
            "claims": [],
        }
        assert run_pending(store)["claims"]["articles"] == 10
