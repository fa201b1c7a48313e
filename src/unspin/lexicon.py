"""Offline English tables (vocabulary, word neighbours, n-gram counts) for spin and provenance.

Built by ``scripts/build_spin_assets.py`` and shipped in ``unspin/assets/spin/``:

* ``vocab.txt``: 65,000 frequent English words (one per line; the line number is the id);
* ``lexicon.npz``: per word its Zipf frequency x 10 (``zipf``) and its 32 nearest words in
  an all-MiniLM-L6-v2 embedding (``nbr_idx`` ids, ``nbr_sim`` cosine x 255); and the
  counts of 2- and 3-word n-grams of offline prose (``ngram_keys`` sorted, ``ngram_counts``);
* ``thesaurus.npz``: the reverse thesaurus, for each word the words a thesaurus spinner
  may have replaced by it (WordNet 3.0 synonyms of any sense, CSR ``ptr``/``idx``);
* ``thesaurus_wide.npz``: the same from a much larger thesaurus (Moby Thesaurus II with
  the OpenOffice thesaurus, as npm ``moby`` 1.1.2 ships them): the loose synonyms
  ("clamor" for "noise", "framework" for "system") that WordNet's synsets miss;
* ``learned.tsv``: word substitutions (original, spun, count) seen in real spinner output;
* ``calibration.json``: logistic weights turning features into probabilities.

An n-gram key packs the word ids (plus one) of its words, 21 bits each, into a uint64, so
counts of thousands of candidate phrases are looked up with one ``np.searchsorted``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.errors import UnspinError

__all__ = ["ASSET_DIR", "ID_BITS", "Lexicon", "alarm_threshold", "load_lexicon", "pack"]

ASSET_DIR = Path(__file__).resolve().parent / "assets" / "spin"
ID_BITS = 21

U64 = npt.NDArray[np.uint64]


def pack(*ids: npt.NDArray[np.int64]) -> U64:
    """N-gram keys of word-id arrays (broadcast together); any id < 0 gives key 0 (unseen)."""
    key = np.zeros(np.broadcast(*ids).shape, np.uint64)
    bad = np.zeros(key.shape, bool)
    for a in ids:
        bad |= a < 0
        key = (key << np.uint64(ID_BITS)) | (np.maximum(a, 0).astype(np.uint64) + np.uint64(1))
    key[bad] = 0
    return key


def _find(table: U64, keys: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """Positions of ``keys`` in the sorted ``table`` and whether each is there (key 0 never is)."""
    if len(table) == 0:
        return np.zeros(keys.shape, np.intp), np.zeros(keys.shape, bool)
    pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return pos, (table[pos] == keys) & (keys != 0)


@dataclass(frozen=True)
class Lexicon:
    """Read-only tables for spin scoring; load once with :func:`load_lexicon`.

    Attributes:
        words: the vocabulary, by id.
        index: word -> id.
        zipf: Zipf frequency of each word (log10 per billion words + 3).
        nbr_idx: ``[V, K]`` ids of each word's nearest words.
        nbr_sim: ``[V, K]`` their cosine similarities in [0, 1].
        keys: sorted n-gram keys (see :func:`pack`).
        counts: the count of each key in the offline prose.
        learned: original -> spun -> count, from real spinner output.
        calibration: logistic weights for documents and sentences.
        antonyms: sorted keys (:func:`pack`) of ``(word, antonym)`` id pairs; never
            proposed as each other's original.
        thes_ptr, thes_idx: the reverse thesaurus (``thesaurus.npz``), CSR over the ids:
            ``thes_idx[thes_ptr[w]:thes_ptr[w + 1]]`` are the words a thesaurus spinner
            may have replaced by word ``w`` (WordNet 3.0 synonyms of any sense, in
            ``w``'s inflection).
        wide_ptr, wide_idx: the wide reverse thesaurus (``thesaurus_wide.npz``), the same
            CSR layout: originals from Moby Thesaurus II and the OpenOffice thesaurus,
            looser than WordNet's and many more (a median of about 60 per word).
    """

    words: tuple[str, ...]
    index: dict[str, int]
    zipf: npt.NDArray[np.float32]
    nbr_idx: npt.NDArray[np.int64]
    nbr_sim: npt.NDArray[np.float32]
    keys: U64
    counts: npt.NDArray[np.float32]
    learned: tuple[tuple[str, str, int], ...]
    calibration: dict[str, Any]
    antonyms: U64
    thes_ptr: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, np.int64))
    thes_idx: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    wide_ptr: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, np.int64))
    wide_idx: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    def ids(self, words: list[str]) -> npt.NDArray[np.int64]:
        """Word ids (-1 for words outside the vocabulary)."""
        get = self.index.get
        return np.fromiter((get(w, -1) for w in words), np.int64, len(words))

    def count(self, keys: U64) -> npt.NDArray[np.float32]:
        """Counts of n-gram ``keys`` (0 for unseen)."""
        flat = keys.ravel()
        pos, hit = _find(self.keys, flat)
        out = np.where(hit, self.counts[pos], 0.0).astype(np.float32)
        return out.reshape(keys.shape)

    def antonym(
        self, word: npt.NDArray[np.int64], other: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Whether each ``other`` id is an antonym of the ``word`` id beside it."""
        return _find(self.antonyms, pack(word, other))[1]

    def thesaurus(self, word: int) -> npt.NDArray[np.int64]:
        """Ids of the words a thesaurus spinner may have replaced by word id ``word``."""
        if word < 0 or word + 1 >= len(self.thes_ptr):
            return self.thes_idx[:0]
        return self.thes_idx[self.thes_ptr[word] : self.thes_ptr[word + 1]]

    def thesaurus_wide(self, word: int) -> npt.NDArray[np.int64]:
        """Ids of the originals the wide thesaurus (Moby, OpenOffice) gives word id ``word``."""
        if word < 0 or word + 1 >= len(self.wide_ptr):
            return self.wide_idx[:0]
        return self.wide_idx[self.wide_ptr[word] : self.wide_ptr[word + 1]]

    def phrase_count(self, words: list[str]) -> float:
        """Count of one 2- or 3-word phrase (0 when unseen or outside the vocabulary)."""
        ids = self.ids(words)
        if len(ids) not in (2, 3) or (ids < 0).any():
            return 0.0
        return float(self.count(pack(*[ids[i : i + 1] for i in range(len(ids))]))[0])

    def with_learned(self, learned: tuple[tuple[str, str, int], ...]) -> Lexicon:
        """The same tables with another set of learned substitutions."""
        return replace(self, learned=learned)


def read_learned(path: Path) -> tuple[tuple[str, str, int], ...]:
    """``(original, spun, count)`` rows of a learned-substitution TSV."""
    rows: list[tuple[str, str, int]] = []
    if not path.exists():
        return ()
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            rows.append((parts[0], parts[1], int(parts[2])))
    return tuple(rows)


# Used when calibration.json is absent or carries no threshold.
DEFAULT_ALARM_THRESHOLD = 0.99


def alarm_threshold(directory: Path = ASSET_DIR) -> float:
    """The document-probability alarm threshold stored with the shipped calibration."""
    try:
        calib = json.loads((directory / "calibration.json").read_text("utf-8"))
    except (OSError, ValueError):
        return DEFAULT_ALARM_THRESHOLD
    return float(calib.get("alarm_threshold", DEFAULT_ALARM_THRESHOLD))


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = ASSET_DIR, *, learned: bool = True) -> Lexicon:
    """Load the spin tables from ``directory`` (cached: the tables are read-only).

    Args:
        learned: include the shipped learned substitutions (``learned.tsv``: tortured
            phrases; ``learned_spinbot.tsv``: SpinBot's swaps in half A of its dev pairs);
            benchmarks that evaluate on the data those came from pass False.

    Raises:
        UnspinError: the asset files are missing or unreadable (rebuild them with
            ``scripts/build_spin_assets.py``).
    """
    try:
        words = tuple((directory / "vocab.txt").read_text("utf-8").split("\n")[:-1])
        with np.load(directory / "lexicon.npz") as z:
            zipf = z["zipf"].astype(np.float32) / 10.0
            nbr_idx = z["nbr_idx"].astype(np.int64)
            nbr_sim = z["nbr_sim"].astype(np.float32) / 255.0
            keys = z["ngram_keys"]
            counts = z["ngram_counts"].astype(np.float32)
            pairs = z["antonyms"].astype(np.int64) if "antonyms" in z.files else None
        thes_ptr, thes_idx = _csr(directory / "thesaurus.npz")
        wide_ptr, wide_idx = _csr(directory / "thesaurus_wide.npz")
    except (OSError, KeyError, ValueError) as exc:
        raise UnspinError(
            f"{directory}: spin assets missing or unreadable ({exc}); "
            "rebuild them with scripts/build_spin_assets.py"
        ) from exc
    calib_path = directory / "calibration.json"
    calibration = json.loads(calib_path.read_text("utf-8")) if calib_path.exists() else {}
    return Lexicon(
        words=words,
        index={w: i for i, w in enumerate(words)},
        zipf=zipf,
        nbr_idx=nbr_idx,
        nbr_sim=nbr_sim,
        keys=keys,
        counts=counts,
        learned=(
            read_learned(directory / "learned.tsv")
            + read_learned(directory / "learned_spinbot.tsv")
            if learned
            else ()
        ),
        calibration=calibration,
        antonyms=np.sort(pack(pairs[:, 0], pairs[:, 1]))
        if pairs is not None and len(pairs)
        else np.zeros(0, np.uint64),
        thes_ptr=thes_ptr,
        thes_idx=thes_idx,
        wide_ptr=wide_ptr,
        wide_idx=wide_idx,
    )


def _csr(path: Path) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``(ptr, idx)`` of a reverse-thesaurus file; empty when the file is absent."""
    if not path.exists():
        return np.zeros(1, np.int64), np.zeros(0, np.int64)
    with np.load(path) as t:
        return t["ptr"].astype(np.int64), t["idx"].astype(np.int64)
