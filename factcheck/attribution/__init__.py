"""Attributing direct quotes to their speakers, as a package of small passes.

- ``quotemarks`` (outside this package) finds the quoted spans;
- ``spans``: which spans are quotes at all, and which are fragments (partial);
- ``core``: cues in the spaCy parse (a speech verb governing the quote, one right after it,
  "according to X", a colon introduction, a short "he said." sentence) and their subjects;
- ``names``: name strings (titles split off, possessives, particles);
- ``descriptions``: definite descriptions ("the envoy", "the ministry") resolved to the person
  or body named earlier with that role;
- ``via``: "X quoted Y as saying", "Y told X": the outlet a quote came through;
- pronouns and short forms resolve to the fullest name in the article (``core``).

``attribute(article, doc)`` runs them all; it is a pure function of the text.
"""

from factcheck.attribution.core import _parse, attribute, attribute_many

__all__ = ["attribute", "attribute_many", "_parse"]
