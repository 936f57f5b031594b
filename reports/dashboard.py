"""Dashboard, township comparison and the statistics workbook."""

import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool import exports
from cadre_pool.access.declarations import READERS, access
from cadre_pool.excel import Column, Table, workbook_bytes
from cadre_pool.models import OrgUnit
from cadre_pool.org.choices import unit_choices
from cadre_pool.routers import reads_from_replica
from candidates.models import PoolStatus, years_ago
from mentorship.models import MentorAssignment
from reports import statistics


def _subtitle(request, scope_name: str) -> str:
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return _("Scope: %(scope)s · exported %(time)s by %(user)s") % {
        "scope": scope_name,
        "time": now,
        "user": request.user,
    }


@access(READERS)
@reads_from_replica
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    township = None
    if not user.is_organiser and request.GET.get("township", "").isdigit():
        township = get_object_or_404(OrgUnit.objects.townships().visible_to(user), pk=request.GET["township"])
    base = {"township": township.pk} if township else {}
    candidates = statistics.visible_candidates(user, township)
    figures = statistics.dashboard_figures(candidates, base=base, today=today)
    figures.append(statistics.village_coverage(user, township))
    months = statistics.monthly_movements(user, township, today=today)
    progress = statistics.cultivation_progress(candidates)
    review = statistics.round_progress(user, candidates)
    scope_name = str(township or user.unit)

    if request.GET.get("export") == "xlsx":
        tables = [_figure_table(figure, request, scope_name) for figure in figures]
        tables.append(_months_table(months, request, scope_name))
        tables.append(_progress_table(progress, request, scope_name))
        exports.record_export(request, "statistics", len(tables))
        return exports.xlsx_response(workbook_bytes(*tables), "statistics.xlsx")

    charts = {figure.key: figure.as_chart() for figure in figures}
    charts["months"] = {
        "type": "bar",
        "labels": [row["month"].strftime("%Y-%m") for row in months],
        "series": [
            {"label": _("entered"), "values": [row["entered"] for row in months]},
            {"label": _("promoted"), "values": [row["promoted"] for row in months]},
            {"label": _("removed"), "values": [row["exited"] for row in months]},
        ],
        "links": [],
    }
    return render(
        request,
        "reports/dashboard.html",
        {
            "figures": figures,
            "months": months,
            "progress": progress,
            "review": review,
            "charts": charts,
            # (pk, name) from the cached drop-down choices (cadre_pool.org.choices).
            "townships": unit_choices(user, OrgUnit.Level.TOWNSHIP) if not user.is_organiser else [],
            "township": township,
            "scope_name": scope_name,
        },
    )


def _figure_table(figure: statistics.Figure, request, scope_name: str) -> Table:
    return Table(
        sheet=figure.title,
        title=figure.title,
        subtitle=_subtitle(request, scope_name),
        columns=[
            Column("label", _("Item"), 24, lambda row: row[0]),
            Column("value", _("Number"), 12, lambda row: row[1]),
        ],
        rows=[*figure.rows, (_("Total"), figure.total, "")],
    )


def _progress_table(progress: dict, request, scope_name: str) -> Table:
    rows = [
        (_("In the pool"), progress["in_pool"]),
        (_("With a current mentor"), progress["mentored"]),
        (_("In a post"), progress["placed"]),
        (_("On secondment, full-time (全脱产)"), progress["seconded_full_time"]),
        (_("On secondment, part-time (半脱产)"), progress["seconded_part_time"]),
    ]
    return Table(
        sheet=_("Cultivation figures"),
        title=_("Cultivation of the people in the pool"),
        subtitle=_subtitle(request, scope_name),
        columns=[
            Column("label", _("Item"), 28, lambda row: row[0]),
            Column("value", _("Number"), 12, lambda row: row[1]),
        ],
        rows=rows,
    )


def _months_table(months: list[dict], request, scope_name: str) -> Table:
    return Table(
        sheet=_("Movements by month"),
        title=_("Movements by month"),
        subtitle=_subtitle(request, scope_name),
        columns=[
            Column("month", _("Month"), 12, lambda row: row["month"].strftime("%Y-%m")),
            Column("entered", _("Entered the pool"), 14, lambda row: row["entered"]),
            Column("promoted", _("Promoted"), 12, lambda row: row["promoted"]),
            Column("exited", _("Removed from the pool"), 14, lambda row: row["exited"]),
        ],
        rows=months,
    )


def township_rows(user) -> list[dict]:
    """One row per township in scope with its key figures (one grouped query per source)."""

    townships = list(OrgUnit.objects.townships().visible_to(user).order_by("code"))
    candidates = statistics.visible_candidates(user)
    counts = {
        row["township_id"]: row
        for row in candidates.values("township_id")
        .annotate(
            files=Count("pk"),
            in_pool=Count("pk", filter=Q(status=PoolStatus.IN_POOL)),
            promoted=Count("pk", filter=Q(status=PoolStatus.PROMOTED)),
            exited=Count("pk", filter=Q(status=PoolStatus.EXITED)),
            party=Count("pk", filter=Q(status=PoolStatus.IN_POOL, political_status_id__in=["01", "02"])),
            young=Count(
                "pk",
                filter=Q(
                    status=PoolStatus.IN_POOL,
                    birth_date__gt=years_ago(36),
                ),
            ),
        )
        .order_by()
    }
    mentored = dict(
        MentorAssignment.objects.filter(
            end_date__isnull=True, candidate__in=candidates.filter(status=PoolStatus.IN_POOL)
        )
        .values_list("candidate__township_id")
        .annotate(n=Count("candidate_id", distinct=True))
        .order_by()
    )
    villages = dict(
        OrgUnit.objects.villages().visible_to(user).values_list("parent_id").annotate(n=Count("pk")).order_by()
    )
    rows = []
    for township in townships:
        row = counts.get(township.pk, {})
        in_pool = row.get("in_pool", 0)
        rows.append(
            {
                "township": township,
                "villages": villages.get(township.pk, 0),
                "files": row.get("files", 0),
                "in_pool": in_pool,
                "promoted": row.get("promoted", 0),
                "exited": row.get("exited", 0),
                "party_share": round(100 * row.get("party", 0) / in_pool) if in_pool else 0,
                "young_share": round(100 * row.get("young", 0) / in_pool) if in_pool else 0,
                "mentored_share": round(100 * mentored.get(township.pk, 0) / in_pool) if in_pool else 0,
            }
        )
    return rows


TOWNSHIP_COLUMNS = [
    ("township", gettext_lazy("Township"), 14),
    ("villages", gettext_lazy("Villages"), 10),
    ("files", gettext_lazy("Files"), 10),
    ("in_pool", gettext_lazy("In the pool"), 10),
    ("promoted", gettext_lazy("Promoted"), 10),
    ("exited", gettext_lazy("Removed"), 10),
    ("party_share", gettext_lazy("Party members %"), 12),
    ("young_share", gettext_lazy("Aged 35 or under %"), 14),
    ("mentored_share", gettext_lazy("With a mentor %"), 12),
]


def _cell_value(key: str):
    return lambda row: str(row[key]) if key == "township" else row[key]


@access(READERS)
@reads_from_replica
def township_comparison(request):
    rows = township_rows(request.user)
    columns = [(key, label) for key, label, _width in TOWNSHIP_COLUMNS]
    if request.GET.get("export") == "xlsx":
        table = Table(
            sheet=_("Township comparison"),
            title=_("Township comparison of the reserve pool"),
            subtitle=_subtitle(request, str(request.user.unit)),
            columns=[Column(key, str(label), width, _cell_value(key)) for key, label, width in TOWNSHIP_COLUMNS],
            rows=rows,
        )
        exports.record_export(request, "township_comparison", len(rows))
        return exports.xlsx_response(workbook_bytes(table), "townships.xlsx")
    return render(
        request,
        "reports/township_comparison.html",
        {"rows": rows, "columns": columns, "today": datetime.date.today()},
    )
