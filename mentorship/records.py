"""What cultivation adds to the candidate page, the timeline and the to-do list."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from candidates.models import Candidate, PoolStatus
from candidates.records import file_records
from candidates.timeline import TimelineEntry, at_day
from mentorship.models import MentorAssignment, MentoringLog, Placement, PlanItem, Secondment, TrainingCourse


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


def mentoring_entries(candidate):
    records = cultivation_records(candidate)
    label = _("mentoring")
    for assignment in records.assignments:
        role = _("lead mentor") if assignment.is_lead else _("mentor")
        yield TimelineEntry(
            at=at_day(assignment.start_date),
            kind="mentoring",
            kind_label=label,
            title=_("Mentoring started: %(mentor)s (%(role)s)") % {"mentor": assignment.mentor, "role": role},
        )
        if assignment.end_date:
            yield TimelineEntry(
                at=at_day(assignment.end_date),
                kind="mentoring",
                kind_label=label,
                title=_("Mentoring ended: %(mentor)s") % {"mentor": assignment.mentor},
                detail=assignment.end_reason,
            )
    for log in records.logs:
        yield TimelineEntry(
            at=at_day(log.date),
            kind="mentoring",
            kind_label=label,
            title=_("Mentoring log: %(kind)s") % {"kind": log.get_kind_display()},
            detail=log.content,
            actor=str(log.mentor or log.recorded_by),
        )


def plan_entries(candidate):
    for item in cultivation_records(candidate).plan_items:
        yield TimelineEntry(
            at=item.created_at,
            kind="plan",
            kind_label=_("growth plan"),
            title=_("Plan item: %(goal)s (due %(due)s)") % {"goal": item.goal, "due": item.due_date.isoformat()},
            detail=item.get_status_display(),
        )


def placement_entries(candidate):
    label = _("post placement")
    for placement in cultivation_records(candidate).placements:
        yield TimelineEntry(
            at=at_day(placement.start_date),
            kind="post",
            kind_label=label,
            title=_("Took up post: %(post)s, %(village)s")
            % {"post": placement.post_type, "village": placement.village},
            detail=placement.duties,
        )
        if placement.end_date:
            yield TimelineEntry(
                at=at_day(placement.end_date),
                kind="post",
                kind_label=label,
                title=_("Left post: %(post)s") % {"post": placement.post_type},
                detail=placement.evaluation,
            )


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
            yield TimelineEntry(
                at=at_day(secondment.cancelled_on),
                kind="secondment",
                kind_label=label,
                title=_("Planned secondment at %(village)s cancelled") % {"village": secondment.host_village},
                detail=f"{secondment.planned_start.isoformat()} {planned}",
            )
            continue
        yield TimelineEntry(at=at_day(secondment.planned_start), kind="secondment", kind_label=label, title=planned)
        if secondment.actual_end:
            yield TimelineEntry(
                at=at_day(secondment.actual_end),
                kind="secondment",
                kind_label=label,
                title=_("Secondment ended at %(village)s") % {"village": secondment.host_village},
                detail=secondment.host_evaluation or secondment.learned,
            )


def course_entries(candidate):
    for course in cultivation_records(candidate).courses:
        yield TimelineEntry(
            at=at_day(course.start_date),
            kind="course",
            kind_label=_("training course"),
            title=_("Course: %(name)s (%(hours)s hours)") % {"name": course.name, "hours": course.hours},
            detail=course.result,
        )
