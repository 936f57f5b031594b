import pytest
from django.conf import settings

from cadre_pool.models import OrgUnit, Role
from cadre_pool.reference import DEFAULT_DIVISIONS_FILE, load_code_tables, load_divisions
from mentorship.reference import ensure_post_types
from tests.factories import CandidateFactory, UserFactory

DISTRICT = "511903000000"
MINGYANG = "511903100000"  # 明阳镇
GUANGONG = "511903112000"  # 关公镇
QILONGSHAN = "511903100213"  # 明阳镇骑龙山村
XINAN = "511903112206"  # 关公镇西南村

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pytest_collection_modifyitems(config, items):
    if not ON_SQLITE:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and concurrent transactions)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached drop-down choices (cadre_pool.org_choices) must not outlive the test that filled them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference(db):
    """Code tables and Enyang's divisions; reloaded when a transactional test flushed them."""
    if not OrgUnit.objects.filter(code=DISTRICT).exists():
        load_code_tables()
        load_divisions(DEFAULT_DIVISIONS_FILE)
        ensure_post_types()
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
