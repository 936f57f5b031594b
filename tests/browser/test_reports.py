"""Browser journey: the Excel round-trip and the dashboard's click-through."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from candidates.identity import id_check_char
from candidates.models import Candidate, PoolStatus
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _id(sequence: int) -> str:
    body = f"51190319920315{sequence:03d}"
    return body + id_check_char(body)


def test_organiser_round_trips_excel(page, live_server, organiser, reference, screenshot, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/")
    page.get_by_role("link", name="从 Excel 导入").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook["花名册"]
    headers = [c.value for c in sheet[3]]
    people = [
        {
            "姓名": "模板甲",
            "公民身份号码": _id(11),
            "政治面貌": "中共党员",
            "入党时间": "2016.07",
            "学历": "大学本科",
            "人员类别": "退役军人",
            "村(社区)": "骑龙山村",
            "联系电话": "13900001111",
        },
        {
            "姓名": "模板乙",
            "公民身份号码": _id(11)[:-1] + ("0" if _id(11)[-1] != "0" else "1"),
            "政治面貌": "群众",
            "学历": "大学专科",
            "人员类别": "本土大学毕业生",
            "村(社区)": "骑龙山村",
            "联系电话": "13900002222",
        },
    ]
    people[1]["公民身份号码"] = _id(13)[:-1] + ("0" if _id(13)[-1] != "0" else "1")
    for row, person in enumerate(people, start=4):
        for column, header in enumerate(headers, start=1):
            if header in person:
                sheet.cell(row=row, column=column, value=person[header])
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)

    page.locator("#id_file").set_input_files(str(filled))
    page.get_by_role("button", name="检查工作簿").click()
    expect(page.get_by_test_id("import-blocked")).to_be_visible()
    expect(page.get_by_test_id("import-rows")).to_contain_text("公民身份号码校验码不正确")
    screenshot("import-error")
    assert not Candidate.objects.filter(name__startswith="模板").exists()

    sheet.cell(row=5, column=headers.index("公民身份号码") + 1, value=_id(13))
    workbook.save(filled)
    page.get_by_role("link", name="从 Excel 导入").first.click() if page.get_by_role(
        "link", name="从 Excel 导入"
    ).count() else page.goto(f"{live_server.url}/candidates/import/")
    page.locator("#id_file").set_input_files(str(filled))
    page.get_by_role("button", name="检查工作簿").click()
    expect(page.get_by_test_id("import-counts")).to_contain_text("新建 2")
    page.get_by_role("button", name="导入全部 2 人").click()
    expect(page.get_by_role("alert").first).to_contain_text("新建档案 2 份")
    screenshot("import-done")
    assert Candidate.objects.filter(name__startswith="模板", township=reference[MINGYANG]).count() == 2

    page.goto(f"{live_server.url}/candidates/?q=模板")
    page.get_by_role("link", name="导出花名册").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    roster = tmp_path / "roster.xlsx"
    download.value.save_as(roster)
    exported = load_workbook(roster).active
    names = [row[3] for row in exported.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == ["模板乙", "模板甲"]
    assert "模板" in exported["A2"].value


def test_district_staff_click_through_a_chart(page, live_server, district_staff, reference, screenshot):
    CandidateFactory.create_batch(3, township=reference[MINGYANG], village=reference[QILONGSHAN])
    CandidateFactory.create_batch(2, township=reference[MINGYANG], status=PoolStatus.FILED)
    log_in(page, live_server, "district")
    page.get_by_role("link", name="统计分析").first.click()
    canvas = page.locator("canvas[data-chart=status]")
    expect(canvas).to_be_visible()
    # Polled from here: wait_for_function polls with eval() in the page, which the CSP rightly refuses,
    # so it failed whenever the chart was not drawn at the first look (a slow, loaded machine).
    drawn = "() => Boolean(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=status]')))"
    for _ in range(200):
        if page.evaluate(drawn):
            break
        page.wait_for_timeout(50)
    assert page.evaluate(drawn), "the status chart was not drawn within 10 s"
    screenshot("dashboard")
    # The bar for 已建档 (the fourth status): click its middle.
    point = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.querySelector('canvas[data-chart=status]'));
            const bar = chart.getDatasetMeta(0).data[3];
            return {x: bar.x, y: (bar.y + bar.base) / 2};
        }"""
    )
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    expect(page).to_have_url(re.compile(r"/candidates/\?status=filed"))
    expect(page.get_by_test_id("result-count")).to_have_text("2")
