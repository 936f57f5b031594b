"""Life events close what they end: promotion and exit end the person's cultivation and look-back reviews
in the decision's transaction, and a person who comes back after an exit starts a clean record.

Each event runs on a candidate with two mentors (one of whom also coaches someone else), a current post,
a running and a planned secondment, an open growth-plan item, an unfilled review in an open round and a
filled one in a closed round; every table the event touches is checked, and so is that nothing of the
other candidate changed.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as management
from assessments.models import Decision, Review, ReviewRound
from cadre_pool.models import AuditAction, AuditEvent
from candidates.models import Candidate, PoolStatus
from candidates.services import change_status
from mentorship import services as cultivation
from mentorship.models import Mentor, MentorAssignment, Placement, PlanItem, PostType, Secondment, add_months
from reports import timeline, todo
from tests.conftest import MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory, MentorFactory

TODAY = timezone.localdate()
RATED = {"political": "good", "ability": "good", "style": "good", "reputation": "good", "conclusion": "keep"}
CLOSING_SERVICES = ("close_cultivation", "leave_reviews")


def _round(district_staff, name, candidates):
    return management.open_round(
        actor=district_staff,
        name=name,
        period_start=TODAY - datetime.timedelta(days=180),
        period_end=TODAY,
        due_date=TODAY + datetime.timedelta(days=20),
        candidate_ids=[c.pk for c in candidates],
    )


def _cultivate(organiser, person, *, mentors, post_name, host, planned=True):
    """Mentors, a current post, a running secondment (and a planned one after it), an open plan item."""
    for mentor in mentors:
        cultivation.assign_mentor(
            actor=organiser,
            candidate_id=person.pk,
            mentor_id=mentor.pk,
            start_date=TODAY - datetime.timedelta(days=120),
        )
    cultivation.start_placement(
        actor=organiser,
        candidate_id=person.pk,
        fields={
            "post_type": PostType.objects.get(name=post_name),
            "village": person.village,
            "start_date": TODAY - datetime.timedelta(days=90),
            "duties": "协助书记处理日常党务，  负责第３网格\n（含外出务工人员联络）",
        },
    )
    running_start = TODAY - datetime.timedelta(days=30)
    secondments = [(running_start, add_months(running_start, 4))]
    if planned:
        planned_start = add_months(running_start, 4) + datetime.timedelta(days=10)
        secondments.append((planned_start, add_months(planned_start, 3)))
    for start, end in secondments:
        cultivation.plan_secondment(
            actor=organiser,
            candidate_id=person.pk,
            fields={"host_village": host, "mode": "part_time", "planned_start": start, "planned_end": end},
        )
    cultivation.add_plan_item(
        actor=organiser,
        candidate_id=person.pk,
        fields={"kind": "course", "goal": "参加全区示范培训班", "due_date": TODAY - datetime.timedelta(days=3)},
    )


@pytest.fixture
def world(reference, organiser, district_staff):
    leaving = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="欧阳 建国")
    staying = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="李·晓梅")
    shared = MentorFactory(township=reference[MINGYANG], name="王老书记", capacity=3)
    own = MentorFactory(township=reference[MINGYANG], name="张  导师", capacity=2)
    _cultivate(organiser, leaving, mentors=[shared, own], post_name="村党组织书记助理", host=reference[XINAN])
    _cultivate(organiser, staying, mentors=[shared], post_name="专职网格员", host=reference[XINAN], planned=False)
    closed_round = _round(district_staff, "2025年度回头看", [leaving, staying])
    for review in closed_round.reviews.all():
        management.fill_review(actor=organiser, review_id=review.pk, fields=RATED)
    management.close_round(actor=district_staff, round_id=closed_round.pk)
    open_round = _round(district_staff, "2026年上半年回头看", [leaving, staying])
    return {
        "leaving": leaving,
        "staying": staying,
        "shared": shared,
        "own": own,
        "closed_round": closed_round,
        "open_round": open_round,
    }


def _flags(person) -> tuple[bool, bool, bool]:
    return tuple(
        Candidate.objects.filter(pk=person.pk).values_list(
            "has_current_mentor", "has_current_post", "has_current_secondment"
        )[0]
    )


def _load(mentor) -> int:
    return Mentor.objects.with_load().get(pk=mentor.pk).current_mentees


def _everything_of(person) -> dict:
    """Every row the life events touch, for one person: to show that another person's stay as they were."""
    return {
        "file": Candidate.objects.filter(pk=person.pk).values(
            "status", "version", "has_current_mentor", "has_current_post", "has_current_secondment"
        )[0],
        "assignments": list(MentorAssignment.objects.filter(candidate=person).order_by("pk").values()),
        "placements": list(Placement.objects.filter(candidate=person).order_by("pk").values()),
        "secondments": list(Secondment.objects.filter(candidate=person).order_by("pk").values()),
        "plan": list(PlanItem.objects.filter(candidate=person).order_by("pk").values()),
        "reviews": list(Review.objects.filter(candidate=person).order_by("pk").values()),
    }


def _closing_rows(person):
    ids = {
        "mentorship.mentorassignment": MentorAssignment.objects.filter(candidate=person).values_list("pk", flat=True),
        "mentorship.placement": Placement.objects.filter(candidate=person).values_list("pk", flat=True),
        "mentorship.secondment": Secondment.objects.filter(candidate=person).values_list("pk", flat=True),
        "mentorship.planitem": PlanItem.objects.filter(candidate=person).values_list("pk", flat=True),
    }
    rows = AuditEvent.objects.filter(extra__service__in=CLOSING_SERVICES)
    return [
        row
        for row in rows.order_by("pk")
        if row.object_type == "assessments.review" or row.object_id in {str(pk) for pk in ids.get(row.object_type, ())}
    ]


def _todo_names(user) -> list[str]:
    return [item.candidate_name for item in todo.items_for(user, TODAY)]


def _assert_closed(world, *, why_contains: str, on: datetime.date):
    leaving = world["leaving"]
    assignments = list(MentorAssignment.objects.filter(candidate=leaving).order_by("pk"))
    assert [(a.end_date, a.is_lead) for a in assignments] == [(on, False), (on, False)]
    assert all(why_contains in a.end_reason for a in assignments)
    # The shared mentor keeps the other mentee; the other mentor is free again.
    assert (_load(world["shared"]), _load(world["own"])) == (1, 0)
    (placement,) = Placement.objects.filter(candidate=leaving)
    assert placement.end_date == on
    running, planned = Secondment.objects.filter(candidate=leaving).order_by("planned_start")
    assert (running.actual_end, running.cancelled_on) == (on, None)
    assert (planned.actual_end, planned.cancelled_on) == (planned.planned_start, on)
    assert list(PlanItem.objects.filter(candidate=leaving).values_list("status", flat=True)) == ["dropped"]
    assert _flags(leaving) == (False, False, False)
    # The unfilled review of the open round is gone, the filled one of the closed round stays.
    assert not Review.objects.filter(round=world["open_round"], candidate=leaving).exists()
    assert Review.objects.get(round=world["closed_round"], candidate=leaving).is_done
    open_round = ReviewRound.objects.get(pk=world["open_round"].pk)
    assert (open_round.reviews.count(), open_round.reviews.filter(filled_at__isnull=False).count()) == (1, 0)

    rows = _closing_rows(leaving)
    by_type = sorted((row.object_type, row.action) for row in rows)
    assert by_type == [
        ("assessments.review", AuditAction.DELETE),
        ("mentorship.mentorassignment", AuditAction.UPDATE),
        ("mentorship.mentorassignment", AuditAction.UPDATE),
        ("mentorship.placement", AuditAction.UPDATE),
        ("mentorship.planitem", AuditAction.UPDATE),
        ("mentorship.secondment", AuditAction.UPDATE),
        ("mentorship.secondment", AuditAction.UPDATE),
    ]
    assert all(why_contains in row.extra["reason"] for row in rows)
    cancelled = next(r for r in rows if (r.object_type, r.object_id) == ("mentorship.secondment", str(planned.pk)))
    assert cancelled.after == {"actual_end": planned.planned_start.isoformat(), "cancelled_on": on.isoformat()}

    decision = Decision.objects.get(candidate=leaving)
    assert decision.closed == {
        "mentors": ["王老书记", "张  导师"],
        "posts": ["村党组织书记助理（骑龙山村）"],
        "secondments_ended": ["西南村"],
        "secondments_cancelled": ["西南村"],
        "plan_items": ["参加全区示范培训班"],
        "reviews": ["2026年上半年回头看"],
    }
    lines = [entry.title for entry in timeline.for_candidate(Candidate.objects.get(pk=leaving.pk))]
    closing = next(line for line in lines if line.startswith("随决定一并结束"))
    for words in ("王老书记", "张  导师", "村党组织书记助理（骑龙山村）", "取消计划挂职：西南村", "2026年上半年回头看"):
        assert words in closing
    assert "取消西南村的计划挂职" in lines
    assert lines.count("西南村挂职结束") == 1
    assert any(line.startswith("结束导师帮带：张  导师") for line in lines)
    return decision


def test_promotion_closes_cultivation_and_reviews(world, district_staff, organiser, reference):
    staying = _everything_of(world["staying"])
    assert world["leaving"].name in _todo_names(district_staff)
    management.decide_promotion(
        actor=district_staff, candidate_id=world["leaving"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    assert Candidate.objects.get(pk=world["leaving"].pk).status == PoolStatus.PROMOTED
    _assert_closed(world, why_contains="骑龙山村", on=TODAY)
    for user in (district_staff, organiser):
        names = _todo_names(user)
        assert world["leaving"].name not in names
        assert world["staying"].name in names  # their review is still due, their plan item overdue
    assert _everything_of(world["staying"]) == staying


def test_exit_closes_cultivation_and_reviews_on_the_decision_date(world, district_staff, organiser):
    staying = _everything_of(world["staying"])
    on = TODAY - datetime.timedelta(days=2)
    management.decide_exit(
        actor=district_staff,
        candidate_id=world["leaving"].pk,
        exit_reason="moved",
        note="全家迁居成都，\n无法继续履职",
        effective_date=on,
    )
    assert Candidate.objects.get(pk=world["leaving"].pk).status == PoolStatus.EXITED
    _assert_closed(world, why_contains="迁出或长期外出", on=on)
    assert world["leaving"].name not in _todo_names(district_staff) + _todo_names(organiser)
    assert _everything_of(world["staying"]) == staying


def test_a_pending_proposal_is_answered_by_the_decision_that_ends_it(world, district_staff, organiser, reference):
    """A promotion proposed in the open round, then an exit decided directly: the proposal leaves the list."""
    review = Review.objects.get(round=world["open_round"], candidate=world["leaving"])
    management.fill_review(
        actor=organiser,
        review_id=review.pk,
        fields={**RATED, "conclusion": "promote", "conclusion_note": "群众基础好"},
    )
    management.decide_exit(actor=district_staff, candidate_id=world["leaving"].pk, exit_reason="own_wish", note="外出")
    review.refresh_from_db()
    assert review.proposal_status == Review.ProposalStatus.DECLINED
    assert "本人意愿" in review.conclusion_note
    assert Decision.objects.get(candidate=world["leaving"]).closed["proposals"] == ["2026年上半年回头看"]
    assert "reviews" not in Decision.objects.get(candidate=world["leaving"]).closed  # it was filled: kept
    assert world["leaving"].name not in _todo_names(district_staff)


def _walk_back_into_the_pool(organiser, district_staff, person):
    change_status(actor=organiser, candidate_id=person.pk, to_status=PoolStatus.PROSPECT, reason="返乡创业")
    for status in (PoolStatus.CONTACTED, PoolStatus.WILLING, PoolStatus.FILED, PoolStatus.PROPOSED):
        change_status(actor=organiser, candidate_id=person.pk, to_status=status)
    change_status(actor=district_staff, candidate_id=person.pk, to_status=PoolStatus.IN_POOL, reason="研究同意")


def test_re_entry_after_an_exit_starts_a_clean_cultivation_record(world, district_staff, organiser, client):
    leaving = world["leaving"]
    management.decide_exit(actor=district_staff, candidate_id=leaving.pk, exit_reason="own_wish", note="外出务工")
    closed_before = len(_closing_rows(leaving))
    staying = _everything_of(world["staying"])
    _walk_back_into_the_pool(organiser, district_staff, leaving)
    # Nothing carried over: no current record, no review due, nothing closed a second time.
    assert _flags(leaving) == (False, False, False)
    assert not MentorAssignment.objects.filter(candidate=leaving, end_date__isnull=True).exists()
    assert not Review.objects.filter(candidate=leaving, filled_at__isnull=True).exists()
    assert [(i.kind, i.message) for i in todo.items_for(organiser, TODAY) if i.candidate_name == leaving.name] == []
    assert len(_closing_rows(leaving)) == closed_before
    # The new period's mentor is current; the earlier ones are history.
    newcomer = MentorFactory(township=leaving.township, name="赵新导师")
    assignment = cultivation.assign_mentor(actor=organiser, candidate_id=leaving.pk, mentor_id=newcomer.pk)
    assert assignment.is_lead
    assert _flags(leaving) == (True, False, False)
    client.force_login(organiser)
    page = client.get(reverse("candidate_file", args=[leaving.pk])).content.decode()
    panel = page[page.index('data-testid="cultivation-panel"') :]
    current_mentors = panel.split("</dd>")[0]
    assert "赵新导师" in current_mentors
    assert "王老书记" not in current_mentors
    assert "已结束：导师帮带 2 项，岗位锻炼 1 项，挂职历练 2 项" in panel
    cultivation_page = client.get(reverse("mentorship:candidate", args=[leaving.pk])).content.decode()
    assert cultivation_page.count(">结束<") == 1  # only the new mentor's link
    # A round opened now takes the person in again, as anyone in the pool.
    new_round = _round(district_staff, "2026年下半年回头看", [leaving])
    assert new_round.reviews.filter(candidate=leaving).exists()
    assert _everything_of(world["staying"]) == staying


def test_the_file_page_keeps_the_history_while_the_person_is_back_in_the_funnel(
    world, district_staff, organiser, client
):
    leaving = world["leaving"]
    management.decide_exit(actor=district_staff, candidate_id=leaving.pk, exit_reason="own_wish", note="外出务工")
    change_status(actor=organiser, candidate_id=leaving.pk, to_status=PoolStatus.PROSPECT, reason="返乡")
    client.force_login(organiser)
    page = client.get(reverse("candidate_file", args=[leaving.pk])).content.decode()
    assert 'data-testid="cultivation-history"' in page


def test_an_exit_outside_a_decision_is_refused_while_cultivation_is_open(reference, organiser, district_staff, client):
    """Before the pool (filed) an exit is a status change: it may not leave a mentor or post running."""
    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], status=PoolStatus.FILED)
    mentor = MentorFactory(township=reference[MINGYANG])
    assignment = cultivation.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    client.force_login(district_staff)
    response = client.post(
        reverse("candidates:change_status", args=[person.pk]),
        {"to_status": "exited", "reason": "本人放弃"},
        follow=True,
    )
    assert "请先在培养记录中结束，再调整出库" in response.content.decode()
    with pytest.raises(ValidationError) as info:
        change_status(actor=district_staff, candidate_id=person.pk, to_status=PoolStatus.EXITED, reason="本人放弃")
    assert info.value.code == "open_cultivation"
    assert person.name in info.value.messages[0]
    assert Candidate.objects.get(pk=person.pk).status == PoolStatus.FILED
    cultivation.end_assignment(actor=organiser, assignment_id=assignment.pk, end_date=TODAY, reason="本人放弃")
    change_status(actor=district_staff, candidate_id=person.pk, to_status=PoolStatus.EXITED, reason="本人放弃")
    assert Candidate.objects.get(pk=person.pk).status == PoolStatus.EXITED


def test_records_left_open_are_closable_and_block_a_re_entry(reference, organiser, district_staff, client):
    """Files that left before life events closed anything: the end links stay, and coming back waits for them."""
    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    mentor = MentorFactory(township=reference[MINGYANG])
    assignment = cultivation.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    Candidate.objects.filter(pk=person.pk).update(status=PoolStatus.EXITED)
    with pytest.raises(ValidationError) as info:
        change_status(actor=organiser, candidate_id=person.pk, to_status=PoolStatus.PROSPECT, reason="返乡")
    assert info.value.code == "open_cultivation"
    client.force_login(organiser)
    page = client.get(reverse("mentorship:candidate", args=[person.pk])).content.decode()
    end_url = reverse("mentorship:assignment_end", args=[assignment.pk])
    assert end_url in page
    response = client.post(end_url, {"end_date": TODAY.isoformat(), "reason": "已出库"})
    assert response.status_code == 302
    assert _flags(person) == (False, False, False)
    assert end_url not in client.get(reverse("mentorship:candidate", args=[person.pk])).content.decode()
    change_status(actor=organiser, candidate_id=person.pk, to_status=PoolStatus.PROSPECT, reason="返乡")


def test_deciding_twice_is_a_message_and_closes_nothing_twice(world, district_staff, reference, client):
    client.force_login(district_staff)
    url = reverse("assessments:decide_promotion", args=[world["leaving"].pk])
    data = {"post": "village_secretary", "village": reference[QILONGSHAN].pk, "effective_date": TODAY.isoformat()}
    assert client.post(url, data).status_code == 302
    closed = len(_closing_rows(world["leaving"]))
    second = client.post(url, data)
    assert second.status_code == 200
    assert "已不在库" in second.content.decode() or "already" in second.content.decode()
    assert len(_closing_rows(world["leaving"])) == closed == 7
    assert Decision.objects.filter(candidate=world["leaving"]).count() == 1
    exit_url = reverse("assessments:decide_exit", args=[world["leaving"].pk])
    response = client.post(exit_url, {"exit_reason": "age", "note": "超龄", "effective_date": TODAY.isoformat()})
    assert response.status_code == 200
    assert len(_closing_rows(world["leaving"])) == closed


def test_closing_twice_finds_nothing_left_open(world, district_staff, reference):
    management.decide_promotion(
        actor=district_staff, candidate_id=world["leaving"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    again = cultivation.close_cultivation(actor=district_staff, candidate=world["leaving"], on=TODAY, reason="再次提交")
    assert again == {}
    assert not AuditEvent.objects.filter(extra__reason="再次提交").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_close_once(reference, organiser, district_staff):
    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    mentors = [MentorFactory(township=reference[MINGYANG]) for _ in range(2)]
    _cultivate(organiser, person, mentors=mentors, post_name="村党组织书记助理", host=reference[XINAN])
    barrier = threading.Barrier(4)
    outcomes = []

    def decide(kind):
        try:
            barrier.wait()
            if kind == "exit":
                management.decide_exit(actor=district_staff, candidate_id=person.pk, exit_reason="age", note="并发")
            else:
                management.decide_promotion(
                    actor=district_staff,
                    candidate_id=person.pk,
                    post="village_secretary",
                    village=reference[QILONGSHAN],
                )
            outcomes.append("decided")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(kind,)) for kind in ["exit", "promotion"] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_decided"] * 3 + ["decided"]
    assert len(_closing_rows(person)) == 6  # two mentors, a post, two secondments, a plan item; no review
    assert _flags(person) == (False, False, False)
    assert MentorAssignment.objects.filter(candidate=person, end_date__isnull=True).count() == 0


def test_audit_rows_name_the_actor_and_join_the_decisions_transaction(world, district_staff, reference):
    """A decision that fails (a promotion without its village) closes nothing and writes no audit row."""
    with pytest.raises(ValidationError):
        management.decide_promotion(
            actor=district_staff, candidate_id=world["leaving"].pk, post="village_secretary", village=None
        )
    assert _closing_rows(world["leaving"]) == []
    assert _flags(world["leaving"]) == (True, True, True)
    management.decide_promotion(
        actor=district_staff, candidate_id=world["leaving"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    assert {row.actor_id for row in _closing_rows(world["leaving"])} == {district_staff.pk}
    assert all(row.personal_info for row in _closing_rows(world["leaving"]))


def test_an_end_form_opened_before_the_decision_answers_with_a_message(world, district_staff, organiser, reference):
    """The organiser opened 结束 before the district's promotion; their submit is told what happened, no 500."""
    township = Client()
    township.force_login(organiser)
    assignment = MentorAssignment.objects.filter(candidate=world["leaving"]).first()
    placement = Placement.objects.get(candidate=world["leaving"])
    planned = Secondment.objects.filter(candidate=world["leaving"]).order_by("-planned_start").first()
    urls = {
        reverse("mentorship:assignment_end", args=[assignment.pk]): {"end_date": TODAY.isoformat(), "reason": "调动"},
        reverse("mentorship:placement_end", args=[placement.pk]): {"end_date": TODAY.isoformat(), "evaluation": "称职"},
        reverse("mentorship:secondment_end", args=[planned.pk]): {
            "actual_end": planned.planned_end.isoformat(),
            "learned": "学到了",
            "host_evaluation": "好",
        },
    }
    for url in urls:
        assert township.get(url).status_code == 200
    management.decide_promotion(
        actor=district_staff, candidate_id=world["leaving"].pk, post="village_secretary", village=reference[QILONGSHAN]
    )
    for url, data in urls.items():
        response = township.post(url, data)
        assert response.status_code == 200
        errors = " ".join(response.context["form"].non_field_errors())
        assert TODAY.isoformat() in errors
    planned.refresh_from_db()
    assert (planned.actual_end, planned.host_evaluation) == (planned.planned_start, "")
