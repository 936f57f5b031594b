"""Every page a role opens fits a 390 px phone: the page itself never scrolls sideways (tables may,
inside their own .table-responsive box)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import ReviewRound
from candidates.models import PoolStatus
from mentorship.models import MentorAssignment
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import PASSWORD, log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def _file(reference, district_staff):
    """A file with long values, as townships write them: a long employer, long notes, a work history."""
    candidate = CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        target_village=reference[QILONGSHAN],
        name="欧阳明月",
        employer="四川省巴中市恩阳区明阳镇骑龙山村农产品专业合作社联合社有限责任公司",
        occupation="合作社理事长兼电商运营负责人",
        current_city="浙江省杭州市余杭区",
        native_place="四川省巴中市恩阳区明阳镇",
        notes="常年在外务工，春节返乡；本人表示愿意回村任职，家属支持。" * 3,
        rewards_punishments="2021年获评巴中市优秀返乡创业青年；2023年获恩阳区乡村振兴先进个人。",
        status=PoolStatus.IN_POOL,
    )
    mentor = MentorFactory(township=reference[MINGYANG], name="李老支书", work_unit="骑龙山村原党支部书记（已退休）")
    MentorAssignment.objects.create(
        candidate=candidate, mentor=mentor, is_lead=True, start_date="2026-11-01", recorded_by=district_staff
    )
    return candidate


def _pages(role: str, candidate, round_pk) -> list[tuple[str, str]]:
    """(name, URL) of the pages a role opens: the nav links and the pages opened daily."""
    pk = candidate.pk
    reader = [
        ("home", reverse("home")),
        ("dashboard", reverse("dashboard")),
        ("candidate-list", reverse("candidates:list")),
        ("funnel", reverse("candidates:funnel")),
        ("contacts", reverse("candidates:contacts")),
        ("policies", reverse("candidates:policies")),
        ("needs", reverse("candidates:needs")),
        ("supply", reverse("candidates:supply")),
        ("coverage", reverse("coverage")),
        ("mentors", reverse("mentorship:mentors")),
        ("mentoring-logs", reverse("mentorship:logs")),
        ("rounds", reverse("assessments:rounds")),
        ("round", reverse("assessments:round", args=[round_pk])),
        ("todo", reverse("todo")),
        ("file", reverse("candidate_file", args=[pk])),
        ("registration-form", reverse("registration_form", args=[pk])),
        ("cultivation", reverse("mentorship:candidate", args=[pk])),
        ("roster-options", reverse("roster_options")),
        ("password", reverse("password_change")),
    ]
    writer = [
        ("new-file", reverse("candidates:create")),
        ("edit-file", reverse("candidates:edit", args=[pk])),
        ("import", reverse("candidates:import")),
        ("log-contact", reverse("candidates:contact_create") + f"?candidate={pk}"),
        ("new-need", reverse("candidates:need_create")),
        ("new-mentor", reverse("mentorship:mentor_create")),
        ("assign-mentor", reverse("mentorship:assign_mentor", args=[pk])),
        ("mentoring-log", reverse("mentorship:log_create", args=[pk])),
        ("placement", reverse("mentorship:placement_create", args=[pk])),
        ("secondment", reverse("mentorship:secondment_create", args=[pk])),
        ("assessment", reverse("assessments:assessment_create", args=[pk])),
    ]
    if role == "organiser":
        return reader + writer
    if role == "district_staff":
        return [
            *reader,
            *writer,
            ("township-comparison", reverse("township_comparison")),
            ("proposals", reverse("assessments:proposals")),
            ("promote", reverse("assessments:decide_promotion", args=[pk])),
            ("exit", reverse("assessments:decide_exit", args=[pk])),
        ]
    if role == "leader":
        return [*reader, ("township-comparison", reverse("township_comparison"))]
    if role == "audit_admin":
        return [
            ("home", reverse("home")),
            ("audit-log", reverse("audit_log")),
            ("password", reverse("password_change")),
        ]
    return [("home", reverse("home")), ("admin", reverse("admin:index")), ("password", reverse("password_change"))]


def _sign_in(page, live_server, username):
    if username in {"mingyang", "district", "leader"}:
        log_in(page, live_server, username)
        return
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("后备力量库"))).to_be_visible()


USERNAMES = {
    "organiser": "mingyang",
    "district_staff": "district",
    "leader": "leader",
    "audit_admin": "auditor",
    "system_admin": "sysadmin",
}


@pytest.mark.parametrize("role", list(USERNAMES))
def test_every_page_fits_a_phone(
    request, mobile_page, live_server, reference, organiser, district_staff, leader, audit_admin, system_admin, role
):
    page = mobile_page
    candidate = _file(reference, district_staff)
    review_round = ReviewRound.objects.create(
        name="2026年度回头看",
        unit=reference[MINGYANG],
        period_start="2026-01-01",
        period_end="2026-12-31",
        due_date="2026-12-31",
        opened_by=district_staff,
    )
    _sign_in(page, live_server, USERNAMES[role])
    too_wide = {}
    shots = request.node.name
    for name, url in _pages(role, candidate, review_round.pk):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (name, url, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(_shot(shots, name)), full_page=True)
        if width > PHONE:
            too_wide[name] = width
    print(f"{role}: {too_wide}")
    assert too_wide == {}


def _shot(test_name: str, page_name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{test_name}-{page_name}.png"
