"""Browser journey: an organiser plans a secondment longer than six months, which awaits the district;
an overlapping one and one at home are refused; district staff approve the length with a reason.
On a 390 px phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cadre_pool.models import OrgUnit
from mentorship.models import Secondment
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"secondment-rules-{name}.png"), full_page=True)


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, overflow


def _plan(page, live_server, candidate, host, start, end, mode="full_time", reason=""):
    page.goto(f"{live_server.url}/cultivation/candidates/{candidate.pk}/secondments/?all_villages=1")
    page.locator("#id_host_village").select_option(str(host.pk))
    page.locator("#id_mode").select_option(mode)
    page.locator("#id_planned_start").fill(start)
    page.locator("#id_planned_end").fill(end)
    if reason:
        page.locator("#id_override_reason").fill(reason)
    page.get_by_role("button", name="保存").click()


def test_a_longer_secondment_waits_for_the_district_and_overlaps_are_refused(
    mobile_page, live_server, organiser, district_staff, reference
):
    page = mobile_page
    host, other_host = OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN)[:2]
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="冯挂职")
    log_in(page, live_server, "mingyang")

    # Eight months without a reason: the 3–6 month rule, with the dates it allows.
    _plan(page, live_server, candidate, host, "2026-03-01", "2026-11-01")
    expect(page.get_by_test_id("error-planned_end")).to_contain_text("2026-06-01 至 2026-09-01")
    _fits(page)
    _shot(page, "length-refused")

    # With a reason it is saved, awaiting the district.
    page.locator("#id_override_reason").fill("跟班学习村集体经济项目全过程")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    approval = page.get_by_test_id("secondment-approval")
    expect(approval).to_contain_text("待区委组织部审批")
    expect(approval.get_by_role("link", name="审批时长")).to_have_count(0)

    # A part-time one overlapping it, and one at home, are refused with what is in the way.
    _plan(page, live_server, candidate, other_host, "2026-10-01", "2027-01-01", mode="part_time")
    expect(page.get_by_test_id("error-planned_start")).to_contain_text(
        f"{host.name}，全脱产，2026-03-01 至 2026-11-01，与本次时间重叠"
    )
    _fits(page)
    _shot(page, "overlap-refused")
    _plan(page, live_server, candidate, reference[QILONGSHAN], "2027-01-01", "2027-04-01")
    expect(page.get_by_test_id("error-host_village")).to_contain_text("挂职村不能是本人所在村（骑龙山村）")
    assert Secondment.objects.filter(candidate=candidate).count() == 1

    # District staff approve the length with their reason, on a phone.
    page.context.clear_cookies()
    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/cultivation/candidates/{candidate.pk}/")
    page.get_by_role("link", name="审批时长").click()
    expect(page.get_by_test_id("secondment-summary")).to_contain_text("跟班学习村集体经济项目全过程")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-decision")).to_contain_text("请选择批准或不批准")
    page.get_by_label("批准该时长", exact=True).check()
    page.locator("#id_decision_reason").fill("项目周期八个月，同意")
    _fits(page)
    _shot(page, "decision-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    approval = page.get_by_test_id("secondment-approval")
    expect(approval).to_contain_text("区委组织部已批准")
    expect(approval).to_contain_text(re.compile(r"审批人 .+（\d{4}-\d\d-\d\d \d\d:\d\d）：项目周期八个月，同意"))
    _fits(page)
    _shot(page, "approved")
    secondment = Secondment.objects.get(candidate=candidate)
    assert (secondment.approval, secondment.decided_by_id, secondment.decision_reason) == (
        "approved",
        district_staff.pk,
        "项目周期八个月，同意",
    )
    assert secondment.planned_end == datetime.date(2026, 11, 1)
