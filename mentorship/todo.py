"""What cultivation puts on the to-do list."""

import datetime

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from candidates.models import Candidate, PoolEvent, PoolStatus
from candidates.todo import TodoItem
from mentorship.models import PlanItem, Secondment
from mentorship.services import CULTIVATED_STATUSES


def _cultivation_url(candidate_id: int) -> str:
    return reverse("mentorship:candidate", args=[candidate_id])


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
        yield TodoItem(
            kind="mentoring_log_missing",
            kind_label=_("mentoring log missing"),
            candidate_name=candidate.name,
            message=message,
            url=_cultivation_url(candidate.pk),
            due=candidate.last_log,
            township=str(candidate.township),
        )


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
        yield TodoItem(
            kind=kind,
            kind_label=label,
            candidate_name=secondment.candidate.name,
            message=message,
            url=reverse("mentorship:secondment_end", args=[secondment.pk]),
            due=secondment.planned_end,
            township=str(secondment.candidate.township),
        )


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
        yield TodoItem(
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


def overdue_plan_items(user, today: datetime.date):
    rows = (
        PlanItem.objects.visible_to(user)
        .filter(status__in=PlanItem.OPEN_STATUSES, due_date__lt=today, candidate__status__in=CULTIVATED_STATUSES)
        .select_related("candidate", "candidate__township")
        .order_by("due_date")
    )
    for item in rows:
        yield TodoItem(
            kind="plan_overdue",
            kind_label=_("plan item overdue"),
            candidate_name=item.candidate.name,
            message=_("“%(goal)s” was due on %(date)s.") % {"goal": item.goal, "date": item.due_date.isoformat()},
            url=_cultivation_url(item.candidate_id),
            due=item.due_date,
            township=str(item.candidate.township),
        )
