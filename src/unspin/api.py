"""The Python API: one method per CLI command, returning plain dataclasses.

A notebook user calls it the same way the CLI does::

    u = Unspin("news.db")
    u.add(["examples/", "https://example.org/feed.xml"])
    u.articles(limit=10)

Each stage adds its methods in its own section below.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from unspin.errors import InputError, UnspinError
from unspin.ingest import (
    IngestFailure,
    IngestOptions,
    built_articles,
    iter_articles,
    read_deferred,
)
from unspin.model import (
    COPY_KINDS,
    Appearance,
    Article,
    Churn,
    Claim,
    Comparison,
    CopyTree,
    Relation,
    Republication,
    SpinReport,
    Story,
    StoryDetail,
    Trace,
)
from unspin.pipeline import PipelineConfig, run_pending
from unspin.serialize import article_to_dict
from unspin.store import BUSY_TIMEOUT_MS, Store, default_db_path
from unspin.workers import Workers

if TYPE_CHECKING:  # spark (issue 7): pyspark is an optional extra, imported on use
    from unspin.spark.job import SparkReport
    from unspin.spark.load import ImportReport
    from unspin.watch import Alert, OwnOutlet, WatchOptions, WatchReport

__all__ = ["AddReport", "article_to_dict", "default_db_path", "Unspin"]

# Articles written per transaction during `add`: a crash loses at most this many.
INGEST_BATCH = 100


@dataclass
class AddReport:
    """What :meth:`Unspin.add` did: ids by outcome, failures with their reasons."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    republished: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "known": self.known,
            "republished": self.republished,
            "failed": [{"source": f.source, "reason": f.reason} for f in self.failed],
            "stages": self.stages,
        }


# Spin judges a stored article against at most this many other sources of its story
# (the earliest first): a story of hundreds of wire reprints adds nothing past a few
# dozen, and each source costs a sentence comparison on every judgement (the web article
# page judges on every request; bench/web_speed.py).
MAX_STORY_SOURCES = 30


class Unspin:
    """The unspin API over one database.

    Args:
        db: database path; ``None`` means ``$UNSPIN_DB`` or ``./unspin.db``.
        read_only: refuse every write (for serving a store you must not change).
        create: create the database if it is missing (the default); with False a missing
            file raises :class:`~unspin.errors.StoreError` ("no database at PATH").
        busy_timeout_ms: how long a write waits for another process's write to finish
            before it fails with "the database is locked".
    """

    def __init__(
        self,
        db: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ):
        self.store = Store(db, read_only=read_only, create=create, busy_timeout_ms=busy_timeout_ms)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Unspin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest (issue 2) -------------------------------------------------------------

    def add(
        self,
        sources: Sequence[str],
        *,
        options: IngestOptions | None = None,
        pipeline: PipelineConfig | None = None,
        on_progress: Callable[[str, int | None], None] | None = None,
        on_stage: Callable[[str], None] | None = None,
    ) -> AddReport:
        """Ingest ``sources`` (paths, directories, URLs, feeds, WARC, JSONL, ``-``).

        Articles are committed in batches of :data:`INGEST_BATCH`; a bad source is
        reported in ``failed`` and the rest of the batch still goes in. After ingest the
        later stages (provenance, stories, spin learning, claims) run for the new
        articles and for any stored article a killed earlier run left unprocessed
        (:func:`unspin.pipeline.run_pending`).

        Args:
            on_progress: called with ``(description, total_or_None)`` once per document.
            on_stage: called with each later stage's name just before it runs.
        """
        options = options or IngestOptions()
        jobs = (pipeline or PipelineConfig()).jobs
        report = AddReport()
        batch: list[Article] = []
        # With several jobs, extraction and cleaning run on worker processes, a window
        # ahead of the writer (the same articles, in the same order: built_articles).
        with Workers(jobs, close_fds=self.store.held_lock_fds()) as workers:
            items = read_deferred(sources, options, defer=jobs > 1)
            for outcome in built_articles(items, workers):
                if isinstance(outcome, IngestFailure):
                    report.failed.append(outcome)
                    if on_progress:
                        on_progress(outcome.source, None)
                    continue
                batch.append(outcome)
                if on_progress:
                    on_progress(str(outcome.origin) if outcome.origin else outcome.id, None)
                if len(batch) >= INGEST_BATCH:
                    self._put(batch, report)
                    batch = []
        self._put(batch, report)
        report.stages = run_pending(self.store, pipeline, on_stage=on_stage)
        return report

    def resume(self, pipeline: PipelineConfig | None = None) -> dict[str, dict[str, Any]]:
        """Finish the later stages for every stored article they have not processed.

        What ``unspin add`` does after ingesting, without ingesting anything: after a
        run was killed (or stopped by a full disk) it brings provenance, stories, spin
        learning and claims to where an uninterrupted run would have left them.

        Returns:
            Each stage's counts by stage name; empty when nothing was pending.
        """
        return run_pending(self.store, pipeline)

    def _put(self, articles: list[Article], report: AddReport) -> None:
        """Store one batch in one transaction; file each id under its outcome."""
        if not articles:
            return
        for result in self.store.put_articles(articles):
            getattr(report, result.status).append(result.id)

    def add_text(self, text: str, **metadata: Any) -> AddReport:
        """Ingest one article given as text (metadata as keyword arguments)."""
        from unspin.ingest import article_from_text

        report = AddReport()
        try:
            article = article_from_text(text, source="<text>", **metadata)
        except InputError as exc:
            report.failed.append(IngestFailure(exc.source, exc.reason))
            return report
        self._put([article], report)
        report.stages = run_pending(self.store)
        return report

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Stored articles, newest first (by publication date, then ingest order)."""
        return self.store.list_articles(limit=limit, offset=offset)

    def article(self, id_or_prefix: str) -> Article:
        """One article by id or unique id prefix. Raises :class:`NotFoundError`."""
        return self.store.get_article(id_or_prefix)

    def articles_by_id(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles among ``ids`` (full ids), in the order given; unknown ids
        are left out."""
        return self.store.get_articles(list(ids))

    def count_articles(self) -> int:
        """How many articles are stored (cheap: one index count)."""
        return int(self.store.count_articles())

    def count_outlets(self) -> int:
        """How many outlets the stored articles come from (cheap: an index)."""
        return int(self.store.count_outlets())

    @property
    def path(self) -> Path:
        """The database file."""
        return Path(self.store.path)

    def appearances(self, id_or_prefix: str) -> list[Appearance]:
        """Every URL/outlet where this exact text was seen, earliest first."""
        return self.store.appearances(self.store.resolve_article_id(id_or_prefix))

    def search(self, query: str, *, limit: int = 50) -> list[Article]:
        """Articles matching all words of ``query`` (full-text), best first."""
        return self.store.search_articles(query, limit=limit)

    def export(self, out: TextIO, *, fmt: str = "jsonl") -> int:
        """Write every article to ``out`` as ``jsonl`` or ``csv``; return the count."""
        if fmt not in ("jsonl", "csv"):
            raise UnspinError(f"{fmt}: unknown export format (use jsonl or csv)")
        n = 0
        writer: Any = None
        for article in self.store.iter_articles():
            row = article_to_dict(article)
            if fmt == "jsonl":
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                row["boilerplate"] = json.dumps(row["boilerplate"], ensure_ascii=False)
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
            n += 1
        return n

    # --- provenance (issue 3) -----------------------------------------------------------

    def trace(self, id_or_prefix: str) -> Trace:
        """An article's source chain (original → … → it) and every copy made from it.

        Raises:
            NotFoundError: no article (or several) has this id or prefix.
        """
        from unspin import provenance

        return provenance.trace(self.store, self.store.resolve_article_id(id_or_prefix))

    def copies(self) -> list[CopyTree]:
        """Every copy relation in the store, as provenance trees (largest first)."""
        from unspin import provenance

        return provenance.copy_forest(self.store.copy_relations())

    def republished(self) -> list[Republication]:
        """Texts published word for word at more than one address, each with the place
        it appeared first and the places that ran it since (:class:`Republication`)."""
        out = []
        for article_id in self.store.republished_ids():
            places = self.places(article_id)
            if len(places) > 1:
                out.append(Republication(article_id, places[0], tuple(places[1:])))
        return out

    def places(self, id_or_prefix: str) -> list[Appearance]:
        """The addresses (URLs) this text was seen at, one each, first published first
        (else first seen): its appearances that have a URL."""
        seen: dict[str, Appearance] = {}
        for place in self.appearances(id_or_prefix):
            if place.url is not None and place.url not in seen:
                seen[place.url] = place
        return list(seen.values())

    def copy_relations(self) -> list[Relation]:
        """Every stored copy relation, flat (an article with two sources appears twice)."""
        found: list[Relation] = self.store.copy_relations()
        return found

    def copy_sources(self, article_ids: Sequence[str]) -> list[Relation]:
        """The copy relations among ``article_ids`` (full ids), one per copy: the relation
        to its source as :func:`unspin.provenance.closest_sources` names it."""
        from unspin import provenance

        members = set(article_ids)
        among: dict[tuple[str, str], Relation] = {}
        for article_id in article_ids:
            for rel in self.store.relations_of(article_id, kinds=sorted(COPY_KINDS)):
                if rel.source_id in members and rel.copy_id in members:
                    among[(rel.source_id, rel.copy_id)] = rel
        return list(provenance.closest_sources(among.values()).values())

    def relations_of(
        self, id_or_prefix: str, *, kinds: Sequence[str] | None = None
    ) -> list[Relation]:
        """The stored relations of one article (as source or copy), optionally by kind."""
        found: list[Relation] = self.store.relations_of(
            self.store.resolve_article_id(id_or_prefix), kinds=kinds
        )
        return found

    def churn(self, rel: Relation) -> Churn:
        """How much of ``rel``'s copy is its source's text, cut and pasted, with the
        quotes it carries counted apart, and how much of the source it uses.

        Raises:
            NotFoundError: either article of the relation is not stored.
        """
        from unspin import provenance

        source, copy = self.article(rel.source_id), self.article(rel.copy_id)
        return provenance.churn(source.text, copy.text, rel)

    def relate(self, a: str, b: str) -> Relation:
        """Align and classify two stored articles now (ids or prefixes), stored or not."""
        from unspin.provenance.relate import relate

        return relate(self.store.get_article(a), self.store.get_article(b))

    def rebuild_provenance(self, jobs: int = 1) -> dict[str, int]:
        """Rebuild the provenance index and every relation from the stored articles,
        verifying candidate pairs on ``jobs`` processes (the same relations whatever
        ``jobs``)."""
        from unspin import provenance
        from unspin.workers import Workers

        with (
            self.store.stage_lock(),
            Workers(jobs, close_fds=self.store.held_lock_fds()) as workers,
        ):
            return provenance.rebuild(self.store, workers)

    # --- stories (issue 4) ----------------------------------------------------------------

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, newest first (by their latest article), with counts and outlets."""
        from unspin.stories import read_stories

        return read_stories(self.store, limit=limit, offset=offset)

    def story(self, id_or_prefix: str) -> StoryDetail:
        """One story by id or unique prefix: its articles on a timeline and its merges.

        Raises:
            NotFoundError: no story, or several, match.
        """
        from unspin.stories import read_story

        return read_story(self.store, id_or_prefix)

    def count_stories(self) -> int:
        """How many stories there are (cheap: one index count)."""
        return int(self.store.count_stories())

    def story_of(self, id_or_prefix: str) -> str | None:
        """The id of the story an article belongs to, if it is in one yet."""
        article_id = self.store.resolve_article_id(id_or_prefix)
        found: dict[str, str] = self.store.story_of([article_id])
        return found.get(article_id)

    def rebuild_stories(self) -> dict[str, int]:
        """Forget every story and cluster all stored articles again, oldest first."""
        from unspin.stories import rebuild_stories

        with self.store.stage_lock():
            return rebuild_stories(self.store)

    # --- spin (issue 8) ------------------------------------------------------------------

    def spin(self, id_or_text: str, *, restore: bool = True) -> SpinReport:
        """Judge whether a stored article (id or prefix) or a text is spinner output.

        A single token without spaces is read as an article id or prefix; anything else
        as the text itself. Texts that cannot be judged (not English, under ~50 words,
        no prose) get verdict ``cannot judge`` and the reason, not a score.

        A stored article is also compared with the other articles of its story: a
        sentence that differs from one of theirs only by swapped content words counts
        those swaps as a spinner's, and restoration proposes the others' wording
        (:mod:`unspin.spin.story`).

        Raises:
            NotFoundError: an id that names no article (or several).
        """
        from unspin import spin

        article_id = None
        text = id_or_text
        learned = self.store.spin_substitutions()
        if spin.looks_like_id(id_or_text):
            article = self.store.get_article(id_or_text.strip())
            article_id, text = article.id, article.text
            learned += self._story_swaps(article.id, text)
        det = spin.detector(learned)
        return det.judge(text, restore=restore, article_id=article_id)

    def _story_swaps(self, article_id: str, text: str) -> tuple[tuple[str, str, int], ...]:
        """Swaps between an article and the other sources of its story (not its copies)."""
        from unspin.spin.story import story_swaps

        story = self.store.story_of([article_id]).get(article_id)
        if story is None:
            return ()
        copies = {
            r.copy_id for r in self.store.relations_of(article_id) if r.source_id == article_id
        }
        others = [
            m["article_id"]
            for m in self.store.story_member_rows([story])[story]
            if m["article_id"] != article_id and m["article_id"] not in copies
        ][:MAX_STORY_SOURCES]
        return story_swaps(text, (a.text for a in self.store.get_articles(others)))

    @staticmethod
    def spin_text(text: str, *, restore: bool = True) -> SpinReport:
        """Judge a text with the shipped model alone, without a store's learned swaps."""
        from unspin import spin

        return spin.detector(()).judge(text, restore=restore)

    @staticmethod
    def looks_like_id(value: str) -> bool:
        """True when ``value`` reads as an article id or prefix rather than a text."""
        from unspin import spin

        return spin.looks_like_id(value)

    @staticmethod
    def read_texts(path: str | Path) -> list[str]:
        """The article texts of a file in any format ``add`` reads, without storing them.

        Raises:
            InputError: the file cannot be read, or holds no article.
        """
        texts: list[str] = []
        for item in iter_articles([str(path)], IngestOptions()):
            if isinstance(item, IngestFailure):
                raise InputError(item.source, item.reason)
            texts.append(item.text)
        if not texts:
            raise InputError(str(path), "holds no article")
        return texts

    def despin(self, id_or_text: str) -> str:
        """The text (or stored article) with its confident spans restored.

        Only spans with confidence >= :data:`unspin.model.RESTORE_CONFIDENCE` are applied
        (:meth:`unspin.model.SpinReport.restored`); numbers, magnitudes, negations,
        pronouns, repeated names and quoted words are never changed
        (:mod:`unspin.spin.protect`).

        Raises:
            CannotJudgeError: the text cannot be judged; the message says why.
        """
        from unspin.errors import CannotJudgeError

        report = self.spin(id_or_text)
        if not report.judged:
            raise CannotJudgeError(report.reason)
        return report.restored()

    def learn_spin(self) -> dict[str, int]:
        """Learn spinner substitutions from the copy relations provenance has aligned."""
        from unspin.spin.learn import learn_from_store

        with self.store.stage_lock():
            return learn_from_store(self.store)

    # --- claims (issue 5) ---------------------------------------------------------------

    def claims(self, id_or_prefix: str) -> list[Claim]:
        """The claims of one stored article (extracted once, then read from the cache).

        Raises:
            NotFoundError: no article (or several) has this id or prefix.
        """
        from unspin.claims import claims_for

        return claims_for(self.store, self.store.resolve_article_id(id_or_prefix))

    def compare(
        self,
        story_id: str | None = None,
        *,
        article_ids: Sequence[str] | None = None,
        copy_of: dict[str, str] | None = None,
    ) -> Comparison:
        """Compare the claims of a story's sources (or of an explicit set of articles).

        Copies found by provenance fold into their sources (one voice each); pass
        ``copy_of`` (copy id -> source id) to override what the store knows.

        Raises:
            UnspinError: neither or both of ``story_id`` and ``article_ids`` given, or
                stories are not available in this store (use ``article_ids``).
            NotFoundError: an id names no article or story.
        """
        from unspin.claims import claims_for, compare_claims

        if (story_id is None) == (article_ids is None):
            raise UnspinError("compare: give either a story id or a list of article ids")
        if story_id is not None:
            ids = self._story_article_ids(story_id)
            story_id = self.store.resolve_story_id(story_id)
        else:
            ids = list(dict.fromkeys(self.store.resolve_article_id(a) for a in article_ids or ()))
        if len(ids) < 1:
            raise UnspinError(f"{story_id or 'compare'}: no articles to compare")
        articles = {aid: self.store.get_article(aid) for aid in ids}
        claims = {aid: claims_for(self.store, aid) for aid in ids}
        if copy_of is None:
            copy_of = {r.copy_id: r.source_id for r in self.copy_sources(ids)}
        return compare_claims(claims, articles=articles, copy_of=copy_of, story_id=story_id)

    def _story_article_ids(self, story_id: str) -> list[str]:
        """Member article ids of a story (id or prefix), oldest first."""
        resolve = getattr(self.store, "resolve_story_id", None)
        members = getattr(self.store, "story_member_rows", None)
        if resolve is not None and members is not None:
            sid = resolve(story_id)
            return [row["article_id"] for row in members([sid])[sid]]
        raise UnspinError(
            f"{story_id}: stories are not available in this store; compare explicit articles "
            "with --articles ID,ID,..."
        )

    # --- spark (issue 7) ------------------------------------------------------------------

    @staticmethod
    def spark_run(
        inputs: Sequence[str],
        out: str | os.PathLike[str],
        *,
        master: str | None = "local[2]",
        partitions: int = 0,
        shuffle_partitions: int = 8,
        stories: bool = True,
        claims: bool = True,
    ) -> SparkReport:
        """Run the pipeline on Spark over WARC/JSONL ``inputs``; write Parquet under ``out``.

        Starts a Spark session (``master``; None keeps what ``spark-submit`` set) and
        stops it afterwards. A static method: no store is opened or touched; load the
        tables with :meth:`import_parquet`.

        Raises:
            InputError: no input, or a local input path does not exist (checked before
                Spark starts).
            UnspinError: pyspark is not installed.
        """
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise UnspinError("spark run needs pyspark: pip install 'unspin[spark]'") from None
        from unspin.spark.io import expand_inputs
        from unspin.spark.job import SparkOptions, run_job, spark_session

        if not inputs:
            raise InputError("spark run", "no input given (WARC, WARC.gz or JSONL paths or URIs)")
        expand_inputs(inputs)
        options = SparkOptions(
            out=str(out),
            master=master,
            partitions=partitions,
            shuffle_partitions=shuffle_partitions,
            stories=stories,
            claims=claims,
        )
        spark = spark_session(master, shuffle_partitions=shuffle_partitions)
        try:
            return run_job(spark, inputs, options)
        finally:
            spark.stop()

    def import_parquet(self, folder: str | os.PathLike[str]) -> ImportReport:
        """Load the Parquet tables of a Spark run (articles, relations, …) into the store.

        Raises:
            InputError: ``folder`` is not the output of ``unspin spark run``.
        """
        from unspin.spark.load import import_parquet

        return import_parquet(self.store, Path(folder))

    # --- watch (issue 19) -----------------------------------------------------------------

    def watch(
        self,
        sources: Sequence[str],
        *,
        own: Sequence[OwnOutlet] = (),
        pages: Sequence[str] = (),
        options: WatchOptions | None = None,
        pipeline: PipelineConfig | None = None,
        cycles: int | None = 1,
        on_event: Callable[[str, str], None] | None = None,
        on_cycle: Callable[[WatchReport], None] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> WatchReport:
        """Poll feeds and sitemaps, ingest what is new and raise alerts on copies of own work.

        One cycle (``cycles=1``, what ``unspin watch --once`` does) polls every due
        source with a conditional GET, reads the new items, runs the later stages and
        raises the alerts not raised before (each one once, ever); with a webhook in
        ``options`` the undelivered alerts are POSTed. ``cycles=None`` repeats every
        ``options.interval`` seconds until interrupted.

        Args:
            sources: feed, sitemap or sitemap-index URLs (remembered: an empty list polls
                the stored ones).
            own: the publisher's outlets (remembered), see :func:`unspin.watch.own_outlet`.
            pages: page URLs to read once each.
            on_event: progress: (``source`` | ``page`` | ``stage`` | ``alert``, detail).
            on_cycle: called with each cycle's report.

        Returns:
            The last cycle's report.

        Raises:
            InputError: nothing to watch.
        """
        import time

        from unspin.watch import WatchOptions, poll

        options = options or WatchOptions()
        pause = sleep or time.sleep
        n = 0
        while True:
            report = poll(
                self.store,
                sources,
                own=own,
                pages=pages,
                options=options,
                pipeline=pipeline,
                on_event=on_event,
                sleep=pause,
            )
            pages = ()  # read once
            n += 1
            if on_cycle:
                on_cycle(report)
            if cycles is not None and n >= cycles:
                return report
            pause(options.interval)

    def alerts(
        self, *, undelivered: bool = False, limit: int | None = None, offset: int = 0
    ) -> list[Alert]:
        """Stored alerts, newest first (``undelivered``: not yet taken by the webhook)."""
        from unspin.watch import alert_from_row

        rows = self.store.alert_rows(undelivered=undelivered, limit=limit, offset=offset)
        return [alert_from_row(r) for r in rows]

    def watch_status(self) -> dict[str, Any]:
        """The watch's state: each source's last poll, own outlets, pages seen, alerts."""
        sources = [
            {
                "url": s.url,
                "kind": s.kind,
                "parent": s.parent,
                "last_polled": s.last_polled,
                "last_status": s.last_status,
                "last_error": s.last_error,
                "failures": s.failures,
                "next_poll": (
                    datetime.fromtimestamp(s.next_poll_ts, UTC).isoformat(timespec="seconds")
                    if s.next_poll_ts
                    else None
                ),
                "items": s.n_items,
                "requests": s.n_requests,
                "not_modified": s.n_not_modified,
            }
            for s in self.store.watch_sources()
        ]
        return {
            "sources": sources,
            "own": [
                {"prefix": p, "name": n, "licence": lic} for p, n, lic in self.store.own_outlets()
            ],
            "pages_seen": self.store.count_watched_pages(),
            "alerts": self.store.count_alerts(),
            "undelivered": len(self.store.alert_rows(undelivered=True)),
        }

    def summary(self) -> dict[str, Any]:
        """Counts across the store: articles, outlets, and each later stage's results."""
        return {
            "database": str(self.store.path),
            "articles": self.store.count_articles(),
            "outlets": self.store.count_outlets(),
            "republished verbatim": self.store.count_republished(),
            "relations": self.store.count_relations(),
            "claims": self.store.count_claims(),
            "stories": self.store.count_stories(),
        }
