"""Figures for the dashboard, the township comparison and the statistics workbook.

Each figure is one grouped query over the user's scope, so the page costs the same
for ten candidates or a million. Every number carries the candidate-list filter behind it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Least, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Decision, Review, ReviewRound
from cadre_pool.models import Education, Gender, OrgUnit, PoliticalStatus
from cadre_pool.org.choices import code_choices, code_table
from candidates.coverage import annotate_reserves
from candidates.models import Candidate, PoolEvent, PoolStatus, SourceCategory, years_ago

AGE_BANDS = [
    ("≤ 30", None, 30),
    ("31–35", 31, 35),
    ("36–40", 36, 40),
    ("41–45", 41, 45),
    ("> 45", 46, None),
]


@dataclass
class Figure:
    key: str
    title: str
    chart: str  # "bar" or "doughnut"
    rows: list[tuple[str, int, str]] = field(default_factory=list)  # label, value, link

    @property
    def total(self) -> int:
        return sum(value for _label, value, _link in self.rows)

    def as_chart(self) -> dict:
        return {
            "type": self.chart,
            "labels": [label for label, _value, _link in self.rows],
            "values": [value for _label, value, _link in self.rows],
            "links": [link for _label, _value, link in self.rows],
        }


def list_link(**params) -> str:
    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('candidates:list')}?{urlencode(clean)}"


def _age_condition(today: datetime.date, low: int | None, high: int | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(birth_date__lte=years_ago(low, today))
    if high is not None:
        condition &= Q(birth_date__gt=years_ago(high + 1, today))
    return condition


def dashboard_figures(candidates, *, base: dict, today: datetime.date) -> list[Figure]:
    """`candidates` is the scoped queryset; `base` the list filters that reproduce it (e.g. the township).

    Every figure comes from one grouped pass over the scope, which the covering index
    `candidate_township_list` answers without reading the table.
    """
    educations = code_table(Education)
    levels = {entry.code: entry.name for entry in educations if entry.parent is None}
    level_of = {entry.code: entry.parent for entry in educations}
    gender_names = dict(code_choices(Gender, codes=("1", "2")))
    political_names = dict(code_choices(PoliticalStatus))

    # One grouped pass: every status, and for people in the pool their source, age band, education,
    # gender, skill and political status (a few thousand groups at most), summed up here.
    def pool_only(expression):
        return Case(When(status=PoolStatus.IN_POOL, then=expression), default=None)

    band = Case(
        *[When(_age_condition(today, low, high), then=Value(index)) for index, (_l, low, high) in enumerate(AGE_BANDS)],
        default=None,
    )
    groups = (
        candidates.annotate(
            g_source=pool_only(F("source_category")),
            g_band=pool_only(band),
            g_education=pool_only(F("education_id")),
            g_gender=pool_only(F("gender_id")),
            g_skill=pool_only(F("has_industry_skill")),
            g_political=pool_only(F("political_status_id")),
        )
        .values_list("status", "g_source", "g_band", "g_education", "g_gender", "g_skill", "g_political")
        .annotate(n=Count("pk"))
        .order_by()
    )
    n = defaultdict(int)
    for status, source, age, education, gender, skill, political, count in groups:
        n[f"status:{status}"] += count
        if status == PoolStatus.IN_POOL:
            for key in (
                f"source:{source}",
                f"age:{age}",
                f"education:{level_of.get(education)}",
                f"gender:{gender}",
                f"skill:{'yes' if skill else 'no'}",
                f"political:{political}",
            ):
                n[key] += count

    in_pool = {**base, "status": PoolStatus.IN_POOL}
    supply = reverse("candidates:supply")
    return [
        Figure(
            "status",
            _("Files by status"),
            "bar",
            [(s.label, n[f"status:{s.value}"], list_link(**base, status=s.value)) for s in PoolStatus],
        ),
        Figure(
            "source",
            _("Pool by source category"),
            "doughnut",
            [(s.label, n[f"source:{s.value}"], list_link(**in_pool, source_category=s.value)) for s in SourceCategory],
        ),
        Figure(
            "age",
            _("Pool by age"),
            "bar",
            [
                (label, n[f"age:{index}"], list_link(**in_pool, age_min=low, age_max=high))
                for index, (label, low, high) in enumerate(AGE_BANDS)
            ],
        ),
        Figure(
            "education",
            _("Pool by education"),
            "bar",
            [
                (name, n[f"education:{code}"], list_link(**in_pool, education=code))
                for code, name in levels.items()
                if n.get(f"education:{code}")
            ],
        ),
        Figure(
            "gender",
            _("Pool by gender"),
            "doughnut",
            [(name, n[f"gender:{code}"], list_link(**in_pool, gender=code)) for code, name in gender_names.items()],
        ),
        Figure(
            "skills",
            _("Industry experience or professional skill"),
            "doughnut",
            [
                (_("with"), n["skill:yes"], f"{supply}?{urlencode({**in_pool, 'has_industry_skill': 'true'})}"),
                (_("without"), n["skill:no"], f"{supply}?{urlencode({**in_pool, 'has_industry_skill': 'false'})}"),
            ],
        ),
        Figure(
            "political",
            _("Pool by political status"),
            "doughnut",
            [
                (political_names[code], n[f"political:{code}"], list_link(**in_pool, political_status=code))
                for code in sorted(political_names)
                if n[f"political:{code}"]
            ],
        ),
    ]


def monthly_movements(user, township=None, *, today: datetime.date, months: int = 12) -> list[dict]:
    """Entries, promotions and exits per month over the last `months` months in the user's scope (or one
    of its townships): a range scan of those townships' decisions (PoolEvent.township)."""
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    events = PoolEvent.objects.visible_to(user)
    if township is not None:
        events = events.filter(township=township)
    rows = (
        events.filter(
            created_at__gte=start,
            to_status__in=[PoolStatus.IN_POOL, PoolStatus.PROMOTED, PoolStatus.EXITED],
        )
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month", "to_status")
        .annotate(n=Count("*"))  # not Count("pk"): the id is not in the index, count(*) stays index-only
        .order_by()
    )
    counts = {(month.date().replace(day=1), status): n for month, status, n in rows}
    result = []
    month = first
    while month <= today:
        result.append(
            {
                "month": month,
                "entered": counts.get((month, PoolStatus.IN_POOL), 0),
                "promoted": counts.get((month, PoolStatus.PROMOTED), 0),
                "exited": counts.get((month, PoolStatus.EXITED), 0),
            }
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def cultivation_progress(candidates) -> dict:
    """People in the pool with a current mentor, in a post, on secondment: the flags the mentorship
    services keep on each file, counted from the covering list index."""
    progress = candidates.filter(status=PoolStatus.IN_POOL).aggregate(
        in_pool=Count("pk"),
        mentored=Count("pk", filter=Q(has_current_mentor=True)),
        placed=Count("pk", filter=Q(has_current_post=True)),
        seconded=Count("pk", filter=Q(has_current_secondment=True)),
    )
    # Full-time (全脱产) and part-time (半脱产) told apart: one grouped query over the current
    # secondments (not ended, length not refused) of the people flagged as seconded.
    modes = dict(
        candidates.filter(
            status=PoolStatus.IN_POOL,
            has_current_secondment=True,
            secondments__actual_end__isnull=True,
            secondments__approval__in=["standard", "awaiting", "approved"],
        )
        .values_list("secondments__mode")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    progress["seconded_full_time"] = modes.get("full_time", 0)
    progress["seconded_part_time"] = modes.get("part_time", 0)
    return progress


def round_progress(user, candidates) -> dict | None:
    """The latest open look-back round: reviews filled out of those due, in the user's scope."""

    latest = ReviewRound.objects.visible_to(user).filter(status=ReviewRound.Status.OPEN).first()
    if latest is None:
        return None
    counts = Review.objects.filter(round=latest, candidate__in=candidates).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(filled_at__isnull=False))
    )
    return {"round": latest, **counts}


def visible_candidates(user, township=None):
    candidates = Candidate.objects.visible_to(user)
    return candidates.filter(township=township) if township is not None else candidates


def village_coverage(user, township=None) -> Figure:
    """Villages with 0, 1 and 2 or more reserves in the pool, each person counted for their target
    village or else their home village (candidates.coverage): counted by the database, one query."""
    villages = OrgUnit.objects.villages().visible_to(user).filter(active=True)
    if township is not None:
        villages = villages.filter(parent=township)
    buckets = dict(
        annotate_reserves(villages)
        .annotate(bucket=Least("reserves", Value(2)))
        .values_list("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    link = reverse("coverage") + (f"?township={township.pk}" if township is not None else "")
    return Figure(
        "coverage",
        _("Village coverage by reserves in the pool (target village, else home village)"),
        "bar",
        [
            (_("no reserve"), buckets.get(0, 0), link),
            (_("one reserve"), buckets.get(1, 0), link),
            (_("two or more"), buckets.get(2, 0), link),
        ],
    )


def pool_figures(user, start: datetime.date, end: datetime.date) -> dict:
    """Per township and in total: in the pool at the end of the period (each person's latest pool
    event before it), and entries, promotions and exits (by reason) during it. Four queries."""
    tz = timezone.get_current_timezone()
    start_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    visible = Candidate.objects.visible_to(user)
    status_then = Subquery(
        PoolEvent.objects.filter(candidate=OuterRef("pk"), created_at__lt=end_at)
        .order_by("-created_at", "-pk")
        .values("to_status")[:1]
    )
    in_pool = dict(
        visible.annotate(status_then=status_then)
        .filter(status_then=PoolStatus.IN_POOL)
        .values_list("township_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    events = PoolEvent.objects.filter(candidate__in=visible, created_at__gte=start_at, created_at__lt=end_at)
    moves = {
        (row["candidate__township_id"], row["to_status"]): row["n"]
        for row in events.values("candidate__township_id", "to_status").annotate(n=Count("pk")).order_by()
    }
    exit_reasons = {
        (row["candidate__township_id"], row["exit_reason"]): row["n"]
        for row in Decision.objects.filter(pool_event__in=events, kind=Decision.Kind.EXIT)
        .values("candidate__township_id", "exit_reason")
        .annotate(n=Count("pk"))
        .order_by()
    }
    reasons = list(Decision.ExitReason)
    rows = [
        {
            "township": township,
            "in_pool": in_pool.get(township.pk, 0),
            "entered": moves.get((township.pk, PoolStatus.IN_POOL), 0),
            "promoted": moves.get((township.pk, PoolStatus.PROMOTED), 0),
            "exited": moves.get((township.pk, PoolStatus.EXITED), 0),
            "reasons": [exit_reasons.get((township.pk, reason.value), 0) for reason in reasons],
        }
        for township in OrgUnit.objects.townships().visible_to(user).order_by("code")
    ]
    totals = {key: sum(row[key] for row in rows) for key in ("in_pool", "entered", "promoted", "exited")}
    totals["reasons"] = [sum(row["reasons"][i] for row in rows) for i in range(len(reasons))]
    return {"rows": rows, "totals": totals, "reasons": reasons}
