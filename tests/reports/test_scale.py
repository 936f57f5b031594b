"""`seed_scale` (the bench's data) keeps up with the models: a small seed must load and make sense."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cadre_pool.models import User
from candidates.models import Candidate, PoolEvent
from reports.scale import BENCH_ACCOUNTS

# seed_scale loads with COPY: PostgreSQL only.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_seed_scale_loads_files_that_pass_the_models_own_validation():
    # One test: a transactional test empties the tables afterwards, reference data included.
    call_command("seed_scale", candidates=1000, stdout=io.StringIO())
    synthetic = Candidate.objects.filter(township__code__startswith="99")
    assert synthetic.count() == 1000
    # Every file starts with its creation event, as the services write it.
    assert PoolEvent.objects.filter(candidate__in=synthetic, from_status="").count() == 1000
    for candidate in synthetic.order_by("pk")[:: 1000 // 40]:
        candidate.full_clean(validate_unique=False)
    for account in User.objects.filter(username__in=BENCH_ACCOUNTS):
        account.full_clean(exclude=["password"])
        assert not account.must_change_password
    # The bench signs these accounts in and reads their pages.
    assert User.objects.filter(username__in=BENCH_ACCOUNTS).count() == len(BENCH_ACCOUNTS)
    client = Client()
    client.force_login(User.objects.get(username="scale_district"))
    for name in ("candidates:list", "dashboard"):
        assert client.get(reverse(name)).status_code == 200, name
