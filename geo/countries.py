"""Country names for ISO 3166-1 alpha-3 codes, as news writes them (CLDR English)."""

from __future__ import annotations

from functools import cache

__all__ = ["country_name"]


@cache
def country_name(iso3: str | None) -> str:
    """The English short name of a country ("SYR" -> "Syria"); the code itself if unknown.

    >>> country_name("IRN"), country_name("PSE"), country_name("XXX"), country_name(None)
    ('Iran', 'Palestinian Territories', 'XXX', '')
    """
    if not iso3:
        return ""
    try:
        import pycountry
        from babel import Locale

        country = pycountry.countries.get(alpha_3=iso3)
        if country is not None:
            name = Locale("en").territories.get(country.alpha_2)
            return str(name or country.name)
    except (ImportError, LookupError):
        pass
    return iso3
