"""The library face: one object for notebooks, the CLI and the web app.

    >>> import factcheck
    >>> fc = factcheck.open("index")
    >>> hits = fc.search("missiles destabilizing for Israel", speaker="kerry", k=3)
    >>> hits[0].speaker, hits[0].quote
    >>> fc.speakers("lavrvo")            # fuzzy: finds Sergei Lavrov
    >>> conflicts = fc.report(topic="S-300")
    >>> result = fc.check(open("draft.txt").read())

Every method returns the records the CLI prints as JSON (``StoredQuote``, ``Speaker``,
``Conflict``, ``CheckResult``; ``dataclasses.asdict`` gives the JSON form). Nothing prints.

Reads are safe from many threads at once while one writer ingests: each call opens its own
read-only SQLite connection and reads inside one transaction (a snapshot: WAL mode lets
readers and the writer proceed together, and a reader never sees half a batch). The FAISS
indexes are loaded once and reloaded only when a writer saved a new version. The embedding
model is loaded on first use (``search``, ``check``, ``ingest``), never on ``open``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .records import Article, IngestError, Speaker, StoredQuote

MAX_K = 500  # a search returns at most this many hits
NEAREST = 5  # a quote page shows this many of the speaker's other quotes nearest in meaning


class DeskError(ValueError):
    """A request the desk cannot answer as asked (bad value); the message says why."""


@dataclass
class QuoteEvidence:
    """Everything a quote page shows: the quote, its article, its neighbours, its conflicts."""

    quote: StoredQuote
    article: Article | None
    nearest: list[StoredQuote] = field(default_factory=list)  # same speaker, by meaning
    conflicts: list[Any] = field(default_factory=list)  # crosscheck.Conflict records

    def to_dict(self) -> dict[str, Any]:
        from .crosscheck import conflict_to_dict

        art = None
        if self.article is not None:
            art = asdict(self.article)
            art.pop("path", None)  # where the server read it from is not the reader's business
        return {"quote": asdict(self.quote), "article": art,
                "nearest": [asdict(q) for q in self.nearest],
                "conflicts": [conflict_to_dict(c) for c in self.conflicts]}


def facets(quotes: Iterable[StoredQuote]) -> dict[str, list[dict[str, Any]]]:
    """Counts by speaker, outlet and year, most frequent first (search-page facets)."""
    speakers: Counter[tuple[int | None, str]] = Counter()
    outlets: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for q in quotes:
        speakers[(q.speaker_id, q.speaker or "unattributed")] += 1
        outlets[q.source or "unknown"] += 1
        years[(q.published or "undated")[:4]] += 1
    return {
        "speakers": [{"id": sid, "name": name, "count": n}
                     for (sid, name), n in sorted(speakers.items(), key=lambda kv: (-kv[1],
                                                                                   kv[0][1]))],
        "outlets": [{"name": k, "count": n}
                    for k, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))],
        "years": [{"name": k, "count": n} for k, n in sorted(years.items())],
    }


def date_filters(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since``/``until`` as partial ISO dates; raises ``DateError`` for bad or reversed ones."""
    from .dates import user_date_range

    return user_date_range(since, until)


class Desk:
    """One store, opened for reading (and for writing when asked). Use ``factcheck.open``."""

    def __init__(self, index: str | Path = "index", model: str | None = None,
                 create: bool = False) -> None:
        from .store.base import is_url, open_store

        # A directory (SQLite + FAISS) or a postgresql:// URL (the shared store).
        self.index: str | Path = str(index) if is_url(index) else Path(index)
        self.model = model
        # Fail now, clearly, when there is no store (and migrate an old one once).
        open_store(self.index, create=create, readonly=not create).close()
        self._encoder: Any = None
        self._encoder_lock = threading.Lock()
        self.model_load_seconds: float | None = None
        self._cache_lock = threading.Lock()
        self._faiss: dict[str, tuple[str | None, Any]] = {}
        self._reports: dict[tuple[Any, ...], list[Any]] = {}
        self._report_generation: tuple[Any, ...] | None = None
        self._report_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Desk({str(self.index)!r})"

    # -- reading ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """A read-only ``Store`` whose every query sees one snapshot of the database."""
        from .store.base import open_store

        store = open_store(self.index, create=False, readonly=True)
        sqlite = getattr(store, "backend", "sqlite") == "sqlite"
        try:
            if sqlite:  # PostgreSQL readers never wait on writers and need no FAISS cache
                store.conn.execute("BEGIN")  # deferred: a read snapshot, no lock on writers
                self._adopt_indexes(store)
            yield store
        finally:
            with contextlib.suppress(Exception):
                if sqlite and store.conn.in_transaction:
                    store.conn.execute("COMMIT")
            store.close()

    def _adopt_indexes(self, store: Any) -> None:
        """Hand ``store`` the cached FAISS indexes when they are still the saved version."""
        for name in ("quotes", "claims"):
            state = store.get_meta(f"index_{name}")
            cached = self._faiss.get(name)
            if cached is not None and cached[0] == state and state is not None:
                store.set_index(name, cached[1])  # a read-only store never saves it

    def _index(self, store: Any, name: str) -> Any:
        index = store.index(name)
        if index is not None:
            with self._cache_lock:
                self._faiss[name] = (store.get_meta(f"index_{name}"), index)
        return index

    def counts(self) -> dict[str, int]:
        with self.reading() as store:
            return dict(store.counts())

    def speakers(self, name: str | None = None, all: bool = False) -> list[Speaker]:
        """Canonical speakers, most quoted first; ``name`` is matched fuzzily (``lavrvo``).

        Raises ``speakers.UnknownSpeaker`` (with suggestions) when nothing is close.
        Without ``name``, speakers left with no quote are omitted unless ``all``.
        """
        from .speakers import match_speakers

        with self.reading() as store:
            rows = store.speakers()
        if name:
            rows = match_speakers(name, rows)
        elif not all:
            rows = [s for s in rows if s.quote_count]
        return sorted(rows, key=lambda s: (-s.quote_count, s.name))

    def speaker(self, speaker_id: int) -> Speaker | None:
        with self.reading() as store:
            rows = store.speakers()
        return next((s for s in rows if s.id == speaker_id), None)

    def _speaker_ids(self, store: Any, speaker: str | int | None) -> list[int] | None:
        if speaker is None or speaker == "":
            return None
        if isinstance(speaker, int):
            return [speaker]
        from .speakers import match_speakers

        return [s.id for s in match_speakers(str(speaker), store.speakers())]

    def quotes(self, speaker: str | int | None = None, source: str | None = None,
               since: str | None = None, until: str | None = None,
               article: str | None = None, partial: bool = True,
               limit: int | None = None) -> list[StoredQuote]:
        """Stored quotes, oldest first (no model is loaded). ``speaker`` is fuzzy text or an id.

        ``partial=False`` leaves out fragments quoted inside the reporter's own sentence.
        """
        s, u = date_filters(since, until)
        with self.reading() as store:
            ids = self._speaker_ids(store, speaker)
            rows = store.quotes(speaker_ids=ids, source=source or None, since=s, until=u,
                                article_id=article or None)
        if not partial:
            rows = [q for q in rows if not q.partial]
        return rows[:limit] if limit else rows

    def quote(self, quote_id: int) -> StoredQuote | None:
        with self.reading() as store:
            return store.get_quotes([quote_id]).get(quote_id)

    def article(self, article_id: str) -> Article | None:
        with self.reading() as store:
            return store.get_article(article_id)

    # -- the model ------------------------------------------------------------------------------
    @property
    def encoder_loaded(self) -> bool:
        return self._encoder is not None

    def encoder(self) -> Any:
        """The embedding model the store was built with, loaded once (thread-safe)."""
        if self._encoder is not None:
            return self._encoder
        with self._encoder_lock:
            if self._encoder is None:
                from .embeddings import get_encoder

                with self.reading() as store:
                    stored, _ = store.embedding_model()
                t0 = time.perf_counter()
                enc = get_encoder(self.model or stored)
                enc.encode(["warm up"])  # loads the weights now, not in the first search
                if stored is not None:
                    with self.reading() as store:
                        store.check_model(enc.name)
                self.model_load_seconds = round(time.perf_counter() - t0, 3)
                self._encoder = enc
        return self._encoder

    # -- search ---------------------------------------------------------------------------------
    def search(self, text: str, k: int = 10, speaker: str | int | None = None,
               source: str | None = None, since: str | None = None,
               until: str | None = None, partial: bool = True) -> list[StoredQuote]:
        """The ``k`` quotes closest to ``text`` by meaning and exact words, best first."""
        from .search import search_quotes

        if not text or not text.strip():
            raise DeskError("the search text is empty")
        if not 1 <= k <= MAX_K:
            raise DeskError(f"k must be between 1 and {MAX_K} (got {k})")
        s, u = date_filters(since, until)
        encoder = self.encoder()
        with self.reading() as store:
            ids = self._speaker_ids(store, speaker)
            self._index(store, "quotes")
            want = k if partial else min(MAX_K, k * 3)
            hits = search_quotes(store, encoder, text, k=want, speaker_ids=ids,
                                 source=source or None, since=s, until=u)
        if not partial:
            hits = [q for q in hits if not q.partial]
        return hits[:k]

    # -- quote evidence -------------------------------------------------------------------------
    def evidence(self, quote_id: int) -> QuoteEvidence | None:
        """A quote with its article, the speaker's nearest other quotes, and its conflicts."""
        with self.reading() as store:
            q = store.get_quotes([quote_id]).get(quote_id)
            if q is None:
                return None
            art = store.get_article(q.article_id)
            nearest: list[StoredQuote] = []
            if q.speaker_id is not None:
                others = [o for o in store.quotes(speaker_ids=[q.speaker_id]) if o.id != q.id]
                if others:
                    _, mine = store.quote_vectors([q.id])
                    ids, mat = store.quote_vectors([o.id for o in others])
                    by_id = {o.id: o for o in others}
                    if len(mine) and len(ids):
                        sims = mat @ mine[0]
                        order = np.argsort(-sims, kind="stable")[:NEAREST]
                        for i in order:
                            o = by_id[int(ids[i])]
                            o.score = round(float(sims[i]), 4)
                            nearest.append(o)
        conflicts = [c for c in self.report()
                     if any(e.quote_id == quote_id for e in c.claims)]
        return QuoteEvidence(q, art, nearest, conflicts)

    # -- cross-check ----------------------------------------------------------------------------
    def _generation(self, store: Any) -> tuple[Any, ...]:
        """Changes whenever articles or claims change (report cache key)."""
        row = store.conn.execute(
            "SELECT count(*), max(ingested_at), (SELECT count(*) FROM claims), "
            "(SELECT max(id) FROM claims) FROM articles").fetchone()
        return tuple(row.values()) if isinstance(row, dict) else tuple(row)

    def report(self, topic: str | None = None, speaker: str | None = None,
               kind: str | None = None, judge: str = "rule") -> list[Any]:
        """Conflicting claims in the store (``crosscheck.Conflict``), strongest first.

        Computed once per store state and filter, then served from memory.
        """
        from .crosscheck import build_report
        from .judges import KINDS, make_judges

        if kind and kind.lower() not in KINDS:
            raise DeskError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        key = (topic or None, speaker or None, (kind or "").lower() or None, judge)
        with self.reading() as store:
            gen = self._generation(store)
            with self._cache_lock:
                if gen != self._report_generation:
                    self._reports.clear()
                    self._report_generation = gen
                if key in self._reports:
                    return list(self._reports[key])
        # One computation per key at a time: a burst of first requests waits for it rather
        # than cross-checking the whole store once each.
        with self._report_lock:
            with self._cache_lock:
                if gen == self._report_generation and key in self._reports:
                    return list(self._reports[key])
            with self.reading() as store:
                gen = self._generation(store)
                self._index(store, "claims")
                try:
                    judges = make_judges(judge, None)
                except ValueError as exc:
                    raise DeskError(str(exc)) from exc
                if judge == "rule":  # the stored conflicts (issue #16), pending work judged
                    from .crosscheck import select_conflicts
                    from .incremental import current

                    found, _ = current(store, judges)
                    conflicts = select_conflicts(store, found, key[0], key[1], key[2])
                else:
                    conflicts = build_report(store, topic=key[0], speaker=key[1],
                                             kind=key[2], judges=judges)
        with self._cache_lock:
            if gen == self._report_generation:
                if len(self._reports) > 64:
                    self._reports.clear()
                self._reports[key] = list(conflicts)
        return conflicts

    def report_articles(self, conflicts: Iterable[Any]) -> dict[str, Article]:
        """The stored articles that ``conflicts`` cite (for rendering their context)."""
        ids = sorted({e.article_id for c in conflicts for e in c.claims if e.article_id})
        with self.reading() as store:
            arts = [store.get_article(i) for i in ids]
        return {a.id: a for a in arts if a is not None}

    def claimreview(self, conflicts: list[Any], organisation: str, review_url: str
                    ) -> list[dict[str, Any]]:
        """ClaimReview JSON-LD items for ``conflicts`` (see ``export.claimreview_items``)."""
        from .export import claimreview_items

        arts = self.report_articles(conflicts)
        with self.reading() as store:
            kinds = {sp.name: sp.kind for sp in store.speakers()}
        return claimreview_items(conflicts, arts, organisation, review_url,
                                 speaker_kinds=kinds)

    # -- check ----------------------------------------------------------------------------------
    def check(self, article: str | Article, title: str | None = None,
              source: str | None = None, published: str | None = None,
              with_claims: bool = True, store: bool = False) -> Any:
        """Check an article (text or ``Article``) against the store: ``checker.CheckResult``.

        Nothing is stored unless ``store=True`` (which takes the writer lock).
        """
        from .checker import Checker

        art = article if isinstance(article, Article) else self.make_article(
            article, title=title, source=source, published=published)
        encoder = self.encoder()
        if store:
            return self._check_and_store(art, encoder, with_claims)
        with self.reading() as st:
            self._index(st, "quotes")
            self._index(st, "claims")
            return Checker(st, encoder, with_claims=with_claims).check(art)

    def _check_and_store(self, art: Article, encoder: Any, with_claims: bool) -> Any:
        from .checker import Checker
        from .ingest import ingest_articles
        from .store.base import open_store

        with open_store(self.index, create=False, readonly=False) as st:
            st.lock(wait=5.0)  # held across check and store: no write slips between
            result = Checker(st, encoder, with_claims=with_claims).check(art)
            summary = ingest_articles([art], st, encoder, with_claims=with_claims)
            if summary.errors:
                raise DeskError(f"checked, but could not store: {summary.errors[0]}")
            result.stored = True
        return result

    @staticmethod
    def make_article(text: str, article_id: str | None = None, title: str | None = None,
                     source: str | None = None, published: str | None = None) -> Article:
        """An ``Article`` from pasted text (a ``Title:/Source:/Date:`` header is read too).

        Without ``article_id`` the id is ``pasted-`` + the start of the text's hash, so two
        different pasted articles never replace each other when stored.
        """
        from .corpus import CorpusError, Metadata, make_article

        if not text or not text.strip():
            raise DeskError("the article text is empty")
        try:
            art = make_article(text, article_id or "pasted", Metadata(
                title=title or None, source=source or None, published=published or None))
        except CorpusError as exc:
            raise DeskError(str(exc)) from exc
        if article_id is None:
            art.id = f"pasted-{art.content_hash[:12]}"
        return art

    # -- ingest ---------------------------------------------------------------------------------
    def ingest(self, inputs: Iterable[str | Path | Article | IngestError],
               on_article: Callable[[Article | IngestError], None] | None = None,
               with_claims: bool = True, replace: bool = False, wait: float = 0.0,
               batch_size: int = 32) -> Any:
        """Attribute and store articles: paths (files, directories, JSONL) or ``Article``s.

        Returns ``ingest.IngestSummary``. One writer at a time (``StoreBusy`` otherwise, after
        waiting ``wait`` seconds); readers go on reading meanwhile.
        """
        from .corpus import read_inputs
        from .ingest import ingest_articles
        from .store.base import open_store

        items = list(inputs)
        paths = [str(x) for x in items if isinstance(x, str | Path)]
        records = [x for x in items if isinstance(x, Article | IngestError)]

        def stream() -> Iterator[Article | IngestError]:
            yield from records
            if paths:
                yield from read_inputs(paths)

        encoder = self.encoder()
        with open_store(self.index, create=False, readonly=False) as st:
            st.lock(wait=wait)
            summary = ingest_articles(stream(), st, encoder, batch_size=batch_size,
                                      n_process=1, on_article=on_article,
                                      with_claims=with_claims, replace=replace)
            # The new claims are judged against the stored ones now, once, by the writer:
            # readers then serve the stored conflicts (issue #16).
            from .incremental import update

            update(st)
            return summary


def open(index: str | Path = "index", model: str | None = None, create: bool = False) -> Desk:
    """Open the store in ``index`` (a directory made by ``factcheck ingest``; ``create`` makes
    an empty one). ``model`` overrides the embedding model the store records."""
    return Desk(index, model=model, create=create)


__all__ = ["Desk", "DeskError", "QuoteEvidence", "facets", "date_filters", "open"]
