"""What management adds to the candidate page, the timeline and the to-do list."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Decision, Review
from candidates.models import PoolStatus
from candidates.timeline import TimelineEntry, at_day


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


def management_panel(candidate, user):
    records = management_records(candidate)
    return {
        **records,
        "can_assess": user.can_write_candidates,
        "can_decide": user.can_decide and candidate.status == PoolStatus.IN_POOL,
    }


def assessment_entries(candidate):
    for assessment in management_records(candidate)["assessments"]:
        yield TimelineEntry(
            at=at_day(assessment.date),
            kind="assessment",
            kind_label=_("key-task assessment"),
            title=_("%(kind)s: %(rating)s")
            % {"kind": assessment.get_kind_display(), "rating": assessment.get_rating_display()},
            detail=assessment.description,
            actor=str(assessment.recorded_by),
        )


def review_entries(candidate):
    for review in management_records(candidate)["reviews"]:
        ratings = "，".join(f"{label}{shown}" for _field, label, shown, _comment in review.ratings())
        yield TimelineEntry(
            at=review.filled_at,
            kind="review",
            kind_label=_("look-back review"),
            title=_("%(round)s: proposed “%(conclusion)s”")
            % {"round": review.round.name, "conclusion": review.get_conclusion_display()},
            detail=ratings,
        )


def decision_entries(candidate):
    for decision in management_records(candidate)["decisions"]:
        if decision.kind == Decision.Kind.EXIT:
            title = _("Removed from the pool: %(reason)s") % {"reason": decision.get_exit_reason_display()}
        else:
            title = _("Promoted: %(post)s, %(village)s") % {"post": decision.post_label, "village": decision.village}
        yield TimelineEntry(
            at=decision.decided_at,
            kind="decision",
            kind_label=_("decision"),
            title=title,
            detail=decision.note,
            actor=str(decision.decided_by),
        )
        if decision.closed:
            yield TimelineEntry(
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
