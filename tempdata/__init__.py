"""tempdata: realistic fake data at high speed, reproducible by seed.

>>> import tempdata
>>> tempdata.generate("sales", rows=3, seed=42).height
3
"""

from __future__ import annotations

from importlib import metadata as _metadata

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
from tempdata.config import DatasetConfig
from tempdata.core.plan import Dataset, check, col, group, rule
from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.errors import (
    DataQualityError,
    ExportError,
    ExportFormatError,
    FileSystemError,
    GenerationMemoryError,
    GeographicalError,
    InvalidParameterError,
    SerializationError,
    TempDataError,
    UnknownDatasetError,
)

try:
    __version__ = _metadata.version("tempdata")
except _metadata.PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "CHUNK_SIZE",
    "ChunkStream",
    "DataQualityError",
    "Dataset",
    "DatasetConfig",
    "DatasetInfo",
    "ExportError",
    "ExportFormatError",
    "FileSystemError",
    "GenerationMemoryError",
    "GeographicalError",
    "InvalidParameterError",
    "RunInfo",
    "Seeder",
    "SerializationError",
    "TempDataError",
    "UnknownDatasetError",
    "__version__",
    "check",
    "col",
    "create_dataset",
    "describe",
    "generate",
    "group",
    "list_datasets",
    "rule",
    "stream",
]
