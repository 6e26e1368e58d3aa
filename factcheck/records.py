"""The records that flow through factcheck.

Plain dataclasses: the library returns them, the store persists them, the CLI renders them
(``dataclasses.asdict`` gives the ``--json`` form). Every character offset is into
``Article.text`` exactly as stored, so evidence can always be re-shown from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One news article as stored. ``text`` is the reference for every offset."""

    id: str  # file name for files, record id for JSONL
    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None  # ISO date, possibly partial: "2013", "2013-09", "2013-09-09"
    published_inferred: bool = False  # True when the date was read from the text, not given
    url: str | None = None
    path: str | None = None  # where it was read from, for messages
    content_hash: str = ""
    # Character ranges [start, end) of ``text`` judged not to be the article's own
    # (reader comments, adverts, related-post lists, footers). Quotes there are dropped.
    excluded: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Mention:
    """A speaker as named in one article, after in-article resolution.

    ``name`` is the fullest form of the name found in the article ("John Kerry" even when the
    cue says "Kerry" or "he"); ``surface`` is what the cue itself said.
    """

    name: str
    kind: str = "person"  # person | organisation | anonymous | unknown
    role: str | None = None  # "U.S. Secretary of State", "head of the politburo of ..."
    surface: str | None = None
    start: int | None = None  # offsets of the surface mention in the article text
    end: int | None = None


@dataclass
class Quote:
    """A direct quote found in an article (output of attribution, input to the store)."""

    text: str  # the words inside the quote marks
    start: int  # offsets of ``text`` in Article.text
    end: int
    speaker: Mention | None  # None when no speaker could be found
    cue: str | None = None  # "said", "told reporters", "according to", ...
    partial: bool = False  # a fragment inside reported speech ("called them 'defensive'")
    context: str = ""  # the surrounding sentence(s)
    context_start: int = 0
    context_end: int = 0
    confidence: float = 1.0
    # the outlet the quote came through: "the daily X quoted Y as saying", "Y told X"
    via: str | None = None


@dataclass
class Speaker:
    """A canonical speaker across the corpus."""

    id: int
    name: str
    kind: str = "person"
    roles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    quote_count: int = 0


@dataclass
class StoredQuote:
    """A quote as the store returns it, with all its evidence (the ``--json`` shape)."""

    id: int
    quote: str
    speaker: str | None
    speaker_id: int | None
    speaker_role: str | None
    anonymous: bool
    partial: bool
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    start: int
    end: int
    context: str
    cue: str | None = None
    score: float | None = None  # set by search
    via: str | None = None  # the outlet the quote came through ("quoted by X")


@dataclass
class Claim:
    """A checkable statement: a clause of a quote or a reporter's own sentence.

    ``data`` holds the claim extractor's analysis (entities, polarity, event, numbers,
    denial target, ...) so the extractor can grow without schema changes.
    """

    text: str
    start: int
    end: int
    article_id: str
    speaker: str | None = None  # canonical speaker name; None = the outlet's own voice
    speaker_id: int | None = None
    quote_id: int | None = None
    quote_index: int | None = None  # index into the article's quote list before storing
    claim_time: str | None = None  # partial ISO date the claim is about
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass
class IngestError:
    """One input that could not be read; the batch goes on."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class ArticleInfo:
    """A stored article with its counts, as `factcheck articles` lists it."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    chars: int
    quotes: int
    claims: int
    copy_of: str | None = None  # set on a republication: the article it copies
    copies: int = 0  # republications of this article
    path: str | None = None
    url: str | None = None
    ingested_at: str | None = None


@dataclass
class StoredClaim:
    """A stored claim with its speaker and article, as `factcheck claims` lists it."""

    id: int
    claim: str
    speaker: str | None  # canonical speaker; None = the outlet's own voice
    speaker_id: int | None
    claim_time: str | None
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    start: int
    end: int
    quote_id: int | None = None
    score: float | None = None


@dataclass
class DeleteSummary:
    """What `factcheck delete` removed."""

    deleted: list[str] = field(default_factory=list)
    copies_deleted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    quotes: int = 0
    claims: int = 0
    speakers_pruned: int = 0
