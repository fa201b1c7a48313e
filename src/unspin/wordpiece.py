"""BERT's WordPiece tokenizer in pure Python, for the static embedding model.

It reproduces Hugging Face ``tokenizers``' ``BertNormalizer`` (clean text, space around
CJK characters, strip accents, lower-case), ``BertPreTokenizer`` (split on whitespace
and punctuation) and the greedy longest-match-first ``WordPiece`` model, reading the
vocabulary from a ``tokenizer.json``. ``scripts/build_static_model.py`` checks it
against the Rust implementation when building the model.

Speed comes from a per-instance cache of whitespace-separated chunks: news text repeats
its words, so most chunks cost one dict lookup (made for all of a text's chunks at once).
A chunk not seen before that is all ASCII (most of English news) skips the character
by character normaliser: lower-casing is all it does to one, and a regex splits off its
punctuation.

This module imports nothing from unspin, so the build script can load it by path in an
environment that lacks unspin's dependencies.

Example:
    >>> tok = WordPieceTokenizer({"[UNK]": 0, "un": 1, "##spin": 2, ",": 3})
    >>> tok.encode("Unspin, unspin")
    [1, 2, 3, 1, 2]
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from functools import partial
from itertools import chain, compress
from operator import is_
from pathlib import Path
from typing import cast

__all__ = ["WordPieceTokenizer"]

# Characters BERT's normaliser deletes (controls and formats, NUL, U+FFFD) that Python's
# str.split() would instead treat as separators or keep. Deleting them first keeps the
# chunk cache exact.
_DELETE = {cp: None for cp in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]}
_DELETE.update({cp: None for cp in range(0x7F, 0xA0)})
_DELETE.update(
    {cp: None for cp in (0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFFFD)}
)
# Any of them: most texts hold none, and searching is cheaper than translating (and
# deleting them with this regex 15x cheaper than str.translate).
_DELETE_ANY = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_DELETE)) + "]")
# Bound on the chunk cache: a few hundred thousand distinct chunks is tens of MB.
_CACHE_LIMIT = 300_000
# The words of a lower-cased, printable ASCII chunk: runs of letters and digits, and each
# other character but the space alone (BERT counts every one of them as punctuation).
_ASCII_WORDS = re.compile(r"[a-z0-9]+|[^a-z0-9 ]")
_is_none = partial(is_, None)


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieceTokenizer:
    """Lower-casing BERT WordPiece tokenizer over a fixed vocabulary.

    Args:
        vocab: token -> id; must hold ``[UNK]``.
        max_chars_per_word: words longer than this become ``[UNK]`` (BERT uses 100).

    Raises:
        ValueError: the vocabulary has no ``[UNK]`` token.
    """

    def __init__(self, vocab: dict[str, int], *, max_chars_per_word: int = 100) -> None:
        if "[UNK]" not in vocab:
            raise ValueError("WordPiece vocabulary has no [UNK] token")
        self.vocab = vocab
        self.unk_id = vocab["[UNK]"]
        self.max_chars_per_word = max_chars_per_word
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> WordPieceTokenizer:
        """Load the vocabulary of a Hugging Face ``tokenizer.json`` (WordPiece model).

        Raises:
            ValueError: the file does not describe a WordPiece tokenizer.
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        model = data.get("model", {})
        if model.get("type") != "WordPiece":
            raise ValueError(
                f"{path}: not a WordPiece tokenizer.json (model type {model.get('type')!r})"
            )
        return cls(
            dict(model["vocab"]), max_chars_per_word=int(model.get("max_input_chars_per_word", 100))
        )

    def __len__(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``, without ``[CLS]``/``[SEP]``."""
        return list(chain.from_iterable(self.chunk_ids(self.chunks(text))))

    @staticmethod
    def chunks(text: str) -> list[str]:
        """The whitespace-separated chunks of ``text`` that :meth:`chunk_ids` encodes (the
        characters BERT's normaliser deletes removed first)."""
        if _DELETE_ANY.search(text):
            text = _DELETE_ANY.sub("", text)
        return text.split()

    def chunk_ids(self, chunks: Sequence[str]) -> list[tuple[int, ...]]:
        """The token ids of each of ``chunks`` (from :meth:`chunks`), in order: a reader
        that needs only the first few hundred tokens encodes the first chunks only."""
        cache = self._cache
        # One C-level lookup per chunk; only chunks not seen before are tokenised (each
        # once), and the misses are found and filled in at C level too.
        hits = list(map(cache.get, chunks))
        if None in hits:
            missing = dict.fromkeys(compress(chunks, map(_is_none, hits)))
            new = {c: tuple(self._encode_chunk(c)) for c in missing}
            if len(cache) + len(new) > _CACHE_LIMIT:
                cache.clear()
            cache.update(new)
            hits = list(map(new.get, chunks, hits))
        return cast(list[tuple[int, ...]], hits)

    def tokenize(self, text: str) -> list[str]:
        """The WordPiece tokens of ``text`` as strings (for inspection and tests)."""
        inverse = {i: t for t, i in self.vocab.items()}
        return [inverse[i] for i in self.encode(text)]

    def _encode_chunk(self, chunk: str) -> list[int]:
        if chunk.isascii() and chunk.isprintable():
            # What _normalize and _pre_tokenize make of it: printable ASCII has no
            # characters to delete, no CJK characters and no accents, and its only
            # whitespace, the space, separates words (tests check the two paths agree).
            text = chunk.lower()
            if text.isalnum():
                return self._wordpiece(text)
            words = _ASCII_WORDS.findall(text)
        else:
            words = self._pre_tokenize(self._normalize(chunk))
        ids: list[int] = []
        for word in words:
            ids.extend(self._wordpiece(word))
        return ids

    @staticmethod
    def _normalize(chunk: str) -> str:
        out = []
        for ch in chunk:
            cp = ord(ch)
            if _is_cjk(cp):
                out.append(f" {ch} ")
            elif ch.isspace():
                out.append(" ")
            elif unicodedata.category(ch)[0] == "C":
                continue
            else:
                out.append(ch)
        text = unicodedata.normalize("NFD", "".join(out))
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        return text.lower()

    @staticmethod
    def _pre_tokenize(text: str) -> list[str]:
        words: list[str] = []
        for part in text.split():
            start = 0
            for i, ch in enumerate(part):
                if _is_punct(ch):
                    if i > start:
                        words.append(part[start:i])
                    words.append(ch)
                    start = i + 1
            if start < len(part):
                words.append(part[start:])
        return words

    def _wordpiece(self, word: str) -> list[int]:
        if len(word) > self.max_chars_per_word:
            return [self.unk_id]
        vocab = self.vocab
        whole = vocab.get(word)
        if whole is not None:
            return [whole]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk_id]
            pieces.append(found)
            start = end
        return pieces
