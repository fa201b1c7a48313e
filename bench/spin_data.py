"""Data for the spin benchmarks: genuine news, spun copies, tortured phrases, folds.

* genuine news: every Wikinews article (minus the "TEST PAGE" rows) and every ECB+ dev
  article from ../shared/data;
* spun news: those articles with a share of their content words swapped for WordNet
  synonyms by :func:`spinner.spin` (bench/_spinner.py). WordNet's synonym sets are a
  substitution source the spin detector never learns from: it proposes originals from
  embedding neighbours and from substitutions learned from tortured phrases;
* tortured phrases: (spun, expected) pairs, split into two folds by expected phrase.

:func:`fit_calibration` fits the logistic calibration shipped in
``src/unspin/assets/spin/calibration.json`` on calibration half "A" of the news set.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from _spinner import Spun, load_wordnet, spin  # noqa: E402
from unspin.text import tokenize  # noqa: E402

DATA = BENCH.parent.parent / "shared" / "data"
SEED = 8


@dataclass(frozen=True)
class SpunDoc:
    """A spun article with, for each swapped span of it, the original word."""

    doc_id: str
    text: str
    swaps: tuple[tuple[int, int, str], ...]  # (start, end) in text, original word
    n_content: int


def data_present() -> bool:
    return (DATA / "wikinews").exists() and (DATA / "ecbplus").exists()


def genuine_news() -> list[tuple[str, str]]:
    """``(doc_id, text)`` of every genuine article (Wikinews minus TEST PAGE, ECB+ dev)."""
    csv.field_size_limit(1 << 30)
    docs: list[tuple[str, str]] = []
    for path in sorted((DATA / "wikinews").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if row["title"].strip().upper().startswith("TEST PAGE"):
                    continue
                docs.append((f"wikinews:{path.stem}:{i}", row["text"]))
    with (DATA / "ecbplus" / "ecbplus_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs.append((f"ecbplus:{rec['doc_id']}", rec["text"]))
    return docs


def half(key: str) -> str:
    """Deterministic half ``A`` or ``B`` of a document id or phrase (md5 parity)."""
    return "A" if hashlib.md5(key.encode()).digest()[0] % 2 == 0 else "B"


def spun_news(docs: list[tuple[str, str]], rate: float, seed: int = SEED) -> list[SpunDoc]:
    """Spin each article at ``rate`` with WordNet synonyms; keep the original words."""
    syn = load_wordnet()
    out: list[SpunDoc] = []
    for doc_id, text in docs:
        rng = random.Random(f"{seed}:{rate}:{doc_id}")
        s: Spun = spin(text, rate, syn, rng)
        starts = {t.start: t for t in tokenize(text)}
        swaps: list[tuple[int, int, str]] = []
        delta = 0
        for a, b in s.swapped:
            orig = starts[a - delta]
            swaps.append((a, b, orig.text))
            delta += (b - a) - (orig.end - orig.start)
        out.append(SpunDoc(doc_id, s.text, tuple(swaps), s.n_content))
    return out


def tortured_spun_news(
    docs: list[tuple[str, str]],
    share: float,
    pairs: list[tuple[str, str]],
    seed: int = SEED,
) -> list[SpunDoc]:
    """Spin each article with the word swaps of real spinner output (tortured phrases).

    Every lower-case content word that is the original of a swap seen in ``pairs``
    (``(spun, expected)`` tortured phrases) is swapped with probability ``share``, for a
    spun word drawn in proportion to how often the spinner wrote it. This is the
    calibration's spinner: a substitution source other than the WordNet spinner the
    benchmark evaluates on, and the kind of swaps the shipped learned map describes.
    """
    from unspin.spin.learn import pairs_from_phrases
    from unspin.text import FUNCTION_WORDS

    table: dict[str, dict[str, int]] = {}
    for spun_phrase, expected in pairs:
        for orig, new in pairs_from_phrases(expected, spun_phrase):
            if orig in FUNCTION_WORDS or new in FUNCTION_WORDS or len(orig) < 3:
                continue
            row = table.setdefault(orig, {})
            row[new] = row.get(new, 0) + 1
    out: list[SpunDoc] = []
    for doc_id, text in docs:
        rng = random.Random(f"{seed}:tortured:{share}:{doc_id}")
        parts: list[str] = []
        swaps: list[tuple[int, int, str]] = []
        pos = n_content = 0
        length = 0
        for tok in tokenize(text):
            word = tok.text
            if not word.isalpha() or word.lower() in FUNCTION_WORDS:
                continue
            n_content += 1
            row = table.get(word)
            if not row or not word.islower() or rng.random() >= share:
                continue
            new = rng.choices(sorted(row), weights=[row[k] for k in sorted(row)])[0]
            parts.append(text[pos : tok.start])
            length += tok.start - pos
            swaps.append((length, length + len(new), word))
            parts.append(new)
            length += len(new)
            pos = tok.end
        parts.append(text[pos:])
        out.append(SpunDoc(doc_id, "".join(parts), tuple(swaps), n_content))
    return out


def tortured_pairs() -> list[tuple[str, str]]:
    """``(spun, expected)`` of tortured_dev.csv (first quoted string of column 1)."""
    pairs: list[tuple[str, str]] = []
    with (DATA / "tortured_phrases" / "tortured_dev.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            m = re.search(r'"([^"]+)"', row[0])
            spun = (m.group(1) if m else row[0]).strip()
            if spun and row[1].strip():
                pairs.append((spun, row[1].strip()))
    return pairs


_PAREN = re.compile(r"\s*\([^)]*\)")


def norm_phrase(phrase: str) -> str:
    """Comparable form of an expected phrase: lower case, parentheses dropped, spaces."""
    return " ".join(_PAREN.sub("", phrase).lower().split())


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, iters: int = 50) -> list[float]:
    """Logistic regression by Newton's method; returns [bias, w1, w2, ...]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (p - y) + l2 * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return [float(v) for v in w]


def features(
    detector: object, text: str, swaps: tuple[tuple[int, int, str], ...] = ()
) -> tuple[list[float], list[tuple[list[float], int]]]:
    """Document features and (sentence features, has-a-swap) of one text."""
    from unspin.spin.detect import document_features
    from unspin.text import sentence_spans

    ws = detector.word_scores(text)  # type: ignore[attr-defined]
    starts = np.array(ws.starts, np.int64)
    doc = document_features(ws.margin, ws.eligible, ws.zipf, ws.known)
    sents = []
    for s, e in sentence_spans(text):
        sel = (starts >= s) & (starts < e)
        label = int(any(s <= a < e for a, _, _ in swaps))
        feats = document_features(ws.margin[sel], ws.eligible[sel], ws.zipf[sel], ws.known[sel])
        sents.append((feats, label))
    return doc, sents


def fit_calibration() -> dict[str, object]:
    """Fit document and sentence calibration on half A of the genuine news.

    Genuine half-A articles (label 0) against two spinners run on the same articles
    (label 1): WordNet swaps at 10/20/30 % of content words (:func:`spun_news`) and the
    word swaps of real spinner output (:func:`tortured_spun_news`, every swappable word).
    Features come from a detector whose learned map holds only half A of the tortured
    phrases, so about half of the real-spinner swaps are unknown to it, as they would be
    for a spinner seen only in part. The alarm threshold is the 99th percentile of the
    genuine half-A document probabilities (<= 1 % false alarms).
    """
    from unspin.spin.assets import load_lexicon
    from unspin.spin.detect import Detector
    from unspin.spin.learn import pairs_from_phrases, tally

    pairs = tortured_pairs()
    seen: list[tuple[str, str]] = []
    for spun_phrase, expected in pairs:
        if half(norm_phrase(expected)) == "A":
            seen.extend(pairs_from_phrases(expected, spun_phrase))
    lex = load_lexicon(learned=False)
    det = Detector(lex.with_learned(tally(seen)))
    docs = [d for d in genuine_news() if half(d[0]) == "A"]
    xs, ys, sx, sy = [], [], [], []
    for _, text in docs:
        if len(text.split()) < 50:
            continue
        f, s = features(det, text)
        xs.append(f)
        ys.append(0)
        for sf, _ in s:
            sx.append(sf)
            sy.append(0)
    n_genuine = len(xs)
    spins = [spun_news(docs, rate) for rate in (0.1, 0.2, 0.3)]
    spins.append(tortured_spun_news(docs, 1.0, pairs))
    for spun in spins:
        for sd in spun:
            if len(sd.text.split()) < 50:
                continue
            f, s = features(det, sd.text, sd.swaps)
            xs.append(f)
            ys.append(1)
            for sf, lab in s:
                sx.append(sf)
                sy.append(lab)
    doc_w = fit_logistic(np.array(xs), np.array(ys, float))
    logits = np.array(xs[:n_genuine]) @ np.array(doc_w[1:]) + doc_w[0]
    genuine_p = 1 / (1 + np.exp(-logits))
    return {
        "document": doc_w,
        "sentence": fit_logistic(np.array(sx), np.array(sy, float)),
        "alarm_threshold_p99_genuine_A": float(np.quantile(genuine_p, 0.99, method="higher")),
        "fitted_on": (
            "bench/spin_data.py half A: genuine Wikinews+ECB+ vs WordNet spins at 10/20/30 % "
            "and real-spinner (tortured-phrase) word swaps; features with the half-A learned map"
        ),
    }
