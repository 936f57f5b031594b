"""Browser journey: cultivating a candidate, and the to-do list as the clock moves."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from cadre_pool.models import OrgUnit
from mentorship.models import MentorAssignment, Placement, Secondment
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=9, tzinfo=SHANGHAI)


def save(page):
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")


def test_organiser_cultivates_a_candidate_and_the_todo_list_follows(
    page, live_server, organiser, district_staff, reference, screenshot
):
    # The host is another village than the candidate's own.
    host = OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[0]
    host.is_model_village = True
    host.save(update_fields=["is_model_village"])
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="郑成长")
    lead = MentorFactory(township=reference[MINGYANG], name="李老支书", role="retired_secretary")
    second = MentorFactory(township=reference[MINGYANG], name="王书记", role="village_secretary")

    with time_machine.travel(at("2026-12-01"), tick=True) as clock:
        log_in(page, live_server, "mingyang")
        page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
        page.get_by_role("link", name="查看培养记录").click()
        expect(page.get_by_role("heading", name=re.compile("郑成长"))).to_be_visible()

        for mentor in [lead, second]:
            page.get_by_role("link", name="分配导师").click()
            page.locator("#id_mentor").select_option(str(mentor.pk))
            save(page)
        mentors = page.get_by_test_id("section-mentors")
        expect(mentors.locator("li")).to_have_count(2)
        expect(mentors.locator(".badge", has_text="牵头")).to_have_count(1)

        page.get_by_role("link", name="新增帮带记录").click()
        page.locator("#id_mentor").select_option(str(lead.pk))
        page.locator("#id_kind").select_option("policy_study")
        page.locator("#id_content").fill("一起学习乡村振兴促进法，讨论骑龙山村产业规划")
        page.locator("#id_mentor_comment").fill("学习认真，能结合本村实际")
        save(page)

        page.get_by_role("link", name="安排岗位锻炼").click()
        page.locator("#id_post_type").select_option(label="专职网格员")
        page.locator("#id_duties").fill("负责骑龙山村第三网格的巡查、矛盾排查和信息上报")
        save(page)

        page.get_by_role("link", name="安排挂职历练").click()
        page.locator("#id_host_village").select_option(str(host.pk))
        page.locator("#id_mode").select_option("full_time")
        page.locator("#id_planned_start").fill("2026-12-01")
        page.locator("#id_planned_end").fill("2027-04-01")
        save(page)
        screenshot("cultivation")

        assert MentorAssignment.objects.filter(candidate=candidate, is_lead=True).count() == 1
        assert Placement.objects.get(candidate=candidate).post_type.name == "专职网格员"
        assert Secondment.objects.get(candidate=candidate).planned_end == datetime.date(2027, 4, 1)

        page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
        expect(page.get_by_test_id("cultivation-panel")).to_contain_text("李老支书（牵头）")
        expect(page.get_by_test_id("timeline")).to_contain_text("到岗锻炼：专职网格员")
        screenshot("file-with-cultivation")

        page.goto(f"{live_server.url}/todo/")
        expect(page.get_by_test_id("todo-count")).to_have_text("0")

        # Twelve days before the secondment ends, 109 days after the only mentoring log.
        clock.move_to(at("2027-03-20"))
        log_in(page, live_server, "mingyang")
        page.goto(f"{live_server.url}/todo/")
        todo = page.get_by_test_id("todo-list")
        expect(todo.locator("[data-kind=secondment_ending]")).to_contain_text("2027-04-01 到期")
        expect(todo.locator("[data-kind=mentoring_log_missing]")).to_contain_text("郑成长")
        screenshot("todo-ending-soon")

        # The secondment is over and the host village has not written its evaluation.
        clock.move_to(at("2027-04-05"))
        log_in(page, live_server, "mingyang")
        page.goto(f"{live_server.url}/todo/")
        expect(todo.locator("[data-kind=secondment_evaluation]")).to_contain_text("尚无挂职村评价")
        expect(todo.locator("[data-kind=secondment_ending]")).to_have_count(0)
        # The item opens the secondment's end form.
        todo.locator("[data-kind=secondment_evaluation]").click()
        page.locator("#id_host_evaluation").fill("工作扎实，群众认可")
        save(page)
        page.goto(f"{live_server.url}/todo/")
        expect(todo.locator("[data-kind=secondment_evaluation]")).to_have_count(0)
