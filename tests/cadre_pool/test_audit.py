"""Audit trail (S9, S10): the record API, append-only storage, retention, and the two audit pages."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadre_pool import audit
from cadre_pool.models import AuditAction, AuditEvent, Role
from tests.factories import OrgUnitFactory, UserFactory

PASSWORD = "Test-Pass-2026"


def _old_event(days: int, *, personal_info: bool) -> AuditEvent:
    return AuditEvent.objects.create(
        created_at=timezone.now() - datetime.timedelta(days=days),
        action=AuditAction.UPDATE,
        object_label=f"{days} days",
        personal_info=personal_info,
    )


# --- the API -------------------------------------------------------------------------------


def test_record_writes_one_row_with_actor_snapshot_ip_object_and_changes(rf, district_staff, mingyang_candidate):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = district_staff
    before = audit.snapshot(mingyang_candidate, ["name", "phone"])
    event = audit.record(
        request,
        action=AuditAction.UPDATE,
        obj=mingyang_candidate,
        before=before,
        after={**before, "name": "张新名"},
        reason="更正姓名",
    )
    assert AuditEvent.objects.count() == 1
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name, event.actor_role) == (
        district_staff.pk,
        str(district_staff),
        "district_staff",
    )
    assert (event.ip, event.object_type, event.object_id, event.object_label) == (
        "10.1.2.3",
        "candidates.candidate",
        str(mingyang_candidate.pk),
        "张明阳",
    )
    assert event.after["name"] == "张新名"
    assert event.extra == {"reason": "更正姓名"}
    assert event.personal_info is True
    # The snapshot masks the phone: the audit log is no copy of the personal data.
    assert event.before["phone"] == mingyang_candidate.masked_phone


def test_record_refuses_an_unknown_action(db):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(None, action="made.up")


def test_ip_header_is_configurable_for_a_reverse_proxy(rf, settings):
    settings.AUDIT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="192.168.8.9")
    assert audit.client_ip(request) == "192.168.8.9"
    assert audit.client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not-an-ip")) is None


def test_diff_keeps_only_changed_keys():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ({"b": 2, "c": None}, {"b": 3, "c": 4})


def test_classification_of_retention(db):
    assert audit.record(None, action=AuditAction.LOGIN_SUCCESS).personal_info is False
    assert audit.record(None, action=AuditAction.EXPORT).personal_info is True
    assert audit.record(None, action=AuditAction.UPDATE, object_type="mentorship.mentoringlog").personal_info is True
    assert audit.record(None, action=AuditAction.UPDATE, object_type="cadre_pool.orgunit").personal_info is False


def test_the_model_refuses_update_and_delete(db):
    event = audit.record(None, action=AuditAction.LOGOUT)
    event.object_label = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


# --- append-only on PostgreSQL ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cadre_pool_auditevent SET success = false",
        "UPDATE cadre_pool_auditevent SET object_label = 'x' WHERE id = %s",
        "DELETE FROM cadre_pool_auditevent",
        "DELETE FROM cadre_pool_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_update_and_delete_fail(db, sql):
    event = audit.record(None, action=AuditAction.LOGIN_SUCCESS, object_label="keep me")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk] if "%s" in sql else None)
    assert AuditEvent.objects.get(pk=event.pk).object_label == "keep me"


@pytest.mark.postgres
def test_raw_delete_of_an_old_row_fails_without_the_prune_flag(db):
    old = _old_event(4000, personal_info=False)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cadre_pool_auditevent WHERE id = %s", [old.pk])
    assert AuditEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.postgres
def test_the_prune_flag_does_not_let_young_rows_go(db):
    young = _old_event(100, personal_info=False)
    young_pi = _old_event(400, personal_info=True)
    for event in (young, young_pi):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('cadre.audit_prune', 'on', true)")
            cursor.execute("DELETE FROM cadre_pool_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk__in=[young.pk, young_pi.pk]).count() == 2


@pytest.mark.postgres
def test_truncate_is_refused_for_an_ordinary_database_role(db):
    # The application's production role is not a superuser; play it with a role created (and rolled back) here.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE cadre_audit_probe NOSUPERUSER")
        cursor.execute("GRANT ALL ON cadre_pool_auditevent TO cadre_audit_probe")
        cursor.execute("SET LOCAL ROLE cadre_audit_probe")
        cursor.execute("TRUNCATE cadre_pool_auditevent")


# --- retention ------------------------------------------------------------------------------------


def test_prune_keeps_young_rows_and_personal_information_records_for_three_years(db):
    keep = [
        _old_event(10, personal_info=False),
        _old_event(183, personal_info=False),
        _old_event(200, personal_info=True),
        _old_event(3 * 365, personal_info=True),
    ]
    drop = [_old_event(186, personal_info=False), _old_event(1100, personal_info=True)]
    out = io.StringIO()
    call_command("prune_audit", stdout=out)
    assert "Deleted 2 audit rows" in out.getvalue()
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {e.pk for e in keep} <= remaining
    assert not {e.pk for e in drop} & remaining
    # The pruning itself is recorded.
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_PRUNE, extra__deleted=2).count() == 1


def test_settings_cannot_shorten_retention_below_the_floor(db, settings):
    settings.AUDIT_RETENTION_DAYS = 1
    settings.AUDIT_PERSONAL_INFO_RETENTION_DAYS = 1
    keep = [_old_event(100, personal_info=False), _old_event(1000, personal_info=True)]
    audit.prune()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in keep]).count() == 2


@pytest.mark.postgres
def test_the_prune_flag_is_off_again_after_pruning(db):
    _old_event(4000, personal_info=False)
    with transaction.atomic():
        audit.prune()
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('cadre.audit_prune', true)")
            assert cursor.fetchone()[0] in ("", None)


# --- authentication rows --------------------------------------------------------------------------


def test_sign_in_success_failure_and_sign_out_each_write_one_row(client, organiser):
    client.post(reverse("login"), {"username": "mingyang", "password": "wrong-Pass-1"}, REMOTE_ADDR="10.0.0.7")
    failure = AuditEvent.objects.get()
    assert (failure.action, failure.success, failure.actor_id, failure.ip) == (
        "login.failure",
        False,
        organiser.pk,
        "10.0.0.7",
    )
    client.post(reverse("login"), {"username": "mingyang", "password": PASSWORD})
    assert AuditEvent.objects.filter(action="login.success", actor_id=organiser.pk).count() == 1
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="logout", actor_id=organiser.pk).count() == 1
    assert AuditEvent.objects.count() == 3


def test_a_failure_for_an_unknown_username_is_recorded_without_an_actor(client, db):
    client.post(reverse("login"), {"username": "nobody", "password": "wrong-Pass-1"})
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.object_label) == ("login.failure", None, "nobody")


# --- the global audit log -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organiser", "district_staff", "leader", "system_admin"])
def test_only_the_audit_admin_reads_the_audit_log(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log"), {"export": "csv"}).status_code == 403


def test_anonymous_users_go_to_sign_in(client, db):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_audit_log_filters_by_action_actor_date_and_text(client, audit_admin, organiser, district_staff):
    audit.record(None, action=AuditAction.UPDATE, actor=organiser, object_label="甲档案")
    audit.record(None, action=AuditAction.EXPORT, actor=district_staff, object_label="乙导出")
    old = AuditEvent.objects.create(
        created_at=timezone.now() - datetime.timedelta(days=30), action=AuditAction.UPDATE, object_label="丙旧"
    )
    client.force_login(audit_admin)
    url = reverse("audit_log")

    def labels(**params):
        page = client.get(url, params).context["page"]
        return {event.object_label for event in page}

    assert labels(action="export") == {"乙导出"}
    assert labels(actor=str(organiser)) == {"甲档案"}
    assert labels(q="丙") == {"丙旧"}
    day = timezone.localtime(old.created_at).date()
    assert labels(date_from=day.isoformat(), date_to=day.isoformat()) == {"丙旧"}
    assert labels(success="0") == set()


def test_audit_log_is_paginated(client, audit_admin):
    for n in range(55):
        audit.record(None, action=AuditAction.UPDATE, object_label=f"row {n}")
    client.force_login(audit_admin)
    response = client.get(reverse("audit_log"))
    assert len(response.context["page"]) == 50
    second = client.get(reverse("audit_log"), {"page": 2})
    assert len(second.context["page"]) >= 5


def test_export_is_audited_with_row_count_and_filters_and_neutralises_formulas(client, audit_admin, organiser):
    audit.record(None, action=AuditAction.UPDATE, actor=organiser, object_label='=HYPERLINK("http://x","y")')
    audit.record(None, action=AuditAction.EXPORT, actor=organiser, object_label="ordinary")
    client.force_login(audit_admin)
    response = client.get(reverse("audit_log"), {"action": "update", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # header and the one matching row
    assert rows[1][8] == '\'=HYPERLINK("http://x","y")'
    event = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORT)
    assert (event.actor_id, event.extra["rows"], event.extra["filters"]) == (
        audit_admin.pk,
        1,
        {"action": "update"},
    )


# --- a candidate's history --------------------------------------------------------------------------


def test_district_staff_read_a_candidates_history(client, district_staff, mingyang_candidate, guangong_candidate):
    audit.record(None, action=AuditAction.UPDATE, actor=district_staff, obj=mingyang_candidate, note="mine")
    audit.record(None, action=AuditAction.UPDATE, actor=district_staff, obj=guangong_candidate, note="other")
    client.force_login(district_staff)
    response = client.get(reverse("audit_candidate", args=[mingyang_candidate.pk]))
    assert response.status_code == 200
    assert [event.extra["note"] for event in response.context["page"]] == ["mine"]


@pytest.mark.parametrize("role", ["organiser", "other_organiser", "leader", "system_admin", "audit_admin"])
def test_other_roles_cannot_read_a_candidates_history(client, request, role, mingyang_candidate):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("audit_candidate", args=[mingyang_candidate.pk])).status_code == 403


def test_history_of_a_candidate_outside_the_staff_scope_is_404(client, reference, mingyang_candidate):
    other_district = OrgUnitFactory(code="511902000000", name="巴州区", district=True)
    client.force_login(UserFactory(role=Role.DISTRICT_STAFF, unit=other_district))
    assert client.get(reverse("audit_candidate", args=[mingyang_candidate.pk])).status_code == 404
    assert client.get(reverse("audit_candidate", args=[999999])).status_code == 404


# --- query budgets --------------------------------------------------------------------------------


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_audit_log_query_count_does_not_grow_with_rows(client, audit_admin):
    client.force_login(audit_admin)
    for n in range(3):
        audit.record(None, action=AuditAction.UPDATE, object_label=f"few {n}")
    few = _queries(client, reverse("audit_log"), {"action": "update"})
    for n in range(60):
        audit.record(None, action=AuditAction.UPDATE, object_label=f"many {n}")
    many = _queries(client, reverse("audit_log"), {"action": "update"})
    # Session, user with unit, count, rows, session save.
    assert few == many <= 6


def test_candidate_history_query_count_does_not_grow_with_rows(client, district_staff, mingyang_candidate):
    client.force_login(district_staff)
    url = reverse("audit_candidate", args=[mingyang_candidate.pk])
    audit.record(None, action=AuditAction.UPDATE, obj=mingyang_candidate)
    few = _queries(client, url)
    for _n in range(60):
        audit.record(None, action=AuditAction.UPDATE, obj=mingyang_candidate)
    many = _queries(client, url)
    assert few == many <= 7


def test_the_candidate_page_links_to_the_history_for_district_staff_only(
    client, district_staff, organiser, mingyang_candidate
):
    url = reverse("candidate_file", args=[mingyang_candidate.pk])
    history = reverse("audit_candidate", args=[mingyang_candidate.pk])
    client.force_login(district_staff)
    assert history in client.get(url).text
    client.force_login(organiser)
    assert history not in client.get(url).text
