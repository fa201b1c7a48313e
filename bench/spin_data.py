"""Data for the spin benchmarks: genuine news, spun copies, tortured phrases, folds.

* genuine news: every Wikinews article (minus the "TEST PAGE" rows) and every ECB+ dev
  article from ../shared/data;
* spun news: those articles with a share of their content words swapped for WordNet
  synonyms by :func:`spinner.spin` (bench/_spinner.py). WordNet's synonym sets are a
  substitution source the spin detector never learns from: it proposes originals from
  embedding neighbours and from substitutions learned from tortured phrases;
* calibration spins: :func:`neighbour_spun_news` swaps words for their nearest
  neighbours in the detector's own embedding table, and :func:`tortured_spun_news` applies
  the word swaps of real spinner output (tortured phrases). The calibration never sees a
  WordNet spin, so the benchmark's WordNet-spun news is a substitution source the
  detector has learned nothing from;
* tortured phrases: (spun, expected) pairs, split into two folds by expected phrase.

``scripts/spin_calibration.py`` fits the logistic calibration shipped in
``src/unspin/assets/spin/calibration.json`` on calibration half "A" of the news set with
these data; the benchmarks only measure.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from _spinner import Spun, load_wordnet, spin  # noqa: E402
from harness import data_root  # noqa: E402
from unspin.text import tokenize  # noqa: E402

DATA = data_root()  # ../shared/data, or $UNSPIN_SHARED_DATA
SEED = 8


@dataclass(frozen=True)
class SpunDoc:
    """A spun article with, for each swapped span of it, the original word."""

    doc_id: str
    text: str
    swaps: tuple[tuple[int, int, str], ...]  # (start, end) in text, original word
    n_content: int


def data_present() -> bool:
    return (DATA / "wikinews").exists() and (DATA / "ecbplus").exists()


def genuine_news() -> list[tuple[str, str]]:
    """``(doc_id, text)`` of every genuine article (Wikinews minus TEST PAGE, ECB+ dev)."""
    csv.field_size_limit(1 << 30)
    docs: list[tuple[str, str]] = []
    for path in sorted((DATA / "wikinews").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if row["title"].strip().upper().startswith("TEST PAGE"):
                    continue
                docs.append((f"wikinews:{path.stem}:{i}", row["text"]))
    with (DATA / "ecbplus" / "ecbplus_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs.append((f"ecbplus:{rec['doc_id']}", rec["text"]))
    return docs


def half(key: str) -> str:
    """Deterministic half ``A`` or ``B`` of a document id or phrase (md5 parity)."""
    return "A" if hashlib.md5(key.encode()).digest()[0] % 2 == 0 else "B"


def part(key: str) -> str:
    """``A1``, ``A2`` or ``B``: half A cut in two by the next bit of the same md5 byte.

    The contextual model (``scripts/train_spin_model.py``) trains on the genuine news of
    part A1; calibration with the model (``scripts/spin_calibration.py``) reads part A2,
    so the alarm threshold is set on articles the model never saw. Half B is untouched.
    """
    byte = hashlib.md5(key.encode()).digest()[0]
    if byte % 2:
        return "B"
    return "A1" if byte % 4 == 0 else "A2"


def spun_news(docs: list[tuple[str, str]], rate: float, seed: int = SEED) -> list[SpunDoc]:
    """Spin each article at ``rate`` with WordNet synonyms; keep the original words."""
    syn = load_wordnet()
    out: list[SpunDoc] = []
    for doc_id, text in docs:
        rng = random.Random(f"{seed}:{rate}:{doc_id}")
        s: Spun = spin(text, rate, syn, rng)
        starts = {t.start: t for t in tokenize(text)}
        swaps: list[tuple[int, int, str]] = []
        delta = 0
        for a, b in s.swapped:
            orig = starts[a - delta]
            swaps.append((a, b, orig.text))
            delta += (b - a) - (orig.end - orig.start)
        out.append(SpunDoc(doc_id, s.text, tuple(swaps), s.n_content))
    return out


def _swap_words(
    text: str, rng: random.Random, pick: object
) -> tuple[str, tuple[tuple[int, int, str], ...], int]:
    """Rewrite ``text`` word by word: ``pick(word, rng)`` returns a replacement or None.

    Only lower-case alphabetic content words are offered to ``pick`` (names, numbers and
    function words are kept, as spinners keep them). Returns the new text, the swapped
    spans (in the new text) with their original words, and the number of content words.
    """
    from unspin.text import FUNCTION_WORDS

    parts: list[str] = []
    swaps: list[tuple[int, int, str]] = []
    pos = n_content = length = 0
    for tok in tokenize(text):
        word = tok.text
        if not word.isalpha() or word.lower() in FUNCTION_WORDS:
            continue
        n_content += 1
        if not word.islower():
            continue
        new = pick(word, rng)  # type: ignore[operator]
        if not new:
            continue
        parts.append(text[pos : tok.start])
        length += tok.start - pos
        swaps.append((length, length + len(new), word))
        parts.append(new)
        length += len(new)
        pos = tok.end
    parts.append(text[pos:])
    return "".join(parts), tuple(swaps), n_content


def _spin_docs(docs: list[tuple[str, str]], key: str, pick: object) -> list[SpunDoc]:
    """:func:`_swap_words` over every article, each with its own seeded generator."""
    out: list[SpunDoc] = []
    for doc_id, text in docs:
        new, swaps, n_content = _swap_words(text, random.Random(f"{key}:{doc_id}"), pick)
        out.append(SpunDoc(doc_id, new, swaps, n_content))
    return out


def neighbour_spun_news(
    docs: list[tuple[str, str]], rate: float, seed: int = SEED, width: int = 10
) -> list[SpunDoc]:
    """Spin each article at ``rate`` with embedding neighbours (the calibration spinner).

    Each lower-case content word of three or more letters is swapped with probability
    ``rate`` for one of its ``width`` nearest words in the detector's MiniLM word table
    (``lexicon.npz``), drawn uniformly, skipping function words. WordNet is not used.
    """
    from unspin.lexicon import load_lexicon
    from unspin.text import FUNCTION_WORDS

    lex = load_lexicon(learned=False)

    def pick(word: str, rng: random.Random) -> str | None:
        wid = lex.index.get(word, -1)
        if wid < 0 or len(word) < 3 or rng.random() >= rate:
            return None
        cands = [lex.words[int(c)] for c in lex.nbr_idx[wid, :width]]
        cands = [c for c in cands if c not in FUNCTION_WORDS and c != word]
        return rng.choice(cands) if cands else None

    return _spin_docs(docs, f"{seed}:neighbour:{rate}", pick)


def tortured_spun_news(
    docs: list[tuple[str, str]],
    share: float,
    pairs: list[tuple[str, str]],
    seed: int = SEED,
) -> list[SpunDoc]:
    """Spin each article with the word swaps of real spinner output (tortured phrases).

    Every lower-case content word that is the original of a swap seen in ``pairs``
    (``(spun, expected)`` tortured phrases) is swapped with probability ``share``, for a
    spun word drawn in proportion to how often the spinner wrote it. This is the
    calibration's spinner: a substitution source other than the WordNet spinner the
    benchmark evaluates on, and the kind of swaps the shipped learned map describes.
    """
    from unspin.spin.learn import pairs_from_phrases
    from unspin.text import FUNCTION_WORDS

    table: dict[str, dict[str, int]] = {}
    for spun_phrase, expected in pairs:
        for orig, new in pairs_from_phrases(expected, spun_phrase):
            if orig in FUNCTION_WORDS or new in FUNCTION_WORDS or len(orig) < 3:
                continue
            row = table.setdefault(orig, {})
            row[new] = row.get(new, 0) + 1

    def pick(word: str, rng: random.Random) -> str | None:
        row = table.get(word)
        if not row or rng.random() >= share:
            return None
        return rng.choices(sorted(row), weights=[row[k] for k in sorted(row)])[0]

    return _spin_docs(docs, f"{seed}:tortured:{share}", pick)


def tortured_pairs() -> list[tuple[str, str]]:
    """``(spun, expected)`` of tortured_dev.csv (first quoted string of column 1)."""
    pairs: list[tuple[str, str]] = []
    with (DATA / "tortured_phrases" / "tortured_dev.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            m = re.search(r'"([^"]+)"', row[0])
            spun = (m.group(1) if m else row[0]).strip()
            if spun and row[1].strip():
                pairs.append((spun, row[1].strip()))
    return pairs


_PAREN = re.compile(r"\s*\([^)]*\)")


def norm_phrase(phrase: str) -> str:
    """Comparable form of an expected phrase: lower case, parentheses dropped, spaces."""
    return " ".join(_PAREN.sub("", phrase).lower().split())


def data_files() -> list[Path]:
    """The public data the spin benchmarks read, for the data hash of their results."""
    return [
        *sorted((DATA / "wikinews").glob("*.csv")),
        DATA / "ecbplus" / "ecbplus_dev.jsonl",
        DATA / "tortured_phrases" / "tortured_dev.csv",
        DATA / "spinbot" / "pairs_dev.jsonl",
    ]


def stamp(command: str) -> str:
    """``_date · machine · commit · data hash · command_`` for a RESULTS.md section."""
    from datetime import UTC, datetime

    from add_speed import commit  # type: ignore[import-not-found]
    from harness import machine

    h = hashlib.sha256()
    for path in data_files():
        h.update(path.read_bytes())
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"_{when} · {machine()} · commit {commit()} · data {h.hexdigest()[:12]} · `{command}`_"


def pairs_from_texts(source: str, copy: str) -> list[tuple[str, str]]:
    """Word substitutions ``(original, spun)`` of a spun copy aligned to its source, as
    provenance aligns a traced copy and the spin stage learns from it (the stages keep
    apart; the benchmarks and the asset scripts join them here)."""
    from unspin.provenance.align import align
    from unspin.spin.learn import pairs_from_phrases

    return [
        pair
        for sub in align(source, copy).substitutions
        for pair in pairs_from_phrases(sub.source, sub.copy)
    ]
