"""Make test copies of real articles: synonym spinning and sentence edits (bench only).

The substitution source is one the provenance code never sees or tunes on:

* WordNet 3.0 synonyms (Debian wordnet-base, ``/usr/share/wordnet/data.*``, parsed
  here): every lemma sharing a synset with the word, all senses mixed, as cheap
  article spinners do; regular inflections are carried over naively and irregular
  forms (``*.exc``) mapped to their lemma;
* the real spinner output of tortured_phrases (``tortured_dev.csv``): where the
  expected phrase occurs in the article it is replaced by the tortured one.

Names (capitalised words inside a sentence), numbers and function words are never
swapped: spinners keep them, which is what the stable fingerprint relies on.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from unspin.text import FUNCTION_WORDS, sentence_spans, tokenize

WORDNET = Path("/usr/share/wordnet")


@dataclass(frozen=True)
class Spun:
    """A spun text and the character spans (in it) of every swapped word or phrase."""

    text: str
    swapped: tuple[tuple[int, int], ...]
    n_content: int

    @property
    def rate(self) -> float:
        return len(self.swapped) / self.n_content if self.n_content else 0.0


def load_wordnet(root: Path = WORDNET) -> dict[str, list[str]]:
    """Word → synonyms (other lemmas of its synsets), single words and short phrases.

    Exits with one line naming the missing package when WordNet is not installed.
    """
    if not (root / "data.noun").exists():
        raise SystemExit(
            f"{root}: WordNet 3.0 is not installed; the benchmark's spinner needs it: "
            "`make wordnet` (Debian package wordnet-base)"
        )
    syn: dict[str, set[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (root / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            parts = line.split()
            n = int(parts[3], 16)
            lemmas = [
                re.sub(r"\(.*\)$", "", parts[4 + 2 * i]).replace("_", " ").lower() for i in range(n)
            ]
            lemmas = [w for w in lemmas if w.replace(" ", "").replace("-", "").isalpha()]
            for w in lemmas:
                if " " in w:
                    continue
                others = {o for o in lemmas if o != w and len(o.split()) <= 3}
                if others:
                    syn.setdefault(w, set()).update(others)
    lemma_of: dict[str, str] = {}
    for pos in ("noun", "verb", "adj"):
        for line in (root / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            p = line.split()
            if len(p) >= 2 and p[1] in syn:
                lemma_of[p[0]] = p[1]
    out = {w: sorted(s) for w, s in syn.items()}
    for form, lemma in lemma_of.items():
        out.setdefault(form, out[lemma])
    return out


def load_tortured(path: Path) -> list[tuple[str, str]]:
    """(expected phrase, tortured phrase) pairs from tortured_dev.csv."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = re.search(r'"([^"]+)"', row["tortured_phrase"])
            if m and row["expected_phrase"].strip():
                pairs.append((row["expected_phrase"].strip().lower(), m.group(1).strip().lower()))
    return pairs


def _synonyms(word: str, syn: dict[str, list[str]]) -> list[str]:
    low = word.lower()
    if low in syn:
        return syn[low]
    for suffix in ("ies", "es", "s", "ed", "ing", "ly"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            for base in (stem, stem + "e", stem + "y"):
                if base in syn:
                    return [
                        o + ("s" if suffix == "ies" else suffix) for o in syn[base] if " " not in o
                    ]
    return []


def _sentence_starts(text: str) -> set[int]:
    return {s for s, _ in sentence_spans(text)}


def spin(
    text: str,
    rate: float,
    syn: dict[str, list[str]],
    rng: random.Random,
    tortured: list[tuple[str, str]] | None = None,
) -> Spun:
    """Swap ``rate`` of the content words of ``text`` for synonyms.

    Tortured-phrase replacements apply first where their expected phrase occurs; then
    WordNet synonyms fill up to the target count.
    """
    starts = _sentence_starts(text)
    toks = [t for t in tokenize(text) if t.is_word]
    content = [
        t
        for t in toks
        if t.lower not in FUNCTION_WORDS
        and not t.text[:1].isdigit()
        and (t.text[:1].islower() or t.start in starts)
    ]
    target = round(rate * len(content))
    edits: dict[int, tuple[int, str]] = {}  # start -> (end, replacement)
    if tortured:
        low = text.lower()
        for expected, phrase in tortured:
            if len(edits) >= target:
                break
            for m in re.finditer(r"\b" + re.escape(expected) + r"\b", low):
                if not any(
                    s <= m.start() < e or m.start() <= s < m.end() for s, (e, _) in edits.items()
                ):
                    edits[m.start()] = (m.end(), phrase)
                    break
    candidates = [t for t in content if _synonyms(t.text, syn)]
    rng.shuffle(candidates)
    for t in candidates:
        if len(edits) >= target:
            break
        if any(s <= t.start < e for s, (e, _) in edits.items()):
            continue
        choice = rng.choice(_synonyms(t.text, syn))
        if t.text[:1].isupper():
            choice = choice[:1].upper() + choice[1:]
        edits[t.start] = (t.end, choice)
    out, spans, pos = [], [], 0
    for start in sorted(edits):
        end, rep = edits[start]
        out.append(text[pos:start])
        new_start = sum(len(x) for x in out)
        out.append(rep)
        spans.append((new_start, new_start + len(rep)))
        pos = end
    out.append(text[pos:])
    return Spun("".join(out), tuple(spans), len(content))


def edit_sentences(
    text: str, filler: list[str], syn: dict[str, list[str]], rng: random.Random, n_ops: int = 3
) -> str:
    """A hand-edited copy: ``n_ops`` of drop / add / move / reword one sentence.

    ``filler`` holds sentences of other articles (the copier's additions); a reworded
    sentence has ~60 % of its content words swapped and one word dropped.
    """
    sents = [text[s:e] for s, e in sentence_spans(text)]
    for _ in range(n_ops):
        if len(sents) < 4:
            break
        op = rng.choice(["drop", "add", "move", "reword"])
        i = rng.randrange(len(sents))
        if op == "drop":
            sents.pop(i)
        elif op == "add":
            sents.insert(i, rng.choice(filler))
        elif op == "move":
            s = sents.pop(i)
            sents.insert(rng.randrange(len(sents) + 1), s)
        else:
            spun = spin(sents[i], 0.6, syn, rng).text.split()
            if len(spun) > 4:
                spun.pop(rng.randrange(1, len(spun) - 1))
            sents[i] = " ".join(spun)
    return " ".join(sents)
