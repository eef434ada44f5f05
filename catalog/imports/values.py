"""Reading one cell's value: dates, whole numbers, legal forms and recognition levels as provinces write them."""

import datetime
import re

from django.utils.translation import gettext as _

from catalog.exports import FORMULA_STARTS
from catalog.imports.files import cell_text
from catalog.imports.lookups import key
from catalog.models import Certificate, ProducerPage

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


def formula_start(cell) -> str:
    """How a text cell that starts like a formula (=, +, -, @, tab or CR, before or after spaces) starts,
    for the message; "" for any other cell. Such a cell would be saved as a producer's or product's name
    and come back as a live formula in someone's spreadsheet, so it is refused rather than cleaned.
    Numbers (an XLSX's -5) are not text: they meet the column's own checks."""
    if not isinstance(cell, str):
        return ""
    for text in (cell, cell.strip()):
        if text.startswith(FORMULA_STARTS):
            return {"\t": _("dấu tab"), "\r": _("ký tự CR (xuống dòng)")}.get(text[0], f"“{text[0]}”")
    return ""


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
    text = cell_text(cell)
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
    text = cell_text(cell).replace(",", ".")
    text = re.sub(r"\s*(sao|★|\*|diem|điểm)$", "", text, flags=re.IGNORECASE)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None
