"""Definite descriptions that point back to someone named earlier in the article.

"Nora Vale, the UN envoy, ... 'q,' the envoy said" -> Nora Vale; "Colonel Ruth Adair ...
the colonel added" -> Ruth Adair; "Norland's Health Ministry said ... the ministry said" ->
Norland's Health Ministry. A person's roles are gathered at every mention (titles before
the name, appositives after it: "Igor Petrov, a spokesman for the ministry"); a description
matches the most recent person named before it whose roles hold its head noun (and, when
several do, its modifiers: "the Syrian president"). When nobody fits, the caller keeps the
description itself as an unnamed speaker.
"""

from __future__ import annotations

import bisect
from typing import Any

from factcheck.attribution.roles import ABBREVIATIONS, RELATION_NOUNS, role_words
from factcheck.cues import ORG_NOUNS, PERSON_NOUNS, TITLE_WORDS

DEFINITE = frozenset({"the", "this", "that"})
# bounded look-back (mentions or entities before the description): linear on long texts
LOOKBACK = 400
# head nouns a description can be built on: titles and functions, not relations or "man"
PERSON_HEADS = (TITLE_WORDS | PERSON_NOUNS) - RELATION_NOUNS - {
    "the", "former", "acting", "senior", "state", "foreign", "interior", "finance",
    "defense", "defence", "vice", "deputy", "assistant", "then-president", "official",
    "source", "mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "dame",
}
# bodies a definite description can refer back to ("the ministry", "the council")
ORG_HEADS = ORG_NOUNS - {
    "statement", "report", "memo", "letter", "poll", "survey", "study", "website", "site",
    "paper", "white", "house", "group", "team", "camp", "office", "network", "channel",
    "station",
}


def _head_lemma(tok: Any) -> str:
    w = tok.lemma_.lower().rstrip(".")
    return ABBREVIATIONS.get(w, w)


def is_definite(attr: Any, tok: Any) -> bool:
    """'the envoy', 'this minister', 'Ruritania's navy chief' — singular, with a definite
    determiner or a place or body as possessor, no name in it."""
    if tok.tag_ in ("NNS", "NNPS"):
        return False
    for c in tok.children:
        if c.i > tok.i:
            continue
        if c.dep_ == "det":
            return c.lower_ in DEFINITE
        if c.dep_ == "poss" and any(d.dep_ == "det" and d.lower_ in DEFINITE for d in c.children):
            return False  # 'the council's spokesman' is not 'the spokesman
        if c.dep_ == "poss" and attr.ent_of[c.i] >= 0 and attr.ents[attr.ent_of[c.i]].label_ in (
                "GPE", "ORG", "NORP"):
            return True
    return False


def is_headline(attr: Any, tok: Any) -> bool:
    """A bare role noun opening its line with no determiner: headline style ('Ruritanian
    president says ...')."""
    if any(c.dep_ in ("det", "poss") for c in tok.children if c.i < tok.i):
        return False
    start = attr.doc[tok.left_edge.i].idx
    return start == 0 or attr.text[start - 1] == "\n"


def modifiers(attr: Any, tok: Any) -> set[str]:
    """Content words before the head: 'the Syrian president' -> {syrian}."""
    out = set()
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "npadvmod") and not (
            c.is_punct
        ):
            out |= role_words(c.text)
    return out


# descriptions that name an office in other words: any of these role words matches
OFFICE_PHRASES: dict[tuple[str, str], frozenset[str]] = {
    ("head", "state"): frozenset({"president", "king", "queen", "monarch", "emir", "sultan"}),
    ("head", "government"): frozenset({"prime", "premier", "chancellor"}),
}


# descriptions an office goes by in news with a modifier: 'the top diplomat' is the foreign
# minister or secretary of state (every word of one group in the person's roles)
OFFICE_BY_MODIFIER: dict[tuple[str, str], tuple[frozenset[str], ...]] = {
    ("diplomat", "top"): (frozenset({"foreign", "minister"}), frozenset({"foreign", "secretary"}),
                          frozenset({"secretary", "state"})),
}


def _office_groups(tok: Any, lemma: str) -> tuple[frozenset[str], ...]:
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("amod", "compound"):
            groups = OFFICE_BY_MODIFIER.get((lemma, c.lower_))
            if groups:
                return groups
    return ()


def _role_keys(tok: Any, lemma: str) -> frozenset[str]:
    """The role words a description head stands for: itself, or the office a phrase names
    ('the head of state' -> president, king, ...)."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                office = OFFICE_PHRASES.get((lemma, obj.lemma_.lower()))
                if obj.dep_ == "pobj" and office:
                    return office
    return frozenset({lemma})


def resolve_person(attr: Any, tok: Any) -> Any | None:
    """The person a definite role description refers back to, or None."""
    lemma = _head_lemma(tok)
    headline = is_headline(attr, tok)
    if lemma not in PERSON_HEADS or not (is_definite(attr, tok) or headline):
        return None
    keys = _role_keys(tok, lemma)
    groups = _office_groups(tok, lemma)
    mods = modifiers(attr, tok) - {"top"}
    best = None
    best_key: tuple[int, int] | None = None
    hi = bisect.bisect_left(attr.person_mentions, tok.i, key=lambda m: m[0])
    # a headline ('Ruritanian president says ...') names someone the story names after it
    window = attr.person_mentions[max(0, hi - LOOKBACK) : hi] if not headline else (
        attr.person_mentions[max(0, hi - LOOKBACK) : hi + LOOKBACK])
    for pos, ent in window:
        roles = attr.roles_of.get(id(ent), set())
        if groups:
            if not any(g <= roles for g in groups):
                continue
        elif not keys & roles:
            continue
        # modifiers that agree beat recency ('the Syrian president' with two presidents);
        # after a headline, the first mention wins
        key = (len(mods & roles), pos if pos < tok.i else -pos)
        if best_key is None or key >= best_key:
            best, best_key = ent, key
    return best


def resolve_org(attr: Any, tok: Any, definite: bool = False) -> str | None:
    """'the ministry' -> the body named earlier with that head ('Norland's Health
    Ministry'), the possessor kept ('Norland's Defence Ministry'), or None."""
    lemma = tok.lemma_.lower()
    # 'The council's statement': the determiner may hang on the statement
    owned_the = tok.dep_ == "poss" and any(
        d.dep_ == "det" and d.lower_ == "the" for d in tok.head.children if d.i < tok.i)
    if lemma not in ORG_HEADS or not (definite or is_definite(attr, tok) or owned_the):
        return None
    mods = modifiers(attr, tok)
    best: str | None = None
    best_key: tuple[int, int] | None = None
    for ent in _ents_before(attr, tok.i):
        if ent.label_ != "ORG" or attr.in_quote[ent.start] >= 0:
            continue
        words = {t.lower_ for t in ent}
        if lemma not in words:
            continue
        name = org_name(attr, ent)
        key = (len(mods & role_words(name)), ent.start)
        if best_key is None or key >= best_key:
            best, best_key = name, key
    return best


def org_name(attr: Any, ent: Any) -> str:
    """An organisation's name from its entity, with a possessor glued to it ('Norland's
    Defence Ministry': the NER often tags 'Norland' and 'Defence Ministry' apart)."""
    toks = [t for t in ent if t.lower_ not in ("the", "a", "an")]
    if not toks:
        return ent.text
    start = toks[0].idx
    k = ent.start
    if k >= 2 and attr.doc[k - 1].lower_ in ("'s", "’s") and attr.ent_of[k - 2] >= 0:
        owner = attr.ents[attr.ent_of[k - 2]]
        if owner.label_ in ("GPE", "NORP", "ORG") and attr.in_quote[owner.start] < 0:
            start = owner[0].idx if owner[0].lower_ != "the" else owner[1].idx if len(
                owner) > 1 else owner[0].idx
    end = toks[-1].idx + len(toks[-1].text)
    return " ".join(attr.text[start:end].split())


def fuller_org(attr: Any, ent: Any, name: str) -> str:
    """'the Foreign Ministry' after 'Ruritania's Foreign Ministry': the fuller name of the
    same body named earlier (all of this one's words in it), else ``name``."""
    words = role_words(name)
    best = name
    for other in _ents_before(attr, ent.start):
        if other.label_ != "ORG" or attr.in_quote[other.start] >= 0:
            continue
        full = org_name(attr, other)
        if words < role_words(full) or (words == role_words(full) and len(full) > len(best)):
            best = full
    return best


def _ents_before(attr: Any, tok_i: int) -> list[Any]:
    """The entities starting before token ``tok_i`` (the last ``LOOKBACK``), in text order."""
    starts = getattr(attr, "_ent_starts", None)
    if starts is None:
        starts = attr._ent_starts = [e.start for e in attr.ents]
    hi = bisect.bisect_left(starts, tok_i)
    return attr.ents[max(0, hi - LOOKBACK) : hi]
