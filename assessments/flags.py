"""Suggestions for attention (never decisions): each flag names the rule and says why."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from assessments.models import DIMENSIONS, Rating, Review
from candidates.identity import age_on
from mentorship.models import MentoringLog  # management reads cultivation, never the other way round


@dataclass(frozen=True)
class Flag:
    rule: str
    reason: str


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def flags_for(candidates, today: datetime.date) -> dict[int, list[Flag]]:
    """Flags for a queryset of candidates, in four queries whatever its size."""

    flags: dict[int, list[Flag]] = defaultdict(list)
    ids = candidates.values("pk")

    # Over the age limit: older than CANDIDATE_MAX_AGE today.
    limit = settings.CANDIDATE_MAX_AGE
    for pk, birth in candidates.filter(birth_date__lte=_years_before(today, limit + 1)).values_list("pk", "birth_date"):
        age = age_on(birth, today)
        flags[pk].append(Flag("age", _("Aged %(age)d, over the limit of %(limit)d.") % {"age": age, "limit": limit}))

    # Two consecutive reviews (the latest two filled) with any dimension rated poor.
    poor = Q()
    for field, _label in DIMENSIONS:
        poor |= Q(**{field: Rating.POOR})
    latest: dict[int, list[bool]] = defaultdict(list)
    reviews = (
        Review.objects.filter(candidate__in=ids, filled_at__isnull=False)
        .order_by("candidate_id", "-round__period_end", "-round__opened_at")
        .values_list("candidate_id", *[field for field, _ in DIMENSIONS])
    )
    for pk, *ratings in reviews:
        if len(latest[pk]) < 2:
            latest[pk].append(Rating.POOR in ratings)
    for pk, marks in latest.items():
        if marks == [True, True]:
            flags[pk].append(Flag("reviews", _("Rated poor in a dimension in the last two look-back reviews.")))

    # No mentoring log for the configured number of days (candidates in the pool with a mentor record).
    days = settings.MENTORING_LOG_MAX_DAYS
    cutoff = today - datetime.timedelta(days=days)
    last_logs = (
        MentoringLog.objects.filter(candidate__in=ids)
        .values("candidate_id")
        .annotate(last=Max("date"))
        .filter(last__lt=cutoff)
        .values_list("candidate_id", "last")
    )
    for pk, last in last_logs:
        flags[pk].append(
            Flag(
                "mentoring",
                _("No mentoring log since %(date)s (more than %(days)d days).")
                % {"date": last.isoformat(), "days": days},
            )
        )

    # Assessments in the last year, all fair or worse.
    year_ago = _years_before(today, 1)
    weak = (
        candidates.filter(assessments__date__gt=year_ago)
        .annotate(
            recent=Count("assessments", filter=Q(assessments__date__gt=year_ago)),
            strong=Count(
                "assessments",
                filter=Q(assessments__date__gt=year_ago, assessments__rating__in=[Rating.EXCELLENT, Rating.GOOD]),
            ),
        )
        .filter(strong=0)
        .values_list("pk", "recent")
    )
    for pk, recent in weak:
        flags[pk].append(
            Flag(
                "assessments",
                _("All %(count)d key-task assessments of the last year were fair or poor.") % {"count": recent},
            )
        )
    return dict(flags)
