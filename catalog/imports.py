"""Bulk import of OCOP recognition decisions from a province's spreadsheet (CSV or XLSX).

One row is one decision for one product: product, producer, commune, province, group, stars,
score, decision number and date (optional: legal form, issuing body, level). `parse_upload` reads
and checks a file without saving anything; `validate` matches every row against today's regions,
the groups, the existing producers, products and certificates, and the importing user's scope,
collecting every error of every row; `save` writes a clean import in one transaction.

Rules (see also the README of the admin screen):
- Names are matched without accents and case ("Vai thieu" = "Vải thiều"). A producer is the one
  with the same name in the same province; a product the one with the same name under that
  producer; a certificate the one of that product with the same decision number, which is updated
  (a re-import of a corrected file updates rather than duplicates).
- One decision commonly recognises many products, so the same decision number may appear on rows
  for different products, but only with the same decision date (per province and year: numbers
  restart each year). The same product with the same decision number twice in a file is an error.
- Regions must be today's (after 1 July 2025): a legacy province or district is refused with the
  name of the province it is now part of.
- An officer imports only for its own provinces; national admins for all; nobody else at all.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog import roles
from catalog.models import (
    Certificate,
    Commune,
    LegacyDistrict,
    LegacyProvince,
    ProducerPage,
    ProductGroup,
    ProductPage,
    ProductSubgroup,
    Province,
)
from catalog.models.certificates import VALIDITY_MONTHS, add_months
from catalog.tree import unique_child_slug
from catalog.text import fold, grouped

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# An XLSX is a zip: refuse one whose content unpacks to far more than any real sheet needs.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
MAX_TITLE_LINES = 5


def max_bytes() -> int:
    return int(getattr(settings, "OCOP_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    """'5 MB', '1,5 MB', '800 KB' (Vietnamese decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    value = size / (1024 * 1024)
    return (f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}".replace(".", ",")) + " MB"


# --- Columns ------------------------------------------------------------------------------------

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


# --- Reading files ------------------------------------------------------------------------------

class ImportFileError(Exception):
    """The file as a whole cannot be imported (size, type, encoding, columns)."""


@dataclass
class Sheet:
    keys: list  # the column key of each cell (None for unknown columns)
    rows: list  # (row number in the spreadsheet, {key: value})


def read_upload(upload) -> bytes:
    """Check an uploaded file's name and size before reading it whole, then read it."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ImportFileError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    limit = max_bytes()
    if upload.size > limit:
        raise ImportFileError(_("Tệp quá lớn (%(size)s): giới hạn là %(limit)s.") % {
            "size": human_size(upload.size), "limit": human_size(limit)})
    if upload.size == 0:
        raise ImportFileError(_("Tệp trống."))
    content = b"".join(upload.chunks())
    if len(content) > limit:  # a size that lied
        raise ImportFileError(_("Tệp quá lớn: giới hạn là %(limit)s.") % {"limit": human_size(limit)})
    return content


def parse_content(content: bytes, name: str) -> Sheet:
    if name.lower().endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    else:
        raw_rows = _csv_rows(content)
    header = None
    rows = []
    first_error = None
    skipped = 0
    for number, cells in raw_rows:
        if not any(_cell_text(cell) for cell in cells):
            continue
        if header is None:
            # Sheets often carry a title line or two above the header: skip lines that name fewer
            # than three known columns, up to a few.
            try:
                header = _read_header(cells)
            except ImportFileError as error:
                first_error = first_error or error
                known = sum(1 for cell in cells if HEADER_KEYS.get(fold_header(_cell_text(cell))))
                skipped += 1
                if known >= 3 or skipped >= MAX_TITLE_LINES:
                    raise first_error if known < 3 else error from None
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("Tệp có quá nhiều dòng: tối đa %(max)s dòng mỗi lần nhập.") % {
                "max": grouped(MAX_ROWS)})
        values = {key: cell for key, cell in zip(header, cells) if key}
        rows.append((number, values))
    if header is None and first_error:
        raise first_error
    if header is None:
        raise ImportFileError(_("Tệp không có dòng tiêu đề. Dòng đầu tiên cần có các cột: %(header)s.") % {
            "header": expected_header()})
    if not rows:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return Sheet(keys=header, rows=rows)


def _read_header(cells) -> list:
    keys = [HEADER_KEYS.get(fold_header(_cell_text(cell))) for cell in cells]
    missing = [column.header for column in COLUMNS if column.required and column.key not in keys]
    if missing:
        raise ImportFileError(
            _("Thiếu cột: %(missing)s. Dòng tiêu đề cần có các cột: %(header)s (tải tệp mẫu để xem).") % {
                "missing": ", ".join(missing), "header": expected_header()})
    seen = set()
    for key in keys:
        if key and key in seen:
            raise ImportFileError(_("Cột “%(column)s” có hai lần trong dòng tiêu đề.") % {
                "column": COLUMN_BY_KEY[key].header})
        seen.add(key)
    return keys


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_(
            "Tệp CSV không đọc được: hãy lưu tệp với bảng mã UTF-8 (trong Excel: “CSV UTF-8”).")) from None
    if "\x00" in text:
        raise ImportFileError(_("Tệp không phải tệp CSV (văn bản) hợp lệ."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error:
        raise ImportFileError(_("Tệp CSV sai định dạng ở dòng %(line)s.") % {"line": reader.line_num}) from None


def _xlsx_rows(content: bytes):
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportFileError(_("Tệp Excel quá lớn khi giải nén."))
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors for a broken or fake file
        raise ImportFileError(_("Tệp .xlsx không mở được: hãy lưu lại bằng Excel (Excel Workbook .xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# --- Matching names -----------------------------------------------------------------------------

PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
COMMUNE_PREFIX = re.compile(r"^(xa|phuong|dac khu|thi tran)\s+")
DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho|tp\.?)\s+")


def key(text) -> str:
    return re.sub(r"\s+", " ", fold(_cell_text(text))).strip()


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
        found = [d for d in matches.filter(short_name__iexact=_cell_text(text))]
        if not found:
            # Accent-insensitive: compare folded names in Python over the districts of that name's
            # length (696 rows at most).
            found = [d for d in matches if key(d.short_name) == bare or key(d.name) == folded]
        elif folded != bare:
            found = [d for d in found if key(d.name) == folded] or found
        return found


# --- Validating rows ----------------------------------------------------------------------------

LEGAL_FORMS = {
    "htx": ProducerPage.LegalForm.COOPERATIVE,
    "hop tac xa": ProducerPage.LegalForm.COOPERATIVE,
    "doanh nghiep": ProducerPage.LegalForm.ENTERPRISE,
    "cong ty": ProducerPage.LegalForm.ENTERPRISE,
    "dn": ProducerPage.LegalForm.ENTERPRISE,
    "ho kinh doanh": ProducerPage.LegalForm.HOUSEHOLD,
    "ho san xuat": ProducerPage.LegalForm.HOUSEHOLD,
    "hkd": ProducerPage.LegalForm.HOUSEHOLD,
    "to hop tac": ProducerPage.LegalForm.COOPERATIVE_GROUP,
    "tht": ProducerPage.LegalForm.COOPERATIVE_GROUP,
}
for _value, _label in ProducerPage.LegalForm.choices:
    LEGAL_FORMS[key(_value.replace("_", " "))] = _value

LEVELS = {
    "huyen": Certificate.Level.DISTRICT, "cap huyen": Certificate.Level.DISTRICT,
    "tinh": Certificate.Level.PROVINCE, "cap tinh": Certificate.Level.PROVINCE,
    "trung uong": Certificate.Level.CENTRAL, "cap trung uong": Certificate.Level.CENTRAL,
    "district": Certificate.Level.DISTRICT, "province": Certificate.Level.PROVINCE,
    "central": Certificate.Level.CENTRAL,
}
CENTRAL_ISSUER = "Bộ Nông nghiệp và Môi trường"


def guess_legal_form(producer_name: str) -> str:
    """The legal form a producer's name announces ("HTX …", "Công ty …"); a household otherwise."""
    folded = key(producer_name)
    for prefix, form in (("htx", "htx"), ("hop tac xa", "htx"), ("cong ty", "doanh_nghiep"),
                         ("cty", "doanh_nghiep"), ("doanh nghiep", "doanh_nghiep"), ("to hop tac", "to_hop_tac"),
                         ("tht", "to_hop_tac")):
        if folded.startswith(prefix + " "):
            return form
    return ProducerPage.LegalForm.HOUSEHOLD


def parse_date(cell):
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 20_000 <= cell <= 80_000:
        # An Excel date serial in a cell not formatted as a date (1954–2119).
        from openpyxl.utils.datetime import from_excel

        return from_excel(cell).date()
    text = _cell_text(cell)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_int(cell):
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = _cell_text(cell).replace(",", ".")
    text = re.sub(r"\s*(sao|★|\*|diem|điểm)$", "", text, flags=re.IGNORECASE)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


@dataclass
class Row:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    product_title: str = ""
    producer_title: str = ""
    province: Province | None = None
    commune: Commune | None = None
    group: ProductGroup | None = None
    subgroup: ProductSubgroup | None = None
    legal_form: str = ""
    stars: int | None = None
    score: int | None = None
    decision_number: str = ""
    decision_date: datetime.date | None = None
    issuing_body: str = ""
    level: str = ""
    producer: ProducerPage | None = None  # existing
    product: ProductPage | None = None  # existing
    certificate: Certificate | None = None  # existing
    changes: list = field(default_factory=list)  # what an update changes, for the preview

    def text(self, column_key) -> str:
        return _cell_text(self.values.get(column_key))

    @property
    def producer_action(self) -> str:
        return _("Chủ thể có sẵn") if self.producer else _("Chủ thể mới")

    @property
    def product_action(self) -> str:
        return _("Sản phẩm có sẵn") if self.product else _("Sản phẩm mới (bản nháp)")

    @property
    def certificate_action(self) -> str:
        if not self.certificate:
            return _("Chứng nhận mới")
        if self.changes:
            return _("Cập nhật chứng nhận: %(changes)s") % {"changes": "; ".join(self.changes)}
        return _("Chứng nhận không đổi")


@dataclass
class ImportResult:
    rows: list
    file_errors: list = field(default_factory=list)

    @property
    def error_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.error_rows

    def counts(self) -> dict:
        producers = {(row.province.pk, key(row.producer_title)) for row in self.rows if not row.producer}
        products = {(row.province.pk, key(row.producer_title), key(row.product_title))
                    for row in self.rows if not row.product}
        return {
            "rows": len(self.rows),
            "new_producers": len(producers),
            "new_products": len(products),
            "new_certificates": sum(1 for row in self.rows if not row.certificate),
            "updated_certificates": sum(1 for row in self.rows if row.certificate and row.changes),
        }


def validate(sheet: Sheet, user) -> ImportResult:
    """Match and check every row; nothing is saved."""
    lookups = Lookups()
    national = roles.is_national_admin(user)
    own_provinces = roles.officer_province_ids(user)
    rows = [Row(number=number, values=values) for number, values in sheet.rows]
    for row in rows:
        _check_row(row, lookups, national, own_provinces)
    _match_existing(rows)
    _check_duplicates(rows)
    return ImportResult(rows=rows)


def _check_row(row: Row, lookups: Lookups, national: bool, own_provinces) -> None:
    errors = row.errors
    for column in COLUMNS:
        if column.required and column.key != "score" and not row.text(column.key):
            errors.append(_("Thiếu “%(column)s”.") % {"column": column.header})
    row.product_title = row.text("product")
    row.producer_title = row.text("producer")
    row.decision_number = row.text("decision_number")
    for column_key, model_field in (("product", ProductPage._meta.get_field("title")),
                                    ("producer", ProducerPage._meta.get_field("title")),
                                    ("decision_number", Certificate._meta.get_field("decision_number")),
                                    ("issuing_body", Certificate._meta.get_field("issuing_body"))):
        if len(row.text(column_key)) > model_field.max_length:
            errors.append(_("“%(column)s” dài quá %(max)s ký tự.") % {
                "column": COLUMN_BY_KEY[column_key].header, "max": model_field.max_length})

    # Province, then commune within it; legacy names point to today's province.
    province_text, commune_text = row.text("province"), row.text("commune")
    if province_text:
        row.province = lookups.province(province_text)
        if row.province is None:
            legacy = lookups.legacy_province(province_text)
            if legacy:
                errors.append(_(
                    "“%(name)s” là tỉnh cũ (trước 7/2025), nay thuộc %(current)s: hãy ghi tỉnh/thành phố "
                    "và xã/phường hiện nay.") % {"name": province_text, "current": legacy.current_province.name})
            else:
                errors.append(_("Không có tỉnh/thành phố “%(name)s”.") % {"name": province_text})
        elif not national and row.province.pk not in own_provinces:
            errors.append(_("%(province)s ngoài phạm vi tỉnh của bạn: bạn không nhập được dòng này.") % {
                "province": row.province.name})
    if commune_text and row.province:
        matches = lookups.communes(row.province).get(key(commune_text)) or lookups.communes(
            row.province).get(COMMUNE_PREFIX.sub("", key(commune_text)))
        if matches and len(matches) == 1:
            row.commune = matches[0]
        elif matches:
            errors.append(_("Có nhiều xã/phường tên “%(name)s” ở %(province)s: hãy ghi rõ “Xã …” hay “Phường …”.") % {
                "name": commune_text, "province": row.province.name})
        else:
            errors.append(_commune_error(commune_text, row.province, lookups))
    elif commune_text and not row.province:
        districts = lookups.legacy_districts(commune_text) if DISTRICT_PREFIX.match(key(commune_text)) else []
        if districts:
            errors.append(_legacy_district_error(commune_text, districts))

    # Group (or a sub-group, which gives its group).
    group_text = row.text("group")
    if group_text:
        found = lookups.groups.get(key(group_text))
        if found:
            row.group, row.subgroup = found
        else:
            errors.append(_("Không có nhóm sản phẩm “%(name)s”. Các nhóm: %(groups)s.") % {
                "name": group_text, "groups": ", ".join(ProductGroup.objects.values_list("name", flat=True))})

    # Legal form (used only when the producer is new).
    legal_text = row.text("legal_form")
    if legal_text:
        row.legal_form = LEGAL_FORMS.get(key(legal_text), "")
        if not row.legal_form:
            errors.append(_("Không rõ loại hình “%(name)s”: ghi Hợp tác xã, Doanh nghiệp, Hộ kinh doanh hoặc Tổ hợp tác.")
                          % {"name": legal_text})
    else:
        row.legal_form = guess_legal_form(row.producer_title)

    # Stars, score, date, level, issuer: the certificate's own rules.
    stars_text = row.text("stars")
    if stars_text:
        row.stars = parse_int(row.values.get("stars"))
        if row.stars is None:
            errors.append(_("Số sao “%(value)s” không phải số nguyên (3, 4 hoặc 5).") % {"value": stars_text})
    score_text = row.text("score")
    if score_text:
        row.score = parse_int(row.values.get("score"))
        if row.score is None or not 0 <= row.score <= 100:
            errors.append(_("Điểm “%(value)s” phải là số nguyên từ 0 đến 100.") % {"value": score_text})
            row.score = None
    date_text = row.text("decision_date")
    if date_text:
        row.decision_date = parse_date(row.values.get("decision_date"))
        if row.decision_date is None:
            errors.append(_("Ngày quyết định “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 15/09/2025).") % {
                "value": date_text})
    level_text = row.text("level")
    if level_text:
        row.level = LEVELS.get(key(level_text), "")
        if not row.level:
            errors.append(_("Không rõ cấp công nhận “%(name)s”: ghi Cấp huyện, Cấp tỉnh hoặc Cấp trung ương.") % {
                "name": level_text})
    elif row.stars is not None:
        row.level = Certificate.Level.CENTRAL if row.stars == 5 else Certificate.Level.PROVINCE
    row.issuing_body = row.text("issuing_body") or (
        CENTRAL_ISSUER if row.level == Certificate.Level.CENTRAL
        else "UBND " + row.province.name[:1].lower() + row.province.name[1:]  # data, not interface text
        if row.province else "")
    if row.stars is not None:
        draft = Certificate(stars=row.stars, score=row.score, decision_number=row.decision_number,
                            decision_date=row.decision_date, issuing_body=row.issuing_body, level=row.level or None)
        if row.decision_date:
            draft.expires_on = add_months(row.decision_date, VALIDITY_MONTHS)
        try:
            draft.clean()
        except ValidationError as error:
            errors.extend(error.messages)


def _commune_error(text, province, lookups) -> str:
    folded = key(text)
    elsewhere = [c for c in Commune.objects.select_related("province").filter(name__iexact=text)]
    if not elsewhere:
        bare = COMMUNE_PREFIX.sub("", folded)
        elsewhere = [c for c in Commune.objects.select_related("province").filter(name__iendswith=" " + text)
                     if COMMUNE_PREFIX.sub("", key(c.name)) == bare]
    if elsewhere:
        return _("%(commune)s không thuộc %(province)s (thuộc %(other)s).") % {
            "commune": elsewhere[0].name, "province": province.name,
            "other": ", ".join(sorted({c.province.name for c in elsewhere}))}
    districts = lookups.legacy_districts(text)
    if districts and (DISTRICT_PREFIX.match(folded) or not COMMUNE_PREFIX.match(folded)):
        return _legacy_district_error(text, districts)
    return _("Không có xã/phường “%(name)s” ở %(province)s (tên sau sáp nhập 7/2025).") % {
        "name": text, "province": province.name}


def _legacy_district_error(text, districts) -> str:
    successors = sorted({d.legacy_province.current_province.name for d in districts})
    olds = sorted({d.legacy_province.name for d in districts})
    return _(
        "“%(name)s” là huyện cũ (trước 7/2025, %(old)s), không còn cấp huyện; nay thuộc %(current)s: "
        "hãy ghi xã/phường hiện nay.") % {"name": text, "old": ", ".join(olds), "current": ", ".join(successors)}


def _match_existing(rows) -> None:
    """Find the producers, products and certificates rows refer to, in a few queries."""
    provinces = {row.province.pk for row in rows if row.province}
    producers = {}
    for producer in ProducerPage.objects.filter(province_id__in=provinces).order_by("pk"):
        producers.setdefault((producer.province_id, key(producer.title)), producer)
    products = {}
    for product in ProductPage.objects.filter(producer__in=list(producers.values())).order_by("pk"):
        products.setdefault((product.producer_id, key(product.title)), product)
    certificates = {}
    for certificate in Certificate.objects.filter(product__in=list(products.values())):
        certificates[(certificate.product_id, key(certificate.decision_number))] = certificate
    for row in rows:
        if not row.province:
            continue
        row.producer = producers.get((row.province.pk, key(row.producer_title)))
        if row.producer:
            row.product = products.get((row.producer.pk, key(row.product_title)))
        if row.product:
            row.certificate = certificates.get((row.product.pk, key(row.decision_number)))
        if row.certificate:
            row.changes = _changes(row.certificate, row)


def _changes(certificate, row) -> list:
    changes = []
    for label, old, new in (
        (_("số sao"), certificate.stars, row.stars),
        (_("điểm"), certificate.score, row.score),
        (_("ngày quyết định"), certificate.decision_date, row.decision_date),
        (_("cơ quan ban hành"), certificate.issuing_body, row.issuing_body),
        (_("cấp"), certificate.level, row.level),
    ):
        if old != new:
            show = (lambda v: v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else ("—" if v in (None, "") else v))
            changes.append(f"{label} {show(old)} → {show(new)}")
    return changes


def _check_duplicates(rows) -> None:
    by_product = {}
    by_number = {}
    product_groups = {}
    for row in rows:
        if not (row.province and row.decision_number):
            continue
        product_key = (row.province.pk, key(row.producer_title), key(row.product_title))
        number = key(row.decision_number)
        first = by_product.setdefault(product_key + (number,), row)
        if first is not row:
            row.errors.append(_("Trùng số quyết định %(number)s cho cùng sản phẩm với dòng %(row)s.") % {
                "number": row.decision_number, "row": first.number})
        if row.decision_date:
            same = by_number.setdefault((row.province.pk, row.decision_date.year, number), row)
            if same.decision_date and same.decision_date != row.decision_date:
                row.errors.append(_(
                    "Quyết định %(number)s ở dòng %(row)s có ngày %(date)s; một quyết định chỉ có một ngày.") % {
                    "number": row.decision_number, "row": same.number, "date": same.decision_date.strftime("%d/%m/%Y")})
        if row.group and not row.product:
            group_row = product_groups.setdefault(product_key, row)
            if group_row.group != row.group:
                row.errors.append(_("Sản phẩm này ở dòng %(row)s thuộc nhóm “%(group)s”, khác nhóm ở dòng này.") % {
                    "row": group_row.number, "group": group_row.group.name})


def check(content: bytes, name: str, user) -> ImportResult:
    """Parse and validate a stored upload; a file-level problem becomes the result's only error."""
    try:
        sheet = parse_content(content, name)
    except ImportFileError as error:
        return ImportResult(rows=[], file_errors=[str(error)])
    return validate(sheet, user)


# --- Saving -------------------------------------------------------------------------------------

def save(result: ImportResult, user) -> dict:
    """Write a clean import in one transaction: producers (live), products (drafts), certificates.

    Raises ValidationError (and saves nothing) if a model refuses a row, for instance because data
    changed since the preview."""
    if not result.ok:
        raise ValueError("An import with errors must not be saved.")
    from catalog.tree import producer_index

    created_producers, created_products = {}, {}
    counts = {"new_producers": 0, "new_products": 0, "new_certificates": 0, "updated_certificates": 0}
    with transaction.atomic():
        index = producer_index()
        for row in result.rows:
            try:
                producer = row.producer or created_producers.get((row.province.pk, key(row.producer_title)))
                if producer is None:
                    producer = index.add_child(instance=ProducerPage(
                        title=row.producer_title, slug=unique_child_slug(index, row.producer_title),
                        legal_form=row.legal_form, province=row.province, commune=row.commune,
                        owner=user,
                    ))
                    # The import itself is the permission check (officer scope, in `validate`).
                    producer.save_revision(user=user, log_action=True).publish(
                        user=user, skip_permission_checks=True)
                    producer.refresh_from_db()
                    created_producers[(row.province.pk, key(row.producer_title))] = producer
                    counts["new_producers"] += 1
                product = row.product or created_products.get((producer.pk, key(row.product_title)))
                if product is None:
                    product = producer.add_child(instance=ProductPage(
                        title=row.product_title, slug=unique_child_slug(producer, row.product_title),
                        group=row.group, subgroup=row.subgroup, live=False, owner=user,
                    ))
                    product.save_revision(user=user, log_action=True)
                    created_products[(producer.pk, key(row.product_title))] = product
                    counts["new_products"] += 1
                certificate = row.certificate or Certificate.objects.filter(
                    product=product, decision_number=row.decision_number).first()
                if certificate is None:
                    certificate = Certificate(product=product, decision_number=row.decision_number)
                    counts["new_certificates"] += 1
                elif not _changes(certificate, row):
                    continue
                else:
                    counts["updated_certificates"] += 1
                if certificate.decision_date != row.decision_date or not certificate.expires_on:
                    certificate.expires_on = add_months(row.decision_date, VALIDITY_MONTHS)
                certificate.stars, certificate.score = row.stars, row.score
                certificate.decision_date, certificate.issuing_body = row.decision_date, row.issuing_body
                certificate.level = row.level
                certificate.full_clean()
                certificate.save()
            except ValidationError as error:
                raise ValidationError(_("Dòng %(row)s: %(errors)s") % {
                    "row": row.number, "errors": " ".join(error.messages)}) from error
    return counts
