"""S16 beyond the candidate file: the app's other edit forms refuse a save over a newer one."""

import re

import pytest
from django.urls import reverse

from candidates.services import save_village_need
from mentorship.models import Mentor
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import MentorFactory

pytestmark = [pytest.mark.reliability]


def _seen(page: str) -> str:
    return re.search(r'name="seen_state" value="([0-9a-f]{64})"', page).group(1)


def test_a_mentor_edit_over_a_newer_save_is_refused(client, organiser, reference, reliability):
    mentor = MentorFactory(township=reference[MINGYANG], name="王导师")
    url = reverse("mentorship:mentor_edit", args=[mentor.pk])
    client.force_login(organiser)
    seen = _seen(client.get(url).text)
    Mentor.objects.filter(pk=mentor.pk).update(work_unit="另一人改的单位")
    data = {"name": "王导师（改）", "role": mentor.role, "work_unit": "另一人改的单位", "capacity": 3, "active": "on"}
    response = client.post(url, {**data, "seen_state": seen})
    lost = int(Mentor.objects.get(pk=mentor.pk).work_unit != "另一人改的单位")
    reliability("lost updates: app edit forms", tried=1, refused=1 - lost, lost=lost)
    assert response.status_code == 200 and "有人在您打开后保存了此记录" in response.text
    assert Mentor.objects.get(pk=mentor.pk).name == "王导师"
    response = client.post(url, {**data, "seen_state": _seen(client.get(url).text)})
    assert response.status_code == 302
    assert Mentor.objects.get(pk=mentor.pk).name == "王导师（改）"


def test_a_need_edit_over_a_newer_save_is_refused(client, organiser, reference):
    need = save_village_need(
        actor=organiser, village=reference[QILONGSHAN], fields={"field": "industry", "title": "发展种养殖"}
    )
    url = reverse("candidates:need_edit", args=[need.pk])
    client.force_login(organiser)
    page = client.get(url).text
    seen = _seen(page)
    type(need).objects.filter(pk=need.pk).update(title="另一人改的需求")
    response = client.post(
        url,
        {
            "field": "industry",
            "title": "我的需求",
            "party": "preferred",
            "priority": "normal",
            "status": "open",
            "village": reference[QILONGSHAN].pk,
            "seen_state": seen,
        },
    )
    assert response.status_code == 200
    assert type(need).objects.get(pk=need.pk).title == "另一人改的需求"
