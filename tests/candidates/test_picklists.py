"""Pick-lists that fit a township: the type-ahead endpoints, the forms' scoped choices, the admin's labels."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cadre_pool.models import OrgUnit
from candidates.models import Contact, PoolStatus
from mentorship.models import MentorAssignment
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory, MentorFactory, UserFactory

# Each answer costs a fixed number of queries whatever the row count: the session, the user, one search
# (the mentor list first reads the candidate it serves) and the session's renewal.
BUDGETS = {"village_picklist": 4, "candidate_picklist": 4, "mentor_picklist": 5}


def _client(client, user):
    client.force_login(user)
    return client


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [row["id"] for row in response.json()["results"]]


def _labels(response) -> list[str]:
    return [row["label"] for row in response.json()["results"]]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"] and not q["sql"].startswith("SET LOCAL"))


# Villages ------------------------------------------------------------------------------------------------


def test_an_organiser_finds_only_their_townships_villages(client, organiser, reference):
    client = _client(client, organiser)
    url = reverse("village_picklist")
    assert reference[QILONGSHAN].pk in _ids(client.get(url, {"q": "骑龙"}))
    # 西南村 lies in 关公镇; searching the other township's name finds nothing either.
    assert _ids(client.get(url, {"q": "西南"})) == []
    assert _ids(client.get(url, {"q": "关公"})) == []
    mingyang = OrgUnit.objects.villages().filter(parent=reference[MINGYANG])
    everything = client.get(url, {"q": "村"}).json()
    assert {row["id"] for row in everything["results"]} <= set(mingyang.values_list("pk", flat=True))


def test_district_staff_find_every_townships_villages_capped(client, district_staff, reference):
    client = _client(client, district_staff)
    url = reverse("village_picklist")
    assert _ids(client.get(url, {"q": "西南"})) == [reference[XINAN].pk]
    assert _labels(client.get(url, {"q": "西南"})) == ["关公镇 · 西南村"]
    answer = client.get(url, {"q": "村"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True
    only_guangong = _ids(client.get(url, {"q": "村", "township": reference[GUANGONG].pk}))
    assert set(OrgUnit.objects.filter(pk__in=only_guangong).values_list("parent", flat=True)) == {
        reference[GUANGONG].pk
    }


def test_another_townships_township_filter_is_not_found(client, organiser, reference):
    client = _client(client, organiser)
    response = client.get(reverse("village_picklist"), {"q": "村", "township": reference[GUANGONG].pk})
    assert response.status_code == 404
    assert client.get(reverse("village_picklist"), {"q": "村", "township": "abc"}).status_code == 404


def test_the_picklists_answer_writers_only(client, leader, reference, mingyang_candidate):
    assert client.get(reverse("village_picklist"), {"q": "村"}).status_code == 302  # to the sign-in page
    client.force_login(leader)
    for url in [
        reverse("village_picklist"),
        reverse("candidates:picklist"),
        reverse("mentorship:mentor_picklist", args=[mingyang_candidate.pk]),
    ]:
        assert client.get(url, {"q": "张"}).status_code == 403, url


# Candidates ----------------------------------------------------------------------------------------------


def test_the_candidate_search_stays_in_the_township_and_off_numbers(
    client, organiser, reference, mingyang_candidate, guangong_candidate
):
    client = _client(client, organiser)
    url = reverse("candidates:picklist")
    assert _ids(client.get(url, {"q": "张明"})) == [mingyang_candidate.pk]
    assert _labels(client.get(url, {"q": "张明"})) == ["张明阳（骑龙山村）"]
    assert _ids(client.get(url, {"q": "李关公"})) == []
    assert _ids(client.get(url, {"q": "zmy"})) == [mingyang_candidate.pk]  # pinyin initials
    # Neither the ID number nor the phone is ever searched, not even the user's own candidate's.
    for number in [mingyang_candidate.id_number, mingyang_candidate.id_number[:6], mingyang_candidate.phone, "张1"]:
        assert _ids(client.get(url, {"q": number})) == [], number
    assert _ids(client.get(url, {"q": ""})) == []


def test_the_candidate_search_leaves_out_those_who_left_the_pipeline(client, organiser, reference):
    CandidateFactory(township=reference[MINGYANG], name="王已离开", status=PoolStatus.EXITED)
    kept = CandidateFactory(township=reference[MINGYANG], name="王还在", status=PoolStatus.IN_POOL)
    client = _client(client, organiser)
    assert _ids(client.get(reverse("candidates:picklist"), {"q": "王"})) == [kept.pk]


def test_the_candidate_search_is_capped(client, organiser, reference):
    for i in range(25):
        CandidateFactory(township=reference[MINGYANG], name=f"赵{'一二三四五六七八九十'[i % 10]}{i // 10}")
    client = _client(client, organiser)
    answer = client.get(reverse("candidates:picklist"), {"q": "赵"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True


# Mentors -------------------------------------------------------------------------------------------------


def test_the_mentor_search_offers_the_organisers_active_mentors(client, organiser, reference, mingyang_candidate):
    own = MentorFactory(township=reference[MINGYANG], name="李老支书")
    MentorFactory(township=reference[MINGYANG], name="李退休", active=False)
    MentorFactory(township=reference[GUANGONG], name="李关公导师")
    client = _client(client, organiser)
    url = reverse("mentorship:mentor_picklist", args=[mingyang_candidate.pk])
    assert _ids(client.get(url, {"q": "李"})) == [own.pk]
    assert _labels(client.get(url, {"q": "李老"})) == ["李老支书 · 村党组织书记 · 已带 0/3 人"]


def test_district_staff_see_the_candidates_township_first(client, district_staff, reference, mingyang_candidate):
    elsewhere = MentorFactory(township=reference[GUANGONG], name="陈关公")
    home = MentorFactory(township=reference[MINGYANG], name="陈明阳")
    client = _client(client, district_staff)
    url = reverse("mentorship:mentor_picklist", args=[mingyang_candidate.pk])
    assert _ids(client.get(url, {"q": "陈"})) == [home.pk, elsewhere.pk]


def test_another_townships_candidate_has_no_mentor_list(client, organiser, reference, guangong_candidate):
    client = _client(client, organiser)
    response = client.get(reverse("mentorship:mentor_picklist", args=[guangong_candidate.pk]), {"q": "李"})
    assert response.status_code == 404


# Query budgets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_each_picklist_keeps_its_query_budget(client, district_staff, reference, mingyang_candidate, rows):
    for i in range(rows):
        township = reference[MINGYANG] if i % 2 else reference[GUANGONG]
        CandidateFactory(township=township, name=f"张{'甲乙丙丁'[i % 4]}")
        MentorFactory(township=township, name=f"张导师{i}")
    client = _client(client, district_staff)
    client.get(reverse("home"))  # the session is read once, as on any page
    assert _queries(client, reverse("village_picklist"), {"q": "村"}) == BUDGETS["village_picklist"]
    assert _queries(client, reverse("candidates:picklist"), {"q": "张"}) == BUDGETS["candidate_picklist"]
    mentors = reverse("mentorship:mentor_picklist", args=[mingyang_candidate.pk])
    assert _queries(client, mentors, {"q": "张"}) == BUDGETS["mentor_picklist"]


# Posted ids outside the scope: a form error, never a 500 ------------------------------------------------


def test_a_posted_mentor_of_another_township_is_a_form_error(client, organiser, reference, mingyang_candidate):
    stranger = MentorFactory(township=reference[GUANGONG], name="关公导师")
    client = _client(client, organiser)
    url = reverse("mentorship:assign_mentor", args=[mingyang_candidate.pk])
    for value in [stranger.pk, "abc", "99999999"]:
        response = client.post(url, {"mentor": value, "start_date": "2026-12-01"})
        assert response.status_code == 200
        errors = response.context["form"].errors["mentor"]
        assert errors == [f"所选导师（编号 {value}）不在您可分配的在岗导师之中，请重新选择。"]
    assert not MentorAssignment.objects.exists()


def test_the_mentor_form_offers_the_scoped_mentors(client, organiser, reference, mingyang_candidate):
    own = MentorFactory(township=reference[MINGYANG], name="本镇导师")
    stranger = MentorFactory(township=reference[GUANGONG], name="外镇导师")
    client = _client(client, organiser)
    page = client.get(reverse("mentorship:assign_mentor", args=[mingyang_candidate.pk])).content.decode()
    assert "本镇导师" in page and "外镇导师" not in page
    assert f'value="{own.pk}"' in page and f'value="{stranger.pk}"' not in page
    assert 'data-picklist="' + reverse("mentorship:mentor_picklist", args=[mingyang_candidate.pk]) in page


def test_a_posted_candidate_of_another_township_is_a_form_error(
    client, organiser, reference, mingyang_candidate, guangong_candidate
):
    client = _client(client, organiser)
    data = {"kind": "visit", "date": "2026-12-01", "attendees": "王组委", "discussed": "返乡意愿"}
    response = client.post(reverse("candidates:contact_create"), {**data, "candidates": [guangong_candidate.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["candidates"] == [
        f"所选人员（编号 {guangong_candidate.pk}）不在您可登记走访联系的人员之中，请重新选择。"
    ]
    response = client.post(reverse("candidates:contact_create"), {**data, "candidates": ["x1"]})
    assert response.context["form"].errors["candidates"] == ["“x1”不是有效的人员编号。"]
    assert not Contact.objects.exists()
    page = client.get(reverse("candidates:contact_create")).content.decode()
    assert "张明阳" in page and "李关公" not in page


def test_a_posted_village_of_another_township_is_a_form_error(client, organiser, reference, mingyang_candidate):
    client = _client(client, organiser)
    response = client.get(reverse("candidates:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert reference[XINAN] not in form.fields["village"].queryset
    assert reference[XINAN] not in form.fields["target_village"].queryset
    bound = type(form)({"village": reference[XINAN].pk, "target_village": reference[XINAN].pk}, user=organiser)
    bound.is_valid()
    message = f"所选村（编号 {reference[XINAN].pk}）不在您可选择的村之中，请重新选择。"
    assert bound.errors["village"] == [message]
    assert bound.errors["target_village"] == [message]


def test_district_staff_pick_the_home_village_in_the_files_township(client, district_staff, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    client = _client(client, district_staff)
    form = client.get(reverse("candidates:edit", args=[candidate.pk])).context["form"]
    assert set(form.fields["village"].queryset.values_list("parent", flat=True)) == {reference[MINGYANG].pk}
    # A target village may lie anywhere in the district.
    assert reference[XINAN] in form.fields["target_village"].queryset
    assert f"?township={reference[MINGYANG].pk}" in form.fields["village"].widget.attrs["data-picklist"]


def test_a_posted_promotion_village_that_is_not_a_village_is_a_form_error(
    client, district_staff, reference, mingyang_candidate
):
    client = _client(client, district_staff)
    url = reverse("assessments:decide_promotion", args=[mingyang_candidate.pk])
    response = client.post(
        url, {"post": "village_secretary", "village": reference[GUANGONG].pk, "effective_date": "2026-12-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["village"] == [
        f"所选村（编号 {reference[GUANGONG].pk}）不在您可选择的村之中，请重新选择。"
    ]


# The admin -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organiser", "district_staff", "leader"])
def test_township_work_has_no_admin_link(client, request, role, reference):
    client = _client(client, request.getfixturevalue(role))
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") not in page


def test_the_system_administrator_keeps_the_admin_link(client, system_admin):
    client = _client(client, system_admin)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


OUR_APPS = {"cadre_pool", "candidates", "mentorship", "assessments"}


def test_every_admin_label_is_translated():
    """Columns, filters, read-only fields and the models' own names, in Chinese: none left in English
    (the national tables' names keep their standard numbers, "GB/T 2261.1", and "ID" is the same in both)."""
    untranslated = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in OUR_APPS:
                continue
            names = [*model_admin.list_display, *model_admin.readonly_fields]
            names += [item if isinstance(item, str) else item[0] for item in model_admin.list_filter]
            names += [field.name for field in model._meta.concrete_fields if field.name != "id"]
            labels = [str(label_for_field(name, model, model_admin)) for name in dict.fromkeys(names)]
            labels += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
            labels += [str(action.description) for action in model_admin.get_actions(_request()).values()]
            untranslated += [
                (model._meta.label, label)
                for label in labels
                if re.search(r"[A-Za-z]", re.sub(r"GB/T|%\(\w+\)s", "", label))
            ]
    assert untranslated == []


def _request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.build(role="system_admin", is_active=True, unit=None)
    return request
