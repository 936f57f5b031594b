import json
import logging
import os
import re

import pytest
from django.conf import settings

from cadre_pool.models import AuditEvent, OrgUnit, Role
from cadre_pool.org.reference import DEFAULT_DIVISIONS_FILE, load_code_tables, load_divisions
from mentorship.reference import ensure_post_types

# The division codes live with the factories, which default to them; tests import them from here too.
from tests.factories import DISTRICT, GUANGONG, MINGYANG, QILONGSHAN, XINAN, CandidateFactory, UserFactory

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


# Fixtures through which a test reaches the database; a test with none of them (nor a django_db mark)
# gives the same result on every database.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CADRE_SECOND_PASS") == "1":
        # `make test` runs the suite on PostgreSQL, then again on SQLite with this variable set: the
        # second pass runs only what the database can change. Browser journeys and tests that use no
        # database have already run on PostgreSQL.
        kept, repeated = [], []
        for item in items:
            uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
            (kept if uses_database and "browser" not in item.keywords else repeated).append(item)
        if repeated:
            config.hook.pytest_deselected(items=repeated)
            items[:] = kept
    if not ON_SQLITE:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and concurrent transactions)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached drop-down choices (cadre_pool.org.choices) must not outlive the test that filled them."""
    from django.core.cache import cache

    cache.clear()


def _load_reference():
    load_code_tables()
    load_divisions(DEFAULT_DIVISIONS_FILE)
    ensure_post_types()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the code tables and divisions loaded once for the whole run.

    Each `db` test rolls back to this state; a transactional test's flush empties it, so the
    `reference` fixture loads it again for the transactional tests, which pytest-django runs last."""
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference(db):
    """Code tables and Enyang's divisions; reloaded when a transactional test flushed them."""
    if not OrgUnit.objects.filter(code=DISTRICT).exists():
        _load_reference()
    return {code: OrgUnit.objects.get(code=code) for code in (DISTRICT, MINGYANG, GUANGONG, QILONGSHAN, XINAN)}


@pytest.fixture
def organiser(reference):
    return UserFactory(username="mingyang", role=Role.ORGANISER, unit=reference[MINGYANG])


@pytest.fixture
def other_organiser(reference):
    return UserFactory(username="guangong", role=Role.ORGANISER, unit=reference[GUANGONG])


@pytest.fixture
def district_staff(reference):
    return UserFactory(username="district", role=Role.DISTRICT_STAFF, unit=reference[DISTRICT])


@pytest.fixture
def leader(reference):
    return UserFactory(username="leader", role=Role.DISTRICT_LEADER, unit=reference[DISTRICT])


@pytest.fixture
def system_admin(reference):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, unit=reference[DISTRICT])


@pytest.fixture
def audit_admin(reference):
    return UserFactory(username="auditor", role=Role.AUDIT_ADMIN, unit=reference[DISTRICT])


@pytest.fixture
def mingyang_candidate(reference, district_staff):
    return CandidateFactory(township=reference[MINGYANG], village=reference[QILONGSHAN], name="张明阳")


@pytest.fixture
def guangong_candidate(reference, district_staff):
    return CandidateFactory(township=reference[GUANGONG], village=reference[XINAN], name="李关公")


@pytest.fixture
def reliability(request):
    """Report tried/succeeded/refused/lost/leaked figures to `make reliability` (tests/reliability.py)."""
    from tests.reliability import Recorder

    recorder = Recorder(request.node.nodeid)
    yield recorder
    recorder.write()


# A whole resident ID number or mobile number, as the audit trail and the logs must never hold (S11);
# digits inside a word of letters and digits (a file's SHA-256) are not one, as in cadre_pool.personal.
FULL_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![\dA-Za-z])")


# What the scan below read over the whole run, reported to `make reliability` at the end.
SCANNED = {"audit rows": 0, "log lines": 0, "found": 0}


def pytest_sessionfinish(session, exitstatus):
    if SCANNED["audit rows"] + SCANNED["log lines"]:
        from tests.reliability import Recorder

        recorder = Recorder("tests/conftest.py::_no_full_numbers_in_audit_or_logs")
        recorder(
            "audit rows and log lines holding a whole ID or phone",
            tried=SCANNED["audit rows"] + SCANNED["log lines"],
            leaked=SCANNED["found"],
        )
        recorder.write()


class LineCollector(logging.Handler):
    """Keeps what the configured console handler would write, through that handler's own filters."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture(scope="session")
def _log_lines():
    root = logging.getLogger()
    collector = LineCollector()
    collector.filters = [f for handler in root.handlers for f in handler.filters]
    root.addHandler(collector)
    yield collector
    root.removeHandler(collector)


@pytest.fixture(autouse=True)
def _no_full_numbers_in_audit_or_logs(request, _log_lines):
    """Every audit row and log line that any test writes is scanned for a whole ID or phone number.

    The database fixture is taken first, so that this check runs before the test's rows are rolled
    back or flushed."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    uses_database = bool({"db", "transactional_db"} & set(request.fixturenames)) or request.node.get_closest_marker(
        "django_db"
    )
    del _log_lines.lines[:]
    yield
    found = [line for line in _log_lines.lines if FULL_NUMBER.search(line)]
    SCANNED["log lines"] += len(_log_lines.lines)
    if uses_database:
        rows = list(AuditEvent.objects.values_list("pk", "object_label", "before", "after", "extra"))
        SCANNED["audit rows"] += len(rows)
        found += [str(row) for row in rows if FULL_NUMBER.search(json.dumps(row, ensure_ascii=False, default=str))]
    SCANNED["found"] += len(found)
    assert not found, f"whole ID or phone numbers written to the audit trail or a log line: {found[:3]}"
