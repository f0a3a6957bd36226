"""geo.store: persistence, concurrency, atomicity, corruption recovery, corrections."""

from __future__ import annotations

import dataclasses
import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from shapely.geometry import LineString

from geo.errors import InputError, StoreError
from geo.models import Article, Source, Strike
from geo.store import (
    Correction,
    Store,
    apply_corrections,
    correct_strikes,
    default_data_dir,
    identity_key,
    source_key,
)

SEED_TEXT = (
    "date 2024-01\nIran vuurde raketten af op Pakistan. Doelwit was Jaish al-Adl in Panjgur.\n"
)


def _article(i: int, prefix: str = "a") -> Article:
    return Article(
        id=f"{prefix}{i}",
        title=f"Artikel {prefix}{i}",
        date="2024-01-16",
        text=f"Iran viel doelen aan in Pakistan (bericht {prefix}{i}).",
    )


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    return folder


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", seed=False)


def test_default_data_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(tmp_path / "x"))
    assert default_data_dir() == tmp_path / "x"
    store = Store()
    assert store.path.parent == tmp_path / "x"
    assert store.path.exists()


def test_uses_wal(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_seeds_from_corpus_once(tmp_path, corpus):
    pytest.importorskip("geo.ingest")
    first = Store(tmp_path / "data", corpus_dir=corpus)
    assert [a.title for a in first.articles()] != []
    assert first.stored_articles()[0].source == "corpus"
    assert "Pakistan" in first.articles()[0].text
    # a second Store on the same file does not seed again, even after a delete
    first.delete_article(first.articles()[0].id)
    again = Store(tmp_path / "data", corpus_dir=corpus)
    assert again.count_articles() == 0
    assert again.count_articles(include_deleted=True) == 1


def test_missing_corpus_gives_empty_store(tmp_path):
    store = Store(tmp_path / "data", corpus_dir=tmp_path / "nowhere")
    assert store.articles() == []
    assert store.messages == []


def test_add_read_delete_restore(store):
    v0 = store.version()
    assert store.add_article(_article(1)) == "a1"
    assert store.version() == v0 + 1
    [article] = store.articles()
    assert (article.id, article.title, article.date) == ("a1", "Artikel a1", "2024-01-16")
    assert article.text == _article(1).text
    assert store.delete_article("a1") is True
    assert store.delete_article("a1") is False
    assert store.articles() == []
    assert store.stored_articles(include_deleted=True)[0].is_deleted
    assert store.restore_article("a1") is True
    assert [a.id for a in store.articles()] == ["a1"]
    assert store.version() == v0 + 4  # every committed write bumps it, even a no-op


def test_readding_an_article_does_not_duplicate_and_undeletes(store):
    store.add_article(_article(1))
    store.delete_article("a1")
    store.add_article(_article(1))
    assert store.count_articles(include_deleted=True) == 1
    assert store.count_articles() == 1


def test_articles_key_ignores_corrections(store):
    store.add_article(_article(1))
    key = store.articles_key()
    store.set_correction(Correction("s1", attacker="Iran"))
    assert store.articles_key() == key
    store.add_article(_article(2))
    assert store.articles_key() != key
    store.delete_article("a2")
    assert store.articles_key() == key


def test_persists_across_instances(tmp_path):
    Store(tmp_path, seed=False).add_article(_article(1))
    assert [a.id for a in Store(tmp_path, seed=False).articles()] == ["a1"]


def test_batch_is_atomic(store):
    v0 = store.version()
    with pytest.raises(InputError, match="no id or no text"):
        store.add_articles([_article(1), Article(id="bad", title="Leeg", date=None, text="  ")])
    assert store.count_articles(include_deleted=True) == 0
    assert store.version() == v0
    with pytest.raises(InputError, match="expected an Article"):
        store.add_articles([_article(2), "not an article"])  # type: ignore[list-item]
    assert store.count_articles(include_deleted=True) == 0


def test_concurrent_threads_lose_nothing(store):
    v0 = store.version()

    def add(prefix: str) -> None:
        own = Store(store.path, seed=False)  # like another session's Store object
        for i in range(50):
            own.add_article(_article(i, prefix))

    threads = [threading.Thread(target=add, args=(p,)) for p in ("t", "u")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count_articles() == 100
    assert store.version() == v0 + 100


def _add_in_process(path: str, prefix: str, barrier) -> None:  # pragma: no cover - subprocess
    own = Store(path, seed=False)
    barrier.wait()
    for i in range(50):
        own.add_article(_article(i, prefix))


def test_concurrent_processes_lose_nothing(tmp_path):
    path = tmp_path / "data"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_add_in_process, args=(str(path), p, barrier)) for p in ("p", "q")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    assert [proc.exitcode for proc in procs] == [0, 0]
    store = Store(path, seed=False)
    assert store.count_articles() == 100
    assert {a.id for a in store.articles()} == {f"{p}{i}" for p in "pq" for i in range(50)}


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all" * 50,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["garbage", "bad-pages"],
)
def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path, corpus, content):
    data = tmp_path / "data"
    data.mkdir()
    (data / "strikemap.sqlite3").write_bytes(content)
    store = Store(data, corpus_dir=corpus)
    assert len(store.messages) == 1
    assert "unusable" in store.messages[0] and ".corrupt-" in store.messages[0]
    moved = list(data.glob("strikemap.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == content
    store.add_article(_article(1))  # usable again
    assert "a1" in {a.id for a in store.articles()}


def test_missing_table_is_corruption(store):
    store.add_article(_article(1))
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TABLE corrections")
    conn.commit()
    conn.close()
    messages = store.ensure_healthy(thorough=False)
    assert messages and "'corrections' is missing" in messages[0]
    assert store.corrections() == {}
    assert store.articles() == []  # rebuilt from the (empty) corpus; old data kept aside
    assert list(store.path.parent.glob("*.corrupt-*"))


def test_foreign_database_is_moved_aside(tmp_path):
    path = tmp_path / "strikemap.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    store = Store(path, seed=False)
    assert store.messages and "'meta' is missing" in store.messages[0]


def test_version_grows_after_rebuild(tmp_path):
    store = Store(tmp_path, seed=False)
    for i in range(5):
        store.add_article(_article(i))
    before = store.version()
    store.path.write_bytes(b"garbage" * 100)
    store.ensure_healthy()
    assert store.version() > before


def test_unwritable_directory_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="STRIKEMAP_DATA_DIR"):
        Store(blocker / "sub" / "strikemap.sqlite3")


# -- corrections ---------------------------------------------------------------------------


def test_corrections_round_trip(store):
    saved = store.set_correction(
        Correction("s1", attacker="Iran (IRGC)", target_lon=64.1, target_lat=26.97, note="map")
    )
    assert saved.edited_at
    again = Store(store.path, seed=False).corrections()["s1"]
    assert again == saved
    store.set_correction(Correction("s1", is_rejected=True))
    assert store.corrections()["s1"].is_rejected
    assert store.corrections()["s1"].attacker is None  # replaced, not merged
    assert store.clear_correction("s1") is True
    assert store.corrections() == {}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target_lon": 10.0}, "only one of target lon/lat"),
        ({"target_lon": 26.9, "target_lat": 164.0}, "outside lon"),
        ({"target_lon": float("nan"), "target_lat": 1.0}, "finite"),
    ],
)
def test_bad_corrections_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        Correction("s1", **kwargs)


def _strike(sid: str, target: tuple[float, float] = (64.1, 26.97)) -> Strike:
    source = Source("a1", "a1", "Artikel", "2024-01-16", "Iran viel Panjgur aan.", 0, 22)
    return Strike(
        id=sid,
        attacker="Iran",
        attacker_iso3="IRN",
        target_name="Panjgur",
        target_iso3="PAK",
        target_admin1="Balochistan",
        target_lon=target[0],
        target_lat=target[1],
        geo_precision="place",
        origin_lon=53.7,
        origin_lat=32.4,
        origin_kind="country",
        cross_border=True,
        date="2024-01-16",
        target_place_id="gn:1168226",
        sources=(source,),
    )


def _frame(strikes: list[Strike]):
    from geo.pipeline import Extraction

    return Extraction(strikes=strikes).strikes_frame()


def test_apply_corrections_edits_moves_and_drops():
    frame = _frame([_strike("s1"), _strike("s2"), _strike("s3")])
    corrections = {
        "s1": Correction("s1", attacker="IRGC"),
        # moved into Iran itself (Zahedan): no longer cross-border
        "s2": Correction("s2", target_name="Zahedan", target_lon=60.86, target_lat=29.5),
        "s3": Correction("s3", is_rejected=True),
        "other": Correction("other", attacker="ignored"),
    }
    out = apply_corrections(frame, corrections)
    assert list(out["id"]) == ["s1", "s2"]
    assert list(out["edited"]) == [True, True]
    assert out.loc[out["id"] == "s1", "attacker"].item() == "IRGC"
    moved = out[out["id"] == "s2"].iloc[0]
    assert moved["target_name"] == "Zahedan"
    last = moved.geometry.coords[-1] if isinstance(moved.geometry, LineString) else None
    assert last == pytest.approx((60.86, 29.5))
    assert moved.geometry.coords[0] == pytest.approx((53.7, 32.4))
    if moved["target_iso3"] is not None:  # boundaries available: located in Iran
        assert moved["target_iso3"] == "IRN"
        assert not moved["cross_border"]
    # the input frame is unchanged
    assert list(frame["attacker"]) == ["Iran"] * 3
    assert not frame["edited"].any()


def test_explicit_target_country_wins():
    out = apply_corrections(
        _frame([_strike("s1")]),
        [Correction("s1", target_iso3="IRN", target_lon=60.86, target_lat=29.5)],
    )
    assert out["target_iso3"].item() == "IRN"
    assert not out["cross_border"].item()


def test_correct_strikes_matches_frame_version():
    strikes = [_strike("s1"), _strike("s2")]
    corrections = [
        Correction("s1", date="2024-01-17", attacker_iso3="IRN", target_iso3="IRQ"),
        Correction("s2", is_rejected=True),
    ]
    [fixed] = correct_strikes(strikes, corrections)
    assert (fixed.id, fixed.date, fixed.target_iso3, fixed.edited) == (
        "s1",
        "2024-01-17",
        "IRQ",
        True,
    )
    assert fixed.cross_border
    frame = apply_corrections(_frame(strikes), corrections)
    assert frame["date"].tolist() == ["2024-01-17"]


def test_no_corrections_returns_copy():
    frame = _frame([_strike("s1")])
    out = apply_corrections(frame, {})
    assert out is not frame and out.equals(frame)


def test_correction_follows_event_whose_id_changed(store):
    original = _strike("ev-old")
    saved = store.set_correction(
        Correction(
            "ev-old",
            attacker="IRGC",
            source_keys=tuple(source_key(s) for s in original.sources),
        )
    )
    assert Store(store.path, seed=False).corrections()["ev-old"].source_keys == saved.source_keys
    # a new article reported the same strike: merged event, new id, the old report still in it
    extra = Source("b1", "b1", "Other", "2024-01-17", "Iran struck Panjgur.", 0, 20)
    merged = dataclasses.replace(original, id="ev-new", sources=(*original.sources, extra))
    unrelated = dataclasses.replace(_strike("ev-x"), sources=(extra,))
    out = apply_corrections(_frame([merged]), store.corrections())
    assert out["attacker"].tolist() == ["IRGC"] and out["edited"].tolist() == [True]
    [fixed] = correct_strikes([merged], store.corrections())
    assert fixed.attacker == "IRGC"
    [untouched] = correct_strikes([unrelated], store.corrections())
    assert untouched.attacker == "Iran" and not untouched.edited


def test_correction_does_not_leak_to_events_of_the_same_sentence():
    # "Iran struck Panjgur and Erbil": two events, one sentence, the same report key
    panjgur = _strike("ev-p")
    erbil = dataclasses.replace(
        _strike("ev-e", target=(44.0, 36.19)), target_name="Erbil", target_iso3="IRQ"
    )
    keys = tuple(source_key(s) for s in panjgur.sources)
    assert keys == tuple(source_key(s) for s in erbil.sources)
    moved = Correction(
        "ev-p",
        target_name="Somewhere near Kirkuk",
        target_lon=44.39,
        target_lat=35.47,
        source_keys=keys,
        extracted=identity_key("Iran", "Panjgur"),
    )
    fixed = correct_strikes([panjgur, erbil], [moved])
    assert [(s.id, s.target_name, s.edited) for s in fixed] == [
        ("ev-p", "Somewhere near Kirkuk", True),
        ("ev-e", "Erbil", False),
    ]
    frame = apply_corrections(_frame([panjgur, erbil]), [moved])
    assert frame["target_name"].tolist() == ["Somewhere near Kirkuk", "Erbil"]
    assert frame["edited"].tolist() == [True, False]


def test_correction_with_new_id_follows_its_own_target_among_siblings(store):
    panjgur = _strike("ev-p")
    erbil = dataclasses.replace(_strike("ev-e"), target_name="Erbil", target_iso3="IRQ")
    keys = tuple(source_key(s) for s in panjgur.sources)
    store.set_correction(
        Correction(
            "ev-e", attacker="IRGC", source_keys=keys, extracted=identity_key("Iran", "Erbil")
        )
    )
    # both events got new ids (a new article added reports); the correction follows Erbil
    renamed = [dataclasses.replace(panjgur, id="ev-p2"), dataclasses.replace(erbil, id="ev-e2")]
    fixed = correct_strikes(renamed, store.corrections())
    assert [(s.id, s.attacker) for s in fixed] == [("ev-p2", "Iran"), ("ev-e2", "IRGC")]
    # without the extracted identity the match is ambiguous: applied to neither
    store.set_correction(Correction("ev-e", attacker="IRGC", source_keys=keys))
    fixed = correct_strikes(renamed, store.corrections())
    assert [s.attacker for s in fixed] == ["Iran", "Iran"] and not any(s.edited for s in fixed)


def test_older_store_gets_the_extracted_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    Store(path, seed=False)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE corrections DROP COLUMN extracted")
        conn.execute(
            "INSERT INTO corrections (strike_id, attacker, edited_at) VALUES ('s1', 'IRGC', 'x')"
        )
    store = Store(path, seed=False)
    assert not store.messages  # migrated, not treated as corrupt
    assert store.corrections()["s1"].attacker == "IRGC"
    saved = store.set_correction(Correction("s2", extracted=identity_key("Iran", "Erbil")))
    assert Store(path, seed=False).corrections()["s2"].extracted == saved.extracted
