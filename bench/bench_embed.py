"""The faster embedding paths against the default: speed, and the change in search results.

Backends: ``torch`` (sentence-transformers, the default), ``onnx`` (the same model on ONNX
Runtime) and ``onnx-int8`` (8-bit dynamic quantisation of the ONNX model), and for
reference torch's own dynamic int8 quantisation. Texts are generated quotes and claims
(bench/gen_corpus.py). Speed: texts/s encoding the same texts, the backends interleaved
and the best of ``--rounds`` taken (the machine may be shared). Quality: cosine of each
text's vector to the default's, and overlap of the top-10 search results (queries and
corpus both encoded by the backend) with the default's top-10.

    python bench/bench_embed.py --texts 1000
"""

from __future__ import annotations

import argparse
import time
import warnings

import benchlib
import numpy as np


def texts_for(n: int) -> list[str]:
    from gen_corpus import Generator

    gen = Generator(seed=5)
    out: list[str] = []
    while len(out) < n:
        out.append(gen.quote_text())
        if gen.narrative and len(out) % 3 == 0:
            out.append(gen.rng.choice(gen.narrative))
    return list(dict.fromkeys(out))[:n]


def torch_int8():  # type: ignore[no-untyped-def]
    """torch.ao dynamic int8 over the default model's Linear layers (no new dependency)."""
    import torch

    from factcheck.embeddings import get_encoder

    base = get_encoder(backend="torch")
    base.encode(["x"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = torch.ao.quantization.quantize_dynamic(base._model, {torch.nn.Linear},
                                                   dtype=torch.qint8)

    class Enc:
        name = "torch-int8"

        def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
            return np.asarray(q.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                       normalize_embeddings=True, show_progress_bar=False))

    return Enc()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", "--size", type=int, default=600)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    from factcheck.embeddings import get_encoder

    info = benchlib.machine("numpy", "torch", "sentence_transformers", "onnxruntime")
    texts = texts_for(args.texts)
    queries = texts_for(args.texts + args.queries)[-args.queries:]
    encoders = {"torch": get_encoder(backend="torch")}
    skipped = []
    for b in ("onnx", "onnx-int8"):
        try:
            enc = get_encoder(backend=b)
            enc.encode(["load"])
            encoders[b] = enc
        except Exception as exc:  # the optional extra is not installed
            skipped.append(f"{b}: {exc}")
    encoders["torch-int8 (torch.ao)"] = torch_int8()
    for enc in encoders.values():
        enc.encode(["warm up"])
    speed: dict[str, float] = {}
    vecs: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        for name, enc in encoders.items():
            t = time.perf_counter()
            vecs[name] = enc.encode(texts)
            speed[name] = max(speed.get(name, 0.0), len(texts) / (time.perf_counter() - t))
    qv = {name: enc.encode(queries) for name, enc in encoders.items()}
    ref = "torch"
    ref_top = np.argsort(-(qv[ref] @ vecs[ref].T), axis=1)[:, :10]
    rows = []
    for name in encoders:
        cos = np.sum(vecs[name] * vecs[ref], axis=1)
        top = np.argsort(-(qv[name] @ vecs[name].T), axis=1)[:, :10]
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top, ref_top)])
        rows.append((name, speed[name], speed[name] / speed[ref], float(cos.mean()),
                     float(cos.min()), float(overlap)))
        print(f"{name:24} {speed[name]:7.1f} texts/s  x{speed[name] / speed[ref]:.2f}  "
              f"cos mean {cos.mean():.5f} min {cos.min():.5f}  top-10 overlap {overlap:.3f}")
    if args.no_write:
        return 0
    lines = [
        "## Embedding backends",
        "",
        f"Machine: {info}.",
        f"Command: `python bench/bench_embed.py --texts {args.texts} --queries {args.queries} "
        f"--rounds {args.rounds}` (model all-MiniLM-L6-v2, {len(texts)} distinct generated "
        "texts; best of the rounds, backends interleaved).",
        "",
        "| backend | texts/s | speed vs torch | cosine to torch (mean / min) | "
        "top-10 overlap with torch |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, sp, ratio, cmean, cmin, ov in rows:
        lines.append(f"| {name} | {sp:.1f} | {ratio:.2f}× | {cmean:.5f} / {cmin:.5f} | "
                     f"{ov:.3f} |")
    if skipped:
        lines += ["", "Not measured: " + "; ".join(skipped)]
    benchlib.write_section("embed", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
