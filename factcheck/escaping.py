"""Escaping article text for HTML and Markdown output.

Articles come from anywhere: a quote may hold ``<script>``, a Markdown link, a table pipe or
a heading mark. Every text that came from an article goes through one of these before it is
written into a report, so it is shown as written and never interpreted.
"""

from __future__ import annotations

import html
import re

# Marks that mean something wherever they stand (emphasis, code, links, tables, strikeout,
# math in some renderers). "(" and ")" need nothing once "[" and "]" are escaped.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]|~#$])")
# Marks that mean something only at the start of a line: lists, quotes, setext headings.
_MD_ORDERED = re.compile(r"^([ \t]*\d+)([.)])", re.M)
_MD_BULLET = re.compile(r"^([ \t]*)([-+=])", re.M)


def escape_html(text: object) -> str:
    """``text`` safe inside HTML element content and quoted attribute values."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object, inline: bool = True) -> str:
    """``text`` shown literally in Markdown, also inside a table cell.

    Marks with a Markdown meaning get a backslash; ``&``, ``<`` and ``>`` become entities, so
    raw HTML and autolinks are shown, not run. With ``inline`` (the default) newlines become
    spaces, so a quote cannot break out of a table row or a list item; ``inline=False``
    keeps the lines (and escapes list and heading marks at their starts).
    """
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if inline:
        s = " ".join(s.split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_ANYWHERE.sub(r"\\\1", s)
    s = _MD_ORDERED.sub(r"\1\\\2", s)
    s = _MD_BULLET.sub(r"\1\\\2", s)
    return s
