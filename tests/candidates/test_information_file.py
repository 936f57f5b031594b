"""The complete information file (S1) and one file per person (S9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from candidates.identity import id_check_char
from candidates.models import Candidate, SkillTag, Willingness
from candidates.services import create_candidate, update_candidate
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

BODY = "51190319900307001"
GOOD_ID = BODY + id_check_char(BODY)


def _fields(**overrides):
    fields = {
        "name": "王小明",
        "gender_id": "1",
        "ethnicity_id": "01",
        "id_number": GOOD_ID,
        "birth_date": datetime.date(1990, 3, 7),
        "phone": "13900001111",
        "political_status_id": "13",
        "education_id": "21",
        "source_category": "migrant_business",
    }
    fields.update(overrides)
    return fields


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_full_file_is_saved_with_skills_and_history(organiser, reference):
    tags = list(SkillTag.objects.filter(name__in=["电商", "财务"]))
    candidate = create_candidate(
        actor=organiser,
        township=reference[MINGYANG],
        fields=_fields(
            native_place="四川巴中",
            current_city="浙江杭州",
            employer="杭州某电商公司",
            occupation="电商运营",
            fulltime_education_id="31",
            fulltime_school="四川农业大学",
            fulltime_major="农学",
            degree_id="4",
            health_id="1",
            willingness=Willingness.CONSIDERING,
            target_village=reference[QILONGSHAN],
        ),
        skills=tags,
        work_history=[
            {"start": datetime.date(2012, 7, 1), "end": datetime.date(2016, 6, 30), "unit": "甲公司", "role": "职员"},
            {"start": datetime.date(2016, 7, 1), "end": None, "unit": "乙公司", "role": "运营主管"},
        ],
    )
    candidate.refresh_from_db()
    assert candidate.has_industry_skill
    assert {t.name for t in candidate.skills.all()} == {"电商", "财务"}
    assert [e.unit for e in candidate.work_history.all()] == ["甲公司", "乙公司"]
    assert candidate.target_village == reference[QILONGSHAN]


def test_industry_skill_flag_follows_tags_and_free_text(organiser, reference):
    candidate = create_candidate(actor=organiser, township=reference[MINGYANG], fields=_fields())
    assert not candidate.has_industry_skill
    candidate = update_candidate(
        actor=organiser, candidate_id=candidate.pk, expected_version=candidate.version, fields={"skills_other": "养蜂"}
    )
    assert Candidate.objects.get(pk=candidate.pk).has_industry_skill
    candidate = update_candidate(
        actor=organiser,
        candidate_id=candidate.pk,
        expected_version=candidate.version,
        fields={"skills_other": ""},
        skills=[],
    )
    assert not Candidate.objects.get(pk=candidate.pk).has_industry_skill


@pytest.mark.parametrize(
    ("history", "fragment"),
    [
        ([{"start": datetime.date(2015, 1, 1), "end": datetime.date(2014, 1, 1), "unit": "甲", "role": "x"}], "结束"),
        (
            [
                {"start": datetime.date(2012, 1, 1), "end": datetime.date(2016, 1, 1), "unit": "甲", "role": "x"},
                {"start": datetime.date(2015, 1, 1), "end": None, "unit": "乙", "role": "y"},
            ],
            "重叠",
        ),
        ([{"start": datetime.date(1989, 1, 1), "end": None, "unit": "甲", "role": "x"}], "出生"),
        (
            [{"start": timezone.localdate() + datetime.timedelta(days=30), "end": None, "unit": "甲", "role": "x"}],
            "将来",
        ),
    ],
)
def test_work_history_out_of_order_is_refused(organiser, reference, history, fragment):
    with pytest.raises(ValidationError) as info:
        create_candidate(actor=organiser, township=reference[MINGYANG], fields=_fields(), work_history=history)
    assert fragment in " ".join(info.value.messages)
    assert not Candidate.objects.exists()


def test_organiser_cannot_target_a_village_of_another_township(organiser, reference):
    with pytest.raises(ValidationError) as info:
        create_candidate(
            actor=organiser, township=reference[MINGYANG], fields=_fields(target_village=reference["511903112206"])
        )
    assert "target_village" in info.value.error_dict


def test_older_candidate_is_filed_with_a_warning(client, organiser, reference):
    client.force_login(organiser)
    body = f"511903{timezone.localdate().year - 50}0101003"
    response = client.post(
        reverse("candidates:create"),
        {
            "name": "年长者",
            "id_number": body + id_check_char(body),
            "ethnicity": "01",
            "phone": "13900002222",
            "political_status": "13",
            "education": "21",
            "source_category": "veteran",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Candidate.objects.filter(name="年长者").exists()
    assert "通常年龄上限" in response.text


def test_edit_page_saves_work_history_rows(client, organiser, reference):
    candidate = CandidateFactory(township=reference[MINGYANG], age=30)
    client.force_login(organiser)
    page = client.get(reverse("candidates:edit", args=[candidate.pk]))
    data = {
        "version": candidate.version,
        "name": candidate.name,
        "id_number": candidate.id_number,
        "gender": "1",
        "birth_date": candidate.birth_date.isoformat(),
        "ethnicity": "01",
        "phone": candidate.phone,
        "political_status": "13",
        "education": "21",
        "source_category": "veteran",
        "skills": [SkillTag.objects.get(name="物流").pk],
        "work-TOTAL_FORMS": "2",
        "work-INITIAL_FORMS": "0",
        "work-0-start": "2018-03-01",
        "work-0-end": "",
        "work-0-unit": "巴中物流园",
        "work-0-role": "调度",
    }
    assert page.status_code == 200
    response = client.post(reverse("candidates:edit", args=[candidate.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    candidate.refresh_from_db()
    assert [e.unit for e in candidate.work_history.all()] == ["巴中物流园"]
    assert candidate.has_industry_skill
    detail = client.get(reverse("candidate_file", args=[candidate.pk]))
    assert "巴中物流园" in detail.text and "物流" in detail.text


# One person, one file (S9).


def test_second_file_in_another_township_is_refused_without_details(other_organiser, reference):
    existing = CandidateFactory(township=reference[MINGYANG], name="张明阳")
    with pytest.raises(ValidationError) as info:
        create_candidate(
            actor=other_organiser,
            township=reference[GUANGONG],
            fields=_fields(id_number=existing.id_number.lower(), birth_date=existing.birth_date),
        )
    message = " ".join(info.value.message_dict["id_number"])
    assert "已在其他乡镇建档" in message
    assert "张明阳" not in message and "明阳镇" not in message
    assert Candidate.objects.count() == 1


def test_district_staff_are_told_where_the_person_is(district_staff, reference):
    existing = CandidateFactory(township=reference[MINGYANG], name="张明阳")
    with pytest.raises(ValidationError) as info:
        create_candidate(
            actor=district_staff,
            township=reference[GUANGONG],
            fields=_fields(id_number=existing.id_number, birth_date=existing.birth_date),
        )
    message = " ".join(info.value.message_dict["id_number"])
    assert "张明阳" in message and "明阳镇" in message


def test_changing_an_id_to_someone_elses_is_refused(other_organiser, reference):
    existing = CandidateFactory(township=reference[MINGYANG])
    mine = CandidateFactory(township=reference[GUANGONG], birth_date=existing.birth_date)
    with pytest.raises(ValidationError) as info:
        update_candidate(
            actor=other_organiser,
            candidate_id=mine.pk,
            expected_version=mine.version,
            fields={"id_number": existing.id_number},
        )
    assert "已在其他乡镇建档" in " ".join(info.value.message_dict["id_number"])


def test_duplicate_message_reaches_the_form(client, other_organiser, reference):
    existing = CandidateFactory(township=reference[MINGYANG], name="张明阳")
    client.force_login(other_organiser)
    response = client.post(
        reverse("candidates:create"),
        {
            "name": "张明阳",
            "id_number": existing.id_number,
            "ethnicity": "01",
            "phone": "13900003333",
            "political_status": "13",
            "education": "21",
            "source_category": "veteran",
        },
    )
    assert response.status_code == 200
    assert "已在其他乡镇建档" in response.text
    assert "明阳镇" not in response.text.split("<main", 1)[1]


def test_file_form_pages_keep_their_query_budget(client, organiser, reference):
    from tests.site.test_query_budget import _count_queries

    candidate = CandidateFactory(township=reference[MINGYANG], age=40)
    client.force_login(organiser)
    urls = [reverse("candidates:create"), reverse("candidates:edit", args=[candidate.pk])]
    few = [_count_queries(client, url) for url in urls]
    candidate.skills.set(SkillTag.objects.all()[:4])
    for year in range(2005, 2015):
        candidate.work_history.create(
            start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 1), unit=f"单位{year}", role="职员"
        )
    many = [_count_queries(client, url) for url in urls]
    assert few == many
    # Each drop-down is one query (villages twice, education levels three times); the edit adds the file,
    # its skills and its work history.
    assert many[0] <= 14 and many[1] <= 17, many
