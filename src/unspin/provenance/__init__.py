"""Provenance: copies and their sources.

The stage in five modules, in the order a pair goes through them:

* :mod:`~unspin.provenance.fingerprint`: what an article is indexed by (MinHash/LSH bands,
  sampled anchors that survive editing, spinning and rewording);
* :mod:`~unspin.provenance.index`: the stage entry points (:func:`update`, :func:`rebuild`,
  :func:`find_copies`), candidates from the index;
* :mod:`~unspin.provenance.align`: word alignment of a copy to its source;
* :mod:`~unspin.provenance.relate`: the relation kind and which article is the source;
* :mod:`~unspin.provenance.tree`: provenance trees and traces from stored relations.
"""

from __future__ import annotations

from unspin.provenance.churn import churn
from unspin.provenance.index import candidate_pairs, find_copies, rebuild, update
from unspin.provenance.tree import (
    closest_sources,
    copy_forest,
    trace,
)

__all__ = [
    "churn",
    "closest_sources",
    "candidate_pairs",
    "copy_forest",
    "find_copies",
    "rebuild",
    "trace",
    "update",
]
