"""Pronoun and description resolution: the antecedent candidates of an article and the most
salient compatible one before a pronoun ("he", "it", "the diplomat")."""

from __future__ import annotations

import bisect
from typing import Any

from factcheck.attribution import descriptions
from factcheck.attribution.common import (
    _EDGE_PUNCT,
    _MAX_LOOKBACK_SENTS,
    _ORG_LABELS,
    _PERSON_LABELS,
    _RECENT_SENTS,
    _SUBJ_DEPS,
    _Cand,
    _Entity,
    _norm_token,
    _role_words,
)
from factcheck.cues import (
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUN_FEATURES,
    SPEECH_VERBS,
)


class Resolution:
    """A pass of the attributor (mixed into ``core._Attributor``)."""

    # set by core._Attributor
    text: str
    doc: Any

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
                    continue  # 'the Eastport police command': the place only modifies the body
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
                # a bare surname the NER missed ('Okafor, for his part, ...'): the person
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
            # (not in a relative clause: 'limits, something that Erdogan said last week')
            or (head.lemma_.lower() in SPEECH_VERBS and head.dep_ != "relcl")
        )

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
            # (by its last token: the parser may run a sentence over a paragraph break, from
            # a stray closing mark of the paragraph before)
            if self._para_of(self.doc[self.sents[s][1] - 1].idx) < para - 3:
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
            # a definite description naming someone's office ("The head of state ...") is
            # that person, not a description to give way to a name in the same sentence
            items = [
                (t, sb, mn, (descriptions.resolve_person(self, self.doc[t]) or e)
                 if e.kind == "anonymous" and e.name[:4].lower() == "the " else e)
                for t, sb, mn, e in items
            ]
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
