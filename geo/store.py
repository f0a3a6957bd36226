"""The app's persistent store: articles and analysts' corrections in one SQLite file.

The store is what the Streamlit app reads and writes; the corpus in ``data/articles/`` is its
default content. Several browser sessions (threads) and several app processes may write at the
same time, so every write is one ``BEGIN IMMEDIATE`` transaction on a WAL-mode database with a
busy timeout: writers queue instead of failing, and a failed write changes nothing.

A corrupt store (not a SQLite file, missing tables, failed integrity check) is moved aside to
``<name>.corrupt-<timestamp>`` and rebuilt from the corpus; :attr:`Store.messages` says what
happened so the UI can show it. Nothing is deleted.

This module never imports streamlit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import InputError, StoreError
from geo.models import Article, Strike
from geo.paths import ARTICLES_DIR, PROJECT_DIR

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "Correction",
    "Store",
    "StoredArticle",
    "apply_corrections",
    "correct_strikes",
    "corrections_by_strike",
    "default_data_dir",
    "identity_key",
    "source_key",
]

DB_NAME = "strikemap.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT,
    url TEXT,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    path TEXT,
    language TEXT,
    added_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS corrections (
    strike_id TEXT PRIMARY KEY,
    attacker TEXT,
    attacker_iso3 TEXT,
    target_name TEXT,
    target_iso3 TEXT,
    target_lon REAL,
    target_lat REAL,
    date TEXT,
    rejected INTEGER NOT NULL DEFAULT 0,
    edited_at TEXT NOT NULL,
    note TEXT,
    source_keys TEXT NOT NULL DEFAULT '',
    extracted TEXT
);
"""

# Columns added after the first release: added to older stores on open (nullable, no data lost).
_ADDED_COLUMNS: dict[str, dict[str, str]] = {"corrections": {"extracted": "TEXT"}}

# Every column the code reads; a table missing one of them is treated as corrupt.
_REQUIRED_COLUMNS: dict[str, set[str]] = {
    "meta": {"key", "value"},
    "articles": {
        "id",
        "title",
        "date",
        "url",
        "text",
        "source",
        "path",
        "language",
        "added_at",
        "deleted",
    },
    "corrections": {
        "strike_id",
        "attacker",
        "attacker_iso3",
        "target_name",
        "target_iso3",
        "target_lon",
        "target_lat",
        "date",
        "rejected",
        "edited_at",
        "note",
        "source_keys",
    },
}


def default_data_dir() -> Path:
    """Return the store's directory: ``$STRIKEMAP_DATA_DIR`` or ``<project>/.strikemap-data``."""
    explicit = os.environ.get("STRIKEMAP_DATA_DIR")
    return Path(explicit) if explicit else PROJECT_DIR / ".strikemap-data"


_BUMP_VERSION = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'"


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, which lets readers run while one writer writes.

    WAL is a property of the file, and switching needs a moment without other writers, hence
    the retries.
    """
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if attempt == 99:
                raise
            time.sleep(0.05)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One row of the articles table (the article plus bookkeeping)."""

    article: Article
    source: str  # "corpus", "upload", "paste", ...
    added_at: str  # ISO 8601, UTC
    is_deleted: bool = False


@dataclass(frozen=True, slots=True)
class Correction:
    """An analyst's correction of one strike. ``None`` fields keep the extracted value.

    ``target_lon``/``target_lat`` move the target (WGS84); ``is_rejected`` drops the strike.
    ``source_keys`` (see :func:`source_key`) are the reports the strike had when corrected:
    event ids change when a new article adds a report, and the correction then follows the
    event that holds these reports. ``extracted`` is ``"<attacker>→<target>"`` as extracted
    (before any correction): several events can come from one sentence, and it tells which of
    them the correction belongs to when the id changed.
    """

    strike_id: str
    attacker: str | None = None
    attacker_iso3: str | None = None
    target_name: str | None = None
    target_iso3: str | None = None
    target_lon: float | None = None
    target_lat: float | None = None
    date: str | None = None
    is_rejected: bool = False
    note: str | None = None
    edited_at: str = ""
    source_keys: tuple[str, ...] = ()
    extracted: str | None = None

    def __post_init__(self) -> None:
        if not self.strike_id:
            raise InputError("a correction needs the id of the strike it corrects")
        if (self.target_lon is None) != (self.target_lat is None):
            raise InputError(
                f"correction of {self.strike_id!r} gives only one of target lon/lat; "
                "give both or neither"
            )
        if self.target_lon is not None and self.target_lat is not None:
            lon, lat = float(self.target_lon), float(self.target_lat)
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise InputError(f"target lon/lat must be finite numbers, got {lon}, {lat}")
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise InputError(
                    f"target ({lon}, {lat}) is outside lon [-180, 180] / lat [-90, 90]; "
                    "check the order is lon, lat"
                )


class Store:
    """SQLite-backed articles and corrections, safe for concurrent writers.

    Parameters
    ----------
    path : str or Path, optional
        The database file, or a directory to hold ``strikemap.sqlite3``. Default: in
        :func:`default_data_dir`.
    corpus_dir : str or Path, optional
        Articles to seed an empty store with (default ``data/articles/``). A missing folder
        seeds nothing.
    seed : bool
        Seed an empty store from the corpus (default True).

    Examples
    --------
    >>> store = Store(tmp_path, seed=False)  # doctest: +SKIP
    >>> store.add_articles([article], source="paste")  # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        corpus_dir: str | Path | None = None,
        seed: bool = True,
    ) -> None:
        target = Path(path) if path is not None else default_data_dir()
        if target.suffix == "" or target.is_dir():
            target = target / DB_NAME
        self.path = target
        self.corpus_dir = Path(corpus_dir) if corpus_dir is not None else ARTICLES_DIR
        self.seed = seed
        self.messages: list[str] = []  # what the UI should tell the user (recoveries)
        self._lock = threading.Lock()
        self._is_ready = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(
                f"cannot create the store directory {self.path.parent}: {err}; "
                "set STRIKEMAP_DATA_DIR to a writable folder"
            ) from err
        self.ensure_healthy()

    # -- connections ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # One connection per operation: sqlite3 connections must not cross threads, and the
        # Streamlit server runs each session in its own thread.
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=True
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot read the store {self.path}: {err}") from err
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Run one write transaction that bumps the version; roll back on any error."""
        with self._transaction("write to", "nothing was changed") as conn:
            yield conn
            conn.execute(_BUMP_VERSION)

    @contextmanager
    def _transaction(
        self, verb: str, hint: str, *, prepare: Callable[[sqlite3.Connection], None] | None = None
    ) -> Iterator[sqlite3.Connection]:
        """Run one ``BEGIN IMMEDIATE`` transaction on a new connection (after `prepare`).

        It commits when the block ends and rolls back on any error; a database error becomes
        ``StoreError("cannot <verb> the store <path>: <error>; <hint>")``.
        """
        conn = self._connect()
        try:
            if prepare is not None:
                prepare(conn)
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot {verb} the store {self.path}: {err}; {hint}") from err
        finally:
            conn.close()

    # -- health and recovery -------------------------------------------------------------

    def _problem(self, *, thorough: bool) -> str | None:
        """Return why the file is not a usable store, or None when it is usable (or absent)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, "rb") as handle:
            if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                return "it is not a SQLite database"
        try:
            conn = self._connect()
            try:
                if thorough:
                    check = conn.execute("PRAGMA quick_check").fetchone()[0]
                    if check != "ok":
                        return f"the integrity check failed ({check})"
                tables = {
                    row[0]
                    for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                if not tables:
                    return None  # an empty database: initialise it
                for table, columns in _REQUIRED_COLUMNS.items():
                    if table not in tables:
                        return f"the table {table!r} is missing"
                    have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                    if not columns <= have:
                        return f"the table {table!r} lacks columns {sorted(columns - have)}"
                version = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                if version is None or not str(version[0]).isdigit():
                    return "its version record is missing"
            finally:
                conn.close()
        except sqlite3.DatabaseError as err:
            return f"SQLite cannot read it ({err})"
        return None

    def ensure_healthy(self, *, thorough: bool = True) -> list[str]:
        """Check the file, move a corrupt one aside and rebuild; return new messages.

        With ``thorough=False`` the page-level integrity scan is skipped (header, tables and
        columns are still checked), which is cheap enough to call on every page run. Safe against other processes doing the same:
        the rebuild happens under an exclusive lock on a fresh file.
        """
        with self._lock:
            problem = self._problem(thorough=thorough)
            new: list[str] = []
            if problem is not None:
                moved = self._move_aside()
                new.append(
                    f"The store {self.path} was unusable ({problem}). It was moved to "
                    f"{moved.name} and rebuilt from the default articles; earlier additions "
                    "and corrections are in the moved file."
                )
            elif self._is_ready and self.path.exists():
                return new  # healthy and initialised: no write transaction on every page run
            self._initialise()
            self._is_ready = True
            self.messages.extend(new)
            return new

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, moved)
        except FileNotFoundError:  # another process moved it first
            return moved
        for suffix in ("-wal", "-shm", "-journal"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
        return moved

    def _initialise(self) -> None:
        # One transaction creates the tables and seeds them, so two processes starting on a new
        # file at once cannot seed twice.
        with self._transaction(
            "initialise", "set STRIKEMAP_DATA_DIR to a writable folder", prepare=_use_wal
        ) as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for table, added in _ADDED_COLUMNS.items():
                have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                for column, kind in added.items():
                    if column not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            # The version starts at the clock (ms), so a store rebuilt after corruption
            # never reuses a version number an earlier file had (cache keys stay unique).
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?), ('version', ?)",
                (str(SCHEMA_VERSION), str(int(time.time() * 1000))),
            )
            seeded = conn.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
            if seeded is None:
                self._insert(conn, self._corpus() if self.seed else [], source="corpus")
                conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (_now(),))
                conn.execute(_BUMP_VERSION)

    def _corpus(self) -> list[Article]:
        """Read every article file of the corpus folder; unreadable files become messages."""
        from geo.ingest import read_articles

        if not self.corpus_dir.is_dir():
            return []
        articles: list[Article] = []
        problems: list[str] = []
        for path in sorted(self.corpus_dir.iterdir()):
            if not path.is_file() or path.name.startswith(".") or path.suffix == ".md":
                continue
            try:
                articles.extend(read_articles(path, errors=problems))
            except InputError as err:
                problems.append(str(err))
        if problems:
            self.messages.append(
                "Some default articles could not be read: " + "; ".join(problems[:5])
            )
        return articles

    # -- articles ------------------------------------------------------------------------

    @staticmethod
    def _insert(conn: sqlite3.Connection, articles: Iterable[Article], *, source: str) -> list[str]:
        ids: list[str] = []
        for article in articles:
            if not isinstance(article, Article):
                raise InputError(f"expected an Article, got {type(article).__name__}")
            if not article.id or not article.text.strip():
                raise InputError(f"article {article.title!r} has no id or no text; nothing added")
            conn.execute(
                """
                INSERT INTO articles (id, title, date, url, text, source, path, language,
                                      added_at, deleted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (id) DO UPDATE SET deleted = 0
                """,
                (
                    article.id,
                    article.title,
                    article.date,
                    article.url,
                    article.text,
                    source,
                    article.path,
                    article.language,
                    _now(),
                ),
            )
            ids.append(article.id)
        return ids

    def add_articles(self, articles: Iterable[Article], *, source: str = "upload") -> list[str]:
        """Add articles in one transaction and return their ids.

        All or nothing: if one article is invalid, none is added. An article whose id is
        already stored is not duplicated; if it was deleted it comes back.

        Raises
        ------
        InputError
            An item is not an :class:`Article` or has no text.
        StoreError
            The database cannot be written (nothing was changed).
        """
        batch = list(articles)
        with self._write() as conn:
            return self._insert(conn, batch, source=source)

    def add_article(self, article: Article, *, source: str = "upload") -> str:
        """Add one article (see :meth:`add_articles`) and return its id."""
        return self.add_articles([article], source=source)[0]

    def delete_article(self, article_id: str) -> bool:
        """Soft-delete an article (kept in the file, hidden everywhere); True if it existed."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE articles SET deleted = 1 WHERE id = ? AND deleted = 0", (article_id,)
            )
            return cur.rowcount > 0

    def restore_article(self, article_id: str) -> bool:
        """Undo :meth:`delete_article`; True if a deleted article was restored."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE articles SET deleted = 0 WHERE id = ? AND deleted = 1", (article_id,)
            )
            return cur.rowcount > 0

    def stored_articles(self, *, include_deleted: bool = False) -> list[StoredArticle]:
        """Return stored articles in the order they were added."""
        query = "SELECT * FROM articles"
        if not include_deleted:
            query += " WHERE deleted = 0"
        with self._read() as conn:
            rows = conn.execute(query + " ORDER BY added_at, rowid").fetchall()
        return [
            StoredArticle(
                article=_article_from_row(row),
                source=row["source"],
                added_at=row["added_at"],
                is_deleted=bool(row["deleted"]),
            )
            for row in rows
        ]

    def articles(self, *, include_deleted: bool = False) -> list[Article]:
        """Return the (not deleted) articles, re-split into sentences, in the order added."""
        return [s.article for s in self.stored_articles(include_deleted=include_deleted)]

    def count_articles(self, *, include_deleted: bool = False) -> int:
        """Return how many articles are stored."""
        query = "SELECT COUNT(*) FROM articles"
        if not include_deleted:
            query += " WHERE deleted = 0"
        with self._read() as conn:
            return int(conn.execute(query).fetchone()[0])

    # -- corrections ---------------------------------------------------------------------

    def set_correction(self, correction: Correction, *, replaces: str | None = None) -> Correction:
        """Save (replace) the correction of one strike and return it with its timestamp.

        Parameters
        ----------
        correction : Correction
        replaces : str, optional
            The strike id of an older correction that this one supersedes (the event's id
            changed since), removed in the same transaction.
        """
        saved = dataclasses.replace(correction, edited_at=_now())
        with self._write() as conn:
            if replaces is not None and replaces != saved.strike_id:
                conn.execute("DELETE FROM corrections WHERE strike_id = ?", (replaces,))
            conn.execute(
                """
                INSERT OR REPLACE INTO corrections (strike_id, attacker, attacker_iso3,
                    target_name, target_iso3, target_lon, target_lat, date, rejected,
                    edited_at, note, source_keys, extracted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    saved.strike_id,
                    saved.attacker,
                    saved.attacker_iso3,
                    saved.target_name,
                    saved.target_iso3,
                    saved.target_lon,
                    saved.target_lat,
                    saved.date,
                    int(saved.is_rejected),
                    saved.edited_at,
                    saved.note,
                    "\n".join(saved.source_keys),
                    saved.extracted,
                ),
            )
        return saved

    def clear_correction(self, strike_id: str) -> bool:
        """Remove the correction of a strike (back to the extracted values); True if removed."""
        with self._write() as conn:
            return (
                conn.execute("DELETE FROM corrections WHERE strike_id = ?", (strike_id,)).rowcount
                > 0
            )

    def corrections(self) -> dict[str, Correction]:
        """Return every correction by strike id."""
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM corrections ORDER BY edited_at").fetchall()
        return {
            row["strike_id"]: Correction(
                strike_id=row["strike_id"],
                attacker=row["attacker"],
                attacker_iso3=row["attacker_iso3"],
                target_name=row["target_name"],
                target_iso3=row["target_iso3"],
                target_lon=row["target_lon"],
                target_lat=row["target_lat"],
                date=row["date"],
                is_rejected=bool(row["rejected"]),
                note=row["note"],
                edited_at=row["edited_at"],
                source_keys=tuple(k for k in row["source_keys"].split("\n") if k),
                extracted=row["extracted"],
            )
            for row in rows
        }

    # -- versions ------------------------------------------------------------------------

    def version(self) -> int:
        """Return a number that grows with every committed write (for cache keys)."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row is not None else 0

    def articles_key(self) -> str:
        """Return a key that changes exactly when the set of visible articles changes.

        Corrections do not change it, so an expensive extraction can be cached on it.
        """
        with self._read() as conn:
            row = conn.execute(
                "SELECT COUNT(*), COALESCE(group_concat(id, ','), '') FROM "
                "(SELECT id FROM articles WHERE deleted = 0 ORDER BY id)"
            ).fetchone()
        return f"{row[0]}:{hashlib.sha1(row[1].encode()).hexdigest()[:16]}"

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"


def _article_from_row(row: sqlite3.Row) -> Article:
    """Rebuild an Article; sentences are recomputed (offsets index the stored text)."""
    from geo.ingest import article_from_text

    try:
        return article_from_text(
            row["text"],
            title=row["title"],
            date=row["date"],
            url=row["url"],
            id=row["id"],
            path=row["path"],
            language=row["language"],
        )
    except InputError:  # stored by an older version with looser checks: keep it readable
        return Article(
            id=row["id"],
            title=row["title"],
            date=row["date"],
            text=row["text"],
            url=row["url"],
            path=row["path"],
            language=row["language"],
        )


# -- corrections applied to frames ---------------------------------------------------------


def _locate_iso3(lon: float, lat: float) -> str | None:
    try:
        from geo.boundaries import locate
    except ImportError:
        return None
    try:
        return locate(lon, lat).country_iso3
    except Exception:  # boundaries missing: keep the analyst's value rather than fail the page
        return None


def _line(origin: tuple[float, float], target: tuple[float, float]) -> Any:
    try:
        from geo.arcs import geodesic_line
    except ImportError:
        from shapely.geometry import LineString

        return LineString([origin, target])
    return geodesic_line(origin, target)


def source_key(source: Any) -> str:
    """Return the key of one report: ``"<article id>:<start>:<end>"`` (Source or its dict)."""
    if isinstance(source, Mapping):
        return f"{source.get('article_id')}:{source.get('start')}:{source.get('end')}"
    return f"{source.article_id}:{source.start}:{source.end}"


def identity_key(attacker: str, target_name: str) -> str:
    """Return ``"<attacker>→<target>"``, the :attr:`Correction.extracted` of a strike."""
    return f"{attacker}→{target_name}"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _source_keys(sources: Any) -> set[str]:
    return {source_key(s) for s in sources} if isinstance(sources, list | tuple) else set()


def _assign(
    corrections: Mapping[str, Correction] | Iterable[Correction],
    strikes: list[tuple[str, Any, str, str]],
) -> list[Correction | None]:
    """Return the correction of each strike ``(id, sources, attacker, target_name)``, or None.

    A correction applies to the strike with its id. Only a correction whose strike is gone (the
    id changed because a new article added a report) looks further: it follows the one strike
    that holds its reports; when several strikes come from those reports (one sentence can
    report strikes on several targets), only the one with the extracted target (else attacker)
    of :attr:`Correction.extracted`. Each correction applies to at most one strike, so
    correcting one event never changes another reported in the same sentence.
    """
    items = list(corrections.values() if isinstance(corrections, Mapping) else corrections)
    by_id = {c.strike_id: c for c in items}
    out: list[Correction | None] = [by_id.get(sid) for sid, _, _, _ in strikes]
    present = {sid for sid, _, _, _ in strikes}
    orphans = [c for c in items if c.strike_id not in present and c.source_keys]
    if not orphans:
        return out
    keys = {i: _source_keys(strikes[i][1]) for i, c in enumerate(out) if c is None}
    holders: dict[str, list[int]] = {}
    for i, held in keys.items():
        for key in held:
            holders.setdefault(key, []).append(i)
    for correction in orphans:  # oldest first (Store.corrections orders by edited_at)
        wanted = set(correction.source_keys)
        found = {i for key in wanted for i in holders.get(key, ())}
        candidates = sorted(i for i in found if out[i] is None)
        if len(candidates) > 1:
            if correction.extracted is None:
                continue  # ambiguous: leave it unapplied rather than correct the wrong event
            attacker, _, target = correction.extracted.partition("→")
            same_target = [i for i in candidates if _fold(strikes[i][3]) == _fold(target)]
            candidates = same_target or [
                i for i in candidates if _fold(strikes[i][2]) == _fold(attacker)
            ]
            if len(candidates) > 1:  # the one holding most of the reports, if unique
                candidates.sort(key=lambda i: -len(keys[i] & wanted))
                best = len(keys[candidates[0]] & wanted) if candidates else 0
                candidates = [i for i in candidates if len(keys[i] & wanted) == best]
        if len(candidates) == 1:
            out[candidates[0]] = correction
    return out


def _updates(current: Mapping[str, Any], c: Correction) -> dict[str, Any]:
    """Return the strike fields a correction changes (given the strike's current fields)."""
    new: dict[str, Any] = {"edited": True}
    for name in ("attacker", "attacker_iso3", "target_name", "date"):
        value = getattr(c, name)
        if value is not None:
            new[name] = value
    moved = c.target_lon is not None and c.target_lat is not None
    if moved:
        lon, lat = float(c.target_lon), float(c.target_lat)  # type: ignore[arg-type]
        new.update(
            target_lon=lon,
            target_lat=lat,
            target_iso3=_locate_iso3(lon, lat),
            target_admin1=None,
            target_place_id=None,  # the pipeline then matches the place by position
            geo_precision="place",
        )
    if c.target_iso3 is not None:
        new["target_iso3"] = c.target_iso3
    if moved or c.attacker_iso3 is not None or c.target_iso3 is not None:
        attacker_iso3 = new.get("attacker_iso3", current.get("attacker_iso3"))
        target_iso3 = new.get("target_iso3", current.get("target_iso3"))
        if isinstance(attacker_iso3, str) and isinstance(target_iso3, str):
            new["cross_border"] = attacker_iso3 != target_iso3
    return new


def corrections_by_strike(
    strikes: Iterable[Strike], corrections: Mapping[str, Correction] | Iterable[Correction]
) -> dict[str, Correction]:
    """Return the correction that applies to each corrected strike, by the strike's id.

    The id of the correction differs from the strike's when the correction followed the
    strike's reports after its id changed (see :class:`Correction`).
    """
    items = list(strikes)
    assigned = _assign(corrections, [(s.id, s.sources, s.attacker, s.target_name) for s in items])
    return {s.id: c for s, c in zip(items, assigned, strict=True) if c is not None}


def correct_strikes(
    strikes: Iterable[Strike], corrections: Mapping[str, Correction] | Iterable[Correction]
) -> list[Strike]:
    """Return `strikes` with corrections applied: edited ones marked, rejected ones dropped.

    The Strike-level twin of :func:`apply_corrections`; use it before building frames so that
    places frames see the corrected targets.
    """
    items = list(strikes)
    assigned = _assign(corrections, [(s.id, s.sources, s.attacker, s.target_name) for s in items])
    out: list[Strike] = []
    for strike, correction in zip(items, assigned, strict=True):
        if correction is None:
            out.append(strike)
        elif not correction.is_rejected:
            current = {f.name: getattr(strike, f.name) for f in dataclasses.fields(strike)}
            out.append(dataclasses.replace(strike, **_updates(current, correction)))
    return out


def apply_corrections(
    strikes: GeoDataFrame, corrections: Mapping[str, Correction] | Iterable[Correction]
) -> GeoDataFrame:
    """Return `strikes` with analysts' corrections applied (a new frame; input unchanged).

    Corrected rows get ``edited=True``; rejected strikes are dropped. A moved target gets a new
    geodesic line from the unchanged origin, and ``cross_border`` / ``target_iso3`` are
    recomputed from the boundaries (an explicit ``target_iso3`` in the correction wins).
    Corrections of strikes that are not in the frame are ignored; a strike whose id changed
    (a new article added a report) is matched by its reports (``Correction.source_keys``).

    Parameters
    ----------
    strikes : GeoDataFrame
        One row per strike, as ``Extraction.strikes_frame()`` (EPSG:4326).
    corrections : mapping of strike id to Correction, or iterable of Correction

    Returns
    -------
    GeoDataFrame
        Same columns, EPSG:4326.
    """
    out = strikes.copy()
    if "edited" not in out.columns:
        out["edited"] = False
    out["edited"] = out["edited"].fillna(False).astype(bool)
    if out.empty or not corrections:
        return out
    drop: list[Any] = []
    geometry = out.geometry.name
    sources = out["sources"] if "sources" in out.columns else [()] * len(out)
    assigned = _assign(
        corrections,
        [
            (sid, src, str(attacker), str(target))
            for sid, src, attacker, target in zip(
                out["id"], sources, out["attacker"], out["target_name"], strict=True
            )
        ],
    )
    for index, correction in zip(out.index, assigned, strict=True):
        if correction is None:
            continue
        if correction.is_rejected:
            drop.append(index)
            continue
        updates = _updates(out.loc[index].to_dict(), correction)
        for column, value in updates.items():
            if column in out.columns:
                out.at[index, column] = value
        if "target_lon" in updates:
            origin = (float(out.at[index, "origin_lon"]), float(out.at[index, "origin_lat"]))
            out.at[index, geometry] = _line(origin, (updates["target_lon"], updates["target_lat"]))
    return out.drop(index=drop)
