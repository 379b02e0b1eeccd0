"""IBANs: real bank codes, national and ISO 13616 check digits, checked by schwifty."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from tempdata.errors import InvalidParameterError
from tempdata.finance import iban

schwifty = pytest.importorskip("schwifty")


@pytest.mark.parametrize("country", iban.COUNTRIES)
def test_generated_ibans_validate_with_schwifty(country: str) -> None:
    table = iban.generate(country, 400, np.random.default_rng(7))
    assert iban.is_valid(table["iban"]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # countries schwifty cannot check nationally
        for value, bic in zip(table["iban"].to_list(), table["bic"].to_list(), strict=True):
            parsed = schwifty.IBAN(value, validate_bban=True)
            assert parsed.country_code == country
            assert len(value) == iban.iban_format(country).iban_length
            assert bic[:4].isalpha()


def test_bank_codes_are_real() -> None:
    from tempdata.geo.reference import load

    table = iban.generate("DE", 500, np.random.default_rng(1))
    known = set(load("banks").filter(pl.col("country") == "DE")["bank_code"].to_list())
    assert set(table["bank_code"].to_list()) <= known
    assert (table["iban"].str.slice(4, 8) == table["bank_code"]).all()


def test_rows_do_not_depend_on_the_count() -> None:
    a = iban.generate("FR", 10, np.random.default_rng(3))
    b = iban.generate("FR", 1000, np.random.default_rng(3))
    assert a.equals(b.head(10))


def test_validator_rejects_broken_ibans() -> None:
    good = iban.generate("IT", 200, np.random.default_rng(2))["iban"]
    assert iban.is_valid(good).all()
    # Change one character of each: the mod-97 check catches single substitutions.
    broken = (
        good.str.slice(0, 10)
        + ((good.str.slice(10, 1).cast(pl.Int32, strict=False).fill_null(0) + 1) % 10).cast(
            pl.String
        )
        + good.str.slice(11)
    )
    assert not iban.is_valid(broken).any()
    odd = pl.Series(
        ["DE89370400440532013000", "de89370400440532013000", "DE8937040044053201300", None]
    )
    assert iban.is_valid(odd).to_list() == [True, False, False, None]


def test_unsupported_country_is_a_clear_error() -> None:
    with pytest.raises(InvalidParameterError, match="no IBANs for country 'US'"):
        iban.generate("US", 1, np.random.default_rng(0))
