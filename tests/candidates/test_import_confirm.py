"""S14: confirming an import batch imports it once, however often and however fast it is clicked."""

import io
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cadre_pool.models import AuditAction, AuditEvent
from candidates.importing import AlreadyConfirmed, confirm_import
from candidates.models import Candidate, ImportBatch
from tests.candidates.test_import import good_row, workbook

pytestmark = [pytest.mark.reliability]


def _upload(client, organiser) -> ImportBatch:
    client.force_login(organiser)
    client.post(reverse("candidates:import"), {"file": io.BytesIO(workbook([good_row(1), good_row(2)]))})
    return ImportBatch.objects.latest("created_at")


def _committed_imports() -> int:
    return sum(
        1
        for extra in AuditEvent.objects.filter(action=AuditAction.IMPORT).values_list("extra", flat=True)
        if extra.get("committed")
    )


def test_a_second_confirm_is_a_message_and_imports_nothing(client, organiser, reference, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    batch = _upload(client, organiser)
    url = reverse("candidates:import_confirm", args=[batch.pk])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.status_code == 200 and "该工作簿已导入，未重复导入" in second.text
    assert Candidate.objects.count() == 2 and _committed_imports() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirms_import_once(organiser, reference, settings, tmp_path, reliability):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    batch = _upload(Client(), organiser)
    threads, barrier, outcomes = 4, threading.Barrier(4), {}

    def confirm(n):
        try:
            barrier.wait()
            confirm_import(actor=organiser, batch_id=batch.pk)
            outcomes[n] = "imported"
        except AlreadyConfirmed:
            outcomes[n] = "already"
        except Exception as exc:  # reported below
            outcomes[n] = repr(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=confirm, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    imported = sum(outcome == "imported" for outcome in outcomes.values())
    reliability(
        "import confirmation: 4 simultaneous",
        tried=threads,
        succeeded=imported,
        refused=sum(outcome == "already" for outcome in outcomes.values()),
        lost=abs(Candidate.objects.count() - 2),
        leaked=_committed_imports() - 1,
    )
    assert sorted(outcomes.values()) == ["already", "already", "already", "imported"], outcomes
    assert Candidate.objects.count() == 2 and _committed_imports() == 1
