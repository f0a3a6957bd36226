"""Articles: list, read with places and strikes highlighted, add (upload or paste), delete."""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.errors import InputError, StoreError
from geo.ingest import article_from_text, read_articles
from geo.models import Article
from ui import Highlight, highlight_html, md_escape
from ui.data import load_view

MAX_UPLOAD_MB = 5
UPLOAD_TYPES = ["txt", "text", "html", "htm", "jsonl", "json"]
UPLOAD_TAB, PASTE_TAB = "Upload files", "Paste text"
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

st.set_page_config(page_title="Articles · strikemap", layout="wide")
st.title("Articles")

view = load_view()
store, extraction = view.store, view.extraction


def _add(articles: list[Article], source: str, notes: list[str]) -> None:
    """Store the articles and rerun; the summary and per-file notes survive the rerun.

    The first new article is opened in the reader, so the user sees what was added.
    """
    before = {a.id for a in store.articles()}
    try:
        ids = store.add_articles(articles, source=source)
    except (InputError, StoreError) as err:
        st.error(md_escape(err))
        for note in notes:
            st.error(md_escape(f"Not added: {note}"))
        return
    names = [
        f"{a.path or a.title} ({a.title})" if a.path and a.path != a.title else a.title
        for a in articles
    ]
    fresh: list[str] = []
    known: list[str] = []  # already stored, or twice in this batch: not duplicated
    for name, article_id in zip(names, ids, strict=True):
        (known if article_id in before else fresh).append(name)
        before.add(article_id)
    summary = f"Added {len(fresh)} article(s)"
    summary += f": {'; '.join(fresh)}." if fresh else "."
    if known:
        summary += f" Already there (not duplicated): {'; '.join(known)}."
    st.session_state["articles_flash"] = summary
    st.session_state["articles_notes"] = notes
    st.session_state["article_read"] = ids[0]  # open it in the reader below
    st.session_state["articles_add_tab"] = PASTE_TAB if source == "paste" else UPLOAD_TAB
    st.rerun()


def _read_uploads(files: list) -> tuple[list[Article], list[str]]:
    """Return the articles in the uploaded files and one note per unusable file or record."""
    good: list[Article] = []
    notes: list[str] = []
    for file in files:
        data = file.getvalue()
        if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
            notes.append(
                f"{file.name}: {len(data) / 1e6:.1f} MB is over the {MAX_UPLOAD_MB} "
                "MB limit; split it (JSON Lines: fewer lines per file) and upload the parts."
            )
            continue
        suffix = Path(file.name).suffix.lower()
        problems: list[str] = []
        # ingest reads paths and sniffs the format from the suffix and content
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp) / f"upload{suffix}"
            tmp_path.write_bytes(data)
            try:
                found = read_articles(tmp_path, errors=problems)
            except InputError as err:
                message = str(err).replace(str(tmp_path), file.name)
                notes.append(f"{file.name}: {message}")
                continue
        for problem in problems:
            notes.append(f"{file.name}: {problem.replace(str(tmp_path), file.name)}")
        if not found and not problems:
            notes.append(f"{file.name}: no article text found in the file.")
        good.extend(replace(a, path=file.name) for a in found)
    return good, notes


# -- add ----------------------------------------------------------------------------------
# Not in an expander: an expander folds again when the page reruns, hiding the button and the
# result. Each way of adding is a form, so attaching files does not rerun the page; nothing is
# read until the user presses the form's button.

with st.container(border=True):
    st.markdown("**Add articles**")
    # after a rerun, show the tab that was used (tabs otherwise come back on the first one)
    upload_tab, paste_tab = st.tabs(
        [UPLOAD_TAB, PASTE_TAB], default=st.session_state.get("articles_add_tab", UPLOAD_TAB)
    )
    with upload_tab, st.form("upload_form", clear_on_submit=True, border=False):
        files = st.file_uploader(
            f"Choose text, HTML or JSON Lines files (up to {MAX_UPLOAD_MB} MB each), "
            "then press “Add uploaded files”",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            max_upload_size=MAX_UPLOAD_MB,  # the browser refuses larger files; checked below too
            key="upload_files",
        )
        if st.form_submit_button("Add uploaded files", key="upload_add", type="primary"):
            if not files:
                st.warning(
                    f"No file to add: choose one or more files first (files over "
                    f"{MAX_UPLOAD_MB} MB or of another type are refused and marked in red), "
                    "then press “Add uploaded files”."
                )
            else:
                good, notes = _read_uploads(list(files))
                if good:
                    _add(good, "upload", notes)
                else:
                    st.error("No article was added.")
                    for note in notes:
                        st.error(md_escape(f"Not added: {note}"))
    with paste_tab, st.form("paste_form", clear_on_submit=False, border=False):
        title = st.text_input("Title", key="paste_title")
        when = st.text_input("Date (YYYY, YYYY-MM or YYYY-MM-DD)", key="paste_date")
        url = st.text_input("URL (optional)", key="paste_url")
        body = st.text_area("Article text", height=220, key="paste_text")
        if st.form_submit_button("Add article", type="primary"):
            if not body.strip():
                st.error("The article text is empty; paste the text of the article.")
            elif when.strip() and not _PARTIAL_DATE.match(when.strip()):
                st.error(
                    md_escape(
                        f"Date {when!r} is not YYYY, YYYY-MM or YYYY-MM-DD; "
                        "fix it or leave it empty."
                    )
                )
            else:
                try:
                    article = article_from_text(
                        body,
                        title=title.strip() or None,
                        date=when.strip() or None,
                        url=url.strip() or None,
                    )
                except InputError as err:
                    st.error(md_escape(err))
                else:
                    _add([article], "paste", [])

    flash = st.session_state.pop("articles_flash", None)
    if flash:
        st.success(md_escape(flash))
    for note in st.session_state.pop("articles_notes", []):
        st.error(md_escape(f"Not added: {note}"))
for error in extraction.errors:
    st.warning(md_escape(error))

# -- list ---------------------------------------------------------------------------------

articles = extraction.articles
if not articles:
    st.info("No articles yet. Add some above (upload files or paste text).")
    st.stop()

place_counts: dict[str, int] = {}
for row in view.all_places.itertuples():
    for article_id in {m["article_id"] for m in row.mentions}:
        place_counts[article_id] = place_counts.get(article_id, 0) + 1
strike_counts: dict[str, int] = {}
for sources in view.all_strikes["sources"]:
    for article_id in {s["article_id"] for s in sources}:
        strike_counts[article_id] = strike_counts.get(article_id, 0) + 1
stored = {s.article.id: s for s in store.stored_articles()}

table = pd.DataFrame(
    {
        "title": [a.title for a in articles],
        "date": [a.date or "" for a in articles],
        "language": [a.language or "" for a in articles],
        "places": [place_counts.get(a.id, 0) for a in articles],
        "strikes": [strike_counts.get(a.id, 0) for a in articles],
        "source": [stored[a.id].source if a.id in stored else "" for a in articles],
        "id": [a.id for a in articles],
    }
)
st.subheader(f"{len(articles)} articles")
st.dataframe(table, hide_index=True, width="stretch", key="articles_table")

# -- read ---------------------------------------------------------------------------------

labels = {a.id: f"{a.date or 'undated'} · {a.title}" for a in articles}
chosen_id = st.selectbox(
    "Read an article",
    list(labels),
    format_func=lambda article_id: labels.get(article_id, article_id),
    key="article_read",
)
chosen = next(a for a in articles if a.id == chosen_id)

targets: dict[tuple[int, int], str] = {}
for strike in view.all_strikes.itertuples():
    for source in strike.sources:
        if source["article_id"] == chosen.id:
            label = f"{strike.attacker} → {strike.target_name} ({strike.date or 'undated'})"
            targets[(source["start"], source["end"])] = label
highlights = [Highlight(start, end, "strike", label) for (start, end), label in targets.items()]
place_spans = [
    Highlight(t.start, t.end, "place", f"{t.name} ({t.kind}, {t.country_iso3 or '?'})")
    for t in extraction.toponyms.get(chosen.id, [])
]
target_ids = set(view.all_strikes.get("target_place_id", pd.Series(dtype=object)).dropna())
for t, span in zip(extraction.toponyms.get(chosen.id, []), place_spans, strict=True):
    highlights.append(replace(span, kind="target") if t.place_id in target_ids else span)

st.subheader(md_escape(chosen.title), anchor=False)
meta = [chosen.date or "undated", chosen.language or "language unknown", chosen.id]
if chosen.url:
    meta.append(chosen.url)
st.caption(" · ".join(md_escape(m) for m in meta))
# Strike sentences are drawn first; places inside them stay readable through the tooltip of
# the strike span. Everything is escaped inside highlight_html.
place_only = st.toggle("Highlight places instead of strike sentences", key="article_places_only")
spans = [h for h in highlights if (h.kind != "strike") == place_only]
st.markdown(highlight_html(chosen.text, spans), unsafe_allow_html=True)
st.caption("Yellow: place · red: strike target · violet: sentence reporting a strike.")

# -- delete / restore ---------------------------------------------------------------------

with st.expander("Delete or restore articles"):
    if st.button(f"Delete “{md_escape(chosen.title[:60])}”", key="article_delete"):
        store.delete_article(chosen.id)
        st.session_state["articles_flash"] = f"Deleted {chosen.title[:60]!r}; restore it below."
        st.rerun()
    deleted = [s for s in store.stored_articles(include_deleted=True) if s.is_deleted]
    if deleted:
        restore_labels = {s.article.id: s.article.title for s in deleted}
        restore_id = st.selectbox(
            "Deleted articles",
            list(restore_labels),
            format_func=lambda article_id: restore_labels.get(article_id, article_id),
            key="article_restore_pick",
        )
        if st.button("Restore", key="article_restore"):
            store.restore_article(restore_id)
            st.rerun()
