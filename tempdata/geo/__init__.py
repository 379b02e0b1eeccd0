"""Geography: addresses that agree with themselves, routes between real cities, POIs.

>>> from tempdata import geo
>>> len(geo.addresses("germany", 3, seed=1))
3

Public names load on first use (Polars and the reference tables come with them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
_WHERE = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        msg = f"module 'tempdata.geo' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


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
