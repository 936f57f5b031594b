"""No mass assignment (S8): every state-changing form view ignores fields it does not declare.

The test walks the URL resolver of the three apps: every route is either a state-changing form
with a case in `CASES` below, or listed in `READ_ONLY`. A new form view without a case fails
`test_every_form_view_has_a_mass_assignment_case`.

For each case the valid submission is posted once (the baseline), then again with every attacker
field added (`township`, `status`, `version`, `created_by`, `candidate` pointing at another
township's file...; one field at a time when that changes anything, to name it), each post in a
savepoint rolled back afterwards. The database change of the attack must equal the baseline's
exactly: same rows, same values, same foreign keys (timestamps and stored file names aside). Declared
fields given an out-of-scope value (a village, candidate, mentor or plan item of the other
township, a stale version) must be refused: nothing written at all.
"""

import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import services as management
from cadre_pool.models import OrgUnit, User
from candidates.models import Candidate, ImportBatch, PolicyDelivery, PoolStatus
from candidates.services import record_contact, save_village_need
from mentorship import services as cultivation
from mentorship.models import PlanItem, PostType
from tests.candidates.test_import import good_row, workbook
from tests.conftest import DISTRICT, GUANGONG, MINGYANG, QILONGSHAN, XINAN
from tests.factories import CandidateFactory, MentorFactory, PolicyItemFactory

pytestmark = [pytest.mark.reliability]

APPS = ("candidates", "mentorship", "assessments")
TODAY = timezone.localdate()

# Routes that change nothing (lists, pages, reports, downloads, GET filter forms).
READ_ONLY = {
    "candidate_reveal",  # a POST that only shows the file in full (and writes its audit row)
    "candidates:list",
    "candidates:picklist",  # type-ahead answers (GET)
    "mentorship:mentor_picklist",
    "candidates:import_template",
    "candidates:import_preview",
    "candidates:import_errors",
    "candidates:funnel",
    "candidates:supply",
    "candidates:contacts",
    "candidates:policies",
    "candidates:policy_uptake",
    "candidates:needs",
    "candidates:need_detail",
    "coverage",
    "candidate_file",
    "home",
    "todo",
    "dashboard",
    "township_comparison",
    "audit_candidate",
    "roster_options",  # its POST only builds the roster (and writes its audit row)
    "registration_form",
    "mentorship:mentors",
    "mentorship:logs",
    "mentorship:candidate",
    "assessments:evidence",
    "assessments:rounds",
    "assessments:round",
    "assessments:round_report",
    "assessments:proposals",
    "pool_figures",
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace in APPS:
            yield f"{namespace}:{pattern.name}"
        elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith("reports."):
            yield pattern.name


# --- the world: one township's records to write to, the other township's as bait -------------------


@pytest.fixture
def world(reference, organiser, other_organiser, district_staff, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    mingyang, guangong = reference[MINGYANG], reference[GUANGONG]
    for code in (QILONGSHAN, XINAN):
        OrgUnit.objects.filter(code=code).update(is_model_village=True)
    w = {"reference": reference, "organiser": organiser, "other": other_organiser, "staff": district_staff}
    w["mine"] = CandidateFactory(township=mingyang, village=reference[QILONGSHAN], name="张培养")
    w["filed"] = CandidateFactory(township=mingyang, village=reference[QILONGSHAN], status=PoolStatus.FILED)
    w["victim"] = CandidateFactory(township=guangong, village=reference[XINAN], name="李关公")
    w["mentor"] = MentorFactory(township=mingyang, name="老支书王")
    w["spare_mentor"] = MentorFactory(township=mingyang, name="老支书赵")
    w["other_mentor"] = MentorFactory(township=guangong, name="老支书关")
    w["assignment"] = cultivation.assign_mentor(actor=organiser, candidate_id=w["mine"].pk, mentor_id=w["mentor"].pk)
    cultivation.assign_mentor(actor=other_organiser, candidate_id=w["victim"].pk, mentor_id=w["other_mentor"].pk)
    w["victim_plan"] = cultivation.add_plan_item(
        actor=other_organiser,
        candidate_id=w["victim"].pk,
        fields={"kind": PlanItem.Kind.POST, "goal": "网格员", "due_date": TODAY},
    )
    grid = PostType.objects.get(name="专职网格员")
    w["placement"] = cultivation.start_placement(
        actor=organiser,
        candidate_id=w["mine"].pk,
        fields={"post_type": grid, "village": reference[QILONGSHAN], "start_date": TODAY, "duties": "第三网格"},
    )
    w["secondment"] = cultivation.plan_secondment(
        actor=organiser,
        candidate_id=w["mine"].pk,
        fields={
            "host_village": reference[XINAN],
            "mode": "full_time",
            "planned_start": TODAY,
            "planned_end": TODAY + datetime.timedelta(days=120),
        },
    )
    # Eight months, asked for by the organiser: it awaits the district's decision.
    w["long_secondment"] = cultivation.plan_secondment(
        actor=organiser,
        candidate_id=w["mine"].pk,
        fields={
            "host_village": reference[XINAN],
            "mode": "part_time",
            "planned_start": TODAY + datetime.timedelta(days=400),
            "planned_end": TODAY + datetime.timedelta(days=640),
            "override_reason": "跟班学习产业项目",
        },
    )
    w["plan_item"] = cultivation.add_plan_item(
        actor=organiser,
        candidate_id=w["mine"].pk,
        fields={"kind": PlanItem.Kind.COURSE, "goal": "党校培训", "due_date": TODAY},
    )
    handed = PolicyItemFactory(unit=reference[DISTRICT], title="返乡任职补贴")
    w["other_policy"] = PolicyItemFactory(unit=guangong, title="关公镇专项", category="project_support")
    w["contact"] = record_contact(
        actor=organiser,
        candidate_ids=[w["mine"].pk],
        fields={"kind": "talk", "date": TODAY, "place": "村委会", "attendees": "王强", "discussed": "政策"},
        policy_ids=[handed.pk],
    )
    w["delivery"] = PolicyDelivery.objects.get(candidate=w["mine"], policy=handed)
    w["need"] = save_village_need(
        actor=organiser, village=reference[QILONGSHAN], fields={"field": "industry", "title": "发展种养殖"}
    )
    w["other_need"] = save_village_need(
        actor=other_organiser, village=reference[XINAN], fields={"field": "industry", "title": "关公镇需求"}
    )
    w["round"] = management.open_round(
        actor=district_staff,
        name="2026年度回头看",
        period_start=TODAY.replace(month=1, day=1),
        period_end=TODAY,
        due_date=TODAY + datetime.timedelta(days=20),
    )
    w["late"] = CandidateFactory(township=mingyang, village=reference[QILONGSHAN], name="王后进")
    w["review"] = management.fill_review(
        actor=organiser,
        review_id=w["round"].reviews.get(candidate=w["mine"]).pk,
        fields={**REVIEW, "conclusion": "promote", "conclusion_note": "表现突出"},
    )
    w["batch"] = _upload_batch(organiser)
    return w


REVIEW = {"political": "good", "ability": "good", "style": "excellent", "reputation": "good", "conclusion": "keep"}


def _upload_batch(organiser):
    from django.test import Client

    client = Client()
    client.force_login(organiser)
    client.post(reverse("candidates:import"), {"file": io.BytesIO(workbook([good_row(1)]))})
    return ImportBatch.objects.get()


# --- the cases -------------------------------------------------------------------------------------


@dataclass
class Case:
    user: User
    url: str
    data: dict
    # Declared fields with an out-of-scope value: must be refused, nothing written.
    hostile: dict = field(default_factory=dict)
    # Fields this form hides from this user, worth trying on top of the common ones.
    extras: dict = field(default_factory=dict)


def _candidate_data(w, candidate=None, **overrides):
    from candidates.identity import id_check_char

    body = "51190319900307002"
    data = {
        "name": "王小明",
        "id_number": body + id_check_char(body),
        "ethnicity": "01",
        "phone": "13900001111",
        "political_status": "13",
        "education": "21",
        "source_category": "veteran",
        "village": w["reference"][QILONGSHAN].pk,
        "notes": "返乡创业",
    }
    if candidate is not None:
        data.update(name=candidate.name, id_number=candidate.id_number, phone=candidate.phone)
        data["version"] = candidate.version
        data["birth_date"] = candidate.birth_date.isoformat()
        data["gender"] = candidate.gender_id
    data.update(overrides)
    return data


def _same_file(content: bytes):
    return lambda: io.BytesIO(content)  # the same bytes each time: a workbook's timestamp changes its hash


def _dates(days=0):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


CASES = {
    "candidates:create": lambda w: Case(
        w["organiser"],
        reverse("candidates:create"),
        _candidate_data(w),
        hostile={"village": w["reference"][XINAN].pk},
    ),
    "candidates:edit": lambda w: Case(
        w["organiser"],
        reverse("candidates:edit", args=[w["mine"].pk]),
        _candidate_data(w, w["mine"], notes="养殖 200 头生猪"),
        hostile={"version": 99, "target_village": w["reference"][XINAN].pk},
    ),
    "candidates:change_status": lambda w: Case(
        w["organiser"],
        reverse("candidates:change_status", args=[w["filed"].pk]),
        {"to_status": "proposed", "reason": "表现突出"},
        hostile={"to_status": "in_pool"},
        extras={"approved_by": w["organiser"].pk},
    ),
    "candidates:import": lambda w: Case(
        w["organiser"],
        reverse("candidates:import"),
        {"file": _same_file(workbook([good_row(2)]))},
        extras={"owner": w["other"].pk},
    ),
    "candidates:import_confirm": lambda w: Case(
        w["organiser"],
        reverse("candidates:import_confirm", args=[w["batch"].pk]),
        {},
        extras={"owner": w["other"].pk},
    ),
    "candidates:contact_create": lambda w: Case(
        w["organiser"],
        reverse("candidates:contact_create"),
        {
            "kind": "talk",
            "candidates": [w["mine"].pk],
            "date": _dates(),
            "place": "村委会",
            "attendees": "王强",
            "discussed": "介绍政策",
            "outcome": "有意愿",
            "next_step": "",
            "next_step_date": "",
        },
        hostile={"candidates": [w["victim"].pk], "policies": [w["other_policy"].pk]},
        extras={"township_id": w["reference"][GUANGONG].pk},
    ),
    "candidates:contact_correct": lambda w: Case(
        w["organiser"],
        reverse("candidates:contact_correct", args=[w["contact"].pk]),
        {"date": _dates(), "place": "党群服务中心", "attendees": "王强", "discussed": "政策", "outcome": "同意"},
        extras={"kind": "meeting", "candidates": [w["victim"].pk]},
    ),
    "candidates:delivery_uptake": lambda w: Case(
        w["organiser"],
        reverse("candidates:delivery_uptake", args=[w["delivery"].pk]),
        {"uptake": "granted", "amount_granted": "2000"},
        extras={"policy": w["other_policy"].pk, "uptake_recorded_by": w["other"].pk},
    ),
    "candidates:need_create": lambda w: Case(
        w["organiser"],
        reverse("candidates:need_create"),
        {
            "village": w["reference"][QILONGSHAN].pk,
            "field": "industry",
            "title": "电商带头人",
            "party": "preferred",
            "priority": "normal",
            "reserves_wanted": 1,
        },
        hostile={"village": w["reference"][XINAN].pk},
    ),
    "candidates:need_edit": lambda w: Case(
        w["organiser"],
        reverse("candidates:need_edit", args=[w["need"].pk]),
        {
            "field": "industry",
            "title": "发展种养殖（修订）",
            "party": "preferred",
            "priority": "high",
            "reserves_wanted": 2,
            "status": "open",
        },
        extras={"village": w["reference"][XINAN].pk},
    ),
    "candidates:need_assign": lambda w: Case(
        w["organiser"],
        reverse("candidates:need_assign", args=[w["need"].pk]),
        {"candidate": w["mine"].pk},
        hostile={"candidate": w["victim"].pk},
        extras={"need": w["other_need"].pk, "score": 100},
    ),
    "mentorship:mentor_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:mentor_create"),
        {"name": "老党员李", "role": "retired_secretary", "work_unit": "", "phone": "13700009999", "capacity": 3},
    ),
    "mentorship:mentor_edit": lambda w: Case(
        w["organiser"],
        reverse("mentorship:mentor_edit", args=[w["mentor"].pk]),
        {"name": "老支书王", "role": "village_secretary", "phone": "13700001234", "capacity": 4, "active": "on"},
    ),
    "mentorship:assign_mentor": lambda w: Case(
        w["organiser"],
        reverse("mentorship:assign_mentor", args=[w["mine"].pk]),
        {"mentor": w["spare_mentor"].pk, "start_date": _dates()},
        hostile={"mentor": w["other_mentor"].pk},
    ),
    "mentorship:log_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:log_create", args=[w["mine"].pk]),
        {"date": _dates(), "mentor": w["mentor"].pk, "kind": "policy_study", "content": "学习文件"},
        hostile={"mentor": w["other_mentor"].pk},
    ),
    "mentorship:plan_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:plan_create", args=[w["mine"].pk]),
        {"kind": "mentoring", "goal": "每月一次帮带", "due_date": _dates(90)},
    ),
    "mentorship:placement_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:placement_create", args=[w["mine"].pk]),
        {
            "post_type": PostType.objects.get(name="村民小组长").pk,
            "village": w["reference"][QILONGSHAN].pk,
            "start_date": _dates(),
            "duties": "第二组",
        },
        hostile={"village": w["reference"][XINAN].pk, "plan_item": w["victim_plan"].pk},
    ),
    "mentorship:secondment_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:secondment_create", args=[w["mine"].pk]),
        {
            "host_village": w["reference"][XINAN].pk,
            "mode": "part_time",
            "planned_start": _dates(130),
            "planned_end": _dates(250),
        },
        hostile={"plan_item": w["victim_plan"].pk},
        # Nobody approves a length on the planning form: a standard length keeps no exception.
        extras={
            "override_reason": "领导同意",
            "approval": "approved",
            "decided_by": w["organiser"].pk,
            "decision_reason": "自己批准",
        },
    ),
    "mentorship:secondment_decide": lambda w: Case(
        w["staff"],
        reverse("mentorship:secondment_decide", args=[w["long_secondment"].pk]),
        {"decision": "approve", "decision_reason": "项目周期需要"},
        extras={
            "approval": "refused",
            "decided_by": w["organiser"].pk,
            "planned_end": _dates(900),
            "host_village": w["reference"][QILONGSHAN].pk,
            "override_reason": "改写",
        },
    ),
    "mentorship:course_create": lambda w: Case(
        w["organiser"],
        reverse("mentorship:course_create", args=[w["mine"].pk]),
        {"name": "村干部培训班", "organiser": "区委党校", "start_date": _dates(), "end_date": _dates(3), "hours": 24},
    ),
    "mentorship:assignment_end": lambda w: Case(
        w["organiser"],
        reverse("mentorship:assignment_end", args=[w["assignment"].pk]),
        {"end_date": _dates(), "reason": "导师调动"},
        extras={"is_lead": "on", "mentor": w["other_mentor"].pk},
    ),
    "mentorship:placement_end": lambda w: Case(
        w["organiser"],
        reverse("mentorship:placement_end", args=[w["placement"].pk]),
        {"end_date": _dates(), "evaluation": "称职"},
        extras={"village": w["reference"][XINAN].pk},
    ),
    "mentorship:secondment_end": lambda w: Case(
        w["organiser"],
        reverse("mentorship:secondment_end", args=[w["secondment"].pk]),
        {"actual_end": _dates(100), "learned": "议事规则", "host_evaluation": "优秀"},
        extras={"host_village": w["reference"][XINAN].pk, "planned_end": _dates(400)},
    ),
    "mentorship:plan_item_status": lambda w: Case(
        w["organiser"],
        reverse("mentorship:plan_item_status", args=[w["plan_item"].pk]),
        {"status": "done"},
        extras={"goal": "改写", "kind": "post"},
    ),
    "assessments:assessment_create": lambda w: Case(
        w["organiser"],
        reverse("assessments:assessment_create", args=[w["mine"].pk]),
        {"kind": "industry", "date": _dates(), "rating": "good", "description": "带头种植"},
    ),
    "assessments:decide_exit": lambda w: Case(
        w["staff"],
        reverse("assessments:decide_exit", args=[w["mine"].pk]),
        {"exit_reason": "own_wish", "note": "外出务工", "effective_date": _dates()},
        extras={"to_status": "promoted", "review": w["review"].pk},
    ),
    "assessments:decide_promotion": lambda w: Case(
        w["staff"],
        reverse("assessments:decide_promotion", args=[w["mine"].pk]),
        {"post": "village_secretary", "village": w["reference"][QILONGSHAN].pk, "effective_date": _dates()},
        extras={"to_status": "exited", "exit_reason": "age", "review": w["review"].pk},
    ),
    "assessments:round_create": lambda w: Case(
        w["staff"],
        reverse("assessments:round_create"),
        {"name": "专项回头看", "period_start": _dates(-30), "period_end": _dates(), "due_date": _dates(30)},
        extras={"opened_by": w["other"].pk, "candidate_ids": [w["mine"].pk]},
    ),
    "assessments:round_add": lambda w: Case(
        w["staff"],
        reverse("assessments:round_add", args=[w["round"].pk]),
        {"candidate": [w["late"].pk]},
    ),
    "assessments:round_close": lambda w: Case(
        w["staff"],
        reverse("assessments:round_close", args=[w["round"].pk]),
        {},
    ),
    "assessments:review": lambda w: Case(
        w["organiser"],
        reverse("assessments:review", args=[w["review"].pk]),
        {**REVIEW, "political_comment": "坚定", "votes_good": 12},
        extras={"round": w["round"].pk, "proposal_status": "accepted", "filled_at": "2020-01-01"},
    ),
    "assessments:decline": lambda w: Case(
        w["staff"],
        reverse("assessments:decline", args=[w["review"].pk]),
        {"note": "再锻炼一年"},
        extras={"proposal_status": "accepted", "conclusion": "keep"},
    ),
}


def common_extras(w) -> dict:
    """What an attacker adds to any form: scope, status, version, ownership, other rows' ids."""
    other_township = w["reference"][GUANGONG].pk
    return {
        "township": other_township,
        "township_id": other_township,
        "unit": other_township,
        "status": PoolStatus.PROMOTED,
        "version": 99,
        "expected_version": 99,
        "created_by": w["other"].pk,
        "recorded_by": w["other"].pk,
        "decided_by": w["other"].pk,
        "actor": w["other"].pk,
        "candidate": w["victim"].pk,
        "candidate_id": w["victim"].pk,
        "role": "system_admin",
        "is_active": "false",
        "via_decision": "true",
        "id": w["victim"].pk,
        "pk": w["victim"].pk,
    }


# --- measuring what a post changed -----------------------------------------------------------------


def _tracked_models():
    tracked = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in APPS]
    return [*tracked, User]


def _columns(model):
    # Timestamps and stored file names differ from run to run; everything else must not.
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, models.DateTimeField | models.FileField) and f.name not in {"password", "last_login"}
    ]


def _hashable(value):
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict | list) else value


def snapshot() -> dict:
    state = {}
    for model in _tracked_models():
        columns = _columns(model)
        names = [f.attname for f in columns]
        state[model] = {
            row[0]: {name: _hashable(value) for name, value in zip(names, row, strict=True)}
            for row in model.objects.values_list(*names)
        }
        assert names[0] == model._meta.pk.attname
    return state


def changes(before: dict, after: dict) -> Counter:
    """What changed, with new rows' own ids (and references to new rows) replaced by "new"."""
    found = Counter()
    for model, rows in after.items():
        old = before[model]
        relations = {f.attname: f.related_model for f in _columns(model) if f.related_model in before}
        for pk, values in rows.items():
            if pk in old:
                for name, value in values.items():
                    if old[pk][name] != value:
                        found[(model._meta.label, pk, name, old[pk][name], value)] += 1
            else:
                row = tuple(
                    (
                        name,
                        "new"
                        if name in relations and value is not None and value not in before[relations[name]]
                        else value,
                    )
                    for name, value in values.items()
                    if name != model._meta.pk.attname
                )
                found[(model._meta.label, "new", row)] += 1
        for pk in old.keys() - rows.keys():
            found[(model._meta.label, pk, "deleted")] += 1
    return found


def _post(client, url, data, before):
    payload = {key: value() if callable(value) else value for key, value in data.items()}
    with transaction.atomic():
        response = client.post(url, payload)
        after = snapshot()
        transaction.set_rollback(True)
    return response, changes(before, after)


def _attack(client, name, case, extras, before):
    """Post the valid submission, then each extra field on top of it; returns the figures and the leaks."""
    client.force_login(case.user)
    response, baseline = _post(client, case.url, case.data, before)
    assert response.status_code == 302, (
        name,
        response.status_code,
        response.context and response.context["form"].errors,
    )
    assert baseline, f"{name}: the valid submission changed nothing, so the test would prove nothing"
    ignored, refused, leaks = 0, 0, []
    # The realistic attack: every extra field at once. Only when it changes something is each
    # field posted alone, to name the culprit (a full one-by-one pass takes minutes).
    added = {key: value for key, value in extras.items() if key not in case.data}
    response, changed = _post(client, case.url, {**case.data, **added}, before)
    if changed == baseline:
        ignored += len(added)
    else:
        for key, value in added.items():
            response, changed = _post(client, case.url, {**case.data, key: value}, before)
            if changed == baseline:
                ignored += 1
            else:
                leaks.append((name, key, sorted(map(str, (changed - baseline) + (baseline - changed)))))
    for key, value in case.hostile.items():
        response, changed = _post(client, case.url, {**case.data, key: value}, before)
        assert response.status_code in {200, 302, 400, 404}, (name, key, response.status_code)
        if changed:
            leaks.append((name, key, sorted(map(str, changed))))
        else:
            refused += 1
    return ignored, refused, leaks


def test_every_form_view_has_a_mass_assignment_case():
    routes = set(_walk(get_resolver().url_patterns))
    assert "candidates:edit" in routes and "assessments:decide_exit" in routes
    assert sorted(routes - READ_ONLY - CASES.keys()) == []
    assert sorted((READ_ONLY | CASES.keys()) - routes) == []


def test_extra_fields_change_nothing_beyond_the_valid_submission(world, client, reliability):
    before = snapshot()
    all_leaks, totals = [], Counter()
    for name in sorted(CASES):
        case = CASES[name](world)
        ignored, refused, leaks = _attack(client, name, case, {**common_extras(world), **case.extras}, before)
        tried = ignored + refused + len(leaks)
        leaked = sum(len(diff) for *_key, diff in leaks)
        reliability(f"mass assignment: {name}", tried=tried, succeeded=1, refused=refused + ignored, leaked=leaked)
        totals.update(forms=1, tried=tried, ignored=ignored, refused=refused, leaked=leaked)
        all_leaks += leaks
        assert tried > len(case.hostile)
    reliability(
        "mass assignment: all form views",
        tried=totals["tried"],
        succeeded=totals["forms"],
        refused=totals["ignored"] + totals["refused"],
        leaked=totals["leaked"],
    )
    assert all_leaks == []
    assert totals["forms"] == len(CASES)
    assert before == snapshot(), "an attempt was not rolled back"


def test_the_differ_sees_a_changed_protected_column(world):
    """The comparison is not blind: a township moved behind the form's back is a difference."""
    before = snapshot()
    with transaction.atomic():
        Candidate.objects.filter(pk=world["mine"].pk).update(township=world["reference"][GUANGONG])
        Candidate.objects.filter(pk=world["victim"].pk).update(status=PoolStatus.EXITED)
        after = snapshot()
        transaction.set_rollback(True)
    found = changes(before, after)
    assert (
        "candidates.Candidate",
        world["mine"].pk,
        "township_id",
        world["reference"][MINGYANG].pk,
        world["reference"][GUANGONG].pk,
    ) in found
    assert len(found) == 2


def test_the_attack_names_a_view_that_saves_raw_post_data(world, client, monkeypatch):
    """The harness can fail: a view passing the raw POST to its service is caught, field by field."""
    from mentorship.views import PlanItemView

    def save(self, form):
        fields = {**form.cleaned_data, **self.request.POST.dict()}
        cultivation.add_plan_item(actor=self.request.user, candidate_id=self.candidate.pk, fields=fields)

    monkeypatch.setattr(PlanItemView, "save", save)
    case = CASES["mentorship:plan_create"](world)
    ignored, _refused, leaks = _attack(client, "plan", case, {"status": "done", "version": 99}, snapshot())
    assert [key for _name, key, _diff in leaks] == ["status"]
    assert ignored == 1
