"""De-spinning: the most likely original wording of a spun word or phrase.

A noisy-channel view. A spinner replaced some words of an original phrase by words it
holds to be synonyms; we look for the original ``c1 .. cn`` that best explains the
observed ``w1 .. wn``:

* the **channel**: how likely the spinner writes ``w`` for ``c``. Leaving a word alone
  costs nothing; a swap costs :attr:`Weights.swap`, less the closer ``w`` and ``c`` sit in
  an embedding space (all-MiniLM-L6-v2 word neighbours), less again when a thesaurus
  lists ``w`` among ``c``'s synonyms (the reverse thesaurus, WordNet 3.0 of any sense:
  where a thesaurus spinner takes its words), and a swap seen before in real spinner
  output (learned substitutions) earns a bonus; thesaurus originals that are no
  embedding neighbour are candidates too, at :attr:`Weights.thesaurus`;
* the **source model**: how established the original is. Candidates whose words are
  more common (Zipf frequency) and whose bigrams and trigrams occur in offline prose or
  in web-scale bigram counts ("random forest", "signal to noise") score higher, and so
  do candidates that fit the two words before them under a trigram model of English
  (:mod:`unspin.spin.ngram`: "prime minister", not "prime pastor").

A beam search over word positions finds the best originals; function words are never
swapped (spinners leave them, DSpin, NDSS 2014). Embedding neighbours that are antonyms
of the word (WordNet antonym pointers: "huge" / "small") or number words ("many" /
"two") are never proposed: a spinner keeps the meaning and the numbers.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from unspin.lexicon import Lexicon, pack
from unspin.spin.ngram import TrigramModel, load_trigram_model
from unspin.text import FUNCTION_WORDS

__all__ = ["Option", "Restorer", "Weights", "match_case"]

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True)
class Weights:
    """Scoring weights of the channel and the source model.

    Set by ``bench/spin_accuracy.py --tune``: a grid search on half A of the tortured
    phrases only (learn from one part of A, score the other). The landscape was flat
    (top-1 0.14-0.15 across the grid); of the best, the higher swap cost (2.5, within
    0.002 of the best top-1) was kept because it raises fewer false alarms on news. The two
    thesaurus weights were set later on the same inner split of half A (cost 0-3 by bonus
    0-2; learning from A1, top-1 0.159 without the thesaurus, 0.170 at 2 and 1; with no
    learning 0.057 and 0.095); a cost per log of the original's synonym count did not help.
    The wide thesaurus's cost was set the same way (1-10; learning from A1, top-1 0.170
    without it, 0.198 at 6, and 0.095 -> 0.139 with no learning; SpinBot half A with no
    spinner table, swaps restored exactly 5.7 % -> 7.1 %); a cost per log of how many
    words the wide thesaurus offers for the original moved top-1 by under 0.01. So was
    the context weight (the trigram model's fit, 0-3; learning from A1, top-1 0.200
    without it, 0.215 at 0.3 and 1, 0.191 at 2; with no learning 0.139 -> 0.155 at 0.3,
    0.163 at 1; SpinBot half A with no spinner table 7.1 % -> 8.3 % at 1). The model's
    plain log probability instead of its fit lowered top-1 (0.179 at 0.5, 0.133 at 2):
    it counts the word's frequency a second time.
    """

    swap: float = 2.5  # cost of one swap: the prior that a word was left alone
    sim: float = 8.0  # cost per unit of cosine below 1 between the word and its original
    learned: float = 0.5  # weight of log q(spun | original) for swaps seen in spinner output
    zipf: float = 0.8  # bonus per Zipf unit the original is more common than the word
    bigram: float = 1.6  # per log(1 + count) of a bigram of the original
    trigram: float = 1.2  # per log(1 + count) of a trigram of the original
    suffix: float = 1.5  # cost when word and original differ in inflection (-s, -ed, -ing ...)
    thesaurus: float = 2.0  # cost of a reverse-thesaurus original that is no neighbour
    thesaurus_bonus: float = 1.0  # bonus of a neighbour that the thesaurus also proposes
    wide: float = 6.0  # cost of an original only the wide thesaurus (Moby) proposes
    context: float = 1.0  # per nat the original fits its two words before (unspin.spin.ngram)
    neighbours: int = 32  # embedding neighbours considered per word
    beam: int = 64


@dataclass(frozen=True, slots=True)
class Option:
    """A possible original of one word and its channel score (0 for the word itself)."""

    word: str
    id: int
    score: float


_SUFFIXES = ("ing", "ed", "ly", "est", "er", "s")
# Spinners keep numbers: a number word is only ever the original of another one.
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
    "billions", "trillion", "dozen", "dozens", "first", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth", "half", "twice", "once",
})  # fmt: skip


# A candidate original's frequency gain over the written word, in Zipf points, counts
# within these bounds (spinners pick rarer synonyms; beyond a few points, a more or less
# frequent candidate is no more or less likely).
GAIN_MIN, GAIN_MAX = -2.0, 3.0


def _zipf_gain(candidate: float, written: float) -> float:
    """The candidate's Zipf frequency minus the written word's, within the clip."""
    return min(max(candidate - written, GAIN_MIN), GAIN_MAX)


def _suffix_class(word: str) -> int:
    """Index of the inflectional ending of ``word`` (0: none of -ing -ed -ly -est -er -s)."""
    if len(word) > 4:
        for i, suf in enumerate(_SUFFIXES, start=1):
            if word.endswith(suf) and not (suf == "s" and word.endswith("ss")):
                return i
    return 0


def match_case(template: str, word: str) -> str:
    """``word`` cased like ``template`` (``Deep``, ``DEEP`` or ``deep``)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Restorer:
    """Ranks original wordings for spun words; holds the lexicon and learned swaps.

    Args:
        lexicon: the offline tables (:func:`unspin.lexicon.load_lexicon`).
        weights: scoring weights.
        trigram: the context model (:mod:`unspin.spin.ngram`): the shipped one by
            default, None to rank without it.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        weights: Weights | None = None,
        trigram: TrigramModel | None | Literal["shipped"] = "shipped",
    ) -> None:
        self.lex = lexicon
        self.w = weights or Weights()
        # The context model (unspin.spin.ngram): the shipped one unless given or None.
        self.trigram = load_trigram_model() if trigram == "shipped" else trigram
        by_spun: dict[str, dict[str, int]] = defaultdict(dict)
        for orig, spun, count in lexicon.learned:
            by_spun[spun][orig] = by_spun[spun].get(orig, 0) + count
        self.learned: dict[str, dict[str, int]] = dict(by_spun)
        # q(spun | original): how often the spinner wrote this word for that original.
        per_orig: dict[str, int] = defaultdict(int)
        for orig, _spun, count in lexicon.learned:
            per_orig[orig] += count
        self._per_orig = dict(per_orig)
        self._function = np.array([x in FUNCTION_WORDS for x in lexicon.words], bool)
        self._number = np.array([x in NUMBER_WORDS for x in lexicon.words], bool)
        self._suffix = np.array([_suffix_class(x) for x in lexicon.words], np.int8)

    def _barred(
        self, word: npt.NDArray[np.int64], cand: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Candidates never proposed for ``word``: its antonyms, and number words."""
        out: npt.NDArray[np.bool_] = self._number[cand] & ~self._number[word]
        return out | self.lex.antonym(word, cand.astype(np.int64))

    def log_q(self, orig: str, count: int) -> float:
        """log q(spun | orig) of a learned swap seen ``count`` times (<= 0)."""
        return math.log(count / self._per_orig.get(orig, count))

    def _add_thesaurus(
        self,
        opts: dict[str, Option],
        wid: int,
        originals: npt.NDArray[np.int64],
        cost: float,
        zw: float,
    ) -> None:
        """Add to ``opts`` the thesaurus ``originals`` of word id ``wid`` (Zipf ``zw``) not
        proposed yet, at ``cost`` beyond a swap's; antonyms, number and function words
        never."""
        barred = self._barred(np.full(len(originals), wid, np.int64), originals)
        for c, bar in zip(originals, barred, strict=True):
            cw = self.lex.words[int(c)]
            if cw in opts or cw in FUNCTION_WORDS or bar:
                continue
            dz = _zipf_gain(float(self.lex.zipf[c]), zw)
            opts[cw] = Option(cw, int(c), -self.w.swap - cost + self.w.zipf * dz)

    def options(self, word: str, limit: int | None = None) -> list[Option]:
        """The word itself and its possible originals with channel scores, best first."""
        lex, w = self.lex, self.w
        low = word.lower()
        wid = lex.index.get(low, -1)
        opts: dict[str, Option] = {low: Option(low, wid, 0.0)}
        if low in FUNCTION_WORDS or len(low) < 3:
            return list(opts.values())
        zw = float(lex.zipf[wid]) if wid >= 0 else 1.0
        k = limit if limit is not None else w.neighbours
        if wid >= 0:
            nb = lex.nbr_idx[wid, :k]
            thes = lex.thesaurus(wid)
            in_thes = set(thes.tolist())
            barred = self._barred(np.full(len(nb), wid, np.int64), nb)
            for c, s, bar in zip(nb, lex.nbr_sim[wid, :k], barred, strict=True):
                cw = lex.words[int(c)]
                if cw in FUNCTION_WORDS or bar:
                    continue
                dz = _zipf_gain(float(lex.zipf[c]), zw)
                score = -w.swap - w.sim * (1.0 - float(s)) + w.zipf * dz
                if _suffix_class(cw) != _suffix_class(low):
                    score -= w.suffix
                if int(c) in in_thes:
                    score += w.thesaurus_bonus
                opts[cw] = Option(cw, int(c), score)
            # Originals a thesaurus spinner may have replaced by this word that the
            # embedding neighbours miss ("counterfeit" for "artificial"): same inflection.
            self._add_thesaurus(opts, wid, thes, w.thesaurus, zw)
            # Looser synonyms from the wide thesaurus ("clamor" for "noise"), dearer still,
            # for a word no learned spinner table explains: where one does, it knows this
            # spinner's habits, and loose synonyms only compete with them.
            if low not in self.learned:
                self._add_thesaurus(opts, wid, lex.thesaurus_wide(wid), w.wide, zw)
        for orig, n in self.learned.get(low, {}).items():
            cid = lex.index.get(orig, -1)
            zc = float(lex.zipf[cid]) if cid >= 0 else zw
            dz = _zipf_gain(zc, zw)
            score = -w.swap + w.learned * self.log_q(orig, n) + w.zipf * dz
            if _suffix_class(orig) != _suffix_class(low):
                score -= w.suffix
            if orig not in opts or opts[orig].score < score:
                opts[orig] = Option(orig, cid, score)
        ranked = sorted(opts.values(), key=lambda o: (o.word != low, -o.score))
        return ranked

    def option_matrix(
        self, words: list[str], eligible: npt.NDArray[np.bool_], limit: int | None = None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Vectorised :meth:`options` for many words: ids ``[n, m]`` and channel scores.

        Column 0 holds each word itself (score 0); then its embedding neighbours, then
        learned originals. Impossible cells have id -1 and score ``-inf``. Words not
        ``eligible`` (function words, names we skip) keep only column 0.
        """
        lex, w = self.lex, self.w
        k = limit if limit is not None else w.neighbours
        low = [x.lower() for x in words]
        own = lex.ids(low)
        n = len(low)
        learned = [self.learned.get(x) if e else None for x, e in zip(low, eligible, strict=True)]
        extra = max((len(d) for d in learned if d), default=0)
        ids = np.full((n, 1 + k + extra), -1, np.int64)
        score = np.full(ids.shape, -np.inf, np.float32)
        ids[:, 0] = own
        score[:, 0] = 0.0
        ok = eligible & (own >= 0)
        rows = np.flatnonzero(ok)
        zw = np.where(own >= 0, lex.zipf[np.maximum(own, 0)], 1.0).astype(np.float32)
        if len(rows):
            nb = lex.nbr_idx[own[rows], :k]
            dz = np.clip(lex.zipf[nb] - zw[rows, None], GAIN_MIN, GAIN_MAX)
            sc = -w.swap - w.sim * (1.0 - lex.nbr_sim[own[rows], :k]) + w.zipf * dz
            sc -= w.suffix * (self._suffix[nb] != self._suffix[own[rows], None])
            sc[self._function[nb]] = -np.inf
            sc[self._barred(np.broadcast_to(own[rows, None], nb.shape), nb)] = -np.inf
            ids[rows, 1 : 1 + k] = nb
            score[rows, 1 : 1 + k] = sc
        for i, d in enumerate(learned):
            if not d:
                continue
            for j, (orig, cnt) in enumerate(d.items()):
                cid = lex.index.get(orig, -1)
                if cid < 0:
                    continue
                dz = min(max(float(lex.zipf[cid]) - float(zw[i]), -2.0), 3.0)
                ids[i, 1 + k + j] = cid
                score[i, 1 + k + j] = (
                    -w.swap
                    + w.learned * self.log_q(orig, cnt)
                    + w.zipf * dz
                    - w.suffix * (_suffix_class(orig) != _suffix_class(low[i]))
                )
        return ids, score

    def rank(
        self, words: list[str], fixed: set[int] | None = None, k: int = 5
    ) -> list[tuple[list[str], float]]:
        """The ``k`` best originals of a word sequence, with their scores.

        Args:
            words: the observed words (any case; punctuation-free).
            fixed: positions that must stay as they are (context words).
            k: how many candidates to return; the unchanged sequence is among them
                when it scores high enough.
        """
        fixed = fixed or set()
        lex, w = self.lex, self.w
        beams: list[tuple[float, list[str], list[int]]] = [(0.0, [], [])]
        for pos, word in enumerate(words):
            opts = (
                [Option(word.lower(), lex.index.get(word.lower(), -1), 0.0)]
                if pos in fixed
                else self.options(word)
            )
            ids = np.array([o.id for o in opts], np.int64)
            base = np.array([o.score for o in opts], np.float32)
            prev = np.array([b[2][-1] if b[2] else -1 for b in beams], np.int64)
            prev2 = np.array([b[2][-2] if len(b[2]) > 1 else -1 for b in beams], np.int64)
            scores = np.array([b[0] for b in beams], np.float32)[:, None] + base[None, :]
            if pos:
                big = lex.count(pack(prev[:, None], ids[None, :]))
                scores = scores + w.bigram * np.log1p(big)
            if pos > 1:
                tri = lex.count(pack(prev2[:, None], prev[:, None], ids[None, :]))
                scores = scores + w.trigram * np.log1p(tri)
            if pos and w.context and self.trigram is not None:
                scores = scores + w.context * self._context_fit(beams, opts)
            flat = np.argsort(-scores, axis=None, kind="stable")[: w.beam]
            new: list[tuple[float, list[str], list[int]]] = []
            for f in flat:
                bi, oi = divmod(int(f), len(opts))
                old = beams[bi]
                new.append(
                    (float(scores[bi, oi]), [*old[1], opts[oi].word], [*old[2], int(ids[oi])])
                )
            beams = new
        out: list[tuple[list[str], float]] = []
        seen: set[tuple[str, ...]] = set()
        for score, seq, _ in beams:
            key = tuple(seq)
            if key not in seen:
                seen.add(key)
                out.append(([match_case(o, c) for o, c in zip(words, seq, strict=True)], score))
            if len(out) == k:
                break
        return out

    def _context_fit(
        self, beams: list[tuple[float, list[str], list[int]]], opts: list[Option]
    ) -> npt.NDArray[np.float32]:
        """``[beam, option]``: how well each option fits after each beam's last two
        words (:meth:`unspin.spin.ngram.TrigramModel.fit`)."""
        assert self.trigram is not None
        fits = self.trigram.fits
        words = [o.word for o in opts]
        out = np.empty((len(beams), len(opts)), np.float32)
        rows: dict[tuple[str | None, str | None], npt.NDArray[np.float32]] = {}
        for i, (_, seq, _) in enumerate(beams):
            context = (seq[-1] if seq else None, seq[-2] if len(seq) > 1 else None)
            row = rows.get(context)
            if row is None:  # beams often end in the same two words
                row = rows[context] = np.array(fits(words, *context), np.float32)
            out[i] = row
        return out

    def restore_phrase(self, phrase: str, k: int = 5) -> list[str]:
        """The ``k`` most likely originals of a phrase known to be spun, best first.

        Words are the alphabetic runs of ``phrase``; hyphens and other separators are
        kept as they are. The phrase itself is never among the answers.

        >>> r.restore_phrase("irregular woodland")[0]  # doctest: +SKIP
        'random forest'
        """
        matches = list(_WORD.finditer(phrase))
        if not matches:
            return []
        words = [m.group() for m in matches]
        results: list[str] = []
        for seq, _ in self.rank(words, k=k + 1):
            if [s.lower() for s in seq] == [x.lower() for x in words]:
                continue
            out, pos = [], 0
            for m, new in zip(matches, seq, strict=True):
                out.append(phrase[pos : m.start()])
                out.append(new)
                pos = m.end()
            out.append(phrase[pos:])
            results.append("".join(out))
        return results[:k]
