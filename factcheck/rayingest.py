"""Batch ingest on Ray Data (``factcheck ingest --engine ray``).

The same stages as ``ingest.py``, run by Ray instead of one process and its workers:

1. **read** (Ray tasks): the driver plans the inputs (``corpus.input_items``: files with
   their sidecar metadata, stdin already read, errors); the tasks read and decode the files
   (``corpus.read_file``; a JSONL file yields many articles);
2. **analyse** (an actor pool, ``workers`` actors, each loading spaCy once): parse,
   attribution and claims with ``ingest.analyse``, the local engine's own function; articles
   already stored with the same content hash are passed through unanalysed;
3. **embed** (actors loading the encoder once): the quotes' and claims' texts, each
   distinct text once (``ingest.encode_unique``);
4. **write** (the driver): batches come back in input order (``preserve_order``) and go
   through the local engine's write path (``ingest._store_batch``): dedupe by content hash,
   name clashes, syndicated copies (``copies.CopyFinder``), canonical speakers, one
   transaction per batch through the store interface (SQLite or PostgreSQL).

Canonical speakers are resolved in the driver, at write time, in input order — not in the
actors. Resolution is sequential by nature: whether "Kerry" in article 7 becomes John Kerry
depends on the speakers created by articles 1-6, and the display name a speaker keeps
depends on the order its names arrive. Resolving in the actors would give answers that
depend on how Ray split the work (and two actors could create the same person twice);
resolving in the driver, in the order the local engine uses, gives the same speakers
however many workers there are, and it is cheap (a dictionary lookup per mention). Copy
detection runs there too for the same reason (the first copy read is the original).

One cost of the split: a syndicated copy is analysed by an actor before the driver finds
it is a copy (the local engine skips it before analysis); its analysis is then dropped.
"""

from __future__ import annotations

import copy
import logging
import os
import pickle
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .corpus import MAX_ARTICLE_BYTES, input_items, read_file
from .embeddings import Encoder
from .ingest import (
    Analysis,
    IngestSummary,
    SpeakerResolver,
    VectorCache,
    _rebuild_if_needed,
    _store_batch,
    _store_copies,
    analyse,
    embedding_text,
    encode_unique,
)
from .records import Article, IngestError
from .store import Store, article_origin

log = logging.getLogger(__name__)

MISSING = ("the ray engine needs Ray, which is not installed: pip install 'factcheck[ray]' "
           "(or use --engine local)")

# Bytes per Ray block: small blocks spread the articles of one big JSONL file over the
# actors (a block goes to one actor whole). ~50 short articles.
BLOCK_BYTES = 256 * 1024


class RayUnavailable(RuntimeError):
    """Ray (the ``ray[data]`` extra) is not importable."""


def require_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is a separate extra of ray
    except ImportError as exc:
        raise RayUnavailable(MISSING) from exc
    return ray


def ray_available() -> bool:
    try:
        require_ray()
    except RayUnavailable:
        return False
    return True


# --- stages (module level: Ray ships them by reference to this module) ---------------------

def read_stage(batch: dict[str, Any], max_bytes: int) -> dict[str, list[Any]]:
    """Plan items -> articles (or errors), one row each, tagged (seq, sub) for the order."""
    seqs: list[int] = []
    subs: list[int] = []
    items: list[bytes] = []
    for seq, raw in zip(batch["seq"], batch["item"]):
        item = pickle.loads(raw)
        got: Iterable[Any] = read_file(item[0], item[1], max_bytes) \
            if isinstance(item, tuple) else [item]
        n = 0
        for n, x in enumerate(got, 1):
            seqs.append(int(seq))
            subs.append(n)
            items.append(pickle.dumps(x, protocol=5))
        if n == 0:  # an empty JSONL file: a placeholder keeps the columns typed
            seqs.append(int(seq))
            subs.append(0)
            items.append(pickle.dumps(None))
    return {"seq": seqs, "sub": subs, "item": items}


class AnalyseActor:
    """Parses, attributes and extracts claims; spaCy is loaded once, when the actor starts."""

    def __init__(self, with_claims: bool, batch_size: int, time_budget: float,
                 known: dict[str, str]) -> None:
        from .nlp import load_spacy

        self.with_claims = with_claims
        self.batch_size = batch_size
        self.time_budget = time_budget
        self.known = known  # id -> content hash of the stored articles: no work for those
        load_spacy()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        items = [pickle.loads(x) for x in batch["item"]]
        todo = [i for i, x in enumerate(items)
                if isinstance(x, Article) and self.known.get(x.id) != x.content_hash]
        analyses: list[Analysis] = []
        timings: dict[str, float] = {}
        if todo:
            analyses, timings = analyse([items[i] for i in todo], self.with_claims,
                                        self.batch_size, self.time_budget)
        out = [b""] * len(items)
        for i, an in zip(todo, analyses):
            out[i] = pickle.dumps(an, protocol=5)
        stats = [b""] * len(items)
        if items:
            stats[0] = pickle.dumps(timings)
        return {"seq": batch["seq"], "sub": batch["sub"], "item": batch["item"], "an": out,
                "t": stats}


class EmbedActor:
    """Encodes the analysed quotes and claims; the encoder is loaded once per actor."""

    def __init__(self, encoder: Encoder, threads: int) -> None:
        if hasattr(encoder, "_model"):
            import torch

            torch.set_num_threads(max(1, threads))
        self.encoder = encoder
        self.cache = VectorCache()
        encoder.encode(["load the model before the first batch"])

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        t = time.perf_counter()
        per_row: list[list[str]] = []
        for raw in batch["an"]:
            an = pickle.loads(raw) if raw else None
            if an is None or an.error is not None:
                per_row.append([])
                continue
            per_row.append([embedding_text(q) for q in an.quotes] + [c.text for c in an.claims])
        texts = [x for row in per_row for x in row]
        vectors = encode_unique(self.encoder, texts, self.cache) if texts else None
        out: list[bytes] = []
        pos = 0
        for row in per_row:
            if not row or vectors is None:
                out.append(b"")
                continue
            out.append(pickle.dumps(vectors[pos:pos + len(row)], protocol=5))
            pos += len(row)
        stats = list(batch["t"])
        if len(stats):
            timings = pickle.loads(stats[0]) if stats[0] else {}
            timings["embed"] = timings.get("embed", 0.0) + time.perf_counter() - t
            stats[0] = pickle.dumps(timings)
        return {**batch, "vec": out, "t": stats}


class _Precomputed:
    """An ``Encoder`` that answers from the vectors the embed actors sent back."""

    def __init__(self, name: str, vectors: dict[str, Any]) -> None:
        self.name = name
        self.vectors = vectors

    def encode(self, texts: list[str], batch_size: int = 64) -> Any:
        import numpy as np

        return np.stack([self.vectors[t] for t in texts]).astype(np.float32, copy=False)


def _unloaded(encoder: Encoder) -> Encoder:
    """A copy of ``encoder`` without its loaded model, cheap to send to the actors."""
    light = copy.copy(encoder)
    for attr in ("_model", "_session", "_tokenizer"):
        if getattr(light, attr, None) is not None:
            setattr(light, attr, None)
    return light


def _start_ray(ray: Any, address: str | None, workers: int) -> bool:
    """Connect to ``address`` or start a local Ray; True when this call started it."""
    if ray.is_initialized():
        return False
    opts: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                            "logging_level": logging.ERROR, "configure_logging": True}
    if address:
        ray.init(address=address, **opts)
        return True
    import factcheck

    # The workers import this checkout's factcheck and read the same model settings.
    env = {k: v for k, v in os.environ.items()
           if k.startswith(("FACTCHECK_", "HF_", "TRANSFORMERS_"))}
    root = str(Path(factcheck.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(
        [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env["OMP_NUM_THREADS"] = "1"
    # One CPU per analysis actor; the embedder and the readers ask for none (see below).
    ray.init(num_cpus=workers, object_store_memory=512 * 1024 * 1024,
             runtime_env={"env_vars": env}, **opts)
    return True


def _quiet_ray_data(ray: Any) -> Any:
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # the driver writes in input order
    ctx.enable_progress_bars = False  # ours is on stderr; Ray's would interleave with it
    ctx.print_on_execution_start = False
    ctx.target_max_block_size = BLOCK_BYTES
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return ctx


def ingest_ray(paths: Iterable[str], store: Store, encoder: Encoder,
               metadata: str | Path | None = None, batch_size: int = 32, workers: int = 0,
               address: str | None = None, embed_workers: int = 1,
               max_bytes: int = MAX_ARTICLE_BYTES,
               on_article: Callable[[Article | IngestError], None] | None = None,
               with_claims: bool = True, replace: bool = False, time_budget: float = 1.0,
               find_copies: bool = True, stdin: Any = None) -> IngestSummary:
    """Ingest ``paths`` into ``store`` on Ray; the same results as ``ingest.ingest``.

    ``workers``: analysis actors (0: one per core of this machine); without ``address`` a
    local Ray is started with ``workers`` CPUs and shut down at the end. ``address``:
    an existing cluster (``ray://host:10001``, ``auto``), whose nodes must have factcheck
    installed and see the input files. ``embed_workers``: encoder actors.
    ``summary.timings``: ``read`` (planning, in the driver), ``parse``, ``attribute``,
    ``claims``, ``embed`` (work done in the actors), ``wait`` (the driver waiting for
    Ray), ``store`` and ``index`` (the driver writing), ``ray_start``.
    """
    ray = require_ray()
    t0 = time.perf_counter()
    summary = IngestSummary()
    timings = summary.timings
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    store.check_model(encoder.name)
    speakers = SpeakerResolver(store)
    store.index("quotes")  # load (and repair) before replacing rows, so removals apply
    store.index("claims")
    finder = None
    if find_copies:
        from .copies import CopyFinder

        finder = CopyFinder(store.signatures(), store.get_article)

    t = time.perf_counter()
    plan = list(input_items(paths, metadata, max_bytes, stdin))
    timings["read"] = time.perf_counter() - t
    known = {a.id: a.content_hash for a in store.articles(with_text=False)}

    t = time.perf_counter()
    started = _start_ray(ray, address, workers)
    timings["ray_start"] = time.perf_counter() - t
    writer = _Writer(store, encoder, speakers, summary, finder, replace, on_article)
    try:
        if plan:
            _quiet_ray_data(ray)
            # Ray 2.60 calls ray_remote_args_fn deprecated; stderr is for our lines only.
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            rows = [{"seq": i, "item": pickle.dumps(x, protocol=5)} for i, x in enumerate(plan)]
            per_block = max(1, min(batch_size, -(-len(rows) // (4 * workers))))
            ds = ray.data.from_items(rows, override_num_blocks=-(-len(rows) // per_block))
            # On a local Ray the readers and the embedder ask for no CPU: the analysis
            # actors take one each, and reading and MiniLM on sentences are light (about
            # a tenth of the work), so they share the cores rather than idle one.
            # A zero-CPU task is not queued: each would start a worker process of its own,
            # so locally one reader process does all the (cheap) reading.
            light = 0.25 if address else 0
            ds = ds.map_batches(read_stage, fn_kwargs={"max_bytes": max_bytes},
                                batch_size=None, num_cpus=light,
                                compute=None if address else ray.data.TaskPoolStrategy(size=1))
            ds = ds.map_batches(
                AnalyseActor, batch_size=None, num_cpus=1, ray_remote_args_fn=_no_restarts,
                compute=ray.data.ActorPoolStrategy(size=workers),
                fn_constructor_kwargs={"with_claims": with_claims, "batch_size": batch_size,
                                       "time_budget": time_budget, "known": known})
            ds = ds.map_batches(
                EmbedActor, batch_size=None, num_cpus=1 if address else 0,
                ray_remote_args_fn=_no_restarts,
                compute=ray.data.ActorPoolStrategy(size=max(1, embed_workers)),
                fn_constructor_kwargs={"encoder": _unloaded(encoder), "threads": 1})
            t = time.perf_counter()
            for batch in ds.iter_batches(batch_size=batch_size, batch_format="numpy"):
                _add(timings, "wait", t)
                writer.batch(batch)
                t = time.perf_counter()
        writer.finish()
    finally:
        if started:
            ray.shutdown()
    summary.seconds = time.perf_counter() - t0
    return summary


def _no_restarts() -> dict[str, Any]:
    # A failed actor is a bug to report, not to retry; and Ray warns (on stderr, past our
    # logging) about restartable actors whose constructor arguments sit in the object store.
    return {"max_restarts": 0}


def _add(timings: dict[str, float], key: str, since: float) -> None:
    timings[key] = timings.get(key, 0.0) + time.perf_counter() - since


class _Writer:
    """The driver's half: the local engine's checks, in input order, then its write path."""

    def __init__(self, store: Store, encoder: Encoder, speakers: SpeakerResolver,
                 summary: IngestSummary, finder: Any, replace: bool,
                 on_article: Callable[[Article | IngestError], None] | None) -> None:
        self.store = store
        self.encoder = encoder
        self.speakers = speakers
        self.summary = summary
        self.finder = finder
        self.replace = replace
        self.on_article = on_article
        self.seen: set[str] = set()
        self.signatures: dict[str, bytes] = {}
        # (copy, id of its original, its analysis and vectors: kept for an orphan)
        self.copies: list[tuple[Article, str, Analysis | None, Any]] = []
        self.last = (-1, -1)

    def report(self, item: Article | IngestError) -> None:
        if self.on_article:
            self.on_article(item)

    def error(self, err: IngestError) -> None:
        self.summary.errors.append(err)
        self.report(err)

    def batch(self, batch: dict[str, Any]) -> None:
        summary = self.summary
        todo: list[tuple[Article, Analysis | None, Any]] = []
        for seq, sub, raw, an_raw, vec_raw, t_raw in zip(
                batch["seq"], batch["sub"], batch["item"], batch["an"], batch["vec"],
                batch["t"]):
            key = (int(seq), int(sub))
            if key <= self.last:  # a bug guard: speakers depend on the order
                raise RuntimeError(f"Ray returned rows out of order ({key} after {self.last})")
            self.last = key
            if t_raw:
                for k, v in pickle.loads(t_raw).items():
                    summary.timings[k] = summary.timings.get(k, 0.0) + v
            item = pickle.loads(raw)
            if item is None:
                continue
            if isinstance(item, IngestError):
                self.error(item)
                continue
            art: Article = item
            summary.read += 1
            if art.id in self.seen:
                self.error(IngestError(art.path or art.id, f"duplicate article id {art.id!r} "
                                       "in this run; the later copy is skipped"))
                continue
            self.seen.add(art.id)
            stored = self.store.article_origin(art.id)
            if stored is not None and stored[0] == art.content_hash:
                summary.unchanged += 1
                self.report(art)
                continue
            origin = article_origin(art)
            if stored is not None and stored[1] and origin and stored[1] != origin \
                    and not self.replace:
                self.error(IngestError(art.path or art.id, (
                    f"article id {art.id!r} is already taken by {stored[1]}; not stored "
                    "(rename the file, or pass --replace to overwrite the stored one)")))
                continue
            an = pickle.loads(an_raw) if an_raw else None
            vec = pickle.loads(vec_raw) if vec_raw else None
            if self.finder is not None:
                original, sig = self.finder.find(art)
                if original is not None:
                    self.copies.append((art, original, an, vec))
                    continue
                if sig is not None:
                    self.signatures[art.id] = sig
            todo.append((art, an, vec))
        self.store_analysed(todo)

    def store_analysed(self, todo: list[tuple[Article, Analysis | None, Any]]) -> None:
        if not todo:
            return
        missing = [i for i, (_, an, _) in enumerate(todo) if an is None]
        if missing:
            # Stored unchanged when Ray passed it through, changed since (another writer):
            # analysed here, with the real encoder.
            analyses, stage = analyse([todo[i][0] for i in missing])
            for i, an in zip(missing, analyses):
                texts = [embedding_text(q) for q in an.quotes] + [c.text for c in an.claims]
                todo[i] = (todo[i][0], an, self.encoder.encode(texts) if texts else None)
        done: list[Article | IngestError] = []
        arts: list[Article] = []
        analyses = []
        vectors: dict[str, Any] = {}
        for art, an, vec in todo:
            assert an is not None
            if an.error is not None:
                done.append(IngestError(art.path or art.id, an.error))
                self.summary.errors.append(done[-1])
                continue
            done.append(art)
            arts.append(art)
            analyses.append(an)
            texts = [embedding_text(q) for q in an.quotes] + [c.text for c in an.claims]
            for text, v in zip(texts, vec if vec is not None else []):
                vectors[text] = v
        if arts:
            _store_batch(arts, analyses, self.store, _Precomputed(self.encoder.name, vectors),
                         self.speakers, self.summary, None, self.signatures)
        for item in done:
            self.report(item)

    def finish(self) -> None:
        pending = [(art, original) for art, original, _, _ in self.copies]
        orphans = _store_copies(pending, self.store, self.summary, self.report)
        if orphans:  # their original was skipped: each is stored as an article after all
            kept = {id(a) for a in orphans}
            self.store_analysed([(a, an, v) for a, _, an, v in self.copies if id(a) in kept])
        if self.summary.replaced:
            # Replaced articles can leave speakers nobody is quoted or cited as any more.
            with self.store.transaction():
                self.store.delete_speakers([i for i, _ in self.store.unused_speakers()])
        _rebuild_if_needed(self.store, self.summary.timings)
