"""Benchmark: checking one article against a store of 10,000 quotes.

Builds the store once: the five seeds through the real ingest pipeline, then synthetic
articles written straight into the store (recombined seed quote clauses, synthetic sentences,
synthetic speakers; claims copied from the seeds' analysed claims with their wording varied),
embedded with the chosen model. Then it loads the models, checks an altered seed copy (a
misquote and a misattribution in it) several times, and prints the median check time and its
parts. Appends the figures to bench/RESULTS_check.md.

    python bench/bench_check.py [--quotes 10000] [--model hash] [--index DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ROOT, machine, peak_rss_mib

from factcheck.corpus import Metadata, content_hash, make_article
from factcheck.embeddings import get_encoder
from factcheck.ingest import SpeakerResolver, ingest
from factcheck.records import Claim, Mention
from factcheck.store import ArticleRecord, Store

RESULTS = ROOT / "bench" / "RESULTS_check.md"
SEEDS = ROOT / "seeds"
FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hassan", "Ines",
         "Jonas", "Kemal", "Leila", "Marek", "Nadia", "Omar", "Petra", "Rafael", "Sofia",
         "Tariq", "Ursula", "Viktor", "Wen", "Yusuf", "Zora"]
LAST = ["Abbas", "Berger", "Castro", "Dorsey", "Eklund", "Fischer", "Gallo", "Haddad",
        "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okoye", "Petrov",
        "Quinn", "Rossi", "Sato", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz"]
SUBJECTS = ["The ministry", "Our government", "The alliance", "The committee", "The army",
            "Negotiators", "The coalition", "The delegation", "The council", "Our partners"]
VERBS = ["will not accept", "is ready to discuss", "has rejected", "strongly supports",
         "cannot ignore", "will review", "has postponed", "welcomes", "is concerned about",
         "will never allow"]
OBJECTS = ["the proposed ceasefire", "new sanctions", "the arms shipment", "the peace plan",
           "any foreign intervention", "the humanitarian corridor", "the border agreement",
           "the airstrikes", "the election timetable", "the prisoner exchange"]
TAILS = ["", " this year", " without preconditions", " under any circumstances",
         " as soon as possible", " in the coming weeks", " for now"]


def seed_clauses() -> list[str]:
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"[“\"]([^”\"]{20,300})[”\"]", text):
            for part in re.split(r"(?<=[.,;])\s+", m.group(1)):
                if len(part.split()) >= 4:
                    out.append(part.strip(" ,;"))
    return out


def synth_quote(rng: random.Random, clauses: list[str]) -> str:
    if rng.random() < 0.5 and clauses:
        a, b = rng.choice(clauses), rng.choice(clauses)
        return f"{a}, and {b[0].lower() + b[1:]}"
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
    if rng.random() < 0.5:
        s += f". {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return s + "."


def build_store(root: Path, n_quotes: int, encoder, seed: int = 7) -> dict[str, float]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with Store.open(root) as store:
        store.lock()
        ingest([str(SEEDS)], store, encoder)
        seed_claims = [c for c in store.claims() if c.data.get("entities")]
        have = store.counts()["quotes"]
        clauses = seed_clauses()
        speakers = SpeakerResolver(store)
        people = [f"{f} {la}" for f in FIRST for la in LAST]
        rng.shuffle(people)
        people = people[:300]
        n_art = 0
        while have < n_quotes:
            batch: list[tuple[ArticleRecord, list[Mention]]] = []
            for _ in range(100):
                n_art += 1
                year = rng.choice(range(2011, 2024))
                k = min(5, n_quotes - have - sum(len(r.quotes) for r, _ in batch))
                if k <= 0:
                    break
                paras, quotes, mentions, claims = [], [], [], []
                pos = 0
                for _q in range(k):
                    who = rng.choice(people)
                    words = synth_quote(rng, clauses)
                    para = f"“{words}” {who} said."
                    quotes.append({"text": words, "start": pos + 1, "end": pos + 1 + len(words),
                                   "cue": "said", "partial": False, "context": para,
                                   "context_start": pos, "context_end": pos + len(para),
                                   "confidence": 1.0, "speaker_role": None, "mention": who})
                    mentions.append(Mention(name=who, kind="person"))
                    paras.append(para)
                    pos += len(para) + 2
                for _c in range(k):
                    src = rng.choice(seed_claims)
                    text = re.sub(r"\d[\d,]*", lambda m: str(rng.randint(2, 90000)), src.text)
                    claims.append(Claim(text=text, start=0, end=min(len(text), pos),
                                        article_id="", speaker=None,
                                        claim_time=str(year), data=dict(src.data)))
                body = "\n\n".join(paras)
                art = make_article(body, f"synthetic-{n_art:05d}.txt",
                                   Metadata(title=f"Synthetic report {n_art}",
                                            source="Bench Wire", published=f"{year}-06-01"))
                art.content_hash = content_hash(body)
                for c in claims:
                    c.article_id = art.id
                batch.append((ArticleRecord(article=art, quotes=quotes, claims=claims),
                              mentions))
            texts = [q["text"] for r, _ in batch for q in r.quotes] + \
                [c.text for r, _ in batch for c in r.claims]
            vecs = encoder.encode(texts)
            nq = sum(len(r.quotes) for r, _ in batch)
            qpos, cpos = 0, nq
            with store.transaction():
                store.record_model(encoder.name, int(vecs.shape[1]))
                for rec, mentions in batch:
                    rec.quote_vectors = vecs[qpos:qpos + len(rec.quotes)]
                    rec.claim_vectors = vecs[cpos:cpos + len(rec.claims)]
                    qpos += len(rec.quotes)
                    cpos += len(rec.claims)
                    sids = [speakers.resolve(m) for m in mentions]
                    store.put_article(rec, sids, [None] * len(rec.claims))
            have += nq
            print(f"  {have} quotes", file=sys.stderr, end="\r")
        store.rebuild_indexes()
        counts = store.counts()
    print(file=sys.stderr)
    return {"build_seconds": time.perf_counter() - t0, **{k: float(v) for k, v in counts.items()}}


def altered_seed() -> object:
    import json

    name = "000_5936662356c6c8be.txt"
    text = (SEEDS / name).read_text(encoding="utf-8")
    text = text.replace("missiles are potentially destabilizing", "missiles are destabilizing")
    text = text.replace("“We have made it crystal clear that we prefer that Russia would not "
                        "supply them assistance,” he told",
                        "“We have made it crystal clear that we prefer that Russia would not "
                        "supply them assistance,” Lavrov told")
    meta = json.loads((SEEDS / "metadata.json").read_text(encoding="utf-8"))[name]
    return make_article(text, "bench-draft.txt", Metadata(**meta))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--model", default=None, help="embedding model (default: bundled MiniLM)")
    ap.add_argument("--index", default=None, help="reuse/build the store here")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-model-encode", action="store_true",
                    help="with --model hash, skip timing the real model's encode")
    args = ap.parse_args(argv)

    from factcheck.checker import Checker
    from factcheck.nlp import load_spacy

    encoder = get_encoder(args.model)
    tmp = None
    if args.index:
        root = Path(args.index)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-check-")
        root = Path(tmp.name) / "index"
    built: dict[str, float] = {}
    if not (root / "factcheck.sqlite").exists():
        print(f"building a store of {args.quotes} quotes in {root} …", file=sys.stderr)
        built = build_store(root, args.quotes, encoder)
    t = time.perf_counter()
    encoder.encode(["warm up"])
    load_spacy()
    load_s = time.perf_counter() - t
    article = altered_seed()
    times: list[float] = []
    parts: list[dict[str, float]] = []
    with Store.open(root, readonly=True) as store:
        counts = store.counts()
        for run in range(args.runs + 1):
            checker = Checker(store, encoder)  # fresh caches each run: nothing carried over
            t = time.perf_counter()
            result = checker.check(article)  # type: ignore[arg-type]
            dt = time.perf_counter() - t
            if run == 0:
                continue  # the first run also loads the FAISS indexes from disk
            times.append(dt)
            parts.append(result.timings)
    med = statistics.median(times)
    part_med = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
    s = result.summary
    line = (f"check one article ({len(result.quotes)} quotes, {len(result.claims)} claims) "
            f"against {counts['quotes']} quotes / {counts['claims']} claims: median "
            f"{med:.3f}s over {len(times)} runs (min {min(times):.3f}s, max {max(times):.3f}s)")
    print(line)
    print("  parts (median s): " + ", ".join(f"{k} {v:.3f}" for k, v in part_med.items()))
    print(f"  verdicts: {s['verified']} verified, {s['misquote']} misquote, "
          f"{s['misattribution']} misattribution, {s['unverified']} unverified; "
          f"{s['conflicts']} conflicts")
    print(f"  model load {load_s:.2f}s; encoder {encoder.name}; peak RSS {peak_rss_mib():.0f} MiB")
    extra = ""
    if encoder.name.startswith("hash") and not args.no_model_encode:
        # The store was embedded with the fake encoder; what the real model adds to a check
        # is encoding the article's quotes and claims: measure that on the same texts.
        real = get_encoder(None)
        real.encode(["warm up"])
        texts = [q.quote for q in result.quotes] + [c.text for c in result.claims]
        enc_times = []
        for _ in range(3):
            t = time.perf_counter()
            real.encode(texts)
            enc_times.append(time.perf_counter() - t)
        enc_s = statistics.median(enc_times)
        extra = (f"; encoding the same {len(texts)} texts with {real.name} takes "
                 f"{enc_s:.3f}s (median of 3), so a real-model check ≈ {med + enc_s:.3f}s")
        print("  " + extra.lstrip("; "))
    body = [f"## bench_check — {machine('numpy', 'faiss', 'spacy', 'rapidfuzz')}", "",
            f"- {line}", "- parts (median s): " + ", ".join(
                f"{k} {v:.3f}" for k, v in part_med.items()),
            f"- verdicts on the altered seed: {s['misquote']} misquote, "
            f"{s['misattribution']} misattribution, {s['verified']} verified",
            f"- encoder {encoder.name}{extra}; models loaded beforehand in {load_s:.2f}s; "
            f"peak RSS {peak_rss_mib():.0f} MiB"]
    if built:
        body.append(f"- store build: {built['build_seconds']:.0f}s (not part of the figure)")
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(body) + "\n\n")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
