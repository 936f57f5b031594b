"""The one pager (templates/cadre_pool/_pager.html) and the query string its links keep."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from cadre_pool.models import AuditAction, AuditEvent
from mentorship.views import MentorListView
from tests.candidates.test_needs import make_need
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import MentorFactory


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_the_query_without_page_keeps_every_other_parameter():
    request = RequestFactory().get("/", {"q": "张 三", "page": "3", "status": ["a", "b"]})
    html = Template("{% load cadre_pool %}{% query_without_page %}").render(Context({"request": request}))
    assert html == "q=%E5%BC%A0+%E4%B8%89&amp;status=a&amp;status=b"


def test_the_village_needs_pager_keeps_the_status_filter(client, organiser, reference, monkeypatch):
    monkeypatch.setattr("candidates.views.needs.PAGE_SIZE", 1)
    for title in ("一", "二"):
        make_need(organiser, reference[QILONGSHAN], title=title)
    client.force_login(organiser)
    html = client.get(reverse("candidates:needs"), {"status": "all"}).text
    assert "第 1 / 2 页" in html
    assert 'href="?status=all&amp;page=2"' in html


def test_the_mentor_register_has_a_pager(client, organiser, reference, monkeypatch):
    monkeypatch.setattr(MentorListView, "paginate_by", 1)
    MentorFactory.create_batch(2, township=reference[MINGYANG])
    client.force_login(organiser)
    html = client.get(reverse("mentorship:mentors"), {"active": "all", "page": 2}).text
    assert "第 2 / 2 页" in html
    assert 'href="?active=all&amp;page=1"' in html


def test_the_audit_log_pages_with_its_filters(client, audit_admin, monkeypatch):
    monkeypatch.setattr("cadre_pool.audit.views.PAGE_SIZE", 1)
    for _ in range(2):
        AuditEvent.objects.create(action=AuditAction.LOGOUT, actor_name="审计员")
    client.force_login(audit_admin)
    html = client.get(reverse("audit_log"), {"action": AuditAction.LOGOUT}).text
    assert f'href="?action={AuditAction.LOGOUT}&amp;page=2"' in html
