"""Which quoted spans are quotes at all, which are fragments (partial), and the context shown
with each: the quote-span pass."""

from __future__ import annotations

import re
from typing import Any

from factcheck.attribution.common import (
    _AFTER_TITLE_RE,
    _CLOSING_PUNCT,
    _MINOR_WORDS,
    _NAMING_VERBS,
    _NO_COMPLEMENT_VERBS,
    _SCARE_FRAME_RE,
    _SENTENCE_END_RE,
    _TITLE_CUE_RE,
    _crude_lemma,
    _is_speech_word,
    _is_title_case,
)
from factcheck.cues import (
    PRONOUN_FEATURES,
)
from factcheck.quotemarks import QuoteSpan


class SpanRules:
    """A pass of the attributor (mixed into ``core._Attributor``)."""

    # set by core._Attributor
    text: str
    doc: Any

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
            return _crude_lemma(words[-1]) not in _NAMING_VERBS and (
                words[-1] not in _NO_COMPLEMENT_VERBS)
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
