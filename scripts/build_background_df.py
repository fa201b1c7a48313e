"""Build the background document frequencies that story clustering starts from.

A story is told apart from another by the names and numbers its articles share, each
weighted by its rarity (TF-IDF). A store's own counts say nothing about rarity while it
holds a handful of articles (in a store of two, every shared name looks common), so the
clusterer adds a background table built here: how many of ``BACKGROUND_DOCS`` typical
news articles would contain each word, estimated from its frequency in ``wordfreq``
(PyPI; its data CC BY-SA 4.0, attribution Robyn Speer, wordfreq), a blend of web, news,
subtitle and Wikipedia text. For a word of frequency ``f`` per word, a document of
``DOC_WORDS`` words holds it with probability ``1 - exp(-f * DOC_WORDS)``.

Output: ``src/unspin/assets/stories/background_df.tsv.gz`` (``term<TAB>df``, lower-case
words as :func:`unspin.stories.extract_terms` writes them, numbers as ``#2019``; terms
with an expected df under 1 are left out: rare) and ``BUILD.json`` beside it.

Run (in the build virtualenv, which has wordfreq)::

    /work/buildvenv/bin/python scripts/build_background_df.py
"""

from __future__ import annotations

import gzip
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_record import write_record  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "unspin" / "assets" / "stories"
OUT = OUT_DIR / "background_df.tsv.gz"

# Pseudo-documents the table counts. Must match unspin.stories.background.BACKGROUND_DOCS
# (the file's header line records it and the loader checks it).
BACKGROUND_DOCS = 1000
# Words of a typical news article: the median length of the Wikinews articles in
# shared/data/wikinews (293 articles, median 333 words), rounded.
DOC_WORDS = 350
# Words looked up: the wordfreq list is cut where a word's expected df drops below 1
# (Zipf ~3.3); 150,000 words reach well past that point.
TOP_WORDS = 150_000
# Numbers looked up as terms ("#7", "#2019"): counts and years a news text names.
MAX_NUMBER = 2100


def expected_df(freq: float) -> float:
    """Expected number of the BACKGROUND_DOCS documents holding a word of this frequency."""
    return BACKGROUND_DOCS * (1.0 - math.exp(-freq * DOC_WORDS))


def main() -> None:
    import wordfreq

    rows: dict[str, int] = {}
    for word in wordfreq.top_n_list("en", TOP_WORDS):
        if not word.isalpha():
            continue
        df = round(expected_df(wordfreq.word_frequency(word, "en")))
        if df >= 1:
            rows[word] = max(rows.get(word, 0), df)
    for n in range(MAX_NUMBER + 1):
        df = round(expected_df(wordfreq.word_frequency(str(n), "en")))
        if df >= 1:
            rows["#" + str(n)] = df
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    lines = [f"#docs\t{BACKGROUND_DOCS}"] + [f"{t}\t{rows[t]}" for t in sorted(rows)]
    # mtime=0: the same table gives the same bytes (the build record checks them).
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    write_record(
        OUT_DIR,
        inputs={
            "word frequencies": "wordfreq English word list (data CC BY-SA 4.0, Robyn Speer)",
        },
        outputs=[OUT],
        packages=["wordfreq"],
        notes=f"df = {BACKGROUND_DOCS} * (1 - exp(-frequency * {DOC_WORDS})), rounded; df >= 1 kept",
    )
    print(f"{len(rows)} terms -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
