"""The ingest pipeline: read → attribute → extract claims → canonicalise → embed → store.

Articles stream through in batches. Each batch is parsed once by spaCy (``nlp.pipe``; the
parse is shared by the attributor and the claim extractor), encoded in one call, written in
one SQLite transaction, and then the vector indexes are saved atomically. A crash at any
point loses at most the batch in flight; the store repairs its indexes on the next open and
re-running the same ingest completes it (unchanged articles are skipped by content hash).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import MAX_ARTICLE_BYTES, read_inputs
from .embeddings import Encoder
from .records import Article, Claim, IngestError, Mention, Quote
from .speakers import SpeakerIndex, clean_name, name_key, prefer_display
from .store import ArticleRecord, Store

log = logging.getLogger(__name__)

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
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def in_excluded(article: Article, start: int) -> bool:
    return any(s <= start < e for s, e in article.excluded)


def embedding_text(q: Quote) -> str:
    if len(q.text.split()) < MIN_WORDS_ALONE and q.context:
        return q.context
    return q.text


class SpeakerResolver:
    """Maps article-level mentions to canonical speaker ids, creating speakers as needed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = SpeakerIndex(store.speakers())

    def resolve(self, mention: Mention | None) -> int | None:
        if mention is None or not mention.name or not clean_name(mention.name):
            return None
        name = clean_name(mention.name)
        kind = mention.kind if mention.kind in ("person", "organisation", "anonymous") \
            else "person"
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
        """A claim's speaker name (already canonical or an article-level form)."""
        if not name:
            return None
        sid = self.index.resolve_mention(clean_name(name), "person")
        if sid is None:
            sid = self.index.resolve_mention(clean_name(name), "organisation")
        if sid is None:
            sid = self.index.resolve_mention(clean_name(name), "anonymous")
        return sid


def _batches(items: Iterable[Article | IngestError], size: int
             ) -> Iterator[tuple[list[Article], list[IngestError]]]:
    arts: list[Article] = []
    errs: list[IngestError] = []
    for item in items:
        if isinstance(item, IngestError):
            errs.append(item)
        else:
            arts.append(item)
        if len(arts) >= size:
            yield arts, errs
            arts, errs = [], []
    if arts or errs:
        yield arts, errs


def ingest(paths: Iterable[str], store: Store, encoder: Encoder,
           metadata: str | Path | None = None, batch_size: int = 32, n_process: int = 1,
           max_bytes: int = MAX_ARTICLE_BYTES,
           on_article: Callable[[Article | IngestError], None] | None = None,
           with_claims: bool = True) -> IngestSummary:
    """Ingest articles from ``paths`` into ``store``; see the module doc for guarantees."""
    from .attribution import attribute_many

    extract_claims = None
    if with_claims:
        from .claims import extract_claims

    t0 = time.perf_counter()
    summary = IngestSummary()
    timings = summary.timings
    store.check_model(encoder.name)
    speakers = SpeakerResolver(store)
    store.index("quotes")  # load (and repair) before replacing rows, so removals apply
    store.index("claims")
    seen_in_run: set[str] = set()

    for articles, errors in _batches(read_inputs(paths, metadata, max_bytes), batch_size):
        for err in errors:
            summary.errors.append(err)
            if on_article:
                on_article(err)
        todo: list[Article] = []
        for art in articles:
            summary.read += 1
            if art.id in seen_in_run:
                err = IngestError(art.path or art.id, f"duplicate article id {art.id!r} in this "
                                  "run; the later copy is skipped")
                summary.errors.append(err)
                if on_article:
                    on_article(err)
                continue
            seen_in_run.add(art.id)
            old = store.article_hash(art.id)
            if old == art.content_hash:
                summary.unchanged += 1
                if on_article:
                    on_article(art)
                continue
            todo.append(art)
        if not todo:
            continue

        t = time.perf_counter()
        records: list[tuple[ArticleRecord, list[Quote]]] = []
        for art, doc, quotes in attribute_many(todo, batch_size=batch_size, n_process=n_process):
            kept = [q for q in quotes if not in_excluded(art, q.start)]
            summary.dropped_boilerplate += len(quotes) - len(kept)
            claims: list[Claim] = []
            if extract_claims is not None:
                tc = time.perf_counter()
                # Claims are extracted against the kept quotes so quote_index stays valid.
                claims = [c for c in extract_claims(art, kept, doc)
                          if not in_excluded(art, c.start)]
                timings["claims"] = timings.get("claims", 0.0) + time.perf_counter() - tc
            records.append((ArticleRecord(article=art, claims=claims), kept))
        timings["parse+attribute+claims"] = (
            timings.get("parse+attribute+claims", 0.0) + time.perf_counter() - t)

        t = time.perf_counter()
        texts: list[str] = []
        for rec, quotes in records:
            texts += [embedding_text(q) for q in quotes]
            texts += [c.text for c in rec.claims]
        vectors = encoder.encode(texts) if texts else None
        timings["embed"] = timings.get("embed", 0.0) + time.perf_counter() - t

        t = time.perf_counter()
        new_q: list[tuple[list[int], object]] = []
        pos = 0
        with store.transaction():
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
                        "text": q.text, "start": q.start, "end": q.end, "cue": q.cue,
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
                replaced = store.article_hash(rec.article.id) is not None
                qids, cids = store.put_article(rec, sids, csids)
                if rec.quote_vectors is not None and len(qids):
                    new_q.append((qids, rec.quote_vectors))
                    store.add_vectors("quotes", qids, rec.quote_vectors)
                if rec.claim_vectors is not None and len(cids):
                    store.add_vectors("claims", cids, rec.claim_vectors)
                summary.quotes += len(qids)
                summary.claims += len(cids)
                if replaced:
                    summary.replaced += 1
                else:
                    summary.added += 1
        # The commit above is the point of no return; the index files follow it. A crash
        # here leaves files behind the store, which ``Store.index`` repairs on next open.
        store.save_indexes()
        timings["store"] = timings.get("store", 0.0) + time.perf_counter() - t
        for rec, _ in records:
            if on_article:
                on_article(rec.article)
    summary.seconds = time.perf_counter() - t0
    return summary
