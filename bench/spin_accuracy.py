"""Spin detection and restoration accuracy on public data (issue 8).

Two parts, both on ../shared/data:

1. **Tortured phrases** (real spinner output). Pairs are split into halves A and B by
   expected phrase (md5 parity of the normalised expected phrase), so no expected phrase
   is on both sides. Restoration learns substitutions from one half and is scored on the
   other; the scoring weights were tuned on half A only (``--tune``), so "learn A ->
   test B" is the held-out figure. Each phrase is also placed in a genuine Wikinews
   sentence to measure detection recall. "Exact" compares lower-cased phrases with
   parenthesised parts dropped ("(SARS)" cannot be guessed from the spun words).
2. **Documents**: genuine news (Wikinews minus TEST PAGE, all ECB+ dev) against WordNet
   spins at 10/20/30 % (bench/_spinner.py). The detector never uses WordNet synonyms:
   it proposes originals from MiniLM embedding neighbours and from substitutions learned
   from tortured phrases, and its calibration was fitted on half A of these articles
   against embedding-neighbour spins and half-A real-spinner swaps (bench/spin_data.py),
   never against a WordNet spin. Figures are given for half B and for all.
3. **Real-spinner documents**: half-B genuine articles with the word swaps of real
   spinner output (tortured phrases) applied to every swappable word, scored by a
   detector that learned half A of the tortured phrases, once with spins drawn from the
   half-B phrases only (swaps it never saw) and once from all phrases.

Run: ``.venv/bin/python bench/spin_accuracy.py [--tune] [--no-record]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spin_data  # noqa: E402
from _spinner import WORDNET  # noqa: E402
from harness import record_results  # noqa: E402
from spin_data import half, norm_phrase  # noqa: E402
from unspin.lexicon import load_lexicon  # noqa: E402
from unspin.spin.detect import ALARM_THRESHOLD, MIN_MARGIN, Detector  # noqa: E402
from unspin.spin.learn import pairs_from_phrases, tally  # noqa: E402
from unspin.spin.restore import Restorer, Weights  # noqa: E402
from unspin.text import sentences  # noqa: E402

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def learned_from(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str, int], ...]:
    obs: list[tuple[str, str]] = []
    for spun, expected in pairs:
        obs.extend(pairs_from_phrases(expected, spun))
    return tally(obs)


def restoration(
    train: list[tuple[str, str]], test: list[tuple[str, str]], weights: Weights, learn: bool = True
) -> dict[str, float]:
    """Top-1/top-5 exact restoration of ``test`` after learning from ``train``."""
    lex = load_lexicon(learned=False)
    restorer = Restorer(lex.with_learned(learned_from(train) if learn else ()), weights)
    top1 = top5 = eq_n = eq1 = eq5 = 0
    for spun, expected in test:
        want = norm_phrase(expected)
        got = [norm_phrase(c) for c in restorer.restore_phrase(spun, k=5)]
        hit1 = bool(got) and got[0] == want
        hit5 = want in got
        top1 += hit1
        top5 += hit5
        if len(_WORD.findall(spun)) == len(_WORD.findall(norm_phrase(expected))):
            eq_n += 1
            eq1 += hit1
            eq5 += hit5
    n = len(test)
    return {
        "n": n,
        "top1": top1 / n,
        "top5": top5 / n,
        "eq_n": eq_n,
        "eq_top1": eq1 / max(eq_n, 1),
        "eq_top5": eq5 / max(eq_n, 1),
    }


def tune(pairs: list[tuple[str, str]]) -> Weights:
    """Grid search on half A only: learn from A1, score A2 (inner split by phrase)."""
    a = [p for p in pairs if half(norm_phrase(p[1])) == "A"]
    inner_train = [p for p in a if half("inner:" + norm_phrase(p[1])) == "A"]
    inner_test = [p for p in a if half("inner:" + norm_phrase(p[1])) == "B"]
    best, best_w = -1.0, Weights()
    for swap in (1.0, 2.5):
        for sim in (3.0, 8.0):
            for bigram in (0.8, 1.6, 3.0):
                for learned in (0.5, 1.0):
                    for zipf in (0.3, 0.8):
                        w = replace(
                            Weights(),
                            swap=swap,
                            sim=sim,
                            bigram=bigram,
                            trigram=bigram * 0.75,
                            learned=learned,
                            zipf=zipf,
                        )
                        r = restoration(inner_train, inner_test, w)
                        score = r["top1"] + 0.5 * r["top5"]
                        print(f"  {w}: top1 {r['top1']:.3f} top5 {r['top5']:.3f}", flush=True)
                        if score > best:
                            best, best_w = score, w
    print(f"best: {best_w}")
    return best_w


def phrase_detection(
    det: Detector, test: list[tuple[str, str]], host: list[str], rng: random.Random
) -> dict[str, float]:
    """Recall of tortured phrases placed in genuine sentences; false flags on the rest."""
    found = other_flags = other_words = 0
    for spun, _ in test:
        sent = rng.choice(host)
        prefix = sent + " The researchers relied on "
        text = prefix + spun + " for this."
        ws = det.word_scores(text)
        starts = np.array(ws.starts)
        inside = starts >= len(prefix)
        inside &= starts < len(prefix) + len(spun)
        flagged = ws.margin > MIN_MARGIN
        found += bool((flagged & inside).any())
        host_words = starts < len(sent)
        other_flags += int((flagged & host_words & ws.eligible).sum())
        other_words += int((host_words & ws.eligible).sum())
    return {"recall": found / len(test), "host_flag_rate": other_flags / max(other_words, 1)}


def tortured_part(weights: Weights, host: list[str]) -> tuple[str, dict[str, float]]:
    pairs = spin_data.tortured_pairs()
    a = [p for p in pairs if half(norm_phrase(p[1])) == "A"]
    b = [p for p in pairs if half(norm_phrase(p[1])) == "B"]
    rows = []
    figures: dict[str, float] = {}
    for name, train, test, learn in (
        ("learn A -> test B (held out)", a, b, True),
        ("learn B -> test A (A tuned the weights)", b, a, True),
        ("no learning -> test B", [], b, False),
    ):
        r = restoration(train, test, weights, learn)
        figures[name] = r["top1"]
        rows.append(
            f"| {name} | {r['n']} | {100 * r['top1']:.1f} % | {100 * r['top5']:.1f} % | "
            f"{r['eq_n']} | {100 * r['eq_top1']:.1f} % | {100 * r['eq_top5']:.1f} % |"
        )
    lex = load_lexicon(learned=False)
    det = Detector(
        lex.with_learned(learned_from(a)), Restorer(lex.with_learned(learned_from(a)), weights)
    )
    d = phrase_detection(det, b, host, random.Random(8))
    det0 = Detector(lex, Restorer(lex, weights))
    d0 = phrase_detection(det0, b, host, random.Random(8))
    figures["phrase_recall"] = d["recall"]
    body = (
        "Restoration of real tortured phrases (exact = lower-cased, parentheses dropped):\n\n"
        "| setting | pairs | top-1 | top-5 | equal-length pairs | top-1 | top-5 |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows) + "\n\n"
        f"Detection of half-B tortured phrases placed in genuine Wikinews sentences: recall "
        f"{100 * d['recall']:.1f} % after learning from half A ({100 * d0['recall']:.1f} % "
        f"without learning); content words of the genuine host sentences flagged: "
        f"{100 * d['host_flag_rate']:.1f} %.\n"
    )
    return body, figures


def document_part() -> tuple[str, dict[str, float]]:
    det = Detector(load_lexicon())
    docs = spin_data.genuine_news()
    t0 = time.perf_counter()
    gen = {doc_id: det.judge(text, restore=False) for doc_id, text in docs}
    rows = []
    figures: dict[str, float] = {}
    judged = {k: r for k, r in gen.items() if r.judged}
    fa_all = sum(r.probability >= ALARM_THRESHOLD for r in judged.values())  # type: ignore[operator]
    fa_b = [r for k, r in judged.items() if half(k) == "B"]
    fa_b_n = sum(r.probability >= ALARM_THRESHOLD for r in fa_b)  # type: ignore[operator]
    figures["false_alarm_rate"] = fa_all / max(len(judged), 1)
    n_words = sum(len(_WORD.findall(r.text)) for r in judged.values())
    n_spans = sum(len(r.spans) for r in judged.values())
    with_span = sum(bool(r.spans) for r in judged.values())
    figures["genuine_spans_per_1000_words"] = 1000 * n_spans / max(n_words, 1)
    span_rows = []
    for rate in (0.1, 0.2, 0.3):
        spun = spin_data.spun_news(docs, rate)
        tp = {"all": 0, "B": 0}
        fn = {"all": 0, "B": 0}
        w_tp = w_fp = w_fn = 0
        r1 = r5 = n_sw = n_sw_flag = 0
        actual_rate = []
        for sd in spun:
            rep = det.judge(sd.text, restore=(rate == 0.2))
            if not rep.judged:
                continue
            actual_rate.append(len(sd.swaps) / max(sd.n_content, 1))
            hit = rep.probability >= ALARM_THRESHOLD  # type: ignore[operator]
            for key in ("all", "B") if half(sd.doc_id) == "B" else ("all",):
                tp[key] += hit
                fn[key] += not hit
            if rate != 0.2:
                continue
            swapped = {a: (b, orig) for a, b, orig in sd.swaps}
            ws = det.word_scores(sd.text)
            flagged = {s for s, m in zip(ws.starts, ws.margin, strict=True) if m > MIN_MARGIN}
            in_swap = set()
            for a, (b, _) in swapped.items():
                in_swap.update(s for s in ws.starts if a <= s < b)
            w_tp += len(flagged & in_swap)
            w_fp += len(flagged - in_swap)
            w_fn += len(in_swap - flagged)
            for a, (_end, orig) in swapped.items():
                n_sw += 1
                for span in rep.spans:
                    if span.start <= a < span.end:
                        n_sw_flag += 1
                        cands = [span.suggestion, *span.alternatives]
                        off = len(_WORD.findall(span.text[: a - span.start]))
                        words = [_WORD.findall(c) for c in cands]
                        picks = [w[off].lower() for w in words if off < len(w)]
                        r1 += bool(picks) and picks[0] == orig.lower()
                        r5 += orig.lower() in picks[:5]
                        break
        for key, n_gen, fa in (("all", len(judged), fa_all), ("B", len(fa_b), fa_b_n)):
            prec = tp[key] / max(tp[key] + fa, 1)
            rec = tp[key] / max(tp[key] + fn[key], 1)
            f1 = 2 * prec * rec / max(prec + rec, 1e-9)
            if key == "B" and rate == 0.2:
                figures["doc_f1_20_B"] = f1
            rows.append(
                f"| {int(rate * 100)} % (actual {100 * float(np.mean(actual_rate)):.1f} %) | {key} | "
                f"{n_gen} + {tp[key] + fn[key]} | {100 * prec:.1f} % | {100 * rec:.1f} % | {f1:.3f} |"
            )
        if rate == 0.2:
            wp = w_tp / max(w_tp + w_fp, 1)
            wr = w_tp / max(w_tp + w_fn, 1)
            span_rows.append(
                f"Word level at 20 %: precision {100 * wp:.1f} %, recall {100 * wr:.1f} % of swapped words "
                f"({w_tp + w_fn} swapped words). Restoration of swapped words: top-1 "
                f"{100 * r1 / max(n_sw, 1):.1f} %, top-5 {100 * r5 / max(n_sw, 1):.1f} % of all swapped "
                f"words; among flagged ones top-1 {100 * r1 / max(n_sw_flag, 1):.1f} %, top-5 "
                f"{100 * r5 / max(n_sw_flag, 1):.1f} %."
            )
            figures["word_precision"] = wp
            figures["word_recall"] = wr
    gen_p = np.array([r.probability for r in judged.values()])
    spun20 = [det.judge(sd.text, restore=False) for sd in spin_data.spun_news(docs, 0.2)]
    sp_p = np.array([r.probability for r in spun20 if r.judged])
    sweep = []
    for th in (0.5, 0.7, 0.8, 0.9, 0.95, ALARM_THRESHOLD):
        tp_, fp_ = (sp_p >= th).sum(), (gen_p >= th).sum()
        prec, rec = tp_ / max(tp_ + fp_, 1), tp_ / len(sp_p)
        sweep.append(
            f"| {th} | {100 * fp_ / len(gen_p):.1f} % | {100 * rec:.1f} % | "
            f"{2 * prec * rec / max(prec + rec, 1e-9):.3f} |"
        )
    span_rows.append(
        "\nThreshold sweep at 20 % substitution (all articles):\n\n"
        "| threshold | false alarms | recall | F1 |\n| ---: | ---: | ---: | ---: |\n"
        + "\n".join(sweep)
    )
    elapsed = time.perf_counter() - t0
    cannot = len(gen) - len(judged)
    body = (
        f"Genuine news: {len(gen)} articles ({cannot} cannot be judged). False alarms at the "
        f"alarm threshold {ALARM_THRESHOLD}: {fa_all} of {len(judged)} "
        f"({100 * fa_all / max(len(judged), 1):.2f} %); half B (not used for calibration): "
        f"{fa_b_n} of {len(fa_b)}. Spans marked in genuine news: "
        f"{1000 * n_spans / max(n_words, 1):.1f} per 1,000 words; {with_span} of {len(judged)} "
        "articles have at least one.\n\n"
        "| substitution | half | genuine + spun | precision | recall | F1 |\n"
        "| --- | --- | ---: | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + "\n\n"
        + "\n".join(span_rows)
        + f"\n\n(document part took {elapsed:.0f} s)\n"
    )
    return body, figures


def real_spinner_part() -> tuple[str, dict[str, float]]:
    """Recall on half-B news spun with real-spinner word swaps (tortured phrases)."""
    pairs = spin_data.tortured_pairs()
    a = [p for p in pairs if half(norm_phrase(p[1])) == "A"]
    b = [p for p in pairs if half(norm_phrase(p[1])) == "B"]
    lex = load_lexicon(learned=False)
    det = Detector(lex.with_learned(learned_from(a)))
    docs = [d for d in spin_data.genuine_news() if half(d[0]) == "B"]
    rows = []
    figures: dict[str, float] = {}
    genuine_reps = [det.judge(text, restore=False) for _, text in docs]
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(5)]
    for rep in genuine_reps:
        for span in rep.spans:
            bins[min(int(span.confidence * 5), 4)].append((span.confidence, False))
    for name, source in (("half-B phrases (never learned)", b), ("all phrases", pairs)):
        spun = spin_data.tortured_spun_news(docs, 1.0, source)
        reps = [(sd, det.judge(sd.text, restore=False)) for sd in spun]
        if source is pairs:
            for sd, rep in reps:
                for span in rep.spans:
                    hit = any(span.start <= a < span.end for a, _, _ in sd.swaps)
                    bins[min(int(span.confidence * 5), 4)].append((span.confidence, hit))
        judged = [(sd, r) for sd, r in reps if r.judged]
        hit = sum(r.probability >= ALARM_THRESHOLD for _, r in judged)  # type: ignore[operator]
        rate = float(np.mean([len(sd.swaps) / max(sd.n_content, 1) for sd, _ in judged]))
        figures[name] = hit / max(len(judged), 1)
        rows.append(
            f"| {name} | {len(judged)} | {100 * rate:.1f} % | {100 * hit / max(len(judged), 1):.1f} % |"
        )
    reliability = [
        f"| {k / 5:.1f}-{(k + 1) / 5:.1f} | {len(cell)} | "
        f"{float(np.mean([c for c, _ in cell])):.2f} | {float(np.mean([h for _, h in cell])):.2f} |"
        for k, cell in enumerate(bins)
        if cell
    ]
    body = (
        "Half-B news with real-spinner word swaps, detector learned from half-A phrases "
        f"(alarm threshold {ALARM_THRESHOLD}):\n\n"
        "| swaps drawn from | articles | swapped content words | recall |\n"
        "| --- | ---: | ---: | ---: |\n" + "\n".join(rows) + "\n\n"
        "Span confidence against how often a span covers a swap, over the spans of the "
        "half-B genuine articles and of their copies spun from all phrases:\n\n"
        "| confidence | spans | mean confidence | share on a swap |\n"
        "| --- | ---: | ---: | ---: |\n" + "\n".join(reliability) + "\n"
    )
    return body, figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Spin detection and restoration accuracy.")
    parser.add_argument(
        "--tune", action="store_true", help="grid-search the restoration weights on half A"
    )
    parser.add_argument(
        "--no-record", action="store_true", help="do not append to bench/RESULTS.md"
    )
    parser.add_argument("--part", choices=["all", "phrases", "documents"], default="all")
    args = parser.parse_args()
    if not spin_data.data_present():
        print(f"SKIP: {spin_data.DATA} is absent (public data lives in ../shared/data)")
        return
    weights = tune(spin_data.tortured_pairs()) if args.tune else Weights()
    host = [
        s
        for _, t in spin_data.genuine_news()[:295]
        for s in sentences(t)
        if 12 <= len(s.split()) <= 40
    ]
    parts = []
    if args.part in ("all", "phrases"):
        body, fig = tortured_part(weights, host)
        print(body)
        print(fig)
        parts.append("### Tortured phrases\n\n" + body)
    if args.part in ("all", "documents"):
        body, fig = document_part()
        print(body)
        print(fig)
        parts.append("### Documents (genuine vs WordNet-spun news)\n\n" + body)
        body, fig = real_spinner_part()
        print(body)
        print(fig)
        parts.append("### Documents (real-spinner swaps)\n\n" + body)
    if not args.no_record:
        data = [spin_data.DATA / "wikinews", spin_data.DATA / "ecbplus" / "ecbplus_dev.jsonl"]
        data += [spin_data.DATA / "tortured_phrases" / "tortured_dev.csv", WORDNET]
        record_results("Spin detection and restoration (issue 8)", "\n".join(parts), data=data)


if __name__ == "__main__":
    main()
