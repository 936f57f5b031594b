"""Excel exports of cultivation lists, through the shared export machinery."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool.excel import Column, Table
from candidates.forms import DateInput
from mentorship.models import MentoringLog


class MentoringLogFilter(django_filters.FilterSet):
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("from date"))
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("to date"))
    kind = django_filters.ChoiceFilter(
        choices=MentoringLog.Kind.choices, label=gettext_lazy("kind"), empty_label=gettext_lazy("all")
    )
    name = django_filters.CharFilter(
        field_name="candidate__name", lookup_expr="contains", label=gettext_lazy("candidate")
    )

    class Meta:
        model = MentoringLog
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.form.fields[name].widget = DateInput()
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if field.widget.input_type == "select" else "form-control"
            )


def mentoring_logs(user, params):
    base = (
        MentoringLog.objects.visible_to(user)
        .select_related("candidate", "candidate__township", "mentor", "recorded_by")
        .order_by("-date", "-pk")
    )
    return MentoringLogFilter(params, queryset=base)


def build_mentoring_logs(user, params) -> tuple[Table, int]:
    filterset = mentoring_logs(user, params)
    queryset = filterset.qs
    table = Table(
        sheet=_("Mentoring logs"),
        title=_("Mentoring logs"),
        subtitle=_("%(unit)s · exported %(time)s by %(user)s")
        % {"unit": user.unit, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user},
        columns=[
            Column("date", _("Date"), 11, lambda log: log.date),
            Column("township", _("Township"), 10, lambda log: str(log.candidate.township)),
            Column("candidate", _("Candidate"), 10, lambda log: log.candidate.name),
            Column("mentor", _("Mentor"), 10, lambda log: str(log.mentor or "")),
            Column("kind", _("Kind"), 12, lambda log: log.get_kind_display()),
            Column("content", _("What was done"), 40, lambda log: log.content),
            Column("comment", _("Mentor's comment"), 30, lambda log: log.mentor_comment),
            Column("recorded_by", _("Recorded by"), 12, lambda log: str(log.recorded_by)),
        ],
        rows=queryset.iterator(chunk_size=2000),
    )
    return table, queryset.count()
