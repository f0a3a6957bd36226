"""Tests for geo.ingest: decoding, formats, date headers, sentences, errors."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest

from geo import ingest
from geo.errors import InputError
from geo.ingest import (
    PartialInputError,
    article_from_text,
    decode_bytes,
    detect_format,
    parse_date_header,
    read_article,
    read_articles,
    split_sentences,
)
from geo.paths import ARTICLES_DIR

DATA = Path(__file__).resolve().parent / "data" / "ingest"

# The text every encoding file in tests/data/ingest holds (cp1252_crlf.txt with \r\n).
BASE = (
    " date 2024-01-16\nIsraël en Syrië: Iran vuurde raketten af op Pakistan. "
    "De schade bedraagt € 5 miljoen, meldt het café in Quetta.\n\nGeen commentaar uit Teheran.\n"
)
ENCODED = {
    "utf8.txt": BASE,
    "utf8_bom.txt": BASE,
    "utf16le_bom.txt": BASE,
    "utf16be_bom.txt": BASE,
    "utf16le_nobom.txt": BASE,
    "cp1252_crlf.txt": BASE.replace("\n", "\r\n"),
}


def sentences_of(text: str, start: int = 0) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, start)]


# ------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_every_encoding_decodes_to_the_same_text(name: str) -> None:
    article = read_article(DATA / name)
    assert article.text == ENCODED[name]
    assert article.date == "2024-01-16"
    assert article.path == str(DATA / name)
    assert [article.sentence_text(s) for s in article.sentences] == [
        "Israël en Syrië: Iran vuurde raketten af op Pakistan.",
        "De schade bedraagt € 5 miljoen, meldt het café in Quetta.",
        "Geen commentaar uit Teheran.",
    ]


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_offsets_index_the_decoded_text_of_every_encoding(name: str) -> None:
    article = read_article(DATA / name)
    for word in ("Israël", "Syrië", "Pakistan", "Quetta", "Teheran", "€"):
        start = article.text.index(word)
        # What a toponym finder returns for the decoded text must slice back to the word.
        assert article.text[start : start + len(word)] == word
    header_end = parse_date_header(article.text)[1]
    assert article.sentences[0].start == header_end


def test_utf8_bom_is_dropped_and_not_counted() -> None:
    raw = (DATA / "utf8_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert decode_bytes(raw, source="x") == BASE


def test_cp1252_letters_and_euro_sign() -> None:
    assert decode_bytes("Israël, café, € 5".encode("cp1252"), source="x") == "Israël, café, € 5"


def test_cyrillic_legacy_encoding_is_not_read_as_cp1252() -> None:
    text = "Иран нанёс удары по Пакистану. Москва осудила действия Тегерана."
    assert decode_bytes(text.encode("cp1251"), source="x") == text


def test_newlines_are_never_translated() -> None:
    text = "Iran\r\nstruck\rPakistan\n"
    assert decode_bytes(text.encode("utf-8"), source="x") == text
    assert decode_bytes(text.encode("utf-16"), source="x") == text


def test_utf16_with_bad_bytes_after_its_bom_is_an_error() -> None:
    with pytest.raises(InputError, match=r"x: it starts with a utf-16-le byte-order mark.*UTF-8"):
        decode_bytes(b"\xff\xfeI\x00r\x00\x00\xd8", source="x")


# ------------------------------------------------------------------------------ bad files


def test_pdf_is_refused_with_a_hint() -> None:
    with pytest.raises(
        InputError, match=r"report\.pdf\.txt: looks like a binary file \(PDF\).*pdftotext"
    ):
        read_article(DATA / "report.pdf.txt")


def test_png_is_refused() -> None:
    with pytest.raises(InputError, match=r"image\.png: looks like a binary file \(PNG image\)"):
        read_articles(DATA / "image.png")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "GZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    ],
)
def test_other_binary_signatures(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=rf"f: looks like a binary file \({kind}"):
        decode_bytes(data + b"Iran Pakistan" * 10, source="f")


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    rng = random.Random(20240116)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    with pytest.raises(InputError, match=r"noise\.txt: looks like a binary file"):
        read_article(path)
    # Without NUL bytes the control characters still give it away.
    noise = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(InputError, match=r"control characters"):
        decode_bytes(noise, source="noise")


def test_a_stray_control_character_is_still_text() -> None:
    assert decode_bytes(b"Iran\x1a struck Pakistan.", source="x") == "Iran\x1a struck Pakistan."


def test_control_characters_are_counted_among_non_ascii_text() -> None:
    # Counted on the UTF-8 bytes: multibyte characters and escape (0x1b) do not count.
    text = "Syrië \x1b[1m€ " * 30 + "\x01\x02\x03"
    assert decode_bytes(text.encode("utf-8"), source="x") == text  # 3 of 420: still text
    with pytest.raises(InputError, match=r"x: looks like a binary file \(5 control characters"):
        decode_bytes(("Syrië € " * 40 + "\x01\x02\x03\x04\x1f").encode("utf-8"), source="x")


@pytest.mark.parametrize("name", ["empty.txt", "whitespace.txt"])
def test_empty_files_are_refused(name: str) -> None:
    with pytest.raises(InputError, match=rf"{name}: the file (is empty|holds only whitespace)"):
        read_article(DATA / name)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_articles(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"is a directory; pass the files inside it"):
        read_articles(tmp_path)


def test_huge_file_is_refused_with_the_limit_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Iran struck Pakistan. " * 60_000)  # 1.3 MB
    with pytest.raises(InputError, match=r"huge\.txt: 1\.3 MB is over the 1 MB limit.*--max-mb"):
        read_article(path, max_bytes=1024 * 1024)
    assert read_article(path, max_bytes=2 * 1024 * 1024).text.startswith("Iran struck")


def test_size_limit_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Iran struck Pakistan. " * 1000)
    monkeypatch.setenv(ingest.MAX_ENV, "0.01")
    with pytest.raises(InputError, match=r"big\.txt: 21 KB is over the 10 KB limit"):
        read_article(path)
    monkeypatch.setenv(ingest.MAX_ENV, "lots")
    with pytest.raises(
        InputError, match="STRIKEMAP_MAX_ARTICLE_MB='lots' is not a positive number"
    ):
        read_article(path)


def test_jsonl_file_may_exceed_the_limit_but_not_one_record(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    small = json.dumps({"text": "Iran struck Pakistan. " * 20})
    big = json.dumps({"id": "big", "text": "Iraq. " * 400})
    path.write_text("\n".join([small] * 10 + [big]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 4096
    errors: list[str] = []
    articles = read_articles(path, errors=errors, max_bytes=1024)
    assert len(articles) == 10
    assert len(errors) == 1 and "line 11" in errors[0] and "over the" in errors[0]


# ------------------------------------------------------------------------------ date header


@pytest.mark.parametrize(
    ("text", "date", "first"),
    [
        (" date 2024-01 Iran struck Pakistan.", "2024-01", "Iran struck Pakistan."),
        ("date 2024-01\nIran struck Pakistan.", "2024-01", "Iran struck Pakistan."),
        ("\n\n  date 2024-01-16\r\nIran struck Pakistan.", "2024-01-16", "Iran struck Pakistan."),
        ("date 2024-01-16 Iran struck Pakistan.", "2024-01-16", "Iran struck Pakistan."),
        ("Date: 2024-01-16\nIran struck Pakistan.", "2024-01-16", "Iran struck Pakistan."),
        ("Iran struck Pakistan.", None, "Iran struck Pakistan."),
        ("date 2024-13 Iran struck Pakistan.", None, "date 2024-13 Iran struck Pakistan."),
        ("dates 2024-01 were set.", None, "dates 2024-01 were set."),
        ("Update 2024-01 Iran struck.", None, "Update 2024-01 Iran struck."),
    ],
)
def test_date_header_variants(text: str, date: str | None, first: str) -> None:
    article = article_from_text(text)
    assert article.date == date
    assert article.text == text  # the header stays in the text
    assert article.sentence_text(article.sentences[0]) == first
    assert article.title == first


def test_given_date_wins_over_the_header_and_is_cut_to_a_date() -> None:
    article = article_from_text("date 2024-01 Iran struck.", date="2024-01-17T09:00:00Z")
    assert article.date == "2024-01-17"


def test_unparseable_given_date_warns_and_falls_back() -> None:
    with pytest.warns(UserWarning, match="'yesterday' is not ISO 8601"):
        article = article_from_text("date 2024-01 Iran struck.", date="yesterday")
    assert article.date == "2024-01"


# ------------------------------------------------------------------------------ articles


def test_id_is_stable_and_title_defaults_to_the_first_sentence() -> None:
    first = article_from_text("Iran struck Pakistan. Pakistan protested.")
    again = article_from_text("Iran struck Pakistan. Pakistan protested.")
    assert first.id == again.id and len(first.id) == 16
    assert first.id != article_from_text("Iran struck Iraq.").id
    assert first.title == "Iran struck Pakistan."
    assert article_from_text("x y", id="given").id == "given"


def test_long_first_sentence_makes_a_short_title() -> None:
    text = "Iran " + "and its allies " * 20 + "struck Pakistan."
    title = article_from_text(text).title
    assert len(title) <= ingest.TITLE_MAX_CHARS and title.endswith("…")
    assert text.startswith(title[:-1])


def test_language_is_detected_or_taken_as_given() -> None:
    dutch = article_from_text("Iran heeft luchtaanvallen uitgevoerd op een militie in Pakistan.")
    assert dutch.language == "nl"
    english = article_from_text("Iran has carried out air strikes on a militia in Pakistan.")
    assert english.language == "en"
    assert article_from_text("Iran Pakistan", language="en").language == "en"


def test_empty_text_is_refused() -> None:
    with pytest.raises(InputError, match="the text is empty"):
        article_from_text("  \n")


def test_seed_corpus_in_data_articles() -> None:
    paths = sorted(ARTICLES_DIR.glob("*.txt"))
    assert len(paths) == 2
    for path in paths:
        article = read_article(path)
        assert article.date == "2024-01"
        assert article.language == "nl"
        assert article.text == path.read_bytes().decode("utf-8")
        assert article.text[article.sentences[0].start :].startswith(article.title[:20])
        assert len(article.sentences) > 20
        for sentence in article.sentences:
            body = article.sentence_text(sentence)
            assert body == body.strip() and body


# ------------------------------------------------------------------------------ HTML


def test_html_text_title_date_url() -> None:
    article = read_article(DATA / "article.html")
    assert article.title == "Iran strikes militia in Pakistan"
    assert article.date == "2024-01-17"
    assert article.url == "https://news.example.org/2024/01/iran-pakistan"
    assert article.text.split("\n\n") == [
        "Iran strikes militia in Pakistan",
        "Iran fired missiles at targets in Pakistan’s Balochistan province on Tuesday, state "
        'media said. Pakistan called it "a violation" of its airspace.',
        "The strikes hit the Jaish al-Adl group near Panjgur & killed two children. Iraq and "
        "Syria were also hit.",
        "Officials in Tehran declined to comment.",
    ]
    # Scripts, styles, menus, asides, footers and templates are gone.
    for hidden in ("Moscow", "Kabul", "Tokyo", "font-family", "track(", "Home"):
        assert hidden not in article.text
    assert article.sentence_text(article.sentences[0]) == "Iran strikes militia in Pakistan"


def test_html_is_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "<html><head><title>T</title></head><body><p>Iran &amp; Iraq.</p><script>x</script></body></html>",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.text == "Iran & Iraq."
    assert article.title == "T"


def test_html_time_element_gives_the_date(tmp_path: Path) -> None:
    path = tmp_path / "a.htm"
    path.write_text(
        '<body><h1>Strike</h1><time datetime="2024-01-18">Thursday</time><p>Iran struck.</p></body>',
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.date == "2024-01-18"
    assert article.title == "Strike"


def test_html_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><script>var a = 1;</script><nav>Home</nav></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no readable text"):
        read_article(path)


# ------------------------------------------------------------------------------ JSON


def test_jsonl_with_bad_lines_loads_the_good_ones() -> None:
    errors: list[str] = []
    articles = read_articles(DATA / "articles.jsonl", errors=errors)
    assert [a.id for a in articles[:2]] == ["a1", "a3"]
    assert len(articles) == 3
    first = articles[0]
    assert (first.title, first.date, first.url) == (
        "Iran hits Pakistan",
        "2024-01-16",
        "https://example.org/a1",
    )
    assert articles[1].text == "Israël en Syrië liggen in het Midden-Oosten."
    assert articles[2].date == "2024-01" and len(articles[2].id) == 16
    assert all(a.path == str(DATA / "articles.jsonl") for a in articles)
    assert len(errors) == 2
    assert errors[0].startswith(f"{DATA / 'articles.jsonl'}: line 2: not valid JSON")
    assert errors[1].endswith('line 5: no "text" field (keys: id, title)')


def test_jsonl_without_an_errors_list_raises_but_keeps_the_articles() -> None:
    with pytest.raises(
        PartialInputError, match=r"2 unusable record\(s\) \(line 2, line 5\)"
    ) as info:
        read_articles(DATA / "articles.jsonl")
    assert [a.id for a in info.value.articles][:2] == ["a1", "a3"]
    assert len(info.value.problems) == 2
    assert isinstance(info.value, InputError)


def test_jsonl_with_no_good_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": 5}\nnot json\n', encoding="utf-8")
    with pytest.raises(
        InputError, match=r'bad\.jsonl: no usable article; .*line 1: "text" must be a string'
    ):
        read_articles(path, errors=[])


def test_json_array_and_single_object(tmp_path: Path) -> None:
    assert [a.id for a in read_articles(DATA / "articles.json")] == ["x1", "x2"]
    single = tmp_path / "one.json"
    single.write_text('{\n  "id": 7,\n  "text": "Iran struck Pakistan."\n}\n', encoding="utf-8")
    assert read_article(single).id == "7"


def test_jsonl_recognised_by_content_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b'{"id": "a", "text": "Iran."}\r\n{"id": "b", "text": "Iraq."}\r\n')
    assert [a.text for a in read_articles(path)] == ["Iran.", "Iraq."]


def test_jsonl_first_line_longer_than_the_sniffed_head(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    lines = [json.dumps({"id": str(i), "text": "Iran struck Pakistan. " * 400}) for i in range(3)]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert [a.id for a in read_articles(path)] == ["0", "1", "2"]


def test_read_article_refuses_several_articles() -> None:
    with pytest.raises(InputError, match="holds 2 articles; use read_articles"):
        read_article(DATA / "articles.json")


@pytest.mark.parametrize(
    ("head", "suffix", "fmt"),
    [
        (b'{"text": "a"}\n{"text"', ".txt", "jsonl"),
        (b"[\n  {", "", "json"),
        (b"[Iran] struck", ".txt", "text"),
        (b"{Iran} struck", "", "text"),
        (b"  <!doctype html>", "", "html"),
        (b"<p>Iran</p><div>x</div>", "", "html"),
        (b"<Iran> struck", "", "text"),
        (b"anything", ".html", "html"),
        (b"anything", ".JSONL", "jsonl"),
        (b"\xff\xfe" + '{"text": "a"}\n'.encode("utf-16-le"), "", "jsonl"),
    ],
)
def test_detect_format(head: bytes, suffix: str, fmt: str) -> None:
    assert detect_format(head, suffix) == fmt


# ------------------------------------------------------------------------------ stdin


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BASE.encode("utf-16"))))
    article = read_article("-")
    assert article.text == BASE and article.path == "-"


def test_empty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError, match="<stdin>: the file is empty"):
        read_articles("-")


# ------------------------------------------------------------------------------ sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith met Mr. Jones in St. Louis. They spoke.",
            ["Dr. Smith met Mr. Jones in St. Louis.", "They spoke."],
        ),
        (
            "U.S. forces struck. The U.N. said so. Strikes hit the U.S. The Pentagon agreed.",
            [
                "U.S. forces struck.",
                "The U.N. said so.",
                "Strikes hit the U.S.",
                "The Pentagon agreed.",
            ],
        ),
        (
            "Doelen o.a. in Irak, bijv. Erbil. Daarna volgde Syrië.",
            ["Doelen o.a. in Irak, bijv. Erbil.", "Daarna volgde Syrië."],
        ),
        ("Targets, i.e. bases, e.g. Erbil. Next.", ["Targets, i.e. bases, e.g. Erbil.", "Next."]),
        (
            "On Jan. 16 Iran fired 3.5 missiles. Pakistan replied.",
            ["On Jan. 16 Iran fired 3.5 missiles.", "Pakistan replied."],
        ),
        (
            "It cost $1.2 bn. in 2024. 35 people died.",
            ["It cost $1.2 bn. in 2024.", "35 people died."],
        ),
        ('He said: "Iran attacked." Then he left.', ['He said: "Iran attacked."', "Then he left."]),
        (
            '"Waarom?" vroeg hij. "Daarom!" Het bleef stil.',
            ['"Waarom?" vroeg hij.', '"Daarom!"', "Het bleef stil."],
        ),
        (
            "Ships were hit… Pakistan replied. Wait... what? Yes.",
            ["Ships were hit…", "Pakistan replied.", "Wait... what?", "Yes."],
        ),
        (
            "Iran struck Pakistan\n\nPakistan struck back",
            ["Iran struck Pakistan", "Pakistan struck back"],
        ),
        (
            "Separatisten in Beloetsjistan\nAfgaand op de Iraanse berichten was in Pakistan de soennitische militie Jaish al-Adl het doelwit van de aanval, aldus de staatsmedia van het land.",
            [
                "Separatisten in Beloetsjistan",
                "Afgaand op de Iraanse berichten was in Pakistan de soennitische militie Jaish al-Adl het doelwit van de aanval, aldus de staatsmedia van het land.",
            ],
        ),
        (
            "Iran fired missiles at targets in Pakistan on Tuesday night, the\nstate media said, and Pakistan recalled its ambassador from\nTehran in protest.",
            [
                "Iran fired missiles at targets in Pakistan on Tuesday night, the\nstate media said, and Pakistan recalled its ambassador from\nTehran in protest."
            ],
        ),
        ("Targets:\n- Erbil\n- Idlib\n- Panjgur", ["Targets:", "- Erbil", "- Idlib", "- Panjgur"]),
        (
            "Gen. Soleimani was killed by J. R. Smith's unit. Iran vowed revenge.",
            ["Gen. Soleimani was killed by J. R. Smith's unit.", "Iran vowed revenge."],
        ),
        (
            "See art. 5 of the treaty. No. 7 was hit.",
            ["See art. 5 of the treaty.", "No. 7 was hit."],
        ),
        (
            "HELENA, Mont. (AP) — Fires burned. U.S. Sens. Byrd and Rockefeller, both D-W.Va., came.",
            [
                "HELENA, Mont. (AP) — Fires burned.",
                "U.S. Sens. Byrd and Rockefeller, both D-W.Va., came.",
            ],
        ),
        ("He lives in Fla. The storm hit.", ["He lives in Fla.", "The storm hit."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


def test_sentences_start_at_the_given_offset_and_trim_whitespace() -> None:
    text = " date 2024-01  \n  Iran struck.  Pakistan protested.  \n"
    _, body = parse_date_header(text)
    spans = split_sentences(text, body)
    assert [text[s.start : s.end] for s in spans] == ["Iran struck.", "Pakistan protested."]
    assert spans[0].start == text.index("Iran")


def test_sentences_cover_every_word_of_real_articles() -> None:
    for path in sorted(ARTICLES_DIR.glob("*.txt")):
        article = read_article(path)
        covered = "".join(article.sentence_text(s) for s in article.sentences)
        body = article.text[parse_date_header(article.text)[1] :]
        assert "".join(covered.split()) == "".join(body.split())
