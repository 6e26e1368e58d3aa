"""Exports people can take elsewhere, and the import of our own JSONL export.

JSONL (``export_jsonl`` / ``import_jsonl``) is the lossless form: typed records, one a line,

    {"type": "meta", "format": "factcheck-export", "version": 1, ...}
    {"type": "speaker", "id", "name", "kind", "aliases", "roles"}
    {"type": "article", "id", "text", "title", "source", "url", "published", ...}
    {"type": "quote", "id", "article_id", "speaker_id", "speaker", "text", "start", "end",
     "cue", "partial", "context", ..., "evidence": {title, source, published, url}}
    {"type": "claim", "id", "article_id", "quote_id", "speaker_id", "text", ...}

Every speaker comes before the first quote naming it and every article before its quotes
and claims, so the file can be streamed in both directions. Ids are the exporting store's;
import maps them to new ones. Vectors are not exported (they belong to a model, not to the
evidence): import re-embeds with the target store's encoder.

CSV (``export_csv``) is one row per quote with its speaker and evidence, for spreadsheets.

ClaimReview (``claimreview_items``) turns cross-check conflicts into schema.org ClaimReview
JSON-LD, one item per claim in a conflict; ``validate_claimreview`` checks an item against
the fields Google documents as required for fact-check markup.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .escaping import escape_terminal, safe_json
from .records import Article, Claim
from .store import ArticleRecord, Store

log = logging.getLogger(__name__)

FORMAT_NAME = "factcheck-export"
FORMAT_VERSION = 1
EMBED_BATCH = 256  # articles' texts encoded per call on import


class ExportFormatError(ValueError):
    """An import file that is not (a readable version of) our JSONL export."""


@contextlib.contextmanager
def open_atomic(path: str | Path) -> Iterator[IO[str]]:
    """Write a text file all at once: readers see the old file or the whole new one.

    The file gets the usual permissions (0666 less the umask), not a temp file's 0600:
    exports and reports are made to be shared.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- JSONL ---------------------------------------------------------------------------------


def _quote_rows(store: Store, article_id: str) -> list[Any]:
    # The store's StoredQuote leaves out what only a faithful copy needs (mention, context
    # offsets, confidence), so the export reads the rows themselves.
    return store.quote_rows(article_id)


def _speaker_records(store: Store) -> list[dict[str, Any]]:
    aliases = store.aliases_of()
    roles = store.roles_of()
    return [
        {"type": "speaker", "id": int(r["id"]), "name": r["name"], "kind": r["kind"],
         "aliases": aliases.get(int(r["id"]), []), "roles": roles.get(int(r["id"]), [])}
        for r in store.speaker_rows()
    ]


def _article_record(a: Article) -> dict[str, Any]:
    return {
        "type": "article", "id": a.id, "title": a.title, "source": a.source, "url": a.url,
        "published": a.published, "published_inferred": a.published_inferred,
        "path": a.path, "content_hash": a.content_hash,
        "excluded": [list(x) for x in a.excluded], "text": a.text,
    }


def _quote_record(r: Any, a: Article) -> dict[str, Any]:
    return {
        "type": "quote", "id": int(r["id"]), "article_id": a.id,
        "speaker_id": r["speaker_id"], "speaker": r["speaker_name"] or r["mention"],
        "speaker_role": r["speaker_role"], "mention": r["mention"],
        "text": r["text"], "start": int(r["start"]), "end": int(r["end"]),
        "cue": r["cue"], "via": r["via"], "partial": bool(r["partial"]),
        "context": r["context"],
        "context_start": r["context_start"], "context_end": r["context_end"],
        "confidence": r["confidence"],
        # Repeated from the article so each quote line stands alone as evidence.
        "evidence": {"article_id": a.id, "title": a.title, "source": a.source,
                     "published": a.published, "url": a.url},
    }


def _claim_record(c: Claim) -> dict[str, Any]:
    return {
        "type": "claim", "id": c.id, "article_id": c.article_id, "quote_id": c.quote_id,
        "speaker_id": c.speaker_id, "speaker": c.speaker, "text": c.text, "start": c.start,
        "end": c.end, "claim_time": c.claim_time, "data": c.data,
    }


def iter_export(store: Store, with_claims: bool = True) -> Iterator[dict[str, Any]]:
    """The JSONL export's records, in file order (see the module doc)."""
    model, dim = store.embedding_model()
    yield {"type": "meta", "format": FORMAT_NAME, "version": FORMAT_VERSION,
           "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "embedding_model": model, "embedding_dim": dim, "counts": store.counts()}
    yield from _speaker_records(store)
    for a in store.articles():
        yield _article_record(a)
        for r in _quote_rows(store, a.id):
            yield _quote_record(r, a)
        if with_claims:
            for c in store.claims(article_id=a.id):
                yield _claim_record(c)


def export_jsonl(store: Store, out: IO[str], with_claims: bool = True) -> int:
    """Write the JSONL export to ``out``; returns the number of lines."""
    n = 0
    for rec in iter_export(store, with_claims=with_claims):
        out.write(safe_json(json.dumps(rec, ensure_ascii=False, default=str)) + "\n")
        n += 1
    return n


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "quote_id", "speaker", "speaker_kind", "speaker_role", "quote", "partial", "cue", "via",
    "context", "article_id", "title", "source", "published", "url", "start", "end",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Control and bidi characters would reach the terminal of whoever ``cat``s the file.
    s = escape_terminal(str(value))
    # A cell starting like a formula would be run by a spreadsheet (CSV injection); a
    # leading apostrophe makes it text, the convention spreadsheets themselves use.
    if s.startswith(_FORMULA_START):
        return "'" + s
    return s


def export_csv(store: Store, out: IO[str]) -> int:
    """One row per quote with speaker and evidence; returns the number of rows."""
    kinds = {int(r["id"]): r["kind"] for r in store.speaker_rows()}
    urls = {a.id: a.url for a in store.articles(with_text=False)}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for q in store.quotes():
        kind = kinds.get(q.speaker_id) if q.speaker_id is not None else None
        row = {
            "quote_id": q.id, "speaker": q.speaker, "speaker_kind": kind,
            "speaker_role": q.speaker_role, "quote": q.quote, "partial": q.partial,
            "cue": q.cue, "via": q.via, "context": q.context, "article_id": q.article_id,
            "title": q.title,
            "source": q.source, "published": q.published, "url": urls.get(q.article_id),
            "start": q.start, "end": q.end,
        }
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
        n += 1
    return n


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    articles: int = 0
    replaced: int = 0
    unchanged: int = 0
    speakers_created: int = 0
    speakers_merged: int = 0
    quotes: int = 0
    claims: int = 0
    warnings: list[str] = field(default_factory=list)


def read_jsonl(lines: Iterable[str], source: str = "<input>") -> Iterator[dict[str, Any]]:
    """Parse our export line by line; raises ``ExportFormatError`` with the line number."""
    first = True
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExportFormatError(f"{source}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(rec, dict) or "type" not in rec:
            raise ExportFormatError(f"{source}:{n}: a record without a \"type\"")
        if first:
            first = False
            if rec.get("type") != "meta" or rec.get("format") != FORMAT_NAME:
                raise ExportFormatError(
                    f"{source}: not a factcheck JSONL export (the first line must be the "
                    f"{FORMAT_NAME} meta record); to add articles, use `factcheck ingest`")
            if int(rec.get("version", 0)) > FORMAT_VERSION:
                raise ExportFormatError(
                    f"{source}: export format version {rec.get('version')} is newer than this "
                    f"factcheck reads ({FORMAT_VERSION}); upgrade factcheck")
        rec["_line"] = n
        yield rec
    if first:
        raise ExportFormatError(f"{source}: empty file")


def _need(rec: dict[str, Any], source: str, *keys: str) -> None:
    missing = [k for k in keys if k not in rec]
    if missing:
        raise ExportFormatError(
            f"{source}:{rec.get('_line')}: {rec['type']} record lacks {', '.join(missing)}")


class _SpeakerMap:
    """Exported speaker ids -> this store's, merging with same-key speakers already there."""

    def __init__(self, store: Store, summary: ImportSummary) -> None:
        from .speakers import name_key

        self.store = store
        self.summary = summary
        self.name_key = name_key
        self.ids: dict[int, int] = {}
        # Only speakers already in the store are merged into: two speakers of the file stay
        # two, so an import into an empty store reproduces the exported one exactly.
        self.existing: dict[tuple[str, str], int] = {
            (r["key"], r["kind"]): int(r["id"]) for r in store.speaker_rows()}

    def add(self, rec: dict[str, Any]) -> None:
        name, kind = rec["name"], rec.get("kind") or "person"
        key = self.name_key(name, kind)
        sid = self.existing.get((key, kind))
        if sid is None:
            sid = self.store.add_speaker(name, kind, key)
            self.summary.speakers_created += 1
        else:
            self.summary.speakers_merged += 1
        for alias in rec.get("aliases") or []:
            self.store.add_alias(sid, alias, self.name_key(alias, kind))
        for role in rec.get("roles") or []:
            self.store.add_role(sid, role)
        self.ids[int(rec["id"])] = sid

    def get(self, exported_id: Any, source: str, line: Any) -> int | None:
        if exported_id is None:
            return None
        try:
            return self.ids[int(exported_id)]
        except (KeyError, ValueError, TypeError):
            raise ExportFormatError(
                f"{source}:{line}: speaker id {exported_id!r} has no speaker record before it"
            ) from None


@dataclass
class _Pending:
    article: Article
    quotes: list[dict[str, Any]] = field(default_factory=list)
    speaker_ids: list[int | None] = field(default_factory=list)
    quote_pos: dict[int, int] = field(default_factory=dict)  # exported quote id -> index
    claims: list[Claim] = field(default_factory=list)
    claim_speaker_ids: list[int | None] = field(default_factory=list)


def _write_batch(store: Store, batch: list[_Pending], encoder: Any, summary: ImportSummary,
                 added: list[tuple[str, list[int], Any]]) -> None:
    """Embed a batch of articles in one encoder call and write them (caller's transaction)."""
    from .ingest import embedding_text
    from .records import Quote

    # An article already stored with the same text is left alone, as ingest does: importing
    # the same file twice changes nothing (and keeps quote ids that reports cite).
    fresh = [p for p in batch if store.article_hash(p.article.id) != p.article.content_hash]
    summary.unchanged += len(batch) - len(fresh)
    batch = fresh
    texts: list[str] = []
    for p in batch:
        texts += [embedding_text(Quote(text=q["text"], start=0, end=0, speaker=None,
                                       context=q["context"])) for q in p.quotes]
        texts += [c.text for c in p.claims]
    vectors = encoder.encode(texts) if texts else None
    if vectors is not None:
        store.record_model(encoder.name, int(vectors.shape[1]))
    pos = 0
    for p in batch:
        rec = ArticleRecord(article=p.article, quotes=p.quotes, claims=p.claims)
        nq, nc = len(p.quotes), len(p.claims)
        if vectors is not None:
            rec.quote_vectors = vectors[pos:pos + nq]
            rec.claim_vectors = vectors[pos + nq:pos + nq + nc]
        pos += nq + nc
        if store.article_hash(p.article.id) is not None:
            summary.replaced += 1
        qids, cids = store.put_article(rec, p.speaker_ids, p.claim_speaker_ids)
        if rec.quote_vectors is not None and qids:
            added.append(("quotes", qids, rec.quote_vectors))
        if rec.claim_vectors is not None and cids:
            added.append(("claims", cids, rec.claim_vectors))
        summary.articles += 1
        summary.quotes += len(qids)
        summary.claims += len(cids)


def import_jsonl(store: Store, lines: Iterable[str], encoder: Any,
                 source: str = "<input>") -> ImportSummary:
    """Load our JSONL export into ``store`` (the caller holds ``store.lock()``).

    Articles with an id already in the store are replaced, as a re-ingest would (unless
    their text is unchanged: then they are left as they are). Speakers
    join an existing speaker with the same folded name and kind, else are created. The whole
    import is one transaction: a bad line leaves the store as it was. Lines are streamed;
    at most ``EMBED_BATCH`` articles are held in memory.
    """
    from .corpus import content_hash

    summary = ImportSummary()
    store.check_model(encoder.name)
    # Loaded before rows are replaced, so removals reach them. A store with no vectors yet
    # has no index: it is built from SQLite after the commit, and must not get them twice.
    loaded = {name: store.index(name) is not None for name in ("quotes", "claims")}
    pending: list[_Pending] = []
    added: list[tuple[str, list[int], Any]] = []  # vectors join the indexes after the commit
    seen_articles: set[str] = set()

    with store.transaction():
        speakers = _SpeakerMap(store, summary)
        current: _Pending | None = None
        for rec in read_jsonl(lines, source):
            kind, line = rec["type"], rec["_line"]
            if kind == "meta":
                continue
            if kind == "speaker":
                _need(rec, source, "id", "name")
                speakers.add(rec)
            elif kind == "article":
                _need(rec, source, "id", "text")
                if len(pending) >= EMBED_BATCH:  # every pending article is complete now
                    _write_batch(store, pending, encoder, summary, added)
                    pending = []
                text = rec["text"]
                art = Article(
                    id=str(rec["id"]), text=text, title=rec.get("title"),
                    source=rec.get("source"), published=rec.get("published"),
                    published_inferred=bool(rec.get("published_inferred")),
                    url=rec.get("url"), path=rec.get("path"),
                    content_hash=rec.get("content_hash") or content_hash(text),
                    excluded=[(int(s), int(e)) for s, e in rec.get("excluded") or []],
                )
                if art.id in seen_articles:
                    summary.warnings.append(
                        f"{source}:{line}: article {art.id!r} appears twice; the later one wins")
                seen_articles.add(art.id)
                current = _Pending(art)
                pending.append(current)
            elif kind in ("quote", "claim"):
                _need(rec, source, "article_id", "text", "start", "end")
                if current is None or rec["article_id"] != current.article.id:
                    raise ExportFormatError(
                        f"{source}:{line}: {kind} of article {rec['article_id']!r} does not "
                        "follow its article record")
                start, end = int(rec["start"]), int(rec["end"])
                if current.article.text[start:end] != rec["text"]:
                    # Offsets are the evidence: a quote that no longer points at its words
                    # in the article would show the wrong thing, so refuse the file.
                    raise ExportFormatError(
                        f"{source}:{line}: {kind} text does not match the article text at "
                        f"[{start}:{end}]")
                sid = speakers.get(rec.get("speaker_id"), source, line)
                if kind == "quote":
                    if rec.get("id") is not None:
                        current.quote_pos[int(rec["id"])] = len(current.quotes)
                    current.quotes.append({
                        "text": rec["text"], "start": start, "end": end,
                        "cue": rec.get("cue"), "via": rec.get("via"),
                        "partial": bool(rec.get("partial")),
                        "context": rec.get("context") or "",
                        "context_start": rec.get("context_start"),
                        "context_end": rec.get("context_end"),
                        "confidence": rec.get("confidence"),
                        "speaker_role": rec.get("speaker_role"), "mention": rec.get("mention"),
                    })
                    current.speaker_ids.append(sid)
                else:
                    qid = rec.get("quote_id")
                    qi = current.quote_pos.get(int(qid)) if qid is not None else None
                    if qid is not None and qi is None:
                        summary.warnings.append(
                            f"{source}:{line}: claim refers to quote {qid}, not in the file")
                    current.claims.append(Claim(
                        text=rec["text"], start=start, end=end, article_id=current.article.id,
                        speaker=rec.get("speaker"), speaker_id=sid, quote_index=qi,
                        claim_time=rec.get("claim_time"), data=rec.get("data") or {}))
                    current.claim_speaker_ids.append(sid)
            else:
                summary.warnings.append(f"{source}:{line}: unknown record type {kind!r} skipped")
        if pending:
            _write_batch(store, pending, encoder, summary, added)
    for name, ids, vectors in added:
        if loaded[name]:
            store.add_vectors(name, ids, vectors)
    for name in ("quotes", "claims"):
        store.index(name)  # builds (from the committed rows) what was not loaded
    store.save_indexes()
    return summary


def first_line(path: str | Any) -> str:
    """The first line of a file (the export's meta record), or "" if unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.readline()
    except (OSError, UnicodeDecodeError):
        return ""


def export_model(meta_line: str) -> str | None:
    """The embedding model named in an export's meta line, if any."""
    try:
        rec = json.loads(meta_line)
    except json.JSONDecodeError:
        return None
    if isinstance(rec, dict) and rec.get("type") == "meta":
        model = rec.get("embedding_model")
        return str(model) if model else None
    return None


# --- ClaimReview ---------------------------------------------------------------------------

# The rating people read in search results: a short, plain description of what the
# cross-check found, by conflict kind. Unknown kinds fall back to a generic phrase.
# The tool finds conflicts, it does not rule on truth, so the ratings say what was found.
KIND_RATINGS = {
    "contradiction": "Contradictory statements",
    "dispute": "Disputed",
    "update": "Changed over time",
    "series": "Figures changed over time",
}
DEFAULT_RATING = "Conflicting statements"


def rating_for(kind: str | None) -> str:
    return KIND_RATINGS.get((kind or "").lower(), DEFAULT_RATING)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def claimreview_items(conflicts: Sequence[Any], articles: dict[str, Article],
                      organisation: str, review_url: str,
                      date_published: str | None = None,
                      speaker_kinds: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """ClaimReview JSON-LD items for ``conflicts`` (Conflict records or their dicts).

    Each claim of each conflict becomes one review: ``claimReviewed`` is the claim's words,
    ``itemReviewed`` a ``Claim`` by its speaker (the outlet when the outlet said it) that
    appeared in the article; the rating names the conflict kind and ``reviewBody`` says
    which other statements it conflicts with. ``url`` is ``review_url`` with an anchor per
    conflict (Google accepts the page URL plus a "page jump"). ``speaker_kinds`` (name ->
    person | organisation | anonymous) makes an organisation's claim an Organization's.
    """
    today = date_published or time.strftime("%Y-%m-%d", time.gmtime())
    base = review_url.split("#", 1)[0]
    items: list[dict[str, Any]] = []
    for ci, conflict in enumerate(conflicts, 1):
        claims = list(_get(conflict, "claims") or [])
        kind = _get(conflict, "kind")
        topic = _get(conflict, "topic")
        explanation = _get(conflict, "explanation")
        anchor = f"conflict-{_get(conflict, 'id') or ci}"
        for claim in claims:
            art = _article_of(claim, articles)
            speaker = _get(claim, "speaker")
            outlet = art.source if art and art.source and art.source != "unknown" else None
            author_name = speaker or outlet or "Unattributed"
            others = []
            for other in claims:
                if other is claim:
                    continue
                oart = _article_of(other, articles)
                who = _get(other, "speaker") or (oart.source if oart else None) or "the outlet"
                when = _get(other, "claim_time") or (oart.published if oart else None)
                others.append(f"{who} ({when or 'undated'}): \u201c{_get(other, 'text')}\u201d")
            body = []
            if explanation:
                body.append(str(explanation).rstrip(". ") + ".")
            if others:
                body.append("Compare " + "; ".join(others) + ".")
            appearance: dict[str, Any] = {"@type": "CreativeWork"}
            if art is not None:
                if art.url:
                    appearance["url"] = art.url
                appearance["headline"] = art.title or art.id
                if art.published:
                    appearance["datePublished"] = art.published
                if outlet:
                    appearance["publisher"] = {"@type": "Organization", "name": outlet}
            item_reviewed: dict[str, Any] = {
                "@type": "Claim",
                "author": {"@type": _schema_type(speaker, speaker_kinds), "name": author_name},
                "appearance": appearance,
            }
            if art is not None and art.published:
                item_reviewed["datePublished"] = art.published
            item: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{base}#{anchor}",
                "claimReviewed": _get(claim, "text"),
                "datePublished": today,
                "author": {"@type": "Organization", "name": organisation},
                "itemReviewed": item_reviewed,
                "reviewRating": {"@type": "Rating", "alternateName": rating_for(kind)},
            }
            if topic:
                item["name"] = str(topic)
            if body:
                item["reviewBody"] = " ".join(body)
            items.append(item)
    return items


def _article_of(claim: Any, articles: dict[str, Article]) -> Article | None:
    """The claim's article, else one made from the evidence a ClaimEvidence carries."""
    aid = _get(claim, "article_id")
    art = articles.get(aid)
    if art is None and aid is not None:
        art = Article(id=str(aid), text="", title=_get(claim, "title"),
                      source=_get(claim, "source"), published=_get(claim, "published"))
    return art


def _schema_type(speaker: str | None, kinds: dict[str, str] | None) -> str:
    if not speaker:
        return "Organization"  # the outlet's own voice
    return "Organization" if (kinds or {}).get(speaker) == "organisation" else "Person"


def validate_claimreview(item: dict[str, Any]) -> list[str]:
    """Problems with one ClaimReview item (empty when it has what Google requires).

    Google's fact-check markup requires ``claimReviewed``, ``reviewRating`` with
    ``alternateName``, and ``url``; this project also always sets (and so checks) the
    recommended ``author`` (an organisation with a name), ``datePublished`` and
    ``itemReviewed`` (a ``Claim`` with an ``author`` and an ``appearance``).
    """
    problems: list[str] = []

    def text(value: Any) -> bool:
        return isinstance(value, str) and bool(value.strip())

    if item.get("@type") != "ClaimReview":
        problems.append("@type is not ClaimReview")
    if item.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append("@context is not schema.org")
    if not text(item.get("claimReviewed")):
        problems.append("claimReviewed missing or empty")
    url = item.get("url")
    if not text(url) or not str(url).startswith(("http://", "https://")):
        problems.append("url missing or not an absolute http(s) URL")
    rating = item.get("reviewRating")
    if not isinstance(rating, dict) or rating.get("@type") != "Rating":
        problems.append("reviewRating missing or not a Rating")
    elif not text(rating.get("alternateName")):
        problems.append("reviewRating.alternateName missing or empty")
    author = item.get("author")
    if not isinstance(author, dict) or not text(author.get("name")):
        problems.append("author missing or without a name")
    date = item.get("datePublished")
    if not text(date) or not _iso_date(date):
        problems.append("datePublished missing or not an ISO 8601 date")
    reviewed = item.get("itemReviewed")
    if not isinstance(reviewed, dict) or reviewed.get("@type") != "Claim":
        problems.append("itemReviewed missing or not a Claim")
    else:
        if not isinstance(reviewed.get("author"), dict) or not text(
                reviewed["author"].get("name")):
            problems.append("itemReviewed.author missing or without a name")
        app = reviewed.get("appearance")
        if not isinstance(app, dict) or not (text(app.get("url")) or text(app.get("headline"))):
            problems.append("itemReviewed.appearance missing (needs a url or a headline)")
        if "datePublished" in reviewed and not _iso_date(reviewed["datePublished"]):
            problems.append("itemReviewed.datePublished not an ISO 8601 date")
    return problems


def _iso_date(value: Any) -> bool:
    from .dates import normalise_date

    return isinstance(value, str) and normalise_date(value) == value


def claimreview_document(items: list[dict[str, Any]]) -> str:
    """The items as one JSON-LD document (a list, as a page's script tag may hold)."""
    return safe_json(json.dumps(items, ensure_ascii=False, indent=2))


def dumps_jsonl(store: Store) -> str:
    """The JSONL export as a string (tests, small stores)."""
    buf = io.StringIO()
    export_jsonl(store, buf)
    return buf.getvalue()
