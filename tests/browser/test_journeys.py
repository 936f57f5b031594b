"""Browser journeys in Debian's Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from candidates.identity import id_check_char
from candidates.models import Candidate, PoolStatus
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-Pass-2026"
BODY = "51190319950612003"
GOOD_ID = BODY + id_check_char(BODY)
BAD_ID = BODY + ("1" if id_check_char(BODY) != "1" else "2")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("后备力量库"))).to_be_visible()


def test_organiser_files_a_candidate_fixing_a_bad_id(page, live_server, organiser, reference, screenshot):
    log_in(page, live_server, "mingyang")
    page.get_by_role("link", name="新建信息档案").first.click()
    page.locator("#id_name").fill("周晓兰")
    page.locator("#id_id_number").fill(BAD_ID)
    page.locator("#id_phone").fill("139 0000 2233")
    page.locator("#id_political_status").select_option("01")
    page.locator("#id_party_entry_date").fill("2018-07-01")
    page.locator("#id_education").select_option("31")
    page.locator("#id_source_category").select_option("migrant_business")
    page.locator("#id_village").select_option(str(reference[QILONGSHAN].pk))
    page.get_by_role("button", name="保存").click()

    error = page.get_by_test_id("error-id_number")
    expect(error).to_contain_text("公民身份号码校验码不正确")
    screenshot("bad-id")
    assert not Candidate.objects.exists()

    page.locator("#id_id_number").fill(GOOD_ID.lower())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("周晓兰"))).to_be_visible()
    expect(page.get_by_test_id("masked-id")).to_have_text(GOOD_ID[:4] + "*" * 10 + GOOD_ID[-4:])
    candidate = Candidate.objects.get()
    assert (candidate.township_id, candidate.status, candidate.gender_id) == (
        reference[MINGYANG].pk,
        PoolStatus.PROSPECT,
        "1",
    )

    page.get_by_role("link", name="后备力量", exact=True).first.click()
    page.locator("summary").click()
    page.locator("#id_q").fill("周晓")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1")
    expect(page.get_by_role("link", name="周晓兰")).to_be_visible()
    screenshot("found-in-list")


def test_organiser_on_a_phone_moves_a_candidate_forward(mobile_page, live_server, organiser, reference, district_staff):
    page = mobile_page
    candidate = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], name="吴思远", status=PoolStatus.PROSPECT
    )
    log_in(page, live_server, "mingyang")
    # The menu is collapsed behind the toggler on a narrow screen.
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="后备力量", exact=True).click()
    page.get_by_role("link", name="吴思远").click()
    expect(page.get_by_role("heading", name=re.compile("吴思远"))).to_be_visible()
    page.locator("#id_to_status").select_option("contacted")
    page.locator("#id_reason").fill("到家中点对点拜访，有返乡意愿")
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_role("alert")).to_contain_text("状态已变更")
    expect(page.get_by_text("意向人选 → 已走访")).to_be_visible()
    page.screenshot(path=str(_shot("phone-status-changed")), full_page=True)
    # Nothing on the page is wider than the phone's screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    candidate.refresh_from_db()
    assert candidate.status == PoolStatus.CONTACTED


def test_english_is_available(page, live_server, organiser, reference):
    log_in(page, live_server, "mingyang")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Candidates", exact=True)).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("link", name="后备力量", exact=True)).to_be_visible()


def test_the_candidate_list_pages_on_with_its_filters(page, live_server, organiser, reference, screenshot):
    CandidateFactory.create_batch(30, township=reference[MINGYANG], status=PoolStatus.FILED)
    CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/?status={PoolStatus.FILED}")
    pager = page.get_by_role("navigation", name="分页")
    expect(pager).to_contain_text("第 1 / 2 页")
    screenshot("page-1")
    pager.get_by_role("link", name="下一页").click()
    expect(pager).to_contain_text("第 2 / 2 页")
    assert page.url.endswith(f"?status={PoolStatus.FILED}&page=2")
    expect(page.get_by_test_id("result-count")).to_have_text("30")


def _shot(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def test_every_page_fits_a_phone_screen(mobile_page, live_server, organiser, reference, district_staff):
    """No page is wider than a 390 px phone: tables scroll inside their card, forms stack."""
    from mentorship.models import PostType
    from tests.factories import MentorFactory

    page = mobile_page
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="宽度测试")
    mentor = MentorFactory(township=reference[MINGYANG])
    assert PostType.objects.exists()
    log_in(page, live_server, "mingyang")
    paths = [
        "/",
        "/candidates/",
        "/candidates/new/",
        f"/candidates/{candidate.pk}/",
        f"/candidates/{candidate.pk}/edit/",
        f"/cultivation/candidates/{candidate.pk}/",
        f"/cultivation/candidates/{candidate.pk}/mentors/",
        f"/cultivation/candidates/{candidate.pk}/secondments/",
        f"/cultivation/mentors/{mentor.pk}/edit/",
        "/cultivation/mentors/",
        "/todo/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[path] = overflow
    assert too_wide == {}


def test_registration_form_prints_on_one_a4_page(page, live_server, organiser, reference):
    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="打印测试")
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/{person.pk}/registration/")
    expect(page.get_by_test_id("registration")).to_contain_text("村党组织书记后备力量登记表")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1
    _shot_path = _shot("registration-print")
    page.screenshot(path=str(_shot_path), full_page=True)
