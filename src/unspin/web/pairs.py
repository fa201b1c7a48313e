"""The pair page's data: a copy aligned beside its source, substitutions marked.

The provenance stage stores, for each copy, the aligned passages (character spans in
both texts) and every substitution (source words → copy words, with spans). This module
only lays them out in rows; it aligns nothing itself.
"""

from __future__ import annotations

from collections import Counter

from unspin.api import Unspin
from unspin.errors import NotFoundError
from unspin.model import COPY_KINDS, Article, Relation
from unspin.web.schemas import PairPage, PairRow, Segment, SubstitutionView

__all__ = ["find_relation", "pair_page", "pair_rows"]

Span = tuple[int, int, str, "str | None"]


def find_relation(u: Unspin, copy_id: str, source_id: str) -> Relation:
    """The stored copy relation with ``source_id`` as source of ``copy_id``.

    Raises:
        NotFoundError: either id is unknown, or the store holds no such copy relation.
    """
    copy = u.article(copy_id)
    source = u.article(source_id)
    if not hasattr(u, "relations_of"):
        raise NotFoundError("the provenance stage is not installed: no pairs to show")
    for rel in u.relations_of(copy.id):
        if rel.copy_id == copy.id and rel.source_id == source.id and rel.kind in COPY_KINDS:
            return rel
    raise NotFoundError(
        f"{copy_id} is not a known copy of {source_id}: see the article page for its relations"
    )


def _mark(text: str, start: int, end: int, spans: list[Span]) -> list[Segment]:
    from unspin.web.views import mark

    inside = [sp for sp in spans if sp[0] < end and sp[1] > start]
    return mark(text, inside, start, end)


def _split_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at blank lines into paragraph spans."""
    out: list[tuple[int, int]] = []
    pos = start
    while True:
        brk = text.find("\n\n", pos, end)
        if brk < 0:
            out.append((pos, end))
            return out
        out.append((pos, brk))
        pos = brk + 2


def pair_rows(source: Article, copy: Article, rel: Relation) -> list[PairRow]:
    """Rows of (source text, copy text): aligned passages, and what lies between them.

    Passages are walked in the copy's order. Text between two passages becomes a row of
    its own, cut (source only) beside added (copy only). A passage whose two sides hold
    the same number of paragraphs is split into one row per paragraph so long passages
    stay side by side.
    """
    swapped: list[Span] = [(s.source_start, s.source_end, "swapped", s.copy) for s in rel.substitutions]
    subbed: list[Span] = [(s.copy_start, s.copy_end, "sub", s.source) for s in rel.substitutions]
    rows: list[PairRow] = []

    def gap_row(s0: int, s1: int, c0: int, c1: int) -> None:
        stext, ctext = source.text[s0:s1], copy.text[c0:c1]
        if not stext.strip() and not ctext.strip():
            return
        rows.append(
            PairRow(
                source=[Segment(text=stext.strip("\n"), kind="del")] if stext.strip() else [],
                copy=[Segment(text=ctext.strip("\n"), kind="ins")] if ctext.strip() else [],
            )
        )

    s_pos = c_pos = 0
    for p in sorted(rel.passages, key=lambda p: (p.copy_start, p.source_start)):
        gap_row(s_pos, max(s_pos, p.source_start), c_pos, max(c_pos, p.copy_start))
        s_paras = _split_paragraphs(source.text, p.source_start, p.source_end)
        c_paras = _split_paragraphs(copy.text, p.copy_start, p.copy_end)
        pairs = (
            list(zip(s_paras, c_paras, strict=True))
            if len(s_paras) == len(c_paras)
            else [((p.source_start, p.source_end), (p.copy_start, p.copy_end))]
        )
        for (s0, s1), (c0, c1) in pairs:
            rows.append(
                PairRow(
                    source=_mark(source.text, s0, s1, swapped),
                    copy=_mark(copy.text, c0, c1, subbed),
                )
            )
        s_pos = max(s_pos, p.source_end)
        c_pos = max(c_pos, p.copy_end)
    gap_row(s_pos, len(source.text), c_pos, len(copy.text))
    return rows


def pair_page(u: Unspin, copy_id: str, source_id: str) -> PairPage:
    """The pair page for ``copy_id`` copied from ``source_id``.

    Raises:
        NotFoundError: unknown article, or no copy relation between the two.
    """
    from unspin.web.views import article_summary

    rel = find_relation(u, copy_id, source_id)
    source, copy = u.store.get_articles([rel.source_id, rel.copy_id])
    counts = Counter((s.source, s.copy) for s in rel.substitutions)
    return PairPage(
        source=article_summary(source),
        copy=article_summary(copy),
        relation=rel.kind,
        reuse_rate=rel.reused,
        substitution_rate=rel.substitution_rate,
        substitutions=[
            SubstitutionView(original=o, spun=c, count=n)
            for (o, c), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        rows=pair_rows(source, copy, rel),
    )
