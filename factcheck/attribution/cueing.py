"""Cues: the speech verb (or colon, "according to", statement, name label) that introduces a
quote, and its subject as the speaker token."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from factcheck.attribution import via
from factcheck.attribution.common import (
    _CLIMB_DEPS,
    _DETERMINERS,
    _NAME_LABEL_RE,
    _NAMING_VERBS,
    _ORG_LABELS,
    _PERSON_LABELS,
    _SIGN_OFF_RE,
    _SUBJ_DEPS,
    _clean_name,
    _crude_lemma,
    _Found,
    _join_name,
    _norm_token,
)
from factcheck.cues import (
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUN_FEATURES,
    RELATIVE_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERB_FORMS,
    SPEECH_VERBS,
    WEAK_CUE_VERBS,
)
from factcheck.quotemarks import QuoteSpan

# verdict verbs: a cue only with a court, judge or panel as subject ('the court ruled that')
_VERDICT_VERBS = frozenset("rule find hold decide determine order conclude".split())
_ADJUDICATORS = frozenset(
    """court judge justice tribunal panel jury arbitrator commission inquiry board regulator
    ombudsman coroner committee""".split()
)


# a clause of time after a quote is not its cue: '"...," when Ana Ruiz blasted him'
_TIME_MARKS = frozenset("when while after before because since until once if".split())
# recordings a quote is played from: 'footage of Ana Ruiz saying'
_RECORDINGS = frozenset("footage video clip recording audio tape film image".split())


class CueFinder:
    """A pass of the attributor (mixed into ``core._Attributor``)."""

    # set by core._Attributor
    text: str
    doc: Any

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
        head = verb.head
        if depth < 3 and verb.tag_ == "VBG" and head.i < verb.i and head.pos_ == "VERB" and (
                subs and all(head.i < c.i < verb.i for c in subs)):
            # 'the government denied such cooperation saying, "..."': the parser made the
            # object of the main verb the gerund's subject; the main verb's subject speaks
            climbed = self._subjects_of(head, depth + 1)
            if climbed:
                return climbed
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
            prev = self.doc[verb.i - 1] if verb.i > 0 else None
            if verb.tag_ == "VBG" and prev is not None and prev.dep_ == "pobj" and (
                prev.head.lower_ == "of" and prev.head.head.lemma_.lower() in _RECORDINGS
                and self.ent_of[prev.i] >= 0
                and self.ents[self.ent_of[prev.i]].label_ in _PERSON_LABELS
            ):
                # 'uses footage of Ana Ruiz asking, "..."' (parsed as the verb's xcomp)
                return [prev]
            if verb.dep_ in _CLIMB_DEPS and verb.head.i != verb.i:
                up = verb.head
                if up.dep_ == "prep" and up.head.dep_ == "ccomp" and self._is_speech(
                        up.head.head) and not self._is_speech(up.head) and self._is_speech(verb):
                    # 'He admitted that X is Y by saying "..."': the gerund of manner belongs
                    # to the speech verb, not to the reported clause the parser hung it on
                    up = up.head.head
                climbed = self._subjects_of(up, depth + 1)
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
            if lemma in _VERDICT_VERBS:
                # 'The court ruled that ... "..."': a verdict is a body's statement
                return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _ADJUDICATORS
                           for c in tok.children)
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
        signed = self._sign_off(sp) or self._dash_lead(sp)
        if signed is not None:
            return signed
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
                if self._passive_without_agent(node):
                    pass  # 'the rebels will be denied their "safe havens"': no speech act
                elif self.in_quote[node.i] < 0:
                    if self._is_speech(node):
                        found = self._from_verb(node, 0.9)
                        if found is not None:
                            return self._outer_reporter(node, found, fa, fb)
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
            if self._is_speech(self.doc[i], weak_ok=True) and not self._time_clause(i):
                found = self._from_verb(self.doc[i], 0.9)
                if found is not None:
                    return found
        # any verb right after the quote with a name or pronoun as subject:
        # '"Go home," Smith barked.' / '"Enough," she shot back.'
        words_after = [i for i in after if not self.doc[i].is_punct]
        for i in words_after[:4]:
            tok = self.doc[i]
            if tok.pos_ == "VERB" and tok.i > 0 and not self._time_clause(i):
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
            if self.in_quote[i] < 0 and self._is_speech(tok) and (
                self.in_quote[tok.head.i] == qi and not self._time_clause(i)
            ):
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
                if tok.pos_ == "VERB" and not self._time_clause(i):
                    found = self._from_verb(tok, 0.7)
                    if found is not None and found.ent is not None:
                        return found
        return None

    def _passive_without_agent(self, verb: Any) -> bool:
        return any(c.dep_ == "nsubjpass" for c in verb.children) and not any(
            c.dep_ == "agent" for c in verb.children)

    def _outer_reporter(self, verb: Any, found: _Found, fa: int, fb: int) -> _Found:
        """'Lund said the council condemned the "reckless" strike': a speech
        verb inside what a named person (or he/she) is reported saying, with a body or
        thing as its subject, is part of that person's account; the words are theirs."""
        if found.speaker is None or found.speaker.kind != "organisation":
            return found  # a person, or an unnamed one ('a witness told her'), speaks
        node = verb
        for _ in range(4):
            # up through reported clauses, and a gerund tacked on ('..., stressing that')
            if not (node.dep_ == "ccomp" or (node.dep_ == "advcl" and node.tag_ == "VBG")) or (
                    node.head.i == node.i):
                return found
            node = node.head
            if not (fa <= node.i < fb) or self.in_quote[node.i] >= 0:
                return found
            if self._is_speech(node) and node.lemma_.lower() not in _NAMING_VERBS:
                outer = self._from_verb(node, 0.85)
                if outer is not None and outer.ent is not None and outer.ent.kind == "person":
                    return outer
        return found

    def _time_clause(self, i: int) -> bool:
        """Is the verb the head of a clause of time or reason ('"...," when Ana Ruiz blasted
        him')? Such a clause after a quote is not its cue."""
        return any(c.dep_ in ("mark", "advmod") and c.lower_ in _TIME_MARKS
                   for c in self.doc[i].children)

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
        return self._after_reported_speech(sp, fa, pa) or self._after_reported_paragraph(sp)

    def _after_reported_paragraph(self, sp: QuoteSpan) -> _Found | None:
        """A paragraph that is one uncued quote, right after a paragraph whose last sentence
        reports a named person's words ('Ana Ruiz told the media on Tuesday that ...'): the
        quote goes on in that person's words (wire copy often runs the quote on this way)."""
        if self.text[sp.para_start : sp.open_mark].strip():
            return None
        rest = self.text[sp.outer_end : sp.para_end].strip()
        if rest and rest not in (".", ","):
            return None  # something follows the quote: not a bare continuation
        pi = self._para_of(sp.para_start) - 1
        if pi < 0:
            return None
        ps, pe = self.paras[pi]
        a, b = self._tok_range(ps, pe)
        if a >= b or any(self.in_quote[i] >= 0 or self.is_mark[i] for i in range(a, b)):
            return None
        # the paragraph's last sentence whose main verb reports speech ('X told the media
        # that ...'; what follows it in the paragraph is more of the same report)
        for si in range(self.sent_of[b - 1], self.sent_of[a] - 1, -1):
            s0, s1 = self.sents[si]
            root = next((self.doc[i] for i in range(max(s0, a), min(s1, b))
                         if self.doc[i].dep_ == "ROOT"), None)
            if root is None or not self._is_speech(root) or (
                    root.lemma_.lower() in _NAMING_VERBS):
                continue
            if not any(c.dep_ == "ccomp" for c in root.children):
                continue  # it must report what was said
            found = self._from_verb(root, 0.5)
            if found is None or found.ent is None or found.ent.kind != "person":
                return None
            return found
        return None

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

    def _sign_off(self, sp: QuoteSpan) -> _Found | None:
        """A quote signed with a dash and a bare person's name right after its closing
        mark: '"We deserve better." ― Ana Ruiz' (reader voices, testimonials, epigraphs)."""
        if sp.close_mark is None:
            return None
        m = _SIGN_OFF_RE.match(self.text, sp.outer_end)
        if m is None:
            return None
        a, b = self._tok_range(m.start(1), m.end(1))
        toks = [self.doc[i] for i in range(a, b) if not self.doc[i].is_punct]
        if len(toks) < 2 or any(self.in_quote[t.i] >= 0 for t in toks):
            return None  # a bare surname after a dash may be anything ('— Reuters')
        words = [w for w in (t.text.strip("―—–- \u00a0") for t in toks) if w]
        titles, words = _clean_name(words)
        if len(words) < 2 and not (titles and words):
            return None  # one bare word may be anything; 'Justice Kennedy' is a person
        ent = self._canonical_person(_join_name(words))
        if ent.kind != "person":
            return None
        mention = self._mention(ent, self.text[m.start(1):m.end(1)].rstrip("."),
                                m.start(1), m.end(1))
        return _Found(mention, "―", 0.7, ent, a)

    def _dash_lead(self, sp: QuoteSpan) -> _Found | None:
        """A person's name set off by a dash right before the quote: 'critics have said the
        same, including the former mayor Ana Ruiz -- "It is a disgrace."'."""
        if sp.open_mark is None:
            return None
        m = re.search(r"(?:--|[—–])[^\S\n]*$", self.text[max(0, sp.open_mark - 6):sp.open_mark])
        if m is None:
            return None
        dash = max(0, sp.open_mark - 6) + m.start()
        j = self._tok_range(max(0, dash - 1), dash)[0]
        while j > 0 and j < self.n and self.doc[j].idx >= dash:
            j -= 1
        if not (0 <= j < self.n) or self.in_quote[j] >= 0:
            return None
        ei = self.ent_of[j]
        if ei < 0 or self.ents[ei].label_ not in _PERSON_LABELS or self.ents[ei].end != j + 1:
            return None
        mention, ent = self._speaker_from_token(self.ents[ei].root)
        if mention is None or ent is None or ent.kind != "person":
            return None
        return _Found(mention, "—", 0.65, ent, j)

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
