"""Quality gates: accuracy figures from bench/RESULTS.md are floors CI defends.

Each gate recomputes a benchmark figure on the public data in ../shared/data and fails
if it falls below the floor in bench/baselines.json (skipped where the data is absent).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
BASELINES = json.loads((ROOT / "bench" / "baselines.json").read_text())


@pytest.mark.data
def test_extraction_f1_floor(shared_data: Path) -> None:
    from extraction_accuracy import ours, scores, tp_fp_fn

    base = shared_data / "extraction"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    triples = []
    for key, gold in sorted(truth.items()):
        with gzip.open(base / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as fh:
            html = fh.read()
        triples.append(tp_fp_fn(gold.get("articleBody", ""), ours(html, gold.get("url", ""))))
    f1 = scores(triples)["f1"]
    assert f1 >= BASELINES["extraction_f1"], f"extraction F1 {f1:.3f} fell below the floor"


@pytest.mark.data
def test_spin_false_alarm_ceiling(shared_data: Path) -> None:
    import spin_data
    from unspin.spin import ALARM_THRESHOLD, detector

    det = detector()
    judged = [r for _, t in spin_data.genuine_news() if (r := det.judge(t, restore=False)).judged]
    rate = sum(r.probability >= ALARM_THRESHOLD for r in judged) / len(judged)  # type: ignore[operator]
    assert rate <= BASELINES["spin_false_alarm_rate_max"], (
        f"false alarms {rate:.4f} on genuine news"
    )


@pytest.mark.data
def test_spin_heldout_restoration_floor(shared_data: Path) -> None:
    import spin_data
    from spin_accuracy import restoration
    from spin_data import half, norm_phrase
    from unspin.spin import Weights

    pairs = spin_data.tortured_pairs()
    a = [p for p in pairs if half(norm_phrase(p[1])) == "A"]
    b = [p for p in pairs if half(norm_phrase(p[1])) == "B"]
    top1 = restoration(a, b, Weights())["top1"]
    assert top1 >= BASELINES["spin_restoration_top1_heldout"], f"held-out top-1 {top1:.3f}"


@pytest.mark.data
def test_spin_known_spinner_recall_floor(shared_data: Path) -> None:
    from spin_accuracy import real_spinner_part

    _, figures = real_spinner_part()
    recall = figures["all phrases"]
    assert recall >= BASELINES["spin_real_spinner_recall_half_learned"], f"recall {recall:.3f}"


@pytest.mark.data
def test_story_clustering_bcubed_floor(shared_data: Path) -> None:
    import numpy as np

    from stories_accuracy import evaluate
    from unspin.embed import StaticEmbedder
    from unspin.stories import EMBED_TOKENS, ArticleSignals, StoryConfig, extract_terms

    path = shared_data / "ecbplus" / "ecbplus_dev.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    vectors = StaticEmbedder.load().encode([r["text"] for r in rows], max_tokens=EMBED_TOKENS)
    sigs = [
        ArticleSignals(
            id=r["doc_id"], vector=v.astype(np.float32), terms=extract_terms(r["text"]), ts=None
        )
        for r, v in zip(rows, vectors, strict=True)
    ]
    gold = [r["event_cluster"] for r in rows]
    f1 = evaluate(sigs, gold, list(range(len(rows))), StoryConfig(), seeds=(0, 1))["b3_f"]
    assert min(f1) >= BASELINES["stories_bcubed_f1_all_topics"], f"BCubed F1 {f1}"


@pytest.mark.data
def test_copy_detection_floors(shared_data: Path) -> None:
    # A sample of bench/provenance_accuracy.py's dev split: 40 Wikinews 2019 originals
    # spun at 30 % (WordNet synonyms and tortured phrases, which provenance never uses),
    # and 400 independent same-event ECB+ pairs (topics 1-17) that must not read as copies.
    import itertools
    import random

    from _spinner import WORDNET, load_tortured, load_wordnet, spin
    from provenance_accuracy import (
        COPY_KINDS,
        WIRE_RUN,
        judge,
        load_ecb,
        load_wikinews,
        longest_shared_run,
    )

    if not (WORDNET / "data.noun").exists():
        pytest.skip("WordNet (Debian wordnet-base) is not installed: the spinner needs it")
    rng = random.Random(7)
    syn = load_wordnet()
    tortured = load_tortured(shared_data / "tortured_phrases" / "tortured_dev.csv")
    originals = [t for t in load_wikinews("2019") if len(t.split()) >= 80][:40]
    found = sum(
        judge(t, spin(t, 0.3, syn, rng, tortured).text, rng, dated=i % 2 == 0)[0] == "spun_copy"
        for i, t in enumerate(originals)
    )
    pairs = [
        (a, b)
        for docs in load_ecb(range(1, 18)).values()
        for a, b in itertools.combinations(docs, 2)
        if a.strip() != b.strip()
    ]
    rng.shuffle(pairs)
    independent = [(a, b) for a, b in pairs[:500] if longest_shared_run(a, b) < WIRE_RUN][:400]
    copies = sum(judge(a, b, rng, dated=False)[0] in COPY_KINDS for a, b in independent)
    recall, copy_rate = found / len(originals), copies / len(independent)
    assert recall >= BASELINES["provenance_spun_recall_30"], f"spun recall {recall:.3f}"
    assert copy_rate <= BASELINES["provenance_same_story_copy_rate_max"], f"{copy_rate:.3%}"


@pytest.mark.data
@pytest.mark.slow
def test_add_speed_ratio_floor(shared_data: Path, tmp_path: Path) -> None:
    # bench/add_speed.py at its smaller size (~20 s): `unspin add` of the 772 ECB+ dev
    # articles into a store of 1,000, every stage on, as a share of the store-only rate
    # measured in the same run (so the floor follows the code more than the machine).
    from add_speed import fresh_rows, measure

    source = tmp_path / "ecbplus_dev.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in fresh_rows()), encoding="utf-8")
    ratio = measure(1_000, source, tmp_path, repeat=1)["ratio"]
    assert ratio >= BASELINES["add_speed_ratio_1000"], f"end to end / store only {ratio:.3f}"


@pytest.mark.data
@pytest.mark.slow
def test_real_copy_floors(shared_data: Path) -> None:
    # bench/real_copies.py (~20 s): real spinner output, real wire copies and real
    # language-model rewrites, each stored with `Unspin.add` as a user would.
    from real_copies import rewrites, spinbot, wire

    sb = spinbot(shared_data / "spinbot" / "pairs_dev.jsonl")
    assert sb["right"] / sb["pairs"] >= BASELINES["real_copies_spinbot_right_source"], sb
    assert sb["false_links"] <= BASELINES["real_copies_spinbot_false_links_max"], sb
    wi = wire(shared_data / "ecbplus")
    assert wi["copy_found"] / wi["copy"] >= BASELINES["real_copies_wire_found"], wi
    assert wi["copy_only_through_spun"] <= BASELINES["real_copies_wire_through_spun_max"], wi
    assert "spun_copy" not in wi["kinds"], wi
    linked = wi["independent_linked"] + wi["cross_topic_linked"]
    assert linked <= BASELINES["real_copies_independent_linked_max"], wi
    rw = rewrites(shared_data)
    assert rw["traced"] / rw["rewrites"] >= BASELINES["real_copies_rewrites_traced"], rw
    assert rw["false_links"] <= BASELINES["real_copies_wikinews_false_max"], rw


@pytest.mark.data
def test_watch_floors(shared_data: Path) -> None:
    # bench/watch_speed.py at a small size (~15 s): 40 local feeds of 10 items, four poll
    # cycles. Every planted copy of an own Wikinews article is alerted, none twice, and an
    # unchanged cycle is answered by 304s alone.
    import argparse

    from watch_speed import measure

    m = measure(argparse.Namespace(feeds=40, items=10, copies=8))
    assert m["duplicates"] <= BASELINES["watch_duplicate_alerts_max"], m
    assert m["found"] / m["planted"] >= BASELINES["watch_planted_copies_alerted"], m
    unchanged = m["rows"][1]
    assert unchanged["not_modified"] == 40 and unchanged["new_articles"] == 0, unchanged
