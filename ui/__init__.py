"""Streamlit helpers shared by app.py and pages/ (``ui.data``, ``ui.filters``).

This package file itself holds pure presentation helpers with no streamlit import, so they
can be tested directly. Article text is untrusted: every piece of it that goes into HTML passes
through :func:`html.escape` here, in one place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Highlight", "highlight_html", "md_escape"]


@dataclass(frozen=True, slots=True)
class Highlight:
    """A span of text to mark: ``text[start:end]`` gets ``<mark class="kind" title=label>``."""

    start: int
    end: int
    kind: str = "place"  # CSS class: "place", "target", "strike"
    label: str = ""  # shown as a tooltip (escaped)


# "." is left alone (only "1." at the very start of a block would make a list, a cosmetic issue).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~$:])")


def md_escape(text: object) -> str:
    r"""Return `text` with Markdown syntax escaped, for st.markdown/st.caption/labels.

    Streamlit renders Markdown in headers, captions, alerts and widget labels; an article
    title like ``![x](http://tracker)`` must show as text, not load an image.

    >>> print(md_escape("![x](u) *a* <b>"))
    \!\[x\]\(u\) \*a\* \<b\>
    """
    flat = " ".join(str(text).split())  # newlines would start new Markdown blocks
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)


_STYLE = (
    "<style>"
    ".sm-article{white-space:pre-wrap;line-height:1.6;font-family:inherit}"
    ".sm-article mark.place{background:#fff3b0;padding:0 1px}"
    ".sm-article mark.target{background:#ffb4a8;padding:0 1px;font-weight:600}"
    ".sm-article mark.strike{background:#e6d9ff;padding:0 1px}"
    "</style>"
)


def highlight_html(text: str, highlights: Iterable[Highlight], *, style: bool = True) -> str:
    """Return `text` as escaped HTML with the highlighted spans wrapped in ``<mark>``.

    Overlapping spans are resolved by keeping the one that starts first (the longer one on a
    tie); inner spans of a kept span are dropped. Every piece of text, every label and every
    class name is escaped, so the result is safe for ``unsafe_allow_html=True``.

    >>> highlight_html("Iran <b>Pakistan</b>", [Highlight(8, 16, "target", 'a"b')], style=False)
    '<div class="sm-article">Iran &lt;b&gt;<mark class="target" title="a&quot;b">Pakistan</mark>&lt;/b&gt;</div>'
    """
    spans = sorted(
        (h for h in highlights if 0 <= h.start < h.end <= len(text)),
        key=lambda h: (h.start, -(h.end - h.start)),
    )
    pieces: list[str] = ['<div class="sm-article">']
    cursor = 0
    for span in spans:
        if span.start < cursor:
            continue  # overlaps a span already marked
        pieces.append(html.escape(text[cursor : span.start]))
        pieces.append(
            f'<mark class="{html.escape(span.kind, quote=True)}" '
            f'title="{html.escape(span.label, quote=True)}">'
            f"{html.escape(text[span.start : span.end])}</mark>"
        )
        cursor = span.end
    pieces.append(html.escape(text[cursor:]))
    pieces.append("</div>")
    return (_STYLE if style else "") + "".join(pieces)
