"""Scale-out: report, dashboard and export reads go to the replica alias when one is configured.

The test settings point `replica` at the test database ({"MIRROR": "default"}); a mirror is a
second connection, so these tests commit their data (transaction=True).
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre_pool.routers import REPLICA, ReplicaRouter, replica_reads
from candidates.models import Candidate, PoolStatus
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

replica_test = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_router_sends_reads_to_the_replica_only_inside_reports(settings):
    router = ReplicaRouter()
    settings.REPLICA_READS = True
    assert router.db_for_read(Candidate) is None
    with replica_reads():
        assert router.db_for_read(Candidate) == REPLICA
        assert router.db_for_write(Candidate) is None
    settings.REPLICA_READS = False
    with replica_reads():
        assert router.db_for_read(Candidate) is None
    assert router.allow_migrate(REPLICA, "candidates") is False


@replica_test
def test_dashboard_reads_its_figures_from_the_replica(client, settings, reference, district_staff):
    settings.REPLICA_READS = True
    CandidateFactory.create_batch(3, township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(district_staff)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "candidates_candidate" in _tables(replica.captured_queries)
    # The primary still holds the session and the signed-in user, and nothing of the report.
    assert "django_session" in _tables(primary.captured_queries)
    assert "candidates_candidate" not in _tables(primary.captured_queries)
    status = next(f for f in response.context["figures"] if f.key == "status")
    assert {label: n for label, n, _link in status.rows}[PoolStatus.IN_POOL.label] == 3


@replica_test
def test_roster_export_reads_from_the_replica_and_audits_on_the_primary(client, settings, reference, organiser):
    settings.REPLICA_READS = True
    CandidateFactory.create_batch(2, township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(organiser)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("candidates:list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "candidates_candidate" in _tables(replica.captured_queries)
    assert "cadre_pool_auditevent" in _tables(primary.captured_queries)
    assert "candidates_candidate" not in _tables(primary.captured_queries)


@replica_test
def test_pages_that_edit_never_read_from_the_replica(client, settings, reference, organiser):
    settings.REPLICA_READS = True
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(organiser)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get(reverse("candidate_file", args=[candidate.pk])).status_code == 200
        assert client.get(reverse("candidates:list")).status_code == 200
    assert not replica.captured_queries
