"""Cultivation rules, scoping, query budgets and the to-do list."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre_pool.models import OrgUnit
from candidates.models import PoolStatus
from mentorship import services
from mentorship.models import Mentor, MentorAssignment, PlanItem, PostType, Secondment, add_months
from reports import todo
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, MentorFactory

START = datetime.date(2026, 3, 1)


@pytest.fixture
def candidate(reference, district_staff):
    return CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="陈培养")


@pytest.fixture
def mentor(reference):
    return MentorFactory(township=reference[MINGYANG], name="老支书王")


@pytest.fixture
def model_village(reference):
    # Another village than the candidate's own: a secondment is never at home.
    village = OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[0]
    village.is_model_village = True
    village.save(update_fields=["is_model_village"])
    return village


def _secondment(actor, candidate, village, end, **extra):
    return services.plan_secondment(
        actor=actor,
        candidate_id=candidate.pk,
        fields={"host_village": village, "mode": "full_time", "planned_start": START, "planned_end": end, **extra},
    )


# --- the 3–6 month rule -------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(datetime.date(2026, 3, 1), 3) == datetime.date(2026, 6, 1)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_secondment_of_two_months_29_days_is_refused(organiser, candidate, model_village):
    with pytest.raises(ValidationError) as info:
        _secondment(organiser, candidate, model_village, datetime.date(2026, 5, 30))
    assert "planned_end" in info.value.message_dict
    assert not Secondment.objects.exists()


@pytest.mark.parametrize("end", [datetime.date(2026, 6, 1), datetime.date(2026, 9, 1)])
def test_secondment_of_three_to_six_months_is_accepted(organiser, candidate, model_village, end):
    secondment = _secondment(organiser, candidate, model_village, end)
    assert secondment.within_standard_length


def test_secondment_one_day_over_six_months_is_refused(organiser, candidate, model_village):
    with pytest.raises(ValidationError):
        _secondment(organiser, candidate, model_village, datetime.date(2026, 9, 2))


def test_another_length_needs_a_reason_and_district_approval(organiser, district_staff, candidate, model_village):
    long_end = datetime.date(2026, 12, 1)
    with pytest.raises(ValidationError):
        _secondment(organiser, candidate, model_village, long_end)
    asked = _secondment(organiser, candidate, model_village, long_end, override_reason="项目需要")
    assert (asked.approval, asked.decided_by) == ("awaiting", None)
    asked.delete()
    secondment = _secondment(district_staff, candidate, model_village, long_end, override_reason="项目需要")
    assert (secondment.approval, secondment.decided_by, secondment.decision_reason) == (
        "approved",
        district_staff,
        "项目需要",
    )


# --- mentors: capacity and the one lead ---------------------------------------------------------


def test_assigning_beyond_capacity_needs_confirmation(organiser, reference, mentor):
    mentor.capacity = 2
    mentor.save()
    people = CandidateFactory.create_batch(3, township=reference[MINGYANG])
    for person in people[:2]:
        services.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    with pytest.raises(ValidationError) as info:
        services.assign_mentor(actor=organiser, candidate_id=people[2].pk, mentor_id=mentor.pk)
    assert "confirm_over_capacity" in info.value.message_dict
    assert mentor.assignments.count() == 2
    services.assign_mentor(actor=organiser, candidate_id=people[2].pk, mentor_id=mentor.pk, confirm_over_capacity=True)
    assert Mentor.objects.with_load().get(pk=mentor.pk).current_mentees == 3


def test_many_to_one_has_exactly_one_lead(organiser, reference, candidate):
    first, second, third = MentorFactory.create_batch(3, township=reference[MINGYANG])
    a1 = services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=first.pk)
    a2 = services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=second.pk)
    assert (a1.is_lead, a2.is_lead) == (True, False)
    services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=third.pk, is_lead=True)
    leads = MentorAssignment.objects.filter(candidate=candidate, is_lead=True, end_date__isnull=True)
    assert list(leads.values_list("mentor", flat=True)) == [third.pk]
    lead = leads.get()
    services.end_assignment(actor=organiser, assignment_id=lead.pk, end_date=datetime.date.today(), reason="调离")
    leads = MentorAssignment.objects.filter(candidate=candidate, is_lead=True, end_date__isnull=True)
    assert list(leads.values_list("mentor", flat=True)) == [first.pk]


def test_the_database_refuses_a_second_current_lead(organiser, reference, candidate):
    first, second = MentorFactory.create_batch(2, township=reference[MINGYANG])
    services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=first.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorAssignment.objects.create(candidate=candidate, mentor=second, is_lead=True, recorded_by=organiser)


def test_the_same_mentor_cannot_be_assigned_twice(organiser, candidate, mentor):
    services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=mentor.pk)
    with pytest.raises(ValidationError):
        services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=mentor.pk)


def test_organiser_cannot_assign_another_townships_mentor(organiser, reference, candidate):
    outsider = MentorFactory(township=reference[GUANGONG])
    with pytest.raises(Mentor.DoesNotExist):
        services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=outsider.pk)


def test_exited_candidates_get_no_new_records(organiser, reference, mentor):
    gone = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.EXITED)
    with pytest.raises(ValidationError):
        services.assign_mentor(actor=organiser, candidate_id=gone.pk, mentor_id=mentor.pk)


# --- placements and plan items ------------------------------------------------------------------


def test_one_current_placement_per_post_type(organiser, reference, candidate):
    grid = PostType.objects.get(name="专职网格员")
    fields = {"post_type": grid, "village": reference[QILONGSHAN], "start_date": START, "duties": "负责第三网格"}
    placement = services.start_placement(actor=organiser, candidate_id=candidate.pk, fields=fields)
    with pytest.raises(ValidationError) as info:
        services.start_placement(actor=organiser, candidate_id=candidate.pk, fields=fields)
    assert "已担任" in " ".join(info.value.messages) or info.value.messages
    services.end_placement(actor=organiser, placement_id=placement.pk, end_date=START, evaluation="称职")
    services.start_placement(actor=organiser, candidate_id=candidate.pk, fields=fields)
    other = {**fields, "post_type": PostType.objects.get(name="村民小组长")}
    services.start_placement(actor=organiser, candidate_id=candidate.pk, fields=other)
    assert candidate.placements.filter(end_date__isnull=True).count() == 2


def test_a_placement_fills_its_plan_item_and_finishing_it_completes_the_item(organiser, reference, candidate):
    item = services.add_plan_item(
        actor=organiser,
        candidate_id=candidate.pk,
        fields={"kind": "post", "goal": "担任专职网格员半年", "due_date": datetime.date(2026, 12, 31)},
    )
    placement = services.start_placement(
        actor=organiser,
        candidate_id=candidate.pk,
        fields={
            "post_type": PostType.objects.get(name="专职网格员"),
            "village": reference[QILONGSHAN],
            "duties": "网格巡查",
            "plan_item": item,
        },
    )
    item.refresh_from_db()
    assert item.status == PlanItem.Status.IN_PROGRESS
    services.end_placement(
        actor=organiser, placement_id=placement.pk, end_date=datetime.date.today(), evaluation="优秀"
    )
    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE


def test_plan_item_of_another_kind_cannot_be_filled(organiser, reference, candidate, model_village):
    item = services.add_plan_item(
        actor=organiser, candidate_id=candidate.pk, fields={"kind": "course", "goal": "培训", "due_date": START}
    )
    with pytest.raises(ValidationError):
        _secondment(organiser, candidate, model_village, datetime.date(2026, 7, 1), plan_item=item)


# --- scoping ------------------------------------------------------------------------------------


def test_other_township_gets_404_on_every_cultivation_page(client, other_organiser, organiser, candidate, mentor):
    assignment = services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=mentor.pk)
    client.force_login(other_organiser)
    urls = [
        reverse("mentorship:candidate", args=[candidate.pk]),
        reverse("mentorship:assign_mentor", args=[candidate.pk]),
        reverse("mentorship:log_create", args=[candidate.pk]),
        reverse("mentorship:plan_create", args=[candidate.pk]),
        reverse("mentorship:placement_create", args=[candidate.pk]),
        reverse("mentorship:secondment_create", args=[candidate.pk]),
        reverse("mentorship:course_create", args=[candidate.pk]),
        reverse("mentorship:assignment_end", args=[assignment.pk]),
        reverse("mentorship:mentor_edit", args=[mentor.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert "老支书王" not in client.get(reverse("mentorship:mentors")).text


def test_leader_reads_cultivation_but_cannot_write(client, leader, candidate):
    client.force_login(leader)
    assert client.get(reverse("mentorship:candidate", args=[candidate.pk])).status_code == 200
    assert client.get(reverse("mentorship:assign_mentor", args=[candidate.pk])).status_code == 403


def test_organiser_cannot_move_a_mentor_to_another_township(client, organiser, reference, mentor):
    client.force_login(organiser)
    data = {"name": "老支书王", "role": "retired_secretary", "township": reference[GUANGONG].pk, "capacity": 3}
    data["active"] = "on"
    response = client.post(reverse("mentorship:mentor_edit", args=[mentor.pk]), data)
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.township_id, mentor.role) == (reference[MINGYANG].pk, "retired_secretary")


# --- pages through the browser client ------------------------------------------------------------


def test_capacity_confirmation_through_the_page(client, organiser, reference, mentor):
    mentor.capacity = 1
    mentor.save()
    first, second = CandidateFactory.create_batch(2, township=reference[MINGYANG])
    services.assign_mentor(actor=organiser, candidate_id=first.pk, mentor_id=mentor.pk)
    client.force_login(organiser)
    url = reverse("mentorship:assign_mentor", args=[second.pk])
    response = client.post(url, {"mentor": mentor.pk, "start_date": "2026-03-01"})
    assert response.status_code == 200
    assert "超出" in response.text or "上限" in response.text
    response = client.post(url, {"mentor": mentor.pk, "start_date": "2026-03-01", "confirm_over_capacity": "on"})
    assert response.status_code == 302
    assert second.mentor_assignments.count() == 1


def test_secondment_page_shows_the_chinese_window_error(client, organiser, candidate, model_village):
    client.force_login(organiser)
    response = client.post(
        reverse("mentorship:secondment_create", args=[candidate.pk]),
        {
            "host_village": model_village.pk,
            "mode": "full_time",
            "planned_start": "2026-03-01",
            "planned_end": "2026-05-30",
        },
    )
    assert response.status_code == 200
    assert "挂职时间为 3 至 6 个月" in response.text
    assert not Secondment.objects.exists()


def test_secondment_hosts_default_to_model_and_star_villages(client, organiser, candidate, model_village, reference):
    client.force_login(organiser)
    url = reverse("mentorship:secondment_create", args=[candidate.pk])
    choices = client.get(url).context["form"].fields["host_village"].queryset
    assert list(choices) == [model_village]
    everything = client.get(url, {"all_villages": "1"}).context["form"].fields["host_village"].queryset
    assert everything.count() == 309


# --- timeline and panel -------------------------------------------------------------------------


def test_cultivation_appears_on_the_candidate_file_and_timeline(client, organiser, candidate, mentor, model_village):
    services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=mentor.pk)
    services.record_mentoring_log(
        actor=organiser,
        candidate_id=candidate.pk,
        fields={"mentor": mentor, "date": START, "kind": "policy_study", "content": "学习乡村振兴政策"},
    )
    _secondment(organiser, candidate, model_village, datetime.date(2026, 7, 1))
    client.force_login(organiser)
    response = client.get(reverse("candidate_file", args=[candidate.pk]))
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert {"pool", "mentoring", "secondment"} <= set(kinds)
    assert "老支书王" in response.text
    filtered = client.get(reverse("candidate_file", args=[candidate.pk]), {"kind": "mentoring"})
    assert {entry.kind for entry in filtered.context["timeline"]} == {"mentoring"}


# --- query budgets ------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def _grow(organiser, reference, count):
    for _ in range(count):
        person = CandidateFactory(township=reference[MINGYANG])
        mentor = MentorFactory(township=reference[MINGYANG])
        services.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
        services.add_plan_item(
            actor=organiser, candidate_id=person.pk, fields={"kind": "other", "goal": "x", "due_date": START}
        )
        services.record_mentoring_log(
            actor=organiser, candidate_id=person.pk, fields={"mentor": mentor, "kind": "speaking", "content": "练"}
        )


@pytest.mark.parametrize(
    ("url_name", "budget"),
    # To-do: session ×2, user, then one query per provider (incomplete files, mentoring, secondments,
    # plan, reviews due) and four for the attention flags (age, reviews, mentoring, assessments).
    [("mentorship:mentors", 5), ("todo", 12), ("mentorship:logs", 6)],
)
def test_list_pages_keep_their_budget(client, organiser, reference, url_name, budget):
    client.force_login(organiser)
    _grow(organiser, reference, 2)
    few = _queries(client, reverse(url_name))
    _grow(organiser, reference, 12)
    many = _queries(client, reverse(url_name))
    assert few == many <= budget


def test_cultivation_page_budget_does_not_grow(client, organiser, reference, candidate, model_village):
    client.force_login(organiser)
    url = reverse("mentorship:candidate", args=[candidate.pk])
    few = _queries(client, url)
    for mentor in MentorFactory.create_batch(3, township=reference[MINGYANG]):
        services.assign_mentor(actor=organiser, candidate_id=candidate.pk, mentor_id=mentor.pk)
        services.record_mentoring_log(
            actor=organiser, candidate_id=candidate.pk, fields={"mentor": mentor, "kind": "speaking", "content": "演讲"}
        )
    _secondment(organiser, candidate, model_village, datetime.date(2026, 7, 1))
    assert _queries(client, url) == few <= 10


# --- the to-do list as the clock moves ----------------------------------------------------------


def _kinds(user, day):
    return sorted(item.kind for item in todo.items_for(user, day))


def test_todo_flags_missing_logs_after_the_configured_days(organiser, candidate, mentor, settings):
    settings.MENTORING_LOG_MAX_DAYS = 60
    services.record_mentoring_log(
        actor=organiser, candidate_id=candidate.pk, fields={"date": START, "kind": "mass_work", "content": "走访"}
    )
    assert "mentoring_log_missing" not in _kinds(organiser, START + datetime.timedelta(days=60))
    assert "mentoring_log_missing" in _kinds(organiser, START + datetime.timedelta(days=61))


def test_todo_tracks_a_secondment_from_ending_soon_to_missing_evaluation(organiser, candidate, model_village):
    secondment = _secondment(organiser, candidate, model_village, datetime.date(2026, 7, 1))
    assert "secondment_ending" not in _kinds(organiser, datetime.date(2026, 6, 16))
    assert "secondment_ending" in _kinds(organiser, datetime.date(2026, 6, 17))
    assert "secondment_evaluation" in _kinds(organiser, datetime.date(2026, 7, 2))
    services.end_secondment(
        actor=organiser,
        secondment_id=secondment.pk,
        actual_end=datetime.date(2026, 7, 1),
        learned="产业规划",
        host_evaluation="表现突出",
    )
    assert not {"secondment_ending", "secondment_evaluation"} & set(_kinds(organiser, datetime.date(2026, 7, 2)))


def test_todo_flags_overdue_plan_items_and_stays_in_scope(organiser, other_organiser, candidate):
    services.add_plan_item(
        actor=organiser, candidate_id=candidate.pk, fields={"kind": "course", "goal": "参加示范培训", "due_date": START}
    )
    assert "plan_overdue" not in _kinds(organiser, START)
    assert "plan_overdue" in _kinds(organiser, START + datetime.timedelta(days=1))
    assert "plan_overdue" not in _kinds(other_organiser, START + datetime.timedelta(days=1))


def test_todo_page_follows_the_clock(client, organiser, candidate):
    services.add_plan_item(
        actor=organiser, candidate_id=candidate.pk, fields={"kind": "course", "goal": "参加示范培训", "due_date": START}
    )
    with time_machine.travel(datetime.datetime(2026, 2, 20, 10, tzinfo=datetime.UTC)):
        client.force_login(organiser)
        assert "参加示范培训" not in client.get(reverse("todo")).text
    with time_machine.travel(datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC)):
        client.force_login(organiser)
        assert "参加示范培训" in client.get(reverse("todo")).text
