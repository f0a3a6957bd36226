"""Events: the strikes of the current filters as a sortable table, and a form to correct one."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import streamlit as st

from geo.errors import InputError, StoreError
from geo.store import Correction, corrections_by_strike, identity_key, source_key
from ui import md_escape
from ui.data import load_view

st.set_page_config(page_title="Events · strikemap", layout="wide")
st.title("Events")

view = load_view()
store, strikes = view.store, view.strikes

flash = st.session_state.pop("events_flash", None)
if flash:
    st.success(md_escape(flash))


def _sources(sources: list[dict]) -> str:
    return " | ".join(
        f"{s.get('title') or s.get('article')} ({s.get('date') or '?'})" for s in sources
    )


def _label(sid: str, date: str | None, attacker: str, target: str, edited: bool = False) -> str:
    """Name an event for a selectbox; the id keeps labels unique.

    Streamlit sends a selectbox choice as its label, so two events with the same label (one
    sentence often reports several strikes, and a correction can make targets equal) would
    select the first of them.
    """
    mark = " ✎" if edited else ""
    return f"{date or 'undated'} · {attacker} → {target}{mark} · {sid}"


st.caption(f"{len(strikes)} of {len(view.all_strikes)} events match the filters.")
if strikes.empty:
    st.info("No events match the filters. Widen them in the sidebar or add articles.")
else:
    table = pd.DataFrame(
        {
            "date": strikes["date"].fillna(""),
            "attacker": strikes["attacker"],
            "target": strikes["target_name"],
            "target country": strikes["target_iso3"].fillna(""),
            "precision": strikes["geo_precision"],
            "cross-border": strikes["cross_border"].astype(bool),
            "killed": strikes["killed"],
            "injured": strikes["injured"],
            "confidence": strikes["confidence"].astype(float).round(2),
            "edited": strikes["edited"].astype(bool),
            "sources": [_sources(s) for s in strikes["sources"]],
            "excerpt": strikes["excerpt"],
            "id": strikes["id"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="events_table")

# rejected events are not in the frame; name them from the raw extraction for "undo"
extracted = {s.id: s for s in view.extraction.strikes}
choices = {sid: _label(sid, s.date, s.attacker, s.target_name) for sid, s in extracted.items()}
choices.update(
    {
        sid: _label(sid, when, attacker, target, bool(edited))
        for sid, when, attacker, target, edited in zip(
            view.all_strikes["id"],
            view.all_strikes["date"],
            view.all_strikes["attacker"],
            view.all_strikes["target_name"],
            view.all_strikes["edited"],
            strict=True,
        )
    }
)

# -- undo ------------------------------------------------------------------------------------

corrections = store.corrections()
# which event each correction applies to (its id, or the event holding its reports)
applied = corrections_by_strike(view.extraction.strikes, corrections)
follows = {c.strike_id: sid for sid, c in applied.items()}


def _correction_label(correction_id: str) -> str:
    sid = follows.get(correction_id)
    if sid is None:
        return f"{correction_id} (event no longer extracted; not applied)"
    return choices.get(sid, sid)


if corrections:
    with st.expander(f"{len(corrections)} saved corrections"):
        st.dataframe(
            pd.DataFrame(
                {
                    "event": [_correction_label(c.strike_id) for c in corrections.values()],
                    "rejected": [c.is_rejected for c in corrections.values()],
                    "attacker": [c.attacker for c in corrections.values()],
                    "target": [c.target_name for c in corrections.values()],
                    "date": [c.date for c in corrections.values()],
                    "note": [c.note for c in corrections.values()],
                    "edited at": [c.edited_at for c in corrections.values()],
                }
            ),
            hide_index=True,
            key="corrections_table",
        )
        undo = st.selectbox(
            "Undo the correction of",
            list(corrections),
            format_func=_correction_label,
            key="undo_pick",
        )
        if st.button("Undo correction", key="undo_button"):
            store.clear_correction(undo)
            st.session_state["events_flash"] = "Correction removed; the extracted values are back."
            st.rerun()

# -- correct --------------------------------------------------------------------------------

st.subheader("Correct an event", anchor=False)
if view.all_strikes.empty:
    st.info("No events to correct.")
    st.stop()
default_ids = list(strikes["id"]) or list(view.all_strikes["id"])
# The event just corrected stays selectable even when the correction moved it out of the
# filters (e.g. a new target country): the analyst can check and edit it again.
picked = st.session_state.get("event_pick")
if picked not in default_ids and picked in set(view.all_strikes["id"]):
    default_ids.insert(0, picked)
strike_id = st.selectbox(
    "Event",
    default_ids,
    format_func=lambda sid: choices.get(sid, sid),
    key="event_pick",
)
row = view.all_strikes[view.all_strikes["id"] == strike_id].iloc[0]
current = applied.get(strike_id)
for source in row["sources"]:
    st.text(f"{source.get('title')} ({source.get('date') or 'undated'}): {source.get('excerpt')}")

with st.form(f"correct_{strike_id}"):
    left, right = st.columns(2)
    attacker = left.text_input("Attacker", value=row["attacker"], key=f"fix_attacker_{strike_id}")
    attacker_iso3 = left.text_input(
        "Attacker country (ISO3)",
        value=row["attacker_iso3"] or "",
        key=f"fix_attacker_iso3_{strike_id}",
    )
    when = left.text_input(
        "Date (YYYY[-MM[-DD]])", value=row["date"] or "", key=f"fix_date_{strike_id}"
    )
    target = right.text_input(
        "Target place (looked up in the gazetteer)",
        value=row["target_name"],
        key=f"fix_target_{strike_id}",
    )
    lon = right.text_input("…or target longitude", value="", key=f"fix_lon_{strike_id}")
    lat = right.text_input("…and latitude", value="", key=f"fix_lat_{strike_id}")
    rejected = st.checkbox(
        "Reject: this is not a real strike",
        value=bool(current and current.is_rejected),
        key=f"fix_reject_{strike_id}",
    )
    note = st.text_input(
        "Note (why)", value=(current.note or "") if current else "", key=f"fix_note_{strike_id}"
    )
    submitted = st.form_submit_button("Save correction", type="primary")


def _correction() -> tuple[Correction, bool]:
    changes: dict = {}
    if attacker.strip() and attacker.strip() != row["attacker"]:
        changes["attacker"] = attacker.strip()
    iso3 = attacker_iso3.strip().upper()
    if iso3 and iso3 != (row["attacker_iso3"] or ""):
        if len(iso3) != 3 or not iso3.isalpha():
            raise InputError(f"attacker country {iso3!r} is not an ISO 3166-1 alpha-3 code (IRN)")
        changes["attacker_iso3"] = iso3
    if when.strip() and when.strip() != (row["date"] or ""):
        from geo.filtering import date_period

        if date_period(when.strip()) is None:
            raise InputError(f"date {when!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        changes["date"] = when.strip()
    if lon.strip() or lat.strip():
        try:
            lon_f, lat_f = float(lon), float(lat)
        except ValueError as err:
            raise InputError(
                f"longitude {lon!r} / latitude {lat!r} must both be numbers, e.g. 64.1 and 26.97"
            ) from err
        if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
            raise InputError("longitude and latitude must be finite numbers")
        changes.update(target_lon=lon_f, target_lat=lat_f)
        if target.strip() != row["target_name"]:
            changes["target_name"] = target.strip()
    elif target.strip() and target.strip() != row["target_name"]:
        from geo.gazetteer import load_gazetteer

        places = load_gazetteer().lookup(target.strip())
        if not places:
            raise InputError(
                f"no place named {target.strip()!r} in the gazetteer; check the spelling or "
                "give its longitude and latitude"
            )
        place = places[0]
        changes.update(
            target_name=place.name,
            target_lon=place.lon,
            target_lat=place.lat,
            target_iso3=place.country_iso3,
        )
    # A new correction adds to the saved one (the form shows the corrected values, so only
    # what the analyst edited now is in `changes`); saving replaces the stored row.
    base = current or Correction(strike_id)
    original = extracted.get(strike_id)
    correction = dataclasses.replace(
        base,
        strike_id=strike_id,
        is_rejected=rejected,
        note=note.strip() or None,
        source_keys=tuple(source_key(s) for s in row["sources"]),
        extracted=base.extracted
        or identity_key(
            original.attacker if original else row["attacker"],
            original.target_name if original else row["target_name"],
        ),
        **changes,
    )
    before = current or Correction(strike_id)
    changed = bool(changes) or (correction.is_rejected, correction.note) != (
        before.is_rejected,
        before.note,
    )
    return correction, changed


if submitted:
    try:
        correction, changed = _correction()
        if not changed:
            st.info("Nothing changed; edit a field or tick “Reject” first.")
        else:
            store.set_correction(correction, replaces=current.strike_id if current else None)
            what = "Rejected" if rejected else "Corrected"
            st.session_state["events_flash"] = f"{what} {choices.get(strike_id, strike_id)}."
            st.rerun()
    except (InputError, StoreError) as err:
        st.error(md_escape(err))
