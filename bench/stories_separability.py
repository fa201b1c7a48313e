"""Story separability on ECB+: where the split check loses a topic's two events.

Each ECB+ topic holds two events of one kind (two DUI arrests of one team's players, two
emergency browser patches years apart). Streamed one article at a time, the first report
of the second event can join the first event's story, and the reports that follow join
it too; the split check (:meth:`unspin.stories.Clusterer.split`) then divides a story
whose two groups (:meth:`~unspin.stories.Clusterer.two_groups`) score below the split
threshold with each other (:meth:`~unspin.stories.Clusterer.group_score`). This bench
asks which part loses:

1. **The signals.** Each topic's two gold events scored as two groups, against each
   single event's own split-check partition scored the same way. A split threshold
   divides a topic's events only where their score lies below it, and cuts a single
   event in two where its partition's does; the sweep counts both at each threshold.
2. **The partition.** Held-out BCubed F1, by the protocol of bench/stories_accuracy.py
   (2-fold over odd and even topics, 5 stream orders), with the split check handed the
   gold partition of every story that holds two or more events (its largest event
   against the rest; an oracle), against the shipped partition: what a perfect
   partitioner would give with the same scores and thresholds.

The names' rarity (IDF) is that of one stream of all 772 articles (seed 0) with the
shipped constants, as the split check of a real run would see it.

Run: .venv/bin/python bench/stories_separability.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import machine, record_results  # noqa: E402
from stories_accuracy import ecbplus_rows, fmt, held_out_folds, signals  # noqa: E402
from unspin.embed import StaticEmbedder  # noqa: E402
from unspin.stories import EMBED_TOKENS, ArticleSignals, Clusterer, StoryConfig  # noqa: E402

SWEEP = (0.40, 0.45, 0.50, 0.55, 0.60, 0.65)
# Topics whose two events score at least this are listed one by one.
LISTED_FROM = 0.50


class GoldPartition(Clusterer):
    """A clusterer whose split check is handed the gold partition of a story holding two
    or more events (the largest event against the rest, each side at least two
    articles); any other story gets the shipped partition."""

    def __init__(self, config: StoryConfig, event_of: Mapping[str, str]) -> None:
        super().__init__(config)
        self.event_of = event_of

    def two_groups(
        self, members: Sequence[ArticleSignals], copies: Mapping[str, str] | None = None
    ) -> tuple[list[ArticleSignals], list[ArticleSignals]] | None:
        counts = Counter(self.event_of[m.id] for m in members)
        if len(counts) >= 2:
            top = counts.most_common(1)[0][0]
            one = [m for m in members if self.event_of[m.id] == top]
            rest = [m for m in members if self.event_of[m.id] != top]
            if min(len(one), len(rest)) >= 2:
                return (one, rest) if len(one) >= len(rest) else (rest, one)
        return super().two_groups(members, copies)


def fitted(sigs: list[ArticleSignals]) -> Clusterer:
    """A clusterer that has seen every article once (its document frequencies)."""
    c = Clusterer(StoryConfig())
    for i in random.Random(0).sample(range(len(sigs)), len(sigs)):
        c.assign(sigs[i])
    return c


def event_scores(
    c: Clusterer, sigs: list[ArticleSignals], gold: list[str], topics: list[int]
) -> tuple[list[tuple[float, int, float]], list[tuple[float, str]]]:
    """Each two-event topic's gold events scored with each other ``(score, topic,
    embedding cosine)``, and each event's own split-check partition scored the same way
    ``(score, event)`` (events of at least four articles that it divides)."""
    between = []
    for t in sorted(set(topics)):
        events = sorted({g for g, tp in zip(gold, topics, strict=True) if tp == t})
        if len(events) != 2:
            continue
        a, b = ([s for s, g in zip(sigs, gold, strict=True) if g == e] for e in events)
        score, cos, _ = c.group_score(a, b)
        between.append((score, t, cos))
    within = []
    for event in sorted(set(gold)):
        members = [s for s, g in zip(sigs, gold, strict=True) if g == event]
        groups = c.two_groups(members) if len(members) >= 4 else None
        if groups is not None:
            within.append((c.group_score(*groups)[0], event))
    return between, within


def held_out(
    sigs: list[ArticleSignals], gold: list[str], topics: list[int], oracle: bool
) -> list[str]:
    """Table rows of the two held-out folds, the split check given the gold partition
    (``oracle``) or its own."""
    event_of = {s.id: g for s, g in zip(sigs, gold, strict=True)}

    def make(config: StoryConfig) -> Clusterer:
        return GoldPartition(config, event_of) if oracle else Clusterer(config)

    name = "gold partition (oracle)" if oracle else "shipped partition"
    rows = []
    for label, config, res in held_out_folds(sigs, gold, topics, make):
        split = "off" if config.split_threshold is None else f"{config.split_threshold:.2f}"
        rows.append(
            f"| {name} | {label} (th {config.join_threshold:.2f}, w {config.entity_weight:.2f}, "
            f"split {split}) | {fmt(res['b3_p'])} | {fmt(res['b3_r'])} | **{fmt(res['b3_f'])}** |"
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-write", action="store_true", help="print only; do not touch RESULTS.md"
    )
    args = parser.parse_args()
    path, rows, gold, topics = ecbplus_rows()
    vectors = StaticEmbedder.load().encode([r["text"] for r in rows], max_tokens=EMBED_TOKENS)
    sigs = signals(rows, vectors)
    between, within = event_scores(fitted(sigs), sigs, gold, topics)
    lines = [
        f"ECB+ dev ({len(rows)} articles, topics 1-35), static model, undated; {machine()}.",
        "",
        f"Scores with each other: the two gold events of each of the {len(between)} topics "
        f"that hold two, and the split check's own partition of each of the {len(within)} "
        "events it divides (events of four or more articles). A split threshold divides a "
        "topic's events only where they score below it (if the partition finds them), and "
        "cuts a single event wherever its partition scores below it.",
        "",
        "| split threshold | topics whose two events score below it | single events whose partition scores below it |",
        "| ---: | ---: | ---: |",
    ]
    for th in SWEEP:
        lines.append(
            f"| {th:.2f} | {sum(s < th for s, _, _ in between)} of {len(between)} | "
            f"{sum(s < th for s, _ in within)} of {len(within)} |"
        )
    hard = sorted((b for b in between if b[0] >= LISTED_FROM), reverse=True)
    lines += [
        "",
        f"Topics whose two events score {LISTED_FROM:.2f} or more with each other: "
        + ", ".join(f"{t} ({s:.3f}, embedding {cos:.2f})" for s, t, cos in hard)
        + ". Single events' partitions, lowest: "
        + ", ".join(f"{e} {s:.3f}" for s, e in sorted(within)[:8])
        + f" (median {statistics.median(s for s, _ in within):.3f}).",
        "",
        "Held-out BCubed (bench/stories_accuracy.py's protocol: thresholds tuned on one "
        "half of the topics, scored on the other, 5 stream orders, mean and min-max):",
        "",
        "| split check | fold (tuned setting) | BCubed P | BCubed R | BCubed F1 |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += held_out(sigs, gold, topics, oracle=False)
    lines += held_out(sigs, gold, topics, oracle=True)
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        record_results("Story separability (ECB+)", body, data=[path])


if __name__ == "__main__":
    main()
