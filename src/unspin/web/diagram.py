"""Who copied whom, as a picture: the layout of a story's provenance diagram.

The server lays the diagram out and the story template draws it as inline SVG (no
script, no CDN, so the static report carries it too): the independent sources side by
side on the top row, each copy beneath what it copies, every edge coloured by the kind
of copy (edited, spun, rewritten, or two articles sharing a source that is not stored).
Each node links to its article, each edge to its pair page.

::

    diagram = provenance_diagram(articles, u.copy_sources(ids))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from unspin.model import Article, Relation
from unspin.web.schemas import DiagramEdge, DiagramNode, ProvenanceDiagram

__all__ = ["NODE_HEIGHT", "NODE_WIDTH", "provenance_diagram"]

# Node size in SVG units: wide enough for an outlet name of about 22 characters at the
# 13-unit font the stylesheet sets, tall enough for two lines (outlet; kind and date).
NODE_WIDTH = 170
NODE_HEIGHT = 46
# Space between columns and between generations, and around the whole drawing.
GAP_X = 18
GAP_Y = 44
PAD = 6
# Characters of an outlet name drawn in a node (the full name is in the node's title).
OUTLET_CHARS = 22


def _when(a: Article) -> datetime:
    when = a.published or a.ingested_at
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _edge_kind(rel: Relation) -> str:
    return "common_source" if rel.common_source else rel.kind


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def provenance_diagram(articles: Sequence[Article], rels: Sequence[Relation]) -> ProvenanceDiagram:
    """Lay out a story's articles: roots (articles that copy none here) on the top row in
    publication order, each copy one row below its source, a parent centred over its
    copies.

    Args:
        rels: one relation per copy (:meth:`Unspin.copy_sources`): the copy's source.
    """
    by_id = {a.id: a for a in articles}
    parent = {r.copy_id: r for r in rels if r.copy_id in by_id and r.source_id in by_id}
    children: dict[str, list[str]] = {}
    for r in parent.values():
        children.setdefault(r.source_id, []).append(r.copy_id)
    for kids in children.values():
        kids.sort(key=lambda i: (_when(by_id[i]), i))

    roots = sorted((a for a in by_id if a not in parent), key=lambda i: (_when(by_id[i]), i))
    placed: dict[str, tuple[float, int]] = {}
    slot = 0

    def place(aid: str, depth: int) -> float:
        nonlocal slot
        kids = [k for k in children.get(aid, []) if k not in placed]
        placed[aid] = (0.0, depth)  # claimed before its copies: guards a cycle
        xs = [place(k, depth + 1) for k in kids]
        if xs:
            x = (xs[0] + xs[-1]) / 2
        else:
            x = float(slot)
            slot += 1
        placed[aid] = (x, depth)
        return x

    for root in roots:
        place(root, 0)
    # Articles in a copy cycle (no root above them): the earliest of each is drawn on top.
    for aid in sorted(by_id, key=lambda i: (_when(by_id[i]), i)):
        if aid not in placed:
            place(aid, 0)

    def left(aid: str) -> float:
        return PAD + placed[aid][0] * (NODE_WIDTH + GAP_X)

    def top(aid: str) -> float:
        return PAD + placed[aid][1] * (NODE_HEIGHT + GAP_Y)

    nodes = []
    for aid, _ in sorted(placed.items(), key=lambda p: (p[1][1], p[1][0])):
        a = by_id[aid]
        rel = parent.get(aid)
        nodes.append(
            DiagramNode(
                id=aid,
                x=left(aid),
                y=top(aid),
                outlet=_short(a.outlet or aid[:10], OUTLET_CHARS),
                title=a.title or a.outlet or aid,
                published=_when(a).strftime("%Y-%m-%d") if a.published else None,
                kind=_edge_kind(rel) if rel else "original",
                href=f"/articles/{aid}",
            )
        )
    edges = [
        DiagramEdge(
            source=r.source_id,
            copy=r.copy_id,
            kind=_edge_kind(r),
            x1=left(r.source_id) + NODE_WIDTH / 2,
            y1=top(r.source_id) + NODE_HEIGHT,
            x2=left(r.copy_id) + NODE_WIDTH / 2,
            y2=top(r.copy_id),
            pair=f"/pairs/{r.copy_id}/{r.source_id}",
        )
        for r in sorted(parent.values(), key=lambda r: (r.source_id, r.copy_id))
    ]
    depth = max((d for _, d in placed.values()), default=0)
    return ProvenanceDiagram(
        width=PAD * 2 + max(slot, 1) * (NODE_WIDTH + GAP_X) - GAP_X,
        height=PAD * 2 + (depth + 1) * (NODE_HEIGHT + GAP_Y) - GAP_Y,
        node_width=NODE_WIDTH,
        node_height=NODE_HEIGHT,
        nodes=nodes,
        edges=edges,
    )
