"""Spin detection without the source: flagged spans, sentence and document probabilities.

Collocations are the evidence. Every pair of content words, adjacent ("irregular
woodland") or with one function word between ("flag to commotion"), that never occurs in
the offline n-gram counts (offline prose plus web-scale bigrams) is checked against the
pairs the restoration model (:mod:`unspin.spin.restore`) proposes as its original: each
word's embedding neighbours and learned spinner swaps. The best original pair's score
(channel cost of the swaps plus how established the pair is, ``log(1 + count)``) is the
words' **margin**; words whose margin passes :data:`MIN_MARGIN` are flagged, and runs of
flagged words become spans, each restored by a beam search with its context held fixed.

A single word is flagged on its own only when a known spinner writes it (a learned
substitution, from real spinner output or from provenance) and its original fits the
neighbouring words better (:data:`KNOWN_MARGIN`). Other single words are not: without a
news-domain language model, "a more common near-synonym exists" fires on genuine prose
as often as on spun prose (bench/spin_accuracy.py). Rare and out-of-vocabulary words
enter only the document and sentence features.

Probabilities come from logistic functions of six features (flagged share, mean margin,
log length, rare-word share, out-of-vocabulary share, share of words flagged through a
swap seen in real spinner output; :func:`document_features`), fitted on half A of the
genuine news of ``bench/spin_accuracy.py`` against spinners that are not the one the
benchmark evaluates with: embedding-neighbour swaps and real-spinner (tortured-phrase)
swaps (``calibration.json``). A document's probability joins two such models by noisy-OR
(:meth:`Detector.document_probability`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unspin.language import guess_language
from unspin.lexicon import Lexicon, alarm_threshold, pack
from unspin.model import SentenceSpin, SpinReport, SpinSpan
from unspin.spin.protect import protected_words, safe_swap
from unspin.spin.restore import Restorer
from unspin.swapmodel import SwapModel, load_swap_model
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
# Alarm threshold on the calibrated document probability: the 99.7th percentile of the
# genuine half-A (dev) news articles under the shipped calibration, written into
# calibration.json by ``scripts/build_spin_assets.py calibrate`` so false alarms on genuine
# news stay <= 1 %; bench/spin_accuracy.py reports them on half B and on all articles. The
# price is recall; see docs/spin.md.
ALARM_THRESHOLD = alarm_threshold()
# Neighbours per word in the joint (pair) search: 13 x 13 candidate originals per pair.
PAIR_OPTIONS = 12
# Words below this Zipf frequency count as rare (about 3 per million words).
RARE_ZIPF = 3.5
# An original collocation must occur at least this often in the offline prose.
MIN_PAIR_COUNT = 2
# A word is flagged when its best original pair scores above this (channel cost of the
# swaps plus 1.6 x log(1 + count of the original pair)). Set on a 10 % sample of the
# genuine dev news (bench/spin_accuracy.py): at -2 genuine articles have 1.6 % of their
# content words flagged on average (99th percentile 5 %); at 0 the tortured phrases of
# the example are missed ("irregular woodland" scores -1.6 against "random forest").
MIN_MARGIN = -2.0
# A single word that a known spinner writes for some original (a learned substitution:
# "profound" for "deep") is flagged on its own when putting the original back raises the
# established-ness of its two bigrams with the neighbouring words (any words, function
# words included) by more than this, counting 1.6 x log(1 + count) per bigram plus
# 0.5 x log q(spun | original). Set on half A of the genuine dev news against the same
# articles spun with half-A tortured-phrase swaps (bench/spin_accuracy.py): at 2.0
# genuine articles have 0.6 % of their content words flagged this way.
KNOWN_MARGIN = 2.0
# ...plus this much per Zipf unit the original is commoner than the written word (up to
# 3): where the context bigrams are unseen either way, "deluges" for "floods" still reads
# as the known spinner's. Set on the same half-A data: at 1.0 genuine articles gain 0.4
# flags per 1,000 words and recall of the swaps rises from 72 % to 76 %; at 2 and 3 the
# article-level separation falls.
KNOWN_ZIPF = 1.0
# Contextual model (unspin.swapmodel) in the document verdict, when its calibration was
# fitted so (eight document features): a content word counts as "read as swapped" when
# its swap probability passes this; the features also take the mean of the
# :data:`CONTEXT_TOP` highest probabilities of distinct content words.
CONTEXT_P = 0.5
CONTEXT_TOP = 5
# A word the model alone marks (no collocation or known-swap evidence) when its swap
# probability passes the calibration's ``mark_threshold`` (a high quantile of the
# probabilities of content words in genuine part-A2 news, which the model never saw:
# scripts/spin_calibration.py); this is used when the calibration has none.
DEFAULT_MARK_THRESHOLD = 0.9
# Characters of context either side of a span when the model ranks its candidates.
CONTEXT_CHARS = 150
# ...and how much lower its swap probability must be for a candidate to displace the
# restorer's first choice.
RERANK_MARGIN = 0.2

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_JOIN = re.compile(r"[ \t\-]*")

# Fallback calibration (used only when calibration.json is absent): document logit =
# b + w_rate * flagged-share + w_margin * mean margin of flagged words.
_DEFAULT_CALIBRATION: dict[str, Any] = {
    "document": [-4.0, 40.0, 0.3, 0.0, 10.0, 40.0],
    "sentence": [-3.0, 8.0, 0.3, 0.0, 5.0, 20.0],
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
    zipf: F32  # Zipf frequency of each word, -1 outside the vocabulary
    known: npt.NDArray[np.bool_]  # the swap behind ``margin`` was seen in spinner output
    quoted: npt.NDArray[np.bool_]  # inside quotation marks (unspin.spin.protect)
    # P(swapped) from the contextual model, or None when the detector runs without one.
    swap_p: F32 | None = None
    # Words marked by the contextual model alone (no collocation or known-swap evidence).
    model_only: npt.NDArray[np.bool_] | None = None
    # The document and sentence features read ``swap_p`` (two more features).
    context_features: bool = False

    def _doc_margin(self) -> F32:
        """Margins as the document and sentence features read them: without the marks of
        the contextual model alone (see :meth:`Detector.word_scores`)."""
        if self.model_only is None or not self.model_only.any():
            return self.margin
        m = self.margin.copy()
        m[self.model_only] = -np.inf
        return m

    def types(self) -> npt.NDArray[np.intp]:
        """An id per word, the same for every occurrence of a word (any case)."""
        ids: dict[str, int] = {}
        return np.array([ids.setdefault(w.lower(), len(ids)) for w in self.words], np.intp)

    def features(
        self, sel: npt.NDArray[np.bool_] | None = None, types: npt.NDArray[np.intp] | None = None
    ) -> list[float]:
        """:func:`document_features` of the text, or of the words ``sel`` picks.

        ``types`` (from :meth:`types`) can be passed in when scoring many selections.
        """
        t = self.types() if types is None else types
        margin = self._doc_margin()
        p = self.swap_p if self.context_features else None
        if sel is None:
            return document_features(margin, self.eligible, self.zipf, self.known, t, p)
        return document_features(
            margin[sel],
            self.eligible[sel],
            self.zipf[sel],
            self.known[sel],
            t[sel],
            None if p is None else p[sel],
        )


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
    low = [w.lower() for w in _WORD.findall(text)]
    share = sum(w in FUNCTION_WORDS for w in low) / len(low)
    lang = guess_language(text)
    if share < MIN_FUNCTION_SHARE and lang in ("en", None):
        return "no prose (a list, table or code rather than sentences)"
    if lang != "en":
        return f"not English (looks like {lang})" if lang else "not English prose"
    return None


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


def logit(p: float) -> float:
    """log(p / (1 - p)), clipped to [-10, 10]."""
    p = min(max(p, 4.6e-5), 1.0 - 4.6e-5)
    return math.log(p / (1.0 - p))


def mark_features(
    margin: float, known: bool, document_probability: float, swap_p: float | None = None
) -> list[float]:
    """Features of a marked word or span for its confidence.

    Its margin (clipped to [-2, 12]), whether a known spinner swap marked it, the logit
    of the text's document probability (a mark in a text that reads as genuine is less
    likely a swap than the same mark in one that reads as spun) and, with the contextual
    model, the logit of its largest swap probability.
    """
    feats = [min(max(margin, MIN_MARGIN), 12.0), float(known), logit(document_probability)]
    if swap_p is not None:
        feats.append(logit(swap_p))
    return feats


def document_features(
    margins: F32,
    eligible: npt.NDArray[np.bool_],
    zipf: F32,
    known: npt.NDArray[np.bool_] | None = None,
    types: npt.NDArray[np.intp] | None = None,
    swap_p: F32 | None = None,
) -> list[float]:
    """Features of a text or sentence, over its content words (distinct ones with ``types``).

    Flagged share, mean margin of flagged words, log number of content words, share of
    rare words (Zipf < :data:`RARE_ZIPF`: spinners pick uncommon synonyms), share of
    words outside the 65,000-word vocabulary (malformed or obscure forms), and the share
    of words flagged through a *known* swap: one seen in real spinner output (learned
    substitutions), such as "profound" for "deep" in "profound learning". Genuine news
    almost never shows several of those (bench/spin_accuracy.py).

    With ``types`` (an id per word, equal for the same word in any case) each distinct word
    counts once, flagged if any of its occurrences is: a topic word repeated through an article ("primary" in a
    report on primaries) then weighs as one word, not five.

    With ``swap_p`` (the contextual model's probabilities) two more: the share of
    content words whose probability passes :data:`CONTEXT_P` and the mean of the
    :data:`CONTEXT_TOP` highest probabilities (each distinct word at its highest).
    """
    extra: list[float] = []
    if swap_p is not None:
        at_p = np.flatnonzero(eligible)
        if len(at_p) and types is not None:
            _, grp = np.unique(types[at_p], return_inverse=True)
            pm = np.zeros(int(grp.max()) + 1, np.float32)
            np.maximum.at(pm, grp, swap_p[at_p])
        else:
            pm = swap_p[at_p]
        if len(pm):
            top = np.sort(pm)[::-1][:CONTEXT_TOP]
            extra = [float((pm > CONTEXT_P).mean()), float(top.mean())]
        else:
            extra = [0.0, 0.0]
    at = np.flatnonzero(eligible)
    if types is not None and len(at):
        _, group = np.unique(types[at], return_inverse=True)
        n = int(group.max()) + 1
        m = np.full(n, -np.inf, np.float32)
        np.maximum.at(m, group, margins[at])
        z = np.zeros(n, np.float32)
        z[group] = zipf[at]
        kn = np.zeros(n, bool)
        if known is not None:
            np.logical_or.at(kn, group, known[at] & (margins[at] > MIN_MARGIN))
    else:
        n = len(at)
        m = margins[at]
        z = zipf[at]
        kn = known[at] if known is not None else np.zeros(n, bool)
    if n == 0:
        return [0.0] * 6 + extra
    pos = m > MIN_MARGIN
    return [
        float(pos.sum()) / n,
        float(m[pos].mean()) if pos.any() else 0.0,
        math.log(n),
        float(((z >= 0) & (z < RARE_ZIPF)).sum()) / n,
        float((z < 0).sum()) / n,
        float((pos & kn).sum()) / n,
        *extra,
    ]


class Detector:
    """Scores texts for spin and restores flagged spans.

    Args:
        lexicon: the offline tables.
        restorer: the restoration model (built from ``lexicon`` when omitted).
        traced: ``(original, spun)`` word swaps learned from traced copies (provenance):
            the only swaps restoration applies inside quotation marks.
        model: the contextual replaced-token detector; by default the shipped one
            (:func:`unspin.swapmodel.load_swap_model`) when ``contextual`` is true.
        contextual: use a contextual model at all (False: collocation evidence only,
            with the calibration fitted for it).
    """

    def __init__(
        self,
        lexicon: Lexicon,
        restorer: Restorer | None = None,
        traced: frozenset[tuple[str, str]] = frozenset(),
        model: SwapModel | None = None,
        *,
        contextual: bool = True,
    ) -> None:
        self.lex = lexicon
        self.restorer = restorer or Restorer(lexicon)
        self.traced = traced
        self._traced_spun = frozenset(spun for _, spun in traced)
        self.model = (model or load_swap_model()) if contextual else None
        calibration: dict[str, Any] = lexicon.calibration or _DEFAULT_CALIBRATION
        # The contextual model has its own calibration (its mark threshold, its
        # probability in the span confidence, and with ``context_features`` its two
        # document features), fitted with it.
        if self.model is not None and "contextual" in calibration:
            calibration = calibration["contextual"]
        self.calibration = calibration
        self.mark_threshold = float(self.calibration.get("mark_threshold", DEFAULT_MARK_THRESHOLD))
        # The alarm threshold belongs to the calibration it was set with.
        self.threshold = float(self.calibration.get("alarm_threshold", ALARM_THRESHOLD))
        # The model's two document features (:func:`document_features` with ``swap_p``)
        # are read when its calibration was fitted with them (eight document features).
        self.context_features = self.model is not None and bool(
            self.calibration.get("context_features", False)
        )

    # -- evidence ------------------------------------------------------------------

    def word_scores(self, text: str) -> WordScores:
        """Margins of every content word of ``text`` from collocation-pair evidence."""
        lex = self.lex
        words, starts, ends, joined = _words(text)
        n = len(words)
        low = [x.lower() for x in words]
        initial = [
            not words[i].islower() and _sentence_initial(text, starts, ends, i) for i in range(n)
        ]
        # A capitalised word also seen capitalised inside a sentence is a name ("Guy").
        names = {
            w for w, first in zip(words, initial, strict=True) if w[:1].isupper() and not first
        }
        # Numbers, magnitudes, negations, pronouns and repeated names are never swapped
        # by a spinner nor changed by the restorer (unspin.spin.protect).
        guard = protected_words(text, words, starts)
        eligible = np.array(
            [
                len(x) >= 3
                and x not in FUNCTION_WORDS
                and not guard.fixed[i]
                and (words[i].islower() or (initial[i] and words[i] not in names))
                for i, x in enumerate(low)
            ],
            bool,
        )
        margin = np.full(n, -np.inf, np.float32)
        known = np.zeros(n, bool)
        if n == 0:
            return WordScores(
                words,
                starts,
                ends,
                eligible,
                margin,
                margin.copy(),
                known,
                guard.quoted,
                None if self.model is None else np.zeros(0, np.float32),
            )
        ids, chan = self.restorer.option_matrix(words, eligible)
        own = ids[:, 0]
        function = np.array([x in FUNCTION_WORDS for x in low], bool)
        # Collocations of two content words, adjacent ("irregular woodland") or with one
        # function word between ("flag to commotion"): both words may have been swapped.
        adj = np.flatnonzero(eligible[:-1] & eligible[1:] & joined[:-1])
        gap = np.flatnonzero(
            eligible[:-2] & function[1:-1] & eligible[2:] & joined[:-2] & joined[1:-1]
        )
        for first, step in ((adj, 1), (gap, 2)):
            if len(first):
                mid = own[first + 1] if step == 2 else None
                self._pair_margins(ids, chan, first, first + step, mid, margin, known)
        self._known_margins(low, own, eligible, joined, margin, known)
        zipf = np.where(own >= 0, lex.zipf[np.maximum(own, 0)], -1.0).astype(np.float32)
        swap_p = None
        if self.model is not None:
            swap_p = self.model.at(text, starts)
            # A single word the model is confident was swapped is marked even with no
            # collocation or known-swap evidence (protected words are never eligible).
            alone = eligible & (swap_p >= self.mark_threshold) & ~(margin > MIN_MARGIN)
            margin[alone] = MIN_MARGIN + 1e-3
            # The six collocation features leave these marks out (the model's evidence
            # enters the document and sentence features, if at all, as its own two:
            # ``context_features``, docs/spin.md).
            return WordScores(
                words,
                starts,
                ends,
                eligible,
                margin,
                zipf,
                known,
                guard.quoted,
                swap_p,
                alone,
                self.context_features,
            )
        return WordScores(words, starts, ends, eligible, margin, zipf, known, guard.quoted)

    def _pair_margins(
        self,
        ids: npt.NDArray[np.int64],
        chan: F32,
        a_at: npt.NDArray[np.intp],
        b_at: npt.NDArray[np.intp],
        mid: npt.NDArray[np.int64] | None,
        margin: F32,
        known: npt.NDArray[np.bool_],
    ) -> None:
        """Raise ``margin`` of words whose collocation has a more established original.

        A pair is judged only when the pair as written never occurs in the offline prose;
        an original pair must occur at least :data:`MIN_PAIR_COUNT` times. The gain is
        the channel score of the swap(s) plus the established-ness of the original pair.
        ``known`` records whether the swap behind a word's margin is a learned one (seen
        in real spinner output).
        """
        lex, w = self.lex, self.restorer.w
        k = PAIR_OPTIONS + 1
        order = np.argsort(-chan[:, 1:], axis=1, kind="stable")[:, : k - 1] + 1
        cols = np.concatenate([np.zeros((len(ids), 1), np.int64), order], axis=1)
        a_ids = np.take_along_axis(ids[a_at], cols[a_at], axis=1)
        b_ids = np.take_along_axis(ids[b_at], cols[b_at], axis=1)
        a_ch = np.take_along_axis(chan[a_at], cols[a_at], axis=1)
        b_ch = np.take_along_axis(chan[b_at], cols[b_at], axis=1)
        if mid is None:
            keys = pack(a_ids[:, :, None], b_ids[:, None, :])
        else:
            keys = pack(a_ids[:, :, None], mid[:, None, None], b_ids[:, None, :])
        cnt = lex.count(keys)
        total = a_ch[:, :, None] + b_ch[:, None, :] + w.bigram * np.log1p(cnt)
        bad = (a_ids < 0)[:, :, None] | (b_ids < 0)[:, None, :] | (cnt < MIN_PAIR_COUNT)
        total[bad] = -np.inf
        total[:, 0, 0] = -np.inf
        unseen = cnt[:, 0, 0] == 0
        flat = total.reshape(len(a_at), -1)
        best = flat.argmax(axis=1)
        gain = flat[np.arange(len(a_at)), best]
        ai, bi = np.divmod(best, k)
        first_learned = 1 + w.neighbours  # option_matrix: self, neighbours, learned
        a_known = cols[a_at, ai] >= first_learned
        b_known = cols[b_at, bi] >= first_learned
        for r, (p, q, g, x, y, ok) in enumerate(zip(a_at, b_at, gain, ai, bi, unseen, strict=True)):
            if not ok or not np.isfinite(g):
                continue
            for at, moved, kn in ((p, x, a_known[r]), (q, y, b_known[r])):
                if moved and g > margin[at]:
                    margin[at] = g
                    known[at] = kn

    def _known_margins(
        self,
        low: list[str],
        own: npt.NDArray[np.int64],
        eligible: npt.NDArray[np.bool_],
        joined: npt.NDArray[np.bool_],
        margin: F32,
        known: npt.NDArray[np.bool_],
    ) -> None:
        """Flag single words written by a known spinner where the original fits better.

        For an eligible word with learned originals, the gain of each original is the
        change in ``bigram x log(1 + count)`` of its bigrams with the joined neighbours
        plus ``learned x log q`` plus :data:`KNOWN_ZIPF` per Zipf unit the original is
        commoner; a gain above :data:`KNOWN_MARGIN` is shifted onto the
        pair-margin scale (so that :data:`MIN_MARGIN` stays the one flag threshold) and
        marked ``known``.
        """
        learned = self.restorer.learned
        rows: list[int] = []
        cands: list[int] = []
        logq: list[float] = []
        for i, word in enumerate(low):
            if not eligible[i] or word not in learned:
                continue
            for orig, cnt in learned[word].items():
                cid = self.lex.index.get(orig, -1)
                if cid >= 0:
                    rows.append(i)
                    cands.append(cid)
                    logq.append(self.restorer.log_q(orig, cnt))
        if not rows:
            return
        at = np.array(rows, np.intp)
        cand = np.array(cands, np.int64)
        n = len(low)
        left = np.where((at > 0) & joined[np.maximum(at - 1, 0)], own[np.maximum(at - 1, 0)], -1)
        right = np.where(
            (at < n - 1) & joined[np.minimum(at, n - 1)], own[np.minimum(at + 1, n - 1)], -1
        )

        def fit(ids: npt.NDArray[np.int64]) -> F32:
            # A missing neighbour (-1) packs to key 0, which counts 0.
            return np.log1p(self.lex.count(pack(left, ids))) + np.log1p(
                self.lex.count(pack(ids, right))
            )

        w = self.restorer.w
        gain = w.bigram * (fit(cand) - fit(own[at])) + w.learned * np.array(logq, np.float32)
        z_own = np.where(own[at] >= 0, self.lex.zipf[np.maximum(own[at], 0)], 1.0)
        gain += KNOWN_ZIPF * np.clip(self.lex.zipf[cand] - z_own, 0.0, 3.0)
        shifted = gain - KNOWN_MARGIN + MIN_MARGIN
        for i, g, ok in zip(at, shifted, gain > KNOWN_MARGIN, strict=True):
            if ok and g > margin[i]:
                margin[i] = g
                known[i] = True

    # -- verdicts ------------------------------------------------------------------

    def _prob(self, kind: str, feats: list[float]) -> float:
        coef = self.calibration[kind]
        return _sigmoid(coef[0] + sum(c * f for c, f in zip(coef[1:], feats, strict=False)))

    def document_probability(self, feats: list[float]) -> float:
        """P(spun) of a whole text: noisy-OR of the two calibrated document models.

        ``document`` reads broken collocations and rare words (fitted against
        embedding-neighbour spins); ``document_known`` reads words a known spinner writes
        (fitted against real-spinner swaps). Either kind of evidence alone can raise the
        alarm.
        """
        p = self._prob("document", feats)
        if "document_known" in self.calibration:
            p = 1.0 - (1.0 - p) * (1.0 - self._prob("document_known", feats))
        return p

    def _spans(self, text: str, ws: WordScores, restore: bool, doc_prob: float) -> list[SpinSpan]:
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
            span = self._span(text, ws, i, j, restore, doc_prob)
            # A mark of the contextual model alone with no candidate original is not
            # shown: only spans with other evidence (or quoted words) may suggest nothing.
            alone = ws.model_only is not None and bool(ws.model_only[i : j + 1].all())
            if not (restore and alone and span.suggestion == span.text):
                spans.append(span)
            i = j + 1
        return spans

    def _confidence(self, ws: WordScores, i: int, j: int, doc_prob: float) -> float:
        """P(the span was swapped): calibrated on marked words (``span`` weights)."""
        margin = float(ws.margin[i : j + 1].max())
        if "span" not in self.calibration:
            return _sigmoid(margin - MIN_MARGIN)
        swap_p = None if ws.swap_p is None else float(ws.swap_p[i : j + 1].max())
        feats = mark_features(margin, bool(ws.known[i : j + 1].any()), doc_prob, swap_p)
        return self._prob("span", feats)

    def _span(
        self, text: str, ws: WordScores, i: int, j: int, restore: bool, doc_prob: float
    ) -> SpinSpan:
        start, end = ws.starts[i], ws.ends[j]
        conf = self._confidence(ws, i, j, doc_prob)
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
        # A quoted word stays as quoted unless a traced copy showed this spinner's swap.
        fixed |= {
            p - lo
            for p in range(i, j + 1)
            if ws.quoted[p] and ws.words[p].lower() not in self._traced_spun
        }
        ranked = self.restorer.rank(words, fixed=fixed, k=6)
        inner = slice(i - lo, i - lo + (j - i + 1))
        outs: list[str] = []
        for seq, _ in ranked:
            cand = seq[inner]
            if [c.lower() for c in cand] == [x.lower() for x in ws.words[i : j + 1]]:
                continue
            if not self._allowed(ws, i, cand):
                continue
            rebuilt = _rebuild(text, ws, i, j, cand)
            if rebuilt not in outs:
                outs.append(rebuilt)
        if not outs:
            return SpinSpan(start, end, span_text, span_text, (), conf)
        outs = outs[:5]
        if self.model is not None and len(outs) > 1:
            outs = self._in_context(text, start, end, outs)
        return SpinSpan(start, end, span_text, outs[0], tuple(outs[1:]), conf)

    def _in_context(self, text: str, start: int, end: int, outs: list[str]) -> list[str]:
        """The candidate originals with the one the contextual model finds most natural in
        the span's place (lowest swap probability) first, when it beats the restorer's
        first choice by :data:`RERANK_MARGIN`; otherwise the restorer's order."""
        assert self.model is not None
        lo = text.rfind(" ", 0, max(start - CONTEXT_CHARS, 0)) + 1
        hi = text.find(" ", min(end + CONTEXT_CHARS, len(text)))
        hi = len(text) if hi < 0 else hi
        before, after = text[lo:start], text[end:hi]
        texts = [before + o + after for o in outs]
        spans = [(len(before), len(before) + len(o)) for o in outs]
        p = self.model.span_probabilities(texts, spans)
        best = int(np.argmin(p))
        # The restorer's choice stays first unless the model finds another clearly more
        # natural ("cost" / "costs" read alike in context; the restorer weighs inflection).
        if float(p[0]) - float(p[best]) < RERANK_MARGIN:
            return outs
        return [outs[best], *(o for k, o in enumerate(outs) if k != best)]

    def _allowed(self, ws: WordScores, i: int, cand: list[str]) -> bool:
        """May ``cand`` replace the words from ``i`` on (:func:`safe_swap`, quotes)?"""
        for k, orig in enumerate(cand):
            written = ws.words[i + k]
            if orig.lower() == written.lower():
                continue
            if not safe_swap(written, orig):
                return False
            if ws.quoted[i + k] and (orig.lower(), written.lower()) not in self.traced:
                return False
        return True

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
                None,
                "cannot judge",
                f"cannot judge: {reason}",
                text=text,
                article_id=article_id,
                threshold=self.threshold,
            )
        ws = self.word_scores(text)
        types = ws.types()
        prob = self.document_probability(ws.features(types=types))
        spans = self._spans(text, ws, restore, prob)
        sentences: list[SentenceSpin] = []
        starts = np.array(ws.starts, np.int64)
        for s, e in sentence_spans(text):
            sel = (starts >= s) & (starts < e)
            feats = ws.features(sel, types)
            n_sp = sum(1 for sp in spans if s <= sp.start < e)
            sentences.append(SentenceSpin(s, e, self._prob("sentence", feats), n_sp))
        n_elig = int(ws.eligible.sum())
        n_flag = int((ws.margin > MIN_MARGIN).sum())
        verdict = "spun" if prob >= self.threshold else "genuine"
        n_known = int(((ws.margin > MIN_MARGIN) & ws.known).sum())
        why = (
            f"{n_flag} of {n_elig} content words read as swapped for a more established "
            f"wording ({100.0 * n_flag / max(n_elig, 1):.1f} %), {n_known} of them by swaps "
            "a known spinner makes (seen in real spinner output or in traced copies)"
        )
        return SpinReport(
            prob, verdict, why, tuple(spans), tuple(sentences), text, article_id, self.threshold
        )


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
