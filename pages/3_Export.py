"""Export: the current filtered view as RFC 7946 GeoJSON or CSV."""

from __future__ import annotations

import json

import streamlit as st

from geo.export import MEDIA_TYPE, to_csv, to_geojson
from ui.data import load_view

PREVIEW_FEATURES = 3

st.set_page_config(page_title="Export · strikemap", layout="wide")
st.title("Export")

view = load_view()
collection = to_geojson(view.places, view.strikes)
geojson_text = json.dumps(collection, ensure_ascii=False, allow_nan=False)
csv_text = to_csv(view.strikes)

n_strikes = sum(
    1 for f in collection["features"] if f["properties"].get("feature_type") == "strike"
)
n_places = len(collection["features"]) - n_strikes
st.write(
    f"The current view: {n_strikes} events and {n_places} places "
    f"(of {len(view.all_strikes)} events and {len(view.all_places)} places before filtering)."
)
left, right = st.columns(2)
left.download_button(
    "Download GeoJSON",
    data=geojson_text.encode("utf-8"),
    file_name="strikemap.geojson",
    mime=MEDIA_TYPE,
    on_click="ignore",
    key="export_geojson",
    type="primary",
)
right.download_button(
    "Download CSV (events)",
    data=csv_text.encode("utf-8"),
    file_name="strikemap-events.csv",
    mime="text/csv",
    on_click="ignore",
    key="export_csv",
)
st.caption(
    "GeoJSON follows RFC 7946: WGS84 lon/lat, strikes as great-circle lines ending at the "
    "target (cut at the antimeridian), places as points; ids are strings. The CSV has "
    "ACLED-like columns first."
)

st.subheader("Preview", anchor=False)
strike_features = [
    f for f in collection["features"] if f["properties"].get("feature_type") == "strike"
]
place_features = [
    f for f in collection["features"] if f["properties"].get("feature_type") != "strike"
]
preview = (strike_features + place_features)[:PREVIEW_FEATURES]
if preview:
    st.json({"type": "FeatureCollection", "features": preview}, expanded=2)
else:
    st.info("Nothing to export with the current filters; widen them in the sidebar.")
