"""One vocabulary: model objects as JSON-ready dicts, and back.

Every face that prints data uses this module, so a field has one name everywhere:
``unspin … --json``, the web JSON API (its page models in :mod:`unspin.web.schemas`
reuse these names), ``unspin export``, the HTML report and the Spark job's summary.
docs/api.md documents every object and field; ``tests/test_serialize.py`` holds that
document to this module.

The names follow the model (:mod:`unspin.model`): an article's ``outlet`` (its site,
else its URL's host), a spin span's ``suggestion`` and ``confidence``, a relation's
``source`` and ``copy`` ids. Times are ISO 8601 strings with their offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from unspin.model import (
    Appearance,
    Article,
    BoilerplateLine,
    Churn,
    Claim,
    ClaimGroup,
    Comparison,
    CopyTree,
    Relation,
    Republication,
    SpinReport,
    Story,
    StoryDetail,
    Trace,
)

__all__ = [
    "COMPARISON_LABELS",
    "SNIPPET_WORDS",
    "appearance_to_dict",
    "article_from_dict",
    "article_summary_to_dict",
    "article_to_dict",
    "churn_to_dict",
    "claim_to_dict",
    "comparison_to_dict",
    "relation_to_dict",
    "republication_to_dict",
    "snippet",
    "spin_report_to_dict",
    "story_detail_to_dict",
    "story_to_dict",
    "trace_to_dict",
    "tree_to_dict",
]

# Words of an article shown under its title in lists.
SNIPPET_WORDS = 40
# The labels of a comparison's claim groups, in the order they are shown.
COMPARISON_LABELS = ("conflict", "differ", "agree", "unique")


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


# --- articles ---------------------------------------------------------------------------


def article_to_dict(article: Article, *, boilerplate: bool = True) -> dict[str, Any]:
    """An article: ids, metadata, text and (optionally) the boilerplate lines removed."""
    data: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "published": _iso(article.published),
        "language": article.language,
        "ingested_at": article.ingested_at.isoformat(),
        "origin": str(article.origin) if article.origin else None,
        "origin_kind": article.origin.kind if article.origin else None,
        "n_words": article.n_words,
        "text": article.text,
    }
    if boilerplate:
        data["boilerplate"] = [{"text": b.text, "reason": b.reason} for b in article.boilerplate]
    return data


def article_summary_to_dict(article: Article) -> dict[str, Any]:
    """An article's summary line, as lists show it (``unspin list --json``,
    ``GET /api/articles``): metadata and the first :data:`SNIPPET_WORDS` words."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": _iso(article.published),
        "ingested_at": article.ingested_at.isoformat(),
        "n_words": article.n_words,
        "snippet": snippet(article.text),
    }


def snippet(text: str, words: int | None = None) -> str:
    """The first ``words`` words of ``text`` (default :data:`SNIPPET_WORDS`), with an
    ellipsis when there are more."""
    words = SNIPPET_WORDS if words is None else words
    parts = text.split(None, words)
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + " …"


def article_from_dict(data: Mapping[str, Any]) -> Article:
    """The article an :func:`article_to_dict` dict describes (an export read back).

    The id is recomputed from the text, so an edited text gets its own id. The origin is
    not restored (it names where the article was first read, not this dict).

    Raises:
        ValueError: no ``text``, or ``published`` without a time zone.
    """
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an article needs a non-empty 'text'")
    published = data.get("published")
    ingested = data.get("ingested_at")
    extra: dict[str, Any] = {}
    if ingested:
        extra["ingested_at"] = datetime.fromisoformat(ingested)
    return Article.create(
        text,
        title=data.get("title"),
        url=data.get("url"),
        site=data.get("outlet"),
        author=data.get("author"),
        published=datetime.fromisoformat(published) if published else None,
        language=data.get("language"),
        boilerplate=tuple(
            BoilerplateLine(b["text"], b["reason"]) for b in data.get("boilerplate") or ()
        ),
        **extra,
    )


# --- provenance -------------------------------------------------------------------------


def relation_to_dict(rel: Relation, *, evidence: bool = True) -> dict[str, Any]:
    """A relation between two articles; ``evidence`` adds the aligned detail (sentences,
    substitutions, passages) behind the verdict."""
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
        "n_sentences": len(rel.sentences),
        "common_source": rel.common_source,
    }
    if evidence:
        data["sentences"] = [
            {
                "source_span": [m.source_start, m.source_end],
                "copy_span": [m.copy_start, m.copy_end],
                "similarity": m.similarity,
            }
            for m in rel.sentences
        ]
        data["added_facts"] = list(rel.added_facts)
        data["order_kept"] = rel.order_kept
        data["facts_carried"] = rel.facts_carried
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


def appearance_to_dict(place: Appearance) -> dict[str, Any]:
    """One place an article was seen: its URL, outlet and publication time."""
    return {"url": place.url, "outlet": place.site, "published": _iso(place.published)}


def republication_to_dict(r: Republication) -> dict[str, Any]:
    """A text published word for word at several addresses (one stored article)."""
    return {
        "article": r.article_id,
        "kind": "duplicate",
        "original": appearance_to_dict(r.original),
        "copies": [appearance_to_dict(c) for c in r.copies],
    }


def tree_to_dict(tree: CopyTree, *, evidence: bool = False) -> dict[str, Any]:
    """A provenance tree: the ``article``, the ``relation`` to its parent, its ``copies``;
    at a source the store lacks, ``article`` is null and ``common_source`` names it."""
    return {
        "article": tree.article_id,
        "common_source": tree.common_source,
        "relation": relation_to_dict(tree.relation, evidence=evidence) if tree.relation else None,
        "copies": [tree_to_dict(c, evidence=evidence) for c in tree.children],
    }


def churn_to_dict(c: Churn) -> dict[str, Any]:
    """How much of a copy is its source's text, quotes counted apart."""
    return {
        "copy_words": c.copy_words,
        "taken": round(c.taken, 4),
        "taken_in_quotes": round(c.taken_in_quotes, 4),
        "taken_unquoted": round(c.taken_unquoted, 4),
        "source_used": round(c.source_used, 4),
    }


def trace_to_dict(t: Trace) -> dict[str, Any]:
    """An article's source chain (with full evidence), its copies and same-story reports."""
    return {
        "article": t.article_id,
        "original": t.original,
        "common_source": t.common_source,
        "siblings": [relation_to_dict(r, evidence=False) for r in t.siblings],
        "chain": [relation_to_dict(r) for r in t.chain],
        "churn": churn_to_dict(t.churn) if t.churn is not None else None,
        "copies": tree_to_dict(t.copies)["copies"],
        "same_story": [relation_to_dict(r, evidence=False) for r in t.same_story],
    }


# --- spin -------------------------------------------------------------------------------


def spin_report_to_dict(report: SpinReport) -> dict[str, Any]:
    """A spin verdict with its flagged spans, per-sentence probabilities and the
    restored text (null when the text could not be judged); ``applied`` says whether a
    span is put back in the restored text (confident enough) or only possible."""
    applied = set(report.applied())
    return {
        "article_id": report.article_id,
        "verdict": report.verdict,
        "probability": report.probability,
        "reason": report.reason,
        "spans": [
            {
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "suggestion": s.suggestion,
                "alternatives": list(s.alternatives),
                "confidence": round(s.confidence, 4),
                "applied": s in applied,
            }
            for s in report.spans
        ],
        "sentences": [
            {
                "start": s.start,
                "end": s.end,
                "probability": round(s.probability, 4),
                "spans": s.n_spans,
            }
            for s in report.sentences
        ],
        "restored": report.restored() if report.judged else None,
    }


# --- stories ----------------------------------------------------------------------------


def story_to_dict(story: Story) -> dict[str, Any]:
    """A story: title, time span, outlets, size and its most distinctive terms."""
    return {
        "id": story.id,
        "title": story.title,
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
        "outlets": list(story.outlets),
        "n_articles": story.n_articles,
        "key_terms": list(story.key_terms),
    }


def story_detail_to_dict(detail: StoryDetail) -> dict[str, Any]:
    """A story with its members (why each joined, its relations) and merges."""
    return {
        "story": story_to_dict(detail.story),
        "members": [
            {
                "article_id": m.article_id,
                "title": m.title,
                "outlet": m.outlet,
                "published": _iso(m.published),
                "score": m.score,
                "reason": m.reason,
                "relations": [{"kind": k, "role": r, "article_id": a} for k, r, a in m.relations],
            }
            for m in detail.members
        ],
        "merges": [
            {
                "absorbed": m.absorbed,
                "article_id": m.article_id,
                "score": m.score,
                "reason": m.reason,
                "merged_at": m.merged_at.isoformat(),
            }
            for m in detail.merges
        ],
        "independent_sources": detail.independent_sources,
    }


# --- claims -----------------------------------------------------------------------------


def claim_to_dict(c: Claim) -> dict[str, Any]:
    """One claim: where it was read, its words and sentence, and its normalised value."""
    return {
        "article_id": c.article_id,
        "kind": c.kind,
        "start": c.start,
        "end": c.end,
        "words": c.words,
        "sentence": c.sentence,
        "sentence_start": c.sentence_start,
        "sentence_end": c.sentence_end,
        "value": c.value,
        "text_value": c.text_value,
        "unit": c.unit,
        "counts": c.counts,
        "qualifier": c.qualifier,
        "who": c.who,
        "verb": c.verb,
        "verb_class": c.verb_class,
        "direct": c.direct,
        "negated": c.negated,
    }


def _group_to_dict(g: ClaimGroup) -> dict[str, Any]:
    return {
        "label": g.label,
        "kind": g.kind,
        "topic": g.topic,
        "reason": g.reason,
        "minor": g.minor,
        "voices": list(g.voices),
        "echoes": list(g.echoes),
        "claims": [claim_to_dict(c) for c in g.claims],
    }


def comparison_to_dict(cmp: Comparison) -> dict[str, Any]:
    """A comparison: its sources (copies folded in), counts by label, and every group."""
    return {
        "story_id": cmp.story_id,
        "sources": [
            {
                "article_id": s.article_id,
                "outlet": s.outlet,
                "title": s.title,
                "published": _iso(s.published),
                "copies": list(s.copies),
            }
            for s in cmp.sources
        ],
        "counts": {label: len(cmp.by_label(label)) for label in COMPARISON_LABELS},
        "groups": [_group_to_dict(g) for g in cmp.groups],
    }
