"""The contextual spin model (unspin.swapmodel): the shipped int8 ONNX model loads with
onnxruntime, marks a swapped word above the genuine words around it, separates a spun
text from its original in the detector, and leaves a genuine text untouched."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.lexicon import load_lexicon
from unspin.spin.detect import Detector
from unspin.swapmodel import (
    MODEL_DIR,
    MODEL_FILE,
    TOKENIZER,
    SwapModel,
    load_swap_model,
    token_pieces,
    tokens,
    windows,
)
from unspin.wordpiece import WordPieceTokenizer

# Texts of our own writing (not from any corpus).
ORIGINAL = (
    "The city council voted on Tuesday to expand the bus network after a year of "
    "complaints from commuters. The mayor said the new routes would reach the northern "
    "suburbs by the end of the summer, and that the plan would cost less than the "
    "council had feared. Residents who spoke at the meeting welcomed the decision but "
    "asked for more frequent services in the evening, when many buses run half empty. "
    "The transport department will publish the timetable next month."
)
# The same text as a cheap spinner would rewrite it (thesaurus swaps of content words).
SPUN = (
    "The city chamber voted on Tuesday to grow the transport web after a year of "
    "grievances from suburbanites. The chairman expressed the new courses would arrive "
    "at the northern rural areas by the finish of the mid year, and that the arrangement "
    "would cost less than the chamber had dreaded. Inhabitants who talked at the "
    "gathering invited the choice but requested more incessant administrations in the "
    "night, when many transports run half vacant. The vehicle office will distribute "
    "the schedule one month from now."
)


@pytest.fixture(scope="module")
def model() -> SwapModel:
    m = load_swap_model()
    assert m is not None, f"{MODEL_DIR / MODEL_FILE} is not shipped"
    return m


def test_the_shipped_model_loads_and_is_recorded(model: SwapModel) -> None:
    path = MODEL_DIR / MODEL_FILE
    assert path.stat().st_size < 25 * 2**20
    record = json.loads((MODEL_DIR / "BUILD.json").read_text(encoding="utf-8"))
    out = record["outputs"][MODEL_FILE]
    assert out["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert out["step"]["command"].startswith("scripts/train_spin_model.py export")
    # Steps that rewrote the exported file in place, each with the file it rewrote.
    for step in out.get("after", []):
        assert step["command"].startswith("scripts/train_spin_model.py ")
        assert len(step["rewrote_sha256"]) == 64 and step["notes"]
    assert (MODEL_DIR / "README.md").exists()


GOLDEN = Path(__file__).parent / "golden" / "swapmodel_probabilities.json"
# How far a word's probability may move between machines. The layer norms, softmax and
# GELU round by the CPU's vector width (about 1e-6 between two AVX2 machines), and where
# such a difference moves an activation across a rounding step of its dynamic int8
# quantisation, the window's later layers see one step more or less: on an AMD EPYC with
# AVX-512 and VNNI (onnxruntime 1.32.0, 2026-12-05) 24 of the original's 86 words, all in
# one window, moved by up to 0.0064 (the spun text's not at all), and the spin gates read
# the same there but one (spin_spinbot_restored_exactly 0.1344 against 0.1336: one swap
# more restored). Integer products that saturate (int8 weights on a CPU without VNNI)
# moved them by up to 0.11: that is what this test is for, and it stays well outside.
CPU_TOLERANCE = 0.02


def test_the_model_gives_the_same_probabilities_on_every_cpu(model: SwapModel) -> None:
    # Golden probabilities of our two texts, written on an AMD EPYC with AVX2 and no VNNI
    # by the model with unsigned weights (scripts/train_spin_model.py unsigned_weights),
    # whose integer products are exact on every CPU: with it, the quality gates read on a
    # VNNI CPU read the same there (spin_unseen_spinner_recall 0.0413; 0.0356 with the
    # exported int8 weights). A model whose products depend on the CPU (the exported one
    # moved these by up to 0.11 there) fails here on such a machine, where the detector's
    # verdicts drift from their calibration; the float rounding every CPU has its own of
    # (CPU_TOLERANCE) passes.
    got = {
        name: [round(float(p), 6) for p in model.word_probabilities(text)[1]]
        for name, text in (("original", ORIGINAL), ("spun", SPUN))
    }
    if os.environ.get("UNSPIN_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name, probabilities in golden.items():
        assert len(got[name]) == len(probabilities)
        drift = max(abs(a - b) for a, b in zip(got[name], probabilities, strict=True))
        assert drift <= CPU_TOLERANCE, f"{name}: probabilities moved by {drift:.4f}"


def test_a_swapped_word_scores_above_the_genuine_words(model: SwapModel) -> None:
    text = "The prime pastor met the leaders of the opposition on Tuesday to discuss the budget."
    spans, p = model.word_probabilities(text)
    words = [text[a:b] for a, b in spans]
    swapped = p[words.index("pastor")]
    genuine = [
        p[i] for i, w in enumerate(words) if w in ("prime", "leaders", "opposition", "budget")
    ]
    assert swapped > max(genuine)
    # The original reads as unswapped.
    spans2, p2 = model.word_probabilities(text.replace("pastor", "minister"))
    words2 = [text.replace("pastor", "minister")[a:b] for a, b in spans2]
    assert p2[words2.index("minister")] < swapped


def test_windows_cover_every_token_once() -> None:
    pieces = [[7] * (1 + i % 3) for i in range(500)]
    spans = windows(pieces, limit=40)
    assert spans[0][0] == 0 and spans[-1][1] == 500
    assert all(a < b for a, b in spans)
    assert all(spans[k][1] == spans[k + 1][0] for k in range(len(spans) - 1))
    assert all(sum(len(pieces[t]) for t in range(a, b)) <= 40 for a, b in spans)
    assert tokens("She's 50-member, $3-billion.")[0] == [
        "She's",
        "50",
        "-",
        "member",
        ",",
        "$",
        "3",
        "-",
        "billion",
        ".",
    ]


def test_the_model_caches_the_pieces_the_tokenizer_gives(model: SwapModel) -> None:
    words = tokens(SPUN + " \u00c9clair na\u00efve---\u2603")[0]
    expected = token_pieces(model.tokenizer, words)
    assert model.token_pieces(words) == expected
    assert model.token_pieces(words) == expected  # from the cache


@lru_cache(maxsize=1)
def _tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer.from_file(TOKENIZER)


# Letters, figures, punctuation, and the characters BERT's normaliser deletes or splits.
_ODD = "".join(
    chr(c) for c in (0x00, 0x0B, 0x1C, 0x7F, 0x85, 0xA0, 0xAD, 0x200B, 0x2060, 0xFEFF, 0xFFFD)
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(_ODD))))
def test_a_tokens_pieces_are_those_of_encoding_it_alone(text: str) -> None:
    """The chunk cache the model reads gives each token the ids ``encode`` gives it."""
    tok = _tokenizer()
    words = tokens(text)[0]
    assert token_pieces(tok, words) == [tuple(tok.encode(w)) or (tok.unk_id,) for w in words]


def test_a_long_text_gets_one_probability_per_token(model: SwapModel) -> None:
    text = " ".join([ORIGINAL] * 6)
    spans, p = model.word_probabilities(text)
    assert len(spans) == len(p) == len(tokens(text)[0])
    assert np.all((p >= 0) & (p <= 1))


def test_the_model_separates_a_spun_text_from_its_original() -> None:
    lex = load_lexicon()
    with_model = Detector(lex)
    assert with_model.model is not None
    spun, orig = with_model.judge(SPUN), with_model.judge(ORIGINAL)
    assert spun.probability is not None and orig.probability is not None
    assert spun.probability > orig.probability
    ws_spun, ws_orig = with_model.word_scores(SPUN), with_model.word_scores(ORIGINAL)
    assert ws_spun.swap_p is not None and ws_orig.swap_p is not None
    assert ws_spun.swap_p[ws_spun.eligible].mean() > ws_orig.swap_p[ws_orig.eligible].mean()


def test_a_genuine_text_stays_untouched() -> None:
    rep = Detector(load_lexicon()).judge(ORIGINAL)
    assert rep.verdict == "genuine"
    assert rep.restored() == ORIGINAL


def test_protected_words_are_never_marked_by_the_model() -> None:
    text = (
        "The prime pastor said she's not sure the $3-billion contract with the 50-member "
        "alliance will be signed. " + ORIGINAL
    )
    det = Detector(load_lexicon())
    rep = det.judge(text)
    for span in rep.spans:
        assert not {"she's", "not", "billion", "member", "50"} & {
            w.lower() for w in span.text.replace("-", " ").split()
        }
    restored = rep.restored()
    for kept in ("she's not sure", "$3-billion", "50-member"):
        assert kept in restored


def test_without_the_model_the_detector_runs_as_before() -> None:
    det = Detector(load_lexicon(), contextual=False)
    assert det.model is None
    ws = det.word_scores(ORIGINAL)
    assert ws.swap_p is None
    assert len(ws.features()) == 6
    # With the model: the same six (its marks left out), plus its own two only when the
    # shipped calibration was fitted with them in the verdict.
    with_model = Detector(load_lexicon())
    ws = with_model.word_scores(ORIGINAL)
    assert len(ws.features()) == (8 if with_model.context_features else 6)
    assert ws.features()[:6] == det.word_scores(ORIGINAL).features()


def test_the_model_document_features_are_two_more() -> None:
    det = Detector(load_lexicon())
    det.context_features = True
    ws = det.word_scores(SPUN)
    feats = ws.features()
    assert len(feats) == 8
    share, top = feats[6:]
    assert 0.0 <= share <= 1.0
    assert 0.0 <= top <= 1.0
    assert ws.swap_p is not None
    assert top <= float(np.sort(ws.swap_p[ws.eligible])[-5:].mean()) + 1e-6


def test_the_model_never_saw_the_articles_calibration_reads() -> None:
    """Trained on part A1 of half A of the news; calibrated (mark threshold) on part A2."""
    record = json.loads((MODEL_DIR / "BUILD.json").read_text(encoding="utf-8"))
    step = record["outputs"][MODEL_FILE]["step"]
    training = json.loads(step["inputs"]["training"]["description"])
    assert "news_documents_part_A1" in training["data"]
    calibration = load_lexicon().calibration
    assert calibration is not None
    assert "part-A2" in calibration["contextual"]["mark_threshold_rule"]
