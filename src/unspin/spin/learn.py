"""Learning the spinner's substitutions from traced pairs (source word -> spun word).

When provenance has aligned a spun copy to its source, each substitution it found says
"this spinner writes *tempest* for *storm*". Those pairs feed the restoration model: a
spun word seen once is then restored to its original wherever it appears, and the
detector treats it as a known spinner output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from unspin.model import COPY_KINDS, Relation, StageReport
from unspin.seqmatch import SequenceMatcher

__all__ = [
    "learn_from_store",
    "pairs_from_phrases",
    "pairs_from_relations",
    "update",
    "tally",
]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def pairs_from_phrases(original: str, spun: str) -> list[tuple[str, str]]:
    """Word substitutions ``(original, spun)`` between two short phrases.

    The phrases are compared word by word (difflib opcodes over lower-cased words);
    replaced stretches of equal length are paired position by position, as a spinner
    swaps one word for one word. Stretches of unequal length give no pair.

    >>> pairs_from_phrases("random forest", "irregular woodland")
    [('random', 'irregular'), ('forest', 'woodland')]
    """
    a, b = _words(original), _words(spun)
    pairs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            pairs.extend(zip(a[i1:i2], b[j1:j2], strict=True))
    return [(o, s) for o, s in pairs if o != s]


def pairs_from_relations(relations: Iterable[Relation]) -> list[tuple[str, str]]:
    """Word substitutions recorded on stored relations (spun and edited copies)."""
    pairs: list[tuple[str, str]] = []
    for rel in relations:
        for sub in rel.substitutions:
            pairs.extend(pairs_from_phrases(sub.source, sub.copy))
    return pairs


def tally(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str, int], ...]:
    """``(original, spun, count)`` rows, sorted, from a stream of word pairs."""
    counts = Counter(pairs)
    return tuple((o, s, n) for (o, s), n in sorted(counts.items()))


def learn_from_store(store: Any) -> dict[str, int]:
    """Re-learn the store's spinner substitutions from its stored copy relations.

    Every substitution provenance recorded on a copy relation (spun or edited copy)
    counts once; the learned table is replaced, so learning twice gives the same table.

    Returns:
        ``relations`` read, ``pairs`` observed and distinct ``substitutions`` stored.
    """
    relations = store.copy_relations()
    pairs = pairs_from_relations(relations)
    rows = tally(pairs)
    learned_from = [(r.source_id, r.copy_id, r.kind) for r in relations]
    store.put_spin_substitutions(rows, learned_from=learned_from)
    return {"relations": len(relations), "pairs": len(pairs), "substitutions": len(rows)}


def update(store: Any, new_ids: Sequence[str]) -> StageReport:
    """The stage's entry point: learn the substitutions of the copy relations ``new_ids``
    joined: added to the learned counts while every relation learned before is still
    stored as it was, else re-learned from every copy relation (the same table either
    way).

    Runs after provenance, so a spinner traced once is recognised in every later
    ``unspin spin`` without an explicit ``--learn``.
    """
    kinds = sorted(COPY_KINDS)
    if not any(store.relations_of(i, kinds=kinds) for i in new_ids):
        return StageReport("spin")
    if not store.spin_learned_current():
        return StageReport("spin", learn_from_store(store))
    # Every relation learned so far is still stored as it was: add the new ones' swaps to
    # the counts instead of re-reading every copy relation of the store (the same table).
    relations = store.unlearned_copy_relations(new_ids)
    pairs = pairs_from_relations(relations)
    rows = tally(pairs)
    store.add_spin_substitutions(
        rows, learned_from=[(r.source_id, r.copy_id, r.kind) for r in relations]
    )
    return StageReport(
        "spin", {"relations": len(relations), "pairs": len(pairs), "substitutions": len(rows)}
    )
