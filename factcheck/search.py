"""Who said what, by meaning: hybrid vector + word search over stored quotes.

Candidates come from the store's vector index (meaning: FAISS, or pgvector) and its
word index (exact words: FTS5, or PostgreSQL full-text search); with a
speaker filter, all of that speaker's quotes are scored exactly instead (a speaker has few
quotes, and a filtered ANN search would miss them). The final score is the cosine
similarity plus a bonus for the share of the query's content words the quote contains, so
a quote holding the user's exact words ranks at the top.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .dates import within
from .embeddings import Encoder
from .records import StoredQuote
from .store import Store

LEXICAL_WEIGHT = 0.3
MAX_LEXICAL_TERMS = 6  # the query's content words sent to FTS5 (longest first)
MAX_RELAXED_TERMS = 4  # up to this many words, quotes missing one of them count too
STOPWORDS = {
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were",
    "be", "it", "that", "this", "with", "as", "at", "by", "from", "we", "he", "she", "they",
    "i", "you", "not", "no", "will", "would", "has", "have", "had", "do", "does", "did",
}
_WORD = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@functools.lru_cache(maxsize=65536)
def _stem(w: str) -> str:
    # Light suffix folding so "missile"/"missiles", "destabilize"/"destabilizing" meet.
    for suf in ("ing", "ies", "es", "ed", "s", "e"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def lexical_overlap(query_words: list[str], text: str) -> float:
    if not query_words:
        return 0.0
    have = {_stem(w) for w in _WORD.findall(text.lower())}
    return sum(_stem(w) in have for w in query_words) / len(query_words)


def lexical_candidates(store: Store, words: list[str], limit: int, enough: int | None = None
                       ) -> list[int]:
    """Quote ids holding the query's content words (all, or all but one), newest first.

    Why not one OR query ranked by BM25: its cost grows with every row holding any of the
    words (137 ms a query at 100k quotes, seconds at 1M). An AND query in rowid order
    stops after ``limit`` matches and otherwise only walks the rarest word's rows; the
    caller ranks what it returns by meaning and word overlap. Quotes sharing fewer words
    come from the vector search. Stops once ``enough`` ids are found (the caller's k).
    """
    terms = list(dict.fromkeys(w for w in words if w.isalnum()))
    terms = sorted(terms, key=len, reverse=True)[:MAX_LEXICAL_TERMS]
    if not terms:
        return []
    queries = [terms]
    if 3 <= len(terms) <= MAX_RELAXED_TERMS:
        queries += [terms[:i] + terms[i + 1:] for i in range(len(terms))]
    out: dict[int, None] = {}
    for group in queries:
        out.update((i, None) for i in store.word_matches(group, limit))
        if len(out) >= (enough or limit):
            break
    return list(out)[:limit]


def search_quotes(store: Store, encoder: Encoder, query: str, k: int = 10,
                  speaker_ids: Sequence[int] | None = None, source: str | None = None,
                  since: str | None = None, until: str | None = None,
                  pool: int = 30) -> list[StoredQuote]:
    """The ``k`` stored quotes closest to ``query``, best first, with ``score`` set.

    ``pool`` candidates come from each of the vector and word indexes (at least 3·k).
    """
    if k <= 0:
        raise ValueError("k must be at least 1")
    qvec = encoder.encode([query])[0]
    words = content_words(query)
    pool = max(pool, k * 3)
    if speaker_ids is not None:
        candidates = store.quotes(speaker_ids=speaker_ids, source=source, since=since,
                                  until=until)
        ids = [q.id for q in candidates]
        vec_ids, mat = store.quote_vectors(ids)
        sims = dict(zip(vec_ids.tolist(), (mat @ qvec).tolist())) if len(vec_ids) else {}
        by_id = {q.id: q for q in candidates}
        brief = [(q.id, q.quote, q.source, q.published) for q in candidates]
    else:
        index = store.index("quotes")
        sims = {}
        if index is not None and len(index):
            if getattr(index, "exact", False) is None:
                # An approximate index re-ranks its candidates with SQLite's exact vectors.
                index.exact = lambda ids: store.quote_vectors(ids.tolist())
            scores, ids_arr = index.search(qvec[None, :], pool)
            sims = {int(i): float(s) for s, i in zip(scores[0], ids_arr[0]) if i >= 0}
        lex_ids = lexical_candidates(store, words, limit=pool, enough=k)
        missing = [i for i in lex_ids if i not in sims]
        if missing:
            vec_ids, mat = store.quote_vectors(missing)
            sims.update(zip(vec_ids.tolist(), (mat @ qvec).tolist()))
        by_id = {}
        brief = store.quote_briefs(list(sims))
    # Score on the brief rows, most similar first; only the top k are read in full. The
    # word bonus is at most LEXICAL_WEIGHT, so once a candidate's similarity plus that
    # cannot reach the k-th score, no later one can either.
    brief = [b for b in brief if b[0] in sims]
    brief.sort(key=lambda b: (-sims[b[0]], b[0]))
    scored: list[tuple[float, int]] = []
    for qid, text, src, published in brief:
        if len(scored) >= k and round(float(sims[qid]) + LEXICAL_WEIGHT, 4) < scored[k - 1][0]:
            break
        if source and (not src or source.lower() not in src.lower()):
            continue
        if not within(published, since, until):
            continue
        score = round(float(sims[qid]) + LEXICAL_WEIGHT * lexical_overlap(words, text), 4)
        scored.append((score, qid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        del scored[k:]
    if not by_id:
        by_id = store.get_quotes([qid for _, qid in scored])
    results: list[StoredQuote] = []
    for score, qid in scored:
        q = by_id.get(qid)
        if q is not None:
            q.score = score
            results.append(q)
    return results
