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
    # The worker's file holds what the page's own export holds, with the same meeting-ready cells.
    settings.EXPORT_ASYNC_THRESHOLD = 5000
    at_once = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx"}))
    assert list(sheet.iter_rows(min_row=3, values_only=True)) == list(at_once.iter_rows(min_row=3, values_only=True))
    assert all(
        c.border.bottom.style == "thin" and c.alignment.wrap_text for row in sheet.iter_rows(min_row=4) for c in row
    )
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


def _expected_row(number, c):
    """A roster row as the model instances show the person (the roster's own code reads values, not instances).

    Empty text reads back from the sheet as an empty cell (None)."""
    school = c.fulltime_school or c.inservice_school
    major = c.fulltime_major if c.fulltime_school else c.inservice_major
    mentors = c.mentor_assignments.filter(end_date__isnull=True).order_by("-is_lead", "start_date")
    posts = c.placements.filter(end_date__isnull=True)
    skills = [tag.name for tag in c.skills.order_by("sort_order")]
    row = (
        number,
        str(c.township),
        str(c.village or ""),
        c.name,
        str(c.gender),
        str(c.ethnicity),
        f"{c.birth_date:%Y.%m}",
        c.age,
        str(c.political_status),
        f"{c.party_entry_date:%Y.%m}" if c.party_entry_date else "",
        c.education.name,
        " ".join(part for part in (school, major) if part),
        c.masked_id_number,
        c.masked_phone,
        c.get_source_category_display(),
        " ".join(part for part in (c.employer, c.occupation) if part),
        "、".join([*skills, *([c.skills_other] if c.skills_other else [])]),
        "、".join(a.mentor.name for a in mentors),
        "、".join(p.post_type.name for p in posts),
        c.get_status_display(),
        c.notes,
    )
    return tuple(None if value == "" else value for value in row)


def test_roster_values_are_what_the_files_show(client, organiser, reference):
    import datetime

    from candidates.models import SkillTag, SourceCategory
    from mentorship import services
    from mentorship.models import PostType
    from tests.factories import MentorFactory

    mentored = CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        name="测试一",
        age=29,
        political_status_id="01",
        party_entry_date=datetime.date(2019, 7, 1),
        ethnicity_id="03",
        inservice_school="市委党校",
        inservice_major="行政管理",
        occupation="网格员",
        notes="=备注",
        source_category=SourceCategory.VETERAN,
        male=False,
    )
    mentored.skills.set(SkillTag.objects.all()[:2])
    lead, second = MentorFactory(township=reference[MINGYANG]), MentorFactory(township=reference[MINGYANG])
    services.assign_mentor(actor=organiser, candidate_id=mentored.pk, mentor_id=lead.pk)
    services.assign_mentor(actor=organiser, candidate_id=mentored.pk, mentor_id=second.pk)
    services.start_placement(
        actor=organiser,
        candidate_id=mentored.pk,
        fields={"post_type": PostType.objects.first(), "village": reference[QILONGSHAN], "duties": "第三网格"},
    )
    plain = CandidateFactory(township=reference[MINGYANG], name="测试二", age=41, status=PoolStatus.FILED)
    client.force_login(organiser)
    sheet = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx"}))
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[3] for row in rows] == ["测试一", "测试二"]
    assert rows == [_expected_row(1, mentored), _expected_row(2, plain)]
    assert rows[0][7] == 29 and rows[1][7] == 41
    assert rows[0][12] == mentored.id_number[:4] + "*" * 10 + mentored.id_number[-4:]
    # The cells users see: bordered and wrapped; formula-like notes stay text.
    cell = sheet.cell(row=4, column=21)
    assert cell.border.left.style == "thin" and cell.alignment.wrap_text and cell.quotePrefix
    # Full values only on a POST by someone allowed to see them.
    sheet = _sheet(client.post(reverse("roster_options"), {"unmasked": "1", "col": ["id_number", "phone"]}))
    assert list(sheet.iter_rows(min_row=4, values_only=True)) == [
        (mentored.id_number, mentored.phone),
        (plain.id_number, plain.phone),
    ]


def test_roster_query_count_does_not_grow_with_rows(client, organiser, reference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            sheet = _sheet(client.get(reverse("candidates:list"), {"export": "xlsx"}))
        return len(queries), sheet.max_row - 3

    CandidateFactory.create_batch(10, township=reference[MINGYANG])
    client.force_login(organiser)
    count_queries()  # fills the cached drop-down choices
    few, rows = count_queries()
    assert rows == 10
    CandidateFactory.create_batch(190, township=reference[MINGYANG])
    many, rows = count_queries()
    assert rows == 200 and many == few, (few, many)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_roster_rows_stream_unless_the_export_reports_progress(organiser, listed, monkeypatch):
    """Outside a transaction Django's server-side cursor is WITH HOLD: PostgreSQL runs the whole query before
    the first row. The roster reads inside a transaction instead, except in the worker, whose progress rows
    must be visible while it runs. Each named cursor the connection opens is looked at as it is made (the
    query log shows DECLARE only with client-side binding)."""
    from django.db import connection
    from django.http import QueryDict
    from openpyxl import Workbook

    from cadre_pool.excel import add_table, workbook_bytes
    from reports.roster import build_roster

    def holdable(**progress) -> list[bool]:
        table, _count = build_roster(organiser, QueryDict())
        opened, create_cursor = [], connection.create_cursor

        def recording(name=None):
            cursor = create_cursor(name)
            if name:
                opened.append(cursor.withhold)
            return cursor

        with monkeypatch.context() as patch:
            patch.setattr(connection, "create_cursor", recording)
            if progress:
                workbook = Workbook(write_only=True)
                add_table(workbook, table, **progress)
                workbook.save(io.BytesIO())
            else:
                workbook_bytes(table)
        return opened

    assert holdable() == [False]
    assert holdable(progress=lambda n: None) == [True]
