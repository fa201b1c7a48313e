"""What runs after new articles are stored: the later stages, in pipeline order.

Each stage contributes one function ``step(store, ids, config) -> dict`` that brings
its results up to date for the given articles and returns counts for the summary.
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
from typing import Any

from unspin.store import Store


@dataclass(frozen=True)
class PipelineConfig:
    """Switches for the stages that run after ingest (built at the CLI/API boundary)."""

    provenance: bool = True
    stories: bool = True
    claims: bool = True


Step = Callable[[Store, Sequence[str], PipelineConfig], dict[str, Any]]


def _steps() -> list[tuple[str, Step]]:
    """The stage steps, in pipeline order. Stages import lazily to keep start-up fast."""
    steps: list[tuple[str, Step]] = []
    from unspin import provenance  # issue 3: copies, spun copies and their sources

    steps.append(("provenance", provenance.step))
    from unspin import storyrun  # issue 4: new articles join or start stories

    steps.append(("stories", storyrun.step))
    from unspin.spin import learn as spin_learn  # issue 8: learn spinner swaps from copies

    steps.append(("spin", spin_learn.step))
    from unspin import claims  # issue 5: claims of new articles, cached for `compare`

    steps.append(("claims", claims.step))
    return steps


def pending(store: Store, config: PipelineConfig | None = None) -> dict[str, list[str]]:
    """The article ids each enabled stage has still to process, in ingest order.

    For spin learning these are copies whose relation was found since it last learned.
    """
    from unspin.claims import EXTRACTOR_VERSION

    config = config or PipelineConfig()
    todo: dict[str, list[str]] = {"provenance": [], "stories": [], "spin": [], "claims": []}
    if config.provenance:
        todo["provenance"] = store.unindexed_ids()
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
        todo = pending(store, config)
        if not any(todo.values()):
            return {}
        results: dict[str, dict[str, Any]] = {}
        for name, step in _steps():
            ids = todo[name]
            if name == "spin" and config.provenance:
                ids = store.unlearned_copy_ids()  # including what provenance just found
            if on_stage:
                on_stage(name)
            results[name] = step(store, ids, config)
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
    for name, step in _steps():
        if on_stage:
            on_stage(name)
        results[name] = step(store, new_ids, config)
    return results
