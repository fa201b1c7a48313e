"""What verification computes per text (word tokens, names), remembered within a budget.

Verifying candidate pairs tokenises both texts of every pair. A text meets many
candidates: a new article each of its own in turn, and in a rebuild every article about
a dozen partners scattered over the whole run (the candidate pairs of the 20,000
articles of bench/provenance_speed.py name each article in 18 pairs on average). With
the 64 texts a plain ``lru_cache`` kept, nearly every partner was tokenised again:
tokens and names were two thirds of the 0.38 ms a pair cost.

:class:`TextMemo` keeps the results of the texts met last, evicting the least recently
used, within a budget counted in characters of text (what memory grows with, unlike a
count of entries: a text's tokens grow with its length). Callers keep the values
compact (interned strings, ``array`` offsets), so the budget's 24 million characters
(about 14,000 news articles) hold about 110 MB of tokens per process, which a rebuild's
verification reuses: 0.38 -> 0.20 ms a pair over the pairs of that bench (one process).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["DEFAULT_BUDGET", "TextMemo"]

T = TypeVar("T")

# Characters of text whose results a memo keeps (about 14,000 articles of 1,700).
DEFAULT_BUDGET = 24_000_000


class TextMemo(Generic[T]):
    """``compute(text)`` remembered for the texts met last, within ``budget`` characters.

    Thread-safe: a value is computed outside the lock (two threads may compute the same
    text once each; both get equal values).

    Example:
        >>> lengths = TextMemo(len, budget=12)
        >>> lengths("storm"), lengths("tempest"), len(lengths)
        (5, 7, 2)
        >>> lengths("coast"), len(lengths)  # "storm" leaves: 5 + 7 + 5 > 12
        (5, 2)
    """

    def __init__(self, compute: Callable[[str], T], budget: int = DEFAULT_BUDGET) -> None:
        self._compute = compute
        self.budget = budget
        self._items: OrderedDict[str, T] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __call__(self, text: str) -> T:
        with self._lock:
            try:
                self._items.move_to_end(text)
                return self._items[text]
            except KeyError:
                pass
        value = self._compute(text)
        with self._lock:
            if text not in self._items:
                self._items[text] = value
                self._chars += len(text)
                while self._chars > self.budget and len(self._items) > 1:
                    old, _ = self._items.popitem(last=False)
                    self._chars -= len(old)
        return value

    def clear(self) -> None:
        """Forget every text."""
        with self._lock:
            self._items.clear()
            self._chars = 0
