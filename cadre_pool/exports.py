"""One export machinery for every list: small exports answer at once, large ones run in the background.

A kind of export is a builder `(user, params) -> (Table, row count)` that rebuilds the list's
own filtered, scoped queryset from the query string, so the page and the worker produce the
same workbook from the same code. The builders are named in `settings.EXPORTS`, as Django names
its backends: the background worker starts from the kind stored on an `Export` row and must find
the builder by name, and the lists that offer exports live in every app above this one.
"""

import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string
from openpyxl import Workbook

from cadre_pool import audit
from cadre_pool.excel import Table, add_table, workbook_bytes
from cadre_pool.models import Export
from cadre_pool.routers import replica_reads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Builder = Callable[[object, QueryDict], tuple[Table, int]]


def builder(kind: str) -> Builder:
    return import_string(settings.EXPORTS[kind][0])


def is_large(count: int) -> bool:
    """Past this many rows the workbook is built by the background worker, not in the request."""
    return count > settings.EXPORT_ASYNC_THRESHOLD


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _filename(kind: str) -> str:
    return f"{settings.EXPORTS[kind][1]}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


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
    params = export_params(request)
    with replica_reads():
        table, count = builder(kind)(request.user, params)
        record_export(request, kind, count, params, background=is_large(count))
        if not is_large(count):
            return xlsx_response(workbook_bytes(table), _filename(kind))
    stored = {key: params.getlist(key) for key in params}
    export = Export.objects.create(owner=request.user, kind=kind, params=stored, total=count)
    build_export.enqueue(export_id=export.pk)
    return redirect("export_status", pk=export.pk)


def run(export: Export) -> Export:
    """Build a queued export (called by the background worker)."""
    params = QueryDict(mutable=True)
    for key, values in export.params.items():
        params.setlist(key, values)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING)
    with replica_reads():
        table, count = builder(export.kind)(export.owner, params)
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


@task()
def build_export(export_id: int) -> int:
    # No surrounding transaction: the progress page must see each progress update as it is written.
    export = Export.objects.select_related("owner", "owner__unit").get(pk=export_id)
    try:
        export = run(export)
    except Exception as exc:
        Export.objects.filter(pk=export_id).update(status=Export.Status.FAILED, error=repr(exc)[:2000])
        raise
    return export.written
