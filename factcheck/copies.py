"""Recognising syndicated copies: the same story republished under another name or outlet.

Wire copy is republished by many sites with their own furniture (a header, a byline, a
"Read more" list). Counting each copy's quotes again would double a speaker's quotes and
make a story conflict with its own reprint, so a copy is stored as a republication of the
first one (``Store.put_copy``) with no quotes or claims of its own.

Candidates come from ``datasketch``'s MinHash LSH (128 permutations over word 5-shingles of
the article's own text, boilerplate ranges left out): sub-linear lookup in a large store,
with a signature of 1 KB per article, which rapidfuzz on shingles cannot give without
comparing against every stored text. Each candidate is then confirmed on the exact shingle
sets: a copy when their Jaccard similarity is at least ``COPY_JACCARD`` (0.9). A
republication with a different header or footer (under ~10 % of the text) merges; an update
of a story with new paragraphs (10 % or more new text), a shortened version, or another
story on the same event does not.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from .records import Article

COPY_JACCARD = 0.9
LSH_THRESHOLD = 0.7  # candidate recall: looser than the confirmation above
NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default, named: stored signatures must match it
SHINGLE_WORDS = 5
MIN_SHINGLES = 20  # a text shorter than this (a one-line brief) is never called a copy

RECENT = 2000  # more than the batches in flight at once

_WORD = re.compile(r"\w+")


# Shingles come from at most this much of a text: a 10 MB transcript's 1.7M shingles would
# cost GBs to hash; a copy of such a text is told by its beginning and its length.
MAX_CHARS = 300_000
LONG_LENGTH_RATIO = 0.9


def own_text(article: Article) -> str:
    """The article's text without its excluded (boilerplate) ranges."""
    parts, pos = [], 0
    for s, e in sorted(article.excluded):
        parts.append(article.text[pos:s])
        pos = max(pos, e)
    parts.append(article.text[pos:])
    return " ".join(parts)


def _comparable(a: int, b: int) -> bool:
    """Texts longer than MAX_CHARS are compared on their start: their lengths must agree."""
    if max(a, b) <= MAX_CHARS:
        return True
    return min(a, b) >= LONG_LENGTH_RATIO * max(a, b)


def shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text[:MAX_CHARS])]
    n = SHINGLE_WORDS
    return {" ".join(words[i:i + n]) for i in range(max(0, len(words) - n + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def minhash(sh: Iterable[str]) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    batch: list[bytes] = []
    for s in sh:
        batch.append(s.encode("utf-8"))
        if len(batch) >= 10_000:  # datasketch hashes a batch as one (n x 128) matrix
            m.update_batch(batch)
            batch = []
    if batch:
        m.update_batch(batch)
    return m


class CopyFinder:
    """Finds, for a new article, the stored (or earlier in this run) article it copies."""

    def __init__(self, signatures: Iterable[tuple[str, bytes]],
                 text_of: Any) -> None:
        import numpy as np
        from datasketch import MinHash, MinHashLSH

        self._np = np
        self._MinHash = MinHash
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.text_of = text_of  # article id -> its Article (for the exact check), or None
        # Shingles of this run's latest originals: they may not be committed yet.
        self.recent: OrderedDict[str, tuple[set[str], int]] = OrderedDict()
        for aid, sig in signatures:
            values = np.frombuffer(sig, dtype=np.uint64)
            if len(values) == NUM_PERM and aid not in self.lsh:
                self.lsh.insert(aid, MinHash(num_perm=NUM_PERM, hashvalues=values,
                                             scheme=SCHEME))

    def find(self, article: Article) -> tuple[str | None, bytes | None]:
        """(id of the article this copies or None, this article's signature to keep)."""
        text = own_text(article)
        sh = shingles(text)
        if len(sh) < MIN_SHINGLES:
            return None, None
        m = minhash(sh)
        best, best_j = None, 0.0
        for cand in self.lsh.query(m):
            if cand == article.id:
                continue
            known = self.recent.get(cand)
            if known is None:
                stored = self.text_of(cand)
                if stored is None:
                    continue
                stored_text = own_text(stored)
                known = (shingles(stored_text), len(stored_text))
            other, n_chars = known
            if not _comparable(len(text), n_chars):
                continue
            j = jaccard(sh, other)
            if j >= COPY_JACCARD and (j > best_j or (j == best_j and best is not None
                                                     and cand < best)):
                best, best_j = cand, j
        sig = m.hashvalues.astype(self._np.uint64).tobytes()
        if best is None and article.id not in self.lsh:
            self.lsh.insert(article.id, m)
            self.recent[article.id] = (sh, len(text))
            if len(self.recent) > RECENT:
                self.recent.popitem(last=False)
        return best, sig
