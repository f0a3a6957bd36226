"""Great-circle distance on the WGS84 mean sphere: one cheap haversine for the whole package.

Thresholds here are tens to hundreds of kilometres (merging events, accuracy@161 km, a
capital near its province), where the sphere is within 0.5% of the ellipsoid; geodesics on
the ellipsoid are :mod:`geo.arcs`' business.
"""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088  # mean radius of the WGS84 ellipsoid


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance in km between two WGS84 points given as lon, lat.

    >>> round(haversine_km(0.0, 0.0, 1.0, 0.0), 1)
    111.2
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
