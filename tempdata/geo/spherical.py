"""Great-circle geometry on a spherical Earth, vectorised with NumPy.

Angles are degrees at the interface and radians inside; distances are kilometres
on a sphere of the mean Earth radius (:data:`EARTH_RADIUS_KM`), within 0.5 % of the
ellipsoid — plenty for fake routes and POI scatter.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "EARTH_RADIUS_KM",
    "destination",
    "haversine_km",
    "interpolate",
    "to_lat_lon",
    "to_xyz",
    "track_km",
]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088

Floats = npt.NDArray[np.float64]
ArrayLike = float | Floats


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> Floats:
    """Great-circle distance in km (broadcasts like NumPy).

    >>> round(float(haversine_km(52.52, 13.405, 48.8566, 2.3522)))  # Berlin–Paris
    877
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def to_xyz(lat: ArrayLike, lon: ArrayLike) -> Floats:
    """Unit vectors (…, 3) of points given in degrees."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def to_lat_lon(xyz: Floats) -> tuple[Floats, Floats]:
    """Degrees (lat, lon) of vectors (…, 3); they need not be unit length."""
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    lon = np.degrees(np.arctan2(y, x))
    return lat, lon


def interpolate(lat1: float, lon1: float, lat2: float, lon2: float, n: int) -> Floats:
    """``n`` ≥ 2 points (lon, lat) evenly spaced on the great circle, both ends included."""
    a, b = to_xyz(lat1, lon1), to_xyz(lat2, lon2)
    omega = float(np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b)))
    t = np.linspace(0.0, 1.0, max(n, 2))
    if omega < 1e-12:
        points = np.repeat(a[None, :], len(t), axis=0)
    else:
        s = np.sin(omega)
        points = (np.sin((1 - t) * omega) / s)[:, None] * a + (np.sin(t * omega) / s)[:, None] * b
    lat, lon = to_lat_lon(points)
    lat[0], lon[0], lat[-1], lon[-1] = lat1, lon1, lat2, lon2
    return np.stack([lon, lat], axis=-1)


def track_km(
    lat1: float, lon1: float, lat2: float, lon2: float, lat: ArrayLike, lon: ArrayLike
) -> tuple[Floats, Floats]:
    """Cross-track and along-track distances (km) of points from the path 1 → 2.

    Cross-track is the distance to the great circle through 1 and 2 (signed: positive
    to the left); along-track is the distance from 1 along that circle to the foot of
    the perpendicular (negative behind 1, beyond the path's length past 2).
    """
    a, b = to_xyz(lat1, lon1), to_xyz(lat2, lon2)
    normal = np.cross(a, b)
    size = np.linalg.norm(normal)
    p = to_xyz(lat, lon)
    if size < 1e-12:  # coincident or antipodal ends: no unique circle
        dist = haversine_km(lat1, lon1, lat, lon)
        return dist, np.zeros_like(dist)
    normal = normal / size
    sin_cross = np.clip(p @ normal, -1.0, 1.0)
    cross = np.arcsin(sin_cross)
    foot = p - sin_cross[..., None] * normal
    along = np.arctan2(np.cross(a, foot) @ normal, foot @ a)
    return cross * EARTH_RADIUS_KM, along * EARTH_RADIUS_KM


def destination(lat: ArrayLike, lon: ArrayLike, bearing_deg: ArrayLike, km: ArrayLike) -> Floats:
    """Points (…, 2) as (lat, lon) ``km`` away from (``lat``, ``lon``) on ``bearing_deg``."""
    phi, lam = np.radians(lat), np.radians(lon)
    theta, delta = np.radians(bearing_deg), np.asarray(km) / EARTH_RADIUS_KM
    sin_phi2 = np.sin(phi) * np.cos(delta) + np.cos(phi) * np.sin(delta) * np.cos(theta)
    phi2 = np.arcsin(np.clip(sin_phi2, -1.0, 1.0))
    lam2 = lam + np.arctan2(
        np.sin(theta) * np.sin(delta) * np.cos(phi), np.cos(delta) - np.sin(phi) * sin_phi2
    )
    lon2 = (np.degrees(lam2) + 540.0) % 360.0 - 180.0
    return np.stack([np.degrees(phi2), lon2], axis=-1)
