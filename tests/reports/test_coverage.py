"""Village coverage: a person in the pool counts for their target village, else their home village,
the same on the coverage page, the dashboard and the statistics workbook."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cadre_pool.models import OrgUnit
from candidates.models import PoolStatus
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def mingyang_village(reference):
    """A second village of 明阳镇 besides 骑龙山村."""
    return OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[0]


def _coverage(client, township):
    response = client.get(reverse("coverage"), {"township": township.pk})
    assert response.status_code == 200
    return response, {v.code: v for v in response.context["villages"]}


def test_a_pool_member_without_target_village_counts_for_the_home_village(client, organiser, reference):
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="甲户籍")
    client.force_login(organiser)
    response, villages = _coverage(client, reference[MINGYANG])
    qilongshan = villages[QILONGSHAN]
    assert (qilongshan.reserves, qilongshan.reserves_by_target, qilongshan.reserves_by_home) == (1, 0, 1)
    assert [c.name for c in qilongshan.pool_reserves] == ["甲户籍"]
    row = response.context["summary"][0]
    assert (row["one"], row["by_target"], row["by_home"]) == (1, 0, 1)


def test_a_target_village_counts_only_there(client, organiser, reference, mingyang_village):
    CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], target_village=mingyang_village, name="乙拟任"
    )
    client.force_login(organiser)
    _response, villages = _coverage(client, reference[MINGYANG])
    assert villages[QILONGSHAN].reserves == 0
    target = villages[mingyang_village.code]
    assert (target.reserves, target.reserves_by_target, target.reserves_by_home) == (1, 1, 0)
    assert [c.name for c in target.pool_reserves] == ["乙拟任"]


@pytest.mark.parametrize(
    "status", [PoolStatus.PROSPECT, PoolStatus.FILED, PoolStatus.PROPOSED, PoolStatus.PROMOTED, PoolStatus.EXITED]
)
def test_people_not_in_the_pool_never_count(client, organiser, reference, status):
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], status=status)
    CandidateFactory(township=reference[MINGYANG], target_village=reference[QILONGSHAN], status=status)
    client.force_login(organiser)
    _response, villages = _coverage(client, reference[MINGYANG])
    assert villages[QILONGSHAN].reserves == 0
    assert villages[QILONGSHAN].pool_reserves == []


def test_another_townships_reserves_never_leak(client, organiser, district_staff, reference):
    CandidateFactory(township=reference[GUANGONG], village=reference[XINAN])
    CandidateFactory(township=reference[GUANGONG], village=reference[XINAN], target_village=reference[XINAN])
    client.force_login(organiser)
    response, villages = _coverage(client, reference[MINGYANG])
    assert all(v.reserves == 0 for v in villages.values())
    assert [row["township"].code for row in response.context["summary"]] == [MINGYANG]
    assert response.context["summary"][0]["zero"] == len(villages)
    client.force_login(district_staff)
    response, villages = _coverage(client, reference[GUANGONG])
    assert (villages[XINAN].reserves_by_target, villages[XINAN].reserves_by_home) == (1, 1)
    rows = {row["township"].code: row for row in response.context["summary"]}
    assert (rows[MINGYANG]["by_target"], rows[MINGYANG]["by_home"]) == (0, 0)
    assert (rows[GUANGONG]["by_target"], rows[GUANGONG]["by_home"], rows[GUANGONG]["two"]) == (1, 1, 1)


def test_the_page_says_which_basis_each_count_used(client, organiser, reference, mingyang_village):
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="甲户籍")
    CandidateFactory(township=reference[MINGYANG], target_village=reference[QILONGSHAN], name="乙拟任")
    client.force_login(organiser)
    response, _villages = _coverage(client, reference[MINGYANG])
    text = response.text
    assert "入库人选按拟任职村计入；未填拟任职村的，按户籍村计入。" in text
    assert "2（拟任职村 1，户籍村 1）" in text
    assert '甲户籍</a><span class="text-muted small">（户籍村）</span>' in text
    assert "拟任职村 1 人，户籍村 1 人" in text
    client.cookies["django_language"] = "en"
    english = client.get(reverse("coverage"), {"township": reference[MINGYANG].pk}).text
    assert "2 (1 by target village, 1 by home village)" in english
    assert "1 by target village, 1 by home village" in english
    assert "where none is set, for their home village" in english
    assert "(home village)" in english


def test_the_dashboard_and_the_workbook_agree_with_the_page(client, organiser, reference, mingyang_village):
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    CandidateFactory(township=reference[MINGYANG], village=mingyang_village, target_village=reference[QILONGSHAN])
    CandidateFactory(township=reference[MINGYANG], village=mingyang_village, status=PoolStatus.PROSPECT)
    CandidateFactory(township=reference[MINGYANG], target_village=mingyang_village)
    CandidateFactory(township=reference[GUANGONG], village=reference[XINAN])
    client.force_login(organiser)
    response = client.get(reverse("coverage"))
    page = response.context["summary"][0]
    assert (page["zero"], page["one"], page["two"]) == (page["villages"] - 2, 1, 1)
    figure = next(f for f in client.get(reverse("dashboard")).context["figures"] if f.key == "coverage")
    assert [value for _label, value, _link in figure.rows] == [page["zero"], page["one"], page["two"]]
    assert "拟任职村" in figure.title and "户籍村" in figure.title
    workbook = load_workbook(io.BytesIO(client.get(reverse("dashboard"), {"export": "xlsx"}).content))
    sheet = next(ws for ws in workbook.worksheets if any("户籍村" in str(c.value or "") for c in ws["A"][:3]))
    values = [row[1] for row in sheet.iter_rows(values_only=True) if row[0] in {"无后备力量", "1 名", "2 名及以上"}]
    assert values == [page["zero"], page["one"], page["two"]]


def test_the_promotion_form_preselects_the_target_village(client, district_staff, reference, mingyang_village):
    meant = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], target_village=mingyang_village
    )
    local = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(district_staff)
    form = client.get(reverse("assessments:decide_promotion", args=[meant.pk])).context["form"]
    assert form["village"].value() == mingyang_village.pk
    form = client.get(reverse("assessments:decide_promotion", args=[local.pk])).context["form"]
    assert form["village"].value() == reference[QILONGSHAN].pk
