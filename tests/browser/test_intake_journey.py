"""The intake journey in Chromium: a talk with a prospect, two policy items, filed, proposed, confirmed, covered."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate, PolicyDelivery, PolicyItem, PoolStatus
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import DISTRICT, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def policies(reference):
    common = {"unit": reference[DISTRICT], "issuing_body": "恩阳区委组织部", "valid_from": datetime.date(2025, 1, 1)}
    return [
        PolicyItem.objects.create(category="return_subsidy", title="返乡任职补贴", amount="每月 2000 元", **common),
        PolicyItem.objects.create(
            category="business_loan", title="创业贴息贷款", amount="最高 30 万元，三年全额贴息", **common
        ),
        PolicyItem.objects.create(
            category="project_support", title="村级产业项目扶持", amount="最高 50 万元", **common
        ),
    ]


def test_from_a_talk_to_the_pool_and_the_coverage_view(
    page, live_server, organiser, district_staff, reference, policies, screenshot
):
    candidate = CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        target_village=reference[QILONGSHAN],
        name="罗返乡",
        status=PoolStatus.PROSPECT,
    )
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")

    # A face-to-face talk, handing over two policy items.
    page.get_by_role("link", name="登记走访联系").click()
    page.locator("#id_kind").select_option("talk")
    page.locator("#id_place").fill("骑龙山村罗返乡家中")
    page.locator("#id_discussed").fill("介绍返乡任职补贴和创业贴息贷款，了解本人返乡创业打算")
    page.locator("#id_outcome").fill("愿意返乡，计划发展电商")
    page.locator("#id_next_step").fill("协助准备建档材料")
    page.get_by_label("返乡任职补贴").check()
    page.get_by_label("创业贴息贷款").check()
    screenshot("1-contact-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("走访联系已登记")
    expect(page.get_by_test_id("candidate-contact")).to_contain_text("面对面恳谈")
    expect(page.get_by_test_id("delivery")).to_have_count(2)
    expect(page.get_by_text("意向人选 → 已走访")).to_be_visible()

    # Along the funnel to "filed", then propose pool entry.
    for option, note in [
        ("willing", "本人表示愿意返乡"),
        ("filed", "建立信息档案"),
        ("proposed", "提请区委组织部审核入库"),
    ]:
        page.locator("#id_to_status").select_option(option)
        page.locator("#id_reason").fill(note)
        page.get_by_role("button", name="记录").click()
        expect(page.get_by_role("alert")).to_contain_text("状态已变更")
    expect(page.get_by_role("heading", name=re.compile("罗返乡"))).to_contain_text("提请入库")
    screenshot("2-proposed")
    assert Candidate.objects.get(pk=candidate.pk).status == PoolStatus.PROPOSED
    assert PolicyDelivery.objects.filter(candidate=candidate).count() == 2

    # Before the decision, 骑龙山村 has no reserve in the pool.
    page.goto(f"{live_server.url}/candidates/coverage/")
    expect(page.get_by_test_id(f"village-{QILONGSHAN}")).to_contain_text("0")

    # District staff confirm from the funnel page.
    page.context.clear_cookies()
    log_in(page, live_server, "district")
    page.get_by_role("button", name="选人工作").click()
    page.get_by_role("link", name="入库流程").click()
    proposal = page.get_by_test_id("proposal").filter(has_text="罗返乡")
    expect(proposal).to_contain_text("提请区委组织部审核入库")
    screenshot("3-funnel-awaiting")
    proposal.get_by_role("button", name="确认入库").click()
    expect(page.get_by_role("alert")).to_contain_text("状态已变更")
    expect(page.get_by_test_id("proposal")).to_have_count(0)
    assert Candidate.objects.get(pk=candidate.pk).status == PoolStatus.IN_POOL

    # The coverage view shows the change.
    page.get_by_role("button", name="选人工作").click()
    page.get_by_role("link", name="覆盖情况").click()
    summary = page.get_by_test_id(f"coverage-{MINGYANG}")
    expect(summary.get_by_test_id("one")).to_have_text("1")
    summary.get_by_role("link", name="明阳镇").click()
    row = page.get_by_test_id(f"village-{QILONGSHAN}")
    expect(row).to_contain_text("罗返乡")
    expect(row.locator("td").nth(1)).to_have_text(re.compile(r"^1（"))
    screenshot("4-coverage")


def test_policy_list_prints_on_one_page(page, live_server, organiser, reference, policies, screenshot):
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/policies/")
    expect(page.get_by_test_id("policy-item")).to_have_count(3)
    screenshot("screen")
    page.emulate_media(media="print")
    expect(page.locator(".cp-navbar")).to_be_hidden()
    screenshot("print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_intake_pages_fit_a_phone(mobile_page, live_server, organiser, reference, policies):
    from candidates.services import save_village_need

    page = mobile_page
    need = save_village_need(
        actor=organiser, village=reference[QILONGSHAN], fields={"field": "ecommerce", "title": "发展农村电商"}
    )
    for name in ["甲", "乙"]:
        CandidateFactory(township=reference[MINGYANG], name=f"测试{name}", status=PoolStatus.FILED, willingness="yes")
    log_in(page, live_server, "mingyang")
    for path in [
        "/candidates/funnel/",
        "/candidates/contacts/new/",
        "/candidates/policies/",
        "/candidates/policies/uptake/",
        "/candidates/needs/",
        f"/candidates/needs/{need.pk}/",
        "/candidates/coverage/",
        "/candidates/supply/",
    ]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
    expect(page.get_by_test_id("supply-row")).to_have_count(2)
    page.goto(f"{live_server.url}/candidates/needs/{need.pk}/")
    expect(page.get_by_test_id("match")).to_have_count(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-need-matches.png"), full_page=True)
