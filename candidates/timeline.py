"""What the information file adds to the candidate's timeline: pool moves, contacts, policy items.

`TimelineEntry` is the shape of one timeline line for every app; reports.timeline gathers them.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.records import file_records


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    kind_label: str
    title: str
    detail: str = ""
    actor: str = ""
    extra: dict = field(default_factory=dict)


def at_day(day: datetime.date) -> datetime.datetime:
    """Dated records sort as the start of their day in the local time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def pool_events(candidate):
    for event in file_records(candidate).events:
        title = (
            f"{event.get_from_status_display()} → {event.get_to_status_display()}"
            if event.from_status
            else event.get_to_status_display()
        )
        yield TimelineEntry(
            at=event.created_at,
            kind="pool",
            kind_label=str(_("pool status")),
            title=title,
            detail=event.reason,
            actor=str(event.actor),
        )


def contact_entries(candidate):
    for contact in file_records(candidate).contacts:
        yield TimelineEntry(
            at=at_day(contact.date),
            kind="contact",
            kind_label=str(_("contact")),
            title=f"{contact.get_kind_display()}：{contact.place}",
            detail=contact.discussed,
            actor=str(contact.recorded_by),
        )


def policy_entries(candidate):
    for delivery in file_records(candidate).deliveries:
        yield TimelineEntry(
            at=at_day(delivery.handed_on),
            kind="policy",
            kind_label=str(_("policy item")),
            title=str(_("Policy handed over: %(policy)s (%(uptake)s)"))
            % {"policy": delivery.policy, "uptake": delivery.get_uptake_display()},
        )
