"""The whole life of a file, in Chromium: a messy township roster imported with warnings, the missing
入党时间 filled from the to-do list, pool entry proposed and approved from the district's to-do list,
mentor, post and secondment, promotion to village secretary, and nothing left open or due."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate, PoolStatus
from mentorship.models import MentorAssignment, Placement, Secondment
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, XINAN
from tests.factories import MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSTER = Path(__file__).resolve().parents[1] / "data" / "import_corpus" / "01_issue_roster.xlsx"
PERSON = "邓娟凯"  # a party member on a roster without a 入党时间 column


def _save(page, message="已保存"):
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text(message)


def _fits_the_screen(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (page.url, overflow)


def test_a_roster_person_from_import_to_promotion(
    page, mobile_page, live_server, organiser, district_staff, reference, settings, tmp_path, screenshot
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    host = reference[XINAN]
    host.is_model_village = True
    host.save(update_fields=["is_model_village"])
    mentor = MentorFactory(township=reference[MINGYANG], name="李老支书", role="retired_secretary")
    today = datetime.date.today()

    # 1. The organiser imports the roster the township keeps: it imports with warnings.
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/import/")
    page.locator("#id_file").set_input_files(str(ROSTER))
    page.get_by_role("button", name="检查工作簿").click()
    expect(page.get_by_test_id("import-rows")).to_contain_text("表中没有入党时间列")
    screenshot("1-preview")
    page.get_by_role("button", name=re.compile("导入全部")).click()
    expect(page.get_by_role("alert").first).to_contain_text("新建档案 14 份")
    screenshot("2-imported")
    person = Candidate.objects.get(name=PERSON)
    assert person.party_entry_date is None and person.status == PoolStatus.PROSPECT

    # 2. The missing 入党时间, filled from the organiser's to-do list.
    page.goto(f"{live_server.url}/todo/")
    item = page.get_by_test_id("todo-list").locator("[data-kind=incomplete_file]").filter(has_text=PERSON)
    expect(item).to_contain_text("入党时间")
    screenshot("3-organiser-todo")
    item.click()
    joined = person.birth_date.replace(year=person.birth_date.year + 22)
    page.locator("#id_party_entry_date").fill(joined.isoformat())
    _save(page)
    assert Candidate.objects.get(pk=person.pk).party_entry_date == joined

    # 3. Along the funnel, then pool entry proposed.
    for status, note in [
        ("contacted", "点对点拜访"),
        ("willing", "本人愿意返乡任职"),
        ("filed", "信息档案已建立"),
        ("proposed", "提请区委组织部审核入库"),
    ]:
        page.locator("#id_to_status").select_option(status)
        page.locator("#id_reason").fill(note)
        page.get_by_role("button", name="记录").click()
        expect(page.get_by_role("alert").first).to_contain_text("状态已变更")

    # 4. District staff approve it from their to-do list.
    page.context.clear_cookies()
    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/todo/")
    entry = page.get_by_test_id("todo-list").locator("[data-kind=pool_entry]").filter(has_text=PERSON)
    expect(entry).to_contain_text("入库待审批")
    screenshot("4-district-todo")
    entry.click()
    page.get_by_test_id("proposal").filter(has_text=PERSON).get_by_role("button", name="确认入库").click()
    expect(page.get_by_role("alert").first).to_contain_text("状态已变更")
    assert Candidate.objects.get(pk=person.pk).status == PoolStatus.IN_POOL

    # 5. The organiser cultivates: a mentor, a real post, a secondment to a model village.
    page.context.clear_cookies()
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/{person.pk}/")
    page.get_by_role("link", name="查看培养记录").click()
    page.get_by_role("link", name="分配导师").click()
    page.locator("#id_mentor").select_option(str(mentor.pk))
    _save(page)
    page.get_by_role("link", name="安排岗位锻炼").click()
    page.locator("#id_post_type").select_option(label="村党组织书记助理")
    page.locator("#id_duties").fill("协助村党组织书记处理日常事务")
    _save(page)
    page.get_by_role("link", name="安排挂职历练").click()
    page.locator("#id_host_village").select_option(str(host.pk))
    page.locator("#id_mode").select_option("full_time")
    page.locator("#id_planned_start").fill(today.isoformat())
    page.locator("#id_planned_end").fill((today + datetime.timedelta(days=120)).isoformat())
    _save(page)
    screenshot("5-cultivation")

    # 6. District staff promote the person to village secretary.
    page.context.clear_cookies()
    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/candidates/{person.pk}/")
    page.get_by_test_id("management-panel").get_by_role("link", name="提拔使用").click()
    village = page.locator("#id_village")
    expect(village).to_have_value(str(person.target_village_id or person.village_id))
    page.locator("#id_post").select_option("village_secretary")
    _save(page)
    screenshot("6-promoted")

    # 7. Everything the promotion ends is ended, and nothing about the person is left to do.
    assert Candidate.objects.get(pk=person.pk).status == PoolStatus.PROMOTED
    assert not MentorAssignment.objects.filter(candidate=person, end_date__isnull=True).exists()
    assert not Placement.objects.filter(candidate=person, end_date__isnull=True).exists()
    assert not Secondment.objects.filter(candidate=person, actual_end__isnull=True).exists()
    page.get_by_role("link", name="查看培养记录").click()
    expect(page.get_by_test_id("section-mentors").get_by_role("link", name="结束")).to_have_count(0)
    screenshot("7-cultivation-ended")
    for user, phone in (("district", mobile_page), ("mingyang", mobile_page)):
        phone.context.clear_cookies()
        log_in(phone, live_server, user)
        phone.goto(f"{live_server.url}/todo/")
        expect(phone.locator("main")).not_to_contain_text(PERSON)
        _fits_the_screen(phone)
        phone.screenshot(path=str(SCREENSHOTS / f"roster-to-promotion-todo-{user}-390.png"), full_page=True)
