"""The reverse thesaurus: originals a thesaurus spinner may have replaced by a word."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from unspin.lexicon import ASSET_DIR, Lexicon, load_lexicon
from unspin.spin.restore import Restorer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon(learned=False)


def _originals(lex: Lexicon, word: str) -> set[str]:
    return {lex.words[int(i)] for i in lex.thesaurus(lex.index[word])}


def _without_thesaurus(lex: Lexicon) -> Lexicon:
    return dataclasses.replace(lex, thes_ptr=np.zeros(1, np.int64), thes_idx=np.zeros(0, np.int64))


def test_originals_keep_the_inflection_of_the_written_word(lex: Lexicon) -> None:
    assert {"mentioned", "commented"} <= _originals(lex, "remarked")
    assert {"strict", "stringent"} <= _originals(lex, "rigorous")
    assert "fake" in _originals(lex, "counterfeit")
    # Forms of another inflection, and of the word's own lemma, are no swaps.
    assert not {"mention", "comment", "remarks", "remark"} & _originals(lex, "remarked")
    assert "tights" not in _originals(lex, "rigorous")


def test_a_word_outside_the_vocabulary_or_without_synonyms_has_none(lex: Lexicon) -> None:
    assert len(lex.thesaurus(-1)) == 0
    assert len(lex.thesaurus(len(lex.words) + 5)) == 0
    assert len(_without_thesaurus(lex).thesaurus(lex.index["remarked"])) == 0


def test_thesaurus_originals_are_restoration_candidates(lex: Lexicon) -> None:
    words = {o.word for o in Restorer(lex).options("rigorous")}
    bare = {o.word for o in Restorer(_without_thesaurus(lex)).options("rigorous")}
    assert {"strict", "stringent"} <= words
    assert not {"strict", "stringent"} & bare  # only the thesaurus proposes them
    # Antonyms and number words stay barred, whatever the thesaurus lists.
    assert "small" not in {o.word for o in Restorer(lex).options("huge")}


def test_a_thesaurus_swap_no_neighbour_reaches_is_restored_without_learning(
    lex: Lexicon,
) -> None:
    restorer = Restorer(lex)
    assert restorer.restore_phrase("a fatal sickness")[0] == "a terminal illness"
    assert "a terminal illness" not in Restorer(_without_thesaurus(lex)).restore_phrase(
        "a fatal sickness"
    )


def test_the_shipped_thesaurus_is_what_the_build_step_makes() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_spin_assets", ROOT / "scripts" / "build_spin_assets.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    words = (ASSET_DIR / "vocab.txt").read_text("utf-8").split("\n")[:-1]
    ptr, idx = build.reverse_thesaurus(words)
    with np.load(ASSET_DIR / "thesaurus.npz") as shipped:
        assert np.array_equal(shipped["ptr"], ptr)
        assert np.array_equal(shipped["idx"], idx)
