"""From the place names of articles and certificates to today's commune, without hand-typed codes.

Seed facts name places as they were before July 2025 ("xã Tất Thắng, huyện Thanh Sơn, Phú Thọ").
Producers need today's commune for their address and the legacy province and district for search
and for the certificate's issuing body. The `vietnam-provinces` package carries the official
mapping; our `Commune`, `LegacyProvince` and `LegacyDistrict` rows were loaded from it with the same
codes, so a lookup in the package ends in a lookup by `code` here.

Names are compared folded (no diacritics, lower case) because official lists spell some tones the
old way ("Kiến Thuỵ") and articles the new way ("Kiến Thụy").
"""

import re
from collections import defaultdict

from vietnam_provinces import Ward as WardData
from vietnam_provinces.legacy import Ward as LegacyWardData

from catalog.models import Commune, LegacyDistrict, LegacyProvince
from catalog.text import fold

UNIT_PREFIX = re.compile(r"^(tinh|thanh pho|huyen|quan|thi xa|thi tran|xa|phuong|dac khu)\s+")


def bare(name: str) -> str:
    """Folded name without its unit word: 'Huyện Kiến Thuỵ' → 'kien thuy', 'Xã Tất Thắng' → 'tat thang'."""
    return UNIT_PREFIX.sub("", fold(name).strip())


def find_legacy_province(name: str) -> LegacyProvince:
    wanted = bare(name)
    matches = [p for p in LegacyProvince.objects.all() if bare(p.name) == wanted]
    if len(matches) != 1:
        raise LookupError(f"No single legacy province named {name!r} ({len(matches)} found)")
    return matches[0]


def find_legacy_district(legacy_province: LegacyProvince, name: str) -> LegacyDistrict:
    """The district of that old province whose name matches, e.g. 'Huyện Thanh Hà' or 'Thanh Hà'."""
    wanted_full, wanted = fold(name), bare(name)
    districts = list(legacy_province.districts.all())
    matches = [d for d in districts if fold(d.name) == wanted_full] or [d for d in districts if bare(d.name) == wanted]
    if len(matches) != 1:
        raise LookupError(f"No single district {name!r} in {legacy_province.name} ({len(matches)} found)")
    return matches[0]


def resolve_commune(district: LegacyDistrict, *, legacy_ward: str = "", commune: str = "") -> Commune:
    """Today's commune for a place in an old district.

    `legacy_ward` names the old commune (xã Tất Thắng → Xã Cự Đồng); `commune` names today's commune
    directly (Xã Thanh Hà) or, with `legacy_ward`, picks one when the old commune was split.
    """
    if legacy_ward:
        candidates = []
        for match in WardData.search_from_legacy(name=legacy_ward):
            old = LegacyWardData.from_code(int(match.source_code))
            if int(old.district_code) == district.code and bare(old.name) == bare(legacy_ward):
                candidates.append(match.ward)
    else:
        candidates = [match.ward for match in WardData.search_from_legacy_district(code=district.code)]
    if commune:
        candidates = [ward for ward in candidates if bare(ward.name) == bare(commune)]
    elif not legacy_ward:
        raise ValueError(f"Name a legacy commune or today's commune for a producer in {district.name}")
    if not candidates:
        raise LookupError(
            f"No commune of today for {legacy_ward or commune!r} in the former {district.name}"
        )
    return Commune.objects.select_related("province").get(code=int(candidates[0].code))


def communes_by_legacy_district() -> dict[int, list[int]]:
    """Legacy district code → codes of today's communes formed (in whole or part) from its communes."""
    mapping = defaultdict(set)
    for ward in WardData.iter_all():
        for old in ward.get_legacy_sources():
            mapping[int(old.district_code)].add(int(ward.code))
    return {district: sorted(codes) for district, codes in mapping.items()}
