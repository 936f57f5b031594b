"""Settings, health check, headers, reference data and demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cadre_pool.models import Education, OrgUnit, PoliticalStatus
from cadre_pool.org.reference import load_divisions
from candidates.demo import DEMO_ACCOUNTS, FEATURED_VILLAGES, ensure_demo_accounts, seed_candidates
from candidates.models import Candidate, PoolEvent

ROOT = Path(__file__).resolve().parents[2]


def _start(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "OTP_ENCRYPTION_KEY"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cadre_pool.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 60}, "OTP_ENCRYPTION_KEY must be set when DEBUG is off"),
        ({"DEBUG": "true", "OTP_ENCRYPTION_KEY": "not-a-key"}, "OTP_ENCRYPTION_KEY is not a Fernet key"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must point at PostgreSQL"),
        ({"DEBUG": "true", "CANDIDATE_MAX_AGE": "forty"}, "CANDIDATE_MAX_AGE"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres://x@127.0.0.1/z", "DATABASE_PREPARE_THRESHOLD": "often"},
            "DATABASE_PREPARE_THRESHOLD='often' is not a whole number",
        ),
    ],
)
def test_a_wrong_setting_stops_start_up_with_a_clear_message(env, message):
    result = _start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_on_starts_with_defaults():
    result = _start(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_healthz_reports_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_with_personal_data_are_not_cached_and_carry_security_headers(client, organiser, mingyang_candidate):
    client.force_login(organiser)
    response = client.get(reverse("candidate_file", args=[mingyang_candidate.pk]))
    assert response["Cache-Control"] == "no-store, private"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_full_id_and_phone_never_appear_on_list_or_detail(client, district_staff, mingyang_candidate):
    client.force_login(district_staff)
    for url in [reverse("candidates:list"), reverse("candidate_file", args=[mingyang_candidate.pk])]:
        text = client.get(url).text
        assert mingyang_candidate.id_number not in text
        assert mingyang_candidate.phone not in text
    assert (
        mingyang_candidate.masked_id_number in client.get(reverse("candidate_file", args=[mingyang_candidate.pk])).text
    )


def test_reference_data_is_loaded(reference):
    assert OrgUnit.objects.townships().count() == 18
    assert OrgUnit.objects.villages().count() == 309
    assert OrgUnit.objects.get(code="511903100213").parent.name == "明阳镇"
    assert PoliticalStatus.objects.get(code="01").short_name == "中共党员"
    assert Education.objects.get(code="21").parent_id == "20"
    village = OrgUnit.objects.get(code="511903100213")
    assert village.path == "511903000000/511903100000/511903100213/"


def test_a_bad_division_file_writes_nothing(reference, tmp_path):
    before = OrgUnit.objects.count()
    bad = tmp_path / "divisions.csv"
    bad.write_text(
        "code,name,level,parent_code,short_name\n"
        "511999000000,新区,county,511900000000,新区\n"
        "51199910000,坏镇,town,511999000000,坏镇\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_divisions(bad)
    assert "第 3 行" in info.value.messages[0]
    assert OrgUnit.objects.count() == before


def test_another_district_loads_its_own_file(reference, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text(
        "code,name,level,parent_code,short_name\n"
        "511902000000,巴州区,county,511900000000,巴州区\n"
        "511902100000,示例镇,town,511902000000,示例镇\n"
        "511902100201,示例村民委员会,village,511902100000,示例村\n",
        encoding="utf-8",
    )
    call_command("load_divisions", str(other))
    village = OrgUnit.objects.get(code="511902100201")
    assert village.parent.parent.name == "巴州区"
    assert OrgUnit.objects.get(code="511903100213").parent.name == "明阳镇"


def test_seed_demo_is_deterministic_idempotent_and_valid(reference):
    ensure_demo_accounts()
    assert seed_candidates(count=40, seed=7) == 40
    first = list(Candidate.objects.order_by("id_number").values_list("id_number", "name"))
    assert seed_candidates(count=40, seed=7) == 0
    assert Candidate.objects.count() == 40
    for candidate in Candidate.objects.all():
        candidate.full_clean()
        assert candidate.events.first().to_status == candidate.status
    featured = set(Candidate.objects.values_list("village__code", flat=True))
    assert set(FEATURED_VILLAGES) <= featured
    Candidate.objects.all().delete()
    seed_candidates(count=40, seed=7)
    assert list(Candidate.objects.order_by("id_number").values_list("id_number", "name")) == first
    assert PoolEvent.objects.count() > 40


def test_seed_demo_creates_the_accounts_once(reference):
    ensure_demo_accounts()
    ensure_demo_accounts()
    from cadre_pool.models import User

    assert User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)


def test_seed_demo_refuses_production_settings(reference, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", "--candidates", "1")


def test_every_message_has_a_chinese_translation():
    po = (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') and 'msgstr ""\n"' not in e]
    assert untranslated == []


def test_create_account_binds_role_and_unit(reference, monkeypatch):
    from django.core.management.base import CommandError

    from cadre_pool.models import User

    monkeypatch.setenv("CADRE_PASSWORD", "Strong-Pass-2026")
    call_command("create_account", "yangzw", "--role", "organiser", "--unit", "511903100000", "--full-name", "杨组委")
    user = User.objects.get(username="yangzw")
    assert (user.role, user.unit.code, user.check_password("Strong-Pass-2026")) == ("organiser", "511903100000", True)
    assert user.must_change_password  # the administrator knows it; its owner replaces it first
    monkeypatch.setenv("CADRE_PASSWORD", "password")
    with pytest.raises(CommandError):
        call_command("create_account", "weak", "--role", "organiser", "--unit", "511903100000")
    with pytest.raises(CommandError):
        # An organiser bound to a district is refused.
        monkeypatch.setenv("CADRE_PASSWORD", "Strong-Pass-2026")
        call_command("create_account", "wrongunit", "--role", "organiser", "--unit", "511903000000")
    assert not User.objects.filter(username__in=["weak", "wrongunit"]).exists()


def test_demo_cultivation_is_valid_and_created_once(reference):
    from mentorship.demo import seed_cultivation
    from mentorship.models import Mentor, MentorAssignment, MentoringLog, Placement, Secondment

    ensure_demo_accounts()
    seed_candidates(count=80, seed=3)
    OrgUnit.objects.filter(code__in=FEATURED_VILLAGES).update(is_model_village=True)
    assert seed_cultivation(seed=3, district_code="511903000000") > 0
    assert seed_cultivation(seed=3, district_code="511903000000") == 0
    for model in (Mentor, MentorAssignment, MentoringLog, Placement, Secondment):
        for row in model.objects.all():
            row.full_clean()
    in_pool = Candidate.objects.filter(status="in_pool").count()
    assert MentorAssignment.objects.filter(is_lead=True).count() == in_pool


def test_demo_management_backs_every_demo_decision(reference):
    from assessments.demo import seed_management
    from assessments.models import Decision, Review

    ensure_demo_accounts()
    seed_candidates(count=120, seed=5)
    assert seed_management(seed=5, district_code="511903000000") > 0
    assert seed_management(seed=5, district_code="511903000000") == 0
    decided = Candidate.objects.filter(status__in=["promoted", "exited"]).count()
    assert Decision.objects.count() == decided
    for decision in Decision.objects.all():
        decision.full_clean()
    assert Review.objects.count() == Candidate.objects.filter(status="in_pool").count()


def test_the_menu_is_drawn_per_role_and_language(client, organiser, audit_admin):
    """The menu is cached (base.html); a cached one must never reach another role or language."""
    menu = 'class="navbar-nav me-auto'

    def menu_of(user, language="zh-hans"):
        client.force_login(user)
        client.cookies["django_language"] = language
        text = client.get(reverse("home")).text
        return text.split(menu, 1)[1].split("</ul>\n", 1)[0]

    for _ in range(2):  # drawn, then from the cache
        organiser_menu, auditor_menu = menu_of(organiser), menu_of(audit_admin)
        assert reverse("candidates:list") in organiser_menu and reverse("audit_log") not in organiser_menu
        assert reverse("audit_log") in auditor_menu and reverse("candidates:list") not in auditor_menu
        assert "后备力量" in organiser_menu and "Candidates" in menu_of(organiser, "en")
