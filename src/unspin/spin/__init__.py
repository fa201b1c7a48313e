"""Spin detection and restoration without the source (issue 8).

* :mod:`unspin.lexicon` loads the offline tables (vocabulary, embedding neighbours,
  n-gram counts, learned substitutions, calibration);
* :mod:`unspin.spin.restore` ranks likely originals of spun words and phrases;
* :mod:`unspin.spin.detect` scores texts: flagged spans, sentence and document
  probabilities, "cannot judge" reasons;
* :mod:`unspin.spin.learn` turns provenance alignments into learned substitutions.

Example:
    >>> from unspin.spin import detector
    >>> report = detector().judge(text)  # doctest: +SKIP
    >>> report.verdict, [s.suggestion for s in report.spans]  # doctest: +SKIP
"""

from __future__ import annotations

from functools import lru_cache

from unspin.lexicon import Lexicon, load_lexicon
from unspin.spin.detect import ALARM_THRESHOLD, MIN_WORDS, Detector, cannot_judge_reason
from unspin.spin.restore import Restorer, Weights

__all__ = [
    "ALARM_THRESHOLD",
    "MIN_WORDS",
    "Detector",
    "Lexicon",
    "Restorer",
    "Weights",
    "cannot_judge_reason",
    "detector",
    "load_lexicon",
    "looks_like_id",
]


@lru_cache(maxsize=4)
def detector(learned: tuple[tuple[str, str, int], ...] = ()) -> Detector:
    """A detector over the shipped assets, plus ``learned`` (original, spun, count) rows.

    Cached per set of learned rows: building the restorer costs ~70 ms and the web
    article page asks for a detector on every request (bench/web_speed.py).
    """
    lex = load_lexicon()
    if learned:
        lex = lex.with_learned(lex.learned + learned)
    return Detector(lex, traced=frozenset((orig, spun) for orig, spun, _ in learned))


def looks_like_id(value: str) -> bool:
    """True when ``value`` reads as an article id or prefix rather than a text."""
    v = value.strip()
    return 4 <= len(v) <= 40 and all(c in "0123456789abcdef" for c in v.lower())
