"""Stories: articles about the same real-world event, grouped as they arrive.

The stage in two modules:

* :mod:`~unspin.stories.cluster`: the pure, in-memory algorithm (:class:`Clusterer`):
  each new article joins the best live story or starts one (docs/stories.md);
* :mod:`~unspin.stories.assign`: the store side: the stage's entry point
  :func:`update` (what ``unspin add`` runs), :func:`rebuild_stories`, and reading
  stories back as model objects.

The embedding model both signals come from lives on the floor below
(:mod:`unspin.embed`), since provenance reads it too.
"""

from __future__ import annotations

from unspin.stories.assign import (
    assign_articles,
    prefetch,
    read_stories,
    read_story,
    rebuild_stories,
    signals,
    update,
)
from unspin.stories.cluster import (
    EMBED_TOKENS,
    ArticleSignals,
    Clusterer,
    Decision,
    MergeDecision,
    SplitDecision,
    StoryConfig,
    StoryState,
    extract_terms,
)

__all__ = [
    "EMBED_TOKENS",
    "ArticleSignals",
    "Clusterer",
    "Decision",
    "MergeDecision",
    "SplitDecision",
    "StoryConfig",
    "StoryState",
    "assign_articles",
    "extract_terms",
    "prefetch",
    "read_stories",
    "read_story",
    "rebuild_stories",
    "signals",
    "update",
]
