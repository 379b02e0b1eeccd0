"""The catalogue: dataset name → :class:`~tempdata.core.plan.Dataset`.

Domain modules register their datasets when imported. The registry knows which module
holds which dataset (``_WHERE``) and imports only that one on first use, so
``import tempdata`` stays cheap and generating sales never pays for the healthcare
module's reference tables; :func:`names` imports them all.
"""

from __future__ import annotations

import importlib
import threading

from tempdata.core.plan import Dataset
from tempdata.errors import InvalidParameterError, UnknownDatasetError, suggest

__all__ = ["get", "names", "register"]

#: Where each catalogue dataset is defined (a test checks it against the modules).
_WHERE = {
    "customers": "business",
    "products": "business",
    "sales": "business",
    "crypto": "finance",
    "stocks": "finance",
    "ecommerce": "ecommerce",
    "order_lines": "ecommerce",
    "banking": "banking",
    "employees": "workforce",
    "web_logs": "weblogs",
    "user_sessions": "sessions",
    "system_metrics": "technology",
    "weather": "weather",
    "iot_sensors": "iot",
    "energy": "energy",
    "appointments": "healthcare",
    "patients": "healthcare",
    "social_posts": "social",
    "user_profiles": "social",
}
_DOMAIN_MODULES = (
    "tempdata.datasets.business",
    "tempdata.datasets.finance",
    "tempdata.datasets.ecommerce",
    "tempdata.datasets.banking",
    "tempdata.datasets.workforce",
    "tempdata.datasets.weblogs",
    "tempdata.datasets.sessions",
    "tempdata.datasets.technology",
    "tempdata.datasets.weather",
    "tempdata.datasets.iot",
    "tempdata.datasets.energy",
    "tempdata.datasets.healthcare",
    "tempdata.datasets.social",
)
_datasets: dict[str, Dataset] = {}
_lock = threading.Lock()
_loaded = False


def register(dataset: Dataset) -> Dataset:
    """Add a dataset to the catalogue (a name can be registered once)."""
    if not isinstance(dataset, Dataset):
        msg = f"register() takes a Dataset, got {dataset!r}"
        raise InvalidParameterError(msg)
    existing = _datasets.get(dataset.name)
    if existing is not None and existing is not dataset:
        msg = f"a dataset named {dataset.name!r} is already registered"
        raise InvalidParameterError(msg)
    _datasets[dataset.name] = dataset
    return dataset


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            for module in _DOMAIN_MODULES:
                importlib.import_module(module)
            _loaded = True


def get(name: object) -> Dataset:
    """The dataset called ``name``; an error with the closest names if there is none."""
    if isinstance(name, str) and name not in _datasets and name in _WHERE:
        importlib.import_module(f"tempdata.datasets.{_WHERE[name]}")
    if not isinstance(name, str) or name not in _datasets:
        _load()  # a dataset registered by hand, or none: the full list for the message
    if not isinstance(name, str) or name not in _datasets:
        shown = name if isinstance(name, str) else repr(name)
        msg = f"unknown dataset {shown!r}{suggest(str(name), _datasets)}"
        raise UnknownDatasetError(msg)
    return _datasets[name]


def names() -> list[str]:
    """Every dataset name, sorted."""
    _load()
    return sorted(_datasets)
