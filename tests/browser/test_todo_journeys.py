"""Browser journeys: work done from the to-do list, on a desktop and on a 390 px phone."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate, PoolStatus
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (page.url, overflow)


def _phone_shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"todo-phone-{name}.png"), full_page=True)


def test_district_staff_approve_a_pool_entry_from_the_todo_list(
    page, mobile_page, live_server, district_staff, organiser, reference, screenshot
):
    CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], name="李待审", status=PoolStatus.PROPOSED
    )
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="赵在库")

    log_in(mobile_page, live_server, "district")
    mobile_page.goto(f"{live_server.url}/todo/")
    expect(mobile_page.get_by_test_id("todo-list").locator("[data-kind=pool_entry]")).to_contain_text("李待审")
    _fits_the_screen(mobile_page)
    _phone_shot(mobile_page, "district")

    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/todo/")
    todo = page.get_by_test_id("todo-list")
    entry = todo.locator("[data-kind=pool_entry]")
    expect(entry).to_contain_text("入库待审批")
    expect(entry).to_contain_text("李待审")
    expect(entry).to_contain_text("明阳镇")
    screenshot("district-todo")

    entry.click()
    proposal = page.get_by_test_id("proposal").filter(has_text="李待审")
    expect(proposal).to_be_visible()
    screenshot("funnel-from-todo")
    proposal.get_by_role("button", name="确认入库").click()
    expect(page.get_by_role("alert")).to_contain_text("状态已变更")
    assert Candidate.objects.get(name="李待审").status == PoolStatus.IN_POOL

    page.goto(f"{live_server.url}/todo/")
    expect(page.get_by_test_id("todo-list").locator("[data-kind=pool_entry]")).to_have_count(0)
    screenshot("district-todo-after")


def test_an_organiser_completes_an_incomplete_file_from_the_todo_list(
    page, mobile_page, live_server, organiser, district_staff, reference, screenshot
):
    person = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], name="王补档", status=PoolStatus.PROSPECT
    )
    # Imported from a roster without a 入党时间 column.
    Candidate.objects.filter(pk=person.pk).update(political_status_id="01", party_entry_date=None)

    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/{person.pk}/")
    expect(page.get_by_test_id("missing-information")).to_contain_text("资料不完整，缺少：入党时间")
    screenshot("file-incomplete")
    page.goto(f"{live_server.url}/todo/")
    screenshot("organiser-todo")

    phone = mobile_page
    log_in(phone, live_server, "mingyang")
    phone.goto(f"{live_server.url}/todo/")
    item = phone.get_by_test_id("todo-list").locator("[data-kind=incomplete_file]")
    expect(item).to_contain_text("王补档")
    expect(item).to_contain_text("缺少：入党时间")
    _fits_the_screen(phone)
    _phone_shot(phone, "organiser")

    item.click()
    expect(phone.get_by_role("heading", name=re.compile("王补档"))).to_be_visible()
    expect(phone.locator("#id_party_entry_date")).to_be_in_viewport()
    _fits_the_screen(phone)
    _phone_shot(phone, "edit-form")
    phone.locator("#id_party_entry_date").fill("2016-07-01")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("alert")).to_contain_text("已保存")
    expect(phone.get_by_test_id("missing-information")).to_have_count(0)
    _fits_the_screen(phone)
    _phone_shot(phone, "file-complete")
    assert str(Candidate.objects.get(pk=person.pk).party_entry_date) == "2016-07-01"

    phone.goto(f"{live_server.url}/todo/")
    expect(phone.get_by_test_id("todo-list").locator("[data-kind=incomplete_file]")).to_have_count(0)
    _phone_shot(phone, "organiser-after")
