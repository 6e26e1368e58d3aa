"""Checking a new article against the store: are its quotes real, and do its claims hold?

``check_article(article, store, encoder)`` attributes the article's quotes and extracts its
claims (the same code as ingest), then compares them with what the store holds. It never
writes to the store.

Quotes. Candidates for each quote come from the quote vector index, the full-text index and
all stored quotes of the speaker the article names (resolved through ``factcheck.speakers``);
they are ranked by rapidfuzz on normalised wording and the best are aligned word by word
(``factcheck.textdiff``). Verdicts:

- ``verified``: the same words (typography, case, spelling variants, bracketed editorial
  words and ellipsis-marked cuts aside) are stored under the same speaker; a shorter excerpt
  of a stored quote is verified with a note unless the cut turns its meaning over;
- ``misquote``: a stored quote of the same speaker is nearly the same but a word was added,
  dropped or changed (or the excerpt leaves out a negation that governs it);
- ``misattribution``: the words are stored under a different named speaker, and not under
  the one named;
- ``unverified``: nothing close is stored; the nearest stored quotes of the speaker are shown.

Short fragments (fewer than ``MIN_MATCH_WORDS`` words, typically scare quotes) are verified
only when the same speaker is stored saying those words; they are never called misquotes or
misattributions, since a common word in another speaker's mouth proves nothing.

Claims. The article's claims are judged by the cross-checker against stored claims found by
the claim vector index and by shared rare entities: each claim gets the kind of its
strongest conflict (``contradiction``, ``dispute``, ``update``, ``series``), else
``consistent`` when a stored claim says the same, else ``new``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from . import lexicons as lx
from .embeddings import Encoder
from .records import Article, Claim, Quote, Speaker, StoredQuote
from .speakers import SpeakerIndex, clean_name, name_key
from .store import Store
from .textdiff import DiffOp, Tokens, WordDiff, diff_tokens, fold, tokenize

log = logging.getLogger(__name__)

QUOTE_VERDICTS = ("verified", "misquote", "misattribution", "unverified")
CLAIM_VERDICTS = ("contradiction", "dispute", "update", "series", "consistent", "new")

MIN_MATCH_WORDS = 4  # shorter quotes are fragments: exact containment only
MISQUOTE_SIMILARITY = 0.75  # Dice overlap of words with the stored window it covers
MISATTRIBUTION_SIMILARITY = 0.9  # a reworded quote under another name needs to be closer
VECTOR_K = 20  # nearest stored quotes per quote from the vector index
LEXICAL_K = 30  # best full-text hits per quote
ALIGN_TOP = 12  # candidates aligned word by word after fuzzy ranking
NEAREST_SHOWN = 3
CLAIM_K = 10
CONSISTENT_RATIO = 85.0  # rapidfuzz ratio of normalised claim texts that "say the same"
CONSISTENT_COSINE = 0.92

# Words whose loss or change alters what a sentence asserts: negation, hedges and modals,
# restrictors. General English, not keyed to any corpus.
NEGATION_WORDS = frozenset(lx.NEGATORS | {"not", "nor", "cannot", "neither"})
HEDGE_WORDS = frozenset(
    """potentially possibly perhaps maybe probably likely unlikely may might could would
    should allegedly reportedly apparently seemingly partly partially largely mostly almost
    nearly only just some several few many most all every always sometimes rarely often
    any if unless whether until except""".split()
)
# Leading words that, cut from a quote, reverse what follows ("I deny that ...").
REVERSING_WORDS = frozenset(
    NEGATION_WORDS | lx.DENIAL_CUES
    | {"deny", "denied", "denies", "denying", "reject", "rejected", "rejects", "refute",
       "refuted", "doubt", "doubts", "doubted", "dispute", "disputed", "wrong", "untrue",
       "false", "absurd", "ridiculous", "claim", "claims", "claimed", "alleged", "allege",
       "rumours", "rumors", "pretend", "pretends", "myth", "whether", "if", "unless"}
)
# Negated phrases that affirm ("it is no secret that ..."): cutting them keeps the meaning.
AFFIRMING_NEGATIONS = (
    ("no", "secret"), ("not", "a", "secret"), ("no", "doubt"), ("no", "question"),
    ("not", "only"), ("not", "just"), ("no", "coincidence"), ("not", "surprising"),
    ("not", "deny"), ("not", "hide"), ("not", "surprise"),
)
# Words that join two clauses: a negation before one does not govern the words after it.
CLAUSE_JOINERS = frozenset({"but", "and", "yet", "so", "while", "whereas", "although",
                            "though", "however"})
# Trailing words that, cut from a quote, take back what it said ("..., but that is false").
TAKEBACK_STARTS = frozenset({"but", "unless", "except", "although", "though", "however",
                             "not", "if", "only"})


# --- records ----------------------------------------------------------------------------------


@dataclass
class QuoteMatch:
    """A stored quote compared with a quote of the new article."""

    quote_id: int
    quote: str
    speaker: str | None
    speaker_id: int | None
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    start: int
    end: int
    similarity: float  # word overlap with the stored window compared (0..1)
    diff: list[dict[str, Any]] = field(default_factory=list)
    relation: str = ""  # exact | excerpt | changed | nearest
    notes: list[str] = field(default_factory=list)
    semantic: float | None = None  # cosine similarity of the embeddings


@dataclass
class QuoteCheck:
    quote: str
    speaker: str | None  # as named in the article (fullest in-article form)
    verdict: str
    start: int
    end: int
    speaker_kind: str = "unknown"
    stored_speaker: str | None = None  # the canonical stored speaker it resolved to
    stored_speaker_id: int | None = None
    partial: bool = False
    notes: list[str] = field(default_factory=list)
    matches: list[QuoteMatch] = field(default_factory=list)
    first_said: dict[str, Any] | None = None
    other_speakers: list[str] = field(default_factory=list)  # for misattribution


@dataclass
class ClaimCheck:
    text: str
    start: int
    end: int
    verdict: str
    speaker: str | None = None
    claim_time: str | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)  # stored claims saying the same


@dataclass
class CheckResult:
    article: dict[str, Any]
    quotes: list[QuoteCheck]
    claims: list[ClaimCheck]
    timings: dict[str, float] = field(default_factory=dict)
    stored: bool = False

    @property
    def summary(self) -> dict[str, int]:
        out = {v: 0 for v in QUOTE_VERDICTS}
        for q in self.quotes:
            out[q.verdict] += 1
        ids = {c["id"] for cl in self.claims for c in cl.conflicts}
        out["conflicts"] = len(ids)
        for v in CLAIM_VERDICTS:
            out[f"claims_{v}"] = sum(1 for c in self.claims if c.verdict == v)
        return out

    def verdicts(self) -> set[str]:
        return {q.verdict for q in self.quotes} | {c.verdict for c in self.claims}

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "quotes": [asdict(q) for q in self.quotes],
            "claims": [asdict(c) for c in self.claims],
            "summary": self.summary,
            "stored": self.stored,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


# --- speakers ---------------------------------------------------------------------------------


@dataclass
class _Who:
    """The speaker an article names, resolved against the store."""

    name: str | None
    kind: str
    sid: int | None
    canonical: str | None


class _Speakers:
    def __init__(self, speakers: list[Speaker]) -> None:
        self.index = SpeakerIndex(speakers)
        self.by_id = {s.id: s for s in speakers}

    def resolve(self, mention: Any) -> _Who:
        if mention is None or not getattr(mention, "name", None) or \
                not clean_name(mention.name):
            return _Who(None, "unknown", None, None)
        name = clean_name(mention.name)
        kind = mention.kind if mention.kind in ("person", "organisation", "anonymous") \
            else "unknown"
        sid = None
        if kind != "unknown":
            sid = self.index.resolve_mention(name, kind)
        if sid is None and kind in ("unknown", "person", "organisation") and \
                name[:1].isupper():
            # NER often types a bare surname as an organisation ("Brandt said") or not at
            # all: a capitalised name that is a stored person (or organisation) is that one.
            for guess in ("person", "organisation"):
                sid = self.index.resolve_mention(name, guess)
                if sid is not None:
                    kind = guess
                    break
        canonical = self.by_id[sid].name if sid is not None and sid in self.by_id else None
        return _Who(name, kind, sid, canonical)

    def kind_of(self, sid: int | None) -> str:
        sp = self.by_id.get(sid) if sid is not None else None
        return sp.kind if sp else "unknown"

    def relation(self, who: _Who, stored: StoredQuote) -> str:
        """``same`` | ``different`` | ``unknown`` (cannot tell: unnamed or mixed kinds)."""
        if who.kind in ("unknown", "anonymous") or stored.speaker_id is None:
            return "unknown"
        if who.sid is not None and stored.speaker_id == who.sid:
            return "same"
        skind = self.kind_of(stored.speaker_id)
        if skind == "anonymous" or skind != who.kind:
            return "unknown"
        sp = self.by_id.get(stored.speaker_id)
        names = [sp.name, *sp.aliases] if sp else [stored.speaker or ""]
        if who.kind == "person":
            mine = name_key(who.name or "").split()
            for other in names:
                theirs = name_key(other).split()
                if mine and theirs and mine[-1] == theirs[-1] and (
                        len(mine) == 1 or len(theirs) == 1 or mine[0][0] == theirs[0][0]):
                    return "same"  # one person stored twice, or a surname-only mention
            return "different"
        # Organisations: only two different countries are clearly different speakers.
        from .claims import entity_key

        mine_key = entity_key(who.name or "")
        their_keys = {entity_key(n) for n in names}
        if mine_key in their_keys:
            return "same"
        countries = set(lx.COUNTRY_ALIASES.values())
        if mine_key in countries and their_keys & countries:
            return "different"
        return "unknown"


# --- comparing two wordings -------------------------------------------------------------------


@dataclass
class _Pair:
    stored: StoredQuote
    diff: WordDiff
    relation: str  # exact | excerpt | changed | weak
    notes: list[str]
    substantive: list[DiffOp]
    score: float  # fuzzy pre-score 0..100


def _has_phrase(keys: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(keys[i:i + n]) == phrase for i in range(len(keys) - n + 1))


def _describe(op: DiffOp) -> str:
    words = set(op.stored_keys) ^ set(op.quote_keys)
    if op.op == "replace" and any(k[:1].isdigit() for k in op.stored_keys + op.quote_keys):
        return f"number changed: “{op.stored}” → “{op.quote}”"
    if words & NEGATION_WORDS:
        verb = "dropped" if set(op.stored_keys) & NEGATION_WORDS else "added"
        return f"negation {verb}: “{op.stored or op.quote}”"
    if words & HEDGE_WORDS:
        verb = "dropped" if set(op.stored_keys) & HEDGE_WORDS - set(op.quote_keys) else "added"
        return f"qualifier {verb}: “{op.stored or op.quote}”"
    if op.op == "delete":
        return f"word(s) dropped: “{op.stored}”"
    if op.op == "insert":
        return f"word(s) added: “{op.quote}”"
    return f"wording changed: “{op.stored}” → “{op.quote}”"


def _cut_reverses(stored: Tokens, diff: WordDiff) -> str | None:
    """Why cutting the stored quote down to the excerpt turns its meaning over, if it does."""
    for op in diff.ops:
        if op.op != "omit":
            continue
        i, j = op.stored_span
        toks = stored.tokens[i:j]
        if op.position == "before":
            # Only the clause the excerpt begins in governs it.
            k = max((n + (t.key in CLAUSE_JOINERS) for n, t in enumerate(toks)
                     if t.sentence_start or t.key in CLAUSE_JOINERS), default=0)
            lead = [t.key for t in toks[k:]]
            if not lead:
                continue
            if any(_has_phrase(lead, p) for p in AFFIRMING_NEGATIONS):
                continue
            hit = [w for w in lead if w in REVERSING_WORDS]
            if hit:
                return (f"the excerpt leaves out “{stored.surface(i + k, j)}”, which "
                        "governs it")
        else:
            k = next((n for n, t in enumerate(toks) if t.sentence_start), len(toks))
            tail = [t.key for t in toks[:k]]
            if tail and (tail[0] in TAKEBACK_STARTS and
                         any(w in REVERSING_WORDS for w in tail)
                         or any(w in lx.DENIAL_CUES for w in tail)):
                return (f"the excerpt leaves out “{stored.surface(i, i + k)}”, which "
                        "qualifies it")
    return None


def _meaning_differs(stored: str, new: str) -> bool:
    """Similar wording with a negation, qualifier or number changed says something else."""
    from .textdiff import diff_words

    for op in diff_words(stored, new).changes:
        keys = set(op.stored_keys) ^ set(op.quote_keys)
        if keys & (NEGATION_WORDS | HEDGE_WORDS) or any(k[:1].isdigit() for k in keys):
            return True
    return False


def compare(stored_q: StoredQuote, stored: Tokens, quoted: Tokens, score: float) -> _Pair:
    """How a quotation relates to one stored quote."""
    diff = diff_tokens(stored, quoted)
    notes: list[str] = []
    substantive: list[DiffOp] = []
    for op in diff.changes:
        if op.editorial:
            notes.append(f"editorial brackets: “{op.quote or op.stored}”")
            continue
        if op.op == "delete" and op.at_ellipsis and not (
                set(op.stored_keys) & (NEGATION_WORDS | HEDGE_WORDS)
                or any(k[:1].isdigit() for k in op.stored_keys)):
            notes.append(f"cut marked by an ellipsis: “{op.stored}”")
            continue
        substantive.append(op)
    if diff.matched == 0:
        return _Pair(stored_q, diff, "weak", notes, substantive, score)
    if not substantive:
        if diff.truncated:
            why = _cut_reverses(stored, diff)
            if why:
                return _Pair(stored_q, diff, "changed", [why, *notes], [], score)
            share = diff.window_len / max(1, diff.stored_len)
            notes.insert(0, f"an excerpt ({share:.0%} of the stored quote)")
            return _Pair(stored_q, diff, "excerpt", notes, [], score)
        return _Pair(stored_q, diff, "exact", notes, [], score)
    # Words cut at an ellipsis are acknowledged cuts: only their meaning words count
    # against the similarity.
    meaning = NEGATION_WORDS | HEDGE_WORDS
    window = diff.window_len - sum(
        len(op.stored_keys) - sum(1 for k in op.stored_keys if k in meaning or k[:1].isdigit())
        for op in diff.changes if op.op == "delete" and op.at_ellipsis)
    similarity = 2.0 * diff.matched / max(1, diff.quote_len + window)
    if similarity >= MISQUOTE_SIMILARITY and diff.matched >= 3:
        return _Pair(stored_q, diff, "changed",
                     [_describe(op) for op in substantive] + notes, substantive, score)
    return _Pair(stored_q, diff, "weak", notes, substantive, score)


def _match(pair: _Pair, relation: str | None = None, semantic: float | None = None
           ) -> QuoteMatch:
    q = pair.stored
    show_diff = pair.relation in ("changed", "excerpt") or bool(pair.notes)
    return QuoteMatch(
        quote_id=q.id, quote=q.quote, speaker=q.speaker, speaker_id=q.speaker_id,
        article_id=q.article_id, title=q.title, source=q.source, published=q.published,
        start=q.start, end=q.end, similarity=round(pair.diff.similarity, 4),
        diff=pair.diff.to_list() if show_diff else [],
        relation=relation or pair.relation, notes=list(pair.notes), semantic=semantic,
    )


def _date_key(q: QuoteMatch) -> tuple[int, str, str, int]:
    return (0 if q.published else 1, q.published or "", q.article_id, q.start)


# --- the checker ------------------------------------------------------------------------------


class Checker:
    """Checks articles against one open store; reusable across articles (caches speakers)."""

    def __init__(self, store: Store, encoder: Encoder, judges: list[Any] | None = None,
                 with_claims: bool = True) -> None:
        self.store = store
        self.encoder = encoder
        self.judges = judges
        self.with_claims = with_claims
        self.speakers = _Speakers(store.speakers())
        self._tokens: dict[int, Tokens] = {}
        self._folded: dict[int, str] = {}
        self._by_speaker: dict[int, list[StoredQuote]] = {}

    # -- helpers ---------------------------------------------------------------------------
    def _toks(self, q: StoredQuote) -> Tokens:
        t = self._tokens.get(q.id)
        if t is None:
            t = self._tokens[q.id] = tokenize(q.quote)
        return t

    def _speaker_quotes(self, sid: int) -> list[StoredQuote]:
        if sid not in self._by_speaker:
            self._by_speaker[sid] = self.store.quotes(speaker_ids=[sid])
        return self._by_speaker[sid]

    # -- entry point -----------------------------------------------------------------------
    def check(self, article: Article, doc: Any = None) -> CheckResult:
        from .attribution import attribute
        from .ingest import embedding_text, in_excluded

        timings: dict[str, float] = {}
        t = time.perf_counter()
        if doc is None or doc.text != article.text:
            from .attribution import _parse

            doc = _parse(article.text)
        quotes = [q for q in attribute(article, doc) if not in_excluded(article, q.start)]
        timings["attribute"] = time.perf_counter() - t

        t = time.perf_counter()
        claims: list[Claim] = []
        if self.with_claims:
            from .claims import extract_claims

            claims = [c for c in extract_claims(article, quotes, doc)
                      if not in_excluded(article, c.start)]
        timings["claims"] = time.perf_counter() - t

        t = time.perf_counter()
        texts = [embedding_text(q) for q in quotes] + [c.text for c in claims]
        vectors = self.encoder.encode(texts) if texts else np.zeros((0, 1), np.float32)
        qvecs, cvecs = vectors[:len(quotes)], vectors[len(quotes):]
        timings["embed"] = time.perf_counter() - t

        t = time.perf_counter()
        quote_checks = self.check_quotes(quotes, qvecs)
        timings["quotes"] = time.perf_counter() - t

        t = time.perf_counter()
        claim_checks = self.check_claims(article, claims, cvecs, quotes) if claims else []
        timings["crosscheck"] = time.perf_counter() - t

        stored_as = self.store.article_with_hash(article.content_hash)
        info = {
            "id": article.id, "title": article.title, "source": article.source,
            "published": article.published, "published_inferred": article.published_inferred,
            "url": article.url, "path": article.path,
            "already_stored_as": stored_as,
            "quotes": len(quote_checks), "claims": len(claim_checks),
        }
        return CheckResult(info, quote_checks, claim_checks, timings)

    # -- quotes ----------------------------------------------------------------------------
    def _candidates(self, quotes: list[Quote], qvecs: np.ndarray, whos: list[_Who]
                    ) -> tuple[list[list[int]], dict[int, StoredQuote],
                               dict[tuple[int, int], float]]:
        """Candidate stored quote ids per quote, the stored quotes, and cosines by (i, id)."""
        from .search import content_words

        per: list[set[int]] = [set() for _ in quotes]
        sims: dict[tuple[int, int], float] = {}
        index = self.store.index("quotes")
        if index is not None and len(index) and len(quotes):
            scores, ids = index.search(np.asarray(qvecs, dtype=np.float32),
                                       min(VECTOR_K, len(index)))
            for i in range(len(quotes)):
                for s, qid in zip(scores[i], ids[i]):
                    if qid >= 0:
                        per[i].add(int(qid))
                        sims[(i, int(qid))] = float(s)
        for i, q in enumerate(quotes):
            per[i].update(self.store.lexical_candidates(content_words(q.text), LEXICAL_K))
        by_id = self.store.get_quotes(sorted(set().union(*per))) if per else {}
        for i, who in enumerate(whos):
            if who.sid is not None:
                own = self._speaker_quotes(who.sid)
                per[i].update(q.id for q in own)
                by_id.update({q.id: q for q in own})
        # Cosines for candidates the vector search did not score (lexical, speaker's own).
        missing = sorted({qid for i, ids_ in enumerate(per) for qid in ids_
                          if (i, qid) not in sims})
        if missing:
            vec_ids, mat = self.store.quote_vectors(missing)
            row = {int(v): k for k, v in enumerate(vec_ids)}
            for i, ids_ in enumerate(per):
                for qid in ids_:
                    if (i, qid) not in sims and qid in row:
                        sims[(i, qid)] = float(mat[row[qid]] @ qvecs[i])
        return [sorted(p) for p in per], by_id, sims

    def check_quotes(self, quotes: list[Quote], qvecs: np.ndarray) -> list[QuoteCheck]:
        whos = [self.speakers.resolve(q.speaker) for q in quotes]
        per, by_id, sims = self._candidates(quotes, qvecs, whos)
        out: list[QuoteCheck] = []
        for i, q in enumerate(quotes):
            cands = [by_id[qid] for qid in per[i] if qid in by_id]
            cos = {qid: sims.get((i, qid)) for qid in per[i]}
            out.append(self.check_quote(q, whos[i], cands, cos))
        return out

    def check_quote(self, q: Quote, who: _Who, cands: list[StoredQuote],
                    cos: dict[int, float | None]) -> QuoteCheck:
        quoted = tokenize(q.text)
        result = QuoteCheck(
            quote=q.text, speaker=who.name, verdict="unverified", start=q.start, end=q.end,
            speaker_kind=who.kind, stored_speaker=who.canonical, stored_speaker_id=who.sid,
            partial=q.partial,
        )
        if not quoted.tokens:
            result.notes.append("no words to compare")
            return result
        fragment = len(quoted.tokens) < MIN_MATCH_WORDS
        # Rank by fuzzy wording (full ratio, or partial ratio for excerpts of longer quotes)
        # on case- and punctuation-folded text; only the best are tokenised and aligned.
        from rapidfuzz.utils import default_process

        norm = default_process(fold(q.text))
        scored: list[tuple[float, StoredQuote]] = []
        for c in cands:
            other = self._folded.get(c.id)
            if other is None:
                other = self._folded[c.id] = default_process(fold(c.quote))
            if not other:
                continue
            s = max(fuzz.ratio(norm, other), 0.95 * fuzz.partial_ratio(norm, other))
            scored.append((s, c))
        scored.sort(key=lambda x: (-x[0], x[1].id))
        pairs = [compare(c, self._toks(c), quoted, s) for s, c in scored[:ALIGN_TOP]]
        # Speaker-aware buckets.
        same_ok: list[_Pair] = []
        same_changed: list[_Pair] = []
        other_ok: list[_Pair] = []
        other_changed: list[_Pair] = []
        unknown_ok: list[_Pair] = []
        unknown_changed: list[_Pair] = []
        for p in pairs:
            rel = self.speakers.relation(who, p.stored)
            ok = p.relation in ("exact", "excerpt")
            changed = p.relation == "changed"
            if fragment:
                # Fragments: exact containment under the same speaker or nothing.
                changed = False
                ok = ok and p.diff.matched == len(quoted.tokens)
            if rel == "same":
                (same_ok if ok else same_changed if changed else []).append(p)
            elif rel == "different":
                (other_ok if ok else other_changed if changed else []).append(p)
            else:
                (unknown_ok if ok else unknown_changed if changed else []).append(p)

        def best(ps: list[_Pair]) -> list[_Pair]:
            return sorted(ps, key=lambda p: (p.relation != "exact", -p.diff.similarity,
                                             p.stored.published or "9999", p.stored.id))

        def finish_verified(ps: list[_Pair], note: str | None = None) -> QuoteCheck:
            result.verdict = "verified"
            ms = [_match(p, semantic=cos.get(p.stored.id)) for p in best(ps)]
            ms.sort(key=_date_key)
            result.matches = ms
            first = ms[0]
            result.first_said = {"quote_id": first.quote_id, "article_id": first.article_id,
                                 "title": first.title, "source": first.source,
                                 "published": first.published, "speaker": first.speaker,
                                 "start": first.start, "end": first.end}
            if len({m.article_id for m in ms}) > 1:
                result.notes.append(f"stored {len(ms)} times; first in {first.article_id}"
                                    f" ({first.published or 'undated'})")
            top = best(ps)[0]
            result.notes += [n for n in top.notes if n not in result.notes]
            if note:
                result.notes.append(note)
            return result

        if who.kind == "unknown":
            result.notes.append("the article names no speaker for this quote")
            anyone_ok = same_ok + other_ok + unknown_ok
            if anyone_ok:
                names = sorted({p.stored.speaker or "?" for p in anyone_ok})
                return finish_verified(anyone_ok, f"stored as said by {', '.join(names)}")
            anyone_changed = same_changed + other_changed + unknown_changed
            if anyone_changed and not fragment:
                return self._misquote(result, best(anyone_changed), cos)
            return self._unverified(result, who, scored, cos, quoted, fragment)

        if same_ok:
            if other_ok:
                names = sorted({p.stored.speaker or "?" for p in other_ok})
                result.notes.append(f"also stored under {', '.join(names)}")
            return finish_verified(same_ok)
        if other_ok and not fragment:
            return self._misattribution(result, who, best(other_ok), cos)
        if same_changed and not fragment:
            return self._misquote(result, best(same_changed), cos)
        close_other = [p for p in other_changed if p.diff.similarity >= MISATTRIBUTION_SIMILARITY]
        if close_other and not fragment:
            return self._misattribution(result, who, best(close_other), cos)
        if unknown_ok:
            names = sorted({p.stored.speaker or "an unnamed source" for p in unknown_ok})
            return finish_verified(
                unknown_ok, f"stored as said by {', '.join(names)} (same speaker cannot be "
                "confirmed)")
        if unknown_changed and not fragment:
            return self._misquote(result, best(unknown_changed), cos)
        if fragment and other_ok:
            names = sorted({p.stored.speaker or "?" for p in other_ok})
            result.notes.append(f"these words also occur in quotes by {', '.join(names)}")
        return self._unverified(result, who, scored, cos, quoted, fragment)

    def _misquote(self, result: QuoteCheck, ps: list[_Pair],
                  cos: dict[int, float | None]) -> QuoteCheck:
        result.verdict = "misquote"
        result.matches = [_match(p, semantic=cos.get(p.stored.id)) for p in ps[:NEAREST_SHOWN]]
        result.notes += ps[0].notes
        return result

    def _misattribution(self, result: QuoteCheck, who: _Who, ps: list[_Pair],
                        cos: dict[int, float | None]) -> QuoteCheck:
        result.verdict = "misattribution"
        result.matches = [_match(p, semantic=cos.get(p.stored.id)) for p in ps[:NEAREST_SHOWN]]
        result.matches.sort(key=_date_key)
        names = []
        for p in ps:
            if p.stored.speaker and p.stored.speaker not in names:
                names.append(p.stored.speaker)
        result.other_speakers = names
        said = who.canonical or who.name
        result.notes.insert(0, f"the article credits {said}; the store has these words from "
                               f"{', '.join(names)}")
        if ps[0].relation == "changed":
            result.notes += ps[0].notes
        return result

    def _unverified(self, result: QuoteCheck, who: _Who, scored: list[tuple[float, StoredQuote]],
                    cos: dict[int, float | None], quoted: Tokens, fragment: bool
                    ) -> QuoteCheck:
        result.verdict = "unverified"
        if who.sid is not None:
            pool = [c for _, c in scored if c.speaker_id == who.sid]
            if not pool:
                result.notes.append(f"nothing stored from {who.canonical}")
        else:
            pool = [c for _, c in scored]
            if who.name:
                result.notes.append(f"{who.name} is not a speaker in the store")
        fuzzy = {c.id: s for s, c in scored}

        def rank(c: StoredQuote) -> float:
            sem = cos.get(c.id)
            return max(sem if sem is not None else 0.0, fuzzy.get(c.id, 0.0) / 100.0)

        pool.sort(key=lambda c: (-rank(c), c.id))
        for c in pool[:NEAREST_SHOWN]:
            d = diff_tokens(self._toks(c), quoted)
            result.matches.append(QuoteMatch(
                quote_id=c.id, quote=c.quote, speaker=c.speaker, speaker_id=c.speaker_id,
                article_id=c.article_id, title=c.title, source=c.source,
                published=c.published, start=c.start, end=c.end,
                similarity=round(d.similarity if d.matched else 0.0, 4),
                relation="nearest", semantic=cos.get(c.id),
            ))
        return result

    # -- claims ----------------------------------------------------------------------------
    def _claim_candidates(self, claims: list[Claim], cvecs: np.ndarray) -> list[Claim]:
        """Stored claims worth judging against the new ones (vector neighbours + entities)."""
        ids: set[int] = set()
        index = self.store.index("claims")
        if index is not None and len(index) and len(claims):
            _, found = index.search(np.asarray(cvecs, dtype=np.float32),
                                    min(CLAIM_K, len(index)))
            ids.update(int(x) for row in found for x in row if x >= 0)
        # Claims sharing a specific entity (a designation like a model number, or a named
        # thing that is not a country) are found by their stored analysis.
        countries = set(lx.COUNTRY_ALIASES.values())
        keys = sorted({e for c in claims for e in (c.data or {}).get("entities", [])
                       if e not in lx.GENERIC_ENTITY_KEYS and e not in countries
                       and len(e) >= 3})
        per_key_cap = 40
        for key in keys[:40]:
            found_ids = self.store.claims_with_entity(key, per_key_cap + 1)
            if len(found_ids) <= per_key_cap:  # a key that common tells nothing
                ids.update(found_ids)
        if not ids:
            return []
        return self.store.get_claims(sorted(ids))

    def check_claims(self, article: Article, claims: list[Claim], cvecs: np.ndarray,
                     quotes: list[Quote]) -> list[ClaimCheck]:
        from .crosscheck import conflict_to_dict, find_conflicts

        # The new article's claims get a private article id, so they are never mistaken for
        # spans of a stored article with the same id (an edited copy of a stored article).
        new_id = f"{article.id}#checked"
        mine: list[Claim] = []
        for c in claims:
            who = self.speakers.resolve(quotes[c.quote_index].speaker) \
                if c.quote_index is not None and 0 <= c.quote_index < len(quotes) else None
            speaker = c.speaker
            if who is not None and who.canonical:
                speaker = who.canonical
            elif c.speaker:
                for kind in ("person", "organisation", "anonymous"):
                    sid = self.speakers.index.resolve_mention(clean_name(c.speaker), kind)
                    if sid is not None:
                        speaker = self.speakers.by_id[sid].name
                        break
            mine.append(Claim(text=c.text, start=c.start, end=c.end, article_id=new_id,
                              speaker=speaker, quote_index=c.quote_index,
                              claim_time=c.claim_time, data=c.data))
        stored = self._claim_candidates(claims, cvecs)
        stored_vecs = self.store.claim_vectors([c.id for c in stored if c.id is not None])
        vectors: np.ndarray | None = None
        if len(stored_vecs) == len(stored):
            vectors = np.vstack([np.asarray(cvecs, np.float32),
                                 np.asarray(stored_vecs, np.float32).reshape(len(stored), -1)
                                 ]) if stored else np.asarray(cvecs, np.float32)
        articles: dict[str, Article] = {new_id: article}
        for aid in {c.article_id for c in stored}:
            a = self.store.get_article(aid)
            if a is not None:
                articles[aid] = a
        everything = mine + stored
        conflicts = find_conflicts(everything, vectors, articles, judges=self.judges,
                                   k=CLAIM_K) if stored else []
        out: list[ClaimCheck] = []
        by_span: dict[tuple[int, int], list[Any]] = {}
        for conf in conflicts:
            ev = conf.claims
            if not any(e.article_id == new_id for e in ev) or \
                    all(e.article_id == new_id for e in ev):
                continue  # only conflicts between the new article and the store
            d = conflict_to_dict(conf)
            for e in d["claims"]:
                e["new"] = e["article_id"] == new_id
                if e["new"]:
                    e["article_id"] = article.id
            for e in ev:
                if e.article_id == new_id:
                    by_span.setdefault((e.start, e.end), []).append((conf.score, d))
        # Support ("consistent"): one fuzzy matrix and one cosine matrix, then the closest
        # few stored claims are checked for a flipped negation, qualifier or number.
        from rapidfuzz.process import cdist

        ratios = cdist([" ".join(tokenize(c.text).keys) for c in mine],
                       [" ".join(tokenize(s.text).keys) for s in stored],
                       scorer=fuzz.ratio) if stored and mine else None
        cosines = (vectors[:len(mine)] @ vectors[len(mine):].T) \
            if vectors is not None and stored and mine else None
        for i, c in enumerate(mine):
            found = sorted(by_span.get((c.start, c.end), []), key=lambda x: -x[0])
            check = ClaimCheck(text=c.text, start=c.start, end=c.end, verdict="new",
                               speaker=c.speaker, claim_time=c.claim_time,
                               conflicts=[d for _, d in found])
            if found:
                check.verdict = found[0][1]["kind"]
            elif ratios is not None:
                row_r = np.asarray(ratios[i], dtype=np.float64) / 100.0
                row_c = np.asarray(cosines[i], dtype=np.float64) if cosines is not None \
                    else np.zeros(len(stored))
                ok = (row_r >= CONSISTENT_RATIO / 100.0) | (row_c >= CONSISTENT_COSINE)
                score = np.maximum(row_r, row_c)
                best_j = sorted(np.flatnonzero(ok).tolist(), key=lambda j: -score[j])
                for j in best_j[:10]:  # the closest few; wire copies repeat
                    s = stored[j]
                    if _meaning_differs(s.text, c.text):
                        continue
                    art = articles.get(s.article_id)
                    check.support.append({
                        "text": s.text, "article_id": s.article_id,
                        "title": art.title if art else None,
                        "source": art.source if art else None,
                        "published": art.published if art else None,
                        "claim_time": s.claim_time, "speaker": s.speaker,
                        "start": s.start, "end": s.end,
                        "similarity": round(float(score[j]), 4),
                    })
                    if len(check.support) >= NEAREST_SHOWN:
                        break
                if check.support:
                    check.verdict = "consistent"
            out.append(check)
        return out


def check_article(article: Article, store: Store, encoder: Encoder,
                  judges: list[Any] | None = None, doc: Any = None,
                  with_claims: bool = True) -> CheckResult:
    """Check one article against ``store`` (read only); see the module doc."""
    store.check_model(encoder.name)
    return Checker(store, encoder, judges=judges, with_claims=with_claims).check(article, doc)


def read_article(path: str, stdin: Any = None) -> Article:
    """Read exactly one article from a path (any format ingest reads) or ``-`` for stdin.

    Raises ``CheckInputError`` with a one-line message when it cannot.
    """
    from .corpus import read_inputs
    from .records import IngestError

    items = list(read_inputs([path], stdin=stdin))
    errors = [x for x in items if isinstance(x, IngestError)]
    articles = [x for x in items if isinstance(x, Article)]
    if not articles:
        raise CheckInputError(str(errors[0]) if errors else f"{path}: no article found")
    if len(articles) > 1:
        raise CheckInputError(f"{path}: holds {len(articles)} articles; check reads one "
                              "(split the file, or pipe one record on stdin)")
    return articles[0]


class CheckInputError(ValueError):
    """The input to check is missing or not one readable article."""


__all__ = ["Checker", "CheckResult", "QuoteCheck", "ClaimCheck", "QuoteMatch",
           "CheckInputError", "check_article", "read_article", "compare"]
