"""What cultivation adds to the candidate page, the timeline and the to-do list."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool import panels, timeline, todo
from candidates.models import Candidate, PoolEvent, PoolStatus
from candidates.records import file_records
from mentorship.models import MentorAssignment, MentoringLog, Placement, PlanItem, Secondment, TrainingCourse
from mentorship.services import CULTIVATED_STATUSES


@dataclass
class CultivationRecords:
    assignments: list
    logs: list
    plan_items: list
    placements: list
    secondments: list
    courses: list

    @property
    def current_assignments(self):
        return [a for a in self.assignments if a.end_date is None]

    @property
    def current_placements(self):
        return [p for p in self.placements if p.end_date is None]

    @property
    def current_secondment(self):
        return next((s for s in self.secondments if s.is_current), None)

    @property
    def ended_counts(self) -> tuple[int, int, int]:
        """Mentor assignments, placements and secondments that are over (ended or cancelled): the history."""
        return (
            len(self.assignments) - len(self.current_assignments),
            len(self.placements) - len(self.current_placements),
            sum(s.actual_end is not None for s in self.secondments),
        )

    @property
    def plan_progress(self) -> int | None:
        """Share of the plan done, in percent; dropped items do not count."""
        counted = [item for item in self.plan_items if item.status != PlanItem.Status.DROPPED]
        if not counted:
            return None
        done = sum(item.status == PlanItem.Status.DONE for item in counted)
        return round(100 * done / len(counted))


def cultivation_records(candidate: Candidate) -> CultivationRecords:
    """All cultivation records of one candidate in six queries, cached on the instance for the request."""
    cached = getattr(candidate, "_cultivation_records", None)
    if cached is None:
        pk = candidate.pk
        cached = CultivationRecords(
            assignments=list(MentorAssignment.objects.filter(candidate_id=pk).select_related("mentor")),
            logs=list(MentoringLog.objects.filter(candidate_id=pk).select_related("mentor", "recorded_by")),
            plan_items=list(PlanItem.objects.filter(candidate_id=pk)),
            placements=list(Placement.objects.filter(candidate_id=pk).select_related("post_type", "village")),
            secondments=list(Secondment.objects.filter(candidate_id=pk).select_related("host_village", "decided_by")),
            courses=list(TrainingCourse.objects.filter(candidate_id=pk)),
        )
        candidate._cultivation_records = cached
    return cached


@panels.register("mentorship/_candidate_panel.html", order=50)
def cultivation_panel(candidate, user):
    if candidate.status not in {
        PoolStatus.FILED,
        PoolStatus.PROPOSED,
        PoolStatus.IN_POOL,
        PoolStatus.PROMOTED,
        PoolStatus.EXITED,
    } and not any(event.from_status == PoolStatus.EXITED for event in file_records(candidate).events):
        # Someone back in the intake funnel after an exit still shows their earlier cultivation, as history.
        return None
    records = cultivation_records(candidate)
    return {"records": records, "recent_logs": records.logs[:3]}


@timeline.register("mentoring", gettext_lazy("mentoring"))
def mentoring_entries(candidate):
    records = cultivation_records(candidate)
    label = _("mentoring")
    for assignment in records.assignments:
        role = _("lead mentor") if assignment.is_lead else _("mentor")
        yield timeline.TimelineEntry(
            at=timeline.at_day(assignment.start_date),
            kind="mentoring",
            kind_label=label,
            title=_("Mentoring started: %(mentor)s (%(role)s)") % {"mentor": assignment.mentor, "role": role},
        )
        if assignment.end_date:
            yield timeline.TimelineEntry(
                at=timeline.at_day(assignment.end_date),
                kind="mentoring",
                kind_label=label,
                title=_("Mentoring ended: %(mentor)s") % {"mentor": assignment.mentor},
                detail=assignment.end_reason,
            )
    for log in records.logs:
        yield timeline.TimelineEntry(
            at=timeline.at_day(log.date),
            kind="mentoring",
            kind_label=label,
            title=_("Mentoring log: %(kind)s") % {"kind": log.get_kind_display()},
            detail=log.content,
            actor=str(log.mentor or log.recorded_by),
        )


@timeline.register("plan", gettext_lazy("growth plan"))
def plan_entries(candidate):
    for item in cultivation_records(candidate).plan_items:
        yield timeline.TimelineEntry(
            at=item.created_at,
            kind="plan",
            kind_label=_("growth plan"),
            title=_("Plan item: %(goal)s (due %(due)s)") % {"goal": item.goal, "due": item.due_date.isoformat()},
            detail=item.get_status_display(),
        )


@timeline.register("post", gettext_lazy("post placement"))
def placement_entries(candidate):
    label = _("post placement")
    for placement in cultivation_records(candidate).placements:
        yield timeline.TimelineEntry(
            at=timeline.at_day(placement.start_date),
            kind="post",
            kind_label=label,
            title=_("Took up post: %(post)s, %(village)s")
            % {"post": placement.post_type, "village": placement.village},
            detail=placement.duties,
        )
        if placement.end_date:
            yield timeline.TimelineEntry(
                at=timeline.at_day(placement.end_date),
                kind="post",
                kind_label=label,
                title=_("Left post: %(post)s") % {"post": placement.post_type},
                detail=placement.evaluation,
            )


@timeline.register("secondment", gettext_lazy("secondment"))
def secondment_entries(candidate):
    label = _("secondment")
    for secondment in cultivation_records(candidate).secondments:
        planned = _("Secondment at %(village)s, %(mode)s, until %(end)s") % {
            "village": secondment.host_village,
            "mode": secondment.get_mode_display(),
            "end": secondment.planned_end.isoformat(),
        }
        if secondment.cancelled_on:
            # It never began: one line on the day it was called off, not one on a start that never came.
            yield timeline.TimelineEntry(
                at=timeline.at_day(secondment.cancelled_on),
                kind="secondment",
                kind_label=label,
                title=_("Planned secondment at %(village)s cancelled") % {"village": secondment.host_village},
                detail=f"{secondment.planned_start.isoformat()} {planned}",
            )
            continue
        yield timeline.TimelineEntry(
            at=timeline.at_day(secondment.planned_start), kind="secondment", kind_label=label, title=planned
        )
        if secondment.actual_end:
            yield timeline.TimelineEntry(
                at=timeline.at_day(secondment.actual_end),
                kind="secondment",
                kind_label=label,
                title=_("Secondment ended at %(village)s") % {"village": secondment.host_village},
                detail=secondment.host_evaluation or secondment.learned,
            )


@timeline.register("course", gettext_lazy("training course"))
def course_entries(candidate):
    for course in cultivation_records(candidate).courses:
        yield timeline.TimelineEntry(
            at=timeline.at_day(course.start_date),
            kind="course",
            kind_label=_("training course"),
            title=_("Course: %(name)s (%(hours)s hours)") % {"name": course.name, "hours": course.hours},
            detail=course.result,
        )


def _cultivation_url(candidate_id: int) -> str:
    return reverse("mentorship:candidate", args=[candidate_id])


@todo.register("mentoring_log_missing")
def missing_mentoring_logs(user, today: datetime.date):
    days = settings.MENTORING_LOG_MAX_DAYS
    cutoff = today - datetime.timedelta(days=days)
    entered = PoolEvent.objects.filter(candidate=OuterRef("pk"), to_status=PoolStatus.IN_POOL).order_by("-created_at")
    rows = (
        Candidate.objects.visible_to(user)
        .filter(status=PoolStatus.IN_POOL)
        .annotate(last_log=Max("mentoring_logs__date"), entered_at=Subquery(entered.values("created_at")[:1]))
        .filter(Q(last_log__lt=cutoff) | Q(last_log__isnull=True, entered_at__date__lt=cutoff))
        .select_related("township")
        .order_by("last_log", "name")
    )
    for candidate in rows:
        if candidate.last_log:
            message = _("No mentoring log since %(date)s (more than %(days)d days).") % {
                "date": candidate.last_log.isoformat(),
                "days": days,
            }
        else:
            message = _("No mentoring log in the %(days)d days since entering the pool.") % {"days": days}
        yield todo.TodoItem(
            kind="mentoring_log_missing",
            kind_label=_("mentoring log missing"),
            candidate_name=candidate.name,
            message=message,
            url=_cultivation_url(candidate.pk),
            due=candidate.last_log,
            township=str(candidate.township),
        )


@todo.register("secondment")
def secondment_items(user, today: datetime.date):
    soon = today + datetime.timedelta(days=settings.SECONDMENT_ENDING_SOON_DAYS)
    last_exit = PoolEvent.objects.filter(candidate=OuterRef("candidate"), to_status=PoolStatus.EXITED).order_by(
        "-created_at"
    )
    rows = (
        Secondment.objects.visible_to(user)
        .filter(
            Q(actual_end__isnull=True, planned_end__range=(today, soon))
            | (Q(host_evaluation="") & (Q(actual_end__isnull=False) | Q(planned_end__lt=today)))
        )
        .filter(candidate__status__in=CULTIVATED_STATUSES, cancelled_on__isnull=True)
        .exclude(approval=Secondment.Approval.REFUSED)
        # Someone back after an exit starts afresh: what the exit ended asks for nothing now.
        .annotate(left_on=Subquery(last_exit.values(day=TruncDate("created_at"))[:1]))
        .filter(Q(left_on__isnull=True) | Q(planned_start__gt=F("left_on")))
        .select_related("candidate", "candidate__township", "host_village")
        .order_by("planned_end")
    )
    for secondment in rows:
        if secondment.actual_end is None and today <= secondment.planned_end <= soon:
            kind, label = "secondment_ending", _("secondment ending")
            message = _("Secondment at %(village)s ends on %(date)s.") % {
                "village": secondment.host_village,
                "date": secondment.planned_end.isoformat(),
            }
        else:
            kind, label = "secondment_evaluation", _("evaluation missing")
            message = _("Secondment at %(village)s has ended without the host village's evaluation.") % {
                "village": secondment.host_village
            }
        yield todo.TodoItem(
            kind=kind,
            kind_label=label,
            candidate_name=secondment.candidate.name,
            message=message,
            url=reverse("mentorship:secondment_end", args=[secondment.pk]),
            due=secondment.planned_end,
            township=str(secondment.candidate.township),
        )


@todo.register("secondment_length")
def secondment_lengths_awaiting(user, today: datetime.date):
    """District staff's: secondments planned for less than 3 or more than 6 months, awaiting their
    decision; organisers, who cannot decide, are not asked (and cost no query)."""
    if not user.can_decide:
        return
    rows = (
        Secondment.objects.visible_to(user)
        .filter(approval=Secondment.Approval.AWAITING, actual_end__isnull=True)
        .select_related("candidate", "candidate__township", "host_village")
        .order_by("planned_start", "pk")
    )
    for secondment in rows:
        yield todo.TodoItem(
            kind="secondment_length",
            kind_label=_("secondment length awaiting your approval"),
            candidate_name=secondment.candidate.name,
            message=_("Secondment at %(village)s from %(start)s to %(end)s (%(mode)s): %(reason)s")
            % {
                "village": secondment.host_village,
                "start": secondment.planned_start.isoformat(),
                "end": secondment.planned_end.isoformat(),
                "mode": secondment.get_mode_display(),
                "reason": secondment.override_reason,
            },
            url=reverse("mentorship:secondment_decide", args=[secondment.pk]),
            due=secondment.planned_start,
            township=str(secondment.candidate.township),
        )


@todo.register("plan_overdue")
def overdue_plan_items(user, today: datetime.date):
    rows = (
        PlanItem.objects.visible_to(user)
        .filter(status__in=PlanItem.OPEN_STATUSES, due_date__lt=today, candidate__status__in=CULTIVATED_STATUSES)
        .select_related("candidate", "candidate__township")
        .order_by("due_date")
    )
    for item in rows:
        yield todo.TodoItem(
            kind="plan_overdue",
            kind_label=_("plan item overdue"),
            candidate_name=item.candidate.name,
            message=_("“%(goal)s” was due on %(date)s.") % {"goal": item.goal, "date": item.due_date.isoformat()},
            url=_cultivation_url(item.candidate_id),
            due=item.due_date,
            township=str(item.candidate.township),
        )
