"""Reading articles: files, directories, JSONL, HTML, stdin; metadata; boilerplate.

``read_inputs`` streams ``Article`` or ``IngestError`` items so one bad file never stops a
batch and a large JSONL file is never held in memory whole. Text is decoded (BOM, UTF-8,
then detection), line endings are normalised, and the result is the stored text that every
offset refers to. Reader comments, adverts, related-post lists and author boxes are found
and recorded as ``Article.excluded`` ranges: the text is kept as it was, nothing in those
ranges is attributed.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from .dates import find_date_in_text, normalise_date
from .pagedata import find_page_data
from .records import Article, IngestError

log = logging.getLogger(__name__)

# One article larger than this is refused, not read. Long texts are analysed in windows, so
# memory stays flat (~0.55 GB, measured up to 3 MB with claims) and time is linear: ~160
# CPU-seconds per MB with claims, so 10 MB is about half an hour of one core (bench_long,
# bench/RESULTS.md); larger texts are better split (one JSONL record per chapter).
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
MAX_SIDECAR_BYTES = 64 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_NAMES = {"metadata.json"}

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
]


_SURROGATE = re.compile("[\ud800-\udfff]")


class CorpusError(Exception):
    """An input that cannot be read as an article."""


@dataclass
class Metadata:
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    id: str | None = None


# -- decoding ---------------------------------------------------------------------------------

def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``head`` looks like BOM-less UTF-16 text, else None.

    Mostly-ASCII text in UTF-16 has a NUL in every other byte, on one side only; binary
    formats have NULs scattered on both sides.
    """
    sample = head[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd >= 0.4 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.4 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def sniff_binary(head: bytes) -> str | None:
    """Name the binary format of ``head`` or return None when it looks like text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # a Unicode BOM: text
    sample = head[:4096]
    nuls = sample.count(b"\x00")
    if not nuls or utf16_without_bom(head) is not None:
        return None
    # A stray NUL or two in a scraped text file is dropped by ``clean_text``; binary data
    # has them throughout, or among other control bytes.
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\x1b")
    if nuls > 2 + len(sample) // 100 or controls > len(sample) // 20:
        return "binary data (NUL bytes)"
    return None


# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]
# Western single-byte encodings, preferred in this order when detection cannot tell them
# apart: for news text cp1252 (a superset of latin-1's printable range) is the likely one.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: BOMs, BOM-less UTF-16, strict UTF-8, then detection.

    Never raises: undecodable bytes become U+FFFD rather than stopping a batch.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    utf16 = utf16_without_bom(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode(_legacy_encoding(data), errors="replace")


def _legacy_encoding(data: bytes) -> str:
    """The most plausible 8-bit encoding of ``data`` (not UTF-8)."""
    try:
        from charset_normalizer import from_bytes

        results = list(from_bytes(data))
    except Exception:  # detection is best effort; cp1252 below always decodes
        results = []
    if not results:
        return "cp1252"
    best = min(results, key=lambda r: (r.chaos, -r.coherence))
    # Short texts leave the detector with ties between Western code pages that decode
    # accented letters differently (cp1250 turns "à" into "ŕ"); break ties to the West.
    tied: set[str] = set()
    for r in results:
        if r.chaos <= best.chaos + 1e-6 and r.coherence >= best.coherence - 0.01:
            tied.add(r.encoding)
            tied.update(r.could_be_from_charset)
    for encoding in _WESTERN:
        if encoding in tied:
            try:
                data.decode(encoding)
                return encoding
            except UnicodeDecodeError:
                continue
    return best.encoding or "cp1252"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """The stored form of decoded text: one newline style, no NULs, no lone surrogates.

    Lone surrogates (from JSON ``\\ud800`` escapes) cannot be written as UTF-8, so SQLite
    and hashing would fail on them later; they become U+FFFD here, before any offset exists.
    """
    text = normalise_newlines(text).replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- header blocks and titles ---------------------------------------------------------------

_HEADER_LINE = re.compile(
    r"^(title|headline|source|publisher|outlet|date|published|url|link)\s*:\s*(.+)$", re.I
)
_HEADER_KEYS = {
    "title": "title", "headline": "title", "source": "source", "publisher": "source",
    "outlet": "source", "date": "published", "published": "published", "url": "url",
    "link": "url",
}


def split_header(text: str) -> tuple[Metadata, str]:
    """Read a ``Key: value`` header block at the very top of a text file, if any."""
    meta = Metadata()
    lines = text.split("\n")
    n = 0
    for line in lines:
        m = _HEADER_LINE.match(line.strip())
        if not m:
            break
        setattr(meta, _HEADER_KEYS[m.group(1).lower()], m.group(2).strip())
        n += 1
    # Only a real block counts: two or more keys, followed by a blank line or the end.
    if n >= 2 and (n == len(lines) or not lines[n].strip()):
        return meta, "\n".join(lines[n:]).lstrip("\n")
    return Metadata(), text


def guess_title(text: str) -> str | None:
    for line in text.split("\n")[:8]:
        line = line.strip()
        if not line:
            continue
        words = line.split()
        if 2 <= len(words) <= 20 and not line.endswith((".", "”", '"')):
            return line
        return None
    return None


# -- boilerplate ------------------------------------------------------------------------------

# A section heading that starts text which is not the article's own; it runs to the end.
_TAIL_MARKERS = re.compile(
    r"^\s*(?:"
    r"(?:\d+\s+)?comments?(?:\s*\(?\d+\)?)?"
    r"|comments are closed\.?"
    r"|(?:leave|post|add) a (?:comment|reply)"
    r"|related (?:posts|articles|stories|content|news)"
    r"|(?:read|see) (?:more|also)\s*:?"
    r"|more (?:from|on) .{0,40}"
    r"|you (?:may|might) also (?:like|be interested in)"
    r"|(?:advertisement|sponsored(?: content)?|promoted(?: stories)?)"
    r"|share this(?: article| story)?:?"
    r"|request information"
    r"|about (?:the author|[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} \d[\d,]* (?:articles|posts))"
    r"|subscribe to (?:our|the) newsletter.*"
    r")\s*$",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you['’]ll|you['’]re)\b", re.I)
_QUOTE_CHARS = "\"“”«»"


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![^\S\n]*\n)[^\n]+)*")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    # The look-ahead stays on one line: ``\s*`` there would rescan every following blank
    # line from each line start, quadratic on whitespace-heavy input.
    for m in _PARAGRAPH.finditer(text):
        spans.append((m.start(), m.end()))
    return spans


def _looks_like_promo(par: str) -> bool:
    stripped = par.strip()
    if not stripped:
        return True
    if any(q in stripped for q in _QUOTE_CHARS):
        return False
    words = stripped.split()
    titleish = len(words) <= 8 and sum(w[:1].isupper() for w in words) >= len(words) - 1
    return titleish or bool(_SECOND_PERSON.search(stripped))


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` that are not the article: trailing comment/related/advert blocks.

    A marker line ("Comments 19", "Related posts", "Request Information", "About X 123
    Articles") starts a block that runs to the end of the text. The block is extended back
    over promotional paragraphs just before it (short title-case taglines, text addressing
    the reader as "you" outside quotes), which is how adverts lead into their forms.
    """
    pars = _paragraphs(text)
    cut = None
    # A marker near the very top ("Comments" in a menu, a title) does not start the tail: it
    # must come after some article text (three paragraphs and 300 characters at least).
    for i, (start, end) in enumerate(pars):
        if i < 3 or start < 300:
            continue
        offset = start
        lines = text[start:end].split("\n")
        for j, line in enumerate(lines):
            if _TAIL_MARKERS.match(line):
                # Short lines just above the marker in the same block (a byline) go with it.
                if all(len(prev.split()) <= 5 for prev in lines[:j]):
                    offset = start
                cut = offset
                break
            offset += len(line) + 1
        if cut is not None:
            break
    if cut is None:
        return []
    idx = next(i for i, (s, e) in enumerate(pars) if s <= cut < e + 1)
    while idx > 0 and _looks_like_promo(text[pars[idx - 1][0]:pars[idx - 1][1]]):
        idx -= 1
        cut = pars[idx][0]
    # Author bylines directly above an "About X" box ("Niamh Harris") belong to it as well.
    return [(cut, len(text))]


# -- HTML -------------------------------------------------------------------------------------

class _HTMLExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
            "iframe", "button", "select", "template"}
    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "tr",
             "section", "article", "main", "figcaption", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self._skip = 0
        self._article_depth = 0
        self.parts: list[str] = []
        self.article_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
        if tag in ("article", "main"):
            self._article_depth += 1
        if tag in self.BLOCK:
            self._emit("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag == "br":
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in ("article", "main") and self._article_depth:
            self._article_depth -= 1
        if tag in self.BLOCK:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        self._emit(data)

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        if self._article_depth:
            self.article_parts.append(s)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def parse_html(raw: str) -> tuple[Metadata, str]:
    """Main text and metadata of an HTML page; scripts, navigation and forms dropped."""
    parser = _HTMLExtractor()
    parser.feed(raw)
    parser.close()
    body = _tidy("".join(parser.article_parts)) or _tidy("".join(parser.parts))
    m = parser.meta
    meta = Metadata(
        title=m.get("og:title") or m.get("twitter:title") or (parser.title.strip() or None),
        source=m.get("og:site_name") or m.get("publisher") or m.get("application-name"),
        published=(m.get("article:published_time") or m.get("datepublished")
                   or m.get("date") or m.get("pubdate") or m.get("dc.date")),
        url=m.get("og:url"),
    )
    return meta, body


# -- article assembly -------------------------------------------------------------------------

def make_article(text: str, article_id: str, meta: Metadata | None = None,
                 path: str | None = None) -> Article:
    """Build an ``Article`` from decoded text and whatever metadata is known."""
    meta = meta or Metadata()
    text = clean_text(text)
    header, text = split_header(text)
    if not text.strip():
        raise CorpusError("no article text")
    title = meta.title or header.title or guess_title(text)
    source = meta.source or header.source
    url = meta.url or header.url
    raw_date = meta.published or header.published
    published = normalise_date(raw_date) if raw_date else None
    inferred = False
    if published is None:
        published = find_date_in_text(text)
        inferred = published is not None
    return Article(
        id=clean_text(meta.id or article_id), text=text, title=_clean_opt(title),
        source=_clean_opt(source), published=published, published_inferred=inferred,
        url=_clean_opt(url), path=path, content_hash=content_hash(text),
        excluded=sorted(find_boilerplate(text) + find_page_data(text)),
    )


def _clean_opt(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def load_sidecar(path: Path) -> dict[str, Metadata]:
    """Read a metadata sidecar: ``{file name: {title, source, published, url}}``."""
    try:
        with open(path, "rb") as fh:
            raw = _read_limited(fh, MAX_SIDECAR_BYTES)
        data = json.loads(decode_bytes(raw))
    except CorpusError as exc:
        raise CorpusError(f"cannot read metadata: {exc}") from exc
    except PermissionError as exc:
        raise CorpusError("cannot read metadata: permission denied") from exc
    except OSError as exc:
        raise CorpusError(f"cannot read metadata: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CorpusError(f"cannot read metadata: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CorpusError("metadata must be a JSON object keyed by file name")
    out: dict[str, Metadata] = {}
    for name, rec in data.items():
        if isinstance(rec, dict):
            out[name] = Metadata(
                title=_str(rec.get("title")), source=_str(rec.get("source")),
                published=_str(rec.get("published") or rec.get("date")),
                url=_str(rec.get("url")),
            )
    return out


def _str(v: Any) -> str | None:
    if v is None or isinstance(v, dict | list):
        return None
    s = str(v).strip()
    return s or None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _read_limited(fh: BinaryIO, limit: int) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise CorpusError(_too_large(limit))
    return data


def _too_large(limit: int) -> str:
    return (f"larger than the {_mb(limit)} limit for one article; not read (split the text "
            "into several articles, e.g. one JSONL record per chapter or session)")


def read_file(path: Path, meta: Metadata | None = None,
              max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article | IngestError]:
    """Read one file: an article, or a JSONL stream of them. Never raises for bad input."""
    name = str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            yield IngestError(name, "not a regular file (a device, pipe or socket); not read")
            return
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            with open(path, "rb") as fh:
                yield from read_jsonl(fh, name, max_bytes)
            return
        # Refuse by size before reading a byte: a 200 MB file must not be pulled into memory.
        if st.st_size > max_bytes:
            yield IngestError(name, f"{_mb(st.st_size)} file is " + _too_large(max_bytes))
            return
        with open(path, "rb") as fh:
            data = _read_limited(fh, max_bytes)
    except CorpusError as exc:
        yield IngestError(name, str(exc))
        return
    except PermissionError:
        yield IngestError(name, "permission denied")
        return
    except OSError as exc:
        yield IngestError(name, f"cannot read: {exc.strerror or exc}")
        return
    yield _guarded(lambda: article_from_bytes(data, path.name, meta, name, suffix=suffix), name)


def _guarded(build: Any, name: str) -> Article | IngestError:
    """Run ``build``; any failure becomes an ``IngestError`` so the batch goes on."""
    try:
        return build()  # type: ignore[no-any-return]
    except CorpusError as exc:
        return IngestError(name, str(exc))
    except Exception as exc:  # a reader bug must cost one input, not the whole batch
        log.debug("reading %s failed", name, exc_info=True)
        return IngestError(name, f"could not be read ({type(exc).__name__}: {exc})")


def article_from_bytes(data: bytes, article_id: str, meta: Metadata | None, name: str,
                       suffix: str = "") -> Article:
    if not data.strip():
        raise CorpusError("empty file")
    what = sniff_binary(data[:8192])
    if what:
        raise CorpusError(f"not a text article: looks like {what}")
    text = decode_bytes(data)
    if not text.strip():
        raise CorpusError("empty file (only whitespace)")
    head = text.lstrip()[:500].lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        html_meta, body = parse_html(text)
        if len(body.split()) < 5:
            raise CorpusError("HTML page with no article text (only scripts, styles or menus)")
        merged = Metadata(
            title=(meta and meta.title) or html_meta.title,
            source=(meta and meta.source) or html_meta.source,
            published=(meta and meta.published) or html_meta.published,
            url=(meta and meta.url) or html_meta.url,
            id=meta.id if meta else None,
        )
        return make_article(body, article_id, merged, name)
    return make_article(text, article_id, meta, name)


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of ``fh``; a line longer than ``limit`` comes back as None, unread.

    ``readline(limit + 1)`` bounds memory: a multi-GB file with no newline is skipped in
    1 MB steps instead of being read whole.
    """
    lineno = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def _decode_line(raw: bytes, first: bool) -> str:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw)


def read_jsonl(fh: BinaryIO, name: str,
               max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article | IngestError]:
    """Stream JSONL records ``{"id", "text", "title", "source", "published", "url"}``.

    Bad lines are reported with their line number; good lines go through. Memory stays
    bounded by ``max_bytes`` per line whatever the file size.
    """
    for lineno, raw in _lines(fh, max_bytes):
        where = f"{name}:{lineno}"
        if raw is None:
            yield IngestError(where, "line is " + _too_large(max_bytes))
            continue
        line = _decode_line(raw, lineno == 1)
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            yield IngestError(where, f"malformed JSON ({msg}" + (f" at column {col})"
                                                                   if col else ")"))
            continue
        except RecursionError:
            yield IngestError(where, "malformed JSON (nested too deeply)")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield IngestError(where, 'record has no "text" string')
            continue
        if not rec["text"].strip():
            yield IngestError(where, 'record has an empty "text"')
            continue
        rid = _str(rec.get("id")) or f"{Path(name).name}:{lineno}"
        meta = Metadata(
            title=_str(rec.get("title")), source=_str(rec.get("source")),
            published=_str(rec.get("published") or rec.get("date")), url=_str(rec.get("url")),
            id=rid,
        )
        yield _guarded(lambda r=rec, i=rid, m=meta, w=where: make_article(r["text"], i, m, w),
                       where)


class _Prefixed(io.RawIOBase):
    """A binary stream: ``head`` bytes already read, then the rest of ``fh``."""

    def __init__(self, head: bytes, fh: BinaryIO) -> None:
        self._head = head
        self._fh = fh

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._fh.read(len(buf))
        buf[:len(data)] = data
        return len(data)


def _read_stdin(fh: BinaryIO, max_bytes: int) -> Iterator[Article | IngestError]:
    head = fh.read(64 * 1024)
    if head.lstrip().startswith(b"{"):
        # JSONL on stdin is streamed like a file: no size limit on the whole stream.
        stream = io.BufferedReader(_Prefixed(head, fh))
        yield from read_jsonl(stream, "<stdin>", max_bytes)  # type: ignore[arg-type]
        return
    data = head + fh.read(max_bytes + 1 - len(head))
    if len(data) > max_bytes:
        yield IngestError("<stdin>", "input is " + _too_large(max_bytes))
        return
    aid = "stdin-" + hashlib.sha256(data).hexdigest()[:12]
    yield _guarded(lambda: article_from_bytes(data, aid, None, "<stdin>"), "<stdin>")


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """Files under ``root`` in a stable order; hidden files and directories skipped.

    Symlinked directories are not followed (a link loop must not hang a batch); an
    unreadable subdirectory is reported, not fatal.
    """
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            e = errors.pop()
            yield IngestError(str(e.filename or dirpath), "cannot list directory: "
                              + ("permission denied" if isinstance(e, PermissionError)
                                 else e.strerror or str(e)))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname.startswith(".") or fname in SIDECAR_NAMES:
                continue
            yield Path(dirpath) / fname
    for e in errors:
        yield IngestError(str(e.filename or root), "cannot list directory: "
                          + ("permission denied" if isinstance(e, PermissionError)
                             else e.strerror or str(e)))


def _unsupported(path: Path) -> str:
    what = None
    try:
        with open(path, "rb") as fh:
            what = sniff_binary(fh.read(64))
    except OSError:
        pass
    kind = f"looks like {what}" if what else f"unsupported file type {path.suffix.lower()!r}"
    return f"not read: {kind} (factcheck reads .txt, .md, .html and .jsonl)"


def count_articles(paths: Iterable[str]) -> int | None:
    """How many articles ``paths`` will yield, when that is knowable without reading them.

    For a progress bar's total: None as soon as stdin or a JSONL file is involved (their
    record counts are unknown until read).
    """
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        files = [p for p in _walk(path) if isinstance(p, Path)] if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() in JSONL_SUFFIXES:
                return None
            total += 1
    return total


def read_inputs(paths: Iterable[str], metadata: str | Path | None = None,
                max_bytes: int = MAX_ARTICLE_BYTES,
                stdin: BinaryIO | None = None) -> Iterator[Article | IngestError]:
    """Stream articles (or errors) from paths: files, directories, or ``-`` for stdin.

    A directory's own ``metadata.json`` is used as its sidecar unless ``metadata`` is given.
    Every problem becomes an ``IngestError`` naming the input; nothing here raises for bad
    input, so one bad file never stops a batch.
    """
    for item in input_items(paths, metadata, max_bytes, stdin):
        if isinstance(item, tuple):
            yield from read_file(item[0], item[1], max_bytes)
        else:
            yield item


def input_items(paths: Iterable[str], metadata: str | Path | None = None,
                max_bytes: int = MAX_ARTICLE_BYTES, stdin: BinaryIO | None = None
                ) -> Iterator[tuple[Path, Metadata | None] | Article | IngestError]:
    """What ``read_inputs`` reads, in its order, before any file is opened: ``(file, its
    metadata)`` for each file (``read_file`` reads it), stdin's articles, and errors.

    The Ray engine reads the files in its workers from this plan.
    """
    sidecar: dict[str, Metadata] = {}
    if metadata is not None:
        try:
            sidecar = load_sidecar(Path(metadata))
        except CorpusError as exc:
            yield IngestError(str(metadata), str(exc))
    for raw in paths:
        if raw == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:  # e.g. a name too long for the file system
            yield IngestError(raw, f"cannot access: {exc.strerror or exc}")
            continue
        if not exists:
            yield IngestError(raw, "no such file or directory")
            continue
        if not is_dir:
            yield path, sidecar.get(path.name)
            continue
        local = dict(sidecar)
        own = path / "metadata.json"
        if not sidecar and own.is_file():
            try:
                local = load_sidecar(own)
            except CorpusError as exc:
                yield IngestError(str(own), str(exc))
        found = False
        for child in _walk(path):
            if isinstance(child, IngestError):
                yield child
                continue
            suffix = child.suffix.lower()
            if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
                yield IngestError(str(child), _unsupported(child))
                continue
            found = True
            rel = child.relative_to(path).as_posix()
            yield child, local.get(rel) or local.get(child.name)
        if not found:
            yield IngestError(raw, "directory holds no articles (.txt, .md, .html, .jsonl)")
