"""Writes for assessments, look-back reviews and decisions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.evidence import check_upload, storage_name
from assessments.models import REVIEW_FIELDS, Assessment, Decision, Evidence, Review, ReviewRound
from cadre_pool import audit
from cadre_pool.audit import AuditAction, audited
from candidates.models import Candidate, PoolStatus
from candidates.services import change_status
from mentorship.services import close_cultivation

ASSESSMENT_FIELDS = ("kind", "date", "description", "rating")


def _writer(actor):
    if not actor.can_write_candidates:
        raise PermissionDenied


def _decider(actor):
    if not actor.can_decide:
        raise PermissionDenied(_("Only district staff may take this decision."))


@transaction.atomic
@audited(AuditAction.CREATE)
def record_assessment(*, actor, candidate_id: int, fields: dict, files=()) -> Assessment:
    """Record a key-task assessment with its evidence; a bad file writes nothing."""
    _writer(actor)
    candidate = Candidate.objects.visible_to(actor).get(pk=candidate_id)
    assessment = Assessment(candidate=candidate, recorded_by=actor)
    for name in ASSESSMENT_FIELDS:
        if name in fields:
            setattr(assessment, name, fields[name])
    checked = [(upload, check_upload(upload)) for upload in files]
    assessment.full_clean()
    assessment.save()
    for upload, (content_type, extension) in checked:
        evidence = Evidence(
            assessment=assessment,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        evidence.file.save(storage_name(extension), upload, save=False)
        evidence.save()
    return assessment


@transaction.atomic
@audited(AuditAction.CREATE)
def open_round(
    *,
    actor,
    name: str,
    period_start: datetime.date,
    period_end: datetime.date,
    due_date: datetime.date,
    candidate_ids: list[int] | None = None,
) -> ReviewRound:
    """Open a look-back round for the actor's unit: by default everyone in the pool there today."""
    _decider(actor)
    review_round = ReviewRound(
        unit=actor.unit,
        name=name,
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        opened_by=actor,
    )
    review_round.full_clean()
    review_round.save()
    candidates = Candidate.objects.visible_to(actor).filter(status=PoolStatus.IN_POOL)
    if candidate_ids is not None:
        candidates = candidates.filter(pk__in=candidate_ids)
    Review.objects.bulk_create(
        [Review(round=review_round, candidate_id=pk) for pk in candidates.values_list("pk", flat=True)]
    )
    return review_round


def _open_round_for_update(actor, round_id: int) -> ReviewRound:
    review_round = ReviewRound.objects.visible_to(actor).select_for_update().get(pk=round_id)
    if not review_round.is_open:
        raise ValidationError(_("This round is closed; its reviews can no longer change."), code="round_closed")
    return review_round


@transaction.atomic
@audited(AuditAction.UPDATE)
def add_to_round(*, actor, round_id: int, candidate_ids: list[int]) -> int:
    """Add candidates (in the pool, not yet in the round) to an open round."""
    _decider(actor)
    review_round = _open_round_for_update(actor, round_id)
    present = review_round.reviews.values_list("candidate_id", flat=True)
    new = (
        Candidate.objects.visible_to(actor)
        .filter(pk__in=candidate_ids, status=PoolStatus.IN_POOL)
        .exclude(pk__in=present)
        .values_list("pk", flat=True)
    )
    reviews = [Review(round=review_round, candidate_id=pk) for pk in new]
    Review.objects.bulk_create(reviews)
    return len(reviews)


@transaction.atomic
@audited(AuditAction.UPDATE)
def fill_review(*, actor, review_id: int, fields: dict) -> Review:
    """Fill or correct one review while its round is open; a removal or promotion proposal awaits a decision."""
    _writer(actor)
    review = Review.objects.visible_to(actor).select_for_update().select_related("round").get(pk=review_id)
    _open_round_for_update(actor, review.round_id)
    if review.proposal_status in {Review.ProposalStatus.ACCEPTED, Review.ProposalStatus.DECLINED}:
        raise ValidationError(_("The district has already decided on this proposal."), code="decided")
    for name in REVIEW_FIELDS:
        if name in fields:
            setattr(review, name, fields[name] if fields[name] is not None or name.startswith("votes") else "")
    review.filled_by = actor
    review.filled_at = timezone.now()
    proposes = review.conclusion in {Review.Conclusion.REMOVE, Review.Conclusion.PROMOTE}
    review.proposal_status = Review.ProposalStatus.PENDING if proposes else Review.ProposalStatus.NONE
    review.full_clean()
    review.save()
    return review


@transaction.atomic
@audited(AuditAction.UPDATE)
def close_round(*, actor, round_id: int) -> ReviewRound:
    """Close a round: its reviews are locked from then on. Pending proposals can still be decided."""
    _decider(actor)
    review_round = _open_round_for_update(actor, round_id)
    review_round.status = ReviewRound.Status.CLOSED
    review_round.closed_at = timezone.now()
    review_round.save(update_fields=["status", "closed_at"])
    return review_round


def _proposal(actor, review_id: int | None, candidate: Candidate, conclusion: str) -> Review | None:
    if review_id is None:
        return None
    review = Review.objects.visible_to(actor).select_for_update().get(pk=review_id, candidate=candidate)
    if review.proposal_status != Review.ProposalStatus.PENDING or review.conclusion != conclusion:
        raise ValidationError(_("This proposal is not awaiting a decision."), code="not_pending")
    return review


def _decide(*, actor, candidate_id: int, to_status: str, review_id: int | None, decision: Decision) -> Decision:
    _decider(actor)
    # change_status locks the candidate row: of two concurrent decisions, the second finds it no longer in the pool.
    candidate = Candidate.objects.visible_to(actor).select_for_update().get(pk=candidate_id)
    if candidate.status != PoolStatus.IN_POOL:
        raise ValidationError(
            _("%(name)s is no longer in the pool (“%(status)s”): a decision has already been taken.")
            % {"name": candidate.name, "status": candidate.get_status_display()},
            code="already_decided",
        )
    conclusion = Review.Conclusion.REMOVE if decision.kind == Decision.Kind.EXIT else Review.Conclusion.PROMOTE
    review = _proposal(actor, review_id, candidate, conclusion)
    decision.candidate = candidate
    decision.review = review
    decision.decided_by = actor
    decision.full_clean(exclude=["pool_event"])
    if decision.kind == Decision.Kind.EXIT:
        reason = f"{decision.get_exit_reason_display()}：{decision.note}"
    else:
        reason = f"{decision.post_label}（{decision.village}）{decision.note}".strip()
    decision.pool_event = change_status(
        actor=actor, candidate_id=candidate.pk, to_status=to_status, reason=reason, via_decision=True
    )
    if review is not None:
        review.proposal_status = Review.ProposalStatus.ACCEPTED
        review.save(update_fields=["proposal_status"])
    why = _decision_title(decision)
    closed = close_cultivation(actor=actor, candidate=candidate, on=decision.effective_date, reason=why)
    decision.closed = {**closed, **_leave_reviews(actor=actor, candidate=candidate, conclusion=conclusion, why=why)}
    decision.save()
    return decision


def _decision_title(decision: Decision) -> str:
    """What the decision was, as the timeline titles it; the reason given on every record it closes."""
    if decision.kind == Decision.Kind.EXIT:
        return _("Removed from the pool: %(reason)s") % {"reason": decision.get_exit_reason_display()}
    return _("Promoted: %(post)s, %(village)s") % {"post": decision.post_label, "village": decision.village}


def _leave_reviews(*, actor, candidate: Candidate, conclusion: str, why: str) -> dict[str, list[str]]:
    """The person leaves the pool: their unfilled reviews in open rounds stop being due, and proposals about
    them still pending are answered by the decision. One audit row each.

    An unfilled review holds nothing but the person's place in the round, so it is deleted (its audit row
    keeps it): the round's counts are then of the people it still reviews, and a finished round does not
    wait for someone who has left. Filled reviews, and every review of a closed round, stay as history.
    """
    unfilled = list(
        Review.objects.select_for_update(of=("self",))
        .filter(candidate=candidate, round__status=ReviewRound.Status.OPEN, filled_at__isnull=True)
        .select_related("round")
        .order_by("pk")
    )
    for review in unfilled:
        audit.record(
            action=AuditAction.DELETE,
            actor=actor,
            obj=review,
            before=audit.snapshot(review),
            reason=why,
            service="leave_reviews",
        )
    Review.objects.filter(pk__in=[review.pk for review in unfilled]).delete()
    pending = list(
        Review.objects.select_for_update(of=("self",))
        .filter(candidate=candidate, proposal_status=Review.ProposalStatus.PENDING)
        .select_related("round")
        .order_by("pk")
    )
    for review in pending:
        before = audit.snapshot(review, ["proposal_status", "conclusion_note"])
        if review.conclusion == conclusion:
            review.proposal_status = Review.ProposalStatus.ACCEPTED
        else:
            review.proposal_status = Review.ProposalStatus.DECLINED
            review.conclusion_note = f"{review.conclusion_note}\n——{_('Superseded by the decision')}：{why}"
        review.save(update_fields=["proposal_status", "conclusion_note"])
        old, new = audit.diff(before, audit.snapshot(review, ["proposal_status", "conclusion_note"]))
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=review,
            before=old,
            after=new,
            reason=why,
            service="leave_reviews",
        )
    closed = {"reviews": [review.round.name for review in unfilled], "proposals": [r.round.name for r in pending]}
    return {kind: labels for kind, labels in closed.items() if labels}


@transaction.atomic
@audited(AuditAction.DECISION)
def decide_exit(
    *,
    actor,
    candidate_id: int,
    exit_reason: str,
    note: str,
    effective_date: datetime.date | None = None,
    review_id: int | None = None,
) -> Decision:
    """调整出库: remove a candidate from the pool with a reason code and a note."""
    decision = Decision(
        kind=Decision.Kind.EXIT,
        exit_reason=exit_reason,
        note=(note or "").strip(),
        effective_date=effective_date or timezone.localdate(),
    )
    return _decide(
        actor=actor, candidate_id=candidate_id, to_status=PoolStatus.EXITED, review_id=review_id, decision=decision
    )


@transaction.atomic
@audited(AuditAction.DECISION)
def decide_promotion(
    *,
    actor,
    candidate_id: int,
    post: str,
    village,
    effective_date: datetime.date | None = None,
    post_other: str = "",
    note: str = "",
    review_id: int | None = None,
) -> Decision:
    """提拔使用: promote a candidate, recording the post, the village and the date."""
    decision = Decision(
        kind=Decision.Kind.PROMOTION,
        post=post,
        post_other=(post_other or "").strip(),
        village=village,
        note=(note or "").strip(),
        effective_date=effective_date or timezone.localdate(),
    )
    return _decide(
        actor=actor, candidate_id=candidate_id, to_status=PoolStatus.PROMOTED, review_id=review_id, decision=decision
    )


@transaction.atomic
@audited(AuditAction.DECISION)
def decline_proposal(*, actor, review_id: int, note: str) -> Review:
    """Keep the candidate in the pool despite a removal or promotion proposal."""
    _decider(actor)
    review = Review.objects.visible_to(actor).select_for_update().get(pk=review_id)
    if review.proposal_status != Review.ProposalStatus.PENDING:
        raise ValidationError(_("This proposal is not awaiting a decision."), code="not_pending")
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the proposal is declined.")})
    review.proposal_status = Review.ProposalStatus.DECLINED
    declined = _("Declined by the district")
    review.conclusion_note = f"{review.conclusion_note}\n——{declined}：{note.strip()}"
    review.save(update_fields=["proposal_status", "conclusion_note"])
    return review
