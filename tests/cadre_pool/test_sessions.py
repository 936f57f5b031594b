"""Sessions live in the database (stateless app servers) and are renewed with activity, once a minute at most."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse


def test_sessions_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "cadre_pool.accounts.sessions"


@pytest.mark.django_db(transaction=True)
def test_every_request_renews_the_session_row_outside_a_test_transaction(client, organiser):
    # Outside an atomic block the renewal commits on its own, asynchronously on PostgreSQL.
    client.force_login(organiser)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=key).expire_date
    assert client.get(reverse("home")).status_code == 200
    after = Session.objects.get(session_key=key).expire_date
    assert after >= before
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(organiser.pk)


def test_renewal_writes_the_session_once_a_minute_at_most(client, organiser, settings):
    import datetime

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def writes():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in ctx.captured_queries)

    settings.SESSION_RENEW_SECONDS = 60  # production's value (tests renew on every request)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(organiser)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert writes() == 1  # the first page after sign-in renews
        clock.move_to(start + datetime.timedelta(seconds=59))
        assert writes() == 0
        expiry = Session.objects.get(session_key=key).expire_date
        clock.move_to(start + datetime.timedelta(seconds=61))
        assert writes() == 1
        assert Session.objects.get(session_key=key).expire_date > expiry


def test_a_session_past_its_expiry_in_the_database_signs_nobody_in(client, organiser):
    """The store reads the session with its own statement (cadre_pool/accounts/sessions.py): the expiry is the
    database row's, whatever the browser's cookie says."""
    import datetime

    from django.utils import timezone

    client.force_login(organiser)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("candidates:list")).status_code == 200
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("candidates:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
