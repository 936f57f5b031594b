"""Prepared statements (cadre_pool.prepared): the ORM's rows for each key, compiled once."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre_pool.prepared import Prepared
from candidates.models import PoolEvent, WorkHistoryEntry
from tests.conftest import MINGYANG
from tests.factories import CandidateFactory

history = Prepared(lambda key: WorkHistoryEntry.objects.filter(candidate_id=key))
events = Prepared(lambda key: PoolEvent.objects.filter(candidate_id=key).select_related("actor"))


def test_each_key_gets_its_own_rows_as_the_orm_reads_them(reference, district_staff):
    first, second = CandidateFactory.create_batch(2, township=reference[MINGYANG])
    for person, unit in ((first, "甲单位"), (second, "乙单位")):
        WorkHistoryEntry.objects.create(candidate=person, start=datetime.date(2015, 3, 1), unit=unit, role="会计")
    for person in (first, second, first):  # the second call for a key runs the kept statement again
        rows = history(person.pk)
        assert [(row.pk, row.unit, row.start) for row in rows] == [
            (row.pk, row.unit, row.start) for row in WorkHistoryEntry.objects.filter(candidate=person)
        ]
        assert isinstance(rows[0].start, datetime.date)  # converted as the ORM converts (SQLite)
    assert history(-1) == []


def test_related_objects_come_with_the_row_and_the_query_is_logged_with_its_values(reference):
    person = CandidateFactory(township=reference[MINGYANG])
    expected = list(PoolEvent.objects.filter(candidate=person).select_related("actor"))
    assert expected
    with CaptureQueriesContext(connection) as ctx:
        rows = events(person.pk)
        assert [(row.pk, str(row.actor)) for row in rows] == [(row.pk, str(row.actor)) for row in expected]
    assert len(ctx.captured_queries) == 1  # the actors came in the same statement
    assert ctx.captured_queries[0]["sql"].startswith("SELECT")
    assert f"= {person.pk}" in ctx.captured_queries[0]["sql"]
