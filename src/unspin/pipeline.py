"""What runs after new articles are stored: the later stages, in pipeline order.

The pipeline owns the order of the stages and their configuration. Each stage package
has one entry point ``update(store, article_ids) -> StageReport`` that brings its
results up to date for the given articles (:func:`unspin.provenance.update`,
:func:`unspin.stories.update`, :func:`unspin.spin.learn.update`,
:func:`unspin.claims.update`); stages never import the pipeline or each other.
:func:`run_pending` runs them for every stored article a stage has not processed yet,
which is what ``unspin add`` and ``unspin resume`` do: articles stored by a run that was
killed before its stages finished are picked up by the next run, in the same order an
uninterrupted run would have used, so the results come out the same.
:func:`run_after_ingest` runs the stages for explicit ids only; the Spark job calls the
same stage functions per partition instead.

What a stage has not processed yet is read from the store: provenance from
``provenance_indexed``, stories from ``story_members``, claims from ``claims_done``
(per extractor version) and spin learning from ``spin_learned`` (copy relations found
since it last learned).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unspin.store import Store
from unspin.workers import Workers

if TYPE_CHECKING:
    from unspin.model import StageReport
    from unspin.stories import StoryConfig

STAGES = ("provenance", "stories", "spin", "claims")


@dataclass(frozen=True)
class PipelineConfig:
    """Which stages run after ingest, and each stage's own settings (built at the
    CLI/API boundary). Spin learning runs with provenance: it learns from the copies
    provenance finds."""

    provenance: bool = True
    stories: bool = True
    claims: bool = True
    story_settings: StoryConfig | None = None
    # Worker processes for per-article work (claims, candidate verification, story
    # signals); the
    # results are the same whatever the number (unspin.workers). The CLI defaults to
    # every core; the library to none, so embedding it starts no processes.
    jobs: int = 1

    def enabled(self, stage: str) -> bool:
        return bool(getattr(self, "provenance" if stage == "spin" else stage))


# What a switched-off stage reports (``unspin add --json`` prints it).
_SWITCHED_OFF: dict[str, dict[str, Any]] = {
    "provenance": {"skipped": True},
    "stories": {},
    "spin": {},
    "claims": {"skipped": True},
}


def _step(
    store: Store,
    stage: str,
    ids: Sequence[str],
    config: PipelineConfig,
    workers: Workers,
    early: dict[str, Any],
) -> dict[str, Any]:
    """One stage's ``update`` for ``ids``: its counts (what a switched-off stage
    reports when it is off). Stages import lazily to keep start-up fast. ``early``:
    work a stage started before the earlier stages ran, by stage name."""
    if not config.enabled(stage):
        return dict(_SWITCHED_OFF[stage])
    report: StageReport
    if stage == "provenance":
        from unspin import provenance  # copies, spun copies and their sources

        report = provenance.update(store, ids, workers)
    elif stage == "stories":
        from unspin import stories  # new articles join or start stories

        report = stories.update(
            store, ids, config.story_settings, workers, prefetched=early.get("stories")
        )
    elif stage == "spin":
        from unspin.spin import learn  # learn spinner swaps from traced copies

        report = learn.update(store, ids)
    else:
        from unspin import claims  # claims of new articles, cached for `compare`

        report = claims.update(store, ids, workers, prefetched=early.get("claims"))
    return report.counts


def _start_early(
    store: Store, todo: dict[str, Sequence[str]], config: PipelineConfig, workers: Workers
) -> dict[str, Any]:
    """Work of a later stage that depends on no earlier one, started before them as
    background work for the workers (they idle while the writer runs provenance and
    stories): the stories' signals (embedding, names and numbers), then claim
    extraction. The results are the same; only the order of work changes."""
    early: dict[str, Any] = {}
    if config.stories and workers.jobs > 1:
        from unspin import stories

        early["stories"] = stories.prefetch(store, todo.get("stories", ()), workers)
    if config.claims and workers.jobs > 1:
        from unspin import claims

        early["claims"] = claims.prefetch(store, todo.get("claims", ()), workers)
    return early


def pending(
    store: Store, config: PipelineConfig | None = None, *, spin: bool = True
) -> dict[str, list[str]]:
    """The article ids each enabled stage has still to process, in ingest order.

    For spin learning these are copies whose relation was found since it last learned
    (``spin``: False leaves them out, for a caller that reads them after provenance).
    """
    from unspin.claims import EXTRACTOR_VERSION

    config = config or PipelineConfig()
    todo: dict[str, list[str]] = {"provenance": [], "stories": [], "spin": [], "claims": []}
    if config.provenance:
        todo["provenance"] = store.unindexed_ids()
        if spin:
            todo["spin"] = store.unlearned_copy_ids()
    if config.stories:
        todo["stories"] = store.unclustered_ids()
    if config.claims:
        todo["claims"] = store.unextracted_all(EXTRACTOR_VERSION)
    return todo


def run_pending(
    store: Store,
    config: PipelineConfig | None = None,
    *,
    on_stage: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run every later stage for the stored articles it has not processed yet.

    Holds the store's stage lock (:meth:`~unspin.store.StoreBase.stage_lock`), so two
    processes adding at once take turns here; the pending ids are read once the lock is
    held. Each stage commits as it goes, so a run killed part way loses nothing that a
    later run cannot finish.

    Args:
        on_stage: called with a stage's name just before it runs (progress, timing).

    Returns:
        Each stage's counts by stage name; empty when nothing was pending.
    """
    config = config or PipelineConfig()
    with store.stage_lock():
        # Spin learning's copies are read again once provenance has run (below), so
        # here only when nothing else is pending: a scan of every copy relation.
        todo = pending(store, config, spin=False)
        if config.provenance and not any(todo.values()):
            todo["spin"] = store.unlearned_copy_ids()
        if not any(todo.values()):
            return {}
        results: dict[str, dict[str, Any]] = {}
        with Workers(config.jobs, close_fds=store.held_lock_fds()) as workers:
            early = _start_early(store, dict(todo), config, workers)
            for name in STAGES:
                ids = todo[name]
                if name == "spin" and config.provenance:
                    ids = store.unlearned_copy_ids()  # including what provenance just found
                if on_stage:
                    on_stage(name)
                results[name] = _step(store, name, ids, config, workers, early)
        return results


def run_after_ingest(
    store: Store,
    new_ids: Sequence[str],
    config: PipelineConfig | None = None,
    *,
    on_stage: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run every later stage for ``new_ids``; return each stage's counts by stage name.

    Args:
        on_stage: called with a stage's name just before it runs (progress, timing).
    """
    config = config or PipelineConfig()
    results: dict[str, dict[str, Any]] = {}
    if not new_ids:
        return results
    with Workers(config.jobs, close_fds=store.held_lock_fds()) as workers:
        early = _start_early(store, {"claims": new_ids}, config, workers)
        for name in STAGES:
            if on_stage:
                on_stage(name)
            results[name] = _step(store, name, new_ids, config, workers, early)
    return results
