"""All the claims of one article: quantities, durations, dates, quotes and actors.

Runs the finders of this package over the text and turns what they find into
:class:`unspin.model.Claim` records with offsets, the sentence, and the content words of
that sentence (what the claim is about — used to match claims across sources).

Dates resolve against the article's publication time in its own time zone; when the
metadata has none, against a dateline in the opening lines (``May 3, 2013``), else they
stay symbolic (``weekday:thursday``).

Example:
    >>> claims = extract_claims("The talks lasted more than three hours on Thursday.")
    >>> [(c.kind, c.words, c.value or c.text_value) for c in claims]
    [('duration', 'more than three hours', 180.0), ('date', 'Thursday', 'weekday:thursday')]
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from unspin.claims.actors import find_actions, names_in, speaker_name
from unspin.claims.dates import find_dateline, find_dates
from unspin.claims.durations import find_durations, from_quantity
from unspin.claims.numbers import find_quantities, lemma
from unspin.claims.quotes import find_quotes
from unspin.claims.zones import local_anchor
from unspin.model import Article, Claim
from unspin.text import FUNCTION_WORDS, sentence_spans

__all__ = ["EXTRACTOR_VERSION", "KINDS", "claims_of", "extract_claims"]

# Bump when extraction changes: stored claims of an older version are re-extracted.
EXTRACTOR_VERSION = 3
KINDS = ("quantity", "duration", "date", "quote", "actor")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_CONTEXT_STOP = FUNCTION_WORDS | frozenset(
    [
        "said",
        "says",
        "told",
        "according",
        "added",
        "more",
        "than",
        "about",
        "nearly",
        "almost",
        "around",
        "least",
    ]
)


def claims_of(article: Article) -> list[Claim]:
    """The claims of a stored article (dates resolved against its ``published`` time in
    the outlet's own zone, see :func:`unspin.claims.zones.local_anchor`)."""
    published = local_anchor(article.published, article.url, article.site)
    return extract_claims(article.text, article_id=article.id, published=published)


def extract_claims(
    text: str, *, article_id: str = "", published: datetime | date | None = None
) -> list[Claim]:
    """Every claim in ``text``, in reading order.

    Args:
        article_id: stored on each claim.
        published: the publication time; a tz-aware datetime is read in its own time
            zone. ``None`` falls back to a dateline in the text.

    Returns:
        Claims sorted by start offset; at most one claim per span and kind.
    """
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    anchor = published if published is not None else find_dateline(text)

    def sentence_of(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(sentences) - 1
        if hi < 0:
            return 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return sentences[lo]

    claims: list[Claim] = []
    # Per sentence: (lower-cased word, context form) of its content words, read once for
    # all the claims in it.
    sentence_words: dict[int, list[tuple[str, str]]] = {}

    def content_words(ss: int, sentence: str) -> list[tuple[str, str]]:
        found = sentence_words.get(ss)
        if found is None:
            found = sentence_words[ss] = [
                (low, lemma(x) if x.islower() else low)
                for x in _WORD.findall(sentence)
                if (low := x.lower()) not in _CONTEXT_STOP and len(x) > 2
            ]
        return found

    def add(kind: str, start: int, end: int, **fields: Any) -> None:
        ss, se = sentence_of(start)
        sentence = text[ss:se]
        words = text[start:end]
        claim_words = {w.lower() for w in _WORD.findall(words)}
        context = tuple(
            dict.fromkeys(
                form for low, form in content_words(ss, sentence) if low not in claim_words
            )
        )
        claims.append(
            Claim(article_id, kind, start, end, words, ss, se, sentence, context=context, **fields)
        )

    dates = find_dates(text, anchor)
    date_spans = [(d.start, d.end) for d in dates]
    quantities = find_quantities(text)
    people = names_in(text)
    for q in quantities:
        if any(a < q.end and q.start < b for a, b in date_spans) and q.unit not in (
            "day",
            "week",
            "month",
            "year",
            "hour",
            "minute",
        ):
            continue
        if from_quantity(q) is not None:
            continue  # a duration (added below)
        if q.unit is None and q.counts is None:
            continue  # a bare number: nothing says what it counts
        who = None
        if q.counts == "age":
            before = [n for at, n in people if q.start - 60 <= at < q.start]
            after = re.match(r"\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)", text[q.end : q.end + 40])
            who = before[-1] if before else (after.group(1) if after else None)
        add(
            "quantity",
            q.start,
            q.end,
            value=q.value,
            unit=q.unit,
            counts=q.counts,
            qualifier=q.qualifier,
            who=who,
        )
    for d in find_durations(text, quantities):
        add(
            "duration",
            d.start,
            d.end,
            value=d.minutes,
            unit=d.unit,
            counts=d.of,
            qualifier=d.qualifier,
            text_value=f"{d.amount:g} {d.unit}",
        )
    for dm in dates:
        role = "dateline" if _is_dateline(text, dm.start) else None
        add(
            "date",
            dm.start,
            dm.end,
            text_value=dm.value,
            unit=dm.granularity,
            counts=dm.part,
            verb=dm.weekday,
            role=role,
        )
    for qt in find_quotes(text, sentences, people):
        add(
            "quote",
            qt.start,
            qt.end,
            text_value=qt.content,
            who=qt.speaker,
            verb=qt.verb,
            verb_class="say",
            direct=qt.direct,
        )
    for act in (a for ss, se in sentences for a in find_actions(text, ss, se)):
        who = speaker_name(act.actor) if act.actor else None
        if who and who.lower() in ("he", "she"):
            before = [n for at, n in people if at < act.start]
            who = before[-1] if before else who
        elif who and len(who.split()) == 1 and who[0].isupper():
            full = [n for at, n in people if at < act.start and n.split()[-1] == who]
            who = full[-1] if full else who
        add(
            "actor",
            act.actor_start,
            act.end,
            text_value=act.obj,
            who=who,
            verb=act.verb,
            verb_class=act.verb_class,
            negated=act.negated,
        )
    claims.sort(key=lambda c: (c.start, KINDS.index(c.kind)))
    return claims


# A date within this many characters of the start, on a short line of its own or right
# after an upper-case place name ("BRENNFORD, March 13 (Wire) -"), is the dateline.
DATELINE_CHARS = 400
DATELINE_LINE_WORDS = 10
_DATELINE_PLACE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+,\s*|(?:PUBLISHED|UPDATED|Published|Updated|Posted|Last updated)\b[:\s]*)$"
)


def _is_dateline(text: str, pos: int) -> bool:
    if pos >= DATELINE_CHARS:
        return False
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    return len(line.split()) <= DATELINE_LINE_WORDS or bool(
        _DATELINE_PLACE.match(text[line_start:pos])
    )
