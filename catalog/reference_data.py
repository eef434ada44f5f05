"""Reference data the catalogue starts from, loaded by management commands and the demo:

- administrative units from the `vietnam-provinces` package (the statistics office's official lists:
  today's 34 provinces and 3,321 communes, the legacy 63 provinces and 696 districts), never typed
  by hand (`manage.py load_regions`);
- the six OCOP product groups of Decision 148/QĐ-TTg with their sub-groups, and common standards
  (`manage.py seed_taxonomy`); afterwards they are editable data (snippets).
"""

import re

from django.db import transaction
from vietnam_provinces import Province as CurrentProvinceData
from vietnam_provinces import Ward as CurrentWardData
from vietnam_provinces.legacy import District as LegacyDistrictData
from vietnam_provinces.legacy import Province as LegacyProvinceData

from catalog.models import Commune, LegacyDistrict, LegacyProvince, ProductGroup, ProductSubgroup, Province, Standard
from catalog.text import vietnamese_slug

# --- Administrative units ------------------------------------------------------------------------

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


# --- OCOP groups and standards -------------------------------------------------------------------

GROUPS = [
    (1, "Thực phẩm", "Food", "thuc-pham", [
        ("Rau, củ, quả, hạt tươi", "Fresh vegetables, fruit and nuts", "rau-cu-qua-hat-tuoi"),
        ("Thịt, thủy sản, trứng, sữa tươi", "Fresh meat, seafood, eggs and milk", "thit-thuy-san-trung-sua"),
        ("Gạo, ngũ cốc", "Rice and cereals", "gao-ngu-coc"),
        ("Mật ong, sản phẩm từ mật ong, nông sản thô/sơ chế khác", "Honey and other farm foods", "mat-ong-nong-san-so-che"),
        ("Thực phẩm chế biến", "Processed food", "thuc-pham-che-bien"),
        ("Gia vị, tương, nước mắm, nước chấm", "Condiments, sauces and fish sauce", "gia-vi-nuoc-mam"),
        ("Chè và sản phẩm từ chè", "Tea and tea products", "che"),
        ("Cà phê, ca cao", "Coffee and cocoa", "ca-phe-ca-cao"),
    ]),
    (2, "Đồ uống", "Drinks", "do-uong", [
        ("Đồ uống có cồn", "Alcoholic drinks", "do-uong-co-con"),
        ("Đồ uống không cồn", "Non-alcoholic drinks", "do-uong-khong-con"),
    ]),
    (3, "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products", "duoc-lieu", [
        ("Thực phẩm chức năng, thực phẩm bảo vệ sức khỏe", "Functional foods", "thuc-pham-chuc-nang"),
        ("Thuốc từ dược liệu, thuốc y học cổ truyền", "Herbal medicines", "thuoc-duoc-lieu"),
        ("Mỹ phẩm từ dược liệu", "Herbal cosmetics", "my-pham"),
        ("Tinh dầu và dược liệu khác", "Essential oils and other herbs", "tinh-dau"),
    ]),
    (4, "Hàng thủ công mỹ nghệ", "Handicrafts", "thu-cong-my-nghe", [
        ("Thủ công mỹ nghệ từ gỗ", "Wood", "go"),
        ("Thủ công mỹ nghệ từ sợi tự nhiên (mây, tre, cói…)", "Natural fibre", "soi-tu-nhien"),
        ("Thủ công mỹ nghệ từ kim loại", "Metal", "kim-loai"),
        ("Gốm sứ, thủy tinh", "Ceramics and glass", "gom-su"),
        ("Dệt may, thêu", "Textiles and embroidery", "det-may-theu"),
    ]),
    (5, "Sinh vật cảnh", "Ornamental plants and animals", "sinh-vat-canh", [
        ("Hoa", "Flowers", "hoa"),
        ("Cây cảnh", "Ornamental plants", "cay-canh"),
        ("Động vật cảnh", "Ornamental animals", "dong-vat-canh"),
    ]),
    (6, "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
     "Community and eco-tourism services, destinations", "du-lich", [
        ("Dịch vụ du lịch cộng đồng", "Community tourism", "du-lich-cong-dong"),
        ("Du lịch sinh thái", "Eco-tourism", "du-lich-sinh-thai"),
        ("Điểm du lịch", "Destinations", "diem-du-lich"),
    ]),
]

STANDARDS = [
    ("VietGAP", "vietgap", "Thực hành sản xuất nông nghiệp tốt tại Việt Nam"),
    ("GlobalGAP", "globalgap", "Thực hành nông nghiệp tốt toàn cầu"),
    ("Hữu cơ (TCVN 11041)", "huu-co", "Sản xuất nông nghiệp hữu cơ"),
    ("HACCP", "haccp", "Phân tích mối nguy và điểm kiểm soát tới hạn"),
    ("ISO 22000", "iso-22000", "Hệ thống quản lý an toàn thực phẩm"),
    ("ISO 9001", "iso-9001", "Hệ thống quản lý chất lượng"),
    ("GMP", "gmp", "Thực hành sản xuất tốt"),
]


@transaction.atomic
def seed_taxonomy() -> tuple[int, int]:
    """Create missing groups, sub-groups and standards; editors' changes to existing ones stay."""
    for code, name, name_en, slug, subgroups in GROUPS:
        group, _ = ProductGroup.objects.get_or_create(
            slug=slug, defaults={"code": code, "name": name, "name_en": name_en}
        )
        for order, (sub_name, sub_en, sub_slug) in enumerate(subgroups):
            ProductSubgroup.objects.get_or_create(
                group=group, slug=sub_slug, defaults={"name": sub_name, "name_en": sub_en, "sort_order": order}
            )
    for name, slug, description in STANDARDS:
        Standard.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    return ProductGroup.objects.count(), Standard.objects.count()
