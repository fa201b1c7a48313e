"""Incremental story clustering: each new article joins the best story or starts one.

A *story* is the set of articles reporting one real-world event. Articles arrive as a
stream; each is compared with the live stories whose time span lies within
:data:`WINDOW_DAYS` of it (articles or stories without dates are compared with every
story) on two signals:

* **embedding**: cosine between the article's static embedding and the story centroid
  (the mean of its members' vectors), which says "same kind of news";
* **names and numbers**: TF-IDF cosine between the article's capitalised names and
  numbers and the story's, with document frequencies counted over the stream so far on
  top of a shipped background table (:mod:`unspin.stories.background`, so the weights
  hold from the first article), which separates "an earthquake in Chile" from "an
  earthquake in Indonesia".

The score is ``(1 - ENTITY_WEIGHT) * embedding + ENTITY_WEIGHT * names``; the article
joins the best story when the score reaches :data:`JOIN_THRESHOLD`, else starts a new
one. A copy found by provenance joins its source's story whatever the score. When an
article scores at least :data:`MERGE_THRESHOLD` with two stories, it bridges them: the
younger story is merged into the older and the reason (article, scores, shared terms) is
recorded.

The algorithm (:class:`Clusterer`) is pure and in-memory, so the benchmark runs it
directly; :mod:`unspin.stories.assign` loads its state from the store for a batch of new
articles and writes the changes back.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.stories.background import Background
from unspin.stories.background import background as load_background
from unspin.text import FUNCTION_WORDS

__all__ = [
    "ArticleSignals",
    "Clusterer",
    "Decision",
    "MergeDecision",
    "SplitDecision",
    "StoryConfig",
    "StoryState",
    "LATEST_YEAR",
    "extract_terms",
    "shown_term",
    "split_due",
]

# A story accepts articles published up to this many days after its latest (or before
# its earliest) member: "the same kind of event next month" is a different story. Not
# tunable on ECB+ (no dates); a week covers the follow-up coverage of most news events.
WINDOW_DAYS = 7.0
# Score needed to join a story. Set by bench/stories_accuracy.py: 2-fold cross-validation
# over ECB+ topics (grid 0.30-0.50 x weights 0.5/0.7/0.85) picked (0.40, 0.70) on odd
# topics and (0.35, 0.85) on even ones (held-out BCubed F1 0.88 / 0.84). 0.40 is shipped:
# a wrong join (two events in one story) misleads more than a split story. With the
# background document frequencies (issue 18) the same sweep picks (0.45, 0.70) and (0.30,
# 0.85) (held-out 0.87 / 0.86); 0.40 sits between them and scores 0.872 on all topics,
# as before.
JOIN_THRESHOLD = 0.40
# Weight of the names-and-numbers signal against the embedding (same sweep): names
# separate two events of the same kind; the embedding alone cannot (ECB+ BCubed F1 0.40
# at best without names).
ENTITY_WEIGHT = 0.7
# An article bridging two stories must score this with both for them to merge: high,
# because a wrong merge is worse than two stories of one event.
MERGE_THRESHOLD = 0.55
# A story is checked for a split (two events that streamed into one story) when a batch
# changed it and it has this many articles: two groups of at least two.
SPLIT_MIN_ARTICLES = 4
# Stories larger than this are not checked (the check compares every pair of members).
SPLIT_MAX_ARTICLES = 300
# A story is checked again only once it has grown by this factor since it was last due
# (4, 6, 9, 14, 21, ... members): the check reads every member back from the store, and
# checking at each new member made assignment ~25 % slower (bench/stories_speed.py).
SPLIT_GROWTH = 1.5


def split_due(before: int, after: int) -> bool:
    """Whether a story that grew from ``before`` to ``after`` articles is checked for a
    split: it passed one of the sizes 4, 6, 9, 14, 21, ... (x :data:`SPLIT_GROWTH`)."""
    size = float(SPLIT_MIN_ARTICLES)
    while size <= min(after, SPLIT_MAX_ARTICLES):
        if before < math.ceil(size - 1e-9) <= after:
            return True
        size *= SPLIT_GROWTH
    return False


# A story splits when its two most distinct groups of members score below this with each
# other (the join score, group against group). Set by bench/stories_accuracy.py with the
# join threshold and entity weight (2-fold cross-validation over ECB+ topics, grid off /
# 0.45 / 0.50 / 0.55): the odd topics pick 0.55, the even ones 0.45 (held-out BCubed F1
# 0.900 / 0.883, from 0.874 / 0.861 without splits); 0.50 sits between them.
SPLIT_THRESHOLD = 0.50
# At the end of a batch, a story the batch changed that is too small for the split check
# (under SPLIT_MIN_ARTICLES) is scored whole against the others and merged into one it
# matches at the join threshold (Clusterer.absorb_small): the first reports of an event
# that arrived before the rest, and stayed apart. Not tuned: on all ECB+ dev topics with
# the other constants shipped, BCubed F1 0.895 with none absorbed, 0.906 at 3, 0.910 at
# 6, 0.883 at 10 (bench/stories_accuracy.py, docs/stories.md); 0 turns it off.
SMALL_STORY = SPLIT_MIN_ARTICLES - 1
# Stories scored in full per article: the best by embedding within the time window.
CANDIDATES = 10
# At most this many live stories, the most recent, are a batch's candidates: what bounds
# the work of undated articles, which every story's time span admits (the ECB+ dev add
# into 100,000 undated stored articles, 49,000 stories: 5.9 of its 21 CPU s went to
# reading and scoring them all). A dated window holds fewer (1,377 at 100,000 dated
# stored, bench/stories_speed.py).
MAX_LIVE_STORIES = 10_000
# A batch's cosines with the stories are computed in one product (Clusterer.prepare)
# when this many stories are loaded; below it the product per article costs little (a
# dated batch at 100,000 stored loads about 1,100: bench/stories_speed.py read 722
# articles/s without the batch product and 670 with it, on a machine where the record
# reads about 1,500).
PREPARE_MIN_STORIES = 2_000
# Terms kept per story (by weight): bounds memory and the cost of a comparison.
MAX_STORY_TERMS = 200
# Tokens of a text that make its embedding (title first, then the body).
EMBED_TOKENS = 512


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """The clustering parameters (defaults are the module constants)."""

    window_days: float = WINDOW_DAYS
    join_threshold: float = JOIN_THRESHOLD
    entity_weight: float = ENTITY_WEIGHT
    merge_threshold: float = MERGE_THRESHOLD
    candidates: int = CANDIDATES
    live_stories: int = MAX_LIVE_STORIES
    # None: never split stories (the clustering as it was before the split check).
    split_threshold: float | None = SPLIT_THRESHOLD
    small_story: int = SMALL_STORY


@dataclass(frozen=True, slots=True)
class ArticleSignals:
    """What clustering needs of one article: its vector, names/numbers, time and title."""

    id: str
    vector: np.ndarray
    terms: Mapping[str, int]
    ts: float | None = None
    title: str | None = None


@dataclass(slots=True)
class StoryState:
    """A story's running state, updated in place as articles join (internal to a run).

    Its names and numbers (:attr:`terms`) are ``term_counts``, or, for a story loaded
    from the store, ``stored_terms`` (their JSON) until they are first read: a batch
    loads up to 10,000 live stories and scores a few hundred of them by their terms
    (parsing them all was 0.2 s of the writer's CPU in adding the 772 ECB+ dev articles
    into 100,000 stored, bench/add_speed.py).
    """

    id: str
    seq: int
    vector_sum: np.ndarray
    n_articles: int = 0
    term_counts: Counter[str] | None = None
    first_ts: float | None = None
    last_ts: float | None = None
    title: str | None = None
    title_article: str | None = None
    title_vector: np.ndarray | None = None
    merged_into: str | None = None
    # TF-IDF weights of ``terms`` and their norm, cached until the story changes (IDF
    # drift between two changes of a story is ignored: it is tiny once the store is big).
    term_cache: tuple[dict[str, float], float] | None = None
    stored_terms: str | None = None

    @property
    def terms(self) -> Counter[str]:
        """The story's names and numbers with their counts (updated in place)."""
        counts = self.term_counts
        if counts is None:
            stored = json.loads(self.stored_terms) if self.stored_terms else {}
            counts = self.term_counts = Counter(stored)
            self.stored_terms = None
        return counts

    @terms.setter
    def terms(self, counts: Counter[str]) -> None:
        self.term_counts = counts
        self.stored_terms = None

    def terms_json(self) -> str:
        """:attr:`terms` as the store holds them: the stored JSON itself when they were
        never read."""
        if self.term_counts is None and self.stored_terms is not None:
            return self.stored_terms
        return json.dumps(dict(self.terms), separators=(",", ":"), ensure_ascii=False)

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm > 0 else self.vector_sum


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """Story ``absorbed`` merged into ``kept`` because ``article_id`` bridged them, or
    (``article_id`` None) because the two stories, seen whole, match
    (:meth:`Clusterer.absorb_small`)."""

    kept: str
    absorbed: str
    article_id: str | None
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class SplitDecision:
    """Story ``story`` held two events: the articles ``moved`` now form ``new_story``."""

    story: str
    new_story: str
    moved: tuple[str, ...]
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """Where one article went: ``action`` is ``join``, ``start`` or ``copy``."""

    article_id: str
    story_id: str
    action: str
    score: float
    reason: str
    merges: tuple[MergeDecision, ...] = ()


# Words (letters/digits with inner apostrophes, hyphens, dots, commas) and the
# punctuation that ends a sentence; one pass of this regex replaces a sentence splitter.
# Possessive (++, *+): giving back a letter or digit can never let the word go on, so
# these match what the backtracking form does, in half the time (most of extract_terms).
_TERM_TOKEN = re.compile(r"[^\W_]++(?:['.,\-][^\W_]++)*+|[.!?:\n]")


# The latest year a text names (1900-2099), as a term of its own: reports of one event
# name the year it happened as their latest more often than anything else, and two
# events of one kind years apart share their actors but not that (ECB+ pairs such events
# in every topic: the 76ers fire Maurice Cheeks in 2008 and hire him in 2005). Weighed by
# its rarity like any term, so in a store of one year's news it counts for little; it
# is left out of key terms and of the shared names a decision shows.
LATEST_YEAR = "@"
YEARS = (1900, 2099)


def shown_term(term: str) -> bool:
    """Whether a term is shown to people (key terms, shared names): names and numbers are,
    the latest-year term is not (it is a year already among the numbers)."""
    return not term.startswith(LATEST_YEAR)


def extract_terms(text: str, title: str | None = None) -> Counter[str]:
    """Names and numbers of a text: capitalised words not opening a sentence, and numbers.

    A cheap stand-in for named-entity recognition: ``"Tara Reid checked into Promises"``
    gives ``reid``, ``promises`` (``tara`` opens the sentence). Numbers are kept with
    their digits only (``1,000`` and ``1000`` agree) and prefixed ``#``. The latest year
    the text names is one more term, ``@`` and the year (:data:`LATEST_YEAR`).
    """
    terms: Counter[str] = Counter()
    latest = 0
    for part in (title or "", text):
        first = True
        for word in _TERM_TOKEN.findall(part):
            head = word[0]
            if head in ".!?:\n":
                first = True
                continue
            if head.isdigit():
                digits = word.replace(",", "").rstrip(".")
                if len(digits) > 1 or not first:
                    terms["#" + digits] += 1
                    year = word.rstrip(".")  # "2008", not "2,008 people"
                    if len(year) == 4 and year.isdigit() and YEARS[0] <= int(year) <= YEARS[1]:
                        latest = max(latest, int(year))
            elif head.isupper() and not first and word.lower() not in FUNCTION_WORDS:
                terms[word.lower()] += 1
            first = False
    if latest:
        terms[f"{LATEST_YEAR}{latest}"] += 1
    return terms


class _TermFrequencyWeights(dict[float, float]):
    """``1 + log(count)``, computed once per distinct count."""

    def __missing__(self, count: float) -> float:
        value = self[count] = 1.0 + math.log(count)
        return value


class _LogDocumentFrequency(dict[str, float]):
    """``log(df_background + df + 0.5)`` of each term, computed when first asked for;
    the owner drops a term's entry when it counts the term again."""

    def __init__(self, background: Mapping[str, int], df: Mapping[str, int]) -> None:
        super().__init__()
        self._background = background
        self._df = df

    def __missing__(self, term: str) -> float:
        value = self[term] = math.log(self._background.get(term, 0) + self._df.get(term, 0) + 0.5)
        return value


class Clusterer:
    """Assign a stream of articles to stories, one at a time.

    Args:
        config: the parameters.
        states: the live stories to start from (e.g. loaded from the store).
        df: document frequency of each term over the articles seen before.
        n_docs: how many articles those frequencies count.
        next_seq: the ``seq`` the next new story gets (story ids derive from it).
        background: document frequencies of news at large, added to ``df`` so term
            weights hold from the first article (default: the shipped table,
            :mod:`unspin.stories.background`; ``EMPTY`` for the store's counts alone).
    """

    def __init__(
        self,
        config: StoryConfig | None = None,
        states: Iterable[StoryState] = (),
        *,
        df: Mapping[str, int] | None = None,
        n_docs: int = 0,
        next_seq: int = 1,
        background: Background | None = None,
    ) -> None:
        self.config = config or StoryConfig()
        self.background = load_background() if background is None else background
        self.df: Counter[str] = Counter(df or {})
        self.n_docs = n_docs
        self._tf = _TermFrequencyWeights()
        self._log_df = _LogDocumentFrequency(self.background.df, self.df)
        self.next_seq = next_seq
        self.states: list[StoryState] = []
        self.by_id: dict[str, StoryState] = {}
        self._rows: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        # Each story's time window: from its first article's time less ``window_days`` to
        # its last one's plus that (kept per row, so a candidate search compares only).
        self._opens = np.zeros(0)
        self._closes = np.zeros(0)
        self._live = np.zeros(0, dtype=bool)
        self.changed: set[str] = set()
        # Cosines of a batch's articles with the stories as they stood (:meth:`prepare`):
        # one row per article; rows of stories changed since are computed again.
        self._batch_sims: np.ndarray | None = None
        self._batch_cols: dict[str, int] = {}
        self._batch_stories = 0
        self._moved: set[int] = set()
        for state in states:
            self.add_state(state)

    # --- index of story centroids -------------------------------------------------

    def add_state(self, state: StoryState) -> None:
        """Add a story to the index (loaded from the store, or new)."""
        n = len(self.states)
        if n == len(self._matrix):
            grow = max(16, 2 * n)
            dim = len(state.vector_sum)
            matrix = np.zeros((grow, dim), dtype=np.float32)
            matrix[:n] = self._matrix[:n] if n else 0
            self._matrix = matrix
            self._opens = np.resize(self._opens, grow)
            self._closes = np.resize(self._closes, grow)
            self._live = np.resize(self._live, grow)
        self.states.append(state)
        self.by_id[state.id] = state
        self._rows[state.id] = n
        self._refresh(n)

    def _refresh(self, row: int) -> None:
        state = self.states[row]
        if row < self._batch_stories:
            self._moved.add(row)
        self._matrix[row] = state.centroid
        window = self.config.window_days * 86400.0
        self._opens[row] = state.first_ts - window if state.first_ts is not None else -np.inf
        self._closes[row] = state.last_ts + window if state.last_ts is not None else np.inf
        self._live[row] = state.merged_into is None

    def _row_of(self, story_id: str) -> int:
        return self._rows[story_id]

    # --- scoring ------------------------------------------------------------------

    def _idf(self, term: str) -> float:
        bg = self.background
        return math.log((bg.n_docs + self.n_docs + 1) / (bg.get(term) + self.df.get(term, 0) + 0.5))

    def _term_vector(self, counts: Mapping[str, float]) -> tuple[dict[str, float], float]:
        # _idf inlined, its log of the document frequency cached per term until the term
        # is counted again: this runs for every term of every article and of every changed
        # story, so each call and log per term shows in bench/stories_speed.py.
        top = math.log(self.background.n_docs + self.n_docs + 1)
        tf, log_df = self._tf, self._log_df
        weights = {t: tf[c] * (top - log_df[t]) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum([w * w for w in weights.values()]))
        return weights, norm

    def _term_similarity(self, article: tuple[dict[str, float], float], story: StoryState) -> float:
        """Cosine of an article's term weights with a story's (cached until it changes)."""
        a, a_norm = article
        if not a or not story.terms:
            return 0.0
        if story.term_cache is None:
            story.term_cache = self._term_vector(story.terms)
        s, s_norm = story.term_cache
        if a_norm == 0 or s_norm == 0:
            return 0.0
        dot = sum([w * s[t] for t, w in a.items() if t in s])
        return dot / (a_norm * s_norm)

    def _shared_terms(
        self, article: tuple[dict[str, float], float], story: StoryState
    ) -> list[str]:
        """The names and numbers an article shares with a story, the weightiest first
        (after :meth:`_term_similarity` of the two)."""
        a, a_norm = article
        if not a or not story.terms or story.term_cache is None:
            return []
        s, s_norm = story.term_cache
        if a_norm == 0 or s_norm == 0:
            return []
        shared = [t for t in a if t in s and shown_term(t)]
        shared.sort(key=lambda t: -a[t] * s[t])
        return shared

    def candidates(self, sig: ArticleSignals) -> list[tuple[int, float]]:
        """Rows of the best stories by embedding within the time window, with cosines."""
        n = len(self.states)
        if n == 0:
            return []
        mask = self._live[:n]
        if sig.ts is not None:
            mask = mask & (self._opens[:n] <= sig.ts) & (sig.ts <= self._closes[:n])
        rows = np.flatnonzero(mask)
        if not len(rows):
            return []
        sims = self._cosines(sig, n)[rows]
        k = min(self.config.candidates, len(rows))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(int(rows[i]), float(sims[i])) for i in top]

    def prepare(self, sigs: Sequence[ArticleSignals]) -> None:
        """Compute the cosines of a batch's articles with every story in one matrix
        product, before the batch is assigned.

        An undated article is compared with every live story (up to
        :data:`MAX_LIVE_STORIES`): one product of the story matrix with one vector per
        article read the whole matrix again each time (1.3 of the 3.0 CPU s the stories
        stage took for the 772 ECB+ dev articles into 100,000 stored, 10,000 stories
        loaded). :meth:`candidates` then takes an article's row and computes again only
        the stories created or changed since.
        """
        n = len(self.states)
        if n < PREPARE_MIN_STORIES or len(sigs) < 2:
            return
        vectors = np.stack([s.vector for s in sigs]).astype(np.float32, copy=False)
        self._batch_sims = vectors @ self._matrix[:n].T
        self._batch_cols = {s.id: k for k, s in enumerate(sigs)}
        self._batch_stories = n
        self._moved = set()

    def _cosines(self, sig: ArticleSignals, n: int) -> np.ndarray:
        """Cosine of ``sig``'s vector with the centroid of each of the first ``n`` stories."""
        col = self._batch_cols.get(sig.id)
        done = self._batch_stories
        # Not prepared, or a quarter of the stories changed since (gathering their rows
        # would cost more than the whole product): one product for this article. einsum,
        # not ``@``: a matrix-vector product through a multi-threaded BLAS is up to 30x
        # slower on a busy 2-core machine (bench/stories_speed.py).
        if self._batch_sims is None or col is None or len(self._moved) * 4 > done:
            sims: np.ndarray = np.einsum("ij,j->i", self._matrix[:n], sig.vector)
            return sims
        sims = np.empty(n, dtype=np.float32)
        sims[:done] = self._batch_sims[col]
        redo = sorted(self._moved)
        if redo:
            sims[redo] = np.einsum("ij,j->i", self._matrix[redo], sig.vector)
        if n > done:
            sims[done:] = np.einsum("ij,j->i", self._matrix[done:n], sig.vector)
        return sims

    def score(
        self, sig: ArticleSignals, found: Sequence[tuple[int, float]] | None = None
    ) -> list[tuple[StoryState, float, float, list[str]]]:
        """Candidate stories scored in full: ``(story, score, embedding cosine, shared
        terms)``, best first.

        The shared terms are listed for the scores that can join or merge (at least the
        lower of ``join_threshold`` and ``merge_threshold``), the ones a decision shows;
        below, the list is empty: sorting them for every candidate of every article was
        a tenth of the stage (bench/stories_speed.py). ``found``: the article's
        :meth:`candidates`, when the caller has them already.
        """
        article_terms = self._term_vector(sig.terms)
        w = self.config.entity_weight
        scored = []
        for row, cos in self.candidates(sig) if found is None else found:
            story = self.states[row]
            names = self._term_similarity(article_terms, story)
            scored.append((story, (1 - w) * cos + w * names, cos))
        scored.sort(key=lambda x: -x[1])
        shown = min(self.config.join_threshold, self.config.merge_threshold)
        return [
            (story, total, cos, self._shared_terms(article_terms, story) if total >= shown else [])
            for story, total, cos in scored
        ]

    # --- assignment ---------------------------------------------------------------

    def assign(self, sig: ArticleSignals, *, copy_of_story: str | None = None) -> Decision:
        """Put ``sig`` in a story (joining, starting, or following its source) and return why.

        Args:
            copy_of_story: the story of the article this one copies (from provenance);
                the article joins it whatever the scores.
        """
        merges: list[MergeDecision] = []
        if copy_of_story is not None and copy_of_story in self.by_id:
            story = self.live_story(copy_of_story)
            decision = Decision(
                sig.id, story.id, "copy", 1.0, "copy of an article in this story (provenance)"
            )
        else:
            scored = self.score(sig)
            if scored and scored[0][1] >= self.config.join_threshold:
                story, best, cos, shared = scored[0]
                reason = f"score {best:.2f} (embedding {cos:.2f}; shared {', '.join(shared[:5]) or 'no names'})"
                decision = Decision(sig.id, story.id, "join", best, reason)
                for other, other_score, _, other_shared in scored[1:]:
                    if (
                        best < self.config.merge_threshold
                        or other_score < self.config.merge_threshold
                    ):
                        break
                    story = self.live_story(story.id)
                    if other.merged_into is None and other.id != story.id:
                        merges.append(self._merge(story, other, sig.id, other_score, other_shared))
                story = self.live_story(story.id)
            else:
                best = scored[0][1] if scored else 0.0
                story = self._new_story(sig)
                reason = (
                    "no story within the time window"
                    if not scored
                    else f"best score {best:.2f} below {self.config.join_threshold:.2f}"
                )
                decision = Decision(sig.id, story.id, "start", best, reason)
        self._join(story, sig)
        self._count_terms(sig.terms)
        return Decision(
            decision.article_id,
            story.id,
            decision.action,
            decision.score,
            decision.reason,
            tuple(merges),
        )

    def live_story(self, story_id: str) -> StoryState:
        """The story ``story_id`` or, if it was merged, the story that absorbed it."""
        story = self.by_id[story_id]
        while story.merged_into is not None and story.merged_into in self.by_id:
            story = self.by_id[story.merged_into]
        return story

    def _new_story(self, sig: ArticleSignals) -> StoryState:
        state = StoryState(
            id=f"s{self.next_seq:06d}-{sig.id[:8]}",
            seq=self.next_seq,
            vector_sum=np.zeros_like(sig.vector, dtype=np.float32),
        )
        self.next_seq += 1
        self.add_state(state)
        return state

    def _join(self, story: StoryState, sig: ArticleSignals) -> None:
        story.vector_sum = story.vector_sum + sig.vector
        story.n_articles += 1
        story.terms.update(sig.terms)
        story.term_cache = None
        if len(story.terms) > MAX_STORY_TERMS * 2:
            story.terms = Counter(dict(story.terms.most_common(MAX_STORY_TERMS)))
        if sig.ts is not None:
            story.first_ts = sig.ts if story.first_ts is None else min(story.first_ts, sig.ts)
            story.last_ts = sig.ts if story.last_ts is None else max(story.last_ts, sig.ts)
        self._update_title(story, sig)
        self._refresh(self._row_of(story.id))
        self.changed.add(story.id)

    def _update_title(self, story: StoryState, sig: ArticleSignals) -> None:
        # The most central headline: the titled member closest to the centroid, kept
        # incrementally (the current title is re-scored against the moved centroid).
        if not sig.title:
            return
        centroid = story.centroid
        if story.title_vector is None or float(sig.vector @ centroid) > float(
            story.title_vector @ centroid
        ):
            story.title, story.title_article, story.title_vector = sig.title, sig.id, sig.vector

    def _merge(
        self,
        kept: StoryState,
        other: StoryState,
        article_id: str,
        score: float,
        shared: Sequence[str],
    ) -> MergeDecision:
        # The older story (lower seq) keeps its id.
        if other.seq < kept.seq:
            kept, other = other, kept
        kept.vector_sum = kept.vector_sum + other.vector_sum
        kept.n_articles += other.n_articles
        kept.terms.update(other.terms)
        kept.term_cache = None
        for ts in (other.first_ts, other.last_ts):
            if ts is not None:
                kept.first_ts = ts if kept.first_ts is None else min(kept.first_ts, ts)
                kept.last_ts = ts if kept.last_ts is None else max(kept.last_ts, ts)
        if kept.title_vector is None and other.title_vector is not None:
            kept.title, kept.title_article, kept.title_vector = (
                other.title,
                other.title_article,
                other.title_vector,
            )
        other.merged_into = kept.id
        self._refresh(self._row_of(kept.id))
        self._refresh(self._row_of(other.id))
        self.changed.update((kept.id, other.id))
        reason = (
            f"article {article_id[:12]} matches both stories (score {score:.2f} with the second; "
            f"shared {', '.join(shared[:5]) or 'no names'})"
        )
        return MergeDecision(kept.id, other.id, article_id, score, reason)

    # --- small stories -----------------------------------------------------------

    def absorb_small(self, story_ids: Iterable[str]) -> list[MergeDecision]:
        """At the end of a batch, merge each of ``story_ids`` (the stories it changed) that
        holds at most ``small_story`` articles into the story it matches best, when the
        two, seen whole, score at least ``join_threshold`` (its centroid and names scored
        as an article's are); smallest first, until no merge is left.

        Articles stream one at a time, so the first reports of an event can arrive before
        the rest, match none of the later ones alone, and stay apart while those gather in
        a story of their own; once that story holds them all, the early reports' story
        matches it. A large story is never absorbed this way: two big stories that match
        as wholes are two events of one kind far more often than one event.
        """
        cap = self.config.small_story
        bar = self.config.join_threshold
        pending = {self.live_story(s).id for s in story_ids}
        merges: list[MergeDecision] = []
        # A story that merged with none is scored again only when its candidates might
        # score otherwise: it keeps the candidate rows of its last scoring and the count
        # of merges then; ``touched`` holds, per row a merge changed, the count after it.
        # Candidates all among those rows and none changed since score as they did, below
        # the bar (two of every three scorings of a batch, bench/stories_speed.py).
        unmatched: dict[str, tuple[frozenset[int], int]] = {}
        touched: dict[int, int] = {}
        merged = True
        while merged:
            merged = False
            small = sorted(
                (
                    self.by_id[s]
                    for s in pending
                    if self.by_id[s].merged_into is None and 0 < self.by_id[s].n_articles <= cap
                ),
                key=lambda st: (st.n_articles, st.seq),
            )
            for story in small:
                if story.merged_into is not None or story.n_articles > cap:
                    continue
                last = unmatched.get(story.id)
                if last is not None and last[1] == len(merges):
                    continue  # no merge since it was scored
                whole = ArticleSignals(
                    id=story.id, vector=story.centroid, terms=story.terms, ts=story.last_ts
                )
                found = self.candidates(whole)
                rows = frozenset([self._row_of(story.id), *(row for row, _ in found)])
                if (
                    last is not None
                    and rows <= last[0]
                    and all(touched.get(row, 0) <= last[1] for row in rows)
                ):
                    continue
                unmatched[story.id] = (rows, len(merges))
                for target, score, cos, shared in self.score(whole, found):
                    target = self.live_story(target.id)
                    if target.id == story.id:
                        continue
                    if score < bar:
                        break
                    n = story.n_articles
                    merge = self._merge(target, story, story.id, score, shared)
                    reason = (
                        f"{story.id} ({n} article{'s' if n > 1 else ''}) and {target.id} score "
                        f"{score:.2f} as wholes at the end of a batch (embedding {cos:.2f}; "
                        f"shared {', '.join(shared[:5]) or 'no names'})"
                    )
                    merges.append(MergeDecision(merge.kept, merge.absorbed, None, score, reason))
                    for changed in (merge.kept, merge.absorbed):
                        touched[self._row_of(changed)] = len(merges)
                    unmatched.pop(story.id, None)
                    pending.add(merge.kept)
                    merged = True
                    break
        return merges

    # --- splits -------------------------------------------------------------------

    def split(
        self,
        story_id: str,
        members: Sequence[ArticleSignals],
        copies: Mapping[str, str] | None = None,
    ) -> SplitDecision | None:
        """Split story ``story_id`` in two when its members form two events, else ``None``.

        Articles stream in one at a time, so the first report of a second event of the
        same kind (the same team, the same agency) can join the first event's story, and
        the reports that follow it then join too. Seen whole, such a story falls into two
        groups whose names differ: the members are split in two around the pair that
        shares the fewest names (each member going to the group whose members it shares
        more names with, repeated until stable), and the two groups are scored against
        each other as an article is scored against a story. Below
        :attr:`StoryConfig.split_threshold` they would not have joined as stories, and
        the smaller group becomes a new story.

        Args:
            members: the story's articles (their signals), oldest first.
            copies: copy -> source article ids (provenance); a copy stays with its source.
        """
        threshold = self.config.split_threshold
        story = self.by_id[story_id]
        n = len(members)
        if (
            threshold is None
            or story.merged_into is not None
            or not SPLIT_MIN_ARTICLES <= n <= SPLIT_MAX_ARTICLES
        ):
            return None
        groups = self.two_groups(members, copies)
        if groups is None:
            return None
        keep, move = groups
        score, cos, shared = self.group_score(keep, move)
        if min(len(keep), len(move)) <= self.config.small_story:
            # A group small enough to be absorbed whole (absorb_small) leaves only when it
            # would not join the rest as a story either: else the two would undo each other.
            threshold = min(threshold, self.config.join_threshold)
        if score >= threshold:
            return None
        new = self._new_story(move[0])
        self._rebuild(story, keep)
        self._rebuild(new, move)
        reason = (
            f"split from {story.id}: its two groups score {score:.2f} with each other "
            f"(embedding {cos:.2f}; shared {', '.join(shared[:5]) or 'no names'}), "
            f"below {threshold:.2f}"
        )
        return SplitDecision(story.id, new.id, tuple(m.id for m in move), score, reason)

    def two_groups(
        self, members: Sequence[ArticleSignals], copies: Mapping[str, str] | None = None
    ) -> tuple[list[ArticleSignals], list[ArticleSignals]] | None:
        """The split check's partition of a story's ``members``: ``(keep, move)``, the
        larger group first, or None when they do not fall in two groups of two or more.

        Seeded by the two members that share the fewest names (weighed by rarity), each
        member then goes to the group it shares more names with, until stable; a copy
        follows its source (``copies``: copy -> source article ids).
        """
        copies = copies or {}
        vectors = [self._term_vector(m.terms) for m in members]
        n = len(members)
        sim = np.eye(n)
        for i in range(n):
            a, a_norm = vectors[i]
            for j in range(i + 1, n):
                b, b_norm = vectors[j]
                if a_norm and b_norm:
                    small, large = (a, b) if len(a) <= len(b) else (b, a)
                    dot = sum(w * large[t] for t, w in small.items() if t in large)
                    sim[i, j] = sim[j, i] = dot / (a_norm * b_norm)
        i0, j0 = divmod(int(np.argmin(sim + 2.0 * np.eye(n))), n)
        label = sim[:, j0] > sim[:, i0]
        for _ in range(10):
            if label.all() or not label.any():
                return None
            closer = sim[:, label].mean(axis=1) > sim[:, ~label].mean(axis=1)
            if (closer == label).all():
                break
            label = closer
        # A copy follows its source (provenance is surer than names).
        index = {m.id: i for i, m in enumerate(members)}
        for _ in range(n):
            moved = False
            for copy, source in copies.items():
                c, o = index.get(copy), index.get(source)
                if c is not None and o is not None and label[c] != label[o]:
                    label[c] = label[o]
                    moved = True
            if not moved:
                break
        one = [m for m, lab in zip(members, label, strict=True) if lab]
        other = [m for m, lab in zip(members, label, strict=True) if not lab]
        if min(len(one), len(other)) < 2:
            return None
        # The group with more articles (on a tie, the one holding the oldest) keeps the id.
        if len(one) > len(other) or (len(one) == len(other) and label[0]):
            return one, other
        return other, one

    def group_score(
        self, a: Sequence[ArticleSignals], b: Sequence[ArticleSignals]
    ) -> tuple[float, float, list[str]]:
        """How two groups of articles score with each other, as an article scores with a
        story: ``(score, embedding cosine, shared names shown)``. A story splits when its
        :meth:`two_groups` score below the split threshold."""
        va = np.sum([m.vector for m in a], axis=0)
        vb = np.sum([m.vector for m in b], axis=0)
        norm = float(np.linalg.norm(va) * np.linalg.norm(vb))
        cos = float(va @ vb) / norm if norm > 0 else 0.0
        ta: Counter[str] = Counter()
        tb: Counter[str] = Counter()
        for m in a:
            ta.update(m.terms)
        for m in b:
            tb.update(m.terms)
        wa, na = self._term_vector(ta)
        wb, nb = self._term_vector(tb)
        shared = sorted((t for t in wa if t in wb), key=lambda t: -wa[t] * wb[t])
        names = sum(wa[t] * wb[t] for t in shared) / (na * nb) if na and nb else 0.0
        w = self.config.entity_weight
        shown = list(filter(shown_term, shared))
        return (1 - w) * cos + w * names, cos, shown

    def _rebuild(self, story: StoryState, members: Sequence[ArticleSignals]) -> None:
        story.vector_sum = np.zeros_like(story.vector_sum)
        story.n_articles = 0
        story.terms = Counter()
        story.first_ts = story.last_ts = None
        story.title = story.title_article = None
        story.title_vector = None
        for m in members:
            self._join(story, m)

    def _count_terms(self, terms: Mapping[str, int]) -> None:
        self.n_docs += 1
        self.df.update(terms.keys())
        for term in terms:
            self._log_df.pop(term, None)

    def key_terms(self, story: StoryState, n: int = 8) -> list[str]:
        """The story's most distinctive names and numbers (summed count x IDF)."""
        terms = list(filter(shown_term, story.terms))
        ranked = sorted(terms, key=lambda t: -(story.terms[t] * self._idf(t)))
        return ranked[:n]
