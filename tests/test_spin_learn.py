"""Learning spinner substitutions: word pairs, the store table, and restoration gains."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.lexicon import load_lexicon
from unspin.provenance.align import align
from unspin.spin.learn import pairs_from_phrases, tally
from unspin.spin.restore import Restorer
from unspin.store import Store


def pairs_from_texts(source: str, copy: str) -> list[tuple[str, str]]:
    """Word substitutions found by aligning a spun copy to its source, as provenance
    records them on a relation (the spin stage learns from those)."""
    return [
        p
        for sub in align(source, copy).substitutions
        for p in pairs_from_phrases(sub.source, sub.copy)
    ]


@pytest.mark.parametrize(
    ("original", "spun", "pairs"),
    [
        ("random forest", "irregular woodland", [("random", "irregular"), ("forest", "woodland")]),
        ("signal to noise", "flag to commotion", [("signal", "flag"), ("noise", "commotion")]),
        ("deep learning", "deep learning", []),
        ("deep learning", "profound gaining knowledge", []),
    ],
)
def test_pairs_from_phrases(original: str, spun: str, pairs: list[tuple[str, str]]) -> None:
    assert pairs_from_phrases(original, spun) == pairs


@given(
    st.lists(
        st.sampled_from(["storm", "coast", "the", "hit", "on", "monday"]), min_size=1, max_size=12
    )
)
def test_a_phrase_against_itself_gives_no_pairs(words: list[str]) -> None:
    phrase = " ".join(words)
    assert pairs_from_phrases(phrase, phrase) == []


def test_tally_counts_repeats() -> None:
    assert tally([("a", "b"), ("a", "b"), ("c", "d")]) == (("a", "b", 2), ("c", "d", 1))


# Our own source sentences, spun by a made-up spinner that writes odd words for common ones.
_SPINNER = {
    "network": "organization",
    "signal": "flag",
    "learning": "gaining",
    "forest": "woodland",
    "noise": "commotion",
}
_SOURCES = [
    "The engineers trained a network on the new data over the weekend, and the results "
    "were published by the team on Monday after a long review by outside experts.",
    "A weak signal was recorded by the station near the coast, and the operators said "
    "the noise came from a storm that passed over the bay late on Tuesday night.",
    "Students in the learning programme walked through the forest with their teachers "
    "and counted the birds they heard, as they have done every spring since 2015.",
]


def _spin(text: str) -> str:
    return " ".join(_SPINNER.get(w, w) for w in text.split(" "))


def test_pairs_from_aligned_texts_recover_the_spinner() -> None:
    pairs = set()
    for src in _SOURCES:
        pairs.update(pairs_from_texts(src, _spin(src)))
    assert pairs == set(_SPINNER.items())


def test_restoration_improves_after_learning_from_traced_pairs() -> None:
    lex = load_lexicon(learned=False)
    test_phrases = [
        ("neural organization", "neural network"),
        ("flag processing", "signal processing"),
        ("machine gaining", "machine learning"),
        ("rain woodland", "rain forest"),
        ("background commotion", "background noise"),
    ]

    def accuracy(restorer: Restorer) -> float:
        return sum(restorer.restore_phrase(s, k=1)[:1] == [e] for s, e in test_phrases) / len(
            test_phrases
        )

    before = accuracy(Restorer(lex))
    pairs = [p for src in _SOURCES for p in pairs_from_texts(src, _spin(src))]
    after = accuracy(Restorer(lex.with_learned(tally(pairs))))
    assert after > before
    assert after >= 0.8


def test_store_keeps_learned_substitutions(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Store(db) as store:
        assert "0005_spin" in store.schema_version()
        assert store.spin_substitutions() == ()
        store.put_spin_substitutions([("network", "organization", 2), ("forest", "woodland", 1)])
        store.put_spin_substitutions([("network", "organization", 3)])
        assert store.spin_substitutions() == (("network", "organization", 3),)


def test_adding_a_spun_copy_teaches_its_swaps(tmp_path: Path) -> None:
    from provenance_samples import ORIGINAL, spin
    from unspin.api import Unspin

    spun, _ = spin(ORIGINAL, 0.5, seed=3)
    with Unspin(tmp_path / "t.db") as u:
        u.add_text(ORIGINAL)
        report = u.add_text(spun)
        assert report.stages.get("spin", {}).get("substitutions", 0) > 0
        learned = u.store.spin_substitutions()
        assert learned
        assert all(orig.lower() in ORIGINAL.lower() for orig, _, _ in learned)
        assert u.learn_spin()["substitutions"] == len(learned)


def test_learning_add_by_add_gives_the_table_of_learning_everything(tmp_path: Path) -> None:
    """The pipeline adds each new copy relation's swaps to the learned counts: after every
    add, and after a provenance rebuild, the table is the one re-learning every stored
    copy relation gives."""
    from _corpus import articles
    from unspin.api import Unspin
    from unspin.ingest import article_from_text
    from unspin.spin.learn import learn_from_store

    records = articles(60, seed=5)
    incremental: list[bool] = []

    def relearned(store: Store) -> tuple[tuple[str, str, int], ...]:
        copy = tmp_path / "copy.db"
        copy.unlink(missing_ok=True)
        store.conn.execute("VACUUM INTO ?", (str(copy),))
        with Store(copy) as other:
            learn_from_store(other)
            return other.spin_substitutions()

    with Unspin(tmp_path / "t.db") as u:
        for k in range(0, len(records), 15):
            for r in records[k : k + 15]:
                u.store.put_articles([article_from_text(r["text"], source="t", title=r["title"])])
            stages = u.resume()
            assert u.store.unlearned_copy_ids() == []
            assert u.store.spin_substitutions() == relearned(u.store)
            read = stages.get("spin", {}).get("relations", 0)
            incremental.append(0 < read < len(u.store.copy_relations()))
        assert u.store.spin_substitutions(), "the batch's copies taught some swaps"
        assert any(incremental), "later adds read only their own relations"
        u.rebuild_provenance()
        assert not u.store.spin_learned_current()
        u.store.put_articles([article_from_text(records[3]["text"] + " Extra words.", source="t")])
        u.resume()
        assert u.store.spin_learned_current()
        assert u.store.spin_substitutions() == relearned(u.store)
