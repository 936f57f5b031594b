"""Browser check: the village coverage page says which basis each count used, and fits a 390 px phone."""

import pytest
from playwright.sync_api import expect

from cadre_pool.models import OrgUnit
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_page_shows_the_basis_on_a_phone(mobile_page, live_server, organiser, reference):
    from tests.browser.conftest import SCREENSHOTS

    page = mobile_page
    other = OrgUnit.objects.villages().filter(parent=reference[MINGYANG]).exclude(code=QILONGSHAN).order_by("code")[0]
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="甲户籍")
    CandidateFactory(township=reference[MINGYANG], village=other, target_village=reference[QILONGSHAN], name="乙拟任")
    CandidateFactory(township=reference[MINGYANG], village=other, name="丙户籍")
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/coverage/?township={reference[MINGYANG].pk}")
    expect(page.get_by_test_id("coverage-basis")).to_contain_text("未填拟任职村的，按户籍村计入")
    township = page.get_by_test_id(f"coverage-{MINGYANG}")
    expect(township.get_by_test_id("basis")).to_have_text("拟任职村 1 人，户籍村 2 人")
    qilongshan = page.get_by_test_id(f"village-{QILONGSHAN}")
    expect(qilongshan.get_by_test_id("reserves")).to_have_text("2（拟任职村 1，户籍村 1）")
    expect(qilongshan).to_contain_text("甲户籍（户籍村）")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, overflow
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "coverage-phone.png"), full_page=True)
