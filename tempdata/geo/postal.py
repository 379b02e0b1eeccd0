"""Real postal codes of cities, completed where the reference data holds only part of them.

``reference_data/postal_codes.parquet`` links codes to the rows of ``cities.parquet``:
``linked`` GeoNames postal points, codes ``borrowed`` from the nearest place of the same
state, or codes ``generated`` from the country's format within the state's prefix. A
code is its literal part ``postal_code`` followed by a completion template ``suffix``
filled at run time: ``#`` is a random digit, ``@`` a random letter of the country's
allowed set (:data:`ALLOWED_LETTERS`), any other character is kept as is.

Where completion is used (:data:`POSTAL_FORMATS` lists the rules of the partial codes
GeoNames ships; generated codes use templates of any country's format):

=======  =============  ===========================================================
country  template       rule
=======  =============  ===========================================================
GB       ``OUT #@@``    outward code + inward code; letters never C I K M O V
CA       ``FSA #@#``    forward sortation area + local delivery unit
NL       ``1234 @@``    4 digits + 2 letters; never F I O Q U Y, never SA SD SS
BR       ``12345-###``  5-digit prefix + 3-digit suffix
IE       ``D02 @@@@``   routing key + 4-character unique identifier
=======  =============  ===========================================================

>>> import numpy as np
>>> from tempdata.geo.postal import POSTAL_DRAWS, sample_postal
>>> u = np.random.default_rng(0).random((2, POSTAL_DRAWS))
>>> codes, lat, lon = sample_postal(np.array([0, 0]), u)
>>> codes.len(), lat.shape
(2, (2,))
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.errors import InvalidParameterError
from tempdata.geo.reference import load

__all__ = [
    "ALLOWED_LETTERS",
    "POSTAL_DRAWS",
    "POSTAL_FORMATS",
    "SUFFIX_MAX",
    "postal_districts",
    "sample_postal",
]

#: Letters a ``@`` of a country's templates is drawn from; the n-th ``@`` of a template
#: uses the n-th set (the last one repeats). Countries not listed use A–Z. Read by the
#: reference-data build (``scripts/refdata/postal.py``), which checks that every
#: completion matches the country's format: keep it a plain literal.
ALLOWED_LETTERS: dict[str, tuple[str, ...]] = {
    # Royal Mail (GB and the Crown Dependencies GG, IM, JE): the inward code's letters
    # never include C I K M O V.
    "GB": ("ABDEFGHJLNPQRSTUWXYZ",),
    "GG": ("ABDEFGHJLNPQRSTUWXYZ",),
    "IM": ("ABDEFGHJLNPQRSTUWXYZ",),
    "JE": ("ABDEFGHJLNPQRSTUWXYZ",),
    # Canada Post: D F I O Q U are never used (W and Z not as an FSA's first letter).
    "CA": ("ABCEGHJKLMNPRSTVWXYZ",),
    # PostNL: F I O Q U Y are not used; SA, SD and SS are not issued, so the second
    # letter is never A, D or S.
    "NL": ("ABCEGHJKLMNPRSTVWXZ", "BCEGHJKLMNPRTVWXZ"),
    # Eircode unique identifiers: digits and the letters A C D E F H K N P R T V W X Y.
    "IE": ("0123456789ACDEFHKNPRTVWXY",),
}

#: Completion of the partial codes GeoNames ships: country → (literal part, suffix).
POSTAL_FORMATS: dict[str, tuple[str, str]] = {
    "GB": ("outward code (SW1A)", " #@@"),
    "CA": ("forward sortation area (K1A)", " #@#"),
    "NL": ("four digits (1012)", " @@"),
    "BR": ("five-digit prefix (01310)", "-###"),
    "IE": ("routing key (D02)", " @@@@"),
}

#: Longest completion template in the reference data.
SUFFIX_MAX = 8

#: Uniform draws per row: which of the city's codes, jitter distance, jitter angle, then
#: one per template character.
POSTAL_DRAWS = 3 + SUFFIX_MAX

_DEFAULT_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_KM_PER_DEGREE = 111.32

Array = npt.NDArray[np.float64]


class _Table(NamedTuple):
    """The postal table in arrays, with per-city ranges and compiled templates."""

    codes: pl.Series  # literal parts, String
    template: npt.NDArray[np.int32]  # row → template id
    lat: Array
    lon: Array
    radius_km: Array
    start: npt.NDArray[np.int64]  # city → first row
    n_codes: npt.NDArray[np.int64]  # city → number of rows
    city_lat: Array
    city_lon: Array
    holes: npt.NDArray[np.bool_]  # template id → has characters to fill in
    base: npt.NDArray[np.int32]  # (templates, SUFFIX_MAX): offset into chars
    size: Array  # (templates, SUFFIX_MAX): characters to choose from (0 = literal)
    last: npt.NDArray[np.int32]  # (templates, SUFFIX_MAX): max(size - 1, 0)
    chars: npt.NDArray[np.uint8]  # flat character table; byte 0 ends a code


@cache
def _table() -> _Table:
    cities = load("cities")
    postal = load("postal_codes", ("city", "postal_code", "suffix", "lat", "lon", "radius_km"))
    n_cities = cities.height
    city = postal.get_column("city").to_numpy().astype(np.int64)
    count = np.bincount(city, minlength=n_cities).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    # Templates of the rows with a suffix to fill (a few percent); id 0 is "nothing to
    # fill". Working on those rows alone keeps the set-up small (a join over all 300k
    # rows would cost tens of MiB of allocator memory that stays with the process).
    suffix = postal.get_column("suffix")
    filled = np.flatnonzero((suffix.str.len_bytes() > 0).to_numpy())
    key = pl.DataFrame(
        {
            "cc": cities.get_column("country_code").gather(city[filled]),
            "suffix": suffix.gather(filled),
        }
    )
    templates = pl.concat(
        [pl.DataFrame({"cc": [""], "suffix": [""]}), key.unique(maintain_order=True)]
    )
    template = np.zeros(postal.height, dtype=np.int32)
    template[filled] = (
        key.join(
            templates.with_row_index("t"), on=["cc", "suffix"], how="left", maintain_order="left"
        )
        .get_column("t")
        .to_numpy()
    )
    # flat character table: "\0", then every alphabet and literal character once
    table = ["\0"]
    offsets: dict[str, int] = {}

    def offset(text: str) -> int:
        if text not in offsets:
            offsets[text] = sum(map(len, table))
            table.append(text)
        return offsets[text]

    base = np.zeros((templates.height, SUFFIX_MAX), dtype=np.int32)
    size = np.zeros((templates.height, SUFFIX_MAX), dtype=np.float64)
    for t, (cc, suffix) in enumerate(templates.iter_rows()):
        letters = ALLOWED_LETTERS.get(cc, (_DEFAULT_LETTERS,))
        n_at = 0
        for pos, ch in enumerate(suffix):
            if ch == "#":
                text = _DIGITS
            elif ch == "@":
                text = letters[min(n_at, len(letters) - 1)]
                n_at += 1
            else:
                base[t, pos] = offset(ch)
                continue
            base[t, pos] = offset(text)
            size[t, pos] = len(text)
    chars = np.frombuffer("".join(table).encode("ascii"), dtype=np.uint8).copy()
    return _Table(
        codes=postal.get_column("postal_code"),
        template=template,
        lat=postal.get_column("lat").to_numpy(),
        lon=postal.get_column("lon").to_numpy(),
        radius_km=postal.get_column("radius_km").to_numpy().astype(np.float64),
        start=start,
        n_codes=count,
        city_lat=cities.get_column("lat").to_numpy(),
        city_lon=cities.get_column("lon").to_numpy(),
        holes=(templates.get_column("suffix").str.len_bytes() > 0).to_numpy(),
        base=base,
        size=size,
        last=np.maximum(size - 1, 0).astype(np.int32),
        chars=chars,
    )


def _rows(
    t: _Table, city: npt.NDArray[np.int64], u0: Array
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """(whether the city has codes, the postal row each draw ``u0`` picks among them)."""
    count = t.n_codes[city]
    has = count > 0
    offset = np.minimum((u0 * count).astype(np.int64), np.maximum(count - 1, 0))
    return has, np.where(has, t.start[city] + offset, 0)


@cache
def _districts() -> pl.Series:
    return load("postal_codes", ("district",)).get_column("district")


def postal_districts(city: np.ndarray, u: np.ndarray) -> pl.Series:
    """The district (ward and town) written before the house number, of the postal code
    :func:`sample_postal` picks from the same ``city`` and ``u``; null where the code has
    none (every country but Japan: ``世田谷区北沢``, ``中央区旭ケ丘``, ``浜坂``)."""
    city = np.asarray(city, dtype=np.int64)
    has, row = _rows(_table(), city, np.asarray(u, dtype=np.float64)[:, 0])
    out = _districts().gather(row)
    return out.set(pl.Series(~has) | (out == ""), None).alias("district")


def sample_postal(city: np.ndarray, u: np.ndarray) -> tuple[pl.Series, Array, Array]:
    """Postal codes and coordinates for rows of ``cities.parquet``.

    Each row takes one of its city's postal codes uniformly (a city has up to a few
    hundred), completes the code's template and scatters the point uniformly over a
    disc of the code's ``radius_km`` (kept on land by the reference build).

    Parameters
    ----------
    city : numpy.ndarray
        Row indices into ``cities.parquet``, shape ``(n,)``.
    u : numpy.ndarray
        Uniform draws in [0, 1), shape ``(n, POSTAL_DRAWS)``: column 0 picks the code,
        1 and 2 the jitter distance and angle, 3 onwards fill the template.

    Returns
    -------
    tuple[polars.Series, numpy.ndarray, numpy.ndarray]
        ``postal_code`` (String; null where the country has no postal codes, and then
        the city centre as coordinates), ``lat`` and ``lon`` rounded to 6 decimals.

    Raises
    ------
    InvalidParameterError
        If ``u`` does not have ``len(city)`` rows and ``POSTAL_DRAWS`` columns.

    Examples
    --------
    >>> import numpy as np
    >>> from tempdata.geo.reference import load
    >>> berlin = load("cities")["city"].to_list().index("Berlin")
    >>> u = np.random.default_rng(3).random((1, POSTAL_DRAWS))
    >>> sample_postal(np.array([berlin]), u)[0].str.contains(r"^1\\d{4}$").all()
    True
    """
    city = np.asarray(city, dtype=np.int64)
    u = np.asarray(u, dtype=np.float64)
    if u.shape != (len(city), POSTAL_DRAWS):
        msg = (
            f"sample_postal: u has shape {u.shape}; expected ({len(city)}, {POSTAL_DRAWS}) "
            "(one row of POSTAL_DRAWS uniforms per city index)"
        )
        raise InvalidParameterError(msg)
    t = _table()
    has, row = _rows(t, city, u[:, 0])

    codes = t.codes.gather(row)
    # complete the templates of the rows that have one (a few percent)
    fill_rows = np.flatnonzero(t.holes[t.template[row]] & has)
    if len(fill_rows):
        tmpl = t.template[row[fill_rows]]
        # one gather from the flat character table: literal characters are entries of
        # their own (size 0), so every position is chars[base + floor(u * size)]
        pick = (u[fill_rows, 3:] * t.size[tmpl]).astype(np.int32)
        np.minimum(pick, t.last[tmpl], out=pick)
        fill = t.chars[t.base[tmpl] + pick]
        text = pl.Series(np.ascontiguousarray(fill).view(f"S{SUFFIX_MAX}").ravel())
        completed = pl.DataFrame({"c": codes.gather(fill_rows), "s": text.cast(pl.String)})
        codes = codes.scatter(fill_rows, completed.select(pl.concat_str("c", "s")).to_series())
    if not has.all():
        codes = codes.scatter(np.flatnonzero(~has), None)

    radius = np.where(has, t.radius_km[row], 0.0) * np.sqrt(u[:, 1])
    angle = 2 * np.pi * u[:, 2]
    lat0 = np.where(has, t.lat[row], t.city_lat[city])
    lon0 = np.where(has, t.lon[row], t.city_lon[city])
    lat = lat0 + radius * np.cos(angle) / _KM_PER_DEGREE
    coslat = np.maximum(np.cos(np.radians(lat0)), 0.01)
    lon = lon0 + radius * np.sin(angle) / (_KM_PER_DEGREE * coslat)
    lon = np.where(lon > 180, lon - 360, np.where(lon < -180, lon + 360, lon))
    return codes.alias("postal_code"), np.round(lat, 6), np.round(lon, 6)
