"""Writes to candidate files. Views, the admin and commands call these; nothing else saves a candidate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadre_pool import audit, bulk
from cadre_pool.audit import AuditAction, audited
from cadre_pool.models import OrgUnit
from candidates.identity import normalise_id_number
from candidates.matching import eligible, score
from candidates.models import (
    NEXT_STATUSES,
    Candidate,
    Contact,
    ContactKind,
    NeedStatus,
    PolicyDelivery,
    PolicyItem,
    PoolEvent,
    PoolStatus,
    ReserveAssignment,
    Uptake,
    VillageNeed,
    WorkHistoryEntry,
    allowed_next_statuses,
    is_decision,
    needs_reason,
    validate_work_history,
)
from candidates.pinyin import name_initials

# Fields an edit form may change; township, status and version are never taken from input.
EDITABLE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "political_status",
    "party_entry_date",
    "education",
    "source_category",
    "village",
    "target_village",
    "native_place",
    "current_city",
    "employer",
    "occupation",
    "fulltime_education",
    "fulltime_school",
    "fulltime_major",
    "inservice_education",
    "inservice_school",
    "inservice_major",
    "degree",
    "health",
    "rewards_punishments",
    "willingness",
    "skills_other",
    "notes",
)


# Leaving the pool from "in pool" is always a recorded decision, never a bare status change.
POOL_DECISIONS = frozenset({PoolStatus.PROMOTED, PoolStatus.EXITED})


def _editable(name: str) -> bool:
    # Accept both "gender" (an object) and "gender_id" (its code).
    return name.removesuffix("_id") in EDITABLE_FIELDS


class StaleEditError(Exception):
    """Someone else saved the candidate after this edit started."""

    def __init__(self, current: Candidate):
        super().__init__(_("Someone else changed this file while you were editing it."))
        self.current = current


def _check_township(*, actor, township) -> None:
    if actor.is_organiser and township.pk != actor.unit_id:
        raise PermissionDenied
    if not township.path.startswith(actor.unit.path):
        raise PermissionDenied


def _refuse_duplicate(*, actor, id_number: str, exclude_pk: int | None = None) -> None:
    """One person, one file (S9): a second file under the same ID number is refused."""
    number = normalise_id_number(id_number)
    existing = Candidate.objects.filter(id_number=number).exclude(pk=exclude_pk).select_related("township").first()
    if existing is None:
        return
    raise _duplicate_error(existing, visible=Candidate.objects.visible_to(actor).filter(pk=existing.pk).exists())


def _duplicate_error(existing: Candidate, *, visible: bool) -> ValidationError:
    """The organiser of another township learns only that the person is filed elsewhere;
    users who can see the existing file are told where it is."""
    if visible:
        message = _("This person already has an information file: %(name)s, %(township)s (file no. %(pk)d).") % {
            "name": existing.name,
            "township": existing.township,
            "pk": existing.pk,
        }
    else:
        message = _(
            "This person is already filed by another township and cannot be filed twice. "
            "Ask the district organisation department if the file should move."
        )
    return ValidationError({"id_number": ValidationError(message, code="duplicate")})


def _check_target_village(*, actor, candidate: Candidate) -> None:
    """A target village may lie outside the file's township, but never outside the actor's scope."""
    village = candidate.target_village
    if village is not None and not village.path.startswith(actor.unit.path if actor.unit_id else "-"):
        raise ValidationError({"target_village": _("This village is outside your area.")})


def _set_skills_and_history(*, candidate: Candidate, skills, work_history: list[dict] | None) -> None:
    if skills is not None:
        candidate.skills.set(skills)
    if work_history is not None:
        validate_work_history(work_history, birth_date=candidate.birth_date)
        candidate.work_history.all().delete()
        rows = [WorkHistoryEntry(candidate=candidate, **entry) for entry in work_history]
        for row in rows:
            row.full_clean(exclude=["candidate"])
        WorkHistoryEntry.objects.bulk_create(rows)
    flag = _has_industry_skill(candidate, tags=candidate.skills.exists())
    if flag != candidate.has_industry_skill:
        candidate.has_industry_skill = flag
        candidate.save(update_fields=["has_industry_skill"])


def _has_industry_skill(candidate: Candidate, *, tags: bool) -> bool:
    return bool(candidate.skills_other.strip()) or tags


def _build_candidate(*, actor, township, fields: dict) -> Candidate:
    """A new prospect's file from the editable `fields`, neither checked nor saved."""
    candidate = Candidate(
        township=township,
        status=PoolStatus.PROSPECT,
        created_by=actor,
        **{name: value for name, value in fields.items() if _editable(name)},
    )
    candidate.name_initials = name_initials(candidate.name)
    return candidate


def _first_event(candidate: Candidate, actor, *, reason: str | None = None) -> PoolEvent:
    return PoolEvent(
        candidate=candidate,
        township_id=candidate.township_id,
        from_status="",
        to_status=PoolStatus.PROSPECT,
        reason=_("Information file created") if reason is None else reason,
        actor=actor,
        actor_role=actor.role,
    )


@transaction.atomic
@audited(AuditAction.CREATE)
def create_candidate(
    *, actor, township, fields: dict, skills=None, work_history: list[dict] | None = None
) -> Candidate:
    """File a new candidate as a prospect and record the first pool event."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    _check_township(actor=actor, township=township)
    candidate = _build_candidate(actor=actor, township=township, fields=fields)
    _refuse_duplicate(actor=actor, id_number=candidate.id_number)
    _check_target_village(actor=actor, candidate=candidate)
    candidate.full_clean()
    candidate.save()
    _set_skills_and_history(candidate=candidate, skills=skills, work_history=work_history)
    _first_event(candidate, actor).save()
    return candidate


# Rows a bulk statement writes at once, and ID numbers one lookup asks for.
BATCH_SIZE = 1000


def files_by_id_number(numbers: list[str]) -> dict[str, Candidate]:
    """The existing files among these (normalised) ID numbers, with their townships: one query a batch."""
    numbers = list(dict.fromkeys(numbers))
    found = {}
    for start in range(0, len(numbers), BATCH_SIZE):
        batch = Candidate.objects.filter(id_number__in=numbers[start : start + BATCH_SIZE]).select_related("township")
        found.update((candidate.id_number, candidate) for candidate in batch)
    return found


def _existing_references(candidates: list[Candidate]) -> dict[str, set]:
    """Per foreign key, the values the candidates name that exist and fit the key's `limit_choices_to`.

    `ForeignKey.validate` asks the same of the database once per row and key; this asks once per key.
    """
    existing = {}
    for field in Candidate._meta.concrete_fields:
        values = {getattr(candidate, field.attname) for candidate in candidates} - {None} if field.is_relation else ()
        if values:
            target = field.remote_field
            rows = target.model._base_manager.filter(**{f"{target.field_name}__in": values})
            existing[field.name] = set(
                rows.complex_filter(field.get_limit_choices_to()).values_list(target.field_name, flat=True)
            )
    return existing


def _check_new(*, actor, candidate: Candidate, existing_references: dict[str, set]) -> None:
    """`create_candidate`'s checks without its per-row queries: the duplicate lookup and the foreign keys
    were answered for the whole batch, uniqueness by the caller.

    The database constraints are not queried row by row either: `clean()` and the fields' choices mirror
    each of them (tests/candidates/test_import_bulk.py keeps that true), and the database still enforces them on insert.
    """
    _check_target_village(actor=actor, candidate=candidate)
    checked = [
        field.name
        for field in Candidate._meta.concrete_fields
        if field.is_relation and getattr(candidate, field.attname) in existing_references.get(field.name, ())
    ]
    candidate.full_clean(exclude=checked, validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_candidates(*, actor, township, rows: list[tuple[dict, list]]) -> list[Candidate | ValidationError]:
    """File many new candidates at once (the import): `create_candidate` for each `(fields, skills)` row.

    Every row gets the same checks, and the valid ones the same rows: the file, its skills, the first
    pool event and a creation audit row, written by a few statements per table (`cadre_pool.bulk`) instead of
    fifteen round trips each. Returns per row, in order, the saved candidate or the ValidationError that
    refused it; the caller decides whether to keep the valid ones (the import rolls all back on any error).
    """
    if not actor.can_write_candidates:
        raise PermissionDenied
    _check_township(actor=actor, township=township)
    candidates = [_build_candidate(actor=actor, township=township, fields=fields) for fields, _skills in rows]
    on_file = files_by_id_number([normalise_id_number(c.id_number) for c in candidates])
    visible = set(
        Candidate.objects.visible_to(actor).filter(pk__in=[c.pk for c in on_file.values()]).values_list("pk", flat=True)
        if on_file
        else ()
    )
    references = _existing_references(candidates)
    outcomes: list[Candidate | ValidationError] = []
    valid: dict[str, tuple[Candidate, list]] = {}  # by ID number, in the rows' order
    for candidate, (_fields, skills) in zip(candidates, rows, strict=True):
        try:
            existing = on_file.get(normalise_id_number(candidate.id_number))
            if existing is not None:
                raise _duplicate_error(existing, visible=existing.pk in visible)
            _check_new(actor=actor, candidate=candidate, existing_references=references)
            if candidate.id_number in valid:  # one person twice in the rows: the unique check's own words
                raise ValidationError({"id_number": candidate.unique_error_message(Candidate, ["id_number"])})
        except ValidationError as exc:
            outcomes.append(exc)
            continue
        candidate.has_industry_skill = _has_industry_skill(candidate, tags=bool(skills))
        valid[candidate.id_number] = (candidate, skills or [])
        outcomes.append(candidate)
    saved = list(valid.values())
    bulk.insert([candidate for candidate, _skills in saved], batch_size=BATCH_SIZE)
    bulk.insert(
        [Candidate.skills.through(candidate=candidate, skilltag=tag) for candidate, skills in saved for tag in skills],
        batch_size=BATCH_SIZE,
    )
    reason = _("Information file created")
    bulk.insert([_first_event(candidate, actor, reason=reason) for candidate, _skills in saved], batch_size=BATCH_SIZE)
    audit.record_created(
        actor=actor,
        objects=[candidate for candidate, _skills in saved],
        batch_size=BATCH_SIZE,
        service="create_candidates",
    )
    return outcomes


@transaction.atomic
def update_candidate(
    *,
    actor,
    candidate_id: int,
    expected_version: int,
    fields: dict,
    skills=None,
    work_history: list[dict] | None = None,
) -> Candidate:
    """Change the editable fields of a file, refusing an edit that started from an older version."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if candidate.version != expected_version:
        raise StaleEditError(candidate)
    before = audit.snapshot(candidate)
    changed = []
    for name, value in fields.items():
        if _editable(name) and getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed.append(name)
    if "id_number" in changed:
        _refuse_duplicate(actor=actor, id_number=candidate.id_number, exclude_pk=candidate.pk)
    if "target_village" in changed:
        _check_target_village(actor=actor, candidate=candidate)
    if "name" in changed:
        candidate.name_initials = name_initials(candidate.name)
        changed.append("name_initials")
    candidate.full_clean()
    if changed or skills is not None or work_history is not None:
        candidate.version += 1
        # full_clean normalises the ID and phone, so save them with the rest.
        candidate.save(update_fields=[*{*changed, "id_number", "phone"}, "version", "updated_at"])
    _set_skills_and_history(candidate=candidate, skills=skills, work_history=work_history)
    old, new = audit.diff(before, audit.snapshot(candidate))
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=candidate, before=old, after=new)
    return candidate


def _refuse_open_cultivation(candidate: Candidate, *, current: str, to_status: str, via_decision: bool) -> None:
    """Nobody leaves with a mentor, post or secondment still running, nor comes back with one.

    A decision closes them itself (assessments calls mentorship in its transaction); any other exit, and a
    re-entry, is refused while the file's flags, kept under this same row lock, say something is current.
    """
    if via_decision or not (
        candidate.has_current_mentor or candidate.has_current_post or candidate.has_current_secondment
    ):
        return
    if to_status == PoolStatus.EXITED:
        message = _(
            "%(name)s still has a current mentor, post or secondment: end them in the cultivation record "
            "before removing the person."
        )
    elif current == PoolStatus.EXITED:
        message = _(
            "%(name)s still has a current mentor, post or secondment from before the exit: end them in the "
            "cultivation record first, so that the new period starts clean."
        )
    else:
        return
    raise ValidationError(message % {"name": candidate.name}, code="open_cultivation")


@transaction.atomic
def change_status(
    *, actor, candidate_id: int, to_status: str, reason: str = "", via_decision: bool = False
) -> PoolEvent:
    """Move a candidate to its next pool status, with the row locked so a decision is taken once.

    The organiser moves a person along the funnel and proposes pool entry (filed → proposed);
    district staff confirm (proposed → in pool) or reject with a reason (proposed → filed).
    Removing someone from the pool or promoting them is recorded as a decision (with its reason
    code, or post and village) by the management app, which passes `via_decision=True`.
    """
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    current = candidate.status
    if current == PoolStatus.IN_POOL and to_status in POOL_DECISIONS and not via_decision:
        raise ValidationError(
            _("Removal from the pool and promotion are recorded as decisions, on the decision page."),
            code="needs_decision",
        )
    if to_status not in allowed_next_statuses(current, actor, decisions=via_decision):
        if is_decision(current, to_status) and not actor.can_decide and to_status in NEXT_STATUSES[current]:
            raise PermissionDenied(_("Only district staff may take this decision."))
        raise ValidationError(
            _("A candidate who is “%(current)s” cannot move to “%(target)s”."),
            code="transition",
            params={
                "current": candidate.get_status_display(),
                "target": PoolStatus(to_status).label if to_status in PoolStatus.values else to_status,
            },
        )
    _refuse_open_cultivation(candidate, current=current, to_status=to_status, via_decision=via_decision)
    reason = (reason or "").strip()
    if needs_reason(current, to_status) and not reason:
        if to_status == PoolStatus.EXITED:
            raise ValidationError({"reason": _("Give a reason for removing the candidate from the pool.")})
        raise ValidationError({"reason": _("Give a reason for rejecting the proposal.")})
    event = PoolEvent(
        candidate=candidate,
        township_id=candidate.township_id,
        from_status=current,
        to_status=to_status,
        reason=reason,
        actor=actor,
        actor_role=actor.role,
        approved_by=actor if is_decision(current, to_status) else None,
    )
    event.full_clean()
    event.save()
    candidate.status = to_status
    candidate.version += 1
    candidate.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        action=AuditAction.POOL_MOVE,
        actor=actor,
        obj=candidate,
        before={"status": current},
        after={"status": to_status},
        reason=reason,
    )
    return event


# Contact log and policy list -------------------------------------------------------------------

CONTACT_FIELDS = ("kind", "date", "place", "attendees", "discussed", "outcome", "next_step", "next_step_date")


@transaction.atomic
@audited(AuditAction.CREATE)
def record_contact(*, actor, candidate_ids: list[int], fields: dict, policy_ids: list[int] = ()) -> Contact:
    """Log a visit, talk or hometown-fellow meeting, hand over policy items to everyone met.

    A visit or talk meets one candidate, a meeting one or more, all of one township. Prospects
    met are moved to "contacted" through change_status, so the funnel records the step.
    """
    if not actor.can_write_candidates:
        raise PermissionDenied
    ids = set(candidate_ids)
    candidates = list(Candidate.objects.visible_to(actor).select_for_update().filter(pk__in=ids).order_by("pk"))
    if not ids or len(candidates) != len(ids):
        raise ValidationError({"candidates": _("Choose the candidates met.")})
    townships = {c.township_id for c in candidates}
    if len(townships) != 1:
        raise ValidationError({"candidates": _("The candidates met must all belong to one township.")})
    kind = fields.get("kind")
    if kind in {ContactKind.VISIT, ContactKind.TALK} and len(candidates) != 1:
        raise ValidationError({"candidates": _("A visit or a talk meets exactly one candidate.")})
    contact = Contact(
        township_id=townships.pop(),
        recorded_by=actor,
        **{name: fields.get(name) for name in CONTACT_FIELDS if name in fields},
    )
    contact.full_clean()
    contact.save()
    contact.candidates.set(candidates)
    if policy_ids:
        policies = list(
            PolicyItem.objects.applicable_to(contact.township).current(contact.date).filter(pk__in=set(policy_ids))
        )
        if len(policies) != len(set(policy_ids)):
            raise ValidationError({"policies": _("Some policy items do not apply in this township or have expired.")})
        already = set(
            PolicyDelivery.objects.filter(candidate__in=candidates, policy__in=policies).values_list(
                "candidate_id", "policy_id"
            )
        )
        PolicyDelivery.objects.bulk_create(
            PolicyDelivery(
                candidate=candidate, policy=policy, contact=contact, handed_on=contact.date, recorded_by=actor
            )
            for candidate in candidates
            for policy in policies
            if (candidate.pk, policy.pk) not in already
        )
    label = contact.get_kind_display()
    for candidate in candidates:
        if candidate.status == PoolStatus.PROSPECT:
            change_status(
                actor=actor,
                candidate_id=candidate.pk,
                to_status=PoolStatus.CONTACTED,
                reason=_("%(kind)s on %(date)s") % {"kind": label, "date": contact.date.isoformat()},
            )
    return contact


# What a correction may change: not the kind or the people met, which wrote funnel steps and deliveries.
CONTACT_CORRECTABLE = ("date", "place", "attendees", "discussed", "outcome", "next_step", "next_step_date")


@transaction.atomic
@audited(AuditAction.UPDATE)
def correct_contact(*, actor, contact_id: int, fields: dict) -> Contact:
    """Correct the description of a logged contact (a typo, a wrong date, the next step once known)."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    contact = Contact.objects.visible_to(actor).select_for_update().get(pk=contact_id)
    changed = [name for name in CONTACT_CORRECTABLE if name in fields and getattr(contact, name) != fields[name]]
    for name in changed:
        setattr(contact, name, fields[name])
    contact.full_clean()
    if changed:
        contact.save(update_fields=changed)
    return contact


@transaction.atomic
@audited(AuditAction.UPDATE)
def record_uptake(*, actor, delivery_id: int, uptake: str, amount_granted=None) -> PolicyDelivery:
    """Record what became of a policy handed over: interested, applied, granted (with amount), not taken."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    delivery = PolicyDelivery.objects.visible_to(actor).select_for_update().get(pk=delivery_id)
    delivery.uptake = uptake
    delivery.amount_granted = amount_granted if uptake == Uptake.GRANTED else None
    delivery.uptake_recorded_by = actor
    delivery.full_clean()
    delivery.save(update_fields=["uptake", "amount_granted", "uptake_recorded_by", "updated_at"])
    return delivery


# Village needs and matching -------------------------------------------------------------------

NEED_FIELDS = (
    "field",
    "title",
    "description",
    "age_min",
    "age_max",
    "education_floor",
    "party",
    "source_categories",
    "priority",
    "reserves_wanted",
    "status",
)


def _need_village(*, actor, village):
    if not OrgUnit.objects.villages().visible_to(actor).filter(pk=village.pk).exists():
        raise PermissionDenied
    return village


@transaction.atomic
@audited(AuditAction.UPDATE)
def save_village_need(*, actor, need_id: int | None = None, village=None, fields: dict, skills=None) -> VillageNeed:
    """Create a need for a village in the actor's area (need_id None), or change one they can see."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    if need_id is None:
        need = VillageNeed(village=_need_village(actor=actor, village=village), created_by=actor)
    else:
        need = VillageNeed.objects.visible_to(actor).select_for_update().get(pk=need_id)
    for name, value in fields.items():
        if name.removesuffix("_id") in NEED_FIELDS:
            setattr(need, name, value)
    need.full_clean()
    need.save()
    if skills is not None:
        need.skills.set(skills)
    return need


@transaction.atomic
@audited(AuditAction.UPDATE)
def assign_reserve(*, actor, need_id: int, candidate_id: int) -> Candidate:
    """Make a candidate a reserve for the need's village (their target village); a village may have several."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    need = VillageNeed.objects.visible_to(actor).select_related("village").get(pk=need_id)
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("Only an open need takes new reserves."))
    if not eligible(need, Candidate.objects.filter(pk=candidate.pk)).exists():
        raise ValidationError(_("%(name)s does not meet the hard requirements of this need.") % {"name": candidate})
    if candidate.target_village_id == need.village_id:
        return candidate
    match = score(need, candidate, {tag.pk for tag in need.skills.all()})
    candidate.target_village = need.village
    candidate.version += 1
    candidate.full_clean()
    candidate.save(update_fields=["target_village", "version", "updated_at"])
    ReserveAssignment.objects.create(need=need, candidate=candidate, score=match.score, assigned_by=actor)
    return candidate
