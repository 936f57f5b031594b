"""Writes for cultivation records. Each function checks scope and rules and saves atomically."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre_pool import audit
from cadre_pool.audit import AuditAction, audited
from candidates.models import Candidate, PoolStatus
from mentorship.models import (
    Mentor,
    MentorAssignment,
    MentoringLog,
    Placement,
    PlanItem,
    Secondment,
    TrainingCourse,
)

# Cultivation is for people on file or in the pool, not for those who left or were promoted.
CULTIVATED_STATUSES = frozenset({PoolStatus.FILED, PoolStatus.PROPOSED, PoolStatus.IN_POOL})


def _candidate_for_update(actor, candidate_id: int) -> Candidate:
    if not actor.can_write_candidates:
        raise PermissionDenied
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if candidate.status not in CULTIVATED_STATUSES:
        raise ValidationError(
            _("Cultivation records are kept for candidates on file or in the pool; this one is “%(status)s”.")
            % {"status": candidate.get_status_display()}
        )
    return candidate


def _record_for_update(model, actor, pk: int, **conditions):
    """One of a person's records, locked after the person's file. Changes to one person's records all
    queue on the file first: locking the record and the file in one statement let two people ending the
    two mentors of one candidate at the same moment deadlock (each held one row the other needed)."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    candidate_id = model.objects.visible_to(actor).values_list("candidate_id", flat=True).get(pk=pk, **conditions)
    list(Candidate.objects.select_for_update().filter(pk=candidate_id).values_list("pk", flat=True))
    return model.objects.select_for_update(of=("self",)).get(pk=pk, **conditions)


def refresh_current_flags(candidate_ids) -> None:
    """Set the files' has_current_mentor / _post / _secondment from their records, inside the caller's
    transaction. The caller holds the files' row locks (`_candidate_for_update`, `_record_for_update`),
    so this update, a statement with its own snapshot, sees what a concurrent change of another record
    of the same person committed before the lock was granted."""
    Candidate.objects.filter(pk__in=list(candidate_ids)).update(
        has_current_mentor=Exists(MentorAssignment.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)),
        has_current_post=Exists(Placement.objects.filter(candidate=OuterRef("pk"), end_date__isnull=True)),
        has_current_secondment=Exists(
            Secondment.objects.filter(candidate=OuterRef("pk"), actual_end__isnull=True).exclude(
                approval=Secondment.Approval.REFUSED
            )
        ),
    )


def _save(record):
    record.full_clean()
    record.save()
    return record


def _apply(record, fields: dict, allowed: tuple[str, ...]):
    for name, value in fields.items():
        if name.removesuffix("_id") in allowed:
            setattr(record, name, value)
    return record


MENTOR_FIELDS = ("name", "role", "work_unit", "township", "phone", "active", "capacity", "user")


@transaction.atomic
@audited(AuditAction.UPDATE)
def save_mentor(*, actor, fields: dict, mentor_id: int | None = None) -> Mentor:
    """Create or change a mentor in the register; organisers keep their own township's register."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    mentors = Mentor.objects.visible_to(actor).select_for_update()
    mentor = Mentor() if mentor_id is None else mentors.get(pk=mentor_id)
    _apply(mentor, fields, MENTOR_FIELDS)
    if actor.is_organiser:
        mentor.township = actor.unit
    elif not mentor.township_id or not mentor.township.path.startswith(actor.unit.path):
        raise PermissionDenied
    return _save(mentor)


@transaction.atomic
@audited(AuditAction.CREATE)
def assign_mentor(
    *,
    actor,
    candidate_id: int,
    mentor_id: int,
    is_lead: bool = False,
    start_date: datetime.date | None = None,
    confirm_over_capacity: bool = False,
) -> MentorAssignment:
    """Add a mentor to a candidate. The first mentor is the lead; naming a new lead demotes the old one."""
    candidate = _candidate_for_update(actor, candidate_id)
    # Locking the mentor serialises assignments to them, so two organisers cannot both take the last place.
    mentor = Mentor.objects.visible_to(actor).select_for_update().get(pk=mentor_id)
    if not mentor.active:
        raise ValidationError({"mentor": _("This mentor is no longer active.")})
    current = mentor.assignments.filter(end_date__isnull=True).count()
    if current >= mentor.capacity and not confirm_over_capacity:
        raise ValidationError(
            {
                "confirm_over_capacity": _(
                    "%(mentor)s already coaches %(count)d of at most %(capacity)d candidates. "
                    "Tick the confirmation to assign beyond the limit."
                )
                % {"mentor": mentor.name, "count": current, "capacity": mentor.capacity}
            },
            code="over_capacity",
        )
    current_lead = candidate.mentor_assignments.filter(is_lead=True, end_date__isnull=True).first()
    if current_lead is None:
        is_lead = True
    elif is_lead:
        current_lead.is_lead = False
        current_lead.save(update_fields=["is_lead"])
    assignment = MentorAssignment(
        candidate=candidate,
        mentor=mentor,
        is_lead=is_lead,
        recorded_by=actor,
        **({"start_date": start_date} if start_date else {}),
    )
    _save(assignment)
    refresh_current_flags([candidate.pk])
    return assignment


@transaction.atomic
@audited(AuditAction.UPDATE)
def end_assignment(*, actor, assignment_id: int, end_date: datetime.date, reason: str) -> MentorAssignment:
    """End a mentor's coaching. When the lead leaves, the longest-serving other mentor becomes lead."""
    assignment = _record_for_update(MentorAssignment, actor, assignment_id)
    if assignment.end_date is not None:
        # A second submit, or a decision that ended it while the form was open.
        raise ValidationError(
            _("This mentoring already ended on %(date)s.") % {"date": assignment.end_date.isoformat()},
            code="already_ended",
        )
    if not reason.strip():
        raise ValidationError({"end_reason": _("Say why the mentoring ends.")})
    assignment.end_date = end_date
    assignment.end_reason = reason.strip()
    was_lead = assignment.is_lead
    assignment.is_lead = False
    assignment.full_clean()
    assignment.save(update_fields=["end_date", "end_reason", "is_lead"])
    if was_lead:
        successor = (
            MentorAssignment.objects.filter(candidate_id=assignment.candidate_id, end_date__isnull=True)
            .order_by("start_date", "pk")
            .first()
        )
        if successor is not None:
            successor.is_lead = True
            successor.save(update_fields=["is_lead"])
    refresh_current_flags([assignment.candidate_id])
    return assignment


LOG_FIELDS = ("mentor", "date", "kind", "content", "mentor_comment")


@transaction.atomic
@audited(AuditAction.CREATE)
def record_mentoring_log(*, actor, candidate_id: int, fields: dict) -> MentoringLog:
    candidate = _candidate_for_update(actor, candidate_id)
    log = _apply(MentoringLog(candidate=candidate, recorded_by=actor), fields, LOG_FIELDS)
    if log.mentor_id and not candidate.mentor_assignments.filter(mentor_id=log.mentor_id).exists():
        raise ValidationError({"mentor": _("Choose one of this candidate's mentors.")})
    return _save(log)


PLAN_FIELDS = ("kind", "goal", "due_date", "status")


@transaction.atomic
@audited(AuditAction.CREATE)
def add_plan_item(*, actor, candidate_id: int, fields: dict) -> PlanItem:
    candidate = _candidate_for_update(actor, candidate_id)
    return _save(_apply(PlanItem(candidate=candidate, recorded_by=actor), fields, PLAN_FIELDS))


@transaction.atomic
@audited(AuditAction.UPDATE)
def set_plan_item_status(*, actor, plan_item_id: int, status: str) -> PlanItem:
    if not actor.can_write_candidates:
        raise PermissionDenied
    item = PlanItem.objects.visible_to(actor).select_for_update().get(pk=plan_item_id)
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    return item


def _fill_plan_item(*, candidate: Candidate, plan_item: PlanItem | None, kind: str) -> PlanItem | None:
    """Starting a placement or secondment moves the matching plan item to "in progress"."""
    if plan_item is None:
        return None
    if plan_item.candidate_id != candidate.pk or plan_item.kind != kind:
        raise ValidationError({"plan_item": _("Choose an item of this candidate's plan of the same kind.")})
    if plan_item.status == PlanItem.Status.PLANNED:
        plan_item.status = PlanItem.Status.IN_PROGRESS
        plan_item.save(update_fields=["status"])
    return plan_item


def _finish_plan_item(plan_item_id: int | None) -> None:
    if plan_item_id:
        PlanItem.objects.filter(pk=plan_item_id, status__in=PlanItem.OPEN_STATUSES).update(status=PlanItem.Status.DONE)


PLACEMENT_FIELDS = ("post_type", "village", "start_date", "duties", "plan_item")


@transaction.atomic
@audited(AuditAction.CREATE)
def start_placement(*, actor, candidate_id: int, fields: dict) -> Placement:
    candidate = _candidate_for_update(actor, candidate_id)
    placement = _apply(Placement(candidate=candidate, recorded_by=actor), fields, PLACEMENT_FIELDS)
    _check_village_in_scope(actor, placement.village, "village")
    _fill_plan_item(candidate=candidate, plan_item=placement.plan_item, kind=PlanItem.Kind.POST)
    _save(placement)
    refresh_current_flags([candidate.pk])
    return placement


@transaction.atomic
@audited(AuditAction.UPDATE)
def end_placement(*, actor, placement_id: int, end_date: datetime.date, evaluation: str) -> Placement:
    placement = _record_for_update(Placement, actor, placement_id)
    if placement.end_date is not None:
        raise ValidationError(
            _("This placement already ended on %(date)s.") % {"date": placement.end_date.isoformat()},
            code="already_ended",
        )
    if not evaluation.strip():
        raise ValidationError({"evaluation": _("Write the evaluation of the placement.")})
    placement.end_date = end_date
    placement.evaluation = evaluation.strip()
    placement.full_clean()
    placement.save(update_fields=["end_date", "evaluation"])
    _finish_plan_item(placement.plan_item_id)
    refresh_current_flags([placement.candidate_id])
    return placement


SECONDMENT_FIELDS = ("host_village", "mode", "planned_start", "planned_end", "override_reason", "plan_item")


@transaction.atomic
@audited(AuditAction.CREATE)
def plan_secondment(*, actor, candidate_id: int, fields: dict) -> Secondment:
    """Plan a secondment of 3 to 6 months, away from the person's own village and overlapping none of
    their other planned or running secondments. Another length needs a reason: planned by district
    staff it is approved by them at once; planned by a township organiser it awaits their approval."""
    candidate = _candidate_for_update(actor, candidate_id)
    secondment = _apply(Secondment(candidate=candidate, recorded_by=actor), fields, SECONDMENT_FIELDS)
    secondment.override_reason = (secondment.override_reason or "").strip()
    _check_village_in_scope(actor, secondment.host_village, "host_village")
    if secondment.host_village_id is not None and secondment.host_village_id == candidate.village_id:
        raise ValidationError(
            {
                "host_village": _(
                    "The host village cannot be the candidate's own village (%(village)s): a secondment is "
                    "spent learning in another village."
                )
                % {"village": candidate.village}
            }
        )
    # Under the file's row lock: a second plan for the same person waits here and then sees this one.
    _check_no_overlapping_secondment(candidate, secondment)
    dated = secondment.planned_start and secondment.planned_end and secondment.planned_end > secondment.planned_start
    if dated and secondment.within_standard_length:
        secondment.approval = Secondment.Approval.STANDARD
        secondment.override_reason = ""
    elif dated and secondment.override_reason and actor.can_decide:
        secondment.approval = Secondment.Approval.APPROVED
        secondment.decided_by = actor
        secondment.decided_at = timezone.now()
        secondment.decision_reason = secondment.override_reason
    elif dated:
        secondment.approval = Secondment.Approval.AWAITING
    _fill_plan_item(candidate=candidate, plan_item=secondment.plan_item, kind=PlanItem.Kind.SECONDMENT)
    _save(secondment)
    refresh_current_flags([candidate.pk])
    return secondment


def _check_no_overlapping_secondment(candidate: Candidate, secondment: Secondment) -> None:
    start, end = secondment.planned_start, secondment.planned_end
    if not start or not end:
        return
    other = (
        Secondment.objects.filter(candidate=candidate, actual_end__isnull=True, planned_start__lte=end)
        .filter(planned_end__gte=start)
        .exclude(approval=Secondment.Approval.REFUSED)
        .select_related("host_village")
        .order_by("planned_start", "pk")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "planned_start": ValidationError(
                    _(
                        "%(name)s already has a %(mode)s secondment at %(host)s from %(start)s to %(end)s; "
                        "the two would overlap. End that one first or choose dates outside it."
                    )
                    % {
                        "name": candidate.name,
                        "mode": other.get_mode_display(),
                        "host": other.host_village,
                        "start": other.planned_start.isoformat(),
                        "end": other.planned_end.isoformat(),
                    },
                    code="overlap",
                )
            }
        )


@transaction.atomic
@audited(AuditAction.DECISION)
def decide_secondment_length(*, actor, secondment_id: int, approve: bool, reason: str) -> Secondment:
    """District staff approve or refuse a secondment's length outside 3 to 6 months, with a reason."""
    if not actor.can_decide:
        raise PermissionDenied
    secondment = _record_for_update(Secondment, actor, secondment_id)
    if secondment.approval != Secondment.Approval.AWAITING:
        raise ValidationError(
            _("This secondment's length is not awaiting a decision (it is “%(approval)s”).")
            % {"approval": secondment.get_approval_display()},
            code="already_decided",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason for approving or refusing this length.")})
    secondment.approval = Secondment.Approval.APPROVED if approve else Secondment.Approval.REFUSED
    secondment.decided_by = actor
    secondment.decided_at = timezone.now()
    secondment.decision_reason = reason
    secondment.full_clean()
    secondment.save(update_fields=["approval", "decided_by", "decided_at", "decision_reason"])
    refresh_current_flags([secondment.candidate_id])
    return secondment


@transaction.atomic
@audited(AuditAction.UPDATE)
def end_secondment(
    *, actor, secondment_id: int, actual_end: datetime.date, learned: str, host_evaluation: str
) -> Secondment:
    secondment = _record_for_update(Secondment, actor, secondment_id)
    if secondment.cancelled_on is not None:
        raise ValidationError(
            _("This secondment was cancelled on %(date)s before it began.")
            % {"date": secondment.cancelled_on.isoformat()},
            code="cancelled",
        )
    secondment.actual_end = actual_end
    secondment.learned = learned.strip()
    secondment.host_evaluation = host_evaluation.strip()
    secondment.full_clean()
    secondment.save(update_fields=["actual_end", "learned", "host_evaluation"])
    if secondment.host_evaluation:
        _finish_plan_item(secondment.plan_item_id)
    refresh_current_flags([secondment.candidate_id])
    return secondment


COURSE_FIELDS = ("name", "organiser", "start_date", "end_date", "hours", "result")


@transaction.atomic
@audited(AuditAction.CREATE)
def record_course(*, actor, candidate_id: int, fields: dict) -> TrainingCourse:
    candidate = _candidate_for_update(actor, candidate_id)
    return _save(_apply(TrainingCourse(candidate=candidate, recorded_by=actor), fields, COURSE_FIELDS))


def _check_village_in_scope(actor, village, field: str) -> None:
    # Host villages may lie in another township of the district (model villages are few),
    # but never outside the actor's district.
    district_path = actor.unit.path if not actor.is_organiser else actor.unit.parent.path
    if village is not None and not village.path.startswith(district_path):
        raise ValidationError({field: _("Choose a village of your district.")})


def _closed(actor, record, before: dict, reason: str) -> None:
    """The one audit row for a record closed by a life event: the fields it changed, and why."""
    old, new = audit.diff(before, audit.snapshot(record))
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=record,
        before=old,
        after=new,
        reason=reason,
        service="close_cultivation",
    )


def close_cultivation(*, actor, candidate: Candidate, on: datetime.date, reason: str) -> dict[str, list[str]]:
    """End what a life event (promotion, exit) ends, inside the caller's transaction, dated `on`.

    Current mentor assignments and post placements end (a record begun after `on` ends on its own first
    day); running secondments end on `on` (or on their planned end if that came first); secondments not
    begun by `on` are cancelled; open growth-plan items are dropped. One audit row per record, the flags
    refreshed. Returns the labels of what was closed, by kind, for the decision's timeline line.
    Idempotent: a second call finds nothing open. The caller has locked the file; locking it again here
    keeps the lock order (file, then records) of every other cultivation write.
    """
    if not actor.can_write_candidates:
        raise PermissionDenied
    list(Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk", flat=True))
    reason = reason.strip()
    closed: dict[str, list[str]] = {
        "mentors": [],
        "posts": [],
        "secondments_ended": [],
        "secondments_cancelled": [],
        "plan_items": [],
    }
    assignments = MentorAssignment.objects.select_for_update(of=("self",)).select_related("mentor")
    for assignment in assignments.filter(candidate=candidate, end_date__isnull=True).order_by("pk"):
        before = audit.snapshot(assignment)
        assignment.end_date = max(on, assignment.start_date)
        assignment.end_reason = reason[: MentorAssignment._meta.get_field("end_reason").max_length]
        assignment.is_lead = False
        assignment.full_clean()
        assignment.save(update_fields=["end_date", "end_reason", "is_lead"])
        _closed(actor, assignment, before, reason)
        closed["mentors"].append(assignment.mentor.name)
    placements = Placement.objects.select_for_update(of=("self",)).select_related("post_type", "village")
    for placement in placements.filter(candidate=candidate, end_date__isnull=True).order_by("pk"):
        before = audit.snapshot(placement)
        placement.end_date = max(on, placement.start_date)
        placement.full_clean()
        placement.save(update_fields=["end_date"])
        _closed(actor, placement, before, reason)
        closed["posts"].append(f"{placement.post_type}（{placement.village}）")
    secondments = Secondment.objects.select_for_update(of=("self",)).select_related("host_village")
    for secondment in secondments.filter(candidate=candidate, actual_end__isnull=True).order_by("pk"):
        before = audit.snapshot(secondment)
        if secondment.planned_start > on:
            secondment.actual_end = secondment.planned_start
            secondment.cancelled_on = on
            kind = "secondments_cancelled"
        else:
            secondment.actual_end = min(on, secondment.planned_end)
            kind = "secondments_ended"
        # Not full_clean(): how the secondment was planned (its length, its approval) was judged when it was
        # planned, and must not stop the person leaving; the dates set here keep the database's constraints.
        secondment.save(update_fields=["actual_end", "cancelled_on"])
        _closed(actor, secondment, before, reason)
        closed[kind].append(str(secondment.host_village))
    items = PlanItem.objects.select_for_update(of=("self",))
    for item in items.filter(candidate=candidate, status__in=PlanItem.OPEN_STATUSES).order_by("pk"):
        before = audit.snapshot(item)
        item.status = PlanItem.Status.DROPPED
        item.save(update_fields=["status"])
        _closed(actor, item, before, reason)
        closed["plan_items"].append(item.goal)
    refresh_current_flags([candidate.pk])
    return {kind: labels for kind, labels in closed.items() if labels}
