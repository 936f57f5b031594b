"""Excel import pages: template, upload and preview, confirm, error list."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cadre_pool.access.declarations import WRITERS, access
from cadre_pool.excel import Column, Table, workbook_bytes
from cadre_pool.exports import xlsx_response
from cadre_pool.models import OrgUnit
from candidates.import_template import template_bytes
from candidates.importing import AlreadyConfirmed, FileRejected, confirm_import, preview_import, read_rows
from candidates.models import ImportBatch


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The division code beside the name: `import_candidates --township` accepts either.
        return f"{obj}（{obj.code}）"


class UploadForm(forms.Form):
    township = TownshipChoiceField(label=gettext_lazy("township"), queryset=OrgUnit.objects.none())
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


OUTCOMES = ("new", "update", "error", "skipped")


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
            batch, _report = preview_import(
                actor=request.user, township=township, content=content, original_name=upload.name
            )
        except FileRejected as exc:
            form.add_error("file", exc)
            status = 400
        else:
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
    counts = {outcome: sum(r["outcome"] == outcome for r in rows) for outcome in OUTCOMES}
    counts["warned"] = sum(r["outcome"] in ("new", "update") and bool(r.get("incomplete")) for r in rows)
    counts["people"] = counts["new"] + counts["update"] + counts["error"]
    return render(
        request,
        "candidates/import_preview.html",
        {"batch": batch, "rows": rows, "counts": counts, "notes": batch.summary.get("notes", [])},
    )


@require_POST
@access(WRITERS)
def import_confirm(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    try:
        batch, report = confirm_import(actor=request.user, batch_id=batch.pk)
    except AlreadyConfirmed as exc:
        messages.info(request, str(exc))
        return redirect("candidates:import_preview", pk=batch.pk)
    except FileRejected as exc:
        # The stored file passed these checks at upload; it can only fail now if it changed on disk.
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:import_preview", pk=batch.pk)
    if report.committed:
        messages.success(
            request,
            _("Imported: %(new)d new files, %(update)d updated.")
            % {"new": report.count("new"), "update": report.count("update")},
        )
        if any(r.incomplete for r in report.rows):
            messages.warning(
                request,
                _("%(count)d imported files are incomplete: the notes and rows below say what is missing.")
                % {"count": sum(r.incomplete for r in report.rows)},
            )
    else:
        messages.error(request, _("Nothing was imported: the rows below have errors."))
    return redirect("candidates:import_preview", pk=batch.pk)


@access(WRITERS)
def import_errors(request, pk):
    """The rows with errors as the user wrote them, their header above them and a message column beside."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    problems = {
        row["row"]: "；".join(message for _column, message in row["errors"])
        for row in batch.summary.get("rows", [])
        if row["errors"]
    }
    header_rows = batch.summary.get("header_rows", [])
    sheet = _stored_rows(batch) if problems else []
    width = max((len(sheet[n - 1]) for n in [*header_rows, *problems] if n - 1 < len(sheet)), default=0)
    headings = _headings([sheet[n - 1] for n in header_rows if n - 1 < len(sheet)], width)
    rows = [(n, sheet[n - 1] if n - 1 < len(sheet) else (), problems[n]) for n in sorted(problems)]
    table = Table(
        sheet=_("Errors"),
        title=_("Errors in %(file)s") % {"file": batch.original_name},
        subtitle=_("Checked %(time)s; fix these rows and upload the workbook again.")
        % {"time": timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M")},
        columns=[
            Column("row", _("Row"), 8, lambda r: r[0]),
            *(
                Column(f"c{index}", heading, 14, lambda r, index=index: r[1][index] if index < len(r[1]) else None)
                for index, heading in enumerate(headings)
            ),
            Column("reason", _("Problems"), 60, lambda r: r[2]),
        ],
        rows=rows,
    )
    return xlsx_response(workbook_bytes(table), "import-errors.xlsx")


def _stored_rows(batch: ImportBatch) -> list[tuple]:
    """The stored workbook's rows; none when the file is gone or no longer reads (the list still has the messages)."""
    try:
        with batch.file.open("rb") as handle:
            return read_rows(handle.read())
    except (OSError, FileRejected):
        return []


def _headings(header_rows: list[tuple], width: int) -> list[str]:
    """One heading per column from the header's rows, a merged group heading before its sub-heading."""

    def cell(row, index):
        value = row[index] if index < len(row) else None
        return "" if value is None else str(value).strip()

    headings, carried = [], ""
    for index in range(width):
        parts = [cell(row, index) for row in header_rows]
        if len(parts) == 2:
            if parts[0]:
                carried = parts[0]
            elif parts[1]:
                parts[0] = carried  # the merged cell above covers this column
        headings.append(" ".join(dict.fromkeys(part for part in parts if part)))
    return headings
