"""Managing the store: list articles and claims, search claims, delete articles.

The library side of ``factcheck articles``, ``claims``, ``delete`` and ``search --claims``:
plain functions over a ``Store`` returning dataclasses (the ``--json`` shape); the CLI only
renders them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .dates import within
from .embeddings import Encoder
from .records import ArticleInfo, DeleteSummary, StoredClaim
from .search import LEXICAL_WEIGHT, content_words, lexical_overlap
from .store import Store


def list_articles(store: Store, source: str | None = None, title: str | None = None,
                  since: str | None = None, until: str | None = None,
                  copies: bool = True) -> list[ArticleInfo]:
    """Stored articles, oldest first; ``source``/``title``: contains (any case)."""
    out = []
    for r in store.article_rows():
        if source and source.lower() not in (r["source"] or "").lower():
            continue
        if title and title.lower() not in (r["title"] or "").lower():
            continue
        if not within(r["published"], since, until):
            continue
        if not copies and r["copy_of"]:
            continue
        out.append(ArticleInfo(
            id=r["id"], title=r["title"], source=r["source"], published=r["published"],
            chars=int(r["chars"] or 0), quotes=int(r["quotes"]), claims=int(r["claims"]),
            copy_of=r["copy_of"], copies=int(r["copies"]), path=r["path"], url=r["url"],
            ingested_at=r["ingested_at"]))
    return out


def _said_by(data: str | None) -> str | None:
    """The speaker the extractor named, for a claim whose speaker the store does not know."""
    try:
        value = json.loads(data or "{}").get("speaker")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _claim(r: object, score: float | None = None) -> StoredClaim:
    return StoredClaim(
        id=int(r["id"]), claim=r["text"],  # type: ignore[index]
        speaker=r["speaker"] or _said_by(r["data"]),  # type: ignore[index]
        speaker_id=r["speaker_id"], claim_time=r["claim_time"],  # type: ignore[index]
        article_id=r["article_id"], title=r["title"], source=r["source"],  # type: ignore[index]
        published=r["published"], start=int(r["start"]), end=int(r["end"]),  # type: ignore[index]
        quote_id=r["quote_id"], score=score)  # type: ignore[index]


def list_claims(store: Store, speaker_ids: Sequence[int] | None = None,
                text: str | None = None, article_id: str | None = None,
                since: str | None = None, until: str | None = None) -> list[StoredClaim]:
    """Stored claims; ``text``: every content word must occur; dates: the claim's time
    (what it is about), else its article's date."""
    words = content_words(text) if text else []
    rows = store.claim_rows(speaker_ids=speaker_ids, article_id=article_id, words=words)
    return [_claim(r) for r in rows
            if within(r["claim_time"] or r["published"], since, until)]


def search_claims(store: Store, encoder: Encoder, query: str, k: int = 10,
                  speaker_ids: Sequence[int] | None = None, pool: int = 50
                  ) -> list[StoredClaim]:
    """The ``k`` claims closest to ``query`` by meaning, plus a bonus for its exact words
    (as ``search_quotes`` scores quotes), best first."""
    if k <= 0:
        raise ValueError("k must be at least 1")
    qvec = encoder.encode([query])[0]
    words = content_words(query)
    pool = max(pool, 3 * k)
    cand: set[int] = set()
    if speaker_ids is not None:
        cand = {int(r["id"]) for r in store.claim_rows(speaker_ids=speaker_ids)}
    else:
        index = store.index("claims")
        if index is not None and len(index):
            if getattr(index, "exact", False) is None:
                index.exact = lambda ids: store.table_vectors("claims", ids.tolist())
            _, ids_arr = index.search(qvec[None, :], pool)
            cand = {int(i) for i in ids_arr[0] if i >= 0}
        if words:  # claims holding every word of the query, whatever their vectors say
            cand |= {int(r["id"]) for r in store.claim_rows(words=words)[:pool]}
    if not cand:
        return []
    vec_ids, mat = store.table_vectors("claims", sorted(cand))
    sims = dict(zip(vec_ids.tolist(), (mat @ qvec).tolist())) if len(vec_ids) else {}
    rows = store.claim_rows(ids=list(sims)) if sims else []
    scored = sorted(((round(float(sims[int(r["id"])]) + LEXICAL_WEIGHT
                            * lexical_overlap(words, r["text"]), 4), r) for r in rows),
                    key=lambda t: (-t[0], int(t[1]["id"])))
    return [_claim(r, score) for score, r in scored[:k]]


def republications(store: Store, article_ids: Sequence[str]
                   ) -> dict[str, list[dict[str, str | None]]]:
    """Where each of ``article_ids`` was republished: [{id, source, published, url}]."""
    return {orig: [{"id": c.id, "source": c.source, "published": c.published, "url": c.url}
                   for c in copies]
            for orig, copies in store.copies(list(set(article_ids))).items()}


def delete_articles(store: Store, ids: Sequence[str]) -> DeleteSummary:
    """Remove articles with their quotes, claims, vectors and republications (one
    transaction), prune speakers nobody is quoted or cited as any more, save the indexes.
    The caller holds the writer lock."""
    summary = DeleteSummary()
    store.index("quotes")  # loaded first, so the removals apply to it
    store.index("claims")
    with store.transaction():
        for aid in dict.fromkeys(ids):
            if store.article_hash(aid) is None:
                summary.missing.append(aid)
                continue
            for copy in store.copies([aid]).get(aid, []):
                store.delete_article(copy.id)
                summary.copies_deleted.append(copy.id)
            n_quotes, n_claims = store.article_counts(aid)
            summary.quotes += n_quotes
            summary.claims += n_claims
            store.delete_article(aid)
            summary.deleted.append(aid)
        unused = [i for i, _ in store.unused_speakers()]
        store.delete_speakers(unused)
        summary.speakers_pruned = len(unused)
    store.save_indexes()
    return summary
