"""Browser journey: district staff promote a candidate who has mentors, a post and secondments, and the
file page shows all of it ended, the to-do list clean, and a second submit answered with a message."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as management
from mentorship import services as cultivation
from mentorship.models import PostType, add_months
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory, MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_promotion_ends_mentors_post_and_secondments(
    page, mobile_page, live_server, organiser, district_staff, reference, screenshot
):
    today = timezone.localdate()
    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="何春燕")
    other = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="罗定军")
    shared = MentorFactory(township=reference[MINGYANG], name="杨老书记")
    for mentor, mentee in ((shared, person), (MentorFactory(township=reference[MINGYANG], name="陈导师"), person)):
        cultivation.assign_mentor(
            actor=organiser,
            candidate_id=mentee.pk,
            mentor_id=mentor.pk,
            start_date=today - datetime.timedelta(days=200),
        )
    cultivation.assign_mentor(actor=organiser, candidate_id=other.pk, mentor_id=shared.pk)
    cultivation.start_placement(
        actor=organiser,
        candidate_id=person.pk,
        fields={
            "post_type": PostType.objects.get(name="村党组织书记助理"),
            "village": reference[QILONGSHAN],
            "start_date": today - datetime.timedelta(days=150),
            "duties": "协助书记抓党建",
        },
    )
    running = today - datetime.timedelta(days=40)
    planned = add_months(running, 3) + datetime.timedelta(days=7)
    for start, months in ((running, 3), (planned, 4)):
        cultivation.plan_secondment(
            actor=organiser,
            candidate_id=person.pk,
            fields={
                "host_village": reference[XINAN],
                "mode": "full_time",
                "planned_start": start,
                "planned_end": add_months(start, months),
            },
        )
    review_round = management.open_round(
        actor=district_staff,
        name="2026年度回头看",
        period_start=today - datetime.timedelta(days=300),
        period_end=today,
        due_date=today + datetime.timedelta(days=10),
    )
    # District staff follow up reviews once they are overdue.
    type(review_round).objects.filter(pk=review_round.pk).update(due_date=today - datetime.timedelta(days=1))

    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/candidates/{person.pk}/")
    panel = page.get_by_test_id("cultivation-panel")
    expect(panel).to_contain_text("杨老书记")
    expect(panel).to_contain_text("村党组织书记助理")
    expect(panel).to_contain_text("西南村")
    page.goto(f"{live_server.url}/todo/")
    expect(page.locator("main")).to_contain_text("何春燕")

    page.goto(f"{live_server.url}/candidates/{person.pk}/")
    page.get_by_test_id("management-panel").get_by_role("link", name="提拔使用").click()
    page.locator("#id_post").select_option("village_secretary")
    page.locator("#id_village").select_option(str(reference[QILONGSHAN].pk))
    form_url = page.url
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")

    panel = page.get_by_test_id("cultivation-panel")
    expect(panel).not_to_contain_text("杨老书记")
    expect(panel).not_to_contain_text("村党组织书记助理")
    expect(page.get_by_test_id("cultivation-history")).to_have_text(
        "已结束：导师帮带 2 项，岗位锻炼 1 项，挂职历练 2 项"
    )
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("随决定一并结束")
    expect(timeline).to_contain_text("结束导师帮带：杨老书记、陈导师")
    expect(timeline).to_contain_text("取消西南村的计划挂职")
    expect(timeline).to_contain_text(f"不再参加回头看：{review_round.name}")
    screenshot("promoted-file")

    page.get_by_role("link", name="查看培养记录").click()
    mentors = page.get_by_test_id("section-mentors")
    expect(mentors).to_contain_text(f"—{today:%Y-%m-%d}")
    expect(mentors.get_by_role("link", name="结束")).to_have_count(0)
    expect(page.get_by_test_id("section-placements").get_by_role("link", name="结束并评价")).to_have_count(0)
    secondments = page.get_by_test_id("section-secondments")
    expect(secondments).to_contain_text(f"{today:%Y-%m-%d} 取消")
    expect(secondments).to_contain_text(f"{today:%Y-%m-%d} 结束")
    screenshot("cultivation-ended")

    page.goto(f"{live_server.url}/todo/")
    expect(page.locator("main")).not_to_contain_text("何春燕")
    expect(page.locator("main")).to_contain_text("罗定军")
    screenshot("todo")

    # The same form submitted again: a message, no second decision.
    page.goto(form_url)
    page.locator("#id_post").select_option("village_secretary")
    page.locator("#id_village").select_option(str(reference[QILONGSHAN].pk))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("已不在库中")
    screenshot("second-submit")

    log_in(mobile_page, live_server, "mingyang")
    mobile_page.goto(f"{live_server.url}/cultivation/candidates/{person.pk}/")
    expect(mobile_page.get_by_test_id("section-secondments")).to_contain_text("取消")
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert mobile_page.evaluate(width) <= 0
    mobile_page.screenshot(
        path=str(SCREENSHOTS / "test_promotion_ends_mentors_post_and_secondments-390.png"), full_page=True
    )
