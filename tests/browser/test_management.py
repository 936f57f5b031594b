"""Browser journey: a look-back round from opening to decisions, seen in the figures and timelines."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate, PoolStatus
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_review(page, ratings, conclusion, note):
    for field, rating in zip(["political", "ability", "style", "reputation"], ratings, strict=True):
        page.locator(f"#id_{field}").select_option(rating)
    page.locator("#id_votes_excellent").fill("12")
    page.locator("#id_votes_good").fill("20")
    page.locator("#id_conclusion").select_option(conclusion)
    page.locator("#id_conclusion_note").fill(note)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("评价已保存")


def test_round_reviews_and_decisions(page, live_server, organiser, district_staff, reference, screenshot):
    village = reference[QILONGSHAN]
    leaving = CandidateFactory(township=reference[MINGYANG], village=village, name="孙外出")
    rising = CandidateFactory(township=reference[MINGYANG], village=village, name="周能干")

    # District staff open the round for everyone in the pool.
    log_in(page, live_server, "district")
    page.get_by_role("link", name="回头看", exact=True).click()
    page.get_by_role("link", name="发起回头看").click()
    page.locator("#id_name").fill("2026年度村级后备力量回头看")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("共 2 名人选")
    round_url = page.url
    page.get_by_role("button", name="退出").click()

    # The township organiser fills both reviews.
    log_in(page, live_server, "mingyang")
    page.goto(round_url)
    page.get_by_role("link", name="孙外出").click()
    page.locator("#id_conclusion").select_option("remove")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("请更正")
    screenshot("review-errors")
    fill_review(page, ["good", "poor", "fair", "fair"], "remove", "长期在成都务工，难以履职")
    page.get_by_role("link", name="周能干").click()
    fill_review(page, ["excellent", "excellent", "good", "excellent"], "promote", "带领群众发展花椒产业，群众公认")
    expect(page.get_by_test_id("progress")).to_contain_text("2")
    screenshot("round-filled")
    page.get_by_role("button", name="退出").click()

    # District staff decide both proposals.
    log_in(page, live_server, "district")
    page.get_by_role("link", name="待决定的建议").click()
    proposals = page.get_by_test_id("proposals")
    expect(proposals).to_contain_text("孙外出")
    screenshot("proposals")
    page.get_by_role("link", name="决定调整出库").click()
    expect(page.get_by_test_id("proposal")).to_contain_text("长期在成都务工")
    page.locator("#id_exit_reason").select_option("moved")
    page.locator("#id_note").fill("经本人同意，调整出库")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")

    page.goto(f"{live_server.url}/management/proposals/")
    page.get_by_role("link", name="决定提拔使用").click()
    page.locator("#id_post").select_option("village_secretary")
    page.locator("#id_village").select_option(str(village.pk))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    expect(page.get_by_test_id("management-panel")).to_contain_text("提拔为骑龙山村村党组织书记")
    expect(page.get_by_test_id("timeline")).to_contain_text("提拔使用：骑龙山村村党组织书记")
    expect(page.get_by_test_id("timeline")).to_contain_text("建议“提拔使用”")
    screenshot("promoted-file")

    page.goto(f"{live_server.url}/candidates/{leaving.pk}/?kind=decision")
    expect(page.get_by_test_id("timeline")).to_contain_text("调整出库：迁出或长期外出")

    page.get_by_role("link", name="统计分析").click()
    page.get_by_role("link", name="库情统计").click()
    expect(page.get_by_test_id("fig-promoted")).to_have_text("1")
    expect(page.get_by_test_id("fig-exited")).to_have_text("1")
    expect(page.get_by_test_id("fig-in-pool")).to_have_text("0")
    screenshot("figures")

    assert Candidate.objects.get(pk=leaving.pk).status == PoolStatus.EXITED
    assert Candidate.objects.get(pk=rising.pk).status == PoolStatus.PROMOTED
    page.goto(round_url + "report/")
    expect(page.get_by_test_id("conclusions")).to_contain_text("合计")
    assert re.search(r"/management/rounds/\d+/$", round_url)
