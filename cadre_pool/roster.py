"""花名册: the roster export of any filtered candidate list, in the browser or in the background."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool import exports
from cadre_pool.excel import Column, Table
from candidates.identity import mask_id_number, mask_mobile

CHUNK = 2000


@dataclass(frozen=True)
class RosterColumn:
    key: str
    header: object
    width: float
    value: Callable  # (number, candidate, unmasked) -> value


def _month(day) -> str:
    return day.strftime("%Y.%m") if day else ""


def _school(c) -> str:
    school = c.fulltime_school or c.inservice_school
    major = c.fulltime_major if c.fulltime_school else c.inservice_major
    return " ".join(part for part in (school, major) if part)


def _employer(c) -> str:
    return " ".join(part for part in (c.employer, c.occupation) if part)


def _skills(c) -> str:
    return "、".join(part for part in (c.roster_skills, c.skills_other) if part)


def _sensitive(raw: str, masker) -> Callable:
    return lambda n, c, unmasked: getattr(c, raw) if unmasked else masker(getattr(c, raw))


ROSTER_COLUMNS = [
    RosterColumn("number", gettext_lazy("No."), 6, lambda n, c, u: n),
    RosterColumn("township", gettext_lazy("Township (street)"), 12, lambda n, c, u: str(c.township)),
    RosterColumn("village", gettext_lazy("Village (community)"), 14, lambda n, c, u: str(c.village or "")),
    RosterColumn("name", gettext_lazy("Name"), 10, lambda n, c, u: c.name),
    RosterColumn("gender", gettext_lazy("Gender"), 6, lambda n, c, u: str(c.gender)),
    RosterColumn("ethnicity", gettext_lazy("Ethnicity"), 8, lambda n, c, u: str(c.ethnicity)),
    RosterColumn("birth", gettext_lazy("Born"), 10, lambda n, c, u: _month(c.birth_date)),
    RosterColumn("age", gettext_lazy("Age"), 6, lambda n, c, u: c.age),
    RosterColumn("political", gettext_lazy("Political status"), 12, lambda n, c, u: str(c.political_status)),
    RosterColumn("party_entry", gettext_lazy("Joined the Party"), 10, lambda n, c, u: _month(c.party_entry_date)),
    RosterColumn("education", gettext_lazy("Education"), 14, lambda n, c, u: c.education.name),
    RosterColumn("school", gettext_lazy("School and major"), 20, lambda n, c, u: _school(c)),
    RosterColumn("id_number", gettext_lazy("Resident ID number"), 22, _sensitive("id_number", mask_id_number)),
    RosterColumn("phone", gettext_lazy("Phone"), 14, _sensitive("phone", mask_mobile)),
    RosterColumn("source", gettext_lazy("Source category"), 16, lambda n, c, u: c.get_source_category_display()),
    RosterColumn("employer", gettext_lazy("Current employer and post"), 20, lambda n, c, u: _employer(c)),
    RosterColumn("skills", gettext_lazy("Industry experience or skills"), 20, lambda n, c, u: _skills(c)),
    RosterColumn("mentors", gettext_lazy("Mentors"), 14, lambda n, c, u: c.roster_mentors or ""),
    RosterColumn("posts", gettext_lazy("Post placements"), 18, lambda n, c, u: c.roster_posts or ""),
    RosterColumn("status", gettext_lazy("Status"), 10, lambda n, c, u: c.get_status_display()),
    RosterColumn("notes", gettext_lazy("Notes"), 24, lambda n, c, u: c.notes),
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
    """The list's own filtered queryset with what the roster needs, one query per chunk."""
    from candidates.models import Candidate
    from mentorship.models import MentorAssignment, Placement

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
    related = ("township", "village", "gender", "ethnicity", "political_status", "education")
    return queryset.select_related(*related).annotate(
        roster_mentors=Subquery(mentors), roster_posts=Subquery(posts), roster_skills=Subquery(skills)
    )


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
    rows = enumerate(roster_queryset(queryset).iterator(chunk_size=CHUNK), start=1)
    return Table(
        sheet=str(_("Roster")),
        title=roster_title(user),
        subtitle=subtitle,
        columns=[Column(column.key, str(column.header), column.width, _bind(column, unmasked)) for column in columns],
        rows=rows,
    )


def _bind(column: RosterColumn, unmasked: bool):
    return lambda row: column.value(row[0], row[1], unmasked)


def is_large(count: int) -> bool:
    return count > settings.EXPORT_ASYNC_THRESHOLD


@exports.register("roster", "roster")
def build_roster(user, params) -> tuple[Table, int]:
    """The candidate list's own filters, scope and order, with the columns and order the user chose."""
    from candidates.filters import CandidateFilter
    from candidates.models import Candidate

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
