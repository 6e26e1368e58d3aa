"""Shared pieces of the attribution passes: label sets, name helpers and the small records
(entity, antecedent candidate, found cue) the passes hand each other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from factcheck.cues import (
    PERSON_NOUNS,
    SPEECH_VERB_FORMS,
    SPEECH_VERBS,
    TITLE_WORDS,
)
from factcheck.records import Mention

_PERSON_LABELS = {"PERSON"}

_ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}

_SUBJ_DEPS = {"nsubj", "nsubjpass"}

_CLIMB_DEPS = {"conj", "advcl", "xcomp", "acl", "pcomp", "prep", "dep", "parataxis"}

_MAX_LOOKBACK_SENTS = 12

# a non-subject mention this close (sentences back) is preferred to an older subject
_RECENT_SENTS = 2

# honorifics right before a name that fix its gender
_PREFIX_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}

_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")

_EDGE_PUNCT = " \t\n,;:.-–—\"'“”‘’()[]"

_NAME_LABEL_RE = re.compile(
    r"\s*((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s*:\s*"
)

# a quote signed off by a dash and a bare name: '"..." ― Ana Ruiz' (testimonials, reader
# voices, epigraphs); the name ends the sentence or the next quote opens right after it
_SIGN_OFF_RE = re.compile(
    r"[^\S\n]*[―—–][^\S\n]*((?:[A-Z][\w'’-]*\.?|(?:de|del|da|van|von|der|bin|al|la|le)(?=\s+[A-Z]))"
    r"(?:[^\S\n]+(?:[A-Z][\w'’-]*\.?|(?:de|del|da|van|von|der|bin|al|la|le)(?=\s+[A-Z]))){0,4})"
    r"(?=[^\S\n]*(?:[.;!]|\n|$|[\"“”]|,[^\S\n]+[a-z]))"
)

# Role nouns that, with "the" and no name, refer back to someone already named.
_ANAPHORIC_ROLES = frozenset(
    """senator governor candidate nominee president congressman congresswoman lawmaker mayor
    secretary minister chairman chairwoman leader frontrunner front-runner billionaire
    businessman businesswoman congressman premier chancellor""".split()
)

_TITLE_CUE_RE = re.compile(
    r"\b(?:film|movie|book|memoir|novel|show|series|sitcom|play|musical|song|album|single|"
    r"podcast|program|programme|episode|documentary|column|concert|titled|entitled|"
    r"called|named|nicknamed|nickname|dubbed|slogan)\s*[,:]?\s*$",
    re.IGNORECASE,
)

_AFTER_TITLE_RE = re.compile(
    r"\s*,?\s*(?:star|stars|host|hosts|actor|actress|creator|author|producer|showrunner|"
    r"director|co-star|cast)\b"
)

_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "my", "our", "your", "these"}

_MINOR_WORDS = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "by", "with", "or"}


def _norm_token(word: str) -> str:
    w = _POSSESSIVE_RE.sub("", word.strip(_EDGE_PUNCT)).lower()
    for prefix in ("al-", "el-", "ad-", "as-", "an-", "ar-"):
        if w.startswith(prefix) and len(w) > len(prefix) + 1:
            return w[len(prefix) :]
    return w


def _clean_name(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading title words off a name: (title words, name words)."""
    # a dash the tokenizer left on a name ('\u00a0― Ana Ruiz' after a quote) is no part of it
    words = [w for w in words if w.strip() and w.strip("―—– \u00a0")]
    while words and _POSSESSIVE_RE.search(words[-1]) and len(words[-1]) <= 2:
        words = words[:-1]  # a separate 's token
    if words:
        last = words[-1].rstrip(_EDGE_PUNCT.replace("-", ""))
        words[-1] = _POSSESSIVE_RE.sub("", last) or last
    i = 0
    while i < len(words) - 1 and (
        words[i].lower().rstrip(".") in TITLE_WORDS or words[i].lower() in {"u.s.", "us", "u.n."}
        # a hyphenated rank split by the tokenizer: 'Major - General', 'Vice - Admiral'
        or (words[i] in ("-", "–") and i > 0 and words[i + 1].lower() in TITLE_WORDS)
    ):
        i += 1
    return words[:i], words[i:]


@dataclass
class _Entity:
    name: str
    kind: str
    role: str | None = None
    gender: str | None = None
    plural: bool = False
    guessed: bool = False  # gender from pronoun votes, not an honorific


@dataclass
class _Cand:
    """A possible antecedent for a pronoun: an entity mention in the text."""

    tok: int
    sent: int
    subject: bool
    ent: _Entity
    main: bool = False  # subject of the sentence's main clause (or of a speech verb)


@dataclass
class _Found:
    speaker: Mention | None
    cue: str | None
    confidence: float
    ent: _Entity | None = None
    cue_tok: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "eer")

# 'what critics have called a "..."' (a generic subject: not he, she or a name, which quote
# that person's words)
_SCARE_FRAME_RE = re.compile(
    r"(?:\b(?i:so-called)|\bwhat\s+(?!(?:he|she|they|we|i)\b)(?:[a-z][\w'’-]*\s+){1,5}"
    r"(?:had\s+|has\s+|have\s+)?(?:called|calls?|"
    r"dubbed|dubs?|termed|terms?|labell?ed|described\s+as|describes?\s+as)"
    r"(?:\s+(?:an?|the))?)\s*$",
)

_HYPHEN_WORD_RE = re.compile(r"-[a-z]")

_TITLE_OR_PERSON_NOUNS = TITLE_WORDS | PERSON_NOUNS

_SENTENCE_END_RE = re.compile(r"[.!?][\s\"”’']")

_CLOSING_PUNCT = ".,!?;:…—–-)]'’"

# speech verbs that name rather than report: 'called them "defensive weapons"' is a fragment
# speech verbs that never take a quote as their whole complement ('speak "directly to ..."')
_NO_COMPLEMENT_VERBS = frozenset({"speak", "talk", "spoke", "spoken", "speaks", "speaking"})
_NAMING_VERBS = frozenset(
    "call describe label brand dub term characterize characterise name deem".split()
)


def _is_speech_word(word: str) -> bool:
    word = word.lower()
    return word in SPEECH_VERB_FORMS or _crude_lemma(word) in SPEECH_VERBS

_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "sec": "secretary", "pres": "president", "lt": "lieutenant", "col": "colonel",
}


def _role_words(role: str | None) -> set[str]:
    if not role:
        return set()
    words = {w.strip(".,’'").lower() for w in role.split()}
    return {_ABBREVIATIONS.get(w, w) for w in words}


def _is_title_case(content: str) -> bool:
    """Every word of four or more letters capitalised, with at least one capital: a title
    ("Night Train", "Tales From the Crypt,"), not a sentence."""
    words = [w.strip(".,!?;:\"'’”“()") for w in content.split()]
    words = [w for w in words if w]
    if not words or content.rstrip()[-1:] in ("?", "!"):
        return False
    if not any(w[:1].isupper() for w in words):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or len(w) < 4 for w in words) and all(
        w[:1].isupper() or w.lower() in _MINOR_WORDS or w[:1].isdigit() for w in words
    )


def _crude_lemma(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if stem in SPEECH_VERBS:
                return stem
            if stem + "e" in SPEECH_VERBS:
                return stem + "e"
    return word


def _span_text(text: str, toks: list[Any]) -> str:
    if not toks:
        return ""
    return text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _join_name(words: list[str]) -> str:
    out = " ".join(words)
    out = out.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    out = out.replace(" 's", "'s").replace(" ’s", "’s")
    return out.strip(_EDGE_PUNCT.replace("-", "").replace(".", "")).strip()
