"""Admin screens for "Nhập & xuất dữ liệu": import certification decisions with a preview, download
CSV exports. Their URLs and menu item are registered in `catalog.wagtail_hooks`.

Import: upload → the file is checked (size before reading, type, encoding, columns) and stored
under a random token in a private directory outside MEDIA (`OCOP_IMPORT_DIR`, default
`var/imports/`), the token remembered in the uploader's session → preview of every row with what
will happen and its errors → confirm (only offered without errors): the stored file is parsed and
validated again (data may have changed), saved in one transaction, then deleted. A token that is
not in the user's session is a 404.

Officers and national admins import; producers only export their own data; anyone else gets 403.
"""

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from catalog import exports, imports, roles
from catalog.models import Province
from catalog.text import grouped

SESSION_KEY = "ocop_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 3600


def can_import(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


def can_export(user) -> bool:
    return can_import(user) or bool(roles.member_producer_ids(user))


def forbidden(request, message=None):
    return render(request, "catalog/admin/import_forbidden.html", {
        "message": message or _("Bạn không có quyền dùng chức năng này.")}, status=403)


def import_dir() -> Path:
    directory = Path(getattr(settings, "OCOP_IMPORT_DIR", Path(settings.BASE_DIR) / "var" / "imports"))
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _stored_path(token, name) -> Path:
    return import_dir() / (token + (".xlsx" if name.lower().endswith(".xlsx") else ".csv"))


def _remove_stale_files():
    cutoff = time.time() - KEEP_SECONDS
    for stored in import_dir().iterdir():
        try:
            if stored.is_file() and stored.stat().st_mtime < cutoff:
                stored.unlink()
        except OSError:
            pass


def _pending(request, token):
    """The stored upload behind `token`, if it is this user's (else 404)."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token or "") else None
    if not entry or entry.get("user") != request.user.pk:
        raise Http404
    stored = _stored_path(token, entry["name"])
    if not stored.is_file():
        raise Http404
    return entry, stored


def _forget(request, token, stored):
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    try:
        stored.unlink()
    except OSError:
        pass


def data_view(request):
    """The hub: upload form (officers, national admins) and export links (every role)."""
    if not can_export(request.user):
        return forbidden(request)
    importer = can_import(request.user)
    file_errors = []
    if request.method == "POST":
        if not importer:
            return forbidden(request, _("Chủ thể không nhập dữ liệu chứng nhận: hãy liên hệ cán bộ OCOP của tỉnh."))
        upload = request.FILES.get("file")
        if upload is None:
            file_errors.append(_("Hãy chọn một tệp .csv hoặc .xlsx."))
        else:
            try:
                content = imports.read_upload(upload)
                imports.parse_content(content, upload.name)  # file-level checks before storing
            except imports.ImportFileError as error:
                file_errors.append(str(error))
            else:
                _remove_stale_files()
                token = secrets.token_urlsafe(24)
                _stored_path(token, upload.name).write_bytes(content)
                uploads = request.session.get(SESSION_KEY, {})
                uploads[token] = {"user": request.user.pk, "name": os.path.basename(upload.name)[:200],
                                  "at": timezone.now().isoformat()}
                request.session[SESSION_KEY] = uploads
                return redirect("catalog_import_preview", token=token)
    return render(request, "catalog/admin/import_upload.html", {
        "importer": importer,
        "file_errors": file_errors,
        "max_size": imports.human_size(imports.max_bytes()),
        "max_rows": grouped(imports.MAX_ROWS),
        "columns": imports.COLUMNS,
        "exports": [(reverse("catalog_export", args=[slug]), export.label)
                    for slug, export in exports.EXPORTS.items()],
        "provinces": None if roles.is_national_admin(request.user) else sorted(
            p.name for p in _officer_provinces(request.user)),
    })


def _officer_provinces(user):
    return Province.objects.filter(pk__in=roles.officer_province_ids(user))


def preview_view(request, token):
    """GET: the preview. POST: confirm and save (only when nothing is wrong)."""
    if not can_import(request.user):
        return forbidden(request)
    entry, stored = _pending(request, token)
    result = imports.check(stored.read_bytes(), entry["name"], request.user)
    save_error = ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _forget(request, token, stored)
            messages.success(request, _("Đã huỷ lần nhập “%(name)s”; không có gì được lưu.") % {"name": entry["name"]})
            return redirect("catalog_data")
        if result.ok:
            try:
                counts = imports.save(result, request.user)
            except ValidationError as error:
                save_error = " ".join(error.messages)
            else:
                _forget(request, token, stored)
                messages.success(request, _(
                    "Đã nhập %(rows)s dòng: %(producers)s chủ thể mới, %(products)s sản phẩm mới (bản nháp), "
                    "%(new)s chứng nhận mới, %(updated)s chứng nhận cập nhật.") % {
                    "rows": len(result.rows), "producers": counts["new_producers"],
                    "products": counts["new_products"], "new": counts["new_certificates"],
                    "updated": counts["updated_certificates"]})
                return redirect("catalog_data")
    return render(request, "catalog/admin/import_preview.html", {
        "token": token,
        "name": entry["name"],
        "result": result,
        "counts": result.counts() if result.ok else None,
        "save_error": save_error,
    }, status=200)


def template_view(request):
    if not can_import(request.user):
        return forbidden(request)
    response = HttpResponse(b"".join(exports.csv_lines(imports.template_rows()[0], imports.template_rows()[1:])),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-chung-nhan-ocop.csv"'
    return response


def export_view(request, kind):
    if kind not in exports.EXPORTS:
        raise Http404
    if not can_export(request.user):
        return forbidden(request)
    export = exports.EXPORTS[kind]
    response = StreamingHttpResponse(exports.csv_lines(export.header(), export.rows(request.user, request)),
                                     content_type="text/csv; charset=utf-8")
    filename = f"{export.stem}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
