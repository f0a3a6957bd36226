"""A Nominatim look-alike on 127.0.0.1 for the geocoder tests: a real HTTP server in a thread.

It speaks the parts of Nominatim's API that geopy uses (``/search`` and ``/reverse`` with
``format=json``), answers from a small table of real places, and can misbehave on purpose
(slow, 429, 503, malformed JSON). Every request is recorded with a server-side timestamp so
tests can check rate limiting and caching from the server's point of view.
"""

from __future__ import annotations

import json
import math
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# Answers copied in shape from nominatim.openstreetmap.org (format=json, addressdetails=1).
PLACES: dict[str, list[dict[str, Any]]] = {
    "kerman": [
        {
            "place_id": 164379,
            "osm_type": "relation",
            "osm_id": 6384934,
            "lat": "30.2832",
            "lon": "57.0788",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "city",
            "name": "Kerman",
            "display_name": "Kerman, Kerman Province, Iran",
            "importance": 0.62,
            "address": {
                "city": "Kerman",
                "state": "Kerman Province",
                "country": "Iran",
                "country_code": "ir",
            },
        },
        {
            "place_id": 297156,
            "osm_type": "relation",
            "osm_id": 2221410,
            "lat": "36.7236",
            "lon": "-120.0599",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "town",
            "name": "Kerman",
            "display_name": "Kerman, Fresno County, California, United States",
            "importance": 0.41,
            "address": {
                "town": "Kerman",
                "county": "Fresno County",
                "state": "California",
                "country": "United States",
                "country_code": "us",
            },
        },
    ],
    "erbil": [
        {
            "place_id": 215007,
            "osm_type": "node",
            "osm_id": 276602346,
            "lat": "36.1912",
            "lon": "44.0092",
            "class": "place",
            "type": "city",
            "addresstype": "city",
            "name": "Erbil",
            "display_name": "Erbil, Erbil Governorate, Iraq",
            "importance": 0.6,
            "address": {
                "city": "Erbil",
                "state": "Erbil Governorate",
                "country": "Iraq",
                "country_code": "iq",
            },
        }
    ],
    "panjgur": [
        {
            "place_id": 301123,
            "osm_type": "node",
            "osm_id": 1940411003,
            "lat": "26.9644",
            "lon": "64.0903",
            "class": "place",
            "type": "town",
            "addresstype": "town",
            "name": "Panjgur",
            "display_name": "Panjgur, Balochistan, Pakistan",
            "importance": 0.45,
            "address": {
                "town": "Panjgur",
                "state": "Balochistan",
                "country": "Pakistan",
                "country_code": "pk",
            },
        }
    ],
}


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    path: str
    params: dict[str, str]
    user_agent: str
    at: float  # time.monotonic() when the request arrived


class FakeNominatim:
    """Serve Nominatim's /search and /reverse on 127.0.0.1 in a daemon thread.

    ``mode`` decides the next answers: ``"ok"``, ``"slow"`` (waits ``delay_s`` first),
    ``"429"``, ``"503"``, ``"malformed"`` (HTML instead of JSON) or ``"wrong-shape"`` (valid
    JSON that is not a list of places). It may be changed while the server runs.
    """

    def __init__(self, mode: str = "ok", *, delay_s: float = 2.0) -> None:
        self.mode = mode
        self.delay_s = delay_s
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def domain(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def count(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    def __enter__(self) -> FakeNominatim:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep pytest output clean

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake._record(
                    Request(url.path, params, self.headers.get("User-Agent", ""), time.monotonic())
                )
                mode = fake.mode
                if mode == "slow":
                    time.sleep(fake.delay_s)
                if mode == "429":
                    self._send(429, b'{"error": "Too many requests"}', {"Retry-After": "0"})
                elif mode == "503":
                    self._send(503, b"<html><body>Service Unavailable</body></html>")
                elif mode == "malformed":
                    self._send(200, b"<html><body>Bandwidth limit exceeded</body></html>")
                elif mode == "wrong-shape":
                    self._send(200, b'[{"display_name": "no coordinates here"}]')
                elif url.path in ("/search", "/search.php"):
                    self._send(200, json.dumps(_search(params)).encode())
                elif url.path in ("/reverse", "/reverse.php"):
                    self._send(200, json.dumps(_reverse(params)).encode())
                else:
                    self._send(404, b'{"error": "unknown endpoint"}')

            def _send(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        return Handler


def _search(params: dict[str, str]) -> list[dict[str, Any]]:
    query = params.get("q") or params.get("city") or ""
    name = query.split(",")[0].strip().casefold()
    results = PLACES.get(name, [])
    codes = params.get("countrycodes")
    if codes:
        wanted = set(codes.lower().split(","))
        results = [r for r in results if r["address"]["country_code"] in wanted]
    limit = int(params.get("limit", "10"))
    return results[:limit]


def _reverse(params: dict[str, str]) -> dict[str, Any]:
    lat, lon = float(params["lat"]), float(params["lon"])
    best: tuple[float, dict[str, Any]] | None = None
    for results in PLACES.values():
        for place in results:
            d = math.hypot(float(place["lat"]) - lat, float(place["lon"]) - lon)
            if d < 0.5 and (best is None or d < best[0]):
                best = (d, place)
    if best is None:
        return {"error": "Unable to geocode"}
    return best[1]


def closed_port() -> int:
    """Return a loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
