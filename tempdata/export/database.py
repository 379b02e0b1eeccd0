"""Database sinks: ``sqlite:///fixtures.db``, ``duckdb:///fixtures.duckdb`` and
``postgresql://user@host:5432/db``.

A table is created with typed columns and its primary key (and foreign keys, when a
batch names them), then loaded chunk by chunk as Arrow data, all in one transaction:
a failure rolls it back, so no half-loaded table is left and an existing table is
untouched. ``if_exists``: ``error`` (default for databases), ``replace`` (dropped and
re-created inside the transaction) or ``append``.

SQLite and PostgreSQL go through ADBC (``adbc-driver-sqlite``,
``adbc-driver-postgresql``), DuckDB through its own API; all are optional (``pip
install 'tempdata[sqlite]'`` / ``'tempdata[postgresql]'`` / ``'tempdata[duckdb]'``)
and imported only when used. DuckDB and PostgreSQL keep every type (timestamps as
TIMESTAMP, dates as DATE); SQLite stores what its type affinity allows (timestamps as
ISO text).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from tempdata.errors import (
    ExportError,
    FileSystemError,
    InvalidParameterError,
    TempDataError,
    mask_secrets,
)

__all__ = ["DB_IF_EXISTS", "Database", "parse_database", "redact", "write_table"]

DB_IF_EXISTS = ("error", "replace", "append")
_SCHEMES = ("sqlite", "duckdb", "postgresql")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def redact(text: str, *secrets: str) -> str:
    """``text`` with every password in it masked (``***``): those of URIs written in
    it, and each of ``secrets`` wherever it appears. Every message that names a
    database goes through it, so a password never reaches a screen or a log."""
    text = mask_secrets(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _password(uri: str) -> str:
    """The password a server URI holds, as written and percent-decoded ("" if none)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        parts = urlsplit(uri)
        written = parts.netloc.rpartition("@")[0].partition(":")[2]
        found = written or next(iter(parse_qs(parts.query).get("password", [])), "")
    except ValueError:
        return ""
    return unquote(found) if found else ""


@dataclass(frozen=True)
class Database:
    """A database URI, parsed: its engine and file (SQLite, DuckDB) or server URI."""

    engine: str
    path: Path
    uri: str = ""  # a server's, with its password: only ever handed to the driver

    def __str__(self) -> str:
        """The URI with its password masked: what messages and manifests show."""
        return self.redact(self.uri) if self.uri else f"{self.engine}:///{self.path}"

    def __repr__(self) -> str:
        return f"Database({self.engine!r}, {str(self)!r})"

    def redact(self, text: str) -> str:
        """``text`` (a driver's message, say) with this database's password masked."""
        if not self.uri:
            return text
        secret = _password(self.uri)
        return redact(text, secret, *(() if not secret else (_quoted(secret),)))


def _quoted(secret: str) -> str:
    from urllib.parse import quote

    return quote(secret, safe="")


def is_database(target: object) -> bool:
    """Whether ``target`` is a database URI (a URL of a database sink's scheme)."""
    from tempdata.export.formats import DATABASE_SCHEMES, url_scheme

    return url_scheme(target) in DATABASE_SCHEMES


def parse_database(uri: str) -> Database:
    """``sqlite:///path``, ``duckdb:///path`` (three slashes, then the file)."""
    match = re.match(r"^([a-z]+)://(.*)$", uri)
    scheme = match.group(1) if match else ""
    if scheme in ("postgresql", "postgres") and match is not None:
        if match.group(2) in ("", "/"):
            msg = f"database {redact(uri)!r} names no server: use postgresql://user@host:5432/db"
            raise InvalidParameterError(msg)
        return Database("postgresql", Path(), "postgresql://" + match.group(2))
    if scheme not in _SCHEMES or match is None or not match.group(2).startswith("/"):
        msg = (
            f"database {redact(uri)!r} is not one tempdata writes: use sqlite:///path/to/file.db, "
            "duckdb:///path/to/file.duckdb or postgresql://user@host:5432/db"
        )
        raise InvalidParameterError(msg)
    path = Path(match.group(2)[1:] or ".")
    if not path.name or path.is_dir():
        msg = f"database {redact(uri)!r} names no file"
        raise InvalidParameterError(msg)
    return Database(scheme, path)


def _sql_type(dtype: pl.DataType, engine: str) -> str:
    if dtype == pl.Boolean:
        return "BOOLEAN"
    if dtype.is_integer():
        return "BIGINT"
    if dtype.is_float():
        return {"duckdb": "DOUBLE", "postgresql": "DOUBLE PRECISION"}.get(engine, "REAL")
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision or 38}, {dtype.scale})"
    if dtype == pl.Date:
        return "DATE"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone and engine != "sqlite" else "TIMESTAMP"
    return "VARCHAR" if engine == "duckdb" else "TEXT"


def create_table_sql(
    table: str,
    schema: Mapping[str, pl.DataType],
    engine: str,
    *,
    key: str | None = None,
    foreign_keys: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """``CREATE TABLE`` with types, the primary key and foreign keys (column → (table,
    column))."""
    lines = [f'"{name}" {_sql_type(dtype, engine)}' for name, dtype in schema.items()]
    if key is not None and key in schema:
        lines.append(f'PRIMARY KEY ("{key}")')
    for column, (parent, parent_key) in (foreign_keys or {}).items():
        if column in schema:
            lines.append(f'FOREIGN KEY ("{column}") REFERENCES "{parent}" ("{parent_key}")')
    return f'CREATE TABLE "{table}" (\n  ' + ",\n  ".join(lines) + "\n)"


def _exists(cursor: Any, table: str, engine: str) -> bool:
    if engine == "sqlite":
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
    elif engine == "postgresql":  # the name is checked: letters, digits and _
        cursor.execute(f"SELECT to_regclass('\"{table}\"') IS NOT NULL")
        return bool(cursor.fetchone()[0])
    else:
        cursor.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table])
    return cursor.fetchone() is not None


def _arrow(chunk: pl.DataFrame, engine: str) -> Any:
    if engine == "sqlite":
        # SQLite has no enum, timestamp or date types: text (ISO 8601) and integers.
        chunk = chunk.with_columns(
            pl.col(pl.Enum, pl.Categorical).cast(pl.String),
            pl.col(pl.Datetime).dt.to_string("%Y-%m-%d %H:%M:%S%.6f"),
            pl.col(pl.Date).dt.to_string("%Y-%m-%d"),
        )
    else:
        chunk = chunk.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))
    return chunk.to_arrow()


def write_table(
    chunks: Iterator[pl.DataFrame],
    schema: pl.Schema,
    database: Database,
    table: str,
    *,
    if_exists: str = "error",
    key: str | None = None,
    foreign_keys: Mapping[str, tuple[str, str]] | None = None,
    on_chunk: Any = None,
) -> int:
    """Load ``chunks`` into ``table`` in one transaction; returns the rows loaded."""
    if not _IDENT.fullmatch(table):
        msg = f"table name {table!r} must be letters, digits and _ (starting with a letter)"
        raise InvalidParameterError(msg)
    if if_exists not in DB_IF_EXISTS:
        msg = (
            f"if_exists for a database must be one of {', '.join(DB_IF_EXISTS)}, got {if_exists!r}"
        )
        raise InvalidParameterError(msg)
    connection = _connect(database)
    rows = 0
    try:
        with _driver_errors(database, table):
            # DuckDB: the connection itself (a cursor of it would be a second connection
            # with its own transaction).
            cursor = connection if database.engine == "duckdb" else connection.cursor()
            if database.engine == "duckdb":
                cursor.execute("BEGIN TRANSACTION")
            exists = _exists(cursor, table, database.engine)
        if exists and if_exists == "error":
            msg = f"table {table!r} already exists in {database} (if_exists is 'error')"
            raise FileSystemError(msg)
        with _driver_errors(database, table):
            if exists and if_exists == "replace":
                cursor.execute(f'DROP TABLE "{table}"')
            if not exists or if_exists == "replace":
                sql = create_table_sql(
                    table, schema, database.engine, key=key, foreign_keys=foreign_keys
                )
                cursor.execute(sql)
        for chunk in chunks:  # an error of the chunks' own goes on as it is
            data = _arrow(chunk, database.engine)
            with _driver_errors(database, table):
                if database.engine in ("sqlite", "postgresql"):
                    cursor.adbc_ingest(table, data, mode="append")
                else:
                    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM data')
            rows += chunk.height
            if on_chunk is not None:
                on_chunk(chunk)
        with _driver_errors(database, table):
            connection.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            connection.rollback()
        raise
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return rows


@contextlib.contextmanager
def _driver_errors(database: Database, table: str) -> Iterator[None]:
    """A database driver's error as one line, the password masked (the load is then
    rolled back by the caller)."""
    try:
        yield
    except TempDataError:
        raise
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        msg = f"loading table {table!r} into {database} failed: {database.redact(first)}"
        raise ExportError(msg) from None


def _connect(database: Database) -> Any:
    if database.engine == "postgresql":
        try:
            import adbc_driver_postgresql.dbapi as postgresql
        except ImportError:
            msg = "the postgresql sink needs ADBC: pip install 'tempdata[postgresql]'"
            raise ExportError(msg) from None
        try:
            return postgresql.connect(database.uri, autocommit=False)
        except Exception as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            msg = f"cannot connect to {str(database)!r}: {database.redact(first)}"
            raise FileSystemError(msg) from None
    try:
        database.path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create {str(database.path.parent)!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from exc
    if database.engine == "sqlite":
        try:
            import adbc_driver_sqlite.dbapi as sqlite
        except ImportError:
            msg = "the sqlite sink needs ADBC: pip install 'tempdata[sqlite]'"
            raise ExportError(msg) from None
        return sqlite.connect(str(database.path), autocommit=False)
    try:
        import duckdb
    except ImportError:
        msg = "the duckdb sink needs DuckDB: pip install 'tempdata[duckdb]'"
        raise ExportError(msg) from None
    return duckdb.connect(str(database.path))


def read_table(database: Database, table: str) -> pl.DataFrame:
    """A loaded table back as a frame (for tests and checks)."""
    connection = _connect(database)
    try:
        if database.engine == "duckdb":
            return connection.sql(f'SELECT * FROM "{table}"').pl()  # type: ignore[no-any-return]
        cursor = connection.cursor()
        cursor.execute(f'SELECT * FROM "{table}"')
        return pl.from_arrow(cursor.fetch_arrow_table())  # type: ignore[return-value]
    finally:
        connection.close()


def tables(database: Database) -> Sequence[str]:
    connection = _connect(database)
    try:
        cursor = connection if database.engine == "duckdb" else connection.cursor()
        if database.engine == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        elif database.engine == "postgresql":
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY 1"
            )
        else:
            cursor.execute("SELECT table_name FROM information_schema.tables ORDER BY 1")
        return [r[0] for r in cursor.fetchall()]
    finally:
        connection.close()
