"""Talent supply list with Excel export (S6) and search by initials, ID or phone fragment, village (S10)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from candidates.models import Candidate, SkillTag
from candidates.pinyin import name_initials
from candidates.services import create_candidate, update_candidate
from tests.candidates.test_information_file import _fields
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory
from tests.site.test_query_budget import _count_queries


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def found(client, url_name="candidates:list", **params):
    return {c.name for c in client.get(reverse(url_name), params).context["object_list"]}


def test_initials_cover_every_reading():
    assert name_initials("祝心灵").split()[0] == "zxl"
    assert {"zgq", "cgq"} <= set(name_initials("曾国强").split())


def test_services_keep_the_initials(organiser, reference):
    candidate = create_candidate(actor=organiser, township=reference[MINGYANG], fields=_fields(name="祝心灵"))
    assert candidate.name_initials.startswith("zxl")
    update_candidate(
        actor=organiser, candidate_id=candidate.pk, expected_version=candidate.version, fields={"name": "罗返乡"}
    )
    assert Candidate.objects.get(pk=candidate.pk).name_initials == "lfx"


def test_search_by_pinyin_initials_whole_numbers_and_village(client, organiser, reference):
    CandidateFactory(township=reference[MINGYANG], name="祝心灵", phone="13912345678", village=reference[QILONGSHAN])
    CandidateFactory(township=reference[MINGYANG], name="王大伟", phone="13800000000")
    CandidateFactory(township=reference[GUANGONG], name="周晓丽", village=reference[XINAN])
    zxl = Candidate.objects.get(name="祝心灵")
    client.force_login(organiser)
    assert found(client, q="zxl") == {"祝心灵"}
    assert found(client, q="ZX") == {"祝心灵"}
    assert found(client, q="zx") == {"祝心灵"}  # 周晓丽 is in another township
    assert found(client, q="zxl", township="") == {"祝心灵"}
    assert found(client, q=zxl.id_number[-6:]) == set()  # fragments of numbers find nothing (S11)
    assert found(client, q="1234 56") == set()
    assert found(client, q=zxl.id_number) == {"祝心灵"}
    assert found(client, q="139-1234-5678") == {"祝心灵"}
    assert found(client, q="祝心灵 5678") == {"祝心灵"}
    assert found(client, q="骑龙山") == {"祝心灵"}
    assert found(client, q="心灵") == {"祝心灵"}


def test_supply_list_filters_by_skill_work_and_availability(client, district_staff, reference):
    ecommerce = SkillTag.objects.get(name="电商")
    seller = CandidateFactory(
        township=reference[MINGYANG],
        name="电商甲",
        occupation="电商运营",
        current_city="杭州",
        willingness="yes",
        has_industry_skill=True,
    )
    seller.skills.set([ecommerce])
    CandidateFactory(township=reference[GUANGONG], name="退役乙", target_village=reference[XINAN])
    CandidateFactory(township=reference[GUANGONG], name="已出库", status="exited")
    CandidateFactory(township=reference[GUANGONG], name="已提拔", status="promoted")
    client.force_login(district_staff)
    assert found(client, "candidates:supply") == {"电商甲", "退役乙"}
    assert found(client, "candidates:supply", skills=[ecommerce.pk]) == {"电商甲"}
    assert found(client, "candidates:supply", occupation="电商") == {"电商甲"}
    assert found(client, "candidates:supply", current_city="杭州") == {"电商甲"}
    assert found(client, "candidates:supply", willingness="yes") == {"电商甲"}
    assert found(client, "candidates:supply", has_industry_skill="true") == {"电商甲"}
    assert found(client, "candidates:supply", availability="reserved") == {"退役乙"}
    assert found(client, "candidates:supply", availability="available") == {"电商甲"}


def test_supply_list_is_scoped(client, other_organiser, mingyang_candidate, guangong_candidate):
    client.force_login(other_organiser)
    assert found(client, "candidates:supply") == {"李关公"}
    workbook = load_workbook(io.BytesIO(client.get(reverse("candidates:supply"), {"export": "xlsx"}).content))
    names = [row[0] for row in workbook.active.iter_rows(min_row=4, values_only=True)]
    assert names == ["李关公"]


def test_export_is_the_filtered_list_with_formulas_neutralised(client, organiser, reference):
    CandidateFactory(
        township=reference[MINGYANG], name="正常人", occupation='=HYPERLINK("http://x","点我")', willingness="yes"
    )
    CandidateFactory(township=reference[MINGYANG], name="另一人", occupation="+cmd|' /C calc'!A0", willingness="no")
    CandidateFactory.create_batch(30, township=reference[MINGYANG], willingness="considering")
    client.force_login(organiser)
    response = client.get(reverse("candidates:supply"), {"willingness": "yes", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "人才供给清单"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == "姓名" and rows[0][8] == "产业经验或专业技能"
    assert [r[0] for r in rows[1:]] == ["正常人"]
    cell = sheet.cell(row=4, column=10)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == '=HYPERLINK("http://x","点我")'
    assert "*" in rows[1][-1]  # the phone stays masked
    # Unfiltered: every row, not one page of 25.
    response = client.get(reverse("candidates:supply"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[9] for row in sheet.iter_rows(min_row=4)]
    assert len(cells) == 32
    assert any(c.value.startswith("+cmd") and c.data_type == "s" and c.quotePrefix for c in cells if c.value)


@pytest.mark.parametrize("role", ["organiser", "district_staff"])
def test_supply_list_and_export_keep_their_query_budget(client, request, reference, role):
    client.force_login(request.getfixturevalue(role))
    skills = list(SkillTag.objects.all()[:3])

    def add(n):
        for candidate in CandidateFactory.create_batch(
            n, township=reference[MINGYANG], target_village=reference[QILONGSHAN]
        ):
            candidate.skills.set(skills)

    add(3)
    urls = [
        reverse("candidates:supply"),
        reverse("candidates:supply") + "?export=xlsx",
    ]  # one skills query per 2,000 rows
    client.get(urls[0])  # fills the cached township and village drop-downs (cadre_pool.org.choices)
    few = [_count_queries(client, url) for url in urls]
    add(30)
    many = [_count_queries(client, url) for url in urls]
    assert few == many
    assert many[0] <= {"organiser": 10, "district_staff": 10}[role], many


def test_code_table_filters_come_from_the_cache_and_follow_a_change(client, district_staff, reference):
    from cadre_pool.models import Education, OrgUnit

    client.force_login(district_staff)
    university = Education.objects.get(code="20")
    township = OrgUnit.objects.get(code=MINGYANG)
    graduate = CandidateFactory(township=township, education_id="21", name="张本科")
    other = CandidateFactory(township=township, education_id="90", name="李其他")
    url = reverse("candidates:list")
    client.get(url)
    assert _count_queries(client, url) == _count_queries(client, url + "?education=20&gender=1")
    page = client.get(url, {"education": "20"}).content.decode()
    rows = page.split("<tbody>")[1]
    assert graduate.name in rows and other.name not in rows
    # A renamed entry shows at once: saving a code table moves the cache on.
    university.short_name = "大学（改名）"
    university.save()
    assert "大学（改名）" in client.get(url).content.decode()
