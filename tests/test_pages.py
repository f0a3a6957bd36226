"""The Articles, Events, Export and About pages, run headlessly with AppTest.

Each test gets its own store (``STRIKEMAP_DATA_DIR`` = a temporary folder) seeded from the
real default corpus in ``data/articles/`` and runs the real pipeline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from geo.paths import ARTICLES_DIR, PROJECT_DIR
from geo.store import Store

PAGES = PROJECT_DIR / "pages"
TIMEOUT_S = 600  # the first run builds the gazetteer index; not a performance limit

XSS_TITLE = "<script>alert('t')</script> ![px](http://127.0.0.1:9/t.png) ${x} `y`"
XSS_TEXT = (
    "date 2024-01-20\n"
    "Iran fired missiles at targets in Pakistan <img src=x onerror=alert(1)>. "
    "The attack on Panjgur <script>alert(2)</script> was condemned by Pakistan.\n"
)
UPLOAD_TEXT = (
    "date 2024-01-18\nPakistan carried out strikes on militant hideouts in Saravan, Iran. "
    "Iran condemned the attack.\n"
)


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not any(ARTICLES_DIR.glob("*.txt")):
        pytest.skip("the default corpus data/articles/ is empty")
    folder = tmp_path / "store"
    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(folder))
    return folder


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=TIMEOUT_S).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plain(markdown: str) -> str:
    """Undo Markdown backslash escapes (pages escape untrusted text with ui.md_escape)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _events(at: AppTest):
    frames = [d.value for d in at.dataframe if {"attacker", "sources"} <= set(d.value.columns)]
    return frames[0] if frames else None


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


class _Downloads:
    """Record what st.download_button hands to the media storage (AppTest keeps no copy)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: dict[str, bytes] = {}
        original = MemoryMediaFileStorage.load_and_get_id

        def spy(storage, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
            if filename and isinstance(path_or_data, bytes):
                self.files[filename] = path_or_data
            return original(storage, path_or_data, mimetype, kind, filename)

        monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)


@pytest.mark.parametrize("page", ["1_Articles.py", "2_Events.py", "3_Export.py", "4_About.py"])
def test_page_runs(data_dir, page):
    at = _run(page)
    assert at.title[0].value
    if page != "4_About.py":
        assert Store(data_dir).count_articles() == len(list(ARTICLES_DIR.glob("*.txt")))


def test_articles_lists_the_corpus(data_dir):
    at = _run("1_Articles.py")
    table = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert len(table) == Store(data_dir).count_articles()
    assert set(table["language"]) <= {"nl", "en", "und", ""}
    assert (table["places"] > 0).all()
    # the article is shown with <mark> spans
    article_html = [m.value for m in at.markdown if 'class="sm-article"' in m.value]
    assert article_html and "<mark" in article_html[0]


def _multipage(tmp_path: Path) -> AppTest:
    """A stand-in main script beside a link to pages/, so switch_page moves between pages."""
    root = tmp_path / "app"
    root.mkdir()
    (root / "main.py").write_text("import streamlit as st\n\nst.title('main')\n")
    (root / "pages").symlink_to(PAGES, target_is_directory=True)
    return AppTest.from_file(str(root / "main.py"), default_timeout=TIMEOUT_S).run()


def test_filters_change_the_events_and_follow_to_export(data_dir, tmp_path, monkeypatch):
    downloads = _Downloads(monkeypatch)
    at = _multipage(tmp_path)
    at.switch_page("pages/2_Events.py").run()
    assert at.title[0].value == "Events"
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    confidences = sorted(set(table["confidence"]))
    # a threshold just above the lowest confidence removes exactly those events
    threshold = min(1.0, round(confidences[0] + 0.05, 2)) if len(confidences) > 1 else 1.0
    expected = set(table.loc[table["confidence"] >= threshold - 1e-9, "id"])
    at.slider(key="flt_min_confidence").set_value(threshold).run()
    assert not at.exception
    shown = _events(at)
    assert set(shown["id"] if shown is not None else []) == expected
    assert len(expected) < len(table) or threshold == 1.0

    # the same filters apply on the export page, and the export holds exactly those events
    at.switch_page("pages/3_Export.py").run()
    assert not at.exception
    assert at.title[0].value == "Export"
    assert at.slider(key="flt_min_confidence").value == threshold
    collection = json.loads(downloads.files["strikemap.geojson"])
    strike_ids = {
        f["properties"]["strike_id"]
        for f in collection["features"]
        if f["properties"]["feature_type"] == "strike"
    }
    assert strike_ids == expected
    csv_lines = downloads.files["strikemap-events.csv"].decode("utf-8").strip().splitlines()
    assert len(csv_lines) == 1 + len(expected)


def test_attacker_filter(data_dir):
    at = _run("2_Events.py")
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    attacker = table["attacker"].iloc[0]
    at.multiselect(key="flt_attackers").select(attacker).run()
    shown = _events(at)
    assert set(shown["attacker"]) == {attacker}
    assert len(shown) == (table["attacker"] == attacker).sum()


def test_paste_upload_and_delete(data_dir):
    at = _run("1_Articles.py")
    before = Store(data_dir).count_articles()

    at.text_input(key="paste_title").input("Pasted report")
    at.text_input(key="paste_date").input("2024-01-19")
    at.text_area(key="paste_text").input(
        "Iran launched drones at Erbil in Iraq on Friday, officials said."
    )
    _button(at, "Add article").click().run()
    assert not at.exception
    store = Store(data_dir)
    assert store.count_articles() == before + 1
    pasted = next(s for s in store.stored_articles() if s.source == "paste")
    assert (pasted.article.title, pasted.article.date) == ("Pasted report", "2024-01-19")

    # upload: one good file, one too large, one binary; the good one is still added
    uploader = at.file_uploader(key="upload_files")
    uploader.upload("saravan.txt", UPLOAD_TEXT.encode("utf-8"), "text/plain")
    uploader.upload("huge.txt", b"Iran " * (1_100_000), "text/plain")
    uploader.upload("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "text/plain")
    # the uploader is in a form: the files are read only when "Add uploaded files" is pressed
    at.button(key="upload_add").click().run()
    assert not at.exception
    success = " ".join(_plain(s.value) for s in at.success)
    assert "Added 1 article(s)" in success and "saravan.txt" in success
    errors = " ".join(_plain(e.value) for e in at.error)
    assert "huge.txt" in errors and "5 MB limit" in errors
    assert "image.txt" in errors
    store = Store(data_dir)
    assert store.count_articles() == before + 2
    uploaded = next(s for s in store.stored_articles() if s.source == "upload")
    assert uploaded.article.path == "saravan.txt" and uploaded.article.date == "2024-01-18"
    # the new article is opened in the reader, its text escaped and highlighted
    assert at.selectbox(key="article_read").value == uploaded.article.id
    assert any("Saravan" in m.value for m in at.markdown if 'class="sm-article"' in m.value)

    # pressing the button with no file chosen says what to do and adds nothing
    at.button(key="upload_add").click().run()
    assert any("choose one or more files" in _plain(w.value) for w in at.warning)
    assert Store(data_dir).count_articles() == before + 2

    # delete the article being read (soft: kept in the file, restorable)
    at = _run("1_Articles.py")
    at.selectbox(key="article_read").set_value(uploaded.article.id).run()
    at.button(key="article_delete").click().run()
    assert not at.exception
    store = Store(data_dir)
    assert store.count_articles() == before + 1
    assert uploaded.article.id not in {a.id for a in store.articles()}
    assert store.count_articles(include_deleted=True) == before + 2
    at = _run("1_Articles.py")
    table = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert uploaded.article.id not in set(table["id"])


def test_bad_paste_date_is_refused(data_dir):
    at = _run("1_Articles.py")
    at.text_input(key="paste_date").input("20 januari")
    at.text_area(key="paste_text").input("Iran fired missiles at Pakistan.")
    _button(at, "Add article").click().run()
    assert any("YYYY-MM-DD" in _plain(e.value) for e in at.error)
    assert Store(data_dir).count_articles() == len(list(ARTICLES_DIR.glob("*.txt")))


def test_article_text_is_escaped(data_dir):
    at = _run("1_Articles.py")
    at.text_input(key="paste_title").input(XSS_TITLE)
    at.text_area(key="paste_text").input(XSS_TEXT)
    _button(at, "Add article").click().run()
    article_id = next(
        s.article.id for s in Store(data_dir).stored_articles() if s.source == "paste"
    )
    at.selectbox(key="article_read").set_value(article_id).run()
    assert not at.exception
    html_blocks = [m.value for m in at.markdown if 'class="sm-article"' in m.value]
    assert len(html_blocks) == 1
    block = html_blocks[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in block
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in block
    everything = " ".join(
        [m.value for m in at.markdown]
        + [h.value for h in at.subheader]
        + [c.value for c in at.caption]
        + [b.label for b in at.button]
    )
    # Markdown shows "\<script\>" as text; only an unescaped tag would be HTML
    assert not re.search(r"(?<!\\)<(script|img)", everything)
    assert "![px](" not in everything  # Markdown image syntax escaped in the heading
    heading = next(h.value for h in at.subheader if "alert" in h.value)
    assert "\\<script\\>" in heading


def test_correction_persists_and_is_marked(data_dir):
    at = _run("2_Events.py")
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    strike_id = table["id"].iloc[0]
    at.selectbox(key="event_pick").set_value(strike_id).run()
    at.text_input(key=f"fix_attacker_{strike_id}").input("Analyst-corrected attacker")
    at.text_input(key=f"fix_note_{strike_id}").input("checked against a second source")
    _button(at, "Save correction").click().run()
    assert not at.exception

    again = _events(_run("2_Events.py"))  # a new session
    row = again[again["id"] == strike_id].iloc[0]
    assert row["attacker"] == "Analyst-corrected attacker"
    assert bool(row["edited"])
    assert Store(data_dir).corrections()[strike_id].note == "checked against a second source"


def test_reject_and_undo(data_dir):
    at = _run("2_Events.py")
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    strike_id = table["id"].iloc[0]
    at.selectbox(key="event_pick").set_value(strike_id).run()
    at.checkbox(key=f"fix_reject_{strike_id}").check()
    _button(at, "Save correction").click().run()
    after = _events(at)
    assert strike_id not in set(after["id"] if after is not None else [])
    at.button(key="undo_button").click().run()
    assert strike_id in set(_events(at)["id"])


def test_moving_a_target_with_coordinates(data_dir):
    at = _run("2_Events.py")
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    strike_id = table["id"].iloc[0]
    at.selectbox(key="event_pick").set_value(strike_id).run()
    at.text_input(key=f"fix_target_{strike_id}").input("Somewhere near Kirkuk")
    at.text_input(key=f"fix_lon_{strike_id}").input("44.39")
    at.text_input(key=f"fix_lat_{strike_id}").input("35.47")
    _button(at, "Save correction").click().run()
    assert not at.exception
    saved = Store(data_dir).corrections()[strike_id]
    assert (saved.target_lon, saved.target_lat) == (44.39, 35.47)
    after = _events(at).set_index("id")
    row = after.loc[strike_id]
    assert row["target"] == "Somewhere near Kirkuk" and row["edited"]
    # only this event changed, even when other events come from the same sentence
    assert after["edited"].sum() == 1
    others = table.set_index("id").drop(index=strike_id)
    assert after.drop(index=strike_id)["target"].equals(others["target"])

    # the analyst selects it again: its own form
    at.selectbox(key="event_pick").set_value(strike_id).run()
    assert at.text_input(key=f"fix_target_{strike_id}").value == "Somewhere near Kirkuk"

    # later (a new session, empty coordinate fields) another edit keeps the saved move
    at = _run("2_Events.py")
    at.selectbox(key="event_pick").set_value(strike_id).run()
    assert at.text_input(key=f"fix_lon_{strike_id}").value == ""
    at.text_input(key=f"fix_attacker_{strike_id}").input("Analyst-corrected attacker")
    _button(at, "Save correction").click().run()
    assert not at.exception
    saved = Store(data_dir).corrections()[strike_id]
    assert saved.attacker == "Analyst-corrected attacker"
    assert (saved.target_lon, saved.target_lat) == (44.39, 35.47)

    at.selectbox(key="event_pick").set_value(strike_id).run()
    at.text_input(key=f"fix_lon_{strike_id}").input("east")
    at.text_input(key=f"fix_lat_{strike_id}").input("35")
    _button(at, "Save correction").click().run()
    assert any("must both be numbers" in _plain(e.value) for e in at.error)


def test_corrupt_store_is_rebuilt_with_a_warning(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "strikemap.sqlite3").write_bytes(b"definitely not SQLite " * 200)
    at = _run("1_Articles.py")
    warnings = " ".join(_plain(w.value) for w in at.warning)
    assert "unusable" in warnings and "corrupt" in warnings
    assert list(data_dir.glob("strikemap.sqlite3.corrupt-*"))
    assert Store(data_dir).count_articles() == len(list(ARTICLES_DIR.glob("*.txt")))


def test_about_reads_metrics(data_dir, tmp_path, monkeypatch):
    at = _run("4_About.py")
    text = " ".join(m.value for m in at.markdown)
    assert "GeoNames" in text and "CC BY 4.0" in text and "Natural Earth" in text
    metrics = PROJECT_DIR / "docs" / "metrics.json"
    if metrics.is_file():
        assert at.dataframe
    else:
        assert any("not measured yet" in i.value for i in at.info)


def test_filters_are_mirrored_in_the_url(data_dir):
    at = _run("2_Events.py")
    table = _events(at)
    if table is None or table.empty:
        pytest.skip("the pipeline found no events in the default corpus")
    assert not {"attacker", "target", "min_confidence"} & set(at.query_params)
    attacker = table["attacker"].iloc[0]
    target = sorted(set(table.loc[table["attacker"] == attacker, "target country"]) - {""})
    at.multiselect(key="flt_attackers").select(attacker).run()
    if target:
        at.multiselect(key="flt_targets").select(target[0]).run()
    at.toggle(key="flt_cross_border").set_value(True).run()
    params = dict(at.query_params)
    assert params["attacker"] in (attacker, [attacker])
    assert params["cross_border"] == "1"
    if target:
        assert params["target"] in (target[0], [target[0]])
    expected = set(_events(at)["id"]) if _events(at) is not None else set()

    # the shared link opens a new session with the same filters and the same events
    shared = AppTest.from_file(str(PAGES / "2_Events.py"), default_timeout=TIMEOUT_S)
    shared.query_params.update(params)
    shared.run()
    assert not shared.exception
    assert shared.multiselect(key="flt_attackers").value == [attacker]
    assert shared.toggle(key="flt_cross_border").value is True
    again = _events(shared)
    assert (set(again["id"]) if again is not None else set()) == expected
    assert expected < set(table["id"]) or len(set(table["attacker"])) == 1

    # malformed values are ignored, not fatal; "Reset filters" clears the URL
    broken = AppTest.from_file(str(PAGES / "2_Events.py"), default_timeout=TIMEOUT_S)
    broken.query_params.update(
        {"from": "yesterday", "min_confidence": "high", "attacker": "Nobody"}
    )
    broken.run()
    assert not broken.exception
    assert len(_events(broken)) == len(table)
    at.button(key="flt_reset").click().run()
    assert not {"attacker", "target", "cross_border"} & set(at.query_params)
