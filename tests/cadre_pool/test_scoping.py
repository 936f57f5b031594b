"""Township scoping: an organiser sees only their own township; out of scope answers 404."""

import pytest
from django.urls import reverse

from candidates.models import Candidate


@pytest.fixture
def both(mingyang_candidate, guangong_candidate):
    return mingyang_candidate, guangong_candidate


def test_organiser_list_shows_only_own_township(client, organiser, both):
    client.force_login(organiser)
    response = client.get(reverse("candidates:list"))
    assert response.status_code == 200
    names = [c.name for c in response.context["object_list"]]
    assert names == ["张明阳"]
    assert "李关公" not in response.text


@pytest.mark.parametrize("url_name", ["candidate_file", "candidates:edit"])
def test_organiser_gets_404_on_other_township_candidate(client, organiser, both, url_name):
    client.force_login(organiser)
    response = client.get(reverse(url_name, args=[both[1].pk]))
    assert response.status_code == 404


def test_organiser_cannot_change_status_of_other_township_candidate(client, organiser, both):
    client.force_login(organiser)
    response = client.post(reverse("candidates:change_status", args=[both[1].pk]), {"to_status": "exited"})
    assert response.status_code == 404
    both[1].refresh_from_db()
    assert both[1].status == "in_pool"


def test_organiser_cannot_filter_into_other_township(client, organiser, both, reference):
    client.force_login(organiser)
    response = client.get(reverse("candidates:list"), {"village": reference["511903112206"].pk})
    assert "李关公" not in response.text


def test_organiser_gets_404_in_admin_for_other_township(client, organiser, both):
    client.force_login(organiser)
    own = client.get(reverse("admin:candidates_candidate_change", args=[both[0].pk]))
    other = client.get(reverse("admin:candidates_candidate_change", args=[both[1].pk]))
    assert own.status_code == 200
    # The admin redirects a missing object to its index with a message; it must not show the file.
    assert other.status_code in {302, 404}
    assert "李关公" not in other.text
    listing = client.get(reverse("admin:candidates_candidate_changelist"))
    assert "张明阳" in listing.text and "李关公" not in listing.text


def test_district_staff_see_every_township(client, district_staff, both):
    client.force_login(district_staff)
    response = client.get(reverse("candidates:list"))
    assert {c.name for c in response.context["object_list"]} == {"张明阳", "李关公"}
    assert client.get(reverse("candidate_file", args=[both[1].pk])).status_code == 200


def test_leader_reads_but_cannot_edit(client, leader, both):
    client.force_login(leader)
    assert client.get(reverse("candidate_file", args=[both[0].pk])).status_code == 200
    assert client.get(reverse("candidates:edit", args=[both[0].pk])).status_code == 403
    assert client.get(reverse("candidates:create")).status_code == 403


@pytest.mark.parametrize("role_fixture", ["system_admin", "audit_admin"])
def test_admin_roles_do_not_read_candidate_files(client, request, role_fixture, both):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("candidates:list")).status_code == 403
    assert client.get(reverse("candidate_file", args=[both[0].pk])).status_code == 403


def test_visible_to_is_empty_for_anonymous_and_inactive(both, organiser):
    from django.contrib.auth.models import AnonymousUser

    assert not Candidate.objects.visible_to(AnonymousUser()).exists()
    organiser.is_active = False
    assert not Candidate.objects.visible_to(organiser).exists()


def test_anonymous_user_is_sent_to_login(client, both):
    response = client.get(reverse("candidate_file", args=[both[0].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
