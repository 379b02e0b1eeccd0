"""Geography: addresses that agree with themselves, routes between real cities, POIs.

>>> from tempdata import geo
>>> len(geo.addresses("germany", 3, seed=1))
3

Public names load on first use (Polars and the reference tables come with them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tempdata._lazy import lazy_attributes

if TYPE_CHECKING:
    from tempdata.geo.address import Address, addresses, addresses_frame
    from tempdata.geo.cities import resolve_city
    from tempdata.geo.countries import country_names, resolve_country
    from tempdata.geo.poi import POI_CATEGORIES, pois, pois_frame
    from tempdata.geo.routes import Route, route

_LAZY = {
    "tempdata.geo.address": ("Address", "addresses", "addresses_frame"),
    "tempdata.geo.cities": ("resolve_city",),
    "tempdata.geo.countries": ("country_names", "resolve_country"),
    "tempdata.geo.poi": ("POI_CATEGORIES", "pois", "pois_frame"),
    "tempdata.geo.routes": ("Route", "route"),
}
__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)


__all__ = [
    "POI_CATEGORIES",
    "Address",
    "Route",
    "addresses",
    "addresses_frame",
    "country_names",
    "pois",
    "pois_frame",
    "resolve_city",
    "resolve_country",
    "route",
]
