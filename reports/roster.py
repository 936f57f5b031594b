"""花名册: the roster export of any filtered candidate list, in the browser or in the background."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool.excel import Column, Table
from cadre_pool.personal import mask_id_number, mask_mobile
from candidates.filters import CandidateFilter
from candidates.identity import age_on
from candidates.models import Candidate, PoolStatus, SourceCategory
from mentorship.models import MentorAssignment, Placement

CHUNK = 2000


@dataclass(frozen=True)
class RosterColumn:
    key: str
    header: object
    width: float
    value: Callable  # (number, row, context) -> value; row: the ROSTER_FIELDS of one person, by name


@dataclass(frozen=True)
class RosterContext:
    """What every row of one export shares: decided once, not per row."""

    unmasked: bool
    today: datetime.date
    sources: dict[str, str]  # choice value -> label in the active language
    statuses: dict[str, str]


# One person's roster values, read with values(): no model instances, no related objects.
ROSTER_FIELDS = (
    "township__name",
    "township__short_name",
    "village__name",
    "village__short_name",
    "name",
    "gender__name",
    "gender__short_name",
    "ethnicity__name",
    "ethnicity__short_name",
    "birth_date",
    "political_status__name",
    "political_status__short_name",
    "party_entry_date",
    "education__name",
    "fulltime_school",
    "fulltime_major",
    "inservice_school",
    "inservice_major",
    "id_number",
    "phone",
    "source_category",
    "employer",
    "occupation",
    "skills_other",
    "status",
    "notes",
    "roster_mentors",
    "roster_posts",
    "roster_skills",
)


def _month(day) -> str:
    return day.strftime("%Y.%m") if day else ""


def _label(row, relation: str) -> str:
    # str() of an org unit or a code-table entry: its short name, or its name.
    return row[f"{relation}__short_name"] or row[f"{relation}__name"] or ""


def _school(r) -> str:
    school = r["fulltime_school"] or r["inservice_school"]
    major = r["fulltime_major"] if r["fulltime_school"] else r["inservice_major"]
    return " ".join(part for part in (school, major) if part)


def _employer(r) -> str:
    return " ".join(part for part in (r["employer"], r["occupation"]) if part)


def _skills(r) -> str:
    return "、".join(part for part in (r["roster_skills"], r["skills_other"]) if part)


def _sensitive(field: str, masker) -> Callable:
    return lambda n, r, ctx: r[field] if ctx.unmasked else masker(r[field])


ROSTER_COLUMNS = [
    RosterColumn("number", gettext_lazy("No."), 6, lambda n, r, ctx: n),
    RosterColumn("township", gettext_lazy("Township (street)"), 12, lambda n, r, ctx: _label(r, "township")),
    RosterColumn("village", gettext_lazy("Village (community)"), 14, lambda n, r, ctx: _label(r, "village")),
    RosterColumn("name", gettext_lazy("Name"), 10, lambda n, r, ctx: r["name"]),
    RosterColumn("gender", gettext_lazy("Gender"), 6, lambda n, r, ctx: _label(r, "gender")),
    RosterColumn("ethnicity", gettext_lazy("Ethnicity"), 8, lambda n, r, ctx: _label(r, "ethnicity")),
    RosterColumn("birth", gettext_lazy("Born"), 10, lambda n, r, ctx: _month(r["birth_date"])),
    RosterColumn("age", gettext_lazy("Age"), 6, lambda n, r, ctx: age_on(r["birth_date"], ctx.today)),
    RosterColumn("political", gettext_lazy("Political status"), 12, lambda n, r, ctx: _label(r, "political_status")),
    RosterColumn("party_entry", gettext_lazy("Joined the Party"), 10, lambda n, r, ctx: _month(r["party_entry_date"])),
    RosterColumn("education", gettext_lazy("Education"), 14, lambda n, r, ctx: r["education__name"]),
    RosterColumn("school", gettext_lazy("School and major"), 20, lambda n, r, ctx: _school(r)),
    RosterColumn("id_number", gettext_lazy("Resident ID number"), 22, _sensitive("id_number", mask_id_number)),
    RosterColumn("phone", gettext_lazy("Phone"), 14, _sensitive("phone", mask_mobile)),
    RosterColumn(
        "source",
        gettext_lazy("Source category"),
        16,
        lambda n, r, ctx: ctx.sources.get(r["source_category"], r["source_category"]),
    ),
    RosterColumn("employer", gettext_lazy("Current employer and post"), 20, lambda n, r, ctx: _employer(r)),
    RosterColumn("skills", gettext_lazy("Industry experience or skills"), 20, lambda n, r, ctx: _skills(r)),
    RosterColumn("mentors", gettext_lazy("Mentors"), 14, lambda n, r, ctx: r["roster_mentors"] or ""),
    RosterColumn("posts", gettext_lazy("Post placements"), 18, lambda n, r, ctx: r["roster_posts"] or ""),
    RosterColumn("status", gettext_lazy("Status"), 10, lambda n, r, ctx: ctx.statuses.get(r["status"], r["status"])),
    RosterColumn("notes", gettext_lazy("Notes"), 24, lambda n, r, ctx: r["notes"]),
]
COLUMNS_BY_KEY = {column.key: column for column in ROSTER_COLUMNS}
DEFAULT_COLUMNS = [column.key for column in ROSTER_COLUMNS]


def chosen_columns(keys: Iterable[str]) -> list[RosterColumn]:
    """The user's columns in the user's order; unknown keys are ignored, an empty choice means all."""
    columns = [COLUMNS_BY_KEY[key] for key in dict.fromkeys(keys) if key in COLUMNS_BY_KEY]
    return columns or list(ROSTER_COLUMNS)


def _ordered(*fields) -> dict:
    # PostgreSQL orders the names inside the aggregate; SQLite cannot, and lists them as stored.
    return {"order_by": fields} if connection.features.supports_aggregate_order_by_clause else {}


def roster_queryset(queryset):
    """The list's own filtered queryset as the roster's values (ROSTER_FIELDS), one query per chunk."""

    mentors = (
        MentorAssignment.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)
        .values("candidate")
        .annotate(names=StringAgg("mentor__name", delimiter=Value("、"), **_ordered("-is_lead", "start_date")))
        .values("names")
    )
    posts = (
        Placement.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)
        .values("candidate")
        .annotate(names=StringAgg("post_type__name", delimiter=Value("、")))
        .values("names")
    )
    tags = Candidate.skills.through
    skills = (
        tags.objects.filter(candidate=OuterRef("pk"))
        .values("candidate")
        .annotate(names=StringAgg("skilltag__name", delimiter=Value("、"), **_ordered("skilltag__sort_order")))
        .values("names")
    )
    return queryset.annotate(
        roster_mentors=Subquery(mentors), roster_posts=Subquery(posts), roster_skills=Subquery(skills)
    ).values(*ROSTER_FIELDS)


def describe_filters(filterset) -> str:
    """ "乡镇：明阳镇；状态：已入库" from the filters the user set."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return _("all candidates")
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        shown = (
            dict(field.choices).get(value, value) if hasattr(field, "choices") and not hasattr(value, "pk") else value
        )
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts) or _("all candidates")


def roster_title(user) -> str:
    unit = user.unit
    name = unit.name if unit is not None else ""
    return _("%(unit)s village Party organisation secretary reserve roster") % {"unit": name}


def roster_table(*, queryset, columns: list[RosterColumn], user, filters: str, unmasked: bool, progress=None) -> Table:
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    subtitle = _("Filters: %(filters)s · exported %(time)s by %(user)s%(masked)s") % {
        "filters": filters,
        "time": now,
        "user": user,
        "masked": "" if unmasked else _(" · ID numbers and phones masked"),
    }

    context = RosterContext(
        unmasked=unmasked,
        today=timezone.localdate(),
        sources={value: str(label) for value, label in SourceCategory.choices},
        statuses={value: str(label) for value, label in PoolStatus.choices},
    )
    rows = roster_queryset(queryset)
    return Table(
        sheet=str(_("Roster")),
        title=roster_title(user),
        subtitle=subtitle,
        columns=[Column(column.key, str(column.header), column.width, _bind(column, context)) for column in columns],
        rows=enumerate(rows.iterator(chunk_size=CHUNK), start=1),
        database=rows.db,
    )


def _bind(column: RosterColumn, context: RosterContext):
    value = column.value
    return lambda row: value(row[0], row[1], context)


def build_roster(user, params) -> tuple[Table, int]:
    """The candidate list's own filters, scope and order, with the columns and order the user chose."""

    base = Candidate.objects.visible_to(user).order_by("township__code", "name", "pk")
    filterset = CandidateFilter(params, queryset=base, user=user)
    queryset = filterset.qs
    keys = sorted(params.getlist("col"), key=lambda key: _position(params.get(f"pos_{key}")))
    unmasked = params.get("unmasked") == "1" and user.can_reveal_identity
    table = roster_table(
        queryset=queryset,
        columns=chosen_columns(keys),
        user=user,
        filters=describe_filters(filterset),
        unmasked=unmasked,
    )
    return table, queryset.count()


def _position(raw) -> int:
    return int(raw) if raw and str(raw).isdigit() else 999
