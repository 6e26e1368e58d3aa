"""Escaping article text for the terminal, HTML, Markdown and CSV.

Articles come from anywhere: a quote may hold ``<script>``, a Markdown link, a table pipe,
a heading mark, or terminal escape sequences (colour, clear screen, a window title, a
hyperlink) and bidi overrides that make text read backwards. Every text that came from an
article, its metadata or a file name goes through one of these before it is shown, so it is
shown as written and never interpreted. JSON, HTML and Markdown keep the exact data (a
browser does not run escape codes); what is written to a terminal, and CSV cells, get
``escape_terminal``.
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


# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# bidi controls (embeddings, overrides, isolates, marks) that reorder what follows them.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069]")
_UNSAFE_LINES = re.compile("[\n\t]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_terminal(text: object, newlines: bool = True) -> str:
    """``text`` with every control and bidi character shown as a visible escape.

    ESC becomes ``\\x1b``, RLO ``\\u202e``: an escape sequence or override in an article
    is printed as characters, never run by the terminal. Tab and newline stay unless
    ``newlines`` is False (then they are escaped too, for one-line messages).
    """
    if text is None:
        return ""
    s = str(text)
    s = _UNSAFE.sub(_visible, s)
    if not newlines:
        s = _UNSAFE_LINES.sub(_visible, s)
    return s


# JSON escapes C0 controls itself; C1 controls and bidi overrides it would write raw.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_json(text: str) -> str:
    """JSON text with C1 and bidi controls as ``\\uXXXX``: the same data, inert on a terminal.

    These characters can only stand inside JSON strings, where the escape means the same.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


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
