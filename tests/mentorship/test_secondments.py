"""Secondment rules: 3 to 6 months unless district staff approve another length (who, when, why),
no two overlapping secondments for one person, never at the person's own village, and full- and
part-time told apart wherever secondments are shown."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cadre_pool.models import AuditAction, AuditEvent, OrgUnit
from candidates.models import Candidate
from mentorship import services
from mentorship.models import Secondment
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

START = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def candidate(reference, district_staff):
    return CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="陈挂职")


@pytest.fixture
def hosts(reference):
    """Two model villages of 明阳镇 other than the candidate's own."""
    villages = list(
        OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[:2]
    )
    OrgUnit.objects.filter(pk__in=[v.pk for v in villages]).update(is_model_village=True)
    return villages


def plan(actor, candidate, host, start=START, end=datetime.date(2026, 6, 1), mode="full_time", **extra):
    return services.plan_secondment(
        actor=actor,
        candidate_id=candidate.pk,
        fields={"host_village": host, "mode": mode, "planned_start": start, "planned_end": end, **extra},
    )


def _audit(action, secondment):
    return AuditEvent.objects.filter(
        action=action, object_type="mentorship.secondment", object_id=str(secondment.pk)
    ).count()


# --- another length: asked with a reason, decided by district staff ------------------------------


def test_an_organisers_longer_secondment_awaits_district_approval(organiser, district_staff, candidate, hosts):
    with pytest.raises(ValidationError) as info:
        plan(organiser, candidate, hosts[0], end=datetime.date(2026, 12, 1))
    assert "2026-06-01" in info.value.message_dict["planned_end"][0]
    asked = plan(organiser, candidate, hosts[0], end=datetime.date(2026, 12, 1), override_reason="  跟班学习产业项目  ")
    assert (asked.approval, asked.override_reason, asked.decided_by, asked.decided_at) == (
        "awaiting",
        "跟班学习产业项目",
        None,
        None,
    )
    assert _audit(AuditAction.CREATE, asked) == 1
    with pytest.raises(PermissionDenied):
        services.decide_secondment_length(actor=organiser, secondment_id=asked.pk, approve=True, reason="同意")
    decided = services.decide_secondment_length(
        actor=district_staff, secondment_id=asked.pk, approve=True, reason="  项目周期需要，同意延长  "
    )
    decided.refresh_from_db()
    assert (decided.approval, decided.decided_by, decided.decision_reason) == (
        "approved",
        district_staff,
        "项目周期需要，同意延长",
    )
    assert decided.decided_at is not None
    assert _audit(AuditAction.DECISION, decided) == 1
    with pytest.raises(ValidationError) as again:
        services.decide_secondment_length(actor=district_staff, secondment_id=asked.pk, approve=False, reason="再议")
    assert again.value.code == "already_decided"
    assert _audit(AuditAction.DECISION, decided) == 1


def test_district_staff_planning_another_length_approve_it_with_their_reason(district_staff, candidate, hosts):
    secondment = plan(district_staff, candidate, hosts[0], end=datetime.date(2026, 4, 15), override_reason="短期专项")
    assert (secondment.approval, secondment.decided_by, secondment.decision_reason) == (
        "approved",
        district_staff,
        "短期专项",
    )
    assert secondment.decided_at is not None


def test_a_standard_length_keeps_no_exception(district_staff, candidate, hosts):
    secondment = plan(district_staff, candidate, hosts[0], override_reason="随便写的理由")
    assert (secondment.approval, secondment.override_reason, secondment.decided_by) == ("standard", "", None)


def test_a_refused_length_frees_the_dates_and_is_not_current(organiser, district_staff, candidate, hosts):
    asked = plan(organiser, candidate, hosts[0], end=datetime.date(2026, 12, 1), override_reason="项目需要")
    assert Candidate.objects.get(pk=candidate.pk).has_current_secondment
    with pytest.raises(ValidationError) as info:
        services.decide_secondment_length(actor=district_staff, secondment_id=asked.pk, approve=False, reason="   ")
    assert "理由" in info.value.message_dict["decision_reason"][0]
    services.decide_secondment_length(actor=district_staff, secondment_id=asked.pk, approve=False, reason="超过半年")
    assert Secondment.objects.get(pk=asked.pk).approval == "refused"
    assert not Candidate.objects.get(pk=candidate.pk).has_current_secondment
    assert plan(organiser, candidate, hosts[1]).approval == "standard"


def test_a_decision_without_who_and_why_is_refused_by_the_database(district_staff, candidate, hosts):
    secondment = plan(district_staff, candidate, hosts[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Secondment.objects.filter(pk=secondment.pk).update(approval="approved")


def test_the_decision_page_for_district_staff_only(client, organiser, district_staff, candidate, hosts):
    asked = plan(organiser, candidate, hosts[0], end=datetime.date(2026, 12, 1), override_reason="项目需要")
    url = reverse("mentorship:secondment_decide", args=[asked.pk])
    client.force_login(organiser)
    page = client.get(reverse("mentorship:candidate", args=[candidate.pk]))
    assert "待区委组织部审批" in page.text and url not in page.text
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve", "decision_reason": "同意"}).status_code == 403
    client.force_login(district_staff)
    assert url in client.get(reverse("mentorship:candidate", args=[candidate.pk])).text
    empty = client.post(url, {"decision": "approve", "decision_reason": ""})
    assert empty.status_code == 200
    assert "请填写批准或不批准的理由。" in empty.text
    response = client.post(url, {"decision": "approve", "decision_reason": "项目周期需要"})
    assert response.status_code == 302
    page = client.get(reverse("mentorship:candidate", args=[candidate.pk])).text
    assert "项目周期需要" in page and str(district_staff) in page
    second = client.post(url, {"decision": "refuse", "decision_reason": "再议"})
    assert second.status_code == 200
    assert "不在待审批状态" in second.text
    assert Secondment.objects.get(pk=asked.pk).approval == "approved"


# --- overlapping secondments -------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["full_time", "part_time"])
def test_an_overlapping_secondment_is_refused_naming_the_other(organiser, candidate, hosts, mode):
    plan(organiser, candidate, hosts[0], mode="full_time")
    with pytest.raises(ValidationError) as info:
        plan(organiser, candidate, hosts[1], start=datetime.date(2026, 6, 1), end=datetime.date(2026, 9, 1), mode=mode)
    message = info.value.message_dict["planned_start"][0]
    assert str(hosts[0]) in message and "2026-03-01" in message and "2026-06-01" in message
    assert "全脱产" in message
    assert Secondment.objects.filter(candidate=candidate).count() == 1


def test_secondments_back_to_back_and_ended_ones_do_not_block(organiser, candidate, hosts):
    plan(organiser, candidate, hosts[0])
    after = plan(organiser, candidate, hosts[1], start=datetime.date(2026, 6, 2), end=datetime.date(2026, 9, 2))
    services.end_secondment(
        actor=organiser, secondment_id=after.pk, actual_end=datetime.date(2026, 7, 1), learned="", host_evaluation=""
    )
    other = CandidateFactory(township=candidate.township, village=candidate.village)
    plan(organiser, other, hosts[1])  # another person's secondment at the same time is fine
    with pytest.raises(ValidationError):
        plan(organiser, candidate, hosts[1], start=datetime.date(2026, 5, 1), end=datetime.date(2026, 8, 1))
    ended_first = Secondment.objects.filter(candidate=candidate).order_by("planned_start").first()
    services.end_secondment(
        actor=organiser, secondment_id=ended_first.pk, actual_end=START, learned="", host_evaluation=""
    )
    assert plan(organiser, candidate, hosts[1], start=datetime.date(2026, 5, 1), end=datetime.date(2026, 8, 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_plans_at_once_cannot_both_pass(reference, organiser, district_staff):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    villages = list(
        OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[:4]
    )
    barrier = threading.Barrier(len(villages))
    outcomes: dict[int, str] = {}

    def attempt(n):
        try:
            barrier.wait()
            plan(organiser, candidate, villages[n])
            outcomes[n] = "saved"
        except ValidationError as exc:
            outcomes[n] = "overlap" if exc.error_dict["planned_start"][0].code == "overlap" else repr(exc)
        except Exception as exc:  # anything else is a failure of the test, reported below
            outcomes[n] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(villages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["overlap"] * (len(villages) - 1) + ["saved"], outcomes
    assert Secondment.objects.filter(candidate=candidate).count() == 1


# --- the host village ----------------------------------------------------------------------------


def test_the_host_may_not_be_the_candidates_own_village(client, organiser, candidate, reference):
    with pytest.raises(ValidationError) as info:
        plan(organiser, candidate, reference[QILONGSHAN])
    assert "骑龙山村" in info.value.message_dict["host_village"][0]
    client.force_login(organiser)
    response = client.post(
        reverse("mentorship:secondment_create", args=[candidate.pk]) + "?all_villages=1",
        {
            "host_village": reference[QILONGSHAN].pk,
            "mode": "part_time",
            "planned_start": "2026-03-01",
            "planned_end": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "挂职村不能是本人所在村（骑龙山村）" in response.text
    assert not Secondment.objects.exists()


# --- full-time and part-time on every page that shows secondments ---------------------------------


def test_full_and_part_time_are_told_apart_on_every_report(client, organiser, district_staff, reference, hosts):
    full = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="全脱产人")
    part = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="半脱产人")
    plan(organiser, full, hosts[0], mode="full_time")
    plan(organiser, part, hosts[1], mode="part_time")
    client.force_login(organiser)
    for person, mode, other in [(full, "全脱产", "半脱产"), (part, "半脱产", "全脱产")]:
        detail = client.get(reverse("candidate_file", args=[person.pk])).text
        assert mode in detail and other not in detail
        cultivation = client.get(reverse("mentorship:candidate", args=[person.pk])).text
        assert mode in cultivation
        registration = client.get(reverse("registration_form", args=[person.pk])).text
        assert mode in registration and other not in registration
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["progress"]["seconded_full_time"] == 1
    assert dashboard.context["progress"]["seconded_part_time"] == 1
    assert "全脱产 1" in dashboard.text and "半脱产 1" in dashboard.text
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard"), {"export": "xlsx"}).content))
    rows = dict(row[:2] for row in workbook["培养情况"].iter_rows(values_only=True) if row[0])
    assert (rows["挂职历练（全脱产）"], rows["挂职历练（半脱产）"]) == (1, 1)


def test_a_length_awaiting_approval_is_on_the_districts_todo_list(client, organiser, district_staff, candidate, hosts):
    asked = plan(organiser, candidate, hosts[0], end=datetime.date(2026, 12, 1), override_reason="项目需要")
    client.force_login(organiser)
    assert "secondment_length" not in {item.kind for item in client.get(reverse("todo")).context["items"]}
    client.force_login(district_staff)
    items = [item for item in client.get(reverse("todo")).context["items"] if item.kind == "secondment_length"]
    assert [(item.candidate_name, item.url) for item in items] == [
        ("陈挂职", reverse("mentorship:secondment_decide", args=[asked.pk]))
    ]
    assert "2026-03-01 至 2026-12-01（全脱产）：项目需要" in items[0].message
    services.decide_secondment_length(actor=district_staff, secondment_id=asked.pk, approve=True, reason="同意")
    assert "secondment_length" not in {item.kind for item in client.get(reverse("todo")).context["items"]}
