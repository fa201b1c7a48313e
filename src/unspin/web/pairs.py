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
from unspin.web.fragments import article_summary, mark
from unspin.web.schemas import ChurnView, PairPage, PairRow, Segment, SubstitutionView

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


def _gap(text: str, start: int, end: int, spans: list[Span], kind: str) -> list[Segment]:
    """Text between passages: substitutions marked, the rest ``kind`` (cut or added)."""
    out = []
    for seg in _mark(text, start, end, spans):
        if seg.kind == "same" and seg.text.strip():
            seg = Segment(text=seg.text, kind=kind)  # type: ignore[arg-type]
        out.append(seg)
    return out


def _one_word_swap(src: list[Segment], cpy: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    """A gap of one cut word beside one added word is a substitution the aligner left out."""
    s_words = [g for g in src if g.kind == "del"]
    c_words = [g for g in cpy if g.kind == "ins"]
    if len(s_words) == len(c_words) == 1 and len(src) == len(cpy) == 1:
        sw, cw = s_words[0].text, c_words[0].text
        if sw.strip().isalpha() and cw.strip().isalpha() and sw.strip() != cw.strip():
            return _split_word(sw, "swapped", cw.strip()), _split_word(cw, "sub", sw.strip())
    if [g.text for g in src] == [g.text for g in cpy]:  # the same words on both sides
        same = [Segment(text=g.text) for g in src]
        return same, [Segment(text=g.text) for g in cpy]
    return src, cpy


def _split_word(text: str, kind: str, other: str) -> list[Segment]:
    core = text.strip()
    lead = text[: text.index(core)]
    tail = text[len(lead) + len(core) :]
    segs = [Segment(text=lead)] if lead else []
    segs.append(Segment(text=core, kind=kind, other=other))  # type: ignore[arg-type]
    return segs + ([Segment(text=tail)] if tail else [])


def pair_rows(source: Article, copy: Article, rel: Relation) -> list[PairRow]:
    """Rows of (source text, copy text): aligned passages, and what lies between them.

    Passages are walked in the copy's order. A short gap between passages (a swapped
    word the aligner left out, closing punctuation) joins the next passage's row (or the
    last row); a longer one becomes a row of its own, cut (source only) beside added
    (copy only). A passage whose two sides hold the same number of paragraphs is split
    into one row per paragraph so long passages stay side by side. Every substitution
    is marked wherever it falls.
    """
    if rel.sentences and not rel.passages:
        return _sentence_rows(source, copy, rel)
    swapped: list[Span] = [
        (s.source_start, s.source_end, "swapped", s.copy) for s in rel.substitutions
    ]
    subbed: list[Span] = [(s.copy_start, s.copy_end, "sub", s.source) for s in rel.substitutions]
    st, ct = source.text, copy.text
    rows: list[PairRow] = []

    def gap(s0: int, s1: int, c0: int, c1: int) -> tuple[list[Segment], list[Segment]]:
        return _one_word_swap(_gap(st, s0, s1, swapped, "del"), _gap(ct, c0, c1, subbed, "ins"))

    def own_row(s0: int, s1: int, c0: int, c1: int) -> None:
        # trim the blank lines around a gap of its own
        s0, s1 = _trim(st, s0, s1)
        c0, c1 = _trim(ct, c0, c1)
        if s1 > s0 or c1 > c0:
            src, cpy = gap(s0, s1, c0, c1)
            rows.append(PairRow(source=src, copy=cpy))

    s_pos = c_pos = 0
    for p in sorted(rel.passages, key=lambda p: (p.copy_start, p.source_start)):
        gs, gc = (s_pos, max(s_pos, p.source_start)), (c_pos, max(c_pos, p.copy_start))
        prefix: tuple[list[Segment], list[Segment]] | None = None
        if not st[gs[0] : gs[1]].strip() and not ct[gc[0] : gc[1]].strip():
            pass  # only the blank line between paragraphs
        elif _inline(st[gs[0] : gs[1]]) and _inline(ct[gc[0] : gc[1]]):
            if rows and _closes(st[gs[0] : gs[1]]) and _closes(ct[gc[0] : gc[1]]):
                # closing punctuation ends the previous row rather than opening the next
                src, cpy = gap(*gs, *gc)
                rows[-1].source.extend(src)
                rows[-1].copy_.extend(cpy)
            else:
                prefix = gap(*gs, *gc)
        else:
            own_row(*gs, *gc)
        s_paras = _split_paragraphs(st, p.source_start, p.source_end)
        c_paras = _split_paragraphs(ct, p.copy_start, p.copy_end)
        pairs = (
            list(zip(s_paras, c_paras, strict=True))
            if len(s_paras) == len(c_paras)
            else [((p.source_start, p.source_end), (p.copy_start, p.copy_end))]
        )
        for k, ((s0, s1), (c0, c1)) in enumerate(pairs):
            src = _mark(st, s0, s1, swapped)
            cpy = _mark(ct, c0, c1, subbed)
            if k == 0 and prefix is not None:
                src, cpy = prefix[0] + src, prefix[1] + cpy
            rows.append(PairRow(source=src, copy=cpy))
        s_pos = max(s_pos, p.source_end)
        c_pos = max(c_pos, p.copy_end)
    tail_s, tail_c = st[s_pos:], ct[c_pos:]
    if rows and (tail_s.strip() or tail_c.strip()) and _inline(tail_s) and _inline(tail_c):
        src, cpy = gap(s_pos, len(st), c_pos, len(ct))
        rows[-1].source.extend(src)
        rows[-1].copy_.extend(cpy)
    else:
        own_row(s_pos, len(st), c_pos, len(ct))
    return rows


def _sentence_rows(source: Article, copy: Article, rel: Relation) -> list[PairRow]:
    """A rewritten copy's rows: each reworded sentence beside the source sentence it
    rewords, in the copy's order (the matches of the sentence alignment by meaning)."""
    return [
        PairRow(
            source=[Segment(text=source.text[m.source_start : m.source_end])],
            copy=[Segment(text=copy.text[m.copy_start : m.copy_end])],
        )
        for m in sorted(rel.sentences, key=lambda m: m.copy_start)
    ]


def _closes(text: str) -> bool:
    """Whether a gap starts by closing the sentence before it (``.``, ``"``, ``)`` …)."""
    return not text or (not text[0].isalnum() and not text[0].isspace())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] == "\n":
        start += 1
    while end > start and text[end - 1] == "\n":
        end -= 1
    return start, end


def pair_page(u: Unspin, copy_id: str, source_id: str) -> PairPage:
    """The pair page for ``copy_id`` copied from ``source_id``.

    Raises:
        NotFoundError: unknown article, or no copy relation between the two.
    """

    rel = find_relation(u, copy_id, source_id)
    source, copy = u.articles_by_id([rel.source_id, rel.copy_id])
    counts = Counter((s.source, s.copy) for s in rel.substitutions)
    taken = u.churn(rel)
    return PairPage(
        source=article_summary(source),
        copy=article_summary(copy),
        relation=rel.kind,
        reused=rel.reused,
        substitution_rate=rel.substitution_rate,
        common_source=rel.common_source,
        churn=ChurnView(
            taken=taken.taken,
            taken_in_quotes=taken.taken_in_quotes,
            taken_unquoted=taken.taken_unquoted,
            source_used=taken.source_used,
        ),
        substitutions=[
            SubstitutionView(original=o, spun=c, count=n)
            for (o, c), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        rows=pair_rows(source, copy, rel),
    )
