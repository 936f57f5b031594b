"""One export machinery for every list: small exports answer at once, large ones run in the background.

A kind of export is a builder `(user, params) -> (Table, row count)` that rebuilds the list's
own filtered, scoped queryset from the query string, so the page and the worker produce the
same workbook from the same code.
"""

import tempfile
from collections.abc import Callable

from django.core.files import File
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone

from cadre_pool.excel import Table, add_table, workbook_bytes
from cadre_pool.models import Export
from cadre_pool.routers import replica_reads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Builder = Callable[[object, QueryDict], tuple[Table, int]]
_kinds: dict[str, tuple[Builder, str]] = {}


def register(kind: str, filename: str) -> Callable[[Builder], Builder]:
    def decorator(builder: Builder) -> Builder:
        _kinds[kind] = (builder, filename)
        return builder

    return decorator


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _filename(kind: str) -> str:
    return f"{_kinds[kind][1]}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_params(request) -> QueryDict:
    """The list's filters and the export's options from the request.

    Full ID numbers and phones are honoured only on a POST by a user allowed to see them (S11):
    a link, a bookmark or an image tag cannot reveal them.
    """
    params = (request.POST if request.method == "POST" else request.GET).copy()
    for key in ("csrfmiddlewaretoken", "export"):
        params.pop(key, None)
    if request.method != "POST" or not request.user.can_reveal_identity:
        params.pop("unmasked", None)
    return params


def record_export(request, kind: str, rows: int, params: QueryDict | None = None, **extra) -> None:
    """Every export is an audit row: what, how many rows, with which filters, masked or not (S9)."""
    from cadre_pool import audit

    params = export_params(request) if params is None else params
    filters = {key: params.getlist(key) for key in params}
    masked = params.get("unmasked") != "1"
    audit.record(
        request, action=audit.AuditAction.EXPORT, object_type=kind, rows=rows, filters=filters, masked=masked, **extra
    )
    if not masked:
        audit.record(request, action=audit.AuditAction.REVEAL, object_type=kind, rows=rows, filters=filters)


def respond(request, kind: str):
    """Answer `?export=xlsx` on a list (or the roster's POST): the workbook now, or a background job."""
    from cadre_pool import roster

    builder, _name = _kinds[kind]
    params = export_params(request)
    with replica_reads():
        table, count = builder(request.user, params)
        record_export(request, kind, count, params, background=roster.is_large(count))
        if not roster.is_large(count):
            return xlsx_response(workbook_bytes(table), _filename(kind))
    stored = {key: params.getlist(key) for key in params}
    export = Export.objects.create(owner=request.user, kind=kind, params=stored, total=count)
    from cadre_pool.tasks import build_export

    build_export.enqueue(export_id=export.pk)
    return redirect("export_status", pk=export.pk)


def run(export: Export) -> Export:
    """Build a queued export (called by the background worker)."""
    params = QueryDict(mutable=True)
    for key, values in export.params.items():
        params.setlist(key, values)
    builder, _name = _kinds[export.kind]
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING)
    from openpyxl import Workbook

    with replica_reads():
        table, count = builder(export.owner, params)
        Export.objects.filter(pk=export.pk).update(total=count)
        workbook = Workbook(write_only=True)
        written = add_table(workbook, table, progress=lambda n: Export.objects.filter(pk=export.pk).update(written=n))
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        export.file.save(_filename(export.kind), File(handle), save=False)
    export.filename = _filename(export.kind)
    export.status = Export.Status.DONE
    export.written = written
    export.total = count
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "filename", "status", "written", "total", "finished_at"])
    return export
