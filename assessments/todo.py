"""What management puts on the to-do list."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.flags import flags_for
from assessments.models import Review
from candidates.models import Candidate, PoolStatus
from candidates.todo import TodoItem


def reviews_due(user, today: datetime.date):
    """The organiser fills the township's reviews; the district follows up those overdue."""
    rows = (
        Review.objects.visible_to(user)
        .filter(round__status="open", filled_at__isnull=True, candidate__status=PoolStatus.IN_POOL)
        .select_related("round", "candidate", "candidate__township")
        .order_by("round__due_date", "candidate__name")
    )
    if not user.is_organiser:
        rows = rows.filter(round__due_date__lt=today)
    for review in rows:
        late = review.round.due_date < today
        yield TodoItem(
            kind="review_due",
            kind_label=_("look-back review due"),
            candidate_name=review.candidate.name,
            message=(_("Overdue in “%(round)s”.") if late else _("To be filled in “%(round)s”."))
            % {"round": review.round.name},
            url=reverse("assessments:review", args=[review.pk]),
            due=review.round.due_date,
            township=str(review.candidate.township),
        )


def proposals_awaiting_decision(user, today: datetime.date):
    if not user.can_decide:
        return
    rows = (
        Review.objects.visible_to(user)
        .filter(proposal_status=Review.ProposalStatus.PENDING, candidate__status=PoolStatus.IN_POOL)
        .select_related("round", "candidate", "candidate__township")
        .order_by("filled_at")
    )
    for review in rows:
        decide = (
            "assessments:decide_exit"
            if review.conclusion == Review.Conclusion.REMOVE
            else "assessments:decide_promotion"
        )
        yield TodoItem(
            kind="proposal",
            kind_label=_("awaiting decision"),
            candidate_name=review.candidate.name,
            message=_("Proposed “%(conclusion)s” in “%(round)s”: %(note)s")
            % {
                "conclusion": review.get_conclusion_display(),
                "round": review.round.name,
                "note": review.conclusion_note,
            },
            url=reverse(decide, args=[review.candidate_id]) + f"?review={review.pk}",
            due=review.filled_at.date() if review.filled_at else None,
            township=str(review.candidate.township),
        )


def attention_flags(user, today: datetime.date):
    """Suggestions, never decisions. The mentoring rule is already on the list from cultivation."""
    candidates = Candidate.objects.visible_to(user).filter(status=PoolStatus.IN_POOL)
    flagged = {pk: [f for f in found if f.rule != "mentoring"] for pk, found in flags_for(candidates, today).items()}
    flagged = {pk: found for pk, found in flagged.items() if found}
    if not flagged:
        return
    for candidate in Candidate.objects.filter(pk__in=flagged).select_related("township").order_by("name"):
        yield TodoItem(
            kind="attention",
            kind_label=_("needs attention"),
            candidate_name=candidate.name,
            message="；".join(flag.reason for flag in flagged[candidate.pk]),
            url=reverse("candidate_file", args=[candidate.pk]),
            township=str(candidate.township),
        )
