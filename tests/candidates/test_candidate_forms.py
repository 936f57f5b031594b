"""Creating and editing files through the pages: Chinese errors, derived fields, no mass assignment."""

import pytest
from django.urls import reverse
from django.utils import translation

from candidates.identity import id_check_char
from candidates.models import Candidate, PoolStatus
from tests.conftest import GUANGONG, QILONGSHAN
from tests.factories import CandidateFactory

GOOD_ID = "51190319900307001" + id_check_char("51190319900307001")


def _post_data(reference, **overrides):
    data = {
        "name": "王小明",
        "id_number": GOOD_ID,
        "gender": "",
        "birth_date": "",
        "ethnicity": "01",
        "phone": "139 0000 1111",
        "political_status": "13",
        "party_entry_date": "",
        "education": "21",
        "source_category": "veteran",
        "village": reference[QILONGSHAN].pk,
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _fix_checksum(body17):
    return body17 + id_check_char(body17)


def test_bad_id_shows_chinese_error_and_writes_nothing(client, organiser, reference):
    client.force_login(organiser)
    bad = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")
    response = client.post(reverse("candidates:create"), _post_data(reference, id_number=bad))
    assert response.status_code == 200
    assert "校验码" in response.text
    assert not Candidate.objects.exists()


def test_good_form_creates_a_prospect_with_derived_birth_date_and_gender(client, organiser, reference):
    client.force_login(organiser)
    number = _fix_checksum("51190319900307002")
    response = client.post(reverse("candidates:create"), _post_data(reference, id_number=number.lower()))
    assert response.status_code == 302, response.context["form"].errors
    candidate = Candidate.objects.get()
    assert candidate.id_number == number
    assert str(candidate.birth_date) == "1990-03-07"
    assert candidate.gender_id == "2"
    assert candidate.phone == "13900001111"
    assert candidate.status == PoolStatus.PROSPECT
    assert candidate.township == organiser.unit


def test_gender_that_disagrees_with_id_is_refused(client, organiser, reference):
    client.force_login(organiser)
    response = client.post(reverse("candidates:create"), _post_data(reference, gender="2"))
    assert "性别与身份证号码不符" in response.text
    assert not Candidate.objects.exists()


def test_party_entry_before_birth_is_refused(client, organiser, reference):
    client.force_login(organiser)
    response = client.post(
        reverse("candidates:create"), _post_data(reference, political_status="01", party_entry_date="1980-01-01")
    )
    assert "入党时间" in response.text
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("entry", "age"), [("1992-05-01", 2), ("2008-03-06", 17)])
def test_party_entry_before_the_age_of_18_is_refused_naming_the_age(client, organiser, reference, entry, age):
    client.force_login(organiser)
    response = client.post(
        reverse("candidates:create"), _post_data(reference, political_status="01", party_entry_date=entry)
    )
    assert f"入党时间 {entry} 时本人 {age} 岁" in response.text
    assert "年满 18 周岁" in response.text
    assert not Candidate.objects.exists()


def test_party_entry_on_the_18th_birthday_is_accepted(client, organiser, reference):
    client.force_login(organiser)
    data = _post_data(reference, political_status="02", party_entry_date="2008-03-07")
    assert client.post(reverse("candidates:create"), data).status_code == 302
    assert Candidate.objects.get().party_entry_date.isoformat() == "2008-03-07"


def test_organiser_cannot_set_township_or_status_by_adding_fields(client, organiser, reference):
    client.force_login(organiser)
    data = _post_data(reference, township=reference[GUANGONG].pk, status="promoted", version="99")
    response = client.post(reverse("candidates:create"), data)
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.township == organiser.unit
    assert candidate.status == PoolStatus.PROSPECT
    assert candidate.version == 1


def test_organiser_cannot_pick_a_village_of_another_township(client, organiser, reference):
    client.force_login(organiser)
    response = client.post(reverse("candidates:create"), _post_data(reference, village=reference["511903112206"].pk))
    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_duplicate_id_is_refused_with_a_clear_message(client, organiser, reference, mingyang_candidate):
    client.force_login(organiser)
    response = client.post(reverse("candidates:create"), _post_data(reference, id_number=mingyang_candidate.id_number))
    assert response.status_code == 200
    assert "已存在" in response.text
    assert Candidate.objects.count() == 1


def test_edit_saves_and_bumps_version(client, organiser, reference, mingyang_candidate):
    client.force_login(organiser)
    data = _post_data(
        reference,
        name="张明阳",
        id_number=mingyang_candidate.id_number,
        notes="返乡创业，养殖 200 头生猪",
        version=mingyang_candidate.version,
    )
    response = client.post(reverse("candidates:edit", args=[mingyang_candidate.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    mingyang_candidate.refresh_from_db()
    assert mingyang_candidate.notes.startswith("返乡创业")
    assert mingyang_candidate.version == 2


def test_stale_edit_is_refused_and_nothing_is_lost(client, organiser, reference, mingyang_candidate):
    client.force_login(organiser)
    base = {"name": "张明阳", "id_number": mingyang_candidate.id_number, "version": 1}
    first = client.post(
        reverse("candidates:edit", args=[mingyang_candidate.pk]), _post_data(reference, **base, notes="甲")
    )
    assert first.status_code == 302
    second = client.post(
        reverse("candidates:edit", args=[mingyang_candidate.pk]), _post_data(reference, **base, notes="乙")
    )
    assert second.status_code == 200
    assert "其他人" in second.text
    mingyang_candidate.refresh_from_db()
    assert mingyang_candidate.notes == "甲"


def test_edit_cannot_move_a_file_to_another_township(client, district_staff, reference, mingyang_candidate):
    client.force_login(district_staff)
    data = _post_data(
        reference, name="张明阳", id_number=mingyang_candidate.id_number, version=1, township=reference[GUANGONG].pk
    )
    client.post(reverse("candidates:edit", args=[mingyang_candidate.pk]), data)
    mingyang_candidate.refresh_from_db()
    assert mingyang_candidate.township_id != reference[GUANGONG].pk


def test_district_staff_choose_the_township(client, district_staff, reference):
    client.force_login(district_staff)
    response = client.post(
        reverse("candidates:create"),
        _post_data(reference, township=reference[GUANGONG].pk, village=reference["511903112206"].pk),
    )
    assert response.status_code == 302
    assert Candidate.objects.get().township == reference[GUANGONG]


def test_list_filters_by_status_age_and_text(client, district_staff, reference):
    CandidateFactory(township=reference["511903100000"], name="赵青年", age=26)
    CandidateFactory(township=reference["511903100000"], name="钱中年", age=44, status=PoolStatus.FILED)
    client.force_login(district_staff)

    def names(**params):
        return {c.name for c in client.get(reverse("candidates:list"), params).context["object_list"]}

    assert names(status="filed") == {"钱中年"}
    assert names(age_max=30) == {"赵青年"}
    assert names(age_min=40) == {"钱中年"}
    assert names(q="赵青") == {"赵青年"}
