"""S12, S13: control characters never enter a record, and one stored record never breaks an export.

A name pasted with `\\x01` or an escape character once answered the edit form with success and
then every workbook that held the person with a 500 (openpyxl refuses such characters). Forms and
the admin now store text without them; the workbooks drop them from anything already stored.
"""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cadre_pool import exports
from cadre_pool.models import Export
from cadre_pool.text import without_control_characters
from candidates.models import Candidate
from tests.candidates.test_candidate_forms import _post_data
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

CONTROL = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F]))
# What PostgreSQL can store in a text column: anything but NUL and lone surrogates.
STORABLE = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        st.sampled_from(CONTROL[1:]),
    ),
    min_size=1,
    max_size=40,
)


def test_without_control_characters_keeps_text_and_line_breaks():
    assert without_control_characters("张\x01三\x1b[0m") == "张三[0m"
    assert without_control_characters("第一行\n第二行\t制表") == "第一行\n第二行\t制表"
    assert without_control_characters("第一行\r\n第二行\t", multiline=False) == "第一行 第二行 "
    assert without_control_characters("".join(CONTROL)) == ""
    assert without_control_characters("𠮷野家 ab") == "𠮷野家 ab"


def test_the_edit_form_stores_a_pasted_name_without_control_characters(
    client, organiser, reference, mingyang_candidate
):
    client.force_login(organiser)
    url = reverse("candidates:edit", args=[mingyang_candidate.pk])
    edit = {"id_number": mingyang_candidate.id_number, "version": mingyang_candidate.version}
    response = client.post(url, _post_data(reference, **edit, name="张\x01明\x1b阳", notes="备注\x07\n第二行"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    mingyang_candidate.refresh_from_db()
    assert (mingyang_candidate.name, mingyang_candidate.notes) == ("张明阳", "备注\n第二行")
    edit["version"] = mingyang_candidate.version
    response = client.post(url, _post_data(reference, **edit, name="\x01\x02"))
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_the_admin_stores_text_without_control_characters(client, system_admin, reference):
    client.force_login(system_admin)
    unit = reference[QILONGSHAN]
    response = client.post(
        reverse("admin:cadre_pool_orgunit_change", args=[unit.pk]),
        {
            "code": unit.code,
            "name": "骑龙\x01山村",
            "short_name": "骑龙山\x1b",
            "level": unit.level,
            "parent": unit.parent_id,
            "is_model_village": "on" if getattr(unit, "is_model_village", False) else "",
        },
    )
    unit.refresh_from_db()
    assert response.status_code in (200, 302)
    assert "\x01" not in unit.name and "\x1b" not in unit.short_name


def _sheet_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    cells = [str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value]
    workbook.close()
    return "\n".join(cells)


@pytest.fixture
def stored(reference):
    return CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张明阳")


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=STORABLE)
def test_any_stored_text_leaves_every_workbook_readable(client, district_staff, stored, text):
    """Whatever a record holds (written around the forms, as by an old release or a script), the list
    export, the talent supply export, the registration form and a background roster answer."""
    Candidate.objects.filter(pk=stored.pk).update(
        name=text[:50], employer=text[:100], notes=text, skills_other=text[:200], native_place=text[:50]
    )
    expected = without_control_characters(text[:50]).strip()
    client.force_login(district_staff)
    workbooks = [
        client.get(reverse("candidates:list"), {"export": "xlsx"}),
        client.get(reverse("candidates:supply"), {"export": "xlsx"}),
        client.get(reverse("registration_form", args=[stored.pk]), {"export": "xlsx"}),
    ]
    for response in workbooks:
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if expected:
            assert expected in _sheet_text(content)
    export = Export.objects.create(owner=district_staff, kind="roster", params={}, total=1)
    exports.run(export)
    with export.file.open("rb") as handle:
        assert not expected or expected in _sheet_text(handle.read())
