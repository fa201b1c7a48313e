"""The sequence matcher every word alignment uses: :class:`difflib.SequenceMatcher`.

When CyDifflib (PyPI ``cydifflib``, MIT: a compiled copy of the standard library's
difflib, a default dependency) is installed, its ``SequenceMatcher`` is used: the same
algorithm with the same results (tests/test_seqmatch.py holds them equal), about five
times faster on news-length word lists, where provenance spends most of its
verification time. Without it, the standard library's.

Example:
    >>> SequenceMatcher(None, "a b c".split(), "a x c".split(), autojunk=False).ratio()
    0.6666666666666666
"""

from __future__ import annotations

import difflib
from typing import Any

__all__ = ["STDLIB", "SequenceMatcher"]

# The standard library's matcher, the reference the compiled one is tested against.
STDLIB = difflib.SequenceMatcher

try:
    from cydifflib import SequenceMatcher as _compiled
except ImportError:  # pragma: no cover - cydifflib is a default dependency
    _compiled = None

SequenceMatcher: type[difflib.SequenceMatcher[Any]] = _compiled or STDLIB
