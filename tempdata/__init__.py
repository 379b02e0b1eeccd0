"""tempdata: realistic fake data at high speed, reproducible by seed.

The public names are loaded on first use, so ``import tempdata`` (and
``tempdata --help``) stays fast; Polars and NumPy load with the first call.

>>> import tempdata
>>> tempdata.generate("sales", rows=3, seed=42).height
3
"""

from __future__ import annotations

from importlib import metadata as _metadata
from typing import TYPE_CHECKING

from tempdata._lazy import lazy_attributes

if TYPE_CHECKING:
    from tempdata.api import (
        ChunkStream,
        DatasetInfo,
        RunInfo,
        create_dataset,
        describe,
        generate,
        list_datasets,
        stream,
    )
    from tempdata.batch.plan import PlanError, load_plan
    from tempdata.batch.run import BatchResult, create_batch
    from tempdata.config import DatasetConfig
    from tempdata.core.plan import Dataset, check, col, group, rule
    from tempdata.core.seeding import CHUNK_SIZE, Seeder
    from tempdata.core.timeseries import TimeSeriesConfig
    from tempdata.errors import (
        DataQualityError,
        ExportError,
        ExportFormatError,
        FileSystemError,
        GenerationError,
        GenerationMemoryError,
        GeographicalError,
        InvalidParameterError,
        SerializationError,
        TempDataError,
        UnknownDatasetError,
    )
    from tempdata.quality.validate import QualityReport, validate

try:
    __version__ = _metadata.version("tempdata")
except _metadata.PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+unknown"

_LAZY = {
    "tempdata.api": (
        "ChunkStream",
        "DatasetInfo",
        "RunInfo",
        "create_dataset",
        "describe",
        "generate",
        "list_datasets",
        "stream",
    ),
    "tempdata.batch.plan": ("PlanError", "load_plan"),
    "tempdata.batch.run": ("BatchResult", "create_batch"),
    "tempdata.config": ("DatasetConfig",),
    "tempdata.core.plan": ("Dataset", "check", "col", "group", "rule"),
    "tempdata.core.seeding": ("CHUNK_SIZE", "Seeder"),
    "tempdata.core.timeseries": ("TimeSeriesConfig",),
    "tempdata.quality.validate": ("QualityReport", "validate"),
    "tempdata.errors": (
        "DataQualityError",
        "ExportError",
        "ExportFormatError",
        "FileSystemError",
        "GenerationError",
        "GenerationMemoryError",
        "GeographicalError",
        "InvalidParameterError",
        "SerializationError",
        "TempDataError",
        "UnknownDatasetError",
    ),
}
__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY, ("geo", "samplers"))


__all__ = [
    "CHUNK_SIZE",
    "BatchResult",
    "ChunkStream",
    "DataQualityError",
    "Dataset",
    "DatasetConfig",
    "DatasetInfo",
    "ExportError",
    "ExportFormatError",
    "FileSystemError",
    "GenerationError",
    "GenerationMemoryError",
    "GeographicalError",
    "InvalidParameterError",
    "PlanError",
    "QualityReport",
    "RunInfo",
    "Seeder",
    "SerializationError",
    "TempDataError",
    "TimeSeriesConfig",
    "UnknownDatasetError",
    "__version__",
    "check",
    "col",
    "create_batch",
    "create_dataset",
    "describe",
    "generate",
    "group",
    "list_datasets",
    "load_plan",
    "rule",
    "stream",
    "validate",
]
