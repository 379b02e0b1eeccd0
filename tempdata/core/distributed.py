"""``backend="dask"``: part files written by the workers of a Dask cluster.

One task per part (1,000,000 rows: :mod:`tempdata.export.parts`); each task builds the
run's planner from its settings (as the local worker processes do,
:mod:`tempdata.core.parallel`) and writes its part files into the output folder, which
the workers must see (a local folder for a :class:`distributed.LocalCluster`, a
shared file system for a real cluster). Parts are pure functions of the seed and
their chunk range, so a task the scheduler re-runs after a worker died writes the same
bytes. The folder gets its ``_SUCCESS`` marker only when every part is in.

Dask is an optional extra (``pip install 'tempdata[dask]'``), imported only here. The
cluster: ``address`` (``tcp://host:8786``), else ``DASK_SCHEDULER_ADDRESS``, else a
``LocalCluster`` of processes started for the run and closed after it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from multiprocessing.reduction import ForkingPickler
from typing import Any

from tempdata.errors import GenerationError, InvalidParameterError

__all__ = ["BACKENDS", "check_backend", "dask_parts"]

BACKENDS = ("local", "dask")


def check_backend(backend: object) -> str:
    if backend not in BACKENDS:
        msg = f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}"
        raise InvalidParameterError(msg)
    return str(backend)


def _client(address: str | None, workers: int) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        msg = "the dask backend needs Dask: pip install 'tempdata[dask]'"
        raise InvalidParameterError(msg) from None
    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if address:
        from urllib.parse import urlsplit

        from tempdata.errors import mask_secrets

        try:
            secret = urlsplit(address).password or ""
        except ValueError:
            secret = ""

        def masked(text: str) -> str:
            text = mask_secrets(text)
            return text.replace(secret, "***") if secret else text

        shown = masked(address)
        try:
            return Client(address, timeout="10s"), None  # type: ignore[no-untyped-call]
        except OSError as exc:
            msg = f"cannot reach the Dask scheduler at {shown!r}: {masked(str(exc))}"
            raise GenerationError(msg) from None
        except (ValueError, TypeError) as exc:  # not an address Dask can use
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            msg = (
                f"Dask scheduler address {shown!r} is not one Dask can use "
                f"({masked(first)}): give tcp://host:port"
            )
            raise InvalidParameterError(msg) from None
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        # the nannies and their workers end with this process, even if it is killed
        preload=["tempdata.core.watchdog"],
        preload_nanny=["tempdata.core.watchdog"],
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def _task(spec: bytes, key: str, chunks: tuple[int, ...], targets: Any, metadata: Any) -> int:
    from tempdata.core.parallel import _write_part

    return _write_part(spec, key, chunks, targets, metadata)


def dask_parts(
    name: Any,
    kwargs: Mapping[str, Any],
    tables: Mapping[str, Any] | None,
    jobs: list[tuple[tuple[int, ...], Any]],
    metadata: dict[str, str],
    *,
    address: str | None = None,
    workers: int | None = None,
) -> None:
    """Write every job (chunks, part files) as a task on a Dask cluster."""
    import tempdata.core.parallel  # noqa: F401  (teaches the pickler read-only mappings)

    spec = bytes(ForkingPickler.dumps((name, dict(kwargs), dict(tables or {}))))
    key = hashlib.sha256(spec).hexdigest()
    client, cluster = _client(address, workers or max(1, os.cpu_count() or 1))
    try:
        futures = [
            client.submit(_task, spec, key, chunks, targets, metadata, pure=False, retries=2)
            for chunks, targets in jobs
        ]
        try:
            client.gather(futures)
        except Exception as exc:
            msg = f"the Dask cluster failed to write the parts: {exc}"
            raise GenerationError(msg) from exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
