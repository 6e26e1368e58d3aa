"""Comparing quoted wording: normalised word tokens and a word-level diff.

Two renderings of one quote differ in ways that do not matter (curly vs straight marks, case,
punctuation, "U.S." vs "US", "70,000" vs "70000", "hasn't" vs "has not", British vs
American spelling, "five" vs "5") and in ways that do (a word added, dropped or changed).
``tokenize`` reduces text to comparison keys while keeping each key's character span, so a
diff computed on keys can be shown in the original words.

``diff_words(stored, quoted)`` aligns a stored quote with a quotation of it and reports:

- interior changes (``delete`` = a stored word the quotation drops, ``insert`` = a word it
  adds, ``replace``), each marked when it sits at an ellipsis in the quotation or consists
  of bracketed editorial words;
- ``omit`` runs: stored words before or after the quoted excerpt (truncation);
- the similarity of the quotation to the part of the stored quote it covers.

Nothing here judges meaning; the checker decides which changes are substantive.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# A number with separators (70,000 / 3.5), or a word with inner apostrophes, hyphens or
# periods (don't, S-300, U.S).
_TOKEN = re.compile(r"\d[\d,.]*\d|[^\W_]+(?:['’\-‐‑.][^\W_]+)*")
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")
_SENTENCE_END = re.compile(r"[.!?;:]")
_BRACKETS = {"[": "]", "(": ")"}
_BRACKET_CHARS = frozenset("[]()")
_END_CHARS = frozenset(".!?;:…")

_CONTRACTIONS = {"'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would"}
_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
# "'s" after these is "is" (after a noun it is usually a possessive and kept as one word).
_S_IS = {"it", "that", "there", "here", "what", "who", "where", "he", "she", "how", "this"}
_SMALL_NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
}
# British -> American spelling patterns, applied to both sides so either form matches.
_SPELLING = [
    (re.compile(r"(?<=\w{2})is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=\w{2})ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=\w{2})(t|b)re(s)?$"), r"\1er\2"),
    (re.compile(r"(?<=\w)(f|c|t)ence$"), r"\1ense"),
    (re.compile(r"(?<=\w{2})ell(ed|ing|er|ers)$"), r"el\1"),
    (re.compile(r"dgement(s)?$"), r"dgment\1"),
    (re.compile(r"(?<=\w{3})ogue(s)?$"), r"og\1"),
]


@dataclass
class Token:
    key: str  # the comparison form
    start: int  # character span of the word this key came from
    end: int
    editorial: bool = False  # inside [brackets] or (parentheses): a writer's insertion
    sentence_start: bool = False  # first word of a sentence or clause (after . ! ? ; :)


@dataclass
class Tokens:
    text: str
    tokens: list[Token]
    gaps: set[int] = field(default_factory=set)  # token positions of ellipses ("…")

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tokens]

    def surface(self, i: int, j: int) -> str:
        """The original text of tokens ``[i, j)``, punctuation between them included."""
        if j <= i:
            return ""
        return self.text[self.tokens[i].start:self.tokens[j - 1].end]


def fold(text: str) -> str:
    """Typography folded: accents, curly marks, dashes, non-breaking spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("`", "'")
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    text = re.sub(r"[\u00a0\u2000-\u200b\u202f]", " ", text)
    return text


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def spelling_key(word: str) -> str:
    for pattern, repl in _SPELLING:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[str, ...]:
    # Cached: news vocabulary repeats, and every stored candidate is tokenised per check.
    w = word.lower()
    if not w.isascii():
        w = _strip_accents(w).replace("’", "'").replace("‘", "'")
    if w[:1].isdigit():
        return (w.replace(",", "").rstrip("."),)
    w = w.replace(".", "").replace("-", "").replace("‐", "").replace("‑", "")
    if w == "cannot":
        return ("can", "not")
    if w.endswith("n't") and len(w) > 3:
        stem = w[:-3]
        return (_NOT_STEMS.get(stem, stem), "not")
    for suffix, full in _CONTRACTIONS.items():
        if w.endswith(suffix) and len(w) > len(suffix):
            return (w[: -len(suffix)], full)
    if w.endswith("'s") and w[:-2] in _S_IS:
        return (w[:-2], "is")
    if w == "let's":
        return ("let", "us")
    if w in _SMALL_NUMBERS:
        return (_SMALL_NUMBERS[w],)
    return (spelling_key(w),)


def tokenize(text: str) -> Tokens:
    """Comparison tokens of ``text`` with their spans, editorial marks and ellipsis gaps."""
    out: list[Token] = []
    gaps: set[int] = set()
    ellipses = [m.start() for m in _ELLIPSIS.finditer(text)]
    e = 0
    depth: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        between = text[pos:m.start()]
        while e < len(ellipses) and ellipses[e] < m.start():
            gaps.add(len(out))
            e += 1
        if _BRACKET_CHARS.intersection(between):
            for ch in between:
                if ch in _BRACKETS:
                    depth.append(_BRACKETS[ch])
                elif depth and ch == depth[-1]:
                    depth.pop()
        sentence_start = not out
        if out and _END_CHARS.intersection(between):
            sep = _ELLIPSIS.sub("", between)
            if sep.startswith(".") and "." in text[out[-1].start:out[-1].end]:
                sep = sep[1:]  # the period closing an abbreviation ("U.S.") ends no sentence
            sentence_start = bool(_SENTENCE_END.search(sep))
        word = m.group(0)
        keys = _word_keys(word)
        # "per cent" is one word in most style guides.
        if keys == ("cent",) and out and out[-1].key == "per" and between.strip() == "":
            out[-1] = Token("percent", out[-1].start, m.end(), out[-1].editorial,
                            out[-1].sentence_start)
            pos = m.end()
            continue
        for k, key in enumerate(keys):
            if key:
                out.append(Token(key, m.start(), m.end(), bool(depth),
                                 sentence_start and k == 0))
        pos = m.end()
        if text.startswith("%", pos):
            out.append(Token("percent", pos, pos + 1, bool(depth)))
    if e < len(ellipses):
        gaps.add(len(out))
    return Tokens(text, out, gaps)


def normalise(text: str) -> str:
    """One string of comparison keys: what fuzzy matching compares."""
    return " ".join(tokenize(text).keys)


@dataclass
class DiffOp:
    """One step from the stored wording to the quoted wording."""

    op: str  # equal | delete | insert | replace | omit
    stored: str = ""  # stored words (original spelling)
    quote: str = ""  # quoted words (original spelling)
    stored_keys: list[str] = field(default_factory=list)
    quote_keys: list[str] = field(default_factory=list)
    at_ellipsis: bool = False  # the quotation marks this omission with an ellipsis
    editorial: bool = False  # only bracketed words on the changed side(s)
    position: str = ""  # for omit: "before" | "after" the quoted excerpt
    stored_span: tuple[int, int] = (0, 0)  # token index ranges [i, j) of each side
    quote_span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"op": self.op, "stored": self.stored, "quote": self.quote}
        if self.at_ellipsis:
            d["at_ellipsis"] = True
        if self.editorial:
            d["editorial"] = True
        if self.position:
            d["position"] = self.position
        return d


@dataclass
class WordDiff:
    ops: list[DiffOp]
    matched: int  # quoted words found in the stored quote, in order
    quote_len: int
    stored_len: int
    window_len: int  # stored words in the compared window (without the omitted ends)

    @property
    def similarity(self) -> float:
        """Dice overlap of the quotation with the stored window it covers (0..1)."""
        total = self.quote_len + self.window_len
        return 2.0 * self.matched / total if total else 1.0

    @property
    def changes(self) -> list[DiffOp]:
        return [o for o in self.ops if o.op in ("delete", "insert", "replace")]

    @property
    def omitted_before(self) -> list[str]:
        return [k for o in self.ops if o.op == "omit" and o.position == "before"
                for k in o.stored_keys]

    @property
    def omitted_after(self) -> list[str]:
        return [k for o in self.ops if o.op == "omit" and o.position == "after"
                for k in o.stored_keys]

    @property
    def truncated(self) -> bool:
        return any(o.op == "omit" for o in self.ops)

    @property
    def exact(self) -> bool:
        """Same words throughout (typography aside), no truncation."""
        return not self.truncated and not self.changes

    def to_list(self) -> list[dict[str, object]]:
        return [o.to_dict() for o in self.ops]


def _opcodes(b: list[str], a: list[str]) -> list[tuple[str, int, int, int, int]]:
    ops = SequenceMatcher(None, b, a, autojunk=False).get_opcodes()
    out: list[tuple[str, int, int, int, int]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        # A replace at either end that swallows more stored words than it replaces is a
        # truncation plus a change: split it so the excerpt logic sees the omission.
        if tag == "replace" and (i2 - i1) > (j2 - j1):
            extra = (i2 - i1) - (j2 - j1)
            if k == 0:
                out.append(("delete", i1, i1 + extra, j1, j1))
                out.append(("replace", i1 + extra, i2, j1, j2))
                continue
            if k == len(ops) - 1:
                out.append(("replace", i1, i2 - extra, j1, j2))
                out.append(("delete", i2 - extra, i2, j2, j2))
                continue
        out.append((tag, i1, i2, j1, j2))
    return out


def diff_tokens(stored: Tokens, quoted: Tokens) -> WordDiff:
    """Align a quotation with a stored quote; see the module doc."""
    b, a = stored.keys, quoted.keys
    raw = _opcodes(b, a)
    ops: list[DiffOp] = []
    matched = 0
    first_eq = next((k for k, o in enumerate(raw) if o[0] == "equal"), None)
    last_eq = max((k for k, o in enumerate(raw) if o[0] == "equal"), default=None)
    omitted = 0
    for k, (tag, i1, i2, j1, j2) in enumerate(raw):
        st, qt = stored.surface(i1, i2), quoted.surface(j1, j2)
        op = DiffOp(tag, st, qt, b[i1:i2], a[j1:j2], stored_span=(i1, i2), quote_span=(j1, j2))
        if tag == "equal":
            matched += i2 - i1
            op.stored, op.quote = st, qt
        elif tag == "delete" and first_eq is not None and (k < first_eq or k > last_eq):
            op.op = "omit"
            op.position = "before" if k < first_eq else "after"
            omitted += i2 - i1
        else:
            if tag == "delete":
                op.at_ellipsis = j1 in quoted.gaps
            q_side, s_side = quoted.tokens[j1:j2], stored.tokens[i1:i2]
            op.editorial = (bool(q_side) and all(t.editorial for t in q_side)) or (
                bool(s_side) and all(t.editorial for t in s_side))
        ops.append(op)
    return WordDiff(ops, matched, len(a), len(b), len(b) - omitted)


def diff_words(stored: str, quoted: str) -> WordDiff:
    return diff_tokens(tokenize(stored), tokenize(quoted))


def contains(stored: Tokens, quoted: Tokens) -> bool:
    """The quotation's words appear, contiguous and in order, in the stored quote."""
    a, b = quoted.keys, stored.keys
    if not a:
        return False
    n = len(a)
    first = a[0]
    return any(b[i:i + n] == a for i in range(len(b) - n + 1) if b[i] == first)


def render_plain(ops: list[DiffOp]) -> str:
    """A one-line text form: ``[-dropped-] {+added+}`` with omitted ends as ``…``."""
    parts: list[str] = []
    for o in ops:
        if o.op == "equal":
            parts.append(o.quote)
        elif o.op == "omit":
            parts.append("…")
        elif o.op == "delete":
            parts.append(f"[-{o.stored}-]")
        elif o.op == "insert":
            parts.append(f"{{+{o.quote}+}}")
        else:
            parts.append(f"[-{o.stored}-]{{+{o.quote}+}}")
    return " ".join(p for p in parts if p)
