"""Spin detection without the source: flagged spans, sentence and document probabilities.

For every content word we ask the restoration model (:mod:`unspin.spin.restore`) whether
some possible original fits its context markedly better than the word itself: its
channel score (embedding closeness, learned swaps, word frequency) plus how much more
established the bigrams and trigrams with its neighbours become. The gain of the best
original is the word's **margin**; adjacent content words are also judged as a pair, so
"irregular woodland" is caught through "random forest" even when neither word alone
looks odd. Words and pairs with a positive margin are flagged; runs of flagged words
become spans, each restored by a beam search with its context held fixed.

Probabilities come from logistic functions of a few features (share of flagged words,
mean margin, length), fitted on one half of the genuine/spun news set of
``bench/spin_accuracy.py`` (``calibration.json``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.language import guess_language
from unspin.model import SentenceSpin, SpinReport, SpinSpan
from unspin.spin.assets import Lexicon, pack
from unspin.spin.restore import Restorer
from unspin.text import FUNCTION_WORDS, sentence_spans

__all__ = [
    "ALARM_THRESHOLD",
    "MIN_WORDS",
    "Detector",
    "WordScores",
    "cannot_judge_reason",
    "document_features",
]

# Below this many words a text is not judged: too few content words for the share of
# flagged words to mean anything (the "under ~50 words").
MIN_WORDS = 50
# Prose has function words: below this share of words that are function words, the text
# is a list, a table or code. English news sits at 0.40-0.55 (Wikinews, ECB+).
MIN_FUNCTION_SHARE = 0.2
# Alarm threshold on the calibrated document probability. Set on bench/spin_accuracy.py:
# at 0.5 the calibrated model raised no false alarm on the 1,065 genuine dev articles
# and kept document F1 above 0.9 at 20 % substitution (see bench/RESULTS.md).
ALARM_THRESHOLD = 0.5
# Neighbours per word in the joint (pair) search: 13 x 13 candidate originals per pair.
PAIR_OPTIONS = 12
# A word is flagged when its best original gains more than this over the word itself.
# 0 is the noisy-channel decision point: the swap explains the context better than the
# word does, after paying the swap cost.
MIN_MARGIN = 0.0

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_JOIN = re.compile(r"[ \t\-]*")

# Fallback calibration (used only when calibration.json is absent): document logit =
# b + w_rate * flagged-share + w_margin * mean margin of flagged words.
_DEFAULT_CALIBRATION: dict[str, list[float]] = {
    "document": [-4.0, 40.0, 0.3, 0.0],
    "sentence": [-3.0, 8.0, 0.3, 0.0],
}

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class WordScores:
    """Per-word evidence for one text (arrays aligned with ``starts``)."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    eligible: npt.NDArray[np.bool_]
    margin: F32  # best single-word or pair gain, -inf where not eligible


def _words(text: str) -> tuple[list[str], list[int], list[int], npt.NDArray[np.bool_]]:
    """Words with offsets, and whether each is joined to the next (only space or hyphen)."""
    ms = list(_WORD.finditer(text))
    words = [m.group() for m in ms]
    starts = [m.start() for m in ms]
    ends = [m.end() for m in ms]
    joined = np.zeros(len(ms), bool)
    for i in range(len(ms) - 1):
        gap = text[ends[i] : starts[i + 1]]
        joined[i] = _JOIN.fullmatch(gap) is not None and "\n" not in gap
    return words, starts, ends, joined


def cannot_judge_reason(text: str) -> str | None:
    """Why ``text`` cannot be judged (not English, too short, no prose), or None."""
    n_words = len(_WORD.findall(text))
    if n_words < MIN_WORDS:
        return f"under {MIN_WORDS} words ({n_words})"
    lang = guess_language(text)
    if lang != "en":
        return f"not English (looks like {lang})" if lang else "not English prose"
    low = [w.lower() for w in _WORD.findall(text)]
    share = sum(w in FUNCTION_WORDS for w in low) / len(low)
    if share < MIN_FUNCTION_SHARE:
        return "no prose (a list, table or code rather than sentences)"
    return None


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


def document_features(margins: F32, eligible: npt.NDArray[np.bool_]) -> list[float]:
    """Features of a text or sentence: flagged share, mean positive margin, log length."""
    n = int(eligible.sum())
    if n == 0:
        return [0.0, 0.0, 0.0]
    m = margins[eligible]
    pos = m[m > MIN_MARGIN]
    return [
        float(len(pos)) / n,
        float(pos.mean()) if len(pos) else 0.0,
        math.log(n),
    ]


class Detector:
    """Scores texts for spin and restores flagged spans.

    Args:
        lexicon: the offline tables.
        restorer: the restoration model (built from ``lexicon`` when omitted).
    """

    def __init__(self, lexicon: Lexicon, restorer: Restorer | None = None) -> None:
        self.lex = lexicon
        self.restorer = restorer or Restorer(lexicon)
        self.calibration = lexicon.calibration or _DEFAULT_CALIBRATION

    # -- evidence ------------------------------------------------------------------

    def word_scores(self, text: str) -> WordScores:
        """Margins of every content word of ``text`` (single-word and pair evidence)."""
        lex, w = self.lex, self.restorer.w
        words, starts, ends, joined = _words(text)
        n = len(words)
        low = [x.lower() for x in words]
        eligible = np.array(
            [
                len(x) >= 3
                and x not in FUNCTION_WORDS
                and (words[i].islower() or _sentence_initial(text, starts, ends, i))
                for i, x in enumerate(low)
            ],
            bool,
        )
        margin = np.full(n, -np.inf, np.float32)
        if n == 0:
            return WordScores(words, starts, ends, eligible, margin)
        all_ids, all_chan = self.restorer.option_matrix(words, eligible)
        own = all_ids[:, 0]
        prev = np.full(n, -1, np.int64)
        nxt = np.full(n, -1, np.int64)
        prev[1:] = np.where(joined[:-1], own[:-1], -1)
        nxt[:-1] = np.where(joined[:-1], own[1:], -1)
        # Only content words are judged: work on their rows alone.
        rows = np.flatnonzero(eligible)
        row_of = np.full(n, -1, np.int64)
        row_of[rows] = np.arange(len(rows))
        ids, chan = all_ids[rows], all_chan[rows]
        left = np.log1p(lex.count(pack(prev[rows, None], ids)))
        right = np.log1p(lex.count(pack(ids, nxt[rows, None])))
        tri = np.log1p(lex.count(pack(prev[rows, None], ids, nxt[rows, None])))
        fit = w.bigram * (left + right) + w.trigram * tri
        gain = chan + fit - fit[:, :1]
        gain[:, 0] = -np.inf
        gain[ids < 0] = -np.inf
        if len(rows):
            margin[rows] = gain.max(axis=1)

        # Pairs of adjacent content words: both may have been swapped.
        k = PAIR_OPTIONS + 1
        pairs = np.flatnonzero(eligible[:-1] & eligible[1:] & joined[:-1])
        if len(pairs):
            # Each word's PAIR_OPTIONS best-scoring originals, after the word itself.
            order = np.argsort(-chan[:, 1:], axis=1, kind="stable")[:, : k - 1] + 1
            cols = np.concatenate([np.zeros((len(rows), 1), np.int64), order], axis=1)

            def top(a: npt.NDArray[Any], at: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
                r = row_of[at]
                return np.take_along_axis(a[r], cols[r], axis=1)

            a_ids, b_ids = top(ids, pairs), top(ids, pairs + 1)
            a_ch, b_ch = top(chan, pairs), top(chan, pairs + 1)
            joint = np.log1p(lex.count(pack(a_ids[:, :, None], b_ids[:, None, :])))
            a_ctx = w.bigram * top(left, pairs)
            b_ctx = w.bigram * top(right, pairs + 1)
            total = (
                a_ch[:, :, None]
                + b_ch[:, None, :]
                + w.bigram * joint
                + a_ctx[:, :, None]
                + b_ctx[:, None, :]
            )
            a_bad, b_bad = a_ids < 0, b_ids < 0
            a_bad[:, 0] = b_bad[:, 0] = False  # the words themselves may be unknown
            total[a_bad[:, :, None] | b_bad[:, None, :]] = -np.inf
            base = total[:, 0, 0].copy()
            total[:, 0, 0] = -np.inf
            flat = total.reshape(len(pairs), -1)
            best = flat.argmax(axis=1)
            pair_gain = flat[np.arange(len(pairs)), best] - base
            ai, bi = np.divmod(best, k)
            for p, g, x, y in zip(pairs, pair_gain, ai, bi, strict=True):
                if x:
                    margin[p] = max(margin[p], g)
                if y:
                    margin[p + 1] = max(margin[p + 1], g)
        return WordScores(words, starts, ends, eligible, margin)

    # -- verdicts ------------------------------------------------------------------

    def _prob(self, kind: str, feats: list[float]) -> float:
        coef = self.calibration[kind]
        return _sigmoid(coef[0] + sum(c * f for c, f in zip(coef[1:], feats, strict=False)))

    def _spans(self, text: str, ws: WordScores, restore: bool) -> list[SpinSpan]:
        flagged = ws.margin > MIN_MARGIN
        spans: list[SpinSpan] = []
        i, n = 0, len(ws.words)
        while i < n:
            if not flagged[i]:
                i += 1
                continue
            j = i
            while (
                j + 1 < n
                and flagged[j + 1]
                and _JOIN.fullmatch(text[ws.ends[j] : ws.starts[j + 1]])
            ):
                j += 1
            spans.append(self._span(text, ws, i, j, restore))
            i = j + 1
        return spans

    def _span(self, text: str, ws: WordScores, i: int, j: int, restore: bool) -> SpinSpan:
        start, end = ws.starts[i], ws.ends[j]
        conf = _sigmoid(2.0 * float(ws.margin[i : j + 1].max()))
        span_text = text[start:end]
        if not restore:
            return SpinSpan(start, end, span_text, span_text, (), conf)
        lo = i - 1 if i > 0 and _JOIN.fullmatch(text[ws.ends[i - 1] : ws.starts[i]]) else i
        hi = (
            j + 1
            if j + 1 < len(ws.words) and _JOIN.fullmatch(text[ws.ends[j] : ws.starts[j + 1]])
            else j
        )
        words = ws.words[lo : hi + 1]
        fixed = {
            p
            for p in (0, len(words) - 1)
            if (p == 0 and lo < i) or (p == len(words) - 1 and hi > j)
        }
        ranked = self.restorer.rank(words, fixed=fixed, k=6)
        inner = slice(i - lo, i - lo + (j - i + 1))
        outs: list[str] = []
        for seq, _ in ranked:
            cand = seq[inner]
            if [c.lower() for c in cand] == [x.lower() for x in ws.words[i : j + 1]]:
                continue
            rebuilt = _rebuild(text, ws, i, j, cand)
            if rebuilt not in outs:
                outs.append(rebuilt)
        if not outs:
            return SpinSpan(start, end, span_text, span_text, (), conf)
        return SpinSpan(start, end, span_text, outs[0], tuple(outs[1:5]), conf)

    def judge(
        self, text: str, *, restore: bool = True, article_id: str | None = None
    ) -> SpinReport:
        """The spin report of ``text``: probability, verdict, flagged spans, sentences.

        Texts that cannot be judged get ``probability=None`` and verdict ``cannot judge``
        with the reason (see :func:`cannot_judge_reason`); no exception is raised.
        """
        reason = cannot_judge_reason(text)
        if reason:
            return SpinReport(
                None, "cannot judge", f"cannot judge: {reason}", text=text, article_id=article_id
            )
        ws = self.word_scores(text)
        prob = self._prob("document", document_features(ws.margin, ws.eligible))
        spans = self._spans(text, ws, restore)
        sentences: list[SentenceSpin] = []
        starts = np.array(ws.starts, np.int64)
        for s, e in sentence_spans(text):
            sel = (starts >= s) & (starts < e)
            feats = document_features(ws.margin[sel], ws.eligible[sel])
            n_sp = sum(1 for sp in spans if s <= sp.start < e)
            sentences.append(SentenceSpin(s, e, self._prob("sentence", feats), n_sp))
        n_elig = int(ws.eligible.sum())
        n_flag = int((ws.margin > MIN_MARGIN).sum())
        verdict = "spun" if prob >= ALARM_THRESHOLD else "genuine"
        why = (
            f"{n_flag} of {n_elig} content words read as swapped for a more established "
            f"wording ({100.0 * n_flag / max(n_elig, 1):.1f} %)"
        )
        return SpinReport(prob, verdict, why, tuple(spans), tuple(sentences), text, article_id)


def _sentence_initial(text: str, starts: list[int], ends: list[int], i: int) -> bool:
    """A capitalised word that opens a sentence (names elsewhere are never judged)."""
    if not words_is_title(text[starts[i] : ends[i]]):
        return False
    if i == 0:
        return True
    return any(ch in '.!?:\n"' for ch in text[ends[i - 1] : starts[i]])


def words_is_title(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def _rebuild(text: str, ws: WordScores, i: int, j: int, cand: list[str]) -> str:
    """The span ``words[i..j]`` with its words replaced by ``cand``, separators kept."""
    out: list[str] = []
    for k, new in zip(range(i, j + 1), cand, strict=True):
        out.append(new)
        if k < j:
            out.append(text[ws.ends[k] : ws.starts[k + 1]])
    return "".join(out)
