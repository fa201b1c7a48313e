"""Provenance trees: who copied whom, from the stored copy relations.

:func:`copy_forest` turns copy relations into trees: each copy hangs under its closest
source, so an article spun from a copy of a copy sits three levels down. :func:`trace`
reads one article's chain and copies from the store (:mod:`unspin.serialize` gives
the JSON-ready shapes every face prints).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from unspin.model import COPY_KINDS, NOT_STORED, Churn, CopyTree, Relation, Trace
from unspin.provenance.churn import churn

if TYPE_CHECKING:
    from unspin.store import Store

__all__ = [
    "closest_sources",
    "copy_forest",
    "trace",
]


def _closeness(rel: Relation) -> float:
    """How directly ``rel.copy_id`` derives from ``rel.source_id`` (higher: closer)."""
    return rel.reused * rel.coverage * (1.0 - rel.substitution_rate)


def closest_sources(relations: Iterable[Relation]) -> dict[str, Relation]:
    """The one rule for which article is the source of a copy: copy id -> the relation
    to its closest source (most reused, least swapped; ties by source id).

    A copy with several stored sources gets one, so a text spun from an edited copy has
    the edited copy as its source, not the original; a relation that would close a cycle
    is left out. The provenance trees, ``unspin trace``, the story page, the pair links
    and the claims comparison all read a copy's source from here.
    """
    parent: dict[str, Relation] = {}
    ranked = sorted(
        (r for r in relations if r.kind in COPY_KINDS),
        key=lambda r: (-_closeness(r), r.source_id, r.copy_id),
    )
    for rel in ranked:
        if rel.copy_id in parent:
            continue
        up: str | None = rel.source_id
        while up is not None and up != rel.copy_id:
            up = parent[up].source_id if up in parent else None
        if up == rel.copy_id:
            continue  # would close a cycle
        parent[rel.copy_id] = rel
    return parent


def copy_forest(relations: Iterable[Relation]) -> list[CopyTree]:
    """Provenance trees from copy relations: original → copies → copies of copies.

    Each copy hangs under its source as :func:`closest_sources` names it. Trees come
    largest first.
    """
    relations = [r for r in relations if r.kind in COPY_KINDS]
    parent = closest_sources(relations)
    nodes = {a for r in relations for a in (r.source_id, r.copy_id)}
    children: dict[str, list[str]] = defaultdict(list)
    for copy_id, rel in parent.items():
        children[rel.source_id].append(copy_id)

    def build(node: str) -> CopyTree:
        kids = tuple(build(c) for c in sorted(children[node]))
        return CopyTree(node, parent.get(node), kids)

    roots = [_as_common_source(build(n)) for n in sorted(nodes) if n not in parent]
    return sorted(roots, key=lambda t: (-t.size(), t.article_id or "", t.common_source or ""))


def _runs_common_source(tree: CopyTree) -> bool:
    return tree.relation is not None and tree.relation.common_source is not None


def _as_common_source(root: CopyTree) -> CopyTree:
    """A root whose copies are its siblings (both run a source the store lacks), as a
    node for that source with the siblings under it; other roots unchanged.

    The siblings are the root and every article reached from it through relations with a
    ``common_source``; each keeps its own copies (a spin of one wire copy stays under it).
    The node is named after the agency most of their relations credit, else "not stored".
    """
    firsts = [c for c in root.children if _runs_common_source(c)]
    if not firsts:
        return root
    members: list[CopyTree] = []

    def collect(node: CopyTree, relation: Relation | None) -> None:
        own = tuple(c for c in node.children if not _runs_common_source(c))
        members.append(CopyTree(node.article_id, relation, own))
        for c in node.children:
            if _runs_common_source(c):
                collect(c, c.relation)

    collect(root, firsts[0].relation)
    credits = Counter(
        m.relation.common_source
        for m in members
        if m.relation is not None and m.relation.common_source not in (None, NOT_STORED)
    )
    name = credits.most_common(1)[0][0] if credits else NOT_STORED
    ordered = sorted(members, key=lambda m: m.article_id or "")
    return CopyTree(None, None, tuple(ordered), common_source=name)


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
    component = _component(store, article_id)
    for tree in copy_forest(component):
        tops = tree.children if tree.common_source is not None else (tree,)
        for top in tops:
            path: list[Relation] = []
            node = _find(top, article_id, path)
            if node is None:
                continue
            taken = _churn(store, path[-1]) if path else None
            if tree.common_source is None:
                return Trace(article_id, tuple(path), node, same, churn=taken)
            first = top.article_id
            siblings = tuple(
                r
                for r in component
                if r.common_source is not None and first in (r.source_id, r.copy_id)
            )
            return Trace(article_id, tuple(path), node, same, tree.common_source, siblings, taken)
    return Trace(article_id, (), CopyTree(article_id), same)


def _churn(store: Store, rel: Relation) -> Churn | None:
    found = {a.id: a for a in store.get_articles([rel.source_id, rel.copy_id])}
    if rel.source_id not in found or rel.copy_id not in found:
        return None
    return churn(found[rel.source_id].text, found[rel.copy_id].text, rel)
