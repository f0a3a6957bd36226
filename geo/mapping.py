"""Folium maps of places and cross-border strikes, offline by default.

The map is built for thousands of events and for untrusted article text:

- No Leaflet object per feature: strikes (arcs with their arrowheads), other places, struck
  places and the countries are each ONE :class:`CanvasLayer` (a small Leaflet layer,
  ``SmCanvasLayer``, fed flat JSON arrays, drawing style runs on its own canvas, hit-testing
  clicks and hovers itself); the few shaded provinces are a ``folium.GeoJson`` on Leaflet's
  canvas (``prefer_canvas=True``). 20,000 strikes draw in about two seconds in headless
  Chromium without a GPU, where one ``folium.Marker`` per place takes minutes.
- Arcs are display geometry: the great circle from origin to target (longitudes unwrapped, so a
  Pacific crossing stays one line), bent sideways by a small quadratic-Bézier offset in Web
  Mercator so that A→B and B→A don't overlap, with a triangle at the target end for direction.
  Export uses the true geodesic (:mod:`geo.arcs`), never this shape.
- Every string from an article goes through :func:`escape_text` into HTML we build ourselves;
  Leaflet renders popup/tooltip strings as HTML and the map iframe can reach the app page.
- Every feature carries ``place_id`` or ``strike_id`` (and ``feature_type``): a click fires
  ``click`` with the feature as ``layer``, which streamlit-folium reports as
  ``last_active_drawing``, and opens the feature's pre-escaped popup.
- No CDN: :func:`geo.assets.use_local_assets` points the map at local Leaflet, the base
  map is Natural Earth polygons, and OpenStreetMap tiles are an opt-in layer.

Coordinates are (lon, lat), EPSG:4326, except at the Folium boundary (:func:`_latlon`).
This module never imports streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import threading
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import folium
import numpy as np
from branca.element import Element, Figure, MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from geo.assets import DEFAULT_BASE_URL, AssetMode, use_local_assets
from geo.paths import write_text_atomically

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "ATTACKER_PALETTE",
    "LAYER_BASEMAP",
    "LAYER_COUNTRIES",
    "LAYER_PLACES",
    "LAYER_PROVINCES",
    "LAYER_STRIKES",
    "LAYER_STRUCK",
    "PLACE_STYLES",
    "attacker_colors",
    "build_base_map",
    "build_layers",
    "build_map",
    "CanvasLayer",
    "countries_file",
    "encode_payload",
    "display_arcs",
    "escape_text",
    "events_bounds",
    "highlight_mention",
    "layer_data",
    "layers_from_data",
    "load_display_boundaries",
    "place_layer_data",
    "place_popup_html",
    "province_counts",
    "strike_layer_data",
    "strike_popup_html",
]

Tiles = Literal["none", "osm"]

LAYER_STRIKES = "Strikes"
LAYER_STRUCK = "Struck places"
LAYER_PLACES = "Other places"
LAYER_PROVINCES = "Targeted provinces"
LAYER_COUNTRIES = "Countries (offline)"
LAYER_BASEMAP = "OpenStreetMap (online)"

# Colour-blind-friendly darks (ColorBrewer Dark2 + Paired); no pure red, which marks targets.
ATTACKER_PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#1f78b4",
    "#a6761d",
    "#6a3d9a",
    "#33a02c",
    "#b15928",
    "#666666",
)
UNKNOWN_ATTACKER_COLOR = "#444444"

# Place kind → (fill colour, radius px, legend label). Struck places override the kind.
PLACE_STYLES: dict[str, tuple[str, int, str]] = {
    "target": ("#d7191c", 8, "Struck place"),
    "city": ("#2c7bb6", 5, "City or town"),
    "admin1": ("#5e3c99", 5, "Province"),
    "country": ("#878787", 6, "Country"),
    "region": ("#8c6d31", 5, "Region"),
    "water": ("#0aa1c2", 5, "Sea or gulf"),
    "site": ("#1a9641", 5, "Base, port or facility"),
}
_OTHER_KIND = ("#999999", 4, "Other")

# Provinces by number of strikes on them (ColorBrewer YlOrRd).
_PROVINCE_CLASSES = ((1, "#fed976"), (2, "#feb24c"), (4, "#fd8d3c"), (8, "#f03b20"))
_SEA_COLOR = "#dbe9f1"

_ARC_POINTS = 24  # default vertices per arc of display_arcs
_MAP_ARC_POINTS = 16  # vertices per arc on the map: smooth at any zoom, ~0.25 kB per arc
_BEND = 0.12  # arc bulge as a fraction of the chord length (Web Mercator)
_DECIMALS = 4  # ~10 m: places, provinces and arc end points
_ARC_DECIMALS = 3  # ~100 m: interior arc vertices, a purely cosmetic curve
# Beyond this many strikes the popups carry no excerpt (the side panel has them): 20,000
# excerpts would add ~10 MB to a map that travels to the browser on every rerun.
MAX_STRIKES_WITH_EXCERPTS = 2_000
_POPUP_EXCERPTS = 2  # excerpts shown in a popup; the rest are "and N more"

_WEB_MERCATOR_MAX_LAT = 85.0

# Layer-wide style defaults of the GeoJSON layers (provinces); each feature's ``style``
# property adds only what differs.
_PROVINCE_DEFAULTS = {"color": "#b35806", "weight": 1, "opacity": 0.8, "fillOpacity": 0.45}
_STYLE_DEFAULTS = {"province": _PROVINCE_DEFAULTS}

# Binds each feature's pre-escaped popup and label; our own code, never data.
_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var p = feature.properties || {};
    if (p._popup_html) { layer.bindPopup(p._popup_html, {maxWidth: 420, minWidth: 220}); }
    if (p._label) { layer.bindTooltip(p._label, {sticky: true}); }
}"""
)


# The canvas layer of strikes and places (see CanvasLayer): our code, never data. It defines
# window.SmCanvasLayer once per page.
_CANVAS_LAYER_JS = r"""
(function () {
  if (window.SmCanvasLayer) { return; }
  var D2R = Math.PI / 180, MAXLAT = 85.0511287798;
  function wx(lon) { return (lon + 180) / 360; }
  function wy(lat) {
    var r = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * D2R;
    return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
  }
  function world(c) {
    var w = new Float64Array(c.length);
    for (var i = 0; i < c.length; i += 2) { w[i] = wx(c[i]); w[i + 1] = wy(c[i + 1]); }
    return w;
  }
  function segDist2(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, l = dx * dx + dy * dy, t = 0;
    if (l > 0) { t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l)); }
    var x = ax + t * dx - px, y = ay + t * dy - py;
    return x * x + y * y;
  }
  function topHit(map, e) {
    var layers = map._smLayers;
    for (var i = layers.length - 1; i >= 0; i--) {
      var j = layers[i]._hit(e.layerPoint);
      if (j >= 0) { return [layers[i], j]; }
    }
    return null;
  }
  function install(map) {
    if (map._smLayers) { return; }
    map._smLayers = [];
    var tip = map._smTip = L.tooltip({sticky: true, direction: 'top', offset: [0, -8],
                                      opacity: 0.95});
    var last = null;
    map.on('click', function (e) {
      var h = topHit(map, e);
      if (h) { h[0]._clicked(h[1], e); }
    });
    map.on('mousemove', function (e) {
      last = e;
      if (map._smFrame) { return; }
      map._smFrame = L.Util.requestAnimFrame(function () {
        map._smFrame = null;
        if (!last) { return; }
        var h = topHit(map, last), open = map._smPopupFor;
        map.getContainer().style.cursor = h ? 'pointer' : '';
        if (h && open && open[0] === h[0] && open[1] === h[1]) { h = null; }  // popup shows it
        if (h) {
          tip.setContent(h[0]._data.labels[h[1]]);
          tip.setLatLng(last.latlng);
          if (!map.hasLayer(tip)) { map.openTooltip(tip); }
        } else if (map.hasLayer(tip)) { map.closeTooltip(tip); }
      });
    });
    map.on('mouseout', function () {
      last = null;
      if (map.hasLayer(tip)) { map.closeTooltip(tip); }
    });
  }

  // One canvas for many arcs (kind "arcs") or circles (kind "points"): no Leaflet object per
  // feature. Clicks fire "click" with a feature proxy as `layer` (what streamlit-folium
  // reports as last_active_drawing) and open a popup from pre-escaped HTML.
  window.SmCanvasLayer = L.Layer.extend({
    options: {pane: 'smPane', padding: 0.1},
    initialize: function (data, options) {
      L.setOptions(this, options);
      if (data.delta_coords) {  // running sums of integers / delta_scale
        var dc = data.delta_coords, c = new Array(dc.length), x = 0, y = 0;
        for (var j = 0; j < dc.length; j += 2) {
          x += dc[j]; y += dc[j + 1];
          c[j] = x / data.delta_scale; c[j + 1] = y / data.delta_scale;
        }
        data.coords = c;
      }
      this._data = data;
      this._n = data.ids.length;
      this._world = world(data.coords);
      this._worldHeads = data.heads ? world(data.heads) : null;
      this._sel = this.options.selected ? data.ids.indexOf(this.options.selected) : -1;
      this.drawnCount = 0;
    },
    onAdd: function (map) {
      install(map);
      // smPane: data, above Leaflet's own canvas (provinces); smBasePane: the countries,
      // under it but above web tiles
      var pane = this.options.pane;
      if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = pane === 'smBasePane' ? 350 : 450; }
      this._canvas = L.DomUtil.create('canvas', 'sm-canvas leaflet-zoom-hide');
      this._canvas.style.pointerEvents = 'none';
      if (this._data.kind === 'polygons') {  // a backdrop: not clickable, not registered
        this.getPane().appendChild(this._canvas);
      } else {
        // keep the stacking (and click priority) of the "order" option when a layer is
        // switched off and on again: strikes under other places under struck places
        var order = this.options.order || 0, layers = map._smLayers, k = 0;
        while (k < layers.length && (layers[k].options.order || 0) <= order) { k++; }
        this.getPane().insertBefore(this._canvas, k < layers.length ? layers[k]._canvas : null);
        layers.splice(k, 0, this);
      }
      this._redraw();  // now: the map has its view (fitted before the data layers come)
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      var k = map._smLayers.indexOf(this);
      if (k >= 0) { map._smLayers.splice(k, 1); }
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
    },
    getEvents: function () {
      return {viewreset: this._schedule, zoomend: this._schedule, moveend: this._schedule,
              resize: this._schedule};
    },
    _schedule: function () {
      if (!this._frame) { this._frame = L.Util.requestAnimFrame(this._redraw, this); }
    },
    _project: function (w, s, scale, ox, oy) {
      for (var i = 0; i < w.length; i += 2) { s[i] = w[i] * scale - ox; s[i + 1] = w[i + 1] * scale - oy; }
    },
    _redraw: function () {
      this._frame = null;
      var map = this._map;
      if (!map) { return; }
      var size = map.getSize(), pad = this.options.padding;
      var px = Math.round(size.x * pad), py = Math.round(size.y * pad);
      var tl = map.containerPointToLayerPoint([-px, -py]).round();
      var W = size.x + 2 * px, H = size.y + 2 * py, r = window.devicePixelRatio || 1;
      var o = map.getPixelOrigin(), zoom = map.getZoom();
      var view = [zoom, o.x, o.y, tl.x, tl.y, W, H, r].join();
      if (view === this._view && !this._force) { return; }  // e.g. a moveend after onAdd
      this._view = view; this._force = false;
      var cv = this._canvas;
      L.DomUtil.setPosition(cv, tl);
      cv.width = Math.round(W * r); cv.height = Math.round(H * r);
      cv.style.width = W + 'px'; cv.style.height = H + 'px';
      var ctx = cv.getContext('2d');
      ctx.setTransform(r, 0, 0, r, 0, 0);
      var scale = 256 * Math.pow(2, zoom), ox = o.x + tl.x, oy = o.y + tl.y;
      this._tl = tl; this._W = W; this._H = H; this._scale = scale; this._ox = ox; this._oy = oy;
      this._s = this._s || new Float32Array(this._world.length);
      this._project(this._world, this._s, scale, ox, oy);
      if (this._worldHeads) {
        this._sh = this._sh || new Float32Array(this._worldHeads.length);
        this._project(this._worldHeads, this._sh, scale, ox, oy);
      }
      if (this._data.kind === 'arcs') { this._drawArcs(ctx); }
      else if (this._data.kind === 'points') { this._drawPoints(ctx); }
      else { this._drawPolygons(ctx); }
      this.drawnCount = this._n;
      if (this.drawnAt === undefined) { this.drawnAt = performance.now(); }  // for benchmarks
    },
    _ringBoxes: function () {  // [minx, miny, maxx, maxy] of each ring, in world units
      if (this._boxes) { return this._boxes; }
      var rings = this._data.rings, w = this._world, box = new Float64Array(4 * rings.length);
      for (var r = 0, p = 0; r < rings.length; r++) {
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (var k = p; k < p + rings[r]; k++) {
          var x = w[2 * k], y = w[2 * k + 1];
          if (x < x0) { x0 = x; } if (x > x1) { x1 = x; }
          if (y < y0) { y0 = y; } if (y > y1) { y1 = y; }
        }
        box[4 * r] = x0; box[4 * r + 1] = y0; box[4 * r + 2] = x1; box[4 * r + 3] = y1;
        p += rings[r];
      }
      return (this._boxes = box);
    },
    _style: function (i) { return this._data.styles[this._data.style[i]]; },
    _drawArcs: function (ctx) {
      var d = this._data, s = this._s, K = d.stride, n = this._n, W = this._W, H = this._H;
      var box = this._box = this._box || new Float32Array(4 * n), cur = -1, i, k, b, st;
      ctx.lineCap = 'round'; ctx.lineJoin = 'round';
      for (i = 0; i < n; i++) {
        b = 2 * K * i;
        var x0 = s[b], x1 = s[b], y0 = s[b + 1], y1 = s[b + 1];
        for (k = 1; k < K; k++) {
          var x = s[b + 2 * k], y = s[b + 2 * k + 1];
          if (x < x0) { x0 = x; } else if (x > x1) { x1 = x; }
          if (y < y0) { y0 = y; } else if (y > y1) { y1 = y; }
        }
        box[4 * i] = x0; box[4 * i + 1] = y0; box[4 * i + 2] = x1; box[4 * i + 3] = y1;
        if (x1 < -10 || y1 < -10 || x0 > W + 10 || y0 > H + 10) { continue; }
        if (d.style[i] !== cur) {
          cur = d.style[i]; st = d.styles[cur];
          ctx.strokeStyle = st.color; ctx.lineWidth = st.weight; ctx.globalAlpha = st.opacity;
          ctx.setLineDash(st.dash ? [6, 6] : []);
        }
        ctx.beginPath();
        ctx.moveTo(s[b], s[b + 1]);
        for (k = 1; k < K; k++) { ctx.lineTo(s[b + 2 * k], s[b + 2 * k + 1]); }
        ctx.stroke();
      }
      var h = this._sh;
      if (h) {  // arrowheads on top, one filled path per style run
        ctx.setLineDash([]); ctx.globalAlpha = 0.9; cur = -1;
        for (i = 0; i <= n; i++) {
          if (i === n || d.style[i] !== cur) {
            if (cur >= 0) { ctx.fill(); ctx.stroke(); }
            if (i === n) { break; }
            cur = d.style[i]; st = d.styles[cur];
            ctx.fillStyle = st.color; ctx.strokeStyle = st.color; ctx.lineWidth = 1;
            ctx.beginPath();
          }
          b = 6 * i;
          ctx.moveTo(h[b], h[b + 1]); ctx.lineTo(h[b + 2], h[b + 3]); ctx.lineTo(h[b + 4], h[b + 5]);
          ctx.closePath();
        }
      }
      if (this._sel >= 0) {  // the selected strike: a black dashed outline on top
        i = this._sel; b = 2 * K * i; st = this._style(i);
        ctx.globalAlpha = 1; ctx.strokeStyle = '#000000'; ctx.lineWidth = Math.max(3, st.weight + 1);
        ctx.setLineDash([4, 6]);
        ctx.beginPath(); ctx.moveTo(s[b], s[b + 1]);
        for (k = 1; k < K; k++) { ctx.lineTo(s[b + 2 * k], s[b + 2 * k + 1]); }
        ctx.stroke(); ctx.setLineDash([]);
      }
    },
    _drawPolygons: function (ctx) {  // every ring in one even-odd path: one fill, one stroke
      var d = this._data, s = this._s, rings = d.rings, st = d.styles[0], p = 0, r, k, b;
      var W = this._W, H = this._H, box = this._ringBoxes();
      ctx.beginPath();
      for (r = 0; r < rings.length; r++) {
        // a ring wholly outside the canvas adds nothing (a hole lies inside its outer ring)
        b = 4 * r;
        var x0 = box[b] * this._scale - this._ox, y0 = box[b + 1] * this._scale - this._oy;
        var x1 = box[b + 2] * this._scale - this._ox, y1 = box[b + 3] * this._scale - this._oy;
        if (x1 >= -2 && y1 >= -2 && x0 <= W + 2 && y0 <= H + 2) {
          // vertices closer than half a pixel to the last one drawn add nothing visible
          // (at a world view most of them)
          var lx = s[2 * p], ly = s[2 * p + 1], e = 2 * (p + rings[r] - 1);
          ctx.moveTo(lx, ly);
          for (k = 2 * (p + 1); k < e; k += 2) {
            if (Math.abs(s[k] - lx) + Math.abs(s[k + 1] - ly) >= 0.5) {
              lx = s[k]; ly = s[k + 1]; ctx.lineTo(lx, ly);
            }
          }
          if (rings[r] > 1) { ctx.lineTo(s[e], s[e + 1]); }
          ctx.closePath();
        }
        p += rings[r];
      }
      ctx.globalAlpha = st.fillOpacity; ctx.fillStyle = st.fillColor; ctx.fill('evenodd');
      ctx.globalAlpha = st.opacity; ctx.strokeStyle = st.color; ctx.lineWidth = st.weight;
      ctx.stroke();
    },
    _drawPoints: function (ctx) {
      var d = this._data, s = this._s, n = this._n, W = this._W, H = this._H, cur = -1, st, i;
      var flush = function () { if (cur >= 0) { ctx.globalAlpha = st.fillOpacity; ctx.fill(); ctx.globalAlpha = st.opacity; ctx.stroke(); } };
      for (i = 0; i < n; i++) {
        var x = s[2 * i], y = s[2 * i + 1];
        if (d.style[i] !== cur) {
          flush();
          cur = d.style[i]; st = d.styles[cur];
          ctx.fillStyle = st.fillColor; ctx.strokeStyle = st.color; ctx.lineWidth = st.weight;
          ctx.beginPath();
        }
        if (x < -20 || y < -20 || x > W + 20 || y > H + 20) { continue; }
        ctx.moveTo(x + st.radius, y);
        ctx.arc(x, y, st.radius, 0, 2 * Math.PI);
      }
      flush();
      if (this._sel >= 0) {
        i = this._sel; st = this._style(i);
        ctx.globalAlpha = 1; ctx.strokeStyle = '#000000'; ctx.lineWidth = 3;
        ctx.beginPath(); ctx.arc(s[2 * i], s[2 * i + 1], st.radius + 4, 0, 2 * Math.PI); ctx.stroke();
      }
    },
    // Index of the feature under `lp` (a layer point), topmost first, or -1.
    _hit: function (lp) {
      if (!this._s || !this.drawnCount) { return -1; }
      var x = lp.x - this._tl.x, y = lp.y - this._tl.y, s = this._s, d = this._data, i, st;
      if (d.kind !== 'arcs') {
        for (i = this._n - 1; i >= 0; i--) {
          st = this._style(i);
          var dx = s[2 * i] - x, dy = s[2 * i + 1] - y, r = st.radius + 3;
          if (dx * dx + dy * dy <= r * r) { return i; }
        }
        return -1;
      }
      var K = d.stride, box = this._box, h = this._sh;
      for (i = this._n - 1; i >= 0; i--) {
        st = this._style(i);
        var tol = st.weight / 2 + 4, b = 2 * K * i;
        if (x < box[4 * i] - tol || x > box[4 * i + 2] + tol ||
            y < box[4 * i + 1] - tol || y > box[4 * i + 3] + tol) { continue; }
        for (var k = 1; k < K; k++) {
          if (segDist2(x, y, s[b + 2 * k - 2], s[b + 2 * k - 1], s[b + 2 * k], s[b + 2 * k + 1]) <= tol * tol) { return i; }
        }
        if (h) {
          var c = 6 * i;
          for (var m = 0; m < 3; m++) {
            var q = (m + 1) % 3;
            if (segDist2(x, y, h[c + 2 * m], h[c + 2 * m + 1], h[c + 2 * q], h[c + 2 * q + 1]) <= 16) { return i; }
          }
        }
      }
      return -1;
    },
    // The GeoJSON feature of item i (what a click reports); `full` adds label and popup HTML.
    feature: function (i, full) {
      var d = this._data, c = d.coords, props = {}, k, geometry;
      var extra = d.props ? d.props[i] : null;
      props.feature_type = d.feature_type;
      props[d.id_key] = d.ids[i];
      if (extra) { for (k in extra) { props[k] = extra[k]; } }
      if (full) { props._label = d.labels[i]; props._popup_html = d.popups ? d.popups[i] : null; }
      if (d.kind === 'arcs') {
        var line = [], b = 2 * d.stride * i;
        for (k = 0; k < d.stride; k++) { line.push([c[b + 2 * k], c[b + 2 * k + 1]]); }
        geometry = {type: 'LineString', coordinates: line};
      } else {
        geometry = {type: 'Point', coordinates: [c[2 * i], c[2 * i + 1]]};
      }
      return {type: 'Feature', properties: props, geometry: geometry};
    },
    features: function (full) {
      var out = [];
      for (var i = 0; i < this._n; i++) { out.push(this.feature(i, full)); }
      return out;
    },
    _clicked: function (i, e) {
      var f = this.feature(i, false), d = this._data, self = this;
      this._map._smLayers.forEach(function (l) {  // outline it now, before the app reruns
        var sel = l === self ? i : -1;
        if (l._sel !== sel) { l._sel = sel; l._force = true; l._schedule(); }
      });
      var proxy = {feature: f, toGeoJSON: function () { return f; }};
      this.fire('click', {latlng: e.latlng, layerPoint: e.layerPoint,
                          containerPoint: e.containerPoint, originalEvent: e.originalEvent,
                          layer: proxy}, true);
      var html = d.popups ? d.popups[i] : null;
      if (html) {
        this._map.closeTooltip(this._map._smTip);  // the popup says it all
        var at = d.kind === 'arcs' ? e.latlng : L.latLng(d.coords[2 * i + 1], d.coords[2 * i]);
        var map = this._map, popup = L.popup({maxWidth: 420, minWidth: 220,
                                              offset: [0, d.kind === 'arcs' ? 0 : -4]});
        popup.on('remove', function () {
          if (map._smPopupFor && map._smPopupFor[2] === popup) { map._smPopupFor = null; }
        });
        popup.setLatLng(at).setContent(html).openOn(map);
        map._smPopupFor = [this, i, popup];
      }
    }
  });
})();
"""

# --------------------------------------------------------------------------------------------
# Escaping and popups

# Characters that mean something to HTML, JS template literals, Markdown or KaTeX.
_UNSAFE = re.compile(r"[&<>\"'`$={}\[\]()*_#!~|\\]")


def escape_text(value: Any) -> str:
    """Return `value` as text that is inert in HTML, JS template literals and Markdown.

    Every character that means something to one of them becomes a numeric entity, so the
    browser shows exactly the original text: ``<script>`` stays visible text, ``${x}`` cannot
    run, and ``[a](b)`` is no link. None and NaN give ``""``.

    >>> escape_text("<img src=x onerror=alert(1)> ${1}")
    '&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#36;&#123;1&#125;'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _UNSAFE.sub(lambda m: f"&#{ord(m.group())};", str(value))


def highlight_mention(excerpt: Any, mention: Any) -> str:
    """Return the escaped `excerpt` with the first occurrence of `mention` in ``<mark>``.

    Matching ignores case and runs of whitespace (excerpts are whitespace-normalised).

    >>> highlight_mention("Iran viel <b>Pakistan</b> aan", "pakistan")
    'Iran viel &#60;b&#62;<mark>Pakistan</mark>&#60;/b&#62; aan'
    """
    text = "" if excerpt is None else str(excerpt)
    needle = " ".join(str(mention or "").split())
    if needle:
        pattern = r"\s+".join(re.escape(part) for part in needle.split(" "))
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found:
            return (
                escape_text(text[: found.start()])
                + "<mark>"
                + escape_text(found.group())
                + "</mark>"
                + escape_text(text[found.end() :])
            )
    return escape_text(text)


def _source_line(title: Any, date: Any, article: Any) -> str:
    name = title if _present(title) and str(title).strip() else article
    parts = [f"<b>{escape_text(name)}</b>"]
    if _present(date):
        parts.append(f" <small>({escape_text(date)})</small>")
    return "".join(parts)


def place_popup_html(place: Mapping[str, Any], *, max_excerpts: int = _POPUP_EXCERPTS) -> str:
    """Return the popup HTML of one place row: name, kind, excerpts, "and N more".

    Every value from the data is escaped with :func:`escape_text`; the mention is highlighted.
    """
    kind = "struck place" if place.get("is_target") else str(place.get("kind") or "place")
    where = ", ".join(
        escape_text(v) for v in (place.get("admin1"), place.get("country_iso3")) if _present(v)
    )
    out = [
        f"<div class='sm-popup'><b>{escape_text(place.get('name'))}</b> "
        f"<small>{escape_text(kind)}{' · ' + where if where else ''}</small>"
    ]
    mentions = list(place.get("mentions") or [])
    for m in mentions[:max_excerpts]:
        out.append(
            "<div class='sm-excerpt'>"
            f"“{highlight_mention(m.get('excerpt'), m.get('text'))}”<br>"
            f"{_source_line(m.get('title'), m.get('date'), m.get('article'))}</div>"
        )
    more = len(mentions) - max_excerpts
    if more > 0:
        out.append(f"<div><i>and {more} more mention{'s' if more > 1 else ''}</i></div>")
    out.append("</div>")
    return "".join(out)


def strike_popup_html(
    strike: Mapping[str, Any], *, max_excerpts: int = _POPUP_EXCERPTS, with_excerpts: bool = True
) -> str:
    """Return the popup HTML of one strike row: attacker → target, date, casualties, sources."""
    target = escape_text(strike.get("target_name"))
    where = ", ".join(
        escape_text(v)
        for v in (strike.get("target_admin1"), strike.get("target_iso3"))
        if _present(v)
    )
    out = [
        "<div class='sm-popup'>"
        f"<b>{escape_text(strike.get('attacker') or 'Unknown attacker')} → {target}</b>"
        f"{' <small>' + where + '</small>' if where else ''}<br>"
    ]
    facts = []
    if _present(strike.get("date")):
        facts.append(escape_text(strike.get("date")))
    for key, label in (("killed", "killed"), ("injured", "injured")):
        if _present(strike.get(key)):
            facts.append(f"{int(strike[key])} {label}")
    weapons = strike.get("weapons")
    if weapons is not None and len(weapons):
        facts.append(escape_text(", ".join(str(w) for w in weapons)))
    if strike.get("origin_kind") and strike.get("origin_kind") != "place":
        facts.append("origin: country centre")
    if facts:
        out.append(f"<small>{' · '.join(facts)}</small>")
    sources = list(strike.get("sources") or [])
    if with_excerpts:
        for s in sources[:max_excerpts]:
            out.append(
                "<div class='sm-excerpt'>"
                f"“{highlight_mention(s.get('excerpt'), strike.get('target_name'))}”<br>"
                f"{_source_line(s.get('title'), s.get('date'), s.get('article'))}</div>"
            )
        more = len(sources) - max_excerpts
    else:
        more = len(sources)
    if more > 0:
        out.append(f"<div><i>and {more} more source{'s' if more > 1 else ''}</i></div>")
    out.append("</div>")
    return "".join(out)


def _present(value: Any) -> bool:
    """False for None, NaN and pandas' NA; True for anything else (lists included)."""
    if value is None:
        return False
    import pandas as pd

    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return True
    return not missing if isinstance(missing, (bool, np.bool_)) else True


# --------------------------------------------------------------------------------------------
# Colours


def attacker_colors(attackers: Iterable[Any]) -> dict[str, str]:
    """Return a colour per attacker name, stable across calls and filters.

    Each name hashes to a palette slot (CRC32, so the same name gets the same colour in every
    session); collisions within the given set move to the next free slot, taking names in
    sorted order. More attackers than colours share colours.

    >>> attacker_colors(["Iran", "Iran", "Pakistan"]) == attacker_colors(["Pakistan", "Iran"])
    True
    """
    names = sorted({str(a) for a in attackers if _present(a) and str(a)})
    colors: dict[str, str] = {}
    used: set[int] = set()
    size = len(ATTACKER_PALETTE)
    for name in names:
        slot = zlib.crc32(name.casefold().encode("utf-8")) % size
        if len(used) < size:
            while slot in used:
                slot = (slot + 1) % size
        used.add(slot)
        colors[name] = ATTACKER_PALETTE[slot]
    return colors


# --------------------------------------------------------------------------------------------
# Arc geometry (vectorised over all strikes)


def _merc_y(lat: np.ndarray) -> np.ndarray:
    lat = np.clip(lat, -_WEB_MERCATOR_MAX_LAT, _WEB_MERCATOR_MAX_LAT)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _merc_lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2)


def display_arcs(
    origin_lon: Sequence[float] | np.ndarray,
    origin_lat: Sequence[float] | np.ndarray,
    target_lon: Sequence[float] | np.ndarray,
    target_lat: Sequence[float] | np.ndarray,
    *,
    n_points: int = _ARC_POINTS,
    bend: float = _BEND,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return display arcs and arrowheads for many strikes at once.

    Each arc is the great circle (spherical, fine for display) from origin to target with
    longitudes unwrapped, then pushed sideways by ``bend`` × chord length at its middle
    (a quadratic-Bézier profile in Web Mercator), always to the left of the direction of
    travel: A→B and B→A bulge to opposite sides. The arrowhead is a triangle whose tip is the
    target, pointing along the arc's last stretch.

    Parameters
    ----------
    origin_lon, origin_lat, target_lon, target_lat : array-like of float
        Degrees, EPSG:4326, one value per strike.
    n_points : int
        Vertices per arc (≥ 2).
    bend : float
        Bulge as a fraction of the chord; 0 gives the plain great circle.

    Returns
    -------
    arc_lon, arc_lat : (n, n_points) arrays
        The first vertex is the origin, the last exactly the target (its longitude possibly
        shifted by a multiple of 360° to stay continuous with the arc).
    head_lon, head_lat : (n, 3) arrays
        Triangle corners: left, tip (= the arc's last vertex), right.

    Examples
    --------
    >>> lon, lat, hlon, hlat = display_arcs([51.4], [35.7], [67.0], [30.2])
    >>> (round(lon[0, -1], 6), round(lat[0, -1], 6)) == (67.0, 30.2) == (hlon[0, 1], hlat[0, 1])
    True
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    lon1, lat1, lon2, lat2 = (
        np.asarray(a, dtype=float).reshape(-1)
        for a in (origin_lon, origin_lat, target_lon, target_lat)
    )
    n = lon1.size
    if not (lat1.size == lon2.size == lat2.size == n):
        raise ValueError("origin and target coordinate arrays must have the same length")
    if n == 0:
        empty = np.zeros((0, n_points))
        return empty, empty, np.zeros((0, 3)), np.zeros((0, 3))

    # Great circle by spherical interpolation of unit vectors.
    def unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lo, la = np.radians(lon), np.radians(lat)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)

    a, b = unit(lon1, lat1), unit(lon2, lat2)
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0))[:, None]
    t = np.linspace(0.0, 1.0, n_points)[None, :]
    sin_omega = np.sin(omega)
    near = sin_omega < 1e-9  # identical (or antipodal) end points: interpolate linearly
    safe = np.where(near, 1.0, sin_omega)
    wa = np.where(near, 1.0 - t, np.sin((1.0 - t) * omega) / safe)
    wb = np.where(near, t, np.sin(t * omega) / safe)
    p = wa[..., None] * a[:, None, :] + wb[..., None] * b[:, None, :]
    norm = np.linalg.norm(p, axis=-1, keepdims=True)
    p = p / np.where(norm == 0, 1.0, norm)
    lat = np.degrees(np.arcsin(np.clip(p[..., 2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(p[..., 1], p[..., 0]))
    lon[:, 0] = lon1
    lat[:, 0] = lat1
    lon = np.degrees(np.unwrap(np.radians(lon), axis=1))
    lon[:, -1] = lon2 + 360.0 * np.round((lon[:, -1] - lon2) / 360.0)
    lat[:, -1] = lat2

    # Bend in Web Mercator, perpendicular to the chord, zero at both ends.
    x, y = lon, _merc_y(lat)
    dx, dy = (x[:, -1] - x[:, 0])[:, None], (y[:, -1] - y[:, 0])[:, None]
    chord = np.hypot(dx, dy)
    offset = bend * 4.0 * t * (1.0 - t) * chord / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        nx, ny = np.where(chord > 0, -dy / chord, 0.0), np.where(chord > 0, dx / chord, 0.0)
    x = x + offset * nx
    y = y + offset * ny

    # Arrowhead: length ~ 8% of the chord, between 0.15° and 1.2° (Mercator units).
    length = np.clip(0.08 * chord[:, 0], 0.15, 1.2)
    back_x, back_y = x[:, -1] - x[:, -3], y[:, -1] - y[:, -3]
    seg = np.hypot(back_x, back_y)
    seg = np.where(seg > 0, seg, 1.0)
    ux, uy = back_x / seg, back_y / seg
    base_x, base_y = x[:, -1] - ux * length, y[:, -1] - uy * length
    half = 0.45 * length
    head_x = np.stack([base_x - uy * half, x[:, -1], base_x + uy * half], axis=1)
    head_y = np.stack([base_y + ux * half, y[:, -1], base_y - ux * half], axis=1)

    arc_lon, arc_lat = x, _merc_lat(y)
    arc_lon[:, -1], arc_lat[:, -1] = lon[:, -1], lat2
    arc_lon[:, 0], arc_lat[:, 0] = lon1, lat1
    head_lon, head_lat = head_x, _merc_lat(head_y)
    head_lon[:, 1], head_lat[:, 1] = lon[:, -1], lat2
    return arc_lon, arc_lat, head_lon, head_lat


# --------------------------------------------------------------------------------------------
# Features


def _casualties(row: Mapping[str, Any]) -> int:
    total = 0
    for key in ("killed", "injured"):
        value = row.get(key)
        if value is not None and _present(value):
            total += int(value)
    return total


def _weight(casualties: int) -> float:
    """Line weight in px: 2 for none, growing with log(casualties), at most 8."""
    return round(min(8.0, 2.0 + 1.3 * math.log1p(casualties)), 1)


def _arc_points(n_strikes: int) -> int:
    """Vertices per map arc: smooth for a few strikes, lighter when there are thousands."""
    if n_strikes <= MAX_STRIKES_WITH_EXCERPTS:
        return _MAP_ARC_POINTS
    return 12 if n_strikes <= 10_000 else 10


def _flat(lon: np.ndarray, lat: np.ndarray, decimals: int) -> list[float]:
    """Interleave (lon, lat) arrays of any shape into one flat, rounded list."""
    return np.round(np.stack([lon, lat], axis=-1), decimals).reshape(-1).tolist()  # type: ignore[no-any-return]


def _column(frame: GeoDataFrame, name: str) -> list[Any]:
    return list(frame[name]) if name in frame else [None] * len(frame)


def strike_layer_data(
    strikes: GeoDataFrame | None,
    colors: Mapping[str, str] | None = None,
    *,
    with_excerpts: bool | None = None,
    n_points: int | None = None,
) -> dict[str, Any]:
    """Return the compact data of the strikes layer: arcs with an arrowhead at the target.

    One :class:`CanvasLayer` draws it; there is no Leaflet object per strike.

    Parameters
    ----------
    strikes : GeoDataFrame or None
        The strikes frame (``id, attacker, origin_lon/lat, target_lon/lat, ...``), EPSG:4326.
    colors : mapping, optional
        Attacker → colour; :func:`attacker_colors` of the frame by default.
    with_excerpts : bool, optional
        Give the arcs popups with source excerpts (else only a tooltip; the app's side panel
        has the sources); default: when at most ``MAX_STRIKES_WITH_EXCERPTS`` strikes.
    n_points : int, optional
        Vertices per arc; default 16, fewer beyond ``MAX_STRIKES_WITH_EXCERPTS`` strikes.

    Returns
    -------
    dict
        ``kind="arcs"``, ``feature_type="strike"``, ``id_key="strike_id"``; ``ids``;
        ``coords`` (flat lon, lat of ``stride`` vertices per arc, the last one the target);
        ``heads`` (flat lon, lat of 3 triangle corners per arc, the middle one the target);
        ``style`` (index per arc into ``styles``: colour by attacker, weight by casualties,
        dashed when not cross-border); ``labels`` and ``popups`` (pre-escaped HTML or None).
        Arcs are ordered by style. Raw article text never goes in: only ids and HTML built
        with :func:`escape_text`. Display-only: never export this.
    """
    data: dict[str, Any] = {
        "kind": "arcs",
        "feature_type": "strike",
        "id_key": "strike_id",
        "stride": 2,
        "ids": [],
        "coords": [],
        "heads": [],
        "style": [],
        "styles": [],
        "labels": [],
        "popups": None,
    }
    if strikes is None or len(strikes) == 0:
        return data
    n = len(strikes)
    colors = dict(colors) if colors is not None else attacker_colors(strikes["attacker"])
    if with_excerpts is None:
        with_excerpts = n <= MAX_STRIKES_WITH_EXCERPTS
    stride = n_points or _arc_points(n)
    arc_lon, arc_lat, head_lon, head_lat = display_arcs(
        strikes["origin_lon"].to_numpy(float),
        strikes["origin_lat"].to_numpy(float),
        strikes["target_lon"].to_numpy(float),
        strikes["target_lat"].to_numpy(float),
        n_points=stride,
    )
    attackers = [str(a) if _present(a) and a else "" for a in _column(strikes, "attacker")]
    killed, injured = _column(strikes, "killed"), _column(strikes, "injured")
    cross = _column(strikes, "cross_border")
    styles: dict[tuple[str, float, bool], int] = {}
    style_of = []
    for attacker, k, i, c in zip(attackers, killed, injured, cross, strict=True):
        key = (
            colors.get(attacker, UNKNOWN_ATTACKER_COLOR),
            _weight(_casualties({"killed": k, "injured": i})),
            not (c is None or bool(c)),  # dashed: not cross-border
        )
        style_of.append(styles.setdefault(key, len(styles)))
    order = sorted(range(n), key=lambda j: style_of[j])  # style runs: fewer canvas state changes
    ids = [str(v) for v in _column(strikes, "id")]
    names, dates = _column(strikes, "target_name"), _column(strikes, "date")
    records = strikes.drop(columns="geometry").to_dict("records") if with_excerpts else None
    end_lon, end_lat = arc_lon[:, [0, -1]], arc_lat[:, [0, -1]]
    arc_lon, arc_lat = np.round(arc_lon, _ARC_DECIMALS), np.round(arc_lat, _ARC_DECIMALS)
    arc_lon[:, [0, -1]], arc_lat[:, [0, -1]] = end_lon, end_lat  # end points more precise
    data["stride"] = stride
    data["ids"] = [ids[j] for j in order]
    data["coords"] = _flat(arc_lon[order], arc_lat[order], _DECIMALS + 1)
    data["heads"] = _flat(head_lon[order], head_lat[order], _ARC_DECIMALS + 1)  # ~10 m
    data["style"] = [style_of[j] for j in order]
    data["styles"] = [
        {"color": color, "weight": weight, "opacity": 0.85, "dash": dashed}
        for color, weight, dashed in styles
    ]
    labels = []
    for j in order:
        label = f"{escape_text(attackers[j] or 'Unknown')} → {escape_text(names[j])}"
        if _present(dates[j]) and dates[j]:
            label += f" ({escape_text(dates[j])})"
        labels.append(label)
    data["labels"] = labels
    if records is not None:  # else the tooltip says it all and the side panel has the sources
        data["popups"] = [strike_popup_html(records[j]) for j in order]
    return data


def place_layer_data(places: GeoDataFrame | None) -> dict[str, Any]:
    """Return the compact data of a places layer (canvas circles, one :class:`CanvasLayer`).

    Struck places (``is_target``) are red and larger; others are coloured by kind (see
    ``PLACE_STYLES``). Keys: ``kind="points"``, ``feature_type="place"``,
    ``id_key="place_id"``, ``ids``, ``coords`` (flat lon, lat), ``style``/``styles``,
    ``props`` (``kind``, ``is_target`` per place), ``labels`` and ``popups`` (pre-escaped
    HTML with the excerpts). Display-only: never export this.
    """
    data: dict[str, Any] = {
        "kind": "points",
        "feature_type": "place",
        "id_key": "place_id",
        "ids": [],
        "coords": [],
        "style": [],
        "styles": [],
        "props": [],
        "labels": [],
        "popups": [],
    }
    if places is None or len(places) == 0:
        return data
    styles: dict[tuple[Any, ...], int] = {}
    records = places.drop(columns="geometry").to_dict("records")
    for row in records:
        is_target = bool(row.get("is_target"))
        color, radius, _ = (
            PLACE_STYLES["target"]
            if is_target
            else PLACE_STYLES.get(str(row.get("kind")), _OTHER_KIND)
        )
        # struck places get a dark ring; filled, so a click anywhere on the disc hits it
        key = (color, radius, "#5a0000", 2) if is_target else (color, radius, "#ffffff", 1)
        data["style"].append(styles.setdefault(key, len(styles)))
        data["ids"].append(str(row.get("place_id")))
        data["props"].append({"kind": escape_text(row.get("kind")), "is_target": is_target})
        data["labels"].append(escape_text(row.get("name")))
        data["popups"].append(place_popup_html(row))
    data["coords"] = _flat(
        places.geometry.x.to_numpy(float), places.geometry.y.to_numpy(float), _DECIMALS
    )
    data["styles"] = [
        {"fillColor": c, "radius": r, "color": ring, "weight": w, "opacity": 1, "fillOpacity": 0.9}
        for c, r, ring, w in styles
    ]
    return data


def _subset(data: dict[str, Any], keep: Sequence[bool]) -> dict[str, Any]:
    """The items of a points layer's data where `keep` is true."""
    out = dict(data)
    for key in ("ids", "style", "props", "labels", "popups"):
        out[key] = [v for v, k in zip(data[key], keep, strict=True) if k]
    coords = data["coords"]
    out["coords"] = [c for i, c in enumerate(coords) if keep[i // 2]]
    return out


# target precisions whose point stands for a whole country or region, not a spot in a province
_AREA_PRECISIONS = frozenset({"country", "region"})


def province_counts(places: GeoDataFrame | None, strikes: GeoDataFrame | None) -> Counter[str]:
    """Return the number of strikes per targeted province (``admin1_code``).

    A strike counts for the province of its target place (``target_place_id`` joined with the
    places frame; a country or region has none, so a strike on "Iraq" shades no province).
    A strike whose place is not in the frame is located by its target point when
    :mod:`geo.boundaries` is available, unless its ``geo_precision`` says the point only
    represents a country or region.
    """
    counts: Counter[str] = Counter()
    if strikes is None or len(strikes) == 0:
        return counts
    code_of: dict[str, str | None] = {}
    if places is not None and len(places) and "admin1_code" in places:
        for pid, code in zip(places["place_id"], places["admin1_code"], strict=True):
            code_of[str(pid)] = str(code) if _present(code) and code else None
    unresolved: list[tuple[float, float]] = []
    for pid, precision, lon, lat in zip(
        strikes.get("target_place_id", [None] * len(strikes)),
        strikes.get("geo_precision", [None] * len(strikes)),
        strikes["target_lon"],
        strikes["target_lat"],
        strict=True,
    ):
        known = _present(pid) and str(pid) in code_of
        code = code_of[str(pid)] if known else None
        if code:
            counts[code] += 1
        elif not known and precision not in _AREA_PRECISIONS:
            unresolved.append((float(lon), float(lat)))
    if unresolved:
        locate = _boundaries_attr("locate")
        if locate is not None:
            for lon, lat in unresolved:
                found = locate(lon, lat)
                code = getattr(found, "admin1_code", None)
                if code:
                    counts[str(code)] += 1
    return counts


def _boundaries_attr(name: str) -> Any:
    """Return ``geo.boundaries.<name>``, or None while that module is not installed."""
    try:
        import geo.boundaries as boundaries
    except ModuleNotFoundError as err:
        if err.name != "geo.boundaries":
            raise
        return None
    return getattr(boundaries, name, None)


def _province_color(count: int) -> str:
    color = _PROVINCE_CLASSES[0][1]
    for threshold, value in _PROVINCE_CLASSES:
        if count >= threshold:
            color = value
    return color


def _province_features(counts: Counter[str], admin1: GeoDataFrame) -> list[dict[str, Any]]:
    if not counts:
        return []
    import shapely

    # places carry ISO 3166-2 codes (geo.boundaries.assign_admin's admin1_code)
    code_col = next((c for c in ("admin1_code", "iso_3166_2", "code") if c in admin1), None)
    name_col = next((c for c in ("admin1", "name_en", "name") if c in admin1), None)
    if code_col is None:
        raise ValueError(
            "admin1_shading needs an 'admin1_code' (or 'iso_3166_2') column; "
            f"got columns {list(admin1.columns)}"
        )
    subset = admin1[admin1[code_col].astype(str).isin(counts)]
    rows: list[tuple[str, str, Any]] = [  # (code, name, geometry)
        (str(code), str(name), geom)
        for code, name, geom in zip(
            subset[code_col],
            subset[name_col] if name_col else subset[code_col],
            subset.geometry,
            strict=True,
        )
    ]
    out = []
    for code, name, geom in rows:
        if geom is None or geom.is_empty:
            continue
        simple = shapely.simplify(geom, 0.01, preserve_topology=True)
        simple = shapely.set_precision(simple, 10**-_DECIMALS)
        n = counts[code]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "feature_type": "province",
                    "admin1_code": code,
                    "strike_count": n,
                    "style": {"fillColor": _province_color(n)},
                    "_label": f"{escape_text(name)}: {n} strike{'s' if n != 1 else ''}",
                },
                "geometry": shapely.geometry.mapping(simple),
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# Layers and maps


# No style_function (folium would emit a JS switch with one case per feature): the layers'
# style option merges constant defaults per feature_type (our JSON, no data) with the
# feature's own small ``style`` property.
_STYLE_JS = JsCode(
    "function (feature) { var p = feature.properties || {}; "
    f"return Object.assign({{}}, ({json.dumps(_STYLE_DEFAULTS)})[p.feature_type] || {{}}, "
    "p.style || {}); }"
)


def _geojson_layer(features: list[dict[str, Any]], name: str) -> folium.GeoJson:
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        on_each_feature=_ON_EACH_FEATURE,
        embed=True,
        style=_STYLE_JS,
    )


def layer_data(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin1_shading: GeoDataFrame | bool | None = None,
    colors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the display data of every data layer, by layer name (picklable, cacheable).

    Keys: ``LAYER_PROVINCES`` (GeoJSON features; absent when ``admin1_shading is False``),
    ``LAYER_STRIKES`` (:func:`strike_layer_data`), ``LAYER_PLACES`` (other places) and
    ``LAYER_STRUCK`` (struck places), both :func:`place_layer_data`. See :func:`build_layers`
    for the parameters.
    """
    out: dict[str, Any] = {}
    if admin1_shading is not False:
        admin1 = None if admin1_shading is None or admin1_shading is True else admin1_shading
        if admin1 is None:
            admin1 = _default_admin1()
        out[LAYER_PROVINCES] = (
            _province_features(province_counts(places, strikes), admin1)
            if admin1 is not None
            else []
        )
    out[LAYER_STRIKES] = strike_layer_data(strikes, colors)
    points = place_layer_data(places)
    targets = [bool(p["is_target"]) for p in points["props"]]
    out[LAYER_PLACES] = _subset(points, [not t for t in targets])
    out[LAYER_STRUCK] = _subset(points, targets)
    return out


def encode_payload(data: Mapping[str, Any]) -> str:
    """Return a canvas layer's data as a JS string literal of JSON, safe inside ``<script>``.

    ``<`` and ``>`` become ``\\u003c``/``\\u003e``, so no text can close the script element.
    """
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")


class _RawScript(Element):
    """Already rendered JavaScript for the figure's script section.

    branca's ``MacroElement.render`` wraps each rendered script in ``Element(text)``, which
    compiles the text as a Jinja template: for a canvas layer's megabytes of data that is
    most of the time streamlit-folium spends per rerun. This keeps the text as it is.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class CanvasLayer(MacroElement):
    """Many arcs or circles drawn on one canvas by a small Leaflet layer (``SmCanvasLayer``).

    A Leaflet object per feature costs the browser seconds at 20,000 strikes; this layer
    keeps the data in flat arrays, projects them once per view and draws style runs. It is
    still clickable: a click fires ``click`` with the feature as ``layer`` (streamlit-folium's
    ``last_active_drawing``), opens the feature's pre-escaped popup, and hovering shows its
    pre-escaped label. The data travels as a JSON string with ``<`` escaped, so nothing in it
    can close the script.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        var {{ this.get_name() }} = new SmCanvasLayer(
            JSON.parse({{ this.payload }}), {{ this.options|tojson }});
        {{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        selected: str | None = None,
        order: int = 0,
        payload: str | None = None,
        pane: str | None = None,
    ) -> None:
        super().__init__()
        self._name = "SmCanvasLayer"
        self.data = data
        # stacking among canvas layers (bottom first) and the outlined feature's id
        self.options: dict[str, Any] = {"order": int(order)}
        if pane is not None:
            self.options["pane"] = pane
        if selected is not None:
            self.options["selected"] = str(selected)  # tojson in the template escapes it
        self.library = _CANVAS_LAYER_JS
        self.payload = payload if payload is not None else encode_payload(data)

    def render(self, **kwargs: Any) -> str:
        """Add the rendered script to the figure (see :class:`_RawScript`)."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a CanvasLayer renders only inside a folium.Map (a branca Figure)")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_RawScript(script(self, kwargs)), name=self.get_name())
        return ""


def layers_from_data(
    data: Mapping[str, Any],
    *,
    selected_strike_id: str | None = None,
    selected_place_id: str | None = None,
    payloads: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """Wrap :func:`layer_data`'s output in one FeatureGroup per layer, bottom to top.

    The selected strike gets a dashed black outline, the selected place a black ring.
    `payloads` (layer name → :func:`encode_payload` of its data) saves re-encoding data that
    the caller keeps, e.g. across Streamlit reruns.
    """
    groups = []
    for name in (LAYER_PROVINCES, LAYER_STRIKES, LAYER_PLACES, LAYER_STRUCK):
        if name not in data:
            continue
        group = folium.FeatureGroup(name=name, show=True)
        if name == LAYER_PROVINCES:
            _geojson_layer(data[name], name).add_to(group)
        else:
            selected = selected_strike_id if name == LAYER_STRIKES else selected_place_id
            if selected is not None and str(selected) not in data[name]["ids"]:
                selected = None
            order = (LAYER_STRIKES, LAYER_PLACES, LAYER_STRUCK).index(name)
            payload = payloads.get(name) if payloads is not None else None
            CanvasLayer(data[name], selected=selected, order=order, payload=payload).add_to(group)
        groups.append(group)
    return groups


def build_layers(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin1_shading: GeoDataFrame | bool | None = None,
    colors: Mapping[str, str] | None = None,
    selected_strike_id: str | None = None,
    selected_place_id: str | None = None,
) -> list[folium.FeatureGroup]:
    """Return the data layers, bottom to top: provinces, strikes, other places, struck places.

    These change with the filters; the app passes them to ``st_folium`` as
    ``feature_group_to_add`` so that the base map (and the user's view) survives a rerun.

    Parameters
    ----------
    places, strikes : GeoDataFrame or None
        The places and strikes frames (EPSG:4326), already filtered.
    admin1_shading : GeoDataFrame, bool or None
        Province polygons to shade (``admin1_code`` + geometry); None/True: from
        :mod:`geo.boundaries`; False: no province layer.
    colors : mapping, optional
        Attacker → colour (:func:`attacker_colors` of all data, so filters keep colours).
    selected_strike_id, selected_place_id : str, optional
        A strike to outline, a place to ring, on top of the others.
    """
    data = layer_data(places, strikes, admin1_shading=admin1_shading, colors=colors)
    return layers_from_data(
        data, selected_strike_id=selected_strike_id, selected_place_id=selected_place_id
    )


def events_bounds(
    places: GeoDataFrame | None, strikes: GeoDataFrame | None
) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` around the strikes (origins and targets),
    or around the places when there are no strikes; None when there is nothing."""
    lons: list[float] = []
    lats: list[float] = []
    if strikes is not None and len(strikes):
        lons += list(strikes["origin_lon"]) + list(strikes["target_lon"])
        lats += list(strikes["origin_lat"]) + list(strikes["target_lat"])
    elif places is not None and len(places):
        lons += list(places.geometry.x)
        lats += list(places.geometry.y)
    pairs = [
        (float(lo), float(la))
        for lo, la in zip(lons, lats, strict=True)
        if _present(lo) and _present(la)
    ]
    if not pairs:
        return None
    lo, la = np.array(pairs).T
    return [_latlon(float(lo.min()), float(la.min())), _latlon(float(lo.max()), float(la.max()))]


@functools.cache
def _default_countries() -> dict[str, Any] | None:
    """Simplified world countries from :mod:`geo.boundaries` (cached), or None if absent."""
    loader = _boundaries_attr("load_admin0")
    if loader is None:
        return None
    return _countries_data(loader(display=True))


_ADMIN1_LOCK = threading.Lock()


@functools.cache
def _default_admin1() -> GeoDataFrame | None:
    """Simplified provinces from :mod:`geo.boundaries` (cached, read-only), or None if absent.

    One thread reads the file while the others wait for its result: a server's start-up
    warm-up (:func:`load_display_boundaries`) and its first page run both ask for it, and
    ``geo.boundaries``' cache would otherwise let each read it (~0.1 s of CPU each).
    """
    loader = _boundaries_attr("load_admin1")
    if loader is None:
        return None
    with _ADMIN1_LOCK:
        return loader(display=True)


def load_display_boundaries() -> None:
    """Load the boundaries :func:`layer_data` shades provinces with (cached per process), so
    a server can do it at start-up instead of in its first page run."""
    _default_admin1()


def _without_islets(geoms: np.ndarray, min_area_deg2: float = 0.01) -> np.ndarray:
    """Drop polygon parts smaller than `min_area_deg2` (keeping the largest of each country)."""
    import shapely

    out = []
    for geom in geoms:
        if geom is None or geom.is_empty or geom.geom_type != "MultiPolygon":
            out.append(geom)
            continue
        parts = sorted(geom.geoms, key=lambda part: part.area, reverse=True)
        keep = [parts[0]] + [p for p in parts[1:] if p.area >= min_area_deg2]
        out.append(shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0])
    return np.array(out, dtype=object)


def _countries_data(admin0: GeoDataFrame) -> dict[str, Any]:
    """The base map's countries as a canvas layer's data (``kind="polygons"``): flat
    coordinates and the vertex count of each ring, drawn as one even-odd path."""
    import shapely

    # ~5 km and no islets under ~100 km²: invisible at the zoom of a region map, and the base
    # map shrinks from 2.3 to under 0.5 MB
    geoms = shapely.set_precision(
        shapely.simplify(_without_islets(admin0.geometry.to_numpy()), 0.05, preserve_topology=True),
        0.01,
    )
    geoms = np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object)
    polygons = shapely.get_parts(geoms) if len(geoms) else np.array([], dtype=object)
    rings = np.concatenate(
        [shapely.get_rings(polygons)] if len(polygons) else [np.array([], dtype=object)]
    )
    coords = shapely.get_coordinates(rings) if len(rings) else np.zeros((0, 2))
    return {
        "kind": "polygons",
        "feature_type": "country",
        "id_key": "country",
        "ids": [],
        # delta-encoded hundredths of a degree: a third of the text of plain coordinates
        "coords": [],
        "delta_coords": np.diff(
            np.round(coords * 100).astype(np.int64), axis=0, prepend=np.zeros((1, 2), np.int64)
        )
        .reshape(-1)
        .tolist(),
        "delta_scale": 100,
        "rings": shapely.get_num_coordinates(rings).tolist() if len(rings) else [],
        "style": [],
        "styles": [{**_COUNTRY_STYLE, "opacity": 1}],
        "labels": [],
        "popups": None,
    }


_COUNTRY_STYLE = {"color": "#8a8a8a", "weight": 0.8, "fillColor": "#f4f1ea", "fillOpacity": 0.55}
_COUNTRIES_VERSION = 3  # part of countries_file's name: bump when _countries_data changes


def countries_file(directory: Path | str) -> Path | None:
    """Write the base map's countries (simplified Natural Earth, as in the map; a canvas
    layer's JSON data) into `directory` unless already there; return the file, or None
    without boundaries.

    The name carries a hash of the boundaries file and of the simplification version, so new
    boundaries give a new file and a browser never keeps a stale copy. Written atomically.
    """
    try:
        from geo.boundaries import ADMIN0_DISPLAY_FILE
        from geo.paths import BOUNDARIES_DIR
    except ImportError:
        return None
    source = BOUNDARIES_DIR / ADMIN0_DISPLAY_FILE
    if not source.exists():
        return None
    stat = source.stat()
    key = hashlib.sha1(
        f"{source.name}|{stat.st_size}|{stat.st_mtime_ns}|{_COUNTRIES_VERSION}".encode()
    ).hexdigest()[:12]
    path = Path(directory) / f"countries-{key}.json"
    if path.exists():
        return path
    data = _default_countries()
    if data is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, [json.dumps(data, separators=(",", ":"), allow_nan=False)])
    return path


class _FetchedCountries(MacroElement):
    """The countries layer, fetched by the browser from a same-origin URL (a backdrop)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        (function (group) {
            fetch({{ this.url|tojson }}).then(function (r) {
                if (!r.ok) { throw new Error('HTTP ' + r.status); }
                return r.json();
            }).then(function (data) {
                group.addLayer(new SmCanvasLayer(data, {pane: 'smBasePane'}));
            }).catch(function (err) {
                console.warn('strikemap: the countries layer did not load', err);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "FetchedCountries"
        self.url = url
        self.library = _CANVAS_LAYER_JS


class _PageStyle(MacroElement):
    """Map background (the sea, under the country polygons) and popup/legend CSS."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { background: {{ this.sea }}; }
        .sm-popup { font: 13px/1.35 sans-serif; }
        .sm-popup .sm-excerpt { margin-top: 6px; }
        .sm-popup mark { background: #ffe066; padding: 0 1px; }
        .sm-legend { position: absolute; bottom: 58px; left: 10px; z-index: 1000;
            background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
            font: 12px/1.4 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
            max-height: 45%; overflow-y: auto; }
        .sm-legend .sm-swatch { display: inline-block; width: 18px; height: 4px;
            vertical-align: middle; margin-right: 4px; }
        .sm-legend .sm-dot { display: inline-block; width: 10px; height: 10px;
            border-radius: 50%; vertical-align: middle; margin-right: 4px; }
        .sm-legend .sm-box { display: inline-block; width: 12px; height: 10px;
            vertical-align: middle; margin-right: 4px; border: 1px solid #b35806; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, sea: str = _SEA_COLOR) -> None:
        super().__init__()
        self._name = "PageStyle"
        self.sea = sea


class Legend(MacroElement):
    """A fixed legend box: attacker colours, place kinds, province shading, arrows."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="sm-legend" id="sm-legend">{{ this.body }}</div>
        {% endmacro %}
        """
    )

    def __init__(self, colors: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "Legend"
        parts = ["<b>Strikes</b> <small>(arrow at target)</small><br>"]
        for name, color in sorted(colors.items()):
            parts.append(
                f"<span class='sm-swatch' style='background:{escape_text(color)}'></span>"
                f"{escape_text(name)}<br>"
            )
        if not colors:
            parts.append("<i>none</i><br>")
        parts.append(
            "<small>dashed: not cross-border · thicker: more casualties</small><br><b>Places</b><br>"
        )
        for color, _, label in PLACE_STYLES.values():
            parts.append(f"<span class='sm-dot' style='background:{color}'></span>{label}<br>")
        parts.append(
            f"<span class='sm-box' style='background:{_PROVINCE_CLASSES[1][1]}'></span>"
            "Province hit (darker: more strikes)"
        )
        # Jinja would escape a plain str in the template; this is our own (escaped) markup.
        from markupsafe import Markup

        self.body = Markup("".join(parts))


def build_base_map(
    *,
    admin0: GeoDataFrame | None = None,
    tiles: Tiles = "none",
    bounds: list[list[float]] | None = None,
    colors: Mapping[str, str] | None = None,
    assets: AssetMode = "static",
    asset_base_url: str = DEFAULT_BASE_URL,
    height: str | int = "100%",
    countries_url: str | None = None,
) -> folium.Map:
    """Return the map without data layers: countries, optional OSM, legend, view, local assets.

    Build it from the same arguments on every rerun (all events' bounds, all attackers'
    colours), so streamlit-folium sees the same map and keeps the user's view; the filtered
    data goes on top through :func:`build_layers`.

    Parameters
    ----------
    admin0 : GeoDataFrame, optional
        Country polygons (EPSG:4326); default: :mod:`geo.boundaries`' display file.
    tiles : {"none", "osm"}
        ``"none"``: the OpenStreetMap layer is listed in the layer control but off, so no
        request leaves the machine; ``"osm"``: it is on (tiles fail silently offline).
    bounds : [[south, west], [north, east]], optional
        View to fit; a world view when None.
    colors : mapping, optional
        Attacker → colour for the legend.
    assets, asset_base_url
        See :func:`geo.assets.use_local_assets`.
    countries_url : str, optional
        URL of the countries as GeoJSON (:func:`countries_file` under static serving): the
        browser fetches them, so the map script that travels on every rerun stays small.
        Ignored when `admin0` is given; default: the countries are embedded in the map.
    """
    if tiles not in ("none", "osm"):
        raise ValueError(f"tiles was {tiles!r} but is expected to be 'none' or 'osm'")
    m = folium.Map(
        location=[30.0, 50.0],
        zoom_start=3,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        # Map options, not tile options: without a tile layer Leaflet has no zoom limits.
        maxZoom=13,
        minZoom=2,
        world_copy_jump=False,
        height=height,
    )
    # our popups are Leaflet's own (L.popup, bindTooltip): no folium.Popup, so no jQuery
    use_local_assets(m, mode=assets, base_url=asset_base_url, jquery=False)
    _PageStyle().add_to(m)
    if admin0 is None and countries_url is not None:
        group = folium.FeatureGroup(name=LAYER_COUNTRIES, show=True)
        _FetchedCountries(countries_url).add_to(group)
        group.add_to(m)
    else:
        data = _countries_data(admin0) if admin0 is not None else _default_countries()
        if data is not None:
            group = folium.FeatureGroup(name=LAYER_COUNTRIES, show=True)
            CanvasLayer(data, pane="smBasePane").add_to(group)
            group.add_to(m)
    folium.TileLayer(
        "OpenStreetMap",
        name=LAYER_BASEMAP,
        overlay=True,
        control=True,
        show=(tiles == "osm"),
        max_zoom=19,
    ).add_to(m)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(30, 30), max_zoom=7)
    Legend(colors or {}).add_to(m)
    return m


def build_map(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin0: GeoDataFrame | None = None,
    admin1_shading: GeoDataFrame | bool | None = None,
    tiles: Tiles = "none",
    selected_strike_id: str | None = None,
    selected_place_id: str | None = None,
    colors: Mapping[str, str] | None = None,
    assets: AssetMode = "static",
    asset_base_url: str = DEFAULT_BASE_URL,
) -> folium.Map:
    """Return a complete map of `places` and `strikes`, fitted to the events.

    Parameters
    ----------
    places, strikes : GeoDataFrame or None
        The places and strikes frames of :class:`geo.pipeline.Extraction`, EPSG:4326.
    admin0 : GeoDataFrame, optional
        Country polygons for the vector base map; default from :mod:`geo.boundaries`.
    admin1_shading : GeoDataFrame, bool or None
        See :func:`build_layers`.
    tiles : {"none", "osm"}
        See :func:`build_base_map`.
    selected_strike_id, selected_place_id : str, optional
        Strike to outline, place to ring.
    colors : mapping, optional
        Attacker → colour; :func:`attacker_colors` of `strikes` by default.
    assets : {"static", "inline"}
        Local Leaflet via Streamlit static serving, or inlined (standalone HTML files).

    Returns
    -------
    folium.Map
        ``prefer_canvas=True``, no CDN links, a layer control and a legend.

    Examples
    --------
    >>> m = build_map(None, None, admin1_shading=False, admin0=None)
    >>> m.options["prefer_canvas"]
    True
    """
    if colors is None:
        colors = (
            attacker_colors(strikes["attacker"]) if strikes is not None and len(strikes) else {}
        )
    m = build_base_map(
        admin0=admin0,
        tiles=tiles,
        bounds=events_bounds(places, strikes),
        colors=colors,
        assets=assets,
        asset_base_url=asset_base_url,
    )
    for group in build_layers(
        places,
        strikes,
        admin1_shading=admin1_shading,
        colors=colors,
        selected_strike_id=selected_strike_id,
        selected_place_id=selected_place_id,
    ):
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _latlon(lon: float, lat: float) -> list[float]:
    """The one place where (lon, lat) becomes Folium's (lat, lon)."""
    return [lat, lon]
