"""The candidate list's rows (templates/candidates/_candidate_table.html) and its capped count (cadre_pool.paging)."""

import re

from django.urls import reverse

from cadre_pool.models import OrgUnit, PoliticalStatus
from candidates.models import Candidate
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory, OrgUnitFactory, UserFactory


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_a_row_shows_the_file_with_labels_masks_and_a_link(client, district_staff, reference):
    person = CandidateFactory(
        township=reference[MINGYANG], village=reference[QILONGSHAN], name="张<b>明</b>", phone="13912345678", age=40
    )
    client.force_login(district_staff)
    html = client.get(reverse("candidates:list")).text
    (row,) = _rows(html)
    assert f'href="{reverse("candidate_file", args=[person.pk])}"' in row
    assert "&lt;b&gt;" in row and "<b>" not in row  # escaped, never markup
    assert _cells(row) == [
        "张&lt;b&gt;明&lt;/b&gt;",
        "男",
        "40",
        str(reference[MINGYANG]),
        str(reference[QILONGSHAN]),
        str(PoliticalStatus.objects.get(code="13")),
        str(person.education),
        person.get_source_category_display(),
        "139****5678",
        person.get_status_display(),
    ]


def test_an_organiser_list_has_no_township_column_and_a_dash_for_no_village(client, organiser, reference):
    CandidateFactory(township=reference[MINGYANG], village=None)
    client.force_login(organiser)
    html = client.get(reverse("candidates:list")).text
    (row,) = _rows(html)
    cells = _cells(row)
    assert len(cells) == 9
    assert str(reference[MINGYANG]) not in cells
    assert cells[3] == "—"


def test_a_renamed_code_shows_at_once(client, district_staff, reference):
    """A renamed code shows on the next page read."""
    CandidateFactory(township=reference[MINGYANG])
    client.force_login(district_staff)
    client.get(reverse("candidates:list"))
    status = PoliticalStatus.objects.get(code="13")
    status.short_name = "普通群众"
    status.save()
    assert "普通群众" in _cells(_rows(client.get(reverse("candidates:list")).text)[0])


def test_an_empty_list_says_so(client, district_staff, reference):
    client.force_login(district_staff)
    html = client.get(reverse("candidates:list"), {"q": "没有这个人"}).text
    assert "没有符合" in html.split("<tbody>", 1)[1]


def test_the_count_stops_at_the_cap_and_later_pages_stay_reachable(client, district_staff, reference, settings):
    settings.LIST_COUNT_CAP = 30
    CandidateFactory.create_batch(20, township=reference[MINGYANG])
    CandidateFactory.create_batch(20, township=reference[GUANGONG])
    client.force_login(district_staff)
    url = reverse("candidates:list")

    first = client.get(url, {"sort": "name"})
    assert first.context["paginator"].count_label == "30+"
    assert '<span class="badge text-bg-secondary" data-testid="result-count">30+</span>' in first.text
    assert "第 1 页" in first.text  # no total page count beyond the cap
    assert "page=2" in first.text

    second = client.get(url, {"sort": "name", "page": 2})
    names = list(Candidate.objects.order_by("name", "pk").values_list("name", flat=True))
    assert [row.name for row in second.context["object_list"]] == names[25:]
    assert len(_rows(second.text)) == 15
    assert "page=3" not in second.text

    settings.LIST_COUNT_CAP = 1000
    exact = client.get(url, {"sort": "name"})
    assert exact.context["paginator"].count_label == "40"
    assert "第 1 / 2 页" in exact.text


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_filter_form_follows_the_tree_and_never_mixes_scopes(client, district_staff, organiser, reference):
    """The filter form offers the user's scope only, and follows a changed tree at once."""
    client.force_login(district_staff)
    url = reverse("candidates:list")
    before = _options(client.get(url).text, "township")
    assert str(reference[MINGYANG].pk) in before and str(reference[GUANGONG].pk) in before

    new = OrgUnitFactory(code="511903199000", name="新设镇", township=True, parent=reference[GUANGONG].parent)
    assert _options(client.get(url).text, "township") == [*before, str(new.pk)]

    # Another district's staff, served by the same process right after: only their own townships.
    other = OrgUnitFactory(code="511902000000", name="巴州区", district=True)
    theirs = OrgUnitFactory(code="511902100000", name="巴州镇", township=True, parent=other)
    client.force_login(UserFactory(username="bazhou", role="district_staff", unit=other))
    assert _options(client.get(url).text, "township") == ["", str(theirs.pk)]

    # An organiser's form has no township filter and only their township's villages, even with a
    # township asked for in the address.
    client.force_login(organiser)
    html = client.get(url, {"township": theirs.pk}).text
    assert 'name="township"' not in html
    villages = _options(html, "village")
    assert str(reference[QILONGSHAN].pk) in villages
    assert set(villages) <= {""} | {
        str(pk) for pk in OrgUnit.objects.filter(parent=reference[MINGYANG]).values_list("pk", flat=True)
    }

    # And the search box still reaches the filter set's own method.
    CandidateFactory(township=reference[MINGYANG], name="祝心灵")
    assert "祝心灵" in client.get(url, {"q": "祝"}).text


def test_the_capped_count_of_nothing_is_zero(db, reference):
    from cadre_pool.paging import CappedPaginator

    CandidateFactory(township=reference[MINGYANG])
    assert CappedPaginator(Candidate.objects.none(), 25).count == 0
    assert CappedPaginator(Candidate.objects.filter(township=reference[GUANGONG]), 25).count == 0
    assert CappedPaginator(Candidate.objects.all(), 25).count == 1


IN_POOL_ZH = "已入库"


def test_the_kept_drop_downs_mark_each_request_choice_in_its_language(client, district_staff, reference):
    """Each request's filter form marks its own choice, in its language, with renamed codes."""
    client.force_login(district_staff)
    url = reverse("candidates:list")

    def selected(html, name):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
        return re.findall(r'<option value="([^"]*)" selected>', select)

    html = client.get(url, {"township": reference[MINGYANG].pk, "status": "in_pool"}).text
    assert selected(html, "township") == [str(reference[MINGYANG].pk)]
    assert selected(html, "status") == ["in_pool"]
    html = client.get(url, {"township": reference[GUANGONG].pk, "sort": "-name"}).text
    assert selected(html, "township") == [str(reference[GUANGONG].pk)]
    assert selected(html, "status") == [""]  # "all", not the last request's choice
    assert selected(html, "sort") == ["-name"]

    client.cookies["django_language"] = "en"
    english = client.get(url, {"status": "in_pool"}).text
    assert '<option value="in_pool" selected>in pool</option>' in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(url, {"status": "in_pool"}).text
    assert f'<option value="in_pool" selected>{IN_POOL_ZH}</option>' in chinese

    status = PoliticalStatus.objects.get(code="13")
    status.short_name = "普通群众"
    status.save()
    assert '<option value="13">普通群众</option>' in client.get(url).text
