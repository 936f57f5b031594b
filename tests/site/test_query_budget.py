"""Query budgets: every main page costs a fixed, recorded number of queries, whatever the row count.

The expected counts live in tests/site/query_budgets.json (as NetBox keeps tests/query_counts.json). A page
that needs more queries than its budget, or fewer, fails here: raise a budget only with a reason in the
commit message, and lower it when a change saves a query. Each page is read once before counting, so
the budget is the steady state (cached drop-downs filled, see cadre_pool/org/choices.py).
"""

import datetime
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, PoolEvent, PoolStatus
from mentorship.models import MentoringLog
from tests.conftest import GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory

BUDGETS = json.loads((Path(__file__).parent / "query_budgets.json").read_text())
# Other modules check their additions to the candidate page against it.
DETAIL_BUDGET = BUDGETS["candidate detail (organiser)"]
FEW, MANY = 10, 200


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    # Savepoints and SET LOCAL (a planner or commit setting for one transaction) are bookkeeping, not work.
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"] and not q["sql"].startswith("SET LOCAL"))


def _add_rows(reference, n: int, candidate: Candidate, actor) -> None:
    """n more candidates in both townships (half named 张…, so the search finds some), and n more
    events and mentoring logs on the one candidate whose page is counted."""
    for i in range(n):
        township, village = (MINGYANG, QILONGSHAN) if i % 2 else (GUANGONG, XINAN)
        CandidateFactory(township=reference[township], village=reference[village], name=f"张{i}" if i % 4 < 2 else "李")
    now = timezone.now()
    PoolEvent.objects.bulk_create(
        PoolEvent(
            candidate=candidate,
            township_id=candidate.township_id,
            from_status="",
            to_status="in_pool",
            actor=actor,
            actor_role=actor.role,
        )
        for _ in range(n)
    )
    MentoringLog.objects.bulk_create(
        MentoringLog(
            candidate=candidate,
            date=(now - datetime.timedelta(days=i)).date(),
            kind="speaking",
            content="x",
            recorded_by=actor,
        )
        for i in range(n)
    )


def _pages(reference, candidate) -> dict[str, tuple[str, str, dict]]:
    """page → (user fixture, url, query)"""
    filtered = {"township": reference[MINGYANG].pk, "status": PoolStatus.IN_POOL, "sort": "-birth_date", "q": "张"}
    return {
        "candidate list (organiser)": ("organiser", reverse("candidates:list"), {}),
        "candidate list (district staff)": ("district_staff", reverse("candidates:list"), {}),
        "candidate list, filtered and searched (district staff)": (
            "district_staff",
            reverse("candidates:list"),
            filtered,
        ),
        "talent supply list (district staff)": ("district_staff", reverse("candidates:supply"), {}),
        "candidate detail (organiser)": ("organiser", reverse("candidate_file", args=[candidate.pk]), {}),
        "home (organiser)": ("organiser", reverse("home"), {}),
        "dashboard (district staff)": ("district_staff", reverse("dashboard"), {}),
        "dashboard (organiser)": ("organiser", reverse("dashboard"), {}),
        "township comparison (district staff)": ("district_staff", reverse("township_comparison"), {}),
        "funnel (district staff)": ("district_staff", reverse("candidates:funnel"), {}),
        "village coverage (district staff)": ("district_staff", reverse("coverage"), {}),
    }


def _measure(client, request, pages) -> dict[str, int]:
    counts = {}
    for name, (role, url, params) in pages.items():
        client.force_login(request.getfixturevalue(role))
        client.get(url, params)  # warm the cached drop-downs
        counts[name] = _count_queries(client, url, params)
    return counts


def test_main_pages_keep_their_query_budget_from_10_to_200_rows(client, request, reference, district_staff):
    candidate = CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张预算")
    pages = _pages(reference, candidate)
    assert set(pages) == set(BUDGETS), "tests/site/query_budgets.json and the pages measured here differ"

    _add_rows(reference, FEW, candidate, district_staff)
    few = _measure(client, request, pages)
    _add_rows(reference, MANY - FEW, candidate, district_staff)
    many = _measure(client, request, pages)

    growing = {name: (few[name], many[name]) for name in pages if few[name] != many[name]}
    assert not growing, f"query counts grow with the rows (at {FEW} rows, at {MANY}): {growing}"
    off_budget = {name: (many[name], BUDGETS[name]) for name in pages if many[name] != BUDGETS[name]}
    assert not off_budget, (
        f"queries (measured, budget) differ from tests/site/query_budgets.json: {off_budget}. Lower a budget "
        "when a change saves queries; raise one only for a reason stated in the commit."
    )


def test_later_pages_cost_what_the_first_costs(client, district_staff, reference):
    """Page 2 reads its rows through the deferred join (cadre_pool.paging): same queries, the right rows."""
    CandidateFactory.create_batch(30, township=reference[MINGYANG], village=reference[QILONGSHAN])
    client.force_login(district_staff)
    url = reverse("candidates:list")
    client.get(url)
    first = _count_queries(client, url, {"sort": "name"})
    second = _count_queries(client, url, {"sort": "name", "page": 2})
    assert first == second
    names = list(Candidate.objects.order_by("name", "pk").values_list("pk", flat=True))
    page = client.get(url, {"sort": "name", "page": 2}).context["page_obj"]
    assert [c.pk for c in page.object_list] == names[25:]


@pytest.mark.postgres
def test_app_connections_run_without_jit(db):
    """JIT compilation cost more than the dashboard's queries themselves at a million files."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.postgres
def test_repeated_statements_are_prepared_on_the_server(db):
    """Server-side binding with prepare_threshold (cadre_pool/settings.py): a statement run often on a
    connection is planned once. PostgreSQL lists a connection's prepared statements in pg_prepared_statements."""
    from cadre_pool.models import OrgUnit

    for _ in range(6):
        list(OrgUnit.objects.filter(pk=1).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "cadre_pool_orgunit"' in statement for statement in prepared), prepared
