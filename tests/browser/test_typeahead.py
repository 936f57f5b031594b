"""Browser journey: typing into the type-ahead of the mentor assignment and of the visit form, on a phone."""

import pytest
from playwright.sync_api import expect

from candidates.models import Contact
from mentorship.models import MentorAssignment
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_screenshot(mobile_page, request):
    """The conftest's `screenshot` photographs the desktop `page`; this one the phone's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        mobile_page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{name}.png"), full_page=True)

    return take


def test_organiser_types_to_pick_a_mentor_and_the_people_met(
    mobile_page, live_server, organiser, reference, phone_screenshot
):
    page = mobile_page
    screenshot = phone_screenshot
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="郑成长")
    for i in range(30):
        MentorFactory(township=reference[MINGYANG], name=f"王导师{i:02d}")
    mentor = MentorFactory(township=reference[MINGYANG], name="李老支书", role="retired_secretary")
    MentorFactory(township=reference[GUANGONG], name="李关公")
    met = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="罗返乡")
    CandidateFactory(township=reference[GUANGONG], name="罗外镇")

    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/cultivation/candidates/{candidate.pk}/mentors/")
    search = page.get_by_placeholder("输入名称搜索")
    search.fill("王导")
    results = page.get_by_role("listbox")
    expect(results.get_by_role("option")).to_have_count(20)
    expect(results).to_contain_text("结果较多，请再多输入几个字。")
    search.fill("李")
    expect(results.get_by_role("option")).to_have_count(1)  # the other township's 李关公 is not offered
    expect(results.get_by_role("option")).to_have_text("李老支书 · 老支书 · 已带 0/3 人")
    screenshot("1-mentor-typeahead")
    results.get_by_role("option").click()
    expect(page.locator("#id_mentor")).to_have_value(str(mentor.pk))
    search.fill("1380")  # a phone number is never searched
    expect(results).to_contain_text("本辖区内没有找到。")
    search.press("Escape")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    assert MentorAssignment.objects.get(candidate=candidate).mentor == mentor

    # The visit form: the person whose file it was opened from is chosen; a second one is typed in.
    page.goto(f"{live_server.url}/candidates/contacts/new/?candidate={candidate.pk}")
    expect(page.locator("#id_candidates")).to_be_hidden()
    chosen = page.locator(".cp-picklist-chips")
    expect(chosen).to_contain_text("郑成长（骑龙山村）")
    search = page.get_by_placeholder("输入名称搜索")
    search.fill("罗")
    option = page.get_by_role("listbox").get_by_role("option")
    expect(option).to_have_count(1)  # not 罗外镇 of 关公镇
    search.press("ArrowDown")
    search.press("Enter")
    expect(chosen.locator("li")).to_have_count(2)
    search.fill("lfx")  # pinyin initials
    expect(option).to_have_text("罗返乡（骑龙山村）")
    screenshot("2-contact-typeahead")
    search.press("Escape")
    page.locator("#id_kind").select_option("meeting")
    page.locator("#id_place").fill("骑龙山村村委会")
    page.locator("#id_discussed").fill("座谈返乡创业打算")
    screenshot("3-contact-form")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("走访联系已登记")
    contact = Contact.objects.get()
    assert set(contact.candidates.all()) == {candidate, met}


def test_a_removed_name_is_not_recorded(page, live_server, organiser, reference, screenshot):
    first = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张第一")
    second = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张第二")
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/contacts/new/?candidate={first.pk}")
    search = page.get_by_placeholder("输入名称搜索")
    search.fill("张第二")
    page.get_by_role("listbox").get_by_role("option").click()
    page.get_by_role("button", name="移除 张第一（骑龙山村）").click()
    expect(page.locator(".cp-picklist-chips li")).to_have_count(1)
    page.locator("#id_kind").select_option("talk")
    page.locator("#id_place").fill("家中")
    page.locator("#id_discussed").fill("返乡意愿")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("走访联系已登记")
    assert list(Contact.objects.get().candidates.all()) == [second]
