"""Small view pieces every page builds on: an article's summary line, marked-up text
segments, and the stages a server offers. Below :mod:`views`, :mod:`pairs` and
:mod:`storyview`, which all use them.
"""

from __future__ import annotations

from unspin.model import Article
from unspin.serialize import article_summary_to_dict
from unspin.web.schemas import ArticleSummary, Segment

__all__ = ["FEATURES", "article_summary", "mark", "paragraph_segments"]

# The stages a server offers (``GET /api/summary``): every stage ships in the package,
# so all are on; the field stays for clients that read it.
FEATURES: dict[str, bool] = {"stories": True, "provenance": True, "claims": True, "spin": True}


def article_summary(a: Article) -> ArticleSummary:
    """The short view of an article used in lists, timelines and trees."""
    return ArticleSummary(**article_summary_to_dict(a))


def mark(
    text: str, spans: list[tuple[int, int, str, str | None]], start: int = 0, end: int | None = None
) -> list[Segment]:
    """Cut ``text[start:end]`` into segments, marking ``spans``.

    Args:
        spans: ``(start, end, kind, other)`` character spans in ``text``; overlapping
            or out-of-range spans are clipped, later overlaps dropped.

    Returns:
        Segments covering ``text[start:end]`` exactly, in order.
    """
    end = len(text) if end is None else end
    out: list[Segment] = []
    pos = start
    for s, e, kind, other in sorted(spans, key=lambda x: (x[0], x[1])):
        s, e = max(s, pos), min(e, end)
        if e <= s:
            continue
        if s > pos:
            out.append(Segment(text=text[pos:s]))
        out.append(Segment(text=text[s:e], kind=kind, other=other))  # type: ignore[arg-type]
        pos = e
    if pos < end:
        out.append(Segment(text=text[pos:end]))
    return out


def paragraph_segments(
    text: str, spans: list[tuple[int, int, str, str | None]]
) -> list[list[Segment]]:
    """:func:`mark` per paragraph (paragraphs are separated by a blank line)."""
    out: list[list[Segment]] = []
    pos = 0
    for para in text.split("\n\n"):
        out.append(
            mark(
                text,
                [sp for sp in spans if sp[0] < pos + len(para) and sp[1] > pos],
                pos,
                pos + len(para),
            )
        )
        pos += len(para) + 2
    return out
