"""GeoJSON text for geography results: Points for addresses and POIs, a route's LineString.

Frames with ``lat``/``lon`` columns go through the exporter's own feature builder
(:mod:`tempdata.export.geojson`), so a FeatureCollection printed here is the same as
one written by ``tempdata generate --format geojson``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from tempdata.geo.routes import Route

__all__ = ["points_geojson", "route_geojson"]


def points_geojson(frame: pl.DataFrame, *, dataset: str = "points") -> str:
    """A FeatureCollection of Points, one per row; the other columns are properties."""
    from tempdata.export.geojson import _features, check_geojson

    check_geojson(frame.schema, dataset)
    features = _features(frame).to_list() if frame.height else []
    body = ",\n".join(features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def route_geojson(route: Route) -> str:
    """A FeatureCollection: the route's LineString, then a Point per stop (``role``, ``order``)."""
    from dataclasses import asdict

    features: list[dict[str, Any]] = [route.to_geojson()]
    stops = route.stops
    for i, stop in enumerate(stops):
        role = "start" if i == 0 else "end" if i == len(stops) - 1 else "waypoint"
        props = {"order": i, "role": role, **asdict(stop)}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
                "properties": {k: v for k, v in props.items() if k not in ("lat", "lon")},
            }
        )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
    )
