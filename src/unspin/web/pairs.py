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

# A gap between aligned passages up to this long, with no paragraph break, is shown
# inside the neighbouring row rather than as a row of its own (chosen by eye on the
# examples/ spun copies: a swapped word or closing quote the aligner left out).
INLINE_GAP_CHARS = 200


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


def _inline(text: str) -> bool:
    """Whether a gap is short enough to sit inside its neighbouring row (no paragraph break)."""
    return "\n\n" not in text.strip("\n") and len(text) <= INLINE_GAP_CHARS


def pair_rows(source: Article, copy: Article, rel: Relation) -> list[PairRow]:
    """Rows of (source text, copy text): aligned passages, and what lies between them.

    Passages are walked in the copy's order. A short gap between passages (a swapped
    word the aligner left out, closing punctuation) joins the next passage's row (or the
    last row); a longer one becomes a row of its own, cut (source only) beside added
    (copy only). A passage whose two sides hold the same number of paragraphs is split
    into one row per paragraph so long passages stay side by side.
    """
    swapped: list[Span] = [
        (s.source_start, s.source_end, "swapped", s.copy) for s in rel.substitutions
    ]
    subbed: list[Span] = [(s.copy_start, s.copy_end, "sub", s.source) for s in rel.substitutions]
    rows: list[PairRow] = []

    def gap_segments(text: str, kind: str) -> list[Segment]:
        if not text:
            return []
        return [Segment(text=text, kind=kind if text.strip() else "same")]  # type: ignore[arg-type]

    def gap_row(stext: str, ctext: str) -> None:
        if stext.strip() or ctext.strip():
            rows.append(
                PairRow(
                    source=gap_segments(stext.strip("\n"), "del"),
                    copy=gap_segments(ctext.strip("\n"), "ins"),
                )
            )

    def gap_pair(stext: str, ctext: str) -> tuple[list[Segment], list[Segment]]:
        """A short gap inside a row: same text, one swapped word, or cut beside added."""
        if stext == ctext:
            return gap_segments(stext, "same"), gap_segments(ctext, "same")
        sw, cw = stext.strip(), ctext.strip()
        if sw and cw and " " not in sw and " " not in cw and sw.isalpha() and cw.isalpha():
            s_lead, c_lead = stext[: stext.index(sw)], ctext[: ctext.index(cw)]
            s_tail, c_tail = stext[len(s_lead) + len(sw) :], ctext[len(c_lead) + len(cw) :]
            return (
                gap_segments(s_lead, "same")
                + [Segment(text=sw, kind="swapped", other=cw)]
                + gap_segments(s_tail, "same"),
                gap_segments(c_lead, "same")
                + [Segment(text=cw, kind="sub", other=sw)]
                + gap_segments(c_tail, "same"),
            )
        return gap_segments(stext, "del"), gap_segments(ctext, "ins")

    s_pos = c_pos = 0
    for p in sorted(rel.passages, key=lambda p: (p.copy_start, p.source_start)):
        stext = source.text[s_pos : max(s_pos, p.source_start)]
        ctext = copy.text[c_pos : max(c_pos, p.copy_start)]
        prefix: tuple[str, str] | None = None
        if not stext.strip() and not ctext.strip():
            pass  # only the blank line between paragraphs
        elif _inline(stext) and _inline(ctext):
            prefix = (stext, ctext)
        else:
            gap_row(stext, ctext)
        s_paras = _split_paragraphs(source.text, p.source_start, p.source_end)
        c_paras = _split_paragraphs(copy.text, p.copy_start, p.copy_end)
        pairs = (
            list(zip(s_paras, c_paras, strict=True))
            if len(s_paras) == len(c_paras)
            else [((p.source_start, p.source_end), (p.copy_start, p.copy_end))]
        )
        for k, ((s0, s1), (c0, c1)) in enumerate(pairs):
            src = _mark(source.text, s0, s1, swapped)
            cpy = _mark(copy.text, c0, c1, subbed)
            if k == 0 and prefix is not None:
                pre_s, pre_c = gap_pair(*prefix)
                src, cpy = pre_s + src, pre_c + cpy
            rows.append(PairRow(source=src, copy=cpy))
        s_pos = max(s_pos, p.source_end)
        c_pos = max(c_pos, p.copy_end)
    stext, ctext = source.text[s_pos:], copy.text[c_pos:]
    if rows and (stext.strip() or ctext.strip()) and _inline(stext) and _inline(ctext):
        post_s, post_c = gap_pair(stext, ctext)
        rows[-1].source.extend(post_s)
        rows[-1].copy_.extend(post_c)
    else:
        gap_row(stext, ctext)
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
