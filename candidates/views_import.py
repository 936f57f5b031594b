"""Excel import pages: template, upload and preview, confirm, error list."""

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cadre_pool.access import WRITERS, access
from cadre_pool.excel import Column, Table, workbook_bytes
from cadre_pool.exports import xlsx_response
from cadre_pool.models import OrgUnit
from candidates.import_template import template_bytes
from candidates.importing import FileRejected, ImportReport, run_import
from candidates.models import ImportBatch


class UploadForm(forms.Form):
    township = forms.ModelChoiceField(label=gettext_lazy("township"), queryset=OrgUnit.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        if user.is_organiser:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = OrgUnit.objects.townships().visible_to(user)
            self.fields["township"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"


def _township(request, form=None):
    if request.user.is_organiser:
        return request.user.unit
    if form is not None:
        return form.cleaned_data["township"]
    pk = request.GET.get("township", "")
    return get_object_or_404(OrgUnit.objects.townships().visible_to(request.user), pk=pk) if pk.isdigit() else None


def _summary(report: ImportReport) -> dict:
    return {
        "file_hash": report.file_hash,
        "committed": report.committed,
        "rows": [{"row": r.row, "name": r.name, "outcome": r.outcome, "errors": r.errors} for r in report.rows],
    }


@access(WRITERS)
def import_template(request):
    township = _township(request)
    if township is None:
        raise Http404
    return xlsx_response(template_bytes(township), f"import-template-{township.code}.xlsx")


@access(WRITERS)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        township = _township(request, form)
        upload = form.cleaned_data["file"]
        # Read at most one byte past the limit: check_file refuses anything larger.
        content = upload.read(_max_bytes() + 1)
        try:
            report = run_import(actor=request.user, content=content, township=township, commit=False)
        except FileRejected as exc:
            form.add_error("file", exc)
            status = 400
        else:
            batch = ImportBatch(
                owner=request.user,
                township=township,
                original_name=upload.name[:200],
                file_hash=report.file_hash,
                summary=_summary(report),
            )
            batch.file.save(f"{report.file_hash}.xlsx", ContentFile(content), save=False)
            batch.save()
            return redirect("candidates:import_preview", pk=batch.pk)
    if request.method == "POST" and form.errors:
        status = 400  # an empty or missing file is as bad a request as a hostile one
    townships = [] if request.user.is_organiser else OrgUnit.objects.townships().visible_to(request.user)
    return render(request, "candidates/import_upload.html", {"form": form, "townships": townships}, status=status)


def _max_bytes() -> int:
    from django.conf import settings

    return settings.IMPORT_MAX_BYTES


@access(WRITERS)
def import_preview(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user).select_related("township"), pk=pk)
    rows = batch.summary.get("rows", [])
    counts = {outcome: sum(r["outcome"] == outcome for r in rows) for outcome in ("new", "update", "error")}
    return render(request, "candidates/import_preview.html", {"batch": batch, "rows": rows, "counts": counts})


@require_POST
@access(WRITERS)
def import_confirm(request, pk):
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).filter(status=ImportBatch.Status.PREVIEWED), pk=pk
    )
    with batch.file.open("rb") as handle:
        content = handle.read()
    try:
        report = run_import(actor=request.user, content=content, township=batch.township, commit=True)
    except FileRejected as exc:
        # The stored file passed these checks at upload; it can only fail now if it changed on disk.
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:import_preview", pk=batch.pk)
    batch.summary = _summary(report)
    if report.committed:
        batch.status = ImportBatch.Status.IMPORTED
        messages.success(
            request,
            _("Imported: %(new)d new files, %(update)d updated.")
            % {"new": report.count("new"), "update": report.count("update")},
        )
    else:
        messages.error(request, _("Nothing was imported: the rows below have errors."))
    batch.save(update_fields=["summary", "status"])
    return redirect("candidates:import_preview", pk=batch.pk)


@access(WRITERS)
def import_errors(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    errors = [
        (row["row"], row["name"], column, reason)
        for row in batch.summary.get("rows", [])
        for column, reason in row["errors"]
    ]
    table = Table(
        sheet=_("Errors"),
        title=_("Errors in %(file)s") % {"file": batch.original_name},
        subtitle=_("Checked %(time)s; fix these rows and upload the workbook again.")
        % {"time": timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")},
        columns=[
            Column("row", _("Row"), 8, lambda e: e[0]),
            Column("name", _("Name"), 12, lambda e: e[1]),
            Column("column", _("Column"), 16, lambda e: e[2]),
            Column("reason", _("Reason"), 60, lambda e: e[3]),
        ],
        rows=errors,
    )
    return xlsx_response(workbook_bytes(table), "import-errors.xlsx")
