"""Dashboard figures against a hand-counted fixture, their links, budgets and the workbooks."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from candidates.models import PoolStatus
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory


@pytest.fixture
def known_pool(reference, district_staff):
    """明阳镇: 3 in the pool (ages 28, 33, 44; one woman; two party members) and 1 prospect; 关公镇: 1 in the pool."""
    CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        age=28,
        political_status_id="01",
        party_entry_date="2018-07-01",
        source_category="veteran",
    )
    CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        age=33,
        male=False,
        political_status_id="01",
        party_entry_date="2015-07-01",
        education_id="31",
    )
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], age=44, education_id="61")
    CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT, age=25)
    CandidateFactory(township=reference[GUANGONG], village=reference[XINAN], age=50)


def _figure(response, key):
    return {label: value for label, value, _link in next(f for f in response.context["figures"] if f.key == key).rows}


def test_organiser_dashboard_matches_hand_counts(client, organiser, known_pool):
    client.force_login(organiser)
    response = client.get(reverse("dashboard"))
    assert _figure(response, "status")["已入库"] == 3
    assert _figure(response, "status")["意向人选"] == 1
    assert _figure(response, "age") == {"≤ 30": 1, "31–35": 1, "36–40": 0, "41–45": 1, "> 45": 0}
    assert _figure(response, "gender") == {"男": 2, "女": 1}
    assert _figure(response, "political")["中共党员"] == 2
    assert _figure(response, "source")["退役军人"] == 1
    assert _figure(response, "education") == {"大学本科教育": 1, "大学专科教育": 1, "普通高级中学教育": 1}
    assert response.context["progress"]["in_pool"] == 3


def test_district_sees_all_townships_and_can_narrow_to_one(client, district_staff, known_pool, reference):
    client.force_login(district_staff)
    whole = client.get(reverse("dashboard"))
    assert _figure(whole, "age")["> 45"] == 1
    assert _figure(whole, "status")["已入库"] == 4
    one = client.get(reverse("dashboard"), {"township": reference[GUANGONG].pk})
    assert _figure(one, "status")["已入库"] == 1


def test_organiser_cannot_pick_another_township(client, organiser, known_pool, reference):
    client.force_login(organiser)
    response = client.get(reverse("dashboard"), {"township": reference[GUANGONG].pk})
    assert _figure(response, "status")["已入库"] == 3


def test_every_figure_links_to_the_list_with_the_same_count(client, district_staff, known_pool):
    client.force_login(district_staff)
    response = client.get(reverse("dashboard"))
    for figure in response.context["figures"]:
        if figure.key == "coverage":
            continue  # links to the coverage page, checked below
        for label, value, link in figure.rows:
            listed = client.get(link).context["paginator"].count
            assert listed == value, (figure.key, label, link)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.mark.parametrize("url_name", ["dashboard", "township_comparison"])
def test_budget_is_independent_of_pool_size(client, district_staff, reference, url_name):
    client.force_login(district_staff)
    CandidateFactory.create_batch(3, township=reference[MINGYANG])
    client.get(reverse(url_name))  # fills the cached code tables and drop-downs (cadre_pool.org.choices)
    few = _queries(client, reverse(url_name))
    CandidateFactory.create_batch(30, township=reference[GUANGONG])
    assert _queries(client, reverse(url_name)) == few <= 20


def test_statistics_workbook_has_a_sheet_per_table(client, district_staff, known_pool):
    client.force_login(district_staff)
    response = client.get(reverse("dashboard"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 10  # nine figures and tables, and cultivation (secondments by mode)
    status = workbook[workbook.sheetnames[0]]
    values = {row[0]: row[1] for row in status.iter_rows(min_row=4, values_only=True)}
    assert values["已入库"] == 4 and values["合计"] == 5
    assert not any(c.data_type == "f" for ws in workbook for row in ws.iter_rows() for c in row)


def test_township_comparison_exports_the_same_rows(client, district_staff, known_pool):
    client.force_login(district_staff)
    page = client.get(reverse("township_comparison"))
    rows = {str(row["township"]): row for row in page.context["rows"]}
    assert rows["明阳镇"]["in_pool"] == 3 and rows["明阳镇"]["party_share"] == 67
    sheet = load_workbook(io.BytesIO(client.get(reverse("township_comparison"), {"export": "xlsx"}).content)).active
    exported = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(exported) == 18
    assert exported["明阳镇"][3] == 3
    assert sheet.print_title_rows == "$3:$3"


def test_coverage_and_skill_share_on_the_dashboard(client, organiser, known_pool, reference):
    from cadre_pool.models import OrgUnit
    from candidates.models import Candidate

    reserve = Candidate.objects.filter(township=reference[MINGYANG], status=PoolStatus.IN_POOL).first()
    Candidate.objects.filter(pk=reserve.pk).update(target_village=reference[QILONGSHAN], has_industry_skill=True)
    client.force_login(organiser)
    response = client.get(reverse("dashboard"))
    villages = OrgUnit.objects.villages().filter(parent=reference[MINGYANG], active=True).count()
    # All three of 明阳镇's pool live in 骑龙山村: one by target village, two by home village.
    assert _figure(response, "coverage") == {"无后备力量": villages - 1, "1 名": 0, "2 名及以上": 1}
    assert _figure(response, "skills") == {"有": 1, "无": 2}
    skill_link = next(f for f in response.context["figures"] if f.key == "skills").rows[0][2]
    assert client.get(skill_link).context["paginator"].count == 1
