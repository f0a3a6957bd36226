"""One call for notebooks: ``extract(paths_or_texts) -> (places, strikes)``."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import InputError
from geo.models import Article

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = ["extract"]

Input = str | os.PathLike[str] | Article

_ON_ERROR = ("raise", "warn", "ignore")


def _is_existing_path(value: str) -> bool:
    # An article text is never a path: it has line breaks or is far longer than a file name.
    if not value or "\n" in value or len(value) > 4096:
        return False
    try:
        return os.path.exists(value)
    except (OSError, ValueError):  # name too long, NUL byte
        return False


def extract(
    paths_or_texts: Input | Iterable[Input],
    *,
    cross_border_only: bool = False,
    on_error: str = "raise",
    jobs: int = 1,
) -> tuple[GeoDataFrame, GeoDataFrame]:
    """Find places and strikes in files or texts and return them as two GeoDataFrames.

    Parameters
    ----------
    paths_or_texts : str, path-like, Article, or an iterable of them
        A ``str`` that names an existing file is read (text, HTML or JSON Lines, see
        :func:`geo.ingest.read_articles`); any other ``str`` is an article text (a first line
        ``date 2024-01-16`` sets its date). ``Path`` objects are always read, and
        :class:`~geo.models.Article` objects are used as they are.
    cross_border_only : bool, default False
        Keep only strikes whose attacker and target are in different countries.
    on_error : {"raise", "warn", "ignore"}, default "raise"
        What to do when an input cannot be read: raise :class:`~geo.errors.InputError`
        listing every failed input, or warn (or not) and return what was readable.
    jobs : int, default 1
        Worker processes for many articles (see :func:`geo.pipeline.run_articles`); the
        result is the same.

    Returns
    -------
    places : GeoDataFrame
        One row per place (Point, EPSG:4326); see :meth:`geo.pipeline.Extraction.places_frame`.
    strikes : GeoDataFrame
        One row per strike event (geodesic line from origin to target, EPSG:4326); see
        :meth:`geo.pipeline.Extraction.strikes_frame`.

    Raises
    ------
    InputError
        With ``on_error="raise"``, when an input is missing, empty, binary or undecodable.
    ValueError
        When `on_error` is not one of the allowed values.

    See Also
    --------
    geo.pipeline.run_paths, geo.pipeline.run_articles : the same, returning an Extraction.
    geo.export.to_geojson : write the two frames as RFC 7946 GeoJSON.

    Examples
    --------
    >>> from geo.api import extract
    >>> places, strikes = extract(
    ...     "date 2024-01-16\\nIran fired missiles and drones at Panjgur in Pakistan."
    ... )  # doctest: +SKIP
    >>> strikes[["attacker", "target_name", "target_iso3", "date"]]  # doctest: +SKIP
      attacker target_name target_iso3        date
    0     Iran     Panjgur         PAK  2024-01-16
    >>> places, strikes = extract(["news/a.txt", "feeds/b.jsonl"])  # doctest: +SKIP
    """
    if on_error not in _ON_ERROR:
        raise ValueError(
            f"on_error was {on_error!r} but is expected to be one of {list(_ON_ERROR)}"
        )
    from geo.ingest import article_from_text
    from geo.pipeline import read_paths, run_articles

    if isinstance(paths_or_texts, str | os.PathLike | Article):
        items: list[Input] = [paths_or_texts]
    else:
        items = list(paths_or_texts)

    articles: list[Article] = []
    paths: list[str | Path] = []
    errors: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, os.PathLike):
            paths.append(Path(item))
        elif isinstance(item, str):
            if _is_existing_path(item):
                paths.append(item)
            else:
                try:
                    articles.append(article_from_text(item))
                except InputError as err:
                    errors.append(f"text #{i}: {err}")
        else:
            raise TypeError(
                f"item #{i} is a {type(item).__name__}; pass file paths, article texts (str) "
                "or geo.models.Article objects"
            )

    from_files, read_errors = read_paths(paths)
    result = run_articles([*from_files, *articles], jobs=jobs)
    errors = [*read_errors, *errors, *result.errors]
    if errors:
        summary = "; ".join(errors[:5]) + (
            f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        )
        if on_error == "raise":
            raise InputError(
                f"{len(errors)} input(s) could not be used: {summary}. Fix or drop them, or pass "
                "on_error='warn' to keep the readable ones"
            )
        if on_error == "warn":
            warnings.warn(f"skipped {len(errors)} input(s): {summary}", stacklevel=2)
    strikes = result.strikes_frame()
    if cross_border_only:
        strikes = strikes[strikes["cross_border"]].reset_index(drop=True)
    return result.places_frame(), strikes
