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
pairs sharing a key are candidates, verified by alignment (:mod:`unspin.provenance.align`).
Vectorised over a batch of texts (:func:`fingerprints`): the only per-token Python work
is one regex findall per text and one dict lookup per token (:class:`TokenTable` gives
each distinct token an id and lower-cases, hashes and classifies it once); sentence
starts, the stable-token mask, the k-gram hashes of all texts laid end to end, MinHash
(per-text minima by ``np.minimum.reduceat`` over cache-sized blocks) and band keys are
numpy over the whole batch. One text is a batch of one, so the incremental path runs
the same code. :func:`shingle_hashes` and :func:`minhash_reference` are the plain
definitions the tests hold the batch path to (bit-identical keys).

Example:
    >>> fp = fingerprint("The storm hit the coast of Florida on Monday, said Mayor Jane Diaz.")
    >>> fp.keys.shape
    (56,)
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.text import FUNCTION_WORDS
from unspin.workers import thread_map

__all__ = [
    "ANCHOR_KINDS",
    "Fingerprint",
    "TokenTable",
    "anchor_kind",
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
# Set on bench/provenance_accuracy.py (edited copies, dev split: every edited copy
# becomes a candidate) and bench/provenance_speed.py (20k articles of re-mixed real
# sentences: 0.37 candidates per article, all injected copies among them).
WORD = LshParams(kind=0, k=5, bands=32, rows=3)
# Stable-token 5-grams, 24 bands of 4 rows: J = 0.5 gives p = 0.79, J = 0.6 p = 0.96.
# Spun copies keep J ~ 0.8 even at 50 % substitution; independent same-story articles
# stay below J = 0.1 (bench/provenance_accuracy.py, ECB+).
STABLE = LshParams(kind=1, k=5, bands=24, rows=4)


# Anchors: shingles kept when a hash of them is 0 modulo the rate (content-defined
# sampling: two texts sharing a passage keep the same shingles of it, whatever their
# lengths). Set on the ECB+ dev wire copies (reuse_pairs_dev.jsonl, label copy) and the
# SpinBot dev pairs, scripts in bench/provenance_accuracy.py:
# - word 5-grams, 1 in 8: every wire-copy pair shares >= 2 (1 in 16 loses 16 of 128);
# - stable-token 3-grams, 1 in 2: 64 of 65 SpinBot pairs share >= 2 (5-grams or 1 in 4
#   lose 3 to 7: a real spinner also rewrites some function words);
# - names and numbers (capitalised words inside a sentence, figures), all of them: what a
#   language-model rewrite keeps when it rewords every sentence.
ANCHOR_WORD = LshParams(kind=1, k=5, bands=0, rows=8)
ANCHOR_STABLE = LshParams(kind=2, k=3, bands=0, rows=2)
ANCHOR_NAME = 3
ANCHOR_KINDS = {1: "word", 2: "stable", 3: "name"}


def anchor_kind(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The kind of each anchor key: 1 word shingle, 2 stable shingle, 3 name or number."""
    return keys & 3


def _anchor_keys(
    hashes: U64, kind: int, rate: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Anchor keys of shingle or token hashes, and which of them the sample keeps.

    A hash is kept when its mix is 0 modulo ``rate``; its key is that mix with the kind
    in the low 2 bits.
    """
    mixed = _mix(hashes ^ np.uint64((kind * 0x5851F42D4C957F2D) & _MASK64))
    keep = mixed % np.uint64(rate) == 0 if rate > 1 else np.ones(len(mixed), dtype=bool)
    keys = (mixed[keep] & ~np.uint64(3)) | np.uint64(kind)
    return keys.view(np.int64), keep


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
        word_shingles, stable_shingles: how many shingles (k-gram positions, repeats
            included) each signature summarises (0: too short to fingerprint that way;
            its keys are then never shared).
        anchors: sorted distinct anchor keys (:func:`anchor_kind` tells their kind): a
            content-defined sample of the text's word and stable shingles, and its names
            and numbers. Unlike the bands they find a copy by *containment*: a brief
            inside a long article, or one spun paragraph in a roundup, shares anchors
            with its source whatever else either text holds.
    """

    keys: npt.NDArray[np.int64]
    word_shingles: int
    stable_shingles: int
    anchors: npt.NDArray[np.int64] = field(default_factory=lambda: np.empty(0, dtype=np.int64))

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
# Same matches as tokenize's pattern; possessive quantifiers and the letter branch first
# only spare the regex engine its backtracking (~35 % faster, bench/provenance_speed.py).
_WORD_OR_STOP = re.compile(
    r"[^\W\d_]++(?:\.[^\W\d_])++|\d++(?:[.,:]\d+)*+|\w++(?:['\-]\w++)*+|[.!?]", re.UNICODE
)
_STOPS = frozenset(".!?")
# Texts fingerprinted per numpy pass: large enough to amortise numpy's per-call cost,
# small enough that a batch's token strings stay ~20 MiB (bench/provenance_speed.py).
_BATCH = 1000
# Shingles per MinHash block: a (block x permutations) uint64 matrix of 1.5 MiB, so it
# stays in L2 cache between the multiply, the add and the per-text minimum (2048 vs
# 512-4096 measured flat within 10 %, bench/provenance_speed.py texts).
_BLOCK = 2048
# Distinct whitespace chunks a TokenTable remembers before starting afresh (~30 MiB).
_MAX_CHUNKS = 200_000


def _token_hash(token: str) -> int:
    """Stable 64-bit hash of one lower-cased token (two CRC-32s of its UTF-8 bytes)."""
    raw = token.encode("utf-8")
    return (zlib.crc32(raw) << 32) | zlib.crc32(raw, 0x5BD1E995)


class TokenTable(dict[str, int]):
    """Token string → id, with per-id arrays of what fingerprints need to know.

    Looking a token up is one C-level dict access (``__missing__`` only runs for a token
    never seen); each distinct token is lower-cased, hashed and classified once. Texts
    are split on whitespace first and each distinct chunk (``"Monday,"``) is run
    through the token regex once and remembered as its token ids: no token spans
    whitespace, so this gives the same tokens as one findall over the text, at a
    fraction of the cost (news chunks repeat). Share one table across the batches of a
    job; tokens are kept, chunks forgotten past :data:`_MAX_CHUNKS`.

    Attributes:
        hashes: uint64 hash of each token's lower-cased form (:func:`_token_hash`).
        stops: the token is a sentence end (``.``, ``!``, ``?``).
        kept: lower-cased form is a function word, or the token starts with a digit.
        capital: the token starts with an upper-case letter (a name unless it starts
            a sentence).
        digit: the token starts with a digit (a number).
    """

    def __init__(self) -> None:
        super().__init__()
        self._new: list[str] = []
        self._chunks = _Chunks(self)
        self.hashes: U64 = np.empty(0, dtype=np.uint64)
        self.stops = np.empty(0, dtype=bool)
        self.kept = np.empty(0, dtype=bool)
        self.capital = np.empty(0, dtype=bool)
        self.digit = np.empty(0, dtype=bool)

    def __missing__(self, token: str) -> int:
        idx = self[token] = len(self)
        self._new.append(token)
        return idx

    def ids(self, tokens: list[str]) -> npt.NDArray[np.intp]:
        """The ids of ``tokens`` (new ones are added and classified)."""
        out = np.fromiter(map(self.__getitem__, tokens), dtype=np.intp, count=len(tokens))
        self._classify_new()
        return out

    def text_ids(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """The token ids of ``texts`` laid end to end, and each text's token count."""
        if len(self._chunks) > _MAX_CHUNKS:
            self._chunks.clear()
        chunk_ids = self._chunks.__getitem__
        per_text = [list(map(chunk_ids, t.split())) for t in texts]
        lens = np.fromiter((sum(map(len, p)) for p in per_text), np.intp, len(per_text))
        flat = chain.from_iterable(chain.from_iterable(per_text))
        out = np.fromiter(flat, dtype=np.intp, count=int(lens.sum()))
        self._classify_new()
        return out, lens

    def _classify_new(self) -> None:
        if not self._new:
            return
        new, self._new = self._new, []
        low = [t.lower() for t in new]
        self.hashes = np.concatenate(
            (self.hashes, np.fromiter(map(_token_hash, low), np.uint64, len(low)))
        )
        self.stops = np.concatenate((self.stops, [t in _STOPS for t in new]))
        self.kept = np.concatenate(
            (self.kept, [w in FUNCTION_WORDS or w[:1].isdigit() for w in low])
        )
        self.capital = np.concatenate((self.capital, [t[:1].isupper() for t in new]))
        self.digit = np.concatenate((self.digit, [t[:1].isdigit() for t in new]))


class _Chunks(dict[str, tuple[int, ...]]):
    """Whitespace-free chunk of text → the ids of its tokens (the regex, memoised)."""

    def __init__(self, tokens: TokenTable) -> None:
        super().__init__()
        self._tokens = tokens

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids = self[chunk] = tuple(map(self._tokens.__getitem__, _WORD_OR_STOP.findall(chunk)))
        return ids


def shingle_hashes(tokens: Sequence[str], k: int, memo: dict[str, int] | None = None) -> U64:
    """64-bit hashes of the k-grams of ``tokens`` (one shingle for shorter inputs).

    The hash of a k-gram is ``sum(h(t_j) * R**(k-1-j)) mod 2**64`` over its token
    hashes ``h`` (:func:`_token_hash` of the lower-cased token), so equal k-grams hash
    equally in any text. The reference for the batch path of :func:`fingerprints`.
    """
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    memo = {} if memo is None else memo
    for tok in set(tokens).difference(memo):
        memo[tok] = _token_hash(tok.lower())
    th = np.fromiter(map(memo.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    return _roll(th, min(k, len(th)))


def _roll(th: U64, k: int) -> U64:
    """k-gram hashes of consecutive token hashes (``len(th) - k + 1`` of them)."""
    n = len(th) - k + 1
    acc = th[:n].copy()
    roll = np.uint64(_ROLL)
    for j in range(1, k):
        acc *= roll
        acc += th[j : j + n]
    return acc


def _doc_shingles(
    th: U64, lens: npt.NDArray[np.intp], k: int
) -> tuple[U64, npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """k-gram hashes of many token sequences laid end to end.

    Args:
        th: token hashes of all sequences, concatenated.
        lens: each sequence's length.
        k: tokens per shingle; a sequence shorter than ``k`` (but not empty) gives one
            shingle of all its tokens, as :func:`shingle_hashes` does.

    Returns:
        ``(hashes, starts, counts)``: every sequence's shingles in sequence order, the
        offset of each sequence's first shingle, and how many each has.
    """
    ends = np.cumsum(lens)
    begins = ends - lens
    counts = np.where(lens >= k, lens - k + 1, np.minimum(lens, 1))
    starts = np.cumsum(counts) - counts
    out = np.empty(int(counts.sum()), dtype=np.uint64)
    full = np.flatnonzero(lens >= k)
    if len(full):
        rolled = _roll(th, k)  # windows straddling two sequences are computed, never used
        step = np.arange(int(counts[full].sum()))
        compact = np.repeat(np.cumsum(counts[full]) - counts[full], counts[full])
        token_pos = np.repeat(begins[full], counts[full]) + step - compact
        out_pos = np.repeat(starts[full], counts[full]) + step - compact
        out[out_pos] = rolled[token_pos]
    for d in np.flatnonzero((lens < k) & (lens > 0)):
        out[starts[d]] = _roll(th[begins[d] : ends[d]], int(lens[d]))[0]
    return out, starts, counts


def _minhash_many(
    hashes: U64, starts: npt.NDArray[np.intp], counts: npt.NDArray[np.intp], params: LshParams
) -> U64:
    """MinHash signatures of many shingle sets laid end to end: ``(len(counts), num_perm)``.

    Permutation ``i`` maps ``x`` to ``((a_i * x + b_i) mod 2**64) >> 32``; the shift is
    monotone, so it is applied to the per-set minima only. Sets are processed in blocks
    of about :data:`_BLOCK` shingles, each reduced with one ``np.minimum.reduceat``.
    """
    mult, add = _permutations(params.num_perm, params.kind)
    sig = np.full((len(counts), params.num_perm), 2**32, dtype=np.uint64)
    docs = np.flatnonzero(counts)
    if not len(docs):
        return sig
    first = starts[docs]
    ends = first + counts[docs]
    # Cut the non-empty sets into groups of about _BLOCK shingles (a bigger set alone).
    cuts = np.searchsorted(ends, np.arange(_BLOCK, int(ends[-1]), _BLOCK), side="left")
    bounds = np.unique(np.concatenate(([0], cuts + 1, [len(docs)])))
    bounds = bounds[bounds <= len(docs)]
    buf = np.empty((_BLOCK * 2, params.num_perm), dtype=np.uint64)  # reused: no page faults
    for g0, g1 in zip(bounds[:-1], bounds[1:], strict=True):
        lo, hi = int(first[g0]), int(ends[g1 - 1])
        block = (
            buf[: hi - lo]
            if hi - lo <= len(buf)
            else np.empty_like(buf, shape=(hi - lo, len(mult)))
        )
        np.multiply(hashes[lo:hi, None], mult[None, :], out=block)
        block += add[None, :]
        mins = np.minimum.reduceat(block, first[g0:g1] - lo, axis=0)
        sig[docs[g0:g1]] = mins >> np.uint64(32)
    return sig


def minhash(hashes: U64, params: LshParams) -> U64:
    """The MinHash signature of a set of 64-bit shingle hashes (vectorised).

    Permutation ``i`` maps a hash ``x`` to ``((a_i * x + b_i) mod 2**64) >> 32``
    (multiply-shift hashing, odd ``a_i``); the signature holds each permutation's
    minimum. An empty set gives all ``2**32`` (larger than any value), never shared.
    """
    hashes = np.asarray(hashes, dtype=np.uint64)
    one = np.array([len(hashes)], dtype=np.intp)
    sig: U64 = _minhash_many(hashes, np.zeros(1, dtype=np.intp), one, params)[0]
    return sig


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


def fingerprint(text: str, table: TokenTable | None = None) -> Fingerprint:
    """The LSH band keys of one text (word bands, then stable-token bands).

    Args:
        text: an article's text.
        table: optional token table shared across calls (speed only).
    """
    return fingerprints([text], table)[0]


def fingerprints(texts: Iterable[str], table: TokenTable | None = None) -> list[Fingerprint]:
    """:func:`fingerprint` of many texts, vectorised over batches of :data:`_BATCH`.

    Per batch: one regex findall per text, one dict lookup per token (ids into
    ``table``), then numpy only: the sentence starts, the stable-token mask, every
    k-gram hash of every text, MinHash in cache-sized blocks reduced per text, and the
    band keys.

    Args:
        texts: the texts, any number.
        table: token table to share with later calls (a fresh one by default).

    Returns:
        One :class:`Fingerprint` per text, in order.
    """
    table = TokenTable() if table is None else table
    out: list[Fingerprint] = []
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == _BATCH:
            out.extend(_fingerprint_batch(batch, table))
            batch = []
    if batch:
        out.extend(_fingerprint_batch(batch, table))
    return out


def _run(job: Callable[[], Any]) -> Any:
    return job()


def _fingerprint_batch(texts: Sequence[str], table: TokenTable) -> list[Fingerprint]:
    """One batch of :func:`fingerprints`: all its texts' tokens laid end to end."""
    ids, lens = table.text_ids(texts)
    doc = np.repeat(np.arange(len(texts)), lens)
    stop = table.stops[ids]
    starts = np.ones(len(ids), dtype=bool)  # a token right after . ! ? or a text start
    starts[1:] = stop[:-1]
    firsts = np.cumsum(lens) - lens
    starts[firsts[firsts < len(ids)]] = True
    word = ~stop
    stable = word & (table.kept[ids] | (table.capital[ids] & ~starts))
    th = table.hashes[ids]
    names = word & (table.digit[ids] | (table.capital[ids] & ~starts & ~table.kept[ids]))

    def signature(
        params: LshParams, mask: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.int64], list[int]]:
        n_tok = np.bincount(doc[mask], minlength=len(texts))
        sh, first, count = _doc_shingles(th[mask], n_tok, params.k)
        return band_keys(_minhash_many(sh, first, count, params), params), count.tolist()

    # The two signatures and the anchors on threads: numpy work that releases the GIL
    # (fingerprints of the 20,000 texts of bench/provenance_speed.py: 4.8 -> 3.9 s).
    jobs: list[Callable[[], Any]] = [
        lambda: signature(WORD, word),
        lambda: signature(STABLE, stable),
        lambda: _anchors(th, doc, len(texts), word, stable, names),
    ]
    (word_keys, word_counts), (stable_keys, stable_counts), anchors = thread_map(_run, jobs)
    both = np.concatenate([word_keys, stable_keys], axis=1)
    counts = [word_counts, stable_counts]
    return [
        Fingerprint(both[i], w, s, anchors[i]) for i, (w, s) in enumerate(zip(*counts, strict=True))
    ]


def _anchors(
    th: U64,
    doc: npt.NDArray[np.intp],
    n_docs: int,
    word: npt.NDArray[np.bool_],
    stable: npt.NDArray[np.bool_],
    names: npt.NDArray[np.bool_],
) -> list[npt.NDArray[np.int64]]:
    """Each text's sorted distinct anchor keys (sampled shingles, names and numbers)."""
    parts: list[npt.NDArray[np.int64]] = []
    owners: list[npt.NDArray[np.intp]] = []
    for params, mask in ((ANCHOR_WORD, word), (ANCHOR_STABLE, stable)):
        n_tok = np.bincount(doc[mask], minlength=n_docs)
        sh, _first, count = _doc_shingles(th[mask], n_tok, params.k)
        keys, keep = _anchor_keys(sh, params.kind, params.rows)
        parts.append(keys)
        owners.append(np.repeat(np.arange(n_docs), count)[keep])
    parts.append(_anchor_keys(th[names], ANCHOR_NAME, 1)[0])
    owners.append(doc[names])
    keys = np.concatenate(parts)
    owner = np.concatenate(owners)
    order = np.lexsort((keys, owner))
    keys, owner = keys[order], owner[order]
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    keys, owner = keys[distinct], owner[distinct]
    bounds = np.searchsorted(owner, np.arange(n_docs + 1))
    return [keys[bounds[i] : bounds[i + 1]] for i in range(n_docs)]
