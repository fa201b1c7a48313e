"""How much of the bundled spun examples ``unspin spin`` marks and restores (issue 8).

The two spun copies in ``examples/flood-ai/`` were made with known substitution tables
(listed in examples/README.md, "Substitution pairs"). For every occurrence of a spun word
or phrase in each copy we check whether a flagged span covers it and whether the span's
suggestion holds the original wording, in two settings:

* **file, shipped assets**: ``unspin spin FILE`` with an empty store (only the shipped
  learned substitutions, from the tortured-phrase list);
* **after ingest**: the whole examples folder ingested into a store first (as
  ``make demo`` does), so provenance has aligned the spun copies to their sources and
  learned their swaps; then ``unspin spin ID``.

These are our own example texts, written for the demo: a check of the issue's "marks
the swapped words and restores most of them", not an accuracy figure (those are in
bench/spin_accuracy.py, on public data).

Run: ``.venv/bin/python bench/spin_examples.py [--no-record]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from harness import record_results  # noqa: E402
from unspin.api import Unspin  # noqa: E402
from unspin.ingest import IngestFailure, IngestOptions, iter_articles  # noqa: E402
from unspin.model import SpinReport  # noqa: E402

EXAMPLES = BENCH.parent / "examples"
SPUN = {
    "spun-copy-dailytrendhub.txt": "dailytrendhub",
    "spun-copy-of-edited-copy-newsmill-today.txt": "newsmill",
}


def substitution_pairs(name: str) -> list[tuple[str, str]]:
    """``(original, spun)`` pairs listed for ``flood-ai/<name>`` in examples/README.md."""
    readme = (EXAMPLES / "README.md").read_text("utf-8")
    section = readme.split(f"**`flood-ai/{name}`**", 1)[1].split("\n\n", 2)[1]
    return re.findall(r"`([^`]+)` → `([^`]+)`", section)


def score(report: SpinReport, pairs: list[tuple[str, str]]) -> tuple[int, int, int, int]:
    """Occurrences of spun wording in the text, how many are marked, how many a span's
    suggestion restores, and how many the restored text (confidence >= 0.8) restores."""
    occurrences = marked = restored = applied = 0
    confident = set(report.applied())
    for original, spun in pairs:
        for m in re.finditer(rf"\b{re.escape(spun)}\b", report.text, re.IGNORECASE):
            occurrences += 1
            span = next((s for s in report.spans if s.start <= m.start() < s.end), None)
            if span is None:
                continue
            marked += 1
            hit = original.lower() in span.suggestion.lower()
            restored += hit
            applied += hit and span in confident
    return occurrences, marked, restored, applied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        Unspin(Path(tmp) / "empty.db") as empty,
        Unspin(Path(tmp) / "demo.db") as demo,
    ):
        demo.add([str(EXAMPLES)])
        stored = {a.id: a for a in demo.store.iter_articles()}
        for name, outlet in SPUN.items():
            pairs = substitution_pairs(name)
            # What `unspin spin FILE` judges: the file's article text, header parsed.
            (item,) = iter_articles([str(EXAMPLES / "flood-ai" / name)], IngestOptions())
            assert not isinstance(item, IngestFailure), item
            file_report = empty.spin(item.text)
            article = next(
                a for a in stored.values() if outlet in (a.url or "") + (a.site or "").lower()
            )
            stored_report = demo.spin(article.id)
            for setting, report in (
                ("file, shipped assets", file_report),
                ("after ingest (provenance learned)", stored_report),
            ):
                occ, marked, restored, applied = score(report, pairs)
                rows.append(
                    f"| {name} | {setting} | {report.verdict} ({report.probability:.4f}) | "
                    f"{occ} | {marked} ({100 * marked / occ:.0f} %) | "
                    f"{restored} ({100 * restored / occ:.0f} %) | "
                    f"{applied} ({100 * applied / occ:.0f} %) | {len(report.spans)} |"
                )
    body = (
        "Spun wording of the bundled examples marked and restored by `unspin spin`:\n\n"
        "| copy | setting | verdict | spun occurrences | marked | a span suggests the original "
        "| restored text has it (confidence >= 0.8) | spans |\n"
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows) + "\n"
    )
    print(body)
    if not args.no_record:
        record_results("Spin on the bundled examples (issues 8, 16)", body, data=[EXAMPLES])


if __name__ == "__main__":
    main()
