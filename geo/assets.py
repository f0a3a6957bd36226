"""Local Leaflet and jQuery for maps that never fetch anything from a CDN.

folium 0.20 points every map at CDN copies of Leaflet, jQuery, Bootstrap, Font Awesome and
awesome-markers, and streamlit-folium injects exactly those ``<script>``/``<link>`` tags into
its iframe: with no network the map stays blank. strikemap only needs Leaflet (and jQuery for
folium's popups), which the ``XStatic-Leaflet`` and ``XStatic-jQuery`` packages ship in the
versions folium expects. :func:`install_assets` copies them into ``static/vendor/`` (served by
Streamlit at ``app/static/vendor/`` when ``server.enableStaticServing`` is on), and
:func:`use_local_assets` points one map at them, or at ``data:`` URIs that need no server at all.

Bootstrap, Font Awesome and awesome-markers are dropped: our markers are canvas circles and
``DivIcon``\\ s, which need none of them.
"""

from __future__ import annotations

import base64
import filecmp
import functools
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from geo.errors import DataError
from geo.paths import PROJECT_DIR

if TYPE_CHECKING:
    import folium

__all__ = [
    "DEFAULT_BASE_URL",
    "LEAFLET_VERSION",
    "JQUERY_VERSION",
    "VENDOR_DIR",
    "AssetFile",
    "asset_files",
    "install_assets",
    "is_installed",
    "local_css",
    "local_js",
    "offline_maps",
    "use_local_assets",
]

LEAFLET_VERSION = "1.9.3"
JQUERY_VERSION = "3.7.1"

VENDOR_DIR = PROJECT_DIR / "static" / "vendor"
# Where Streamlit serves ``static/vendor`` (server.enableStaticServing = true). Absolute, because
# the map lives in a component iframe under /component/...; app.py prefixes a baseUrlPath.
DEFAULT_BASE_URL = "/app/static/vendor"

AssetMode = Literal["static", "inline"]


@dataclass(frozen=True, slots=True)
class AssetFile:
    """One vendored file: where it comes from and where it goes under ``static/vendor``."""

    source: Path
    relative: str  # POSIX path under static/vendor, also the URL path under the base URL


def _xstatic_dir(module: str, package: str, version: str) -> Path:
    import importlib

    try:
        pkg = importlib.import_module(module)
    except ImportError as err:
        raise DataError(
            f"{package} is not installed, so the map has no local Leaflet/jQuery; "
            f"run `pip install {package}` (or `make install`)"
        ) from err
    found = str(getattr(pkg, "VERSION", ""))
    if not found.startswith(version):
        raise DataError(
            f"{package} ships version {found!r} but folium 0.20 expects {version}; "
            f"install the pinned version from pyproject.toml"
        )
    return Path(pkg.BASE_DIR)


def asset_files() -> list[AssetFile]:
    """Return every file :func:`install_assets` copies (Leaflet with its images, jQuery).

    Raises
    ------
    DataError
        When an XStatic package is missing or has the wrong version.
    """
    leaflet = _xstatic_dir("xstatic.pkg.leaflet", "XStatic-Leaflet", LEAFLET_VERSION)
    jquery = _xstatic_dir("xstatic.pkg.jquery", "XStatic-jQuery", JQUERY_VERSION)
    files = [
        AssetFile(leaflet / "leaflet.js", "leaflet/leaflet.js"),
        AssetFile(leaflet / "leaflet.css", "leaflet/leaflet.css"),
    ]
    # leaflet.css refers to images/layers.png etc. relative to itself
    for image in sorted((leaflet / "images").glob("*.png")):
        files.append(AssetFile(image, f"leaflet/images/{image.name}"))
    files.append(AssetFile(jquery / "jquery.min.js", "jquery/jquery.min.js"))
    missing = [str(f.source) for f in files if not f.source.is_file()]
    if missing:
        raise DataError(
            f"the XStatic packages are incomplete (missing {', '.join(missing)}); "
            "reinstall XStatic-Leaflet and XStatic-jQuery"
        )
    return files


def install_assets(dest: Path | str = VENDOR_DIR) -> list[Path]:
    """Copy Leaflet and jQuery into `dest`; files already identical are left alone.

    Parameters
    ----------
    dest : path
        Target folder, ``static/vendor`` of the project by default.

    Returns
    -------
    list of Path
        The files that were written (empty when everything was already in place).

    Raises
    ------
    DataError
        When the XStatic packages are missing, or `dest` cannot be written.
    """
    dest = Path(dest)
    written = []
    for item in asset_files():
        target = dest / item.relative
        if target.is_file() and filecmp.cmp(item.source, target, shallow=False):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            shutil.copyfile(item.source, tmp)
            tmp.replace(target)  # atomic: a running app never serves half a file
        except OSError as err:
            raise DataError(
                f"cannot write the map assets to {dest}: {err}; "
                "make the folder writable or pass another destination"
            ) from err
        written.append(target)
    return written


def is_installed(dest: Path | str = VENDOR_DIR) -> bool:
    """Return True when every asset file exists in `dest` (contents are not compared)."""
    try:
        files = asset_files()
    except DataError:
        return False
    return all((Path(dest) / f.relative).is_file() for f in files)


def local_js(base_url: str = DEFAULT_BASE_URL) -> list[tuple[str, str]]:
    """Return folium-style ``(name, url)`` pairs for Leaflet and jQuery under `base_url`."""
    base = base_url.rstrip("/")
    return [
        ("leaflet", f"{base}/leaflet/leaflet.js"),
        ("jquery", f"{base}/jquery/jquery.min.js"),
    ]


def local_css(base_url: str = DEFAULT_BASE_URL) -> list[tuple[str, str]]:
    """Return folium-style ``(name, url)`` pairs for Leaflet's stylesheet under `base_url`."""
    return [("leaflet_css", f"{base_url.rstrip('/')}/leaflet/leaflet.css")]


@functools.cache
def _inline_assets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    by_name = {f.relative: f.source for f in asset_files()}

    def data_uri(mime: str, data: bytes) -> str:
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    css = by_name["leaflet/leaflet.css"].read_text(encoding="utf-8")

    # A data: stylesheet has no base URL, so its images/... references must be inlined too.
    def inline_image(match: re.Match[str]) -> str:
        source = by_name.get(f"leaflet/{match.group(1)}")
        if source is None:
            return match.group(0)
        return f"url({data_uri('image/png', source.read_bytes())})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline_image, css)
    js = [
        ("leaflet", data_uri("text/javascript", by_name["leaflet/leaflet.js"].read_bytes())),
        ("jquery", data_uri("text/javascript", by_name["jquery/jquery.min.js"].read_bytes())),
    ]
    return js, [("leaflet_css", data_uri("text/css", css.encode("utf-8")))]


def use_local_assets(
    m: folium.Map,
    *,
    mode: AssetMode = "static",
    base_url: str = DEFAULT_BASE_URL,
    jquery: bool = True,
) -> folium.Map:
    """Point one map at local Leaflet/jQuery instead of CDNs, and drop Bootstrap & co.

    Only this map object changes (instance attributes shadow folium's class defaults).

    Parameters
    ----------
    m : folium.Map
        The map to change in place; it is returned for chaining.
    mode : {"static", "inline"}
        ``"static"``: URLs under `base_url` (Streamlit static serving of ``static/vendor``,
        installed by :func:`install_assets`). ``"inline"``: ``data:`` URIs; works without any
        server (standalone HTML, or when static serving is off) but adds ~330 kB per render.
    base_url : str
        URL prefix of ``static/vendor`` for ``mode="static"``.
    jquery : bool
        Include jQuery, which ``folium.Popup`` and ``keep_in_front`` need; a map that uses
        neither loads one script less (streamlit-folium loads its scripts one after another).

    Raises
    ------
    ValueError
        On an unknown `mode`.
    """
    if mode == "static":
        js, css = local_js(base_url), local_css(base_url)
    elif mode == "inline":
        js, css = _inline_assets()
    else:
        raise ValueError(f"mode was {mode!r} but is expected to be 'static' or 'inline'")
    m.default_js = [(name, url) for name, url in js if jquery or name != "jquery"]
    m.default_css = list(css)
    return m


@contextmanager
def offline_maps(mode: AssetMode = "static", base_url: str = DEFAULT_BASE_URL) -> Iterator[None]:
    """Make every ``folium.Map`` created inside the block use local assets (class-level).

    Prefer :func:`use_local_assets` on one map; this context is for code that builds maps
    it does not control. The previous defaults are restored on exit.
    """
    import folium

    js, css = folium.Map.default_js, folium.Map.default_css
    probe = use_local_assets(folium.Map(tiles=None), mode=mode, base_url=base_url)
    folium.Map.default_js, folium.Map.default_css = probe.default_js, probe.default_css
    try:
        yield
    finally:
        folium.Map.default_js, folium.Map.default_css = js, css
