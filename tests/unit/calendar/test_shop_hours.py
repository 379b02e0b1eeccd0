"""The store hour profile is the published one: BLS American Time Use Survey 2024,
share of people making consumer purchases by hour (scripts/sources/calendars/SHOP_HOURS.md)."""

from __future__ import annotations

import numpy as np
import pytest

from tempdata.geo.reference import load
from tempdata.samplers import PROFILES

#: From SHOP_HOURS.md: 1.39 % of buying between 22:00 and 07:00, 11.03 % at 11:00.
NIGHT_SHARE = 0.0139
ELEVEN_SHARE = 0.1103


def test_the_retail_profile_is_the_time_use_surveys_table() -> None:
    table = load("shop_hours").sort("hour")
    assert table.get_column("hour").to_list() == list(range(24))
    np.testing.assert_allclose(
        PROFILES["retail"].hours, table.get_column("share_pct").to_numpy(), rtol=0, atol=1e-9
    )


def test_shopping_happens_by_day_with_little_at_night() -> None:
    hours = np.asarray(PROFILES["retail"].hours)
    shares = hours / hours.sum()
    night = shares[22:].sum() + shares[:7].sum()
    assert night == pytest.approx(NIGHT_SHARE, abs=0.001)
    assert shares[11] == pytest.approx(ELEVEN_SHARE, abs=0.002)
    assert int(np.argmax(shares)) in (11, 12)
