"""Browser journey for S11: an organiser on a phone reveals a full ID number, and the reveal is recorded."""

import pytest
from playwright.sync_api import expect

from cadre_pool.models import AuditAction, AuditEvent
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_reveals_a_full_id_on_a_phone(mobile_page, live_server, organiser, mingyang_candidate):
    page = mobile_page
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/{mingyang_candidate.pk}/")
    expect(page.get_by_test_id("masked-id")).to_have_text(mingyang_candidate.masked_id_number)
    expect(page.get_by_text(mingyang_candidate.id_number)).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("reveal").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "reveal-phone-masked.png"), full_page=False)
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("full-id")).to_have_text(mingyang_candidate.id_number)
    expect(page.get_by_test_id("full-phone")).to_have_text(mingyang_candidate.phone)
    expect(page.get_by_test_id("reveal-note")).to_contain_text("已记录")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "reveal-phone.png"), full_page=False)
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, object_id=str(mingyang_candidate.pk)).count() == 1
    # Back on the file, the numbers are masked again.
    page.goto(f"{live_server.url}/candidates/{mingyang_candidate.pk}/")
    expect(page.get_by_test_id("masked-id")).to_be_visible()
