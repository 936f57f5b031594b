"""Figures kept on the rows for the dashboard (issue 8) stay equal to what they summarise.

`Candidate.has_current_mentor / _post / _secondment` are kept by the mentorship services and
`PoolEvent.township` by the candidate services, in the transaction that writes the record.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from candidates.models import Candidate, PoolEvent, PoolStatus
from candidates.services import change_status, create_candidate
from mentorship import services
from mentorship.models import MentorAssignment, Placement, PostType, Secondment
from reports import statistics
from tests.candidates.test_information_file import _fields
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory, MentorFactory
from tests.site.test_concurrency import _run

START = datetime.date(2026, 3, 1)


def _truth(candidate) -> tuple[bool, bool, bool]:
    """The flags computed from the records themselves."""
    row = Candidate.objects.annotate(
        m=Exists(MentorAssignment.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)),
        p=Exists(Placement.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)),
        s=Exists(Secondment.objects.filter(candidate=OuterRef("pk"), actual_end__isnull=True)),
    ).get(pk=candidate.pk)
    return row.m, row.p, row.s


def _flags(candidate) -> tuple[bool, bool, bool]:
    return tuple(
        Candidate.objects.filter(pk=candidate.pk).values_list(
            "has_current_mentor", "has_current_post", "has_current_secondment"
        )[0]
    )


@pytest.fixture
def candidate(reference, district_staff):
    return CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="陈培养")


def test_flags_follow_every_start_and_end(organiser, reference, candidate):
    first = MentorFactory(township=reference[MINGYANG])
    second = MentorFactory(township=reference[MINGYANG])
    seen = []

    def check():
        seen.append(_flags(candidate))
        assert seen[-1] == _truth(candidate)

    a1 = services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=first.pk)
    check()
    a2 = services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=second.pk)
    services.end_assignment(actor=organiser, assignment_id=a1.pk, end_date=timezone.localdate(), reason="调动")
    check()  # the second mentor is still current
    services.end_assignment(actor=organiser, assignment_id=a2.pk, end_date=timezone.localdate(), reason="调动")
    check()
    post = {
        "post_type": PostType.objects.get(name="专职网格员"),
        "village": reference[QILONGSHAN],
        "start_date": START,
        "duties": "负责第三网格",
    }
    placement = services.start_placement(actor=organiser, candidate_id=candidate.pk, fields=post)
    check()
    services.end_placement(actor=organiser, placement_id=placement.pk, end_date=START, evaluation="称职")
    check()
    village = reference[XINAN]  # a secondment is never in the person's own village
    village.is_model_village = True
    village.save(update_fields=["is_model_village"])
    secondment = services.plan_secondment(
        actor=organiser,
        candidate_id=candidate.pk,
        fields={
            "host_village": village,
            "mode": "full_time",
            "planned_start": START,
            "planned_end": datetime.date(2026, 7, 1),
        },
    )
    check()
    services.end_secondment(
        actor=organiser, secondment_id=secondment.pk, actual_end=START, learned="学到了", host_evaluation="好"
    )
    check()
    assert seen == [
        (True, False, False),
        (True, False, False),
        (False, False, False),
        (False, True, False),
        (False, False, False),
        (False, False, True),
        (False, False, False),
    ]


def test_dashboard_progress_counts_the_flags_of_people_in_the_pool(organiser, district_staff, reference):
    mentor = MentorFactory(township=reference[MINGYANG], capacity=10)
    people = [CandidateFactory(township=reference[MINGYANG]) for _ in range(3)]
    CandidateFactory(township=reference[GUANGONG])
    for person in people[:2]:
        services.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    progress = statistics.cultivation_progress(statistics.visible_candidates(district_staff))
    modes = {"seconded_full_time": 0, "seconded_part_time": 0}
    assert progress == {"in_pool": 4, "mentored": 2, "placed": 0, "seconded": 0, **modes}
    progress = statistics.cultivation_progress(statistics.visible_candidates(organiser))
    assert progress == {"in_pool": 3, "mentored": 2, "placed": 0, "seconded": 0, **modes}


def test_every_event_carries_its_files_township(organiser, district_staff, reference):
    candidate = create_candidate(actor=organiser, township=reference[MINGYANG], fields=_fields())
    for status in (PoolStatus.CONTACTED, PoolStatus.WILLING, PoolStatus.FILED, PoolStatus.PROPOSED):
        change_status(actor=organiser, candidate_id=candidate.pk, to_status=status)
    change_status(actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.IN_POOL, reason="研究同意")
    events = PoolEvent.objects.filter(candidate=candidate)
    assert events.count() == 6
    assert set(events.values_list("township_id", flat=True)) == {reference[MINGYANG].pk}


def test_monthly_movements_equal_the_count_per_person(organiser, district_staff, reference):
    """The range scan over the townships' events counts what the old per-person count counted."""
    now = timezone.now()
    for township, n in ((MINGYANG, 3), (GUANGONG, 2)):
        for i in range(n):
            person = CandidateFactory(township=reference[township])
            PoolEvent.objects.filter(candidate=person).update(created_at=now - datetime.timedelta(days=40 * i))
    today = timezone.localdate()
    for user, township in ((district_staff, None), (district_staff, reference[GUANGONG]), (organiser, None)):
        scope = statistics.visible_candidates(user, township)
        expected = PoolEvent.objects.filter(candidate__in=scope, to_status=PoolStatus.IN_POOL).count()
        months = statistics.monthly_movements(user, township, today=today)
        assert sum(row["entered"] for row in months) == expected > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_mentors_ended_at_once_leave_no_stale_flag(reference, organiser, district_staff):
    """Each end locks the file first: the two neither deadlock (they did, when the record and the file
    were locked in one statement) nor leave the flag set from a snapshot taken before the other's end."""
    for attempt in range(5):
        candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
        assignments = [
            services.assign_mentor(
                actor=organiser,
                candidate_id=candidate.pk,
                mentor_id=MentorFactory(township=reference[MINGYANG]).pk,
            )
            for _ in range(2)
        ]
        barrier = threading.Barrier(2)
        errors = []

        def end(assignment, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                services.end_assignment(
                    actor=organiser, assignment_id=assignment.pk, end_date=timezone.localdate(), reason="调动"
                )
            except Exception as exc:  # reported by the assertion below
                errors.append(repr(exc))
            finally:
                connection.close()

        _run([threading.Thread(target=end, args=(a,)) for a in assignments])
        assert not errors, errors
        assert _flags(candidate) == _truth(candidate) == (False, False, False), attempt
