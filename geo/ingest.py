"""Read news articles from plain text, HTML and JSON Lines into :class:`~geo.models.Article`.

Everything downstream reports character offsets into ``Article.text``, so this module keeps the
decoded text exactly as it was: a byte-order mark is dropped, newlines are never translated, and
a leading ``date YYYY-MM[-DD]`` header stays in the text (it is parsed into ``Article.date`` and
the first sentence starts after it). HTML is the one exception: its ``Article.text`` is the
readable text extracted from the markup, and offsets index that.

Formats are recognised by content as well as by extension:

- **JSON Lines** (``.jsonl``/``.ndjson``, or a file whose first line is a JSON object): one
  article per line, ``{"id", "title", "date", "url", "text"}``; a ``.json`` file may also hold
  one such object or an array of them. A bad line does not stop the good ones: see
  :func:`read_articles` and :class:`PartialInputError`.
- **HTML** (``.html``/``.htm`` or markup at the start of the file).
- **Plain text**: anything else that decodes to text.

Decoding follows one fixed order (see :func:`decode_bytes`), so the same bytes always give the
same text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from geo.errors import InputError
from geo.models import Article, Sentence

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PartialInputError",
    "article_from_text",
    "decode_bytes",
    "detect_format",
    "max_article_bytes",
    "parse_date_header",
    "read_article",
    "read_articles",
    "split_sentences",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest article (a text/HTML file, or one JSON Lines record) read by default: 20 MB."""

MAX_ENV = "STRIKEMAP_MAX_ARTICLE_MB"
"""Environment variable that overrides :data:`DEFAULT_MAX_BYTES` (in megabytes)."""

JSON_FILE_FACTOR = 50
"""A whole-file JSON (array) document may be this many times the per-article limit."""

SUPPORTED = "strikemap reads plain text, HTML or JSON Lines (UTF-8, UTF-16 or cp1252)"

TITLE_MAX_CHARS = 120

# ----------------------------------------------------------------------------------- limits


class PartialInputError(InputError):
    """Some records of a JSON Lines/JSON file were unusable; the good ones are in ``articles``.

    Raised by :func:`read_articles` only when the caller passed no ``errors`` list, so that a
    bad line is never silently dropped. ``problems`` holds one message per bad record.
    """

    def __init__(self, message: str, *, articles: list[Article], problems: list[str]) -> None:
        super().__init__(message)
        self.articles = articles
        self.problems = problems


def max_article_bytes(max_bytes: int | None = None) -> int:
    """Return the per-article size limit in bytes.

    Parameters
    ----------
    max_bytes
        Explicit limit; wins when given. Otherwise ``$STRIKEMAP_MAX_ARTICLE_MB`` (megabytes,
        may be fractional), otherwise :data:`DEFAULT_MAX_BYTES`.

    Raises
    ------
    InputError
        When the limit is not a positive number.
    """
    if max_bytes is not None:
        if max_bytes <= 0:
            raise InputError(f"max_bytes must be positive, got {max_bytes}")
        return int(max_bytes)
    raw = os.environ.get(MAX_ENV)
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0:
        raise InputError(
            f"${MAX_ENV}={raw!r} is not a positive number of megabytes; unset it or use e.g. 50"
        )
    return int(megabytes * 1024 * 1024)


def _size(n_bytes: int) -> str:
    """Return a short human size: ``1.3 MB``, ``20 MB``, ``10 KB``, ``512 bytes``."""
    if n_bytes >= 1048576:
        return f"{n_bytes / 1048576:.1f}".removesuffix(".0") + " MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes} bytes"


def _too_large(source: str, size: int | None, limit: int) -> InputError:
    what = "the input" if size is None else _size(size)
    return InputError(
        f"{source}: {what} is over the {_size(limit)} limit for one "
        f"article; split it into several files (or JSON Lines), or raise the limit with "
        f"${MAX_ENV} / --max-mb"
    )


# ---------------------------------------------------------------------------------- decoding

# Lookup table of file signatures that mean "this is not text". Order matters only for prefixes.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "PDF", "extract its text first, e.g. `pdftotext FILE.pdf`"),
    (b"PK\x03\x04", "ZIP archive, e.g. .docx/.odt/.epub", "save or export it as plain text first"),
    (b"PK\x05\x06", "empty ZIP archive", "save or export it as plain text first"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "legacy Office document, e.g. .doc",
        "save it as plain text first",
    ),
    (b"\x89PNG\r\n\x1a\n", "PNG image", "run OCR on it first"),
    (b"\xff\xd8\xff", "JPEG image", "run OCR on it first"),
    (b"GIF87a", "GIF image", "run OCR on it first"),
    (b"GIF89a", "GIF image", "run OCR on it first"),
    (b"\x1f\x8b", "GZIP", "decompress it first, e.g. `gunzip FILE.gz`"),
    (b"BZh", "BZIP2", "decompress it first, e.g. `bunzip2 FILE.bz2`"),
    (b"\xfd7zXZ\x00", "XZ", "decompress it first, e.g. `unxz FILE.xz`"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", "extract it first"),
    (b"\x7fELF", "executable", "pass an article file instead"),
    (b"SQLite format 3\x00", "SQLite database", "export the articles as JSON Lines first"),
    (b"{\\rtf", "RTF document", "save it as plain text first"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# C0 controls that never occur in text (tab, newlines, form feed, vertical tab, escape and the
# DOS end-of-file mark 0x1A do, in old files).
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_SNIFF_CHARS = 65536

# Characters a Western-European cp1252 text plausibly contains besides ASCII letters.
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
_ASCII_LETTER = re.compile(r"[a-zA-Z]")


def _binary_error(source: str, kind: str, hint: str) -> InputError:
    return InputError(f"{source}: looks like a binary file ({kind}); {SUPPORTED}; {hint}")


def _check_magic(data: bytes, source: str) -> None:
    for magic, kind, hint in _MAGIC:
        if data.startswith(magic):
            if magic == b"BZh" and data[4:10] != b"1AY&SY":
                continue
            raise _binary_error(source, kind, hint)


# The same characters as bytes. Each is one byte of UTF-8, and no other character's UTF-8 has a
# byte below 0x80, so deleting them from the encoded text counts them: in C, 2x faster than
# a regex scan.
_BAD_CONTROL_BYTES = bytes(c for c in range(0x20) if _BAD_CONTROLS.match(chr(c)))


def _check_controls(text: str, source: str) -> None:
    sample = text[:_SNIFF_CHARS]
    encoded = sample.encode("utf-8", "surrogatepass")
    bad = len(encoded) - len(encoded.translate(None, _BAD_CONTROL_BYTES))
    if bad and (bad >= 4 and bad > len(sample) / 100 or "\x00" in sample):
        raise _binary_error(
            source,
            f"{bad} control characters in the first {len(sample)}",
            "pass a text file instead",
        )


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the NUL bytes sit where UTF-16 puts them, else None."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    zero_even = sample[0 : 2 * pairs : 2].count(0)
    zero_odd = sample[1 : 2 * pairs : 2].count(0)
    # Latin-script UTF-16 has a NUL as the high byte of almost every character.
    if zero_odd >= 0.3 * pairs and zero_even <= 0.02 * pairs:
        return "utf-16-le"
    if zero_even >= 0.3 * pairs and zero_odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _decode_strict(data: bytes, encoding: str, source: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{source}: {why}, but byte {err.start} is not valid {encoding} ({err.reason}); "
            "re-save the file as UTF-8"
        ) from err


def _looks_western(text: str) -> bool:
    """Return True when the non-ASCII letters are a plausible minority (accents in Dutch, ...).

    Cyrillic or Greek bytes decoded as cp1252 also give letters (``Èðàí``), but then nearly
    every letter is non-ASCII.
    """
    sample = text[:_SNIFF_CHARS]
    other = len(_NON_ASCII_LETTER.findall(sample))
    if not other:
        return True
    ascii_letters = len(_ASCII_LETTER.findall(sample))
    return other <= 0.3 * (other + ascii_letters)


def _legacy_decode(data: bytes, source: str) -> str:
    try:
        cp1252: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if cp1252 is not None and _looks_western(cp1252):
        return cp1252
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        best = None
    else:
        best = from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    if cp1252 is not None:
        return cp1252
    # Latin-1 maps every byte; only cp1252's five undefined bytes got us here.
    return data.decode("latin-1")


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode the bytes of one text file, refusing binary files.

    The order is fixed, so the same bytes always give the same text:

    1. file signatures of binary formats (PDF, ZIP/.docx, PNG, JPEG, GZIP, ...) raise;
    2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides, and the mark is dropped;
    3. NUL bytes in the UTF-16 pattern (every other byte) mean UTF-16 without a mark; other NUL
       bytes mean a binary file;
    4. strict UTF-8;
    5. cp1252 when its non-ASCII letters are a plausible minority (Western European text),
       otherwise charset-normalizer's best guess (Cyrillic, Greek, ...), otherwise cp1252 or
       Latin-1.

    Newlines are never translated, so offsets into the result are offsets into the file's text.

    Parameters
    ----------
    data
        The raw bytes.
    source
        Name used in error messages (the path as given, or ``"-"``).

    Returns
    -------
    str
        The decoded text, without a byte-order mark.

    Raises
    ------
    InputError
        For empty, whitespace-only or binary input, or bytes that contradict their byte-order
        mark.

    Examples
    --------
    >>> decode_bytes("Syrië".encode("utf-16"), source="x")
    'Syrië'
    >>> decode_bytes("Syrië €5".encode("cp1252"), source="x")
    'Syrië €5'
    """
    if not data:
        raise InputError(f"{source}: the file is empty; pass a file that contains an article")
    _check_magic(data, source)
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_strict(
                data[len(bom) :], encoding, source, f"it starts with a {encoding} byte-order mark"
            )
            break
    if text is None and b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise _binary_error(source, "NUL bytes", "pass a text file instead")
        text = _decode_strict(data, utf16, source, f"its NUL bytes look like {utf16}")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            _check_controls(data[:_SNIFF_CHARS].decode("latin-1"), source)
            text = _legacy_decode(data, source)
    _check_controls(text, source)
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise InputError(
            f"{source}: the file holds only whitespace; pass a file that contains an article"
        )
    return text


# ------------------------------------------------------------------------------ date header

_DATE_HEADER = re.compile(
    r"\s*date:?[ \t]+(\d{4})-(\d{2})(?:-(\d{2}))?(?![\w-])[ \t]*(?:\r\n|\r|\n)?", re.IGNORECASE
)
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s+Z.:])")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        return f"{year}-{month}"
    if not 1 <= int(day) <= _DAYS_IN_MONTH[int(month) - 1]:
        return None
    return f"{year}-{month}-{day}"


def parse_date_header(text: str) -> tuple[str | None, int]:
    """Return ``(date, body_start)`` for a leading ``date YYYY-MM[-DD]`` header.

    The header may follow leading whitespace and be followed by the text on the same line or on
    the next. Without a (valid) header the result is ``(None, 0)``.

    Examples
    --------
    >>> parse_date_header(" date 2024-01 Iran heeft ...")
    ('2024-01', 14)
    >>> parse_date_header("date 2024-01-16\\nIran heeft ...")
    ('2024-01-16', 16)
    >>> parse_date_header("Iran heeft ...")
    (None, 0)
    """
    match = _DATE_HEADER.match(text)
    if not match:
        return None, 0
    date = _iso(*match.groups())
    if date is None:
        return None, 0
    return date, match.end()


def normalize_date(value: Any) -> str | None:
    """Return the ISO 8601 date prefix (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) of ``value``.

    >>> normalize_date("2024-01-16T08:30:00Z")
    '2024-01-16'
    >>> normalize_date("yesterday") is None
    True
    """
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    return _iso(*match.groups()) if match else None


# -------------------------------------------------------------------------------- sentences

# Never end a sentence: titles and abbreviations that a name or more text always follows.
_NEVER_END = frozenset(
    """
    dr drs mr mrs ms mevr dhr prof ir ing st gen lt col sgt capt cpt maj adm cmdr gov govs
    rep reps sen sens rev fr hon pres supt insp det mt ft
    e.g i.e cf vs viz approx ca resp vgl zgn zg bijv bv o.a i.p.v d.w.z m.a.w t.o.v m.b.t
    o.m a.s jl z.g i.v.m n.a.v m.i.v c.q p.a t.a.v mln mld ong
    """.split()
)
# Abbreviations that may also end a sentence; they do when a typical sentence opener follows.
# US states as AP datelines write them ("HELENA, Mont. (AP)"), minus ordinary words (Ill., Mass.).
_MAYBE_END = frozenset(
    """
    jan feb mar apr jun jul aug sep sept oct okt nov dec
    inc ltd co corp bros etc enz a.m p.m jr sr al ave blvd
    ala ariz ark calif colo conn del fla ga ind kan kans ky la md mich minn mo
    mont neb nev okla pa tenn tex vt va wis wyo w.va d-w.va
    """.split()
)
_NUMBER_ABBR = frozenset("no nos nr nrs art vol p pp fig blz ch sec".split())
_STARTERS = frozenset(
    """
    The A An In On At He She It They We I You This That These Those But And Or So Yet However
    Its His Her Their There Here Meanwhile According After Before When While Although Officials
    Police Mr Mrs Ms Dr
    De Het Een Hij Zij Ze Wij We Dat Die Deze Dit Maar En Of Er Volgens Ook Toen Bij Na Voor Met
    Daarna Daarom Intussen Tegelijk Hun Zijn Haar Als Wat Wie Waar
    """.split()
)
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
# A run of terminators and closing quotes/brackets that whitespace (or the end) follows: "3.5",
# "U.S.-led" and "website.nl" are never candidates.
_TERMINATORS = re.compile(
    r"""[.!?\u2026\u203d][.!?\u2026\u203d"'\u201d\u2019\u00bb)\]]*(?=\s|\Z)"""
)
# The same candidates, each with the whitespace after it and the next character (empty at the
# end of the segment): what the rules look at first, found by the same search.
_CANDIDATE = re.compile(_TERMINATORS.pattern + r"(?=(\s*)(\S?))")
_NON_SPACE = re.compile(r"\S")
_OPEN_PUNCT = frozenset("\"'\u201c\u2018\u201e\u201a\u00ab([\u00bf\u00a1-\u2013\u2014\u2022*#")
_LEADING_PUNCT = "\"'\u201c\u2018\u201e\u201a\u00ab(["
_LINE = re.compile(r"[^\r\n\u2028\u2029]*")
_BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u00b7\u2013\u2014][ \t]+|\d{1,3}[.)][ \t]+)")
# A line break ends a sentence when the next line is not lowercase and the line stopped more than
# _WRAP_SLACK characters short of the paragraph's longest line (a heading such as "Separatisten
# in Beloetsjistan", a dateline, a list), or when the paragraph has a line longer than _WRAP_MAX
# (then it is not hard-wrapped prose, and every line was ended on purpose).
_WRAP_SLACK = 20
_WRAP_MAX = 120


def _is_opener(char: str) -> bool:
    return (
        char.isupper()
        or char.isdigit()
        or char in _OPEN_PUNCT
        or (char.isalpha() and not char.islower())
    )


class _Openers(dict[str, bool]):
    """``_is_opener`` of every character seen so far (a dict lookup is cheaper than a call)."""

    def __missing__(self, char: str) -> bool:
        value = self[char] = _is_opener(char)
        return value


_OPENERS = _Openers()


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every line in ``text[start:end]``, without line breaks."""
    pos = start
    while pos <= end:
        match = _LINE.match(text, pos, end)
        assert match is not None  # the pattern matches the empty string
        yield pos, match.end()
        pos = match.end()
        if pos >= end:
            break
        pos += 2 if text.startswith("\r\n", pos) else 1


def _paragraphs(text: str, start: int, end: int) -> Iterator[list[tuple[int, int]]]:
    block: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text, start, end):
        if text[line_start:line_end].strip():
            block.append((line_start, line_end))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _paragraph_lines(text: str, start: int) -> list[list[tuple[int, int]]]:
    """:func:`_paragraphs` of ``text[start:]``, by ``str.split`` when lines end in ``\\n`` only."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        return list(_paragraphs(text, start, len(text)))
    paragraphs: list[list[tuple[int, int]]] = []
    block: list[tuple[int, int]] = []
    pos = start
    for line in text[start:].split("\n"):
        end = pos + len(line)
        if line and not line.isspace():
            block.append((pos, end))
        elif block:
            paragraphs.append(block)
            block = []
        pos = end + 1
    if block:
        paragraphs.append(block)
    return paragraphs


def _segments(text: str, lines: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Split one paragraph at the line breaks that end a sentence (headings, list items)."""
    lengths = [len(text[s:e].rstrip()) for s, e in lines]
    width = max(lengths)
    seg_start = lines[0][0]
    for i in range(len(lines) - 1):
        next_start, next_end = lines[i + 1]
        nxt = text[next_start:next_end].lstrip()
        breaks = bool(_BULLET.match(text, next_start, next_end)) or (
            not nxt[:1].islower()
            # Hard-wrapped prose fills every line to about the same width; a line that stops
            # well short of it, or any line of unwrapped text, was ended on purpose.
            and (width > _WRAP_MAX or lengths[i] < width - _WRAP_SLACK)
        )
        if breaks:
            yield seg_start, lines[i][1]
            seg_start = next_start
    yield seg_start, lines[-1][1]


def _word_before(text: str, term_start: int, start: int) -> str:
    """The run of non-whitespace that ends at `term_start` (not before `start`)."""
    space = text.rfind(" ", start, term_start)
    prev = text[space + 1 if space >= 0 else start : term_start]
    if not prev.isprintable():  # every whitespace character is unprintable
        word_start = term_start
        while word_start > start and not text[word_start - 1].isspace():
            word_start -= 1
        prev = text[word_start:term_start]
    return prev


def _split_segment(text: str, seg_start: int, seg_end: int, sentences: list[Sentence]) -> None:
    """Append the sentences of one segment (a non-blank stretch of lines) to `sentences`."""
    first = _NON_SPACE.search(text, seg_start, seg_end)
    if first is None:
        return
    # `start` is where the current sentence starts: after whitespace, or at the segment's start,
    # so the word before a full stop never reaches back past it.
    start = first.start()
    openers = _OPENERS
    for match in _CANDIDATE.finditer(text, start, seg_end):
        space, nxt = match.groups()
        term_start, term_end = match.span()
        if not nxt:  # only whitespace up to the end of the segment
            sentences.append(Sentence(start, term_end))
            return
        if text[term_start] != "." or text.startswith("..", term_start, term_end):
            if openers[nxt]:
                sentences.append(Sentence(start, term_end))
                start = term_end + len(space)
            continue
        # A single full stop (possibly followed by closing quotes or brackets).
        prev = _word_before(text, term_start, start).lstrip(_LEADING_PUNCT)
        word = prev.lower()
        if word in _NEVER_END:
            continue
        if word in _NUMBER_ABBR and nxt.isdigit():
            continue
        if len(word) == 1 and word.isalpha():
            continue  # an initial: "J. Smith", "G.W. Bush"
        if word in _MAYBE_END or ("." in prev and _DOTTED.match(prev)):
            # "U.S. forces" vs. "bases in the U.S. The next day": only a typical opener ends it.
            nxt_pos = term_end + len(space)
            next_word_end = nxt_pos
            while next_word_end < seg_end and text[next_word_end].isalpha():
                next_word_end += 1
            if not (text[nxt_pos:next_word_end] in _STARTERS or "\n" in space):
                continue
        elif not openers[nxt]:
            continue
        sentences.append(Sentence(start, term_end))
        start = term_end + len(space)
    tail = text[start:seg_end].rstrip()
    if tail:
        sentences.append(Sentence(start, start + len(tail)))


def split_sentences(text: str, start: int = 0) -> tuple[Sentence, ...]:
    """Split ``text[start:]`` into sentences, as offsets into ``text``.

    Works for Dutch and English news: a sentence ends at ``.``, ``!``, ``?`` or an ellipsis
    (with any closing quotes or brackets) followed by a capitalised word, a digit or an opening
    quote. Abbreviations (``dr.``, ``mr.``, ``bijv.``, ``o.a.``, ``i.e.``, ``St.``) and initials do
    not end one; dotted acronyms and month abbreviations (``U.S.``, ``U.N.``, ``Jan.``) end one
    only before a typical opener (``The``, ``De``, ...). A blank line, a list item and a heading
    line (a short line without final punctuation, or any line of text that is not hard-wrapped)
    also end a sentence. Decimals (``3.5``) never split.

    Parameters
    ----------
    text
        The whole article text.
    start
        Offset where the body starts (after a date header, see :func:`parse_date_header`).

    Returns
    -------
    tuple of Sentence
        In text order; each has surrounding whitespace trimmed and is non-empty.

    Examples
    --------
    >>> text = "Dr. Smith flew to the U.S. on Jan. 5. He met 3.5 million people.\\n\\nNext"
    >>> [text[s.start : s.end] for s in split_sentences(text)]
    ['Dr. Smith flew to the U.S. on Jan. 5.', 'He met 3.5 million people.', 'Next']
    """
    sentences: list[Sentence] = []
    for paragraph in _paragraph_lines(text, start):
        if len(paragraph) == 1:  # most paragraphs are one line: the line is the segment
            _split_segment(text, *paragraph[0], sentences)
            continue
        for seg_start, seg_end in _segments(text, paragraph):
            _split_segment(text, seg_start, seg_end, sentences)
    return tuple(sentences)


# ---------------------------------------------------------------------------------- articles


def _text_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _detect_language(text: str) -> str | None:
    try:
        from geo.language import detect_language
    except ImportError:  # written by another engineer; articles still load without it
        return None
    language = detect_language(text[:20000])
    return None if not language or language == "und" else language


def _title_from(text: str, sentences: tuple[Sentence, ...]) -> str:
    if not sentences:
        return ""
    first = " ".join(text[sentences[0].start : sentences[0].end].split())
    if len(first) <= TITLE_MAX_CHARS:
        return first
    cut = first[: TITLE_MAX_CHARS - 1]
    if " " in cut[TITLE_MAX_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "\u2026"


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    id: str | None = None,
    path: str | None = None,
    language: str | None = None,
) -> Article:
    """Build an :class:`Article` from decoded text.

    A leading ``date YYYY-MM[-DD]`` header stays in ``text``; it gives ``Article.date`` when
    ``date`` is not passed, and sentences start after it.

    Parameters
    ----------
    text
        The article text, exactly as offsets should index it.
    title
        Defaults to the first sentence, shortened to about 120 characters.
    date
        ISO 8601, partial allowed (``2024``, ``2024-01``, ``2024-01-16``); a longer timestamp is
        cut to its date.
    url, path
        Where the article came from; ``path`` is the input path exactly as given.
    id
        Defaults to the first 16 hex digits of the SHA-1 of ``text`` (stable across runs).
    language
        ``"nl"``, ``"en"``, ...; detected with :func:`geo.language.detect_language` when omitted.

    Raises
    ------
    InputError
        When ``text`` is empty or only whitespace.
    """
    if not isinstance(text, str):
        raise InputError(f"{path or 'article'}: text must be a string, got {type(text).__name__}")
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise InputError(f"{path or 'article'}: the text is empty; pass an article with some text")
    header_date, body_start = parse_date_header(text)
    sentences = split_sentences(text, body_start)
    given_date = normalize_date(date) if date else None
    if date and given_date is None:
        warnings.warn(
            f"{path or 'article'}: date {date!r} is not ISO 8601 (YYYY[-MM[-DD]]); ignored",
            UserWarning,
            stacklevel=2,
        )
    return Article(
        id=str(id) if id not in (None, "") else _text_id(text),
        title=" ".join(title.split()) if title and title.strip() else _title_from(text, sentences),
        date=given_date or header_date,
        text=text,
        url=url or None,
        path=path,
        language=language or _detect_language(text),
        sentences=sentences,
    )


# ------------------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset(
    "script style nav header footer aside noscript template svg iframe form button select "
    "textarea head object canvas".split()
)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article main figure "
    "figcaption table tr caption address hr details summary body html".split()
)
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_HTML_START = re.compile(
    r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<!--|<\?xml[^>]*>\s*<(?:!doctype|html))",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"<(?:html|body|article|p|div)[\s>]", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._pre_depth = 0
        self._in_title = False
        self._in_h1 = False
        self.title_tag: list[str] = []
        self.h1: list[str] = []
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None
        self.canonical: str | None = None

    def _flush(self) -> None:
        block = "".join(self._current)
        if not self._pre_depth:
            # &nbsp; glues words for layout only; a plain space keeps "Tehran declined" matchable.
            block = _SPACE.sub(" ", block.replace("\xa0", " "))
        block = block.strip()
        if block:
            self.blocks.append(block)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (
                values.get("property") or values.get("name") or values.get("itemprop") or ""
            ).lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href") or None
            return
        if tag == "time" and values.get("datetime") and self.time_datetime is None:
            self.time_datetime = values["datetime"]
        if tag == "title" and not self._in_title:
            self._in_title = True
            return
        if tag in _SKIP_TAGS:
            self._skip_stack.append(tag)
            self._skip_depth += 1
            return
        if self._skip_depth or tag in _VOID_TAGS and tag != "br":
            return
        if tag == "br":
            self._current.append("\n" if self._pre_depth else " ")
            return
        if tag == "h1":
            self._in_h1 = True
        if tag == "pre":
            self._flush()
            self._pre_depth += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            return  # <svg/> opens nothing
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if self._skip_depth:
            if tag in self._skip_stack:
                while self._skip_stack:
                    self._skip_depth -= 1
                    if self._skip_stack.pop() == tag:
                        break
            return
        if tag == "h1":
            self._in_h1 = False
        if tag == "pre" and self._pre_depth:
            self._flush()
            self._pre_depth -= 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_tag.append(data)
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1.append(data)
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


@dataclass(frozen=True, slots=True)
class _Context:
    """What every reader needs: names for messages, the size limit, and where problems go."""

    source: str  # used in messages ("<stdin>" for standard input)
    path: str | None  # stored in Article.path, exactly as given
    limit: int
    problems: list[str]
    language: str | None = None


def _html_article(text: str, ctx: _Context) -> Article:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    body = "\n\n".join(parser.blocks)
    if not body.strip():
        raise InputError(
            f"{ctx.source}: the HTML has no readable text outside scripts, menus and footers"
        )
    meta = parser.meta
    title = next(
        (
            " ".join(t.split())
            for t in (meta.get("og:title"), "".join(parser.title_tag), "".join(parser.h1))
            if t and t.strip()
        ),
        None,
    )
    date = None
    for key in _DATE_META:
        date = normalize_date(meta.get(key))
        if date:
            break
    date = date or normalize_date(parser.time_datetime)
    url = parser.canonical or meta.get("og:url") or None
    return article_from_text(
        body, title=title, date=date, url=url, path=ctx.path, language=ctx.language
    )


# ------------------------------------------------------------------------------- JSON Lines

_TEXT_KEYS = ("text", "body", "content")


def _json_article(obj: Any, where: str, ctx: _Context) -> Article:
    if not isinstance(obj, dict):
        raise InputError(
            f'{where}: expected a JSON object with a "text" field, got {type(obj).__name__}'
        )
    text = next((obj[k] for k in _TEXT_KEYS if k in obj), None)
    if text is None:
        raise InputError(f'{where}: no "text" field (keys: {", ".join(sorted(obj)) or "none"})')
    if not isinstance(text, str):
        raise InputError(f'{where}: "text" must be a string, got {type(text).__name__}')
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise InputError(f'{where}: "text" is empty')
    # A character is at most 4 bytes of UTF-8, so most texts need no encoding to be measured.
    if len(text) * 4 > ctx.limit:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > ctx.limit:
            raise _too_large(where, size, ctx.limit)

    def field(key: str) -> str | None:
        value = obj.get(key)
        return None if value is None or value == "" else str(value)

    return article_from_text(
        text,
        title=field("title"),
        date=field("date"),
        url=field("url"),
        id=field("id"),
        path=ctx.path,
        language=field("language") or ctx.language,
    )


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not valid JSON ({err.msg} at column {err.colno})") from err
    except (ValueError, RecursionError) as err:  # 5000-digit numbers, [[[[... nested too deep
        raise InputError(f"{where}: unusable JSON ({err})") from err


def _json_records(lines: Iterable[bytes], ctx: _Context) -> list[Article]:
    articles: list[Article] = []
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        where = f"{ctx.source}: line {number}"
        try:
            if len(raw) > ctx.limit:
                raise _too_large(where, len(raw), ctx.limit)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = decode_bytes(raw, source=where)
            obj = _loads(line, where)
            articles.append(_json_article(obj, where, ctx))
        except InputError as err:
            ctx.problems.append(str(err))
    return articles


def _json_document(text: str, ctx: _Context) -> list[Article]:
    """Read a whole-file JSON document (an array or one object), or JSON Lines."""
    try:
        document = _loads(text, ctx.source)
    except InputError:
        lines = (line.encode("utf-8", "surrogatepass") for line in text.split("\n"))
        return _json_records(lines, ctx)
    items = document if isinstance(document, list) else [document]
    articles: list[Article] = []
    for index, item in enumerate(items):
        where = f"{ctx.source}: item {index}" if isinstance(document, list) else ctx.source
        try:
            articles.append(_json_article(item, where, ctx))
        except InputError as err:
            ctx.problems.append(str(err))
    return articles


# ----------------------------------------------------------------------------------- reading

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
_JSON_SUFFIXES = frozenset({".json"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_SNIFF_BYTES = 4096


def detect_format(head: bytes, suffix: str = "") -> str:
    """Return ``"jsonl"``, ``"json"``, ``"html"`` or ``"text"`` for a file's first bytes.

    The extension decides for ``.jsonl``/``.json``/``.html``; otherwise the content does: a first
    line that is a JSON object (or a ``[``) means JSON, markup at the start means HTML.

    >>> detect_format(b'{"id": 1, "text": "Iran"}\\n', ".txt")
    'jsonl'
    >>> detect_format(b"<!DOCTYPE html><html>", "")
    'html'
    >>> detect_format(b"{Iran} fired", ".txt")
    'text'
    """
    suffix = suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return "json"
    if suffix in _HTML_SUFFIXES:
        return "html"
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, "ignore").encode("utf-8")
            break
    stripped = head.lstrip()
    if stripped[:1] == b"[":
        return "json" if re.match(rb"\[\s*(\{|\]|$)", stripped) else "text"
    if stripped[:1] == b"{":
        first_line = stripped.split(b"\n", 1)[0]
        try:
            obj = json.loads(first_line)
        except (ValueError, UnicodeDecodeError):
            # A pretty-printed object spans lines; an unfinished first line may just be long.
            return "json" if re.match(rb'\{\s*("|$)', stripped) else "text"
        return "jsonl" if isinstance(obj, dict) else "text"
    sniff = head.decode("latin-1")
    if _HTML_START.match(sniff) or (stripped[:1] == b"<" and _HTML_TAG.search(sniff)):
        return "html"
    return "text"


def _read_limited(stream: BinaryIO, limit: int, source: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(source, None, limit)
    return data


def _is_wide(data: bytes) -> bool:
    """Return True for UTF-16/32 with a byte-order mark (JSON Lines can then not be split)."""
    return data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))


def _parse(data: bytes, fmt: str, ctx: _Context) -> list[Article]:
    if fmt == "jsonl" and not _is_wide(data):
        return _json_records(data.split(b"\n"), ctx)
    text = decode_bytes(data, source=ctx.source)
    if fmt in ("json", "jsonl"):
        return _json_document(text, ctx)
    if fmt == "html":
        return [_html_article(text, ctx)]
    return [article_from_text(text, path=ctx.path, language=ctx.language)]


def _read_path(path: str, ctx: _Context) -> list[Article]:
    if path == "-":
        if sys.stdin is None:
            raise InputError("<stdin>: there is no standard input; pass a file path instead of -")
        data = _read_limited(sys.stdin.buffer, ctx.limit, ctx.source)
        return _parse(data, detect_format(data[:_SNIFF_BYTES]), ctx)
    file = Path(path)
    try:
        with open(file, "rb") as stream:
            head = stream.read(_SNIFF_BYTES)
            fmt = detect_format(head, file.suffix)
            if fmt == "jsonl" and not _is_wide(head):
                return _json_records(_chain_lines(head, stream), ctx)
            size = os.fstat(stream.fileno()).st_size
            # A JSON array is parsed whole, so it gets a larger (still bounded) allowance.
            if size > ctx.limit * (JSON_FILE_FACTOR if fmt in ("json", "jsonl") else 1):
                raise _too_large(path, size, ctx.limit)
            data = head + stream.read()
    except FileNotFoundError as err:
        raise InputError(
            f"{path}: no such file; check the path (relative to {Path.cwd()})"
        ) from err
    except IsADirectoryError as err:
        raise InputError(
            f"{path}: is a directory; pass the files inside it, e.g. {path.rstrip('/')}/*.txt"
        ) from err
    except PermissionError as err:
        raise InputError(f"{path}: permission denied; check the file's permissions") from err
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from err
    return _parse(data, fmt, ctx)


def _chain_lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """Yield the lines of a file whose first bytes were already read, one at a time."""
    first = (head + stream.readline()).split(b"\n")
    if first[-1] == b"":
        first.pop()  # the completed line ended with its newline
    yield from first
    yield from stream


def read_articles(
    path: str | os.PathLike[str],
    *,
    errors: list[str] | None = None,
    max_bytes: int | None = None,
    language: str | None = None,
) -> list[Article]:
    """Read every article in one input: a text/HTML file (one article) or a JSON (Lines) file.

    Parameters
    ----------
    path
        A file path, or ``"-"`` for standard input. The format is taken from the extension
        (``.jsonl``, ``.json``, ``.html``) or else from the content. ``Article.path`` is ``path``
        exactly as given.
    errors
        When given, one message per unusable JSON record (``"<path>: line 7: not valid JSON
        ..."``) is appended here and the good records are returned. When omitted, an unusable
        record raises :class:`PartialInputError`, whose ``articles`` still holds the good ones.
    max_bytes
        Size limit of one article (a whole text/HTML file, or one JSON record); see
        :func:`max_article_bytes`. JSON Lines files are read line by line and may be larger.
    language
        Language of every article (``"nl"``, ``"en"``); detected per article when omitted (a
        JSON record's own ``"language"`` wins).

    Returns
    -------
    list of Article
        At least one article.

    Raises
    ------
    InputError
        When the file is missing, a directory, empty, binary, too large, undecodable, or holds no
        usable article.
    PartialInputError
        When ``errors`` is None and some (not all) JSON records were unusable.
    """
    source = os.fspath(path)
    problems: list[str] = []
    ctx = _Context(
        source="<stdin>" if source == "-" else source,
        path=source,
        limit=max_article_bytes(max_bytes),
        problems=problems,
        language=language,
    )
    articles = _read_path(source, ctx)
    if not articles:
        if problems:
            detail = (
                problems[0]
                if len(problems) == 1
                else f"{problems[0]} (and {len(problems) - 1} more)"
            )
            raise InputError(f"{source}: no usable article; {detail}")
        raise InputError(f'{source}: no articles found; each JSON line needs a "text" field')
    if problems:
        if errors is None:
            lines = ", ".join(
                p.split(": ", 2)[1] if ": line " in p or ": item " in p else p
                for p in problems[:10]
            )
            more = "" if len(problems) <= 10 else f" and {len(problems) - 10} more"
            raise PartialInputError(
                f"{source}: {len(problems)} unusable record(s) ({lines}{more}); first: {problems[0]}",
                articles=articles,
                problems=problems,
            )
        errors.extend(problems)
    return articles


def read_article(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, language: str | None = None
) -> Article:
    """Read exactly one article from ``path`` (``"-"`` for standard input).

    Raises
    ------
    InputError
        As :func:`read_articles`, and when the file holds more than one article (use
        :func:`read_articles` for JSON Lines).
    """
    articles = read_articles(path, max_bytes=max_bytes, language=language)
    if len(articles) != 1:
        raise InputError(
            f"{os.fspath(path)}: holds {len(articles)} articles; use read_articles() for JSON Lines"
        )
    return articles[0]
