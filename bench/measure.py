"""In-process measurements for `make bench` (bench/run.py starts one process per task).

Run as `python -m bench.measure TASK` with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming
a seeded scale database; the result is one JSON line on stdout.

Every view time is the median of several runs through Django's test Client (the whole middleware
stack, DEBUG off) after warm-up; every raw limit is the median of the same number of runs of the SQL
that produces the same rows through a plain psycopg connection, interleaved with the view runs so
that load from elsewhere on the machine hits both alike.
"""

import io
import json
import os
import resource
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

import psycopg  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import statements as replay  # noqa: E402
from bench import urls as bench_urls  # noqa: E402
from cadre_pool.models import OrgUnit, User  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from reports.views import CandidateFileView  # noqa: E402

WARMUP = int(os.environ.get("BENCH_WARMUP", 3))
RUNS = int(os.environ.get("BENCH_RUNS", 15))
# Pages of a few milliseconds are read many more times, after a longer warm-up: a statement runs
# planned afresh until psycopg prepares it (fifth run) and PostgreSQL settles on a generic plan (after
# five more), so 15 runs after 3 mixed both phases and moved the ratios by about 10 % between runs.
PAGE_WARMUP = int(os.environ.get("BENCH_PAGE_WARMUP", 20))
PAGE_RUNS = int(os.environ.get("BENCH_PAGE_RUNS", 101))
LIST_FILTER_STATUS = "in_pool"


def _dsn() -> str:
    settings = connection.settings_dict
    # The app's own server settings (JIT off, cadre_pool/settings.py): the raw side runs with the same.
    return (
        f"host={settings['HOST']} port={settings['PORT'] or 5432} dbname={settings['NAME']} user={settings['USER']} "
        "options='-c jit=off'"
    )


def _raw(statements):
    """A callable running (sql, params) pairs on a plain psycopg connection and fetching every row."""
    raw = psycopg.connect(_dsn(), autocommit=True)
    statements = replay.in_transaction(statements)

    def run():
        with raw.cursor() as cursor:
            return replay.run(cursor, statements)

    return run


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(view, raw, runs: int = RUNS, warmup: int = WARMUP) -> dict:
    """Median seconds of the view and of the raw SQL, run alternately."""
    for _ in range(warmup):
        view()
        raw()
    view_times, raw_times = [], []
    for _ in range(runs):
        view_times.append(_timed(view))
        raw_times.append(_timed(raw))
    view_s, raw_s = statistics.median(view_times), statistics.median(raw_times)
    return {"view_ms": round(view_s * 1000, 2), "raw_ms": round(raw_s * 1000, 2), "ratio": round(view_s / raw_s, 2)}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client, url, params=None):
    def fetch():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def largest_township() -> OrgUnit:
    return User.objects.select_related("unit").get(username="scale_organiser").unit


# Candidate list ---------------------------------------------------------------------------

LIST_SQL = """
SELECT c.id, c.name, c.birth_date, c.phone, c.source_category, c.status,
       g.code, g.name, t.id, t.name, t.short_name, v.id, v.name, v.short_name, p.code, p.name, e.code, e.name
FROM candidates_candidate c
JOIN cadre_pool_orgunit t ON t.id = c.township_id
LEFT JOIN cadre_pool_orgunit v ON v.id = c.village_id
JOIN cadre_pool_gender g ON g.code = c.gender_id
JOIN cadre_pool_politicalstatus p ON p.code = c.political_status_id
JOIN cadre_pool_education e ON e.code = c.education_id
WHERE c.township_id = %s AND c.status = %s AND t.path LIKE %s
ORDER BY c.name, c.id
LIMIT 25 OFFSET %s
"""
COUNT_SQL = "SELECT count(*) FROM candidates_candidate WHERE township_id = %s AND status = %s"


def list_pages() -> dict:
    township = largest_township()
    user = User.objects.select_related("unit").get(username="scale_district")
    client = _client("scale_district")
    url = reverse("candidates:list")
    matches = Candidate.objects.filter(township=township, status=LIST_FILTER_STATUS).count()
    result = {"township": township.code, "matches": matches, "user": user.username}
    for page in (1, 400):
        params = {"township": township.pk, "status": LIST_FILTER_STATUS, "sort": "name", "page": page}
        raw = _raw(
            [
                (LIST_SQL, [township.pk, LIST_FILTER_STATUS, user.unit.path + "%", (page - 1) * 25]),
                (COUNT_SQL, [township.pk, LIST_FILTER_STATUS]),
            ]
        )
        result[f"page{page}"] = compare(_get(client, url, params), raw, PAGE_RUNS, PAGE_WARMUP)
    return result


# Candidate detail -------------------------------------------------------------------------

# The session and the signed-in user are the framework's, not the page's data.
FRAMEWORK_QUERIES = ('FROM "django_session"', 'FROM "cadre_pool_user"')


def detail_page() -> dict:
    """Raw limit: the page's own data queries (not the session and user lookups) replayed through psycopg."""
    township = largest_township()
    # A person in the pool with a mentor, logs, a placement and a review: the richest kind of file.
    candidate = (
        Candidate.objects.filter(township=township, status="in_pool", mentor_assignments__isnull=False)
        .filter(placements__isnull=False)
        .order_by("pk")
        .first()
    )
    client = _client("scale_district")
    url = reverse("candidate_file", args=[candidate.pk])
    # Capture a warm request, as query_counts does: the cache fills of a fresh process (code tables)
    # are not the page's queries and would pad the raw side.
    _get(client, url)()
    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, url)()
    statements = [
        (query["sql"], None)
        for query in ctx.captured_queries
        if query["sql"].startswith(("SELECT", "SET LOCAL join_collapse_limit"))
        and not any(marker in query["sql"] for marker in FRAMEWORK_QUERIES)
    ]
    raw = _raw(statements)
    figure = compare(_get(client, url), raw, PAGE_RUNS, PAGE_WARMUP)
    parts = _detail_parts(client, response, candidate.pk)
    floor = _detail_floor(client, response, statements, raw)
    return {"candidate": candidate.pk, "data_queries": len(statements), **figure, **parts, "floor": floor}


def _detail_floor(client, response, statements, raw) -> dict:
    """The file page's floor against the same raw SQL: bench.urls.floor runs the page's statements and
    draws base.html around the page's own HTML, so its ratio is what the request cycle, Django's cursor
    and the shared layout cost before a single row becomes HTML."""
    html = response.content.decode()
    main = html.index("<main")
    bench_urls.FLOOR.update(
        statements=replay.in_transaction(statements),
        content=html[html.index(">", main) + 1 : html.rindex("</main>")],
    )
    floor_page = _get(client, reverse("bench_floor"))
    assert floor_page().content.count(b"<li") == response.content.count(b"<li"), "the floor draws another page"
    return compare(floor_page, raw, PAGE_RUNS, PAGE_WARMUP)


def _median_ms(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    return round(statistics.median(_timed(fn) for _ in range(runs)) * 1000, 2)


def _detail_parts(client, response, pk: int) -> dict:
    """Where the file page's time goes, each part timed alone in the same process: a signed-in request
    to a bare view (session, user, the middleware: every page pays it), the view building its context
    (its reads through the ORM, the timeline, the forms) without rendering, and the page's templates
    rendered again from that context, reading nothing. `response` is a warm request's, whose context
    the templates are rendered from again."""
    template = response.resolve_template(response.template_name)
    view = CandidateFileView.as_view()

    def render():
        template.render(response.context_data, response.wsgi_request)

    with CaptureQueriesContext(connection) as ctx:
        render()
    assert not ctx.captured_queries, "the templates read the database: their time would not be rendering alone"
    request_ms = _median_ms(_get(client, reverse("bench_bare")), PAGE_RUNS, PAGE_WARMUP)
    context_ms = _median_ms(lambda: view(response.wsgi_request, pk=pk), PAGE_RUNS, PAGE_WARMUP)
    templates_ms = _median_ms(render, PAGE_RUNS, PAGE_WARMUP)
    return {"request_ms": request_ms, "context_ms": context_ms, "templates_ms": templates_ms}


# District dashboard -----------------------------------------------------------------------

DASHBOARD_SQL = [
    # Files by status.
    "SELECT c.status, count(*) FROM candidates_candidate c JOIN cadre_pool_orgunit t ON t.id = c.township_id "
    "WHERE t.path LIKE %(scope)s GROUP BY c.status",
    # The pool by source, gender, political status, skill, education level and age band: one pass.
    """SELECT c.source_category, c.gender_id, c.political_status_id, c.has_industry_skill, e.parent_id,
              width_bucket(c.birth_date, ARRAY[%(b45)s, %(b40)s, %(b35)s, %(b30)s]::date[]), count(*)
       FROM candidates_candidate c JOIN cadre_pool_orgunit t ON t.id = c.township_id
       JOIN cadre_pool_education e ON e.code = c.education_id
       WHERE t.path LIKE %(scope)s AND c.status = 'in_pool'
       GROUP BY 1, 2, 3, 4, 5, 6""",
    # Village coverage: villages with 0, 1, 2+ reserves in the pool (target village, else home village).
    """SELECT least(coalesce(r.n, 0), 2) AS bucket, count(*) FROM cadre_pool_orgunit v
       LEFT JOIN (SELECT coalesce(target_village_id, village_id) AS village_id, count(*) AS n
                  FROM candidates_candidate
                  WHERE status = 'in_pool' AND coalesce(target_village_id, village_id) IS NOT NULL GROUP BY 1) r
              ON r.village_id = v.id
       WHERE v.level = 'village' AND v.active AND v.path LIKE %(scope)s GROUP BY 1""",
    # Entries, promotions and exits per month over the last year: the scope's townships' decisions.
    """SELECT date_trunc('month', e.created_at AT TIME ZONE 'Asia/Shanghai'), e.to_status, count(*)
       FROM candidates_poolevent e JOIN cadre_pool_orgunit t ON t.id = e.township_id
       WHERE t.path LIKE %(scope)s AND e.created_at >= %(year_ago)s
         AND e.to_status IN ('in_pool', 'promoted', 'exited')
       GROUP BY 1, 2""",
    # Cultivation progress: in the pool with a current mentor, post, secondment (flags on the file).
    """SELECT count(*), count(*) FILTER (WHERE c.has_current_mentor), count(*) FILTER (WHERE c.has_current_post),
              count(*) FILTER (WHERE c.has_current_secondment)
       FROM candidates_candidate c JOIN cadre_pool_orgunit t ON t.id = c.township_id
       WHERE t.path LIKE %(scope)s AND c.status = 'in_pool'""",
    # The open look-back round's progress.
    """SELECT count(*), count(r.filled_at) FROM assessments_review r
       JOIN candidates_candidate c ON c.id = r.candidate_id JOIN cadre_pool_orgunit t ON t.id = c.township_id
       WHERE r.round_id = (SELECT id FROM assessments_reviewround WHERE unit_id = %(unit)s AND status = 'open'
                           ORDER BY opened_at DESC LIMIT 1) AND t.path LIKE %(scope)s""",
]


def dashboard_page() -> dict:
    import datetime

    from django.utils import timezone

    from candidates.models import years_ago

    user = User.objects.select_related("unit").get(username="scale_district")
    today = timezone.localdate()
    params = {
        "scope": user.unit.path + "%",
        "unit": user.unit_id,
        "year_ago": timezone.now() - datetime.timedelta(days=365),
        **{f"b{age}": years_ago(age + 1, today) for age in (45, 40, 35, 30)},
    }
    client = _client("scale_district")
    files = Candidate.objects.visible_to(user).count()
    result = compare(_get(client, reverse("dashboard")), _raw([(sql, params) for sql in DASHBOARD_SQL]))
    return {"user": user.username, "files": files, **result}


# Roster export ----------------------------------------------------------------------------

EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", 100_000))


def _export_params():
    from django.http import QueryDict

    return QueryDict(mutable=True)


def export_app() -> dict:
    """The roster as the background worker builds it, for the province's first EXPORT_ROWS rows."""
    import itertools
    from dataclasses import replace

    from openpyxl import Workbook

    from cadre_pool.excel import add_table
    from reports.roster import build_roster

    user = User.objects.get(username="scale_province")
    start = time.perf_counter()
    table, _count = build_roster(user, _export_params())
    table = replace(table, rows=itertools.islice(table.rows, EXPORT_ROWS))
    workbook = Workbook(write_only=True)
    written = add_table(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    seconds = time.perf_counter() - start
    return {"rows": written, "seconds": round(seconds, 2), "bytes": buffer.tell(), "peak_rss_mb": _peak_rss_mb()}


def _shown(today, sources: dict, statuses: dict):
    """The roster's 21 displayed values (masked) from one row of its statement, written the plain way."""

    def shown(number, row):
        (township, township_short, village, village_short, name, gender, gender_short, ethnicity) = row[:8]
        (ethnicity_short, born, political, political_short, party, education) = row[8:14]
        (fulltime_school, fulltime_major, inservice_school, inservice_major, id_number, phone) = row[14:20]
        (source, employer, occupation, skills_other, status, notes, mentors, posts, skills) = row[20:29]
        school, major = (fulltime_school, fulltime_major) if fulltime_school else (inservice_school, inservice_major)
        return [
            number,
            township_short or township,
            village_short or village or "",
            name,
            gender_short or gender,
            ethnicity_short or ethnicity,
            born.strftime("%Y.%m"),
            today.year - born.year - ((today.month, today.day) < (born.month, born.day)),
            political_short or political,
            party.strftime("%Y.%m") if party else "",
            education,
            " ".join(part for part in (school, major) if part),
            id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:],
            phone[:3] + "****" + phone[-4:] if phone else "",
            sources.get(source, source),
            " ".join(part for part in (employer, occupation) if part),
            "、".join(part for part in (skills, skills_other) if part),
            mentors or "",
            posts or "",
            statuses.get(status, status),
            notes,
        ]

    return shown


def export_raw() -> dict:
    """Raw limit: the same rows read by the roster's own SQL statement, their 21 displayed values computed
    in plain Python and written unstyled with openpyxl write-only."""
    from django.db import transaction
    from django.utils import timezone
    from openpyxl import Workbook

    from candidates.models import PoolStatus, SourceCategory
    from reports.roster import ROSTER_FIELDS, build_roster

    user = User.objects.get(username="scale_province")
    table, _count = build_roster(user, _export_params())
    # The exact statement the roster runs, so that both read the same rows and values.
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        next(iter(table.rows))
    sql = ctx.captured_queries[-1]["sql"]
    if sql.startswith("DECLARE"):  # the iterator's server-side cursor: keep its query
        sql = sql[sql.index(" FOR ") + len(" FOR ") :]
    sql = sql[: sql.rfind(" LIMIT")] if " LIMIT" in sql[-30:] else sql
    assert len(ROSTER_FIELDS) == 29, "export_raw's _shown reads the roster statement's columns by position"
    shown = _shown(
        timezone.localdate(),
        {value: str(label) for value, label in SourceCategory.choices},
        {value: str(label) for value, label in PoolStatus.choices},
    )
    connections.close_all()
    start = time.perf_counter()
    raw = psycopg.connect(_dsn())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    written = 0
    with raw.cursor(name="roster") as cursor:
        cursor.itersize = 2000
        cursor.execute(sql + f" LIMIT {EXPORT_ROWS}")
        for written, row in enumerate(cursor, start=1):
            sheet.append(shown(written, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    seconds = time.perf_counter() - start
    return {"rows": written, "seconds": round(seconds, 2), "bytes": buffer.tell(), "peak_rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# Import -----------------------------------------------------------------------------------

IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 10_000))
# The median of three previews: a single run of several seconds follows the machine's speed, which drifts
# within minutes.
IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", 3))


def import_rows() -> dict:
    """A 10,000-row workbook of new people, previewed IMPORT_RUNS times: every row validated and written,
    then rolled back (the database keeps its size, so the next run and the next bench reuse it)."""
    import datetime
    import random

    from openpyxl import Workbook

    from candidates.identity import id_check_char
    from candidates.importing import run_import

    organiser = User.objects.select_related("unit").get(username="scale_organiser")
    township = organiser.unit
    villages = list(OrgUnit.objects.villages().filter(parent=township).values_list("name", flat=True))
    rng = random.Random(10_000)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "公民身份号码", "民族", "政治面貌", "学历", "人员类别", "手机号码", "村（社区）"])
    seen = set(Candidate.objects.filter(id_number__startswith="1101").values_list("id_number", flat=True))
    while sheet.max_row <= IMPORT_ROWS:
        birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=rng.randrange(0, 7000))
        body = f"110101{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = body + id_check_char(body)
        if number in seen:
            continue
        seen.add(number)
        sheet.append(
            [
                "测试" + "甲乙丙丁戊己庚辛"[rng.randrange(8)],
                number,
                "汉族",
                "群众",
                "大学本科毕业",
                "返乡创业人员",
                f"139{rng.randrange(10**8):08d}",
                rng.choice(villages),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    runs = []
    for _ in range(IMPORT_RUNS):
        start = time.perf_counter()
        report = run_import(actor=organiser, content=content, township=township, commit=False)
        runs.append(round(time.perf_counter() - start, 2))
    return {
        "rows": len(report.rows),
        "new": report.count("new"),
        "errors": len(report.errors),
        "first_errors": report.errors[:3],
        "seconds": statistics.median(runs),
        "runs": runs,
    }


# Query counts -----------------------------------------------------------------------------


def query_counts() -> dict:
    """Queries per page for the bench accounts, on whatever size this database holds."""
    township = largest_township()
    counts = {}
    pages = {
        "list (district, filtered)": (
            "scale_district",
            reverse("candidates:list"),
            {"township": township.pk, "status": "in_pool", "sort": "name"},
        ),
        "list (district)": ("scale_district", reverse("candidates:list"), {}),
        "list (organiser)": ("scale_organiser", reverse("candidates:list"), {}),
        "detail": ("scale_district", None, {}),
        "dashboard (district)": ("scale_district", reverse("dashboard"), {}),
        "township comparison": ("scale_district", reverse("township_comparison"), {}),
    }
    candidate = Candidate.objects.filter(township=township, status="in_pool").order_by("pk").first()
    for name, (username, url, params) in pages.items():
        client = _client(username)
        url = url or reverse("candidate_file", args=[candidate.pk])
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])
    return {"candidates": Candidate.objects.count(), "counts": counts}


def session_cookie() -> dict:
    """A signed-in session for wrk (it sends the cookie with every request)."""
    from django.conf import settings

    client = _client(os.environ.get("BENCH_USER", "scale_district"))
    township = largest_township()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "list_path": f"{reverse('candidates:list')}?township={township.pk}&status=in_pool&sort=name",
    }


TASKS = {
    "list": list_pages,
    "detail": detail_page,
    "dashboard": dashboard_page,
    "export_app": export_app,
    "export_raw": export_raw,
    "import": import_rows,
    "queries": query_counts,
    "session": session_cookie,
}

if __name__ == "__main__":
    print(json.dumps(TASKS[sys.argv[1]](), default=str))
