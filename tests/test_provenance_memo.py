"""Per-text results remembered within a budget (unspin.provenance.memo) and the
verification caches built on it."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.provenance.align import word_tokens
from unspin.provenance.memo import TextMemo
from unspin.provenance.names import names
from unspin.text import word_spans


def test_each_text_is_computed_once_while_it_fits() -> None:
    calls: list[str] = []

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    memo = TextMemo(compute, budget=100)
    assert [memo(t) for t in ("storm", "coast", "storm", "coast")] == [5, 5, 5, 5]
    assert calls == ["storm", "coast"]
    assert len(memo) == 2


def test_the_least_recently_used_text_leaves_first_when_over_budget() -> None:
    calls: list[str] = []

    def compute(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo = TextMemo(compute, budget=12)
    memo("aaaa")
    memo("bbbb")
    memo("aaaa")  # now the most recent
    memo("cccc")  # 12 characters: all three fit
    memo("dddd")  # 16: the least recently used ("bbbb") leaves
    assert len(memo) == 3
    memo("aaaa")
    memo("bbbb")  # computed again
    assert calls == ["aaaa", "bbbb", "cccc", "dddd", "bbbb"]


def test_a_text_longer_than_the_budget_is_still_answered() -> None:
    memo = TextMemo(len, budget=3)
    assert memo("a long text") == 11
    assert memo("xy") == 2
    assert len(memo) == 1  # the long one left to make room


def test_clear_forgets_everything() -> None:
    calls: list[str] = []
    memo = TextMemo(lambda t: calls.append(t) or t, budget=100)
    memo("storm")
    memo.clear()
    memo("storm")
    assert calls == ["storm", "storm"] and len(memo) == 1


def test_threads_get_the_values_one_thread_gets() -> None:
    memo = TextMemo(lambda t: t[::-1], budget=40)
    texts = [f"text {k}" for k in range(30)]
    results: list[list[str]] = []

    def work() -> None:
        results.append([memo(t) for t in texts * 5])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == [t[::-1] for t in texts * 5] for r in results)
    assert memo._chars <= memo.budget  # noqa: SLF001 - the budget holds under threads


WORDS = st.sampled_from(
    ["The", "storm", "hit", "U.S.", "Ortiz", "300", "1,000", "said", "_x", "it's", ".", "!", "\n"]
)


@given(st.lists(WORDS, max_size=60).map(" ".join))
@settings(max_examples=80, deadline=None)
def test_remembered_tokens_are_the_word_spans(text: str) -> None:
    lower, starts, ends = word_spans(text)
    for _ in range(2):  # computed, then remembered
        w = word_tokens(text)
        assert (w.lower, list(w.starts), list(w.ends)) == (lower, starts, ends)


def test_remembered_names_are_the_same_set() -> None:
    text = "Mayor Ortiz said 300 homes flooded. The river rose in Riverton."
    assert names(text) == names(text) == frozenset({"ortiz", "300", "riverton"})
