"""Made-up management records for the demo district (deterministic, created once)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from assessments.models import DIMENSIONS, Assessment, Decision, Rating, Review, ReviewRound
from cadre_pool.models import OrgUnit, Role, User
from candidates.models import Candidate, PoolEvent, PoolStatus

DESCRIPTIONS = {
    Assessment.Kind.INDUSTRY: "牵头发展特色种植，带动农户增收",
    Assessment.Kind.MEDIATION: "参与调解邻里宅基地纠纷，双方达成协议",
    Assessment.Kind.EMERGENCY: "汛期组织群众转移，处置及时",
    Assessment.Kind.MASS_WORK: "走访独居老人，协调解决饮水问题",
}
RATING_WEIGHTS = [(Rating.EXCELLENT, 25), (Rating.GOOD, 45), (Rating.FAIR, 25), (Rating.POOR, 5)]


def _rating(rng: random.Random) -> str:
    values, weights = zip(*RATING_WEIGHTS, strict=True)
    return rng.choices(values, weights=weights)[0]


@transaction.atomic
def seed_management(*, seed: int, district_code: str) -> int:
    """Decisions behind the demo's promotions and exits, assessments and an open round; created once."""
    district = OrgUnit.objects.get(code=district_code)
    if ReviewRound.objects.filter(unit=district).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    staff = User.objects.filter(role=Role.DISTRICT_STAFF, unit=district).order_by("pk").first()
    people = Candidate.objects.filter(township__parent=district)

    decisions = []
    last_events = PoolEvent.objects.filter(
        candidate__in=people.filter(status__in=[PoolStatus.PROMOTED, PoolStatus.EXITED]),
        to_status__in=[PoolStatus.PROMOTED, PoolStatus.EXITED],
        decision__isnull=True,
    ).select_related("candidate")
    for event in last_events:
        candidate = event.candidate
        if event.to_status == PoolStatus.PROMOTED:
            decisions.append(
                Decision(
                    candidate=candidate,
                    kind=Decision.Kind.PROMOTION,
                    post=Decision.Post.VILLAGE_SECRETARY,
                    village_id=candidate.village_id,
                    effective_date=event.created_at.date(),
                    pool_event=event,
                    decided_by=staff,
                    decided_at=event.created_at,
                )
            )
        else:
            decisions.append(
                Decision(
                    candidate=candidate,
                    kind=Decision.Kind.EXIT,
                    exit_reason=rng.choice(list(Decision.ExitReason)),
                    note="示例数据",
                    effective_date=event.created_at.date(),
                    pool_event=event,
                    decided_by=staff,
                    decided_at=event.created_at,
                )
            )
    Decision.objects.bulk_create(decisions)

    in_pool = list(people.filter(status=PoolStatus.IN_POOL).order_by("pk"))
    assessments = []
    for candidate in in_pool:
        for _ in range(rng.choice([0, 0, 1, 2])):
            kind = rng.choice(list(DESCRIPTIONS))
            assessments.append(
                Assessment(
                    candidate=candidate,
                    kind=kind,
                    date=today - datetime.timedelta(days=rng.randint(5, 300)),
                    description=DESCRIPTIONS[kind],
                    rating=_rating(rng),
                    recorded_by=staff,
                )
            )
    Assessment.objects.bulk_create(assessments)

    review_round = ReviewRound.objects.create(
        unit=district,
        name=f"{today.year}年度村级后备力量“回头看”",
        period_start=today.replace(month=1, day=1),
        period_end=today,
        due_date=today + datetime.timedelta(days=21),
        opened_by=staff,
    )
    reviews = []
    now = timezone.now()
    for candidate in in_pool:
        review = Review(round=review_round, candidate=candidate)
        if rng.random() < 0.4:
            for field, _label in DIMENSIONS:
                setattr(review, field, _rating(rng) if rng.random() < 0.3 else Rating.GOOD)
            review.conclusion = Review.Conclusion.KEEP if rng.random() < 0.85 else Review.Conclusion.FOCUS
            review.filled_by = staff
            review.filled_at = now
        reviews.append(review)
    Review.objects.bulk_create(reviews)
    return len(decisions) + len(assessments) + len(reviews)
