"""The ingest pipeline: read → attribute → extract claims → canonicalise → embed → store.

Articles stream through in batches; nothing holds more than a few batches in memory. Each
batch is parsed once by spaCy (``nlp.pipe``; the parse is shared by the attributor and the
claim extractor), its distinct texts are encoded in one call, it is written in one SQLite
transaction, and then the vector indexes are saved atomically. A crash at any point loses
at most the batch in flight; the store repairs its indexes on the next open and re-running
the same ingest completes it (unchanged articles are skipped by content hash).

With ``n_process`` > 1 the analysis (parse, attribution, claims: single-threaded Python
and Cython) runs in ``n_process - 1`` worker processes, a batch or two ahead of this process,
which meanwhile embeds and stores the previous batch (torch gets the remaining cores).
Batches are still committed one by one, in input order, so the crash guarantees are the
same. Where the time goes is in ``IngestSummary.timings`` (see ``ingest_articles``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import MAX_ARTICLE_BYTES, read_inputs
from .embeddings import Encoder
from .records import Article, Claim, IngestError, Mention, Quote
from .speakers import SpeakerIndex, clean_name, name_key, prefer_display
from .store import ArticleRecord, Store, article_origin

log = logging.getLogger(__name__)

# The clock of the stage timings: wall time. bench/bench_costs.py swaps in time.thread_time
# to measure the CPU each stage costs (one thread, no overlap).
_now = time.perf_counter

# Quotes shorter than this are embedded with their sentence: a lone scare-quoted word
# ("destabilizing") says little by itself, its sentence says what it was about.
MIN_WORDS_ALONE = 4


@dataclass
class IngestSummary:
    read: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quotes: int = 0
    claims: int = 0
    dropped_boilerplate: int = 0
    copies: int = 0  # stored as republications of an article already stored
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def in_excluded(article: Article, start: int) -> bool:
    return any(s <= start < e for s, e in article.excluded)


def embedding_text(q: Quote) -> str:
    if len(q.text.split()) < MIN_WORDS_ALONE and q.context:
        return q.context
    return q.text


def embed_stored(store: Store, encoder: Encoder, only_missing: bool = False) -> int:
    """Encode stored quotes and claims with ``encoder`` and save the vectors (one transaction).

    ``only_missing``: just the rows without a vector (a repair); otherwise every row, and the
    store then records ``encoder`` as its model (re-embedding with another model). The caller
    holds the writer lock and rebuilds the vector indexes afterwards. Returns the row count.
    """
    import numpy as np

    rows_q = store.embedding_inputs("quotes", only_missing)
    rows_c = store.embedding_inputs("claims", only_missing)
    q_texts = [embedding_text(Quote(text=r[1], start=0, end=0, speaker=None, context=r[2]))
               for r in rows_q]
    vq = encoder.encode(q_texts) if q_texts else np.zeros((0, 0), np.float32)
    vc = encoder.encode([r[1] for r in rows_c]) if rows_c else np.zeros((0, 0), np.float32)
    with store.transaction():
        if not only_missing:
            # First: on PostgreSQL a new dimension changes the vector columns' type.
            store.set_model(encoder.name, encoder.dim)
        for table, rows, vecs in (("quotes", rows_q, vq), ("claims", rows_c, vc)):
            if len(rows):
                store.set_vectors(table, [r[0] for r in rows], np.asarray(vecs, np.float32))
    return len(rows_q) + len(rows_c)


class SpeakerResolver:
    """Maps article-level mentions to canonical speaker ids, creating speakers as needed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = SpeakerIndex(store.speakers())
        self.touched: set[str] = set()  # surnames of the people resolved since settle()

    def refresh(self) -> None:
        """Learn the speakers, names and aliases other writers committed (shared stores).

        Called inside the write transaction, under the store's writer lock, so the batch
        resolves against every speaker stored so far and one person stays one speaker.
        """
        # Anew: other writers also rename, merge and take aliases away (settle).
        self.index = SpeakerIndex(self.store.speakers())

    def settle(self) -> None:
        """Settle the bare surnames this batch mentioned (see ``surnames``), in the batch's
        transaction: the result does not depend on the order batches were stored in."""
        from .surnames import settle_surname

        for surname in sorted(self.touched):
            settle_surname(self.store, self.index, surname)
        self.touched.clear()

    def resolve(self, mention: Mention | None) -> int | None:
        if mention is None or not mention.name or not clean_name(mention.name):
            return None
        name = clean_name(mention.name)
        kind = mention.kind if mention.kind in ("person", "organisation", "anonymous") \
            else "person"
        if kind == "person" and name_key(name):
            self.touched.add(name_key(name).split()[-1])
        sid = self.index.resolve_mention(name, kind)
        if sid is None:
            sid = self.store.add_speaker(name, kind, name_key(name, kind))
            self.index.add(sid, name, kind)
        else:
            entry = self.index.entries[sid]
            better = prefer_display(entry.name, name, kind)
            if better != entry.name:
                self.store.rename_speaker(sid, better, name_key(better, kind))
                entry.name = better
            self.index.add(sid, entry.name, kind, [name])
        self.store.add_alias(sid, name, name_key(name, kind))
        if mention.surface and mention.surface != name and kind == "person":
            surface = clean_name(mention.surface)
            skey = name_key(surface, kind)
            # Keep surname-style surfaces ("Kerry") as aliases, not pronouns or descriptions.
            if skey and surface[:1].isupper() and skey in name_key(name, kind).split():
                self.store.add_alias(sid, surface, skey)
        if mention.role:
            self.store.add_role(sid, mention.role)
        self.index.bump(sid)
        return sid

    def resolve_name(self, name: str | None) -> int | None:
        """A claim's speaker (reported speech: "Putin said Moscow had ..."), created if new.

        Claims name speakers that may never be quoted directly; they still get a canonical
        speaker so `report --speaker` and the store agree. The kind is guessed from the words:
        a plural or a source noun ("Senior Israeli sources", "officials") is anonymous, an
        institution noun ("the Wall Street Journal", "the ministry") an organisation, and a
        capitalised name a person.
        """
        if not name or not clean_name(name):
            return None
        name = clean_name(name)
        for kind in ("person", "organisation", "anonymous"):
            if self.index.resolve_mention(name, kind) is not None:
                # Found or new, the name joins the same way (display name, alias), so the
                # speaker does not depend on whether a quote or this claim came first.
                return self.resolve(Mention(name=name, kind=kind))
        return self.resolve(Mention(name=name, kind=guess_kind(name)))


def guess_kind(name: str) -> str:
    """person / organisation / anonymous for a bare speaker name (no parse at hand)."""
    from .cues import ORG_NOUNS, PERSON_NOUNS

    words = [w.strip(".,'’").lower() for w in name.split()]
    if not words:
        return "anonymous"
    head = words[-1]
    singular = head[:-1] if head.endswith("s") and len(head) > 3 else head
    if words[0] in ("a", "an", "some", "several", "many") or (
            singular in PERSON_NOUNS and singular != head):
        return "anonymous"
    if head in ORG_NOUNS or singular in ORG_NOUNS or words[0] == "the":
        return "organisation" if singular not in PERSON_NOUNS else "anonymous"
    particles = ("al", "bin", "de", "van", "von")
    if all(w[:1].isupper() or w in particles or w.startswith(("al-", "el-"))
           for w in name.split()):
        return "person"
    return "anonymous"


def _batches(items: Iterable[Article | IngestError], size: int, timings: dict[str, float]
             ) -> Iterator[tuple[list[Article], list[IngestError]]]:
    arts: list[Article] = []
    errs: list[IngestError] = []
    it = iter(items)
    while True:
        t = _now()
        item = next(it, None)
        _add(timings, "read", t)
        if item is None:
            break
        if isinstance(item, IngestError):
            errs.append(item)
        else:
            arts.append(item)
        if len(arts) >= size:
            yield arts, errs
            arts, errs = [], []
    if arts or errs:
        yield arts, errs


def _add(timings: dict[str, float], key: str, since: float) -> None:
    timings[key] = timings.get(key, 0.0) + _now() - since


@dataclass
class Analysis:
    """What the analysis stage found in one article (``error``: why it was skipped)."""

    quotes: list[Quote]
    claims: list[Claim]
    dropped_boilerplate: int = 0
    error: str | None = None


def analyse(articles: list[Article], with_claims: bool = True, batch_size: int = 32,
            time_budget: float = 1.0, on_done: Callable[[Article], None] | None = None
            ) -> tuple[list[Analysis], dict[str, float]]:
    """Parse, attribute and extract claims for ``articles`` (in order), with stage timings.

    A pure function of the articles: it runs in this process or in a worker process. A
    text longer than ``windows.SINGLE_MAX_CHARS`` is analysed in overlapping windows, one
    parse at a time (bounded memory, linear time). An article whose attribution and claims
    run past its time budget (``budget.budget_for``, times ``time_budget``; 0: no limit) is
    returned with ``error`` set and nothing else. ``on_done(article)`` is called as each
    article's analysis ends (progress).
    """
    from .attribution import attribute
    from .budget import BudgetExceeded, budget_for, time_limit
    from .nlp import load_spacy
    from .windows import SINGLE_MAX_CHARS, analyse_windowed

    extract_claims = None
    if with_claims:
        from .claims import extract_claims
    nlp = load_spacy()
    timings: dict[str, float] = {}
    t = _now()
    short = [a for a in articles if len(a.text) <= SINGLE_MAX_CHARS]
    docs = iter(list(nlp.pipe((a.text for a in short), batch_size=batch_size)))
    _add(timings, "parse", t)
    dropped = [0]

    def one(art: Article, doc: Any) -> tuple[list[Quote], list[Claim]]:
        t = _now()
        quotes = attribute(art, doc)
        _add(timings, "attribute", t)
        kept = [q for q in quotes if not in_excluded(art, q.start)]
        dropped[0] += len(quotes) - len(kept)
        claims: list[Claim] = []
        if extract_claims is not None:
            t = _now()
            # Against the kept quotes so quote_index stays valid; the extractor itself skips
            # the article's excluded ranges.
            claims = extract_claims(art, kept, doc)
            _add(timings, "claims", t)
        return kept, claims

    def parsed(sub: Article) -> tuple[list[Quote], list[Claim]]:
        t = _now()
        doc = nlp(sub.text)
        _add(timings, "parse", t)
        return one(sub, doc)

    out: list[Analysis] = []
    for art in articles:
        doc = next(docs) if len(art.text) <= SINGLE_MAX_CHARS else None
        dropped[0] = 0
        try:
            with time_limit(budget_for(len(art.text), time_budget)) as deadline:
                if doc is not None:
                    kept, claims = one(art, doc)
                else:
                    kept, claims = analyse_windowed(art, parsed, deadline.check)
        except BudgetExceeded as exc:
            out.append(Analysis([], [], 0, error=str(exc)))
        else:
            out.append(Analysis(kept, claims, dropped[0]))
        finally:
            doc = None  # a long text's parse is not kept past its article
        if on_done is not None:
            on_done(art)
    return out, timings


# In a worker process: where it reports each analysed article's id (progress), if anywhere.
_PROGRESS_QUEUE: Any = None


def _analyse_in_worker(articles: list[Article], with_claims: bool, batch_size: int,
                       time_budget: float) -> tuple[list[Analysis], dict[str, float]]:
    queue = _PROGRESS_QUEUE
    done = (lambda art: queue.put(art.id)) if queue is not None else None
    return analyse(articles, with_claims, batch_size, time_budget, on_done=done)


def _worker_init(progress_queue: Any = None) -> None:
    # Workers only parse: one thread each, and the model loaded before the first batch.
    global _PROGRESS_QUEUE
    _PROGRESS_QUEUE = progress_queue
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import threading

    parent = os.getppid()

    def watch_parent() -> None:
        # A parent killed outright (kill -9, OOM) cannot shut the pool down; without this
        # the worker would wait for work forever.
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True, name="parent-watch").start()
    from .nlp import load_spacy

    load_spacy()


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start spawned workers without re-running the caller's ``__main__``.

    ``spawn`` re-imports the main script or module in each worker, which re-runs scripts
    without an ``if __name__ == "__main__"`` guard (and the CLI entry point). The workers
    only need factcheck, so the main module is hidden from spawn while they start.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__")
             if main is not None and k in main.__dict__}
    try:
        if main is not None:
            main.__dict__.pop("__file__", None)
            main.__dict__["__spec__"] = None
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)
            if "__spec__" not in saved:
                main.__dict__.pop("__spec__", None)


class _Analyser:
    """Runs ``analyse`` inline (one process) or in worker processes, results in order.

    Workers start with the second batch: an input of one batch (a single article checked
    in, a handful of files) never pays for starting them.
    """

    def __init__(self, n_process: int, with_claims: bool, batch_size: int,
                 time_budget: float = 1.0,
                 on_done: Callable[[str], None] | None = None) -> None:
        self.with_claims = with_claims
        self.batch_size = batch_size
        self.time_budget = time_budget
        self.workers = max(0, n_process - 1)
        self.pool: ProcessPoolExecutor | None = None
        self.submitted = 0
        self.on_done = on_done  # called with each analysed article's id, in this process
        self.queue: Any = None
        self.drain: Any = None

    def submit(self, articles: list[Article]) -> Future[tuple[list[Analysis], dict[str, float]]]:
        self.submitted += 1
        if self.workers and self.pool is None and self.submitted > 1:
            import multiprocessing

            # spawn, not fork: the parent may hold torch/OpenMP threads, which fork breaks.
            ctx = multiprocessing.get_context("spawn")
            if self.on_done is not None:
                self._start_drain(ctx)
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=ctx, initializer=_worker_init,
                initargs=(self.queue,))
        if self.pool is not None:
            with _main_hidden():  # workers start on the first submit
                return self.pool.submit(_analyse_in_worker, articles, self.with_claims,
                                        self.batch_size, self.time_budget)
        fut: Future[tuple[list[Analysis], dict[str, float]]] = Future()
        done = self.on_done
        fut.set_result(analyse(articles, self.with_claims, self.batch_size, self.time_budget,
                               on_done=(lambda art: done(art.id)) if done else None))
        return fut

    def _start_drain(self, ctx: Any) -> None:
        """Relay the workers' per-article progress to ``on_done`` from a thread here (the
        main thread is busy embedding while the workers analyse)."""
        import threading

        self.queue = ctx.Queue()
        queue, done = self.queue, self.on_done

        def drain() -> None:
            while (item := queue.get()) is not None:
                with contextlib.suppress(Exception):  # progress never stops an ingest
                    done(item)  # type: ignore[misc]

        self.drain = threading.Thread(target=drain, daemon=True, name="ingest-progress")
        self.drain.start()

    @property
    def ahead(self) -> int:
        """Batches to keep in flight: enough to keep every worker busy."""
        return self.workers + 1 if self.workers else 0

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.drain is not None:
            self.queue.put(None)
            self.drain.join(timeout=5.0)
            self.queue.close()


def ingest(paths: Iterable[str], store: Store, encoder: Encoder,
           metadata: str | Path | None = None, batch_size: int = 32, n_process: int = 1,
           max_bytes: int = MAX_ARTICLE_BYTES,
           on_article: Callable[[Article | IngestError], None] | None = None,
           with_claims: bool = True, replace: bool = False,
           time_budget: float = 1.0, find_copies: bool = True,
           on_progress: Callable[[int, str], None] | None = None) -> IngestSummary:
    """Ingest articles from ``paths`` into ``store``; see the module doc for guarantees.

    ``replace``: let a file overwrite a stored article of the same id read from another file
    (by default that is refused with an error, so nothing stored is lost by a name clash).

    ``n_process``: processes to use in all (1: everything here; 2 on a 2-core machine: one
    analysis worker while this process embeds and stores; 0: one per core).

    ``on_article(item)``: each article once it is stored (or unchanged, or skipped: an
    ``IngestError``), batch by batch. ``on_progress(n, id)``: once per article as soon as
    its work is done (analysed, or settled without analysis), ``n`` counting up from 1;
    it may be called from another thread.
    """
    return ingest_articles(read_inputs(paths, metadata, max_bytes), store, encoder,
                           batch_size=batch_size, n_process=n_process, on_article=on_article,
                           with_claims=with_claims, replace=replace,
                           time_budget=time_budget, find_copies=find_copies,
                           on_progress=on_progress)


class _Ticker:
    """Counts articles whose work is done, for ``on_progress`` (from any thread)."""

    def __init__(self, callback: Callable[[int, str], None] | None) -> None:
        import threading

        self.callback = callback
        self.n = 0
        self.lock = threading.Lock()

    def __call__(self, label: str) -> None:
        if self.callback is None:
            return
        with self.lock:
            self.n += 1
            with contextlib.suppress(Exception):  # progress never stops an ingest
                self.callback(self.n, label)


class _Embedder:
    """Encodes batches in a background thread while this thread analyses the next one.

    With no analysis workers (``n_process`` 1), spaCy and the encoder would otherwise take
    turns on one core: torch and tokenizers release the GIL while they compute, so the
    encoding of batch k overlaps the parse of batch k+1 (torch gets ``threads`` threads, the
    parse the rest). Batches are encoded one at a time in input order (the vector cache sees
    them as before) and written here in order, so results and crash guarantees are
    unchanged.
    """

    def __init__(self, encoder: Encoder, cache: VectorCache, timings: dict[str, float],
                 threads: int | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.encoder, self.cache, self.timings = encoder, cache, timings
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-embed",
                                       initializer=_torch_threads, initargs=(threads,))

    def submit(self, texts: list[str]) -> Future[Any]:
        return self.pool.submit(self._encode, texts)

    def _encode(self, texts: list[str]) -> Any:
        t = _now()
        try:
            return encode_unique(self.encoder, texts, self.cache) if texts else None
        finally:
            _add(self.timings, "embed", t)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _torch_threads(n: int | None) -> None:
    # torch's thread setting is per calling thread under OpenMP: set it in the encoding thread.
    if n is not None:
        import torch

        torch.set_num_threads(n)


def ingest_articles(items: Iterable[Article | IngestError], store: Store, encoder: Encoder,
                    batch_size: int = 32, n_process: int = 1,
                    on_article: Callable[[Article | IngestError], None] | None = None,
                    with_claims: bool = True, replace: bool = False,
                    time_budget: float = 1.0, find_copies: bool = True,
                    on_progress: Callable[[int, str], None] | None = None,
                    overlap: bool = True) -> IngestSummary:
    """Ingest already-read articles (``ingest`` reads them from paths; ``check --store``
    has one in hand). Errors among ``items`` are counted and reported like read errors.

    ``overlap``: with no analysis workers, encode each batch in a background thread while
    the next one is analysed (see ``_Embedder``; False: one step after the other).

    ``summary.timings`` (seconds): ``read`` (decoding input), ``parse``, ``attribute`` and
    ``claims`` (work done, in whichever process ran it), ``wait`` (this process idle,
    waiting for analysis workers), ``embed`` (encoding work, in whichever thread ran it),
    ``embed_wait`` (this thread idle, waiting for the encoding thread), ``store`` (speakers
    + SQLite transaction), ``index`` (FAISS adds, saves and rebuilds).
    """
    t0 = _now()
    summary = IngestSummary()
    timings = summary.timings
    if n_process <= 0:
        n_process = os.cpu_count() or 1
    store.check_model(encoder.name)
    speakers = SpeakerResolver(store)
    store.index("quotes")  # load (and repair) before replacing rows, so removals apply
    store.index("claims")
    seen_in_run: set[str] = set()
    tick = _Ticker(on_progress)
    analyser = _Analyser(n_process, with_claims, batch_size, time_budget,
                         on_done=tick if on_progress is not None else None)
    overlap = overlap and not analyser.workers and (os.cpu_count() or 1) > 1
    threads = _share_cores(encoder, analyser.workers or int(overlap))
    in_flight: deque[tuple[list[Article], Future[Any]]] = deque()
    cache = VectorCache()
    embedder = _Embedder(encoder, cache, timings, _torch_count(encoder)) if overlap else None
    # Analysed batches whose vectors are being computed: (articles, analyses, records,
    # vectors, the items to report once stored).
    encoding: deque[tuple[Any, Future[Any], list[Article | IngestError]]] = deque()
    finder = None
    if find_copies:
        from .copies import CopyFinder

        finder = CopyFinder(store.signatures(), store.get_article)
    signatures: dict[str, bytes] = {}
    pending_copies: list[tuple[Article, str]] = []

    def report(item: Article | IngestError) -> None:
        if on_article:
            on_article(item)

    def settle(item: Article | IngestError) -> None:
        """An item done without analysis: reported now, and counted for progress."""
        report(item)
        tick(item.path if isinstance(item, IngestError) else item.id)

    def write_one() -> None:
        records, fut, done = encoding.popleft()
        t = _now()
        vectors = fut.result()
        _add(timings, "embed_wait", t)
        _write_batch(records, vectors, store, encoder, speakers, summary, signatures)
        for item in done:
            report(item)

    def finish_one() -> None:
        todo, fut = in_flight.popleft()
        t = _now()
        analyses, stage_times = fut.result()
        if analyser.pool is not None:
            _add(timings, "wait", t)
        for key, value in stage_times.items():
            timings[key] = timings.get(key, 0.0) + value
        done: list[Article | IngestError] = []
        for art, an in zip(todo, analyses):
            # A text that ran out of time is reported by name, stored not at all.
            done.append(art if an.error is None else IngestError(art.path or art.id, an.error))
        failed = [d for d in done if isinstance(d, IngestError)]
        summary.errors.extend(failed)
        if failed:
            pairs = [(a, an) for a, an in zip(todo, analyses) if an.error is None]
            todo, analyses = [a for a, _ in pairs], [an for _, an in pairs]
        if embedder is None:
            _store_batch(todo, analyses, store, encoder, speakers, summary, cache, signatures)
            for item in done:
                report(item)
            return
        records = _batch_records(todo, analyses, summary)
        encoding.append((records, embedder.submit(_batch_texts(records)), done))
        while len(encoding) > 1:  # the previous batch, while this one is encoded
            write_one()

    try:
        for articles, errors in _batches(items, batch_size, timings):
            for err in errors:
                summary.errors.append(err)
                settle(err)
            todo: list[Article] = []
            for art in articles:
                summary.read += 1
                if art.id in seen_in_run:
                    err = IngestError(art.path or art.id, f"duplicate article id {art.id!r} in "
                                      "this run; the later copy is skipped")
                    summary.errors.append(err)
                    settle(err)
                    continue
                seen_in_run.add(art.id)
                stored = store.article_origin(art.id)
                if stored is not None and stored[0] == art.content_hash:
                    summary.unchanged += 1
                    settle(art)
                    continue
                origin = article_origin(art)
                if stored is not None and stored[1] and origin and stored[1] != origin \
                        and not replace:
                    # Same file name, another file: replacing would silently lose the stored
                    # article (one folder per outlet or per day often repeats names).
                    err = IngestError(art.path or art.id, (
                        f"article id {art.id!r} is already taken by {stored[1]}; not stored "
                        "(rename the file, or pass --replace to overwrite the stored one)"))
                    summary.errors.append(err)
                    settle(err)
                    continue
                if finder is not None:
                    original, sig = finder.find(art)
                    if original is not None:
                        # A republication: stored once its original is, never analysed.
                        pending_copies.append((art, original))
                        continue
                    if sig is not None:
                        signatures[art.id] = sig
                todo.append(art)
            if todo:
                in_flight.append((todo, analyser.submit(todo)))
            while len(in_flight) > analyser.ahead:
                finish_one()
        while in_flight:
            finish_one()
        while encoding:
            write_one()
        orphans = _store_copies(pending_copies, store, summary, report)
        for art, _ in pending_copies:
            if art not in orphans:
                tick(art.id)
        if orphans:  # their original was skipped: each is analysed as an article after all
            in_flight.append((orphans, analyser.submit(orphans)))
            finish_one()
            while encoding:
                write_one()
        if summary.replaced:
            # Replaced articles can leave speakers nobody is quoted or cited as any more; a
            # fuzzy --speaker must not land on them.
            with store.transaction():
                store.delete_speakers([i for i, _ in store.unused_speakers()])
        _rebuild_if_needed(store, timings)
    finally:
        if embedder is not None:
            embedder.close()
        analyser.close()
        _restore_threads(threads)
    summary.seconds = _now() - t0
    return summary


def _store_copies(copies: list[tuple[Article, str]], store: Store, summary: IngestSummary,
                  report: Callable[[Article | IngestError], None]) -> list[Article]:
    """Store republications whose original is stored; return the others."""
    orphans: list[Article] = []
    if not copies:
        return orphans
    with store.transaction():
        for art, original in copies:
            if store.article_hash(original) is None or store.copy_of(original) is not None:
                orphans.append(art)
                continue
            store.put_copy(art, original)
            summary.copies += 1
    for art, _ in copies:
        if art not in orphans:
            report(art)
    if summary.copies:
        store.save_indexes()  # a replaced article's rows leave the vector indexes
    return orphans


def _store_batch(todo: list[Article], analyses: list[Analysis], store: Store, encoder: Encoder,
                 speakers: SpeakerResolver, summary: IngestSummary,
                 cache: VectorCache | None = None,
                 signatures: dict[str, bytes] | None = None) -> None:
    """Embed one analysed batch and commit it in one transaction, then save the indexes."""
    records = _batch_records(todo, analyses, summary)
    t = _now()
    texts = _batch_texts(records)
    vectors = encode_unique(encoder, texts, cache) if texts else None
    _add(summary.timings, "embed", t)
    _write_batch(records, vectors, store, encoder, speakers, summary, signatures)


def _batch_records(todo: list[Article], analyses: list[Analysis], summary: IngestSummary
                   ) -> list[tuple[ArticleRecord, list[Quote]]]:
    records: list[tuple[ArticleRecord, list[Quote]]] = []
    for art, an in zip(todo, analyses):
        summary.dropped_boilerplate += an.dropped_boilerplate
        records.append((ArticleRecord(article=art, claims=an.claims), an.quotes))
    return records


def _batch_texts(records: list[tuple[ArticleRecord, list[Quote]]]) -> list[str]:
    """What a batch embeds, in order: each article's quotes, then its claims."""
    texts: list[str] = []
    for rec, quotes in records:
        texts += [embedding_text(q) for q in quotes]
        texts += [c.text for c in rec.claims]
    return texts


def _write_batch(records: list[tuple[ArticleRecord, list[Quote]]], vectors: Any, store: Store,
                 encoder: Encoder, speakers: SpeakerResolver, summary: IngestSummary,
                 signatures: dict[str, bytes] | None = None) -> None:
    """Commit one embedded batch in one transaction, then save the vector indexes."""
    from .judges.framerecord import records_for
    from .judges.framerecord import version as frame_version

    timings = summary.timings
    t = _now()
    index_s = 0.0
    pos = 0
    with store.transaction():
        if getattr(store, "shared", False):
            speakers.refresh()
        if vectors is not None:
            store.record_model(encoder.name, int(vectors.shape[1]))
        for rec, quotes in records:
            nq, nc = len(quotes), len(rec.claims)
            if vectors is not None:
                rec.quote_vectors = vectors[pos:pos + nq]
                rec.claim_vectors = vectors[pos + nq:pos + nq + nc]
            pos += nq + nc
            rec.quotes = [
                {
                    "text": q.text, "start": q.start, "end": q.end, "cue": q.cue, "via": q.via,
                    "partial": q.partial, "context": q.context,
                    "context_start": q.context_start, "context_end": q.context_end,
                    "confidence": q.confidence,
                    "speaker_role": q.speaker.role if q.speaker else None,
                    "mention": clean_name(q.speaker.name) if q.speaker else None,
                }
                for q in quotes
            ]
            sids = [speakers.resolve(q.speaker) for q in quotes]
            csids = []
            for c in rec.claims:
                if c.quote_index is not None and 0 <= c.quote_index < len(sids):
                    csids.append(sids[c.quote_index])
                else:
                    csids.append(speakers.resolve_name(c.speaker))
                    if c.speaker and clean_name(c.speaker):
                        c.data["mention"] = clean_name(c.speaker)  # for settle()
            replaced = store.article_hash(rec.article.id) is not None
            qids, cids = store.put_article(rec, sids, csids)
            if rec.claims:  # each text's frame, read once here, not by every report
                store.put_frame_records(frame_version(), records_for([c.text for c in rec.claims]))
            sig = signatures.pop(rec.article.id, None) if signatures is not None else None
            if sig is not None:
                store.set_signature(rec.article.id, sig)
            ti = _now()
            if rec.quote_vectors is not None and len(qids):
                store.add_vectors("quotes", qids, rec.quote_vectors)
            if rec.claim_vectors is not None and len(cids):
                store.add_vectors("claims", cids, rec.claim_vectors)
            index_s += _now() - ti
            summary.quotes += len(qids)
            summary.claims += len(cids)
            if replaced:
                summary.replaced += 1
            else:
                summary.added += 1
        speakers.settle()
    _add(timings, "store", t)
    # The commit above is the point of no return; the index files follow it. A crash
    # here leaves files behind the store, which ``Store.index`` repairs on next open.
    t = _now()
    store.save_indexes()
    _add(timings, "index", t)
    timings["index"] += index_s
    timings["store"] -= index_s


class VectorCache:
    """The vectors of recently encoded texts, so a text repeated across batches (wire
    copies, a quote reported by many outlets, boilerplate claims) is encoded once per run.
    Bounded: the oldest entries go first (``size`` vectors of 1.5 KB each)."""

    def __init__(self, size: int = 50_000) -> None:
        from collections import OrderedDict

        self.size = size
        self.data: OrderedDict[str, Any] = OrderedDict()

    def get(self, text: str) -> Any:
        return self.data.get(text)

    def put(self, text: str, vec: Any) -> None:
        self.data[text] = vec
        if len(self.data) > self.size:
            self.data.popitem(last=False)


def encode_unique(encoder: Encoder, texts: list[str], cache: VectorCache | None = None) -> Any:
    """Encode ``texts``, each distinct text once (and none already in ``cache``)."""
    import numpy as np

    unique = list(dict.fromkeys(texts))
    known = {t: cache.get(t) for t in unique} if cache is not None else {}
    todo = [t for t in unique if known.get(t) is None]
    fresh = encoder.encode(todo) if todo else None
    if cache is None and len(unique) == len(texts) and fresh is not None:
        return fresh
    if fresh is not None:
        for t, v in zip(todo, fresh):
            known[t] = v
            if cache is not None:
                cache.put(t, v)
    return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)


def _rebuild_if_needed(store: Store, timings: dict[str, float]) -> None:
    """Retrain an IVF index that outgrew its lists (or shrank), from SQLite's exact vectors."""
    from .vectors import FaissIndex

    t = _now()
    _, dim = store.embedding_model()
    for name in ("quotes", "claims"):
        index = store.index(name)
        if index is None or not getattr(index, "needs_rebuild", lambda: False)():
            continue
        ids, mat = store.table_vectors(name, None)
        log.info("rebuilding the %s index for %d vectors", name, len(ids))
        store.set_index(name, FaissIndex.build(dim or mat.shape[1], ids, mat))
    store.save_indexes()
    _add(timings, "index", t)


def _share_cores(encoder: Encoder, workers: int) -> int | None:
    """Leave the analysis workers their cores: fewer torch threads here while they run.

    Returns the previous thread count to restore (None when nothing was changed).
    """
    from .embeddings import SentenceTransformerEncoder

    if not workers or not isinstance(encoder, SentenceTransformerEncoder):
        return None
    import torch

    before = int(torch.get_num_threads())
    torch.set_num_threads(max(1, (os.cpu_count() or 1) - workers))
    return before


def _torch_count(encoder: Encoder) -> int | None:
    """Torch threads for a background encoding thread (None: not a torch encoder)."""
    from .embeddings import SentenceTransformerEncoder

    if not isinstance(encoder, SentenceTransformerEncoder):
        return None
    return max(1, (os.cpu_count() or 1) - 1)


def _restore_threads(before: int | None) -> None:
    if before is not None:
        import torch

        torch.set_num_threads(before)
