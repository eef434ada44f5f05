"""The six OCOP product groups of Decision 148/QĐ-TTg with their sub-groups, and common standards.

Seeded by `manage.py seed_taxonomy`; afterwards they are editable data (snippets).
"""

from django.db import transaction

from catalog.models import ProductGroup, ProductSubgroup, Standard

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
