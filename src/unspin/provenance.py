"""Provenance: find the articles that copy each other, and who copied whom.

Three steps, each cheap enough to run for every added article:

1. **index**: each article's LSH band keys (:mod:`unspin.fingerprint`: word shingles
   for verbatim and edited copies, stable-token shingles for spun ones) go into the
   ``provenance_bands`` table, so the index grows with the store and is never rebuilt;
2. **candidates**: the stored articles sharing at least one band key with the new one,
   most shared bands first, at most :data:`MAX_CANDIDATES` (never all pairs);
3. **verify**: each candidate is aligned word by word and classified
   (:func:`unspin.relate.relate`); every relation but ``unrelated`` is stored.

:func:`find_copies` does the same over a batch of articles held in memory (one numpy
sort finds every colliding pair), for rebuilds, the Spark job and the benchmarks.
:func:`copy_forest` turns copy relations into provenance trees: each copy hangs under
its closest source, so an article spun from a copy of a copy sits three levels down.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from unspin.fingerprint import STABLE, WORD, Fingerprint, TokenTable, fingerprint, fingerprints
from unspin.model import COPY_KINDS, Article, CopyTree, Relation, Trace
from unspin.relate import relate

if TYPE_CHECKING:
    from unspin.pipeline import PipelineConfig
    from unspin.store import Store

__all__ = [
    "candidate_pairs",
    "copy_forest",
    "find_copies",
    "rebuild",
    "step",
    "trace",
    "update",
]

log = logging.getLogger(__name__)

# Articles shorter than this many words are indexed but never related: too little text
# to tell a copy from a coincidence (a headline, a one-line brief).
MIN_WORDS = 20
# At most this many candidates are verified per new article, most shared bands first:
# room for a story copied 25 times while bounding the add latency (one alignment is
# ~10-30 ms; bench/provenance_speed.py: 14 ms median per add on 50k articles).
MAX_CANDIDATES = 25
# In a batch, a band bucket holding more articles than this is a boilerplate collision
# (a shared footer), not a copy family; its pairs are skipped (bench/provenance_speed.py).
MAX_BUCKET = 200
# Articles read and fingerprinted together by :func:`rebuild` (one vectorised batch).
_REBUILD_CHUNK = 1000


def _too_short(article: Article) -> bool:
    return article.n_words < MIN_WORDS


def update(store: Store, ids: Sequence[str]) -> dict[str, int]:
    """Index ``ids`` (those not indexed yet) and relate each to the stored articles.

    Articles are handled in the order given, each checked against everything indexed
    before it, so copies within one batch are found too.

    Returns:
        Counts: ``indexed`` articles, ``candidates`` verified, and relations by kind.
    """
    todo = store.unindexed_ids(ids)
    seqs = store.article_seqs(todo)
    counts: dict[str, int] = defaultdict(int)
    table = TokenTable()
    for article in store.get_articles(todo):
        seq = seqs[article.id]
        if _too_short(article):
            store.put_bands(seq, [])
            counts["indexed"] += 1
            continue
        fp = fingerprint(article.text, table)
        keys = fp.index_keys
        found = store.band_candidates(keys.tolist(), exclude=seq, limit=MAX_CANDIDATES)
        others = [o for o in store.get_articles([i for i, _ in found]) if not _too_short(o)]
        relations = [r for r in (relate(o, article) for o in others) if r.kind != "unrelated"]
        with store.transaction():
            store.put_relations(relations)
            store.put_bands(seq, keys.tolist())
        counts["indexed"] += 1
        counts["candidates"] += len(others)
        for r in relations:
            counts[r.kind] += 1
    return dict(counts)


def step(store: Store, new_ids: Sequence[str], config: PipelineConfig) -> dict[str, Any]:
    """The pipeline step run after ``unspin add``: :func:`update` for the new articles."""
    if not config.provenance:
        return {"skipped": True}
    return update(store, new_ids)


def rebuild(store: Store) -> dict[str, int]:
    """Drop the provenance index and relations and rebuild both from every article.

    The batch path: articles are fingerprinted a thousand at a time (vectorised, see
    :func:`unspin.fingerprint.fingerprints`), one sort finds the colliding pairs
    (:func:`candidate_pairs`), each pair is verified, and the band keys are written
    sorted in one transaction. Finds the same relations as adding the
    articles one by one (the earlier-stored article is ``a`` in :func:`relate`).
    """
    store.clear_provenance()
    ids: list[str] = []
    seqs: list[int] = []
    fps: list[Fingerprint] = []
    all_seqs: list[int] = []
    table = TokenTable()
    chunk: list[Article] = []

    def flush() -> None:
        seq_of = store.article_seqs([a.id for a in chunk])
        all_seqs.extend(seq_of[a.id] for a in chunk)
        usable = [a for a in chunk if not _too_short(a)]
        ids.extend(a.id for a in usable)
        seqs.extend(seq_of[a.id] for a in usable)
        fps.extend(fingerprints([a.text for a in usable], table))
        chunk.clear()

    for article in store.iter_articles():
        chunk.append(article)
        if len(chunk) == _REBUILD_CHUNK:
            flush()
    flush()
    counts: dict[str, int] = defaultdict(int)
    relations = []
    for i, j, _shared in candidate_pairs(fps):
        a, b = store.get_articles([ids[i], ids[j]])
        rel = relate(a, b)
        counts["candidates"] += 1
        if rel.kind != "unrelated":
            relations.append(rel)
            counts[rel.kind] += 1
    index_keys = [fp.index_keys for fp in fps]
    keys = np.concatenate([np.empty(0, dtype=np.int64), *index_keys])
    owners = np.repeat(np.asarray(seqs, dtype=np.int64), [len(k) for k in index_keys])
    order = np.lexsort((owners, keys))  # b-tree order: appends, no page splits
    rows = zip(keys[order].tolist(), owners[order].tolist(), strict=True)
    with store.transaction():
        store.put_relations(relations)
        store.put_bands_bulk(rows, all_seqs)
    counts["indexed"] = len(all_seqs)
    return dict(counts)


def _group_pairs(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of rows sharing a key in any column, with repeats."""
    n, nb = keys.shape
    flat = keys.ravel()
    owner = np.repeat(np.arange(n, dtype=np.int64), nb)
    order = np.argsort(flat, kind="stable")
    flat, owner = flat[order], owner[order]
    edges = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(flat)]))
    sizes = ends - starts
    out: list[npt.NDArray[np.int64]] = []
    two = starts[sizes == 2]
    if len(two):
        out.append(np.stack([owner[two], owner[two + 1]], axis=1))
    for s, e in zip(
        starts[(sizes > 2) & (sizes <= MAX_BUCKET)],
        ends[(sizes > 2) & (sizes <= MAX_BUCKET)],
        strict=True,
    ):
        members = owner[s:e]
        ii, jj = np.triu_indices(len(members), k=1)
        out.append(np.stack([members[ii], members[jj]], axis=1))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(out)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.sort(pairs, axis=1)


def candidate_pairs(fps: Sequence[Fingerprint]) -> list[tuple[int, int, int]]:
    """Every pair of fingerprints sharing an LSH band: ``(i, j, shared bands)``, i < j.

    One sort over all keys of the batch; fingerprints of kinds without shingles (too
    short) get keys that collide with nothing.
    """
    if not fps:
        return []
    keys = np.stack([fp.keys for fp in fps]).copy()
    n = len(fps)
    for i, fp in enumerate(fps):  # unusable kinds: unique negative sentinels
        if not fp.word_shingles:
            keys[i, : WORD.bands] = -(i * 1000 + np.arange(WORD.bands) + 1)
        if not fp.stable_shingles:
            keys[i, WORD.bands :] = -(i * 1000 + 500 + np.arange(STABLE.bands) + 1)
    pairs = _group_pairs(keys)
    if not len(pairs):
        return []
    codes = pairs[:, 0] * n + pairs[:, 1]
    uniq, shared = np.unique(codes, return_counts=True)
    return [(int(c // n), int(c % n), int(s)) for c, s in zip(uniq, shared, strict=True)]


def find_copies(articles: Sequence[Article], *, keep_same_story: bool = False) -> list[Relation]:
    """Every related pair among ``articles`` (held in memory), verified by alignment.

    Args:
        articles: the batch; earlier ones are kept as sources when the direction rule
            cannot decide.
        keep_same_story: also return ``same_story`` relations (default: copies only).

    Returns:
        The relations, in candidate order.
    """
    usable = [a for a in articles if not _too_short(a)]
    fps = fingerprints(a.text for a in usable)
    out: list[Relation] = []
    for i, j, _shared in candidate_pairs(fps):
        rel = relate(usable[i], usable[j])
        if rel.kind in COPY_KINDS or (keep_same_story and rel.kind == "same_story"):
            out.append(rel)
    return out


def _closeness(rel: Relation) -> float:
    """How directly ``rel.copy_id`` derives from ``rel.source_id`` (higher: closer)."""
    return rel.reused * rel.coverage * (1.0 - rel.substitution_rate)


def copy_forest(relations: Iterable[Relation]) -> list[CopyTree]:
    """Provenance trees from copy relations: original → copies → copies of copies.

    Each copy hangs under its closest source (most reused, least swapped), so a text
    spun from an edited copy hangs under the edited copy, not the original. Relations
    that would close a cycle are left out. Trees come largest first.
    """
    parent: dict[str, Relation] = {}
    nodes: set[str] = set()
    ranked = sorted(
        (r for r in relations if r.kind in COPY_KINDS),
        key=lambda r: (-_closeness(r), r.source_id, r.copy_id),
    )
    for rel in ranked:
        nodes.update((rel.source_id, rel.copy_id))
        if rel.copy_id in parent:
            continue
        up: str | None = rel.source_id
        while up is not None and up != rel.copy_id:
            up = parent[up].source_id if up in parent else None
        if up == rel.copy_id:
            continue  # would close a cycle
        parent[rel.copy_id] = rel
    children: dict[str, list[str]] = defaultdict(list)
    for copy_id, rel in parent.items():
        children[rel.source_id].append(copy_id)

    def build(node: str) -> CopyTree:
        kids = tuple(build(c) for c in sorted(children[node]))
        return CopyTree(node, parent.get(node), kids)

    roots = [build(n) for n in sorted(nodes) if n not in parent]
    return sorted(roots, key=lambda t: (-t.size(), t.article_id))


def _find(tree: CopyTree, article_id: str, path: list[Relation]) -> CopyTree | None:
    if tree.article_id == article_id:
        return tree
    for child in tree.children:
        if child.relation is None:  # only roots lack a relation
            continue
        path.append(child.relation)
        hit = _find(child, article_id, path)
        if hit is not None:
            return hit
        path.pop()
    return None


def _component(store: Store, article_id: str) -> list[Relation]:
    """Every copy relation reachable from ``article_id`` through copy relations."""
    seen = {article_id}
    frontier = [article_id]
    found: dict[tuple[str, str], Relation] = {}
    while frontier:
        node = frontier.pop()
        for rel in store.relations_of(node, kinds=sorted(COPY_KINDS)):
            found[(rel.source_id, rel.copy_id)] = rel
            for other in (rel.source_id, rel.copy_id):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return list(found.values())


def trace(store: Store, article_id: str) -> Trace:
    """An article's source chain and its copies, from the stored relations.

    Args:
        article_id: a full article id (resolve prefixes first).

    Returns:
        The :class:`Trace`; an article with no copy relation is its own original with
        no copies.
    """
    same = tuple(store.relations_of(article_id, kinds=["same_story"]))
    for tree in copy_forest(_component(store, article_id)):
        path: list[Relation] = []
        node = _find(tree, article_id, path)
        if node is not None:
            return Trace(article_id, tuple(path), node, same)
    return Trace(article_id, (), CopyTree(article_id), same)


def relation_to_dict(rel: Relation, *, evidence: bool = True) -> dict[str, Any]:
    """A JSON-ready dict of a relation (stable field names, documented in docs/provenance.md)."""
    data: dict[str, Any] = {
        "source": rel.source_id,
        "copy": rel.copy_id,
        "kind": rel.kind,
        "confidence": rel.confidence,
        "reused": rel.reused,
        "coverage": rel.coverage,
        "substitution_rate": rel.substitution_rate,
        "direction": rel.direction,
        "n_substitutions": len(rel.substitutions),
    }
    if evidence:
        data["substitutions"] = [
            {
                "source": s.source,
                "copy": s.copy,
                "source_span": [s.source_start, s.source_end],
                "copy_span": [s.copy_start, s.copy_end],
            }
            for s in rel.substitutions
        ]
        data["passages"] = [
            {
                "source_span": [p.source_start, p.source_end],
                "copy_span": [p.copy_start, p.copy_end],
                "matched": p.matched,
                "substituted": p.substituted,
            }
            for p in rel.passages
        ]
    return data


def tree_to_dict(tree: CopyTree, *, evidence: bool = False) -> dict[str, Any]:
    """A JSON-ready dict of a provenance tree: ``article``, ``relation``, ``copies``."""
    return {
        "article": tree.article_id,
        "relation": relation_to_dict(tree.relation, evidence=evidence) if tree.relation else None,
        "copies": [tree_to_dict(c, evidence=evidence) for c in tree.children],
    }


def trace_to_dict(t: Trace) -> dict[str, Any]:
    """A JSON-ready dict of a :class:`Trace` (the chain carries full evidence)."""
    return {
        "article": t.article_id,
        "original": t.chain[0].source_id if t.chain else t.article_id,
        "chain": [relation_to_dict(r) for r in t.chain],
        "copies": tree_to_dict(t.copies)["copies"],
        "same_story": [relation_to_dict(r, evidence=False) for r in t.same_story],
    }
