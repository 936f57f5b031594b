"""What management adds to the candidate page, the timeline and the to-do list."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.flags import flags_for
from assessments.models import Assessment, Decision, Review
from cadre_pool import panels, timeline, todo
from candidates.models import Candidate, PoolStatus


def management_records(candidate):
    """Assessments (with evidence), filled reviews and decisions of one candidate: three queries
    (the evidence a fourth when there are assessments), cached."""
    cached = getattr(candidate, "_management_records", None)
    if cached is None:
        pk = candidate.pk
        cached = {
            "assessments": list(
                Assessment.objects.filter(candidate_id=pk).select_related("recorded_by").prefetch_related("evidence")
            ),
            "reviews": list(
                Review.objects.filter(candidate_id=pk, filled_at__isnull=False)
                .select_related("round")
                .order_by("-round__period_end")
            ),
            "decisions": list(Decision.objects.filter(candidate_id=pk).select_related("village", "decided_by")),
        }
        candidate._management_records = cached
    return cached


@panels.register("assessments/_candidate_panel.html", order=60)
def management_panel(candidate, user):
    records = management_records(candidate)
    return {
        **records,
        "can_assess": user.can_write_candidates,
        "can_decide": user.can_decide and candidate.status == PoolStatus.IN_POOL,
    }


@timeline.register("assessment", gettext_lazy("key-task assessment"))
def assessment_entries(candidate):
    for assessment in management_records(candidate)["assessments"]:
        yield timeline.TimelineEntry(
            at=timeline.at_day(assessment.date),
            kind="assessment",
            kind_label=_("key-task assessment"),
            title=_("%(kind)s: %(rating)s")
            % {"kind": assessment.get_kind_display(), "rating": assessment.get_rating_display()},
            detail=assessment.description,
            actor=str(assessment.recorded_by),
        )


@timeline.register("review", gettext_lazy("look-back review"))
def review_entries(candidate):
    for review in management_records(candidate)["reviews"]:
        ratings = "，".join(f"{label}{shown}" for _field, label, shown, _comment in review.ratings())
        yield timeline.TimelineEntry(
            at=review.filled_at,
            kind="review",
            kind_label=_("look-back review"),
            title=_("%(round)s: proposed “%(conclusion)s”")
            % {"round": review.round.name, "conclusion": review.get_conclusion_display()},
            detail=ratings,
        )


@timeline.register("decision", gettext_lazy("decision"))
def decision_entries(candidate):
    for decision in management_records(candidate)["decisions"]:
        if decision.kind == Decision.Kind.EXIT:
            title = _("Removed from the pool: %(reason)s") % {"reason": decision.get_exit_reason_display()}
        else:
            title = _("Promoted: %(post)s, %(village)s") % {"post": decision.post_label, "village": decision.village}
        yield timeline.TimelineEntry(
            at=decision.decided_at,
            kind="decision",
            kind_label=_("decision"),
            title=title,
            detail=decision.note,
            actor=str(decision.decided_by),
        )
        if decision.closed:
            yield timeline.TimelineEntry(
                at=decision.decided_at,
                kind="decision",
                kind_label=_("decision"),
                title=_("Closed with the decision (%(date)s): %(what)s")
                % {"date": decision.effective_date.isoformat(), "what": closed_summary(decision.closed)},
                detail=title,
                actor=str(decision.decided_by),
            )


# What a decision closed, by kind (Decision.closed's keys), as a reader reads it.
CLOSED_LABELS = {
    "mentors": gettext_lazy("mentoring ended"),
    "posts": gettext_lazy("post ended"),
    "secondments_ended": gettext_lazy("secondment ended"),
    "secondments_cancelled": gettext_lazy("planned secondment cancelled"),
    "plan_items": gettext_lazy("plan item dropped"),
    "reviews": gettext_lazy("no longer due in look-back round"),
    "proposals": gettext_lazy("proposal answered in look-back round"),
}


def closed_summary(closed: dict[str, list[str]]) -> str:
    # In the labels' order: PostgreSQL's jsonb keeps its keys in an order of its own.
    return "；".join(f"{label}：{'、'.join(closed[kind])}" for kind, label in CLOSED_LABELS.items() if closed.get(kind))


@todo.register("review_due")
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
        yield todo.TodoItem(
            kind="review_due",
            kind_label=_("look-back review due"),
            candidate_name=review.candidate.name,
            message=(_("Overdue in “%(round)s”.") if late else _("To be filled in “%(round)s”."))
            % {"round": review.round.name},
            url=reverse("assessments:review", args=[review.pk]),
            due=review.round.due_date,
            township=str(review.candidate.township),
        )


@todo.register("proposal")
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
        yield todo.TodoItem(
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


@todo.register("attention")
def attention_flags(user, today: datetime.date):
    """Suggestions, never decisions. The mentoring rule is already on the list from cultivation."""
    candidates = Candidate.objects.visible_to(user).filter(status=PoolStatus.IN_POOL)
    flagged = {pk: [f for f in found if f.rule != "mentoring"] for pk, found in flags_for(candidates, today).items()}
    flagged = {pk: found for pk, found in flagged.items() if found}
    if not flagged:
        return
    for candidate in Candidate.objects.filter(pk__in=flagged).select_related("township").order_by("name"):
        yield todo.TodoItem(
            kind="attention",
            kind_label=_("needs attention"),
            candidate_name=candidate.name,
            message="；".join(flag.reason for flag in flagged[candidate.pk]),
            url=reverse("candidates:detail", args=[candidate.pk]),
            township=str(candidate.township),
        )
