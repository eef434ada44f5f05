"""Checking an import's rows: each row's values against today's regions, the groups and the user's scope."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog import roles
from catalog.imports.columns import COLUMN_BY_KEY, COLUMNS
from catalog.imports.files import ImportFileError, Sheet, cell_text, parse_content
from catalog.imports.lookups import COMMUNE_PREFIX, DISTRICT_PREFIX, Lookups, key
from catalog.imports.matching import check_duplicates, match_existing
from catalog.imports.values import (
    CENTRAL_ISSUER,
    LEGAL_FORMS,
    LEVELS,
    formula_start,
    guess_legal_form,
    parse_date,
    parse_int,
)
from catalog.models import Certificate, Commune, ProducerPage, ProductGroup, ProductPage, ProductSubgroup, Province
from catalog.models.certificates import VALIDITY_MONTHS, add_months


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
        return cell_text(self.values.get(column_key))

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
    match_existing(rows)
    check_duplicates(rows)
    return ImportResult(rows=rows)


def _check_row(row: Row, lookups: Lookups, national: bool, own_provinces) -> None:
    errors = row.errors
    for column in COLUMNS:  # every column: a formula cell is never saved, whatever it is for
        start = formula_start(row.values.get(column.key))
        if start:
            errors.append(_("Ô “%(column)s” bắt đầu bằng %(start)s: không nhận công thức hay ký tự điều khiển ở đầu ô.")
                          % {"column": column.header, "start": start})
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


def check(content: bytes, name: str, user) -> ImportResult:
    """Parse and validate a stored upload; a file-level problem becomes the result's only error."""
    try:
        sheet = parse_content(content, name)
    except ImportFileError as error:
        return ImportResult(rows=[], file_errors=[str(error)])
    return validate(sheet, user)
