"""``[datasets.X.columns]``: columns of a plan, from the sampler library or relations.

A column table takes one of these forms (the key names the column):

* a sampler: ``value = { lognormal = { mean = 2.5, sigma = 0.4 }, decimals = 2 }``,
  ``code = { sequence = "CPN-{:08d}" }``, ``channel = { choice = { web = 0.6, app =
  0.4 } }``, ``n = { integers = [1, 9] }`` — the sampler's arguments (a table of its
  parameters, an array of its leading arguments in order, its first argument, or
  ``true`` when it needs none), and its other parameters beside it;
* a reference to another dataset of the plan: ``customer_id = { references =
  "customers.customer_id", distribution = "zipf", a = 1.3 }`` — keys drawn from the
  parent's rows (``uniform``; ``zipf`` with exponent ``a``, default 1; ``pareto`` with
  shape ``alpha``, default 1.16, the "80/20" shape, which is Zipf with ``a = 1 /
  alpha``);
* ``per_parent = { min = 1, max = 5 }`` beside ``references`` (or ``distribution =
  "poisson", mean = 2``): each parent row gets that many children, in parent order,
  and the table's rows are their sum;
* a lookup: ``region = { lookup = "customers.region", via = "customer_id" }`` — the
  parent row's value, through a reference column of the same table;
* only ``nulls = 0.05`` (a share of nulls) on a column the dataset already has.

Every table may also set ``nulls`` and ``description``. A plan names samplers and
values only; nothing in it is executed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import polars as pl

from tempdata.core.plan import Column, Dataset, Group, PlanItem
from tempdata.errors import InvalidParameterError, TempDataError, suggest

__all__ = ["RELATION_KEYS", "SAMPLERS", "ColumnSpec", "parse_column"]


def _samplers() -> dict[str, Callable[..., Any]]:
    from tempdata import samplers as s

    return {
        "booleans": s.booleans,
        "choice": s.choice,
        "floats": s.floats,
        "integers": s.integers,
        "lognormal": s.lognormal,
        "normal": s.normal,
        "numbers": s.numbers,
        "poisson": s.poisson,
        "row_index": s.row_index,
        "sequence": s.sequence,
        "timestamps": s.timestamps,
        "uuid4s": s.uuid4s,
        "zipf": s.zipf,
    }


#: Sampler names a plan may use (the public factories of :mod:`tempdata.samplers`
#: that take plain values).
SAMPLERS = (
    "booleans",
    "choice",
    "floats",
    "integers",
    "lognormal",
    "normal",
    "numbers",
    "poisson",
    "row_index",
    "sequence",
    "timestamps",
    "uuid4s",
    "zipf",
)
RELATION_KEYS = ("references", "distribution", "a", "alpha", "per_parent", "lookup", "via")
PER_PARENT_KEYS = ("min", "max", "distribution", "mean")
COMMON_KEYS = ("nulls", "description")
_ALL_KEYS = (*SAMPLERS, *RELATION_KEYS, *COMMON_KEYS)
DISTRIBUTIONS = ("uniform", "zipf", "pareto")
PARETO_80_20 = 1.16


@dataclass(frozen=True)
class ColumnSpec:
    """One checked column table."""

    name: str
    kind: str  # sampler | references | lookup | nulls
    nulls: float | None
    description: str | None
    sampler: Any = None  # kind == "sampler": the built sampler
    parent: str = ""  # references/lookup: the plan dataset
    parent_column: str = ""  # references: its key column; lookup: the copied column
    skew: float | None = None  # references: power-law exponent (None: uniform)
    via: str = ""  # lookup: the reference column
    per_parent: tuple[int, int, float | None] | None = None  # references: min, max, mean


def _fail(path: str, message: str) -> NoReturn:
    """Raise the problem at TOML ``path`` (read back by the plan checker)."""
    err = InvalidParameterError(message)
    err.plan_path = path  # type: ignore[attr-defined]
    err.__suppress_context__ = True
    raise err


def _number(value: object, path: str, *, low: float, high: float, open_low: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not (low < value if open_low else low <= value) or value > high:  # type: ignore[operator]
        bound = f"> {low:g}" if open_low else f"from {low:g}"
        _fail(path, f"must be a number {bound} to {high:g}, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def _call(name: str, factory: Callable[..., Any], value: object, extra: dict[str, Any]) -> Any:
    """``factory`` called with the plan's arguments: a table of its parameters as
    keywords, an array as its leading arguments (``choice`` takes an array as its
    values), ``true`` for none, else ``value`` as its first argument; ``extra``
    keywords beside."""
    signature = inspect.signature(factory)
    params = signature.parameters
    if isinstance(value, Mapping) and value and all(k in params for k in value):
        args: tuple[Any, ...] = ()
        kwargs = {**value, **extra}
    elif value is True and not [p for p in params.values() if p.default is inspect.Parameter.empty]:
        args, kwargs = (), dict(extra)  # a sampler without required arguments
    elif isinstance(value, list) and name != "choice":
        args, kwargs = tuple(value), dict(extra)  # leading arguments in order: [1, 9]
    else:
        if name == "numbers" and isinstance(value, Mapping):  # TOML keys are strings
            try:
                value = {float(k): v for k, v in value.items()}
            except ValueError:
                msg = f"numbers takes a table of number = weight, got keys {list(value)}"
                raise InvalidParameterError(msg) from None
        args, kwargs = (value,), dict(extra)
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        known = ", ".join(p for p in params if p != "self")
        msg = f"{name}: {exc}; it takes {known or 'no arguments'}"
        raise InvalidParameterError(msg) from None
    try:
        return factory(*args, **kwargs)
    except TypeError as exc:
        msg = f"{name}: {exc}"
        raise InvalidParameterError(msg) from None


def parse_column(name: str, table: object, path: str) -> ColumnSpec:
    """Check one column table; an error carries ``plan_path`` (its TOML path)."""
    if not isinstance(table, Mapping):
        _fail(path, f"must be a table like {{ integers = {{ low = 1, high = 9 }} }}, got {table!r}")
    nulls = None
    if "nulls" in table:
        nulls = _number(table["nulls"], f"{path}.nulls", low=0.0, high=1.0)
        if nulls >= 1.0:
            _fail(f"{path}.nulls", f"must be a share below 1, got {table['nulls']!r}")
    description = table.get("description")
    if description is not None and not isinstance(description, str):
        _fail(f"{path}.description", f"must be text, got {description!r}")
    samplers = [k for k in table if k in SAMPLERS]
    relations = [k for k in ("references", "lookup") if k in table]
    chosen = samplers + relations
    if len(chosen) > 1:
        _fail(path, f"give one of a sampler, references or lookup, not {' and '.join(chosen)}")
    if "references" in table:
        return _reference(name, table, path, nulls, description)
    if "lookup" in table:
        return _lookup(name, table, path, nulls, description)
    for key in ("distribution", "a", "alpha", "per_parent", "via"):
        if key in table:
            _fail(f"{path}.{key}", f"goes with {'lookup' if key == 'via' else 'references'}")
    if not samplers:
        unknown = [k for k in table if k not in COMMON_KEYS]
        if unknown:
            _fail(
                f"{path}.{unknown[0]}",
                f"unknown sampler or key{suggest(unknown[0], _ALL_KEYS)}",
            )
        if nulls is None and description is None:
            _fail(
                path,
                f"say what the column is: a sampler ({', '.join(SAMPLERS)}), "
                "references, lookup or nulls",
            )
        return ColumnSpec(name, "nulls", nulls, description)
    key = samplers[0]
    extra = {k: v for k, v in table.items() if k not in (key, *COMMON_KEYS)}
    try:
        sampler = _call(key, _samplers()[key], table[key], extra)
    except TempDataError as exc:
        _fail(f"{path}.{key}", str(exc))
    return ColumnSpec(name, "sampler", nulls, description, sampler=sampler)


def _target(value: object, path: str, what: str) -> tuple[str, str]:
    if not isinstance(value, str) or value.count(".") != 1 or "" in value.split("."):
        _fail(
            path,
            f'{what} names a dataset and its column, like "customers.customer_id", got {value!r}',
        )
    parent, column = value.split(".")
    return parent, column


def _reference(
    name: str, table: Mapping[str, Any], path: str, nulls: float | None, description: str | None
) -> ColumnSpec:
    allowed = ("references", "distribution", "a", "alpha", "per_parent", *COMMON_KEYS)
    for key in table:
        if key not in allowed:
            _fail(
                f"{path}.{key}",
                f"a references column takes {', '.join(allowed)}{suggest(key, allowed)}",
            )
    parent, column = _target(table["references"], f"{path}.references", "references")
    if "per_parent" in table:
        for key in ("distribution", "a", "alpha"):
            if key in table:
                _fail(f"{path}.{key}", "per_parent sets how many children each parent has")
        per = _per_parent(table["per_parent"], f"{path}.per_parent")
        return ColumnSpec(
            name,
            "references",
            nulls,
            description,
            parent=parent,
            parent_column=column,
            per_parent=per,
        )
    has_shape = "a" in table or "alpha" in table
    distribution = table.get("distribution", "zipf" if has_shape else "uniform")
    if distribution not in DISTRIBUTIONS:
        _fail(
            f"{path}.distribution",
            f"must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}",
        )
    skew = None
    if distribution == "zipf":
        if "alpha" in table:
            _fail(f"{path}.alpha", 'goes with distribution = "pareto"; zipf takes a')
        skew = _number(table.get("a", 1.0), f"{path}.a", low=0.0, high=10.0, open_low=True)
    elif distribution == "pareto":
        if "a" in table:
            _fail(f"{path}.a", 'goes with distribution = "zipf"; pareto takes alpha')
        alpha = _number(table.get("alpha", PARETO_80_20), f"{path}.alpha", low=0.1, high=100.0)
        skew = 1.0 / alpha
    elif has_shape:
        key = "a" if "a" in table else "alpha"
        _fail(f"{path}.{key}", "a uniform distribution takes no parameter")
    return ColumnSpec(
        name, "references", nulls, description, parent=parent, parent_column=column, skew=skew
    )


def _per_parent(value: object, path: str) -> tuple[int, int, float | None]:
    """``per_parent = { min = 1, max = 5 }`` (uniform), or ``distribution = "poisson"``
    with ``mean``: how many children each parent row has."""
    if not isinstance(value, Mapping):
        _fail(path, f"must be a table like {{ min = 1, max = 5 }}, got {value!r}")
    for key in value:
        if key not in PER_PARENT_KEYS:
            _fail(f"{path}.{key}", f"unknown key{suggest(key, PER_PARENT_KEYS)}")
    bounds = []
    for key in ("min", "max"):
        v = value.get(key)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 1_000_000:
            _fail(f"{path}.{key}", f"must be a whole number from 0 to 1,000,000, got {v!r}")
        bounds.append(v)
    low, high = bounds
    if high < max(low, 1):
        _fail(f"{path}.max", f"must be at least min and at least 1, got {high}")
    distribution = value.get("distribution", "uniform")
    if distribution not in ("uniform", "poisson"):
        _fail(f"{path}.distribution", f"must be uniform or poisson, got {distribution!r}")
    mean = None
    if distribution == "poisson":
        mean = _number(value.get("mean"), f"{path}.mean", low=0.0, high=1e6, open_low=True)
    elif "mean" in value:
        _fail(f"{path}.mean", 'goes with distribution = "poisson"')
    return low, high, mean


def _lookup(
    name: str, table: Mapping[str, Any], path: str, nulls: float | None, description: str | None
) -> ColumnSpec:
    allowed = ("lookup", "via", *COMMON_KEYS)
    for key in table:
        if key not in allowed:
            _fail(
                f"{path}.{key}",
                f"a lookup column takes {', '.join(allowed)}{suggest(key, allowed)}",
            )
    parent, column = _target(table["lookup"], f"{path}.lookup", "lookup")
    via = table.get("via")
    if not isinstance(via, str):
        _fail(f"{path}.via", f"names this table's reference column to {parent!r}, got {via!r}")
    return ColumnSpec(
        name, "lookup", nulls, description, parent=parent, parent_column=column, via=via
    )


# ------------------------------------------------------------------------- building


def _replace_item(items: list[PlanItem], name: str, column: Column) -> bool:
    """Put ``column`` in place of the output ``name``; False if there is none."""
    for i, item in enumerate(items):
        if isinstance(item, Column) and item.name == name:
            items[i] = column
            return True
        if isinstance(item, Group) and name in item.columns:
            rest = {k: v for k, v in item.columns.items() if k != name}
            if rest:
                items[i] = Group(
                    item.name,
                    item.sampler,
                    rest,
                    {k: v for k, v in item.descriptions.items() if k != name},
                    frozenset(item.hidden - {name}),
                )
                items.insert(i + 1, column)
            else:
                items[i] = column
            return True
    return False


def _tainted(items: Sequence[PlanItem], replaced: set[str]) -> set[str]:
    """``replaced`` and every column computed from them, directly or not."""
    out = set(replaced)
    grew = True
    while grew:
        grew = False
        for item in items:
            if set(item.inputs()) & out and not set(item.outputs) <= out:
                out |= set(item.outputs)
                grew = True
    return out


def _existing(items: list[PlanItem], name: str) -> Column | None:
    for item in items:
        if isinstance(item, Column) and item.name == name:
            return item
    return None


def build_dataset(
    base: Dataset | None,
    name: str,
    specs: list[tuple[ColumnSpec, str]],
    parents: Mapping[str, tuple[Dataset, int]],
) -> Dataset:
    """``base`` (or an empty custom dataset) with ``specs`` applied.

    ``parents`` maps plan dataset names to their built dataset and rows. Raises an
    :class:`InvalidParameterError` carrying ``plan_path`` on the first problem.
    """
    from tempdata import samplers as s
    from tempdata.samplers.ids import foreign_keys_of, is_sequence, key_sampler_of

    items: list[PlanItem] = list(base.items) if base is not None else []
    references: dict[str, Any] = {}
    replaced: set[str] = set()
    rekeyed: dict[str, str] = {}  # a foreign key the plan points elsewhere → its path
    # A plan's nulls blank the written cells; columns computed from one still see its
    # values (payment_method from channel), as with missing data in a real export.
    output_nulls = dict(base.output_nulls) if base is not None else {}
    output_nulls.update({spec.name: spec.nulls for spec, _ in specs if spec.nulls is not None})
    for spec, path in specs:
        if spec.kind == "nulls":
            known = [] if base is None else list(base.column_names)
            if spec.name not in known:
                _fail(
                    path,
                    f"no column {spec.name!r} to set nulls on{suggest(spec.name, known)}"
                    if known
                    else "a new column needs a sampler, references or lookup",
                )
            current = _existing(items, spec.name)
            if current is None or not spec.description:
                continue  # only its output nulls change
            column = Column(
                current.name,
                current.source,
                nulls=current.nulls,
                description=spec.description,
                hidden=current.hidden,
            )
        elif spec.kind == "sampler":
            column = Column(spec.name, spec.sampler, description=spec.description or "")
        elif spec.kind == "references":
            parent = parents.get(spec.parent)
            if parent is None:
                _fail(
                    f"{path}.references",
                    f"the plan has no dataset {spec.parent!r}{suggest(spec.parent, parents)}",
                )
            dataset, rows = parent
            if spec.parent_column != dataset.key:
                hint = f"its key is {dataset.key!r}" if dataset.key else "it has no key column"
                _fail(
                    f"{path}.references",
                    f"{spec.parent}.{spec.parent_column} is not the key of {spec.parent!r} "
                    f"({hint})",
                )
            key = key_sampler_of(dataset)
            if key is None:
                _fail(
                    f"{path}.references",
                    f"{spec.parent}.{spec.parent_column} is not drawn by sequence(), so its "
                    "keys cannot be drawn by row",
                )
            if spec.per_parent is not None:
                low, high, mean = spec.per_parent
                references[spec.name] = s.per_parent(
                    spec.parent, key, size=rows, low=low, high=high, mean=mean
                )
            else:
                references[spec.name] = s.foreign_key(spec.parent, key, size=rows, skew=spec.skew)
            column = Column(
                spec.name,
                references[spec.name],
                description=spec.description or f"A {spec.parent} key.",
            )
            before = _existing(items, spec.name)
            if before is not None and foreign_keys_of(before.source):
                rekeyed[spec.name] = path
        else:  # lookup
            ref = references.get(spec.via)
            if ref is None:
                _fail(
                    f"{path}.via",
                    f"{spec.via!r} is not a references column of this table (declare it first)",
                )
            if ref.parent != spec.parent:
                _fail(
                    f"{path}.lookup", f"{spec.via!r} refers to {ref.parent!r}, not {spec.parent!r}"
                )
            dataset, _ = parents[spec.parent]
            dtype = _column_dtype(dataset, spec.parent_column, f"{path}.lookup")
            column = Column(
                spec.name,
                s.lookup(spec.via, ref, spec.parent_column, dtype=dtype),
                description=spec.description or f"The {spec.parent} row's {spec.parent_column}.",
            )
        if _replace_item(items, spec.name, column):
            replaced.add(spec.name)
        else:
            items.append(column)
    if rekeyed:
        _follow_keys(items, rekeyed, references, parents, replaced, name)
    if base is None:
        # A custom dataset's key is its first sequence() column.
        key_name = next(
            (sp.name for sp, _ in specs if sp.kind == "sampler" and is_sequence(sp.sampler)), None
        )
        return Dataset(
            name,
            description=f"{name}: a dataset declared in a plan.",
            columns=items,
            key=key_name,
            domain="plan",
            output_nulls=output_nulls,
        )
    return base.replace(
        columns=items,
        # The catalogue's checks speak of its own columns: those over a replaced column,
        # or over one computed from it, no longer hold by construction (a rule's
        # invariant stays: the rule enforces it).
        checks=tuple(
            c for c in base.checks if not set(c.expr.meta.root_names()) & _tainted(items, replaced)
        ),
        nullable=tuple(n for n in base.nullable if n in {o for i in items for o in i.outputs}),
        output_nulls=output_nulls,
    )


def _follow_keys(
    items: list[PlanItem],
    rekeyed: Mapping[str, str],
    references: Mapping[str, Any],
    parents: Mapping[str, tuple[Dataset, int]],
    replaced: set[str],
    name: str,
) -> None:
    """Make the columns that read a parent row through a foreign key the plan points
    elsewhere follow it: a ``lookup`` copies the same column of the new parent's row
    (a sale's unit price from the plan's products); any other reader is refused in one
    line, since it would index the old parent with the new keys."""
    from tempdata import samplers as s
    from tempdata.samplers.ids import lookups_of

    for i, item in enumerate(items):
        if isinstance(item, Column) and (item.name in replaced or isinstance(item.source, pl.Expr)):
            continue
        source = item.source if isinstance(item, Column) else item.sampler
        via = next((g for g in getattr(source, "given", ()) if g in rekeyed), None)
        if via is None:
            continue
        ref = references[via]
        found = lookups_of(source)
        dataset, _ = parents[ref.parent]
        if isinstance(item, Column) and found and found[0].column in dataset.column_names:
            column = found[0].column
            dtype = _column_dtype(dataset, column, rekeyed[via])
            items[i] = Column(
                item.name,
                s.lookup(via, ref, column, dtype=dtype),
                nulls=item.nulls,
                description=item.description,
                hidden=item.hidden,
            )
            continue
        reader = item.name
        _fail(
            rekeyed[via],
            f"{name}.{reader} reads a parent row through {via}, which now refers to "
            f"{ref.parent!r}{' (it has no such column)' if found else ''}: declare "
            f'{reader} in the plan too (e.g. {reader} = {{ lookup = "{ref.parent}.<column>", '
            f'via = "{via}" }}), or leave {via} as it is',
        )


def _column_dtype(dataset: Dataset, column: str, path: str) -> pl.DataType:
    from tempdata.api import _schema_planner

    try:
        schema = _schema_planner(dataset, "global").schema
    except TempDataError as exc:
        _fail(path, str(exc))
    if column not in dataset.column_names:
        _fail(
            path,
            f"{dataset.name!r} has no column {column!r}{suggest(column, dataset.column_names)}",
        )
    return schema[column]
