"""A bare relation of a given kind between two stored articles, for the store tests that
read relations back by kind, copy or confidence (no alignment evidence)."""

from __future__ import annotations

from unspin.model import Relation


def relation(source: str, copy: str, kind: str, confidence: float = 0.9) -> Relation:
    return Relation(
        source_id=source,
        copy_id=copy,
        kind=kind,
        confidence=confidence,
        reused=0.5,
        coverage=0.5,
        substitution_rate=0.1,
        direction="test",
    )
