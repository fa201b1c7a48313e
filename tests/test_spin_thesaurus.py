"""The reverse thesaurus: originals a thesaurus spinner may have replaced by a word."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
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
    """``lex`` without either reverse thesaurus (WordNet's and the wide one)."""
    return dataclasses.replace(
        lex,
        thes_ptr=np.zeros(1, np.int64),
        thes_idx=np.zeros(0, np.int64),
        wide_ptr=np.zeros(1, np.int64),
        wide_idx=np.zeros(0, np.int64),
    )


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
    # WordNet's synsets alone put it first; with the wide thesaurus it stays among the
    # first proposals ("a serious illness" goes first: Moby lists "fatal" for "serious").
    assert Restorer(_without_wide(lex)).restore_phrase("a fatal sickness")[0] == (
        "a terminal illness"
    )
    assert "a terminal illness" in Restorer(lex).restore_phrase("a fatal sickness")[:3]
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


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_spin_assets", ROOT / "scripts" / "build_spin_assets.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def _without_wide(lex: Lexicon) -> Lexicon:
    return dataclasses.replace(lex, wide_ptr=np.zeros(1, np.int64), wide_idx=np.zeros(0, np.int64))


def test_a_moby_file_is_read_both_ways_and_one_word_entries_only(tmp_path: Path) -> None:
    moby = tmp_path / "words.txt"
    moby.write_text(
        "noise,clamor,din,hue and cry,racket\nsystem,framework,scheme\nset piece,tableau\n",
        "utf-8",
    )
    syn = _build_module().moby_synonyms(moby)
    assert syn["noise"] == {"clamor", "din", "racket"}  # "hue and cry" is no single word
    assert syn["clamor"] == {"noise"}  # the head is each synonym's synonym too
    assert syn["framework"] == {"system"}
    assert "tableau" not in syn and "set piece" not in syn  # a multiword head is skipped


def test_wide_originals_take_the_written_words_inflection(tmp_path: Path) -> None:
    moby = tmp_path / "words.txt"
    moby.write_text("noise,clamor,din\nsystem,framework\n", "utf-8")
    build = _build_module()
    words = ["noise", "noises", "clamor", "clamors", "din", "system", "systems", "framework"]
    ptr, idx = build.reverse_thesaurus(words, build.moby_synonyms(moby))

    def originals(word: str) -> set[str]:
        i = words.index(word)
        return {words[int(j)] for j in idx[ptr[i] : ptr[i + 1]]}

    assert originals("clamor") == {"noise"}  # "din" is a synonym of noise, not of clamor
    assert originals("clamors") == {"noises"}  # plural for plural, not "noise"
    assert originals("framework") == {"system"}


def test_the_shipped_wide_thesaurus_names_its_source() -> None:
    record = json.loads((ASSET_DIR / "thesaurus_wide.build.json").read_text("utf-8"))
    assert "moby 1.1.2" in record["source"] and len(record["sha256"]) == 64
    with np.load(ASSET_DIR / "thesaurus_wide.npz") as shipped:
        assert len(shipped["idx"]) == record["pairs"]
        assert int((np.diff(shipped["ptr"]) > 0).sum()) == record["words_with_originals"]


def test_wide_originals_are_candidates_dearer_than_wordnet_ones(lex: Lexicon) -> None:
    wide = {o.word: o.score for o in Restorer(lex).options("framework")}
    bare = {o.word for o in Restorer(_without_wide(lex)).options("framework")}
    assert "system" in wide and "system" not in bare  # only Moby lists it
    assert "model" in wide  # a WordNet original, cheaper: the wide tier never overrides it
    assert wide["model"] > wide["system"] - Restorer(lex).w.zipf * 3.0 - 1e-6
    assert "small" not in {o.word for o in Restorer(lex).options("colossal")}  # antonym


def test_a_loose_synonym_only_the_wide_thesaurus_knows_is_restored(lex: Lexicon) -> None:
    assert Restorer(lex).restore_phrase("a deafening clamor")[0] == "a loud noise"
    assert "a loud noise" not in Restorer(_without_wide(lex)).restore_phrase("a deafening clamor")


def test_a_word_a_learned_table_explains_gets_no_wide_originals(lex: Lexicon) -> None:
    """Where a spinner's learned swaps explain a word, loose synonyms would only compete."""

    def wide_only(restorer: Restorer) -> set[str]:
        narrow = {o.word for o in Restorer(_without_wide(restorer.lex)).options("clamor")}
        return {o.word for o in restorer.options("clamor")} - narrow

    assert "demand" in wide_only(Restorer(lex))
    learned = Restorer(lex.with_learned((("noise", "clamor", 3),)))
    assert wide_only(learned) == set()
    assert "noise" in {o.word for o in learned.options("clamor")}
