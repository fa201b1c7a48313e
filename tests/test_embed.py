"""The static embedding model, its WordPiece tokenizer, and the optional transformer."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.embed import StaticEmbedder, TransformerEmbedder, load_embedder, read_safetensors
from unspin.errors import InputError, UnspinError
from unspin.wordpiece import WordPieceTokenizer


@pytest.fixture(scope="module")
def emb() -> StaticEmbedder:
    return StaticEmbedder.load()


def test_shipped_model_shape_and_size(emb: StaticEmbedder) -> None:
    assert emb.dim == 256
    assert emb.embeddings.shape[0] == len(emb.tokenizer) == 30522
    folder = Path(__file__).resolve().parents[1] / "src/unspin/assets/embed"
    assert (folder / "model.safetensors").stat().st_size < 17_000_000


def test_encode_rows_are_unit_length(emb: StaticEmbedder) -> None:
    v = emb.encode(["An earthquake struck Chile.", "Stocks fell in Tokyo."])
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_empty_text_gives_zero_row(emb: StaticEmbedder) -> None:
    v = emb.encode(["", "   ", "real words here"])
    assert not v[0].any() and not v[1].any()
    assert v[2].any()


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [
        (
            "A strong earthquake hit Chile",
            "A powerful quake struck Chile",
            "The central bank raised interest rates",
        ),
        (
            "The actress entered rehab",
            "The star checked into a treatment center",
            "The team won the football match",
        ),
    ],
)
def test_paraphrases_are_closer_than_unrelated(emb: StaticEmbedder, a: str, b: str, c: str) -> None:
    va, vb, vc = emb.encode([a, b, c])
    assert va @ vb > va @ vc + 0.1


def test_max_tokens_truncates(emb: StaticEmbedder) -> None:
    text = "Chile earthquake. " + "Football match result. " * 50
    head, full = emb.encode([text, text], max_tokens=3)[0], emb.encode([text])[0]
    quake = emb.encode(["Chile earthquake."])[0]
    assert head @ quake > full @ quake


def test_encode_batches_agree_with_single(emb: StaticEmbedder) -> None:
    texts = [f"text number {i} about Chile" for i in range(150)]
    batch = emb.encode(texts)
    assert np.allclose(batch[137], emb.encode([texts[137]])[0], atol=1e-6)


def test_word_vector_matches_single_word_encoding(emb: StaticEmbedder) -> None:
    w = emb.word_vector("earthquake")
    assert np.allclose(w / np.linalg.norm(w), emb.encode(["earthquake"])[0], atol=1e-5)


TOY = {"[UNK]": 0, "[CLS]": 1, "un": 2, "##spin": 3, ",": 4, "spin": 5, "cafe": 6, "!": 7, "中": 8}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Unspin, spin!", [2, 3, 4, 5, 7]),
        ("CAFÉ", [6]),  # accents stripped, lower-cased
        ("spin\u200bspin", [5, 3]),  # zero-width space deleted: one word, two pieces
        ("xyz", [0]),
        ("中spin", [8, 5]),  # CJK characters are words of their own
        ("", []),
    ],
)
def test_wordpiece_rules(text: str, want: list[int]) -> None:
    assert WordPieceTokenizer(TOY).encode(text) == want


def test_wordpiece_needs_unk() -> None:
    with pytest.raises(ValueError, match="UNK"):
        WordPieceTokenizer({"a": 0})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["spin", "unspin", "Cafe", ",", "!", "x", " ", "\n"]), max_size=12))
def test_wordpiece_cache_is_transparent(parts: list[str]) -> None:
    text = " ".join(parts)
    warm = WordPieceTokenizer(TOY)
    warm.encode(text)
    assert warm.encode(text) == WordPieceTokenizer(TOY).encode(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7F), max_size=30))
def test_wordpiece_ascii_words_are_the_general_rules(chunk: str) -> None:
    general = WordPieceTokenizer._pre_tokenize(WordPieceTokenizer._normalize(chunk))
    assert WordPieceTokenizer._words(chunk) == general


def test_read_safetensors_rejects_garbage(tmp_path: Path) -> None:
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"\x05\x00")
    with pytest.raises(InputError, match="too short"):
        read_safetensors(bad)


def test_load_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read model file"):
        StaticEmbedder.load(tmp_path)


def test_load_embedder_rejects_unknown_kind() -> None:
    with pytest.raises(UnspinError, match="unknown embedder"):
        load_embedder("word2vec")


HAS_ST = importlib.util.find_spec("sentence_transformers") is not None


def test_transformer_without_extra_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on an install without the extra, whether or not this one has it.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(UnspinError, match=r"unspin\[transformer\]"):
        TransformerEmbedder(tmp_path)


@pytest.mark.skipif(
    not HAS_ST, reason="sentence-transformers (the unspin[transformer] extra) is not installed"
)
def test_transformer_loads_a_tiny_local_model(tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = tmp_path / "vocab.txt"
    vocab.write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "quake", "chile", "rehab"])
    )
    tok = BertTokenizerFast(vocab_file=str(vocab))
    cfg = BertConfig(
        vocab_size=8,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
    )
    folder = tmp_path / "tiny"
    BertModel(cfg).save_pretrained(folder / "bert")
    tok.save_pretrained(folder / "bert")
    word = models.Transformer(str(folder / "bert"))
    SentenceTransformer(modules=[word, models.Pooling(16)]).save(str(folder))
    emb = TransformerEmbedder(folder)
    v = emb.encode(["quake chile", "rehab"])
    assert v.shape == (2, 16)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_transformer_missing_folder(tmp_path: Path) -> None:
    if not HAS_ST:
        pytest.skip("sentence-transformers (the unspin[transformer] extra) is not installed")
    with pytest.raises(InputError, match="no such model folder"):
        TransformerEmbedder(tmp_path / "absent")
