"""Audit pages (S10): the global log for the audit administrator, a candidate's history for district staff."""

import csv
import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool import audit
from cadre_pool.access.declarations import access
from cadre_pool.models import AuditAction, AuditEvent, Role

PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(label=gettext_lazy("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    success = forms.ChoiceField(
        label=gettext_lazy("Result"),
        required=False,
        choices=[("", "---------"), ("1", gettext_lazy("succeeded")), ("0", gettext_lazy("failed or refused"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "---------"), *AuditAction.choices]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            q = data["q"]
            queryset = queryset.filter(Q(object_label__icontains=q) | Q(actor_name__icontains=q) | Q(object_id=q))
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["actor"]:
            queryset = queryset.filter(actor_name__icontains=data["actor"])
        if data["date_from"]:
            queryset = queryset.filter(created_at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            queryset = queryset.filter(created_at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        if data["success"]:
            queryset = queryset.filter(success=data["success"] == "1")
        return queryset

    def as_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value not in ("", None)}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def neutralise(value) -> str:
    """A spreadsheet must show a cell as text, never run it as a formula (S12)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


EXPORT_COLUMNS = [
    ("created_at", gettext_lazy("time")),
    ("actor_id", gettext_lazy("actor id")),
    ("actor_name", gettext_lazy("actor")),
    ("actor_role", gettext_lazy("role")),
    ("ip", gettext_lazy("IP address")),
    ("action", gettext_lazy("action")),
    ("object_type", gettext_lazy("object type")),
    ("object_id", gettext_lazy("object id")),
    ("object_label", gettext_lazy("object")),
    ("success", gettext_lazy("success")),
    ("before", gettext_lazy("before")),
    ("after", gettext_lazy("after")),
    ("extra", gettext_lazy("details")),
]


def _export(request, queryset, filters):
    count = queryset.count()
    audit.record(request, action=AuditAction.AUDIT_EXPORT, rows=count, filters=filters, format="csv")
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # Excel opens UTF-8 CSV with Chinese text correctly only with a byte-order mark
        yield writer.writerow([str(label) for _, label in EXPORT_COLUMNS])
        for event in queryset.iterator(chunk_size=2000):
            values = []
            for name, _label in EXPORT_COLUMNS:
                value = getattr(event, name)
                if name == "created_at":
                    value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
                values.append(neutralise(value))
            yield writer.writerow(values)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@access({Role.AUDIT_ADMIN})
def audit_log(request):
    """审计日志: every audit row, searchable and filterable, with a CSV export that is itself audited."""
    form = AuditFilterForm(request.GET or None)
    queryset = AuditEvent.objects.all()
    if request.GET:
        queryset = form.filter(queryset)
    if request.GET.get("export") == "csv":
        return _export(request, queryset, form.as_filters() if request.GET else {})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page, "title": _("Audit log")})
