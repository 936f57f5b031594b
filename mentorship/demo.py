"""Made-up cultivation records for the demo district (deterministic, created once)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from cadre_pool.models import OrgUnit, Role, User
from candidates.demo import make_name
from candidates.models import Candidate, PoolStatus
from mentorship.models import (
    Mentor,
    MentorAssignment,
    MentoringLog,
    Placement,
    PlanItem,
    PostType,
    Secondment,
    add_months,
)
from mentorship.services import refresh_current_flags

LOG_TEXTS = {
    MentoringLog.Kind.POLICY_STUDY: "共同学习乡村振兴相关政策，交流心得",
    MentoringLog.Kind.SPEAKING: "模拟村民大会发言，导师逐句点评",
    MentoringLog.Kind.VILLAGERS_MEETING: "在导师指导下主持村民议事会",
    MentoringLog.Kind.POLICY_TALK: "到村民小组开展政策宣讲",
    MentoringLog.Kind.MEDIATION: "随导师调解邻里土地纠纷",
    MentoringLog.Kind.MASS_WORK: "随导师走访困难群众，了解诉求",
}


@transaction.atomic
def seed_cultivation(*, seed: int, district_code: str) -> int:
    """Mentors and cultivation records for the district's candidates; skipped once mentors exist."""
    district = OrgUnit.objects.get(code=district_code)
    if Mentor.objects.filter(township__parent=district).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    recorder = User.objects.filter(role=Role.DISTRICT_STAFF).order_by("pk").first()
    posts = list(PostType.objects.filter(active=True))
    hosts = list(OrgUnit.objects.villages().within(district).filter(is_model_village=True))
    in_pool = list(
        Candidate.objects.filter(township__parent=district, status=PoolStatus.IN_POOL).order_by("township__code", "pk")
    )
    by_township: dict[int, list[Candidate]] = {}
    for candidate in in_pool:
        by_township.setdefault(candidate.township_id, []).append(candidate)

    mentors = []
    for township_id, people in by_township.items():
        for _ in range(len(people) // 3 + 1):
            mentors.append(
                Mentor(
                    name=make_name(rng, rng.random() < 0.8),
                    role=rng.choice(list(Mentor.Role)),
                    work_unit=rng.choice(["镇党委组织办", "村党支部", "镇农业服务中心", "村委会"]),
                    township_id=township_id,
                    phone=f"1370000{rng.randrange(0, 10000):04d}",
                    capacity=3,
                )
            )
    Mentor.objects.bulk_create(mentors)
    mentors_by_township: dict[int, list[Mentor]] = {}
    for mentor in mentors:
        mentors_by_township.setdefault(mentor.township_id, []).append(mentor)

    assignments, logs, placements, secondments, plan_items = [], [], [], [], []
    for township_id, people in by_township.items():
        for index, candidate in enumerate(people):
            mentor = mentors_by_township[township_id][index // 3]
            start = today - datetime.timedelta(days=rng.randint(90, 400))
            assignments.append(
                MentorAssignment(
                    candidate=candidate, mentor=mentor, is_lead=True, start_date=start, recorded_by=recorder
                )
            )
            # Most are coached regularly; a few have gone quiet and show up on the to-do list.
            last = today - datetime.timedelta(days=rng.choice([5, 12, 20, 35, 48, 75]))
            for step in range(rng.randint(1, 4)):
                kind = rng.choice(list(LOG_TEXTS))
                logs.append(
                    MentoringLog(
                        candidate=candidate,
                        mentor=mentor,
                        date=max(start, last - datetime.timedelta(days=30 * step)),
                        kind=kind,
                        content=LOG_TEXTS[kind],
                        mentor_comment=rng.choice(["", "进步明显", "需加强群众工作方法"]),
                        recorded_by=recorder,
                    )
                )
            if rng.random() < 0.4 and posts:
                placements.append(
                    Placement(
                        candidate=candidate,
                        post_type=rng.choice(posts),
                        village_id=candidate.village_id,
                        start_date=start + datetime.timedelta(days=30),
                        duties="协助村党组织书记开展日常工作",
                        recorded_by=recorder,
                    )
                )
            if rng.random() < 0.1 and hosts:
                planned_start = today - datetime.timedelta(days=rng.randint(20, 150))
                secondments.append(
                    Secondment(
                        candidate=candidate,
                        # Never the person's own village: a secondment is learning elsewhere.
                        host_village=rng.choice([h for h in hosts if h.pk != candidate.village_id]),
                        mode=rng.choice(list(Secondment.Mode)),
                        planned_start=planned_start,
                        planned_end=add_months(planned_start, rng.choice([3, 4, 6])),
                        recorded_by=recorder,
                    )
                )
            if rng.random() < 0.3:
                plan_items.append(
                    PlanItem(
                        candidate=candidate,
                        kind=PlanItem.Kind.COURSE,
                        goal="参加全区村级后备力量示范培训班",
                        due_date=today + datetime.timedelta(days=rng.randint(-20, 90)),
                        recorded_by=recorder,
                    )
                )
    for model, rows in [
        (MentorAssignment, assignments),
        (MentoringLog, logs),
        (Placement, placements),
        (Secondment, secondments),
        (PlanItem, plan_items),
    ]:
        model.objects.bulk_create(rows, batch_size=1000)
    refresh_current_flags({row.candidate_id for row in [*assignments, *placements, *secondments]})
    return len(mentors)
