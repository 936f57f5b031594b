"""S16: the admin keeps no lost update and answers bad input with a form error, never a 500."""

import re

import pytest
from django.urls import reverse

from candidates.models import Candidate
from tests.candidates.test_candidate_forms import _post_data
from tests.conftest import QILONGSHAN, XINAN

pytestmark = [pytest.mark.reliability]


def _admin_form_data(page: str) -> dict:
    """The change form's inputs as the browser would post them back."""
    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    return data


def test_an_admin_save_over_a_newer_app_save_is_refused(
    client, district_staff, organiser, reference, mingyang_candidate, reliability
):
    admin_url = reverse("admin:candidates_candidate_change", args=[mingyang_candidate.pk])
    client.force_login(district_staff)
    seen = _admin_form_data(client.get(admin_url).text)
    assert seen["seen_version"] == "1"

    client.force_login(organiser)  # meanwhile, in the app
    edit = {"id_number": mingyang_candidate.id_number, "version": 1, "notes": "组织委员的修改"}
    assert (
        client.post(reverse("candidates:edit", args=[mingyang_candidate.pk]), _post_data(reference, **edit)).status_code
        == 302
    )

    client.force_login(district_staff)
    response = client.post(admin_url, {**seen, "notes": "区委的修改", "_save": "Save"})
    assert response.status_code == 200
    assert "Someone else saved this file" in response.text or "有人在您打开后保存了" in response.text
    candidate = Candidate.objects.get(pk=mingyang_candidate.pk)
    lost = int(candidate.notes != "组织委员的修改")
    reliability("lost updates: admin save over an app save", tried=1, refused=1 - lost, lost=lost)
    assert (candidate.notes, candidate.version) == ("组织委员的修改", 2)

    fresh = _admin_form_data(client.get(admin_url).text)
    assert client.post(admin_url, {**fresh, "notes": "区委的修改", "_save": "Save"}).status_code == 302
    assert Candidate.objects.get(pk=mingyang_candidate.pk).notes == "区委的修改"


def test_an_out_of_scope_village_in_the_admin_is_a_form_error(client, organiser, reference, mingyang_candidate):
    admin_url = reverse("admin:candidates_candidate_change", args=[mingyang_candidate.pk])
    client.force_login(organiser)
    data = _admin_form_data(client.get(admin_url).text)
    response = client.post(admin_url, {**data, "target_village": reference[XINAN].pk, "_save": "Save"})
    assert response.status_code == 200 and "target_village" in response.context["adminform"].form.errors
    response = client.post(admin_url, {**data, "target_village": reference[QILONGSHAN].pk, "_save": "Save"})
    assert response.status_code == 302
    assert Candidate.objects.get(pk=mingyang_candidate.pk).target_village_id == reference[QILONGSHAN].pk


def test_every_admin_form_refuses_a_save_over_a_newer_one(client, system_admin, reference, reliability):
    from cadre_pool.models import OrgUnit

    village = reference[QILONGSHAN]
    url = reverse("admin:cadre_pool_orgunit_change", args=[village.pk])
    client.force_login(system_admin)
    seen = _admin_form_data(client.get(url).text)
    assert seen["seen_state"]
    OrgUnit.objects.filter(pk=village.pk).update(short_name="另一人改的简称")  # someone else saves meanwhile
    response = client.post(url, {**seen, "name": "骑龙山村（改）", "_save": "Save"})
    lost = int(OrgUnit.objects.get(pk=village.pk).short_name != "另一人改的简称")
    reliability("lost updates: admin save over another save", tried=1, refused=1 - lost, lost=lost)
    assert response.status_code == 200
    assert OrgUnit.objects.get(pk=village.pk).name == village.name
    fresh = _admin_form_data(client.get(url).text)
    assert client.post(url, {**fresh, "name": "骑龙山村（改）", "_save": "Save"}).status_code == 302
    assert OrgUnit.objects.get(pk=village.pk).name == "骑龙山村（改）"
