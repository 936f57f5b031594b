"""登记表: scoped, masked, the same content as Excel, fixed query cost."""

import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory


def test_registration_form_in_the_browser_and_in_excel(client, organiser, other_organiser, reference):
    person = CandidateFactory(
        township=reference[MINGYANG],
        village=reference[QILONGSHAN],
        name="登记甲",
        native_place="四川巴中",
        rewards_punishments="=2020年获评优秀党员",
    )
    client.force_login(organiser)
    page = client.get(reverse("registration_form", args=[person.pk]))
    assert page.status_code == 200
    assert "村党组织书记后备力量登记表" in page.text and "四川巴中" in page.text
    assert person.id_number not in page.text and person.masked_id_number in page.text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("registration_form", args=[person.pk]), {"export": "xlsx"}).content)
    ).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "登记甲" in values and person.masked_id_number in values
    assert not any(re.fullmatch(r"\d{17}[\dX]", str(v)) for v in values)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    client.force_login(other_organiser)
    assert client.get(reverse("registration_form", args=[person.pk])).status_code == 404


def test_registration_form_query_budget(client, organiser, reference):
    from mentorship import services
    from tests.factories import MentorFactory

    person = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(organiser)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("registration_form", args=[person.pk])).status_code == 200
        return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])

    count()  # warm the cached code tables
    few = count()
    for mentor in MentorFactory.create_batch(3, township=reference[MINGYANG]):
        services.assign_mentor(actor=organiser, candidate_id=person.pk, mentor_id=mentor.pk)
    assert count() == few <= 20
