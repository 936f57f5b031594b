"""Query budgets: the list and detail pages cost a fixed number of queries, whatever the row count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.models import PoolStatus
from candidates.services import change_status
from tests.conftest import MINGYANG, QILONGSHAN
from tests.factories import CandidateFactory

# Session read, user with unit, session write, then the page's own: for the list the count, the rows and
# the filter drop-downs (village, gender, education, political status, and township above a township).
LIST_BUDGET = {"organiser": 9, "district_staff": 10}
# Session ×2, user, candidate with its codes; intake: events, skills, work history, contacts, policies;
# the six kinds of cultivation record (mentors, logs, plan, posts, secondments, courses) and the three
# of management (assessments, reviews, decisions), each shared by its panel and the timeline.
DETAIL_BUDGET = 18
HOME_BUDGET = 4


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    # Savepoints are transaction bookkeeping, not work.
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.mark.parametrize("role", ["organiser", "district_staff"])
def test_list_query_count_does_not_grow_with_rows(client, request, reference, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    CandidateFactory.create_batch(3, township=reference[MINGYANG], village=reference[QILONGSHAN])
    few = _count_queries(client, reverse("candidates:list"))
    CandidateFactory.create_batch(40, township=reference[MINGYANG], village=reference[QILONGSHAN])
    many = _count_queries(client, reverse("candidates:list"))
    assert few == many <= LIST_BUDGET[role]


def test_filtered_list_keeps_the_budget(client, district_staff, reference):
    client.force_login(district_staff)
    CandidateFactory.create_batch(30, township=reference[MINGYANG], village=reference[QILONGSHAN])
    # At least one match, whatever names the factory drew: an empty page would skip the rows query.
    CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张预算")
    params = {"township": reference[MINGYANG].pk, "status": "in_pool", "sort": "-birth_date", "q": "张"}
    # One more than the plain list: the chosen township is looked up to validate the filter.
    assert _count_queries(client, reverse("candidates:list"), params) <= LIST_BUDGET["district_staff"] + 1


def test_detail_query_count_does_not_grow_with_events(client, organiser, district_staff, reference):
    client.force_login(organiser)
    candidate = CandidateFactory(township=reference[MINGYANG], status=PoolStatus.PROSPECT)
    few = _count_queries(client, reverse("candidates:detail", args=[candidate.pk]))
    for target in ["contacted", "willing", "filed", "proposed"]:
        change_status(actor=organiser, candidate_id=candidate.pk, to_status=target)
    change_status(actor=district_staff, candidate_id=candidate.pk, to_status="in_pool")
    many = _count_queries(client, reverse("candidates:detail", args=[candidate.pk]))
    assert few == many <= DETAIL_BUDGET


def test_home_page_budget(client, organiser, reference):
    client.force_login(organiser)
    CandidateFactory.create_batch(10, township=reference[MINGYANG])
    assert _count_queries(client, reverse("home")) <= HOME_BUDGET
