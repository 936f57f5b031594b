"""Input that once answered 500: each now gets a clear answer and writes nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from candidates.services import save_village_need
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_nul_byte_in_any_query_string_is_a_bad_request(client, organiser, reference):
    client.force_login(organiser)
    for url in (reverse("mentorship:mentors"), reverse("candidates:list"), reverse("candidates:contacts")):
        response = client.get(f"{url}?q=%00", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400, url
        assert "请求有误" in response.text
    assert client.get(reverse("mentorship:mentors") + "?q=张").status_code == 200


def test_evidence_whose_file_is_missing_is_not_found(client, organiser, reference, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    assessment = services.record_assessment(
        actor=organiser,
        candidate_id=candidate.pk,
        fields={"kind": "emergency", "date": datetime.date.today(), "description": "防汛", "rating": "good"},
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    evidence = assessment.evidence.get()
    (tmp_path / evidence.file.name).unlink()
    client.force_login(organiser)
    assert client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 404


def test_a_need_assignment_with_a_padded_candidate_id_is_checked_like_any_other(client, organiser, reference):
    need = save_village_need(
        actor=organiser, village=reference[QILONGSHAN], fields={"field": "industry", "title": "发展种养殖"}
    )
    other = CandidateFactory(township=reference["511903112000"], name="别乡镇")
    client.force_login(organiser)
    response = client.post(reverse("candidates:need_assign", args=[need.pk]), {"candidate": f" {other.pk}"})
    assert response.status_code == 404
