"""Where the synthetic producers of `catalog.demo.generator` are: a legacy province and district, and a commune of
today that came from that district, so every producer's old and new addresses agree."""

import random
from collections import defaultdict

from catalog.demo.places import communes_by_legacy_district
from catalog.models import Commune, LegacyDistrict, LegacyProvince, Province


class Places:
    """Legacy provinces and districts with today's communes that came from them."""

    def __init__(self):
        self.legacy_provinces = list(LegacyProvince.objects.order_by("code"))
        self.provinces = {p.pk: p for p in Province.objects.all()}
        self.districts = defaultdict(list)
        for district in LegacyDistrict.objects.order_by("code"):
            self.districts[district.legacy_province_id].append(district)
        communes = {code: (pk, province_id) for code, pk, province_id in
                    Commune.objects.values_list("code", "pk", "province_id")}
        self.province_communes = defaultdict(list)
        for pk, province_id in communes.values():
            self.province_communes[province_id].append(pk)
        self.district_communes = {}
        for district_code, codes in communes_by_legacy_district().items():
            self.district_communes[district_code] = [(communes[c][0], communes[c][1]) for c in codes if c in communes]

    def pick(self, rng: random.Random):
        """A (legacy province, legacy district, commune id, province) that agree with each other."""
        legacy_province = rng.choice(self.legacy_provinces)
        province_id = legacy_province.current_province_id
        district = rng.choice(self.districts[legacy_province.pk])
        candidates = [pk for pk, prov in self.district_communes.get(district.code, []) if prov == province_id]
        commune_id = rng.choice(candidates or self.province_communes[province_id])
        return legacy_province, district, commune_id, self.provinces[province_id]
