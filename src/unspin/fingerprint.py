"""Fingerprints that find copies without comparing all pairs: MinHash and LSH bands.

Two fingerprints per article, each a MinHash signature over k-gram shingles, cut into
LSH bands whose hashes are the keys of the candidate index:

* **word** shingles (``k`` consecutive lower-cased words) find verbatim and hand-edited
  copies: most shingles survive added, cut or reordered sentences.
* **stable** shingles find machine-spun copies. A spinner swaps content words for
  synonyms, so nearly every word shingle breaks; but it leaves function words, numbers
  and names alone (DSpin, NDSS 2014). The sequence of those *stable* tokens, with the
  content words dropped, is almost the same in the source and its spun copy, and its
  k-grams are still specific to the text.

Two articles whose signatures agree on every row of some band share that band's key;
pairs sharing a key are candidates, verified by alignment (:mod:`unspin.align`).
MinHash is vectorised: all shingles of a batch are hashed, then one numpy expression
computes every permutation; :func:`minhash_reference` is the plain version the tests
hold it to.

Example:
    >>> fp = fingerprint("The storm hit the coast of Florida on Monday, said Mayor Jane Diaz.")
    >>> fp.keys.shape
    (56,)
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from unspin.text import FUNCTION_WORDS

__all__ = [
    "Fingerprint",
    "LshParams",
    "STABLE",
    "WORD",
    "band_keys",
    "fingerprint",
    "fingerprints",
    "minhash",
    "minhash_reference",
    "shingle_hashes",
    "stable_tokens",
]

U64 = npt.NDArray[np.uint64]

_MASK64 = (1 << 64) - 1
# Odd 64-bit multiplier of the rolling shingle hash and of the band-key combiner.
_ROLL = 0x9E3779B97F4A7C15
_SEED = 20140301  # fixed: fingerprints must agree across runs and machines


@dataclass(frozen=True)
class LshParams:
    """MinHash/LSH settings of one fingerprint kind.

    A pair of texts whose shingle sets have Jaccard similarity ``J`` shares at least one
    band key with probability ``1 - (1 - J**rows) ** bands``.

    Attributes:
        kind: 0 for word shingles, 1 for stable-token shingles (mixed into the keys).
        k: tokens per shingle.
        bands, rows: LSH bands and MinHash rows per band (``bands * rows`` permutations).
    """

    kind: int
    k: int
    bands: int
    rows: int

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows


# Word 5-grams, 32 bands of 3 rows: a pair with J = 0.3 is a candidate with p = 0.59,
# J = 0.4 with p = 0.88 (an edited copy that keeps half the source has J ~ 0.4-0.5).
# Set on bench/provenance_accuracy.py (edited copies, dev split) and
# bench/provenance_speed.py (candidates per query stay < 5 on 100k articles).
WORD = LshParams(kind=0, k=5, bands=32, rows=3)
# Stable-token 5-grams, 24 bands of 4 rows: J = 0.5 gives p = 0.79, J = 0.6 p = 0.96.
# Spun copies keep J ~ 0.8 even at 50 % substitution; independent same-story articles
# stay below J = 0.1 (bench/provenance_accuracy.py, ECB+).
STABLE = LshParams(kind=1, k=5, bands=24, rows=4)


@lru_cache(maxsize=8)
def _permutations(n: int, salt: int) -> tuple[U64, U64]:
    """Fixed-seed MinHash permutations (cached: pure, read-only arrays)."""
    rng = np.random.RandomState(_SEED + salt)
    a = rng.randint(0, 2**32, size=(n, 2), dtype=np.uint64)
    b = rng.randint(0, 2**32, size=(n, 2), dtype=np.uint64)
    mult = ((a[:, 0] << np.uint64(32)) | a[:, 1]) | np.uint64(1)  # odd multipliers
    add = (b[:, 0] << np.uint64(32)) | b[:, 1]
    mult.flags.writeable = False
    add.flags.writeable = False
    return mult, add


@dataclass(frozen=True)
class Fingerprint:
    """The LSH band keys of one article: word bands first, then stable bands.

    Attributes:
        keys: int64 keys, ``WORD.bands + STABLE.bands`` of them (the SQLite index keys).
        word_shingles, stable_shingles: how many shingles each signature summarises
            (0: too short to fingerprint that way; its keys are then never shared).
    """

    keys: npt.NDArray[np.int64]
    word_shingles: int
    stable_shingles: int

    @property
    def index_keys(self) -> npt.NDArray[np.int64]:
        """The keys worth indexing: those of kinds with at least one shingle."""
        parts = []
        if self.word_shingles:
            parts.append(self.keys[: WORD.bands])
        if self.stable_shingles:
            parts.append(self.keys[WORD.bands :])
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def stable_tokens(words_with_case: Iterable[tuple[str, bool]]) -> list[str]:
    """The tokens a spinner leaves alone: function words, numbers, names.

    Args:
        words_with_case: ``(word, sentence_start)`` pairs in text order.

    Returns:
        Lower-cased function words and numbers, and capitalised words that do not
        start a sentence (names), in order; every other word is dropped.
    """
    out: list[str] = []
    for word, starts in words_with_case:
        low = word.lower()
        if low in FUNCTION_WORDS or word[:1].isdigit() or (word[:1].isupper() and not starts):
            out.append(low)
    return out


# The word tokens of unspin.text.tokenize, plus the sentence-ending marks (one findall
# over strings is ~5x faster than building Token objects; fingerprints need no offsets).
_WORD_OR_STOP = re.compile(
    r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:\.[^\W\d_])+|\w+(?:['\-]\w+)*|[.!?]", re.UNICODE
)


def _split(text: str) -> tuple[list[str], list[str]]:
    """Lower-cased words and stable tokens of ``text``."""
    words: list[str] = []
    stable: list[str] = []
    start = True
    for tok in _WORD_OR_STOP.findall(text):
        if tok in ".!?":
            start = True
            continue
        low = tok.lower()
        words.append(low)
        if low in FUNCTION_WORDS or tok[:1].isdigit() or (tok[:1].isupper() and not start):
            stable.append(low)
        start = False
    return words, stable


def _word_hashes(tokens: Sequence[str], memo: dict[str, int]) -> U64:
    missing = set(tokens).difference(memo)
    for tok in missing:
        raw = tok.encode("utf-8")
        memo[tok] = (zlib.crc32(raw) << 32) | zlib.crc32(raw, 0x5BD1E995)
    return np.fromiter(map(memo.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(tokens: Sequence[str], k: int, memo: dict[str, int] | None = None) -> U64:
    """64-bit hashes of the k-grams of ``tokens`` (one shingle for shorter inputs).

    The hash of a k-gram is ``sum(h(t_j) * R**(k-1-j)) mod 2**64`` over its token
    hashes ``h`` (CRC-32 pairs), so equal k-grams hash equally in any text.
    """
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    th = _word_hashes(tokens, memo if memo is not None else {})
    k = min(k, len(th))
    n = len(th) - k + 1
    acc = th[:n].copy()
    roll = np.uint64(_ROLL)
    for j in range(1, k):
        acc = acc * roll + th[j : j + n]
    return acc


def minhash(hashes: U64, params: LshParams) -> U64:
    """The MinHash signature of a set of 64-bit shingle hashes (vectorised).

    Permutation ``i`` maps a hash ``x`` to ``((a_i * x + b_i) mod 2**64) >> 32``
    (multiply-shift hashing, odd ``a_i``); the signature holds each permutation's
    minimum. An empty set gives all ``2**32`` (larger than any value), never shared.
    """
    mult, add = _permutations(params.num_perm, params.kind)
    if len(hashes) == 0:
        return np.full(params.num_perm, 2**32, dtype=np.uint64)
    vals = (hashes[:, None] * mult[None, :] + add[None, :]) >> np.uint64(32)
    return np.asarray(vals.min(axis=0), dtype=np.uint64)


def minhash_reference(hashes: Iterable[int], params: LshParams) -> list[int]:
    """:func:`minhash` in plain Python integers: the definition the tests check against."""
    mult, add = _permutations(params.num_perm, params.kind)
    values = list(hashes)
    if not values:
        return [2**32] * params.num_perm
    return [
        min((((int(a) * x + int(b)) & _MASK64) >> 32) for x in values)
        for a, b in zip(mult, add, strict=True)
    ]


def _mix(x: U64) -> U64:
    """SplitMix64 finaliser: spreads band hashes over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def band_keys(signatures: U64, params: LshParams) -> npt.NDArray[np.int64]:
    """LSH band keys of MinHash signatures.

    Args:
        signatures: shape ``(num_perm,)`` or ``(n, num_perm)``.
        params: the kind's settings; its ``kind`` and the band number are mixed into
            each key, so keys of different bands or kinds never collide by design.

    Returns:
        int64 keys, shape ``(bands,)`` or ``(n, bands)``.
    """
    sig = np.atleast_2d(signatures).reshape(-1, params.bands, params.rows)
    acc = np.full(sig.shape[:2], params.kind * 1_000_003 + 1, dtype=np.uint64)
    acc = acc * np.uint64(_ROLL) + np.arange(params.bands, dtype=np.uint64)[None, :]
    for r in range(params.rows):
        acc = acc * np.uint64(_ROLL) + sig[:, :, r]
    keys = _mix(acc).view(np.int64)
    return keys[0] if np.ndim(signatures) == 1 else keys


def fingerprint(text: str, memo: dict[str, int] | None = None) -> Fingerprint:
    """The LSH band keys of one text (word bands, then stable-token bands).

    Args:
        text: an article's text.
        memo: optional token-hash cache shared across a batch (speed only).
    """
    memo = {} if memo is None else memo
    words, stable = _split(text)
    parts = []
    counts = []
    for params, tokens in ((WORD, words), (STABLE, stable)):
        hashes = np.unique(shingle_hashes(tokens, params.k, memo))
        counts.append(len(hashes))
        parts.append(band_keys(minhash(hashes, params), params))
    return Fingerprint(np.concatenate(parts), counts[0], counts[1])


def fingerprints(texts: Iterable[str]) -> list[Fingerprint]:
    """:func:`fingerprint` of many texts, sharing the token-hash cache.

    Text by text on purpose: one text's (shingles × permutations) matrix stays in the
    CPU cache; batching many texts into one numpy expression measured slower
    (bench/provenance_speed.py, batches of 4-128 news articles).
    """
    memo: dict[str, int] = {}
    return [fingerprint(t, memo) for t in texts]
