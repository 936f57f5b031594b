"""S6 and S11, generated: every URL pattern × every role × an object in and out of scope.

One demo district is seeded once per test; the walk then asks every page as every role:
- a role the view does not declare gets 403 (anonymous: the sign-in page), an object outside the
  user's scope 404, by GET and by POST, and a POST outside the scope changes nothing;
- list pages, their searches and their Excel exports show no object of another township;
- no page and no exported cell holds a full ID number or mobile number (they are masked).

A new URL with an object in its path needs a line in OBJECT_URLS, or the walk fails: the matrix
covers what exists, not what someone remembered to list.
"""

import io
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from assessments.demo import seed_management
from assessments.models import Assessment, Evidence, Review, ReviewRound
from cadre_pool.access.declarations import PUBLIC, declared_roles
from cadre_pool.models import AuditEvent, Export, OrgUnit, Role, User
from candidates.demo import ensure_demo_accounts, seed_candidates, seed_intake
from candidates.models import Candidate, Contact, ImportBatch, PolicyDelivery, VillageNeed
from mentorship.demo import seed_cultivation
from mentorship.models import Mentor, MentorAssignment, Placement, PlanItem, Secondment
from tests.conftest import DISTRICT, GUANGONG, MINGYANG
from tests.factories import (
    AssessmentFactory,
    EvidenceFactory,
    ExportFactory,
    ImportBatchFactory,
    OrgUnitFactory,
    PlacementFactory,
    SecondmentFactory,
    UserFactory,
)

# URL name → the model its <pk> names. Rounds belong to the district, so both townships share them.
OBJECT_URLS = {
    "audit_candidate": Candidate,
    "registration_form": Candidate,
    "export_status": Export,
    "export_download": Export,
    "candidates:import_preview": ImportBatch,
    "candidates:import_confirm": ImportBatch,
    "candidates:import_errors": ImportBatch,
    "candidates:contact_correct": Contact,
    "candidates:need_detail": VillageNeed,
    "candidates:need_edit": VillageNeed,
    "candidates:need_assign": VillageNeed,
    "candidates:delivery_uptake": PolicyDelivery,
    "candidate_file": Candidate,
    "candidates:edit": Candidate,
    "candidate_reveal": Candidate,
    "candidates:change_status": Candidate,
    "mentorship:mentor_edit": Mentor,
    "mentorship:candidate": Candidate,
    "mentorship:assign_mentor": Candidate,
    "mentorship:mentor_picklist": Candidate,
    "mentorship:log_create": Candidate,
    "mentorship:plan_create": Candidate,
    "mentorship:placement_create": Candidate,
    "mentorship:secondment_create": Candidate,
    "mentorship:course_create": Candidate,
    "mentorship:assignment_end": MentorAssignment,
    "mentorship:placement_end": Placement,
    "mentorship:secondment_end": Secondment,
    "mentorship:secondment_decide": Secondment,
    "mentorship:plan_item_status": PlanItem,
    "assessments:assessment_create": Candidate,
    "assessments:decide_exit": Candidate,
    "assessments:decide_promotion": Candidate,
    "assessments:evidence": Evidence,
    "assessments:round": ReviewRound,
    "assessments:round_add": ReviewRound,
    "assessments:round_close": ReviewRound,
    "assessments:round_report": ReviewRound,
    "assessments:review": Review,
    "assessments:decline": Review,
}
# The admin's pages for the models organisers reach there.
ADMIN_MODELS = (Candidate, Mentor)
# Pages whose GET changes something or leaves the site; asked for by the tests of their own.
NOT_WALKED = {"logout", "set_language", "healthz", "login", "otp_verify", "otp_setup", "password_change"}

FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback, list(pattern.pattern.converters)


def _township_of(obj) -> int | None:
    """The township an object belongs to, or None for objects owned by a person (exports, imports)."""
    if isinstance(obj, Candidate | Contact):
        return obj.township_id
    if isinstance(obj, Mentor):
        return obj.township_id
    if isinstance(obj, VillageNeed):
        return obj.village.parent_id
    if isinstance(obj, Evidence):
        return obj.assessment.candidate.township_id
    if isinstance(obj, ReviewRound):
        return None
    return obj.candidate.township_id


@pytest.fixture
def district(reference, settings, tmp_path):
    """The demo district, plus what the demo does not make: evidence, an export and an import per township."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    ensure_demo_accounts()
    seed_candidates(count=60, seed=11)
    seed_intake(seed=11)
    seed_cultivation(seed=11, district_code=DISTRICT)
    seed_management(seed=11, district_code=DISTRICT)
    users = {
        "anonymous": None,
        "organiser": User.objects.get(username="mingyang"),
        "other_organiser": User.objects.get(username="guangong"),
        "district_staff": User.objects.get(username="district"),
        "leader": User.objects.get(username="leader"),
        "system_admin": User.objects.get(username="admin"),
        "audit_admin": User.objects.get(username="auditor"),
    }
    bazhou = OrgUnitFactory(code="511902000000", name="巴州区", district=True)
    users["other_district_staff"] = UserFactory(username="bazhou", role=Role.DISTRICT_STAFF, unit=bazhou)

    for code in (MINGYANG, GUANGONG):
        owner = users["organiser" if code == MINGYANG else "other_organiser"]
        township = reference[code]
        candidate = Candidate.objects.filter(township=township).first()
        assessment = Assessment.objects.filter(candidate__township=township).first()
        assessment = assessment or AssessmentFactory(candidate=candidate, recorded_by=owner)
        EvidenceFactory(assessment=assessment, uploaded_by=owner)
        if not Secondment.objects.filter(candidate__township=township).exists():
            SecondmentFactory(candidate=candidate, recorded_by=owner)
        if not Placement.objects.filter(candidate__township=township).exists():
            PlacementFactory(candidate=candidate, recorded_by=owner)
        ExportFactory(owner=owner)
        ImportBatchFactory(owner=owner)
    return users


def _objects(user_key, users, reference):
    """For each model: one object in the Mingyang organiser's scope and one outside it."""
    mine, theirs = reference[MINGYANG].pk, reference[GUANGONG].pk
    table = {}
    models = {*OBJECT_URLS.values(), *ADMIN_MODELS}
    for model in models:
        rows = list(model._default_manager.all()[:400])
        if model in (Export, ImportBatch):
            inside = next(o for o in rows if o.owner_id == users["organiser"].pk)
            outside = next(o for o in rows if o.owner_id == users["other_organiser"].pk)
        elif model is ReviewRound:
            inside, outside = rows[0], None
        else:
            inside = next((o for o in rows if _township_of(o) == mine), None)
            outside = next((o for o in rows if _township_of(o) == theirs), None)
            assert inside and outside, f"the demo data has no {model.__name__} in both townships"
        table[model] = (inside, outside)
    return table


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    """What a person would see: the page's HTML or every cell of a workbook."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    if response.get("Content-Type", "").startswith("text/"):
        return response.content.decode()
    return ""


def _in_scope(user, obj, users) -> bool:
    if user is None:
        return False
    if isinstance(obj, Export | ImportBatch):
        return obj.owner_id == user.pk
    if not user.can_read_candidates:
        return False
    if isinstance(obj, ReviewRound):
        return bool(ReviewRound.objects.visible_to(user).filter(pk=obj.pk).exists())
    township = OrgUnit.objects.get(pk=_township_of(obj))
    return township.path.startswith(user.unit.path)


def _expected(user, roles, in_scope: bool) -> set[int]:
    """What a refused request may answer; None when the request is allowed and in scope."""
    if roles is PUBLIC:
        return None
    # 405: a POST-only view answers a GET before it looks at the user or the object.
    if user is None:
        return {302, 405}
    if user.role not in roles:
        return {403, 405}
    if not in_scope:
        return {404, 405}
    return None


def _row_counts() -> dict:
    models = [Candidate, Contact, PolicyDelivery, VillageNeed, Mentor, MentorAssignment, PlanItem, Placement]
    counts = {model.__name__: model._default_manager.count() for model in models}
    counts["versions"] = sum(Candidate.objects.values_list("version", flat=True))
    counts["audit"] = AuditEvent.objects.filter(
        action__in=["create", "update", "delete", "pool.move", "decision", "import"]
    ).count()
    return counts


@pytest.mark.reliability
def test_role_url_object_matrix(district, reference, reliability):
    users = district
    objects = _objects("organiser", users, reference)
    routes = list(_walk(get_resolver().url_patterns))
    with_pk = [(name, view) for name, view, kwargs in routes if "pk" in kwargs]
    assert sorted(name for name, _ in with_pk if name not in OBJECT_URLS) == [], "add these to OBJECT_URLS"
    admin_routes = [(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", model) for model in ADMIN_MODELS]

    tried = unexpected_200 = errors = allowed_ok = refused = 0
    wrong = []
    before = _row_counts()
    for key, user in users.items():
        client = _client(user)
        for name, view in with_pk:
            roles = declared_roles(view)
            for obj in objects[OBJECT_URLS[name]]:
                if obj is None:
                    continue
                scope = _in_scope(user, obj, users)
                url = reverse(name, args=[obj.pk])
                expected = _expected(user, roles, scope)
                # A permitted POST would do its work; only refused ones are sent.
                for method in ("get", "post") if expected is not None else ("get",):
                    response = getattr(client, method)(url)
                    tried += 1
                    allowed_ok += expected is None and response.status_code == 200
                    if response.status_code >= 500:
                        errors += 1
                        wrong.append((key, method, url, response.status_code, "server error"))
                    elif expected is not None and response.status_code not in expected:
                        unexpected_200 += response.status_code == 200
                        wrong.append((key, method, url, response.status_code, sorted(expected)))
                    elif expected is not None:
                        refused += 1
        for name, model in admin_routes:
            for obj in objects[model]:
                response = client.get(reverse(name, args=[obj.pk]))
                tried += 1
                allowed = user is not None and user.role in {Role.ORGANISER, Role.DISTRICT_STAFF}
                if response.status_code in {403, 404} or (response.status_code == 302 and user is None):
                    refused += 1
                if allowed and not _in_scope(user, obj, users) and response.status_code != 404:
                    unexpected_200 += response.status_code == 200
                    wrong.append((key, "admin", name, obj.pk, response.status_code, [404]))
                elif response.status_code == 200 and not allowed:
                    unexpected_200 += 1
                    wrong.append((key, "admin", name, obj.pk, 200, "not allowed"))
    # Refused POSTs changed nothing (the access refusals themselves are audit rows).
    changed = {k: (v, _row_counts()[k]) for k, v in before.items() if _row_counts()[k] != v}
    reliability(
        "access matrix: role × URL × object (GET and POST)",
        tried=tried,
        succeeded=allowed_ok,
        refused=refused,
        leaked=unexpected_200 + len(changed),
    )
    assert wrong == [], "\n".join(map(str, wrong))
    assert changed == {}
    assert allowed_ok > 100  # the walk reached real pages, not only refusals


def _list_pages():
    for name, view, kwargs in _walk(get_resolver().url_patterns):
        if not kwargs and name not in NOT_WALKED and declared_roles(view) is not PUBLIC:
            yield name


@pytest.mark.reliability
def test_lists_exports_and_searches_show_nothing_of_another_township(district, reference, reliability):
    users = district
    organiser = users["organiser"]
    outside = Candidate.objects.exclude(township=reference[MINGYANG])
    inside_names = set(Candidate.objects.filter(township=reference[MINGYANG]).values_list("name", flat=True))
    foreign_names = {name for name in outside.values_list("name", flat=True) if name not in inside_names}
    foreign_links = {reverse("candidate_file", args=[pk]) + '"' for pk in outside.values_list("pk", flat=True)}
    foreign_mentors = set(Mentor.objects.exclude(township=reference[MINGYANG]).values_list("name", flat=True)) - set(
        Mentor.objects.filter(township=reference[MINGYANG]).values_list("name", flat=True)
    )
    search = sorted(foreign_names)[0]
    searched_id = outside.filter(name=search).first().masked_id_number
    client = _client(organiser)
    pages = tried = leaked = 0
    leaks = []
    for name in _list_pages():
        url = reverse(name)
        for params in ({}, {"q": search}, {"export": "xlsx"}, {"q": search, "export": "xlsx"}):
            response = client.get(url, params)
            if response.status_code != 200:
                continue
            pages += 1
            text = _text(response)
            # The search box and the export's filter line repeat what was typed; the person's own
            # masked ID number and link must not follow it.
            names = (foreign_names | foreign_mentors) - ({search} if "q" in params else set())
            found = [n for n in names | {searched_id} if n in text] + [u for u in foreign_links if u in text]
            tried += 1
            if found:
                leaked += len(found)
                leaks.append((url, params, found[:5]))
    # Staff of another district see none of this district's people anywhere.
    client = _client(users["other_district_staff"])
    everyone = set(Candidate.objects.values_list("name", flat=True))
    for name in _list_pages():
        response = client.get(reverse(name), {"export": "xlsx"})
        tried += 1
        found = [n for n in everyone if n in _text(response)]
        leaked += len(found)
        if found:
            leaks.append((name, "other district", found[:5]))
    reliability("no leaks: lists, searches and exports of another township", tried=tried, leaked=leaked)
    assert pages > 20
    assert leaks == []


@pytest.mark.reliability
def test_no_page_or_export_holds_a_full_id_number_or_phone(district, reference, reliability):
    users = district
    values = set(Candidate.objects.values_list("id_number", flat=True))
    values |= set(Candidate.objects.values_list("phone", flat=True))
    values |= {phone for phone in Mentor.objects.values_list("phone", flat=True) if phone}
    exact = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    objects = _objects("organiser", users, reference)
    routes = list(_walk(get_resolver().url_patterns))
    scanned = leaked = 0
    leaks = []
    for key in ("organiser", "district_staff", "leader", "system_admin", "audit_admin"):
        client = _client(users[key])
        urls = [reverse(name) for name in _list_pages()]
        urls += [reverse(name) + "?export=xlsx" for name in _list_pages()]
        urls += [
            reverse(name, args=[objects[OBJECT_URLS[name]][0].pk]) for name, _view, kwargs in routes if "pk" in kwargs
        ]
        urls += [reverse("registration_form", args=[objects[Candidate][0].pk]) + "?export=xlsx"]
        urls += [
            reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_{page}", args=args)
            for m in ADMIN_MODELS
            for page, args in (("changelist", []), ("change", [objects[m][0].pk]))
        ]
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = _text(response)
            scanned += 1
            found = exact.findall(text) + FULL_ID.findall(text)
            if found:
                leaked += len(found)
                leaks.append((key, url, found[:3]))
    reliability("no full ID or phone on any page or export", tried=scanned, leaked=leaked)
    assert scanned > 100
    assert leaks == []


# Hostile values for every query parameter and every posted field a page has: what a script sends.
HOSTILE_VALUES = ["'\"<>;--", "-1", "99999999999999999999", "1e999", "\u202e\u200b\ufeff", "长" * 3000, "2026-13-45"]
QUERY_NAMES = [
    "q", "page", "sort", "township", "village", "status", "source_category", "gender", "age_min", "age_max",
    "education", "political_status", "incomplete", "kind", "candidate", "review", "proposal", "active",
    "all_villages", "o", "p", "e", "col", "unmasked", "next", "round", "due", "year", "month",
]  # fmt: skip
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')


def _admin_changelists():
    """The admin's list pages by URL name (app_model_changelist), from its URL patterns."""
    (admin_urls,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin"]
    stack = list(admin_urls.url_patterns)
    while stack:
        pattern = stack.pop()
        if isinstance(pattern, URLResolver):
            stack.extend(pattern.url_patterns)
        elif pattern.name and pattern.name.endswith("_changelist"):
            yield pattern.name


# PostgreSQL, the production database: on SQLite some choice fields still hand a 20-digit id to
# the database, which cannot compare it with a key (OverflowError); being fixed field by field.
@pytest.mark.postgres
@pytest.mark.reliability
def test_hostile_parameters_and_fields_never_answer_500(district, reference, reliability):
    """Every page, the admin's included, as every role: hostile query strings, then hostile values
    in every field of every form the page shows, posted back."""
    users = district
    objects = _objects("organiser", users, reference)
    routes = list(_walk(get_resolver().url_patterns))
    urls = [reverse(name) for name in _list_pages()]
    urls += [reverse(name, args=[objects[OBJECT_URLS[name]][0].pk]) for name, _v, kwargs in routes if "pk" in kwargs]
    for name in _admin_changelists():
        urls.append(reverse(f"admin:{name}"))
        base = name.removesuffix("_changelist")
        app_label = max((c.label for c in apps.get_app_configs() if base.startswith(f"{c.label}_")), key=len)
        model = apps.get_model(app_label, base.removeprefix(f"{app_label}_"))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"admin:{name.removesuffix('_changelist')}_change", args=[first.pk]))
    tried = errors = 0
    crashes = []
    for key in ("organiser", "district_staff", "leader", "system_admin", "audit_admin"):
        client = _client(users[key])
        for url in urls:
            page = client.get(url)
            html = "" if page.streaming else page.content.decode(errors="ignore")
            forms = page.status_code == 200 and 'method="post"' in html
            fields = sorted(set(FIELD_NAME.findall(html))) if forms else []
            fields = [name for name in fields if name != "csrfmiddlewaretoken"]
            for value in HOSTILE_VALUES:
                requests = [("get", dict.fromkeys(QUERY_NAMES, value))]
                if fields:
                    requests.append(("post", dict.fromkeys(fields, value)))
                for method, data in requests:
                    response = getattr(client, method)(url, data)
                    tried += 1
                    if response.status_code >= 500:
                        errors += 1
                        crashes.append((key, method, url, value[:20], response.status_code))
    reliability("fuzz: hostile parameters and fields on every page, every role", tried=tried, leaked=errors)
    assert crashes == [], "\n".join(map(str, crashes[:20]))
    assert tried > 1000
