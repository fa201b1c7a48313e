"""The data that flows between stages: frozen dataclasses, no behaviour beyond views.

Each stage takes and returns these, so it can be run, tested and benchmarked alone and
the Spark job can call the same functions per partition. The store persists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

from unspin.text import normalize_paragraphs, paragraphs_id

__all__ = [
    "Appearance",
    "Article",
    "BoilerplateLine",
    "Origin",
    "Republication",
    "outlet_of",
    "utcnow",
    # provenance (issue 3)
    "COPY_KINDS",
    "Churn",
    "CopyTree",
    "NOT_STORED",
    "Passage",
    "Relation",
    "SentenceMatch",
    "Substitution",
    "Trace",
    # spin (issue 8)
    "RESTORE_CONFIDENCE",
    "SentenceSpin",
    "SpinReport",
    "SpinSpan",
    # claims (issue 5)
    "Claim",
    "ClaimGroup",
    "Comparison",
    "ComparedSource",
    # stories (issue 4)
    "Story",
    "StoryDetail",
    "StoryMember",
    "StoryMerge",
]


def outlet_of(site: str | None, url: str | None) -> str | None:
    """An outlet's name: ``site`` when known, else the URL's host without ``www.``."""
    if site:
        return site
    if url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC), to the second."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an article came from.

    Attributes:
        kind: one of ``file``, ``url``, ``feed``, ``warc``, ``jsonl``, ``stdin``, ``text``.
        location: the path, URL, feed URL or path, or ``-`` for stdin.
        record: the feed entry id, WARC-Record-ID or JSONL line number, where there is one.
    """

    kind: str
    location: str
    record: str | None = None

    def __str__(self) -> str:
        return f"{self.location}#{self.record}" if self.record else self.location


@dataclass(frozen=True, slots=True)
class BoilerplateLine:
    """A line removed from an article's text, and why (e.g. ``share``, ``credit``)."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Appearance:
    """One place an article's text was seen: a URL/outlet and its publication time.

    The same words published at several URLs are one :class:`Article` (one id) with
    several appearances: the earliest is the source, the others verbatim copies.
    """

    url: str | None
    site: str | None
    published: datetime | None
    origin: str | None


@dataclass(frozen=True, slots=True)
class Republication:
    """A text published word for word at more than one address: where it appeared first
    (its source; the earliest publication date, else the first seen) and the addresses
    that ran it since (verbatim copies). One stored article, so no copy relation links
    them: the places are what tell them apart."""

    article_id: str
    original: Appearance
    copies: tuple[Appearance, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned, with its metadata.

    ``id`` is :func:`unspin.text.article_id` of ``text``: the same words give the same id
    wherever they were found. Build one with :meth:`Article.create`, which fills the id
    and paragraphs.
    """

    id: str
    text: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    ingested_at: datetime = field(default_factory=utcnow)
    origin: Origin | None = None
    boilerplate: tuple[BoilerplateLine, ...] = ()

    @classmethod
    def create(cls, text: str, **metadata: Any) -> Article:
        """Build an article from cleaned text; paragraphs are split on blank lines.

        Raises:
            ValueError: ``published`` is a naive datetime (it must carry a time zone).
        """
        paragraphs = tuple(normalize_paragraphs(text))
        clean = "\n\n".join(paragraphs)
        published = metadata.get("published")
        if published is not None and published.tzinfo is None:
            raise ValueError("Article.published must be timezone-aware")
        return cls(id=paragraphs_id(paragraphs), text=clean, paragraphs=paragraphs, **metadata)

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    @property
    def outlet(self) -> str | None:
        """The outlet name: the site, else the URL's host."""
        return outlet_of(self.site, self.url)

    def merged(self, other: Article) -> Article:
        """This article with metadata missing here filled in from ``other`` (same id)."""
        if other.id != self.id:
            raise ValueError("can only merge metadata of the same article")
        updates: dict[str, Any] = {}
        for name in ("title", "url", "site", "author", "published", "language", "origin"):
            if getattr(self, name) is None and getattr(other, name) is not None:
                updates[name] = getattr(other, name)
        if not self.boilerplate and other.boilerplate:
            updates["boilerplate"] = other.boilerplate
        return replace(self, **updates) if updates else self


# --- provenance (issue 3) ---


@dataclass(frozen=True, slots=True)
class Substitution:
    """One place where a copy swapped words of its source for others.

    Offsets are character spans ``[start, end)`` in each article's ``text``.

    Attributes:
        source: the source's words (e.g. ``storm``).
        copy: the copy's words that replace them (e.g. ``tempest``).
    """

    source: str
    copy: str
    source_start: int
    source_end: int
    copy_start: int
    copy_end: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the copy aligned to a stretch of its source, word by word.

    Attributes:
        source_start, source_end, copy_start, copy_end: character spans in each text.
        matched: words the two stretches share verbatim.
        substituted: source words swapped for other words inside the stretch.
    """

    source_start: int
    source_end: int
    copy_start: int
    copy_end: int
    matched: int
    substituted: int


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """A sentence of a rewritten copy matched by meaning to the source sentence it rewords.

    Attributes:
        source_start, source_end, copy_start, copy_end: character spans in each text.
        similarity: 0..1, how closely the two sentences say the same thing.
    """

    source_start: int
    source_end: int
    copy_start: int
    copy_end: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Relation:
    """How two articles relate, with the evidence, oriented source → copy.

    Attributes:
        source_id: the article judged to be the source (or the first of the pair for
            ``same_story`` and ``unrelated``).
        copy_id: the article that copies it.
        kind: ``duplicate``, ``edited_copy``, ``spun_copy``, ``rewritten_copy``,
            ``same_story`` or ``unrelated``.
        confidence: 0..1, how far the evidence lies past the thresholds that decided it.
        reused: share of the copy's words that come from the source (verbatim or swapped).
        coverage: share of the source's words that the copy carries.
        substitution_rate: share of the aligned source content words swapped.
        direction: why ``source_id`` is the source: ``published`` (earlier date),
            ``containment`` (it holds the other's text), ``wording`` (more natural
            wording of the swapped words), ``facts`` (it holds facts the other lacks,
            for rewrites) or ``undecided`` (kept in ingest order).
        substitutions: each swap, source words → copy words, with offsets.
        passages: the aligned stretches.
        sentences: for a rewritten copy, each copy sentence matched by meaning to the
            source sentence it rewords.
        added_facts: for a rewritten copy, its names and numbers the source lacks.
        order_kept: for a rewritten copy, the share of consecutive matched sentences that
            come in the source's order.
        facts_carried: for a rewritten copy, the share of its names and numbers found in
            the source.
        common_source: set when neither article is the other's source but both copy
            one that is not stored (a wire story, a press release): the agency their
            credit lines name, or :data:`NOT_STORED`.
    """

    source_id: str
    copy_id: str
    kind: str
    confidence: float
    reused: float
    coverage: float
    substitution_rate: float
    direction: str
    substitutions: tuple[Substitution, ...] = ()
    passages: tuple[Passage, ...] = ()
    sentences: tuple[SentenceMatch, ...] = ()
    added_facts: tuple[str, ...] = ()
    order_kept: float | None = None
    facts_carried: float | None = None
    common_source: str | None = None

    @property
    def is_copy(self) -> bool:
        return self.kind in COPY_KINDS


# ``Relation.common_source`` when no credit line names the source two siblings share.
NOT_STORED = "not stored"

# The relation kinds that mean one article copies another.
COPY_KINDS: frozenset[str] = frozenset({"duplicate", "edited_copy", "spun_copy", "rewritten_copy"})


@dataclass(frozen=True, slots=True)
class Churn:
    """How much of a copy is its source's text (press release, wire story), cut and
    pasted, with the quotes it carries counted apart.

    Attributes:
        copy_words: words in the copy.
        taken: share of the copy's words that are its source's text.
        taken_in_quotes: share of the copy's words that are its source's text inside
            quotation marks (a statement two reports may carry verbatim without copying).
        source_used: share of the source's words the copy carries.
    """

    copy_words: int
    taken: float
    taken_in_quotes: float
    source_used: float

    @property
    def taken_unquoted(self) -> float:
        """Share of the copy's words taken from the source outside quotation marks."""
        return max(0.0, self.taken - self.taken_in_quotes)


@dataclass(frozen=True, slots=True)
class CopyTree:
    """An article and the articles copied from it, recursively (a provenance tree).

    A tree's root may instead stand for a **common source that is not stored** (a wire
    story or press release that several stored articles run, none copying another): its
    ``article_id`` is None, ``common_source`` names it (the agency the credit lines
    name, or ``"not stored"``), and its children are the articles that run it.

    Attributes:
        article_id: this node's article (None for a common source not stored).
        relation: how this article copies its parent (None at the root: the original).
            Under a common source: the evidence tying the article to the sibling it
            shares the most with.
        children: the copies made from this article, each a subtree.
        common_source: set only on a node standing for a source the store lacks.
    """

    article_id: str | None
    relation: Relation | None = None
    children: tuple[CopyTree, ...] = ()
    common_source: str | None = None

    def size(self) -> int:
        """Articles in this tree, the root included (a common source is not one)."""
        return (self.article_id is not None) + sum(c.size() for c in self.children)

    def copies_count(self) -> int:
        """Articles in this tree that copy something (all of them under a common source)."""
        return self.size() - (self.article_id is not None)


@dataclass(frozen=True, slots=True)
class Trace:
    """Where an article comes from and where it went.

    Attributes:
        article_id: the traced article.
        chain: the relations from the original down to this article (empty when the
            article is itself an original).
        copies: this article with every copy (and copy of a copy) made from it.
        same_story: independent reports of the same story found while checking copies.
        common_source: when the chain starts at an article that, with its siblings,
            runs a source the store lacks (a wire story): that source's name.
        siblings: then, the relations between the chain's first article and the other
            articles that run the same source.
        churn: how much of the article is its direct source's text (None when it has
            no stored source).
    """

    article_id: str
    chain: tuple[Relation, ...]
    copies: CopyTree
    same_story: tuple[Relation, ...] = ()
    common_source: str | None = None
    siblings: tuple[Relation, ...] = ()
    churn: Churn | None = None

    @property
    def original(self) -> str:
        """The first stored article of the chain (the article itself when it copies none)."""
        return self.chain[0].source_id if self.chain else self.article_id


# --- spin (issue 8) ---


# The restored text applies a flagged span only when its calibrated confidence (the
# probability that the span was swapped, ``span`` model of calibration.json; reliability
# table in bench/spin_accuracy.py) is at least this: issue 16's rule that restoration
# must not rewrite genuine prose; below it a span is shown as a "possible" swap.
RESTORE_CONFIDENCE = 0.8


@dataclass(frozen=True, slots=True)
class SpinSpan:
    """A stretch of text that looks like spinner output, with its likely original wording.

    Attributes:
        start: character offset where the span starts in the judged text.
        end: character offset just past the span.
        text: the span as written (``text == judged[start:end]``).
        suggestion: the most likely original wording (case follows the span).
        alternatives: the next most likely originals, best first.
        confidence: probability-like score in [0, 1] that the span was swapped.
    """

    start: int
    end: int
    text: str
    suggestion: str
    alternatives: tuple[str, ...] = ()
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class SentenceSpin:
    """One sentence's spin probability and how many spans were flagged in it."""

    start: int
    end: int
    probability: float
    n_spans: int


@dataclass(frozen=True, slots=True)
class SpinReport:
    """The verdict on one text: is it spinner output, where, and what it said before.

    Attributes:
        probability: calibrated probability that the text is spinner output, or None
            when the text cannot be judged (see ``reason``).
        verdict: ``spun``, ``genuine`` or ``cannot judge``.
        reason: one line saying why (the evidence, or why it cannot be judged).
        spans: flagged spans, in text order.
        sentences: per-sentence probabilities.
        text: the judged text (offsets refer to it).
        article_id: the stored article judged, where there was one.
        threshold: the alarm threshold the verdict compared ``probability`` with.
    """

    probability: float | None
    verdict: str
    reason: str
    spans: tuple[SpinSpan, ...] = ()
    sentences: tuple[SentenceSpin, ...] = ()
    text: str = ""
    article_id: str | None = None
    threshold: float | None = None

    @property
    def judged(self) -> bool:
        return self.probability is not None

    def applied(self, min_confidence: float = RESTORE_CONFIDENCE) -> tuple[SpinSpan, ...]:
        """The spans the restored text puts back: confidence >= ``min_confidence``.

        The others are *possible* swaps: shown with their likely original, never applied.
        """
        return tuple(
            s for s in self.spans if s.confidence >= min_confidence and s.suggestion != s.text
        )

    def restored(self, min_confidence: float = RESTORE_CONFIDENCE) -> str:
        """The text with the spans of :meth:`applied` replaced by their suggestions.

        Args:
            min_confidence: apply only spans at least this confident (default
                :data:`RESTORE_CONFIDENCE`; 0 applies every flagged span).
        """
        out: list[str] = []
        pos = 0
        for span in self.applied(min_confidence):
            out.append(self.text[pos : span.start])
            out.append(span.suggestion)
            pos = span.end
        out.append(self.text[pos:])
        return "".join(out)


# --- claims (issue 5) ---


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement read from an article: a number, a duration, a date, a
    quote or an actor's act, with where it was read.

    Attributes:
        article_id: the article it was read from.
        kind: ``quantity``, ``duration``, ``date``, ``quote`` or ``actor``.
        start, end: character offsets of the source words in the article text.
        words: the source words (``text[start:end]``).
        sentence_start, sentence_end: offsets of the sentence holding it.
        sentence: that sentence.
        value: the normalised number: the count or amount (quantity), minutes (duration).
        text_value: the normalised text: ISO date or symbol (date), the quoted words
            (quote), the object of the act (actor).
        unit: ``USD``, ``percent``, ``km``, ``year`` … (quantity); the unit as written
            (duration); ``day``/``month``/``year``/``week`` granularity (date).
        counts: what a quantity counts (``detainee``, ``money``, ``age``), what a
            duration measures (``pause``), the part of day of a date (``morning``).
        qualifier: ``exact``, ``about``, ``more``, ``at_least``, ``less``, ``at_most``,
            ``nearly``.
        who: the speaker of a quote or the actor of an act, resolved to a full name
            where the article gives one; the person an age belongs to.
        verb: the reporting verb or the verb of the act as written.
        verb_class: ``say`` (quotes), ``agree``, ``refuse``, ``propose``, ``accuse``.
        direct: ``True`` for words in quotation marks.
        negated: the act is denied ("did not agree").
        context: content words of the sentence, lower-cased: what the claim is about,
            used to match claims across sources.
        role: ``dateline`` for the date an article gives for itself in its opening lines
            (not a claim about the story; left out of comparisons).
    """

    article_id: str
    kind: str
    start: int
    end: int
    words: str
    sentence_start: int
    sentence_end: int
    sentence: str
    value: float | None = None
    text_value: str | None = None
    unit: str | None = None
    counts: str | None = None
    qualifier: str = "exact"
    who: str | None = None
    verb: str | None = None
    verb_class: str | None = None
    direct: bool = False
    negated: bool = False
    context: tuple[str, ...] = ()
    role: str | None = None

    def __reduce__(self) -> tuple[type[Claim], tuple[Any, ...]]:
        # Pickled as the constructor's arguments: the claims of every article cross from
        # the worker processes to the writer (unspin.workers), and the default for a
        # slotted dataclass reads its fields() for each claim both ways (half the time:
        # 0.27 -> 0.13 s for the 12,071 claims of the 772 ECB+ dev articles).
        return (Claim, _claim_values(self))


_claim_values = attrgetter(*(f.name for f in fields(Claim)))


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims from different sources about the same thing, and how they relate.

    Attributes:
        label: ``agree`` (same value), ``conflict`` (values that cannot both be true),
            ``differ`` (compatible, different precision or wording) or ``unique`` (one
            voice only).
        kind: the claims' kind.
        topic: what the group is about, as a reader reads it: the clause of a source's
            sentence that holds the claim (``The talks lasted more than three hours``),
            or the speaker and the words of a quote; never an internal key.
        claims: one claim per voice (the earliest source of each voice).
        voices: the article id of each independent voice, in ``claims`` order.
        reason: one line explaining a conflict or difference; ``None`` for agree/unique.
        echoes: ids of copies that repeat a claim of their source (not counted as voices).
        minor: a difference in form only (the same day named differently, "more than
            three hours" / "three-hour", one statement in other words); ``False`` for a
            difference in substance and for every other label.
    """

    label: str
    kind: str
    topic: str
    claims: tuple[Claim, ...]
    voices: tuple[str, ...]
    reason: str | None = None
    echoes: tuple[str, ...] = ()
    minor: bool = False


@dataclass(frozen=True, slots=True)
class ComparedSource:
    """One independent voice in a comparison: an article and the copies folded into it."""

    article_id: str
    outlet: str | None
    title: str | None
    published: datetime | None
    copies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the sources of one story claim: shared, conflicting, differing and unique.

    Attributes:
        story_id: the story compared, or ``None`` for an explicit set of articles.
        sources: the independent voices (copies folded into their sources).
        groups: every claim group ranked by what matters to a reader: conflicts, then
            agreements (most independent voices first), differences in substance, minor
            differences, and claims only one voice makes.
    """

    story_id: str | None
    sources: tuple[ComparedSource, ...]
    groups: tuple[ClaimGroup, ...]

    def by_label(self, label: str) -> list[ClaimGroup]:
        """The groups with ``label`` (``agree``, ``conflict``, ``differ``, ``unique``)."""
        return [g for g in self.groups if g.label == label]


# --- stories (issue 4) ---


@dataclass(frozen=True, slots=True)
class Story:
    """Articles reporting one real-world event, grouped as they arrived.

    Attributes:
        title: the most central headline (the titled member closest to the centroid).
        first_published, last_published: the time span of its dated members.
        outlets: the outlets that reported it, most articles first.
        key_terms: its most distinctive names and numbers (numbers start with ``#``).
    """

    id: str
    title: str | None
    first_published: datetime | None
    last_published: datetime | None
    outlets: tuple[str, ...]
    n_articles: int
    key_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, why it joined, and its relations to other members.

    ``relations`` holds ``(kind, role, other_article_id)``: role ``copy`` means this
    article copies the other, ``source`` that the other copies it.
    """

    article_id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    score: float
    reason: str
    relations: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Story ``absorbed`` was merged into this one because ``article_id`` bridged them."""

    absorbed: str
    article_id: str | None
    score: float
    reason: str
    merged_at: datetime


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """A story with its members on a timeline (oldest first) and its merge history."""

    story: Story
    members: tuple[StoryMember, ...]
    merges: tuple[StoryMerge, ...] = ()

    @property
    def independent_sources(self) -> int:
        """Members left when copies fold into what they copy: copies of one wire story,
        press release or article (in any chain) count once."""
        parent = {m.article_id: m.article_id for m in self.members}

        def find(a: str) -> str:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for m in self.members:
            for kind, _role, other in m.relations:
                if kind in COPY_KINDS and other in parent:
                    parent[find(m.article_id)] = find(other)
        return len({find(a) for a in parent})


@dataclass(frozen=True, slots=True)
class StageReport:
    """What one stage's ``update(store, article_ids)`` did: the stage and its counts.

    Every stage package (provenance, stories, spin learning, claims) has one entry point
    of that shape; the pipeline collects the reports, and ``unspin add`` prints their
    counts.
    """

    stage: str
    counts: dict[str, Any] = field(default_factory=dict)
