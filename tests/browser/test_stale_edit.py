"""Two people edit the same information file (S16): the second save is refused and shows the first one's change."""

import re

import pytest
from playwright.sync_api import expect

from cadre_pool.models import Role
from candidates.models import Candidate
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_editor_sees_the_other_persons_change_on_a_phone(
    page, mobile_page, live_server, organiser, reference, screenshot
):
    UserFactory(username="wangqiang", full_name="王强", role=Role.ORGANISER, unit=reference[MINGYANG])
    candidate = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], name="张明阳", notes="原始备注", employer="原单位"
    )
    edit = f"{live_server.url}/candidates/{candidate.pk}/edit/"
    # The colleague at a desk and the organiser on a phone open the same file.
    log_in(page, live_server, "wangqiang")
    page.goto(edit)
    log_in(mobile_page, live_server, "mingyang")
    mobile_page.goto(edit)
    expect(mobile_page.locator("#id_notes")).to_have_value("原始备注")

    page.locator("#id_notes").fill("王强补充：已返乡创业")
    page.locator("#id_employer").fill("骑龙山合作社")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/candidates/{candidate.pk}/$"))

    mobile_page.locator("#id_notes").fill("我的补充：在外务工")
    mobile_page.get_by_role("button", name="保存").click()
    expect(mobile_page.get_by_role("alert")).to_contain_text("其他人已保存了这份档案")
    conflict = mobile_page.get_by_test_id("stale-edit")
    expect(conflict).to_contain_text("王强于")
    expect(conflict.get_by_role("row", name=re.compile("备注"))).to_contain_text("我的补充：在外务工")
    expect(conflict.get_by_role("row", name=re.compile("备注"))).to_contain_text("王强补充：已返乡创业")
    expect(conflict.get_by_role("row", name=re.compile("工作单位"))).to_contain_text("骑龙山合作社")
    # Nothing of the organiser's entry was lost from the form, and nothing overflows the phone's width.
    expect(mobile_page.locator("#id_notes")).to_have_value("我的补充：在外务工")
    assert mobile_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    conflict.scroll_into_view_if_needed()
    mobile_page.screenshot(path=str(SCREENSHOTS / "stale-edit-phone.png"))
    mobile_page.screenshot(path=str(SCREENSHOTS / "stale-edit-phone-full.png"), full_page=True)
    assert Candidate.objects.get(pk=candidate.pk).notes == "王强补充：已返乡创业"

    # Having compared, the organiser keeps the colleague's employer and saves the combined note.
    mobile_page.locator("#id_employer").fill("骑龙山合作社")
    mobile_page.locator("#id_notes").fill("王强补充：已返乡创业；我的补充：曾在外务工")
    mobile_page.get_by_role("button", name="保存").click()
    expect(mobile_page).to_have_url(re.compile(rf"/candidates/{candidate.pk}/$"))
    saved = Candidate.objects.get(pk=candidate.pk)
    assert (saved.notes, saved.employer, saved.version) == (
        "王强补充：已返乡创业；我的补充：曾在外务工",
        "骑龙山合作社",
        3,
    )
    screenshot("desk")
