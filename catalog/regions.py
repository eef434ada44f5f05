"""Loading administrative units from the `vietnam-provinces` package (official GSO lists)."""

import re

from django.db import transaction
from vietnam_provinces import Province as CurrentProvinceData
from vietnam_provinces import Ward as CurrentWardData
from vietnam_provinces.legacy import District as LegacyDistrictData
from vietnam_provinces.legacy import Province as LegacyProvinceData

from catalog.text import vietnamese_slug
from catalog.models import Commune, LegacyDistrict, LegacyProvince, Province

PREFIX = re.compile(r"^(Tỉnh|Thành phố|Quận|Huyện|Thị xã)\s+", re.IGNORECASE)


def short_name(name: str) -> str:
    """'Thành phố Hải Phòng' → 'Hải Phòng'; 'Huyện Thanh Hà' → 'Thanh Hà'; 'Quận 1' stays."""
    stripped = PREFIX.sub("", name)
    return name if stripped.isdigit() else stripped


def _upsert(model, rows, update_fields):
    model.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
    )


@transaction.atomic
def load_regions() -> dict[str, int]:
    """Create or update every unit; running it twice changes nothing. Returns counts per kind."""
    _upsert(
        Province,
        [
            Province(code=int(p.code), name=p.name, short_name=short_name(p.name),
                     slug=vietnamese_slug(short_name(p.name)), division_type=str(p.division_type))
            for p in CurrentProvinceData.iter_all()
        ],
        ["name", "short_name", "slug", "division_type"],
    )
    province_ids = dict(Province.objects.values_list("code", "pk"))
    _upsert(
        Commune,
        [
            Commune(code=int(w.code), name=w.name, division_type=str(w.division_type),
                    province_id=province_ids[int(w.province_code)])
            for w in CurrentWardData.iter_all()
        ],
        ["name", "division_type", "province"],
    )
    legacy_rows = []
    for p in LegacyProvinceData.iter_all():
        successors = CurrentProvinceData.search_from_legacy(code=int(p.code))
        # Provinces were merged whole in 2025, so each old province has exactly one successor.
        current_code = int(successors[0].province.code)
        legacy_rows.append(
            LegacyProvince(code=int(p.code), name=p.name, short_name=short_name(p.name),
                           slug=vietnamese_slug(short_name(p.name)), current_province_id=province_ids[current_code])
        )
    _upsert(LegacyProvince, legacy_rows, ["name", "short_name", "slug", "current_province"])
    legacy_ids = dict(LegacyProvince.objects.values_list("code", "pk"))
    _upsert(
        LegacyDistrict,
        [
            LegacyDistrict(code=int(d.code), name=d.name, short_name=short_name(d.name),
                           division_type=str(d.division_type), legacy_province_id=legacy_ids[int(d.province_code)])
            for d in LegacyDistrictData.iter_all()
        ],
        ["name", "short_name", "division_type", "legacy_province"],
    )
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "legacy_provinces": LegacyProvince.objects.count(),
        "legacy_districts": LegacyDistrict.objects.count(),
    }
