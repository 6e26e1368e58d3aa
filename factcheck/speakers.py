"""Canonical speakers across the corpus.

The attributor resolves names within one article ("he", "Kerry" → "John Kerry"); this module
decides which article-level names are the same person across articles, and matches what a
user types (``--speaker lavrov``) to stored speakers.

Rules (general, no list of known people):
- names are compared after folding: case, accents, curly marks, titles, possessives, the
  Arabic article prefix (al-/el-), and common transliteration variants (Sergei/Sergey);
- a full name matches a stored full name with the same surname and a compatible first name
  (same after folding, an initial, or a close spelling); different first names are different
  people (Bashar al-Assad vs Hafez al-Assad);
- a surname alone joins the stored person with that surname — the most quoted if several;
- organisations and unnamed sources ("a Western diplomat") match only by their folded
  description; unnamed sources are grouped by description, not by identity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .records import Speaker

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "sen", "rep",
    "gov", "gen", "col", "maj", "capt", "lt", "sgt", "adm", "rev", "sheikh", "president",
    "minister", "secretary", "senator", "representative", "governor", "general", "chairman",
    "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "king", "queen",
    "prince", "princess", "pope", "premier", "chancellor", "mayor", "judge", "justice",
}
ARTICLE_PREFIXES = ("al-", "el-", "al ", "el ")


class UnknownSpeaker(LookupError):
    """No stored speaker matches what the user typed; ``suggestions`` holds close names."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown speaker {query!r}{hint}")


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _fold_token(tok: str) -> str:
    """Fold transliteration variants so Sergei/Sergey, Muallem/Mualem meet."""
    for prefix in ("al-", "el-"):
        if tok.startswith(prefix) and len(tok) > len(prefix) + 1:
            tok = tok[len(prefix):]
    tok = tok.replace("-", "")
    tok = re.sub(r"ey$", "ei", tok)
    tok = re.sub(r"iy", "i", tok)
    tok = tok.replace("kh", "h").replace("ph", "f")
    tok = re.sub(r"(.)\1+", r"\1", tok)  # doubled letters
    return tok


def clean_name(name: str) -> str:
    """Display form: spaces tidied, curly marks straightened, possessive and titles dropped."""
    s = name.replace("’", "'").replace("‘", "'").strip(" \t\n,.;:\"'“”")
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"\s+", " ", s)
    return s


def name_key(name: str, kind: str = "person") -> str:
    """The folded comparison key of a name or description."""
    s = _strip_accents(clean_name(name)).lower()
    s = re.sub(r"^(the|a|an)\s+", "", s)
    if kind == "person":
        tokens = [t for t in re.split(r"[^\w'-]+", s) if t]
        tokens = [t for t in tokens if t.rstrip(".") not in HONORIFICS]
        tokens = [t.strip("'-") for t in tokens if t.strip("'-")]
        return " ".join(_fold_token(t) for t in tokens)
    s = re.sub(r"'s\b", "", s)  # "Ruritania's Foreign Ministry" = "Ruritania Foreign Ministry"
    return re.sub(r"[^\w]+", " ", s).strip()


def _first_names_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    return fuzz.ratio(a, b) >= 80


@dataclass
class _Entry:
    id: int
    name: str
    kind: str
    key: str
    keys: set[str] = field(default_factory=set)
    quotes: int = 0


class SpeakerIndex:
    """In-memory view of the stored speakers used to canonicalise mentions.

    ``resolve_mention`` returns an existing speaker id or None (new speaker); the caller
    (ingest) creates new speakers and records aliases through the store.
    """

    def __init__(self, speakers: list[Speaker]) -> None:
        self.entries: dict[int, _Entry] = {}
        self.by_key: dict[str, set[int]] = {}
        for sp in speakers:
            self.add(sp.id, sp.name, sp.kind, sp.aliases, sp.quote_count)

    def add(self, sid: int, name: str, kind: str, aliases: list[str] | None = None,
            quotes: int = 0) -> None:
        entry = self.entries.get(sid)
        if entry is None:
            entry = _Entry(sid, name, kind, name_key(name, kind), quotes=quotes)
            self.entries[sid] = entry
        for alias in [name, *(aliases or [])]:
            k = name_key(alias, kind)
            if k:
                entry.keys.add(k)
                self.by_key.setdefault(k, set()).add(sid)

    def resolve_mention(self, name: str, kind: str) -> int | None:
        key = name_key(name, kind)
        if not key:
            return None
        exact = [sid for sid in self.by_key.get(key, ()) if self.entries[sid].kind == kind]
        if exact:
            return max(exact, key=lambda s: self.entries[s].quotes)
        if kind != "person":
            return None
        tokens = key.split()
        surname = tokens[-1]
        same_surname = [
            e for e in self.entries.values()
            if e.kind == "person" and any(k.split()[-1] == surname for k in e.keys)
        ]
        if len(tokens) == 1:
            if same_surname:
                return max(same_surname, key=lambda e: e.quotes).id
            return None
        first = tokens[0]
        best: _Entry | None = None
        for e in same_surname:
            full = [k.split() for k in e.keys if len(k.split()) >= 2]
            if not full:
                best = best or e  # known only by surname so far: the full name joins it
                continue
            if any(_first_names_compatible(first, k[0]) for k in full):
                return e.id
        if best is not None:
            return best.id
        # Transliteration variants of the whole name (Moallem / Muallem).
        for e in self.entries.values():
            if e.kind == "person" and any(
                len(k.split()) == len(tokens) and fuzz.ratio(k, key) >= 88 for k in e.keys
            ):
                return e.id
        return None

    def bump(self, sid: int) -> None:
        self.entries[sid].quotes += 1


def prefer_display(current: str, candidate: str, kind: str) -> str:
    """The better display name of two forms of one speaker.

    A total order, so the name a speaker ends with does not depend on the order its
    mentions arrive in (one writer or several): for people the fuller name (more name
    words, then more letters: "Bashar al-Assad" over "Bashar Assad"); then, and for
    organisations and unnamed sources, the smallest form in code-point order, which puts
    capitals and no leading article first ("Foreign Ministry" over "the foreign ministry").
    """
    def rank(name: str) -> tuple[int, int]:
        return (len(name_key(name).split()), len(name)) if kind == "person" else (0, 0)

    if rank(candidate) != rank(current):
        return candidate if rank(candidate) > rank(current) else current
    return min(current, candidate)


def match_speakers(query: str, speakers: list[Speaker], limit: int = 5) -> list[Speaker]:
    """Stored speakers a user's ``--speaker`` text means; raises ``UnknownSpeaker``.

    Exact folded names and aliases first, then a surname, then fuzzy matching.
    """
    if not speakers:
        raise UnknownSpeaker(query, [])
    q_person = name_key(query, "person")
    q_other = name_key(query, "organisation")
    exact = [
        s for s in speakers
        if any(name_key(a, s.kind) in (q_person, q_other) for a in [s.name, *s.aliases])
    ]
    if exact:
        return exact
    tokens = q_person.split()
    if tokens:
        by_surname = [
            s for s in speakers if s.kind == "person"
            and any(name_key(a).split()[-1:] == tokens[-1:] for a in [s.name, *s.aliases])
            and (len(tokens) == 1 or any(
                _first_names_compatible(tokens[0], name_key(a).split()[0])
                for a in [s.name, *s.aliases] if len(name_key(a).split()) > 1))
        ]
        if by_surname:
            return by_surname
    if len(tokens) == 1:
        # A misspelt surname ("Lavrvo"): compare it with each stored surname.
        close = [
            s for s in speakers if s.kind == "person"
            and any(fuzz.ratio(tokens[0], name_key(a).split()[-1]) >= 80
                    for a in [s.name, *s.aliases] if name_key(a))
        ]
        if close:
            return close
    choices = {}
    for s in speakers:
        for alias in [s.name, *s.aliases]:
            choices[name_key(alias, s.kind) or alias.lower()] = s
    hits = process.extract(q_person or query.lower(), list(choices), scorer=fuzz.WRatio,
                           limit=limit)
    good = [choices[h[0]] for h in hits if h[1] >= 88]
    if good:
        seen: dict[int, Speaker] = {}
        for s in good:
            seen.setdefault(s.id, s)
        return list(seen.values())
    suggestions: list[str] = []
    for h in hits:
        if h[1] >= 50 and choices[h[0]].name not in suggestions:
            suggestions.append(choices[h[0]].name)
    raise UnknownSpeaker(query, suggestions[:3])
