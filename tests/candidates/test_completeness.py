"""Incomplete information files: each check's query and its Python test agree, the candidate list
filters them (and its export follows), and the file page names what is missing."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from candidates.completeness import CHECKS, incomplete_condition, missing_information
from candidates.models import Candidate
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory


def _blank(field_name: str) -> dict:
    """The stored value of an empty field: NULL where the column allows it, else the empty string."""
    field = Candidate._meta.get_field(field_name)
    return {field.attname: None if field.null else ""}


def _file(reference, name, township=MINGYANG, **stored) -> Candidate:
    """A file with values stored as an import or an old record might have left them, past the model's
    clean (which today refuses a party member without a party entry date)."""
    candidate = CandidateFactory(
        township=reference[township], village=reference[QILONGSHAN] if township == MINGYANG else None, name=name
    )
    if stored:
        Candidate.objects.filter(pk=candidate.pk).update(**stored)
    return Candidate.objects.get(pk=candidate.pk)


@pytest.fixture
def world(reference):
    """Files that pass and fail each check, with the ugly values real rosters hold."""
    files = [
        _file(reference, "党员齐全", political_status_id="01", party_entry_date="2010-07-01"),
        _file(reference, "预备党员齐全", political_status_id="02", party_entry_date="2025-06-30"),
        _file(reference, "党员无入党时间", political_status_id="01", party_entry_date=None),
        _file(reference, "预备党员无入党时间", political_status_id="02", party_entry_date=None),
        _file(reference, "群众无入党时间", political_status_id="13", party_entry_date=None),
        _file(reference, "共青团员", political_status_id="03", party_entry_date=None),
        _file(reference, "籍贯空格", native_place="  "),
        _file(reference, "籍贯全角", native_place="四川省巴中市恩阳区"),
        _file(reference, "什么都缺", political_status_id="01", party_entry_date=None, native_place=""),
    ]
    # Every check, including those added later, failed alone by a party member's file.
    for check in CHECKS:
        stored = {"political_status_id": "01", "party_entry_date": "2012-05-04", **_blank(check.field)}
        files.append(_file(reference, f"缺{check.field}", **stored))
    return files


def test_each_checks_query_and_python_test_agree(world):
    loaded = list(Candidate.objects.all())
    assert len(loaded) == len(world)
    for check in CHECKS:
        by_query = set(Candidate.objects.filter(check.missing).values_list("name", flat=True))
        by_python = {c.name for c in loaded if check.is_missing(c)}
        assert by_query == by_python, check.field
        # Neither side is trivially empty or full: the world holds files passing and failing it.
        assert by_query and by_query != {c.name for c in loaded}, check.field
        assert f"缺{check.field}" in by_query


def test_party_entry_date_is_missing_only_for_party_members(world):
    check = next(c for c in CHECKS if c.field == "party_entry_date")
    missing = set(Candidate.objects.filter(check.missing).values_list("name", flat=True))
    assert {"党员无入党时间", "预备党员无入党时间", "什么都缺"} <= missing
    assert not {"群众无入党时间", "共青团员", "党员齐全", "预备党员齐全"} & missing


def test_incomplete_files_are_those_failing_any_check_in_order(world):
    loaded = {c.name: c for c in Candidate.objects.all()}
    assert set(Candidate.objects.incomplete().values_list("name", flat=True)) == {
        name for name, c in loaded.items() if missing_information(c)
    }
    assert set(Candidate.objects.filter(incomplete_condition()).values_list("pk", flat=True)) == set(
        Candidate.objects.incomplete().values_list("pk", flat=True)
    )
    both = {"party_entry_date", "native_place"}
    fields = [check.field for check in missing_information(loaded["什么都缺"]) if check.field in both]
    assert fields == [check.field for check in CHECKS if check.field in both]
    assert missing_information(loaded["党员齐全"]) == []


# --- the candidate list and its export ----------------------------------------------------------


def _names(response) -> set[str]:
    assert response.status_code == 200
    return {row.name for row in response.context["object_list"]}


def test_the_list_filters_incomplete_files_in_the_users_scope(client, organiser, district_staff, world, reference):
    other = _file(reference, "关公缺籍贯", township=GUANGONG, native_place="")
    incomplete = set(Candidate.objects.incomplete().values_list("name", flat=True))
    url = reverse("candidates:list")

    client.force_login(organiser)
    assert _names(client.get(url, {"incomplete": "yes"})) == incomplete - {other.name}
    assert _names(client.get(url, {"incomplete": "no"})) == {c.name for c in world} - incomplete
    page = client.get(url).text
    assert "资料不完整" in page

    client.force_login(district_staff)
    assert _names(client.get(url, {"incomplete": "yes"})) == incomplete
    assert _names(client.get(url, {"incomplete": "yes", "township": reference[GUANGONG].pk})) == {other.name}
    # With another filter: a party member in the pool lacking a party entry date.
    assert _names(client.get(url, {"incomplete": "yes", "political_status": "02"})) == {"预备党员无入党时间"}


def test_the_export_follows_the_incomplete_filter(client, organiser, world):
    client.force_login(organiser)
    response = client.get(reverse("candidates:list"), {"incomplete": "yes", "export": "xlsx", "col": ["name"]})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert "资料不完整：是" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("姓名",)
    names = {row[0] for row in rows[1:]}
    assert names == set(Candidate.objects.incomplete().values_list("name", flat=True))


# --- the file page ------------------------------------------------------------------------------


def test_the_file_page_says_what_is_missing_and_links_to_the_form(client, organiser, world):
    client.force_login(organiser)
    lacking = Candidate.objects.get(name="什么都缺")
    page = client.get(reverse("candidate_file", args=[lacking.pk])).text
    assert 'data-testid="missing-information"' in page
    labels = "、".join(str(check.label) for check in missing_information(lacking))
    assert f"资料不完整，缺少：{labels}。" in page and "入党时间" in labels and "籍贯" in labels
    assert reverse("candidates:edit", args=[lacking.pk]) in page

    complete = Candidate.objects.get(name="党员齐全")
    assert 'data-testid="missing-information"' not in client.get(reverse("candidate_file", args=[complete.pk])).text


def test_a_reader_sees_what_is_missing_without_the_edit_link(client, leader, world):
    client.force_login(leader)
    lacking = Candidate.objects.get(name="什么都缺")
    page = client.get(reverse("candidate_file", args=[lacking.pk])).text
    assert "资料不完整，缺少：" in page
    assert reverse("candidates:edit", args=[lacking.pk]) not in page


def test_the_notice_costs_the_file_page_no_query(client, organiser, world):
    client.force_login(organiser)
    complete, lacking = Candidate.objects.get(name="党员齐全"), Candidate.objects.get(name="什么都缺")
    counts = []
    for candidate in (complete, lacking):
        url = reverse("candidate_file", args=[candidate.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
