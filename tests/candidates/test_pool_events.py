"""Pool status changes only through recorded events, written atomically by the service."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from candidates.identity import id_check_char
from candidates.models import Candidate, PoolEvent, PoolStatus
from candidates.services import change_status, create_candidate
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

VALID_FIELDS = {
    "name": "王小明",
    "gender_id": "1",
    "ethnicity_id": "01",
    "id_number": "51190319900307001" + id_check_char("51190319900307001"),
    "phone": "13900001111",
    "political_status_id": "13",
    "education_id": "21",
    "source_category": "veteran",
}


def _fields(reference):
    return {**VALID_FIELDS, "birth_date": datetime.date(1990, 3, 7), "village": reference[QILONGSHAN]}


def test_create_writes_the_first_event(organiser, reference):
    candidate = create_candidate(actor=organiser, township=reference[MINGYANG], fields=_fields(reference))
    event = candidate.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", PoolStatus.PROSPECT, organiser)


def test_every_status_change_writes_one_event(organiser, district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    path = [
        (organiser, PoolStatus.CONTACTED),
        (organiser, PoolStatus.WILLING),
        (organiser, PoolStatus.FILED),
        (organiser, PoolStatus.PROPOSED),
        (district_staff, PoolStatus.IN_POOL),
        (district_staff, PoolStatus.PROMOTED),
    ]
    for actor, target in path:
        before = PoolEvent.objects.filter(candidate=candidate).count()
        event = change_status(
            actor=actor, candidate_id=candidate.pk, to_status=target, reason="测试", via_decision=True
        )
        candidate.refresh_from_db()
        assert candidate.status == target
        assert PoolEvent.objects.filter(candidate=candidate).count() == before + 1
        assert event.actor == actor and event.to_status == target
    assert candidate.events.first().approved_by == district_staff


def test_organiser_cannot_take_decisions(organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROPOSED)
    for target in (PoolStatus.IN_POOL, PoolStatus.FILED):
        with pytest.raises(PermissionDenied):
            change_status(actor=organiser, candidate_id=candidate.pk, to_status=target, reason="x")
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.PROPOSED
    assert candidate.events.count() == 1


def test_skipping_a_step_is_refused_and_writes_nothing(organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    with pytest.raises(ValidationError):
        change_status(actor=organiser, candidate_id=candidate.pk, to_status=PoolStatus.FILED)
    assert candidate.events.count() == 1


def test_exit_needs_a_reason(district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.FILED)
    with pytest.raises(ValidationError) as info:
        change_status(actor=district_staff, candidate_id=candidate.pk, to_status=PoolStatus.EXITED, reason=" ")
    assert "reason" in info.value.message_dict
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.FILED


@pytest.mark.parametrize("target", [PoolStatus.PROMOTED, PoolStatus.EXITED])
def test_leaving_the_pool_is_only_ever_a_recorded_decision(client, district_staff, reference, target):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.IN_POOL)
    with pytest.raises(ValidationError) as info:
        change_status(actor=district_staff, candidate_id=candidate.pk, to_status=target, reason="直接改")
    assert info.value.code == "needs_decision"
    client.force_login(district_staff)
    client.post(reverse("candidates:change_status", args=[candidate.pk]), {"to_status": target, "reason": "x"})
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.IN_POOL
    assert candidate.events.count() == 1


def test_status_change_page_records_event(client, organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    client.force_login(organiser)
    response = client.post(
        reverse("candidates:change_status", args=[candidate.pk]), {"to_status": "contacted", "reason": "已上门走访"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.CONTACTED
    assert candidate.events.first().reason == "已上门走访"


def test_status_change_refuses_get(client, organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    client.force_login(organiser)
    assert client.get(reverse("candidates:change_status", args=[candidate.pk])).status_code == 405


def race(*, candidate, actor, targets: list[str]) -> list[str]:
    """Run one change_status per target at the same moment; the outcomes, sorted."""
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def decide(target):
        try:
            barrier.wait()
            # Leaving the pool is a decision; confirming entry is not.
            change_status(
                actor=actor,
                candidate_id=candidate.pk,
                to_status=target,
                reason="并发测试",
                via_decision=target in {"promoted", "exited"},
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_decision_is_taken_once_under_concurrency(reference, district_staff):
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.IN_POOL)
    outcomes = race(candidate=candidate, actor=district_staff, targets=["promoted", "exited", "promoted", "exited"])
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert Candidate.objects.get(pk=candidate.pk).events.filter(to_status__in=["promoted", "exited"]).count() == 1
