"""Matching names as a sheet writes them (any accents and case) against today's regions and the product groups."""

import re

from catalog.imports.files import cell_text
from catalog.models import Commune, LegacyDistrict, LegacyProvince, ProductGroup, ProductSubgroup, Province
from catalog.text import fold

PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
COMMUNE_PREFIX = re.compile(r"^(xa|phuong|dac khu|thi tran)\s+")
DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho|tp\.?)\s+")


def key(text) -> str:
    return re.sub(r"\s+", " ", fold(cell_text(text))).strip()


class Lookups:
    """Everything rows are matched against, loaded once per import."""

    def __init__(self):
        self.provinces = {}
        for province in Province.objects.all():
            for name in (province.name, province.short_name, province.slug.replace("-", " ")):
                self.provinces[key(name)] = province
        self.legacy_provinces = {}
        for legacy in LegacyProvince.objects.select_related("current_province"):
            for name in (legacy.name, legacy.short_name):
                self.legacy_provinces[key(name)] = legacy
        self.groups = {}
        for group in ProductGroup.objects.all():
            for name in (group.name, group.name_en, group.slug, group.slug.replace("-", " "), str(group.code)):
                if name:
                    self.groups.setdefault(key(name), (group, None))
        for subgroup in ProductSubgroup.objects.select_related("group"):
            for name in (subgroup.name, subgroup.name_en, subgroup.slug):
                if name:
                    self.groups.setdefault(key(name), (subgroup.group, subgroup))
        self._communes = {}

    def communes(self, province):
        """Folded name → commune of one province, with and without "xã"/"phường"."""
        if province.pk not in self._communes:
            names = {}
            for commune in Commune.objects.filter(province=province):
                names.setdefault(key(commune.name), []).append(commune)
                names.setdefault(COMMUNE_PREFIX.sub("", key(commune.name)), []).append(commune)
            self._communes[province.pk] = names
        return self._communes[province.pk]

    def province(self, text):
        folded = key(text)
        return self.provinces.get(folded) or self.provinces.get(PROVINCE_PREFIX.sub("", folded))

    def legacy_province(self, text):
        folded = key(text)
        return self.legacy_provinces.get(folded) or self.legacy_provinces.get(PROVINCE_PREFIX.sub("", folded))

    def legacy_districts(self, text):
        folded = key(text)
        bare = DISTRICT_PREFIX.sub("", folded)
        if not bare:
            return []
        matches = LegacyDistrict.objects.select_related("legacy_province__current_province")
        found = [d for d in matches.filter(short_name__iexact=cell_text(text))]
        if not found:
            # Accent-insensitive: compare folded names in Python over the districts of that name's
            # length (696 rows at most).
            found = [d for d in matches if key(d.short_name) == bare or key(d.name) == folded]
        elif folded != bare:
            found = [d for d in found if key(d.name) == folded] or found
        return found
