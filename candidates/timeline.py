from django.utils.translation import gettext_lazy as _

from cadre_pool import timeline
from candidates.records import file_records


@timeline.register("pool", _("pool status"))
def pool_events(candidate):
    for event in file_records(candidate).events:
        title = (
            f"{event.get_from_status_display()} → {event.get_to_status_display()}"
            if event.from_status
            else event.get_to_status_display()
        )
        yield timeline.TimelineEntry(
            at=event.created_at,
            kind="pool",
            kind_label=str(_("pool status")),
            title=title,
            detail=event.reason,
            actor=str(event.actor),
        )


@timeline.register("contact", _("contact"))
def contact_entries(candidate):
    for contact in file_records(candidate).contacts:
        yield timeline.TimelineEntry(
            at=timeline.at_day(contact.date),
            kind="contact",
            kind_label=str(_("contact")),
            title=f"{contact.get_kind_display()}：{contact.place}",
            detail=contact.discussed,
            actor=str(contact.recorded_by),
        )


@timeline.register("policy", _("policy item"))
def policy_entries(candidate):
    for delivery in file_records(candidate).deliveries:
        yield timeline.TimelineEntry(
            at=timeline.at_day(delivery.handed_on),
            kind="policy",
            kind_label=str(_("policy item")),
            title=str(_("Policy handed over: %(policy)s (%(uptake)s)"))
            % {"policy": delivery.policy, "uptake": delivery.get_uptake_display()},
        )
