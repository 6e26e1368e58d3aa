"""The outlet a quote came through: "the daily X quoted Y as saying", "according to Y, quoted
by X", "Y told the agency X". The speaker is Y; X is kept apart as ``Quote.via``."""

from __future__ import annotations

from typing import Any

# nouns that say an organisation is a news outlet ("the daily X", "broadcaster X")
OUTLET_NOUNS = frozenset(
    """daily newspaper paper agency broadcaster radio television tv channel station magazine
    weekly outlet website site tabloid wire network programme program""".split()
)
# words inside outlet names ("Radio Sud", "the Valley Times", "Morning Herald")
OUTLET_NAME_WORDS = frozenset(
    """radio tv television times post news herald gazette journal agency press tribune
    telegraph wire observer courier daily ledger chronicle clarion guardian mirror express
    star independent magazine weekly broadcasting broadcaster channel network review
    bulletin sun standard dispatch monitor record reporter examiner inquirer""".split()
)


def _outlet_name(tok: Any, attr: Any) -> str | None:
    """The outlet a token names, or None: an ORG entity with an outlet word in its name or
    behind an outlet noun ('the daily Al-Xyz'), or an outlet noun with a name attached."""
    ei = attr.ent_of[tok.i]
    if ei >= 0:
        ent = attr.ents[ei]
        if ent.label_ in ("PERSON", "NORP"):
            return None
        words = {t.lower_ for t in ent}
        before = attr.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if words & OUTLET_NAME_WORDS or before in OUTLET_NOUNS or (
            ent.text in known_outlets(attr)
        ):
            toks = [t for t in ent if t.lower_ not in ("the",)]
            return attr.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)] if toks else None
        return None
    if tok.pos_ == "PROPN" and tok.text in known_outlets(attr):
        return tok.text
    if tok.lemma_.lower() in OUTLET_NOUNS:
        # 'the daily Coastal Herald' parsed with 'daily' as head: the name glued to it
        for child in tok.children:
            if child.dep_ in ("appos", "compound") and attr.ent_of[child.i] >= 0:
                return _outlet_name(child, attr) or attr.ents[attr.ent_of[child.i]].text
        names = [t for t in tok.subtree if t.pos_ == "PROPN" and attr.in_quote[t.i] < 0]
        if names:
            return attr.text[names[0].idx : names[-1].idx + len(names[-1].text)]
    return None


def known_outlets(attr: Any) -> set[str]:
    """Names the article itself shows to be outlets: subjects of 'quoted' and 'reported'
    ('KTA quoted ...' makes KTA an outlet in 'he told KTA')."""
    cached = getattr(attr, "_outlets", None)
    if cached is not None:
        return cached
    out: set[str] = set()
    for ent in attr.ents:
        root = ent.root
        if ent.label_ in ("ORG", "GPE") and root.dep_ == "nsubj" and (
            root.head.lemma_.lower() in ("quote", "report")
        ) and attr.in_quote[root.i] < 0:
            out.add(ent.text)
    attr._outlets = out
    return out


def _quote_verb(verb: Any) -> Any | None:
    """'saying' in 'X quoted Y as saying': the verb 'quote' it hangs on (via 'as')."""
    node, seen_as = verb, False
    for _ in range(3):
        if node.lower_ == "as":
            seen_as = True
        if node.head.i == node.i:
            return None
        node = node.head
        if node.lemma_.lower() == "quote" and node.pos_ in ("VERB", "AUX"):
            return node if seen_as else None
    return None


def quoted_as_saying(attr: Any, verb: Any) -> tuple[Any, str | None] | None:
    """For a cue verb: (speaker token, outlet) when it is 'X quoted Y as saying' (or 'Y was
    quoted by X as saying', or the verb 'quoted' itself with 'as saying' after its object)."""
    quote = verb if verb.lemma_.lower() == "quote" else _quote_verb(verb)
    if quote is None or verb.lower_ not in ("saying", "say", "says", "said", "quoted",
                                            "quote", "quotes", "telling", "adding"):
        return None
    if quote is verb and not any(
        t.lower_ == "as" for t in quote.subtree if t.i > quote.i
    ):
        return None
    outlet_tok = None
    speaker_tok = None
    for c in quote.children:
        if c.dep_ == "dobj" and attr.in_quote[c.i] < 0:
            speaker_tok = c
        elif c.dep_ == "nsubjpass" and attr.in_quote[c.i] < 0:
            speaker_tok = c
        elif c.dep_ == "nsubj" and attr.in_quote[c.i] < 0:
            outlet_tok = c
        elif c.dep_ == "agent":
            outlet_tok = next((o for o in c.children if o.dep_ == "pobj"), outlet_tok)
    if speaker_tok is None:
        return None
    outlet = None
    if outlet_tok is not None:
        outlet = _outlet_name(outlet_tok, attr) or _np_text(attr, outlet_tok)
    return speaker_tok, outlet


def quoted_by(attr: Any, speaker_tok: Any) -> str | None:
    """'according to Y, quoted by X': the X after the speaker."""
    for j in range(speaker_tok.i + 1, min(attr.n, speaker_tok.i + 12)):
        t = attr.doc[j]
        if attr.in_quote[j] >= 0 or attr.is_mark[j]:
            break
        if t.lower_ == "quoted" and j + 1 < attr.n and attr.doc[j + 1].lower_ == "by":
            objs = [o for o in attr.doc[j + 1].children if o.dep_ == "pobj"]
            if objs:
                return _outlet_name(objs[0], attr) or _np_text(attr, objs[0])
    return None


def told_outlet(attr: Any, verb: Any) -> str | None:
    """'Y told Radio Sud', 'told the daily X', 'spoke to KTA', 'in an interview with X': the
    outlet spoken to (an audience such as 'reporters' or 'the council' is not an outlet)."""
    lemma = verb.lemma_.lower()
    objs: list[Any] = []
    for c in verb.children:
        if lemma == "tell" and c.dep_ in ("dobj", "dative", "iobj"):
            objs.append(c)
        elif c.dep_ == "prep" and (
            (c.lower_ == "to" and lemma in ("speak", "talk", "say"))
            or c.lower_ == "in"
        ):
            for o in c.children:
                if o.dep_ != "pobj":
                    continue
                if c.lower_ == "in" and o.lemma_.lower() == "interview":
                    objs += [p for w in o.children if w.lower_ == "with"
                             for p in w.children if p.dep_ == "pobj"]
                elif c.lower_ == "to":
                    objs.append(o)
    for o in objs:
        name = _outlet_name(o, attr)
        if name:
            return name
    return None


def _np_text(attr: Any, tok: Any) -> str | None:
    ei = attr.ent_of[tok.i]
    if ei >= 0:
        toks = [t for t in attr.ents[ei] if t.lower_ != "the"]
    else:
        toks = [t for t in attr.doc[tok.left_edge.i : tok.i + 1] if t.lower_ != "the"]
    toks = [t for t in toks if not t.is_punct]
    if not toks:
        return None
    return attr.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
