"""Sessions live in the database (stateless app servers) and are renewed on every request."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse


def test_sessions_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "cadre_pool.sessions"


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
