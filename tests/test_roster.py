"""The roster (花名册) export of the candidate list, parsed back with openpyxl."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cadre_pool.models import Export
from candidates.models import PoolStatus
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

FULL_ID = re.compile(r"\d{17}[\dX]")
FULL_PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def listed(reference, district_staff):
    rows = [
        CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name='=HYPERLINK("x")'),
        CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="陈一"),
        CandidateFactory(township=reference[MINGYANG], name="陈二", status=PoolStatus.FILED),
        CandidateFactory(township=reference[GUANGONG], name="关三"),
    ]
    return rows


def _sheet(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active


def _cells(sheet):
    return [c for row in sheet.iter_rows() for c in row]


def test_roster_matches_the_filtered_list_masked_and_meeting_ready(client, organiser, listed):
    client.force_login(organiser)
    params = {"status": "in_pool"}
    listed_count = client.get(reverse("candidates:list"), params).context["paginator"].count
    sheet = _sheet(client.get(reverse("candidates:list"), {**params, "export": "xlsx"}))
    assert "村党组织书记后备力量花名册" in sheet["A1"].value
    assert "状态：已入库" in sheet["A2"].value and "已脱敏" in sheet["A2"].value
    headers = [c.value for c in sheet[3]]
    assert headers[:4] == ["序号", "乡镇(街道)", "村(社区)", "姓名"]
    data = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(data) == listed_count == 2
    assert [row[0] for row in data] == [1, 2]
    assert not any(c.data_type == "f" for c in _cells(sheet))
    assert '=HYPERLINK("x")' in [row[3] for row in data]
    text = " ".join(str(c.value) for c in _cells(sheet) if c.value)
    assert not FULL_ID.search(text) and not FULL_PHONE.search(text)
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"


def test_the_user_chooses_and_orders_columns(client, organiser, listed):
    client.force_login(organiser)
    response = client.get(
        reverse("candidates:list"),
        {"export": "xlsx", "col": ["name", "number", "status"], "pos_name": "2", "pos_number": "1", "pos_status": "3"},
    )
    sheet = _sheet(response)
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "状态"]


def test_full_values_need_permission_the_tick_and_a_post(client, organiser, leader, listed):
    client.force_login(organiser)
    sheet = _sheet(client.post(reverse("roster_options"), {"unmasked": "1", "q": "陈一", "col": ["name", "id_number"]}))
    row = next(sheet.iter_rows(min_row=4, values_only=True))
    headers = [c.value for c in sheet[3]]
    assert row[headers.index("公民身份号码")] == listed[1].id_number
    # The same request as a link (GET) stays masked: a URL cannot reveal anything.
    sheet = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx", "unmasked": "1", "q": "陈一"}))
    assert not FULL_ID.search(" ".join(str(c.value) for c in _cells(sheet) if c.value))
    client.force_login(leader)
    sheet = _sheet(client.post(reverse("roster_options"), {"unmasked": "1"}))
    text = " ".join(str(c.value) for c in _cells(sheet) if c.value)
    assert not FULL_ID.search(text)


def test_organiser_exports_only_their_township(client, organiser, listed):
    client.force_login(organiser)
    sheet = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx"}))
    names = [row[3] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert "关三" not in names and len(names) == 3


@pytest.mark.django_db(transaction=True)
def test_large_exports_run_in_the_background_and_are_private(
    client, organiser, other_organiser, listed, settings, tmp_path
):
    settings.EXPORT_ASYNC_THRESHOLD = 2
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(organiser)
    response = client.get(reverse("candidates:list"), {"export": "xlsx"})
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_status", args=[export.pk])
    page = client.get(reverse("export_status", args=[export.pk]))
    assert 'http-equiv="refresh"' in page.text
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    export.refresh_from_db()
    assert (export.status, export.written, export.total) == ("done", 3, 3)
    sheet = _sheet(client.get(reverse("export_download", args=[export.pk])))
    assert len(list(sheet.iter_rows(min_row=4))) == 3
    client.force_login(other_organiser)
    assert client.get(reverse("export_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_roster_options_keep_the_filters(client, organiser, listed):
    client.force_login(organiser)
    page = client.get(reverse("roster_options"), {"status": "in_pool", "q": "陈"})
    assert 'name="status" value="in_pool"' in page.text
    assert 'name="unmasked"' in page.text


def test_mentoring_logs_list_and_export(client, organiser, other_organiser, reference, district_staff):
    from mentorship import services
    from tests.factories import MentorFactory

    person = CandidateFactory(township=reference[MINGYANG], name="帮带甲")
    mentor = MentorFactory(township=reference[MINGYANG])
    services.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    for kind in ["policy_study", "speaking", "mediation"]:
        services.record_mentoring_log(
            actor=organiser, candidate_id=person.pk, fields={"kind": kind, "content": "=1+1", "mentor": mentor}
        )
    client.force_login(organiser)
    page = client.get(reverse("mentorship:logs"), {"kind": "speaking"})
    assert page.context["page_obj"].paginator.count == 1
    sheet = _sheet(client.get(reverse("mentorship:logs"), {"export": "xlsx"}))
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 3 and rows[0][2] == "帮带甲" and rows[0][5] == "=1+1"
    assert not any(c.data_type == "f" for c in _cells(sheet))
    client.force_login(other_organiser)
    assert client.get(reverse("mentorship:logs")).context["page_obj"].paginator.count == 0


def test_round_results_export(client, organiser, district_staff, reference):
    import datetime

    from assessments import services

    CandidateFactory.create_batch(2, township=reference[MINGYANG])
    CandidateFactory(township=reference[GUANGONG])
    review_round = services.open_round(
        actor=district_staff,
        name="2026 回头看",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 11, 1),
        due_date=datetime.date(2026, 12, 31),
    )
    review = review_round.reviews.filter(candidate__township=reference[MINGYANG]).first()
    services.fill_review(
        actor=organiser,
        review_id=review.pk,
        fields={
            "political": "good",
            "ability": "excellent",
            "style": "good",
            "reputation": "fair",
            "conclusion": "keep",
        },
    )
    client.force_login(organiser)
    sheet = _sheet(client.get(reverse("assessments:round", args=[review_round.pk]), {"export": "xlsx"}))
    assert sheet["A1"].value == "2026 回头看"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 2
    headers = [c.value for c in sheet[3]]
    assert "履职能力" in headers and "优秀" in [row[headers.index("履职能力")] for row in rows]


def test_roster_has_the_default_columns_of_a_meeting_roster(client, organiser, reference):
    from candidates.models import SkillTag

    person = CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        fulltime_school="四川农业大学",
        fulltime_major="园艺",
        employer="巴中市某合作社",
        occupation="种植",
        skills_other="直播带货",
    )
    person.skills.set(SkillTag.objects.filter(name__in=["电商", "种养殖"]))
    client.force_login(organiser)
    sheet = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx"}))
    headers = [c.value for c in sheet[3]]
    assert headers == [
        "序号",
        "乡镇(街道)",
        "村(社区)",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "年龄",
        "政治面貌",
        "入党时间",
        "学历",
        "毕业院校及专业",
        "公民身份号码",
        "联系电话",
        "人员类别",
        "现工作单位及职务",
        "产业经验或专业技能",
        "成长导师",
        "岗位锻炼",
        "状态",
        "备注",
    ]
    row = dict(zip(headers, next(sheet.iter_rows(min_row=4, values_only=True)), strict=True))
    assert row["毕业院校及专业"] == "四川农业大学 园艺"
    assert row["现工作单位及职务"] == "巴中市某合作社 种植"
    assert set(row["产业经验或专业技能"].split("、")) == {"电商", "种养殖", "直播带货"}
