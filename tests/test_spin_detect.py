"""Spin detection without the source: verdicts, spans, cannot-judge reasons, offsets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spin_samples import FARM, FARM_SOURCE, GENUINE, PLAIN, SPUN, TORTURED
from unspin.ingest import IngestFailure, IngestOptions, iter_articles
from unspin.model import RESTORE_CONFIDENCE, SpinReport, SpinSpan
from unspin.spin import ALARM_THRESHOLD, detector


@pytest.fixture(scope="module")
def det():  # type: ignore[no-untyped-def]
    return detector()


@pytest.mark.parametrize("text", [GENUINE, PLAIN], ids=["news", "plain-style"])
def test_genuine_text_stays_below_the_alarm(det, text: str) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(text)
    assert report.verdict == "genuine"
    assert report.probability is not None and report.probability < ALARM_THRESHOLD


def test_spun_text_is_flagged_and_spans_restored(det) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(TORTURED)
    assert report.verdict == "spun"
    assert report.probability is not None and report.probability >= ALARM_THRESHOLD
    assert report.spans
    assert report.probability > det.judge(GENUINE).probability


def test_thesaurus_spin_scores_above_its_original(det) -> None:  # type: ignore[no-untyped-def]
    # A spinner the detector has never seen (all-sense thesaurus swaps) is not reliably
    # called spun at <= 1 % false alarms (docs/spin.md), but it reads as more suspect
    # than the article it was made from.
    spun, genuine = det.judge(SPUN), det.judge(GENUINE)
    assert spun.probability is not None and genuine.probability is not None
    assert spun.probability > genuine.probability


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "flood-ai"


@pytest.mark.parametrize(
    ("name", "verdict"),
    [("spun-copy-dailytrendhub.txt", "spun"), ("original-wexcombe-gazette.html", "genuine")],
    ids=["spun-example", "its-original"],
)
def test_bundled_examples_get_the_right_verdict(det, name: str, verdict: str) -> None:  # type: ignore[no-untyped-def]
    (article,) = list(iter_articles([str(EXAMPLES / name)], IngestOptions()))
    assert not isinstance(article, IngestFailure)
    report = det.judge(article.text)
    assert report.verdict == verdict
    if verdict == "spun":
        restored = {s.text.lower(): s.suggestion.lower() for s in report.spans}
        assert restored.get("counterfeit consciousness") == "artificial intelligence"
        assert restored.get("irregular woodland") == "random forest"
        assert "swaps a known spinner makes" in report.reason


@pytest.mark.parametrize(
    ("written", "original"),
    [("profound", "deep"), ("irregular woodland", "random forest")],
)
def test_tortured_phrases_are_marked_and_restored(det, written: str, original: str) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(TORTURED)
    spans = {s.text: s for s in report.spans}
    assert written in spans
    assert spans[written].suggestion == original


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A short note of a few words only.", "under 50 words"),
        (
            "Le conseil municipal a voté mardi pour garder la bibliothèque ouverte le dimanche "
            "pendant une année de plus. La décision fait suite à un mois de réunions au cours "
            "desquelles les habitants ont demandé des horaires plus longs, surtout pour les "
            "étudiants qui travaillent pendant la semaine, et la mairie a dit que le coût "
            "serait couvert par le budget existant sans nouvel impôt pour les habitants de la ville.",
            "not English",
        ),
        (
            "\n".join(
                f"Item {i}: apples {i * 3}, pears {i * 2}, plums {i}, total price {i * 7} euro, "
                "store Northgate Market, aisle twelve"
                for i in range(1, 9)
            ),
            "no prose",
        ),
    ],
    ids=["short", "french", "table"],
)
def test_cannot_judge(det, text: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(text)
    assert report.probability is None
    assert report.verdict == "cannot judge"
    assert report.reason.startswith("cannot judge: ")
    assert reason in report.reason


def test_span_offsets_point_into_the_text(det) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(SPUN)
    for span in report.spans:
        assert SPUN[span.start : span.end] == span.text
        assert span.suggestion.lower() != span.text.lower()
        assert 0.0 <= span.confidence <= 1.0
    assert all(a.end <= b.start for a, b in zip(report.spans, report.spans[1:], strict=False))


def test_sentence_scores_cover_sentences(det) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(SPUN)
    assert len(report.sentences) >= 6
    assert all(0.0 <= s.probability <= 1.0 for s in report.sentences)
    assert max(s.probability for s in report.sentences) > max(
        s.probability for s in det.judge(GENUINE).sentences
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 5), st.text("xyz", min_size=1, max_size=4)),
        max_size=4,
    )
)
def test_restored_replaces_exactly_the_spans(edits: list[tuple[int, int, str]]) -> None:
    text = "abcdefghij" * 6
    spans, pos = [], 0
    for start, length, new in sorted(edits):
        if start < pos:
            continue
        spans.append(SpinSpan(start, start + length, text[start : start + length], new, (), 1.0))
        pos = start + length
    report = SpinReport(0.9, "spun", "", tuple(spans), (), text)
    restored = report.restored()
    assert len(restored) == len(text) + sum(len(s.suggestion) - (s.end - s.start) for s in spans)
    if not spans:
        assert restored == text


KNOWN_SWAP = (
    "The mayor expressed that the new bridge would open in May. Engineers expressed concern "
    "about the cost of steel, which has risen for two years, and the council will meet again "
    "next week to decide how the extra money is found. Residents have waited a long time for "
    "the bridge, and shop owners on both banks hope it brings more customers to the town."
)


def test_a_known_swap_is_flagged_only_where_the_original_fits_better() -> None:
    # A spinner seen to write "expressed" for "said": "mayor expressed that" reads as its
    # output ("mayor said that" is established), "expressed concern" is genuine wording.
    det = detector((("said", "expressed", 5),))
    spans = {(s.start, s.text): s for s in det.judge(KNOWN_SWAP).spans}
    first = KNOWN_SWAP.index("expressed")
    second = KNOWN_SWAP.index("expressed", first + 1)
    assert spans[(first, "expressed")].suggestion == "said"
    assert (second, "expressed") not in spans
    assert "by swaps a known spinner makes" in det.judge(KNOWN_SWAP).reason
    without = {(s.start, s.text) for s in detector().judge(KNOWN_SWAP).spans}
    assert (first, "expressed") not in without


def test_alarm_threshold_is_read_from_the_calibration(tmp_path: Path) -> None:
    from unspin.lexicon import ASSET_DIR, DEFAULT_ALARM_THRESHOLD, alarm_threshold

    assert alarm_threshold(ASSET_DIR) == ALARM_THRESHOLD
    (tmp_path / "calibration.json").write_text('{"alarm_threshold": 0.93}', "utf-8")
    assert alarm_threshold(tmp_path) == 0.93
    assert alarm_threshold(tmp_path / "absent") == DEFAULT_ALARM_THRESHOLD


@pytest.mark.parametrize(
    ("word", "never"),
    [("huge", "small"), ("enormous", "small"), ("numerous", "two"), ("many", "three")],
)
def test_antonyms_and_numbers_are_never_proposed(det, word: str, never: str) -> None:  # type: ignore[no-untyped-def]
    restorer = det.restorer
    assert never not in {o.word for o in restorer.options(word)}
    ids, score = restorer.option_matrix([word], np.array([True]))
    proposed = {
        restorer.lex.words[int(i)] for i, s in zip(ids[0], score[0], strict=True) if np.isfinite(s)
    }
    assert never not in proposed
    assert len(proposed) > 5  # the word still has other candidates


def test_a_name_opening_a_sentence_is_not_judged(det) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Guy spoke first at the meeting. The committee thanked Guy for his report. "
        "Bold plans were discussed."
    )
    ws = det.word_scores(text)
    eligible = dict(zip(ws.starts, ws.eligible, strict=True))
    assert not eligible[0]  # "Guy": seen capitalised inside a sentence, so a name
    assert eligible[text.index("Bold")]  # an ordinary sentence-initial word is judged


def test_features_count_each_word_once_when_types_are_given() -> None:
    from unspin.spin.detect import MIN_MARGIN, document_features

    types = np.array([0, 0, 0, 1, 2, 3])  # "season" three times, then three other words
    margin = np.array([MIN_MARGIN + 1] * 3 + [-np.inf] * 3, np.float32)
    eligible = np.ones(6, bool)
    zipf = np.full(6, 5.0, np.float32)
    known = np.array([True] * 3 + [False] * 3)
    tokens = document_features(margin, eligible, zipf, known)
    distinct = document_features(margin, eligible, zipf, known, types)
    assert tokens[0] == pytest.approx(3 / 6) and tokens[5] == pytest.approx(3 / 6)
    assert distinct[0] == pytest.approx(1 / 4) and distinct[5] == pytest.approx(1 / 4)


def test_restored_applies_only_confident_spans() -> None:
    text = "one two three four"
    spans = (
        SpinSpan(0, 3, "one", "ONE", (), RESTORE_CONFIDENCE),
        SpinSpan(4, 7, "two", "TWO", (), RESTORE_CONFIDENCE - 0.01),
    )
    report = SpinReport(0.9, "spun", "", spans, (), text)
    assert report.applied() == spans[:1]
    assert report.restored() == "ONE two three four"
    assert report.restored(0.0) == "ONE TWO three four"


@pytest.mark.parametrize(
    "text", [GENUINE, PLAIN, FARM_SOURCE], ids=["news", "plain", "farm-source"]
)
def test_a_genuine_article_is_left_untouched(det, text: str) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(text)
    assert report.verdict == "genuine"
    assert report.restored() == text


def _changed_words(before: str, after: str) -> list[tuple[str, str]]:
    """Word pairs that differ, for texts whose spans were replaced word for word."""
    import difflib
    import re

    a = re.findall(r"[A-Za-z0-9$'-]+", before)
    b = re.findall(r"[A-Za-z0-9$'-]+", after)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return out


@pytest.mark.parametrize("min_confidence", [RESTORE_CONFIDENCE, 0.0], ids=["applied", "all-spans"])
def test_protected_words_are_never_changed(det, min_confidence: float) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(FARM)
    assert report.verdict == "spun"
    restored = report.restored(min_confidence)
    for fact in ("$3-billion", "50-member", "She's", "she said", "not going", "never missed",
                 "Harper", "Tom Ellis", "Institute for Strategic Studies",
                 '"We are not going to stand by while our shipyards close,"'):  # fmt: skip
        assert fact in restored, fact
    for written, original in _changed_words(FARM, restored):
        for w in written.split() + original.split():
            assert not any(ch.isdigit() for ch in w), (written, original)
            assert w.lower() not in {"billion", "million", "she's", "you're", "never", "not"}


def test_the_farm_copy_gets_confident_restorations(det) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(FARM)
    applied = {s.text: s.suggestion for s in report.applied()}
    assert applied.get("gathering") == "conference"
    assert applied.get("expense") == "cost"
    possible = {s.text for s in report.spans} - set(applied)
    assert possible, "weaker marks stay possible, not applied"


QUOTED = FARM_SOURCE.replace(
    '"We are not going',
    '"We will send compassionate help to the flooded regions, and we are not going',
)


def test_quoted_words_are_kept_without_a_traced_swap(det) -> None:  # type: ignore[no-untyped-def]
    report = det.judge(QUOTED)
    marked = [s for s in report.spans if s.text == "compassionate help"]
    assert marked and marked[0].suggestion == "compassionate help"
    assert "compassionate help" in report.restored(0.0)


def test_a_quote_is_restored_with_a_swap_learned_from_a_traced_copy() -> None:
    det = detector((("humanitarian", "compassionate", 3), ("aid", "help", 3)))
    report = det.judge(QUOTED)
    marked = [s for s in report.spans if s.text == "compassionate help"]
    assert marked and marked[0].suggestion == "humanitarian aid"
    assert "send humanitarian aid to" in report.restored(0.0)


def test_the_calibration_build_record_matches_the_shipped_asset() -> None:
    import hashlib
    import json

    import unspin

    folder = Path(unspin.__file__).parent / "assets" / "spin"
    record = json.loads((folder / "calibration.build.json").read_text("utf-8"))
    shipped = hashlib.sha256((folder / "calibration.json").read_bytes()).hexdigest()
    assert record["sha256"] == shipped, "calibration.json changed without its build record"
    assert record["command"].endswith("scripts/build_spin_assets.py calibrate")
