"""The funnel before the pool (S2): the organiser proposes, district staff confirm or reject with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate, PoolStatus
from candidates.services import change_status
from tests.candidates.test_pool_events import race
from tests.conftest import GUANGONG, MINGYANG
from tests.factories import CandidateFactory
from tests.site.test_query_budget import _count_queries


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_organiser_walks_a_prospect_to_a_proposal(organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    for target in ["contacted", "willing", "filed", "proposed"]:
        event = change_status(actor=organiser, candidate_id=candidate.pk, to_status=target, reason=f"到{target}")
        assert (event.actor, event.to_status, event.approved_by) == (organiser, target, None)
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.PROPOSED
    assert list(candidate.events.values_list("to_status", flat=True))[:2] == ["proposed", "filed"]


def test_district_staff_can_no_longer_skip_the_proposal(district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.FILED)
    with pytest.raises(ValidationError):
        change_status(actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.IN_POOL)
    assert Candidate.objects.get(pk=candidate.pk).status == PoolStatus.FILED


def test_confirmation_is_a_decision_with_an_approver(district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROPOSED)
    event = change_status(actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.IN_POOL)
    assert (event.from_status, event.to_status, event.approved_by) == ("proposed", "in_pool", district_staff)


def test_rejection_needs_a_reason_and_goes_back_to_filed(district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROPOSED)
    with pytest.raises(ValidationError) as info:
        change_status(actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.FILED, reason="  ")
    assert "退回" in " ".join(info.value.messages)
    assert Candidate.objects.get(pk=candidate.pk).events.count() == 1
    event = change_status(
        actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.FILED, reason="群众口碑待进一步了解"
    )
    assert (event.to_status, event.reason, event.approved_by) == ("filed", "群众口碑待进一步了解", district_staff)
    assert Candidate.objects.get(pk=candidate.pk).status == PoolStatus.FILED


def test_detail_page_names_the_steps_as_actions(client, organiser, district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.FILED)
    client.force_login(organiser)
    assert "提请入库" in client.get(reverse("candidate_file", args=[candidate.pk])).text
    change_status(actor=organiser, candidate_id=candidate.pk, to_status=PoolStatus.PROPOSED)
    organiser_page = client.get(reverse("candidate_file", args=[candidate.pk])).text
    assert "确认入库" not in organiser_page
    client.force_login(district_staff)
    staff_page = client.get(reverse("candidate_file", args=[candidate.pk])).text
    assert "确认入库" in staff_page and "退回" in staff_page


def test_funnel_counts_each_stage_and_lists_proposals(client, organiser, reference):
    for status in ["prospect", "prospect", "contacted", "filed", "proposed", "in_pool"]:
        CandidateFactory(township=reference[MINGYANG], status=status)
    CandidateFactory(township=reference[GUANGONG], status="proposed", name="李关公")
    client.force_login(organiser)
    response = client.get(reverse("candidates:funnel"))
    stages = {status: count for status, _label, count in response.context["stages"]}
    assert stages == {"prospect": 2, "contacted": 1, "willing": 0, "filed": 1, "proposed": 1, "in_pool": 1}
    assert len(response.context["proposals"]) == 1
    assert "李关公" not in response.text
    assert f"{reverse('candidates:list')}?status=proposed" in response.text
    # An organiser cannot decide: no confirm button.
    assert "确认入库</button>" not in response.text


def test_district_staff_confirm_from_the_funnel_and_come_back(client, district_staff, reference):
    candidate = CandidateFactory(township=reference[GUANGONG], status="proposed")
    client.force_login(district_staff)
    funnel = reverse("candidates:funnel")
    assert "确认入库</button>" in client.get(funnel).text
    response = client.post(
        reverse("candidates:change_status", args=[candidate.pk]), {"to_status": "in_pool", "next": funnel}
    )
    assert response.status_code == 302 and response["Location"] == funnel
    assert Candidate.objects.get(pk=candidate.pk).status == PoolStatus.IN_POOL


def test_change_status_ignores_a_foreign_next(client, district_staff, reference):
    candidate = CandidateFactory(township=reference[GUANGONG], status="proposed")
    client.force_login(district_staff)
    response = client.post(
        reverse("candidates:change_status", args=[candidate.pk]),
        {"to_status": "in_pool", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("candidate_file", args=[candidate.pk])


def test_other_township_organiser_cannot_propose(client, other_organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status="filed")
    client.force_login(other_organiser)
    response = client.post(reverse("candidates:change_status", args=[candidate.pk]), {"to_status": "proposed"})
    assert response.status_code == 404


def test_funnel_reports_the_share_with_industry_skills(client, organiser, reference):
    CandidateFactory.create_batch(2, township=reference[MINGYANG], status="in_pool", has_industry_skill=True)
    CandidateFactory.create_batch(2, township=reference[MINGYANG], status="in_pool")
    CandidateFactory(township=reference[MINGYANG], status="filed", has_industry_skill=True)
    client.force_login(organiser)
    response = client.get(reverse("candidates:funnel"))
    assert (response.context["skilled"], response.context["skilled_share"]) == (2, 50)
    assert "（50%）" in response.text


@pytest.mark.parametrize("role", ["organiser", "district_staff"])
def test_funnel_query_count_does_not_grow(client, request, reference, role):
    client.force_login(request.getfixturevalue(role))
    CandidateFactory.create_batch(2, township=reference[MINGYANG], status="proposed")
    few = _count_queries(client, reverse("candidates:funnel"))
    CandidateFactory.create_batch(12, township=reference[MINGYANG], status="proposed")
    many = _count_queries(client, reverse("candidates:funnel"))
    assert few == many <= 7


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_proposal_is_decided_once_under_concurrency(reference, district_staff):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROPOSED)
    assert race(candidate=candidate, actor=district_staff, targets=["in_pool", "filed"]) == ["ok", "refused"]
