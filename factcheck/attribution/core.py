"""Attributing direct quotes to their speakers.

``attribute(article, doc)`` finds every quoted span (``quotemarks``), looks for its cue in the
spaCy parse (a speech verb governing the quote, one right after it, "according to X", a colon
introduction, a short "he said." sentence next to it), takes the cue's subject as the speaker,
resolves pronouns and short forms to the fullest name in the article, splits titles and
appositives into ``role``, and lets uncued quote paragraphs inherit the previous speaker.
Everything is linear in the length of the text except small bounded look-backs.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from factcheck.attribution import descriptions, via
from factcheck.attribution.roles import is_role, role_words
from factcheck.cues import (
    HONORIFIC_GENDER,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUN_FEATURES,
    RELATIVE_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERB_FORMS,
    SPEECH_VERBS,
    TITLE_WORDS,
    WEAK_CUE_VERBS,
)
from factcheck.quotemarks import QuoteSpan, find_quote_spans, paragraphs
from factcheck.records import Article, Mention, Quote

log = logging.getLogger(__name__)

__all__ = ["attribute", "attribute_many"]

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


def _parse(text: str) -> Any:
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    if len(text) <= nlp.max_length:
        return nlp(text)
    # Very long input: parse newline-delimited chunks and join them; the joined Doc has
    # exactly the original text so every offset stays valid.
    from spacy.tokens import Doc

    chunks: list[str] = []
    pos = 0
    step = max(1000, nlp.max_length // 2)
    while pos < len(text):
        end = min(len(text), pos + step)
        if end < len(text):
            nl = text.rfind("\n", pos + 1, end)
            end = nl + 1 if nl > pos else end
        chunks.append(text[pos:end])
        pos = end
    return Doc.from_docs(list(nlp.pipe(chunks)), ensure_whitespace=False)


def attribute(article: Article, doc: Any = None) -> list[Quote]:
    """Every direct quote of ``article`` with its speaker (a pure function of the text)."""
    if doc is None or doc.text != article.text:
        doc = _parse(article.text)
    return _Attributor(article.text, doc, article.source).run()


def attribute_many(
    articles: Iterable[Article], batch_size: int = 16, n_process: int = 1
) -> Iterator[tuple[Article, Any, list[Quote]]]:
    """Attribute many articles with ``nlp.pipe``; yields the Doc too for reuse downstream."""
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    pending: list[Article] = []

    def flush() -> Iterator[tuple[Article, Any, list[Quote]]]:
        short = [a for a in pending if len(a.text) <= nlp.max_length]
        docs = iter(nlp.pipe((a.text for a in short), batch_size=batch_size, n_process=n_process))
        for art in pending:
            doc = next(docs) if len(art.text) <= nlp.max_length else _parse(art.text)
            yield art, doc, attribute(art, doc)

    for article in articles:
        pending.append(article)
        if len(pending) >= batch_size * 4:
            yield from flush()
            pending = []
    if pending:
        yield from flush()


# --------------------------------------------------------------------------------------
# names


def _norm_token(word: str) -> str:
    w = _POSSESSIVE_RE.sub("", word.strip(_EDGE_PUNCT)).lower()
    for prefix in ("al-", "el-", "ad-", "as-", "an-", "ar-"):
        if w.startswith(prefix) and len(w) > len(prefix) + 1:
            return w[len(prefix) :]
    return w


def _clean_name(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading title words off a name: (title words, name words)."""
    words = [w for w in words if w.strip()]
    while words and _POSSESSIVE_RE.search(words[-1]) and len(words[-1]) <= 2:
        words = words[:-1]  # a separate 's token
    if words:
        last = words[-1].rstrip(_EDGE_PUNCT.replace("-", ""))
        words[-1] = _POSSESSIVE_RE.sub("", last) or last
    i = 0
    while i < len(words) - 1 and (
        words[i].lower().rstrip(".") in TITLE_WORDS or words[i].lower() in {"u.s.", "us", "u.n."}
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


class _Attributor:
    def __init__(self, text: str, doc: Any, source: str | None = None) -> None:
        self.text = text
        self.source_key = " ".join(re.findall(r"\w+", (source or "").lower()))
        self.doc = doc
        self.n = len(doc)
        self.tok_start = [t.idx for t in doc]
        self.sents = [(s.start, s.end) for s in doc.sents]
        self.sent_of = [0] * self.n
        for si, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                self.sent_of[i] = si
        self.paras = paragraphs(text)
        self.para_starts = [p[0] for p in self.paras]
        self.spans = find_quote_spans(text)
        # token -> index of the quote span whose content holds it (-1 outside quotes)
        self.in_quote = [-1] * self.n
        self.is_mark = [False] * self.n
        for qi, sp in enumerate(self.spans):
            a, b = self._tok_range(sp.start, sp.end)
            for i in range(a, b):
                self.in_quote[i] = qi
            for pos in (sp.open_mark, sp.close_mark):
                if pos is not None:
                    j = self._tok_at(pos)
                    if j is not None and self.in_quote[j] < 0:
                        self.is_mark[j] = True
        self.ent_of: list[int] = [-1] * self.n
        # a "name" glued by a hyphen to a lower-case word is part of a compound, not a
        # person ('a Johnny-come-lately', 'Trump-style'): the small NER tags some of them
        self.ents = [
            e for e in doc.ents
            if not (e.label_ in _PERSON_LABELS and _HYPHEN_WORD_RE.match(text, e.end_char))
        ]
        for ei, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ei
        self.persons: dict[str, _Entity] = {}
        # every mention of a named person outside quotes (token, entity), in text order, and
        # the role words seen with each person: what descriptions match
        self.person_mentions: list[tuple[int, _Entity]] = []
        self.roles_of: dict[int, set[str]] = {}
        self.person_by_last: dict[str, list[str]] = {}
        self.name_count: dict[str, int] = {}
        self._collect_persons()
        self.anon: list[tuple[int, str, _Entity]] = []  # (tok, head lemma, entity)
        self.cands: list[_Cand] = []
        self.cand_sents: list[int] = []
        self.pron_subj_sents: dict[str, set[int]] = {}
        self._collect_candidates()
        self.found: list[_Found | None] = [None] * len(self.spans)
        self.relax = False

    # ---- offsets ------------------------------------------------------------------
    def _tok_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.tok_start, pos) - 1
        if i < 0 or i >= self.n:
            return None
        tok = self.doc[i]
        return i if tok.idx <= pos < tok.idx + max(1, len(tok.text)) else None

    def _tok_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens overlapping [start, end)."""
        a = bisect.bisect_right(self.tok_start, start) - 1
        if a < 0:
            a = 0
        if a < self.n and self.doc[a].idx + len(self.doc[a].text) <= start:
            a += 1
        b = bisect.bisect_left(self.tok_start, end)
        return a, max(a, b)

    def _para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    # ---- persons ------------------------------------------------------------------
    def _ent_words(self, ent: Any) -> tuple[list[str], list[str]]:
        return _clean_name([t.text for t in ent])

    def _collect_persons(self) -> None:
        for ent in self.ents:
            if ent.label_ not in _PERSON_LABELS:
                continue
            if any(self.in_quote[i] >= 0 for i in range(ent.start, ent.end)):
                continue
            titles, words = self._ent_words(ent)
            if not words or not any(w[:1].isupper() for w in words):
                continue
            name = _join_name(words)
            self.name_count[name] = self.name_count.get(name, 0) + 1
            if name not in self.persons:
                gender = None
                for t in titles:
                    gender = HONORIFIC_GENDER.get(t.lower().rstrip("."), gender)
                self.persons[name] = _Entity(name, "person", gender=gender)
                self.person_by_last.setdefault(_norm_token(words[-1]), []).append(name)
            elif self.persons[name].gender is None:
                for t in titles:
                    g = HONORIFIC_GENDER.get(t.lower().rstrip("."))
                    if g:
                        self.persons[name].gender = g
        self._honorific_genders()
        self._infer_genders()

    def _honorific_genders(self) -> None:
        """'Mr. Hale' where the NER left the honorific outside the name: the honorific
        decides the person's gender (over pronoun votes); a surname seen with both 'Mr.'
        and 'Mrs.' (a couple merged into one entity) gets no gender rather than a wrong one."""
        seen: dict[int, tuple[_Entity, set[str]]] = {}
        for ent in self.ents:
            if ent.label_ not in _PERSON_LABELS or ent.start == 0:
                continue
            g = _PREFIX_GENDER.get(self.doc[ent.start - 1].lower_.rstrip("."))
            if g is None or self.in_quote[ent.start] >= 0:
                continue
            _, words = self._ent_words(ent)
            if not words:
                continue
            person = self._canonical_person(_join_name(words))
            seen.setdefault(id(person), (person, set()))[1].add(g)
        for person, genders in seen.values():
            person.gender = next(iter(genders)) if len(genders) == 1 else None

    def _infer_genders(self) -> None:
        """Guess a person's gender from the pronouns the article uses around them: in a
        sentence naming one person only, and the next sentence when it names nobody."""
        votes: dict[int, list[int]] = {}  # id(entity) -> [male, female]
        ents_by_id: dict[int, _Entity] = {}
        prev: _Entity | None = None
        for s0, s1 in self.sents:
            named: dict[int, _Entity] = {}
            male = female = 0
            for i in range(s0, s1):
                if self.in_quote[i] >= 0:
                    continue
                tok = self.doc[i]
                low = tok.lower_
                if low in ("he", "him", "his", "himself"):
                    male += 1
                elif low in ("she", "her", "hers", "herself"):
                    female += 1
                ei = self.ent_of[i]
                if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS and i == self.ents[ei].start:
                    _, words = self._ent_words(self.ents[ei])
                    if words:
                        ent = self._canonical_person(_join_name(words))
                        named[id(ent)] = ent
            target = None
            has_quote = any(self.in_quote[i] >= 0 for i in range(s0, s1))
            if len(named) == 1:
                target = next(iter(named.values()))
            elif not named and prev is not None and not has_quote:
                # a quote's "she said" is what we want to resolve, not evidence
                target = prev
            if target is not None and (male or female) and not (male and female):
                v = votes.setdefault(id(target), [0, 0])
                v[0 if male else 1] += 1
                ents_by_id[id(target)] = target
            prev = target if len(named) == 1 else (None if named else prev)
        for key, (m, f) in votes.items():
            ent = ents_by_id[key]
            if ent.gender is None and m != f:
                ent.gender = "m" if m > f else "f"
                ent.guessed = True

    def _canonical_person(self, name: str) -> _Entity:
        words = name.split()
        normed = [_norm_token(w) for w in words]
        if not words or not normed[-1]:
            return _Entity(name or "?", "unknown")
        best: str | None = None
        cands = self.person_by_last.get(normed[-1], [])
        if len(words) == 1 and not any(len(c.split()) > 1 for c in cands):
            cands = []  # only itself so far: a first name may still match a full name
        if not cands and len(words) == 1:
            # a first name on its own ("Hillary") when exactly one full name starts with it
            cands = [
                n for n in self.persons
                if len(n.split()) > 1 and _norm_token(n.split()[0]) == normed[0]
            ]
            if len(cands) != 1:
                cands = []
        for c in cands:
            cw = {_norm_token(w) for w in c.split()}
            if not set(normed) <= cw:
                continue
            if best is None:
                best = c
                continue
            key = (len(c.split()), self.name_count.get(c, 0))
            if key > (len(best.split()), self.name_count.get(best, 0)):
                best = c
        if best is None:
            ent = self.persons.get(name)
            if ent is None:
                ent = _Entity(name, "person")
                self.persons[name] = ent
                self.person_by_last.setdefault(normed[-1], []).append(name)
            return ent
        return self.persons[best]

    # ---- candidates for pronouns --------------------------------------------------
    def _collect_candidates(self) -> None:
        seen_ent: set[int] = set()
        for i, tok in enumerate(self.doc):
            if self.in_quote[i] >= 0:
                continue
            ei = self.ent_of[i]
            if ei >= 0:
                if ei in seen_ent:
                    continue
                ent = self.ents[ei]
                head = ent.root
                if ent.label_ not in _PERSON_LABELS and ent.label_ not in _ORG_LABELS:
                    continue
                seen_ent.add(ei)
                entity = self._entity_for_token(head, resolve_pronouns=False)
                if entity is None:
                    continue
                if entity.kind == "person":
                    self.person_mentions.append((i, entity))
                subj_tok = head
                if head.dep_ == "compound" and head.head.pos_ == "NOUN" and (
                    head.head.lemma_.lower() in ORG_NOUNS
                    or head.head.lemma_.lower() in PERSON_NOUNS
                ) and ent.label_ not in _PERSON_LABELS:
                    continue  # 'the Tarnholm police command': the place only modifies the body
                if head.dep_ in ("appos", "compound") and head.head.dep_ in _SUBJ_DEPS:
                    subj_tok = head.head
                subj = subj_tok.dep_ in _SUBJ_DEPS
                self.cands.append(
                    _Cand(i, self.sent_of[i], subj, entity, subj and self._main_subject(subj_tok))
                )
                self.cand_sents.append(self.sent_of[i])
            elif tok.pos_ == "PROPN" and tok.dep_ in _SUBJ_DEPS and (
                _norm_token(tok.text) in self.person_by_last
            ):
                # a bare surname the NER missed ('Brenning, for his part, ...'): the person
                # named in full elsewhere
                entity = self._canonical_person(tok.text.strip(_EDGE_PUNCT))
                if entity.kind == "person":
                    self.cands.append(
                        _Cand(i, self.sent_of[i], True, entity, self._main_subject(tok))
                    )
                    self.cand_sents.append(self.sent_of[i])
                    self.person_mentions.append((i, entity))
            elif tok.pos_ == "NOUN" and tok.dep_ in _SUBJ_DEPS:
                entity = self._entity_for_token(tok, resolve_pronouns=False)
                if entity is not None and entity.kind in ("anonymous", "organisation"):
                    self.cands.append(
                        _Cand(i, self.sent_of[i], True, entity, self._main_subject(tok))
                    )
                    self.cand_sents.append(self.sent_of[i])
            elif tok.dep_ in _SUBJ_DEPS and tok.lower_ in ("he", "she") and self._main_subject(
                tok
            ):
                # a sentence led by "he"/"she" continues that person's chain
                self.pron_subj_sents.setdefault(tok.lower_, set()).add(self.sent_of[i])

    def _main_subject(self, tok: Any) -> bool:
        """Subject of the main clause, or of a speech verb ('..., Smith said', 'Smith said
        that Jones ...' -> Smith, not Jones)."""
        head = tok.head
        root = tok.sent.root
        return (
            head.i == root.i
            or (head.dep_ in ("conj", "parataxis") and head.head.i == root.i)
            or head.lemma_.lower() in SPEECH_VERBS
        )

    # ---- building an entity from a speaker token ----------------------------------
    def _noun_phrase(self, head: Any) -> list[Any]:
        """The head with its left modifiers (no relative clauses or appositives)."""
        left = head.left_edge.i
        toks = [t for t in self.doc[left : head.i + 1]]
        while toks and (toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        return toks

    def _role_for(self, head: Any, name_start: int) -> str | None:
        """Title words before the name and appositives after it."""
        parts: list[str] = []
        left = [t for t in self.doc[head.left_edge.i : name_start]]
        # stop at commas or verbs: only the title phrase glued to the name counts
        cut = 0
        for k, t in enumerate(left):
            # ... and never across a line break: a headline above is not a title.
            if t.text in {",", ";", "(", ")"} or t.pos_ in ("VERB", "AUX") or "\n" in t.text \
                    or "\n" in t.whitespace_:
                cut = k + 1
        left = left[cut:]
        while left and left[0].lower_ in {"the", "a", "an"}:
            left = left[1:]
        if left:
            parts.append(_span_text(self.text, left))
        for child in head.children:
            if child.dep_ == "appos" and child.i > head.i and self.ent_of[child.i] < 0:
                sub = [t for t in child.subtree]
                sub = [t for t in sub if self.in_quote[t.i] < 0]
                if sub:
                    parts.append(_span_text(self.text, sub).strip(_EDGE_PUNCT))
        role = ", ".join(p for p in parts if p)
        return role or None

    def _entity_for_token(
        self, tok: Any, resolve_pronouns: bool = True
    ) -> _Entity | None:
        """The speaker entity a subject token refers to (without pronoun resolution)."""
        ei = self.ent_of[tok.i]
        if ei < 0:
            # "the president, Barack Obama," or "counterpart Walid al-Muallem": look for a
            # named person glued to a title noun
            for child in tok.children:
                if child.dep_ in ("appos", "compound") and child.i > tok.i:
                    cei = self.ent_of[child.i]
                    if cei >= 0 and self.ents[cei].label_ in _PERSON_LABELS:
                        return self._entity_for_token(child, resolve_pronouns)
        if ei >= 0:
            ent = self.ents[ei]
            if ent.label_ in _PERSON_LABELS:
                titles, words = self._ent_words(ent)
                if not words:
                    return None
                person = self._canonical_person(_join_name(words))
                if True:  # roles are gathered at every mention: later descriptions match them
                    role = self._role_for(ent.root, ent.start)
                    head = ent.root.head
                    if role is None and ent.root.dep_ == "appos" and head.pos_ == "NOUN":
                        # "his Syrian counterpart Walid al-Muallem"
                        np_toks = [t for t in self._noun_phrase(head) if t.dep_ != "poss"]
                        while np_toks and np_toks[0].pos_ in ("DET", "PRON", "PART"):
                            np_toks = np_toks[1:]
                        role = _span_text(self.text, np_toks) or None
                    if titles:
                        t_role = " ".join(titles)
                        role = f"{role} {t_role}" if role else t_role
                    if not is_role(role):
                        role = None  # 'his Syrian counterpart', "Radio Norte's": not roles
                    if role:
                        self.roles_of.setdefault(id(person), set()).update(role_words(role))
                    if person.role is None:
                        person.role = role
                for t in titles:
                    g = HONORIFIC_GENDER.get(t.lower().rstrip("."))
                    if g and person.gender is None:
                        person.gender = g
                return person
            if ent.label_ in _ORG_LABELS:
                words = [t.text for t in ent]
                if len(words) <= 3 and all(t.pos_ == "PROPN" for t in ent):
                    # the NER often tags a bare surname as ORG/GPE ("Smith added")
                    _, nw = _clean_name(words)
                    if nw and _norm_token(nw[-1]) in self.person_by_last:
                        return self._canonical_person(_join_name(nw))
                    if nw and self._person_like(ent):
                        # "Dana Holt, the party chairman, said": an appositive person noun
                        # (or "who") shows the NER mislabelled a full name
                        return self._canonical_person(_join_name(nw))
                definite = bool(words) and words[0].lower() == "the"
                while words and words[0].lower() in {"the", "a", "an"}:
                    words = words[1:]
                if words and words[-1].lower() in ORG_NOUNS:
                    # a body's name keeps its words ('Foreign Ministry', 'State Department')
                    name = descriptions.org_name(self, ent)
                    if words[0].lower() in ("its", "their") and resolve_pronouns:
                        owner = self._named_body_before(ent[0])
                        if owner is not None:
                            rest = " ".join(name.split()[1:])
                            return _Entity(f"{owner.name}'s {rest}", "organisation")
                    if definite and resolve_pronouns:
                        # "the Foreign Ministry" after "Ruritania's Foreign Ministry"
                        name = descriptions.fuller_org(self, ent, name)
                    return _Entity(name, "organisation")
                _, words = _clean_name(words) if len(words) > 1 else ([], words)
                if not words:
                    return None
                name = _join_name(words)
                plural = ent.label_ == "NORP" and ent.root.tag_ in ("NNPS", "NNS")
                return _Entity(name, "organisation", plural=plural)
        if tok.pos_ in ("PRON",) or tok.lower_ in PRONOUN_FEATURES:
            return None
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        np_toks = self._noun_phrase(tok)
        words = [t.text for t in np_toks if self.in_quote[t.i] < 0]
        if not words:
            return None
        plural = tok.tag_ in ("NNS", "NNPS")
        if tok.pos_ == "PROPN" and lemma not in PERSON_NOUNS and lemma not in ORG_NOUNS:
            _, nw = _clean_name(words)
            return self._canonical_person(_join_name(nw)) if nw else None
        det = np_toks[0].lower_ if np_toks else ""
        if lemma in SPEECH_NOUNS and not plural:
            # the statement's owner: "His statement read:", "Lee's statement, saying ..."
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            body = next((c for c in tok.children if c.dep_ == "compound" and c.i == tok.i - 1
                         and c.lemma_.lower() in descriptions.ORG_HEADS), None)
            if owner is None and body is not None and resolve_pronouns:
                # 'a ministry statement': the ministry named earlier
                named = descriptions.resolve_org(self, body, definite=True)
                if named is not None:
                    return _Entity(named, "organisation")
            if owner is not None and self.in_quote[owner.i] < 0:
                if owner.lower_ in PRONOUN_FEATURES or owner.pos_ == "PRON":
                    feat = {"his": "m", "her": "f", "its": "n", "their": "p"}.get(owner.lower_)
                    got = self._resolve_back(owner, feat) if resolve_pronouns and feat else None
                else:
                    got = self._entity_for_token(owner, resolve_pronouns)
                if got is not None:
                    return got
        if resolve_pronouns and lemma in descriptions.PERSON_HEADS and not plural:
            # "the envoy", "the colonel", "the Syrian president": the person named earlier
            # with that role
            ante = descriptions.resolve_person(self, tok)
            if ante is not None and (lemma not in PERSON_NOUNS or self._antecedent_for_noun(
                    tok, lemma) is None):
                return ante
            if ante is None and lemma not in PERSON_NOUNS and lemma not in ORG_NOUNS and (
                    det in descriptions.DEFINITE):
                # a title with nobody named ('the colonel added'): the description itself
                words = [w.lower() if k == 0 else w for k, w in enumerate(words)]
                return _Entity(" ".join(words).strip(_EDGE_PUNCT), "anonymous")
        if lemma in PERSON_NOUNS:
            if det in {"the", "this", "that", "his", "her", "their", "its"} and not plural:
                ante = self._antecedent_for_noun(tok, lemma)
                if ante is None and resolve_pronouns:
                    # "the Ohio governor" -> the person last mentioned with that title
                    ante = self._resolve_back(tok, "x", role_word=lemma)
                if ante is None and resolve_pronouns and det == "the" and (
                    lemma in _ANAPHORIC_ROLES
                ):
                    # "the Nevada senator said" with no title on record: a definite role
                    # noun points back to the person in focus
                    ante = self._resolve_back(tok, "x")
                if ante is not None:
                    return ante
            if words and words[0].lower() in {"a", "an", "the", "one"}:
                words[0] = words[0].lower()
            name = _join_name(words).strip(_EDGE_PUNCT)
            # 'a spokesman for the embassy': whom the unnamed source speaks for
            name = f"{name} {self._for_whom(tok)}".strip()
            return _Entity(name, "anonymous", plural=plural)
        if lemma in ORG_NOUNS:
            if resolve_pronouns and not plural:
                named = descriptions.resolve_org(self, tok)
                if named is not None:
                    return _Entity(named, "organisation")
                owner = np_toks[0] if np_toks and np_toks[0].lower_ in ("its", "their") else None
                if owner is not None:
                    # "Its foreign ministry": the body "its" refers to owns it
                    got = self._resolve_back(owner, "n" if owner.lower_ == "its" else "p")
                    if got is None or not got.name[:1].isupper():
                        got = self._named_body_before(owner)
                    if got is not None and got.kind == "organisation" and got.name[:1].isupper():
                        rest = " ".join(words[1:]).strip(_EDGE_PUNCT)
                        return _Entity(f"{got.name}'s {rest}", "organisation")
            while words and words[0].lower() in {"the", "a", "an"}:
                words = words[1:]
            return _Entity(_join_name(words).strip(_EDGE_PUNCT), "organisation", plural=plural)
        return None

    def _for_whom(self, tok: Any) -> str:
        """'for the embassy' in 'a spokesman for the embassy in Tarnholm': the first
        prepositional phrase after an unnamed source's noun (without what hangs on it)."""
        for child in tok.children:
            if child.dep_ != "prep" or child.i != tok.i + 1 or child.lower_ not in (
                    "for", "of", "at", "from", "with"):
                continue
            obj = next((o for o in child.children if o.dep_ == "pobj"), None)
            if obj is None:
                return ""
            toks = self.doc[child.i : obj.i + 1]
            if len(toks) > 7 or any(
                self.in_quote[t.i] >= 0 or t.pos_ in ("VERB", "AUX") or t.is_punct for t in toks
            ):
                return ""
            return _span_text(self.text, list(toks))
        return ""

    def _person_like(self, ent: Any) -> bool:
        """An ORG/GPE-tagged name that the sentence treats as a person: an appositive
        headed by a person noun or title, or a 'who' relative clause ('the Ohio Democrat,
        who ...' is NORP: a description, not a mislabelled name)."""
        if ent.label_ == "NORP":
            return False
        head = ent.root.head
        if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ in ("of", "for"):
            head = head.head.head  # 'the head of the service, Dana Holt'
        if ent.root.dep_ == "appos" and head.pos_ == "NOUN" and len(ent) >= 2 and (
            head.lemma_.lower() in _TITLE_OR_PERSON_NOUNS
        ):
            # 'the head of the service, Dana Holt,': a name set off after a person noun
            return True
        for child in ent.root.children:
            if child.i < ent.end or self.in_quote[child.i] >= 0:
                continue
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                lemma = child.lemma_.lower()
                if lemma in PERSON_NOUNS or lemma in TITLE_WORDS:
                    return True
            if child.dep_ == "relcl" and any(
                c.lower_ in ("who", "whom") and c.i < child.i for c in child.children
            ):
                return True
        return False

    def _antecedent_for_noun(self, tok: Any, lemma: str) -> _Entity | None:
        """'the diplomat' -> the earlier 'a Western diplomat'; 'the minister' -> a named
        person whose role holds the word."""
        for a_tok, a_lemma, a_ent in reversed(self.anon):
            if a_tok < tok.i and a_lemma == lemma:
                return a_ent
        lo = max(0, tok.i - 2000)
        for i in range(tok.i - 1, lo - 1, -1):
            t = self.doc[i]
            if t.lemma_.lower() == lemma and self.in_quote[i] < 0 and t.i != tok.i:
                if t.head.i != t.i and self.ent_of[t.head.i] >= 0:
                    ent = self.ents[self.ent_of[t.head.i]]
                    if ent.label_ in _PERSON_LABELS:
                        return self._entity_for_token(t.head)
                for child in t.children:
                    if child.dep_ in ("appos", "compound") and self.ent_of[child.i] >= 0:
                        ent = self.ents[self.ent_of[child.i]]
                        if ent.label_ in _PERSON_LABELS:
                            return self._entity_for_token(child)
                if self.doc[t.left_edge.i].lower_ in {"a", "an", "one"}:
                    words = [w.text for w in self._noun_phrase(t)]
                    words[0] = words[0].lower()
                    return _Entity(" ".join(words), "anonymous")
        return None

    # ---- pronouns -----------------------------------------------------------------
    def _compatible(self, feat: str, ent: _Entity) -> bool:
        if feat == "x":
            return ent.kind == "person" and not ent.plural
        if feat in ("m", "f"):
            if ent.kind not in ("person", "anonymous") or ent.plural:
                return False
            return ent.gender is None or ent.gender == feat or (self.relax and ent.guessed)
        if feat == "p":
            return ent.plural or ent.kind == "organisation"
        if feat == "n":
            return ent.kind == "organisation" and not ent.plural
        return False

    def _resolve_pronoun(self, tok: Any) -> _Entity | None:
        feat = PRONOUN_FEATURES.get(tok.lower_)
        if feat is None or feat in ("1", "2", "?"):
            return None
        ent = self._resolve_back(tok, feat)
        if ent is None and feat in ("m", "f"):
            # nobody fits: a gender guessed from pronoun votes may be wrong (two people
            # sharing a surname), so let it give way
            self.relax = True
            try:
                ent = self._resolve_back(tok, feat)
            finally:
                self.relax = False
        return ent

    def _same_surname(self, tok: int, ent: _Entity, feat: str) -> _Entity:
        """A bare surname ('Hale') whose canonical person has the wrong gender for the
        pronoun: the one other person of that surname with the right gender (a couple, a
        father and daughter)."""
        if ent.kind != "person" or ent.gender in (None, feat):
            return ent
        ei = self.ent_of[tok]
        if ei < 0 or len(self._ent_words(self.ents[ei])[1]) != 1:
            return ent
        others = [
            self.persons[n] for n in self.person_by_last.get(_norm_token(ent.name.split()[-1]), [])
            if self.persons[n] is not ent and self.persons[n].gender == feat
            and len(n.split()) > 1
        ]
        return others[0] if len(others) == 1 else ent

    def _resolve_back(
        self, tok: Any, feat: str, role_word: str | None = None
    ) -> _Entity | None:
        """The most salient compatible entity before ``tok`` (see module doc)."""
        si = self.sent_of[tok.i]
        para = self._para_of(tok.idx)
        lo_sent = max(0, si - _MAX_LOOKBACK_SENTS)
        # quote speakers already found count as subjects at their cue
        quote_subjects: dict[int, list[tuple[int, _Entity]]] = {}
        for qi in range(len(self.spans)):
            f = self.found[qi]
            if f is None or f.ent is None or f.cue_tok is None:
                continue
            s = self.sent_of[f.cue_tok]
            if lo_sent <= s <= si:
                quote_subjects.setdefault(s, []).append((f.cue_tok, f.ent))
        hi = bisect.bisect_right(self.cand_sents, si)
        lo = bisect.bisect_left(self.cand_sents, lo_sent)
        by_sent: dict[int, list[_Cand]] = {}
        for c in self.cands[lo:hi]:
            by_sent.setdefault(c.sent, []).append(c)
        fallback: _Entity | None = None
        # the fallback may win by recency; a possessor ("Ruiz's staff") only when no earlier
        # quote's speaker is close by (that speaker usually goes on talking)
        recent_ok = False
        chain = self.pron_subj_sents.get(tok.lower_, set()) if role_word is None else set()
        for s in range(si, lo_sent - 1, -1):
            if self._para_of(self.doc[self.sents[s][0]].idx) < para - 3:
                break
            items: list[tuple[int, bool, bool, _Entity]] = [
                (c.tok, c.subject, c.main, c.ent) for c in by_sent.get(s, [])
            ]
            items += [(t, True, True, e) for t, e in quote_subjects.get(s, [])]
            if s == si:
                items = [x for x in items if x[0] < tok.i]
                # the main-clause subject first ("Smith told Jones that he ..."), else nearest
                items.sort(key=lambda x: (not x[2], -x[0]))
            else:
                # main-clause subjects first, then other subjects, leftmost first
                items.sort(key=lambda x: (not x[2], not x[1], x[0]))
            if feat in ("m", "f"):
                items = [(t, sb, mn, self._same_surname(t, e, feat)) for t, sb, mn, e in items]
            compatible = [x for x in items if self._compatible(feat, x[3])]
            if any(x[3].kind == "person" for x in compatible):
                # "The candidate ..., in which Smith said" / "A reporter asked Smith ...":
                # the named person, not the description
                compatible = [x for x in compatible if x[3].kind != "anonymous"]
            if role_word is not None:
                for x in compatible:
                    if role_word in _role_words(x[3].role):
                        return x[3]
                continue
            if s != si and s in chain and not any(x[2] for x in compatible):
                continue  # "He ..." before: the chain goes on further back
            for t, subj, _main, ent in compatible:
                if ent.kind == "anonymous" and ent.name.startswith("the "):
                    # "the Ohio governor" in focus: the person it refers back to
                    ent = self._entity_for_token(self.doc[t]) or ent
                if subj:
                    return ent
                if fallback is None:
                    fallback = ent
                    ei = self.ent_of[t]
                    recent_ok = (self.ents[ei].root if ei >= 0 else self.doc[t]).dep_ != "poss" or (
                        not any(k in quote_subjects for k in range(si - _RECENT_SENTS - 1, s)))
            if fallback is not None and recent_ok and si - s <= _RECENT_SENTS:
                # recency: a person named (as object) in the last sentences beats a subject
                # further back ("She met Ruiz in May. ... he said" -> Ruiz)
                return fallback
        return fallback

    # ---- cues ---------------------------------------------------------------------
    def _subjects_of(self, verb: Any, depth: int = 0) -> list[Any]:
        """Candidate speaker tokens of a cue, best first."""
        if verb.lemma_.lower() == "accord" or verb.lower_ == "according":
            for child in verb.children:
                if child.lower_ == "to":
                    return [obj for obj in child.children if obj.dep_ == "pobj"]
            return []
        # a passive cue names its speaker in the agent: 'Sanders was asked by host Bill
        # Maher, "..."' (the subject is the one spoken to)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl", "relcl"))
        agents = [
            o for c in verb.children if c.dep_ == "agent" and passive  # not 'said by phone'
            for o in c.children if o.dep_ == "pobj" and self.in_quote[o.i] < 0
        ]
        if agents:
            return agents
        subs = [
            c for c in verb.children if c.dep_ in _SUBJ_DEPS and self.in_quote[c.i] < 0
        ]
        # a subject on another line is a headline or byline the parser ran into the sentence
        crossed = [c for c in subs if "\n" in self.text[min(c.idx, verb.idx):max(c.idx, verb.idx)]]
        subs = [c for c in subs if c not in crossed]
        # a main speech verb the parser left without a subject ('GRIEVING mum Ana Ruiz
        # last night demanded ...')
        orphan = not subs and verb.dep_ == "ROOT" and not any(
            c.dep_ in ("agent", "expl") for c in verb.children)
        # a mis-parse makes a verb the subject ('The accord obliges ...; a water official,
        # speaking ..., said'): the noun set off beside it is the speaker
        subs = [
            next((a for a in reversed(list(c.children)) if a.dep_ == "appos"
                  and a.pos_ in ("NOUN", "PROPN")), c) if c.pos_ == "VERB" else c
            for c in subs
        ]
        if subs:
            # "Underlining confidence ..., a top aide reiterated": two subjects; nearest
            # and name-like first
            subs.sort(key=lambda c: (self._subject_rank(c), abs(verb.i - c.i)))
            out = []
            for c in subs:
                if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    out.append(self._relative_antecedent(c, verb.head))
                else:
                    out.append(c)
            return out
        if depth < 3:
            if verb.dep_ == "relcl":
                return [verb.head]
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and self.ent_of[verb.head.i] >= 0 and (
                self.ents[self.ent_of[verb.head.i]].label_ in _PERSON_LABELS
            ):
                # 'footage of Ana Ruiz saying, "..."': the person the gerund hangs on
                return [verb.head]
            if verb.dep_ in _CLIMB_DEPS and verb.head.i != verb.i:
                climbed = self._subjects_of(verb.head, depth + 1)
                if climbed:
                    return climbed
        if depth == 0 and (verb.lower_ in SPEECH_VERB_FORMS or crossed or orphan):
            # a mis-parsed cue has no subject: the name or pronoun next to it
            # '"...," Smith, now 81 and retired in Bristol, said': the first name after
            # the quote (or clause start), a person before anything else
            sent_start = self.sents[self.sent_of[verb.i]][0]
            k = verb.i - 1
            while k > max(sent_start, verb.i - 16) - 1 and self.in_quote[k] < 0 and not (
                self.is_mark[k]
            ) and "\n" not in self.doc[k].text + self.doc[k].whitespace_:
                k -= 1
            names: list[Any] = []
            for j in range(k + 1, verb.i):
                t = self.doc[j]
                ei = self.ent_of[j]
                if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS | _ORG_LABELS:
                    names.append(self.ents[ei].root)
                elif (t.pos_ == "PROPN" and not (t.text.isupper() and len(t.text) > 1)) or (
                        t.lower_ in PRONOUN_FEATURES and t.pos_ == "PRON"):
                    names.append(t)  # (a word in capitals is emphasis, not a name)
            persons = [t for t in names if self.ent_of[t.i] >= 0 and self.ents[
                self.ent_of[t.i]].label_ in _PERSON_LABELS]
            if persons or names:
                return [(persons or names)[0]]
            j = verb.i + 1
            if j < self.n and self.in_quote[j] < 0:
                t = self.doc[j]
                if self.ent_of[j] >= 0 or t.pos_ == "PROPN":
                    ei = self.ent_of[j]
                    return [self.ents[ei].root if ei >= 0 else t]
                # '"...," said the woman, who ...' / 'wrote a user': the noun phrase after
                head = t.head if t.dep_ in ("det", "amod", "nummod", "compound", "poss") else t
                if head.pos_ == "NOUN" and head.i > verb.i and self.in_quote[head.i] < 0:
                    return [head]
        return []

    def _relative_antecedent(self, rel: Any, head: Any) -> Any:
        """'..., Ana Ruiz and Tom Hale, who joked': 'who' takes the name right before it (the
        parser often hangs the clause on the first name of a list)."""
        j = rel.i - 1
        if j >= 0 and self.doc[j].is_punct and self.doc[j].text == ",":
            j -= 1
        if j >= 0 and rel.lower_ in ("who", "whom"):
            ei = self.ent_of[j]
            if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS and self.ents[ei].end == j + 1:
                return self.ents[ei].root
        return head

    def _subject_rank(self, tok: Any) -> int:
        if self.ent_of[tok.i] >= 0 or tok.lower_ in PRONOUN_FEATURES:
            return 0
        lemma = tok.lemma_.lower()
        if lemma in PERSON_NOUNS or lemma in ORG_NOUNS:
            return 1
        return 2

    def _subject_of(self, verb: Any) -> Any | None:
        subs = self._subjects_of(verb)
        return subs[0] if subs else None

    def _speaker_from_token(self, tok: Any) -> tuple[Mention | None, _Entity | None]:
        if tok.lower_ in PRONOUN_FEATURES and tok.pos_ == "PRON" or tok.lower_ in (
            "he", "she", "they", "it", "we",
        ):
            ent = self._resolve_pronoun(tok)
            if ent is None and PRONOUN_FEATURES.get(tok.lower_) in ("m", "f"):
                # nobody of that gender in reach: the person in focus, whatever the gender
                ent = self._resolve_back(tok, "x")
            if ent is None:
                return None, None  # never a bare pronoun as the speaker
            self._note_gender(ent, tok)
            return self._mention(ent, tok.text, tok.idx, tok.idx + len(tok.text)), ent
        tok = self._person_after_title(tok)
        named = self._name_after_description(tok)
        if named is not tok and self.ents[self.ent_of[named.i]].label_ not in _PERSON_LABELS:
            # the NER took the name set off after a person noun for a body ("Her lawyer,
            # Dana Holt, said"): the position says it is a person
            _, words = self._ent_words(self.ents[self.ent_of[named.i]])
            person = self._canonical_person(_join_name(words)) if words else None
            if person is not None and person.kind == "person":
                e = self.ents[self.ent_of[named.i]]
                start, end = e[0].idx, e[-1].idx + len(e[-1].text)
                return self._mention(person, self.text[start:end], start, end), person
        tok = named
        ent = self._entity_for_token(tok)
        if ent is None:
            return None, None
        ei = self.ent_of[tok.i]
        if ei >= 0:
            span_toks = list(self.ents[ei])
            _, words = _clean_name([t.text for t in span_toks])
            k = len(span_toks) - len(words)
            span_toks = span_toks[k:] if words else span_toks
        else:
            span_toks = self._noun_phrase(tok)
            if ent.kind == "person":
                span_toks = [t for t in span_toks if self.ent_of[t.i] >= 0] or span_toks
        if not span_toks:
            span_toks = [tok]
        start = span_toks[0].idx
        end = span_toks[-1].idx + len(span_toks[-1].text)
        surface = self.text[start:end]
        if ent.kind == "anonymous" and not any(a[2] is ent for a in self.anon):
            self.anon.append((tok.i, tok.lemma_.lower(), ent))
        return self._mention(ent, surface, start, end), ent

    def _named_body_before(self, tok: Any) -> _Entity | None:
        """The nearest named country or body before ``tok`` in its own or the two previous
        sentences (what "its" in "Its foreign ministry" most often means)."""
        lo = self.sents[max(0, self.sent_of[tok.i] - 2)][0]
        for j in range(tok.i - 1, lo - 1, -1):
            ej = self.ent_of[j]
            # 'its' is never a person: a one-word PERSON here is the NER mislabelling a place
            if ej >= 0 and self.in_quote[j] < 0 and (self.ents[ej].label_ in ("GPE", "ORG") or (
                    self.ents[ej].label_ in _PERSON_LABELS and len(self.ents[ej]) == 1)):
                e = self.ents[ej]
                return _Entity(descriptions.org_name(self, e), "organisation")
        return None

    def _name_after_description(self, tok: Any) -> Any:
        """'a spokeswoman for the hotel group, Jane Roe, said', 'Its chairman, the engineer
        Stellan Ro, said': a person noun followed, after a comma, by a name set off as its
        appositive; the name is the speaker."""
        if self.ent_of[tok.i] >= 0 or tok.pos_ != "NOUN":
            return tok
        lemma = tok.lemma_.lower()
        if not (lemma in _TITLE_OR_PERSON_NOUNS or lemma.endswith(_AGENT_SUFFIXES)):
            return tok
        sent_end = self.sents[self.sent_of[tok.i]][1]
        for j in range(tok.i + 1, min(sent_end, tok.i + 14)):
            t = self.doc[j]
            if self.in_quote[j] >= 0 or self.is_mark[j] or t.pos_ in ("VERB", "AUX") or (
                t.lower_ in RELATIVE_PRONOUNS
            ):
                return tok
            if t.text != ",":
                continue
            for k in range(j + 1, min(sent_end, j + 6)):
                ek = self.ent_of[k]
                if ek >= 0 and (self.ents[ek].label_ in _PERSON_LABELS or (
                    self.ents[ek].label_ in _ORG_LABELS and 2 <= len(self.ents[ek]) <= 3
                    and all(t.pos_ == "PROPN" for t in self.ents[ek])
                    and self.ents[ek].root.dep_ == "appos"
                )):
                    e = self.ents[ek]
                    nxt = self.doc[e.end] if e.end < self.n else None
                    if nxt is None or nxt.text in (",", ":") or nxt.pos_ in ("VERB", "AUX"):
                        return e.root
                    return tok
                if self.doc[k].pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "PUNCT") or (
                    self.doc[k].is_punct and self.doc[k].text != "-"
                ):
                    break
            return tok
        return tok

    def _person_after_title(self, tok: Any) -> Any:
        """'Pentagon spokesman Navy Capt. Jeff Davis said', 'former Ohio Gov. and party
        chairman Ed Ruiz said': the parser may make a title word (or an ORG the NER found in
        it) the subject; the person named right after the title is the speaker."""
        ei = self.ent_of[tok.i]
        titled = tok.lemma_.lower().rstrip(".") in _TITLE_OR_PERSON_NOUNS
        if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS:
            # a PERSON "name" that is only a title ('Cmdr.') is still a title
            if not all(t.lower_.rstrip(".") in TITLE_WORDS for t in self.ents[ei]):
                return tok
            titled = True
        if not titled and not (ei >= 0 and self.ents[ei].label_ in _ORG_LABELS):
            return tok
        end = self.ents[ei].end if ei >= 0 else tok.i + 1
        for j in range(end, min(self.n, end + 6)):
            t = self.doc[j]
            if self.in_quote[j] >= 0:
                break
            ej = self.ent_of[j]
            if ej >= 0 and self.ents[ej].label_ in _PERSON_LABELS:
                return self.ents[ej].root
            if not (t.pos_ in ("PROPN", "NOUN", "ADJ", "CCONJ", "DET") or t.text == "."):
                break
        return tok

    def _note_gender(self, ent: _Entity, tok: Any) -> None:
        feat = PRONOUN_FEATURES.get(tok.lower_)
        if feat in ("m", "f") and ent.gender is None and ent.kind in ("person", "anonymous"):
            ent.gender = feat
            ent.guessed = True

    @staticmethod
    def _mention(ent: _Entity, surface: str, start: int, end: int) -> Mention:
        return Mention(
            name=ent.name, kind=ent.kind, role=ent.role, surface=surface, start=start, end=end
        )

    def _is_speech(self, tok: Any, weak_ok: bool = False) -> bool:
        if self.in_quote[tok.i] >= 0:
            return False
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according":
            return any(c.lower_ == "to" for c in tok.children)
        if lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children):
            return True  # "as Smith put it, ..."
        if tok.lower_ in SPEECH_VERB_FORMS and not (
            tok.i > 0 and self.doc[tok.i - 1].lower_ in _DETERMINERS
        ):
            return True  # lexicon first: the small model mis-tags "says", "said"
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            return lemma in SPEECH_VERBS or (weak_ok and lemma in WEAK_CUE_VERBS)
        if tok.pos_ in ("PROPN", "NOUN") and any(c.dep_ in _SUBJ_DEPS for c in tok.children):
            # a mis-tagged verb: "Viguerie notes.", "Smith Tweeted"
            return _crude_lemma(tok.lower_) in SPEECH_VERBS
        return False

    def _cue_text(self, verb: Any) -> str:
        if verb.lower_ == "according":
            return "according to"
        words = [verb.text]
        for child in verb.children:
            if child.dep_ == "prt":
                words.append(child.text)
            elif child.dep_ == "dobj" and child.lower_ in ("reporters", "journalists"):
                words.append(child.text)
        return " ".join(words)

    def _from_verb(self, verb: Any, confidence: float) -> _Found | None:
        quoted = via.quoted_as_saying(self, verb)
        if quoted is not None:
            # "the daily X quoted Y as saying": Y speaks, X is the outlet
            mention, ent = self._speaker_from_token(quoted[0])
            if mention is not None:
                return _Found(mention, "quoted as saying", confidence, ent, verb.i,
                              {"via": quoted[1]})
        subjects = self._subjects_of(verb)
        for subj in subjects:
            mention, ent = self._speaker_from_token(subj)
            if mention is not None:
                outlet = via.told_outlet(self, verb)
                if outlet is None and verb.lower_ == "according":
                    outlet = via.quoted_by(self, subj)
                return _Found(mention, self._cue_text(verb), confidence, ent, verb.i,
                              {"via": outlet} if outlet else {})
        if subjects and self._is_speech(verb):
            # a speech verb whose subject is no name and no known speaker noun ('one user
            # wrote', 'the crowd chanted', 'the suit reads'): keep the description itself
            mention = self._described_speaker(subjects[0])
            if mention is not None:
                return _Found(mention, self._cue_text(verb), confidence * 0.9, None, verb.i)
        return None

    def _described_speaker(self, tok: Any) -> Mention | None:
        # NUM: '14 percent said'; ADJ: 'said the 46-year-old' (a nominalised adjective)
        if self.in_quote[tok.i] >= 0 or tok.pos_ not in ("NOUN", "NUM") and not (
            tok.pos_ == "ADJ" and tok.dep_ in _SUBJ_DEPS
        ):
            return None
        toks = [t for t in self._noun_phrase(tok) if self.in_quote[t.i] < 0]
        if not toks or len(toks) > 8:
            return None
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        name = " ".join(self.text[start:end].split()).strip(_EDGE_PUNCT)
        if not name:
            return None
        if toks[0].lower_ in _DETERMINERS | {"one", "another"}:
            name = name[0].lower() + name[1:]
        # agent nouns ('user', 'commenter', 'narrator', 'investor') are people; the rest
        # ('the crowd', 'the suit', 'the email') speak as bodies or documents
        lemma = tok.lemma_.lower()
        human = lemma in PERSON_NOUNS or lemma.endswith(_AGENT_SUFFIXES) or tok.pos_ in (
            "NUM", "ADJ")
        return Mention(name=name, kind="anonymous" if human else "organisation",
                       surface=self.text[start:end], start=start, end=end)

    def _frame_range(self, sp: QuoteSpan) -> tuple[int, int]:
        """Token range of the sentences holding the quote, clipped to its paragraph."""
        a, b = self._tok_range(sp.open_mark, sp.outer_end)
        if a >= self.n:
            return a, a
        s0 = self.sents[self.sent_of[a]][0]
        s1 = self.sents[self.sent_of[min(b, self.n) - 1]][1] if b > a else self.sents[
            self.sent_of[a]
        ][1]
        pa, pb = self._tok_range(sp.para_start, sp.para_end)
        return max(s0, pa), min(s1, pb)

    def _find(self, qi: int) -> _Found | None:
        sp = self.spans[qi]
        a, b = self._tok_range(sp.start, sp.end)
        if a >= b:
            return None
        fa, fb = self._frame_range(sp)
        # 1. a speech verb governing the quote (the quote is its complement)
        fallback: _Found | None = None
        for i in range(a, b):
            head = self.doc[i].head
            if self.in_quote[head.i] == qi:
                continue
            node = head
            for _ in range(8):
                if not (fa <= node.i < fb):
                    break
                if self.in_quote[node.i] < 0:
                    if self._is_speech(node):
                        found = self._from_verb(node, 0.9)
                        if found is not None:
                            return found
                    paren = self._parenthetical_cue(node, fa, fb)
                    if paren is not None:
                        return paren
                    if fallback is None and node.pos_ in ("VERB", "AUX"):
                        subj = self._subject_of(node)
                        if subj is not None and (
                            node.lemma_.lower() in SPEECH_NOUNS
                            or any(c.lemma_.lower() in SPEECH_NOUNS for c in node.children)
                            or self.ent_of[subj.i] >= 0
                            or subj.lower_ in PRONOUN_FEATURES
                        ):
                            fallback = self._from_verb(node, 0.55)
                            if fallback is not None and fallback.ent is None:
                                fallback = None
                if node.head.i == node.i:
                    break
                node = node.head
        # 2. a speech verb outside the quote attached to it, or right after it
        after: list[int] = []
        i = self._tok_range(sp.outer_end, sp.outer_end + 1)[0]
        while i < fb and self.in_quote[i] < 0 and len(after) < 12:
            if not self.is_mark[i]:
                after.append(i)
            i += 1
        for i in after:
            if self._is_speech(self.doc[i], weak_ok=True):
                found = self._from_verb(self.doc[i], 0.9)
                if found is not None:
                    return found
        # any verb right after the quote with a name or pronoun as subject:
        # '"Go home," Smith barked.' / '"Enough," she shot back.'
        words_after = [i for i in after if not self.doc[i].is_punct]
        for i in words_after[:4]:
            tok = self.doc[i]
            if tok.pos_ == "VERB" and tok.i > 0:
                subs = self._subjects_of(tok)
                prev = self.doc[tok.i - 1]
                if not subs and prev.i in after and prev.pos_ == "PROPN" and (
                    _norm_token(prev.text) in self.person_by_last
                ):
                    # '"Go home," Smith barked and ...': the parser lost the subject
                    mention, ent = self._speaker_from_token(prev)
                    if mention is not None and ent is not None and ent.kind == "person":
                        return _Found(mention, tok.text, 0.7, ent, tok.i)
                if subs and subs[0].i < tok.i and (
                    self.ent_of[subs[0].i] >= 0 or subs[0].lower_ in ("he", "she", "they")
                ):
                    found = self._from_verb(tok, 0.7)
                    if found is not None and found.ent is not None:
                        return found
        for i in range(fa, fb):
            tok = self.doc[i]
            if self.in_quote[i] < 0 and self._is_speech(tok) and self.in_quote[tok.head.i] == qi:
                found = self._from_verb(tok, 0.85)
                if found is not None:
                    return found
        # 3. "according to X" or a speech verb before the quote in the same sentence
        before = [i for i in range(fa, self._tok_range(sp.open_mark, sp.open_mark + 1)[0])
                  if self.in_quote[i] < 0]
        for i in reversed(before):
            tok = self.doc[i]
            if self._is_speech(tok):
                found = self._from_verb(tok, 0.75)
                if found is not None:
                    return found
        if fallback is not None:
            return fallback
        # 4. a short verb clause right after the quote: '"...," Smith recalled.'
        short = [i for i in after if not self.doc[i].is_punct]
        if 0 < len(short) <= 8:
            for i in short:
                tok = self.doc[i]
                if tok.pos_ == "VERB":
                    found = self._from_verb(tok, 0.7)
                    if found is not None and found.ent is not None:
                        return found
        return None

    def _parenthetical_cue(self, node: Any, fa: int, fb: int) -> _Found | None:
        """A cue set off inside the clause holding the quote: 'Ruritania, he said, would
        send "..."' (the parser hangs 'said' on 'send' as parataxis)."""
        if self._is_speech(node):
            return None
        for child in node.children:
            if child.dep_ == "parataxis" and fa <= child.i < fb and (
                self.in_quote[child.i] < 0 and self._is_speech(child)
            ):
                found = self._from_verb(child, 0.85)
                if found is not None:
                    return found
        return None

    def _find_nearby(self, qi: int) -> _Found | None:
        """Cues in the sentences next to the quote: 'X said:' before, 'he said.' after."""
        sp = self.spans[qi]
        fa, fb = self._frame_range(sp)
        pa, pb = self._tok_range(sp.para_start, sp.para_end)
        # the preceding text ends with a colon: the cue is in that sentence
        pre = self.text[sp.para_start : sp.open_mark].rstrip()
        prev_para = self._para_of(sp.para_start) - 1
        if not pre and prev_para >= 0:
            ps, pe = self.paras[prev_para]
            pre_text = self.text[ps:pe].rstrip()
            if pre_text.endswith(":"):
                pre = pre_text
                pa = self._tok_range(ps, pe)[0]
                fa = self._tok_range(pe - 1, pe)[0] + 1
        label = self._name_label(sp.para_start, sp.open_mark)
        if label is not None:
            return label
        if pre.endswith(":") and fa <= pa:
            # "Name: 'quote'" in one sentence (headlines, transcripts)
            pre_toks = [
                i for i in range(pa, self._tok_range(sp.open_mark, sp.open_mark + 1)[0])
                if self.in_quote[i] < 0
            ]
            for i in reversed(pre_toks):
                if self._is_speech(self.doc[i], weak_ok=True):
                    found = self._from_verb(self.doc[i], 0.75)
                    if found is not None:
                        return found
            owned = self._statement_owner(pre_toks)
            if owned is not None:
                return owned
            for i in pre_toks:
                ei = self.ent_of[i]
                if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS | _ORG_LABELS:
                    mention, ent = self._speaker_from_token(self.ents[ei].root)
                    if mention is not None:
                        return _Found(mention, ":", 0.6, ent, i)
        if pre.endswith(":") and fa > pa:
            s = self.sent_of[fa - 1]
            s0, s1 = self.sents[s]
            for i in range(s1 - 1, s0 - 1, -1):
                tok = self.doc[i]
                if self.in_quote[i] < 0 and self._is_speech(tok, weak_ok=True):
                    found = self._from_verb(tok, 0.8)
                    if found is not None:
                        return found
            for i in range(s0, s1):
                tok = self.doc[i]
                if self.in_quote[i] < 0 and self.ent_of[i] >= 0 and (
                    tok.dep_ in _SUBJ_DEPS or tok.dep_ == "ROOT"
                ):
                    mention, ent = self._speaker_from_token(tok)
                    if mention is not None:
                        return _Found(mention, ":", 0.6, ent, i)
            owned = self._statement_owner(range(s0, s1))
            if owned is not None:
                return owned
        # the next sentence in the paragraph is a short cue: '"..." He said.'
        if fb < pb and self.in_quote[fb] < 0:
            s0, s1 = self.sents[self.sent_of[fb]]
            s1 = min(s1, pb)
            if not any(self.in_quote[i] >= 0 for i in range(s0, s1)):
                # a short cue sentence, or a longer one opening with "Name said ..."
                # ('"..!" Senator Ada Brennan said as she opened the session.')
                for i in range(s0, s1 if s1 - s0 <= 10 else min(s1, s0 + 8)):
                    tok = self.doc[i]
                    if self._is_speech(tok, weak_ok=s1 - s0 <= 10):
                        found = self._from_verb(tok, 0.7 if s1 - s0 <= 10 else 0.6)
                        if found is not None and (
                            s1 - s0 <= 10 or (found.cue_tok is not None and found.speaker
                                              is not None and found.speaker.start is not None
                                              and found.speaker.start < tok.idx)
                        ):
                            return found
        return self._after_reported_speech(sp, fa, pa)

    def _after_reported_speech(self, sp: QuoteSpan, fa: int, pa: int) -> _Found | None:
        """A quote opening the sentence right after 'Mayor Ana Ruiz told us the grain was
        not arriving.' in the same paragraph goes on in that person's words."""
        if fa <= pa or fa >= self.n or self.doc[fa].idx > sp.open_mark:
            return None
        start = self.doc[fa].idx
        if self.text[start : sp.open_mark].strip():
            return None  # the quote does not open its sentence
        s0, s1 = self.sents[self.sent_of[fa - 1]]
        root = next((self.doc[i] for i in range(max(s0, pa), s1)
                     if self.doc[i].dep_ == "ROOT"), None)
        if root is None or any(self.in_quote[i] >= 0 for i in range(max(s0, pa), s1)):
            return None
        if not self._is_speech(root) or root.lemma_.lower() in _NAMING_VERBS:
            return None
        found = self._from_verb(root, 0.55)
        if found is None or found.ent is None or found.ent.kind != "person":
            return None
        return found

    def _name_label(self, start: int, open_mark: int) -> _Found | None:
        """A paragraph opening with a bare name and a colon: 'Reyes: "..."', 'MARSH: "..."'
        (headlines, transcripts)."""
        m = _NAME_LABEL_RE.match(self.text, start, open_mark)
        if m is None or m.end() != open_mark:
            return None
        a, b = self._tok_range(m.start(1), m.end(1))
        toks = [self.doc[i] for i in range(a, b)]
        if not toks:
            return None
        # the parser may tag a headline's bare surname as a common noun ('Reyes: "..."'):
        # a surname of a person the article names elsewhere counts too
        known = _norm_token(toks[-1].text.title()) in self.person_by_last
        if not known and not any(t.pos_ == "PROPN" or self.ent_of[t.i] >= 0 for t in toks):
            return None
        words = [t.text.title() if t.text.isupper() and len(t.text) > 2 else t.text for t in toks]
        _, words = _clean_name(words)
        if not words:
            return None
        ent = self._canonical_person(_join_name(words))
        if ent.kind != "person":
            return None
        mention = self._mention(ent, self.text[m.start(1) : m.end(1)], m.start(1), m.end(1))
        return _Found(mention, ":", 0.6, ent, a)

    # ---- main ---------------------------------------------------------------------
    def run(self) -> list[Quote]:
        groups: dict[int, list[int]] = {}
        for qi, sp in enumerate(self.spans):
            groups.setdefault(sp.group, []).append(qi)
        keep = [not self._not_a_quote(sp) for sp in self.spans]
        for qi in range(len(self.spans)):
            if keep[qi]:
                self.found[qi] = self._find(qi) or None
        for qi in range(len(self.spans)):
            if keep[qi] and self.found[qi] is None:
                self.found[qi] = self._find_nearby(qi)
        # a multi-paragraph quote takes the speaker of whichever part has a cue (last first)
        for members in groups.values():
            if len(members) > 1:
                src = next((m for m in reversed(members) if self.found[m] is not None), None)
                if src is not None:
                    for m in members:
                        if self.found[m] is None:
                            f = self.found[src]
                            assert f is not None
                            self.found[m] = _Found(f.speaker, f.cue, f.confidence * 0.9, f.ent,
                                                   extra=f.extra)
        # uncued quotes inherit from the previous quote in the paragraph, or from the
        # previous paragraph when the paragraph opens with the quote
        last: tuple[int, int] | None = None  # (paragraph, span index) of the last speaker
        for qi, sp in enumerate(self.spans):
            if not keep[qi]:
                continue
            para = self._para_of(sp.para_start)
            f = self.found[qi]
            if f is None and last is not None:
                lp, lq = last
                opens_para = not self.text[sp.para_start : sp.open_mark].strip()
                lf = self.found[lq]
                assert lf is not None
                if lp == para or (lp == para - 1 and opens_para):
                    conf = 0.75 if lp == para else 0.6
                    self.found[qi] = _Found(lf.speaker, None, conf, lf.ent)
                    f = self.found[qi]
            if f is not None:
                last = (para, qi)
        partial: list[bool] = []
        for qi in range(len(self.spans)):
            partial.append(self._is_partial(qi, partial))
        out: list[Quote] = []
        for qi, sp in enumerate(self.spans):
            if not keep[qi]:
                continue
            f = self.found[qi]
            if partial[qi] and len(self.text[sp.start : sp.end].split()) <= 3 and (
                f is None or self._own_outlet(f)
            ):
                # a short quoted fragment that nobody is saying (or only the outlet itself:
                # 'the Herald can reveal ... a muddy "ditch"') is a scare quote, a term or a
                # label (click "subscribe"), not a quote
                continue
            cs, ce = self._context(sp)
            speaker = f.speaker if f is not None else None
            if speaker is not None and f is not None and f.ent is not None:
                # names may have grown fuller after the mention was made
                speaker.name = f.ent.name
                speaker.role = speaker.role or f.ent.role
            out.append(
                Quote(
                    text=self.text[sp.start : sp.end],
                    start=sp.start,
                    end=sp.end,
                    speaker=speaker,
                    cue=f.cue if f is not None else None,
                    via=f.extra.get("via") if f is not None else None,
                    partial=partial[qi],
                    context=self.text[cs:ce],
                    context_start=cs,
                    context_end=ce,
                    confidence=round(
                        (f.confidence if f is not None else 0.2)
                        * (0.8 if sp.close_mark is None else 1.0),
                        3,
                    ),
                )
            )
        return out

    def _statement_owner(self, toks: Iterable[int]) -> _Found | None:
        """'The council's statement was brief: "..."', 'His statement read:' — the owner of
        a statement that is the subject before a colon."""
        for i in toks:
            tok = self.doc[i]
            if self.in_quote[i] < 0 and tok.dep_ in _SUBJ_DEPS and (
                tok.lemma_.lower() in SPEECH_NOUNS
                and any(c.dep_ == "poss" for c in tok.children)
            ):
                mention, ent = self._speaker_from_token(tok)
                if mention is not None and ent is not None:
                    return _Found(mention, ":", 0.6, ent, i)
        return None

    def _own_outlet(self, f: _Found) -> bool:
        """Is the speaker the article's own outlet ('The Herald can reveal ...')?"""
        if f.speaker is None or not self.source_key:
            return False
        key = " ".join(re.findall(r"\w+", f.speaker.name.lower()))
        key = key[4:] if key.startswith("the ") else key
        return bool(key) and f" {key} " in f" {self.source_key} "

    def _context(self, sp: QuoteSpan) -> tuple[int, int]:
        fa, fb = self._frame_range(sp)
        if fa >= fb:
            return sp.para_start, sp.para_end
        cs = max(sp.para_start, self.doc[fa].idx)
        last = self.doc[fb - 1]
        ce = min(sp.para_end, last.idx + len(last.text))
        cs, ce = min(cs, sp.open_mark), max(ce, sp.outer_end)
        while ce > cs and self.text[ce - 1].isspace():
            ce -= 1
        return cs, ce

    def _is_partial(self, qi: int, earlier: list[bool]) -> bool:
        """A fragment inside the reporter's own sentence (partial), or a whole quoted
        statement? ``earlier`` holds the answers for the spans before ``qi``."""
        sp = self.spans[qi]
        text = self.text
        if qi and self._continues(self.spans[qi - 1], sp):
            # the second part of an interrupted quote ('"A," he said, "and b."') is as whole
            # as the first part
            return earlier[qi - 1]
        if self._mixed_tail(qi):
            return True
        first = text[sp.start]
        if first.isalpha() and first.islower():
            # lower case: a fragment, unless it is a speech verb's whole complement
            # ('She says "we worked hard."', 'telling her, "you are ..."')
            return not self._speech_complement(sp)
        before = text[sp.para_start : sp.open_mark].rstrip()
        if not before or before[-1] in ".:!?\"”":
            return False
        words = text[sp.start : sp.end].split()
        return len(words) <= 4 and before[-1] not in ",;"

    def _continues(self, prev: QuoteSpan, sp: QuoteSpan) -> bool:
        """Is ``sp`` the second part of a quote interrupted by its cue ('"A," he said, "b.")?"""
        if prev.para_start != sp.para_start or prev.close_mark is None:
            return False
        between = self.text[prev.outer_end : sp.open_mark]
        # the first part stops mid-sentence: '"A," he said' or '"A", he said'
        if not (self.text[prev.start : prev.end].rstrip().endswith(",") or between.lstrip()
                .startswith(",")):
            return False
        words = [w.strip(",:;").lower() for w in between.split()]
        return (
            0 < len(words) <= 12
            and between.rstrip()[-1:] in (",", ":", "—", "–", "-")
            and _SENTENCE_END_RE.search(between) is None
            and any(_is_speech_word(w) for w in words)
        )

    def _speech_complement(self, sp: QuoteSpan) -> bool:
        """Does a speech verb (not a naming verb: called it "a farce") take the quote as its
        whole complement: 'says "we ..."', 'said, "and ..."', 'told the crowd, "you ..."'?"""
        before = self.text[max(sp.para_start, sp.open_mark - 80) : sp.open_mark].rstrip()
        words = [w.lower() for w in re.findall(r"[\w'’-]+", before)][-10:]
        if not words:
            return False
        if _is_speech_word(words[-1]):
            return _crude_lemma(words[-1]) not in _NAMING_VERBS
        # a verb with an object or adverbials and a comma: 'telling her, "..."', 'said at a
        # town hall on Monday, "..."' (not 'said that', which makes the quote a fragment)
        if not before.endswith((",", ":")):
            return False
        at = next((k for k in range(len(words) - 2, -1, -1) if _is_speech_word(words[k])), None)
        return (
            at is not None
            and _crude_lemma(words[at]) not in _NAMING_VERBS
            and not {"that", "which", "who", "whether"} & set(words[at + 1 :])
        )

    def _mixed_tail(self, qi: int) -> bool:
        """The quoted clause goes on in the reporter's words after the closing mark
        ('"You squeezed your staff" to lift the stock, she said'): a fragment. Words that
        hang on the cue instead ('said "we lost" after the game') leave the quote whole."""
        sp = self.spans[qi]
        content = self.text[sp.start : sp.end].rstrip()
        if sp.close_mark is None or not content or content[-1] in _CLOSING_PUNCT:
            return False
        after = self.text[sp.outer_end : sp.para_end]
        m = re.match(r"[ \t]+([a-z][^,;.!?:\"“”]*)", after)
        if m is None:
            return False
        words = [w.lower() for w in re.findall(r"[\w'’-]+", m.group(1))][:4]
        # '"We will win" the senator said' / '"No" he said': a cue, not a continuation
        if any(_is_speech_word(w) or w in PRONOUN_FEATURES for w in words):
            return False
        i = self._tok_at(sp.outer_end + m.start(1))
        if i is None or self.in_quote[i] >= 0:
            return True
        # where does the first word after the mark hang? inside the quote: a continuation
        node = self.doc[i]
        for _ in range(4):
            if self.in_quote[node.head.i] == qi:
                return True
            if node.head.i == node.i or self.in_quote[node.head.i] >= 0:
                break
            node = node.head
        return False

    def _not_a_quote(self, sp: QuoteSpan) -> bool:
        """Quoted names and titles ('the "Buk" system', a book title) are not quotes."""
        content = self.text[sp.start : sp.end]
        words = content.split()
        if not words or not any(ch.isalpha() for ch in content):
            return True
        before = self.text[sp.para_start : sp.open_mark].rstrip()
        if before.endswith("="):
            return True  # markup attribute: author="..."
        if len(words) <= 3 and _SCARE_FRAME_RE.search(before[-80:]):
            # 'the so-called "inspection zone"', 'what critics have called a "witch hunt"':
            # the reporter's distance from a term, not anyone's statement
            return True
        if len(words) <= 8 and _is_title_case(content):
            # titles of works and nicknames: 'the film "Night Train"', '"Night Train"
            # star ...', '"Night Train," the 1990s series ...'
            if _TITLE_CUE_RE.search(before[-40:]):
                return True
            after = self.text[sp.outer_end : min(sp.para_end, sp.outer_end + 60)]
            if _AFTER_TITLE_RE.match(after):
                return True
            nxt = [w.strip(".,;:!?\"'’”") .lower() for w in after.split()[:6]]
            starts_lower = bool(re.match(r"\s*,?\s*[a-z]", after))
            if (
                starts_lower
                and (not before or before[-1] in ".!?:")
                and not any(_is_speech_word(w) for w in nxt)
                and not (nxt and nxt[0] in PRONOUN_FEATURES)
            ):
                # '"Night Train" has been a surprise hit': a title opening a sentence
                return True
        if len(words) > 6 or content.rstrip()[-1] in ".!?;:…":
            return False
        caps = [w for w in words if w.lower() not in _MINOR_WORDS]
        if not caps or not all(w[:1].isupper() or w[:1].isdigit() for w in caps):
            return False
        if not before or before[-1] in ".!?:":
            return False  # a capitalised short sentence: "Absolutely," he said.
        return True


_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "eer")
_SCARE_FRAME_RE = re.compile(
    r"(?:\bso-called|\bwhat\s+(?:[\w'’-]+\s+){1,5}(?:had\s+|has\s+|have\s+)?(?:called|calls?|"
    r"dubbed|dubs?|termed|terms?|labell?ed|described\s+as|describes?\s+as)"
    r"(?:\s+(?:an?|the))?)\s*$",
    re.IGNORECASE,
)
_HYPHEN_WORD_RE = re.compile(r"-[a-z]")
_TITLE_OR_PERSON_NOUNS = TITLE_WORDS | PERSON_NOUNS
_SENTENCE_END_RE = re.compile(r"[.!?][\s\"”’']")
_CLOSING_PUNCT = ".,!?;:…—–-)]'’"
# speech verbs that name rather than report: 'called them "defensive weapons"' is a fragment
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
