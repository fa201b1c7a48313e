"""Index, candidates, verification, provenance trees and traces (unspin.provenance)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance_samples import (
    ORIGINAL,
    SAME_STORY,
    UNRELATED,
    article,
    edit,
    hosts_of_one_paragraph,
    spin,
)
from unspin import provenance
from unspin.model import Article
from unspin.pipeline import PipelineConfig, run_after_ingest
from unspin.serialize import relation_to_dict
from unspin.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "p.db")


def _add(store: Store, *articles: Article) -> dict[str, int]:
    store.put_articles(articles)
    return provenance.update(store, [a.id for a in articles]).counts


def _pairs(store: Store) -> dict[tuple[str, str], str]:
    return {(r.source_id, r.copy_id): r.kind for r in store.copy_relations()}


@pytest.fixture
def family() -> dict[str, Article]:
    """original → edited copy → spun copy of the edit, plus bystanders."""
    orig = article(ORIGINAL, 0, title="original")
    edited = article(edit(ORIGINAL), 3, title="edited")
    spun_of_edit = article(spin(edited.text, 0.4, seed=8)[0], 6, title="spun")
    return {
        "orig": orig,
        "edited": edited,
        "spun": spun_of_edit,
        "same": article(SAME_STORY, 1, title="same story"),
        "unrelated": article(UNRELATED, 2, title="orchestra"),
    }


def test_each_relation_is_stored_with_its_direction(
    store: Store, family: dict[str, Article]
) -> None:
    f = family
    counts = _add(store, *f.values())
    pairs = _pairs(store)
    assert pairs[(f["orig"].id, f["edited"].id)] == "edited_copy"
    assert pairs[(f["edited"].id, f["spun"].id)] == "spun_copy"
    assert pairs[(f["orig"].id, f["spun"].id)] in ("spun_copy", "edited_copy")
    assert not any(f["unrelated"].id in p or f["same"].id in p for p in pairs)
    assert counts["indexed"] == 5


def test_adding_later_checks_against_the_stored_index(
    store: Store, family: dict[str, Article]
) -> None:
    _add(store, family["orig"], family["unrelated"])
    assert store.copy_relations() == []
    dup = article(ORIGINAL + "\n\nFirst published in the Port Allen Gazette.", 1)
    counts = _add(store, dup)
    assert counts["indexed"] == 1 and counts["candidates"] == 1
    assert _pairs(store) == {(family["orig"].id, dup.id): "duplicate"}


def test_update_skips_articles_already_indexed(store: Store, family: dict[str, Article]) -> None:
    _add(store, family["orig"], family["edited"])
    assert provenance.update(store, [family["orig"].id, family["edited"].id]).counts == {}


def test_copy_of_a_copy_hangs_under_the_copy(store: Store, family: dict[str, Article]) -> None:
    f = family
    _add(store, *f.values())
    forest = provenance.copy_forest(store.copy_relations())
    assert len(forest) == 1
    root = forest[0]
    # The edit cut the original's last paragraph and added one of its own: each holds
    # text the other lacks, so both run a common source the store does not hold.
    assert root.article_id is None and root.common_source == "not stored"
    assert {c.article_id for c in root.children} == {f["orig"].id, f["edited"].id}
    (child,) = [c for c in root.children if c.article_id == f["edited"].id]
    (grandchild,) = child.children
    assert grandchild.article_id == f["spun"].id
    assert grandchild.relation is not None and grandchild.relation.kind == "spun_copy"


def test_trace_gives_the_source_chain_and_the_copies(
    store: Store, family: dict[str, Article]
) -> None:
    f = family
    _add(store, *f.values())
    t = provenance.trace(store, f["spun"].id)
    assert [(r.source_id, r.copy_id) for r in t.chain] == [(f["edited"].id, f["spun"].id)]
    assert t.original == f["edited"].id and t.common_source == "not stored"
    assert [(r.source_id, r.copy_id) for r in t.siblings] == [(f["orig"].id, f["edited"].id)]
    assert t.copies.children == ()
    top = provenance.trace(store, f["edited"].id)
    assert top.chain == () and top.copies.size() == 2 and top.common_source == "not stored"


def test_trace_of_an_article_without_copies(store: Store, family: dict[str, Article]) -> None:
    _add(store, family["unrelated"])
    t = provenance.trace(store, family["unrelated"].id)
    assert t.chain == () and t.copies.children == ()


def test_cycles_are_never_built() -> None:
    from unspin.model import Relation

    rels = [
        Relation("a", "b", "duplicate", 1.0, 1.0, 1.0, 0.0, "undecided"),
        Relation("b", "a", "duplicate", 1.0, 1.0, 1.0, 0.0, "undecided"),
    ]
    forest = provenance.copy_forest(rels)
    assert [t.size() for t in forest] == [2]


def test_batch_search_finds_the_same_pairs_as_the_index(
    store: Store, family: dict[str, Article]
) -> None:
    f = family
    batch = {(r.source_id, r.copy_id) for r in provenance.find_copies(list(f.values()))}
    _add(store, *f.values())
    assert batch == set(_pairs(store))


def test_pairs_verified_by_later_article_keep_candidate_order(
    family: dict[str, Article],
) -> None:
    """find_copies verifies each later article's pairs together (the aligner keeps the
    later text's index) and still returns its relations in candidate order: those of
    verifying the pairs one by one in that order."""
    from unspin.provenance import index
    from unspin.provenance.fingerprint import fingerprints
    from unspin.provenance.neighbours import neighbour_vectors

    f = family
    arts = [f["orig"], f["edited"], f["same"], f["spun"], f["unrelated"]]
    arts += [article(spin(ORIGINAL, 0.2, seed=s)[0], 7 + s, title=f"spun {s}") for s in (1, 2)]
    texts = [a.text for a in arts]
    pairs = index.batch_candidates(fingerprints(texts), neighbour_vectors(texts))
    order = index.by_later(pairs)
    assert sorted(order) == list(range(len(pairs)))
    assert [(pairs[k][1], pairs[k][0]) for k in order] == sorted((j, i) for i, j, _ in pairs)
    assert order != list(range(len(pairs)))  # the orders differ: the test means something
    one_by_one = [rel for i, j, via in pairs for rel in index.verify([(arts[i], arts[j], via)])]
    assert len(index.verify_each([(arts[i], arts[j], via) for i, j, via in pairs])) == len(pairs)
    assert provenance.find_copies(arts, keep_same_story=True) == [
        rel for rel in one_by_one if rel.kind != "unrelated"
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_verifies_by_later_article_and_keeps_pair_order(
    store: Store, family: dict[str, Article], jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rebuild's verification (blocks of pairs, each later article's pairs together,
    on workers or not) gives the relations in candidate order."""
    from unspin.provenance import index
    from unspin.provenance.fingerprint import fingerprints
    from unspin.provenance.neighbours import neighbour_vectors
    from unspin.workers import Workers

    arts = [*family.values()]
    arts += [article(spin(ORIGINAL, 0.2, seed=s)[0], 7 + s, title=f"spun {s}") for s in (1, 2)]
    store.put_articles(arts)
    texts = [a.text for a in arts]
    pairs = index.batch_candidates(fingerprints(texts), neighbour_vectors(texts))
    monkeypatch.setattr(index, "_VERIFY_BLOCK", 3)
    monkeypatch.setattr(index, "MIN_PARALLEL_ITEMS", 1)
    with Workers(jobs) as workers:
        got = index._verify_batch(store, [a.id for a in arts], pairs, workers)
    assert got == index.verify([(arts[i], arts[j], via) for i, j, via in pairs])
    assert len(got) >= 6


def _all_relations(store: Store) -> set[tuple[str, str, str]]:
    rows = store.conn.execute("SELECT source_id, copy_id, kind FROM relations")
    return {(str(a), str(b), str(k)) for a, b, k in rows}


def test_a_common_anchor_links_only_its_earliest_holders_in_a_rebuild_too(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An anchor counts for a new article while at most ANCHOR_MAX_DF stored articles
    hold it: the add links the paragraph's first three holders (at most two before
    each), not the fourth and fifth. A rebuild (one batch) links the same ones, not
    none because five hold it in all."""
    from unspin.provenance import candidates, index

    monkeypatch.setattr(index, "ANCHOR_MAX_DF", 2)
    monkeypatch.setattr(candidates, "ANCHOR_MAX_DF", 2)
    hosts = hosts_of_one_paragraph()
    _add(store, *hosts)
    added = _all_relations(store)
    first = {h.id for h in hosts[:3]}
    assert {frozenset((a, b)) for a, b, _ in added} == {
        frozenset((a.id, b.id)) for a in hosts[:3] for b in hosts[:3] if a.id < b.id
    }
    assert all(a in first and b in first for a, b, _ in added)
    provenance.rebuild(store)
    assert _all_relations(store) == added


def test_candidate_pairs_are_few(family: dict[str, Article]) -> None:
    from unspin.provenance.fingerprint import fingerprints

    texts = [a.text for a in family.values()]
    pairs = provenance.candidate_pairs(fingerprints(texts))
    assert {(i, j) for i, j, _ in pairs} == {(0, 1), (0, 2), (1, 2)}


def test_the_pipeline_step_runs_after_ingest(store: Store, family: dict[str, Article]) -> None:
    f = family
    store.put_articles([f["orig"], f["edited"], f["spun"]])
    only_provenance = PipelineConfig(provenance=True, stories=False, claims=False)
    result = run_after_ingest(store, [f["orig"].id, f["edited"].id], only_provenance)
    assert result["provenance"]["edited_copy"] == 1
    off = PipelineConfig(provenance=False, stories=False, claims=False)
    assert run_after_ingest(store, [f["spun"].id], off)["provenance"] == {"skipped": True}
    assert store.unindexed_ids() == [f["spun"].id]


def test_rebuild_gives_the_same_relations(store: Store, family: dict[str, Article]) -> None:
    _add(store, *family.values())
    before = _pairs(store)
    provenance.rebuild(store)
    assert _pairs(store) == before


def test_short_articles_are_indexed_but_never_related(store: Store) -> None:
    a, b = article("Flood in Port Allen.", 0), article("Flood in Port Allen!", 1)
    counts = _add(store, a, b)
    assert counts == {"indexed": 2} and store.copy_relations() == []


def test_relation_json_has_stable_fields(store: Store, family: dict[str, Article]) -> None:
    _add(store, family["orig"], family["spun"])
    (rel,) = store.copy_relations()
    data = relation_to_dict(rel)
    assert set(data) >= {
        "source",
        "copy",
        "kind",
        "confidence",
        "substitutions",
        "passages",
        "direction",
    }
    sub = data["substitutions"][0]
    text = family["spun"].text
    assert text[sub["copy_span"][0] : sub["copy_span"][1]] == sub["copy"]


def test_the_python_api_mirrors_the_cli(tmp_path: Path, family: dict[str, Article]) -> None:
    from unspin.api import Unspin

    f = family
    u = Unspin(tmp_path / "api.db")
    u.store.put_articles([f["orig"], f["edited"], f["spun"]])
    provenance.update(u.store, [f["orig"].id, f["edited"].id, f["spun"].id])
    assert [t.size() for t in u.copies()] == [3]
    assert u.trace(f["spun"].id[:8]).chain[-1].copy_id == f["spun"].id
    assert {r.kind for r in u.relations_of(f["edited"].id, kinds=["spun_copy"])} == {"spun_copy"}
    assert u.relate(f["orig"].id, f["edited"].id).kind == "edited_copy"
    assert u.summary()["relations"]["edited_copy"] == 1
