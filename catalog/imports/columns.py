"""The columns of an import sheet: their template headers and the other names a province's sheet may use."""

import re
from dataclasses import dataclass

from catalog.text import fold


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template
    aliases: tuple[str, ...]  # folded, besides the folded header
    required: bool = True


COLUMNS = (
    Column("product", "Tên sản phẩm", ("san pham", "ten sp", "product", "product name")),
    Column("producer", "Chủ thể", ("ten chu the", "chu the ocop", "producer", "producer name")),
    Column("commune", "Xã/phường", ("xa", "phuong", "xa phuong", "xa/phuong/dac khu", "commune", "ward")),
    Column("province", "Tỉnh/thành phố", ("tinh", "thanh pho", "tinh thanh pho", "tinh/tp", "province")),
    Column("group", "Nhóm", ("nhom san pham", "nhom sp", "group", "product group")),
    Column("stars", "Số sao", ("sao", "hang sao", "xep hang", "stars", "rating")),
    Column("score", "Điểm", ("diem danh gia", "tong diem", "score", "points")),
    Column("decision_number", "Số quyết định", ("so qd", "quyet dinh so", "decision number", "decision no")),
    Column("decision_date", "Ngày quyết định", ("ngay qd", "ngay ban hanh", "decision date", "date")),
    Column("legal_form", "Loại hình", ("loai hinh chu the", "legal form"), required=False),
    Column("issuing_body", "Cơ quan ban hành", ("co quan cong nhan", "issuing body", "issuer"), required=False),
    Column("level", "Cấp công nhận", ("cap", "level"), required=False),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def fold_header(text) -> str:
    text = fold(str(text or "")).replace("_", " ")
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"[^\w/ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


HEADER_KEYS = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_KEYS[fold_header(_name)] = _column.key


def expected_header() -> str:
    return ", ".join(column.header for column in COLUMNS if column.required)


def template_rows() -> list[list[str]]:
    """The header and one example row, for the downloadable template."""
    return [
        [column.header for column in COLUMNS],
        ["Vải thiều Thanh Hà sấy khô", "HTX Nông sản Thanh Hà", "Xã Thanh Hà", "Thành phố Hải Phòng",
         "Thực phẩm", "4", "78", "1234/QĐ-UBND", "15/09/2025", "Hợp tác xã", "UBND thành phố Hải Phòng",
         "Cấp tỉnh"],
    ]
