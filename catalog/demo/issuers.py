"""Who recognised an OCOP certificate, as the decision itself would record it.

The body and level depend on the stars and on the decision date (DESIGN.md, "Domain facts"):

* before 1 July 2025, the district People's Committee recognised 3★ ("UBND huyện Thanh Hà", level
  "huyen"), the province 4★ ("UBND tỉnh Hải Dương", level "tinh") under its name of the day;
* since Decision 1489/QĐ-TTg (1 July 2025) there is no district level: today's province recognises 3★
  and 4★ under its new name ("UBND thành phố Hải Phòng");
* 5★ is always central ("trung_uong"): the Ministry of Agriculture and Rural Development until it was
  merged with the Ministry of Natural Resources and Environment on 1 March 2025, the Ministry of
  Agriculture and Environment since.

Both the demo loader and the synthetic generator use this, so their certificates agree with the
model's own validation (`Certificate.clean`).
"""

import datetime
from dataclasses import dataclass

from catalog.models.certificates import NO_DISTRICT_LEVEL_FROM, STAR_SCORE_RANGES

# Resolution of the 15th National Assembly, 9th session: the two ministries merged from 1 March 2025.
MINISTRY_MERGED_ON = datetime.date(2025, 3, 1)
OLD_MINISTRY = "Bộ Nông nghiệp và Phát triển nông thôn"
NEW_MINISTRY = "Bộ Nông nghiệp và Môi trường"


@dataclass(frozen=True)
class Issuer:
    body: str
    level: str  # a Certificate.Level value
    suffix: str  # what follows the number: "1234/QĐ-UBND"

    def decision_number(self, number: int) -> str:
        return f"{number}/{self.suffix}"


def committee(unit_name: str) -> str:
    """'Tỉnh Hải Dương' → 'UBND tỉnh Hải Dương'; 'Huyện Thanh Hà' → 'UBND huyện Thanh Hà'."""
    return f"UBND {unit_name[:1].lower()}{unit_name[1:]}"


def issuer_for(
    stars: int,
    decision_date: datetime.date,
    *,
    province_name: str,
    legacy_province_name: str = "",
    legacy_district_name: str = "",
) -> Issuer:
    """The body and level that recognised `stars` on `decision_date` for a producer of these units.

    `province_name` is today's province ("Thành phố Hải Phòng"); the legacy names are the units of
    the producer before July 2025 ("Tỉnh Hải Dương", "Huyện Thanh Hà").
    """
    if stars not in STAR_SCORE_RANGES:
        raise ValueError(f"OCOP certificates carry 3 to 5 stars, not {stars}")
    if stars == 5:
        if decision_date < MINISTRY_MERGED_ON:
            return Issuer(OLD_MINISTRY, "trung_uong", "QĐ-BNN-VPĐP")
        return Issuer(NEW_MINISTRY, "trung_uong", "QĐ-BNNMT")
    if decision_date >= NO_DISTRICT_LEVEL_FROM or not legacy_province_name:
        return Issuer(committee(province_name), "tinh", "QĐ-UBND")
    if stars == 3 and legacy_district_name:
        return Issuer(committee(legacy_district_name), "huyen", "QĐ-UBND")
    return Issuer(committee(legacy_province_name), "tinh", "QĐ-UBND")
