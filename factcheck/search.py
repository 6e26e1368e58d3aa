"""Who said what, by meaning: hybrid vector + word search over stored quotes.

Candidates come from the FAISS index (meaning) and the FTS5 index (exact words); with a
speaker filter, all of that speaker's quotes are scored exactly instead (a speaker has few
quotes, and a filtered ANN search would miss them). The final score is the cosine
similarity plus a bonus for the share of the query's content words the quote contains, so
a quote holding the user's exact words ranks at the top.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .dates import within
from .embeddings import Encoder
from .records import StoredQuote
from .store import Store

LEXICAL_WEIGHT = 0.3
STOPWORDS = {
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were",
    "be", "it", "that", "this", "with", "as", "at", "by", "from", "we", "he", "she", "they",
    "i", "you", "not", "no", "will", "would", "has", "have", "had", "do", "does", "did",
}
_WORD = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


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


def search_quotes(store: Store, encoder: Encoder, query: str, k: int = 10,
                  speaker_ids: Sequence[int] | None = None, source: str | None = None,
                  since: str | None = None, until: str | None = None,
                  pool: int = 100) -> list[StoredQuote]:
    """The ``k`` stored quotes closest to ``query``, best first, with ``score`` set."""
    if k <= 0:
        raise ValueError("k must be at least 1")
    qvec = encoder.encode([query])[0]
    words = content_words(query)
    if speaker_ids is not None:
        candidates = store.quotes(speaker_ids=speaker_ids, source=source, since=since,
                                  until=until)
        ids = [q.id for q in candidates]
        vec_ids, mat = store.quote_vectors(ids)
        sims = dict(zip(vec_ids.tolist(), (mat @ qvec).tolist())) if len(vec_ids) else {}
        by_id = {q.id: q for q in candidates}
    else:
        index = store.index("quotes")
        sims = {}
        if index is not None and len(index):
            scores, ids_arr = index.search(qvec[None, :], max(pool, k * 10))
            sims = {int(i): float(s) for s, i in zip(scores[0], ids_arr[0]) if i >= 0}
        lex_ids = store.lexical_candidates(words, limit=pool)
        missing = [i for i in lex_ids if i not in sims]
        if missing:
            vec_ids, mat = store.quote_vectors(missing)
            sims.update(zip(vec_ids.tolist(), (mat @ qvec).tolist()))
        by_id = store.get_quotes(list(sims))
    results: list[StoredQuote] = []
    for qid, sim in sims.items():
        q = by_id.get(qid)
        if q is None:
            continue
        if source and (not q.source or source.lower() not in q.source.lower()):
            continue
        if not within(q.published, since, until):
            continue
        q.score = round(float(sim) + LEXICAL_WEIGHT * lexical_overlap(words, q.quote), 4)
        results.append(q)
    results.sort(key=lambda q: (-(q.score or 0.0), q.id))
    return results[:k]

