"""What runs after new articles are stored: the later stages, in pipeline order.

Each stage contributes one function ``step(store, new_ids, config) -> dict`` that brings
its results up to date for the newly added articles and returns counts for the summary.
:func:`run_after_ingest` runs them in order; the Spark job calls the same stage
functions per partition instead.
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
