"""Figures for the dashboard, the township comparison and the statistics workbook.

Each figure is one grouped query over the user's scope, so the page costs the same
for ten candidates or a million. Every number carries the candidate-list filter behind it.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_pool.models import Education, Gender, OrgUnit, PoliticalStatus
from candidates.models import Candidate, PoolEvent, PoolStatus, SourceCategory

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


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def list_link(**params) -> str:
    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('candidates:list')}?{urlencode(clean)}"


def dashboard_figures(candidates, *, base: dict, today: datetime.date) -> list[Figure]:
    """`candidates` is the scoped queryset; `base` the list filters that reproduce it (e.g. the township)."""
    figures = []

    status_counts = dict(candidates.values_list("status").annotate(n=Count("pk")).order_by())
    figures.append(
        Figure(
            "status",
            _("Files by status"),
            "bar",
            [(s.label, status_counts.get(s.value, 0), list_link(**base, status=s.value)) for s in PoolStatus],
        )
    )

    pool = candidates.filter(status=PoolStatus.IN_POOL)
    in_pool = {**base, "status": PoolStatus.IN_POOL}

    source_counts = dict(pool.values_list("source_category").annotate(n=Count("pk")).order_by())
    figures.append(
        Figure(
            "source",
            _("Pool by source category"),
            "doughnut",
            [
                (s.label, source_counts.get(s.value, 0), list_link(**in_pool, source_category=s.value))
                for s in SourceCategory
            ],
        )
    )

    bands = {}
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        condition = Q()
        if low is not None:
            condition &= Q(birth_date__lte=_years_ago(today, low))
        if high is not None:
            condition &= Q(birth_date__gt=_years_ago(today, high + 1))
        bands[f"band{index}"] = Count("pk", filter=condition)
    band_counts = pool.aggregate(**bands)
    figures.append(
        Figure(
            "age",
            _("Pool by age"),
            "bar",
            [
                (label, band_counts[f"band{index}"], list_link(**in_pool, age_min=low, age_max=high))
                for index, (label, low, high) in enumerate(AGE_BANDS)
            ],
        )
    )

    levels = {e.code: e for e in Education.objects.filter(parent__isnull=True)}
    education_counts = dict(pool.values_list("education__parent_id").annotate(n=Count("pk")).order_by())
    figures.append(
        Figure(
            "education",
            _("Pool by education"),
            "bar",
            [
                (str(level.name), education_counts.get(code, 0), list_link(**in_pool, education=code))
                for code, level in levels.items()
                if education_counts.get(code)
            ],
        )
    )

    gender_names = {g.code: str(g) for g in Gender.objects.filter(code__in=["1", "2"])}
    gender_counts = dict(pool.values_list("gender_id").annotate(n=Count("pk")).order_by())
    figures.append(
        Figure(
            "gender",
            _("Pool by gender"),
            "doughnut",
            [
                (name, gender_counts.get(code, 0), list_link(**in_pool, gender=code))
                for code, name in gender_names.items()
            ],
        )
    )

    skilled = pool.aggregate(
        yes=Count("pk", filter=Q(has_industry_skill=True)), no=Count("pk", filter=Q(has_industry_skill=False))
    )
    supply = reverse("candidates:supply")
    figures.append(
        Figure(
            "skills",
            _("Industry experience or professional skill"),
            "doughnut",
            [
                (_("with"), skilled["yes"], f"{supply}?{urlencode({**in_pool, 'has_industry_skill': 'true'})}"),
                (_("without"), skilled["no"], f"{supply}?{urlencode({**in_pool, 'has_industry_skill': 'false'})}"),
            ],
        )
    )

    political_names = {p.code: str(p) for p in PoliticalStatus.objects.all()}
    political_counts = pool.values_list("political_status_id").annotate(n=Count("pk")).order_by("political_status_id")
    figures.append(
        Figure(
            "political",
            _("Pool by political status"),
            "doughnut",
            [
                (political_names.get(code, code), n, list_link(**in_pool, political_status=code))
                for code, n in political_counts
            ],
        )
    )
    return figures


def monthly_movements(candidates, *, today: datetime.date, months: int = 12) -> list[dict]:
    """Entries, promotions and exits per month over the last `months` months."""
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    rows = (
        PoolEvent.objects.filter(
            candidate__in=candidates,
            created_at__gte=start,
            to_status__in=[PoolStatus.IN_POOL, PoolStatus.PROMOTED, PoolStatus.EXITED],
        )
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month", "to_status")
        .annotate(n=Count("pk"))
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
    """People in the pool with a current mentor, in a post, on secondment."""
    from mentorship.models import MentorAssignment, Placement, Secondment

    pool = candidates.filter(status=PoolStatus.IN_POOL)
    return pool.aggregate(
        in_pool=Count("pk", distinct=True),
        mentored=Count(
            "pk",
            distinct=True,
            filter=Q(pk__in=MentorAssignment.objects.filter(end_date__isnull=True).values("candidate_id")),
        ),
        placed=Count(
            "pk", distinct=True, filter=Q(pk__in=Placement.objects.filter(end_date__isnull=True).values("candidate_id"))
        ),
        seconded=Count(
            "pk",
            distinct=True,
            filter=Q(pk__in=Secondment.objects.filter(actual_end__isnull=True).values("candidate_id")),
        ),
    )


def round_progress(user, candidates) -> dict | None:
    """The latest open look-back round: reviews filled out of those due, in the user's scope."""
    from assessments.models import Review, ReviewRound

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
    """Villages with 0, 1 and 2 or more reserves in the pool (one query)."""
    from candidates.views_needs import villages_with_counts

    villages = OrgUnit.objects.villages().visible_to(user).filter(active=True)
    if township is not None:
        villages = villages.filter(parent=township)
    buckets = {"0": 0, "1": 0, "2": 0}
    for reserves in villages_with_counts(villages).values_list("reserves", flat=True):
        buckets[str(min(reserves or 0, 2))] += 1
    link = reverse("candidates:coverage") + (f"?township={township.pk}" if township is not None else "")
    return Figure(
        "coverage",
        _("Village coverage by reserves in the pool"),
        "bar",
        [
            (_("no reserve"), buckets["0"], link),
            (_("one reserve"), buckets["1"], link),
            (_("two or more"), buckets["2"], link),
        ],
    )
