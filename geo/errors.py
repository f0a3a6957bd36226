"""Typed errors. Every message says what was wrong, the value, and what to do next."""


class GeoError(Exception):
    """Root of every error strikemap raises on purpose."""


class InputError(GeoError):
    """An input file or text cannot be used (missing, empty, binary, undecodable, too large)."""


class DataError(GeoError):
    """Bundled data (boundaries, gazetteer, actors) is missing or corrupt."""


class CRSMismatch(GeoError):
    """Two frames are in different coordinate reference systems."""


class GeocoderError(GeoError):
    """A geocoder could not answer (and no fall-back was possible)."""


class StoreError(GeoError):
    """The app's persistent store is unusable."""
