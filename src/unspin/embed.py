"""Text embeddings: a static model shipped in the package, the transformer as an extra.

The default :class:`StaticEmbedder` is a model2vec-format static model distilled from
all-MiniLM-L6-v2 by ``scripts/build_static_model.py``: one vector per WordPiece token,
a text's embedding is the mean of its tokens' vectors, L2-normalised. It needs only
numpy and runs two orders of magnitude faster than the transformer on a CPU.

:class:`TransformerEmbedder` wraps the full sentence-transformer when the
``unspin[transformer]`` extra is installed, loading it from a local folder only (nothing
is downloaded at run time).

Example:
    >>> emb = StaticEmbedder.load()
    >>> vectors = emb.encode(["Quake hits Chile", "Earthquake strikes Chile"])
    >>> vectors.shape
    (2, 256)
    >>> float(vectors[0] @ vectors[1]) > 0.5
    True
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from unspin.errors import InputError, UnspinError
from unspin.wordpiece import WordPieceTokenizer

__all__ = [
    "Embedder",
    "StaticEmbedder",
    "TransformerEmbedder",
    "load_embedder",
    "read_safetensors",
]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 row vectors."""

    @property
    def dim(self) -> int: ...

    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


_DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64}


def read_safetensors(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Read float tensors from a ``.safetensors`` file with numpy alone.

    Raises:
        InputError: the file is missing, truncated, or holds a dtype other than F16/F32/F64.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read model file ({exc.strerror})") from exc
    if len(raw) < 8:
        raise InputError(str(path), "not a safetensors file (too short)")
    (header_len,) = struct.unpack("<Q", raw[:8])
    try:
        header = json.loads(raw[8 : 8 + header_len])
    except ValueError as exc:
        raise InputError(str(path), f"not a safetensors file (bad header: {exc})") from exc
    base = 8 + header_len
    tensors: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise InputError(str(path), f"tensor {name!r} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        if base + end > len(raw):
            raise InputError(str(path), f"tensor {name!r} is truncated")
        array = np.frombuffer(
            raw,
            dtype=np.dtype(dtype).newbyteorder("<"),
            count=(end - start) // np.dtype(dtype).itemsize,
            offset=base + start,
        )
        tensors[name] = array.reshape(info["shape"]).astype(dtype)
    return tensors


def _package_model_dir() -> Path:
    return Path(str(resources.files("unspin") / "assets" / "embed"))


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


class StaticEmbedder:
    """A static (token-vector) embedding model in model2vec format.

    Args:
        embeddings: ``(vocabulary, dim)`` token vectors.
        tokenizer: the WordPiece tokenizer whose ids index ``embeddings``.
        name: a label for reports.

    Build one with :meth:`load`.
    """

    def __init__(
        self, embeddings: np.ndarray, tokenizer: WordPieceTokenizer, *, name: str = "static"
    ) -> None:
        if embeddings.ndim != 2 or embeddings.shape[0] < len(tokenizer):
            raise ValueError(
                f"embedding matrix {embeddings.shape} does not cover the {len(tokenizer)}-token vocabulary"
            )
        self.embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        self.tokenizer = tokenizer
        self._name = name
        self._skip = np.zeros(len(self.embeddings), dtype=bool)
        for special in ("[UNK]", "[PAD]", "[CLS]", "[SEP]", "[MASK]"):
            if special in tokenizer.vocab:
                self._skip[tokenizer.vocab[special]] = True
        self._skip_ids = frozenset(np.flatnonzero(self._skip).tolist())

    @staticmethod
    def shared() -> StaticEmbedder:
        """The model shipped in the package, loaded once per process and shared by every
        stage that reads it (stories, provenance's rewrite check). Worker processes
        forked after the first call share its pages instead of loading their own."""
        return _shared_static()

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> StaticEmbedder:
        """Load a model folder (``model.safetensors`` + ``tokenizer.json``).

        Args:
            path: the folder; ``None`` means the model shipped in the package.

        Raises:
            InputError: a file is missing or malformed.
        """
        folder = Path(path) if path is not None else _package_model_dir()
        tensors = read_safetensors(folder / "model.safetensors")
        if "embeddings" not in tensors:
            raise InputError(str(folder / "model.safetensors"), "no 'embeddings' tensor")
        try:
            tokenizer = WordPieceTokenizer.from_file(folder / "tokenizer.json")
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(
                str(folder / "tokenizer.json"), f"cannot load tokenizer ({exc})"
            ) from exc
        return cls(tensors["embeddings"], tokenizer, name=f"static:{folder.name}")

    @property
    def dim(self) -> int:
        return int(self.embeddings.shape[1])

    @property
    def special_ids(self) -> frozenset[int]:
        """The ids :meth:`token_ids` drops (``[UNK]``, ``[PAD]``, ``[CLS]``, ...)."""
        return self._skip_ids

    @property
    def name(self) -> str:
        return self._name

    def token_ids(self, text: str, max_tokens: int | None = None) -> np.ndarray:
        """The vocabulary ids whose vectors make up ``text``'s embedding (specials dropped).

        With ``max_tokens``, tokenising stops once that many are found: the same ids as
        cutting the whole text's, without the rest of a long article.
        """
        tokenizer = self.tokenizer
        chunks = tokenizer.chunks(text)
        # With max_tokens, chunks are encoded max_tokens at a time (a chunk holds one id
        # or more, bar the rare one of specials only), so most texts take one step.
        step = max_tokens or max(len(chunks), 1)
        parts: list[np.ndarray] = []
        found = 0
        for start in range(0, len(chunks), step):
            hits = tokenizer.chunk_ids(chunks[start : start + step])
            ids = np.fromiter(chain.from_iterable(hits), dtype=np.int64)
            ids = ids[~self._skip[ids]]
            parts.append(ids)
            found += len(ids)
            if max_tokens is not None and found >= max_tokens:
                break
        if not parts:
            return np.zeros(0, dtype=np.int64)
        ids = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return ids[:max_tokens]

    def encode(self, texts: Sequence[str], *, max_tokens: int | None = None) -> np.ndarray:
        """Embed ``texts``: the mean of their token vectors, L2-normalised.

        Args:
            texts: the texts; an empty one (or one of only unknown tokens) gives a zero row.
            max_tokens: use only each text's first ``max_tokens`` tokens.

        Returns:
            ``(len(texts), dim)`` float32 array; rows have unit length or are zero.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text, max_tokens)
            if len(ids):
                # One text at a time, so its vectors stay in the CPU cache (gathering 64
                # texts at once was 2.8x slower), and each distinct token once, weighted
                # by its count (news repeats a third of its tokens: 1.9x faster than
                # summing every token; vectors within 1e-7, the same ECB+ stories).
                uniq, counts = np.unique(ids, return_counts=True)
                total = np.einsum("i,ij->j", counts.astype(np.float32), self.embeddings[uniq])
                out[row] = total / len(ids)
        return _normalise_rows(out)

    def word_vector(self, word: str) -> np.ndarray:
        """The (unnormalised) vector of one word: the mean of its WordPiece vectors."""
        ids = self.token_ids(word)
        if not len(ids):
            return np.zeros(self.dim, dtype=np.float32)
        return np.asarray(self.embeddings[ids].mean(axis=0))


class TransformerEmbedder:
    """The full sentence-transformer (``unspin[transformer]`` extra), from a local folder.

    Args:
        path: a sentence-transformers model folder (e.g. all-MiniLM-L6-v2's files).
        batch_size: texts per forward pass.

    Raises:
        UnspinError: sentence-transformers is not installed (install ``unspin[transformer]``).
        InputError: ``path`` is not a folder or the model cannot be loaded from it.
    """

    def __init__(self, path: str | os.PathLike[str], *, batch_size: int = 32) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise UnspinError(
                "the transformer embedder needs sentence-transformers: "
                "pip install 'unspin[transformer]'"
            ) from exc
        folder = Path(path)
        if not folder.is_dir():
            raise InputError(
                str(folder), "no such model folder (the transformer loads from a local path only)"
            )
        try:
            self.model: Any = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise InputError(
                str(folder), f"cannot load a sentence-transformers model ({exc})"
            ) from exc
        self.batch_size = batch_size
        self._name = f"transformer:{folder.name}"
        # sentence-transformers >= 6 renamed the method; older versions have only the first.
        getter = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        dim = getter()
        self._dim = int(dim) if dim else int(self.encode(["x"]).shape[1])

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def name(self) -> str:
        return self._name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (truncated to the model's maximum length), L2-normalised."""
        if not texts:
            return np.zeros((0, getattr(self, "_dim", 0)), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalise_rows(np.asarray(vectors, dtype=np.float32))


@lru_cache(maxsize=1)
def _shared_static() -> StaticEmbedder:
    return StaticEmbedder.load()


def load_embedder(kind: str = "static", path: str | os.PathLike[str] | None = None) -> Embedder:
    """The embedder called ``kind``: ``static`` (default, shipped) or ``transformer``.

    Args:
        path: model folder; required for ``transformer``; optional for ``static``.

    Raises:
        UnspinError: unknown ``kind``, or ``transformer`` without a ``path``.
    """
    if kind == "static":
        return StaticEmbedder.load(path)
    if kind == "transformer":
        if path is None:
            raise UnspinError("the transformer embedder needs a local model folder (--model PATH)")
        return TransformerEmbedder(path)
    raise UnspinError(f"{kind}: unknown embedder (use static or transformer)")
