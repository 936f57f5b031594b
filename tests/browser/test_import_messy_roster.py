"""Browser journey: a messy township roster on a phone, checked and imported with its warnings."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate
from tests.browser.test_journeys import log_in
from tests.conftest import MINGYANG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSTER = Path(__file__).resolve().parents[1] / "data" / "import_corpus" / "01_issue_roster.xlsx"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_the_issue_roster_imports_on_a_phone(mobile_page, live_server, organiser, reference, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page = mobile_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server, "mingyang")
    page.goto(f"{live_server.url}/candidates/import/")
    expect(page.get_by_test_id("township-code")).to_contain_text("511903100000")
    page.locator("#id_file").set_input_files(str(ROSTER))
    page.get_by_role("button", name="检查工作簿").click()
    expect(page.get_by_test_id("import-counts")).to_contain_text("新建 14")
    expect(page.get_by_test_id("import-skipped")).to_contain_text("跳过 1 行")
    expect(page.get_by_test_id("import-rows")).to_contain_text("表中没有入党时间列")
    expect(page.get_by_test_id("import-rows")).to_contain_text("合计行")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the preview is {overflow} px wider than the phone"
    page.screenshot(path=str(SHOTS / "import-messy-preview-390.png"), full_page=True)
    page.get_by_role("button", name="导入全部 14 人").click()
    expect(page.get_by_role("alert").first).to_contain_text("新建档案 14 份")
    expect(page.get_by_text("有 6 份导入的档案不完整")).to_be_visible()
    page.screenshot(path=str(SHOTS / "import-messy-done-390.png"), full_page=True)
    assert Candidate.objects.filter(township=reference[MINGYANG]).count() == 14
