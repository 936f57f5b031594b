"""Service functions, exports and imports each leave exactly one audit row of the right kind (S9)."""

import pytest
from django.urls import reverse

from cadre_pool.models import AuditAction, AuditEvent
from candidates.identity import id_check_char
from candidates.models import Candidate, PoolStatus
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory


def _rows(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_creating_a_file_through_the_page_is_one_create_row_with_ip(client, organiser, reference):
    client.force_login(organiser)
    body = "51190319910101003"
    data = {
        "name": "审计甲",
        "id_number": body + id_check_char(body),
        "ethnicity": "01",
        "phone": "13900003333",
        "political_status": "13",
        "education": "21",
        "source_category": "veteran",
        "village": reference[QILONGSHAN].pk,
    }
    before = AuditEvent.objects.count()
    response = client.post(reverse("candidates:create"), data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302, response.context["form"].errors
    created = AuditEvent.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert [row.action for row in created] == [AuditAction.CREATE]
    row = created[0]
    candidate = Candidate.objects.get()
    assert (row.object_type, row.object_id, row.actor_id, row.ip) == (
        "candidates.candidate",
        str(candidate.pk),
        organiser.pk,
        "10.1.2.3",
    )
    assert row.after["phone"] == "139****3333"  # the audit log is no copy of the personal data


def test_an_edit_records_only_what_changed(organiser, reference):
    from candidates.services import update_candidate

    person = CandidateFactory(township=reference[MINGYANG], notes="旧")
    update_candidate(actor=organiser, candidate_id=person.pk, expected_version=person.version, fields={"notes": "新"})
    (row,) = _rows(AuditAction.UPDATE)
    assert set(row.before) == {"notes", "version", "updated_at"}
    assert (row.before["notes"], row.after["notes"], row.after["version"]) == ("旧", "新", 2)


def test_a_pool_move_and_a_decision_are_recorded(organiser, district_staff, reference):
    from assessments.services import decide_exit
    from candidates.services import change_status

    person = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    change_status(actor=organiser, candidate_id=person.pk, to_status=PoolStatus.CONTACTED, reason="走访")
    (move,) = _rows(AuditAction.POOL_MOVE)
    assert (move.before, move.after, move.extra["reason"]) == ({"status": "prospect"}, {"status": "contacted"}, "走访")
    pooled = CandidateFactory(township=reference[MINGYANG])
    decide_exit(actor=district_staff, candidate_id=pooled.pk, exit_reason="own_wish", note="外出")
    assert len(_rows(AuditAction.DECISION)) == 1
    assert len(_rows(AuditAction.POOL_MOVE)) == 2


def test_exports_record_rows_filters_and_masking(client, organiser, reference):
    CandidateFactory.create_batch(3, township=reference[MINGYANG])
    client.force_login(organiser)
    client.get(reverse("candidates:list"), {"export": "xlsx", "status": "in_pool"})
    (row,) = _rows(AuditAction.EXPORT)
    assert (row.object_type, row.extra["rows"], row.extra["masked"]) == ("roster", 3, True)
    assert row.extra["filters"] == {"status": ["in_pool"]}
    assert not _rows(AuditAction.REVEAL)
    client.get(reverse("candidates:list"), {"export": "xlsx", "unmasked": "1"})  # a link never reveals
    assert not _rows(AuditAction.REVEAL)
    client.post(reverse("roster_options"), {"unmasked": "1"})
    assert len(_rows(AuditAction.EXPORT)) == 3
    (reveal,) = _rows(AuditAction.REVEAL)
    assert reveal.extra["rows"] == 3 and reveal.personal_info


def test_imports_record_hash_counts_and_result(organiser, reference):
    import hashlib

    from candidates.importing import run_import
    from tests.candidates.test_import import good_row, workbook

    content = workbook([good_row(1), good_row(2, **{"姓名": ""})])
    run_import(actor=organiser, content=content, township=reference[MINGYANG], commit=True)
    (row,) = _rows(AuditAction.IMPORT)
    assert row.extra["file_hash"] == hashlib.sha256(content).hexdigest()
    assert (row.extra["rows"], row.extra["errors"], row.extra["committed"], row.success) == (2, 1, False, False)
    assert not Candidate.objects.exists()
    assert not _rows(AuditAction.CREATE)  # the rolled-back row's creation left no audit row either


def test_a_refused_scoped_object_is_a_404_and_one_access_denied_row(client, organiser, guangong_candidate):
    client.force_login(organiser)
    for name in ("candidate_file", "candidates:edit"):
        assert client.get(reverse(name, args=[guangong_candidate.pk]), REMOTE_ADDR="10.9.8.7").status_code == 404
    rows = _rows(AuditAction.ACCESS_DENIED)
    assert [(row.object_type, row.object_id, row.actor_id, row.ip, row.success) for row in rows] == [
        ("candidates.candidate", str(guangong_candidate.pk), organiser.pk, "10.9.8.7", False)
    ] * 2
    assert rows[0].extra["path"] == reverse("candidate_file", args=[guangong_candidate.pk])


def test_a_refusal_inside_a_service_transaction_is_still_recorded(client, organiser, guangong_candidate):
    client.force_login(organiser)
    response = client.post(
        reverse("candidates:change_status", args=[guangong_candidate.pk]), {"to_status": "contacted", "reason": "越权"}
    )
    assert response.status_code == 404
    assert [row.object_id for row in _rows(AuditAction.ACCESS_DENIED)] == [str(guangong_candidate.pk)]


def test_a_missing_object_is_a_404_without_an_access_row(client, organiser, mingyang_candidate):
    client.force_login(organiser)
    assert client.get(reverse("candidate_file", args=[mingyang_candidate.pk + 1000])).status_code == 404
    assert client.get(reverse("candidate_file", args=[mingyang_candidate.pk])).status_code == 200
    assert _rows(AuditAction.ACCESS_DENIED) == []


def test_the_refusal_names_the_file_asked_for_not_the_first_one(
    client, organiser, mingyang_candidate, guangong_candidate
):
    """The file page looks the file up by its key (candidates.records.file_for); DetailView's get()
    without arguments once made the refusal look up the table's first row instead."""
    assert mingyang_candidate.pk < guangong_candidate.pk  # the first row is one the organiser may see
    client.force_login(organiser)
    assert client.get(reverse("candidate_file", args=[guangong_candidate.pk])).status_code == 404
    assert [row.object_id for row in _rows(AuditAction.ACCESS_DENIED)] == [str(guangong_candidate.pk)]


def test_a_get_without_lookups_that_finds_nothing_audits_no_other_row(organiser, guangong_candidate):
    """The only file is outside the organiser's scope: a refusal guessed from the table would name it."""
    with pytest.raises(Candidate.DoesNotExist):
        Candidate.objects.visible_to(organiser).filter(pk=guangong_candidate.pk + 999).get()
    assert _rows(AuditAction.ACCESS_DENIED) == []
