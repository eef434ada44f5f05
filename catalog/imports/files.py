"""Reading an uploaded CSV or XLSX into a `Sheet`: size, type and encoding checks, the header line, the rows."""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.imports.columns import COLUMN_BY_KEY, COLUMNS, HEADER_KEYS, expected_header, fold_header
from catalog.text import grouped

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
        if not any(cell_text(cell) for cell in cells):
            continue
        if header is None:
            # Sheets often carry a title line or two above the header: skip lines that name fewer
            # than three known columns, up to a few.
            try:
                header = _read_header(cells)
            except ImportFileError as error:
                first_error = first_error or error
                known = sum(1 for cell in cells if HEADER_KEYS.get(fold_header(cell_text(cell))))
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
    keys = [HEADER_KEYS.get(fold_header(cell_text(cell))) for cell in cells]
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


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
