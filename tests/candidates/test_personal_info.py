"""S11: full ID numbers and phones only by an explicit, permitted, audited POST."""

from django.urls import reverse

from cadre_pool.models import AuditAction, AuditEvent
from candidates.models import Candidate


def test_a_writer_reveals_by_post_and_each_reveal_is_one_audit_row(client, organiser, mingyang_candidate):
    client.force_login(organiser)
    url = reverse("candidate_reveal", args=[mingyang_candidate.pk])
    page = client.get(reverse("candidate_file", args=[mingyang_candidate.pk])).text
    assert mingyang_candidate.id_number not in page and url in page
    assert client.get(url).status_code == 405
    response = client.post(url, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert mingyang_candidate.id_number in response.text and mingyang_candidate.phone in response.text
    assert response["Cache-Control"] == "no-store, private"
    (row,) = AuditEvent.objects.filter(action=AuditAction.REVEAL)
    assert (row.object_id, row.actor_id, row.ip, row.extra["fields"]) == (
        str(mingyang_candidate.pk),
        organiser.pk,
        "10.0.0.9",
        ["id_number", "phone"],
    )


def test_readers_cannot_reveal_and_out_of_scope_is_404(client, leader, other_organiser, mingyang_candidate):
    client.force_login(leader)
    url = reverse("candidate_reveal", args=[mingyang_candidate.pk])
    assert url not in client.get(reverse("candidate_file", args=[mingyang_candidate.pk])).text
    assert client.post(url).status_code == 403
    client.force_login(other_organiser)
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, object_id=str(mingyang_candidate.pk)).exists()


def test_the_edit_page_shows_masked_values_and_empty_keeps_them(client, organiser, mingyang_candidate):
    client.force_login(organiser)
    url = reverse("candidates:edit", args=[mingyang_candidate.pk])
    response = client.get(url)
    assert mingyang_candidate.id_number not in response.text and mingyang_candidate.phone not in response.text
    assert mingyang_candidate.masked_id_number in response.text
    form = response.context["form"]
    data = {
        name: value
        for name, value in ((name, form[name].value()) for name in form.fields)
        if value not in (None, "") and not isinstance(value, list)
    }
    data["skills"] = []
    data["notes"] = "只改备注"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Candidate.objects.get(pk=mingyang_candidate.pk)
    assert (saved.id_number, saved.phone, saved.notes) == (
        mingyang_candidate.id_number,
        mingyang_candidate.phone,
        "只改备注",
    )
    data.update(version=saved.version, phone="139 0000 1111")
    assert client.post(url, data).status_code == 302
    assert Candidate.objects.get(pk=mingyang_candidate.pk).phone == "13900001111"


def test_the_reveal_page_costs_the_file_page_and_its_audit_row(client, organiser, mingyang_candidate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    client.get(reverse("candidate_file", args=[mingyang_candidate.pk]))  # warm the cached code tables
    with CaptureQueriesContext(connection) as detail:
        client.get(reverse("candidate_file", args=[mingyang_candidate.pk]))
    with CaptureQueriesContext(connection) as reveal:
        client.post(reverse("candidate_reveal", args=[mingyang_candidate.pk]))
    assert len(reveal) == len(detail) + 1  # the reveal's audit row
