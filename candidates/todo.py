"""What the information files add to the to-do list: incomplete files and pool entries to approve.

`TodoItem` is the shape of one to-do item for every app; reports.todo gathers them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.completeness import missing_information
from candidates.models import LEFT_THE_POOL, Candidate, PoolEvent, PoolStatus


@dataclass(frozen=True)
class TodoItem:
    kind: str
    kind_label: str
    candidate_name: str
    message: str
    url: str
    due: datetime.date | None = None
    township: str = ""


# A to-do list is read, not paged: past this many items of one kind, the last item leads to the
# candidate list filtered the same way, where every one of them can be found.
ITEMS_PER_KIND = 50


def _missing(candidate) -> str:
    return "、".join(str(check.label) for check in missing_information(candidate))


def _more(kind: str, label: str, message: str, url: str) -> TodoItem:
    # Undated and unnamed, so it sorts first among its kind.
    return TodoItem(kind=kind, kind_label=label, candidate_name="", message=message, url=url)


def incomplete_files(user, today: datetime.date):
    """The organiser keeps the township's files, so the organiser is asked to complete them; the
    district finds them through the candidate list's filter instead of a to-do item per file."""
    if not (user.is_organiser and user.can_write_candidates):
        return
    rows = list(
        Candidate.objects.visible_to(user)
        .incomplete()
        .exclude(status__in=LEFT_THE_POOL)
        .select_related("township")
        .order_by("name", "pk")[: ITEMS_PER_KIND + 1]
    )
    label = _("incomplete file")
    for candidate in rows[:ITEMS_PER_KIND]:
        checks = missing_information(candidate)
        # The edit form opened at the first field to fill.
        anchor = f"#id_{checks[0].field}" if checks else ""
        yield TodoItem(
            kind="incomplete_file",
            kind_label=label,
            candidate_name=candidate.name,
            message=_("Missing: %(fields)s.") % {"fields": _missing(candidate)},
            url=reverse("candidates:edit", args=[candidate.pk]) + anchor,
            township=str(candidate.township),
        )
    if len(rows) > ITEMS_PER_KIND:
        yield _more(
            "incomplete_file",
            label,
            _("More incomplete files: see the candidate list."),
            reverse("candidates:list") + "?incomplete=yes",
        )


def pool_entries_awaiting_approval(user, today: datetime.date):
    """Pool-entry proposals, decided by district staff on the funnel page, oldest first."""
    if not user.can_decide:
        return
    proposed = PoolEvent.objects.filter(candidate=OuterRef("pk"), to_status=PoolStatus.PROPOSED).order_by(
        "-created_at", "-pk"
    )
    rows = list(
        Candidate.objects.visible_to(user)
        .filter(status=PoolStatus.PROPOSED)
        .annotate(proposed_at=Subquery(proposed.values("created_at")[:1]))
        .select_related("township")
        .order_by("updated_at", "pk")[: ITEMS_PER_KIND + 1]
    )
    label = _("pool entry to approve")
    funnel = reverse("candidates:funnel")
    for candidate in rows[:ITEMS_PER_KIND]:
        message = _("Proposed for the pool; awaiting your approval.")
        missing = _missing(candidate)
        if missing:
            message += " " + _("Incomplete file, missing: %(fields)s.") % {"fields": missing}
        yield TodoItem(
            kind="pool_entry",
            kind_label=label,
            candidate_name=candidate.name,
            message=message,
            url=f"{funnel}?proposal={candidate.pk}#proposal-{candidate.pk}",
            due=timezone.localdate(candidate.proposed_at) if candidate.proposed_at else None,
            township=str(candidate.township),
        )
    if len(rows) > ITEMS_PER_KIND:
        yield _more(
            "pool_entry",
            label,
            _("More pool entries await approval: see the candidate list."),
            reverse("candidates:list") + "?status=proposed",
        )
