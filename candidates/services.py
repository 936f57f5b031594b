"""Writes to candidate files. Views, the admin and commands call these; nothing else saves a candidate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidates.models import (
    DECISION_STATUSES,
    NEXT_STATUSES,
    Candidate,
    PoolEvent,
    PoolStatus,
    allowed_next_statuses,
)

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


@transaction.atomic
def create_candidate(*, actor, township, fields: dict) -> Candidate:
    """File a new candidate as a prospect and record the first pool event."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    _check_township(actor=actor, township=township)
    candidate = Candidate(
        township=township,
        status=PoolStatus.PROSPECT,
        created_by=actor,
        **{name: value for name, value in fields.items() if _editable(name)},
    )
    candidate.full_clean()
    candidate.save()
    PoolEvent.objects.create(
        candidate=candidate,
        from_status="",
        to_status=PoolStatus.PROSPECT,
        reason=_("Information file created"),
        actor=actor,
        actor_role=actor.role,
    )
    return candidate


@transaction.atomic
def update_candidate(*, actor, candidate_id: int, expected_version: int, fields: dict) -> Candidate:
    """Change the editable fields of a file, refusing an edit that started from an older version."""
    if not actor.can_write_candidates:
        raise PermissionDenied
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if candidate.version != expected_version:
        raise StaleEditError(candidate)
    changed = []
    for name, value in fields.items():
        if _editable(name) and getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed.append(name)
    candidate.full_clean()
    if changed:
        candidate.version += 1
        # full_clean normalises the ID and phone, so save them with the rest.
        candidate.save(update_fields=[*{*changed, "id_number", "phone"}, "version", "updated_at"])
    return candidate


@transaction.atomic
def change_status(
    *, actor, candidate_id: int, to_status: str, reason: str = "", via_decision: bool = False
) -> PoolEvent:
    """Move a candidate to its next pool status, with the row locked so a decision is taken once.

    Removing someone from the pool or promoting them is recorded as a decision (with its reason
    code, or post and village) by the management app, which passes `via_decision=True`.
    """
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if candidate.status == PoolStatus.IN_POOL and to_status in POOL_DECISIONS and not via_decision:
        raise ValidationError(
            _("Removal from the pool and promotion are recorded as decisions, on the decision page."),
            code="needs_decision",
        )
    if to_status not in allowed_next_statuses(candidate.status, actor, decisions=via_decision):
        if to_status in DECISION_STATUSES and not actor.can_decide and to_status in NEXT_STATUSES[candidate.status]:
            raise PermissionDenied(_("Only district staff may take this decision."))
        raise ValidationError(
            _("A candidate who is “%(current)s” cannot move to “%(target)s”."),
            code="transition",
            params={
                "current": candidate.get_status_display(),
                "target": PoolStatus(to_status).label if to_status in PoolStatus.values else to_status,
            },
        )
    reason = (reason or "").strip()
    if to_status == PoolStatus.EXITED and not reason:
        raise ValidationError({"reason": _("Give a reason for removing the candidate from the pool.")})
    event = PoolEvent(
        candidate=candidate,
        from_status=candidate.status,
        to_status=to_status,
        reason=reason,
        actor=actor,
        actor_role=actor.role,
        approved_by=actor if to_status in DECISION_STATUSES else None,
    )
    event.full_clean()
    event.save()
    candidate.status = to_status
    candidate.version += 1
    candidate.save(update_fields=["status", "version", "updated_at"])
    return event
