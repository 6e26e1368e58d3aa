"""Mentions and roles: the speaker entity a cue's subject token names (a person with the
titles and appositives that are its roles, a body, an unnamed source), with definite
descriptions and statement owners resolved (see ``descriptions``)."""

from __future__ import annotations

from typing import Any

from factcheck.attribution import descriptions
from factcheck.attribution.common import (
    _AGENT_SUFFIXES,
    _ANAPHORIC_ROLES,
    _DETERMINERS,
    _EDGE_PUNCT,
    _ORG_LABELS,
    _PERSON_LABELS,
    _SUBJ_DEPS,
    _TITLE_OR_PERSON_NOUNS,
    _clean_name,
    _Entity,
    _join_name,
    _norm_token,
    _span_text,
)
from factcheck.attribution.roles import is_role, role_words
from factcheck.cues import (
    HONORIFIC_GENDER,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUN_FEATURES,
    RELATIVE_PRONOUNS,
    SPEECH_NOUNS,
    TITLE_WORDS,
)
from factcheck.records import Mention

# documents a body or person issues: 'the statement said' speaks for its issuer
ISSUED_NOUNS = frozenset("statement release communique communiqué announcement readout".split())
_HONORIFICS = frozenset("mr mrs ms miss dr sir dame".split())
_NAME_PARTICLES = frozenset("de del da van von der bin al la le".split())
# definite role nouns that, with nobody named in that role, mean the person in focus
# (only a person in focus with no roles on record: 'the spokesman added' after 'Ibrahim
# Kalin told reporters', not after 'Foreign Minister Ana Ruiz said')
FOCUS_ROLES = _ANAPHORIC_ROLES | frozenset(
    "envoy ambassador pilot commander chief spokesman spokeswoman spokesperson".split())
# how far back (sentences) the issuer of 'the statement' is looked for
_ISSUER_LOOKBACK_SENTS = 8


class Mentions:
    """A pass of the attributor (mixed into ``core._Attributor``)."""

    # set by core._Attributor
    text: str
    doc: Any

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
                # roles are gathered at every mention: later descriptions match them
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
                inner = self._person_inside(ent)
                if inner is not None:
                    return inner
                if resolve_pronouns and len(words) >= 2 and words[0].lower() == "the":
                    # 'the UN Envoy': a title the NER took for a body is a description
                    described = self._described_person(ent.root)
                    if described is not None:
                        return described
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
            named_body = next((c for c in tok.children if c.dep_ == "compound" and c.i < tok.i
                               and self.ent_of[c.i] >= 0 and self.ents[self.ent_of[c.i]].label_
                               in _ORG_LABELS and self.in_quote[c.i] < 0), None)
            source = next((o for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"
                           and c.i == tok.i + 1 for o in c.children if o.dep_ == "pobj"
                           and self.in_quote[o.i] < 0), None)
            if owner is None and named_body is None and source is not None and resolve_pronouns:
                # 'a statement from the prime minister's office said'
                got = self._entity_for_token(source, resolve_pronouns)
                if got is not None and got.kind in ("person", "organisation"):
                    return got
            if owner is None and body is None and named_body is not None:
                # 'the RSF statement read', 'a Kremlin statement': the named body issued it
                got = self._entity_for_token(named_body, resolve_pronouns)
                if got is not None and got.kind == "organisation":
                    return got
            if owner is not None and self.ent_of[owner.i] < 0 and owner.pos_ == "NOUN" and (
                    owner.lemma_.lower() not in ORG_NOUNS):
                owner = None  # 'the candidate's response': a description, resolved elsewhere
            if owner is not None and self.in_quote[owner.i] < 0:
                if owner.lower_ in PRONOUN_FEATURES or owner.pos_ == "PRON":
                    feat = {"his": "m", "her": "f", "its": "n", "their": "p"}.get(owner.lower_)
                    got = self._resolve_back(owner, feat) if resolve_pronouns and feat else None
                else:
                    got = self._entity_for_token(owner, resolve_pronouns)
                if got is not None:
                    return got
            if owner is None and body is None and named_body is None and source is None and (
                    resolve_pronouns) and (
                    lemma in ISSUED_NOUNS and det in ("the", "a", "an", "this", "that", "")):
                # 'the statement said', 'the press release read': whoever issued it
                issuer = self._statement_issuer(tok)
                if issuer is not None:
                    return issuer
        if resolve_pronouns and lemma in descriptions.PERSON_HEADS and not plural:
            # "the envoy", "the colonel", "the Syrian president": the person named earlier
            # with that role
            ante = self._described_person(tok)
            if ante is not None:
                # an unnamed source introduced earlier ('a Western diplomat' ... 'the
                # diplomat') keeps its own chain
                other = self._antecedent_for_noun(tok, lemma) if lemma in PERSON_NOUNS else None
                return other if other is not None and other.kind == "anonymous" else ante
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

    def _person_inside(self, ent: Any) -> _Entity | None:
        """'UN Special Envoy for Norland Ana Ruiz' tagged as one ORG: a name the
        article gives elsewhere as a person's ends the entity; the words before it (places,
        titles) are no part of the name but of the role."""
        if len(ent) < 3 or self.in_quote[ent.start] >= 0:
            return None
        last = _norm_token(ent[-1].text)
        if ent[-1].pos_ != "PROPN" or last not in self.person_by_last:
            return None
        places = {e.text for e in self.ents if e.label_ in ("GPE", "NORP", "LOC")}
        # the trailing run of name words: capitalised, no place, no title (particles inside)
        k = ent.end
        while k > ent.start:
            t = self.doc[k - 1]
            particle = t.lower_ in _NAME_PARTICLES and k < ent.end
            if not particle and (not t.text[:1].isupper() or t.is_punct or t.text in places
                                 or t.lower_.rstrip(".") in TITLE_WORDS):
                break
            k -= 1
        while k < ent.end and self.doc[k].lower_ in _NAME_PARTICLES and not (
                self.doc[k].text[:1].isupper()):
            k += 1
        name_words = [t.text for t in self.doc[k : ent.end]]
        if len(name_words) < 2 or k == ent.start:
            return None
        person = self._canonical_person(_join_name(name_words))
        if person.kind != "person":
            return None
        role = " ".join(p for p in (self._role_for(ent.root, ent.start),
                                    self.text[ent[0].idx : self.doc[k].idx].strip()) if p)
        if is_role(role):
            self.roles_of.setdefault(id(person), set()).update(role_words(role))
            if person.role is None:
                person.role = role
        return person

    def _described_person(self, tok: Any) -> _Entity | None:
        """The person a definite role description ('the envoy', 'the pilot') refers back to:
        the one named earlier with that role, else, for a role held by one person at a time
        in a story (president, envoy, pilot ...; not 'the spokesman'), the person in focus."""
        lemma = descriptions._head_lemma(tok)
        if lemma not in descriptions.PERSON_HEADS or lemma in ORG_NOUNS:
            return None
        ante = descriptions.resolve_person(self, tok)
        owned = any(c.dep_ == "poss" for c in tok.children if c.i < tok.i)
        if ante is None and lemma in FOCUS_ROLES and descriptions.is_definite(self, tok) and (
                not owned):  # 'Norland's navy chief' names an office nobody in focus is shown in
            ante = self._resolve_back(tok, "x")
            held = self.roles_of.get(id(ante), set()) - _HONORIFICS if ante is not None else set()
            if held:
                ante = None  # the person in focus holds other roles: someone else is meant
        return ante if ante is not None and ante.kind == "person" else None

    def _statement_issuer(self, tok: Any) -> _Entity | None:
        """The issuer of 'the statement' that speaks ('"...," the statement said'): going back
        sentence by sentence, the subject of the clause that mentions a statement ('X said in
        a statement', 'In a statement, X urged', 'X's statement'), else the nearest body that
        said something ('The ministry said ...'). None when nothing fits."""
        si = self.sent_of[tok.i]
        for s in range(si, max(-1, si - _ISSUER_LOOKBACK_SENTS), -1):
            s0, s1 = self.sents[s]
            toks = [self.doc[i] for i in range(s0, min(s1, tok.i) if s == si else s1)
                    if self.in_quote[i] < 0]
            for t in reversed(toks):
                if t.lemma_.lower() in ISSUED_NOUNS and t.i != tok.i:
                    poss = next((c for c in t.children if c.dep_ == "poss"), None)
                    if poss is not None and poss.pos_ != "PRON":
                        got = self._entity_for_token(poss, resolve_pronouns=False)
                        if got is not None and got.kind in ("person", "organisation"):
                            return got
                    verb = t.head
                    for _ in range(3):
                        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                            break
                        verb = verb.head
                    if verb.pos_ not in ("VERB", "AUX") or verb.i == t.i:
                        continue
                    got = self._issuer_subject(verb)
                    if got is not None:
                        return got
            for t in reversed(toks):
                if t.pos_ in ("VERB", "AUX") and self._is_speech(t):
                    got = self._issuer_subject(t, bodies_only=True)
                    if got is not None:
                        return got
        return None

    def _issuer_subject(self, verb: Any, bodies_only: bool = False) -> _Entity | None:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj",)
                     and self.in_quote[c.i] < 0), None)
        if subj is None and verb.i + 1 < self.n and verb.lemma_.lower() == "say":
            nxt = self.doc[verb.i + 1]  # '"...," said the ministry in a statement'
            subj = nxt.head if nxt.dep_ in ("det", "compound", "amod") else nxt
            if subj.pos_ not in ("NOUN", "PROPN") or self.in_quote[subj.i] >= 0:
                subj = None
        if subj is None or subj.lemma_.lower() in ISSUED_NOUNS or subj.lemma_.lower() in (
                SPEECH_NOUNS):
            return None
        if subj.pos_ == "PRON":
            if bodies_only or subj.lower_ not in ("he", "she", "it", "they"):
                return None
            got = self._resolve_pronoun(subj)
        else:
            got = self._entity_for_token(subj, resolve_pronouns=not bodies_only)
        if got is None or got.kind not in ("person", "organisation") or not (
                got.name[:1].isupper() or got.name.split()[-1].lower() in ORG_NOUNS):
            return None
        if bodies_only and (got.kind != "organisation" or not (
                len(got.name.split()) >= 2 or got.name.isupper())):
            return None  # a one-word "body" is often a surname the NER mislabelled
        return got

    def _for_whom(self, tok: Any) -> str:
        """'for the embassy' in 'a spokesman for the embassy in Eastport': the first
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
        if ent.label_ in ("GPE", "LOC") and self.place_count.get(ent.text, 0) > 1:
            return False  # 'in Geneva, who arrived ...': a city named as one elsewhere too
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
        mention = self._mention(ent, surface, start, end)
        if ent.kind == "person" and ei < 0 and tok.pos_ == "NOUN":
            # a description resolved to a person ('the envoy said'): the description is the
            # quote's role, in the fuller words of the person's own role when it holds it
            lemma = tok.lemma_.lower()
            if lemma not in role_words(ent.role) and is_role(tok.text):
                desc = [t for t in self._noun_phrase(tok) if t.dep_ not in ("det", "poss")
                        and t.lower_ not in ("'s", "’s")]
                mention.role = _span_text(self.text, desc) or ent.role
        return mention, ent

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
        Tomas Berg, said': a person noun followed, after a comma, by a name set off as its
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
                    self.ents[ek].label_ in _ORG_LABELS
                    and 2 <= len(self._ent_words(self.ents[ek])[1]) <= 3
                    and all(t.pos_ == "PROPN" or t.text in ("-", "–") for t in self.ents[ek])
                    and self.ents[ek].root.dep_ == "appos"
                )):
                    e = self.ents[ek]
                    nxt = self.doc[e.end] if e.end < self.n else None
                    # (or the sentence ends: '"...," said the spokesman for the port,
                    # Captain Ana Ruiz.')
                    if nxt is None or nxt.text in (",", ":", ".", "!", "?", ";") or (
                            nxt.pos_ in ("VERB", "AUX")):
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
