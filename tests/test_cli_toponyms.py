"""Tests for ``python -m geo toponyms``.

Two layers: the command's own behaviour (exit codes, one error line per bad file, good results
still printed, JSON Lines per article) is tested in-process with a tiny stand-in toponym finder,
so a failure there points at this command. The ``test_real_*`` tests run the real command in a
subprocess against the real gazetteer and toponym finder.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from geo.cli import main
from geo.ingest import read_article
from geo.models import Toponym
from geo.paths import ARTICLES_DIR, PROJECT_DIR

DATA = Path(__file__).resolve().parent / "data" / "ingest"
ENCODINGS = [
    "utf8.txt",
    "utf8_bom.txt",
    "utf16le_bom.txt",
    "utf16be_bom.txt",
    "utf16le_nobom.txt",
    "cp1252_crlf.txt",
]

# name -> (country_iso3, lon, lat, kind, geonames_id)
_PLACES = {
    "Pakistan": ("PAK", 70.0, 30.0, "country", 1168579),
    "Iran": ("IRN", 53.0, 32.0, "country", 130758),
    "Syrië": ("SYR", 38.0, 35.0, "country", 163843),
    "Israël": ("ISR", 34.75, 31.5, "country", 294640),
    "Quetta": ("PAK", 66.99, 30.19, "city", 1167528),
    "Teheran": ("IRN", 51.42, 35.69, "city", 112931),
}
_NAMES = re.compile(r"\b(" + "|".join(map(re.escape, _PLACES)) + r")\b")


class StandIn:
    """A stand-in for geo.gazetteer/geo.toponyms that records how it is called."""

    def __init__(self) -> None:
        self.loads = 0
        self.languages: list[str | None] = []

    def load_gazetteer(self) -> object:
        self.loads += 1
        return self

    def find_toponyms(
        self, text: str, gazetteer: Any = None, language: str | None = None
    ) -> list[Toponym]:
        assert gazetteer is self
        self.languages.append(language)
        found = []
        for match in _NAMES.finditer(text):
            iso3, lon, lat, kind, gid = _PLACES[match.group()]
            found.append(
                Toponym(
                    text=match.group(),
                    start=match.start(),
                    end=match.end(),
                    name=match.group(),
                    lon=lon,
                    lat=lat,
                    country_iso3=iso3,
                    admin1=None,
                    geonames_id=gid,
                    kind=kind,
                    place_id=f"c:{iso3}",
                )
            )
        return found


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    fake = StandIn()
    gazetteer = types.ModuleType("geo.gazetteer")
    gazetteer.load_gazetteer = fake.load_gazetteer  # type: ignore[attr-defined]
    toponyms = types.ModuleType("geo.toponyms")
    toponyms.find_toponyms = fake.find_toponyms  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "geo.gazetteer", gazetteer)
    monkeypatch.setitem(sys.modules, "geo.toponyms", toponyms)
    return fake


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], list[str]]:
    code = main(["toponyms", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err.splitlines()


# ---------------------------------------------------------------------- the command itself


def test_one_file(stand_in: StandIn, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "utf8.txt")
    code, rows, err = run_cli(capsys, path)
    assert code == 0 and err == []
    assert len(rows) == 1
    row = rows[0]
    assert row["path"] == path
    assert row["date"] == "2024-01-16"
    assert [t["text"] for t in row["toponyms"]] == [
        "Israël",
        "Syrië",
        "Iran",
        "Pakistan",
        "Quetta",
        "Teheran",
    ]
    first = row["toponyms"][0]
    for key in ("text", "start", "end", "name", "lat", "lon", "country_iso3", "admin1"):
        assert key in first
    assert first["geonames_id"] == 294640 and first["kind"] == "country"


@pytest.mark.parametrize("name", ENCODINGS)
def test_offsets_match_the_decoded_text_in_every_encoding(
    name: str, stand_in: StandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows, _ = run_cli(capsys, str(DATA / name))
    assert code == 0
    text = read_article(DATA / name).text
    toponyms = rows[0]["toponyms"]
    assert len(toponyms) == 6
    for toponym in toponyms:
        assert text[toponym["start"] : toponym["end"]] == toponym["text"]


def test_bad_files_are_reported_and_good_results_still_printed(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = [str(DATA / "utf8.txt"), str(DATA / "cp1252_crlf.txt")]
    bad = [
        str(tmp_path / "missing.txt"),
        str(tmp_path),
        str(DATA / "image.png"),
        str(DATA / "report.pdf.txt"),
        str(DATA / "empty.txt"),
    ]
    code, rows, err = run_cli(capsys, good[0], *bad, good[1])
    assert code == 1
    assert [row["path"] for row in rows] == good
    errors = [line for line in err if line.startswith("error: ")]
    assert len(errors) == len(bad)
    for path, line in zip(bad, errors, strict=True):
        assert line.startswith(f"error: {path}: ")
    assert "no such file" in errors[0]
    assert "is a directory" in errors[1]
    assert "binary file (PNG image)" in errors[2]
    assert "binary file (PDF)" in errors[3]
    assert "empty" in errors[4]
    assert err[-1].startswith("toponyms: 5 problem(s) in 7 input(s)")
    assert stand_in.loads == 1


def test_gazetteer_is_not_loaded_when_nothing_is_readable(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, rows, err = run_cli(capsys, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 1 and rows == []
    assert len([line for line in err if line.startswith("error: ")]) == 2
    assert stand_in.loads == 0


def test_jsonl_prints_one_object_per_article(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(DATA / "articles.jsonl")
    code, rows, err = run_cli(capsys, path)
    assert code == 1  # two bad lines
    assert [row["path"] for row in rows] == [path] * 3
    assert [row["id"] for row in rows][:2] == ["a1", "a3"]
    assert [t["text"] for t in rows[0]["toponyms"]] == ["Iran", "Pakistan", "Pakistan"]
    assert [t["text"] for t in rows[1]["toponyms"]] == ["Israël", "Syrië"]
    assert err[0].startswith(f"error: {path}: line 2: not valid JSON")
    assert err[1].startswith(f'error: {path}: line 5: no "text" field')


def test_stdin(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = " date 2024-01\nIran viel Pakistan aan.".encode("utf-16")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, rows, err = run_cli(capsys, "-")
    assert code == 0 and err == []
    assert rows[0]["path"] == "-"
    assert [(t["text"], t["start"]) for t in rows[0]["toponyms"]] == [
        ("Iran", 14),
        ("Pakistan", 24),
    ]


def test_language_option_is_passed_on(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, str(DATA / "utf8.txt"))
    run_cli(capsys, "--language", "EN", str(DATA / "utf8.txt"))
    assert stand_in.languages == ["nl", "en"]


def test_pretty_and_max_mb(
    stand_in: StandIn, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["toponyms", "--pretty", str(DATA / "utf8.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("{\n") and json.loads(out)["path"] == str(DATA / "utf8.txt")

    big = tmp_path / "big.txt"
    big.write_bytes(b"Iran struck Pakistan. " + b"Nothing else happened. " * 60_000)
    code, rows, err = run_cli(capsys, "--max-mb", "1", str(big))
    assert code == 1 and rows == []
    assert "1.3 MB is over the 1 MB limit" in err[0]
    code, rows, _ = run_cli(capsys, "--max-mb", "1.5", str(big))
    assert code == 0 and len(rows[0]["toponyms"]) == 2


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["toponyms"])
    assert info.value.code == 2
    assert main(["toponyms", "--max-mb", "0", "x.txt"]) == 2


# ------------------------------------------------------------ the real gazetteer and finder


def run_real(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m geo toponyms`` as users (and the benchmark scorer) do."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "geo", "toponyms", *args],
        cwd=PROJECT_DIR,
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
    )


def rows_of(proc: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_real_seed_articles() -> None:
    paths = [str(p) for p in sorted(ARTICLES_DIR.glob("*.txt"))]
    proc = run_real(*paths)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = rows_of(proc)
    assert [row["path"] for row in rows] == paths
    for path, row in zip(paths, rows, strict=True):
        text = read_article(path).text
        assert row["toponyms"], path
        for toponym in row["toponyms"]:
            assert text[toponym["start"] : toponym["end"]] == toponym["text"]
        countries = {t["country_iso3"] for t in row["toponyms"]}
        assert {"PAK", "IRN", "IRQ"} <= countries
        pakistan = next(t for t in row["toponyms"] if t["text"] == "Pakistan")
        assert pakistan["kind"] == "country"
        assert 60 < pakistan["lon"] < 78 and 23 < pakistan["lat"] < 37


def test_real_offsets_in_every_encoding() -> None:
    paths = [str(DATA / name) for name in ENCODINGS]
    proc = run_real(*paths)  # one run: loading the gazetteer is the slow part
    assert proc.returncode == 0, proc.stderr.decode()
    rows = rows_of(proc)
    assert [row["path"] for row in rows] == paths
    for path, row in zip(paths, rows, strict=True):
        text = read_article(path).text
        toponyms = row["toponyms"]
        assert {"Pakistan", "Syrië", "Israël"} <= {t["text"] for t in toponyms}, path
        for toponym in toponyms:
            assert text[toponym["start"] : toponym["end"]] == toponym["text"]
        # Same text, same answer; only the CRLF file's offsets shift after its header.
        assert row["toponyms"] == rows[0]["toponyms"] or "crlf" in path


def test_real_many_files_with_one_bad(tmp_path: Path) -> None:
    # The benchmark scorer passes hundreds of files at once; one bad file must not hide the rest.
    paths = []
    for i in range(40):
        path = tmp_path / f"{i:03d}.txt"
        path.write_text(
            f"Article {i}: Iran struck targets in Pakistan and Iraq.\n", encoding="utf-8"
        )
        paths.append(str(path))
    paths.insert(20, str(tmp_path / "missing.txt"))
    proc = run_real(*paths)
    assert proc.returncode == 1
    rows = rows_of(proc)
    assert [row["path"] for row in rows] == [p for p in paths if "missing" not in p]
    assert all({"PAK", "IRN", "IRQ"} <= {t["country_iso3"] for t in r["toponyms"]} for r in rows)
    errors = proc.stderr.decode().splitlines()
    assert (
        errors[0]
        == f"error: {tmp_path / 'missing.txt'}: no such file; check the path (relative to {PROJECT_DIR})"
    )
    assert "Traceback" not in proc.stderr.decode()


def test_real_stdin_and_jsonl() -> None:
    proc = run_real("-", str(DATA / "articles.jsonl"), stdin="Iran viel Irak aan.".encode("cp1252"))
    assert proc.returncode == 1  # the two bad lines of articles.jsonl
    rows = rows_of(proc)
    assert rows[0]["path"] == "-"
    assert [t["text"] for t in rows[0]["toponyms"]] == ["Iran", "Irak"]
    assert [row["id"] for row in rows[1:3]] == ["a1", "a3"]
    assert len(proc.stderr.decode().splitlines()) == 3
