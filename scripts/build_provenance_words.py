"""Build src/unspin/assets/provenance/word_counts.tsv: how common each English word is.

Provenance decides which of two undated articles is the source partly by the more
natural wording of the words where they differ (a spinner swaps common words for rarer
synonyms). The proxy is the SemCor tag count of each word's lemma, shipped with WordNet
3.0 (Debian package wordnet-base: /usr/share/wordnet/cntlist.rev), spread to regular and
irregular (WordNet *.exc) inflections. WordNet licence: free use with the copyright
notice (see the asset's header).

Run: python scripts/build_provenance_words.py [/usr/share/wordnet]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/unspin/assets/provenance/word_counts.tsv"
HEADER = (
    "# SemCor lemma tag counts from WordNet 3.0 cntlist.rev, spread to inflections.\n"
    "# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Used under\n"
    "# the WordNet licence (free use, copy, modify, distribute with this notice).\n"
)


def _inflections(lemma: str, pos: str) -> set[str]:
    forms = {lemma}
    if pos in ("1", "2"):  # nouns, verbs
        if lemma.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(lemma + "es")
        elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            forms.add(lemma[:-1] + "ies")
        else:
            forms.add(lemma + "s")
    if pos == "2":
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({stem + "ed", stem + "ing"})
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            forms.add(lemma[:-1] + "ied")
    if pos in ("3", "5"):  # adjectives
        forms.add(lemma + "ly")
    return forms


def main(root: Path) -> None:
    counts: Counter[str] = Counter()
    for line in (root / "cntlist.rev").read_text(encoding="utf-8").splitlines():
        key, _sense, count = line.split()
        lemma, rest = key.split("%", 1)
        if "_" in lemma or not lemma.isalpha():
            continue
        for form in _inflections(lemma.lower(), rest[:1]):
            counts[form] += int(count)
    lemma_counts = dict(counts)
    for exc in ("noun.exc", "verb.exc", "adj.exc", "adv.exc"):
        for line in (root / exc).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1] in lemma_counts:
                counts[parts[0]] += lemma_counts[parts[1]]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for word, n in sorted(counts.items()):
            fh.write(f"{word}\t{n}\n")
    print(f"{OUT}: {len(counts)} words")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/wordnet"))
